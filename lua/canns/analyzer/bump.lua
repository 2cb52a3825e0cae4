--- Bump analysis of CANN activity: population-vector centre (ring and
-- torus), height, width and tracking lag.
--
--     local out = canns.run(cann, task.data, {record = {"r"}})
--     local c = canns.analyzer.bump_center(cann, out.r)      -- (T,) array
--     local lag = canns.analyzer.tracking_lag(cann, out.r, task.Iext_sequence)
--
-- `activity` is one state (shape of the model) or a time series with time
-- first; results are a number (or {x, y}) for one state and an array with
-- time first for a series.  The model gives the coordinates (`cann.x`) and
-- the feature range (`z_min`, `z_max`; default [-pi, pi]).  Every sum is
-- computed by array operations in C.
--
-- Centre: the angle of sum_n r_n exp(i phi_n), phi_n the neuron's position
-- mapped onto [0, 2pi) (upstream `BaseCANN1D` population-vector decoding; on the default range phi = x
-- and the result is in (-pi, pi]).  An all-zero state decodes to z = 0 of
-- the angle, like upstream (atan2(0, 0) = 0).  On the torus the two
-- coordinates are decoded independently: x from the columns, y from the
-- rows.
-- @module canns.analyzer.bump

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local TWO_PI = 2 * math.pi

local function range_of(cann)
  local zmin = cann.z_min or -math.pi
  local zmax = cann.z_max or math.pi
  return zmin, zmax - zmin
end

-- The model: a C model, or a table with coordinates `x` (an array) and a
-- `shape` (a table of one or two extents); z_min / z_max, when given, are
-- finite numbers with z_min < z_max.
local function check_model(fname, cann)
  local ok = (type(cann) == "table" or core.ismodel(cann))
  local x, shape = ok and cann.x, ok and cann.shape
  if not (core.isarray(x) and type(shape) == "table" and (#shape == 1 or #shape == 2)) then
    A.fail(fname, 1, "cann", "must be a model with coordinates x and a shape, got %s", A.describe(cann))
  end
  for i = 1, #shape do
    if math.type(shape[i]) ~= "integer" or shape[i] < 1 then
      A.fail(fname, 1, "cann", "must have a shape of positive integers, got %s", A.describe(shape[i]))
    end
  end
  if x:size() ~= shape[1] then
    A.fail(fname, 1, "cann", "must have %d coordinates x, got %s", shape[1], A.describe(x))
  end
  local zmin = A.number(cann.z_min, fname, 1, "cann.z_min", {optional = true})
  local zmax = A.number(cann.z_max, fname, 1, "cann.z_max", {optional = true})
  if zmin and zmax and not (zmin < zmax) then
    A.fail(fname, 1, "cann", "must have z_min < z_max, got %s and %s", A.describe(zmin), A.describe(zmax))
  end
end

local function check(fname, cann, activity)
  check_model(fname, cann)
  A.array(activity, fname, 2, "activity")
  local shape, s = cann.shape, activity:shape()
  local nd = #shape
  local series = #s == nd + 1
  local function bad()
    A.fail(fname, 2, "activity", "must have shape {%s} or {T, %s}, got {%s}", table.concat(shape, ", "),
           table.concat(shape, ", "), table.concat(s, ", "))
  end
  if not series and #s ~= nd then bad() end
  for i = 1, nd do
    if s[i + (series and 1 or 0)] ~= shape[i] then bad() end
  end
  return nd, series
end

-- Phase of each coordinate on [0, 2pi) (exactly x on the default range).
local function phases(cann)
  local zmin, Z = range_of(cann)
  local x = cann.x
  if zmin == -math.pi and Z == TWO_PI then return x end
  return (x - zmin) * (TWO_PI / Z)
end

local function to_position(cann, angle)
  local zmin, Z = range_of(cann)
  if zmin == -math.pi and Z == TWO_PI then return angle end
  -- angle in (-pi, pi] -> [0, 2pi) -> [z_min, z_max)
  return core.mod(angle, TWO_PI) * (Z / TWO_PI) + zmin
end

-- Wrap differences into (-Z/2, Z/2].
local function wrap(cann, d)
  local _, Z = range_of(cann)
  local w = core.mod(d, Z)
  return core.where(core.gt(w, Z / 2), w - Z, w)
end

-- Angles of weighted sums: w is (T, n) (or (n,)), phi (n,).  The sums are
-- the fixed-block reductions of canns.sum (not a BLAS matrix product,
-- whose blocking follows the thread count), so the centre is bit-identical
-- for any number of threads.
local function decode(w, phi)
  if w:ndim() == 1 then w = w:reshape({ 1, -1 }) end
  local n = phi:size()
  local re = core.sum(w * core.cos(phi):reshape({ 1, n }), 2)
  local im = core.sum(w * core.sin(phi):reshape({ 1, n }), 2)
  return core.atan2(im, re)
end

--- Population-vector centre of the bump.
-- @tparam model cann the model (for x, z_min, z_max, shape)
-- @tparam array activity r or u: (N,) / (T, N) on the ring,
--   (L, L) / (T, L, L) on the torus
-- @return a number (ring, one state), an array (T,) (ring, series),
--   `{x, y}` (torus, one state) or an array (T, 2) (torus, series)
function M.bump_center(cann, activity)
  local nd, series = check("bump_center", cann, activity)
  local phi = phases(cann)
  if nd == 1 then
    local c = to_position(cann, decode(activity, phi))
    return series and c or c:item()
  end
  local a = series and activity or activity:reshape({ 1, cann.shape[1], cann.shape[2] })
  local cols = core.sum(a, 2) -- (T, L): summed over rows -> weights of x[j]
  local rows = core.sum(a, 3) -- (T, L): summed over columns -> weights of y[i]
  local cx = to_position(cann, decode(cols, phi))
  local cy = to_position(cann, decode(rows, phi))
  local T = a:shape()[1]
  local out = core.concatenate({ cx:reshape({ T, 1 }), cy:reshape({ T, 1 }) }, 2)
  if series then return out end
  return { out[{ 1, 1 }], out[{ 1, 2 }] }
end

--- Height of the bump: the maximum over neurons.
-- @tparam model cann the model
-- @tparam array activity one state or a series (time first)
-- @return a number or an array (T,)
function M.bump_height(cann, activity)
  local nd, series = check("bump_height", cann, activity)
  if not series then return core.max(activity) end
  local T = activity:shape()[1]
  return core.max(activity:reshape({ T, -1 }), 2)
end

--- Width of the bump: the weighted standard deviation of the neuron
-- positions around the centre, sqrt(sum w d^2 / sum w) with d the wrapped
-- distance (for r of a CANN1D this is a; on the torus the mean of the two
-- axes' variances, so an isotropic Gaussian of s.d. s gives s).
-- @tparam model cann the model
-- @tparam array activity one state or a series (time first)
-- @return a number or an array (T,)
function M.bump_width(cann, activity)
  local nd, series = check("bump_width", cann, activity)
  local x = cann.x
  local c = M.bump_center(cann, series and activity or activity:reshape({ 1, table.unpack(cann.shape) }))
  local T = c:shape()[1]
  local function axis_var(w, cen) -- w (T, n), cen (T,)
    local d = wrap(cann, x:reshape({ 1, -1 }) - cen:reshape({ T, 1 }))
    local num = core.sum(w * d * d, 2)
    return num / core.sum(w, 2)
  end
  local width
  if nd == 1 then
    width = core.sqrt(axis_var(series and activity or activity:reshape({ 1, -1 }), c))
  else
    local a = series and activity or activity:reshape({ 1, cann.shape[1], cann.shape[2] })
    local vx = axis_var(core.sum(a, 2), c:slice(2, 1):reshape({ T }))
    local vy = axis_var(core.sum(a, 3), c:slice(2, 2):reshape({ T }))
    width = core.sqrt((vx + vy) * 0.5)
  end
  return series and width or width:item()
end

--- Lag of the bump behind the stimulus: wrap(centre - stimulus) per step
-- (negative: the bump trails; positive: it anticipates).
-- @tparam model cann the model
-- @tparam array activity a series (T, N) or (T, L, L)
-- @tparam array stimulus positions (T,) / (T, 1) on the ring, (T, 2) on
--   the torus (e.g. task.Iext_sequence)
-- @return an array (T,) or (T, 2)
function M.tracking_lag(cann, activity, stimulus)
  local nd, series = check("tracking_lag", cann, activity)
  if not series then A.fail("tracking_lag", 2, "activity", "must be a series (time first)") end
  stimulus = A.array(stimulus, "tracking_lag", 3, "stimulus", {convert = true, dtype = "float"})
  local c = M.bump_center(cann, activity)
  local T = c:shape()[1]
  local want = nd == 1 and T or T * 2
  if stimulus:size() ~= want then
    A.fail("tracking_lag", 3, "stimulus", "must hold %d positions, got shape {%s}", want,
           table.concat(stimulus:shape(), ", "))
  end
  local s = stimulus:astype(c:dtype()):reshape(c:shape())
  return wrap(cann, c - s)
end

return M
