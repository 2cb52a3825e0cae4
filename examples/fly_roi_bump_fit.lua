-- Fly ROI bump fitting: von Mises bumps fitted by MCMC to a ring of 16
-- ROIs over time, then an animation of the strongest bump.
--
--   build/canns examples/fly_roi_bump_fit.lua [output folder]   (default out/fly_roi_bump_fit)
--
-- Twin of examples/experimental_data_analysis/fly_roi_bump_fit.py of the
-- Python toolkit.  Upstream loads its ROI_data.txt (a download); this twin
-- makes a comparable recording: a bump of activity on 16 ROIs (as the
-- fly's ellipsoid-body wedges) turning with a random angular velocity,
-- with noise.  Fewer MCMC sweeps than upstream's 5000 so that it runs in
-- seconds.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/fly_roi_bump_fit"
canns.mkdir(outdir)

-- the recording: T frames x 16 ROIs
canns.random.seed(42)
local T, R = 400, 16
local omega = canns.random.normal({T}):totable()
local noise = canns.random.normal({T, R}):totable()
local data, mu = {}, 1.0
for t = 1, T do
  mu = (mu + 0.08 * omega[t]) % (2 * math.pi)
  data[t] = {}
  for j = 1, R do
    local x = 2 * math.pi * (j - 1) / R
    data[t][j] = 1 + 2.5 * math.exp(2.5 * (math.cos(x - mu) - 1)) + 0.15 * noise[t][j]
  end
end

local bumps, fits, nbump = asa.roi_bump_fits(data, {n_steps = 1500, n_roi = 16, random_seed = 42})
local counts = 0
for _, b in ipairs(bumps) do counts = counts + b.nbump end
print("Analysis complete!")
print(("Found %d bumps over %d time steps"):format(fits:shape(1), nbump:shape(1)))
print(("Average number of bumps: %.2f"):format(counts / #bumps))

print("Creating bump animation...")
local config = asa.CANN1DPlotConfig.for_bump_animation{
  show = false, save_path = outdir .. "/bump_analysis_demo.mp4", nframes = 100, fps = 10,
  title = "1D CANN Bump Analysis Demo", max_height_value = 0.6, show_progress_bar = true}
asa.create_1d_bump_animation(fits, config)
print("output folder: " .. outdir)
