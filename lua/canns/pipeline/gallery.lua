--- The model gallery: one figure per model and analysis, as upstream's
-- gallery runner (`canns.pipeline.gallery.runner.GalleryRunner`) makes
-- them, with its default parameters.
--
--     local g = canns.pipeline.gallery
--     local r = g.run{model = "cann1d", analysis = "tuning", out = "out/gallery"}
--     print(r.success, r.output, r.summary)
--
-- Models and analyses built: `cann1d` (connectivity, energy, tuning,
-- template, manifold), `cann2d` (connectivity, energy, firing_field,
-- trajectory, manifold) and `gridcell` (connectivity, energy,
-- firing_field, path_integration, manifold).
-- @module canns.pipeline.gallery

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

--- The models and their analyses, as `{key, label}` pairs in display order.
M.MODELS = {
  {"cann1d", "CANN1D"},
  {"cann2d", "CANN2D"},
  {"gridcell", "Grid Cell"},
}
M.ANALYSES = {
  cann1d = {{"connectivity", "Connectivity Matrix"}, {"energy", "Energy Landscape"},
            {"tuning", "Tuning Curves"}, {"template", "Template Matching"},
            {"manifold", "Neural Manifold"}},
  cann2d = {{"connectivity", "Connectivity Matrix"}, {"energy", "Energy Landscape"},
            {"firing_field", "Firing Field"}, {"trajectory", "Trajectory Comparison"},
            {"manifold", "Neural Manifold"}},
  gridcell = {{"connectivity", "Connectivity Matrix"}, {"energy", "Energy Landscape"},
              {"firing_field", "Firing Field"}, {"path_integration", "Path Integration"},
              {"manifold", "Neural Manifold"}},
}

--- Upstream's default parameters (strings are parsed as numbers).
M.DEFAULTS = {
  cann1d = {seed = 42, num = 256, tau = 1.0, k = 8.1, a = 0.5, A = 10.0, J0 = 4.0, dt = 0.1,
            energy_pos = 1.0, energy_duration = 10.0, tuning_start = 0.0, tuning_mid = 3.1416,
            tuning_end = 6.2832, tuning_duration = 40.0, tuning_bins = 50,
            tuning_neurons = "64,128,192", template_pos = 1.0, template_duration = 10.0,
            manifold_segment = 40.0, manifold_warmup = 5.0},
  cann2d = {seed = 42, length = 64, tau = 1.0, k = 8.1, a = 0.5, A = 10.0, J0 = 4.0, dt = 0.1,
            energy_x = 1.0, energy_y = 1.0, energy_duration = 10.0,
            field_duration = 8000.0, field_box = 6.2832, field_resolution = 80,
            field_sigma = 2.0, field_speed = 0.3, field_speed_std = 0.1,
            traj_segment = 40.0, traj_warmup = 5.0,
            manifold_segment = 40.0, manifold_warmup = 5.0},
  gridcell = {seed = 74, length = 40, tau = 0.01, alpha = 0.1, W_l = 3.0, lambda_net = 17.0,
              dt = 0.0005, box_size = 2.2, energy_duration = 10.0, energy_speed = 0.2,
              energy_speed_std = 0.05, energy_heal_steps = 10000, field_resolution = 100,
              field_sigma = 2.0, field_speed = 0.3, field_batches = 10, path_duration = 10.0,
              path_dt = 0.01, path_speed = 0.5, path_speed_std = 0.05, path_heal_steps = 5000},
}

local function viz() return require "canns.analyzer.visualization" end

local function conn_figure(cann, path, title)
  local fig = viz().figure{figsize = {6, 5}}
  local ax = fig:subplot(1, 1, 1)
  local im = ax:imshow(cann.conn_mat, {cmap = "viridis", aspect = "auto"})
  ax:colorbar(im)
  ax:set_title(title, {fontsize = 12, fontweight = "bold"})
  fig:savefig(path, {dpi = 150})
end

-- The first k principal components of X (T, N) by power iteration with
-- deflation, on the covariance (N, N) or, when N > T, on the Gram matrix
-- (T, T) whose eigenvectors times sqrt(eigenvalue) are the projections;
-- returns the projection (T, k).
local function top_eigvecs(C, k)
  local n = C:shape()[1]
  local g = core.random.Generator(0)
  local vecs, vals = {}, {}
  for c = 1, k do
    local v = g:normal({n, 1}, 0, 1, "float64")
    local lam = 0
    for _ = 1, 300 do
      local w = core.matmul(C, v)
      for _, u in ipairs(vecs) do w = w - u * core.sum(u * w) end
      local nrm = math.sqrt(core.sum(w * w))
      if nrm == 0 then break end
      local done = math.abs(nrm - lam) <= 1e-10 * nrm
      v, lam = w / nrm, nrm
      if done then break end
    end
    vecs[c], vals[c] = v, lam
  end
  return vecs, vals
end

--- Projection of the rows of X (T, N) on its first k principal
-- components (centred; power iteration with deflation), shape (T, k).
-- @function pca
function M.pca(X, k)
  X = A.array(X, "pca", 1, "X", {ndim = 2, convert = true, min_size = 1, finite = true})
  local T, N = X:shape()[1], X:shape()[2]
  k = A.count(k, "pca", 2, "k", {min = 1, max = math.min(T, N)})
  local Xc = X:astype("float64") - core.mean(X:astype("float64"), 1):reshape({1, N})
  if N > T then
    local vecs, vals = top_eigvecs(core.matmul(Xc, Xc:transpose()), k)
    for c = 1, k do vecs[c] = vecs[c] * math.sqrt(vals[c]) end
    return core.concatenate(vecs, 2)
  end
  local vecs = top_eigvecs(core.matmul(Xc:transpose(), Xc), k)
  return core.matmul(Xc, core.concatenate(vecs, 2))
end

local function manifold_figure(proj, colour, path)
  local fig = viz().figure{figsize = {6, 4}}
  local ax = fig:subplot(1, 1, 1)
  ax:scatter(proj:slice(2, 1):reshape({-1}), proj:slice(2, 2):reshape({-1}),
             {c = colour, cmap = "viridis", s = 2, alpha = 0.7})
  ax:set_title("Neural Manifold (PC1/PC2)", {fontsize = 12, fontweight = "bold"})
  ax:set_xticks({})
  ax:set_yticks({})
  fig:savefig(path, {dpi = 150})
end

local function indices(raw, n)
  local out = {}
  for tok in tostring(raw):gmatch("[^,%s]+") do
    local i = math.tointeger(tonumber(tok))
    if i and i >= 0 and i < n then out[#out + 1] = i + 1 end -- 0-based as upstream's field
  end
  if #out == 0 then out = {n // 2 + 1} end
  return out
end

-- The global step, the seed and the model every analysis of a model uses.
local function setup(p, class, size_key)
  local canns = require "canns"
  canns.set_dt(p.dt)
  canns.random.seed(p.seed)
  return canns, canns.models[class]{[size_key] = p[size_key], tau = p.tau, k = p.k, a = p.a,
                                    A = p.A, J0 = p.J0}
end

--- The bump's centre in each frame of a CANN2D's recorded rates r (T, n,
-- n), as (x, y) pixels, shape (T, 2): upstream's gallery decoder
-- (`GalleryRunner._decode_cann2d_center`: Gaussian smoothing of sigma 1,
-- threshold mean + 0.5 std, 4-connected blobs, the centre of mass of the
-- blob nearest the grid's centre; a frame without a blob repeats the
-- previous centre).  In C, OpenMP over frames.
-- @function decode_cann2d_centers
M.decode_cann2d_centers = core.decode_cann2d_centers

--- The `trajectory` analysis's data: the stimulus positions and the
-- decoded bump positions (both (T - warmup steps, 2), in [-pi, pi)) of a
-- CANN2D tracking upstream's square path.
-- @tparam table p parameters as `DEFAULTS.cann2d`
-- @treturn array true positions
-- @treturn array decoded positions
function M.trajectory_data(m, p)
  local canns = require "canns"
  local seg, warm = p.traj_segment, p.traj_warmup
  local task = canns.task.SmoothTracking2D{cann_instance = m,
    Iext = {{0, 0}, {0, 0}, {-2, 2}, {2, 2}, {2, -2}, {-2, -2}},
    duration = {warm, seg, seg, seg, seg}, time_step = p.dt}
  task:get_data()
  local out = canns.run(m, task.data, {record = {"r"}})
  local decoded = (core.decode_cann2d_centers(out.r) / m.length - 0.5) * (2 * math.pi)
  local T = out.r:shape()[1]
  local nw = math.floor(warm / p.dt)
  return task.Iext_sequence:slice(1, {nw + 1, T}), decoded:slice(1, {nw + 1, T})
end

local run_model = {}

function run_model.cann1d(analysis, p, path, log)
  local canns, m = setup(p, "CANN1D", "num")
  if analysis == "connectivity" then
    log("Rendering connectivity matrix...")
    conn_figure(m, path, "CANN1D Connectivity")
  elseif analysis == "energy" or analysis == "template" then
    log(analysis == "energy" and "Simulating energy landscape..." or "Simulating template matching...")
    local pos = analysis == "energy" and p.energy_pos or p.template_pos
    local dur = analysis == "energy" and p.energy_duration or p.template_duration
    local task = canns.task.TemplateMatching1D{cann_instance = m, Iext = pos, duration = dur,
                                               time_step = p.dt}
    task:get_data()
    local out = canns.run(m, task.data, {record = {"u", "inp"}})
    local sel = out.u:shape()[1] // 2 + 1
    local u, inp = out.u:slice(1, sel):reshape({-1}), out.inp:slice(1, sel):reshape({-1})
    if analysis == "energy" then
      viz().energy_landscape_1d_static({u = {m.x, u}}, {title = "Energy Landscape 1D", xlabel = "State",
                                        ylabel = "Activity", show = false, save_path = path})
    else
      local fig = viz().figure{figsize = {6, 4}}
      local ax = fig:subplot(1, 1, 1)
      ax:plot(m.x, inp, {color = "r", linestyle = "--", linewidth = 2, alpha = 0.6})
      ax:plot(m.x, u, {color = "b", linewidth = 2.5})
      ax:grid(true, {alpha = 0.3})
      ax:set_title("Template Matching", {fontsize = 12, fontweight = "bold"})
      fig:savefig(path, {dpi = 150})
    end
  elseif analysis == "tuning" then
    log("Simulating tuning curves...")
    local task = canns.task.SmoothTracking1D{cann_instance = m,
      Iext = {p.tuning_start, p.tuning_mid, p.tuning_end},
      duration = {p.tuning_duration, p.tuning_duration}, time_step = p.dt}
    task:get_data()
    local out = canns.run(m, task.data, {record = {"r"}})
    viz().tuning_curve(task.Iext_sequence:reshape({-1}), out.r, indices(p.tuning_neurons, p.num),
      {num_bins = math.tointeger(p.tuning_bins) or 50, pref_stim = m.x, title = "Tuning Curves",
       xlabel = "Stimulus", ylabel = "Average Rate", show = false, save_path = path})
  elseif analysis == "manifold" then
    log("Computing neural manifold...")
    local seg, warm = p.manifold_segment, p.manifold_warmup
    local task = canns.task.SmoothTracking1D{cann_instance = m,
      Iext = {0.0, 0.0, math.pi, 2 * math.pi, -2 * math.pi, 0.0},
      duration = {warm, seg, seg, seg, seg}, time_step = p.dt}
    task:get_data()
    local out = canns.run(m, task.data, {record = {"r"}})
    local nw = math.floor(warm / p.dt)
    local T = out.r:shape()[1]
    local proj = M.pca(out.r:slice(1, {nw + 1, T}), 2)
    manifold_figure(proj, task.Iext_sequence:reshape({-1}):slice(1, {nw + 1, T}), path)
  else
    return false
  end
  return true
end

function run_model.cann2d(analysis, p, path, log)
  local canns, m = setup(p, "CANN2D", "length")
  if analysis == "connectivity" then
    log("Rendering connectivity matrix...")
    conn_figure(m, path, "CANN2D Connectivity")
  elseif analysis == "energy" then
    log("Simulating energy landscape...")
    local task = canns.task.TemplateMatching2D{cann_instance = m, Iext = {p.energy_x, p.energy_y},
                                               duration = p.energy_duration, time_step = p.dt}
    task:get_data()
    local out = canns.run(m, task.data, {record = {"u"}})
    local sel = out.u:shape()[1] // 2 + 1
    viz().energy_landscape_2d_static(out.u:slice(1, sel):reshape({p.length, p.length}),
      {title = "Energy Landscape 2D", xlabel = "X", ylabel = "Y", show = false, save_path = path})
  elseif analysis == "firing_field" then
    log("Computing firing field...")
    local box = p.field_box
    local task = canns.task.OpenLoopNavigationTask{duration = p.field_duration, width = box,
      height = box, start_pos = {box / 2, box / 2}, speed_mean = p.field_speed,
      speed_std = p.field_speed_std, dt = p.dt, rng_seed = p.seed, progress_bar = false}
    task:get_data()
    local pos = task.data.position
    local T, n = pos:shape()[1], p.length * p.length
    -- the stimuli are made and the model run a block of steps at a time
    -- (upstream holds all T stimuli at once); only the rates are kept
    local act = canns.zeros({T, n})
    local block = 1000
    for t0 = 1, T, block do
      local t1 = math.min(T, t0 + block - 1)
      local stim = core.task_stimuli("gallery.run", m, pos:slice(1, {t0, t1}))
      local out = canns.run(m, stim, {record = {"r"}})
      act:slice(1, {t0, t1}):assign(out.r:reshape({t1 - t0 + 1, n}))
    end
    local ff = canns.analyzer.metrics.compute_firing_field(act, pos, box, box,
      p.field_resolution, p.field_resolution)
    ff = canns.analyzer.metrics.gaussian_smooth_heatmaps(ff, p.field_sigma)
    local cell = math.min(64, ff:shape()[1] - 1)
    viz().plot_firing_field_heatmap(ff:slice(1, cell + 1):reshape({p.field_resolution, p.field_resolution}),
      {title = ("Firing Field Cell %d"):format(cell), show = false, save_path = path})
  elseif analysis == "trajectory" then
    log("Computing trajectory comparison...")
    local tp, dp = M.trajectory_data(m, p)
    local fig = viz().figure{figsize = {6, 4}}
    local ax = fig:subplot(1, 1, 1)
    ax:plot(tp:slice(2, 1):reshape({-1}), tp:slice(2, 2):reshape({-1}),
            {color = "b", linewidth = 1.5, alpha = 0.6})
    ax:plot(dp:slice(2, 1):reshape({-1}), dp:slice(2, 2):reshape({-1}),
            {color = "r", linestyle = "--", linewidth = 1.5, alpha = 0.8})
    ax:grid(true, {alpha = 0.3})
    ax:set_aspect("equal")
    ax:set_title("Trajectory Comparison", {fontsize = 12, fontweight = "bold"})
    fig:savefig(path, {dpi = 150})
  elseif analysis == "manifold" then
    log("Computing neural manifold...")
    local seg, warm = p.manifold_segment, p.manifold_warmup
    local task = canns.task.SmoothTracking2D{cann_instance = m,
      Iext = {{0, 0}, {0, 0}, {math.pi, 0}, {math.pi, math.pi}, {0, math.pi}, {0, 0}},
      duration = {warm, seg, seg, seg, seg}, time_step = p.dt}
    task:get_data()
    local out = canns.run(m, task.data, {record = {"r"}})
    local nw = math.floor(warm / p.dt)
    local T = out.r:shape()[1]
    local r = out.r:reshape({T, -1}):slice(1, {nw + 1, T})
    local proj = M.pca(r, 2)
    local pos = task.Iext_sequence:slice(1, {nw + 1, T})
    manifold_figure(proj, pos:slice(2, 1):reshape({-1}), path)
  else
    return false
  end
  return true
end

function run_model.gridcell(analysis, p, path, log)
  local canns = require "canns"
  canns.set_dt(p.dt)
  -- upstream seeds 999 for the connectivity figure, the seed otherwise
  canns.random.seed(analysis == "connectivity" and 999 or p.seed)
  local m = canns.models.GridCell2DVelocity{length = p.length, tau = p.tau, alpha = p.alpha,
                                            W_l = p.W_l, lambda_net = p.lambda_net}
  local box = p.box_size
  if analysis == "connectivity" then
    log("Rendering connectivity matrix...")
    conn_figure(m, path, "Grid Cell Connectivity")
  elseif analysis == "energy" then
    log("Computing energy landscape...")
    local task = canns.task.OpenLoopNavigationTask{duration = p.energy_duration, width = box,
      height = box, start_pos = {box / 2, box / 2}, speed_mean = p.energy_speed,
      speed_std = p.energy_speed_std, dt = canns.get_dt(), rng_seed = p.seed, progress_bar = false}
    task:get_data()
    m:heal_network(p.energy_heal_steps, 1e-4)
    local out = canns.run(m, {velocity = task.data.velocity}, {record = {"s"}})
    local sel = math.floor(task.total_steps * 0.75) + 1
    local fig = viz().figure{figsize = {5, 5}}
    local ax = fig:subplot(1, 1, 1)
    ax:imshow(out.s:slice(1, sel):reshape({p.length, p.length}), {cmap = "viridis", origin = "lower"})
    ax:set_xticks({})
    ax:set_yticks({})
    ax:set_title("Energy Landscape", {fontsize = 12, fontweight = "bold"})
    fig:savefig(path, {dpi = 150})
  elseif analysis == "firing_field" then
    log("Computing firing field...")
    local res = p.field_resolution
    local rm = canns.analyzer.metrics.compute_systematic_ratemap(m, {box_width = box,
      box_height = box, resolution = res, speed = p.field_speed, num_batches = p.field_batches,
      verbose = false})
    -- (res, res, num) -> (num, res, res), as upstream's transpose
    local ff = rm:reshape({res * res, m.num}):transpose():reshape({m.num, res, res})
    ff = canns.analyzer.metrics.gaussian_smooth_heatmaps(ff, p.field_sigma)
    local cell = m.num // 2
    viz().plot_firing_field_heatmap(ff:slice(1, cell + 1):reshape({res, res}),
      {title = ("Grid Cell Field %d"):format(cell), show = false, save_path = path})
  elseif analysis == "path_integration" then
    log("Computing path integration...")
    M.path_integration_figure(m, p, path)
  elseif analysis == "manifold" then
    log("Computing neural manifold...")
    local res = p.field_resolution
    local rm = canns.analyzer.metrics.compute_systematic_ratemap(m, {box_width = box,
      box_height = box, resolution = res, speed = p.field_speed, num_batches = p.field_batches,
      verbose = false})
    local ff = rm:reshape({res * res, m.num}):transpose():reshape({m.num, res, res})
    ff = canns.analyzer.metrics.gaussian_smooth_heatmaps(ff, p.field_sigma)
    -- one point per spatial bin: the population's smoothed rates there
    local proj = M.pca(ff:reshape({m.num, res * res}):transpose(), 3)
    M.scatter3d_figure(proj, path, "Grid Cell Manifold")
  else
    return false
  end
  return true
end

--- A 3-D scatter of points (T, 3) drawn as matplotlib's default 3-D view
-- does (elevation 30, azimuth -60 degrees; each axis scaled to its data
-- range, the box 1 : 1 : 3/4), axes off as upstream's gallery figure, the
-- points drawn far to near and coloured by their third coordinate
-- (viridis, size 1, alpha 0.7).
-- @tparam array P (T, 3)
-- @string path
-- @string title
function M.scatter3d_figure(P, path, title)
  P = A.array(P, "scatter3d_figure", 1, "P", {shape = {-1, 3}, convert = true, finite = true})
  local rows = P:astype("float64"):totable()
  local xs0, ys0, ds = require("canns.analyzer.visualization.view3d").project(rows)
  local pts = {}
  for t = 1, #rows do pts[t] = {xs0[t], ys0[t], ds[t], rows[t][3]} end
  table.sort(pts, function(a, b) return a[3] < b[3] end)
  local xs, ys, cs = {}, {}, {}
  for t, q in ipairs(pts) do xs[t], ys[t], cs[t] = q[1], q[2], q[4] end
  local fig = viz().figure{figsize = {6, 5}}
  local ax = fig:subplot(1, 1, 1)
  ax:scatter(xs, ys, {c = cs, cmap = "viridis", s = 1, alpha = 0.7})
  ax:set_aspect("equal")
  ax:axis("off")
  ax:set_title(title, {fontsize = 12, fontweight = "bold"})
  fig:savefig(path, {dpi = 150})
end

--- The gridcell `path_integration` analysis (upstream
-- `GalleryRunner._run_gridcell`): heal the sheet, drive it with an
-- open-loop walk, track the bump (`track_blob_centers`), integrate its
-- displacements (jumps over 3 neurons replaced by the mean of their
-- neighbours, in order), fit one scale to the true path by least squares,
-- and plot both.  Returns the true and estimated positions `(T-1, 2)`.
-- @param m a GridCell2DVelocity
-- @tparam table p parameters as `DEFAULTS.gridcell`
-- @string[opt] path figure to save (none when nil)
-- @treturn array true positions
-- @treturn array estimated positions
function M.path_integration_figure(m, p, path)
  local canns = require "canns"
  local box = p.box_size
  m:heal_network(p.path_heal_steps, 1e-4)
  local task = canns.task.OpenLoopNavigationTask{duration = p.path_duration, width = box,
    height = box, start_pos = {box / 2, box / 2}, speed_mean = p.path_speed,
    speed_std = p.path_speed_std, dt = p.path_dt, rng_seed = p.seed, progress_bar = false}
  task:get_data()
  local truep = task.data.position
  local out = canns.run(m, {velocity = task.data.velocity}, {record = {"r"}})
  local T = out.r:shape()[1]
  local c = canns.models.grid_cell.track_blob_centers(out.r:reshape({T, -1}), m.length)
  local d = {}
  for t = 1, T - 1 do d[t] = {c[{t + 1, 1}] - c[{t, 1}], c[{t + 1, 2}] - c[{t, 2}]} end
  for i = 1, #d do -- upstream's loop: 0 < idx < len - 1 (0-based), in place
    if math.sqrt(d[i][1] ^ 2 + d[i][2] ^ 2) > 3.0 and i > 1 and i < #d then
      d[i] = {(d[i - 1][1] + d[i + 1][1]) / 2, (d[i - 1][2] + d[i + 1][2]) / 2}
    end
  end
  local est = canns.zeros({T - 1, 2}, "float64")
  local x0, y0 = truep[{1, 1}], truep[{1, 2}]
  local sx, sy, xy, xx = 0, 0, 0, 0
  for t = 1, T - 1 do
    sx, sy = sx + d[t][1], sy + d[t][2]
    est[{t, 1}], est[{t, 2}] = sx, sy
    xy = xy + sx * (truep[{t, 1}] - x0) + sy * (truep[{t, 2}] - y0)
    xx = xx + sx * sx + sy * sy
  end
  local scale = xy / (xx + 1e-8)
  est = est * scale + canns.array({{x0, y0}}, "float64")
  local tp = truep:slice(1, {1, T - 1})
  if path then
    local fig = viz().figure{figsize = {6, 4}}
    local ax = fig:subplot(1, 1, 1)
    ax:plot(tp:slice(2, 1):reshape({-1}), tp:slice(2, 2):reshape({-1}),
            {color = "b", alpha = 0.5, linewidth = 1.5, label = "True"})
    ax:plot(est:slice(2, 1):reshape({-1}), est:slice(2, 2):reshape({-1}),
            {color = "r", alpha = 0.7, linewidth = 1.5, label = "Estimated"})
    ax:set_aspect("equal")
    ax:grid(true, {alpha = 0.3})
    ax:set_title("Path Integration", {fontsize = 12, fontweight = "bold"})
    fig:savefig(path, {dpi = 150})
  end
  return tp, est
end

--- The gallery's terminal UI (`canns gallery [workdir]`; upstream
-- `canns.pipeline.gallery.gallery_main`): see canns.pipeline.tui.gallery.
-- @tparam[opt="."] string workdir figures go under `<workdir>/Results/gallery`
function M.gallery_main(workdir)
  return require("canns.pipeline.tui.gallery").main(workdir)
end

--- Another name for `gallery_main` (upstream `canns.pipeline.gallery.main`).
M.main = M.gallery_main

--- Run one analysis of one model and save its figure.
-- @tparam table opts `model` ("cann1d", "cann2d", "gridcell"), `analysis`, `out`
--   (folder, default "."), `params` (overrides of `DEFAULTS[model]`),
--   `log` (function receiving progress lines; default: none)
-- @treturn table `{success, output (png path), summary, error, elapsed}`
function M.run(opts)
  local F = "gallery.run"
  local o = A.options(opts, F, {"model", "analysis", "out", "params", "log"})
  local keys = {}
  for i, mdl in ipairs(M.MODELS) do keys[i] = mdl[1] end
  local model = A.string(o.model, F, "model", nil, {choices = keys})
  local akeys = {}
  for i, a in ipairs(M.ANALYSES[model]) do akeys[i] = a[1] end
  local analysis = A.string(o.analysis, F, "analysis", nil, {choices = akeys})
  local out = A.string(o.out, F, "out", nil, {default = "."})
  local log = A.callable(o.log, F, "log", nil, {optional = true}) or function() end
  local p = {}
  for k, v in pairs(M.DEFAULTS[model]) do p[k] = v end
  for k, v in pairs(A.table(o.params, F, "params", nil, {optional = true}) or {}) do
    if M.DEFAULTS[model][k] == nil then
      A.fail(F, "params", nil, "has no parameter '%s' for %s", tostring(k), model)
    end
    if type(M.DEFAULTS[model][k]) == "number" then
      local x = tonumber(v)
      if x == nil or x ~= x or x == math.huge or x == -math.huge then
        A.fail(F, "params." .. k, nil, "must be a finite number, got %s", A.describe(v))
      end
      v = x
    end
    p[k] = v
  end
  local int_max = {num = 8192, length = 256, tuning_bins = 8192, field_resolution = 1024,
                   field_batches = 1000000, energy_heal_steps = 10000000,
                   path_heal_steps = 10000000}
  for k, hi in pairs(int_max) do
    if p[k] ~= nil then
      local i = math.tointeger(p[k])
      if not i or i < 2 or i > hi then
        A.fail(F, "params." .. k, nil, "must be an integer in [2, %d], got %s", hi, A.describe(p[k]))
      end
      p[k] = i
    end
  end
  for _, k in ipairs({"dt", "tau"}) do
    if not (p[k] > 0) then A.fail(F, "params." .. k, nil, "must be > 0, got %s", A.describe(p[k])) end
  end
  for k, v in pairs(p) do
    if k:match("duration$") or k:match("segment$") or k:match("warmup$") then
      if not (v >= 0 and v / p.dt <= 1e6) then
        A.fail(F, "params." .. k, nil, "must be in [0, 1e6 * dt], got %s", A.describe(v))
      end
    end
  end
  core.mkdir(out)
  local path = ("%s/%s_%s_seed%s.png"):format(out, model, analysis, tostring(p.seed))
  local t0 = core.wallclock()
  log(("Running %s / %s..."):format(model, analysis))
  local ok, err = pcall(run_model[model], analysis, p, path, log)
  local dt = core.wallclock() - t0
  if ok then
    return {success = true, output = path, summary = ("Completed in %.1fs"):format(dt), elapsed = dt}
  end
  log("Error: " .. tostring(err))
  return {success = false, summary = ("Failed after %.1fs"):format(dt), error = tostring(err), elapsed = dt}
end

return M
