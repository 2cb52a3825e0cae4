/* canns — CohoMap's stripe fit (upstream canns.analyzer.data.asa.cohomap
 * fit_cohomap_stripes and cohomap_vectors): the cubic-spline image
 * rotation of scipy.ndimage.rotate (order 3, mode "constant", spline
 * coefficients with mirror boundaries), the stripe model cos(s * X_rot +
 * phase) on the trimmed window of a rotated ramp X in [0, 3 pi], its mean
 * squared distance to cos(phase map), the coarse grid over (angle, phase,
 * spacing) and the local refinement (Nelder-Mead). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/asa.h"

/* sin and cos of an angle in degrees, exact at multiples of 90 (as
 * scipy.special.sindg / cosdg). */
static void sincos_deg(double deg, double *s, double *c) {
  double q = round(deg / 90.0);
  double r = (deg - 90.0 * q) * (M_PI / 180.0);
  double sr = sin(r), cr = cos(r);
  long k = (long)fmod(q, 4.0);
  if (k < 0) k += 4;
  switch (k) {
    case 0: *s = sr; *c = cr; break;
    case 1: *s = cr; *c = -sr; break;
    case 2: *s = -sr; *c = -cr; break;
    default: *s = -cr; *c = sr; break;
  }
}

/* In-place cubic B-spline prefilter of a line (pole sqrt(3) - 2, mirror
 * boundaries), as scipy.ndimage.spline_filter1d with mode "constant". */
static void prefilter_line(double *c, int64_t n, int64_t stride) {
  if (n < 2) return;
  const double z = sqrt(3.0) - 2.0;
  const double gain = (1.0 - z) * (1.0 - 1.0 / z);
  for (int64_t i = 0; i < n; i++) c[i * stride] *= gain;
  /* causal initialisation (mirror) */
  double zi = z, zn1 = pow(z, (double)(n - 1));
  double c0 = c[0] + zn1 * c[(n - 1) * stride];
  for (int64_t i = 1; i < n - 1; i++) {
    c0 += zi * (c[i * stride] + zn1 * c[(n - 1 - i) * stride]);
    zi *= z;
  }
  c[0] = c0 / (1.0 - zn1 * zn1);
  for (int64_t i = 1; i < n; i++) c[i * stride] += z * c[(i - 1) * stride];
  /* anticausal initialisation (mirror) */
  c[(n - 1) * stride] = (z * c[(n - 2) * stride] + c[(n - 1) * stride]) * z / (z * z - 1.0);
  for (int64_t i = n - 2; i >= 0; i--) c[i * stride] = z * (c[(i + 1) * stride] - c[i * stride]);
}

static void prefilter2d(double *c, int64_t rows, int64_t cols) {
  for (int64_t j = 0; j < cols; j++) prefilter_line(c + j, rows, cols);
  for (int64_t i = 0; i < rows; i++) prefilter_line(c + i * cols, cols, 1);
}

static int64_t mirror_index(int64_t i, int64_t n) {
  if (n <= 1) return 0;
  int64_t p = 2 * n - 2;
  i %= p;
  if (i < 0) i += p;
  return i >= n ? p - i : i;
}

static void weights3(double x, double w[4]) {
  double y = x - floor(x), z = 1.0 - y;
  w[0] = z * z * z / 6.0;
  w[1] = 2.0 / 3.0 + 0.5 * y * y * (y - 2.0);
  w[2] = 2.0 / 3.0 + 0.5 * z * z * (z - 2.0);
  w[3] = 1.0 - w[0] - w[1] - w[2];
}

/* The spline value of the coefficients c (rows x cols) at (r, q), 0 when
 * the point is outside [0, rows-1] x [0, cols-1]. */
static double spline_at(const double *c, int64_t rows, int64_t cols, double r, double q) {
  if (!(r >= 0 && r <= (double)(rows - 1) && q >= 0 && q <= (double)(cols - 1))) return 0.0;
  double wr[4], wq[4];
  weights3(r, wr);
  weights3(q, wq);
  int64_t r0 = (int64_t)floor(r) - 1, q0 = (int64_t)floor(q) - 1;
  int64_t qi[4];
  for (int k = 0; k < 4; k++) qi[k] = mirror_index(q0 + k, cols);
  double acc = 0.0;
  for (int a = 0; a < 4; a++) {
    const double *row = c + mirror_index(r0 + a, rows) * cols;
    double s = 0.0;
    for (int k = 0; k < 4; k++) s += wq[k] * row[qi[k]];
    acc += wr[a] * s;
  }
  return acc;
}

void cn_asa_rotate_shape(int64_t rows, int64_t cols, double angle_deg, bool reshape,
                         int64_t *orows, int64_t *ocols) {
  if (!reshape) {
    *orows = rows;
    *ocols = cols;
    return;
  }
  double s, c;
  sincos_deg(angle_deg, &s, &c);
  /* bounds of rot @ [[0, 0, rows, rows], [0, cols, 0, cols]] */
  double xs[4] = {0, c * 0 + s * (double)cols, c * (double)rows, c * (double)rows + s * (double)cols};
  double ys[4] = {0, c * (double)cols, -s * (double)rows, -s * (double)rows + c * (double)cols};
  double x0 = xs[0], x1 = xs[0], y0 = ys[0], y1 = ys[0];
  for (int k = 1; k < 4; k++) {
    x0 = fmin(x0, xs[k]); x1 = fmax(x1, xs[k]);
    y0 = fmin(y0, ys[k]); y1 = fmax(y1, ys[k]);
  }
  *orows = (int64_t)(x1 - x0 + 0.5);
  *ocols = (int64_t)(y1 - y0 + 0.5);
}

/* The input coordinate of output pixel (i, j): rot @ (i, j) + offset. */
typedef struct {
  double c, s, off_r, off_q;
} rot_map;

static rot_map make_map(int64_t rows, int64_t cols, int64_t orows, int64_t ocols, double angle_deg) {
  rot_map m;
  sincos_deg(angle_deg, &m.s, &m.c);
  double oc_r = (double)(orows - 1) / 2, oc_q = (double)(ocols - 1) / 2;
  double ic_r = (double)(rows - 1) / 2, ic_q = (double)(cols - 1) / 2;
  m.off_r = ic_r - (m.c * oc_r + m.s * oc_q);
  m.off_q = ic_q - (-m.s * oc_r + m.c * oc_q);
  return m;
}

cn_status cn_asa_rotate(const double *in, int64_t rows, int64_t cols, double angle_deg, bool reshape,
                        double *out) {
  if (rows < 1 || cols < 1) return cn_error(CN_EINVAL, "rotate: the image is empty");
  int64_t orows, ocols;
  cn_asa_rotate_shape(rows, cols, angle_deg, reshape, &orows, &ocols);
  double *coef = malloc(sizeof(double) * (size_t)(rows * cols));
  if (!coef) return cn_error(CN_ENOMEM, "rotate: out of memory");
  memcpy(coef, in, sizeof(double) * (size_t)(rows * cols));
  prefilter2d(coef, rows, cols);
  rot_map m = make_map(rows, cols, orows, ocols, angle_deg);
  for (int64_t i = 0; i < orows; i++)
    for (int64_t j = 0; j < ocols; j++) {
      double r = m.c * (double)i + m.s * (double)j + m.off_r;
      double q = -m.s * (double)i + m.c * (double)j + m.off_q;
      out[i * ocols + j] = spline_at(coef, rows, cols, r, q);
    }
  free(coef);
  return CN_OK;
}

/* --- the stripe model ------------------------------------------------- */

struct stripe_ctx {
  int64_t g, trim, n;  /* ramp is g x g (g = grid_size - 1), window n x n */
  double *coef;        /* spline coefficients of the ramp */
  double *xr;          /* rotated ramp on the window (scratch) */
  const double *map;   /* n x n phase map */
  double *cosm;        /* cos(map), NaN where the map is NaN */
  int64_t nvalid;
  int64_t evals;
};

static cn_status ctx_init(struct stripe_ctx *x, const double *map, int64_t n, int64_t grid_size,
                          int64_t trim) {
  memset(x, 0, sizeof *x);
  if (trim < 1) return cn_error(CN_EINVAL, "fit_cohomap_stripes: trim must be >= 1, got %lld", (long long)trim);
  if (grid_size - 1 - 2 * trim != n)
    return cn_error(CN_EINVAL, "grid_size/trim incompatible with phase_map shape: expected %lld but got %lld",
                    (long long)(grid_size - 1 - 2 * trim), (long long)n);
  x->g = grid_size - 1;
  x->trim = trim;
  x->n = n;
  x->map = map;
  x->coef = malloc(sizeof(double) * (size_t)(x->g * x->g));
  x->xr = malloc(sizeof(double) * (size_t)(n * n));
  x->cosm = malloc(sizeof(double) * (size_t)(n * n));
  if (!x->coef || !x->xr || !x->cosm) {
    free(x->coef); free(x->xr); free(x->cosm);
    return cn_error(CN_ENOMEM, "fit_cohomap_stripes: out of memory");
  }
  /* numpy.meshgrid(linspace(0, 3 pi, g), ...)[0]: varies along columns */
  double step = x->g > 1 ? 3 * M_PI / (double)(x->g - 1) : 0.0;
  for (int64_t i = 0; i < x->g; i++)
    for (int64_t j = 0; j < x->g; j++)
      x->coef[i * x->g + j] = j == x->g - 1 ? 3 * M_PI : (double)j * step;
  prefilter2d(x->coef, x->g, x->g);
  for (int64_t k = 0; k < n * n; k++) {
    x->cosm[k] = isnan(map[k]) ? NAN : cos(map[k]);
    if (!isnan(map[k])) x->nvalid++;
  }
  return CN_OK;
}

static void ctx_free(struct stripe_ctx *x) {
  free(x->coef);
  free(x->xr);
  free(x->cosm);
}

/* The rotated ramp on the window, for an angle in radians. */
static void rotated_window(struct stripe_ctx *x, double angle) {
  rot_map m = make_map(x->g, x->g, x->g, x->g, angle * 360.0 / (2 * M_PI));
  for (int64_t a = 0; a < x->n; a++)
    for (int64_t b = 0; b < x->n; b++) {
      double i = (double)(a + x->trim), j = (double)(b + x->trim);
      double r = m.c * i + m.s * j + m.off_r;
      double q = -m.s * i + m.c * j + m.off_q;
      x->xr[a * x->n + b] = spline_at(x->coef, x->g, x->g, r, q);
    }
}

static double objective(struct stripe_ctx *x, const double *p) {
  x->evals++;
  rotated_window(x, p[0]);
  double acc = 0.0;
  for (int64_t k = 0; k < x->n * x->n; k++) {
    if (isnan(x->cosm[k])) continue;
    double d = cos(p[2] * x->xr[k] + p[1]) - x->cosm[k];
    acc += d * d;
  }
  return x->nvalid ? acc / (double)x->nvalid : NAN;
}

cn_status cn_asa_stripe_window(int64_t grid_size, int64_t trim, double angle, double *out) {
  struct stripe_ctx x;
  int64_t n = grid_size - 1 - 2 * trim;
  if (n < 1) return cn_error(CN_EINVAL, "the stripe window is empty (grid_size %lld, trim %lld)",
                             (long long)grid_size, (long long)trim);
  double dummy = 0;
  (void)dummy;
  double *map = calloc((size_t)(n * n), sizeof(double));
  if (!map) return cn_error(CN_ENOMEM, "stripe model: out of memory");
  cn_status st = ctx_init(&x, map, n, grid_size, trim);
  if (st != CN_OK) { free(map); return st; }
  rotated_window(&x, angle);
  memcpy(out, x.xr, sizeof(double) * (size_t)(n * n));
  ctx_free(&x);
  free(map);
  return CN_OK;
}

cn_status cn_asa_stripe_objective(const double *map, int64_t n, int64_t grid_size, int64_t trim,
                                  const double *params, int64_t np, double *out) {
  struct stripe_ctx x;
  cn_status st = ctx_init(&x, map, n, grid_size, trim);
  if (st != CN_OK) return st;
  for (int64_t k = 0; k < np; k++) out[k] = objective(&x, params + 3 * k);
  ctx_free(&x);
  return CN_OK;
}

/* scipy.optimize's Nelder-Mead (not adaptive): initial simplex of 5 %
 * steps (0.00025 for zero coordinates), stop when the simplex spans less
 * than xatol in every coordinate and fatol in value. */
static double nelder_mead(struct stripe_ctx *x, double p[3], double xatol, double fatol, int64_t maxiter) {
  enum { N = 3 };
  double sim[N + 1][N], f[N + 1];
  const double rho = 1, chi = 2, psi = 0.5, sigma = 0.5;
  for (int k = 0; k <= N; k++) {
    for (int d = 0; d < N; d++) sim[k][d] = p[d];
    if (k > 0) sim[k][k - 1] = p[k - 1] != 0 ? 1.05 * p[k - 1] : 0.00025;
    f[k] = objective(x, sim[k]);
  }
  int64_t maxfun = 2 * maxiter;
  for (int64_t it = 0; it < maxiter && x->evals < maxfun; it++) {
    /* sort (stable, by value) */
    for (int a = 1; a <= N; a++)
      for (int b = a; b > 0 && f[b] < f[b - 1]; b--) {
        double tf = f[b]; f[b] = f[b - 1]; f[b - 1] = tf;
        for (int d = 0; d < N; d++) { double t = sim[b][d]; sim[b][d] = sim[b - 1][d]; sim[b - 1][d] = t; }
      }
    double xs = 0, fs = 0;
    for (int k = 1; k <= N; k++) {
      for (int d = 0; d < N; d++) xs = fmax(xs, fabs(sim[k][d] - sim[0][d]));
      fs = fmax(fs, fabs(f[k] - f[0]));
    }
    if (xs <= xatol && fs <= fatol) break;
    double xbar[N] = {0}, xr[N], xe[N], xc[N];
    for (int k = 0; k < N; k++)
      for (int d = 0; d < N; d++) xbar[d] += sim[k][d] / N;
    for (int d = 0; d < N; d++) xr[d] = (1 + rho) * xbar[d] - rho * sim[N][d];
    double fr = objective(x, xr);
    bool shrink = false;
    if (fr < f[0]) {
      for (int d = 0; d < N; d++) xe[d] = (1 + rho * chi) * xbar[d] - rho * chi * sim[N][d];
      double fe = objective(x, xe);
      if (fe < fr) { memcpy(sim[N], xe, sizeof xe); f[N] = fe; }
      else { memcpy(sim[N], xr, sizeof xr); f[N] = fr; }
    } else if (fr < f[N - 1]) {
      memcpy(sim[N], xr, sizeof xr);
      f[N] = fr;
    } else if (fr < f[N]) {
      for (int d = 0; d < N; d++) xc[d] = (1 + psi * rho) * xbar[d] - psi * rho * sim[N][d];
      double fc = objective(x, xc);
      if (fc <= fr) { memcpy(sim[N], xc, sizeof xc); f[N] = fc; }
      else shrink = true;
    } else {
      for (int d = 0; d < N; d++) xc[d] = (1 - psi) * xbar[d] + psi * sim[N][d];
      double fc = objective(x, xc);
      if (fc < f[N]) { memcpy(sim[N], xc, sizeof xc); f[N] = fc; }
      else shrink = true;
    }
    if (shrink)
      for (int k = 1; k <= N; k++) {
        for (int d = 0; d < N; d++) sim[k][d] = sim[0][d] + sigma * (sim[k][d] - sim[0][d]);
        f[k] = objective(x, sim[k]);
      }
  }
  int best = 0;
  for (int k = 1; k <= N; k++)
    if (f[k] < f[best]) best = k;
  memcpy(p, sim[best], sizeof(double) * N);
  return f[best];
}

static void linspace(double a, double b, int64_t n, double *out) {
  for (int64_t i = 0; i < n; i++) out[i] = n > 1 ? a + (double)i * (b - a) / (double)(n - 1) : a;
  if (n > 1) out[n - 1] = b;
}

cn_status cn_asa_fit_stripes(const double *map, int64_t n, int64_t grid_size, int64_t trim,
                             const int64_t grid[3], double sp_lo, double sp_hi, double p0[3],
                             double x[3], double *fun) {
  struct stripe_ctx c;
  cn_status st = ctx_init(&c, map, n, grid_size, trim);
  if (st != CN_OK) return st;
  if (c.nvalid == 0) {
    ctx_free(&c);
    return cn_error(CN_EINVAL, "fit_cohomap_stripes: the phase map has no finite cell");
  }
  double *A = malloc(sizeof(double) * (size_t)(grid[0] + grid[1] + grid[2]));
  if (!A) { ctx_free(&c); return cn_error(CN_ENOMEM, "fit_cohomap_stripes: out of memory"); }
  double *P = A + grid[0], *S = P + grid[1];
  linspace(0, M_PI, grid[0], A);
  linspace(0, 2 * M_PI, grid[1], P);
  linspace(sp_lo, sp_hi, grid[2], S);
  double best = INFINITY;
  p0[0] = A[0]; p0[1] = P[0]; p0[2] = S[0];
  for (int64_t i = 0; i < grid[0]; i++) {
    rotated_window(&c, A[i]); /* the rotation depends on the angle only */
    for (int64_t j = 0; j < grid[1]; j++)
      for (int64_t k = 0; k < grid[2]; k++) {
        double acc = 0.0;
        for (int64_t q = 0; q < n * n; q++) {
          if (isnan(c.cosm[q])) continue;
          double d = cos(S[k] * c.xr[q] + P[j]) - c.cosm[q];
          acc += d * d;
        }
        double v = acc / (double)c.nvalid;
        if (v < best) { best = v; p0[0] = A[i]; p0[1] = P[j]; p0[2] = S[k]; }
      }
  }
  free(A);
  memcpy(x, p0, sizeof(double) * 3);
  *fun = nelder_mead(&c, x, 1e-10, 1e-15, 20000);
  ctx_free(&c);
  return CN_OK;
}
