--- Head-direction cell classification (upstream `HeadDirectionAnalyzer`,
-- `HDCellResult` of `canns.analyzer.data.cell_classification`).
--
--     local an = cc.HeadDirectionAnalyzer{mvl_hd_threshold = 0.3, strict_mode = false}
--     local r = an:classify_hd_cell(spike_times, head_directions, time_stamps)
--     print(r.is_hd, r.mvl_hd, r.preferred_direction, r.rayleigh_p)
-- @module canns.analyzer.data.cell_classification.head_direction
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local geo = require "canns.analyzer.data.cell_classification.geometry"
local C = core.cellc

local M = {}

local Result = {}
Result.__index = Result
Result.__name = "HDCellResult"
function Result.__tostring(r)
  return string.format("HDCellResult(is_hd=%s, mvl_hd=%.4f, preferred_direction=%.4f, rayleigh_p=%.3g)",
                       tostring(r.is_hd), r.mvl_hd, r.preferred_direction, r.rayleigh_p)
end

--- A head-direction result: `is_hd`, `mvl_hd`, `preferred_direction`
-- (rad), `mvl_theta` (nil without theta phases), `tuning_curve`
-- ({bin_centers, firing_rates}), `rayleigh_p`.
-- @tparam table fields
-- @treturn HDCellResult
function M.HDCellResult(fields)
  fields = A.options(fields, "HDCellResult", {"is_hd", "mvl_hd", "preferred_direction", "mvl_theta",
                                              "tuning_curve", "rayleigh_p"})
  return setmetatable(fields, Result)
end

local Analyzer = {}
Analyzer.__index = Analyzer
Analyzer.__name = "HeadDirectionAnalyzer"

--- The analyzer (upstream `HeadDirectionAnalyzer(mvl_hd_threshold=0.4,
-- mvl_theta_threshold=0.3, strict_mode=True, n_bins=60)`).
-- @treturn HeadDirectionAnalyzer
function M.HeadDirectionAnalyzer(...)
  local fn = "HeadDirectionAnalyzer"
  local o = kw.parse(fn, 1, {"mvl_hd_threshold", "mvl_theta_threshold", "strict_mode", "n_bins"},
                     {mvl_hd_threshold = 0.4, mvl_theta_threshold = 0.3, strict_mode = true, n_bins = 60}, ...)
  local self = setmetatable({}, Analyzer)
  self.mvl_hd_threshold = A.number(o.mvl_hd_threshold, fn, "mvl_hd_threshold")
  self.mvl_theta_threshold = A.number(o.mvl_theta_threshold, fn, "mvl_theta_threshold")
  self.strict_mode = A.boolean(o.strict_mode, fn, "strict_mode")
  self.n_bins = A.int(o.n_bins, fn, "n_bins", nil, {min = 1, max = 1000000})
  return self
end

local function check_self(self, fn)
  if getmetatable(self) ~= Analyzer then
    A.fail(fn, 1, "self", "must be a HeadDirectionAnalyzer (call it as an:%s(...)), got %s", fn, A.describe(self))
  end
end

local function vec(v, fn, arg, name)
  local a = kw.array(v, fn, arg, name, {})
  if a:ndim() > 1 then A.fail(fn, arg, name, "must be 1-D, got %s", A.describe(a)) end
  return core.array(a, "float64"):reshape({-1})
end

local function median_dt(ts, fn)
  local n = ts:size()
  if n < 2 then A.fail(fn, 4, "time_stamps", "must hold at least 2 samples, got %d", n) end
  local t = ts:totable()
  local d = {}
  for i = 1, n - 1 do
    d[i] = t[i + 1] - t[i]
    if not (d[i] >= 0) then A.fail(fn, 4, "time_stamps", "must be finite and non-decreasing (sample %d)", i + 1) end
  end
  table.sort(d)
  local m = #d
  return m % 2 == 1 and d[(m + 1) // 2] or (d[m // 2] + d[m // 2 + 1]) / 2
end

--- Head-direction tuning curve (upstream `compute_tuning_curve`): edges
-- linspace(-pi, pi, n_bins + 1); occupancy = median dt times samples per
-- bin (digitize - 1, clipped to the bins); spike directions interpolated
-- at the spike times; rate = counts / occupancy where occupancy > 0.
-- @param spike_times 1-D
-- @param head_directions 1-D (rad), one per time stamp
-- @param time_stamps 1-D, non-decreasing
-- @param[opt] ... `n_bins` (the analyzer's)
-- @return bin_centers, firing_rates, occupancy (float64 arrays)
function Analyzer:compute_tuning_curve(spike_times, head_directions, time_stamps, ...)
  local fn = "compute_tuning_curve"
  check_self(self, fn)
  local o = kw.parse(fn, 5, {"n_bins"}, {}, ...)
  local nb = o.n_bins == nil and self.n_bins or A.int(o.n_bins, fn, "n_bins", nil, {min = 1, max = 1000000})
  local st = vec(spike_times, fn, 2, "spike_times")
  local hd = vec(head_directions, fn, 3, "head_directions")
  local ts = vec(time_stamps, fn, 4, "time_stamps")
  if hd:size() ~= ts:size() then
    A.fail(fn, 3, "head_directions", "must have one value per time stamp (%d), got %d", ts:size(), hd:size())
  end
  local dt = median_dt(ts, fn)
  local e = {}
  local step = 2 * math.pi / nb
  for i = 0, nb - 1 do e[i + 1] = i * step - math.pi end
  e[nb + 1] = math.pi
  local centers = {}
  for i = 1, nb do centers[i] = (e[i] + e[i + 1]) / 2 end
  local edges = core.array(e, "float64")
  local occ = C.digitize_counts(hd, edges) * dt
  local spike_hd = C.interp(st, ts, hd)
  local counts = C.digitize_counts(spike_hd, edges)
  local valid = core.gt(occ, 0)
  local rates = core.where(valid, counts / core.where(valid, occ, 1), 0)
  return core.array(centers, "float64"), rates, occ
end

--- Mean vector length of angles (upstream `compute_mvl` = circ_r).
function Analyzer:compute_mvl(angles, weights)
  check_self(self, "compute_mvl")
  return geo.circ_r(angles, {w = weights})
end

--- Classify one cell (upstream `classify_hd_cell`): mvl_hd = circ_r of the
-- bin centres weighted by the rates, preferred direction = circ_mean,
-- Rayleigh p = circ_rtest (n = number of bins); with theta phases the
-- unweighted mvl of the interpolated spike phases; is_hd = mvl_hd >
-- threshold, and in strict mode with theta data also mvl_theta > its
-- threshold.
-- @return HDCellResult
function Analyzer:classify_hd_cell(spike_times, head_directions, time_stamps, ...)
  local fn = "classify_hd_cell"
  check_self(self, fn)
  local o = kw.parse(fn, 5, {"theta_phases"}, {}, ...)
  local centers, rates = self:compute_tuning_curve(spike_times, head_directions, time_stamps)
  local mvl = geo.circ_r(centers, {w = rates})
  local pref = geo.circ_mean(centers, {w = rates})
  local p = geo.circ_rtest(centers, rates)
  local mvl_theta
  if o.theta_phases ~= nil then
    local th = vec(o.theta_phases, fn, "theta_phases")
    local ts = vec(time_stamps, fn, 4, "time_stamps")
    if th:size() ~= ts:size() then
      A.fail(fn, "theta_phases", nil, "must have one value per time stamp (%d), got %d", ts:size(), th:size())
    end
    local sp = C.interp(vec(spike_times, fn, 2, "spike_times"), ts, th)
    if sp:size() == 0 then mvl_theta = 0 / 0 else mvl_theta = geo.circ_r(sp) end
  end
  local is_hd = mvl > self.mvl_hd_threshold
  if self.strict_mode and mvl_theta ~= nil then is_hd = is_hd and mvl_theta > self.mvl_theta_threshold end
  return setmetatable({is_hd = is_hd, mvl_hd = mvl, preferred_direction = pref, mvl_theta = mvl_theta,
                       tuning_curve = {centers, rates}, rayleigh_p = p}, Result)
end

return M
