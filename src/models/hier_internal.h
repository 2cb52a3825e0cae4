/* canns — the hierarchical path-integration models' internals: the
 * implementation structs, so that a composite model steps its parts
 * directly (include/canns/hierarchical.h has the public side). */
#ifndef CANNS_MODELS_HIER_INTERNAL_H
#define CANNS_MODELS_HIER_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "canns/hierarchical.h"
#include "models/ringconv.h"
#include "models/torusconv.h"

/* A circulant product on a ring of n points: y = W x (or x W when
 * `left`), by the dense matrix W or as a circular convolution. */
typedef struct hier_ring {
  int64_t n;
  const float *W;   /* the dense matrix (n x n, row-major), kept for both methods */
  bool left;        /* row vector times W */
  cn_ringconv *fft; /* NULL: dense */
  float *xb, *yb;   /* n + 1 values each (the convolution's fold point stays 0) */
} hier_ring;

/* kernel(d) for lags d = 0..n-1 is W's first column (y = W x: W[d][0])
 * or first row (x W: W[0][d]); fft selects the method. */
cn_status hier_ring_init(hier_ring *h, int64_t n, const float *W, bool left, bool fft);
void hier_ring_apply(hier_ring *h, const float *x, float *y);
void hier_ring_free(hier_ring *h);

typedef struct hier_gru {
  cn_gru_params p;
  int64_t N;
  float zr, hzr, k, tau, a;
  cn_array *x, *conn, *r, *u, *input, *center;
  float *irec, *cx, *sx; /* cos x, sin x */
  hier_ring ring;
} hier_gru;

typedef struct hier_nru {
  cn_nru_params p;
  int64_t N;
  cn_array *x, *r, *u, *input, *noise;
  bool drawn; /* noise for the next step already drawn */
} hier_nru;

typedef struct hier_band {
  cn_band_params p;
  int64_t N;
  float proj_k[2], zr, hzr, a;
  cn_model *band, *left, *right; /* GaussRecUnits, NonRecUnits x 2 */
  cn_array *W_L, *W_R, *center_ideal, *center, *x;
  hier_ring ring_l, ring_r;
  float *tmp, *bin;
} hier_band;

typedef struct hier_grid {
  cn_hgrid_params p;
  int64_t L, N;
  float tau, tau_v, m, k;
  cn_array *x, *x_grid, *y_grid, *value_grid, *conn, *r, *u, *v, *input, *center;
  cn_torusconv *fft; /* NULL: dense */
  float *irec, *trig; /* cos x_grid, sin x_grid, cos y_grid, sin y_grid (4 N) */
} hier_grid;

typedef struct hier_pim {
  cn_hpim_params p;
  int64_t P, N;
  cn_model *bx, *by, *bz, *grid;
  cn_array *place_center, *Wg2p, *grid_output;
  float *gin;
  float *WgT; /* Wg2p transposed (N x P), for the sparse product; NULL: dense */
} hier_pim;

/* One step of each part (inputs already float32 and of the right size).
 * draw: the shifters draw their noise first (a composite that steps its
 * modules on several threads draws everything beforehand, in order). */
void hier_gru_step(hier_gru *g, const float *input);
cn_status hier_nru_draw(hier_nru *n);
void hier_nru_step(hier_nru *n, const float *input);
cn_status hier_band_draw(hier_band *b);
void hier_band_step(hier_band *b, const float vel[2], const float loc[2], float stre);
void hier_grid_step(hier_grid *g, const float *input);
cn_status hier_pim_draw(hier_pim *h);
/* Everything up to the grid sheet's rates ... */
void hier_pim_step_sheet(hier_pim *h, const float vel[2], const float loc[2], float stre);
/* ... and the place-cell drive grid_output = Wg2p r. */
void hier_pim_step_output(hier_pim *h);

/* Upstream's helpers in float32: numpy remainder, ring distance of one
 * lag, map2pi (wrap once into [-pi, pi]) and the hexagonal distance of
 * the hierarchical grid sheet. */
float hier_remainder(float x, float y);
float hier_ring_dist(float d, float zr, float hzr);
float hier_wrap(float d);
float hier_hexdist(float d0, float d1);
/* mod(x . k, 2 pi) - pi */
float hier_postophase1(const float pos[2], const float k[2]);
/* G(d) = exp(-0.5 (d/a)^2) / (sqrt(2 pi) a) */
float hier_gauss(float d, float a);

bool hier_is(const cn_model *m, const char *cls);
/* Validation shared by the constructors. */
cn_status hier_check_size(const char *fn, const char *key, int64_t v, int64_t max);

extern const cn_model_vtable hier_gru_vt, hier_nru_vt, hier_band_vt, hier_grid_vt,
    hier_pim_vt, hier_net_vt;

#endif
