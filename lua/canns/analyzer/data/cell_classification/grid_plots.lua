--- Grid-cell figures (upstream `plot_autocorrelogram`, `plot_rate_map`,
-- `plot_gridness_analysis`, `plot_grid_score_histogram` of
-- `canns.analyzer.data.cell_classification`), drawn on canns' figure
-- layer.
--
--     local ac = cc.compute_2d_autocorrelation(rate_map)
--     local g = cc.GridnessAnalyzer():compute_gridness_score(ac)
--     cc.plot_autocorrelogram(ac, {gridness_score = g.score, center_radius = g.center_radius,
--                                  peak_locations = g.peak_locations,
--                                  save_path = "out/ac.png", show = false})
--
-- Each function takes a PlotConfig as its second argument (upstream's
-- `config`) and/or a trailing table of upstream's keyword options; keys
-- that are not options are drawing options (Python's `**kwargs`, e.g.
-- `cmap`).  Images are drawn at pixel centres 0..n-1 as matplotlib does;
-- `peak_locations` are 1-based (x, y) as GridnessResult gives them.
-- @module canns.analyzer.data.cell_classification.grid_plots
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local P = require "canns.analyzer.data.cell_classification.plot_common"

local M = {}

local function vconfig() return require "canns.analyzer.visualization.config" end

local function map2d(v, fn, arg, name)
  if v == nil then A.fail(fn, arg, name, "is required (a 2-D array)") end
  local a = kw.array(v, fn, arg, name, {})
  if a:ndim() ~= 2 then A.fail(fn, arg, name, "must be a 2-D array, got %s", A.describe(a)) end
  if a:size() == 0 then A.fail(fn, arg, name, "must not be empty, got %s", A.describe(a)) end
  return a
end

local function drawing_options(cfg, defaults)
  local o = cfg:to_matplotlib_kwargs()
  o.rasterized = nil -- raster output everywhere; accepted for compatibility
  for k, v in pairs(defaults) do
    if o[k] == nil then o[k] = v end
  end
  return o
end

local function peaks_xy(v, fn)
  local a = kw.array(v, fn, "peak_locations", nil, {})
  if a:size() == 0 then return {}, {} end
  if a:ndim() ~= 2 or a:shape(2) ~= 2 then
    A.fail(fn, "peak_locations", nil, "must be an (n, 2) array of (x, y), got %s", A.describe(a))
  end
  local xs, ys = {}, {}
  for i, r in ipairs(a:totable()) do xs[i], ys[i] = r[1] - 1, r[2] - 1 end -- 1-based -> pixel centres
  return xs, ys
end

local AC_NAMES = {"config", "gridness_score", "center_radius", "peak_locations", "title", "xlabel", "ylabel",
                  "figsize", "save_path", "show", "ax"}

--- A 2-D autocorrelogram with optional annotations (upstream
-- `plot_autocorrelogram`): RdBu_r in [-1, 1], origin lower, bilinear,
-- colour bar "Correlation"; a red dashed circle of `center_radius`
-- around (W/2, H/2) (upstream's half-pixel offset), the peaks as red
-- "+", " (Gridness: x.xxx)" added to the title, a legend when annotated.
-- @param autocorr 2-D array
-- @param[opt] ... `config` (PlotConfig), then keyword options
--   `gridness_score`, `center_radius`, `peak_locations` ((n, 2) 1-based
--   (x, y)), `title` ("Spatial Autocorrelation"), `xlabel` ("X Lag
--   (bins)"), `ylabel` ("Y Lag (bins)"), `figsize` ({6, 6}), `save_path`,
--   `show` (true), `ax` (draw into these axes; nothing is saved or shown),
--   and drawing options for the image
-- @return fig, ax
function M.plot_autocorrelogram(autocorr, ...)
  local fn = "plot_autocorrelogram"
  local ac = map2d(autocorr, fn, 1, "autocorr")
  local o, extra = P.parse_with_kwargs(fn, 2, AC_NAMES, {}, ...)
  local cfg = P.config(o, fn, vconfig().PlotConfigs.grid_autocorrelation,
                       {"title", "xlabel", "ylabel", "figsize", "save_path", "show"}, extra)
  -- NaN is a valid score (statistics failed): drawn as upstream prints it
  if o.gridness_score ~= nil and type(o.gridness_score) ~= "number" then
    A.fail(fn, "gridness_score", nil, "must be a number, got %s", A.describe(o.gridness_score))
  end
  local score = o.gridness_score
  local radius = o.center_radius
  if radius ~= nil and (type(radius) ~= "number" or radius < 0 or radius == math.huge) then
    A.fail(fn, "center_radius", nil, "must be a non-negative number, got %s", A.describe(radius))
  end
  local px, py
  if o.peak_locations ~= nil then px, py = peaks_xy(o.peak_locations, fn) end
  local fig, ax
  if o.ax ~= nil then
    fig, ax = P.axes_figure(o.ax, fn), o.ax
  else
    fig = core.plot_figure{figsize = cfg.figsize}
    ax = fig:subplot(1, 1, 1)
  end
  local im = ax:imshow(ac, drawing_options(cfg, {origin = "lower", interpolation = "bilinear"}))
  ax:colorbar(im, {label = "Correlation"})
  if radius ~= nil then
    local cx, cy = ac:shape(2) / 2, ac:shape(1) / 2
    local xs, ys = {}, {}
    for k = 0, 360 do
      local t = math.rad(k)
      xs[k + 1], ys[k + 1] = cx + radius * math.cos(t), cy + radius * math.sin(t)
    end
    ax:plot(xs, ys, {color = "red", linewidth = 2, linestyle = "--", label = "Center field"})
  end
  if px ~= nil and #px > 0 then
    ax:plot(px, py, {color = "red", linestyle = "none", marker = "+", markersize = 10, markeredgewidth = 2,
                     label = "Grid peaks"})
  end
  local title = cfg.title or ""
  if score ~= nil then title = string.format("%s (Gridness: %s)", title, P.fmt("%.3f", score)) end
  ax:set_title(title)
  ax:set_xlabel(cfg.xlabel or "")
  ax:set_ylabel(cfg.ylabel or "")
  if radius ~= nil or o.peak_locations ~= nil then ax:legend{loc = "upper right"} end
  if o.ax == nil then P.finalize(fig, cfg, fn) end
  return fig, ax
end

--- A 2-D firing-rate map (upstream `plot_rate_map`): jet, origin lower,
-- aspect auto, bilinear, colour bar "Firing Rate (Hz)".
-- @param rate_map 2-D array
-- @param[opt] ... `config`, then `title` ("Firing Field (Rate Map)"),
--   `xlabel` ("X Position (bins)"), `ylabel` ("Y Position (bins)"),
--   `figsize` ({6, 6}), `colorbar` (true), `save_path`, `show` (true),
--   `ax`, and drawing options for the image
-- @return fig, ax
function M.plot_rate_map(rate_map, ...)
  local fn = "plot_rate_map"
  local rm = map2d(rate_map, fn, 1, "rate_map")
  local o, extra = P.parse_with_kwargs(fn, 2, {"config", "title", "xlabel", "ylabel", "figsize", "colorbar",
                                               "save_path", "show", "ax"}, {colorbar = true}, ...)
  local cfg = P.config(o, fn, vconfig().PlotConfigs.firing_field_heatmap,
                       {"title", "xlabel", "ylabel", "figsize", "save_path", "show"}, extra)
  local cb = A.boolean(o.colorbar, fn, "colorbar")
  local fig, ax
  if o.ax ~= nil then
    fig, ax = P.axes_figure(o.ax, fn), o.ax
  else
    fig = core.plot_figure{figsize = cfg.figsize}
    ax = fig:subplot(1, 1, 1)
  end
  local im = ax:imshow(rm, drawing_options(cfg, {origin = "lower", interpolation = "bilinear"}))
  if cb then ax:colorbar(im, {label = "Firing Rate (Hz)"}) end
  ax:set_title(cfg.title or "")
  ax:set_xlabel(cfg.xlabel or "")
  ax:set_ylabel(cfg.ylabel or "")
  if o.ax == nil then P.finalize(fig, cfg, fn) end
  return fig, ax
end

local function field_list(v, n)
  local t = (v ~= nil and core.isarray(v)) and v:flatten():totable() or (type(v) == "table" and v or {})
  local out = {}
  for i = 1, n do out[i] = type(t[i]) == "number" and t[i] or 0 / 0 end
  return out
end

--- Rate map, annotated autocorrelogram and the statistics of a
-- GridnessResult side by side (upstream `plot_gridness_analysis`): hot
-- rate map (colour bar "Rate (Hz)"), the autocorrelogram titled
-- "Autocorrelogram" with the centre circle and peaks, a text block (score,
-- centre and optimal radius, three spacings, three orientations, ellipse
-- centre, radii and angle); bold suptitle size 14.
-- @param rate_map 2-D array
-- @param autocorr 2-D array
-- @tparam GridnessResult result
-- @param[opt] ... `config`, then `title` ("Grid Cell Analysis"), `figsize`
--   ({15, 5}), `save_path`, `show` (true)
-- @return fig, {ax_rate, ax_autocorr, ax_stats}
function M.plot_gridness_analysis(rate_map, autocorr, result, ...)
  local fn = "plot_gridness_analysis"
  local rm = map2d(rate_map, fn, 1, "rate_map")
  local ac = map2d(autocorr, fn, 2, "autocorr")
  if type(result) ~= "table" or type(result.score) ~= "number" then
    A.fail(fn, 3, "result", "must be a GridnessResult (compute_gridness_score), got %s", A.describe(result))
  end
  local o = kw.parse(fn, 4, {"config", "title", "figsize", "save_path", "show"}, {}, ...)
  local defaults = {title = "Grid Cell Analysis", figsize = {15, 5}}
  for k, v in pairs(defaults) do if o[k] == nil then o[k] = v end end
  local cfg = P.config(o, fn, vconfig().PlotConfig.for_static_plot, {"title", "figsize", "save_path", "show"})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax1, ax2, ax3 = fig:subplot(1, 3, 1), fig:subplot(1, 3, 2), fig:subplot(1, 3, 3)
  local im = ax1:imshow(rm, {cmap = "hot", origin = "lower"})
  ax1:set_title("Firing Rate Map")
  ax1:set_xlabel("X (bins)")
  ax1:set_ylabel("Y (bins)")
  ax1:colorbar(im, {label = "Rate (Hz)"})
  M.plot_autocorrelogram(ac, {gridness_score = result.score, center_radius = result.center_radius,
                              peak_locations = result.peak_locations, title = "Autocorrelogram", ax = ax2})
  ax3:axis("off")
  local sp, ori, el = field_list(result.spacing, 3), field_list(result.orientation, 3), field_list(result.ellipse, 5)
  local f = P.fmt
  local lines = {
    "Grid Cell Analysis", "",
    "Gridness Score: " .. f("%.3f", result.score),
    "Center Radius: " .. f("%.1f", result.center_radius) .. " bins",
    "Optimal Radius: " .. f("%.1f", result.optimal_radius) .. " bins", "",
    "Grid Spacing (bins):",
    "  " .. f("%.2f", sp[1]), "  " .. f("%.2f", sp[2]), "  " .. f("%.2f", sp[3]), "",
    "Grid Orientation (°):",
    "  " .. f("%.1f", ori[1]), "  " .. f("%.1f", ori[2]), "  " .. f("%.1f", ori[3]), "",
    "Ellipse Parameters:",
    string.format("  Center: (%s, %s)", f("%.1f", el[1]), f("%.1f", el[2])),
    string.format("  Radii: (%s, %s)", f("%.1f", el[3]), f("%.1f", el[4])),
    string.format("  Angle: %s°", f("%.1f", result.ellipse_theta_deg)),
  }
  ax3:text(0.1, 0.5, table.concat(lines, "\n"), {transform = "axes", fontsize = 10, va = "center"})
  ax3:set_title("Grid Statistics")
  fig:suptitle(cfg.title or "", {fontsize = 14, fontweight = "bold"})
  P.finalize(fig, cfg, fn)
  return fig, {ax1, ax2, ax3}
end

-- numpy.histogram's equal-width bins over [min, max] (a zero-width range
-- becomes +-0.5, no data [0, 1]), or explicit increasing edges.
local function histogram(v, bins, fn)
  local edges = {}
  local nb
  if type(bins) == "number" then
    nb = A.count(bins, fn, "bins", nil, {min = 1, max = 1e6})
    local lo, hi = math.huge, -math.huge
    for _, x in ipairs(v) do lo, hi = math.min(lo, x), math.max(hi, x) end
    if #v == 0 then lo, hi = 0, 1 end
    if lo == hi then lo, hi = lo - 0.5, hi + 0.5 end
    edges = kw.np_linspace(lo, hi, nb + 1)
  else
    edges = A.sequence(bins, fn, "bins", nil, {finite = true})
    nb = #edges - 1
    if nb < 1 then A.fail(fn, "bins", nil, "must be a bin count or at least 2 edges") end
    for i = 2, #edges do
      if not (edges[i] > edges[i - 1]) then A.fail(fn, "bins", nil, "edges must increase (edge %d)", i) end
    end
  end
  local counts = {}
  for i = 1, nb do counts[i] = 0 end
  local lo, hi = edges[1], edges[nb + 1]
  for _, x in ipairs(v) do
    if x >= lo and x <= hi then
      -- bisect: bins are [e_i, e_{i+1}), the last one closed
      local a, b = 1, nb + 1
      while b - a > 1 do
        local m = (a + b) // 2
        if edges[m] <= x then a = m else b = m end
      end
      counts[a] = counts[a] + 1
    end
  end
  return counts, edges
end

--- Histogram of the finite grid scores (upstream
-- `plot_grid_score_histogram`): matplotlib's hist bars (numpy bins over
-- the data range).
-- @param scores 1-D array or list (NaN and inf are left out)
-- @param[opt] ... `config`, then `bins` (30, or a list of edges), `title`
--   ("Grid Score Distribution"), `xlabel` ("Grid Score"), `ylabel`
--   ("Count"), `figsize` ({6, 4}), `save_path`, `show` (true), `ax`, and
--   drawing options for the bars
-- @return fig, ax
function M.plot_grid_score_histogram(scores, ...)
  local fn = "plot_grid_score_histogram"
  if scores == nil then A.fail(fn, 1, "scores", "is required (a 1-D array of scores)") end
  local s = kw.array(scores, fn, 1, "scores", {})
  local o, extra = P.parse_with_kwargs(fn, 2, {"config", "bins", "title", "xlabel", "ylabel", "figsize",
                                               "save_path", "show", "ax"}, {bins = 30}, ...)
  local defaults = {title = "Grid Score Distribution", xlabel = "Grid Score", ylabel = "Count", figsize = {6, 4}}
  for k, v in pairs(defaults) do if o[k] == nil then o[k] = v end end
  local cfg = P.config(o, fn, vconfig().PlotConfig.for_static_plot,
                       {"title", "xlabel", "ylabel", "figsize", "save_path", "show"}, extra)
  local finite = {}
  for _, x in ipairs(s:flatten():totable()) do
    if x == x and math.abs(x) ~= math.huge then finite[#finite + 1] = x end
  end
  local counts, edges = histogram(finite, o.bins, fn)
  local fig, ax
  if o.ax ~= nil then
    fig, ax = P.axes_figure(o.ax, fn), o.ax
  else
    fig = core.plot_figure{figsize = cfg.figsize}
    ax = fig:subplot(1, 1, 1)
  end
  local bar = drawing_options(cfg, {color = "C0"})
  local xs, hs = {}, {}
  local ok = true
  for i = 1, #counts do
    xs[i], hs[i] = 0.5 * (edges[i] + edges[i + 1]), counts[i]
    if edges[i + 1] - edges[i] ~= edges[2] - edges[1] then ok = false end
  end
  if ok then
    bar.width = edges[2] - edges[1]
    ax:bar(xs, hs, bar)
  else -- unequal edges: one bar per bin
    for i = 1, #counts do
      bar.width = edges[i + 1] - edges[i]
      ax:bar({xs[i]}, {hs[i]}, bar)
      bar.label = nil
    end
  end
  ax:set_title(cfg.title or "")
  ax:set_xlabel(cfg.xlabel or "")
  ax:set_ylabel(cfg.ylabel or "")
  if o.ax == nil then P.finalize(fig, cfg, fn) end
  return fig, ax
end

return M
