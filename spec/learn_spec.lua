-- Brain-inspired models and trainers: upstream fixtures (made by
-- scripts/fixtures/make_learn_fixtures.py with canns 1.5.0), plain Lua
-- references for the C fast paths, science checks and bad inputs.
local canns = require "canns"
local core = canns.core

local function fx(case, name) return canns.load(testutil.fixture("learn/" .. case .. "/" .. name .. ".npy")) end
local function maxabs(a, b) return canns.max(canns.abs(a:astype("float64") - b:astype("float64"))) end

-- Plain references (array operations, no learning kernel) -----------------
local function ref_hebbian(W, X, sign, subtract_mean, normalize, zero_diag)
  local T = X:astype("float64")
  if subtract_mean then T = T - canns.mean(T) end
  local D = canns.matmul(T:transpose(), T)
  if normalize then D = D / X:shape(1) end
  local out = W:astype("float64") + D * sign
  if zero_diag then for i = 1, out:shape(1) do out[{i, i}] = 0 end end
  return out
end

local function ref_sign_recall(W, s, iters)
  local Wd = W:astype("float64")
  for _ = 1, iters do s = canns.sign(canns.matmul(Wd, s:astype("float64"))) end
  return s
end

local function pm1(shape, p) return canns.where(canns.random.uniform(shape):lt(p or 0.5), 1.0, -1.0) end

local function flip(X, frac)
  return canns.where(canns.random.uniform(X:shape()):lt(frac), -X, X)
end

describe("AmariHopfieldNetwork + HebbianTrainer", function()
  it("matches upstream storage and sign recall (fixture)", function()
    local pats = fx("hebbian_sign", "patterns")
    local net = canns.models.AmariHopfieldNetwork{num_neurons = pats:shape(2)}
    local tr = canns.trainer.HebbianTrainer{model = net}
    tr:train(pats)
    assert.is_true(maxabs(net.W, fx("hebbian_sign", "W")) < 1e-6)
    local out = tr:predict_batch(fx("hebbian_sign", "probes"), {num_iter = 20})
    assert.is_true(canns.array_equal(out, fx("hebbian_sign", "recalled")))
    local an = canns.analyzer.HopfieldAnalyzer{model = net}
    local E = fx("hebbian_sign", "energies")
    for i = 1, out:shape(1) do
      assert.is_true(math.abs(an:compute_energy(out[i]) - E[i]) < 1e-4 * math.abs(E[i]))
    end
  end)

  it("matches upstream raw Hebbian and anti-Hebbian (fixture)", function()
    local pats = fx("hebbian_raw", "patterns")
    local net = canns.models.AmariHopfieldNetwork{num_neurons = pats:shape(2)}
    canns.trainer.HebbianTrainer{net, subtract_mean = false, normalize_by_patterns = false}:train(pats)
    assert.is_true(canns.array_equal(net.W, fx("hebbian_raw", "W_raw")))
    canns.trainer.AntiHebbianTrainer{net, subtract_mean = false, normalize_by_patterns = false}:train({pats[2]})
    assert.is_true(canns.array_equal(net.W, fx("hebbian_raw", "W_anti")))
  end)

  for _, act in ipairs{"tanh", "sigmoid"} do
    it("matches upstream " .. act .. " recall with a threshold (fixture)", function()
      local c = "hopfield_" .. act
      local pats = fx(c, "patterns")
      local net = canns.models.AmariHopfieldNetwork{num_neurons = pats:shape(2), activation = act,
                                                    temperature = act == "tanh" and 0.5 or 2.0,
                                                    threshold = 0.1}
      local tr = canns.trainer.HebbianTrainer{model = net}
      tr:train(pats)
      assert.is_true(maxabs(net.W, fx(c, "W")) < 1e-6)
      local out = tr:predict_batch(fx(c, "probes"), {num_iter = 10})
      assert.is_true(maxabs(out, fx(c, "recalled")) < 2e-5)
      -- the model's state is the last recall; energy with the threshold term
      local e = fx(c, "energy_last"):item()
      assert.is_true(math.abs(net.energy - e) < 1e-4 * (1 + math.abs(e)))
    end)
  end

  it("the rank-P update equals the plain outer-product sum (symmetric and general W)", function()
    canns.random.seed(3)
    local X = pm1({7, 40})
    for _, opts in ipairs{{true, true, true}, {false, false, false}, {true, false, true}} do
      for _, sym in ipairs{true, false} do
        local W0 = canns.random.normal({40, 40})
        if sym then W0 = (W0 + W0:transpose()) * 0.5 end
        local W = W0:copy()
        core.hebbian_update(W, X, {sign = -1, subtract_mean = opts[1], normalize = opts[2],
                                   zero_diagonal = opts[3]})
        assert.is_true(maxabs(W, ref_hebbian(W0, X, -1, opts[1], opts[2], opts[3])) < 1e-5)
      end
    end
  end)

  it("batched synchronous recall equals a plain per-probe loop", function()
    canns.random.seed(4)
    local N = 300
    local pats = pm1({30, N})
    local net = canns.models.AmariHopfieldNetwork{num_neurons = N}
    local tr = canns.trainer.HebbianTrainer{model = net, subtract_mean = false, normalize_by_patterns = false}
    tr:train(pats)  -- integer weights: both paths are exact
    local probes = flip(pats, 0.3)
    local out = tr:predict_batch(probes, {num_iter = 5})
    for i = 1, probes:shape(1) do
      assert.is_true(canns.array_equal(out[i], ref_sign_recall(net.W, probes[i], 5):astype("float32")))
    end
  end)

  it("a Lua model plugs into the generic predict loop with the same result", function()
    canns.random.seed(5)
    local N = 64
    local pats = pm1({4, N})
    local Lm = {W = canns.zeros({N, N}), s = canns.ones(N), calls = 0}
    function Lm:update() self.calls = self.calls + 1; self.s = canns.sign(canns.matmul(self.W, self.s)) end
    function Lm:energy() return -0.5 * canns.dot(self.s, canns.matmul(self.W, self.s)) end
    local tr = canns.trainer.HebbianTrainer{model = Lm}
    tr:train(pats)
    local net = canns.models.AmariHopfieldNetwork{num_neurons = N}
    local tr2 = canns.trainer.HebbianTrainer{model = net}
    tr2:train(pats)
    assert.is_true(maxabs(Lm.W, net.W) == 0)
    local probe = flip(pats, 0.2)[2]
    local a, b = tr:predict(probe, {num_iter = 7}), tr2:predict(probe, {num_iter = 7})
    assert.are.equal(7, Lm.calls)
    assert.is_true(canns.array_equal(a, b))
  end)

  it("recalls P << 0.138 N patterns from 10% flips exactly, degrades gracefully above", function()
    canns.random.seed(11)
    local N = 500
    local pats = pm1({25, N})          -- 0.05 N
    local net = canns.models.AmariHopfieldNetwork{num_neurons = N}
    local tr = canns.trainer.HebbianTrainer{model = net}
    tr:train(pats)
    assert.is_true(canns.array_equal(tr:predict_batch(flip(pats, 0.1)), pats))
    -- asynchronous recall finds the same memories
    net.asyn = true
    assert.is_true(canns.array_equal(tr:predict_batch(flip(pats, 0.1), {num_iter = 5}), pats))
    -- 0.3 N patterns: not all recalled, mean overlap well below 1, no error
    local many = pm1({150, N})
    local net2 = canns.models.AmariHopfieldNetwork{num_neurons = N}
    local tr2 = canns.trainer.HebbianTrainer{model = net2}
    tr2:train(many)
    local out = tr2:predict_batch(flip(many, 0.1))
    local ov = canns.mean(canns.sum(out * many, 2) / N)
    assert.is_true(ov < 0.9 and ov > -1)
  end)

  it("resize keeps the top-left block, zeroes the diagonal and resets s", function()
    local net = canns.models.AmariHopfieldNetwork{4}
    net.W = canns.arange(16):reshape(4, 4):astype("float32")
    net.s = canns.full(4, -1)
    net:resize(3)
    assert.is_true(canns.array_equal(net.W, canns.array({{0, 1, 2}, {4, 0, 6}, {8, 9, 0}})))
    assert.is_true(canns.array_equal(net.s, canns.ones(3)))
    assert.are.equal(3, net.num_neurons)
    net:resize(5, false)
    assert.are.equal(0, canns.sum(canns.abs(net.W)))
    assert.are.equal(1, net.storage_capacity)
    assert.are.equal(14, canns.models.AmariHopfieldNetwork{100}.storage_capacity)
  end)

  it("HopfieldAnalyzer statistics", function()
    canns.random.seed(2)
    local pats = pm1({10, 100})
    local net = canns.models.AmariHopfieldNetwork{num_neurons = 100}
    canns.trainer.HebbianTrainer{model = net}:train(pats)
    local an = canns.analyzer.HopfieldAnalyzer{model = net, stored_patterns = pats}
    local st = an:get_statistics()
    assert.are.equal(10, st.num_patterns); assert.are.equal(14, st.capacity_estimate)
    assert.is_true(math.abs(st.capacity_usage - 10 / 14) < 1e-12)
    local W = net.W:astype("float64")
    local e1 = -0.5 * canns.dot(pats[1]:astype("float64"), canns.matmul(W, pats[1]:astype("float64")))
    assert.is_true(math.abs(an.pattern_energies[1] - e1) < 1e-9 * math.abs(e1))
    assert.is_true(st.min_pattern_energy <= st.mean_pattern_energy)
    assert.is_true(an:compute_weight_symmetry_error() < 1e-7)
    local r = an:analyze_recall(pats[3], pats[3])
    assert.are.equal(3, r.best_match_idx); assert.are.equal(1, r.best_match_overlap)
  end)
end)

describe("LinearLayer + Oja / Sanger / BCM", function()
  for _, case in ipairs{"oja", "sanger"} do
    local cls = case == "oja" and "OjaTrainer" or "SangerTrainer"
    it(cls .. " matches upstream after one pass (fixture)", function()
      local X, W0 = fx(case, "X"), fx(case, "W0")
      for _, norm in ipairs{true, false} do
        local layer = canns.models.LinearLayer{W0:shape(2), W0:shape(1)}
        layer.W = W0:copy()
        canns.trainer[cls]{model = layer, learning_rate = 0.01, normalize_weights = norm}:train(X)
        assert.is_true(maxabs(layer.W, fx(case, norm and "W_norm" or "W_raw")) < 2e-5)
      end
    end)
  end

  it("BCMTrainer matches upstream W and theta (fixture)", function()
    local W0 = fx("bcm", "W0")
    local layer = canns.models.LinearLayer{W0:shape(2), W0:shape(1), use_bcm_threshold = true, threshold_tau = 5}
    layer.W = W0:copy()
    canns.trainer.BCMTrainer{layer, learning_rate = 0.02}:train(fx("bcm", "X"))
    assert.is_true(maxabs(layer.W, fx("bcm", "W")) < 1e-4)
    assert.is_true(maxabs(layer.theta, fx("bcm", "theta")) < 1e-4 * (1 + canns.max(fx("bcm", "theta"))))
  end)

  -- leading eigenvectors of the sample covariance by power iteration with deflation
  local function top_eigvecs(X, k)
    local Xd = X:astype("float64")
    local C = canns.matmul(Xd:transpose(), Xd) / X:shape(1)
    local vs = {}
    for j = 1, k do
      local v = canns.ones(C:shape(1), "float64")
      for _ = 1, 500 do
        for _, u in ipairs(vs) do v = v - u * canns.dot(u, v) end
        v = canns.matmul(C, v); v = v / math.sqrt(canns.dot(v, v))
      end
      vs[j] = v
    end
    return vs
  end

  local function pca_data(n)
    canns.random.seed(21)
    local scales = canns.array({3.0, 2.2, 1.5, 0.8, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.2, 0.1})
    local R = canns.random.normal({12, 12}, 0, 1, "float64")  -- random rotation via Gram-Schmidt
    local Q = {}
    for i = 1, 12 do
      local v = R[i]:copy()
      for _, u in ipairs(Q) do v = v - u * canns.dot(u, v) end
      Q[i] = v / math.sqrt(canns.dot(v, v))
    end
    local Qm = canns.concatenate((function() local t = {} for i = 1, 12 do t[i] = Q[i]:reshape(1, 12) end return t end)(), 1)
    local Z = canns.random.normal({n, 12}, 0, 1, "float64") * scales:astype("float64")
    return canns.matmul(Z, Qm):astype("float32")
  end

  it("Oja converges to the first principal component, Sanger's rows to the first k", function()
    local X = pca_data(4000)
    local vs = top_eigvecs(X, 3)
    local oja = canns.models.LinearLayer{12, 1}
    local tr = canns.trainer.OjaTrainer{model = oja, learning_rate = 0.002}
    for _ = 1, 3 do tr:train(X) end
    local w = oja.W[1]:astype("float64")
    assert.is_true(math.abs(canns.dot(w, vs[1])) / math.sqrt(canns.dot(w, w)) > 0.99)
    local san = canns.models.LinearLayer{12, 3}
    local ts = canns.trainer.SangerTrainer{model = san, learning_rate = 0.002}
    for _ = 1, 6 do ts:train(X) end
    for i = 1, 3 do
      local r = san.W[i]:astype("float64")
      assert.is_true(math.abs(canns.dot(r, vs[i])) / math.sqrt(canns.dot(r, r)) > 0.99)
    end
  end)

  it("BCM develops selectivity for one of several input patterns", function()
    canns.random.seed(8)
    local d = 16
    local protos = {}
    for j = 1, 4 do
      local p = canns.zeros(d)
      for i = (j - 1) * 4 + 1, j * 4 do p[i] = 1 end
      protos[j] = p:reshape(1, d)
    end
    local rows = {}
    for i = 1, 2000 do rows[i] = protos[canns.random.randint(1, 1, 5)[1]] end
    local X = canns.concatenate(rows, 1)
    local layer = canns.models.LinearLayer{d, 1, use_bcm_threshold = true, threshold_tau = 5}
    layer.W = canns.full({1, d}, 0.15) + canns.random.uniform({1, d}, 0, 0.05)
    local tr = canns.trainer.BCMTrainer{layer, learning_rate = 0.002}
    local resp0 = {}
    for j = 1, 4 do resp0[j] = canns.dot(layer.W[1], protos[j]:reshape(d)) end
    table.sort(resp0)
    assert.is_true(resp0[1] > 0.5 * resp0[4])      -- not selective at the start
    for _ = 1, 10 do tr:train(X) end
    local resp = {}
    for j = 1, 4 do resp[j] = canns.dot(layer.W[1], protos[j]:reshape(d)) end
    table.sort(resp)
    -- one prototype wins (response ~ theta's fixed point), the others die out
    assert.is_true(resp[4] > 1.0 and math.abs(resp[3]) < 0.05 * resp[4])
    assert.is_true(math.abs(resp[1]) < 0.05 * resp[4])
  end)

  it("forward and update_threshold follow the formulas; resize", function()
    local layer = canns.models.LinearLayer{3, 2, use_bcm_threshold = true, threshold_tau = 4}
    layer.W = canns.array({{1, 2, 3}, {0, -1, 1}})
    local y = layer:forward({1, 1, 1})
    assert.is_true(canns.array_equal(y, canns.array({6, 0})))
    layer:update_threshold()
    assert.is_true(canns.allclose(layer.theta, canns.array({0.1 + (36 - 0.1) / 4, 0.1 - 0.1 / 4})))
    layer:resize(4, 3)
    assert.are.same({3, 4}, layer.W:shape())
    assert.is_true(canns.array_equal(layer.W, canns.array({{1, 2, 3, 0}, {0, -1, 1, 0}, {0, 0, 0, 0}})))
    assert.is_true(math.abs(layer.theta[3] - 0.1) < 1e-7)
  end)
end)

describe("SpikingLayer + STDPTrainer", function()
  it("forward and STDP match upstream (fixture)", function()
    local W0, seq = fx("stdp", "W0"), fx("stdp", "seq")
    local mk = function()
      local l = canns.models.SpikingLayer{W0:shape(2), W0:shape(1), threshold = 0.8, leak = 0.95, trace_decay = 0.9}
      l.W = W0:copy()
      return l
    end
    local l = mk()
    local spikes = l:forward_sequence(seq)
    assert.is_true(canns.array_equal(spikes, fx("stdp", "fwd_spikes")))
    assert.is_true(canns.sum(spikes) > 0)
    assert.is_true(maxabs(l.v, fx("stdp", "fwd_v")) < 1e-5)
    assert.is_true(maxabs(l.trace_pre, fx("stdp", "fwd_trace_pre")) < 1e-5)
    assert.is_true(maxabs(l.trace_post, fx("stdp", "fwd_trace_post")) < 1e-5)
    -- step by step gives the same
    local l2 = mk()
    for t = 1, seq:shape(1) do assert.is_true(canns.array_equal(l2:forward(seq[t]), spikes[t])) end
    local l3 = mk()
    canns.trainer.STDPTrainer{l3, learning_rate = 0.5, A_plus = 0.05, A_minus = 0.0525}:train(seq)
    assert.is_true(maxabs(l3.W, fx("stdp", "W")) < 1e-5)
    assert.is_true(maxabs(l3.W, W0) > 1e-3)
    for _, k in ipairs{"v", "trace_pre", "trace_post"} do
      assert.is_true(maxabs(l3[k], fx("stdp", k)) < 1e-5)
    end
  end)

  it("a sparse spike sequence trains as a plain dense loop does", function()
    -- the C loop skips the inputs that did not fire for silent neurons;
    -- this plain Lua loop updates every weight every step
    canns.random.seed(3)
    local T, nin, nout = 120, 30, 6
    local X = canns.where(canns.random.uniform({T, nin}):lt(0.1), 1.0, 0.0)
    local l = canns.models.SpikingLayer{nin, nout, threshold = 0.6, leak = 0.9, trace_decay = 0.9}
    local W = l.W:astype("float64")
    local tr = canns.trainer.STDPTrainer{l, learning_rate = 0.5, A_plus = 0.05, A_minus = 0.0525}
    tr:train(X)
    local v, tpre, tpost, spikes = {}, {}, {}, 0
    for i = 1, nout do v[i], tpost[i] = 0, 0 end
    for j = 1, nin do tpre[j] = 0 end
    for t = 1, T do
      for j = 1, nin do tpre[j] = 0.9 * tpre[j] + X[{t, j}] end
      for i = 1, nout do
        local s = 0
        for j = 1, nin do s = s + W[{i, j}] * X[{t, j}] end
        local vi = 0.9 * v[i] + s
        local spk = vi >= 0.6 and 1 or 0
        spikes = spikes + spk
        v[i] = spk == 1 and 0 or vi
        tpost[i] = 0.9 * tpost[i] + spk
        for j = 1, nin do
          local nv = W[{i, j}] + 0.5 * (0.05 * spk * tpre[j] - 0.0525 * tpost[i] * X[{t, j}])
          W[{i, j}] = math.min(1, math.max(0, nv))
        end
      end
    end
    assert.is_true(spikes > 10)                 -- the neurons fire: both paths run
    assert.is_true(maxabs(l.W, W) < 1e-5)       -- float32 against float64 round-off
    testutil.fails_with("option 'w_max' must be >= w_min", canns.trainer.STDPTrainer,
                        {l, w_min = 0.5, w_max = 0.2})
  end)

  it("the sparse steps' input currents are the dense loop's bits", function()
    -- with a learning rate too small to move any weight, STDP's layer state
    -- must equal forward_sequence's (whose dot products are always dense)
    canns.random.seed(8)
    local T, nin, nout = 200, 256, 16
    local X = canns.where(canns.random.uniform({T, nin}):lt(0.05), 1.0, 0.0)
    local mk = function()
      local l = canns.models.SpikingLayer{nin, nout, threshold = 40.0, leak = 0.95}
      canns.random.seed(9)
      l.W = canns.random.uniform({nout, nin}, 0.01, 1.0)
      return l
    end
    local a, b = mk(), mk()
    local W0 = a.W:copy()
    local spikes = a:forward_sequence(X)
    canns.trainer.STDPTrainer{b, learning_rate = 1e-30}:train(X)
    assert.is_true(canns.array_equal(b.W, W0))       -- nothing moved
    assert.is_true(canns.sum(spikes) > 10)
    assert.is_true(canns.array_equal(a.v, b.v))
    assert.is_true(canns.array_equal(a.trace_post, b.trace_post))
  end)

  it("trains a long sequence to the same bits on one thread as on two", function()
    -- above 10^6 row-steps the output rows are split over the threads
    canns.random.seed(5)
    local T, nin, nout = 400, 300, 20
    local X = canns.where(canns.random.uniform({T, nin}):lt(0.05), 1.0, 0.0)
    local l = canns.models.SpikingLayer{nin, nout, threshold = 0.5}
    local W0 = l.W:copy()
    local nt = canns.num_threads()
    local res = {}
    for k, n in ipairs({1, 2}) do
      canns.set_num_threads(n)
      l.W = W0:copy()
      canns.trainer.STDPTrainer{l, learning_rate = 0.05}:train(X)
      res[k] = {l.W:copy(), l.trace_pre:copy(), l.trace_post:copy(), l.v:copy()}
    end
    canns.set_num_threads(nt)
    assert.is_true(maxabs(res[1][1], W0) > 1e-3)  -- it learned something
    for i = 1, 4 do assert.are.equal(0, maxabs(res[1][i], res[2][i])) end
  end)

  it("strengthens causal (pre before post) and weakens anti-causal pairs", function()
    local T = 200
    local X = canns.zeros({T, 3})
    for t = 3, T - 3, 10 do X[{t, 2}] = 1; X[{t + 2, 1}] = 1; X[{t + 4, 3}] = 1 end
    local l = canns.models.SpikingLayer{3, 1, threshold = 0.8, leak = 0.5, trace_decay = 0.8}
    l.W = canns.array({{0.99, 0.1, 0.1}})  -- input 1 drives the spikes
    local spikes = l:forward_sequence(X)
    assert.are.equal(20, canns.sum(spikes))     -- one post spike per triplet
    canns.trainer.STDPTrainer{l, learning_rate = 1.0, A_plus = 0.01, A_minus = 0.0105}:train(X)
    assert.is_true(l.W[{1, 2}] > 0.1 + 0.05)   -- fires 2 steps before the spike
    assert.is_true(l.W[{1, 3}] < 0.1 - 0.05)   -- fires 2 steps after
    assert.is_true(l.W[{1, 1}] <= 1.0 and l.W[{1, 3}] >= 0.0)  -- clipped to [w_min, w_max]
  end)
end)

describe("trainer utils", function()
  local U = canns.trainer.utils
  it("follows the formulas", function()
    assert.are.equal(-1, U.stdp_kernel(0))
    assert.is_true(math.abs(U.stdp_kernel(20) - math.exp(-1)) < 1e-15)
    local W = U.normalize_weight_rows(canns.array({{3, 4}, {0, 0}}))
    assert.is_true(canns.allclose(W, canns.array({{0.6, 0.8}, {0, 0}})))
    local b = U.update_spike_buffer(U.initialize_spike_buffer(2, 3), 2, 5.0)
    assert.are.equal(5, b[{2, 3}]); assert.are.equal(-math.huge, b[{2, 2}])
    assert.is_true(math.abs(U.compute_running_average(1, 3, 4) - 1.5) < 1e-15)
  end)
end)

describe("learning: bad inputs", function()
  local F = testutil.fails_with
  local net = canns.models.AmariHopfieldNetwork{num_neurons = 8}
  local tr = canns.trainer.HebbianTrainer{model = net}
  it("are Lua errors naming the argument", function()
    F("AmariHopfieldNetwork: option 'num_neurons'", canns.models.AmariHopfieldNetwork, {num_neurons = -1})
    F("option 'activation' must be one of", canns.models.AmariHopfieldNetwork, {num_neurons = 4, activation = "relu"})
    F("unknown option 'asym'", canns.models.AmariHopfieldNetwork, {num_neurons = 4, asym = true})
    F("HebbianTrainer: option 'model' must be a model", canns.trainer.HebbianTrainer, {})
    F("HebbianTrainer.train: argument 1 (patterns) must hold only -1 and +1", tr.train, tr, {{1, 0, 1, 1, 1, 1, 1, 1}})
    F("must hold at least one pattern", tr.train, tr, {})
    F("entry 2 has length 3 but entry 1 has length 8", tr.train, tr, {canns.ones(8), canns.ones(3)})
    F("must not contain NaN", tr.train, tr, canns.full({2, 8}, 0 / 0))
    F("argument 1 (patterns) must be a 2-d array", tr.train, tr, "abc")
    tr:train(canns.ones({1, 8}))
    F("HebbianTrainer.predict: argument 1 (pattern) patterns must have length 8 (the network's num_neurons), got length 5",
      tr.predict, tr, canns.ones(5))
    F("HebbianTrainer.train: argument 1 (patterns) patterns must have length 8", tr.train, tr, canns.ones({2, 6}))
    F("HebbianTrainer.predict_batch: argument 1 (patterns) patterns must have length 8", tr.predict_batch, tr,
      canns.ones({2, 9}))
    F("option 'num_iter' must be", tr.predict, tr, canns.ones(8), {num_iter = -2})
    F("unknown option 'numiter'", tr.predict, tr, canns.ones(8), {numiter = 2})
    local layer = canns.models.LinearLayer{4, 2}
    F("OjaTrainer: option 'learning_rate' must be > 0", canns.trainer.OjaTrainer, {model = layer, learning_rate = 0})
    F("option 'learning_rate'", canns.trainer.SangerTrainer, {model = layer, learning_rate = 0 / 0})
    local oja = canns.trainer.OjaTrainer{model = layer}
    F("OjaTrainer.train: argument 1 (train_data) patterns must have length 4", oja.train, oja, canns.ones({3, 5}))
    F("must hold at least one pattern", oja.train, oja, canns.zeros({0, 4}))
    local bcm = canns.trainer.BCMTrainer{model = layer}
    F("BCMTrainer.train: the model must have a 'theta' array", bcm.train, bcm, canns.ones({2, 4}))
    F("STDPTrainer.train: the model must have 'trace_pre'", function()
      canns.trainer.STDPTrainer{model = layer}:train(canns.ones({2, 4}))
    end)
    F("STDPTrainer: option 'w_max' must be >= w_min", canns.trainer.STDPTrainer, {model = layer, w_min = 1, w_max = 0})
    local spk = canns.models.SpikingLayer{3, 2}
    F("SpikingLayer.forward: argument 1 (x) must have shape {3}", spk.forward, spk, canns.ones(4))
    F("SpikingLayer.forward_sequence: argument 1 (X) must not contain NaN", spk.forward_sequence, spk,
      canns.full({2, 3}, 0 / 0))
    F("hebbian_update: W has extent", core.hebbian_update, canns.zeros({3, 3}), canns.ones({2, 4}), {})
    F("hopfield_recall: the update order is not a permutation", core.hopfield_recall, canns.zeros({3, 3}),
      canns.ones(3), 1, {asyn = true, order = canns.array({0, 0, 1}, "int64")})
    F("must be a float32 array", core.oja_train, canns.zeros({2, 2}, "float64"), canns.ones({2, 2}), 0.1, true)
  end)
end)
