-- Driver of scripts/bench/cann: runs bench_cann (and the Python toolkit,
-- in its default mode and in accl_mode = "fast") once per configuration
-- and process, keeps the minimum time of REPEAT runs, and prints the
-- tables.  Both sides time their second call of the same size in the
-- process (the Python side's first compiles); our first call is shown
-- too, in its own column.  Every main-table time records u after every step from a
-- (T, N) input array, as users run a task; "not recording" is the same
-- run recording nothing.  arg: bench_cann path, python or "none",
-- repeats, "full" | "quick".
local bench, python, repeat_n, mode = arg[1], arg[2], tonumber(arg[3]), arg[4]
local py_fast_timeout = tonumber(os.getenv("PY_FAST_TIMEOUT") or "") or 240
local quick = mode == "quick"

local function run1(cmd)
  local p = assert(io.popen(cmd .. " 2>/dev/null"))
  local line = p:read("l")
  p:close()
  if not line then return nil end
  local dim, n, method, steps, us, mb, build = line:match("^(%S+) (%S+) (%S+) (%S+) (%S+) (%S+) (%S+)")
  if not us then return nil end
  -- bench_cann's ninth field: its first call of the process (the fifth is
  -- its second, timed as the Python side's second call)
  local first = line:match("^%S+ %S+ %S+ %S+ %S+ %S+ %S+ %S+ (%S+)")
  return {method = method, us = tonumber(us), mb = tonumber(mb), build = tonumber(build),
          first = tonumber(first)}
end

local function best(cmd, reps)
  local r
  for _ = 1, reps do
    local x = run1(cmd)
    if x and (not r or x.us < r.us) then r = x end
  end
  return r
end

local function ours(dim, n, method, steps, reps, mode)
  return best(string.format("%s %s %d %s %d %s", bench, dim, n, method, steps, mode or "record"),
              reps or repeat_n)
end

local function py(dim, n, steps, accl, reps)
  if python == "none" then return nil end
  local cmd = string.format("%s scripts/bench/cann_python.py %s %d %d %s record", python, dim, n,
                            steps, accl or "normal")
  if accl and accl ~= "normal" then cmd = "timeout " .. py_fast_timeout .. " " .. cmd end
  return best(cmd, reps or math.min(repeat_n, 2))
end

local function fmt_us(r) return r and string.format("%.1f", r.us) or "—" end
local function fmt_mb(r) return r and string.format("%.0f", r.mb) or "—" end
local function fmt_s(r) return r and string.format("%.1f", r.build / 1e3) or "—" end
local function ratio(a, b) return (a and b) and string.format("%.0f×", b.us / a.us) or "—" end
local function ratio2(a, b) return (a and b) and string.format("%.2f", a.us / b.us) or "—" end

-- the versions in the header
print(dofile("scripts/bench/header.lua").line(python))
print()

-- Steps per configuration: 10^4 for the fast path, fewer where a step
-- takes milliseconds (the time per step does not depend on the count).
-- Columns 6-7: steps of the dense reference and of the Python toolkit;
-- column 8: whether upstream's accl_mode = "fast" is timed (its SVD of the
-- connection matrix takes ~95 s at N = 4096 and grows as N^3: only the
-- sizes where it builds in reasonable time; PY_FAST_TIMEOUT bounds it).
local configs = {
  {"1d", 512, 10000, 10000, 10000, true},
  {"1d", 4096, 10000, 300, 1000, true},
  {"2d", 32, 10000, 500, 500, true},
  {"2d", 64, 2000, 50, 100, false},
  {"2d", 100, 1000, 20, 30, false},
  {"2d", 128, 1000, 10, 20, false},
}
if quick then configs = {configs[1], configs[5]} end

print("| model | size | auto picks | recording µs/step | first call µs/step | not recording µs/step | recording / not | dense µs/step | dense / auto | Python µs/step | Python peak MB | Python / auto | Python / first call | Python fast µs/step | fast build s | Python fast / auto |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for _, c in ipairs(configs) do
  local dim, n, sf, sd, sp, fast = table.unpack(c)
  local f = ours(dim, n, "auto", sf)
  local f0 = ours(dim, n, "auto", sf, nil, "input")
  local d = ours(dim, n, "dense", sd, 1)
  local p = py(dim, n, sp)
  local pf = fast and py(dim, n, sp, "fast", 1) or nil
  local f1 = f and f.first and {us = f.first} or nil
  print(string.format("| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
        dim == "1d" and "CANN1D" or "CANN2D", n, f and f.method or "?", fmt_us(f), fmt_us(f1),
        fmt_us(f0), ratio2(f, f0), fmt_us(d), ratio(f, d), fmt_us(p), fmt_mb(p), ratio(f, p),
        ratio(f1, p), fmt_us(pf), fmt_s(pf), ratio(f, pf)))
  io.stdout:flush()
end

if quick then return end

print()
print("Scaling of the fast path (no recording, zero input; auto is measured, estimate the size rule):")
print()
print("| model | N (neurons) | method | µs/step | ns / (N log2 N) | peak MB |")
print("|---|---|---|---|---|---|")
for _, n in ipairs({256, 512, 1024, 2048, 4096, 8192, 16384, 65536, 262144}) do
  local r = ours("1d", n, "auto", math.max(200, math.floor(4e7 / (n * math.log(n, 2)))), nil, "free")
  if r then
    print(string.format("| CANN1D | %d | %s | %.2f | %.3f | %.0f |", n, r.method, r.us,
                        r.us * 1e3 / (n * math.log(n, 2)), r.mb))
  end
  io.stdout:flush()
end
for _, L in ipairs({16, 32, 48, 64, 100, 128, 160, 200, 256}) do
  for _, method in ipairs({"auto", "estimate", "separable", "fft"}) do
    local N = L * L
    local r = ours("2d", L, method, math.max(50, math.floor(2e7 / (N * math.log(N, 2)))), nil,
                   "free")
    if r then
      print(string.format("| CANN2D %s | %d (L=%d) | %s | %.1f | %.3f | %.0f |", method, N, L,
                          r.method, r.us, r.us * 1e3 / (N * math.log(N, 2)), r.mb))
    end
    io.stdout:flush()
  end
end
