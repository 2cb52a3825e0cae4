--- Figures of the navigation tasks (upstream `show_trajectory_analysis`,
-- `show_data`, `show_geodesic_distance_matrix`), drawn with the Cairo
-- figure layer.  Loaded by canns.task; adds methods to the task classes.
-- @module canns.task.navigation_plot

local core = require "canns.core"
local A = require "canns.argcheck"
local B = require "canns.task.navigation_base"
local open = require "canns.task.open_loop"
local render = require "canns.analyzer.visualization.render"

local Base = B.BaseNavigationTask
local OpenLoop = open.OpenLoopNavigationTaskClass

local function finish(fig, save_path, show, fname, dpi)
  if save_path then fig:savefig(save_path, {dpi = dpi or 300, bbox_inches = "tight"}) end
  if show then
    local p = save_path
    if not p then
      p = render.show_path(fname, "png")
      fig:savefig(p, {dpi = dpi or 150, bbox_inches = "tight"})
    end
    render.show_file(p, fname)
  end
end

-- Moving average with upstream's edge rule (np.convolve 'same', then the
-- first and last half windows replaced by means over shrunken windows).
local function smooth(v, w)
  local n = #v
  if w <= 1 or n < w then return v end
  local out, pre = {}, {0}
  for i = 1, n do pre[i + 1] = pre[i] + v[i] end
  local half = w // 2
  for i = 1, n do -- 'same' convolution of a box of width w, centred like numpy
    local lo = i - (w - 1 - (w - 1) // 2) -- numpy centres even windows to the left
    local hi = lo + w - 1
    local a, b = math.max(1, lo), math.min(n, hi)
    out[i] = (pre[b + 1] - pre[a]) / w
  end
  for i = 0, half - 1 do
    local s0, e0 = math.max(0, i - half), math.min(n, i + half + 1)
    out[i + 1] = (pre[e0 + 1] - pre[s0 + 1]) / (e0 - s0)
    local s1, e1 = math.max(0, n - i - half - 1), math.min(n, n - i + half)
    out[n - i] = (pre[e1 + 1] - pre[s1 + 1]) / (e1 - s1)
  end
  return out
end

-- Line pieces of an angle series, split where it jumps by more than π.
local function plot_wrapped(ax, t, a, style)
  local xs, ys = {}, {}
  local function flush()
    if #xs > 0 then ax:plot(xs, ys, style) end
    xs, ys = {}, {}
    style = {color = style.color, linewidth = style.linewidth, alpha = style.alpha}
  end
  for i = 1, #a do
    if i > 1 and math.abs(a[i] - a[i - 1]) > math.pi then flush() end
    xs[#xs + 1], ys[#ys + 1] = t[i], a[i]
  end
  flush()
end

--- Trajectory coloured by time, speed over time and head direction over
-- time (raw and smoothed).  `show_trajectory_analysis{show = true,
-- save_path, figsize = {12, 3}, smooth_window = 50}`.  Returns the figure.
function OpenLoop:show_trajectory_analysis(opts)
  local fname = "show_trajectory_analysis"
  local o = A.options(opts, fname, {"show", "save_path", "figsize", "smooth_window"})
  if self.data == nil then A.error(fname, "No trajectory data available. Please call get_data() first.") end
  if self.data.ang_velocity == nil then self:calculate_theta_sweep_data() end
  local w = A.count(o.smooth_window, fname, "smooth_window", nil, {default = 50})
  local show = A.boolean(o.show, fname, "show", nil, {default = true})
  local fig = core.plot_figure{figsize = o.figsize or {12, 3}}
  local d = self.data
  local n = d.position:shape()[1]
  local t = {}
  for i = 1, n do t[i] = (i - 1) * self.dt end
  local ax = fig:subplot(1, 3, 1)
  local x, y = d.position:slice(2, 1):flatten(), d.position:slice(2, 2):flatten()
  local sc = ax:scatter(x, y, {c = t, cmap = "viridis", s = 1, alpha = 0.7})
  if n > 0 then
    ax:plot({x[1]}, {y[1]}, {color = "g", marker = "o", markersize = 8, linestyle = "none", label = "Start"})
    ax:plot({x[n]}, {y[n]}, {color = "r", marker = "o", markersize = 8, linestyle = "none", label = "End"})
  end
  ax:colorbar(sc, {label = "Time (s)", fontsize = 10})
  ax:set_xlim(0, self.width)
  ax:set_ylim(0, self.height)
  ax:set_aspect("equal")
  ax:set_xticks({0, self.width})
  ax:set_yticks({0, self.height})
  ax:set_title("Animal Trajectory")
  ax:set_xlabel("X Position")
  ax:set_ylabel("Y Position")
  ax:legend{fontsize = 8, loc = "upper right"}
  ax = fig:subplot(1, 3, 2)
  ax:set_spines{top = false, right = false}
  local sp = d.speed:totable()
  if w > 1 then
    ax:plot(t, sp, {lw = 0.5, color = "#009FB9", alpha = 0.3, label = "Raw"})
    ax:plot(t, smooth(sp, w), {lw = 2, color = "#009FB9", label = "Smoothed"})
    ax:legend{fontsize = 8}
  else
    ax:plot(t, sp, {lw = 1, color = "#009FB9"})
  end
  ax:set_xlabel("Time (s)")
  ax:set_ylabel("Speed (m/s)")
  ax:set_title("Movement Speed" .. (w > 1 and string.format(" (smoothed, window=%d)", w) or ""))
  ax = fig:subplot(1, 3, 3)
  ax:set_spines{top = false, right = false}
  local hd = d.hd_angle:totable()
  if w > 1 then
    plot_wrapped(ax, t, hd, {lw = 0.5, color = "#009FB9", alpha = 0.3, label = "Raw"})
    local cx, sy = {}, {}
    for i = 1, n do cx[i], sy[i] = math.cos(hd[i]), math.sin(hd[i]) end
    cx, sy = smooth(cx, w), smooth(sy, w)
    local sm = {}
    for i = 1, n do sm[i] = math.atan(sy[i], cx[i]) end
    plot_wrapped(ax, t, sm, {lw = 2, color = "#009FB9", label = "Smoothed"})
    ax:legend{fontsize = 8}
  else
    plot_wrapped(ax, t, hd, {lw = 1, color = "#009FB9"})
  end
  ax:set_xlabel("Time (s)")
  ax:set_ylabel("Direction (rad)")
  ax:set_title("Head Direction" .. (w > 1 and string.format(" (smoothed, window=%d)", w) or ""))
  ax:set_yticks({-math.pi, -math.pi / 2, 0, math.pi / 2, math.pi}, {"-π", "-π/2", "0", "π/2", "π"})
  finish(fig, o.save_path, show, fname)
  if o.save_path then print("Trajectory analysis saved to: " .. o.save_path) end
  return fig
end

--- The cost grid drawn over an axes: blocked cells filled, grid lines.
local function draw_grid(ax, g, o)
  local xe, ye = g.x_edges:totable(), g.y_edges:totable()
  local costs = g.costs
  local R, C = g.shape[1], g.shape[2]
  for r = 1, R do
    for c = 1, C do
      local blocked = costs[{r, c}] ~= 1
      local col = blocked and (o.blocked_color or "#f94144") or (o.free_color or "#f8f9fa")
      ax:fill({xe[c], xe[c + 1], xe[c + 1], xe[c]}, {ye[r + 1], ye[r + 1], ye[r], ye[r]},
              {color = col, alpha = o.cost_alpha or 0.6, linewidth = 0})
    end
  end
  local gc = o.gridline_color or "#2b2d42"
  for c = 1, C + 1 do ax:plot({xe[c], xe[c]}, {ye[R + 1], ye[1]}, {color = gc, linewidth = 0.3, alpha = 0.5}) end
  for r = 1, R + 1 do ax:plot({xe[1], xe[C + 1]}, {ye[r], ye[r]}, {color = gc, linewidth = 0.3, alpha = 0.5}) end
end

--- The agent's trajectory over the environment (or its position when
-- there is no history), optionally over the movement-cost grid.
function Base:show_data(opts)
  local fname = "show_data"
  local o = A.options(opts, fname, {"show", "save_path", "overlay_movement_cost", "cost_grid",
    "free_color", "blocked_color", "gridline_color", "cost_alpha", "show_colorbar", "cost_legend_loc"})
  local show = A.boolean(o.show, fname, "show", nil, {default = true})
  local fig = core.plot_figure{figsize = {3, 3}}
  local ax = fig:subplot(1, 1, 1)
  if o.overlay_movement_cost then draw_grid(ax, o.cost_grid or self:build_movement_cost_grid(), o) end
  local n = self.agent:history_times():size()
  if n >= 2 then
    -- upstream passes total_steps as t_end (seconds), i.e. effectively the end
    self.agent:plot_trajectory{t_start = 0, t_end = self.total_steps or n, fig = fig,
                               ax = ax, color = "changing"}
  else
    require("canns.spatial").plot_environment(self.env, {ax = ax, fig = fig})
    local p = self.agent.pos
    ax:scatter({p[1]}, {p[2]}, {s = 30, c = "tab:blue", label = "start"})
    ax:legend{loc = "upper right"}
  end
  finish(fig, o.save_path, show, fname, 100)
  return fig
end

--- An image of the geodesic distance matrix (normalised by its finite
-- maximum with `normalize = true`; unreachable pairs blank).  Returns the
-- GeodesicDistanceResult.
function Base:show_geodesic_distance_matrix(opts)
  local fname = "show_geodesic_distance_matrix"
  local o = A.options(opts, fname, {"dx", "dy", "show", "save_path", "cmap", "normalize", "colorbar", "refresh"})
  local show = A.boolean(o.show, fname, "show", nil, {default = true})
  local res = self:compute_geodesic_distance_matrix{dx = o.dx, dy = o.dy, refresh = o.refresh}
  local D = res.distances
  local fig = core.plot_figure{figsize = {4, 4}}
  local ax = fig:subplot(1, 1, 1)
  if D:size() == 0 then
    ax:text(0.5, 0.5, "No traversable cells", {ha = "center", va = "center"})
    ax:axis("off")
  else
    local M = D:copy()
    local fin = core.isfinite(M)
    local mx = core.max(core.where(fin, M, 0))
    if o.normalize and mx > 0 then M = M / mx end
    M = core.where(fin, M, 0 / 0)
    local im = ax:imshow(M, {cmap = o.cmap or "viridis", interpolation = "nearest"})
    ax:set_title("Geodesic distances")
    ax:set_xlabel("Accessible cell index")
    ax:set_ylabel("Accessible cell index")
    if o.colorbar ~= false then ax:colorbar(im) end
  end
  finish(fig, o.save_path, show, fname, 100)
  return res
end

return {}
