-- Theta-sweep figures (upstream canns.analyzer.visualization.theta_sweep_plots):
-- files written, upstream's frame subsampling (every n_step-th step), the
-- plotted data found in the pixels where the artists put them, bad input
-- refused with the argument named.
local canns = require "canns"
local core = require "canns.core"
local viz = canns.analyzer.visualization

local function pixel(w, h, rgb, x, y)
  local ch = #rgb // (w * h)
  local i = (math.floor(y) * w + math.floor(x)) * ch + 1
  return rgb:byte(i, i + 2)
end

describe("theta sweep plots", function()
  local dir
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)
  local T = 200
  local t, ph, hd, act = {}, {}, {}, {}
  for i = 1, T do
    t[i] = (i - 1) * 0.001
    ph[i] = ((i - 1) % 100) / 100 * 2 * math.pi - math.pi
    hd[i] = ((i - 1) * 0.05) % (2 * math.pi) - math.pi
    act[i] = {}
    for j = 1, 20 do act[i][j] = math.exp(-((j - 10) ^ 2) / 8) end
  end

  it("plot_population_activity_with_theta draws the heat map, the direction and theta lines", function()
    local p = dir .. "/pop.png"
    local fig, ax = viz.plot_population_activity_with_theta(t, ph, act, hd, {save_path = p, show = false, atol = 0.05})
    local w, h, rgb = core.plot_read_png(p)
    -- neuron 10 (peak 1 -> 100 %) is dark red (jet top); neuron 1 is dark blue
    local r, g, b = pixel(w, h, rgb, ax:data_to_pixel(0.03, -math.pi + 2 * math.pi * 9.5 / 20))
    assert.is_true(r > 100 and g < 40 and b < 40)
    r, g, b = pixel(w, h, rgb, ax:data_to_pixel(0.03, -math.pi + 2 * math.pi * 0.5 / 20))
    assert.is_true(b > 100 and r < 40)
    -- the white direction line passes (t, hd(t))
    r, g, b = pixel(w, h, rgb, ax:data_to_pixel(t[41], hd[41]))
    assert.is_true(r > 230 and g > 230 and b > 230)
    fig:close()
  end)

  it("plot_direction_cell_polar marks the true direction", function()
    local bins, a = {}, {}
    for j = 1, 36 do bins[j] = -math.pi + 2 * math.pi * (j - 1) / 36; a[j] = 1 + math.cos(bins[j] - 1) end
    local p = dir .. "/polar.png"
    local _, ax = viz.plot_direction_cell_polar(bins, a, 2.5, {save_path = p, show = false})
    local w, h, rgb = core.plot_read_png(p)
    -- the ray at 2.5 rad, radius 2.2 (between the curve and the rim): #009FB9
    local x, y = ax:data_to_pixel(2.5, 2.2)
    local r, g, b = pixel(w, h, rgb, x, y)
    assert.is_true(r < 60 and g > 120 and b > 150)
  end)

  it("plot_grid_cell_manifold colours the points by activity", function()
    local pts, v = {}, {}
    for i = 1, 25 do pts[i] = {(i - 1) % 5, (i - 1) // 5}; v[i] = (i == 13) and 1 or 0 end
    local p = dir .. "/man.png"
    local _, ax = viz.plot_grid_cell_manifold(pts, v, {save_path = p, show = false})
    local w, h, rgb = core.plot_read_png(p)
    local r, g, b = pixel(w, h, rgb, ax:data_to_pixel(2, 2)) -- the one active point: jet top (dark red)
    assert.is_true(r > 100 and b < 60)
    r, g, b = pixel(w, h, rgb, ax:data_to_pixel(0, 0))       -- an inactive one: jet bottom (dark blue)
    assert.is_true(b > 100 and r < 60)
  end)

  it("grid-cell animation: one frame per n_step steps, position dot moves", function()
    canns.set_dt(1.0)
    local gc = canns.models.GridCellNetwork{num_dc = 36, num_gc_x = 20, mapping_ratio = 5}
    local pos = {}
    for i = 1, T do pos[i] = {0.1 + 0.8 * (i - 1) / T, 0.5} end
    local p = dir .. "/gc.gif"
    local a = viz.create_theta_sweep_grid_cell_animation(pos, hd, canns.random.uniform({T, 36}),
      canns.random.uniform({T, 400}), gc, 1.0, 5, {n_step = 10, save_path = p, show = false,
      show_progress_bar = false, output_dpi = 60})
    assert.equal(20, a.frames)               -- len(range(0, 200, 10))
    for f = 1, 20 do assert.equal((f - 1) * 10, a.steps[f]) end
    assert.equal(20, core.plot_gif_info(p).frames)
    local function red_col(frame)
      local w, _, rgb = core.plot_gif_frame(p, frame)
      local s, n = 0, 0
      for i = 1, #rgb, 3 do
        local r, g, b = rgb:byte(i, i + 2)
        local col = ((i - 1) // 3) % w
        if r > 200 and g < 60 and b < 60 and col < w / 4 then s, n = s + col, n + 1 end
      end
      return n > 0 and s / n or nil
    end
    local c1, c20 = red_col(1), red_col(20)
    assert.truthy(c1 and c20)
    assert.is_true(c20 > c1 + 10)
  end)

  it("place-cell animation maps activity onto the grid", function()
    local task = canns.task.TMazeRecessOpenLoopNavigationTask{duration = 0.06, dt = 0.001, progress_bar = false}
    task:get_data()
    local geo = task:compute_geodesic_distance_matrix()
    canns.set_dt(1.0)
    local pc = canns.models.PlaceCellNetwork(geo)
    local n = geo.accessible_indices:shape(1)
    local steps = task.total_steps
    -- one active cell (the first accessible one)
    local act = canns.zeros({steps, n})
    for i = 1, steps do act[{i, 1}] = 1 end
    local p = dir .. "/pc.gif"
    local a = viz.create_theta_sweep_place_cell_animation(task.data.position, act, pc, task,
      {n_step = 20, save_path = p, show = false, show_progress_bar = false, output_dpi = 60})
    assert.equal(math.ceil(steps / 20), a.frames)
    assert.equal(a.frames, core.plot_gif_info(p).frames)
  end)

  it("refuses bad input, naming it", function()
    testutil.fails_with("time_steps", viz.plot_population_activity_with_theta, {}, ph, act, hd, {show = false})
    testutil.fails_with("net_activity", viz.plot_population_activity_with_theta, t, ph, {1, 2}, hd, {show = false})
    testutil.fails_with("direction", viz.plot_population_activity_with_theta, t, ph, act, {1, 2}, {show = false})
    testutil.fails_with("atol", viz.plot_population_activity_with_theta, t, ph, act, hd, {show = false, atol = -1})
    testutil.fails_with("direction_activity", viz.plot_direction_cell_polar, {1, 2}, {1}, 0, {show = false})
    testutil.fails_with("true_direction", viz.plot_direction_cell_polar, {1, 2}, {1, 2}, "x", {show = false})
    testutil.fails_with("value_grid_twisted", viz.plot_grid_cell_manifold, {1, 2}, {1, 2}, {show = false})
    testutil.fails_with("grid_cell_activity", viz.plot_grid_cell_manifold, {{1, 2}}, {1, 2}, {show = false})
    canns.set_dt(1.0)
    local gc = canns.models.GridCellNetwork{num_dc = 4, num_gc_x = 4}
    local pos = {{0, 0}, {0.1, 0.1}}
    local f = viz.create_theta_sweep_grid_cell_animation
    testutil.fails_with("gc_network", f, pos, {0, 0}, {{1}, {1}}, canns.ones({2, 16}), {}, 1, 1, {show = false})
    testutil.fails_with("gc_activity_data", f, pos, {0, 0}, {{1}, {1}}, canns.ones({2, 15}), gc, 1, 1, {show = false})
    testutil.fails_with("env_size", f, pos, {0, 0}, {{1}, {1}}, canns.ones({2, 16}), gc, -1, 1, {show = false})
    testutil.fails_with("n_step", f, pos, {0, 0}, {{1}, {1}}, canns.ones({2, 16}), gc, 1, 1, {show = false, n_step = 0})
    testutil.fails_with("direction_data", f, pos, {0}, {{1}, {1}}, canns.ones({2, 16}), gc, 1, 1, {show = false})
    testutil.fails_with("pc_network", viz.create_theta_sweep_place_cell_animation, pos, {{1}, {1}}, {}, {}, {show = false})
  end)
end)
