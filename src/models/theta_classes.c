/* canns — the theta-sweep networks as registered model classes:
 * construction from keyword parameters with upstream's names and
 * defaults. */

#include "canns/theta.h"

typedef struct num_key {
  const char *k;
  double *d;
} num_key;

static cn_status get_numbers(const cn_params *p, const num_key *t, size_t n) {
  for (size_t i = 0; i < n; i++) CN_TRY(cn_params_number(p, t[i].k, *t[i].d, t[i].d));
  return CN_OK;
}

static cn_status get_count(const cn_params *p, const char *key, int64_t def, int64_t *out) {
  CN_TRY(cn_params_int(p, key, def, out));
  if (*out < 1)
    return cn_error(CN_EINVAL, "%s: argument '%s' must be a positive integer, got %lld",
                    p->fname, key, (long long)*out);
  return CN_OK;
}

static cn_status create_direction(const cn_params *p, cn_model **out) {
  cn_dcn_params q;
  cn_dcn_params_init(&q);
  if (!cn_params_has(p, "num"))
    return cn_error(CN_EINVAL, "%s: argument 'num' (the number of neurons) is required",
                    p->fname);
  CN_TRY(get_count(p, "num", q.num, &q.num));
  const num_key t[] = {{"tau", &q.tau}, {"tau_v", &q.tau_v},
                       {"noise_strength", &q.noise_strength}, {"k", &q.k},
                       {"adaptation_strength", &q.adaptation_strength}, {"a", &q.a},
                       {"A", &q.A}, {"J0", &q.J0}, {"g", &q.g}, {"z_min", &q.z_min},
                       {"z_max", &q.z_max}, {"conn_noise", &q.conn_noise}};
  CN_TRY(get_numbers(p, t, sizeof t / sizeof t[0]));
  return cn_direction_cell_network_new(out, &q);
}

static cn_status create_grid(const cn_params *p, cn_model **out) {
  cn_gcn_params q;
  cn_gcn_params_init(&q);
  CN_TRY(get_count(p, "num_dc", q.num_dc, &q.num_dc));
  CN_TRY(get_count(p, "num_gc_x", q.num_gc_x, &q.num_gc_x));
  const num_key t[] = {{"tau", &q.tau}, {"tau_v", &q.tau_v},
                       {"noise_strength", &q.noise_strength}, {"conn_noise", &q.conn_noise},
                       {"k", &q.k}, {"adaptation_strength", &q.adaptation_strength},
                       {"a", &q.a}, {"A", &q.A}, {"J0", &q.J0}, {"g", &q.g},
                       {"mapping_ratio", &q.mapping_ratio}, {"phase_offset", &q.phase_offset}};
  CN_TRY(get_numbers(p, t, sizeof t / sizeof t[0]));
  CN_TRY(cn_gc_method_param(p, &q.method));
  return cn_grid_cell_network_new(out, &q);
}

/* A place-cell network needs its environment's geodesic result, which
 * keyword parameters cannot carry: built by cn_place_cell_network_new
 * (Lua: canns.models.PlaceCellNetwork(geodesic_result, {...})). */
static cn_status create_place(const cn_params *p, cn_model **out) {
  *out = NULL;
  return cn_error(CN_EINVAL,
                  "%s: argument 'geodesic_result' is required (from a navigation task's "
                  "compute_geodesic_distance_matrix()): use PlaceCellNetwork(geodesic_result, {...})",
                  p->fname);
}

static const char *const keys_direction[] = {
    "num", "tau", "tau_v", "noise_strength", "k", "adaptation_strength", "a", "A", "J0", "g",
    "z_min", "z_max", "conn_noise", NULL};
static const char *const keys_grid[] = {
    "num_dc", "num_gc_x", "tau", "tau_v", "noise_strength", "conn_noise", "k",
    "adaptation_strength", "a", "A", "J0", "g", "mapping_ratio", "phase_offset", "method", NULL};

static const cn_model_class cls_direction = {
    "DirectionCellNetwork", create_direction, keys_direction,
    "theta-modulated head-direction ring with adaptation (theta sweeps)"};
static const cn_model_class cls_grid = {
    "GridCellNetwork", create_grid, keys_grid,
    "twisted-torus grid module with conjunctive input (theta sweeps)"};

static const cn_model_class cls_place = {
    "PlaceCellNetwork", create_place, NULL,
    "place cells coupled by geodesic distance (theta sweeps; needs a geodesic result)"};

const cn_model_class *const *cn_theta_classes(void) {
  static const cn_model_class *const list[] = {&cls_direction, &cls_grid, &cls_place, NULL};
  return list;
}
