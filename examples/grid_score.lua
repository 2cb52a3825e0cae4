-- Grid scores of a population: per neuron a 35 x 35 rate map, its
-- spatial autocorrelogram (63 x 63) and the gridness score; the best
-- neuron's rate map, annotated autocorrelogram and the histogram of all
-- scores.
--
--   build/canns examples/grid_score.lua [output folder]   (default out/grid_score)
--
-- Twin of examples/cell_classification/grid_score.py of the Python
-- toolkit (embedding without smoothing, speed filter on with minimum
-- speed 0, 35 bins, 30-bin histogram), on a synthetic grid-cell session
-- made by canns (asa.synthetic_grid_session) instead of the downloaded
-- grid dataset; the figures are saved into the output folder instead of
-- shown.
local canns = require "canns"
local asa = canns.analyzer.data.asa
local cc = canns.analyzer.data.cell_classification

local outdir = arg and arg[1] or "out/grid_score"
canns.mkdir(outdir)

local data = asa.synthetic_grid_session{T = 20000, n_side = 6, seed = 2}
local E, xx, yy = asa.embed_spike_trains(data, {smooth = false, speed_filter = true, min_speed = 0})
local T, N = E:shape(1), E:shape(2)
print(string.format("embedding: %d bins x %d neurons", T, N))

local analyzer = cc.GridnessAnalyzer()
local maps, acs, results, scores = {}, {}, {}, {}
for n = 1, N do
  local counts = E:slice(2, n):flatten()
  maps[n] = cc.compute_rate_map_from_binned(xx, yy, counts, {bins = 35})
  acs[n] = cc.compute_2d_autocorrelation(maps[n])
  results[n] = analyzer:compute_gridness_score(acs[n])
  scores[n] = results[n].score
end
print(string.format("autocorrelogram shape: %d x %d", acs[1]:shape(1), acs[1]:shape(2)))

local best, finite = nil, 0
for n = 1, N do
  local s = scores[n]
  if s == s then
    finite = finite + 1
    if best == nil or s > scores[best] then best = n end
  end
end
print(string.format("finite scores: %d/%d", finite, N))
if best == nil then
  print("no neuron has a finite grid score")
  return
end
local r = results[best]
local function list(a, f)
  local t = {}
  for i, v in ipairs(a:totable()) do t[i] = string.format(f, v) end
  return table.concat(t, ", ")
end
print(string.format("best neuron: %d (0-based %d)", best, best - 1))
print(string.format("grid score: %.3f", r.score))
print("spacing (bins): " .. list(r.spacing, "%.2f"))
print("orientation (deg): " .. list(r.orientation, "%.1f"))

cc.plot_rate_map(maps[best], {title = string.format("Rate map (neuron %d)", best - 1),
                              save_path = outdir .. "/rate_map.png", show = false})
cc.plot_autocorrelogram(acs[best], {gridness_score = r.score, center_radius = r.center_radius,
                                    peak_locations = r.peak_locations,
                                    title = string.format("Autocorrelogram (neuron %d)", best - 1),
                                    save_path = outdir .. "/autocorrelogram.png", show = false})
cc.plot_grid_score_histogram(scores, {bins = 30, save_path = outdir .. "/grid_score_histogram.png", show = false})
print("figures: " .. outdir .. "/rate_map.png, autocorrelogram.png, grid_score_histogram.png")
