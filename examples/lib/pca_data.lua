-- Shared by examples/oja_pca_extraction.lua and
-- examples/oja_vs_sanger_comparison.lua (loaded with dofile): upstream's
-- synthetic data with three principal subspaces, the exact PCA of it
-- (LAPACK through canns.linalg.eigh of the covariance) and the alignment
-- and orthogonality measures both examples print.
local canns = require "canns"
local L = {}

--- (n, 50): 10 dims of s.d. 3, 10 of 1.5, 10 of 0.8, 20 of noise 0.3.
function L.make_data(n)
  local parts = {}
  for i, sd in ipairs{3.0, 1.5, 0.8} do parts[i] = canns.random.normal({n, 10}) * sd end
  parts[4] = canns.random.normal({n, 20}) * 0.3
  return canns.concatenate(parts, 2):astype("float32")
end

--- The first k principal axes (k, d) and their explained-variance ratios,
-- as sklearn's PCA (centred covariance, eigenvalues descending).
function L.pca(data, k)
  local x = data:astype("float64")
  local n, d = x:shape()[1], x:shape()[2]
  x = x - x:mean(1)
  local C = canns.matmul(x:transpose(), x) / (n - 1)
  local w, V = canns.linalg.eigh(C)           -- ascending
  local total = w:sum()
  local comps, ratio = canns.zeros({k, d}, "float64"), {}
  for i = 1, k do
    local col = d - i + 1
    for j = 1, d do comps[{i, j}] = V[{j, col}] end
    ratio[i] = w[col] / total
  end
  return comps, ratio
end

--- |cosine| between row i of W and row i of the principal axes.
function L.alignment(W, comps)
  local out = {}
  for i = 1, comps:shape()[1] do
    local a, b = W[i]:astype("float64"), comps[i]
    out[i] = math.abs((a * b):sum() / math.sqrt((a * a):sum() * (b * b):sum()))
  end
  return out
end

--- |dot| between every pair of rows of W.
function L.orthogonality(W)
  local out, k = {}, W:shape()[1]
  for i = 1, k do
    for j = i + 1, k do out[#out + 1] = math.abs((W[i] * W[j]):sum()) end
  end
  return out
end

--- Variance of each output of y = W x over the data (numpy var, ddof 0).
function L.output_variance(W, data)
  local y = canns.matmul(data, W:transpose())
  local v, t = y:var(1), {}
  for i = 1, v:size() do t[i] = v[i] end
  return t
end

function L.fmt(t)
  local s = {}
  for i, v in ipairs(t) do s[i] = ("%.3f"):format(v) end
  return "[" .. table.concat(s, ", ") .. "]"
end

return L
