-- Driver of scripts/bench/fly_roi (see there): arg[1] python or "none",
-- arg[2] repeats.
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa
local python, reps = arg[1], tonumber(arg[2])

-- the recording: a bump on 16 ROIs turning with a random angular velocity
local function recording(T)
  canns.random.seed(42)
  local omega, noise = canns.random.normal({T}):totable(), canns.random.normal({T, 16}):totable()
  local d, mu = {}, 1.0
  for t = 1, T do
    mu = (mu + 0.08 * omega[t]) % (2 * math.pi)
    d[t] = {}
    for j = 1, 16 do
      d[t][j] = 1 + 2.5 * math.exp(2.5 * (math.cos(2 * math.pi * (j - 1) / 16 - mu) - 1)) + 0.15 * noise[t][j]
    end
  end
  return canns.array(d, "float64")
end

local function ours(data, n)
  asa.roi_bump_fits(data, {n_steps = 5, random_seed = 1})
  local b = math.huge
  for _ = 1, reps do
    local t0 = core.wallclock()
    asa.roi_bump_fits(data, {n_steps = n, random_seed = 1})
    b = math.min(b, core.wallclock() - t0)
  end
  return b
end

local function upstream(data, n)
  if python == "none" then return nil end
  local path = os.tmpname() .. ".npy"
  data:save(path)
  local p = io.popen(string.format("timeout 900 %s scripts/bench/fly_roi_python.py %s %d 2>/dev/null", python, path, n))
  local s = p:read("a")
  p:close()
  os.remove(path)
  return tonumber(s:match("^(%S+)"))
end

print(dofile("scripts/bench/header.lua").line(python, {"canns", "numba", "numpy"}) ..
      string.format("; %d threads", canns.num_threads()))
print()
print("| recording | sweeps | proposals | ours (ms) | Python toolkit (ms) | ours vs upstream |")
print("|---|---:|---:|---:|---:|---:|")
for _, case in ipairs({{400, 1000}, {1000, 2000}}) do
  local T, n = case[1], case[2]
  local data = recording(T)
  local a, u = ours(data, n), upstream(data, n)
  print(string.format("| %d frames x 16 ROIs | %d | %.1e | %.1f | %s | %s |", T, n, T * n, a * 1e3,
                      u and string.format("%.1f", u * 1e3) or "—", u and string.format("%.0f×", u / a) or "—"))
end
