#!/bin/sh
# The sweep's dynamic MPI scheduler: a tiny sweep (tests/mpi/sweep.lua)
# run serially and under `mpirun -n 3` (rank 0 schedules, ranks 1 and 2
# compute) gives the same results.nc bit for bit and the same index;
# both worker ranks compute at once; a second mpirun recomputes nothing;
# a rank running other parameters is refused with a clear error and the
# finished points are kept.  Exits 77 (skipped) without mpirun or
# without the MPI binding.
# usage: mpi_sweep.sh CANNS SOURCE_DIR BUILD_DIR
set -u
CANNS=$1 SRC=$2 BUILD=$3
command -v mpirun >/dev/null 2>&1 || { echo "mpirun not found: skipped"; exit 77; }
[ -f "$BUILD/lib/canns/mpi.so" ] || { echo "built without MPI: skipped"; exit 77; }
OUT=$BUILD/test-out/mpi_sweep
rm -rf "$OUT" && mkdir -p "$OUT"
# loopback only, no single-copy (ptrace) transport in containers
export OMPI_MCA_btl_vader_single_copy_mechanism=none OMPI_MCA_btl=self,vader
export OMPI_MCA_rmaps_base_oversubscribe=1 CANNS_PROGRESS=0
# OpenMPI keeps allocations for the life of the process
export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
MPIRUN="mpirun --allow-run-as-root --oversubscribe -n 3"
cd "$SRC" || exit 1
fail=0
ok() { echo "ok   $1"; }
no() { echo "FAIL $1"; fail=1; }

"$CANNS" tests/mpi/sweep.lua "$OUT/serial" > "$OUT/serial.log" 2>&1 || { cat "$OUT/serial.log"; no "serial run"; }
if $MPIRUN "$CANNS" tests/mpi/sweep.lua "$OUT/mpi" concurrent > "$OUT/mpi.log" 2>&1; then
  ok "mpirun -n 3"
else
  cat "$OUT/mpi.log"; no "mpirun -n 3"
fi
grep -q "summary done=11 failed=1 pending=0" "$OUT/mpi.log" && ok "summary printed once, by rank 0" || no "summary"
[ "$(grep -c '^summary' "$OUT/mpi.log")" = 1 ] || no "code after run() ran on more than rank 0"
"$CANNS" tests/mpi/compare.lua "$OUT/serial" "$OUT/mpi" && ok "same results as the serial run" || no "compare"
owners=$(sqlite3 "$OUT/mpi/index.sqlite" "select distinct owner from points order by owner" 2>/dev/null | tr '\n' ' ')
[ "$owners" = "rank 1 rank 2 " ] && ok "ranks 1 and 2 computed" || no "owners: '$owners'"

# resume: everything is finished, nothing runs again
$MPIRUN "$CANNS" tests/mpi/sweep.lua "$OUT/mpi" > "$OUT/again.log" 2>&1 || { cat "$OUT/again.log"; no "second mpirun"; }
att=$(sqlite3 "$OUT/mpi/index.sqlite" "select sum(attempts) from points" 2>/dev/null)
[ "$att" = 12 ] && ok "a second run recomputes nothing" || no "attempts after the second run: $att"

# a rank with other parameters: an error naming it, finished points kept
if $MPIRUN "$CANNS" tests/mpi/sweep.lua "$OUT/mismatch" mismatch > "$OUT/mismatch.log" 2>&1; then
  no "mismatching ranks were accepted"
else
  grep -q "rank 2 runs another sweep than rank 0" "$OUT/mismatch.log" && ok "mismatch refused" ||
    { cat "$OUT/mismatch.log"; no "mismatch message"; }
fi
run=$(sqlite3 "$OUT/mismatch/index.sqlite" "select count(*) from points where status = 'running'" 2>/dev/null)
[ "$run" = 0 ] && ok "no point left running after the refusal" || no "running after refusal: '$run'"
"$CANNS" tests/mpi/sweep.lua "$OUT/mismatch" > "$OUT/mismatch2.log" 2>&1 &&
  "$CANNS" tests/mpi/compare.lua "$OUT/serial" "$OUT/mismatch" && ok "the refused sweep resumes serially" ||
  no "resume after the refusal"
exit $fail
