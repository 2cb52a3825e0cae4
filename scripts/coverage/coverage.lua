-- Writes docs/coverage.md: every public name and example of the Python
-- toolkit (canns, canns-lib), and where canns has it today.
--
--   build/canns scripts/coverage/coverage.lua [output.md]
--
-- Inputs (next to this script): upstream_names.txt, the upstream list made
-- by upstream_names.py, and not_applicable.txt, the names canns
-- deliberately does without.  The present names are found by walking the
-- Lua module tree (`require "canns"`), so the page follows the code: the
-- test `docs.coverage` fails when docs/coverage.md is not what this script
-- writes.
local canns = require "canns"

local here = (arg and arg[0] or ""):match("^(.*)/[^/]*$") or "."
local root = here .. "/../.."
local out_path = arg and arg[1] or (root .. "/docs/coverage.md")

local function lines(path)
  local f = assert(io.open(path, "r"))
  local t = {}
  for l in f:lines() do t[#t + 1] = l end
  f:close()
  return t
end

local function split(l)
  local t = {}
  for field in (l .. "\t"):gmatch("([^\t]*)\t") do t[#t + 1] = field end
  return t
end

-- ------------------------------------------------------------ Lua tree
-- Every string path to a function or table under canns, except the raw C
-- module and the array method table (reached through arrays instead).
local SKIP = {core = true, array_methods = true}
local paths = {} -- last component -> list of full paths
local value_at = {} -- full path -> the function or table there
do
  local seen = {}
  local function add(name, path, v)
    paths[name] = paths[name] or {}
    table.insert(paths[name], path)
    value_at[path] = v
  end
  local function walk(t, path, depth)
    if seen[t] or depth > 8 then return end
    seen[t] = true
    local keys = {}
    for k in pairs(t) do if type(k) == "string" then keys[#keys + 1] = k end end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local v = rawget(t, k)
      if v == nil then v = t[k] end
      local p = path .. "." .. k
      if not SKIP[k] and (type(v) == "function" or type(v) == "table") then
        add(k, p, v)
        if type(v) == "table" then walk(v, p, depth + 1) end
      end
    end
  end
  walk(canns, "canns", 0)
  -- model classes registered in C are reached through an __index
  if canns.models and canns.models.classes then
    for _, n in ipairs(canns.models.classes()) do
      if not rawget(canns.models, n) then add(n, "canns.models." .. n) end
    end
  end
end

-- The Lua subtree an upstream module's names belong to.
local AREAS = {
  {"canns_lib.ripser", "canns.analyzer.tda"},
  {"canns_lib.spatial", "canns.spatial"},
  {"canns.models", "canns.models"},
  {"canns.task", "canns.task"},
  {"canns.trainer", "canns.trainer"},
  {"canns.analyzer", "canns.analyzer"},
  {"canns.data", "canns.data"},
  {"canns.pipeline", "canns.pipeline"},
  {"canns.utils", "canns.utils"},
}
local function area(mod)
  for _, a in ipairs(AREAS) do
    if mod == a[1] or mod:sub(1, #a[1] + 1) == a[1] .. "." then return a[2] end
  end
  return "canns"
end

-- Where canns has `name` from upstream module `mod`: the shortest path in
-- the module's area ending in that name, or nil.
-- the shortest path of that name in the module's area; where several
-- different objects have the name, the one whose parent has the upstream
-- module's last name (`gallery.main` for canns.pipeline.gallery's `main`)
local function find(mod, name)
  local prefix = area(mod)
  local tail = "." .. (mod:match("([^.]+)$") or mod) .. "." .. name
  local best, best_tail
  for _, p in ipairs(paths[name] or {}) do
    if p:sub(1, #prefix + 1) == prefix .. "." then
      if p:sub(-#tail) == tail then
        if not best_tail or #p < #best_tail then best_tail = p end
      elseif not best or #p < #best then
        best = p
      end
    end
  end
  if best_tail and (not best or value_at[best] == value_at[best_tail]) then
    return best and #best < #best_tail and best or best_tail, true
  end
  return best_tail or best, best_tail ~= nil
end

-- ------------------------------------------------------------ inputs
local upstream, examples, header = {}, {}, ""
for _, l in ipairs(lines(here .. "/upstream_names.txt")) do
  if l:sub(1, 1) == "#" then
    header = l:gsub("^#%s*", "")
  elseif l ~= "" then
    local f = split(l)
    if f[1] == "example" then examples[#examples + 1] = f[2]
    else upstream[#upstream + 1] = {mod = f[1], name = f[2], kind = f[3]} end
  end
end
local na = {}
for _, l in ipairs(lines(here .. "/not_applicable.txt")) do
  if l:sub(1, 1) ~= "#" and l ~= "" then
    local f = split(l)
    na[f[1] .. "\t" .. f[2]] = f[3]
  end
end

-- ------------------------------------------------------------ report
local rows_by_mod, mods = {}, {}
local total = {yes = 0, no = 0, na = 0}
local by_area = {}
for _, u in ipairs(upstream) do
  local where, exact = find(u.mod, u.name)
  local reason = na[u.mod .. "\t" .. u.name] or na[u.mod .. "\t*"]
  if reason and not exact then where = nil end -- a name elsewhere does not undo an n/a
  local status = where and "yes" or (reason and "na" or "no")
  total[status] = total[status] + 1
  local a = u.mod:match("^([^.]+%.[^.]+)") or u.mod
  by_area[a] = by_area[a] or {yes = 0, no = 0, na = 0}
  by_area[a][status] = by_area[a][status] + 1
  if not rows_by_mod[u.mod] then rows_by_mod[u.mod] = {}; mods[#mods + 1] = u.mod end
  table.insert(rows_by_mod[u.mod], {u = u, where = where, reason = reason, status = status})
end

local ex_rows, ex_yes = {}, 0
for _, p in ipairs(examples) do
  local base = p:match("([^/]+)%.py$")
  local lua = "examples/" .. base .. ".lua"
  local f = io.open(root .. "/" .. lua, "r")
  if f then f:close(); ex_yes = ex_yes + 1 end
  ex_rows[#ex_rows + 1] = {p = p, lua = f and lua or nil}
end

local o = {}
local function w(s) o[#o + 1] = s end
w("# Coverage of the Python toolkit")
w("")
w("Every public class and function of the Python toolkit (" .. header .. ") and")
w("every upstream example, with where canns has it today. This page is")
w("generated: `build/canns scripts/coverage/coverage.lua` walks the Lua module")
w("tree and compares it with `scripts/coverage/upstream_names.txt` (made by")
w("`scripts/coverage/upstream_names.py` from the installed toolkit); the test")
w("`docs.coverage` fails when this file is out of date. A name counts as")
w("present when a function or table of that name exists in the matching part")
w("of the Lua tree; its behaviour is described in the docs of that area and")
w("its differences from upstream in `differences.md`. *n/a* marks what canns")
w("deliberately does without (the reason is given).")
w("")
w(string.format("**Names: %d of %d present, %d not built, %d not applicable. Examples: %d of %d have a Lua twin.**",
                total.yes, #upstream, total.no, total.na, ex_yes, #examples))
w("")
w("| upstream package | present | not built | n/a |")
w("|---|---:|---:|---:|")
local areas = {}
for a in pairs(by_area) do areas[#areas + 1] = a end
table.sort(areas)
for _, a in ipairs(areas) do
  local c = by_area[a]
  w(string.format("| `%s` | %d | %d | %d |", a, c.yes, c.no, c.na))
end
w("")
w("## Names")
table.sort(mods)
for _, m in ipairs(mods) do
  w("")
  w("### `" .. m .. "`")
  w("")
  w("| name | kind | canns |")
  w("|---|---|---|")
  for _, r in ipairs(rows_by_mod[m]) do
    local c
    if r.status == "yes" then c = "`" .. r.where .. "`"
    elseif r.status == "na" then c = "*n/a*: " .. r.reason
    else c = "not built" end
    w(string.format("| `%s` | %s | %s |", r.u.name, r.u.kind, c))
  end
end
w("")
w("## Examples")
w("")
w("Upstream's `examples/` folder (its `legacy/` scripts are not listed). A")
w("twin is a Lua script in `examples/` with the same name; ctest runs every")
w("one of them with its default arguments.")
w("")
w("| upstream example | canns |")
w("|---|---|")
for _, r in ipairs(ex_rows) do
  w(string.format("| `%s` | %s |", r.p, r.lua and ("`" .. r.lua .. "`") or "not built"))
end
w("")

local text = table.concat(o, "\n")
local tmp = out_path .. ".tmp"
local f = assert(io.open(tmp, "w"))
f:write(text)
f:close()
assert(os.rename(tmp, out_path))
print(string.format("coverage: %d/%d names, %d/%d examples -> %s", total.yes, #upstream,
                    ex_yes, #examples, out_path))
