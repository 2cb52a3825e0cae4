-- CohoSpace phase centres: where each grid cell fires on the decoded
-- torus, drawn in the skewed fundamental parallelogram (the cells tile it).
--
--   build/canns examples/cohospace_phase_centers_example.lua [output folder]
--                                      (default out/cohospace_phase_centers_example)
--
-- Twin of examples/experimental_data_analysis/cohospace_phase_centers_example.py
-- of the Python toolkit (full pipeline, cohospace sigma 0,
-- cohospace_phase_centers.png), on a synthetic grid-cell session.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohospace_phase_centers_example"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
local cs = asa.cohospace(dec, E, {smooth_sigma = 0.0})
asa.plot_cohospace_phase_centers(cs, {save_path = outdir .. "/cohospace_phase_centers.png"})
print("figure: " .. outdir .. "/cohospace_phase_centers.png")
