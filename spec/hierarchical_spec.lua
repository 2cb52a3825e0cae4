-- The hierarchical path-integration models (GaussRecUnits, NonRecUnits,
-- BandCell, GridCell, HierarchicalPathIntegrationModel,
-- HierarchicalNetwork) against canns 1.5.0 fixtures
-- (scripts/fixtures/make_hierarchical_fixtures.py): connectivity, initial
-- states, noise-free runs of 50-400 steps with both product methods
-- (dense and FFT), composite parts and dotted record names; the shifter
-- noise against theory and thread counts; the behavioural oracles (band
-- cells integrate velocity, the network decodes position); bad arguments.
local canns = require "canns"

local function fx(name) return canns.load(testutil.fixture("hierarchical/" .. name .. ".npy")) end
local function maxabs(a, b) return (a - b):abs():max() end
-- max |a - b| relative to max |b|
local function rel(a, b) return maxabs(a, b) / b:abs():max() end
local M = canns.models
local METHODS = {"dense", "fft"}

describe("GaussRecUnits", function()
  before_each(function() canns.set_dt(0.05) end)

  for _, method in ipairs(METHODS) do
    it("matches upstream's connectivity, start and 50 steps (" .. method .. ")", function()
      local g = M.GaussRecUnits{size = 60, noise = 0, method = method}
      assert.are.equal(method, g.method)
      assert.is_true(rel(g.conn_mat, fx "gru_conn") < 1e-6)
      assert.is_true(rel(g.u, fx "gru_u0") < 1e-6 and rel(g.r, fx "gru_r0") < 1e-6)
      local inp, cen = fx "gru_inp", fx "gru_center"
      local out = canns.run(g, inp, {record = {"center"}})
      assert.is_true(rel(g.u, fx "gru_u50") < 1e-5 and rel(g.r, fx "gru_r50") < 1e-5)
      assert.is_true(maxabs(out.center:reshape({50}), cen) < 1e-5)
      -- the stored input is zeroed after each step, as upstream
      assert.are.equal(0, g.input:abs():max())
    end)
  end

  it("has upstream's constants and methods", function()
    local g = M.GaussRecUnits{size = 180}
    -- Jc = sqrt(8 sqrt(2 pi) k a / rho), rho = 180 / (2 pi); J = 1.1 Jc
    local a, rho = 2 * math.pi / 9, 180 / (2 * math.pi)
    local jc = math.sqrt(8 * math.sqrt(2 * math.pi) * 5e-4 * a / rho)
    assert.is_true(math.abs(g:Jc() - jc) < 1e-6 * jc and math.abs(g.J - 1.1 * jc) < 2e-6 * jc)
    assert.is_true(math.abs(g.J - 0.0171945) < 1e-6)
    local d = g:dist(canns.array({4.0, -4.0, 1.0}, "float32"))
    assert.is_true(maxabs(d, canns.array({4 - 2 * math.pi, 2 * math.pi - 4, 1}, "float32")) < 1e-6)
    -- decode: the bump at 0 decodes to 0; a bump rolled to x[46] decodes there
    assert.is_true(math.abs(g:decode(g.u)) < 1e-6)
  end)
end)

describe("NonRecUnits", function()
  before_each(function() canns.set_dt(0.05) end)

  it("matches upstream's 30 noise-free steps", function()
    local n = M.NonRecUnits{size = 40, noise = 0}
    local inp, want = fx "nru_inp", fx "nru_r"
    local out = canns.run(n, inp, {record = {"r"}})
    assert.is_true(rel(out.r, want) < 1e-6)
    assert.is_true(rel(n.u, fx "nru_u") < 1e-6)
  end)

  it("adds N(0, 1) noise times `noise` and advances the generator either way", function()
    canns.random.seed(7)
    local n = M.NonRecUnits{size = 2000, noise = 0.5}
    n.u = 1.0
    n:update(canns.zeros({2000}))
    local z = (n.r - 1.0) / 0.5 -- r = relu(u_old) + 0.5 N(0, 1)
    local mean, var = z:mean(), ((z - z:mean()) ^ 2):mean()
    -- 2000 draws: the mean within 4.5 sigma (0.1), the variance within 0.15
    assert.is_true(math.abs(mean) < 0.1 and math.abs(var - 1) < 0.15, mean .. " " .. var)
    -- a noise-free ring consumes the same numbers: the next draw is the same
    canns.random.seed(11)
    M.NonRecUnits{size = 31, noise = 0}:update(canns.zeros({31}))
    local a = canns.random.normal({4})
    canns.random.seed(11)
    M.NonRecUnits{size = 31, noise = 1}:update(canns.zeros({31}))
    assert.are.equal(0, maxabs(canns.random.normal({4}), a))
  end)
end)

describe("BandCell", function()
  before_each(function() canns.set_dt(0.05) end)

  it("builds upstream's shifter matrices, projection, phases and location input", function()
    local b = M.BandCell{angle = 0.3, spacing = 2.5, size = 90, noise = 0}
    assert.is_true(rel(b.W_PENl2EPG, fx "band_WL") < 1e-6)
    assert.is_true(rel(b.W_PENr2EPG, fx "band_WR") < 1e-6)
    assert.is_true(rel(b:make_conn(b.phase_shift), fx "band_WL") < 1e-6)
    assert.is_true(maxabs(b.proj_k, fx "band_projk") < 1e-6)
    local pos = {{0.0, 0.0}, {1.3, -0.4}, {3.7, 2.2}}
    local ph, st = fx "band_postophase", fx "band_stim"
    for i, p in ipairs(pos) do
      assert.is_true(math.abs(b:Postophase(p) - ph[i]) < 1e-5)
      assert.is_true(maxabs(b:get_stimulus_by_pos(p), st[i]) < 1e-5)
    end
    -- quirk kept: position 0 has phase -pi
    assert.is_true(math.abs(b:Postophase({0, 0}) + math.pi) < 1e-6)
  end)

  for _, method in ipairs(METHODS) do
    it("matches upstream over 300 steps with location input then velocity (" .. method .. ")",
       function()
      local b = M.BandCell{angle = 0.3, spacing = 2.5, size = 90, noise = 0, method = method}
      local out = canns.run(b, {velocity = fx "band_vel", loc = fx "band_loc",
                                loc_input_stre = fx "band_stre"},
                            {record = {"center", "center_ideal", "band_cells.r"}})
      assert.is_true(maxabs(out.center:reshape({300}), fx "band_center") < 1e-4)
      assert.is_true(maxabs(out.center_ideal:reshape({300}), fx "band_center_ideal") < 1e-6)
      assert.is_true(rel(b.band_cells.r, fx "band_r") < 1e-4)
      assert.is_true(rel(out["band_cells.r"][300], fx "band_r") < 1e-4)
      assert.is_true(rel(b.band_cells.u, fx "band_u") < 1e-4)
      assert.is_true(rel(b.left.r, fx "band_left_r") < 1e-4)
      assert.is_true(rel(b.right.u, fx "band_right_u") < 1e-4)
    end)
  end

  it("integrates the velocity component along its direction (oracle O11)", function()
    for _, sign in ipairs {-1, 1} do
      local b = M.BandCell{angle = 0, spacing = 2.0, noise = 0}
      canns.run(b, {velocity = canns.zeros({400, 2}), loc = canns.zeros({400, 2})})
      assert.is_true(math.abs(b.center[1]) < 1e-4)
      local vt = {}
      for t = 1, 2000 do vt[t] = {0, -0.01 * sign} end -- v_phi = 0.01 pi sign
      local out = canns.run(b, {velocity = canns.array(vt), loc = canns.zeros({2000, 2})},
                            {record = {"center"}})
      local c, unwrapped = out.center:reshape({2000}):totable(), 0
      for i = 2, #c do
        local d = c[i] - c[i - 1]
        if d > math.pi then d = d - 2 * math.pi elseif d < -math.pi then d = d + 2 * math.pi end
        unwrapped = unwrapped + d
      end
      local per_step, ideal = unwrapped / 1999, sign * 0.01 * math.pi * 0.05
      assert.is_true(math.abs(per_step / ideal - 1) < 0.02, per_step .. " vs " .. ideal)
    end
  end)

  it("rolls the bump (move_heading) and zeroes the shifters (reset)", function()
    local b = M.BandCell{angle = 0, spacing = 2.0, size = 60, noise = 0}
    local r0 = b.band_cells.r:totable()
    b:move_heading(5)
    local r1 = b.band_cells.r:totable()
    for i = 1, 60 do assert.are.equal(r0[i], r1[(i + 4) % 60 + 1]) end
    b:update({0.1, 0}, {1, 1})
    b:update({0.1, 0}, {1, 1})
    assert.is_true(b.left.u:abs():max() > 0)
    b:reset()
    assert.are.equal(0, b.left.u:abs():max() + b.right.u:abs():max())
    assert.is_true(b.band_cells.r:abs():max() > 0) -- reset leaves the ring, as upstream
  end)
end)

describe("GridCell", function()
  before_each(function() canns.set_dt(0.05) end)

  it("builds upstream's hexagonal connectivity", function()
    local g = M.GridCell{num = 12, angle = 0.2, spacing = 3.0}
    assert.is_true(rel(g.conn_mat, fx "grid_conn") < 1e-6)
    assert.are.equal(144, g.num)
    assert.is_true(math.abs(g.m - 0.01) < 1e-12)
    -- the metric (d0, (d1 - d0/2) 2/sqrt(3)): (1, 0.5) is at distance 1
    assert.is_true(math.abs(g:dist({1.0, 0.5}) - 1) < 1e-6)
    assert.is_true(math.abs(g:dist({0, 1.0}) - 2 / math.sqrt(3)) < 1e-6)
  end)

  for _, method in ipairs(METHODS) do
    it("matches upstream over 100 steps of a moving input (" .. method .. ")", function()
      local g = M.GridCell{num = 12, angle = 0.2, spacing = 3.0, method = method}
      assert.are.equal(method, g.method)
      local bump = fx "grid_inp"
      for t = 1, 100 do g:update(t <= 60 and bump or bump * 0.2) end
      assert.is_true(rel(g.u, fx "grid_u") < 1e-4 and rel(g.v, fx "grid_v") < 1e-4)
      assert.is_true(rel(g.r, fx "grid_r") < 1e-4)
      assert.is_true(maxabs(g.center, fx "grid_center") < 1e-4)
      g:reset_state()
      assert.are.equal(0, g.u:abs():max() + g.v:abs():max() + g.r:abs():max())
    end)
  end
end)

describe("GridCell products", function()
  it("the torus convolution equals the dense product, half-period pairs included", function()
    -- a wide kernel (a = 2) makes the pairs half a period apart matter:
    -- with an even side their phase difference is +pi or -pi by round-off
    canns.set_dt(0.05)
    for _, L in ipairs {10, 11} do
      local d = M.GridCell{num = L, angle = 0, spacing = 1, a = 2.0, method = "dense"}
      local f = M.GridCell{num = L, angle = 0, spacing = 1, a = 2.0, method = "fft"}
      canns.random.seed(3)
      local r = canns.random.uniform({L * L})
      d.r, f.r = r, r
      local zero = canns.zeros({L * L})
      d:update(zero); f:update(zero)
      assert.is_true(rel(f.u, d.u) < 2e-6, "L = " .. L .. ": " .. rel(f.u, d.u))
    end
  end)
end)

describe("HierarchicalPathIntegrationModel", function()
  before_each(function() canns.set_dt(0.05) end)

  for _, method in ipairs(METHODS) do
    it("matches upstream's readout and 200 steps (" .. method .. ")", function()
      local pc = fx "hpim_place"
      local h = M.HierarchicalPathIntegrationModel(3.0, 0.2, pc,
                                                   {band_size = 90, grid_num = 12, method = method})
      assert.is_true(rel(h.Wg2p, fx "hpim_Wg2p") < 1e-5)
      assert.is_true(rel(h:get_input({0.4, -1.1}), fx("hpim_get_input"):reshape({144})) < 1e-5)
      local sub = pc:slice(1, {1, 4})
      assert.is_true(maxabs(h:Postophase(sub), fx "hpim_postophase") < 1e-5)
      local T = {1, 200}
      local out = canns.run(h, {velocity = fx("band_vel"):slice(1, T), loc = fx("band_loc"):slice(1, T),
                                loc_input_stre = fx("band_stre"):slice(1, T)},
                            {record = {"grid_output", "grid_cell.r"}})
      assert.is_true(rel(out.grid_output, fx "hpim_grid_output") < 1e-4)
      assert.is_true(rel(h.grid_cell.r, fx "hpim_grid_r") < 1e-4)
      assert.is_true(rel(out["grid_cell.r"][200], fx "hpim_grid_r") < 1e-4)
      assert.is_true(math.abs(h.band_cell_z.center[1] - fx("hpim_bz_center")[1]) < 1e-4)
      assert.is_true(math.abs(h.band_cell_y.angle - (0.2 + math.pi / 3)) < 1e-12)
    end)
  end
end)

describe("HierarchicalNetwork", function()
  before_each(function() canns.set_dt(0.05) end)

  for _, method in ipairs(METHODS) do
    it("matches upstream over 400 steps (" .. method .. ")", function()
      local net = M.HierarchicalNetwork{num_module = 3, num_place = 8, method = method}
      assert.are.equal(64, net.num_place)
      local out = canns.run(net, {velocity = fx "net_vel", loc = fx "net_loc",
                                  loc_input_stre = fx "net_stre"},
                            {record = {"decoded_pos", "module2.band_cell_x.center", "grid_fr"}})
      assert.is_true(maxabs(out.decoded_pos, fx "net_decoded") < 1e-4)
      assert.is_true(maxabs(net.place_fr, fx "net_place_fr") < 1e-4)
      assert.is_true(rel(net.grid_fr, fx "net_grid_fr") < 1e-4)
      assert.is_true(rel(net.band_x_fr, fx "net_band_x_fr") < 1e-4)
      assert.is_true(rel(net.band_y_fr, fx "net_band_y_fr") < 1e-4)
      -- the recorded part is the module's own state
      assert.are.equal(net.module2.band_cell_x.center[1], out["module2.band_cell_x.center"][400][1])
      assert.are.same({400, 3, 400}, out.grid_fr:shape())
      assert.are.equal(0, maxabs(net.MEC_model_list[3].grid_cell.r, net.grid_fr[3]))
      assert.are.equal(0, maxabs(net["module1.grid_cell.r"], net.grid_fr[1]))
    end)
  end

  it("has upstream's place lattice and spacings", function()
    local net = M.HierarchicalNetwork{num_module = 5, num_place = 30, grid_num = 8, band_size = 60}
    assert.is_true(maxabs(net.spacing, canns.array({2, 2.75, 3.5, 4.25, 5}, "float32")) < 1e-6)
    local pc = net.place_center
    assert.are.same({900, 2}, pc:shape())
    assert.is_true(math.abs(pc[2][1] - 5 / 29) < 1e-6 and pc[31][2] == pc[2][1] and pc[900][1] == 5)
  end)

  it("decodes the integrated position within 1 cm for 800 steps (oracle O12)", function()
    local net = M.HierarchicalNetwork{num_module = 5, num_place = 30}
    local T0, T1 = 500, 800
    local vt, lt, st = {}, {}, {}
    for t = 1, T0 + T1 do
      local k = math.max(0, t - T0)
      vt[t] = t > T0 and {0.04, 0.02} or {0, 0}
      lt[t] = {2.5 + 0.04 * 0.05 * k, 2.5 + 0.02 * 0.05 * k}
      st[t] = t <= 400 and 100 or 0
    end
    local vel, loc, stre = canns.array(vt), canns.array(lt), canns.array(st)
    local out = canns.run(net, {velocity = vel, loc = loc, loc_input_stre = stre}, {record = {"decoded_pos"}})
    local d = out.decoded_pos
    assert.is_true(math.abs(d[T0][1] - 2.5) < 1e-3 and math.abs(d[T0][2] - 2.5) < 1e-3)
    local worst = 0
    for t = T0 + 1, T0 + T1 do
      local e = math.sqrt((d[t][1] - lt[t][1]) ^ 2 + (d[t][2] - lt[t][2]) ^ 2)
      if e > worst then worst = e end
    end
    assert.is_true(worst < 0.01, "worst error " .. worst)
  end)

  it("gives the same noisy run on one thread and on several", function()
    local function go(threads)
      canns.set_num_threads(threads)
      canns.random.seed(5)
      local net = M.HierarchicalNetwork{num_module = 3, num_place = 6, grid_num = 10,
                                        band_size = 64, band_noise = 0.3, method = "fft"}
      local T = 60
      local out = canns.run(net, {velocity = canns.full({T, 2}, 0.03), loc = canns.full({T, 2}, 2.0),
                                  loc_input_stre = canns.full({T}, 50)}, {record = {"grid_fr"}})
      canns.set_num_threads(0)
      return out.grid_fr
    end
    local a, b = go(1), go(2)
    assert.are.equal(0, maxabs(a, b))
    assert.is_true(a:abs():max() > 0)
  end)
end)

describe("hierarchical models: bad arguments", function()
  before_each(function() canns.set_dt(0.05) end)

  it("names the argument and the value", function()
    testutil.fails_with("argument 'size' (the number of neurons) is required", M.GaussRecUnits, {})
    testutil.fails_with("'size' must be an integer in 1..46340, got 0", M.NonRecUnits, {size = 0})
    testutil.fails_with("'tau' must be > 0, got -1", M.GaussRecUnits, {size = 10, tau = -1})
    testutil.fails_with("'gain' must be a finite number, got nan", M.BandCell,
                        {angle = 0, spacing = 2, gain = 0 / 0})
    testutil.fails_with("argument 'spacing' (the band spacing) is required", M.BandCell, {angle = 0})
    testutil.fails_with("'method' must be 'auto', 'dense' or 'fft', got 'x'", M.GridCell,
                        {num = 4, angle = 0, spacing = 1, method = "x"})
    testutil.fails_with("argument 3 (place_center) is required", M.HierarchicalPathIntegrationModel, 3, 0)
    testutil.fails_with("argument 'place_center' (a (P, 2) array of place-field centres) is required", M.create, "HierarchicalPathIntegrationModel",
                        {spacing = 3, angle = 0})
    testutil.fails_with("(place_center) must be a (P, 2) array", M.HierarchicalPathIntegrationModel,
                        3, 0, canns.zeros({4, 3}))
    testutil.fails_with("grid_size", M.HierarchicalPathIntegrationModel,
                        {spacing = 3, angle = 0, place_center = canns.zeros({2, 2}), grid_size = 3})
    testutil.fails_with("'num_module' must be an integer in 1..1000, got -2", M.HierarchicalNetwork,
                        {num_module = -2, num_place = 3})
    testutil.fails_with("'spacing_min' must be > 0", M.HierarchicalNetwork,
                        {num_module = 2, num_place = 3, spacing_min = 0})
    local net = M.HierarchicalNetwork{num_module = 2, num_place = 3, grid_num = 6, band_size = 30}
    testutil.fails_with("'velocity' must be finite, got nan", net.update, net, {0 / 0, 0}, {1, 1})
    testutil.fails_with("HierarchicalNetwork has no part 'module3' (in 'module3.grid_cell.r')", canns.run, net,
                        {velocity = canns.zeros({3, 2}), loc = canns.zeros({3, 2})},
                        {record = {"module3.grid_cell.r"}})
    testutil.fails_with("no state variable 'q'", canns.run, net,
                        {velocity = canns.zeros({3, 2}), loc = canns.zeros({3, 2})},
                        {record = {"module1.grid_cell.q"}})
    testutil.fails_with("HierarchicalNetwork has no input 'position' (it takes: velocity, loc, loc_input_stre (optional))", canns.run, net,
                        {velocity = canns.zeros({3, 2}), position = canns.zeros({3, 2})})
    testutil.fails_with("loc", canns.run, net,
                        {velocity = canns.zeros({3, 2}), loc = canns.zeros({4, 2})})
    local b = M.BandCell{angle = 0, spacing = 2, size = 20}
    testutil.fails_with("(shift) must be an integer, got 1.5", b.move_heading, b, 1.5)
    testutil.fails_with("self must be a BandCell", b.move_heading, net, 1)
  end)
end)
