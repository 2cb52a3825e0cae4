-- Driver of scripts/bench/cann: runs bench_cann (and the Python toolkit)
-- once per configuration and process, keeps the minimum time of REPEAT
-- runs, and prints the tables.  arg: bench_cann path, python or "none",
-- repeats, "full" | "quick".
local bench, python, repeat_n, mode = arg[1], arg[2], tonumber(arg[3]), arg[4]
local quick = mode == "quick"

local function run1(cmd)
  local p = assert(io.popen(cmd .. " 2>/dev/null"))
  local line = p:read("l")
  p:close()
  if not line then return nil end
  local dim, n, method, steps, us, mb, build = line:match("^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+)")
  if not us then return nil end
  return {method = method, us = tonumber(us), mb = tonumber(mb), build = tonumber(build)}
end

local function best(cmd, reps)
  local r
  for _ = 1, reps do
    local x = run1(cmd)
    if x and (not r or x.us < r.us) then r = x end
  end
  return r
end

local function ours(dim, n, method, steps, reps)
  return best(string.format("%s %s %d %s %d", bench, dim, n, method, steps), reps or repeat_n)
end

local function py(dim, n, steps)
  if python == "none" then return nil end
  return best(string.format("%s scripts/bench/cann_python.py %s %d %d", python, dim, n, steps),
              math.min(repeat_n, 2))
end

local function fmt_us(r) return r and string.format("%.1f", r.us) or "—" end
local function fmt_mb(r) return r and string.format("%.0f", r.mb) or "—" end
local function ratio(a, b) return (a and b) and string.format("%.0f×", b.us / a.us) or "—" end

-- Steps per configuration: 10^4 for the fast path, fewer where a step
-- takes milliseconds (the time per step does not depend on the count).
local configs = {
  {"1d", 512, 10000, 10000, 10000},
  {"1d", 4096, 10000, 300, 1000},
  {"2d", 32, 10000, 500, 500},
  {"2d", 64, 2000, 50, 100},
  {"2d", 100, 1000, 20, 30},
  {"2d", 128, 1000, 10, 20},
}
if quick then configs = {configs[1], configs[5]} end

print("| model | size | fast path | fast µs/step | fast peak MB | dense µs/step | dense peak MB | dense / fast | Python µs/step | Python peak MB | Python / fast |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for _, c in ipairs(configs) do
  local dim, n, sf, sd, sp = table.unpack(c)
  local f = ours(dim, n, "auto", sf)
  local d = ours(dim, n, "dense", sd, 1)
  local p = py(dim, n, sp)
  print(string.format("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
        dim == "1d" and "CANN1D" or "CANN2D", n, f and f.method or "?", fmt_us(f), fmt_mb(f),
        fmt_us(d), fmt_mb(d), ratio(f, d), fmt_us(p), fmt_mb(p), ratio(f, p)))
  io.stdout:flush()
end

if quick then return end

print()
print("Scaling of the fast path (automatic method):")
print()
print("| model | N (neurons) | method | µs/step | ns / (N log2 N) | peak MB |")
print("|---|---|---|---|---|---|")
for _, n in ipairs({256, 512, 1024, 2048, 4096, 8192, 16384, 65536, 262144}) do
  local r = ours("1d", n, "auto", math.max(200, math.floor(4e7 / (n * math.log(n, 2)))))
  if r then
    print(string.format("| CANN1D | %d | %s | %.2f | %.3f | %.0f |", n, r.method, r.us,
                        r.us * 1e3 / (n * math.log(n, 2)), r.mb))
  end
  io.stdout:flush()
end
for _, L in ipairs({16, 32, 48, 64, 100, 128, 160, 200, 256}) do
  for _, method in ipairs({"auto", "separable", "fft"}) do
    local N = L * L
    local r = ours("2d", L, method, math.max(50, math.floor(2e7 / (N * math.log(N, 2)))))
    if r then
      print(string.format("| CANN2D %s | %d (L=%d) | %s | %.1f | %.3f | %.0f |", method, N, L,
                          r.method, r.us, r.us * 1e3 / (N * math.log(N, 2)), r.mb))
    end
    io.stdout:flush()
  end
end
