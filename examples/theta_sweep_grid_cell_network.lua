-- Theta sweeps in the direction-cell -> grid-cell chain (Ji et al. 2025): a
-- fast run along a random path in a 1.5 m box drives a head-direction ring
-- (DirectionCellNetwork) and a 100 x 100 twisted-torus grid module
-- (GridCellNetwork); theta modulation makes the grid bump sweep ahead of
-- the animal once per theta cycle.
--
--   build/canns examples/theta_sweep_grid_cell_network.lua [output folder]
--       (default out/theta_sweep_grid_cell_network)
--
-- Twin of examples/cann/theta_sweep_grid_cell_network.py of the Python
-- toolkit, with its sizes (2000 steps of 1 ms; 100 direction cells, 10^4
-- grid cells whose recurrent input is one FFT convolution on the torus).
-- Upstream steps both networks in one loop; here the two networks are one
-- composite model (canns.models.ThetaSweepChain) run by one canns.run.
-- Upstream seeds NumPy's generator (10) for the trajectory; here the task's
-- own rng_seed, so the path is a different draw of the same process.
-- Figures as upstream's: open_loop_trajectory_analysis.png,
-- theta_population_activity.png, grid_cell_manifold.png,
-- grid_cell_internal_position.png and the four-panel theta_sweep_animation
-- (upstream's 200 frames, one every 10 steps; a GIF here; upstream writes
-- MP4, which canns writes too when ffmpeg is installed).  About 20 s, most
-- of it the animation.
local canns = require "canns"
local M = canns.models

local outdir = arg and arg[1] or "out/theta_sweep_grid_cell_network"

-- the trajectory: 2 s at 1 ms, 2 m/s, starting near the bottom right
local task = canns.task.OpenLoopNavigationTask{
  duration = 2.0, dt = 0.001, width = 1.5, height = 1.5, start_pos = {1.40625, 0.09375},
  initial_head_direction = 11 * math.pi / 12, speed_mean = 2.0, speed_std = 0.0,
  speed_coherence_time = 10, rotational_velocity_std = 40 * math.pi / 180, rng_seed = 10,
  progress_bar = false}
task:get_data()
task:calculate_theta_sweep_data()
local data = task.data
local T = task.total_steps

-- the models, time step 1 (ms)
canns.set_dt(1.0)
local dc = M.DirectionCellNetwork{num = 100, adaptation_strength = 15, noise_strength = 0.0}
local gc = M.GridCellNetwork{num_dc = 100, num_gc_x = 100, adaptation_strength = 25,
                             mapping_ratio = 10, noise_strength = 0.0}
print(("DirectionCellNetwork(num=%d), GridCellNetwork(num=%d, %s), %d steps"):format(
  dc.num, gc.num, gc.method, T))

-- theta phase and gains for every step
local phase, mod_hd, mod_gc = M.calculate_theta_modulation(
  canns.arange(0, T, 1), data.linear_speed_gains, data.ang_speed_gains, 1.0, 1.0, 100.0)

-- the chain direction cells -> grid module as one model: one C run
-- (canns.models.ThetaSweepChain; the numbers of the two networks in turn)
local chain = M.ThetaSweepChain(dc, gc)
local o = canns.run(chain, {head_direction = data.hd_angle, theta_input = mod_hd,
                            animal_position = data.position, theta_modulation = mod_gc},
                    {record = {"direction.r", "direction.center", "grid.center_position", "grid.r"},
                     progress = true, label = "theta sweep chain"})
local d = {r = o["direction.r"], center = o["direction.center"]}
local center, gc_r = o["grid.center_position"], o["grid.r"]
local frames = gc_r:slice(1, {10, T, 10})   -- the rates at every 10th step

canns.mkdir(outdir)
center:save(outdir .. "/gc_center_position.npy")
d.r:save(outdir .. "/dc_r.npy")
d.center:save(outdir .. "/dc_center.npy")
frames:save(outdir .. "/gc_r_every10.npy")
phase:save(outdir .. "/theta_phase.npy")

-- how far the decoded position sweeps ahead of / behind the animal
local err = (center - canns.array(data.position, "float32")):pow(2):sum(2):sqrt()
print(("decoded grid position vs animal: mean distance %.3f m, max %.3f m"):format(
  err:mean(), err:max()))

-- [figures]
local function draw_figures(dir)
  local viz = canns.analyzer.visualization
  local dt = 0.001
  task:show_trajectory_analysis{show = false, save_path = dir .. "/open_loop_trajectory_analysis.png"}
  local t = canns.arange(0, T, 1) * dt
  viz.plot_population_activity_with_theta(t, phase, d.r, data.hd_angle,
    viz.PlotConfigs.theta_population_activity_static{
      title = "Direction Cell Population Activity with Theta", xlabel = "Time (s)",
      ylabel = "Direction (°)", figsize = {10, 4}, show = false,
      save_path = dir .. "/theta_population_activity.png"}, true, 5e-2)
  local twisted = gc.value_grid:matmul(gc.coor_transform_inv:transpose())
  viz.plot_grid_cell_manifold(twisted / gc.mapping_ratio, gc_r[math.min(901, T)],
    viz.PlotConfigs.grid_cell_manifold_static{
      title = "Grid Cell Activity on Twisted Torus Manifold", figsize = {6, 5}, show = false,
      save_path = dir .. "/grid_cell_manifold.png"})
  viz.plot_internal_position_trajectory(center, data.position, gc_r:max(2), 1.5,
    viz.PlotConfigs.internal_position_trajectory_static{
      title = "Internal Position (GC bump) vs. Real Trajectory", figsize = {5, 4}, show = false,
      save_path = dir .. "/grid_cell_internal_position.png"})
  viz.create_theta_sweep_grid_cell_animation(data.position, data.hd_angle, d.r, gc_r, gc, 1.5,
    gc.mapping_ratio, {dt = dt, n_step = 10, figsize = {12, 3}, fps = 10, show = false,
    output_dpi = 120, save_path = dir .. "/theta_sweep_animation.gif"})
end
draw_figures(outdir)
-- [/figures]

print("wrote figures and .npy files to " .. outdir)
