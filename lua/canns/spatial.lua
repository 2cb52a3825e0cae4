--- Spatial navigation: environments and random-motion agents, in C.
--
-- The counterpart of upstream's Rust helper `canns_lib.spatial`
-- (`Environment`, `Agent`); the navigation tasks of `canns.task` are built
-- on it.
--
--     local env = canns.spatial.Environment{boundary = {{0,0},{2,0},{2,2},{0,2}},
--       holes = {{{0.8,0.8},{1.2,0.8},{1.2,1.2},{0.8,1.2}}}}
--     local agent = canns.spatial.Agent{environment = env, rng_seed = 3}
--     agent:update{dt = 0.02, steps = 1e6}   -- a million steps in one C call
--     local h = agent:get_history_arrays()   -- t, pos, vel, head_direction, ...
--     local many = canns.spatial.Agents{environment = env, n = 1000, rng_seed = 1}
--     many:update{steps = 1000}              -- in parallel (OpenMP)
--
-- Geometry is deterministic and matches upstream to the bit; the random
-- motion follows upstream's algorithm with canns's own (Philox) generator,
-- so it matches in distribution (see docs/spatial.md).
-- @module canns.spatial

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

--- `Environment{dimensionality = "2D", boundary_conditions = "solid",
-- scale = 1, aspect = 1, dx = 0.01, boundary, walls, holes, objects}`.
-- Methods: `contains(p)` (alias `check_if_position_is_in_environment`),
-- `project(p [, prev])`, `apply_boundary_conditions(p)`,
-- `vectors_from_walls(p)`, `check_wall_collisions({a, b})`,
-- `sample_positions(n [, method])`, `add_wall`, `add_hole`, `add_object`,
-- `render_state()`, `plot_environment{...}`.
M.Environment = core.spatial_environment
--- `Agent{environment, params, rng_seed, init_pos, init_vel, <param> = ...}`.
M.Agent = core.spatial_agent
--- `Agents{environment, n, rng_seed, params, init_pos, <param> = ...}`:
-- n independent agents stepped in parallel; history off unless asked.
M.Agents = core.spatial_agents
--- canns-lib's default agent parameters (a table).
M.default_params = core.spatial_agent_default_params
M.is_environment = core.spatial_isenvironment
M.is_agent = core.spatial_isagent

local env_methods = core.spatial_environment_methods
local agent_methods = core.spatial_agent_methods

-- ------------------------------------------------------------ plotting

-- The fields of a PlotStyle and their defaults (canns_lib's dataclass).
local STYLE_FIELDS = {
  background_color = "white", boundary_color = "black", boundary_linewidth = 1.0, boundary_linestyle = "-",
  wall_color = "black", wall_linewidth = 1.0, wall_linestyle = "--",
  hole_color = "black", hole_linewidth = 1.0, hole_linestyle = ":",
  show_axes = true, show_ticks = true, show_grid = false, grid_alpha = 0.2,
  legend_frameon = true, legend_framealpha = 1.0, legend_loc = "best",
  trajectory_alpha = 0.7, trajectory_linewidth = 1.0,
}

--- The styling of environment and trajectory plots (canns_lib's
-- `PlotStyle`): a table with every field of upstream's dataclass, those
-- not given at their defaults (`background_color` "white",
-- `boundary_color` "black", `boundary_linewidth` 1, `boundary_linestyle`
-- "-", `wall_*` black / 1 / "--", `hole_*` black / 1 / ":", `show_axes`
-- and `show_ticks` true, `show_grid` false, `grid_alpha` 0.2,
-- `legend_frameon` true, `legend_framealpha` 1, `legend_loc` "best",
-- `trajectory_alpha` 0.7, `trajectory_linewidth` 1).  Misspelt fields
-- and values of the wrong type are errors.  Pass it as `style`.
-- @tparam[opt] table fields
-- @treturn table the style
function M.PlotStyle(fields)
  local F = "PlotStyle"
  fields = fields or {}
  A.table(fields, F, 1, "fields")
  local st = {}
  for k, v in pairs(fields) do
    local d = STYLE_FIELDS[k]
    if d == nil then A.fail(F, 1, "fields", "has no field '%s'", tostring(k)) end
    if type(v) ~= type(d) then
      A.fail(F, 1, "fields." .. k, "must be a %s, got %s", type(d), A.describe(v))
    end
    st[k] = v
  end
  for k, d in pairs(STYLE_FIELDS) do if st[k] == nil then st[k] = d end end
  return setmetatable(st, {__name = "canns.spatial.PlotStyle"})
end

--- Upstream's predefined styles: `STYLE_SIMULATION` (the default: soft
-- grey, thick borders, no axes), `STYLE_SCIENTIFIC` (thin black lines,
-- dashed walls, dotted holes, axes) and `STYLE_PUBLICATION` (solid black
-- lines of width 2, axes); `styles` names them for `style = "..."`.
M.STYLE_SIMULATION = M.PlotStyle{background_color = "#FAFAFA", boundary_color = "#888888", boundary_linewidth = 3.0,
  wall_color = "#888888", wall_linewidth = 3.0, wall_linestyle = "-",
  hole_color = "#888888", hole_linewidth = 3.0, hole_linestyle = "-",
  show_axes = false, show_ticks = false, legend_frameon = false, legend_framealpha = 0.8,
  legend_loc = "center right", trajectory_linewidth = 1.5}
M.STYLE_SCIENTIFIC = M.PlotStyle{}
M.STYLE_PUBLICATION = M.PlotStyle{boundary_linewidth = 2.0, wall_linewidth = 2.0, wall_linestyle = "-",
  hole_linewidth = 2.0, hole_linestyle = "-", trajectory_alpha = 0.8, trajectory_linewidth = 1.5}
M.styles = {simulation = M.STYLE_SIMULATION, scientific = M.STYLE_SCIENTIFIC, publication = M.STYLE_PUBLICATION}

local function style_of(s, fname)
  if s == nil then return M.styles.simulation end
  if type(s) == "table" then return M.PlotStyle(s) end
  local st = M.styles[A.string(s, fname, "style", nil, {choices = {"simulation", "scientific", "publication"}})]
  return st
end

local function xs_ys(points, close)
  local xs, ys = {}, {}
  for i, p in ipairs(points) do xs[i], ys[i] = p[1], p[2] end
  if close and #points > 0 then xs[#xs + 1], ys[#ys + 1] = points[1][1], points[1][2] end
  return xs, ys
end

--- Draw an environment (boundary, walls, holes, objects) on `ax` (a new
-- 5×5-inch figure when absent).  Returns ax, fig.
-- @param env an Environment
-- @tparam[opt] table opts `ax`, `show_objects` (true), `style`
function M.plot_environment(env, opts)
  local fname = "plot_environment"
  if not core.spatial_isenvironment(env) then
    A.fail(fname, 1, "environment", "must be a canns.spatial.Environment, got %s", A.describe(env))
  end
  local o = A.options(opts, fname, {"ax", "fig", "show_objects", "style", "figsize"})
  local st = style_of(o.style, fname)
  local ax, fig = o.ax, o.fig
  if not ax then
    fig = core.plot_figure{figsize = o.figsize or {5, 5}}
    ax = fig:subplot(1, 1, 1)
  end
  local s = env:render_state()
  ax:set_facecolor(st.background_color)
  if s.boundary then
    local xs, ys = xs_ys(s.boundary, true)
    ax:plot(xs, ys, {color = st.boundary_color, linewidth = st.boundary_linewidth, linestyle = st.boundary_linestyle})
  end
  for _, w in ipairs(s.walls) do
    local xs, ys = xs_ys(w)
    ax:plot(xs, ys, {color = st.wall_color, linewidth = st.wall_linewidth, linestyle = st.wall_linestyle})
  end
  for _, h in ipairs(s.holes) do
    local xs, ys = xs_ys(h, true)
    ax:plot(xs, ys, {color = st.hole_color, linewidth = st.hole_linewidth, linestyle = st.hole_linestyle})
  end
  if o.show_objects ~= false and #s.objects > 0 then
    local xs, ys = {}, {}
    for i, ob in ipairs(s.objects) do xs[i], ys[i] = ob[1][1], ob[1][2] end
    ax:scatter(xs, ys, {c = "red", marker = "x"})
  end
  if not st.show_axes then
    ax:axis("off")
  elseif not st.show_ticks then
    ax:set_xticks({})
    ax:set_yticks({})
  end
  if st.show_grid then ax:grid(true, {alpha = st.grid_alpha}) end
  ax:set_aspect("equal")
  local e = s.extent
  ax:set_xlim(e[1], e[2])
  ax:set_ylim(e[3], e[4])
  return ax, fig
end

function env_methods.plot_environment(env, opts) return M.plot_environment(env, opts) end

--- Rows [start, stop] (1-based, inclusive) and the stride of the history
-- between t_start and t_end at `framerate` (upstream get_history_slice).
function agent_methods.get_history_slice(agent, opts)
  local fname = "get_history_slice"
  local o = A.options(opts, fname, {"t_start", "t_end", "framerate"})
  local t = agent:history_times()
  local n = t:size()
  if n == 0 then return 1, 0, 1 end
  local t0 = A.number(o.t_start, fname, "t_start", nil, {default = t[1]})
  local t1 = A.number(o.t_end, fname, "t_end", nil, {default = t[n]})
  local fr = A.number(o.framerate, fname, "framerate", nil, {optional = true, gt = 0})
  local function nearest(x)
    local best, bi = math.huge, 1
    for i = 1, n do
      local d = math.abs(t[i] - x)
      if d < best then best, bi = d, i end
    end
    return bi
  end
  local step = 1
  if fr then
    local dt = n > 1 and (t[n] - t[1]) / (n - 1) or agent.dt
    if not (dt > 0) then dt = 1 end
    step = math.max(1, math.floor((1 / fr) / dt))
  end
  return nearest(t0), nearest(t1), step
end

local function sliced(agent, o, fname)
  local i0, i1, step = agent:get_history_slice{t_start = o.t_start, t_end = o.t_end,
                                               framerate = o.framerate}
  local h = agent:get_history_arrays()
  if i1 < i0 then A.error(fname, "the agent's history is empty; call update() first (with save_history on)") end
  local xs, ys, ts, hx, hy = {}, {}, {}, {}, {}
  for i = i0, i1, step do
    xs[#xs + 1], ys[#ys + 1], ts[#ts + 1] = h.pos[i][1], h.pos[i][2], h.t[i]
    hx[#hx + 1], hy[#hy + 1] = h.head_direction[i][1], h.head_direction[i][2]
  end
  return xs, ys, ts, hx, hy
end

--- Plot the trajectory over the environment (upstream plot_trajectory):
-- points (colour `color`, or `"changing"` for a time colour map), the
-- agent as a dot, optional saving (`autosave` = path).  Returns fig, ax.
function agent_methods.plot_trajectory(agent, opts)
  local fname = "plot_trajectory"
  local o = A.options(opts, fname, {"t_start", "t_end", "framerate", "fig", "ax", "color",
    "colorbar", "autosave", "style", "alpha", "point_size", "show_agent", "agent_color",
    "show_objects", "figsize", "title", "dpi", "trajectory_cmap"})
  local ax, fig = M.plot_environment(agent.environment, {ax = o.ax, fig = o.fig,
    show_objects = o.show_objects, style = o.style, figsize = o.figsize})
  fig = fig or o.fig
  local xs, ys, ts = sliced(agent, {t_start = o.t_start or 0, t_end = o.t_end,
                                    framerate = o.framerate or 10}, fname)
  local n = #xs
  local size = A.number(o.point_size, fname, "point_size", nil, {default = 15, min = 0})
  local color = o.color or "#7b699a"
  local bx, by = {}, {}
  for i = 1, n - 1 do bx[i], by[i] = xs[i], ys[i] end
  if n > 1 then
    if color == "changing" then
      local c = {}
      for i = 1, n - 1 do c[i] = ts[i] end
      local sc = ax:scatter(bx, by, {c = c, cmap = o.trajectory_cmap or "viridis_r", s = size,
                                     alpha = o.alpha or 0.7})
      if o.colorbar then ax:colorbar(sc, {label = "Time / s"}) end
    else
      ax:scatter(bx, by, {c = color, s = size, alpha = o.alpha or 0.7})
    end
  end
  if o.show_agent ~= false and n > 0 then
    ax:scatter({xs[n]}, {ys[n]}, {c = o.agent_color or "r", s = 2 * size})
  end
  ax:set_title(o.title or "Trajectory")
  if o.autosave then
    if not fig then A.error(fname, "autosave needs a figure (do not pass ax alone)") end
    fig:savefig(o.autosave, {dpi = o.dpi or 150})
  end
  return fig, ax
end

--- Animate the trajectory (upstream animate_trajectory): frame k shows the
-- first k samples.  Writes `save` (GIF, or MP4 when ffmpeg exists).
-- Returns {figure, axes, path, frames}.
function agent_methods.animate_trajectory(agent, opts)
  local fname = "animate_trajectory"
  local o = A.options(opts, fname, {"t_start", "t_end", "framerate", "save", "fps", "dpi",
    "point_size", "color", "repeat", "progress"})
  local fr = A.number(o.framerate, fname, "framerate", nil, {default = 30, gt = 0})
  local xs, ys = sliced(agent, {t_start = o.t_start or 0, t_end = o.t_end, framerate = fr}, fname)
  local n = #xs
  if n > 2000 then A.error(fname, "too many frames (%d, at most 2000); lower the framerate or give t_start/t_end", n) end
  local ax, fig = M.plot_environment(agent.environment)
  -- an animated line over (frames, samples): row f holds the first f samples
  -- and repeats the last one after it (drawn on top of itself).
  local X, Y = core.zeros({n, n}, "float64"), core.zeros({n, n}, "float64")
  for f = 1, n do
    local xr, yr = {}, {}
    for k = 1, n do
      local j = k <= f and k or f
      xr[k], yr[k] = xs[j], ys[j]
    end
    X[f]:assign(core.array(xr, "float64"))
    Y[f]:assign(core.array(yr, "float64"))
  end
  ax:scatter(X, Y, {s = A.number(o.point_size, fname, "point_size", nil, {default = 20, min = 0}),
                    c = o.color or "C0"})
  local rows = {}
  for f = 1, n do rows[f] = f end
  local path = o.save
  if path then
    fig:animate(path, rows, {fps = A.number(o.fps, fname, "fps", nil, {default = fr, gt = 0}),
      dpi = o.dpi or 100, loop = o["repeat"] == true, progress = o.progress == true})
  end
  return {figure = fig, axes = ax, path = path, frames = n}
end

local function hist(values, bins)
  local lo, hi = math.huge, -math.huge
  for _, v in ipairs(values) do
    if v < lo then lo = v end
    if v > hi then hi = v end
  end
  if hi <= lo then hi = lo + 1 end
  local counts, centres, w = {}, {}, (hi - lo) / bins
  for b = 1, bins do counts[b], centres[b] = 0, lo + (b - 0.5) * w end
  for _, v in ipairs(values) do
    local b = math.min(bins, math.floor((v - lo) / w) + 1)
    counts[b] = counts[b] + 1
  end
  return centres, counts, w
end

local function histogram_plot(values, o, fname, xlabel, title)
  local bins = A.count(o.bins, fname, "bins", nil, {default = 40, min = 1, max = 100000})
  local fig, ax = o.fig, o.ax
  if not ax then
    fig = core.plot_figure{figsize = {6.4, 4.8}}
    ax = fig:subplot(1, 1, 1)
  end
  local c, n, w = hist(values, bins)
  ax:bar(c, n, {width = w, color = o.color or "C0"})
  ax:set_xlabel(xlabel)
  ax:set_ylabel("count")
  ax:set_title(title)
  if o.save_path then fig:savefig(o.save_path) end
  return fig, ax
end

--- Histogram of the recorded speeds.  Returns fig, ax.
function agent_methods.plot_histogram_of_speeds(agent, opts)
  local fname = "plot_histogram_of_speeds"
  local o = A.options(opts, fname, {"bins", "fig", "ax", "color", "save_path"})
  local v = agent:history_velocities()
  local s = {}
  for i = 1, v:shape()[1] do s[i] = math.sqrt(v[i][1] ^ 2 + v[i][2] ^ 2) end
  return histogram_plot(s, o, fname, "speed", "Speed distribution")
end

--- Histogram of the recorded (internal) rotational velocities.
function agent_methods.plot_histogram_of_rotational_velocities(agent, opts)
  local fname = "plot_histogram_of_rotational_velocities"
  local o = A.options(opts, fname, {"bins", "fig", "ax", "color", "save_path"})
  return histogram_plot(agent:get_history_arrays().rot_vel:totable(), o, fname,
                        "rotational velocity", "Rotational velocity distribution")
end

return M
