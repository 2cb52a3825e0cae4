-- A seeded, bounded random-argument sweep over the whole public API.
--
-- Every function reachable from `require "canns"` (the module tree,
-- enumerated when the sweep runs, so new modules are swept as soon as they
-- are on main) and every method of a set of sample objects (arrays,
-- models, tasks, environments, agents, figures, configurations, ...) is
-- called with random mixes of arguments: nil, booleans, huge, negative,
-- NaN and infinite numbers, 2^53, math.maxinteger, strings, tables, small
-- arrays of every dtype, arrays of the wrong shape, option tables with
-- absurd values, and paths inside a temporary folder.  The only assertion
-- is that each call either returns or raises a Lua error whose value is a
-- string: no crash, no sanitizer report, no hang, no huge allocation.
--
-- The sweep runs in a child `canns` process whose working folder is a
-- fresh temporary folder (so that whatever a function writes lands there),
-- and writes each call to a log before making it, so a crash or a hang
-- names the call.  Limits per call: 2e8 Lua instructions (a Lua loop that
-- does not end), 20 s of wall time, 2 GiB resident memory (a runaway
-- allocation); the whole child is stopped after 15 minutes.
--
-- Skipped (they block by design, or act outside the temporary folder):
--   canns.core.proc_spawn  starts arbitrary programs
--   canns.core.proc_kill   sends signals: pid 0 or -1 would signal every
--                          process of the user
--   canns.core.proc_wait   waits for a child process (blocks)
--   canns.core.sleep       blocks for the time it is given
--   canns.core.flock       a blocking file lock: a second lock on the same
--                          file from this process waits forever
--   methods named `run` of a pipeline Sweep (worker processes)
--
-- Environment: CANNS_SWEEP_SEED (default 20261204), CANNS_SWEEP_CALLS
-- (random calls per function, default 32).

local SKIP = {
  ["canns.core.proc_spawn"] = true,
  ["canns.core.proc_kill"] = true,
  ["canns.core.proc_wait"] = true,
  ["canns.core.sleep"] = true,
  ["canns.core.flock"] = true,
}
local SKIP_METHOD = { Sweep = { run = true } }

-- ------------------------------------------------------------------ child

local function child()
  local canns = require "canns"
  local seed = tonumber(os.getenv("CANNS_SWEEP_SEED") or "") or 20261204
  local ncalls = tonumber(os.getenv("CANNS_SWEEP_CALLS") or "") or 32
  local log = assert(io.open("sweep.log", "w"))
  math.randomseed(seed)
  canns.random.seed(seed)
  canns.set_progress(false)
  local dir = os.getenv("PWD") or "."

  local function safe(f, ...) local ok, v = pcall(f, ...); if ok then return v end end

  -- a pool of argument values (functions make fresh arrays each time, so
  -- that a call that writes into one does not change the next call's)
  local pool = {
    function() return nil end, function() return true end, function() return false end,
    function() return 0 end, function() return 1 end, function() return -1 end,
    function() return 3 end, function() return 2.5 end, function() return -0.5 end,
    function() return 2 ^ 53 end, function() return -2 ^ 53 end, function() return 2 ^ 63 end,
    function() return 1e300 end, function() return -1e300 end, function() return 1e-300 end,
    function() return math.huge end, function() return -math.huge end, function() return 0 / 0 end,
    function() return math.maxinteger end, function() return math.mininteger end,
    function() return 1 << 40 end,
    function() return "" end, function() return "abc" end, function() return "float32" end,
    function() return "int64" end, function() return "u" end, function() return "x" end,
    function() return "euclidean" end, function() return "fast" end, function() return "\xff\xfe" end,
    function() return string.rep("n", 300) end,
    function() return dir .. "/f.npy" end, function() return dir .. "/f.npz" end,
    function() return dir .. "/f.nc" end, function() return dir .. "/f.png" end,
    function() return dir .. "/f.gif" end, function() return dir .. "/sub/dir/f.svg" end,
    function() return dir .. "/missing.npy" end, function() return dir end,
    function() return {} end, function() return {1, 2, 3} end, function() return {0 / 0, 1} end,
    function() return {{1, 2}, {3, 4}} end, function() return {{1, 2}, {3}} end,
    function() return {1, "a", true} end, function() return {x = 1, y = 2} end,
    function() return {2 ^ 53, 2 ^ 53} end, function() return {-1, -1} end,
    function() return {a = {1, 2}} end,
    function() return {n = 2 ^ 53, num = 2 ^ 53, steps = 2 ^ 53, duration = 1e300, dt = 0 / 0} end,
    function() return {num_bins = -1, maxdim = 9, length = 1e300, size = -3, seed = -1} end,
    function() return {dt = 1e-300, T = 1e300, time_step = 0, bins = 2 ^ 53, samples = 1e300} end,
    function() return {num = 16} end, function() return {length = 6} end,
    function() return {figsize = {1e300, -1}, dpi = 0 / 0} end,
    function() return canns.zeros(3) end, function() return canns.ones({2, 3}) end,
    function() return canns.ones({4, 4}, "float64") end, function() return canns.zeros({2, 2, 2}) end,
    function() return canns.zeros(0) end, function() return canns.zeros({0, 3}) end,
    function() return canns.array(2.5) end, function() return canns.array({1, 2, 3}, "int32") end,
    function() return canns.array({1, 2}, "int64") end, function() return canns.array({true, false}) end,
    function() return canns.array({0 / 0, math.huge, -math.huge}) end,
    function() return canns.ones({16}) end, function() return canns.ones({5, 16}) end,
    function() return canns.ones({6, 6}) end, function() return canns.ones({3, 6, 6}) end,
    function() return canns.ones({10, 2}, "float64") end,
    function() return safe(canns.models.CANN1D, {num = 16}) end,
    function() return safe(canns.models.CANN2D, {length = 6}) end,
    function() return function() return 1 end end,
    function() return function() error("from a callback") end end,
  }
  -- plausible values: most calls get these, with one or two positions
  -- replaced by anything from the pool, so that a call gets past the first
  -- argument checks and an absurd value reaches the later ones
  local plausible = {
    function() return 3 end, function() return 1 end, function() return 0.5 end,
    function() return {0.1, 0.5, 0.9} end, function() return {1, 2, 3} end,
    function() return canns.linspace(0, 1, 3) end, function() return canns.ones({3, 2}) end,
    function() return canns.ones({5, 16}) end, function() return "u" end,
    function() return {} end, function() return dir .. "/p.npy" end,
    function() return safe(canns.models.CANN1D, {num = 16}) end,
  }
  local function rand_value() return pool[math.random(#pool)]() end
  local function rand_args(n)
    local args = {}
    if math.random() < 0.5 then
      for i = 1, n do args[i] = rand_value() end
    else
      for i = 1, n do args[i] = plausible[math.random(#plausible)]() end
      for _ = 1, math.random(1, 2) do
        if n > 0 then args[math.random(n)] = rand_value() end
      end
    end
    return args
  end

  local SAFE_LIMITS = { dt = canns.get_dt(), threads = canns.num_threads() }
  local function restore()
    pcall(canns.set_dt, SAFE_LIMITS.dt)
    pcall(canns.set_num_threads, 0)
    pcall(canns.set_progress, false)
  end

  local function rss_kib()
    local f = io.open("/proc/self/statm")
    if not f then return 0 end
    local _, res = f:read("n", "n")
    f:close()
    return (res or 0) * 4
  end

  local failures = {}
  local ncall, nerr = 0, 0
  local wall = canns.core.wallclock

  local function call(name, f, args, nargs)
    ncall = ncall + 1
    log:write(name, "(")
    for i = 1, nargs do
      local v = args[i]
      log:write(i > 1 and ", " or "", type(v) == "string" and string.format("%q", v) or canns.core.describe(v))
    end
    log:write(")\n")
    log:flush()
    local hung = false
    debug.sethook(function() hung = true; error("api sweep: instruction budget exhausted", 2) end, "", 2e8)
    local t0 = wall()
    local ok, err = pcall(f, table.unpack(args, 1, nargs))
    debug.sethook()
    local dt = wall() - t0
    restore()
    if hung then
      failures[#failures + 1] = name .. ": did not return within 2e8 Lua instructions"
    elseif not ok and type(err) ~= "string" then
      failures[#failures + 1] = name .. ": raised a " .. type(err) .. ", not an error string"
    elseif dt > 20 then
      failures[#failures + 1] = string.format("%s: took %.1f s", name, dt)
    end
    if not ok then nerr = nerr + 1 end
    if collectgarbage("count") > 1024 * 1024 or rss_kib() > 2 * 1024 * 1024 then
      failures[#failures + 1] = name .. ": memory grew past 2 GiB"
    end
    if #failures > 0 then -- stop at the first: later calls would inherit its memory
      log:write("FAILURE ", failures[1], "\n")
      log:close()
      io.write("sweep stopped: ", failures[1], "\n")
      os.exit(1)
    end
  end

  local function sweep_function(name, f, self_fn)
    for _ = 1, ncalls do
      local n = math.random(0, 4)
      local args = rand_args(n)
      if self_fn then
        local obj = self_fn()
        if obj == nil then return end
        table.insert(args, 1, obj)
        n = n + 1
      end
      call(name, f, args, n)
    end
  end

  -- 1. the module tree
  local seen, names = {}, {}
  local function walk(t, path, depth)
    if seen[t] or depth > 8 then return end
    seen[t] = true
    local keys = {}
    for k in pairs(t) do
      if type(k) == "string" then keys[#keys + 1] = k end
    end
    table.sort(keys)
    for _, k in ipairs(keys) do
      local v = rawget(t, k)
      local p = path .. "." .. k
      if type(v) == "function" then
        names[#names + 1] = { p, v }
      elseif type(v) == "table" and not canns.isarray(v) then
        walk(v, p, depth + 1)
      end
    end
  end
  walk(canns, "canns", 0)
  local nfun = 0
  for _, e in ipairs(names) do
    if not SKIP[e[1]] then
      nfun = nfun + 1
      sweep_function(e[1], e[2])
    end
  end

  -- 2. methods of sample objects (each method gets a fresh object)
  local viz = canns.analyzer.visualization
  local samples = {
    array = function() return canns.ones({3, 4}) end,
    array1 = function() return canns.linspace(0, 1, 5) end,
    CANN1D = function() return canns.models.CANN1D{num = 16} end,
    CANN2D = function() return canns.models.CANN2D{length = 6} end,
    SmoothTracking1D = function()
      return canns.task.SmoothTracking1D{cann_instance = canns.models.CANN1D{num = 16}, Iext = {0, 1},
                                         duration = {1}}
    end,
    Environment = function() return canns.spatial.Environment{} end,
    Agent = function() return canns.spatial.Agent{environment = canns.spatial.Environment{}} end,
    Agents = function() return canns.spatial.Agents{environment = canns.spatial.Environment{}, n = 2} end,
    Figure = function() return viz.figure{figsize = {2, 2}} end,
    Axes = function() return viz.figure{figsize = {2, 2}}:subplot(1, 1, 1) end,
    PlotConfig = function() return viz.PlotConfig{} end,
    Generator = function() return canns.random.Generator(1) end,
    Progress = function() return canns.Progress("sweep", 3) end,
  }
  -- optional samples of modules that may or may not be on main yet
  local keys = {}
  for k in pairs(samples) do keys[#keys + 1] = k end
  table.sort(keys)
  local nmeth = 0
  for _, kind in ipairs(keys) do
    local make = samples[kind]
    local obj = safe(make)
    if obj ~= nil then
      local methods, mseen = {}, {}
      local function collect(t, depth)
        if type(t) ~= "table" or mseen[t] or depth > 4 then return end
        mseen[t] = true
        for k, v in pairs(t) do
          if type(k) == "string" and type(v) == "function" and not methods[k] then methods[k] = v end
        end
        local mt = getmetatable(t)
        if type(mt) == "table" then collect(rawget(mt, "__index"), depth + 1) end
      end
      local mt = getmetatable(obj)
      if type(mt) == "table" then
        collect(rawget(mt, "__methods"), 0)
        collect(rawget(mt, "__index"), 0)
      end
      if type(obj) == "table" then collect(obj, 0) end
      local mnames = {}
      for k in pairs(methods) do
        if not (SKIP_METHOD[kind] and SKIP_METHOD[kind][k]) then mnames[#mnames + 1] = k end
      end
      table.sort(mnames)
      for _, k in ipairs(mnames) do
        nmeth = nmeth + 1
        sweep_function(kind .. ":" .. k, methods[k], function() return safe(make) end)
      end
    end
    collectgarbage()
  end

  log:write(string.format("sweep done: %d functions, %d methods, %d calls (%d raised errors)\n",
                          nfun, nmeth, ncall, nerr))
  for _, f in ipairs(failures) do log:write("FAILURE ", f, "\n") end
  log:close()
  io.write(string.format("sweep done: %d functions, %d methods, %d calls, %d failures\n", nfun, nmeth,
                         ncall, #failures))
  os.exit(#failures == 0 and 0 or 1)
end

if describe == nil then -- run as a script: the sweep itself
  child()
  return
end

-- ----------------------------------------------------------- the spec

describe("api sweep", function()
  it("every public function returns or raises an error string for random arguments", function()
    local exe = (os.getenv("CANNS_BUILD_DIR") or "build") .. "/canns"
    local src = os.getenv("CANNS_SOURCE_DIR") or "."
    if exe:sub(1, 1) ~= "/" then exe = src .. "/" .. exe end
    if src:sub(1, 1) ~= "/" then src = os.getenv("PWD") .. "/" .. src end
    local p = io.popen("mktemp -d")
    local tmp = p:read("l")
    p:close()
    local me = src .. "/spec/api_sweep_spec.lua"
    local cmd = string.format(
      "cd '%s' && env -u DISPLAY -u WAYLAND_DISPLAY CANNS_SHOW=0 CANNS_PROGRESS=0 PWD='%s' " ..
      "LUA_PATH='%s/lua/?.lua;%s/lua/?/init.lua;;' timeout -k 10 900 '%s' '%s' 2>&1",
      tmp, tmp, src, src, exe, me)
    local h = io.popen(cmd)
    local out = h:read("a")
    local ok, how, code = h:close()
    local f = io.open(tmp .. "/sweep.log")
    local logtext = f and f:read("a") or ""
    if f then f:close() end
    os.execute("rm -rf '" .. tmp .. "'")
    local lines = {}
    for l in logtext:gmatch("[^\n]+") do lines[#lines + 1] = l end
    local tail = table.concat(lines, "\n", math.max(1, #lines - 15))
    assert(ok, string.format("the sweep child ended with %s %s; output:\n%s\nlast calls:\n%s",
                             tostring(how), tostring(code), out:sub(-3000), tail))
    assert.is_truthy(out:find("sweep done", 1, true), out)
    assert.is_falsy(out:find("runtime error", 1, true), out)
    assert.is_falsy(out:find("AddressSanitizer", 1, true), out)
  end)
end)
