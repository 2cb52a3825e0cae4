-- Oja's rule against Sanger's rule on the same 50-dimensional data with
-- three principal subspaces (3 output neurons each, learning rate 0.001,
-- weights renormalised, 50 full passes): Oja's rows all drift to the first
-- principal component, Sanger's (generalised Hebbian, a Gram-Schmidt term)
-- find the first three, orthogonal to each other.  Alignment with the
-- exact PCA axes (LAPACK) and pairwise |dot products| are printed and
-- plotted.
--
--   build/canns examples/oja_vs_sanger_comparison.lua [output folder]
--                                   (default out/oja_vs_sanger_comparison)
--
-- Twin of examples/brain_inspired/oja_vs_sanger_comparison.py of the
-- Python toolkit (NumPy seed 42 there, canns.random.seed(42) here).
local canns = require "canns"
local here = arg[0]:match("^(.*)/[^/]*$") or "."
local P = dofile(here .. "/lib/pca_data.lua")

local outdir = arg and arg[1] or "out/oja_vs_sanger_comparison"
canns.random.seed(42)

local n_samples, n_features, n_components, n_epochs = 500, 50, 3, 50
local data = P.make_data(n_samples)
print(("Data shape: (%d, %d)"):format(n_samples, n_features))
local comps, ratio = P.pca(data, n_components)
print("True PCA explained variance ratio: " .. P.fmt(ratio))

local function train(name, Trainer)
  print("\n" .. ("="):rep(70)); print("Training " .. name); print(("="):rep(70))
  local model = canns.models.LinearLayer{input_size = n_features, output_size = n_components}
  local tr = Trainer{model = model, learning_rate = 0.001, normalize_weights = true}
  for epoch = 1, n_epochs do
    tr:train(data)
    if epoch % 10 == 0 then
      print(("Epoch %d: Variance explained by each neuron: %s"):format(epoch,
            P.fmt(P.output_variance(model.W, data))))
    end
  end
  return model.W
end

local W_oja = train("Oja's Rule", canns.trainer.OjaTrainer)
local W_sanger = train("Sanger's Rule", canns.trainer.SangerTrainer)

print("\n" .. ("="):rep(70)); print("Comparison: Oja vs Sanger vs PCA"); print(("="):rep(70))
local oja_al, sanger_al = P.alignment(W_oja, comps), P.alignment(W_sanger, comps)
local oja_or, sanger_or = P.orthogonality(W_oja), P.orthogonality(W_sanger)
print("\nAlignment with PCA (cosine similarity):")
print("  Oja:    " .. P.fmt(oja_al)); print("  Sanger: " .. P.fmt(sanger_al))
print("\nOrthogonality (|dot product| between components, should be ~0):")
print("  Oja:    " .. P.fmt(oja_or)); print("  Sanger: " .. P.fmt(sanger_or))

canns.mkdir(outdir)
W_oja:save(outdir .. "/W_oja.npy")
W_sanger:save(outdir .. "/W_sanger.npy")

local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {15, 10}}
local function bars(pos, values, title, ylabel, ylim, ref, ref_label, colour, xlabels)
  local ax = fig:subplot(2, 3, pos)
  local x = {}
  for i = 1, #values do x[i] = i - 1 end
  ax:bar(x, values, {color = colour})
  if xlabels then ax:set_xticks(x, xlabels) end
  ax:set_xlabel(xlabels and "Component Pair" or "Component"); ax:set_ylabel(ylabel)
  ax:set_title(title); ax:set_ylim(0, ylim)
  ax:axhline(ref, {color = "gray", linestyle = "--", alpha = 0.5, label = ref_label})
  ax:grid(true, {alpha = 0.3, axis = "y"})
  for i, v in ipairs(values) do ax:text(i - 1, v + 0.02, ("%.3f"):format(v), {ha = "center"}) end
  ax:legend{}
end
for row, r in ipairs{{"Oja", W_oja, oja_al, oja_or, "#e74c3c"}, {"Sanger", W_sanger, sanger_al, sanger_or, "#2ecc71"}} do
  local ax = fig:subplot(2, 3, 3 * row - 2)
  local im = ax:imshow(r[2], {aspect = "auto", cmap = "RdBu_r"})
  ax:set_xlabel("Input Dimension"); ax:set_ylabel("Component"); ax:set_title(r[1] .. ": Learned Weights")
  ax:colorbar(im, {})
  bars(3 * row - 1, r[3], r[1] .. ": Alignment with PCA", "Cosine Similarity", 1.1, 0.9, "Good (>0.9)", r[5])
  bars(3 * row, r[4], r[1] .. ": Orthogonality (should be ~0)", "|Dot Product|", 1.0, 0.1, "Good (<0.1)",
       r[5], {"0-1", "0-2", "1-2"})
end
fig:savefig(outdir .. "/oja_vs_sanger_comparison.png")
print("\nPlot saved as '" .. outdir .. "/oja_vs_sanger_comparison.png'")
print([[

Oja's rule: every neuron converges to the first principal component on
its own (nothing keeps them apart), so only component 1 aligns well.
Sanger's rule subtracts the parts explained by the neurons before it
(dW_i = eta y_i (x - sum_{j<=i} y_j W_j)), so neuron i finds the i-th
component, orthogonal to the others.]])
