-- Driver of scripts/bench/navigation.  arg: bench binary, python or
-- "none", repeats, "full" | "quick".
local bench, python, reps, mode = arg[1], arg[2], tonumber(arg[3]), arg[4]
local quick = mode == "quick"
local canns = require "canns"

local function run(cmd)
  local p = assert(io.popen(cmd .. " 2>/dev/null"))
  local out = p:read("a")
  p:close()
  return out
end

local function best(f, n)
  local b
  for _ = 1, n do
    local t = f()
    if t and (not b or t < b) then b = t end
  end
  return b
end

local function ours(steps)
  return best(function()
    local s = run(string.format("%s single %d", bench, steps))
    return tonumber(s:match("^single %S+ (%S+)"))
  end, reps)
end

local function upstream(steps)
  if python == "none" then return nil end
  return best(function()
    return tonumber(run(string.format("%s scripts/bench/navigation_python.py agent %d", python, steps)))
  end, steps >= 1000000 and 1 or math.min(reps, 2))
end

local function fmt_t(t) return t and string.format("%.4f s", t) or "—" end
local function rate(n, t) return t and string.format("%.2f M", n / t / 1e6) or "—" end

print("| steps | canns (one C call) | steps/s | canns-lib (Python loop) | steps/s | ratio |")
print("|---:|---:|---:|---:|---:|---:|")
local top = quick and 5 or 6
for e = 2, top do
  local n = math.floor(10 ^ e + 0.5)
  local a, b = ours(n), upstream(n)
  print(string.format("| 10^%d | %s | %s | %s | %s | %s |", e, fmt_t(a), rate(n, a), fmt_t(b), rate(n, b),
                      (a and b) and string.format("%.1f×", b / a) or "—"))
end

print()
print("Many agents (`Agents`, 1000 steps each), by threads:")
print()
print("| agents | threads | time | agent steps/s | speed-up |")
print("|---:|---:|---:|---:|---:|")
local nthreads = canns.num_threads()
for _, n in ipairs(quick and {1000} or {1000, 10000}) do
  local t1
  for th = 1, math.max(1, nthreads) do
    local t = best(function()
      local s = run(string.format("%s agents %d 1000 %d", bench, n, th))
      return tonumber(s:match("^agents %S+ %S+ %S+ (%S+)"))
    end, reps)
    t1 = t1 or t
    print(string.format("| %d | %d | %s | %s | %s |", n, th, fmt_t(t), rate(n * 1000, t),
                        (t and t1) and string.format("%.2f×", t1 / t) or "—"))
  end
end

-- Task level: OpenLoopNavigationTask{duration = 1000, dt = 0.01}:get_data()
-- (1e5 steps with every derived array).
if canns.task.OpenLoopNavigationTask then
  print()
  print("| task | canns | canns 1.5 (Python) | ratio |")
  print("|---|---:|---:|---:|")
  local dur = quick and 100 or 1000
  local a = best(function()
    local t = canns.task.OpenLoopNavigationTask{duration = dur, dt = 0.01, rng_seed = 1, progress_bar = false}
    local t0 = os.clock()
    t:get_data()
    return os.clock() - t0
  end, reps)
  local b
  if python ~= "none" then
    b = best(function()
      return tonumber(run(string.format("%s scripts/bench/navigation_python.py task %g 0.01", python, dur)))
    end, 1)
  end
  print(string.format("| OpenLoopNavigationTask{duration = %d, dt = 0.01}:get_data() (%d steps) | %s | %s | %s |",
                      dur, dur * 100, fmt_t(a), fmt_t(b), (a and b) and string.format("%.0f×", b / a) or "—"))
end
