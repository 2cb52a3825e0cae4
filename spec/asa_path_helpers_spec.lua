-- The path alignment helpers of upstream canns.analyzer.data.asa.path
-- (find_coords_matrix, interp_coords_to_full(_1d), as_1d,
-- resolve_time_slice, unwrap_container, load_npz_any) against the Python
-- toolkit (canns 1.5.0): fixtures made by
-- scripts/fixtures/make_asa_path_helpers_fixtures.py.  canns indices are
-- 1-based (upstream's + 1).
local canns = require "canns"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa/" .. n .. ".npy")) end

local function circ_maxdiff(a, b)
  local d = a - b
  return canns.atan2(canns.sin(d), canns.cos(d)):abs():max()
end

describe("interp_coords_to_full", function()
  local idx = L("path_interp_idx") + 1
  local c = L("path_interp_c")
  it("interpolates unsorted, repeated rows as upstream (2-D)", function()
    local full = asa.interp_coords_to_full(idx, c, 200)
    assert.same({200, 2}, full:shape())
    assert.is_true(circ_maxdiff(full, L("path_interp2")) < 1e-12)
  end)
  it("and the 1-D version", function()
    local full = asa.interp_coords_to_full_1d(idx, c:slice(2, {2, 2}):copy(), 200)
    assert.same({200, 1}, full:shape())
    assert.is_true(circ_maxdiff(full, L("path_interp1")) < 1e-12)
    local full2 = asa.interp_coords_to_full_1d(idx:totable(), c:slice(2, {2, 2}):reshape({60}):totable(), 200)
    assert.is_true(circ_maxdiff(full2, L("path_interp1")) < 1e-12)
  end)
  it("refuses bad input", function()
    testutil.fails_with("(coords2) must be a (K, 2) matrix", asa.interp_coords_to_full, idx, c:slice(2, {1, 1}), 200)
    testutil.fails_with("(coords1) must have shape (K,) or (K, 1)", asa.interp_coords_to_full_1d, idx, c, 200)
    testutil.fails_with("(idx_map) has 59 entries", asa.interp_coords_to_full, idx:slice(1, {1, 59}), c, 200)
    testutil.fails_with("T_full", asa.interp_coords_to_full, idx, c, 0)
  end)
end)

describe("resolve_time_slice", function()
  it("gives upstream's windows (1-based, inclusive)", function()
    local t, rows = L("path_slice_t"), L("path_slices")
    local function opt(v, shift)
      if v ~= v then return nil end
      return v + (shift or 0)
    end
    for i = 1, rows:shape(1) do
      local r = rows:slice(1, {i, i}):reshape({6}):totable()
      local a, b = asa.resolve_time_slice(t, opt(r[1]), opt(r[2]), opt(r[3], 1), opt(r[4]))
      assert.same({r[5] + 1, r[6]}, {a, b}, "case " .. i)
    end
  end)
  it("refuses bad input", function()
    testutil.fails_with("(t) must be a 1-d array", asa.resolve_time_slice, canns.zeros({2, 2}))
    testutil.fails_with("tmin", asa.resolve_time_slice, {1, 2, 3}, "a")
    testutil.fails_with("imax", asa.resolve_time_slice, {1, 2, 3}, nil, nil, 1, 2.5)
  end)
end)

describe("find_coords_matrix", function()
  local m2, m3 = canns.zeros({5, 2}, "float64"), canns.ones({5, 3}, "float64")
  it("picks keys in upstream's order", function()
    local _, k = asa.find_coords_matrix({coordsbox = m2, coords = m3, theta = m2})
    assert.equal("theta", k)
    _, k = asa.find_coords_matrix({coordsbox = m2, coords = m3})
    assert.equal("coordsbox", k)
    _, k = asa.find_coords_matrix({coordsbox = m3, coords = m3:copy()})
    assert.equal("coords", k)
    _, k = asa.find_coords_matrix({coordsbox = m3, coords = m3:copy()}, nil, true)
    assert.equal("coordsbox", k)
    local m
    m, k = asa.find_coords_matrix({th1 = {1, 2, 3}, v = {4, 5, 6}})
    assert.equal("th1+v", k)
    assert.same({3, 2}, m:shape())
    assert.equal(5, m:get(2, 2))
    m, k = asa.find_coords_matrix({coords = m2, mine = m3}, "mine")
    assert.equal("mine", k)
  end)
  it("refuses bad input", function()
    testutil.fails_with("(coords_key) 'nope' not found", asa.find_coords_matrix, {coords = m2}, "nope")
    testutil.fails_with("(coords_key) 'c' must be 2-d", asa.find_coords_matrix, {c = canns.zeros({4})}, "c")
    testutil.fails_with("holds no decoded coordinate matrix", asa.find_coords_matrix, {x = m2})
    testutil.fails_with("(dec)", asa.find_coords_matrix, 3)
  end)
end)

describe("as_1d, unwrap_container, load_npz_any", function()
  it("flatten, pass through, read an archive", function()
    local a = asa.as_1d(canns.array({{1, 2}, {3, 4}}))
    assert.same({4}, a:shape())
    assert.equal("float64", a:dtype())
    assert.equal(3, a:get(3))
    assert.same({4}, asa.as_1d({1, 2, 3, 4}):shape())
    local tb = {1}
    assert.equal(tb, asa.unwrap_container(tb))
    local dir = testutil.tmpdir()
    require("canns.io").save_npz(dir .. "/d.npz", {coords = canns.zeros({3, 2}), t = canns.arange(3)})
    local d = asa.load_npz_any(dir .. "/d.npz")
    assert.is_true(canns.isarray(d.coords) and canns.isarray(d.t))
    testutil.fails_with("d_missing.npz", asa.load_npz_any, dir .. "/d_missing.npz")
    testutil.fails_with("(path)", asa.load_npz_any, 5)
    testutil.rmtree(dir)
  end)
end)
