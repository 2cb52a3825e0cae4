-- Automatic grid-score threshold selection: sweep the top-k neurons by
-- grid score, run TDA and decoding on each subset, and report the k whose
-- CohoScores correlate most negatively with the grid scores.
--
--   build/canns examples/auto_grid_threshold_example.lua [output folder] [--shuffle-refine]
--   (default out/auto_grid_threshold_example)
--
-- Twin of examples/experimental_data_analysis/auto_grid_threshold_example.py
-- of the Python toolkit.  Upstream reads an ASA .npz given on its command
-- line; this twin makes a synthetic session of 36 grid cells plus 12
-- untuned cells, and sweeps at smaller TDA sizes so that it runs in seconds.
local canns = require "canns"
local asa = canns.analyzer.data.asa
local json = require "canns.pipeline.json"

local outdir = arg and arg[1] or "out/auto_grid_threshold_example"
local refine = arg and arg[2] == "--shuffle-refine"
canns.mkdir(outdir)

-- grid cells, then untuned Poisson cells on the same clock
local data = asa.synthetic_grid_session{T = 12000, n_side = 6, seed = 7}
canns.random.seed(7)
local tmax = data.t[data.t:size()]
for _ = 1, 12 do
  local times = (canns.random.uniform({200}) * tmax):totable()
  table.sort(times)
  data.spike[#data.spike + 1] = canns.array(times, "float64")
end

local result = canns.analyzer.workflows.analyze_auto_grid_threshold(data, {
  embed_config = {smooth = true, speed_filter = false},
  min_topk = 20, topk_step = 7, topology_mode = "h1", min_corr_neurons = 5,
  tda_config = {maxdim = 1, n_points = 200, active_times = 2000, k = 300, nbs = 200, show = false,
                progress_bar = false},
  use_shuffle_refinement = refine, shuffle_num_shuffles = 10})

-- the summary as JSON (arrays as lists)
local plain
function plain(v)
  if canns.core.isarray(v) then return plain(v:totable()) end
  if type(v) == "number" and (v ~= v or math.abs(v) == math.huge) then return json.null end
  if type(v) ~= "table" then return v end
  local o = {}
  for k, x in pairs(v) do o[k] = plain(x) end
  return o
end
local path = outdir .. "/auto_grid_threshold_summary.json"
canns.core.write_text(path, json.encode(plain(result), {indent = 2}))

for _, c in ipairs(result.sweep_results) do
  print(("top-k=%d threshold=%.4f status=%s pearson_r=%s"):format(c.topk, c.grid_threshold, c.status,
        c.correlation and ("%.4f"):format(c.correlation.pearson_r) or "-"))
end
local best = result.best_result
if best == nil then
  print("No valid threshold candidate found.")
else
  print(("Best top-k=%d threshold=%.4f pearson_r=%.4f"):format(best.topk, best.grid_threshold,
        best.correlation.pearson_r))
end
print("Saved summary: " .. path)
