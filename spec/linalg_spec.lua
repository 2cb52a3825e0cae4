-- canns.linalg: LAPACK eigen-decompositions, checked against theory
-- (A V = V diag(w), orthonormal V, known spectra) and bad inputs.
local canns = require "canns"

local function maxabs(a) return canns.max(canns.abs(a)) end

describe("canns.linalg", function()
  it("eigh: ascending eigenvalues, orthonormal eigenvector columns", function()
    canns.random.seed(1)
    local R = canns.random.normal({6, 6}, 0, 1, "float64")
    local A = R + R:transpose()
    local w, V = canns.linalg.eigh(A)
    for i = 2, 6 do assert.is_true(w[i] >= w[i - 1]) end
    assert.is_true(maxabs(canns.matmul(A, V) - V * w:reshape(1, 6)) < 1e-12)
    assert.is_true(maxabs(canns.matmul(V:transpose(), V) - canns.array({
      {1, 0, 0, 0, 0, 0}, {0, 1, 0, 0, 0, 0}, {0, 0, 1, 0, 0, 0}, {0, 0, 0, 1, 0, 0},
      {0, 0, 0, 0, 1, 0}, {0, 0, 0, 0, 0, 1}}, "float64")) < 1e-12)
    -- a float32 input is decomposed in float64
    local w32 = canns.linalg.eigh(A:astype("float32"))
    assert.are.equal("float64", w32:dtype())
    assert.is_true(maxabs(w32 - w) < 1e-4)
    -- the trace and a known spectrum
    local w2 = canns.linalg.eigh(canns.array({{2, 1}, {1, 2}}, "float64"))
    assert.is_true(math.abs(w2[1] - 1) < 1e-14 and math.abs(w2[2] - 3) < 1e-14)
  end)

  it("eig: real and complex pairs, A v = lambda v", function()
    local wr, wi = canns.linalg.eig(canns.array({{0, -2}, {2, 0}}, "float64"))
    assert.is_true(math.abs(wr[1]) < 1e-14 and math.abs(wr[2]) < 1e-14)
    assert.is_true(math.abs(wi[1] - 2) < 1e-14 and math.abs(wi[2] + 2) < 1e-14)
    canns.random.seed(2)
    local A = canns.random.normal({5, 5}, 0, 1, "float64")
    local r, i, VR = canns.linalg.eig(A)
    local j = 1
    while j <= 5 do
      if i[j] == 0 then
        local v = VR:slice(2, j)
        assert.is_true(maxabs(canns.matmul(A, v) - v * r[j]) < 1e-10)
        assert.is_true(math.abs(canns.dot(v:reshape(5), v:reshape(5)) - 1) < 1e-12)
        j = j + 1
      else
        -- (A)(a + ib) = (r + i s)(a + ib): A a = r a - s b, A b = s a + r b
        local a, b = VR:slice(2, j):reshape(5), VR:slice(2, j + 1):reshape(5)
        assert.is_true(maxabs(canns.matmul(A, a) - (a * r[j] - b * i[j])) < 1e-10)
        assert.is_true(maxabs(canns.matmul(A, b) - (a * i[j] + b * r[j])) < 1e-10)
        assert.is_true(i[j] > 0 and i[j + 1] == -i[j])
        j = j + 2
      end
    end
    -- the sum of the eigenvalues is the trace
    local tr = 0
    for k = 1, 5 do tr = tr + A[{k, k}] end
    assert.is_true(math.abs(canns.sum(r) - tr) < 1e-10)
  end)

  it("refuses non-square, non-float and non-finite matrices", function()
    local F = testutil.fails_with
    F("eigh: argument 1 (a) must be a square float array", canns.linalg.eigh, canns.zeros({2, 3}))
    F("eig: argument 1 (a) must be a square float array", canns.linalg.eig, canns.zeros({2, 2}, "int64"))
    F("eig: argument 1 (a) must be a square float array", canns.linalg.eig, canns.zeros(4))
    F("eigh: the matrix contains NaN or inf", canns.linalg.eigh, canns.full({2, 2}, 0 / 0))
    F("must be an array", canns.linalg.eig, "x")
    local w, V = canns.linalg.eigh(canns.zeros({0, 0}))
    assert.are.equal(0, w:size()); assert.are.equal(0, V:size())
  end)
end)
