-- Threads, progress bars and build information from Lua.
local canns = require "canns"
local fails_with = testutil.fails_with

describe("threads", function()
  it("can be capped and restored without changing results", function()
    canns.random.seed(9)
    local x = canns.random.normal(200000)
    canns.set_num_threads(1)
    assert.equal(1, canns.num_threads())
    local s1, e1 = x:sum(), canns.exp(x)
    canns.set_num_threads(2)
    local s2, e2 = x:sum(), canns.exp(x)
    canns.set_num_threads(0)
    assert.equal(s1, s2)
    assert.is_true(e1 == e2)
  end)
  it("rejects bad thread counts", function()
    fails_with("set_num_threads: argument 1 (n) must be non-negative, got -1",
               canns.set_num_threads, -1)
    fails_with("set_num_threads: argument 1 (n) must be an integer, got 'x'", canns.set_num_threads, "x")
  end)
end)

describe("progress bars", function()
  it("are silent without a terminal and usable from Lua loops", function()
    assert.is_false(canns.progress_enabled()) -- ctest sets CANNS_PROGRESS=0
    local bar = canns.Progress("loop", 10)
    for _ = 1, 10 do bar:tick() end
    bar:close()
    bar:close() -- closing twice is harmless
    canns.set_progress(false)
    canns.set_progress(true)
  end)
  it("reject bad arguments", function()
    fails_with("Progress: argument 2 (total) must be an integer, got nil", canns.Progress, "x")
    assert.has_error(function() canns.set_progress("yes") end)
    fails_with("set_progress: argument 1 (on) must be a boolean, got 'yes'", canns.set_progress, "yes")
    fails_with("Progress: argument 1 (label) must be a string, got a table", canns.Progress, {}, 3)
    local bar = canns.Progress("x", 3)
    fails_with("tick: argument 1 (n) must be an integer, got 'a'", bar.tick, bar, "a")
    bar:close()
  end)
end)

describe("build information", function()
  it("names every library", function()
    local info = canns.build_info()
    for _, k in ipairs({"build", "blas", "fftw", "openmp", "netcdf", "cuda"}) do
      assert.is_string(info[k], k)
    end
    assert.truthy(info.fftw:find("fftw"))
    assert.truthy(info.netcdf:find("netCDF"))
    assert.is_string(canns.version)
  end)
end)

describe("mkdir", function()
  it("creates nested folders and is idempotent", function()
    local tmp = testutil.tmpdir()
    local d = tmp .. "/a/b/c"
    assert.equal(d, canns.mkdir(d))
    canns.mkdir(d)
    local f = assert(io.open(d .. "/x.txt", "w")); f:close()
    fails_with("mkdir: cannot create directory", canns.mkdir, d .. "/x.txt/y")
    fails_with("mkdir: argument 1 (path) must be a string, got nil", canns.mkdir)
    testutil.rmtree(tmp)
  end)
end)
