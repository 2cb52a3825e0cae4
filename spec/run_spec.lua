-- canns.run: the simulation loop in C for C models, Lua models and C
-- models from extension modules; recording options and bad input.
local canns = require "canns"

local function same(a, b) return testutil.maxabs(a, b) == 0 end

describe("canns.run", function()
  before_each(function() canns.set_dt(0.1) end)

  it("steps exactly like update() and records time first", function()
    local a = canns.models.CANN1D{num = 128}
    local b = canns.models.CANN1D{num = 128}
    local t = canns.task.SmoothTracking1D{cann_instance = a, Iext = {0, 1}, duration = {3}}
    t:get_data()
    local out = canns.run(a, t.data, {record = {"u", "r", "inp"}})
    assert.are.same({30, 128}, out.u:shape())
    for k = 1, 30 do
      b(t.data[k])
      assert.is_true(same(out.u[k], b.u))
      assert.is_true(same(out.r[k], b.r))
      assert.is_true(same(out.inp[k], t.data[k]))
    end
    assert.is_true(same(a.u, b.u)) -- the model keeps its final state
  end)

  it("records long runs with odd row sizes exactly (prefaulted output, streamed rows)", function()
    -- 67 float32 neurons: rows of 268 bytes, not 16-byte aligned; 4000
    -- steps: more than 1 MB recorded, so the output is mapped ahead
    local a = canns.models.CANN1D{num = 67}
    local b = canns.models.CANN1D{num = 67}
    local T = 4000
    local inp = canns.zeros{T, 67}
    local stim = a:get_stimulus_by_pos(0.5)
    for k = 1, 50 do inp[k] = stim end
    local out = canns.run(a, inp, {record = {"u", "r"}})
    local sub = canns.run(a, inp, {record = {"u"}, record_every = 7, reset = true})
    local u, r = canns.zeros{T, 67}, canns.zeros{T, 67}
    for k = 1, T do
      b(inp[k])
      u[k], r[k] = b.u, b.r
    end
    assert.is_true(same(out.u, u))
    assert.is_true(same(out.r, r))
    assert.are.same({T // 7, 67}, sub.u:shape())
    for j = 1, T // 7 do assert.is_true(same(sub.u[j], u[7 * j])) end
    assert.is_true(out.u:abs():max() > 0)
  end)

  it("records every k-th step and takes a task, a step count or float64 inputs", function()
    local c = canns.models.CANN2D{length = 8}
    local t = canns.task.SmoothTracking2D{cann_instance = c, Iext = {{0, 0}, {1, 1}}, duration = {2.05}}
    t:get_data()
    assert.are.equal(21, t.total_steps)
    local full = canns.run(c, t, {record = {"u"}})
    c:reset()
    local sub = canns.run(c, t, {record = "u", record_every = 5})
    assert.are.same({4, 8, 8}, sub.u:shape()) -- after steps 5, 10, 15, 20
    assert.is_true(same(sub.u[2], full.u[10]))
    assert.is_true(same(sub.u[4], full.u[20]))
    -- reset = true starts from zero; zero-input runs take a step count
    local again = canns.run(c, t.data:astype("float64"), {record = {"u"}, reset = true})
    assert.is_true(same(again.u, full.u))
    local free = canns.run(c, 7, {record = {"u", "inp"}})
    assert.are.same({7, 8, 8}, free.u:shape())
    assert.are.equal(0, free.inp:abs():max())
    -- record defaults to u; an empty list records nothing
    assert.are.same({3, 8, 8}, canns.run(c, 3).u:shape())
    assert.is_nil(next(canns.run(c, 3, {record = {}})))
    -- progress bars are quiet without a terminal and do not change results
    c:reset()
    local p = canns.run(c, t, {record = {"u"}, progress = true, label = "test"})
    assert.is_true(same(p.u, full.u))
  end)

  it("runs a model written in Lua through its step function", function()
    local m = {
      u = canns.zeros(4),
      step = function(self, inp) self.u = self.u * 0.5 + inp end,
      reset = function(self) self.u = canns.zeros(4) end,
    }
    local out = canns.run(m, canns.ones({5, 4}), {record = {"u"}})
    assert.are.same({5, 4}, out.u:shape())
    assert.are.equal(1.9375, out.u[{5, 1}])
    local again = canns.run(m, canns.ones({5, 4}), {record = {"u"}, reset = true, record_every = 2})
    assert.are.same({2, 4}, again.u:shape())
    assert.are.equal(1.875, again.u[{2, 4}])
    -- without inputs the table's shape gives the input shape
    m.shape = {4}
    local z = canns.run(m, 3, {record = {"u"}})
    assert.are.equal(1.9375 / 8, z.u[{3, 2}])
  end)

  it("reports errors raised inside a Lua model", function()
    local m = {u = canns.zeros(2), step = function() error("boom at step") end}
    testutil.fails_with("boom at step", canns.run, m, canns.ones({3, 2}), {record = {"u"}})
    local bad = {u = canns.zeros(2), step = function(self) self.u = canns.zeros(3) end}
    testutil.fails_with("changed size", canns.run, bad, canns.ones({3, 2}), {record = {"u"}})
    testutil.fails_with("has no step(self, inp) function", canns.run, {u = canns.zeros(2)},
                        canns.ones({3, 2}), {record = {"u"}})
    testutil.fails_with("has no reset(self) function", canns.run,
                        {u = canns.zeros(2), step = function() end}, canns.ones({3, 2}), {reset = true})
    testutil.fails_with("Lua model has no state variable 'v'", canns.run,
                        {u = canns.zeros(2), step = function() end}, canns.ones({3, 2}), {record = {"v"}})
    -- an error while looking up step (a failing __index) must not leak the
    -- step's input copy (the ASan build checks for leaks)
    local trap = setmetatable({u = canns.zeros(2)}, {__index = function(_, k)
      if k == "step" then error("no step lookup") end
    end})
    testutil.fails_with("no step lookup", canns.run, trap, canns.ones({3, 2}), {record = {"u"}})
  end)

  it("refuses bad arguments with a message naming them", function()
    local c = canns.models.CANN1D{num = 16}
    testutil.fails_with("run: inputs for CANN1D must have shape {T, 16} (time first), got {4, 15}",
                        canns.run, c, canns.zeros({4, 15}))
    testutil.fails_with("run: inputs for CANN1D must have shape {T, 16}", canns.run, c, canns.zeros(16))
    testutil.fails_with("run: inputs must be float32 or float64, got int32", canns.run, c,
                        canns.zeros({2, 16}, "int32"))
    testutil.fails_with("run: argument 2 (inputs) must be an array (time first), a step count or a task",
                        canns.run, c, "abc")
    testutil.fails_with("call task:get_data() first", canns.run, c,
                        canns.task.SmoothTracking1D{cann_instance = c, Iext = {0, 1}, duration = {1}})
    testutil.fails_with("run: argument 2 (inputs) must be non-negative, got -1", canns.run, c, -1)
    testutil.fails_with("run: argument 1 (model) must be a model or a table", canns.run, 5, 3)
    testutil.fails_with("run: CANN1D has no state variable 'w' (it has: u, r, inp, x)", canns.run, c, 2,
                        {record = {"u", "w"}})
    testutil.fails_with("run: option 'record_every' must be >= 1, got 0", canns.run, c, 2, {record_every = 0})
    testutil.fails_with("run: unknown option 'recrod'", canns.run, c, 2, {recrod = {"u"}})
    testutil.fails_with("run: option 'record' entry 1 must be a string", canns.run, c, 2, {record = {1}})
    testutil.fails_with("run: option 'progress' must be a boolean", canns.run, c, 2, {progress = 1})
  end)

  it("takes a table of named input sequences (a one-input model under its name)", function()
    local a = canns.models.CANN1D{num = 32}
    local b = canns.models.CANN1D{num = 32}
    assert.are.same({"inp"}, a:input_names())
    local t = canns.task.SmoothTracking1D{cann_instance = a, Iext = {0, 1}, duration = {2}}
    t:get_data()
    local o1 = canns.run(a, {inp = t.data}, {record = {"u", "inp"}})
    local o2 = canns.run(b, t.data, {record = {"u", "inp"}})
    assert.is_true(same(o1.u, o2.u))
    assert.is_true(same(o1.inp, t.data))
    testutil.fails_with("run: CANN1D has no input 'velocity' (it takes: inp)", canns.run, a,
                        {velocity = t.data})
    testutil.fails_with("run: argument 2 (inputs) input 'inp' must be an array (time first), got",
                        canns.run, a, {inp = 3})
    testutil.fails_with("run: argument 2 (inputs) must name at least one input sequence", canns.run, a, {})
    testutil.fails_with("got a table with key 1", canns.run, a, {t.data})
    testutil.fails_with("run: inputs for CANN1D must have shape {T, 32}", canns.run, a,
                        {inp = canns.zeros{3, 31}})
    testutil.fails_with("a Lua model takes one input array", canns.run,
                        {step = function() end}, {inp = t.data})
  end)

  it("runs a C model registered by a Lua C module (examples/cmodel)", function()
    local build = os.getenv("CANNS_BUILD_DIR")
    local so = build and (build .. "/examples/cmodel/leaky.so")
    if not (so and testutil.exists(so)) then
      pending("examples/cmodel/leaky.so not built")
      return
    end
    package.cpath = build .. "/examples/cmodel/?.so;" .. package.cpath
    local leaky = require "leaky"
    local m = leaky.LeakyIntegrator{n = 3, tau = 2}
    assert.are.equal("LeakyIntegrator", m.name)
    assert.are.equal(2, m.tau)
    local out = canns.run(m, canns.ones({4, 3}), {record = {"x"}})
    -- x_k = 1 - (1 - dt/tau)^k with dt = 0.1, tau = 2
    for k = 1, 4 do
      assert.is_true(math.abs(out.x[{k, 1}] - (1 - 0.95 ^ k)) < 1e-6)
    end
    -- the class is registered: canns.models finds it by name too
    local m2 = canns.models.LeakyIntegrator{n = 2}
    assert.are.same({2}, m2.shape)
    testutil.fails_with("LeakyIntegrator: argument 'n' must be >= 1, got 0", leaky.LeakyIntegrator, {n = 0})
    testutil.fails_with("LeakyIntegrator: unknown argument 'm'", leaky.LeakyIntegrator, {m = 1})
  end)
end)
