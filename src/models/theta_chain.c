/* canns — ThetaSweepChain: the theta-sweep direction -> grid chain as one
 * composite model (a canns extension: upstream's examples step its
 * DirectionCellNetwork and GridCellNetwork in turn inside their own loop).
 * One step: direction.update(head_direction, theta_input), then
 * grid.update(animal_position, direction.r, theta_modulation), so a whole
 * run is one cn_run and the direction rates need not be recorded to feed
 * the grid module.  The parts are the caller's models (retained), reached
 * as "direction" and "grid" (record "grid.center_position", ...). */
#include <stdlib.h>
#include <string.h>

#include "canns/theta.h"
#include "core/internal.h"
#include "models/theta_common.h"

typedef struct chain {
  cn_model *dc, *gc;
  cn_array *hd, *th, *pos, *mod;
} chain;

static cn_status chain_step_inputs(cn_model *m, const cn_array *const *in) {
  chain *c = m->impl;
  const cn_array *d_in[2] = {in[0], in[1]};
  CN_TRY(c->dc->vt->step_inputs(c->dc, d_in));
  cn_array *r = c->dc->vt->state(c->dc, "r");
  const cn_array *g_in[3] = {in[2], r, in[3]};
  return c->gc->vt->step_inputs(c->gc, g_in);
}

static cn_status chain_reset(cn_model *m) {
  chain *c = m->impl;
  CN_TRY(cn_model_reset(c->dc));
  return cn_model_reset(c->gc);
}

static cn_array *chain_state(cn_model *m, const char *name) {
  (void)m;
  (void)name;
  return NULL; /* every state belongs to a part */
}

static cn_model *chain_child(cn_model *m, const char *name) {
  chain *c = m->impl;
  if (strcmp(name, "direction") == 0) return c->dc;
  if (strcmp(name, "grid") == 0) return c->gc;
  return NULL;
}

static void chain_destroy(cn_model *m) {
  chain *c = m->impl;
  if (!c) return;
  cn_model_release(c->dc);
  cn_model_release(c->gc);
  free(c);
}

static const cn_model_vtable chain_vt = {"ThetaSweepChain", NULL, chain_reset, chain_state,
                                         NULL, NULL, chain_destroy, chain_step_inputs,
                                         chain_child};
static const char *const chain_states[] = {NULL};
static const char *const chain_params[] = {NULL};
static const char *const chain_children[] = {"direction", "grid", NULL};

cn_status cn_theta_chain_new(cn_model **out, cn_model *dc, cn_model *gc) {
  *out = NULL;
  if (!cn_is_direction_cell_network(dc))
    return cn_error(CN_EINVAL, "ThetaSweepChain: argument 1 (direction) must be a "
                    "DirectionCellNetwork, got a %s", dc && dc->vt->name ? dc->vt->name : "?");
  if (!cn_is_grid_cell_network(gc))
    return cn_error(CN_EINVAL, "ThetaSweepChain: argument 2 (grid) must be a "
                    "GridCellNetwork, got a %s", gc && gc->vt->name ? gc->vt->name : "?");
  int64_t nd = cn_model_state(dc, "r")->size, want = cn_gcn_get_params(gc)->num_dc;
  if (nd != want)
    return cn_error(CN_EINVAL, "ThetaSweepChain: the direction network has %lld cells but the "
                    "grid network takes num_dc = %lld", (long long)nd, (long long)want);
  chain *c = calloc(1, sizeof *c);
  if (!c) return cn_error(CN_ENOMEM, "ThetaSweepChain: out of memory");
  c->dc = cn_model_retain(dc);
  c->gc = cn_model_retain(gc);
  const cn_model_input in[4] = {dc->inputs[0], dc->inputs[1], gc->inputs[0], gc->inputs[2]};
  cn_status s = cn_theta_model_finish(CN_OK, out, &chain_vt, c, 4, in, chain_states,
                                      chain_params);
  if (s == CN_OK) (*out)->children = chain_children;
  return s;
}
