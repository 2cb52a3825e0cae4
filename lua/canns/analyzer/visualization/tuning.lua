--- Tuning curves: mean firing rate of chosen neurons against a stimulus.
-- @module canns.analyzer.visualization.tuning

local core = require "canns.core"
local A = require "canns.argcheck"
local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"

local PlotConfigs = config.PlotConfigs
local fail = render.fail
local M = {}

--- scipy's binned_statistic(x, values, "mean", bins = nbins): equal-width
-- bins over [min(x), max(x)] (a degenerate range widens to ±0.5), the last
-- bin closed; returns means (NaN for empty bins) and bin centres.
-- @param x a list of numbers or a 1-D array
-- @param values a list of numbers or a 1-D array, as long as x
-- @int nbins number of bins (1 .. 2^31 - 1)
function M.binned_mean(x, values, nbins)
  local fname = "binned_mean"
  x = A.sequence(x, fname, 1, "x", {finite = true})
  values = A.sequence(values, fname, 2, "values")
  nbins = A.count(nbins, fname, 3, "nbins", {min = 1})
  if #values ~= #x then
    A.fail(fname, 2, "values", "must have as many numbers as x (%d), got %d", #x, #values)
  end
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(x) do
    if v < lo then lo = v end
    if v > hi then hi = v end
  end
  if lo == hi then lo, hi = lo - 0.5, hi + 0.5 end
  local edges, step = {}, (hi - lo) / nbins
  for i = 0, nbins do edges[i + 1] = lo + i * step end
  edges[nbins + 1] = hi
  local sum, cnt = {}, {}
  for b = 1, nbins do sum[b], cnt[b] = 0, 0 end
  for i, v in ipairs(x) do
    -- digitize: edges[b] <= v < edges[b+1]; v == max goes to the last bin
    local b = math.floor((v - lo) / step) + 1
    if b < 1 then b = 1 end
    if b > nbins then b = nbins end
    while b > 1 and v < edges[b] do b = b - 1 end
    while b < nbins and v >= edges[b + 1] do b = b + 1 end
    sum[b] = sum[b] + values[i]
    cnt[b] = cnt[b] + 1
  end
  local means, centres = {}, {}
  for b = 1, nbins do
    means[b] = cnt[b] > 0 and sum[b] / cnt[b] or 0 / 0
    centres[b] = (edges[b] + edges[b + 1]) / 2
  end
  return means, centres
end

--- Tuning curves of one or more neurons.
-- @param stimulus (T) stimulus value per time step
-- @param firing_rates (T, N) rates
-- @param neuron_indices a neuron (1-based, like every Lua index) or a list
--   of them; legends number neurons from 0 as the Python figures do
--   (index 129 is "Neuron 128")
-- @param[opt] cfg PlotConfig or options (num_bins = 50, pref_stim = nil:
--   preferred stimulus per neuron, shown in the legend)
-- @return fig, ax
function M.tuning_curve(stimulus, firing_rates, neuron_indices, cfg)
  local fname = "tuning_curve"
  cfg = render.ensure_config(cfg, PlotConfigs.tuning_curve, fname)
  cfg.num_bins = cfg.num_bins or 50
  stimulus = render.array(stimulus, fname, "stimulus")
  firing_rates = render.array(firing_rates, fname, "firing_rates")
  if stimulus:ndim() ~= 1 then
    fail(fname, "stimulus must be a 1D array, but has %d dimensions.", stimulus:ndim())
  end
  if firing_rates:ndim() ~= 2 then
    fail(fname, "firing_rates must be a 2D array, but has %d dimensions.", firing_rates:ndim())
  end
  if stimulus:shape(1) ~= firing_rates:shape(1) then
    fail(fname, "The first dimension (time steps) of stimulus and firing_rates must match: %d != %d",
         stimulus:shape(1), firing_rates:shape(1))
  end
  if stimulus:size() == 0 then fail(fname, "stimulus must not be empty") end
  local nb = A.count(cfg.num_bins, fname, "num_bins", nil, {min = 1, max = 1 << 24})
  if type(neuron_indices) == "number" then neuron_indices = {neuron_indices} end
  if core.isarray(neuron_indices) then neuron_indices = neuron_indices:totable() end
  if type(neuron_indices) ~= "table" or #neuron_indices == 0 then
    fail(fname, "neuron_indices must be an integer or a non-empty list of integers")
  end
  local N = firing_rates:shape(2)
  local pref = cfg.pref_stim
  if pref ~= nil and core.isarray(pref) then pref = pref:totable() end
  local x = stimulus:astype("float64"):totable()
  for i, v in ipairs(x) do
    if v ~= v or v == math.huge or v == -math.huge then
      fail(fname, "stimulus must be finite, got %s at step %d",
           v ~= v and "nan" or (v > 0 and "inf" or "-inf"), i)
    end
  end
  local fig, ax = render.figure(cfg)
  local kw = render.split_kwargs(cfg, {})
  for _, idx in ipairs(neuron_indices) do
    if math.type(idx) ~= "integer" then
      if type(idx) == "number" and idx == math.floor(idx) then idx = math.tointeger(idx)
      else fail(fname, "neuron index must be an integer, got %s", tostring(idx)) end
    end
    if idx < 1 or idx > N then fail(fname, "neuron index %d out of range 1..%d", idx, N) end
    local col = firing_rates:slice(2, idx):flatten():astype("float64"):totable()
    local means, centres = M.binned_mean(x, col, nb)
    -- figures number neurons from 0, as the Python toolkit's do
    local label = "Neuron " .. (idx - 1)
    if pref ~= nil and idx <= #pref then label = label .. string.format(" (pref_stim=%.2f)", pref[idx]) end
    local o = {}
    for k, v in pairs(kw) do o[k] = v end
    o.label = label
    ax:plot(centres, means, o)
  end
  ax:set_title(cfg.title, {fontsize = 16})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
  ax:legend()
  ax:grid(true, {linestyle = "--", alpha = 0.6})
  render.finalize(fig, cfg, fname)
  return fig, ax
end

return M
