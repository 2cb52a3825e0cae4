-- Tracking on a 2-D CANN (a 100 x 100 torus): the input moves through
-- (0,0) (1,1) (0.75,0.75) (2,2) (1.75,1.75) (3,3) in five 10-unit segments
-- (500 steps); the recurrent input is a 2-D FFT convolution, never the
-- 10^4 x 10^4 matrix.
--
--   build/canns examples/cann2d_tracking.lua [output folder]   (default out/cann2d_tracking)
--
-- Twin of examples/cann/cann2d_tracking.py of the Python toolkit.
local canns = require "canns"

local outdir = arg and arg[1] or "out/cann2d_tracking"

canns.set_dt(0.1)
local cann = canns.models.CANN2D{length = 100}

local task = canns.task.SmoothTracking2D{
  cann_instance = cann,
  Iext = {{0, 0}, {1, 1}, {0.75, 0.75}, {2, 2}, {1.75, 1.75}, {3, 3}},
  duration = {10, 10, 10, 10, 10},
  time_step = canns.get_dt(),
}
task:get_data()

local out = canns.run(cann, task.data, {record = {"u", "r", "inp"}, progress = true})
local center = canns.analyzer.bump_center(cann, out.r)          -- (500, 2): x, y

canns.mkdir(outdir)
out.u:save(outdir .. "/u.npy")                     -- (500, 100, 100)
out.r:save(outdir .. "/r.npy")
task.Iext_sequence:save(outdir .. "/stimulus_position.npy")     -- (500, 2)
center:save(outdir .. "/bump_center.npy")

-- [figures] 2-D energy-landscape animation of u (Python:
-- energy_landscape_2d_animation, 100 steps per second, 20 fps, title
-- "CANN2D Encoding", xlabel "State X", ylabel "State Y", clabel "Activity").
local function draw_figures(dir)
  local viz = canns.analyzer.visualization or require "canns.analyzer.visualization"
  local ext = viz.video_available() and "mp4" or "gif"
  local cfg = viz.PlotConfigs.energy_landscape_2d_animation{
    time_steps_per_second = 100, fps = 20, title = "CANN2D Encoding", xlabel = "State X",
    ylabel = "State Y", clabel = "Activity", ["repeat"] = true,
    save_path = dir .. "/CANN2D_encoding." .. ext, show = false}
  viz.energy_landscape_2d_animation(out.u, cfg)
end
draw_figures(outdir)
-- [/figures]

local T = out.u:shape()[1]
print(string.format("CANN2D(length=100, %s): %d steps; final bump at (%.3f, %.3f), input at (%.3f, %.3f)",
                    cann.method, T, center[{T, 1}], center[{T, 2}],
                    task.Iext_sequence[{T, 1}], task.Iext_sequence[{T, 2}]))
print("wrote u.npy, r.npy, stimulus_position.npy, bump_center.npy to " .. outdir)
