-- The n-bit flip-flop task of examples/flipflop_fixed_points.lua (and the
-- learning benchmark): per trial, time step and channel a pulse with
-- probability p (every channel pulses at step 1) of random sign; the
-- target is the sign of the latest pulse on that channel.  Draws from the
-- generator `g` (canns.random.Generator), so consecutive calls give the
-- train, validation and test sets of one stream.
local canns = require "canns"

local M = {}

--- inputs, targets: float32 arrays (n_trials, n_time, n_bits).
function M.generate(g, n_trials, n_time, n_bits, p)
  p = p or 0.5
  local pulse = g:uniform({n_trials, n_time, n_bits}):lt(p):totable()
  local sign = g:uniform({n_trials, n_time, n_bits}):lt(0.5):totable()
  local U, Y = {}, {}
  for b = 1, n_trials do
    local ub, yb, last = {}, {}, {}
    for t = 1, n_time do
      local ut, yt = {}, {}
      for k = 1, n_bits do
        local on = t == 1 or pulse[b][t][k]
        local v = on and (sign[b][t][k] and 1 or -1) or 0
        if v ~= 0 then last[k] = v end
        ut[k], yt[k] = v, last[k]
      end
      ub[t], yb[t] = ut, yt
    end
    U[b], Y[b] = ub, yb
  end
  return canns.array(U, "float32"), canns.array(Y, "float32")
end

return M
