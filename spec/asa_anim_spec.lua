-- The manifold views of ASA: the skewed-torus smoothing and the bump
-- animations' per-frame maps against canns 1.5.0 on the same input (1e-12
-- relative; scripts/fixtures/make_asa_anim_fixtures.py), the 2-D heat-map
-- and torus animations written with their frame counts, the projection
-- figure, CANN2DPlotConfig's presets, bad input refused.
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa

local function L(n) return canns.load(testutil.fixture("asa_anim/" .. n .. ".npy")) end
local function relerr(a, b) return (a - b):abs():max() / b:abs():max() end

describe("ASA manifold views", function()
  local dir
  local dec = {coordsbox = L("coords"), times_box = L("times") + 1}
  local act = L("activity"):reshape({200, 1})
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)

  it("smooths on the skewed torus as upstream's _smooth_tuning_map", function()
    assert.is_true(relerr(core.asa.skew_smooth(L("skew_in"), 4.0), L("skew_out")) < 1e-12)
  end)

  it("makes upstream's per-frame maps (2-D defaults and a torus case)", function()
    local m2 = asa.bump_activity_maps(dec, act, {numangsint = 20, window_size = 10, frame_step = 5})
    local r2 = L("maps2d")
    assert.same(r2:shape(), m2:shape())
    assert.is_true(relerr(m2, r2) < 1e-12)
    local mt, starts = asa.bump_activity_maps(dec, act, {numangsint = 21, window_size = 60, frame_step = 5,
                                                         n_frames = 20})
    local rt = L("maps_torus")
    assert.same(rt:shape(), mt:shape())
    assert.is_true(relerr(mt, rt) < 1e-12)
    assert.same({0, 5, 10}, {starts[1], starts[2], starts[3]})
  end)

  it("animates the 2-D view and the torus", function()
    local p = dir .. "/bump2d.gif"
    local a = asa.plot_2d_bump_on_manifold(dec, act, {save_path = p, show = false})
    assert.equal(L("maps2d"):shape(1), a.frames)
    assert.equal(a.frames, core.plot_gif_info(p).frames)
    local q = dir .. "/torus.gif"
    local t = asa.plot_3d_bump_on_torus(dec, act, {save_path = q, show = false, numangsint = 21, window_size = 60,
                                                   n_frames = 6, show_progress = false})
    assert.equal(6, t.frames)
    local info = core.plot_gif_info(q)
    assert.equal(6, info.frames)
    -- the brightest face of a frame is drawn in viridis' top colour somewhere
    local _, _, rgb = core.plot_gif_frame(q, 1)
    local yellow = 0
    for i = 1, #rgb, 3 do
      local r, g, b = rgb:byte(i, i + 2)
      if r > 220 and g > 200 and b < 80 then yellow = yellow + 1 end
    end
    assert.is_true(yellow > 0)
    -- mode "3d" of the 2-D function hands over to the torus
    local r = asa.plot_2d_bump_on_manifold(dec, act, {save_path = dir .. "/t3.gif", show = false, mode = "3d",
                                                      numangsint = 11, window_size = 60})
    assert.is_true(r.frames >= 1)
  end)

  it("draws the projection of every fifth row", function()
    local seen
    local E = canns.random.normal({50, 4})
    local p = dir .. "/proj.png"
    asa.plot_projection(function(x) seen = x:shape(1); return x:slice(2, {1, 3}) end, E,
                        {save_path = p, show = false, dpi = 50})
    assert.equal(10, seen)
    assert.truthy(io.open(p, "rb"))
  end)

  it("has upstream's CANN2DPlotConfig presets", function()
    local c = asa.CANN2DPlotConfig.for_projection_3d{figsize = {6, 5}}
    assert.same({6, 5}, c.figsize)
    assert.equal("Component 3", c.zlabel)
    local t = asa.CANN2DPlotConfig.for_torus_animation{fps = 10, n_frames = 50}
    assert.same({10, 50, 51, 300}, {t.fps, t.n_frames, t.numangsint, t.window_size})
    assert.equal("3D Bump on Torus", t.title)
  end)

  it("refuses bad input, naming it", function()
    testutil.fails_with("must have 'coordsbox' and 'times_box'", asa.bump_activity_maps, {}, act)
    testutil.fails_with("outside the 200 embedded rows", asa.bump_activity_maps,
                        {coordsbox = dec.coordsbox, times_box = dec.times_box + 500}, act)
    testutil.fails_with("numangsint", asa.bump_activity_maps, dec, act, {numangsint = 2})
    testutil.fails_with("no window holds", asa.bump_activity_maps, dec, act, {window_size = 10, n_frames = 0})
    testutil.fails_with("mode", asa.plot_2d_bump_on_manifold, dec, act, {mode = "slow", show = false})
    testutil.fails_with("reduce_func", asa.plot_projection, function(x) return x end, canns.ones({10, 2}),
                        {show = false, save_path = dir .. "/x.png"})
    testutil.fails_with("r1", asa.CANN2DPlotConfig, {r1 = -1})
    testutil.fails_with("frames must not be empty", core.plot_write_frames, dir .. "/e.gif", {}, 2, 2, 5)
    testutil.fails_with("frame 1 must be", core.plot_write_frames, dir .. "/e.gif", {"abc"}, 2, 2, 5)
  end)
end)
