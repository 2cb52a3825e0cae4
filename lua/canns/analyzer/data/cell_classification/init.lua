--- Cell classification (upstream
-- `canns.analyzer.data.cell_classification`): grid cells (gridness),
-- head-direction cells, spatial information, and the image, geometry and
-- circular-statistics primitives they share.  Numbers come from C
-- (include/canns/image.h); see docs/cell_classification.md.
--
--     local cc = canns.analyzer.data.cell_classification
--     local ac = cc.compute_2d_autocorrelation(rate_map)       -- overlap 0.8
--     local r = cc.rotate_image(ac, 30, {output_shape = ac:shape()})
--
-- Optional parameters follow upstream's names and order: pass them by
-- position or as one trailing keyword table.
-- @module canns.analyzer.data.cell_classification
local M = {}
local parts = {
  "canns.analyzer.data.cell_classification.image",
  "canns.analyzer.data.cell_classification.geometry",
  "canns.analyzer.data.cell_classification.gridness",
  "canns.analyzer.data.cell_classification.spatial",
  "canns.analyzer.data.cell_classification.head_direction",
  "canns.analyzer.data.cell_classification.matlab_loader",
  "canns.analyzer.data.cell_classification.btn",
  "canns.analyzer.data.cell_classification.btn_synthetic",
  "canns.analyzer.data.cell_classification.btn_plots",
  "canns.analyzer.data.cell_classification.grid_plots",
  "canns.analyzer.data.cell_classification.hd_plots",
  "canns.analyzer.data.cell_classification.grid_modules",
}
for _, p in ipairs(parts) do
  for k, v in pairs(require(p)) do
    assert(M[k] == nil, k)
    M[k] = v
  end
end
return M
