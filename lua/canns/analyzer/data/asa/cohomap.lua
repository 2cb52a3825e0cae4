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

local TWO_PI = 2 * math.pi

-- the fraction of finite cells of a map
local function valid_fraction(m)
  if m:size() == 0 then return 0.0 end
  return core.isfinite(m):astype("float64"):mean()
end

-- a stripe parameter vector (angle, phase, spacing) as a Lua table
local function ptable(p, fname, arg, name)
  if core.isarray(p) then p = p:totable() end
  if type(p) ~= "table" or #p < 3 then
    A.fail(fname, arg, name, "must hold (angle, phase, spacing), got %s", A.describe(p))
  end
  for i = 1, 3 do A.number(p[i], fname, arg, name .. "[" .. i .. "]") end
  return {p[1], p[2], p[3]}
end
M._ptable = ptable

-- the grid size of the stripe model: given, or the map's + 2 trim + 1
local function resolve_grid(m, grid_size, trim)
  if grid_size == nil or grid_size == false then return m:shape(1) + 2 * trim + 1 end
  return grid_size
end
M._resolve_grid = resolve_grid

-- a phase map argument: square 2-d float64
local function phase_map_arg(m, fname, arg, name)
  m = farr(m, fname, arg, name)
  if m:ndim() ~= 2 or m:shape(1) ~= m:shape(2) then
    A.fail(fname, arg, name, "must be a square 2-d phase map, got %s", A.describe(m))
  end
  if m:dtype() ~= "float64" then m = m:astype("float64") end
  return m
end
M._phase_map_arg = phase_map_arg

--- Fit a cosine stripe pattern to a phase map (upstream
-- `fit_cohomap_stripes`): the model cos(spacing * X_rot + phase), X a ramp
-- over [0, 3 pi] on a (grid_size - 1)^2 grid rotated by `angle` (cubic
-- spline, as scipy.ndimage.rotate) and trimmed by `trim` on each side, is
-- compared with cos(phase_map) (mean squared error over the finite cells).
-- The best point of an `angle_grid` x `phase_grid` x `spacing_grid` grid
-- (angle in [0, pi], phase in [0, 2 pi], spacing in `spacing_range`) is
-- refined by Nelder-Mead (upstream: SLSQP; see docs/differences.md).
-- @param phase_map square map of side grid_size - 1 - 2 trim
-- @tparam[opt] table opts `grid_size` (151; false: from the map), `trim` (25),
--   `angle_grid` (10), `phase_grid` (10), `spacing_grid` (10), `spacing_range` ({1, 6})
-- @return params (float64 {angle, phase, spacing}), the objective value, and the grid start
function M.fit_cohomap_stripes(phase_map, opts)
  local fname = "fit_cohomap_stripes"
  local m = phase_map_arg(phase_map, fname, 1, "phase_map")
  local o = A.options(opts, fname, {"grid_size", "trim", "angle_grid", "phase_grid", "spacing_grid",
                                    "spacing_range"})
  local trim = A.int(o.trim, fname, "trim", nil, {min = 1, default = 25})
  local gs = o.grid_size
  if gs ~= false then gs = A.int(gs, fname, "grid_size", nil, {min = 4, default = 151}) end
  gs = resolve_grid(m, gs, trim)
  if gs - 1 - 2 * trim ~= m:shape(1) then
    A.fail(fname, 1, "phase_map", "has side %d, but grid_size %d and trim %d expect %d",
           m:shape(1), gs, trim, gs - 1 - 2 * trim)
  end
  local ag = A.int(o.angle_grid, fname, "angle_grid", nil, {min = 1, default = 10})
  local pg = A.int(o.phase_grid, fname, "phase_grid", nil, {min = 1, default = 10})
  local sg = A.int(o.spacing_grid, fname, "spacing_grid", nil, {min = 1, default = 10})
  local sr = o.spacing_range or {1.0, 6.0}
  if type(sr) ~= "table" or #sr ~= 2 then
    A.fail(fname, nil, "spacing_range", "must be {lo, hi}, got %s", A.describe(sr))
  end
  local lo = A.number(sr[1], fname, "spacing_range[1]")
  local hi = A.number(sr[2], fname, "spacing_range[2]")
  local x, fun, p0 = core.asa.fit_stripes(m, gs, trim, ag, pg, sg, lo, hi)
  return x, fun, p0
end

--- The stripe model of fitted parameters (upstream `_stripe_fit_map`):
-- cos(spacing * X_rot + phase) on the trimmed window.
-- @param params {angle, phase, spacing}
-- @int grid_size
-- @int trim
-- @return {n, n} float64, n = grid_size - 1 - 2 trim
function M.stripe_fit_map(params, grid_size, trim)
  local fname = "stripe_fit_map"
  local p = ptable(params, fname, 1, "params")
  grid_size = A.int(grid_size, fname, 2, "grid_size", {min = 4})
  trim = A.int(trim, fname, 3, "trim", {min = 1})
  if grid_size - 1 - 2 * trim < 1 then
    A.fail(fname, 2, "grid_size", "leaves no window after trim %d", trim)
  end
  local xr = core.asa.stripe_window(grid_size, trim, p[1])
  return core.cos(xr * p[3] + p[2])
end

-- upstream _select_phase_sign: +1 or -1, whichever of the model phase and
-- its reflection is closer to the map
function M._select_phase_sign(m, p, grid_size, trim)
  local fin = core.isfinite(m)
  if not fin:any() then return 1 end
  local base = core.asa.stripe_window(grid_size, trim, p[1]) * p[3] + p[2]
  local mv = core.where(fin, m, 0) % TWO_PI
  local pm1 = core.where(fin, (base % TWO_PI) - mv, 0)
  local pm2 = core.where(fin, ((-base + TWO_PI) % TWO_PI) - mv, 0)
  if pm1:abs():sum() > pm2:abs():sum() then return -1 end
  return 1
end

-- upstream _rot_coord: decoded angles c1, c2 (1-d) turned to the stripe
-- orientation of the fits p1, p2 with phase signs s = {s1, s2}; (N, 2) mod 2 pi
function M._rot_coord(p1, p2, c1, c2, s)
  local cc1, cc2, x, y, q
  if math.abs(math.cos(p1[1])) < math.abs(math.cos(p2[1])) then
    cc1, cc2, y, x, q = c2, c1, p1, p2, {s[2], s[1]}
  else
    cc1, cc2, x, y, q = c1, c2, p1, p2, {s[1], s[2]}
  end
  if q[2] == -1 then cc2 = -cc2 + TWO_PI end
  if q[1] == -1 then cc1 = -cc1 + TWO_PI end
  local alpha = y[1] - x[1]
  if alpha < 0 and math.abs(alpha) > math.pi / 2 then cc1, cc2 = cc2, cc1 end
  if alpha < 0 and math.abs(alpha) < math.pi / 2 then
    cc1 = -cc1 + TWO_PI + cc2 * (math.pi / 3)
  elseif math.abs(alpha) > math.pi / 2 then
    cc2 = cc2 + cc1 * (math.pi / 3)
  end
  return core.asa.stack_columns(cc1, cc2) % TWO_PI
end

-- upstream _toroidal_align_coords: the aligned first two angles and the
-- two fit errors
function M._toroidal_align_coords(coords, m1, m2, trim, grid_size)
  if m1:ndim() ~= 2 or table.concat(m1:shape(), "x") ~= table.concat(m2:shape(), "x") then
    error("phase_map shapes do not match for alignment", 0)
  end
  local gs = resolve_grid(m1, grid_size, trim)
  local p1, f1 = M.fit_cohomap_stripes(m1, {grid_size = gs, trim = trim})
  local p2, f2 = M.fit_cohomap_stripes(m2, {grid_size = gs, trim = trim})
  p1, p2 = p1:totable(), p2:totable()
  local s1 = M._select_phase_sign(m1, p1, gs, trim)
  local s2 = M._select_phase_sign(m2, p2, gs, trim)
  local al = M._rot_coord(p1, p2, column(coords, 1), column(coords, 2), {s1, s2})
  return al, f1, f2
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
-- With `align_torus` and at least two decoded angles, the first two maps
-- are fitted with stripes (`fit_cohomap_stripes`, trimmed by `align_trim`
-- on a grid of `align_grid_size`, default from the map size), each phase
-- sign chosen, the decoded angles rotated/sheared to the stripe
-- orientation (upstream's `_rot_coord`) and the maps binned again.
-- `align_min_valid_frac` and `align_max_fit_error` gate it; when it is
-- gated or fails, the maps stay unaligned and `align_error` says why.
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
  local agrid = o.align_grid_size ~= nil and A.int(o.align_grid_size, fname, "align_grid_size", nil, {min = 4}) or nil
  local amin = o.align_min_valid_frac ~= nil and A.number(o.align_min_valid_frac, fname, "align_min_valid_frac") or nil
  local amax = o.align_max_fit_error ~= nil and A.number(o.align_max_fit_error, fname, "align_max_fit_error") or nil
  local function hist_all(c)
    local maps = {}
    for d = 1, c:shape(2) do
      local m = core.asa.circ_hist2d(xx, yy, column(c, d), xe, ye)
      maps[d] = core.asa.smooth_circular_map(m, sigma, fill_nan, fill_sigma, fmw)
    end
    local all = core.zeros({#maps, bins - 1, bins - 1}, "float64")
    for d = 1, #maps do all:slice(1, {d, d}):assign(maps[d]:reshape({1, bins - 1, bins - 1})) end
    return maps, all
  end
  local raw, raw_all = hist_all(coords)
  local D = #raw
  local res = {
    phase_maps = raw_all, phase_map1 = raw[1], phase_maps_raw = raw_all:copy(), phase_map1_raw = raw[1]:copy(),
    num_phase_maps = D, x_edge = xe, y_edge = ye, bins = bins, margin_frac = margin,
    smooth_sigma = sigma, fill_nan = fill_nan, fill_sigma = fill_sigma, fill_min_weight = fmw,
    aligned = false, align_error = nil, align_trim = trim,
    align_min_valid_frac = amin, align_max_fit_error = amax,
  }
  if D >= 2 then
    res.phase_map2, res.phase_map2_raw = raw[2], raw[2]:copy()
  end
  if align_torus and D >= 2 then
    local v1, v2 = valid_fraction(raw[1]), valid_fraction(raw[2])
    res.align_valid_frac1, res.align_valid_frac2 = v1, v2
    if amin ~= nil and math.min(v1, v2) < amin then
      res.align_error = string.format("valid fraction too low (%.3f < %.3f)", math.min(v1, v2), amin)
    else
      local ok, al, f1, f2 = pcall(M._toroidal_align_coords, coords, raw[1], raw[2], trim, agrid)
      if not ok then
        res.align_error = tostring(al)
      else
        res.align_fit_error1, res.align_fit_error2 = f1, f2
        if amax ~= nil and (f1 > amax or f2 > amax) then
          res.align_error = string.format("fit error too high (%.4f, %.4f > %.4f)", f1, f2, amax)
        else
          local c = al
          if D > 2 then c = core.concatenate({al, coords:slice(2, {3, D})}, 2) end
          local maps, all = hist_all(c)
          res.phase_maps, res.phase_map1, res.phase_map2 = all, maps[1], maps[2]
          res.aligned = true
        end
      end
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
