--- CohoMap stripe vectors (upstream `canns.analyzer.data.asa.cohomap_vectors`):
-- the stripe fits of the first two phase maps turned into the vectors v
-- and w that span the grid's parallelogram in the arena, and the
-- diagnostic figures (observed vs fitted stripes, the parallelogram).
-- @module canns.analyzer.data.asa.cohomap_vectors

local core = require "canns.core"
local A = require "canns.argcheck"
local cohomap = require "canns.analyzer.data.asa.cohomap"

local M = {}

local TWO_PI = 2 * math.pi
local FIT_KEYS = {"grid_size", "trim", "angle_grid", "phase_grid", "spacing_grid", "spacing_range"}

-- upstream _rot_para: the two parameter sets ordered (the one closer to
-- horizontal first) and their angles turned to the canonical orientation
function M._rot_para(params1, params2)
  local p1, p2 = cohomap._ptable(params1, "_rot_para", 1, "params1"), cohomap._ptable(params2, "_rot_para", 2, "params2")
  local x, y
  if math.abs(math.cos(p1[1])) < math.abs(math.cos(p2[1])) then x, y = p2, p1 else x, y = p1, p2 end
  local alpha = y[1] - x[1]
  if alpha < 0 and math.abs(alpha) > math.pi / 2 then
    x[1] = (x[1] + math.pi) % TWO_PI
  elseif alpha < 0 and math.abs(alpha) < math.pi / 2 then
    x[1] = (x[1] + math.pi * 4 / 3) % TWO_PI
  elseif math.abs(alpha) > math.pi / 2 then
    y[1] = (y[1] - math.pi / 3) % TWO_PI
  end
  if y[1] > math.pi / 2 then
    y[1] = (y[1] - math.pi / 6) % TWO_PI
    x[1] = (x[1] - math.pi / 6) % TWO_PI
  end
  if x[1] > math.pi / 2 then
    y[1] = (y[1] + math.pi / 6) % TWO_PI
    x[1] = (x[1] + math.pi / 6) % TWO_PI
  end
  return x, y
end

local function maps_of(res, fname)
  A.table(res, fname, 1, "cohomap_result")
  for _, k in ipairs({"phase_map1", "phase_map2", "x_edge", "y_edge"}) do
    if not core.isarray(res[k]) then
      A.fail(fname, 1, "cohomap_result", "must hold '%s' (an array; two decoded angles), got %s", k,
             A.describe(res[k]))
    end
  end
  return res.phase_map1, res.phase_map2, res.x_edge, res.y_edge
end

local function fit_opts(o)
  local f = {}
  for _, k in ipairs(FIT_KEYS) do f[k] = o[k] end
  return f
end

--- Fit both phase maps with stripes and compute the parallelogram vectors
-- (upstream `cohomap_vectors`): v = (cos a_x, sin a_x) x_range / s_x and
-- w = (cos a_y, sin a_y) y_range / s_y from the canonically turned fits
-- (angle a, spacing s), x_range and y_range the arena's extent.
-- @tparam table cohomap_result from `cohomap` (two phase maps)
-- @tparam[opt] table opts `fit_cohomap_stripes`'s: `grid_size` (151; false:
--   from the map), `trim` (25), `angle_grid`, `phase_grid`, `spacing_grid` (10),
--   `spacing_range` ({1, 6})
-- @treturn table `params1`, `params2`, `fit_error1`, `fit_error2`, `x_params`,
--   `y_params` (float64 {angle, phase, spacing}), `v`, `w` (float64 {x, y}), `len_v`,
--   `len_w`, `angle_deg`, `x_range`, `y_range`, `x_edge`, `y_edge`, `grid_size`, `trim`
function M.cohomap_vectors(cohomap_result, opts)
  local fname = "cohomap_vectors"
  local m1, m2, xe, ye = maps_of(cohomap_result, fname)
  local o = A.options(opts, fname, FIT_KEYS)
  local fo = fit_opts(o)
  local p1, f1 = cohomap.fit_cohomap_stripes(m1, fo)
  local p2, f2 = cohomap.fit_cohomap_stripes(m2, fo)
  p1, p2 = p1:totable(), p2:totable()
  local xp, yp = M._rot_para(p1, p2)
  local xr, yr = xe:max() - xe:min(), ye:max() - ye:min()
  local v = {math.cos(xp[1]) * xr / xp[3], math.sin(xp[1]) * xr / xp[3]}
  local w = {math.cos(yp[1]) * yr / yp[3], math.sin(yp[1]) * yr / yp[3]}
  local ang = ((yp[1] - xp[1]) / TWO_PI * 360.0) % 360.0
  local trim = o.trim or 25
  local gs = o.grid_size
  if gs == nil then gs = 151 elseif gs == false then gs = cohomap._resolve_grid(m1, false, trim) end
  local F = function(t) return core.array(t, "float64") end
  return {params1 = F(p1), params2 = F(p2), fit_error1 = f1, fit_error2 = f2, x_params = F(xp),
          y_params = F(yp), x_edge = xe, y_edge = ye, x_range = xr, y_range = yr, v = F(v), w = F(w),
          len_v = xr / xp[3],
          len_w = yr / yp[3], angle_deg = ang, grid_size = gs, trim = trim}
end

local function static_config(o, title, figsize)
  if o.config then return o.config end
  local vconfig = require "canns.analyzer.visualization.config"
  return vconfig.PlotConfig.for_static_plot{title = title, xlabel = "", ylabel = "",
                                            figsize = o.figsize or figsize, save_path = o.save_path,
                                            show = o.show or false}
end

local function vec2(v, fname, name)
  if core.isarray(v) then v = v:totable() end
  if type(v) ~= "table" or #v ~= 2 then A.fail(fname, 1, name, "must be {x, y}, got %s", A.describe(v)) end
  return {A.number(v[1], fname, 1, name .. "[1]"), A.number(v[2], fname, 1, name .. "[2]")}
end

--- Draw v, w and their parallelogram over the arena's box (upstream
-- `plot_cohomap_vectors`).
-- @tparam table cohomap_vectors_result from `cohomap_vectors`
-- @tparam[opt] table opts `config`, `save_path`, `show` (false), `figsize` ({5, 5}),
--   `color` ("#f28e2b")
-- @return the figure
function M.plot_cohomap_vectors(cohomap_vectors_result, opts)
  local fname = "plot_cohomap_vectors"
  A.table(cohomap_vectors_result, fname, 1, "cohomap_vectors_result")
  local o = A.options(opts, fname, {"config", "save_path", "show", "figsize", "color"})
  local r = cohomap_vectors_result
  local vmax = A.number(r.x_range, fname, 1, "cohomap_vectors_result.x_range")
  local wmax = A.number(r.y_range, fname, 1, "cohomap_vectors_result.y_range")
  local v = vec2(r.v, fname, "cohomap_vectors_result.v")
  local w = vec2(r.w, fname, "cohomap_vectors_result.w")
  local color = A.string(o.color, fname, "color", nil, {default = "#f28e2b"})
  local cfg = static_config(o, "CohoMap Vectors", {5, 5})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  local box = {color = "0.6", linewidth = 1, linestyle = "--"}
  ax:plot({0, 0}, {0, wmax}, box)
  ax:plot({vmax, vmax}, {0, wmax}, box)
  ax:plot({0, vmax}, {0, 0}, box)
  ax:plot({0, vmax}, {wmax, wmax}, box)
  local st = {color = color, linewidth = 3}
  ax:plot({0, v[1]}, {0, v[2]}, st)
  ax:plot({0, w[1]}, {0, w[2]}, st)
  ax:plot({v[1], v[1] + w[1]}, {v[2], v[2] + w[2]}, st)
  ax:plot({w[1], v[1] + w[1]}, {w[2], v[2] + w[2]}, st)
  local px = vmax > 0 and 0.05 * vmax or 1.0
  local py = wmax > 0 and 0.05 * wmax or 1.0
  ax:set_xlim(-px, vmax + px)
  ax:set_ylim(-py, wmax + py)
  ax:set_aspect("equal")
  ax:set_xticks({})
  ax:set_yticks({})
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fname)
  return fig
end

--- Observed vs fitted stripes, 2 x 2 panels (upstream
-- `plot_cohomap_stripes`): cos of each phase map next to its stripe model.
-- @tparam table cohomap_result from `cohomap`
-- @tparam[opt] table opts `cohomap_vectors_result` (computed when absent),
--   the fit options of `cohomap_vectors`, `config`, `save_path`, `show` (false),
--   `figsize` ({10, 6}), `cmap` ("viridis")
-- @return the figure
function M.plot_cohomap_stripes(cohomap_result, opts)
  local fname = "plot_cohomap_stripes"
  local m1, m2, xe, ye = maps_of(cohomap_result, fname)
  local o = A.options(opts, fname, {"cohomap_vectors_result", "grid_size", "trim", "angle_grid",
                                    "phase_grid", "spacing_grid", "spacing_range", "config",
                                    "save_path", "show", "figsize", "cmap"})
  local vr = o.cohomap_vectors_result
  if vr == nil then
    vr = M.cohomap_vectors(cohomap_result, fit_opts(o))
  else
    A.table(vr, fname, nil, "cohomap_vectors_result")
  end
  local trim = A.int(vr.trim or o.trim, fname, "trim", nil, {min = 1, default = 25})
  local gs = vr.grid_size or o.grid_size
  if gs ~= false then gs = A.int(gs, fname, "grid_size", nil, {min = 4, default = 151}) end
  gs = cohomap._resolve_grid(m1, gs, trim)
  local expected = gs - 1 - 2 * trim
  if m1:shape(1) ~= expected or m2:shape(1) ~= expected then
    A.fail(fname, 1, "cohomap_result", "phase maps of side %d do not match grid_size %d / trim %d (side %d)",
           m1:shape(1), gs, trim, expected)
  end
  local fit1 = cohomap.stripe_fit_map(vr.params1, gs, trim)
  local fit2 = cohomap.stripe_fit_map(vr.params2, gs, trim)
  local cmap = A.string(o.cmap, fname, "cmap", nil, {default = "viridis"})
  local cfg = static_config(o, "CohoMap Stripe Fit", {10, 6})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local panels = {{core.cos(m1), "Phase Map 1 (cos)"}, {fit1, "Stripe Fit 1"},
                  {core.cos(m2), "Phase Map 2 (cos)"}, {fit2, "Stripe Fit 2"}}
  for i, pnl in ipairs(panels) do
    local ax = fig:subplot(2, 2, i)
    ax:imshow(pnl[1], {origin = "lower", cmap = cmap, vmin = -1, vmax = 1,
                       extent = {xe:get(1), xe:get(xe:size()), ye:get(1), ye:get(ye:size())}})
    ax:set_title(pnl[2], {fontsize = 10})
    ax:set_aspect("equal")
    ax:set_xticks({})
    ax:set_yticks({})
  end
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fname)
  return fig
end

return M
