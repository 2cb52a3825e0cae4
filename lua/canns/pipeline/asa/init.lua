--- The ASA pipeline (upstream `canns.pipeline.asa`): the runner with
-- stage caching (`PipelineRunner`), its configuration (`DEFAULTS`,
-- `PRESETS`, `STAGES`) and the session files (`save_asa_npz`,
-- `load_asa_npz`), and its terminal UI (`canns asa`, `asa_main`).
-- @module canns.pipeline.asa

local runner = require "canns.pipeline.asa.runner"
local config = require "canns.pipeline.asa.config"
local files = require "canns.pipeline.asa.files"

local M = {}

--- `PipelineRunner(cfg, opts)`: see canns.pipeline.asa.runner.
M.PipelineRunner = runner.PipelineRunner
--- Read a saved `config.json` back as a configuration.
M.load_config = runner.load_config
--- Write a session `.npz` (see canns.pipeline.asa.files).
M.save_asa_npz = files.save_asa_npz
--- Read a session `.npz`.
M.load_asa_npz = files.load_asa_npz
--- Every configuration section with its fields' defaults.
M.DEFAULTS = {}
for sec, fields in pairs(config.SCHEMA) do
  M.DEFAULTS[sec] = {}
  for k, f in pairs(fields) do M.DEFAULTS[sec][k] = f[1] end
end
--- Upstream's presets ("grid", "hd", "none").
M.PRESETS = config.PRESETS
--- The analysis stages, in run order.
M.STAGES = config.STAGES

--- The ASA terminal UI (`canns asa [workdir]`; upstream's `asa_main`):
-- see canns.pipeline.tui.asa.
-- @tparam[opt="."] string workdir
function M.asa_main(workdir)
  return require("canns.pipeline.tui.asa").main(workdir)
end

--- Another name for `asa_main` (upstream `canns.pipeline.asa.main`).
M.main = M.asa_main

return M
