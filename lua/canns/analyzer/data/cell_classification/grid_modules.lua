--- Grid modules: units clustered by their spatial autocorrelograms
-- (upstream `identify_grid_modules_and_stats` of
-- `canns.analyzer.data.cell_classification`), computed in C
-- (include/canns/gridmodules.h; the Leiden step through igraph).
--
--     local an = cc.GridnessAnalyzer()
--     local res = cc.identify_grid_modules_and_stats(acs, {gridness_analyzer = an, k = 30})
--     print(res.n_units, res.n_grid_cells, res.n_modules)
--     for _, m in ipairs(res.modules) do print(m.module_id, m.size, m.grid_score) end
--
-- Cluster and module ids are upstream's labels (0-based; -1 = no
-- module); unit indices (`modules[i].indices`) are 1-based like every Lua
-- index.
-- @module canns.analyzer.data.cell_classification.grid_modules
local core = require "canns.core"
local A = require "canns.argcheck"
local G = core.gridmod

local M = {}

local METRICS = {"manhattan", "cityblock", "l1", "euclidean", "l2", "chebyshev", "cosine"}

local function autocorrs_arg(v, fn)
  if type(v) == "table" and not core.isarray(v) and core.isarray(v[1]) then
    -- a list of 2-D maps of one shape
    local s, parts = v[1]:shape(), {}
    for i, a in ipairs(v) do
      if not core.isarray(a) or a:ndim() ~= 2 or a:shape(1) ~= s[1] or a:shape(2) ~= s[2] then
        A.fail(fn, 1, "autocorrs", "must be a list of 2-D maps of one shape; entry %d is %s", i, A.describe(a))
      end
      parts[i] = core.array(a, "float64"):reshape({1, s[1], s[2]})
    end
    v = core.concatenate(parts, 1)
  end
  v = A.array(v, fn, 1, "autocorrs", {convert = true, dtype = "float", ndim = 3, min_size = 1})
  if v:dtype() ~= "float64" then v = core.array(v, "float64") end
  return v
end

--- Upstream `_base_mask`: the pixels left out of the features (the
-- centre disk r <= center_bins and everything outside the inscribed
-- circle), as a bool array of the map's shape.
-- @int h rows
-- @int w columns
-- @int[opt=2] center_bins
-- @treturn canns.array bool (h, w)
function M._base_mask(h, w, center_bins)
  local fn = "_base_mask"
  h = A.int(h, fn, 1, "h", {min = 1})
  w = A.int(w, fn, 2, "w", {min = 1})
  center_bins = A.int(center_bins, fn, 3, "center_bins", {default = 2, min = 0})
  return G.mask(h, w, center_bins)
end

--- Upstream `_vectorize_autocorrs`: the kept pixels (row-major) of each
-- map, NaN and +-inf read as 0, as float32 (n, m); and the mask.
-- @param autocorrs (n, h, w) array or a list of 2-D maps
-- @int[opt=2] center_bins
-- @treturn canns.array float32 features
-- @treturn canns.array bool mask
function M._vectorize_autocorrs(autocorrs, center_bins)
  local fn = "_vectorize_autocorrs"
  autocorrs = autocorrs_arg(autocorrs, fn)
  center_bins = A.int(center_bins, fn, 2, "center_bins", {default = 2, min = 0})
  return G.features(autocorrs, center_bins), G.mask(autocorrs:shape(2), autocorrs:shape(3), center_bins)
end

--- Upstream `_build_knn_graph`: for each unit its k_eff = min(max(k, 1),
-- n - 1) nearest others (exact brute-force search, ties by index), as
-- undirected edges (a < b, first occurrence kept) with weight
-- 1 / (d + 1e-6).
-- @param features (n, m) array (n >= 2)
-- @int[opt=30] k
-- @string[opt="manhattan"] metric "manhattan", "euclidean", "chebyshev" or "cosine"
-- @treturn canns.array int64 edges (ne, 2), 1-based units
-- @treturn canns.array float64 weights (ne)
-- @treturn canns.array int64 neighbour indices (n, k_eff + 1), 1-based
-- @treturn canns.array float64 their distances
function M._build_knn_graph(features, k, metric)
  local fn = "_build_knn_graph"
  features = A.array(features, fn, 1, "features", {convert = true, dtype = "float", ndim = 2})
  if features:shape(1) < 2 then
    A.fail(fn, 1, "features", "needs at least 2 rows (units), got %s", A.describe(features))
  end
  if features:dtype() ~= "float32" then features = core.array(features, "float32") end
  k = A.int(k, fn, 2, "k", {default = 30})
  metric = A.string(metric, fn, 3, "metric", {default = "manhattan", choices = METRICS})
  return G.knn_graph(features, math.max(k, 1), metric)
end

--- Upstream `_leiden_membership`: Leiden clustering with the quality of
-- leidenalg's RBConfigurationVertexPartition (modularity with resolution
-- gamma), through igraph.  Upstream's result changes from run to run;
-- here `seed` fixes it.  Clusters are numbered 0.. by decreasing size.
-- @int n vertices
-- @param edges (ne, 2) 1-based
-- @param weights (ne) non-negative
-- @number[opt=1] resolution
-- @tparam[opt] table opts `n_iterations` (2; -1 until stable), `seed` (0)
-- @treturn canns.array int64 membership (n), 0-based cluster ids
-- @treturn number quality (the modularity with resolution)
function M._leiden_membership(n, edges, weights, resolution, opts)
  local fn = "_leiden_membership"
  n = A.int(n, fn, 1, "n", {min = 1})
  edges = A.array(edges, fn, 2, "edges", {convert = true, dtype = "int64", ndim = 2})
  if edges:size() > 0 and (edges:shape(2) ~= 2 or core.min(edges) < 1 or core.max(edges) > n) then
    A.fail(fn, 2, "edges", "must be (ne, 2) 1-based vertex pairs in 1..%d, got %s", n, A.describe(edges))
  end
  weights = A.array(weights, fn, 3, "weights", {convert = true, dtype = "float64", ndim = 1, finite = true})
  if weights:size() ~= edges:shape(1) then
    A.fail(fn, 3, "weights", "must have one entry per edge (%d), got %s", edges:shape(1), A.describe(weights))
  end
  if weights:size() > 0 and core.min(weights) < 0 then
    A.fail(fn, 3, "weights", "must be >= 0, got a minimum of %g", core.min(weights))
  end
  resolution = A.number(resolution, fn, 4, "resolution", {default = 1.0, min = 0})
  opts = A.options(opts, fn, {"n_iterations", "seed"})
  local it = A.int(opts.n_iterations, fn, "n_iterations", nil, {default = 2, min = -1})
  if it == 0 then A.fail(fn, "n_iterations", nil, "must be >= 1 or -1 (until stable), got 0") end
  local seed = A.int(opts.seed, fn, "seed", nil, {default = 0, min = 0, max = math.huge})
  if edges:size() == 0 then edges = core.zeros({0, 2}, "int64") end
  return G.leiden(n, edges, weights, resolution, it, seed)
end

local OPTS = {"gridness_analyzer", "center_bins", "k", "resolution", "score_thr", "consistency_thr",
              "min_cells", "merge_corr_thr", "metric", "cluster_id", "seed", "n_iterations"}

--- Identify grid modules (upstream `identify_grid_modules_and_stats`).
--
-- Features are the kept pixels of each autocorrelogram (see
-- `_base_mask`); a kNN graph over them (`_build_knn_graph`) is clustered
-- by Leiden (`_leiden_membership`).  For each cluster (ascending id) the
-- median map is scored by `gridness_analyzer` and the consistency is the
-- median correlation of each member with the cluster's mean map; clusters
-- with grid_score > score_thr, consistency > consistency_thr and at
-- least min_cells members are candidates, and candidates whose mean maps
-- correlate above merge_corr_thr are merged (union-find) into modules,
-- numbered by ascending root.
-- @param autocorrs (n, h, w) array (float32 or float64; NaN read as 0) or a list of 2-D maps
-- @tparam table opts `gridness_analyzer` (a GridnessAnalyzer; default
-- GridnessAnalyzer()), `center_bins` (2), `k` (30), `resolution` (1.0),
-- `score_thr` (0.3), `consistency_thr` (0.5), `min_cells` (10),
-- `merge_corr_thr` (0.7), `metric` ("manhattan"); canns additions:
-- `seed` (0, Leiden's random seed), `n_iterations` (2), `cluster_id`
-- (n integer labels: skip the graph and Leiden and score this clustering)
-- @treturn table `cluster_id` (n, int64), `module_id` (n, int64, -1 =
-- none), `n_units`, `n_grid_cells`, `n_modules`, `modules` (list of
-- {module_id, clusters (ids), indices (1-based int64), size, grid_score,
-- consistency}), `params`; canns additions: `cluster_stats` (list of
-- {cid, size, grid_score, consistency, module_id} by ascending id) and
-- `quality` (Leiden's; NaN when `cluster_id` was given)
function M.identify_grid_modules_and_stats(autocorrs, opts)
  local fn = "identify_grid_modules_and_stats"
  autocorrs = autocorrs_arg(autocorrs, fn)
  opts = A.options(opts, fn, OPTS)
  local an = opts.gridness_analyzer
  if an == nil then
    an = require("canns.analyzer.data.cell_classification.gridness").GridnessAnalyzer()
  elseif type(an) ~= "table" or getmetatable(an) == nil or getmetatable(an).__name ~= "GridnessAnalyzer" then
    A.fail(fn, "gridness_analyzer", nil, "must be a GridnessAnalyzer, got %s", A.describe(an))
  end
  local n = autocorrs:shape(1)
  local p = {
    center_bins = A.int(opts.center_bins, fn, "center_bins", nil, {default = 2, min = 0}),
    k = A.int(opts.k, fn, "k", nil, {default = 30}),
    resolution = A.number(opts.resolution, fn, "resolution", nil, {default = 1.0, min = 0}),
    score_thr = A.number(opts.score_thr, fn, "score_thr", nil, {default = 0.3, inf = true}),
    consistency_thr = A.number(opts.consistency_thr, fn, "consistency_thr", nil, {default = 0.5, inf = true}),
    min_cells = A.int(opts.min_cells, fn, "min_cells", nil, {default = 10, min = -A.MAX_COUNT}),
    merge_corr_thr = A.number(opts.merge_corr_thr, fn, "merge_corr_thr", nil, {default = 0.7, inf = true}),
    metric = A.string(opts.metric, fn, "metric", nil, {default = "manhattan", choices = METRICS}),
  }
  local c = {}
  for key, v in pairs(p) do c[key] = v end
  c.k = math.max(c.k, 1)
  c.seed = A.int(opts.seed, fn, "seed", nil, {default = 0, min = 0, max = math.huge})
  c.n_iterations = A.int(opts.n_iterations, fn, "n_iterations", nil, {default = 2, min = -1})
  if c.n_iterations == 0 then A.fail(fn, "n_iterations", nil, "must be >= 1 or -1 (until stable), got 0") end
  c.threshold, c.min_orientation = an.threshold, an.min_orientation
  c.min_center_radius, c.num_gridness_radii = an.min_center_radius, an.num_gridness_radii
  local cin
  if opts.cluster_id ~= nil then
    cin = A.array(opts.cluster_id, fn, "cluster_id", nil, {convert = true, dtype = "int64", ndim = 1})
    if cin:size() ~= n then
      A.fail(fn, "cluster_id", nil, "must have %d entries (one per map), got %s", n, A.describe(cin))
    end
  elseif n < 2 then
    A.fail(fn, 1, "autocorrs", "needs at least 2 maps for the kNN graph, got %s", A.describe(autocorrs))
  end
  local r = G.run(autocorrs, c, cin)

  local stats, members = {}, {}
  local cid = r.cluster_id:totable()
  local label_index = {}
  for q = 1, r.n_clusters do
    label_index[r.cluster_label[q]] = q
    members[q] = {}
    stats[q] = {cid = r.cluster_label[q], size = r.cluster_size[q], grid_score = r.cluster_score[q],
                consistency = r.cluster_consistency[q], module_id = r.cluster_module[q]}
  end
  for i = 1, n do
    local t = members[label_index[cid[i]]]
    t[#t + 1] = i
  end
  local modules = {}
  for mid = 0, r.n_modules - 1 do
    local m = {module_id = mid, clusters = {}, size = 0}
    local idx = {}
    for q = 1, r.n_clusters do
      if stats[q].module_id == mid then
        m.clusters[#m.clusters + 1] = stats[q].cid
        for _, i in ipairs(members[q]) do idx[#idx + 1] = i end
      end
    end
    m.indices = #idx > 0 and core.array(idx, "int64") or core.zeros({0}, "int64")
    m.size = #idx
    m.grid_score, m.consistency = r.module_score[mid + 1], r.module_consistency[mid + 1]
    modules[#modules + 1] = m
  end
  local ngrid = 0
  for _, m in ipairs(modules) do ngrid = ngrid + m.size end
  return {cluster_id = r.cluster_id, module_id = r.module_id, n_units = n, n_grid_cells = ngrid,
          n_modules = r.n_modules, modules = modules, params = p, cluster_stats = stats,
          quality = r.quality}
end

return M
