--- Topological data analysis: Vietoris–Rips persistent homology.
--
-- A C implementation of Bauer's Ripser algorithm with the conventions of
-- ripser.py (and of the Rust helper `canns_lib.ripser` used by the Python
-- toolkit), plus the shuffle null model of the ASA pipeline.
--
--     local tda = canns.analyzer.tda
--     local res = tda.ripser(X, {maxdim = 2, coeff = 2, do_cocycles = true})
--     print(res.dgms[2])          -- H1: {n_bars, 2} (birth, death)
--     print(res.cocycles[2][1])   -- cocycle of the first H1 bar
--
-- Values are single precision (as in Ripser): distances are computed and
-- compared in float32; diagrams are float64 arrays holding float32 values.
-- Vertex ids (cocycles, `idx_perm`) are 1-based, like every index in Lua.
-- Results never depend on the number of threads.  See docs/tda.md.
-- @module canns.analyzer.tda

local core = require "canns.core"
local C = core.tda
local A = require "canns.argcheck"

local M = {}

--- Persistence diagrams (and cocycles) of the Vietoris–Rips filtration.
--
-- `X` is one of
--
-- * a point cloud: an array (or nested table) with one point per row;
-- * a dense distance matrix `{n, n}` with `distance_matrix = true`
--   (symmetric, non-negative, no NaN; `math.huge` entries allowed; a
--   non-zero diagonal gives vertex birth times as in ripser.py);
-- * a sparse distance matrix as triplets: a table
--   `{row = ..., col = ..., data = ..., n = N}` with 1-based indices
--   (see `coo_matrix`); `(i, j)` and `(j, i)` name the same edge, diagonal
--   entries are vertex births, missing pairs are not edges.
--
-- Options (defaults are ripser.py's):
--
-- * `maxdim` (1): diagrams for dimensions 0..maxdim;
-- * `thresh` (`math.huge`): largest diameter; for dense input `math.huge`
--   means the enclosing radius (min over points of the max distance), which
--   gives the same diagrams as no threshold;
-- * `coeff` (2): prime modulus p < 65536 (homology over Z/p);
-- * `distance_matrix` (false), `do_cocycles` (false);
-- * `metric` ("euclidean"): also "manhattan", "cosine", "chebyshev",
--   "minkowski";
-- * `metric_p` (2): the Minkowski exponent, finite and >= 1, only with
--   `metric = "minkowski"` (canns-lib 0.11's keyword; p = 2 is the
--   Euclidean path exactly, other p sum |x - y|^p in double precision as
--   scipy does, rounded to float32);
-- * `n_perm` (nil): greedy farthest-point subsample of that many points;
-- * `num_threads` (0 = all), `progress_bar` / `verbose` (false);
-- * `apparent_pairs` (true), `engine` ("auto", "dense", "sparse"): internal
--   strategies; the results are identical either way.
--
-- @param X points, distance matrix or triplets
-- @tparam[opt] table opts options
-- @treturn table `dgms` (`dgms[d+1]` is a float64 array `{n_bars, 2}`,
--   death `math.huge` for essential bars), `cocycles` (`cocycles[d+1][i]`
--   is an int64 array `{m, d+2}`: the d+1 vertices of a simplex in
--   decreasing order, then its coefficient in [0, p); `cocycles[1]` is
--   empty), `num_edges`, `threshold` (the one used), `r_cover`,
--   `idx_perm` (1-based), `dperm2all` (float32 distances used, rows of the
--   subsample; absent for sparse input), `stats` (`columns`, `peak_bytes`,
--   `engine`).
function M.ripser(X, opts)
  return C.ripser(X, opts)
end

--- The plain reference: the whole filtration up to dimension maxdim+1,
-- reduced as a boundary matrix without any optimisation.  Same inputs and
-- diagrams as `ripser` (no cocycles, no subsampling); for tests and small
-- inputs only.
-- @param X points, distance matrix or triplets
-- @tparam[opt] table opts as for `ripser`
-- @treturn table `dgms`, `num_edges`, `threshold`
function M.ripser_reference(X, opts)
  return C.ripser_reference(X, opts)
end

--- Pairwise distances of a point cloud in single precision.
-- @param X points (one per row)
-- @tparam[opt="euclidean"] string metric (also "minkowski")
-- @tparam[opt=2] number p the Minkowski exponent (metric "minkowski")
-- @return float32 array `{n, n}`
function M.pairwise_distances(X, metric, p)
  return C.pairwise_distances(X, metric, p)
end

--- A sparse distance matrix from triplets (1-based indices), for `ripser`.
-- @param row row indices
-- @param col column indices
-- @param data distances
-- @tparam[opt] int n number of vertices (default: the largest index)
-- @treturn table `{row = ..., col = ..., data = ..., n = n}`
function M.coo_matrix(row, col, data, n)
  return {row = row, col = col, data = data, n = n}
end

--- The shuffle null model (canns_lib's `shuffle_null_model`, used by upstream `canns.analyzer.data.asa`).
--
-- Each shuffle rolls every neuron's time series (a column of `spikes`) by
-- its own uniform random shift in [0, T), treats the N neurons as points of
-- R^T (Euclidean distances), runs `ripser` and records, per dimension, the
-- longest finite bar (0 when there is none).  Shuffle s draws its shifts
-- from the Philox generator keyed by `seed` (block s·2^32 + neuron), so the
-- same seed gives the same null distribution for any thread count.
--
-- Options: `num_shuffles` (1000), `maxdim` (1, at most 2), `thresh`
-- (`math.huge`: enclosing radius), `coeff` (2), `seed` (0), `num_threads`
-- (0 = all), `progress_bar` (false); canns-lib 0.11's `metric` and
-- `metric_p` (as for `ripser`; "euclidean" by default) and `shifts` (an
-- integer `{num_shuffles, N}` matrix of numpy.roll offsets in [0, T),
-- instead of `seed`).
-- @param spikes array `{T, N}` (time x neurons)
-- @tparam[opt] table opts options
-- @treturn table `res[d+1]`: float32 array of the `num_shuffles` maxima of
--   dimension d; `res.threshold[d+1]`: their 99.9th percentile (linear
--   interpolation, the significance threshold drawn in the barcode);
--   `res.mean[d+1]`: their mean.
function M.shuffle_null_model(spikes, opts)
  return C.shuffle_null_model(spikes, opts)
end

--- The offsets of the null model's shuffles (canns_lib's
-- `generate_offsets`): a `{num_shuffles, N}` int64 matrix of numpy.roll
-- offsets in [0, T).  With `seed` they are the offsets
-- `shuffle_null_model{seed = seed}` draws (Philox, block s·2^32 + neuron),
-- so handing them back as `shifts` replays that run; with `shifts` they
-- are checked and copied.  `seed` and `shifts` are exclusive; neither
-- means seed 0.
-- @tparam table shape `{T, N}` (samples, features), both at least 1
-- @int num_shuffles at least 1
-- @tparam[opt] table opts `seed` (integer >= 0) or `shifts` (integer matrix)
-- @treturn array int64 `{num_shuffles, N}`
function M.generate_offsets(shape, num_shuffles, opts)
  local F = "generate_offsets"
  A.table(shape, F, 1, "shape")
  if #shape ~= 2 then A.fail(F, 1, "shape", "must be {n_samples, n_features}, got %d entries", #shape) end
  local T = A.int(shape[1], F, 1, "shape[1]", {min = 1})
  local N = A.int(shape[2], F, 1, "shape[2]", {min = 1})
  local K = A.int(num_shuffles, F, 2, "num_shuffles", {min = 1})
  opts = A.options(opts, F, {"seed", "shifts"})
  if opts.seed ~= nil and opts.shifts ~= nil then A.error(F, "seed and shifts cannot be given together") end
  if opts.shifts == nil then
    return C.shuffle_offsets(T, N, K, A.int(opts.seed, F, "seed", nil, {default = 0, min = 0}))
  end
  local S = A.array(opts.shifts, F, 3, "shifts", {convert = true})
  if S:ndim() ~= 2 or S:shape(1) ~= K or S:shape(2) ~= N then
    A.fail(F, 3, "shifts", "must have shape (%d, %d), got %s", K, N, A.describe(S))
  end
  if S:dtype() ~= "int32" and S:dtype() ~= "int64" then
    A.fail(F, 3, "shifts", "must have an integer dtype, got %s", S:dtype())
  end
  S = S:astype("int64")
  if S:size() > 0 and (S:min() < 0 or S:max() >= T) then
    A.fail(F, 3, "shifts", "must satisfy 0 <= offset < %d, got values in [%d, %d]", T, S:min(), S:max())
  end
  return S:copy()
end

--- The fuzzy union of a directed weighted graph (canns_lib's
-- `fuzzy_union`, UMAP's symmetrisation): the dense `{n, n}` float64
-- matrix U = A + Aᵀ - A∘Aᵀ of the adjacency A given by the edges
-- (rows[i], cols[i]) -> vals[i] (1-based indices in [1, n]; a repeated
-- edge keeps its last value; weights are used as given).  A diagonal
-- entry a becomes a + a - a·a.
-- @param rows integer array or table (E)
-- @param cols integer array or table (E)
-- @param vals finite numbers (E)
-- @int n number of vertices
-- @treturn array float64 `{n, n}`
function M.fuzzy_union(rows, cols, vals, n)
  local F = "fuzzy_union"
  local function list(v, arg, name)
    if type(v) == "table" and not core.isarray(v) then
      local ok, t = pcall(core.array, v, "float64") -- tables keep their doubles
      if ok then v = t end
    end
    local a = A.array(v, F, arg, name, {convert = true})
    if a:ndim() ~= 1 then A.fail(F, arg, name, "must be 1-D, got %s", A.describe(a)) end
    return a
  end
  local R, Cc, V = list(rows, 1, "rows"), list(cols, 2, "cols"), list(vals, 3, "vals")
  n = A.int(n, F, 4, "n", {min = 1, max = 1e5})
  if Cc:size() ~= R:size() or V:size() ~= R:size() then
    A.fail(F, 2, "cols", "and vals must have the %d entries of rows, got %d and %d", R:size(), Cc:size(), V:size())
  end
  local r, c, v = R:totable(), Cc:totable(), V:astype("float64"):totable()
  local Adj = core.zeros({n, n}, "float64")
  for i = 1, #r do
    local a, b, w = r[i], c[i], v[i]
    if math.type(a) ~= "integer" and not (a == math.floor(a)) then A.fail(F, 1, "rows", "entry %d must be an integer, got %s", i, tostring(a)) end
    if math.type(b) ~= "integer" and not (b == math.floor(b)) then A.fail(F, 2, "cols", "entry %d must be an integer, got %s", i, tostring(b)) end
    if a < 1 or a > n then A.fail(F, 1, "rows", "entry %d must be in [1, %d], got %s", i, n, tostring(a)) end
    if b < 1 or b > n then A.fail(F, 2, "cols", "entry %d must be in [1, %d], got %s", i, n, tostring(b)) end
    if w ~= w or math.abs(w) == math.huge then A.fail(F, 3, "vals", "entry %d must be finite, got %s", i, tostring(w)) end
    Adj:set(math.tointeger(a), math.tointeger(b), w)
  end
  local At = Adj:transpose({2, 1}):copy()
  return Adj + At - Adj * At
end

--- The q-th percentile (0..100) with numpy's linear interpolation.
-- @param values array or table of numbers
-- @tparam number q
-- @treturn number
function M.percentile(values, q)
  return C.percentile(values, q)
end

--- Lifetimes (death - birth) of the finite bars of a diagram, as a Lua
-- table of numbers in the diagram's order.
-- @param dgm a diagram `{n_bars, 2}` (e.g. `res.dgms[2]`)
-- @treturn table
function M.lifetimes(dgm)
  A.array(dgm, "lifetimes", 1, "dgm", {shape = {-1, 2}})
  local out = {}
  for i = 1, dgm:shape(1) do
    local b, d = dgm:get(i, 1), dgm:get(i, 2)
    if d < math.huge then out[#out + 1] = d - b end
  end
  return out
end

return M
