-- canns.pipeline.Sweep: designs, per-point seeds, the index, results.nc,
-- worker processes, shards, resume after SIGKILL and bad input.
local canns = require "canns"
local core = require "canns.core"
local S = require "canns.pipeline.sampling"

local EXE = core.proc_exe()

local function sh(cmd)
  local p = io.popen(cmd .. " 2>&1; echo \"rc=$?\"")
  local s = p:read("a")
  p:close()
  return s, tonumber(s:match("rc=(%d+)%s*$"))
end

local function write(path, text)
  local f = assert(io.open(path, "w"))
  f:write(text)
  f:close()
end

local function lines(path)
  local t = {}
  local f = io.open(path)
  if not f then return t end
  for l in f:lines() do t[#t + 1] = l end
  f:close()
  return t
end

-- A sweep script run as its own process: y = m * tau_v, one line per
-- executed point appended to <out>/log.txt; KILL_AT=i kills the process
-- with SIGKILL on the first attempt of point i.
local SCRIPT = [[
local canns = require "canns"
local core = require "canns.core"
local out, workers = arg[1], tonumber(arg[2])
local kill_at = tonumber(os.getenv("KILL_AT") or "")
local sweep = canns.pipeline.Sweep{name = "s", out = out, seed = 3, workers = workers, progress = false,
  params = {m = {0, 0.25, 0.5, 0.75}, tau_v = {10, 20, 30}},
  run = function(p, ctx)
    local f = io.open(out .. "/log.txt", "a"); f:write(ctx.index, " start\n"); f:close()
    if ctx.index == kill_at and not io.open(out .. "/killed") then
      io.open(out .. "/killed", "w"):close()
      core.proc_kill(core.proc_getpid(), 9)
    end
    f = io.open(out .. "/log.txt", "a"); f:write(ctx.index, " done\n"); f:close()
    return {y = p.m * p.tau_v, seed = ctx.seed, v = canns.array({p.m, p.tau_v}, "float64")}
  end}
local r = sweep:run()
print(("summary %d %d %d"):format(r.done, r.failed, r.pending))
]]

describe("canns.pipeline designs", function()
  it("enumerates a grid in C order over sorted names", function()
    local d = S.grid({b = {1, 2, 3}, a = {10, 20}})
    assert.same({"a", "b"}, d.names)
    assert.same({2, 3}, d.shape)
    assert.equal(6, #d.points)
    local k = 0
    for _, a in ipairs({10, 20}) do
      for _, b in ipairs({1, 2, 3}) do
        k = k + 1
        assert.same({a = a, b = b}, d.points[k])
      end
    end
  end)

  it("draws random samples inside the ranges, reproducibly", function()
    local d1 = S.random({x = {-1, 1}, y = {5, 6}}, 200, 9)
    local d2 = S.random({x = {-1, 1}, y = {5, 6}}, 200, 9)
    local d3 = S.random({x = {-1, 1}, y = {5, 6}}, 200, 10)
    assert.same(d1.points, d2.points)
    assert.are_not.same(d1.points, d3.points)
    local mean = 0
    for _, p in ipairs(d1.points) do
      assert.is_true(p.x >= -1 and p.x <= 1 and p.y >= 5 and p.y <= 6)
      mean = mean + p.x / 200
    end
    -- mean of 200 uniforms on [-1, 1]: sd 0.041; 5 sd bound
    assert.is_true(math.abs(mean) < 0.21)
  end)

  it("puts one Latin-hypercube point in every stratum of every parameter", function()
    local n = 50
    local d = S.latin_hypercube({x = {0, 1}, y = {-2, 2}}, n, 4)
    for _, name in ipairs({"x", "y"}) do
      local lo, hi = name == "x" and 0 or -2, name == "x" and 1 or 2
      local seen = {}
      for _, p in ipairs(d.points) do
        local s = math.floor((p[name] - lo) / (hi - lo) * n)
        assert.is_nil(seen[s])
        seen[s] = true
      end
      for s = 0, n - 1 do assert.is_true(seen[s]) end
    end
  end)

  it("derives point seeds from the sweep seed and the index only", function()
    local seen = {}
    for i = 1, 1000 do
      local s = canns.pipeline.point_seed(7, i)
      assert.is_true(s >= 0 and s <= 2147483647)
      assert.is_nil(seen[s])
      seen[s] = true
    end
    assert.equal(canns.pipeline.point_seed(7, 5), canns.pipeline.point_seed(7, 5))
    assert.are_not.equal(canns.pipeline.point_seed(7, 5), canns.pipeline.point_seed(8, 5))
  end)
end)

describe("canns.pipeline.Sweep", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)

  it("runs a grid, records a failing point and combines the results", function()
    local calls = 0
    local sw = canns.pipeline.Sweep{name = "g", out = dir .. "/o", workers = 1, progress = false, seed = 5,
      params = {m = {0, 0.5, 1}, z = {1, 2}},
      run = function(p, ctx)
        calls = calls + 1
        if p.m == 0.5 and p.z == 2 then error("bad point") end
        return {prod = p.m * p.z, ok = true, seed = ctx.seed, vec = {p.m, p.z, 7}}
      end}
    local r = sw:run()
    assert.same({done = 5, failed = 1, pending = 0, total = 6}, r)
    local ds = sw:results()
    assert.same({3, 2}, ds.prod:shape())
    assert.same({3, 2, 3}, ds.vec:shape())
    local ms, ks = {0, 0.5, 1}, {1, 2}
    for i, m in ipairs(ms) do
      for j, k in ipairs(ks) do
        local idx = (i - 1) * 2 + j
        local v = ds.prod:get(i, j)
        if idx == 4 then
          assert.is_true(v ~= v)
          assert.equal(2, ds.status:get(i, j))
          assert.truthy(ds.errors[4]:find("bad point", 1, true))
        else
          assert.equal(m * k, v)
          assert.equal(1, ds.status:get(i, j))
          assert.equal(canns.pipeline.point_seed(5, idx), ds.seed:get(i, j))
          assert.equal(k, ds.vec:get(i, j, 2))
        end
      end
    end
    -- the netCDF file has the parameters as coordinate variables
    local vars, meta = canns.io.load_nc(ds.path)
    assert.same({"z"}, meta.dims.z)
    assert.same({"m", "z"}, meta.dims.prod)
    assert.same({"m", "z", "vec_dim1"}, meta.dims.vec)
    assert.same(ms, vars.m:totable())
    assert.is_true(canns.array_equal(vars.status, ds.status))
    -- resume: nothing is computed again, the failure stays recorded
    calls = 0
    r = sw:run()
    assert.equal(0, calls)
    assert.same({done = 5, failed = 1, pending = 0, total = 6}, r)
    -- retry_failed runs the failed point again
    local sw2 = canns.pipeline.Sweep{name = "g", out = dir .. "/o", workers = 1, progress = false, seed = 5,
      params = {m = {0, 0.5, 1}, z = {1, 2}}, retry_failed = true,
      run = function(p) calls = calls + 1; return {prod = p.m * p.z, ok = true, seed = 0, vec = {p.m, p.z, 7}} end}
    r = sw2:run()
    assert.equal(1, calls)
    assert.same({done = 6, failed = 0, pending = 0, total = 6}, r)
  end)

  it("runs explicit lists with a point axis and coordinates", function()
    local sw = canns.pipeline.Sweep{out = dir .. "/l", workers = 1, progress = false,
      params = {{a = 1, b = "x"}, {a = 2, b = "y"}, {a = 3, b = "x"}},
      run = function(p) return {twice = 2 * p.a} end}
    sw:run()
    local ds = sw:results()
    assert.same({2, 4, 6}, ds.twice:totable())
    assert.same({1, 2, 1}, ds.b:totable()) -- string parameters as codes
    local _, meta = canns.io.load_nc(ds.path)
    assert.same({"point"}, meta.dims.twice)
    assert.equal("a b", meta.attrs.twice.coordinates)
    assert.equal("x,y", meta.attrs.b.labels)
  end)

  it("gives the same results on 1 and 2 worker processes, each point once", function()
    write(dir .. "/s.lua", SCRIPT)
    local o1, rc1 = sh(("'%s' '%s/s.lua' '%s/w1' 1"):format(EXE, dir, dir))
    assert.equal(0, rc1, o1)
    local o2, rc2 = sh(("'%s' '%s/s.lua' '%s/w2' 2"):format(EXE, dir, dir))
    assert.equal(0, rc2, o2)
    assert.truthy(o2:find("summary 12 0 0", 1, true), o2)
    local a = canns.io.load_nc(dir .. "/w1/results.nc")
    local b = canns.io.load_nc(dir .. "/w2/results.nc")
    for _, name in ipairs({"y", "seed", "v", "status", "m", "tau_v"}) do
      assert.is_true(canns.array_equal(a[name], b[name]), name)
    end
    local done = {}
    for _, l in ipairs(lines(dir .. "/w2/log.txt")) do
      local i, what = l:match("(%d+) (%a+)")
      if what == "done" then done[i] = (done[i] or 0) + 1 end
    end
    for i = 1, 12 do assert.equal(1, done[tostring(i)]) end
  end)

  it("loses and recomputes nothing finished when killed with SIGKILL", function()
    write(dir .. "/s.lua", SCRIPT)
    local cmd = ("KILL_AT=7 '%s' '%s/s.lua' '%s/k' 1"):format(EXE, dir, dir)
    local out, rc = sh(cmd)
    assert.equal(137, rc, out) -- killed
    assert.is_nil(out:find("summary", 1, true))
    out, rc = sh(cmd)
    assert.equal(0, rc, out)
    assert.truthy(out:find("summary 12 0 0", 1, true), out)
    local started, done = {}, {}
    for _, l in ipairs(lines(dir .. "/k/log.txt")) do
      local i, what = l:match("(%d+) (%a+)")
      local t = what == "done" and done or started
      t[tonumber(i)] = (t[tonumber(i)] or 0) + 1
    end
    for i = 1, 12 do
      assert.equal(1, done[i], "point " .. i)
      assert.equal(i == 7 and 2 or 1, started[i], "point " .. i)
    end
    local y = canns.io.load_nc(dir .. "/k/results.nc").y
    assert.equal(0.75 * 30, y:get(4, 3))
  end)

  it("splits the points into shards that combine", function()
    write(dir .. "/s.lua", SCRIPT)
    for i = 0, 2 do
      local out, rc = sh(("CANNS_SWEEP_SHARD=%d/3 '%s' '%s/s.lua' '%s/sh' 1"):format(i, EXE, dir, dir))
      assert.equal(0, rc, out)
      assert.truthy(out:find("summary 4 0 0", 1, true), out)
    end
    assert.is_true(testutil.exists(dir .. "/sh/index-2of3.sqlite"))
    local y = canns.io.load_nc(dir .. "/sh/results.nc")
    assert.same({{1, 1, 1}, {1, 1, 1}, {1, 1, 1}, {1, 1, 1}}, y.status:totable())
    local out, rc = sh(("CANNS_SWEEP_SHARD=3/3 '%s' '%s/s.lua' '%s/sh' 1"):format(EXE, dir, dir))
    assert.are_not.equal(0, rc)
    assert.truthy(out:find("CANNS_SWEEP_SHARD must be 'i/n' with 0 <= i < n, got '3/3'", 1, true), out)
  end)

  it("logs one line per point when stderr is not a terminal", function()
    write(dir .. "/s.lua", (SCRIPT:gsub("progress = false", "progress = true")))
    local out, rc = sh(("'%s' '%s/s.lua' '%s/p' 1"):format(EXE, dir, dir))
    assert.equal(0, rc, out)
    assert.truthy(out:find("[s] point 12 (m=0.75, tau_v=30) done in", 1, true), out)
  end)

  describe("bad input", function()
    local function mk(o)
      local t = {out = dir .. "/b", workers = 1, progress = false, params = {x = {1, 2}},
                 run = function(p) return {y = p.x} end}
      for k, v in pairs(o or {}) do t[k] = v end
      return canns.pipeline.Sweep(t)
    end

    it("refuses empty designs and bad options", function()
      testutil.fails_with("Sweep: option 'params.x' has no values", mk, {params = {x = {}}})
      testutil.fails_with("Sweep: option 'params' is empty", mk, {params = {}})
      testutil.fails_with("Sweep: option 'params' is an empty list", mk, {params = {}, sampling = "list"})
      testutil.fails_with("Sweep: option 'run' must be a function, got 3", mk, {run = 3})
      testutil.fails_with("Sweep: option 'out' is required", canns.pipeline.Sweep,
                          {params = {x = {1}}, run = print})
      testutil.fails_with("Sweep: unknown option 'parms'", mk, {parms = 1})
      testutil.fails_with("Sweep: option 'samples' is required", mk, {sampling = "random", params = {x = {0, 1}}})
      testutil.fails_with("Sweep: option 'samples' is too large", mk,
                          {sampling = "lhs", samples = 2^53, params = {x = {0, 1}}})
      testutil.fails_with("must be a range {low, high}", mk,
                          {sampling = "random", samples = 3, params = {x = {1, 0}}})
      testutil.fails_with("names must be identifiers other than 'status'", mk, {params = {status = {1}}})
      testutil.fails_with("point 2 lacks parameter 'a'", mk, {params = {{a = 1}, {b = 2}}})
      testutil.fails_with("params.x[2] is NaN", mk, {params = {x = {1, 0 / 0}}})
    end)

    it("records a misspelt parameter and unsaveable results as point errors", function()
      local sw = mk{run = function(p) return {y = p.xx} end}
      sw:run()
      assert.truthy(sw:errors()[1]:find("parameter 'xx' is not in this sweep (it has: x)", 1, true))
      testutil.rmtree(dir .. "/b")
      sw = mk{run = function(p) return {y = print} end}
      sw:run()
      assert.truthy(sw:errors()[2]:find("run returned 'y' = a function", 1, true), sw:errors()[2])
      testutil.rmtree(dir .. "/b")
      sw = mk{run = function() return {status = 1} end}
      sw:run()
      assert.truthy(sw:errors()[1]:find("reserved", 1, true))
    end)

    it("refuses a corrupt, a foreign and another sweep's index", function()
      core.mkdir(dir .. "/b")
      write(dir .. "/b/index.sqlite", ("garbage that is not sqlite\n"):rep(100))
      testutil.fails_with("the sweep index '" .. dir .. "/b/index.sqlite' cannot be used", function() mk():run() end)
      os.remove(dir .. "/b/index.sqlite")
      local db = core.db_open(dir .. "/b/index.sqlite")
      db:exec("CREATE TABLE people (name TEXT)")
      db:close()
      testutil.fails_with("is not a canns sweep index", function() mk():run() end)
      os.remove(dir .. "/b/index.sqlite")
      mk():run()
      testutil.fails_with("holds another sweep", function() mk{params = {x = {1, 2, 3}}}:run() end)
      testutil.fails_with("holds another sweep", function() mk{seed = 9}:run() end)
    end)

    it("refuses a second sweep in a folder that is running", function()
      core.mkdir(dir .. "/b")
      local lock = core.flock(dir .. "/b/.lock-0of1")
      testutil.fails_with("another process is running this sweep in '" .. dir .. "/b'", function() mk():run() end)
      lock:unlock()
      assert.equal(2, mk():run().done)
    end)
  end)
end)

describe("canns.utils", function()
  it("benchmark returns the first call's results and times the others", function()
    local n = 0
    local f = canns.utils.benchmark{runs = 3, name = "f"}(function(a) n = n + 1; return a * 2, "x" end)
    local real_print = _G.print
    local printed = {}
    _G.print = function(s) printed[#printed + 1] = s end
    local a, b = f(21)
    _G.print = real_print
    assert.equal(42, a)
    assert.equal("x", b)
    assert.equal(4, n)
    assert.equal("Total Run times: 3", printed[3])
    testutil.fails_with("benchmark: option 'runs' must be an integer", canns.utils.benchmark, {runs = 0.5})
  end)

  it("get_example_output_dir follows upstream's layout", function()
    local dir = testutil.tmpdir()
    local d = canns.utils.get_example_output_dir(dir .. "/examples/cann/demo.lua")
    assert.equal(dir .. "/examples/outputs/cann/demo", d)
    assert.is_true(os.rename(d, d))
    d = canns.utils.get_example_output_dir(dir .. "/x/demo.lua", "cat")
    assert.equal(dir .. "/x/outputs/cat/demo", d)
    testutil.rmtree(dir)
  end)
end)
