-- Driver of scripts/bench/asa_anim (see there): arg[1] python or "none".
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa
local python = arg[1]

-- a decoded path of K points over T rows with Poisson activity
canns.random.seed(3)
local T, K = 20000, 15000
local rows = {}
for i = 1, T do rows[i] = i end
for i = T, 2, -1 do local j = math.random(i); rows[i], rows[j] = rows[j], rows[i] end
local pick = {}
for i = 1, K do pick[i] = rows[i] end
table.sort(pick)
local steps = canns.random.normal({K, 2}):totable()
local c, x, y = {}, 1.0, 2.0
for i = 1, K do
  x, y = (x + 0.05 * steps[i][1]) % (2 * math.pi), (y + 0.05 * steps[i][2]) % (2 * math.pi)
  c[i] = {x, y}
end
local coords, times = canns.array(c, "float64"), canns.array(pick, "int64")
local act = canns.random.uniform({T}) * 6
local dir = os.tmpname()
os.remove(dir)
canns.mkdir(dir)
coords:save(dir .. "/coords.npy")
local t0based = times - 1
t0based:save(dir .. "/times.npy")
act:save(dir .. "/activity.npy")
local dec = {coordsbox = coords, times_box = times}

local function ours(o)
  local b = math.huge
  for _ = 1, 3 do
    local t0 = core.wallclock()
    asa.bump_activity_maps(dec, act:reshape({T, 1}), o)
    b = math.min(b, core.wallclock() - t0)
  end
  return b
end

local function upstream(o)
  if python == "none" then return nil end
  local nf = o.n_frames or (times:max() - 1 - o.window_size) // o.frame_step
  local p = io.popen(string.format("timeout 900 %s scripts/bench/asa_anim_python.py %s %d %d %d %d 2>/dev/null",
                                   python, dir, o.numangsint, o.window_size, o.frame_step, nf))
  local s = p:read("a")
  p:close()
  return tonumber(s:match("^(%S+)"))
end

print(dofile("scripts/bench/header.lua").line(python, {"canns", "scipy", "numpy"}) ..
      string.format("; %d threads", canns.num_threads()))
print()
print("| maps | frames | ours (ms) | Python toolkit (ms) | ours vs upstream |")
print("|---|---:|---:|---:|---:|")
for _, case in ipairs({{"torus defaults (numangsint 51, window 300)", {numangsint = 51, window_size = 300, frame_step = 5, n_frames = 20}},
                       {"2-D defaults (numangsint 20, window 10), first 400 frames", {numangsint = 20, window_size = 10, frame_step = 5, n_frames = 400}}}) do
  local o = case[2]
  local a, u = ours(o), upstream(o)
  print(string.format("| %s | %d | %.1f | %s | %s |", case[1], o.n_frames, a * 1e3,
                      u and string.format("%.1f", u * 1e3) or "—", u and string.format("%.0f×", u / a) or "—"))
end
os.execute("rm -rf '" .. dir .. "'")
