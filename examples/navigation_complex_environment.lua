-- A closed-loop navigation task in a complex environment: the square
-- [0, 2]^2 with five walls and two holes, a 0.1 m movement-cost grid
-- (20 x 20 cells, 214 free), the grid over the environment and the
-- normalised geodesic distance matrix between the free cells.
--
--   build/canns examples/navigation_complex_environment.lua [output folder]
--     (default out/navigation_complex_environment)
--
-- Twin of examples/cann/navigation_complex_environment.py of the Python
-- toolkit.
local canns = require "canns"

local outdir = arg and arg[1] or "out/navigation_complex_environment"
canns.mkdir(outdir)

local task = canns.task.ClosedLoopNavigationTask{
  boundary = {{0, 0}, {2, 0}, {2, 2}, {0, 2}},
  walls = {{{0.5, 0}, {0.5, 1}}, {{0.5, 1}, {1, 1}}, {{1.5, 2}, {1.5, 1}}, {{1.5, 1}, {1, 1}},
           {{0.2, 0.2}, {1.6, 1.6}}},
  holes = {{{0.7, 0.7}, {1.3, 0.7}, {1.3, 1.3}, {0.7, 1.3}},
           {{0, 1.25}, {0.8, 1.25}, {0.8, 2}, {0, 2}}},
  dt = 0.01, grid_dx = 0.1, grid_dy = 0.1,
}
task:step_by_pos{0.1, 0.1}

local grid = task:build_movement_cost_grid()
task:show_data{show = false, save_path = outdir .. "/movement_cost_grid.png",
               overlay_movement_cost = true}
local result = task:show_geodesic_distance_matrix{show = false, normalize = true,
  save_path = outdir .. "/geodesic_distances.png"}
result.distances:save(outdir .. "/geodesic_distances.npy")
grid.costs:save(outdir .. "/costs.npy")
print(string.format("grid %d x %d, %d free cells; outputs in %s", grid.shape[1], grid.shape[2],
                    grid.n_free, outdir))
