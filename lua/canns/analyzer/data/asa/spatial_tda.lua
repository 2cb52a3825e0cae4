--- Spatial TDA (upstream `canns.analyzer.data.asa.spatial_tda` and
-- `spatial_embedding`): position as the index variable.  Every retained
-- spatial bin is one point in neural activity space, its coordinates the
-- firing rates of all neurons there; persistent homology of that point
-- cloud (after PCA), against a null model that permutes each neuron's map.
--
--     local r = asa.run_spatial_tda_from_asa(data, {out_dir = "out/spatial", embed_config = {}})
-- @module canns.analyzer.data.asa.spatial_tda

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

--- A 1-D array as a column (upstream `ensure_2d`); 2-D arrays unchanged.
function M.ensure_2d(arr)
  local a = A.array(arr, "ensure_2d", 1, "arr", {convert = true})
  if a:ndim() == 1 then return a:reshape({a:size(), 1}) end
  return a
end

--- The central square of a 2-D or 3-D array (upstream `crop_center`): side
-- max(1, round(side fraction)) starting at (side - crop) // 2 on each of
-- the first two axes.
-- @param arr (h, w) or (h, w, n)
-- @number fraction in (0, 1]
function M.crop_center(arr, fraction)
  local F = "crop_center"
  local a = A.array(arr, F, 1, "arr", {convert = true})
  local f = A.number(fraction, F, 2, "fraction", {gt = 0, max = 1})
  if a:ndim() < 2 then A.fail(F, 1, "arr", "must be 2-D or 3-D, got %s", A.describe(a)) end
  if f == 1 then return a end
  local h, w = a:shape(1), a:shape(2)
  local function round(v) return math.floor(v + 0.5) end -- Python's round on .5 goes to even; see below
  local function pyround(v)
    local r = round(v)
    if math.abs(v - math.floor(v) - 0.5) < 1e-12 and r % 2 == 1 then r = r - 1 end
    return r
  end
  local ch, cw = math.max(1, pyround(h * f)), math.max(1, pyround(w * f))
  local y0, x0 = math.max(0, (h - ch) // 2), math.max(0, (w - cw) // 2)
  return a:slice(1, {y0 + 1, y0 + ch}):slice(2, {x0 + 1, x0 + cw}):copy()
end

--- Every neuron's firing-rate map (upstream `build_fr_tensor`, through
-- `compute_frm` with empty bins NaN).
-- @param spikes (T, N)
-- @param x (T)
-- @param y (T)
-- @tparam[opt] table opts `bins` (50), `smoothing` (false), `sigma` (1.0),
--   `min_occupancy` (1), `x_range`, `y_range`
-- @treturn array fr_tensor (bins, bins, N)
-- @treturn array occupancy (bins, bins)
function M.build_fr_tensor(spikes, x, y, opts)
  local F = "build_fr_tensor"
  opts = A.options(opts, F, {"bins", "smoothing", "sigma", "min_occupancy", "x_range", "y_range"})
  local S = A.array(spikes, F, 1, "spikes", {convert = true, ndim = 2})
  local fr = require "canns.analyzer.data.asa.fr"
  local N = S:shape(2)
  -- neuron 1 through compute_frm (its checks and edges), the others with
  -- the same edges straight from the C kernel
  local r = fr.compute_frm(S, x, y, 1, {bins = opts.bins, x_range = opts.x_range, y_range = opts.y_range,
                                        min_occupancy = opts.min_occupancy, smoothing = opts.smoothing,
                                        sigma = opts.sigma, nan_for_empty = true})
  local maps, occ = {r.frm}, r.occupancy
  local P = require "canns.analyzer.data.asa.path"
  local S64, xv, yv = S:astype("float64"), P._vec(x, F, 2, "x"), P._vec(y, F, 3, "y")
  local mo, sig = opts.min_occupancy or 1, opts.smoothing and (opts.sigma or 1.0) or 0
  for n = 2, N do maps[n] = core.asa.frm(S64, n, xv, yv, r.x_edges, r.y_edges, mo, true, sig) end
  local b1, b2 = maps[1]:shape(1), maps[1]:shape(2)
  for n = 1, N do maps[n] = maps[n]:astype("float64"):reshape({b1 * b2, 1}) end
  return core.concatenate(maps, 2):reshape({b1, b2, N}), occ
end

--- The point cloud of a rate tensor (upstream `fr_tensor_to_point_cloud`):
-- the centre crop, then every bin where all neurons are finite and the
-- occupancy is at least `min_occupancy`, in row-major order.
-- @param fr_tensor (h, w, N)
-- @param occupancy (h, w)
-- @tparam[opt] table opts `crop_fraction` (1/3), `min_occupancy` (1)
-- @treturn array points (n, N)
-- @treturn array valid mask (h', w') of the crop (bool)
function M.fr_tensor_to_point_cloud(fr_tensor, occupancy, opts)
  local F = "fr_tensor_to_point_cloud"
  opts = A.options(opts, F, {"crop_fraction", "min_occupancy", "fill_nan"})
  local Tn = A.array(fr_tensor, F, 1, "fr_tensor", {convert = true, ndim = 3}):astype("float64")
  local O = A.array(occupancy, F, 2, "occupancy", {convert = true, ndim = 2}):astype("float64")
  if O:shape(1) ~= Tn:shape(1) or O:shape(2) ~= Tn:shape(2) then
    A.fail(F, 2, "occupancy", "must be (%d, %d) as fr_tensor's first axes, got %s", Tn:shape(1), Tn:shape(2),
           A.describe(O))
  end
  local cf = opts.crop_fraction == nil and 1 / 3 or opts.crop_fraction
  local mo = A.int(opts.min_occupancy, F, "min_occupancy", nil, {default = 1})
  local C, Oc = M.crop_center(Tn, cf), M.crop_center(O, cf)
  local h, w, N = C:shape(1), C:shape(2), C:shape(3)
  local flat = C:reshape({h * w, N}):totable()
  local oc = Oc:flatten():totable()
  local rows, vm, pts = {}, {}, {}
  for i = 1, h * w do
    local ok = oc[i] >= mo
    if ok then
      for n = 1, N do
        local v = flat[i][n]
        if v ~= v or math.abs(v) == math.huge then ok = false; break end
      end
    end
    vm[i] = ok
    if ok then pts[#pts + 1] = flat[i] end
  end
  local points = #pts > 0 and core.array(pts, "float64") or core.zeros({0, N}, "float64")
  return points, core.array(vm, "bool"):reshape({h, w})
end

--- PCA of the points (upstream `pca_reduce`): optionally z-scored per
-- column (population s.d.; 0 left as 1), centred, projected on the
-- leading min(dim, n, N) principal axes (from the covariance's
-- eigen-decomposition through LAPACK).  Component signs may differ from
-- scikit-learn's (distances and the diagrams do not change).
-- @param points (n, N)
-- @int dim
-- @bool standardize
-- @treturn array projections (n, k)
-- @treturn array explained variance ratios (k)
function M.pca_reduce(points, dim, standardize)
  local F = "pca_reduce"
  local X = A.array(points, F, 1, "points", {convert = true, ndim = 2, finite = true}):astype("float64")
  local n, N = X:shape(1), X:shape(2)
  if math.min(n, N) < 1 then A.fail(F, 1, "points", "must hold at least one sample and feature, got %s", A.describe(X)) end
  local k = math.min(A.int(dim, F, 2, "dim", {min = 1}), n, N)
  local mean = X:mean(1):reshape({1, N})
  X = X - mean
  if standardize then
    local sd = X:pow(2):mean(1):sqrt():reshape({1, N})
    sd = core.where(sd:eq(0), 1.0, sd)
    X = X / sd
  end
  local Cov = X:transpose({2, 1}):copy():matmul(X)
  local w, V = core.eigh(Cov)
  -- eigh: ascending eigenvalues; take the k largest
  local total = 0
  local wt = w:totable()
  for _, v in ipairs(wt) do total = total + math.max(v, 0) end
  local idx, ratio = {}, {}
  for j = 1, k do
    idx[j] = N - j + 1
    ratio[j] = total > 0 and math.max(wt[N - j + 1], 0) / total or 0
  end
  local Vk = core.asa.take(V:transpose({2, 1}):copy(), core.array(idx, "int64")):transpose({2, 1}):copy()
  return X:matmul(Vk), core.array(ratio, "float64")
end

--- Persistent homology of a point cloud (upstream `run_spatial_ph`):
-- Ripser with the cosine metric, no cocycles, no threshold.
function M.run_spatial_ph(points, opts)
  local F = "run_spatial_ph"
  opts = A.options(opts, F, {"maxdim", "coeff", "progress_bar"})
  local P = A.array(points, F, 1, "points", {convert = true, ndim = 2, finite = true})
  return require("canns.analyzer.tda").ripser(P:astype("float64"), {
    maxdim = A.int(opts.maxdim, F, "maxdim", nil, {default = 2, min = 0, max = 8}),
    coeff = A.int(opts.coeff, F, "coeff", nil, {default = 47, min = 2}),
    do_cocycles = false, metric = "cosine"})
end

--- The finite, positive lifetimes of a diagram, descending (upstream `finite_lifetimes`).
function M.finite_lifetimes(diagram)
  local out = {}
  if diagram == nil or (core.isarray(diagram) and diagram:size() == 0) then return out end
  local rows = core.isarray(diagram) and diagram:astype("float64"):totable() or diagram
  for _, r in ipairs(rows) do
    local l = r[2] - r[1]
    if r[1] == r[1] and math.abs(r[1]) ~= math.huge and r[2] == r[2] and math.abs(r[2]) ~= math.huge
       and l > 0 then out[#out + 1] = l end
  end
  table.sort(out, function(a, b) return a > b end)
  return out
end

--- Bar counts and the five longest finite lifetimes per dimension
-- (upstream `diagram_summary`): `h<d>_count`, `h<d>_top`.
function M.diagram_summary(persistence, maxdim)
  local F = "diagram_summary"
  A.table(persistence, F, 1, "persistence")
  local dgms = A.table(persistence.dgms, F, 1, "persistence.dgms")
  local out = {}
  for d = 0, A.int(maxdim, F, 2, "maxdim", {min = 0}) do
    local life = M.finite_lifetimes(dgms[d + 1])
    local top = {}
    for i = 1, math.min(5, #life) do top[i] = life[i] end
    out[("h%d_count"):format(d)], out[("h%d_top"):format(d)] = #life, top
  end
  return out
end

--- The tensor with each neuron's map permuted independently among the
-- valid bins (upstream `permute_each_neuron_map`; permutations from
-- canns.random's generator or `rng`, a function n -> a 1-based permutation list).
function M.permute_each_neuron_map(fr_tensor, valid_mask, rng)
  local F = "permute_each_neuron_map"
  local Tn = A.array(fr_tensor, F, 1, "fr_tensor", {convert = true, ndim = 3}):astype("float64")
  local h, w, N = Tn:shape(1), Tn:shape(2), Tn:shape(3)
  local valid = {}
  if valid_mask == nil then
    for i = 1, h * w do valid[#valid + 1] = i end
  else
    local vm = A.array(valid_mask, F, 2, "valid_mask", {convert = true})
    if vm:size() ~= h * w then A.fail(F, 2, "valid_mask", "must have %d x %d entries, got %s", h, w, A.describe(vm)) end
    for i, v in ipairs(vm:flatten():totable()) do if v and v ~= 0 then valid[#valid + 1] = i end end
  end
  local flat = Tn:reshape({h * w, N}):totable()
  local m = #valid
  for n = 1, N do
    local perm = rng and rng(m) or require("canns").random.permutation(m):totable()
    local vals = {}
    for k = 1, m do vals[k] = flat[valid[k]][n] end
    for k = 1, m do flat[valid[k]][n] = vals[perm[k]] end
  end
  return core.array(flat, "float64"):reshape({h, w, N})
end

--- The null model (upstream `run_spatial_null_model`): per shuffle, each
-- neuron's cropped map permuted among the valid bins, the point cloud,
-- PCA and PH again; the longest finite lifetime per dimension (0 when
-- none); shuffles with fewer than 4 points are skipped.  The
-- permutations come from canns' Philox generator seeded with `seed`.
-- @treturn table maxima[d + 1] lists
function M.run_spatial_null_model(fr_tensor, occupancy, opts)
  local F = "run_spatial_null_model"
  opts = A.options(opts, F, {"crop_fraction", "min_occupancy", "pca_dim", "standardize", "maxdim", "coeff",
                             "num_shuffles", "seed", "progress_bar"})
  local canns = require "canns"
  local cf = opts.crop_fraction == nil and 1 / 3 or opts.crop_fraction
  local mo = opts.min_occupancy or 1
  local maxdim = A.int(opts.maxdim, F, "maxdim", nil, {default = 2, min = 0, max = 8})
  local ns = A.int(opts.num_shuffles, F, "num_shuffles", nil, {default = 100, min = 0})
  local seed = A.int(opts.seed, F, "seed", nil, {default = 0, min = 0})
  local std = opts.standardize ~= false
  local _, valid = M.fr_tensor_to_point_cloud(fr_tensor, occupancy, {crop_fraction = cf, min_occupancy = mo})
  local crop, occ = M.crop_center(fr_tensor, cf), M.crop_center(occupancy, cf)
  local maxima = {}
  for d = 1, maxdim + 1 do maxima[d] = {} end
  local saved = canns.random.get_state and canns.random.get_state()
  canns.random.seed(seed)
  local bar = opts.progress_bar ~= false and core.Progress("FR-map null shuffles", ns) or nil
  for _ = 1, ns do
    local perm = M.permute_each_neuron_map(crop, valid)
    local pts = M.fr_tensor_to_point_cloud(perm, occ, {crop_fraction = 1.0, min_occupancy = mo})
    if pts:shape(1) >= 4 then
      local red = M.pca_reduce(pts, opts.pca_dim or 7, std)
      local ph = M.run_spatial_ph(red, {maxdim = maxdim, coeff = opts.coeff})
      for d = 0, maxdim do
        local life = M.finite_lifetimes(ph.dgms[d + 1])
        maxima[d + 1][#maxima[d + 1] + 1] = life[1] or 0.0
      end
    end
    if bar then bar:tick(1) end
  end
  if bar then bar:close() end
  if saved and canns.random.set_state then canns.random.set_state(saved) end
  return maxima
end

--- Write the point cloud and its PCA (upstream `save_spatial_point_cloud_npz`).
function M.save_spatial_point_cloud_npz(path, d)
  local F = "save_spatial_point_cloud_npz"
  A.string(path, F, 1, "path")
  A.table(d, F, 2, "arrays")
  local out = {}
  for _, k in ipairs({"fr_tensor", "occupancy", "points", "valid_mask", "points_pca", "explained_variance_ratio"}) do
    if d[k] == nil then A.fail(F, 2, "arrays", "must have '%s'", k) end
    out[k] = d[k]
  end
  require("canns.io").save_npz(path, out)
end

local function pct(list, q)
  local s = {}
  for i, v in ipairs(list) do s[i] = v end
  table.sort(s)
  if #s == 0 then return 0.0 end
  local pos = (#s - 1) * q / 100
  local lo = math.floor(pos)
  if lo + 1 >= #s then return s[#s] end
  return s[lo + 1] + (s[lo + 2] - s[lo + 1]) * (pos - lo)
end

local RUN_OPTS = {"out_dir", "skip_embed", "embed_config", "bins", "fr_smooth", "fr_sigma", "crop_fraction",
                  "min_occupancy", "pca_dim", "maxdim", "coeff", "standardize", "shuffle", "num_shuffles", "seed",
                  "progress_bar"}

--- The whole spatial TDA of an ASA session (upstream
-- `run_spatial_tda_from_asa`): the embedding (`embed_config`, or
-- `skip_embed` with a dense `spike` matrix), every neuron's rate map
-- (`bins` 50, `fr_smooth` false, `fr_sigma` 1, `min_occupancy` 1), the
-- point cloud of the centre crop (`crop_fraction` 1/3; at least 4 points),
-- PCA (`pca_dim` 7, `standardize` true), Ripser (`maxdim` 2, `coeff` 47,
-- cosine) and optionally the null model (`shuffle`, `num_shuffles` 100,
-- `seed` 0).  Writes into `out_dir`: `spatial_tda_barcode.png`,
-- `spatial_tda_point_cloud.npz`, `spatial_tda_persistence.npz` (`dgms_<d>`,
-- `shuffle_max_<d>`) and `spatial_tda_summary.json`.
-- @tparam table asa the session (`spike`, `x`, `y`, `t`)
-- @tparam table opts `out_dir` (required) and the options above
-- @treturn table `barcode_png`, `point_cloud_npz`, `persistence_npz`, `summary_json`,
--   `summary`, and the arrays (`fr_tensor`, `occupancy`, `points`, `points_pca`, `persistence`, `shuffle_max`)
function M.run_spatial_tda_from_asa(asa, opts)
  local F = "run_spatial_tda_from_asa"
  A.table(asa, F, 1, "asa")
  opts = A.options(opts, F, RUN_OPTS)
  local out_dir = A.string(opts.out_dir, F, "out_dir")
  if asa.spike == nil or asa.x == nil or asa.y == nil then
    A.fail(F, 1, "asa", "must contain at least spike, x and y")
  end
  local S, xx, yy
  if opts.skip_embed then
    if not core.isarray(asa.spike) and type(asa.spike[1]) ~= "table" then
      A.fail(F, 1, "asa.spike", "must be a dense numeric (T, N) matrix with skip_embed")
    end
    local ok, m = pcall(A.array, asa.spike, F, 1, "asa.spike", {convert = true})
    if not ok or m:ndim() > 2 then A.fail(F, 1, "asa.spike", "must be a dense numeric (T, N) matrix with skip_embed") end
    S = M.ensure_2d(m):astype("float64")
    xx, yy = A.array(asa.x, F, 1, "asa.x", {convert = true}), A.array(asa.y, F, 1, "asa.y", {convert = true})
  else
    if opts.embed_config == nil then A.error(F, "embed_config is required unless skip_embed") end
    local E, x, y = require("canns.analyzer.data.asa.embedding").embed_spike_trains(asa, opts.embed_config)
    S, xx, yy = E:astype("float64"), A.array(x, F, 1, "x", {convert = true}), A.array(y, F, 1, "y", {convert = true})
  end
  xx, yy = xx:astype("float64"):flatten(), yy:astype("float64"):flatten()
  local T = math.min(S:shape(1), xx:size(), yy:size())
  S, xx, yy = S:slice(1, {1, T}):copy(), xx:slice(1, {1, T}):copy(), yy:slice(1, {1, T}):copy()
  local bins = A.int(opts.bins, F, "bins", nil, {default = 50, min = 1, max = 100000})
  local mo = A.int(opts.min_occupancy, F, "min_occupancy", nil, {default = 1})
  local cf = A.number(opts.crop_fraction, F, "crop_fraction", nil, {default = 1 / 3, gt = 0, max = 1})
  local pdim = A.int(opts.pca_dim, F, "pca_dim", nil, {default = 7, min = 1})
  local maxdim = A.int(opts.maxdim, F, "maxdim", nil, {default = 2, min = 0, max = 8})
  local coeff = A.int(opts.coeff, F, "coeff", nil, {default = 47, min = 2})
  local std = A.boolean(opts.standardize, F, "standardize", nil, {default = true})
  local shuf = A.boolean(opts.shuffle, F, "shuffle", nil, {default = false})
  local ns = A.int(opts.num_shuffles, F, "num_shuffles", nil, {default = 100, min = 0})
  local seed = A.int(opts.seed, F, "seed", nil, {default = 0, min = 0})
  local smooth = A.boolean(opts.fr_smooth, F, "fr_smooth", nil, {default = false})
  local sigma = A.number(opts.fr_sigma, F, "fr_sigma", nil, {default = 1.0, gt = 0})
  core.mkdir(out_dir)
  local frt, occ = M.build_fr_tensor(S, xx, yy, {bins = bins, smoothing = smooth, sigma = sigma, min_occupancy = mo})
  local points, valid = M.fr_tensor_to_point_cloud(frt, occ, {crop_fraction = cf, min_occupancy = mo})
  if points:shape(1) < 4 then
    A.error(F, "too few valid spatial bins after cropping/occupancy filtering (%d): try larger bins, "
            .. "lower min_occupancy, or crop_fraction = 1", points:shape(1))
  end
  local pca, evr = M.pca_reduce(points, pdim, std)
  local ph = M.run_spatial_ph(pca, {maxdim = maxdim, coeff = coeff})
  local sm
  if shuf then
    sm = M.run_spatial_null_model(frt, occ, {crop_fraction = cf, min_occupancy = mo, pca_dim = pdim, standardize = std,
                                             maxdim = maxdim, coeff = coeff, num_shuffles = ns, seed = seed,
                                             progress_bar = opts.progress_bar})
  end
  local barcode = out_dir .. "/spatial_tda_barcode.png"
  require("canns.analyzer.data.asa.barcode").plot_barcode(ph, sm, {save_path = barcode, dpi = 220})
  local cloud = out_dir .. "/spatial_tda_point_cloud.npz"
  M.save_spatial_point_cloud_npz(cloud, {fr_tensor = frt, occupancy = occ, points = points, valid_mask = valid,
                                         points_pca = pca, explained_variance_ratio = evr})
  local pers = out_dir .. "/spatial_tda_persistence.npz"
  local z = {}
  for d = 1, #ph.dgms do z[("dgms_%d"):format(d - 1)] = ph.dgms[d] end
  if sm then for d = 1, #sm do z[("shuffle_max_%d"):format(d - 1)] = core.array(sm[d], "float64") end end
  require("canns.io").save_npz(pers, z)
  local shape = function(a) return a:shape() end
  local summary = {
    spikes_shape = shape(S), fr_tensor_shape = shape(frt), occupancy_shape = shape(occ),
    points_shape = shape(points), points_pca_shape = shape(pca), explained_variance_ratio = evr:totable(),
    params = {bins = bins, fr_smooth = smooth, fr_sigma = sigma, crop_fraction = cf, min_occupancy = mo,
              pca_dim = pdim, pca_dim_effective = pca:shape(2), maxdim = maxdim, coeff = coeff, standardize = std,
              shuffle = shuf, num_shuffles = ns},
    real_topology = M.diagram_summary(ph, maxdim),
  }
  if sm then
    summary.shuffle_thresholds = {}
    for d = 1, #sm do summary.shuffle_thresholds[("h%d_p99_9"):format(d - 1)] = pct(sm[d], 99.9) end
  end
  local json = require "canns.pipeline.json"
  local sj = out_dir .. "/spatial_tda_summary.json"
  core.write_text(sj, json.encode(summary, {indent = 2}))
  return {barcode_png = barcode, point_cloud_npz = cloud, persistence_npz = pers, summary_json = sj, summary = summary,
          fr_tensor = frt, occupancy = occ, points = points, valid_mask = valid, points_pca = pca,
          explained_variance_ratio = evr, persistence = ph, shuffle_max = sm}
end

--- Upstream's package-level aliases (`canns.analyzer.data.asa`):
-- `ensure_spatial_input_2d` = `ensure_2d`, `build_spatial_point_cloud` =
-- `fr_tensor_to_point_cloud`, `summarize_spatial_tda` = `diagram_summary`,
-- `spatial_tda_lifetimes` = `finite_lifetimes`.
M.ensure_spatial_input_2d = M.ensure_2d
M.build_spatial_point_cloud = M.fr_tensor_to_point_cloud
M.summarize_spatial_tda = M.diagram_summary
M.spatial_tda_lifetimes = M.finite_lifetimes

--- The command line's parser (upstream `build_arg_parser`): an object
-- whose `parse_args(list)` returns the options table of
-- `canns spatial-tda` (raising on a usage error) and whose `usage` is the
-- help text.
function M.build_arg_parser()
  local cli = require "canns.analyzer.data.asa.spatial_tda_cli"
  return {usage = cli.USAGE, parse_args = function(_, list)
    local o, msg = cli.parse(list or {})
    if not o then error("spatial_tda: " .. msg, 2) end
    return o
  end}
end

--- `canns spatial-tda` from Lua (upstream `main(argv)`): a list of
-- arguments; returns the exit status.
function M.main(argv)
  return require("canns.analyzer.data.asa.spatial_tda_cli").main(table.unpack(argv or {}))
end

return M
