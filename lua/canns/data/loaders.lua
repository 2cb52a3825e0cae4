--- Readers of the experimental data sets and checks on what they hold
-- (upstream `canns.data.loaders`).
--
--     local data = require "canns.data"
--     local roi = data.load_roi_data()                   -- (frames, ROIs) float64
--     local grid = data.load_grid_data()                 -- {spike, t, x, y}
--     local s = data.load_grid_data("session.npz")
--     print(data.validate_grid_data(s), data.get_data_summary(s).n_neurons)
--
-- A source is nil (the registry's data set, downloaded on first use), a
-- URL (downloaded through `load`) or a file name.  Sessions are `.npz`
-- files with `spike` and `t` (and `x`, `y`): `spike` a dense (time,
-- neurons) matrix; spike times with `spike_counts` (one count per neuron,
-- the layout of `canns.pipeline.asa.save_asa_npz`), returned as a list of
-- per-neuron arrays; or, in upstream's files, a pickled dictionary
-- `{neuron: times}` (returned as that table) or object array of trains (a
-- list), read by `canns.data.pickle`.
-- @module canns.data.loaders

local core = require "canns.core"
local A = require "canns.argcheck"
local ds = require "canns.data.datasets"
local text = require "canns.data.text"

local M = {}

-- A float64 array from an array or a table of numbers (tables are read
-- in float64, not through float32).
local function f64(v, F, arg, name)
  if core.isarray(v) then return v:astype("float64") end
  return A.array(v, F, arg, name, {convert = true, dtype = "float64"})
end

-- ds.load_file / ds.load with errors under the caller's name.
local function read(F, f, ...)
  local ok, r = pcall(f, ...)
  if ok then return r end
  error((tostring(r):gsub("^load_file:", F .. ":"):gsub("^load:", F .. ":")), 0)
end

local function is_url(s) return s:match("^%a[%w+.-]*://") ~= nil end

local function shape_str(a)
  local s = a:shape()
  if #s == 1 then return ("(%d,)"):format(s[1]) end
  local t = {}
  for i, n in ipairs(s) do t[i] = tostring(n) end
  return "(" .. table.concat(t, ", ") .. ")"
end

-- The registry's file for key, with upstream's hint on working offline
-- added to a failed download.
local function registry_path(key, F)
  local ok, r = pcall(ds.get_dataset_path, key)
  if ok then return r end
  local info = ds.DATASETS[key]
  local target = info and (ds.get_data_dir() .. "/" .. info.filename) or "?"
  error(("%s: %s\nTo work offline, put the file at %s (it is read from there without the network), "
         .. "set HF_ENDPOINT (e.g. https://hf-mirror.com) or CANNS_DATA_BASE_URL to a reachable copy, "
         .. "or pass the file name to %s."):format(F, tostring(r), target, F), 0)
end

local function check_source(source, F)
  if source == nil then return nil end
  A.string(source, F, 1, "source")
  if source == "" then A.fail(F, 1, "source", "must be a URL or a file name, got ''") end
  return source
end

--- Read ROI traces (a numeric text table) for the 1-D CANN analyses.
-- @string[opt] source nil: the `roi_data` data set; a URL; a file name
-- @treturn array float64 (frames, ROIs)
function M.load_roi_data(source)
  local F = "load_roi_data"
  source = check_source(source, F)
  local a, where
  if source == nil then
    local path = registry_path("roi_data", F)
    a, where = text.loadtxt(path, F), ""
  elseif is_url(source) then
    a = read(F, ds.load, source, {file_type = "text"})
    if type(a) == "string" then A.error(F, "%s did not hold a numeric text table", source) end
    where = " from URL"
  else
    a, where = text.loadtxt(source, F), " from " .. source
  end
  print(("Loaded ROI data%s: shape %s"):format(where, shape_str(a)))
  return a
end

-- The session members of an npz path: spike, t (required), x, y.
local function session_of(z, name, F)
  if type(z) ~= "table" or core.isarray(z) then
    A.error(F, "'%s' is not an .npz session (a grid session needs 'spike' and 't' arrays)", name)
  end
  for _, k in ipairs({"spike", "t"}) do
    if z[k] == nil then A.error(F, "'%s' has no '%s' entry (a grid session needs spike and t)", name, k) end
  end
  return {spike = z.spike, t = z.t, x = z.x, y = z.y}
end

local ordered = require("canns.pipeline.asa.files").ordered_trains

local function neuron_count(spike)
  if core.isarray(spike) then return spike:ndim() == 0 and 1 or #spike end
  return #ordered(spike)
end

--- Read a grid-cell session (spike trains with the animal's positions).
-- @string[opt] source nil: a registry data set; a URL; a file name
-- @tparam[opt] table opts `{dataset_key = "grid_1"}` (used when `source`
--   is nil; also accepted as the only argument)
-- @treturn table `{spike, t, x, y}` (x, y when present)
function M.load_grid_data(source, opts)
  local F = "load_grid_data"
  if type(source) == "table" and not core.isarray(source) and opts == nil then source, opts = nil, source end
  source = check_source(source, F)
  local o = A.options(opts, F, {"dataset_key"})
  local key = A.string(o.dataset_key, F, "dataset_key", nil, {default = "grid_1"})
  local info = ds.DATASETS[key]
  if type(info) ~= "table" or info.is_collection or info.format ~= "npz" then
    local keys = {}
    for k, v in pairs(ds.DATASETS) do
      if type(v) == "table" and v.format == "npz" and not v.is_collection then keys[#keys + 1] = k end
    end
    table.sort(keys)
    A.fail(F, "dataset_key", nil, "must be a grid data set of the registry (one of %s), got %s",
           table.concat(keys, ", "), A.describe(key))
  end
  local d
  if source == nil then
    local path = registry_path(key, F)
    d = session_of(read(F, ds.load_file, path, "numpy"), path, F)
    print(("Loaded %s: %d neurons"):format(key, neuron_count(d.spike)))
  elseif is_url(source) then
    d = session_of(read(F, ds.load, source, {file_type = "numpy"}), source, F)
    print(("Loaded grid data from URL: %d neurons"):format(neuron_count(d.spike)))
  else
    d = session_of(read(F, ds.load_file, source, "numpy"), source, F)
    print(("Loaded grid data from %s: %d neurons"):format(source, neuron_count(d.spike)))
  end
  if d.x ~= nil then print(("Position data available: %d time points"):format(d.x:size())) end
  return d
end

--- Read one `.npz` of a Left-Right session (downloaded when missing).
-- @string session_id e.g. "26034_3"
-- @string filename e.g. "26034_3_ASA_mec_gridModule02_n104_cm.npz"
-- @tparam[opt] table opts `{auto_download = true, force = false}`
-- @treturn table|nil every member (`spike` with `spike_counts` split into
--   per-neuron arrays); nil when missing and `auto_download` is false
function M.load_left_right_npz(session_id, filename, opts)
  local path = ds.get_left_right_npz(session_id, filename, opts)
  if path == nil then return nil end
  local z = read("load_left_right_npz", ds.load_file, path, "numpy")
  if core.isarray(z) then A.error("load_left_right_npz", "'%s' is an .npy array, not an .npz", path) end
  return z
end

local function all_finite(a)
  return a:size() == 0 or a:astype("float64"):isfinite():all()
end

--- Check ROI data: a 1-D or 2-D numeric array, non-empty, finite.
-- @param data
-- @treturn boolean
-- @treturn[opt] string why not
function M.validate_roi_data(data)
  if not core.isarray(data) then return false, "ROI data must be an array" end
  if data:ndim() ~= 1 and data:ndim() ~= 2 then
    return false, ("ROI data must be 1D or 2D, got %dD"):format(data:ndim())
  end
  if data:size() == 0 then return false, "ROI data is empty" end
  if data:dtype() == "bool" then return false, "ROI data must be numeric, got bool" end
  if not all_finite(data) then return false, "ROI data contains non-finite values" end
  return true
end

--- Check a grid session: `spike` (a non-empty list of trains or an
-- array) and `t` (a non-empty finite array); `x`, `y` when present
-- finite arrays of `t`'s shape.
-- @param data
-- @treturn boolean
-- @treturn[opt] string why not
function M.validate_grid_data(data)
  if type(data) ~= "table" or core.isarray(data) then return false, "Grid data must be a table" end
  for _, k in ipairs({"spike", "t"}) do
    if data[k] == nil then return false, "Grid data missing required key: " .. k end
  end
  local spike = data.spike
  if type(spike) ~= "table" and not core.isarray(spike) then
    return false, "Spike data must be a list or an array"
  end
  if (core.isarray(spike) and spike:size() == 0) or (not core.isarray(spike) and next(spike) == nil) then
    return false, "Spike data is empty"
  end
  local t = data.t
  if not core.isarray(t) then return false, "Time data must be an array" end
  if t:size() == 0 then return false, "Time data is empty" end
  if t:dtype() == "bool" or not all_finite(t) then return false, "Time data contains non-finite values" end
  for _, k in ipairs({"x", "y"}) do
    local p = data[k]
    if p ~= nil then
      if not core.isarray(p) then return false, ("Position data '%s' must be an array"):format(k) end
      if p:size() == 0 then return false, ("Position data '%s' is empty"):format(k) end
      if p:dtype() == "bool" or not all_finite(p) then
        return false, ("Position data '%s' contains non-finite values"):format(k)
      end
      local ps, ts = p:shape(), t:shape()
      if #ps ~= #ts or table.concat(ps, ",") ~= table.concat(ts, ",") then
        return false, ("Position data '%s' shape %s doesn't match time data shape %s"):format(
          k, shape_str(p), shape_str(t))
      end
    end
  end
  return true
end

-- The trains of spike_data as float64 1-D arrays: a list of arrays or
-- tables of times, or the rows of a 2-D array.
local function trains_of(spike_data, F)
  if core.isarray(spike_data) then
    if spike_data:ndim() ~= 2 then
      A.fail(F, 1, "spike_data", "must be a list of spike-time arrays or a 2-D array, got %s",
             A.describe(spike_data))
    end
    local out = {}
    for i = 1, #spike_data do out[i] = spike_data[i]:astype("float64") end
    return out
  end
  A.table(spike_data, F, 1, "spike_data")
  local out = {}
  for i, s in ipairs(ordered(spike_data)) do
    local a = f64(s, F, 1, ("spike_data[%d]"):format(i))
    out[i] = a:reshape({a:size()})
  end
  return out
end

--- Keep the spikes inside a time window and the neurons with enough of
-- them.
-- @param spike_data a list of per-neuron spike-time arrays (or tables), a
--   map `{neuron key = times}` (taken in sorted key order), or a 2-D array
--   (one row per neuron)
-- @tparam[opt] table opts `time_window = {start, end}` (both ends kept),
--   `min_spike_count = 10`
-- @treturn[1] {array,...} the kept trains (float64)
-- @return[2] nil
-- @treturn[2] string why nothing is left
function M.preprocess_spike_data(spike_data, opts)
  local F = "preprocess_spike_data"
  local trains = trains_of(spike_data, F)
  local o = A.options(opts, F, {"time_window", "min_spike_count"})
  local minc = A.count(o.min_spike_count, F, "min_spike_count", nil, {default = 10})
  local lo, hi
  if o.time_window ~= nil then
    local w = A.table(o.time_window, F, "time_window")
    lo = A.number(w[1], F, "time_window", "time_window[1]", {inf = true})
    hi = A.number(w[2], F, "time_window", "time_window[2]", {inf = true})
  end
  if #trains == 0 then return nil, "Spike data is empty" end
  local kept = {}
  for _, s in ipairs(trains) do
    if lo and s:size() > 0 then
      local vals = {}
      for _, v in ipairs(s:totable()) do if v >= lo and v <= hi then vals[#vals + 1] = v end end
      s = core.array(vals, "float64")
    end
    if s:size() >= minc then kept[#kept + 1] = s end
  end
  if #kept == 0 then
    return nil, ("No neurons meet minimum spike count requirement (%d)"):format(minc)
  end
  return kept
end

local function num_stats(a)
  local f = a:astype("float64")
  return f:min(), f:max()
end

--- Summary statistics of ROI data (an array) or of a grid session (a
-- table), with upstream's keys.
-- @param data
-- @treturn table for an array: `type = "roi_data", shape, size, dtype,
--   min, max, mean, std, has_nan, has_inf`; for a session: `type =
--   "grid_data", keys, n_neurons, spike_counts = {min, max, mean, total},
--   time_data = {length, duration, sampling_rate}, x_data, y_data =
--   {min, max, range}`; otherwise `type = "unknown", error`
function M.get_data_summary(data)
  local F = "get_data_summary"
  if core.isarray(data) then
    local f = data:astype("float64")
    local s = {type = "roi_data", shape = data:shape(), size = data:size(), dtype = data:dtype()}
    if data:size() == 0 then A.fail(F, 1, "data", "is an empty array (no statistics)") end
    s.min, s.max = f:min(), f:max()
    s.mean, s.std = f:mean(), f:std()
    s.has_nan = f:isnan():any()
    s.has_inf = f:abs():eq(math.huge):any()
    return s
  elseif type(data) == "table" then
    local s = {type = "grid_data", keys = {}}
    for k in pairs(data) do s.keys[#s.keys + 1] = tostring(k) end
    table.sort(s.keys)
    if data.spike ~= nil then
      local trains = data.spike
      if type(trains) ~= "table" and not core.isarray(trains) then
        A.fail(F, 1, "data.spike", "must be a list of spike-time arrays or an array, got %s", A.describe(trains))
      end
      local counts, total, n = {}, 0, 0
      if core.isarray(trains) then
        local rows = trains:ndim() == 0 and 0 or #trains
        local per = trains:ndim() >= 2 and trains:size() // math.max(rows, 1) or 1
        for i = 1, rows do counts[i] = per end
      else
        for i, tr in ipairs(ordered(trains)) do
          counts[i] = core.isarray(tr) and tr:size() or (type(tr) == "table" and #tr or 1)
        end
      end
      n = #counts
      s.n_neurons = n
      if n > 0 then
        local mn, mx = math.huge, -math.huge
        for _, c in ipairs(counts) do total = total + c; mn = math.min(mn, c); mx = math.max(mx, c) end
        s.spike_counts = {min = mn, max = mx, mean = total / n, total = total}
      end
    end
    if data.t ~= nil then
      local t = f64(data.t, F, 1, "data.t")
      t = t:reshape({t:size()})
      local n = t:size()
      if n == 0 then A.fail(F, 1, "data.t", "is empty") end
      local tmin, tmax = num_stats(t)
      s.time_data = {length = n, duration = tmax - tmin}
      if n > 1 then
        local d = t:slice(1, {2, n}) - t:slice(1, {1, n - 1})
        s.time_data.sampling_rate = 1 / d:mean()
      end
    end
    for _, k in ipairs({"x", "y"}) do
      if data[k] ~= nil then
        local p = f64(data[k], F, 1, "data." .. k)
        if p:size() == 0 then A.fail(F, 1, "data." .. k, "is empty") end
        local mn, mx = num_stats(p)
        s[k .. "_data"] = {min = mn, max = mx, range = mx - mn}
      end
    end
    return s
  end
  return {type = "unknown", error = "Unsupported data type"}
end

return M
