/* canns — growable entry arrays, the pivot hash map and the result
 * builder of the Ripser engine. */
#include <string.h>

#include "tda/tda_internal.h"

/* --- tda_vec -------------------------------------------------------- */
bool tda_vec_grow(tda_vec *v, int64_t need) {
  if (v->failed) return false;
  if (need <= v->cap) return true;
  int64_t cap = v->cap ? v->cap : 16;
  while (cap < need) cap += cap / 2 + 16;
  tda_entry *a = realloc(v->a, (size_t)cap * sizeof *a);
  if (!a) {
    v->failed = true;
    return false;
  }
  v->a = a;
  v->cap = cap;
  return true;
}

void tda_vec_free(tda_vec *v) {
  free(v->a);
  memset(v, 0, sizeof *v);
}

/* --- pivot map ------------------------------------------------------ */
static cn_status pmap_alloc(tda_pmap *m, int bits) {
  int64_t cap = (int64_t)1 << bits;
  m->keys = malloc((size_t)cap * sizeof *m->keys);
  m->vals = malloc((size_t)cap * sizeof *m->vals);
  if (!m->keys || !m->vals) {
    free(m->keys);
    free(m->vals);
    m->keys = m->vals = NULL;
    return cn_error(CN_ENOMEM, "out of memory (pivot map of %lld slots)",
                    (long long)cap);
  }
  memset(m->keys, 0xff, (size_t)cap * sizeof *m->keys); /* -1 */
  m->cap = cap;
  m->bits = bits;
  m->n = 0;
  return CN_OK;
}

cn_status tda_pmap_init(tda_pmap *m, int64_t expected) {
  memset(m, 0, sizeof *m);
  int bits = 4;
  while (bits < 62 && ((int64_t)1 << bits) < 2 * expected) bits++;
  return pmap_alloc(m, bits);
}

void tda_pmap_free(tda_pmap *m) {
  free(m->keys);
  free(m->vals);
  memset(m, 0, sizeof *m);
}

static void pmap_put(tda_pmap *m, int64_t key, int64_t val) {
  uint64_t mask = (uint64_t)m->cap - 1, i = tda_pmap_hash(key, m->bits);
  while (m->keys[i] != -1 && m->keys[i] != key) i = (i + 1) & mask;
  if (m->keys[i] == -1) m->n++;
  m->keys[i] = key;
  m->vals[i] = val;
}

cn_status tda_pmap_insert(tda_pmap *m, int64_t key, int64_t col,
                          uint32_t coef) {
  if (10 * (m->n + 1) > 7 * m->cap) {
    tda_pmap old = *m;
    CN_TRY(pmap_alloc(m, old.bits + 1));
    for (int64_t i = 0; i < old.cap; i++)
      if (old.keys[i] != -1) pmap_put(m, old.keys[i], old.vals[i]);
    free(old.keys);
    free(old.vals);
  }
  pmap_put(m, key, (col << 16) | (int64_t)coef);
  return CN_OK;
}

/* --- results -------------------------------------------------------- */
cn_status tda_out_init(tda_out *o, int maxdim, bool cocycles) {
  memset(o, 0, sizeof *o);
  o->ndims = maxdim + 1;
  o->cocycles = cocycles;
  o->d = calloc((size_t)o->ndims, sizeof *o->d);
  o->n_columns = calloc((size_t)o->ndims, sizeof *o->n_columns);
  if (!o->d || !o->n_columns) {
    tda_out_free(o);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  return CN_OK;
}

void tda_out_free(tda_out *o) {
  if (o->d)
    for (int i = 0; i < o->ndims; i++) {
      free(o->d[i].bars);
      free(o->d[i].cc_off);
      free(o->d[i].cc);
    }
  free(o->d);
  free(o->n_columns);
  memset(o, 0, sizeof *o);
}

static bool grow(void **p, int64_t *cap, int64_t need, size_t es) {
  if (need <= *cap) return true;
  int64_t c = *cap ? *cap : 16;
  while (c < need) c *= 2;
  void *q = realloc(*p, (size_t)c * es);
  if (!q) return false;
  *p = q;
  *cap = c;
  return true;
}

cn_status tda_out_bar(tda_out *o, int dim, float birth, float death) {
  tda_dimout *d = &o->d[dim];
  if (!grow((void **)&d->bars, &d->capbars, 2 * (d->nbars + 1), sizeof(float)))
    return cn_error(CN_ENOMEM, "out of memory (diagram)");
  if (o->cocycles) {
    if (!grow((void **)&d->cc_off, &d->capoff, d->nbars + 2, sizeof(int64_t)))
      return cn_error(CN_ENOMEM, "out of memory (cocycles)");
    d->cc_off[d->nbars] = d->ccrows;
    d->cc_off[d->nbars + 1] = d->ccrows;
  }
  d->bars[2 * d->nbars] = birth;
  d->bars[2 * d->nbars + 1] = death;
  d->nbars++;
  return CN_OK;
}

cn_status tda_out_cocycle_row(tda_out *o, int dim, const int64_t *verts,
                              int64_t coef) {
  tda_dimout *d = &o->d[dim];
  int w = dim + 2;
  if (!grow((void **)&d->cc, &d->capcc, (d->ccrows + 1) * w, sizeof(int64_t)))
    return cn_error(CN_ENOMEM, "out of memory (cocycles)");
  for (int i = 0; i <= dim; i++) d->cc[d->ccrows * w + i] = verts[i];
  d->cc[d->ccrows * w + dim + 1] = coef;
  d->ccrows++;
  d->cc_off[d->nbars] = d->ccrows;
  return CN_OK;
}

void tda_out_peak(tda_out *o, int64_t stage_bytes) {
  if (o->held + stage_bytes > o->peak_bytes) o->peak_bytes = o->held + stage_bytes;
}
