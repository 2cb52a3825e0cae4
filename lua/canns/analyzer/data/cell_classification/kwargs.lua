--- Upstream's positional-or-keyword parameters for the Lua functions of
-- cell_classification: after the required arguments a caller may pass the
-- optional ones in order, or one table of keyword options, or the leading
-- ones in order followed by a keyword table.
--
--     local o = kw.parse("f", 2, {"overlap"}, {overlap = 0.8}, ...)
--
-- Unknown keywords and values given twice are errors (canns.argcheck).
-- @module canns.analyzer.data.cell_classification.kwargs
local core = require "canns.core"
local A = require "canns.argcheck"

local K = {}

--- Merge the trailing arguments into one table of options.
-- @string fname function name for messages
-- @int first position of the first optional argument
-- @tparam {string,...} names optional parameters in upstream's order
-- @tparam table defaults default values (may omit some)
-- @param ... the trailing arguments
-- @treturn table options (defaults filled in)
function K.parse(fname, first, names, defaults, ...)
  local n = select("#", ...)
  local args = {...}
  local out = {}
  local last = args[n]
  local opts
  if n > 0 and type(last) == "table" and not core.isarray(last) and getmetatable(last) == nil
     and (next(last) == nil or type(next(last)) == "string") then
    opts = A.options(last, fname, names)
    n = n - 1
  end
  if n > #names then
    A.error(fname, "takes at most %d optional arguments, got %d", #names, n)
  end
  for i = 1, n do out[names[i]] = args[i] end
  if opts then
    for k, v in pairs(opts) do
      if out[k] ~= nil then A.error(fname, "option '%s' given twice (by position and by name)", k) end
      out[k] = v
    end
  end
  for k, v in pairs(defaults) do
    if out[k] == nil then out[k] = v end
  end
  return out
end

--- A float64 array from an array, a nested table or a number, checked
-- with canns.argcheck's `A.array` spec (`ndim`, `shape`, `min_size`,
-- `finite`); tables convert straight to float64 (no float32 rounding).
-- @return canns.array float64
function K.array(v, fname, arg, name, spec)
  if type(v) == "number" or (type(v) == "table" and not core.isarray(v)) then
    v = A.array(v, fname, arg, name, {convert = true, dtype = "float64"})
  end
  local s = {}
  for k, x in pairs(spec or {}) do s[k] = x end
  s.convert, s.dtype = nil, nil
  v = A.array(v, fname, arg, name, s)
  if v:dtype() ~= "float64" then v = core.array(v, "float64") end
  return v
end

--- numpy.linspace(a, b, n) bit for bit (i * step + a, the last point b
-- exactly), as a Lua list of numbers.
-- @number a
-- @number b
-- @int n
-- @treturn {number,...}
function K.np_linspace(a, b, n)
  local t, step = {}, (b - a) / math.max(n - 1, 1)
  for i = 0, n - 1 do t[i + 1] = i * step + a end
  if n > 1 then t[n] = b end
  return t
end

--- Check a mapping of integer cluster ids to label strings (BTN).
-- @param m the mapping (nil passes)
-- @string fname function name for messages
-- @treturn table|nil m
function K.cluster_mapping(m, fname)
  if m == nil then return nil end
  A.table(m, fname, "mapping", nil)
  for k, v in pairs(m) do
    if math.type(k) ~= "integer" or type(v) ~= "string" then
      A.fail(fname, "mapping", nil, "must map integer cluster ids to strings, got [%s] = %s", tostring(k),
             A.describe(v))
    end
  end
  return m
end

return K
