/* canns — the agent's state (src/spatial/agent*.c). */
#ifndef CANNS_AGENT_INTERNAL_H
#define CANNS_AGENT_INTERNAL_H

#include "spatial/spatial_internal.h"

#define CN_AGENT_NBUF 32          /* buffered standard normals */
#define CN_AGENT_MAX_BOUNCES 1000 /* collision passes before staying put */

struct cn_agent {
  cn_env *env; /* the agent's own snapshot */
  cn_agent_params p;
  double t, pos[2], vel[2], mvel[2], prev_mvel[2], rot, mrot_dt, head[2], dist;
  cn_rng rng;
  double nbuf[CN_AGENT_NBUF];
  int nidx;
  /* speed in normal space carried between steps */
  bool zvalid;
  double zcache, zmax;
  /* imported trajectory */
  bool imported, imp_interp;
  double *imp_t, *imp_xy, imp_dur;
  int64_t imp_n, imp_cursor;
  cn_agent_history h;
};

/* Target of an imported trajectory at time t (advances the cursor in
 * non-interpolated mode). */
void cn_agent_import_sample(cn_agent *a, double t, double out[2]);

#endif
