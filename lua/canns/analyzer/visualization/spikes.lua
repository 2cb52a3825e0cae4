--- Spike trains and population activity: raster plots, average firing
-- rates and activity heat maps.  Spike trains and activities are
-- (time, neurons) arrays; the axes of the figures show 0-based time steps
-- and neuron numbers, as the Python toolkit's do.
-- @module canns.analyzer.visualization.spikes

local core = require "canns.core"
local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"

local PlotConfigs = config.PlotConfigs
local fail = render.fail
local M = {}

--- Raster plot of a (time, neurons) spike train.
-- mode "block" (default): an image, white where silent and `color` where a
-- neuron spikes, neuron 0 at the top; "scatter": a '|' marker per spike
-- (size `marker_size`, default 1), neuron 0 at the bottom.  Returns fig, ax.
function M.raster_plot(spike_train, cfg)
  local fname = "raster_plot"
  cfg = render.ensure_config(cfg, PlotConfigs.raster_plot, fname)
  cfg.mode = cfg.mode or "block"
  spike_train = render.array(spike_train, fname, "spike_train")
  if spike_train:ndim() ~= 2 then
    fail(fname, "Input spike_train must be a 2D array, but got shape %s", render.shape_str(spike_train))
  end
  if spike_train:size() == 0 then fail(fname, "Input spike_train must not be empty.") end
  if cfg.mode ~= "block" and cfg.mode ~= "scatter" then
    fail(fname, "Invalid mode '%s'. Choose 'scatter' or 'block'.", tostring(cfg.mode))
  end
  local T, N = spike_train:shape(1), spike_train:shape(2)
  local fig, ax = render.figure(cfg)
  ax:set_title(cfg.title, {fontsize = 16, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
  if cfg.mode == "scatter" then
    local kw, own = render.split_kwargs(cfg, {"marker_size"})
    local t, n = core.plot_nonzero(spike_train)
    kw.s = own.marker_size or 1.0
    kw.c, kw.marker, kw.alpha = cfg.color, "|", kw.alpha or 0.8
    ax:scatter(t, n, kw)
    ax:set_xlim(0, T)
    ax:set_ylim(-1, N)
  else
    local kw = render.split_kwargs(cfg, {})
    kw.cmap = kw.cmap or {"white", cfg.color}
    kw.aspect, kw.interpolation = "auto", "none"
    ax:imshow(spike_train:transpose(), kw)
    if N > 20 then
      ax:set_locator("y", {integer = true, nbins = 10})
    else
      local pos, labels = {}, {}
      for i = 0, N - 1 do pos[#pos + 1], labels[#labels + 1] = i, tostring(i) end
      ax:set_yticks(pos, labels)
    end
  end
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Average activity of a spike train (time step dt in seconds).
-- mode "population" (the default here; the PlotConfigs preset says
-- "per_neuron"): total rate Σ_n spikes(t) / dt over time;
-- "per_neuron": Σ_t spikes / (T·dt) per neuron; "weighted_average":
-- Σ s·w / (Σ s + 1e-9) over time (NaN without spikes; needs `weights`,
-- one per neuron).  Returns fig, ax.
function M.average_firing_rate_plot(spike_train, dt, cfg, weights)
  local fname = "average_firing_rate_plot"
  if type(cfg) == "table" and not config.is_config(cfg) and cfg.weights ~= nil then
    local c = {}
    for k, v in pairs(cfg) do if k ~= "weights" then c[k] = v end end
    weights, cfg = cfg.weights, c
  end
  cfg = render.ensure_config(cfg, PlotConfigs.average_firing_rate_plot, fname, {mode = "population"})
  cfg.mode = cfg.mode or "population"
  spike_train = render.array(spike_train, fname, "spike_train")
  if spike_train:ndim() ~= 2 then fail(fname, "Input spike_train must be a 2D array.") end
  if spike_train:size() == 0 then fail(fname, "Input spike_train must not be empty.") end
  if type(dt) ~= "number" or not (dt > 0) or dt == math.huge then
    fail(fname, "argument 'dt' must be a positive number, got %s", tostring(dt))
  end
  local mode = cfg.mode
  if mode ~= "per_neuron" and mode ~= "population" and mode ~= "weighted_average" then
    fail(fname, "Invalid mode '%s'. Choose 'per_neuron', 'population', or 'weighted_average'.",
         tostring(mode))
  end
  local T, N = spike_train:shape(1), spike_train:shape(2)
  local s = spike_train:astype("float64")
  local x, y, xlabel, ylabel, xmax
  if mode == "per_neuron" then
    y = s:sum(1) / (T * dt)
    x = core.arange(0, N, 1, "float64")
    xlabel, ylabel, xmax = "Neuron Index", "Average Firing Rate (Hz)", N - 1
  else
    x = core.arange(0, T, 1, "float64") * dt
    xlabel, xmax = "Time (s)", (T - 1) * dt
    if mode == "population" then
      y = s:sum(2) / dt
      ylabel = "Total Population Rate (Hz)"
    else
      if weights == nil then fail(fname, "'weights' argument is required for 'weighted_average' mode.") end
      weights = render.array(weights, fname, "weights"):astype("float64")
      if weights:ndim() ~= 1 or weights:size() ~= N then
        fail(fname, "Shape of 'weights' %s must match num_neurons (%d).", render.shape_str(weights), N)
      end
      local total = s:sum(2)
      y = core.where(total:eq(0), 0 / 0, (s * weights):sum(2) / (total + 1e-9))
      ylabel = "Decoded Value (Weighted Average)"
    end
  end
  local fig, ax = render.figure(cfg)
  ax:set_title(cfg.title, {fontsize = 16, fontweight = "bold"})
  ax:plot(x, y, render.split_kwargs(cfg, {}))
  ax:set_xlabel(xlabel, {fontsize = 12})
  ax:set_ylabel(ylabel, {fontsize = 12})
  if xmax > 0 then ax:set_xlim(0, xmax) end
  ax:grid(true, {linestyle = "--", alpha = 0.6})
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Heat map of (time, neurons) activity: neurons on y (0 at the bottom),
-- time in seconds on x, colour bar "Activity".  Returns fig, ax.
function M.population_activity_heatmap(activity_data, dt, cfg)
  local fname = "population_activity_heatmap"
  cfg = render.ensure_config(cfg, PlotConfigs.population_activity_heatmap, fname)
  activity_data = render.array(activity_data, fname, "activity_data")
  if activity_data:ndim() ~= 2 then
    fail(fname, "Input activity_data must be a 2D array, but got shape %s",
         render.shape_str(activity_data))
  end
  if activity_data:size() == 0 then fail(fname, "Input activity_data must not be empty.") end
  if type(dt) ~= "number" or not (dt > 0) or dt == math.huge then
    fail(fname, "argument 'dt' must be a positive number, got %s", tostring(dt))
  end
  local T, N = activity_data:shape(1), activity_data:shape(2)
  local fig, ax = render.figure(cfg)
  local kw = render.split_kwargs(cfg, {})
  kw.cmap = kw.cmap or "viridis"
  kw.aspect, kw.origin = "auto", "lower"
  kw.extent = {0, (T - 1) * dt, 0, N}
  local im = ax:imshow(activity_data:transpose(), kw)
  ax:set_title(cfg.title, {fontsize = 16, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
  ax:colorbar(im, {label = "Activity", fontsize = 10})
  render.finalize(fig, cfg, fname)
  return fig, ax
end

return M
