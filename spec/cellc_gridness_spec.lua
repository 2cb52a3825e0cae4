-- GridnessAnalyzer against upstream canns 1.5.0 fixtures (scores, radii
-- to 1e-8; statistics to 1e-8 except where upstream's order is not
-- defined: an exact tie in peak distance at the 6-peak cut, and the sign
-- of the ellipse eigenvector, which only swaps the axes), and the science
-- checks: an ideal hexagonal map scores in [1.2, 1.5] with its true
-- spacing and orientation, a square lattice scores < 0, white noise gives
-- NaN, smoothed noise scores near 0; the batch path equals the single one.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local function fx(name) return canns.load(testutil.fixture("cellc/" .. name .. ".npy")) end

local function hex(n, spacing, orient, extent)
  extent = extent or 2
  local t = {}
  local k = 2 * math.pi / spacing
  for i = 1, n do
    local y = -extent + 2 * extent * (i - 1) / (n - 1)
    t[i] = {}
    for j = 1, n do
      local x = -extent + 2 * extent * (j - 1) / (n - 1)
      local g = 0
      for _, a in ipairs{0, 60, 120} do
        local th = math.rad(a + orient)
        g = g + math.cos(k * (x * math.cos(th) + y * math.sin(th)))
      end
      t[i][j] = (g / 3 + 1.5) / 2.5 * 10
    end
  end
  return canns.array(t, "float64")
end

local function near(a, b, tol) return (a ~= a and b ~= b) or math.abs(a - b) <= tol end

local function ellipse_pairs(v, off)
  local a = math.deg(v[5]) % 180
  local p = {{math.abs(v[3]), a}, {math.abs(v[4]), (a + 90) % 180}}
  table.sort(p, function(u, w) return u[1] < w[1] end)
  return {v[1] - off, v[2] - off, p}
end

describe("GridnessAnalyzer", function()
  local names = {}
  for l in io.lines(testutil.fixture("cellc/grid_names.txt")) do names[#names + 1] = l end
  local m100, m50, res = fx("grid_maps_100"), fx("grid_maps_50"), fx("grid_results")
  local peaks = fx("grid_peaks")

  it("matches upstream on ideal, square, noisy and random maps", function()
    local an = cc.GridnessAnalyzer()
    local stats_checked = 0
    for k, name in ipairs(names) do
      local m = k <= 3 and m100[k] or m50[k - 3]
      local g = an:compute_gridness_score(cc.compute_2d_autocorrelation(m))
      assert.is_true(near(g.score, res[{k, 1}], 1e-8), name .. " score")
      assert.are.equal(res[{k, 14}], g.center_radius, name)
      assert.is_true(near(g.optimal_radius, res[{k, 15}], 0), name)
      -- An exact tie in distance at the 6-peak cut leaves upstream's pick
      -- undefined (its sort is not stable): then the two peak sets differ
      -- but their distances agree, and the statistics are not compared.
      local tie = false
      if g.peak_locations and peaks[{k, 1, 1}] == peaks[{k, 1, 1}] then
        local c = (k <= 3 and 179 or 89) // 2
        local da, db, same = {}, {}, true
        for i = 1, g.peak_locations:shape()[1] do
          local ax, ay = g.peak_locations[{i, 1}] - 1, g.peak_locations[{i, 2}] - 1
          da[i] = (ax - c) ^ 2 + (ay - c) ^ 2
          db[i] = (peaks[{k, i, 1}] - c) ^ 2 + (peaks[{k, i, 2}] - c) ^ 2
          local found = false
          for j = 1, g.peak_locations:shape()[1] do
            if near(ax, peaks[{k, j, 1}], 1e-9) and near(ay, peaks[{k, j, 2}], 1e-9) then found = true end
          end
          same = same and found
        end
        if not same then
          table.sort(da)
          table.sort(db)
          for i = 1, #da do assert.is_true(near(da[i], db[i], 1e-9), name .. " peak distances") end
          tie = true
        end
      end
      if not tie then
        stats_checked = stats_checked + 1
        for i = 1, 3 do
          assert.is_true(near(g.spacing[i], res[{k, 1 + i}], 1e-8), name .. " spacing")
          assert.is_true(near(g.orientation[i], res[{k, 4 + i}], 1e-8), name .. " orientation")
        end
        if res[{k, 8}] == res[{k, 8}] then
          local a = ellipse_pairs(g.ellipse, 1)
          local b = ellipse_pairs({res[{k, 8}], res[{k, 9}], res[{k, 10}], res[{k, 11}], res[{k, 12}]}, 0)
          assert.is_true(near(a[1], b[1], 1e-8) and near(a[2], b[2], 1e-8), name .. " ellipse centre")
          for i = 1, 2 do
            assert.is_true(near(a[3][i][1], b[3][i][1], 1e-7), name .. " ellipse radius")
            assert.is_true(near(a[3][i][2], b[3][i][2], 1e-6), name .. " ellipse angle")
          end
        else
          assert.is_true(g.ellipse[1] ~= g.ellipse[1], name)
        end
        if peaks[{k, 1, 1}] == peaks[{k, 1, 1}] then
          -- as a set: upstream's sort by distance is not stable
          local function set(get, n)
            local t = {}
            for i = 1, n do t[i] = {get(i, 1), get(i, 2)} end
            table.sort(t, function(u, v) return u[1] < v[1] or (u[1] == v[1] and u[2] < v[2]) end)
            return t
          end
          local n = g.peak_locations:shape()[1]
          local a = set(function(i, c) return g.peak_locations[{i, c}] - 1 end, n)
          local b = set(function(i, c) return peaks[{k, i, c}] end, n)
          for i = 1, n do
            assert.is_true(near(a[i][1], b[i][1], 1e-9) and near(a[i][2], b[i][2], 1e-9), name .. " peaks")
          end
        else
          assert.is_nil(g.peak_locations)
        end
      end
    end
    assert.is_true(stats_checked >= #names - 2)
  end)

  it("an ideal hexagonal map: score > 1, true spacing and orientation", function()
    for _, orient in ipairs{0, 15} do
      local m = hex(100, 0.4, orient)
      local g = cc.GridnessAnalyzer():compute_gridness_score(cc.compute_2d_autocorrelation(m))
      assert.is_true(g.score >= 1.2 and g.score <= 1.5, tostring(g.score))
      assert.are.equal(3, g.center_radius)
      local true_spacing = 0.4 * 2 / math.sqrt(3) / (4 / 99)   -- lattice spacing in bins
      for i = 1, 3 do
        assert.is_true(math.abs(g.spacing[i] - true_spacing) <= 1, tostring(g.spacing[i]))
        -- lattice directions are 30 + orient + 60 k degrees
        local off = (g.orientation[i] - 30 - orient) % 60
        assert.is_true(math.min(off, 60 - off) <= 2, tostring(g.orientation[i]))
      end
    end
    local g = cc.GridnessAnalyzer():compute_gridness_score(cc.compute_2d_autocorrelation(hex(100, 0.4, 0)))
    assert.are.equal(15, g.optimal_radius)
  end)

  it("a square lattice scores below 0, white noise is NaN, smoothed noise near 0", function()
    local t = {}
    local k = 2 * math.pi / 0.4
    for i = 1, 100 do
      t[i] = {}
      for j = 1, 100 do
        local x, y = -2 + 4 * (j - 1) / 99, -2 + 4 * (i - 1) / 99
        t[i][j] = math.cos(k * x) + math.cos(k * y) + 2
      end
    end
    local an = cc.GridnessAnalyzer()
    assert.is_true(an:compute_gridness_score(cc.compute_2d_autocorrelation(canns.array(t, "float64"))).score < 0)
    local gen = canns.random.Generator(99)
    local w = an:compute_gridness_score(cc.compute_2d_autocorrelation(gen:uniform({50, 50}, 0, 1, "float64")))
    assert.is_true(w.score ~= w.score)
    assert.are.equal(0, w.center_radius)
    -- upstream on 150 such maps: mean -0.025, 1.3 % of scores outside [-0.5, 0.5]
    local sum, n, outside = 0, 0, 0
    for _ = 1, 20 do
      local m = cc.gaussian_filter_2d(gen:uniform({50, 50}, 0, 1, "float64"), 2)
      local s = an:compute_gridness_score(cc.compute_2d_autocorrelation(m)).score
      if s == s then
        if not (s > -0.5 and s < 0.5) then outside = outside + 1 end
        sum, n = sum + s, n + 1
      end
    end
    assert.is_true(n >= 15 and math.abs(sum / n) < 0.15 and outside <= 2)
  end)

  it("the batch equals one map at a time, for 1 and 2 threads", function()
    local acs = cc.compute_2d_autocorrelations(m50)
    local an = cc.GridnessAnalyzer{threshold = 0.2, num_gridness_radii = 3}
    local nt = canns.num_threads()
    for _, t in ipairs{1, 2} do
      canns.set_num_threads(t)
      local b = an:compute_gridness_scores(acs)
      for k = 1, m50:shape()[1] do
        local g = an:compute_gridness_score(acs[k])
        assert.is_true(near(b.score[k], g.score, 0))
        assert.is_true(near(b.spacing[{k, 2}], g.spacing[2], 0))
        assert.is_true(near(b.ellipse[{k, 1}], g.ellipse[1], 0))
        assert.is_true(near(b.optimal_radius[k], g.optimal_radius, 0))
      end
    end
    canns.set_num_threads(nt)
  end)

  it("takes upstream's parameters by position or name; NaN result for a 1-row map", function()
    local a = cc.GridnessAnalyzer(0.3, 10, 1, 5)
    assert.are.equal(0.3, a.threshold)
    assert.are.equal(5, a.num_gridness_radii)
    local b = cc.GridnessAnalyzer(0.3, {num_gridness_radii = 1})
    assert.are.equal(15, b.min_orientation)
    local g = b:compute_gridness_score(canns.ones({1, 9}))
    assert.is_true(g.score ~= g.score)
    assert.are.equal("GridnessResult", getmetatable(g).__name)
    local r = cc.GridnessResult{score = 1, spacing = {1, 2, 3}}
    assert.are.equal(1, r.score)
  end)

  it("rejects bad input naming the argument", function()
    local an = cc.GridnessAnalyzer()
    testutil.fails_with("option 'num_gridness_radii'", cc.GridnessAnalyzer, {num_gridness_radii = 0})
    testutil.fails_with("unknown option 'treshold'", cc.GridnessAnalyzer, {treshold = 0.2})
    testutil.fails_with("option 'threshold'", cc.GridnessAnalyzer, {threshold = 0 / 0})
    testutil.fails_with("argument 2 (autocorr)", an.compute_gridness_score, an, nil)
    testutil.fails_with("argument 2 (autocorr) must have 2 dimensions", an.compute_gridness_score, an, canns.ones({5}))
    testutil.fails_with("argument 1 (autocorr) must not contain NaN", an.compute_gridness_score, an,
                        canns.full({9, 9}, 0 / 0))
    testutil.fails_with("argument 2 (autocorr)", an.compute_gridness_score, an, canns.zeros({0, 5}))
    testutil.fails_with("must be a GridnessAnalyzer", an.compute_gridness_score, {}, canns.ones({5, 5}))
    testutil.fails_with("argument 1 (autocorrs) must not contain NaN", an.compute_gridness_scores, an,
                        canns.full({2, 9, 9}, 0 / 0))
  end)
end)
