/* canns — the public Ripser entry points: input checks, the threshold
 * rules of canns_lib's `ripser`, greedy subsampling, the choice between the
 * dense and the neighbour-list enumerators, and the result layout. */
#include <float.h>
#include <math.h>
#include <string.h>

#include "canns/array.h"
#include "tda/tda_prepare.h"

void cn_ripser_opts_default(cn_ripser_opts *o) {
  memset(o, 0, sizeof *o);
  o->maxdim = 1;
  o->thresh = INFINITY;
  o->coeff = 2;
  o->metric = CN_METRIC_EUCLIDEAN;
  o->metric_p = 2.0;
  o->apparent_pairs = true;
  o->engine = CN_RIPSER_AUTO;
}

cn_status tda_check_opts(const cn_ripser_opts *o) {
  if (o->maxdim < 0 || o->maxdim > CN_RIPSER_MAXDIM)
    return cn_error(CN_EINVAL, "maxdim must be in 0..%d, got %d", CN_RIPSER_MAXDIM,
                    o->maxdim);
  if (o->coeff < 2)
    return cn_error(CN_EINVAL, "coeff (modulus) must be >= 2, got %d", o->coeff);
  if (o->coeff > 65535)
    return cn_error(CN_EINVAL, "coeff (modulus) must be < 65536, got %d", o->coeff);
  if (!tda_is_prime(o->coeff))
    return cn_error(CN_EINVAL, "coeff (modulus) must be prime, got %d", o->coeff);
  if (isnan(o->thresh) || o->thresh < 0)
    return cn_error(CN_EINVAL, "thresh must be >= 0, got %g", o->thresh);
  if (o->n_perm < 0)
    return cn_error(CN_EINVAL, "n_perm must be positive, got %lld", (long long)o->n_perm);
  if (o->engine < 0 || o->engine > 2)
    return cn_error(CN_EINVAL, "engine must be 0 (auto), 1 (dense) or 2 (sparse)");
  if ((unsigned)o->metric >= CN_NMETRICS) return cn_error(CN_EINVAL, "unknown metric");
  if (o->metric == CN_METRIC_MINKOWSKI && !(isfinite(o->metric_p) && o->metric_p >= 1))
    return cn_error(CN_EINVAL, "metric_p must be finite and >= 1, got %g", o->metric_p);
  if (o->num_threads < 0)
    return cn_error(CN_EINVAL, "num_threads must be >= 0, got %d", o->num_threads);
  return CN_OK;
}

/* Dense n x n float buffer, refusing sizes that do not fit. */
cn_status tda_alloc_square(int64_t n, float **out) {
  *out = NULL;
  if (n > 2147483647LL)
    return cn_error(CN_ERANGE, "%lld points is more than the engine supports",
                    (long long)n);
  unsigned __int128 bytes = (unsigned __int128)n * (unsigned __int128)n * 4u;
  if (bytes > (unsigned __int128)CN_ARRAY_MAX_BYTES)
    return cn_error(CN_ENOMEM, "a %lld x %lld distance matrix is too large",
                    (long long)n, (long long)n);
  *out = malloc((size_t)bytes > 0 ? (size_t)bytes : 1);
  if (!*out)
    return cn_error(CN_ENOMEM, "out of memory for a %lld x %lld distance matrix",
                    (long long)n, (long long)n);
  return CN_OK;
}

/* Refuse (before any allocation) inputs whose simplex indices overflow. */
cn_status tda_check_size(int64_t n, int maxdim) {
  if (n > 2147483647LL)
    return cn_error(CN_ERANGE, "%lld points is more than the engine supports",
                    (long long)n);
  int eff = maxdim < n - 2 ? maxdim : (int)(n - 2);
  if (eff < 0) eff = 0;
  if (!tda_binom_fits(n, eff + 2))
    return cn_error(CN_ERANGE,
                    "%lld points with maxdim %d: simplex indices would "
                    "overflow 64 bits",
                    (long long)n, maxdim);
  return CN_OK;
}

static int nthreads_of(int requested) {
  int nt = requested > 0 ? requested : cn_num_threads();
  return nt > 0 ? nt : 1;
}

cn_status tda_run_complex(tda_complex *c, const cn_ripser_opts *o, bool reference,
                          cn_ripser_result *res) {
  int eff = o->maxdim < c->n - 2 ? o->maxdim : (int)(c->n - 2);
  c->maxdim = eff < 0 ? 0 : eff;
  c->p = (uint32_t)o->coeff;
  c->apparent = o->apparent_pairs;
  c->inv = tda_inverses(c->p);
  if (!c->inv) return cn_error(CN_ENOMEM, "out of memory");
  CN_TRY(tda_binom_init(&c->B, c->n, c->maxdim + 2));
  tda_out out;
  CN_TRY(tda_out_init(&out, o->maxdim, o->do_cocycles && !reference));
  tda_engine_opts eo = {nthreads_of(o->num_threads), o->progress,
                        o->do_cocycles && !reference};
  cn_status st = reference ? tda_reference_compute(c, &out) : tda_compute(c, &eo, &out);
  if (st == CN_OK) st = tda_result_fill(res, &out, o);
  res->peak_bytes += (int64_t)(c->maxdim + 3) * (c->n + 1) * 8 + (int64_t)c->p * 4;
  tda_out_free(&out);
  return st;
}

void tda_complex_free(tda_complex *c) {
  free(c->nb_start);
  free(c->nb_idx);
  free(c->nb_val);
  free(c->births);
  free(c->inv);
  tda_binom_free(&c->B);
  memset(c, 0, sizeof *c);
}

/* Move the engine's output into the public result. */
cn_status tda_result_fill(cn_ripser_result *r, tda_out *out,
                          const cn_ripser_opts *o) {
  int nd = o->maxdim + 1;
  r->maxdim = o->maxdim;
  r->coeff = o->coeff;
  r->n_bars = calloc((size_t)nd, sizeof *r->n_bars);
  r->dgms = calloc((size_t)nd, sizeof *r->dgms);
  r->n_columns = calloc((size_t)nd, sizeof *r->n_columns);
  if (!r->n_bars || !r->dgms || !r->n_columns) return cn_error(CN_ENOMEM, "out of memory");
  if (out->cocycles) {
    r->cocycle_off = calloc((size_t)nd, sizeof *r->cocycle_off);
    r->cocycles = calloc((size_t)nd, sizeof *r->cocycles);
    if (!r->cocycle_off || !r->cocycles) return cn_error(CN_ENOMEM, "out of memory");
  }
  for (int d = 0; d < nd; d++) {
    tda_dimout *x = &out->d[d];
    r->n_bars[d] = x->nbars;
    r->n_columns[d] = out->n_columns[d];
    r->dgms[d] = x->bars ? x->bars : malloc(sizeof(float));
    x->bars = NULL;
    if (!r->dgms[d]) return cn_error(CN_ENOMEM, "out of memory");
    if (out->cocycles) {
      if (d == 0 || !x->cc_off) {
        r->cocycle_off[d] = calloc((size_t)x->nbars + 1, sizeof(int64_t));
        if (!r->cocycle_off[d]) return cn_error(CN_ENOMEM, "out of memory");
      } else {
        r->cocycle_off[d] = x->cc_off;
        x->cc_off = NULL;
      }
      r->cocycles[d] = x->cc ? x->cc : malloc(sizeof(int64_t));
      x->cc = NULL;
      if (!r->cocycles[d]) return cn_error(CN_ENOMEM, "out of memory");
    }
  }
  r->peak_bytes += out->peak_bytes;
  return CN_OK;
}

void cn_ripser_result_free(cn_ripser_result *r) {
  if (!r) return;
  int nd = r->maxdim + 1;
  for (int d = 0; d < nd; d++) {
    if (r->dgms) free(r->dgms[d]);
    if (r->cocycle_off) free(r->cocycle_off[d]);
    if (r->cocycles) free(r->cocycles[d]);
  }
  free(r->n_bars);
  free(r->dgms);
  free(r->cocycle_off);
  free(r->cocycles);
  free(r->n_columns);
  free(r->idx_perm);
  free(r->dperm2all);
  free(r);
}

/* Map cocycle vertex ids through the subsample. */
static void remap_cocycles(cn_ripser_result *r) {
  if (!r->cocycles || !r->idx_perm) return;
  for (int d = 1; d <= r->maxdim; d++) {
    int64_t rows = r->cocycle_off[d][r->n_bars[d]];
    for (int64_t q = 0; q < rows; q++)
      for (int i = 0; i <= d; i++) {
        int64_t *v = &r->cocycles[d][q * (d + 2) + i];
        *v = r->idx_perm[*v];
      }
  }
}

/* Shared tail of the dense entry points: D (n x n, symmetric, owned by
 * the caller) -> result. */
static cn_status run_square(const cn_ripser_opts *o, const float *D, int64_t n,
                            bool reference, cn_ripser_result *r) {
  tda_complex c;
  memset(&c, 0, sizeof c);
  c.n = n;
  cn_status st = tda_prepare_dense(&c, o, D, &r->num_edges, &r->threshold);
  if (st == CN_OK) {
    r->sparse_engine = c.sparse;
    st = tda_run_complex(&c, o, reference, r);
  }
  r->peak_bytes += (int64_t)n * n * 4 + (c.nb_start ? c.nb_start[n] * 8 : 0);
  tda_complex_free(&c);
  return st;
}

static cn_ripser_result *new_result(void) {
  return calloc(1, sizeof(cn_ripser_result));
}

/* Identity permutation and the full matrix as dperm2all. */
static cn_status set_identity(cn_ripser_result *r, int64_t n) {
  r->n_perm = n;
  r->idx_perm = malloc((size_t)(n > 0 ? n : 1) * sizeof *r->idx_perm);
  if (!r->idx_perm) return cn_error(CN_ENOMEM, "out of memory");
  for (int64_t i = 0; i < n; i++) r->idx_perm[i] = i;
  r->r_cover = 0.0;
  return CN_OK;
}

/* Subsample (X or D given) and return the n_perm x n_perm matrix. */
static cn_status subsample(const cn_ripser_opts *o, const float *X, int64_t dim,
                           const float *D, int64_t n, cn_ripser_result *r,
                           float **sub) {
  int64_t m = o->n_perm;
  *sub = NULL;
  r->n_perm = m;
  r->idx_perm = malloc((size_t)m * sizeof *r->idx_perm);
  double *lambdas = malloc((size_t)m * sizeof *lambdas);
  unsigned __int128 bytes = (unsigned __int128)m * (unsigned __int128)n * 4u;
  if (bytes > (unsigned __int128)CN_ARRAY_MAX_BYTES) {
    free(lambdas);
    return cn_error(CN_ENOMEM, "n_perm x n distances too large");
  }
  r->dperm2all = malloc((size_t)bytes);
  r->dperm2all_cols = n;
  if (!r->idx_perm || !lambdas || !r->dperm2all) {
    free(lambdas);
    return cn_error(CN_ENOMEM, "out of memory (greedy permutation)");
  }
  cn_status st = cn_greedy_perm(X, dim, o->metric, o->metric_p, D, n, m, r->idx_perm, lambdas,
                                r->dperm2all);
  if (st == CN_OK) r->r_cover = lambdas[m - 1];
  r->peak_bytes += m * n * 4; /* dperm2all next to the subsample's matrix */
  free(lambdas);
  CN_TRY(st);
  CN_TRY(tda_alloc_square(m, sub));
  for (int64_t i = 0; i < m; i++) {
    (*sub)[i * m + i] = 0.0f;
    for (int64_t j = i + 1; j < m; j++) {
      float d = r->dperm2all[i * n + r->idx_perm[j]];
      (*sub)[i * m + j] = d;
      (*sub)[j * m + i] = d;
    }
  }
  return CN_OK;
}

cn_status cn_ripser_points(const cn_ripser_opts *o, const float *X, int64_t n,
                           int64_t dim, cn_ripser_result **out) {
  *out = NULL;
  CN_TRY(tda_check_opts(o));
  if (n < 1) return cn_error(CN_EINVAL, "empty point cloud (0 points)");
  if (dim < 1) return cn_error(CN_EINVAL, "points must have at least 1 coordinate");
  if (o->n_perm > n)
    return cn_error(CN_EINVAL,
                    "n_perm (%lld) is greater than the number of points (%lld)",
                    (long long)o->n_perm, (long long)n);
  bool perm = o->n_perm > 0 && o->n_perm < n;
  CN_TRY(tda_check_size(perm ? o->n_perm : n, o->maxdim));
  for (int64_t i = 0; i < n * dim; i++)
    if (!isfinite(X[i]))
      return cn_error(CN_EINVAL, "point %lld has a non-finite coordinate (%g)",
                      (long long)(i / dim) + 1, (double)X[i]);
  cn_ripser_result *r = new_result();
  if (!r) return cn_error(CN_ENOMEM, "out of memory");
  cn_status st;
  float *M = NULL;
  if (perm) {
    st = subsample(o, X, dim, NULL, n, r, &M);
    if (st == CN_OK) {
      st = run_square(o, M, o->n_perm, false, r);
      if (st == CN_OK) remap_cocycles(r);
    }
    free(M);
  } else {
    st = tda_alloc_square(n, &M);
    if (st == CN_OK) st = cn_pairwise_distances_p(X, n, dim, o->metric, o->metric_p, M);
    if (st == CN_OK) st = set_identity(r, n);
    if (st == CN_OK) st = run_square(o, M, n, false, r);
    r->dperm2all = M; /* the result owns the matrix */
    r->dperm2all_cols = n;
  }
  if (st != CN_OK) {
    cn_ripser_result_free(r);
    return st;
  }
  *out = r;
  return CN_OK;
}

static cn_status dense_common(const cn_ripser_opts *o, const float *D, int64_t n,
                              bool reference, cn_ripser_result **out) {
  *out = NULL;
  CN_TRY(tda_check_opts(o));
  if (n < 1) return cn_error(CN_EINVAL, "empty distance matrix (0 x 0)");
  if (o->n_perm > n)
    return cn_error(CN_EINVAL,
                    "n_perm (%lld) is greater than the number of points (%lld)",
                    (long long)o->n_perm, (long long)n);
  bool perm = !reference && o->n_perm > 0 && o->n_perm < n;
  CN_TRY(tda_check_size(perm ? o->n_perm : n, o->maxdim));
  CN_TRY(tda_check_dense(D, n));
  cn_ripser_result *r = new_result();
  if (!r) return cn_error(CN_ENOMEM, "out of memory");
  float *M = NULL;
  cn_status st = CN_OK;
  if (perm) {
    /* symmetrise from the upper triangle first (as ripser.py reads it) */
    float *S;
    st = tda_alloc_square(n, &S);
    if (st == CN_OK) {
      tda_symmetrize_upper(D, n, S);
      st = subsample(o, NULL, 0, S, n, r, &M);
      free(S);
    }
    if (st == CN_OK) st = run_square(o, M, o->n_perm, false, r);
    if (st == CN_OK) remap_cocycles(r);
    free(M);
  } else {
    st = tda_alloc_square(n, &M);
    if (st == CN_OK) {
      tda_symmetrize_upper(D, n, M);
      st = set_identity(r, n);
    }
    if (st == CN_OK) st = run_square(o, M, n, reference, r);
    r->dperm2all = M;
    r->dperm2all_cols = n;
  }
  if (st != CN_OK) {
    cn_ripser_result_free(r);
    return st;
  }
  *out = r;
  return CN_OK;
}

cn_status cn_ripser_dense(const cn_ripser_opts *o, const float *D, int64_t n,
                          cn_ripser_result **out) {
  return dense_common(o, D, n, false, out);
}

cn_status cn_ripser_reference_dense(const cn_ripser_opts *o, const float *D,
                                    int64_t n, cn_ripser_result **out) {
  return dense_common(o, D, n, true, out);
}

static cn_status sparse_common(const cn_ripser_opts *o, int64_t n, int64_t nnz,
                               const int64_t *row, const int64_t *col,
                               const float *val, bool reference,
                               cn_ripser_result **out) {
  *out = NULL;
  CN_TRY(tda_check_opts(o));
  if (n < 1) return cn_error(CN_EINVAL, "empty sparse matrix (0 vertices)");
  if (nnz < 0) return cn_error(CN_EINVAL, "negative number of entries");
  if (o->n_perm > 0 && o->n_perm < n)
    return cn_error(CN_EINVAL,
                    "greedy permutation (n_perm) is not supported for sparse "
                    "distance matrices");
  CN_TRY(tda_check_size(n, o->maxdim));
  cn_ripser_result *r = new_result();
  if (!r) return cn_error(CN_ENOMEM, "out of memory");
  tda_complex c;
  memset(&c, 0, sizeof c);
  c.n = n;
  cn_status st = tda_prepare_sparse(&c, o, nnz, row, col, val, &r->num_edges);
  if (st == CN_OK) st = set_identity(r, n);
  if (st == CN_OK) {
    r->threshold = c.threshold;
    r->sparse_engine = true;
    st = tda_run_complex(&c, o, reference, r);
  }
  r->peak_bytes += c.nb_start ? c.nb_start[n] * 8 : 0;
  tda_complex_free(&c);
  if (st != CN_OK) {
    cn_ripser_result_free(r);
    return st;
  }
  *out = r;
  return CN_OK;
}

cn_status cn_ripser_sparse(const cn_ripser_opts *o, int64_t n, int64_t nnz,
                           const int64_t *row, const int64_t *col,
                           const float *val, cn_ripser_result **out) {
  return sparse_common(o, n, nnz, row, col, val, false, out);
}

cn_status cn_ripser_reference_sparse(const cn_ripser_opts *o, int64_t n,
                                     int64_t nnz, const int64_t *row,
                                     const int64_t *col, const float *val,
                                     cn_ripser_result **out) {
  return sparse_common(o, n, nnz, row, col, val, true, out);
}
