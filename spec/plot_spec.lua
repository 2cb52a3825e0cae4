-- canns.analyzer.visualization: figures checked by content (size, format,
-- non-blank, where known data is drawn), GIF frame counts and delays,
-- MP4 frame counts (when ffprobe exists), and bad inputs.
local canns = require "canns"
local viz = require "canns.analyzer.visualization"
local render = require "canns.analyzer.visualization.render"
local core = canns.core

-- A bump moving from x = -2 to x = 2 over T steps on n points.
local function moving_bump(T, n, width)
  local x = canns.linspace(-math.pi, math.pi, n)
  local y = canns.zeros{T, n}
  for t = 1, T do
    local c = T > 1 and -2 + 4 * (t - 1) / (T - 1) or 0
    y[t] = canns.exp(-(x - c) * (x - c) / (width or 0.1))
  end
  return x, y
end

-- Pixel (r, g, b) of an RGBA string from plot_read_png.
local function pixel(data, w, px, py)
  local i = (math.floor(py + 0.5) * w + math.floor(px + 0.5)) * 4
  return data:byte(i + 1), data:byte(i + 2), data:byte(i + 3)
end

-- Mean column and row of the topmost pixels close to colour C0.
local function peak_of_c0(data, w, h, channels)
  for r = 0, h - 1 do
    local sum, n = 0, 0
    for c = 0, w - 1 do
      local i = (r * w + c) * channels
      local R, G, B = data:byte(i + 1), data:byte(i + 2), data:byte(i + 3)
      if math.abs(R - 0x1f) < 14 and math.abs(G - 0x77) < 14 and math.abs(B - 0xb4) < 14 then
        sum, n = sum + c, n + 1
      end
    end
    if n > 0 then return sum / n, r end
  end
end

local function nonwhite_fraction(data, w, h)
  local n = 0
  for i = 0, w * h - 1, 7 do
    local R, G, B = data:byte(4 * i + 1), data:byte(4 * i + 2), data:byte(4 * i + 3)
    if R < 250 or G < 250 or B < 250 then n = n + 1 end
  end
  return n / math.ceil(w * h / 7)
end

local function have(cmd) return os.execute("command -v " .. cmd .. " >/dev/null 2>&1") end

describe("visualization", function()
  local dir
  before_each(function() dir = testutil.tmpdir() end)
  after_each(function() testutil.rmtree(dir) end)

  describe("energy_landscape_1d_animation", function()
    it("writes the acceptance example's GIF with real 1/fps delays", function()
      local T = 5
      local x, u = moving_bump(T, 128)
      local inp = u * 1.5
      local cfg = viz.PlotConfigs.energy_landscape_1d_animation{time_steps_per_second = 10,
        fps = 20, title = "Smooth Tracking 1D", save_path = dir .. "/out/tracking.gif",
        show_progress_bar = false}
      viz.energy_landscape_1d_animation({u = {x, u}, Iext = {x, inp}}, cfg)
      local info = core.plot_gif_info(dir .. "/out/tracking.gif")
      assert.are.equal(math.floor(T / 10 * 20), info.frames) -- 10 frames
      assert.are.equal(1500, info.width)  -- 10 x 6 inches at 150 dpi
      assert.are.equal(900, info.height)
      assert.are.equal(0, info.loop)
      for i = 1, info.frames do assert.are.equal(5, info.delays[i]) end
    end)

    it("keeps the frame schedule of the Python toolkit", function()
      local steps, frames = render.frame_schedule(1000, 1000, 30, "t")
      assert.are.equal(30, frames)
      assert.are.same({0, 34, 68, 103, 137, 172}, {table.unpack(steps, 1, 6)})
      assert.are.equal(999, steps[30])
      assert.are.equal("Time: 0.03 s", render.time_labels(steps, 1000)[2])
    end)

    it("draws the bump of each frame where the axes put it", function()
      local x, y = moving_bump(3, 200)
      local anim = viz.energy_landscape_1d_animation({{"u", x, y}}, {time_steps_per_second = 1,
        fps = 1, save_path = dir .. "/b.gif", show = false, output_dpi = 40,
        show_progress_bar = false, linewidth = 4})
      local info = core.plot_gif_info(dir .. "/b.gif")
      assert.are.equal(3, info.frames)
      assert.are.equal(100, info.delays[1])
      local ax = anim.axes
      assert.are.equal(3, anim.frames)
      local function is_c0(rgb, w, px, py)
        local i = (math.floor(py + 0.5) * w + math.floor(px + 0.5)) * 3
        local R, G, B = rgb:byte(i + 1), rgb:byte(i + 2), rgb:byte(i + 3)
        return math.abs(R - 0x1f) < 40 and math.abs(G - 0x77) < 40 and math.abs(B - 0xb4) < 40
      end
      for f = 1, 3 do
        local w, _, rgb = core.plot_gif_frame(dir .. "/b.gif", f)
        for g = 1, 3 do -- the top of bump g is drawn in frame g only
          local px, py = ax:data_to_pixel(-2 + 2 * (g - 1), 1)
          assert.are.equal(f == g, is_c0(rgb, w, px, py))
        end
      end
    end)

    it("rejects bad data with Lua errors and writes nothing", function()
      local x, y = moving_bump(4, 50)
      local path = dir .. "/bad.gif"
      testutil.fails_with("cannot be empty", viz.energy_landscape_1d_animation, {},
        {save_path = path})
      testutil.fails_with("x has 49 points but the values have 50",
        viz.energy_landscape_1d_animation, {u = {x:slice(1, {1, 49}), y}},
        {save_path = path, time_steps_per_second = 10})
      testutil.fails_with("same number of time steps", viz.energy_landscape_1d_animation,
        {a = {x, y}, b = {x, y:slice(1, {1, 2})}}, {save_path = path, time_steps_per_second = 10})
      testutil.fails_with("no frames", viz.energy_landscape_1d_animation, {u = {x, y}},
        {save_path = path, time_steps_per_second = 1000, fps = 30})
      testutil.fails_with("time_steps_per_second", viz.energy_landscape_1d_animation,
        {u = {x, y}}, viz.PlotConfig{save_path = path})
      -- steps/s far too small (seconds taken for steps): refused before the
      -- schedule of ~1.2e11 frames is built
      testutil.fails_with("frames (at most 10000000): 4 steps at 1e-09 steps/s and 30 fps",
        viz.energy_landscape_1d_animation, {u = {x, y}},
        {save_path = path, time_steps_per_second = 1e-9, fps = 30})
      testutil.fails_with("cannot create", viz.energy_landscape_1d_animation, {u = {x, y}},
        {save_path = "/proc/canns-no-dir/a.gif", time_steps_per_second = 10,
         show_progress_bar = false})
      testutil.fails_with("unknown option 'colour'", viz.energy_landscape_1d_animation,
        {u = {x, y}}, {save_path = path, time_steps_per_second = 10, colour = "red"})
      assert.is_false(testutil.exists(path))
      local p = io.popen("ls -A '" .. dir .. "'")
      assert.are.equal("", p:read("a"))
      p:close()
    end)
  end)

  describe("static figures", function()
    it("energy_landscape_1d_static: PNG size, format, ink and peak column", function()
      local x = canns.linspace(-math.pi, math.pi, 401)
      local y = canns.exp(-(x - 1) * (x - 1) / 0.1)
      local path = dir .. "/static.png"
      local fig, ax = viz.energy_landscape_1d_static({u = {x, y}}, {save_path = path,
        show = false, save_dpi = 100, save_bbox_inches = false, show_legend = false})
      local f = assert(io.open(path, "rb"))
      assert.are.equal("\137PNG\r\n\26\n", f:read(8))
      f:close()
      local w, h, data = core.plot_read_png(path)
      assert.are.equal(1000, w)
      assert.are.equal(600, h)
      local ink = nonwhite_fraction(data, w, h)
      assert.is_true(ink > 0.01 and ink < 0.5)
      local col, row = peak_of_c0(data, w, h, 4)
      local ex, ey = ax:data_to_pixel(1, 1)
      assert.is_true(math.abs(col - ex) <= 1.5, col .. " vs " .. ex)
      assert.is_true(math.abs(row - ey) <= 2.5, row .. " vs " .. ey)
      -- tight crop (the default) and an SVG of the same figure
      fig:savefig(dir .. "/tight.png", {dpi = 100, bbox_inches = "tight"})
      local tw, th = core.plot_read_png(dir .. "/tight.png")
      assert.is_true(tw < 1000 and th < 600)
      fig:savefig(dir .. "/fig.svg")
      fig:savefig(dir .. "/fig.pdf")
      f = assert(io.open(dir .. "/fig.pdf", "rb"))
      assert.are.equal("%PDF-", f:read(5))
      f:close()
    end)

    it("energy_landscape_2d_static draws the hot cell where the axes put it", function()
      local z = canns.zeros{20, 30}
      z[{6, 25}] = 1 -- row 5, column 24 counted from 0
      local path = dir .. "/z.png"
      local _, ax = viz.energy_landscape_2d_static(z, {save_path = path, show = false, save_dpi = 100})
      local w, _, data = core.plot_read_png(path)
      local px, py = ax:data_to_pixel(24, 5)
      local r, g, b = pixel(data, w, px, py)
      assert.is_true(r > 240 and g > 220 and b < 60) -- viridis(1), yellow
      px, py = ax:data_to_pixel(5, 15)
      r, g, b = pixel(data, w, px, py)
      assert.are.same({68, 1, 84}, {r, g, b})        -- viridis(0)
      testutil.fails_with("must be a 2-D array", viz.energy_landscape_2d_static,
        canns.zeros{3}, {show = false})
      testutil.fails_with("must not be empty", viz.energy_landscape_2d_static,
        canns.zeros{0, 3}, {show = false})
    end)

    it("raster_plot: neuron 0 at the top in block mode, at the bottom in scatter mode", function()
      local s = canns.zeros({10, 5}, "bool")
      s[{4, 1}] = true -- time step 3, neuron 0
      local path = dir .. "/block.png"
      local _, ax = viz.raster_plot(s, {save_path = path, show = false, save_dpi = 100})
      local w, _, data = core.plot_read_png(path)
      local px, py = ax:data_to_pixel(3, 0)
      local _, top = ax:data_to_pixel(3, -0.5)
      local _, bottom = ax:data_to_pixel(3, 4.5)
      assert.is_true(py - top < (bottom - top) / 4)
      local r = pixel(data, w, px, py)
      assert.is_true(r < 60)
      path = dir .. "/scatter.png"
      _, ax = viz.raster_plot(s, {mode = "scatter", marker_size = 100, save_path = path,
        show = false, save_dpi = 100})
      w, _, data = core.plot_read_png(path)
      px, py = ax:data_to_pixel(3, 0)
      _, top = ax:data_to_pixel(3, 5)
      _, bottom = ax:data_to_pixel(3, -1)
      assert.is_true(bottom - py < (bottom - top) / 4)
      r = pixel(data, w, px, py)
      assert.is_true(r < 100)
      testutil.fails_with("Invalid mode 'dots'", viz.raster_plot, s, {mode = "dots", show = false})
      testutil.fails_with("must be a 2D array", viz.raster_plot, canns.zeros{4}, {show = false})
    end)

    it("average_firing_rate_plot modes and errors", function()
      local s = canns.zeros{20, 4}
      s[{1, 1}], s[{2, 2}], s[{2, 3}] = 1, 1, 1
      for _, mode in ipairs{"population", "per_neuron"} do
        local path = dir .. "/" .. mode .. ".png"
        viz.average_firing_rate_plot(s, 0.01, {mode = mode, save_path = path, show = false,
          save_dpi = 50})
        assert.is_true(testutil.exists(path))
      end
      viz.average_firing_rate_plot(s, 0.01, {mode = "weighted_average", weights = {1, 2, 3, 4},
        save_path = dir .. "/w.png", show = false, save_dpi = 50})
      testutil.fails_with("'weights' argument is required", viz.average_firing_rate_plot, s,
        0.01, {mode = "weighted_average", show = false})
      testutil.fails_with("must match num_neurons", viz.average_firing_rate_plot, s, 0.01,
        {mode = "weighted_average", weights = {1, 2}, show = false})
      testutil.fails_with("Invalid mode", viz.average_firing_rate_plot, s, 0.01,
        {mode = "other", show = false})
      testutil.fails_with("'dt' must be a positive number", viz.average_firing_rate_plot, s, 0)
    end)

    it("tuning_curve bins like scipy's binned_statistic", function()
      local means, centres = require("canns.analyzer.visualization.tuning").binned_mean(
        {0, 1, 2, 3, 4, 4}, {1, 2, 3, 4, 5, 7}, 2)
      -- edges 0, 2, 4; the last bin holds 2, 3, 4, 4
      assert.are.same({1.5, 4.75}, means)
      assert.are.same({1, 3}, centres)
      local m = require("canns.analyzer.visualization.tuning").binned_mean({0, 0}, {1, 1}, 4)
      assert.is_true(m[1] ~= m[1]) -- NaN: empty bin
      local stim = canns.linspace(0, 1, 50)
      local rates = canns.random.uniform{50, 3}
      viz.tuning_curve(stim, rates, {1, 3}, {save_path = dir .. "/t.png", show = false,
        save_dpi = 50, pref_stim = {0.1, 0.2, 0.3}})
      assert.is_true(testutil.exists(dir .. "/t.png"))
      testutil.fails_with("must match", viz.tuning_curve, stim, canns.zeros{49, 3}, 1, {show = false})
      testutil.fails_with("out of range", viz.tuning_curve, stim, rates, 4, {show = false})
      -- a NaN or infinite stimulus has no bin (it failed inside the binning)
      testutil.fails_with("tuning_curve: stimulus must be finite, got nan at step 2",
        viz.tuning_curve, {0, 0 / 0, 1}, canns.ones{3, 2}, 1, {show = false})
      testutil.fails_with("tuning_curve: stimulus must be finite, got inf at step 3",
        viz.tuning_curve, {0, 1, math.huge}, canns.ones{3, 2}, 1, {show = false})
    end)

    it("heat maps, trajectories and grid plots write their figures", function()
      local a = canns.random.uniform{30, 20}
      viz.population_activity_heatmap(a, 0.1, {save_path = dir .. "/h.png", show = false, save_dpi = 50})
      viz.plot_firing_field_heatmap(a, {save_path = dir .. "/f.png", show = false, save_dpi = 50})
      viz.plot_autocorrelation(a, {save_path = dir .. "/ac.png", show = false, save_dpi = 50})
      viz.plot_grid_score({[30] = 0.1, [60] = 0.5, [90] = 0, [120] = 0.4, [150] = -0.1}, 0.42,
        {save_path = dir .. "/gs.png", show = false, save_dpi = 50})
      viz.plot_grid_spacing_analysis(a, 5.5, 0.05, {save_path = dir .. "/sp.png", show = false,
        save_dpi = 50})
      local p = canns.random.uniform{40, 2}
      viz.plot_internal_position_trajectory(p, p, {max_activity = canns.random.uniform{40},
        env_size = 1, save_path = dir .. "/tr.png", show = false, save_dpi = 50})
      for _, n in ipairs{"h", "f", "ac", "gs", "sp", "tr"} do
        local w, h, data = core.plot_read_png(dir .. "/" .. n .. ".png")
        assert.is_true(w > 100 and h > 100)
        assert.is_true(nonwhite_fraction(data, w, h) > 0.02, n)
      end
      testutil.fails_with("must be (T, 2)", viz.plot_internal_position_trajectory,
        canns.zeros{4, 3}, canns.zeros{4, 2}, {show = false})
    end)

    it("energy_landscape_2d_animation writes GIF and (with ffmpeg) MP4", function()
      local zs = canns.random.uniform{4, 10, 12}
      viz.energy_landscape_2d_animation(zs, {time_steps_per_second = 2, fps = 4,
        save_path = dir .. "/z.gif", show = false, output_dpi = 30, show_progress_bar = false})
      local info = core.plot_gif_info(dir .. "/z.gif")
      assert.are.equal(8, info.frames)
      assert.are.equal(25, info.delays[1])
      testutil.fails_with("3D array", viz.energy_landscape_2d_animation, canns.zeros{3, 3},
        {time_steps_per_second = 1})
      if not (viz.video_available() and have("ffprobe")) then
        pending("ffmpeg/ffprobe not installed: MP4 not checked")
        return
      end
      local mp4 = dir .. "/z.mp4"
      viz.energy_landscape_2d_animation(zs, {time_steps_per_second = 2, fps = 4,
        save_path = mp4, show = false, output_dpi = 30, show_progress_bar = false})
      local p = io.popen("ffprobe -v error -count_frames -select_streams v:0 "
        .. "-show_entries stream=nb_read_frames -of csv=p=0 '" .. mp4 .. "'")
      local n = tonumber(p:read("l"))
      p:close()
      assert.are.equal(8, n)
    end)
  end)

  describe("show", function()
    it("writes the file and says where when there is no display", function()
      local exe = (os.getenv("CANNS_BUILD_DIR") or "build") .. "/canns"
      if not testutil.exists(exe) then pending("canns host not found") return end
      local src = os.getenv("CANNS_SOURCE_DIR") or "."
      if exe:sub(1, 1) ~= "/" then exe = src .. "/" .. exe end
      local script = "local v = require 'canns.analyzer.visualization'; "
        .. "v.energy_landscape_1d_static({u = {{0, 1, 2}, {0, 1, 0}}}, {save_dpi = 30})"
      local cmd = string.format("cd '%s' && env -u DISPLAY -u WAYLAND_DISPLAY CANNS_SHOW=0 "
        .. "LUA_PATH='%s/lua/?.lua;%s/lua/?/init.lua;;' '%s' -e \"%s\" 2>&1", dir, src, src, exe, script)
      local p = io.popen(cmd)
      local text = p:read("a")
      p:close()
      assert.is_truthy(text:find("canns_figures/energy_landscape_1d_static-1.png", 1, true), text)
      assert.is_true(testutil.exists(dir .. "/canns_figures/energy_landscape_1d_static-1.png"))
    end)
  end)

  describe("PlotConfig", function()
    it("has the Python defaults and rejects unknown options", function()
      local c = viz.PlotConfig{}
      assert.are.same({10, 6}, c.figsize)
      assert.are.equal(30, c.fps)
      assert.are.equal(300, c.save_dpi)
      assert.are.equal("tight", c.save_bbox_inches)
      assert.is_true(c.show)
      local a = viz.PlotConfigs.energy_landscape_2d_animation{}
      assert.are.equal(1000, a.time_steps_per_second)
      assert.are.same({8, 7}, a.figsize)
      assert.are.equal("Evolving 2D Landscape", a.title)
      assert.are.equal("per_neuron", viz.PlotConfigs.average_firing_rate_plot{}.mode)
      assert.are.equal("block", viz.PlotConfigs.raster_plot{}.mode)
      assert.are.equal(50, viz.PlotConfigs.tuning_curve{}.num_bins)
      assert.are.equal("RdBu_r", viz.PlotConfigs.grid_autocorrelation{}.kwargs.cmap)
      assert.is_nil(viz.PlotConfigs.energy_landscape_1d_static{}.time_steps_per_second)
      assert.is_false(viz.PlotConfig{["repeat"] = false}["repeat"])
      assert.is_false(viz.PlotConfig{loop = false}["repeat"])
      testutil.fails_with("unknown option 'titel'", viz.PlotConfig, {titel = "x"})
      testutil.fails_with("'fps' must be in", viz.PlotConfig, {fps = -1})
      local d = viz.AnimationConfig{quality = "draft", fps = 40}
      assert.are.equal(20, d.fps)
      assert.are.equal(0.5, d.npoints_multiplier)
      assert.are.same({"gif", ".gif"}, {viz.get_recommended_format("github")})
      testutil.fails_with("unknown use case", viz.get_recommended_format, "tv")
    end)
  end)

  describe("figure API", function()
    it("checks arguments and names the function", function()
      local fig = viz.figure{figsize = {3, 2}}
      local ax = fig:subplot(1, 1, 1)
      testutil.fails_with("plot:", ax.plot, ax, {1, 2, 3}, {1, 2})
      testutil.fails_with("unknown colour 'blurple'", ax.plot, ax, {1, 2}, {1, 2}, {color = "blurple"})
      testutil.fails_with("unknown colour map 'nope'", ax.imshow, ax, {{1, 2}}, {cmap = "nope"})
      testutil.fails_with("(index) must be in 1..4, got 5", fig.subplot, fig, 2, 2, 5)
      testutil.fails_with("cannot tell the image format", fig.savefig, fig, dir .. "/x.abc")
      testutil.fails_with("set_title: text is not valid UTF-8", ax.set_title, ax, "bad \xff")
      testutil.fails_with("not valid UTF-8", ax.text, ax, 0, 0, "\xfe")
      -- overlong forms, surrogates, code points above U+10FFFF and
      -- noncharacters are refused up front (Cairo refused them only when
      -- drawing, so the figure could no longer be saved)
      for _, bad in ipairs({"\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF0\x80\x80\x80",
                            "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xEF\xBF\xBF",
                            "\xEF\xB7\x90", "\xF4\x8F\xBF\xBF"}) do
        testutil.fails_with("set_title: text is not valid UTF-8", ax.set_title, ax, bad)
      end
      ax:set_title("\xF0\x9F\x98\x80 \xE2\x82\xAC \xC3\xBC \xED\x9F\xBF \xF4\x8F\xBF\xBD")
      fig:render{dpi = 20}
      testutil.fails_with("steps", fig.animate, fig, dir .. "/a.gif", {})
      assert.is_false(testutil.exists(dir .. "/a.gif"))
      local names = viz.colormaps()
      assert.is_truthy(table.concat(names, " "):find("viridis"))
    end)
  end)
end)

describe("figure option errors", function()
  it("format their numbers", function()
    local canns = require "canns"
    local fig = canns.core.plot_figure{}
    local ax = fig:subplot(1, 1, 1)
    testutil.fails_with("plot: option 'alpha' must be in [0, 1], got 2",
                        ax.plot, ax, canns.ones(3), canns.ones(3), {alpha = 2})
    testutil.fails_with("set_title: font size must be in (0, 500] points, got 1000",
                        ax.set_title, ax, "t", {fontsize = 1000})
    testutil.fails_with("text: option 'fontsize' must be in (0, 500], got 1000",
                        ax.text, ax, 0.5, 0.5, "t", {fontsize = 1000})
    testutil.fails_with("imshow: vmin (2) must not exceed vmax (1)",
                        ax.imshow, ax, canns.ones({2, 2}), {vmin = 2, vmax = 1})
    -- suptitle checks its options as set_title does (an unknown weight was
    -- drawn as normal)
    testutil.fails_with("suptitle: option 'fontweight' must be 'normal' or 'bold', got 'bolder'",
                        fig.suptitle, fig, "t", {fontweight = "bolder"})
    testutil.fails_with("suptitle: font size must be in (0, 500] points, got 1000",
                        fig.suptitle, fig, "t", {fontsize = 1000})
    -- NaN reads "nan", not the "-nan" printf gives the NaN of 0/0
    testutil.fails_with("render: dpi must be in (0, 2400], got nan", fig.render, fig, {dpi = 0 / 0})
    testutil.fails_with("plot: option 'alpha' must be a finite number, got nan", ax.plot, ax,
                        canns.ones(3), canns.ones(3), {alpha = 0 / 0})
    testutil.fails_with("render: pad_inches must be in [0, 10], got nan", fig.render, fig,
                        {pad_inches = 0 / 0})
    testutil.fails_with("animate: fps must be in (0, 1000], got nan", fig.animate, fig,
                        "never.gif", {1}, {fps = 0 / 0})
    testutil.fails_with("animate: dpi must be in (0, 1200], got nan", fig.animate, fig,
                        "never.gif", {1}, {dpi = 0 / 0})
    testutil.fails_with("figure: figure size must be positive inches up to 200, got nan x 2",
                        canns.core.plot_figure, {figsize = {0 / 0, 2}})
    testutil.fails_with("bar: width must be positive, got nan", ax.bar, ax, {1}, {1}, {width = 0 / 0})
    fig:close()
  end)
end)

describe("figure integer arguments", function()
  -- Values past the C int range were narrowed silently (2^32 + 1 rows
  -- became 1) or overflowed (frame = 2^31 - 1 + 1); now each is refused
  -- with its name and value.
  it("are range-checked before they are narrowed", function()
    local canns = require "canns"
    local fig = canns.core.plot_figure{}
    testutil.fails_with("subplot: argument 1 (nrows) is too large: must be at most 64, got 4294967297",
                        fig.subplot, fig, 2^32 + 1, 1, 1)
    testutil.fails_with("subplot: argument 2 (ncols) is too large: must be at most 64, got 100000",
                        fig.subplot, fig, 1, 100000, 1)
    testutil.fails_with("subplot: argument 3 (index) must be in 1..6, got 0",
                        fig.subplot, fig, 2, 3, 0)
    local ax = fig:subplot(1, 1, 1)
    local im = ax:imshow(canns.ones({2, 2}))
    testutil.fails_with("render: option 'frame' is too large: must be at most 2147483647, got 2147483648",
                        fig.render, fig, {frame = 2^31})
    testutil.fails_with("render: option 'step' must be >= 1, got " .. math.mininteger,
                        fig.render, fig, {step = math.mininteger})
    testutil.fails_with("colorbar: argument 1 (mappable) is too large: must be at most 2147483647, got 4294967296",
                        ax.colorbar, ax, 2^32)
    testutil.fails_with("set_locator: option 'nbins' is too large: must be at most 60, got 4294967301",
                        ax.set_locator, ax, "x", {nbins = 2^32 + 5})
    testutil.fails_with("animate: option 'workers' is too large: must be at most 4096, got 4294967297",
                        fig.animate, fig, "never.gif", {1}, {workers = 2^32 + 1})
    testutil.fails_with("animate: option 'loop' is too large: must be at most 65535, got 4294967296",
                        fig.animate, fig, "never.gif", {1}, {loop = 2^32})
    testutil.fails_with("gif_frame: argument 2 (frame) is too large: must be at most 2147483647, got 4294967297",
                        canns.core.plot_gif_frame, "never.gif", 2^32 + 1)
    ax:colorbar(im)
    fig:close()
  end)
end)

describe("axes used after their finalizer ran", function()
  -- as for models (models_spec): a later finalizer reaching collected axes
  -- called the library with a NULL axes
  it("is an error, not a crash", function()
    local res
    do
      local holder = setmetatable({}, {__gc = function(h)
        res = {pcall(function() h.ax:plot({1, 2}, {1, 2}) end)}
      end})
      holder.ax = require("canns").core.plot_figure{}:subplot(1, 1, 1)
    end
    collectgarbage()
    collectgarbage()
    assert.is_false(res[1])
    assert.is_truthy(tostring(res[2]):find("have been freed", 1, true), res[2])
  end)
end)

describe("figure positions in messages", function()
  it("count from 1", function()
    local canns = require "canns"
    local fig = canns.core.plot_figure{}
    local ax = fig:subplot(1, 1, 1)
    ax:plot(canns.ones(3), canns.ones(3))
    testutil.fails_with("colorbar: artist 1 is not an image or coloured scatter", ax.colorbar, ax, 1)
    local dir = testutil.tmpdir()
    fig:animate(dir .. "/one.gif", {1}, {fps = 10})
    testutil.fails_with("has 1 frames, asked for frame 2", canns.core.plot_gif_frame, dir .. "/one.gif", 2)
    fig:close()
    testutil.rmtree(dir)
  end)
end)
