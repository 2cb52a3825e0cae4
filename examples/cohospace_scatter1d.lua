-- CohoSpace scatter on a ring: the decoded head direction on the unit
-- circle and one cell's most active time points.
--
--   build/canns examples/cohospace_scatter1d.lua [output folder]   (default out/cohospace_scatter1d)
--
-- Twin of examples/experimental_data_analysis/cohospace_scatter1d.py of the
-- Python toolkit (smoothed embedding, maxdim 1, one circle, trajectory
-- subsample 2, a neuron's top 1 % points), on a synthetic head-direction
-- session.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohospace_scatter1d"
canns.mkdir(outdir)

local data = asa.synthetic_hd_session{T = 20000, N = 40, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 1})
asa.plot_cohospace_scatter_trajectory_1d(dec.coords, {subsample = 2, save_path = outdir .. "/trajectory.png"})
asa.plot_cohospace_scatter_neuron_1d(dec.coordsbox, E, 10, {times = dec.times_box, top_percent = 1.0,
                                                            show = false, save_path = outdir .. "/neuron10.png"})
print("figures: " .. outdir .. "/trajectory.png, " .. outdir .. "/neuron10.png")
