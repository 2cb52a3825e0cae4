-- BTN classification: bursty, theta-modulated and non-bursty (Poisson)
-- cells from their ISI autocorrelograms, clustered with ToMATo.
--
--   build/canns examples/btn_example.lua [output folder]   (default out/btn_example)
--
-- Twin of examples/experimental_data_analysis/btn_example.py of the Python
-- toolkit (3 clusters, 40 neighbours, smoothing sigma 2, cells with at
-- least 200 spikes; the distance-matrix and mean-autocorrelogram figures),
-- on synthetic spike trains made by canns (cc.synthetic_btn_spike_trains:
-- 120 cells of each class over 60 s) instead of a recorded session.  The
-- upstream script's KMeans / Gaussian-mixture baselines (scikit-learn)
-- are replaced by the agreement with the known classes.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local outdir = arg and arg[1] or "out/btn_example"
canns.mkdir(outdir)

local N_CLUSTERS, NBS, SMOOTH_SIGMA, MIN_SPIKES = 3, 40, 2.0, 200

local data = cc.synthetic_btn_spike_trains{n_per_class = 120, duration = 60, seed = 7}
local counts = {}
for i, s in ipairs(data.spike) do counts[i] = s:size() end
local sorted = {table.unpack(counts)}
table.sort(sorted)
print(string.format("spike count stats: min %d, median %.1f, max %d", sorted[1],
                    (sorted[#sorted // 2] + sorted[#sorted // 2 + 1]) / 2, sorted[#sorted]))

-- keep the cells with enough spikes
local spikes, truth = {}, {}
for i, s in ipairs(data.spike) do
  if counts[i] >= MIN_SPIKES then spikes[#spikes + 1], truth[#truth + 1] = s, data.truth[i] end
end
print(string.format("keeping %d/%d neurons with >= %d spikes", #spikes, #counts, MIN_SPIKES))

local cfg = cc.BTNConfig{n_clusters = N_CLUSTERS, nbs = NBS, maxt = 0.2, res = 1e-3, smooth_sigma = SMOOTH_SIGMA}
local result = cc.BTNAnalyzer(cfg):classify_btn({spike = spikes, t = data.t}, {return_intermediates = true})
local sizes = {}
for c, n in ipairs(result.cluster_sizes:totable()) do sizes[#sizes + 1] = string.format("%d: %d", c - 1, n) end
print("cluster sizes (Tomato): " .. table.concat(sizes, ", "))

-- name each cluster by its majority class (the upstream script edits its
-- mapping by hand after looking at the curves)
local tally = {}
for i, l in ipairs(result.labels:totable()) do
  tally[l] = tally[l] or {B = 0, T = 0, N = 0}
  tally[l][truth[i]] = tally[l][truth[i]] + 1
end
local mapping, agree = {}, 0
for l, t in pairs(tally) do
  local best, name = -1, nil
  for _, k in ipairs({"B", "T", "N"}) do if t[k] > best then best, name = t[k], k end end
  mapping[l], agree = name, agree + best
end
print(string.format("agreement with the synthetic classes: %d/%d", agree, #truth))

cc.plot_btn_distance_matrix{dist = result.intermediates.distance_matrix, labels = result.labels,
                            mapping = mapping, sort_by_label = true,
                            save_path = outdir .. "/btn_distance.png", show = false}
cc.plot_btn_autocorr_summary{acorr = result.intermediates.acorr, labels = result.labels,
                             bin_times = result.intermediates.bin_times, mapping = mapping,
                             normalize = "probability", smooth_sigma = SMOOTH_SIGMA,
                             save_path = outdir .. "/btn_autocorr.png", show = false}
print(string.format("Saved: %s/btn_distance.png, %s/btn_autocorr.png", outdir, outdir))
