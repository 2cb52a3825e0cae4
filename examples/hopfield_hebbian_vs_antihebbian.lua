-- Hebbian storage of four binary pictures (no centring, no normalising:
-- W = sum p p^T with a zero diagonal), recall from 40 % flipped copies;
-- then AntiHebbianTrainer (same flags) on the second picture only, which
-- removes exactly its outer product: that picture is no longer recalled
-- while the other three still are.
--
--   build/canns examples/hopfield_hebbian_vs_antihebbian.lua [output folder] [side]
--                          (default out/hopfield_hebbian_vs_antihebbian, side 64)
--
-- Twin of examples/brain_inspired/hopfield_hebbian_vs_antihebbian.py of
-- the Python toolkit, which uses four scikit-image photographs at 128 x
-- 128; canns draws its own four pictures (those of hopfield_train.lua).
local canns = require "canns"

local outdir = arg and arg[1] or "out/hopfield_hebbian_vs_antihebbian"
local side = tonumber(arg and arg[2]) or 64
canns.random.seed(42)

-- Four pictures on [-1, 1]^2 (examples/lib/hopfield_pictures.lua, shared with
-- the other Hopfield example), loaded from beside this script.
local here = (arg and arg[0] or ""):match("^(.*[/\\])") or "./"
local pictures = dofile(here .. "lib/hopfield_pictures.lua")

local data = pictures(side)
local names = {"Face", "House", "Rings", "Spiral"}
local N = side * side
print(string.format("Network size: %d neurons", N))
print(string.format("Number of images: %d", #data))

local model = canns.models.AmariHopfieldNetwork{num_neurons = N, asyn = false, activation = "sign"}
local tests = {}
for i, d in ipairs(data) do tests[i] = canns.where(canns.random.uniform(N):lt(0.4), -d, d) end

local function corr(a, b)
  a = a:astype("float64"); b = b:astype("float64")
  local da, db = a - canns.mean(a), b - canns.mean(b)
  local den = math.sqrt(canns.dot(da, da) * canns.dot(db, db))
  return den > 0 and canns.dot(da, db) / den or 0 / 0
end
local function mse(a, b) local d = (a - b):astype("float64"); return canns.dot(d, d) / d:size() end

print(("="):rep(60)); print("Step 1: Hebbian Learning on all 4 images"); print(("="):rep(60))
local hebb = canns.trainer.HebbianTrainer{model = model, subtract_mean = false, normalize_by_patterns = false}
hebb:train(data)
local after_hebb = hebb:predict_batch(tests, {show_sample_progress = true})
print("Recovery after Hebbian learning:")
local c_hebb, c_anti = {}, {}
for i = 1, #data do
  c_hebb[i] = corr(data[i], after_hebb[i])
  print(string.format("  %s: MSE=%.4f, Correlation=%.4f", names[i], mse(data[i], after_hebb[i]), c_hebb[i]))
end

print(("="):rep(60)); print("Step 2: Anti-Hebbian Unlearning of " .. names[2]); print(("="):rep(60))
local anti = canns.trainer.AntiHebbianTrainer{model = model, subtract_mean = false, normalize_by_patterns = false}
anti:train({data[2]})
local after_anti = anti:predict_batch(tests, {show_sample_progress = true})
print("Recovery after Anti-Hebbian unlearning of " .. names[2] .. ":")
for i = 1, #data do
  c_anti[i] = corr(data[i], after_anti[i])
  print(string.format("  %s: MSE=%.4f, Correlation=%.4f%s", names[i], mse(data[i], after_anti[i]), c_anti[i],
                      i == 2 and "  <- UNLEARNED" or ""))
end

canns.mkdir(outdir)
after_hebb:save(outdir .. "/predicted_after_hebbian.npy")
after_anti:save(outdir .. "/predicted_after_antihebbian.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {12, 10}}
local titles = {"Original", "After Hebbian Learning", "After Unlearning " .. names[2]}
for i = 1, #data do
  local imgs = {data[i], after_hebb[i], after_anti[i]}
  for j = 1, 3 do
    local ax = fig:subplot(#data, 3, (i - 1) * 3 + j)
    ax:imshow(imgs[j]:reshape(side, side), {cmap = "gray", vmin = -1, vmax = 1})
    ax:axis("off")
    if i == 1 then ax:set_title(titles[j], {fontsize = 12, fontweight = "bold"}) end
    if j > 1 then
      local c = j == 2 and c_hebb[i] or c_anti[i]
      local face = j == 2 and "lightgreen" or (i == 2 and "salmon" or "lightblue")
      ax:text(0.5, -0.08, string.format("Corr: %.3f", c), {transform = "axes", fontsize = 9, ha = "center",
              va = "top", bbox = {facecolor = face, alpha = 0.7}})
    end
  end
end
fig:savefig(outdir .. "/hopfield_hebbian_vs_antihebbian.png", {dpi = 150, bbox_inches = "tight"})
print("Figure saved to " .. outdir .. "/hopfield_hebbian_vs_antihebbian.png")
