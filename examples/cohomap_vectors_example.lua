-- CohoMap vectors and stripe diagnostics: the ASA chain (embedding, TDA,
-- decoding), EcohoMap phase maps aligned on the torus, a cosine stripe
-- fit to each map, and the two grid vectors v, w with their angle.
--
--   build/canns examples/cohomap_vectors_example.lua [output folder]   (default out/cohomap_vectors_example)
--
-- Twin of examples/experimental_data_analysis/cohomap_vectors_example.py
-- of the Python toolkit (cohomap bins 101, smooth sigma 1.0, stripe grid
-- 151, trim 25, 10 x 10 x 10 search, spacing in [1, 6]) on a synthetic
-- grid-cell session instead of a recorded one.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/cohomap_vectors_example"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, {speed_filter = false})
local res = asa.tda_vis(E, {maxdim = 1, active_times = 2000, k = 300, n_points = 300, nbs = 200,
                            show = false, progress_bar = false})
local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
local cm = asa.cohomap(dec, {x = data.x, y = data.y, t = data.t}, {bins = 101, smooth_sigma = 1.0})
local vec = asa.cohomap_vectors(cm, {grid_size = 151, trim = 25, angle_grid = 10, phase_grid = 10,
                                     spacing_grid = 10, spacing_range = {1.0, 6.0}})
print(("dim1_len=%.6f, dim2_len=%.6f, angle_deg=%.3f"):format(vec.len_v, vec.len_w, vec.angle_deg))
asa.plot_cohomap_vectors(vec, {save_path = outdir .. "/cohomap_vectors.png"})
asa.plot_cohomap_stripes(cm, {cohomap_vectors_result = vec, save_path = outdir .. "/cohomap_stripes.png"})
print("Saved: " .. outdir .. "/cohomap_vectors.png, " .. outdir .. "/cohomap_stripes.png")
