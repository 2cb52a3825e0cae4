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
