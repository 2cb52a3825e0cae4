-- BCM learning of receptive fields: 4 linear neurons with a sliding
-- threshold (theta_tau 50) see 1000 oriented bars on a 12 x 12 grid (one of
-- 8 orientations each), 100 passes at learning rate 1e-5.  Thresholds and
-- weight norms every 20 passes, the final receptive fields, and the
-- orientation tuning of each neuron over 16 test angles.
--
--   build/canns examples/bcm_receptive_fields.lua [output folder]
--                                        (default out/bcm_receptive_fields)
--
-- Twin of examples/brain_inspired/bcm_receptive_fields.py of the Python
-- toolkit (NumPy seed 42 there, canns.random.seed(42) here).
local canns = require "canns"

local outdir = arg and arg[1] or "out/bcm_receptive_fields"
canns.random.seed(42)

-- A bar through the centre at `angle` (a Gaussian profile across it),
-- scaled to [0, 1], flattened (size^2,).
local function oriented_bar(angle, size)
  local p = canns.zeros({size * size}, "float64")
  local c, s = math.cos(angle), math.sin(angle)
  for y = 0, size - 1 do
    for x = 0, size - 1 do
      local xr = (x - size / 2) * c + (y - size / 2) * s
      p[y * size + x + 1] = math.exp(-(xr / 2) ^ 2)
    end
  end
  local lo, hi = p:min(), p:max()
  return ((p - lo) / (hi - lo + 1e-8)):astype("float32")
end

local size, n_samples, n_orient = 12, 1000, 8
local orientations = {}
for k = 1, n_orient do orientations[k] = (k - 1) * math.pi / n_orient end
local bars = {}
for k = 1, n_orient do bars[k] = oriented_bar(orientations[k], size) end
local pick = canns.random.randint({n_samples}, 1, n_orient + 1)
local rows = {}
for i = 1, n_samples do rows[i] = bars[pick[i]]:reshape({1, size * size}) end
local train_data = canns.concatenate(rows, 1)
print(("Generated %d oriented bar stimuli"):format(n_samples))
print(("Input dimension: %d"):format(size * size))

local n_neurons = 4
local model = canns.models.LinearLayer{input_size = size * size, output_size = n_neurons,
                                       use_bcm_threshold = true, threshold_tau = 50.0}
local trainer = canns.trainer.BCMTrainer{model = model, learning_rate = 0.00001}

local n_epochs, every = 100, 20
local theta_hist, norm_hist, epochs = {}, {}, {}
print(("\nTraining for %d epochs..."):format(n_epochs))
for epoch = 1, n_epochs do
  trainer:train(train_data)
  if epoch % every == 0 then
    local th, W = model.theta:astype("float64"), model.W:astype("float64")
    local nt, tt = {}, {}
    local norms = (W * W):sum(2):sqrt()
    for i = 1, n_neurons do tt[i] = th[i]; nt[i] = norms[i] end
    theta_hist[#theta_hist + 1], norm_hist[#norm_hist + 1], epochs[#epochs + 1] = tt, nt, epoch
    print(("Epoch %d/%d: Thresholds: [%.4f, %.4f], Weight range: [%.3f, %.3f]"):format(epoch, n_epochs,
          th:min(), th:max(), W:min(), W:max()))
  end
end
print("\nTraining complete!")

canns.mkdir(outdir)
model.W:save(outdir .. "/W.npy")
model.theta:save(outdir .. "/theta.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {14, 10}}
for k, h in ipairs{{theta_hist, "Threshold θ", "BCM Threshold Evolution"},
                   {norm_hist, "Weight Norm", "Weight Magnitude Evolution"}} do
  local ax = fig:subplot(3, 2, k)
  for i = 1, n_neurons do
    local y = {}
    for e = 1, #epochs do y[e] = h[1][e][i] end
    ax:plot(epochs, y, {label = "Neuron " .. i, marker = "o", markersize = 3})
  end
  ax:set_xlabel("Epoch"); ax:set_ylabel(h[2]); ax:set_title(h[3]); ax:legend{}; ax:grid(true, {alpha = 0.3})
end
for i = 1, n_neurons do
  local ax = fig:subplot(3, 2, 2 + i)
  local im = ax:imshow(model.W[i]:reshape({size, size}), {cmap = "RdBu_r", interpolation = "nearest"})
  ax:set_title(("Neuron %d Receptive Field"):format(i)); ax:axis("off")
  ax:colorbar(im, {})
end
fig:savefig(outdir .. "/bcm_receptive_fields.png")
print("\nPlot saved as '" .. outdir .. "/bcm_receptive_fields.png'")

print("\n" .. ("="):rep(60)); print("Testing Orientation Selectivity"); print(("="):rep(60))
local n_test = 16
local angles = canns.zeros({n_test}, "float64")
local rates = canns.zeros({n_test, n_neurons}, "float64")
for k = 1, n_test do
  angles[k] = (k - 1) * math.pi / n_test
  rates[k] = trainer:predict(oriented_bar(angles[k], size)):astype("float64")
end
local neurons = {}
for i = 1, n_neurons do neurons[i] = i end
viz.tuning_curve(angles, rates, neurons, {num_bins = n_test, title = "Orientation Tuning Curves",
  xlabel = "Orientation (radians)", ylabel = "Neuron Response", figsize = {10, 6},
  save_path = outdir .. "/bcm_orientation_tuning.png", show = false,
  kwargs = {linewidth = 2, marker = "o", markersize = 6}})
print("Tuning curve plot saved as '" .. outdir .. "/bcm_orientation_tuning.png'")
for i = 1, n_neurons do
  local best, bk = -math.huge, 1
  for k = 1, n_test do if rates[{k, i}] > best then best, bk = rates[{k, i}], k end end
  print(("Neuron %d prefers orientation: %.1f° (%.3f rad)"):format(i, math.deg(angles[bk]), angles[bk]))
end
