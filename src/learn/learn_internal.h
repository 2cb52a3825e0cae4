/* canns — helpers shared by the learning rules (src/learn/). */
#ifndef CANNS_LEARN_INTERNAL_H
#define CANNS_LEARN_INTERNAL_H

#include <stdint.h>

#include "canns/array.h"
#include "canns/error.h"

/* A float32 array with ndim dimensions (shape[i] >= 0 checked, -1 free). */
static inline cn_status learn_check_f32(const cn_array *a, const char *fn,
                                        const char *what, int ndim,
                                        const int64_t *shape) {
  if (!a) return cn_error(CN_EINVAL, "%s: %s is missing", fn, what);
  if (a->dtype != CN_FLOAT32)
    return cn_error(CN_EDTYPE, "%s: %s must be float32, got %s", fn, what,
                    cn_dtype_name(a->dtype));
  if (a->ndim != ndim)
    return cn_error(CN_ESHAPE, "%s: %s must be %d-d, got %d-d", fn, what, ndim,
                    a->ndim);
  for (int i = 0; i < ndim; i++)
    if (shape && shape[i] >= 0 && a->shape[i] != shape[i])
      return cn_error(CN_ESHAPE, "%s: %s has extent %lld on axis %d, expected %lld",
                      fn, what, (long long)a->shape[i], i + 1, (long long)shape[i]);
  return CN_OK;
}

/* Dot product of two float32 vectors with eight float partial sums (the
 * order XLA's CPU dot uses is not specified either; this one vectorises). */
static inline float learn_sdot(const float *restrict a, const float *restrict b,
                               int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (int j = 0; j < 8; j++) acc[j] += a[i + j] * b[i + j];
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; i < n; i++) s += a[i] * b[i];
  return s;
}

/* learn_sdot over the nz[0..m) (ascending) indices where b is non-zero:
 * each product goes into the lane (index mod 8) the dense loop uses, the
 * tail in order, so for finite a the sum is the dense one (adding a
 * product with a zero factor leaves a lane unchanged). */
static inline float learn_sdot_sparse(const float *restrict a, const float *restrict b,
                                      const int64_t *restrict nz, int64_t m, int64_t n) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t n8 = n - n % 8, k = 0;
  for (; k < m && nz[k] < n8; k++) acc[nz[k] & 7] += a[nz[k]] * b[nz[k]];
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (; k < m; k++) s += a[nz[k]] * b[nz[k]];
  return s;
}

/* learn_sdot_sparse with the lanes interleaved: pidx (rows x 8) holds
 * row r of every lane (lane l's k-th input at [k][l], shorter lanes
 * padded with an input whose b is 0), so the eight sums advance together
 * instead of one chain after another.  A padded term adds a*0 = +-0 to a
 * sum that started at +0 and so is never -0: the same bits, provided a is
 * finite there.  The inputs of lane 8 (past the last multiple of 8) follow
 * in lz[off[8]..m). */
static inline float learn_sdot_padded(const float *restrict a, const float *restrict b,
                                      const int64_t *restrict pidx, int64_t rows,
                                      const int64_t *restrict lz, const int64_t *off, int64_t m) {
  float acc[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  for (int64_t r = 0; r < rows; r++)
    for (int l = 0; l < 8; l++) acc[l] += a[pidx[8 * r + l]] * b[pidx[8 * r + l]];
  float s = ((acc[0] + acc[4]) + (acc[1] + acc[5])) + ((acc[2] + acc[6]) + (acc[3] + acc[7]));
  for (int64_t k = off[8]; k < m; k++) s += a[lz[k]] * b[lz[k]];
  return s;
}

#endif
