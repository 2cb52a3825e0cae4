--- MATLAB .mat files of neuroscience data (upstream `MATFileLoader`,
-- `TuningCurve`, `Unit` of
-- `canns.analyzer.data.cell_classification.io.matlab_loader`), read
-- through Debian's libmatio.
--
--     local cc = canns.analyzer.data.cell_classification
--     local data = cc.MATFileLoader.load("session.mat")   -- name -> value
--     local units = cc.MATFileLoader.load_unit_data("unit_data.mat")
--     print(#units, units[1].hd_tuning and units[1].hd_tuning.mvl)
--
-- Values are converted as `scipy.io.loadmat(squeeze_me=True,
-- struct_as_record=False)` does (see docs/cell_classification.md):
-- one-element numeric arrays become numbers, other numeric arrays canns
-- arrays, char arrays strings, structs tables of their fields, struct and
-- cell arrays lists.
-- @module canns.analyzer.data.cell_classification.matlab_loader
local core = require "canns.core"
local A = require "canns.argcheck"
local kw = require "canns.analyzer.data.cell_classification.kwargs"

local M = {}

local TC = {}
TC.__index = TC
TC.__name = "TuningCurve"
function TC.__tostring(t)
  return string.format("TuningCurve(n=%d, mvl=%s, peak_rate=%s)", t.rates:size(), tostring(t.mvl),
                       tostring(t.peak_rate))
end

-- np.asarray: arrays as they are, Lua numbers and tables as float64.
local function as_array(v, fn, name)
  if type(v) == "number" then return core.array({v}, "float64") end
  if type(v) == "table" and not core.isarray(v) then
    local ok, a = pcall(core.array, v, "float64")
    if ok then return a end
  end
  return A.array(v, fn, name, name)
end

local function linspace(a, b, n) return core.array(kw.np_linspace(a, b, n), "float64") end

--- A tuning curve (upstream `TuningCurve(bins, rates, mvl=None,
-- center_of_mass=None, peak_rate=None)`); `peak_rate` defaults to the
-- largest rate (0 for no rates).
-- @param ... bins, rates, mvl, center_of_mass, peak_rate (by position or name)
-- @treturn TuningCurve
function M.TuningCurve(...)
  local fn = "TuningCurve"
  local o = kw.parse(fn, 1, {"bins", "rates", "mvl", "center_of_mass", "peak_rate"}, {}, ...)
  local self = setmetatable({}, TC)
  self.bins = as_array(o.bins, fn, "bins")
  self.rates = as_array(o.rates, fn, "rates")
  self.mvl = A.number(o.mvl, fn, "mvl", "mvl", {optional = true, nan = true, inf = true})
  self.center_of_mass = A.number(o.center_of_mass, fn, "center_of_mass", "center_of_mass",
                                 {optional = true, nan = true, inf = true})
  self.peak_rate = A.number(o.peak_rate, fn, "peak_rate", "peak_rate", {optional = true, nan = true, inf = true})
  if self.peak_rate == nil then
    self.peak_rate = self.rates:size() > 0 and core.max(self.rates) or 0.0
  end
  return self
end

local UnitMT = {}
UnitMT.__index = UnitMT
UnitMT.__name = "Unit"
function UnitMT.__tostring(u)
  return string.format("Unit(unit_id=%s, n_spikes=%d, is_grid=%s)", tostring(u.unit_id),
                       u.spike_times:size(), tostring(u.is_grid))
end

--- A neural unit (upstream `Unit(unit_id, spike_times, spike_indices=None,
-- hd_tuning=None, pos_tuning=None, theta_tuning=None, is_grid=None,
-- is_hd=None, gridness_score=None, metadata={})`).
-- @param ... the fields by position or name
-- @treturn Unit
function M.Unit(...)
  local fn = "Unit"
  local o = kw.parse(fn, 1, {"unit_id", "spike_times", "spike_indices", "hd_tuning", "pos_tuning",
                             "theta_tuning", "is_grid", "is_hd", "gridness_score", "metadata"}, {}, ...)
  if o.unit_id == nil then A.fail(fn, "unit_id", "unit_id", "is required") end
  local self = setmetatable({unit_id = o.unit_id}, UnitMT)
  self.spike_times = as_array(o.spike_times, fn, "spike_times")
  if o.spike_indices ~= nil then self.spike_indices = as_array(o.spike_indices, fn, "spike_indices") end
  for _, k in ipairs({"hd_tuning", "pos_tuning", "theta_tuning"}) do
    local t = o[k]
    if t ~= nil and getmetatable(t) ~= TC then
      A.fail(fn, k, k, "must be a TuningCurve or nil, got %s", A.describe(t))
    end
    self[k] = t
  end
  self.is_grid = A.boolean(o.is_grid, fn, "is_grid", "is_grid", {optional = true})
  self.is_hd = A.boolean(o.is_hd, fn, "is_hd", "is_hd", {optional = true})
  self.gridness_score = A.number(o.gridness_score, fn, "gridness_score", "gridness_score",
                                 {optional = true, nan = true, inf = true})
  self.metadata = o.metadata == nil and {} or A.table(o.metadata, fn, "metadata", "metadata")
  return self
end

-- ------------------------------------------------------------- the loader

local L = {}
M.MATFileLoader = L

local function warn(msg)
  io.stderr:write("canns: warning: " .. msg .. "\n")
end

-- A converted MATLAB struct (a table of fields, not a list).
local function is_struct(v)
  return type(v) == "table" and getmetatable(v) == nil and v[1] == nil and next(v) ~= nil
end

local function field(s, k)
  if is_struct(s) then return s[k] end
  return nil
end

-- np.asarray(v).ravel() for a converted value.
local function ravel(v, what)
  if type(v) == "number" then return core.array({v}, "float64") end
  if core.isarray(v) then return v:flatten() end
  error(what .. " is not numeric (" .. A.describe(v) .. ")", 0)
end

-- float(v) for a converted value.
local function scalar(v, what)
  if type(v) == "number" then return v + 0.0 end
  if type(v) == "boolean" then return v and 1.0 or 0.0 end
  if core.isarray(v) and v:size() == 1 then return v:flatten()[1] + 0.0 end
  error(what .. " is not a single number (" .. A.describe(v) .. ")", 0)
end

-- bool(v) for a converted value.
local function truth(v, what)
  if type(v) == "boolean" then return v end
  if type(v) == "number" then return v ~= 0 end
  if type(v) == "string" then return #v > 0 end
  if core.isarray(v) and v:size() == 0 then return false end
  error(what .. " is not a single truth value (" .. A.describe(v) .. ")", 0)
end

local function check_path(fn, filepath)
  return A.string(filepath, fn, 1, "filepath")
end

--- Load every variable of a .mat file (upstream `MATFileLoader.load`):
-- a table variable name -> converted value.  MATLAB v4, v5/v7 and (with
-- matio's HDF5 support) v7.3 files; a missing, unreadable or corrupt file,
-- or a variable of an unsupported class (complex, sparse, objects), is an
-- error naming `filepath`.
-- @string filepath
-- @treturn table data
-- @treturn string the file's MATLAB version ("4", "5" or "7.3")
function L.load(filepath)
  check_path("MATFileLoader.load", filepath)
  return core.matio.load(filepath)
end

local function parse_tuning(s)
  if s == nil then return nil end
  local ok, res = pcall(function()
    local z = field(s, "z")
    local mvl, com = field(s, "mvl"), field(s, "centerOfMass")
    if z == nil then return nil end
    if not core.isarray(z) then error("z must be an array of rates, got " .. A.describe(z), 0) end
    local shape = z:shape()
    local bins
    if #shape == 1 then
      bins = linspace(-math.pi, math.pi, shape[1])
    else
      bins = core.arange(0, shape[1], 1, "float64")
    end
    return M.TuningCurve{bins = bins, rates = z,
                         mvl = mvl ~= nil and scalar(mvl, "mvl") or nil,
                         center_of_mass = com ~= nil and scalar(com, "centerOfMass") or nil}
  end)
  if not ok then
    warn("Failed to parse tuning curve: " .. tostring(res))
    return nil
  end
  return res
end

local function parse_unit(u, unit_id)
  local st, si = field(u, "spikeTimes"), nil
  if st ~= nil then st = ravel(st, "spikeTimes")
  elseif field(u, "spikeInds") ~= nil then si = ravel(field(u, "spikeInds"), "spikeInds") end
  local hd, pos, theta
  local rmf = field(u, "rmf")
  if rmf ~= nil then
    hd, pos, theta = parse_tuning(field(rmf, "hd")), parse_tuning(field(rmf, "pos")),
                     parse_tuning(field(rmf, "theta"))
  end
  local g = field(u, "isGrid")
  local is_grid = nil
  if g ~= nil then is_grid = truth(g, "isGrid") end
  return M.Unit{unit_id = unit_id, spike_times = st or core.zeros({0}, "float64"), spike_indices = si,
                hd_tuning = hd, pos_tuning = pos, theta_tuning = theta,
                is_grid = is_grid}
end

-- The records of variable `name` (one struct is a list of one), each
-- parsed with parse(record, 0-based position); those that fail are
-- skipped with upstream's warning.
local function load_records(fn, filepath, name, parse, what)
  check_path(fn, filepath)
  local v = core.matio.load(filepath, fn)[name]
  if v == nil then A.fail(fn, 1, "filepath", "'%s' has no variable '%s'", filepath, name) end
  if is_struct(v) or type(v) ~= "table" then v = {v} end
  local out = {}
  for i, rec in ipairs(v) do
    local ok, res = pcall(parse, rec, i - 1)
    if ok then out[#out + 1] = res
    else warn(string.format("Failed to parse %s %d: %s", what, i - 1, tostring(res))) end
  end
  return out
end

--- Units of a unit-data file (upstream `MATFileLoader.load_unit_data`):
-- the variable `units`, a struct (array) with `spikeTimes` or
-- `spikeInds`, `rmf.hd` / `rmf.pos` / `rmf.theta` tuning structs (`z`,
-- `mvl`, `centerOfMass`) and `isGrid`.  `unit_id` is the unit's 0-based
-- position, as upstream.  A unit that cannot be parsed is skipped with a
-- warning on stderr; a file without `units` is an error.
-- @string filepath
-- @treturn {Unit,...}
function L.load_unit_data(filepath)
  return load_records("MATFileLoader.load_unit_data", filepath, "units", parse_unit, "unit")
end

local function parse_example(c, i)
  local unit_id = field(c, "id")
  if unit_id == nil then unit_id = i end
  local rec = field(c, "recName")
  if rec == nil then rec = "" end
  local hd, pos
  local h = field(c, "hdTuning")
  if h ~= nil and field(h, "z") ~= nil and field(h, "mvl") ~= nil then
    local rates = ravel(field(h, "z"), "hdTuning.z")
    hd = M.TuningCurve{bins = linspace(-math.pi, math.pi, rates:size()),
                       rates = rates, mvl = scalar(field(h, "mvl"), "hdTuning.mvl")}
  end
  local p = field(c, "posTuning")
  if p ~= nil and field(p, "z") ~= nil then
    local z = field(p, "z")
    if not core.isarray(z) then error("posTuning.z must be an array, got " .. A.describe(z), 0) end
    pos = M.TuningCurve{bins = core.arange(0, z:shape()[1], 1, "float64"), rates = z}
  end
  return M.Unit{unit_id = unit_id, spike_times = core.zeros({0}, "float64"), hd_tuning = hd,
                pos_tuning = pos, metadata = {recording = rec}}
end

--- Example cells (upstream `MATFileLoader.load_example_cells`): the
-- variable `res`, a struct (array) with `recName`, `id`, `hdTuning`
-- (`z`, `mvl`) and `posTuning` (`z`).  A cell without `id` gets its
-- 0-based position; `metadata.recording` holds `recName`.  Cells that
-- cannot be parsed are skipped with a warning; a file without `res` is an
-- error.
-- @string filepath
-- @treturn {Unit,...}
function L.load_example_cells(filepath)
  return load_records("MATFileLoader.load_example_cells", filepath, "res", parse_example, "example cell")
end

return M
