-- The CANN models from Lua: constructors, parameters, state, stimuli,
-- connection matrices, parity with the Python toolkit (fixtures made by
-- scripts/fixtures/make_cann_fixtures.py) and bad input.
local canns = require "canns"
local M = canns.models

local function fx(name) return canns.load(testutil.fixture("models/" .. name .. ".npy")) end

-- ||a - b|| / ||b|| over every element.
local function rel_l2(a, b)
  local x, y = canns.array(a, "float64"), canns.array(b, "float64")
  local d = x - y
  return math.sqrt((d * d):sum() / (y * y):sum())
end

describe("CANN constructors", function()
  before_each(function() canns.set_dt(0.1) end)

  it("have the Python toolkit's defaults", function()
    local c = M.CANN1D{num = 512}
    assert.are.equal(512, c.num)
    assert.are.same({512}, c.shape)
    assert.are.equal(1.0, c.tau)
    assert.are.equal(8.1, c.k)
    assert.are.equal(0.5, c.a)
    assert.are.equal(10, c.A)
    assert.are.equal(4.0, c.J0)
    assert.are.equal(-math.pi, c.z_min)
    assert.are.equal(math.pi, c.z_max)
    assert.are.equal(2 * math.pi, c.z_range)
    assert.are.equal(512 / (2 * math.pi), c.rho)
    assert.are.equal("float32", c.dtype)
    assert.are.equal("CANN1D", c.name)
    local s = M.CANN1D_SFA{num = 64}
    assert.are.equal(50.0, s.tau_v)
    assert.are.equal(0.3, s.a)
    assert.are.equal(0.2, s.A)
    assert.are.equal(1.0, s.J0)
    assert.are.equal(0.3, s.m)
    local c2 = M.CANN2D{length = 16}
    assert.are.same({16, 16}, c2.shape)
    assert.are.equal(16, c2.length)
    local s2 = M.CANN2D_SFA{length = 8, m = 0.1}
    assert.are.equal(0.1, s2.m)
    assert.are.same({"u", "r", "inp", "v", "x"}, s2:state_names())
  end)

  it("accept the size positionally and every keyword argument", function()
    local c = M.CANN1D(33)
    assert.are.equal(33, c.num)
    c = M.CANN1D{100, tau = 2, k = 5, a = 0.4, A = 3, J0 = 2, z_min = 0, z_max = 10}
    assert.are.equal(100, c.num)
    assert.are.equal(10, c.z_range)
    assert.are.equal(2, c.tau)
  end)

  it("start from zero state with x = linspace(z_min, z_max, n)", function()
    local c = M.CANN1D{num = 64}
    assert.are.equal(0, c.u:abs():max())
    assert.are.equal(0, c.r:abs():max())
    assert.are.equal(0, c.inp:abs():max())
    assert.is_true(testutil.maxabs(c.x, fx("const/x64")) <= 4e-7)
    assert.is_nil(c.v)
  end)

  it("choose the recurrent-input method by a size rule (estimate), by measurement (auto) or as asked", function()
    assert.are.equal("dense", M.CANN1D{num = 16, method = "estimate"}.method)
    assert.are.equal("spectral", M.CANN1D{num = 512, method = "estimate"}.method)
    assert.are.equal("fft", M.CANN1D{num = 512, a = 0.02, method = "estimate"}.method) -- wide kernel spectrum
    assert.are.equal("fft", M.CANN1D{num = 512, method = "fft"}.method)
    assert.are.equal("dense", M.CANN1D{num = 512, method = "dense"}.method)
    assert.are.equal("fft", M.CANN2D{length = 100, method = "estimate"}.method)
    assert.are.equal("separable", M.CANN2D{length = 32, method = "estimate"}.method)
    assert.are.equal("dense", M.CANN2D{length = 8, method = "dense"}.method)
    -- auto times the exact candidates: any of them may win, never another
    local valid1 = {dense = true, fft = true, spectral = true}
    local valid2 = {dense = true, fft = true, separable = true}
    for _, n in ipairs({16, 100, 512}) do
      assert.is_true(valid1[M.CANN1D{num = n}.method])
      assert.is_true(valid1[M.CANN1D_SFA{num = n}.method])
    end
    assert.is_true(M.CANN1D{num = 512, a = 0.02}.method ~= "spectral") -- cannot hold that kernel
    assert.is_true(M.CANN1D{num = 512}.method ~= "dense") -- dense is not timed at this size
    for _, L in ipairs({8, 20, 50}) do
      assert.is_true(valid2[M.CANN2D{length = L}.method])
      assert.is_true(valid2[M.CANN2D_SFA{length = L}.method])
    end
    -- the choice is remembered: the same class and size choose the same
    assert.are.equal(M.CANN2D{length = 50}.method, M.CANN2D{length = 50}.method)
  end)

  it("accept canns 1.5's accl_mode, accl_k and accl_target_err_mrad, all mapped onto exact methods", function()
    local c = M.CANN1D{num = 256}
    assert.are.equal("normal", c.accl_mode) -- upstream's default
    assert.are.equal(-1, c.accl_k)          -- no truncation rank: every method is exact
    assert.are.equal(5.0, c.accl_target_err_mrad)
    for _, mode in ipairs({"fast", "ultra-fast", "auto", "normal"}) do
      local m = M.CANN1D{num = 256, accl_mode = mode, accl_k = 4, accl_target_err_mrad = 0.5}
      assert.are.equal(mode, m.accl_mode)
      assert.is_true(m.method == "spectral" or m.method == "fft" or m.method == "dense")
      assert.are.equal(-1, m.accl_k)
      assert.are.equal(0.5, m.accl_target_err_mrad)
    end
    assert.are.equal("fft", M.CANN2D{length = 16, accl_mode = "fft"}.method)
    assert.are.equal("dense", M.CANN2D_SFA{length = 8, accl_mode = "dense"}.method)
    assert.is_false(M.CANN1D{num = 64, accl_mode = "dense"}.is_accelerated)
    assert.is_true(M.CANN1D{num = 64, accl_mode = "fft"}.is_accelerated)
    -- set_accl_mode switches the method and keeps the state
    local s = c:get_stimulus_by_pos(0.3)
    for _ = 1, 5 do c(s) end
    local ref = M.CANN1D{num = 256, method = "dense"}
    for _ = 1, 5 do ref(s) end
    c:set_accl_mode("dense")
    assert.are.equal("dense", c.method)
    assert.are.equal("dense", c.accl_mode)
    assert.is_false(c.is_accelerated)
    c:set_accl_mode{mode = "fft", k = 8, target_err_mrad = 1}
    assert.are.equal("fft", c.method)
    assert.are.equal(1, c.accl_target_err_mrad)
    c:set_accl_mode() -- nil keeps the mode
    assert.are.equal("fft", c.accl_mode)
    c:set_accl_mode("fast", 8)
    assert.are.equal("fast", c.accl_mode)
    for _ = 1, 5 do c(s); ref(s) end
    assert.is_true(rel_l2(c.u, ref.u) < 1e-6)
    -- bad names and values
    testutil.fails_with("CANN1D: argument 'accl_mode' must be 'normal', 'fast', 'ultra-fast', 'auto', 'fft' or 'dense', got 'turbo'",
                        M.CANN1D, {num = 8, accl_mode = "turbo"})
    testutil.fails_with("CANN1D: argument 'accl_mode' must be a string, got a number", M.CANN1D, {num = 8, accl_mode = 1})
    testutil.fails_with("CANN1D: give 'method' or 'accl_mode', not both", M.CANN1D, {num = 8, accl_mode = "fast", method = "fft"})
    testutil.fails_with("CANN1D: argument 'accl_k' must be a positive integer, got 0", M.CANN1D, {num = 8, accl_k = 0})
    testutil.fails_with("CANN1D: argument 'accl_k' must be an integer, got 1.5", M.CANN1D, {num = 8, accl_k = 1.5})
    testutil.fails_with("CANN2D: argument 'accl_target_err_mrad' must be a finite number, got nan",
                        M.CANN2D, {length = 8, accl_target_err_mrad = 0 / 0})
    testutil.fails_with("set_accl_mode: argument 1 (mode) must be 'normal', 'fast', 'ultra-fast', 'auto', 'fft' or 'dense', got 'x'",
                        c.set_accl_mode, c, "x")
    testutil.fails_with("set_accl_mode: argument 1 (mode) must be a string, got 3", c.set_accl_mode, c, 3)
    testutil.fails_with("set_accl_mode: argument 2 (k) must be >= 1, got -2", c.set_accl_mode, c, "fast", -2)
    testutil.fails_with("set_accl_mode: argument 3 (target_err_mrad) must be a finite number, got inf",
                        c.set_accl_mode, c, "auto", nil, math.huge)
    testutil.fails_with("set_accl_mode: unknown option 'rank'", c.set_accl_mode, c, {rank = 3})
    assert.are.equal("fast", c.accl_mode) -- failures change nothing
  end)

  it("build float64 models on request", function()
    local c = M.CANN1D{num = 64, dtype = "float64"}
    assert.are.equal("float64", c.dtype)
    assert.are.equal("float64", c.u:dtype())
    c(c:get_stimulus_by_pos(0))
    assert.are.equal("float64", c.r:dtype())
  end)
end)

describe("CANN constants", function()
  it("match the Python toolkit: conn_mat, make_conn, stimuli", function()
    local c = M.CANN1D{num = 64}
    local ref = fx("const/conn64")
    assert.is_true(testutil.maxabs(c.conn_mat, ref) < 4e-6)
    assert.is_true(testutil.maxabs(c:make_conn(), ref) < 4e-6)
    assert.is_true(testutil.maxabs(c:get_stimulus_by_pos(1.0), fx("const/stim64_p1")) < 1e-5)
    assert.is_true(testutil.maxabs(c:get_stimulus_by_pos(-3), fx("const/stim64_pm3")) < 1e-5)
    local c2 = M.CANN2D{length = 8}
    assert.are.same({64, 64}, c2.conn_mat:shape())
    assert.is_true(testutil.maxabs(c2.conn_mat, fx("const/conn2d8")) < 4e-6)
    assert.is_true(testutil.maxabs(c2:get_stimulus_by_pos({1.0, -0.5}), fx("const/stim2d8")) < 1e-5)
    assert.is_true(testutil.maxabs(c2:get_stimulus_by_pos(canns.array({1.0, -0.5})),
                                   fx("const/stim2d8")) < 1e-5)
  end)

  it("give upstream's get_stimulus_by_pos values at 0", function()
    local c = M.CANN1D{num = 512}
    local s = c:get_stimulus_by_pos(0)
    assert.is_true(math.abs(s[256] - 9.999622) < 1e-5)   -- neurons 255, 256 (0-based)
    assert.is_true(math.abs(s[257] - 9.999622) < 1e-5)
    assert.is_true(math.abs(s[1] - 5.1723e-4) < 1e-8)
    local c2 = M.CANN2D{length = 100}
    local s2 = c2:get_stimulus_by_pos({1, 0})
    local best, bi = -1, nil
    for j = 1, 100 do
      local v = s2[{50, j}]
      if v > best then best, bi = v, j end
    end
    assert.are.equal(66, bi) -- column 65 (0-based): x carries the first coordinate
  end)

  it("wrap distances with dist()", function()
    local c = M.CANN1D{num = 16}
    assert.is_true(math.abs(c:dist(3.5) - (3.5 - 2 * math.pi)) < 1e-6)
    assert.is_true(math.abs(c:dist(-3.5) - (2 * math.pi - 3.5)) < 1e-6)
    local d = c:dist(canns.array({0, 7}))
    assert.is_true(math.abs(d[2] - (7 - 2 * math.pi)) < 1e-6)
  end)
end)

describe("CANN dynamics", function()
  before_each(function() canns.set_dt(0.1) end)

  it("reproduce the tutorial values (upstream's CANN1D tutorial)", function()
    local c = M.CANN1D{num = 256}
    local s = c:get_stimulus_by_pos(0)
    c(s); c:update(s)
    assert.is_true(math.abs(c.r:max() - 0.0024) < 5e-5)
    assert.is_true(math.abs(c.u:max() - 1.9275) < 5e-5)
    c = M.CANN1D{num = 256}
    s = c:get_stimulus_by_pos(0.5)
    for _ = 1, 100 do c:step(s) end
    assert.is_true(math.abs(c.r:max() - 0.002427) < 5e-7)
    assert.is_true(math.abs(c.u:max() - 10.278063) < 1e-4)
  end)

  it("read dt at every step", function()
    local a, b = M.CANN1D{num = 64}, M.CANN1D{num = 64}
    local s = a:get_stimulus_by_pos(0)
    canns.set_dt(0.05)
    a(s); a(s)
    canns.set_dt(0.1)
    b(s)
    assert.is_true(a.u:max() < b.u:max()) -- two half steps stay below one full step
    assert.are.equal(0.1, canns.get_dt())
  end)

  it("reset to zero and accept assigned state", function()
    local c = M.CANN1D_SFA{num = 64}
    c(c:get_stimulus_by_pos(0))
    assert.is_true(c.u:max() > 0 and c.v:max() > 0)
    c:reset()
    assert.are.equal(0, c.u:abs():max() + c.v:abs():max() + c.inp:abs():max())
    c.u = canns.ones(64)
    assert.are.equal(1, c.u:min())
    c.u = 0.5
    assert.are.equal(0.5, c.u:max())
    local snap = c.u   -- reading gives a copy
    c(canns.zeros(64))
    assert.are.equal(0.5, snap:max())
  end)

  it("match the Python toolkit over 2000 steps (N = 512, spectral and FFT paths)", function()
    for _, method in ipairs({"spectral", "fft"}) do
    local c = M.CANN1D{num = 512, method = method}
    local t = canns.task.SmoothTracking1D{cann_instance = c, Iext = {0, 1, 3, -2},
                                          duration = {100, 50, 50}, time_step = 0.1}
    t:get_data()
    local out = canns.run(c, t.data, {record = {"u", "r", "inp"}, record_every = 100})
    assert.is_true(rel_l2(out.u, fx("cann1d_n512/u")) < 1e-4)
    assert.is_true(rel_l2(out.r, fx("cann1d_n512/r")) < 1e-4)
    assert.is_true(rel_l2(out.inp, fx("cann1d_n512/inp")) < 1e-5)
    end
  end)

  it("match the Python toolkit over 10 000 steps (CANN2D_SFA, L = 16)", function()
    local c = M.CANN2D_SFA{length = 16}
    local t = canns.task.SmoothTracking2D{cann_instance = c,
      Iext = {{0, 0}, {1, -1}, {-2, 0.5}, {2.5, 2.5}, {0, 0}}, duration = {250, 250, 250, 250}}
    t:get_data()
    local out = canns.run(c, t, {record = {"u", "v"}, record_every = 100})
    assert.are.same({100, 16, 16}, out.u:shape())
    assert.is_true(rel_l2(out.u, fx("cann2d_sfa_l16/u")) < 1e-4)
    assert.is_true(rel_l2(out.v, fx("cann2d_sfa_l16/v")) < 1e-4)
  end)

  it("give the same numbers on every method (round-off)", function()
    local function run(method)
      local c = M.CANN2D{length = 20, method = method}
      local s = c:get_stimulus_by_pos({0.5, -1})
      return canns.run(c, canns.concatenate({s:reshape({1, 20, 20}), s:reshape({1, 20, 20})}, 1),
                       {record = {"u"}}).u
    end
    local d = run("dense")
    for _, method in ipairs({"separable", "fft", "auto", "estimate"}) do
      assert.is_true(rel_l2(run(method), d) < 1e-6)
    end
    local function run1(method, dtype)
      local c = M.CANN1D_SFA{num = 300, method = method, dtype = dtype}
      local s = c:get_stimulus_by_pos(-0.7)
      return canns.run(c, canns.concatenate({s:reshape({1, 300}), s:reshape({1, 300})}, 1),
                       {record = {"u"}}).u
    end
    for _, dtype in ipairs({"float32", "float64"}) do
      local d1 = run1("dense", dtype)
      for _, method in ipairs({"spectral", "fft", "auto", "estimate"}) do
        assert.is_true(rel_l2(run1(method, dtype), d1) < (dtype == "float32" and 1e-6 or 1e-12))
      end
    end
  end)
end)

describe("CANN bad input", function()
  it("names the argument for wrong types, sizes and NaN", function()
    testutil.fails_with("CANN1D: argument 'num' is required", M.CANN1D, {})
    testutil.fails_with("CANN1D: argument 'num' must be a positive integer, got 0", M.CANN1D, {num = 0})
    testutil.fails_with("argument 'num' must be a positive integer, got -3", M.CANN1D, {num = -3})
    testutil.fails_with("CANN1D: argument 'num' must be an integer, got 2.5", M.CANN1D, {num = 2.5})
    testutil.fails_with("CANN1D: argument 'num' must be an integer, got a string", M.CANN1D, {num = "a"})
    testutil.fails_with("CANN2D: argument 'length' must be a positive integer, got 0", M.CANN2D, {length = 0})
    testutil.fails_with("CANN2D: argument 'length' is required", M.CANN2D, {k = 5})
    testutil.fails_with("CANN2D: unknown argument 'num'", M.CANN2D, {num = 5})
    testutil.fails_with("CANN1D: argument 'tau' must be a finite number, got nan", M.CANN1D, {num = 8, tau = 0 / 0})
    testutil.fails_with("CANN1D: argument 'a' must be a finite number, got nan", M.CANN1D, {num = 8, a = 0 / 0})
    testutil.fails_with("CANN1D_SFA: argument 'm' must be a finite number, got inf", M.CANN1D_SFA, {num = 8, m = math.huge})
    testutil.fails_with("CANN1D: argument 'tau' must be > 0, got 0", M.CANN1D, {num = 8, tau = 0})
    testutil.fails_with("CANN1D: argument 'z_max' (0) must be greater than z_min (1)", M.CANN1D, {num = 8, z_min = 1, z_max = 0})
    testutil.fails_with("CANN1D: unknown argument 'tauv'", M.CANN1D, {num = 8, tauv = 3})
    testutil.fails_with("CANN1D: unknown argument 'm'", M.CANN1D, {num = 8, m = 3})
    testutil.fails_with("CANN1D: argument 'dtype' must be 'float32' or 'float64', got 'int32'", M.CANN1D, {num = 8, dtype = "int32"})
    testutil.fails_with("CANN1D: argument 'method' must be", M.CANN1D, {num = 8, method = "fast"})
    testutil.fails_with("CANN1D: argument 'method' 'separable' exists only for 2-D models", M.CANN1D, {num = 8, method = "separable"})
    testutil.fails_with("CANN2D: argument 'method' 'spectral' exists only for 1-D models", M.CANN2D, {length = 8, method = "spectral"})
    testutil.fails_with("CANN1D: argument 'k' must be a number, boolean or string, got a table", M.CANN1D, {num = 8, k = {}})
    testutil.fails_with("CANN1D: argument 1 (options) must be a table", M.CANN1D, "x")
    testutil.fails_with("CANN2D: argument 'length' is too large", M.CANN2D, {length = 100000})
    -- the size both positionally and by name: one of them won, depending on
    -- the table's iteration order (Python: "got multiple values")
    testutil.fails_with("CANN1D: argument 'num' is given twice (positionally and by name)",
                        M.CANN1D, {512, num = 100})
    testutil.fails_with("CANN2D: argument 'length' is given twice", M.CANN2D, {8, length = 8})
  end)

  it("refuses inputs and positions of the wrong shape", function()
    local c = M.CANN1D{num = 16}
    testutil.fails_with("CANN1D.update: input must have shape {16}, got {15}", c.update, c, canns.zeros(15))
    testutil.fails_with("CANN1D: argument 1 (inp) is required", c.update, c)
    testutil.fails_with("argument 1 (inp)", c.update, c, "abc")
    testutil.fails_with("CANN1D.get_stimulus_by_pos: position must have 1 coordinate, got 2",
                        c.get_stimulus_by_pos, c, {1, 2})
    testutil.fails_with("position must be finite, got nan", c.get_stimulus_by_pos, c, 0 / 0)
    local c2 = M.CANN2D{length = 4}
    testutil.fails_with("CANN2D.get_stimulus_by_pos: position must have 2 coordinates, got 1",
                        c2.get_stimulus_by_pos, c2, 1)
    testutil.fails_with("must be a number, a table of numbers or an array", c2.get_stimulus_by_pos, c2, "a")
    testutil.fails_with("CANN2D: cannot set 'tau'", function() c2.tau = 3 end)
    testutil.fails_with("CANN2D: 'u' must have 16 values", function() c2.u = canns.zeros(3) end)
    testutil.fails_with("set_dt: argument 1 (dt) must be a finite number > 0, got 0", canns.set_dt, 0)
    testutil.fails_with("set_dt: argument 1 (dt) must be a finite number > 0", canns.set_dt, 0 / 0)
    testutil.fails_with("set_dt: argument 1 (dt) must be a number", canns.set_dt, "x")
  end)
end)

describe("bump analysis", function()
  local A = canns.analyzer
  before_each(function() canns.set_dt(0.1) end)

  it("decodes the centre of a stimulus on the ring and the torus", function()
    local c = M.CANN1D{num = 512}
    -- The duplicated end neuron (x = -pi and x = pi) counts twice in the
    -- population vector, as upstream: a small bias that vanishes when the
    -- bump is centred at 0 (the tails at +-pi are then symmetric).
    assert.is_true(math.abs(A.bump_center(c, c:get_stimulus_by_pos(0))) < 1e-6)
    for _, p in ipairs({1.0, -1.5, -2.5, 3.0}) do
      assert.is_true(math.abs(A.bump_center(c, c:get_stimulus_by_pos(p)) - p) < 5e-3)
    end
    local c10 = M.CANN1D{num = 200, z_min = 0, z_max = 10}
    assert.is_true(math.abs(A.bump_center(c10, c10:get_stimulus_by_pos(7.0)) - 7.0) < 5e-3)
    local c2 = M.CANN2D{length = 40}
    local xy = A.bump_center(c2, c2:get_stimulus_by_pos({1.0, -0.5}))
    assert.is_true(math.abs(xy[1] - 1.0) < 5e-3 and math.abs(xy[2] + 0.5) < 5e-3)
    local series = canns.concatenate({c2:get_stimulus_by_pos({0, 0}):reshape({1, 40, 40}),
                                      c2:get_stimulus_by_pos({1, 0.5}):reshape({1, 40, 40})}, 1)
    local cs = A.bump_center(c2, series)
    assert.are.same({2, 2}, cs:shape())
    assert.is_true(math.abs(cs[{1, 1}]) < 1e-6 and math.abs(cs[{1, 2}]) < 1e-6)
    assert.is_true(math.abs(cs[{2, 1}] - 1) < 5e-3 and math.abs(cs[{2, 2}] - 0.5) < 5e-3)
  end)

  it("measures the height and width of the stationary bump (theory of the stationary bump)", function()
    local c = M.CANN1D{num = 512}
    canns.run(c, canns.task.PopulationCoding1D{cann_instance = c, before_duration = 0,
      after_duration = 500, Iext = 0, duration = 10}:get_data():astype("float32"), {record = {}})
    assert.is_true(math.abs(A.bump_height(c, c.r) - 0.0011919) < 2e-7)
    assert.is_true(math.abs(A.bump_width(c, c.r) - 0.5) < 2e-3)        -- std of r = a
    assert.is_true(math.abs(A.bump_width(c, c.u) - 0.5 * math.sqrt(2)) < 3e-3) -- std of u = sqrt(2) a
    assert.is_true(math.abs(A.bump_center(c, c.r)) < 1e-5)
  end)

  it("measures the tracking lag of a moving stimulus (upstream's tracking-lag example)", function()
    local c = M.CANN1D{num = 512}
    local v = 0.02
    local t = canns.task.CustomTracking1D{cann_instance = c, duration = 600, positions =
      function(time, k)
        if k <= 2000 then return 0 end
        local p = v * 0.1 * (k - 2000)
        return (p + math.pi) % (2 * math.pi) - math.pi
      end}
    t:get_data()
    local out = canns.run(c, t, {record = {"r"}})
    local lag = A.tracking_lag(c, out.r, t.Iext_sequence)
    assert.is_true(math.abs(lag:slice(1, {5001, 6000}):mean() - (-0.02054)) < 4e-4)
  end)

  it("names the argument on bad input", function()
    local c = M.CANN1D{num = 16}
    testutil.fails_with("bump_center: argument 2 (activity) must have shape {16} or {T, 16}, got {15}",
                        A.bump_center, c, canns.zeros(15))
    testutil.fails_with("bump_center: argument 2 (activity) must be an array", A.bump_center, c, 3)
    testutil.fails_with("bump_center: argument 1 (cann) must be a model", A.bump_center, {}, canns.zeros(16))
    testutil.fails_with("tracking_lag: argument 3 (stimulus) must hold 4 positions",
                        A.tracking_lag, c, canns.zeros({4, 16}), canns.zeros(5))
  end)
end)

describe("a model used after its finalizer ran", function()
  -- A finalizer that runs after the model's own (objects of one cycle are
  -- finalized in reverse order of creation) still reaches the model; it
  -- read through a NULL pointer (UBSan: member access within null pointer).
  it("is an error, not a crash", function()
    local results = {}
    do
      local holder = setmetatable({}, {__gc = function(h)
        local m = h.model
        results.index = {pcall(function() return m.u end)}
        results.newindex = {pcall(function() m.u = 1 end)}
        results.tostring = {pcall(tostring, m)}
        results.update = {pcall(function() m:update(0) end)}
      end})
      holder.model = M.CANN1D{num = 8}
    end
    collectgarbage()
    collectgarbage()
    for _, k in ipairs({"index", "newindex", "tostring", "update"}) do
      assert.is_false(results[k][1], k)
      assert.is_truthy(tostring(results[k][2]):find("has been freed", 1, true), results[k][2])
    end
  end)
end)
