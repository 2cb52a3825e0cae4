--- The files of the ASA pipeline runner: the input `.npz` session, the
-- TDA result (`TDA/persistence.npz`) and the decoding
-- (`CohoMap/decoding.npz`).
--
-- An input session holds `t` (time stamps, s), `x`, `y` (positions) and
-- `spike`: either a dense (time, neurons) matrix (already binned; used as
-- is with preprocess method "none") or spike trains as one 1-D array of
-- every neuron's spike times one neuron after the other, with
-- `spike_counts` (one count per neuron) saying where each neuron's times
-- end.  Upstream's sessions keep spike trains as a pickled dictionary
-- `{neuron: times}` (or object array of trains), which is read too
-- (`canns.data.pickle`; neurons in sorted key order); `save_asa_npz`
-- writes the canns layout, and numpy makes it from a list of arrays with
-- `spike=np.concatenate(trains), spike_counts=[len(s) for s in trains]`.
-- @module canns.pipeline.asa.files

local A = require "canns.argcheck"
local core = require "canns.core"
local cio = require "canns.io"

local M = {}

--- Write an ASA session (`{spike, t, x, y}` as the synthetic sessions and
-- `embed_spike_trains` take it) to an `.npz` in the layout above
-- (atomically).
-- @string path
-- @tparam table data `spike` (a list of per-neuron arrays of spike times,
--   or a dense matrix), `t`, and optionally `x`, `y`
function M.save_asa_npz(path, data)
  local F = "save_asa_npz"
  A.string(path, F, 1, "path")
  A.table(data, F, 2, "data")
  if data.spike == nil then A.fail(F, 2, "data", "must have a 'spike' entry (missing key)") end
  if data.t == nil then A.fail(F, 2, "data", "must have a 't' entry (missing key)") end
  local out = {t = A.array(data.t, F, 2, "data.t", {convert = true, ndim = 1})}
  for _, k in ipairs({"x", "y"}) do
    if data[k] ~= nil then out[k] = A.array(data[k], F, 2, "data." .. k, {convert = true, ndim = 1}) end
  end
  if core.isarray(data.spike) then
    if data.spike:ndim() ~= 2 then
      A.fail(F, 2, "data.spike", "must be a (time, neurons) matrix or a list of spike-time arrays, got %s",
             A.describe(data.spike))
    end
    out.spike = data.spike
  else
    A.table(data.spike, F, 2, "data.spike")
    local all, counts = {}, {}
    for n, s in ipairs(data.spike) do
      local v = A.array(s, F, 2, ("data.spike[%d]"):format(n), {convert = true})
      counts[n] = v:size()
      for _, x in ipairs(v:reshape({v:size()}):totable()) do all[#all + 1] = x end
    end
    if #counts == 0 then A.fail(F, 2, "data.spike", "must hold at least one neuron, got an empty list") end
    out.spike = core.array(all, "float64")
    out.spike_counts = core.array(counts, "int64")
  end
  cio.save_npz(path, out)
end

--- The spikes of an npz's members: a dense matrix, or `spike` times split
-- by `spike_counts` into per-neuron arrays (also used by `canns.data`).
-- @tparam table z the members (`load_npz`)
-- @string path the file (for messages)
-- @string F the calling function (for messages)
-- @return spikes (a matrix or a list of arrays)
-- @treturn boolean dense
--- The trains of a table in order: a list as it is, a map `{neuron key =
-- times}` (upstream's dictionaries) in sorted key order (numbers first).
-- @tparam table spike
-- @treturn table a list
function M.ordered_trains(spike)
  local keys = {}
  for k in pairs(spike) do keys[#keys + 1] = k end
  if #keys == #spike then return spike end
  table.sort(keys, function(a, b)
    if type(a) == type(b) then return a < b end
    return type(a) == "number"
  end)
  local out = {}
  for i, k in ipairs(keys) do out[i] = spike[k] end
  return out
end

local function spikes_of(z, path, F)
  if type(z.spike) == "table" and not core.isarray(z.spike) then -- a pickled dictionary or list
    local trains = {}
    for n, tr in ipairs(M.ordered_trains(z.spike)) do
      if not core.isarray(tr) then
        A.error(F, "'%s': neuron %d of 'spike' is %s, not an array of spike times", path, n, A.describe(tr))
      end
      trains[n] = tr:reshape({tr:size()}):astype("float64")
    end
    if #trains == 0 then A.error(F, "'%s': 'spike' holds no neuron", path) end
    return trains, false
  end
  if not core.isarray(z.spike) then
    A.error(F, "'%s': 'spike' is %s, not spike data", path, A.describe(z.spike))
  end
  if z.spike:ndim() == 2 and z.spike_counts == nil then return z.spike, true end
  if z.spike_counts == nil then
    A.error(F, "'%s': 'spike' is %s: a dense (time, neurons) matrix, or spike times with "
            .. "'spike_counts' (one count per neuron)", path, A.describe(z.spike))
  end
  local times = z.spike:reshape({z.spike:size()}):astype("float64")
  local counts = z.spike_counts:reshape({z.spike_counts:size()}):totable()
  local trains, first = {}, 1
  for n, c in ipairs(counts) do
    if math.type(c) ~= "integer" or c < 0 or first + c - 1 > times:size() then
      A.error(F, "'%s': spike_counts (%d neurons) do not match the %d spike times (neuron %d's count %s)",
              path, #counts, times:size(), n, tostring(c))
    end
    trains[n] = c > 0 and times:slice(1, {first, first + c - 1}):copy() or core.array({}, "float64")
    first = first + c
  end
  if first - 1 ~= times:size() then
    A.error(F, "'%s': spike_counts add up to %d, but there are %d spike times", path, first - 1, times:size())
  end
  return trains, false
end

M.spikes_of = spikes_of

--- Read every member of an `.npz` (`canns.io.load_npz`; archives with
-- numpy's pickled object arrays, as upstream's sessions are, through
-- `canns.data.pickle`), with an error that names the file.
-- @string path
-- @string F the calling function (for messages)
-- @treturn table `{name = value, ...}`
function M.read_npz(path, F)
  local ok, z = pcall(cio.load_npz, path)
  if ok then return z end
  local msg = tostring(z)
  if msg:find("object", 1, true) or msg:find("|O", 1, true) then
    local okp, zp = pcall(require("canns.data.pickle").load_npz, path)
    if okp then return zp end
    A.error(F, "%s", tostring(zp)) -- names the file and the member
  end
  A.error(F, "cannot read '%s': %s", path, msg)
end

--- Read an ASA session written by `save_asa_npz` (or by numpy in that
-- layout).
-- @string path
-- @treturn table `{spike, t, x, y, dense}`: `spike` a dense matrix
--   (`dense` true) or a list of per-neuron arrays
function M.load_asa_npz(path)
  local F = "load_asa_npz"
  A.string(path, F, 1, "path")
  local z = M.read_npz(path, F)
  for _, k in ipairs({"spike", "t"}) do
    if z[k] == nil then A.error(F, "'%s' has no '%s' entry (an ASA session needs spike and t)", path, k) end
  end
  local d = {t = z.t:reshape({z.t:size()}), x = z.x and z.x:reshape({z.x:size()}),
             y = z.y and z.y:reshape({z.y:size()})}
  d.spike, d.dense = spikes_of(z, path, F)
  return d
end

--- Read upstream's "Neuron + Traj" input (two files): the neurons' spikes
-- from `neuron_path` (a `.npy` (time, neurons) matrix, or a `.npz` whose
-- `spike` is that matrix or spike times with `spike_counts`) and the
-- trajectory `t`, `x`, `y` from the `.npz` at `traj_path`.
-- @string neuron_path
-- @string traj_path
-- @treturn table as load_asa_npz
function M.load_neuron_traj(neuron_path, traj_path)
  local F = "load_neuron_traj"
  A.string(neuron_path, F, 1, "neuron_path")
  A.string(traj_path, F, 2, "traj_path")
  local d = {}
  if neuron_path:match("%.npy$") then
    local ok, a = pcall(cio.load_npy, neuron_path)
    if not ok then A.error(F, "cannot read '%s': %s", neuron_path, tostring(a)) end
    if a:ndim() ~= 2 then
      A.error(F, "'%s' holds %s: a (time, neurons) spike matrix is needed", neuron_path, A.describe(a))
    end
    d.spike, d.dense = a, true
  else
    local ok, z = pcall(cio.load_npz, neuron_path)
    if not ok then A.error(F, "cannot read '%s': %s", neuron_path, tostring(z)) end
    if z.spike == nil then A.error(F, "'%s' has no 'spike' entry", neuron_path) end
    d.spike, d.dense = spikes_of(z, neuron_path, F)
  end
  local ok, z = pcall(cio.load_npz, traj_path)
  if not ok then A.error(F, "cannot read '%s': %s", traj_path, tostring(z)) end
  for _, k in ipairs({"t", "x", "y"}) do
    if z[k] == nil then A.error(F, "'%s' has no '%s' entry (a trajectory needs t, x and y)", traj_path, k) end
    d[k] = z[k]:reshape({z[k]:size()})
  end
  return d
end

--- Save a `tda_vis` result as `.npz` members: `dgms_<d>`, `cocycles_<d>_<i>`
-- (d = 0, 1, ...; i from 1), `dperm2all`, `indstemp`, `movetimes`,
-- `dimred`, `n_points`, `shuffle_max_<d>` (indices as `tda_vis` gives
-- them, 1-based).
function M.save_persistence(path, res)
  local ph = res.persistence
  local out = {dperm2all = ph.dperm2all, indstemp = res.indstemp, movetimes = res.movetimes,
               n_points = core.array({res.n_points or res.indstemp:size()}, "int64")}
  if core.isarray(res.dimred) then out.dimred = res.dimred end
  for d, dgm in ipairs(ph.dgms) do
    out["dgms_" .. (d - 1)] = dgm
    for i, c in ipairs((ph.cocycles or {})[d] or {}) do out[("cocycles_%d_%d"):format(d - 1, i)] = c end
    out["ncocycles_" .. (d - 1)] = core.array({#((ph.cocycles or {})[d] or {})}, "int64")
  end
  for d, l in ipairs(res.shuffle_max or {}) do out["shuffle_max_" .. (d - 1)] = core.array(l, "float64") end
  cio.save_npz(path, out)
end

--- Read what `save_persistence` wrote.
function M.load_persistence(path)
  local z = cio.load_npz(path)
  local ph = {dgms = {}, cocycles = {}, dperm2all = z.dperm2all}
  local d = 0
  while z["dgms_" .. d] do
    ph.dgms[d + 1] = z["dgms_" .. d]
    local list = {}
    local nc = z["ncocycles_" .. d]
    for i = 1, nc and nc:get(1) or 0 do
      local c = z[("cocycles_%d_%d"):format(d, i)]
      if not c then error(("%s: cocycle %d of H%d is missing"):format(path, i, d), 0) end
      list[i] = c
    end
    ph.cocycles[d + 1] = list
    d = d + 1
  end
  if d == 0 or not ph.dperm2all or not z.indstemp or not z.movetimes then
    error(path .. ": not a persistence file of the ASA runner (dgms_0, dperm2all, indstemp, movetimes)", 0)
  end
  local res = {persistence = ph, indstemp = z.indstemp, movetimes = z.movetimes, dimred = z.dimred,
               n_points = z.n_points and z.n_points:get(1)}
  if z.shuffle_max_0 then
    res.shuffle_max = {}
    for k = 0, d - 1 do res.shuffle_max[k + 1] = z["shuffle_max_" .. k] and z["shuffle_max_" .. k]:totable() end
  end
  return res
end

--- Read a `decoding.npz` written by the decoders' `save_path` (0-based
-- indices there, 1-based in the table returned).
function M.load_decoding(path)
  local z = cio.load_npz(path)
  for _, k in ipairs({"coords", "coordsbox", "times", "times_box"}) do
    if not z[k] then error(("%s: no '%s' entry"):format(path, k), 0) end
  end
  z.times, z.times_box = z.times + 1, z.times_box + 1
  return z
end

return M
