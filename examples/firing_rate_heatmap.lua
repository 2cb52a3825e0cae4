-- FR heatmap: the binned spike counts of every cell over time (neurons x
-- time, no normalisation).
--
--   build/canns examples/firing_rate_heatmap.lua [output folder]   (default out/firing_rate_heatmap)
--
-- Twin of examples/experimental_data_analysis/firing_rate_heatmap.py of the
-- Python toolkit (unsmoothed, speed-filtered counts, saved at 200 dpi as
-- fr.png), on a synthetic grid-cell session instead of grid_1.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/firing_rate_heatmap"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 6000, n_side = 8, seed = 1}
local counts = asa.embed_spike_trains(data, asa.SpikeEmbeddingConfig{smooth = false, speed_filter = true})
print(string.format("counts: %d bins x %d cells", counts:shape(1), counts:shape(2)))
local M = asa.compute_fr_heatmap_matrix(counts, nil, nil, {transpose = true})
asa.save_fr_heatmap_png(M, {save_path = outdir .. "/fr.png", dpi = 200, clabel = "Value"})
print("figure: " .. outdir .. "/fr.png")
