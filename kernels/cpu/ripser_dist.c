/* canns — distance loops for the TDA engine. */
#include "cpu/ripser_dist.h"

#include <math.h>

float cn_kern_euclidean_f32(const float *a, const float *b, int64_t dim) {
  float acc = 0.0f;
  for (int64_t k = 0; k < dim; k++) {
    float d = a[k] - b[k];
    acc = acc + d * d;
  }
  return sqrtf(acc);
}

float cn_kern_manhattan_f32(const float *a, const float *b, int64_t dim) {
  float acc = 0.0f;
  for (int64_t k = 0; k < dim; k++) acc = acc + fabsf(a[k] - b[k]);
  return acc;
}

float cn_kern_chebyshev_f32(const float *a, const float *b, int64_t dim) {
  float m = 0.0f;
  for (int64_t k = 0; k < dim; k++) {
    float d = fabsf(a[k] - b[k]);
    m = d > m ? d : m;
  }
  return m;
}

double cn_kern_norm_f32(const float *a, int64_t dim) {
  double s = 0.0;
  for (int64_t k = 0; k < dim; k++) s += (double)a[k] * a[k];
  return sqrt(s);
}

float cn_kern_cosine_f32(const float *a, const float *b, int64_t dim,
                         double norm_a, double norm_b) {
  double dot = 0.0;
  for (int64_t k = 0; k < dim; k++) dot += (double)a[k] * b[k];
  double sim = (norm_a > 0 && norm_b > 0) ? dot / (norm_a * norm_b) : 0.0;
  double d = 1.0 - sim;
  if (d < 0) d = 0;
  if (d > 2) d = 2;
  return (float)d;
}

float cn_kern_sqdist8_f32(const float *a, const float *b, int64_t len) {
  float s[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t k = 0;
  for (; k + 8 <= len; k += 8)
    for (int l = 0; l < 8; l++) {
      float d = a[k + l] - b[k + l];
      s[l] = s[l] + d * d;
    }
  for (int l = 0; k < len; k++, l++) {
    float d = a[k] - b[k];
    s[l] = s[l] + d * d;
  }
  return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
}
