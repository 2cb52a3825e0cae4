/* canns — array benchmark: elementwise operations, reductions, matmul and
 * FFT through libcanns against plain single-threaded C loops, in one run.
 * Prints a table of times, throughput (GB/s or GFLOP/s) and ratios.
 * Usage: bench_array [scale]   (scale 1 = default sizes) */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canns/array.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* best of `reps` runs of fn(ctx) */
#define BEST(reps, ...)                                                       \
  ({                                                                          \
    double best_ = 1e30;                                                      \
    for (int r_ = 0; r_ < (reps); r_++) {                                     \
      double t0_ = now();                                                     \
      __VA_ARGS__;                                                            \
      double dt_ = now() - t0_;                                               \
      if (dt_ < best_) best_ = dt_;                                           \
    }                                                                         \
    best_;                                                                    \
  })

static void row(const char *name, const char *size, double t_ours, double t_plain,
                double work, const char *unit) {
  printf("| %-22s | %-12s | %9.3f | %9.3f | %8.2f | %8.2f | %6.2fx |\n", name, size,
         t_ours * 1e3, t_plain * 1e3, work / t_ours / 1e9, work / t_plain / 1e9, t_plain / t_ours);
  (void)unit;
}

static volatile float sink;

int main(int argc, char **argv) {
  double scale = argc > 1 ? atof(argv[1]) : 1.0;
  int64_t n = (int64_t)(16 * 1024 * 1024 * scale);
  cn_array *a, *b, *c = NULL;
  cn_array_empty(&a, CN_FLOAT32, 1, &n);
  cn_array_empty(&b, CN_FLOAT32, 1, &n);
  cn_array_empty(&c, CN_FLOAT32, 1, &n);
  float *A = a->data, *B = b->data, *C = c->data;
  for (int64_t i = 0; i < n; i++) {
    A[i] = (float)sin(i * 1e-3);
    B[i] = (float)cos(i * 1e-3);
  }
  printf("canns array benchmark, %d threads, n = %lld float32\n\n", cn_num_threads(), (long long)n);
  printf("| %-22s | %-12s | %9s | %9s | %8s | %8s | %7s |\n", "operation", "size", "ours ms",
         "plain ms", "ours G/s", "plain G/s", "ratio");
  printf("|------------------------|--------------|-----------|-----------|----------|----------|---------|\n");
  char sz[32];
  snprintf(sz, sizeof sz, "%lld", (long long)n);
  double bytes3 = 12.0 * n, bytes2 = 8.0 * n, bytes1 = 4.0 * n;

  double tp = BEST(5, memcpy(C, A, n * 4));
  double tc = BEST(5, cn_array_assign(c, a)); /* parallel copy, all threads */
  printf("(bandwidth reference, read+write: memcpy %.2f GB/s on one thread, "
         "%.2f GB/s copying with %d threads)\n", bytes2 / tp / 1e9, bytes2 / tc / 1e9,
         cn_num_threads());

  double to = BEST(5, cn_array_binop(&c, CN_ADD, a, b));
  tp = BEST(5, for (int64_t i = 0; i < n; i++) C[i] = A[i] + B[i]);
  row("add a+b", sz, to, tp, bytes3, "GB/s");
  to = BEST(5, cn_array_binop_scalar(&c, CN_MUL, a, 0.5, false));
  tp = BEST(5, for (int64_t i = 0; i < n; i++) C[i] = A[i] * 0.5f);
  row("mul a*0.5", sz, to, tp, bytes2, "GB/s");
  to = BEST(3, cn_array_unop(&c, CN_EXP, a));
  tp = BEST(3, for (int64_t i = 0; i < n; i++) C[i] = expf(A[i]));
  row("exp(a)", sz, to, tp, bytes2, "GB/s");
  to = BEST(3, cn_array_clip(&c, a, -0.5, 0.5));
  tp = BEST(3, for (int64_t i = 0; i < n; i++) C[i] = A[i] < -0.5f ? -0.5f : A[i] > 0.5f ? 0.5f : A[i]);
  row("clip(a)", sz, to, tp, bytes2, "GB/s");

  double s;
  to = BEST(5, cn_array_reduce_all(CN_SUM, a, &s));
  tp = BEST(5, { double acc = 0; for (int64_t i = 0; i < n; i++) acc += A[i]; sink = (float)acc; });
  row("sum(a)", sz, to, tp, bytes1, "GB/s");
  to = BEST(5, cn_array_reduce_all(CN_MAX, a, &s));
  tp = BEST(5, { float m = A[0]; for (int64_t i = 1; i < n; i++) m = A[i] > m ? A[i] : m; sink = m; });
  row("max(a)", sz, to, tp, bytes1, "GB/s");
  cn_array *r = NULL;
  int64_t sh2[2] = {n / 1024, 1024};
  cn_array *a2;
  cn_array_reshape(&a2, a, 2, sh2);
  to = BEST(3, { cn_array_reduce(&r, CN_SUM, a2, 0, 0); cn_array_release(r); });
  tp = BEST(3, {
    double *acc = calloc(1024, sizeof *acc);
    for (int64_t i = 0; i < n / 1024; i++)
      for (int j = 0; j < 1024; j++) acc[j] += A[i * 1024 + j];
    sink = (float)acc[0];
    free(acc);
  });
  row("sum(a, axis=1)", "16384x1024", to, tp, bytes1, "GB/s");
  cn_array_release(a2);

  /* matmul: BLAS vs a plain i-k-j triple loop */
  int64_t m = (int64_t)(512 * (scale < 1 ? scale : 1));
  if (m < 16) m = 16;
  cn_array *x, *y, *z = NULL;
  cn_array_empty(&x, CN_FLOAT32, 2, (int64_t[]){m, m});
  cn_array_empty(&y, CN_FLOAT32, 2, (int64_t[]){m, m});
  for (int64_t i = 0; i < m * m; i++) {
    ((float *)x->data)[i] = (float)((i % 13) - 6) * 0.1f;
    ((float *)y->data)[i] = (float)((i % 7) - 3) * 0.2f;
  }
  float *Z = malloc(m * m * sizeof *Z);
  to = BEST(3, { cn_array_matmul(&z, x, y); cn_array_release(z); z = NULL; });
  tp = BEST(1, {
    memset(Z, 0, m * m * 4);
    const float *X = x->data, *Y = y->data;
    for (int64_t i = 0; i < m; i++)
      for (int64_t k = 0; k < m; k++) {
        float xik = X[i * m + k];
        for (int64_t j = 0; j < m; j++) Z[i * m + j] += xik * Y[k * m + j];
      }
  });
  snprintf(sz, sizeof sz, "%lldx%lld", (long long)m, (long long)m);
  row("matmul (GFLOP/s)", sz, to, tp, 2.0 * m * m * m, "GFLOP/s");
  free(Z);

  /* rfft: FFTW vs a plain O(n^2) DFT on 64 rows of 4096 */
  int64_t rows = 64, len = 4096;
  cn_array *f, *ff = NULL;
  cn_array_empty(&f, CN_FLOAT32, 2, (int64_t[]){rows, len});
  for (int64_t i = 0; i < rows * len; i++) ((float *)f->data)[i] = (float)sin(i * 0.01);
  to = BEST(3, { cn_array_rfft(&ff, f); cn_array_release(ff); ff = NULL; });
  double *tw = malloc(2 * len * sizeof *tw);
  for (int64_t k = 0; k < len; k++) { tw[2 * k] = cos(2 * M_PI * k / len); tw[2 * k + 1] = -sin(2 * M_PI * k / len); }
  float *out = malloc((len / 2 + 1) * 2 * sizeof *out);
  int64_t prow = 4; /* the plain DFT is slow: time 4 rows and scale */
  tp = BEST(1, {
    for (int64_t rr = 0; rr < prow; rr++) {
      const float *xr = (const float *)f->data + rr * len;
      for (int64_t k = 0; k <= len / 2; k++) {
        double re = 0, im = 0;
        for (int64_t t = 0; t < len; t++) {
          int64_t idx = (k * t) % len;
          re += xr[t] * tw[2 * idx];
          im += xr[t] * tw[2 * idx + 1];
        }
        out[2 * k] = (float)re;
        out[2 * k + 1] = (float)im;
      }
    }
  }) * ((double)rows / prow);
  snprintf(sz, sizeof sz, "%lldx%lld", (long long)rows, (long long)len);
  row("rfft (GFLOP/s, 5nlogn)", sz, to, tp, 2.5 * rows * len * log2((double)len), "GFLOP/s");
  free(tw);
  free(out);
  printf("\nratio = plain time / ours (higher is better); G/s = GB/s of array traffic or GFLOP/s\n");
  cn_array_release(a);
  cn_array_release(b);
  cn_array_release(c);
  cn_array_release(x);
  cn_array_release(y);
  cn_array_release(f);
  return 0;
}
