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

describe("plot_cohospace_skewed", function()
  local cohospace = require "canns.analyzer.data.asa.cohospace"
  local dir
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)

  -- decoded angles covering theta1 < 4 only (the cells beyond stay empty)
  local g = canns.random.Generator(3)
  local T = 6000
  local c = g:uniform({T, 2}, 0, 2 * math.pi)
  local act = canns.zeros({T, 2})
  for t = 1, T do
    c[{t, 1}] = c[{t, 1}] * 4 / (2 * math.pi)
    act[{t, 1}] = math.cos(c[{t, 1}]) + math.sin(c[{t, 2}])
    act[{t, 2}] = c[{t, 2}]
  end
  local res = asa.cohospace(c, act, {bins = 11})

  it("puts the cell corners at the skew transform of the edges", function()
    local xe, ye = res.x_edge, res.y_edge
    local X, Y = cohospace._skewed_mesh(xe, ye)
    assert.same({ye:size(), xe:size()}, X:shape())
    assert.same({ye:size(), xe:size()}, Y:shape())
    for r = 1, ye:size() do
      for k = 1, xe:size() do
        local sk = asa.skew_transform(canns.array({{xe[k], ye[r]}}, "float64"))
        assert.is_true(math.abs(X[{r, k}] - (xe[k] + ye[r] / 2)) < 1e-12)
        assert.is_true(math.abs(Y[{r, k}] - math.sqrt(3) / 2 * ye[r]) < 1e-12)
        assert.is_true(math.abs(X[{r, k}] - sk[{1, 1}]) < 1e-12 and math.abs(Y[{r, k}] - sk[{1, 2}]) < 1e-12)
      end
    end
  end)

  it("colours each cell at its skewed place, empty cells and the outside white", function()
    local vconfig = canns.analyzer.visualization
    local cfg = vconfig.PlotConfig.for_static_plot{figsize = {5, 5}, save_dpi = 100, save_bbox_inches = false,
                                                   show = false, save_path = dir .. "/skew.png"}
    local _, ax = asa.plot_cohospace_skewed(res, {neuron_id = 1, config = cfg})
    local w, h, data = canns.core.plot_read_png(dir .. "/skew.png")
    assert.same({500, 500}, {w, h})
    local function px(x, y)
      local u, v = ax:data_to_pixel(x, y)
      local i = (math.floor(v + 0.5) * w + math.floor(u + 0.5)) * 4
      return {data:byte(i + 1), data:byte(i + 2), data:byte(i + 3)}
    end
    -- plain colour of a value: viridis over the finite range of the map
    local m = res.rate_maps
    local lo, hi = math.huge, -math.huge
    for r = 1, 10 do for k = 1, 10 do
      local v = m[{1, r, k}]
      if v == v then lo, hi = math.min(lo, v), math.max(hi, v) end
    end end
    local lut = canns.core.plot_colormap("viridis")
    local xe = res.x_edge
    local nfinite, nnan = 0, 0
    for r = 1, 10 do
      for k = 1, 10 do
        -- cell (r, k): theta2 between edges r, r + 1, theta1 between k, k + 1
        local th1, th2 = (xe[k] + xe[k + 1]) / 2, (xe[r] + xe[r + 1]) / 2
        local got = px(th1 + th2 / 2, math.sqrt(3) / 2 * th2)
        local v = m[{1, r, k}]
        if v == v then
          nfinite = nfinite + 1
          local e = lut[math.floor((v - lo) / (hi - lo) * 255 + 0.5) + 1]
          for q = 1, 3 do assert.is_true(math.abs(got[q] - e[q]) <= 2, ("cell %d %d"):format(r, k)) end
        else
          nnan = nnan + 1
          assert.same({255, 255, 255}, got)
        end
      end
    end
    assert.is_true(nfinite > 20 and nnan > 20)
    -- left of the parallelogram's slanted edge and below its right one: blank
    assert.same({255, 255, 255}, px(0.3, 4.5))
    assert.same({255, 255, 255}, px(8.9, 0.6))
    -- without the outline, a default call writes a tight PNG
    asa.plot_cohospace_skewed(res, {neuron_id = 2, show_grid = false, save_path = dir .. "/n2.png"})
    local w2, h2 = canns.core.plot_read_png(dir .. "/n2.png")
    assert.is_true(w2 > 100 and h2 > 100)
  end)

  it("refuses bad input", function()
    testutil.fails_with("argument 1 (cohospace_result) must be a table", asa.plot_cohospace_skewed, 3)
    testutil.fails_with("must hold rate_maps", asa.plot_cohospace_skewed, {rate_maps = canns.zeros({3, 3})})
    testutil.fails_with("option 'neuron_id' is too large: must be at most 2, got 3", asa.plot_cohospace_skewed, res,
                        {neuron_id = 3})
    testutil.fails_with("option 'neuron_id' must be >= 1, got 0", asa.plot_cohospace_skewed, res, {neuron_id = 0})
    testutil.fails_with("unknown option 'tiles'", asa.plot_cohospace_skewed, res, {tiles = 1})
    testutil.fails_with("option 'show_grid' must be", asa.plot_cohospace_skewed, res, {show_grid = "yes"})
    testutil.fails_with("must hold x_edge and y_edge with 11 and 11 edges", asa.plot_cohospace_skewed,
                        {rate_maps = res.rate_maps, x_edge = canns.zeros({5}), y_edge = res.y_edge})
  end)
end)
