-- Tracking tasks from Lua: step counts and position sequences
-- (upstream `canns.task.tracking` values, bit-exact against the Python toolkit), the
-- data of every task class, custom positions, save/load and bad input.
local canns = require "canns"
local T = canns.task

local function fx(name) return canns.load(testutil.fixture("models/" .. name .. ".npy")) end

local function seq(task)
  local out = {}
  for k = 1, task.total_steps do out[k] = task.Iext_sequence[{k, 1}] end
  return out
end

describe("SmoothTracking", function()
  local cann = canns.models.CANN1D{num = 512}

  it("has the step counts and bit-exact positions of §7.1", function()
    local t = T.SmoothTracking1D{cann_instance = cann, Iext = {1, 0.75, 2, 1.75, 3},
                                 duration = {10, 10, 10, 10}, time_step = 0.1}
    assert.are.equal(400, t.total_steps)
    assert.is_nil(t.data)
    t:get_data()
    assert.are.same({400, 512}, t.data:shape())
    assert.are.same({400, 1}, t.Iext_sequence:shape())
    assert.are.equal("float64", t.Iext_sequence:dtype())
    local s = seq(t)
    assert.are.equal(1.0, s[1])
    assert.are.equal(0.8737373737373737, s[51])
    assert.are.equal(0.75, s[100])
    assert.are.equal(0.75, s[101])
    assert.are.equal(1.3813131313131313, s[151])
    assert.are.equal(2.0, s[200])
    assert.are.equal(1.75, s[301])
    assert.are.equal(3.0, s[400])
    assert.are.same({400}, t.run_steps:shape())
    assert.are.equal("float32", t.run_steps:dtype())
    assert.is_true(math.abs(t.run_steps[400] - 39.9) < 1e-5)
  end)

  it("follows the rounding rules of §7.2", function()
    local function s(Iext, duration, dt)
      local t = T.SmoothTracking1D{cann_instance = cann, Iext = Iext, duration = duration, time_step = dt}
      t:get_data()
      return seq(t)
    end
    assert.are.same({0, 1, 2, 2}, s({0, 1, 2}, {0.1, 0.2}, 0.1))
    assert.are.same({0, 1, 1}, s({0, 1}, {0.3}, 0.1))
    assert.are.same({0, 0.5, 1, 1}, s({0, 1}, {1.0}, 0.3))
  end)

  it("matches the Python toolkit's sequences and data", function()
    local c64 = canns.models.CANN1D{num = 64}
    local t = T.SmoothTracking1D{cann_instance = c64, Iext = {1, 0.75, 2, 1.75, 3},
                                 duration = {10, 10.3, 10, 9.95}}
    t:get_data()
    assert.are.equal(0, testutil.maxabs(t.Iext_sequence:reshape({-1}), fx("tasks/st1d_iext")))
    assert.is_true(testutil.maxabs(t.data[251], fx("tasks/st1d_row250")) < 1e-5)
    local c16 = canns.models.CANN2D{length = 16}
    local t2 = T.SmoothTracking2D{cann_instance = c16,
      Iext = {{0, 0}, {1, 1}, {0.75, 0.75}, {2, 2}, {1.75, 1.75}, {3, 3}},
      duration = {10, 10, 10, 10, 10}, time_step = 0.1}
    t2:get_data()
    assert.are.same({500, 16, 16}, t2.data:shape())
    assert.are.equal(0, testutil.maxabs(t2.Iext_sequence, fx("tasks/st2d_iext")))
    assert.is_true(testutil.maxabs(t2.data[138], fx("tasks/st2d_row137")) < 1e-5)
  end)

  it("works with a model written in Lua", function()
    local lm = {shape = {4}, get_stimulus_by_pos = function(self, p) return canns.full(4, p) end}
    local t = T.SmoothTracking1D{cann_instance = lm, Iext = {0, 1}, duration = {0.5}}
    t:get_data()
    assert.are.same({5, 4}, t.data:shape())
    assert.are.equal(0.25, t.data[{2, 3}])
  end)
end)

describe("PopulationCoding and TemplateMatching", function()
  local cann = canns.models.CANN1D{num = 64}

  it("present the stimulus only between before and after (§7.4)", function()
    local t = T.PopulationCoding1D{cann_instance = cann, before_duration = 10, after_duration = 10,
                                   Iext = 0, duration = 20, time_step = 0.1}
    t:get_data()
    assert.are.same({400, 64}, t.data:shape())
    local stim = cann:get_stimulus_by_pos(0)
    assert.are.equal(0, t.data[100]:abs():max())
    assert.are.equal(0, testutil.maxabs(t.data[101], stim))
    assert.are.equal(0, testutil.maxabs(t.data[300], stim))
    assert.are.equal(0, t.data[301]:abs():max())
    local t2 = T.PopulationCoding1D{cann_instance = cann, before_duration = 1.05, after_duration = 2.0,
                                    Iext = 0.5, duration = 2.3, time_step = 0.1}
    t2:get_data()
    assert.is_true(testutil.maxabs(t2.data, fx("tasks/pc1d")) < 1e-5)
    local c8 = canns.models.CANN2D{length = 8}
    local t3 = T.PopulationCoding2D{cann_instance = c8, before_duration = 0.5, after_duration = 0.7,
                                    Iext = {0.5, -1.0}, duration = 1.0, time_step = 0.1}
    t3:get_data()
    assert.is_true(testutil.maxabs(t3.data, fx("tasks/pc2d")) < 1e-5)
  end)

  it("adds noise of s.d. noise_level * A (§7.5)", function()
    local c = canns.models.CANN1D{num = 512}
    local t = T.TemplateMatching1D{cann_instance = c, Iext = -1.0, duration = 1.0, noise_level = 0}
    t:get_data()
    assert.are.equal(10, t.total_steps)
    assert.are.equal(0, testutil.maxabs(t.data[7], c:get_stimulus_by_pos(-1)))
    local t64 = T.TemplateMatching1D{cann_instance = canns.models.CANN1D{num = 64}, Iext = -1.0,
                                     duration = 1.0, noise_level = 0}
    t64:get_data()
    assert.is_true(testutil.maxabs(t64.data, fx("tasks/tm1d_rows")) < 1e-5)
    canns.random.seed(3)
    local n = T.TemplateMatching1D{cann_instance = c, Iext = 0, duration = 20, time_step = 0.1}
    assert.are.equal(0.1, n.noise_level)
    n:get_data()
    local resid = (n.data - c:get_stimulus_by_pos(0):reshape({1, 512})):astype("float64")
    assert.is_true(math.abs(resid:mean()) < 0.01)
    assert.is_true(math.abs(resid:std() - 1.0) < 0.02)
    local t2 = T.TemplateMatching2D{cann_instance = canns.models.CANN2D{length = 8},
                                    Iext = {0, 0}, duration = 0.5, noise_level = 0}
    t2:get_data()
    assert.are.same({5, 8, 8}, t2.data:shape())
  end)
end)

describe("CustomTracking", function()
  local cann = canns.models.CANN1D{num = 32}

  it("takes positions from a function", function()
    local t = T.CustomTracking1D{cann_instance = cann, duration = {1.0},
                                 positions = function(time, k) return time * 2 end}
    t:get_data()
    assert.are.equal(10, t.total_steps)
    assert.is_true(math.abs(t.Iext_sequence[{4, 1}] - 0.6) < 1e-12)
    assert.are.equal(0, testutil.maxabs(t.data[4], cann:get_stimulus_by_pos(0.6)))
  end)

  it("takes positions from an array or a table, 1-D and 2-D", function()
    local t = T.CustomTracking1D{cann_instance = cann, positions = canns.array({0, 0.5, 1})}
    t:get_data()
    assert.are.equal(3, t.total_steps)
    assert.are.equal(0, testutil.maxabs(t.data[3], cann:get_stimulus_by_pos(1)))
    local c2 = canns.models.CANN2D{length = 8}
    local t2 = T.CustomTracking2D{cann_instance = c2, positions = {{0, 0}, {1, -1}}}
    t2:get_data()
    assert.are.same({2, 8, 8}, t2.data:shape())
    assert.are.equal(0, testutil.maxabs(t2.data[2], c2:get_stimulus_by_pos({1, -1})))
  end)

  it("can be subclassed by overriding make_Iext_sequence", function()
    local t = T.CustomTracking1D{cann_instance = cann, duration = 0.3}
    t.make_Iext_sequence = function(self)
      return canns.full({self.total_steps, 1}, 0.25, "float64")
    end
    t:get_data()
    assert.are.equal(0, testutil.maxabs(t.data[3], cann:get_stimulus_by_pos(0.25)))
  end)
end)

describe("task data files", function()
  it("save and load the data as npz member 'data'", function()
    local dir = testutil.tmpdir()
    local cann = canns.models.CANN1D{num = 16}
    local t = T.SmoothTracking1D{cann_instance = cann, Iext = {0, 1}, duration = {1}}
    testutil.fails_with("save_data: no data", t.save_data, t, dir .. "/x.npz")
    t:get_data()
    t:save_data(dir .. "/task.npz")
    local t2 = T.SmoothTracking1D{cann_instance = cann, Iext = {0, 1}, duration = {1}}
    t2:load_data(dir .. "/task.npz")
    assert.are.equal(0, testutil.maxabs(t.data, t2.data))
    testutil.rmtree(dir)
  end)
end)

describe("task bad input", function()
  local cann = canns.models.CANN1D{num = 16}
  local c2 = canns.models.CANN2D{length = 4}

  it("names the argument", function()
    testutil.fails_with("SmoothTracking1D: argument 'Iext' must have one more key point than 'duration' has segments (got 2 key points and 2 durations)",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 1}, duration = {1, 2}})
    testutil.fails_with("SmoothTracking1D: argument 'cann_instance' is required",
      T.SmoothTracking1D, {Iext = {0, 1}, duration = {1}})
    testutil.fails_with("SmoothTracking1D: argument 'cann_instance' must be a model",
      T.SmoothTracking1D, {cann_instance = 5, Iext = {0, 1}, duration = {1}})
    testutil.fails_with("SmoothTracking1D: argument 'Iext' must be a table of key points, got 3",
      T.SmoothTracking1D, {cann_instance = cann, Iext = 3, duration = {1}})
    testutil.fails_with("SmoothTracking1D: argument 'duration' must be a table",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 1}, duration = 1})
    testutil.fails_with("SmoothTracking1D: argument 'Iext[2]' must not be NaN, got nan",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 0 / 0}, duration = {1}})
    testutil.fails_with("SmoothTracking1D: argument 'duration' must hold finite numbers >= 0, got -1",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 1}, duration = {-1}})
    testutil.fails_with("SmoothTracking1D: argument 'duration' entry 1 must not be NaN",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 1}, duration = {0 / 0}})
    testutil.fails_with("SmoothTracking1D: argument 'time_step' must be a finite number > 0, got 0",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 1}, duration = {1}, time_step = 0})
    testutil.fails_with("SmoothTracking1D: unknown option 'durations' (expected one of: cann_instance, Iext, duration, time_step)",
      T.SmoothTracking1D, {cann_instance = cann, Iext = {0, 1}, durations = {1}})
    testutil.fails_with("SmoothTracking2D: argument 'Iext[2]' must be a point of 2 numbers {x, y}, got 1",
      T.SmoothTracking2D, {cann_instance = c2, Iext = {{0, 0}, 1}, duration = {1}})
    testutil.fails_with("PopulationCoding2D: argument 'Iext' must be a point of 2 numbers",
      T.PopulationCoding2D, {cann_instance = c2, before_duration = 1, after_duration = 1, Iext = 0, duration = 1})
    testutil.fails_with("PopulationCoding1D: argument 'before_duration' is required (a number)",
      T.PopulationCoding1D, {cann_instance = cann, after_duration = 1, Iext = 0, duration = 1})
    testutil.fails_with("PopulationCoding1D: the stimulus would start at step 50",
      function() T.PopulationCoding1D{cann_instance = cann, before_duration = 5, after_duration = 0,
                                      Iext = 0, duration = 0}:get_data() end)
    testutil.fails_with("TemplateMatching1D: argument 'noise_level' must be a finite, non-negative number, got 'abc'",
      T.TemplateMatching1D, {cann_instance = cann, Iext = 0, duration = 1, noise_level = "abc"})
    for _, bad in ipairs({-0.01, math.huge, 0 / 0}) do
      testutil.fails_with("TemplateMatching1D: argument 'noise_level' must be a finite, non-negative number",
        T.TemplateMatching1D, {cann_instance = cann, Iext = 0, duration = 1, noise_level = bad})
    end
    testutil.fails_with("CustomTracking1D: argument 'positions' must have 10 rows",
      function() T.CustomTracking1D{cann_instance = cann, duration = 1, positions = canns.zeros(3)}:get_data() end)
    testutil.fails_with("CustomTracking1D: argument 'positions(t)' must be a number, got a table",
      function() T.CustomTracking1D{cann_instance = cann, duration = 1, positions = function() return {} end}:get_data() end)
    testutil.fails_with("CustomTracking1D: argument 'duration' is required",
      T.CustomTracking1D, {cann_instance = cann, positions = function() return 0 end})
    -- time_step is checked before it sizes the positions given without a
    -- duration (a string failed inside the arithmetic)
    testutil.fails_with("CustomTracking1D: argument 'time_step' must be a finite number > 0, got 'x'",
      T.CustomTracking1D, {cann_instance = cann, positions = {1, 2}, time_step = "x"})
    testutil.fails_with("CustomTracking1D: argument 'time_step' must be a finite number > 0, got -1",
      T.CustomTracking1D, {cann_instance = cann, positions = canns.zeros(3), time_step = -1})
    -- a NaN position reads "nan" (not "-nan")
    testutil.fails_with("CustomTracking1D: CANN1D: position 2 is not finite (nan)",
      function() T.CustomTracking1D{cann_instance = cann, positions = canns.array({0, 0 / 0})}:get_data() end)
  end)
end)

describe("key points as arrays (canns 1.5 accepts numpy arrays)", function()
  local canns = require "canns"
  local T = canns.task
  local function same_task(make_a, make_b)
    local a, b = make_a(), make_b()
    a:get_data(); b:get_data()
    assert.are.equal(0, testutil.maxabs(a.Iext_sequence, b.Iext_sequence))
    assert.is_true(canns.array_equal(a.data, b.data))
  end
  it("SmoothTracking1D/2D: an array of key points, arrays as points, an array of durations", function()
    local c1, c2 = canns.models.CANN1D{num = 32}, canns.models.CANN2D{length = 8}
    same_task(function() return T.SmoothTracking1D{cann_instance = c1, Iext = {0, 1, -0.5}, duration = {1, 2}} end,
              function() return T.SmoothTracking1D{cann_instance = c1, Iext = canns.array({0, 1, -0.5}, "float64"),
                                                   duration = canns.array({1, 2})} end)
    same_task(function() return T.SmoothTracking1D{cann_instance = c1, Iext = {0, 1}, duration = {1}} end,
              function() return T.SmoothTracking1D{cann_instance = c1, Iext = canns.array({{0}, {1}}, "float64"),
                                                   duration = {1}} end)
    local keys = {{0, 0}, {1, -1}, {0.5, 2}}
    local function t2(I) return function() return T.SmoothTracking2D{cann_instance = c2, Iext = I, duration = {1, 1.5}} end end
    same_task(t2(keys), t2(canns.array(keys, "float64")))
    same_task(t2(keys), t2({canns.array({0, 0}), canns.array({1, -1}, "float64"), canns.array({0.5, 2}, "float64")}))
  end)
  it("PopulationCoding2D, TemplateMatching2D and CustomTracking2D take a point as an array", function()
    local c2 = canns.models.CANN2D{length = 8}
    same_task(function() return T.PopulationCoding2D{cann_instance = c2, before_duration = 0.2, after_duration = 0.2,
                                                     Iext = {0.5, -1}, duration = 0.5} end,
              function() return T.PopulationCoding2D{cann_instance = c2, before_duration = 0.2, after_duration = 0.2,
                                                     Iext = canns.array({0.5, -1}, "float64"), duration = 0.5} end)
    same_task(function() return T.TemplateMatching2D{cann_instance = c2, Iext = {0.5, -1}, duration = 0.5,
                                                     noise_level = 0} end,
              function() return T.TemplateMatching2D{cann_instance = c2, Iext = canns.array({0.5, -1}, "float64"),
                                                     duration = 0.5, noise_level = 0} end)
    same_task(function() return T.CustomTracking2D{cann_instance = c2, duration = 0.5,
                                                   positions = function(t) return {t, -t} end} end,
              function() return T.CustomTracking2D{cann_instance = c2, duration = 0.5,
                                                   positions = function(t) return canns.array({t, -t}, "float64") end} end)
  end)
  it("refuses arrays of the wrong shape", function()
    local c1, c2 = canns.models.CANN1D{num = 32}, canns.models.CANN2D{length = 8}
    testutil.fails_with("SmoothTracking2D: argument 'Iext' must be an array of key points of shape {K, 2}, got a float32 array of shape {3,3}",
      T.SmoothTracking2D, {cann_instance = c2, Iext = canns.zeros({3, 3}), duration = {1, 1}})
    testutil.fails_with("SmoothTracking2D: argument 'Iext[1]' must be a point of 2 numbers {x, y}, got a float32 array of shape {3}",
      T.SmoothTracking2D, {cann_instance = c2, Iext = {canns.zeros(3), canns.zeros(2)}, duration = {1}})
    testutil.fails_with("PopulationCoding2D: argument 'Iext' must be a point of 2 numbers {x, y}, got a float32 array of shape {2,1}",
      T.PopulationCoding2D, {cann_instance = c2, before_duration = 0, after_duration = 0, duration = 1,
                             Iext = canns.zeros({2, 1})})
    testutil.fails_with("SmoothTracking1D: argument 'Iext[2]' must not be NaN",
      T.SmoothTracking1D, {cann_instance = c1, Iext = canns.array({0, 0 / 0}), duration = {1}})
    testutil.fails_with("SmoothTracking1D: argument 'duration' must be a table of segment durations, got a float32 array of shape {1,1}",
      T.SmoothTracking1D, {cann_instance = c1, Iext = {0, 1}, duration = canns.ones({1, 1})})
  end)
end)
