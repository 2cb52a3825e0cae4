--- The automatic grid-score threshold workflow (upstream
-- `canns.analyzer.workflows.auto_grid_threshold`): torus-likeness of a
-- persistence result (`summarize_torus_topology`), against the null model
-- (`summarize_shuffle_topology`), and the sweep over the top-k neurons
-- by grid score (`analyze_auto_grid_threshold`).
-- @module canns.analyzer.workflows.auto_grid_threshold

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

-- finite, positive death - birth of a diagram, sorted descending
local function lifetimes(dg)
  local out = {}
  if dg == nil then return out end
  local rows = core.isarray(dg) and (dg:size() > 0 and dg:astype("float64"):totable() or {}) or dg
  for _, r in ipairs(rows) do
    local b, d = r[1], r[2]
    if b == b and d == d and b ~= math.huge and d ~= math.huge and b ~= -math.huge then
      local l = d - b
      if l == l and l > 0 and l ~= math.huge then out[#out + 1] = l end
    end
  end
  table.sort(out, function(a, c) return a > c end)
  return out
end

local function at(t, i) return t[i] or 0.0 end

local function mode_of(mode, F)
  return A.string(mode, F, "mode", nil, {default = "h1h2", choices = {"h1", "h1h2"}})
end

local function diagrams(result, F)
  A.table(result, F, 1, "persistence_result")
  local ph = result.persistence
  if type(ph) ~= "table" or type(ph.dgms) ~= "table" then
    A.fail(F, 1, "persistence_result", "must have persistence.dgms (a tda_vis result)")
  end
  return ph.dgms
end

--- Whether a persistence result looks like a torus (upstream
-- `summarize_torus_topology`): the finite lifetimes of H0, H1, H2
-- (descending; missing bars count as 0), h1 ratio = 2nd / max(3rd, 1e-8)
-- H1 bar, h2 ratio = 1st / max(2nd, 1e-8) H2 bar, h1 strength = mean of
-- the two longest H1 bars, h2 strength = the longest H2 bar, and
-- topology_score = h1 + h2 strength + 0.1 ln(1 + h1 ratio) + 0.1 ln(1 + h2 ratio).
-- @param persistence_result a `tda_vis` result
-- @tparam[opt] table opts `mode` ("h1h2" or "h1"), `min_h1_prominence_ratio` (1.2),
--   `min_h2_prominence_ratio` (1.2), `min_h1_strength` (0.05), `min_h2_strength` (0.03)
-- @treturn table `valid`, `h1_valid`, `h2_valid`, `topology_score`, lifetimes and the statistics
function M.summarize_torus_topology(persistence_result, opts)
  local F = "summarize_torus_topology"
  opts = A.options(opts, F, {"mode", "min_h1_prominence_ratio", "min_h2_prominence_ratio",
                             "min_h1_strength", "min_h2_strength"})
  local dgms = diagrams(persistence_result, F)
  local mode = mode_of(opts.mode, F)
  local r1 = A.number(opts.min_h1_prominence_ratio, F, "min_h1_prominence_ratio", nil, {default = 1.2})
  local r2 = A.number(opts.min_h2_prominence_ratio, F, "min_h2_prominence_ratio", nil, {default = 1.2})
  local s1 = A.number(opts.min_h1_strength, F, "min_h1_strength", nil, {default = 0.05})
  local s2 = A.number(opts.min_h2_strength, F, "min_h2_strength", nil, {default = 0.03})
  local h0, h1, h2 = lifetimes(dgms[1]), lifetimes(dgms[2]), lifetimes(dgms[3])
  local h1r = at(h1, 2) / math.max(at(h1, 3), 1e-8)
  local h2r = at(h2, 1) / math.max(at(h2, 2), 1e-8)
  local h1s, h2s = 0.5 * (at(h1, 1) + at(h1, 2)), at(h2, 1)
  local h1v = #h1 >= 2 and at(h1, 2) >= s1 and h1r >= r1
  local h2v = #h2 >= 1 and at(h2, 1) >= s2 and h2r >= r2
  return {
    mode = mode, valid = mode == "h1" and h1v or (h1v and h2v), h1_valid = h1v, h2_valid = h2v,
    topology_score = h1s + h2s + 0.1 * math.log(1 + h1r) + 0.1 * math.log(1 + h2r),
    h0_lifetimes = h0, h1_lifetimes = h1, h2_lifetimes = h2,
    h1_top1 = at(h1, 1), h1_top2 = at(h1, 2), h1_top3 = at(h1, 3), h2_top1 = at(h2, 1), h2_top2 = at(h2, 2),
    h1_prominence_ratio = h1r, h2_prominence_ratio = h2r, h1_strength = h1s, h2_strength = h2s,
  }
end

-- numpy.percentile (linear interpolation) of a sorted list
local function percentile(s, q)
  if #s == 0 then return 0 / 0 end
  local pos = (#s - 1) * q / 100
  local lo = math.floor(pos)
  local f = pos - lo
  if lo + 1 >= #s then return s[#s] end
  return s[lo + 1] + (s[lo + 2] - s[lo + 1]) * f
end

local function finite_sorted(list)
  local out = {}
  for _, v in ipairs(list or {}) do
    if v == v and v ~= math.huge and v ~= -math.huge then out[#out + 1] = v end
  end
  table.sort(out)
  return out
end

--- Torus-likeness against the null model (upstream
-- `summarize_shuffle_topology`): the thresholds are percentiles of the
-- finite shuffle maxima of H1 and H2 (`shuffle_max`); the longest H1 bar
-- against the primary, the second against the secondary threshold, the
-- longest H2 bar against its threshold; ratios are bar / max(threshold,
-- 1e-8) (NaN without null data); score = H1 ratios + 0.5 H2 ratio (NaN as 0).
-- @param persistence_result a `tda_vis` result with `do_shuffle`
-- @tparam[opt] table opts `mode` ("h1"), `h1_primary_percentile` (99),
--   `h1_secondary_percentile` (95), `h2_primary_percentile` (95),
--   `min_h1_primary_ratio`, `min_h1_secondary_ratio`, `min_h2_primary_ratio` (1.0 each)
function M.summarize_shuffle_topology(persistence_result, opts)
  local F = "summarize_shuffle_topology"
  opts = A.options(opts, F, {"mode", "h1_primary_percentile", "h1_secondary_percentile", "h2_primary_percentile",
                             "min_h1_primary_ratio", "min_h1_secondary_ratio", "min_h2_primary_ratio"})
  local mode = A.string(opts.mode, F, "mode", nil, {default = "h1", choices = {"h1", "h1h2"}})
  local function pct(k, d) return A.number(opts[k], F, k, nil, {default = d, min = 0, max = 100}) end
  local q1, q2, q3 = pct("h1_primary_percentile", 99), pct("h1_secondary_percentile", 95),
                     pct("h2_primary_percentile", 95)
  local m1 = A.number(opts.min_h1_primary_ratio, F, "min_h1_primary_ratio", nil, {default = 1.0})
  local m2 = A.number(opts.min_h1_secondary_ratio, F, "min_h1_secondary_ratio", nil, {default = 1.0})
  local m3 = A.number(opts.min_h2_primary_ratio, F, "min_h2_primary_ratio", nil, {default = 1.0})
  local topo = M.summarize_torus_topology(persistence_result, {mode = mode})
  local sm = persistence_result.shuffle_max or {}
  local n1, n2 = finite_sorted(sm[2]), finite_sorted(sm[3])
  local t1, t2, t3 = percentile(n1, q1), percentile(n1, q2), percentile(n2, q3)
  local function ratio(v, t) return t == t and v / math.max(t, 1e-8) or 0 / 0 end
  local r1, r2, r3 = ratio(topo.h1_top1, t1), ratio(topo.h1_top2, t2), ratio(topo.h2_top1, t3)
  local h1v = #n1 > 0 and t1 == t1 and t2 == t2 and r1 >= m1 and r2 >= m2
  local h2v = #n2 > 0 and t3 == t3 and r3 >= m3
  local function z(v) return v == v and v or 0 end
  return {
    mode = mode, valid = mode == "h1" and h1v or (h1v and h2v), h1_valid = h1v, h2_valid = h2v,
    h1_null_count = #n1, h2_null_count = #n2,
    h1_primary_percentile = q1, h1_secondary_percentile = q2, h2_primary_percentile = q3,
    h1_primary_threshold = t1, h1_secondary_threshold = t2, h2_primary_threshold = t3,
    h1_top1_ratio = r1, h1_top2_ratio = r2, h2_top1_ratio = r3,
    topology_score = z(r1) + z(r2) + 0.5 * z(r3),
  }
end

-- upstream _compute_grid_scores: a bins x bins occupancy-normalised map per
-- neuron (positions min-max scaled, floor-binned, clipped), its
-- autocorrelogram and GridnessAnalyzer's score
local function grid_scores(x, y, S, bins, overlap)
  local cc = require "canns.analyzer.data.cell_classification"
  local function binned(v)
    local lo, hi = v:min(), v:max()
    local i = ((v - lo) / (hi - lo + 1e-12) * bins):floor():clip(0, bins - 1)
    return i + 0.5
  end
  local bx, by = binned(x), binned(y)
  local edges = {}
  for k = 0, bins do edges[k + 1] = k end
  edges = core.array(edges, "float64")
  local occ = core.cellc.histogram2d(bx, by, nil, edges, edges)
  local mask = occ:ge(1)
  local safe = core.where(mask, occ, 1.0)
  local N = S:shape(2)
  local maps = core.zeros({N, bins, bins}, "float64")
  local ST = S:transpose({2, 1}):copy()
  local rows = {}
  for n = 1, N do
    local w = ST:slice(1, n):reshape({S:shape(1)})
    local sp = core.cellc.histogram2d(bx, by, w, edges, edges)
    rows[n] = core.where(mask, sp / safe, 0.0)
  end
  local auto = {}
  for n = 1, N do auto[n] = cc.compute_2d_autocorrelation(rows[n], {overlap = overlap}) end
  local an = cc.GridnessAnalyzer{}
  local scores = {}
  for n = 1, N do scores[n] = an:compute_gridness_score(auto[n]).score end
  return scores
end

M._grid_scores = grid_scores -- for the tests

local function columns(S, ids)
  local idx = core.array(ids, "int64")
  return core.asa.take(S:transpose({2, 1}):copy(), idx):transpose({2, 1}):copy()
end

local function corr_summary(coho, grid)
  local x, y = {}, {}
  for i = 1, #grid do
    local c, g = coho[i], grid[i]
    if c == c and g == g and math.abs(c) ~= math.huge and math.abs(g) ~= math.huge then
      x[#x + 1], y[#y + 1] = c, g
    end
  end
  local out = {n = #x, pearson_r = 0 / 0, pearson_p = 0 / 0, spearman_r = 0 / 0, spearman_p = 0 / 0}
  if #x < 3 then return out end
  out.pearson_r, out.pearson_p = core.pearsonr(x, y)
  out.spearman_r, out.spearman_p = core.spearmanr(x, y)
  return out
end

local function key_of(c)
  local corr, topo = c.correlation or {}, c.topology or {}
  local pr = corr.pearson_r
  local obj = (pr and pr == pr) and -pr or -math.huge
  return {obj, topo.topology_score or -math.huge, c.topk or 0}
end

local function better(a, b) -- a ranks above b (upstream's max over the key tuple)
  for i = 1, 3 do
    if a[i] ~= b[i] then return a[i] > b[i] end
  end
  return false
end

local OPTS = {"embed_config", "tda_config", "use_precomputed_spikes", "top_percent", "topk_values", "min_topk",
              "max_topk", "topk_step", "grid_bins", "grid_overlap", "min_corr_neurons", "topology_mode",
              "min_h1_prominence_ratio", "min_h2_prominence_ratio", "min_h1_strength", "min_h2_strength",
              "use_shuffle_refinement", "shuffle_num_shuffles", "shuffle_shortlist_size",
              "shuffle_shortlist_neighbors", "shuffle_h1_primary_percentile", "shuffle_h1_secondary_percentile",
              "shuffle_h2_primary_percentile", "shuffle_min_h1_primary_ratio", "shuffle_min_h1_secondary_ratio",
              "shuffle_min_h2_primary_ratio"}

--- Sweep the grid-score threshold as "keep the top k neurons" (upstream
-- `analyze_auto_grid_threshold`): grid scores of every neuron (a
-- `grid_bins`^2 occupancy-normalised map, its autocorrelogram, gridness);
-- neurons with finite scores ranked descending; for each k from
-- `min_topk` to `max_topk` in steps of `topk_step` (the maximum always
-- included) or the explicit `topk_values`: TDA of the top-k columns, the
-- torus summary, a two-circle decoding, CohoScores and their Pearson and
-- Spearman correlation with the grid scores.  A k is valid when the
-- topology is and at least `min_corr_neurons` pairs correlate; the best
-- valid k has the most negative Pearson r (then the larger topology
-- score, then the larger k).  `use_shuffle_refinement` re-runs TDA with
-- the null model on the shortlist and re-picks by `summarize_shuffle_topology`.
-- A k whose analysis raises is kept with status "failed" and its error.
-- @tparam table asa_data the session (`spike`, `t`, `x`, `y`), or with
--   `use_precomputed_spikes` a dense `spike` (T, N) with `x`, `y`
-- @tparam[opt] table opts upstream's keyword arguments (see the source list `OPTS`)
-- @treturn table `grid_scores_all`, `sorted_neuron_ids` (1-based), `topk_values`,
--   `sweep_results`, `refined_results`, `best_result` and the configuration echo
function M.analyze_auto_grid_threshold(asa_data, opts)
  local F = "analyze_auto_grid_threshold"
  A.table(asa_data, F, 1, "asa_data")
  opts = A.options(opts, F, OPTS)
  local asa = require "canns.analyzer.data.asa"
  local mode = A.string(opts.topology_mode, F, "topology_mode", nil, {default = "h1", choices = {"h1", "h1h2"}})
  local embed_cfg = opts.embed_config and asa.SpikeEmbeddingConfig(opts.embed_config)
                    or asa.SpikeEmbeddingConfig{smooth = true, speed_filter = true, min_speed = 2.5}
  local tda_cfg
  if opts.tda_config == nil then
    tda_cfg = asa.TDAConfig{maxdim = mode == "h1" and 1 or 2, n_points = 1200, show = false, do_shuffle = false,
                            progress_bar = true}
  else
    local t = {}
    for k, v in pairs(opts.tda_config) do t[k] = v end
    if mode == "h1h2" and (t.maxdim or 1) < 2 then t.maxdim = 2 end
    tda_cfg = asa.TDAConfig(t)
  end
  local pre = A.boolean(opts.use_precomputed_spikes, F, "use_precomputed_spikes", nil, {default = false})
  local S, xx, yy
  if pre then
    S = A.array(asa_data.spike, F, 1, "asa_data.spike", {convert = true, ndim = 2}):astype("float64")
    xx = A.array(asa_data.x, F, 1, "asa_data.x", {convert = true}):astype("float64")
    yy = A.array(asa_data.y, F, 1, "asa_data.y", {convert = true}):astype("float64")
    xx, yy = xx:reshape({xx:size()}), yy:reshape({yy:size()})
    local m = math.min(S:shape(1), xx:size(), yy:size())
    S, xx, yy = S:slice(1, {1, m}):copy(), xx:slice(1, {1, m}):copy(), yy:slice(1, {1, m}):copy()
  else
    local E, x, y = asa.embed_spike_trains(asa_data, embed_cfg)
    S = E:astype("float64")
    xx = A.array(x, F, 1, "asa_data.x", {convert = true}):astype("float64")
    yy = A.array(y, F, 1, "asa_data.y", {convert = true}):astype("float64")
  end
  local bins = A.int(opts.grid_bins, F, "grid_bins", nil, {default = 50, min = 2, max = 4096})
  local overlap = A.number(opts.grid_overlap, F, "grid_overlap", nil, {default = 0.8, gt = 0, max = 1})
  local scores = grid_scores(xx, yy, S, bins, overlap)
  local order = {}
  for i, v in ipairs(scores) do if v == v and math.abs(v) ~= math.huge then order[#order + 1] = i end end
  if #order < 2 then A.error(F, "need at least 2 neurons with finite grid scores, got %d", #order) end
  table.sort(order, function(a, b)
    if scores[a] ~= scores[b] then return scores[a] > scores[b] end
    return a > b -- numpy's argsort reversed: among ties the later neuron first
  end)
  local n_total = #order
  local max_topk = opts.max_topk == nil and n_total
                   or math.min(A.int(opts.max_topk, F, "max_topk", nil, {min = 1}), n_total)
  local min_topk = math.max(2, math.min(A.int(opts.min_topk, F, "min_topk", nil, {default = 30}), max_topk))
  local step = math.max(1, A.int(opts.topk_step, F, "topk_step", nil, {default = 5}))
  local ks = {}
  if opts.topk_values == nil then
    for k = min_topk, max_topk, step do ks[#ks + 1] = k end
    if ks[#ks] ~= max_topk then ks[#ks + 1] = max_topk end
  else
    local seen = {}
    for _, k in ipairs(A.sequence(opts.topk_values, F, "topk_values")) do
      k = math.tointeger(k) or A.error(F, "topk_values must be integers, got %s", tostring(k))
      if k >= min_topk and k <= max_topk and not seen[k] then seen[k] = true; ks[#ks + 1] = k end
    end
    table.sort(ks)
    if #ks == 0 then
      A.error(F, "no top-k values to evaluate after filtering topk_values to [%d, %d]", min_topk, max_topk)
    end
  end
  local top_percent = opts.top_percent
  if top_percent == nil then top_percent = 2.0 end
  local min_corr = A.int(opts.min_corr_neurons, F, "min_corr_neurons", nil, {default = 15, min = 0})
  local topo_opts = {mode = mode, min_h1_prominence_ratio = opts.min_h1_prominence_ratio,
                     min_h2_prominence_ratio = opts.min_h2_prominence_ratio,
                     min_h1_strength = opts.min_h1_strength, min_h2_strength = opts.min_h2_strength}
  local sweep = {}
  for _, k in ipairs(ks) do
    local ids = {}
    for i = 1, k do ids[i] = order[i] end
    local gs = {}
    for i = 1, k do gs[i] = scores[ids[i]] end
    local c = {topk = k, grid_threshold = scores[ids[k]], neuron_ids = ids, grid_scores = gs, status = "pending"}
    local ok, err = pcall(function()
      local sub = columns(S, ids)
      local res = asa.tda_vis(sub, tda_cfg)
      local topo = M.summarize_torus_topology(res, topo_opts)
      c.topology = topo
      local dec = asa.decode_circular_coordinates_multi(res, sub, {num_circ = 2})
      local coho = asa.compute_cohoscore_scatter_2d(dec.coords, sub, top_percent, {times = dec.times})
      local corr = corr_summary(coho:totable(), gs)
      c.cohoscore, c.correlation = coho, corr
      c.status = (topo.valid and corr.n >= min_corr) and "valid" or "invalid"
      c.objective = c.status == "valid" and -corr.pearson_r or 0 / 0
      c.validation_stage = "coarse"
    end)
    if not ok then c.status, c.error = "failed", tostring(err) end
    sweep[#sweep + 1] = c
  end
  local function pick(list, keyf)
    local best, bk
    for _, c in ipairs(list) do
      if c.status == "valid" and c.objective == c.objective then
        local kk = keyf(c)
        if not best or better(kk, bk) then best, bk = c, kk end
      end
    end
    return best
  end
  local best = pick(sweep, key_of)
  local refined = {}
  local use_ref = A.boolean(opts.use_shuffle_refinement, F, "use_shuffle_refinement", nil, {default = false})
  local nshuf = A.int(opts.shuffle_num_shuffles, F, "shuffle_num_shuffles", nil, {default = 50, min = 1})
  local shortn = A.int(opts.shuffle_shortlist_size, F, "shuffle_shortlist_size", nil, {default = 5, min = 0})
  local neigh = A.int(opts.shuffle_shortlist_neighbors, F, "shuffle_shortlist_neighbors", nil, {default = 1, min = 0})
  local sh_opts = {mode = mode, h1_primary_percentile = opts.shuffle_h1_primary_percentile,
                   h1_secondary_percentile = opts.shuffle_h1_secondary_percentile,
                   h2_primary_percentile = opts.shuffle_h2_primary_percentile,
                   min_h1_primary_ratio = opts.shuffle_min_h1_primary_ratio,
                   min_h1_secondary_ratio = opts.shuffle_min_h1_secondary_ratio,
                   min_h2_primary_ratio = opts.shuffle_min_h2_primary_ratio}
  if use_ref and #sweep > 0 then
    local by_k = {}
    for _, c in ipairs(sweep) do by_k[c.topk] = c end
    local ranked = {}
    for _, c in ipairs(sweep) do
      if c.status == "valid" and c.objective == c.objective then ranked[#ranked + 1] = c end
    end
    if #ranked == 0 then
      for _, c in ipairs(sweep) do
        if c.status ~= "failed" and (c.correlation or {}).n and c.correlation.n >= min_corr then
          ranked[#ranked + 1] = c
        end
      end
    end
    table.sort(ranked, function(a, b) return better(key_of(a), key_of(b)) end)
    local short = {}
    for i = 1, math.min(#ranked, math.max(1, shortn)) do
      local k0 = ranked[i].topk
      short[k0] = true
      for o = 1, neigh do short[k0 - o * step], short[k0 + o * step] = true, true end
    end
    local sks = {}
    for k in pairs(short) do if by_k[k] then sks[#sks + 1] = k end end
    table.sort(sks)
    local t = {}
    for _, f in ipairs({"dim", "num_times", "active_times", "k", "n_points", "metric", "nbs", "maxdim", "coeff",
                        "progress_bar", "standardize"}) do t[f] = tda_cfg[f] end
    t.show, t.do_shuffle, t.num_shuffles = false, true, nshuf
    local shuf_cfg = asa.TDAConfig(t)
    for _, k in ipairs(sks) do
      local c0, c = by_k[k], {}
      for kk, v in pairs(c0) do c[kk] = v end
      local ok, err = pcall(function()
        local res = asa.tda_vis(columns(S, c.neuron_ids), shuf_cfg)
        local st = M.summarize_shuffle_topology(res, sh_opts)
        c.shuffle_topology, c.validation_stage = st, "shuffle"
        c.status = (st.valid and (c.correlation or {n = 0}).n >= min_corr) and "valid" or "invalid"
        c.objective = c.status == "valid" and -c.correlation.pearson_r or 0 / 0
      end)
      if not ok then c.status, c.validation_stage, c.error = "failed", "shuffle", tostring(err) end
      refined[#refined + 1] = c
    end
    local rb = pick(refined, function(c)
      return {c.objective, (c.shuffle_topology or {}).topology_score or -math.huge, c.topk}
    end)
    if rb then best = rb end
  end
  return {
    embed_config = {smooth = embed_cfg.smooth, speed_filter = embed_cfg.speed_filter, min_speed = embed_cfg.min_speed},
    use_precomputed_spikes = pre,
    tda_config = {dim = tda_cfg.dim, num_times = tda_cfg.num_times, active_times = tda_cfg.active_times,
                  k = tda_cfg.k, n_points = tda_cfg.n_points, metric = tda_cfg.metric, nbs = tda_cfg.nbs,
                  maxdim = tda_cfg.maxdim, coeff = tda_cfg.coeff, standardize = tda_cfg.standardize},
    top_percent = top_percent, topology_mode = mode, use_shuffle_refinement = use_ref,
    shuffle_refinement = {num_shuffles = nshuf, shortlist_size = shortn, shortlist_neighbors = neigh},
    grid_scores_all = core.array(scores, "float64"), sorted_neuron_ids = core.array(order, "int64"),
    topk_values = core.array(ks, "int64"), sweep_results = sweep, refined_results = refined, best_result = best,
  }
end

--- The same workflow under upstream's other name (`analyze_auto_grid_threshold_workflow`).
function M.analyze_auto_grid_threshold_workflow(asa_data, opts)
  return M.analyze_auto_grid_threshold(asa_data, opts)
end

return M
