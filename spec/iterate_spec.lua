-- Arrays iterate like Lua lists: ipairs(a) and pairs(a) walk axis 1 (a
-- read one past the end gives nil, which ends ipairs), and every exported
-- function that takes "a table or an array" gives the same result for
-- both.
local canns = require "canns"
local fails_with = testutil.fails_with

describe("array iteration", function()
  it("ipairs and pairs walk a 1-D array like a list", function()
    for _, dt in ipairs({"float32", "float64", "int32", "int64"}) do
      local t = dt:match("^int") and {3, -1, 2, 7} or {3.5, -1, 2, 0.25}
      local a = canns.array(t, dt)
      local got, keys = {}, {}
      for i, v in ipairs(a) do got[i] = v end
      assert.same(t, got)
      for k, v in pairs(a) do keys[#keys + 1] = k; assert.equal(t[k], v) end
      assert.same({1, 2, 3, 4}, keys)
    end
    local b = canns.array({true, false, true}, "bool")
    local got = {}
    for i, v in ipairs(b) do got[i] = v end
    assert.same({true, false, true}, got)
    local n = 0
    for _ in ipairs(canns.zeros(0)) do n = n + 1 end
    for _ in pairs(canns.zeros(0)) do n = n + 1 end
    assert.equal(0, n)
  end)

  it("reads nil outside 1..n and -n..-1, still refuses writes there", function()
    local a = canns.array({1, 2, 3})
    assert.is_nil(a[4]); assert.is_nil(a[0]); assert.is_nil(a[-4]); assert.is_nil(a[1 << 40])
    assert.equal(3, a[-1])
    fails_with("index 4 out of range 1..3", function() a[4] = 1 end)
    fails_with("index: argument 1 (index) must be an integer, got 1.5", function() return a[1.5] end)
  end)

  it("iterates the rows of an N-D array (views), for ipairs and pairs", function()
    local a = canns.array({{1, 2, 3}, {4, 5, 6}})
    local rows = {}
    for i, r in ipairs(a) do rows[i] = r:totable() end
    assert.same({{1, 2, 3}, {4, 5, 6}}, rows)
    for i, r in pairs(a) do r:fill(i) end -- views: writing a row writes a
    assert.same({{1, 1, 1}, {2, 2, 2}}, a:totable())
    local c = canns.zeros({2, 2, 3})
    local n = 0
    for _, r in ipairs(c) do n = n + 1; assert.same({2, 3}, r:shape()) end
    assert.equal(2, n)
    fails_with("pairs: cannot iterate over a 0-d array", pairs, canns.array(1):reshape({}))
  end)
end)

describe("functions taking a list or an array", function()
  local viz = canns.analyzer.visualization
  local tda = canns.analyzer.tda
  -- as_table(t) returns t, as_array(t) the same numbers as a float64 array
  local function as_table(t) return t end
  local function as_array(t) return canns.array(t, "float64") end
  -- a plain value from a result: arrays become (shape, values) tables
  local function plain(v)
    if canns.isarray(v) then return {shape = v:shape(), values = v:astype("float64"):totable()} end
    if type(v) == "table" then
      local o = {}
      for k, x in pairs(v) do o[k] = plain(x) end
      return o
    end
    return v
  end
  local X = {{0, 0}, {1, 0}, {0, 1}, {1, 1.2}, {0.5, 2}}
  local cases = {
    {"canns.array", function(c) return canns.array(c({1, 2, 3})) end},
    {"arithmetic (+)", function(c) return canns.ones(3) + c({1, 2, 3}) end},
    {"canns.maximum", function(c) return canns.maximum(canns.ones(3), c({0, 2, 3})) end},
    {"canns.allclose", function(c) return canns.allclose(c({1, 2}), {1, 2}) end},
    {"a:assign", function(c) local a = canns.zeros(3); a:assign(c({4, 5, 6})); return a end},
    {"a[i] = row", function(c) local a = canns.zeros({2, 3}); a[2] = c({4, 5, 6}); return a end},
    {"model:update", function(c)
      local m = canns.models.CANN1D{num = 8}; m:update(c({0, 1, 2, 3, 2, 1, 0, 0})); return m.u end},
    {"model:dist", function(c) return canns.models.CANN1D{num = 8}:dist(c({0.5, 4, -4})) end},
    {"model:get_stimulus_by_pos (2-D)", function(c)
      return canns.models.CANN2D{length = 6}:get_stimulus_by_pos(c({0.5, -1})) end},
    {"tda.ripser", function(c) return tda.ripser(c(X)).dgms end},
    {"tda.pairwise_distances", function(c) return tda.pairwise_distances(c(X), "manhattan") end},
    {"tda.percentile", function(c) return tda.percentile(c({3, 1, 4, 1, 5, 9, 2}), 40) end},
    {"tda.coo_matrix", function(c)
      return tda.ripser(tda.coo_matrix(c({1, 2, 1}), c({2, 3, 3}), c({1, 2, 2.5})),
                        {distance_matrix = true}).dgms end},
    {"tda.shuffle_null_model", function(c)
      return tda.shuffle_null_model(c({{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {1, 1, 0}, {0, 1, 1}}),
                                    {num_shuffles = 3, maxdim = 0}) end},
    {"viz.binned_mean", function(c)
      return {viz.binned_mean(c({0.1, 0.5, 0.9, 0.2, 0.7, 1.0}), c({1, 2, 3, 4, 5, 6}), 3)} end},
    {"viz.tuning_curve pref_stim", function(c)
      local fig = viz.tuning_curve(canns.linspace(0, 1, 10), canns.ones({10, 2}), {1, 2},
                                   {num_bins = 4, pref_stim = c({0.2, 0.8}), show = false})
      fig:close(); return true end},
    {"ax:plot / scatter / bar / set_xticks", function(c)
      local fig = viz.figure{figsize = {2, 2}}
      local ax = fig:subplot(1, 1, 1)
      ax:plot(c({1, 2, 3}), c({1, 4, 9})); ax:scatter(c({1, 2}), c({2, 1})); ax:bar(c({1, 2}), c({3, 4}))
      ax:set_xticks(c({1, 2, 3})); fig:close(); return true end},
    {"Agent:import_trajectory", function(c)
      local a = canns.spatial.Agent{environment = canns.spatial.Environment{}}
      a:import_trajectory(c({0, 1, 2}), c({{0.1, 0.1}, {0.2, 0.3}, {0.4, 0.5}}))
      return a:get_history_arrays() end},
    {"task.map2pi", function(c) return canns.task.map2pi(c({-7, 0.5, 7})) end},
    {"pipeline.Sweep params", function(c)
      local out = os.tmpname(); os.remove(out) -- not written: the sweep is never run
      local s = canns.pipeline.Sweep{name = "s", out = out,
                                     params = {a = c({0.5, 1, 2}), b = c({1, 2})}, run = function() return {} end}
      local pts = {}
      for i = 1, s:size() do pts[i] = s:point(i) end
      return pts end},
    {"SmoothTracking2D key points", function(c)
      local t = canns.task.SmoothTracking2D{cann_instance = canns.models.CANN2D{length = 6},
                                            Iext = c({{0, 0}, {1, -1}}), duration = c({0.5})}
      t:get_data(); return {t.Iext_sequence, t.data} end},
    {"CustomTracking1D positions", function(c)
      local t = canns.task.CustomTracking1D{cann_instance = canns.models.CANN1D{num = 8},
                                            positions = c({0, 0.5, 1})}
      t:get_data(); return t.Iext_sequence end},
  }
  for _, case in ipairs(cases) do
    it(case[1] .. " gives the same for a table and an array", function()
      local a = plain(case[2](as_table))
      local b = plain(case[2](as_array))
      assert.same(a, b)
    end)
  end

  it("binned_mean: means against a hand count", function()
    local m = viz.binned_mean(canns.array({0.1, 0.5, 0.9, 0.2, 0.7, 1.0}, "float64"),
                              canns.array({1, 2, 3, 4, 5, 6}, "float64"), 3)
    -- bins [0.1,0.4) [0.4,0.7) [0.7,1.0]: {1, 4}, {2}, {3, 5, 6}
    assert.same({2.5, 2, 14 / 3}, {m[1], m[2], m[3]})
  end)
  it("binned_mean checks its arguments", function()
    fails_with("binned_mean: argument 3 (nbins) is too large: must be at most 2147483647, got 9.007199254741e+15",
               viz.binned_mean, {1, 2}, {1, 2}, 2 ^ 53)
    fails_with("binned_mean: argument 3 (nbins) must be >= 1, got 0", viz.binned_mean, {1, 2}, {1, 2}, 0)
    fails_with("binned_mean: argument 1 (x) must be a list of numbers", viz.binned_mean, "x", {1}, 2)
    fails_with("binned_mean: argument 2 (values) must have as many numbers as x (2), got 1",
               viz.binned_mean, {1, 2}, {1}, 2)
    fails_with("binned_mean: argument 1 (x) must be finite", viz.binned_mean, {0 / 0, 2}, {1, 2}, 2)
  end)
end)
