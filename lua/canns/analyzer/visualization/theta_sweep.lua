--- Theta-sweep figures (upstream
-- `canns.analyzer.visualization.theta_sweep_plots`): population activity
-- with the theta phase, the direction-cell polar plot, grid-cell activity
-- on the twisted torus, and the grid-cell and place-cell sweep animations.
-- @module canns.analyzer.visualization.theta_sweep

local core = require "canns.core"
local render = require "canns.analyzer.visualization.render"
local config = require "canns.analyzer.visualization.config"
local A = require "canns.argcheck"

local PlotConfigs = config.PlotConfigs
local fail = render.fail
local M = {}
local PI = math.pi

-- Split a plain option table into the function's own keys and the rest.
local function split_own(cfg, keys)
  local own = {}
  if type(cfg) == "table" and not config.is_config(cfg) then
    local c = {}
    for k, v in pairs(cfg) do if keys[k] then own[k] = v else c[k] = v end end
    return c, own
  end
  return cfg, own
end

local function f64(a) return a:astype("float64") end

local function check_1d(a, fname, name)
  if a:ndim() ~= 1 then fail(fname, "argument '%s' must be 1-D, got shape %s", name, render.shape_str(a)) end
  if a:size() == 0 then fail(fname, "argument '%s' must not be empty", name) end
end

-- NaN at i + 1 wherever |v[i+1] - v[i]| > pi in any of the sequences
-- (upstream breaks wrapped angle traces there).
local function break_jumps(seqs)
  local n = #seqs[1]
  local out = {}
  for k, s in ipairs(seqs) do out[k] = {table.unpack(s)} end
  for i = 1, n - 1 do
    for _, s in ipairs(seqs) do
      if math.abs(s[i + 1] - s[i]) > PI then
        for k = 1, #out do out[k][i + 1] = 0 / 0 end
        break
      end
    end
  end
  return out
end

--- Population activity (net_activity transposed, x 100, `jet`, origin
-- lower, extent [t0, t_end] x [-pi, pi]) with the direction as a white
-- line (broken where it wraps) and dashed grey lines where the theta phase
-- is within `atol` of 0; y ticks "0"/"360", colour bar "Activity (%)".
-- Returns fig, ax.
-- @param time_steps (T) times
-- @param theta_phase (T) phases in [-pi, pi]
-- @param net_activity (T, N)
-- @param direction (T) radians
-- @param[opt] cfg a PlotConfig (`PlotConfigs.theta_population_activity_static`) or
--   options; also `add_lines` (true) and `atol` (1e-2), in the options or
--   after the config as in Python (`..., cfg, add_lines, atol`)
function M.plot_population_activity_with_theta(time_steps, theta_phase, net_activity, direction, cfg,
                                               add_lines_arg, atol_arg)
  local fname = "plot_population_activity_with_theta"
  local own
  cfg, own = split_own(cfg, {add_lines = true, atol = true})
  if add_lines_arg ~= nil then own.add_lines = add_lines_arg end
  if atol_arg ~= nil then own.atol = atol_arg end
  cfg = render.ensure_config(cfg, PlotConfigs.theta_population_activity_static, fname)
  local add_lines = A.boolean(own.add_lines, fname, "add_lines", nil, {default = true})
  local atol = A.number(own.atol, fname, "atol", nil, {default = 1e-2, min = 0})
  time_steps = render.array(time_steps, fname, "time_steps")
  theta_phase = render.array(theta_phase, fname, "theta_phase")
  net_activity = render.array(net_activity, fname, "net_activity")
  direction = render.array(direction, fname, "direction")
  check_1d(time_steps, fname, "time_steps")
  check_1d(theta_phase, fname, "theta_phase")
  check_1d(direction, fname, "direction")
  render.check_ndim(net_activity, 2, fname, "net_activity", "(T, N)")
  local T = time_steps:size()
  for name, a in pairs{theta_phase = theta_phase, direction = direction} do
    if a:size() ~= T then fail(fname, "argument '%s' must have %d values (as time_steps), got %d", name, T, a:size()) end
  end
  if net_activity:shape(1) ~= T then
    fail(fname, "argument 'net_activity' must have %d rows (as time_steps), got shape %s", T,
         render.shape_str(net_activity))
  end
  local t = f64(time_steps):totable()
  local kw = render.split_kwargs(cfg, {})
  kw.cmap = kw.cmap or "jet"
  kw.aspect, kw.origin, kw.extent = "auto", "lower", {t[1], t[T], -PI, PI}
  local fig, ax = render.figure(cfg)
  local im = ax:imshow((f64(net_activity):transpose() * 100):copy(), kw)
  local d = break_jumps({f64(direction):totable()})[1]
  ax:plot(t, d, {color = "white", lw = 3})
  if add_lines then
    local ph = f64(theta_phase):totable()
    for i = 1, T do
      if math.abs(ph[i]) <= atol then
        ax:axvline(t[i], {color = "grey", linestyle = "--", linewidth = 1, alpha = 0.5})
      end
    end
  end
  ax:set_yticks({-PI, PI}, {"0", "360"})
  ax:set_title(cfg.title, {fontsize = 16, fontweight = "bold"})
  ax:set_xlabel(cfg.xlabel, {fontsize = 12})
  ax:set_ylabel(cfg.ylabel, {fontsize = 12})
  ax:set_spines{top = false, right = false}
  ax:colorbar(im, {label = "Activity (%)", fontsize = 12})
  render.finalize(fig, cfg, fname)
  return fig, ax
end

local function polar_ticks(ax)
  ax:set_yticks({})
  ax:set_xticks({0, PI / 2, PI, 3 * PI / 2}, {"0°", "90°", "180°", "270°"})
end

--- Direction-cell activity on polar axes (black, lw 2) with the true
-- direction as a #009FB9 ray up to 1.2 x the peak.  Returns fig, ax.
-- @param direction_bins (N) radians
-- @param direction_activity (N)
-- @number true_direction radians
-- @param[opt] cfg a PlotConfig (`PlotConfigs.direction_cell_polar`) or options
function M.plot_direction_cell_polar(direction_bins, direction_activity, true_direction, cfg)
  local fname = "plot_direction_cell_polar"
  cfg = render.ensure_config(cfg, PlotConfigs.direction_cell_polar, fname)
  direction_bins = render.array(direction_bins, fname, "direction_bins")
  direction_activity = render.array(direction_activity, fname, "direction_activity")
  check_1d(direction_bins, fname, "direction_bins")
  check_1d(direction_activity, fname, "direction_activity")
  if direction_bins:size() ~= direction_activity:size() then
    fail(fname, "argument 'direction_activity' must have %d values (as direction_bins), got %d",
         direction_bins:size(), direction_activity:size())
  end
  A.number(true_direction, fname, 3, "true_direction")
  local fig, ax = render.figure(cfg, true)
  ax:plot(f64(direction_bins), f64(direction_activity), {color = "k", linestyle = "-", linewidth = 2})
  local mx = f64(direction_activity):max()
  ax:plot({true_direction, true_direction}, {0, mx * 1.2}, {color = "#009FB9", linewidth = 3})
  ax:set_ylim(0, mx > 0 and mx * 1.2 or 1)
  polar_ticks(ax)
  ax:set_title(cfg.title, {fontsize = 14, fontweight = "bold"})
  render.finalize(fig, cfg, fname)
  return fig, ax
end

--- Grid-cell activity as points (s 8, alpha 0.8, `jet`) at their
-- twisted-torus coordinates, equal aspect, colour bar "Activity"
-- (options `add_colorbar`, `colorbar = {label = ...}`).  Returns fig, ax.
-- @param value_grid_twisted (N, 2)
-- @param grid_cell_activity N values (any shape, flattened)
-- @param[opt] cfg a PlotConfig (`PlotConfigs.grid_cell_manifold_static`) or
--   options; also `ax` (draw into these axes; the figure is then not saved)
function M.plot_grid_cell_manifold(value_grid_twisted, grid_cell_activity, cfg)
  local fname = "plot_grid_cell_manifold"
  local own
  cfg, own = split_own(cfg, {ax = true})
  cfg = render.ensure_config(cfg, PlotConfigs.grid_cell_manifold_static, fname)
  value_grid_twisted = render.array(value_grid_twisted, fname, "value_grid_twisted")
  grid_cell_activity = render.array(grid_cell_activity, fname, "grid_cell_activity")
  if value_grid_twisted:ndim() ~= 2 or value_grid_twisted:shape(2) ~= 2 or value_grid_twisted:size() == 0 then
    fail(fname, "argument 'value_grid_twisted' must be (N, 2), got shape %s", render.shape_str(value_grid_twisted))
  end
  local N = value_grid_twisted:shape(1)
  if grid_cell_activity:size() ~= N then
    fail(fname, "argument 'grid_cell_activity' must have %d values (one per point), got %d", N,
         grid_cell_activity:size())
  end
  local kw, o = render.split_kwargs(cfg, {"add_colorbar", "colorbar"})
  kw.cmap = kw.cmap or "jet"
  local add_cb = o.add_colorbar ~= false
  local fig, ax = nil, own.ax
  if ax == nil then fig, ax = render.figure(cfg) end
  kw.c, kw.s, kw.alpha = f64(grid_cell_activity):flatten(), 8, kw.alpha or 0.8
  local v = f64(value_grid_twisted)
  local sc = ax:scatter(v:slice(2, 1):flatten(), v:slice(2, 2):flatten(), kw)
  ax:set_aspect("equal")
  if cfg.title and cfg.title ~= "" then ax:set_title(cfg.title, {fontsize = 16, fontweight = "bold"}) end
  ax:set_spines{top = false, right = false}
  if add_cb then
    local label = "Activity"
    if type(o.colorbar) == "table" and o.colorbar.label ~= nil then label = o.colorbar.label end
    ax:colorbar(sc, {label = label ~= "" and label or nil, fontsize = 12})
  end
  if fig then render.finalize(fig, cfg, fname) end
  return fig, ax
end

-- Animation options that are not PlotConfig fields.
local ANIM_OWN = {dt = true, n_step = true, output_dpi = true, render_workers = true,
                  render_start_method = true}

local function anim_config(cfg, preset, fname)
  local own
  cfg, own = split_own(cfg, ANIM_OWN)
  cfg = render.ensure_config(cfg, preset, fname)
  local dt = A.number(own.dt, fname, "dt", nil, {default = 0.001, gt = 0})
  local n_step = A.int(own.n_step, fname, "n_step", nil, {default = 10, min = 1})
  if own.render_workers ~= nil then A.count(own.render_workers, fname, "render_workers") end
  return cfg, own, dt, n_step
end

-- Frames: every n_step-th step (0-based steps 0, n_step, ...).
local function subsample(T, n_step)
  local steps = {}
  for s = 0, T - 1, n_step do steps[#steps + 1] = s end
  return steps
end

local function rows_of(a, steps)
  -- rows steps[f] + 1 of a 2-D array, as a float64 (F, n) array
  local n = a:shape(2)
  local out = core.zeros({#steps, n}, "float64")
  for f, s in ipairs(steps) do out[f] = a[s + 1] end
  return out
end

local function finish(fig, cfg, axes, steps, fname, own)
  local rows = {}
  for f = 1, #steps do rows[f] = f - 1 end -- the animated arrays hold one row per frame
  local path = render.animate(fig, cfg, rows, fname, own.output_dpi, own.render_workers)
  return render.animation(fig, axes, path, steps)
end

--- The four-panel grid-cell theta-sweep animation (upstream
-- `create_theta_sweep_grid_cell_animation`): the trajectory (#F18D00) with
-- the current position; the direction cells on polar axes (#009FB9) with
-- the head direction; the grid activity on the twisted manifold (`jet`,
-- 3-cell border blanked, colour bar) with the phase trajectory and the
-- current phase; and the activity tiled over real space (the twisted sheet
-- / mapping_ratio shifted by the candidate centres) with the trajectory.
-- One frame per `n_step` steps (upstream's subsampling), titled
-- "Animal Trajectory (t=x.xxs)".
-- @param position_data (T, 2)
-- @param direction_data (T)
-- @param dc_activity_data (T, num_dc)
-- @param gc_activity_data (T, num_gc)
-- @param gc_network a GridCellNetwork (num_gc_1side, coor_transform_inv,
--   value_grid, candidate_centers, position2phase)
-- @number env_size
-- @number mapping_ratio
-- @param[opt] cfg a PlotConfig (`PlotConfigs.theta_sweep_animation`) or options:
--   `dt` (0.001 s), `n_step` (10), `fps`, `figsize`, `save_path`, `show`,
--   `output_dpi` (150), `render_workers`, `cmap` ("jet"), `alpha` (0.8)
-- @treturn table the animation record `{figure, axes, path, steps, frames}`
function M.create_theta_sweep_grid_cell_animation(position_data, direction_data, dc_activity_data,
                                                  gc_activity_data, gc_network, env_size,
                                                  mapping_ratio, cfg)
  local fname = "create_theta_sweep_grid_cell_animation"
  local own, dt, n_step
  cfg, own, dt, n_step = anim_config(cfg, PlotConfigs.theta_sweep_animation, fname)
  local pos = render.array(position_data, fname, "position_data")
  local dir = render.array(direction_data, fname, "direction_data")
  local dc = render.array(dc_activity_data, fname, "dc_activity_data")
  local gca = render.array(gc_activity_data, fname, "gc_activity_data")
  if pos:ndim() ~= 2 or pos:shape(2) ~= 2 or pos:size() == 0 then
    fail(fname, "argument 'position_data' must be (T, 2), got shape %s", render.shape_str(pos))
  end
  local T = pos:shape(1)
  check_1d(dir, fname, "direction_data")
  render.check_ndim(dc, 2, fname, "dc_activity_data", "(T, num_dc)")
  render.check_ndim(gca, 2, fname, "gc_activity_data", "(T, num_gc)")
  for name, n in pairs{direction_data = dir:shape(1), dc_activity_data = dc:shape(1),
                       gc_activity_data = gca:shape(1)} do
    if n ~= T then fail(fname, "argument '%s' must have %d time steps (as position_data), got %d", name, T, n) end
  end
  if type(gc_network) ~= "userdata" and type(gc_network) ~= "table" or gc_network.num_gc_1side == nil then
    fail(fname, "argument 'gc_network' must be a GridCellNetwork, got %s", A.describe(gc_network))
  end
  env_size = A.number(env_size, fname, 6, "env_size", {gt = 0})
  mapping_ratio = A.number(mapping_ratio, fname, 7, "mapping_ratio", {gt = 0})
  local side = math.tointeger(gc_network.num_gc_1side)
  if gca:shape(2) ~= side * side then
    fail(fname, "argument 'gc_activity_data' must have %d columns (num_gc_1side^2), got %d",
         side * side, gca:shape(2))
  end
  local kw = cfg.kwargs or {}
  local cmap, alpha = kw.cmap or "jet", kw.alpha or 0.8
  local steps = subsample(T, n_step)
  local F = #steps
  local P = f64(pos):totable()
  local D = f64(dir):totable()
  -- frame data
  local dcF = rows_of(f64(dc), steps)
  local max_dc = dcF:max()
  local gcF = rows_of(gca:astype("float32"), steps):reshape(F, side, side)
  if side > 6 then -- upstream blanks a 3-cell border of the sheet
    local nan = 0 / 0
    gcF:slice(2, {1, 3}):fill(nan); gcF:slice(2, {side - 2, side}):fill(nan)
    gcF:slice(3, {1, 3}):fill(nan); gcF:slice(3, {side - 2, side}):fill(nan)
  end
  local gflat = gcF:reshape(F, side * side)
  local vmax = gflat:isnan():logical_not():any() and core.where(gflat:isnan(), -math.huge, gflat):max() or 1.0
  local px, py, dx, dl = {}, {}, {}, {}
  local pxF, pyF, dirx, diry = core.zeros({F, 1}), core.zeros({F, 1}), core.zeros({F, 2}), core.zeros({F, 2})
  for f, s in ipairs(steps) do
    px[f], py[f] = P[s + 1][1], P[s + 1][2]
    pxF[f], pyF[f] = {px[f]}, {py[f]}
    dirx[f], diry[f] = {D[s + 1], D[s + 1]}, {0, max_dc}
  end
  -- phase trajectory on the twisted manifold
  local Tinv = f64(gc_network.coor_transform_inv)
  local sub = core.array({px, py}, "float64")
  local phase = f64(gc_network:position2phase(sub))
  local tw = Tinv:matmul(phase) -- (2, F)
  local traj = break_jumps({tw[1]:totable(), tw[2]:totable()})
  local mx, my = core.zeros({F, 1}), core.zeros({F, 1})
  for f = 1, F do mx[f], my[f] = {tw:get(1, f)}, {tw:get(2, f)} end
  local vg = f64(gc_network.value_grid):matmul(Tinv:transpose()) -- (N, 2)
  -- real space: the sheet / mapping_ratio tiled over the candidate centres
  -- (upstream's tiles), keeping the points that can show in [0, env]^2
  local cc = f64(gc_network.candidate_centers):totable()
  local nx = math.floor(math.sqrt(#cc))
  local base = (vg / mapping_ratio):totable()
  local margin = 0.05 * env_size
  local idx, rx, ry = {}, {}, {}
  for i = math.max(0, nx // 2 - 1), nx - 1 do
    for j = math.max(0, nx // 2 - 1), nx - 1 do
      local c = cc[i * nx + j + 1]
      for k = 1, #base do
        local x, y = base[k][1] + c[1], base[k][2] + c[2]
        if x >= -margin and x <= env_size + margin and y >= -margin and y <= env_size + margin then
          idx[#idx + 1], rx[#rx + 1], ry[#ry + 1] = k, x, y
        end
      end
    end
  end
  local real = core.zeros({F, math.max(#idx, 1)}, "float32")
  if #idx > 0 then
    local row = {}
    for f = 1, F do
      local g = gflat[f]:totable()
      for m = 1, #idx do row[m] = g[idx[m]] end
      real[f] = row
    end
  else
    rx, ry = {0 / 0}, {0 / 0}
  end
  -- the figure
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax1 = fig:subplot(1, 4, 1)
  local ax2 = fig:subplot(1, 4, 2, {polar = true})
  local ax3 = fig:subplot(1, 4, 3)
  local ax4 = fig:subplot(1, 4, 4)
  ax1:plot(px, py, {color = "#F18D00", lw = 1})
  ax1:plot(pxF, pyF, {marker = "o", color = "red", markersize = 5, linestyle = "none"})
  ax1:set_xlim(0, env_size); ax1:set_ylim(0, env_size)
  ax1:set_aspect("equal")
  ax1:set_xticks({0, env_size}); ax1:set_yticks({0, env_size})
  ax1:set_spines{top = false, right = false}
  local titles = {}
  for f, s in ipairs(steps) do titles[f] = ("Animal Trajectory (t=%.2fs)"):format(s * dt) end
  ax1:text(0.5, 1.12, titles, {transform = "axes", ha = "center", va = "bottom"})
  local bins = {}
  local ndc = dc:shape(2)
  for i = 1, ndc do bins[i] = -PI + 2 * PI * (i - 1) / ndc end
  ax2:plot(bins, dcF, {color = "#009FB9"})
  ax2:plot(dirx, diry, {color = "black", lw = 2})
  ax2:set_ylim(0, max_dc > 0 and max_dc * 1.2 or 1)
  polar_ticks(ax2)
  ax2:set_title("Direction Sweep")
  ax3:plot(traj[1], traj[2], {color = "#888888", lw = 1, alpha = 0.6})
  local sc = ax3:scatter(vg:slice(2, 1):flatten(), vg:slice(2, 2):flatten(),
                         {c = gflat, s = 4, cmap = cmap, vmin = 0, vmax = vmax, alpha = alpha})
  ax3:plot(mx, my, {marker = "o", color = "red", markersize = 5, linestyle = "none"})
  ax3:set_aspect("equal")
  ax3:axis("off")
  ax3:colorbar(sc)
  ax3:set_title("GC Sweep on Manifold")
  ax4:scatter(core.array(rx, "float64"), core.array(ry, "float64"),
              {c = real, s = 8, cmap = cmap, vmin = 0, vmax = vmax, alpha = alpha})
  ax4:plot(px, py, {color = "#F18D00", lw = 1, alpha = 0.8})
  ax4:plot(pxF, pyF, {marker = "o", color = "red", markersize = 6, linestyle = "none"})
  ax4:set_xlim(0, env_size); ax4:set_ylim(0, env_size)
  ax4:set_aspect("equal")
  ax4:set_xticks({}); ax4:set_yticks({})
  ax4:set_title("GC Sweep in Real Space")
  return finish(fig, cfg, {ax1, ax2, ax3, ax4}, steps, fname, own)
end

--- The two-panel place-cell theta-sweep animation (upstream
-- `create_theta_sweep_place_cell_animation`): the environment (boundary
-- filled light grey and outlined, walls) with the place-cell activity
-- mapped back onto the cost grid (`cmap`, alpha 0.8, colour range [0,
-- max]), the trajectory (#F18D00) and the current position; and the
-- population activity (cells x time) with the current time as a white
-- line and a colour bar "Activity".  One frame per `n_step` steps,
-- titled "t = x.xxs".
-- @param position_data (T, 2)
-- @param pc_activity_data (T, num_cells)
-- @param pc_network a PlaceCellNetwork (its geodesic_result gives the grid)
-- @param navigation_task the task (its `env`, or itself, gives `boundary` and `walls`)
-- @param[opt] cfg a PlotConfig (`PlotConfigs.theta_sweep_place_cell_animation`) or
--   options: `dt` (0.001 s), `n_step` (10), `fps`, `figsize`, `save_path`,
--   `show`, `output_dpi`, `render_workers`, `cmap` ("viridis"), `alpha` (0.8),
--   `trajectory_color`
-- @treturn table the animation record
function M.create_theta_sweep_place_cell_animation(position_data, pc_activity_data, pc_network,
                                                   navigation_task, cfg)
  local fname = "create_theta_sweep_place_cell_animation"
  local own, dt, n_step
  -- without a PlotConfig upstream's defaults are its keyword ones (cmap viridis)
  local user_cmap = not config.is_config(cfg) and type(cfg) == "table" and cfg.cmap or nil
  local plain = not config.is_config(cfg)
  cfg, own, dt, n_step = anim_config(cfg, PlotConfigs.theta_sweep_place_cell_animation, fname)
  local pos = render.array(position_data, fname, "position_data")
  local act = render.array(pc_activity_data, fname, "pc_activity_data")
  if pos:ndim() ~= 2 or pos:shape(2) ~= 2 or pos:size() == 0 then
    fail(fname, "argument 'position_data' must be (T, 2), got shape %s", render.shape_str(pos))
  end
  render.check_ndim(act, 2, fname, "pc_activity_data", "(T, num_cells)")
  local T = pos:shape(1)
  if act:shape(1) ~= T then
    fail(fname, "argument 'pc_activity_data' must have %d time steps (as position_data), got %d", T, act:shape(1))
  end
  local geo = (type(pc_network) == "userdata" or type(pc_network) == "table") and pc_network.geodesic_result
  if not geo or geo.cost_grid == nil or geo.accessible_indices == nil then
    fail(fname, "argument 'pc_network' must be a PlaceCellNetwork (with a geodesic_result), got %s",
         A.describe(pc_network))
  end
  if type(navigation_task) ~= "table" and type(navigation_task) ~= "userdata" then
    fail(fname, "argument 'navigation_task' must be a navigation task, got %s", A.describe(navigation_task))
  end
  local env = navigation_task.env or navigation_task
  local ai = geo.accessible_indices:totable()
  local n_cells = #ai
  if act:shape(2) ~= n_cells then
    fail(fname, "argument 'pc_activity_data' must have %d columns (accessible cells), got %d",
         n_cells, act:shape(2))
  end
  local cg = geo.cost_grid
  local xe, ye = f64(cg.x_edges):totable(), f64(cg.y_edges):totable()
  local nr, nc = #ye - 1, #xe - 1
  local kw = cfg.kwargs or {}
  local cmap, alpha = kw.cmap or "viridis", kw.alpha or 0.8
  if plain then cmap = user_cmap or "viridis" end
  local tcolor = kw.trajectory_color or "#F18D00"
  local steps = subsample(T, n_step)
  local F = #steps
  local actF = rows_of(f64(act), steps) -- (F, n_cells)
  local vmax = actF:max()
  if vmax ~= vmax or vmax == math.huge or vmax == -math.huge then vmax = 1.0 end
  local grid = core.full({F, nr, nc}, 0 / 0, "float32")
  local flat = grid:reshape(F, nr * nc)
  local A_ = actF:totable()
  for f = 1, F do
    local row = flat[f]
    local a = A_[f]
    local r = {}
    for k = 1, nr * nc do r[k] = 0 / 0 end
    for c = 1, n_cells do r[ai[c][1] * nc + ai[c][2] + 1] = a[c] end
    row:assign(core.array(r, "float32"))
  end
  local P = f64(pos):totable()
  local px, py = {}, {}
  local pxF, pyF, tF = core.zeros({F, 1}), core.zeros({F, 1}), core.zeros({F})
  local labels = {}
  for f, s in ipairs(steps) do
    px[f], py[f] = P[s + 1][1], P[s + 1][2]
    pxF[f], pyF[f] = {px[f]}, {py[f]}
    local t = (f - 1) * n_step * dt
    tF[f] = t
    labels[f] = ("t = %.2fs"):format(t)
  end
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax1, ax2 = fig:subplot(1, 2, 1), fig:subplot(1, 2, 2)
  local b = env.boundary
  if b ~= nil and #b > 0 then
    local bx, by = {}, {}
    for i, p in ipairs(b) do bx[i], by[i] = p[1], p[2] end
    ax1:fill(bx, by, {color = "lightgrey", alpha = 0.3})
  end
  local ymin, ymax = math.min(ye[1], ye[#ye]), math.max(ye[1], ye[#ye])
  -- row 0 of the grid is at y_edges[1] (the top when y_edges decrease)
  ax1:imshow(grid, {cmap = cmap, vmin = 0, vmax = vmax, alpha = alpha, aspect = "auto",
                    origin = ye[1] > ye[#ye] and "upper" or "lower",
                    extent = {xe[1], xe[#xe], ymin, ymax}})
  if b ~= nil and #b > 0 then -- outline over the activity (lines sit above meshes upstream)
    local bx, by = {}, {}
    for i, p in ipairs(b) do bx[i], by[i] = p[1], p[2] end
    bx[#bx + 1], by[#by + 1] = bx[1], by[1]
    ax1:plot(bx, by, {color = "black", linewidth = 2})
  end
  for _, w in ipairs(env.walls or {}) do
    local wx, wy = {}, {}
    for i, p in ipairs(w) do wx[i], wy[i] = p[1], p[2] end
    ax1:plot(wx, wy, {color = "black", linewidth = 2})
  end
  ax1:plot(px, py, {color = tcolor, lw = 1.5, alpha = 0.9})
  ax1:plot(pxF, pyF, {marker = "o", color = "red", markersize = 8, linestyle = "none"})
  ax1:set_aspect("equal")
  ax1:set_title("Place Cell Activity in Environment")
  local tend = (F - 1) * n_step * dt
  local im = ax2:imshow(actF:transpose():copy(), {aspect = "auto", origin = "lower", cmap = cmap,
    vmin = 0, vmax = vmax, extent = {0, tend > 0 and tend or n_step * dt, 0, n_cells}})
  ax2:axvline(tF, {color = "white", lw = 2, alpha = 0.8})
  ax2:set_xlabel("Time (s)")
  ax2:set_ylabel("Place Cell Index")
  ax2:set_title("Population Activity Over Time")
  ax2:colorbar(im, {label = "Activity", fontsize = 10})
  fig:suptitle(" ", {fontsize = 12, fontweight = "bold"}) -- room for the per-frame time
  fig:text(0.5, 0.98, labels, {fontsize = 12, fontweight = "bold", ha = "center", va = "top"})
  return finish(fig, cfg, {ax1, ax2}, steps, fname, own)
end

return M
