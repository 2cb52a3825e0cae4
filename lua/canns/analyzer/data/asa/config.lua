--- Configuration objects of ASA (upstream `canns.analyzer.data.asa.config`):
-- `SpikeEmbeddingConfig`, `TDAConfig`, `CANN2DPlotConfig` and `Constants`,
-- with the Python defaults.  Each is called with a table of keyword
-- arguments; a misspelt field is an error.
--
--     local cfg = asa.SpikeEmbeddingConfig{smooth = false, speed_filter = false}
--     cfg.min_speed   --> 2.5
-- @module canns.analyzer.data.asa.config

local A = require "canns.argcheck"

local M = {}

local function sorted_keys(t)
  local k = {}
  for name in pairs(t) do k[#k + 1] = name end
  table.sort(k)
  return k
end

-- A config class: `fields` maps name -> {default, checker(v, fname, key)}.
-- `aliases` maps a legacy keyword to its field.
local function make_class(name, fields, aliases, extra_check)
  local mt = {__name = name}
  mt.__index = function(_, key)
    if fields[key] then return nil end
    error(string.format("%s: no field '%s'", name, tostring(key)), 2)
  end
  mt.__newindex = function(t, key, v)
    local f = fields[key]
    if not f then error(string.format("%s: no field '%s'", name, tostring(key)), 2) end
    rawset(t, key, f[2](v, name, key))
  end
  local allowed = sorted_keys(fields)
  for a in pairs(aliases or {}) do allowed[#allowed + 1] = a end
  local cls = setmetatable({fields = fields, name = name}, {
    __call = function(_, opts)
      opts = A.options(opts, name, allowed)
      local obj = {}
      for key, f in pairs(fields) do
        local v = opts[key]
        for a, target in pairs(aliases or {}) do
          if target == key and opts[a] ~= nil then
            if v ~= nil then A.error(name, "option '%s' given twice (also as '%s')", key, a) end
            v = opts[a]
          end
        end
        if v == nil then v = f[1] end
        if v ~= nil then obj[key] = f[2](v, name, key) end
      end
      if extra_check then extra_check(obj, name) end
      return setmetatable(obj, mt)
    end,
  })
  mt.__class = cls
  return cls
end

--- Whether `v` is an instance of the config class `cls`.
function M.is(v, cls)
  local mt = type(v) == "table" and getmetatable(v)
  return mt and mt.__class == cls or false
end

--- Accept a config of class `cls`, a plain options table (converted), or
-- nil (defaults).
function M.coerce(v, cls, fname, arg)
  if v == nil then return cls{} end
  if M.is(v, cls) then return v end
  if type(v) ~= "table" or require("canns.core").isarray(v) then
    A.fail(fname, arg, "config", "must be a %s or a table of its fields, got %s", cls.name, A.describe(v))
  end
  return cls(v)
end

local function posint(v, f, k) return A.int(v, f, k, nil, {min = 1}) end
local function bool(v, f, k) return A.boolean(v, f, k) end
local function num(v, f, k) return A.number(v, f, k) end
local function pos(v, f, k) return A.number(v, f, k, nil, {gt = 0}) end

--- Spike-train embedding (upstream `SpikeEmbeddingConfig`): `res` 100000
-- ticks per second, `dt` 1000 ticks (10 ms bins), `sigma` 5000 ticks
-- (50 ms), `smooth` true, `speed_filter` true, `min_speed` 2.5 (cm/s).
-- Legacy keywords `smooth0` and `speed0` are accepted for `smooth` and
-- `speed_filter`.
-- @function SpikeEmbeddingConfig
M.SpikeEmbeddingConfig = make_class("SpikeEmbeddingConfig", {
  res = {100000, function(v, f, k) return A.int(v, f, k, nil, {min = 1, max = 1e12}) end},
  dt = {1000, function(v, f, k) return A.int(v, f, k, nil, {min = 1, max = 1e12}) end},
  sigma = {5000, pos},
  smooth = {true, bool},
  speed_filter = {true, bool},
  min_speed = {2.5, num},
}, {smooth0 = "smooth", speed0 = "speed_filter"})

local METRICS = {"cosine", "euclidean", "manhattan", "cityblock", "l1", "chebyshev"}

--- Temporal TDA (upstream `TDAConfig`, canns 1.5): `dim` 6, `num_times` 5,
-- `active_times` 15000, `k` 1000, `n_points` 1200, `metric` "cosine",
-- `nbs` 800, `maxdim` 1, `coeff` 47, `show` true, `do_shuffle` false,
-- `num_shuffles` 1000, `progress_bar` true, `standardize` true,
-- `shuffle_seed` nil, `shuffle_shifts` nil (an integer {num_shuffles, N}
-- matrix of shifts in [0, T)), `shuffle_workers` 1, `sampling_backend`
-- "python" ("rust" accepted; both run the same C code), `ph_threshold_policy`
-- "legacy" (or "max_finite_float32"), `ph_threshold` nil, `do_cocycles` true.
-- canns additions: `save_path` (where `tda_vis` writes the barcode),
-- `num_threads` (0: all).  `progress` is accepted for `progress_bar`.
-- @function TDAConfig
M.TDAConfig = make_class("TDAConfig", {
  dim = {6, posint}, num_times = {5, posint}, active_times = {15000, posint},
  k = {1000, posint}, n_points = {1200, posint},
  metric = {"cosine", function(v, f, k) return A.string(v, f, k, nil, {choices = METRICS}) end},
  nbs = {800, posint},
  maxdim = {1, function(v, f, k) return A.int(v, f, k, nil, {min = 0, max = 3}) end},
  coeff = {47, function(v, f, k) return A.int(v, f, k, nil, {min = 2, max = 65535}) end},
  show = {true, bool}, do_shuffle = {false, bool}, num_shuffles = {1000, posint},
  progress_bar = {true, bool}, standardize = {true, bool},
  shuffle_seed = {nil, function(v, f, k) return A.int(v, f, k, nil, {min = 0, max = math.huge}) end},
  shuffle_shifts = {nil, function(v, f, k) return A.array(v, f, k, nil, {convert = true, dtype = "int64", ndim = 2}) end},
  shuffle_workers = {1, posint},
  sampling_backend = {"python", function(v, f, k) return A.string(v, f, k, nil, {choices = {"python", "rust"}}) end},
  ph_threshold_policy = {"legacy", function(v, f, k)
    return A.string(v, f, k, nil, {choices = {"legacy", "max_finite_float32"}}) end},
  ph_threshold = {nil, function(v, f, k) return A.number(v, f, k, nil, {min = 0, inf = true}) end},
  do_cocycles = {true, bool},
  save_path = {nil, function(v, f, k) return A.string(v, f, k) end},
  num_threads = {0, function(v, f, k) return A.int(v, f, k, nil, {min = 0, max = 4096}) end},
}, {progress = "progress_bar"}, function(o, name)
  if o.shuffle_seed ~= nil and o.shuffle_shifts ~= nil then
    A.error(name, "shuffle_seed and shuffle_shifts are mutually exclusive")
  end
  if o.ph_threshold ~= nil and o.ph_threshold_policy ~= "legacy" then
    A.error(name, "an explicit ph_threshold cannot be combined with ph_threshold_policy 'max_finite_float32'")
  end
end)

--- Constants of upstream's CANN2D analysis.
M._make_class = make_class -- for the config classes of other ASA modules (fly_roi)

M.Constants = {
  DEFAULT_FIGSIZE = {10, 8}, DEFAULT_DPI = 300, GAUSSIAN_SIGMA_FACTOR = 100,
  SPEED_CONVERSION_FACTOR = 100, TIME_CONVERSION_FACTOR = 0.01, MULTIPROCESSING_CORES = 4,
}

return M
