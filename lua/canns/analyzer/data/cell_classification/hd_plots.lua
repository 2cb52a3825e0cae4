--- Head-direction figures (upstream `plot_polar_tuning`,
-- `plot_temporal_autocorr`, `plot_hd_analysis` of
-- `canns.analyzer.data.cell_classification`), drawn on canns' figure
-- layer.
--
--     local r = cc.HeadDirectionAnalyzer{strict_mode = false}:classify_hd_cell(spikes, hd, t)
--     local centers, rates = r.tuning_curve[1], r.tuning_curve[2]
--     local ax, fig = cc.plot_polar_tuning(centers, rates, r.preferred_direction, r.mvl_hd,
--                                          {save_path = "out/polar.png"})
--
-- Optional parameters follow upstream's names and order (by position or
-- as one trailing keyword table).  Upstream draws on matplotlib figures
-- that the caller saves or shows; here `save_path` writes the figure and
-- `show` (false) shows it, as the other figures of canns do.
-- @module canns.analyzer.data.cell_classification.hd_plots
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local P = require "canns.analyzer.data.cell_classification.plot_common"

local M = {}

local function output_config(o, fn, figsize)
  P.check_output(o, fn)
  local vconfig = require "canns.analyzer.visualization.config"
  local save = o.save_path
  if save == false then save = nil end
  return vconfig.PlotConfig.for_static_plot{figsize = figsize, save_path = save, show = o.show == true}
end

local function max_of(t)
  local m = -math.huge
  for _, v in ipairs(t) do
    if v ~= v then return v end -- numpy.max propagates NaN
    if v > m then m = v end
  end
  return m
end

-- The tuning curve and its fill down to zero, the preferred-direction
-- radius, the MVL in the title (shared by plot_polar_tuning and
-- plot_hd_analysis).
local function draw_polar(ax, ang, rates, pref, mvl, title)
  ax:plot(ang, rates, {color = "b", linestyle = "-", linewidth = 2, label = "Tuning curve"})
  local fx, fy = {}, {}
  for i = 1, #ang do fx[i], fy[i] = ang[i], rates[i] end
  for i = #ang, 1, -1 do fx[#fx + 1], fy[#fy + 1] = ang[i], 0 end
  ax:fill(fx, fy, {color = "C0", alpha = 0.3, linewidth = 0})
  if pref ~= nil then
    ax:plot({pref, pref}, {0, max_of(rates)}, {color = "r", linestyle = "--", linewidth = 2,
            label = string.format("Preferred: %s°", P.fmt("%.1f", math.deg(pref)))})
  end
  if mvl ~= nil then title = string.format("%s (MVL: %s)", title, P.fmt("%.3f", mvl)) end
  ax:set_title(title)
  ax:legend{loc = "upper right"}
end

local function curve(angles, rates, fn, a1, a2, n1, n2)
  local ang = P.vector(angles, fn, a1, n1 or "angles")
  local r = P.vector(rates, fn, a2, n2 or "rates")
  if #r ~= #ang then
    A.fail(fn, a2, n2 or "rates", "must have one value per angle (%d), got %d", #ang, #r)
  end
  return ang, r
end

--- A directional tuning curve in polar coordinates (upstream
-- `plot_polar_tuning`): blue line (width 2) with a 0.3-alpha fill to 0,
-- a red dashed radius at `preferred_direction` up to the peak rate
-- (legend "Preferred: d.d°"), " (MVL: x.xxx)" added to the title; 0° to
-- the east, counter-clockwise.
-- @param angles 1-D bin angles (radians)
-- @param rates 1-D, one per angle
-- @param[opt] ... `preferred_direction` (radians), `mvl`, `title`
--   ("Directional Tuning"), `ax` (polar axes: fig:subplot(..., {polar =
--   true})), then the canns additions `figsize` ({6, 6}), `save_path`,
--   `show` (false)
-- @return ax, fig
function M.plot_polar_tuning(angles, rates, ...)
  local fn = "plot_polar_tuning"
  local ang, r = curve(angles, rates, fn, 1, 2)
  local o = kw.parse(fn, 3, {"preferred_direction", "mvl", "title", "ax", "figsize", "save_path", "show"},
                     {title = "Directional Tuning", figsize = {6, 6}}, ...)
  local pref = o.preferred_direction ~= nil and A.number(o.preferred_direction, fn, "preferred_direction") or nil
  local mvl = o.mvl ~= nil and A.number(o.mvl, fn, "mvl") or nil
  local title = A.string(o.title, fn, "title")
  local cfg = output_config(o, fn, o.figsize)
  local fig, ax
  if o.ax ~= nil then
    fig, ax = P.axes_figure(o.ax, fn), o.ax
  else
    fig = core.plot_figure{figsize = cfg.figsize}
    ax = fig:subplot(1, 1, 1, {polar = true})
  end
  draw_polar(ax, ang, r, pref, mvl, title)
  if o.ax == nil then P.finalize(fig, cfg, fn) end
  return ax, fig
end

--- A temporal autocorrelation as bars (upstream
-- `plot_temporal_autocorr`): width 0.8 x the first lag step, blue, alpha
-- 0.7; a dashed zero line; "Time Lag (ms)" / "Autocorrelation"; light grid.
-- @param lags 1-D (at least two, the first two different)
-- @param acorr 1-D, one per lag
-- @param[opt] ... `title` ("Temporal Autocorrelation"), `ax`, then
--   `figsize` ({8, 4}), `save_path`, `show` (false)
-- @return ax, fig
function M.plot_temporal_autocorr(lags, acorr, ...)
  local fn = "plot_temporal_autocorr"
  local l = P.vector(lags, fn, 1, "lags", 2)
  local a = P.vector(acorr, fn, 2, "acorr")
  if #a ~= #l then A.fail(fn, 2, "acorr", "must have one value per lag (%d), got %d", #l, #a) end
  local step = l[2] - l[1]
  if not (step ~= 0 and math.abs(step) < math.huge) then
    A.fail(fn, 1, "lags", "must have a finite non-zero first step (the bar width), got %s", P.fmt("%g", step))
  end
  local o = kw.parse(fn, 3, {"title", "ax", "figsize", "save_path", "show"},
                     {title = "Temporal Autocorrelation", figsize = {8, 4}}, ...)
  local title = A.string(o.title, fn, "title")
  local cfg = output_config(o, fn, o.figsize)
  local fig, ax
  if o.ax ~= nil then
    fig, ax = P.axes_figure(o.ax, fn), o.ax
  else
    fig = core.plot_figure{figsize = cfg.figsize}
    ax = fig:subplot(1, 1, 1)
  end
  -- a negative step gives matplotlib bars of negative width, centred the same
  ax:bar(l, a, {width = math.abs(step) * 0.8, color = "blue", alpha = 0.7})
  ax:axhline(0, {color = "k", linestyle = "--", linewidth = 0.5})
  ax:set_title(title)
  ax:set_xlabel("Time Lag (ms)")
  ax:set_ylabel("Autocorrelation")
  ax:grid(true, {alpha = 0.3})
  if o.ax == nil then P.finalize(fig, cfg, fn) end
  return ax, fig
end

--- Polar tuning, linear tuning and either the head direction over time
-- with the spikes or the statistics, side by side (upstream
-- `plot_hd_analysis`).  The third panel is the HD trace (black, width
-- 0.5, degrees, y in [-180, 180]) with red dots at the spikes' HD
-- (interpolated) when `time_stamps` and `head_directions` are given,
-- else a text block: classification, MVLs, preferred direction, Rayleigh
-- p (6 decimals), peak and mean rate.
-- @tparam HDCellResult result
-- @param[opt] ... `time_stamps`, `head_directions` (radians), `spike_times`,
--   `figsize` ({15, 5}), then `save_path`, `show` (false)
-- @return fig, {ax_polar, ax_linear, ax_third}
function M.plot_hd_analysis(result, ...)
  local fn = "plot_hd_analysis"
  if type(result) ~= "table" or type(result.tuning_curve) ~= "table" then
    A.fail(fn, 1, "result", "must be an HDCellResult (classify_hd_cell), got %s", A.describe(result))
  end
  local o = kw.parse(fn, 2, {"time_stamps", "head_directions", "spike_times", "figsize", "save_path", "show"},
                     {figsize = {15, 5}}, ...)
  local ang, rates = curve(result.tuning_curve[1], result.tuning_curve[2], fn, nil, nil,
                           "result.tuning_curve[1] (angles)", "result.tuning_curve[2] (rates)")
  local pref = result.preferred_direction
  if pref ~= nil then pref = A.number(pref, fn, "result.preferred_direction") end
  local ts, hd, st
  if o.time_stamps ~= nil and o.head_directions ~= nil then
    ts = P.vector(o.time_stamps, fn, "time_stamps", nil)
    hd = P.vector(o.head_directions, fn, "head_directions", nil)
    if #hd ~= #ts then
      A.fail(fn, "head_directions", nil, "must have one value per time stamp (%d), got %d", #ts, #hd)
    end
    if o.spike_times ~= nil then
      local sa = kw.array(o.spike_times, fn, "spike_times", nil, {})
      st = sa:flatten():totable()
    end
  end
  local cfg = output_config(o, fn, o.figsize)
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax1 = fig:subplot(1, 3, 1, {polar = true})
  draw_polar(ax1, ang, rates, pref, result.mvl_hd, "Directional Tuning")
  local ax2 = fig:subplot(1, 3, 2)
  local deg = {}
  for i, a in ipairs(ang) do deg[i] = math.deg(a) end
  ax2:plot(deg, rates, {color = "b", linestyle = "-", linewidth = 2})
  local fx, fy = {}, {}
  for i = 1, #deg do fx[i], fy[i] = deg[i], rates[i] end
  for i = #deg, 1, -1 do fx[#fx + 1], fy[#fy + 1] = deg[i], 0 end
  ax2:fill(fx, fy, {color = "C0", alpha = 0.3, linewidth = 0})
  if pref ~= nil then
    ax2:axvline(math.deg(pref), {color = "r", linestyle = "--", linewidth = 2, label = "Preferred direction"})
  end
  ax2:set_xlabel("Head Direction (°)")
  ax2:set_ylabel("Firing Rate (Hz)")
  ax2:set_title("Linear Tuning Curve")
  ax2:grid(true, {alpha = 0.3})
  ax2:legend{}
  local ax3 = fig:subplot(1, 3, 3)
  if ts ~= nil then
    local hdeg = {}
    for i, h in ipairs(hd) do hdeg[i] = math.deg(h) end
    ax3:plot(ts, hdeg, {color = "k", linestyle = "-", linewidth = 0.5, alpha = 0.5})
    if st ~= nil and #st > 0 then
      local sy = {}
      for i, t in ipairs(st) do sy[i] = math.deg(P.interp(t, ts, hd)) end
      ax3:plot(st, sy, {color = "r", linestyle = "none", marker = ".", markersize = 3})
    end
    ax3:set_xlabel("Time (s)")
    ax3:set_ylabel("Head Direction (°)")
    ax3:set_title("HD Trajectory with Spikes")
    ax3:set_ylim(-180, 180)
  else
    ax3:axis("off")
    local f = P.fmt
    local sum = 0
    for _, v in ipairs(rates) do sum = sum + v end
    -- Python's `if result.mvl_theta`: shown unless None or 0 (NaN shows)
    local theta = ""
    if result.mvl_theta ~= nil and result.mvl_theta ~= 0 then theta = "MVL (Theta): " .. f("%.3f", result.mvl_theta) end
    local lines = {
      "Head Direction Cell Analysis", "",
      "Classification: " .. (result.is_hd and "HD Cell" or "Non-HD Cell"),
      "MVL (HD): " .. f("%.3f", result.mvl_hd),
      theta,
      "Preferred Direction: " .. f("%.1f", math.deg(pref or 0 / 0)) .. "°",
      "Rayleigh p-value: " .. f("%.6f", result.rayleigh_p), "",
      "Peak Firing Rate: " .. f("%.2f", max_of(rates)) .. " Hz",
      "Mean Firing Rate: " .. f("%.2f", sum / #rates) .. " Hz",
    }
    ax3:text(0.1, 0.5, table.concat(lines, "\n"), {transform = "axes", fontsize = 10, va = "center"})
    ax3:set_title("HD Statistics")
  end
  P.finalize(fig, cfg, fn)
  return fig, {ax1, ax2, ax3}
end

return M
