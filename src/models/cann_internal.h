/* canns — state shared by the CANN model files (internal). */
#ifndef CANNS_MODELS_CANN_INTERNAL_H
#define CANNS_MODELS_CANN_INTERNAL_H

#include "canns/cann.h"
#include "cpu/cann_kernels.h"
#include "models/ringconv.h"
#include "models/ringspec.h"

typedef struct cann_impl {
  cn_cann_params p;
  int rank;              /* 1: ring of p.n neurons, 2: p.n x p.n torus */
  cn_cann_method method; /* resolved, never AUTO */
  cn_cann_consts_f32 c32;
  cn_cann_consts_f64 c64;
  cn_array *x;           /* coordinates, p.n values */
  cn_array *u, *r, *inp, *v; /* state (v only with SFA) */
  cn_array *irec;        /* scratch: recurrent input */
  cn_array *conn;        /* dense method: the connection matrix */
  cn_array *g, *tmp;     /* separable method: L x L factor and scratch */
  cn_ringconv *conv;     /* FFT method */
  cn_ringspec *spec;     /* spectral method (1-D) */
} cann_impl;

static inline cann_impl *cann_of(const cn_model *m) { return m->impl; }

/* The step's input as the Euler kernels read it: inp's data, or, when it
 * overlaps a state array of c other than exactly (u, inp), c->inp
 * holding a copy of it. */
const void *cn_cann_input(cann_impl *c, const cn_array *inp);

/* Set up the method-specific parts (cann1d.c / cann2d.c). */
cn_status cn_cann1d_setup(cann_impl *c);
cn_status cn_cann2d_setup(cann_impl *c);
/* The recurrent input of the method in use: c->irec from c->r. */
void cn_cann1d_recurrent(cann_impl *c);
void cn_cann2d_recurrent(cann_impl *c);
cn_status cn_cann1d_step(cn_model *m, const cn_array *inp);
cn_status cn_cann2d_step(cn_model *m, const cn_array *inp);
cn_status cn_cann1d_stimulus(cn_model *m, const double *pos, int npos,
                             cn_array *out);
cn_status cn_cann2d_stimulus(cn_model *m, const double *pos, int npos,
                             cn_array *out);
/* The FFT kernel of lags 0..M-1 (M^rank doubles, malloc'd), evaluated
 * like the dense matrix (model precision, from the coordinates). */
cn_status cn_cann_lag_kernel(const cann_impl *c, double **out);
/* The ring kernel at the exact lags d z_range / M in double (1-D): its
 * spectrum is free of coordinate-rounding noise (spectral method). */
cn_status cn_cann_lag_kernel_exact(const cann_impl *c, double **out);

/* Free the method-specific parts other than those of `keep`. */
void cn_cann_free_parts(cann_impl *c, cn_cann_method keep);

/* --- measured method choice (cann_plan.c) --------------------------------
 * The largest sizes at which the dense product is a candidate of "auto"
 * (its matrix is built to be timed: 65536 entries at most). */
#define CN_CANN_PLAN_DENSE_MAX_1D 256
#define CN_CANN_PLAN_DENSE_MAX_2D 16
typedef cn_status (*cn_cann_build_fn)(cann_impl *c, cn_cann_method m, void *ctx);
/* method = "auto": the fastest of the `nc` candidates for this model
 * (class, size, dtype, thread count and `variant`, e.g. the 1-D mode
 * count), from the in-memory cache or the wisdom file when known, else by
 * building each with build() and timing a few recurrent products (a few
 * ms in all; bounded by a few products at large sizes).  On success the
 * winner's parts are built, the others freed, and c->method is set. */
cn_status cn_cann_plan(cann_impl *c, int64_t variant, const cn_cann_method *cand, int nc,
                       cn_cann_build_fn build, void *ctx);

#endif
