--- Geometry and circular statistics of cell classification (upstream
-- `canns.analyzer.data.cell_classification.utils` geometry, circular_stats
-- and correlation): ellipse fit, polygon area, squared distances, angle
-- helpers, mean resultant length and friends, Pearson correlation.
--
-- Angles and coordinates may be Lua numbers (scalar helpers) or arrays;
-- results are float64.
-- @module canns.analyzer.data.cell_classification.geometry
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"

local M = {}

local function vec(v, fname, arg, name, spec)
  spec = spec or {}
  local a = kw.array(v, fname, arg, name, {min_size = spec.min_size})
  a = core.array(a, "float64")
  if a:ndim() == 0 then a = a:reshape({1}) end
  return a
end

local function is_num(v) return type(v) == "number" end

--- Direct least-squares ellipse fit (upstream `fit_ellipse`, Fitzgibbon):
-- at least 5 points with non-zero extent in x and y.
-- @param x 1-D coordinates
-- @param y 1-D coordinates
-- @treturn canns.array float64 {cx, cy, ru, rv, theta_rad}
function M.fit_ellipse(x, y)
  local fn = "fit_ellipse"
  x = vec(x, fn, 1, "x"):reshape({-1})
  y = vec(y, fn, 2, "y"):reshape({-1})
  return core.array({core.cellc.fit_ellipse(x, y)}, "float64")
end

--- Squared Euclidean distances between the columns of X (d, n) and Y
-- (d, m): max(0, |x|^2 + |y|^2 - 2 x.y), an (n, m) array (upstream
-- `squared_distance`).  1-D inputs are one row (d = 1).
-- @param X array
-- @param Y array
-- @treturn canns.array
function M.squared_distance(X, Y)
  local fn = "squared_distance"
  X = vec(X, fn, 1, "X")
  Y = vec(Y, fn, 2, "Y")
  if X:ndim() == 1 then X = X:reshape({1, -1}) end
  if Y:ndim() == 1 then Y = Y:reshape({1, -1}) end
  if X:ndim() ~= 2 then A.fail(fn, 1, "X", "must be 1-D or 2-D, got %s", A.describe(X)) end
  if Y:ndim() ~= 2 then A.fail(fn, 2, "Y", "must be 1-D or 2-D, got %s", A.describe(Y)) end
  if X:shape()[1] ~= Y:shape()[1] then
    A.fail(fn, 2, "Y", "must have %d rows like X, got %s", X:shape()[1], A.describe(Y))
  end
  local xn = core.sum(X * X, 1):reshape({-1, 1})
  local yn = core.sum(Y * Y, 1):reshape({1, -1})
  local D = xn + yn - core.matmul(X:transpose(), Y) * 2
  return core.maximum(D, 0)
end

--- Polygon area by the shoelace formula (absolute value, implicitly
-- closed; 0 for fewer than 3 vertices) (upstream `polyarea`).
-- @param x vertices
-- @param y vertices
-- @treturn number
function M.polyarea(x, y)
  local fn = "polyarea"
  local xs = A.sequence(x, fn, 1, "x", {finite = true})
  local ys = A.sequence(y, fn, 2, "y", {finite = true})
  if #xs ~= #ys then A.fail(fn, 2, "y", "must have the length of x (%d), got %d", #xs, #ys) end
  local n = #xs
  if n < 3 then return 0.0 end
  local s1, s2 = 0, 0
  for i = 1, n do
    local j = i % n + 1
    s1 = s1 + xs[i] * ys[j]
    s2 = s2 + xs[j] * ys[i]
  end
  return 0.5 * math.abs(s1 - s2)
end

--- atan2(sin a, cos a): angles wrapped to (-pi, pi] (upstream `wrap_to_pi`).
-- @param angles number or array
-- @return number or float64 array
function M.wrap_to_pi(angles)
  if is_num(angles) then return math.atan(math.sin(angles), math.cos(angles)) end
  local a = vec(angles, "wrap_to_pi", 1, "angles")
  return core.atan2(core.sin(a), core.cos(a))
end

--- Cartesian to polar: theta = atan2(y, x), rho = hypot (upstream `cart2pol`).
-- @return theta, rho (numbers or arrays)
function M.cart2pol(x, y)
  if is_num(x) and is_num(y) then return math.atan(y, x), math.sqrt(x * x + y * y) end
  x, y = vec(x, "cart2pol", 1, "x"), vec(y, "cart2pol", 2, "y")
  return core.atan2(y, x), core.sqrt(x * x + y * y)
end

--- Polar to Cartesian (upstream `pol2cart`).
-- @return x, y
function M.pol2cart(theta, rho)
  if is_num(theta) and is_num(rho) then return rho * math.cos(theta), rho * math.sin(theta) end
  theta, rho = vec(theta, "pol2cart", 1, "theta"), vec(rho, "pol2cart", 2, "rho")
  return rho * core.cos(theta), rho * core.sin(theta)
end

-- ------------------------------------------------------------ circular
local function weights(w, a, fn, need_same)
  if w == nil then return nil end
  local wa = vec(w, fn, 2, "w")
  if wa:size() ~= a:size() then
    A.fail(fn, 2, "w", "must have the shape of alpha (%d values), got %s", a:size(), A.describe(w))
  end
  return wa:reshape(a:shape())
end

local function resultant(a, w)
  local c, s = core.cos(a), core.sin(a)
  if w then c, s = c * w, s * w end
  return core.sum(c), core.sum(s), w and core.sum(w) or a:size()
end

local function angles(alpha, fn)
  local a = vec(alpha, fn, 1, "alpha", {min_size = 1})
  return a:reshape({-1})
end

--- Mean resultant length |sum w e^{i alpha}| / sum w, with the binning
-- correction d / (2 sin(d/2)) when `d` is not 0 (upstream `circ_r`).
-- @param alpha angles (radians)
-- @param[opt] ... `w` (weights, default 1), `d` (bin spacing, 0)
-- @treturn number
function M.circ_r(alpha, ...)
  local fn = "circ_r"
  local o = kw.parse(fn, 2, {"w", "d", "axis"}, {d = 0.0}, ...)
  local a = angles(alpha, fn)
  local w = weights(o.w, a, fn)
  local d = A.number(o.d, fn, "d")
  if o.axis ~= nil and o.axis ~= 0 then A.fail(fn, "axis", nil, "must be 0 (1-D data), got %s", A.describe(o.axis)) end
  local c, s, sw = resultant(a, w)
  local r = math.sqrt(c * c + s * s) / sw
  if d ~= 0 then r = r * (d / (2 * math.sin(d / 2))) end
  return r
end

--- Mean direction arg(sum w e^{i alpha}) in (-pi, pi] (upstream `circ_mean`).
-- @param alpha angles
-- @param[opt] ... `w` (weights, same shape as alpha)
-- @treturn number
function M.circ_mean(alpha, ...)
  local fn = "circ_mean"
  local o = kw.parse(fn, 2, {"w", "axis"}, {}, ...)
  local a = angles(alpha, fn)
  local w = weights(o.w, a, fn)
  local c, s = resultant(a, w)
  return math.atan(s, c)
end

--- Circular standard deviations (upstream `circ_std`): s = sqrt(2 (1 - r))
-- and s0 = sqrt(-2 ln r).
-- @return s, s0
function M.circ_std(alpha, ...)
  local fn = "circ_std"
  local o = kw.parse(fn, 2, {"w", "d", "axis"}, {d = 0.0}, ...)
  local r = M.circ_r(alpha, {w = o.w, d = o.d, axis = o.axis})
  return math.sqrt(2 * (1 - r)), math.sqrt(-2 * math.log(r))
end

local function cdist(x, y)
  -- arg(e^{ix} / e^{iy})
  local cx, sx, cy, sy = math.cos(x), math.sin(x), math.cos(y), math.sin(y)
  return math.atan(sx * cy - cx * sy, cx * cy + sx * sy)
end

--- Pairwise circular differences arg(e^{ix} / e^{iy}) of two equal-length
-- angle lists (upstream `circ_dist`).
-- @return number or float64 array
function M.circ_dist(x, y)
  local fn = "circ_dist"
  if is_num(x) and is_num(y) then return cdist(x, y) end
  local xs, ys = A.sequence(x, fn, 1, "x"), A.sequence(y, fn, 2, "y")
  if #xs ~= #ys and #ys ~= 1 and #xs ~= 1 then
    A.fail(fn, 2, "y", "must have the length of x (%d) or 1, got %d", #xs, #ys)
  end
  local n = math.max(#xs, #ys)
  local out = {}
  for i = 1, n do out[i] = cdist(xs[#xs == 1 and 1 or i], ys[#ys == 1 and 1 or i]) end
  return core.array(out, "float64")
end

--- All pairwise circular differences: (i, j) = circ_dist(x_i, y_j), y
-- defaulting to x (upstream `circ_dist2`).
-- @treturn canns.array (n, m)
function M.circ_dist2(x, y)
  local fn = "circ_dist2"
  local xs = A.sequence(x, fn, 1, "x")
  local ys = y == nil and xs or A.sequence(y, fn, 2, "y")
  local out = {}
  for i = 1, #xs do
    local row = {}
    for j = 1, #ys do row[j] = cdist(xs[i], ys[j]) end
    out[i] = row
  end
  if #xs == 0 or #ys == 0 then return core.zeros({#xs, #ys}, "float64") end
  return core.array(out, "float64")
end

--- Rayleigh test of non-uniformity (upstream `circ_rtest`): r = circ_r(alpha,
-- w), n = the number of angles (not the sum of weights), Z = n r^2,
-- p = e^{-Z} (1 + (2Z - Z^2)/(4n) - (24Z - 132Z^2 + 76Z^3 - 9Z^4)/(288 n^2)),
-- not clamped.
-- @treturn number p
function M.circ_rtest(alpha, w)
  local fn = "circ_rtest"
  local r = M.circ_r(alpha, {w = w})
  local n = angles(alpha, fn):size()
  local Z = n * r * r
  return math.exp(-Z) * (1 + (2 * Z - Z * Z) / (4 * n) -
         (24 * Z - 132 * Z ^ 2 + 76 * Z ^ 3 - 9 * Z ^ 4) / (288 * n * n))
end

--- Upstream's aliases in `utils.circular_stats`: `mvl` is `circ_r`,
-- `angular_mean` is `circ_mean`, `angular_std` is `circ_std` and
-- `angular_distance` is `circ_dist` (the same functions, so errors name
-- the original).
M.mvl = M.circ_r
M.angular_mean = M.circ_mean
M.angular_std = M.circ_std
M.angular_distance = M.circ_dist

-- ------------------------------------------------------------ correlation
--- Pearson correlation of x with y, or with every column of y (upstream
-- `pearson_correlation`): centred dot products over centred norms (a
-- constant input gives NaN).
-- @param x (n) values
-- @param y (n) values or (n, m) columns
-- @return number, or a float64 array of m coefficients
function M.pearson_correlation(x, y)
  local fn = "pearson_correlation"
  local xa = vec(x, fn, 1, "x"):reshape({-1, 1})
  local ya = vec(y, fn, 2, "y")
  local single = ya:ndim() == 1
  if single then ya = ya:reshape({-1, 1}) end
  if ya:ndim() ~= 2 then A.fail(fn, 2, "y", "must be 1-D or 2-D, got %s", A.describe(y)) end
  if ya:shape()[1] == 1 and xa:shape()[1] ~= 1 then ya = ya:transpose() end
  local n = xa:shape()[1]
  if ya:shape()[1] ~= n then
    A.fail(fn, 2, "y", "must have %d rows like x, got %s", n, A.describe(y))
  end
  local xc = xa - core.sum(xa, 1) / n
  local yc = ya - core.sum(ya, 1) / n
  local num = core.matmul(xc:transpose(), yc):reshape({-1})
  local dx = math.sqrt(core.sum(xc * xc))
  local dy = core.sqrt(core.sum(yc * yc, 1)):reshape({-1})
  local r = num / dx / dy
  if single or r:size() == 1 then return r[1] end
  return r
end

return M
