-- CohoSpace scatter on the torus: the decoded trajectory in degrees and
-- one grid cell's most active time points (they gather at one place).
--
--   build/canns examples/cohospace_scatter2d.lua [output folder]   (default out/cohospace_scatter2d)
--
-- Twin of examples/experimental_data_analysis/cohospace_scatter2d.py of the
-- Python toolkit (smoothed embedding, maxdim 1, two circles, trajectory
-- subsample 2, a neuron's top 1 % firing-rate points on coordsbox), on a
-- synthetic grid-cell session (cell 10 instead of 130).
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohospace_scatter2d"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
asa.plot_cohospace_scatter_trajectory_2d(dec.coords, {subsample = 2,
                                                      save_path = outdir .. "/trajectory.png"})
asa.plot_cohospace_scatter_neuron_2d(dec.coordsbox, E, 10, {times = dec.times_box, mode = "fr",
                                                            top_percent = 1.0, show = false,
                                                            save_path = outdir .. "/neuron10.png"})
print("figures: " .. outdir .. "/trajectory.png, " .. outdir .. "/neuron10.png")
