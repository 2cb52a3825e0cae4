--- Temporal TDA of ASA (upstream `canns.analyzer.data.asa.tda_vis`, canns 1.5).
-- @module canns.analyzer.data.asa.tda

local core = require "canns.core"
local A = require "canns.argcheck"
local config = require "canns.analyzer.data.asa.config"
local barcode = require "canns.analyzer.data.asa.barcode"

local M = {}

local FN = "tda_vis"

local function c_opts(cfg)
  return {
    dim = cfg.dim, num_times = cfg.num_times, active_times = cfg.active_times, k = cfg.k,
    n_points = cfg.n_points, metric = cfg.metric, nbs = cfg.nbs, maxdim = cfg.maxdim,
    coeff = cfg.coeff, standardize = cfg.standardize, do_cocycles = cfg.do_cocycles,
    ph_threshold = cfg.ph_threshold, ph_threshold_policy = cfg.ph_threshold_policy,
    num_threads = cfg.num_threads, progress_bar = cfg.progress_bar and core.progress_enabled(),
  }
end

local function activity(E)
  if not core.isarray(E) then
    E = A.array(E, FN, 1, "embed_data", {convert = true})
  end
  if E:ndim() ~= 2 or E:shape(1) < 1 or E:shape(2) < 1 then
    A.fail(FN, 1, "embed_data", "must be a non-empty (time, neurons) matrix, got %s", A.describe(E))
  end
  if E:dtype() ~= "float32" then E = E:astype("float32") end
  return E
end

--- The shuffle null model of canns 1.5: every shuffle rolls each neuron's
-- column of `E` by its own shift (towards later rows, `numpy.roll`) and
-- reruns the whole pipeline; the longest finite bar per dimension is kept.
-- @param E activity {T, N}
-- @tparam TDAConfig cfg (`num_shuffles`, `shuffle_seed`, `shuffle_shifts`, ...)
-- @treturn table `shuffle_max[d+1]`: list of the `num_shuffles` maxima of dimension d
function M.shuffle_null(E, cfg)
  cfg = config.coerce(cfg, config.TDAConfig, "shuffle_null", 2)
  E = activity(E)
  local T, N = E:shape(1), E:shape(2)
  local shifts = cfg.shuffle_shifts
  if shifts then
    if shifts:shape(1) ~= cfg.num_shuffles or shifts:shape(2) ~= N then
      A.fail(FN, "shuffle_shifts", nil, "must be an integer (num_shuffles, neurons) = (%d, %d) matrix, got %s",
             cfg.num_shuffles, N, A.describe(shifts))
    end
  else
    local g = core.random.Generator(cfg.shuffle_seed or 0)
    shifts = g:randint({cfg.num_shuffles, N}, 0, T)
    if shifts:dtype() ~= "int64" then shifts = shifts:astype("int64") end
  end
  local m = core.asa.tda_shuffle(E, shifts, c_opts(cfg))
  local out = {}
  for d = 1, cfg.maxdim + 1 do
    local l = {}
    for s = 1, cfg.num_shuffles do l[s] = m:get(d, s) end
    out[d] = l
  end
  return out
end

--- Persistent homology of population activity, with optional null model
-- and barcode figure.
--
-- Steps (upstream's): rows 0, num_times, 2 num_times, ...; the
-- `active_times` rows of largest summed activity; z-scoring (`standardize`)
-- and PCA to `dim` components; the fuzzy kNN graph (k neighbours) and the
-- greedy selection of `n_points` dense, spread-out points; a second fuzzy
-- graph on them (`nbs` neighbours) whose memberships A give the distances
-- -ln A (+inf where A = 0); Ripser with `maxdim`, `coeff` and cocycles.
-- `do_shuffle` adds the null model (see `shuffle_null`).
--
-- @param embed_data activity {T, N} (e.g. from `embed_spike_trains`)
-- @tparam[opt] TDAConfig config (or a table of its fields)
-- @treturn table `persistence` (as `canns.analyzer.tda.ripser`: `dgms`,
--   `cocycles` with 1-based vertex ids = positions in `indstemp`,
--   `dperm2all` the float64 distance matrix), `indstemp` (1-based rows of
--   `movetimes`, selection order), `movetimes` (1-based rows of
--   `embed_data`), `n_points`, `shuffle_max` (nil, or lists per dimension
--   `shuffle_max[d+1]`), `dimred` (the PCA projection of the movetimes rows)
function M.tda_vis(embed_data, cfg)
  cfg = config.coerce(cfg, config.TDAConfig, FN, 2)
  local E = activity(embed_data)
  if cfg.progress_bar and core.progress_enabled() then
    print("Computing persistent homology for real data...")
  end
  local r = core.asa.tda(E, c_opts(cfg))
  r.shuffle_max = nil
  if cfg.do_shuffle then
    local sm = M.shuffle_null(E, cfg)
    r.shuffle_max = sm
    if cfg.progress_bar and core.progress_enabled() then
      print("Summary of shuffle-based analysis:")
      for d = 1, #sm do
        local s = 0
        for _, v in ipairs(sm[d]) do s = s + v end
        print(string.format("H%d: %d valid iterations | Mean maximum persistence: %.4f | "
                            .. "99.9th percentile: %.4f", d - 1, #sm[d], s / #sm[d],
                            barcode.percentile(sm[d], 99.9)))
      end
    end
  end
  if cfg.show or cfg.save_path then
    barcode.plot_barcode(r.persistence, r.shuffle_max, {save_path = cfg.save_path, show = cfg.show})
  end
  return r
end

return M
