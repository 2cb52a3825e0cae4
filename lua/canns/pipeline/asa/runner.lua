--- The ASA pipeline runner (upstream `canns.pipeline.asa.runner.PipelineRunner`):
-- a reproducible run of the whole ASA chain (embedding, TDA, decoding,
-- CohoMap, path comparison, CohoSpace, firing-rate figures) from one
-- configuration table, with stage caching.
--
--     local runner = canns.pipeline.asa.PipelineRunner{
--       input = "session.npz", preset = "grid",
--       preprocess = {method = "embed_spike_trains"},
--       tda = {n_points = 300}, decode = {num_circ = 2},
--       stages = {"tda", "cohomap", "pathcompare", "cohospace", "fr"}}
--     local r = runner:run()   -- r.success, r.artifacts, r.summary, r.error
--     runner.stage_runs        -- how many times each stage computed
--
-- Outputs go to `<workdir>/Results/<input stem>_<first 8 hex digits of
-- the input's hash>/` (or `out`), upstream's layout: `TDA/`, `CohoMap/`,
-- `PathCompare/`, `CohoSpace/`, `FR/`, `FRM/`, `.asa_cache/`, with the
-- complete configuration in `config.json` beside them.  Every stage keeps
-- a `cache.json` holding the hash of its inputs and configuration; a stage
-- whose files exist and whose hash matches is reused, so changing one
-- parameter recomputes that stage and those after it only.  An unreadable
-- cache file gives a warning and the stage is computed again.
-- @module canns.pipeline.asa.runner

local A = require "canns.argcheck"
local core = require "canns.core"
local json = require "canns.pipeline.json"
local config = require "canns.pipeline.asa.config"
local files = require "canns.pipeline.asa.files"
local stages = require "canns.pipeline.asa.stages"

local M = {}

local Runner = {}
Runner.__index = Runner

local F = "PipelineRunner"

local function wallclock() return core.wallclock() end

--- Make a runner (nothing runs until `run`).
-- @tparam table cfg `input` (the `.npz` session, required), `workdir`
--   ("."), `out` (the results folder; default under `workdir/Results`),
--   `preset` ("grid", "hd" or "none": upstream's TDA presets), `stages`
--   (analysis modes to run, default tda, cohomap, pathcompare, cohospace,
--   fr), and the sections `preprocess`, `tda`, `decode`, `cohomap`,
--   `pathcompare`, `cohospace`, `fr`, `frm` (see canns.pipeline.asa.config
--   for every field and default).  Unknown keys are errors naming them.
-- @tparam[opt] table opts `log` (function(line)), `progress`
--   (function(percent, stage))
-- @treturn PipelineRunner
function M.PipelineRunner(cfg, opts)
  local o = A.options(opts, F, {"log", "progress"})
  local self = setmetatable({}, Runner)
  self.config = config.resolve(cfg, F)
  self.log = A.callable(o.log, F, "log", nil, {optional = true}) or function() end
  self.progress = A.callable(o.progress, F, "progress", nil, {optional = true}) or function() end
  self.stage_runs, self.stage_hits, self.warnings, self.lines = {}, {}, {}, {}
  return self
end

function Runner:_log(line)
  self.lines[#self.lines + 1] = line
  self.log(line)
end

function Runner:_warn(line)
  self.warnings[#self.warnings + 1] = line
  self:_log("Warning: " .. line)
end

-- the input's hash (of the files' bytes), computed once per runner
function Runner:_input_hash()
  if not self.input_hash then
    local c = self.config
    if c.input_mode == "neuron_traj" then
      self.input_hash = stages.hash({mode = "neuron_traj", neuron = core.hash_file(c.neuron_file),
                                     traj = core.hash_file(c.traj_file)})
    else
      self.input_hash = stages.hash({mode = "asa", file = core.hash_file(c.input)})
    end
  end
  return self.input_hash
end

local function stem(path) return (path:match("([^/]+)$"):gsub("%.np[yz]$", "")) end

--- The results folder of this configuration (its input must exist: the
-- name holds the input's hash).
function Runner:results_dir()
  local c = self.config
  self:_input_hash()
  if c.out then return c.out end
  local name = c.input_mode == "neuron_traj" and stem(c.neuron_file) .. "_" .. stem(c.traj_file)
               or stem(c.input)
  return ("%s/Results/%s_%s"):format(c.workdir, name, self.input_hash:sub(1, 8))
end

local function exists(p)
  local f = io.open(p, "rb")
  if f then f:close() return true end
  return false
end

function Runner:_meta(path)
  local f = io.open(path, "rb")
  if not f then return {} end
  local text = f:read("a")
  f:close()
  local t, err = json.decode(text)
  if type(t) ~= "table" then
    self:_warn(("cache file %s is unreadable (%s): its stage is computed again"):format(path, err or "not an object"))
    return {}
  end
  return t
end

local function mkdir_for(path) core.mkdir(path:match("^(.*)/[^/]*$")) end

function Runner:_stage(ctx, st)
  local h = st.hash(ctx)
  local rel = st.files(ctx, h)
  local paths = {}
  for i, r in ipairs(rel) do paths[i] = ctx.out .. "/" .. r end
  local meta_path = ctx.out .. "/" .. st.meta(ctx, h)
  local meta = self:_meta(meta_path)
  local hit = meta[st.key] == h
  for _, p in ipairs(paths) do hit = hit and exists(p) end
  local art
  if hit then
    local ok, r = pcall(st.load or function() return {} end, ctx, paths)
    if ok then
      art = r
      self:_log(("Using cached %s."):format(st.name))
      self.stage_hits[st.name] = (self.stage_hits[st.name] or 0) + 1
    else
      self:_warn(("cached %s output is unreadable (%s): computing it again"):format(st.name, tostring(r)))
    end
  end
  if not art then
    self:_log(("Running %s..."):format(st.name))
    for _, p in ipairs(paths) do mkdir_for(p) end
    mkdir_for(meta_path)
    art = st.compute(ctx, paths)
    self.stage_runs[st.name] = (self.stage_runs[st.name] or 0) + 1
    meta = self:_meta(meta_path)
    meta[st.key] = h
    meta.params = nil
    core.write_text(meta_path, json.encode(meta, {indent = 2}) .. "\n")
  end
  ctx.hashes[st.name] = h
  return art
end

-- the configuration as saved beside the results
function Runner:_save_config(out)
  local c = {}
  for k, v in pairs(self.config) do c[k] = v end
  c.input_hash = self.input_hash
  c.canns_version = core.version
  core.write_text(out .. "/config.json", json.encode(c, {indent = 2}) .. "\n")
end

--- Run the configured stages (and the stages they need), reusing every
-- cached stage whose inputs and configuration are unchanged.
-- @treturn table `{success, artifacts = {name = path}, summary, error,
--   elapsed, ran = {stage, ...}, cached = {stage, ...}, out}` (upstream's
--   `PipelineResult`); a failing stage gives `success = false` and its
--   error, never a Lua error
function Runner:run()
  local t0 = wallclock()
  local c = self.config
  local artifacts, ran, cached = {}, {}, {}
  local ok, err = pcall(function()
    self:_log("Loading data...")
    self.progress(0, "load")
    local out = self:results_dir()
    core.mkdir(out)
    self.out = out
    self:_save_config(out)
    local ctx = {cfg = c, out = out, data = c.input_mode == "neuron_traj" and files.load_neuron_traj(c.neuron_file, c.traj_file)
                                               or files.load_asa_npz(c.input), input_hash = self.input_hash,
                 hashes = {}, warn = function(m) self:_warn(m) end}
    local plan = stages.plan(c.stages)
    for i, st in ipairs(plan) do
      self.progress(math.floor(100 * (i - 1) / #plan), st.name)
      local before = self.stage_runs[st.name] or 0
      for k, v in pairs(self:_stage(ctx, st)) do artifacts[k] = v end
      local list = (self.stage_runs[st.name] or 0) > before and ran or cached
      list[#list + 1] = st.name
    end
    self.progress(100, "done")
  end)
  local elapsed = wallclock() - t0
  if not ok then
    self:_log("Error: " .. tostring(err))
    return {success = false, artifacts = artifacts, summary = ("Failed after %.1fs"):format(elapsed),
            error = tostring(err), elapsed = elapsed, ran = ran, cached = cached, out = self.out}
  end
  return {success = true, artifacts = artifacts, elapsed = elapsed, ran = ran, cached = cached, out = self.out,
          summary = ("Completed %s analysis in %.1fs"):format(table.concat(c.stages, ", "), elapsed)}
end

--- Read a `config.json` saved beside earlier results, as a configuration
-- table for `PipelineRunner` (the same run again).
-- @string path
-- @treturn table
function M.load_config(path)
  A.string(path, "load_config", 1, "path")
  local f, e = io.open(path, "rb")
  if not f then A.error("load_config", "cannot open '%s': %s", path, e) end
  local t, err = json.decode(f:read("a"))
  f:close()
  if type(t) ~= "table" then A.error("load_config", "'%s' is not a configuration: %s", path, err or "not an object") end
  t.input_hash, t.canns_version = nil, nil
  return t
end

return M
