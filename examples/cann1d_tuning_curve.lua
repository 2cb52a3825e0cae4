-- Tuning curves of single neurons of a ring CANN: the input sweeps
-- 0 -> 0 -> pi -> 2pi (segments of 2, 20 and 20 units; 420 steps) and the
-- mean rate of neurons 128, 256 and 384 (0-based, as upstream) is binned
-- against the stimulus position (50 bins, scipy's binned_statistic rule:
-- equal bins over [min, max], the last one closed; empty bins are NaN).
--
--   build/canns examples/cann1d_tuning_curve.lua [output folder]
--                                          (default out/cann1d_tuning_curve)
--
-- Twin of examples/cann/cann1d_tuning_curve.py of the Python toolkit.
local canns = require "canns"

local outdir = arg and arg[1] or "out/cann1d_tuning_curve"

canns.set_dt(0.1)
local cann = canns.models.CANN1D{num = 512, z_min = -math.pi, z_max = math.pi}

local task = canns.task.SmoothTracking1D{
  cann_instance = cann,
  Iext = {0.0, 0.0, math.pi, 2 * math.pi},
  duration = {2.0, 20.0, 20.0},
  time_step = canns.get_dt(),
}
task:get_data()

local out = canns.run(cann, task.data, {record = {"r", "inp"}})
local rs = out.r                                     -- (420, 512)
local stimulus = task.Iext_sequence:reshape({-1})    -- (420,) float64, unwrapped

-- Binned mean rate per neuron (array operations in C).
local neurons = {128, 256, 384}                      -- 0-based indices, as upstream
local num_bins = 50
local lo, hi = stimulus:min(), stimulus:max()
local width = (hi - lo) / num_bins
local bin = canns.floor((stimulus - lo) / width)
bin = canns.where(canns.ge(bin, num_bins), num_bins - 1, bin)  -- the last edge is closed
local centers = canns.zeros(num_bins, "float64")
local curves = canns.zeros({num_bins, #neurons}, "float64")
local rates = canns.concatenate({
  rs:slice(2, neurons[1] + 1), rs:slice(2, neurons[2] + 1), rs:slice(2, neurons[3] + 1),
}, 2):astype("float64")                              -- (420, 3)
for b = 1, num_bins do
  centers[b] = lo + (b - 0.5) * width
  local mask = canns.eq(bin, b - 1):astype("float64"):reshape({-1, 1})
  local count = mask:sum()
  local mean = (rates * mask):sum(1) / count         -- NaN for an empty bin
  for j = 1, #neurons do curves[{b, j}] = mean[j] end
end

canns.mkdir(outdir)
rs:save(outdir .. "/r.npy")
stimulus:save(outdir .. "/stimulus.npy")
centers:save(outdir .. "/bin_centers.npy")
curves:save(outdir .. "/tuning_curves.npy")          -- (50, 3): neurons 128, 256, 384
cann.x:save(outdir .. "/x.npy")

-- [figures] Tuning curves of the three neurons (Python: tuning_curve with
-- num_bins = 50, pref_stim = cann.x, title "Tuning Curves of Selected
-- Neurons", xlabel "Stimulus Position (rad)", ylabel "Average Firing Rate").
local function draw_figures(dir)
  local viz = canns.analyzer.visualization or require "canns.analyzer.visualization"
  local cfg = viz.PlotConfigs.tuning_curve{
    num_bins = 50, pref_stim = cann.x, title = "Tuning Curves of Selected Neurons",
    xlabel = "Stimulus Position (rad)", ylabel = "Average Firing Rate",
    save_path = dir .. "/tuning_curves.png", show = false,
    kwargs = {linewidth = 2, marker = "o", markersize = 4}}
  -- Lua indices are 1-based: neurons 128, 256, 384 of the Python example
  viz.tuning_curve(stimulus, rs, {neurons[1] + 1, neurons[2] + 1, neurons[3] + 1}, cfg)
end
draw_figures(outdir)
-- [/figures]

for j, n in ipairs(neurons) do
  local best, bi = -1, 1
  for b = 1, num_bins do
    local v = curves[{b, j}]
    if v == v and v > best then best, bi = v, b end
  end
  print(string.format("neuron %d (x = %.3f): peak rate %.5f at stimulus %.3f", n, cann.x[n + 1],
                      best, centers[bi]))
end
print("wrote r.npy, stimulus.npy, bin_centers.npy, tuning_curves.npy, x.npy to " .. outdir)
