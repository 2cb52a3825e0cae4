--- Argument checks for the public functions written in Lua.
--
-- The C bindings check every argument at the door and raise errors of the
-- form
--
--     zeros: argument 1 (shape) must be non-negative, got -3
--     run: option 'record_every' must be an integer, got 0.5
--
-- Functions written in Lua use this one module so that their messages
-- read the same and so that no public function lets a bad value reach the
-- arithmetic (an absurd count allocating until memory runs out, a NaN
-- looping forever, a string failing deep inside with "attempt to perform
-- arithmetic on a string value").
--
-- Every checker takes the value first, then `where`: the function name,
-- the argument (a position number for a positional argument, a string key
-- for a keyword option) and optionally a display name:
--
--     local A = require "canns.argcheck"
--     local function binned_mean(x, values, nbins)
--       x = A.sequence(x, "binned_mean", 1, "x")
--       nbins = A.count(nbins, "binned_mean", 3, "nbins", {min = 1})
--       ...
--     end
--     local o = A.options(opts, "OpenLoopNavigationTask", {"duration", "dt"})
--     local dt = A.number(o.dt, "OpenLoopNavigationTask", "dt", nil, {gt = 0, default = 0.01})
--
-- Errors are raised at level 0 (no "file:line:" prefix), exactly like the
-- errors of the C bindings.
-- @module canns.argcheck

local core = require "canns.core"

local A = {}

--- The largest count (bins, samples, steps, ...) a Lua-written function
-- accepts unless it names its own limit: 2^31 - 1.
A.MAX_COUNT = 2147483647

--- Describe a value for a message, as the C bindings do ("-3", "nan",
-- "'abc'", "nil", "a float32 array of shape {3, 4}", "a table").
-- @param v any value
-- @treturn string
function A.describe(v)
  return core.describe(v)
end

local function label(fname, arg, name)
  if type(arg) == "number" then
    if name then return string.format("%s: argument %d (%s)", fname, arg, name) end
    return string.format("%s: argument %d", fname, arg)
  elseif arg ~= nil then
    return string.format("%s: option '%s'", fname, tostring(arg))
  elseif name then
    return string.format("%s: %s", fname, name)
  end
  return fname .. ":"
end

--- Raise "fname: argument <arg> (<name>) <message>" (or "fname: option
-- '<arg>' <message>" when `arg` is a string).  Never returns.
-- @string fname function name
-- @param arg position (number) or option key (string)
-- @string[opt] name argument name shown after a position
-- @string fmt message format (string.format), e.g. "must be positive, got %s"
function A.fail(fname, arg, name, fmt, ...)
  error(label(fname, arg, name) .. " " .. string.format(fmt, ...), 0)
end

--- Raise "fname: <message>".  Never returns.
function A.error(fname, fmt, ...)
  error(fname .. ": " .. string.format(fmt, ...), 0)
end

local function fmtnum(x)
  if math.type(x) == "integer" then return tostring(x) end
  if x ~= x then return "nan" end
  return string.format("%.14g", x)
end

-- Apply the range parts of a number spec (min, max, gt, lt).
local function range(v, fname, arg, name, spec)
  if spec.gt ~= nil and not (v > spec.gt) then
    A.fail(fname, arg, name, "must be > %s, got %s", fmtnum(spec.gt), A.describe(v))
  end
  if spec.lt ~= nil and not (v < spec.lt) then
    A.fail(fname, arg, name, "must be < %s, got %s", fmtnum(spec.lt), A.describe(v))
  end
  if spec.min ~= nil and not (v >= spec.min) then
    A.fail(fname, arg, name, "must be >= %s, got %s", fmtnum(spec.min), A.describe(v))
  end
  if spec.max ~= nil and not (v <= spec.max) then
    A.fail(fname, arg, name, "must be <= %s, got %s", fmtnum(spec.max), A.describe(v))
  end
end

--- A number.  NaN is refused unless `spec.nan`; infinities unless
-- `spec.inf` (or a bound allows them explicitly).
-- @param v the value
-- @string fname
-- @param arg position or option key
-- @string[opt] name
-- @tparam[opt] table spec `default` (used when v is nil; without it nil is
-- an error), `optional` (nil is returned as nil), `gt`, `lt`, `min`,
-- `max`, `nan`, `inf`
-- @treturn number
function A.number(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil then
    if spec.default ~= nil then return spec.default end
    if spec.optional then return nil end
    A.fail(fname, arg, name, "is required (a number)")
  end
  if type(v) ~= "number" then
    A.fail(fname, arg, name, "must be a number, got %s", A.describe(v))
  end
  if v ~= v and not spec.nan then
    A.fail(fname, arg, name, "must not be NaN, got nan")
  end
  if (v == math.huge or v == -math.huge) and not spec.inf then
    A.fail(fname, arg, name, "must be finite, got %s", A.describe(v))
  end
  if v == v then range(v, fname, arg, name, spec) end
  return v
end

--- An integer (a Lua integer, or a float with an integral value), with
-- bounds; returns a Lua integer.  Values beyond `spec.max` (default
-- `A.MAX_COUNT`) are refused as too large, naming the limit.
-- @tparam[opt] table spec as for `number`, plus `max` (default MAX_COUNT;
-- `math.huge` for none beyond the integer range)
-- @treturn integer
function A.int(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil then
    if spec.default ~= nil then return spec.default end
    if spec.optional then return nil end
    A.fail(fname, arg, name, "is required (an integer)")
  end
  if type(v) ~= "number" then
    A.fail(fname, arg, name, "must be an integer, got %s", A.describe(v))
  end
  local max = spec.max or A.MAX_COUNT
  if v ~= v or v ~= math.floor(v) then
    A.fail(fname, arg, name, "must be an integer, got %s", A.describe(v))
  end
  if max ~= math.huge and v > max then
    A.fail(fname, arg, name, "is too large: must be at most %s, got %s", fmtnum(max), A.describe(v))
  end
  local i = math.tointeger(v)
  if i == nil then -- beyond the int64 range
    A.fail(fname, arg, name, "is out of the integer range, got %s", A.describe(v))
  end
  range(i, fname, arg, name, {min = spec.min, gt = spec.gt, lt = spec.lt})
  return i
end

--- A non-negative integer count (`spec.min` defaults to 0, `spec.max` to
-- `A.MAX_COUNT`).
-- @treturn integer
function A.count(v, fname, arg, name, spec)
  spec = spec or {}
  local s = {default = spec.default, optional = spec.optional, max = spec.max,
             min = spec.min or 0, gt = spec.gt, lt = spec.lt}
  return A.int(v, fname, arg, name, s)
end

--- A boolean.
-- @tparam[opt] table spec `default`, `optional`
function A.boolean(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil then
    if spec.default ~= nil then return spec.default end
    if spec.optional then return nil end
    A.fail(fname, arg, name, "is required (a boolean)")
  end
  if type(v) ~= "boolean" then
    A.fail(fname, arg, name, "must be a boolean, got %s", A.describe(v))
  end
  return v
end

--- A string, optionally one of `spec.choices` (a list).
-- @tparam[opt] table spec `default`, `optional`, `choices`
function A.string(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil then
    if spec.default ~= nil then return spec.default end
    if spec.optional then return nil end
    A.fail(fname, arg, name, "is required (a string)")
  end
  if type(v) ~= "string" then
    A.fail(fname, arg, name, "must be a string, got %s", A.describe(v))
  end
  if spec.choices then
    for _, c in ipairs(spec.choices) do
      if c == v then return v end
    end
    local q = {}
    for i, c in ipairs(spec.choices) do q[i] = "'" .. c .. "'" end
    A.fail(fname, arg, name, "must be one of %s, got %s", table.concat(q, ", "), A.describe(v))
  end
  return v
end

--- A function (or a callable table).
-- @tparam[opt] table spec `optional`
function A.callable(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil and spec.optional then return nil end
  if type(v) == "function" then return v end
  local mt = type(v) == "table" and getmetatable(v)
  if mt and mt.__call then return v end
  A.fail(fname, arg, name, "must be a function, got %s", A.describe(v))
end

--- A plain table (not an array).
-- @tparam[opt] table spec `optional`
function A.table(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil and spec.optional then return nil end
  if type(v) ~= "table" then
    A.fail(fname, arg, name, "must be a table, got %s", A.describe(v))
  end
  return v
end

--- A keyword-argument table: nil gives an empty table; any key not in
-- `allowed` is an error naming it (misspelt keywords never pass
-- silently).  Positional entries (integer keys) are allowed only with
-- `positional = true`.
-- @param opts the table (or nil)
-- @string fname
-- @tparam {string,...} allowed accepted keys
-- @tparam[opt] table spec `positional`
-- @treturn table
function A.options(opts, fname, allowed, spec)
  if opts == nil then return {} end
  if type(opts) ~= "table" or core.isarray(opts) then
    A.error(fname, "options must be a table, got %s", A.describe(opts))
  end
  local ok = {}
  for _, k in ipairs(allowed) do ok[k] = true end
  for k in pairs(opts) do
    if type(k) ~= "string" then
      if not (spec and spec.positional and math.type(k) == "integer") then
        A.error(fname, "options must be keyword arguments (name = value), got key %s",
                A.describe(k))
      end
    elseif not ok[k] then
      A.error(fname, "unknown option '%s' (expected one of: %s)", k, table.concat(allowed, ", "))
    end
  end
  return opts
end

local function shape_str(s)
  local t = {}
  for i, n in ipairs(s) do t[i] = n < 0 and "n" or tostring(n) end
  return "{" .. table.concat(t, ", ") .. "}"
end

--- An array.  A table or number is converted (to `spec.dtype`, default
-- float32) when `spec.convert` is true; otherwise only an array passes.
-- @tparam[opt] table spec `optional`, `convert`, `dtype` (required
-- dtype, or "float" for float32/float64), `ndim`, `shape` (a list; -1 for
-- any extent), `min_size`, `finite` (no NaN or inf)
-- @treturn canns.array
function A.array(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil then
    if spec.optional then return nil end
    A.fail(fname, arg, name, "is required (an array)")
  end
  if not core.isarray(v) then
    if spec.convert and (type(v) == "table" or type(v) == "number") then
      local want = (spec.dtype and spec.dtype ~= "float") and spec.dtype or "float32"
      local ok, a = pcall(core.array, v, want)
      if not ok then
        A.fail(fname, arg, name, "must be an array or a rectangular table of numbers, got %s",
               A.describe(v))
      end
      v = a
    else
      A.fail(fname, arg, name, "must be an array, got %s", A.describe(v))
    end
  end
  local dt = v:dtype()
  if spec.dtype == "float" then
    if dt ~= "float32" and dt ~= "float64" then
      A.fail(fname, arg, name, "must be a float32 or float64 array, got %s", A.describe(v))
    end
  elseif spec.dtype and dt ~= spec.dtype then
    A.fail(fname, arg, name, "must be a %s array, got %s", spec.dtype, A.describe(v))
  end
  local s = v:shape()
  local nd = spec.ndim or (spec.shape and #spec.shape)
  if nd then
    local ok = #s == nd
    if ok and spec.shape then
      for i = 1, nd do
        if spec.shape[i] >= 0 and s[i] ~= spec.shape[i] then ok = false end
      end
    end
    if not ok then
      if spec.shape then
        A.fail(fname, arg, name, "must have shape %s, got %s", shape_str(spec.shape), A.describe(v))
      end
      A.fail(fname, arg, name, "must have %d dimension%s, got %s", nd, nd == 1 and "" or "s",
             A.describe(v))
    end
  end
  if spec.min_size and v:size() < spec.min_size then
    A.fail(fname, arg, name, "must have at least %d elements, got %s", spec.min_size, A.describe(v))
  end
  if spec.finite and v:size() > 0 and not core.all(core.isfinite(v)) then
    A.fail(fname, arg, name, "must not contain NaN or inf")
  end
  return v
end

--- A 1-D sequence of numbers: a Lua list or a 1-D array.  Returns a Lua
-- list of numbers (a copy for arrays).
-- @tparam[opt] table spec `optional`, `min_len`, `finite` (no NaN/inf),
-- `max_len` (default A.MAX_COUNT)
-- @treturn {number,...}
function A.sequence(v, fname, arg, name, spec)
  spec = spec or {}
  if v == nil and spec.optional then return nil end
  local out
  if core.isarray(v) then
    if v:ndim() ~= 1 then
      A.fail(fname, arg, name, "must be a list of numbers or a 1-D array, got %s", A.describe(v))
    end
    out = v:totable()
    if v:dtype() == "bool" then
      for i = 1, #out do out[i] = out[i] and 1 or 0 end
    end
  elseif type(v) == "table" then
    local n = #v
    if n > (spec.max_len or A.MAX_COUNT) then
      A.fail(fname, arg, name, "is too long: at most %d numbers, got %d", spec.max_len or A.MAX_COUNT, n)
    end
    out = {}
    for i = 1, n do
      local x = v[i]
      if type(x) ~= "number" then
        A.fail(fname, arg, name, "must be a list of numbers, got %s at position %d", A.describe(x), i)
      end
      out[i] = x
    end
  else
    A.fail(fname, arg, name, "must be a list of numbers or a 1-D array, got %s", A.describe(v))
  end
  if spec.min_len and #out < spec.min_len then
    A.fail(fname, arg, name, "must have at least %d numbers, got %d", spec.min_len, #out)
  end
  if spec.finite then
    for i = 1, #out do
      local x = out[i]
      if x ~= x or x == math.huge or x == -math.huge then
        A.fail(fname, arg, name, "must be finite, got %s at position %d", A.describe(x), i)
      end
    end
  end
  return out
end

return A
