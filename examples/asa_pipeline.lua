-- The ASA pipeline runner: the whole Attractor Structure Analysis chain
-- (spike-train embedding, TDA, decoding of the two circular coordinates,
-- CohoMap, path comparison, CohoSpace, firing-rate heat map and map) from
-- one configuration table, with stage caching.  The session is a
-- synthetic grid-cell recording written to an .npz first (the layout the
-- runner and `canns asa` read); the chain runs once, again (every stage
-- reused from its cache), and once more with a changed smoothing of the
-- CohoSpace figures (only that stage recomputed).
--
--   build/canns examples/asa_pipeline.lua [output folder]
--   (default out/asa_pipeline)
--
-- canns' twin of upstream's `canns.pipeline.asa` runner (the TUI's
-- PipelineRunner) driven from a script, on a scaled-down session.
local canns = require "canns"
local asa = canns.analyzer.data.asa
local P = canns.pipeline.asa

local outdir = arg and arg[1] or "out/asa_pipeline"
canns.mkdir(outdir)

-- 36 grid cells on a twisted torus, 100 s in 10 ms steps
local session = outdir .. "/grid_session.npz"
P.save_asa_npz(session, asa.synthetic_grid_session{T = 10000, n_side = 6, seed = 1})

local config = {
  input = session, workdir = outdir, preset = "grid",
  preprocess = {method = "embed_spike_trains"},
  tda = {active_times = 1500, k = 150, n_points = 200, nbs = 150, num_times = 2},
  decode = {num_circ = 2},
  cohospace = {neuron_id = 1, subsample = 2},
  stages = {"tda", "cohomap", "pathcompare", "cohospace", "fr", "frm"},
}

local function report(label, r, runner)
  assert(r.success, r.error)
  print(("%s: %s; computed: %s; reused: %s"):format(label, r.summary,
    #r.ran > 0 and table.concat(r.ran, ", ") or "nothing", #r.cached > 0 and table.concat(r.cached, ", ") or "nothing"))
  for _, w in ipairs(runner.warnings) do print("  warning: " .. w) end
end

local runner = P.PipelineRunner(config)
local r = runner:run()
report("first run", r, runner)

runner = P.PipelineRunner(config)
report("second run", runner:run(), runner)

config.cohospace.subsample = 4
runner = P.PipelineRunner(config)
report("cohospace.subsample = 4", runner:run(), runner)

print("results in " .. r.out .. " (configuration in config.json):")
local names = {}
for k in pairs(r.artifacts) do names[#names + 1] = k end
table.sort(names)
for _, k in ipairs(names) do print(("  %-22s %s"):format(k, r.artifacts[k])) end
