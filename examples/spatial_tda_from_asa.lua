-- Spatial TDA of an ASA session: every spatial bin becomes a point whose
-- coordinates are the neurons' firing rates there; persistent homology of
-- that position-indexed point cloud (after PCA), against a null model that
-- permutes each neuron's rate map.
--
--   build/canns examples/spatial_tda_from_asa.lua [output folder]   (default out/spatial_tda_from_asa)
--
-- Twin of examples/experimental_data_analysis/spatial_tda_from_asa.py of
-- the Python toolkit, which wraps the module's command line: here a
-- synthetic grid-cell session is written as an ASA .npz, analysed through
-- the Lua API, and the same run is shown as the `canns spatial-tda`
-- command line.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/spatial_tda_from_asa"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 20000, n_side = 6, seed = 1}
local npz = outdir .. "/session.npz"
require("canns.pipeline.asa.files").save_asa_npz(npz, data)

local res = asa.run_spatial_tda_from_asa(data, {
  out_dir = outdir, embed_config = asa.SpikeEmbeddingConfig{speed_filter = false},
  bins = 30, crop_fraction = 0.6, pca_dim = 6, maxdim = 1, shuffle = true, num_shuffles = 10, seed = 1,
  progress_bar = false})

local s = res.summary
print(("points: %d bins x %d neurons; PCA keeps %d dimensions"):format(s.points_shape[1], s.points_shape[2],
      s.params.pca_dim_effective))
for d = 0, 1 do
  local top = s.real_topology[("h%d_top"):format(d)]
  print(("H%d: %d finite bars, longest %s; shuffle 99.9th percentile %.3f"):format(d,
        s.real_topology[("h%d_count"):format(d)], table.concat((function()
          local t = {}
          for i = 1, math.min(3, #top) do t[i] = ("%.3f"):format(top[i]) end
          return t
        end)(), ", "), s.shuffle_thresholds[("h%d_p99_9"):format(d)]))
end
print("barcode: " .. res.barcode_png)
print("summary: " .. res.summary_json)
print(("the same from the command line:\n  canns spatial-tda --data %s --out-dir %s --bins 30 "
       .. "--crop-fraction 0.6 --pca-dim 6 --maxdim 1 --shuffle --num-shuffles 10 --seed 1"):format(npz, outdir))
