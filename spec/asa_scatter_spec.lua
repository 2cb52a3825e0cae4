-- CohoSpace scatter plots: the points drawn against a plain Lua selection
-- (numpy's linear percentile), the figures written, bad input refused.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

local E = L("embed_smooth"):astype("float64")
local coords = L("dec_coords")
local times = L("dec_times") + 1

-- plain reference: rows whose activity is >= the (100 - top)-th percentile
local function plain_select(act, n, top)
  local v = {}
  for t = 1, act:shape(1) do v[t] = act:get(t, n) end
  local s = {}
  for i, x in ipairs(v) do s[i] = x end
  table.sort(s)
  local pos = (100 - top) / 100 * (#s - 1)
  local lo = math.floor(pos)
  local thr = lo >= #s - 1 and s[#s] or s[lo + 1] + (s[lo + 2] - s[lo + 1]) * (pos - lo)
  local rows = {}
  for t, x in ipairs(v) do if x >= thr then rows[#rows + 1] = t end end
  return rows
end

describe("CohoSpace scatter", function()
  local act = canns.core.asa.take(E, times)
  it("selects a neuron's top time points as numpy's percentile does", function()
    for _, top in ipairs({1, 5, 37.5}) do
      local rows, agg = canns.core.asa.select_points(act, canns.array({4}, "int64"), true, top)
      local ref = plain_select(act, 4, top)
      assert.equal(#ref, rows:size())
      for i, r in ipairs(ref) do
        assert.equal(r, rows:get(i))
        assert.equal(act:get(r, 4), agg:get(i))
      end
    end
    local rows, agg = canns.core.asa.select_points(act, canns.array({1, 2}, "int64"), false, 5)
    local c = 0
    for t = 1, act:shape(1) do
      local k = (act:get(t, 1) > 0 and 1 or 0) + (act:get(t, 2) > 0 and 1 or 0)
      if k > 0 then c = c + 1; assert.equal(k, agg:get(c)) end
    end
    assert.equal(c, rows:size())
  end)
  it("draws every variant", function()
    local dir = testutil.tmpdir()
    asa.plot_cohospace_scatter_trajectory_2d(coords, {subsample = 2, save_path = dir .. "/t2.png"})
    asa.plot_cohospace_scatter_trajectory_1d(coords:slice(2, {1, 1}), {save_path = dir .. "/t1.png"})
    asa.plot_cohospace_scatter_neuron_2d(coords, E, 3, {times = times, top_percent = 2, show = false,
                                                        save_path = dir .. "/n2.png"})
    asa.plot_cohospace_scatter_neuron_1d(coords:slice(2, {1, 1}), act, 3, {mode = "spike", show = false,
                                                                         save_path = dir .. "/n1.png"})
    asa.plot_cohospace_scatter_population_2d(coords, act, {1, 2, 3}, {show = false, save_path = dir .. "/p2.png"})
    asa.plot_cohospace_scatter_population_1d(coords:slice(2, {1, 1}), act, {4, 5}, {mode = "spike", show = false,
                                                                                  save_path = dir .. "/p1.png"})
    for _, f in ipairs({"t2", "t1", "n2", "n1", "p2", "p1"}) do
      assert.is_true(testutil.exists(dir .. "/" .. f .. ".png"), f)
    end
    testutil.rmtree(dir)
  end)
  it("refuses bad input", function()
    testutil.fails_with("must have shape (T, 2)", asa.plot_cohospace_scatter_trajectory_2d, coords:slice(2, {1, 1}))
    testutil.fails_with("option 'times' length must match", asa.plot_cohospace_scatter_trajectory_2d, coords,
                        {times = {1, 2}})
    testutil.fails_with("argument 3 (neuron_id) is too large", asa.plot_cohospace_scatter_neuron_2d, coords, act, 99,
                        {show = false})
    testutil.fails_with("option 'mode' must be one of", asa.plot_cohospace_scatter_neuron_2d, coords, act, 1,
                        {mode = "x", show = false})
    testutil.fails_with("activity length must match", asa.plot_cohospace_scatter_population_2d, coords,
                        act:slice(1, {1, 9}), {1}, {show = false})
  end)
end)
