-- canns.analyzer.data.asa against the Python toolkit (canns 1.5.0): the
-- fixtures in spec/fixtures/asa were made by
-- scripts/fixtures/make_asa_fixtures.py on a synthetic grid-cell session.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

local function session()
  local times, counts = L("session_spike_times"), L("session_spike_counts")
  local spike, o = {}, 0
  for n = 1, counts:size() do
    local c = counts:get(n)
    spike[n] = c > 0 and times:slice(1, {o + 1, o + c}) or canns.zeros(0, "float64")
    o = o + c
  end
  return {spike = spike, t = L("session_t"), x = L("session_x"), y = L("session_y")}
end

local SMALL = {dim = 6, num_times = 5, active_times = 500, k = 100, n_points = 200, nbs = 100,
               maxdim = 1, coeff = 47, show = false, progress_bar = false}

-- Largest circular distance between a and b after the best global shift
-- (and reflection): decoded phases are defined up to those.
local function circ_err(a, b)
  local best = math.huge
  for _, sgn in ipairs({1, -1}) do
    local sx, sy = 0, 0
    for i = 1, #a do
      local d = sgn * a[i] - b[i]
      sx, sy = sx + math.cos(d), sy + math.sin(d)
    end
    local off = math.atan(sy, sx)
    local m = 0
    for i = 1, #a do
      local d = (sgn * a[i] - b[i] - off) % (2 * math.pi)
      m = math.max(m, math.min(d, 2 * math.pi - d))
    end
    best = math.min(best, m)
  end
  return best
end

local function column(a, c)
  local out = {}
  for i = 1, a:shape(1) do out[i] = a:get(i, c) end
  return out
end

describe("asa configs", function()
  it("have upstream's defaults", function()
    local s = asa.SpikeEmbeddingConfig{}
    assert.same({100000, 1000, 5000, true, true, 2.5},
                {s.res, s.dt, s.sigma, s.smooth, s.speed_filter, s.min_speed})
    local t = asa.TDAConfig{}
    assert.same({6, 5, 15000, 1000, 1200, "cosine", 800, 1, 47, true, false, 1000, true, true},
                {t.dim, t.num_times, t.active_times, t.k, t.n_points, t.metric, t.nbs, t.maxdim,
                 t.coeff, t.show, t.do_shuffle, t.num_shuffles, t.progress_bar, t.standardize})
    assert.same({1, "python", "legacy", true}, {t.shuffle_workers, t.sampling_backend,
                                                  t.ph_threshold_policy, t.do_cocycles})
    assert.is_nil(t.shuffle_seed)
    assert.is_nil(t.ph_threshold)
    assert.equal(false, asa.SpikeEmbeddingConfig{smooth0 = false}.smooth)
  end)
  it("refuse misspelt and bad fields", function()
    testutil.fails_with("unknown option 'sigm'", asa.SpikeEmbeddingConfig, {sigm = 3})
    testutil.fails_with("SpikeEmbeddingConfig: option 'dt' must be", asa.SpikeEmbeddingConfig, {dt = 0})
    testutil.fails_with("TDAConfig: option 'metric' must be one of", asa.TDAConfig, {metric = "cos"})
    testutil.fails_with("mutually exclusive", asa.TDAConfig, {shuffle_seed = 1, shuffle_shifts = {{0}}})
    testutil.fails_with("no field 'foo'", function() return asa.TDAConfig{}.foo end)
  end)
end)

describe("embed_spike_trains", function()
  local data = session()
  it("smooths exactly as upstream (float32 bits)", function()
    local E = asa.embed_spike_trains(data, asa.SpikeEmbeddingConfig{speed_filter = false})
    assert.same(L("embed_smooth"):shape(), E:shape())
    assert.equal("float32", E:dtype())
    assert.equal(0, testutil.maxabs(E, L("embed_smooth")))
  end)
  it("smooths unsorted spike times the same (each train reversed)", function()
    local rev = {}
    for i, sp in ipairs(data.spike) do
      local r, n = {}, type(sp) == "table" and #sp or sp:size()
      for j = 1, n do r[j] = type(sp) == "table" and sp[n + 1 - j] or sp:get(n + 1 - j) end
      rev[i] = r
    end
    local E = asa.embed_spike_trains({spike = rev, t = data.t}, {speed_filter = false})
    assert.equal(0, testutil.maxabs(E, L("embed_smooth")))
  end)
  it("smooths 70 neurons (register groups of 32) as it smooths them 25 at a time", function()
    -- 70 trains: the fixture's 25, then the same with times shifted by a
    -- few bins (different counts in every row); embedded together they
    -- take the grouped interior kernel, embedded 25 or fewer at a time
    -- the plain per-tap one, and the columns must agree bit for bit
    local spike = {}
    for k = 0, 2 do
      for n = 1, #data.spike do
        if #spike < 70 then
          local s = data.spike[n]
          spike[#spike + 1] = s:size() > 0 and s + 0.013 * k or s
        end
      end
    end
    local t = data.t
    local all = asa.embed_spike_trains({spike = spike, t = t}, {speed_filter = false})
    assert.same({all:shape()[1], 70}, all:shape())
    for first = 1, 70, 25 do
      local last = math.min(first + 24, 70)
      local part = {}
      for n = first, last do part[#part + 1] = spike[n] end
      local E = asa.embed_spike_trains({spike = part, t = t}, {speed_filter = false})
      assert.equal(0, testutil.maxabs(E, all:slice(2, {first, last})))
    end
  end)
  it("bins exactly as upstream and returns the raw positions without the speed filter", function()
    local C, x, y, t = asa.embed_spike_trains(data, {smooth = false, speed_filter = false})
    assert.equal("int32", C:dtype())
    assert.equal(0, testutil.maxabs(C, L("embed_counts")))
    assert.equal(data.x, x)
    assert.equal(data.t, t)
  end)
  it("speed-filters the same rows and positions", function()
    local E, xx, yy, tt = asa.embed_spike_trains(data, {})
    local keep = L("embed_speed_keep")
    assert.equal(keep:size(), E:shape(1))
    local S = L("embed_smooth")
    local bad = 0
    for _, i in ipairs({1, 2, math.floor(keep:size() / 2), keep:size()}) do
      local r = keep:get(i) + 1
      for n = 1, S:shape(2) do if S:get(r, n) ~= E:get(i, n) then bad = bad + 1 end end
    end
    assert.equal(0, bad)
    assert.is_true(testutil.maxabs(xx, L("embed_speed_xx")) < 1e-12)
    assert.is_true(testutil.maxabs(yy, L("embed_speed_yy")) < 1e-12)
    assert.is_true(testutil.maxabs(tt, L("embed_speed_tt")) < 1e-12)
  end)
  it("takes sessions of many neurons", function()
    local spike, N = {}, 3000
    for n = 1, N do spike[n] = {0.0105 + 0.01 * (n % 7)} end
    local C = asa.embed_spike_trains({spike = spike, t = {0, 0.1}}, {smooth = false, speed_filter = false})
    assert.same({11, N}, C:shape())
    for _, n in ipairs({1, 7, 1234, N}) do assert.equal(1, C:get(2 + n % 7, n)) end
    assert.equal(N, C:sum())
  end)
  it("accepts a map of neurons (sorted keys)", function()
    local m = {}
    for i, s in ipairs(data.spike) do m[string.format("n%03d", i)] = s end
    local E = asa.embed_spike_trains({spike = m, t = data.t}, {speed_filter = false, smooth = false})
    assert.equal(0, testutil.maxabs(E, L("embed_counts")))
  end)
  it("refuses bad sessions with a clear message", function()
    testutil.fails_with("must have a 'spike' entry", asa.embed_spike_trains, {t = data.t})
    testutil.fails_with("must have a 't' entry", asa.embed_spike_trains, {spike = data.spike})
    testutil.fails_with("dense (time, neurons) matrix", asa.embed_spike_trains,
                        {spike = canns.zeros({3, 4}), t = data.t})
    testutil.fails_with("argument 3 (x) is needed by the speed filter", asa.embed_spike_trains,
                        {spike = data.spike, t = data.t})
    testutil.fails_with("argument 3 (x) must have the length of t", asa.embed_spike_trains,
                        {spike = data.spike, t = data.t, x = {1, 2}, y = data.y})
    testutil.fails_with("t must be non-decreasing", asa.embed_spike_trains,
                        {spike = {{0.5}}, t = {0, 2, 1}}, {speed_filter = false})
    testutil.fails_with("none of the 2 spikes lies in the time range", asa.embed_spike_trains,
                        {spike = {{5000, 6000}}, t = {0, 1, 2}}, {speed_filter = false})
    testutil.fails_with("t[2] must be finite", asa.embed_spike_trains,
                        {spike = {{0.5}}, t = {0, 0 / 0, 1}}, {speed_filter = false})
    testutil.fails_with("entry 2 must be an array of spike times", asa.embed_spike_trains,
                        {spike = {{0.5}, "x"}, t = {0, 1}}, {speed_filter = false})
    testutil.fails_with("option 'sigma' must be", asa.embed_spike_trains, {spike = {{0.5}}, t = {0, 1}},
                        {sigma = -1})
  end)
end)

describe("tda_vis", function()
  local E = L("embed_smooth")
  local r = asa.tda_vis(E, SMALL)
  it("selects the same time points and samples as upstream", function()
    assert.equal(0, testutil.maxabs(r.movetimes - 1, L("tda_movetimes")))
    assert.equal(0, testutil.maxabs(r.indstemp - 1, L("tda_indstemp")))
  end)
  it("builds the same distance matrix (+inf where the membership is 0)", function()
    local d, ref = r.persistence.dperm2all, L("tda_d")
    assert.equal(0, testutil.maxabs(canns.isfinite(d), canns.isfinite(ref)))
    local fd = canns.where(canns.isfinite(d), d, 0)
    local fr = canns.where(canns.isfinite(ref), ref, 0)
    -- float32 z-scoring differs from numpy's in the last bits
    assert.is_true(testutil.maxabs(fd, fr) < 1e-5)
  end)
  it("gives upstream's barcode", function()
    for d = 1, 2 do
      local ours, ref = r.persistence.dgms[d], L("tda_dgm" .. (d - 1))
      assert.same(ref:shape(), ours:shape())
      -- compare sorted (birth, death) pairs
      local function sorted(a)
        local t = {}
        for i = 1, a:shape(1) do t[i] = {a:get(i, 1), a:get(i, 2)} end
        table.sort(t, function(x, y) return x[1] < y[1] or (x[1] == y[1] and x[2] < y[2]) end)
        return t
      end
      local a, b = sorted(ours), sorted(ref)
      for i = 1, #a do
        assert.is_true(math.abs(a[i][1] - b[i][1]) < 1e-5 * (1 + math.abs(b[i][1])))
        if b[i][2] == math.huge then assert.equal(math.huge, a[i][2])
        else assert.is_true(math.abs(a[i][2] - b[i][2]) < 1e-5 * (1 + math.abs(b[i][2]))) end
      end
    end
  end)
  it("draws the barcode, with and without a null model", function()
    local dir = testutil.tmpdir()
    local c = {}
    for k, v in pairs(SMALL) do c[k] = v end
    c.save_path = dir .. "/bar.png"
    asa.tda_vis(E, c)
    assert.is_true(testutil.exists(dir .. "/bar.png"))
    asa.plot_barcode(r.persistence, {{0.1, 0.2}, {0.3, 0.4}}, {save_path = dir .. "/bar2.png"})
    assert.is_true(testutil.exists(dir .. "/bar2.png"))
    testutil.rmtree(dir)
  end)
  it("runs the 1.5 null model: the whole pipeline on rolled columns", function()
    local c = {}
    for k, v in pairs(SMALL) do c[k] = v end
    c.do_shuffle, c.num_shuffles = true, 2
    local N = E:shape(2)
    local shifts = canns.zeros({2, N}, "int64")
    c.shuffle_shifts = shifts -- zero shifts: the real data twice
    local s = asa.tda_vis(E, c)
    local best = 0
    local dg = r.persistence.dgms[2]
    for i = 1, dg:shape(1) do
      if dg:get(i, 2) < math.huge then best = math.max(best, dg:get(i, 2) - dg:get(i, 1)) end
    end
    assert.equal(2, #s.shuffle_max[2])
    assert.is_true(math.abs(s.shuffle_max[2][1] - best) < 1e-12)
    -- a real shuffle destroys the structure: shorter H1 bars
    c.shuffle_shifts, c.shuffle_seed = nil, 3
    local z = asa.tda_vis(E, c)
    assert.is_true(z.shuffle_max[2][1] < best and z.shuffle_max[2][2] < best)
  end)
  it("refuses inputs the pipeline cannot use", function()
    testutil.fails_with("tda_vis: k = 100 and n_points = 200 cannot exceed the 40 active time points",
                        asa.tda_vis, E:slice(1, {1, 200}), SMALL)
    testutil.fails_with("argument 1 (embed_data) must be a non-empty (time, neurons) matrix",
                        asa.tda_vis, canns.zeros(5), SMALL)
    local bad = E:copy()
    bad:set(3, 2, 0 / 0)
    testutil.fails_with("activity must be finite", asa.tda_vis, bad, SMALL)
    testutil.fails_with("unknown option 'nbd'", asa.tda_vis, E, {nbd = 3})
    local c = {}
    for k, v in pairs(SMALL) do c[k] = v end
    c.nbs = 300
    testutil.fails_with("nbs = 300 cannot exceed n_points = 200", asa.tda_vis, E, c)
  end)
end)

describe("decode_circular_coordinates_multi", function()
  local E = L("embed_smooth")
  local r = asa.tda_vis(E, SMALL)
  it("recovers upstream's coordinates up to a shift and a reflection per circle", function()
    local dec = asa.decode_circular_coordinates_multi(r, {spike = E}, {num_circ = 2})
    local ref = L("dec_coords")
    assert.same(ref:shape(), dec.coords:shape())
    assert.equal(0, testutil.maxabs(dec.times - 1, L("dec_times")))
    for c = 1, 2 do
      assert.is_true(circ_err(column(dec.coords, c), column(ref, c)) < 1e-3)
    end
    assert.same({E:shape(2), 2, 200}, dec.centcosall:shape())
  end)
  it("matches upstream's legacy decoders up to a shift and a reflection", function()
    local times, counts = L("session_spike_times"), L("session_spike_counts")
    local data = session()
    local d0 = asa.decode_circular_coordinates(r, data, {real_ground = false})
    local ref = L("dec0_coords")
    assert.same(ref:shape(), d0.coords:shape())
    assert.equal(0, testutil.maxabs(d0.times - 1, L("dec0_times")))
    for c = 1, 2 do
      assert.is_true(circ_err(column(d0.coords, c), column(ref, c)) < 1e-3)
    end
    local d1 = asa.decode_circular_coordinates1(r, {spike = E})
    ref = L("dec1_coords")
    assert.same(ref:shape(), d1.coords:shape())
    for c = 1, 2 do
      assert.is_true(circ_err(column(d1.coords, c), column(ref, c)) < 1e-3)
    end
    testutil.fails_with("unknown option 'real'", asa.decode_circular_coordinates, r, data, {real = 1})
  end)
  it("integrates a cocycle on a cycle graph into evenly spaced phases", function()
    local n = 12
    local D = canns.full({n, n}, math.huge, "float64")
    for i = 1, n do
      D:set(i, i, 0)
      local j = i % n + 1
      D:set(i, j, 1); D:set(j, i, 1)
    end
    local f = asa.get_coords(canns.array({{n, 1, 1}}, "int64"), 1.5, D)
    for i = 1, n - 1 do
      local d = (f:get(i + 1) - f:get(i)) % 1
      assert.is_true(math.abs(math.min(d, 1 - d) - 1 / n) < 1e-9)
    end
  end)
  it("refuses more circles than bars and isolated samples", function()
    testutil.fails_with("option 'num_circ' asks for 64 circular coordinates",
                        asa.decode_circular_coordinates_multi, r, E, {num_circ = 64})
    local D = canns.full({3, 3}, math.huge, "float64")
    testutil.fails_with("fewer vertices than sampled points", asa.get_coords,
                        canns.array({{2, 1, 1}}, "int64"), 1, D)
    testutil.fails_with("must be the result of tda_vis", asa.decode_circular_coordinates_multi, {}, E)
  end)
end)
