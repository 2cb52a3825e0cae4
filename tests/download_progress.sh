#!/bin/sh
# A download draws its progress bar, in bytes, on a terminal (a pseudo-
# terminal made by `script`), and nothing when stderr is not one.  The
# source is a file:// URL in a temporary folder (no network).  Exits 77
# (skipped) without `script`.
# usage: download_progress.sh CANNS
set -u
CANNS=$1
command -v script >/dev/null 2>&1 || { echo "no script(1): skipped"; exit 77; }
dir=$(mktemp -d /tmp/canns-dlprog-XXXXXX)
trap 'rm -rf "$dir"' EXIT
head -c 3000000 /dev/zero > "$dir/src.bin"
code="require('canns').core.download('file://$dir/src.bin', '$dir/out.bin')"
out=$(env -u CANNS_PROGRESS script -qec "'$CANNS' -e \"$code\"" /dev/null 2>&1 | tr '\r' '\n')
fail=0
case "$out" in
  *"out.bin ["*"100% 2.9 MiB/2.9 MiB"*) echo "ok   bar on a terminal";;
  *) echo "FAIL bar on a terminal: $out"; fail=1;;
esac
cmp -s "$dir/src.bin" "$dir/out.bin" || { echo "FAIL the file differs"; fail=1; }
rm -f "$dir/out.bin"
quiet=$(env -u CANNS_PROGRESS "$CANNS" -e "$code" 2>&1)
if [ -z "$quiet" ]; then echo "ok   silent off a terminal"; else echo "FAIL silent off a terminal: $quiet"; fail=1; fi
exit $fail
