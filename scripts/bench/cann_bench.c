/* canns — time per step and peak memory of one CANN configuration.
 *
 *   bench_cann DIM N METHOD STEPS [MODE]
 *     DIM     1d | 2d | 1d_sfa | 2d_sfa
 *     N       num (1-D) or length (2-D)
 *     METHOD  auto | estimate | dense | fft | separable | spectral
 *     STEPS   number of timed steps
 *     MODE    record (default): a (STEPS, N) zero input array and u
 *             recorded after every step, as users run a task;
 *             input: the same input array, nothing recorded;
 *             free: no input array (zero input), nothing recorded
 *
 * Builds the model, forms a bump (10 steps with the stimulus at 0), then
 * times two cn_run calls of STEPS steps each (the loop the Python
 * toolkit's bm.for_loop runs; the recording's allocation is inside each
 * timed call, as it is for users).  The second is the one reported first,
 * as the Python side reports its second call of the same size (its first
 * compiles); the first call of the process is reported too.  Prints one
 * line:
 *   dim n method steps us_per_step peak_rss_MB build_ms cpu_us_per_step
 *   first_us_per_step
 * (cpu: CPU time of the calling thread during the second run, per step —
 * steadier than wall time on a shared machine; helper threads excluded)
 * Run one configuration per process so that peak memory is its own
 * (scripts/bench/cann runs the table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "canns/cann.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double thread_cpu(void) {
  struct timespec t;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static double peak_rss_mb(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double kb = -1;
  while (f && fgets(line, sizeof line, f))
    if (strncmp(line, "VmHWM:", 6) == 0) kb = atof(line + 6);
  if (f) fclose(f);
  return kb / 1024.0;
}

int main(int argc, char **argv) {
  if (argc != 5 && argc != 6) {
    fprintf(stderr, "usage: bench_cann 1d|2d|1d_sfa|2d_sfa N METHOD STEPS [record|input|free]\n");
    return 2;
  }
  bool two = argv[1][0] == '2', sfa = strstr(argv[1], "sfa") != NULL;
  cn_cann_params p;
  cn_cann_params_init(&p, sfa);
  p.n = atoll(argv[2]);
  if (cn_cann_method_from_name(argv[3], &p.method) != CN_OK) {
    fprintf(stderr, "%s\n", cn_errmsg());
    return 2;
  }
  int64_t steps = atoll(argv[4]);
  const char *mode = argc == 6 ? argv[5] : "record";
  bool with_input = strcmp(mode, "free") != 0, record = strcmp(mode, "record") == 0;
  cn_set_dt(0.1);
  double t0 = now();
  cn_model *m;
  if ((two ? cn_cann2d_new(&m, &p) : cn_cann1d_new(&m, &p)) != CN_OK) {
    fprintf(stderr, "bench_cann: %s\n", cn_errmsg());
    return 1;
  }
  double build = now() - t0;
  double pos[2] = {0, 0};
  cn_array *stim;
  if (cn_model_stimulus(m, pos, two ? 2 : 1, &stim) != CN_OK) return 1;
  for (int i = 0; i < 10; i++) cn_model_step(m, stim);
  cn_array *inputs = NULL;
  if (with_input) {
    int64_t shape[3] = {steps, p.n, p.n};
    if (cn_array_zeros(&inputs, CN_FLOAT32, two ? 3 : 2, shape) != CN_OK) return 1;
    /* a user's input was written by the task that made it: write the
     * zeros, so that its pages are mapped (calloc leaves them unmapped and
     * the run would take a page fault per 4 KB reading them) */
    memset(inputs->data, 0, (size_t)inputs->size * sizeof(float));
  }
  /* Let OpenBLAS's worker threads finish the busy-wait they start with
   * when the library loads (about 0.1 s of sched_yield on the other core):
   * a user's run comes after the script has built its model and task, not
   * in the first tenth of a second of the process.  CANNS_BENCH_SETTLE_MS
   * (default 300; 0 to time the process's first instants). */
  const char *settle = getenv("CANNS_BENCH_SETTLE_MS");
  long ms = settle ? atol(settle) : 300;
  if (ms > 0) nanosleep(&(struct timespec){ms / 1000, (ms % 1000) * 1000000L}, NULL);
  const char *rec[] = {"u"};
  cn_run_opts o = CN_RUN_OPTS_INIT;
  o.nsteps = steps;
  o.record = rec;
  o.nrecord = record ? 1 : 0;
  cn_array *out[1] = {NULL};
  double el = 0, cpu = 0, first = 0;
  for (int call = 0; call < 2; call++) {
    cn_array_release(out[0]);
    out[0] = NULL;
    t0 = now();
    double c0 = thread_cpu();
    if (cn_run(m, inputs, &o, out) != CN_OK) {
      fprintf(stderr, "bench_cann: %s\n", cn_errmsg());
      return 1;
    }
    el = now() - t0, cpu = thread_cpu() - c0;
    if (call == 0) first = el;
  }
  printf("%s %lld %s %lld %.3f %.1f %.1f %.3f %.3f\n", argv[1], (long long)p.n,
         cn_cann_method_name(cn_cann_method_used(m)), (long long)steps, el / steps * 1e6,
         peak_rss_mb(), build * 1e3, cpu / steps * 1e6, first / steps * 1e6);
  cn_array_release(out[0]);
  cn_array_release(inputs);
  cn_array_release(stim);
  cn_model_release(m);
  return 0;
}
