-- ASA downstream analyses (cohomap, path alignment, PathCompare, CohoMap
-- scatter) against the Python toolkit (canns 1.5.0): fixtures made by
-- scripts/fixtures/make_asa_downstream_fixtures.py from upstream's
-- decoding of the synthetic session in spec/fixtures/asa.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

local t, x, y = L("session_t"), L("session_x"), L("session_y")
local coords = L("dec_coords")
local times = L("dec_times") + 1 -- 1-based rows
local dec = {coords = coords, coordsbox = coords, times = times, times_box = times}

-- largest |a - b| over the cells where both are finite, and whether the
-- NaN patterns agree; angles compared on the circle
local function circ_cmp(a, b)
  local fa, fb = canns.isfinite(a), canns.isfinite(b)
  local same = testutil.maxabs(fa, fb) == 0
  local d = canns.where(canns.logical_not(fa), 0, a) - canns.where(canns.logical_not(fb), 0, b)
  d = canns.atan2(canns.sin(d), canns.cos(d)):abs()
  return d:max(), same
end

describe("cohomap", function()
  it("bins and smooths the phase maps as upstream (fill_nan)", function()
    local r = asa.cohomap(dec, {x = x, y = y, t = t}, {bins = 41, align_torus = false})
    local ref = L("cohomap_fill")
    assert.same(ref:shape(), r.phase_maps:shape())
    local err, same = circ_cmp(r.phase_maps, ref)
    assert.is_true(same)
    assert.is_true(err < 1e-9, "max phase error " .. err)
    local e = L("cohomap_edges")
    assert.is_true(testutil.maxabs(r.x_edge, e:slice(1, {1, 1}):reshape({41})) < 1e-15)
    assert.is_true(testutil.maxabs(r.y_edge, e:slice(1, {2, 2}):reshape({41})) < 1e-15)
    assert.equal(2, r.num_phase_maps)
    assert.is_false(r.aligned)
  end)
  it("keeps the empty cells without fill_nan", function()
    local r = asa.cohomap(dec, {x = x, y = y}, {bins = 41, align_torus = false, fill_nan = false,
                                                smooth_sigma = 1.5})
    local err, same = circ_cmp(r.phase_maps, L("cohomap_nofill"))
    assert.is_true(same)
    assert.is_true(err < 1e-9, "max phase error " .. err)
  end)
  it("leaves the maps unaligned when the alignment cannot run", function()
    local r = asa.cohomap(dec, {x = x, y = y}, {bins = 21, align_trim = 10, align_grid_size = 151})
    assert.is_false(r.aligned)
    assert.is_string(r.align_error)
  end)
  it("draws the maps", function()
    local dir = testutil.tmpdir()
    local r = asa.cohomap(dec, {x = x, y = y}, {bins = 21, align_torus = false})
    asa.plot_cohomap(r, {save_path = dir .. "/cm.png", mode = "sin"})
    assert.is_true(testutil.exists(dir .. "/cm.png"))
    testutil.rmtree(dir)
  end)
  it("refuses bad input", function()
    testutil.fails_with("(position_data) must have 'x' and 'y'", asa.cohomap, dec, {x = x})
    testutil.fails_with("length mismatch", asa.cohomap, dec, {x = x:slice(1, {1, 10}), y = y:slice(1, {1, 10})})
    testutil.fails_with("option 'bins' must be", asa.cohomap, dec, {x = x, y = y}, {bins = 1})
    testutil.fails_with("unknown option 'bin'", asa.cohomap, dec, {x = x, y = y}, {bin = 3})
    testutil.fails_with("mode' must be one of", asa.plot_cohomap,
                        asa.cohomap(dec, {x = x, y = y}, {bins = 5}), {mode = "tan"})
  end)
end)

describe("path alignment", function()
  -- every third decoded row, so that the decoding is not full-length
  local rows = {}
  for i = 1, times:size(), 3 do rows[#rows + 1] = i end
  rows = canns.array(rows, "int64")
  local cs, ts = canns.core.asa.take(coords, rows), canns.core.asa.take(times, rows)
  it("interpolates the decoded angles to every sample as upstream", function()
    local tt, xx, yy, c, tag = asa.align_coords_to_position_2d(t, x, y, cs, true, ts, true)
    assert.equal(t, tt)
    assert.matches("^interp_to_full", tag)
    local err = circ_cmp(c, L("align_interp"))
    assert.is_true(err < 1e-12, "max error " .. err)
  end)
  it("picks the decoded samples without interpolation", function()
    local tt, xx, yy, c, tag = asa.align_coords_to_position_2d(t, x, y, cs, true, ts, false)
    assert.matches("^subset%(times_box kind=index", tag)
    assert.equal(0, testutil.maxabs(tt, L("align_subset_t")))
    assert.same(cs:shape(), c:shape())
    -- time stamps instead of indices give the same samples
    local stamps = canns.core.asa.take(t, ts)
    local t2, _, _, _, tag2 = asa.align_coords_to_position_2d(t, x, y, cs, true, stamps - 1e-9, false)
    assert.matches("kind=time", tag2)
    assert.equal(0, testutil.maxabs(t2, tt))
  end)
  it("scales angles", function()
    assert.is_true(math.abs(asa.apply_angle_scale({0.25}, "unit"):get(1) - math.pi / 2) < 1e-15)
    assert.is_true(math.abs(asa.apply_angle_scale({90}, "deg"):get(1) - math.pi / 2) < 1e-15)
    assert.is_true(math.abs(asa.apply_angle_scale({0.5, 1.0}, "auto"):get(1) - math.pi) < 1e-15)
    assert.equal(3, asa.apply_angle_scale({3, 1}, "auto"):get(1))
    testutil.fails_with("scale", asa.apply_angle_scale, {1}, "grad")
  end)
  it("breaks the skewed path where it wraps, as upstream", function()
    local c = coords:slice(1, {1, 400}):mod(2 * math.pi)
    local trail = asa.snake_wrap_trail_in_parallelogram(asa.skew_transform(c))
    local ref = L("snake")
    assert.same(ref:shape(), trail:shape())
    assert.equal(0, testutil.maxabs(canns.isnan(trail), canns.isnan(ref)))
    local f = canns.where(canns.isnan(trail), 0, trail) - canns.where(canns.isnan(ref), 0, ref)
    assert.is_true(f:abs():max() < 1e-12)
  end)
  it("refuses mismatched input", function()
    testutil.fails_with("coords length 10 != t length", asa.align_coords_to_position_2d, t, x, y,
                        coords:slice(1, {1, 10}), false)
    testutil.fails_with("times_box", asa.align_coords_to_position_2d, t, x, y, cs, true,
                        ts:slice(1, {1, 5}), true)
    testutil.fails_with("must be a (T, 2) matrix", asa.align_coords_to_position_2d, t, x, y, {1, 2}, false)
  end)
end)

describe("path and CohoMap figures", function()
  it("draw PathCompare 1-D and 2-D and the CohoMap scatter plots", function()
    local dir = testutil.tmpdir()
    local tt, xx, yy, c = asa.align_coords_to_position_2d(t, x, y, coords, true, times, true)
    asa.plot_path_compare_2d(xx, yy, c, {save_path = dir .. "/p2.png", show = false})
    asa.plot_path_compare_1d(xx, yy, c:slice(2, {1, 1}), {save_path = dir .. "/p1.png", show = false})
    asa.plot_cohomap_scatter(dec, {x = x, y = y}, {save_path = dir .. "/s.png", dpi = 60})
    asa.plot_cohomap_scatter_multi(dec, {x = x, y = y}, {save_path = dir .. "/sm.png", dpi = 60})
    for _, f in ipairs({"p2", "p1", "s", "sm"}) do assert.is_true(testutil.exists(dir .. "/" .. f .. ".png")) end
    testutil.rmtree(dir)
    testutil.fails_with("at least 2 columns", asa.plot_path_compare_2d, x, y, c:slice(2, {1, 1}), {show = false})
    testutil.fails_with("must hold times_box", asa.plot_cohomap_scatter, {coordsbox = coords}, {x = x, y = y})
  end)
end)
