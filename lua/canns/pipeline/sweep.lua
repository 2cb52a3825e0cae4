--- Parameter sweeps with checkpoint and resume.
--
--     local sweep = canns.pipeline.Sweep{
--       name = "sfa_lag", out = "out/sfa_lag",
--       params = {m = canns.linspace(0, 0.6, 13), tau_v = {20, 50, 100}},
--       seed = 1,
--       run = function(p, ctx) ... return {lag = ...} end}
--     sweep:run()                 -- resumes: finished points are skipped
--     local ds = sweep:results()  -- arrays indexed by the parameter grid
--
-- The folder `out` holds everything: `index.sqlite` (one row per point:
-- parameters, seed, status, timings, error, code version), `points/<i>.npz`
-- (the values point i returned, written atomically), `results.nc` (all
-- points combined; xarray opens it with the parameters as coordinates) and
-- a lock file.  Killing a sweep at any moment loses no finished point;
-- running it again recomputes only the points that had not finished.
--
-- Workers: `workers = k` (default: the number of OpenMP threads) runs k
-- processes of the same script (`canns script.lua` is started again with
-- `CANNS_SWEEP_WORKER` set; each worker re-runs the script up to
-- `sweep:run()` and then only takes points from the index, one at a time,
-- with OpenMP limited to one thread).  Cluster jobs split the points into
-- shards: `CANNS_SWEEP_SHARD=i/n` (0 <= i < n, e.g. from a Slurm job
-- array): shard i takes the points whose index is i + 1 modulo n and keeps
-- its own index file `index-<i>of<n>.sqlite`.  Under `mpirun` rank 0
-- hands out the points dynamically to the other ranks
-- (canns.pipeline.mpi); without the MPI binding the ranks become static
-- shards.
-- @module canns.pipeline.sweep

local A = require "canns.argcheck"
local core = require "canns.core"
local cio = require "canns.io"
local S = require "canns.pipeline.sampling"
local MPI = require "canns.pipeline.mpi"

local M = {}

local FORMAT = "canns-sweep-1"

local Sweep = {}
Sweep.__index = Sweep

-- FNV-1a, 64 bit, as 16 hex digits: the sweep's identity.
local function fnv(s)
  local h = 0xcbf29ce484222325
  for i = 1, #s do h = ((h ~ s:byte(i)) * 0x100000001b3) end
  return ("%016x"):format(h)
end

local function fmtval(v)
  if type(v) == "number" then
    if math.type(v) == "integer" then return tostring(v) end
    for _, f in ipairs({"%.15g", "%.16g"}) do
      local t = f:format(v)
      if tonumber(t) == v then return t end
    end
    return ("%.17g"):format(v)
  end
  return ("%q"):format(v)
end

local function params_text(p, names)
  local t = {}
  for i, n in ipairs(names) do t[i] = n .. "=" .. fmtval(p[n]) end
  return table.concat(t, ", ")
end

local static_noted = false

local function shard_from_env()
  local s = os.getenv("CANNS_SWEEP_SHARD")
  if s and s ~= "" then
    local i, n = s:match("^%s*(%d+)%s*/%s*(%d+)%s*$")
    i, n = tonumber(i), tonumber(n)
    if not i or n < 1 or i >= n then
      A.error("Sweep", "CANNS_SWEEP_SHARD must be 'i/n' with 0 <= i < n, got '%s'", s)
    end
    return i, n, "CANNS_SWEEP_SHARD"
  end
  local r, n = MPI.launched()
  if r and n > 1 then
    -- rank 0 schedules the points dynamically and keeps the one index
    if MPI.binding() then return 0, 1, "mpi" end
    if r == 0 and not static_noted then
      static_noted = true
      io.stderr:write(("canns: %s; the %d ranks split the points statically\n"):format(
        select(2, MPI.binding()), n))
    end
    return r, n, "mpi-static"
  end
  if r then return 0, 1, "mpi" end
  return 0, 1, nil
end

--- Make a sweep (nothing runs until `run`).
-- @tparam table opts
--   `name` (default "sweep"), `out` (the folder, required),
--   `params`: a grid `{name = list or 1-D array}` (a single value is a
--   fixed parameter), a list of parameter tables `{{a = 1, b = 2}, ...}`,
--   or ranges `{name = {low, high}}` with `sampling = "random"` or
--   `"latin_hypercube"` and `samples = n`;
--   `run = function(p, ctx)` returning a table of numbers, booleans,
--   arrays or lists of numbers (ctx: `index`, `seed`, `dir` (a folder of
--   its own), `name`);
--   `seed` (default 0), `workers` (default `canns.num_threads()`),
--   `progress` (default true), `retry_failed` (default false: failed
--   points stay failed on resume).
-- @treturn Sweep
function M.Sweep(opts)
  local F = "Sweep"
  local o = A.options(opts, F, {"name", "out", "params", "run", "seed", "sampling", "samples",
                                "workers", "progress", "retry_failed"})
  local self = setmetatable({}, Sweep)
  self.name = A.string(o.name, F, "name", nil, {default = "sweep"})
  if not self.name:match("^[%w_%.%-]+$") then
    A.fail(F, "name", nil, "must use only letters, digits, '_', '.', '-', got %s", A.describe(self.name))
  end
  self.out = A.string(o.out, F, "out")
  if self.out == "" then A.fail(F, "out", nil, "must name a folder, got ''") end
  self.fn = A.callable(o.run, F, "run")
  self.seed = A.int(o.seed, F, "seed", nil, {default = 0, min = 0, max = 2^53})
  A.table(o.params, F, "params")
  if core.isarray(o.params) then A.fail(F, "params", nil, "must be a table, got %s", A.describe(o.params)) end
  local is_list = type(o.params[1]) == "table"
  local sampling = A.string(o.sampling, F, "sampling", nil,
    {default = is_list and "list" or "grid",
     choices = {"grid", "list", "random", "latin_hypercube", "lhs"}})
  if sampling == "lhs" then sampling = "latin_hypercube" end
  if sampling == "grid" then
    if is_list then A.fail(F, "params", nil, "is a list of points; use sampling = 'list'") end
    self.design = S.grid(o.params, F)
  elseif sampling == "list" then
    self.design = S.list(o.params, F)
  else
    local n = A.count(o.samples, F, "samples", nil, {min = 1, max = 10000000})
    self.design = S[sampling](o.params, n, self.seed, F)
  end
  if sampling ~= "random" and sampling ~= "latin_hypercube" and o.samples ~= nil then
    A.fail(F, "samples", nil, "is only used with sampling = 'random' or 'latin_hypercube'")
  end
  for _, name in ipairs(self.design.names) do
    if not name:match("^[%a_][%w_]*$") or name == "status" or name == "point" then
      A.fail(F, "params", nil, "has a parameter named %s: names must be identifiers other than "
             .. "'status' and 'point'", A.describe(name))
    end
  end
  self.shard, self.nshards, self.shard_source = shard_from_env()
  -- under mpirun every rank is already one process per core
  local default_workers = (self.shard_source or ""):match("^mpi") and 1 or core.num_threads()
  self.workers = A.count(o.workers, F, "workers", nil, {default = default_workers, min = 1, max = 4096})
  self.progress = A.boolean(o.progress, F, "progress", nil, {default = true})
  self.retry_failed = A.boolean(o.retry_failed, F, "retry_failed", nil, {default = false})
  local pts = {}
  for i, p in ipairs(self.design.points) do pts[i] = params_text(p, self.design.names) end
  self.spec = table.concat({FORMAT, self.name, self.design.kind, tostring(self.seed),
                            table.concat(self.design.names, ","), table.concat(pts, ";")}, "\n")
  self.hash = fnv(self.spec)
  self.key = self.out .. "#" .. self.name .. "#" .. self.hash
  return self
end

--- The number of points.
function Sweep:size() return #self.design.points end

--- The parameters of point i (from 1).
function Sweep:point(i)
  i = A.int(i, "point", 1, "i", {min = 1, max = #self.design.points})
  local p = {}
  for k, v in pairs(self.design.points[i]) do p[k] = v end
  return p
end

--- The seed handed to point i (`ctx.seed`).
function Sweep:point_seed(i)
  i = A.int(i, "point_seed", 1, "i", {min = 1, max = #self.design.points})
  return S.point_seed(self.seed, i)
end

function Sweep:index_path(i, n)
  i, n = i or self.shard, n or self.nshards
  if n == 1 then return self.out .. "/index.sqlite" end
  return ("%s/index-%dof%d.sqlite"):format(self.out, i, n)
end

local function exec(db, path, sql, ...)
  local ok, r = pcall(db.exec, db, sql, ...)
  if not ok then A.error("Sweep", "the sweep index '%s' cannot be used: %s", path, tostring(r)) end
  return r
end

local function transaction(db, path, f)
  exec(db, path, "BEGIN IMMEDIATE")
  local ok, r = pcall(f)
  if not ok then
    pcall(db.exec, db, "ROLLBACK")
    error(r, 0)
  end
  exec(db, path, "COMMIT")
  return r
end

-- Open (or create) this shard's index and check it belongs to this sweep.
function Sweep:open_index(create)
  local path = self:index_path()
  local ok, db = pcall(core.db_open, path)
  if not ok then A.error("Sweep", "cannot open the sweep index '%s': %s", path, tostring(db)) end
  -- write-ahead log, synced at checkpoints: a killed process loses no
  -- committed row (only a power failure could lose the last few)
  exec(db, path, "PRAGMA journal_mode = WAL")
  exec(db, path, "PRAGMA synchronous = NORMAL")
  local tables = {}
  for _, r in ipairs(exec(db, path, "SELECT name FROM sqlite_master WHERE type = 'table'")) do
    tables[r.name] = true
  end
  if next(tables) == nil then
    if not create then db:close(); return nil end
    transaction(db, path, function()
      exec(db, path, [[CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE points (idx INTEGER PRIMARY KEY, params TEXT, seed INTEGER,
          status TEXT NOT NULL, owner TEXT, attempts INTEGER DEFAULT 0, started REAL,
          finished REAL, elapsed REAL, error TEXT, result TEXT, version TEXT);
        CREATE TABLE scalars (idx INTEGER, name TEXT, value REAL, PRIMARY KEY (idx, name))]])
      for k, v in pairs({format = FORMAT, name = self.name, hash = self.hash, spec = self.spec,
                         kind = self.design.kind, points = tostring(#self.design.points),
                         shard = self.shard .. "/" .. self.nshards}) do
        exec(db, path, "INSERT INTO meta VALUES (?, ?)", k, v)
      end
      for i, p in ipairs(self.design.points) do
        if (i - 1) % self.nshards == self.shard then
          exec(db, path, "INSERT INTO points (idx, params, seed, status) VALUES (?, ?, ?, 'pending')",
               i, params_text(p, self.design.names), S.point_seed(self.seed, i))
        end
      end
    end)
    return db
  end
  local meta = {}
  if tables.meta and tables.points then
    for _, r in ipairs(exec(db, path, "SELECT key, value FROM meta")) do meta[r.key] = r.value end
  end
  if meta.format ~= FORMAT then
    db:close()
    A.error("Sweep", "'%s' is not a canns sweep index (an SQLite database with other tables); "
            .. "choose another out folder", path)
  end
  if meta.hash ~= self.hash then
    db:close()
    A.error("Sweep", "the folder '%s' holds another sweep ('%s', %s points, other parameters or "
            .. "seed): use another out folder, or remove it to start again", self.out,
            tostring(meta.name), tostring(meta.points))
  end
  return db
end

function M.version_string()
  return "canns " .. core.version .. (arg and arg[0] and (" " .. arg[0]) or "")
end

-- The values a point returned, checked and turned into arrays.
local function serialise(res, names)
  if res == nil then return {}, {}, "" end
  if type(res) ~= "table" or core.isarray(res) then
    error(("run must return a table of named results, got %s"):format(A.describe(res)), 0)
  end
  local scalars, arrays, kinds, params = {}, {}, {}, {}
  for _, n in ipairs(names) do params[n] = true end
  for k, v in pairs(res) do
    if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") then
      error(("run returned a result named %s: names must be identifiers"):format(A.describe(k)), 0)
    end
    if params[k] then error(("run returned '%s', which is also a parameter name"):format(k), 0) end
    if k == "status" or k == "point" then
      error(("run returned '%s': that name is reserved for the sweep's own variables"):format(k), 0)
    end
    local kind
    if type(v) == "number" then
      scalars[k], kind = v, "scalar"
    elseif type(v) == "boolean" then
      scalars[k], kind = v and 1 or 0, "scalar"
    elseif core.isarray(v) then
      arrays[k], kind = v:copy(), "array"
    elseif type(v) == "table" then
      local ok, list = pcall(A.sequence, v, "run", k)
      if not ok then
        error(("run returned '%s' = %s: a result must be a number, a boolean, an array or a list "
               .. "of numbers"):format(k, A.describe(v)), 0)
      end
      arrays[k], kind = core.array(list, "float64"), "array"
    else
      error(("run returned '%s' = %s: a result must be a number, a boolean, an array or a list "
             .. "of numbers"):format(k, A.describe(v)), 0)
    end
    kinds[#kinds + 1] = k .. "=" .. kind
  end
  table.sort(kinds)
  return scalars, arrays, table.concat(kinds, ";")
end

-- Parameters as the run function sees them: reading a name the sweep does
-- not have is an error (a misspelt parameter never reads nil silently).
local function strict(p, names)
  return setmetatable({}, {
    __index = function(_, k)
      local v = p[k]
      if v == nil then
        error(("parameter '%s' is not in this sweep (it has: %s)"):format(tostring(k),
              table.concat(names, ", ")), 2)
      end
      return v
    end,
    __newindex = function() error("the parameters of a point are read-only", 2) end,
    __pairs = function() return next, p, nil end,
  })
end

-- Compute point idx: run the function, check what it returned and write
-- its arrays to the point's file (atomically).  Returns a record for
-- `commit_point` (on this process, or on MPI rank 0).
function Sweep:compute_point(idx)
  local design = self.design
  local dir = ("%s/points/%d"):format(self.out, idx)
  local ctx = {index = idx, seed = S.point_seed(self.seed, idx), dir = dir, name = self.name,
               progress = false}
  local t0 = core.wallclock()
  local ok, res = xpcall(self.fn, debug.traceback, strict(design.points[idx], design.names), ctx)
  local scalars, arrays, kinds
  if ok then
    ok, scalars, arrays, kinds = pcall(serialise, res, design.names)
    if not ok then res = scalars end
  end
  if ok then
    -- arrays go to the point's file (atomically, before the row says done);
    -- numbers go into the index, in the transaction that marks it done
    ok, res = pcall(function()
      if next(arrays) then cio.save_npz(("%s/points/%d.npz"):format(self.out, idx), arrays) end
    end)
  end
  local t1 = core.wallclock()
  return {idx = idx, ok = ok, finished = t1, elapsed = t1 - t0, scalars = ok and scalars or {},
          kinds = ok and kinds or "", error = (not ok) and tostring(res) or nil,
          version = M.version_string()}
end

-- Record a computed point in the index: done with its numbers, or failed
-- with its error (inside a transaction).
local function record(db, path, r)
  if r.ok then
    exec(db, path, "DELETE FROM scalars WHERE idx = ?", r.idx)
    for k, v in pairs(r.scalars) do
      exec(db, path, "INSERT INTO scalars VALUES (?, ?, ?)", r.idx, k, v)
    end
    exec(db, path, "UPDATE points SET status = 'done', finished = ?, elapsed = ?, result = ?, "
         .. "error = NULL, version = ? WHERE idx = ?", r.finished, r.elapsed, r.kinds, r.version, r.idx)
  else
    exec(db, path, "UPDATE points SET status = 'failed', finished = ?, elapsed = ?, error = ?, "
         .. "version = ? WHERE idx = ?", r.finished, r.elapsed, r.error, r.version, r.idx)
  end
end

-- Mark the next pending point running for `owner` (inside a transaction);
-- nil when none is left.
local function take(db, path, owner)
  local rows = exec(db, path, "SELECT idx FROM points WHERE status = 'pending' ORDER BY idx LIMIT 1")
  if #rows == 0 then return nil end
  exec(db, path, "UPDATE points SET status = 'running', owner = ?, started = ?, "
       .. "attempts = attempts + 1 WHERE idx = ?", owner, core.wallclock(), rows[1].idx)
  return rows[1].idx
end

--- Record the computed point `r` (nil: none) and, unless `owner` is nil,
-- claim the next pending point for `owner`, in one transaction.
function M.commit_and_claim(db, path, r, owner)
  return transaction(db, path, function()
    if r then record(db, path, r) end
    if owner then return take(db, path, owner) end
  end)
end

local function counts(db, path)
  local c = {pending = 0, running = 0, done = 0, failed = 0}
  for _, r in ipairs(exec(db, path, "SELECT status, COUNT(*) AS n FROM points GROUP BY status")) do
    c[r.status] = r.n
  end
  return c
end

-- The command that starts this script again, or nil (REPL, -e, stdin).
local function script_argv()
  if type(arg) ~= "table" or type(arg[0]) ~= "string" or arg[0] == "-" then return nil end
  local exe = core.proc_exe()
  if not exe then return nil end
  local lo = 0
  while arg[lo - 1] ~= nil do lo = lo - 1 end
  local argv = {exe}
  for i = lo + 1, -1 do
    if arg[i] == "-i" then return nil end -- the workers would wait for a terminal
  end
  for i = lo + 1, #arg do argv[#argv + 1] = arg[i] end
  return argv
end

local function log_point(self, idx, ok, dt, err, done, total)
  if not self.progress then return end
  local p = params_text(self.design.points[idx], self.design.names)
  if ok then
    io.stderr:write(("[%s] point %d (%s) done in %.3g s  [%d/%d]\n"):format(self.name, idx, p, dt, done, total))
  else
    io.stderr:write(("[%s] point %d (%s) failed: %s  [%d/%d]\n"):format(self.name, idx, p,
                    (err or ""):match("^[^\n]*"), done, total))
  end
end

function Sweep:worker_loop(db, path, owner, report)
  -- one transaction per point: record the last one and claim the next
  local r = nil
  while true do
    local idx = M.commit_and_claim(db, path, r, owner)
    if r and report then report(r.idx, r.ok, r.elapsed, r.error) end
    if not idx then return end
    r = self:compute_point(idx)
  end
end

--- Run every point not yet finished (this shard's, under a job array or
-- MPI).  Returns a summary `{done, failed, pending, total}` for the shard.
function Sweep:run()
  local worker_key = os.getenv("CANNS_SWEEP_WORKER")
  if worker_key and worker_key ~= "" then
    if worker_key ~= self.key then return nil end -- a worker of another sweep of this script
    local db = self:open_index(false)
    if not db then A.error("Sweep:run", "worker started without an index in '%s'", self.out) end
    self:worker_loop(db, self:index_path(), tostring(core.proc_getpid()))
    db:close()
    os.exit(0, true)
  end
  core.mkdir(self.out .. "/points")
  if self.shard_source == "mpi" then
    local rank, size = MPI.launched()
    if rank and size > 1 and rank > 0 then
      -- ranks 1..K-1 compute what rank 0 hands out, then stop here like
      -- the worker processes (code after run() runs on rank 0 only)
      MPI.serve(self)
      os.exit(0, true)
    end
  end
  local lockname = ("%s/.lock-%dof%d"):format(self.out, self.shard, self.nshards)
  local lock, why = core.flock(lockname)
  if not lock then
    A.error("Sweep:run", "another process is running this sweep in '%s' (lock '%s' %s)",
            self.out, lockname, why)
  end
  local ok, r = pcall(self.run_locked, self)
  lock:unlock()
  if not ok then error(r, 0) end
  return r
end

function Sweep:run_locked()
  local path = self:index_path()
  local db = self:open_index(true)
  transaction(db, path, function()
    -- nothing else runs this shard (we hold its lock): points left running
    -- by a killed process start again
    exec(db, path, "UPDATE points SET status = 'pending', owner = NULL WHERE status = 'running'")
    if self.retry_failed then
      exec(db, path, "UPDATE points SET status = 'pending', error = NULL WHERE status = 'failed'")
    end
  end)
  local c = counts(db, path)
  local total = c.pending + c.done + c.failed
  local bar = nil
  if self.progress and core.progress_enabled() then
    bar = core.Progress(self.name, total)
    if c.done + c.failed > 0 then bar:tick(c.done + c.failed) end
  end
  local finished = c.done + c.failed
  local function report(idx, ok, dt, err)
    finished = finished + 1
    if bar then bar:tick(1) else log_point(self, idx, ok, dt, err, finished, total) end
  end
  local rank, size = MPI.launched()
  local argv = self.workers > 1 and c.pending > 1 and script_argv()
  if self.shard_source == "mpi" and rank and size > 1 then
    MPI.schedule(self, db, path, M.commit_and_claim, report)
  elseif not argv then
    self:worker_loop(db, path, tostring(core.proc_getpid()), report)
  else
    local n = math.min(self.workers, c.pending)
    local pids = {}
    for i = 1, n do
      pids[i] = core.proc_spawn(argv, {CANNS_SWEEP_WORKER = self.key, OMP_NUM_THREADS = "1",
                                       CANNS_PROGRESS = "0"})
    end
    local alive, codes = n, {}
    local seen = {}
    for _, r in ipairs(exec(db, path, "SELECT idx FROM points WHERE status IN ('done', 'failed')")) do
      seen[r.idx] = true
    end
    local last, newest = 0, 0
    while alive > 0 do
      core.sleep(0.05)
      last = newest
      for i = 1, n do
        if pids[i] and not codes[i] then
          local code = core.proc_wait(pids[i], false)
          if code then codes[i], alive = code, alive - 1 end
        end
      end
      -- only rows finished since the last look (same machine, same clock)
      for _, r in ipairs(exec(db, path, "SELECT idx, status, elapsed, error, finished FROM points "
                                        .. "WHERE status IN ('done', 'failed') AND finished >= ?",
                              last - 1)) do
        if r.finished > newest then newest = r.finished end
        if not seen[r.idx] then
          seen[r.idx] = true
          report(r.idx, r.status == "done", r.elapsed or 0, r.error)
        end
      end
    end
    -- a point still marked running belonged to a worker that died on it
    for i = 1, n do
      for _, r in ipairs(exec(db, path, "SELECT idx FROM points WHERE status = 'running' AND owner = ?",
                              tostring(pids[i]))) do
        exec(db, path, "UPDATE points SET status = 'failed', error = ? WHERE idx = ?",
             ("the worker process %d exited with status %d while running this point"):format(pids[i], codes[i]),
             r.idx)
        report(r.idx, false, 0, "worker died")
      end
    end
    -- what the workers left (they all stopped early): finish here
    self:worker_loop(db, path, tostring(core.proc_getpid()), report)
  end
  if bar then bar:close() end
  c = counts(db, path)
  db:close()
  self:results()
  return {done = c.done, failed = c.failed, pending = c.pending, total = c.pending + c.done + c.failed}
end

--- The status of every point: a list `{index, params, seed, status,
-- elapsed, error, attempts}` from the index files of all shards.
function Sweep:status()
  local rows = {}
  for i = 0, self.nshards - 1 do
    local path = self:index_path(i, self.nshards)
    local f = io.open(path, "rb")
    if f then
      f:close()
      local db = core.db_open(path)
      for _, r in ipairs(exec(db, path, "SELECT * FROM points ORDER BY idx")) do
        rows[r.idx] = {index = r.idx, params = r.params, seed = r.seed, status = r.status,
                       elapsed = r.elapsed, error = r.error, attempts = r.attempts, result = r.result,
                       values = {}}
      end
      for _, r in ipairs(exec(db, path, "SELECT idx, name, value FROM scalars")) do
        if rows[r.idx] then rows[r.idx].values[r.name] = r.value end
      end
      db:close()
    end
  end
  for i = 1, #self.design.points do
    rows[i] = rows[i] or {index = i, params = params_text(self.design.points[i], self.design.names),
                          seed = S.point_seed(self.seed, i), status = "pending", attempts = 0}
  end
  return rows
end

require("canns.pipeline.results")(Sweep)
return M
