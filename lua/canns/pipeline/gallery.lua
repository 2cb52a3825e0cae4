--- The model gallery: one figure per model and analysis, as upstream's
-- gallery runner (`canns.pipeline.gallery.runner.GalleryRunner`) makes
-- them, with its default parameters.
--
--     local g = canns.pipeline.gallery
--     local r = g.run{model = "cann1d", analysis = "tuning", out = "out/gallery"}
--     print(r.success, r.output, r.summary)
--
-- Models and analyses built: `cann1d` (connectivity, energy, tuning,
-- template, manifold) and `cann2d` (connectivity, energy, trajectory,
-- manifold).  Not built yet: `cann2d` firing_field (it needs upstream's
-- `compute_firing_field` and `gaussian_smooth_heatmaps`), and the
-- `gridcell` model.
-- @module canns.pipeline.gallery

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

--- The models and their analyses, as `{key, label}` pairs in display order.
M.MODELS = {
  {"cann1d", "CANN1D"},
  {"cann2d", "CANN2D"},
}
M.ANALYSES = {
  cann1d = {{"connectivity", "Connectivity Matrix"}, {"energy", "Energy Landscape"},
            {"tuning", "Tuning Curves"}, {"template", "Template Matching"},
            {"manifold", "Neural Manifold"}},
  cann2d = {{"connectivity", "Connectivity Matrix"}, {"energy", "Energy Landscape"},
            {"trajectory", "Trajectory Comparison"}, {"manifold", "Neural Manifold"}},
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
            traj_segment = 40.0, traj_warmup = 5.0,
            manifold_segment = 40.0, manifold_warmup = 5.0},
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

--- The gallery's terminal UI (`canns gallery [workdir]`; upstream
-- `canns.pipeline.gallery.gallery_main`): see canns.pipeline.tui.gallery.
-- @tparam[opt="."] string workdir figures go under `<workdir>/Results/gallery`
function M.gallery_main(workdir)
  return require("canns.pipeline.tui.gallery").main(workdir)
end

--- Run one analysis of one model and save its figure.
-- @tparam table opts `model` ("cann1d", "cann2d"), `analysis`, `out`
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
  for _, k in ipairs({"num", "length", "tuning_bins"}) do
    if p[k] ~= nil then
      local i = math.tointeger(p[k])
      if not i or i < 2 or i > (k == "length" and 256 or 8192) then
        A.fail(F, "params." .. k, nil, "must be an integer in [2, %d], got %s",
               k == "length" and 256 or 8192, A.describe(p[k]))
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
