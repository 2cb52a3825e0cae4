--- Bump fits to fly ROI data (upstream `canns.analyzer.data.asa.fly_roi`):
-- `BumpFitsConfig`, `roi_bump_fits` (the MCMC over von Mises bumps, in
-- C), `CANN1DPlotConfig` and `create_1d_bump_animation`.
--
--     local asa = canns.analyzer.data.asa
--     local bumps, fits, nbump, centrbump = asa.roi_bump_fits(data, asa.BumpFitsConfig{n_steps = 2000, random_seed = 1})
--     asa.create_1d_bump_animation(fits, {save_path = "out/bump.gif", show = false})
-- @module canns.analyzer.data.asa.fly_roi

local A = require "canns.argcheck"
local core = require "canns.core"
local cfgmod = require "canns.analyzer.data.asa.config"
local vconfig = require "canns.analyzer.visualization.config"
local render = require "canns.analyzer.visualization.render"

local M = {}

local function int_in(lo, hi)
  return function(v, f, k) return A.int(v, f, k, nil, {min = lo, max = hi}) end
end
local function positive(v, f, k) return A.number(v, f, k, nil, {gt = 0}) end
local function finite(v, f, k) return A.number(v, f, k) end

--- The MCMC's settings (upstream `BumpFitsConfig`): `n_steps` 20000
-- sweeps, `n_roi` 16, `n_bump_max` 4 (at most 16 here), `sigma_diff` 0.5
-- (position step), `ampli_min` 2.0 (a new bump's amplitude), `kappa_mean`
-- 2.5 (a new bump's concentration), `sig2` 1.0 (residual variance),
-- `penbump` 0.4 (penalty per bump), `jc` 1.8 (coupling weight), `beta`
-- 5.0 (inverse temperature), `random_seed` nil (nil: the draws come from
-- canns.random's generator).
-- @function BumpFitsConfig
M.BumpFitsConfig = cfgmod._make_class("BumpFitsConfig", {
  n_steps = {20000, int_in(0, 1e9)},
  n_roi = {16, int_in(1, 1e6)},
  n_bump_max = {4, int_in(1, 16)},
  sigma_diff = {0.5, positive},
  ampli_min = {2.0, positive},
  kappa_mean = {2.5, positive},
  sig2 = {1.0, positive},
  penbump = {0.4, finite},
  jc = {1.8, finite},
  beta = {5.0, positive},
  random_seed = {nil, int_in(0, math.maxinteger)},
})

local SiteBump = {}
SiteBump.__index = SiteBump
SiteBump.__name = "SiteBump"

--- One time point's bumps (upstream `SiteBump`): `nbump`, lists `pos`,
-- `ampli`, `kappa` and the site log-likelihood `logl`; empty when new.
-- @function SiteBump
M.SiteBump = setmetatable({}, {__call = function()
  return setmetatable({nbump = 0, pos = {}, ampli = {}, kappa = {}, logl = 0.0}, SiteBump)
end})

--- A copy with its own lists (upstream `SiteBump.clone`).
function SiteBump:clone()
  local c = M.SiteBump()
  c.nbump, c.logl = self.nbump, self.logl
  for i = 1, self.nbump do c.pos[i], c.ampli[i], c.kappa[i] = self.pos[i], self.ampli[i], self.kappa[i] end
  return c
end

--- Fit bumps to a ring of ROIs over time by MCMC (upstream `roi_bump_fits`).
-- The data are normalised as `data / median(data) - 1`; each sweep visits
-- every time point in order and proposes a birth (probability 0.01), a
-- death (0.01 per bump), a move, a width or an amplitude change, accepted
-- by Metropolis on the site likelihood plus the coupling to the
-- neighbouring time points.
-- @param data (T, n_roi) array or nested table of ROI signals (finite, median not 0)
-- @param[opt] config a `BumpFitsConfig` or a table of its fields
-- @string[opt] save_path an `.npz` to write `fits`, `nbump`, `centrbump` to
-- @treturn table bumps: per time point `{nbump, pos, ampli, kappa, logl}` (upstream's `SiteBump`)
-- @treturn array fits (n, 4): rows `{t, position, amplitude, kappa}`, t from 0 as upstream
-- @treturn array nbump (T, n_roi + 2): rows `{t, count, predicted signal of each ROI}`
-- @treturn array centrbump (sum of count x n_roi, 2): rows `{bump position - ROI angle (wrapped), data / amplitude}`
function M.roi_bump_fits(data, config, save_path)
  local F = "roi_bump_fits"
  local c = cfgmod.coerce(config, M.BumpFitsConfig, F, 2)
  data = A.array(data, F, 1, "data", {convert = true, ndim = 2, finite = true})
  if data:shape(2) ~= c.n_roi then
    A.fail(F, 1, "data", "must have n_roi = %d columns (one per ROI), got %s", c.n_roi, A.describe(data))
  end
  if data:shape(1) < 1 then A.fail(F, 1, "data", "must hold at least one time point, got %s", A.describe(data)) end
  data = data:astype("float64")
  if save_path ~= nil then A.string(save_path, F, 3, "save_path") end
  local opts = {n_steps = c.n_steps, n_roi = c.n_roi, n_bump_max = c.n_bump_max, sigma_diff = c.sigma_diff,
                ampli_min = c.ampli_min, kappa_mean = c.kappa_mean, sig2 = c.sig2, penbump = c.penbump,
                jc = c.jc, beta = c.beta}
  local fits, nb, centr, count, pos, ampli, kappa, logl =
    core.asa.roi_bump_fits(data, opts, c.random_seed)
  local bumps = {}
  local T = count:size()
  local cnt, P, Am, K, Lg = count:totable(), pos:totable(), ampli:totable(), kappa:totable(), logl:totable()
  for t = 1, T do
    local b = M.SiteBump()
    b.nbump, b.logl = math.tointeger(cnt[t]), Lg[t]
    for i = 1, b.nbump do b.pos[i], b.ampli[i], b.kappa[i] = P[t][i], Am[t][i], K[t][i] end
    bumps[t] = b
  end
  if save_path then
    local dir = save_path:match("^(.*)/[^/]*$")
    if dir and dir ~= "" then core.mkdir(dir) end
    require("canns.io").save_npz(save_path, {fits = fits, nbump = nb, centrbump = centr})
  end
  return bumps, fits, nb, centr
end

local EXTRA = {max_height_value = 0.5, max_width_range = 40, npoints = 300, nframes = false,
               bump_selection = "strongest"}

local function check_extra(cfg, F)
  A.number(cfg.max_height_value, F, "max_height_value", nil, {gt = 0.1})
  A.int(cfg.max_width_range, F, "max_width_range", nil, {min = 2, max = 100000})
  A.int(cfg.npoints, F, "npoints", nil, {min = 3, max = 1000000})
  if cfg.nframes ~= nil then A.int(cfg.nframes, F, "nframes", nil, {min = 1}) end
  A.string(cfg.bump_selection, F, "bump_selection", nil, {choices = {"strongest", "first"}})
end

local function cann1d_config(kw, defaults, F)
  kw = kw or {}
  A.table(kw, F, 2, "config")
  local base, extra = {}, {}
  for k, v in pairs(defaults) do base[k] = v end
  for k, v in pairs(kw) do
    if EXTRA[k] ~= nil then extra[k] = v else base[k] = v end
  end
  local cfg = vconfig.new(base, F)
  for k, v in pairs(EXTRA) do
    local x = extra[k]
    if x == nil then x = v end
    if x ~= false then rawset(cfg, k, x) end
  end
  check_extra(cfg, F)
  return cfg
end

--- A PlotConfig with the 1-D bump animation's fields (upstream
-- `CANN1DPlotConfig`): `max_height_value` 0.5, `max_width_range` 40,
-- `npoints` 300, `nframes` nil (every fitted time), `bump_selection`
-- "strongest" (or "first"), and every PlotConfig field.
-- @tparam[opt] table kw fields
M.CANN1DPlotConfig = setmetatable({}, {__call = function(_, kw)
  return cann1d_config(kw, {}, "CANN1DPlotConfig")
end})

--- The animation's preset (upstream `CANN1DPlotConfig.for_bump_animation`):
-- title "1D CANN Bump Animation", figsize {4, 4}, fps 5, no repeat.
function M.CANN1DPlotConfig.for_bump_animation(kw)
  return cann1d_config(kw, {title = "1D CANN Bump Animation", figsize = {4, 4}, fps = 5, ["repeat"] = false,
                            show_progress_bar = true}, "CANN1DPlotConfig.for_bump_animation")
end

-- numpy.convolve(x, ones(w) / w, "same") (its length is max(n, w))
local function moving_average(x, w)
  local n = #x
  local full = {}
  for k = 0, n + w - 2 do
    local s = 0.0
    for m = math.max(0, k - w + 1), math.min(n - 1, k) do s = s + x[m + 1] / w end
    full[k] = s
  end
  local len = math.max(n, w)
  local start = (n + w - 1 - len) // 2
  local out = {}
  for i = 1, len do out[i] = full[start + i - 1] end
  return out
end

local function minmax(v, n)
  local lo, hi = math.huge, -math.huge
  for i = 1, n do lo, hi = math.min(lo, v[i]), math.max(hi, v[i]) end
  return lo, hi
end

-- numpy.interp(v, (lo, hi), (a, b)) for lo < hi
local function interp(v, lo, hi, a, b)
  if v <= lo then return a end
  if v >= hi then return b end
  return a + (v - lo) * (b - a) / (hi - lo)
end

--- Animate the strongest (or first) fitted bump of each time point as a
-- bulge on the unit circle (upstream `create_1d_bump_animation`): its
-- position, amplitude and concentration are 3-point moving averages;
-- heights are mapped to [0.1, max_height_value], widths to integers in
-- [2, max_width_range]; a black dot marks the direction.  Writes
-- `save_path` (.gif or .mp4) at 100 dpi.
-- @param fits (n, 4) array `{t, position, amplitude, kappa}` as `roi_bump_fits` gives
-- @param[opt] config a `CANN1DPlotConfig` or a table of its fields (`save_path`, `show`, ...)
-- @treturn table the animation record `{figure, axes, path, steps, frames}`
function M.create_1d_bump_animation(fits, config)
  local F = "create_1d_bump_animation"
  local cfg
  if type(config) == "table" and vconfig.is_config(config) then
    cfg = config
    check_extra(cfg, F)
  else
    cfg = M.CANN1DPlotConfig.for_bump_animation(config)
  end
  fits = A.array(fits, F, 1, "fits", {convert = true, finite = true})
  if fits:size() == 0 then A.fail(F, 1, "fits", "holds no bump (an empty array)") end
  if fits:ndim() ~= 2 or fits:shape(2) ~= 4 then
    A.fail(F, 1, "fits", "must be an (n, 4) array {t, position, amplitude, kappa}, got %s", A.describe(fits))
  end
  if not cfg.save_path and not cfg.show then A.error(F, "either save_path or show must be given") end
  local rows = fits:astype("float64"):totable()
  -- the distinct times in order; per time its rows
  local by, times = {}, {}
  for _, r in ipairs(rows) do
    local t = math.tointeger(r[1] >= 0 and math.floor(r[1]) or math.ceil(r[1]))
    if not by[t] then by[t] = {}; times[#times + 1] = t end
    by[t][#by[t] + 1] = r
  end
  table.sort(times)
  local nframes = cfg.nframes
  if nframes == nil or nframes > #times then nframes = #times end
  local pr, hr, wr = {}, {}, {}
  for i = 1, nframes do
    local list, best = by[times[i]], 1
    if cfg.bump_selection == "strongest" then
      for k = 2, #list do if list[k][3] > list[best][3] then best = k end end
    end
    pr[i], hr[i], wr[i] = list[best][2], list[best][3], list[best][4]
  end
  local positions, hs, ws = moving_average(pr, 3), moving_average(hr, 3), moving_average(wr, 3)
  local nh, nw = #hs, #ws
  local hlo, hhi = minmax(hs, nh)
  local wlo, whi = minmax(ws, nw)
  local npts = cfg.npoints
  local theta = {}
  for i = 1, npts do theta[i] = 2 * math.pi * (i - 1) / npts end
  local Xd, Yd, Dx, Dy = {}, {}, {}, {}
  for f = 1, nframes do
    local p = positions[f]
    local h = hhi - hlo > 0 and interp(hs[f], hlo, hhi, 0.1, cfg.max_height_value) or 0.1
    local w = whi - wlo > 0 and math.tointeger(math.floor(interp(ws[f], wlo, whi, 2, cfg.max_width_range)))
              or cfg.max_width_range // 2
    local c, bd = 1, math.huge
    for i = 1, npts do
      local d = math.abs(theta[i] - p)
      if d < bd then c, bd = i, d end
    end
    local r = {}
    for i = 1, npts do r[i] = 1.0 end
    local sigma = w / 2
    for o = -60, 60 do -- numpy's r[idx] += ...: a repeated index takes the last value
      local g = math.exp(-(o * o) / (2 * sigma * sigma))
      if g >= 0.01 then
        local idx = (c - 1 + o) % npts + 1
        r[idx] = 1.0 + h * g
      end
    end
    local xr, yr = {}, {}
    for i = 1, npts do
      local s = 0.0
      for k = -2, 2 do s = s + r[(i - 1 + k) % npts + 1] end
      local rr = s / 5
      xr[i], yr[i] = rr * math.cos(theta[i]), rr * math.sin(theta[i])
    end
    Xd[f], Yd[f] = xr, yr
    Dx[f], Dy[f] = {0.96 * math.cos(p)}, {0.96 * math.sin(p)}
  end
  local X, Y = core.array(Xd, "float64"), core.array(Yd, "float64")
  local fig, ax = render.figure(cfg)
  ax:set_xlim(-1.8, 1.8)
  ax:set_ylim(-1.8, 1.8)
  ax:axis("off")
  ax:set_title(cfg.title, {fontsize = 14, fontweight = "bold"})
  local cx, cy = {}, {}
  for i = 1, npts do cx[i], cy[i] = math.cos(theta[i]), math.sin(theta[i]) end
  ax:plot(cx, cy, {color = "gray", linestyle = "--", linewidth = 1})
  ax:plot(X, Y, {color = "red", linewidth = 2})
  ax:plot(core.array(Dx, "float64"), core.array(Dy, "float64"),
          {marker = "o", color = "black", markersize = 6, linestyle = "none"})
  local steps = {}
  for f = 1, nframes do steps[f] = f - 1 end
  local path = render.animate(fig, cfg, steps, F, 100)
  local anim = render.animation(fig, ax, path, steps)
  anim.positions, anim.curves_x, anim.curves_y = positions, X, Y
  return anim
end

return M
