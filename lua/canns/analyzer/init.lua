--- Analyzers of model activity and experimental data.
-- Sub-modules: `canns.analyzer.tda` (persistent homology, null model).
-- @module canns.analyzer
return {
  tda = require "canns.analyzer.tda",
  visualization = require "canns.analyzer.visualization",
}
