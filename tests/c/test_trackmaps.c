/* cn_track_maps (each sample binned once; spikes in an interval that stays
 * inside one cell are not interpolated) against the plain pair
 * cn_histogram2d_pairs + cn_spike_histogram2d: the same counts, exactly, on
 * random walks with the awkward cases (samples on bin edges and outside
 * them, NaN positions and spike times, spikes before, after and exactly on
 * the samples, repeated time stamps, steps that cross cells). */
#include <stdint.h>

#include "canns/spatialstats.h"
#include "test.h"

static uint64_t st = 99;
static double unif(void) {
  st = st * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(st >> 11) / 9007199254740992.0;
}

static void check_case(int64_t m, int64_t ns, double step, int awkward) {
  double *pos = malloc(sizeof(double) * (size_t)(2 * m)), *t = malloc(sizeof(double) * (size_t)m);
  double *s = malloc(sizeof(double) * (size_t)ns);
  double x = 0, y = 0;
  for (int64_t j = 0; j < m; j++) {
    x += step * (unif() - 0.5), y += step * (unif() - 0.5);
    pos[2 * j] = x, pos[2 * j + 1] = y;
    t[j] = (double)j * 0.02;
  }
  double xe[13], ye[9];
  for (int k = 0; k < 13; k++) xe[k] = -0.6 + 0.1 * k; /* the walk leaves this range */
  for (int k = 0; k < 9; k++) ye[k] = -0.4 + 0.1 * k;
  if (awkward) {
    for (int64_t j = 5; j < m; j += 97) pos[2 * j] = xe[(j / 97) % 13];       /* on x edges */
    for (int64_t j = 11; j < m; j += 131) pos[2 * j + 1] = ye[(j / 131) % 9]; /* on y edges */
    pos[2 * 40] = NAN, pos[2 * 41 + 1] = NAN;
    for (int64_t j = 200; j < 210 && j < m; j++) t[j] = t[199]; /* repeated stamps */
    for (int64_t j = 210; j < m; j++) t[j] = t[199] + (double)(j - 209) * 0.02;
  }
  for (int64_t i = 0; i < ns; i++) s[i] = t[m - 1] * (1.1 * unif() - 0.05); /* some outside */
  if (awkward) {
    for (int64_t i = 0; i < ns; i += 17) s[i] = t[(i / 17) % m]; /* exactly on samples */
    s[3] = NAN;
  }
  double o1[96], s1[96], o2[96], s2[96];
  CHECK_OK(cn_histogram2d_pairs(pos, m, xe, 13, ye, 9, o1));
  CHECK_OK(cn_spike_histogram2d(s, ns, t, pos, m, xe, 13, ye, 9, s1));
  CHECK_OK(cn_track_maps(s, ns, t, pos, m, xe, 13, ye, 9, o2, s2));
  int same = 1;
  double tot = 0;
  for (int c = 0; c < 96; c++) same &= o1[c] == o2[c] && s1[c] == s2[c], tot += s2[c];
  CHECK(same);
  CHECK(tot > 0);
  free(pos), free(t), free(s);
}

TEST(track_maps_equal_the_plain_maps) {
  check_case(1, 50, 0.01, 0);
  check_case(2, 50, 0.01, 0);
  check_case(3000, 20000, 0.01, 0);  /* small steps: nearly every interval inside a cell */
  check_case(3000, 20000, 0.3, 0);   /* large steps: most cross cells */
  check_case(3000, 20000, 0.01, 1);
  check_case(200000, 300000, 0.004, 1); /* large enough for the threaded loops */
}

int main(void) {
  RUN(track_maps_equal_the_plain_maps);
  return test_summary();
}
