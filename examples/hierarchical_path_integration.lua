-- Hierarchical path integration (band cells -> grid modules -> place
-- cells): a random walk in a 5 x 5 m box, the network anchored at the
-- start by a location input, then driven by velocity alone; firing fields
-- of band, grid and place cells from the recorded rates.
--
--   build/canns examples/hierarchical_path_integration.lua [output folder]
--       (default out/hierarchical_path_integration)
--
-- Twin of examples/cann/hierarchical_path_integration.py of the Python
-- toolkit, scaled down to run in seconds: 400 s of walk (8 000 steps of
-- 50 ms) at 0.2 +- 0.08 m/s, so that the walk covers the box, where
-- upstream walks 50 000 s (10^6 steps) at 0.04 +- 0.016 m/s (set FULL=1 in
-- the environment for upstream's walk).  As upstream: 5 modules, 30 x 30
-- place cells, 500 initialisation steps at the start position (location
-- input 100 for the first 400), rate maps of 50 x 50 bins smoothed, and
-- figures of cells 0-4 of every module's band x, band y and grid
-- populations and of place cells 0, 5, 10, 15, 20.
local canns = require "canns"
local metrics = canns.analyzer.metrics
local viz = canns.analyzer.visualization

local outdir = arg and arg[1] or "out/hierarchical_path_integration"
local full = os.getenv("FULL") == "1"
canns.mkdir(outdir)

canns.set_dt(0.05)
local task = canns.task.OpenLoopNavigationTask{
  width = 5, height = 5, speed_mean = full and 0.04 or 0.2, speed_std = full and 0.016 or 0.08,
  duration = full and 50000.0 or 400.0, dt = 0.05, start_pos = {2.5, 2.5}, rng_seed = 1,
  progress_bar = false}
task:get_data()
task:show_data{show = false, save_path = outdir .. "/trajectory_graph.png"}
local pos, vel = task.data.position, task.data.velocity
local T = pos:shape()[1]

local net = canns.models.HierarchicalNetwork{num_module = 5, num_place = 30}
print(("HierarchicalNetwork: 5 modules (%s products), %d place cells; %d steps"):format(
  net.method, net.num_place, T))

-- initialisation: 500 steps at the start, location input for the first 400
local stre = canns.zeros({500})
stre:slice(1, {1, 400}):fill(100)
local p0 = {pos[1][1], pos[1][2]}
local still = {}
for i = 1, 500 do still[i] = p0 end
canns.run(net, {velocity = canns.zeros({500, 2}), loc = canns.array(still), loc_input_stre = stre})

local t0 = os.clock()
local rec = canns.run(net, {velocity = vel, loc = pos},
                      {record = {"band_x_fr", "band_y_fr", "grid_fr", "place_fr", "decoded_pos"},
                       progress = true})
print(("Path integration: %.1f s CPU"):format(os.clock() - t0))
local err = ((rec.decoded_pos - pos) ^ 2):sum(2):sqrt()
print(("Decoded position: mean error %.3f m, final %.3f m"):format(err:mean(), err[T]))

-- firing fields (50 x 50 bins over the box), smoothed
local W, H, Mb, Kb = 5, 5, 50, 50
local function fields(r) return metrics.gaussian_smooth_heatmaps(
  metrics.compute_firing_field(r:reshape({T, -1}), pos, W, H, Mb, Kb)) end
local heat = {band_x = fields(rec.band_x_fr), band_y = fields(rec.band_y_fr),
              grid = fields(rec.grid_fr), place = fields(rec.place_fr)}

local dir = outdir .. "/heatmap_figures"
canns.mkdir(dir)
local cfg = viz.PlotConfig
local nsaved = 0
for _, kind in ipairs {"band_x", "band_y", "grid"} do
  local h = heat[kind]
  local per = h:shape()[1] // 5
  for m = 0, 4 do
    for c = 0, 4 do
      viz.plot_firing_field_heatmap(h:slice(1, m * per + c + 1):reshape({Mb, Kb}),
        cfg{figsize = {5, 5}, show = false,
            save_path = ("%s/heatmap_%s_module_%d_cell_%d.png"):format(dir, kind, m, c)})
      nsaved = nsaved + 1
    end
  end
end
for _, c in ipairs {0, 5, 10, 15, 20} do
  viz.plot_firing_field_heatmap(heat.place:slice(1, c + 1):reshape({Mb, Kb}),
    cfg{figsize = {5, 5}, show = false, save_path = ("%s/heatmap_place_cell_%d.png"):format(dir, c)})
  nsaved = nsaved + 1
end
print(("Saved %d heatmaps in %s"):format(nsaved, dir))
