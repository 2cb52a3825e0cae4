/* canns — circular coordinates from H1 cocycles (upstream
 * canns.analyzer.data.asa.decode: _get_coords and
 * decode_circular_coordinates_multi).
 *
 * The cocycle's coefficients, lifted to (-p/2, p/2], sit on the edges of the
 * graph of sample pairs at distance in (0, threshold]; the vertex phases f
 * minimise |B f - v| (B the signed incidence matrix).  Upstream runs LSMR
 * from zero, which converges to the minimum-norm solution; here the normal
 * equations B'B f = B'v are solved exactly with a Cholesky factorisation of
 * the graph Laplacian made definite by adding (1/|C|) 1 1' for each connected
 * component C (its solution has mean zero on every component, which is the
 * minimum-norm one). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

extern void dposv_(const char *uplo, const int *n, const int *nrhs, double *a, const int *lda,
                   double *b, const int *ldb, int *info);

static int64_t find(int64_t *par, int64_t x) {
  while (par[x] != x) {
    par[x] = par[par[x]];
    x = par[x];
  }
  return x;
}

cn_status cn_asa_cocycle_coords(const int64_t *cc, int64_t rows, int p, double threshold,
                                int64_t n, const double *dists, double *f) {
  if (n < 1) return cn_error(CN_EINVAL, "no sampled points");
  if (n > 46340) return cn_error(CN_ERANGE, "too many sampled points for the dense solve (%lld)", (long long)n);
  double *L = calloc((size_t)(n * n), sizeof(double));
  double *V = calloc((size_t)n * 0 + 1, sizeof(double));
  int64_t *par = malloc(sizeof(int64_t) * (size_t)n);
  unsigned char *has = calloc((size_t)n, 1);
  /* the cocycle values on upper-triangle pairs, as a small hash by row */
  int64_t *key = malloc(sizeof(int64_t) * (size_t)(rows + 1));
  double *kv = malloc(sizeof(double) * (size_t)(rows + 1));
  if (!L || !V || !par || !has || !key || !kv) {
    free(L); free(V); free(par); free(has); free(key); free(kv);
    return cn_error(CN_ENOMEM, "decoding: out of memory (%lld points)", (long long)n);
  }
  free(V);
  int64_t nk = 0;
  for (int64_t i = 0; i < rows; i++) {
    int64_t a = cc[3 * i], b = cc[3 * i + 1], c = cc[3 * i + 2];
    if (a < 0 || b < 0 || a >= n || b >= n || a == b) {
      free(L); free(par); free(has); free(key); free(kv);
      return cn_error(CN_EINVAL, "cocycle row %lld has vertices %lld, %lld outside 1..%lld",
                      (long long)i + 1, (long long)a + 1, (long long)b + 1, (long long)n);
    }
    double v = (double)c;
    if (p - c < c) v = (double)(c - p);
    int64_t r = a < b ? a : b, s = a < b ? b : a;
    if (a < b) continue; /* upstream writes such a row below the diagonal */
    key[nk] = r * n + s;
    kv[nk] = v;
    nk++;
  }
  /* sort keys (last duplicate wins, as numpy's fancy assignment) */
  for (int64_t i = 1; i < nk; i++) {
    int64_t k0 = key[i];
    double v0 = kv[i];
    int64_t j = i - 1;
    while (j >= 0 && key[j] > k0) { key[j + 1] = key[j]; kv[j + 1] = kv[j]; j--; }
    key[j + 1] = k0;
    kv[j + 1] = v0;
  }
  double *rhs = f;
  for (int64_t i = 0; i < n; i++) { rhs[i] = 0; par[i] = i; }
  int64_t kp = 0;
  for (int64_t r = 0; r < n; r++)
    for (int64_t s = r + 1; s < n; s++) {
      double d = dists[r * n + s];
      if (!(d > 0 && d <= threshold)) continue;
      int64_t kk = r * n + s;
      double v = 0;
      while (kp < nk && key[kp] < kk) kp++;
      while (kp < nk && key[kp] == kk) { v = kv[kp]; kp++; }
      L[r * n + r] += 1;
      L[s * n + s] += 1;
      L[r * n + s] -= 1;
      L[s * n + r] -= 1;
      rhs[r] -= v;
      rhs[s] += v;
      has[r] = has[s] = 1;
      int64_t x = find(par, r), y = find(par, s);
      if (x != y) par[x] = y;
    }
  for (int64_t i = 0; i < n; i++)
    if (!has[i]) {
      free(L); free(par); free(has); free(key); free(kv);
      return cn_error(CN_EINVAL, "circular coordinate reconstruction returned fewer vertices than "
                      "sampled points (point %lld has no edge at threshold %g); increase "
                      "n_points/active_times or use denser data", (long long)i + 1, threshold);
    }
  /* component sizes */
  int64_t *size = calloc((size_t)n, sizeof(int64_t));
  if (!size) {
    free(L); free(par); free(has); free(key); free(kv);
    return cn_error(CN_ENOMEM, "decoding: out of memory");
  }
  for (int64_t i = 0; i < n; i++) size[find(par, i)]++;
  for (int64_t r = 0; r < n; r++)
    for (int64_t s = 0; s < n; s++)
      if (find(par, r) == find(par, s)) L[r * n + s] += 1.0 / (double)size[find(par, r)];
  free(size);
  int ni = (int)n, one = 1, info = 0;
  dposv_("U", &ni, &one, L, &ni, rhs, &ni, &info);
  free(L); free(par); free(has); free(key); free(kv);
  if (info != 0) return cn_error(CN_EINTERNAL, "decoding: the Laplacian solve failed (LAPACK info %d)", info);
  for (int64_t i = 0; i < n; i++) {
    double m = fmod(f[i], 1.0);
    if (m < 0) m += 1.0;
    if (m >= 1.0) m = 0.0;
    f[i] = m;
  }
  return CN_OK;
}

cn_status cn_asa_decode_project_at(const float *Ec, int64_t Tc, int64_t N, const int64_t *rows,
                                   int64_t np, const double *theta, int64_t K, const float *Ez,
                                   int64_t Tz, const int64_t *times, int64_t nt, double *ccos,
                                   double *csin, double *coords) {
  for (int64_t i = 0; i < np; i++)
    if (rows[i] < 0 || rows[i] >= Tc)
      return cn_error(CN_ERANGE, "sample %lld refers to row %lld of an activity with %lld rows",
                      (long long)i + 1, (long long)rows[i] + 1, (long long)Tc);
  for (int64_t j = 0; j < nt; j++)
    if (times[j] < 0 || times[j] >= Tz)
      return cn_error(CN_ERANGE, "time %lld refers to row %lld of an activity with %lld rows",
                      (long long)j + 1, (long long)times[j] + 1, (long long)Tz);
  float *Zs = malloc(sizeof(float) * (size_t)(np * N));
  double *Cc = malloc(sizeof(double) * (size_t)(2 * N * K));
  if (!Zs || !Cc) {
    free(Zs); free(Cc);
    return cn_error(CN_ENOMEM, "decoding: out of memory (%lld x %lld)", (long long)np, (long long)N);
  }
  for (int64_t i = 0; i < np; i++) memcpy(Zs + i * N, Ec + rows[i] * N, sizeof(float) * (size_t)N);
  cn_status st = cn_asa_scale_f32(Zs, np, N);
  if (st != CN_OK) {
    free(Zs); free(Cc);
    return st;
  }
  double *Cs = Cc + N * K;
  for (int64_t n = 0; n < N; n++)
    for (int64_t c = 0; c < K; c++) {
      double sc = 0, ss = 0;
      for (int64_t p = 0; p < np; p++) {
        double z = (double)Zs[p * N + n];
        double a = cos(theta[c * np + p] * 2 * M_PI) * z, b = sin(theta[c * np + p] * 2 * M_PI) * z;
        if (ccos) ccos[(n * K + c) * np + p] = a;
        if (csin) csin[(n * K + c) * np + p] = b;
        sc += a;
        ss += b;
      }
      Cc[n * K + c] = sc;
      Cs[n * K + c] = ss;
    }
  free(Zs);
  /* the whole activity z-scored, each row as it is projected (no copy) */
  cn_asa_scaler zs;
  st = cn_asa_scaler_fit(&zs, Ez, Tz, N);
  if (st != CN_OK) {
    free(Cc);
    return st;
  }
  int failed = 0;
#pragma omp parallel if (nt * N * K > 100000)
  {
    float *z = malloc(sizeof(float) * (size_t)N);
    if (!z) {
#pragma omp atomic write
      failed = 1;
    }
#pragma omp for schedule(static)
    for (int64_t j = 0; j < nt; j++) {
      if (!z) continue;
      cn_asa_scaler_apply(&zs, Ez + times[j] * N, z);
      for (int64_t c = 0; c < K; c++) {
        double a = 0, b = 0;
        for (int64_t n = 0; n < N; n++) {
          a += (double)z[n] * Cc[n * K + c];
          b += (double)z[n] * Cs[n * K + c];
        }
        double v = fmod(atan2(b, a), 2 * M_PI);
        if (v < 0) v += 2 * M_PI;
        if (v >= 2 * M_PI) v = 0;
        coords[j * K + c] = v;
      }
    }
    free(z);
  }
  cn_asa_scaler_free(&zs);
  free(Cc);
  if (failed) return cn_error(CN_ENOMEM, "decoding: out of memory (%lld neurons)", (long long)N);
  return CN_OK;
}

cn_status cn_asa_decode_project(const float *E, int64_t T, int64_t N, const int64_t *rows,
                                int64_t np, const double *theta, int64_t K, double *ccos,
                                double *csin, int64_t *ntimes, int64_t **times_out,
                                double **coords_out) {
  *times_out = NULL;
  *coords_out = NULL;
  int64_t *times = malloc(sizeof(int64_t) * (size_t)(T + 1));
  if (!times) return cn_error(CN_ENOMEM, "decoding: out of memory (%lld rows)", (long long)T);
  int64_t nt = 0;
  for (int64_t t = 0; t < T; t++) {
    bool any = false;
    for (int64_t n = 0; n < N && !any; n++) any = E[t * N + n] > 0;
    if (any) times[nt++] = t;
  }
  double *coords = malloc(sizeof(double) * (size_t)(nt * K + 1));
  if (!coords) {
    free(times);
    return cn_error(CN_ENOMEM, "decoding: out of memory");
  }
  cn_status st = cn_asa_decode_project_at(E, T, N, rows, np, theta, K, E, T, times, nt, ccos, csin,
                                          coords);
  if (st != CN_OK) {
    free(times);
    free(coords);
    return st;
  }
  *ntimes = nt;
  *times_out = times;
  *coords_out = coords;
  return CN_OK;
}
