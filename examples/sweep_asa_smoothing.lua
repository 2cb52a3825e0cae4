-- An ASA sweep over the smoothing width: how the Gaussian smoothing of the
-- spike trains (SpikeEmbeddingConfig.sigma) changes what Attractor
-- Structure Analysis finds in a head-direction session (a ring: one long
-- H1 bar) and how well the decoded circular coordinate follows the true
-- heading.  Seven widths from 5 to 200 ms, run by canns.pipeline.Sweep (on
-- every core; it resumes when run again), drawn as two line plots.
--
--   build/canns examples/sweep_asa_smoothing.lua [output folder]
--   (default out/sweep_asa_smoothing)
--
-- The ASA chain of upstream `canns.analyzer.data.asa` (embed_spike_trains,
-- tda_vis, decode_circular_coordinates_multi) inside canns' sweep runner.
local canns = require "canns"
local asa = canns.analyzer.data.asa

local outdir = arg and arg[1] or "out/sweep_asa_smoothing"
local widths_ms = {5, 10, 20, 35, 50, 100, 200}

-- One synthetic session shared by every point (30 head-direction cells,
-- 40 s in 10 ms bins); each worker process makes it again, which is cheap.
local data = asa.synthetic_hd_session{T = 4000, N = 30, seed = 1}

-- mean absolute circular error after the best rotation (and reflection:
-- the sign of a cocycle is arbitrary)
local function circular_error(coords, times, hd)
  local best = math.huge
  for _, sign in ipairs({1, -1}) do
    local s, c, d = 0, 0, {}
    for i, t in ipairs(times) do
      d[i] = sign * coords:get(i, 1) - hd:get(t)
      s, c = s + math.sin(d[i]), c + math.cos(d[i])
    end
    local off, e = math.atan(s, c), 0
    for i = 1, #d do
      local x = (d[i] - off + math.pi) % (2 * math.pi) - math.pi
      e = e + math.abs(x)
    end
    best = math.min(best, e / #d)
  end
  return best
end

local sweep = canns.pipeline.Sweep{
  name = "asa_smoothing", out = outdir .. "/sweep", seed = 1,
  params = {sigma_ms = widths_ms},
  run = function(p)
    local cfg = asa.SpikeEmbeddingConfig{sigma = p.sigma_ms * 100, speed_filter = false} -- ticks of 10 us
    local E = asa.embed_spike_trains(data, cfg)
    local res = asa.tda_vis(E, asa.TDAConfig{maxdim = 1, n_points = 150, k = 100, nbs = 100,
                                             active_times = 1500, num_times = 2, show = false,
                                             progress_bar = false})
    local h1 = res.persistence.dgms[2]
    local life = {}
    for i = 1, h1:shape()[1] do
      local b, e = h1:get(i, 1), h1:get(i, 2)
      life[#life + 1] = e == math.huge and 0 or e - b
    end
    table.sort(life, function(a, b) return a > b end)
    local dec = asa.decode_circular_coordinates_multi(res, E, {num_circ = 1})
    return {h1_longest = life[1] or 0, h1_second = life[2] or 0, h1_bars = #life,
            decode_error = circular_error(dec.coords, dec.times, data.hd)}
  end}

local summary = sweep:run()
local ds = sweep:results()

-- [figures] persistence of the ring and the decoding error against the width
local viz = canns.analyzer.visualization
local fig = viz.figure{figsize = {10, 4}}
local ax = fig:subplot(1, 2, 1)
ax:plot(ds.sigma_ms, ds.h1_longest, {color = "C0", marker = "o", label = "longest H1 bar"})
ax:plot(ds.sigma_ms, ds.h1_second, {color = "C1", marker = "o", label = "second H1 bar"})
ax:set_xlabel("smoothing width sigma (ms)")
ax:set_ylabel("lifetime")
ax:set_title("Persistence of the ring")
ax:legend()
ax = fig:subplot(1, 2, 2)
ax:plot(ds.sigma_ms, ds.decode_error, {color = "C2", marker = "o"})
ax:set_xlabel("smoothing width sigma (ms)")
ax:set_ylabel("mean |error| (rad)")
ax:set_title("Decoded heading")
fig:savefig(outdir .. "/asa_smoothing.png", {dpi = 100})
-- [/figures]

print(("sweep: %d points done, %d failed"):format(summary.done, summary.failed))
for i, w in ipairs(widths_ms) do
  print(("  sigma %3d ms: H1 %.3f vs %.3f, decoding error %.3f rad"):format(
    w, ds.h1_longest:get(i), ds.h1_second:get(i), ds.decode_error:get(i)))
end
print("wrote " .. ds.path .. " and asa_smoothing.png to " .. outdir)
