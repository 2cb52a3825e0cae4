#!/bin/sh
# canns — the two commands of the README.
#
#   ./build.sh demo   install what is missing, build, run the flagship
#                     experiment (outputs in out/flagship/)
#   ./build.sh test   install what is missing, build, and run the whole
#                     test suite: a normal build and an ASan+UBSan build
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
