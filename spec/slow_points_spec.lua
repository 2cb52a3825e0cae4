-- canns.nn.RNN and canns.analyzer.slow_points against theory: the RNN's
-- analytic Jacobians against central finite differences of its own step
-- (float64 reference in Lua, 1e-3 absolute), and the fixed points of
-- h' = tanh(2 h) per unit (W_hh = 2 I, no input): x = tanh(2x) has the roots
-- 0 (slope 2, unstable) and +-x* = 0.957504... (slope 2 (1 - x*^2) = 0.1664,
-- stable), so 3 units have 27 fixed points: the 8 corners (+-x*)^3 are
-- stable (|lambda| < 1), the other 19 have |lambda_max| = 2 (spec oracle:
-- the 3-bit flip-flop's 8 stable points and its saddles; lr_init 0.05 as upstream's
-- examples choose: the default 1.0 drives the plateau schedule to lr ~ 0); bad input.
local canns = require "canns"
local sp = canns.analyzer.slow_points

local XSTAR = 0.9575040240772687 -- root of x = tanh(2x), by Newton in float64

local function diag_rnn(H, gain)
  local net = canns.nn.RNN{input_size = 1, hidden_size = H, output_size = 1, seed = 3}
  local W = {}
  for i = 1, H do W[i] = {} for j = 1, H do W[i][j] = i == j and gain or 0 end end
  net.W_hh = canns.array(W, "float32")
  net.W_ih = canns.zeros({1, H})
  return net
end

describe("canns.nn.RNN", function()
  it("analytic Jacobians equal central differences of the step", function()
    local net = canns.nn.RNN{input_size = 2, hidden_size = 5, output_size = 1, seed = 1, w_ih_scale = 0.7}
    local g = canns.random.Generator(4)
    local X, U = g:normal({3, 5}, 0, 0.5), g:normal({3, 2})
    local Fx, J, D = net:step(X, U, true)
    assert.are.same({3, 5}, Fx:shape())
    local Wih, Whh, b = net.W_ih:totable(), net.W_hh:totable(), net.b:totable()
    local function f(x, u) -- plain float64 reference of tanh(u W_ih + x W_hh + b)
      local y = {}
      for a = 1, 5 do
        local s = b[a]
        for c = 1, 5 do s = s + x[c] * Whh[c][a] end
        for i = 1, 2 do s = s + u[i] * Wih[i][a] end
        y[a] = math.tanh(s)
      end
      return y
    end
    local Xt, Ut, Jt, Dt, Ft = X:totable(), U:totable(), J:totable(), D:totable(), Fx:totable()
    local h = 1e-5
    for n = 1, 3 do
      local y = f(Xt[n], Ut[n])
      for a = 1, 5 do assert.is_true(math.abs(y[a] - Ft[n][a]) < 1e-5) end
      for c = 1, 5 do
        local xp, xm = {table.unpack(Xt[n])}, {table.unpack(Xt[n])}
        xp[c], xm[c] = xp[c] + h, xm[c] - h
        local yp, ym = f(xp, Ut[n]), f(xm, Ut[n])
        for a = 1, 5 do assert.is_true(math.abs((yp[a] - ym[a]) / (2 * h) - Jt[n][a][c]) < 1e-3) end
      end
      for i = 1, 2 do
        local up, um = {table.unpack(Ut[n])}, {table.unpack(Ut[n])}
        up[i], um[i] = up[i] + h, um[i] - h
        local yp, ym = f(Xt[n], up), f(Xt[n], um)
        for a = 1, 5 do assert.is_true(math.abs((yp[a] - ym[a]) / (2 * h) - Dt[n][a][i]) < 1e-3) end
      end
    end
  end)
end)

describe("FixedPointFinder", function()
  local function check(system, label)
    local g = canns.random.Generator(9)
    local traj = g:uniform({8, 64, 3}, -1.2, 1.2)
    local finder = sp.FixedPointFinder(system, {verbose = false, lr_init = 0.05, max_iters = 3000, tol_q = 1e-14,
                                                do_exclude_distance_outliers = false})
    local u = finder:find_fixed_points(traj, canns.zeros({1, 1}), {n_inits = 400})
    local xs, st = u.xstar:totable(), u.is_stable:totable()
    local ev = u:max_abs_eigenvalue():totable()
    local stable, seen = 0, {}
    for i = 1, u.n do
      local key = {}
      for c = 1, 3 do
        local v = xs[i][c]
        -- every coordinate is one of the three roots
        local r = math.abs(v) < 1e-2 and 0 or (v > 0 and 1 or -1)
        assert.is_true(math.abs(v - r * XSTAR) < 2e-3, label .. ": coordinate " .. v)
        key[c] = r
      end
      local k = table.concat(key, ",")
      assert.is_nil(seen[k], label .. ": duplicate " .. k)
      seen[k] = true
      local corner = key[1] ~= 0 and key[2] ~= 0 and key[3] ~= 0
      assert.are.equal(corner, st[i], label .. ": stability of " .. k)
      if corner then
        stable = stable + 1
        assert.is_true(math.abs(ev[i] - 2 * (1 - XSTAR * XSTAR)) < 2e-3)
      else
        assert.is_true(math.abs(ev[i] - 2) < 2e-3)
      end
    end
    assert.are.equal(8, stable, label)
    assert.is_true(u.n >= 20, label .. ": found " .. u.n .. " of 27")
  end
  it("finds the 8 stable corners and the saddles of tanh(2h) (RNN in C)", function()
    check(diag_rnn(3, 2.0), "rnn")
  end)
  it("finds the same from a Lua step function (finite differences)", function()
    check(function(X, U) return canns.tanh(X * 2.0) end, "lua")
  end)
  it("rejects bad input naming the argument", function()
    local net = diag_rnn(3, 2.0)
    local f = sp.FixedPointFinder(net, {verbose = false})
    testutil.fails_with("state_traj", f.find_fixed_points, f, canns.zeros({2, 3}), canns.zeros({1, 1}))
    testutil.fails_with("hidden_size", f.find_fixed_points, f, canns.zeros({2, 3, 4}), canns.zeros({1, 1}))
    testutil.fails_with("inputs", f.find_fixed_points, f, canns.zeros({2, 3, 3}), canns.zeros({1, 2}))
    testutil.fails_with("NaN", f.find_fixed_points, f, canns.zeros({2, 3, 3}), canns.full({1, 1}, 0 / 0))
    testutil.fails_with("method", sp.FixedPointFinder, net, {method = "fast"})
    testutil.fails_with("rnn", sp.FixedPointFinder, 42)
    testutil.fails_with("max_iters", sp.FixedPointFinder, net, {max_iters = -1})
  end)
  it("checkpoints round-trip the RNN's parameters", function()
    local net = canns.nn.RNN{input_size = 1, hidden_size = 4, output_size = 2, seed = 5}
    local path = testutil.tmpdir() .. "/ck.npz"
    sp.save_checkpoint(net, path)
    local other = canns.nn.RNN{input_size = 1, hidden_size = 4, output_size = 2, seed = 6}
    assert.is_true(sp.load_checkpoint(other, path))
    assert.are.equal(0, testutil.maxabs(other.W_hh, net.W_hh))
    assert.is_false(sp.load_checkpoint(other, path .. ".missing"))
  end)
end)
