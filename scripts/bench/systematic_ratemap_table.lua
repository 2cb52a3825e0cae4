-- Driver of scripts/bench/systematic_ratemap.  arg: python or "none",
-- repeats.  compute_systematic_ratemap of a healed GridCell2DVelocity at
-- the sizes of examples/grid_cell_velocity_spatial_analysis.lua (24 x 24
-- sheet, lambda_net 12, 0.72 m box, 24 x 24 bins, 1 m/s) and one larger
-- case, ours (1 and all threads) vs the Python toolkit in the same run.
local python, reps = arg[1], tonumber(arg[2])
local canns = require "canns"
local core = require "canns.core"
local M = canns.analyzer.metrics
local H = dofile("scripts/bench/header.lua")

local function ours(L, lam, box, res, speed, threads)
  canns.set_dt(5e-4)
  canns.random.seed(1)
  local nt = canns.num_threads()
  canns.set_num_threads(threads)
  local m = canns.models.GridCell2DVelocity{length = L, lambda_net = lam}
  m:heal_network{num_healing_steps = 10000, dt_healing = 2e-4}
  local opts = {box_width = box, box_height = box, resolution = res, speed = speed, num_batches = math.min(10, res), verbose = false}
  local b = math.huge
  for _ = 1, reps do
    local t0 = core.wallclock()
    M.compute_systematic_ratemap(m, opts)
    b = math.min(b, core.wallclock() - t0)
  end
  canns.set_num_threads(nt)
  return b
end

local function upstream(L, lam, box, res, speed)
  if python == "none" then return nil end
  local p = io.popen(string.format("timeout 1200 %s scripts/bench/systematic_ratemap_python.py %d %g %g %d %g 2>/dev/null",
                                   python, L, lam, box, res, speed))
  local s = p:read("a")
  p:close()
  local sec, rss = s:match("^(%S+) (%S+)")
  return tonumber(sec), tonumber(rss)
end

local cases = {
  {"example defaults", 24, 12, 0.72, 24, 1.0},
  {"40 x 40 sheet, 1.0 m box, 40 bins", 40, 17, 1.0, 40, 1.0},
}
print(H.line(python))
print()
print("| case | neurons | steps | canns 1 thread (s) | canns all threads (s) | Python toolkit (s) | upstream peak RSS (MB) | ours vs upstream |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for _, c in ipairs(cases) do
  local name, L, lam, box, res, speed = table.unpack(c)
  local dx = speed * 5e-4
  local nsteps = 2 * math.floor(box / dx) + res * math.floor(box / dx)
  local o1 = ours(L, lam, box, res, speed, 1)
  local on = ours(L, lam, box, res, speed, canns.num_threads())
  local up, rss = upstream(L, lam, box, res, speed)
  local best = math.min(o1, on)
  print(string.format("| %s | %d | %d | %.3f | %.3f | %s | %s | %s |", name, L * L, nsteps, o1, on,
                      up and string.format("%.3f", up) or "—", rss and string.format("%.0f", rss) or "—",
                      up and string.format("%.0f×", up / best) or "—"))
end
