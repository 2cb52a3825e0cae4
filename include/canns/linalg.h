/* canns — eigen-decompositions through LAPACK (OpenBLAS's LAPACK).
 *
 * Inputs are square float32 or float64 arrays; the work is done in
 * float64 on a copy (the input is never modified).  Results follow
 * NumPy's conventions: eigenvectors are the COLUMNS of V.
 */
#ifndef CANNS_LINALG_H
#define CANNS_LINALG_H

#include "canns/array.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Symmetric eigen-decomposition (LAPACK dsyevd; only the lower triangle
 * of A is read): w (n) ascending, V (n, n) with A V = V diag(w).  V may
 * be NULL (eigenvalues only). */
cn_status cn_linalg_eigh(const cn_array *A, cn_array **w, cn_array **V);

/* General eigen-decomposition (LAPACK dgeev): eigenvalues wr + i wi (n
 * each, in LAPACK's order; a complex pair is adjacent, positive imaginary
 * part first) and, when VR is not NULL, the right eigenvectors as LAPACK
 * packs them: for a real eigenvalue j column j is its vector; for a pair
 * (j, j+1) the vectors are VR[:, j] +- i VR[:, j+1].  Each vector has
 * unit Euclidean norm. */
cn_status cn_linalg_eig(const cn_array *A, cn_array **wr, cn_array **wi, cn_array **VR);

#ifdef __cplusplus
}
#endif
#endif
