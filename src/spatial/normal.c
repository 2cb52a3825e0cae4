/* canns — the normal-distribution functions of the agent's speed map:
 * Phi^-1 (Acklam's rational approximation, relative error < 1.2e-9,
 * refined by one Halley step to full double precision) and the upper tail
 * 1 - Phi(z) through erfc (no cancellation for large z). */
#include <math.h>

#include "spatial/spatial_internal.h"

double cn_nav_ndtr_upper(double z) { return 0.5 * erfc(z * M_SQRT1_2); }

static const double A[6] = {-3.969683028665376e+01, 2.209460984245205e+02,
                            -2.759285104469687e+02, 1.383577518672690e+02,
                            -3.066479806614716e+01, 2.506628277459239e+00};
static const double B[5] = {-5.447609879822406e+01, 1.615858368580409e+02,
                            -1.556989798598866e+02, 6.680131188771972e+01,
                            -1.328068155288572e+01};
static const double C[6] = {-7.784894002430293e-03, -3.223964580411365e-01,
                            -2.400758277161838e+00, -2.549732539343734e+00,
                            4.374664141464968e+00, 2.938163982698783e+00};
static const double D[4] = {7.784695709041462e-03, 3.224671290700398e-01,
                            2.445134137142996e+00, 3.754408661907416e+00};

/* Acklam's approximation alone; t2 = -2 log(p) when the caller knows it
 * (NAN otherwise). */
static double acklam(double p, double t2) {
  double x;
  if (p < 0.02425) {
    double q = sqrt(isnan(t2) ? -2 * log(p) : t2);
    x = (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
        ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else if (p > 1 - 0.02425) {
    double q = sqrt(-2 * log1p(-p));
    x = -(((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5]) /
        ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
  } else {
    double q = p - 0.5, r = q * q;
    x = (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q /
        (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
  }
  return x;
}

double cn_nav_ndtri(double p) {
  double x = acklam(p, NAN);
  /* One Halley step on Phi(x) - p. */
  double e = 0.5 * erfc(-x * M_SQRT1_2) - p;
  double u = e * sqrt(2 * M_PI) * exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}

/* The agent's map from a speed s to normal space with sigma = speed_mean:
 * z = Phi^-1(u), u = clamp(1 - exp(-s^2 / (2 sigma^2)), 1e-6, 1 - 1e-6),
 * i.e. z = -Phi^-1(q) with q = 1 - u.  Acklam's approximation without
 * refinement (relative error < 1.2e-9, far below the step's noise); in
 * the tail q < 0.02425 its sqrt(-2 log q) is s / sigma itself. */
double cn_nav_speed_to_z(double s, double sigma) {
  double x = (s * s) / (2 * sigma * sigma);
  const double lo = 1e-6, hi = 1 - 1e-6;
  double q = exp(-x);
  if (q <= lo) return -acklam(lo, NAN);
  if (q >= hi) return -acklam(hi, NAN);
  if (q < 0.02425) return -acklam(q, 2 * x);
  return -acklam(q, NAN);
}

/* The way back: s / sigma = F(z) = sqrt(-2 log clamp(1 - Phi(z), 1e-10,
 * 1 - 1e-10)).  F is smooth on the unclamped range [-Z, Z] (Z = 6.3613);
 * it is tabulated there (with its derivative phi / (Q F)) at 4096
 * intervals and read by cubic Hermite interpolation, which agrees with
 * the direct formula to about 1e-12 relative (checked in tests). */
#define FT_N 4096
static double ft_lo, ft_hi, ft_h, ft_inv_h, ft_f[FT_N + 1], ft_d[FT_N + 1];

/* -2 log q for q = 1 - Phi(z) clamped to [1e-10, 1 - 1e-10]; for z < 0
 * through log1p(-Phi(z)), which keeps the digits that 1 - Phi loses. */
static double minus2logq(double z) {
  if (z < 0) {
    double p = 0.5 * erfc(-z * M_SQRT1_2);
    p = p < 1e-10 ? 1e-10 : p;
    return -2 * log1p(-p);
  }
  double q = cn_nav_ndtr_upper(z);
  q = q < 1e-10 ? 1e-10 : q;
  return -2 * log(q);
}

double cn_nav_z_to_speed_direct(double z) { return sqrt(minus2logq(z)); }

__attribute__((constructor)) static void ft_init(void) {
  ft_hi = -cn_nav_ndtri(1e-10);
  ft_lo = -ft_hi;
  ft_h = (ft_hi - ft_lo) / FT_N;
  ft_inv_h = 1 / ft_h;
  for (int i = 0; i <= FT_N; i++) {
    double z = ft_lo + ft_h * i, q = cn_nav_ndtr_upper(z), f = sqrt(minus2logq(z));
    ft_f[i] = f;
    ft_d[i] = exp(-0.5 * z * z) / sqrt(2 * M_PI) / (q * f);
  }
}

double cn_nav_z_to_speed(double z) {
  if (!(z > ft_lo) || z >= ft_hi) return cn_nav_z_to_speed_direct(z); /* clamped */
  double x = (z - ft_lo) * ft_inv_h;
  int i = (int)x;
  if (i >= FT_N) i = FT_N - 1;
  double t = x - i, t2 = t * t, t3 = t2 * t;
  double h00 = 2 * t3 - 3 * t2 + 1, h10 = t3 - 2 * t2 + t, h01 = -2 * t3 + 3 * t2, h11 = t3 - t2;
  return h00 * ft_f[i] + h10 * ft_h * ft_d[i] + h01 * ft_f[i + 1] + h11 * ft_h * ft_d[i + 1];
}

/* ------------------------------------------------ ziggurat normal draws
 *
 * The agent's standard normals come from Philox blocks through the
 * 128-layer ziggurat in Doornik's form (ZIGNOR, "An improved ziggurat
 * method to generate normal random samples", 2005): the layer index and
 * the uniform come from independent bits.  Each 32-bit word of a Philox
 * block is one try (a 25-bit uniform and a 7-bit layer); the rare wedge
 * and tail draws (about 1.2 %) take 53-bit uniforms from further words. */
#define ZIG_C 128
#define ZIG_R 3.442619855899
#define ZIG_V 9.91256303526217e-3

static double zig_x[ZIG_C + 1], zig_r[ZIG_C];

__attribute__((constructor)) static void zig_init(void) {
  double f = exp(-0.5 * ZIG_R * ZIG_R);
  zig_x[0] = ZIG_V / f;
  zig_x[1] = ZIG_R;
  zig_x[ZIG_C] = 0;
  for (int i = 2; i < ZIG_C; i++) {
    zig_x[i] = sqrt(-2 * log(ZIG_V / zig_x[i - 1] + f));
    f = exp(-0.5 * zig_x[i] * zig_x[i]);
  }
  for (int i = 0; i < ZIG_C; i++) zig_r[i] = zig_x[i + 1] / zig_x[i];
}

typedef struct { cn_rng *g; uint32_t w[4]; int used; } blocks;

static void next_block(blocks *b) {
  uint64_t c = b->g->counter++;
  uint32_t key[2] = {(uint32_t)b->g->key, (uint32_t)(b->g->key >> 32)};
  uint32_t ctr[4] = {(uint32_t)c, (uint32_t)(c >> 32), 0x4e415620u /* "NAV " */, 0};
  cn_philox4x32_10(ctr, key, b->w);
  b->used = 0;
}

static inline uint32_t raw(blocks *b) {
  if (b->used >= 4) next_block(b);
  return b->w[b->used++];
}

/* A uniform in [0, 1) with 25 random bits and a 7-bit layer index from
 * one 32-bit word (the fast path: four tries per Philox block). */
static inline double word(blocks *b, unsigned *idx) {
  uint32_t w = raw(b);
  *idx = w & 0x7Fu;
  return (double)(w >> 7) * 0x1p-25;
}

/* A 53-bit uniform from two words, for the rare tail and wedge draws. */
static double unif53(blocks *b) {
  uint64_t hi = raw(b), lo = raw(b);
  return (double)((hi << 21) ^ (lo >> 11)) * 0x1p-53;
}

static double unif_open(blocks *b) { return 1.0 - unif53(b); } /* (0, 1] */

static double zig_one(blocks *b) {
  for (;;) {
    unsigned i;
    double u = 2 * word(b, &i) - 1;
    if (fabs(u) < zig_r[i]) return u * zig_x[i];
    if (i == 0) { /* the tail beyond R (Marsaglia's method) */
      double x, y;
      do {
        x = log(unif_open(b)) / ZIG_R;
        y = log(unif_open(b));
      } while (-2 * y < x * x);
      return u < 0 ? x - ZIG_R : ZIG_R - x;
    }
    double x = u * zig_x[i];
    double f0 = exp(-0.5 * (zig_x[i] * zig_x[i] - x * x));
    double f1 = exp(-0.5 * (zig_x[i + 1] * zig_x[i + 1] - x * x));
    if (f1 + unif53(b) * (f0 - f1) < 1.0) return x;
  }
}

void cn_nav_normals(cn_rng *g, double *out, int n) {
  blocks b = {g, {0, 0, 0, 0}, 4};
  for (int k = 0; k < n; k++) out[k] = zig_one(&b);
}
