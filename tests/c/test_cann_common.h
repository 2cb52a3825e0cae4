/* canns — helpers shared by the CANN tests (tests/c/test_cann_*.c):
 * fixtures of spec/fixtures/models and a default model. */
#ifndef CANNS_TEST_CANN_COMMON_H
#define CANNS_TEST_CANN_COMMON_H

#include "canns/cann.h"
#include "test.h"

/* spec/fixtures/models/<name>.npy (the test ends if it is missing). */
static inline cn_array *load(const char *name) { return test_fixture("models", name); }

/* test_rel_maxdiff(a, fixture <name>). */
static inline double rel_to(const cn_array *a, const char *name) {
  cn_array *ref = load(name);
  double e = test_rel_maxdiff(a, ref);
  cn_array_release(ref);
  return e;
}

/* A CANN1D or CANN2D (with SFA when sfa) of size n, default parameters. */
static inline cn_model *make_cann(bool two_d, bool sfa, int64_t n) {
  cn_cann_params p;
  cn_cann_params_init(&p, sfa);
  p.n = n;
  cn_model *m = NULL;
  CHECK_OK(two_d ? cn_cann2d_new(&m, &p) : cn_cann1d_new(&m, &p));
  return m;
}

#endif
