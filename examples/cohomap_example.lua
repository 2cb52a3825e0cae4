-- EcohoMap: phase maps of the decoded grid phases over the arena (circular
-- mean per spatial bin, smoothed in sin/cos space).
--
--   build/canns examples/cohomap_example.lua [output folder]   (default out/cohomap_example)
--
-- Twin of examples/experimental_data_analysis/cohomap_example.py of the
-- Python toolkit (full pipeline, cohomap bins 101, smooth sigma 1.0), on a
-- synthetic grid-cell session; the maps are aligned on the torus by the
-- stripe fit as upstream's are.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohomap_example"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
local cm = asa.cohomap(dec, {x = data.x, y = data.y, t = data.t}, {bins = 101, smooth_sigma = 1.0})
asa.plot_cohomap(cm, {save_path = outdir .. "/ecohomap.png"})
print("figure: " .. outdir .. "/ecohomap.png")
