--- The grid-cell tracking animation (upstream
-- `canns.analyzer.visualization.spatial_plots.create_grid_cell_tracking_animation`).
-- @module canns.analyzer.visualization.tracking

local core = require "canns.core"
local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"

local fail = render.fail
local M = {}

local OWN = {time_steps_per_second = true, env_size = true, dt = true, output_dpi = true, render_workers = true}

--- Three synchronised panels (upstream `create_grid_cell_tracking_animation`):
-- the trajectory (grey) with the current position (red dot), the cell's
-- activity over time (faint, with the trace so far in blue and a red
-- marker) and the rate map (`hot`, transposed, origin lower, over
-- [0, env_size]^2) with the position as a cyan star; the title shows
-- "<title>  |  Time: t s".  Frames follow Python's schedule:
-- int(T / time_steps_per_second * fps) frames at steps
-- int(linspace(0, T - 1, frames)).  The star has no white edge (the
-- figure layer draws markers in one colour).
-- @param position (T, 2)
-- @param activity (T)
-- @param rate_map (M, K)
-- @param[opt] cfg a PlotConfig (`PlotConfigs.grid_cell_tracking_animation`) or
--   options: `time_steps_per_second` (required), `fps` (20), `title`, `figsize`
--   ({15, 5}), `env_size` (1.0), `dt` (1.0, ms), `repeat`, `save_path`, `show`,
--   `show_progress_bar`, `output_dpi` (150)
-- @treturn table the animation record `{figure, axes, path, steps, frames}`
function M.create_grid_cell_tracking_animation(position, activity, rate_map, cfg)
  local fname = "create_grid_cell_tracking_animation"
  local own = {}
  if type(cfg) == "table" and not config.is_config(cfg) then
    local c = {}
    for k, v in pairs(cfg) do if OWN[k] then own[k] = v else c[k] = v end end
    cfg = c
    if own.time_steps_per_second ~= nil then cfg.time_steps_per_second = own.time_steps_per_second end
  end
  cfg = render.ensure_config(cfg, function(kw)
    return config.PlotConfigs.grid_cell_tracking_animation(kw)
  end, fname)
  local S = cfg.time_steps_per_second
  if S == nil then fail(fname, "time_steps_per_second must be given (in the options or the config)") end
  local env = own.env_size or 1.0
  local dt = own.dt or 1.0
  if type(env) ~= "number" or not (env > 0) then fail(fname, "env_size must be a positive number") end
  if type(dt) ~= "number" or not (dt > 0) then fail(fname, "dt must be a positive number") end
  position = render.array(position, fname, "position")
  activity = render.array(activity, fname, "activity")
  rate_map = render.array(rate_map, fname, "rate_map")
  if position:ndim() ~= 2 or position:shape(2) ~= 2 then
    fail(fname, "position must be (T, 2), got shape %s", render.shape_str(position))
  end
  if activity:ndim() ~= 1 then fail(fname, "activity must be 1-D, got shape %s", render.shape_str(activity)) end
  local T = position:shape(1)
  if activity:size() ~= T then
    fail(fname, "position and activity must have the same length: %d != %d", T, activity:size())
  end
  render.check_ndim(rate_map, 2, fname, "rate_map", "(M, K)")
  local steps, F = render.frame_schedule(T, S, cfg.fps, fname)
  local P = position:astype("float64"):totable()
  local act = activity:astype("float64"):totable()
  local amax = -math.huge
  for _, v in ipairs(act) do
    if v ~= v then fail(fname, "activity must not contain NaN") end
    amax = math.max(amax, v)
  end
  local time = {}
  for i = 1, T do time[i] = (i - 1) * dt end
  -- animated artists hold one row per step (frame f draws row steps[f] + 1)
  local dotx, doty, mk_x, mk_y, labels = {}, {}, {}, {}, {}
  for i = 1, T do dotx[i], doty[i], mk_x[i], mk_y[i] = {P[i][1]}, {P[i][2]}, {time[i]}, {act[i]} end
  for f = 1, F do labels[f] = ("%s  |  Time: %.2f s"):format(cfg.title, steps[f] * dt / 1000.0) end
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax1, ax2, ax3 = fig:subplot(1, 3, 1), fig:subplot(1, 3, 2), fig:subplot(1, 3, 3)
  local xs, ys = {}, {}
  for i = 1, T do xs[i], ys[i] = P[i][1], P[i][2] end
  ax1:plot(xs, ys, {color = "gray", alpha = 0.3, linewidth = 0.5})
  ax1:plot(core.array(dotx, "float64"), core.array(doty, "float64"),
           {marker = "o", color = "red", markersize = 8, linestyle = "none", label = "Current Position"})
  ax1:set_xlim(0, env)
  ax1:set_ylim(0, env)
  ax1:set_xlabel("X Position (m)", {fontsize = 10})
  ax1:set_ylabel("Y Position (m)", {fontsize = 10})
  ax1:set_title("Trajectory", {fontsize = 11, fontweight = "bold"})
  ax1:set_aspect("equal")
  ax1:grid(true, {alpha = 0.3})
  ax2:plot(time, act, {color = "steelblue", alpha = 0.3, linewidth = 0.5})
  ax2:plot(time, act, {color = "blue", linewidth = 2, label = "Activity", progressive = true})
  ax2:plot(core.array(mk_x, "float64"), core.array(mk_y, "float64"),
           {marker = "o", color = "red", markersize = 6, linestyle = "none"})
  ax2:set_xlim(0, time[T] > 0 and time[T] or 1)
  ax2:set_ylim(0, amax > 0 and amax * 1.1 or 1)
  ax2:set_xlabel("Time (ms)", {fontsize = 10})
  ax2:set_ylabel("Firing Rate", {fontsize = 10})
  ax2:set_title("Activity", {fontsize = 11, fontweight = "bold"})
  ax2:grid(true, {alpha = 0.3})
  local im = ax3:imshow(rate_map:astype("float64"):transpose({2, 1}):copy(),
                        {origin = "lower", cmap = "hot", extent = {0, env, 0, env}, aspect = "auto"})
  ax3:plot(core.array(dotx, "float64"), core.array(doty, "float64"),
           {marker = "*", color = "cyan", markersize = 15, linestyle = "none"})
  ax3:set_xlabel("X Position (m)", {fontsize = 10})
  ax3:set_ylabel("Y Position (m)", {fontsize = 10})
  ax3:set_title("Firing Rate Map", {fontsize = 11, fontweight = "bold"})
  ax3:colorbar(im)
  fig:suptitle(" ", {fontsize = 13, fontweight = "bold"}) -- room for the per-frame title
  fig:text(0.5, 0.99, labels, {fontsize = 13, fontweight = "bold", ha = "center", va = "top"})
  local path = render.animate(fig, cfg, steps, fname, own.output_dpi, own.render_workers)
  return render.animation(fig, {ax1, ax2, ax3}, path, steps)
end

return M
