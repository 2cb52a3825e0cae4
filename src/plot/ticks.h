/* canns — tick placement and labels (ticks.c).  No Cairo here, so unit
 * tests can include it. */
#ifndef CANNS_PLOT_TICKS_H
#define CANNS_PLOT_TICKS_H

#include <stdbool.h>

#define PL_MAXTICKS 64
typedef struct pl_ticks {
  int n;
  double pos[PL_MAXTICKS];
  char label[PL_MAXTICKS][48];
  char offset[48]; /* "1e6"-style multiplier text, "" if none */
} pl_ticks;
/* matplotlib's MaxNLocator over [lo, hi] (nbins intervals at most) and
 * ScalarFormatter labels; only ticks within [lo, hi] are kept. */
void pl_ticks_auto(double lo, double hi, int nbins, bool integer,
                   pl_ticks *t);
/* Label a given set of positions like the ScalarFormatter would. */
void pl_ticks_format(pl_ticks *t);
/* Nice data limits: matplotlib's nonsingular expansion for lo == hi. */
void pl_nonsingular(double *lo, double *hi);

#endif
