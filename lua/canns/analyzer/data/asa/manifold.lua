--- Views of the decoded manifold (upstream `canns.analyzer.data.asa.plotting`
-- and `config`): `CANN2DPlotConfig`, `plot_projection` (a 3-D scatter of
-- the reduced embedding), `plot_2d_bump_on_manifold` (the bump's activity
-- over the decoded torus as an animated heat map) and the maps behind the
-- bump animations (`bump_activity_maps`).
--
--     local anim = asa.plot_2d_bump_on_manifold(decoding, data, {save_path = "out/bump.gif", show = false})
-- @module canns.analyzer.data.asa.manifold

local A = require "canns.argcheck"
local core = require "canns.core"
local vconfig = require "canns.analyzer.visualization.config"
local render = require "canns.analyzer.visualization.render"
local view3d = require "canns.analyzer.visualization.view3d"

local M = {}

local TWO_PI = 2 * math.pi
local EXTRA = {zlabel = "Component 3", dpi = 300, numangsint = 51, r1 = 1.5, r2 = 1.0, window_size = 300,
               frame_step = 5, n_frames = 20}

local function check_extra(cfg, F)
  A.string(cfg.zlabel, F, "zlabel")
  A.number(cfg.dpi, F, "dpi", nil, {gt = 0, le = 2400})
  A.int(cfg.numangsint, F, "numangsint", nil, {min = 3, max = 4096})
  A.number(cfg.r1, F, "r1", nil, {gt = 0})
  A.number(cfg.r2, F, "r2", nil, {gt = 0})
  A.int(cfg.window_size, F, "window_size", nil, {min = 1})
  A.int(cfg.frame_step, F, "frame_step", nil, {min = 1})
  A.int(cfg.n_frames, F, "n_frames", nil, {min = 1, max = 100000})
end

local function cann2d_config(kw, defaults, F)
  kw = kw or {}
  A.table(kw, F, 1, "config")
  local base, extra = {}, {}
  for k, v in pairs(defaults) do
    if EXTRA[k] ~= nil then extra[k] = v else base[k] = v end
  end
  for k, v in pairs(kw) do
    if EXTRA[k] ~= nil then extra[k] = v else base[k] = v end
  end
  local cfg = vconfig.new(base, F)
  for k, v in pairs(EXTRA) do
    local x = extra[k]
    if x == nil then x = v end
    rawset(cfg, k, x)
  end
  check_extra(cfg, F)
  return cfg
end

--- A PlotConfig with the CANN2D fields (upstream `CANN2DPlotConfig`):
-- `zlabel` "Component 3", `dpi` 300 and the torus animation's
-- `numangsint` 51, `r1` 1.5, `r2` 1.0, `window_size` 300, `frame_step` 5,
-- `n_frames` 20, plus every PlotConfig field.
-- @tparam[opt] table kw fields
M.CANN2DPlotConfig = setmetatable({}, {__call = function(_, kw)
  return cann2d_config(kw, {}, "CANN2DPlotConfig")
end})

--- The 3-D projection preset (upstream `for_projection_3d`): title "3D Data
-- Projection", axis labels "Component 1/2/3", figsize {10, 8}, dpi 300.
function M.CANN2DPlotConfig.for_projection_3d(kw)
  return cann2d_config(kw, {title = "3D Data Projection", xlabel = "Component 1", ylabel = "Component 2",
                            zlabel = "Component 3", figsize = {10, 8}, dpi = 300},
                       "CANN2DPlotConfig.for_projection_3d")
end

--- The torus animation preset (upstream `for_torus_animation`): title "3D
-- Bump on Torus", figsize {8, 8}, fps 5, repeat, progress bar, and the
-- torus fields' defaults.
function M.CANN2DPlotConfig.for_torus_animation(kw)
  local c = cann2d_config(kw, {title = "3D Bump on Torus", figsize = {8, 8}, fps = 5, ["repeat"] = true,
                               show_progress_bar = true}, "CANN2DPlotConfig.for_torus_animation")
  if c.time_steps_per_second == nil then c.time_steps_per_second = 1000 end
  return c
end

local function options_config(opts, F, preset, own)
  if type(opts) == "table" and vconfig.is_config(opts) then
    for k, v in pairs(EXTRA) do if rawget(opts, k) == nil then rawset(opts, k, v) end end
    check_extra(opts, F)
    return opts, {}
  end
  opts = opts or {}
  A.table(opts, F, 3, "opts")
  local cfgkw, mine = {}, {}
  for k, v in pairs(opts) do
    if own[k] ~= nil then mine[k] = v else cfgkw[k] = v end
  end
  local cfg = opts.config
  if cfg ~= nil then
    if not vconfig.is_config(cfg) then A.fail(F, 3, "opts.config", "must be a PlotConfig, got %s", A.describe(cfg)) end
    cfgkw.config = nil
    for k, v in pairs(cfgkw) do cfg[k] = v end
    for k, v in pairs(EXTRA) do if rawget(cfg, k) == nil then rawset(cfg, k, v) end end
    check_extra(cfg, F)
    return cfg, mine
  end
  return preset(cfgkw), mine
end

--- A 3-D scatter of `reduce_func(embed_data[::5])` (upstream
-- `plot_projection`): every fifth row of the embedding is reduced by the
-- caller's function to (n, >= 3) and its first three columns drawn as
-- matplotlib's default 3-D view (elevation 30, azimuth -60, each axis
-- scaled to its range), size 1, alpha 0.5, far points first.  The 3-D
-- axes' panes and ticks are not drawn; the axis labels are written under
-- the title.
-- @tparam function reduce_func array (m, N) -> (m, >= 3)
-- @param embed_data (T, N) array
-- @tparam[opt] table opts `config` (a CANN2DPlotConfig) or its fields: `title`
--   ("Projection (3D)"), `xlabel`, `ylabel`, `zlabel`, `save_path`, `show`, `dpi` (300), `figsize` ({10, 8})
-- @return the figure
function M.plot_projection(reduce_func, embed_data, opts)
  local F = "plot_projection"
  A.callable(reduce_func, F, 1, "reduce_func")
  local E = A.array(embed_data, F, 2, "embed_data", {convert = true, ndim = 2})
  if E:shape(1) < 1 then A.fail(F, 2, "embed_data", "must hold at least one row, got %s", A.describe(E)) end
  local cfg = options_config(opts, F, function(kw)
    local d = {title = "Projection (3D)", xlabel = "Component 1", ylabel = "Component 2", zlabel = "Component 3",
               figsize = {10, 8}, dpi = 300, show = true}
    for k, v in pairs(kw) do d[k] = v end
    return M.CANN2DPlotConfig.for_projection_3d(d)
  end, {})
  local rows = {}
  for t = 1, E:shape(1), 5 do rows[#rows + 1] = t end
  local sub = core.asa.take(E, core.array(rows, "int64"))
  local R = A.array(reduce_func(sub), F, 1, "reduce_func(embed_data)", {convert = true, ndim = 2, finite = true})
  if R:shape(2) < 3 or R:shape(1) ~= #rows then
    A.fail(F, 1, "reduce_func", "must return a (%d, >= 3) array, got %s", #rows, A.describe(R))
  end
  local P = R:astype("float64"):totable()
  local xs, ys, ds = view3d.project(P)
  local order = {}
  for i = 1, #P do order[i] = i end
  table.sort(order, function(a, b) return ds[a] < ds[b] end)
  local X, Y = {}, {}
  for k, i in ipairs(order) do X[k], Y[k] = xs[i], ys[i] end
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  ax:scatter(X, Y, {s = 1, alpha = 0.5, color = "C0"})
  ax:set_aspect("equal")
  ax:axis("off")
  local title = cfg.title
  if (cfg.xlabel or "") ~= "" then
    title = title .. "\n" .. ("x: %s, y: %s, z: %s"):format(cfg.xlabel, cfg.ylabel or "", cfg.zlabel or "")
  end
  ax:set_title(title)
  if cfg.save_path then
    local dir = cfg.save_path:match("^(.*)/[^/]*$")
    if dir and dir ~= "" then core.mkdir(dir) end
  end
  cfg.save_dpi = cfg.dpi
  render.finalize(fig, cfg, F)
  return fig
end

-- coordsbox and times_box (1-based) of a decoding table or its .npz
local function decoded(decoding, F)
  local d = decoding
  if type(d) == "string" then
    local ok, z = pcall(require("canns.io").load_npz, d)
    if not ok then A.fail(F, 1, "decoding_result", "cannot be read: %s", tostring(z)) end
    -- the npz written by decode_circular_coordinates_multi keeps 0-based times
    d = {coordsbox = z.coordsbox, times_box = z.times_box and (z.times_box + 1)}
  end
  A.table(d, F, 1, "decoding_result")
  if d.coordsbox == nil or d.times_box == nil then
    A.fail(F, 1, "decoding_result", "must have 'coordsbox' and 'times_box' (a decode result)")
  end
  local C = A.array(d.coordsbox, F, 1, "decoding_result.coordsbox", {convert = true, ndim = 2, finite = true})
  local Tb = A.array(d.times_box, F, 1, "decoding_result.times_box", {convert = true, ndim = 1})
  if C:shape(2) < 2 or C:shape(1) ~= Tb:size() then
    A.fail(F, 1, "decoding_result", "coordsbox must be (K, >= 2) with one row per times_box entry")
  end
  return C:astype("float64"), Tb:astype("int64")
end

--- The per-frame activity maps of upstream's bump animations: the
-- embedding of `spike_data` (unsmoothed, speed-filtered) summed over
-- neurons, binned at the decoded phases of each window
-- [f frame_step, f frame_step + window_size) of `times_box` (from 0) into
-- (numangsint - 2)^2 bins on [0, 2 pi], smoothed on the skewed torus
-- (sigma 4), Gaussian filtered (sigma 1) and blended 0.7 previous + 0.3 new.
-- @param decoding_result a decode result (or its .npz path)
-- @param spike_data the session (as `embed_spike_trains` takes it) or an activity array (T, N)
-- @tparam table opts `numangsint`, `window_size`, `frame_step`, `n_frames` (nil: as plot_2d_bump_on_manifold counts)
-- @treturn array maps (F, n, n), x bins along the first axis
-- @treturn array window starts (F, from 0)
function M.bump_activity_maps(decoding_result, spike_data, opts)
  local F = "bump_activity_maps"
  opts = A.options(opts, F, {"numangsint", "window_size", "frame_step", "n_frames"})
  local C, Tb = decoded(decoding_result, F)
  local act
  if core.isarray(spike_data) then
    act = A.array(spike_data, F, 2, "spike_data", {ndim = 2, finite = true})
  else
    A.table(spike_data, F, 2, "spike_data")
    act = require("canns.analyzer.data.asa.embedding").embed_spike_trains(spike_data,
      {smooth = false, speed_filter = true})
  end
  local rowsum = act:astype("float64"):sum(2)
  local na = A.int(opts.numangsint or 51, F, "numangsint", nil, {min = 3, max = 4096})
  local win = A.int(opts.window_size or 300, F, "window_size", nil, {min = 1})
  local step = A.int(opts.frame_step or 5, F, "frame_step", nil, {min = 1})
  local nf = opts.n_frames == nil and -1 or A.int(opts.n_frames, F, "n_frames", nil, {min = 0, max = 1000000})
  local maps, starts, got = core.asa.bump_maps(C, Tb, rowsum, na, win, step, nf)
  if got == 0 then A.error(F, "no window holds a decoded time point: no frame to draw") end
  if got < maps:shape(1) then
    maps = maps:slice(1, {1, got})
    starts = starts:slice(1, {1, got})
  end
  return maps, starts
end

--- The bump's activity over the decoded torus as an animated heat map
-- (upstream `plot_2d_bump_on_manifold`, `mode = "fast"`): the maps of
-- `bump_activity_maps` with window 10, step 5, numangsint 20 and
-- (max(times_box) - window_size) // frame_step frames, drawn transposed
-- over [0, 2 pi]^2 (origin lower, viridis, colour bar "Activity"), titled
-- "CANN2D Bump Activity (2D Projection)".  `mode = "3d"` hands over to
-- `plot_3d_bump_on_torus` with the same options, as upstream.
-- @param decoding_result a decode result (or its .npz path)
-- @param spike_data the session, or an activity array (T, N)
-- @tparam[opt] table opts `save_path`, `fps` (20), `show` (true), `mode`
--   ("fast"), `window_size` (10), `frame_step` (5), `numangsint` (20),
--   `figsize` ({8, 6}), `show_progress` (false), `config`, `output_dpi` (150)
-- @treturn table the animation record `{figure, axes, path, steps, frames, maps}`
function M.plot_2d_bump_on_manifold(decoding_result, spike_data, opts)
  local F = "plot_2d_bump_on_manifold"
  opts = A.options(opts, F, {"save_path", "fps", "show", "mode", "window_size", "frame_step", "numangsint",
                             "figsize", "show_progress", "config", "render_backend", "output_dpi",
                             "render_workers"})
  local mode = A.string(opts.mode, F, "mode", nil, {default = "fast", choices = {"fast", "3d"}})
  if mode == "3d" then
    return M.plot_3d_bump_on_torus(decoding_result, spike_data, {
      save_path = opts.save_path, fps = opts.fps, show = opts.show, window_size = opts.window_size,
      frame_step = opts.frame_step, numangsint = opts.numangsint, figsize = opts.figsize,
      show_progress = opts.show_progress, output_dpi = opts.output_dpi})
  end
  local cfg = opts.config
  if cfg ~= nil and not vconfig.is_config(cfg) then
    A.fail(F, 3, "opts.config", "must be a PlotConfig, got %s", A.describe(cfg))
  end
  cfg = cfg or vconfig.PlotConfig.for_animation(1000, {title = "CANN2D Bump Activity (2D Projection)",
                                                       figsize = {8, 6}, fps = 20, show = true,
                                                       show_progress_bar = false})
  for _, k in ipairs({"save_path", "fps", "show", "figsize", "render_backend", "render_workers"}) do
    if opts[k] ~= nil then cfg[k] = opts[k] end
  end
  if opts.show_progress ~= nil then cfg.show_progress_bar = A.boolean(opts.show_progress, F, "show_progress") end
  local maps = M.bump_activity_maps(decoding_result, spike_data, {
    numangsint = opts.numangsint or 20, window_size = opts.window_size or 10,
    frame_step = opts.frame_step or 5})
  local Fr = maps:shape(1)
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1)
  ax:set_xlabel("Manifold Dimension 1 (rad)", {fontsize = 12})
  ax:set_ylabel("Manifold Dimension 2 (rad)", {fontsize = 12})
  ax:set_title("CANN2D Bump Activity (2D Projection)", {fontsize = 14, fontweight = "bold"})
  local im = ax:imshow(maps:transpose({1, 3, 2}):copy(), {extent = {0, TWO_PI, 0, TWO_PI}, origin = "lower",
                                                          cmap = "viridis", aspect = "auto"})
  ax:colorbar(im, {label = "Activity"})
  local steps, labels = {}, {}
  for f = 1, Fr do steps[f], labels[f] = f - 1, ("Frame: %d/%d"):format(f, Fr) end
  ax:text(0.02, 0.98, labels, {transform = "axes", fontsize = 11, va = "top",
          bbox = {facecolor = "white", alpha = 0.8}})
  local path = render.animate(fig, cfg, steps, F, opts.output_dpi)
  local anim = render.animation(fig, ax, path, steps)
  anim.maps = maps
  return anim
end

-- RGB colours of viridis at v in [0, 1] (256-entry table)
local function viridis()
  local lut = core.plot_colormap("viridis")
  return function(v)
    local i = math.floor(math.max(0, math.min(1, v)) * (#lut - 1) + 0.5) + 1
    local c = lut[i]
    return {c[1] / 255, c[2] / 255, c[3] / 255}
  end
end

--- The bump's activity on a 3-D torus, animated (upstream
-- `plot_3d_bump_on_torus`): the maps of `bump_activity_maps` (window
-- `window_size`, step `frame_step`, `n_frames` frames) colour the faces of
-- the torus ((r1 + r2 cos u') cos v, (r1 + r2 cos u') sin v, -r2 sin u'),
-- u' = u + pi/5, viridis over each frame's maximum, seen from elevation
-- -125 and azimuth 135 degrees with z limited to [-2, 2], axes off, a
-- "Frame i/n" label.  The surface is a grid of numangsint - 1 angles per
-- side, whose (numangsint - 2)^2 faces are the maps' bins (upstream draws a
-- numangsint grid, one face more per side than its maps have, and fails
-- with an IndexError).  Faces are painted far to near; each frame is drawn
-- and encoded in turn (.gif, or a video through ffmpeg).
-- @param decoding_result a decode result (or its .npz path)
-- @param spike_data the session, or an activity array (T, N)
-- @tparam[opt] table opts `config` (a CANN2DPlotConfig) or its fields:
--   `save_path`, `numangsint` (51), `r1` (1.5), `r2` (1.0), `window_size`
--   (300), `frame_step` (5), `n_frames` (20), `fps` (5), `show`,
--   `figsize` ({8, 8}), `show_progress`, `title`, `output_dpi` (150)
-- @treturn table the animation record `{figure, path, frames, maps}`
function M.plot_3d_bump_on_torus(decoding_result, spike_data, opts)
  local F = "plot_3d_bump_on_torus"
  local own = {show_progress = true, output_dpi = true, render_backend = true, render_workers = true}
  local cfg, mine = options_config(opts, F, M.CANN2DPlotConfig.for_torus_animation, own)
  if mine.show_progress ~= nil then cfg.show_progress_bar = A.boolean(mine.show_progress, F, "show_progress") end
  local dpi = mine.output_dpi and A.number(mine.output_dpi, F, "output_dpi", nil, {gt = 0, le = 1200}) or 150
  if not cfg.save_path and not cfg.show then return nil end
  local maps = M.bump_activity_maps(decoding_result, spike_data, {numangsint = cfg.numangsint,
    window_size = cfg.window_size, frame_step = cfg.frame_step, n_frames = cfg.n_frames})
  local Fr, nb = maps:shape(1), maps:shape(2)
  -- the surface: nb + 1 angles per side
  local r1, r2, ng = cfg.r1, cfg.r2, nb + 1
  local P, ang = {}, {}
  for i = 1, ng do ang[i] = TWO_PI * (i - 1) / (ng - 1) end
  for i = 1, ng do       -- rows: v (the meshgrid's y)
    for j = 1, ng do     -- columns: u
      local u = (ang[j] + math.pi / 5) % TWO_PI
      local rr = r1 + r2 * math.cos(u)
      P[#P + 1] = {rr * math.cos(ang[i]), rr * math.sin(ang[i]), -r2 * math.sin(u)}
    end
  end
  local lo = {-(r1 + r2), -(r1 + r2), -2}
  local hi = {r1 + r2, r1 + r2, 2}
  local xs, ys, ds = view3d.project(P, {elev = -125, azim = 135, lo = lo, hi = hi})
  local faces = {}
  for i = 1, nb do
    for j = 1, nb do
      local k = {(i - 1) * ng + j, (i - 1) * ng + j + 1, i * ng + j + 1, i * ng + j}
      local d = (ds[k[1]] + ds[k[2]] + ds[k[3]] + ds[k[4]]) / 4
      faces[#faces + 1] = {i = i, j = j, d = d,
                           x = {xs[k[1]], xs[k[2]], xs[k[3]], xs[k[4]]}, y = {ys[k[1]], ys[k[2]], ys[k[3]], ys[k[4]]}}
    end
  end
  table.sort(faces, function(a, b) return a.d < b.d end)
  local cmap = viridis()
  local M3 = maps:totable()
  local frames, w, h, fig = {}, nil, nil, nil
  local bar = cfg.show_progress_bar and core.Progress("Rendering torus", Fr) or nil
  for f = 1, Fr do
    fig = core.plot_figure{figsize = cfg.figsize}
    local ax = fig:subplot(1, 1, 1)
    ax:set_xlim(-0.62, 0.62)
    ax:set_ylim(-0.62, 0.62)
    ax:set_aspect("equal")
    ax:axis("off")
    local mx = -math.huge
    for i = 1, nb do for j = 1, nb do mx = math.max(mx, M3[f][i][j]) end end
    for _, q in ipairs(faces) do
      local c = cmap(M3[f][q.i][q.j] / (mx + 1e-9))
      ax:fill(q.x, q.y, {facecolor = c, edgecolor = c, linewidth = 0.1})
    end
    ax:set_title(cfg.title ~= "" and cfg.title or "3D Bump on Torus")
    ax:text(0.02, 0.98, ("Frame %d/%d"):format(f, Fr), {transform = "axes", fontsize = 12, va = "top"})
    local rgb
    w, h, rgb = fig:render{dpi = dpi}
    frames[f] = rgb
    if bar then bar:tick(1) end
  end
  if bar then bar:close() end
  local path = cfg.save_path or render.show_path(F, "gif")
  local dir = path:match("^(.*)/[^/]*$")
  if dir and dir ~= "" then core.mkdir(dir) end
  core.plot_write_frames(path, frames, w, h, cfg.fps, cfg["repeat"] ~= false)
  print("Animation saved to: " .. path)
  if cfg.show then render.show_file(path, F) end
  return {figure = fig, path = path, frames = Fr, maps = maps}
end

return M
