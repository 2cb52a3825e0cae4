-- Driver of scripts/bench/figures: renders the energy-landscape
-- animations with 1 and 2 threads (and the Python toolkit when given),
-- keeps the best of REPEAT runs and prints frames per second.
-- arg: python or "none", repeats, "full" | "quick".
local canns = require "canns"
local viz = require "canns.analyzer.visualization"

local python, repeat_n, quick = arg[1], tonumber(arg[2]), arg[3] == "quick"
local print_table = print
print = function() end -- the animations announce their files; keep the table clean
local frames = quick and 30 or 90
local dir = os.tmpname()
os.remove(dir)
assert(os.execute("mkdir -p '" .. dir .. "'"))

-- the same bump data as scripts/bench/figures_python.py
local function data1d(T, n)
  local x = canns.linspace(-math.pi, math.pi, n)
  local u, inp = canns.zeros{T, n}, canns.zeros{T, n}
  for t = 1, T do
    local c = -2.5 + 5 * (t - 1) / (T - 1)
    local d = (x - c) * (x - c)
    u[t] = canns.exp(-d / 0.5) * 0.4
    inp[t] = canns.exp(-d / 0.25) * 0.8
  end
  return x, u, inp
end

local function data2d(T, L)
  local zs = canns.zeros{T, L, L}
  local r = canns.arange(0, L, 1, "float32")
  for t = 1, T do
    local c = 10 + (L - 20) * (t - 1) / (T - 1)
    local gy = canns.exp(-(r - c) * (r - c) / 40):reshape(L, 1)
    local gx = canns.exp(-(r - c) * (r - c) / 40):reshape(1, L)
    zs[t] = gy * gx
  end
  return zs
end

-- wall-clock seconds from clock_gettime (a `date` child would add a fork
-- of this large process to every interval)
local now = require("canns.core").wallclock

local function best(fn)
  local b = math.huge
  for _ = 1, repeat_n do
    local t0 = now()
    fn()
    b = math.min(b, now() - t0)
  end
  return b
end

-- T steps at 30 steps/s and 30 fps: one frame per step
local x, u, inp = data1d(frames, 512)
local zs = data2d(frames, 100)
local rows = {}
for _, case in ipairs{{"1-D", "gif"}, {"1-D", "mp4"}, {"2-D", "gif"}, {"2-D", "mp4"}} do
  local dim, ext = case[1], case[2]
  if ext == "mp4" and not viz.video_available() then goto continue end
  local fps = {}
  for _, workers in ipairs{1, 2} do
    local path = string.format("%s/bench-%s-%d.%s", dir, dim, workers, ext)
    local t = best(function()
      local opts = {time_steps_per_second = 30, fps = 30, save_path = path, show = false,
                    show_progress_bar = false, render_workers = workers}
      if dim == "1-D" then
        viz.energy_landscape_1d_animation({u = {x, u}, Iext = {x, inp}}, opts)
      else
        viz.energy_landscape_2d_animation(zs, opts)
      end
    end)
    fps[workers] = frames / t
  end
  local pyfps
  if python ~= "none" and ext == "gif" then
    local p = io.popen(string.format("%s scripts/bench/figures_python.py %s %d %s 2>/dev/null",
                                     python, dim == "1-D" and "1d" or "2d", frames, dir))
    local text = p and p:read("a") or ""
    pyfps = tonumber(text:match("([%d%.]+)%s*$"))
    if p then p:close() end
  end
  rows[#rows + 1] = {dim, ext, fps[1], fps[2], pyfps}
  ::continue::
end
os.execute("rm -rf '" .. dir .. "'")

print = print_table
print(dofile("scripts/bench/header.lua").line(python, {"canns", "matplotlib", "imageio"}))
print("")
print(string.format("Frames per second, %d frames, 1500x900 (1-D) and 1200x1050 (2-D) pixels", frames))
print("")
print("| animation | format | canns 1 thread | canns 2 threads | speed-up | Python toolkit (imageio, 1 worker) | canns 2 threads / Python |")
print("|---|---|---|---|---|---|---|")
for _, r in ipairs(rows) do
  print(string.format("| %s | %s | %.1f | %.1f | %.2f× | %s | %s |", r[1], r[2], r[3], r[4],
        r[4] / r[3], r[5] and string.format("%.2f", r[5]) or "—",
        r[5] and string.format("%.0f×", r[4] / r[5]) or "—"))
end
