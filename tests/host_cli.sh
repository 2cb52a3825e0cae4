#!/bin/sh
# The canns host's command line: scripts with arguments, -e, -l, --version,
# --env, doctor, stdin, error exit status.
# usage: host_cli.sh CANNS SOURCE_DIR
set -u
CANNS=$1
fail=0
check() { # name, expected substring, command...
  name=$1; want=$2; shift 2
  out=$("$@" 2>&1); rc=$?
  case "$out" in
    *"$want"*) echo "ok   $name";;
    *) echo "FAIL $name: rc=$rc output: $out"; fail=1;;
  esac
}
check_rc() { # name, expected rc, command...
  name=$1; want=$2; shift 2
  "$@" >/dev/null 2>&1; rc=$?
  if [ "$rc" -eq "$want" ]; then echo "ok   $name"; else echo "FAIL $name: rc=$rc, expected $want"; fail=1; fi
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat > "$tmp/args.lua" <<'L'
local a, b = ...
print("args", a, b, arg[0]:match("args.lua$") ~= nil, arg[1], arg[2], #arg)
L
check "script args" "args	x	y	true	x	y	2" "$CANNS" "$tmp/args.lua" x y
check "-e" "42" "$CANNS" -e 'print(6 * 7)'
check "-e require canns" "6" "$CANNS" -e 'local c = require "canns"; print(c.ones({2, 3}):sum())'
check "-l" "float32" "$CANNS" -l canns -e 'print(canns.zeros(2):dtype())'
check "--version" "canns " "$CANNS" --version
check "--env" "LUA_CPATH" "$CANNS" --env
check "doctor blas" "blas" "$CANNS" doctor
check "doctor fftw" "fftw-3" "$CANNS" doctor
check "doctor cuda" "cuda" "$CANNS" doctor
check "doctor netcdf" "netCDF" "$CANNS" doctor
check "doctor cuda" "cuda" "$CANNS" doctor
check "stdin script" "from stdin" sh -c "echo 'print(\"from stdin\")' | '$CANNS'"
check "runtime error message" "zeros: argument 1 (shape) must be non-negative, got -3" "$CANNS" -e 'require("canns").zeros(-3)'
check_rc "runtime error exit status" 1 "$CANNS" -e 'error("boom")'
check_rc "missing script" 1 "$CANNS" "$tmp/does-not-exist.lua"
check_rc "bad option" 1 "$CANNS" --no-such-option
check "-i runs the REPL after -e" "canns> " sh -c "printf '1+1\n' | '$CANNS' -i -e 'x=1' 2>&1 || true"
# REPL: expression results print like numpy; Tab completes fields and methods
check "spatial-tda --help" "usage: canns spatial-tda --data FILE.npz" "$CANNS" spatial-tda --help
check_rc "spatial-tda without --data: usage error" 2 "$CANNS" spatial-tda --bins 20
check "spatial-tda usage error names the argument" "unrecognized argument '--bogus'" sh -c "'$CANNS' spatial-tda --data x.npz --bogus 2>&1"
check_rc "spatial-tda on a missing file" 1 "$CANNS" spatial-tda --data "$tmp/missing.npz" --out-dir "$tmp/st"
check "REPL prints arrays" "array([0. , 0.5, 1. ], dtype=float32)" sh -c "printf 'canns.linspace(0, 1, 3)\n' | '$CANNS' -i 2>&1"
check "REPL completes canns.linsp<TAB>" "canns.linspace(0,1,3)" sh -c "printf 'canns.linsp\t(0,1,3)\n' | '$CANNS' -i 2>&1"
check "REPL completes methods x:cums<TAB>" "array([1., 2.], dtype=float32)" sh -c "printf 'x = canns.ones(2)\nx:cums\t()\n' | '$CANNS' -i 2>&1"
check "REPL multi-line statements" "done3" sh -c "printf 's = 0\nfor i = 1, 2 do\n  s = s + i\nend print(\"done\" .. s)\n' | '$CANNS' -i 2>&1"
check "REPL reports errors and goes on" "after" sh -c "printf 'canns.zeros(-1)\nprint(\"after\")\n' | '$CANNS' -i 2>&1"
exit $fail
