-- A model-parameter sweep: tracking lag and bump width of CANN1D_SFA
-- against the connection strength k and the adaptation strength m, on a
-- grid of 3 x 4 points run by canns.pipeline.Sweep (on every core: each
-- worker process runs this script up to sweep:run()), drawn as heat maps.
-- Run it again and it resumes: finished points are not computed again.
--
--   build/canns examples/sweep_sfa_lag.lua [output folder]   (default out/sweep_sfa_lag)
--
-- The workflow of upstream's pipeline examples (the seed paper's parameter
-- sweeps), written with canns' sweep runner.
local canns = require "canns"

local outdir = arg and arg[1] or "out/sweep_sfa_lag"

local sweep = canns.pipeline.Sweep{
  name = "sfa_lag", out = outdir .. "/sweep", seed = 1,
  params = {k = {4.0, 8.1, 12.0}, m = {0.0, 0.1, 0.2, 0.3}},
  run = function(p, ctx)
    canns.set_dt(0.1)
    local cann = canns.models.CANN1D_SFA{num = 128, k = p.k, m = p.m}
    local task = canns.task.SmoothTracking1D{cann_instance = cann, Iext = {0, 3}, duration = {30},
                                             time_step = 0.1}
    task:get_data()
    local out = canns.run(cann, task.data, {record = {"u"}})
    local lag = canns.analyzer.tracking_lag(cann, out.u, task.Iext_sequence)
    local width = canns.analyzer.bump_width(cann, out.u)
    local T = lag:size()
    local tail = lag:slice(1, {T // 2 + 1, T})      -- after the bump has caught up
    return {lag = canns.mean(tail), width = canns.mean(width:slice(1, {T // 2 + 1, T}))}
  end}

local summary = sweep:run()
local ds = sweep:results()

-- [figures] heat maps of lag and width over (k, m)
local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {10, 4}}
for i, name in ipairs({"lag", "width"}) do
  local ax = fig:subplot(1, 2, i)
  local im = ax:imshow(ds[name], {cmap = "viridis", origin = "lower", aspect = "auto"})
  ax:colorbar(im, {label = name})
  ax:set_title(name == "lag" and "Tracking lag (rad)" or "Bump width (rad)")
  ax:set_xlabel("m (adaptation)")
  ax:set_ylabel("k (connection strength)")
  ax:set_xticks({0, 1, 2, 3}, {"0", "0.1", "0.2", "0.3"})
  ax:set_yticks({0, 1, 2}, {"4", "8.1", "12"})
end
fig:savefig(outdir .. "/sfa_lag_heatmap.png", {dpi = 100})
-- [/figures]

print(("sweep: %d points done, %d failed; lag at k=8.1: m=0 %.4f, m=0.3 %.4f"):format(
  summary.done, summary.failed, ds.lag:get(2, 1), ds.lag:get(2, 4)))
print("wrote " .. ds.path .. " and sfa_lag_heatmap.png to " .. outdir)
