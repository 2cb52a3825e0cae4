-- Driver of scripts/bench/gridcell.  arg: python or "none", repeats,
-- "full" | "quick".
local python, reps, mode = arg[1], tonumber(arg[2]), arg[3]
local quick = mode == "quick"
local canns = require "canns"
local core = require "canns.core"

local function best_of(n, f)
  local b = math.huge
  for _ = 1, n do b = math.min(b, f()) end
  return b
end

-- us per step of canns.run recording r
local function ours(kind, L, method, steps)
  local m, inp
  if kind == "velocity" then
    canns.set_dt(5e-4)
    m = canns.models.GridCell2DVelocity{length = L, method = method}
    inp = canns.zeros{steps, 2}
    for t = 1, steps do inp[{t, 1}], inp[{t, 2}] = 0.3, 0.1 end
  else
    canns.set_dt(1.0)
    m = canns.models.GridCell2DPosition{length = L, method = method}
    inp = canns.zeros{steps, 2}
    for t = 1, steps do
      local x = (t - 1) * 0.01
      inp[{t, 1}], inp[{t, 2}] = math.cos(x), math.sin(x)
    end
  end
  local name = kind == "velocity" and "velocity" or "position"
  canns.run(m, {[name] = inp:slice(1, {1, math.min(steps, 20)})}, {record = {"r"}}) -- warm-up
  return best_of(reps, function()
    local t0 = core.wallclock()
    canns.run(m, {[name] = inp}, {record = {"r"}})
    return (core.wallclock() - t0) / steps * 1e6
  end)
end

local function upstream(kind, L, steps)
  if python == "none" then return nil end
  local p = io.popen(string.format("%s scripts/bench/gridcell_python.py %s %d %d 2>/dev/null", python,
                                   kind, L, steps))
  local s = p:read("a")
  p:close()
  local us, rss = s:match("^(%S+) (%S+)")
  return tonumber(us), tonumber(rss)
end

local function f(x) return x and string.format("%.1f", x) or "—" end
local function ratio(a, b) return (a and b) and string.format("%.0f×", b / a) or "—" end

print(string.format("threads: %d; upstream: canns 1.5.0 (brainpy for_loop, JAX-CPU)", canns.num_threads()))
print()
print("| model | L | neurons | canns fft (µs/step) | canns dense (µs/step) | Python toolkit (µs/step) | upstream peak RSS (MB) | fft vs upstream | dense vs upstream |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
for _, L in ipairs(quick and {40} or {40, 100}) do
  local steps = L >= 100 and 300 or 2000
  local a = ours("velocity", L, "fft", steps)
  local b = ours("velocity", L, "dense", L >= 100 and 100 or steps)
  local u, rss = upstream("velocity", L, L >= 100 and 100 or steps)
  print(string.format("| GridCell2DVelocity | %d | %d | %s | %s | %s | %s | %s | %s |", L, L * L, f(a), f(b),
                      f(u), f(rss), ratio(a, u), ratio(b, u)))
end
for _, L in ipairs(quick and {30} or {30, 64}) do
  local steps = L >= 64 and 300 or 1000
  local a = ours("position", L, "fft", steps)
  local b = ours("position", L, "dense", steps)
  local u, rss = upstream("position", L, steps)
  print(string.format("| GridCell2DPosition | %d | %d | %s | %s | %s | %s | %s | %s |", L, L * L, f(a), f(b),
                      f(u), f(rss), ratio(a, u), ratio(b, u)))
end
print()
print("Scaling of GridCell2DVelocity with L (ours, µs/step recording r):")
print()
print("| L | neurons | fft | dense | fft memory (state + kernels) |")
print("|---:|---:|---:|---:|---:|")
for _, L in ipairs(quick and {16, 40} or {16, 32, 40, 64, 100, 128, 256}) do
  local steps = math.max(50, math.floor(2e6 / (L * L)))
  local a = ours("velocity", L, "fft", steps)
  local b = L <= 64 and ours("velocity", L, "dense", math.max(20, steps // 10)) or nil
  local mem = (6 * L * (L // 2 + 1) * 16 + 4 * L * L * 8) / 2 ^ 20
  print(string.format("| %d | %d | %s | %s | %.2f MB |", L, L * L, f(a), f(b), mem))
end
