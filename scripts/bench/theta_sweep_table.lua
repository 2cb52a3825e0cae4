-- Driver of scripts/bench/theta_sweep.  arg: python or "none", repeats,
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

-- the inputs of a straight run (as theta_sweep_python.py)
local function inputs(T)
  local pos = canns.zeros({T, 2}, "float32")
  for i = 1, T do pos[{i, 1}], pos[{i, 2}] = 0.2 + 0.002 * (i - 1), 0.5 end
  local _, mhd, mgc = M.calculate_theta_modulation(canns.arange(0, T, 1), canns.ones({T}),
                                                   canns.zeros({T}), 1.0, 1.0, 100.0)
  return pos, mhd, mgc
end

-- us per step of the chain: both networks through canns.run, recording the
-- direction rates (the grid module's input) and the grid centre position
local function ours(L, method, T)
  canns.set_dt(1.0)
  local dc = M.DirectionCellNetwork{num = 100, adaptation_strength = 15, noise_strength = 0}
  local gc = M.GridCellNetwork{num_dc = 100, num_gc_x = L, adaptation_strength = 25,
                               mapping_ratio = 10, noise_strength = 0, method = method}
  local pos, mhd, mgc = inputs(T)
  local hd = canns.zeros({T}, "float32")
  return best_of(reps, function()
    local t0 = core.wallclock()
    local d = canns.run(dc, {head_direction = hd, theta_input = mhd}, {record = {"r"}})
    canns.run(gc, {animal_position = pos, direction_activity = d.r, theta_modulation = mgc},
              {record = {"center_position"}})
    return (core.wallclock() - t0) / T * 1e6
  end)
end

local function upstream(L, T)
  if python == "none" then return nil end
  local p = io.popen(string.format("%s scripts/bench/theta_sweep_python.py %d %d 2>/dev/null",
                                   python, L, T))
  local s = p:read("a")
  p:close()
  local us, rss = s:match("^(%S+) (%S+)")
  return tonumber(us), tonumber(rss)
end

local function f(x) return x and string.format("%.1f", x) or "—" end
local function ratio(a, b) return (a and b) and string.format("%.0f×", b / a) or "—" end

print(string.format("threads: %d; upstream: canns 1.5.0 (brainpy for_loop, JAX-CPU)", canns.num_threads()))
print()
print("| chain | num_gc_x | grid neurons | canns fft (µs/step) | canns dense (µs/step) | Python toolkit (µs/step) | upstream peak RSS (MB) | fft vs upstream | dense vs upstream |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for _, L in ipairs(quick and {30} or {30, 100}) do
  local T = L >= 100 and 200 or 1000
  local a = ours(L, "fft", T)
  local b = ours(L, "dense", L >= 100 and 50 or T)
  local u, rss = upstream(L, L >= 100 and 100 or T)
  print(string.format("| direction(100) -> grid | %d | %d | %s | %s | %s | %s | %s | %s |", L, L * L,
                      f(a), f(b), f(u), f(rss), ratio(a, u), ratio(b, u)))
end
print()
print("Scaling with num_gc_x (ours, fft, µs/step of the chain):")
print()
print("| num_gc_x | grid neurons | fft | fft memory (sheets + kernel spectra) |")
print("|---:|---:|---:|---:|")
for _, L in ipairs(quick and {20, 50} or {20, 50, 100, 200}) do
  local T = math.max(50, math.floor(2e6 / (L * L)))
  local mem = ((L % 2 == 0 and 4 or 1) * L * (L // 2 + 1) * 8 + 10 * L * L * 4) / 2 ^ 20
  print(string.format("| %d | %d | %s | %.2f MB |", L, L * L, f(ours(L, "fft", T)), mem))
end
