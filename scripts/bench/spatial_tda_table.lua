-- Driver of scripts/bench/spatial_tda (see there): arg[1] python or "none",
-- arg[2] repeats.
local canns = require "canns"
local core = require "canns.core"
local asa = canns.analyzer.data.asa
local python, reps = arg[1], tonumber(arg[2])

-- a dense session: the synthetic grid module embedded (smoothed rates)
local data = asa.synthetic_grid_session{T = 20000, n_side = 6, seed = 1}
local E, x, y = asa.embed_spike_trains(data, {speed_filter = false})
local dense = {spike = E:astype("float64"), x = x, y = y}
local npz = os.tmpname() .. ".npz"
canns.io.save_npz(npz, dense)
local out = os.tmpname() .. "_dir"

local function ours(bins, crop, ns)
  local b = math.huge
  for _ = 1, reps do
    local t0 = core.wallclock()
    asa.run_spatial_tda_from_asa(dense, {out_dir = out, skip_embed = true, bins = bins, crop_fraction = crop, maxdim = 1,
                                         shuffle = ns > 0, num_shuffles = ns, seed = 0, progress_bar = false})
    b = math.min(b, core.wallclock() - t0)
  end
  return b
end

local function upstream(bins, crop, ns)
  if python == "none" then return nil end
  local p = io.popen(string.format("timeout 900 %s scripts/bench/spatial_tda_python.py %s %d %g %d 2>/dev/null",
                                   python, npz, bins, crop, ns))
  local s = p:read("a")
  p:close()
  return tonumber(s:match("^(%S+)"))
end

print(dofile("scripts/bench/header.lua").line(python, {"canns", "canns-lib", "scikit-learn"}) ..
      string.format("; %d threads", canns.num_threads()))
print()
print(("| session | bins | crop | points | shuffles | ours (ms) | Python toolkit (ms) | ours vs upstream |"))
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for _, case in ipairs({{50, 1 / 3, 0}, {50, 1 / 3, 20}, {40, 1.0, 0}}) do
  local bins, crop, ns = case[1], case[2], case[3]
  local frt, occ = asa.build_fr_tensor(dense.spike, x, y, {bins = bins})
  local pts = asa.fr_tensor_to_point_cloud(frt, occ, {crop_fraction = crop}):shape(1)
  local a, u = ours(bins, crop, ns), upstream(bins, crop, ns)
  print(string.format("| %d x %d | %d | %.2f | %d | %d | %.1f | %s | %s |", E:shape(1), E:shape(2), bins, crop, pts, ns,
                      a * 1e3, u and string.format("%.1f", u * 1e3) or "—", u and string.format("%.0f×", u / a) or "—"))
end
os.remove(npz)
os.execute("rm -rf '" .. out .. "'")
