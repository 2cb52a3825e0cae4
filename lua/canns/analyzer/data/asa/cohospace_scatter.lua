--- CohoSpace scatter plots (upstream
-- `canns.analyzer.data.asa.cohospace_scatter`): the decoded trajectory on
-- the torus (degrees) or the ring (unit circle), and the time points where
-- one neuron or a population is most active.
-- @module canns.analyzer.data.asa.cohospace_scatter

local core = require "canns.core"
local A = require "canns.argcheck"
local path = require "canns.analyzer.data.asa.path"
local cohospace = require "canns.analyzer.data.asa.cohospace"

local M = {}

local farr = path._farr
local TWO_PI = 2 * math.pi

local f64 = path._f64

local function config(o, defaults)
  local vconfig = require "canns.analyzer.visualization.config"
  if o.config then return o.config end
  local kw = {}
  for k, v in pairs(defaults) do kw[k] = v end
  for _, k in ipairs({"figsize", "save_path", "show"}) do if o[k] ~= nil then kw[k] = o[k] end end
  return vconfig.PlotConfig.for_static_plot(kw)
end

local function finalize(fig, cfg, fname)
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fname)
end

-- coords as {T, D} (D = 2) or {T, 1}
local function coords_arg(v, D, fname)
  local c = f64(farr(v, fname, 1, "coords"))
  if D == 1 and c:ndim() == 1 then c = c:reshape({c:size(), 1}) end
  if c:ndim() ~= 2 or c:shape(2) ~= D then
    A.fail(fname, 1, "coords", "must have shape (T, %d), got %s", D, A.describe(c))
  end
  return c
end

local function col(a, j)
  return a:slice(2, {j, j}):reshape({a:shape(1)})
end

local function subsample_rows(n, step)
  local r = {}
  for i = 1, n, step do r[#r + 1] = i end
  return core.array(r, "int64")
end

local function unit_circle(ax)
  local cx, cy = {}, {}
  for i = 0, 199 do
    local a = TWO_PI * i / 199
    cx[#cx + 1], cy[#cy + 1] = math.cos(a), math.sin(a)
  end
  ax:plot(cx, cy, {color = "0.85", linewidth = 1.0, zorder = 0})
end

local function trajectory(fname, D, coords, opts)
  local o = A.options(opts, fname, {"times", "subsample", "figsize", "cmap", "save_path", "show", "config"})
  local c = coords_arg(coords, D, fname)
  local T = c:shape(1)
  local step = A.int(o.subsample, fname, "subsample", nil, {min = 1, default = 1})
  local tv
  if o.times ~= nil then
    tv = f64(farr(o.times, fname, "times"))
    if tv:size() ~= T then
      A.fail(fname, "times", nil, "length must match coords length, got %d and %d", tv:size(), T)
    end
  else
    local t = {}
    for i = 1, T do t[i] = i - 1 end
    tv = core.array(t, "float64")
  end
  local rows = subsample_rows(T, step)
  c = core.asa.take(c, rows):mod(TWO_PI)
  tv = core.asa.take(tv:reshape({T}), rows)
  local cfg = config(o, D == 2 and {title = "CohoSpace trajectory", xlabel = "theta1 (deg)",
                                    ylabel = "theta2 (deg)", figsize = {6, 6}, show = false}
                                or {title = "CohoSpace trajectory (1D)", xlabel = "cos(theta)",
                                    ylabel = "sin(theta)", figsize = {6, 6}, show = false})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  local sc
  if D == 2 then
    local deg = c * (180 / math.pi)
    sc = ax:scatter(col(deg, 1), col(deg, 2), {c = tv, cmap = o.cmap or "viridis", s = 3, alpha = 0.8})
    ax:set_xlim(0, 360)
    ax:set_ylim(0, 360)
  else
    unit_circle(ax)
    local th = col(c, 1)
    sc = ax:scatter(core.cos(th), core.sin(th), {c = tv, cmap = o.cmap or "viridis", s = 5, alpha = 0.8})
    ax:set_xlim(-1.2, 1.2)
    ax:set_ylim(-1.2, 1.2)
  end
  ax:colorbar(sc, {label = "Time"})
  ax:set_xlabel(cfg.xlabel)
  ax:set_ylabel(cfg.ylabel)
  ax:set_title(cfg.title)
  ax:set_aspect("equal")
  ax:grid(true, {alpha = 0.2})
  finalize(fig, cfg, fname)
  return ax
end

--- The decoded trajectory on the torus (upstream
-- `plot_cohospace_scatter_trajectory_2d`): angles in degrees (mod 360),
-- every `subsample`-th point coloured by time (or `times`).
-- @param coords {T, 2}
-- @tparam[opt] table opts `times`, `subsample` (1), `figsize` ({6, 6}), `cmap`
--   ("viridis"), `save_path`, `show` (false), `config`
-- @return the axes
function M.plot_cohospace_scatter_trajectory_2d(coords, opts)
  return trajectory("plot_cohospace_scatter_trajectory_2d", 2, coords, opts)
end

--- The decoded angle on the unit circle (upstream
-- `plot_cohospace_scatter_trajectory_1d`).
function M.plot_cohospace_scatter_trajectory_1d(coords, opts)
  return trajectory("plot_cohospace_scatter_trajectory_1d", 1, coords, opts)
end

local function scatter_select(fname, D, coords, activity, ids, opts, population)
  local o = A.options(opts, fname, {"mode", "top_percent", "times", "auto_filter", "figsize", "cmap",
                                    "save_path", "show", "config"})
  local c = coords_arg(coords, D, fname)
  local act = f64(farr(activity, fname, 2, "activity"))
  if act:ndim() ~= 2 then A.fail(fname, 2, "activity", "must be a (T, N) matrix, got %s", A.describe(act)) end
  act = cohospace._align_activity(c, act, o.times,
                                  A.boolean(o.auto_filter, fname, "auto_filter", nil, {default = true}), fname)
  local mode = A.string(o.mode, fname, "mode", nil, {choices = {"fr", "spike"}, default = "fr"})
  local top = A.number(o.top_percent, fname, "top_percent", nil, {gt = 0, max = 100, default = 5.0})
  local N = act:shape(2)
  local list = {}
  if population then
    A.table(ids, fname, 3, "neuron_ids")
    for i, v in ipairs(ids) do list[i] = A.int(v, fname, 3, "neuron_ids", {min = 1, max = N}) end
    if #list == 0 then A.fail(fname, 3, "neuron_ids", "must name at least one neuron") end
  else
    list[1] = A.int(ids, fname, 3, "neuron_id", {min = 1, max = N})
  end
  local rows, agg = core.asa.select_points(act, core.array(list, "int64"), mode == "fr", top)
  local sel = core.asa.take(c, rows):mod(TWO_PI)
  local title
  if population then
    title = string.format("%d neurons on coho-space%s", #list, D == 1 and " (1D)" or "")
  elseif mode == "fr" then
    title = string.format("Neuron %d FR top %.1f%% on coho-space%s", list[1], top, D == 1 and " (1D)" or "")
  else
    title = string.format("Neuron %d spikes on coho-space%s", list[1], D == 1 and " (1D)" or "")
  end
  local cfg = config(o, {title = title, xlabel = D == 2 and "Theta 1 (deg)" or "cos(theta)",
                         ylabel = D == 2 and "Theta 2 (deg)" or "sin(theta)", figsize = {6, 6}, show = true})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  local X, Y
  if D == 2 then
    local deg = sel * (180 / math.pi)
    X, Y = col(deg, 1), col(deg, 2)
  else
    unit_circle(ax)
    local th = col(sel, 1)
    X, Y = core.cos(th), core.sin(th)
  end
  local size = D == 2 and 5 or 8
  local colored = population or mode == "fr"
  if rows:size() > 0 then
    if colored then
      local sc = ax:scatter(X, Y, {c = agg, cmap = o.cmap or "hot", s = size, alpha = 0.9})
      ax:colorbar(sc, {label = population and (mode == "fr" and "Aggregate FR" or "Spike count")
                                          or "Firing rate"})
    else
      ax:scatter(X, Y, {color = "red", s = size, alpha = 0.9})
    end
  end
  if D == 2 then
    ax:set_xlim(0, 360)
    ax:set_ylim(0, 360)
  else
    ax:set_xlim(-1.2, 1.2)
    ax:set_ylim(-1.2, 1.2)
    ax:set_aspect("equal")
  end
  ax:set_xlabel(cfg.xlabel)
  ax:set_ylabel(cfg.ylabel)
  ax:set_title(cfg.title)
  finalize(fig, cfg, fname)
  return fig
end

--- One neuron's most active time points on the torus (upstream
-- `plot_cohospace_scatter_neuron_2d`): mode "fr" the points at or above the
-- (100 - `top_percent`)-th percentile coloured by activity, "spike" the
-- points with activity > 0 in red.
-- @param coords {T, 2}
-- @param activity {T, N} (rows aligned through `times` or, with
--   `auto_filter`, the rows with any activity)
-- @int neuron_id 1-based
-- @tparam[opt] table opts `mode` ("fr"), `top_percent` (5), `times`, `auto_filter`
--   (true), `figsize`, `cmap` ("hot"), `save_path`, `show` (true, as upstream), `config`
function M.plot_cohospace_scatter_neuron_2d(coords, activity, neuron_id, opts)
  return scatter_select("plot_cohospace_scatter_neuron_2d", 2, coords, activity, neuron_id, opts, false)
end

--- The 1-D version on the unit circle (upstream `plot_cohospace_scatter_neuron_1d`).
function M.plot_cohospace_scatter_neuron_1d(coords, activity, neuron_id, opts)
  return scatter_select("plot_cohospace_scatter_neuron_1d", 1, coords, activity, neuron_id, opts, false)
end

--- A population's selected points (upstream
-- `plot_cohospace_scatter_population_2d`): the union of each neuron's
-- points, coloured by the summed activity ("fr") or the number of neurons
-- spiking ("spike").
-- @tparam table neuron_ids 1-based neurons
function M.plot_cohospace_scatter_population_2d(coords, activity, neuron_ids, opts)
  return scatter_select("plot_cohospace_scatter_population_2d", 2, coords, activity, neuron_ids, opts, true)
end

--- The 1-D version (upstream `plot_cohospace_scatter_population_1d`).
function M.plot_cohospace_scatter_population_1d(coords, activity, neuron_ids, opts)
  return scatter_select("plot_cohospace_scatter_population_1d", 1, coords, activity, neuron_ids, opts, true)
end

-- shared with canns.analyzer.data.asa.cohospace_skewed (not public)
M._config, M._finalize, M._coords_arg = config, finalize, coords_arg

return M
