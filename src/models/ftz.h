/* canns — flush denormals to zero while a model steps (internal).
 *
 * The Gaussian tails of a CANN bump underflow into float32 denormals, which
 * the CPU handles up to 100x slower (a CANN2D_SFA step on the dense path
 * went from 20 us to 500 us).  XLA, which runs the Python toolkit, flushes
 * denormals to zero on the CPU; so do model steps here, restoring the
 * caller's floating-point mode afterwards.  Values below 1.2e-38 become 0,
 * which changes nothing measurable. */
#ifndef CANNS_MODELS_FTZ_H
#define CANNS_MODELS_FTZ_H

#if defined(__SSE__) || defined(__x86_64__)
#include <xmmintrin.h>
typedef unsigned int cn_ftz_state;
static inline cn_ftz_state cn_ftz_begin(void) {
  unsigned int old = _mm_getcsr();
  _mm_setcsr(old | 0x8040u); /* FTZ (bit 15) | DAZ (bit 6) */
  return old;
}
static inline void cn_ftz_end(cn_ftz_state old) { _mm_setcsr(old); }
#else
typedef int cn_ftz_state;
static inline cn_ftz_state cn_ftz_begin(void) { return 0; }
static inline void cn_ftz_end(cn_ftz_state old) { (void)old; }
#endif

#endif
