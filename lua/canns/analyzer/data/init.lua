--- Analysis of experimental and synthetic neural data (upstream
-- `canns.analyzer.data`).  Sub-modules:
-- `canns.analyzer.data.cell_classification` (gridness, head direction,
-- spatial information, BTN, grid modules) and `canns.analyzer.data.asa`
-- (Attractor Structure Analysis).
-- @module canns.analyzer.data
return {
  cell_classification = require "canns.analyzer.data.cell_classification",
  asa = require "canns.analyzer.data.asa",
}
