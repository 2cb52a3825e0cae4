#!/bin/sh
# canns — the CUDA checks for a machine with a GPU: configure and build with
# CUDA required, run the CUDA ctest subset, and keep the logs in $1
# (default out/cuda-check).  Usage: scripts/cuda/device_check.sh [OUTDIR]
set -u
cd "$(dirname "$0")/../.."
out=${1:-out/cuda-check}
mkdir -p "$out"
{ nvidia-smi; nvcc --version; } >"$out/machine.txt" 2>&1
cmake -S . -B build-cuda -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCANNS_CUDA=ON \
  -DCMAKE_CUDA_ARCHITECTURES=90 >"$out/configure.log" 2>&1 || { tail -30 "$out/configure.log"; exit 1; }
cmake --build build-cuda -j "$(nproc)" --target test_cuda canns_exe >"$out/build.log" 2>&1 \
  || { tail -30 "$out/build.log"; exit 1; }
./build-cuda/canns doctor >"$out/doctor.txt" 2>&1
(cd build-cuda && ctest -L cuda --output-on-failure) >"$out/ctest.log" 2>&1
rc=$?
cat "$out/doctor.txt" "$out/ctest.log"
exit $rc
