-- Driver of scripts/bench/hierarchical.  arg: python or "none", repeats,
-- "full" | "quick".
local python, reps, mode = arg[1], tonumber(arg[2]), arg[3]
local quick = mode == "quick"
local canns = require "canns"
local core = require "canns.core"
local M = canns.models

local function best_of(n, f)
  local b = math.huge
  for _ = 1, n do b = math.min(b, f()) end
  return b
end

-- constant velocity from (2.5, 2.5), as hierarchical_python.py
local function inputs(T)
  local v, p = {}, {}
  for i = 1, T do
    v[i] = {0.04, 0.02}
    p[i] = {2.5 + 0.04 * 0.05 * i, 2.5 + 0.02 * 0.05 * i}
  end
  return canns.array(v, "float32"), canns.array(p, "float32")
end

local RECORD = {"band_x_fr", "band_y_fr", "grid_fr", "place_fr"}

-- us per step through canns.run with the example's recording
local function ours(K, P, method, T, threads)
  canns.set_dt(0.05)
  canns.set_num_threads(threads or 0)
  local net = M.HierarchicalNetwork{num_module = K, num_place = P, method = method}
  local vel, loc = inputs(T)
  local us = best_of(reps, function()
    local t0 = core.wallclock()
    canns.run(net, {velocity = vel, loc = loc}, {record = RECORD})
    return (core.wallclock() - t0) / T * 1e6
  end)
  canns.set_num_threads(0)
  return us
end

local function upstream(K, P, T)
  if python == "none" then return nil end
  local p = io.popen(string.format("%s scripts/bench/hierarchical_python.py %d %d %d 2>/dev/null",
                                   python, K, P, T))
  local s = p:read("a")
  p:close()
  local us, rss = s:match("^(%S+) (%S+)")
  return tonumber(us), tonumber(rss)
end

local function f(x) return x and string.format("%.1f", x) or "—" end
local function ratio(a, b) return (a and b) and string.format("%.0f×", b / a) or "—" end

print(string.format("threads: %d; upstream: canns 1.5.0 (brainpy for_loop, JAX-CPU)", canns.num_threads()))
print()
print("| network | canns fft (µs/step) | canns fft, 1 thread | canns dense (µs/step) | Python toolkit (µs/step) | upstream peak RSS (MB) | fft vs upstream | dense vs upstream |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for _, c in ipairs(quick and {{3, 10}} or {{5, 30}, {3, 10}}) do
  local K, P = c[1], c[2]
  local T = quick and 300 or 2000
  local a = ours(K, P, "fft", T)
  local a1 = ours(K, P, "fft", T, 1)
  local b = ours(K, P, "dense", T)
  local u, rss = upstream(K, P, quick and 100 or 500)
  print(string.format("| HierarchicalNetwork(%d, %d) | %s | %s | %s | %s | %s | %s | %s |", K, P,
                      f(a), f(a1), f(b), f(u), f(rss), ratio(a, u), ratio(b, u)))
end
print()
print("Per step, recording band_x_fr, band_y_fr, grid_fr and place_fr every step (the example's recording).")
