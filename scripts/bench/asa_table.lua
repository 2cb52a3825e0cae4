-- Driver of scripts/bench/asa.  arg: python or "none", repeats, "quick" |
-- "full", number of null-model shuffles timed.
local canns = require "canns"
local asa = canns.analyzer.data.asa
local python, reps, mode, nshuf = arg[1], tonumber(arg[2]), arg[3], tonumber(arg[4])

local size = mode == "full"
  and {T = 238700, n_side = 13, tda = {}}
  or {T = 60000, n_side = 8, tda = {active_times = 3000, k = 300, n_points = 400, nbs = 300}}
local tcfg = {maxdim = 1, show = false, progress_bar = false}
for k, v in pairs(size.tda) do tcfg[k] = v end

local s = asa.synthetic_grid_session{T = size.T, n_side = size.n_side, seed = 1}
local N = #s.spike
local dir = os.tmpname()
os.remove(dir)
canns.mkdir(dir)
-- the session for the Python side
local flat, counts = {}, {}
for n = 1, N do
  counts[n] = s.spike[n]:size()
  for i = 1, counts[n] do flat[#flat + 1] = s.spike[n]:get(i) end
end
canns.array(flat, "float64"):save(dir .. "/spike_times.npy")
canns.array(counts, "int64"):save(dir .. "/spike_counts.npy")
s.t:save(dir .. "/t.npy"); s.x:save(dir .. "/x.npy"); s.y:save(dir .. "/y.npy")

-- wall-clock seconds (os.clock counts the CPU time of every thread)
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

local E, r
local ours = {}
ours.embed = best(function() E = asa.embed_spike_trains(s, {speed_filter = false}) end)
ours.tda = best(function() r = asa.tda_vis(E, tcfg) end)
ours.decode = best(function() asa.decode_circular_coordinates_multi(r, E, {num_circ = 2}) end)
-- the null model alone (tda_vis's shuffle stage), all threads and one thread
local function null_time(threads)
  local c = {}
  for k, v in pairs(tcfg) do c[k] = v end
  c.num_shuffles, c.shuffle_seed, c.num_threads = nshuf, 0, threads
  local Ef = E:astype("float32")
  return best(function() asa.shuffle_null_model_asa(Ef, c) end) / nshuf
end
ours.shuffle = null_time(0)
local shuffle1 = null_time(1)

local py = {}
if python ~= "none" then
  local tda_args = {}
  for k, v in pairs(size.tda) do tda_args[#tda_args + 1] = k .. "=" .. v end
  local cmd = string.format("%s scripts/bench/asa_python.py %s %d %d %s 2>/dev/null", python, dir,
                            math.min(reps, 2), nshuf, table.concat(tda_args, ","))
  local p = assert(io.popen(cmd))
  for line in p:lines() do
    local k, v = line:match("^(%w+) (%S+)$")
    if k then py[k] = tonumber(v) end
  end
  p:close()
end
os.execute("rm -rf '" .. dir .. "'")

local threads = canns.num_threads()
print(string.format("ASA chain on a synthetic grid session: %d samples x %d cells, TDA %s, %d threads",
                    size.T, N, mode == "full" and "defaults" or
                    string.format("active_times %d, k %d, n_points %d, nbs %d", tcfg.active_times,
                                  tcfg.k, tcfg.n_points, tcfg.nbs), threads))
print("")
print("| stage | canns (s) | upstream (s) | speed-up |")
print("|---|---:|---:|---:|")
local total_o, total_p = 0, 0
for _, k in ipairs({"embed", "tda", "shuffle", "decode"}) do
  local label = k == "shuffle" and "null model, per shuffle" or k
  local o, p = ours[k], py[k]
  total_o = total_o + (k == "shuffle" and 0 or o)
  if p then total_p = total_p + (k == "shuffle" and 0 or p) end
  print(string.format("| %s | %.3f | %s | %s |", label, o, p and string.format("%.3f", p) or "—",
                      p and string.format("%.0f×", p / o) or "—"))
end
print(string.format("| null model, per shuffle, 1 thread | %.3f | — | — |", shuffle1))
print(string.format("| embed + tda + decode | %.3f | %s | %s |", total_o,
                    py.decode and string.format("%.3f", total_p) or "—",
                    py.decode and string.format("%.0f×", total_p / total_o) or "—"))
