-- canns.pipeline.gallery: every model/analysis pair draws its figure, the
-- principal-component projection against theory, and bad input.
local canns = require "canns"
local g = canns.pipeline.gallery

local function is_png(path)
  local f = io.open(path, "rb")
  if not f then return false end
  local head = f:read(8)
  local size = f:seek("end")
  f:close()
  return head == "\137PNG\r\n\26\n" and size > 1000
end

describe("canns.pipeline.gallery", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)

  it("draws every analysis of every model", function()
    local small = {cann1d = {num = 64, energy_duration = 2, tuning_duration = 4, template_duration = 2,
                             manifold_segment = 4, manifold_warmup = 1, tuning_neurons = "8,32"},
                   cann2d = {length = 16, energy_duration = 2, manifold_segment = 4, manifold_warmup = 1,
                             traj_segment = 4, traj_warmup = 1, field_duration = 20,
                             field_resolution = 10},
                   gridcell = {length = 10, energy_duration = 0.2, energy_heal_steps = 100,
                               field_resolution = 10, path_duration = 0.5}}
    for _, m in ipairs(g.MODELS) do
      for _, a in ipairs(g.ANALYSES[m[1]]) do
        local lines = {}
        local r = g.run{model = m[1], analysis = a[1], out = dir, params = small[m[1]],
                        log = function(s) lines[#lines + 1] = s end}
        assert.is_true(r.success, tostring(r.error))
        assert.equal(("%s/%s_%s_seed%d.png"):format(dir, m[1], a[1], g.DEFAULTS[m[1]].seed), r.output)
        assert.is_true(is_png(r.output), r.output)
        assert.equal(("Running %s / %s..."):format(m[1], a[1]), lines[1])
      end
    end
  end)

  it("projects a circle embedded in many dimensions onto its plane", function()
    -- rows: (3 cos t, 3 sin t) rotated into 50 dimensions plus a small
    -- third direction; the first two components have radius 3 (theory)
    local T, N = 400, 50
    local rows = {}
    local q = canns.random.Generator(1):normal({N, 3}, 0, 1, "float64")
    -- orthonormalise the three columns (Gram-Schmidt)
    local cols = {}
    for c = 1, 3 do
      local v = q:slice(2, c)
      for _, u in ipairs(cols) do v = v - u * canns.sum(u * v) end
      cols[c] = v / math.sqrt(canns.sum(v * v))
    end
    for i = 1, T do
      local t = 2 * math.pi * (i - 1) / T
      rows[i] = (cols[1] * (3 * math.cos(t)) + cols[2] * (3 * math.sin(t)) +
                 cols[3] * (0.1 * math.sin(3 * t))):reshape({1, N})
    end
    local X = canns.concatenate(rows, 1)
    for _, Xv in ipairs({X, X:slice(1, {1, T, 10})}) do
      local P = g.pca(Xv, 2)
      assert.same({Xv:shape()[1], 2}, P:shape())
      local r = canns.sqrt(P:slice(2, 1) ^ 2 + P:slice(2, 2) ^ 2)
      -- 400 rows: the covariance path; every 10th row (40 rows < 50
      -- dimensions): the Gram-matrix path; both exact circles of radius 3
      assert.is_true(canns.max(canns.abs(r - 3)) < 1e-6, tostring(canns.max(canns.abs(r - 3))))
    end
  end)

  it("decodes 2-D bumps as upstream's gallery decoder does (canns 1.5.0 fixtures)", function()
    -- frames with one, two, no bump and a bump across the border; the
    -- centres are means of pixel coordinates: equal to round-off
    for _, name in ipairs({"decode24", "decode7"}) do
      local r = canns.load(testutil.fixture("gallery/" .. name .. "_r.npy"))
      local want = canns.load(testutil.fixture("gallery/" .. name .. "_centres.npy"))
      local got = g.decode_cann2d_centers(r)
      assert.same(want:shape(), got:shape())
      local err = canns.max(canns.abs(got - want))
      assert.is_true(err < 1e-9, name .. ": " .. tostring(err))
    end
  end)

  it("decodes the tracked square path close to the stimulus", function()
    canns.set_dt(0.1)
    local m = canns.models.CANN2D{length = 32}
    local p = {}
    for k, v in pairs(g.DEFAULTS.cann2d) do p[k] = v end
    p.traj_segment, p.traj_warmup = 10, 5
    local tp, dp = g.trajectory_data(m, p)
    assert.same({400, 2}, tp:shape())
    assert.same({400, 2}, dp:shape())
    -- the bump follows the stimulus within a few pixels (2 pi / 32 rad each)
    local d = canns.sqrt(canns.sum((tp - dp) ^ 2, 2))
    assert.is_true(canns.mean(d) < 0.5, tostring(canns.mean(d)))
  end)

  it("refuses bad frames for the 2-D decoder", function()
    testutil.fails_with("decode_cann2d_centers: argument 1 (r) must be a (T, n, n) array",
                        g.decode_cann2d_centers, canns.zeros({3, 4}))
    testutil.fails_with("decode_cann2d_centers: argument 1 (r) must be a (T, n, n) array",
                        g.decode_cann2d_centers, canns.zeros({3, 4, 5}))
    testutil.fails_with("decode_cann2d_centers: argument 1 (r) must be a (T, n, n) array",
                        g.decode_cann2d_centers, {1, 2})
    local bad = canns.zeros({2, 4, 4})
    bad:set(2, 3, 1, 0 / 0)
    testutil.fails_with("activity 8 of frame 1 is not finite", g.decode_cann2d_centers, bad)
  end)

  it("integrates the path of a healed grid-cell sheet close to the true path", function()
    local canns = require "canns"
    local p = {}
    for k, v in pairs(g.DEFAULTS.gridcell) do p[k] = v end
    canns.set_dt(p.dt)
    canns.random.seed(p.seed)
    local m = canns.models.GridCell2DVelocity{length = p.length, tau = p.tau, alpha = p.alpha,
                                              W_l = p.W_l, lambda_net = p.lambda_net}
    local tp, est = g.path_integration_figure(m, p)
    assert.are.same(tp:shape(), est:shape())
    -- mean distance between the true and the decoded path, over a 10 s walk
    -- in a 2.2 m box: a working integrator stays within a few centimetres
    local d = ((tp - est) ^ 2):sum(2):sqrt():mean()
    assert.is_true(d < 0.1, "mean path error " .. d .. " m")
    -- without healing and with a reversed velocity the estimate is far off
    -- (the test can fail)
    local far = (tp - (est * -1 + tp[1] * 2)) ^ 2
    assert.is_true(far:sum(2):sqrt():mean() > d)
  end)

  it("tracks a synthetic blob's centre (track_blob_centers)", function()
    local canns = require "canns"
    local gcm = canns.models.grid_cell
    local n, T = 20, 2
    local a = canns.zeros({T, n * n})
    local cx, cy = {7.3, 12.0}, {9.0, 4.6}
    for t = 1, T do
      for r = 0, n - 1 do
        for c = 0, n - 1 do
          a[{t, r * n + c + 1}] = math.exp(-((c - cx[t]) ^ 2 + (r - cy[t]) ^ 2) / 4)
        end
      end
    end
    local ctr = gcm.track_blob_centers(a, n)
    for t = 1, T do
      -- the centre of mass of the thresholded (binary) blob: within half a pixel
      assert.is_true(math.abs(ctr[{t, 1}] - cx[t]) < 0.5 and math.abs(ctr[{t, 2}] - cy[t]) < 0.5,
                     ("frame %d: %g, %g"):format(t, ctr[{t, 1}], ctr[{t, 2}]))
    end
    testutil.fails_with("track_blob_centers: argument 1 (activities) must have length^2 = 400 columns",
                        gcm.track_blob_centers, canns.zeros({2, 30}), n)
    testutil.fails_with("argument 2 (length)", gcm.track_blob_centers, a, 0)
  end)

  it("refuses bad models, analyses and parameters", function()
    testutil.fails_with("gallery.run: option 'model' must be one of 'cann1d', 'cann2d', 'gridcell', got 'grid'",
                        g.run, {model = "grid", analysis = "energy", out = dir})
    testutil.fails_with("option 'analysis' must be one of", g.run,
                        {model = "cann2d", analysis = "tuning", out = dir})
    testutil.fails_with("option 'params' has no parameter 'nm' for cann1d", g.run,
                        {model = "cann1d", analysis = "energy", out = dir, params = {nm = 3}})
    testutil.fails_with("option 'params.k' must be a finite number, got nan", g.run,
                        {model = "cann1d", analysis = "energy", out = dir, params = {k = 0 / 0}})
    testutil.fails_with("option 'params.num' must be an integer in [2, 8192], got 1000000000", g.run,
                        {model = "cann1d", analysis = "energy", out = dir, params = {num = 1e9}})
    testutil.fails_with("option 'params.dt' must be > 0", g.run,
                        {model = "cann1d", analysis = "energy", out = dir, params = {dt = -1}})
    testutil.fails_with("option 'params.energy_duration' must be in [0, 1e6 * dt]", g.run,
                        {model = "cann1d", analysis = "energy", out = dir, params = {energy_duration = 1e300}})
    testutil.fails_with("option 'params.field_resolution' must be an integer in [2, 1024], got 1", g.run,
                        {model = "gridcell", analysis = "firing_field", out = dir, params = {field_resolution = 1}})
    local r = g.run{model = "cann1d", analysis = "tuning", out = dir,
                    params = {tuning_start = 1, tuning_mid = 1, tuning_end = 1, tuning_duration = 0}}
    assert.is_false(r.success)
    assert.truthy(r.summary:find("Failed after", 1, true))
  end)
end)
