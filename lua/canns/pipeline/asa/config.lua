--- The configuration of the ASA pipeline runner: its sections, their
-- fields and defaults (those of upstream's `canns.pipeline.asa` TUI), the
-- presets, and the check that turns a user's table into a complete one.
--
-- Sections: `preprocess`, `tda`, `decode`, `cohomap`, `pathcompare`,
-- `cohospace`, `fr`, `frm`.  Fields that upstream leaves blank (auto) are
-- `false` here ("not set"), so that every configuration is a complete
-- table that JSON can hold.
-- @module canns.pipeline.asa.config

local A = require "canns.argcheck"

local M = {}

local function int(min, max) return {kind = "int", min = min, max = max} end
local function num(min) return {kind = "num", min = min} end
local BOOL = {kind = "bool"}
local function choice(...) return {kind = "str", choices = {...}} end
local function opt_int(min) return {kind = "int", min = min, optional = true} end
local function opt_num() return {kind = "num", optional = true} end
local OPT_STR = {kind = "str", optional = true}

--- Every section: `{field = {default, spec}}`.
M.SCHEMA = {
  preprocess = {
    method = {"none", choice("none", "embed_spike_trains")},
    res = {100000, int(1, 1e12)}, dt = {1000, int(1, 1e12)}, sigma = {5000, num(0)},
    smooth = {true, BOOL}, speed_filter = {false, BOOL}, min_speed = {2.5, num()},
  },
  tda = {
    dim = {6, int(1)}, num_times = {5, int(1)}, active_times = {15000, int(1)}, k = {1000, int(1)},
    n_points = {1200, int(1)}, metric = {"cosine", choice("cosine", "euclidean", "manhattan", "chebyshev")},
    nbs = {800, int(1)}, maxdim = {1, int(1, 3)}, coeff = {47, int(2, 65535)},
    do_shuffle = {false, BOOL}, num_shuffles = {1000, int(1)}, standardize = {true, BOOL},
  },
  decode = {
    decode_version = {"v2", choice("v2", "v0")}, num_circ = {2, int(1, 64)},
    real_ground = {true, BOOL}, real_of = {true, BOOL},
  },
  cohomap = {subsample = {10, int(1)}},
  pathcompare = {
    use_box = {true, BOOL}, interp_to_full = {true, BOOL}, dim_mode = {"2d", choice("2d", "1d")},
    dim = {1, int(1)}, dim1 = {1, int(1)}, dim2 = {2, int(1)}, coords_key = {false, OPT_STR},
    times_box_key = {false, OPT_STR}, slice_mode = {"time", choice("time", "index")},
    tmin = {false, opt_num()}, tmax = {false, opt_num()}, imin = {false, opt_int(1)},
    imax = {false, opt_int(1)}, stride = {1, int(1)},
    theta_scale = {"rad", choice("rad", "deg", "unit", "auto")},
  },
  cohospace = {
    dim_mode = {"2d", choice("2d", "1d")}, dim = {1, int(1)}, dim1 = {1, int(1)}, dim2 = {2, int(1)},
    mode = {"fr", choice("fr", "spike")}, top_percent = {5.0, num(0)},
    view = {"both", choice("both", "single", "population")}, neuron_id = {false, opt_int(1)},
    subsample = {2, int(1)},
  },
  fr = {
    neuron_start = {false, opt_int(1)}, neuron_end = {false, opt_int(1)},
    time_start = {false, opt_int(1)}, time_end = {false, opt_int(1)},
    mode = {"fr", choice("fr", "spike")},
    normalize = {"none", choice("none", "zscore_per_neuron", "minmax_per_neuron")},
  },
  frm = {
    neuron_id = {1, int(1)}, bins = {50, int(1)}, min_occupancy = {1, int(0)},
    smoothing = {false, BOOL}, smooth_sigma = {2.0, num(0)}, mode = {"fr", choice("fr", "spike")},
  },
}

--- The analysis stages the runner knows, in the order it runs them
-- (upstream's analysis modes; `decode` runs before the three that need it).
M.STAGES = {"tda", "cohomap", "pathcompare", "cohospace", "fr", "frm"}

--- The stages a configuration runs when it names none.
M.DEFAULT_STAGES = {"tda", "cohomap", "pathcompare", "cohospace", "fr"}

--- Upstream's presets (the TDA fields only, as upstream's TUI applies them).
M.PRESETS = {
  grid = {tda = {dim = 6, num_times = 5, active_times = 15000, k = 1000, n_points = 1200,
                 metric = "cosine", nbs = 800, maxdim = 1, coeff = 47, do_shuffle = false,
                 num_shuffles = 1000}},
  hd = {tda = {dim = 4, num_times = 5, active_times = 15000, k = 800, n_points = 1000,
               metric = "cosine", nbs = 600, maxdim = 1, coeff = 47, do_shuffle = false,
               num_shuffles = 1000}},
  none = {},
}

local TOP = {"input", "input_mode", "neuron_file", "traj_file", "out", "workdir", "preset", "stages", "preprocess", "tda", "decode", "cohomap",
             "pathcompare", "cohospace", "fr", "frm"}

local function sorted(t)
  local k = {}
  for n in pairs(t) do k[#k + 1] = n end
  table.sort(k)
  return k
end

local function check_field(v, spec, F, key)
  if (v == nil or v == false) and spec.optional then return false end
  if spec.kind == "int" then
    return A.int(v, F, key, nil, {min = spec.min, max = spec.max or 2^53})
  elseif spec.kind == "num" then
    return A.number(v, F, key, nil, {min = spec.min}) + 0.0
  elseif spec.kind == "bool" then
    return A.boolean(v, F, key)
  end
  return A.string(v, F, key, nil, {choices = spec.choices})
end

--- Check a user's configuration and fill in the defaults: an unknown
-- section or field, or a bad value, is an error naming it (`tda.k`).
-- @tparam table cfg the user's table
-- @string[opt="PipelineRunner"] F the name in messages
-- @treturn table the complete configuration (a new table)
function M.resolve(cfg, F)
  F = F or "PipelineRunner"
  A.options(cfg, F, TOP)
  if cfg == nil then A.error(F, "needs a configuration table with 'input'") end
  local out = {}
  out.input_mode = A.string(cfg.input_mode, F, "input_mode", nil,
                            {default = "asa", choices = {"asa", "neuron_traj"}})
  if out.input_mode == "asa" then
    out.input = A.string(cfg.input, F, "input")
  else
    out.neuron_file = A.string(cfg.neuron_file, F, "neuron_file")
    out.traj_file = A.string(cfg.traj_file, F, "traj_file")
    if cfg.input ~= nil then A.fail(F, "input", nil, "is not used with input_mode 'neuron_traj'") end
  end
  out.workdir = A.string(cfg.workdir, F, "workdir", nil, {default = "."})
  out.out = (cfg.out ~= nil and cfg.out ~= false) and A.string(cfg.out, F, "out") or false
  out.preset = A.string(cfg.preset, F, "preset", nil, {default = "none", choices = {"grid", "hd", "none"}})
  local preset = M.PRESETS[out.preset]
  for _, sec in ipairs(sorted(M.SCHEMA)) do
    local fields = M.SCHEMA[sec]
    local user = cfg[sec]
    if user ~= nil and (type(user) ~= "table" or require("canns.core").isarray(user)) then
      A.fail(F, sec, nil, "must be a table of %s fields, got %s", sec, A.describe(user))
    end
    user = user or {}
    for k in pairs(user) do
      if type(k) ~= "string" or not fields[k] then
        A.error(F, "unknown option '%s.%s' (expected one of: %s)", sec, tostring(k),
                table.concat(sorted(fields), ", "))
      end
    end
    local s = {}
    for _, k in ipairs(sorted(fields)) do
      local v = user[k]
      if v == nil and preset[sec] then v = preset[sec][k] end
      if v == nil then v = fields[k][1] end
      s[k] = check_field(v, fields[k][2], F, sec .. "." .. k)
    end
    out[sec] = s
  end
  local stages = cfg.stages
  if stages == nil then stages = M.DEFAULT_STAGES end
  A.table(stages, F, "stages")
  local known = {}
  for _, s in ipairs(M.STAGES) do known[s] = true end
  out.stages = {}
  for i, s in ipairs(stages) do
    if type(s) ~= "string" or not known[s:lower()] then
      A.fail(F, "stages", nil, "entry %d must be one of %s, got %s", i, table.concat(M.STAGES, ", "),
             A.describe(s))
    end
    out.stages[i] = s:lower()
  end
  return out
end

return M
