-- The flagship experiment: the README's smooth-tracking quick start.
--
--   build/canns examples/flagship.lua [output folder]     (default out/flagship)
--
-- A 512-neuron ring CANN follows an input that moves smoothly through the
-- key points 0 -> 0.5 -> 1 -> 1.5 in three 5-unit segments (150 steps of
-- dt = 0.1).  The whole simulation runs inside C (canns.run); the script
-- writes the recorded activity, the input and the decoded bump position
-- into the output folder and prints a summary.
-- Twin of the quick start in the Python toolkit's README.
local canns = require "canns"

local outdir = arg and arg[1] or "out/flagship"

-- simulation time step
canns.set_dt(0.1)

-- build model
local cann = canns.models.CANN1D{num = 512}

-- build tracking task (Iext has one more key point than duration)
local task = canns.task.SmoothTracking1D{
  cann_instance = cann,
  Iext = {0.0, 0.5, 1.0, 1.5},
  duration = {5.0, 5.0, 5.0},
  time_step = canns.get_dt(),
}
task:get_data()

-- run the simulation loop (in C), recording u and the input at every step
local out = canns.run(cann, task.data, {record = {"u", "inp"}, progress = true})

-- analysis: decoded bump position and its lag behind the input
local center = canns.analyzer.bump_center(cann, out.u)
local lag = canns.analyzer.tracking_lag(cann, out.u, task.Iext_sequence)

canns.mkdir(outdir)
out.u:save(outdir .. "/u.npy")                     -- (150, 512)
out.inp:save(outdir .. "/inp.npy")                 -- (150, 512)
cann.x:save(outdir .. "/x.npy")                    -- (512,)
task.Iext_sequence:save(outdir .. "/stimulus_position.npy") -- (150, 1)
center:save(outdir .. "/bump_center.npy")          -- (150,)

-- [figures] Energy-landscape animation of u and the input over x
-- (Python: energy_landscape_1d_animation with time_steps_per_second =
-- 1/dt, fps 20), its last frame as a PNG, and u over time as a heat map.
local function draw_figures(dir)
  local viz = canns.analyzer.visualization or require "canns.analyzer.visualization"
  local cfg = viz.PlotConfigs.energy_landscape_1d_animation{
    time_steps_per_second = math.floor(1 / canns.get_dt() + 0.5), fps = 20,
    title = "Smooth Tracking 1D", xlabel = "State", ylabel = "Activity",
    save_path = dir .. "/smooth_tracking_1d.gif", show = false}
  viz.energy_landscape_1d_animation({u = {cann.x, out.u}, Iext = {cann.x, out.inp}}, cfg)
  -- the last frame as a still figure, and the bump over time as a heat map
  local T = out.u:shape(1)
  viz.energy_landscape_1d_static({u = {cann.x, out.u[T]}, Iext = {cann.x, out.inp[T]}},
    {title = "Smooth Tracking 1D (t = 15 s)", xlabel = "State", ylabel = "Activity",
     save_path = dir .. "/smooth_tracking_1d.png", save_dpi = 100, show = false})
  viz.population_activity_heatmap(out.u, canns.get_dt(), {title = "Bump Activity u",
    ylabel = "Neuron Index", save_path = dir .. "/activity_heatmap.png", save_dpi = 100,
    show = false})
  print("  wrote smooth_tracking_1d.gif, smooth_tracking_1d.png, activity_heatmap.png")
end
draw_figures(outdir)
-- [/figures]

local T = out.u:shape()[1]
print(string.format("flagship: CANN1D(num=512, %s), %d steps of dt=%.2f", cann.method, T, canns.get_dt()))
print(string.format("  final bump centre %.4f (input at %.4f), max u %.4f",
                    center[T], task.Iext_sequence[{T, 1}], out.u[T]:max()))
print(string.format("  mean lag over the last 50 steps %.4f rad", lag:slice(1, {T - 49, T}):mean()))
print("  wrote u.npy, inp.npy, x.npy, stimulus_position.npy, bump_center.npy to " .. outdir)
