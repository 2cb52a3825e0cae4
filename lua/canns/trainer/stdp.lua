--- Trace-based spike-timing-dependent plasticity for a LIF layer (upstream
-- `canns.trainer.STDPTrainer`, its compiled path).
--
--     local tr = canns.trainer.STDPTrainer{model = layer, learning_rate = 0.02}
--     tr:train(seq)      -- seq: (T, input_size), the time loop runs in C
--
-- Each `train` restarts v and both traces at zero, then per step runs the
-- layer (see SpikingLayer) and W <- clip(W + lr (A_plus spk trace_pre^T -
-- A_minus trace_post x^T), w_min, w_max), both traces including the step.
-- The final W, v and traces are written to the model.
-- @module canns.trainer.stdp

local core = require "canns.core"
local A = require "canns.argcheck"
local B = require "canns.trainer.base"

local NAME = "STDPTrainer"
local T = B.class(NAME)
local KEYS = {"model", "show_iteration_progress", "compiled_prediction", "learning_rate",
              "A_plus", "A_minus", "weight_attr", "w_min", "w_max", "compiled"}

--- Build the trainer: `model`, `learning_rate = 0.01` (> 0),
-- `A_plus = 0.005`, `A_minus = 0.00525`, `weight_attr = "W"`,
-- `w_min = 0`, `w_max = 1`, `compiled = true`.
function T.new(opts)
  local o = A.options(opts, NAME, KEYS, {positional = true})
  local self = B.init(T, o, NAME)
  self.learning_rate = B.learning_rate(o.learning_rate, NAME, 0.01)
  self.A_plus = A.number(o.A_plus, NAME, "A_plus", nil, {default = 0.005})
  self.A_minus = A.number(o.A_minus, NAME, "A_minus", nil, {default = 0.00525})
  self.weight_attr = A.string(o.weight_attr, NAME, "weight_attr", nil, {default = "W"})
  self.w_min = A.number(o.w_min, NAME, "w_min", nil, {default = 0.0})
  self.w_max = A.number(o.w_max, NAME, "w_max", nil, {default = 1.0})
  if not (self.w_max >= self.w_min) then
    A.fail(NAME, "w_max", nil, "must be >= w_min (%s), got %s", A.describe(self.w_min), A.describe(self.w_max))
  end
  if self.w_min > self.w_max then
    A.fail(NAME, "w_max", nil, "must be >= w_min (%s), got %s", tostring(self.w_min), tostring(self.w_max))
  end
  self.compiled = A.boolean(o.compiled, NAME, "compiled", nil, {default = true})
  return self
end

--- Train on one sequence (rows = time steps).
function T:train(data)
  local f = NAME .. ".train"
  local m = self.model
  local W = B.weights(m, self.weight_attr, f)
  if m.trace_pre == nil then A.error(f, "the model must have 'trace_pre' for STDP learning") end
  if m.trace_post == nil then A.error(f, "the model must have 'trace_post' for STDP learning") end
  local X = B.matrix(data, f, 1, "train_data", W:shape(2))
  local function num(k, d) local v = m[k]; if v == nil then v = d end; return A.number(v, f, nil, "model." .. k) end
  local lif = {trace_decay = num("trace_decay", 0.95), threshold = num("threshold", 1.0),
               v_reset = num("v_reset", 0.0), leak = num("leak", 0.9)}
  local out, inp = W:shape(1), W:shape(2)
  local v, tpre, tpost, spk = core.zeros(out), core.zeros(inp), core.zeros(out), core.zeros(out)
  core.stdp_train(W, X, lif, {learning_rate = self.learning_rate, A_plus = self.A_plus,
                              A_minus = self.A_minus, w_min = self.w_min, w_max = self.w_max},
                  v, tpre, tpost, spk)
  m.v, m.trace_pre, m.trace_post = v, tpre, tpost
end

--- `model:forward(x)` (stateful) when the model has it, else (W x >= threshold).
function T:predict(x)
  local f = NAME .. ".predict"
  if type(self.model.forward) == "function" then return self.model:forward(x) end
  local W = B.weights(self.model, self.weight_attr, f)
  local thr = self.model.threshold or 1.0
  return core.matmul(W, B.vector(x, f, 1, "pattern", W:shape(2))):ge(thr):astype("float32")
end

return {STDPTrainer = T}
