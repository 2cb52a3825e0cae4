--- Analyzers of model activity and experimental data.
-- Sub-modules: `canns.analyzer.tda` (persistent homology, null model),
-- `canns.analyzer.data` (cell classification, `asa`), `canns.analyzer.workflows`.
-- @module canns.analyzer
return {
  metrics = require "canns.analyzer.metrics",
  tda = require "canns.analyzer.tda",
  data = require "canns.analyzer.data",
  visualization = require "canns.analyzer.visualization",
  workflows = require "canns.analyzer.workflows",
  slow_points = require "canns.analyzer.slow_points",
}
