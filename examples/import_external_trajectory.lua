-- Import an external trajectory into a navigation task: 1000 samples of a
-- bounded random walk over 10 s in a 2.2 m box, then the theta-sweep
-- quantities (angular velocity and speed gains) and the trajectory
-- analysis figure.
--
--   build/canns examples/import_external_trajectory.lua [output folder]
--     (default out/import_external_trajectory)
--
-- Twin of examples/cann/import_external_trajectory.py of the Python toolkit
-- (the walk is drawn from canns.random, not numpy's seed 42, so the path
-- itself differs).
local canns = require "canns"

local outdir = arg and arg[1] or "out/import_external_trajectory"
canns.mkdir(outdir)
canns.random.seed(42)

-- times = linspace(0, 10, 1000) and a random walk kept inside [0.1, 2.1]^2
local n = 1000
local times = canns.linspace(0, 10, n, {dtype = "float64"})
local steps = canns.random.normal({n, 2}, 0, 0.02, "float64")
local pos = canns.zeros({n, 2}, "float64")
local x, y = 1.1, 1.1
for k = 1, n do
  if k > 1 then
    x = math.min(2.1, math.max(0.1, x + steps[{k, 1}] + 0.005 * math.cos(k / 50)))
    y = math.min(2.1, math.max(0.1, y + steps[{k, 2}] + 0.005 * math.sin(k / 50)))
  end
  pos[{k, 1}], pos[{k, 2}] = x, y
end

local task = canns.task.OpenLoopNavigationTask{duration = 10, width = 2.2, height = 2.2, dt = 0.01}
task:import_data{position_data = pos, times = times}
task:calculate_theta_sweep_data()

local d = task.data
d.position:save(outdir .. "/position.npy")
d.speed:save(outdir .. "/speed.npy")
d.ang_velocity:save(outdir .. "/ang_velocity.npy")
task:show_trajectory_analysis{show = false, save_path = outdir .. "/trajectory_analysis.png",
                              smooth_window = 50}
print(string.format("imported %d samples; max angular velocity %.2f rad/s; outputs in %s",
                    task.total_steps, canns.max(canns.abs(d.ang_velocity)), outdir))
