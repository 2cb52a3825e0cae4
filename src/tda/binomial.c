/* canns — binomial coefficient table for the combinatorial number system
 * that indexes simplices (see tda_internal.h). */
#include <string.h>

#include "tda/tda_internal.h"

bool tda_binom_fits(int64_t n, int k) {
  /* max over v <= n, j <= k of C(v, j) is C(n, min(k, n/2)) */
  int64_t kk = k < n / 2 ? k : n / 2;
  unsigned __int128 c = 1;
  for (int64_t j = 1; j <= kk; j++) {
    c = c * (unsigned __int128)(n - j + 1) / (unsigned __int128)j;
    if (c > (unsigned __int128)INT64_MAX) return false;
  }
  return true;
}

cn_status tda_binom_init(tda_binom *b, int64_t n, int kmax) {
  memset(b, 0, sizeof *b);
  if (n < 0 || kmax < 0) return cn_error(CN_EINVAL, "binomial table: bad size");
  if (!tda_binom_fits(n, kmax))
    return cn_error(CN_ERANGE,
                    "%lld points with simplices of %d vertices: "
                    "simplex indices would overflow 64 bits",
                    (long long)n, kmax);
  b->n = n;
  b->kmax = kmax;
  b->stride = n + 1;
  b->tab = calloc((size_t)(kmax + 1) * (size_t)(n + 1), sizeof *b->tab);
  if (!b->tab) return cn_error(CN_ENOMEM, "out of memory (binomial table)");
  for (int64_t i = 0; i <= n; i++) {
    b->tab[i] = 1; /* C(i, 0) */
    for (int j = 1; j <= kmax && j < i; j++) {
      int64_t s;
      if (__builtin_add_overflow(b->tab[(j - 1) * b->stride + i - 1],
                                 b->tab[j * b->stride + i - 1], &s)) {
        tda_binom_free(b);
        return cn_error(CN_ERANGE, "binomial coefficient overflow");
      }
      b->tab[j * b->stride + i] = s;
    }
    if (i <= kmax) b->tab[i * b->stride + i] = 1;
  }
  return CN_OK;
}

void tda_binom_free(tda_binom *b) {
  free(b->tab);
  b->tab = NULL;
}
