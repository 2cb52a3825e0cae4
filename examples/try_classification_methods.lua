-- Grid modules of a population: per neuron a 35 x 35 rate map and its
-- autocorrelogram (float32), then identify_grid_modules_and_stats (kNN
-- graph k = 30, Leiden resolution 1.0, thresholds 0.3 / 0.5 / 10 cells /
-- merge 0.7, manhattan).  Prints the counts and module sizes, saves the
-- result as a compressed archive and draws each module's mean
-- autocorrelogram.
--
--   build/canns examples/try_classification_methods.lua [output folder]
--       (default out/try_classification_methods)
--
-- Twin of examples/cell_classification/try_classification_methods.py of
-- the Python toolkit (embedding with smoothing, no speed filter), on two
-- synthetic grid-cell sessions made by canns (asa.synthetic_grid_session:
-- two modules of 25 cells, spacings 0.3 m and 0.5 m, one trajectory)
-- instead of the downloaded 28304_1 left/right dataset.
local canns = require "canns"
local asa = canns.analyzer.data.asa
local cc = canns.analyzer.data.cell_classification

local outdir = arg and arg[1] or "out/try_classification_methods"
canns.mkdir(outdir)

-- the same seed gives the same trajectory: the two modules share it
local a = asa.synthetic_grid_session{T = 20000, n_side = 5, spacing = 0.3, seed = 4}
local b = asa.synthetic_grid_session{T = 20000, n_side = 5, spacing = 0.5, seed = 4}
local spike = {}
for _, s in ipairs(a.spike) do spike[#spike + 1] = s end
for _, s in ipairs(b.spike) do spike[#spike + 1] = s end
local data = {spike = spike, t = a.t, x = a.x, y = a.y}

local E, xx, yy = asa.embed_spike_trains(data, {smooth = true, speed_filter = false})
local T, N = E:shape(1), E:shape(2)
print(string.format("embedding: %d bins x %d neurons", T, N))

local acs = {}
for n = 1, N do
  local rm = cc.compute_rate_map_from_binned(xx, yy, E:slice(2, n):flatten(), {bins = 35})
  acs[n] = canns.array(cc.compute_2d_autocorrelation(rm), "float32")
end

local res = cc.identify_grid_modules_and_stats(acs, {
  gridness_analyzer = cc.GridnessAnalyzer(), k = 30, resolution = 1.0, score_thr = 0.3,
  consistency_thr = 0.5, min_cells = 10, merge_corr_thr = 0.7, metric = "manhattan"})

print(string.format("[OK] n_units=%d  n_grid_cells=%d  n_modules=%d", res.n_units, res.n_grid_cells,
                    res.n_modules))
local sizes = {}
for i, m in ipairs(res.modules) do
  sizes[i] = m.size
  print(string.format("  module %d: %d cells, clusters {%s}, grid score %.3f, consistency %.3f", m.module_id,
                      m.size, table.concat(m.clusters, ", "), m.grid_score, m.consistency))
end

local save = {cluster_id = res.cluster_id, module_id = res.module_id,
              n_units = canns.array({res.n_units}, "int64"), n_grid_cells = canns.array({res.n_grid_cells}, "int64"),
              n_modules = canns.array({res.n_modules}, "int64"),
              module_sizes = canns.array(#sizes > 0 and sizes or {}, "int64")}
for i, m in ipairs(res.modules) do save["module_" .. (i - 1) .. "_indices"] = m.indices - 1 end
canns.io.save_npz(outdir .. "/grid_modules_demo_output.npz", save)
print("saved: " .. outdir .. "/grid_modules_demo_output.npz")

-- each module's mean autocorrelogram
for i, m in ipairs(res.modules) do
  local idx, sum = m.indices:totable(), nil
  for _, u in ipairs(idx) do
    local ac = canns.array(acs[u], "float64")
    sum = sum and sum + ac or ac
  end
  local path = string.format("%s/module_%d_autocorrelogram.png", outdir, i - 1)
  cc.plot_autocorrelogram(sum / #idx, {title = string.format("Module %d: mean autocorrelogram (%d cells)",
                                                              i - 1, m.size), save_path = path, show = false})
  print("figure: " .. path)
end
