/* canns — grid modules (upstream
 * canns.analyzer.data.cell_classification identify_grid_modules_and_stats):
 * the mask, features, kNN graph, cluster statistics and the union-find
 * merge.  The Leiden step is in leiden.c.  See include/canns/gridmodules.h. */
#include "canns/gridmodules.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/array.h"
#include "canns/spatialstats.h"
#include "analysis/analysis_internal.h"
#include "cpu/ripser_dist.h"

cn_gridmod_params cn_gridmod_defaults(void) {
  cn_gridmod_params p;
  p.center_bins = 2;
  p.k = 30;
  p.resolution = 1.0;
  p.score_thr = 0.3;
  p.consistency_thr = 0.5;
  p.min_cells = 10;
  p.merge_corr_thr = 0.7;
  p.metric = CN_METRIC_MANHATTAN;
  p.n_iterations = 2;
  p.seed = 0;
  p.gridness = cn_gridness_defaults();
  return p;
}

cn_status cn_gridmod_mask(int64_t h, int64_t w, int64_t center_bins, uint8_t *keep,
                          int64_t *nkeep) {
  if (h < 1 || w < 1) return cn_error(CN_EINVAL, "maps must be at least 1x1, got %lldx%lld",
                                      (long long)h, (long long)w);
  double cy = (double)(h - 1) / 2.0, cx = (double)(w - 1) / 2.0;
  double outer = cy < cx ? cy : cx, inner = (double)center_bins;
  int64_t m = 0;
  for (int64_t i = 0; i < h; i++)
    for (int64_t j = 0; j < w; j++) {
      double dy = (double)i - cy, dx = (double)j - cx;
      double r = sqrt(dy * dy + dx * dx);
      uint8_t k = !(r > outer) && !(r <= inner);
      keep[i * w + j] = k;
      m += k;
    }
  *nkeep = m;
  return CN_OK;
}

static double clean(double v) { return isfinite(v) ? v : 0.0; }

cn_status cn_gridmod_features(const double *acs, int64_t n, int64_t h, int64_t w,
                              const uint8_t *keep, float *x) {
  int64_t hw = h * w, m = 0;
  for (int64_t q = 0; q < hw; q++) m += keep[q] != 0;
  for (int64_t i = 0; i < n; i++) {
    const double *a = acs + i * hw;
    float *row = x + i * m;
    int64_t c = 0;
    for (int64_t q = 0; q < hw; q++)
      if (keep[q]) row[c++] = (float)clean(a[q]);
  }
  return CN_OK;
}

int64_t cn_gridmod_keff(int64_t n, int64_t k) {
  int64_t kk = k < 1 ? 1 : k, cap = n - 1 < 1 ? 1 : n - 1;
  return kk < cap ? kk : cap;
}

typedef struct { double d; int64_t j; } nbr;

static int cmp_nbr(const void *pa, const void *pb) {
  const nbr *a = pa, *b = pb;
  if (a->d < b->d) return -1;
  if (a->d > b->d) return 1;
  return (a->j > b->j) - (a->j < b->j);
}

static double pair_dist(const float *a, const float *b, int64_t d, cn_metric metric, double na,
                        double nb) {
  switch (metric) {
  case CN_METRIC_MANHATTAN: return cn_kern_manhattan_f32(a, b, d);
  case CN_METRIC_CHEBYSHEV: return cn_kern_chebyshev_f32(a, b, d);
  case CN_METRIC_COSINE: return cn_kern_cosine_f32(a, b, d, na, nb);
  default: return cn_kern_euclidean_f32(a, b, d);
  }
}

cn_status cn_gridmod_knn(const float *x, int64_t n, int64_t d, int64_t k,
                         cn_metric metric, int64_t *ind, double *dist) {
  if (n < 2) return cn_error(CN_EINVAL, "need at least 2 units for a kNN graph, got %lld", (long long)n);
  if ((unsigned)metric >= CN_NMETRICS || metric == CN_METRIC_MINKOWSKI)
    return cn_error(CN_EINVAL, "grid modules: the metric must be euclidean, manhattan, chebyshev or cosine");
  int64_t kk = cn_gridmod_keff(n, k) + 1;
  double *norm = NULL;
  if (metric == CN_METRIC_COSINE) {
    norm = malloc(sizeof(double) * (size_t)n);
    if (!norm) return cn_error(CN_ENOMEM, "out of memory in the kNN search");
    for (int64_t i = 0; i < n; i++) norm[i] = cn_kern_norm_f32(x + i * d, d);
  }
  cn_status status = CN_OK;
#pragma omp parallel num_threads(cn_num_threads()) if (n > 16)
  {
    nbr *row = malloc(sizeof(nbr) * (size_t)n);
    if (!row) {
#pragma omp atomic write
      status = CN_ENOMEM;
    }
#pragma omp for schedule(dynamic, 4)
    for (int64_t i = 0; i < n; i++) {
      if (!row) continue;
      for (int64_t j = 0; j < n; j++)
        row[j].d = j == i ? 0.0 : pair_dist(x + i * d, x + j * d, d, metric, norm ? norm[i] : 0,
                                           norm ? norm[j] : 0),
        row[j].j = j;
      qsort(row, (size_t)n, sizeof(nbr), cmp_nbr);
      for (int64_t c = 0; c < kk; c++) ind[i * kk + c] = row[c].j, dist[i * kk + c] = row[c].d;
    }
    free(row);
  }
  free(norm);
  return status == CN_OK ? CN_OK : cn_error(status, "out of memory in the kNN search");
}

typedef struct { int64_t a, b, slot; } ekey; /* slot: i * keff + (c - 1) */

static int cmp_ekey(const void *pa, const void *pb) {
  const ekey *x = pa, *y = pb;
  if (x->a != y->a) return (x->a > y->a) - (x->a < y->a);
  if (x->b != y->b) return (x->b > y->b) - (x->b < y->b);
  return (x->slot > y->slot) - (x->slot < y->slot);
}

cn_status cn_gridmod_edges(const int64_t *ind, const double *dist, int64_t n, int64_t keff,
                           int64_t *edges, double *weights, int64_t *ne) {
  int64_t kk = keff + 1, m = 0;
  size_t slots = (size_t)(n * keff > 0 ? n * keff : 1);
  ekey *e = malloc(sizeof(ekey) * slots);
  uint8_t *first = calloc(slots, 1);
  if (!e || !first) {
    free(e), free(first);
    return cn_error(CN_ENOMEM, "out of memory building the kNN graph");
  }
  for (int64_t i = 0; i < n; i++)
    for (int64_t c = 1; c < kk; c++) {
      int64_t j = ind[i * kk + c];
      if (j == i) continue;
      e[m].a = i < j ? i : j, e[m].b = i < j ? j : i, e[m].slot = i * keff + c - 1;
      m++;
    }
  /* sorted by pair, then by occurrence: the first of each run is the
   * occurrence kept; the kept ones are then emitted in occurrence order */
  qsort(e, (size_t)m, sizeof(ekey), cmp_ekey);
  for (int64_t q = 0; q < m; q++)
    if (q == 0 || e[q].a != e[q - 1].a || e[q].b != e[q - 1].b) first[e[q].slot] = 1;
  int64_t out = 0;
  for (int64_t i = 0; i < n; i++)
    for (int64_t c = 1; c < kk; c++) {
      if (!first[i * keff + c - 1]) continue;
      int64_t j = ind[i * kk + c];
      edges[2 * out] = i < j ? i : j, edges[2 * out + 1] = i < j ? j : i;
      weights[out] = 1.0 / (dist[i * kk + c] + 1e-6);
      out++;
    }
  *ne = out;
  free(e), free(first);
  return CN_OK;
}

/* population Pearson correlation of upstream's _safe_corr */
static double safe_corr(const double *a, const double *b, int64_t m) {
  if (m == 0) return 0.0;
  double saa, sbb, sab;
  cn_centered_sums(a, b, m, &saa, &sbb, &sab);
  double da = sqrt(saa / (double)m), db = sqrt(sbb / (double)m);
  if (da <= 1e-12 || db <= 1e-12) return 0.0;
  return (sab / (double)m) / (da * db);
}

typedef struct { int64_t id, i; } labi;

static int cmp_labi(const void *pa, const void *pb) {
  const labi *a = pa, *b = pb;
  if (a->id != b->id) return (a->id > b->id) - (a->id < b->id);
  return (a->i > b->i) - (a->i < b->i);
}

static int64_t uf_find(int64_t *p, int64_t a) {
  while (p[a] != a) {
    p[a] = p[p[a]];
    a = p[a];
  }
  return a;
}

static void uf_union(int64_t *p, int64_t *rank, int64_t a, int64_t b) {
  int64_t ra = uf_find(p, a), rb = uf_find(p, b);
  if (ra == rb) return;
  if (rank[ra] < rank[rb]) {
    int64_t t = ra;
    ra = rb, rb = t;
  }
  p[rb] = ra;
  if (rank[ra] == rank[rb]) rank[ra]++;
}

/* cluster statistics: mean and median maps, gridness of the median,
 * consistency; avg[c] kept pixels of the mean map (nc x m) */
static cn_status cluster_stats(const double *acs, int64_t n, int64_t h, int64_t w,
                               const uint8_t *keep, int64_t m, const cn_gridmod_params *p,
                               const int64_t *cid, const int64_t *order, const int64_t *start,
                               cn_gridmod_result *r, double *avgk) {
  int64_t hw = h * w, nc = r->nclusters;
  cn_status status = CN_OK;
#pragma omp parallel num_threads(cn_num_threads()) if (nc > 1)
  {
    double *avg = malloc(sizeof(double) * (size_t)hw), *med = malloc(sizeof(double) * (size_t)hw);
    double *col = malloc(sizeof(double) * (size_t)n), *mem = malloc(sizeof(double) * (size_t)m);
    double *cors = malloc(sizeof(double) * (size_t)n);
    if (!avg || !med || !col || !mem || !cors) {
#pragma omp atomic write
      status = CN_ENOMEM;
    }
#pragma omp for schedule(dynamic, 1)
    for (int64_t c = 0; c < nc; c++) {
      if (!avg || !med || !col || !mem || !cors) continue;
      const int64_t *idx = order + start[c];
      int64_t sz = start[c + 1] - start[c];
      for (int64_t q = 0; q < hw; q++) {
        double s = 0;
        for (int64_t t = 0; t < sz; t++) s += col[t] = clean(acs[idx[t] * hw + q]);
        avg[q] = s / (double)sz;
        med[q] = cn_median_inplace(col, sz);
      }
      cn_gridness_result g;
      cn_status st = cn_gridness(med, h, w, &p->gridness, &g);
      if (st != CN_OK) {
#pragma omp atomic write
        status = st;
        continue;
      }
      double *ak = avgk + c * m;
      for (int64_t q = 0, u = 0; q < hw; q++)
        if (keep[q]) ak[u++] = avg[q];
      for (int64_t t = 0; t < sz; t++) {
        const double *a = acs + idx[t] * hw;
        for (int64_t q = 0, u = 0; q < hw; q++)
          if (keep[q]) mem[u++] = clean(a[q]);
        cors[t] = safe_corr(ak, mem, m);
      }
      r->cluster_size[c] = sz;
      r->cluster_score[c] = g.score;
      r->cluster_consistency[c] = cn_median_inplace(cors, sz);
      r->cluster_label[c] = cid[idx[0]];
    }
    free(avg), free(med), free(col), free(mem), free(cors);
  }
  return status;
}

cn_status cn_grid_modules(const double *acs, int64_t n, int64_t h, int64_t w,
                          const cn_gridmod_params *p, const int64_t *cluster_in,
                          cn_gridmod_result *r) {
  if (n < 1) return cn_error(CN_EINVAL, "need at least one autocorrelogram, got %lld", (long long)n);
  if (h < 1 || w < 1) return cn_error(CN_EINVAL, "maps must be at least 1x1");
  if (cluster_in == NULL && n < 2)
    return cn_error(CN_EINVAL, "need at least 2 units for the kNN graph, got %lld", (long long)n);
  int64_t hw = h * w, m = 0;
  cn_status st = CN_OK;
  uint8_t *keep = malloc((size_t)hw);
  int64_t *order = malloc(sizeof(int64_t) * (size_t)n), *start = malloc(sizeof(int64_t) * (size_t)(n + 1));
  labi *lab = malloc(sizeof(labi) * (size_t)n);
  float *x = NULL;
  int64_t *ind = NULL, *edges = NULL, *cand = NULL, *par = NULL, *rank = NULL, *root_mod = NULL;
  double *dist = NULL, *wts = NULL, *avgk = NULL;
  if (!keep || !order || !start || !lab) goto nomem;
  if ((st = cn_gridmod_mask(h, w, p->center_bins, keep, &m)) != CN_OK) goto done;
  r->quality = NAN;
  if (cluster_in) {
    memcpy(r->cluster_id, cluster_in, sizeof(int64_t) * (size_t)n);
  } else {
    int64_t keff = cn_gridmod_keff(n, p->k), ne = 0, nc = 0;
    x = malloc(sizeof(float) * (size_t)(n * (m > 0 ? m : 1)));
    ind = malloc(sizeof(int64_t) * (size_t)(n * (keff + 1)));
    dist = malloc(sizeof(double) * (size_t)(n * (keff + 1)));
    edges = malloc(sizeof(int64_t) * (size_t)(2 * n * keff));
    wts = malloc(sizeof(double) * (size_t)(n * keff));
    if (!x || !ind || !dist || !edges || !wts) goto nomem;
    if ((st = cn_gridmod_features(acs, n, h, w, keep, x)) != CN_OK) goto done;
    if ((st = cn_gridmod_knn(x, n, m, p->k, p->metric, ind, dist)) != CN_OK) goto done;
    if ((st = cn_gridmod_edges(ind, dist, n, keff, edges, wts, &ne)) != CN_OK) goto done;
    if ((st = cn_gridmod_leiden(n, edges, wts, ne, p->resolution, p->n_iterations, p->seed,
                                      r->cluster_id, &nc, &r->quality)) != CN_OK) goto done;
  }
  /* clusters in ascending id order, members ascending: the units sorted
   * by (id, index); a cluster is a run */
  for (int64_t i = 0; i < n; i++) lab[i].id = r->cluster_id[i], lab[i].i = i;
  qsort(lab, (size_t)n, sizeof *lab, cmp_labi);
  int64_t nc = 0;
  for (int64_t t = 0; t < n; t++) {
    if (t == 0 || lab[t].id != lab[t - 1].id) start[nc++] = t;
    order[t] = lab[t].i;
  }
  start[nc] = n;
  r->nclusters = nc;
  avgk = malloc(sizeof(double) * (size_t)(nc * (m > 2 ? m : 2))); /* >= 2 nc: reused below */
  cand = malloc(sizeof(int64_t) * (size_t)nc);
  par = malloc(sizeof(int64_t) * (size_t)nc);
  rank = malloc(sizeof(int64_t) * (size_t)nc);
  root_mod = malloc(sizeof(int64_t) * (size_t)nc);
  if (!avgk || !cand || !par || !rank || !root_mod) goto nomem;
  if ((st = cluster_stats(acs, n, h, w, keep, m, p, r->cluster_id, order, start, r, avgk)) != CN_OK) goto done;
  int64_t nca = 0;
  for (int64_t c = 0; c < nc; c++) {
    r->cluster_module[c] = -1;
    if (r->cluster_score[c] > p->score_thr && r->cluster_consistency[c] > p->consistency_thr &&
        r->cluster_size[c] >= p->min_cells)
      cand[nca++] = c;
  }
  for (int64_t i = 0; i < nca; i++) par[i] = i, rank[i] = 0, root_mod[i] = -1;
  for (int64_t i = 0; i < nca; i++)
    for (int64_t j = i + 1; j < nca; j++)
      if (safe_corr(avgk + cand[i] * m, avgk + cand[j] * m, m) > p->merge_corr_thr)
        uf_union(par, rank, i, j);
  /* modules numbered by ascending root */
  int64_t nmod = 0;
  for (int64_t i = 0; i < nca; i++)
    if (uf_find(par, i) == i) root_mod[i] = nmod++;
  r->nmodules = nmod;
  for (int64_t i = 0; i < nca; i++) r->cluster_module[cand[i]] = root_mod[uf_find(par, i)];
  /* module statistics: medians over the member clusters */
  for (int64_t mid = 0; mid < nmod; mid++) {
    int64_t q = 0;
    double *v = avgk; /* the mean maps are spent: 2 nc scratch values */
    for (int64_t c = 0; c < nc; c++)
      if (r->cluster_module[c] == mid) v[q] = r->cluster_score[c], v[nc + q] = r->cluster_consistency[c], q++;
    r->module_score[mid] = cn_median_inplace(v, q);
    r->module_consistency[mid] = cn_median_inplace(v + nc, q);
  }
  for (int64_t i = 0; i < n; i++) r->module_id[i] = -1;
  for (int64_t c = 0; c < nc; c++)
    for (int64_t t = start[c]; t < start[c + 1]; t++) r->module_id[order[t]] = r->cluster_module[c];
  goto done;
nomem:
  st = cn_error(CN_ENOMEM, "out of memory in identify_grid_modules_and_stats (%lld maps of %lldx%lld)",
                (long long)n, (long long)h, (long long)w);
done:
  free(keep), free(order), free(start), free(lab), free(x), free(ind), free(dist), free(edges), free(wts);
  free(avgk), free(cand), free(par), free(rank), free(root_mod);
  return st;
}
