--- Spike-train embedding (upstream `canns.analyzer.data.asa.embed_spike_trains`).
-- @module canns.analyzer.data.asa.embedding

local core = require "canns.core"
local A = require "canns.argcheck"
local config = require "canns.analyzer.data.asa.config"

local M = {}

local FN = "embed_spike_trains"

-- The neurons of `spike` as a Lua list of arrays/tables of times.
local function neuron_list(spike)
  if core.isarray(spike) then
    if spike:ndim() == 2 then
      A.fail(FN, 1, "spike_data.spike",
             "is a dense (time, neurons) matrix %s: it is already binned; pass it to tda_vis "
             .. "directly instead of embedding it", A.describe(spike))
    end
    A.fail(FN, 1, "spike_data.spike", "must be a list of per-neuron spike-time arrays, got %s",
           A.describe(spike))
  end
  if type(spike) ~= "table" then
    A.fail(FN, 1, "spike_data.spike", "must be a list of per-neuron spike-time arrays, got %s",
           A.describe(spike))
  end
  local n = #spike
  local keys = {}
  for k in pairs(spike) do keys[#keys + 1] = k end
  if #keys == n then return spike end
  -- a map {neuron_key = times}: neurons in sorted key order
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  local out = {}
  for i, k in ipairs(keys) do out[i] = spike[k] end
  return out
end

--- Bin, smooth and speed-filter spike trains.
--
-- `spike_data` holds `spike` (a list of per-neuron arrays of spike times in
-- seconds, or a map from neuron keys to such arrays: neurons are then taken
-- in sorted key order), `t` (time stamps, seconds, non-decreasing) and, for
-- the speed filter, `x` and `y` (positions at `t`, metres).  Spikes outside
-- [min t, max t) are dropped as upstream does (none left is an error).
--
-- Binning: ticks = times x `res`; bins of `dt` ticks from floor(min t x res)
-- (upstream's quirks kept: a spike at tick offset 0 and the last bin are
-- always empty).  Smoothing: Gaussian of s.d. sigma/dt bins (scipy's
-- gaussian_filter1d, zero padding), times 1/sqrt(2 pi (sigma/res)^2).
-- Speed filter: positions interpolated at the bin times, smoothed (s.d. 100
-- samples), speed in cm/s with upstream's fixed factors (metres, 10 ms
-- bins); rows with speed > min_speed are kept.
--
-- @tparam table spike_data `{spike = ..., t = ..., x = ..., y = ...}`
-- @tparam[opt] SpikeEmbeddingConfig config (or a table of its fields)
-- @return E: float32 {T', N} (int32 counts when `smooth` is false)
-- @return xx, yy, tt: positions and times of the kept bins with the speed
--   filter; without it the raw `x`, `y`, `t` of `spike_data` (as upstream)
function M.embed_spike_trains(spike_data, cfg)
  A.table(spike_data, FN, 1, "spike_data")
  cfg = config.coerce(cfg, config.SpikeEmbeddingConfig, FN, 2)
  if spike_data.spike == nil then A.fail(FN, 1, "spike_data", "must have a 'spike' entry (missing key)") end
  if spike_data.t == nil then A.fail(FN, 1, "spike_data", "must have a 't' entry (missing key)") end
  local neurons = neuron_list(spike_data.spike)
  local E, xx, yy, tt = core.asa.embed(neurons, spike_data.t, spike_data.x, spike_data.y, {
    res = cfg.res, dt = cfg.dt, sigma = cfg.sigma, smooth = cfg.smooth,
    speed_filter = cfg.speed_filter, min_speed = cfg.min_speed})
  if cfg.speed_filter then return E, xx, yy, tt end
  return E, spike_data.x, spike_data.y, spike_data.t
end

return M
