-- Trainer:fit (canns addition): epochs, learning-rate schedules (against
-- their closed forms), callbacks, early stopping, the default monitor,
-- restoring the learning rate, a science check (Oja with a decaying rate
-- finds the first principal component) and bad input.
local canns = require "canns"
local T = canns.trainer

-- a trainer written in Lua: records the rate of every train call and
-- reports a scripted monitor value
local function fake(values)
  local t = {learning_rate = 0.5, rates = {}, calls = 0}
  function t:train() self.calls = self.calls + 1; self.rates[self.calls] = self.learning_rate end
  t.monitor = function(self, e) return values and values[e] end
  return t
end

describe("trainer.fit", function()
  it("schedules follow their closed forms", function()
    local o = {gamma = 0.5, step_size = 3, lr_min = 0.1, epochs = 10}
    for e = 1, 10 do
      assert.are.equal(2.0, T.scheduled_rate("constant", 2.0, e, o))
      assert.are.equal(2.0 * 0.5 ^ ((e - 1) // 3), T.scheduled_rate("step", 2.0, e, o))
      assert.is_true(math.abs(T.scheduled_rate("exponential", 2.0, e, o) - 2.0 * 0.5 ^ (e - 1)) < 1e-15)
      local c = 0.1 + 1.9 * (1 + math.cos(math.pi * (e - 1) / 10)) / 2
      assert.is_true(math.abs(T.scheduled_rate("cosine", 2.0, e, o) - c) < 1e-15)
    end
    assert.are.equal(2.0, T.scheduled_rate("cosine", 2.0, 1, o))
  end)

  it("sets the rate before every epoch and restores it afterwards", function()
    local t = fake()
    local h = T.fit(t, nil, {epochs = 4, lr_schedule = "step", step_size = 2, gamma = 0.1, monitor = t.monitor})
    assert.are.same({0.5, 0.5, 0.05, 0.05}, t.rates)
    assert.are.same(t.rates, h.learning_rate)
    assert.are.equal(4, h.epochs_run)
    assert.are.equal(0.5, t.learning_rate)
    local t2 = fake()
    T.fit(t2, nil, {epochs = 3, lr_schedule = function(e, lr0) return lr0 / e end, monitor = t2.monitor})
    assert.are.same({0.5, 0.25, 0.5 / 3}, t2.rates)
  end)

  it("stops early when the monitor stops improving, and on a callback's false", function()
    local t = fake({5, 4, 4, 4.5, 3, 1})
    local h = T.fit(t, nil, {epochs = 6, monitor = t.monitor, early_stopping = {patience = 2}})
    assert.are.equal(4, h.epochs_run)
    assert.is_true(h.stopped_early)
    assert.are.equal(2, h.best_epoch)
    assert.are.equal(4, h.best)
    local seen = {}
    local t2 = fake({1, 2, 3, 4})
    local h2 = T.fit(t2, nil, {epochs = 4, monitor = t2.monitor, callbacks = function(tr, e, info)
      seen[#seen + 1] = info.monitor
      if e >= 2 then return false end
    end})
    assert.are.same({1, 2}, seen)
    assert.are.equal(2, h2.epochs_run)
    assert.is_false(h2.stopped_early)
    -- mode "max" with min_delta
    local t3 = fake({1, 1.05, 1.2, 1.21, 1.22})
    local h3 = T.fit(t3, nil, {epochs = 5, monitor = t3.monitor,
                               early_stopping = {patience = 2, min_delta = 0.1, mode = "max"}})
    assert.are.equal(5, h3.epochs_run)   -- 1.2 improves on 1 by > 0.1; 1.21, 1.22 do not
    assert.is_true(h3.stopped_early)
    assert.are.equal(3, h3.best_epoch)
  end)

  it("runs a real trainer's passes: epochs = 3 equals three train calls", function()
    canns.random.seed(2)
    local data = canns.random.normal({300, 8}):astype("float32")
    local mk = function()
      local l = canns.models.LinearLayer{input_size = 8, output_size = 2}
      canns.random.seed(3)
      l.W = canns.random.normal({2, 8}):astype("float32") * 0.1
      return l
    end
    local a, b = mk(), mk()
    local ta = T.SangerTrainer{model = a, learning_rate = 0.005}
    local tb = T.SangerTrainer{model = b, learning_rate = 0.005}
    for _ = 1, 3 do ta:train(data) end
    local h = tb:fit(data, {epochs = 3})
    assert.is_true(canns.array_equal(a.W, b.W))
    -- the default monitor: the relative change of W in each epoch, decreasing
    assert.are.equal(3, #h.monitor)
    assert.is_true(h.monitor[1] > h.monitor[3] and h.monitor[3] > 0)
  end)

  it("Oja with a decaying rate finds the first principal component", function()
    canns.random.seed(4)
    local d = 16
    local sc = {3}
    for i = 2, d do sc[i] = 1 - 0.5 * (i - 2) / (d - 2) end -- variances 9, then 1 .. 0.25
    local scale = canns.array(sc, "float32")
    local data = canns.random.normal({3000, d}):astype("float32") * scale
    local layer = canns.models.LinearLayer{input_size = d, output_size = 1}
    local tr = canns.trainer.OjaTrainer{model = layer, learning_rate = 0.01}
    local h = tr:fit(data, {epochs = 40, lr_schedule = "exponential", gamma = 0.9,
                            early_stopping = {patience = 3, min_delta = 1e-5}, progress = true})
    assert.is_true(h.epochs_run >= 2)
    local w = layer.W:astype("float64"):flatten():totable()
    local n = 0
    for i = 1, d do n = n + w[i] * w[i] end
    -- the data's first principal axis is the first coordinate (variance 9 vs <= 1)
    assert.is_true(math.abs(w[1]) / math.sqrt(n) > 0.99, "cosine " .. math.abs(w[1]) / math.sqrt(n))
  end)

  it("refuses bad options, naming them", function()
    local t = fake({1})
    testutil.fails_with("epochs", T.fit, t, nil, {epochs = 0})
    testutil.fails_with("must be one of 'constant'", T.fit, t, nil, {lr_schedule = "linear"})
    testutil.fails_with("lr_schedule", T.fit, t, nil, {lr_schedule = 3})
    testutil.fails_with("gave -1 at epoch 1", T.fit, t, nil, {lr_schedule = function() return -1 end})
    testutil.fails_with("must return a number", T.fit, t, nil, {monitor = function() return "x" end})
    testutil.fails_with("epoch", T.fit, t, nil, {epoch = 3})
    testutil.fails_with("patience", T.fit, t, nil, {early_stopping = {patience = 0}})
    testutil.fails_with("mode", T.fit, t, nil, {early_stopping = {mode = "up"}})
    testutil.fails_with("must be a function, got 3", T.fit, t, nil, {callbacks = {3}})
    testutil.fails_with("must be a trainer", T.fit, {}, nil, {})
    local net = canns.models.AmariHopfieldNetwork{num_neurons = 16}
    local hb = T.HebbianTrainer{model = net}
    testutil.fails_with("needs a trainer with a learning rate", hb.fit, hb, canns.ones({2, 16}), {lr_schedule = "step"})
    -- the rate is restored after an error inside an epoch
    local t2 = fake()
    function t2:train() error("boom") end
    testutil.fails_with("boom", T.fit, t2, nil, {lr_schedule = "exponential", epochs = 2})
    assert.are.equal(0.5, t2.learning_rate)
  end)
end)
