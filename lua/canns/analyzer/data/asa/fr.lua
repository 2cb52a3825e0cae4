--- Firing-rate heat maps and firing-rate maps of recorded activity
-- (upstream `canns.analyzer.data.asa.fr`).
-- @module canns.analyzer.data.asa.fr

local core = require "canns.core"
local A = require "canns.argcheck"
local path = require "canns.analyzer.data.asa.path"

local M = {}

local farr = path._farr

local function matrix(v, fname, arg, name)
  local a = farr(v, fname, arg, name)
  if a:ndim() ~= 2 then A.fail(fname, arg, name, "must be a (T, N) matrix, got %s", A.describe(a)) end
  return a
end

-- a 1-based inclusive {first, last} range (nil parts: the whole axis),
-- clamped to 1..n
local function range(r, n, fname, key)
  if r == nil then return 1, n end
  A.table(r, fname, key)
  local a = r[1] ~= nil and A.int(r[1], fname, key, nil, {}) or 1
  local b = r[2] ~= nil and A.int(r[2], fname, key, nil, {}) or n
  a = math.max(1, math.min(n + 1, a))
  b = math.max(0, math.min(n, b))
  if b < a then b = a - 1 end
  return a, b
end

--- The matrix of an FR heatmap (upstream `compute_fr_heatmap_matrix`):
-- rows `time_range` and columns `neuron_range` of `spike` ({first, last},
-- 1-based and inclusive; nil parts mean the whole axis; clamped),
-- optionally normalised per neuron over time ("zscore_per_neuron": population
-- s.d., 0 -> 1; "minmax_per_neuron"), transposed to (neurons, time) by
-- default.
-- @param spike activity {T, N}
-- @tparam[opt] table neuron_range
-- @tparam[opt] table time_range
-- @tparam[opt] table opts `transpose` (true), `normalize` (nil)
-- @return float64 matrix (int arrays keep their dtype without normalisation)
function M.compute_fr_heatmap_matrix(spike, neuron_range, time_range, opts)
  local fname = "compute_fr_heatmap_matrix"
  local S = matrix(spike, fname, 1, "spike")
  local o = A.options(opts, fname, {"transpose", "normalize"})
  local transpose = A.boolean(o.transpose, fname, "transpose", nil, {default = true})
  local norm = o.normalize ~= nil and A.string(o.normalize, fname, "normalize", nil,
                                               {choices = {"zscore_per_neuron", "minmax_per_neuron"}}) or nil
  local T, N = S:shape(1), S:shape(2)
  local t0, t1 = range(time_range, T, fname, "time_range")
  local n0, n1 = range(neuron_range, N, fname, "neuron_range")
  local sub
  if t1 < t0 or n1 < n0 then
    sub = core.zeros({math.max(0, t1 - t0 + 1), math.max(0, n1 - n0 + 1)}, S:dtype())
  else
    sub = S:slice(1, {t0, t1}):slice(2, {n0, n1}):copy()
  end
  if norm and sub:size() > 0 then sub = core.asa.normalize_columns(sub, norm) end
  if transpose then return sub:transpose():copy() end
  return sub
end

--- Draw (and save) an FR heatmap (upstream `save_fr_heatmap_png`): image
-- with origin lower, nearest interpolation, auto aspect, colour bar.
-- @param Mx matrix (e.g. from `compute_fr_heatmap_matrix`)
-- @tparam[opt] table opts `title` ("Firing Rate Heatmap"), `xlabel` ("Time"),
--   `ylabel` ("Neuron"), `cmap`, `interpolation`, `origin`, `aspect`,
--   `clabel`, `colorbar` (true), `dpi` (200), `show` (false), `config`,
--   `save_path`, `figsize`
-- @return the figure
function M.save_fr_heatmap_png(Mx, opts)
  local fname = "save_fr_heatmap_png"
  local X = matrix(Mx, fname, 1, "M")
  local o = A.options(opts, fname, {"title", "xlabel", "ylabel", "cmap", "interpolation", "origin",
                                    "aspect", "clabel", "colorbar", "dpi", "show", "config",
                                    "save_path", "figsize"})
  local vconfig = require "canns.analyzer.visualization.config"
  local cfg = o.config
  if cfg == nil then
    cfg = vconfig.PlotConfig.for_static_plot{title = o.title or "Firing Rate Heatmap",
                                              xlabel = o.xlabel or "Time", ylabel = o.ylabel or "Neuron",
                                              save_path = o.save_path, show = o.show or false,
                                              figsize = o.figsize}
  else
    if o.save_path then cfg.save_path = o.save_path end
    if o.show ~= nil then cfg.show = o.show end
  end
  local dpi = A.int(o.dpi, fname, "dpi", nil, {min = 1, max = 2400, default = 200})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  local kw = {cmap = o.cmap, interpolation = o.interpolation or "nearest", origin = o.origin or "lower",
              aspect = o.aspect or "auto"}
  local im = ax:imshow(X:astype("float64"), kw)
  ax:set_title(cfg.title or "")
  ax:set_xlabel(cfg.xlabel or "")
  ax:set_ylabel(cfg.ylabel or "")
  if o.colorbar ~= false then ax:colorbar(im, {label = o.clabel}) end
  if cfg.save_path then fig:savefig(cfg.save_path, {dpi = dpi}) end
  if cfg.show then
    local render = require "canns.analyzer.visualization.render"
    local p = cfg.save_path
    if not p then
      p = render.show_path(fname, "png")
      fig:savefig(p, {dpi = dpi})
    end
    render.show_file(p, fname)
  end
  return fig
end

-- numpy.linspace
local function linspace(a, b, n)
  local out = {}
  local step = (b - a) / (n - 1)
  for i = 0, n - 1 do out[i + 1] = a + i * step end
  out[n] = b
  return core.array(out, "float64")
end

local FRMResult = {}
FRMResult.__index = FRMResult
FRMResult.__name = "FRMResult"
function FRMResult.__tostring(r)
  local function shape(a)
    if not core.isarray(a) then return tostring(a) end
    return "{" .. table.concat(a:shape(), ", ") .. "}"
  end
  return string.format("FRMResult(frm=%s, occupancy=%s, spike_sum=%s, x_edges=%s, y_edges=%s)", shape(r.frm),
                       shape(r.occupancy), shape(r.spike_sum), shape(r.x_edges), shape(r.y_edges))
end

--- The result of `compute_frm` (upstream's `FRMResult` dataclass): `frm`
-- (the map, {bins_x, bins_y}), `occupancy` (int64 samples per cell),
-- `spike_sum` (summed activity per cell), `x_edges`, `y_edges` (the
-- `bins + 1` edges).  Fields are read as `r.frm` etc.; an absent field is
-- nil (upstream's None).
-- @tparam table fields
-- @treturn FRMResult
function M.FRMResult(fields)
  local F = "FRMResult"
  fields = A.options(fields, F, {"frm", "occupancy", "spike_sum", "x_edges", "y_edges"})
  local r = {}
  for _, k in ipairs({"frm", "occupancy", "spike_sum", "x_edges", "y_edges"}) do
    local v = fields[k]
    if v ~= nil and not core.isarray(v) then v = A.array(v, F, k, nil, {convert = true, dtype = "float64"}) end
    r[k] = v
  end
  return setmetatable(r, FRMResult)
end

--- A single neuron's firing-rate map over the arena (upstream
-- `compute_frm`): `bins` x `bins` cells between the data's (or the given)
-- ranges (a sample at the maximum falls outside, as upstream), the mean
-- activity per cell, cells with fewer than `min_occupancy` samples NaN
-- (`nan_for_empty`) or 0; `smoothing` applies a Gaussian of `sigma` bins
-- (reflect; with empty cells the normalised convolution, which also fills
-- cells next to data).
-- @param spike activity {T, N}
-- @param x positions (T)
-- @param y positions (T)
-- @int neuron_id 1-based neuron
-- @tparam[opt] table opts `bins` (50), `x_range`, `y_range`, `min_occupancy` (1),
--   `smoothing` (false), `sigma` (1.0), `nan_for_empty` (true)
-- @treturn FRMResult `frm` ({bins, bins}, [x cell, y cell]), `occupancy`
--   (int64), `spike_sum`, `x_edges`, `y_edges`
function M.compute_frm(spike, x, y, neuron_id, opts)
  local fname = "compute_frm"
  local S = matrix(spike, fname, 1, "spike")
  local xv = path._vec(x, fname, 2, "x")
  local yv = path._vec(y, fname, 3, "y")
  local T, N = S:shape(1), S:shape(2)
  if xv:size() ~= T or yv:size() ~= T then
    A.fail(fname, 2, "x", "and y must have one sample per row of spike (%d), got %d and %d", T,
           xv:size(), yv:size())
  end
  local nid = A.int(neuron_id, fname, 4, "neuron_id", {min = 1, max = N})
  local o = A.options(opts, fname, {"bins", "x_range", "y_range", "min_occupancy", "smoothing",
                                    "sigma", "nan_for_empty"})
  local bins = A.int(o.bins, fname, "bins", nil, {min = 1, max = 100000, default = 50})
  local mo = A.int(o.min_occupancy, fname, "min_occupancy", nil, {default = 1})
  local smoothing = A.boolean(o.smoothing, fname, "smoothing", nil, {default = false})
  local sigma = A.number(o.sigma, fname, "sigma", nil, {gt = 0, default = 1.0})
  local nan_empty = A.boolean(o.nan_for_empty, fname, "nan_for_empty", nil, {default = true})
  local function rng(r, v, key)
    if r == nil then return v:min(), v:max() end
    A.table(r, fname, key)
    return A.number(r[1], fname, key, nil, {}), A.number(r[2], fname, key, nil, {})
  end
  local x0, x1 = rng(o.x_range, xv, "x_range")
  local y0, y1 = rng(o.y_range, yv, "y_range")
  if not (x1 > x0 and y1 > y0) then
    A.fail(fname, 2, "x", "and y must span a non-empty range, got x in [%g, %g], y in [%g, %g]", x0, x1, y0, y1)
  end
  local xe, ye = linspace(x0, x1, bins + 1), linspace(y0, y1, bins + 1)
  local S64 = S:dtype() == "float64" and S or S:astype("float64")
  local frm, occ, sum = core.asa.frm(S64, nid, xv, yv, xe, ye, mo, nan_empty, smoothing and sigma or 0)
  return M.FRMResult{frm = frm, occupancy = occ, spike_sum = sum, x_edges = xe, y_edges = ye}
end

--- Draw a firing-rate map (upstream `plot_frm`, through
-- `plot_firing_field_heatmap`): title "Firing Rate Map", labels "X bin",
-- "Y bin", origin lower, saved at `dpi` 200.
-- @param frm {bins, bins} map
-- @tparam[opt] table opts `title`, `dpi`, `show` (false), `config`, `save_path`
-- @return fig, ax
function M.plot_frm(frm, opts)
  local fname = "plot_frm"
  local o = A.options(opts, fname, {"title", "dpi", "show", "config", "save_path"})
  local vconfig = require "canns.analyzer.visualization.config"
  local cfg = o.config
  if cfg == nil then
    cfg = vconfig.PlotConfig.for_static_plot{title = o.title or "Firing Rate Map", xlabel = "X bin",
                                              ylabel = "Y bin", save_path = o.save_path,
                                              show = o.show or false, figsize = {5, 5},
                                              save_dpi = o.dpi or 200,
                                              kwargs = {cmap = "jet", interpolation = "nearest",
                                                        origin = "lower"}}
  end
  local heat = require "canns.analyzer.visualization.heatmaps"
  return heat.plot_firing_field_heatmap(farr(frm, fname, 1, "frm"), cfg)
end

return M
