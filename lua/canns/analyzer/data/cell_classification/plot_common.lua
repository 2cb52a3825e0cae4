--- Shared argument handling of the grid and head-direction figures of
-- cell_classification (internal; not merged into the public module):
-- upstream's optional parameters with drawing options (Python's
-- **kwargs), the PlotConfig a figure is drawn with, 1-D inputs, number
-- formatting as Python's f-strings, numpy.interp.
-- @module canns.analyzer.data.cell_classification.plot_common
local A = require "canns.argcheck"
local core = require "canns.core"
local kw = require "canns.analyzer.data.cell_classification.kwargs"

local P = {}

local function vconfig() return require "canns.analyzer.visualization.config" end

--- Like kwargs.parse (optional values by position from `first`, or one
-- trailing keyword table), but keys of the table that are not in `names`
-- are returned apart as drawing options instead of being refused.
-- @return o (options, defaults filled in), extra (drawing options or nil)
function P.parse_with_kwargs(fn, first, names, defaults, ...)
  local n = select("#", ...)
  local args = {...}
  local last = args[n]
  local known = {}
  for _, k in ipairs(names) do known[k] = true end
  local opts, extra = {}, nil
  if n > 0 and type(last) == "table" and not core.isarray(last) and getmetatable(last) == nil then
    for k, v in pairs(last) do
      if type(k) ~= "string" then A.error(fn, "keyword table has a non-string key %s", A.describe(k)) end
      if known[k] then
        opts[k] = v
      else
        extra = extra or {}
        extra[k] = v
      end
    end
    n = n - 1
  end
  if n > #names then A.error(fn, "takes at most %d optional arguments, got %d", #names, n) end
  local o = {}
  for i = 1, n do o[names[i]] = args[i] end
  for k, v in pairs(opts) do
    if o[k] ~= nil then A.error(fn, "option '%s' given twice (by position and by name)", k) end
    o[k] = v
  end
  for k, v in pairs(defaults or {}) do
    if o[k] == nil then o[k] = v end
  end
  return o, extra
end

local function merged(a, b)
  local t = {}
  for k, v in pairs(a or {}) do t[k] = v end
  for k, v in pairs(b or {}) do t[k] = v end
  return t
end

--- The PlotConfig to draw with: `o.config` (a copy, its drawing options
-- extended by `extra` as upstream merges **kwargs into config.kwargs), or
-- `factory` called with the fields `keys` found in `o` and `extra` as
-- drawing options.
-- @return PlotConfig
function P.config(o, fn, factory, keys, extra)
  local vc = vconfig()
  if o.config ~= nil then
    if not vc.is_config(o.config) then
      A.fail(fn, "config", nil, "must be a PlotConfig, got %s", A.describe(o.config))
    end
    if extra == nil then return o.config end
    return o.config:replace{kwargs = merged(o.config.kwargs, extra)}
  end
  P.check_output(o, fn)
  local fields = {}
  for _, k in ipairs(keys or {}) do
    if o[k] ~= nil then fields[k] = o[k] end
  end
  if fields.save_path == false then fields.save_path = nil end
  if extra ~= nil then fields.kwargs = merged(nil, extra) end
  return factory(fields)
end

--- Check `save_path` (nil, false or a string), `show` (nil or boolean),
-- `title` (nil or a string) and `figsize` (nil or two positive numbers).
function P.check_output(o, fn)
  local sp = o.save_path
  if sp ~= nil and sp ~= false and type(sp) ~= "string" then
    A.fail(fn, "save_path", nil, "must be a file path (string), got %s", A.describe(sp))
  end
  if o.show ~= nil and type(o.show) ~= "boolean" then
    A.fail(fn, "show", nil, "must be a boolean, got %s", A.describe(o.show))
  end
  if o.title ~= nil and type(o.title) ~= "string" then
    A.fail(fn, "title", nil, "must be a string, got %s", A.describe(o.title))
  end
  local fs = o.figsize
  if fs ~= nil then
    if type(fs) ~= "table" or type(fs[1]) ~= "number" or type(fs[2]) ~= "number" or not (fs[1] > 0)
       or not (fs[2] > 0) then
      A.fail(fn, "figsize", nil, "must be {width, height} in inches (positive), got %s", A.describe(fs))
    end
  end
end

--- The figure holding the axes `ax` (checked).
function P.axes_figure(ax, fn)
  if type(ax) ~= "userdata" or type(ax.get_figure) ~= "function" then
    A.fail(fn, "ax", nil, "must be axes (from fig:subplot), got %s", A.describe(ax))
  end
  return ax:get_figure()
end

--- Python's f"{x:...}" for one number: nan, inf, -inf spelled as Python.
-- @string f a C format ("%.3f")
-- @number x
function P.fmt(f, x)
  if type(x) ~= "number" then return tostring(x) end
  if x ~= x then return "nan" end
  if x == math.huge then return "inf" end
  if x == -math.huge then return "-inf" end
  return string.format(f, x)
end

--- A 1-D input as a Lua list of numbers (at least `min` values).
function P.vector(v, fn, arg, name, min)
  if v == nil then A.fail(fn, arg, name, "is required (a 1-D array)") end
  local a = kw.array(v, fn, arg, name, {})
  if a:ndim() ~= 1 then A.fail(fn, arg, name, "must be 1-D, got %s", A.describe(a)) end
  if a:size() < (min or 1) then
    A.fail(fn, arg, name, "must have at least %d values, got %s", min or 1, A.describe(a))
  end
  return a:totable()
end

--- numpy.interp(x, xp, fp) for one x (xp increasing; ends held).
function P.interp(x, xp, fp)
  local n = #xp
  if x ~= x then return x end
  if x <= xp[1] then return fp[1] end
  if x >= xp[n] then return fp[n] end
  local lo, hi = 1, n
  while hi - lo > 1 do
    local mid = (lo + hi) // 2
    if xp[mid] <= x then lo = mid else hi = mid end
  end
  local d = xp[hi] - xp[lo]
  if d == 0 then return fp[hi] end
  return fp[lo] + (fp[hi] - fp[lo]) * (x - xp[lo]) / d
end

--- Save / show as upstream's finalize_figure.
function P.finalize(fig, cfg, fn)
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fn)
end

return P
