#!/bin/sh
# The promise of docs/lua-api.md ("Same numbers for any thread count"):
# tests/threads_same.lua prints, as hex floats, every operation that
# carries it; run it with one and with two OpenMP/OpenBLAS threads and
# compare the outputs byte for byte.
# usage: threads_same.sh CANNS SOURCE_DIR
set -u
CANNS=$1
SRC=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for n in 1 2; do
  OMP_NUM_THREADS=$n OPENBLAS_NUM_THREADS=$n CANNS_PROGRESS=0 \
    "$CANNS" "$SRC/tests/threads_same.lua" > "$tmp/out$n" || { echo "FAIL: the script failed with $n thread(s)"; exit 1; }
done
lines=$(wc -l < "$tmp/out1")
if [ "$lines" -lt 40 ]; then echo "FAIL: only $lines lines of output"; exit 1; fi
if cmp -s "$tmp/out1" "$tmp/out2"; then
  echo "ok: $lines results identical for 1 and 2 threads"
else
  echo "FAIL: results differ between 1 and 2 threads:"
  diff "$tmp/out1" "$tmp/out2" | cut -c1-120 | head -20
  exit 1
fi
