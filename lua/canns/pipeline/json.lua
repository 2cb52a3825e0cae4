--- A small JSON encoder and decoder for the pipelines' configuration and
-- cache files (upstream writes them with Python's `json`: sorted keys,
-- ASCII only).
--
--     local json = require "canns.pipeline.json"
--     local text = json.encode({b = 1, a = {true, "x"}}, {indent = 2})
--     local t = json.decode(text)       -- nil, message on bad input
--
-- Tables with keys 1..n (and no others) are arrays, other tables objects
-- with their keys written in sorted order; an empty table is `{}`.  The
-- decoder gives arrays as lists, objects as tables, `null` as
-- `json.null` (a sentinel).  Numbers are written so that they read back
-- exactly; NaN and infinities are refused (JSON has none).
-- @module canns.pipeline.json

local M = {}

--- The value `null` decodes to.
M.null = setmetatable({}, {__name = "json.null", __tostring = function() return "null" end})

local ESC = {['"'] = '\\"', ["\\"] = "\\\\", ["\b"] = "\\b", ["\f"] = "\\f", ["\n"] = "\\n",
             ["\r"] = "\\r", ["\t"] = "\\t"}

local function quote(s)
  return '"' .. s:gsub('[%c"\\\128-\255]', function(c)
    return ESC[c] or ("\\u%04x"):format(c:byte())
  end) .. '"'
end

local function number(v)
  if v ~= v or v == math.huge or v == -math.huge then
    error("json.encode: cannot write " .. tostring(v) .. " (JSON has no NaN or infinity)", 0)
  end
  if math.type(v) == "integer" then return tostring(v) end
  for _, f in ipairs({"%.15g", "%.16g", "%.17g"}) do
    local t = f:format(v)
    if tonumber(t) == v then return t:find("[%.eEn]") and t or t .. ".0" end
  end
end

local function is_array(t)
  local n = 0
  for _ in pairs(t) do n = n + 1 end
  for i = 1, n do if t[i] == nil then return false end end
  return n > 0
end

local function enc(v, indent, depth, out, path)
  local tv = type(v)
  if v == M.null or v == nil then out[#out + 1] = "null"
  elseif tv == "boolean" then out[#out + 1] = tostring(v)
  elseif tv == "number" then out[#out + 1] = number(v)
  elseif tv == "string" then out[#out + 1] = quote(v)
  elseif tv == "table" then
    if depth > 64 then error("json.encode: nested too deeply (a cycle?) at " .. path, 0) end
    local nl = indent and ("\n" .. (" "):rep(indent * (depth + 1))) or ""
    local close = indent and ("\n" .. (" "):rep(indent * depth)) or ""
    local sep = indent and ": " or ":"
    if is_array(v) then
      out[#out + 1] = "["
      for i, x in ipairs(v) do
        out[#out + 1] = (i > 1 and "," or "") .. nl
        enc(x, indent, depth + 1, out, path .. "[" .. i .. "]")
      end
      out[#out + 1] = close .. "]"
    else
      local keys = {}
      for k in pairs(v) do
        if type(k) ~= "string" then
          error(("json.encode: %s has a key %s that is not a string"):format(path, tostring(k)), 0)
        end
        keys[#keys + 1] = k
      end
      table.sort(keys)
      if #keys == 0 then out[#out + 1] = "{}"; return end
      out[#out + 1] = "{"
      for i, k in ipairs(keys) do
        out[#out + 1] = (i > 1 and "," or "") .. nl .. quote(k) .. sep
        enc(v[k], indent, depth + 1, out, path .. "." .. k)
      end
      out[#out + 1] = close .. "}"
    end
  else
    error(("json.encode: %s is a %s, which JSON cannot hold"):format(path, tv), 0)
  end
end

--- Encode a value as JSON text.
-- @param v a table, string, number, boolean or `json.null`
-- @tparam[opt] table opts `indent` (spaces per level; nil: one line)
-- @treturn string
function M.encode(v, opts)
  local out = {}
  enc(v, opts and opts.indent, 0, out, "value")
  return table.concat(out)
end

-- decoder: a recursive descent over the string
local function decoder(s)
  local pos = 1
  local function fail(msg) error({("%s at character %d"):format(msg, pos)}, 0) end
  local function ws() pos = s:find("[^ \t\r\n]", pos) or #s + 1 end
  local value
  local function str()
    local out, i = {}, pos + 1
    while true do
      local j = s:find('["\\%c]', i)
      if not j then pos = #s + 1; fail("unterminated string") end
      out[#out + 1] = s:sub(i, j - 1)
      local c = s:sub(j, j)
      if c == '"' then pos = j + 1; return table.concat(out) end
      if c ~= "\\" then pos = j; fail("control character in a string") end
      local e = s:sub(j + 1, j + 1)
      local simple = {b = "\b", f = "\f", n = "\n", r = "\r", t = "\t", ['"'] = '"', ["\\"] = "\\", ["/"] = "/"}
      if simple[e] then out[#out + 1] = simple[e]; i = j + 2
      elseif e == "u" then
        local hex = s:sub(j + 2, j + 5)
        if not hex:match("^%x%x%x%x$") then pos = j; fail("bad \\u escape") end
        out[#out + 1] = utf8.char(tonumber(hex, 16)); i = j + 6
      else pos = j; fail("bad escape") end
    end
  end
  function value()
    ws()
    local c = s:sub(pos, pos)
    if c == "{" then
      local t = {}
      pos = pos + 1; ws()
      if s:sub(pos, pos) == "}" then pos = pos + 1; return t end
      while true do
        ws()
        if s:sub(pos, pos) ~= '"' then fail("expected a key") end
        local k = str(); ws()
        if s:sub(pos, pos) ~= ":" then fail("expected ':'") end
        pos = pos + 1
        t[k] = value(); ws()
        local d = s:sub(pos, pos); pos = pos + 1
        if d == "}" then return t end
        if d ~= "," then pos = pos - 1; fail("expected ',' or '}'") end
      end
    elseif c == "[" then
      local t = {}
      pos = pos + 1; ws()
      if s:sub(pos, pos) == "]" then pos = pos + 1; return t end
      while true do
        t[#t + 1] = value(); ws()
        local d = s:sub(pos, pos); pos = pos + 1
        if d == "]" then return t end
        if d ~= "," then pos = pos - 1; fail("expected ',' or ']'") end
      end
    elseif c == '"' then return str()
    elseif s:find("^true", pos) then pos = pos + 4; return true
    elseif s:find("^false", pos) then pos = pos + 5; return false
    elseif s:find("^null", pos) then pos = pos + 4; return M.null
    else
      local num = s:match("^-?%d+%.?%d*[eE]?[-+]?%d*", pos)
      if not num or num == "" or not tonumber(num) then fail("unexpected " .. (c == "" and "end" or ("'" .. c .. "'"))) end
      pos = pos + #num
      return math.tointeger(tonumber(num)) and not num:find("[%.eE]") and math.tointeger(tonumber(num)) or tonumber(num) + 0.0
    end
  end
  return function()
    local v = value(); ws()
    if pos <= #s then fail("trailing text") end
    return v
  end
end

--- Decode JSON text.
-- @string text
-- @return the value, or nil and a message naming where the text is bad
function M.decode(text)
  if type(text) ~= "string" then return nil, "json.decode: expected a string, got " .. type(text) end
  local ok, v = pcall(decoder(text))
  if ok then return v end
  if type(v) == "table" then return nil, "json.decode: " .. v[1] end
  error(v, 0)
end

return M
