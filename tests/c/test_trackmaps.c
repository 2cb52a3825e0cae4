/* The track side of compute_rate_map against plain references.
 * cn_track_maps (each sample binned once, evenly spaced edges without edge
 * comparisons, spikes in an interval that stays inside one cell not
 * interpolated, sorted spikes merged with the track) against the plain pair
 * cn_histogram2d_pairs + cn_spike_histogram2d: the same counts, exactly, on
 * random walks with the awkward cases (samples on bin edges and outside
 * them, NaN positions and spike times, spikes before, after and exactly on
 * the samples, repeated time stamps, steps that cross cells, uneven edges,
 * sorted and unsorted spikes, one and three threads).  cn_track_stats
 * (vector pass, median by a counted pivot) against plain loops and a sorted
 * copy's median, bit for bit. */
#include <stdint.h>

#include "canns/spatialstats.h"
#include "test.h"

static uint64_t st = 99;
static double unif(void) {
  st = st * 6364136223846793005ULL + 1442695040888963407ULL;
  return (double)(st >> 11) / 9007199254740992.0;
}

static int cmp_d(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

enum { EVEN = 0, UNEVEN = 1, FAR = 2 }; /* edge kinds: linspace, irregular, far from 0 */

static void check_case(int64_t m, int64_t ns, double step, int awkward, int sorted, int edges) {
  double *pos = malloc(sizeof(double) * (size_t)(2 * m)), *t = malloc(sizeof(double) * (size_t)m);
  double *s = malloc(sizeof(double) * (size_t)ns);
  const double off = edges == FAR ? 1e7 : 0;
  double x = off, y = 0;
  for (int64_t j = 0; j < m; j++) {
    x += step * (unif() - 0.5), y += step * (unif() - 0.5);
    pos[2 * j] = x, pos[2 * j + 1] = y;
    t[j] = (double)j * 0.02;
  }
  double xe[13], ye[9];
  for (int k = 0; k < 13; k++) xe[k] = off - 0.6 + 0.1 * k; /* the walk leaves this range */
  for (int k = 0; k < 9; k++) ye[k] = -0.4 + 0.1 * k;
  if (edges == UNEVEN) xe[4] += 0.037, ye[2] -= 0.021;
  if (awkward) {
    for (int64_t j = 5; j < m; j += 97) pos[2 * j] = xe[(j / 97) % 13];       /* on x edges */
    for (int64_t j = 11; j < m; j += 131) pos[2 * j + 1] = ye[(j / 131) % 9]; /* on y edges */
    if (m > 41) pos[2 * 40] = NAN, pos[2 * 41 + 1] = NAN;
    for (int64_t j = 200; j < 210 && j < m; j++) t[j] = t[199]; /* repeated stamps */
    for (int64_t j = 210; j < m; j++) t[j] = t[199] + (double)(j - 209) * 0.02;
  }
  for (int64_t i = 0; i < ns; i++) s[i] = t[m - 1] * (1.1 * unif() - 0.05); /* some outside */
  if (awkward) {
    for (int64_t i = 0; i < ns; i += 17) s[i] = t[(i / 17) % m]; /* exactly on samples */
    if (!sorted) s[3] = NAN;
  }
  if (sorted) qsort(s, (size_t)ns, sizeof(double), cmp_d);
  double o1[96], s1[96], o2[96], s2[96];
  CHECK_OK(cn_histogram2d_pairs(pos, m, xe, 13, ye, 9, o1));
  CHECK_OK(cn_spike_histogram2d(s, ns, t, pos, m, xe, 13, ye, 9, s1));
  CHECK_OK(cn_track_maps(s, ns, t, pos, m, xe, 13, ye, 9, o2, s2));
  int same = 1;
  double tot = 0;
  for (int c = 0; c < 96; c++) same &= o1[c] == o2[c] && s1[c] == s2[c], tot += s2[c];
  CHECK(same);
  if (!same) fprintf(stderr, "  case m=%lld ns=%lld step=%g awkward=%d sorted=%d edges=%d\n", (long long)m,
                     (long long)ns, step, awkward, sorted, edges);
  CHECK(tot > 0);
  free(pos), free(t), free(s);
}

TEST(track_maps_equal_the_plain_maps) {
  const int threads[2] = {1, 3};
  for (int q = 0; q < 2; q++) {
    cn_set_num_threads(threads[q]);
    for (int sorted = 0; sorted < 2; sorted++)
      for (int edges = EVEN; edges <= FAR; edges++) {
        check_case(1, 50, 0.01, 0, sorted, edges);
        check_case(2, 50, 0.01, 0, sorted, edges);
        check_case(3000, 20000, 0.01, 0, sorted, edges); /* small steps: nearly every interval inside a cell */
        check_case(3000, 20000, 0.3, 0, sorted, edges);  /* large steps: most cross cells */
        check_case(3000, 20000, 0.01, 1, sorted, edges);
        check_case(200000, 300000, 0.004, 1, sorted, edges); /* large enough for the threaded loops */
      }
  }
  cn_set_num_threads(0);
}

/* --- cn_track_stats ------------------------------------------------------ */

static void plain_stats(const double *pos, const double *t, int64_t n, double lo[2], double hi[2], int *fin,
                        double *med, int64_t *bad) {
  lo[0] = lo[1] = INFINITY, hi[0] = hi[1] = -INFINITY, *fin = 1, *bad = -1;
  for (int64_t i = 0; i < n; i++)
    for (int a = 0; a < 2; a++) {
      double v = pos[2 * i + a];
      if (!isfinite(v)) *fin = 0;
      else lo[a] = fmin(lo[a], v), hi[a] = fmax(hi[a], v);
    }
  for (int64_t i = 0; i + 1 < n && *bad < 0; i++)
    if (!(t[i + 1] - t[i] >= 0) || !isfinite(t[i]) || !isfinite(t[i + 1]))
      *bad = i == 0 && !isfinite(t[0]) ? 0 : i + 1;
  double *d = malloc(sizeof(double) * (size_t)(n - 1));
  for (int64_t i = 0; i + 1 < n; i++) d[i] = t[i + 1] - t[i];
  qsort(d, (size_t)(n - 1), sizeof(double), cmp_d);
  int64_t k = n - 1;
  *med = k % 2 ? d[k / 2] : (d[k / 2 - 1] + d[k / 2]) / 2;
  free(d);
}

static int same_bits(double a, double b) { return memcmp(&a, &b, sizeof a) == 0; }

/* kinds of time stamps: even (one step), a rounded clock (few distinct
 * steps), jittered (all distinct: the selection decides), two steps in a
 * given proportion (the middle ranks at the pivot's neighbours) */
static void check_stats(int64_t n, int kind, double frac, int nanpos, int64_t badat) {
  double *pos = malloc(sizeof(double) * (size_t)(2 * n)), *t = malloc(sizeof(double) * (size_t)n);
  double acc = 0;
  for (int64_t i = 0; i < n; i++) {
    pos[2 * i] = 3 * unif() - 1, pos[2 * i + 1] = 0.5 * unif() + 2;
    double d = kind == 0 ? 0.5 : kind == 1 ? 0.02 : kind == 2 ? 0.02 + 0.01 * unif() : (unif() < frac ? 0.03 : 0.02);
    t[i] = kind == 1 ? (double)i * 0.02 : acc;
    acc += d;
  }
  if (nanpos) pos[2 * (n / 3)] = NAN, pos[2 * (n / 2) + 1] = INFINITY, pos[2 * (n - 1)] = -INFINITY;
  if (badat >= 0) t[badat] = badat == n - 1 ? NAN : badat % 2 ? -1.0 : INFINITY;
  double lo[2], hi[2], med, plo[2], phi[2], pmed;
  int fin, pfin;
  int64_t bad = -1, pbad;
  plain_stats(pos, t, n, plo, phi, &pfin, &pmed, &pbad);
  cn_status rc = cn_track_stats(pos, t, n, lo, hi, &fin, &med, &bad);
  if (pbad >= 0) {
    CHECK(rc == CN_EINVAL);
    CHECK(bad == pbad);
  } else {
    CHECK_OK(rc);
    int ok = same_bits(lo[0], plo[0]) && same_bits(lo[1], plo[1]) && same_bits(hi[0], phi[0]) &&
             same_bits(hi[1], phi[1]) && fin == pfin && same_bits(med, pmed);
    CHECK(ok);
    if (!ok) fprintf(stderr, "  stats n=%lld kind=%d frac=%g nan=%d: med %.17g vs %.17g\n", (long long)n, kind,
                     frac, nanpos, med, pmed);
  }
  free(pos), free(t);
}

TEST(track_stats_equal_the_plain_statistics) {
  const int threads[2] = {1, 3};
  const int64_t sizes[6] = {2, 3, 6, 1001, 4000, 300001};
  for (int q = 0; q < 2; q++) {
    cn_set_num_threads(threads[q]);
    for (int z = 0; z < 6; z++)
      for (int kind = 0; kind < 4; kind++) {
        check_stats(sizes[z], kind, 0.5, 0, -1);
        check_stats(sizes[z], kind, 0.5, 1, -1);
      }
    for (int z = 3; z < 6; z++) {
      /* two steps whose proportion puts the middle ranks either side */
      const double fr[6] = {0.499, 0.5, 0.501, 0.05, 0.95, 0.0};
      for (int f = 0; f < 6; f++) check_stats(sizes[z] + (f % 2), 3, fr[f], 0, -1);
      check_stats(sizes[z], 1, 0, 0, 0);
      check_stats(sizes[z], 1, 0, 0, 7);
      check_stats(sizes[z], 1, 0, 0, 10);
      check_stats(sizes[z], 1, 0, 0, sizes[z] - 1);
    }
  }
  cn_set_num_threads(0);
}

int main(void) {
  RUN(track_maps_equal_the_plain_maps);
  RUN(track_stats_equal_the_plain_statistics);
  return test_summary();
}
