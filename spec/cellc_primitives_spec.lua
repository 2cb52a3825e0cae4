-- cell_classification primitives beyond the correlations: contours,
-- regional maxima, dilation, labelling, region properties, Gaussian
-- smoothing, the ellipse fit, polygon area, squared distances, angle
-- helpers, circular statistics and Pearson correlation.  References:
-- fixtures from upstream canns 1.5.0 (scripts/fixtures/
-- make_cellc_fixtures.py; exact for integer results, 1e-12 for floats),
-- the worked values of the upstream docs, and theory.  Pixel coordinates
-- in canns are 1-based (upstream's plus one).
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification

local function fx(name) return canns.load(testutil.fixture("cellc/" .. name .. ".npy")) end
local close = function(a, b, tol) return math.abs(a - b) <= (tol or 1e-12) end

describe("contours, maxima, labels, regions, smoothing", function()
  it("find_contours_at_level matches skimage point for point", function()
    local cs = cc.find_contours_at_level(fx("prim_img"), 0.5)
    local counts, pts = fx("prim_contour_counts"), fx("prim_contours")
    assert.are.equal(counts:size(), #cs)
    local row = 0
    for k = 1, #cs do
      assert.are.equal(counts[k], cs[k]:shape()[1])
      for i = 1, cs[k]:shape()[1] do
        row = row + 1
        assert.is_true(close(cs[k][{i, 1}] - 1, pts[{row, 1}]) and close(cs[k][{i, 2}] - 1, pts[{row, 2}]))
      end
    end
  end)

  it("a closed contour of a cone is a closed polygon of the right area", function()
    local t = {}
    for i = 1, 41 do
      t[i] = {}
      for j = 1, 41 do t[i][j] = -math.sqrt((i - 21) ^ 2 + (j - 21) ^ 2) end
    end
    local cs = cc.find_contours_at_level(canns.array(t, "float64"), -10)
    assert.are.equal(1, #cs)
    local c = cs[1]
    local n = c:shape()[1]
    assert.are.equal(c[{1, 1}], c[{n, 1}])
    assert.are.equal(c[{1, 2}], c[{n, 2}])
    local x, y = {}, {}
    for i = 1, n do x[i], y[i] = c[{i, 2}], c[{i, 1}] end
    local area = cc.polyarea(x, y)
    assert.is_true(math.abs(area - math.pi * 100) < 3)   -- inscribed polygon of a circle of radius 10
  end)

  it("regional maxima, dilation and labels match skimage", function()
    local q = fx("prim_quant")
    assert.are.equal(0, testutil.maxabs(cc.find_regional_maxima(q), fx("prim_maxima4")))
    assert.are.equal(0, testutil.maxabs(cc.find_regional_maxima(q, {connectivity = 2}), fx("prim_maxima8")))
    local b = canns.gt(q, 0.5)
    assert.are.equal(0, testutil.maxabs(cc.dilate_image(b), fx("prim_dilate")))
    local l8, n8 = cc.label_connected_components(b)
    local l4, n4 = cc.label_connected_components(b, 1)
    assert.are.equal(0, testutil.maxabs(l8, fx("prim_label8")))
    assert.are.equal(0, testutil.maxabs(l4, fx("prim_label4")))
    assert.are.equal(canns.max(fx("prim_label8")), n8)
    assert.are.equal(canns.max(fx("prim_label4")), n4)
    local props = cc.regionprops(l8)
    local cen, areas = fx("prim_centroids8"), fx("prim_areas8")
    assert.are.equal(areas:size(), #props)
    for k, p in ipairs(props) do
      assert.are.equal(areas[k], p.area)
      assert.is_true(close(p.centroid[1] - 1, cen[{k, 1}]) and close(p.centroid[2] - 1, cen[{k, 2}]))
    end
  end)

  it("a constant image has no regional maxima; a single peak has one", function()
    assert.are.equal(0, canns.sum(cc.find_regional_maxima(canns.ones({5, 6}, "float64"))))
    local z = canns.zeros({5, 5}, "float64")
    z[{3, 4}] = 1
    local m = cc.find_regional_maxima(z)
    assert.are.equal(1, canns.sum(m))
    assert.is_true(m[{3, 4}])
  end)

  it("gaussian_filter_2d matches scipy, also with a radius beyond the image", function()
    local img = fx("prim_img")
    assert.is_true(testutil.maxabs(cc.gaussian_filter_2d(img, 1.5), fx("prim_gauss_s15")) < 1e-12)
    local small = canns.array(img:totable(), "float64")
    local sub = {}
    for i = 1, 5 do
      sub[i] = {}
      for j = 1, 9 do sub[i][j] = small[{i, j}] end
    end
    assert.is_true(testutil.maxabs(cc.gaussian_filter_2d(canns.array(sub, "float64"), 7.0),
                                   fx("prim_gauss_s7")) < 1e-12)
    -- smoothing keeps the total of a constant image and sigma 0 is the identity
    assert.is_true(testutil.maxabs(cc.gaussian_filter_2d(canns.full({6, 4}, 3, "float64"), 2), canns.full({6, 4}, 3)) < 1e-12)
    assert.are.equal(0, testutil.maxabs(cc.gaussian_filter_2d(img, 0), img))
  end)

  it("rejects bad input", function()
    testutil.fails_with("argument 1 (image)", cc.find_contours_at_level, canns.ones({1, 5}), 0.5)
    testutil.fails_with("argument 2 (level)", cc.find_contours_at_level, canns.ones({3, 3}), 0 / 0)
    testutil.fails_with("NaN", cc.find_contours_at_level, canns.full({3, 3}, 0 / 0), 0.5)
    testutil.fails_with("option 'connectivity'", cc.label_connected_components, canns.ones({3, 3}), 3)
    testutil.fails_with("argument 2 (sigma)", cc.gaussian_filter_2d, canns.ones({3, 3}), -1)
    testutil.fails_with("option 'mode'", cc.gaussian_filter_2d, canns.ones({3, 3}), 1, "wrap")
    testutil.fails_with("labels >= 0", cc.regionprops, canns.array({{-1, 0}, {0, 1}}))
    testutil.fails_with("option 'selem_type'", cc.dilate_image, canns.ones({3, 3}), {selem_type = "disk"})
  end)
end)

describe("geometry", function()
  it("fit_ellipse recovers a rotated ellipse (as upstream, axes may be swapped)", function()
    local xy, ref = fx("ell_xy"), fx("ell_out")
    local e = cc.fit_ellipse(xy[1], xy[2])
    assert.is_true(close(e[1], 5, 1e-6) and close(e[2], 3, 1e-6))
    -- the set of (radius, axis angle mod 180) pairs
    local function pairs_of(v)
      local a = math.deg(v[5]) % 180
      local p = {{math.abs(v[3]), a}, {math.abs(v[4]), (a + 90) % 180}}
      table.sort(p, function(u, w) return u[1] < w[1] end)
      return p
    end
    local got, want = pairs_of(e), pairs_of(ref)
    for i = 1, 2 do
      assert.is_true(close(got[i][1], want[i][1], 1e-6) and close(got[i][2], want[i][2], 1e-6))
    end
    assert.is_true(close(got[1][1], 2, 1e-6) and close(got[2][1], 4, 1e-6))
    assert.is_true(close(got[2][2], 30, 1e-6))
    local six = cc.fit_ellipse(fx("ell6_xy")[1], fx("ell6_xy")[2])
    assert.is_true(testutil.maxabs(six, fx("ell6_out")) < 1e-9)
    testutil.fails_with("at least 5 points", cc.fit_ellipse, {1, 2, 3, 4}, {1, 2, 3, 5})
    testutil.fails_with("non-zero extent", cc.fit_ellipse, {1, 2, 3, 4, 5}, {1, 1, 1, 1, 1})
    testutil.fails_with("argument 2 (y)", cc.fit_ellipse, {1, 2, 3, 4, 5}, {1, 2})
  end)

  it("polyarea, squared_distance, wrap_to_pi, cart2pol, pol2cart", function()
    assert.are.equal(1, cc.polyarea({0, 1, 1, 0}, {0, 0, 1, 1}))
    assert.are.equal(0.5, cc.polyarea({0, 1, 0.5}, {0, 0, 1}))
    assert.are.equal(0, cc.polyarea({0, 1}, {0, 1}))
    local D = cc.squared_distance({{0, 1, 2}, {0, 0, 0}}, {{0, 0}, {1, 2}})
    assert.are.equal(0, testutil.maxabs(D, {{1, 4}, {2, 5}, {5, 8}}))
    assert.is_true(close(cc.wrap_to_pi(3 * math.pi / 2), -math.pi / 2, 1e-15))
    assert.is_true(testutil.maxabs(cc.wrap_to_pi({0.5, 7, -7}), {0.5, 7 - 2 * math.pi, -7 + 2 * math.pi}) < 1e-14)
    local th, rho = cc.cart2pol({1, 0, -1, 0}, {0, 1, 0, -1})
    assert.is_true(testutil.maxabs(th, {0, math.pi / 2, math.pi, -math.pi / 2}) < 1e-15)
    assert.is_true(testutil.maxabs(rho, {1, 1, 1, 1}) < 1e-15)
    local x, y = cc.pol2cart(th, rho)
    assert.is_true(testutil.maxabs(x, {1, 0, -1, 0}) < 1e-15 and testutil.maxabs(y, {0, 1, 0, -1}) < 1e-15)
    local a, r = cc.cart2pol(3, 4)
    assert.are.equal(5, r)
    testutil.fails_with("argument 2 (y)", cc.polyarea, {1, 2, 3}, {1, 2})
  end)
end)

describe("circular statistics and correlation", function()
  it("match upstream on weighted von Mises samples", function()
    local inp, out = fx("circ_in"), fx("circ_out")
    local a, w = inp[1], inp[2]
    local s, s0 = cc.circ_std(a, w)
    local got = {cc.circ_r(a), cc.circ_r(a, w), cc.circ_r(a, w, 0.1), cc.circ_mean(a, {w = w}), s, s0,
                 cc.circ_rtest(a), cc.circ_rtest(a, w)}
    for i = 1, 8 do assert.is_true(close(got[i], out[i], 1e-12), tostring(i)) end
    local sub1, sub2 = {}, {}
    for i = 1, 7 do sub1[i] = a[i] end
    for i = 4, 12 do sub2[#sub2 + 1] = a[i] end
    assert.is_true(testutil.maxabs(cc.circ_dist2(sub1, sub2), fx("circ_dist2")) < 1e-12)
  end)

  it("upstream's aliases mvl, angular_mean, angular_std, angular_distance", function()
    local inp, out = fx("circ_in"), fx("circ_out")
    local a, w = inp[1], inp[2]
    local s, s0 = cc.angular_std(a, w)
    assert.is_true(close(cc.mvl(a), out[1], 1e-12))
    assert.is_true(close(cc.mvl(a, w, 0.1), out[3], 1e-12))
    assert.is_true(close(cc.angular_mean(a, {w = w}), out[4], 1e-12))
    assert.is_true(close(s, out[5], 1e-12) and close(s0, out[6], 1e-12))
    assert.is_true(close(cc.angular_distance(0.1, -3.1), 0.1 + 3.1 - 2 * math.pi, 1e-14))
    testutil.fails_with("argument 2 (w)", cc.angular_mean, {1, 2, 3}, {1, 2})
    testutil.fails_with("argument 2 (y)", cc.angular_distance, {1, 2, 3}, {1, 2})
  end)

  it("give the worked values", function()
    assert.is_true(close(cc.circ_r({0, math.pi / 2}, {3, 1}), math.sqrt(10) / 4))
    assert.is_true(close(cc.circ_mean({0, math.pi}, {3, 1}), 0))
    local ten = {}
    for i = 1, 10 do ten[i] = 0.3 end
    assert.is_true(close(cc.circ_rtest(ten), -2.90e-6, 0.01e-6))
    assert.is_true(close(cc.circ_rtest({0, math.pi / 2}, {3, 1}), 0.332461, 1e-6))
    assert.is_true(close(cc.circ_dist(0.1, -3.1), 0.1 + 3.1 - 2 * math.pi, 1e-14))
    local g = canns.random.Generator(7)
    assert.is_true(cc.circ_r(g:normal({200}, 0, 0.1, "float64")) > 0.8)
    assert.is_true(cc.circ_r(g:uniform({2000}, -math.pi, math.pi, "float64")) < 0.2)
    testutil.fails_with("argument 2 (w)", cc.circ_mean, {1, 2, 3}, {1, 2})
    testutil.fails_with("unknown option", cc.circ_r, {1, 2}, {weights = {1, 1}})
  end)

  it("pearson_correlation matches upstream for several columns", function()
    local r = cc.pearson_correlation(fx("pc_x"), fx("pc_y"))
    assert.is_true(testutil.maxabs(r, fx("pc_out")) < 1e-12)
    assert.is_true(close(cc.pearson_correlation({1, 2, 3, 4, 5}, {2, 4, 6, 8, 10}), 1, 1e-15))
    assert.is_true(close(cc.pearson_correlation({1, 2, 3, 4, 5}, {5, 4, 3, 2, 1}), -1, 1e-15))
    local c = cc.pearson_correlation({1, 2, 3}, {1, 1, 1})
    assert.is_true(c ~= c) -- constant input: NaN
    testutil.fails_with("argument 2 (y)", cc.pearson_correlation, {1, 2, 3}, {1, 2})
  end)
end)
