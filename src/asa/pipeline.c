/* canns — the temporal TDA pipeline of ASA (upstream
 * canns.analyzer.data.asa.tda_vis, canns 1.5): stride, activity ranking,
 * z-scoring and PCA, fuzzy-graph sampling of representative points, the
 * second fuzzy graph turned into distances -ln(A), Ripser with cocycles;
 * and the 1.5 null model, which reruns that whole pipeline on activity
 * whose neuron columns are rolled by independent shifts. */
#include <float.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"
#include "canns/progress.h"
#include "core/internal.h"

/* LAPACK (OpenBLAS ships it). */
extern void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
                    double *w, double *work, const int *lwork, int *iwork, const int *liwork,
                    int *info);

void cn_asa_tda_opts_default(cn_asa_tda_opts *o) {
  o->dim = 6;
  o->num_times = 5;
  o->active_times = 15000;
  o->k = 1000;
  o->n_points = 1200;
  o->nbs = 800;
  o->metric = CN_METRIC_COSINE;
  o->maxdim = 1;
  o->coeff = 47;
  o->standardize = true;
  o->do_cocycles = true;
  o->ph_threshold = NAN;
  o->max_finite_threshold = false;
  o->num_threads = 0;
  o->progress = false;
}

void cn_asa_tda_result_free(cn_asa_tda_result *r) {
  if (!r) return;
  free(r->movetimes);
  free(r->indstemp);
  free(r->dimred);
  free(r->d);
  cn_ripser_result_free(r->ph);
  free(r);
}

/* numpy's pairwise summation of float32 (the order of np.sum over a
 * contiguous row). */
static float pairwise_sum_f32(const float *a, int64_t n) {
  if (n < 8) {
    float r = 0.f;
    for (int64_t i = 0; i < n; i++) r += a[i];
    return r;
  }
  if (n <= 128) {
    float r[8];
    for (int j = 0; j < 8; j++) r[j] = a[j];
    int64_t i;
    for (i = 8; i < n - (n % 8); i += 8)
      for (int j = 0; j < 8; j++) r[j] += a[i + j];
    float res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) res += a[i];
    return res;
  }
  int64_t n2 = n / 2;
  n2 -= n2 % 8;
  return pairwise_sum_f32(a, n2) + pairwise_sum_f32(a + n2, n - n2);
}

typedef struct { float s; int64_t i; } score_t;

static int cmp_score(const void *a, const void *b) {
  const score_t *x = a, *y = b;
  if (x->s < y->s) return -1;
  if (x->s > y->s) return 1;
  return (x->i > y->i) - (x->i < y->i);
}

static cn_status check_opts(const cn_asa_tda_opts *o, int64_t T, int64_t N) {
  if (T < 1 || N < 1)
    return cn_error(CN_ESHAPE, "activity must be a non-empty (time, neurons) matrix, got {%lld, %lld}",
                    (long long)T, (long long)N);
  const char *names[6] = {"dim", "num_times", "active_times", "k", "n_points", "nbs"};
  int64_t vals[6] = {o->dim, o->num_times, o->active_times, o->k, o->n_points, o->nbs};
  for (int i = 0; i < 6; i++)
    if (vals[i] < 1) return cn_error(CN_EINVAL, "%s must be a positive integer, got %lld", names[i],
                                     (long long)vals[i]);
  if (o->maxdim < 0 || o->maxdim > CN_RIPSER_MAXDIM)
    return cn_error(CN_EINVAL, "maxdim must be in 0..%d, got %d", CN_RIPSER_MAXDIM, o->maxdim);
  int64_t ncube = (T + o->num_times - 1) / o->num_times;
  int64_t cand = o->active_times < ncube ? o->active_times : ncube;
  if (cand < 2)
    return cn_error(CN_EINVAL, "PCA needs at least two active time points, got %lld "
                    "(%lld rows with stride num_times = %lld)", (long long)cand, (long long)T,
                    (long long)o->num_times);
  if (o->dim > (cand < N ? cand : N))
    return cn_error(CN_EINVAL, "dim = %lld exceeds the available PCA dimensions (%lld)",
                    (long long)o->dim, (long long)(cand < N ? cand : N));
  if (o->k > cand || o->n_points > cand)
    return cn_error(CN_EINVAL, "k = %lld and n_points = %lld cannot exceed the %lld active time "
                    "points", (long long)o->k, (long long)o->n_points, (long long)cand);
  if (o->nbs > o->n_points)
    return cn_error(CN_EINVAL, "nbs = %lld cannot exceed n_points = %lld", (long long)o->nbs,
                    (long long)o->n_points);
  if (isnan(o->ph_threshold) == false && o->ph_threshold < 0)
    return cn_error(CN_EINVAL, "ph_threshold must be >= 0, got %g", o->ph_threshold);
  return CN_OK;
}

/* Steps 1-3: movetimes and the PCA projection (M x dim). */
static cn_status select_and_project(const cn_asa_tda_opts *o, const float *E, int64_t T,
                                    int64_t N, int64_t **mt_out, int64_t *M_out, double **Y_out) {
  int64_t ncube = (T + o->num_times - 1) / o->num_times;
  int64_t M = o->active_times < ncube ? o->active_times : ncube;
  score_t *sc = malloc(sizeof(score_t) * (size_t)ncube);
  int64_t *mt = malloc(sizeof(int64_t) * (size_t)M);
  float *X = malloc(sizeof(float) * (size_t)(M * N));
  double *C = malloc(sizeof(double) * (size_t)(N * N + N));
  double *Y = malloc(sizeof(double) * (size_t)(M * o->dim));
  if (!sc || !mt || !X || !C || !Y) {
    free(sc); free(mt); free(X); free(C); free(Y);
    return cn_error(CN_ENOMEM, "tda_vis: out of memory (%lld x %lld)", (long long)M, (long long)N);
  }
  for (int64_t c = 0; c < ncube; c++) {
    sc[c].s = pairwise_sum_f32(E + c * o->num_times * N, N);
    sc[c].i = c;
  }
  if (M < ncube) {
    qsort(sc, (size_t)ncube, sizeof *sc, cmp_score);
    for (int64_t j = 0; j < M; j++) mt[j] = sc[ncube - M + j].i;
    qsort(mt, (size_t)M, sizeof *mt, cn_cmp_i64);
  } else {
    for (int64_t j = 0; j < M; j++) mt[j] = j;
  }
  for (int64_t j = 0; j < M; j++) mt[j] *= o->num_times;
  free(sc);
  for (int64_t j = 0; j < M; j++) memcpy(X + j * N, E + mt[j] * N, sizeof(float) * (size_t)N);
  double *mean = C + N * N;
  if (o->standardize) {
    cn_status st = cn_asa_scale_f32(X, M, N);
    if (st != CN_OK) {
      free(mt); free(X); free(C); free(Y);
      return st;
    }
  }
  /* covariance (ddof 1) in double; the data are centred first (the
   * z-scored data are already ~centred, numpy.cov centres internally) */
  for (int64_t j = 0; j < N; j++) mean[j] = 0;
  for (int64_t i = 0; i < M; i++)
    for (int64_t j = 0; j < N; j++) mean[j] += X[i * N + j];
  for (int64_t j = 0; j < N; j++) mean[j] /= (double)M;
  memset(C, 0, sizeof(double) * (size_t)(N * N));
  {
    double *row = malloc(sizeof(double) * (size_t)N);
    if (!row) {
      free(mt); free(X); free(C); free(Y);
      return cn_error(CN_ENOMEM, "tda_vis: out of memory");
    }
    for (int64_t i = 0; i < M; i++) {
      for (int64_t j = 0; j < N; j++) row[j] = (double)X[i * N + j] - mean[j];
      for (int64_t a = 0; a < N; a++) {
        double ra = row[a];
        double *ca = C + a * N;
        for (int64_t b = a; b < N; b++) ca[b] += ra * row[b];
      }
    }
    free(row);
  }
  for (int64_t a = 0; a < N; a++)
    for (int64_t b = a; b < N; b++) C[b * N + a] = C[a * N + b] /= (double)(M - 1);
  /* eigen-decomposition (ascending eigenvalues, vectors in columns of the
   * column-major matrix = rows of our row-major C) */
  int n = (int)N, info = 0, lwork = -1, liwork = -1, iw;
  double wq;
  double *ev = malloc(sizeof(double) * (size_t)N);
  dsyevd_("V", "U", &n, C, &n, ev, &wq, &lwork, &iw, &liwork, &info);
  lwork = (int)wq;
  liwork = iw;
  double *work = malloc(sizeof(double) * (size_t)lwork);
  int *iwork = malloc(sizeof(int) * (size_t)liwork);
  if (!ev || !work || !iwork) {
    free(ev); free(work); free(iwork); free(mt); free(X); free(C); free(Y);
    return cn_error(CN_ENOMEM, "tda_vis: out of memory");
  }
  dsyevd_("V", "U", &n, C, &n, ev, work, &lwork, iwork, &liwork, &info);
  free(work);
  free(iwork);
  free(ev);
  if (info != 0) {
    free(mt); free(X); free(C); free(Y);
    return cn_error(CN_EINTERNAL, "tda_vis: the eigen-decomposition failed (LAPACK info %d)", info);
  }
  /* column-major eigenvector q is C[q*N .. q*N+N-1]; largest last */
  for (int64_t i = 0; i < M; i++)
    for (int64_t c = 0; c < o->dim; c++) {
      const double *v = C + (N - 1 - c) * N;
      double s = 0;
      for (int64_t j = 0; j < N; j++) s += ((double)X[i * N + j] - (o->standardize ? 0 : mean[j])) * v[j];
      Y[i * o->dim + c] = s;
    }
  free(X);
  free(C);
  *mt_out = mt;
  *M_out = M;
  *Y_out = Y;
  return CN_OK;
}

static cn_status run_pipeline(const cn_asa_tda_opts *o, const float *E, int64_t T, int64_t N,
                              bool cocycles, cn_asa_tda_result **out) {
  *out = NULL;
  CN_TRY(check_opts(o, T, N));
  cn_asa_tda_result *r = calloc(1, sizeof *r);
  if (!r) return cn_error(CN_ENOMEM, "tda_vis: out of memory");
  r->dim = o->dim;
  r->n_points = o->n_points;
  cn_status st = select_and_project(o, E, T, N, &r->movetimes, &r->n_move, &r->dimred);
  int64_t *rp = NULL;
  int32_t *col = NULL;
  double *val = NULL;
  int64_t M = r->n_move, np = o->n_points, dim = o->dim;
  if (st == CN_OK)
    st = cn_asa_fuzzy_graph(r->dimred, M, dim, o->k, o->metric, o->num_threads, &rp, &col, &val);
  if (st == CN_OK) {
    r->indstemp = malloc(sizeof(int64_t) * (size_t)np);
    if (!r->indstemp) st = cn_error(CN_ENOMEM, "tda_vis: out of memory");
  }
  if (st == CN_OK) st = cn_asa_greedy_sample(M, rp, col, val, np, 1.0, r->indstemp);
  free(rp); free(col); free(val);
  rp = NULL; col = NULL; val = NULL;
  double *P = NULL;
  if (st == CN_OK) {
    P = malloc(sizeof(double) * (size_t)(np * dim));
    r->d = malloc(sizeof(double) * (size_t)(np * np));
    if (!P || !r->d) st = cn_error(CN_ENOMEM, "tda_vis: out of memory (%lld points)", (long long)np);
  }
  if (st == CN_OK) {
    for (int64_t i = 0; i < np; i++)
      memcpy(P + i * dim, r->dimred + r->indstemp[i] * dim, sizeof(double) * (size_t)dim);
    st = cn_asa_fuzzy_graph(P, np, dim, o->nbs, o->metric, o->num_threads, &rp, &col, &val);
  }
  free(P);
  float *df = NULL;
  if (st == CN_OK) {
    df = malloc(sizeof(float) * (size_t)(np * np));
    if (!df) st = cn_error(CN_ENOMEM, "tda_vis: out of memory");
  }
  if (st == CN_OK) {
    for (int64_t i = 0; i < np * np; i++) r->d[i] = INFINITY;
    for (int64_t i = 0; i < np; i++)
      for (int64_t a = rp[i]; a < rp[i + 1]; a++) r->d[i * np + col[a]] = -log(val[a]);
    for (int64_t i = 0; i < np; i++) r->d[i * np + i] = 0;
    double fmax = 0;
    for (int64_t i = 0; i < np * np; i++) {
      df[i] = (float)r->d[i];
      if (isfinite(df[i]) && df[i] > fmax) fmax = df[i];
    }
    cn_ripser_opts ro;
    cn_ripser_opts_default(&ro);
    ro.maxdim = o->maxdim;
    ro.coeff = o->coeff;
    ro.do_cocycles = cocycles;
    ro.num_threads = o->num_threads;
    ro.progress = o->progress;
    if (!isnan(o->ph_threshold)) ro.thresh = o->ph_threshold;
    if (o->max_finite_threshold) ro.thresh = fmax;
    st = cn_ripser_dense(&ro, df, np, &r->ph);
  }
  free(df);
  free(rp); free(col); free(val);
  if (st != CN_OK) {
    cn_asa_tda_result_free(r);
    return st;
  }
  *out = r;
  return CN_OK;
}

cn_status cn_asa_tda(const cn_asa_tda_opts *o, const float *E, int64_t T, int64_t N,
                     cn_asa_tda_result **out) {
  for (int64_t i = 0; i < T * N; i++)
    if (!isfinite(E[i]))
      return cn_error(CN_EINVAL, "activity must be finite, got %g at row %lld, column %lld",
                      cn_fabs_nan(E[i]), (long long)(i / N) + 1, (long long)(i % N) + 1);
  return run_pipeline(o, E, T, N, o->do_cocycles, out);
}

cn_status cn_asa_tda_shuffle(const cn_asa_tda_opts *o, const float *E, int64_t T, int64_t N,
                             int64_t S, const int64_t *shifts, double *maxima) {
  CN_TRY(check_opts(o, T, N));
  if (S < 1) return cn_error(CN_EINVAL, "num_shuffles must be positive, got %lld", (long long)S);
  for (int64_t i = 0; i < S * N; i++)
    if (shifts[i] < 0 || shifts[i] >= T)
      return cn_error(CN_EINVAL, "shuffle shift %lld must be in [0, %lld), got %lld",
                      (long long)i + 1, (long long)T, (long long)shifts[i]);
  for (int64_t i = 0; i < T * N; i++)
    if (!isfinite(E[i]))
      return cn_error(CN_EINVAL, "activity must be finite, got %g at row %lld, column %lld",
                      cn_fabs_nan(E[i]), (long long)(i / N) + 1, (long long)(i % N) + 1);
  /* The pipeline reads only the strided rows 0, num_times, ...: each
   * shuffle builds just those rows of the rolled activity and runs with
   * stride 1 (the same rows, so the same maxima), one shuffle per thread. */
  int64_t nt = o->num_times, ns = (T + nt - 1) / nt;
  cn_asa_tda_opts so = *o;
  so.progress = false;
  so.num_times = 1;
  so.num_threads = 1;
  int nth = o->num_threads > 0 ? o->num_threads : omp_get_max_threads();
  if (nth > S) nth = (int)S;
  if (nth < 1) nth = 1;
  cn_progress *bar = o->progress ? cn_progress_new("shuffles", S) : NULL;
  cn_status st = CN_OK;
  char msg[1024] = "";
  int64_t next = 0;
#pragma omp parallel num_threads(nth)
  {
    float *R = malloc(sizeof(float) * (size_t)(ns * N));
    if (!R) {
#pragma omp critical(asa_shuffle)
      if (st == CN_OK) {
        st = CN_ENOMEM;
        snprintf(msg, sizeof msg, "tda_vis: out of memory for the shuffled activity (%lld x %lld)",
                 (long long)ns, (long long)N);
      }
    }
    for (;;) {
      int64_t s;
      bool stop;
#pragma omp critical(asa_shuffle)
      {
        s = next++;
        stop = st != CN_OK || s >= S;
      }
      if (stop || !R) break;
      for (int64_t c = 0; c < ns; c++) {
        int64_t row = c * nt;
        float *dst = R + c * N;
        for (int64_t n = 0; n < N; n++) {
          int64_t src = row - shifts[s * N + n];
          if (src < 0) src += T;
          dst[n] = E[src * N + n];
        }
      }
      cn_asa_tda_result *res = NULL;
      cn_status rs = run_pipeline(&so, R, ns, N, false, &res);
      if (rs != CN_OK) {
#pragma omp critical(asa_shuffle)
        if (st == CN_OK) {
          st = rs;
          snprintf(msg, sizeof msg, "shuffle %lld: %s", (long long)s + 1, cn_errmsg());
        }
        break;
      }
      for (int d = 0; d <= o->maxdim; d++) {
        double best = 0;
        bool any = false;
        for (int64_t b = 0; b < res->ph->n_bars[d]; b++) {
          double bi = res->ph->dgms[d][2 * b], de = res->ph->dgms[d][2 * b + 1];
          if (!isfinite(de)) continue;
          if (!any || de - bi > best) best = de - bi;
          any = true;
        }
        maxima[d * S + s] = any ? best : 0.0;
      }
      cn_asa_tda_result_free(res);
      if (bar) {
#pragma omp critical(asa_shuffle_bar)
        cn_progress_tick(bar, 1);
      }
    }
    free(R);
  }
  if (bar) cn_progress_free(bar);
  if (st != CN_OK) return cn_error(st, "%s", msg);
  return CN_OK;
}
