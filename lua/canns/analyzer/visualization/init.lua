--- canns.analyzer.visualization: figures and animations of the analyzer
-- (the Python toolkit's `canns.analyzer.visualization`), drawn by the C
-- figure layer (Cairo; GIF through giflib, MP4 through ffmpeg).
--
--     local viz = canns.analyzer.visualization
--     local cfg = viz.PlotConfigs.energy_landscape_1d_animation{
--       time_steps_per_second = 10, fps = 20, save_path = "out/tracking.gif"}
--     viz.energy_landscape_1d_animation({u = {x, u}, Iext = {x, inp}}, cfg)
--
-- Each plot family lives in its own file and is listed in `FAMILIES`; a
-- new figure is a function in one of them (or a new file plus its name
-- here).  The low-level figure API (`viz.figure`) is the C layer's:
-- fig:subplot, ax:plot/scatter/imshow/text/bar/..., fig:savefig,
-- fig:animate (see docs/figures.md).
-- @module canns.analyzer.visualization

local core = require "canns.core"
local config = require "canns.analyzer.visualization.config"
local render = require "canns.analyzer.visualization.render"

local viz = {}

viz.PlotConfig = config.PlotConfig
viz.PlotConfigs = config.PlotConfigs
viz.AnimationConfig = config.AnimationConfig
viz.finalize_figure = function(fig, cfg) return render.finalize(fig, cfg, "finalize_figure") end
viz.get_recommended_format = render.get_recommended_format

--- A new empty figure: `viz.figure{figsize = {w, h}}` (inches).
viz.figure = core.plot_figure
--- Names of the built-in colour maps (each also reversed with "_r").
viz.colormaps = core.plot_colormaps
--- Whether MP4/WebM output is possible (the ffmpeg program was found).
viz.video_available = core.plot_video_available

local FAMILIES = {
  "energy_landscape", -- energy_landscape_1d/2d_static/animation
  "spikes",           -- raster_plot, average_firing_rate_plot, population_activity_heatmap
  "tuning",           -- tuning_curve
  "heatmaps",         -- plot_firing_field_heatmap, plot_autocorrelation
  "spatial",          -- plot_internal_position_trajectory, grid score/spacing plots
  "tracking",         -- create_grid_cell_tracking_animation
  "theta_sweep",      -- theta-sweep plots and the grid/place-cell sweep animations
}

for _, family in ipairs(FAMILIES) do
  local m = require("canns.analyzer.visualization." .. family)
  for name, fn in pairs(m) do
    assert(viz[name] == nil, "visualization: " .. name .. " defined twice")
    viz[name] = fn
  end
end

return viz
