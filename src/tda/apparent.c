/* canns — zero-persistence apparent pairs (Bauer 2021, section 3.4).
 *
 * A pair (s, t) of a simplex and a cofacet of the same diameter is
 * apparent when t is the first cofacet of s in enumeration order (largest
 * index first, i.e. the largest new vertex) with that diameter and s is the
 * first facet of t (smallest index first, i.e. dropping the largest vertex
 * first) with that diameter.  Apparent pairs are persistence pairs of zero
 * persistence whatever the reduction does, so their columns need not be
 * reduced.  These tests depend on geometry only.  They work on vertex
 * lists (decreasing) to avoid decoding indices more than once. */
#include "tda/tda_internal.h"

float tda_diameter(const tda_complex *c, int64_t index, int dim) {
  int64_t v[TDA_MAXV];
  tda_vertices(&c->B, index, dim, c->n, v);
  float d = 0.0f;
  for (int i = 0; i <= dim; i++)
    for (int j = 0; j < i; j++) {
      float x = tda_dist(c, v[i], v[j]);
      if (x > d) d = x;
    }
  return d;
}

static int64_t index_of(const tda_complex *c, const int64_t *v, int dim) {
  int64_t idx = 0;
  for (int j = 0; j <= dim; j++) idx += tda_C(&c->B, v[j], dim + 1 - j);
  return idx;
}

/* The largest vertex outside v[0..dim] whose distances to all of them are
 * <= d (the new vertex of the zero-pivot cofacet), or -1. */
static int64_t zpc_vertex(const tda_complex *c, const int64_t *v, int dim,
                          float d) {
  const int64_t n = c->n;
  if (c->sparse) {
    /* walk the neighbours of v[0] downwards, test the others by lookup */
    for (int64_t q = c->nb_start[v[0] + 1] - 1; q >= c->nb_start[v[0]]; q--) {
      if (c->nb_val[q] > d) continue;
      int64_t w = c->nb_idx[q];
      bool ok = true;
      for (int i = 1; i <= dim && ok; i++) ok = w != v[i] && tda_dist(c, v[i], w) <= d;
      if (ok) return w;
    }
    return -1;
  }
  /* dense: blocks of candidates so that the inner loops vectorise */
  enum { BLK = 32 };
  const float *r0 = c->D + v[0] * n;
  for (int64_t hi = n; hi > 0; hi -= BLK) {
    int64_t lo = hi - BLK > 0 ? hi - BLK : 0, len = hi - lo;
    float m[BLK];
    for (int64_t t = 0; t < len; t++) m[t] = r0[lo + t];
    for (int i = 1; i <= dim; i++) {
      const float *r = c->D + v[i] * n + lo;
      for (int64_t t = 0; t < len; t++) m[t] = r[t] > m[t] ? r[t] : m[t];
    }
    for (int64_t t = len - 1; t >= 0; t--) {
      if (m[t] > d) continue;
      int64_t w = lo + t;
      bool in = false;
      for (int i = 0; i <= dim; i++) in |= v[i] == w;
      if (!in) return w;
    }
  }
  return -1;
}

/* The position r of the first facet (dropping v[0], then v[1], ...) whose
 * diameter is d, or -1. */
static int zpf_position(const tda_complex *c, const int64_t *v, int dim,
                        float d) {
  if (dim < 1) return -1;
  float pd[TDA_MAXV][TDA_MAXV];
  for (int i = 0; i <= dim; i++)
    for (int j = 0; j < i; j++) pd[i][j] = tda_dist(c, v[i], v[j]);
  for (int r = 0; r <= dim; r++) {
    float m = -1.0f; /* a vertex has no pairs: never equal (as Ripser) */
    for (int i = 0; i <= dim; i++)
      for (int j = 0; j < i; j++)
        if (i != r && j != r && pd[i][j] > m) m = pd[i][j];
    if (m == d) return r;
  }
  return -1;
}

/* v + {w} in decreasing order into out; returns the position of w. */
static int insert_vertex(const int64_t *v, int dim, int64_t w, int64_t *out) {
  int pos = 0;
  while (pos <= dim && v[pos] > w) {
    out[pos] = v[pos];
    pos++;
  }
  out[pos] = w;
  for (int i = pos; i <= dim; i++) out[i + 1] = v[i];
  return pos;
}

/* The zero-pivot cofacet of v[0..dim] at diameter d: its vertices into t
 * (decreasing) and the position of the new vertex, or -1. */
static int zp_cofacet(const tda_complex *c, const int64_t *v, int dim, float d,
                      int64_t *t) {
  int64_t w = zpc_vertex(c, v, dim, d);
  if (w < 0) return -1;
  return insert_vertex(v, dim, w, t);
}

/* The zero-pivot facet of v[0..dim] at diameter d: its vertices into f
 * (decreasing) and the position r of the dropped vertex, or -1. */
static int zp_facet(const tda_complex *c, const int64_t *v, int dim, float d,
                    int64_t *f) {
  int r = zpf_position(c, v, dim, d);
  if (r < 0) return -1;
  for (int i = 0, j = 0; i <= dim; i++)
    if (i != r) f[j++] = v[i];
  return r;
}

/* The entry of the simplex w[0..wdim] paired with s: s's diameter, and
 * s's coefficient negated when k (the vertices of s below the added or
 * dropped one) is odd. */
static tda_entry paired_entry(const tda_complex *c, const int64_t *w, int wdim,
                              const tda_entry *s, int k) {
  tda_entry out = {index_of(c, w, wdim), s->diam, (k & 1) ? c->p - s->coef : s->coef};
  return out;
}

tda_entry tda_zero_pivot_cofacet(const tda_complex *c, const tda_entry *s,
                                 int dim) {
  tda_entry none = {-1, 0.0f, 0};
  int64_t v[TDA_MAXV] = {0}, t[TDA_MAXV + 1] = {0};
  tda_vertices(&c->B, s->index, dim, c->n, v);
  int pos = zp_cofacet(c, v, dim, s->diam, t);
  if (pos < 0) return none;
  return paired_entry(c, t, dim + 1, s, dim + 1 - pos);
}

tda_entry tda_zero_pivot_facet(const tda_complex *c, const tda_entry *s,
                               int dim) {
  tda_entry none = {-1, 0.0f, 0};
  int64_t v[TDA_MAXV] = {0}, f[TDA_MAXV] = {0};
  tda_vertices(&c->B, s->index, dim, c->n, v);
  int r = zp_facet(c, v, dim, s->diam, f);
  if (r < 0) return none;
  return paired_entry(c, f, dim - 1, s, dim - r);
}

tda_entry tda_zero_apparent_cofacet(const tda_complex *c, const tda_entry *s,
                                    int dim) {
  tda_entry none = {-1, 0.0f, 0};
  int64_t v[TDA_MAXV] = {0}, t[TDA_MAXV + 1] = {0};
  tda_vertices(&c->B, s->index, dim, c->n, v);
  int pos = zp_cofacet(c, v, dim, s->diam, t);
  if (pos < 0 || zpf_position(c, t, dim + 1, s->diam) != pos) return none;
  return paired_entry(c, t, dim + 1, s, dim + 1 - pos);
}

tda_entry tda_zero_apparent_facet(const tda_complex *c, const tda_entry *s,
                                  int dim) {
  tda_entry none = {-1, 0.0f, 0};
  int64_t v[TDA_MAXV] = {0}, f[TDA_MAXV] = {0};
  tda_vertices(&c->B, s->index, dim, c->n, v);
  int r = zp_facet(c, v, dim, s->diam, f);
  if (r < 0 || zpc_vertex(c, f, dim - 1, s->diam) != v[r]) return none;
  return paired_entry(c, f, dim - 1, s, dim - r);
}

bool tda_in_apparent_pair_v(const tda_complex *c, const int64_t *v, int dim,
                            float d) {
  /* s = v is the facet of an apparent pair (s, t) */
  int64_t t[TDA_MAXV + 1];
  int pos = zp_cofacet(c, v, dim, d, t);
  if (pos >= 0 && zpf_position(c, t, dim + 1, d) == pos) return true;
  /* s = v is the cofacet of an apparent pair (f, s) */
  int64_t f[TDA_MAXV];
  int r = zp_facet(c, v, dim, d, f);
  return r >= 0 && zpc_vertex(c, f, dim - 1, d) == v[r];
}
