-- Cell-classification figures (upstream
-- canns.analyzer.data.cell_classification.visualization grid_plots and
-- hd_plots): the data found in the written pixels where the axes put it
-- (colours against the colour maps' tables, markers at the given places,
-- bar heights against a plain count), files written whole, bad input
-- refused with the argument named.
local canns = require "canns"
local core = require "canns.core"
local cc = canns.analyzer.data.cell_classification
local PlotConfigs = canns.analyzer.visualization.PlotConfigs

local function pixel(w, h, rgb, x, y)
  local ch = #rgb // (w * h)
  local i = (math.floor(y + 0.5) * w + math.floor(x + 0.5)) * ch + 1
  return rgb:byte(i, i + 2)
end

-- matplotlib's lookup: entry floor(t * N) of the 256-entry table, t clipped to [0, 1].
local function cmap_rgb(name, t)
  local lut = core.plot_colormap(name)
  t = math.max(0, math.min(1, t))
  local k = math.min(#lut - 1, math.floor(t * #lut))
  return lut[k + 1]
end

local function near(rgb, ref, tol)
  return math.abs(rgb[1] - ref[1]) <= tol and math.abs(rgb[2] - ref[2]) <= tol and math.abs(rgb[3] - ref[3]) <= tol
end

-- pure red (lines and markers); no entry of RdBu_r, jet or hot is this red
local function is_red(r, g, b) return r > 220 and g < 40 and b < 40 end

-- Hexagonal grid map of the upstream test suite (k = 2 pi / 0.8 on 50 x 50).
local function hex_map(n)
  local m = {}
  for i = 1, n do
    m[i] = {}
    for j = 1, n do
      local x, y = -2 + 4 * (j - 1) / (n - 1), -2 + 4 * (i - 1) / (n - 1)
      local k, g = 2 * math.pi / 0.8, 0
      for _, a in ipairs({0, 60, 120}) do
        local r = math.rad(a)
        g = g + math.cos(k * (x * math.cos(r) + y * math.sin(r)))
      end
      m[i][j] = (g / 3 + 1.5) / 2.5 * 10
    end
  end
  return canns.array(m, "float64")
end

local function listdir(d)
  local p = io.popen("ls -A '" .. d .. "'")
  local t = {}
  for l in p:lines() do t[#t + 1] = l end
  p:close()
  table.sort(t)
  return t
end

describe("cell classification plots", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)

  local rm = hex_map(50)
  local ac = cc.compute_2d_autocorrelation(rm)
  local g = cc.GridnessAnalyzer():compute_gridness_score(ac)

  it("plot_autocorrelogram: RdBu_r colours in [-1, 1], red peaks and a dashed centre circle", function()
    local p = dir .. "/ac.png"
    local cfg = PlotConfigs.grid_autocorrelation{save_path = p, show = false, save_dpi = 100}
    local fig, ax = cc.plot_autocorrelogram(ac, cfg, {gridness_score = g.score, center_radius = g.center_radius,
                                                      peak_locations = g.peak_locations})
    assert.are.equal("Figure", tostring(fig):match("^Figure"))
    assert.are.same({"ac.png"}, listdir(dir)) -- no temporary file left behind
    local w, h, rgb = core.plot_read_png(p)
    local A = ac:totable()
    local H, W = #A, #A[1]
    -- the centre (value 1) and a few smooth places away from the markers,
    -- against RdBu_r((v + 1) / 2)
    for _, ij in ipairs({{45, 45}, {45, 5}, {10, 70}, {80, 20}}) do
      local i, j = ij[1], ij[2]
      local r, gg, b = pixel(w, h, rgb, ax:data_to_pixel(j - 1, i - 1))
      local ref = cmap_rgb("RdBu_r", (A[i][j] + 1) / 2)
      assert.is_true(near({r, gg, b}, ref, 14),
                     string.format("(%d,%d) v=%.3f got %d,%d,%d want %d,%d,%d", i, j, A[i][j], r, gg, b,
                                   ref[1], ref[2], ref[3]))
    end
    -- red "+" at each peak (1-based (x, y) -> pixel centres x - 1, y - 1):
    -- the centre and both arms are red, the diagonals are not
    for _, pk in ipairs(g.peak_locations:totable()) do
      local px, py = ax:data_to_pixel(pk[1] - 1, pk[2] - 1)
      assert.is_true(is_red(pixel(w, h, rgb, px, py)), "peak centre")
      assert.is_true(is_red(pixel(w, h, rgb, px + 5, py)), "horizontal arm")
      assert.is_true(is_red(pixel(w, h, rgb, px, py - 5)), "vertical arm")
      assert.is_false(is_red(pixel(w, h, rgb, px + 5, py + 5)), "diagonal")
    end
    -- the dashed circle of radius center_radius around (W/2, H/2): red on
    -- a good part of the circle (dashes), nowhere at half the radius
    local on, inside = 0, 0
    for k = 0, 71 do
      local t = 2 * math.pi * k / 72
      local x, y = W / 2 + g.center_radius * math.cos(t), H / 2 + g.center_radius * math.sin(t)
      local px, py = ax:data_to_pixel(x, y)
      local hit = false
      for dx = -1, 1 do
        for dy = -1, 1 do if is_red(pixel(w, h, rgb, px + dx, py + dy)) then hit = true end end
      end
      if hit then on = on + 1 end
      px, py = ax:data_to_pixel(W / 2 + 0.4 * g.center_radius * math.cos(t), H / 2 + 0.4 * g.center_radius * math.sin(t))
      if is_red(pixel(w, h, rgb, px, py)) then inside = inside + 1 end
    end
    assert.is_true(on >= 30, "circle samples on the dashes: " .. on)
    assert.are.equal(0, inside)
  end)

  it("plot_autocorrelogram draws into given axes and returns their figure (nothing saved)", function()
    local fig = core.plot_figure{figsize = {8, 4}}
    local ax1 = fig:subplot(1, 2, 1)
    local ax2 = fig:subplot(1, 2, 2)
    ax1:plot({0, 1}, {0, 1})
    local f2, a2 = cc.plot_autocorrelogram(ac, {ax = ax2, save_path = dir .. "/not.png"})
    assert.are.equal(ax2, a2)
    assert.are.same({}, listdir(dir))
    local p = dir .. "/both.png"
    f2:savefig(p, {dpi = 100})
    local w, h, rgb = core.plot_read_png(p)
    local r, gg, b = pixel(w, h, rgb, ax2:data_to_pixel(44, 44)) -- the centre, value 1
    assert.is_true(near({r, gg, b}, cmap_rgb("RdBu_r", 1), 14))
  end)

  it("plot_rate_map: jet over the data range at the cells, origin lower", function()
    local m = {}
    for i = 1, 12 do
      m[i] = {}
      for j = 1, 16 do m[i][j] = (i - 1) + 0.25 * (j - 1) end -- smooth ramp, rows = y
    end
    local p = dir .. "/rm.png"
    local _, ax = cc.plot_rate_map(canns.array(m, "float64"),
                                    PlotConfigs.firing_field_heatmap{save_path = p, show = false, save_dpi = 100})
    local w, h, rgb = core.plot_read_png(p)
    local lo, hi = 0, 11 + 0.25 * 15
    for _, ij in ipairs({{1, 1}, {12, 16}, {6, 8}, {3, 12}, {10, 2}}) do
      local i, j = ij[1], ij[2]
      local r, gg, b = pixel(w, h, rgb, ax:data_to_pixel(j - 1, i - 1))
      local ref = cmap_rgb("jet", (m[i][j] - lo) / (hi - lo))
      assert.is_true(near({r, gg, b}, ref, 24),
                     string.format("(%d,%d) got %d,%d,%d want %d,%d,%d", i, j, r, gg, b, ref[1], ref[2], ref[3]))
    end
    -- row 1 (y = 0) is at the bottom
    local _, y0 = ax:data_to_pixel(0, 0)
    local _, y1 = ax:data_to_pixel(0, 11)
    assert.is_true(y0 > y1)
  end)

  it("plot_grid_score_histogram: bar heights are the counts of the finite scores", function()
    local gen = canns.random.Generator(3)
    local s = gen:normal(200, 0.3, 0.4, "float64"):totable()
    s[#s + 1], s[#s + 2], s[#s + 3] = 0 / 0, math.huge, -math.huge
    local p = dir .. "/h.png"
    local _, ax = cc.plot_grid_score_histogram(s, canns.analyzer.visualization.PlotConfig{
      save_path = p, show = false, save_dpi = 100}, {bins = 12})
    local w, h, rgb = core.plot_read_png(p)
    -- a plain count: 12 equal bins over [min, max] of the finite scores
    local fin = {}
    for _, x in ipairs(s) do if x == x and math.abs(x) ~= math.huge then fin[#fin + 1] = x end end
    local lo, hi = math.min(table.unpack(fin)), math.max(table.unpack(fin))
    local counts = {}
    for k = 1, 12 do counts[k] = 0 end
    for _, x in ipairs(fin) do
      local k = math.min(12, math.floor((x - lo) / (hi - lo) * 12) + 1)
      counts[k] = counts[k] + 1
    end
    local total = 0
    for k = 1, 12 do
      total = total + counts[k]
      local xc = lo + (k - 0.5) * (hi - lo) / 12
      local px, base = ax:data_to_pixel(xc, 0)
      -- walk up from the base while the pixel is C0
      local top = base
      for y = math.floor(base) - 1, 0, -1 do
        local r, gg, b = pixel(w, h, rgb, px, y)
        if not near({r, gg, b}, {0x1f, 0x77, 0xb4}, 12) then break end
        top = y
      end
      local _, want = ax:data_to_pixel(xc, counts[k])
      if counts[k] == 0 then
        assert.is_true(base - top <= 1.5, "empty bin " .. k)
      else
        assert.is_true(math.abs(top - want) <= 1.5, string.format("bin %d: top %.1f want %.1f", k, top, want))
      end
    end
    assert.are.equal(200, total)
  end)

  it("plot_gridness_analysis writes three panels; the middle one is the annotated autocorrelogram", function()
    local p = dir .. "/ga.png"
    local fig, axes = cc.plot_gridness_analysis(rm, ac, g, canns.analyzer.visualization.PlotConfig{
      save_path = p, show = false, save_dpi = 60, figsize = {15, 5}})
    assert.is_not_nil(fig)
    assert.are.equal(3, #axes)
    local w, h, rgb = core.plot_read_png(p)
    assert.is_true(w > 2.5 * h) -- 15 x 5 inches
    local pk = g.peak_locations:totable()[1]
    assert.is_true(is_red(pixel(w, h, rgb, axes[2]:data_to_pixel(pk[1] - 1, pk[2] - 1))))
    -- the rate map in "hot": its maximum cell is near white-yellow, its minimum near black
    local R = rm:totable()
    local best, bi, bj, worst, wi, wj = -1, 1, 1, math.huge, 1, 1
    for i = 1, #R do
      for j = 1, #R[1] do
        if R[i][j] > best then best, bi, bj = R[i][j], i, j end
        if R[i][j] < worst then worst, wi, wj = R[i][j], i, j end
      end
    end
    local r, gg, b = pixel(w, h, rgb, axes[1]:data_to_pixel(bj - 1, bi - 1))
    assert.is_true(near({r, gg, b}, cmap_rgb("hot", 1), 30))
    r, gg, b = pixel(w, h, rgb, axes[1]:data_to_pixel(wj - 1, wi - 1))
    assert.is_true(near({r, gg, b}, cmap_rgb("hot", 0), 30))
    -- a result whose statistics failed (NaN) still draws
    local noise = canns.random.Generator(1):uniform({50, 50}, 0, 1, "float64")
    local nac = cc.compute_2d_autocorrelation(noise)
    local ng = cc.GridnessAnalyzer():compute_gridness_score(nac)
    cc.plot_gridness_analysis(noise, nac, ng, {save_path = dir .. "/nan.png", show = false})
    assert.is_true(testutil.exists(dir .. "/nan.png"))
  end)

  -- a von Mises tuning curve with its peak at 0.5 rad
  local ang, rates = {}, {}
  for i = 1, 36 do
    ang[i] = -math.pi + (i - 0.5) * 2 * math.pi / 36
    rates[i] = 10 * math.exp(2 * (math.cos(ang[i] - 0.5) - 1))
  end

  it("plot_polar_tuning: the preferred-direction radius at its angle, the curve in blue", function()
    local p = dir .. "/polar.png"
    local pref = 2.2 -- away from the peak, so the radius crosses the unfilled part
    local ax = cc.plot_polar_tuning(ang, rates, pref, 0.8, {save_path = p})
    local w, h, rgb = core.plot_read_png(p)
    local mx = math.max(table.unpack(rates))
    -- the dashed radius: red on most of it, nowhere beside it
    local on, off = 0, 0
    for k = 1, 40 do
      local rr = (0.1 + 0.8 * k / 40) * mx
      if is_red(pixel(w, h, rgb, ax:data_to_pixel(pref, rr))) then on = on + 1 end
      if is_red(pixel(w, h, rgb, ax:data_to_pixel(pref + 0.35, rr))) then off = off + 1 end
    end
    assert.is_true(on >= 20, "radius samples on the dashes: " .. on)
    assert.are.equal(0, off)
    -- the tuning curve (blue line) through its vertices near the peak
    for i = 18, 22 do
      local r, gg, b = pixel(w, h, rgb, ax:data_to_pixel(ang[i], rates[i]))
      assert.is_true(b > 200 and r < 80 and gg < 80, string.format("vertex %d: %d,%d,%d", i, r, gg, b))
    end
    -- inside the curve, the 0.3-alpha C0 fill
    local r, gg, b = pixel(w, h, rgb, ax:data_to_pixel(0.5, 0.3 * mx))
    local c0 = {0x1f, 0x77, 0xb4}
    local want = {}
    for k = 1, 3 do want[k] = 0.3 * c0[k] + 0.7 * 255 end
    assert.is_true(near({r, gg, b}, want, 10), string.format("fill %d,%d,%d", r, gg, b))
  end)

  it("plot_temporal_autocorr: bars of the values, width 0.8 lag step", function()
    local lags, a = {}, {}
    for i = 1, 20 do lags[i], a[i] = (i - 1) * 5, math.cos((i - 1) / 3) end
    local p = dir .. "/ta.png"
    local ax = cc.plot_temporal_autocorr(lags, a, {save_path = p})
    local w, h, rgb = core.plot_read_png(p)
    -- blue at alpha 0.7 over white: (77, 77, 255)
    local bar = {77, 77, 255}
    for _, k in ipairs({1, 5, 10, 14}) do
      -- inside the bar, off the grid lines (which matplotlib draws over bars)
      assert.is_true(near({pixel(w, h, rgb, ax:data_to_pixel(lags[k] + 1, 0.4 * a[k]))}, bar, 12), "bar " .. k)
      -- beyond the bar's end (1.25 x its value) is not bar colour
      assert.is_false(near({pixel(w, h, rgb, ax:data_to_pixel(lags[k], 1.25 * a[k]))}, bar, 12))
      -- the gap between bars (0.45 lag step off centre) is not bar colour
      assert.is_false(near({pixel(w, h, rgb, ax:data_to_pixel(lags[k] + 0.45 * 5, 0.5 * a[k]))}, bar, 12))
    end
  end)

  it("plot_hd_analysis: spikes at the interpolated head direction; the statistics panel otherwise", function()
    local ts, hd = {}, {}
    for i = 1, 101 do ts[i], hd[i] = (i - 1) * 0.1, -3 + 0.06 * (i - 1) end -- a straight ramp
    local spikes = {0.55, 2.0, 7.33}
    local res = cc.HDCellResult{is_hd = true, mvl_hd = 0.7, preferred_direction = 0.5, tuning_curve = {ang, rates},
                                rayleigh_p = 1e-4}
    local p = dir .. "/hd.png"
    local fig, axes = cc.plot_hd_analysis(res, ts, hd, spikes, {save_path = p})
    assert.is_not_nil(fig)
    local w, h, rgb = core.plot_read_png(p)
    for _, t in ipairs(spikes) do
      local want = math.deg(-3 + 0.6 * t) -- the ramp at t
      assert.is_true(is_red(pixel(w, h, rgb, axes[3]:data_to_pixel(t, want))), "spike at " .. t)
    end
    -- the dashed preferred line of the linear panel at 0.5 rad in degrees,
    -- and the preferred radius of the polar panel
    local lin, pol = 0, 0
    for k = 1, 40 do
      if is_red(pixel(w, h, rgb, axes[2]:data_to_pixel(math.deg(0.5), 0.2 * k))) then lin = lin + 1 end
      if is_red(pixel(w, h, rgb, axes[1]:data_to_pixel(0.5, 0.2 * k))) then pol = pol + 1 end
    end
    assert.is_true(lin >= 20 and pol >= 20, lin .. " " .. pol)
    cc.plot_hd_analysis(res, {save_path = dir .. "/stats.png"})
    assert.is_true(testutil.exists(dir .. "/stats.png"))
    assert.are.same({"hd.png", "stats.png"}, listdir(dir))
  end)

  it("marker edge width (mew) thickens the '+' marker", function()
    local function red_count(mew)
      local fig = core.plot_figure{figsize = {2, 2}}
      local ax = fig:subplot(1, 1, 1)
      ax:plot({0.5}, {0.5}, {color = "red", linestyle = "none", marker = "+", markersize = 20, mew = mew})
      ax:set_xlim(0, 1)
      ax:set_ylim(0, 1)
      local p = dir .. "/mew" .. mew .. ".png"
      fig:savefig(p, {dpi = 100})
      local w, h, rgb = core.plot_read_png(p)
      local n = 0
      for y = 0, h - 1 do
        for x = 0, w - 1 do if is_red(pixel(w, h, rgb, x, y)) then n = n + 1 end end
      end
      return n
    end
    local n1, n4 = red_count(1), red_count(4)
    assert.is_true(n4 > 2.5 * n1, n1 .. " vs " .. n4)
    testutil.fails_with("markeredgewidth' must be a non-negative number", function()
      core.plot_figure{}:subplot(1, 1, 1):plot({1}, {1}, {marker = "+", markeredgewidth = -1})
    end)
  end)

  it("refuses bad input, naming the argument", function()
    local f = {show = false}
    testutil.fails_with("autocorr) must be a 2-D array", cc.plot_autocorrelogram, canns.zeros{5}, f)
    testutil.fails_with("autocorr) must not be empty", cc.plot_autocorrelogram, canns.zeros{0, 3}, f)
    testutil.fails_with("autocorr) is required", cc.plot_autocorrelogram, nil, f)
    testutil.fails_with("rate_map) must be a 2-D array", cc.plot_rate_map, canns.zeros{2, 2, 2}, f)
    testutil.fails_with("option 'save_path'", cc.plot_rate_map, rm, {save_path = 5, show = false})
    testutil.fails_with("option 'save_path'", cc.plot_polar_tuning, ang, rates, {save_path = {}})
    testutil.fails_with("option 'show'", cc.plot_autocorrelogram, ac, {show = "yes"})
    testutil.fails_with("option 'peak_locations'", cc.plot_autocorrelogram, ac,
                        {peak_locations = canns.zeros{3, 3}, show = false})
    testutil.fails_with("option 'config' must be a PlotConfig", cc.plot_rate_map, rm, {config = {}, show = false})
    testutil.fails_with("option 'ax' must be axes", cc.plot_rate_map, rm, {ax = 3, show = false})
    testutil.fails_with("unknown option 'wibble'", cc.plot_polar_tuning, ang, rates, {wibble = 1})
    testutil.fails_with("rates) must have one value per angle (36), got 35", cc.plot_polar_tuning, ang,
                        {table.unpack(rates, 1, 35)})
    testutil.fails_with("angles) must have at least 1", cc.plot_polar_tuning, {}, {})
    testutil.fails_with("lags) must have at least 2", cc.plot_temporal_autocorr, {1}, {1})
    testutil.fails_with("acorr) must have one value per lag", cc.plot_temporal_autocorr, {1, 2, 3}, {1, 2})
    testutil.fails_with("lags) must have a finite non-zero first step", cc.plot_temporal_autocorr, {1, 1}, {1, 2})
    testutil.fails_with("result) must be a GridnessResult", cc.plot_gridness_analysis, rm, ac, {}, f)
    testutil.fails_with("autocorr) must be a 2-D array", cc.plot_gridness_analysis, rm, canns.zeros{3}, g, f)
    testutil.fails_with("result) must be an HDCellResult", cc.plot_hd_analysis, 7)
    testutil.fails_with("option 'head_directions' must have one value per time stamp", cc.plot_hd_analysis,
                        cc.HDCellResult{is_hd = false, mvl_hd = 0.1, preferred_direction = 0, tuning_curve = {ang, rates},
                                        rayleigh_p = 0.5}, {1, 2, 3}, {1, 2})
    testutil.fails_with("option 'bins'", cc.plot_grid_score_histogram, {0.1, 0.2}, {bins = 0, show = false})
    testutil.fails_with("unknown option", cc.plot_grid_score_histogram, {0.1, 0.2}, {wibble = 1, show = false})
  end)
end)
