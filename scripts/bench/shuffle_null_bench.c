/* canns — benchmark of the shuffle null model on the Rust helper's grid
 * (canns_lib's benchmark grid): spikes Poisson(0.3) of shape (T, N) from seed 42,
 * T in {60, 300} x N in {20, 40, 80} x shuffles in {10, 50, 200, 1000},
 * maxdim 1, coeff 2, thresh inf, seed 0.  Prints one line per cell (ms)
 * and the total; with a file argument it also writes "T N K ms" lines for
 * scripts/bench/shuffle_null to join with the Python toolkit's timings.
 *
 *   bench_shuffle_null [threads] [out.txt] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "canns/random.h"
#include "canns/tda.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Poisson(lambda) by inversion of the CDF. */
static float poisson(cn_rng *g, double lambda) {
  double u = cn_rng_uniform1(g), p = exp(-lambda), F = p;
  int k = 0;
  while (u > F && k < 100) {
    k++;
    p *= lambda / k;
    F += p;
  }
  return (float)k;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 0;
  FILE *out = argc > 2 ? fopen(argv[2], "w") : NULL;
  const int Ts[2] = {60, 300}, Ns[3] = {20, 40, 80}, Ks[4] = {10, 50, 200, 1000};
  double total = 0;
  printf("%5s %4s %5s %10s %12s %12s\n", "T", "N", "K", "ms", "H0 thr", "H1 thr");
  for (int a = 0; a < 2; a++)
    for (int b = 0; b < 3; b++) {
      int T = Ts[a], N = Ns[b];
      cn_rng g;
      cn_rng_seed(&g, 42);
      float *X = malloc(sizeof(float) * T * N);
      for (int i = 0; i < T * N; i++) X[i] = poisson(&g, 0.3);
      for (int c = 0; c < 4; c++) {
        int K = Ks[c];
        cn_shuffle_opts o;
        cn_shuffle_opts_default(&o);
        o.num_shuffles = K;
        o.maxdim = 1;
        o.coeff = 2;
        o.seed = 0;
        o.num_threads = threads;
        float *res = malloc(sizeof(float) * 2 * K);
        double t0 = now();
        if (cn_shuffle_null_model(&o, X, T, N, res) != CN_OK) {
          fprintf(stderr, "error: %s\n", cn_errmsg());
          return 1;
        }
        double ms = (now() - t0) * 1e3;
        total += ms;
        printf("%5d %4d %5d %10.1f %12.5f %12.5f\n", T, N, K, ms, cn_percentile(res, K, 99.9),
               cn_percentile(res + K, K, 99.9));
        if (out) fprintf(out, "%d %d %d %.3f\n", T, N, K, ms);
        free(res);
      }
      free(X);
    }
  printf("total %.3f s (%d cells)\n", total / 1e3, 24);
  if (out) fclose(out);
  return 0;
}
