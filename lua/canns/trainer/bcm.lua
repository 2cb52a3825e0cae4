--- The BCM rule with a sliding threshold (upstream
-- `canns.trainer.BCMTrainer`, its compiled path).
--
-- Per sample, from the W before the sample's update: y = W x;
-- W <- clip(W + lr (y (y - theta)) x^T, -10, 10); theta <- theta + alpha
-- (y^2 - theta), alpha = 1 / model.threshold_tau (1 when <= 0; tau 100
-- when the model has none).  The model must have `theta`.
-- @module canns.trainer.bcm

local core = require "canns.core"
local A = require "canns.argcheck"
local B = require "canns.trainer.base"

local NAME = "BCMTrainer"
local T = B.class(NAME)
local KEYS = {"model", "show_iteration_progress", "compiled_prediction", "learning_rate",
              "weight_attr", "compiled"}

--- Build the trainer: `model`, `learning_rate = 0.01` (> 0),
-- `weight_attr = "W"`, `compiled = true`.
function T.new(opts)
  local o = A.options(opts, NAME, KEYS, {positional = true})
  local self = B.init(T, o, NAME)
  self.learning_rate = B.learning_rate(o.learning_rate, NAME, 0.01)
  self.weight_attr = A.string(o.weight_attr, NAME, "weight_attr", nil, {default = "W"})
  self.compiled = A.boolean(o.compiled, NAME, "compiled", nil, {default = true})
  return self
end

--- One pass over the samples; writes W and theta back.
function T:train(data)
  local f = NAME .. ".train"
  local m = self.model
  local W = B.weights(m, self.weight_attr, f)
  local th = m.theta
  if not core.isarray(th) then
    A.error(f, "the model must have a 'theta' array for BCM learning (LinearLayer{use_bcm_threshold = true})")
  end
  if th:ndim() ~= 1 or th:size() ~= W:shape(1) then
    A.error(f, "model.theta must have length %d, got %s", W:shape(1), A.describe(th))
  end
  th = th:astype("float32"):copy()
  local X = B.matrix(data, f, 1, "train_data", W:shape(2))
  local tau = m.threshold_tau
  if tau == nil then tau = 100.0 end
  tau = A.number(tau, f, nil, "model.threshold_tau")
  core.bcm_train(W, th, X, self.learning_rate, tau)
  m.theta = th
end

--- `model:forward(x)` when the model has it, else W x.
function T:predict(x)
  local f = NAME .. ".predict"
  if type(self.model.forward) == "function" then return self.model:forward(x) end
  local W = B.weights(self.model, self.weight_attr, f)
  return core.matmul(W, B.vector(x, f, 1, "pattern", W:shape(2)))
end

return {BCMTrainer = T}
