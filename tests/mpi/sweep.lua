-- A tiny sweep run by tests/mpi_sweep.sh: serially, and under
-- `mpirun -n 3` (rank 0 schedules, ranks 1 and 2 compute).
--   canns tests/mpi/sweep.lua OUT [MODE]
-- MODE "concurrent": point 1 waits (up to 60 s) until the other computing
-- rank has started a point, so the run fails unless two ranks compute at
-- once.
-- MODE "mismatch": rank 2 builds a sweep with other parameters.
local canns = require "canns"
local out, mode = arg[1], arg[2] or ""
local rank = tonumber(os.getenv("OMPI_COMM_WORLD_RANK") or "0")
local ks = {1, 2, 3}
if mode == "mismatch" and rank == 2 then ks = {1, 2, 4} end
local sweep = canns.pipeline.Sweep{
  name = "mpi_test", out = out, seed = 7, workers = 1,
  params = {k = ks, m = {0.5, 1.5}, label = {"a", "b"}},
  run = function(p, ctx)
    if mode == "concurrent" then
      io.open(("%s/points/started-rank%d"):format(out, rank), "wb"):close()
      if ctx.index == 1 then
        local other = ("%s/points/started-rank%d"):format(out, rank == 1 and 2 or 1)
        local t0 = canns.core.wallclock()
        while not io.open(other, "rb") do
          if canns.core.wallclock() - t0 > 60 then error("no other rank started a point while point 1 ran") end
          canns.core.sleep(0.01)
        end
      end
    end
    if p.k == 3 and p.m == 1.5 and p.label == "b" then error("point fails on purpose") end
    local x = canns.random.Generator(ctx.seed):uniform({5})
    return {s = p.k * p.m + canns.sum(x), x = x, seed = ctx.seed, flag = p.label == "a"}
  end}
local r = sweep:run()
local ds = sweep:results()
print(("summary done=%d failed=%d pending=%d"):format(r.done, r.failed, r.pending))
