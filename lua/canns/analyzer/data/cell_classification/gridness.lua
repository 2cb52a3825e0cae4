--- Grid-cell classification: the gridness score (upstream
-- `GridnessAnalyzer`, `GridnessResult` of
-- `canns.analyzer.data.cell_classification`), computed in C
-- (include/canns/gridness.h).
--
--     local an = cc.GridnessAnalyzer{threshold = 0.2}
--     local g = an:compute_gridness_score(cc.compute_2d_autocorrelation(rate_map))
--     print(g.score, g.spacing, g.orientation)
--
-- Pixel coordinates in results (`peak_locations`, the ellipse centre) are
-- 1-based like every Lua index (upstream's 0-based values plus one);
-- spacings, orientations, radii and angles are as upstream.
-- @module canns.analyzer.data.cell_classification.gridness
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"
local C = core.cellc

local M = {}

local FIELDS = {"score", "spacing", "orientation", "ellipse", "ellipse_theta_deg",
                "center_radius", "optimal_radius", "peak_locations"}

local Result = {}
Result.__index = Result
Result.__name = "GridnessResult"
function Result.__tostring(r)
  return string.format("GridnessResult(score=%.4f, center_radius=%g, optimal_radius=%g)",
                       r.score, r.center_radius, r.optimal_radius)
end

--- A gridness result: `score`, `spacing` (3), `orientation` (3, degrees),
-- `ellipse` ({cx, cy, rx, ry, theta_rad}), `ellipse_theta_deg`,
-- `center_radius`, `optimal_radius`, `peak_locations` ({n, 2} (x, y),
-- 1-based; nil when the statistics failed) and, when upstream would warn,
-- `warning`.
-- @tparam table fields the fields above
-- @treturn GridnessResult
function M.GridnessResult(fields)
  fields = A.options(fields, "GridnessResult", {"score", "spacing", "orientation", "ellipse",
    "ellipse_theta_deg", "center_radius", "optimal_radius", "peak_locations", "warning"})
  return setmetatable(fields, Result)
end

local Analyzer = {}
Analyzer.__index = Analyzer
Analyzer.__name = "GridnessAnalyzer"

--- The gridness analyzer (upstream `GridnessAnalyzer(threshold=0.2,
-- min_orientation=15.0, min_center_radius=2, num_gridness_radii=3)`).
-- Parameters by position or as a keyword table.
-- @treturn GridnessAnalyzer
function M.GridnessAnalyzer(...)
  local fn = "GridnessAnalyzer"
  local o = kw.parse(fn, 1, {"threshold", "min_orientation", "min_center_radius", "num_gridness_radii"},
                     {threshold = 0.2, min_orientation = 15.0, min_center_radius = 2, num_gridness_radii = 3}, ...)
  local self = setmetatable({}, Analyzer)
  self.threshold = A.number(o.threshold, fn, "threshold")
  self.min_orientation = A.number(o.min_orientation, fn, "min_orientation", nil, {min = 0})
  self.min_center_radius = A.number(o.min_center_radius, fn, "min_center_radius", nil, {min = 0})
  self.num_gridness_radii = A.int(o.num_gridness_radii, fn, "num_gridness_radii", nil, {min = 1, max = 100000})
  return self
end

local function params(self)
  return {threshold = self.threshold, min_orientation = self.min_orientation,
          min_center_radius = self.min_center_radius, num_gridness_radii = self.num_gridness_radii}
end

local function check_self(self, fn)
  if getmetatable(self) ~= Analyzer then
    A.fail(fn, 1, "self", "must be a GridnessAnalyzer (call it as an:%s(...)), got %s", fn, A.describe(self))
  end
end

--- Gridness of one autocorrelogram (upstream `compute_gridness_score`).
--
-- The map is normalised by its maximum; the centre field is the contour at
-- `threshold` whose mean vertex is nearest the centre pixel, radius
-- floor(sqrt(area / pi)); a radius below `min_center_radius` (or no
-- contour, or a non-positive maximum) gives a NaN result.  For every ring
-- limit rho from radius + 1 to min(h, w)//2 + 1 the annulus radius < d < rho
-- is correlated with the map rotated by 30..150 degrees,
-- g = min(r60, r120) - max(r30, r90, r150); the score is the best moving
-- mean of `num_gridness_radii` values and the optimal radius the middle of
-- that window.  Peaks of the smoothed map within 1.25 optimal radii give
-- spacing, orientation and an ellipse (NaN with a `warning` when fewer
-- than 5 peaks are found or fewer than 4 survive the orientation filter).
-- @param autocorr 2-D array (finite)
-- @treturn GridnessResult
function Analyzer:compute_gridness_score(autocorr)
  local fn = "compute_gridness_score"
  check_self(self, fn)
  autocorr = kw.array(autocorr, fn, 2, "autocorr", {ndim = 2, min_size = 1})
  return setmetatable(C.gridness(autocorr, params(self)), Result)
end

--- Gridness of a stack of autocorrelograms `{n, h, w}` in one C call
-- (OpenMP over maps; canns addition).  Returns a table of arrays:
-- `score` (n), `spacing` (n, 3), `orientation` (n, 3), `ellipse` (n, 5),
-- `ellipse_theta_deg`, `center_radius`, `optimal_radius` (n).  Each row
-- equals `compute_gridness_score` of that map.
-- @param autocorrs 3-D array
-- @treturn table
function Analyzer:compute_gridness_scores(autocorrs)
  local fn = "compute_gridness_scores"
  check_self(self, fn)
  autocorrs = kw.array(autocorrs, fn, 2, "autocorrs", {ndim = 3, min_size = 1})
  return C.gridness_batch(autocorrs, params(self))
end

return M
