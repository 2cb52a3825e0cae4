-- Spatial analysis of the position-driven grid-cell module
-- (GridCell2DPosition): drive it along an open-loop walk, build firing
-- fields from its activity, then the autocorrelation, grid score and
-- spacing of the most active cells, with their figures and a tracking
-- animation of the best one.
--
--   build/canns examples/grid_cell_position_spatial_analysis.lua [output folder]
--       (default out/grid_cell_position_spatial_analysis)
--
-- Twin of examples/cann/grid_cell_position_spatial_analysis.py of the
-- Python toolkit with its model and analysis parameters, on a shorter walk
-- so that it runs in seconds (400 ms of 0.1 ms steps, 40 x 40 bins; upstream
-- walks 4000 ms at 80 x 80 bins: set FULL=1 in the environment for that).
local canns = require "canns"
local M = canns.analyzer.metrics
local viz = canns.analyzer.visualization

local outdir = arg and arg[1] or "out/grid_cell_position_spatial_analysis"
local full = os.getenv("FULL") == "1"
canns.mkdir(outdir)

local dt = 1.0
canns.set_dt(dt)
canns.random.seed(1)
local env_size, bins, ncells = 3.0, full and 80 or 40, 3

local task = canns.task.OpenLoopNavigationTask{duration = full and 4000.0 or 400.0, width = env_size,
  height = env_size, start_pos = {0.5, 0.5}, speed_mean = full and 0.4 or 4.0, speed_std = full and 0.1 or 1.0,
  dt = dt / 10.0, rng_seed = 1, progress_bar = false}
task:get_data()
local position = task.data.position

local gc = canns.models.GridCell2DPosition{length = 40, mapping_ratio = 6.0, tau = 10.0, k = 0.5, a = 0.8,
                                           A = 15.0, J0 = 10.0, noise_strength = 0.2, g = 100.0}
local out = canns.run(gc, {position = position}, {record = {"r", "center_position"}, progress = true})
local err = (position - out.center_position):pow(2):sum(2):sqrt():mean()
print(("Simulation complete. Position error: %.4fm"):format(err))

local fields = M.compute_firing_field(out.r, position, env_size, env_size, bins, bins)
local smooth = M.gaussian_smooth_heatmaps(fields, 1.0)

-- the cells with the highest peak rates
local peaks = smooth:max(3):max(2):flatten():totable()
local order = {}
for n = 1, #peaks do order[n] = n end
table.sort(order, function(a, b) return peaks[a] > peaks[b] end)

local bin_size = env_size / bins
local scores = {}
for k = 1, ncells do
  local cell = order[k]
  local name = cell - 1 -- upstream's 0-based cell index in file names
  local map = smooth:slice(1, cell):reshape({bins, bins})
  local ac = M.compute_spatial_autocorrelation(map)
  local score, corrs = M.compute_grid_score(ac)
  local sbins, metres = M.find_grid_spacing(ac, bin_size)
  scores[k] = score
  print(("Cell %d: Grid Score=%.3f, Spacing=%.3fm"):format(name, score, metres))
  viz.plot_firing_field_heatmap(map, viz.PlotConfig{title = ("Cell %d Firing Field"):format(name), figsize = {5, 5},
    save_path = ("%s/cell_%d_firing_field.png"):format(outdir, name), show = false})
  viz.plot_autocorrelation(ac, viz.PlotConfigs.grid_autocorrelation{title = ("Cell %d Autocorrelation"):format(name),
    save_path = ("%s/cell_%d_autocorr.png"):format(outdir, name), show = false})
  viz.plot_grid_score(corrs, score, viz.PlotConfigs.grid_score_plot{title = ("Cell %d Grid Score"):format(name),
    save_path = ("%s/cell_%d_gridscore.png"):format(outdir, name), show = false})
  viz.plot_grid_spacing_analysis(ac, sbins, bin_size, viz.PlotConfigs.grid_spacing_plot{
    title = ("Cell %d Spacing"):format(name), save_path = ("%s/cell_%d_spacing.png"):format(outdir, name), show = false})
end

local best = order[1]
print(("\nCreating animation for Cell %d..."):format(best - 1))
viz.create_grid_cell_tracking_animation(position, out.r:slice(2, best):flatten(),
  smooth:slice(1, best):reshape({bins, bins}),
  {time_steps_per_second = math.floor(500 / dt) * (full and 1 or 10), fps = full and 20 or 10,
   title = ("Cell %d Tracking"):format(best - 1), env_size = env_size, dt = dt,
   save_path = ("%s/cell_%d_tracking.gif"):format(outdir, best - 1), show = false, show_progress_bar = false})

local mean = 0
for _, s in ipairs(scores) do mean = mean + s / #scores end
print(("\nMean grid score: %.3f"):format(mean))
print("Outputs saved to: " .. outdir .. "/")
