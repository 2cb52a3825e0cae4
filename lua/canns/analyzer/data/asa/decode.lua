--- Decoding circular coordinates from H1 cocycles (upstream
-- `canns.analyzer.data.asa.decode`).
-- @module canns.analyzer.data.asa.decode

local core = require "canns.core"
local A = require "canns.argcheck"

local M = {}

local P = 47 -- upstream hard-codes the lifting prime (independent of TDAConfig.coeff)

local function check_persistence(res, fname)
  A.table(res, fname, 1, "persistence_result")
  local ph = res.persistence
  if type(ph) ~= "table" or type(ph.dgms) ~= "table" or ph.dgms[2] == nil then
    A.fail(fname, 1, "persistence_result", "must be the result of tda_vis with maxdim >= 1 "
           .. "(persistence.dgms[2] is missing)")
  end
  if type(ph.cocycles) ~= "table" or type(ph.cocycles[2]) ~= "table" then
    A.fail(fname, 1, "persistence_result", "has no H1 cocycles (run tda_vis with do_cocycles = true)")
  end
  if not core.isarray(ph.dperm2all) then
    A.fail(fname, 1, "persistence_result", "has no distance matrix (persistence.dperm2all)")
  end
  A.array(res.indstemp, fname, 1, "persistence_result.indstemp", {ndim = 1})
  A.array(res.movetimes, fname, 1, "persistence_result.movetimes", {ndim = 1})
  return ph
end

-- H1 bars ordered by lifetime, longest first (infinite deaths count as 0,
-- as upstream; ties: the later bar first, as the tail of a stable argsort).
local function bars_by_life(dgm)
  local bars = {}
  for i = 1, dgm:shape(1) do
    local b, d = dgm:get(i, 1), dgm:get(i, 2)
    if d == math.huge then d = 0 end
    bars[i] = {i = i, birth = b, death = d, life = d - b}
  end
  table.sort(bars, function(a, b)
    if a.life ~= b.life then return a.life > b.life end
    return a.i > b.i
  end)
  return bars
end

local function vertex_phases(ph, bar, threshold, n)
  return core.asa.cocycle_coords(ph.cocycles[2][bar.i], threshold, ph.dperm2all, P)
end

local function sample_rows(res)
  local rows = {}
  local mt = res.movetimes
  for i = 1, res.indstemp:size() do rows[i] = mt:get(res.indstemp:get(i)) end
  return core.array(rows, "int64")
end

local function save(path, out, fname)
  if path == nil then return end
  A.string(path, fname, "save_path")
  require("canns.io").save_npz(path, {
    coords = out.coords, coordsbox = out.coordsbox,
    times = out.times - 1, times_box = out.times_box - 1,
    centcosall = out.centcosall, centsinall = out.centsinall})
end

--- Decode `num_circ` circular coordinates (the v2 decoder, upstream
-- `decode_circular_coordinates_multi`).
--
-- For the i-th longest H1 bar, the cocycle's coefficients (lifted with
-- p = 47) are integrated over the graph of sample pairs at distance in
-- (0, birth + 0.99 (death - birth)] (least squares, minimum norm), giving a
-- phase per sampled point; each neuron's z-scored activity at the samples
-- weights cos/sin of those phases; the phase at time t is
-- atan2(sum_n Z[t,n] S[n], sum_n Z[t,n] C[n]) over the z-scored activity Z
-- at the rows with any activity > 0.
--
-- @tparam table persistence_result the result of `tda_vis`
-- @param spike_data the activity that went into `tda_vis`: an array
--   {T, N}, or a table whose `spike` entry is that array
-- @tparam[opt] table opts `num_circ` (2), `save_path` (an `.npz` with
--   upstream's keys; indices in it are 0-based like upstream's)
-- @treturn table `coords` (float64 {T'', num_circ}, radians in [0, 2 pi)),
--   `coordsbox` (the same), `times`, `times_box` (1-based rows of the
--   activity, int64), `centcosall`, `centsinall` ({N, num_circ, n_points})
function M.decode_circular_coordinates_multi(persistence_result, spike_data, opts)
  local fname = "decode_circular_coordinates_multi"
  local ph = check_persistence(persistence_result, fname)
  local o = A.options(opts, fname, {"num_circ", "save_path"})
  local K = A.int(o.num_circ, fname, "num_circ", nil, {min = 1, default = 2, max = 64})
  local E = spike_data
  if type(spike_data) == "table" and not core.isarray(spike_data) then E = spike_data.spike end
  E = A.array(E, fname, 2, "spike_data.spike", {convert = true, ndim = 2})
  local bars = bars_by_life(ph.dgms[2])
  if #bars < K or #ph.cocycles[2] < K then
    A.fail(fname, "num_circ", nil, "asks for %d circular coordinates, but only %d H1 feature(s) "
           .. "are available (the time window may be too short, the data too sparse, or the "
           .. "embedding parameters unsuitable), got %d", K, #bars, K)
  end
  local n = persistence_result.indstemp:size()
  local theta = {}
  for i = 1, K do
    local bar = bars[i]
    local thr = bar.birth + (bar.death - bar.birth) * 0.99
    theta[i] = vertex_phases(ph, bar, thr, n):totable()
  end
  local coords, times, ccos, csin = core.asa.decode_project(E, sample_rows(persistence_result),
                                                            core.array(theta, "float64"))
  local out = {coords = coords, coordsbox = coords:copy(), times = times, times_box = times:copy(),
               centcosall = ccos, centsinall = csin}
  save(o.save_path, out, fname)
  return out
end

-- the two longest H1 bars' phases with the 2nd bar's threshold (the
-- legacy decoders)
local function legacy_theta(res, ph, fname)
  local bars = bars_by_life(ph.dgms[2])
  if #bars < 2 or #ph.cocycles[2] < 2 then
    A.fail(fname, 1, "persistence_result", "has %d H1 feature(s), the legacy decoders need 2 "
           .. "(the time window may be too short or the data too sparse)", #bars)
  end
  local b2 = bars[2]
  local thr = b2.birth + (b2.death - b2.birth) * 0.99
  local n = res.indstemp:size()
  return core.array({vertex_phases(ph, bars[1], thr, n):totable(),
                     vertex_phases(ph, bars[2], thr, n):totable()}, "float64")
end

local function rows_with_activity(C)
  local T, N = C:shape(1), C:shape(2)
  local any = C:gt(0):astype("float64"):matmul(core.ones({N, 1}, "float64"))
  local t = {}
  for i = 1, T do if any:get(i, 1) > 0 then t[#t + 1] = i end end
  return core.array(t, "int64")
end

--- The legacy decoder (upstream `decode_circular_coordinates`, "v0"):
-- always two circles, both integrated at the threshold of the second
-- longest H1 bar; the spikes of `spike_data` are embedded again with
-- `SpikeEmbeddingConfig` defaults (speed filter as `real_ground`), so the
-- parameters of the caller's embedding are ignored (upstream's quirk:
-- `movetimes` must still index that embedding); `times` are the rows with
-- any spike in the unsmoothed embedding, the projection uses the smoothed
-- one.  With `real_of = false` `coordsbox` / `times_box` come from the
-- speed-filtered embedding.
-- @tparam table persistence_result the result of `tda_vis`
-- @tparam table spike_data `{spike, t, x, y}` (spike times)
-- @tparam[opt] table opts `real_ground` (true), `real_of` (true), `save_path`
-- @treturn table as `decode_circular_coordinates_multi`
function M.decode_circular_coordinates(persistence_result, spike_data, opts)
  local fname = "decode_circular_coordinates"
  local ph = check_persistence(persistence_result, fname)
  local o = A.options(opts, fname, {"real_ground", "real_of", "save_path"})
  local rg = A.boolean(o.real_ground, fname, "real_ground", nil, {default = true})
  local rof = A.boolean(o.real_of, fname, "real_of", nil, {default = true})
  A.table(spike_data, fname, 2, "spike_data")
  local theta = legacy_theta(persistence_result, ph, fname)
  local embed = require("canns.analyzer.data.asa.embedding").embed_spike_trains
  local S = embed(spike_data, {smooth = true, speed_filter = rg})
  local C = embed(spike_data, {smooth = false, speed_filter = rg})
  local times = rows_with_activity(C)
  local rows = sample_rows(persistence_result)
  local coords, ccos, csin = core.asa.decode_project_at(S, rows, theta, S, times)
  local out = {coords = coords, coordsbox = coords:copy(), times = times, times_box = times:copy(),
               centcosall = ccos, centsinall = csin}
  if not rof then
    local S2 = embed(spike_data, {smooth = true, speed_filter = true})
    local C2 = embed(spike_data, {smooth = false, speed_filter = true})
    local tb = rows_with_activity(C2)
    out.coordsbox = core.asa.decode_project_at(S, rows, theta, S2, tb)
    out.times_box = tb
  end
  save(o.save_path, out, fname)
  return out
end

--- Upstream's `decode_circular_coordinates1`: the multi-circle projection
-- on the given activity with two circles, both at the threshold of the
-- second longest H1 bar.
-- @tparam table persistence_result
-- @param spike_data the activity that went into `tda_vis` (or `{spike = E}`)
-- @tparam[opt] table opts `save_path`
function M.decode_circular_coordinates1(persistence_result, spike_data, opts)
  local fname = "decode_circular_coordinates1"
  local ph = check_persistence(persistence_result, fname)
  local o = A.options(opts, fname, {"save_path"})
  local E = spike_data
  if type(spike_data) == "table" and not core.isarray(spike_data) then E = spike_data.spike end
  E = A.array(E, fname, 2, "spike_data.spike", {convert = true, ndim = 2})
  local theta = legacy_theta(persistence_result, ph, fname)
  local coords, times, ccos, csin = core.asa.decode_project(E, sample_rows(persistence_result), theta)
  local out = {coords = coords, coordsbox = coords:copy(), times = times, times_box = times:copy(),
               centcosall = ccos, centsinall = csin}
  save(o.save_path, out, fname)
  return out
end


--- Vertex phases of one cocycle (upstream `_get_coords`): turns in [0, 1)
-- for every sampled point.
-- @param cocycle int64 {m, 3} (1-based vertices a > b, coefficient)
-- @number threshold largest distance of an edge
-- @param dists the distance matrix (`persistence.dperm2all`)
-- @int[opt=47] p the prime used for lifting
-- @return float64 array {n}
function M.get_coords(cocycle, threshold, dists, p)
  return core.asa.cocycle_coords(cocycle, threshold, dists, p or P)
end

return M
