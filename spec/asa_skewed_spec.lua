-- CohoSpace on the skewed torus: tiling against a plain Lua loop, the
-- selected and transformed points against the definitions (spike mode:
-- activity > 0; the skew map), the figures written, bad input refused.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

describe("skewed CohoSpace", function()
  local E = L("embed_smooth"):astype("float64")
  local coords = L("dec_coords")
  local times = L("dec_times") + 1
  local dir
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)

  it("tiles points as i e1 + j e2 shifts, i then j", function()
    local xy = canns.array({{0.5, 1.0}, {2.0, 0.25}}, "float64")
    local t = asa.tile_parallelogram_points_scatter(xy, 1)
    assert.same({18, 2}, t:shape())
    local k = 0
    for i = -1, 1 do
      for j = -1, 1 do
        for p = 1, 2 do
          k = k + 1
          local x = xy[{p, 1}] + i * 2 * math.pi + j * math.pi
          local y = xy[{p, 2}] + j * math.sqrt(3) * math.pi
          assert.is_true(math.abs(t[{k, 1}] - x) < 1e-12 and math.abs(t[{k, 2}] - y) < 1e-12)
        end
      end
    end
    assert.same({2, 2}, asa.tile_parallelogram_points_scatter(xy, 0):shape())
    assert.same({50, 2}, asa.tile_parallelogram_points_scatter(xy, 2):shape())
  end)

  it("draws a neuron's and a population's points on the skewed torus", function()
    local act = canns.core.asa.take(E, times)
    -- spike mode selects activity > 0; the points are skew(coords mod 2 pi)
    local rows = canns.core.asa.select_points(act, canns.array({3}, "int64"), false, 2)
    local n = 0
    for t = 1, act:shape(1) do if act[{t, 3}] > 0 then n = n + 1 end end
    assert.equal(n, rows:size())
    local th = canns.core.asa.take(coords, rows):mod(2 * math.pi)
    local sk = asa.skew_transform(th)
    for i = 1, math.min(5, rows:size()) do
      assert.is_true(math.abs(sk[{i, 1}] - (th[{i, 1}] + th[{i, 2}] / 2)) < 1e-12)
    end
    for _, m in ipairs({"spike", "fr"}) do
      local f = ("%s/neuron_%s.png"):format(dir, m)
      asa.plot_cohospace_scatter_neuron_skewed(coords, E, 3, {times = times, mode = m, save_path = f})
      assert.is_true(testutil.exists(f), f)
    end
    local f = dir .. "/pop.png"
    asa.plot_cohospace_scatter_population_skewed(coords, E, {1, 2, 5}, {times = times, n_tiles = 0,
                                                                         save_path = f})
    assert.is_true(testutil.exists(f))
  end)

  it("refuses bad input", function()
    testutil.fails_with("argument 1 (xy) must have shape {n, 2}", asa.tile_parallelogram_points_scatter,
                        canns.zeros({3, 3}))
    testutil.fails_with("argument 2 (n_tiles)", asa.tile_parallelogram_points_scatter, canns.zeros({3, 2}), -1)
    testutil.fails_with("argument 3 (neuron_id)", asa.plot_cohospace_scatter_neuron_skewed, coords, E,
                        E:shape(2) + 1, {times = times})
    testutil.fails_with("option 'mode' must be one of", asa.plot_cohospace_scatter_neuron_skewed, coords, E, 1,
                        {times = times, mode = "x"})
    testutil.fails_with("argument 3 (neuron_ids) must name at least one neuron",
                        asa.plot_cohospace_scatter_population_skewed, coords, E, {}, {times = times})
    testutil.fails_with("unknown option 'tiles'", asa.plot_cohospace_scatter_neuron_skewed, coords, E, 1,
                        {tiles = 2})
  end)
end)
