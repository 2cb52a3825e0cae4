/* canns — helper of scripts/bench/ripser: makes the benchmark point
 * clouds and runs the engine on a point-cloud file the way Bauer's ripser
 * binary does (read the text file, compute the distances, reduce, print
 * the bars), so that both programs are timed for the same work.
 *
 *   bench_ripser gen <circle|sphere|torus|random> <n> <seed> <file>
 *   bench_ripser run <file> <maxdim> <threads>
 *
 * `run` prints the bars in Ripser's format on stdout and one line
 * "time <s> engine <s> peak <bytes>" on stderr: the time from the start of
 * main (reading, distances, reduction, printing; not the loading of the
 * shared libraries), the time of cn_ripser_points alone, and the engine's
 * own estimate of its largest buffers. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canns/random.h"
#include "canns/tda.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Noisy samples of a circle / sphere (radius 1), a torus (R = 2, r = 1)
 * and a standard Gaussian cloud in R^3; noise s.d. 0.05 except random. */
static int gen(const char *kind, int n, uint64_t seed, const char *path) {
  cn_rng g;
  cn_rng_seed(&g, seed);
  FILE *f = fopen(path, "w");
  if (!f) return 1;
  for (int i = 0; i < n; i++) {
    double p[3] = {0, 0, 0};
    int dim = 3;
    if (strcmp(kind, "circle") == 0) {
      double t = 2 * M_PI * cn_rng_uniform1(&g);
      p[0] = cos(t);
      p[1] = sin(t);
      dim = 2;
    } else if (strcmp(kind, "sphere") == 0) {
      double r = 0;
      for (int k = 0; k < 3; k++) {
        p[k] = cn_rng_normal1(&g);
        r += p[k] * p[k];
      }
      for (int k = 0; k < 3; k++) p[k] /= sqrt(r);
    } else if (strcmp(kind, "torus") == 0) {
      double u = 2 * M_PI * cn_rng_uniform1(&g), v = 2 * M_PI * cn_rng_uniform1(&g);
      p[0] = (2 + cos(v)) * cos(u);
      p[1] = (2 + cos(v)) * sin(u);
      p[2] = sin(v);
    } else if (strcmp(kind, "random") == 0) {
      for (int k = 0; k < 3; k++) p[k] = cn_rng_normal1(&g);
    } else {
      fclose(f);
      fprintf(stderr, "unknown kind %s\n", kind);
      return 1;
    }
    double noise = strcmp(kind, "random") == 0 ? 0 : 0.05;
    for (int k = 0; k < dim; k++)
      fprintf(f, "%.9g%c", (float)(p[k] + noise * cn_rng_normal1(&g)), k + 1 < dim ? ' ' : '\n');
  }
  fclose(f);
  return 0;
}

static int run(const char *path, int maxdim, int threads) {
  double t_start = now();
  FILE *f = fopen(path, "r");
  if (!f) return 1;
  int64_t cap = 1024, n = 0, dim = 0;
  float *X = malloc((size_t)cap * sizeof *X);
  char line[4096];
  while (fgets(line, sizeof line, f)) {
    char *p = line, *e;
    int64_t k = 0;
    for (;;) {
      float v = strtof(p, &e);
      if (e == p) break;
      if ((n + 1) * (dim ? dim : 16) + k >= cap) X = realloc(X, (size_t)(cap *= 2) * sizeof *X);
      X[n * (dim ? dim : k + 1) + k] = v;
      k++;
      p = e;
      while (*p == ',' || *p == ' ') p++;
    }
    if (k) {
      if (!dim) dim = k;
      n++;
    }
  }
  fclose(f);
  cn_ripser_opts o;
  cn_ripser_opts_default(&o);
  o.maxdim = maxdim;
  o.num_threads = threads;
  cn_ripser_result *r;
  double t0 = now();
  if (cn_ripser_points(&o, X, n, dim, &r) != CN_OK) {
    fprintf(stderr, "error: %s\n", cn_errmsg());
    return 1;
  }
  double t1 = now();
  for (int d = 0; d <= maxdim; d++) {
    printf("persistence intervals in dim %d:\n", d);
    for (int64_t i = 0; i < r->n_bars[d]; i++) {
      float b = r->dgms[d][2 * i], e = r->dgms[d][2 * i + 1];
      if (isinf(e))
        printf(" [%g, )\n", b);
      else
        printf(" [%g,%g)\n", b, e);
    }
  }
  fflush(stdout);
  fprintf(stderr, "time %.6f engine %.6f peak %lld\n", now() - t_start, t1 - t0,
          (long long)r->peak_bytes);
  cn_ripser_result_free(r);
  free(X);
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 6 && strcmp(argv[1], "gen") == 0)
    return gen(argv[2], atoi(argv[3]), strtoull(argv[4], NULL, 10), argv[5]);
  if (argc == 5 && strcmp(argv[1], "run") == 0) return run(argv[2], atoi(argv[3]), atoi(argv[4]));
  fprintf(stderr,
          "usage: bench_ripser gen <circle|sphere|torus|random> <n> <seed> <file>\n"
          "       bench_ripser run <file> <maxdim> <threads>\n");
  return 2;
}
