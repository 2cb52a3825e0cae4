/* canns — many independent agents stepped in parallel.  Agent i has its
 * own Philox key (a SplitMix64 hash of the seed and i), so what an agent
 * does never depends on how the agents are split over threads. */
#include <stdlib.h>

#include "core/internal.h"
#include "spatial/agent_internal.h"

struct cn_agents {
  int64_t n;
  cn_agent **a;
};

static uint64_t splitmix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}

cn_status cn_agents_new(const cn_env *env, const cn_agent_params *p, int64_t n, uint64_t seed,
                        const double *init_pos, cn_agents **out) {
  *out = NULL;
  if (n < 1 || n > 1000000)
    return cn_error(CN_EINVAL, "n must be in 1..1000000, got %lld", (long long)n);
  CN_TRY(cn_agent_params_check(p));
  cn_agents *g = calloc(1, sizeof *g);
  if (!g || !(g->a = calloc((size_t)n, sizeof(cn_agent *)))) {
    free(g);
    return cn_error(CN_ENOMEM, "agents: out of memory");
  }
  g->n = n;
  for (int64_t i = 0; i < n; i++) {
    cn_status s = cn_agent_new(env, p, splitmix(seed ^ splitmix((uint64_t)i)),
                               init_pos ? init_pos + 2 * i : NULL, NULL, &g->a[i]);
    if (s != CN_OK) {
      cn_agents_free(g);
      return s;
    }
  }
  *out = g;
  return CN_OK;
}

void cn_agents_free(cn_agents *g) {
  if (!g) return;
  for (int64_t i = 0; i < g->n; i++) cn_agent_free(g->a[i]);
  free(g->a);
  free(g);
}

int64_t cn_agents_count(const cn_agents *g) { return g->n; }
cn_agent *cn_agents_get(cn_agents *g, int64_t i) { return (i >= 0 && i < g->n) ? g->a[i] : NULL; }

cn_status cn_agents_run(cn_agents *g, int64_t steps, double dt) {
  if (steps < 0) return cn_error(CN_EINVAL, "steps must be >= 0, got %lld", (long long)steps);
  if (!isfinite(dt) || dt <= 0)
    return cn_error(CN_EINVAL, "dt must be a finite number > 0, got %g", cn_fabs_nan(dt));
  for (int64_t i = 0; i < g->n; i++) CN_TRY(cn_agent_reserve(g->a[i], steps));
  int nt = cn_threads_for(g->n * (steps > 0 ? steps : 1));
  if (nt > g->n) nt = (int)g->n;
#pragma omp parallel for schedule(static) num_threads(nt)
  for (int64_t i = 0; i < g->n; i++) cn_agent_run(g->a[i], steps, dt, NULL, 1.0);
  return CN_OK;
}
