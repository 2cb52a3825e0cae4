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
-- Upstream seeds NumPy's generator (10) for the trajectory; here the task's
-- own rng_seed, so the path is a different draw of the same process.
-- Upstream's animation (create_theta_sweep_grid_cell_animation) is not
-- drawn: canns does not have that figure yet; the frames it would show are
-- saved (gc_r_every10.npy).
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

-- direction cells over the whole run, then the grid module in chunks of 10
-- steps (keeping the rates at the end of each chunk for the frames)
local d = canns.run(dc, {head_direction = data.hd_angle, theta_input = mod_hd},
                    {record = {"r", "center"}, progress = true, label = "direction cells"})
local chunk = 10
local center = canns.zeros({T, 2}, "float32")
local frames = canns.zeros({T // chunk, gc.num}, "float32")
for c = 1, T // chunk do
  local a, b = (c - 1) * chunk + 1, c * chunk
  local o = canns.run(gc, {animal_position = data.position:slice(1, {a, b}),
                           direction_activity = d.r:slice(1, {a, b}),
                           theta_modulation = mod_gc:slice(1, {a, b})},
                      {record = {"center_position", "r"}})
  for k = 1, chunk do center[a + k - 1] = o.center_position[k] end
  frames[c] = o.r[chunk]
end

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
  local t = {}
  for i = 1, T do t[i] = i - 1 end
  -- direction-cell population activity with the theta phase
  local fig = canns.core.plot_figure{figsize = {8, 5}}
  local ax = fig:subplot(2, 1, 1)
  ax:imshow(d.r:transpose(), {aspect = "auto", cmap = "viridis", origin = "lower"})
  ax:set_title("Direction cell population activity")
  ax:set_ylabel("Neuron")
  ax = fig:subplot(2, 1, 2)
  ax:plot(t, phase:totable(), {color = "k", lw = 1})
  ax:set_xlabel("Time step (ms)")
  ax:set_ylabel("Theta phase (rad)")
  fig:savefig(dir .. "/population_activity_with_theta.png", {dpi = 100, bbox_inches = "tight"})
  -- grid activity at frame 900 on the twisted manifold
  local Ti = gc.coor_transform_inv
  local vg = gc.value_grid
  local pos = (vg:matmul(Ti:transpose())) / gc.mapping_ratio
  local f900 = math.min(900 // chunk, T // chunk)
  fig = canns.core.plot_figure{figsize = {5, 4.5}}
  ax = fig:subplot(1, 1, 1)
  ax:scatter(pos:slice(2, 1):flatten():totable(), pos:slice(2, 2):flatten():totable(),
             {c = frames[f900], s = 6, cmap = "viridis"})
  ax:set_title(("Grid cell activity on the manifold (step %d)"):format(f900 * chunk))
  ax:set_xlabel("x (m)")
  ax:set_ylabel("y (m)")
  fig:savefig(dir .. "/grid_activity_manifold.png", {dpi = 100, bbox_inches = "tight"})
  -- internal (decoded) position against the trajectory
  fig = canns.core.plot_figure{figsize = {5, 5}}
  ax = fig:subplot(1, 1, 1)
  ax:plot(data.position:slice(2, 1):flatten():totable(), data.position:slice(2, 2):flatten():totable(),
          {color = "gray", lw = 2, label = "Trajectory"})
  ax:plot(center:slice(2, 1):flatten():totable(), center:slice(2, 2):flatten():totable(),
          {color = "tab:red", lw = 0.8, label = "Grid bump centre"})
  ax:legend{loc = "upper right"}
  ax:set_title("Theta sweeps of the internal position")
  ax:set_xlabel("x (m)")
  ax:set_ylabel("y (m)")
  fig:savefig(dir .. "/internal_position.png", {dpi = 100, bbox_inches = "tight"})
end
draw_figures(outdir)
-- [/figures]

print("wrote figures and .npy files to " .. outdir)
