-- Path integration by the velocity grid-cell sheet (Burak & Fiete 2009):
-- a random 10 s run in a 2.2 m box drives a healed GridCell2DVelocity with
-- its velocity alone; the activity blob is tracked frame by frame, its
-- displacements integrated, and one factor (metres per neuron of blob
-- displacement) fitted by least squares without intercept maps the
-- integrated blob path onto the true path.  R^2 of that fit measures how
-- well the sheet integrates the velocity.
--
--   build/canns examples/grid_cell_velocity_path_integration.lua [output folder]
--       (default out/grid_cell_velocity_path_integration)
--
-- Twin of examples/cann/grid_cell_velocity_path_integration.py of the
-- Python toolkit, with its sizes (a 40 x 40 sheet, alpha 0.1, W_l 3,
-- lambda_net 17; 1000 task steps of 10 ms fed as model steps of 0.5 ms).
-- Upstream's trajectory is unseeded; here the task has rng_seed 1 and the
-- initial state canns.random.seed(1).  Upstream's scikit-learn
-- LinearRegression(fit_intercept=False) is the closed form
-- sum(x y) / sum(x x) over both coordinates, its score 1 - SS_res / SS_tot
-- (SS_tot about the mean of y).  Figures as upstream's:
-- trajectory_comparison.png, error_over_time.png,
-- error_spatial_distribution.png.
local canns = require "canns"

local outdir = arg and arg[1] or "out/grid_cell_velocity_path_integration"

local dt, dt_task = 5e-4, 0.01
canns.set_dt(dt)
local box, duration = 2.2, 10.0

print(("="):rep(70))
print("Grid Cell Velocity Model - Path Integration Verification")
print(("="):rep(70))

local task = canns.task.OpenLoopNavigationTask{
  duration = duration, width = box, height = box, start_pos = {box / 2, box / 2},
  speed_mean = 0.5, speed_std = 0.05, dt = dt_task, rng_seed = 1, progress_bar = false}
task:get_data()
local pos = task.data.position          -- (T, 2)
local vel = task.data.velocity
local T = pos:shape()[1]
print(("\nTrajectory: %d steps, %gs"):format(T, duration))

canns.random.seed(1)
local model = canns.models.GridCell2DVelocity{length = 40, tau = 0.01, alpha = 0.1,
                                              W_l = 3.0, lambda_net = 17.0}
print(("Network: %d neurons (%dx%d)"):format(model.num, model.length, model.length))
print("\nHealing network...")
model:heal_network{num_healing_steps = 5000, dt_healing = 1e-4}
print("Running path integration...")
local out = canns.run(model, {velocity = vel}, {record = {"r"}})

print("Tracking blob centers...")
local centers = model:track_blob_centers(out.r)   -- (T, 2): column, row

-- blob displacements; jumps over 3 neurons (the blob re-found across the
-- torus) replaced by the mean of their neighbours, as upstream
local n = T - 1
local disp = {}
for t = 1, n do
  disp[t] = {centers[{t + 1, 1}] - centers[{t, 1}], centers[{t + 1, 2}] - centers[{t, 2}]}
end
local jumps = {}
for t = 1, n do
  if math.sqrt(disp[t][1] ^ 2 + disp[t][2] ^ 2) > 3.0 then jumps[#jumps + 1] = t end
end
if #jumps > 0 then
  print(("Correcting %d jumps (periodic boundaries)"):format(#jumps))
  for _, t in ipairs(jumps) do
    if t > 1 and t < n then
      disp[t] = {(disp[t - 1][1] + disp[t + 1][1]) / 2, (disp[t - 1][2] + disp[t + 1][2]) / 2}
    end
  end
end

-- integrated blob path (neurons) against the true path relative to its start
local est_n = {}
local cx, cy = 0.0, 0.0
for t = 1, n do
  cx, cy = cx + disp[t][1], cy + disp[t][2]
  est_n[t] = {cx, cy}
end
local x0, y0 = pos[{1, 1}], pos[{1, 2}]
local sxy, sxx, sy, syy = 0.0, 0.0, 0.0, 0.0
for t = 1, n do
  for d = 1, 2 do
    local x, y = est_n[t][d], pos[{t, d}] - (d == 1 and x0 or y0)
    sxy, sxx, sy, syy = sxy + x * y, sxx + x * x, sy + y, syy + y * y
  end
end
local factor = sxy / sxx
local ss_res = syy - 2 * factor * sxy + factor * factor * sxx
local ss_tot = syy - sy * sy / (2 * n)
local r2 = 1 - ss_res / ss_tot

local est = canns.zeros({n, 2}, "float64")
local err = {}
local mean_err, max_err = 0.0, 0.0
for t = 1, n do
  est[{t, 1}], est[{t, 2}] = factor * est_n[t][1] + x0, factor * est_n[t][2] + y0
  err[t] = math.sqrt((est[{t, 1}] - pos[{t, 1}]) ^ 2 + (est[{t, 2}] - pos[{t, 2}]) ^ 2)
  mean_err = mean_err + err[t] / n
  if err[t] > max_err then max_err = err[t] end
end
local sd = 0.0
for t = 1, n do sd = sd + (err[t] - mean_err) ^ 2 / n end
sd = math.sqrt(sd)

print("\nPath Integration Quality:")
print(("  R² score: %.6f"):format(r2))
print(("  Proportional factor: %.6f"):format(factor))
print("\nPosition Errors:")
print(("  Mean: %.4fm"):format(mean_err))
print(("  Max: %.4fm"):format(max_err))
print(("  Final: %.4fm"):format(err[n]))
if r2 > 0.99 then print("\nEXCELLENT: R² > 0.99 (high-quality path integration)")
elseif r2 > 0.95 then print("\nGOOD: R² > 0.95")
else print("\nLOW R²: Path integration quality needs improvement") end

-- [figures]
print("\nCreating visualizations...")
canns.mkdir(outdir)
local function col(a, d, k)
  local v = {}
  for t = 1, k do v[t] = a[{t, d}] end
  return v
end
local tx, ty = col(pos, 1, n), col(pos, 2, n)

local fig = canns.core.plot_figure{figsize = {10, 10}}
local ax = fig:subplot(1, 1, 1)
ax:plot(tx, ty, {color = "b", alpha = 0.3, linewidth = 0.5, label = "True"})
ax:plot(col(est, 1, n), col(est, 2, n), {color = "r", alpha = 0.5, linewidth = 0.5, label = "Estimated"})
ax:scatter({x0}, {y0}, {c = "green", s = 100, marker = "o", label = "Start"})
ax:scatter({tx[n]}, {ty[n]}, {c = "black", s = 100, marker = "x", label = "End (True)"})
ax:scatter({est[{n, 1}]}, {est[{n, 2}]}, {c = "red", s = 100, marker = "x", label = "End (Est.)"})
ax:set_xlabel("X Position (m)", {fontsize = 12})
ax:set_ylabel("Y Position (m)", {fontsize = 12})
ax:set_title(("Path Integration: R²=%.4f, Mean Error=%.4fm"):format(r2, mean_err), {fontsize = 14})
ax:legend{fontsize = 10}
ax:grid(true, {alpha = 0.3})
ax:set_aspect("equal")
fig:savefig(outdir .. "/trajectory_comparison.png", {dpi = 150, bbox_inches = "tight"})

fig = canns.core.plot_figure{figsize = {12, 8}}
local time = {}
for t = 1, n do time[t] = (t - 1) * dt_task end
ax = fig:subplot(2, 1, 1)
ax:plot(time, err, {color = "r", linewidth = 0.5, alpha = 0.7})
ax:axhline(mean_err, {color = "blue", linestyle = "--", label = ("Mean: %.4fm"):format(mean_err)})
ax:axhline(mean_err + sd, {color = "orange", linestyle = ":", alpha = 0.5, label = "±1 Std"})
ax:axhline(mean_err - sd, {color = "orange", linestyle = ":", alpha = 0.5})
ax:set_xlabel("Time (s)", {fontsize = 12})
ax:set_ylabel("Position Error (m)", {fontsize = 12})
ax:set_title("Position Error Over Time", {fontsize = 14})
ax:legend{fontsize = 10}
ax:grid(true, {alpha = 0.3})
ax = fig:subplot(2, 1, 2)
local cum, s = {}, 0.0
for t = 1, n do s = s + err[t]; cum[t] = s / t end
ax:plot(time, cum, {color = "b", linewidth = 1})
ax:set_xlabel("Time (s)", {fontsize = 12})
ax:set_ylabel("Cumulative Mean Error (m)", {fontsize = 12})
ax:set_title("Cumulative Mean Error", {fontsize = 14})
ax:grid(true, {alpha = 0.3})
fig:savefig(outdir .. "/error_over_time.png", {dpi = 150, bbox_inches = "tight"})

-- mean error per 30 x 30 bin of the true position (numpy histogram2d
-- binning: the last bin closed on the right); x along the columns, y up
local nb = 30
local H, C = {}, {}
for i = 1, nb * nb do H[i], C[i] = 0.0, 0 end
for t = 1, n do
  local bx = math.floor(tx[t] / box * nb)
  local by = math.floor(ty[t] / box * nb)
  if tx[t] == box then bx = nb - 1 end
  if ty[t] == box then by = nb - 1 end
  if bx >= 0 and bx < nb and by >= 0 and by < nb then
    local k = by * nb + bx + 1
    H[k], C[k] = H[k] + err[t], C[k] + 1
  end
end
local map = canns.zeros({nb, nb}, "float64")
for by = 0, nb - 1 do
  for bx = 0, nb - 1 do
    local k = by * nb + bx + 1
    if C[k] > 0 then map[{by + 1, bx + 1}] = H[k] / C[k] end
  end
end
fig = canns.core.plot_figure{figsize = {10, 10}}
ax = fig:subplot(1, 1, 1)
local im = ax:imshow(map, {origin = "lower", extent = {0, box, 0, box}, cmap = "hot", aspect = "auto"})
ax:colorbar(im, {label = "Mean Position Error (m)"})
ax:set_xlabel("X Position (m)", {fontsize = 12})
ax:set_ylabel("Y Position (m)", {fontsize = 12})
ax:set_title("Spatial Distribution of Position Errors", {fontsize = 14})
fig:savefig(outdir .. "/error_spatial_distribution.png", {dpi = 150, bbox_inches = "tight"})
-- [/figures]

print(("\nOutputs saved to: %s"):format(outdir))
print(("R2 %.6f factor %.6f m per neuron"):format(r2, factor))
print(("="):rep(70))
