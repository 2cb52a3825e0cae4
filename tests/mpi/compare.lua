-- Compares two runs of tests/mpi/sweep.lua: every variable of results.nc
-- bit for bit (NaN where the other has NaN), and each point's status,
-- seed and error message in the two indexes.
--   canns tests/mpi/compare.lua DIR_A DIR_B
local cio = require "canns.io"
local core = require "canns.core"
local a_dir, b_dir = arg[1], arg[2]
local fail = false
local function bad(fmt, ...) io.stderr:write((fmt .. "\n"):format(...)); fail = true end

local A, B = cio.load_nc(a_dir .. "/results.nc"), cio.load_nc(b_dir .. "/results.nc")
local nvars = 0
for name, va in pairs(A) do
  local vb = B[name]
  if type(va) ~= "userdata" then goto continue end
  nvars = nvars + 1
  if not vb then bad("%s: missing in %s", name, b_dir); goto continue end
  if table.concat(va:shape(), ",") ~= table.concat(vb:shape(), ",") or va:dtype() ~= vb:dtype() then
    bad("%s: shape or type differs", name); goto continue
  end
  do
    local fa, fb = va:flatten(), vb:flatten()
    for i = 1, fa:size() do
      local x, y = fa:get(i), fb:get(i)
      if not (x == y or (x ~= x and y ~= y)) then bad("%s[%d]: %.17g vs %.17g", name, i, x, y) end
    end
  end
  ::continue::
end
for name in pairs(B) do
  if A[name] == nil then bad("%s: only in %s", name, b_dir) end
end
if nvars < 5 then bad("only %d variables in %s/results.nc", nvars, a_dir) end

local function rows(dir)
  local db = core.db_open(dir .. "/index.sqlite")
  local r = db:exec("SELECT idx, params, seed, status, error, attempts, owner FROM points ORDER BY idx")
  db:close()
  return r
end
local ra, rb = rows(a_dir), rows(b_dir)
if #ra ~= #rb or #ra == 0 then bad("%d points vs %d", #ra, #rb) end
for i = 1, math.min(#ra, #rb) do
  local x, y = ra[i], rb[i]
  for _, k in ipairs({"idx", "params", "seed", "status"}) do
    if x[k] ~= y[k] then bad("point %d: %s %s vs %s", i, k, tostring(x[k]), tostring(y[k])) end
  end
  local ea, eb = (x.error or ""):match("^[^\n]*"), (y.error or ""):match("^[^\n]*")
  if ea ~= eb then bad("point %d: error '%s' vs '%s'", i, ea, eb) end
end
if fail then os.exit(1) end
print(("same results: %d variables, %d points"):format(nvars, #ra))
