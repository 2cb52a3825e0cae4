-- Oscillatory tracking on a ring CANN: the input moves forward and back
-- through the key points 1 -> 0.75 -> 2 -> 1.75 -> 3 (four 10-unit
-- segments, 400 steps of dt = 0.1) and the bump follows it.
--
--   build/canns examples/cann1d_oscillatory_tracking.lua [output folder]
--                                          (default out/cann1d_oscillatory_tracking)
--
-- Twin of examples/cann/cann1d_oscillatory_tracking.py of the Python toolkit.
local canns = require "canns"

local outdir = arg and arg[1] or "out/cann1d_oscillatory_tracking"

canns.set_dt(0.1)
local cann = canns.models.CANN1D{num = 512}

local task = canns.task.SmoothTracking1D{
  cann_instance = cann,
  Iext = {1.0, 0.75, 2.0, 1.75, 3.0},
  duration = {10.0, 10.0, 10.0, 10.0},
  time_step = canns.get_dt(),
}
task:get_data()

local out = canns.run(cann, task.data, {record = {"u", "inp"}})
local center = canns.analyzer.bump_center(cann, out.u)

canns.mkdir(outdir)
out.u:save(outdir .. "/u.npy")                     -- (400, 512)
out.inp:save(outdir .. "/inp.npy")                 -- (400, 512)
cann.x:save(outdir .. "/x.npy")
task.Iext_sequence:save(outdir .. "/stimulus_position.npy")
center:save(outdir .. "/bump_center.npy")

-- [figures] Energy-landscape animation of u and Iext over x, 100 steps
-- per second of video at 20 fps (Python: energy_landscape_1d_animation,
-- title "Smooth Tracking 1D", xlabel "State", ylabel "Activity").
local function draw_figures(dir)
  local viz = canns.analyzer.visualization or require "canns.analyzer.visualization"
  -- MP4 as upstream when ffmpeg is installed, else a GIF
  local ext = viz.video_available() and "mp4" or "gif"
  local cfg = viz.PlotConfigs.energy_landscape_1d_animation{
    time_steps_per_second = 100, fps = 20, title = "Smooth Tracking 1D", xlabel = "State",
    ylabel = "Activity", ["repeat"] = true,
    save_path = dir .. "/test_smooth_tracking_1d." .. ext, show = false}
  viz.energy_landscape_1d_animation({u = {cann.x, out.u}, Iext = {cann.x, out.inp}}, cfg)
end
draw_figures(outdir)
-- [/figures]

local T = out.u:shape()[1]
print(string.format("oscillatory tracking: %d steps; bump at %.3f / %.3f / %.3f at steps 100 / 200 / 400",
                    T, center[100], center[200], center[T]))
print("wrote u.npy, inp.npy, x.npy, stimulus_position.npy, bump_center.npy to " .. outdir)
