/* canns — eigen-decompositions through LAPACK (include/canns/linalg.h).
 * OpenBLAS exports the Fortran LAPACK routines; they are called directly
 * (column-major: a symmetric matrix is its own transpose, and a general
 * one is handed over transposed). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/linalg.h"

void dsyevd_(const char *jobz, const char *uplo, const int *n, double *a, const int *lda,
             double *w, double *work, const int *lwork, int *iwork, const int *liwork,
             int *info);
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info);

/* A float64 copy of the square matrix A (row-major), checked. */
static cn_status square_copy(const cn_array *A, const char *fn, double **out, int *n) {
  if (!A) return cn_error(CN_EINVAL, "%s: the matrix is missing", fn);
  if (A->dtype != CN_FLOAT32 && A->dtype != CN_FLOAT64)
    return cn_error(CN_EDTYPE, "%s: the matrix must be float32 or float64, got %s", fn,
                    cn_dtype_name(A->dtype));
  if (A->ndim != 2 || A->shape[0] != A->shape[1])
    return cn_error(CN_ESHAPE, "%s: the matrix must be square (2-d, n x n)", fn);
  if (A->shape[0] > 46340) return cn_error(CN_ERANGE, "%s: the matrix is too large", fn);
  int64_t m = A->shape[0];
  double *a = malloc((size_t)(m * m > 0 ? m * m : 1) * sizeof *a);
  if (!a) return cn_error(CN_ENOMEM, "%s: out of memory", fn);
  for (int64_t i = 0; i < m * m; i++) {
    a[i] = A->dtype == CN_FLOAT64 ? cn_f64(A)[i] : (double)cn_f32(A)[i];
    if (!isfinite(a[i])) {
      free(a);
      return cn_error(CN_EINVAL, "%s: the matrix contains NaN or inf", fn);
    }
  }
  *out = a;
  *n = (int)m;
  return CN_OK;
}

cn_status cn_linalg_eigh(const cn_array *A, cn_array **w, cn_array **V) {
  const char *fn = "eigh";
  double *a;
  int n;
  CN_TRY(square_copy(A, fn, &a, &n));
  cn_array *wa = NULL, *va = NULL;
  cn_status s = cn_array_new1(&wa, CN_FLOAT64, n);
  if (s == CN_OK && V) s = cn_array_new2(&va, CN_FLOAT64, n, n);
  double *work = NULL;
  int *iwork = NULL;
  if (s == CN_OK && n > 0) {
    /* Row-major A read as column-major is A^T = A; its lower triangle is
     * the row-major upper one, so ask for 'U' to read the row-major lower. */
    const char jobz = V ? 'V' : 'N', uplo = 'U';
    int lwork = -1, liwork = -1, info = 0, iw = 0;
    double wq = 0;
    dsyevd_(&jobz, &uplo, &n, a, &n, cn_f64(wa), &wq, &lwork, &iw, &liwork, &info);
    lwork = (int)wq + 1;
    liwork = iw + 1;
    work = malloc((size_t)lwork * sizeof *work);
    iwork = malloc((size_t)liwork * sizeof *iwork);
    if (!work || !iwork) s = cn_error(CN_ENOMEM, "%s: out of memory", fn);
    else {
      dsyevd_(&jobz, &uplo, &n, a, &n, cn_f64(wa), work, &lwork, iwork, &liwork, &info);
      if (info != 0) s = cn_error(CN_ERANGE, "%s: LAPACK dsyevd did not converge (info %d)", fn, info);
    }
    /* a (column-major) holds the eigenvectors as its columns: a[j*n + i]
     * is component i of vector j; V[i][j] in row-major. */
    if (s == CN_OK && V)
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) cn_f64(va)[(int64_t)i * n + j] = a[(int64_t)j * n + i];
  }
  free(work);
  free(iwork);
  free(a);
  if (s != CN_OK) {
    cn_array_release(wa);
    cn_array_release(va);
    return s;
  }
  *w = wa;
  if (V) *V = va;
  return CN_OK;
}

cn_status cn_linalg_eig(const cn_array *A, cn_array **wr, cn_array **wi, cn_array **VR) {
  const char *fn = "eig";
  double *a;
  int n;
  CN_TRY(square_copy(A, fn, &a, &n));
  /* Column-major view of row-major A is A^T: transpose in place. */
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) {
      double t = a[(int64_t)i * n + j];
      a[(int64_t)i * n + j] = a[(int64_t)j * n + i];
      a[(int64_t)j * n + i] = t;
    }
  cn_array *ra = NULL, *ia = NULL, *va = NULL;
  cn_status s = cn_array_new1(&ra, CN_FLOAT64, n);
  if (s == CN_OK) s = cn_array_new1(&ia, CN_FLOAT64, n);
  if (s == CN_OK && VR) s = cn_array_new2(&va, CN_FLOAT64, n, n);
  double *work = NULL, *vr = NULL;
  if (s == CN_OK && n > 0) {
    const char jl = 'N', jr = VR ? 'V' : 'N';
    int lwork = -1, info = 0, one = 1, ldvr = VR ? n : 1;
    double wq = 0, dummy = 0;
    vr = malloc((size_t)(VR ? (int64_t)n * n : 1) * sizeof *vr);
    if (!vr) s = cn_error(CN_ENOMEM, "%s: out of memory", fn);
    if (s == CN_OK) {
      dgeev_(&jl, &jr, &n, a, &n, cn_f64(ra), cn_f64(ia), &dummy, &one, vr, &ldvr, &wq, &lwork,
             &info);
      lwork = (int)wq + 1;
      work = malloc((size_t)lwork * sizeof *work);
      if (!work) s = cn_error(CN_ENOMEM, "%s: out of memory", fn);
    }
    if (s == CN_OK) {
      dgeev_(&jl, &jr, &n, a, &n, cn_f64(ra), cn_f64(ia), &dummy, &one, vr, &ldvr, work, &lwork,
             &info);
      if (info != 0) s = cn_error(CN_ERANGE, "%s: LAPACK dgeev did not converge (info %d)", fn, info);
    }
    if (s == CN_OK && VR)
      for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) cn_f64(va)[(int64_t)i * n + j] = vr[(int64_t)j * n + i];
  }
  free(work);
  free(vr);
  free(a);
  if (s != CN_OK) {
    cn_array_release(ra);
    cn_array_release(ia);
    cn_array_release(va);
    return s;
  }
  *wr = ra;
  *wi = ia;
  if (VR) *VR = va;
  return CN_OK;
}
