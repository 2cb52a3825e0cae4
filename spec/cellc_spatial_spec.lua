-- cell_classification spatial analysis and head-direction cells against
-- upstream canns 1.5.0 fixtures (scripts/fixtures/make_cellc_fixtures.py;
-- 1e-12 relative unless stated) and the worked oracles (binned rate map,
-- spatial information of uniform and single-bin maps, a von Mises-like
-- head-direction cell); bad input.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local function fx(name) return canns.load(testutil.fixture("cellc/" .. name .. ".npy")) end
local function rel(a, b)
  local d = testutil.maxabs(a, b)
  local s = canns.max(canns.abs(canns.array(b, "float64")))
  return d / math.max(s, 1e-300)
end

describe("rate maps and spatial information", function()
  it("compute_rate_map matches upstream with defaults and with options", function()
    local t, pos, sp = fx("rm_t"), fx("rm_pos"), fx("rm_spikes")
    local r, o, xe, ye = cc.compute_rate_map(sp, pos, t)
    assert.are.equal("20x20", table.concat(r:shape(), "x"))
    assert.is_true(rel(r, fx("rm_default_rate")) < 1e-12)
    assert.is_true(rel(o, fx("rm_default_occ")) < 1e-12)
    assert.is_true(testutil.maxabs(xe, fx("rm_default_xe")) == 0)
    assert.is_true(testutil.maxabs(ye, fx("rm_default_ye")) == 0)
    local r2, o2 = cc.compute_rate_map(sp, pos, t, {16, 12}, {position_range = {-1.0, 1.5},
                                       smoothing_sigma = 0.0, min_occupancy = 0.05})
    assert.are.equal("12x16", table.concat(r2:shape(), "x"))
    assert.is_true(rel(r2, fx("rm_opts_rate")) < 1e-12)
    assert.is_true(rel(o2, fx("rm_opts_occ")) < 1e-12)
    local si = fx("si_default")
    assert.is_true(math.abs(cc.compute_spatial_information(r, o) - si[1]) < 1e-12)
    assert.is_true(math.abs(cc.compute_spatial_information(r2, o2) - si[2]) < 1e-12)
    assert.is_true(math.abs(cc.compute_spatial_information(r, o, 2.5) - si[3]) < 1e-12)
    -- the (spikes, x, y, t, opts) form returns named fields
    local x, y = pos:slice(2, 1):reshape({-1}), pos:slice(2, 2):reshape({-1})
    local rm = cc.compute_rate_map(sp, x, y, t, {bins = 20, smooth_sigma = 2.0})
    assert.are.equal(0, testutil.maxabs(rm.rate_map, r))
    assert.are.equal(0, testutil.maxabs(rm.occupancy, o))
  end)

  it("the one-pass track maps equal interp + histogram2d and a plain Lua reference", function()
    -- C.track_maps (occupancy and spike counts in one pass, 4 sub-histograms
    -- per thread, a guessed interval and bin corrected against the samples)
    -- against C.interp + C.histogram2d and against a plain Lua binary-search
    -- histogram; uneven, repeated and jittered time stamps, unsorted spikes,
    -- NaN spikes, spikes and positions outside the edges, uneven edges.
    local C = require("canns.core").cellc
    local g = canns.random.Generator(11)
    local n = 3000
    local tt = canns.cumsum(g:uniform({n}, 0, 0.04, "float64"), 1):totable()
    tt[10] = tt[9] -- a repeated stamp
    local t = canns.array(tt, "float64")
    local pos = canns.cumsum(g:normal({n, 2}, 0, 0.05, "float64"), 1)
    local s = g:uniform({200000}, -1, tt[n] + 1, "float64"):totable() -- unsorted, some outside
    s[5], s[77] = 0 / 0, tt[9]
    for i = 1000, 20000 do s[i] = tt[1] + (tt[n] - tt[1]) * (i - 1000) / 19000 end -- a sorted run
    local st = canns.array(s, "float64")
    local xe = canns.array({-2, -1.5, -0.2, 0, 0.1, 0.7, 1.9}, "float64")
    local ye = canns.linspace(-1.5, 1.2, 9):astype("float64")
    for _, threads in ipairs{1, 2} do
      canns.set_num_threads(threads)
      local occ, spk = C.track_maps(st, pos, t, xe, ye)
      local px, py = pos:slice(2, 1):reshape({-1}), pos:slice(2, 2):reshape({-1})
      assert.are.equal(0, testutil.maxabs(occ, C.histogram2d(px, py, nil, xe, ye)))
      local sx, sy = C.interp(st, t, px), C.interp(st, t, py)
      assert.are.equal(0, testutil.maxabs(spk, C.histogram2d(sx, sy, nil, xe, ye)))
      -- plain reference: numpy.histogram2d's searchsorted rule, one point at a time
      local ex, ey = xe:totable(), ye:totable()
      local function bin(e, v)
        if not (v >= e[1] and v <= e[#e]) then return nil end
        local k = 0
        for i = 1, #e do if e[i] <= v then k = i end end
        return math.min(k, #e - 1)
      end
      local ref = {}
      for i = 1, #ey - 1 do ref[i] = {} for j = 1, #ex - 1 do ref[i][j] = 0 end end
      local sxt, syt = sx:totable(), sy:totable()
      for i = 1, #sxt do
        local bx, by = bin(ex, sxt[i]), bin(ey, syt[i])
        if bx and by then ref[by][bx] = ref[by][bx] + 1 end
      end
      assert.are.equal(0, testutil.maxabs(spk, canns.array(ref, "float64")))
    end
    canns.set_num_threads(0)
    -- the median time step by selection equals the sorted middle
    local d = {}
    for i = 1, n - 1 do d[i] = tt[i + 1] - tt[i] end
    table.sort(d)
    local med = ((n - 1) % 2 == 1) and d[n // 2] or (d[(n - 1) // 2] + d[(n - 1) // 2 + 1]) / 2
    assert.are.equal(med, select(6, C.track_stats(pos, t)))
    local odd = t:slice(1, {1, n - 1})
    local d2 = {}
    for i = 1, n - 2 do d2[i] = tt[i + 1] - tt[i] end
    table.sort(d2)
    local med2 = ((n - 2) % 2 == 1) and d2[(n - 1) // 2] or (d2[(n - 2) // 2] + d2[(n - 2) // 2 + 1]) / 2
    assert.are.equal(med2, select(6, C.track_stats(pos:slice(1, {1, n - 1}), odd)))
  end)

  it("compute_rate_map_from_binned matches upstream and the worked case", function()
    local r, o, xe, ye = cc.compute_rate_map_from_binned(fx("rb_x"), fx("rb_y"), fx("rb_c"), {9, 7}, 1)
    assert.is_true(rel(r, fx("rb_rate")) < 1e-12)
    assert.are.equal(0, testutil.maxabs(o, fx("rb_occ")))
    assert.is_true(testutil.maxabs(xe, fx("rb_xe")) < 1e-15 and testutil.maxabs(ye, fx("rb_ye")) < 1e-15)
    local r2, o2 = cc.compute_rate_map_from_binned({0, 1, 0, 1}, {0, 0, 1, 1}, {1, 2, 3, 4}, {bins = 2})
    assert.are.equal(0, testutil.maxabs(r2, {{1, 2}, {3, 4}}))
    assert.are.equal(0, testutil.maxabs(o2, {{1, 1}, {1, 1}}))
  end)

  it("spatial information: 0 for uniform maps, log2(16) for one bin of 16", function()
    local occ = canns.ones({4, 4}, "float64")
    assert.are.equal(0, cc.compute_spatial_information(canns.full({4, 4}, 3, "float64"), occ))
    local r = canns.zeros({4, 4}, "float64")
    r[{2, 3}] = 16
    assert.is_true(math.abs(cc.compute_spatial_information(r, occ) - 4) < 1e-12)
    assert.are.equal(0, cc.compute_spatial_information(r, canns.zeros({4, 4})))
  end)

  it("field statistics and grid spacing match upstream", function()
    local m = fx("fs_map")
    local fs = cc.compute_field_statistics(m, 0.6, 5)
    local sizes, pk, cen = fx("fs_sizes"), fx("fs_peaks"), fx("fs_centers")
    assert.are.equal(sizes:size(), fs.num_fields)
    for k = 1, fs.num_fields do
      assert.are.equal(sizes[k], fs.field_sizes[k])
      assert.is_true(math.abs(fs.field_peaks[k] - pk[k]) < 1e-12)
      assert.is_true(math.abs(fs.field_centers[k][1] - 1 - cen[{k, 1}]) < 1e-12)
      assert.is_true(math.abs(fs.field_centers[k][2] - 1 - cen[{k, 2}]) < 1e-12)
    end
    local gs = fx("gs_values")
    assert.is_true(math.abs(cc.compute_grid_spacing(m) - gs[1]) < 1e-9)
    assert.is_true(math.abs(cc.compute_grid_spacing(m, "fft") - gs[2]) < 1e-9)
    assert.is_nil(cc.compute_grid_spacing(canns.ones({6, 6}, "float64")))
  end)

  it("rejects bad input naming the argument", function()
    local t, pos, sp = fx("rm_t"), fx("rm_pos"), fx("rm_spikes")
    testutil.fails_with("argument 3 (time_stamps) must have one time per position", cc.compute_rate_map,
                        sp, pos, canns.ones({10}, "float64"))
    testutil.fails_with("argument 2 (positions)", cc.compute_rate_map, sp, canns.ones({10, 3}), t)
    testutil.fails_with("option 'spatial_bins'", cc.compute_rate_map, sp, pos, t, 0)
    testutil.fails_with("option 'smoothing_sigma'", cc.compute_rate_map, sp, pos, t, {smoothing_sigma = -1})
    testutil.fails_with("unknown option 'bins'", cc.compute_rate_map, sp, pos, t, {bins = 3})
    testutil.fails_with("option 'position_range'", cc.compute_rate_map, sp, pos, t, {position_range = {2, 1}})
    testutil.fails_with("non-decreasing", cc.compute_rate_map, sp, pos, t:slice(1, {-1, 1, -1}))
    testutil.fails_with("must be finite", cc.compute_rate_map, sp, canns.full({5000, 2}, 0 / 0), t)
    testutil.fails_with("argument 3 (y) must have the length of x", cc.compute_rate_map, sp,
                        canns.ones({4}, "float64"), canns.ones({5}, "float64"), canns.ones({4}, "float64"))
    testutil.fails_with("non-empty", cc.compute_rate_map_from_binned, {}, {}, {})
    testutil.fails_with("no sample has finite", cc.compute_rate_map_from_binned, {0 / 0}, {1}, {1})
    testutil.fails_with("argument 2 (occupancy_map) must have the shape", cc.compute_spatial_information,
                        canns.ones({3, 3}), canns.ones({3, 4}))
    testutil.fails_with("argument 1 (rate_map) must not contain NaN", cc.compute_field_statistics,
                        canns.full({4, 4}, 0 / 0))
    testutil.fails_with("option 'method'", cc.compute_grid_spacing, canns.ones({4, 4}), "fourier")
  end)
end)

describe("HeadDirectionAnalyzer", function()
  local t, hd, sp, theta = fx("hd_t"), fx("hd_hd"), fx("hd_spikes"), fx("hd_theta")
  it("classifies the worked head-direction cell as upstream", function()
    assert.are.equal(796, sp:size())
    local an = cc.HeadDirectionAnalyzer{mvl_hd_threshold = 0.3, strict_mode = false}
    local r = an:classify_hd_cell(sp, hd, t)
    local out = fx("hd_out")
    assert.is_true(r.is_hd)
    assert.is_true(math.abs(r.mvl_hd - out[1]) < 1e-12 and math.abs(r.mvl_hd - 0.98904) < 1e-3)
    assert.is_true(math.abs(r.preferred_direction - out[2]) < 1e-12)
    assert.is_true(math.abs(r.preferred_direction - 0.49879) < 1e-3)
    assert.is_true(math.abs(r.rayleigh_p - out[3]) / out[3] < 1e-9)
    assert.is_true(testutil.maxabs(r.tuning_curve[2], fx("hd_rates")) < 1e-9)
    assert.is_nil(r.mvl_theta)
    -- strict mode with theta phases unrelated to the spikes: not an HD cell
    local r2 = cc.HeadDirectionAnalyzer():classify_hd_cell(sp, hd, t, {theta_phases = theta})
    assert.is_true(math.abs(r2.mvl_theta - out[5]) < 1e-12)
    assert.are.equal(out[6] == 1, r2.is_hd)
    local c, rates, occ = an:compute_tuning_curve(sp, hd, t, 36)
    assert.are.equal(36, c:size())
    assert.is_true(testutil.maxabs(rates, fx("hd_rates36")) < 1e-9)
    assert.is_true(testutil.maxabs(occ, fx("hd_occ36")) < 1e-12)
  end)

  it("recovers the preferred direction of a synthetic von Mises cell", function()
    local g = canns.random.Generator(5)
    local n, dt = 20000, 0.02
    local ts, dirs, spikes = {}, {}, {}
    local th = 0
    local noise = g:normal({n}, 0, 0.2, "float64"):totable()
    local u = g:uniform({n}, 0, 1, "float64"):totable()
    for i = 1, n do
      ts[i] = (i - 1) * dt
      th = th + noise[i]
      dirs[i] = math.atan(math.sin(th), math.cos(th))
      local rate = 20 * math.exp(3 * (math.cos(dirs[i] - 1.2) - 1))  -- von Mises tuning, kappa 3
      if u[i] < rate * dt then spikes[#spikes + 1] = ts[i] end
    end
    local r = cc.HeadDirectionAnalyzer():classify_hd_cell(spikes, dirs, ts)
    assert.is_true(math.abs(r.preferred_direction - 1.2) < 0.1, tostring(r.preferred_direction))
    -- the resultant length of a von Mises density with kappa 3 is I1(3)/I0(3) = 0.8100
    assert.is_true(math.abs(r.mvl_hd - 0.81) < 0.06, tostring(r.mvl_hd))
    assert.is_true(r.is_hd and r.rayleigh_p < 1e-10)
  end)

  it("rejects bad input", function()
    local an = cc.HeadDirectionAnalyzer()
    testutil.fails_with("argument 3 (head_directions) must have one value per time stamp",
                        an.classify_hd_cell, an, sp, canns.ones({5}), t)
    testutil.fails_with("argument 4 (time_stamps) must hold at least 2", an.classify_hd_cell, an, sp, {1}, {1})
    testutil.fails_with("option 'n_bins'", cc.HeadDirectionAnalyzer, {n_bins = 0})
    testutil.fails_with("option 'strict_mode'", cc.HeadDirectionAnalyzer, {strict_mode = 1})
    testutil.fails_with("option 'theta_phases' must have one value", an.classify_hd_cell, an, sp, hd, t,
                        {theta_phases = {1, 2}})
    testutil.fails_with("must be a HeadDirectionAnalyzer", an.classify_hd_cell, {}, sp, hd, t)
  end)
end)
