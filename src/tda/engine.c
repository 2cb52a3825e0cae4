/* canns — the Ripser pipeline on a prepared complex: dimension 0 by
 * union–find, then for each dimension the reduction of its columns and the
 * assembly of the next dimension's columns. */
#include <string.h>

#include "tda/tda_internal.h"

bool tda_is_prime(int64_t p) {
  if (p < 2) return false;
  if (p % 2 == 0) return p == 2;
  for (int64_t q = 3; q * q <= p; q += 2)
    if (p % q == 0) return false;
  return true;
}

uint32_t *tda_inverses(uint32_t p) {
  uint32_t *inv = calloc(p, sizeof *inv);
  if (!inv) return NULL;
  inv[1] = 1 % p;
  /* p = a * (p / a) + p % a  =>  inv(a) = -(p / a) * inv(p % a) */
  for (uint32_t a = 2; a < p; a++)
    inv[a] = p - (uint32_t)(((uint64_t)inv[p % a] * (p / a)) % p);
  return inv;
}

cn_status tda_compute(const tda_complex *c, const tda_engine_opts *eo,
                      tda_out *out) {
  tda_vec simplices = {0}, columns = {0};
  cn_status st = tda_dim0(c, eo, out, &simplices, &columns);
  if (c->maxdim == 0) tda_vec_free(&simplices);
  for (int dim = 1; dim <= c->maxdim && st == CN_OK; dim++) {
    tda_pmap map;
    st = tda_pmap_init(&map, columns.n / 2 + 16);
    if (st != CN_OK) break;
    out->held = (columns.cap + simplices.cap) * (int64_t)sizeof(tda_entry);
    st = tda_reduce(c, eo, dim, &columns, &map, out);
    out->held = 0;
    if (st == CN_OK && dim < c->maxdim)
      st = tda_assemble(c, eo, dim + 1, &simplices, &map, dim + 1 < c->maxdim,
                        &columns, out);
    if (dim + 1 >= c->maxdim) tda_vec_free(&simplices);
    tda_pmap_free(&map);
  }
  tda_vec_free(&simplices);
  tda_vec_free(&columns);
  return st;
}
