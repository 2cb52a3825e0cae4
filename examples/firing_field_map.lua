-- Firing-rate map of one grid cell over the arena (its hexagonal firing
-- field).
--
--   build/canns examples/firing_field_map.lua [output folder]   (default out/firing_field_map)
--
-- Twin of examples/experimental_data_analysis/firing_field_map.py of the
-- Python toolkit (smoothed embedding, no speed filter, 50 bins, minimum
-- occupancy 1, smoothing sigma 1, NaN for empty cells, on the raw x/y;
-- frm.png), on a synthetic grid-cell session instead of grid_1 (cell 10
-- instead of 130: the synthetic module has 64 cells).
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/firing_field_map"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 60000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local r = asa.compute_frm(E, data.x, data.y, 10, {bins = 50, min_occupancy = 1, smoothing = true,
                                                 sigma = 1.0, nan_for_empty = true})
asa.plot_frm(r.frm, {save_path = outdir .. "/frm.png"})
print("figure: " .. outdir .. "/frm.png")
