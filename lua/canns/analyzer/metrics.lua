--- Model-side metrics of spatial firing (upstream
-- `canns.analyzer.metrics.spatial_metrics` and
-- `canns.analyzer.metrics.systematic_ratemap`): the systematic rate map of
-- a velocity grid-cell sheet, the circular spatial autocorrelation, the
-- grid score and the grid spacing, a population's firing fields and their
-- smoothing; and `canns.analyzer.metrics.utils`: spike trains to firing
-- rates and back, rate normalisation.  The numbers are computed in C
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

--- Firing fields of a population (upstream `compute_firing_field`): the
-- mean activity of each neuron in each of `M x K` spatial bins of a
-- `width x height` box, 0 in bins never visited.  A position's bin is
-- `position // bin_size` (numpy's floor division), clipped to the box.
-- @tparam array A activity `(T, N)`
-- @tparam array positions `(T, 2)` (x, y)
-- @number width
-- @number height
-- @int M bins along x (width)
-- @int K bins along y (height)
-- @treturn array `(N, M, K)` float64
function M.compute_firing_field(A_, positions, width, height, M_, K)
  local fn = "compute_firing_field"
  A_ = A.array(A_, fn, 1, "A", {convert = true, dtype = "float", ndim = 2, finite = true})
  positions = A.array(positions, fn, 2, "positions", {convert = true, dtype = "float", ndim = 2, finite = true})
  width = A.number(width, fn, 3, "width", {gt = 0})
  height = A.number(height, fn, 4, "height", {gt = 0})
  M_ = A.count(M_, fn, 5, "M", {min = 1, max = 46340})
  K = A.count(K, fn, 6, "K", {min = 1, max = 46340})
  return core.firing_field(A_, positions, width, height, M_, K)
end

--- Gaussian smoothing of each map of a stack without mixing maps
-- (upstream `gaussian_smooth_heatmaps`): scipy's `gaussian_filter` with
-- sigma `(0, sigma, sigma)` (mode "reflect", truncate 4), then 0 wherever
-- the input is 0.
-- @tparam array heatmaps `(N, M, K)`
-- @number[opt=1] sigma
-- @treturn array the same shape and float dtype (float64 for other dtypes)
function M.gaussian_smooth_heatmaps(heatmaps, sigma)
  local fn = "gaussian_smooth_heatmaps"
  heatmaps = A.array(heatmaps, fn, 1, "heatmaps", {convert = true, ndim = 3, finite = true})
  sigma = A.number(sigma, fn, 2, "sigma", {default = 1.0, min = 0})
  return core.gaussian_smooth_heatmaps(heatmaps, sigma)
end

--- Spike counts per coarse time bin (upstream
-- `canns.analyzer.metrics.utils.spike_train_to_firing_rate`): a spike is
-- any non-zero entry; its time is `i * dt_spike`; the bins are numpy's
-- `arange(0, duration + dt_rate, dt_rate)` edges; `floor(T dt_spike /
-- dt_rate)` rows.
-- @tparam array spike_train `(T, N)`
-- @number dt_spike
-- @number dt_rate `>= dt_spike`
-- @treturn array `(floor(T dt_spike / dt_rate), N)` float64 counts
function M.spike_train_to_firing_rate(spike_train, dt_spike, dt_rate)
  local fn = "spike_train_to_firing_rate"
  spike_train = A.array(spike_train, fn, 1, "spike_train", {convert = true, ndim = 2})
  dt_spike = A.number(dt_spike, fn, 2, "dt_spike", {gt = 0})
  dt_rate = A.number(dt_rate, fn, 3, "dt_rate", {gt = 0})
  return core.spike_train_to_firing_rate(spike_train, dt_spike, dt_rate)
end

--- A binary spike train from coarse firing rates (upstream
-- `firing_rate_to_spike_train`): rates linearly interpolated (numpy
-- `interp`) from the bin centres `(k + 0.5) dt_rate` to the times
-- `i * dt_spike`, negative rates set to 0, one Bernoulli draw per element
-- with `p = rate * dt_spike / dt_rate` (clipped to 1) from canns' seeded
-- generator (`canns.random.seed`; upstream uses numpy's global one).
-- @tparam array firing_rates `(R, N)`, finite
-- @number dt_rate
-- @number dt_spike `<= dt_rate`
-- @treturn array `(floor(R dt_rate / dt_spike), N)` int32 of 0 and 1
function M.firing_rate_to_spike_train(firing_rates, dt_rate, dt_spike)
  local fn = "firing_rate_to_spike_train"
  firing_rates = A.array(firing_rates, fn, 1, "firing_rates",
                         {convert = true, ndim = 2, min_size = 1, finite = true})
  dt_rate = A.number(dt_rate, fn, 2, "dt_rate", {gt = 0})
  dt_spike = A.number(dt_spike, fn, 3, "dt_spike", {gt = 0})
  return core.firing_rate_to_spike_train(firing_rates, dt_rate, dt_spike)
end

--- Firing rates scaled as a whole (upstream `normalize_firing_rates`):
-- `"min_max"` to [0, 1] by the global minimum and maximum, `"z_score"` by
-- the global mean and (population) standard deviation; all zeros when the
-- range or the deviation is 0.
-- @tparam array firing_rates `(T, N)`
-- @string[opt="min_max"] method `"min_max"` or `"z_score"`
-- @treturn array float64
function M.normalize_firing_rates(firing_rates, method)
  local fn = "normalize_firing_rates"
  local r = A.array(firing_rates, fn, 1, "firing_rates", {convert = true, ndim = 2, min_size = 1})
  method = A.string(method, fn, 2, "method", {default = "min_max", choices = {"min_max", "z_score"}})
  r = r:astype("float64")
  local lo, scale
  if method == "min_max" then
    lo = r:min()
    scale = r:max() - lo
  else
    lo = r:mean()
    scale = r:std()
  end
  if scale == 0 then return core.zeros(r:shape(), "float64") end
  return (r - lo) / scale
end

return M
