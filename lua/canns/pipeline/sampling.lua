--- Parameter sets of a sweep: grids, explicit lists, seeded random and
-- Latin-hypercube samples, and the per-point seeds.
--
-- A design is a table `{kind, names, points, shape, values}`: `names` the
-- parameter names in sorted order, `points[i]` the i-th parameter table,
-- `shape` (grids only) the number of values of each name, `values[name]`
-- (grids only) the list of values along that axis.  Grid points are
-- enumerated in C order: the last name varies fastest.
-- @module canns.pipeline.sampling

local A = require "canns.argcheck"
local core = require "canns.core"

local S = {}

local function sorted_keys(t, fname, arg)
  local names = {}
  for k in pairs(t) do
    if type(k) ~= "string" then
      A.fail(fname, arg, "params", "must map parameter names (strings) to values, got key %s", A.describe(k))
    end
    names[#names + 1] = k
  end
  table.sort(names)
  return names
end

local function check_value(v, fname, what)
  local t = type(v)
  if t == "number" then
    if v ~= v then A.error(fname, "%s is NaN", what) end
    return v
  elseif t == "string" then
    return v
  end
  A.error(fname, "%s must be a number or a string, got %s", what, A.describe(v))
end

--- A grid: every combination of the listed values.
-- @tparam table params `{name = {v1, v2, ...} or a 1-D array, ...}`
-- @treturn table design
function S.grid(params, fname)
  fname = fname or "Sweep"
  local names = sorted_keys(params, fname, "params")
  if #names == 0 then A.fail(fname, "params", nil, "is empty: give at least one parameter") end
  local values, shape, total = {}, {}, 1
  for d, name in ipairs(names) do
    local v = params[name]
    local list
    if core.isarray(v) then
      if v:ndim() ~= 1 then
        A.fail(fname, "params." .. name, nil, "must be a list or a 1-D array, got %s", A.describe(v))
      end
      list = v:astype("float64"):totable()
    elseif type(v) == "table" then
      list = {}
      for i = 1, #v do list[i] = check_value(v[i], fname, ("params.%s[%d]"):format(name, i)) end
    else
      list = {check_value(v, fname, "params." .. name)} -- a single value: a fixed parameter
    end
    if #list == 0 then
      A.fail(fname, "params." .. name, nil, "has no values: a grid needs at least one")
    end
    values[name], shape[d] = list, #list
    total = total * #list
    if total > 1e8 then A.fail(fname, "params", nil, "is too large: at most 1e8 points, got more") end
  end
  local points = {}
  for i = 0, total - 1 do
    local p, rest = {}, i
    for d = #names, 1, -1 do
      local n = shape[d]
      p[names[d]] = values[names[d]][rest % n + 1]
      rest = rest // n
    end
    points[i + 1] = p
  end
  return {kind = "grid", names = names, points = points, shape = shape, values = values}
end

--- An explicit list of parameter tables (every table must name the same
-- parameters).
function S.list(params, fname)
  fname = fname or "Sweep"
  if #params == 0 then A.fail(fname, "params", nil, "is an empty list: give at least one point") end
  local names = sorted_keys(params[1], fname, "params[1]")
  local points = {}
  for i, p in ipairs(params) do
    if type(p) ~= "table" then
      A.fail(fname, "params", nil, "must be a list of tables, got %s at position %d", A.describe(p), i)
    end
    local q, n = {}, 0
    for k, v in pairs(p) do
      if p[1] ~= nil or type(k) ~= "string" then
        A.fail(fname, "params", nil, "point %d must map names to values, got key %s", i, A.describe(k))
      end
      q[k] = check_value(v, fname, ("params[%d].%s"):format(i, k))
      n = n + 1
    end
    for _, k in ipairs(names) do
      if q[k] == nil then
        A.fail(fname, "params", nil, "point %d lacks parameter '%s' (point 1 has it)", i, k)
      end
    end
    if n ~= #names then
      A.fail(fname, "params", nil, "point %d names other parameters than point 1", i)
    end
    points[i] = q
  end
  return {kind = "list", names = names, points = points}
end

local function ranges(params, fname)
  local names = sorted_keys(params, fname, "params")
  if #names == 0 then A.fail(fname, "params", nil, "is empty: give at least one parameter") end
  local lo, hi = {}, {}
  for _, name in ipairs(names) do
    local r = A.sequence(params[name], fname, "params." .. name, nil, {finite = true})
    if #r ~= 2 or not (r[1] <= r[2]) then
      A.fail(fname, "params." .. name, nil, "must be a range {low, high} with low <= high, got %s",
             A.describe(params[name]))
    end
    lo[name], hi[name] = r[1], r[2]
  end
  return names, lo, hi
end

--- `samples` points drawn uniformly in the ranges `{name = {low, high}}`
-- from the Philox generator seeded with `seed`.
function S.random(params, samples, seed, fname)
  fname = fname or "Sweep"
  local names, lo, hi = ranges(params, fname)
  local g = core.random.Generator(seed)
  local u = g:uniform({samples, #names}, 0, 1, "float64"):totable()
  local points = {}
  for i = 1, samples do
    local p = {}
    for d, name in ipairs(names) do p[name] = lo[name] + (hi[name] - lo[name]) * u[i][d] end
    points[i] = p
  end
  return {kind = "random", names = names, points = points}
end

--- A Latin-hypercube sample: each range is cut into `samples` equal
-- strata and every stratum of every parameter holds exactly one point
-- (random position inside it, random pairing across parameters).
function S.latin_hypercube(params, samples, seed, fname)
  fname = fname or "Sweep"
  local names, lo, hi = ranges(params, fname)
  local g = core.random.Generator(seed)
  local points = {}
  for i = 1, samples do points[i] = {} end
  for _, name in ipairs(names) do
    local perm = g:permutation(samples):totable()
    local u = g:uniform({samples}, 0, 1, "float64"):totable()
    for i = 1, samples do
      points[i][name] = lo[name] + (hi[name] - lo[name]) * (perm[i] - 1 + u[i]) / samples -- permutation gives 1..n
    end
  end
  return {kind = "latin_hypercube", names = names, points = points}
end

--- The seed of point `index` (from 1) of a sweep seeded with `seed`: a
-- SplitMix64 hash of both, reduced to [0, 2^31 - 1].  It depends on
-- nothing else, so a point gets the same seed on any number of workers,
-- ranks or shards.
function S.point_seed(seed, index)
  local z = (seed * 0x9E3779B97F4A7C15 + index * 0xBF58476D1CE4E5B9 + 0x94D049BB133111EB)
  z = (z ~ (z >> 30)) * 0xBF58476D1CE4E5B9
  z = (z ~ (z >> 27)) * 0x94D049BB133111EB
  z = z ~ (z >> 31)
  return z & 0x7FFFFFFF
end

return S
