--- BTN classification: bursty / theta-modulated / non-bursty neurons from
-- their spike trains (upstream `BTNAnalyzer`, `BTNConfig`, `BTNResult` of
-- `canns.analyzer.data.cell_classification`).
--
--     local an = cc.BTNAnalyzer(cc.BTNConfig{n_clusters = 3})
--     local r = an:classify_btn({spike = trains, t = t},
--                               {mapping = {[0] = "B", [1] = "T", [2] = "N"}, return_intermediates = true})
--     print(r.labels, r.cluster_sizes, r.btn_labels[1])
--
-- Each neuron's ISI autocorrelogram (lags 0..`maxt` in bins of `res`) is
-- divided by its zero-lag count, smoothed (Gaussian, `smooth_sigma`
-- bins), compared by cosine distance, and the neurons are clustered with
-- ToMATo (gudhi's algorithm) on their `nbs` nearest neighbours with the
-- density sum(exp(-distance)).  The numbers come from C
-- (include/canns/btn.h), OpenMP over neurons.
-- @module canns.analyzer.data.cell_classification.btn
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local C = core.btn

local M = {}

local FIELDS = {"maxt", "res", "smooth_sigma", "nbs", "n_clusters", "metric", "b_one", "b_log"}

local Config = {}
Config.__index = Config
Config.__name = "BTNConfig"
function Config.__tostring(c)
  return string.format("BTNConfig(maxt=%g, res=%g, smooth_sigma=%g, nbs=%d, n_clusters=%s, metric=%s, "
                       .. "b_one=%s, b_log=%s)", c.maxt, c.res, c.smooth_sigma, c.nbs, tostring(c.n_clusters),
                       c.metric, tostring(c.b_one), tostring(c.b_log))
end

--- The configuration (upstream `BTNConfig(maxt=0.2, res=1e-3,
-- smooth_sigma=4.0, nbs=80, n_clusters=4, metric="cosine", b_one=True,
-- b_log=False)`).  `n_clusters = false` asks for every ToMATo cluster
-- (upstream's None).  Only the "cosine" metric is built.
-- @param ... the fields by position or name
-- @treturn BTNConfig
function M.BTNConfig(...)
  local fn = "BTNConfig"
  local o = kw.parse(fn, 1, FIELDS, {maxt = 0.2, res = 1e-3, smooth_sigma = 4.0, nbs = 80, n_clusters = 4,
                                     metric = "cosine", b_one = true, b_log = false}, ...)
  local c = setmetatable({}, Config)
  c.maxt = A.number(o.maxt, fn, "maxt", nil, {gt = 0, finite = true})
  c.res = A.number(o.res, fn, "res", nil, {gt = 0, finite = true})
  if c.maxt / c.res > 1e7 then
    A.fail(fn, "res", nil, "gives more than 10^7 lag bins (maxt / res = %g)", c.maxt / c.res)
  end
  c.smooth_sigma = A.number(o.smooth_sigma, fn, "smooth_sigma", nil, {gt = 0, finite = true})
  c.nbs = A.int(o.nbs, fn, "nbs", nil, {min = 1})
  if o.n_clusters == false then c.n_clusters = nil
  else c.n_clusters = A.int(o.n_clusters, fn, "n_clusters", nil, {min = 1}) end
  c.metric = A.string(o.metric, fn, "metric")
  if c.metric ~= "cosine" then
    A.fail(fn, "metric", nil, "must be 'cosine' (the only metric built), got '%s'", c.metric)
  end
  c.b_one = A.boolean(o.b_one, fn, "b_one")
  c.b_log = A.boolean(o.b_log, fn, "b_log")
  return c
end

local Result = {}
Result.__index = Result
Result.__name = "BTNResult"
function Result.__tostring(r)
  return string.format("BTNResult(n=%d, n_clusters=%d, cluster_sizes=%s)", r.labels:size(), r.n_clusters,
                       table.concat(r.cluster_sizes:totable(), ","))
end

--- A result (upstream `BTNResult`): `labels` (int64 cluster ids 0..K-1,
-- as upstream), `n_clusters`, `cluster_sizes` (counts per id),
-- `btn_labels` (a list of strings, nil without a mapping), `mapping`,
-- `intermediates` (nil unless asked: `acorr`, `acorr_norm`,
-- `acorr_smooth`, `distance_matrix`, `knn_indices` (1-based), `knn_dists`,
-- `density_weights`, `bin_times`).
-- @tparam table fields
-- @treturn BTNResult
function M.BTNResult(fields)
  fields = A.options(fields, "BTNResult", {"labels", "n_clusters", "cluster_sizes", "btn_labels", "mapping",
                                           "intermediates"})
  return setmetatable(fields, Result)
end

local Analyzer = {}
Analyzer.__index = Analyzer
Analyzer.__name = "BTNAnalyzer"

--- The analyzer (upstream `BTNAnalyzer(config=None)`).
-- @tparam[opt] BTNConfig config (default `BTNConfig()`); a plain table is
--   passed to `BTNConfig`
-- @treturn BTNAnalyzer
function M.BTNAnalyzer(config)
  local c = config
  if c == nil then c = M.BTNConfig()
  elseif getmetatable(c) ~= Config then
    if type(c) ~= "table" then
      A.fail("BTNAnalyzer", 1, "config", "must be a BTNConfig or a table of its fields, got %s", A.describe(c))
    end
    c = M.BTNConfig(c)
  end
  return setmetatable({config = c}, Analyzer)
end

local linspace = kw.np_linspace

--- The lag-bin edges upstream's `_isi_autocorr` uses for a configuration
-- (b_log: 101 log-spaced edges from 5 ms to maxt mirrored to negative
-- lags; b_one: 0..maxt; else -maxt..maxt; bins of `res`).
-- @tparam BTNConfig cfg
-- @treturn {number,...} edges
function M.btn_bin_edges(cfg)
  if cfg.b_log then
    local e = linspace(math.log(0.005, 10), math.log(cfg.maxt, 10), 101)
    local all = {}
    for i, x in ipairs(e) do
      local v = 10.0 ^ x
      all[#all + 1], all[#all + 2] = -v, v
      e[i] = v
    end
    table.sort(all)
    local u = {}
    for _, v in ipairs(all) do
      if v ~= u[#u] then u[#u + 1] = v end
    end
    return u
  elseif cfg.b_one then
    return linspace(0, cfg.maxt, math.floor(cfg.maxt / cfg.res) + 1)
  end
  return linspace(-cfg.maxt, cfg.maxt, math.floor(2 * cfg.maxt / cfg.res) + 1)
end

-- A train as it goes to C: an array (any numeric dtype; flattened there)
-- or a checked list of numbers.
local function train_values(v, fn, where)
  if core.isarray(v) then
    if v:ndim() > 1 then return v:reshape({-1}) end
    return v
  end
  if type(v) == "number" then return {v} end
  if type(v) ~= "table" then
    A.fail(fn, 1, "spike_data", "spike train %s must be an array or a list of numbers, got %s", where,
           A.describe(v))
  end
  for i = 1, #v do
    if type(v[i]) ~= "number" then
      A.fail(fn, 1, "spike_data", "spike train %s has a non-number at %d (%s)", where, i, A.describe(v[i]))
    end
  end
  return v
end

-- Upstream's _extract_spike_times: a list of trains restricted to
-- min(t) <= s < max(t).
local function extract(spike_data, fn)
  if type(spike_data) ~= "table" or spike_data.spike == nil or spike_data.t == nil then
    A.fail(fn, 1, "spike_data", "must be a table with fields 'spike' and 't', got %s", A.describe(spike_data))
  end
  local t = kw.array(spike_data.t, fn, 1, "spike_data.t", {min_size = 1})
  local tmin, tmax = core.min(t), core.max(t)
  if tmin ~= tmin or tmax ~= tmax then A.fail(fn, 1, "spike_data.t", "must not contain NaN") end
  local raw = spike_data.spike
  local lists = {}
  if core.isarray(raw) then
    if raw:ndim() == 2 and raw:shape(1) == t:shape(1) then
      A.fail(fn, 1, "spike_data.spike", "must hold spike times per neuron, got a binned spike matrix (T x N) %s",
             A.describe(raw))
    end
    if raw:ndim() ~= 2 then
      A.fail(fn, 1, "spike_data.spike", "must be a list of spike trains or a 2-D array (one row per neuron), got %s",
             A.describe(raw))
    end
    for i = 1, raw:shape(1) do lists[i] = raw:slice(1, i):reshape({-1}) end
  elseif type(raw) == "table" then
    local n = #raw
    local keys = {}
    for k in pairs(raw) do keys[#keys + 1] = k end
    if #keys == n then
      for i = 1, n do lists[i] = train_values(raw[i], fn, tostring(i)) end
    else -- a map: neurons in sorted key order (Lua tables keep no insertion order)
      table.sort(keys, function(a, b)
        if type(a) == type(b) and (type(a) == "number" or type(a) == "string") then return a < b end
        return type(a) < type(b)
      end)
      for i, k in ipairs(keys) do lists[i] = train_values(raw[k], fn, tostring(k)) end
    end
  else
    A.fail(fn, 1, "spike_data.spike", "must be a list (or map) of spike trains, got %s", A.describe(raw))
  end
  if #lists == 0 then A.fail(fn, 1, "spike_data.spike", "must hold at least one neuron") end
  for i, l in ipairs(lists) do
    if type(l) == "table" and #l == 0 then lists[i] = core.zeros({0}, "float64") end
  end
  local flat, off = C.pack(lists, tmin, tmax)
  return flat, off, #lists
end

local function check_self(self, fn)
  if getmetatable(self) ~= Analyzer then
    A.fail(fn, 1, "self", "must be a BTNAnalyzer (call it as an:%s(...)), got %s", fn, A.describe(self))
  end
end

--- Classify neurons (upstream `classify_btn(spike_data, *, mapping=None,
-- return_intermediates=False, plot_diagram=False)`).
-- @tparam table spike_data `{spike = trains, t = times}`: `spike` a list of
--   spike-time trains (arrays or tables), a map of them (sorted key
--   order), or a 2-D array with one row per neuron; `t` the session's
--   time stamps (only spikes with min(t) <= s < max(t) count)
-- @tparam[opt] table opts `mapping` (cluster id -> label string),
--   `return_intermediates` (false), `plot_diagram` (false; not built)
-- @treturn BTNResult
function Analyzer:classify_btn(spike_data, opts)
  local fn = "classify_btn"
  check_self(self, fn)
  local o = A.options(opts, fn, {"mapping", "return_intermediates", "plot_diagram"})
  if o.plot_diagram then
    A.fail(fn, "plot_diagram", nil, "is not built (ToMATo's persistence diagram is not drawn)")
  end
  local mapping = kw.cluster_mapping(o.mapping, fn)
  local cfg = self.config
  local flat, off = extract(spike_data, fn)
  local edges = M.btn_bin_edges(cfg)
  local maxt = cfg.maxt - 1e-5
  local mint = cfg.b_one and -1e-5 or -maxt
  local acorr = C.isi_autocorr(flat, off, core.array(edges, "float64"), mint, maxt, cfg.b_one)
  local norm, smooth, dist, knn, kd, weights = C.features(acorr, cfg.smooth_sigma, cfg.nbs)
  local nc = cfg.n_clusters or math.maxinteger
  local labels = C.tomato(knn, weights, nc)
  local lt = labels:totable()
  local sizes, kmax = {}, -1
  for _, l in ipairs(lt) do
    sizes[l + 1] = (sizes[l + 1] or 0) + 1
    if l > kmax then kmax = l end
  end
  for i = 1, kmax + 1 do sizes[i] = sizes[i] or 0 end
  local btn_labels
  if mapping ~= nil then
    btn_labels = {}
    for i, l in ipairs(lt) do btn_labels[i] = mapping[l] or "unknown" end
  end
  local inter
  if o.return_intermediates then
    inter = {acorr = acorr, acorr_norm = norm, acorr_smooth = smooth, distance_matrix = dist,
             knn_indices = knn, knn_dists = kd, density_weights = weights,
             bin_times = core.array(edges, "float64")}
  end
  return M.BTNResult{labels = labels, n_clusters = cfg.n_clusters or (kmax + 1),
                     cluster_sizes = core.array(#sizes > 0 and sizes or {}, "int64"), btn_labels = btn_labels,
                     mapping = mapping, intermediates = inter}
end

return M
