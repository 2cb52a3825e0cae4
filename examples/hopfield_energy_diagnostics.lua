-- A 100-neuron sign Hopfield network stores 10 random +-1 patterns; the
-- HopfieldAnalyzer reports capacity and energy statistics; recall quality
-- (mean best-match overlap, 20 synchronous iterations) is measured at
-- noise levels 0..50 % (exactly floor(N * level) distinct bits flipped);
-- then the capacity test stores 5..25 patterns in fresh networks and
-- recalls them at 20 % noise.
--
--   build/canns examples/hopfield_energy_diagnostics.lua [output folder]
--                                    (default out/hopfield_energy_diagnostics)
--
-- Twin of examples/brain_inspired/hopfield_energy_diagnostics.py of the
-- Python toolkit (NumPy seed 42 there; canns.random.seed(42) here, so the
-- random patterns differ but the statistics are the same).
local canns = require "canns"

local outdir = arg and arg[1] or "out/hopfield_energy_diagnostics"
canns.random.seed(42)

local function random_patterns(p, n)
  return canns.where(canns.random.uniform({p, n}):lt(0.5), -1.0, 1.0)
end

-- Flip exactly floor(n * level) distinct bits.
local function add_noise(pattern, level)
  local noisy = pattern:copy()
  local n = pattern:size()
  local perm = canns.random.permutation(n)
  for i = 1, math.floor(n * level + 1e-9) do noisy[perm[i]] = -noisy[perm[i]] end
  return noisy
end

local n_neurons, n_patterns = 100, 10
print(string.format("Creating Hopfield network with %d neurons", n_neurons))
print(string.format("Storing %d patterns", n_patterns))

local model = canns.models.AmariHopfieldNetwork{num_neurons = n_neurons, asyn = false, activation = "sign"}
local trainer = canns.trainer.HebbianTrainer{model = model, subtract_mean = true, zero_diagonal = true,
                                             normalize_by_patterns = true}
local patterns = random_patterns(n_patterns, n_neurons)
trainer:train(patterns)
local analyzer = canns.analyzer.HopfieldAnalyzer{model = model, stored_patterns = patterns}

local stats = analyzer:get_statistics()
print(("="):rep(60)); print("Network Statistics"); print(("="):rep(60))
print(string.format("Number of stored patterns: %d", stats.num_patterns))
print(string.format("Theoretical capacity: %d patterns", stats.capacity_estimate))
print(string.format("Capacity usage: %.1f%%", 100 * stats.capacity_usage))
print(string.format("Mean pattern energy: %.2f", stats.mean_pattern_energy))
print(string.format("Energy std: %.2f", stats.std_pattern_energy))
print(string.format("Energy range: [%.2f, %.2f]", stats.min_pattern_energy, stats.max_pattern_energy))

local noise_levels = {0.0, 0.1, 0.2, 0.3, 0.4, 0.5}
local recall = {}
print(("="):rep(60)); print("Pattern Recall Performance"); print(("="):rep(60))
for k, level in ipairs(noise_levels) do
  local sum = 0
  for i = 1, n_patterns do
    local noisy = add_noise(patterns[i], level)
    local recalled = trainer:predict(noisy, {num_iter = 20})
    sum = sum + analyzer:analyze_recall(noisy, recalled).best_match_overlap
  end
  recall[k] = sum / n_patterns
  print(string.format("Noise level %.1f%%: Mean overlap = %.3f", 100 * level, recall[k]))
end

canns.mkdir(outdir)
model.W:save(outdir .. "/W.npy")
patterns:save(outdir .. "/patterns.npy")
canns.array(recall):save(outdir .. "/recall_overlap.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {14, 10}}
local ax1 = fig:subplot(2, 3, 1)
local idx, en = {}, {}
for i, e in ipairs(analyzer.pattern_energies) do idx[i] = i - 1; en[i] = e end
ax1:bar(idx, en)
ax1:axhline(stats.mean_pattern_energy, {color = "r", linestyle = "--", label = "Mean"})
ax1:set_xlabel("Pattern Index"); ax1:set_ylabel("Energy"); ax1:set_title("Energy of Stored Patterns")
ax1:legend{}; ax1:grid(true, {alpha = 0.3})

local ax2 = fig:subplot(2, 3, 2)
ax2:plot(noise_levels, recall, {marker = "o", linewidth = 2})
ax2:axhline(1.0, {color = "g", linestyle = "--", alpha = 0.5, label = "Perfect recall"})
ax2:axhline(0.0, {color = "r", linestyle = "--", alpha = 0.5, label = "Random"})
ax2:set_xlabel("Noise Level"); ax2:set_ylabel("Mean Overlap with Stored Pattern")
ax2:set_title("Recall Performance vs Noise"); ax2:set_ylim(0, 1.1)
ax2:grid(true, {alpha = 0.3}); ax2:legend{}

local ax3 = fig:subplot(2, 3, 3)
local im = ax3:imshow(model.W, {cmap = "RdBu_r", aspect = "auto"})
ax3:set_xlabel("Neuron j"); ax3:set_ylabel("Neuron i"); ax3:set_title("Learned Weight Matrix")
ax3:colorbar(im, {})

local side = 10
for k, pi in ipairs{1, n_patterns // 2 + 1, n_patterns} do
  local ax = fig:subplot(2, 3, 3 + k)
  local p = patterns[pi]
  local noisy = add_noise(p, 0.3)
  local rec = trainer:predict(noisy, {num_iter = 20})
  local d = analyzer:analyze_recall(noisy, rec)
  local comp = canns.concatenate({p:reshape(side, side), noisy:reshape(side, side), rec:reshape(side, side)}, 2)
  ax:imshow(comp, {cmap = "gray"})
  ax:set_title(string.format("Pattern %d: Overlap=%.2f\nOriginal | Noisy (30%%) | Recalled", pi - 1,
                             d.best_match_overlap))
  ax:axis("off")
end
fig:savefig(outdir .. "/hopfield_energy_diagnostics.png", {dpi = 100})

print(("="):rep(60)); print("Testing Capacity Limit"); print(("="):rep(60))
local counts, cap_results = {5, 10, 15, 20, 25}, {}
for k, P in ipairs(counts) do
  local m = canns.models.AmariHopfieldNetwork{num_neurons = n_neurons, asyn = false, activation = "sign"}
  local tr = canns.trainer.HebbianTrainer{model = m}
  local pats = random_patterns(P, n_neurons)
  tr:train(pats)
  local an = canns.analyzer.HopfieldAnalyzer{model = m, stored_patterns = pats}
  local sum = 0
  for i = 1, P do
    local noisy = add_noise(pats[i], 0.2)
    sum = sum + an:analyze_recall(noisy, tr:predict(noisy, {num_iter = 20})).best_match_overlap
  end
  cap_results[k] = sum / P
  print(string.format("Patterns: %2d (Capacity: %5.1f%%) -> Mean overlap: %.3f", P,
                      100 * P / an:estimate_capacity(), cap_results[k]))
end
canns.array(cap_results):save(outdir .. "/capacity_overlap.npy")

local fig2 = viz.figure{figsize = {10, 6}}
local ax = fig2:subplot(1, 1, 1)
ax:plot(counts, cap_results, {marker = "o", linewidth = 2})
ax:axvline(analyzer:estimate_capacity(), {color = "r", linestyle = "--", label = "Theoretical capacity"})
print(string.format("Theoretical capacity estimate: %d patterns", analyzer:estimate_capacity()))
ax:set_xlabel("Number of Stored Patterns"); ax:set_ylabel("Mean Recall Overlap (20% noise)")
ax:set_title("Recall Quality vs Number of Stored Patterns"); ax:set_ylim(0, 1.1)
ax:grid(true, {alpha = 0.3}); ax:legend{}
fig2:savefig(outdir .. "/hopfield_capacity_test.png", {dpi = 100})
print("wrote hopfield_energy_diagnostics.png, hopfield_capacity_test.png and the arrays to " .. outdir)
