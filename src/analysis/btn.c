/* canns — BTN classification kernels (upstream
 * canns.analyzer.data.cell_classification.core.btn, with gudhi's ToMATo
 * clustering): see include/canns/btn.h. */
#include "canns/btn.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/array.h"
#include "canns/asa.h"

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* first index with a[k] > x (a sorted, no NaN) */
static int64_t upper_bound(const double *a, int64_t n, double x) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (a[mid] > x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/* first index with a[k] >= x */
static int64_t lower_bound(const double *a, int64_t n, double x) {
  int64_t lo = 0, hi = n;
  while (lo < hi) {
    int64_t mid = lo + (hi - lo) / 2;
    if (a[mid] >= x) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

cn_status cn_btn_isi_autocorr(const double *spikes, const int64_t *off, int64_t n,
                              const double *edges, int64_t ne, double mint, double maxt,
                              bool one_sided, int64_t *counts) {
  if (n < 0 || ne < 2) return cn_error(CN_EINVAL, "need n >= 0 neurons and at least 2 bin edges");
  for (int64_t b = 1; b < ne; b++)
    if (!(edges[b] > edges[b - 1])) return cn_error(CN_EINVAL, "bin edges must be strictly increasing");
  for (int64_t i = 0; i < n; i++)
    if (off[i + 1] < off[i] || off[i] < 0) return cn_error(CN_EINVAL, "spike offsets must be non-decreasing");
  int64_t m = ne - 1;
  memset(counts, 0, sizeof(int64_t) * (size_t)(n * m));
  cn_status status = CN_OK;
#pragma omp parallel for schedule(dynamic, 1) num_threads(cn_num_threads()) if (n > 1)
  for (int64_t i = 0; i < n; i++) {
    int64_t len = off[i + 1] - off[i];
    if (len == 0) continue;
    double *s = malloc(sizeof(double) * (size_t)len);
    if (!s) {
#pragma omp critical(canns_btn_status)
      status = CN_ENOMEM;
      continue;
    }
    int64_t k = 0;
    for (int64_t q = 0; q < len; q++)
      if (!isnan(spikes[off[i] + q])) s[k++] = spikes[off[i] + q]; /* NaN never pairs */
    qsort(s, (size_t)k, sizeof(double), cmp_double);
    int64_t *row = counts + i * m;
    for (int64_t a = 0; a < k; a++) {
      double lo_t = s[a] + mint, hi_t = s[a] + maxt;
      int64_t lo = upper_bound(s, k, lo_t), hi = lower_bound(s, k, hi_t);
      for (int64_t u = lo; u < hi; u++) {
        double dd = s[u] - s[a];
        if (one_sided && !(dd >= 0)) continue;
        int64_t b = upper_bound(edges, ne, dd) - 1;
        if (b >= 0 && b < m) row[b]++;
      }
    }
    free(s);
  }
  if (status != CN_OK) return cn_error(status, "ISI autocorrelogram: out of memory");
  return CN_OK;
}

cn_status cn_btn_normalize_smooth(const int64_t *counts, int64_t n, int64_t m, double sigma,
                                  double *norm, double *smooth) {
  if (!(sigma > 0) || !isfinite(sigma))
    return cn_error(CN_EINVAL, "smooth_sigma must be a positive finite number, got %g", sigma);
  if (m < 1) return cn_error(CN_EINVAL, "need at least one lag bin");
  int64_t r = cn_gaussian_kernel(sigma, 4.0, NULL);
  double *w = malloc(sizeof(double) * (size_t)(2 * r + 1));
  if (!w) return cn_error(CN_ENOMEM, "BTN smoothing: out of memory");
  cn_gaussian_kernel(sigma, 4.0, w);
  cn_status status = CN_OK;
#pragma omp parallel num_threads(cn_num_threads()) if (n > 1)
  {
    double *tmp = malloc(sizeof(double) * (size_t)(m + 2 * r));
    if (!tmp) {
#pragma omp critical(canns_btn_status)
      status = CN_ENOMEM;
    }
#pragma omp for schedule(static)
    for (int64_t i = 0; i < n; i++) {
      const int64_t *c = counts + i * m;
      double *y = norm + i * m;
      double d = (double)c[0];
      for (int64_t j = 0; j < m; j++) y[j] = d > 0 ? (double)c[j] / d : (double)c[j];
      y[0] = 0.0;
      if (tmp) cn_correlate1d_f64(y, m, 1, w, r, CN_FILTER_REFLECT, tmp, smooth + i * m);
    }
    free(tmp);
  }
  free(w);
  if (status != CN_OK) return cn_error(status, "BTN smoothing: out of memory");
  return CN_OK;
}

cn_status cn_btn_binned_autocorr(const double *S, int64_t T, int64_t N, int64_t nlag, bool binary,
                                 double *acorr) {
  if (T < 0 || N < 0 || nlag < 1)
    return cn_error(CN_EINVAL, "binned autocorrelation: need T, N >= 0 and at least one lag, got %lld, %lld, %lld",
                    (long long)T, (long long)N, (long long)nlag);
  memset(acorr, 0, sizeof(double) * (size_t)(N * nlag));
#pragma omp parallel for schedule(static) num_threads(cn_num_threads()) if (N > 1)
  for (int64_t i = 0; i < N; i++) {
    double *a = acorr + i * nlag;
    for (int64_t t = 0; t < T; t++) {
      double v = S[t * N + i];
      if (binary) v = v > 0 ? 1.0 : 0.0;
      if (v == 0) continue; /* zeros add nothing */
      int64_t top = T - t < nlag ? T - t : nlag;
      for (int64_t l = 0; l < top; l++) {
        double u = S[(t + l) * N + i];
        if (binary) u = u > 0 ? 1.0 : 0.0;
        a[l] += v * u;
      }
    }
  }
  return CN_OK;
}

cn_status cn_btn_rowsum_smooth(const double *acorr, int64_t n, int64_t m, double sigma, double *norm,
                               double *smooth) {
  if (!(sigma > 0) || !isfinite(sigma))
    return cn_error(CN_EINVAL, "smooth_sigma must be a positive finite number, got %g", sigma);
  if (m < 1) return cn_error(CN_EINVAL, "need at least one lag bin");
  int64_t r = cn_gaussian_kernel(sigma, 4.0, NULL);
  double *w = malloc(sizeof(double) * (size_t)(2 * r + 1));
  double *tmp = malloc(sizeof(double) * (size_t)(m + 2 * r));
  if (!w || !tmp) {
    free(w), free(tmp);
    return cn_error(CN_ENOMEM, "BTN smoothing: out of memory");
  }
  cn_gaussian_kernel(sigma, 4.0, w);
  for (int64_t i = 0; i < n; i++) {
    const double *c = acorr + i * m;
    double *y = norm + i * m, d = 0;
    for (int64_t j = 0; j < m; j++) d += c[j];
    if (d == 0) d = 1.0;
    for (int64_t j = 0; j < m; j++) y[j] = c[j] / d;
    cn_correlate1d_f64(y, m, 1, w, r, CN_FILTER_REFLECT, tmp, smooth + i * m);
  }
  free(w), free(tmp);
  return CN_OK;
}

cn_status cn_btn_cosine_distances(const double *x, int64_t n, int64_t m, double *dist) {
  double *nrm = malloc(sizeof(double) * (size_t)(n > 0 ? n : 1));
  if (!nrm) return cn_error(CN_ENOMEM, "cosine distances: out of memory");
  for (int64_t i = 0; i < n; i++) {
    double s = 0;
    for (int64_t j = 0; j < m; j++) s += x[i * m + j] * x[i * m + j];
    nrm[i] = sqrt(s);
  }
#pragma omp parallel for schedule(dynamic, 8) num_threads(cn_num_threads()) if (n > 16)
  for (int64_t i = 0; i < n; i++) {
    const double *u = x + i * m;
    dist[i * n + i] = 0.0;
    for (int64_t j = i + 1; j < n; j++) {
      const double *v = x + j * m;
      double dot = 0;
      for (int64_t q = 0; q < m; q++) dot += u[q] * v[q];
      double c = dot / (nrm[i] * nrm[j]);
      if (fabs(c) > 1.0) c = copysign(1.0, c);
      dist[i * n + j] = dist[j * n + i] = 1.0 - c;
    }
  }
  free(nrm);
  return CN_OK;
}

typedef struct { double d; int64_t i; } keyed;

/* ascending, NaN last, ties by index (a stable argsort) */
static int cmp_keyed(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  int xn = isnan(x->d), yn = isnan(y->d);
  if (xn != yn) return xn - yn;
  if (!xn && x->d != y->d) return x->d < y->d ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

cn_status cn_btn_knn(const double *dist, int64_t n, int64_t nbs, int64_t *idx, double *kd,
                     double *weights, int64_t *k_out) {
  if (n < 1) return cn_error(CN_EINVAL, "need at least one neuron");
  int64_t k = n > 1 ? (nbs < 1 ? 1 : nbs > n - 1 ? n - 1 : nbs) : 1;
  int64_t first = n > 1 ? 1 : 0;
  *k_out = k;
  cn_status status = CN_OK;
#pragma omp parallel num_threads(cn_num_threads()) if (n > 16)
  {
    keyed *row = malloc(sizeof(keyed) * (size_t)n);
    if (!row) {
#pragma omp critical(canns_btn_status)
      status = CN_ENOMEM;
    }
#pragma omp for schedule(static)
    for (int64_t i = 0; i < n; i++) {
      if (!row) continue;
      for (int64_t j = 0; j < n; j++) row[j].d = dist[i * n + j], row[j].i = j;
      qsort(row, (size_t)n, sizeof(keyed), cmp_keyed);
      double s = 0;
      for (int64_t q = 0; q < k; q++) {
        idx[i * k + q] = row[first + q].i;
        kd[i * k + q] = row[first + q].d;
        s += exp(-row[first + q].d);
      }
      weights[i] = s;
    }
    free(row);
  }
  if (status != CN_OK) return cn_error(status, "kNN: out of memory");
  return CN_OK;
}

/* --- ToMATo ----------------------------------------------------------- */

typedef struct { int64_t parent, rank, max; } dset;

static int64_t ds_find(dset *d, int64_t x) {
  int64_t r = x;
  while (d[r].parent != r) r = d[r].parent;
  while (d[x].parent != r) { /* full path compression (roots unchanged) */
    int64_t p = d[x].parent;
    d[x].parent = r;
    x = p;
  }
  return r;
}

/* boost::disjoint_sets::link on two roots */
static void ds_link(dset *d, int64_t x, int64_t y) {
  if (x == y) return;
  if (d[x].rank > d[y].rank) d[y].parent = x;
  else {
    d[x].parent = y;
    if (d[x].rank == d[y].rank) d[y].rank++;
  }
}

typedef struct { int64_t first, second; double persist; int64_t seq; } merge_t;

static int cmp_merge(const void *a, const void *b) {
  const merge_t *x = a, *y = b;
  if (x->persist != y->persist) return x->persist < y->persist ? -1 : 1;
  return (x->seq > y->seq) - (x->seq < y->seq);
}

static int cmp_density_desc(const void *a, const void *b) {
  const keyed *x = a, *y = b;
  if (x->d != y->d) return x->d > y->d ? -1 : 1;
  return (x->i > y->i) - (x->i < y->i);
}

typedef struct { int64_t root, raw; } adj_t;

static int cmp_adj(const void *a, const void *b) {
  const adj_t *x = a, *y = b;
  return (x->root > y->root) - (x->root < y->root);
}

cn_status cn_tomato(const int64_t *nbr, int64_t n, int64_t k, const double *w, int64_t n_clusters,
                    int64_t *labels, int64_t *n_leaves) {
  if (n < 1) return cn_error(CN_EINVAL, "need at least one point");
  for (int64_t i = 0; i < n; i++)
    if (isnan(w[i])) return cn_error(CN_EINVAL, "density %lld is NaN", (long long)i + 1);
  keyed *ord = malloc(sizeof(keyed) * (size_t)n);
  int64_t *rorder = malloc(sizeof(int64_t) * (size_t)n);
  int64_t *raw = malloc(sizeof(int64_t) * (size_t)n);
  dset *ds = malloc(sizeof(dset) * (size_t)n);
  merge_t *mg = malloc(sizeof(merge_t) * (size_t)n);
  adj_t *adj = malloc(sizeof(adj_t) * (size_t)(k > 0 ? k : 1));
  int64_t *name = malloc(sizeof(int64_t) * (size_t)n);
  cn_status st = CN_OK;
  if (!ord || !rorder || !raw || !ds || !mg || !adj || !name) {
    st = cn_error(CN_ENOMEM, "ToMATo: out of memory");
    goto done;
  }
  for (int64_t i = 0; i < n; i++) ord[i].d = w[i], ord[i].i = i;
  qsort(ord, (size_t)n, sizeof(keyed), cmp_density_desc);
  for (int64_t i = 0; i < n; i++) rorder[ord[i].i] = i;
  int64_t nraw = 0, nm = 0;
  for (int64_t i = 0; i < n; i++) {
    const int64_t *ngb = nbr + ord[i].i * k;
    int64_t j = i, na = 0;
    for (int64_t q = 0; q < k; q++) {
      if (ngb[q] < 0 || ngb[q] >= n) continue;
      int64_t kk = rorder[ngb[q]];
      if (kk >= i) continue;
      if (kk < j) j = kk;
      int64_t rk = raw[kk], ck = ds_find(ds, rk), seen = 0;
      for (int64_t a = 0; a < na; a++)
        if (adj[a].root == ck) seen = 1;
      if (!seen) adj[na].root = ck, adj[na].raw = rk, na++;
    }
    if (i == j) { /* a local maximum: a new raw cluster */
      ds[nraw].parent = nraw, ds[nraw].rank = 0, ds[nraw].max = i;
      raw[i] = nraw++;
      continue;
    }
    raw[i] = raw[j];
    qsort(adj, (size_t)na, sizeof(adj_t), cmp_adj);
    int64_t rj = raw[j], cj = ds_find(ds, rj), orig = cj;
    for (int64_t a = 0; a < na; a++) {
      int64_t ck = adj[a].root;
      if (ck == orig) continue;
      int64_t pj = ds[cj].max, pk = ds[ck].max;
      int64_t young = pj > pk ? pj : pk, old = pj < pk ? pj : pk;
      mg[nm].first = rj, mg[nm].second = adj[a].raw;
      mg[nm].persist = w[ord[young].i] - w[ord[i].i];
      mg[nm].seq = nm;
      nm++;
      ds_link(ds, cj, ck);
      cj = ds_find(ds, cj);
      ds[cj].max = old;
    }
  }
  qsort(mg, (size_t)nm, sizeof(merge_t), cmp_merge);
  int64_t K = n_clusters;
  if (K > nraw) K = nraw;
  if (nm + K < nraw) K = nraw - nm;
  /* apply the first nraw - K merges on the raw clusters */
  for (int64_t c = 0; c < nraw; c++) ds[c].parent = c, ds[c].rank = 0, name[c] = -1;
  for (int64_t q = 0; q < nraw - K; q++) ds_link(ds, ds_find(ds, mg[q].first), ds_find(ds, mg[q].second));
  int64_t next = 0;
  for (int64_t c = 0; c < nraw; c++) {
    int64_t r = ds_find(ds, c);
    if (name[r] < 0) name[r] = next++;
  }
  for (int64_t p = 0; p < n; p++) labels[p] = name[ds_find(ds, raw[rorder[p]])];
  *n_leaves = nraw;
done:
  free(ord), free(rorder), free(raw), free(ds), free(mg), free(adj), free(name);
  return st;
}
