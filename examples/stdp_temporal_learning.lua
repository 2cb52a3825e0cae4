-- STDP on temporal spike patterns: 20 input neurons in four groups (0-4
-- fire in steps 0-9, 5-9 in 11-19, 10-14 in 21-29, each with p = 0.3; 15-19
-- are noise at p = 0.05) drive 5 LIF neurons (threshold 0.8, leak 0.95,
-- trace decay 0.9); 100 patterns of 50 steps, 20 epochs of STDP (learning
-- rate 0.02, A+ 0.005, A- 0.00525, weights in [0, 1]).  Weight changes by
-- input group, the rasters of a test pattern, activity over training and
-- the weights of neuron 0 by group.
--
--   build/canns examples/stdp_temporal_learning.lua [output folder]
--                                      (default out/stdp_temporal_learning)
--
-- Twin of examples/brain_inspired/stdp_temporal_learning.py of the Python
-- toolkit (NumPy seed 42 there, canns.random.seed(42) here).
local canns = require "canns"

local outdir = arg and arg[1] or "out/stdp_temporal_learning"
canns.random.seed(42)

local n_input, n_output, n_patterns, n_steps = 20, 5, 100, 50
print("Generating temporal spike patterns...")
print(("Input neurons: %d, Output neurons: %d"):format(n_input, n_output))
print(("Patterns: %d, Timesteps per pattern: %d"):format(n_patterns, n_steps))

local function pattern()
  local u = canns.random.uniform({n_steps, n_input})
  local s = canns.zeros({n_steps, n_input})
  for t = 0, n_steps - 1 do
    local groups = {}
    if t < 10 then groups[#groups + 1] = {1, 5} end
    if t > 10 and t < 20 then groups[#groups + 1] = {6, 10} end
    if t > 20 and t < 30 then groups[#groups + 1] = {11, 15} end
    for _, g in ipairs(groups) do
      for i = g[1], g[2] do if u[{t + 1, i}] < 0.3 then s[{t + 1, i}] = 1 end end
    end
    for i = 16, 20 do if u[{t + 1, i}] < 0.05 then s[{t + 1, i}] = 1 end end
  end
  return s
end
local patterns = {}
for k = 1, n_patterns do patterns[k] = pattern() end
print(("Generated %d temporal spike patterns"):format(n_patterns))

local model = canns.models.SpikingLayer{input_size = n_input, output_size = n_output, threshold = 0.8,
                                        v_reset = 0.0, leak = 0.95, trace_decay = 0.90, dt = 1.0}
local W0 = model.W:copy()
local trainer = canns.trainer.STDPTrainer{model = model, learning_rate = 0.02, A_plus = 0.005,
                                          A_minus = 0.00525, w_min = 0.0, w_max = 1.0}
print("\nTraining with STDP...")
print(("Learning rate: %g"):format(trainer.learning_rate))
print(("A_plus (LTP): %g, A_minus (LTD): %g"):format(trainer.A_plus, trainer.A_minus))

local n_epochs = 20
local history, counts = {W0:copy()}, {}
for epoch = 1, n_epochs do
  model:reset_state()
  local total = 0
  for _, seq in ipairs(patterns) do
    trainer:train(seq)
    model:reset_state()
    total = total + model:forward_sequence(seq):sum()
  end
  counts[epoch] = total / n_patterns
  if epoch % 5 == 0 then
    history[#history + 1] = model.W:copy()
    print(("Epoch %d/%d: Avg spikes/pattern = %.2f"):format(epoch, n_epochs, counts[epoch]))
  end
end
print("\nTraining complete!")

local dW = model.W - W0
local function group_mean(w, row, a, b) return w[row]:slice(1, {a, b}):mean() end
print("\n" .. ("="):rep(70)); print("Weight Change Analysis"); print(("="):rep(70))
print("\nWeight changes by input group:")
for i = 1, n_output do
  print(("Neuron %d: Early=%+.4f, Middle=%+.4f, Late=%+.4f, Noise=%+.4f"):format(i - 1,
        group_mean(dW, i, 1, 5), group_mean(dW, i, 6, 10), group_mean(dW, i, 11, 15), group_mean(dW, i, 16, 20)))
end

print("\n" .. ("="):rep(70)); print("Testing spike timing on sample pattern"); print(("="):rep(70))
model:reset_state()
local test_in = patterns[1]
local test_out = model:forward_sequence(test_in)
print(("Input spike count: %g"):format(test_in:sum()))
print(("Output spike count: %g"):format(test_out:sum()))

canns.mkdir(outdir)
W0:save(outdir .. "/W_initial.npy")
model.W:save(outdir .. "/W_final.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {15, 10}}
local lim = dW:abs():max()
for k, m in ipairs{{W0, "Initial Weights", 0, 1}, {model.W, "Final Weights (After STDP)", 0, 1},
                   {dW, "Weight Change (ΔW)", -lim, lim}} do
  local ax = fig:subplot(3, 3, k)
  local im = ax:imshow(m[1], {aspect = "auto", cmap = "RdBu_r", vmin = m[3], vmax = m[4]})
  ax:set_xlabel("Input Neuron"); ax:set_ylabel("Output Neuron"); ax:set_title(m[2])
  ax:colorbar(im, {})
  for _, x in ipairs{4.5, 9.5, 14.5} do
    ax:axvline(x, {color = "white", linestyle = "--", alpha = 0.5, linewidth = 1})
  end
end

local function raster(ax, s, n, colour, size)
  for j = 1, n do
    local ts, ys = {}, {}
    for t = 1, n_steps do if s[{t, j}] > 0 then ts[#ts + 1] = t - 1; ys[#ys + 1] = j - 1 end end
    if #ts > 0 then ax:scatter(ts, ys, {marker = "|", s = size, c = colour}) end
  end
  ax:set_xlabel("Time Step"); ax:set_ylim(-0.5, n - 0.5)
end
local ax4 = fig:subplot(3, 1, 2)
raster(ax4, test_in, n_input, "black", 100)
ax4:set_ylabel("Input Neuron"); ax4:set_title("Input Spike Raster (Test Pattern)")
for k, y in ipairs{4.5, 9.5, 14.5} do
  ax4:axhline(y, {color = ({"red", "green", "blue"})[k], linestyle = "--", alpha = 0.3, linewidth = 1})
end
ax4:grid(true, {alpha = 0.3, axis = "x"})

local ax5 = fig:subplot(3, 3, 7)
raster(ax5, test_out, n_output, "red", 150)
ax5:set_ylabel("Output Neuron"); ax5:set_title("Output Spike Raster"); ax5:grid(true, {alpha = 0.3})

local ax6 = fig:subplot(3, 3, 8)
local ep = {}
for e = 1, n_epochs do ep[e] = e end
ax6:plot(ep, counts, {marker = "o", linewidth = 2})
ax6:set_xlabel("Epoch"); ax6:set_ylabel("Avg Spikes per Pattern")
ax6:set_title("Output Spike Activity Over Training"); ax6:grid(true, {alpha = 0.3})

local ax7 = fig:subplot(3, 3, 9)
local tracked = {0, 5, 10, 15, 20}
for _, g in ipairs{{1, 5, "Early inputs (0-4)", "o"}, {6, 10, "Middle inputs (5-9)", "s"},
                   {11, 15, "Late inputs (10-14)", "^"}} do
  local y = {}
  for h = 1, #history do y[h] = group_mean(history[h], 1, g[1], g[2]) end
  ax7:plot(tracked, y, {label = g[3], marker = g[4], linewidth = 2})
end
ax7:set_xlabel("Epoch"); ax7:set_ylabel("Average Weight (to Neuron 0)")
ax7:set_title("Weight Evolution by Input Group"); ax7:legend{}; ax7:grid(true, {alpha = 0.3})
fig:savefig(outdir .. "/stdp_temporal_learning.png", {dpi = 150})
print("\nPlot saved as '" .. outdir .. "/stdp_temporal_learning.png'")
