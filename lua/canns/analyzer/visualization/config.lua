--- Plot configuration: `PlotConfig`, the `PlotConfigs` presets and
-- `AnimationConfig`, with the Python toolkit's defaults.
--
--     local cfg = viz.PlotConfigs.energy_landscape_1d_animation{
--       time_steps_per_second = 10, fps = 20, save_path = "out/a.gif"}
--
-- `repeat` is a Lua keyword: write `["repeat"] = false` (or `loop = false`).
-- Keys that are not configuration fields are an error; drawing options
-- (matplotlib keyword arguments such as `color`, `linewidth`, `cmap`) go
-- in `kwargs`.
-- @module canns.analyzer.visualization.config

local M = {}

--- Fields of a PlotConfig and their defaults (Python's dataclass).
local FIELDS = {
  title = "", xlabel = "", ylabel = "", figsize = {10, 6}, grid = false,
  save_path = false, show = true, time_steps_per_second = false, fps = 30,
  ["repeat"] = true, show_progress_bar = true, render_backend = false,
  render_workers = false, render_start_method = false, show_legend = true,
  color = "black", clabel = "Value", kwargs = false, savefig_kwargs = false,
  rasterized = false, save_dpi = 300, save_bbox_inches = "tight",
  save_format = false, verbose = false,
  -- attributes some presets add (Python sets them on the instance)
  mode = false, num_bins = false, pref_stim = false,
}
M.FIELDS = FIELDS

local TYPES = {
  title = "string", xlabel = "string", ylabel = "string", grid = "boolean",
  save_path = "string", show = "boolean", fps = "number", ["repeat"] = "boolean",
  show_progress_bar = "boolean", render_backend = "string",
  render_start_method = "string", show_legend = "boolean", clabel = "string",
  kwargs = "table", savefig_kwargs = "table", rasterized = "boolean",
  save_dpi = "number", save_bbox_inches = "string", save_format = "string",
  verbose = "boolean", mode = "string", num_bins = "number",
}

local PlotConfig = {}
PlotConfig.__index = PlotConfig
PlotConfig.__name = "PlotConfig"
M.PlotConfig = PlotConfig

local function copy(t)
  local c = {}
  for k, v in pairs(t) do c[k] = v end
  return c
end

local fail = require("canns.argcheck").error -- the shared checker: "fname: message"

local function check_value(fname, k, v)
  if k == "figsize" then
    if type(v) ~= "table" or type(v[1]) ~= "number" or type(v[2]) ~= "number"
        or not (v[1] > 0 and v[2] > 0) then
      fail(fname, "option 'figsize' must be {width, height} in inches, got %s", tostring(v))
    end
  elseif k == "time_steps_per_second" then
    if type(v) ~= "number" or not (v > 0) or v == math.huge then
      fail(fname, "option 'time_steps_per_second' must be a positive number, got %s", tostring(v))
    end
  elseif k == "render_workers" then
    if math.type(v) ~= "integer" or v < 0 then
      fail(fname, "option 'render_workers' must be a non-negative integer, got %s", tostring(v))
    end
  elseif k == "color" then
    if type(v) ~= "string" and type(v) ~= "table" then
      fail(fname, "option 'color' must be a colour, got %s", tostring(v))
    end
  elseif k == "pref_stim" then
    if type(v) ~= "table" and type(v) ~= "userdata" then
      fail(fname, "option 'pref_stim' must be an array or a table of numbers")
    end
  elseif v == false and (TYPES[k] == "string" or TYPES[k] == "table") then
    return -- false stands for Python's None (e.g. save_bbox_inches = false)
  elseif TYPES[k] and type(v) ~= TYPES[k] then
    fail(fname, "option '%s' must be a %s, got %s", k, TYPES[k], tostring(v))
  end
  if k == "fps" and not (v > 0 and v <= 1000) then
    fail(fname, "option 'fps' must be in (0, 1000], got %s", tostring(v))
  end
  if k == "save_dpi" and not (v > 0 and v <= 2400) then
    fail(fname, "option 'save_dpi' must be in (0, 2400], got %s", tostring(v))
  end
end

--- Create a configuration.  Unknown keys are errors.
-- @tparam[opt] table kw fields (see `FIELDS`)
-- @treturn PlotConfig
function M.new(kw, fname)
  fname = fname or "PlotConfig"
  kw = kw or {}
  if type(kw) ~= "table" then fail(fname, "options must be a table, got %s", type(kw)) end
  local cfg = setmetatable({}, PlotConfig)
  for k, v in pairs(FIELDS) do
    if v ~= false then cfg[k] = type(v) == "table" and copy(v) or v end
  end
  for k, v in pairs(kw) do
    if k == "loop" then k = "repeat" end
    if FIELDS[k] == nil then
      local names = {}
      for n in pairs(FIELDS) do names[#names + 1] = n end
      table.sort(names)
      fail(fname, "unknown option '%s' (expected one of: %s)", tostring(k), table.concat(names, ", "))
    end
    check_value(fname, k, v)
    if v == false and (TYPES[k] == "string" or TYPES[k] == "table") then v = nil end
    if type(v) == "table" and k ~= "pref_stim" then v = copy(v) end
    cfg[k] = v
  end
  cfg.kwargs = cfg.kwargs or {}
  return cfg
end

setmetatable(PlotConfig, {__call = function(_, kw) return M.new(kw) end})

--- Is `v` a PlotConfig?
function M.is_config(v) return getmetatable(v) == PlotConfig end

--- A configuration for static plots (time_steps_per_second cleared).
function PlotConfig.for_static_plot(kw)
  local cfg = M.new(kw, "PlotConfig.for_static_plot")
  cfg.time_steps_per_second = nil
  return cfg
end

--- A configuration for animations.
function PlotConfig.for_animation(time_steps_per_second, kw)
  kw = copy(kw or {})
  kw.time_steps_per_second = time_steps_per_second
  return M.new(kw, "PlotConfig.for_animation")
end

--- Drawing options: kwargs plus `rasterized` when set (Python's
-- to_matplotlib_kwargs).
function PlotConfig:to_matplotlib_kwargs()
  local kw = copy(self.kwargs or {})
  if self.rasterized ~= nil and kw.rasterized == nil then kw.rasterized = self.rasterized end
  return kw
end

--- Save options: savefig_kwargs, then dpi, bbox_inches and format.
function PlotConfig:to_savefig_kwargs()
  local kw = copy(self.savefig_kwargs or {})
  if kw.dpi == nil then kw.dpi = self.save_dpi end
  if self.save_bbox_inches ~= nil and kw.bbox_inches == nil then kw.bbox_inches = self.save_bbox_inches end
  if self.save_format ~= nil and kw.format == nil then kw.format = self.save_format end
  return kw
end

--- A copy with some fields replaced.
function PlotConfig:replace(kw)
  local c = setmetatable(copy(self), PlotConfig)
  c.kwargs = copy(self.kwargs or {})
  for k, v in pairs(kw or {}) do
    if FIELDS[k] == nil then fail("PlotConfig:replace", "unknown option '%s'", tostring(k)) end
    check_value("PlotConfig:replace", k, v)
    if v == false and (TYPES[k] == "string" or TYPES[k] == "table") then v = nil end
    c[k] = v
  end
  return c
end

function PlotConfig:__tostring()
  local keys = {}
  for k in pairs(self) do keys[#keys + 1] = k end
  table.sort(keys)
  local parts = {}
  for _, k in ipairs(keys) do
    local v = self[k]
    if type(v) == "string" then v = string.format("%q", v)
    elseif type(v) == "table" and k == "figsize" then v = "{" .. v[1] .. ", " .. v[2] .. "}"
    else v = tostring(v) end
    parts[#parts + 1] = k .. " = " .. v
  end
  return "PlotConfig{" .. table.concat(parts, ", ") .. "}"
end

-- ------------------------------------------------------------ presets

local function merge(defaults, kw)
  local d = copy(defaults)
  for k, v in pairs(kw or {}) do d[k] = v end
  return d
end

-- Presets whose drawing options (kwargs) have defaults merge the user's
-- kwargs into them, as Python does.
local function with_kwargs(defaults, plot_kwargs, kw)
  kw = copy(kw or {})
  local pk = copy(plot_kwargs)
  for k, v in pairs(kw.kwargs or {}) do pk[k] = v end
  kw.kwargs = pk
  return merge(defaults, kw)
end

local function static(name, defaults, plot_kwargs)
  return function(kw)
    local fname = "PlotConfigs." .. name
    if kw ~= nil and type(kw) ~= "table" then fail(fname, "options must be a table") end
    local d = plot_kwargs and with_kwargs(defaults, plot_kwargs, kw) or merge(defaults, kw)
    local cfg = M.new(d, fname)
    cfg.time_steps_per_second = nil
    return cfg
  end
end

local function animation(name, defaults, tsps_default, plot_kwargs)
  return function(kw)
    local fname = "PlotConfigs." .. name
    if kw ~= nil and type(kw) ~= "table" then fail(fname, "options must be a table") end
    kw = copy(kw or {})
    local tsps = kw.time_steps_per_second
    if tsps == nil then tsps = tsps_default end
    kw.time_steps_per_second = nil
    local d = plot_kwargs and with_kwargs(defaults, plot_kwargs, kw) or merge(defaults, kw)
    d.time_steps_per_second = tsps
    return M.new(d, fname)
  end
end

local PlotConfigs = {}
M.PlotConfigs = PlotConfigs

PlotConfigs.energy_landscape_1d_static = static("energy_landscape_1d_static", {
  title = "1D Energy Landscape", xlabel = "Collective Variable / State", ylabel = "Energy",
  figsize = {10, 6}})
PlotConfigs.energy_landscape_1d_animation = animation("energy_landscape_1d_animation", {
  title = "Evolving 1D Energy Landscape", xlabel = "Collective Variable / State",
  ylabel = "Energy", figsize = {10, 6}, fps = 30}, 1000)
PlotConfigs.energy_landscape_2d_static = static("energy_landscape_2d_static", {
  title = "2D Static Landscape", xlabel = "X-Index", ylabel = "Y-Index", clabel = "Value",
  figsize = {8, 7}})
PlotConfigs.energy_landscape_2d_animation = animation("energy_landscape_2d_animation", {
  title = "Evolving 2D Landscape", xlabel = "X-Index", ylabel = "Y-Index", clabel = "Value",
  figsize = {8, 7}, fps = 30}, 1000)

--- Raster plot preset; `mode` is "block" (default) or "scatter".
function PlotConfigs.raster_plot(kw)
  kw = copy(kw or {})
  local mode = kw.mode or "block"
  kw.mode = nil
  local cfg = static("raster_plot", {title = "Raster Plot", xlabel = "Time Step",
    ylabel = "Neuron Index", figsize = {12, 6}, color = "black"})(kw)
  cfg.mode = mode
  return cfg
end

--- Average firing rate preset; `mode` defaults to "per_neuron" (the plot
-- function's own default is "population").
function PlotConfigs.average_firing_rate_plot(kw)
  kw = copy(kw or {})
  local mode = kw.mode or "per_neuron"
  kw.mode = nil
  local cfg = static("average_firing_rate_plot", {title = "Average Firing Rate",
    figsize = {12, 5}})(kw)
  cfg.mode = mode
  return cfg
end

PlotConfigs.population_activity_heatmap = static("population_activity_heatmap", {
  title = "Population Activity", xlabel = "Time (s)", ylabel = "Neuron Index",
  figsize = {10, 6}}, {cmap = "viridis"})

--- Tuning curve preset with `num_bins` (50) and `pref_stim` (nil).
function PlotConfigs.tuning_curve(kw)
  kw = copy(kw or {})
  local num_bins, pref_stim = kw.num_bins or 50, kw.pref_stim
  kw.num_bins, kw.pref_stim = nil, nil
  local cfg = static("tuning_curve", {title = "Tuning Curve", xlabel = "Stimulus Value",
    ylabel = "Average Firing Rate", figsize = {10, 6}})(kw)
  cfg.num_bins, cfg.pref_stim = num_bins, pref_stim
  return cfg
end

PlotConfigs.firing_field_heatmap = static("firing_field_heatmap", {
  title = "Firing Field (Rate Map)", xlabel = "X Position (bins)",
  ylabel = "Y Position (bins)", figsize = {6, 6}},
  {cmap = "jet", origin = "lower", aspect = "auto"})
PlotConfigs.grid_autocorrelation = static("grid_autocorrelation", {
  title = "Spatial Autocorrelation", xlabel = "X Lag (bins)", ylabel = "Y Lag (bins)",
  figsize = {6, 6}}, {cmap = "RdBu_r", vmin = -1, vmax = 1})
PlotConfigs.grid_score_plot = static("grid_score_plot", {
  title = "Grid Score Analysis", xlabel = "Rotation Angle (°)", ylabel = "Correlation",
  figsize = {8, 5}, grid = true})
PlotConfigs.grid_spacing_plot = static("grid_spacing_plot", {
  title = "Grid Spacing Analysis", xlabel = "Distance (bins)", ylabel = "Autocorrelation",
  figsize = {8, 5}, grid = true})
PlotConfigs.grid_cell_tracking_animation = animation("grid_cell_tracking_animation", {
  title = "Grid Cell Tracking", figsize = {15, 5}, fps = 20, show_progress_bar = true}, nil)
PlotConfigs.theta_population_activity_static = static("theta_population_activity_static", {
  title = "Population Activity with Theta", xlabel = "Time (s)", ylabel = "Direction (°)",
  figsize = {12, 4}}, {cmap = "jet"})
PlotConfigs.grid_cell_manifold_static = static("grid_cell_manifold_static", {
  title = "Grid Cell Activity on Manifold", figsize = {8, 6}},
  {cmap = "jet", add_colorbar = true})
PlotConfigs.internal_position_trajectory_static = static("internal_position_trajectory_static", {
  title = "Internal Position vs. Real Trajectory", figsize = {6, 4}},
  {cmap = "cool", add_colorbar = true, colorbar = {label = "Max GC activity"},
   trajectory_color = "black", trajectory_linewidth = 1.0, scatter_size = 4,
   scatter_alpha = 0.9})
PlotConfigs.direction_cell_polar = static("direction_cell_polar", {
  title = "Direction Cell Activity", figsize = {6, 6}})
PlotConfigs.theta_sweep_animation = animation("theta_sweep_animation", {
  figsize = {12, 3}, fps = 10, show_progress_bar = true}, nil,
  {cmap = "jet", alpha = 0.8, trajectory_color = "#FFFFFF", trajectory_outline = "#1A1A1A",
   current_marker_color = "#FF2D00"})
PlotConfigs.theta_sweep_place_cell_animation = animation("theta_sweep_place_cell_animation", {
  figsize = {12, 4}, fps = 10, show_progress_bar = true}, nil, {cmap = "jet", alpha = 0.8})

-- ------------------------------------------------------------ AnimationConfig

local AnimationConfig = {}
AnimationConfig.__index = AnimationConfig
M.AnimationConfig = AnimationConfig

--- Animation rendering settings.  quality "draft" halves the point
-- multiplier and fps (at least 15); "medium" uses multiplier 0.75.
function M.animation_config(kw)
  local fname = "AnimationConfig"
  kw = kw or {}
  local d = {fps = 30, enable_blitting = true, use_parallel = false, num_workers = 4,
             quality = "high", npoints_multiplier = 1.0, auto_parallel_threshold = 500}
  for k, v in pairs(kw) do
    if d[k] == nil then fail(fname, "unknown option '%s'", tostring(k)) end
    if type(v) ~= type(d[k]) then fail(fname, "option '%s' must be a %s", k, type(d[k])) end
    d[k] = v
  end
  if d.quality ~= "draft" and d.quality ~= "medium" and d.quality ~= "high" then
    fail(fname, "option 'quality' must be 'draft', 'medium' or 'high', got '%s'", d.quality)
  end
  if d.quality == "draft" then
    d.npoints_multiplier = 0.5
    d.fps = math.max(15, d.fps // 2)
  elseif d.quality == "medium" then
    d.npoints_multiplier = 0.75
  end
  return setmetatable(d, AnimationConfig)
end
setmetatable(AnimationConfig, {__call = function(_, kw) return M.animation_config(kw) end})

return M
