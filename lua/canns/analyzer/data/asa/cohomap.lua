--- EcohoMap: phase maps of the decoded circular coordinates over the
-- arena (upstream `canns.analyzer.data.asa.cohomap`).
-- @module canns.analyzer.data.asa.cohomap

local core = require "canns.core"
local A = require "canns.argcheck"
local path = require "canns.analyzer.data.asa.path"

local M = {}

local farr = path._farr

local TIMES_KEYS = {"times_box", "timesbox", "t_box", "idx_box", "index_box", "indices_box", "keep",
                    "keep_idx", "keep_indices", "idx", "indices", "times", "t"}
local COORDS_KEYS = {"coords", "theta", "thetas", "circular_coords", "cc", "decoded_coords",
                     "coordsbox", "coords_box", "coordsBox", "coords_box_full"}

--- The time-index entry of a decoding (upstream `find_times_box`): the
-- first of `times_box`, `timesbox`, ..., `times`, `t` that is 1-d.
-- @return the array and its key, or nil
function M.find_times_box(dec)
  for _, k in ipairs(TIMES_KEYS) do
    local v = dec[k]
    if core.isarray(v) and (v:ndim() == 1 or (v:ndim() == 2 and (v:shape(1) == 1 or v:shape(2) == 1))) then
      return v:reshape({v:size()}), k
    end
  end
  return nil
end

-- coords (coords_key, else coordsbox, else the first 2-d entry) and times.
function M.extract_coords_and_times(dec, coords_key, fname)
  A.table(dec, fname, 1, "decoding_result")
  local c
  if coords_key ~= nil then
    c = dec[coords_key]
    if c == nil then A.fail(fname, "coords_key", nil, "'%s' is not in the decoding result", coords_key) end
  elseif dec.coordsbox ~= nil then
    c = dec.coordsbox
  else
    for _, k in ipairs(COORDS_KEYS) do
      if core.isarray(dec[k]) and dec[k]:ndim() == 2 then c = dec[k] break end
    end
    if c == nil then A.fail(fname, 1, "decoding_result", "has no decoded coordinates (coordsbox or coords)") end
  end
  c = farr(c, fname, 1, "decoding_result.coordsbox")
  if c:dtype() ~= "float64" then c = c:astype("float64") end
  if c:ndim() == 1 then c = c:reshape({c:size(), 1}) end
  if c:ndim() ~= 2 or c:shape(2) < 1 then
    A.fail(fname, 1, "decoding_result", "coords must be (N, D) with D >= 1, got %s", A.describe(c))
  end
  return c, M.find_times_box(dec)
end

-- numpy.linspace(a, b, n)
local function linspace(a, b, n)
  local out = {}
  local step = (b - a) / (n - 1)
  for i = 0, n - 1 do out[i + 1] = a + i * step end
  out[n] = b
  return core.array(out, "float64")
end
M._linspace = linspace

local function column(c, d)
  local n = c:shape(1)
  return c:slice(2, {d, d}):reshape({n})
end

--- Phase maps of the decoded coordinates over the arena (upstream
-- `cohomap`, "EcohoMap"): positions are binned on a `bins` x `bins` grid of
-- edges (bins - 1 cells per axis, the range shrunk by `margin_frac` at each
-- end), each cell holds the circular mean of the decoded angle, the map is
-- smoothed in sin/cos space (Gaussian `smooth_sigma`, reflect) and, with
-- `fill_nan`, empty cells are filled from their neighbours where the
-- smoothed occupancy exceeds `fill_min_weight`.  Maps are indexed [x cell,
-- y cell].
--
-- Torus alignment (`align_torus`, upstream's stripe fit) is not built:
-- the maps are returned unaligned with `aligned = false` and the reason in
-- `align_error`, as upstream does when its alignment fails.
-- @tparam table decoding_result the result of `decode_circular_coordinates_multi`
-- @tparam table position_data `{x = ..., y = ... [, t = ...]}` (full-length positions)
-- @tparam[opt] table opts `coords_key`, `bins` (101), `margin_frac` (0.0025),
--   `smooth_sigma` (1.0), `fill_nan` (true), `fill_sigma` (nil),
--   `fill_min_weight` (1e-3), `align_torus` (true), `align_trim` (25),
--   `align_grid_size`, `align_min_valid_frac`, `align_max_fit_error`
-- @treturn table `phase_maps` {D, bins-1, bins-1}, `phase_map1`, `phase_map2`,
--   `phase_maps_raw`, `num_phase_maps`, `x_edge`, `y_edge`, the options,
--   `aligned`, `align_error`
function M.cohomap(decoding_result, position_data, opts)
  local fname = "cohomap"
  local o = A.options(opts, fname, {"coords_key", "bins", "margin_frac", "smooth_sigma", "fill_nan",
                                    "fill_sigma", "fill_min_weight", "align_torus", "align_trim",
                                    "align_grid_size", "align_min_valid_frac", "align_max_fit_error"})
  local coords, tb = M.extract_coords_and_times(decoding_result, o.coords_key, fname)
  A.table(position_data, fname, 2, "position_data")
  local bins = A.int(o.bins, fname, "bins", nil, {min = 2, max = 100000, default = 101})
  local margin = A.number(o.margin_frac, fname, "margin_frac", nil, {min = 0, lt = 0.5, default = 0.0025})
  local sigma = A.number(o.smooth_sigma, fname, "smooth_sigma", nil, {min = 0, default = 1.0})
  local fill_nan = A.boolean(o.fill_nan, fname, "fill_nan", nil, {default = true})
  local fill_sigma = o.fill_sigma ~= nil and A.number(o.fill_sigma, fname, "fill_sigma", nil, {gt = 0}) or nil
  local fmw = A.number(o.fill_min_weight, fname, "fill_min_weight", nil, {default = 1e-3})
  local align_torus = A.boolean(o.align_torus, fname, "align_torus", nil, {default = true})
  local trim = A.int(o.align_trim, fname, "align_trim", nil, {min = 0, default = 25})
  if position_data.x == nil or position_data.y == nil then
    A.fail(fname, 2, "position_data", "must have 'x' and 'y' entries (missing key)")
  end
  local xx = path._vec(position_data.x, fname, 2, "position_data.x")
  local yy = path._vec(position_data.y, fname, 2, "position_data.y")
  if tb ~= nil then
    local idx
    if position_data.t ~= nil then
      idx = path.parse_times_box_to_indices(tb, position_data.t)
    else
      idx = tb:astype("int64")
    end
    if idx:size() > 0 and (idx:min() < 1 or idx:max() > xx:size()) then
      A.error(fname, "length mismatch: times_box refers to samples %d..%d, but position_data has %d",
              idx:min(), idx:max(), xx:size())
    end
    xx = core.asa.take(xx, idx)
    yy = core.asa.take(yy, idx)
  end
  if xx:size() ~= coords:shape(1) or yy:size() ~= coords:shape(1) then
    A.error(fname, "length mismatch: %d decoded rows but %d positions after times_box",
            coords:shape(1), xx:size())
  end
  local xmin, xmax, ymin, ymax = xx:min(), xx:max(), yy:min(), yy:max()
  if not (xmax > xmin and ymax > ymin) then
    A.fail(fname, 2, "position_data", "must span a non-empty area, got x in [%g, %g], y in [%g, %g]",
           xmin, xmax, ymin, ymax)
  end
  local xp, yp = (xmax - xmin) * margin, (ymax - ymin) * margin
  local xe, ye = linspace(xmin + xp, xmax - xp, bins), linspace(ymin + yp, ymax - yp, bins)
  local maps = {}
  for d = 1, coords:shape(2) do
    local m = core.asa.circ_hist2d(xx, yy, column(coords, d), xe, ye)
    maps[d] = core.asa.smooth_circular_map(m, sigma, fill_nan, fill_sigma, fmw)
  end
  local D = #maps
  local all = core.zeros({D, bins - 1, bins - 1}, "float64")
  for d = 1, D do all:slice(1, {d, d}):assign(maps[d]:reshape({1, bins - 1, bins - 1})) end
  local res = {
    phase_maps = all, phase_map1 = maps[1], phase_maps_raw = all:copy(), phase_map1_raw = maps[1]:copy(),
    num_phase_maps = D, x_edge = xe, y_edge = ye, bins = bins, margin_frac = margin,
    smooth_sigma = sigma, fill_nan = fill_nan, fill_sigma = fill_sigma, fill_min_weight = fmw,
    aligned = false, align_error = nil, align_trim = trim,
    align_min_valid_frac = o.align_min_valid_frac, align_max_fit_error = o.align_max_fit_error,
  }
  if D >= 2 then
    res.phase_map2, res.phase_map2_raw = maps[2], maps[2]:copy()
    if align_torus then
      res.align_error = "torus alignment (upstream's stripe fit, fit_cohomap_stripes) is not built in canns yet"
    end
  end
  return res
end

--- Draw the phase maps (upstream `plot_cohomap`): one panel per map (at
-- most 4 columns), cos (default), sin or the phase itself, origin lower,
-- the first map index drawn as image rows (upstream's orientation).
-- @tparam table cohomap_result from `cohomap`
-- @tparam[opt] table opts `config`, `save_path`, `show` (false), `figsize`,
--   `cmap` ("viridis"), `mode` ("cos", "sin" or "phase")
-- @return the figure
function M.plot_cohomap(cohomap_result, opts)
  local fname = "plot_cohomap"
  A.table(cohomap_result, fname, 1, "cohomap_result")
  local o = A.options(opts, fname, {"config", "save_path", "show", "figsize", "cmap", "mode", "dpi"})
  local pm = cohomap_result.phase_maps
  if not core.isarray(pm) or pm:ndim() ~= 3 then
    A.fail(fname, 1, "cohomap_result", "must hold phase_maps of shape (D, H, W), got %s", A.describe(pm))
  end
  local mode = A.string(o.mode, fname, "mode", nil, {choices = {"cos", "sin", "phase"}, default = "cos"})
  local cmap = A.string(o.cmap, fname, "cmap", nil, {default = "viridis"})
  local D = pm:shape(1)
  local ncols = math.min(4, D)
  local nrows = math.ceil(D / ncols)
  local figsize = o.figsize or {4.2 * ncols, 4.0 * nrows}
  local render = require "canns.analyzer.visualization.render"
  local vconfig = require "canns.analyzer.visualization.config"
  local cfg = o.config
  if cfg == nil then
    cfg = vconfig.PlotConfig.for_static_plot{title = "EcohoMap", xlabel = "", ylabel = "",
                                              figsize = figsize, save_path = o.save_path,
                                              show = o.show or false, save_dpi = o.dpi}
  end
  local xe, ye = cohomap_result.x_edge, cohomap_result.y_edge
  local fig = core.plot_figure{figsize = cfg.figsize}
  for i = 1, D do
    local ax = fig:subplot(nrows, ncols, i)
    local m = pm:slice(1, {i, i}):reshape({pm:shape(2), pm:shape(3)})
    local img, label, vmin, vmax
    if mode == "phase" then img, label, vmin, vmax = m, "Phase (rad)", -math.pi, math.pi
    elseif mode == "cos" then img, label, vmin, vmax = core.cos(m), "cos(phase)", -1, 1
    else img, label, vmin, vmax = core.sin(m), "sin(phase)", -1, 1 end
    local im = ax:imshow(img, {origin = "lower", cmap = cmap, vmin = vmin, vmax = vmax,
                               extent = {xe:get(1), xe:get(xe:size()), ye:get(1), ye:get(ye:size())}})
    ax:set_title(string.format("Phase Map %d", i), {fontsize = 10})
    ax:set_aspect("equal")
    ax:set_xticks({})
    ax:set_yticks({})
    ax:colorbar(im, {label = label})
  end
  render.finalize(fig, cfg, fname)
  return fig
end

return M
