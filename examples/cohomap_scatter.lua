-- CohoMap 1.0: the trajectory coloured by the cosine of each decoded grid
-- phase (stripes across the arena).
--
--   build/canns examples/cohomap_scatter.lua [output folder]   (default out/cohomap_scatter)
--
-- Twin of examples/experimental_data_analysis/cohomap_scatter.py of the
-- Python toolkit (smoothed embedding, no speed filter, maxdim 1, two
-- circles decoded on the embedding), on a synthetic grid-cell session.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohomap_scatter"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
asa.plot_cohomap_scatter(dec, {x = data.x, y = data.y}, {save_path = outdir .. "/cohomap_scatter.png",
                                                        dpi = 150})
print("figure: " .. outdir .. "/cohomap_scatter.png")
