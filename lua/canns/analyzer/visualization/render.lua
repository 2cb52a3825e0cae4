--- Shared machinery of the visualization functions: turning keyword
-- options into a PlotConfig, checking data, the animation frame schedule,
-- saving, animating and `show`.
--
-- `show = true` has no window to open in a terminal session: the figure is
-- written (to `save_path`, or to `canns_figures/<function>-<n>.<ext>` in
-- the current directory when no path is given) and the path is printed.
-- With a display (DISPLAY or WAYLAND_DISPLAY set) the file is also handed
-- to `xdg-open` when it exists (set CANNS_SHOW=0 to never open a viewer).
-- @module canns.analyzer.visualization.render

-- only the C module: canns/init.lua may load this package while "canns"
-- itself is still loading
local core = require "canns.core"
local config = require "canns.analyzer.visualization.config"

local M = {}

-- Errors go through the shared checker (canns.argcheck): "fname: message".
local A = require "canns.argcheck"
local fail = A.error
M.fail = fail

--- The configuration a plotting function works with.  `opts` is a
-- PlotConfig (used as is) or a plain table of keyword options: fields of
-- PlotConfig override the function's defaults (built by `factory`), any
-- other key becomes a drawing option (Python's **kwargs).  `defaults`
-- are the function's own keyword defaults where they differ from the
-- preset's (used unless the caller passes a PlotConfig).
function M.ensure_config(opts, factory, fname, defaults)
  if config.is_config(opts) then return opts end
  if opts == nil then opts = {} end
  if type(opts) ~= "table" then
    fail(fname, "argument 'config' must be a PlotConfig or a table of options, got %s", type(opts))
  end
  local fields, extra = {}, nil
  for k, v in pairs(defaults or {}) do fields[k] = v end
  for k, v in pairs(opts) do
    if k == "loop" then k = "repeat" end
    if config.FIELDS[k] ~= nil or k == "time_steps_per_second" then
      fields[k] = v
    else
      extra = extra or {}
      extra[k] = v
    end
  end
  if extra then
    local kw = {}
    for k, v in pairs(fields.kwargs or {}) do kw[k] = v end
    for k, v in pairs(extra) do kw[k] = v end
    fields.kwargs = kw
  end
  return factory(fields)
end

--- An array argument: canns arrays pass through, tables are converted.
function M.array(v, fname, argname)
  if core.isarray(v) then return v end
  if type(v) == "table" then
    local ok, a = pcall(core.array, v, "float64")
    if ok then return a end
    fail(fname, "argument '%s' must be an array or a rectangular table of numbers (%s)",
         argname, tostring(a))
  end
  fail(fname, "argument '%s' must be an array, got %s", argname, A.describe(v))
end

local function shape_str(a)
  return "{" .. table.concat(a:shape(), ", ") .. "}"
end
M.shape_str = shape_str

--- Check the number of dimensions (and that the array is not empty).
function M.check_ndim(a, ndim, fname, argname, what)
  if a:ndim() ~= ndim then
    fail(fname, "argument '%s' must be a %d-D array %s, got shape %s", argname, ndim,
         what or "", shape_str(a))
  end
  if a:size() == 0 then
    fail(fname, "argument '%s' must not be empty, got shape %s", argname, shape_str(a))
  end
end

-- The most frames fig:animate accepts.
local MAX_FRAMES = 10000000

--- Python's frame schedule: frames = int(T / S * fps); frame f shows step
-- int(linspace(0, T - 1, frames)[f]) (0-based).
function M.frame_schedule(T, S, fps, fname)
  if S == nil then fail(fname, "time_steps_per_second must be provided via argument or config") end
  local frames = math.floor(T / S * fps)
  if frames < 1 then
    fail(fname, "the animation would have no frames: %d steps at %g steps/s and %g fps "
         .. "last less than one frame (raise fps or lower time_steps_per_second)", T, S, fps)
  end
  if frames > MAX_FRAMES then -- checked before the schedule is built
    fail(fname, "the animation would have %.0f frames (at most %d): %d steps at %g steps/s "
         .. "and %g fps (raise time_steps_per_second or lower fps)", frames, MAX_FRAMES, T, S, fps)
  end
  local steps = {}
  if frames == 1 then
    steps[1] = 0
  else
    local step = (T - 1) / (frames - 1)
    for f = 0, frames - 1 do steps[f + 1] = math.floor(f * step) end
    steps[frames] = T - 1
  end
  return steps, frames
end

--- "Time: x.xx s" labels of the frames.
function M.time_labels(steps, S)
  local t = {}
  for i, s in ipairs(steps) do t[i] = string.format("Time: %.2f s", s / S) end
  return t
end

local function display_available()
  local d, w = os.getenv("DISPLAY"), os.getenv("WAYLAND_DISPLAY")
  return (d and d ~= "") or (w and w ~= "")
end

local function file_exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end

local function shell_quote(s) return "'" .. s:gsub("'", "'\\''") .. "'" end

--- Where `show` writes a figure that has no save_path.
function M.show_path(fname, ext)
  local dir = "canns_figures"
  for n = 1, 100000 do
    local p = string.format("%s/%s-%d.%s", dir, fname, n, ext)
    if not file_exists(p) then return p end
  end
  return string.format("%s/%s.%s", dir, fname, ext)
end

--- Show a written file: open a viewer when there is a display, else say
-- where the file is.
function M.show_file(path, fname)
  local viewer = os.getenv("CANNS_SHOW") ~= "0" and display_available()
  if viewer and os.execute("command -v xdg-open >/dev/null 2>&1") then
    os.execute("xdg-open " .. shell_quote(path) .. " >/dev/null 2>&1 &")
    print(string.format("%s: opened %s", fname, path))
  else
    print(string.format("%s: no display to show the figure; it is saved at %s", fname, path))
  end
end

local function save_options(cfg)
  local kw = cfg:to_savefig_kwargs()
  local o = {}
  for k, v in pairs(kw) do
    if k == "dpi" or k == "format" or k == "pad_inches" then o[k] = v
    elseif k == "bbox_inches" then
      if v ~= "tight" then fail("savefig", "bbox_inches must be 'tight' or nil, got '%s'", tostring(v)) end
      o.bbox_inches = "tight"
    elseif k == "transparent" or k == "facecolor" then
      -- accepted for compatibility, figures are drawn on white
    else
      fail("savefig", "unknown savefig option '%s' (expected dpi, bbox_inches, pad_inches, format)", k)
    end
  end
  return o
end

--- Save (when save_path is set) and show (when show is set) a static
-- figure, as Python's finalize_figure does.
function M.finalize(fig, cfg, fname)
  local path = cfg.save_path
  if path then
    fig:savefig(path, save_options(cfg))
    if cfg.verbose then print("Plot saved to: " .. path) end
  end
  if cfg.show then
    if not path then
      local ext = cfg.save_format or "png"
      path = M.show_path(fname, ext)
      fig:savefig(path, save_options(cfg))
    end
    M.show_file(path, fname)
  end
  return fig
end

--- Encode an animation of `fig` (frames show the 0-based `steps`) when the
-- configuration saves or shows it.  Returns the path written, or nil.
function M.animate(fig, cfg, steps, fname, output_dpi, workers)
  local backend = cfg.render_backend
  if backend ~= nil and backend ~= "auto" and backend ~= "imageio" and backend ~= "matplotlib" then
    fail(fname, "render_backend must be 'auto', 'imageio' or 'matplotlib', got '%s'", tostring(backend))
  end
  local path = cfg.save_path
  if not path and not cfg.show then return nil end
  if not path then path = M.show_path(fname, "gif") end
  local rows = {}
  for i, s in ipairs(steps) do rows[i] = s + 1 end
  fig:animate(path, rows, {
    fps = cfg.fps, dpi = output_dpi or 150,
    workers = workers or cfg.render_workers or 0,
    progress = cfg.show_progress_bar ~= false,
    loop = cfg["repeat"] ~= false,
    label = "Rendering " .. path,
  })
  print("Animation saved to: " .. path)
  if cfg.show then M.show_file(path, fname) end
  return path
end

--- What an animation function returns (Python returns its FuncAnimation):
-- the figure and axes (to save again, e.g. `anim.figure:animate(...)`),
-- the path written (nil when nothing was saved or shown) and the 0-based
-- time steps of the frames.
function M.animation(fig, ax, path, steps)
  return {figure = fig, axes = ax, path = path, steps = steps, frames = #steps}
end

--- A new figure with one axes of the configured size.
function M.figure(cfg, polar)
  local fig = core.plot_figure{figsize = cfg.figsize}
  local ax = fig:subplot(1, 1, 1, polar and {polar = true} or nil)
  return fig, ax
end

--- Drawing options of the configuration minus the keys a function
-- consumes itself (returned separately).
function M.split_kwargs(cfg, consumed)
  local kw, own = cfg:to_matplotlib_kwargs(), {}
  for _, k in ipairs(consumed) do
    own[k] = kw[k]
    kw[k] = nil
  end
  kw.rasterized = nil -- raster output everywhere; accepted for compatibility
  return kw, own
end

--- Python's get_recommended_format(use_case).
function M.get_recommended_format(use_case)
  if use_case == "web" or use_case == "publication" or use_case == "presentation" then
    return "mp4", ".mp4"
  elseif use_case == "github" then
    return "gif", ".gif"
  end
  fail("get_recommended_format", "unknown use case '%s' (expected web, publication, "
       .. "presentation or github)", tostring(use_case))
end

return M
