--- Energy landscapes: 1-D curves and 2-D heat maps, static or animated.
--
--     viz.energy_landscape_1d_animation({u = {cann.x, out.u}, Iext = {cann.x, out.inp}}, cfg)
--
-- 1-D data is a table label -> {x, y}: with a plain map the curves are drawn
-- in sorted label order; a list {{"u", x, y}, {"Iext", x, y}} keeps its
-- order.  Animated values are (time, points) arrays.
-- @module canns.analyzer.visualization.energy_landscape

local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"

local PlotConfigs = config.PlotConfigs
local fail = render.fail
local M = {}

-- The (label, x, y) entries of a data-set table, checked.
local function datasets(data, fname, animated)
  if type(data) ~= "table" then
    fail(fname, "argument 'data_sets' must be a table label -> {x, values}, got %s", type(data))
  end
  local entries = {}
  if #data > 0 then
    for i, e in ipairs(data) do
      if type(e) ~= "table" or type(e[1]) ~= "string" then
        fail(fname, "data_sets[%d] must be {label, x, values}", i)
      end
      entries[#entries + 1] = {label = e[1], x = e[2], y = e[3]}
    end
  else
    local labels = {}
    for k in pairs(data) do
      if type(k) ~= "string" then
        fail(fname, "data_sets must be keyed by label strings, got key %s", tostring(k))
      end
      labels[#labels + 1] = k
    end
    table.sort(labels)
    for _, k in ipairs(labels) do
      local e = data[k]
      if type(e) ~= "table" then fail(fname, "data_sets['%s'] must be {x, values}", k) end
      entries[#entries + 1] = {label = k, x = e[1], y = e[2]}
    end
  end
  if #entries == 0 then fail(fname, "The 'data_sets' dictionary cannot be empty.") end
  local T
  for _, e in ipairs(entries) do
    local what = "data_sets['" .. e.label .. "']"
    if e.x == nil or e.y == nil then fail(fname, "%s must hold x and values", what) end
    e.x = render.array(e.x, fname, what .. " x")
    e.y = render.array(e.y, fname, what .. " values")
    if e.x:ndim() ~= 1 then
      fail(fname, "%s: x must be 1-D, got shape %s", what, render.shape_str(e.x))
    end
    local want = animated and 2 or 1
    if e.y:ndim() ~= want then
      fail(fname, "%s: values must be %s, got shape %s", what,
           animated and "2-D (time, points)" or "1-D", render.shape_str(e.y))
    end
    local n = e.y:shape(want)
    if e.x:size() ~= n then
      fail(fname, "%s: x has %d points but the values have %d", what, e.x:size(), n)
    end
    if n == 0 or e.y:size() == 0 then fail(fname, "%s is empty", what) end
    if animated then
      local t = e.y:shape(1)
      if T and t ~= T then
        fail(fname, "All datasets must have the same number of time steps (%d vs %d).", T, t)
      end
      T = t
    end
  end
  return entries, T
end

local function style_axes(ax, cfg)
  ax:set_title(cfg.title, {fontsize = 16, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
end

-- One labelled curve per entry, each with the drawing options kw.
local function plot_entries(ax, entries, kw)
  for _, e in ipairs(entries) do
    local o = {}
    for k, v in pairs(kw) do o[k] = v end
    o.label = e.label
    ax:plot(e.x, e.y, o)
  end
end

-- The animations accept `output_dpi` in a plain options table (it is not
-- a PlotConfig field): returns the options without it, and its value.
local function take_output_dpi(cfg)
  if type(cfg) == "table" and not config.is_config(cfg) and cfg.output_dpi then
    local c = {}
    for k, v in pairs(cfg) do if k ~= "output_dpi" then c[k] = v end end
    return c, cfg.output_dpi
  end
  return cfg, nil
end

--- One curve per label.  Returns fig, ax.
-- @param data_sets label -> {x, y} (1-D arrays)
-- @param[opt] cfg PlotConfig or options (title, xlabel, ylabel, show_legend,
--   figsize, grid, save_path, show, drawing options)
function M.energy_landscape_1d_static(data_sets, cfg)
  local fname = "energy_landscape_1d_static"
  cfg = render.ensure_config(cfg, PlotConfigs.energy_landscape_1d_static, fname)
  local entries = datasets(data_sets, fname, false)
  local fig, ax = render.figure(cfg)
  plot_entries(ax, entries, render.split_kwargs(cfg, {}))
  style_axes(ax, cfg)
  if cfg.show_legend ~= false then ax:legend() end
  if cfg.grid then ax:grid(true, {linestyle = "--", alpha = 0.6}) end
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Animate curves over time; y-limits fixed to the global range with a
-- 10 % margin; a "Time: x.xx s" label in the top-left corner.
-- Writes cfg.save_path (.gif or .mp4) and returns an animation record
-- {figure, axes, path, steps (0-based), frames}.
-- @param data_sets label -> {x (n), values (T, n)}
-- @param[opt] cfg PlotConfig or options; time_steps_per_second (1000 by
--   default in the preset), fps (30), output_dpi (150), render_workers
function M.energy_landscape_1d_animation(data_sets, cfg)
  local fname = "energy_landscape_1d_animation"
  local output_dpi
  cfg, output_dpi = take_output_dpi(cfg)
  cfg = render.ensure_config(cfg, PlotConfigs.energy_landscape_1d_animation, fname)
  local entries, T = datasets(data_sets, fname, true)
  local S = cfg.time_steps_per_second
  local steps = render.frame_schedule(T, S, cfg.fps, fname)
  local lo, hi = math.huge, -math.huge
  for _, e in ipairs(entries) do
    lo = math.min(lo, e.y:min())
    hi = math.max(hi, e.y:max())
  end
  if lo ~= lo or hi ~= hi then fail(fname, "the values contain NaN") end
  local buffer = hi > lo and (hi - lo) * 0.1 or 1.0
  local fig, ax = render.figure(cfg)
  ax:set_ylim(lo - buffer, hi + buffer)
  plot_entries(ax, entries, render.split_kwargs(cfg, {}))
  style_axes(ax, cfg)
  if cfg.grid then ax:grid(true, {linestyle = "--", alpha = 0.6}) end
  ax:legend()
  ax:text(0.05, 0.9, render.time_labels(steps, S), {transform = "axes", fontsize = 12,
          bbox = {facecolor = "white", alpha = 0.7}})
  local path = render.animate(fig, cfg, steps, fname, output_dpi)
  return render.animation(fig, ax, path, steps)
end

--- A heat map of a 2-D array (rows = y, origin lower) with a colour bar.
-- Returns fig, ax.
function M.energy_landscape_2d_static(z_data, cfg)
  local fname = "energy_landscape_2d_static"
  cfg = render.ensure_config(cfg, PlotConfigs.energy_landscape_2d_static, fname)
  z_data = render.array(z_data, fname, "z_data")
  render.check_ndim(z_data, 2, fname, "z_data", "(dim_y, dim_x)")
  local fig, ax = render.figure(cfg)
  local kw = render.split_kwargs(cfg, {})
  kw.origin, kw.aspect = "lower", "auto"
  local im = ax:imshow(z_data, kw)
  style_axes(ax, cfg)
  ax:colorbar(im, {label = cfg.clabel})
  if cfg.grid then ax:grid(true, {linestyle = "--", alpha = 0.6}) end
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Animate a (time, rows, cols) array as a heat map with a fixed colour
-- range (global min/max).  Returns an animation record (see 1-D).
function M.energy_landscape_2d_animation(zs_data, cfg)
  local fname = "energy_landscape_2d_animation"
  local output_dpi
  cfg, output_dpi = take_output_dpi(cfg)
  cfg = render.ensure_config(cfg, PlotConfigs.energy_landscape_2d_animation, fname)
  zs_data = render.array(zs_data, fname, "zs_data")
  if cfg.time_steps_per_second == nil then fail(fname, "time_steps_per_second is required") end
  if zs_data:ndim() ~= 3 then
    fail(fname, "Input zs_data must be a 3D array with shape (timesteps, dim_y, dim_x), got %s",
         render.shape_str(zs_data))
  end
  if zs_data:size() == 0 then fail(fname, "Input zs_data must not be empty.") end
  local S = cfg.time_steps_per_second
  local steps = render.frame_schedule(zs_data:shape(1), S, cfg.fps, fname)
  local vmin, vmax = zs_data:min(), zs_data:max()
  local fig, ax = render.figure(cfg)
  local kw = render.split_kwargs(cfg, {})
  kw.origin, kw.aspect = "lower", "auto"
  kw.vmin, kw.vmax = vmin, vmax
  local im = ax:imshow(zs_data, kw)
  ax:colorbar(im, {label = cfg.clabel, fontsize = 12})
  style_axes(ax, cfg)
  if cfg.grid then ax:grid(true, {linestyle = "--", alpha = 0.4, color = "white"}) end
  ax:text(0.05, 0.95, render.time_labels(steps, S), {transform = "axes", fontsize = 12,
          color = "white", va = "top", bbox = {facecolor = "black", alpha = 0.5}})
  local path = render.animate(fig, cfg, steps, fname, output_dpi)
  return render.animation(fig, ax, path, steps)
end

return M
