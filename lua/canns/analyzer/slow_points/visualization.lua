--- Fixed-point figures (upstream
-- `canns.analyzer.slow_points.plot_fixed_points_2d` / `_3d`): the state
-- trajectories and the fixed points projected on their first principal
-- components, stable points as dark-red circles, unstable ones as red
-- crosses.
--
--     local sp = canns.analyzer.slow_points
--     sp.plot_fixed_points_2d(unique_fps, hidden, {save_path = "out/fps_2d.png", show = false})
--     sp.plot_fixed_points_3d(unique_fps, hidden, {plot_batch_idx = {1, 2, 3},
--       plot_start_time = 11, save_path = "out/fps_3d.png", show = false})
--
-- Indices are 1-based: `plot_batch_idx` lists trials 1..B and
-- `plot_start_time = t` starts each trajectory at its step t (upstream's
-- 0-based `plot_start_time = 10` is `11` here).
-- @module canns.analyzer.slow_points.visualization

local core = require "canns.core"
local A = require "canns.argcheck"
local config = require "canns.analyzer.visualization.config"
local render = require "canns.analyzer.visualization.render"
local view3d = require "canns.analyzer.visualization.view3d"
local FixedPoints = require "canns.analyzer.slow_points.fixed_points"

local M = {}

--- Principal components of the rows of X (n, S), as scikit-learn's PCA
-- fits them (mean-centred; covariance eigen-decomposition through
-- LAPACK; each component's largest-magnitude entry made positive).
-- @param X (n, S) array, finite
-- @int k number of components, 1 .. min(n, S)
-- @treturn array projections (n, k), float64
-- @treturn array components (k, S), float64 (rows)
-- @treturn {number,...} explained variance ratio of each component
-- @treturn array the mean (S), float64
function M.pca(X, k, fname, argname)
  fname = fname or "pca"
  X = A.array(X, fname, 1, argname or "X", {convert = true, ndim = 2, finite = true})
  local n, S = X:shape(1), X:shape(2)
  if n < 1 or S < 1 then A.fail(fname, 1, argname or "X", "must not be empty, got %s", A.describe(X)) end
  k = A.count(k, fname, 2, "k", {min = 1})
  if k > math.min(n, S) then
    A.fail(fname, 1, argname or "X", "has %d samples of %d features: %d principal components "
           .. "need at least %d of each", n, S, k, k)
  end
  X = X:astype("float64")
  local mean = core.mean(X, 1)
  local Xc = X - mean:reshape({1, S})
  local C = core.matmul(Xc:transpose(), Xc) / math.max(n - 1, 1)
  local w, V = core.eigh(C) -- ascending
  local wt, Vt = w:totable(), V:totable()
  local total = 0
  for i = 1, S do
    if wt[i] < 0 then wt[i] = 0 end
    total = total + wt[i]
  end
  local comps, ratio = {}, {}
  for c = 1, k do
    local col = S - c + 1 -- descending order
    local v, big, bi = {}, -1, 1
    for i = 1, S do
      v[i] = Vt[i][col]
      if math.abs(v[i]) > big then big, bi = math.abs(v[i]), i end
    end
    if v[bi] < 0 then for i = 1, S do v[i] = -v[i] end end
    comps[c] = v
    ratio[c] = total > 0 and wt[col] / total or 0
  end
  local P = core.array(comps, "float64")
  return core.matmul(Xc, P:transpose()), P, ratio, mean
end

local CONFIG_KEYS = {}
for k in pairs(config.FIELDS) do CONFIG_KEYS[#CONFIG_KEYS + 1] = k end
table.sort(CONFIG_KEYS)

-- The PlotConfig, batches and start time of a call: `cfg` is a PlotConfig
-- or a table of PlotConfig fields plus `plot_batch_idx`, `plot_start_time`;
-- positional batches / start time win over the table's.
local function arguments(fname, cfg, batches, start, defaults)
  local fields
  if cfg == nil then
    fields = {}
  elseif config.is_config(cfg) then
    fields = nil
  elseif type(cfg) == "table" and not core.isarray(cfg) then
    local allowed = {"plot_batch_idx", "plot_start_time"}
    for _, k in ipairs(CONFIG_KEYS) do allowed[#allowed + 1] = k end
    A.options(cfg, fname, allowed)
    fields = {}
    for k, v in pairs(cfg) do
      if k == "plot_batch_idx" then batches = batches == nil and v or batches
      elseif k == "plot_start_time" then start = start == nil and v or start
      else fields[k] = v end
    end
  else
    A.fail(fname, 3, "config", "must be a PlotConfig or a table of options, got %s", A.describe(cfg))
  end
  if fields then
    local d = {}
    for k, v in pairs(defaults) do d[k] = v end
    -- upstream builds its default config only when none is given; a table
    -- of options is that default with the given fields replaced
    for k, v in pairs(fields) do d[k] = v end
    cfg = config.new(d, fname)
  end
  return cfg, batches, start
end

-- Check the inputs and project: returns the projected trajectory segments
-- (list of (len, k) arrays), the projected fixed points (m, k) or nil, the
-- stable flags, the variance ratios.
local function project(fname, fps, state_traj, batches, start, k)
  if getmetatable(fps) ~= FixedPoints then
    A.fail(fname, 1, "fixed_points", "must be a FixedPoints, got %s", A.describe(fps))
  end
  local X = A.array(state_traj, fname, 2, "state_traj", {convert = true, ndim = 3, finite = true})
  local B, T, S = X:shape(1), X:shape(2), X:shape(3)
  if B < 1 or T < 1 or S < 1 then
    A.fail(fname, 2, "state_traj", "must be a non-empty (n_batch, n_time, n_states) array, got %s",
           A.describe(X))
  end
  local m = fps.n
  if m > 0 and fps.n_states ~= S then
    A.fail(fname, 1, "fixed_points", "has %d states per point but state_traj has %d", fps.n_states, S)
  end
  if m > 0 and not fps.is_stable then
    A.fail(fname, 1, "fixed_points", "has no is_stable (decompose the Jacobians first)")
  end
  local idx
  if batches == nil then
    idx = {}
    for b = 1, math.min(30, B) do idx[b] = b end
  else
    if core.isarray(batches) then batches = batches:flatten():totable() end
    if type(batches) ~= "table" or #batches == 0 then
      A.fail(fname, 4, "plot_batch_idx", "must be a non-empty list of trial indices, got %s",
             A.describe(batches))
    end
    idx = {}
    for i, b in ipairs(batches) do
      local bi = math.tointeger(b)
      if not bi or bi < 1 or bi > B then
        A.fail(fname, 4, "plot_batch_idx", "entry %d must be a trial index in 1..%d, got %s", i, B,
               A.describe(b))
      end
      idx[i] = bi
    end
  end
  local t0 = A.count(start, fname, 5, "plot_start_time", {min = 1, max = T, default = 1})
  local rows = {}
  for i, b in ipairs(idx) do rows[i] = X:slice(1, b):slice(2, {t0, T}):reshape({T - t0 + 1, S}) end
  local len = T - t0 + 1
  local all = core.concatenate(rows, 1)
  if m > 0 then all = core.concatenate({all:astype("float64"), fps.xstar:astype("float64")}, 1) end
  local P, _, ratio = M.pca(all, k, fname, "state_traj")
  local segs = {}
  for i = 1, #idx do segs[i] = P:slice(1, {(i - 1) * len + 1, i * len}) end
  local fpp = m > 0 and P:slice(1, {#idx * len + 1, #idx * len + m}) or nil
  local stable = m > 0 and fps.is_stable:flatten():totable() or {}
  return segs, fpp, stable, ratio, P
end

local function column(a, c) return a:slice(2, c):flatten() end

-- Save (dpi / bbox from the configuration: 300, tight by default) and show.
local function finish(fig, cfg, fname, what)
  local verbose = cfg.verbose
  cfg.verbose = false
  render.finalize(fig, cfg, fname)
  cfg.verbose = verbose
  if cfg.save_path then print(string.format("  Saved %s plot to: %s", what, cfg.save_path)) end
end

local UNSTABLE = {color = "red", marker = "x", s = 200, linewidths = 3, zorder = 10}
local STABLE = {color = "darkred", marker = "o", s = 200, edgecolors = "black", linewidths = 2, zorder = 10}
local function with(t, extra)
  local o = {}
  for k, v in pairs(t) do o[k] = v end
  for k, v in pairs(extra) do o[k] = v end
  return o
end

--- Trajectories (light-blue dots) and fixed points on the first two
-- principal components of the selected trajectories (from
-- `plot_start_time`) together with the fixed points.
-- @param fixed_points a FixedPoints (decomposed: `is_stable` set), or an empty one
-- @param state_traj (n_batch, n_time, n_states) array of states
-- @param[opt] config a PlotConfig, or a table of its fields (defaults:
--   title "Fixed Points (2D PCA)", labels "PC 1" / "PC 2", figsize {10, 8})
--   plus `plot_batch_idx`, `plot_start_time`
-- @param[opt] plot_batch_idx trials to draw (1-based; default the first min(30, B))
-- @int[opt=1] plot_start_time first step drawn (1-based)
-- @return the figure, and a table `{traj = (N, 2), fps = (m, 2) or nil,
--   explained_variance_ratio = {r1, r2}}` of what was drawn
function M.plot_fixed_points_2d(fixed_points, state_traj, config_, plot_batch_idx, plot_start_time)
  local fname = "plot_fixed_points_2d"
  local cfg, batches, start = arguments(fname, config_, plot_batch_idx, plot_start_time,
    {title = "Fixed Points (2D PCA)", xlabel = "PC 1", ylabel = "PC 2", figsize = {10, 8},
     show_legend = true})
  local segs, fpp, stable, ratio, P = project(fname, fixed_points, state_traj, batches, start, 2)
  local n_traj = 0
  for _, s in ipairs(segs) do n_traj = n_traj + s:shape(1) end
  local traj = P:slice(1, {1, n_traj})
  local fig, ax = render.figure(cfg)
  ax:scatter(column(traj, 1), column(traj, 2),
             {color = "lightblue", s = 8, alpha = 1, label = "Trajectories", zorder = -1})
  if fpp then
    local groups = {[false] = {{}, {}}, [true] = {{}, {}}}
    local F = fpp:totable()
    for i, p in ipairs(F) do
      local g = groups[stable[i] == true]
      g[1][#g[1] + 1], g[2][#g[2] + 1] = p[1], p[2]
    end
    if #groups[false][1] > 0 then
      ax:scatter(groups[false][1], groups[false][2], with(UNSTABLE, {label = "Unstable Fixed Points"}))
    end
    if #groups[true][1] > 0 then
      ax:scatter(groups[true][1], groups[true][2], with(STABLE, {label = "Stable Fixed Points"}))
    end
  end
  ax:set_xlabel(cfg.xlabel)
  ax:set_ylabel(cfg.ylabel)
  ax:set_title(cfg.title)
  if cfg.show_legend then ax:legend() end
  if cfg.grid then ax:grid(true, {alpha = 0.3}) end
  finish(fig, cfg, fname, "2D")
  return fig, {traj = traj, fps = fpp, explained_variance_ratio = ratio}
end

-- The cube's 12 edges as pairs of corner indices (corner bits x, y, z).
local EDGES = {{0, 1}, {2, 3}, {4, 5}, {6, 7}, {0, 2}, {1, 3}, {4, 6}, {5, 7},
               {0, 4}, {1, 5}, {2, 6}, {3, 7}}

local function pct(r) return string.format("%.1f%%", 100 * r) end

--- Trajectories (blue lines) and fixed points on the first three
-- principal components, drawn as matplotlib's default 3-D view
-- (elevation 30, azimuth -60): the axes are a cube centred on the fixed
-- points' bounding box with half-side half its largest extent (the data's
-- range when there are no fixed points), drawn as a grey wire box with the
-- axis labels on three of its edges (no ticks).  The title gets a second
-- line with the explained variance; the ratios are printed.
-- @param fixed_points a FixedPoints (decomposed), or an empty one
-- @param state_traj (n_batch, n_time, n_states) array, n_states >= 3
-- @param[opt] config a PlotConfig or options (defaults: title "Fixed Points
--   (3D PCA)", labels "PC 1" / "PC 2", z label "PC 3", figsize {12, 10}),
--   plus `plot_batch_idx`, `plot_start_time`
-- @param[opt] plot_batch_idx trials (1-based; default the first min(30, B))
-- @int[opt=1] plot_start_time first step drawn (1-based)
-- @return the figure, and `{traj = (N, 3), fps = (m, 3) or nil,
--   explained_variance_ratio = {r1, r2, r3}, lo = {..}, hi = {..}}` (the cube)
function M.plot_fixed_points_3d(fixed_points, state_traj, config_, plot_batch_idx, plot_start_time)
  local fname = "plot_fixed_points_3d"
  local cfg, batches, start = arguments(fname, config_, plot_batch_idx, plot_start_time,
    {title = "Fixed Points (3D PCA)", xlabel = "PC 1", ylabel = "PC 2", figsize = {12, 10},
     show_legend = true})
  local segs, fpp, stable, ratio, P = project(fname, fixed_points, state_traj, batches, start, 3)
  local n_traj = 0
  for _, s in ipairs(segs) do n_traj = n_traj + s:shape(1) end
  local total = ratio[1] + ratio[2] + ratio[3]
  -- the axes cube
  local src = fpp or P
  local lo, hi = {}, {}
  for c = 1, 3 do
    local col = column(src, c)
    lo[c], hi[c] = core.min(col), core.max(col)
  end
  if fpp then
    local half = 0
    for c = 1, 3 do half = math.max(half, (hi[c] - lo[c]) / 2) end
    if half == 0 then half = 0.5 end
    for c = 1, 3 do
      local mid = (lo[c] + hi[c]) / 2
      lo[c], hi[c] = mid - half, mid + half
    end
  end
  local fig, ax = render.figure(cfg)
  local function proj(rows) return view3d.project(rows, {lo = lo, hi = hi}) end
  -- wire box and axis labels
  local corners = {}
  for b = 0, 7 do
    corners[b + 1] = {(b & 1) > 0 and hi[1] or lo[1], (b & 2) > 0 and hi[2] or lo[2],
                      (b & 4) > 0 and hi[3] or lo[3]}
  end
  local cx, cy = proj(corners)
  for _, e in ipairs(EDGES) do
    ax:plot({cx[e[1] + 1], cx[e[2] + 1]}, {cy[e[1] + 1], cy[e[2] + 1]},
            {color = "0.75", linewidth = 0.8, zorder = -2})
  end
  local function edge_label(a, b, text, dx, dy)
    ax:text((cx[a + 1] + cx[b + 1]) / 2 + dx, (cy[a + 1] + cy[b + 1]) / 2 + dy, text,
            {ha = "center", va = "center", fontsize = 11})
  end
  -- x along the front-bottom edge (y = lo), y along the right-bottom edge
  -- (x = hi), z on the left vertical edge (x = lo, y = hi)
  edge_label(0, 1, cfg.xlabel ~= "" and cfg.xlabel or "PC 1", 0, -0.06)
  edge_label(1, 3, cfg.ylabel ~= "" and cfg.ylabel or "PC 2", 0.06, -0.04)
  edge_label(2, 6, "PC 3", -0.08, 0)
  for i, s in ipairs(segs) do
    local xs, ys = proj(s:totable())
    ax:plot(xs, ys, {color = "blue", alpha = 0.3, linewidth = 0.5,
                     label = i == 1 and "RNN Trajectories" or nil})
  end
  if fpp then
    local F = fpp:totable()
    local xs, ys, ds = proj(F)
    local order = {}
    for i = 1, #F do order[i] = i end
    table.sort(order, function(a, b) return ds[a] < ds[b] end) -- far first
    for _, st in ipairs({false, true}) do
      local gx, gy = {}, {}
      for _, i in ipairs(order) do
        if (stable[i] == true) == st then gx[#gx + 1], gy[#gy + 1] = xs[i], ys[i] end
      end
      if #gx > 0 then
        ax:scatter(gx, gy, st and with(STABLE, {label = "Stable FPs"})
                            or with(UNSTABLE, {label = "Unstable FPs"}))
      end
    end
  end
  ax:set_aspect("equal")
  ax:axis("off")
  local title = cfg.title
  if title and title ~= "" then
    title = title .. string.format("\nVariance: %s, %s, %s (total: %.1f%%)", pct(ratio[1]),
                                   pct(ratio[2]), pct(ratio[3]), 100 * total)
  end
  ax:set_title(title or "")
  if cfg.show_legend then ax:legend() end
  print(string.format("  PCA explained variance: [%.8g %.8g %.8g]", ratio[1], ratio[2], ratio[3]))
  print(string.format("  Total variance explained: %.2f%%", 100 * total))
  finish(fig, cfg, fname, "3D")
  return fig, {traj = P:slice(1, {1, n_traj}), fps = fpp, explained_variance_ratio = ratio,
               lo = lo, hi = hi}
end

return M
