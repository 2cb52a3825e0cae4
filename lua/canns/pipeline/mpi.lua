--- The dynamic MPI scheduler of `canns.pipeline.Sweep` (`mpirun -n K canns
-- sweep.lua`).
--
-- Rank 0 owns the sweep's folder: it takes the lock, keeps the index
-- (`index.sqlite`, the same file a run on one machine uses, so a sweep can
-- be resumed either way) and hands out points one at a time; ranks 1..K-1
-- compute them.  Each rank writes the files of its own points
-- (`points/<i>.npz`, atomically, so `out` must be on a file system every
-- rank sees) and sends rank 0 one message per point with its status,
-- timings, error and numbers; rank 0 commits it to the index and answers
-- with the next point, or with "stop".  Two messages per point, all of
-- them to or from rank 0.  Each computing rank holds AHEAD = 1 point
-- beyond the one it computes (rank 0 sends two at the start and one per
-- finished point), so it does not wait for rank 0 between points.  A
-- waiting rank polls for 0.2 ms, then sleeps in growing naps (up to 1 ms).
--
-- Messages (MPI tags): READY (worker -> 0: the sweep's key, checked so a
-- rank running another script or other parameters is refused), POINT
-- (0 -> worker: an index), DONE (worker -> 0: a point's record, which also
-- asks for the next), STOP (0 -> worker: no more points, or the reason the
-- rank was refused).
--
-- The binding (`canns.mpi`, src/lua/module/mpi_module.c) is built only
-- when OpenMPI is found and loaded only under mpirun.
-- @module canns.pipeline.mpi

local A = require "canns.argcheck"
local core = require "canns.core"

local M = {}

local READY, POINT, DONE, STOP = 1, 2, 3, 4
-- points a computing rank holds beyond the one it computes: it never
-- waits for rank 0 between points (at the end, at most this many points
-- per rank wait behind a long one)
local AHEAD = 1

local binding, binding_why = nil, nil
local finished = false

local function dirname(p) return p:match("^(.*)/[^/]*$") or "." end

--- The MPI binding, loaded on first use; nil and the reason when it was
-- not built (OpenMPI missing) or cannot be loaded.
function M.binding()
  if binding or binding_why then return binding, binding_why end
  local candidates = {}
  local found = package.searchpath("canns.mpi", package.cpath)
  if found then candidates[#candidates + 1] = found end
  local exe = core.proc_exe()
  if exe then
    local d = dirname(exe)
    candidates[#candidates + 1] = d .. "/lib/canns/mpi.so"            -- build tree
    candidates[#candidates + 1] = d .. "/../lib/lua/5.4/canns/mpi.so" -- installed
  end
  for _, path in ipairs(candidates) do
    local f = io.open(path, "rb")
    if f then
      f:close()
      -- libmpi's own plugins need its symbols global: load it with "*" first
      local ok, why = package.loadlib(path, "*")
      if ok then
        local open
        open, why = package.loadlib(path, "luaopen_canns_mpi")
        if open then binding = open(); return binding end
      end
      binding_why = ("'%s' cannot be loaded: %s"):format(path, tostring(why))
      return nil, binding_why
    end
  end
  binding_why = "canns was built without MPI (install libopenmpi-dev and rebuild)"
  return nil, binding_why
end

--- The rank and size under mpirun (from the launcher's environment, before
-- MPI starts), or nil when not under mpirun or after the MPI part of the
-- script is over.
function M.launched()
  if finished then return nil end
  local r, n = os.getenv("OMPI_COMM_WORLD_RANK"), os.getenv("OMPI_COMM_WORLD_SIZE")
  if not (r and n) then r, n = os.getenv("PMI_RANK"), os.getenv("PMI_SIZE") end
  r, n = math.tointeger(tonumber(r)), math.tointeger(tonumber(n))
  if r and n and n >= 1 and r >= 0 and r < n then return r, n end
  return nil
end

local function start()
  local mpi = assert(M.binding())
  return mpi, mpi.init()
end

local function finish(mpi)
  mpi.finalize()
  finished = true
end

-- A point's record as bytes and back (numbers bit-exact).
local function pack(r)
  local names = {}
  for k in pairs(r.scalars) do names[#names + 1] = k end
  table.sort(names)
  local parts = {string.pack("<i8Bdds4s4s4I4", r.idx, r.ok and 1 or 0, r.finished, r.elapsed, r.kinds,
                             r.error or "", r.version, #names)}
  for _, k in ipairs(names) do parts[#parts + 1] = string.pack("<s4d", k, r.scalars[k]) end
  return table.concat(parts)
end

local function unpack(s)
  local idx, ok, fin, el, kinds, err, version, n, pos = string.unpack("<i8Bdds4s4s4I4", s)
  local r = {idx = idx, ok = ok == 1, finished = fin, elapsed = el, kinds = kinds,
             error = err ~= "" and err or nil, version = version, scalars = {}}
  for _ = 1, n do
    local k, v
    k, v, pos = string.unpack("<s4d", s, pos)
    r.scalars[k] = v
  end
  return r
end

--- Ranks 1..K-1: take points from rank 0 until it says stop, then end
-- MPI.  Raises an error when rank 0 refused this rank.
function M.serve(sweep)
  local mpi = start()
  mpi.send(0, READY, sweep.key)
  local queue, stopped, why = {}, false, ""
  local function take(timeout)
    local _, tag, msg = mpi.recv(0, timeout, 2e-4)
    if not tag then return false end
    if tag == STOP then stopped, why = true, msg
    else queue[#queue + 1] = string.unpack("<i8", msg) end
    return true
  end
  while true do
    while take(0) do end -- whatever has arrived
    if #queue == 0 then
      if stopped then break end
      take(nil)
    else
      local idx = table.remove(queue, 1)
      mpi.send(0, DONE, pack(sweep:compute_point(idx)))
    end
  end
  finish(mpi)
  if why ~= "" then A.error("Sweep:run", "%s", why) end
end

--- Rank 0: hand out the pending points of `sweep` (index `db` at `path`)
-- to the other ranks and commit what they send back; `report(idx, ok,
-- elapsed, error)` is called for each finished point.
-- `commit_and_claim(db, path, record or nil, owner or nil)` records a
-- finished point and claims the next pending one (nil: none left) in one
-- transaction.
function M.schedule(sweep, db, path, commit_and_claim, report)
  local mpi, rank, size = start()
  assert(rank == 0)
  local active, refused = size - 1, nil
  local held = {} -- points handed to each rank and not yet reported
  -- record r (or nothing) and hand src its next point; stop src when no
  -- point is left and it holds none
  local function next_for(src, r)
    local idx = commit_and_claim(db, path, r, (not refused) and ("rank " .. src) or nil)
    if idx then
      mpi.send(src, POINT, string.pack("<i8", idx))
      held[src] = (held[src] or 0) + 1
    elseif (held[src] or 0) == 0 then
      mpi.send(src, STOP, "")
      active = active - 1
    end
  end
  while active > 0 do
    local src, tag, msg = mpi.recv(-1, 1, 2e-4)
    if src and tag == READY then
      if msg ~= sweep.key then
        local why = ("rank %d runs another sweep than rank 0 (its sweep: %s; rank 0's: %s): every rank "
                     .. "must run the same script with the same parameters"):format(src, msg, sweep.key)
        refused = refused or why
        mpi.send(src, STOP, why)
        active = active - 1
      else
        local active_before = active
        for _ = 1, 1 + AHEAD do
          if active_before ~= active then break end
          next_for(src)
        end
      end
    elseif src and tag == DONE then
      local r = unpack(msg)
      held[src] = held[src] - 1
      if r.ok and r.kinds:find("=array", 1, true) then
        local f = io.open(("%s/points/%d.npz"):format(sweep.out, r.idx), "rb")
        if f then f:close() else
          r.ok, r.error = false, ("rank %d wrote points/%d.npz, which rank 0 cannot see: the out "
                                  .. "folder must be on a file system all ranks share"):format(src, r.idx)
        end
      end
      next_for(src, r)
      report(r.idx, r.ok, r.elapsed, r.error)
    end
  end
  finish(mpi)
  if refused then
    A.error("Sweep:run", "%s; the points finished so far are kept in '%s'", refused, path)
  end
end

return M
