-- PathCompare on a ring: the path next to the decoded head direction on
-- the unit circle (one circular coordinate).
--
--   build/canns examples/path_compare1d.lua [output folder]   (default out/path_compare1d)
--
-- Twin of examples/experimental_data_analysis/path_compare1d.py of the
-- Python toolkit (smoothed embedding, no speed filter, maxdim 1, one
-- circle), on a synthetic head-direction session instead of grid_1.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/path_compare1d"
canns.mkdir(outdir)

local data = asa.synthetic_hd_session{T = 20000, N = 40, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 1})
local t, x, y, coords, tag = asa.align_coords_to_position_1d(data.t, data.x, data.y, dec.coordsbox,
                                                             true, dec.times_box, true)
print("alignment: " .. tag)
local w = {1, 4000}
asa.plot_path_compare_1d(x:slice(1, w), y:slice(1, w), coords:slice(1, w),
                         {save_path = outdir .. "/path_compare_1d.png", show = false})
print("figure: " .. outdir .. "/path_compare_1d.png")
