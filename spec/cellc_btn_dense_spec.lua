-- The dense-matrix mode of the subcluster example (module
-- canns.analyzer.data.cell_classification.btn_dense) against numpy /
-- scipy on a binned matrix of 24 bursty, theta and Poisson cells
-- (scripts/fixtures/make_cellc_btn_dense_fixtures.py): lagged
-- self-products, row-sum normalisation, scipy's gaussian_filter1d,
-- cosine distances, neighbours and densities; the labels against
-- ToMATo run on the reference's graph; a plain Lua loop for real values
-- and lags past the end; bad input.
local canns = require "canns"
local dense = require "canns.analyzer.data.cell_classification.btn_dense"

local function fx(n) return canns.load(testutil.fixture("cellc/btn_dense/" .. n .. ".npy")) end
local function rel(a, b)
  local d = testutil.maxabs(canns.array(a, "float64"), canns.array(b, "float64"))
  local m = canns.array(b, "float64"):abs():max()
  return d / math.max(m, 1e-300)
end

-- the binned matrix, stored as its non-zero (row, column, count) triples
local function spikes()
  local shp, nz = fx("spikes_shape"), fx("spikes_nz")
  local S = canns.zeros({shp:get(1), shp:get(2)}, "float64")
  for k = 1, nz:shape(1) do S[{nz:get(k, 1) + 1, nz:get(k, 2) + 1}] = nz:get(k, 3) end
  return S
end

describe("btn_dense", function()
  local S = spikes()

  it("sums lagged self-products as numpy does (counts and binary)", function()
    for _, mode in ipairs({"counts", "binary"}) do
      local a = dense.binned_temporal_autocorr(S, 201, mode == "binary")
      assert.same({24, 201}, a:shape())
      assert.equal(0, testutil.maxabs(a, fx("acorr_" .. mode)))   -- integer sums: exact
    end
    -- real values, a zero column, more lags than rows: a plain loop
    local F = fx("float_in")
    local a = dense.binned_temporal_autocorr(F, 10)
    local T, N = F:shape(1), F:shape(2)
    for i = 1, N do
      for l = 0, 9 do
        local s = 0
        for t = 1, T - l do s = s + F:get(t, i) * F:get(t + l, i) end
        assert.is_true(math.abs(a:get(i, l + 1) - s) < 1e-12)
      end
    end
    assert.is_true(rel(a, fx("float_acorr")) < 1e-14)
  end)

  it("normalises, smooths, measures and clusters as the reference", function()
    for _, mode in ipairs({"counts", "binary"}) do
      local acorr = fx("acorr_" .. mode)
      local labels, it = dense.cluster_tomato_from_acorr(acorr, {smooth_sigma = 2.0, nbs = 10, n_clusters = 3})
      assert.is_true(rel(it.acorr_norm, fx("norm_" .. mode)) < 1e-12)
      assert.is_true(rel(it.acorr_smooth, fx("smooth_" .. mode)) < 1e-12)
      assert.is_true(testutil.maxabs(it.distance_matrix, fx("dist_" .. mode)) < 1e-12)
      assert.equal(0, testutil.maxabs(it.knn_indices - 1, fx("knn_" .. mode)))   -- ours 1-based
      assert.is_true(rel(it.density_weights, fx("weights_" .. mode)) < 1e-12)
      -- ToMATo (tested against gudhi in cellc_btn_spec) on the reference graph
      local ref = canns.core.btn.tomato(fx("knn_" .. mode) + 1, fx("weights_" .. mode), 3)
      assert.equal(0, testutil.maxabs(labels, ref))
      assert.equal(24, labels:size())
    end
  end)

  it("runs the whole mode: lags, bin times, a BTNResult that finds the three kinds", function()
    local r = dense.classify_btn_dense(S, {n_clusters = 3, nbs = 10, maxt = 0.2, res = 1e-3, binary = true,
                                           mapping = {[0] = "x"}})
    assert.same({24, 201}, r.intermediates.acorr:shape())
    local bt = r.intermediates.bin_times
    assert.equal(202, bt:size())
    assert.equal(0, bt:get(1)); assert.equal(0.2, bt:get(202))
    assert.is_true(math.abs(bt:get(2) - 0.2 / 201) < 1e-15)
    assert.equal(0, testutil.maxabs(r.intermediates.acorr, fx("acorr_binary")))
    assert.equal(24, r.cluster_sizes:sum())
    assert.equal("BTNResult", getmetatable(r).__name)
    assert.equal(24, #r.btn_labels)
    -- the fixture's columns cycle bursty, theta, Poisson: one kind per cluster
    local lab = r.labels:totable()
    local agree = 0
    for kind = 0, 2 do
      local counts = {}
      for i = kind + 1, 24, 3 do counts[lab[i]] = (counts[lab[i]] or 0) + 1 end
      local best = 0
      for _, c in pairs(counts) do best = math.max(best, c) end
      agree = agree + best
    end
    assert.is_true(agree >= 20, "cells in their kind's majority cluster: " .. agree)
    -- maxt / res below one lag still gives two, as upstream
    assert.same({24, 2}, dense.classify_btn_dense(S, {maxt = 1e-4, nbs = 5}).intermediates.acorr:shape())
  end)

  it("refuses bad input", function()
    testutil.fails_with("binned_temporal_autocorr: argument 1 (spikes) must be a (T, N) matrix",
                        dense.binned_temporal_autocorr, canns.zeros({5}), 3)
    testutil.fails_with("argument 2 (max_lag_bins) must be >= 1, got 0", dense.binned_temporal_autocorr, S, 0)
    testutil.fails_with("option 'smooth_sigma' must be > 0", dense.cluster_tomato_from_acorr, fx("acorr_counts"),
                        {smooth_sigma = 0})
    testutil.fails_with("option 'n_clusters' must be >= 1, got 0", dense.cluster_tomato_from_acorr,
                        fx("acorr_counts"), {n_clusters = 0})
    testutil.fails_with("classify_btn_dense: option 'res' must be > 0", dense.classify_btn_dense, S, {res = -1})
    testutil.fails_with("classify_btn_dense: unknown option 'dense_binary'", dense.classify_btn_dense, S,
                        {dense_binary = true})
    testutil.fails_with("argument 1 (spikes) must not be empty", dense.classify_btn_dense, canns.zeros({0, 3}))
  end)
end)
