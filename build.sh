#!/bin/sh
# canns — the two commands of the README.
#
#   ./build.sh demo   install what is missing, build, run the flagship
#                     experiment (outputs in out/flagship/)
#   ./build.sh test   install what is missing, build, and run the whole
#                     test suite: a normal build and an ASan+UBSan build,
#                     then the fuzz harnesses for a few seconds each
#
# Other targets: ./build.sh build (just build into build/),
#                ./build.sh bench (run the benchmarks under scripts/bench).
set -eu
cd "$(dirname "$0")"
JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}

deps() { sh scripts/deps.sh; }

build() { # build DIR [cmake options...]
  dir=$1; shift
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

# The libFuzzer harnesses of scripts/fuzz, a few seconds each from their
# committed seeds (CANNS_FUZZ_SECONDS); skipped when clang or its libFuzzer
# runtime is missing.
fuzz() {
  t=$(mktemp -d)
  printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)'\
'{ return 0; }\n' >"$t/probe.c"
  if command -v clang >/dev/null 2>&1 &&
     clang -fsanitize=fuzzer,address "$t/probe.c" -o "$t/probe" >/dev/null 2>&1; then
    rm -rf "$t"
    CC=clang cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANNS_FUZZ=ON \
      -DCANNS_FUZZ_SECONDS="${CANNS_FUZZ_SECONDS:-4}" >/dev/null
    cmake --build build-fuzz -j "$JOBS" --target fuzz_npy fuzz_npz fuzz_nc
    (cd build-fuzz && ctest --output-on-failure -L fuzz)
  else
    rm -rf "$t"
    echo "canns: clang with libFuzzer not found: fuzz tests skipped"
  fi
}

case "${1:-}" in
  demo)
    deps
    build build
    ./build/canns examples/flagship.lua out/flagship
    ;;
  test)
    deps
    build build
    (cd build && ctest --output-on-failure -j "$JOBS")
    # The same suite under AddressSanitizer + UndefinedBehaviorSanitizer.
    build build-asan -DCANNS_SANITIZE=ON
    (cd build-asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
       UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$JOBS")
    fuzz
    ;;
  build)
    deps
    build build
    ;;
  bench)
    deps
    build build
    for b in scripts/bench/*; do
      [ -x "$b" ] && [ -f "$b" ] && { echo "== $b"; "$b" || exit 1; }
    done
    ;;
  *)
    echo "usage: $0 demo|test|build|bench" >&2
    exit 2
    ;;
esac
