-- Subclusters of grid cells for ASA: each neuron's temporal
-- autocorrelogram, ToMATo clustering into bursty / theta / non-bursty
-- (BTN) groups, the clusters named by their mean curves, summary figures,
-- a summary archive and one ASA session per subcluster for downstream
-- TDA, decoding and CohoMap.
--
--   build/canns examples/subcluster_grid_cells_asa.lua [output folder]   (default out/subcluster_grid_cells_asa)
--
-- Twin of examples/experimental_data_analysis/subcluster_grid_cells_asa.py
-- of the Python toolkit (3 clusters, 40 neighbours, maxt 0.2 s, res 1 ms,
-- smoothing sigma 2, its automatic naming: the cluster with most early
-- mass (lags <= 15 ms) is B, then most 80-160 ms mass T, then most late
-- mass N), with --save-subsets on, on synthetic spike trains made by
-- canns instead of a recorded session.  It runs both of upstream's input
-- modes: spike times per neuron (120 cells of each class over 60 s; the
-- output folder) and a dense (T, N) matrix of 1 ms bins (60 cells of each
-- class over 30 s binned; the folder's dense/ subfolder), whose curves are
-- each neuron's lagged self-products (module
-- canns.analyzer.data.cell_classification.btn_dense).  Cluster ids and
-- indices in the archives are 0-based as upstream writes them.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification
local dense = require "canns.analyzer.data.cell_classification.btn_dense"
local files = require "canns.pipeline.asa.files"

local outdir = arg and arg[1] or "out/subcluster_grid_cells_asa"
canns.mkdir(outdir)
local SIGMA = 2.0

-- upstream's naming from the clusters' mean smoothed curves
local function name_clusters(labels, S, bt)
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
  return mapping, ids, feat
end

-- prints, figures, summary archive and one ASA session per subcluster;
-- subset(keep) builds a session of the kept neurons (0-based indices)
local function report(dir, mode, r, truth, subset)
  canns.mkdir(dir)
  local labels, inter = r.labels:totable(), r.intermediates
  local mapping, ids, feat = name_clusters(labels, inter.acorr_smooth:totable(), inter.bin_times:totable())
  local sizes, agree = {}, 0
  for _, l in ipairs(ids) do sizes[#sizes + 1] = ("%d: %d (%s)"):format(l, feat[l].n, mapping[l]) end
  for i, l in ipairs(labels) do if mapping[l] == truth[i] then agree = agree + 1 end end
  print("input mode: " .. mode)
  print("kept neurons: " .. #labels)
  print("cluster sizes: " .. table.concat(sizes, ", "))
  print(("named clusters agree with the synthetic classes for %d/%d neurons"):format(agree, #labels))
  cc.plot_btn_distance_matrix{dist = inter.distance_matrix, labels = r.labels, mapping = mapping, sort_by_label = true,
                              save_path = dir .. "/btn_distance.png", show = false}
  cc.plot_btn_autocorr_summary{acorr = inter.acorr, labels = r.labels, bin_times = inter.bin_times, mapping = mapping,
                               normalize = "probability", smooth_sigma = SIGMA,
                               save_path = dir .. "/btn_autocorr.png", show = false}
  local mid, mlab = {}, {}
  for _, l in ipairs(ids) do mid[#mid + 1] = l; mlab[#mlab + 1] = mapping[l] end
  local sz = {}
  for i, l in ipairs(ids) do sz[i] = feat[l].n end
  canns.io.save_npz(dir .. "/btn_summary.npz", {
    labels = r.labels:astype("int64"), original_neuron_indices = canns.arange(#labels):astype("int64"),
    cluster_ids = canns.array(mid, "int64"), cluster_sizes = canns.array(sz, "int64"),
    bin_times = inter.bin_times, acorr = inter.acorr:astype("float64"), acorr_smooth = inter.acorr_smooth,
    distance_matrix = inter.distance_matrix, mapping_cluster_ids = canns.array(mid, "int64")})
  for _, l in ipairs(ids) do
    local keep = {}
    for i, li in ipairs(labels) do if li == l then keep[#keep + 1] = i - 1 end end
    local path = ("%s/asa_%s.npz"):format(dir, mapping[l]:lower())
    files.save_asa_npz(path, subset(keep))
    print(("subcluster %s (%d neurons, original indices from %d): %s"):format(mapping[l], #keep, keep[1], path))
  end
  print("cluster labels: " .. table.concat(mlab, ", ") .. " (names in the figures)")
  print(("Saved summary: %s/btn_summary.npz"):format(dir))
  print(("Saved plots: %s/btn_distance.png, %s/btn_autocorr.png"):format(dir, dir))
end

-- spike-times mode
local data = cc.synthetic_btn_spike_trains{n_per_class = 120, duration = 60, seed = 7}
local cfg = cc.BTNConfig{n_clusters = 3, nbs = 40, maxt = 0.2, res = 1e-3, smooth_sigma = SIGMA}
local r = cc.BTNAnalyzer(cfg):classify_btn({spike = data.spike, t = data.t}, {return_intermediates = true})
report(outdir, "spike-times", r, data.truth, function(keep)
  local spk = {}
  for i, k in ipairs(keep) do spk[i] = data.spike[k + 1] end
  return {spike = spk, t = data.t}
end)

-- dense mode: the trains of a shorter session counted in 1 ms bins
local res, dur = 1e-3, 30
local dd = cc.synthetic_btn_spike_trains{n_per_class = 60, duration = dur, seed = 11}
local nb = math.floor(dur / res + 0.5)
local function binned(keep)
  local S = canns.zeros({nb, #keep}, "float32")
  for c, k in ipairs(keep) do
    local tr = dd.spike[k + 1]
    local v = canns.isarray(tr) and tr:reshape({tr:size()}):totable() or tr
    for _, s in ipairs(v) do
      local b = math.floor(s / res) + 1
      if b >= 1 and b <= nb then S[{b, c}] = S[{b, c}] + 1 end
    end
  end
  return S
end
local all = {}
for i = 1, #dd.spike do all[i] = i - 1 end
local t_bins = canns.arange(nb):astype("float64") * res
local rd = dense.classify_btn_dense(binned(all), {n_clusters = 3, nbs = 40, maxt = 0.2, res = res,
                                                  smooth_sigma = SIGMA})
print("")
report(outdir .. "/dense", "dense-binned", rd, dd.truth, function(keep)
  return {spike = binned(keep), t = t_bins}
end)
