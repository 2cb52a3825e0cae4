#define _GNU_SOURCE /* qsort_r */
/* canns — colour quantisation for GIF frames: Heckbert's median cut over
 * a 5-bit-per-channel histogram that keeps the exact 8-bit sums of every
 * cell, so palette entries are true means (pure white stays 255, 255,
 * 255) and a figure with at most 256 distinct colours in distinct cells
 * is reproduced exactly.
 *
 * giflib ships a median-cut quantiser too (GifQuantizeBuffer), but it
 * keeps its sort axis in a static variable (not reentrant, so frames
 * could not be quantised in parallel) and rebuilds colours from the
 * 5-bit cells (white becomes 248, 248, 248).  This one is reentrant:
 * every call owns its buffers.
 */
#include <stdlib.h>
#include <string.h>

#include "plot/internal.h"

#define QBITS 5
#define QSIDE (1 << QBITS)
#define QCELLS (QSIDE * QSIDE * QSIDE)

typedef struct cell {
  uint32_t count;
  uint32_t idx;        /* cell index (r << 10 | g << 5 | b) */
  uint64_t sum[3];
} cell;

typedef struct box {
  int lo, hi;          /* range [lo, hi) in the cell list */
  uint64_t count;
  int min[3], max[3];
} box;

static int sort_axis_cmp(const void *a, const void *b, void *axisp) {
  int axis = *(const int *)axisp;
  const cell *x = a, *y = b;
  int shift = (2 - axis) * QBITS;
  int vx = (x->idx >> shift) & (QSIDE - 1), vy = (y->idx >> shift) & (QSIDE - 1);
  if (vx != vy) return vx - vy;
  return (int)x->idx - (int)y->idx; /* total order: deterministic */
}

static void box_shrink(box *b, const cell *cells) {
  b->count = 0;
  for (int k = 0; k < 3; k++) b->min[k] = QSIDE, b->max[k] = -1;
  for (int i = b->lo; i < b->hi; i++) {
    b->count += cells[i].count;
    for (int k = 0; k < 3; k++) {
      int v = (cells[i].idx >> ((2 - k) * QBITS)) & (QSIDE - 1);
      if (v < b->min[k]) b->min[k] = v;
      if (v > b->max[k]) b->max[k] = v;
    }
  }
}

static int longest_axis(const box *b) {
  int axis = 0, best = -1;
  for (int k = 0; k < 3; k++)
    if (b->max[k] - b->min[k] > best) best = b->max[k] - b->min[k], axis = k;
  return axis;
}

cn_status pl_gif_quantize(const uint32_t *px, int w, int h, pl_gif_frame *out) {
  size_t npix = (size_t)w * h;
  cell *hist = calloc(QCELLS, sizeof *hist);
  uint16_t *cellof = malloc(QCELLS * sizeof *cellof);
  box *boxes = malloc(256 * sizeof *boxes);
  if (!hist || !cellof || !boxes) {
    free(hist), free(cellof), free(boxes);
    return cn_error(CN_ENOMEM, "out of memory quantising a frame");
  }
  /* figures are mostly runs of one colour: count runs, not pixels */
  for (size_t i = 0; i < npix;) {
    uint32_t v = px[i] & 0xffffff;
    size_t j = i + 1;
    while (j < npix && (px[j] & 0xffffff) == v) j++;
    uint32_t r = v >> 16, g = v >> 8 & 0xff, b = v & 0xff, n = (uint32_t)(j - i);
    cell *q = &hist[(r >> 3) << 10 | (g >> 3) << 5 | (b >> 3)];
    q->count += n;
    q->sum[0] += (uint64_t)r * n, q->sum[1] += (uint64_t)g * n, q->sum[2] += (uint64_t)b * n;
    i = j;
  }
  /* compact the non-empty cells */
  int n = 0;
  for (uint32_t c = 0; c < QCELLS; c++)
    if (hist[c].count) {
      hist[n] = hist[c];
      hist[n].idx = c;
      n++;
    }
  int nb = 1;
  boxes[0].lo = 0, boxes[0].hi = n;
  box_shrink(&boxes[0], hist);
  while (nb < 256) {
    /* split the most populous box that still spans more than one cell */
    int pick = -1;
    uint64_t best = 0;
    for (int i = 0; i < nb; i++) {
      if (boxes[i].hi - boxes[i].lo < 2) continue;
      if (boxes[i].count > best) best = boxes[i].count, pick = i;
    }
    if (pick < 0) break;
    box *b = &boxes[pick];
    int axis = longest_axis(b);
    qsort_r(hist + b->lo, b->hi - b->lo, sizeof *hist, sort_axis_cmp, &axis);
    uint64_t half = b->count / 2, acc = 0;
    int split = b->lo + 1;
    for (int i = b->lo; i < b->hi - 1; i++) {
      acc += hist[i].count;
      split = i + 1;
      if (acc >= half) break;
    }
    box *c = &boxes[nb++];
    c->lo = split, c->hi = b->hi;
    b->hi = split;
    box_shrink(b, hist);
    box_shrink(c, hist);
  }
  out->ncolors = nb;
  for (int i = 0; i < nb; i++) {
    uint64_t s[3] = {0, 0, 0}, cnt = 0;
    for (int j = boxes[i].lo; j < boxes[i].hi; j++) {
      cnt += hist[j].count;
      for (int k = 0; k < 3; k++) s[k] += hist[j].sum[k];
      cellof[hist[j].idx] = (uint16_t)i;
    }
    for (int k = 0; k < 3; k++) out->palette[i][k] = cnt ? (uint8_t)((s[k] + cnt / 2) / cnt) : 0;
  }
  uint32_t last = ~0u;
  uint8_t idx = 0;
  for (size_t i = 0; i < npix; i++) {
    uint32_t v = px[i] & 0xffffff;
    if (v != last) {
      last = v;
      idx = (uint8_t)cellof[(v >> 19 & 0x1f) << 10 | (v >> 11 & 0x1f) << 5 | (v >> 3 & 0x1f)];
    }
    out->index[i] = idx;
  }
  free(hist), free(cellof), free(boxes);
  return CN_OK;
}
