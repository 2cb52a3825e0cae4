-- PathCompare on the torus: the animal's path next to the path of the two
-- decoded grid phases in the torus' fundamental parallelogram.
--
--   build/canns examples/path_compare2d.lua [output folder]   (default out/path_compare2d)
--
-- Twin of examples/experimental_data_analysis/path_compare2d.py of the
-- Python toolkit (unsmoothed embedding, no speed filter, maxdim 1, two
-- circles, aligned to the trajectory through times_box with interpolation
-- to every sample), on a synthetic grid-cell session instead of grid_1.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/path_compare2d"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {smooth = false, speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
local t, x, y, coords, tag = asa.align_coords_to_position_2d(data.t, data.x, data.y, dec.coordsbox,
                                                             true, dec.times_box, true)
print("alignment: " .. tag)
coords = asa.apply_angle_scale(coords, "rad")
-- a 60 s window keeps the figure readable
local w = {1, 6000}
asa.plot_path_compare_2d(x:slice(1, w), y:slice(1, w), coords:slice(1, w),
                         {save_path = outdir .. "/path_compare_2d.png", show = false})
print("figure: " .. outdir .. "/path_compare_2d.png")
