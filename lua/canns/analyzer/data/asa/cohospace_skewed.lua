--- CohoSpace scatter plots on the skewed torus (upstream
-- `canns.analyzer.data.asa.cohospace_scatter`'s `_skewed` functions): the
-- decoded angles (theta1, theta2) mapped to the hexagonal torus' fundamental
-- parallelogram, spanned by e1 = (2 pi, 0) and e2 = (pi, sqrt(3) pi), by
-- `skew_transform`, optionally tiled around it so that continuity across
-- its edges shows.
-- @module canns.analyzer.data.asa.cohospace_skewed

local core = require "canns.core"
local A = require "canns.argcheck"
local path = require "canns.analyzer.data.asa.path"
local cohospace = require "canns.analyzer.data.asa.cohospace"
local scatter = require "canns.analyzer.data.asa.cohospace_scatter"

local M = {}

local TWO_PI = 2 * math.pi
local E1 = {TWO_PI, 0.0}
local E2 = {math.pi, math.sqrt(3) * math.pi}

local function tiles(n)
  local out = {}
  for i = -n, n do
    for j = -n, n do out[#out + 1] = {i * E1[1] + j * E2[1], i * E1[2] + j * E2[2]} end
  end
  return out
end

--- The parallelogram grid of the torus' fundamental domain and its
-- neighbours on axes `ax` (upstream `draw_torus_parallelogram_grid_scatter`).
-- @param ax axes
-- @tparam[opt] table opts `n_tiles` (1: shifts -1, 0, 1 of e1 and e2),
--   `color` ("0.7"), `lw` (1.0), `alpha` (0.8)
function M.draw_torus_parallelogram_grid_scatter(ax, opts)
  local F = "draw_torus_parallelogram_grid_scatter"
  if type(ax) ~= "userdata" and type(ax) ~= "table" then A.fail(F, 1, "ax", "must be axes, got %s", A.describe(ax)) end
  local o = A.options(opts, F, {"n_tiles", "color", "lw", "alpha"})
  local n = A.count(o.n_tiles, F, "n_tiles", nil, {default = 1, max = 20})
  local style = {color = A.string(o.color, F, "color", nil, {default = "0.7"}),
                 linewidth = A.number(o.lw, F, "lw", nil, {default = 1.0, min = 0}),
                 alpha = A.number(o.alpha, F, "alpha", nil, {default = 0.8, min = 0, max = 1})}
  for _, s in ipairs(tiles(n)) do
    local x, y = s[1], s[2]
    ax:plot({x, x + E1[1], x + E1[1] + E2[1], x + E2[1], x},
            {y, y + E1[2], y + E1[2] + E2[2], y + E2[2], y}, style)
  end
end

--- Points of the skewed plane repeated in the (2 n + 1)^2 translated
-- domains, shift (i, j) = i e1 + j e2 for i, j = -n..n in that order
-- (upstream `tile_parallelogram_points_scatter`).
-- @param xy {T, 2}
-- @int[opt=1] n_tiles
-- @return float64 {(2 n + 1)^2 T, 2}
function M.tile_parallelogram_points_scatter(xy, n_tiles)
  local F = "tile_parallelogram_points_scatter"
  local p = A.array(xy, F, 1, "xy", {convert = true, dtype = nil, ndim = 2, shape = {-1, 2}})
  local n = A.count(n_tiles, F, 2, "n_tiles", {default = 1, max = 20})
  p = p:astype("float64")
  local parts = {}
  for k, s in ipairs(tiles(n)) do parts[k] = p + core.array({{s[1], s[2]}}, "float64") end
  return core.concatenate(parts, 1)
end

local LABELS = {xlabel = "theta1 + theta2 / 2", ylabel = "sqrt(3) / 2 theta2"}

local function limits(ax, n)
  local xmin, ymin, xmax, ymax = math.huge, math.huge, -math.huge, -math.huge
  for _, s in ipairs(tiles(n)) do
    for _, c in ipairs({{0, 0}, E1, E2, {E1[1] + E2[1], E1[2] + E2[2]}}) do
      local x, y = s[1] + c[1], s[2] + c[2]
      xmin, xmax, ymin, ymax = math.min(xmin, x), math.max(xmax, x), math.min(ymin, y), math.max(ymax, y)
    end
  end
  local px, py = 0.03 * (xmax - xmin), 0.03 * (ymax - ymin)
  ax:set_xlim(xmin - px, xmax + px)
  ax:set_ylim(ymin - py, ymax + py)
end

local function corner_labels(ax)
  local px, py = 0.02 * 3 * math.pi, 0.02 * E2[2]
  local box = {facecolor = "white", edgecolor = "none", alpha = 0.7}
  ax:text(px, py, "(0,0)", {fontsize = 10, ha = "left", va = "bottom", bbox = box})
  ax:text(E1[1] - px, py, "(2π,0)", {fontsize = 10, ha = "right", va = "bottom", bbox = box})
  ax:text(E2[1] + px, E2[2] - py, "(0,2π)", {fontsize = 10, ha = "left", va = "top", bbox = box})
  ax:text(E1[1] + E2[1] - px, E2[2] - py, "(2π,2π)", {fontsize = 10, ha = "right", va = "top", bbox = box})
end

local OPTS = {"mode", "top_percent", "times", "auto_filter", "save_path", "show", "show_grid", "n_tiles",
              "s", "alpha", "figsize", "config"}

-- coords, aligned activity, options; the rows of one neuron (mode "spike":
-- activity > 0, "fr": at or above the (100 - top_percent)-th percentile)
local function prepare(F, coords, activity, opts, defaults)
  local o = A.options(opts, F, OPTS)
  local c = scatter._coords_arg(coords, 2, F)
  local act = path._f64(path._farr(activity, F, 2, "activity"))
  if act:ndim() ~= 2 then A.fail(F, 2, "activity", "must be a (T, N) matrix, got %s", A.describe(act)) end
  act = cohospace._align_activity(c, act, o.times,
                                  A.boolean(o.auto_filter, F, "auto_filter", nil, {default = true}), F)
  local r = {o = o, c = c, act = act}
  r.mode = A.string(o.mode, F, "mode", nil, {choices = {"spike", "fr"}, default = "spike"})
  r.top = A.number(o.top_percent, F, "top_percent", nil, {gt = 0, max = 100, default = 2.0})
  r.show_grid = A.boolean(o.show_grid, F, "show_grid", nil, {default = true})
  r.n = A.count(o.n_tiles, F, "n_tiles", nil, {default = 1, max = 20})
  r.s = A.number(o.s, F, "s", nil, {default = defaults.s, gt = 0})
  r.alpha = A.number(o.alpha, F, "alpha", nil, {default = defaults.alpha, min = 0, max = 1})
  return r
end

local function select_skewed(r, id)
  local rows, val = core.asa.select_points(r.act, core.array({id}, "int64"), r.mode == "fr", r.top)
  local xy = path.skew_transform(core.asa.take(r.c, rows):mod(TWO_PI))
  if r.n > 0 and rows:size() > 0 then
    xy = M.tile_parallelogram_points_scatter(xy, r.n)
    local reps = {}
    for k = 1, (2 * r.n + 1) ^ 2 do reps[k] = val end
    val = core.concatenate(reps, 1)
  end
  return xy, val, rows:size()
end

local function finish(F, r, fig, ax, title)
  path.draw_base_parallelogram(ax)
  if r.show_grid then M.draw_torus_parallelogram_grid_scatter(ax, {n_tiles = r.n}) end
  limits(ax, r.n)
  ax:set_aspect("equal")
  local cfg = scatter._config(r.o, {title = title, xlabel = LABELS.xlabel, ylabel = LABELS.ylabel,
                                    figsize = {5, 5}, show = false})
  ax:set_xlabel(cfg.xlabel)
  ax:set_ylabel(cfg.ylabel)
  ax:set_title(cfg.title)
  scatter._finalize(fig, cfg, F)
  return fig
end

--- One neuron's active time points on the skewed torus (upstream
-- `plot_cohospace_scatter_neuron_skewed`): mode "spike" (default) the
-- points where its activity is > 0, in blue; "fr" the points at or above
-- the (100 - `top_percent`)-th percentile, coloured by activity (viridis).
-- The base domain is outlined and its corners labelled; the points are
-- tiled `n_tiles` rings around it.
-- @param coords {T, 2} decoded angles (radians)
-- @param activity {T, N} (rows aligned through `times` or, with `auto_filter`, the rows with any activity)
-- @int neuron_id 1-based
-- @tparam[opt] table opts `mode`, `top_percent` (2), `times`, `auto_filter` (true),
--   `show_grid` (true), `n_tiles` (1), `s` (6), `alpha` (0.8), `figsize`, `save_path`,
--   `show` (false), `config`
-- @return the figure
function M.plot_cohospace_scatter_neuron_skewed(coords, activity, neuron_id, opts)
  local F = "plot_cohospace_scatter_neuron_skewed"
  local r = prepare(F, coords, activity, opts, {s = 6, alpha = 0.8})
  local id = A.int(neuron_id, F, 3, "neuron_id", {min = 1, max = r.act:shape(2)})
  local fig = core.plot_figure{figsize = (r.o.figsize or {5, 5})}
  local ax = fig:subplot(1, 1, 1)
  local xy, val, k = select_skewed(r, id)
  if k > 0 then
    local X, Y = xy:slice(2, 1):reshape({-1}), xy:slice(2, 2):reshape({-1})
    if r.mode == "fr" then
      local sc = ax:scatter(X, Y, {c = val, s = r.s, alpha = r.alpha, cmap = "viridis"})
      ax:colorbar(sc, {label = "activity"})
    else
      ax:scatter(X, Y, {s = r.s, alpha = r.alpha, color = "tab:blue"})
    end
  end
  corner_labels(ax)
  return finish(F, r, fig, ax, ("Neuron %d – CohoSpace (skewed, mode=%s)"):format(id, r.mode))
end

--- Several neurons' active points on the skewed torus, one colour per
-- neuron (upstream `plot_cohospace_scatter_population_skewed`).
-- @tparam table neuron_ids 1-based neurons
-- @tparam[opt] table opts as the neuron version (`s` 4, `alpha` 0.5)
-- @return the figure
function M.plot_cohospace_scatter_population_skewed(coords, activity, neuron_ids, opts)
  local F = "plot_cohospace_scatter_population_skewed"
  local r = prepare(F, coords, activity, opts, {s = 4, alpha = 0.5})
  A.table(neuron_ids, F, 3, "neuron_ids")
  local ids = {}
  for i, v in ipairs(neuron_ids) do ids[i] = A.int(v, F, 3, "neuron_ids", {min = 1, max = r.act:shape(2)}) end
  if #ids == 0 then A.fail(F, 3, "neuron_ids", "must name at least one neuron") end
  local fig = core.plot_figure{figsize = (r.o.figsize or {5, 5})}
  local ax = fig:subplot(1, 1, 1)
  for _, id in ipairs(ids) do
    local xy, _, k = select_skewed(r, id)
    if k > 0 then
      ax:scatter(xy:slice(2, 1):reshape({-1}), xy:slice(2, 2):reshape({-1}), {s = r.s, alpha = r.alpha})
    end
  end
  return finish(F, r, fig, ax, ("Population CohoSpace (skewed, n=%d, mode=%s)"):format(#ids, r.mode))
end

return M
