-- Trains a vanilla tanh RNN on the n-bit flip-flop memory task (each
-- channel remembers the sign of its latest input pulse), then finds the
-- network's fixed points from noisy states of its test trajectories and
-- draws them on the first principal components (2-D and 3-D).  A trained
-- network stores each of the 2^n memories as a stable fixed point, with
-- saddles between them.
--
--   build/canns examples/flipflop_fixed_points.lua [output folder] [config] [seed]
--        (defaults out/flipflop_fixed_points, 3_bit, 42; configs 2_bit, 3_bit, 4_bit)
--
-- Twin of examples/slow_points_analysis/flipflop_fixed_points.py of the
-- Python toolkit, same sizes: 512 training trials of 64 steps, Adam at
-- 0.08 in batches of 128 until the epoch loss is below 1e-4 (at most 500
-- epochs), 1024 initial states with noise 0.4.  The draws come from
-- canns.random (not NumPy / JAX), so the network and its fixed points are
-- not upstream's; with the default seed training stops after 185 epochs
-- and the search after 283 iterations with 27 unique fixed points, 26
-- after the final q filter: the 8 stable memories (|lambda_max| 0.11-0.26)
-- and 18 saddles (|lambda_max| 1.8-2.2), like upstream's documented run
-- (26 unique, 25 after the filter, 8 stable).  Runs in about 2 s.
-- A checkpoint `flipflop_rnn_<config>_checkpoint.npz` in the current
-- folder (written by canns.analyzer.slow_points.save_checkpoint) is loaded
-- instead of training, as upstream loads its .msgpack.
local canns = require "canns"
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local D = dofile(here .. "/lib/flipflop_data.lua")
local sp = canns.analyzer.slow_points

local outdir = arg[1] or "out/flipflop_fixed_points"
local config_name = arg[2] or "3_bit"
local seed = math.tointeger(tonumber(arg[3] or "42"))

local TASK_CONFIGS = {
  ["2_bit"] = {n_bits = 2, n_hidden = 3, n_trials_train = 512, n_inits = 1024},
  ["3_bit"] = {n_bits = 3, n_hidden = 4, n_trials_train = 512, n_inits = 1024},
  ["4_bit"] = {n_bits = 4, n_hidden = 6, n_trials_train = 512, n_inits = 1024},
}
local cfg = TASK_CONFIGS[config_name]
if not cfg then error("unknown config '" .. config_name .. "' (2_bit, 3_bit or 4_bit)", 0) end
if not seed or seed < 0 then error("seed must be a non-negative integer, got " .. tostring(arg[3]), 0) end

print(("\n--- Running FlipFlop Task (%s) ---"):format(config_name))
print("Seed: " .. seed)
local n_bits, n_hidden = cfg.n_bits, cfg.n_hidden
local n_time, n_valid, n_test = 64, 128, 128

-- one stream of trials: training, validation, test
local g = canns.random.Generator(seed)
local train_u, train_y = D.generate(g, cfg.n_trials_train, n_time, n_bits, 0.5)
local valid_u, valid_y = D.generate(g, n_valid, n_time, n_bits, 0.5)
local test_u = D.generate(g, n_test, n_time, n_bits, 0.5)

local rnn = canns.nn.RNN{input_size = n_bits, hidden_size = n_hidden, output_size = n_bits, seed = seed}
local function mse(Yhat, Y)
  local d = (Yhat - Y):astype("float64")
  return canns.sum(d * d) / d:size()
end

local checkpoint = ("flipflop_rnn_%s_checkpoint.npz"):format(config_name)
if sp.load_checkpoint(rnn, checkpoint) then
  print("Loaded model from checkpoint: " .. checkpoint)
else
  print(("No checkpoint found (%s). Training..."):format(checkpoint))
  print(("\n%s\nTraining FlipFlop RNN (BPTT + Adam in C)\n%s"):format(("="):rep(70), ("="):rep(70)))
  print("\nTraining parameters:\n  Batch size: 128\n  Learning rate:0.080000 (Fixed)")
  local losses, epochs = rnn:train(train_u, train_y, {epochs = 500, batch_size = 128, lr = 0.08,
                                                      loss_tol = 1e-4, seed = seed})
  for e = 1, epochs, 10 do print(("Epoch %4d: train_loss = %.6f"):format(e - 1, losses[e])) end
  if losses[epochs] < 1e-4 then print(("\nReached target loss 1.00e-04 at epoch %d"):format(epochs - 1)) end
  print(("\n%s\nTraining Complete!\n%s"):format(("="):rep(70), ("="):rep(70)))
  print(("Final training loss: %.6f"):format(losses[epochs]))
  print(("Final validation loss: %.6f"):format(mse(rnn:forward(valid_u), valid_y)))
  print(("Total epochs: %d"):format(epochs))
end

print("\n--- Fixed Point Analysis ---")
local _, hiddens = rnn:forward(test_u)
local finder = sp.FixedPointFinder(rnn, {method = "joint", max_iters = 5000, lr_init = 0.02,
  tol_q = 1e-4, final_q_threshold = 1e-6, tol_unique = 1e-2, do_compute_jacobians = true,
  do_decompose_jacobians = true, outlier_distance_scale = 10.0, verbose = true, super_verbose = true})
local unique_fps = finder:find_fixed_points(hiddens, canns.zeros({1, n_bits}),
                                            {n_inits = cfg.n_inits, noise_scale = 0.4})

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

  local path2 = ("%s/flipflop_%s_fixed_points_2d.png"):format(outdir, config_name)
  sp.plot_fixed_points_2d(unique_fps, hiddens, canns.analyzer.visualization.PlotConfig{
    title = ("FlipFlop Fixed Points (%s - 2D PCA)"):format(config_name), xlabel = "PC 1",
    ylabel = "PC 2", figsize = {10, 8}, save_path = path2, show = false})
  local path3 = ("%s/flipflop_%s_fixed_points_3d.png"):format(outdir, config_name)
  local batches = {}
  for b = 1, 30 do batches[b] = b end
  -- upstream's plot_start_time = 10 (0-based) is step 11 here
  sp.plot_fixed_points_3d(unique_fps, hiddens, canns.analyzer.visualization.PlotConfig{
    title = ("FlipFlop Fixed Points (%s - 3D PCA)"):format(config_name), figsize = {12, 10},
    save_path = path3, show = false}, batches, 11)
end
print("\nOutputs written to " .. outdir)
print("\n--- Analysis complete ---")
