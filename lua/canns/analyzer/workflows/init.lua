--- Higher-level analyses composed of the analyzers (upstream
-- `canns.analyzer.workflows`): `summarize_torus_topology`,
-- `summarize_shuffle_topology`, `analyze_auto_grid_threshold` (and its
-- `_workflow` alias), `compare_phase_centers_workflow`,
-- `plot_phase_center_comparison`.
-- @module canns.analyzer.workflows
local M = {}
for _, name in ipairs({"canns.analyzer.workflows.auto_grid_threshold",
                       "canns.analyzer.workflows.phase_center_comparison"}) do
  for k, v in pairs(require(name)) do
    if k:sub(1, 1) ~= "_" then M[k] = v end
  end
end
return M
