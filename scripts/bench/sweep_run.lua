-- One run of the sweep benchmark (scripts/bench/sweep): N CANN1D points
-- (num = 128, STEPS recorded steps, default 100; 0: an empty point returning
-- a number, which measures the scheduling overhead alone), either as a plain loop in this process
-- (mode "plain", the reference) or through canns.pipeline.Sweep with W
-- worker processes (mode "sweep").  KILL_AT=i kills the process with
-- SIGKILL when point i starts for the first time.
--   canns scripts/bench/sweep_run.lua MODE OUT N W [STEPS]
local canns = require "canns"
local core = require "canns.core"
local mode, out, n, workers = arg[1], arg[2], tonumber(arg[3]), tonumber(arg[4] or "1")
local steps = tonumber(arg[5] or "100")
local kill_at = tonumber(os.getenv("KILL_AT") or "")

local function point(p, ctx)
  if ctx then
    local f = io.open(out .. "/started.txt", "a"); f:write(ctx.index, "\n"); f:close()
  end
  if ctx and ctx.index == kill_at and not io.open(out .. "/killed") then
    io.open(out .. "/killed", "w"):close()
    core.proc_kill(core.proc_getpid(), 9)
  end
  if steps == 0 then return {peak = p.k} end -- an empty point: the overhead alone
  canns.set_dt(0.1)
  local m = canns.models.CANN1D{num = 128, k = p.k}
  local r = canns.run(m, steps, {record = {"u"}})
  return {peak = canns.max(r.u)}
end

local ks = canns.linspace(1, 10, n):totable()
local t0 = core.wallclock()
if mode == "plain" then
  for i = 1, n do point({k = ks[i]}) end
else
  local sw = canns.pipeline.Sweep{name = "bench", out = out, params = {k = ks}, workers = workers,
                                  progress = false, run = point}
  sw:run()
end
print(("elapsed %.6f"):format(core.wallclock() - t0))
if mode ~= "plain" then
  -- from the first point's start to the last one's end: the steady rate,
  -- without starting the workers or ranks
  local db = core.db_open(out .. "/index.sqlite")
  local r = db:exec("SELECT MIN(started) AS a, MAX(finished) AS b FROM points")[1]
  db:close()
  print(("span %.6f"):format(r.b - r.a))
end
