--- Tasks: input sequences for the models.
--
-- Tracking tasks (upstream `canns.task.tracking`): `SmoothTracking1D/2D`,
-- `PopulationCoding1D/2D`, `TemplateMatching1D/2D`, `CustomTracking1D/2D`
-- (see canns.task.tracking and docs/tasks.md); navigation tasks:
-- `OpenLoopNavigationTask`, `CustomOpenLoopNavigationTask`,
-- `RasterScanNavigationTask`, the T-maze variants, `ClosedLoopNavigationTask`
-- and the movement-cost grid with geodesic distances.
-- @module canns.task

local M = {}

local tracking = require "canns.task.tracking"
for _, name in ipairs({ "SmoothTracking1D", "SmoothTracking2D", "PopulationCoding1D",
                        "PopulationCoding2D", "TemplateMatching1D", "TemplateMatching2D",
                        "CustomTracking1D", "CustomTracking2D" }) do
  M[name] = tracking[name]
end
M.tracking = tracking

-- Other task families (navigation, ...) register below, one line each.

-- Navigation (docs/tasks.md): open- and closed-loop tasks on canns.spatial.
local open_loop = require "canns.task.open_loop"
for _, name in ipairs({ "OpenLoopNavigationTask", "CustomOpenLoopNavigationTask",
                        "RasterScanNavigationTask", "TMazeOpenLoopNavigationTask",
                        "TMazeRecessOpenLoopNavigationTask", "StateAwareRasterScanPolicy",
                        "ActionPolicy", "OpenLoopNavigationData", "map2pi" }) do
  M[name] = open_loop[name]
end
local closed_loop = require "canns.task.closed_loop"
for _, name in ipairs({ "ClosedLoopNavigationTask", "TMazeClosedLoopNavigationTask",
                        "TMazeRecessClosedLoopNavigationTask" }) do
  M[name] = closed_loop[name]
end
local nav_base = require "canns.task.navigation_base"
M.BaseNavigationTask = nav_base.BaseNavigationTask
M.MovementCostGrid, M.GeodesicDistanceResult = nav_base.MovementCostGrid, nav_base.GeodesicDistanceResult
require "canns.task.navigation_plot"
M.open_loop_navigation, M.closed_loop_navigation = open_loop, closed_loop

return M
