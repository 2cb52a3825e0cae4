-- Oja's rule extracts the first principal component of 50-dimensional
-- data with three principal subspaces: 3 output neurons, learning rate
-- 0.001, weights renormalised, 20 full passes; weight norms and the
-- variance captured by each output every 2 passes, the learned weights,
-- and each row's alignment with the exact PCA axes (LAPACK).  Oja's rule
-- does not decorrelate its outputs, so every row tends to the first
-- component (see oja_vs_sanger_comparison.lua).
--
--   build/canns examples/oja_pca_extraction.lua [output folder]
--                                        (default out/oja_pca_extraction)
--
-- Twin of examples/brain_inspired/oja_pca_extraction.py of the Python
-- toolkit (NumPy seed 42 there, canns.random.seed(42) here: the same
-- statistics, other samples; PCA by eigh of the covariance instead of
-- sklearn).
local canns = require "canns"
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(here .. "/lib/pca_data.lua")

local outdir = arg and arg[1] or "out/oja_pca_extraction"
canns.random.seed(42)

local n_samples, n_features, n_components = 500, 50, 3
local data = P.make_data(n_samples)
print(("Data shape: (%d, %d)"):format(n_samples, n_features))
local comps, ratio = P.pca(data, n_components)
print("\nTrue PCA explained variance ratio: " .. P.fmt(ratio))

local model = canns.models.LinearLayer{input_size = n_features, output_size = n_components}
local trainer = canns.trainer.OjaTrainer{model = model, learning_rate = 0.001, normalize_weights = true}

local n_epochs, every = 20, 2
local norms_hist, var_hist, epochs = {}, {}, {}
local total_var = data:astype("float64"):var()
print(("\nTraining for %d epochs (checkpoint every %d)..."):format(n_epochs, every))
for epoch = 1, n_epochs do
  trainer:train(data)
  if epoch % every == 0 then
    local W = model.W:astype("float64")
    local norms = (W * W):sum(2):sqrt()
    local nt, vt = {}, P.output_variance(model.W, data)
    for i = 1, n_components do nt[i] = norms[i]; vt[i] = vt[i] / total_var end
    norms_hist[#norms_hist + 1], var_hist[#var_hist + 1], epochs[#epochs + 1] = nt, vt, epoch
    print(("Epoch %d/%d: Weight norms: [%.4f, %.4f], Variance: [%.2f, %.2f]"):format(epoch, n_epochs,
          math.min(table.unpack(nt)), math.max(table.unpack(nt)), math.min(table.unpack(vt)),
          math.max(table.unpack(vt))))
  end
end
print("\nTraining complete!")

local sims = P.alignment(model.W, comps)
print("Alignment with PCA (|cosine|): " .. P.fmt(sims))

canns.mkdir(outdir)
model.W:save(outdir .. "/W.npy")
comps:save(outdir .. "/pca_components.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {12, 10}}
local ax = fig:subplot(2, 2, 1)
for i = 1, n_components do
  local y = {}
  for e = 1, #epochs do y[e] = norms_hist[e][i] end
  ax:plot(epochs, y, {label = "Component " .. i, marker = "o", markersize = 4})
end
ax:axhline(1.0, {color = "r", linestyle = "--", alpha = 0.5})
ax:set_xlabel("Epoch"); ax:set_ylabel("Weight Norm")
ax:set_title("Weight Norm Convergence (should be ~1.0)"); ax:legend{}; ax:grid(true, {alpha = 0.3})

ax = fig:subplot(2, 2, 2)
for i = 1, n_components do
  local y = {}
  for e = 1, #epochs do y[e] = var_hist[e][i] end
  ax:plot(epochs, y, {label = "Component " .. i, marker = "o", markersize = 4})
end
ax:set_xlabel("Epoch"); ax:set_ylabel("Variance Explained")
ax:set_title("Variance Explained by Each Component"); ax:legend{}; ax:grid(true, {alpha = 0.3})

ax = fig:subplot(2, 2, 3)
local im = ax:imshow(model.W, {aspect = "auto", cmap = "RdBu_r"})
ax:set_xlabel("Input Dimension"); ax:set_ylabel("Output Component"); ax:set_title("Learned Weight Matrix")
ax:colorbar(im, {})

ax = fig:subplot(2, 2, 4)
ax:bar({0, 1, 2}, sims)
ax:set_xlabel("Component"); ax:set_ylabel("Cosine Similarity with PCA")
ax:set_title("Oja vs PCA Component Alignment"); ax:set_ylim(0, 1.1); ax:grid(true, {alpha = 0.3, axis = "y"})
for i, v in ipairs(sims) do ax:text(i - 1, v + 0.02, ("%.3f"):format(v), {ha = "center"}) end
fig:savefig(outdir .. "/oja_pca_extraction.png")
print("\nPlot saved as '" .. outdir .. "/oja_pca_extraction.png'")
