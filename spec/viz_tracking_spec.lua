-- create_grid_cell_tracking_animation: Python's frame schedule, the file
-- written with that many frames, the current position drawn where the
-- trajectory is at each frame's step, bad input refused.
local canns = require "canns"
local core = require "canns.core"
local viz = canns.analyzer.visualization

describe("grid-cell tracking animation", function()
  local dir
  setup(function() dir = testutil.tmpdir() end)
  teardown(function() testutil.rmtree(dir) end)
  local T = 300
  local pos, act = {}, {}
  for i = 1, T do pos[i] = {0.1 + 0.8 * (i - 1) / (T - 1), 0.5}; act[i] = (i % 50) / 50 end

  it("follows Python's frame schedule", function()
    local p = dir .. "/t.gif"
    local a = viz.create_grid_cell_tracking_animation(pos, act, canns.random.uniform({10, 10}),
      {time_steps_per_second = 100, fps = 4, env_size = 1.0, save_path = p, show = false, show_progress_bar = false})
    -- int(300 / 100 * 4) = 12 frames at int(linspace(0, 299, 12))
    assert.equal(12, a.frames)
    for f = 1, 12 do assert.equal(math.floor((f - 1) * 299 / 11), a.steps[f]) end
    assert.equal(12, core.plot_gif_info(p).frames)
    -- the red position dot moves right: its mean column grows frame to frame
    local function red_col(frame)
      local w, _, rgb = core.plot_gif_frame(p, frame)
      local s, n = 0, 0
      for i = 1, #rgb, 3 do
        local r, g, b = rgb:byte(i, i + 2)
        local col = ((i - 1) // 3) % w
        if r > 200 and g < 60 and b < 60 and col < w / 3 then s, n = s + col, n + 1 end
      end
      return n > 0 and s / n or nil
    end
    local c1, c12 = red_col(1), red_col(12)
    assert.truthy(c1 and c12)
    assert.is_true(c12 > c1 + 20)
  end)

  it("refuses bad input, naming it", function()
    local rm = canns.ones({5, 5})
    testutil.fails_with("time_steps_per_second must be given", viz.create_grid_cell_tracking_animation, pos, act, rm,
                        {show = false, save_path = dir .. "/x.gif"})
    testutil.fails_with("same length", viz.create_grid_cell_tracking_animation, pos, {1, 2}, rm,
                        {time_steps_per_second = 100, show = false, save_path = dir .. "/x.gif"})
    testutil.fails_with("position must be (T, 2)", viz.create_grid_cell_tracking_animation, act, act, rm,
                        {time_steps_per_second = 100, show = false, save_path = dir .. "/x.gif"})
    testutil.fails_with("env_size", viz.create_grid_cell_tracking_animation, pos, act, rm,
                        {time_steps_per_second = 100, env_size = -1, show = false, save_path = dir .. "/x.gif"})
  end)
end)
