/* canns — firing fields of a population and spike/rate conversions
 * (upstream `canns.analyzer.metrics.spatial_metrics.compute_firing_field`,
 * `gaussian_smooth_heatmaps` and `canns.analyzer.metrics.utils`).  See
 * canns/spatial_metrics.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/image.h"
#include "canns/random.h"
#include "canns/spatial_metrics.h"

/* numpy's floor division of two doubles (npy_divmod): fmod-based, so that
 * 1.0 // 0.1 is 9 as in numpy, not floor(1.0 / 0.1) = 10. */
static double npy_floordiv(double a, double b) {
  double mod = fmod(a, b);
  double div = (a - mod) / b;
  if (mod != 0 && ((b < 0) != (mod < 0))) div -= 1.0;
  if (div == 0) return copysign(0.0, a / b);
  double f = floor(div);
  if (div - f > 0.5) f += 1.0;
  return f;
}

static int64_t bin_of(double x, double size, int64_t n) {
  double q = npy_floordiv(x, size);
  if (q < 0) return 0;
  if (q > (double)(n - 1)) return n - 1;
  return (int64_t)q;
}

cn_status cn_firing_field(const double *act, int64_t T, int64_t N, const double *pos,
                          double width, double height, int64_t M, int64_t K, double *out) {
  if (T < 0 || N < 1 || M < 1 || K < 1 || M > 46340 || K > 46340)
    return cn_error(CN_EINVAL, "compute_firing_field: bad sizes T=%lld N=%lld M=%lld K=%lld",
                    (long long)T, (long long)N, (long long)M, (long long)K);
  if (!(width > 0) || !(height > 0) || !isfinite(width) || !isfinite(height))
    return cn_error(CN_EINVAL, "compute_firing_field: width and height must be finite and > 0, "
                    "got %g and %g", width, height);
  int64_t B = M * K;
  int64_t *bin = malloc(sizeof *bin * (size_t)(T ? T : 1));
  double *count = calloc((size_t)B, sizeof *count);
  if (!bin || !count) {
    free(bin);
    free(count);
    return cn_error(CN_ENOMEM, "compute_firing_field: out of memory (T=%lld)", (long long)T);
  }
  double bw = width / (double)M, bh = height / (double)K;
  for (int64_t t = 0; t < T; t++) {
    double x = pos[2 * t], y = pos[2 * t + 1];
    if (!isfinite(x) || !isfinite(y)) {
      free(bin);
      free(count);
      return cn_error(CN_EINVAL, "compute_firing_field: positions must be finite, got (%g, %g) "
                      "at row %lld", x, y, (long long)t + 1);
    }
    bin[t] = bin_of(x, bw, M) * K + bin_of(y, bh, K);
    count[bin[t]] += 1;
  }
  /* Each neuron's map is its own: threads own neurons, every sum runs in
   * time order (the same numbers for any thread count). */
#pragma omp parallel for schedule(static)
  for (int64_t n = 0; n < N; n++) {
    double *h = out + n * B;
    memset(h, 0, sizeof *h * (size_t)B);
    for (int64_t t = 0; t < T; t++) h[bin[t]] += act[t * N + n];
    for (int64_t b = 0; b < B; b++) h[b] = count[b] > 0 ? h[b] / count[b] : 0;
  }
  free(bin);
  free(count);
  return CN_OK;
}

cn_status cn_gaussian_smooth_heatmaps(const double *heat, int64_t N, int64_t M, int64_t K,
                                      double sigma, double *out) {
  if (!isfinite(sigma) || sigma < 0)
    return cn_error(CN_EINVAL, "gaussian_smooth_heatmaps: sigma must be finite and >= 0, got %g",
                    sigma);
  int64_t B = M * K;
  cn_status st = CN_OK;
#pragma omp parallel for schedule(static)
  for (int64_t n = 0; n < N; n++) {
    cn_status s = cn_image_gaussian2d(heat + n * B, M, K, sigma, sigma, 4.0, out + n * B);
    if (s != CN_OK) {
#pragma omp critical
      st = s;
      continue;
    }
    for (int64_t b = 0; b < B; b++)
      if (heat[n * B + b] == 0) out[n * B + b] = 0;
  }
  return st;
}

/* len(np.arange(0, stop, step)) for step > 0 */
static int64_t arange_len(double stop, double step) {
  double n = ceil(stop / step);
  return n > 0 ? (int64_t)n : 0;
}

cn_status cn_spike_rate_rows(int64_t T, double dt_spike, double dt_rate, int64_t *rows) {
  if (!isfinite(dt_spike) || !isfinite(dt_rate) || !(dt_spike > 0) || !(dt_rate > 0))
    return cn_error(CN_EINVAL, "dt_spike and dt_rate must be finite and > 0, got %g and %g",
                    dt_spike, dt_rate);
  double r = floor((double)T * dt_spike / dt_rate);
  if (r > 1e12) return cn_error(CN_ERANGE, "too many output rows (%g)", r);
  *rows = (int64_t)r;
  return CN_OK;
}

cn_status cn_spike_train_to_rate(const double *spk, int64_t T, int64_t N, double dt_spike,
                                 double dt_rate, int64_t rows, double *out) {
  if (dt_rate < dt_spike)
    return cn_error(CN_EINVAL, "spike_train_to_firing_rate: dt_rate (%g) must be >= dt_spike (%g)",
                    dt_rate, dt_spike);
  double duration = (double)T * dt_spike;
  /* numpy's bins: np.arange(0, duration + dt_rate, dt_rate), edges k * dt_rate;
   * a spike at time t falls in [edge_k, edge_k+1), the last bin closed. */
  int64_t nb = arange_len(duration + dt_rate, dt_rate) - 1;
  memset(out, 0, sizeof *out * (size_t)(rows * N));
  if (nb < 1) return CN_OK;
  double last = (double)nb * dt_rate;
  for (int64_t i = 0; i < T; i++) {
    double t = (double)i * dt_spike;
    if (t > last) continue;
    int64_t k = (int64_t)floor(t / dt_rate);
    if (k > nb - 1) k = nb - 1;
    while (k > 0 && (double)k * dt_rate > t) k--;
    while (k < nb - 1 && (double)(k + 1) * dt_rate <= t) k++;
    if (k >= rows) continue; /* upstream fails here; see docs/differences.md */
    for (int64_t n = 0; n < N; n++)
      if (spk[i * N + n] != 0) out[k * N + n] += 1;
  }
  return CN_OK;
}

cn_status cn_rate_to_spike_train(const double *rate, int64_t R, int64_t N, double dt_rate,
                                 double dt_spike, int64_t rows, cn_rng *g, int32_t *out) {
  if (dt_spike > dt_rate)
    return cn_error(CN_EINVAL, "firing_rate_to_spike_train: dt_spike (%g) must be <= dt_rate (%g)",
                    dt_spike, dt_rate);
  if (R < 1) return cn_error(CN_EINVAL, "firing_rate_to_spike_train: firing_rates has no rows");
  double ratio = dt_spike / dt_rate;
  int64_t j = 0; /* np.interp on low-res times (k + 0.5) dt_rate, clamped at both ends */
  for (int64_t i = 0; i < rows; i++) {
    double t = (double)i * dt_spike;
    while (j + 1 < R && ((double)(j + 1) + 0.5) * dt_rate <= t) j++;
    double t0 = ((double)j + 0.5) * dt_rate;
    for (int64_t n = 0; n < N; n++) {
      double v;
      if (t <= 0.5 * dt_rate || R == 1) v = rate[n];
      else if (j + 1 >= R) v = rate[(R - 1) * N + n];
      else {
        double t1 = ((double)j + 1.5) * dt_rate, a = rate[j * N + n], b = rate[(j + 1) * N + n];
        v = (b - a) / (t1 - t0) * (t - t0) + a; /* numpy's interp: slope first */
      }
      double p = v < 0 ? 0 : v * ratio;
      if (p > 1) p = 1;
      out[i * N + n] = cn_rng_uniform1(g) < p;
    }
  }
  return CN_OK;
}
