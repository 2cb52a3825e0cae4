--- A vanilla tanh RNN for fixed-point analysis (the RNNs of upstream's
-- `examples/slow_points_analysis`, which are PyTorch / BrainPy modules).
--
--     h' = tanh(u W_ih + h W_hh + b),   y = h' W_out + b_out
--
-- Row-vector convention: `W_ih` (I, H), `W_hh` (H, H), `b` (H), `W_out`
-- (H, O), `b_out` (O) and a trainable initial state `h0` (H), all float32.
-- The step, its Jacobians and BPTT + Adam training run in C
-- (src/learn/rnn.c).  An RNN is a system for
-- `canns.analyzer.slow_points.FixedPointFinder` (F(x, u) = h').
-- @module canns.nn

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}
local RNN = {}
RNN.__index = RNN
RNN.__name = "canns.nn.RNN"
M.RNN = RNN

local PARAMS = {"W_ih", "W_hh", "b", "W_out", "b_out", "h0"}

-- Q of the QR decomposition of G with diag(R) > 0 (modified Gram-Schmidt),
-- the sign-corrected orthogonal initialisation of upstream's sine example.
local function orthogonal(G)
  local n = #G
  local cols = {}
  for j = 1, n do
    local v = {}
    for i = 1, n do v[i] = G[i][j] end
    for k = 1, j - 1 do
      local q, d = cols[k], 0
      for i = 1, n do d = d + q[i] * v[i] end
      for i = 1, n do v[i] = v[i] - d * q[i] end
    end
    local nr = 0
    for i = 1, n do nr = nr + v[i] * v[i] end
    nr = math.sqrt(nr)
    for i = 1, n do v[i] = v[i] / nr end
    cols[j] = v
  end
  local Q = {}
  for i = 1, n do
    Q[i] = {}
    for j = 1, n do Q[i][j] = cols[j][i] end
  end
  return Q
end

--- Build an RNN.
-- Options: `input_size`, `hidden_size`, `output_size` (required, >= 1
-- except input_size >= 0), `seed = 0`, `w_ih_scale = 0.1`,
-- `w_hh_scale = 0.5` (W_hh ~ N(0,1) * scale) or `w_hh_init = "orthogonal"`
-- with `w_hh_gain = 1.1`, `w_out_scale = 0.1`; b, b_out, h0 start at 0.
-- @treturn RNN
function M.RNN.new(opts)
  local fn = "RNN"
  local o = A.options(opts, fn, {"input_size", "hidden_size", "output_size", "seed", "w_ih_scale",
                                 "w_hh_scale", "w_hh_init", "w_hh_gain", "w_out_scale"})
  local I = A.count(o.input_size, fn, "input_size", nil, {max = 1e6})
  local H = A.count(o.hidden_size, fn, "hidden_size", nil, {min = 1, max = 1e5})
  local O = A.count(o.output_size, fn, "output_size", nil, {min = 1, max = 1e6})
  local seed = A.count(o.seed, fn, "seed", nil, {default = 0})
  local init = A.string(o.w_hh_init, fn, "w_hh_init", nil, {default = "normal"})
  if init ~= "normal" and init ~= "orthogonal" then
    A.fail(fn, "w_hh_init", nil, "must be 'normal' or 'orthogonal', got '%s'", init)
  end
  local g = core.random.Generator(seed)
  local self = setmetatable({input_size = I, hidden_size = H, output_size = O}, RNN)
  self.W_ih = g:normal({I, H}) * A.number(o.w_ih_scale, fn, "w_ih_scale", nil, {default = 0.1})
  if init == "orthogonal" then
    local Q = orthogonal(g:normal({H, H}, 0, 1, "float64"):totable())
    self.W_hh = core.array(Q, "float32") * A.number(o.w_hh_gain, fn, "w_hh_gain", nil, {default = 1.1})
  else
    self.W_hh = g:normal({H, H}) * A.number(o.w_hh_scale, fn, "w_hh_scale", nil, {default = 0.5})
  end
  self.b = core.zeros(H)
  self.W_out = g:normal({H, O}) * A.number(o.w_out_scale, fn, "w_out_scale", nil, {default = 0.1})
  self.b_out = core.zeros(O)
  self.h0 = core.zeros(H)
  return self
end
setmetatable(RNN, {__call = function(_, opts) return M.RNN.new(opts) end})

local function seq_arg(self, U, fn, arg, name, last)
  U = A.array(U, fn, arg, name, {convert = true, dtype = "float32", ndim = 3, finite = true})
  if U:shape(3) ~= last then
    A.fail(fn, arg, name, "must have shape {B, T, %d}, got %s", last, A.describe(U))
  end
  return U
end

--- Run sequences U (B, T, I) from h0: returns outputs (B, T, O) and hidden
-- states (B, T, H) (the order of upstream's `(outputs, hidden)`).
function RNN:forward(U)
  U = seq_arg(self, U, "RNN:forward", 1, "inputs", self.input_size)
  local Hs, Y = core.rnn_forward(self, U)
  return Y, Hs
end
RNN.__call = function(self, U) return self:forward(U) end

--- One step F(x, u) for n states x (n, H) and inputs u (n, I) or (1, I);
-- with `jacobians = true` also J (n, H, H), J[a][c] = dF_a/dx_c, and
-- dF/du (n, H, I).
function RNN:step(x, u, jacobians)
  return core.rnn_step(self, x, u, jacobians)
end

--- Train every parameter by BPTT on the mean squared error, Adam.
-- Options: `epochs = 500`, `batch_size = 128`, `lr = 0.08`,
-- `loss_tol = 1e-4` (stop after the first epoch whose mean loss is below),
-- `seed = 0` (the minibatch permutations), `verbose = false`.
-- @treturn array the epoch losses (float64), @treturn integer epochs run
function RNN:train(U, Y, opts)
  local fn = "RNN:train"
  U = seq_arg(self, U, fn, 1, "inputs", self.input_size)
  Y = seq_arg(self, Y, fn, 2, "targets", self.output_size)
  if Y:shape(1) ~= U:shape(1) or Y:shape(2) ~= U:shape(2) then
    A.fail(fn, 2, "targets", "must have the inputs' B and T (%d, %d), got %s", U:shape(1),
           U:shape(2), A.describe(Y))
  end
  local o = A.options(opts, fn, {"epochs", "batch_size", "lr", "loss_tol", "seed", "verbose"})
  local losses, n = core.rnn_train(self, U, Y, {
    epochs = A.count(o.epochs, fn, "epochs", nil, {default = 500}),
    batch = A.count(o.batch_size, fn, "batch_size", nil, {min = 1, default = 128}),
    lr = A.number(o.lr, fn, "lr", nil, {gt = 0, default = 0.08}),
    loss_tol = A.number(o.loss_tol, fn, "loss_tol", nil, {min = 0, default = 1e-4}),
    seed = A.count(o.seed, fn, "seed", nil, {default = 0, max = math.huge})})
  losses = n > 0 and losses:slice(1, {1, n}) or core.zeros(0, "float64")
  if o.verbose and n > 0 then
    print(string.format("Trained %d epochs, final loss %.6f", n, losses[n]))
  end
  return losses, n
end

--- The named state variables (for `save_checkpoint`): a table name -> array.
function RNN:state_dict()
  local t = {}
  for _, k in ipairs(PARAMS) do t[k] = self[k] end
  return t
end

--- Restore state variables from a table name -> array (shapes must match;
-- returns false, message on a mismatch and changes nothing).
function RNN:load_state_dict(t)
  for _, k in ipairs(PARAMS) do
    local a = t[k]
    if not core.isarray(a) then return false, "missing " .. k end
    local s, want = a:shape(), self[k]:shape()
    if #s ~= #want then return false, "bad shape for " .. k end
    for i = 1, #s do if s[i] ~= want[i] then return false, "bad shape for " .. k end end
  end
  for _, k in ipairs(PARAMS) do self[k] = t[k]:astype("float32"):copy() end
  return true
end

--- Fixed-point finder hooks: F(x) and the gradient of mean q into F, G.
function RNN:_fp_qgrad(X, U, F, G) core.rnn_qgrad(self, X, U, F, G) end
--- Fixed-point finder hooks: Jacobians at (X, U).
function RNN:_fp_jacobians(X, U)
  local _, J, D = core.rnn_step(self, X, U, true)
  return J, D
end

return M
