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
