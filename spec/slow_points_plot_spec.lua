-- plot_fixed_points_2d / _3d: the PCA projection they draw against what
-- the Python toolkit's plots drew on the same states (fixtures from
-- scripts/fixtures/make_slow_points_plot_fixtures.py: its scatter offsets
-- and 3-D line / point coordinates, title and axis limits) and against a
-- plain Jacobi eigen-decomposition of the covariance written here; PNGs of
-- the expected size; bad input.
local canns = require "canns"
local core = require "canns.core"
local sp = canns.analyzer.slow_points
local vis = require "canns.analyzer.slow_points.visualization"

local function fx(name) return canns.io.load_npy(testutil.fixture("slow_points/" .. name .. ".npy")) end

local function fps_fixture()
  return sp.FixedPoints{xstar = fx("xstar"), is_stable = fx("is_stable")}
end

-- max |a - s b| over the entries, with one sign s = +-1 per column (the sign
-- of a principal component is arbitrary)
local function close_up_to_sign(a, b, tol)
  local A_, B_ = a:totable(), b:totable()
  assert.are.equal(#B_, #A_)
  for c = 1, #B_[1] do
    local best = math.huge
    for _, s in ipairs{1, -1} do
      local m = 0
      for r = 1, #B_ do m = math.max(m, math.abs(A_[r][c] - s * B_[r][c])) end
      best = math.min(best, m)
    end
    assert.is_true(best < tol, ("column %d differs by %g"):format(c, best))
  end
end

-- symmetric eigen-decomposition by cyclic Jacobi rotations (plain Lua)
local function jacobi(C)
  local n = #C
  local a, v = {}, {}
  for i = 1, n do
    a[i], v[i] = {}, {}
    for j = 1, n do a[i][j], v[i][j] = C[i][j], i == j and 1 or 0 end
  end
  for _ = 1, 100 do
    local off = 0
    for p = 1, n do for q = p + 1, n do off = off + a[p][q] ^ 2 end end
    if off < 1e-30 then break end
    for p = 1, n do
      for q = p + 1, n do
        if a[p][q] ~= 0 then
          local th = (a[q][q] - a[p][p]) / (2 * a[p][q])
          local t = (th >= 0 and 1 or -1) / (math.abs(th) + math.sqrt(th * th + 1))
          local c = 1 / math.sqrt(t * t + 1)
          local s = t * c
          for k = 1, n do
            local akp, akq = a[k][p], a[k][q]
            a[k][p], a[k][q] = c * akp - s * akq, s * akp + c * akq
          end
          for k = 1, n do
            local apk, aqk = a[p][k], a[q][k]
            a[p][k], a[q][k] = c * apk - s * aqk, s * apk + c * aqk
          end
          for k = 1, n do
            local vkp, vkq = v[k][p], v[k][q]
            v[k][p], v[k][q] = c * vkp - s * vkq, s * vkp + c * vkq
          end
        end
      end
    end
  end
  local order = {}
  for i = 1, n do order[i] = i end
  table.sort(order, function(x, y) return a[x][x] > a[y][y] end)
  local w, V = {}, {}
  for r, i in ipairs(order) do
    w[r] = a[i][i]
    V[r] = {}
    for k = 1, n do V[r][k] = v[k][i] end -- row r = r-th eigenvector
  end
  return w, V
end

-- plain PCA of a list of rows: projections on k components, variance ratios
local function plain_pca(rows, k)
  local n, S = #rows, #rows[1]
  local mean = {}
  for j = 1, S do
    local s = 0
    for i = 1, n do s = s + rows[i][j] end
    mean[j] = s / n
  end
  local C = {}
  for a = 1, S do
    C[a] = {}
    for b = 1, S do
      local s = 0
      for i = 1, n do s = s + (rows[i][a] - mean[a]) * (rows[i][b] - mean[b]) end
      C[a][b] = s / (n - 1)
    end
  end
  local w, V = jacobi(C)
  local tot = 0
  for i = 1, S do tot = tot + w[i] end
  local P, ratio = {}, {}
  for i = 1, n do
    P[i] = {}
    for c = 1, k do
      local s = 0
      for j = 1, S do s = s + (rows[i][j] - mean[j]) * V[c][j] end
      P[i][c] = s
    end
  end
  for c = 1, k do ratio[c] = w[c] / tot end
  return canns.array(P, "float64"), ratio
end

-- the rows the plots fit on: batches 1, 3, 5 from step 4, then the fixed points
local function fitted_rows()
  local X, F = fx("traj"):astype("float64"):totable(), fx("xstar"):astype("float64"):totable()
  local rows = {}
  for _, b in ipairs{1, 3, 5} do
    for t = 4, #X[b] do rows[#rows + 1] = X[b][t] end
  end
  for _, p in ipairs(F) do rows[#rows + 1] = p end
  return rows
end

local function split(P, n_traj, stable)
  local t = P:totable()
  local tr, st, un = {}, {}, {}
  for i = 1, n_traj do tr[i] = t[i] end
  for i, s in ipairs(stable) do
    local g = s and st or un
    g[#g + 1] = t[n_traj + i]
  end
  return canns.array(tr, "float64"), canns.array(st, "float64"), canns.array(un, "float64")
end

describe("slow_points plots", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)

  it("pca matches scikit-learn's signs and a plain Jacobi reference", function()
    local rows = fitted_rows()
    local P, comps, ratio = vis.pca(canns.array(rows, "float64"), 3)
    assert.are.same({#rows, 3}, P:shape())
    local ref, rref = plain_pca(rows, 3)
    close_up_to_sign(P, ref, 1e-9)
    for c = 1, 3 do assert.is_true(math.abs(ratio[c] - rref[c]) < 1e-12) end
    -- scikit-learn's sign rule: each component's largest-|.| entry is positive
    for _, v in ipairs(comps:totable()) do
      local big, bi = -1, 1
      for i, x in ipairs(v) do if math.abs(x) > big then big, bi = math.abs(x), i end end
      assert.is_true(v[bi] > 0)
    end
  end)

  it("plot_fixed_points_2d draws upstream's projection and writes a PNG", function()
    local fps = fps_fixture()
    local fig, info = sp.plot_fixed_points_2d(fps, fx("traj"), {save_path = dir .. "/fp2.png",
      show = false, save_dpi = 50, save_bbox_inches = false}, {1, 3, 5}, 4)
    assert.is_truthy(fig)
    -- upstream's own scatter offsets (float32 states, so 1e-4)
    close_up_to_sign(info.traj, fx("pca2_traj"), 1e-4)
    local _, st, un = split(info.fps, 0, fx("is_stable"):totable())
    close_up_to_sign(st, fx("pca2_stable"), 1e-4)
    close_up_to_sign(un, fx("pca2_unstable"), 1e-4)
    -- and the plain reference
    local ref = plain_pca(fitted_rows(), 2)
    local tr = split(ref, info.traj:shape(1), {})
    close_up_to_sign(info.traj, tr, 1e-4)
    -- a 10 x 8 inch figure at 50 dpi, not cropped
    local w, h, data = core.plot_read_png(dir .. "/fp2.png")
    assert.are.same({500, 400}, {w, h})
    assert.is_true(#data > 0)
    -- the options-table form of the batches and start time
    sp.plot_fixed_points_2d(fps, fx("traj"), {plot_batch_idx = {2}, plot_start_time = 1,
      save_path = dir .. "/fp2b.png", show = false, save_dpi = 30})
    local f = assert(io.open(dir .. "/fp2b.png", "rb"))
    assert.is_true(#f:read("a") > 1000)
    f:close()
  end)

  it("plot_fixed_points_3d: projection, variance title, cube limits, PNG", function()
    local fps = fps_fixture()
    local fig, info = sp.plot_fixed_points_3d(fps, fx("traj"), {save_path = dir .. "/fp3.png",
      show = false, save_dpi = 40, save_bbox_inches = false, plot_batch_idx = {1, 3, 5},
      plot_start_time = 4})
    assert.is_truthy(fig)
    close_up_to_sign(info.traj, fx("pca3_traj"), 1e-4)
    local _, st, un = split(info.fps, 0, fx("is_stable"):totable())
    close_up_to_sign(st, fx("pca3_stable"), 1e-4)
    close_up_to_sign(un, fx("pca3_unstable"), 1e-4)
    -- the cube: same extents as upstream's limits (centres flip with the sign)
    local L = fx("pca3_limits"):totable()
    for c = 1, 3 do
      assert.is_true(math.abs((info.hi[c] - info.lo[c]) - (L[c][2] - L[c][1])) < 1e-4)
      local mid, umid = (info.hi[c] + info.lo[c]) / 2, (L[c][2] + L[c][1]) / 2
      assert.is_true(math.abs(math.abs(mid) - math.abs(umid)) < 1e-4)
    end
    local f = assert(io.open(testutil.fixture("slow_points/pca3_title.txt")))
    local want = f:read("a")
    f:close()
    local r = info.explained_variance_ratio
    local got = ("Fixed Points (3D PCA)\nVariance: %.1f%%, %.1f%%, %.1f%% (total: %.1f%%)"):format(
      100 * r[1], 100 * r[2], 100 * r[3], 100 * (r[1] + r[2] + r[3]))
    assert.are.equal(want, got)
    local w, h = core.plot_read_png(dir .. "/fp3.png")
    assert.are.same({480, 400}, {w, h})
  end)

  it("no fixed points: trajectories only", function()
    local empty = sp.FixedPoints{}
    local _, info = sp.plot_fixed_points_2d(empty, fx("traj"), {show = false})
    assert.is_nil(info.fps)
    assert.are.same({5 * 12, 2}, info.traj:shape())
  end)

  it("bad input raises errors naming the argument", function()
    local fps, X = fps_fixture(), fx("traj")
    local p2 = sp.plot_fixed_points_2d
    testutil.fails_with("argument 1 (fixed_points) must be a FixedPoints", p2, {}, X, {show = false})
    testutil.fails_with("argument 2 (state_traj) must have 3 dimensions", p2, fps,
      canns.zeros({4, 4}), {show = false})
    local bad = X:copy()
    bad[{2, 3, 1}] = 0 / 0
    testutil.fails_with("argument 2 (state_traj) must not contain NaN", p2, fps, bad, {show = false})
    testutil.fails_with("has 4 states per point but state_traj has 3", p2, fps,
      canns.zeros({2, 5, 3}), {show = false})
    testutil.fails_with("plot_batch_idx) entry 2 must be a trial index in 1..5, got 6", p2, fps, X,
      {show = false}, {1, 6})
    testutil.fails_with("plot_batch_idx", p2, fps, X, {show = false, plot_batch_idx = {}})
    testutil.fails_with("plot_start_time", p2, fps, X, {show = false, plot_start_time = 13})
    testutil.fails_with("plot_start_time", p2, fps, X, {show = false, plot_start_time = 0})
    testutil.fails_with("unknown option 'colour'", p2, fps, X, {show = false, colour = "red"})
    testutil.fails_with("argument 3 (config) must be a PlotConfig", p2, fps, X, "x")
    testutil.fails_with("has no is_stable", p2, sp.FixedPoints{xstar = fx("xstar")}, X, {show = false})
    testutil.fails_with("3 principal components need at least 3", sp.plot_fixed_points_3d,
      sp.FixedPoints{}, canns.zeros({2, 5, 2}), {show = false})
  end)
end)
