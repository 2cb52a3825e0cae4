--- Model-side metrics of spatial firing (upstream
-- `canns.analyzer.metrics.spatial_metrics` and
-- `canns.analyzer.metrics.systematic_ratemap`): the systematic rate map of
-- a velocity grid-cell sheet, the circular spatial autocorrelation, the
-- grid score and the grid spacing.  The numbers are computed in C
-- (`include/canns/spatial_metrics.h`).
--
--     local M = canns.analyzer.metrics
--     local rm = M.compute_systematic_ratemap(gc, {box_width = 2.2, box_height = 2.2, resolution = 50})
--     local map = rm:slice(3, 7):reshape(50, 50)      -- neuron 7's map, (x bin, y bin)
--     local ac = M.compute_spatial_autocorrelation(map)
--     local score, corrs = M.compute_grid_score(ac)   -- corrs[60], corrs[120], ...
--     local bins, metres = M.find_grid_spacing(ac, 2.2 / 50)
--
-- @module canns.analyzer.metrics

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local function map_arg(v, fn, name)
  return A.array(v, fn, 1, name, {convert = true, dtype = "float", ndim = 2})
end

--- Circular (wrap-around) autocorrelation of a rate map, normalised to
-- [-1, 1] (upstream `compute_spatial_autocorrelation`): the map demeaned
-- and divided by its std, then `scipy.signal.correlate2d(a, a, "same",
-- "wrap")`, divided by its largest |value|.
-- @tparam array rate_map (M, K)
-- @tparam[opt] integer max_lag crop to lags -max_lag..max_lag around the
-- centre (shape // 2); at most that centre index
-- @treturn array float64
function M.compute_spatial_autocorrelation(rate_map, max_lag)
  local fn = "compute_spatial_autocorrelation"
  local a = map_arg(rate_map, fn, "rate_map")
  local ac = core.spatial_autocorrelation(a)
  if max_lag ~= nil then
    local sh = ac:shape()
    local c1, c2 = sh[1] // 2, sh[2] // 2
    max_lag = A.int(max_lag, fn, 2, "max_lag", {min = 0, max = math.min(c1, c2)})
    ac = ac:slice(1, {c1 - max_lag + 1, math.min(sh[1], c1 + max_lag + 1)})
           :slice(2, {c2 - max_lag + 1, math.min(sh[2], c2 + max_lag + 1)})
    ac = core.array(ac)
  end
  return ac
end

--- Grid score of an autocorrelogram (upstream `compute_grid_score`):
-- `min(c60, c120) - max(c30, c90, c150)` of the Pearson correlations with
-- the map rotated by those angles (bilinear, zero outside) over the annulus
-- `annulus_inner <= r / min(centre) <= annulus_outer`.
-- @tparam array autocorr (M, K)
-- @number[opt=0.3] annulus_inner
-- @number[opt=0.7] annulus_outer
-- @treturn number grid score
-- @treturn table rotated_corrs, keyed by angle: `{[30] =, [60] =, [90] =, [120] =, [150] =}`
function M.compute_grid_score(autocorr, annulus_inner, annulus_outer)
  local fn = "compute_grid_score"
  local a = map_arg(autocorr, fn, "autocorr")
  annulus_inner = A.number(annulus_inner, fn, 2, "annulus_inner", {default = 0.3})
  annulus_outer = A.number(annulus_outer, fn, 3, "annulus_outer", {default = 0.7})
  local score, c = core.grid_score(a, annulus_inner, annulus_outer)
  return score, {[30] = c[1], [60] = c[2], [90] = c[3], [120] = c[4], [150] = c[5]}
end

--- Grid spacing from an autocorrelogram (upstream `find_grid_spacing`):
-- the distance in bins from the centre to the highest value outside radius
-- 3, and times `bin_size` when given.
-- @tparam array autocorr
-- @number[opt] bin_size
-- @treturn number spacing in bins
-- @treturn number|nil spacing in real units
function M.find_grid_spacing(autocorr, bin_size)
  local fn = "find_grid_spacing"
  local a = map_arg(autocorr, fn, "autocorr")
  bin_size = A.number(bin_size, fn, 2, "bin_size", {optional = true})
  local s = core.find_grid_spacing(a)
  return s, bin_size and s * bin_size or nil
end

--- Rate maps by systematic sampling (upstream `compute_systematic_ratemap`)
-- of a healed `GridCell2DVelocity`: two sweeps along the bottom edge, then
-- from each of `resolution` kept states a sweep upwards, all in one C call
-- (the upward sweeps in parallel).  Returns `(resolution, resolution, num)`
-- float64, `[x bin][y bin][neuron]`.  The model is left in the state after
-- the last sweep, as upstream.
-- @param model a GridCell2DVelocity
-- @tparam[opt] table opts `box_width = 2.2`, `box_height = 2.2`,
-- `box_size` (ours: sets both), `resolution = 100`, `speed = 0.5`,
-- `num_batches = 10` (accepted; every row is computed), `verbose = true`
-- (prints what upstream prints)
-- @treturn array
function M.compute_systematic_ratemap(model, opts)
  local fn = "compute_systematic_ratemap"
  if not core.ismodel(model) then A.fail(fn, 1, "model", "must be a GridCell2DVelocity, got %s", A.describe(model)) end
  local o = A.options(opts, fn, {"box_width", "box_height", "box_size", "resolution", "speed",
                                 "num_batches", "verbose"})
  local size = A.number(o.box_size, fn, "box_size", nil, {optional = true, gt = 0})
  local bw = A.number(o.box_width, fn, "box_width", nil, {default = size or 2.2, gt = 0})
  local bh = A.number(o.box_height, fn, "box_height", nil, {default = size or 2.2, gt = 0})
  local res = A.int(o.resolution, fn, "resolution", nil, {default = 100, min = 1, max = 100000})
  local speed = A.number(o.speed, fn, "speed", nil, {default = 0.5, gt = 0})
  A.int(o.num_batches, fn, "num_batches", nil, {default = 10, min = 1})
  local verbose = A.boolean(o.verbose, fn, "verbose", nil, {default = true})
  local dt = core.get_dt()
  if verbose then
    print("Computing systematic rate maps...")
    print(("  Resolution: %d×%d"):format(res, res))
    print(("  Arena: %g×%gm"):format(bw, bh))
    print(("  Speed: %g m/s, dt: %gs, dx: %gm"):format(speed, dt, speed * dt))
  end
  local rm = core.gcv_systematic_ratemap(model, bw, bh, res, speed)
  if verbose then
    print(("  ✓ Rate maps computed: shape={%d, %d, %d}"):format(res, res, model.num))
    print(("    Activity range: [%.4f, %.4f]"):format(rm:min(), rm:max()))
  end
  return rm
end

return M
