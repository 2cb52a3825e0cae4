--- Tasks: input sequences for the models.
--
-- Tracking tasks (upstream `canns.task.tracking`): `SmoothTracking1D/2D`,
-- `PopulationCoding1D/2D`, `TemplateMatching1D/2D`, `CustomTracking1D/2D`
-- (see canns.task.tracking and docs/tasks.md).
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

return M
