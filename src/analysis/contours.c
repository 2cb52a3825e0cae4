/* canns — iso-contours by marching squares, assembled into polylines as
 * skimage.measure.find_contours does (fully_connected="low"): upstream
 * find_contours_at_level, used for the centre field of the gridness
 * score.  Points are matched exactly (as skimage's dict of tuples does). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/analysis_internal.h"
#include "canns/image.h"

typedef struct { double r, c; } pt;

static double frac(double from, double to, double level) {
  if (to == from) return 0;
  return (level - from) / (to - from);
}

/* --- point -> slot hash (open addressing) -------------------------- */
typedef struct {
  int64_t cap;
  pt *key;
  int64_t *val; /* -1 = empty, -2 = deleted */
} pmap;

static uint64_t phash(pt p) {
  uint64_t a, b;
  double r = p.r == 0 ? 0.0 : p.r, c = p.c == 0 ? 0.0 : p.c;
  memcpy(&a, &r, 8), memcpy(&b, &c, 8);
  uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + 0x632BE59BD9B4E019ull + (a << 6) + (a >> 2));
  h ^= h >> 33, h *= 0xff51afd7ed558ccdull, h ^= h >> 33;
  return h;
}

static int pmap_init(pmap *m, int64_t n) {
  m->cap = 16;
  while (m->cap < 2 * n + 16) m->cap <<= 1;
  m->key = malloc(sizeof(pt) * (size_t)m->cap);
  m->val = malloc(sizeof(int64_t) * (size_t)m->cap);
  if (!m->key || !m->val) return 0;
  for (int64_t i = 0; i < m->cap; i++) m->val[i] = -1;
  return 1;
}
static void pmap_free(pmap *m) { free(m->key), free(m->val); }

/* Slot of p, or -1. */
static int64_t pmap_find(const pmap *m, pt p) {
  int64_t i = (int64_t)(phash(p) & (uint64_t)(m->cap - 1));
  for (;;) {
    if (m->val[i] == -1) return -1;
    if (m->val[i] >= 0 && m->key[i].r == p.r && m->key[i].c == p.c) return i;
    i = (i + 1) & (m->cap - 1);
  }
}
/* Remove p and return its value (or -1). */
static int64_t pmap_pop(pmap *m, pt p) {
  int64_t i = pmap_find(m, p);
  if (i < 0) return -1;
  int64_t v = m->val[i];
  m->val[i] = -2;
  return v;
}
static void pmap_set(pmap *m, pt p, int64_t v) {
  int64_t i = pmap_find(m, p);
  if (i >= 0) { m->val[i] = v; return; }
  i = (int64_t)(phash(p) & (uint64_t)(m->cap - 1));
  while (m->val[i] >= 0) i = (i + 1) & (m->cap - 1);
  m->key[i] = p, m->val[i] = v;
}

/* --- contours as doubly linked lists of points --------------------- */
typedef struct {
  pt *p;
  int64_t *prev, *next;
  int64_t n, cap;
} pool;

static int64_t node(pool *q, pt p) {
  int64_t k = q->n++;
  q->p[k] = p, q->prev[k] = q->next[k] = -1;
  return k;
}

typedef struct {
  int64_t head, tail; /* first and last node; head = -1: dropped */
} contour;

void cn_contours_free(cn_contours *c) {
  if (!c) return;
  free(c->start), free(c->pts);
  c->start = NULL, c->pts = NULL, c->n = 0;
}

cn_status cn_find_contours(const double *img, int64_t h, int64_t w,
                           double level, cn_contours *out) {
  memset(out, 0, sizeof *out);
  if (h < 2 || w < 2 || h > CN_IMAGE_MAX_EXTENT || w > CN_IMAGE_MAX_EXTENT)
    return cn_error(CN_ESHAPE, "contours need an image of at least 2 x 2, got %lld x %lld",
                    (long long)h, (long long)w);
  /* segments, in skimage's order */
  int64_t nseg = 0, cap = 256;
  pt *seg = malloc(sizeof(pt) * (size_t)cap * 2);
  if (!seg) return cn_error(CN_ENOMEM, "contour segments");
  for (int64_t r0 = 0; r0 < h - 1; r0++)
    for (int64_t c0 = 0; c0 < w - 1; c0++) {
      int64_t r1 = r0 + 1, c1 = c0 + 1;
      double ul = img[r0 * w + c0], ur = img[r0 * w + c1];
      double ll = img[r1 * w + c0], lr = img[r1 * w + c1];
      int sc = (ul > level) + 2 * (ur > level) + 4 * (ll > level) + 8 * (lr > level);
      if (sc == 0 || sc == 15) continue;
      pt top = {(double)r0, (double)c0 + frac(ul, ur, level)};
      pt bottom = {(double)r1, (double)c0 + frac(ll, lr, level)};
      pt left = {(double)r0 + frac(ul, ll, level), (double)c0};
      pt right = {(double)r0 + frac(ur, lr, level), (double)c1};
      pt s[4];
      int k = 0;
      switch (sc) {
      case 1: s[0] = top, s[1] = left, k = 2; break;
      case 2: s[0] = right, s[1] = top, k = 2; break;
      case 3: s[0] = right, s[1] = left, k = 2; break;
      case 4: s[0] = left, s[1] = bottom, k = 2; break;
      case 5: s[0] = top, s[1] = bottom, k = 2; break;
      case 6: s[0] = right, s[1] = top, s[2] = left, s[3] = bottom, k = 4; break;
      case 7: s[0] = right, s[1] = bottom, k = 2; break;
      case 8: s[0] = bottom, s[1] = right, k = 2; break;
      case 9: s[0] = top, s[1] = left, s[2] = bottom, s[3] = right, k = 4; break;
      case 10: s[0] = bottom, s[1] = top, k = 2; break;
      case 11: s[0] = bottom, s[1] = left, k = 2; break;
      case 12: s[0] = left, s[1] = right, k = 2; break;
      case 13: s[0] = top, s[1] = right, k = 2; break;
      case 14: s[0] = left, s[1] = top, k = 2; break;
      }
      for (int j = 0; j < k; j += 2) {
        if (nseg == cap) {
          cap *= 2;
          pt *t = realloc(seg, sizeof(pt) * (size_t)cap * 2);
          if (!t) { free(seg); return cn_error(CN_ENOMEM, "contour segments"); }
          seg = t;
        }
        seg[2 * nseg] = s[j], seg[2 * nseg + 1] = s[j + 1];
        nseg++;
      }
    }
  /* assembly (skimage _assemble_contours) */
  pool q = {0};
  q.cap = 2 * nseg + 1;
  q.p = malloc(sizeof(pt) * (size_t)q.cap);
  q.prev = malloc(sizeof(int64_t) * (size_t)q.cap);
  q.next = malloc(sizeof(int64_t) * (size_t)q.cap);
  contour *cs = malloc(sizeof(contour) * (size_t)(nseg + 1));
  pmap starts = {0}, ends = {0};
  cn_status st = CN_OK;
  if (!q.p || !q.prev || !q.next || !cs || !pmap_init(&starts, nseg) || !pmap_init(&ends, nseg)) {
    st = cn_error(CN_ENOMEM, "contour assembly");
    goto done;
  }
  int64_t ncs = 0;
  for (int64_t s = 0; s < nseg; s++) {
    pt from = seg[2 * s], to = seg[2 * s + 1];
    if (from.r == to.r && from.c == to.c) continue;
    int64_t tail = pmap_pop(&starts, to);  /* contour starting at `to` */
    int64_t head = pmap_pop(&ends, from);  /* contour ending at `from` */
    if (tail >= 0 && head >= 0) {
      if (tail == head) { /* close the loop */
        int64_t k = node(&q, to);
        q.prev[k] = cs[head].tail, q.next[cs[head].tail] = k, cs[head].tail = k;
      } else {
        /* join head + tail; the lower number survives */
        int64_t keep = tail > head ? head : tail, drop = tail > head ? tail : head;
        q.next[cs[head].tail] = cs[tail].head, q.prev[cs[tail].head] = cs[head].tail;
        int64_t h0 = cs[head].head, t1 = cs[tail].tail;
        if (tail <= head) pmap_pop(&starts, q.p[h0]);
        cs[keep].head = h0, cs[keep].tail = t1;
        cs[drop].head = -1;
        pmap_set(&starts, q.p[h0], keep);
        pmap_set(&ends, q.p[t1], keep);
      }
    } else if (tail < 0 && head < 0) {
      int64_t a = node(&q, from), b = node(&q, to);
      q.next[a] = b, q.prev[b] = a;
      cs[ncs].head = a, cs[ncs].tail = b;
      pmap_set(&starts, from, ncs);
      pmap_set(&ends, to, ncs);
      ncs++;
    } else if (head < 0) { /* prepend from to tail */
      int64_t k = node(&q, from);
      q.next[k] = cs[tail].head, q.prev[cs[tail].head] = k, cs[tail].head = k;
      pmap_set(&starts, from, tail);
    } else { /* append to to head */
      int64_t k = node(&q, to);
      q.prev[k] = cs[head].tail, q.next[cs[head].tail] = k, cs[head].tail = k;
      pmap_set(&ends, to, head);
    }
  }
  int64_t nout = 0, npts = 0;
  for (int64_t k = 0; k < ncs; k++)
    if (cs[k].head >= 0) {
      nout++;
      for (int64_t v = cs[k].head; v >= 0; v = q.next[v]) npts++;
    }
  out->start = malloc(sizeof(int64_t) * (size_t)(nout + 1));
  out->pts = malloc(sizeof(double) * (size_t)(2 * npts + 1));
  if (!out->start || !out->pts) {
    cn_contours_free(out);
    st = cn_error(CN_ENOMEM, "contours");
    goto done;
  }
  out->n = nout;
  int64_t i = 0, p = 0;
  for (int64_t k = 0; k < ncs; k++) {
    if (cs[k].head < 0) continue;
    out->start[i++] = p;
    for (int64_t v = cs[k].head; v >= 0; v = q.next[v]) {
      out->pts[2 * p] = q.p[v].r, out->pts[2 * p + 1] = q.p[v].c;
      p++;
    }
  }
  out->start[nout] = p;
done:
  free(seg), free(q.p), free(q.prev), free(q.next), free(cs);
  pmap_free(&starts), pmap_free(&ends);
  return st;
}
