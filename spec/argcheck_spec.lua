-- canns.argcheck: the shared argument checks of the Lua-written functions.
local A = require "canns.argcheck"
local canns = require "canns"

local function err(f, ...)
  local ok, msg = pcall(f, ...)
  assert.is_false(ok)
  return msg
end

describe("canns.argcheck", function()
  it("names the function, the argument and the value", function()
    assert.equal("f: argument 3 (nbins) is too large: must be at most 2147483647, got 9.007199254741e+15",
                 err(A.count, 2^53, "f", 3, "nbins"))
    assert.equal("f: option 'dt' must not be NaN, got nan", err(A.number, 0 / 0, "f", "dt"))
    assert.equal("f: option 'dt' must be > 0, got -1", err(A.number, -1, "f", "dt", nil, {gt = 0}))
    assert.equal("f: argument 1 (x) must be a number, got 'a'", err(A.number, "a", "f", 1, "x"))
    assert.equal("f: argument 2 must be finite, got inf", err(A.number, math.huge, "f", 2))
    assert.equal("f: option 'n' must be an integer, got 0.5", err(A.int, 0.5, "f", "n"))
    assert.equal("f: option 'n' must be >= 0, got -2", err(A.count, -2, "f", "n"))
    assert.equal("f: option 'mode' must be one of 'a', 'b', got 'z'",
                 err(A.string, "z", "f", "mode", nil, {choices = {"a", "b"}}))
    assert.equal("f: unknown option 'dtt' (expected one of: dt)", err(A.options, {dtt = 1}, "f", {"dt"}))
    assert.equal("f: options must be a table, got 3", err(A.options, 3, "f", {"dt"}))
  end)

  it("returns values, defaults and integers", function()
    assert.equal(0.1, A.number(nil, "f", "dt", nil, {default = 0.1}))
    assert.is_nil(A.number(nil, "f", "dt", nil, {optional = true}))
    assert.equal("integer", math.type(A.count(3.0, "f", 1)))
    assert.equal(5, A.count(5, "f", 1, nil, {max = 5}))
    assert.equal("f: argument 1 is too large: must be at most 5, got 6",
                 err(A.count, 6, "f", 1, nil, {max = 5}))
    assert.is_true(A.boolean(nil, "f", "b", nil, {default = true}))
    assert.same({}, A.options(nil, "f", {}))
  end)

  it("checks arrays and sequences", function()
    local a = canns.linspace(0, 1, 5)
    assert.same({0, 0.25, 0.5, 0.75, 1}, A.sequence(a, "f", 1, "x"))
    assert.same({1, 2}, A.sequence({1, 2}, "f", 1, "x"))
    assert.equal("f: argument 1 (x) must be a list of numbers, got 'a' at position 2",
                 err(A.sequence, {1, "a"}, "f", 1, "x"))
    assert.equal("f: argument 1 (x) must have 2 dimensions, got a float32 array of shape {5}",
                 err(A.array, a, "f", 1, "x", {ndim = 2}))
    assert.equal("f: argument 1 (x) must have shape {n, 3}, got a float32 array of shape {5}",
                 err(A.array, a, "f", 1, "x", {shape = {-1, 3}}))
    local b = A.array({{1, 2}}, "f", 1, "x", {convert = true, ndim = 2})
    assert.same({1, 2}, b:shape())
    assert.equal("f: argument 1 (x) must not contain NaN or inf",
                 err(A.array, canns.array({1, 0 / 0}), "f", 1, "x", {finite = true}))
    assert.equal("f: argument 1 (x) must be a float32 or float64 array, got an int32 array of shape {2}",
                 err(A.array, canns.array({1, 2}, "int32"), "f", 1, "x", {dtype = "float"}))
  end)
end)
