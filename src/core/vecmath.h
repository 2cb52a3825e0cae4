/* canns — glibc's vector math library (libmvec) for `omp simd` loops
 * (internal).
 *
 * Declaring these libm functions with the `simd` attribute lets GCC call
 * their vector variants (_ZGV{b,c,d,e}N*v_*: SSE2, AVX, AVX2, AVX-512) in
 * vectorised loops; libm's linker script brings libmvec in.  Each lane is
 * computed on its own (a lane's result depends only on its input), within
 * a few ulp of the scalar function, so loops using them give the same
 * numbers for any split of the work.  CN_VEC_CLONES clones a function for
 * AVX-512, AVX2 and the baseline; files using it must be built without
 * floating-point contraction where results must keep their rounding
 * (CMakeLists.txt).  Elsewhere (not glibc on x86-64 with GCC) the same
 * loops call libm. */
#ifndef CANNS_CORE_VECMATH_H
#define CANNS_CORE_VECMATH_H

#include <math.h>

#if defined(__x86_64__) && defined(__GLIBC__) && defined(__GNUC__) && !defined(__clang__)
double log(double) __attribute__((simd("notinbranch")));
double cos(double) __attribute__((simd("notinbranch")));
double sin(double) __attribute__((simd("notinbranch")));
float expf(float) __attribute__((simd("notinbranch")));
#define CN_VEC_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define CN_VEC_CLONES
#endif

#endif
