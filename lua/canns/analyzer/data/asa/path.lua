--- Aligning decoded coordinates with the animal's path (upstream
-- `canns.analyzer.data.asa.path`): angle units, the time-index map of a
-- decoding (`times_box`), interpolation back to every sample, the skew
-- transform of the torus and its fundamental parallelogram.
-- @module canns.analyzer.data.asa.path

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local TWO_PI = 2 * math.pi

-- An array argument: arrays of any dtype pass, tables become float64.
local function farr(v, fname, arg, name)
  if core.isarray(v) then return v end
  return A.array(v, fname, arg, name, {convert = true, dtype = "float64"})
end
M._farr = farr

-- The array as float64 (itself when it already is).
local function f64(a)
  if a:dtype() ~= "float64" then return a:astype("float64") end
  return a
end
M._f64 = f64

local function vec(v, fname, arg, name)
  local a = farr(v, fname, arg, name)
  if a:ndim() == 2 and a:shape(2) == 1 then a = a:reshape({a:shape(1)}) end
  if a:ndim() ~= 1 then A.fail(fname, arg, name, "must be a 1-d array, got %s", A.describe(a)) end
  a = f64(a)
  return a
end
M._vec = vec

--- Convert decoded angles to radians (upstream `apply_angle_scale`):
-- "rad" as is, "deg" degrees, "unit" turns in [0, 1] (x 2 pi), "auto" turns
-- when every finite value lies in [-0.2, 1.2], else radians.
-- @param coords array of angles
-- @string scale "rad", "deg", "unit" or "auto"
-- @return float64 array of radians
function M.apply_angle_scale(coords, scale)
  local fname = "apply_angle_scale"
  local c = farr(coords, fname, 1, "coords")
  c = f64(c)
  scale = A.string(scale, fname, 2, "scale", {choices = {"rad", "deg", "unit", "auto"}})
  if scale == "rad" then return c end
  if scale == "unit" then return c * TWO_PI end
  if scale == "deg" then return c * (math.pi / 180) end
  local fin = core.isfinite(c)
  if not fin:any() then return c end
  local mn = core.where(fin, c, math.huge):min()
  local mx = core.where(fin, c, -math.huge):max()
  if mx <= 1.2 and mn >= -0.2 then return c * TWO_PI end
  return c
end

--- The 1-based rows of `t_full` that `times_box` names (upstream
-- `parse_times_box_to_indices`): integer arrays are 1-based indices;
-- float arrays of (near-)integers up to #t are indices too; anything else
-- is time stamps, mapped to the first sample at or after each (clamped).
-- @return int64 indices, and the kind ("index", "index(float)", "time")
function M.parse_times_box_to_indices(times_box, t_full)
  local fname = "parse_times_box_to_indices"
  local tb = farr(times_box, fname, 1, "times_box")
  local t = vec(t_full, fname, 2, "t_full")
  local T = t:size()
  if tb:ndim() == 2 and tb:shape(2) == 1 then tb = tb:reshape({tb:shape(1)}) end
  if tb:ndim() ~= 1 then A.fail(fname, 1, "times_box", "must be 1-d, got %s", A.describe(tb)) end
  local dt = tb:dtype()
  if dt == "int32" or dt == "int64" or dt == "uint8" then
    return tb:astype("int64"), "index"
  end
  local f = tb:astype("float64")
  if f:size() > 0 and core.isfinite(f):all() and (f - f:round()):abs():max() < 1e-6 and f:max() <= T then
    return f:round():astype("int64"), "index(float)"
  end
  return core.asa.searchsorted_left(t, f), "time"
end

--- Skew coordinates of the torus' fundamental parallelogram (upstream
-- `skew_transform`): (theta1 + theta2 / 2, sqrt(3)/2 theta2).
-- @param theta {T, 2} angles
-- @return float64 {T, 2}
function M.skew_transform(theta)
  local fname = "skew_transform"
  local th = farr(theta, fname, 1, "theta_2d")
  if th:ndim() ~= 2 or th:shape(2) < 2 then
    A.fail(fname, 1, "theta_2d", "must be a (T, 2) matrix, got %s", A.describe(th))
  end
  local n = th:shape(1)
  local a = th:slice(2, {1, 1}):reshape({n}):astype("float64")
  local b = th:slice(2, {2, 2}):reshape({n}):astype("float64")
  local X = a + b * 0.5
  local Y = b * (math.sqrt(3) / 2)
  return core.asa.stack_columns(X, Y)
end

--- The outline of the fundamental parallelogram (0,0), (2 pi,0),
-- (3 pi, sqrt(3) pi), (pi, sqrt(3) pi) on axes `ax` (upstream
-- `draw_base_parallelogram`).
function M.draw_base_parallelogram(ax)
  local s3 = math.sqrt(3) * math.pi
  ax:plot({0, TWO_PI, 3 * math.pi, math.pi, 0}, {0, 0, s3, s3, 0}, {linewidth = 1.2, color = "0.35"})
end

--- The path of `xy` (skew coordinates) with NaN breaks where it wraps
-- around the parallelogram (upstream `snake_wrap_trail_in_parallelogram`).
function M.snake_wrap_trail_in_parallelogram(xy)
  return core.asa.snake_wrap(farr(xy, "snake_wrap_trail_in_parallelogram", 1, "xy"))
end

--- Read every member of a `.npz` archive into a table of arrays (upstream
-- `load_npz_any`; pickled object members are not readable in canns).
-- @string path the archive
-- @treturn table name -> array
function M.load_npz_any(path)
  local fname = "load_npz_any"
  path = A.string(path, fname, 1, "path")
  return core.load_npz(path)
end

--- Upstream `unwrap_container` unboxes 0-d object arrays that hold a
-- Python object; Lua values are never boxed so, it returns `x` itself.
-- @param x any value
-- @return x
function M.unwrap_container(x)
  return x
end

--- A 1-d float64 copy of an array or a Lua sequence (upstream `as_1d`):
-- any shape is flattened (row-major).
-- @param x array or sequence of numbers
-- @return 1-d array
function M.as_1d(x)
  local a = farr(x, "as_1d", 1, "x")
  return f64(a):reshape({a:size()})
end

local BASE_KEYS = {"coords", "theta", "thetas", "circular_coords", "cc", "decoded_coords"}
local BOX_KEYS = {"coordsbox", "coords_box", "coordsBox", "coords_box_full"}
local PAIR1 = {"theta1", "th1", "phi1", "u", "circ1"}
local PAIR2 = {"theta2", "th2", "phi2", "v", "circ2"}

local function is_mat(v, exact2)
  return core.isarray(v) and v:ndim() == 2 and (exact2 and v:shape(2) == 2 or (not exact2 and v:shape(2) >= 2))
end

local function key_list(dec)
  local ks = {}
  for k in pairs(dec) do ks[#ks + 1] = tostring(k) end
  table.sort(ks)
  return table.concat(ks, ", ")
end

--- The decoded coordinate matrix (N, D >= 2) of a decoding (upstream
-- `find_coords_matrix`): `coords_key` when given; else the first (N, 2)
-- matrix among coords, theta, thetas, circular_coords, cc, decoded_coords,
-- then among coordsbox, coords_box, coordsBox, coords_box_full; then any
-- matrix with >= 2 columns (box keys first with `prefer_box_fallback`);
-- then two 1-d arrays of equal length (theta1/theta2, th1/th2, ...).
-- @tparam table dec the decoding
-- @string[opt] coords_key
-- @bool[opt] prefer_box_fallback (false)
-- @return the matrix and the key it came from ("k1+k2" for a pair)
function M.find_coords_matrix(dec, coords_key, prefer_box_fallback)
  local fname = "find_coords_matrix"
  A.table(dec, fname, 1, "dec")
  prefer_box_fallback = A.boolean(prefer_box_fallback, fname, 3, "prefer_box_fallback", {default = false})
  if coords_key ~= nil then
    coords_key = A.string(coords_key, fname, 2, "coords_key")
    local v = dec[coords_key]
    if v == nil then A.fail(fname, 2, "coords_key", "'%s' not found; keys: %s", coords_key, key_list(dec)) end
    if not is_mat(v, false) then
      A.fail(fname, 2, "coords_key", "'%s' must be 2-d with >= 2 columns, got %s", coords_key, A.describe(v))
    end
    return v, coords_key
  end
  for _, keys in ipairs({BASE_KEYS, BOX_KEYS}) do
    for _, k in ipairs(keys) do
      if is_mat(dec[k], true) then return dec[k], k end
    end
  end
  local first, second = BASE_KEYS, BOX_KEYS
  if prefer_box_fallback then first, second = BOX_KEYS, BASE_KEYS end
  for _, keys in ipairs({first, second}) do
    for _, k in ipairs(keys) do
      if is_mat(dec[k], false) then return dec[k], k end
    end
  end
  for _, k1 in ipairs(PAIR1) do
    for _, k2 in ipairs(PAIR2) do
      if dec[k1] ~= nil and dec[k2] ~= nil then
        local a, b = M.as_1d(dec[k1]), M.as_1d(dec[k2])
        if a:size() == b:size() and a:size() > 0 then
          return core.asa.stack_columns(a, b), k1 .. "+" .. k2
        end
      end
    end
  end
  A.fail(fname, 1, "dec", "holds no decoded coordinate matrix; keys: %s", key_list(dec))
end

--- The samples of a window (upstream `resolve_time_slice`), as 1-based
-- first and last rows (inclusive; last < first when empty): the index
-- bounds `imin`, `imax` (1-based, inclusive, clamped) when either is
-- given, else the samples with `tmin` <= t <= `tmax` (swapped when
-- reversed; nil: the ends).
-- @param t increasing times
-- @tparam[opt] number tmin
-- @tparam[opt] number tmax
-- @tparam[opt] int imin
-- @tparam[opt] int imax
-- @return first, last
function M.resolve_time_slice(t, tmin, tmax, imin, imax)
  local fname = "resolve_time_slice"
  local tt = vec(t, fname, 1, "t")
  local T = tt:size()
  if imin ~= nil or imax ~= nil then
    local i0 = imin == nil and 1 or math.max(1, A.int(imin, fname, 4, "imin"))
    local i1 = imax == nil and T or math.min(T, A.int(imax, fname, 5, "imax"))
    return i0, i1
  end
  if tmin == nil and tmax == nil then return 1, T end
  if T == 0 then return 1, 0 end
  tmin = tmin == nil and tt:get(1) or A.number(tmin, fname, 2, "tmin")
  tmax = tmax == nil and tt:get(T) or A.number(tmax, fname, 3, "tmax")
  if tmax < tmin then tmin, tmax = tmax, tmin end
  -- first row with t >= tmin, last row with t <= tmax
  local lo = core.lt(tt, tmin):astype("int64"):sum() + 1
  local hi = core.le(tt, tmax):astype("int64"):sum()
  return lo, hi
end

local function interp_full(fname, ncol, idx_map, coords, T_full)
  local idx = farr(idx_map, fname, 1, "idx_map")
  idx = idx:reshape({idx:size()})
  if idx:dtype() ~= "int64" then idx = idx:astype("float64"):floor():astype("int64") end
  local c = f64(farr(coords, fname, 2, ncol == 1 and "coords1" or "coords2"))
  if ncol == 1 then
    if c:ndim() == 2 and c:shape(2) == 1 then c = c:reshape({c:shape(1)}) end
    if c:ndim() ~= 1 then A.fail(fname, 2, "coords1", "must have shape (K,) or (K, 1), got %s", A.describe(c)) end
    c = c:reshape({c:size(), 1})
  else
    if c:ndim() ~= 2 or c:shape(2) < 2 then
      A.fail(fname, 2, "coords2", "must be a (K, 2) matrix, got %s", A.describe(c))
    end
    if c:shape(2) > 2 then c = c:slice(2, {1, 2}):copy() end
  end
  if idx:size() ~= c:shape(1) then
    A.fail(fname, 1, "idx_map", "has %d entries but the coordinates have %d rows", idx:size(), c:shape(1))
  end
  if idx:size() == 0 then A.fail(fname, 1, "idx_map", "is empty") end
  T_full = A.int(T_full, fname, 3, "T_full", {min = 1})
  return core.asa.interp_angles(idx, c, T_full)
end

--- Decoded angles (K, 2) at rows `idx_map` (1-based, any order; the
-- first of repeated rows kept) interpolated to every row 1..T_full
-- (upstream `interp_coords_to_full`): unwrapped, linear (held constant
-- beyond the ends), mod 2 pi.
-- @param idx_map K rows
-- @param coords2 (K, 2) angles (radians)
-- @int T_full
-- @return (T_full, 2) float64
function M.interp_coords_to_full(idx_map, coords2, T_full)
  return interp_full("interp_coords_to_full", 2, idx_map, coords2, T_full)
end

--- The 1-D version (upstream `interp_coords_to_full_1d`): coords (K,) or
-- (K, 1); returns (T_full, 1).
-- @param idx_map K rows (1-based)
-- @param coords1 angles
-- @int T_full
-- @return (T_full, 1) float64
function M.interp_coords_to_full_1d(idx_map, coords1, T_full)
  return interp_full("interp_coords_to_full_1d", 1, idx_map, coords1, T_full)
end

local function align(fname, ncol, t_full, x_full, y_full, coords, use_box, times_box, interp_to_full)
  local t = vec(t_full, fname, 1, "t_full")
  local x = vec(x_full, fname, 2, "x_full")
  local y = vec(y_full, fname, 3, "y_full")
  local c = farr(coords, fname, 4, "coords")
  c = f64(c)
  if ncol == 1 then
    if c:ndim() == 1 then c = c:reshape({c:size(), 1}) end
    if c:ndim() ~= 2 or c:shape(2) ~= 1 then
      A.fail(fname, 4, "coords", "must have shape (T,) or (T, 1), got %s", A.describe(c))
    end
  elseif c:ndim() ~= 2 or c:shape(2) < 2 then
    A.fail(fname, 4, "coords", "must be a (T, 2) matrix, got %s", A.describe(c))
  end
  use_box = A.boolean(use_box, fname, 5, "use_box", {default = false})
  interp_to_full = A.boolean(interp_to_full, fname, 7, "interp_to_full", {default = false})
  local T = t:size()
  if x:size() ~= T or y:size() ~= T then
    A.fail(fname, 2, "x_full", "and y_full must have the length of t_full (%d), got %d and %d", T,
           x:size(), y:size())
  end
  local K = c:shape(1)
  if not use_box then
    if K ~= T then
      A.error(fname, "coords length %d != t length %d (set use_box if you have times_box)", K, T)
    end
    return t, x, y, c, "full(no-box)"
  end
  if times_box == nil then
    if K == T then return t, x, y, c, "full(use-box but no times_box; treated as full)" end
    A.error(fname, "use_box is true but times_box is nil, and coords is not full-length (%d of %d)", K, T)
  end
  local idx, kind = M.parse_times_box_to_indices(times_box, t)
  if K == T and idx:size() == T then
    return t, x, y, c, string.format("full(coords already full; times_box kind=%s ignored)", kind)
  end
  if idx:size() ~= K then
    A.fail(fname, 6, "times_box", "length %d != coords length %d", idx:size(), K)
  end
  if interp_to_full then
    if idx:min() < 1 or idx:max() > T then
      A.fail(fname, 6, "times_box", "indices must be in 1..%d, got %d..%d", T, idx:min(), idx:max())
    end
    local full = core.asa.interp_angles(idx, c, T)
    return t, x, y, full, string.format("interp_to_full(times_box kind=%s, K=%d)", kind, K)
  end
  local order = core.asa.argsort(idx)
  idx = core.asa.take(idx, order)
  c = core.asa.take(c, order)
  idx = idx:clip(1, T)
  return core.asa.take(t, idx), core.asa.take(x, idx), core.asa.take(y, idx), c,
         string.format("subset(times_box kind=%s, K=%d)", kind, K)
end

--- Align 2-D decoded coordinates with the trajectory (upstream
-- `align_coords_to_position_2d`).  Without `use_box` the coordinates must
-- have one row per sample.  With it, `times_box` (1-based rows, or time
-- stamps) says which sample each row belongs to: `interp_to_full`
-- interpolates the (unwrapped) angles to every sample, otherwise the
-- samples are picked (in time order).
-- @return t, x, y, coords, tag (a string naming the path taken)
function M.align_coords_to_position_2d(t_full, x_full, y_full, coords2, use_box, times_box, interp_to_full)
  return align("align_coords_to_position_2d", 2, t_full, x_full, y_full, coords2, use_box,
               times_box, interp_to_full)
end

--- The 1-D version (upstream `align_coords_to_position_1d`): coords (T,)
-- or (T, 1); returns coords as (T, 1).
function M.align_coords_to_position_1d(t_full, x_full, y_full, coords1, use_box, times_box, interp_to_full)
  return align("align_coords_to_position_1d", 1, t_full, x_full, y_full, coords1, use_box,
               times_box, interp_to_full)
end

return M
