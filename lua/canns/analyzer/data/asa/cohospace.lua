--- CohoSpace: each neuron's activity over the decoded torus, its phase
-- centre and CohoScore (upstream `canns.analyzer.data.asa.cohospace`,
-- `.cohospace_phase_centers` and the scores of `.cohospace_scatter`).
-- @module canns.analyzer.data.asa.cohospace

local core = require "canns.core"
local A = require "canns.argcheck"
local path = require "canns.analyzer.data.asa.path"
local cohomap = require "canns.analyzer.data.asa.cohomap"

local M = {}

local farr = path._farr
local TWO_PI = 2 * math.pi

local f64 = path._f64

-- activity rows aligned with the coordinates (upstream
-- _align_activity_to_coords): `times` (1-based rows) picks them; else a
-- length mismatch is resolved, with auto_filter, by the rows with any
-- activity > 0 when their count matches.
local function align_activity(coords, act, times, auto_filter, fname)
  if times ~= nil then
    local t = farr(times, fname, "times")
    if t:size() > 0 and (t:min() < 1 or t:max() > act:shape(1)) then
      A.fail(fname, "times", nil, "must index the rows of the activity (1..%d), got %g..%g",
             act:shape(1), t:min(), t:max())
    end
    act = core.asa.take(act, t:astype("int64"))
  end
  if act:shape(1) ~= coords:shape(1) then
    if auto_filter and times == nil then
      local keep = {}
      local any = (act:gt(0):astype("float64")):matmul(core.ones({act:shape(2), 1}, "float64"))
      for i = 1, act:shape(1) do if any:get(i, 1) > 0 then keep[#keep + 1] = i end end
      if #keep == coords:shape(1) then return core.asa.take(act, core.array(keep, "int64")) end
    end
    A.error(fname, "activity length must match coords length, got %d vs %d (pass times = "
            .. "decoding.times when the coordinates cover a subset of the time points)",
            act:shape(1), coords:shape(1))
  end
  return act
end

M._align_activity = align_activity

--- EcohoSpace rate maps (upstream `cohospace`): the mean activity of every
-- neuron on a grid of `bins` edges over [0, 2 pi]² of the first two
-- decoded angles (theta2 axis reversed, as upstream), smoothed with
-- `smooth_sigma` (NaN cells kept), and each neuron's circular-mean phase
-- centre.
-- @param coords a decoding result (its `coordsbox`, `times_box`) or a {T, >= 2} matrix
-- @param spikes activity {T_all, N} (rows picked by `times`)
-- @tparam[opt] table opts `times` (1-based rows), `coords_key`, `bins` (51),
--   `coords_in_unit` (false), `smooth_sigma` (0)
-- @treturn table `rate_maps` {N, bins-1, bins-1}, `centers` {N, 2}, `x_edge`,
--   `y_edge`, `bins`, `smooth_sigma`
function M.cohospace(coords, spikes, opts)
  local fname = "cohospace"
  local o = A.options(opts, fname, {"times", "coords_key", "bins", "coords_in_unit", "smooth_sigma"})
  local times = o.times
  local c
  if type(coords) == "table" and not core.isarray(coords) then
    local tb
    c, tb = cohomap.extract_coords_and_times(coords, o.coords_key, fname)
    if times == nil then times = tb end
  else
    c = f64(farr(coords, fname, 1, "coords"))
  end
  if c:ndim() ~= 2 or c:shape(2) < 2 then
    A.fail(fname, 1, "coords", "must be a (T, 2+) matrix, got %s", A.describe(c))
  end
  if A.boolean(o.coords_in_unit, fname, "coords_in_unit", nil, {default = false}) then c = c * TWO_PI end
  local S = f64(farr(spikes, fname, 2, "spikes"))
  if S:ndim() == 1 then S = S:reshape({S:size(), 1}) end
  if S:ndim() ~= 2 then A.fail(fname, 2, "spikes", "must be a (T, N) matrix, got %s", A.describe(S)) end
  if times ~= nil then
    local t = farr(times, fname, "times")
    if t:size() > 0 and (t:min() < 1 or t:max() > S:shape(1)) then
      A.fail(fname, "times", nil, "must index the rows of spikes (1..%d), got %g..%g", S:shape(1), t:min(), t:max())
    end
    S = core.asa.take(S, t:astype("int64"))
  end
  if S:shape(1) ~= c:shape(1) then
    A.error(fname, "spikes length must match coords length, got %d vs %d", S:shape(1), c:shape(1))
  end
  local bins = A.int(o.bins, fname, "bins", nil, {min = 2, max = 10000, default = 51})
  local sigma = A.number(o.smooth_sigma, fname, "smooth_sigma", nil, {min = 0, default = 0})
  local edges = cohomap._linspace(0, TWO_PI, bins)
  local maps, centers = core.asa.cohospace(c, S, edges, sigma)
  return {rate_maps = maps, centers = centers, x_edge = edges, y_edge = edges:copy(), bins = bins,
          smooth_sigma = sigma}
end

--- Phase centres mod 2 pi and their skew coordinates (upstream
-- `cohospace_phase_centers`).
-- @treturn table `centers`, `centers_skew`
function M.cohospace_phase_centers(cohospace_result)
  local fname = "cohospace_phase_centers"
  A.table(cohospace_result, fname, 1, "cohospace_result")
  local c = f64(farr(cohospace_result.centers, fname, 1, "cohospace_result.centers")):mod(TWO_PI)
  return {centers = c, centers_skew = path.skew_transform(c)}
end

local function static_config(o, defaults)
  local vconfig = require "canns.analyzer.visualization.config"
  if o.config then return o.config end
  local kw = {}
  for k, v in pairs(defaults) do kw[k] = v end
  for _, k in ipairs({"figsize", "save_path", "show"}) do if o[k] ~= nil then kw[k] = o[k] end end
  if kw.show == nil then kw.show = false end
  return vconfig.PlotConfig.for_static_plot(kw)
end

local function neuron_arg(v, n, fname)
  return A.int(v, fname, "neuron_id", nil, {min = 1, max = n, default = 1})
end

--- One neuron's EcohoSpace rate map (upstream `plot_cohospace`).
-- @tparam table cohospace_result
-- @tparam[opt] table opts `neuron_id` (1), `config`, `save_path`, `show` (false),
--   `figsize` ({5, 5}), `cmap` ("viridis")
function M.plot_cohospace(cohospace_result, opts)
  local fname = "plot_cohospace"
  A.table(cohospace_result, fname, 1, "cohospace_result")
  local o = A.options(opts, fname, {"neuron_id", "config", "save_path", "show", "figsize", "cmap"})
  local maps = cohospace_result.rate_maps
  if not core.isarray(maps) or maps:ndim() ~= 3 then
    A.fail(fname, 1, "cohospace_result", "must hold rate_maps {N, H, W}, got %s", A.describe(maps))
  end
  local nid = neuron_arg(o.neuron_id, maps:shape(1), fname)
  local cfg = static_config(o, {title = "EcohoSpace", xlabel = "", ylabel = "", figsize = {5, 5}})
  local xe, ye = cohospace_result.x_edge, cohospace_result.y_edge
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  local m = maps:slice(1, {nid, nid}):reshape({maps:shape(2), maps:shape(3)})
  local im = ax:imshow(m, {origin = "lower", cmap = o.cmap or "viridis",
                           extent = {xe:get(1), xe:get(xe:size()), ye:get(1), ye:get(ye:size())}})
  ax:set_aspect("equal")
  ax:set_xticks({})
  ax:set_yticks({})
  ax:set_title(string.format("EcohoSpace Rate Map (neuron %d)", nid), {fontsize = 10})
  ax:colorbar(im, {label = "Mean activity"})
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fname)
  return fig
end

-- The corners of the rate-map cells in skew coordinates: X[r][c] =
-- x_edge[c] + y_edge[r] / 2, Y[r][c] = sqrt(3)/2 y_edge[r] (a meshgrid of
-- the edges, theta2 down the rows), both {#y_edge, #x_edge}.
function M._skewed_mesh(x_edge, y_edge)
  local nx, ny = x_edge:size(), y_edge:size()
  local xe, ye = f64(x_edge):reshape({1, nx}), f64(y_edge):reshape({ny, 1})
  local X = xe + ye * 0.5 + core.zeros({ny, nx}, "float64")
  local Y = ye * (math.sqrt(3) / 2) + core.zeros({ny, nx}, "float64")
  return X, Y
end

--- One neuron's EcohoSpace rate map on the skewed torus (upstream
-- `plot_cohospace_skewed`): cell (r, c) of the map (theta2 edge r, theta1
-- edge c, as a pcolormesh of the edges' meshgrid) drawn as the
-- parallelogram between the skewed corners `_skewed_mesh` gives, coloured
-- over the map's finite range (NaN cells left blank), the base domain
-- outlined (`show_grid`), limits the domain's corner box padded 2 %.
-- @tparam table cohospace_result from `cohospace`
-- @tparam[opt] table opts `neuron_id` (1), `config`, `save_path`, `show` (false),
--   `figsize` ({5, 5}), `cmap` ("viridis"), `show_grid` (true)
-- @return the figure and its axes
function M.plot_cohospace_skewed(cohospace_result, opts)
  local fname = "plot_cohospace_skewed"
  A.table(cohospace_result, fname, 1, "cohospace_result")
  local o = A.options(opts, fname, {"neuron_id", "config", "save_path", "show", "figsize", "cmap", "show_grid"})
  local maps = cohospace_result.rate_maps
  if not core.isarray(maps) or maps:ndim() ~= 3 then
    A.fail(fname, 1, "cohospace_result", "must hold rate_maps {N, H, W}, got %s", A.describe(maps))
  end
  local H, W = maps:shape(2), maps:shape(3)
  local xe = f64(farr(cohospace_result.x_edge, fname, 1, "cohospace_result.x_edge"))
  local ye = f64(farr(cohospace_result.y_edge, fname, 1, "cohospace_result.y_edge"))
  if xe:size() ~= W + 1 or ye:size() ~= H + 1 then
    A.fail(fname, 1, "cohospace_result", "must hold x_edge and y_edge with %d and %d edges for rate_maps "
           .. "{N, %d, %d}, got %d and %d", W + 1, H + 1, H, W, xe:size(), ye:size())
  end
  local nid = neuron_arg(o.neuron_id, maps:shape(1), fname)
  local cmap = A.string(o.cmap, fname, "cmap", nil, {default = "viridis"})
  local lut = core.plot_colormap(cmap)
  local show_grid = A.boolean(o.show_grid, fname, "show_grid", nil, {default = true})
  local cfg = static_config(o, {title = "EcohoSpace (Skewed)", xlabel = "theta1 + theta2/2",
                                ylabel = "sqrt(3)/2 theta2", figsize = {5, 5}})
  local X, Y = M._skewed_mesh(xe, ye)
  X, Y = X:totable(), Y:totable()
  local m = maps:slice(1, {nid, nid}):reshape({H, W}):totable()
  local lo, hi = math.huge, -math.huge
  for r = 1, H do
    for c = 1, W do
      local v = m[r][c]
      if v == v and v > -math.huge and v < math.huge then lo, hi = math.min(lo, v), math.max(hi, v) end
    end
  end
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  if hi >= lo then
    local span = hi > lo and hi - lo or 1
    for r = 1, H do
      for c = 1, W do
        local v = m[r][c]
        if v == v and v > -math.huge and v < math.huge then
          local k = math.floor((v - lo) / span * (#lut - 1) + 0.5) + 1
          local col = {lut[k][1] / 255, lut[k][2] / 255, lut[k][3] / 255}
          ax:fill({X[r][c], X[r][c + 1], X[r + 1][c + 1], X[r + 1][c]},
                  {Y[r][c], Y[r][c + 1], Y[r + 1][c + 1], Y[r + 1][c]},
                  {facecolor = col, edgecolor = col, linewidth = 0.2})
        end
      end
    end
    -- an invisible two-point scatter carries the colour range for the bar
    local sc = ax:scatter({X[1][1], X[1][1]}, {Y[1][1], Y[1][1]}, {c = {lo, hi}, cmap = cmap, s = 1, alpha = 0})
    ax:colorbar(sc, {label = "Mean activity"})
  end
  if show_grid then
    local E1x, E2x, E2y = TWO_PI, math.pi, math.sqrt(3) * math.pi
    ax:plot({0, E1x, E1x + E2x, E2x, 0}, {0, 0, E2y, E2y, 0}, {linewidth = 1.1, color = "0.35"})
  end
  local xmin, xmax, ymin, ymax = 0, 3 * math.pi, 0, math.sqrt(3) * math.pi
  local px, py = 0.02 * (xmax - xmin), 0.02 * (ymax - ymin)
  ax:set_xlim(xmin - px, xmax + px)
  ax:set_ylim(ymin - py, ymax + py)
  ax:set_aspect("equal")
  ax:set_xticks({})
  ax:set_yticks({})
  ax:set_title(string.format("EcohoSpace Rate Map (skewed, neuron %d)", nid), {fontsize = 10})
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fname)
  return fig, ax
end

--- Phase centres on the skewed torus (upstream
-- `plot_cohospace_phase_centers`): all neurons, or one highlighted (with
-- `show_all` the others faint).
-- @tparam[opt] table opts `neuron_id` (nil: all), `show_all` (false), `config`,
--   `save_path`, `show` (false), `figsize` ({5, 5}), `all_color`, `highlight_color`,
--   `alpha` (0.7), `s` (12)
function M.plot_cohospace_phase_centers(cohospace_result, opts)
  local fname = "plot_cohospace_phase_centers"
  local o = A.options(opts, fname, {"neuron_id", "show_all", "config", "save_path", "show", "figsize",
                                    "all_color", "highlight_color", "alpha", "s"})
  local pc = M.cohospace_phase_centers(cohospace_result)
  local sk = pc.centers_skew
  local n = sk:shape(1)
  local nid = o.neuron_id ~= nil and neuron_arg(o.neuron_id, n, fname) or nil
  local show_all = A.boolean(o.show_all, fname, "show_all", nil, {default = false})
  local title = "CohoSpace phase centers (skewed)"
  if nid and not show_all then title = string.format("CohoSpace phase center (neuron %d, skewed)", nid)
  elseif nid then title = string.format("CohoSpace phase centers (all + neuron %d, skewed)", nid) end
  local cfg = static_config(o, {title = title, xlabel = "theta1 + theta2/2", ylabel = "sqrt(3)/2 theta2",
                                figsize = {5, 5}})
  local s = A.number(o.s, fname, "s", nil, {gt = 0, default = 12})
  local alpha = A.number(o.alpha, fname, "alpha", nil, {min = 0, max = 1, default = 0.7})
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  path.draw_base_parallelogram(ax)
  local X, Y = sk:slice(2, {1, 1}):reshape({n}), sk:slice(2, {2, 2}):reshape({n})
  local allc, hic = o.all_color or "tab:blue", o.highlight_color or "tab:red"
  if not nid then
    ax:scatter(X, Y, {s = s, alpha = alpha, color = allc})
  else
    if show_all then ax:scatter(X, Y, {s = math.max(4, s - 4), alpha = 0.25, color = allc}) end
    ax:scatter({X:get(nid)}, {Y:get(nid)}, {s = math.max(10, s + 6), alpha = 0.9, color = hic})
  end
  local s3 = math.sqrt(3) * math.pi
  local px, py = 0.03 * 3 * math.pi, 0.03 * s3
  ax:set_xlim(-px, 3 * math.pi + px)
  ax:set_ylim(-py, s3 + py)
  ax:set_aspect("equal")
  ax:set_title(cfg.title)
  ax:set_xlabel(cfg.xlabel)
  ax:set_ylabel(cfg.ylabel)
  require("canns.analyzer.visualization.render").finalize(fig, cfg, fname)
  return fig
end

local function cohoscore(fname, D, coords, activity, top_percent, opts)
  local o = A.options(opts, fname, {"times", "auto_filter"})
  local c = f64(farr(coords, fname, 1, "coords"))
  if c:ndim() == 1 then c = c:reshape({c:size(), 1}) end
  if c:ndim() ~= 2 or c:shape(2) < D then
    A.fail(fname, 1, "coords", "must be a (T, %d) matrix, got %s", D, A.describe(c))
  end
  local act = f64(farr(activity, fname, 2, "activity"))
  if act:ndim() ~= 2 then A.fail(fname, 2, "activity", "must be a (T, N) matrix, got %s", A.describe(act)) end
  act = align_activity(c, act, o.times, A.boolean(o.auto_filter, fname, "auto_filter", nil, {default = true}), fname)
  local top = nil
  if top_percent ~= false then
    top = A.number(top_percent, fname, 3, "top_percent", {gt = 0, max = 100, default = 2.0})
  end
  local th = c:slice(2, {1, D}):copy():mod(TWO_PI)
  return core.asa.cohoscore(th, act, top)
end

--- CohoScore of every neuron (upstream `compute_cohoscore_scatter_2d`):
-- the mean circular variance of the two decoded angles at the neuron's
-- top `top_percent` % time points (`false`: the points with activity > 0);
-- NaN with fewer than 5 points.  Smaller is more selective.
-- @param coords {T, 2} decoded angles
-- @param activity {T, N} (or {T_all, N} with `opts.times`)
-- @number[opt=2] top_percent
-- @tparam[opt] table opts `times`, `auto_filter` (true)
-- @return float64 {N}
function M.compute_cohoscore_scatter_2d(coords, activity, top_percent, opts)
  return cohoscore("compute_cohoscore_scatter_2d", 2, coords, activity, top_percent, opts)
end

--- The 1-D version (upstream `compute_cohoscore_scatter_1d`): one angle.
function M.compute_cohoscore_scatter_1d(coords, activity, top_percent, opts)
  return cohoscore("compute_cohoscore_scatter_1d", 1, coords, activity, top_percent, opts)
end

return M
