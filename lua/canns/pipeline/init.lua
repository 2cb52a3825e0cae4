--- Pipelines: parameter sweeps with checkpoint/resume (`Sweep`).
--
-- Also the model gallery's runner and its terminal UI (`gallery`,
-- `canns gallery`), and the ASA pipeline runner with stage caching
-- (`asa.PipelineRunner`, also `ASAPipeline`) with its terminal UI
-- (`canns asa`), and the launcher that picks between them (`canns tui`).
-- @module canns.pipeline

local sweep = require "canns.pipeline.sweep"
local sampling = require "canns.pipeline.sampling"

local M = {}

--- `canns.pipeline.Sweep{name, out, params, run, seed, sampling, samples,
-- workers, progress, retry_failed}`: see canns.pipeline.sweep.
M.Sweep = sweep.Sweep
--- The seed a sweep seeded with `seed` hands to point `index` (from 1).
M.point_seed = function(seed, index)
  local A = require "canns.argcheck"
  seed = A.int(seed, "point_seed", 1, "seed", {min = 0, max = 2^53})
  index = A.int(index, "point_seed", 2, "index", {min = 1})
  return sampling.point_seed(seed, index)
end

--- The model gallery: `canns.pipeline.gallery.run{model, analysis, out,
-- params}` (see canns.pipeline.gallery).
M.gallery = require "canns.pipeline.gallery"

--- The ASA pipeline: `canns.pipeline.asa.PipelineRunner{input, ...}`
-- (see canns.pipeline.asa.runner).
M.asa = require "canns.pipeline.asa"
--- Another name for `asa.PipelineRunner`.
M.ASAPipeline = M.asa.PipelineRunner

--- The launcher of the terminal UIs (`canns tui`; `ModePicker`,
-- `launcher_main`): see canns.pipeline.launcher.
M.launcher = require "canns.pipeline.launcher"

return M
