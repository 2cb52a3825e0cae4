-- BTN classification (BTNAnalyzer, BTNConfig, BTNResult) against upstream
-- canns 1.5.0 with gudhi's ToMATo on the same 36 spike trains
-- (scripts/fixtures/make_cellc_btn_fixtures.py; labels and integer
-- counts identical, real numbers to 1e-10), the science check (the
-- project's synthetic bursty / theta / Poisson cells are recovered), the
-- ToMATo kernel on a worked example, thread-count independence, the
-- figures, and bad input.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local D = "cellc/btn/"
local function fx(n) return canns.load(testutil.fixture(D .. n .. ".npy")) end

local function fixture_data()
  local sp, off = fx("spikes"):astype("float64"):totable(), fx("offsets"):totable()
  local trains = {}
  for i = 1, #off - 1 do
    local t = {}
    for k = off[i] + 1, off[i + 1] do t[#t + 1] = sp[k] end
    trains[i] = t
  end
  return {spike = trains, t = canns.linspace(0, 60, 2001, {dtype = "float64"})}
end

local function maxdiff(a, b)
  return testutil.maxabs(canns.array(a, "float64"), canns.array(b, "float64"))
end

local function same_ints(a, b)
  local x = canns.array(a, "int64"):reshape({-1}):totable()
  local y = canns.array(b, "int64"):reshape({-1}):totable()
  assert.are.equal(#y, #x)
  for i = 1, #x do assert.are.equal(y[i], x[i]) end
end

describe("BTNConfig", function()
  it("has upstream's defaults", function()
    local c = cc.BTNConfig()
    assert.are.equal(0.2, c.maxt)
    assert.are.equal(1e-3, c.res)
    assert.are.equal(4.0, c.smooth_sigma)
    assert.are.equal(80, c.nbs)
    assert.are.equal(4, c.n_clusters)
    assert.are.equal("cosine", c.metric)
    assert.is_true(c.b_one)
    assert.is_false(c.b_log)
    assert.is_nil(cc.BTNConfig{n_clusters = false}.n_clusters)
    assert.are.equal(0.1, cc.BTNConfig(0.1).maxt)
    assert.is_truthy(tostring(c):find("BTNConfig", 1, true))
  end)

  it("rejects bad fields naming them", function()
    testutil.fails_with("BTNConfig: option 'maxt'", cc.BTNConfig, {maxt = -1})
    testutil.fails_with("BTNConfig: option 'res'", cc.BTNConfig, {res = 0})
    testutil.fails_with("BTNConfig: option 'res'", cc.BTNConfig, {res = 1e-12})
    testutil.fails_with("BTNConfig: option 'smooth_sigma'", cc.BTNConfig, {smooth_sigma = 0 / 0})
    testutil.fails_with("BTNConfig: option 'nbs'", cc.BTNConfig, {nbs = 0})
    testutil.fails_with("BTNConfig: option 'n_clusters'", cc.BTNConfig, {n_clusters = 1.5})
    testutil.fails_with("BTNConfig: option 'metric' must be 'cosine'", cc.BTNConfig, {metric = "euclidean"})
    testutil.fails_with("BTNConfig: option 'b_log'", cc.BTNConfig, {b_log = "yes"})
    testutil.fails_with("BTNConfig", cc.BTNConfig, {maxtt = 1})
    testutil.fails_with("BTNAnalyzer: argument 1 (config)", cc.BTNAnalyzer, 3)
  end)
end)

describe("BTNAnalyzer:classify_btn against upstream", function()
  local data = fixture_data()

  it("default configuration: every intermediate and the labels", function()
    local r = cc.BTNAnalyzer():classify_btn(data, {return_intermediates = true})
    local I = r.intermediates
    same_ints(I.acorr, fx("default_acorr"))
    assert.are.equal("36x200", table.concat(I.acorr:shape(), "x"))
    assert.is_true(maxdiff(I.bin_times, fx("default_bins")) == 0)
    assert.is_true(maxdiff(I.acorr_smooth, fx("default_smooth")) < 1e-12)
    assert.is_true(maxdiff(I.distance_matrix, fx("default_dist")) < 1e-12)
    same_ints(I.knn_indices - 1, fx("default_knn")) -- 1-based in Lua
    assert.is_true(maxdiff(I.density_weights, fx("default_weights")) < 1e-10)
    same_ints(r.labels, fx("default_labels"))
    same_ints(r.cluster_sizes, fx("default_sizes"))
    assert.are.equal(4, r.n_clusters) -- the configured value, as upstream
    assert.is_nil(r.btn_labels)
    -- the normalised curves: counts / zero-lag count, first column 0
    local a, n = I.acorr:totable(), I.acorr_norm:totable()
    for i = 1, 36 do
      assert.are.equal(0, n[i][1])
      assert.is_true(math.abs(n[i][7] - a[i][7] / a[i][1]) < 1e-15)
    end
  end)

  for _, v in ipairs({
    {"three", {n_clusters = 3, nbs = 8}},
    {"all", {n_clusters = false, nbs = 3}},
    {"merge", {n_clusters = 2, nbs = 5, smooth_sigma = 2.0}},
    {"twosided", {b_one = false, n_clusters = 3, nbs = 8, smooth_sigma = 2.0}},
    {"log", {b_log = true, n_clusters = 3, nbs = 8}},
  }) do
    it("configuration '" .. v[1] .. "': labels, densities, counts and n_clusters", function()
      local r = cc.BTNAnalyzer(v[2]):classify_btn(data, {return_intermediates = true})
      same_ints(r.labels, fx(v[1] .. "_labels"))
      assert.is_true(maxdiff(r.intermediates.density_weights, fx(v[1] .. "_weights")) < 1e-10)
      same_ints(r.intermediates.acorr:sum(2), fx(v[1] .. "_acorr_sum"))
      assert.are.equal(fx(v[1] .. "_n_clusters")[1], r.n_clusters)
    end)
  end

  it("maps cluster ids to names and accepts maps and 2-D arrays of trains", function()
    local an = cc.BTNAnalyzer{n_clusters = 3, nbs = 8}
    local r = an:classify_btn(data, {mapping = {[0] = "B", [1] = "T"}})
    local lab = r.labels:totable()
    for i, l in ipairs(lab) do
      assert.are.equal(l == 0 and "B" or l == 1 and "T" or "unknown", r.btn_labels[i])
    end
    local byname = {}
    for i, s in ipairs(data.spike) do byname[string.format("cell%02d", i)] = s end
    same_ints(an:classify_btn({spike = byname, t = data.t}).labels, r.labels)
    -- spikes outside [min(t), max(t)) are dropped
    local short = an:classify_btn({spike = data.spike, t = {0, 30}}, {return_intermediates = true})
    local full = an:classify_btn(data, {return_intermediates = true})
    assert.is_true(short.intermediates.acorr:sum() < full.intermediates.acorr:sum())
  end)

  it("gives the same numbers for 1 and 2 threads", function()
    local an = cc.BTNAnalyzer{n_clusters = 3, nbs = 8}
    local old = canns.num_threads()
    canns.set_num_threads(1)
    local a = an:classify_btn(data, {return_intermediates = true})
    canns.set_num_threads(2)
    local b = an:classify_btn(data, {return_intermediates = true})
    canns.set_num_threads(old)
    same_ints(a.labels, b.labels)
    assert.are.equal(0, maxdiff(a.intermediates.distance_matrix, b.intermediates.distance_matrix))
    assert.are.equal(0, maxdiff(a.intermediates.density_weights, b.intermediates.density_weights))
  end)
end)

describe("BTN science check", function()
  it("recovers the project's synthetic bursty, theta-modulated and Poisson cells", function()
    local an = cc.BTNAnalyzer(cc.BTNConfig{n_clusters = 3, nbs = 8})
    local correct, total = 0, 0
    for seed = 1, 4 do
      local d = cc.synthetic_btn_spike_trains{seed = seed}
      local r = an:classify_btn(d, {return_intermediates = true})
      local count = {}
      for i, l in ipairs(r.labels:totable()) do
        count[l] = count[l] or {B = 0, T = 0, N = 0}
        count[l][d.truth[i]] = count[l][d.truth[i]] + 1
      end
      -- each cluster's majority class is distinct and the majority holds
      local used = {}
      for l = 0, 2 do
        local best, bk = -1, nil
        for k, v in pairs(count[l]) do if v > best then best, bk = v, k end end
        assert.is_nil(used[bk])
        used[bk] = true
        correct, total = correct + best, total + (count[l].B + count[l].T + count[l].N)
        if seed == 1 then assert.are.equal(20, best) end -- seed 1: every cell right
      end
      -- the bursty cluster's mean curve peaks below 10 ms, the theta
      -- cluster's has its second peak near 125 ms (8 Hz)
      local sm = r.intermediates.acorr_smooth:totable()
      for l = 0, 2 do
        local k
        for kk, v in pairs(count[l]) do if v == math.max(count[l].B, count[l].T, count[l].N) then k = kk end end
        local mean = {}
        local nl = 0
        for i, li in ipairs(r.labels:totable()) do
          if li == l then
            nl = nl + 1
            for j = 1, 200 do mean[j] = (mean[j] or 0) + sm[i][j] end
          end
        end
        local arg, best = 0, -1
        for j = 1, 200 do if mean[j] > best then arg, best = j, mean[j] end end
        if k == "B" then assert.is_true(arg <= 10) end
        if k == "T" then
          local a2, b2 = 0, -1
          for j = 100, 150 do if mean[j] > b2 then a2, b2 = j, mean[j] end end
          assert.is_true(math.abs(a2 - 126) <= 8)
          assert.is_true(b2 > 1.5 * mean[63]) -- the trough at half a cycle
        end
      end
    end
    assert.is_true(correct / total >= 0.95)
  end)
end)

describe("ToMATo kernel", function()
  it("splits two density peaks and merges them on request", function()
    -- a path graph 1-2-3-4-5 with densities 5 1 0.5 2 6: peaks at 1 and 5
    local knn = canns.array({{2, 2}, {1, 3}, {2, 4}, {3, 5}, {4, 4}}, "int64")
    local w = canns.array({5, 1, 0.5, 2, 6}, "float64")
    local lab, leaves = canns.core.btn.tomato(knn, w, 99)
    assert.are.equal(2, leaves)
    -- raw clusters in decreasing density: point 5 first (cluster 0)
    same_ints(lab, {1, 1, 0, 0, 0})
    lab = canns.core.btn.tomato(knn, w, 1)
    same_ints(lab, {0, 0, 0, 0, 0})
  end)
end)

describe("BTN figures", function()
  local tmp
  before_each(function() tmp = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(tmp) end)

  it("plot_btn_distance_matrix orders neurons by cluster (B, T, N first) and saves", function()
    local d = cc.synthetic_btn_spike_trains{seed = 1, n_per_class = 6, duration = 30}
    local r = cc.BTNAnalyzer{n_clusters = 3, nbs = 4}:classify_btn(d, {return_intermediates = true})
    local mapping = {[0] = "N", [1] = "bursty", [2] = "T"}
    local p = tmp .. "/dist.png"
    local fig, ax, order = cc.plot_btn_distance_matrix{dist = r.intermediates.distance_matrix, labels = r.labels,
                                                       mapping = mapping, save_path = p, show = false}
    assert.is_true(testutil.exists(p))
    assert.is_truthy(fig and ax)
    local lab = r.labels:totable()
    local rank = {[1] = 0, [2] = 1, [0] = 2} -- B (id 1), T (id 2), N (id 0)
    assert.are.equal(#lab, #order)
    for i = 2, #order do assert.is_true(rank[lab[order[i - 1]]] <= rank[lab[order[i]]]) end
    -- unsorted: the identity
    local _, _, o2 = cc.plot_btn_distance_matrix{dist = r.intermediates.distance_matrix, labels = r.labels,
                                                 sort_by_label = false, show = false}
    for i = 1, #o2 do assert.are.equal(i, o2[i]) end
  end)

  it("plot_btn_autocorr_summary draws one and two panels", function()
    local d = cc.synthetic_btn_spike_trains{seed = 2, n_per_class = 5, duration = 30}
    local r = cc.BTNAnalyzer{n_clusters = 3, nbs = 4}:classify_btn(d, {return_intermediates = true})
    local p = tmp .. "/ac.png"
    local fig = cc.plot_btn_autocorr_summary{acorr = r.intermediates.acorr, labels = r.labels,
                                             bin_times = r.intermediates.bin_times,
                                             mapping = {[0] = "B", [1] = "T", [2] = "N"}, smooth_sigma = 2,
                                             save_path = p, show = false}
    assert.is_truthy(fig)
    assert.is_true(testutil.exists(p))
    local p2 = tmp .. "/ac2.png"
    for _, mode in ipairs({"peak", "first", "none"}) do
      cc.plot_btn_autocorr_summary{acorr = r.intermediates.acorr, labels = r.labels, res = 1e-3, normalize = mode,
                                   short_max_ms = 20, save_path = p2, show = false}
    end
    assert.is_true(testutil.exists(p2))
  end)

  it("rejects bad figure arguments naming them", function()
    testutil.fails_with("plot_btn_distance_matrix: option 'dist'", cc.plot_btn_distance_matrix,
                        {labels = {0, 1}, show = false})
    testutil.fails_with("plot_btn_distance_matrix: option 'labels'", cc.plot_btn_distance_matrix,
                        {dist = {{0, 1}, {1, 0}}, labels = {0, 1, 2}, show = false})
    testutil.fails_with("plot_btn_autocorr_summary: option 'normalize'", cc.plot_btn_autocorr_summary,
                        {acorr = {{1, 2}, {3, 4}}, labels = {0, 1}, res = 1e-3, normalize = "max", show = false})
    testutil.fails_with("plot_btn_autocorr_summary: provide bin_times or res", cc.plot_btn_autocorr_summary,
                        {acorr = {{1, 2}, {3, 4}}, labels = {0, 1}, show = false})
    testutil.fails_with("plot_btn_autocorr_summary: option 'labels'", cc.plot_btn_autocorr_summary,
                        {acorr = {{1, 2}, {3, 4}}, labels = {0}, res = 1e-3, show = false})
    testutil.fails_with("plot_btn_autocorr_summary: unknown option 'colourz'", cc.plot_btn_autocorr_summary,
                        {acorr = {{1, 2}}, labels = {0}, res = 1e-3, colourz = {}, show = false})
  end)
end)

describe("classify_btn bad input", function()
  local an = cc.BTNAnalyzer()
  it("names spike_data and its fields", function()
    testutil.fails_with("classify_btn: argument 1 (spike_data) must be a table with fields 'spike' and 't'",
                        an.classify_btn, an, {spike = {{0.1}}})
    testutil.fails_with("argument 1 (spike_data)", an.classify_btn, an, 5)
    testutil.fails_with("argument 1 (spike_data.t)", an.classify_btn, an, {spike = {{0.1}}, t = {}})
    testutil.fails_with("argument 1 (spike_data.t) must not contain NaN", an.classify_btn, an,
                        {spike = {{0.1}}, t = {0, 0 / 0}})
    testutil.fails_with("binned spike matrix", an.classify_btn, an,
                        {spike = canns.zeros({5, 3}), t = {0, 1, 2, 3, 4}})
    testutil.fails_with("argument 1 (spike_data.spike) must hold at least one neuron", an.classify_btn, an,
                        {spike = {}, t = {0, 1}})
    testutil.fails_with("spike train 2", an.classify_btn, an, {spike = {{0.1}, "x"}, t = {0, 1}})
    testutil.fails_with("spike train 1 has a non-number at 2", an.classify_btn, an,
                        {spike = {{0.1, "a"}}, t = {0, 1}})
    testutil.fails_with("classify_btn: option 'mapping'", an.classify_btn, an, {spike = {{0.1}}, t = {0, 1}},
                        {mapping = {B = 0}})
    testutil.fails_with("classify_btn: option 'plot_diagram' is not built", an.classify_btn, an,
                        {spike = {{0.1}}, t = {0, 1}}, {plot_diagram = true})
    testutil.fails_with("classify_btn: unknown option 'returnintermediates'", an.classify_btn, an,
                        {spike = {{0.1}}, t = {0, 1}}, {returnintermediates = true})
    testutil.fails_with("classify_btn: argument 1 (self)", an.classify_btn, {}, {spike = {{0.1}}, t = {0, 1}})
  end)

  it("handles one neuron and silent neurons as upstream's arithmetic does", function()
    local r = an:classify_btn({spike = {{0.1, 0.105, 0.3}}, t = {0, 1}}, {return_intermediates = true})
    same_ints(r.labels, {0})
    assert.are.equal("1x1", table.concat(r.intermediates.knn_indices:shape(), "x"))
  end)
end)
