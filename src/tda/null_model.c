/* canns — the shuffle null model of the ASA pipeline (canns_lib `shuffle_null_model`):
 * roll every neuron's time series by an independent random shift, treat
 * the neurons as points of R^T, and record the longest finite bar of each
 * dimension.  Shuffles run in parallel; shuffle s draws its shifts from
 * the Philox generator keyed by the seed at counter blocks s * 2^32 + c,
 * so the output does not depend on the thread count. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "canns/array.h"
#include "canns/progress.h"
#include "canns/random.h"
#include "cpu/ripser_dist.h"
#include "tda/tda_prepare.h"

void cn_shuffle_opts_default(cn_shuffle_opts *o) {
  memset(o, 0, sizeof *o);
  o->num_shuffles = 1000;
  o->maxdim = 1;
  o->thresh = INFINITY;
  o->coeff = 2;
  o->seed = 0;
  o->metric = CN_METRIC_EUCLIDEAN;
  o->metric_p = 2.0;
  o->shifts = NULL;
}

static int cmp_float(const void *a, const void *b) {
  float x = *(const float *)a, y = *(const float *)b;
  return (x > y) - (x < y);
}

double cn_percentile(const float *x, int64_t n, double q) {
  if (n <= 0) return NAN;
  float *s = malloc((size_t)n * sizeof *s);
  if (!s) return NAN;
  memcpy(s, x, (size_t)n * sizeof *s);
  qsort(s, (size_t)n, sizeof *s, cmp_float);
  double h = (double)(n - 1) * q / 100.0;
  int64_t lo = (int64_t)floor(h);
  if (lo < 0) lo = 0;
  if (lo >= n - 1) {
    double v = s[n - 1];
    free(s);
    return v;
  }
  double v = (double)s[lo] + (h - (double)lo) * ((double)s[lo + 1] - (double)s[lo]);
  free(s);
  return v;
}

/* The roll of shuffle s, column c drawn from the seed (row r takes row
 * (r + shift) mod T). */
static int64_t seeded_shift(cn_rng *g, int64_t T, int64_t s, int64_t c) {
  g->counter = ((uint64_t)s << 32) + (uint64_t)c;
  int64_t shift = (int64_t)(cn_rng_uniform1(g) * (double)T);
  return shift >= T ? T - 1 : shift;
}

cn_status cn_shuffle_offsets(uint64_t seed, int64_t T, int64_t N, int64_t num_shuffles, int64_t *out) {
  if (T < 1 || N < 1 || num_shuffles < 1)
    return cn_error(CN_EINVAL, "shuffle offsets need T, N, num_shuffles >= 1, got %lld, %lld, %lld",
                    (long long)T, (long long)N, (long long)num_shuffles);
  cn_rng g;
  cn_rng_seed(&g, seed);
  for (int64_t s = 0; s < num_shuffles; s++)
    for (int64_t c = 0; c < N; c++) out[s * N + c] = (T - seeded_shift(&g, T, s, c)) % T;
  return CN_OK;
}

/* One shuffle: shifted columns -> distances -> diagrams -> maxima. */
static cn_status one_shuffle(const cn_shuffle_opts *o, const float *X, int64_t T,
                             int64_t N, int64_t s, float *S, float *D,
                             float *maxima) {
  cn_rng g;
  cn_rng_seed(&g, o->seed);
  for (int64_t c = 0; c < N; c++) {
    int64_t shift;
    if (o->shifts) {
      shift = (T - o->shifts[s * N + c]) % T; /* numpy.roll by the offset */
    } else {
      shift = seeded_shift(&g, T, s, c);
    }
    float *col = S + c * T;
    for (int64_t r = 0; r < T; r++) col[r] = X[((r + shift) % T) * N + c];
  }
  if (o->metric != CN_METRIC_EUCLIDEAN) {
    CN_TRY(cn_pairwise_distances_p(S, N, T, o->metric, o->metric_p, D));
  } else {
    for (int64_t a = 0; a < N; a++) {
      D[a * N + a] = 0.0f;
      for (int64_t b = 0; b < a; b++) {
        float d = sqrtf(cn_kern_sqdist8_f32(S + a * T, S + b * T, T));
        D[a * N + b] = D[b * N + a] = d;
      }
    }
  }
  cn_ripser_opts ro;
  cn_ripser_opts_default(&ro);
  ro.maxdim = o->maxdim;
  ro.thresh = o->thresh;
  ro.coeff = o->coeff;
  ro.num_threads = 1;
  cn_ripser_result *r;
  CN_TRY(cn_ripser_dense(&ro, D, N, &r));
  for (int d = 0; d <= o->maxdim; d++) {
    float best = 0.0f;
    for (int64_t i = 0; i < r->n_bars[d]; i++) {
      float b = r->dgms[d][2 * i], e = r->dgms[d][2 * i + 1];
      if (isfinite(e) && isfinite(e - b) && e - b > best) best = e - b;
    }
    maxima[d] = best;
  }
  cn_ripser_result_free(r);
  return CN_OK;
}

cn_status cn_shuffle_null_model(const cn_shuffle_opts *o, const float *spikes,
                                int64_t T, int64_t N, float *out) {
  if (T < 1 || N < 1)
    return cn_error(CN_EINVAL, "T and N must be positive, got %lld x %lld",
                    (long long)T, (long long)N);
  if (o->num_shuffles < 1)
    return cn_error(CN_EINVAL, "num_shuffles must be > 0, got %lld",
                    (long long)o->num_shuffles);
  if (o->maxdim < 0 || o->maxdim > 2)
    return cn_error(CN_EINVAL, "maxdim must be in 0..2, got %d", o->maxdim);
  if (o->num_shuffles > ((int64_t)1 << 31))
    return cn_error(CN_EINVAL, "num_shuffles too large (%lld)",
                    (long long)o->num_shuffles);
  cn_ripser_opts ro;
  cn_ripser_opts_default(&ro);
  ro.maxdim = o->maxdim;
  ro.thresh = o->thresh;
  ro.coeff = o->coeff;
  CN_TRY(tda_check_opts(&ro));
  CN_TRY(tda_check_size(N, o->maxdim));
  if ((unsigned __int128)T * (unsigned __int128)N > (unsigned __int128)(CN_ARRAY_MAX_BYTES / 4))
    return cn_error(CN_ENOMEM, "input too large");
  for (int64_t i = 0; i < T * N; i++)
    if (!isfinite(spikes[i]))
      return cn_error(CN_EINVAL, "spikes has a non-finite value at row %lld, column %lld",
                      (long long)(i / N) + 1, (long long)(i % N) + 1);
  const int64_t K = o->num_shuffles;
  if ((unsigned)o->metric >= CN_NMETRICS) return cn_error(CN_EINVAL, "bad metric");
  if (o->metric == CN_METRIC_MINKOWSKI && !(isfinite(o->metric_p) && o->metric_p >= 1))
    return cn_error(CN_EINVAL, "metric_p must be finite and >= 1, got %g", o->metric_p);
  if (o->shifts)
    for (int64_t i = 0; i < K * N; i++)
      if (o->shifts[i] < 0 || o->shifts[i] >= T)
        return cn_error(CN_EINVAL, "shifts entry (%lld, %lld) must be in [0, %lld), got %lld",
                        (long long)(i / N + 1), (long long)(i % N + 1), (long long)T,
                        (long long)o->shifts[i]);
  int nt = o->num_threads > 0 ? o->num_threads : cn_num_threads();
  if (nt < 1) nt = 1;
  if (nt > K) nt = (int)K;
  cn_status st = CN_OK;
  int64_t first_bad = K;
  char msg[256] = "";
  cn_progress *bar = o->progress ? cn_progress_new("shuffles", K) : NULL;
#pragma omp parallel num_threads(nt)
  {
    float *S = malloc((size_t)(T * N) * sizeof *S);
    float *D = malloc((size_t)(N * N) * sizeof *D);
    float maxima[3];
#pragma omp for schedule(dynamic, 1)
    for (int64_t s = 0; s < K; s++) {
      cn_status e = (S && D) ? one_shuffle(o, spikes, T, N, s, S, D, maxima)
                             : cn_error(CN_ENOMEM, "out of memory");
      if (e != CN_OK) {
#pragma omp critical(canns_shuffle_err)
        if (s < first_bad) {
          first_bad = s;
          st = e;
          snprintf(msg, sizeof msg, "%s", cn_errmsg());
        }
      } else {
        for (int d = 0; d <= o->maxdim; d++) out[d * K + s] = maxima[d];
      }
      cn_progress_tick(bar, 1);
    }
    free(S);
    free(D);
  }
  cn_progress_free(bar);
  if (st != CN_OK) return cn_error(st, "shuffle %lld: %s", (long long)first_bad, msg);
  return CN_OK;
}
