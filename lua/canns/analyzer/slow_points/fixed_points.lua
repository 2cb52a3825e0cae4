--- The fixed-point container (upstream
-- `canns.analyzer.slow_points.FixedPoints`): arrays of n points, a subset
-- / de-duplication / eigen-decomposition / summary.
--
-- Fields (nil when absent): `xstar` (n, S), `F_xstar`, `x_init`, `inputs`
-- (n, I), `qstar` (n), `dq`, `n_iters`, `J_xstar` (n, S, S), `dFdu`
-- (n, S, I), `eigval_J_xstar` (n, S, 2) and `eigvec_J_xstar` (n, S, S, 2)
-- (complex numbers as (re, im) pairs, float32; eigenvalues by |λ|
-- descending, eigenvectors in columns), `is_stable` (n, bool),
-- `cond_id`, `tol_unique = 1e-3`, `dtype = "float32"`.
-- @module canns.analyzer.slow_points.fixed_points

local core = require "canns.core"
local A = require "canns.argcheck"

local FP = {}
FP.__index = FP
FP.__name = "canns.analyzer.slow_points.FixedPoints"

local FIELDS = {"xstar", "F_xstar", "x_init", "inputs", "qstar", "dq", "n_iters", "J_xstar",
                "dFdu", "eigval_J_xstar", "eigvec_J_xstar", "is_stable", "cond_id"}
FP.FIELDS = FIELDS

--- Build from a table of the fields above.
function FP.new(t)
  local fn = "FixedPoints"
  local o = A.options(t, fn, {"xstar", "F_xstar", "x_init", "inputs", "qstar", "dq", "n_iters",
                              "J_xstar", "dFdu", "eigval_J_xstar", "eigvec_J_xstar", "is_stable",
                              "cond_id", "tol_unique", "dtype", "verbose"})
  local self = setmetatable({}, FP)
  for _, k in ipairs(FIELDS) do
    if o[k] ~= nil then self[k] = A.array(o[k], fn, k, nil, {convert = true}) end
  end
  self.tol_unique = A.number(o.tol_unique, fn, "tol_unique", nil, {min = 0, default = 1e-3})
  self.dtype = A.string(o.dtype, fn, "dtype", nil, {default = "float32"})
  self.verbose = o.verbose
  local ref = self.xstar or self.x_init
  self.n = ref and ref:shape(1) or 0
  self.n_states = ref and ref:ndim() == 2 and ref:shape(2) or 0
  self.n_inputs = self.inputs and self.inputs:shape(2) or 0
  local n = self.n
  for _, k in ipairs(FIELDS) do
    if self[k] and self[k]:shape(1) ~= n then
      A.fail(fn, k, nil, "must have %d rows (as xstar), got %s", n, A.describe(self[k]))
    end
  end
  return self
end
setmetatable(FP, {__call = function(_, t) return FP.new(t) end})

function FP:__len() return self.n end

local function take(a, idx)
  if #idx == 0 then
    local s = a:shape()
    s[1] = 0
    return core.zeros(s, a:dtype())
  end
  local rows = {}
  for i, j in ipairs(idx) do rows[i] = a:slice(1, j) end
  return core.concatenate(rows, 1)
end

--- A subset: an integer i (keeps the leading axis, length 1), a list of
-- 1-based indices, or a bool array / list of booleans (a mask).
function FP:subset(idx)
  local fn = "FixedPoints:subset"
  local list = {}
  if math.type(idx) == "integer" then
    if idx < 1 or idx > self.n then A.fail(fn, 1, "index", "must be in 1..%d, got %d", self.n, idx) end
    list = {idx}
  elseif core.isarray(idx) and idx:dtype() == "bool" then
    if idx:size() ~= self.n then A.fail(fn, 1, "mask", "must have %d elements, got %s", self.n, A.describe(idx)) end
    local t = idx:flatten():totable()
    for i = 1, self.n do if t[i] then list[#list + 1] = i end end
  else
    local t = core.isarray(idx) and idx:flatten():totable() or idx
    if type(t) ~= "table" then A.fail(fn, 1, "index", "must be an integer, a list or a mask, got %s", A.describe(idx)) end
    for i, v in ipairs(t) do
      if type(v) == "boolean" then
        if #t ~= self.n then A.fail(fn, 1, "mask", "must have %d entries, got %d", self.n, #t) end
        if v then list[#list + 1] = i end
      else
        v = A.int(v, fn, 1, "index", {min = 1, max = self.n})
        list[#list + 1] = v
      end
    end
  end
  local t = {tol_unique = self.tol_unique, dtype = self.dtype, verbose = self.verbose}
  for _, k in ipairs(FIELDS) do if self[k] then t[k] = take(self[k], list) end end
  local out = FP.new(t)
  if self.n == 0 or #list == 0 then out.n = #list end
  return out
end

--- Unique fixed points (upstream `get_unique`): walk the points in order;
-- an unmarked point and all points (marked or not) within tol_unique of it
-- in [xstar | inputs] are marked and the one with the smallest qstar
-- (first on ties) kept.  A kept index may repeat, as upstream.
function FP:get_unique()
  local n = self.n
  if n == 0 then return self end
  local X = self.xstar:astype("float64"):totable()
  local U = self.inputs and self.inputs:astype("float64"):totable()
  local q = self.qstar and self.qstar:astype("float64"):totable()
  local data = {}
  for i = 1, n do
    local r = {}
    for _, v in ipairs(X[i]) do r[#r + 1] = v end
    if U then for _, v in ipairs(U[i]) do r[#r + 1] = v end end
    data[i] = r
  end
  local tol2, d = self.tol_unique * self.tol_unique, #data[1]
  local marked, keep = {}, {}
  for i = 1, n do
    if not marked[i] then
      local a, near = data[i], {}
      for j = 1, n do
        local b, s = data[j], 0
        for k = 1, d do
          local e = a[k] - b[k]
          s = s + e * e
        end
        if s <= tol2 then near[#near + 1] = j end
      end
      if #near > 1 then
        local best = near[1]
        for _, j in ipairs(near) do
          if q and q[j] < q[best] then best = j end
          marked[j] = true
        end
        keep[#keep + 1] = best
      else
        keep[#keep + 1] = i
      end
    end
  end
  return self:subset(keep)
end

--- Eigen-decompose J_xstar (LAPACK dgeev through canns.linalg.eig): fills
-- eigval_J_xstar, eigvec_J_xstar and is_stable (max |λ| < 1).  A point
-- whose J holds NaN gets NaN eigen-data and is unstable.  A no-op when
-- already decomposed.
function FP:decompose_jacobians(verbose)
  if self.eigval_J_xstar then return end
  if not self.J_xstar then A.error("FixedPoints:decompose_jacobians", "J_xstar is not set") end
  local n, S = self.n, self.n_states
  if verbose then print(string.format("Decomposing %d Jacobians...", n)) end
  local ev, evec, st = core.zeros({n, S, 2}), core.zeros({n, S, S, 2}), core.zeros(n, "bool")
  local ns = 0
  for p = 1, n do
    local J = self.J_xstar[p]:astype("float64")
    if not core.all(core.isfinite(J)) then
      io.stderr:write(string.format("warning: Jacobian %d contains NaN; marked unstable\n", p))
      ev[p]:fill(0 / 0)
      evec[p]:fill(0 / 0)
    else
      local wr, wi, VR = core.eig(J)
      wr, wi, VR = wr:totable(), wi:totable(), VR:totable()
      local order = {}
      for k = 1, S do order[k] = k end
      local mag = {}
      for k = 1, S do mag[k] = math.sqrt(wr[k] ^ 2 + wi[k] ^ 2) end
      table.sort(order, function(x, y) if mag[x] ~= mag[y] then return mag[x] > mag[y] end return x < y end)
      for c, k in ipairs(order) do
        ev[{p, c, 1}] = wr[k]
        ev[{p, c, 2}] = wi[k]
        -- LAPACK packing: a pair k, k+1 (wi[k] > 0) has vectors VR[:,k] ± i VR[:,k+1]
        local re, im, sg = k, nil, 1
        if wi[k] > 0 then im = k + 1 elseif wi[k] < 0 then re, im, sg = k - 1, k, -1 end
        for r = 1, S do
          evec[{p, r, c, 1}] = VR[r][re]
          evec[{p, r, c, 2}] = im and sg * VR[r][im] or 0
        end
      end
      if mag[order[1]] < 1 then
        st[p] = true
        ns = ns + 1
      end
    end
  end
  self.eigval_J_xstar, self.eigvec_J_xstar, self.is_stable = ev, evec, st
  if verbose then print(string.format("Found %d stable and %d unstable fixed points.", ns, n - ns)) end
end

--- max |λ| of each point (a float32 array (n)); needs the decomposition.
function FP:max_abs_eigenvalue()
  if not self.eigval_J_xstar then return nil end
  local ev = self.eigval_J_xstar
  local m = core.sqrt(core.square(ev:slice(3, 1)) + core.square(ev:slice(3, 2)))
  return m:reshape(self.n, self.n_states):max(2)
end

local function median(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = v end
  table.sort(s)
  local n = #s
  if n == 0 then return 0 / 0 end
  return n % 2 == 1 and s[(n + 1) // 2] or 0.5 * (s[n // 2] + s[n // 2 + 1])
end
FP._median = median

--- Print upstream's summary block.
function FP:print_summary()
  print("=== Fixed Points Summary ===")
  print(string.format("Number of fixed points: %d", self.n))
  print(string.format("State dimension: %d", self.n_states))
  print(string.format("Input dimension: %d", self.n_inputs))
  if self.n > 0 and self.qstar then
    local q = self.qstar:totable()
    print(string.format("q values: min=%.2e, median=%.2e, max=%.2e", self.qstar:min(), median(q),
                        self.qstar:max()))
  end
  if self.n > 0 and self.n_iters then
    local it = self.n_iters:astype("float64"):totable()
    print(string.format("Iterations: min=%.0f, median=%.0f, max=%.0f", self.n_iters:min(),
                        median(it), self.n_iters:max()))
  end
  if self.is_stable then
    local k = 0
    for _, v in ipairs(self.is_stable:totable()) do if v then k = k + 1 end end
    print(string.format("Stable fixed points: %d / %d", k, self.n))
  end
end

return FP
