/* canns — preparing the filtered complex from the user's input (shared by
 * the engine and the plain reference).  Internal. */
#ifndef CANNS_TDA_PREPARE_H
#define CANNS_TDA_PREPARE_H

#include "tda/tda_internal.h"

cn_status tda_check_opts(const cn_ripser_opts *o);
cn_status tda_check_size(int64_t n, int maxdim);
cn_status tda_alloc_square(int64_t n, float **out);
/* NaN, negative entries and asymmetry (relative tolerance 1e-5). */
cn_status tda_check_dense(const float *D, int64_t n);
/* M = D with the lower triangle replaced by the upper one (diagonal kept). */
void tda_symmetrize_upper(const float *D, int64_t n, float *M);
/* Threshold rules (as canns_lib's `ripser` chooses them) and the enumerator choice for a
 * symmetric matrix M (kept by reference in c->D). */
cn_status tda_prepare_dense(tda_complex *c, const cn_ripser_opts *o,
                            const float *M, int64_t *num_edges,
                            double *threshold);
/* Neighbour lists from triplets. */
cn_status tda_prepare_sparse(tda_complex *c, const cn_ripser_opts *o,
                             int64_t nnz, const int64_t *row,
                             const int64_t *col, const float *val,
                             int64_t *num_edges);
/* Run the engine (or the reference) and fill res. */
cn_status tda_run_complex(tda_complex *c, const cn_ripser_opts *o,
                          bool reference, cn_ripser_result *res);
cn_status tda_result_fill(cn_ripser_result *r, tda_out *out,
                          const cn_ripser_opts *o);
void tda_complex_free(tda_complex *c);
/* The plain reference reduction (reference.c). */
cn_status tda_reference_compute(const tda_complex *c, tda_out *out);

#endif
