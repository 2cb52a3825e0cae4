-- canns.analyzer.metrics against canns 1.5.0 fixtures
-- (scripts/fixtures/make_gridmetrics_fixtures.py): circular spatial
-- autocorrelation, grid score, grid spacing, the systematic rate map of a
-- velocity grid-cell sheet; a plain direct-sum reference for the
-- autocorrelation; behaviour on a healed sheet; bad arguments.
local canns = require "canns"
local M = canns.analyzer.metrics

local function fx(name) return canns.load(testutil.fixture("gridcell/" .. name .. ".npy")) end
local function maxabs(a, b) return (a - b):abs():max() end

-- scipy.signal.correlate2d(a, a, "same", "wrap") by direct summation
local function plain_autocorr(a)
  local sh = a:shape()
  local h, w = sh[1], sh[2]
  local ci, cj = (h - 1) // 2, (w - 1) // 2
  local out = canns.zeros({h, w}, "float64")
  for i = 0, h - 1 do
    for j = 0, w - 1 do
      local s = 0
      for p = 0, h - 1 do
        for q = 0, w - 1 do
          s = s + a[{p + 1, q + 1}] * a[{(p + i - ci) % h + 1, (q + j - cj) % w + 1}]
        end
      end
      out[{i + 1, j + 1}] = s
    end
  end
  return out
end

describe("canns.analyzer.metrics", function()
  it("computes upstream's circular spatial autocorrelation", function()
    local rand = fx "map_rand"
    local ac = M.compute_spatial_autocorrelation(rand)
    assert.are.same({20, 24}, ac:shape())
    assert.is_true(maxabs(ac, fx "ac_rand") < 1e-12)
    assert.is_true(maxabs(M.compute_spatial_autocorrelation(rand, 5), fx "ac_rand_lag5") < 1e-12)
    assert.is_true(maxabs(M.compute_spatial_autocorrelation(fx "map_hex"), fx "ac_hex") < 1e-12)
    -- against the direct sum (a demeaned, scaled map)
    local small = canns.array({{1, 2, 0, 4, 1}, {0, 3, 1, 1, 2}, {2, 2, 5, 0, 1}, {1, 0, 0, 3, 2}}, "float64")
    local m = small - small:mean()
    local ref = plain_autocorr(m)
    ref = ref / ref:abs():max()
    assert.is_true(maxabs(M.compute_spatial_autocorrelation(small), ref) < 1e-12)
  end)

  it("scores grids and finds their spacing as upstream", function()
    for _, name in ipairs{"hex", "rand"} do
      local ac = fx("ac_" .. name)
      local ref, ref2, sp = fx("gs_" .. name), fx("gs_" .. name .. "_2"), fx("sp_" .. name)
      local score, corrs = M.compute_grid_score(ac)
      assert.is_true(math.abs(score - ref[1]) < 1e-9, name .. " score " .. score .. " vs " .. ref[1])
      for k, a in ipairs{30, 60, 90, 120, 150} do assert.is_true(math.abs(corrs[a] - ref[k + 1]) < 1e-9) end
      local s2 = M.compute_grid_score(ac, 0.2, 0.9)
      assert.is_true(math.abs(s2 - ref2[1]) < 1e-9)
      local bins, real = M.find_grid_spacing(ac, 0.05)
      assert.are.equal(sp[1], bins)
      assert.is_true(math.abs(real - sp[2]) < 1e-12)
      assert.is_nil(select(2, M.find_grid_spacing(ac)))
    end
    assert.is_true(M.compute_grid_score(fx "ac_hex") > 1) -- a hexagonal map scores high
  end)

  it("samples the systematic rate map of a velocity sheet as upstream", function()
    canns.set_dt(5e-4)
    for _, method in ipairs{"dense", "fft"} do
      local g = canns.models.GridCell2DVelocity{length = 10, method = method}
      g.s = fx "rm_s0"
      g.r = g.s:clip(0, math.huge)
      local rm = M.compute_systematic_ratemap(g, {box_width = 0.1, box_height = 0.12, resolution = 5,
                                                  speed = 0.5, num_batches = 1, verbose = false})
      local ref = fx "rm"
      assert.are.same({5, 5, 100}, rm:shape())
      local e = maxabs(rm, ref) / ref:abs():max()
      assert.is_true(e < 1e-4, method .. ": " .. e)
      assert.is_true(maxabs(g.s, fx "rm_final_s") / fx "rm_final_s":abs():max() < 1e-4)
    end
  end)

  it("gives a healed velocity sheet grid-like rate maps (grid score > 0.3)", function()
    canns.set_dt(5e-4)
    canns.random.seed(1)
    local g = canns.models.GridCell2DVelocity{length = 24, lambda_net = 12}
    g:heal_network{dt_healing = 2e-4}
    local R = 24
    local rm = M.compute_systematic_ratemap(g, {box_size = 0.72, resolution = R, speed = 1.0, verbose = false})
    -- the most active neuron's map
    local tot = rm:sum(1):sum(1):flatten()
    local best, bv = 1, -1
    for n = 1, g.num do if tot[n] > bv then best, bv = n, tot[n] end end
    local map = canns.array(rm:slice(3, best)):reshape(R, R)
    local ac = M.compute_spatial_autocorrelation(map)
    local score = M.compute_grid_score(ac)
    assert.is_true(score > 0.3, "grid score " .. score)
  end)

  it("refuses bad arguments", function()
    testutil.fails_with("compute_spatial_autocorrelation: argument 1 (rate_map) must have 2 dimensions",
                        M.compute_spatial_autocorrelation, canns.zeros(5))
    testutil.fails_with("compute_spatial_autocorrelation: the map must be finite", M.compute_spatial_autocorrelation,
                        canns.array({{1, 0 / 0}, {1, 2}}))
    testutil.fails_with("compute_spatial_autocorrelation: argument 2 (max_lag) is too large: must be at most 2, got 3",
                        M.compute_spatial_autocorrelation, canns.ones{5, 6}, 3)
    testutil.fails_with("compute_grid_score: argument 2 (annulus_inner) must not be NaN",
                        M.compute_grid_score, canns.ones{5, 5}, 0 / 0)
    testutil.fails_with("find_grid_spacing: argument 1 (autocorr) must be an array", M.find_grid_spacing, "x")
    local g = canns.models.GridCell2DVelocity{length = 6}
    testutil.fails_with("compute_systematic_ratemap: unknown option 'box'", M.compute_systematic_ratemap, g, {box = 1})
    testutil.fails_with("compute_systematic_ratemap: option 'speed' must be > 0", M.compute_systematic_ratemap, g,
                        {speed = -1, verbose = false})
    testutil.fails_with("option 'resolution' (500) must not exceed", M.compute_systematic_ratemap, g,
                        {resolution = 500, box_size = 0.01, verbose = false})
    testutil.fails_with("the model must be a GridCell2DVelocity, got a CANN1D", M.compute_systematic_ratemap,
                        canns.models.CANN1D{num = 8}, {verbose = false})
    testutil.fails_with("argument 1 (model) must be a GridCell2DVelocity", M.compute_systematic_ratemap, 5)
  end)
end)
