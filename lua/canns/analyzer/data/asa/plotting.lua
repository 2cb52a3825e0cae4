--- ASA figures of decoded paths (upstream
-- `canns.analyzer.data.asa.plotting`): PathCompare 1-D and 2-D and the
-- CohoMap scatter plots.
-- @module canns.analyzer.data.asa.plotting

local core = require "canns.core"
local A = require "canns.argcheck"
local path = require "canns.analyzer.data.asa.path"

local M = {}

local farr = path._farr

local TWO_PI = 2 * math.pi

local function plot_config(o, fname, defaults)
  local vconfig = require "canns.analyzer.visualization.config"
  if o.config ~= nil then
    if not vconfig.is_config(o.config) then
      A.fail(fname, "config", nil, "must be a PlotConfig, got %s", A.describe(o.config))
    end
    return o.config
  end
  local kw = {}
  for k, v in pairs(defaults) do kw[k] = v end
  for _, k in ipairs({"title", "figsize", "save_path", "show"}) do
    if o[k] ~= nil then kw[k] = o[k] end
  end
  if o.dpi ~= nil then kw.save_dpi = o.dpi end
  return vconfig.PlotConfig.for_static_plot(kw)
end

local function physical_panel(ax, x, y)
  ax:set_title("Physical path (x,y)")
  ax:set_aspect("equal")
  ax:plot(x, y, {linewidth = 0.9, alpha = 0.8})
  ax:set_xticks({})
  ax:set_yticks({})
  local xmin, xmax, ymin, ymax = x:min(), x:max(), y:min(), y:max()
  local px = xmax > xmin and (xmax - xmin) * 0.03 or 1.0
  local py = ymax > ymin and (ymax - ymin) * 0.03 or 1.0
  ax:set_xlim(xmin - px, xmax + px)
  ax:set_ylim(ymin - py, ymax + py)
end

local function xy_args(fname, x, y)
  x = path._vec(x, fname, 1, "x")
  y = path._vec(y, fname, 2, "y")
  if x:size() ~= y:size() or x:size() < 1 then
    A.fail(fname, 2, "y", "must have the length of x (%d), got %d", x:size(), y:size())
  end
  return x, y
end

--- The physical path next to the decoded path on the torus (upstream
-- `plot_path_compare_2d`): left the (x, y) trajectory, right the first
-- two decoded angles (mod 2 pi) in skew coordinates inside the
-- fundamental parallelogram, broken where the path wraps.
-- @param x positions (T)
-- @param y positions (T)
-- @param coords decoded angles {T, >= 2} (e.g. from `align_coords_to_position_2d`)
-- @tparam[opt] table opts `config` (a PlotConfig), `title` ("Path Compare"),
--   `figsize` ({12, 5}), `show` (true, as upstream), `save_path`, `dpi`
-- @return fig, {ax_left, ax_right}
function M.plot_path_compare_2d(x, y, coords, opts)
  local fname = "plot_path_compare_2d"
  local o = A.options(opts, fname, {"config", "title", "figsize", "show", "save_path", "dpi"})
  x, y = xy_args(fname, x, y)
  local c = farr(coords, fname, 3, "coords")
  if c:ndim() ~= 2 or c:shape(2) < 2 then
    A.fail(fname, 3, "coords", "must be 2-d with at least 2 columns, got %s", A.describe(c))
  end
  local cfg = plot_config(o, fname, {title = "Path Compare", figsize = {12, 5}, show = true})
  local render = require "canns.analyzer.visualization.render"
  local fig = core.plot_figure{figsize = cfg.figsize}
  if cfg.title and cfg.title ~= "" then fig:suptitle(cfg.title) end
  local ax0 = fig:subplot(1, 2, 1)
  physical_panel(ax0, x, y)
  local ax1 = fig:subplot(1, 2, 2)
  ax1:set_title("Decoded coho path")
  ax1:set_aspect("equal")
  ax1:axis("off")
  local th = c:slice(2, {1, 2}):astype("float64"):mod(TWO_PI)
  local xy = path.skew_transform(th)
  path.draw_base_parallelogram(ax1)
  local trail = path.snake_wrap_trail_in_parallelogram(xy)
  local n = trail:shape(1)
  ax1:plot(trail:slice(2, {1, 1}):reshape({n}), trail:slice(2, {2, 2}):reshape({n}),
           {linewidth = 0.9, alpha = 0.9})
  render.finalize(fig, cfg, fname)
  return fig, {ax0, ax1}
end

--- The 1-D version (upstream `plot_path_compare_1d`): right, the decoded
-- angle as points on the unit circle coloured by time.
function M.plot_path_compare_1d(x, y, coords, opts)
  local fname = "plot_path_compare_1d"
  local o = A.options(opts, fname, {"config", "title", "figsize", "show", "save_path", "dpi"})
  x, y = xy_args(fname, x, y)
  local c = farr(coords, fname, 3, "coords")
  if c:ndim() == 2 and c:shape(2) == 1 then c = c:reshape({c:shape(1)}) end
  if c:ndim() ~= 1 then A.fail(fname, 3, "coords", "must have shape (T,) or (T, 1), got %s", A.describe(c)) end
  local cfg = plot_config(o, fname, {title = "Path Compare (1D)", figsize = {12, 5}, show = true})
  local render = require "canns.analyzer.visualization.render"
  local fig = core.plot_figure{figsize = cfg.figsize}
  if cfg.title and cfg.title ~= "" then fig:suptitle(cfg.title) end
  local ax0 = fig:subplot(1, 2, 1)
  physical_panel(ax0, x, y)
  local ax1 = fig:subplot(1, 2, 2)
  ax1:set_title("Decoded coho path (1D)")
  ax1:set_aspect("equal")
  ax1:axis("off")
  local th = c:astype("float64"):mod(TWO_PI)
  local n = th:size()
  local tidx = {}
  for i = 1, n do tidx[i] = i - 1 end
  local sc = ax1:scatter(core.cos(th), core.sin(th), {c = core.array(tidx, "float64"), cmap = "viridis",
                                                     s = 4, alpha = 0.8})
  ax1:colorbar(sc, {label = "Time"})
  ax1:set_xlim(-1.2, 1.2)
  ax1:set_ylim(-1.2, 1.2)
  render.finalize(fig, cfg, fname)
  return fig, {ax0, ax1}
end

local function scatter_panels(fname, decoding_result, position_data, opts, dims)
  A.table(decoding_result, fname, 1, "decoding_result")
  A.table(position_data, fname, 2, "position_data")
  local o = A.options(opts, fname, {"config", "save_path", "show", "figsize", "dpi", "subsample"})
  local cb = decoding_result.coordsbox
  local tb = decoding_result.times_box
  if not core.isarray(cb) or cb:ndim() ~= 2 then
    A.fail(fname, 1, "decoding_result", "must hold coordsbox, a (T, D) matrix, got %s", A.describe(cb))
  end
  if not core.isarray(tb) then
    A.fail(fname, 1, "decoding_result", "must hold times_box (1-based rows), got %s", A.describe(tb))
  end
  if position_data.x == nil or position_data.y == nil then
    A.fail(fname, 2, "position_data", "must have 'x' and 'y' entries (missing key)")
  end
  local sub = A.int(o.subsample, fname, "subsample", nil, {min = 1, default = 10})
  local D = dims or cb:shape(2)
  if cb:shape(2) < D then
    A.fail(fname, 1, "decoding_result", "coordsbox has %d columns, %d are drawn", cb:shape(2), D)
  end
  local x = path._vec(position_data.x, fname, 2, "position_data.x")
  local y = path._vec(position_data.y, fname, 2, "position_data.y")
  local xs, ys = core.asa.take(x, tb), core.asa.take(y, tb)
  local rows = {}
  for i = 1, cb:shape(1), sub do rows[#rows + 1] = i end
  local ri = core.array(rows, "int64")
  xs, ys = core.asa.take(xs, ri), core.asa.take(ys, ri)
  local cs = core.cos(core.asa.take(cb:astype("float64"), ri))
  local figsize = dims and (o.figsize or {10, 4}) or {5 * D, 4}
  local vconfig = require "canns.analyzer.visualization.config"
  local cfg = o.config or vconfig.PlotConfig.for_static_plot{title = "CohoMap", xlabel = "", ylabel = "",
                                                             figsize = figsize, save_path = o.save_path,
                                                             show = o.show or false}
  local dpi = o.dpi or 300
  local fig = core.plot_figure{figsize = dims and cfg.figsize or figsize}
  local n = #rows
  for i = 1, D do
    local ax = fig:subplot(1, D, i)
    ax:axis("off")
    ax:set_aspect("equal")
    local im = ax:scatter(xs, ys, {c = cs:slice(2, {i, i}):reshape({n}), s = 8, cmap = "viridis"})
    ax:colorbar(im, {label = dims and "cos(coord)" or string.format("cos(coord %d)", i)})
    ax:set_title(string.format("CohoMap Dim %d", i), dims and {fontsize = 10} or nil)
  end
  if cfg.save_path then fig:savefig(cfg.save_path, {dpi = dpi}) end
  if cfg.show then
    local render = require "canns.analyzer.visualization.render"
    local p = cfg.save_path
    if not p then
      p = render.show_path(fname, "png")
      fig:savefig(p, {dpi = dpi})
    end
    render.show_file(p, fname)
  end
  return fig
end

--- CohoMap 1.0 (upstream `plot_cohomap_scatter`): two panels, the
-- positions at `times_box` (every `subsample`-th row) coloured by the cosine
-- of decoded coordinate 1 and 2.
-- @tparam table decoding_result with `coordsbox` and `times_box`
-- @tparam table position_data `{x, y}`
-- @tparam[opt] table opts `config`, `save_path`, `show` (false), `figsize`
--   ({10, 4}), `dpi` (300), `subsample` (10)
function M.plot_cohomap_scatter(decoding_result, position_data, opts)
  return scatter_panels("plot_cohomap_scatter", decoding_result, position_data, opts, 2)
end

--- One panel per decoded coordinate (upstream `plot_cohomap_scatter_multi`;
-- figure 5 D x 4).
function M.plot_cohomap_scatter_multi(decoding_result, position_data, opts)
  return scatter_panels("plot_cohomap_scatter_multi", decoding_result, position_data, opts, nil)
end

return M
