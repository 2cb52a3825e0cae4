-- Persistent homology of a grid module's population activity: the barcode
-- of a synthetic grid-cell session (a torus: two long H1 bars).
--
--   build/canns examples/tda_vis.lua [output folder]   (default out/tda_vis)
--
-- Twin of examples/experimental_data_analysis/tda_vis.py of the Python
-- toolkit, which loads a recorded session; here the session is synthetic
-- (asa.synthetic_grid_session: Poisson-like spikes of 64 grid cells on a
-- twisted torus along a random-walk trajectory), so nothing is downloaded.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/tda_vis"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 30000, n_side = 8, seed = 1}
local E = asa.embed_spike_trains(data, asa.SpikeEmbeddingConfig{smooth = true, speed_filter = false})
local res = asa.tda_vis(E, asa.TDAConfig{maxdim = 1, active_times = 2000, k = 300, n_points = 300,
                                         nbs = 200, show = false, progress_bar = false,
                                         save_path = outdir .. "/barcode.png"})
local dgm = res.persistence.dgms[2]
local life = {}
for i = 1, dgm:shape(1) do life[i] = dgm:get(i, 2) - dgm:get(i, 1) end
table.sort(life, function(a, b) return a > b end)
print(string.format("H1: %d bars, longest %.3f %.3f, next %.3f", #life, life[1], life[2], life[3]))
print("barcode: " .. outdir .. "/barcode.png")
