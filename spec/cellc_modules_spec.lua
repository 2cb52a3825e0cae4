-- Grid modules (identify_grid_modules_and_stats and its steps _base_mask,
-- _vectorize_autocorrs, _build_knn_graph, _leiden_membership) against
-- upstream canns 1.5.0 on the same 28 autocorrelograms
-- (scripts/fixtures/make_cellc_modules_fixtures.py): mask, features and
-- kNN graph identical (weights to 1e-6 relative: float32 sums upstream), module statistics of a
-- given clustering to 1e-5; Leiden checked against a plain modularity
-- computed here (upstream's Leiden is random, so its membership is not
-- compared label for label); the science check (two spacings give two
-- modules); bad input.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local D = "cellc/modules/"
local function fx(n) return canns.load(testutil.fixture(D .. n .. ".npy")) end

local function ints(a) return canns.array(a, "int64"):reshape({-1}):totable() end

local function same_ints(a, b)
  local x, y = ints(a), ints(b)
  assert.are.equal(#y, #x)
  for i = 1, #x do assert.are.equal(y[i], x[i], "entry " .. i) end
end

-- modularity with resolution gamma of a membership on a weighted graph
-- (plain double loop over the edge list: the reference for the Leiden step)
local function modularity(n, edges, weights, mem, gamma)
  local E, W, M = ints(edges), canns.array(weights, "float64"):totable(), ints(mem)
  local k, m2, inside = {}, 0, 0
  for i = 1, n do k[i] = 0 end
  for e = 1, #W do
    local a, b, w = E[2 * e - 1], E[2 * e], W[e]
    k[a], k[b] = k[a] + w, k[b] + w
    m2 = m2 + 2 * w
    if M[a] == M[b] then inside = inside + 2 * w end
  end
  local ktot = {}
  for i = 1, n do ktot[M[i]] = (ktot[M[i]] or 0) + k[i] end
  local q = inside / m2
  for _, s in pairs(ktot) do q = q - gamma * (s / m2) ^ 2 end
  return q
end

describe("grid module steps", function()
  local acs = fx("autocorrs")
  it("_base_mask equals upstream's", function()
    local m = fx("mask")
    local ours = cc._base_mask(acs:shape(2), acs:shape(3), 2)
    same_ints(canns.array(m, "int64"), canns.array(ours, "int64"))
  end)
  it("_vectorize_autocorrs equals upstream's features (NaN read as 0)", function()
    local x = cc._vectorize_autocorrs(acs, 2)
    local ref = fx("features")
    assert.are.same(ref:shape(), x:shape())
    assert.are.equal("float32", x:dtype())
    assert.are.equal(0, testutil.maxabs(ref, x))
  end)
  it("_build_knn_graph equals upstream's edges and weights", function()
    local x = cc._vectorize_autocorrs(acs, 2)
    for _, case in ipairs{{6, "manhattan", ""}, {5, "euclidean", "_euclidean"}} do
      local e, w = cc._build_knn_graph(x, case[1], case[2])
      local re, rw = fx("knn_edges" .. case[3]), fx("knn_weights" .. case[3])
      same_ints(re + 1, e)
      local rel = testutil.maxabs(rw, w) / canns.max(rw)
      assert.is_true(rel < 1e-6, case[2] .. " weights differ by " .. rel) -- float32 features: sklearn sums them in float32
    end
  end)
  it("_leiden_membership optimises modularity at least as well as upstream's Leiden", function()
    local x = cc._vectorize_autocorrs(acs, 2)
    local e, w = cc._build_knn_graph(x, 6)
    local n = acs:shape(1)
    for _, gamma in ipairs{1.0, 0.5} do
      local mem, q = cc._leiden_membership(n, e, w, gamma, {seed = 3})
      local plain = modularity(n, e, w, mem, gamma)
      assert.is_true(math.abs(q - plain) < 1e-9, "quality " .. q .. " vs plain " .. plain)
      if gamma == 1.0 then
        local up = modularity(n, e, w, fx("leiden_cluster_id"), gamma)
        assert.is_true(plain >= up - 0.01, "ours " .. plain .. " upstream " .. up)
      end
      -- numbered by decreasing size
      local count = {}
      for _, c in ipairs(ints(mem)) do count[c + 1] = (count[c + 1] or 0) + 1 end
      for c = 2, #count do assert.is_true(count[c] <= count[c - 1]) end
    end
    -- the same seed gives the same clustering
    local a = cc._leiden_membership(n, e, w, 1.0, {seed = 7})
    local b = cc._leiden_membership(n, e, w, 1.0, {seed = 7})
    same_ints(a, b)
  end)
end)

describe("identify_grid_modules_and_stats", function()
  local acs = fx("autocorrs")
  local an = cc.GridnessAnalyzer()

  local function check(prefix, res)
    same_ints(fx(prefix .. "_module_id"), res.module_id)
    local counts = ints(fx(prefix .. "_counts"))
    assert.are.same(counts, {res.n_units, res.n_grid_cells, res.n_modules})
    local size, gs, cons = ints(fx(prefix .. "_module_size")), fx(prefix .. "_module_grid_score"):totable(),
                           fx(prefix .. "_module_consistency"):totable()
    local clusters, ncl = ints(fx(prefix .. "_module_clusters")), ints(fx(prefix .. "_module_nclusters"))
    local at = 0
    for i, m in ipairs(res.modules) do
      assert.are.equal(i - 1, m.module_id)
      assert.are.equal(size[i], m.size)
      assert.are.equal(m.size, m.indices:size())
      assert.is_true(math.abs(gs[i] - m.grid_score) < 1e-5, "grid score " .. gs[i] .. " vs " .. m.grid_score)
      assert.is_true(math.abs(cons[i] - m.consistency) < 1e-5)
      assert.are.equal(ncl[i], #m.clusters)
      for j, c in ipairs(m.clusters) do assert.are.equal(clusters[at + j], c) end
      at = at + #m.clusters
      for _, u in ipairs(ints(m.indices)) do assert.are.equal(i - 1, ints(res.module_id)[u]) end
    end
  end

  it("scores a given clustering as upstream (halves of one spacing merge)", function()
    local res = cc.identify_grid_modules_and_stats(acs, {gridness_analyzer = an, k = 6, min_cells = 5,
                                                          cluster_id = fx("given_membership")})
    check("given", res)
    assert.are.equal(2, #res.modules[1].clusters)
    assert.is_true(res.quality ~= res.quality)
  end)
  it("scores a clustering with arbitrary labels and other thresholds as upstream", function()
    local res = cc.identify_grid_modules_and_stats(acs, {gridness_analyzer = an, k = 6, min_cells = 3,
      score_thr = -2.0, consistency_thr = 0.0, merge_corr_thr = 0.5, cluster_id = fx("given2_membership")})
    check("given2", res)
    same_ints(fx("given2_membership"), res.cluster_id)
  end)
  it("given upstream's Leiden membership, reproduces upstream's result", function()
    local res = cc.identify_grid_modules_and_stats(acs, {gridness_analyzer = an, k = 6, min_cells = 5,
                                                          cluster_id = fx("leiden_cluster_id")})
    check("leiden", res)
  end)
  it("runs the whole chain (kNN graph, Leiden) and reports consistent fields", function()
    local res = cc.identify_grid_modules_and_stats(acs, {gridness_analyzer = an, k = 6, min_cells = 5})
    assert.are.equal(28, res.n_units)
    assert.are.equal(28, res.cluster_id:size())
    local total = 0
    for _, st in ipairs(res.cluster_stats) do total = total + st.size end
    assert.are.equal(28, total)
    assert.is_true(res.quality > 0.3)
    assert.are.equal(6, res.params.k)
    assert.are.equal("manhattan", res.params.metric)
  end)

  it("recovers two modules from a mixture of two spacings", function()
    -- 2 x 15 ideal grids (spacings 10 and 17 bins, orientations 5 and 20 degrees,
    -- random phases, 10 % noise) on 40 x 40 bins, and 6 noise maps
    local rng = canns.random.Generator(5)
    local B, maps, truth = 40, {}, {}
    local function grid(spacing, theta)
      local k = 4 * math.pi / (math.sqrt(3) * spacing)
      local ph = rng:uniform(2, 0, spacing):totable()
      local px, py = ph[1], ph[2]
      local noise = rng:uniform({B, B}, 0, 1):totable()
      local t = {}
      for i = 1, B do
        t[i] = {}
        for j = 1, B do
          local g = 0
          for _, a in ipairs{0, 60, 120} do
            local r = math.rad(theta + a)
            g = g + math.cos(k * ((j - px) * math.cos(r) + (i - py) * math.sin(r)))
          end
          t[i][j] = math.max(g, 0) + 0.1 * noise[i][j]
        end
      end
      return canns.array(t, "float64")
    end
    for u = 1, 15 do maps[#maps + 1], truth[#maps + 1] = grid(10, 5), 1 end
    for u = 1, 15 do maps[#maps + 1], truth[#maps + 1] = grid(17, 20), 2 end
    for u = 1, 6 do maps[#maps + 1], truth[#maps + 1] = rng:uniform({B, B}, 0, 1), 0 end
    local acl = {}
    for i, m in ipairs(maps) do acl[i] = cc.compute_2d_autocorrelation(m) end
    local res = cc.identify_grid_modules_and_stats(acl, {gridness_analyzer = an, k = 8, min_cells = 5})
    assert.are.equal(2, res.n_modules)
    local mid = ints(res.module_id)
    local of = {}
    for i = 1, #maps do
      if truth[i] == 0 then
        assert.are.equal(-1, mid[i], "noise map " .. i .. " joined a module")
      else
        assert.is_true(mid[i] >= 0, "grid " .. i .. " is in no module")
        of[truth[i]] = of[truth[i]] or mid[i]
        assert.are.equal(of[truth[i]], mid[i], "spacing " .. truth[i] .. " split")
      end
    end
    assert.are_not.equal(of[1], of[2])
    for _, m in ipairs(res.modules) do assert.is_true(m.grid_score > 0.3) end
  end)

  it("refuses bad input, naming the argument", function()
    testutil.fails_with("autocorrs", cc.identify_grid_modules_and_stats, "x")
    testutil.fails_with("must have 3 dimensions", cc.identify_grid_modules_and_stats, canns.zeros({4, 4}))
    testutil.fails_with("at least 2 maps", cc.identify_grid_modules_and_stats, canns.zeros({1, 9, 9}))
    testutil.fails_with("kk", cc.identify_grid_modules_and_stats, acs, {kk = 3})
    testutil.fails_with("must be a GridnessAnalyzer", cc.identify_grid_modules_and_stats, acs,
                        {gridness_analyzer = {}})
    testutil.fails_with("must be one of 'manhattan'", cc.identify_grid_modules_and_stats, acs, {metric = "hamming"})
    testutil.fails_with("must not be NaN", cc.identify_grid_modules_and_stats, acs, {resolution = 0 / 0})
    testutil.fails_with("resolution", cc.identify_grid_modules_and_stats, acs, {resolution = -1})
    testutil.fails_with("must be an integer, got 2.5", cc.identify_grid_modules_and_stats, acs, {k = 2.5})
    testutil.fails_with("must have 28 entries", cc.identify_grid_modules_and_stats, acs, {cluster_id = {1, 2}})
    testutil.fails_with("n_iterations", cc.identify_grid_modules_and_stats, acs, {n_iterations = 0})
    testutil.fails_with("one shape", cc.identify_grid_modules_and_stats, {canns.zeros({5, 5}), canns.zeros({4, 5})})
    testutil.fails_with("edges", cc._leiden_membership, 3, {{1, 4}}, {1.0})
    testutil.fails_with("must be >= 0", cc._leiden_membership, 3, {{1, 2}}, {-1.0})
    testutil.fails_with("one entry per edge", cc._leiden_membership, 3, {{1, 2}}, {1.0, 2.0})
    testutil.fails_with("at least 2 rows", cc._build_knn_graph, canns.zeros({1, 4}))
    -- all-NaN maps are read as zeros: every unit in one way or another, no crash
    local nanmaps = canns.full({12, 9, 9}, 0 / 0, "float64")
    local res = cc.identify_grid_modules_and_stats(nanmaps, {k = 3})
    assert.are.equal(0, res.n_modules)
  end)
end)
