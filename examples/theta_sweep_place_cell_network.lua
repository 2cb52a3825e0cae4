-- Theta sweeps of place cells in a T-maze: a run up the stem of a T-maze
-- with recesses drives a place-cell network whose cells sit on the maze's
-- free grid cells and are coupled by geodesic (within-maze) distance;
-- adaptation and a theta-modulated input make the activity bump sweep
-- ahead of the animal once per theta cycle.
--
--   build/canns examples/theta_sweep_place_cell_network.lua [output folder]
--       (default out/theta_sweep_place_cell_network)
--
-- Twin of examples/cann/theta_sweep_place_cell_network.py of the Python
-- toolkit, with its sizes (3000 steps of 1 ms, a 0.05 m grid).  Upstream
-- seeds NumPy's generator (10); here canns.random.seed(10) for the
-- activity noise, so the noise is a different draw of the same
-- distribution.  Figures as upstream's: tmaze_trajectory_analysis.png
-- (show_data over the movement-cost grid), tmaze_geodesic_distance_matrix.png,
-- the two-panel animation of create_theta_sweep_place_cell_animation
-- (place_cell_theta_sweep.gif, one frame every n_step = 20 steps at 10 fps,
-- as upstream; upstream writes MP4, which canns writes too when ffmpeg is
-- installed) and place_cell_population_activity.png; ours in addition:
-- population_activity.png (with the theta phase) and trajectory_and_bump.png
-- (the most active cell against the animal).  The rates are saved every 20
-- steps (pc_r_every20.npy).
local canns = require "canns"
local M = canns.models

local outdir = arg and arg[1] or "out/theta_sweep_place_cell_network"

local task = canns.task.TMazeRecessOpenLoopNavigationTask{
  w = 0.84, l_s = 3.64, l_arm = 2.36, t = 1.0, recess_width = 0.2, recess_depth = 0.2,
  start_pos = {0.0, 0.6}, initial_head_direction = math.pi / 2, speed_mean = 1.2,
  speed_std = 0.0, rotational_velocity_std = 0.0, duration = 3.0, dt = 0.001,
  grid_dx = 0.05, grid_dy = 0.05, rng_seed = 10, progress_bar = false}
task:get_data()
task:calculate_theta_sweep_data()
local data = task.data
local T = task.total_steps
local geo = task:compute_geodesic_distance_matrix()

canns.set_dt(1.0)
canns.random.seed(10)
local pc = M.PlaceCellNetwork(geo, {tau = 3.0, tau_v = 150.0, noise_strength = 0.05, k = 1.4,
                                    m = 1.1, a = 0.3, A = 2.3, J0 = 0.25, g = 20.0})
print(("PlaceCellNetwork: %d place cells on a %d x %d grid, %d steps"):format(
  pc.cell_num, geo.cost_grid.shape[1], geo.cost_grid.shape[2], T))

-- warm-up: 100 steps at the start position without theta modulation
local p0 = data.position[1]
local warm = canns.zeros({100, 2}, "float32") + canns.array(p0, "float32")
canns.run(pc, {animal_pos = warm, theta_input = canns.ones({100}, "float32")}, {record = {"r"}})

-- theta: phase = mod(i, 100)/100 2 pi - pi, gain 1 + 0.1 lin cos(phase)
local phase = canns.zeros({T}, "float32")
local mod = canns.zeros({T}, "float32")
local lin = data.linear_speed_gains
for i = 0, T - 1 do
  local ph = (i * 1.0) % 100 / 100 * 2 * math.pi - math.pi
  phase[i + 1] = ph
  mod[i + 1] = 1 + 0.1 * lin[i + 1] * math.cos(ph)
end
local out = canns.run(pc, {animal_pos = data.position, theta_input = mod},
                      {record = {"r", "center"}, progress = true, label = "place cells"})

canns.mkdir(outdir)
out.center:save(outdir .. "/pc_center.npy")
out.r:slice(1, {20, T, 20}):save(outdir .. "/pc_r_every20.npy")
phase:save(outdir .. "/theta_phase.npy")

-- the decoded bump position (the cell of highest rate) against the animal
local idx = canns.array(geo.accessible_indices, "float64")
local xe, ye = geo.cost_grid.x_edges, geo.cost_grid.y_edges
local dist, n = 0.0, 0
local bump_xy = canns.zeros({T, 2}, "float64")
for t = 1, T do
  local k = out.r[t]:argmax()
  local row, col = idx[{k, 1}], idx[{k, 2}]
  local bx = (xe[col + 1] + xe[col + 2]) / 2
  local by = (ye[row + 1] + ye[row + 2]) / 2
  bump_xy[{t, 1}], bump_xy[{t, 2}] = bx, by
  local p = data.position[t]
  dist = dist + math.sqrt((bx - p[1]) ^ 2 + (by - p[2]) ^ 2)
  n = n + 1
end
print(("most active place cell vs animal: mean distance %.3f m"):format(dist / n))

-- [figures]
local function draw_figures(dir)
  -- population activity (cells in scan order) over time, with the theta phase
  local fig = canns.core.plot_figure{figsize = {8, 5}}
  local ax = fig:subplot(2, 1, 1)
  ax:imshow(out.r:transpose(), {aspect = "auto", cmap = "viridis", origin = "lower"})
  ax:set_title("Place cell population activity")
  ax:set_ylabel("Place cell")
  ax = fig:subplot(2, 1, 2)
  local t = {}
  for i = 1, T do t[i] = i - 1 end
  ax:plot(t, phase:totable(), {color = "k", lw = 1})
  ax:set_xlabel("Time step (ms)")
  ax:set_ylabel("Theta phase (rad)")
  fig:savefig(dir .. "/population_activity.png", {dpi = 100, bbox_inches = "tight"})
  -- trajectory and the most active cell in the maze
  fig = canns.core.plot_figure{figsize = {6, 5}}
  ax = fig:subplot(1, 1, 1)
  local b = task.boundary
  local bx, by = {}, {}
  for i, q in ipairs(b) do bx[i], by[i] = q[1], q[2] end
  bx[#bx + 1], by[#by + 1] = b[1][1], b[1][2]
  ax:plot(bx, by, {color = "k", lw = 1})
  ax:plot(data.position:slice(2, 1):flatten():totable(), data.position:slice(2, 2):flatten():totable(),
          {color = "gray", lw = 2, label = "Trajectory"})
  ax:plot(bump_xy:slice(2, 1):flatten():totable(), bump_xy:slice(2, 2):flatten():totable(),
          {color = "tab:red", lw = 0.8, label = "Most active cell"})
  ax:legend{loc = "lower right"}
  ax:set_title("Place-cell theta sweeps in a T-maze")
  ax:set_xlabel("x (m)")
  ax:set_ylabel("y (m)")
  fig:savefig(dir .. "/trajectory_and_bump.png", {dpi = 100, bbox_inches = "tight"})
end
draw_figures(outdir)

-- upstream's figures: the trajectory over the movement-cost grid, the
-- geodesic distances, the theta-sweep animation and the population heat map
local viz = canns.analyzer.visualization
task:show_data{show = false, overlay_movement_cost = true,
               save_path = outdir .. "/tmaze_trajectory_analysis.png"}
task:show_geodesic_distance_matrix{show = false,
                                   save_path = outdir .. "/tmaze_geodesic_distance_matrix.png"}
viz.create_theta_sweep_place_cell_animation(data.position, out.r, pc, task,
  {n_step = 20, fps = 10, figsize = {14, 5}, show = false,
   save_path = outdir .. "/place_cell_theta_sweep.gif"})
print("\nCreating place cell population activity heatmap...")
viz.population_activity_heatmap(out.r, 0.001, {title = "Place Cell Population Activity",
  figsize = {10, 6}, cmap = "viridis", show = false,
  save_path = outdir .. "/place_cell_population_activity.png"})
-- [/figures]

print("wrote figures and .npy files to " .. outdir)
