-- Navigation tasks (canns.task): the behavioural oracles of upstream's
-- open- and closed-loop tasks, imported data and cost grids against
-- fixtures made with canns 1.5 (scripts/fixtures/make_spatial_fixtures.py),
-- geodesic distances against the plain Dijkstra, figures, bad input.
local canns = require "canns"
local T = canns.task

local function fx(name) return canns.load(testutil.fixture("spatial/" .. name .. ".npy")) end
local function quiet(f, ...)
  local p = print
  print = function() end
  local r = table.pack(pcall(f, ...))
  print = p
  if not r[1] then error(r[2], 0) end
  return table.unpack(r, 2, r.n)
end

local COMPLEX = {boundary = {{0, 0}, {2, 0}, {2, 2}, {0, 2}},
  walls = {{{0.5, 0}, {0.5, 1}}, {{0.5, 1}, {1, 1}}, {{1.5, 2}, {1.5, 1}}, {{1.5, 1}, {1, 1}},
           {{0.2, 0.2}, {1.6, 1.6}}},
  holes = {{{0.7, 0.7}, {1.3, 0.7}, {1.3, 1.3}, {0.7, 1.3}}, {{0, 1.25}, {0.8, 1.25}, {0.8, 2}, {0, 2}}}}

describe("OpenLoopNavigationTask", function()
  it("runs a straight line (oracle 6)", function()
    local t = T.OpenLoopNavigationTask{width = 5, height = 5, start_pos = {1.0, 2.5},
      initial_head_direction = 0, speed_std = 0, rotational_velocity_std = 0, dt = 0.1, duration = 10}
    assert.are.equal(100, t.total_steps)
    t:get_data()
    local d = t.data
    assert.are.same({100, 2}, d.position:shape())
    for k = 1, 100 do
      assert.is_true(math.abs(d.position[{k, 1}] - (1.0 + 0.004 * k)) < 1e-12)
      assert.are.equal(2.5, d.position[{k, 2}])
      assert.is_true(math.abs(d.speed[k] - 0.04) < 1e-12)
      assert.are.equal(0, d.hd_angle[k]); assert.are.equal(0, d.rot_vel[k])
      assert.are.equal(0, d.movement_direction[k])
    end
    assert.is_nil(d.ang_velocity)
  end)

  it("runs up the T-maze stem (oracle 7)", function()
    local t = T.TMazeRecessOpenLoopNavigationTask{duration = 3, w = 0.84, l_s = 3.64, l_arm = 2.36,
      t = 1.0, start_pos = {0, 0.6}, recess_width = 0.2, recess_depth = 0.2,
      initial_head_direction = math.pi / 2, speed_mean = 1.2, speed_std = 0,
      rotational_velocity_std = 0, dt = 0.001}
    t:get_data()
    local p = t.data.position
    assert.are.equal(3000, p:shape()[1])
    for k = 1, 3000, 37 do
      assert.is_true(math.abs(p[{k, 1}]) < 1e-12)
      assert.is_true(math.abs(p[{k, 2}] - (0.6 + 0.0012 * k)) < 1e-9)
      assert.is_true(math.abs(t.data.hd_angle[k] - math.pi / 2) < 1e-12)
    end
    assert.is_true(math.abs(p[{3000, 2}] - 4.2) < 1e-9)
  end)

  it("replays with a seed, doubles rows without reset (oracle 15)", function()
    local function mk(seed) return T.OpenLoopNavigationTask{duration = 5, dt = 0.1, rng_seed = seed} end
    local a, b, c = mk(3), mk(3), mk(4)
    a:get_data(); b:get_data(); c:get_data()
    assert.is_true(canns.array_equal(a.data.position, b.data.position))
    assert.is_true(canns.array_equal(a.data.velocity, b.data.velocity))
    assert.is_true(testutil.maxabs(a.data.position, c.data.position) > 1e-6)
    local first = a.data.position
    a:get_data()
    assert.are.equal(100, a.data.position:shape()[1])
    a:reset(); a:get_data()
    assert.is_true(canns.array_equal(first, a.data.position))
    assert.are.equal(2, T.OpenLoopNavigationTask{duration = 0.3, dt = 0.1}.total_steps)
  end)

  it("imports data exactly (oracle 10 and a canns fixture)", function()
    local t = T.OpenLoopNavigationTask{dt = 0.1}
    quiet(t.import_data, t, {{0, 0}, {0.1, 0}, {0.1, 0}, {0.1, 0.2}})
    local d = t.data
    assert.is_true(testutil.maxabs(d.velocity, {{1, 0}, {1, 0}, {0, 0}, {0, 2}}) < 1e-12)
    assert.is_true(testutil.maxabs(d.speed, {1, 1, 0, 2}) < 1e-12)
    assert.is_true(testutil.maxabs(d.hd_angle, {0, 0, 0, math.pi / 2}) < 1e-7)
    assert.is_true(testutil.maxabs(d.rot_vel, {0, 0, 0, math.pi / 2}) < 1e-6)
    t:calculate_theta_sweep_data()
    assert.is_true(testutil.maxabs(d.ang_velocity, {0, 0, 0, 15.70796}) < 1e-4)
    assert.is_true(testutil.maxabs(d.linear_speed_gains, {0.5, 0.5, 0, 1}) < 1e-12)
    assert.is_true(testutil.maxabs(d.ang_speed_gains, {0, 0, 0, 1}) < 1e-12)
    assert.are.equal(4, t.total_steps)
    testutil.fails_with("must contain at least 2 time steps", quiet, t.import_data, t, {{0, 0}})
    testutil.fails_with("1 or 2 spatial dimensions", quiet, t.import_data, t, {{0, 0, 0}, {1, 1, 1}})
    testutil.fails_with("must match the task dimensionality", quiet, t.import_data, t, {{0}, {1}})
    -- the fixture trajectory (random walk with stationary samples)
    local u = T.OpenLoopNavigationTask{duration = 3, width = 2.2, height = 2.2, dt = 0.01}
    quiet(u.import_data, u, {position_data = fx("import_pos"), times = fx("import_times")})
    u:calculate_theta_sweep_data()
    for _, f in ipairs{"velocity", "speed", "movement_direction", "hd_angle", "linear_speed_gains"} do
      assert.is_true(testutil.maxabs(u.data[f], fx("import_" .. f)) < 1e-12, f)
    end
    assert.is_true(testutil.maxabs(u.data.rot_vel, fx("import_rot_vel")) == 0, "rot_vel (float32)")
    assert.is_true(testutil.maxabs(u.data.ang_velocity, fx("import_ang_velocity")) < 1e-9)
    assert.is_true(testutil.maxabs(u.data.ang_speed_gains, fx("import_ang_speed_gains")) < 1e-12)
  end)

  it("map2pi (oracle 11)", function()
    assert.is_true(math.abs(T.map2pi(3.5) + 2.7831853) < 1e-6)
    assert.is_true(math.abs(T.map2pi(-4.0) - 2.2831853) < 1e-6)
    assert.is_true(math.abs(T.map2pi(0.1) - 0.1) < 1e-7)
  end)

  it("raster scan policy (oracle 21) and custom policies", function()
    local r = T.RasterScanNavigationTask{duration = 2, dt = 0.1}
    local pol = r.action_policy
    local a = pol:compute_action(0, r.agent)
    assert.are.same({0.15, 0}, a.drift_velocity)
    assert.are.equal(15, a.drift_to_random_strength_ratio)
    r:get_data()
    assert.are.same({20, 2}, r.data.position:shape())
    -- a turn lasts steps + 1 = 3 calls, stepping down
    local p = T.StateAwareRasterScanPolicy{width = 1, height = 1}
    local fake = {pos = {0.96, 0.5}}
    local acts = {}
    for i = 1, 4 do acts[i] = p:compute_action(i - 1, fake) end
    for i = 1, 3 do assert.are.same({0, -0.3}, acts[i].drift_velocity) end
    assert.are.same({-0.15, 0}, acts[4].drift_velocity)
    p:compute_action(4, {pos = {0.5, 0.04}})
    assert.are.equal("vertical", p.mode)
    local calls = 0
    local c = T.CustomOpenLoopNavigationTask{duration = 1, dt = 0.1, rng_seed = 1,
      action_policy = T.ActionPolicy{compute_action = function(_, i, agent)
        calls = calls + 1
        return {forced_next_position = {1 + 0.1 * i, 1}}
      end}}
    c:get_data()
    assert.are.equal(10, calls)
    assert.is_true(math.abs(c.data.position[{10, 1}] - 1.9) < 1e-12)
  end)

  it("refuses bad arguments", function()
    testutil.fails_with("unknown option 'durration'", T.OpenLoopNavigationTask, {durration = 1})
    testutil.fails_with("NotImplementedError", T.OpenLoopNavigationTask, {dimensionality = "1d"})
    testutil.fails_with("option 'dt' must be > 0", T.OpenLoopNavigationTask, {dt = -0.1})
    testutil.fails_with("option 'duration' must be >= 0", T.OpenLoopNavigationTask, {duration = -1})
    testutil.fails_with("boundary_conditions", T.OpenLoopNavigationTask, {boundary_conditions = "torus"})
    testutil.fails_with("option 'start_pos' must be a point", T.OpenLoopNavigationTask, {start_pos = {1}})
    testutil.fails_with("self-intersecting", T.OpenLoopNavigationTask,
      {boundary = {{0, 0}, {1, 1}, {1, 0}, {0, 1}}})
    testutil.fails_with("2-point segment", T.OpenLoopNavigationTask, {walls = {{{0, 0}, {1, 1}, {1, 2}}}})
    testutil.fails_with("option 'speed_mean' must not be NaN", T.OpenLoopNavigationTask, {speed_mean = 0 / 0})
    local t = T.OpenLoopNavigationTask{duration = 1}
    testutil.fails_with("No trajectory data", t.calculate_theta_sweep_data, t)
    testutil.fails_with("no data", t.save_data, t, "x.npz")
  end)

  it("saves and loads its data (oracle 14) and draws its figures", function()
    local dir = testutil.tmpdir()
    local t = T.OpenLoopNavigationTask{duration = 20, dt = 0.1, rng_seed = 1}
    t:get_data()
    t:save_data(dir .. "/sub/traj.npz")
    local u = T.OpenLoopNavigationTask{duration = 20, dt = 0.1}
    u:load_data(dir .. "/sub/traj.npz")
    assert.is_true(canns.array_equal(t.data.position, u.data.position))
    quiet(t.show_trajectory_analysis, t, {show = false, save_path = dir .. "/traj.png"})
    t:show_data{show = false, save_path = dir .. "/data.png"}
    assert.is_true(testutil.exists(dir .. "/traj.png") and testutil.exists(dir .. "/data.png"))
    testutil.rmtree(dir)
  end)
end)

describe("ClosedLoopNavigationTask", function()
  it("forced steps (oracle 9)", function()
    local c = T.ClosedLoopNavigationTask{dt = 0.1}
    assert.are.equal(1, c.agent:history_times():size())
    c:step_by_pos{1, 1}
    c:step_by_pos{1.3, 1.4}
    local v = c.agent.measured_velocity
    assert.is_true(math.abs(v[1] - 3) < 1e-12 and math.abs(v[2] - 4) < 1e-12)
    c:step_by_pos{7, -1}
    assert.are.same({5, 0}, c.agent.pos)
    assert.are.equal(4, c.agent:history_times():size())
    testutil.fails_with("NotImplementedError", c.get_data, c)
    testutil.fails_with("unknown option 'rng_seed'", T.ClosedLoopNavigationTask, {rng_seed = 1})
  end)
end)

describe("movement-cost grid and geodesic distances", function()
  it("match the oracles of upstream (12, 13)", function()
    local u = T.ClosedLoopNavigationTask{width = 1, height = 1, grid_dx = 1, grid_dy = 1}
    local r = u:compute_geodesic_distance_matrix()
    assert.are.same({1, 1}, r.distances:shape()); assert.are.equal(0, r.distances[{1, 1}])
    r = u:compute_geodesic_distance_matrix{dx = 0.5, dy = 0.5} -- rebuilds the grid
    assert.are.same({4, 4}, r.distances:shape())
    assert.is_true(math.abs(r.distances[{1, 4}] - math.sqrt(0.5)) < 1e-15)
    assert.are.equal(0, u:get_geodesic_index_by_pos{0.25, 0.25})
    assert.are.equal(1, u:get_geodesic_index_by_pos{0.75, 0.25})
    assert.are.equal(-1, u:get_geodesic_index_by_pos{0.25, 0.75})
    assert.are.equal(0, u:get_geodesic_index_by_pos{0.25, 0.5})
    assert.are.equal(2, u:get_geodesic_index_by_pos{0.25, 0.0})
    assert.are.equal(-1, u:get_geodesic_index_by_pos{1.0, 0.25})
    assert.are.equal(2, u:get_geodesic_index_by_pos({0.25, 0.25}, {bug_compatible = false}))
    assert.are.equal(0, u:get_geodesic_index_by_pos({0.25, 0.75}, {bug_compatible = false}))
    local w = T.ClosedLoopNavigationTask{width = 1, height = 1, grid_dx = 0.25, grid_dy = 0.25,
      walls = {{{0, 0.5}, {0.5, 0.5}}}, holes = {{{0.5, 0}, {1, 0}, {1, 0.5}, {0.5, 0.5}}}}
    local g = w:build_movement_cost_grid()
    assert.are.same({4, 4}, g.shape)
    assert.are.same({{0, 0}, {0, 1}, {0, 2}, {0, 3}, {3, 0}}, g.accessible_indices:totable())
    local D = w:compute_geodesic_distance_matrix().distances
    assert.are.equal(0.5, D[{1, 3}]); assert.are.equal(math.huge, D[{1, 5}])
    local none = T.ClosedLoopNavigationTask{width = 1, height = 1, grid_dx = 0.5, grid_dy = 0.5,
      holes = {{{0.05, 0.05}, {0.95, 0.05}, {0.95, 0.95}, {0.05, 0.95}}}}
    assert.are.same({0, 0}, none:compute_geodesic_distance_matrix().distances:shape())
  end)

  it("match canns 1.5's grids and distances", function()
    local c = T.ClosedLoopNavigationTask{boundary = COMPLEX.boundary, walls = COMPLEX.walls,
      holes = COMPLEX.holes, dt = 0.01, grid_dx = 0.1, grid_dy = 0.1}
    assert.is_true(canns.array_equal(c:build_movement_cost_grid().costs, fx("grid_complex_costs")))
    local D = c:compute_geodesic_distance_matrix().distances
    local rows = fx("grid_complex_dist_rows")
    for j, r in ipairs{1, 51, 214} do
      local ours = D[r]
      for k = 1, 214 do
        local a, b = ours[k], rows[{j, k}]
        assert.is_true(a == b or math.abs(a - b) < 1e-12, "row " .. r)
      end
    end
    -- symmetric with a zero diagonal; the threaded heap Dijkstra equals the plain one
    local ref = c.cost_grid:geodesic_distances(true)
    local same = true
    for i = 1, 214, 13 do
      for k = 1, 214 do
        if math.abs(D[{i, k}] - D[{k, i}]) > 1e-12 and D[{i, k}] ~= D[{k, i}] then same = false end
        if D[{i, k}] ~= ref[{i, k}] and math.abs(D[{i, k}] - ref[{i, k}]) > 1e-12 then same = false end
      end
      assert.are.equal(0, D[{i, i}])
    end
    assert.is_true(same)
    local tm = T.TMazeOpenLoopNavigationTask{dt = 0.01, grid_dx = 0.1, grid_dy = 0.1}
    assert.is_true(canns.array_equal(tm:build_movement_cost_grid().costs, fx("grid_tmaze_costs")))
    local tr = T.TMazeRecessOpenLoopNavigationTask{dt = 0.01, grid_dx = 0.05, grid_dy = 0.05}
    assert.is_true(canns.array_equal(tr:build_movement_cost_grid().costs, fx("grid_tmaze_recess_costs")))
    local box = T.ClosedLoopNavigationTask{dt = 0.1, grid_dx = 0.2, grid_dy = 0.3}
    assert.is_true(canns.array_equal(box:build_movement_cost_grid().costs, fx("grid_box_costs")))
    local q, idx = fx("grid_box_query"), fx("grid_box_index")
    for i = 1, q:shape()[1] do
      assert.are.equal(idx[i], box:get_geodesic_index_by_pos{q[{i, 1}], q[{i, 2}]})
    end
    local dir = testutil.tmpdir()
    c:show_geodesic_distance_matrix{show = false, save_path = dir .. "/geo.png", normalize = true}
    c:show_data{show = false, save_path = dir .. "/grid.png", overlay_movement_cost = true}
    assert.is_true(testutil.exists(dir .. "/geo.png") and testutil.exists(dir .. "/grid.png"))
    testutil.rmtree(dir)
    testutil.fails_with("option 'dx' must be > 0", c.compute_geodesic_distance_matrix, c, {dx = -1})
  end)
end)
