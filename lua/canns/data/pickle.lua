--- numpy's pickled object arrays, read without running anything: the
-- `.npz` members that `canns.io.load_npz` refuses (upstream's sessions
-- keep `spike` as a dictionary `{neuron: spike times}` in a 0-d object
-- array, or as an object array of per-neuron arrays).
--
-- A small interpreter of the pickle opcodes (protocols 2 to 5) that knows
-- only what numpy writes for such arrays: numbers, strings, bytes, None,
-- booleans, tuples, lists, dictionaries, and numpy's own arrays, dtypes
-- and scalars (`numpy.core.multiarray._reconstruct`, `numpy.ndarray`,
-- `numpy.dtype`, `numpy.core.multiarray.scalar`, also under
-- `numpy._core`), and protocol 2's `_codecs.encode(text, "latin1")` for
-- bytes.  Any other class or function named by the pickle is an
-- error naming it; nothing is imported or called.
--
-- Values come back as Lua values: a numeric array as a `canns.array`
-- (float16 and small integers widened, see `canns.core.array_from_bytes`),
-- an object array as a list of its elements (a 0-d one as its single
-- element), a dictionary as a table keyed by its keys, a tuple or list as
-- a list, None as nil in tables' places (`pickle.None` where a value is
-- needed).
-- @module canns.data.pickle

local core = require "canns.core"

local M = {}

--- Python's None where a Lua value is needed.
M.None = setmetatable({}, {__name = "pickle.None", __tostring = function() return "None" end})

local NUMPY_MODULES = {["numpy.core.multiarray"] = true, ["numpy._core.multiarray"] = true,
                       ["numpy"] = true, ["numpy.core.numeric"] = true, ["numpy._core.numeric"] = true}

local MARK = setmetatable({}, {__name = "mark"})

local function fail(where, fmt, ...)
  error(("%s: " .. fmt):format(where, ...), 0)
end

-- numpy objects while they are being built
local function new_ndarray() return {kind = "ndarray"} end

local function dtype_descr(d, where)
  local code = d.code
  local order = d.order or "|"
  if order == "=" then order = "<" end
  if code == "O" or code == "O8" or code == "O4" then return "O" end
  local kind, size = code:match("^(%a)(%d+)$")
  if not kind then
    local named = {float64 = "f8", float32 = "f4", float16 = "f2", int64 = "i8", int32 = "i4",
                   int16 = "i2", int8 = "i1", uint8 = "u1", uint16 = "u2", uint32 = "u4", bool = "b1"}
    local c = named[code]
    if not c then fail(where, "numpy type '%s' is not read by canns", code) end
    kind, size = c:sub(1, 1), c:sub(2)
  end
  if size == "1" then order = "|" end
  return order .. kind .. size
end

-- The finished value of an ndarray built by _reconstruct + BUILD.
local function finish_ndarray(a, where)
  local st = a.state
  if not st then fail(where, "an ndarray without its state") end
  -- (version, shape, dtype, is_fortran, data) or without the version
  local i = type(st[1]) == "number" and #st == 5 and 2 or 1
  local shape, dt, fortran, data = st[i], st[i + 1], st[i + 2], st[i + 3]
  if type(shape) ~= "table" or type(dt) ~= "table" or dt.kind ~= "dtype" then
    fail(where, "an ndarray state that is not (shape, dtype, fortran, data)")
  end
  local n = 1
  for k = 1, #shape do
    local s = shape[k]
    if math.type(s) ~= "integer" or s < 0 or s > 2 ^ 40 then fail(where, "an ndarray shape entry %s", tostring(s)) end
    n = n * s
    if n > 2 ^ 40 then fail(where, "an ndarray of more than 2^40 elements") end
  end
  local descr = dtype_descr(dt, where)
  if descr == "O" then
    local count
    if type(data) == "table" and data.kind == "list" then data, count = data.items, data.n or 0 end
    if type(data) ~= "table" or data.kind then fail(where, "an object array whose data is not a list") end
    if count == nil then count = #data end
    if count ~= n then fail(where, "an object array of %d elements holding %d", n, count) end
    if #shape == 0 then return data[1] end
    if #shape ~= 1 then
      -- C order; kept flat with its shape, rows as nested lists
      local function nest(off, d)
        if d == #shape then
          local row = {}
          for k = 1, shape[d] do row[k] = data[off + k] end
          return row
        end
        local step = 1
        for e = d + 1, #shape do step = step * shape[e] end
        local out = {}
        for k = 1, shape[d] do out[k] = nest(off + (k - 1) * step, d + 1) end
        return out
      end
      return nest(0, 1)
    end
    return data
  end
  if fortran == true and #shape > 1 then fail(where, "a Fortran-ordered array (save it in C order)") end
  if type(data) ~= "string" then fail(where, "a numeric array whose data is not bytes") end
  local ok, arr = pcall(core.array_from_bytes, data, descr, shape)
  if not ok then fail(where, "%s", tostring(arr)) end
  return arr
end

local function resolve(v, where)
  if type(v) == "table" and v.kind == "ndarray" and v.state then return finish_ndarray(v, where) end
  if v == M.None then return nil end
  return v
end

local function call(fn, args, where)
  if type(fn) ~= "table" or not fn.global then fail(where, "REDUCE on something that is not callable") end
  local g = fn.global
  if g == "_reconstruct" then return new_ndarray() end
  if g == "dtype" then
    local code = args[1]
    if type(code) ~= "string" then fail(where, "numpy.dtype of %s", tostring(code)) end
    return {kind = "dtype", code = code}
  end
  if g == "scalar" then
    local dt, bytes = args[1], args[2]
    if type(dt) ~= "table" or dt.kind ~= "dtype" or type(bytes) ~= "string" then
      fail(where, "numpy scalar without a dtype and bytes")
    end
    local a = finish_ndarray({state = {{}, dt, false, bytes}}, where)
    return core.isarray(a) and a:item() or a
  end
  if g == "ndarray" then return new_ndarray() end
  if g == "encode" then -- protocol 2's bytes: _codecs.encode(text, "latin1")
    local text, enc = args[1], args[2]
    if type(text) ~= "string" or (enc ~= "latin1" and enc ~= "latin-1") then
      fail(where, "_codecs.encode with encoding %s", tostring(enc))
    end
    local out = {}
    local ok = pcall(function()
      for _, c in utf8.codes(text) do
        if c > 255 then error("wide") end
        out[#out + 1] = string.char(c)
      end
    end)
    if not ok then fail(where, "_codecs.encode of text that is not Latin-1") end
    return table.concat(out)
  end
  fail(where, "cannot call %s", g)
end

local function build(obj, state, where)
  if type(obj) ~= "table" then fail(where, "BUILD on a plain value") end
  if obj.kind == "ndarray" then obj.state = state
  elseif obj.kind == "dtype" then
    if type(state) == "table" then obj.order = state[2] end
  else
    fail(where, "BUILD on an object canns does not know")
  end
  return obj
end

--- Read one pickle.
-- @string s the pickle's bytes
-- @string where the file and member (for messages)
-- @return the value
function M.loads(s, where)
  local pos, stack, marks, memo, nmemo = 1, {}, {}, {}, 0
  local function need(n)
    if pos + n - 1 > #s then fail(where, "the pickle ends early (at byte %d)", pos - 1) end
  end
  local function take(n)
    need(n)
    local v = s:sub(pos, pos + n - 1)
    pos = pos + n
    return v
  end
  local function unpack(fmt, n)
    need(n)
    local v = string.unpack(fmt, s, pos)
    pos = pos + n
    return v
  end
  local function push(v) stack[#stack + 1] = v end
  local function pop()
    local v = stack[#stack]
    if #stack == 0 or v == MARK then fail(where, "the pickle's stack is empty (at byte %d)", pos - 1) end
    stack[#stack] = nil
    return v
  end
  local function pop_mark()
    local m = marks[#marks]
    if not m then fail(where, "the pickle has no MARK (at byte %d)", pos - 1) end
    marks[#marks] = nil
    local items = {}
    for i = m + 1, #stack do items[#items + 1] = stack[i] end
    for i = #stack, m, -1 do stack[i] = nil end
    return items
  end
  local function global(mod, name)
    if NUMPY_MODULES[mod] and (name == "_reconstruct" or name == "ndarray" or name == "dtype"
                               or name == "scalar") then
      return {global = name}
    end
    if mod == "_codecs" and name == "encode" then return {global = "encode"} end
    fail(where, "the pickle names %s.%s, which canns does not read (only numpy arrays, lists, "
         .. "tuples, dictionaries, numbers and strings)", mod, name)
  end
  local function to_list(items)
    local out = {}
    for i, v in ipairs(items) do out[i] = resolve(v, where) end
    return out
  end
  local function key_of(k)
    k = resolve(k, where)
    if type(k) ~= "number" and type(k) ~= "string" and type(k) ~= "boolean" then
      fail(where, "a dictionary key of type %s", type(k))
    end
    return k
  end
  while true do
    local op = take(1)
    local b = op:byte()
    if b == 0x80 then take(1) -- PROTO
    elseif b == 0x95 then take(8) -- FRAME
    elseif op == "." then -- STOP
      return resolve(pop(), where)
    elseif op == "(" then marks[#marks + 1] = #stack + 1; push(MARK)
    elseif op == "0" then pop()
    elseif op == "1" then pop_mark()
    elseif op == "2" then local v = pop(); push(v); push(v)
    elseif op == "N" then push(M.None)
    elseif b == 0x88 then push(true)
    elseif b == 0x89 then push(false)
    elseif op == "J" then push(unpack("<i4", 4))
    elseif op == "K" then push(unpack("B", 1))
    elseif op == "M" then push(unpack("<I2", 2))
    elseif b == 0x8a then -- LONG1
      local n = unpack("B", 1)
      if n > 8 then fail(where, "an integer of %d bytes", n) end
      push(n == 0 and 0 or string.unpack("<i" .. n, take(n)))
    elseif op == "G" then push(unpack(">d", 8))
    elseif b == 0x8c then push(take(unpack("B", 1))) -- SHORT_BINUNICODE
    elseif op == "X" then push(take(unpack("<I4", 4))) -- BINUNICODE
    elseif b == 0x8d then push(take(unpack("<I8", 8))) -- BINUNICODE8
    elseif op == "C" then push(take(unpack("B", 1))) -- SHORT_BINBYTES
    elseif op == "B" then push(take(unpack("<I4", 4))) -- BINBYTES
    elseif b == 0x8e or b == 0x96 then push(take(unpack("<I8", 8))) -- BINBYTES8, BYTEARRAY8
    elseif op == "U" then push(take(unpack("B", 1))) -- SHORT_BINSTRING
    elseif op == "T" then push(take(unpack("<I4", 4))) -- BINSTRING
    elseif op == ")" then push({})
    elseif op == "t" then push(to_list(pop_mark()))
    elseif b == 0x85 then push({resolve(pop(), where)})
    elseif b == 0x86 then local y = pop(); local x = pop(); push({resolve(x, where), resolve(y, where)})
    elseif b == 0x87 then
      local z = pop(); local y = pop(); local x = pop()
      push({resolve(x, where), resolve(y, where), resolve(z, where)})
    elseif op == "]" then push({kind = "list", items = {}})
    elseif op == "l" then local items = pop_mark(); push({kind = "list", items = to_list(items), n = #items})
    elseif op == "a" or op == "e" then
      local items = op == "a" and {pop()} or pop_mark()
      local l = stack[#stack]
      if type(l) ~= "table" or l.kind ~= "list" then fail(where, "APPEND to something that is not a list") end
      for _, v in ipairs(items) do l.n = (l.n or 0) + 1; l.items[l.n] = resolve(v, where) end
    elseif op == "}" then push({kind = "dict", items = {}})
    elseif op == "d" then
      local items = pop_mark()
      local d = {kind = "dict", items = {}}
      for i = 1, #items - 1, 2 do d.items[key_of(items[i])] = resolve(items[i + 1], where) end
      push(d)
    elseif op == "s" or op == "u" then
      local items
      if op == "s" then local v = pop(); local k = pop(); items = {k, v} else items = pop_mark() end
      local d = stack[#stack]
      if type(d) ~= "table" or d.kind ~= "dict" then fail(where, "SETITEM on something that is not a dict") end
      for i = 1, #items - 1, 2 do d.items[key_of(items[i])] = resolve(items[i + 1], where) end
    elseif op == "c" then -- GLOBAL "module\nname\n"
      local e1 = s:find("\n", pos, true)
      local e2 = e1 and s:find("\n", e1 + 1, true)
      if not e2 then fail(where, "a GLOBAL without its names") end
      local mod, name = s:sub(pos, e1 - 1), s:sub(e1 + 1, e2 - 1)
      pos = e2 + 1
      push(global(mod, name))
    elseif b == 0x93 then local name = pop(); local mod = pop(); push(global(tostring(mod), tostring(name)))
    elseif op == "R" then local args = pop(); local fn = pop(); push(call(fn, args, where))
    elseif b == 0x81 then local args = pop(); local cls = pop(); push(call(cls, args, where)) -- NEWOBJ
    elseif op == "b" then local state = pop(); push(build(pop(), state, where))
    elseif b == 0x94 then memo[nmemo] = stack[#stack]; nmemo = nmemo + 1 -- MEMOIZE
    elseif op == "q" then memo[unpack("B", 1)] = stack[#stack]
    elseif op == "r" then memo[unpack("<I4", 4)] = stack[#stack]
    elseif op == "h" or op == "j" then
      local i = op == "h" and unpack("B", 1) or unpack("<I4", 4)
      if memo[i] == nil then fail(where, "a memo entry %d that was never stored", i) end
      push(memo[i])
    else
      fail(where, "pickle opcode 0x%02x at byte %d is not read by canns", b, pos - 2)
    end
  end
end

-- Lists and dicts built by the interpreter become plain tables once the
-- whole value is done.
local function plain(v, seen)
  if type(v) ~= "table" or core.isarray(v) or v == M.None then return v end
  if seen[v] then return seen[v] end
  if v.kind == "list" or v.kind == "dict" then
    local out = {}
    seen[v] = out
    for k, x in pairs(v.items) do out[k] = plain(x, seen) end
    return out
  end
  if v.kind == "ndarray" or v.kind == "dtype" or v.global then return v end
  local out = {}
  seen[v] = out
  for k, x in pairs(v) do out[k] = plain(x, seen) end
  return out
end

--- Read an `.npy` member's bytes: a numeric array through
-- `canns.core.array_from_bytes`, an object array through the pickle.
-- @string bytes the member
-- @string where the file and member (for messages)
-- @return the value
function M.npy(bytes, where)
  if bytes:sub(1, 6) ~= "\x93NUMPY" then fail(where, "not an .npy member (no NUMPY magic)") end
  if #bytes < 10 then fail(where, "an .npy member cut short") end
  local major = bytes:byte(7)
  local hlen, start
  if major == 1 then hlen, start = string.unpack("<I2", bytes, 9), 11
  elseif major == 2 or major == 3 then
    if #bytes < 12 then fail(where, "an .npy member cut short") end
    hlen, start = string.unpack("<I4", bytes, 9), 13
  else
    fail(where, "an .npy member of format version %d", major)
  end
  local header = bytes:sub(start, start + hlen - 1)
  if #header < hlen then fail(where, "an .npy header cut short") end
  local descr = header:match("'descr'%s*:%s*'([^']*)'")
  local fortran = header:match("'fortran_order'%s*:%s*(%a+)")
  local shape_s = header:match("'shape'%s*:%s*%(([^)]*)%)")
  if not descr or not fortran or not shape_s then fail(where, "an .npy header that canns cannot read") end
  local shape = {}
  for d in shape_s:gmatch("[^,%s]+") do
    local v = math.tointeger(tonumber(d))
    if not v or v < 0 or #shape >= 32 then fail(where, "an .npy shape that canns cannot read: (%s)", shape_s) end
    shape[#shape + 1] = v
  end
  local data = bytes:sub(start + hlen)
  if descr == "|O" then return plain(M.loads(data, where), {}) end
  return finish_ndarray({state = {shape, {kind = "dtype", code = descr:sub(2), order = descr:sub(1, 1)},
                                  fortran == "True", data}}, where)
end

--- Read every member of an `.npz` holding pickled object arrays.
-- @string path
-- @treturn table `{name = value, ...}` (names without ".npy")
function M.load_npz(path)
  local z = core.npz_raw(path)
  local out = {}
  for name, bytes in pairs(z) do
    local key = name:gsub("%.npy$", "")
    out[key] = M.npy(bytes, ("'%s' member '%s'"):format(path, name))
  end
  return out
end

return M
