--- Attractor Structure Analysis (upstream `canns.analyzer.data.asa`).
--
--     local asa = canns.analyzer.data.asa
--     local E = asa.embed_spike_trains(data, asa.SpikeEmbeddingConfig{speed_filter = false})
--     local res = asa.tda_vis(E, asa.TDAConfig{maxdim = 1, show = false})
--     local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 2})
--
-- Indices (movetimes, indstemp, times, cocycle vertices) are 1-based.
-- See docs/asa.md.
-- @module canns.analyzer.data.asa

local M = {}

local function merge(mod)
  for k, v in pairs(mod) do
    if type(k) == "string" and k:sub(1, 1) ~= "_" then M[k] = v end
  end
end

merge(require "canns.analyzer.data.asa.config")
merge(require "canns.analyzer.data.asa.embedding")
merge(require "canns.analyzer.data.asa.tda")
merge(require "canns.analyzer.data.asa.decode")
merge(require "canns.analyzer.data.asa.synthetic")
merge(require "canns.analyzer.data.asa.path")
merge(require "canns.analyzer.data.asa.cohomap")
merge(require "canns.analyzer.data.asa.cohomap_vectors")
merge(require "canns.analyzer.data.asa.plotting")
merge(require "canns.analyzer.data.asa.fr")
merge(require "canns.analyzer.data.asa.cohospace")
merge(require "canns.analyzer.data.asa.cohospace_scatter")
merge(require "canns.analyzer.data.asa.cohospace_skewed")
merge(require "canns.analyzer.data.asa.fly_roi")
merge(require "canns.analyzer.data.asa.manifold")
merge(require "canns.analyzer.data.asa.spatial_tda")
M.plot_barcode = require("canns.analyzer.data.asa.barcode").plot_barcode
M.is = nil
M.coerce = nil
M.shuffle_null_model_asa = M.shuffle_null -- the null model alone (benchmarks)
M.shuffle_null = nil
M.extract_coords_and_times = nil

return M
