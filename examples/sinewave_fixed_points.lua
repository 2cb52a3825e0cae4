-- Trains a 32-unit tanh RNN (orthogonal recurrent weights with gain 1.1)
-- to predict the next sample of a sine wave of random phase, then finds
-- the fixed points of the autonomous network (zero input) from noisy
-- states of 64 fresh trajectories and draws them with one more trajectory
-- on its first two principal components.  Unlike the flip-flop memory,
-- the oscillation lives on the flow around unstable fixed points.
--
--   build/canns examples/sinewave_fixed_points.lua [output folder] [seed]
--                      (defaults out/sinewave_fixed_points, 42)
--
-- Twin of examples/slow_points_analysis/sinewave_fixed_points.py of the
-- Python toolkit, same sizes: 128 training trials of 99 steps (t =
-- linspace(0, 10 pi, 100)), Adam at 0.01 on one batch of 128 per epoch for
-- at most 200 epochs (stop below 1e-5), 1024 initial states with noise 0.4,
-- max_iters 2000, tol_unique 0.3.  Upstream draws a new seed on every run;
-- here the seed is an argument (the draws come from canns.random, not
-- NumPy / JAX).  With the default seed the loss is 0.003 after the 200
-- epochs and one fixed point survives the filters, unstable (|lambda_max|
-- 1.04), inside the closed orbit of the trajectory.  Runs in about 4 s.
local canns = require "canns"
local sp = canns.analyzer.slow_points

local outdir = arg[1] or "out/sinewave_fixed_points"
local seed = math.tointeger(tonumber(arg[2] or "42"))
if not seed or seed < 0 then error("seed must be a non-negative integer, got " .. tostring(arg[2]), 0) end
print("Running with global seed: " .. seed)
local g = canns.random.Generator(seed)

-- sin(t + phase), phase ~ U(-pi, pi): inputs are steps 1..99, targets 2..100
local function sine_data(n_trials, n_steps)
  n_steps = n_steps or 100
  local t = canns.linspace(0, 10 * math.pi, n_steps):astype("float64"):totable()
  local phase = g:uniform(n_trials, -math.pi, math.pi, "float64"):totable()
  local U, Y = {}, {}
  for b = 1, n_trials do
    local u, y = {}, {}
    for k = 1, n_steps - 1 do
      u[k] = {math.sin(t[k] + phase[b])}
      y[k] = {math.sin(t[k + 1] + phase[b])}
    end
    U[b], Y[b] = u, y
  end
  return canns.array(U, "float32"), canns.array(Y, "float32")
end

local model = canns.nn.RNN{input_size = 1, hidden_size = 32, output_size = 1, seed = seed,
                           w_hh_init = "orthogonal", w_hh_gain = 1.1}
local train_u, train_y = sine_data(128)
local valid_u, valid_y = sine_data(64)
local function mse(Yhat, Y)
  local d = (Yhat - Y):astype("float64")
  return canns.sum(d * d) / d:size()
end

print(("\n%s\nTraining Sine Wave RNN (BPTT + Adam in C)\n%s"):format(("="):rep(70), ("="):rep(70)))
print("\nTraining parameters:\n  Batch size: 128\n  Learning rate:0.010000 (Fixed)")
local losses, epochs = model:train(train_u, train_y, {epochs = 200, batch_size = 128, lr = 0.01,
                                                      loss_tol = 1e-5, seed = seed})
for e = 1, epochs, 10 do print(("Epoch %4d: train_loss = %.6f"):format(e - 1, losses[e])) end
if losses[epochs] < 1e-5 then print(("\nReached target loss 1.00e-05 at epoch %d"):format(epochs - 1)) end
print(("\nTraining complete! final train loss %.6f, validation loss %.6f, %d epochs"):format(
  losses[epochs], mse(model:forward(valid_u), valid_y), epochs))

print("\nGenerating trajectories for Fixed Point analysis...")
local find_u = sine_data(64)
local _, find_h = model:forward(find_u)
print(("  Generated 'find' trajectories, shape: (%s)"):format(table.concat(find_h:shape(), ", ")))
local plot_u = sine_data(1)
local _, plot_h = model:forward(plot_u)
print(("  Generated 'plot' trajectories, shape: (%s)"):format(table.concat(plot_h:shape(), ", ")))

print("\n--- Fixed Point Analysis ---")
local finder = sp.FixedPointFinder(model, {method = "joint", max_iters = 2000, lr_init = 0.02,
  tol_q = 1e-5, final_q_threshold = 1e-6, tol_unique = 0.3, do_compute_jacobians = true,
  do_decompose_jacobians = true, verbose = true, super_verbose = true})
local unique_fps = finder:find_fixed_points(find_h, canns.zeros({1, 1}),
                                            {n_inits = 1024, noise_scale = 0.4})

print("\n--- Fixed Point Analysis Results ---")
unique_fps:print_summary()
canns.mkdir(outdir)
if unique_fps.n > 0 then
  print("\nDetailed Fixed Point Information (Top 10):")
  print(("%-4s %-12s %-12s %-12s"):format("#", "q-value", "Stability", "Max |eig|"))
  print(("-"):rep(45))
  local q, st, lam = unique_fps.qstar:totable(), unique_fps.is_stable:totable(),
                     unique_fps:max_abs_eigenvalue():totable()
  for i = 1, math.min(10, unique_fps.n) do
    print(("%-4d %-12.2e %-12s %-12.4f"):format(i, q[i], st[i] and "Stable" or "Unstable", lam[i]))
  end
  unique_fps.xstar:save(outdir .. "/xstar.npy")
  -- upstream's plot_start_time = 10 (skip the first 10 steps) is step 11 here
  sp.plot_fixed_points_2d(unique_fps, plot_h, canns.analyzer.visualization.PlotConfig{
    title = "Sine Wave Predictor Fixed Points (2D PCA)", xlabel = "PC 1", ylabel = "PC 2",
    figsize = {10, 8}, save_path = outdir .. "/sine_wave_predictor_fixed_points_2d.png",
    show = false}, nil, 11)
end
print("\nOutputs written to " .. outdir)
print("\n--- Analysis complete ---")
