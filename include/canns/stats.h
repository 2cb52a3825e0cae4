/* canns — correlation coefficients with their two-sided p-values
 * (scipy.stats.pearsonr / spearmanr): the t statistic
 * r sqrt((n - 2) / (1 - r^2)) against Student's t with n - 2 degrees of
 * freedom (GSL's tail).  n >= 3 finite pairs; a constant input gives NaN. */
#ifndef CANNS_STATS_H
#define CANNS_STATS_H
#include <stdint.h>

#include "canns/error.h"

#ifdef __cplusplus
extern "C" {
#endif

cn_status cn_pearsonr(const double *x, const double *y, int64_t n, double *r, double *p);
/* Pearson's r of the average ranks (ties share their mean rank). */
cn_status cn_spearmanr(const double *x, const double *y, int64_t n, double *r, double *p);

#ifdef __cplusplus
}
#endif
#endif
