/* canns — the plain reference for the Ripser engine: list every simplex of
 * the Rips complex up to dimension maxdim+1, sort them into a filtration
 * (diameter, then dimension, then vertices), and reduce the boundary
 * matrix over Z/p column by column (the standard algorithm of Edelsbrunner,
 * Letscher and Zomorodian).  Homology, no clearing, no cohomology, no
 * shortcuts: slow and obviously correct, for tests and cross-checks.
 * The diameter of a simplex is its largest edge (or vertex birth). */
#include <string.h>

#include "tda/tda_prepare.h"

#define REF_MAX_SIMPLICES 4000000

typedef struct rsimp {
  int32_t v[TDA_MAXV]; /* increasing */
  int dim;
  float diam;
  int64_t key; /* combinatorial index */
} rsimp;

typedef struct rcol {
  int64_t *row;
  uint32_t *coef;
  int64_t n, cap;
} rcol;

static bool adjacent(const tda_complex *c, int64_t i, int64_t j) {
  if (!c->sparse) return c->D[i * c->n + j] <= c->threshold;
  const int32_t *a = c->nb_idx + c->nb_start[i];
  int64_t lo = 0, hi = c->nb_start[i + 1] - c->nb_start[i];
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    if (a[mid] < j)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->nb_start[i + 1] - c->nb_start[i] && a[lo] == j;
}

static int simp_cmp(const void *x, const void *y) {
  const rsimp *a = x, *b = y;
  if (a->diam != b->diam) return a->diam < b->diam ? -1 : 1;
  if (a->dim != b->dim) return a->dim < b->dim ? -1 : 1;
  for (int i = 0; i <= a->dim; i++)
    if (a->v[i] != b->v[i]) return a->v[i] < b->v[i] ? -1 : 1;
  return 0;
}

typedef struct keypos {
  int64_t key;
  int dim;
  int64_t pos;
} keypos;

static int keypos_cmp(const void *x, const void *y) {
  const keypos *a = x, *b = y;
  if (a->dim != b->dim) return a->dim < b->dim ? -1 : 1;
  return (a->key > b->key) - (a->key < b->key);
}

static int64_t simplex_key(const tda_complex *c, const int32_t *v, int dim) {
  int64_t k = 0;
  for (int i = 0; i <= dim; i++) k += tda_C(&c->B, v[i], i + 1);
  return k;
}

static int64_t find_pos(const keypos *kp, int64_t m, int dim, int64_t key) {
  int64_t lo = 0, hi = m;
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    if (kp[mid].dim < dim || (kp[mid].dim == dim && kp[mid].key < key))
      lo = mid + 1;
    else
      hi = mid;
  }
  return (lo < m && kp[lo].dim == dim && kp[lo].key == key) ? kp[lo].pos : -1;
}

static bool col_reserve(rcol *a, int64_t need) {
  if (need <= a->cap) return true;
  int64_t cap = a->cap ? a->cap * 2 : 8;
  while (cap < need) cap *= 2;
  int64_t *r = realloc(a->row, (size_t)cap * sizeof *r);
  if (!r) return false;
  a->row = r;
  uint32_t *q = realloc(a->coef, (size_t)cap * sizeof *q);
  if (!q) return false;
  a->coef = q;
  a->cap = cap;
  return true;
}

/* a <- a + f * b (rows sorted increasing), into tmp, then swapped. */
static bool col_axpy(rcol *a, uint32_t f, const rcol *b, rcol *tmp, uint32_t p) {
  if (!col_reserve(tmp, a->n + b->n)) return false;
  int64_t i = 0, j = 0, k = 0;
  while (i < a->n || j < b->n) {
    int64_t r;
    uint64_t v;
    if (j >= b->n || (i < a->n && a->row[i] < b->row[j])) {
      r = a->row[i];
      v = a->coef[i++];
    } else if (i >= a->n || b->row[j] < a->row[i]) {
      r = b->row[j];
      v = ((uint64_t)f * b->coef[j++]) % p;
    } else {
      r = a->row[i];
      v = (a->coef[i++] + (uint64_t)f * b->coef[j++]) % p;
    }
    if (v) {
      tmp->row[k] = r;
      tmp->coef[k++] = (uint32_t)v;
    }
  }
  tmp->n = k;
  rcol t = *a;
  *a = *tmp;
  *tmp = t;
  return true;
}

cn_status tda_reference_compute(const tda_complex *c, tda_out *out) {
  const int64_t n = c->n;
  const int top = c->maxdim + 1 < n - 1 ? c->maxdim + 1 : (int)(n - 1);
  const uint32_t p = c->p;
  cn_status st = CN_OK;
  int64_t cap = n + 16, m = 0;
  rsimp *s = malloc((size_t)cap * sizeof *s);
  keypos *kp = NULL;
  rcol *cols = NULL, tmp = {0};
  int64_t *low_of = NULL;
  bool *killed = NULL;
  if (!s) return cn_error(CN_ENOMEM, "reference: out of memory");
  /* vertices, then cliques level by level */
  for (int64_t i = 0; i < n; i++) {
    memset(&s[m], 0, sizeof s[m]);
    s[m].v[0] = (int32_t)i;
    s[m].diam = c->births ? c->births[i] : 0.0f;
    m++;
  }
  int64_t lvl_lo = 0, lvl_hi = m;
  for (int d = 1; d <= top; d++) {
    for (int64_t q = lvl_lo; q < lvl_hi; q++) {
      for (int64_t v = s[q].v[d - 1] + 1; v < n; v++) {
        float diam = s[q].diam;
        bool ok = true;
        for (int i = 0; i < d && ok; i++) {
          ok = adjacent(c, s[q].v[i], v);
          if (ok) {
            float x = tda_dist(c, s[q].v[i], v);
            diam = x > diam ? x : diam;
          }
        }
        if (!ok) continue;
        if (c->births && c->births[v] > diam) diam = c->births[v];
        if (m == cap) {
          if (cap >= REF_MAX_SIMPLICES) {
            free(s);
            return cn_error(CN_ERANGE, "reference: more than %d simplices",
                            REF_MAX_SIMPLICES);
          }
          cap *= 2;
          rsimp *t = realloc(s, (size_t)cap * sizeof *s);
          if (!t) {
            free(s);
            return cn_error(CN_ENOMEM, "reference: out of memory");
          }
          s = t;
        }
        s[m] = s[q];
        s[m].v[d] = (int32_t)v;
        s[m].dim = d;
        s[m].diam = diam;
        m++;
      }
    }
    lvl_lo = lvl_hi;
    lvl_hi = m;
  }
  for (int64_t q = 0; q < m; q++) s[q].key = simplex_key(c, s[q].v, s[q].dim);
  qsort(s, (size_t)m, sizeof *s, simp_cmp);
  kp = malloc((size_t)m * sizeof *kp);
  cols = calloc((size_t)m, sizeof *cols);
  low_of = malloc((size_t)m * sizeof *low_of);
  killed = calloc((size_t)m, sizeof *killed);
  if (!kp || !cols || !low_of || !killed) {
    st = cn_error(CN_ENOMEM, "reference: out of memory");
    goto done;
  }
  for (int64_t q = 0; q < m; q++) {
    kp[q].key = s[q].key;
    kp[q].dim = s[q].dim;
    kp[q].pos = q;
    low_of[q] = -1;
  }
  qsort(kp, (size_t)m, sizeof *kp, keypos_cmp);
  /* boundary columns: sum_i (-1)^i [v without v_i] */
  for (int64_t q = 0; q < m; q++) {
    int d = s[q].dim;
    if (d == 0) continue;
    if (!col_reserve(&cols[q], d + 1)) {
      st = cn_error(CN_ENOMEM, "reference: out of memory");
      goto done;
    }
    for (int i = 0; i <= d; i++) {
      int32_t f[TDA_MAXV];
      for (int a = 0, b = 0; a <= d; a++)
        if (a != i) f[b++] = s[q].v[a];
      int64_t pos = find_pos(kp, m, d - 1, simplex_key(c, f, d - 1));
      if (pos < 0) {
        st = cn_error(CN_EINTERNAL, "reference: missing face");
        goto done;
      }
      cols[q].row[cols[q].n] = pos;
      cols[q].coef[cols[q].n++] = (i & 1) ? p - 1 : 1 % p;
    }
    /* sort rows */
    for (int64_t a = 1; a < cols[q].n; a++)
      for (int64_t b = a; b > 0 && cols[q].row[b - 1] > cols[q].row[b]; b--) {
        int64_t r = cols[q].row[b];
        cols[q].row[b] = cols[q].row[b - 1];
        cols[q].row[b - 1] = r;
        uint32_t x = cols[q].coef[b];
        cols[q].coef[b] = cols[q].coef[b - 1];
        cols[q].coef[b - 1] = x;
      }
  }
  /* the standard reduction */
  for (int64_t j = 0; j < m; j++) {
    rcol *a = &cols[j];
    while (a->n > 0) {
      int64_t low = a->row[a->n - 1];
      int64_t k = low_of[low];
      if (k < 0) break;
      const rcol *b = &cols[k];
      uint32_t f = (uint32_t)(((uint64_t)a->coef[a->n - 1] * c->inv[b->coef[b->n - 1]]) % p);
      if (!col_axpy(a, f ? p - f : 0, b, &tmp, p)) {
        st = cn_error(CN_ENOMEM, "reference: out of memory");
        goto done;
      }
    }
    if (a->n > 0) {
      int64_t low = a->row[a->n - 1];
      low_of[low] = j;
      killed[low] = true;
      int d = s[low].dim;
      if (d < out->ndims && s[j].diam > s[low].diam &&
          (st = tda_out_bar(out, d, s[low].diam, s[j].diam)) != CN_OK)
        goto done;
    }
  }
  for (int64_t q = 0; q < m; q++)
    if (cols[q].n == 0 && !killed[q] && s[q].dim <= c->maxdim && s[q].dim < out->ndims &&
        (st = tda_out_bar(out, s[q].dim, s[q].diam, (float)INFINITY)) != CN_OK)
      goto done;
  out->n_columns[0] = m;
done:
  if (cols)
    for (int64_t q = 0; q < m; q++) {
      free(cols[q].row);
      free(cols[q].coef);
    }
  free(tmp.row);
  free(tmp.coef);
  free(cols);
  free(kp);
  free(low_of);
  free(killed);
  free(s);
  return st;
}
