/* canns — a minimal harness for the C unit tests.
 *
 *   TEST(name) { CHECK(cond); CHECK_NEAR(a, b, tol); CHECK_OK(status); }
 *   int main(void) { RUN(name); return test_summary(); }
 *
 * A failed check prints file:line and the condition and marks the test
 * failed; the executable exits non-zero if any check failed.
 */
#ifndef CANNS_TEST_H
#define CANNS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "canns/array.h"
#include "canns/error.h"

static int test_failures = 0, test_checks = 0, test_count = 0;

#define TEST(name) static void name(void)
#define RUN(name)                                                             \
  do {                                                                        \
    int before_ = test_failures;                                              \
    test_count++;                                                             \
    name();                                                                   \
    printf("%s %s\n", test_failures == before_ ? "ok  " : "FAIL", #name);     \
  } while (0)

#define CHECK(cond)                                                           \
  do {                                                                        \
    test_checks++;                                                            \
    if (!(cond)) {                                                            \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                         \
  } while (0)

#define CHECK_NEAR(a, b, tol)                                                 \
  do {                                                                        \
    double a_ = (a), b_ = (b), t_ = (tol);                                    \
    test_checks++;                                                            \
    if (!(fabs(a_ - b_) <= t_)) {                                             \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: %s = %.9g, expected %s = %.9g (tol %g)\n",       \
              __FILE__, __LINE__, #a, a_, #b, b_, t_);                        \
    }                                                                         \
  } while (0)

#define CHECK_OK(expr)                                                        \
  do {                                                                        \
    cn_status s_ = (expr);                                                    \
    test_checks++;                                                            \
    if (s_ != CN_OK) {                                                        \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: %s failed: %s\n", __FILE__, __LINE__, #expr,    \
              cn_errmsg());                                                   \
    }                                                                         \
  } while (0)

#define CHECK_FAILS(expr, code)                                               \
  do {                                                                        \
    cn_status s_ = (expr);                                                    \
    test_checks++;                                                            \
    if (s_ != (code)) {                                                       \
      test_failures++;                                                        \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d\n", __FILE__,       \
              __LINE__, #expr, (int)s_, (int)(code));                         \
    }                                                                         \
  } while (0)

static inline int test_summary(void) {
  printf("%d tests, %d checks, %d failures\n", test_count, test_checks,
         test_failures);
  return test_failures ? 1 : 0;
}

#endif
