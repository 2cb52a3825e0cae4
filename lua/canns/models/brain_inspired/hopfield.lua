--- Amari-Hopfield associative memory (upstream
-- `canns.models.brain_inspired.AmariHopfieldNetwork`).
--
--     local net = canns.models.AmariHopfieldNetwork{num_neurons = 100}
--     net.W, net.s            -- float32 (N, N) weights and (N) state
--     net:update()            -- one step: sync s <- act(W s - threshold)
--     print(net.energy, net.storage_capacity)
--
-- The state starts at all ones and W at zeros.  `activation` is "sign"
-- (sign(0) = 0), "tanh" (tanh(h/T)) or "sigmoid" (1/(1+exp(-h/T))).
-- @module canns.models.brain_inspired.hopfield

local core = require "canns.core"
local A = require "canns.argcheck"
local base = require "canns.models.brain_inspired.base"

local FN = "AmariHopfieldNetwork"
local Net = base.extend(FN)

local KEYS = {"num_neurons", "asyn", "threshold", "activation", "temperature"}

--- Build a network.
-- @tparam table opts `num_neurons` (or positional 1), `asyn = false`,
-- `threshold = 0`, `activation = "sign"`, `temperature = 1`
function Net.new(opts)
  if type(opts) == "number" then opts = {opts} end
  local o = A.options(opts, FN, KEYS, {positional = true})
  local n = o.num_neurons
  if o[1] ~= nil then
    if n ~= nil then A.error(FN, "num_neurons given both by position and by name") end
    n = o[1]
  end
  if #o > 1 then A.error(FN, "takes one positional argument (num_neurons), got %d", #o) end
  n = A.count(n, FN, "num_neurons", nil, {min = 1, max = 65536})
  local self = setmetatable({}, Net)
  self.num_neurons = n
  self.asyn = A.boolean(o.asyn, FN, "asyn", nil, {default = false})
  self.threshold = A.number(o.threshold, FN, "threshold", nil, {default = 0.0})
  self.activation = A.string(o.activation, FN, "activation", nil,
                             {default = "sign", choices = {"sign", "tanh", "sigmoid"}})
  self.temperature = A.number(o.temperature, FN, "temperature", nil, {default = 1.0})
  if self.activation ~= "sign" and self.temperature == 0 then
    A.fail(FN, "temperature", nil, "must be non-zero for the %s activation, got 0", self.activation)
  end
  self.s = core.ones(n)
  self.W = core.zeros({n, n})
  self._learn_kind = "hopfield"
  return self
end

function Net.describe(self)
  return string.format("num_neurons=%d, asyn=%s, activation=%s", self.num_neurons,
                       tostring(self.asyn), self.activation)
end

--- The options of the C recall kernel for this network.
function Net:recall_options(order)
  return {activation = self.activation, threshold = self.threshold,
          temperature = self.temperature, asyn = self.asyn, order = order}
end

--- A random update order (0-based, int64) for the asynchronous update.
function Net:draw_order()
  return core.random.permutation(self.num_neurons) - 1
end

local function check_state(self, fname)
  local s, W = self.s, self.W
  if not core.isarray(s) or s:dtype() ~= "float32" or s:ndim() ~= 1 or s:size() ~= self.num_neurons then
    A.error(fname, "model.s must be a float32 array of length %d, got %s", self.num_neurons, A.describe(s))
  end
  if not core.isarray(W) or W:dtype() ~= "float32" or W:ndim() ~= 2
     or W:shape(1) ~= self.num_neurons or W:shape(2) ~= self.num_neurons then
    A.error(fname, "model.W must be a float32 array of shape {%d, %d}, got %s", self.num_neurons,
            self.num_neurons, A.describe(W))
  end
end

--- One update of the state (`prev_energy` is ignored, as upstream).
-- Synchronous: all neurons from the old state; asynchronous: one neuron at
-- a time in a fresh random order.
function Net:update(prev_energy)
  check_state(self, FN .. ".update")
  core.hopfield_recall(self.W, self.s, 1, self:recall_options(self.asyn and self:draw_order() or nil))
end

--- `net.energy`: -0.5 s^T W s + threshold * sum(s).
Net.props.energy = function(self)
  check_state(self, FN .. ".energy")
  return core.hopfield_energy(self.W, self.s, self.threshold)
end

--- `net.storage_capacity`: max(1, floor(0.14 N)).
Net.props.storage_capacity = function(self)
  return math.max(1, math.floor(0.14 * self.num_neurons))
end

--- Overlap p . q / N of two patterns.
function Net:compute_overlap(p, q)
  p = A.array(p, FN .. ".compute_overlap", 1, "pattern1", {convert = true, shape = {self.num_neurons}})
  q = A.array(q, FN .. ".compute_overlap", 2, "pattern2", {convert = true, shape = {self.num_neurons}})
  return core.dot(p:astype("float64"), q:astype("float64")) / self.num_neurons
end

--- Re-dimension to `n` neurons: W becomes (n, n) with the top-left block
-- of the old W kept when `preserve_submatrix` (default true), then its
-- diagonal zeroed; s becomes ones(n).
function Net:resize(n, preserve_submatrix)
  n = A.count(n, FN .. ".resize", 1, "num_neurons", {min = 1, max = 65536})
  if preserve_submatrix == nil then preserve_submatrix = true end
  local W = self.W
  if n == self.num_neurons and preserve_submatrix and core.isarray(W) and W:dtype() == "float32"
     and W:ndim() == 2 and W:shape(1) == n and W:shape(2) == n then
    core.zero_diagonal(W)           -- in place: no copy of a large matrix
  else
    local keep = preserve_submatrix and core.isarray(W) and W:ndim() == 2 and W:astype("float32") or nil
    W = core.resize_matrix(keep, n, n)
    core.zero_diagonal(W)
    self.W = W
  end
  self.num_neurons = n
  self.s = core.ones(n)
end

return Net
