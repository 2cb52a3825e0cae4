--- Small helpers of the trainers (upstream `canns.trainer.utils`).
-- @module canns.trainer.utils

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

--- (1 - alpha) avg + alpha new, alpha = 1/tau (1 when tau <= 0).
function M.compute_running_average(avg, new, tau)
  tau = A.number(tau, "compute_running_average", 3, "tau")
  local alpha = tau > 0 and 1.0 / tau or 1.0
  return avg * (1 - alpha) + new * alpha
end

--- Each row divided by its L2 norm (norms below 1e-10 by 1).
function M.normalize_weight_rows(W)
  W = A.array(W, "normalize_weight_rows", 1, "W", {convert = true, dtype = "float", ndim = 2})
  local norms = core.sqrt(core.sum(W * W, 2)):reshape(W:shape(1), 1)
  norms = core.where(norms:lt(1e-10), 1.0, norms)
  return W / norms
end

--- An (n, size) float32 buffer of -inf.
function M.initialize_spike_buffer(num_neurons, buffer_size)
  num_neurons = A.count(num_neurons, "initialize_spike_buffer", 1, "num_neurons", {max = 1 << 24})
  buffer_size = A.count(buffer_size, "initialize_spike_buffer", 2, "buffer_size", {max = 1 << 24})
  return core.full({num_neurons, buffer_size}, -math.huge)
end

--- Row `i` (1-based) shifted left by one with `t` in the last column; a new buffer.
function M.update_spike_buffer(buffer, i, t)
  buffer = A.array(buffer, "update_spike_buffer", 1, "buffer", {dtype = "float", ndim = 2})
  i = A.int(i, "update_spike_buffer", 2, "neuron_idx", {min = 1, max = buffer:shape(1)})
  t = A.number(t, "update_spike_buffer", 3, "spike_time", {inf = true})
  local out = buffer:copy()
  local n = buffer:shape(2)
  for j = 1, n - 1 do out[{i, j}] = buffer[{i, j + 1}] end
  if n > 0 then out[{i, n}] = t end
  return out
end

--- exp(-dt/tau_plus) for dt > 0, else -exp(dt/tau_minus) (dt = 0 is depression).
function M.stdp_kernel(dt, tau_plus, tau_minus)
  dt = A.number(dt, "stdp_kernel", 1, "delta_t")
  tau_plus = A.number(tau_plus, "stdp_kernel", 2, "tau_plus", {default = 20.0, gt = 0})
  tau_minus = A.number(tau_minus, "stdp_kernel", 3, "tau_minus", {default = 20.0, gt = 0})
  if dt > 0 then return math.exp(-dt / tau_plus) end
  return -math.exp(dt / tau_minus)
end

--- `stdp_kernel` elementwise over an array.
function M.stdp_kernel_vec(dt, tau_plus, tau_minus)
  dt = A.array(dt, "stdp_kernel_vec", 1, "delta_t", {convert = true, dtype = "float"})
  tau_plus = A.number(tau_plus, "stdp_kernel_vec", 2, "tau_plus", {default = 20.0, gt = 0})
  tau_minus = A.number(tau_minus, "stdp_kernel_vec", 3, "tau_minus", {default = 20.0, gt = 0})
  return core.where(dt:gt(0), core.exp(-dt / tau_plus), -core.exp(dt / tau_minus))
end

return M
