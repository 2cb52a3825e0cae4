-- canns.analyzer.workflows against canns 1.5.0 on the same inputs
-- (scripts/fixtures/make_workflows_fixtures.py): the torus and shuffle
-- topology summaries of given diagrams (1e-12), scipy's pearsonr and
-- spearmanr (r to 1e-12, p to 1e-9 relative), the workflow's grid scores of
-- a synthetic session (1e-6, NaN where upstream's are), the phase-centre
-- comparison by cell ids (indices exact, displacement norms 1e-9); the
-- auto-threshold sweep on a synthetic grid session (its selection rule
-- re-derived from its own sweep); bad input.
local canns = require "canns"
local core = require "canns.core"
local wf = canns.analyzer.workflows
local agt = require "canns.analyzer.workflows.auto_grid_threshold"

local function L(n) return canns.load(testutil.fixture("workflows/" .. n .. ".npy")) end
local function close(a, b, tol)
  if b ~= b then return a ~= a end
  return math.abs(a - b) <= tol * math.max(1, math.abs(b))
end

describe("analysis workflows", function()
  local dir
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)
  local pr = {persistence = {dgms = {L("dgm0"), L("dgm1"), L("dgm2")}},
              shuffle_max = {{}, L("shuffle1"):totable(), L("shuffle2"):totable()}}

  it("summarises torus-likeness as upstream", function()
    local keys = {"topology_score", "h1_top1", "h1_top2", "h1_top3", "h2_top1", "h2_top2", "h1_prominence_ratio",
                  "h2_prominence_ratio", "h1_strength", "h2_strength", "valid", "h1_valid", "h2_valid"}
    local ref = L("torus_summary"):totable()
    for m, mode in ipairs({"h1", "h1h2"}) do
      local t = wf.summarize_torus_topology(pr, {mode = mode})
      for i, k in ipairs(keys) do
        local v = t[k]
        if type(v) == "boolean" then v = v and 1 or 0 end
        assert.is_true(close(v, ref[m][i], 1e-12), ("%s %s: %s vs %s"):format(mode, k, tostring(v), ref[m][i]))
      end
    end
    local s = wf.summarize_torus_topology(pr)
    assert.equal(2, #s.h0_lifetimes) -- the infinite H0 bar is left out
  end)

  it("summarises against the null model as upstream", function()
    local keys = {"topology_score", "h1_primary_threshold", "h1_secondary_threshold", "h2_primary_threshold",
                  "h1_top1_ratio", "h1_top2_ratio", "h2_top1_ratio", "valid", "h1_valid", "h2_valid"}
    local ref = L("shuffle_summary"):totable()
    for m, mode in ipairs({"h1", "h1h2"}) do
      local t = wf.summarize_shuffle_topology(pr, {mode = mode})
      for i, k in ipairs(keys) do
        local v = t[k]
        if type(v) == "boolean" then v = v and 1 or 0 end
        assert.is_true(close(v, ref[m][i], 1e-12), ("%s %s: %s vs %s"):format(mode, k, tostring(v), ref[m][i]))
      end
    end
    -- without null data the ratios are NaN and nothing is valid
    local t = wf.summarize_shuffle_topology({persistence = pr.persistence})
    assert.is_true(t.h1_top1_ratio ~= t.h1_top1_ratio and not t.valid and t.topology_score == 0)
  end)

  it("tests correlations as scipy does", function()
    local xy, ref = L("corr_xy"):totable(), L("corr"):totable()
    for c, x in ipairs({xy[1], xy[3]}) do
      local r, p = core.pearsonr(x, xy[2])
      local rs, ps = core.spearmanr(x, xy[2])
      assert.is_true(close(r, ref[c][1], 1e-12) and close(p, ref[c][2], 1e-9), ("pearson %g %g"):format(r, p))
      assert.is_true(close(rs, ref[c][3], 1e-12) and close(ps, ref[c][4], 1e-9), ("spearman %g %g"):format(rs, ps))
    end
    local r, p = core.pearsonr({1, 2, 3}, {5, 5, 5})
    assert.is_true(r ~= r and p ~= p)
    testutil.fails_with("needs at least 3 pairs", core.pearsonr, {1, 2}, {1, 2})
    testutil.fails_with("same number of values", core.spearmanr, {1, 2, 3}, {1, 2})
  end)

  it("scores grid cells as the workflow does", function()
    local pos, S = L("grid_pos"), L("grid_spikes")
    local x, y = pos:slice(2, {1, 1}):reshape({pos:shape(1)}), pos:slice(2, {2, 2}):reshape({pos:shape(1)})
    local got = agt._grid_scores(x, y, S:astype("float64"), 50, 0.8)
    local ref = L("grid_scores"):totable()
    for i = 1, #ref do
      assert.is_true(close(got[i], ref[i], 1e-6), ("neuron %d: %s vs %s"):format(i, tostring(got[i]), ref[i]))
    end
  end)

  it("compares phase centres matched by cell id as upstream", function()
    local act = L("pc_act")
    local K = act:shape(1)
    local times = {}
    for i = 1, K do times[i] = i end
    local tb = canns.array(times, "int64")
    local res = wf.compare_phase_centers_workflow({coordsbox = L("pc_coords_a"), times_box = tb}, {spike = act},
      {coordsbox = L("pc_coords_b"), times_box = tb}, {spike = act},
      {bins = 21, cell_ids_a = {10, 11, 12, 13, 14}, cell_ids_b = {14, 12, 99, 10, 7},
       save_plot_path = dir .. "/pc.png", save_npz_path = dir .. "/pc.npz"})
    local idx = L("pc_idx"):totable()
    for k = 1, #idx[1] do
      assert.equal(idx[1][k] + 1, res.indices_a[k])
      assert.equal(idx[2][k] + 1, res.indices_b[k])
    end
    local n = L("pc_norm"):totable()
    for k = 1, #n do assert.is_true(close(res.displacement_norm[k], n[k], 1e-9)) end
    assert.is_true(math.abs(res.mean_displacement_norm - (n[1] + n[2] + n[3]) / 3) < 1e-9)
    assert.truthy(io.open(dir .. "/pc.png", "rb"))
    assert.truthy(canns.io.load_npz(dir .. "/pc.npz").displacement_norm)
    testutil.fails_with("give both cell_ids_a and cell_ids_b", wf.compare_phase_centers_workflow,
      {coordsbox = L("pc_coords_a"), times_box = tb}, {spike = act}, {coordsbox = L("pc_coords_b"), times_box = tb},
      {spike = act}, {cell_ids_a = {1, 2, 3, 4, 5}})
    testutil.fails_with("duplicate cell ids", wf.compare_phase_centers_workflow,
      {coordsbox = L("pc_coords_a"), times_box = tb}, {spike = act}, {coordsbox = L("pc_coords_b"), times_box = tb},
      {spike = act}, {cell_ids_a = {1, 1, 3, 4, 5}, cell_ids_b = {1, 2, 3, 4, 5}})
    testutil.fails_with("has no 'rates' entry", wf.compare_phase_centers_workflow,
      {coordsbox = L("pc_coords_a"), times_box = tb}, {spike = act}, {coordsbox = L("pc_coords_b"), times_box = tb},
      {spike = act}, {spike_key = "rates"})
  end)

  it("sweeps the grid-score threshold and picks by its rule", function()
    local asa = canns.analyzer.data.asa
    local data = asa.synthetic_grid_session{T = 12000, n_side = 6, seed = 3}
    local res = wf.analyze_auto_grid_threshold(data, {
      embed_config = {smooth = true, speed_filter = false}, min_topk = 20, topk_step = 8, min_corr_neurons = 5,
      tda_config = {maxdim = 1, n_points = 200, active_times = 2000, k = 300, nbs = 200, show = false,
                    progress_bar = false}})
    local n = res.grid_scores_all:size()
    assert.equal(36, n)
    assert.same({20, 28, 36}, res.topk_values:totable())
    -- sorted descending by score
    local ids, sc = res.sorted_neuron_ids:totable(), res.grid_scores_all:totable()
    for i = 2, #ids do assert.is_true(sc[ids[i - 1]] >= sc[ids[i]]) end
    -- the best is the valid k with the most negative Pearson r
    local best
    for _, c in ipairs(res.sweep_results) do
      assert.truthy(c.status == "valid" or c.status == "invalid" or c.status == "failed")
      assert.equal(c.topk, #c.neuron_ids)
      if c.status == "valid" and (not best or -c.correlation.pearson_r > -best.correlation.pearson_r) then best = c end
    end
    if best then assert.equal(best.topk, res.best_result.topk) else assert.is_nil(res.best_result) end
    testutil.fails_with("unknown option", wf.analyze_auto_grid_threshold, data, {min_top_k = 3})
    testutil.fails_with("topology_mode", wf.analyze_auto_grid_threshold, data, {topology_mode = "h3"})
  end)

  it("refuses bad persistence results", function()
    testutil.fails_with("persistence.dgms", wf.summarize_torus_topology, {})
    testutil.fails_with("mode", wf.summarize_torus_topology, pr, {mode = "h2"})
    testutil.fails_with("h1_primary_percentile", wf.summarize_shuffle_topology, pr, {h1_primary_percentile = 120})
  end)
end)
