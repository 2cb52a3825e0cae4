/* canns — sorting simplices in column order (larger diameter first, ties
 * by smaller index first).  Keys are unique, so every algorithm gives the
 * same result: the parallel sort sorts chunks and merges them. */
#include <string.h>

#include "canns/error.h"
#include "tda/tda_internal.h"

static inline bool col_less(const tda_entry *a, const tda_entry *b) {
  return a->diam > b->diam || (a->diam == b->diam && a->index < b->index);
}

static void insertion(tda_entry *a, int64_t n) {
  for (int64_t i = 1; i < n; i++) {
    tda_entry x = a[i];
    int64_t j = i;
    while (j > 0 && col_less(&x, &a[j - 1])) {
      a[j] = a[j - 1];
      j--;
    }
    a[j] = x;
  }
}

static void sift(tda_entry *a, int64_t n, int64_t i) {
  tda_entry x = a[i];
  for (;;) {
    int64_t l = 2 * i + 1;
    if (l >= n) break;
    int64_t m = (l + 1 < n && col_less(&a[l], &a[l + 1])) ? l + 1 : l;
    if (!col_less(&x, &a[m])) break;
    a[i] = a[m];
    i = m;
  }
  a[i] = x;
}

static void heapsort_entries(tda_entry *a, int64_t n) {
  for (int64_t i = n / 2 - 1; i >= 0; i--) sift(a, n, i);
  for (int64_t i = n - 1; i > 0; i--) {
    tda_entry t = a[0];
    a[0] = a[i];
    a[i] = t;
    sift(a, i, 0);
  }
}

static void swap(tda_entry *a, tda_entry *b) {
  tda_entry t = *a;
  *a = *b;
  *b = t;
}

static void introsort(tda_entry *a, int64_t n, int depth) {
  while (n > 24) {
    if (depth-- == 0) {
      heapsort_entries(a, n);
      return;
    }
    int64_t m = n / 2;
    /* median of three into a[0] */
    if (col_less(&a[m], &a[0])) swap(&a[m], &a[0]);
    if (col_less(&a[n - 1], &a[0])) swap(&a[n - 1], &a[0]);
    if (col_less(&a[n - 1], &a[m])) swap(&a[n - 1], &a[m]);
    swap(&a[0], &a[m]); /* pivot = median at a[0] */
    tda_entry piv = a[0];
    int64_t i = 0, j = n;
    for (;;) {
      do i++; while (i < n && col_less(&a[i], &piv));
      do j--; while (col_less(&piv, &a[j]));
      if (i >= j) break;
      swap(&a[i], &a[j]);
    }
    swap(&a[0], &a[j]);
    /* recurse into the smaller part */
    if (j < n - j - 1) {
      introsort(a, j, depth);
      a += j + 1;
      n -= j + 1;
    } else {
      introsort(a + j + 1, n - j - 1, depth);
      n = j;
    }
  }
  insertion(a, n);
}

static void merge(const tda_entry *a, int64_t na, const tda_entry *b, int64_t nb,
                  tda_entry *out) {
  int64_t i = 0, j = 0, k = 0;
  while (i < na && j < nb) out[k++] = col_less(&b[j], &a[i]) ? b[j++] : a[i++];
  while (i < na) out[k++] = a[i++];
  while (j < nb) out[k++] = b[j++];
}

cn_status tda_sort_columns(tda_entry *a, int64_t n, int nthreads) {
  int depth = 2;
  for (int64_t m = n; m > 1; m >>= 1) depth += 2;
  if (nthreads <= 1 || n < 100000) {
    introsort(a, n, depth);
    return CN_OK;
  }
  int nc = 1;
  while (nc < nthreads && nc < 64) nc *= 2; /* a power of two of chunks */
  int64_t bounds[65];
  for (int i = 0; i <= nc; i++) bounds[i] = n * i / nc;
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
  for (int i = 0; i < nc; i++)
    introsort(a + bounds[i], bounds[i + 1] - bounds[i], depth);
  tda_entry *tmp = malloc((size_t)n * sizeof *tmp);
  if (!tmp) { /* fall back to one thread */
    introsort(a, n, depth);
    return CN_OK;
  }
  tda_entry *src = a, *dst = tmp;
  for (int width = 1; width < nc; width *= 2) {
#pragma omp parallel for schedule(dynamic, 1) num_threads(nthreads)
    for (int i = 0; i < nc; i += 2 * width) {
      int64_t lo = bounds[i], mid = bounds[i + width < nc ? i + width : nc],
              hi = bounds[i + 2 * width < nc ? i + 2 * width : nc];
      merge(src + lo, mid - lo, src + mid, hi - mid, dst + lo);
    }
    tda_entry *t = src;
    src = dst;
    dst = t;
  }
  if (src != a) memcpy(a, src, (size_t)n * sizeof *a);
  free(tmp);
  return CN_OK;
}


