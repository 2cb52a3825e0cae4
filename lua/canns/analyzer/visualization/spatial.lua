--- Spatial figures: decoded position against the real trajectory, and
-- the grid-cell score and spacing plots.
-- @module canns.analyzer.visualization.spatial

local core = require "canns.core"
local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"

local PlotConfigs = config.PlotConfigs
local fail = render.fail
local M = {}

local function column(a, k) return a:slice(2, k):flatten() end

local function check_xy(a, fname, name)
  if a:ndim() ~= 2 or a:shape(2) ~= 2 then
    fail(fname, "%s must be (T, 2), got shape %s", name, render.shape_str(a))
  end
end

--- Internal (decoded) positions as points coloured by `max_activity`
-- (cmap cool, colour bar "Max GC activity" when given) over the real
-- trajectory (black line).  env_size: a number s ([0, s]²), {w, h} or
-- {xmin, xmax, ymin, ymax}.  Returns fig, ax.
-- @param internal_position (T, 2)
-- @param position (T, 2)
-- @param[opt] cfg options; also max_activity (T) and env_size.  Python's
--   positional form (internal, position, max_activity, env_size, cfg) works too.
function M.plot_internal_position_trajectory(internal_position, position, cfg, env_arg, cfg_arg)
  local fname = "plot_internal_position_trajectory"
  local max_activity, env_size
  if core.isarray(cfg) or env_arg ~= nil or cfg_arg ~= nil then
    max_activity, env_size, cfg = cfg, env_arg, cfg_arg
  end
  if type(cfg) == "table" and not config.is_config(cfg) then
    local c = {}
    for k, v in pairs(cfg) do
      if k == "max_activity" then max_activity = v
      elseif k == "env_size" then env_size = v
      else c[k] = v end
    end
    cfg = c
  end
  cfg = render.ensure_config(cfg, PlotConfigs.internal_position_trajectory_static, fname)
  internal_position = render.array(internal_position, fname, "internal_position")
  position = render.array(position, fname, "position")
  check_xy(internal_position, fname, "internal_position")
  check_xy(position, fname, "position")
  local T = internal_position:shape(1)
  if position:shape(1) ~= T then
    fail(fname, "internal_position and position must have the same length: %d != %d", T,
         position:shape(1))
  end
  if max_activity ~= nil then
    max_activity = render.array(max_activity, fname, "max_activity")
    if max_activity:size() ~= T then
      fail(fname, "max_activity must have same length as internal_position: %d != %d",
           max_activity:size(), T)
    end
  end
  local kw, own = render.split_kwargs(cfg, {"trajectory_color", "trajectory_linewidth",
    "scatter_size", "scatter_alpha", "add_colorbar", "colorbar"})
  kw.cmap = kw.cmap or "cool"
  local fig, ax = render.figure(cfg)
  local sk = {}
  for k, v in pairs(kw) do sk[k] = v end
  sk.s = own.scatter_size or 4
  sk.alpha = own.scatter_alpha or 0.9
  if max_activity ~= nil then sk.c = max_activity
  else sk.cmap = nil end
  local sc = ax:scatter(column(internal_position, 1), column(internal_position, 2), sk)
  ax:plot(column(position, 1), column(position, 2),
          {color = own.trajectory_color or "black", lw = own.trajectory_linewidth or 1.0})
  ax:set_aspect("equal")
  if cfg.title and cfg.title ~= "" then ax:set_title(cfg.title, {fontsize = 14, fontweight = "bold"}) end
  if env_size ~= nil then
    if type(env_size) == "number" then
      ax:set_xlim(0, env_size)
      ax:set_ylim(0, env_size)
    elseif type(env_size) == "table" and #env_size == 2 then
      ax:set_xlim(0, env_size[1])
      ax:set_ylim(0, env_size[2])
    elseif type(env_size) == "table" and #env_size == 4 then
      ax:set_xlim(env_size[1], env_size[2])
      ax:set_ylim(env_size[3], env_size[4])
    else
      fail(fname, "env_size tuple must be length 2 or 4.")
    end
  end
  ax:set_spines{top = false, right = false}
  local add_cb = own.add_colorbar
  if add_cb == nil then add_cb = true end
  if max_activity ~= nil and add_cb then
    local label = "Max GC activity"
    if type(own.colorbar) == "table" and own.colorbar.label ~= nil then label = own.colorbar.label end
    ax:colorbar(sc, {label = label or nil, fontsize = 12})
  end
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Bars of the rotational correlations at 30, 60, 90, 120 and 150
-- degrees (60 and 120 crimson, the others steelblue) with the grid score
-- in the title.  Returns fig, ax.
-- @param rotated_corrs table angle -> correlation (keys 30, 60, 90, 120, 150)
-- @param grid_score number
function M.plot_grid_score(rotated_corrs, grid_score, cfg)
  local fname = "plot_grid_score"
  cfg = render.ensure_config(cfg, PlotConfigs.grid_score_plot, fname)
  if type(rotated_corrs) ~= "table" then fail(fname, "rotated_corrs must be a table angle -> value") end
  if type(grid_score) ~= "number" then fail(fname, "grid_score must be a number") end
  local function corr(a)
    local v = rotated_corrs[a]
    if type(v) ~= "number" then fail(fname, "rotated_corrs[%d] must be a number", a) end
    return v
  end
  local fig, ax = render.figure(cfg)
  ax:bar({60, 120}, {corr(60), corr(120)}, {color = "crimson", alpha = 0.7, edgecolor = "black",
         linewidth = 1.2, width = 0.8, label = "Hexagonal (60°, 120°)"})
  ax:bar({30, 90, 150}, {corr(30), corr(90), corr(150)}, {color = "steelblue", alpha = 0.7,
         edgecolor = "black", linewidth = 1.2, width = 0.8,
         label = "Non-hexagonal (30°, 90°, 150°)"})
  ax:axhline(0, {color = "black", linestyle = "-", linewidth = 0.8})
  ax:set_title(string.format("%s\nGrid Score = %.3f", cfg.title, grid_score),
               {fontsize = 14, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
  ax:set_xticks({30, 60, 90, 120, 150})
  if cfg.grid then ax:grid(true, {linestyle = "--", alpha = 0.4, axis = "y"}) end
  if grid_score > 0.3 then
    ax:text(0.5, 0.95, "Grid Cell Confirmed (score > 0.3)", {transform = "axes", fontsize = 11,
            color = "green", fontweight = "bold", ha = "center", va = "top",
            bbox = {facecolor = "lightgreen", alpha = 0.3, pad = 0.5}})
  end
  ax:legend{loc = "upper right", fontsize = 9}
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Radial profile of an autocorrelogram (mean over rings d <= r < d+1
-- around shape // 2) with the detected spacing as a dashed line; with
-- `bin_size` (metres per bin; the third argument as in Python, or an
-- option) the legend gives the spacing in metres too.
-- Returns fig, ax.
function M.plot_grid_spacing_analysis(autocorr, spacing_bins, cfg, cfg_arg)
  local fname = "plot_grid_spacing_analysis"
  local bin_size
  if type(cfg) == "number" or cfg_arg ~= nil then bin_size, cfg = cfg, cfg_arg end
  if type(cfg) == "table" and not config.is_config(cfg) and cfg.bin_size ~= nil then
    local c = {}
    for k, v in pairs(cfg) do if k ~= "bin_size" then c[k] = v end end
    bin_size, cfg = cfg.bin_size, c
  end
  cfg = render.ensure_config(cfg, PlotConfigs.grid_spacing_plot, fname)
  autocorr = render.array(autocorr, fname, "autocorr")
  render.check_ndim(autocorr, 2, fname, "autocorr", "(rows, cols)")
  if type(spacing_bins) ~= "number" then fail(fname, "spacing_bins must be a number") end
  local R, C = autocorr:shape(1), autocorr:shape(2)
  local cy, cx = R // 2, C // 2
  local max_dist = math.min(cy, cx)
  local vals = autocorr:astype("float64"):flatten():totable()
  local sum, cnt = {}, {}
  for d = 0, max_dist - 1 do sum[d], cnt[d] = 0, 0 end
  for i = 0, R - 1 do
    for j = 0, C - 1 do
      local d = math.floor(math.sqrt((j - cx) ^ 2 + (i - cy) ^ 2))
      if d < max_dist then
        sum[d] = sum[d] + vals[i * C + j + 1]
        cnt[d] = cnt[d] + 1
      end
    end
  end
  local dist, prof = {}, {}
  for d = 0, max_dist - 1 do
    if cnt[d] > 0 then dist[#dist + 1], prof[#prof + 1] = d, sum[d] / cnt[d] end
  end
  local fig, ax = render.figure(cfg)
  if #dist > 0 then
    ax:plot(dist, prof, {linewidth = 2, color = "steelblue", label = "Radial Average"})
  end
  local label = string.format("Detected Spacing: %.1f bins", spacing_bins)
  if bin_size ~= nil then label = string.format("%s = %.3fm", label, spacing_bins * bin_size) end
  ax:axvline(spacing_bins, {color = "crimson", linestyle = "--", linewidth = 2, label = label})
  ax:set_title(cfg.title, {fontsize = 14, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
  if cfg.grid then ax:grid(true, {linestyle = "--", alpha = 0.4}) end
  ax:legend{loc = "upper right", fontsize = 10}
  render.finalize(fig, cfg, fname)
  return fig, ax
end

return M
