--- Oja's rule and Sanger's generalised Hebbian algorithm for a linear
-- layer (upstream `canns.trainer.OjaTrainer`, `canns.trainer.SangerTrainer`).
--
--     local tr = canns.trainer.OjaTrainer{model = layer, learning_rate = 0.001}
--     tr:train(X)        -- one pass over the rows of X, in order, in C
--
-- Oja: y = W x; W <- W + lr (y x^T - (y*y) 1^T * W).  Sanger: W <- W + lr
-- (y x^T - tril(y y^T) W).  Rows renormalised after each sample when
-- `normalize_weights`.  `predict(x)` is `model:forward(x)` (or W x).
-- @module canns.trainer.pca

local core = require "canns.core"
local A = require "canns.argcheck"
local B = require "canns.trainer.base"

local KEYS = {"model", "show_iteration_progress", "compiled_prediction", "learning_rate",
              "normalize_weights", "weight_attr", "compiled"}

local function make(name, kernel)
  local T = B.class(name)

  --- Build the trainer: `model`, `learning_rate = 0.01` (> 0),
  -- `normalize_weights = true`, `weight_attr = "W"`, `compiled = true`
  -- (both paths are the same C loop).
  function T.new(opts)
    local o = A.options(opts, name, KEYS, {positional = true})
    local self = B.init(T, o, name)
    self.learning_rate = B.learning_rate(o.learning_rate, name, 0.01)
    self.normalize_weights = A.boolean(o.normalize_weights, name, "normalize_weights", nil, {default = true})
    self.weight_attr = A.string(o.weight_attr, name, "weight_attr", nil, {default = "W"})
    self.compiled = A.boolean(o.compiled, name, "compiled", nil, {default = true})
    return self
  end

  --- One pass over the samples (rows of a 2-d array or a list).
  function T:train(data)
    local f = name .. ".train"
    local W = B.weights(self.model, self.weight_attr, f)
    local X = B.matrix(data, f, 1, "train_data", W:shape(2))
    core[kernel](W, X, self.learning_rate, self.normalize_weights)
  end

  --- `model:forward(x)` when the model has it, else W x.
  function T:predict(x)
    local f = name .. ".predict"
    if type(self.model.forward) == "function" then return self.model:forward(x) end
    local W = B.weights(self.model, self.weight_attr, f)
    return core.matmul(W, B.vector(x, f, 1, "pattern", W:shape(2)))
  end

  return T
end

return {
  OjaTrainer = make("OjaTrainer", "oja_train"),
  SangerTrainer = make("SangerTrainer", "sanger_train"),
}
