--- Spatial heat maps: firing fields (rate maps) and their spatial
-- autocorrelation.
-- @module canns.analyzer.visualization.heatmaps

local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"

local PlotConfigs = config.PlotConfigs
local M = {}

-- Python's legacy defaults of plot_firing_field_heatmap (no config given):
-- 5 x 5 inches, no title or labels, jet, nearest, origin lower.
local function firing_field_defaults(fields)
  local d = {figsize = {5, 5}, title = "", xlabel = "", ylabel = "",
             kwargs = {cmap = "jet", interpolation = "nearest", origin = "lower"}}
  for k, v in pairs(fields or {}) do
    if k == "kwargs" then
      for kk, vv in pairs(v) do d.kwargs[kk] = vv end
    else
      d[k] = v
    end
  end
  return config.new(d, "plot_firing_field_heatmap")
end

--- A rate map (M, K): the first index runs along x (the map is drawn
-- transposed), origin lower, jet.  Title (bold 14) and axis labels only
-- when given; axes without a label have no ticks.  Returns fig, ax.
function M.plot_firing_field_heatmap(heatmap, cfg)
  local fname = "plot_firing_field_heatmap"
  cfg = render.ensure_config(cfg, firing_field_defaults, fname)
  heatmap = render.array(heatmap, fname, "heatmap")
  render.check_ndim(heatmap, 2, fname, "heatmap", "(M, K)")
  local fig, ax = render.figure(cfg)
  local kw = render.split_kwargs(cfg, {})
  kw.cmap = kw.cmap or "jet"
  kw.interpolation = kw.interpolation or "nearest"
  kw.origin = kw.origin or "lower"
  ax:imshow(heatmap:transpose(), kw)
  if cfg.title and cfg.title ~= "" then ax:set_title(cfg.title, {fontsize = 14, fontweight = "bold"}) end
  if cfg.xlabel and cfg.xlabel ~= "" then ax:set_xlabel(cfg.xlabel, {fontsize = 11}) else ax:set_xticks({}) end
  if cfg.ylabel and cfg.ylabel ~= "" then ax:set_ylabel(cfg.ylabel, {fontsize = 11}) else ax:set_yticks({}) end
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- A spatial autocorrelogram: RdBu_r over [-1, 1], origin lower, equal
-- aspect, colour bar "Correlation", grey dashed cross-hair at the centre
-- (shape // 2).  Returns fig, ax.
function M.plot_autocorrelation(autocorr, cfg)
  local fname = "plot_autocorrelation"
  cfg = render.ensure_config(cfg, PlotConfigs.grid_autocorrelation, fname)
  autocorr = render.array(autocorr, fname, "autocorr")
  render.check_ndim(autocorr, 2, fname, "autocorr", "(rows, cols)")
  local fig, ax = render.figure(cfg)
  local kw = render.split_kwargs(cfg, {})
  kw.cmap = kw.cmap or "RdBu_r"
  if kw.vmin == nil then kw.vmin = -1 end
  if kw.vmax == nil then kw.vmax = 1 end
  kw.origin, kw.aspect = "lower", "equal"
  local im = ax:imshow(autocorr, kw)
  ax:colorbar(im, {label = "Correlation", fontsize = 10})
  ax:set_title(cfg.title, {fontsize = 14, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 11})
  ax:set_ylabel(cfg.ylabel, {fontsize = 11})
  local cy, cx = autocorr:shape(1) // 2, autocorr:shape(2) // 2
  local line = {color = "gray", linestyle = "--", linewidth = 0.5, alpha = 0.5}
  ax:axhline(cy, line)
  ax:axvline(cx, line)
  render.finalize(fig, cfg, fname)
  return fig, ax
end

return M
