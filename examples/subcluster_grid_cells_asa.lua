-- Subclusters of grid cells for ASA: each neuron's temporal
-- autocorrelogram, ToMATo clustering into bursty / theta / non-bursty
-- (BTN) groups, the clusters named by their mean curves, summary figures,
-- a summary archive and one ASA session per subcluster for downstream
-- TDA, decoding and CohoMap.
--
--   build/canns examples/subcluster_grid_cells_asa.lua [output folder]   (default out/subcluster_grid_cells_asa)
--
-- Twin of examples/experimental_data_analysis/subcluster_grid_cells_asa.py
-- of the Python toolkit in its spike-times mode (3 clusters, 40
-- neighbours, maxt 0.2 s, res 1 ms, smoothing sigma 2, its automatic
-- naming: the cluster with most early mass (lags <= 15 ms) is B, then most
-- 80-160 ms mass T, then most late mass N), with --save-subsets on, on
-- synthetic spike trains made by canns (120 cells of each class over 60 s)
-- instead of a recorded session; cluster ids and indices in the archives
-- are 0-based as upstream writes them.
-- Upstream's dense-matrix mode is not covered.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local outdir = arg and arg[1] or "out/subcluster_grid_cells_asa"
canns.mkdir(outdir)

local data = cc.synthetic_btn_spike_trains{n_per_class = 120, duration = 60, seed = 7}
local N = #data.spike
local cfg = cc.BTNConfig{n_clusters = 3, nbs = 40, maxt = 0.2, res = 1e-3, smooth_sigma = 2.0}
local r = cc.BTNAnalyzer(cfg):classify_btn({spike = data.spike, t = data.t}, {return_intermediates = true})
local labels = r.labels:totable()
local inter = r.intermediates

-- upstream's naming from the clusters' mean smoothed curves
local bt = inter.bin_times:totable()
local S = inter.acorr_smooth:totable()
local feat, ids = {}, {}
for i, l in ipairs(labels) do
  if not feat[l] then feat[l] = {n = 0, curve = {}}; ids[#ids + 1] = l end
  local f = feat[l]
  f.n = f.n + 1
  for j, v in ipairs(S[i]) do f.curve[j] = (f.curve[j] or 0) + v end
end
table.sort(ids)
for _, l in ipairs(ids) do
  local f = feat[l]
  f.early, f.theta, f.late = 0, 0, 0
  for j, v in ipairs(f.curve) do
    local c, m = 0.5 * (bt[j] + bt[j + 1]), v / f.n
    if c <= 0.015 then f.early = f.early + m end
    if c >= 0.08 and c <= 0.16 then f.theta = f.theta + m end
    if c >= 0.16 then f.late = f.late + m end
  end
end
local mapping, left = {}, {}
for _, l in ipairs(ids) do left[l] = true end
local function take(key, name)
  local best
  for _, l in ipairs(ids) do if left[l] and (not best or feat[l][key] > feat[best][key]) then best = l end end
  if best then mapping[best], left[best] = name, nil end
end
take("early", "B"); take("theta", "T"); take("late", "N")
local extra = 0
for _, l in ipairs(ids) do if left[l] then extra = extra + 1; mapping[l] = "extra_" .. extra end end

local sizes, agree = {}, 0
for _, l in ipairs(ids) do sizes[#sizes + 1] = ("%d: %d (%s)"):format(l, feat[l].n, mapping[l]) end
for i, l in ipairs(labels) do if mapping[l] == data.truth[i] then agree = agree + 1 end end
print("input mode: spike-times")
print("kept neurons: " .. N)
print("cluster sizes: " .. table.concat(sizes, ", "))
print(("named clusters agree with the synthetic classes for %d/%d neurons"):format(agree, N))

cc.plot_btn_distance_matrix{dist = inter.distance_matrix, labels = r.labels, mapping = mapping, sort_by_label = true,
                            save_path = outdir .. "/btn_distance.png", show = false}
cc.plot_btn_autocorr_summary{acorr = inter.acorr, labels = r.labels, bin_times = inter.bin_times, mapping = mapping,
                             normalize = "probability", smooth_sigma = 2.0,
                             save_path = outdir .. "/btn_autocorr.png", show = false}

local mid, mlab = {}, {}
for _, l in ipairs(ids) do mid[#mid + 1] = l; mlab[#mlab + 1] = mapping[l] end
canns.io.save_npz(outdir .. "/btn_summary.npz", {
  labels = r.labels:astype("int64"), original_neuron_indices = canns.arange(N):astype("int64"),
  cluster_ids = canns.array(mid, "int64"), cluster_sizes = r.cluster_sizes:astype("int64"),
  bin_times = inter.bin_times, acorr = inter.acorr, acorr_smooth = inter.acorr_smooth,
  distance_matrix = inter.distance_matrix, mapping_cluster_ids = canns.array(mid, "int64")})
-- one ASA session per subcluster (spike times per neuron, as the input)
local files = require "canns.pipeline.asa.files"
for _, l in ipairs(ids) do
  local spk, keep = {}, {}
  for i, li in ipairs(labels) do if li == l then spk[#spk + 1], keep[#keep + 1] = data.spike[i], i - 1 end end
  local path = ("%s/asa_%s.npz"):format(outdir, mapping[l]:lower())
  files.save_asa_npz(path, {spike = spk, t = data.t})
  print(("subcluster %s (%d neurons, original indices from %d): %s"):format(mapping[l], #spk, keep[1], path))
end
print("cluster labels: " .. table.concat(mlab, ", ") .. " (names in the figures)")
print(("Saved summary: %s/btn_summary.npz"):format(outdir))
print(("Saved plots: %s/btn_distance.png, %s/btn_autocorr.png"):format(outdir, outdir))
