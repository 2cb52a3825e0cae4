-- Fly ROI bump fits: the site log-likelihood and the coupling against
-- canns 1.5.0 on the same bumps (1e-9 relative), the chain's outputs
-- against their definitions (a plain Lua loop over the returned bumps),
-- the MCMC on a synthetic moving bump against upstream's statistics on
-- the same data (in distribution: three seeds each), the animation
-- written, bad input refused.
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("fly_roi/" .. n .. ".npy")):astype("float64") end
local OPTS = {n_roi = 16, penbump = 0.4, sig2 = 1.0, beta = 5.0, jc = 1.8, n_bump_max = 6}

local function close(a, b, rel) return math.abs(a - b) <= rel * math.max(1, math.abs(b)) end

-- upstream's fast I0 (the numba path)
local function i0(k)
  if k > 3.75 then return math.exp(k) / math.sqrt(2 * math.pi * k) end
  return 1 + k * k / 4 + k ^ 4 / 64
end

describe("fly ROI bump fits", function()
  local dir
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)

  it("has upstream's site log-likelihood", function()
    local rows = L("site_logl"):totable()
    for _, r in ipairs(rows) do
      local nb = math.tointeger(r[1])
      local y, p, a, k = {}, {}, {}, {}
      for j = 1, 16 do y[j] = r[1 + j] end
      for b = 1, nb do p[b], a[b], k[b] = r[17 + b], r[21 + b], r[25 + b] end
      local v = core.asa.roi_site_logl(y, p, a, k, OPTS)
      assert.is_true(close(v, r[30], 1e-9), ("nb %d: %.12g vs %.12g"):format(nb, v, r[30]))
    end
  end)

  it("has upstream's coupling (greedy up to 4 bumps, optimal assignment above)", function()
    local rows = L("coupling"):totable()
    for _, r in ipairs(rows) do
      local n1, n2 = math.tointeger(r[1]), math.tointeger(r[2])
      local p1, p2 = {}, {}
      for i = 1, n1 do p1[i] = r[2 + i] end
      for i = 1, n2 do p2[i] = r[8 + i] end
      local v = core.asa.roi_coupling(p1, p2, OPTS)
      assert.is_true(close(v, r[15], 1e-9), ("%d x %d: %.12g vs %.12g"):format(n1, n2, v, r[15]))
    end
  end)

  it("returns fits, predictions and centred bumps as their definitions say", function()
    local data = L("data")
    local bumps, fits, nb, centr = asa.roi_bump_fits(data, {n_steps = 300, random_seed = 4})
    local D = data:totable()
    local T, R = #D, 16
    assert.equal(T, #bumps)
    assert.same({T, R + 2}, nb:shape())
    local F, N, C = fits:totable(), nb:totable(), centr:totable()
    local fi = 0
    for t = 1, T do
      local b = bumps[t]
      assert.equal(t - 1, N[t][1])
      assert.equal(b.nbump, N[t][2])
      for j = 1, R do
        local x, s = 2 * math.pi * (j - 1) / R, 0
        for i = 1, b.nbump do s = s + b.ampli[i] * math.exp(b.kappa[i] * math.cos(x - b.pos[i])) / (2 * math.pi * i0(b.kappa[i])) end
        assert.is_true(math.abs(N[t][2 + j] - s) < 1e-12)
      end
      for i = 1, b.nbump do
        fi = fi + 1
        assert.same({t - 1, b.pos[i], b.ampli[i], b.kappa[i]}, F[fi])
        assert.is_true(b.pos[i] >= 0 and b.pos[i] < 2 * math.pi and b.ampli[i] > 0)
        assert.is_true(b.kappa[i] >= 2 and b.kappa[i] <= 6 or b.kappa[i] == 2.5)
        for j = 1, R do
          local d = b.pos[i] - 2 * math.pi * (j - 1) / R
          if d > math.pi then d = d - 2 * math.pi end
          if d < -math.pi then d = d + 2 * math.pi end
          local row = C[(fi - 1) * R + j]
          assert.is_true(math.abs(row[1] - d) < 1e-12 and math.abs(row[2] - D[t][j] / b.ampli[i]) < 1e-12)
        end
      end
      -- the site log-likelihood kept by the chain is the state's
      local med = 0
      do
        local all = {}
        for _, rr in ipairs(D) do for _, v in ipairs(rr) do all[#all + 1] = v end end
        table.sort(all)
        med = (all[#all // 2] + all[#all // 2 + 1]) / 2
      end
      local y = {}
      for j = 1, R do y[j] = D[t][j] / med - 1 end
      local ll = core.asa.roi_site_logl(y, b.pos, b.ampli, b.kappa, OPTS)
      assert.is_true(close(b.logl, ll, 1e-9))
    end
    assert.equal(fi, fits:shape(1))
    local c = bumps[1]:clone()
    assert.same({bumps[1].nbump, bumps[1].pos, bumps[1].logl}, {c.nbump, c.pos, c.logl})
    assert.are_not.equal(bumps[1].pos, c.pos)
    assert.equal(fi * R, centr:shape(1))
    -- the same seed, the same chain
    local b2, f2 = asa.roi_bump_fits(data, asa.BumpFitsConfig{n_steps = 300, random_seed = 4})
    assert.equal(0, (f2 - fits):abs():max())
    -- saved as upstream's npz
    local p = dir .. "/sub/fits.npz"
    asa.roi_bump_fits(data, {n_steps = 10, random_seed = 1}, p)
    local z = canns.io.load_npz(p)
    assert.truthy(z.fits and z.nbump and z.centrbump)
  end)

  it("tracks a moving bump as upstream does (in distribution over seeds)", function()
    local data, truth = L("data"), L("truth"):totable()
    local up = L("mcmc_stats"):totable()
    local function mean(col)
      local s = 0
      for _, r in ipairs(up) do s = s + r[col] end
      return s / #up
    end
    local single, count, err, amp = 0, 0, 0, 0
    for seed = 1, 3 do
      local bumps, fits = asa.roi_bump_fits(data, {n_steps = 1500, random_seed = 10 + seed})
      local e, n1, c = {}, 0, 0
      for t, b in ipairs(bumps) do
        c = c + b.nbump
        if b.nbump == 1 then
          n1 = n1 + 1
          local d = math.abs(b.pos[1] - truth[t])
          e[#e + 1] = math.min(d, 2 * math.pi - d)
        end
      end
      table.sort(e)
      local med = #e % 2 == 1 and e[(#e + 1) // 2] or (e[#e // 2] + e[#e // 2 + 1]) / 2
      single = single + n1 / #bumps / 3
      count = count + c / #bumps / 3
      err = err + med / 3
      local s = 0
      local F = fits:totable()
      for _, r in ipairs(F) do s = s + r[3] end
      amp = amp + s / #F / 3
    end
    -- upstream: ~99 % single-bump times, ~1.01 bumps, median error ~0.05 rad, amplitude ~3.06
    assert.is_true(math.abs(single - mean(2)) < 0.05, ("single %.3f vs %.3f"):format(single, mean(2)))
    assert.is_true(math.abs(count - mean(3)) < 0.05, ("count %.3f vs %.3f"):format(count, mean(3)))
    assert.is_true(math.abs(err - mean(4)) < 0.03, ("error %.3f vs %.3f"):format(err, mean(4)))
    assert.is_true(math.abs(amp - mean(5)) < 0.3, ("amplitude %.3f vs %.3f"):format(amp, mean(5)))
  end)

  it("animates the strongest bump of each time", function()
    local _, fits = asa.roi_bump_fits(L("data"), {n_steps = 200, random_seed = 2})
    local p = dir .. "/bump.gif"
    local a = asa.create_1d_bump_animation(fits, {save_path = p, show = false, nframes = 12})
    assert.equal(12, a.frames)
    assert.equal(12, core.plot_gif_info(p).frames)
    -- the curve's largest radius is near the bump direction, at most 1 + max height
    local X, Y = a.curves_x:totable(), a.curves_y:totable()
    for f = 1, 12 do
      local best, ang = 0, 0
      for i = 1, #X[f] do
        local r = math.sqrt(X[f][i] ^ 2 + Y[f][i] ^ 2)
        if r > best then best, ang = r, math.atan(Y[f][i], X[f][i]) end
      end
      assert.is_true(best <= 1.5 + 1e-9 and best > 1.05)
      local d = math.abs((ang - a.positions[f] + math.pi) % (2 * math.pi) - math.pi)
      assert.is_true(d < 0.2, ("frame %d: peak at %.3f, bump at %.3f"):format(f, ang, a.positions[f]))
    end
  end)

  it("refuses bad input, naming it", function()
    local data = L("data")
    testutil.fails_with("must have n_roi = 16 columns", asa.roi_bump_fits, canns.ones({10, 8}))
    testutil.fails_with("(data) must not contain NaN", asa.roi_bump_fits, canns.array({{0 / 0, 1}}), {n_roi = 2})
    testutil.fails_with("median is 0", asa.roi_bump_fits, canns.zeros({4, 16}))
    testutil.fails_with("n_bump_max", asa.roi_bump_fits, data, {n_bump_max = 17})
    testutil.fails_with("n_steps", asa.roi_bump_fits, data, {n_steps = -1})
    testutil.fails_with("unknown option 'nsteps'", asa.roi_bump_fits, data, {nsteps = 10})
    testutil.fails_with("save_path", asa.roi_bump_fits, data, {n_steps = 1}, 5)
    testutil.fails_with("holds no bump", asa.create_1d_bump_animation, canns.zeros({0, 4}), {save_path = dir .. "/x.gif"})
    testutil.fails_with("must be an (n, 4) array", asa.create_1d_bump_animation, canns.zeros({3, 3}),
                        {save_path = dir .. "/x.gif"})
    testutil.fails_with("bump_selection", asa.create_1d_bump_animation, canns.ones({3, 4}),
                        {save_path = dir .. "/x.gif", bump_selection = "widest"})
    testutil.fails_with("either save_path or show", asa.create_1d_bump_animation, canns.ones({3, 4}), {show = false})
  end)
end)
