/* canns — agent steps per second on canns-lib's own benchmark scenario:
 * the solid unit square plus 4 walls forming the inner square [0.1, 0.9]²
 * (8 walls), start (0.5, 0.5), speed_mean 0.08, speed_std 0.02,
 * rotational_velocity_std 45°, rotational_velocity_coherence_time 0.1,
 * wall_repel_distance 0.15, wall_repel_strength 1.4, thigmotaxis 0.3,
 * no history, dt 0.02, seed 321.
 *
 *   bench_navigation single STEPS         -> "single STEPS seconds"
 *   bench_navigation agents N STEPS THR   -> "agents N STEPS THR seconds"
 *   bench_navigation plain STEPS          -> the plain reference (every
 *                                             step through cn_agent_update)
 * Construction is excluded from the time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <omp.h>

#include "canns/spatial.h"

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static cn_env *scenario(cn_agent_params *p) {
  cn_env *e;
  if (cn_env_new(CN_ENV_SOLID, 1.0, 1.0, 0.01, NULL, 0, &e) != CN_OK) return NULL;
  double w[4][4] = {{0.1, 0.1, 0.9, 0.1}, {0.9, 0.1, 0.9, 0.9}, {0.9, 0.9, 0.1, 0.9},
                    {0.1, 0.9, 0.1, 0.1}};
  for (int i = 0; i < 4; i++) cn_env_add_wall(e, w[i]);
  cn_agent_params_default(p);
  p->dt = 0.02;
  p->speed_mean = 0.08;
  p->speed_std = 0.02;
  p->speed_coherence_time = 0.7;
  p->rotational_velocity_std = 45.0 * 3.14159265358979323846 / 180.0;
  p->rotational_velocity_coherence_time = 0.1;
  p->wall_repel_distance = 0.15;
  p->wall_repel_strength = 1.4;
  p->thigmotaxis = 0.3;
  p->save_history = false;
  return e;
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: bench_navigation single|plain STEPS | agents N STEPS THREADS\n");
    return 2;
  }
  cn_agent_params p;
  cn_env *e = scenario(&p);
  double start[2] = {0.5, 0.5};
  if (!strcmp(argv[1], "single") || !strcmp(argv[1], "plain")) {
    long long n = atoll(argv[2]);
    cn_agent *a;
    if (!e || cn_agent_new(e, &p, 321, start, NULL, &a) != CN_OK) {
      fprintf(stderr, "bench_navigation: %s\n", cn_errmsg());
      return 1;
    }
    double t0 = now();
    if (argv[1][0] == 's') {
      cn_agent_run(a, n, 0.02, NULL, 1.0);
    } else {
      for (long long i = 0; i < n; i++) cn_agent_update(a, 0.02, NULL, 1.0, NULL);
    }
    double t = now() - t0;
    cn_agent_state s;
    cn_agent_get_state(a, &s);
    printf("%s %lld %.9f %.6f %.6f\n", argv[1], n, t, s.pos[0], s.pos[1]);
    cn_agent_free(a);
  } else if (!strcmp(argv[1], "agents") && argc == 5) {
    long long n = atoll(argv[2]), steps = atoll(argv[3]);
    int thr = atoi(argv[4]);
    omp_set_num_threads(thr);
    double *init = malloc(sizeof(double) * 2 * (size_t)n);
    for (long long i = 0; i < n; i++) init[2 * i] = 0.5, init[2 * i + 1] = 0.5;
    cn_agents *g;
    if (!e || cn_agents_new(e, &p, n, 321, init, &g) != CN_OK) {
      fprintf(stderr, "bench_navigation: %s\n", cn_errmsg());
      return 1;
    }
    double t0 = now();
    cn_agents_run(g, steps, 0.02);
    double t = now() - t0;
    printf("agents %lld %lld %d %.9f\n", n, steps, thr, t);
    cn_agents_free(g);
    free(init);
  } else {
    fprintf(stderr, "bench_navigation: unknown mode %s\n", argv[1]);
    return 2;
  }
  cn_env_free(e);
  return 0;
}
