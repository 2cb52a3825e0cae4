--- A layer of leaky integrate-and-fire neurons with pre- and post-synaptic
-- traces, for STDP (upstream `canns.models.brain_inspired.SpikingLayer`).
--
--     local layer = canns.models.SpikingLayer{input_size = 20, output_size = 5}
--     local spk = layer:forward(x)                 -- one step
--     local spikes = layer:forward_sequence(X)     -- (T, out), loop in C
--
-- W (output_size, input_size) starts as 0.05 N(0, 1) (global generator).
-- One step: trace_pre <- d trace_pre + x; v <- leak v + W x;
-- spike = v >= threshold; v <- v_reset where spiked; trace_post <- d
-- trace_post + spike.
-- @module canns.models.brain_inspired.spiking

local core = require "canns.core"
local A = require "canns.argcheck"
local base = require "canns.models.brain_inspired.base"

local FN = "SpikingLayer"
local Layer = base.extend(FN)
Layer.predict_state_attr = "spike"
Layer.energy = 0.0

local KEYS = {"input_size", "output_size", "threshold", "v_reset", "leak", "trace_decay", "dt"}

--- Build a layer.
-- @tparam table opts `input_size`, `output_size` (or positional 1, 2),
-- `threshold = 1`, `v_reset = 0`, `leak = 0.9`, `trace_decay = 0.95`,
-- `dt = 1` (stored, unused, as upstream)
function Layer.new(opts)
  local o = A.options(opts, FN, KEYS, {positional = true})
  local self = setmetatable({}, Layer)
  self.input_size, self.output_size = base.layer_sizes(o, FN)
  self.threshold = A.number(o.threshold, FN, "threshold", nil, {default = 1.0})
  self.v_reset = A.number(o.v_reset, FN, "v_reset", nil, {default = 0.0})
  self.leak = A.number(o.leak, FN, "leak", nil, {default = 0.9})
  self.trace_decay = A.number(o.trace_decay, FN, "trace_decay", nil, {default = 0.95})
  self.dt = A.number(o.dt, FN, "dt", nil, {default = 1.0, gt = 0})
  self.W = core.random.normal({self.output_size, self.input_size}, 0, 1) * 0.05
  self.x = core.zeros(self.input_size)
  self:reset_state()
  self._learn_kind = "spiking"
  return self
end

function Layer.describe(self)
  return string.format("input_size=%d, output_size=%d", self.input_size, self.output_size)
end

--- The LIF constants as the C kernels take them.
function Layer:lif_params()
  return {threshold = self.threshold, v_reset = self.v_reset, leak = self.leak,
          trace_decay = self.trace_decay}
end

local function state_ok(self, fname)
  local function chk(name, n)
    local a = self[name]
    if not core.isarray(a) or a:dtype() ~= "float32" or a:ndim() ~= 1 or a:size() ~= n then
      A.error(fname, "model.%s must be a float32 array of length %d, got %s", name, n, A.describe(a))
    end
  end
  chk("v", self.output_size); chk("spike", self.output_size)
  chk("trace_pre", self.input_size); chk("trace_post", self.output_size)
end

--- One time step; returns the spikes (0/1 float32).
function Layer:forward(x)
  local f = FN .. ".forward"
  x = A.array(x, f, 1, "x", {convert = true, dtype = "float", shape = {self.input_size}, finite = true})
  state_ok(self, f)
  self.x = x:astype("float32")
  self.spike = self.spike:copy()     -- a fresh array: earlier results stay valid
  core.lif_forward(self.W, self.x, self:lif_params(), self.v, self.trace_pre, self.trace_post, self.spike)
  return self.spike
end

--- Many time steps at once (rows of X, time first) inside C; returns the
-- spikes (T, output_size).  Same numbers as calling `forward` per row.
function Layer:forward_sequence(X)
  local f = FN .. ".forward_sequence"
  X = A.array(X, f, 1, "X", {convert = true, dtype = "float", shape = {-1, self.input_size}, finite = true})
  state_ok(self, f)
  X = X:astype("float32")
  self.spike = self.spike:copy()
  local spikes = core.lif_forward(self.W, X, self:lif_params(), self.v, self.trace_pre, self.trace_post, self.spike)
  if X:shape(1) > 0 then self.x = X[X:shape(1)]:copy() end
  return spikes
end

--- Zero v, spike and both traces (not x, not W).
function Layer:reset_state()
  self.v = core.zeros(self.output_size)
  self.spike = core.zeros(self.output_size)
  self.trace_pre = core.zeros(self.input_size)
  self.trace_post = core.zeros(self.output_size)
end

--- No dynamics outside `forward`.
function Layer:update(prev_energy) end

return Layer
