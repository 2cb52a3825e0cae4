--- BTN subclustering of a dense (T, N) binned spike matrix: the
-- dense-matrix mode of upstream's example
-- `experimental_data_analysis/subcluster_grid_cells_asa.py` (a canns
-- module for it; upstream keeps these steps inside the script).  Each
-- neuron's curve is its lagged self-product sum_t x[t] x[t + l] over
-- lags 0..floor(maxt / res) (bins of `res` seconds), divided by its sum,
-- smoothed along the lags, and the neurons are clustered by ToMATo on the
-- cosine distances of the curves, as `BTNAnalyzer:classify_btn` does for
-- spike times.
--
--     local dense = require "canns.analyzer.data.cell_classification.btn_dense"
--     local r = dense.classify_btn_dense(S, {n_clusters = 3, nbs = 40, maxt = 0.2, res = 1e-3})
--
-- @module canns.analyzer.data.cell_classification.btn_dense

local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local btn = require "canns.analyzer.data.cell_classification.btn"

local M = {}
local C = core.btn

local function matrix(v, fname, arg, name)
  local S = A.array(v, fname, arg, name, {convert = true, dtype = nil})
  if S:ndim() ~= 2 then A.fail(fname, arg, name, "must be a (T, N) matrix, got %s", A.describe(S)) end
  return S:dtype() == "float64" and S or S:astype("float64")
end

--- Lagged self-products of every column (upstream's
-- `_binned_temporal_autocorr`): acorr[i][l + 1] = sum_t x[t, i] x[t + l, i]
-- for l = 0..max_lag_bins - 1 (0 once l reaches T), x = spikes, or
-- spikes > 0 as 0 / 1 with `binary`.
-- @param spikes (T, N) activity
-- @int max_lag_bins number of lags (>= 1)
-- @bool[opt=false] binary
-- @return float64 {N, max_lag_bins}
function M.binned_temporal_autocorr(spikes, max_lag_bins, binary)
  local F = "binned_temporal_autocorr"
  local S = matrix(spikes, F, 1, "spikes")
  local L = A.int(max_lag_bins, F, 2, "max_lag_bins", {min = 1, max = 1000000})
  local b = A.boolean(binary, F, 3, "binary", {default = false})
  return C.dense_autocorr(S, L, b)
end

--- ToMATo clusters of autocorrelation curves normalised by their row sums
-- (upstream's `_cluster_tomato_from_acorr`): rows / their sums (a zero
-- sum counts as 1), a Gaussian of `smooth_sigma` lags (reflect), cosine
-- distances, each row's `nbs` nearest others (at most N - 1), densities
-- sum exp(-distance), ToMATo merged to `n_clusters`.
-- @param acorr {N, L} curves
-- @tparam[opt] table opts `smooth_sigma` (2.0), `nbs` (40), `n_clusters` (3)
-- @return labels (int64, 0-based cluster ids), intermediates `{acorr,
--   acorr_norm, acorr_smooth, distance_matrix, knn_indices (1-based),
--   knn_dists, density_weights}`
function M.cluster_tomato_from_acorr(acorr, opts)
  local F = "cluster_tomato_from_acorr"
  local a = matrix(acorr, F, 1, "acorr")
  if a:shape(1) < 1 or a:shape(2) < 1 then A.fail(F, 1, "acorr", "must not be empty, got %s", A.describe(a)) end
  local o = A.options(opts, F, {"smooth_sigma", "nbs", "n_clusters"})
  local sigma = A.number(o.smooth_sigma, F, "smooth_sigma", nil, {gt = 0, finite = true, default = 2.0})
  local nbs = A.int(o.nbs, F, "nbs", nil, {min = 1, default = 40})
  local nc = A.int(o.n_clusters, F, "n_clusters", nil, {min = 1, default = 3})
  local norm, smooth, dist, knn, kd, w = C.features(a, sigma, nbs, true)
  local labels = C.tomato(knn, w, nc)
  return labels, {acorr = a, acorr_norm = norm, acorr_smooth = smooth, distance_matrix = dist,
                  knn_indices = knn, knn_dists = kd, density_weights = w}
end

--- The whole dense mode (upstream's `_run_dense_btn`): the curves over
-- max(2, floor(maxt / res) + 1) lags, their ToMATo clusters, and the lag
-- edges linspace(0, maxt, lags + 1) as `intermediates.bin_times`.
-- @param spikes (T, N) binned activity (bins of `res` seconds)
-- @tparam[opt] table opts `n_clusters` (3), `nbs` (40), `maxt` (0.2),
--   `res` (1e-3), `smooth_sigma` (2.0), `binary` (false: upstream's
--   --dense-binary), `mapping` (cluster id -> label)
-- @treturn BTNResult with `intermediates` always filled
function M.classify_btn_dense(spikes, opts)
  local F = "classify_btn_dense"
  local o = A.options(opts, F, {"n_clusters", "nbs", "maxt", "res", "smooth_sigma", "binary", "mapping"})
  local maxt = A.number(o.maxt, F, "maxt", nil, {gt = 0, finite = true, default = 0.2})
  local res = A.number(o.res, F, "res", nil, {gt = 0, finite = true, default = 1e-3})
  local L = math.max(2, math.floor(maxt / res) + 1)
  if L > 1000000 then A.fail(F, "maxt", nil, "/ res gives %d lags, more than 1000000", L) end
  local mapping = kw.cluster_mapping(o.mapping, F)
  local S = matrix(spikes, F, 1, "spikes")
  if S:shape(1) < 1 or S:shape(2) < 1 then A.fail(F, 1, "spikes", "must not be empty, got %s", A.describe(S)) end
  local acorr = C.dense_autocorr(S, L, A.boolean(o.binary, F, "binary", nil, {default = false}))
  local labels, inter = M.cluster_tomato_from_acorr(acorr, {smooth_sigma = o.smooth_sigma, nbs = o.nbs,
                                                            n_clusters = o.n_clusters})
  inter.bin_times = core.array(kw.np_linspace(0.0, maxt, L + 1), "float64")
  local sizes, kmax = {}, -1
  for _, l in ipairs(labels:totable()) do
    sizes[l + 1] = (sizes[l + 1] or 0) + 1
    kmax = math.max(kmax, l)
  end
  for i = 1, kmax + 1 do sizes[i] = sizes[i] or 0 end
  local names
  if mapping then
    names = {}
    for i, l in ipairs(labels:totable()) do names[i] = mapping[l] or "unknown" end
  end
  return btn.BTNResult{labels = labels, n_clusters = o.n_clusters or 3,
                       cluster_sizes = core.array(#sizes > 0 and sizes or {}, "int64"), btn_labels = names,
                       mapping = mapping, intermediates = inter}
end

return M
