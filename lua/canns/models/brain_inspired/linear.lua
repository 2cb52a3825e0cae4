--- A linear layer y = W x for Oja, Sanger and BCM learning (upstream
-- `canns.models.brain_inspired.LinearLayer`).
--
--     local layer = canns.models.LinearLayer{input_size = 50, output_size = 3}
--     local y = layer:forward(x)      -- stores x and y
--
-- W (output_size, input_size) starts as 0.01 N(0, 1) from the global
-- generator; x and y at zeros; with `use_bcm_threshold`, theta at 0.1.
-- @module canns.models.brain_inspired.linear

local core = require "canns.core"
local A = require "canns.argcheck"
local base = require "canns.models.brain_inspired.base"

local FN = "LinearLayer"
local Layer = base.extend(FN)
Layer.predict_state_attr = "y"
Layer.energy = 0.0

local KEYS = {"input_size", "output_size", "use_bcm_threshold", "threshold_tau"}

--- Build a layer.
-- @tparam table opts `input_size`, `output_size` (or positional 1, 2),
-- `use_bcm_threshold = false`, `threshold_tau = 100`
function Layer.new(opts)
  local o = A.options(opts, FN, KEYS, {positional = true})
  local self = setmetatable({}, Layer)
  self.input_size, self.output_size = base.layer_sizes(o, FN)
  self.use_bcm_threshold = A.boolean(o.use_bcm_threshold, FN, "use_bcm_threshold", nil, {default = false})
  self.threshold_tau = A.number(o.threshold_tau, FN, "threshold_tau", nil, {default = 100.0})
  self.W = core.random.normal({self.output_size, self.input_size}, 0, 1) * 0.01
  self.x = core.zeros(self.input_size)
  self.y = core.zeros(self.output_size)
  if self.use_bcm_threshold then self.theta = core.full(self.output_size, 0.1) end
  self._learn_kind = "linear"
  return self
end

function Layer.describe(self)
  return string.format("input_size=%d, output_size=%d", self.input_size, self.output_size)
end

--- y = W x (x stored as float32); returns y.
function Layer:forward(x)
  x = A.array(x, FN .. ".forward", 1, "x", {convert = true, dtype = "float", shape = {self.input_size}})
  self.x = x:astype("float32")
  self.y = core.matmul(self.W, self.x)
  return self.y
end

--- BCM threshold: theta <- theta + alpha (y^2 - theta), alpha = 1/tau
-- (1 when tau <= 0).  Only with `use_bcm_threshold`.
function Layer:update_threshold()
  if not self.theta then return end
  local alpha = self.threshold_tau > 0 and 1.0 / self.threshold_tau or 1.0
  self.theta = self.theta + (self.y * self.y - self.theta) * alpha
end

--- No dynamics: the output is computed by `forward`.
function Layer:update(prev_energy) end

--- New sizes: W zero-filled (top-left block kept when preserving), theta
-- resized (new entries 0.1), x and y zeroed.
function Layer:resize(input_size, output_size, preserve_submatrix)
  local f = FN .. ".resize"
  input_size = A.count(input_size, f, 1, "input_size", {min = 1, max = 1 << 24})
  output_size = A.count(output_size or self.output_size, f, 2, "output_size", {min = 1, max = 1 << 24})
  if preserve_submatrix == nil then preserve_submatrix = true end
  self.W = core.resize_matrix(preserve_submatrix and self.W or nil, output_size, input_size)
  if self.theta then
    local th = core.full(output_size, 0.1)
    if preserve_submatrix then
      for i = 1, math.min(output_size, self.theta:size()) do th[i] = self.theta[i] end
    end
    self.theta = th
  end
  self.input_size, self.output_size = input_size, output_size
  self.x = core.zeros(input_size)
  self.y = core.zeros(output_size)
end

return Layer
