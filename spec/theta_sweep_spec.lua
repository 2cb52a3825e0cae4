-- The theta-sweep models (calculate_theta_modulation, DirectionCellNetwork,
-- GridCellNetwork) against canns 1.5.0 fixtures
-- (scripts/fixtures/make_theta_fixtures.py): connectivity, inputs, a
-- 300-step noise-free direction -> grid chain (both recurrent methods of
-- the grid module), canns.run with named inputs; the noise against theory;
-- bad arguments.
local canns = require "canns"

local function fx(name) return canns.load(testutil.fixture("theta/" .. name .. ".npy")) end
local function maxabs(a, b) return (a - b):abs():max() end
-- max |a - b| relative to max |b|
local function rel(a, b) return maxabs(a, b) / b:abs():max() end
local M = canns.models

local function chain_nets(method)
  local dc = M.DirectionCellNetwork{num = 60, noise_strength = 0}
  local gc = M.GridCellNetwork{num_dc = 60, num_gc_x = 12, noise_strength = 0, mapping_ratio = 3,
    adaptation_strength = 25, method = method}
  return dc, gc
end

describe("calculate_theta_modulation", function()
  before_each(function() canns.set_dt(1.0) end)

  it("matches upstream for numbers and arrays", function()
    local cases = fx "theta_mod"
    for i = 1, cases:shape()[1] do
      local c = cases[i]
      local dt = c[7] > 0 and c[7] or nil
      local ph, hd, gc = M.calculate_theta_modulation(c[1], c[2], c[3], c[4], c[5], c[6], dt)
      assert.is_true(math.abs(ph - c[8]) <= 1e-6 and math.abs(hd - c[9]) <= 1e-6 and
                     math.abs(gc - c[10]) <= 1e-6, "case " .. i)
    end
    local ph, hd, gc = M.calculate_theta_modulation(canns.arange(0, 300, 1), fx "path_lin",
                                                    fx "path_ang", 1.0, 1.0, 100.0)
    assert.is_true(maxabs(ph, fx "run_phase") < 2e-6)
    assert.is_true(maxabs(hd, fx "run_mod_hd") < 2e-6)
    assert.is_true(maxabs(gc, fx "run_mod_gc") < 2e-6)
    -- defaults: no theta strength, gains of 1
    local p, a, b = M.calculate_theta_modulation(25, 0.3, 0.2)
    assert.is_true(math.abs(p + math.pi / 2) < 1e-6)
    assert.are.equal(1, a); assert.are.equal(1, b)
  end)

  it("rejects bad arguments", function()
    testutil.fails_with("argument 3 (ang_gain) must be a number", M.calculate_theta_modulation, 1, 0.5, "x")
    testutil.fails_with("theta_cycle_len) must be > 0, got 0", M.calculate_theta_modulation, 1, 0.5, 0.1, 1, 1, 0)
    testutil.fails_with("theta_strength_hd) must not be NaN", M.calculate_theta_modulation, 1, 0.5, 0.1, 0 / 0)
  end)
end)

describe("DirectionCellNetwork", function()
  before_each(function() canns.set_dt(1.0) end)

  it("builds upstream's coordinates, connectivity and input bump", function()
    local dc = M.DirectionCellNetwork{num = 60, noise_strength = 0}
    assert.are.equal(0, maxabs(dc.x, fx "dc60_x"))
    assert.is_true(rel(dc.conn_mat, fx "dc60_conn") < 1e-6)
    assert.is_true(rel(dc:make_connection(), fx "dc60_conn") < 1e-6)
    assert.is_true(rel(dc:input_bump(0.7), fx "dc60_bump") < 1e-6)
    assert.are.same({"head_direction", "theta_input"}, dc:input_names())
    assert.are.equal(1.5, dc.m)
    assert.are.equal(60, dc.num)
    assert.is_true(math.abs(dc.z_range - 2 * math.pi) < 1e-15)
    assert.is_true(math.abs(dc:calculate_dist(4.0) - (4.0 - 2 * math.pi)) < 1e-6)
    assert.is_true(math.abs(dc:get_bump_center(dc:input_bump(-2.0))[1] + 2.0) < 1e-5)
    assert.are.same({1}, dc.center:shape()); assert.are.same({1}, dc.centerI:shape())
  end)

  it("runs with named inputs as it steps", function()
    local hd, T = fx "path_hd", 50
    local th = canns.ones({T}, "float32") * 1.3
    local a, b = M.DirectionCellNetwork{num = 60, noise_strength = 0},
                 M.DirectionCellNetwork{num = 60, noise_strength = 0}
    local out = canns.run(a, {head_direction = hd:slice(1, {1, T}), theta_input = th}, {record = {"r", "v"}})
    for t = 1, T do b:update(hd[t], 1.3) end
    assert.are.equal(0, maxabs(out.r[T], b.r))
    assert.are.equal(0, maxabs(out.v[T], b.v))
    b:reset()
    assert.are.equal(0, b.r:max())
  end)

  it("draws its noise from the seeded generator, as theory predicts", function()
    -- no input, no recurrence: one step from rest gives u = max(0, h s z) with
    -- h = dt exprel(-dt/tau)/tau = (1 - e^(-dt/tau)), z standard normal
    local s, n = 0.5, 3000
    canns.random.seed(5)
    local dc = M.DirectionCellNetwork{num = n, noise_strength = s, A = 0, J0 = 0}
    dc:update(0, 1)
    local u = dc.u
    local h = 1 - math.exp(-1 / 10)
    local mean = u:mean()
    local expect = h * s / math.sqrt(2 * math.pi)
    assert.is_true(math.abs(mean - expect) < 4 * h * s * 0.6 / math.sqrt(n), mean .. " vs " .. expect)
    local pos = (u:gt(0)):astype("float64"):mean()
    assert.is_true(math.abs(pos - 0.5) < 4 * 0.5 / math.sqrt(n))
    canns.random.seed(5)
    local again = M.DirectionCellNetwork{num = n, noise_strength = s, A = 0, J0 = 0}
    again:update(0, 1)
    assert.are.equal(0, maxabs(again.u, u))
  end)

  it("adds connection noise of the given size only when asked", function()
    canns.random.seed(2)
    local dc = M.DirectionCellNetwork{num = 200, conn_noise = 0.3}
    local d = dc.conn_mat - dc:make_connection()
    assert.is_true(math.abs(d:std() - 0.3) < 0.01 and math.abs(d:mean()) < 0.01)
  end)

  it("rejects bad arguments", function()
    local D = M.DirectionCellNetwork
    testutil.fails_with("argument 'num' (the number of neurons) is required", D, {})
    testutil.fails_with("argument 'num' must be a positive integer, got 0", D, {num = 0})
    testutil.fails_with("argument 'tau' must be a finite number, got nan", D, {num = 4, tau = 0 / 0})
    testutil.fails_with("argument 'a' must be > 0, got -1", D, {num = 4, a = -1})
    testutil.fails_with("argument 'z_max' (-1) must be > z_min (1)", D, {num = 4, z_min = 1, z_max = -1})
    testutil.fails_with("unknown argument 'nun'", D, {nun = 4})
    local dc = D{num = 8}
    testutil.fails_with("head_direction and theta_input must be finite, got nan", dc.update, dc, 0 / 0, 1)
    testutil.fails_with("DirectionCellNetwork has no input 'theta' (it takes: head_direction, theta_input)", canns.run, dc, {head_direction = canns.zeros({3}), theta = canns.zeros({3})}, {record = {"r"}})
    testutil.fails_with("theta_input", canns.run, dc, {head_direction = canns.zeros({3})}, {record = {"r"}})
    testutil.fails_with("input_bump", dc.input_bump, dc, "north")
  end)
end)

describe("GridCellNetwork", function()
  before_each(function() canns.set_dt(1.0) end)

  it("builds upstream's geometry, connectivity and conjunctive input", function()
    local _, gc = chain_nets("dense")
    assert.are.equal("dense", gc.method)
    assert.is_true(rel(gc.conn_mat, fx "gc12_conn") < 1e-6)
    assert.is_true(rel(gc:make_connection(), fx "gc12_conn") < 1e-6)
    assert.are.equal(0, maxabs(gc.value_grid, fx "gc12_value_grid"))
    assert.is_true(maxabs(gc.candidate_centers, fx "gc12_candidates") < 1e-5)
    assert.are.equal(0, maxabs(gc.coor_transform_inv, fx "gc12_Tinv"))
    assert.is_true(maxabs(gc:make_candidate_centers(gc.Lambda), fx "gc12_candidates") < 1e-5)
    local pts, ph = fx "gc12_points", fx "gc12_phase"
    for i = 1, pts:shape()[1] do
      assert.is_true(maxabs(gc:position2phase(pts[i]), ph[i]) < 1e-5, "point " .. i)
    end
    assert.is_true(rel(gc:calculate_input_from_conjgc(pts[1], fx "gc12_dact", 1.3), fx "gc12_conj") < 1e-5)
    assert.are.same({"animal_position", "direction_activity", "theta_modulation"}, gc:input_names())
    assert.are.equal(144, gc.num); assert.are.equal(12, gc.num_gc_1side)
    assert.are.equal(2.5, gc.m)
    assert.is_true(math.abs(gc.Lambda - 2 * math.pi / 3) < 1e-15)
    assert.are.equal("fft", M.GridCellNetwork{num_gc_x = 40, num_dc = 10}.method) -- auto
  end)

  it("follows upstream for 300 steps of the direction -> grid chain (dense and fft)", function()
    local pos, hd = fx "path_pos", fx "path_hd"
    local _, mod_hd, mod_gc = M.calculate_theta_modulation(canns.arange(0, 300, 1), fx "path_lin",
                                                           fx "path_ang", 1.0, 1.0, 100.0)
    for _, method in ipairs{"dense", "fft"} do
      local dc, gc = chain_nets(method)
      assert.are.equal(method, gc.method)
      local d = canns.run(dc, {head_direction = hd, theta_input = mod_hd},
                          {record = {"r", "u", "v", "center"}})
      local g = canns.run(gc, {animal_position = pos, direction_activity = d.r,
                               theta_modulation = mod_gc},
                          {record = {"r", "u", "v", "center_phase", "center_position", "gc_bump",
                                     "conj_input"}})
      local function every30(a) return a:slice(1, {30, 300, 30}) end
      local checks = {
        {every30(d.r), "run_dc_r", 1e-5}, {every30(d.u), "run_dc_u", 1e-5},
        {every30(d.v), "run_dc_v", 1e-5}, {every30(g.r), "run_gc_r", 1e-5},
        {every30(g.u), "run_gc_u", 1e-5}, {every30(g.v), "run_gc_v", 1e-5},
        {every30(g.gc_bump), "run_gc_bump", 1e-5}, {every30(g.conj_input), "run_gc_conj", 1e-5}}
      for _, c in ipairs(checks) do
        local e = rel(c[1], fx(c[2]))
        assert.is_true(e < c[3], ("%s %s: relative error %g"):format(method, c[2], e))
      end
      assert.is_true(maxabs(every30(d.center), fx "run_dc_center") < 1e-5)
      assert.is_true(maxabs(every30(g.center_phase), fx "run_gc_center_phase") < 1e-5)
      assert.is_true(maxabs(every30(g.center_position), fx "run_gc_center_position") < 1e-5)
    end
  end)

  it("computes the same recurrent input with the FFT as with the dense matrix", function()
    for _, L in ipairs{13, 20} do
      local a = M.GridCellNetwork{num_dc = 20, num_gc_x = L, noise_strength = 0, method = "dense"}
      local b = M.GridCellNetwork{num_dc = 20, num_gc_x = L, noise_strength = 0, method = "fft"}
      local dc = M.DirectionCellNetwork{num = 20, noise_strength = 0}
      for i = 1, 60 do
        dc:update(0.5, 1)
        local r = dc.r
        a:update({0.1 + 0.01 * i, 0.2}, r, 1.1)
        b:update({0.1 + 0.01 * i, 0.2}, r, 1.1)
      end
      assert.is_true(a.r:max() > 0)
      assert.is_true(rel(b.u, a.u) < 1e-5, "L " .. L)
    end
  end)

  it("sweeps ahead of a running animal at the theta frequency given", function()
    -- a straight run along x at 2 m/s; the decoded position's lead over the
    -- animal, after 200 steps of settling, has its largest Fourier
    -- component at the theta period (600 samples: bin 600 / cycle)
    local T = 800
    local pos = canns.zeros({T, 2}, "float32")
    for i = 1, T do pos[{i, 1}], pos[{i, 2}] = 0.2 + 0.002 * i, 0.5 end
    for _, cyc in ipairs{100, 75} do
      local dc = M.DirectionCellNetwork{num = 60, noise_strength = 0}
      local gc = M.GridCellNetwork{num_dc = 60, num_gc_x = 30, noise_strength = 0, mapping_ratio = 5,
                                   adaptation_strength = 25}
      local _, mhd, mgc = M.calculate_theta_modulation(canns.arange(0, T, 1), canns.ones({T}),
                                                       canns.zeros({T}), 1.0, 1.0, cyc)
      local d = canns.run(dc, {head_direction = canns.zeros({T}), theta_input = mhd}, {record = {"r"}})
      local g = canns.run(gc, {animal_position = pos, direction_activity = d.r, theta_modulation = mgc},
                          {record = {"center_position"}})
      local lead = (g.center_position:slice(2, 1) - pos:slice(2, 1)):flatten():slice(1, {201, T})
      local n, mean = lead:size(), lead:mean()
      local best, bk = -1, 0
      for k = 1, n // 2 do
        local re, im = 0, 0
        for t = 1, n do
          local x = lead[t] - mean
          re, im = re + x * math.cos(2 * math.pi * k * t / n), im + x * math.sin(2 * math.pi * k * t / n)
        end
        if re * re + im * im > best then best, bk = re * re + im * im, k end
      end
      assert.are.equal(n // cyc, bk)
      assert.is_true(lead:max() - lead:min() > 0.1) -- a sweep, not a fixed lead
    end
  end)

  it("decodes its bump like get_unique_activity_bump", function()
    local _, gc = chain_nets("dense")
    local act = gc:calculate_input_from_conjgc({0.3, 0.2}, fx "gc12_dact", 1)
    local cp, cpos, bump = gc:get_unique_activity_bump(act, {0.3, 0.2})
    assert.is_true(maxabs(cpos, canns.array({0.3, 0.2}, "float32")) < 0.05)
    assert.are.same({2}, cp:shape()); assert.are.same({144}, bump:shape())
  end)

  it("rejects bad arguments", function()
    local G = M.GridCellNetwork
    testutil.fails_with("argument 'num_gc_x' must be a positive integer, got -3", G, {num_gc_x = -3})
    testutil.fails_with("argument 'mapping_ratio' must be a finite number, got nan", G, {num_gc_x = 4, mapping_ratio = 0 / 0})
    testutil.fails_with("argument 'g' must be > 0, got 0", G, {num_gc_x = 4, g = 0})
    testutil.fails_with("argument 'method' must be 'auto', 'dense' or 'fft', got 'fast'", G, {num_gc_x = 4, method = "fast"})
    testutil.fails_with("method 'fft' needs conn_noise = 0", G, {num_gc_x = 4, method = "fft", conn_noise = 0.1})
    testutil.fails_with("unknown argument 'num_gc'", G, {num_gc = 4})
    local gc = G{num_gc_x = 6, num_dc = 5}
    testutil.fails_with("direction_activity", canns.run, gc, {animal_position = canns.zeros({3, 2}),
      direction_activity = canns.zeros({3, 4}), theta_modulation = canns.ones({3})}, {record = {"r"}})
    testutil.fails_with("must have num_dc = 5 values", gc.calculate_input_from_conjgc, gc, {0, 0}, {1, 2}, 1)
    testutil.fails_with("animal_position and theta_modulation must be finite", gc.update, gc, {0 / 0, 0}, canns.ones({5}), 1)
    testutil.fails_with("direction_activity[2] is nan", gc.update, gc, {0, 0}, canns.array({1, 0 / 0, 1, 1, 1}), 1)
    testutil.fails_with("GridCellNetwork has no state variable 'rr'", canns.run, gc, {animal_position = canns.zeros({3, 2}),
      direction_activity = canns.zeros({3, 5}), theta_modulation = canns.ones({3})}, {record = {"rr"}})
  end)
end)

describe("PlaceCellNetwork", function()
  before_each(function() canns.set_dt(1.0) end)
  local PC_OPTS = {tau = 3.0, tau_v = 150.0, noise_strength = 0.0, k = 1.4, m = 1.1, a = 0.3,
                   A = 2.3, J0 = 0.25, g = 20.0}
  local function tmaze_geo()
    local tm = canns.task.TMazeOpenLoopNavigationTask{dt = 0.01, grid_dx = 0.1, grid_dy = 0.1,
                                                      progress_bar = false}
    return tm:compute_geodesic_distance_matrix()
  end

  it("builds upstream's connectivity and inputs from a geodesic result", function()
    local geo = tmaze_geo()
    local pc = M.PlaceCellNetwork(geo, PC_OPTS)
    assert.are.equal(75, pc.cell_num)
    local rows = fx "pc_conn_rows"
    for k, i in ipairs{1, 8, 41} do assert.is_true(rel(pc.conn_mat[i], rows[k]) < 1e-6) end
    assert.is_true(rel(pc:make_connection()[8], rows[2]) < 1e-6)
    assert.are.equal(0, maxabs(pc.x, fx "pc_x"))
    local path, inp = fx "pc_path", fx "pc_input"
    for k = 1, inp:shape()[1] do
      assert.is_true(rel(pc:input_bump(path[(k - 1) * 50 + 1]), inp[k]) < 1e-6, "point " .. k)
    end
    assert.are.equal(-1, pc:get_geodesic_index_by_pos{0, 5})
    assert.are.equal(0, pc:input_bump({0, 5}):abs():max())
    assert.are.equal(geo, pc.geodesic_result)
    assert.are.equal(geo.cost_grid, pc.cost_grid)
    assert.are.same({75, 2}, pc.accessible_indices:shape())
    assert.are.same({"animal_pos", "theta_input"}, pc:input_names())
    assert.are.equal(1.1, pc.m) -- used as given, as upstream
    local same = M.PlaceCellNetwork{geodesic_result = geo, tau = 3.0, tau_v = 150.0, k = 1.4,
                                    m = 1.1, a = 0.3, A = 2.3, J0 = 0.25, g = 20.0}
    assert.are.equal(0, maxabs(same.conn_mat, pc.conn_mat))
    local r = canns.array({0, 1, 3}, "float32")
    assert.is_true(math.abs(pc:get_bump_center(r, canns.array({0, 0.1, 0.2}))[1] - 0.7 / 4) < 1e-7)
  end)

  it("follows upstream for 200 steps along the stem", function()
    local pc = M.PlaceCellNetwork(tmaze_geo(), PC_OPTS)
    local P = 200
    local mod = canns.zeros({P}, "float32")
    for i = 0, P - 1 do
      mod[i + 1] = 1 + 0.1 * 0.8 * math.cos(((i * 1.0) % 100) / 100 * 2 * math.pi - math.pi)
    end
    local out = canns.run(pc, {animal_pos = fx "pc_path", theta_input = mod},
                          {record = {"r", "u", "v", "center"}})
    local function every20(a) return a:slice(1, {20, 200, 20}) end
    for _, n in ipairs{"r", "u", "v", "center"} do
      local e = rel(every20(out[n]), fx("pc_" .. n))
      assert.is_true(e < 1e-5, ("%s: relative error %g"):format(n, e))
    end
  end)

  it("rejects a missing or bad geodesic result and bad arguments", function()
    local P = M.PlaceCellNetwork
    testutil.fails_with("argument 1 (geodesic_result) is required", P)
    testutil.fails_with("argument 1 (geodesic_result) is required", P, {tau = 3})
    testutil.fails_with("geodesic_result) must have distances and cost_grid", P, {distances = canns.zeros({2, 2})}, {})
    testutil.fails_with("argument 'geodesic_result' is required", canns.models.create, "PlaceCellNetwork", {})
    local geo = tmaze_geo()
    testutil.fails_with("argument 'tau' must be a finite number, got nan", P, geo, {tau = 0 / 0})
    testutil.fails_with("argument 'a' must be > 0, got 0", P, geo, {a = 0})
    testutil.fails_with("unknown option 'tua'", P, geo, {tua = 1})
    testutil.fails_with("must be a 75 x 75 matrix", P, {distances = canns.zeros({3, 3}), cost_grid = geo.cost_grid})
    local bad = geo.distances:copy(); bad[{1, 2}] = 0 / 0
    testutil.fails_with("distances must be >= 0 (or inf), got nan", P, {distances = bad, cost_grid = geo.cost_grid})
    testutil.fails_with("cost_grid) must be a MovementCostGrid", P, {distances = geo.distances, cost_grid = {}})
    local pc = P(geo)
    testutil.fails_with("animal_pos and theta_input must be finite", pc.update, pc, {0, 0 / 0}, 1)
  end)
end)

describe("ThetaSweepChain", function()
  before_each(function() canns.set_dt(1.0) end)

  it("steps direction then grid exactly as two runs do, recorded by dotted names", function()
    local T = 120
    local pt, ht = {}, {}
    for i = 1, T do pt[i] = {0.2 + 0.002 * i, 0.5}; ht[i] = 0.01 * i end
    local pos, hd = canns.array(pt, "float32"), canns.array(ht, "float32")
    local _, mhd, mgc = M.calculate_theta_modulation(canns.arange(0, T, 1), canns.ones({T}),
                                                     canns.zeros({T}), 1.0, 1.0, 100.0)
    local dc1, gc1 = chain_nets("fft")
    local d = canns.run(dc1, {head_direction = hd, theta_input = mhd}, {record = {"r"}})
    local g = canns.run(gc1, {animal_position = pos, direction_activity = d.r,
                              theta_modulation = mgc}, {record = {"center_position", "r"}})
    local dc2, gc2 = chain_nets("fft")
    local chain = M.ThetaSweepChain(dc2, gc2)
    assert.are.equal(dc2, dc2) -- the parts are the given models
    local out = canns.run(chain, {head_direction = hd, theta_input = mhd, animal_position = pos,
                                  theta_modulation = mgc},
                          {record = {"grid.center_position", "direction.r", "grid.r"}})
    assert.are.equal(0, maxabs(out["direction.r"], d.r))
    assert.are.equal(0, maxabs(out["grid.center_position"], g.center_position))
    assert.are.equal(0, maxabs(out["grid.r"], g.r))
    assert.are.equal(0, maxabs(chain.grid.r, gc1.r))
    assert.are.equal(0, maxabs(gc2.r, gc1.r))
  end)

  it("rejects parts of the wrong kind or size", function()
    local dc = M.DirectionCellNetwork{num = 50, noise_strength = 0}
    local gc = M.GridCellNetwork{num_dc = 60, num_gc_x = 10, noise_strength = 0}
    testutil.fails_with("the direction network has 50 cells but the grid network takes num_dc = 60",
                        M.ThetaSweepChain, dc, gc)
    testutil.fails_with("argument 1 (direction) must be a DirectionCellNetwork, got a GridCellNetwork",
                        M.ThetaSweepChain, gc, gc)
    testutil.fails_with("must be a model", M.ThetaSweepChain, dc, 3)
  end)
end)
