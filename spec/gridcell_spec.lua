-- GridCell2DVelocity and GridCell2DPosition against canns 1.5.0 fixtures
-- (scripts/fixtures/make_gridcell_fixtures.py): connectivity, inputs,
-- 10^4 noise-free steps from a saved state (both recurrent methods),
-- heal_network, the position sheet's decoding and a noise-free trajectory;
-- the noise in distribution; bad arguments.
local canns = require "canns"

local function fx(name) return canns.load(testutil.fixture("gridcell/" .. name .. ".npy")) end
local function maxabs(a, b) return (a - b):abs():max() end
-- max |a - b| relative to max |b|
local function rel(a, b) return maxabs(a, b) / b:abs():max() end

local function velocity_sheet(L, method, s0)
  local g = canns.models.GridCell2DVelocity{length = L, method = method}
  g.s = s0
  g.r = s0:clip(0, math.huge)
  return g
end

describe("GridCell2DVelocity", function()
  before_each(function() canns.set_dt(5e-4) end)

  it("builds upstream's connectivity, preferred directions and velocity input", function()
    local g = canns.models.GridCell2DVelocity{length = 10}
    assert.are.equal("dense", g.method)
    assert.is_true(rel(g.conn_mat, fx "gcv10_conn") < 1e-5)
    assert.is_true(rel(g:make_connection(), fx "gcv10_conn") < 1e-5)
    assert.are.equal(0, maxabs(g.vec_pref, fx "gcv10_vec_pref"))
    assert.is_true(rel(g:compute_velocity_input({0.3, -0.2}), fx "gcv10_B") < 1e-6)
    assert.are.same({100, 2}, g.positions:shape())
    assert.are.equal(g.e * 3 / 225, g.W_gamma)
    assert.are.equal(3 / 225, g.W_beta)
    assert.are.same({"velocity"}, g:input_names())
  end)

  it("follows upstream for 10^4 steps from a given state (dense and fft)", function()
    for _, case in ipairs{{16, 1000}, {20, 200}} do
      local L, every = case[1], case[2]
      local vel, ref = fx("gcv" .. L .. "_vel"), fx("gcv" .. L .. "_s")
      for _, method in ipairs{"dense", "fft"} do
        local g = velocity_sheet(L, method, fx("gcv" .. L .. "_s0"))
        assert.are.equal(method, g.method)
        local out = canns.run(g, {velocity = vel}, {record = {"s", "r"}, record_every = every})
        assert.are.same(ref:shape(), out.s:shape())
        local e = rel(out.s, ref)
        assert.is_true(e < 1e-4, ("L %d %s: relative error %g"):format(L, method, e))
        assert.are.equal(0, maxabs(out.r, out.s:clip(0, math.huge)))
      end
    end
  end)

  it("computes the same recurrent input with the FFT as with the dense matrix", function()
    canns.random.seed(3)
    local s0 = canns.random.uniform({24 * 24}, 0, 0.5)
    local a, b = velocity_sheet(24, "dense", s0), velocity_sheet(24, "fft", s0)
    assert.are.equal("fft", canns.models.GridCell2DVelocity{length = 24}.method) -- auto
    a:update({0.2, -0.1})
    b:update({0.2, -0.1})
    assert.is_true(rel(b.s, a.s) < 1e-6)
  end)

  it("heals like upstream and restores the global dt", function()
    local g = velocity_sheet(16, "fft", fx "gcv16_heal_s0")
    g:heal_network{dt_healing = 1e-3}
    assert.are.equal(5e-4, canns.get_dt())
    assert.is_true(rel(g.s, fx "gcv16_heal_s") < 1e-4)
    local h = velocity_sheet(16, "dense", fx "gcv16_heal_s0")
    h:heal_network(2500, 1e-3) -- num_healing_steps is ignored, as upstream
    assert.is_true(rel(h.s, fx "gcv16_heal_s") < 1e-4)
  end)

  it("draws its initial state from the seeded generator and resets to it", function()
    canns.random.seed(11)
    local a = canns.models.GridCell2DVelocity{length = 12}
    canns.random.seed(11)
    local b = canns.models.GridCell2DVelocity{length = 12}
    assert.are.equal(0, maxabs(a.s, b.s))
    assert.is_true(a.s:min() >= 0 and a.s:max() < 0.1 and a.s:max() > 0.09)
    assert.is_true(math.abs(a.s:mean() - 0.05) < 0.01)
    local s0 = a.s
    a:update({0.5, 0.5})
    assert.is_true(maxabs(a.s, s0) > 0)
    a:reset()
    assert.are.equal(0, maxabs(a.s, s0))
  end)

  it("moves its activity lattice opposite to the velocity", function()
    canns.set_dt(5e-4)
    local g = canns.models.GridCell2DVelocity{length = 40}
    g:heal_network{dt_healing = 1e-3}
    local function centre_x(r)
      -- circular mean of the column index over the sheet (period: lambda_net)
      local L, lam = 40, 15
      local c, s = 0, 0
      local f = r:flatten()
      for n = 0, L * L - 1 do
        local x = n % L
        c = c + f[n + 1] * math.cos(2 * math.pi * x / lam)
        s = s + f[n + 1] * math.sin(2 * math.pi * x / lam)
      end
      return math.atan(s, c) * lam / (2 * math.pi)
    end
    local x0 = centre_x(g.r)
    local v = canns.zeros{400, 2}
    for t = 1, 400 do v[{t, 1}] = 0.5 end
    canns.run(g, {velocity = v}, {record = {}})
    local dx = centre_x(g.r) - x0
    if dx > 7.5 then dx = dx - 15 elseif dx < -7.5 then dx = dx + 15 end
    assert.is_true(dx < -0.2, "lattice moved by " .. dx)
  end)

  it("decodes as upstream's helpers do", function()
    local g = canns.models.GridCell2DVelocity{length = 10}
    local v = canns.array({{1, 2}, {3, -4}, {0.5, 0.5}})
    local p, r2 = g:decode_position_lsq(nil, v)
    assert.are.equal(1.0, r2)
    assert.is_true(math.abs(p[{3, 1}] - 4.5 * 5e-4) < 1e-9)
    assert.is_true(math.abs(p[{3, 2}] - (-1.5) * 5e-4) < 1e-9)
    local act = canns.zeros(100)
    act[37] = 1 -- neuron 36: column 6, row 3
    local pos = g:decode_position_from_activity(act)
    assert.is_true(math.abs(pos[1] - 0.6 * 2.2) < 1e-12 and math.abs(pos[2] - 0.3 * 2.2) < 1e-12)
    local w = g:handle_periodic_condition(canns.array({6, -7, 3}))
    assert.are.same({-4, 3, 3}, {w[1], w[2], w[3]})
  end)

  it("refuses bad arguments", function()
    local G = canns.models.GridCell2DVelocity
    testutil.fails_with("GridCell2DVelocity: argument 'length' must be a positive integer, got 0", G, {length = 0})
    testutil.fails_with("argument 'tau' must be a finite number, got nan", G, {tau = 0 / 0})
    testutil.fails_with("argument 'lambda_net' must be > 0", G, {lambda_net = -1})
    testutil.fails_with("unknown argument 'lenght'", G, {lenght = 10})
    testutil.fails_with("argument 'method' must be 'auto', 'dense' or 'fft', got 'separable'", G,
                        {method = "separable"})
    local g = G{length = 8}
    testutil.fails_with("GridCell2DVelocity.update: velocity must be finite", g.update, g, {0 / 0, 0})
    testutil.fails_with("input must have shape {2}, got {3}", g.update, g, {1, 2, 3})
    testutil.fails_with("run: GridCell2DVelocity has no input 'position' (it takes: velocity)", canns.run, g,
                        {position = canns.zeros{5, 2}})
    testutil.fails_with("run: inputs for GridCell2DVelocity must have shape {T, 2}", canns.run, g,
                        {velocity = canns.zeros{5, 3}})
    testutil.fails_with("heal_network: option 'dt_healing' must be > 0", g.heal_network, g, {dt_healing = 0})
    testutil.fails_with("heal_network: unknown option 'dt'", g.heal_network, g, {dt = 1e-3})
    testutil.fails_with("compute_velocity_input: argument 1 (velocity) must have 2 coordinates",
                        g.compute_velocity_input, g, {1})
    testutil.fails_with("decode_position_lsq: argument 2 (velocity_history) must have shape {n, 2}",
                        g.decode_position_lsq, g, nil, canns.zeros{4, 3})
  end)
end)

describe("GridCell2DPosition", function()
  before_each(function() canns.set_dt(1.0) end)

  it("builds upstream's geometry, connectivity and stimuli", function()
    local p = canns.models.GridCell2DPosition{length = 10, noise_strength = 0}
    assert.is_true(rel(p.conn_mat, fx "gcp10_conn") < 1e-6)
    assert.is_true(rel(p:make_connection(), fx "gcp10_conn") < 1e-6)
    assert.are.equal(0, maxabs(p.coor_transform_inv, fx "gcp10_Tinv"))
    assert.are.equal(0, maxabs(p.value_grid, fx "gcp10_value_grid"))
    assert.are.equal(0, maxabs(p.candidate_centers, fx "gcp10_candidates"))
    assert.are.equal(0, maxabs(p:make_candidate_centers(p.Lambda), fx "gcp10_candidates"))
    assert.are.equal(2 * math.pi / 1.5, p.Lambda)
    local pts, ph, st = fx "gcp10_points", fx "gcp10_phase", fx "gcp10_stim"
    for i = 1, 20 do assert.is_true(maxabs(p:position2phase(pts[i]), ph[i]) < 2e-6) end
    for i = 1, 4 do assert.is_true(rel(p:get_stimulus_by_pos(pts[i]), st[i]) < 1e-6) end
    -- several positions at once: (2, K)
    local many = p:position2phase(pts:transpose())
    assert.is_true(maxabs(many:transpose(), ph) < 2e-6)
    assert.are.equal(p:calculate_dist(canns.array({0.3, 0.2})),
                     p:calculate_dist(canns.array({{0.3, 0.2}}))[1])
  end)

  it("follows upstream's noise-free trajectory, decoded bump included (dense and fft)", function()
    for _, method in ipairs{"dense", "fft"} do
      local p = canns.models.GridCell2DPosition{length = 10, noise_strength = 0, method = method}
      assert.are.equal(method, p.method)
      local out = canns.run(p, {position = fx "gcp10_path"},
                            {record = {"r", "u", "center_phase", "center_position", "gc_bump"}})
      for _, n in ipairs{"r", "u", "center_phase", "center_position"} do
        local ref = fx("gcp10_" .. n)
        for j = 1, 10 do
          local e = maxabs(out[n][40 * j], ref[j]) / ref:abs():max()
          assert.is_true(e < 1e-5, n .. " row " .. j .. ": " .. e)
        end
      end
      assert.is_true(rel(out.gc_bump[400], fx "gcp10_bump") < 1e-5)
      local cp, cpos, bump = p:get_unique_activity_bump(p.r, fx "gcp10_path"[400])
      assert.are.same({2}, cp:shape())
      assert.are.same({100}, bump:shape())
    end
  end)

  it("computes the same recurrent input with the FFT as with the dense matrix", function()
    -- odd and even sides (an even side's half-period pairs wrap by round-off)
    for _, L in ipairs{15, 16, 40} do
      local a = canns.models.GridCell2DPosition{length = L, noise_strength = 0, method = "dense"}
      local b = canns.models.GridCell2DPosition{length = L, noise_strength = 0, method = "fft"}
      for i = 1, 100 do
        local q = {0.3 + 0.01 * i, 0.2 - 0.005 * i}
        a:update(q); b:update(q)
      end
      assert.is_true(rel(b.u, a.u) < 1e-5, "L " .. L)
      assert.are.equal(0, maxabs(b.conn_mat, a:make_connection()))
    end
    assert.are.equal("fft", canns.models.GridCell2DPosition{length = 40}.method)
    assert.are.equal("dense", canns.models.GridCell2DPosition{length = 40, conn_noise = 0.1}.method)
    assert.are.equal("dense", canns.models.GridCell2DPosition{length = 32}.method)
  end)

  it("adds activity noise of the given strength (in distribution)", function()
    canns.random.seed(5)
    local clean = canns.models.GridCell2DPosition{length = 30, noise_strength = 0, A = 50}
    local noisy = canns.models.GridCell2DPosition{length = 30, noise_strength = 0.1, A = 50}
    clean:update({0.2, 0.1})
    noisy:update({0.2, 0.1})
    -- one step from rest: u = (Iext + 0.1 N(0, 1)) / tau * dt where Iext is large
    local uc, un = clean.u:flatten(), noisy.u:flatten()
    local n, s1, s2 = 0, 0, 0
    for i = 1, 900 do
      if uc[i] > 0.2 then
        local d = un[i] - uc[i]
        n, s1, s2 = n + 1, s1 + d, s2 + d * d
      end
    end
    assert.is_true(n > 50)
    local sd = math.sqrt(s2 / n - (s1 / n) ^ 2)
    assert.is_true(math.abs(sd - 0.01) < 0.003, "noise sd " .. sd)
  end)

  it("refuses bad arguments", function()
    local P = canns.models.GridCell2DPosition
    testutil.fails_with("argument 'length' must be a positive integer, got -2", P, {length = -2})
    testutil.fails_with("argument 'a' must be > 0", P, {a = 0})
    testutil.fails_with("argument 'mapping_ratio' must be a finite number, got nan", P, {mapping_ratio = 0 / 0})
    testutil.fails_with("needs a", P, {length = 1000, method = "dense"})
    testutil.fails_with("method 'fft' needs conn_noise = 0", P, {method = "fft", conn_noise = 0.2})
    testutil.fails_with("argument 'method' must be 'auto', 'dense' or 'fft', got 'sparse'", P, {method = "sparse"})
    local p = P{length = 6}
    testutil.fails_with("get_stimulus_by_pos: argument 1 (position) must have 2 coordinates", p.get_stimulus_by_pos, p, {1, 2, 3})
    testutil.fails_with("get_stimulus_by_pos: argument 1 (position) must be finite", p.get_stimulus_by_pos, p, {0 / 0, 1})
    testutil.fails_with("position2phase: argument 1 (position) must have shape {2} or {2, K}", p.position2phase, p,
                        canns.zeros{3, 3})
    testutil.fails_with("get_unique_activity_bump: argument 1 (network_activity) must have 36 values",
                        p.get_unique_activity_bump, p, canns.zeros(35), {0, 0})
    testutil.fails_with("GridCell2DPosition.update: position must be finite", p.update, p, {1, 1 / 0})
    testutil.fails_with("calculate_dist: argument 1 (d) must have a last axis of 2", p.calculate_dist, p, canns.zeros{4, 3})
  end)
end)
