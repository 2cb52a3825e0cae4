-- Integration oracle of the fixed-point finder (the 3-bit flip-flop):
-- the tanh RNN of examples/flipflop_fixed_points.lua trained to loss
-- < 1e-4 stores its 2^3 memories as exactly 8 stable fixed points
-- (|lambda_max| < 1), one near each corner of the target cube (the readout
-- of each is a +-1 pattern, all 8 patterns distinct), and every other fixed
-- point is a saddle with |lambda_max| > 1.
local canns = require "canns"
local sp = canns.analyzer.slow_points
local FF = dofile(testutil.source_dir .. "/examples/lib/flipflop_data.lua")

describe("3-bit flip-flop fixed points", function()
  it("8 stable memories, the rest saddles", function()
    local g = canns.random.Generator(42)
    local U, Y = FF.generate(g, 512, 64, 3, 0.5)
    local Ut = FF.generate(g, 128, 64, 3, 0.5)
    local net = canns.nn.RNN{input_size = 3, hidden_size = 4, output_size = 3, seed = 42}
    local losses, n = net:train(U, Y, {epochs = 500, batch_size = 128, lr = 0.08, loss_tol = 1e-4, seed = 42})
    assert.is_true(losses[n] < 1e-4)
    local _, H = net:forward(Ut)
    local f = sp.FixedPointFinder(net, {lr_init = 0.02, tol_q = 1e-4, final_q_threshold = 1e-6,
                                        tol_unique = 1e-2, verbose = false})
    local uq = f:find_fixed_points(H, canns.zeros({1, 3}), {n_inits = 1024, noise_scale = 0.4})
    local st, lam = uq.is_stable:totable(), uq:max_abs_eigenvalue():totable()
    local X = uq.xstar:astype("float64"):totable()
    local Wout, bout = net.W_out:astype("float64"):totable(), net.b_out:astype("float64"):totable()
    local seen, stable = {}, 0
    for i = 1, uq.n do
      if st[i] then
        stable = stable + 1
        assert.is_true(lam[i] < 1)
        local key = ""
        for k = 1, 3 do
          local y = bout[k]
          for a = 1, 4 do y = y + X[i][a] * Wout[a][k] end
          assert.is_true(math.abs(math.abs(y) - 1) < 0.05, "readout " .. y)
          key = key .. (y > 0 and "+" or "-")
        end
        assert.is_nil(seen[key])
        seen[key] = true
      else
        assert.is_true(lam[i] > 1)
      end
    end
    assert.are.equal(8, stable)
    assert.is_true(uq.n > 8)
  end)
end)
