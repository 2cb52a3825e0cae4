--- Spatial analysis of cell classification (upstream
-- `canns.analyzer.data.cell_classification.core.spatial_analysis`): rate
-- maps from spikes and positions, spatial information, firing fields and
-- grid spacing.  Binning runs in C with numpy's edge rules.
--
--     local rate, occ, xe, ye = cc.compute_rate_map(spike_times, positions, time_stamps,
--                                                   {spatial_bins = 40, smoothing_sigma = 1.5})
--     local info = cc.compute_spatial_information(rate, occ)
--
-- Maps are indexed [y][x] (rows = y), as upstream.
-- @module canns.analyzer.data.cell_classification.spatial
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local image = require "canns.analyzer.data.cell_classification.image"
local C = core.cellc

local M = {}

-- float64 without a copy when it already is (nothing here writes in place)
local function f64(a) return a:dtype() == "float64" and a or core.array(a, "float64") end

local function vec(v, fn, arg, name, spec)
  local a = kw.array(v, fn, arg, name, {min_size = spec and spec.min_size})
  if a:ndim() > 1 then A.fail(fn, arg, name, "must be 1-D, got %s", A.describe(a)) end
  return f64(a):reshape({-1})
end

-- numpy.linspace(lo, hi, n + 1) in double
local function edges(lo, hi, n)
  local t, step = {}, (hi - lo) / n
  for i = 0, n - 1 do t[i + 1] = i * step + lo end
  t[n + 1] = hi
  return core.array(t, "float64")
end

local function median(t)
  table.sort(t)
  local n = #t
  if n % 2 == 1 then return t[(n + 1) // 2] end
  return (t[n // 2] + t[n // 2 + 1]) / 2
end

local function bins_pair(b, fn, key)
  if type(b) == "table" and not core.isarray(b) then
    if #b ~= 2 then A.fail(fn, key, nil, "must be an integer or a pair {nx, ny}, got %s", A.describe(b)) end
    return A.int(b[1], fn, key, nil, {min = 1, max = 1048576}), A.int(b[2], fn, key, nil, {min = 1, max = 1048576})
  end
  local n = A.int(b, fn, key, nil, {min = 1, max = 1048576})
  return n, n
end

local function smooth(rate, sigma)
  if sigma > 0 then return C.gaussian_filter(rate, sigma, sigma, 4.0) end
  return rate
end

local RM_NAMES = {"spatial_bins", "position_range", "smoothing_sigma", "min_occupancy"}

--- Rate map from spike times and a position track (upstream
-- `compute_rate_map`).
--
-- Edges: `spatial_bins + 1` points from the data's min to max per axis, or
-- `position_range = {lo, hi}` for both axes.  Occupancy = 2-D histogram of
-- the positions times the median time step; spike positions are
-- interpolated (x and y separately, clamped at the ends); rate =
-- spikes / occupancy where occupancy > `min_occupancy`, else 0; then a
-- Gaussian of `smoothing_sigma` bins (reflect) when > 0.
--
-- Also callable as `compute_rate_map(spike_times, x, y, time_stamps, opts)`
-- with 1-D `x`, `y` (canns form; `bins` and `smooth_sigma` are accepted
-- there as short names), which returns a table `{rate_map, occupancy,
-- x_edges, y_edges}`.
-- @param spike_times 1-D (s)
-- @param positions (N, 2)
-- @param time_stamps (N)
-- @param[opt] ... `spatial_bins` (20, or {nx, ny}), `position_range` (nil),
--   `smoothing_sigma` (2.0), `min_occupancy` (0.0)
-- @return rate_map (ny, nx), occupancy (ny, nx), x_edges, y_edges
function M.compute_rate_map(spike_times, positions, time_stamps, ...)
  local fn = "compute_rate_map"
  local p2 = core.isarray(positions) and positions:ndim() or nil
  local p3 = core.isarray(time_stamps) and time_stamps:ndim() or nil
  if p2 == 1 and p3 == 1 then
    -- canns form: (spikes, x, y, t, opts)
    local x, y, t = positions, time_stamps, select(1, ...)
    local o = select(2, ...)
    if select("#", ...) > 2 then A.error(fn, "the (spikes, x, y, t) form takes one options table") end
    o = A.options(o, fn, {"spatial_bins", "position_range", "smoothing_sigma", "min_occupancy", "bins",
                           "smooth_sigma"})
    local opts = {spatial_bins = o.spatial_bins or o.bins, position_range = o.position_range,
                  smoothing_sigma = o.smoothing_sigma or o.smooth_sigma, min_occupancy = o.min_occupancy}
    x = vec(x, fn, 2, "x", {min_size = 1})
    y = vec(y, fn, 3, "y", {min_size = 1})
    if x:size() ~= y:size() then A.fail(fn, 3, "y", "must have the length of x (%d), got %d", x:size(), y:size()) end
    local pos = core.concatenate({x:reshape({-1, 1}), y:reshape({-1, 1})}, 2)
    local r, occ, xe, ye = M.compute_rate_map(spike_times, pos, t, opts)
    return {rate_map = r, occupancy = occ, x_edges = xe, y_edges = ye}
  end
  local o = kw.parse(fn, 4, RM_NAMES, {spatial_bins = 20, smoothing_sigma = 2.0, min_occupancy = 0.0}, ...)
  local st = vec(spike_times, fn, 1, "spike_times")
  local pos = kw.array(positions, fn, 2, "positions", {shape = {-1, 2}})
  pos = f64(pos)
  local ts = vec(time_stamps, fn, 3, "time_stamps")
  local n = pos:shape()[1]
  if n < 1 then A.fail(fn, 2, "positions", "must not be empty") end
  if ts:size() ~= n then
    A.fail(fn, 3, "time_stamps", "must have one time per position (%d), got %d", n, ts:size())
  end
  local nx, ny = bins_pair(o.spatial_bins, fn, "spatial_bins")
  local sigma = A.number(o.smoothing_sigma, fn, "smoothing_sigma", nil, {min = 0, max = 1e5})
  local minocc = A.number(o.min_occupancy, fn, "min_occupancy")
  -- data range, finiteness and the median time step in one C pass
  local dxlo, dxhi, dylo, dyhi, finite, dt = C.track_stats(pos, ts)
  local xlo, xhi, ylo, yhi
  if o.position_range ~= nil then
    local r = A.sequence(o.position_range, fn, "position_range", nil, {finite = true})
    if #r ~= 2 or not (r[1] <= r[2]) then
      A.fail(fn, "position_range", nil, "must be a pair {lo, hi} with lo <= hi, got %s", A.describe(o.position_range))
    end
    xlo, xhi, ylo, yhi = r[1], r[2], r[1], r[2]
  else
    if not finite then
      A.fail(fn, 2, "positions", "must be finite (or give position_range)")
    end
    xlo, xhi, ylo, yhi = dxlo, dxhi, dylo, dyhi
  end
  local xe, ye = edges(xlo, xhi, nx), edges(ylo, yhi, ny)
  -- the occupancy counts and the spikes' counts at their interpolated
  -- positions, one C call (no interpolated arrays)
  local counts, spikes = C.track_maps(st, pos, ts, xe, ye)
  local occ = counts * dt
  local valid = core.gt(occ, minocc)
  local rate = core.where(valid, spikes / core.where(valid, occ, 1), 0)
  return smooth(rate, sigma), occ, xe, ye
end

--- Rate map from binned counts along a track (upstream
-- `compute_rate_map_from_binned`): the three series are cut to the
-- shortest, samples with any non-finite value dropped; occupancy = samples
-- per bin over the data range (a zero-width range becomes +-0.5), spikes =
-- count-weighted histogram; rate = spikes / occupancy where occupancy >
-- `min_occupancy`.  No smoothing.
-- @param x 1-D
-- @param y 1-D
-- @param spike_counts 1-D
-- @param[opt] ... `bins` (35, or {nx, ny}), `min_occupancy` (0)
-- @return rate_map, occupancy, x_edges, y_edges
function M.compute_rate_map_from_binned(x, y, spike_counts, ...)
  local fn = "compute_rate_map_from_binned"
  local o = kw.parse(fn, 4, {"bins", "min_occupancy"}, {bins = 35, min_occupancy = 0.0}, ...)
  x = vec(x, fn, 1, "x")
  y = vec(y, fn, 2, "y")
  local c = vec(spike_counts, fn, 3, "spike_counts")
  local nx, ny = bins_pair(o.bins, fn, "bins")
  local minocc = A.number(o.min_occupancy, fn, "min_occupancy")
  local T = math.min(x:size(), y:size(), c:size())
  if T == 0 then A.error(fn, "x, y and spike_counts must be non-empty and aligned") end
  local xt, yt, ct = x:totable(), y:totable(), c:totable()
  local fx, fy, fc = {}, {}, {}
  local inf = math.huge
  for i = 1, T do
    local a, b, d = xt[i], yt[i], ct[i]
    if a == a and b == b and d == d and math.abs(a) < inf and math.abs(b) < inf and math.abs(d) < inf then
      fx[#fx + 1], fy[#fy + 1], fc[#fc + 1] = a, b, d
    end
  end
  if #fx == 0 then A.error(fn, "no sample has finite x, y and spike_counts") end
  local function outer(t)
    local lo, hi = math.huge, -math.huge
    for _, v in ipairs(t) do lo, hi = math.min(lo, v), math.max(hi, v) end
    if lo == hi then lo, hi = lo - 0.5, hi + 0.5 end
    return lo, hi
  end
  local xlo, xhi = outer(fx)
  local ylo, yhi = outer(fy)
  local xe, ye = edges(xlo, xhi, nx), edges(ylo, yhi, ny)
  local X, Y, W = core.array(fx, "float64"), core.array(fy, "float64"), core.array(fc, "float64")
  local occ = C.histogram2d(X, Y, nil, xe, ye)
  local spk = C.histogram2d(X, Y, W, xe, ye)
  local valid = core.gt(occ, minocc)
  local rate = core.where(valid, spk / core.where(valid, occ, 1), 0)
  return rate, occ, xe, ye
end

--- Skaggs spatial information in bits per spike (upstream
-- `compute_spatial_information`): p = occupancy / total (total 0 -> 0),
-- mean rate = sum(rate occupancy) / total unless given (0 -> 0);
-- I = sum over bins with p > 0 and rate > 0 of p (r / mean) log2(r / mean).
-- @param rate_map 2-D
-- @param occupancy_map 2-D, same shape
-- @param[opt] ... `mean_rate`
-- @treturn number
function M.compute_spatial_information(rate_map, occupancy_map, ...)
  local fn = "compute_spatial_information"
  local o = kw.parse(fn, 3, {"mean_rate"}, {}, ...)
  local r = f64(kw.array(rate_map, fn, 1, "rate_map", {min_size = 1}))
  local occ = f64(kw.array(occupancy_map, fn, 2, "occupancy_map", {min_size = 1}))
  if r:size() ~= occ:size() or r:ndim() ~= occ:ndim() then
    A.fail(fn, 2, "occupancy_map", "must have the shape of rate_map, got %s", A.describe(occ))
  end
  local total = core.sum(occ)
  if total == 0 then return 0.0 end
  local p = occ / total
  local mean = o.mean_rate ~= nil and A.number(o.mean_rate, fn, "mean_rate") or core.sum(r * occ) / total
  if mean == 0 then return 0.0 end
  local use = core.logical_and and core.logical_and(core.gt(p, 0), core.gt(r, 0))
             or core.gt(core.where(core.gt(p, 0), 1, 0) * core.where(core.gt(r, 0), 1, 0), 0)
  local ratio = core.where(use, r / mean, 1)
  return core.sum(core.where(use, p * ratio * core.log(ratio) / math.log(2), 0))
end

--- Firing fields of a rate map (upstream `compute_field_statistics`):
-- pixels above `threshold` times the peak, 8-connected components of at
-- least `min_area` pixels.
-- @param rate_map 2-D
-- @param[opt] ... `threshold` (0.2), `min_area` (9)
-- @treturn table `num_fields`, `field_sizes`, `field_peaks`,
--   `field_centers` ({row, col} centroids, 1-based)
function M.compute_field_statistics(rate_map, ...)
  local fn = "compute_field_statistics"
  local o = kw.parse(fn, 2, {"threshold", "min_area"}, {threshold = 0.2, min_area = 9}, ...)
  local r = f64(kw.array(rate_map, fn, 1, "rate_map", {ndim = 2, min_size = 1, finite = true}))
  local thr = A.number(o.threshold, fn, "threshold")
  local min_area = A.number(o.min_area, fn, "min_area")
  local binary = core.gt(r, thr * core.max(r))
  local labels = C.label(binary, 2)
  local props = image.regionprops(labels, {intensity_image = r})
  local out = {num_fields = 0, field_sizes = {}, field_peaks = {}, field_centers = {}}
  for _, p in ipairs(props) do
    if p.area >= min_area then
      out.num_fields = out.num_fields + 1
      out.field_sizes[out.num_fields] = p.area
      out.field_peaks[out.num_fields] = p.max_intensity
      out.field_centers[out.num_fields] = p.centroid
    end
  end
  return out
end

--- Grid spacing of a rate map in bins (upstream `compute_grid_spacing`).
-- "autocorr": the median distance from the autocorrelogram's centre
-- (shape // 2) of its regional maxima farther than 5 bins (nil with fewer
-- than 2 maxima or none beyond 5); "fft": rows / distance of the strongest
-- non-central peak of the centred power spectrum (the 5 x 5 centre
-- excluded).
-- @param rate_map 2-D
-- @param[opt] ... `method` ("autocorr" or "fft")
-- @treturn number|nil
function M.compute_grid_spacing(rate_map, ...)
  local fn = "compute_grid_spacing"
  local o = kw.parse(fn, 2, {"method"}, {method = "autocorr"}, ...)
  local r = f64(kw.array(rate_map, fn, 1, "rate_map", {ndim = 2, min_size = 1, finite = true}))
  local method = A.string(o.method, fn, "method", nil, {choices = {"autocorr", "fft"}})
  if method == "autocorr" then
    local ac = core.image.autocorr2d(r, 0.8)
    local mx = C.regional_maxima(ac, 1):totable()
    local h, w = ac:shape()[1], ac:shape()[2]
    local cr, ccol = h // 2, w // 2
    local d, count = {}, 0
    for i = 1, h do
      for j = 1, w do
        if mx[i][j] then
          count = count + 1
          local dist = math.sqrt((i - 1 - cr) ^ 2 + (j - 1 - ccol) ^ 2)
          if dist > 5 then d[#d + 1] = dist end
        end
      end
    end
    if count < 2 or #d == 0 then return nil end
    return median(d)
  end
  local pw = C.power_spectrum(r)
  local h, w = pw:shape()[1], pw:shape()[2]
  local t = pw:totable()
  local cr, ccol = h // 2, w // 2
  for i = math.max(cr - 2, 0), math.min(cr + 2, h - 1) do
    for j = math.max(ccol - 2, 0), math.min(ccol + 2, w - 1) do t[i + 1][j + 1] = 0 end
  end
  local bi, bj, best = 0, 0, -math.huge
  for i = 1, h do
    for j = 1, w do
      if t[i][j] > best then best, bi, bj = t[i][j], i - 1, j - 1 end
    end
  end
  local dist = math.sqrt((bi - cr) ^ 2 + (bj - ccol) ^ 2)
  if dist > 0 then return h / dist end
  return nil
end

return M
