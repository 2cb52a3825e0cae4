-- EcohoSpace: a grid cell's mean activity over the decoded torus (one
-- bump: the cell fires at one place on the torus).
--
--   build/canns examples/cohospace_example.lua [output folder]   (default out/cohospace_example)
--
-- Twin of examples/experimental_data_analysis/cohospace_example.py of the
-- Python toolkit (full pipeline, cohospace smooth sigma 0, neuron 0 ->
-- ecohospace.png, and with its --skew, which is on here,
-- ecohospace_skewed.png), on a synthetic grid-cell session; CohoScore of
-- every cell is printed too.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohospace_example"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
local cs = asa.cohospace(dec, E, {smooth_sigma = 0.0})
asa.plot_cohospace(cs, {neuron_id = 1, save_path = outdir .. "/ecohospace.png"})
asa.plot_cohospace_skewed(cs, {neuron_id = 1, save_path = outdir .. "/ecohospace_skewed.png"})
local scores = asa.compute_cohoscore_scatter_2d(dec.coordsbox, E, 2.0, {times = dec.times_box})
local s, n = 0, 0
for i = 1, scores:size() do
  if scores:get(i) == scores:get(i) then s, n = s + scores:get(i), n + 1 end
end
print(string.format("CohoScore: mean %.3f over %d cells (0 = perfectly selective)", s / n, n))
print("figures: " .. outdir .. "/ecohospace.png, " .. outdir .. "/ecohospace_skewed.png")
