-- canns.analyzer.data.cell_classification image primitives: the
-- autocorrelogram, normalised cross-correlation and rotation against
-- fixtures made with upstream canns 1.5.0 (scripts/fixtures/
-- make_cellc_fixtures.py; float64, tolerance 1e-12), against plain
-- direct-sum references written here, and against the theory
-- (point symmetry, centre 1, sizes); bad input.
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local function fx(name) return canns.load(testutil.fixture("cellc/" .. name .. ".npy")) end
local function shp(a) return table.concat(a:shape(), "x") end

-- plain references -----------------------------------------------------
local function plain_xcorr_full(img, tpl)
  local ih, iw = img:shape()[1], img:shape()[2]
  local th, tw = tpl:shape()[1], tpl:shape()[2]
  local I, T = img:totable(), tpl:totable()
  local out = {}
  for k = 0, ih + th - 2 do
    local row = {}
    for l = 0, iw + tw - 2 do
      local s = 0
      for p = 0, th - 1 do
        local r = p + k - (th - 1)
        if r >= 0 and r < ih then
          for q = 0, tw - 1 do
            local c = q + l - (tw - 1)
            if c >= 0 and c < iw then s = s + I[r + 1][c + 1] * T[p + 1][q + 1] end
          end
        end
      end
      row[l + 1] = s
    end
    out[k + 1] = row
  end
  return canns.array(out, "float64")
end

local function plain_autocorr(map, overlap)
  local h, w = map:shape()[1], map:shape()[2]
  local m = map:totable()
  local mean = 0
  for i = 1, h do for j = 1, w do mean = mean + m[i][j] end end
  mean = mean / (h * w)
  for i = 1, h do for j = 1, w do m[i][j] = m[i][j] - mean end end
  local function odd(n)
    local x = n * (1 + overlap)
    local f = math.floor(x)
    local r = (x - f > 0.5 or (x - f == 0.5 and f % 2 == 1)) and f + 1 or f
    if r % 2 == 0 and r > 0 then r = r - 1 end
    return r
  end
  local mv, mh = odd(h), odd(w)
  local a = canns.array(m, "float64")
  local full = plain_xcorr_full(a, a):totable()
  local ov, oh = (2 * h - 1 - mv) // 2, (2 * w - 1 - mh) // 2
  local out = {}
  for i = 1, mv do
    out[i] = {}
    for j = 1, mh do out[i][j] = full[ov + i][oh + j] end
  end
  local c = out[mv // 2 + 1][mh // 2 + 1]
  for i = 1, mv do for j = 1, mh do out[i][j] = out[i][j] / c end end
  return canns.array(out, "float64")
end

describe("compute_2d_autocorrelation", function()
  it("matches upstream on square, non-square and NaN maps, several overlaps", function()
    local a = cc.compute_2d_autocorrelation(fx("ac_in_35"))
    assert.are.equal("63x63", shp(a))
    assert.is_true(testutil.maxabs(a, fx("ac_out_35")) < 1e-12)
    local b = fx("ac_in_20x31")
    for suffix, ov in pairs{[""] = 0.8, _o05 = 0.5, _o13 = 1.3} do
      local r = fx("ac_out_20x31" .. suffix)
      local got = cc.compute_2d_autocorrelation(b, {overlap = ov})
      assert.are.equal(shp(r), shp(got))
      assert.is_true(testutil.maxabs(got, r) < 1e-12, suffix)
    end
  end)

  it("equals a plain direct-sum reference", function()
    local m = canns.random.Generator(3):uniform({9, 7}, 0, 1, "float64")
    local got = cc.compute_2d_autocorrelation(m, 0.8)
    local ref = plain_autocorr(m, 0.8)
    assert.are.equal(shp(ref), shp(got))
    assert.is_true(testutil.maxabs(got, ref) < 1e-12)
  end)

  it("has the documented sizes, centre 1 and point symmetry", function()
    for n, m in pairs{[100] = 179, [50] = 89, [35] = 63} do
      local map = canns.random.Generator(n):uniform({n, n}, 0, 1, "float64")
      local ac = cc.compute_2d_autocorrelation(map)
      assert.are.equal(m .. "x" .. m, shp(ac))
      local c = m // 2 + 1
      assert.is_true(math.abs(ac[{c, c}] - 1) < 1e-14)
      local t = ac:totable()
      local worst = 0
      for i = 1, m do
        for j = 1, m do worst = math.max(worst, math.abs(t[i][j] - t[m + 1 - i][m + 1 - j])) end
      end
      assert.is_true(worst < 1e-12)
    end
  end)

  it("gives zeros for an all-zero or all-NaN map", function()
    local z = cc.compute_2d_autocorrelation(canns.zeros({10, 12}, "float64"))
    assert.are.equal("17x21", shp(z))
    assert.are.equal(0, canns.max(canns.abs(z)))
    local n = cc.compute_2d_autocorrelation(canns.full({5, 5}, 0 / 0, "float64"))
    assert.are.equal(0, canns.max(canns.abs(n)))
  end)

  it("batch equals one map at a time, for any thread count", function()
    local maps = canns.random.Generator(11):uniform({7, 12, 10}, 0, 1, "float64")
    local nt = canns.num_threads()
    for _, t in ipairs{1, 2} do
      canns.set_num_threads(t)
      local all = cc.compute_2d_autocorrelations(maps)
      assert.are.equal("7x21x17", shp(all))
      for k = 1, 7 do
        assert.are.equal(0, testutil.maxabs(all[k], cc.compute_2d_autocorrelation(maps[k])))
      end
    end
    canns.set_num_threads(nt)
  end)

  it("autocorrelation_2d without normalisation gives the raw lag products", function()
    local m = fx("ac_in_35")
    local raw = cc.autocorrelation_2d(m, 0.8, false)
    local ref = plain_xcorr_full(m - canns.mean(m), m - canns.mean(m))
    -- centre of the 63x63 window is the zero lag (34, 34 of the 69x69 full)
    assert.is_true(math.abs(raw[{32, 32}] - ref[{35, 35}]) < 1e-9)
    assert.is_true(testutil.maxabs(cc.autocorrelation_2d(m), fx("ac_out_35")) < 1e-12)
  end)

  it("rejects bad input naming the argument", function()
    local f = cc.compute_2d_autocorrelation
    testutil.fails_with("argument 1 (rate_map)", f, nil)
    testutil.fails_with("argument 1 (rate_map)", f, "x")
    testutil.fails_with("argument 1 (rate_map) must have 2 dimensions", f, canns.zeros({4}))
    testutil.fails_with("argument 1 (rate_map)", f, canns.zeros({0, 4}))
    testutil.fails_with("option 'overlap'", f, canns.ones({4, 4}), -1)
    testutil.fails_with("option 'overlap'", f, canns.ones({4, 4}), 0 / 0)
    testutil.fails_with("unknown option 'overlp'", f, canns.ones({4, 4}), {overlp = 1})
    testutil.fails_with("inf", f, canns.full({4, 4}, math.huge, "float64"))
    testutil.fails_with("at most 1 optional", f, canns.ones({4, 4}), 0.5, 2)
  end)
end)

describe("normalized_xcorr2", function()
  it("matches upstream in every mode", function()
    local img, tpl = fx("nx_img"), fx("nx_tpl")
    for _, mode in ipairs{"full", "same", "valid"} do
      local r = fx("nx_" .. mode)
      local got = cc.normalized_xcorr2(tpl, img, mode)
      assert.are.equal(shp(r), shp(got))
      assert.is_true(testutil.maxabs(got, r) < 1e-12, mode)
    end
    assert.is_true(testutil.maxabs(cc.normalized_xcorr2(img, img, {mode = "full"}),
                                   fx("nx_auto_full")) < 1e-12)
  end)

  it("is the plain correlation divided by the norms in 'same' mode", function()
    local g = canns.random.Generator(5)
    local img, tpl = g:uniform({6, 8}, -1, 1, "float64"), g:uniform({3, 4}, -1, 1, "float64")
    local full = plain_xcorr_full(img, tpl)
    local got = cc.normalized_xcorr2(tpl, img, "same")
    local n = math.sqrt(canns.sum(img * img)) * math.sqrt(canns.sum(tpl * tpl))
    for i = 1, 6 do
      for j = 1, 8 do
        assert.is_true(math.abs(got[{i, j}] - full[{i + 1, j + 1}] / n) < 1e-12)
      end
    end
  end)

  it("rejects a constant template, bad modes and shapes", function()
    local f = cc.normalized_xcorr2
    testutil.fails_with("template must not be constant", f, canns.ones({3, 3}), canns.ones({5, 5}))
    testutil.fails_with("option 'mode'", f, canns.array({{1, 2}, {3, 4}}),
                        canns.ones({5, 5}), "circular")
    testutil.fails_with("argument 2 (image)", f, canns.ones({2, 2}), {1, 2, 3})
    testutil.fails_with("valid", f, canns.array({{1, 2, 3}, {4, 5, 6}}), canns.ones({1, 5}), "valid")
    testutil.fails_with("finite", f, canns.array({{1, 2}, {3, 4}}), canns.full({3, 3}, 0 / 0))
  end)
end)

describe("rotate_image", function()
  it("matches upstream (scipy.ndimage.rotate) at every angle", function()
    local img, angles, ref = fx("rot_in"), fx("rot_angles"), fx("rot_out")
    for k = 1, angles:shape()[1] do
      local got = cc.rotate_image(img, angles[k], {output_shape = img:shape()})
      assert.is_true(testutil.maxabs(got, ref[k]) < 1e-12, tostring(angles[k]))
    end
    for _, t in ipairs{30, 90} do
      local r = fx("rot_reshape_" .. t)
      local got = cc.rotate_image(img, t)
      assert.are.equal(shp(r), shp(got))
      assert.is_true(testutil.maxabs(got, r) < 1e-12)
    end
    assert.are.equal(0, testutil.maxabs(cc.rotate_image(img, 30, img:shape(), "nearest"),
                                        fx("rot_nearest_30")))
  end)

  it("reproduces the worked 7x7 ramp", function()
    local b = {}
    for i = 0, 6 do
      b[i + 1] = {}
      for j = 0, 6 do b[i + 1][j + 1] = 7 * i + j end
    end
    local out = cc.rotate_image(canns.array(b, "float64"), 30, {7, 7})
    assert.is_true(math.abs(out[{1, 4}] - 7.3135) < 1e-4)
    assert.is_true(math.abs(out[{4, 1}] - 10.9019) < 1e-4)
    assert.are.equal(0, out[{1, 1}])
    -- 90 degrees is an exact permutation: out[i][j] = b[j][w-1-i]
    local r = cc.rotate_image(canns.array(b, "float64"), 90, {7, 7})
    for i = 0, 6 do
      for j = 0, 6 do assert.are.equal(b[j + 1][7 - i], r[{i + 1, j + 1}]) end
    end
  end)

  it("crops and pads to output_shape about the centre", function()
    local img = fx("rot_in")             -- 17 x 12
    local same = cc.rotate_image(img, 30, {output_shape = {17, 12}})
    local small = cc.rotate_image(img, 30, {output_shape = {9, 6}})
    for i = 1, 9 do
      for j = 1, 6 do assert.are.equal(same[{i + 4, j + 3}], small[{i, j}]) end
    end
    local big = cc.rotate_image(img, 30, {output_shape = {21, 14}})
    assert.are.equal(same[{1, 1}], big[{3, 2}])
    assert.are.equal(0, big[{1, 1}])
  end)

  it("rejects bad input", function()
    local f = cc.rotate_image
    testutil.fails_with("argument 2 (angle)", f, canns.ones({3, 3}), 0 / 0)
    testutil.fails_with("argument 2 (angle)", f, canns.ones({3, 3}), "30")
    testutil.fails_with("option 'method'", f, canns.ones({3, 3}), 30, nil, "cubic")
    testutil.fails_with("option 'output_shape'", f, canns.ones({3, 3}), 30, {output_shape = {0, 3}})
    testutil.fails_with("option 'output_shape'", f, canns.ones({3, 3}), 30, {output_shape = 3})
    testutil.fails_with("output_shape", f, canns.ones({3, 3}), 30, {output_shape = {5, 2}})
    testutil.fails_with("argument 1 (image)", f, canns.ones({3, 3, 3}), 30)
  end)
end)
