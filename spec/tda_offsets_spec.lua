-- canns_lib's generate_offsets and fuzzy_union (canns.analyzer.tda):
-- the seeded offsets are the ones shuffle_null_model draws (replaying
-- them as shifts gives the same maxima exactly), they are uniform on
-- [0, T) (chi-square, p = 0.001 bound) and independent of each other's
-- shuffles; explicit shifts are checked and copied; the fuzzy union equals
-- canns-lib 0.11's on a random graph with repeated edges and self-loops
-- (scripts/fixtures/make_fuzzy_union_fixtures.py; 1e-15) and its
-- definition on a hand case; bad input.
local canns = require "canns"
local core = require "canns.core"
local tda = canns.analyzer.tda

describe("generate_offsets", function()
  it("gives the seeded null model's offsets", function()
    local X = canns.random.normal({60, 5})
    local o = tda.generate_offsets({60, 5}, 4, {seed = 9})
    assert.equal("int64", o:dtype())
    assert.same({4, 5}, o:shape())
    assert.is_true(o:min() >= 0 and o:max() < 60)
    local a = tda.shuffle_null_model(X, {num_shuffles = 4, seed = 9, maxdim = 1})
    local b = tda.shuffle_null_model(X, {num_shuffles = 4, shifts = o, maxdim = 1})
    for d = 1, 2 do assert.same(a[d]:totable(), b[d]:totable()) end
    assert.same(o:totable(), tda.generate_offsets({60, 5}, 4, {seed = 9}):totable())
    assert.are_not.same(o:totable(), tda.generate_offsets({60, 5}, 4, {seed = 10}):totable())
    -- the first shuffles do not depend on how many are asked for
    local o2 = tda.generate_offsets({60, 5}, 2, {seed = 9}):totable()
    assert.same({o:totable()[1], o:totable()[2]}, o2)
    assert.same(tda.generate_offsets({60, 5}, 4):totable(), tda.generate_offsets({60, 5}, 4, {seed = 0}):totable())
  end)

  it("is uniform on [0, T)", function()
    local T, K, N = 10, 2000, 5
    local counts = {}
    for i = 0, T - 1 do counts[i] = 0 end
    for _, row in ipairs(tda.generate_offsets({T, N}, K, {seed = 3}):totable()) do
      for _, v in ipairs(row) do counts[v] = counts[v] + 1 end
    end
    local e, chi = K * N / T, 0
    for i = 0, T - 1 do chi = chi + (counts[i] - e) ^ 2 / e end
    assert.is_true(chi < 27.88, "chi-square " .. chi) -- df 9, p = 0.001
  end)

  it("checks and copies explicit shifts", function()
    local s = core.array({{0, 1, 2}, {3, 4, 0}}, "int64")
    local o = tda.generate_offsets({5, 3}, 2, {shifts = s})
    assert.same(s:totable(), o:totable())
    o:set(1, 1, 4)
    assert.equal(0, s:get(1, 1))
    testutil.fails_with("generate_offsets: seed and shifts cannot be given together", tda.generate_offsets,
                        {5, 3}, 2, {shifts = s, seed = 1})
    testutil.fails_with("argument 3 (shifts) must have shape (3, 3)", tda.generate_offsets, {5, 3}, 3, {shifts = s})
    testutil.fails_with("argument 3 (shifts) must have an integer dtype", tda.generate_offsets, {5, 3}, 2,
                        {shifts = s:astype("float64")})
    testutil.fails_with("argument 3 (shifts) must satisfy 0 <= offset < 4", tda.generate_offsets, {4, 3}, 2,
                        {shifts = s})
    testutil.fails_with("argument 1 (shape) must be {n_samples, n_features}", tda.generate_offsets, {5}, 2)
    testutil.fails_with("shape[1]", tda.generate_offsets, {0, 3}, 2)
    testutil.fails_with("num_shuffles", tda.generate_offsets, {5, 3}, 0)
    testutil.fails_with("seed", tda.generate_offsets, {5, 3}, 1, {seed = -1})
    testutil.fails_with("unknown option", tda.generate_offsets, {5, 3}, 1, {sed = 1})
  end)
end)

describe("fuzzy_union", function()
  it("matches canns-lib on a random graph", function()
    local E = canns.load(testutil.fixture("tda/fuzzy_edges.npy")):totable()
    local r, c, v = {}, {}, {}
    for i, e in ipairs(E) do r[i], c[i], v[i] = math.tointeger(e[1]), math.tointeger(e[2]), e[3] end
    local U = tda.fuzzy_union(r, c, v, 30)
    assert.equal("float64", U:dtype())
    assert.is_true(testutil.maxabs(U, canns.load(testutil.fixture("tda/fuzzy_union.npy"))) <= 1e-15)
    -- arrays work as well as tables
    local U2 = tda.fuzzy_union(core.array(r, "int64"), core.array(c, "int64"), core.array(v, "float64"), 30)
    assert.equal(0, testutil.maxabs(U, U2))
  end)

  it("follows its definition", function()
    local U = tda.fuzzy_union({1, 2, 2, 1}, {2, 1, 2, 2}, {0.5, 0.4, 0.3, 0.25}, 3):totable()
    assert.equal(0.25 + 0.4 - 0.25 * 0.4, U[1][2]) -- the repeated edge keeps its last weight
    assert.equal(U[1][2], U[2][1])
    assert.equal(0.3 + 0.3 - 0.09, U[2][2])
    assert.equal(0, U[3][3])
  end)

  it("rejects bad input naming the argument", function()
    testutil.fails_with("fuzzy_union: argument 1 (rows) entry 1 must be in [1, 3], got 4", tda.fuzzy_union,
                        {4}, {1}, {0.5}, 3)
    testutil.fails_with("argument 2 (cols) entry 1 must be in [1, 3], got 0", tda.fuzzy_union, {1}, {0}, {0.5}, 3)
    testutil.fails_with("argument 3 (vals) entry 2 must be finite", tda.fuzzy_union, {1, 2}, {1, 2}, {0.5, 0 / 0}, 3)
    testutil.fails_with("argument 2 (cols) and vals must have the 2 entries of rows", tda.fuzzy_union,
                        {1, 2}, {1}, {0.5, 0.5}, 3)
    testutil.fails_with("argument 1 (rows) entry 1 must be an integer", tda.fuzzy_union, {1.5}, {1}, {0.5}, 3)
    testutil.fails_with("argument 4 (n)", tda.fuzzy_union, {1}, {1}, {0.5}, 0)
  end)
end)
