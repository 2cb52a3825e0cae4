-- Driver of scripts/bench/cell_classification.  arg: python or "none",
-- repeats, "quick" | "full".
local canns = require "canns"
local cc = canns.analyzer.data.cell_classification
local python, reps, mode = arg[1], tonumber(arg[2]), arg[3]

local n_maps = mode == "full" and 1000 or 200
local n_py_maps = mode == "full" and 200 or 50     -- upstream: per-map time from a subset
local n_spikes = mode == "full" and 1000000 or 200000
local n_pos = mode == "full" and 500000 or 100000

-- noisy hexagonal 50x50 maps at random spacings and orientations
local g = canns.random.Generator(1)
local maps = {}
local sp = g:uniform({n_maps}, 0.35, 1.0, "float64"):totable()
local th = g:uniform({n_maps}, 0, 60, "float64"):totable()
local noise = g:normal({n_maps, 50, 50}, 0, 1.5, "float64")
for k = 1, n_maps do
  local t = {}
  local kk = 2 * math.pi / sp[k]
  for i = 1, 50 do
    local y = -2 + 4 * (i - 1) / 49
    t[i] = {}
    for j = 1, 50 do
      local x = -2 + 4 * (j - 1) / 49
      local v = 0
      for _, a in ipairs{0, 60, 120} do
        local r = math.rad(a + th[k])
        v = v + math.cos(kk * (x * math.cos(r) + y * math.sin(r)))
      end
      t[i][j] = (v / 3 + 1.5) / 2.5 * 10
    end
  end
  maps[k] = t
end
local M = canns.array(maps, "float64") + noise
M = canns.maximum(M, 0)
-- a random walk and Poisson-like spike times
local steps = g:normal({n_pos, 2}, 0, 0.01, "float64")
local pos = canns.cumsum(steps, 1)
local t = canns.arange(0, n_pos, 1, "float64") * 0.02
local spikes = canns.cumsum(g:uniform({n_spikes}, 0, 2 * 0.02 * n_pos / n_spikes, "float64"), 1)

-- 500 synthetic cells (bursty, theta-modulated, Poisson) over 60 s
local btn_cells = cc.synthetic_btn_spike_trains{n_per_class = 167, duration = 60, seed = 3}
local btn_n = #btn_cells.spike
btn_cells.spike[btn_n] = nil -- 500 cells
btn_cells.truth[btn_n] = nil
btn_n = btn_n - 1
local btn_an = cc.BTNAnalyzer(cc.BTNConfig{n_clusters = 3, nbs = 40, smooth_sigma = 2.0})

local dir = os.tmpname()
os.remove(dir)
canns.mkdir(dir)
M:slice(1, {1, n_py_maps}):save(dir .. "/maps.npy")
spikes:save(dir .. "/spikes.npy"); pos:save(dir .. "/pos.npy"); t:save(dir .. "/t.npy")
do
  local flat, off = {}, {0}
  for i, s in ipairs(btn_cells.spike) do
    for _, v in ipairs(s:totable()) do flat[#flat + 1] = v end
    off[i + 1] = #flat
  end
  canns.array(flat, "float64"):save(dir .. "/btn_spikes.npy")
  canns.array(off, "int64"):save(dir .. "/btn_offsets.npy")
  btn_cells.t:save(dir .. "/btn_t.npy")
end

-- wall-clock seconds from clock_gettime (a `date` child would add a fork
-- of this large process to every interval)
local wtime = require("canns.core").wallclock
local function best(f)
  local b = math.huge
  for _ = 1, reps do
    local t0 = wtime()
    f()
    b = math.min(b, wtime() - t0)
  end
  return b
end

local an = cc.GridnessAnalyzer()
local nt = canns.num_threads()
local ours = {}
for _, threads in ipairs{1, nt} do
  canns.set_num_threads(threads)
  ours["gridness" .. threads] = best(function()
    an:compute_gridness_scores(cc.compute_2d_autocorrelations(M))
  end) / n_maps
  ours["ratemap" .. threads] = best(function()
    cc.compute_rate_map(spikes, pos, t, {spatial_bins = 40, smoothing_sigma = 1.5})
  end)
  ours["btn" .. threads] = best(function() btn_an:classify_btn(btn_cells) end)
end
canns.set_num_threads(nt)
-- one map at a time through the Lua API (no batch)
ours.gridness_single = best(function()
  for k = 1, 50 do an:compute_gridness_score(cc.compute_2d_autocorrelation(M[k])) end
end) / 50

local py = {}
if python ~= "none" then
  local p = assert(io.popen(string.format("%s scripts/bench/cell_classification_python.py %s %d 2>/dev/null",
                                          python, dir, math.min(reps, 2))))
  for line in p:lines() do
    local k, v = line:match("^(%w+) (%S+)$")
    if k then py[k] = tonumber(v) end
  end
  p:close()
end
os.execute("rm -rf '" .. dir .. "'")

local function fmt(x) return x and string.format("%.3f", x * 1000) or "—" end
local function ratio(p, o) return p and string.format("%.0f×", p / o) or "—" end
print(string.format("cell classification: %d maps 50x50 (upstream timed on %d), rate map of %d spikes on %d samples, 40x40 bins; %d threads available",
                    n_maps, n_py_maps, n_spikes, n_pos, nt))
print("")
print("| task | canns 1 thread (ms) | canns " .. nt .. " threads (ms) | upstream (ms) | speed-up (" .. nt .. " threads) |")
print("|---|---:|---:|---:|---:|")
print(string.format("| gridness, per map (autocorrelogram + score, batch) | %s | %s | %s | %s |",
                    fmt(ours.gridness1), fmt(ours["gridness" .. nt]), fmt(py.gridness), ratio(py.gridness, ours["gridness" .. nt])))
print(string.format("| gridness, per map, one call per map | %s | — | %s | %s |", fmt(ours.gridness_single),
                    fmt(py.gridness), ratio(py.gridness, ours.gridness_single)))
print(string.format("| rate map | %s | %s | %s | %s |", fmt(ours.ratemap1), fmt(ours["ratemap" .. nt]), fmt(py.ratemap),
                    ratio(py.ratemap, ours["ratemap" .. nt])))
print(string.format("| BTN, %d cells (60 s, 3 clusters, 40 neighbours) | %s | %s | %s | %s |", btn_n, fmt(ours.btn1),
                    fmt(ours["btn" .. nt]), fmt(py.btn), ratio(py.btn, ours["btn" .. nt])))
