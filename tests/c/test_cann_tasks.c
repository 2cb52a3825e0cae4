/* Tracking-task generators: step counts, position sequences (bit-exact
 * against the Python toolkit and upstream `canns.task.tracking` values), and the
 * data of PopulationCoding / TemplateMatching. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "canns/cann.h"
#include "canns/io.h"
#include "canns/task.h"
#include "test_cann_common.h"

TEST(numpy_sum_and_step_counts) {
  double d1[] = {0.1, 0.2};
  CHECK(cn_task_sum(d1, 2) == 0.30000000000000004);
  /* 9 and 200 values exercise the 8-accumulator and recursive branches:
   * compare with a plain float64 reference of the same scheme done by
   * hand for 9 values. */
  double d9[9] = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};
  double r = ((0.1 + 0.2) + (0.3 + 0.4)) + ((0.5 + 0.6) + (0.7 + 0.8));
  CHECK(cn_task_sum(d9, 9) == 0.0 + (r + 0.9));
  int64_t T;
  CHECK_OK(cn_task_total_steps(d1, 2, 0.1, &T));
  CHECK(T == 4);
  double d3[] = {0.3};
  CHECK_OK(cn_task_total_steps(d3, 1, 0.1, &T));
  CHECK(T == 3);
  double dneg[] = {1.0, -0.5};
  CHECK_FAILS(cn_task_total_steps(dneg, 2, 0.1, &T), CN_EINVAL);
  double dnan[] = {NAN};
  CHECK_FAILS(cn_task_total_steps(dnan, 1, 0.1, &T), CN_EINVAL);
  CHECK_FAILS(cn_task_total_steps(d3, 1, 0.0, &T), CN_EINVAL);
  CHECK_FAILS(cn_task_total_steps(d3, 1, NAN, &T), CN_EINVAL);
}

TEST(smooth_positions_rounding_rules) {
  cn_array *p;
  /* tasks.md §7.1 */
  double k1[] = {1, 0.75, 2, 1.75, 3}, d1[] = {10, 10, 10, 10};
  CHECK_OK(cn_task_smooth_positions(1, k1, 5, d1, 4, 0.1, &p));
  CHECK(p->shape[0] == 400 && p->shape[1] == 1);
  const double *v = cn_f64(p);
  CHECK(v[0] == 1.0 && v[50] == 0.8737373737373737 && v[99] == 0.75 && v[100] == 0.75);
  CHECK(v[150] == 1.3813131313131313 && v[199] == 2.0 && v[300] == 1.75 && v[399] == 3.0);
  cn_array_release(p);
  /* §7.2 */
  double k2[] = {0, 1, 2}, d2[] = {0.1, 0.2};
  CHECK_OK(cn_task_smooth_positions(1, k2, 3, d2, 2, 0.1, &p));
  CHECK(p->shape[0] == 4);
  CHECK(cn_f64(p)[0] == 0 && cn_f64(p)[1] == 1 && cn_f64(p)[2] == 2 && cn_f64(p)[3] == 2);
  cn_array_release(p);
  double k3[] = {0, 1}, d3[] = {0.3};
  CHECK_OK(cn_task_smooth_positions(1, k3, 2, d3, 1, 0.1, &p));
  CHECK(p->shape[0] == 3 && cn_f64(p)[0] == 0 && cn_f64(p)[1] == 1 && cn_f64(p)[2] == 1);
  cn_array_release(p);
  double d4[] = {1.0};
  CHECK_OK(cn_task_smooth_positions(1, k3, 2, d4, 1, 0.3, &p));
  CHECK(p->shape[0] == 4);
  CHECK(cn_f64(p)[0] == 0 && cn_f64(p)[1] == 0.5 && cn_f64(p)[2] == 1 && cn_f64(p)[3] == 1);
  cn_array_release(p);
  CHECK_FAILS(cn_task_smooth_positions(1, k3, 2, d1, 2, 0.1, &p), CN_EINVAL);
  CHECK(strstr(cn_errmsg(), "one more key point") != NULL);
}

TEST(positions_and_data_match_python_toolkit) {
  cn_array *p, *ref, *data;
  double k1[] = {1, 0.75, 2, 1.75, 3}, d1[] = {10, 10.3, 10, 9.95};
  CHECK_OK(cn_task_smooth_positions(1, k1, 5, d1, 4, 0.1, &p));
  ref = load("tasks/st1d_iext");
  CHECK(p->size == ref->size && memcmp(p->data, ref->data, 8 * (size_t)p->size) == 0);
  cn_array_release(ref);
  cn_model *m = make_cann(false, false, 64);
  CHECK_OK(cn_model_stimulus_seq(m, p, &data));
  cn_array *row;
  CHECK_OK(cn_array_select(&row, data, 250));
  CHECK(rel_to(row, "tasks/st1d_row250") < 1e-6);
  cn_array_release(row);
  cn_array_release(data);
  cn_array_release(p);
  cn_model_release(m);

  double k2[] = {0, 0, 1, 1, 0.75, 0.75, 2, 2, 1.75, 1.75, 3, 3}, d2[] = {10, 10, 10, 10, 10};
  CHECK_OK(cn_task_smooth_positions(2, k2, 6, d2, 5, 0.1, &p));
  ref = load("tasks/st2d_iext");
  CHECK(p->size == ref->size && memcmp(p->data, ref->data, 8 * (size_t)p->size) == 0);
  cn_array_release(ref);
  m = make_cann(true, false, 16);
  CHECK_OK(cn_model_stimulus_seq(m, p, &data));
  CHECK(data->ndim == 3 && data->shape[0] == 500 && data->shape[1] == 16);
  CHECK_OK(cn_array_select(&row, data, 137));
  CHECK(rel_to(row, "tasks/st2d_row137") < 1e-6);
  cn_array_release(row);
  cn_array_release(data);
  cn_array_release(p);
  cn_model_release(m);

  /* PopulationCoding1D(before 1.05, duration 2.3, after 2.0, Iext 0.5). */
  m = make_cann(false, false, 64);
  double dur[3] = {1.05, 2.3, 2.0}, pos = 0.5;
  int64_t T;
  CHECK_OK(cn_task_total_steps(dur, 3, 0.1, &T));
  double total = cn_task_sum(dur, 3);
  CHECK_OK(cn_task_population_data(m, &pos, T, (int64_t)(1.05 / 0.1),
                                   (int64_t)((total - 2.0) / 0.1), &data));
  ref = load("tasks/pc1d");
  CHECK(data->size == ref->size && test_rel_maxdiff(data, ref) < 1e-6);
  for (int64_t i = 0; i < ref->size; i++)
    if (cn_array_getd(ref, i) == 0) CHECK(cn_array_getd(data, i) == 0);
  cn_array_release(ref);
  cn_array_release(data);
  /* TemplateMatching1D(noise_level 0): every row is the stimulus. */
  double d1s = 1.0;
  pos = -1.0;
  CHECK_OK(cn_task_total_steps(&d1s, 1, 0.1, &T));
  cn_rng g;
  cn_rng_seed(&g, 5);
  CHECK_OK(cn_task_template_data(m, &pos, T, 0.0, 10.0, &g, &data));
  ref = load("tasks/tm1d_rows");
  CHECK(data->size == ref->size && test_rel_maxdiff(data, ref) < 1e-6);
  cn_array_release(ref);
  cn_array_release(data);
  CHECK_FAILS(cn_task_template_data(m, &pos, T, -0.1, 10.0, &g, &data), CN_EINVAL);
  CHECK_FAILS(cn_task_template_data(m, &pos, T, INFINITY, 10.0, &g, &data), CN_EINVAL);
  CHECK_FAILS(cn_task_template_data(m, &pos, T, NAN, 10.0, &g, &data), CN_EINVAL);
  cn_model_release(m);

  m = make_cann(true, false, 8);
  double dur2[3] = {0.5, 1.0, 0.7}, pos2[2] = {0.5, -1.0};
  CHECK_OK(cn_task_total_steps(dur2, 3, 0.1, &T));
  total = cn_task_sum(dur2, 3);
  CHECK_OK(cn_task_population_data(m, pos2, T, (int64_t)(0.5 / 0.1),
                                   (int64_t)((total - 0.7) / 0.1), &data));
  ref = load("tasks/pc2d");
  CHECK(data->size == ref->size && test_rel_maxdiff(data, ref) < 1e-6);
  cn_array_release(ref);
  cn_array_release(data);
  CHECK_FAILS(cn_task_population_data(m, pos2, T, T, T, &data), CN_EINVAL);
  cn_model_release(m);
}

/* tasks.md §7.5: noise of TemplateMatching has mean 0 and s.d.
 * noise_level * A. */
TEST(template_noise_statistics) {
  cn_model *m = make_cann(false, false, 512);
  cn_rng g;
  cn_rng_seed(&g, 11);
  cn_array *data, *stim;
  double pos = 0;
  CHECK_OK(cn_task_template_data(m, &pos, 200, 0.1, 10.0, &g, &data));
  CHECK_OK(cn_model_stimulus(m, &pos, 1, &stim));
  double s = 0, s2 = 0;
  int64_t n = 512, cnt = 200 * n;
  for (int64_t t = 0; t < 200; t++)
    for (int64_t i = 0; i < n; i++) {
      double e = cn_f32(data)[t * n + i] - cn_f32(stim)[i];
      s += e;
      s2 += e * e;
    }
  double mean = s / cnt, sd = sqrt(s2 / cnt - mean * mean);
  CHECK(fabs(mean) < 0.01);
  CHECK_NEAR(sd, 1.0, 0.02);
  cn_array_release(data);
  cn_array_release(stim);
  cn_model_release(m);
}

int main(void) {
  RUN(numpy_sum_and_step_counts);
  RUN(smooth_positions_rounding_rules);
  RUN(positions_and_data_match_python_toolkit);
  RUN(template_noise_statistics);
  return test_summary();
}
