-- canns.spatial: environments against canns-lib 0.11 fixtures (geometry is
-- deterministic: exact or 1e-12), hand-worked geometry, the random agent
-- against canns-lib's statistics and the OU/Rayleigh theory, seeding and
-- thread-count independence, forced and imported motion, bad input.
local canns = require "canns"
local S = canns.spatial

local function fx(name) return canns.load(testutil.fixture("spatial/" .. name .. ".npy")) end

local ENVS = {
  rect = {scale = 2.0, aspect = 1.5, walls = {{{0.5, 0.2}, {0.5, 1.2}}}},
  periodic = {boundary_conditions = "periodic", scale = 1.0, aspect = 2.0,
              walls = {{{0.3, 0.3}, {0.7, 0.7}}}},
  complex = {boundary = {{0, 0}, {2, 0}, {2, 2}, {0, 2}},
             walls = {{{0.5, 0}, {0.5, 1}}, {{0.5, 1}, {1, 1}}, {{1.5, 2}, {1.5, 1}},
                      {{1.5, 1}, {1, 1}}, {{0.2, 0.2}, {1.6, 1.6}}},
             holes = {{{0.7, 0.7}, {1.3, 0.7}, {1.3, 1.3}, {0.7, 1.3}},
                      {{0, 1.25}, {0.8, 1.25}, {0.8, 2}, {0, 2}}}},
  tmaze = {boundary = {{-0.15, 0}, {-0.15, 1.0}, {-0.75, 1.0}, {-0.75, 1.3}, {0.75, 1.3},
                       {0.75, 1.0}, {0.15, 1.0}, {0.15, 0}}},
}

describe("Environment geometry matches canns-lib", function()
  for name, kw in pairs(ENVS) do
    it(name, function()
      local env = S.Environment(kw)
      local pts, inside, proj = fx(name .. "_points"), fx(name .. "_contains"), fx(name .. "_project")
      local vec, walls = fx(name .. "_vectors"), fx(name .. "_walls")
      local steps, hits = fx(name .. "_steps"), fx(name .. "_collisions")
      -- the wall list, in upstream's order
      local w = env.walls
      assert.are.equal(walls:shape()[1], #w)
      for k = 1, #w do
        for a = 1, 2 do
          for c = 1, 2 do assert.are.equal(walls[{k, a, c}], w[k][a][c]) end
        end
      end
      for i = 1, pts:shape()[1] do
        local has_step = i <= steps:shape()[1]
        local p = {pts[{i, 1}], pts[{i, 2}]}
        assert.are.equal(inside[i], env:contains(p))
        local q = env:apply_boundary_conditions(p)
        assert.is_true(math.abs(q[1] - proj[{i, 1}]) <= 1e-12 and math.abs(q[2] - proj[{i, 2}]) <= 1e-12,
                       name .. " project " .. i)
        if #w > 0 then
          local v = env:vectors_from_walls(p)
          assert.is_true(testutil.maxabs(v, vec[i]) <= 1e-12, name .. " vectors " .. i)
          if has_step then
            local s = {{steps[{i, 1}], steps[{i, 2}]}, {steps[{i, 3}], steps[{i, 4}]}}
            local _, hit = env:check_wall_collisions(s)
            for k = 1, #w do assert.are.equal(hits[{i, k}], hit[k], name .. " collision " .. i) end
          end
        end
      end
    end)
  end
end)

describe("Environment, hand-worked cases", function()
  it("wraps, clamps and bisects", function()
    local per = S.Environment{boundary_conditions = "PERIODIC", scale = 1, aspect = 2}
    local q = per:project{2.25, -0.25}
    assert.are.equal(0.25, q[1]); assert.are.equal(0.75, q[2])
    assert.are.equal(0, #per.walls)                       -- periodic: user walls only
    local box = S.Environment{scale = 2}
    q = box:project{-1, 3}
    assert.are.same({0, 2}, q)
    assert.are.equal(4, #box.walls)
    local poly = S.Environment{boundary = {{0, 0}, {1, 0}, {1, 1}, {0, 1}},
                               holes = {{{0.4, 0.4}, {0.6, 0.4}, {0.6, 0.6}, {0.4, 0.6}}}}
    -- from a contained prev, 40 bisections towards the hole edge x = 0.4
    q = poly:project({0.5, 0.5}, {0.2, 0.5})
    assert.is_true(q[1] < 0.4 and q[1] > 0.4 - 1e-9 and q[2] == 0.5)
    -- no prev: the closest boundary/hole point
    q = poly:project{0.45, 0.5}
    assert.is_true(math.abs(q[1] - 0.4) < 1e-15 and q[2] == 0.5)
    assert.is_false(poly:contains{0.5, 0.5})
    -- rectangles do not exclude their holes from contains (upstream quirk)
    local rh = S.Environment{holes = {{{0.4, 0.4}, {0.6, 0.4}, {0.6, 0.6}, {0.4, 0.6}}}}
    assert.is_true(rh:contains{0.5, 0.5})
    assert.are.equal(8, #rh.walls)
  end)

  it("adds walls, holes and objects and samples positions", function()
    local env = S.Environment{boundary = {{0, 0}, {2, 0}, {2, 2}, {0, 2}}}
    env:add_wall{{1, 0}, {1, 1}}
    env:add_hole{{1.2, 1.2}, {1.8, 1.2}, {1.8, 1.8}, {1.2, 1.8}}
    env:add_object({0.5, 0.5}, 2)
    local st = env:render_state()
    assert.are.equal(1 + 4 + 4, #st.walls)
    assert.are.same({1, 0}, st.walls[1][1])
    assert.are.same({{0.5, 0.5}, 2}, st.objects[1])
    assert.are.same({0, 2, 0, 2}, st.extent)
    for _, m in ipairs{"random", "uniform", "uniform_random", "uniform_jitter"} do
      local p = env:sample_positions(50, m)
      assert.are.same({50, 2}, p:shape())
      for i = 1, 50 do assert.is_true(env:contains{p[{i, 1}], p[{i, 2}]}, m) end
    end
    -- uniform: cell centres of a ceil(sqrt(n))^2 grid, x outer
    local u = S.Environment{scale = 1}:sample_positions(4, "uniform")
    assert.are.same({{0.25, 0.25}, {0.25, 0.75}, {0.75, 0.25}, {0.75, 0.75}}, u:totable())
  end)

  it("refuses bad geometry with a message naming it", function()
    testutil.fails_with("option 'boundary' must be a polygon of at least 3 vertices, got 2",
      S.Environment, {boundary = {{0, 0}, {1, 1}}})
    testutil.fails_with("self-intersecting", S.Environment,
      {boundary = {{0, 0}, {1, 1}, {1, 0}, {0, 1}}})
    testutil.fails_with("option 'walls' entry 1 must be a 2-point segment", S.Environment,
      {walls = {{{0, 0}, {1, 1}, {2, 2}}}})
    testutil.fails_with("finite", S.Environment, {walls = {{{0, 0}, {0 / 0, 1}}}})
    testutil.fails_with("option 'boundary_conditions' must be 'solid' or 'periodic', got 'wrap'",
      S.Environment, {boundary_conditions = "wrap"})
    testutil.fails_with("NotImplementedError", S.Environment, {dimensionality = "1D"})
    testutil.fails_with("unknown option 'wals'", S.Environment, {wals = {}})
    testutil.fails_with("option 'scale' must be a finite number > 0", S.Environment, {scale = -1})
    testutil.fails_with("hole", S.Environment, {holes = {{{0, 0}, {1, 1}}}})
    local env = S.Environment{}
    testutil.fails_with("contains: argument 1 (position) must be a point", env.contains, env, "x")
    testutil.fails_with("sample_positions: argument 2 (method)", env.sample_positions, env, 3, "grid")
    testutil.fails_with("add_wall: argument 1 (wall) must be a 2-point segment", env.add_wall,
      env, {{0, 0}})
  end)
end)

-- ----------------------------------------------------------------- motion

local function column(a, k) return a:slice(2, k):flatten() end

local function speeds(h)
  local vx, vy = column(h.vel, 1), column(h.vel, 2)
  return canns.sqrt(vx * vx + vy * vy)
end

local function acf_time(x, dt, maxlag)
  local n, m = #x, 0
  for i = 1, n do m = m + x[i] end
  m = m / n
  local v = 0
  for i = 1, n do v = v + (x[i] - m) ^ 2 end
  local function c(lag)
    if lag == 0 then return 1 end
    local s = 0
    for i = 1, n - lag do s = s + (x[i] - m) * (x[i + lag] - m) end
    return s / v
  end
  local prev = 1
  for lag = 1, maxlag do
    local cl = c(lag)
    if cl < math.exp(-1) then return (lag - 1 + (prev - math.exp(-1)) / (prev - cl)) * dt end
    prev = cl
  end
  return maxlag * dt
end

-- max |F_ours(q_k) - k/100| over upstream's percentiles q_k (a KS distance
-- on a grid of 99 points).
local function ks_grid(values, q)
  table.sort(values)
  local n, worst, j = #values, 0, 0
  for k = 1, 99 do
    while j < n and values[j + 1] <= q[k] do j = j + 1 end
    worst = math.max(worst, math.abs(j / n - k / 100))
  end
  return worst
end

local BENCH = {speed_mean = 0.08, speed_std = 0.02, speed_coherence_time = 0.7,
               rotational_velocity_std = math.rad(45), rotational_velocity_coherence_time = 0.1,
               wall_repel_distance = 0.15, wall_repel_strength = 1.4, thigmotaxis = 0.3}
local function bench_env()
  return S.Environment{walls = {{{0.1, 0.1}, {0.9, 0.1}}, {{0.9, 0.1}, {0.9, 0.9}},
                                {{0.9, 0.9}, {0.1, 0.9}}, {{0.1, 0.9}, {0.1, 0.1}}}}
end

describe("Agent random motion", function()
  it("matches canns-lib's statistics in the benchmark box (4 standard errors)", function()
    local a = S.Agent{environment = bench_env(), params = BENCH, rng_seed = 5, init_pos = {0.5, 0.5}}
    a:update{dt = 0.02, steps = 300000}
    local h = a:get_history_arrays()
    local ref = fx("stats_bench")
    local sp = speeds(h)
    local m, sd = canns.mean(sp), canns.std(sp)
    assert.is_true(math.abs(m / ref[1] - 1) < 0.03, "mean speed " .. m .. " vs " .. ref[1])
    assert.is_true(math.abs(sd / ref[2] - 1) < 0.05, "speed sd " .. sd .. " vs " .. ref[2])
    local rs = canns.std(h.rot_vel)
    assert.is_true(math.abs(rs / ref[3] - 1) < 0.03, "rot sd " .. rs .. " vs " .. ref[3])
    local s = sp:totable()
    local ts = {}
    for i = 1, 60000 do ts[i] = s[i] end
    local tau = acf_time(ts, 0.02, 400)
    assert.is_true(math.abs(tau / ref[4] - 1) < 0.2, "speed acf time " .. tau .. " vs " .. ref[4])
    local r = h.rot_vel:totable()
    local tr = {}
    for i = 1, 60000 do tr[i] = r[i] end
    local taur = acf_time(tr, 0.02, 100)
    assert.is_true(math.abs(taur / ref[5] - 1) < 0.15, "rot acf time " .. taur .. " vs " .. ref[5])
    assert.is_true(ks_grid(s, fx("quantiles_bench"):totable()) < 0.03)
    -- positions never leave the inner square [0.1, 0.9]^2
    local x, y = column(h.pos, 1), column(h.pos, 2)
    assert.is_true(canns.min(x) >= 0.1 - 1e-9 and canns.max(x) <= 0.9 + 1e-9)
    assert.is_true(canns.min(y) >= 0.1 - 1e-9 and canns.max(y) <= 0.9 + 1e-9)
    -- occupancy (10 x 10 over the visited range): total variation < 0.08
    -- (sampling noise of 3e5 correlated steps against 1e6 upstream steps is
    -- about 0.05) and the fraction in the outer ring of cells within 0.01
    local occ, cnt = fx("occupancy_bench"), {}
    local x0, x1, y0, y1 = canns.min(x), canns.max(x), canns.min(y), canns.max(y)
    local xs, ys = x:totable(), y:totable()
    for i = 1, 100 do cnt[i] = 0 end
    for i = 1, #xs do
      local bx = math.min(9, math.floor((xs[i] - x0) / (x1 - x0) * 10))
      local by = math.min(9, math.floor((ys[i] - y0) / (y1 - y0) * 10))
      cnt[bx * 10 + by + 1] = cnt[bx * 10 + by + 1] + 1
    end
    local tv, ring, ring_ref = 0, 0, 0
    for i = 1, 100 do
      local o, bx, by = occ[{(i - 1) // 10 + 1, (i - 1) % 10 + 1}], (i - 1) // 10, (i - 1) % 10
      tv = tv + math.abs(cnt[i] / #xs - o)
      if bx == 0 or bx == 9 or by == 0 or by == 9 then
        ring, ring_ref = ring + cnt[i] / #xs, ring_ref + o
      end
    end
    assert.is_true(tv / 2 < 0.08, "occupancy TV " .. tv / 2)
    assert.is_true(math.abs(ring - ring_ref) < 0.01, "outer ring " .. ring .. " vs " .. ring_ref)
  end)

  it("follows the OU/Rayleigh theory in a periodic box and matches canns-lib", function()
    local env = S.Environment{boundary_conditions = "periodic", scale = 5}
    local a = S.Agent{environment = env, rng_seed = 9, init_pos = {2.5, 2.5}, dt = 0.1,
                      speed_mean = 0.04, speed_std = 0.016}
    a:update{steps = 100000}
    local h = a:get_history_arrays()
    local s, keep = speeds(h):totable(), {}
    local px = h.pos:totable()
    local hd = h.head_direction:totable()
    local v = h.vel:totable()
    local prev, cs, nc = {2.5, 2.5}, 0, 0
    for i = 1, #s do
      if math.abs(px[i][1] - prev[1]) < 2.5 and math.abs(px[i][2] - prev[2]) < 2.5 then
        keep[#keep + 1] = s[i]
        cs = cs + (hd[i][1] * v[i][1] + hd[i][2] * v[i][2]) / s[i]
        nc = nc + 1
      end
      prev = px[i]
    end
    local m, sd = 0, 0
    for _, x in ipairs(keep) do m = m + x end
    m = m / #keep
    for _, x in ipairs(keep) do sd = sd + (x - m) ^ 2 end
    sd = math.sqrt(sd / #keep)
    assert.is_true(math.abs(m / 0.04 / 1.2591 - 1) < 0.03, "mean/speed_mean " .. m / 0.04)
    assert.is_true(math.abs(sd / 0.04 / 0.6785 - 1) < 0.05, "sd/speed_mean " .. sd / 0.04)
    local rs = canns.std(h.rot_vel)
    assert.is_true(math.abs(rs / 3.420 - 1) < 0.03, "rot sd " .. rs)
    assert.is_true(math.abs(cs / nc - 0.994) < 0.005, "heading cos " .. cs / nc)
    local ref = fx("stats_periodic")
    assert.is_true(math.abs(m / ref[1] - 1) < 0.03 and math.abs(rs / ref[3] - 1) < 0.03)
    assert.is_true(ks_grid(keep, fx("quantiles_periodic"):totable()) < 0.03)
    -- wrap jumps exist (measured velocity includes them)
    local big = 0
    for i = 1, #s do if s[i] > 25 then big = big + 1 end end
    assert.is_true(big > 0)
  end)

  it("stays in a solid box; speed_std = 0 keeps the speed", function()
    local env = S.Environment{scale = 5}
    local a = S.Agent{environment = env, rng_seed = 2, dt = 0.1, speed_mean = 0.04, speed_std = 0.016}
    a:update{steps = 50000}
    local h = a:get_history_arrays()
    local x, y = column(h.pos, 1), column(h.pos, 2)
    assert.is_true(canns.min(x) >= 0 and canns.max(x) <= 5)
    assert.is_true(canns.min(y) >= 0 and canns.max(y) <= 5)
    local m = canns.mean(speeds(h)) / 0.04
    assert.is_true(m > 1.20 and m < 1.30, "box mean/speed_mean " .. m)
    local c = S.Agent{environment = S.Environment{boundary_conditions = "periodic", scale = 5},
                      rng_seed = 2, dt = 0.1, speed_mean = 0.04, speed_std = 0, init_pos = {1, 1}}
    c:update{steps = 20}
    assert.is_true(math.abs(canns.max(speeds(c:get_history_arrays())) - 0.04) < 1e-12)
  end)

  it("replays with the same seed, differs with another", function()
    local env = bench_env()
    local function run(seed)
      local a = S.Agent{environment = env, params = BENCH, rng_seed = seed}
      a:update{dt = 0.02, steps = 2000}
      return a:get_history_arrays().pos
    end
    local p1, p2, p3 = run(11), run(11), run(12)
    assert.is_true(canns.array_equal(p1, p2))
    assert.is_true(testutil.maxabs(p1:slice(1, {1, 50}), p3:slice(1, {1, 50})) > 1e-6)
    -- steps = n in one call equals n single calls
    local a = S.Agent{environment = env, params = BENCH, rng_seed = 11}
    for _ = 1, 2000 do a:update(0.02) end
    assert.is_true(canns.array_equal(p1, a:get_history_arrays().pos))
  end)

  it("gives every agent of Agents the same path on 1 or 2 threads", function()
    local env = bench_env()
    local nt = canns.num_threads()
    local function run(threads)
      canns.set_num_threads(threads)
      local g = S.Agents{environment = env, n = 64, rng_seed = 4, params = BENCH, init_pos = {0.5, 0.5}}
      g:update{dt = 0.02, steps = 500}
      return g:positions()
    end
    local one, two = run(1), run(2)
    canns.set_num_threads(nt)
    assert.is_true(canns.array_equal(one, two))
    -- agent i is independent of the others: different paths
    assert.is_true(math.abs(one[{1, 1}] - one[{2, 1}]) > 1e-9)
    local g = S.Agents{environment = env, n = 3, rng_seed = 4, save_history = true}
    g:update{steps = 10}
    assert.are.same({10, 2}, g:get_history_arrays(3).pos:shape())
    assert.are.equal(3, #g)
  end)
end)

describe("Agent forced, drifted and imported motion", function()
  it("forced steps (oracle 9)", function()
    local a = S.Agent{environment = S.Environment{scale = 5}, rng_seed = 1, dt = 0.1}
    a:update{forced_next_position = {1, 1}}
    local d0 = a.distance_travelled
    a:update{forced_next_position = {1.3, 1.4}}
    local v = a.measured_velocity
    assert.is_true(math.abs(v[1] - 3) < 1e-12 and math.abs(v[2] - 4) < 1e-12)
    assert.is_true(math.abs(a.distance_travelled - d0 - 0.5) < 1e-12)
    a:update{forced_next_position = {7, -1}}
    assert.are.same({5, 0}, a.pos)
    assert.are.equal(3, a:get_history_arrays().t:size())
  end)

  it("drift (oracle 8)", function()
    local a = S.Agent{environment = S.Environment{}, rng_seed = 1, init_pos = {0.25, 0.75},
                      init_vel = {0, 0}, speed_mean = 1e-4, speed_std = 0,
                      rotational_velocity_std = 0, thigmotaxis = 0, wall_repel_strength = 0}
    for _ = 1, 20 do a:update{dt = 0.05, drift_velocity = {0.05, -0.02}, drift_to_random_strength_ratio = 5} end
    local p, v = a.pos, a.velocity
    assert.is_true(math.abs(p[1] - 0.26791) < 1e-5 and math.abs(p[2] - 0.74283) < 1e-5)
    assert.is_true(math.abs(v[1] - 0.0179168) < 1e-7 and math.abs(v[2] + 0.0071667) < 1e-7)
  end)

  it("reproduces an imported trajectory exactly", function()
    local env = S.Environment{scale = 2}
    local a = S.Agent{environment = env, rng_seed = 1}
    local times, pos = {}, {}
    for k = 0, 10 do times[k + 1], pos[k + 1] = k * 0.5, {0.1 * k, 1 + 0.05 * k} end
    a:import_trajectory(times, pos)
    a:update{dt = 0.25, steps = 20}
    local h = a:get_history_arrays()
    for k = 1, 19 do -- t = 0.25 k: linear interpolation
      local t = 0.25 * k
      assert.is_true(math.abs(h.pos[{k, 1}] - 0.2 * t) < 1e-12 and math.abs(h.pos[{k, 2}] - (1 + 0.1 * t)) < 1e-12)
      assert.is_true(math.abs(h.vel[{k, 1}] - 0.2) < 1e-12)
    end
    local b = S.Agent{environment = env, rng_seed = 1}
    b:import_trajectory(times, pos, {interpolate = false})
    assert.is_true(math.abs(b.pos[1] - 0.1) < 1e-15) -- the import consumes sample 1
    b:update{dt = 0.1}
    assert.is_true(math.abs(b.pos[1] - 0.2) < 1e-15)
    testutil.fails_with("must be strictly increasing", a.import_trajectory, a, {0, 1, 1}, {{0, 0}, {1, 1}, {1, 1}})
    testutil.fails_with("same length", a.import_trajectory, a, {0, 1}, {{0, 0}})
  end)

  it("setters and read-outs", function()
    local a = S.Agent{environment = S.Environment{}, rng_seed = 3}
    a.pos = {2, 0.5}
    assert.are.same({1, 0.5}, a.pos)
    a.velocity = {0, 0.1}
    assert.are.same({0, 1}, a.head_direction)
    a.speed_mean = 0.2
    assert.are.equal(0.2, a:params().speed_mean)
    assert.are.equal(0.08, S.default_params().speed_mean)
    assert.is_false(a:get_history_arrays().t:size() > 0)
    testutil.fails_with("cannot set 'colour'", function() a.colour = 1 end)
    testutil.fails_with("option 'thigmotaxis' must be in [0, 1]", function() a.thigmotaxis = 2 end)
  end)

  it("refuses bad arguments", function()
    local env = S.Environment{}
    testutil.fails_with("Agent: option 'environment' is required", S.Agent, {})
    testutil.fails_with("unknown option 'rng_sed'", S.Agent, {environment = env, rng_sed = 1})
    testutil.fails_with("unknown agent parameter 'speed'", S.Agent, {environment = env, params = {speed = 1}})
    testutil.fails_with("option 'dt' must be > 0", S.Agent, {environment = env, dt = -1})
    testutil.fails_with("finite", S.Agent, {environment = env, speed_mean = 0 / 0})
    testutil.fails_with("option 'init_pos' must be a point", S.Agent, {environment = env, init_pos = {1}})
    testutil.fails_with("rng_seed", S.Agent, {environment = env, rng_seed = -3})
    local a = S.Agent{environment = env, rng_seed = 1}
    testutil.fails_with("update: option 'dt' must be a finite number > 0", a.update, a, {dt = -0.1})
    testutil.fails_with("update: option 'steps'", a.update, a, {steps = 1.5})
    testutil.fails_with("unknown option 'step'", a.update, a, {step = 3})
    testutil.fails_with("drift_velocity", a.update, a, {drift_velocity = {1, 0 / 0}})
    testutil.fails_with("Agents: option 'n'", S.Agents, {environment = env, n = 0})
    testutil.fails_with("Agents: option 'n' is too large: must be at most 1000000", S.Agents,
      {environment = env, n = 2e6})
    testutil.fails_with("at most 1e8 rows", a.update, a, {steps = 2e8})
    testutil.fails_with("property names are strings", function() a[1] = 2 end)
    testutil.fails_with("sample_positions: argument 2 (method) must be a string", env.sample_positions, env, 3, {})
  end)
end)

describe("spatial figures", function()
  it("draws the environment, trajectories, animations and histograms", function()
    local dir = testutil.tmpdir()
    local env = S.Environment{boundary = {{0, 0}, {2, 0}, {2, 2}, {0, 2}}, objects = {{0.5, 0.5}},
                              holes = {{{0.8, 0.8}, {1.2, 0.8}, {1.2, 1.2}, {0.8, 1.2}}}}
    local a = S.Agent{environment = env, rng_seed = 3, dt = 0.02}
    a:update{steps = 300}
    local fig = a:plot_trajectory{autosave = dir .. "/traj.png", color = "changing", colorbar = true}
    assert.is_truthy(fig)
    local an = a:animate_trajectory{save = dir .. "/traj.gif", framerate = 10}
    assert.are.equal(60, an.frames)
    assert.are.equal(60, canns.core.plot_gif_info(dir .. "/traj.gif").frames)
    a:plot_histogram_of_speeds{save_path = dir .. "/speeds.png"}
    a:plot_histogram_of_rotational_velocities{save_path = dir .. "/rot.png", bins = 20}
    local ax, f = env:plot_environment{style = "scientific"}
    f:savefig(dir .. "/env.png")
    for _, n in ipairs{"traj.png", "speeds.png", "rot.png", "env.png"} do
      assert.is_true(testutil.exists(dir .. "/" .. n), n)
    end
    local long = S.Agent{environment = env, rng_seed = 2, dt = 0.02}
    long:update{steps = 2500}
    testutil.fails_with("too many frames", long.animate_trajectory, long, {framerate = 1000})
    testutil.fails_with("unknown option 'colour'", a.plot_trajectory, a, {colour = "r"})
    testutil.fails_with("option 'style' must be one of", env.plot_environment, env, {style = "fancy"})
    local empty = S.Agent{environment = env, rng_seed = 1}
    testutil.fails_with("history is empty", empty.animate_trajectory, empty, {})
    testutil.rmtree(dir)
  end)
end)
