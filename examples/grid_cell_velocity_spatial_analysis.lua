-- Spatial analysis of the velocity grid-cell sheet (Burak & Fiete 2009):
-- heal the network, sample its rate maps systematically, then the spatial
-- autocorrelation, grid score and grid spacing of the most active cells,
-- with their figures.
--
--   build/canns examples/grid_cell_velocity_spatial_analysis.lua [output folder]
--       (default out/grid_cell_velocity_spatial_analysis)
--
-- Twin of examples/cann/grid_cell_velocity_spatial_analysis.py of the
-- Python toolkit, scaled down to run in seconds: a 24 x 24 sheet
-- (lambda_net 12) in a 0.72 m box at 24 x 24 bins, where upstream uses
-- 50 x 50 neurons, a 2.2 m box and 100 x 100 bins (about 1.5 million steps;
-- set FULL=1 in the environment for upstream's sizes).  As upstream, the
-- maps are smoothed (gaussian_smooth_heatmaps, sigma 2) and the cells with
-- the highest smoothed peaks analysed.
local canns = require "canns"
local M = canns.analyzer.metrics
local viz = canns.analyzer.visualization

local outdir = arg and arg[1] or "out/grid_cell_velocity_spatial_analysis"
local full = os.getenv("FULL") == "1"

canns.set_dt(5e-4)
canns.random.seed(1)
local model = full and canns.models.GridCell2DVelocity{length = 50, tau = 0.01, alpha = 0.1, W_l = 2.0, lambda_net = 17.0}
                    or canns.models.GridCell2DVelocity{length = 24, lambda_net = 12}
print(("Network: %d neurons (%s)"):format(model.num, model.method))
print("Running healing process...")
model:heal_network{num_healing_steps = 10000, dt_healing = full and 1e-4 or 2e-4}

local box = full and 2.2 or 0.72
local R = full and 100 or 24
local rm = M.compute_systematic_ratemap(model, {box_width = box, box_height = box, resolution = R,
                                                speed = full and 0.3 or 1.0, num_batches = 10})

-- (neurons, x bins, y bins) as upstream's transpose, smoothed; the highest peaks
local smooth = M.gaussian_smooth_heatmaps(rm:transpose({3, 1, 2}):copy(), 2.0)
local peaks = smooth:max(3):max(2):flatten():totable()
local order = {}
for n = 1, model.num do order[n] = n end
table.sort(order, function(a, b) return peaks[a] > peaks[b] end)
local ncells = 3

canns.mkdir(outdir)
rm:save(outdir .. "/ratemaps.npy")
local scores = {}
for k = 1, ncells do
  local cell = order[k]
  -- rm is [x bin][y bin]; figures show y up the rows as upstream's (x, y) map
  local map = smooth:slice(1, cell):reshape({R, R})
  local ac = M.compute_spatial_autocorrelation(map)
  local score, corrs = M.compute_grid_score(ac)
  local bins, metres = M.find_grid_spacing(ac, box / R)
  scores[k] = score
  print(("Cell %d: Grid Score=%.3f, Spacing=%.3fm"):format(cell - 1, score, metres))
  viz.plot_firing_field_heatmap(map, viz.PlotConfigs.firing_field_heatmap{
    title = ("Cell %d Firing Field (Grid Score=%.3f)"):format(cell - 1, score),
    save_path = ("%s/cell%d_ratemap.png"):format(outdir, cell - 1), show = false})
  viz.plot_autocorrelation(ac, viz.PlotConfigs.grid_autocorrelation{
    title = ("Cell %d Spatial Autocorrelation"):format(cell - 1),
    save_path = ("%s/cell%d_autocorr.png"):format(outdir, cell - 1), show = false})
  viz.plot_grid_score(corrs, score, viz.PlotConfigs.grid_score_plot{
    save_path = ("%s/cell%d_gridscore.png"):format(outdir, cell - 1), show = false})
end
local mean = 0
for _, s in ipairs(scores) do mean = mean + s / #scores end
print(("\nMean grid score: %.3f"):format(mean))
print("Outputs saved to: " .. outdir .. "/")
