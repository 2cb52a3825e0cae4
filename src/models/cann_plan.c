/* canns — the measured method choice of the CANN models (method = "auto").
 *
 * As FFTW plans a transform, "auto" builds every exact way of computing
 * the recurrent input that is cheap to build (dense product, pruned DFT,
 * FFT, separable GEMMs), times a few products of each on the model's own
 * buffers and keeps the fastest.  The numbers are the same whichever wins
 * (to round-off), only the time differs.  Choices are remembered per
 * (class, size, dtype, thread count, variant) for the process and, with
 * CANNS_WISDOM=<file>, in a text file read at the first choice and
 * rewritten (atomically, merged with what the file holds) after each new
 * one.  A wisdom file that is not valid as a whole is ignored. */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "canns/fileutil.h"
#include "models/cann_internal.h"
#include "models/ftz.h"

#define WISDOM_HEADER "canns-wisdom 1"
#define WISDOM_MAX_BYTES ((size_t)1 << 20)
#define WISDOM_MAX_ENTRIES 4096
/* Timing: at least 2 products after a warm-up, more until 2 ms are spent
 * (at most 100): the minimum is kept. */
#define PLAN_MIN_REPS 2
#define PLAN_MAX_REPS 100
#define PLAN_BUDGET_S 2e-3

typedef struct entry {
  char cls[16];
  int64_t n, variant;
  cn_dtype dtype;
  int threads;
  cn_cann_method method;
} entry;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static entry *cache;
static int ncache;
static bool env_done;

static const char *class_name(const cann_impl *c) {
  return c->rank == 1 ? (c->p.sfa ? "CANN1D_SFA" : "CANN1D")
                      : (c->p.sfa ? "CANN2D_SFA" : "CANN2D");
}

static bool same_key(const entry *a, const entry *b) {
  return strcmp(a->cls, b->cls) == 0 && a->n == b->n && a->variant == b->variant &&
         a->dtype == b->dtype && a->threads == b->threads;
}

/* Insert or replace in `list` (capacity WISDOM_MAX_ENTRIES); false when full. */
static bool put(entry **list, int *n, const entry *e) {
  for (int i = 0; i < *n; i++)
    if (same_key(&(*list)[i], e)) {
      (*list)[i].method = e->method;
      return true;
    }
  if (*n >= WISDOM_MAX_ENTRIES) return false;
  if (!*list) {
    *list = malloc(sizeof(entry) * WISDOM_MAX_ENTRIES);
    if (!*list) return false;
  }
  (*list)[(*n)++] = *e;
  return true;
}

/* --- the file ------------------------------------------------------------ */

static bool parse_line(const char *line, entry *e) {
  char cls[16], dt[16], meth[16];
  long long n, variant;
  int threads, used = -1;
  if (sscanf(line, "%15s %lld %15s %d %lld %15s%n", cls, &n, dt, &threads, &variant, meth,
             &used) != 6 || used < 0)
    return false;
  for (const char *p = line + used; *p; p++)
    if (*p != ' ' && *p != '\t' && *p != '\r') return false;
  bool two = strncmp(cls, "CANN2D", 6) == 0;
  if (strcmp(cls, "CANN1D") && strcmp(cls, "CANN1D_SFA") && strcmp(cls, "CANN2D") &&
      strcmp(cls, "CANN2D_SFA"))
    return false;
  if (n < 1 || n > ((int64_t)1 << 28) || threads < 1 || threads > 65536 || variant < -1 ||
      variant > ((int64_t)1 << 30))
    return false;
  if (strcmp(dt, "float32") == 0)
    e->dtype = CN_FLOAT32;
  else if (strcmp(dt, "float64") == 0)
    e->dtype = CN_FLOAT64;
  else
    return false;
  cn_cann_method m;
  if (cn_cann_method_from_name(meth, &m) != CN_OK) return false;
  if (m == CN_CANN_AUTO || m == CN_CANN_ESTIMATE || (m == CN_CANN_SEPARABLE && !two) ||
      (m == CN_CANN_SPECTRAL && (two || variant < 0)))
    return false;
  snprintf(e->cls, sizeof e->cls, "%s", cls);
  e->n = n, e->variant = variant, e->threads = threads, e->method = m;
  return true;
}

/* Parse a whole wisdom file into a new list; every line must be valid. */
static cn_status read_wisdom(const char *path, entry **out, int *nout) {
  *out = NULL;
  *nout = 0;
  struct stat st;
  /* stat first: opening a FIFO would wait for a writer */
  if (stat(path, &st) != 0)
    return cn_error(CN_EIO, "wisdom: cannot read '%s': %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode)) return cn_error(CN_EIO, "wisdom: '%s' is not a regular file", path);
  void *data;
  size_t len;
  CN_TRY(cn_read_file(path, WISDOM_MAX_BYTES, &data, &len));
  char *text = realloc(data, len + 1);
  if (!text) {
    free(data);
    return cn_error(CN_ENOMEM, "wisdom: out of memory reading '%s'", path);
  }
  text[len] = '\0';
  cn_status s = CN_OK;
  if (memchr(text, '\0', len)) s = cn_error(CN_EFORMAT, "wisdom: '%s' is not text", path);
  entry *list = NULL;
  int n = 0, lineno = 0;
  char *save = NULL;
  for (char *line = s == CN_OK ? strtok_r(text, "\n", &save) : NULL; line && s == CN_OK;
       line = strtok_r(NULL, "\n", &save)) {
    lineno++;
    size_t l = strlen(line);
    if (l && line[l - 1] == '\r') line[l - 1] = '\0';
    if (lineno == 1) {
      if (strcmp(line, WISDOM_HEADER) != 0)
        s = cn_error(CN_EFORMAT, "wisdom: '%s' does not start with '%s'", path, WISDOM_HEADER);
      continue;
    }
    entry e;
    if (!parse_line(line, &e))
      s = cn_error(CN_EFORMAT, "wisdom: '%s' line %d is not a valid entry", path, lineno);
    else if (!put(&list, &n, &e))
      s = cn_error(CN_EFORMAT, "wisdom: '%s' has more than %d entries", path,
                   WISDOM_MAX_ENTRIES);
  }
  if (s == CN_OK && lineno == 0)
    s = cn_error(CN_EFORMAT, "wisdom: '%s' is empty", path);
  free(text);
  if (s != CN_OK) {
    free(list);
    return s;
  }
  *out = list;
  *nout = n;
  return CN_OK;
}

static cn_status write_wisdom(const char *path, const entry *list, int n) {
  cn_atomic_file f;
  CN_TRY(cn_atomic_begin(&f, path));
  fprintf(f.fp, "%s\n", WISDOM_HEADER);
  for (int i = 0; i < n; i++)
    fprintf(f.fp, "%s %lld %s %d %lld %s\n", list[i].cls, (long long)list[i].n,
            cn_dtype_name(list[i].dtype), list[i].threads, (long long)list[i].variant,
            cn_cann_method_name(list[i].method));
  return cn_atomic_commit(&f);
}

/* Under the lock: merge a file's entries into the cache (the cache wins
 * when `keep_cache`). */
static cn_status import_locked(const char *path, bool keep_cache) {
  entry *list;
  int n;
  CN_TRY(read_wisdom(path, &list, &n));
  for (int i = 0; i < n; i++) {
    bool known = false;
    for (int j = 0; keep_cache && j < ncache; j++) known = known || same_key(&cache[j], &list[i]);
    if (!known) put(&cache, &ncache, &list[i]);
  }
  free(list);
  return CN_OK;
}

static cn_status export_locked(const char *path) {
  /* keep what other processes added to the file meanwhile */
  if (cn_file_exists(path)) (void)import_locked(path, true);
  return write_wisdom(path, cache, ncache);
}

cn_status cn_cann_wisdom_import(const char *path) {
  if (!path) return cn_error(CN_EINVAL, "wisdom_import: no file name");
  pthread_mutex_lock(&lock);
  cn_status s = import_locked(path, false);
  pthread_mutex_unlock(&lock);
  return s;
}

cn_status cn_cann_wisdom_export(const char *path) {
  if (!path) return cn_error(CN_EINVAL, "wisdom_export: no file name");
  pthread_mutex_lock(&lock);
  cn_status s = write_wisdom(path, cache, ncache);
  pthread_mutex_unlock(&lock);
  return s;
}

void cn_cann_wisdom_forget(void) {
  pthread_mutex_lock(&lock);
  free(cache);
  cache = NULL;
  ncache = 0;
  env_done = true; /* the environment's file is not re-read */
  pthread_mutex_unlock(&lock);
}

/* --- the choice ------------------------------------------------------------ */

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void recurrent(cann_impl *c) {
  if (c->rank == 1)
    cn_cann1d_recurrent(c);
  else
    cn_cann2d_recurrent(c);
}

/* Seconds per recurrent product with method m (its parts built). */
static double time_method(cann_impl *c, cn_cann_method m) {
  c->method = m;
  recurrent(c); /* warm-up: caches, FFTW's first touch */
  double best = INFINITY, total = 0;
  for (int rep = 0; rep < PLAN_MAX_REPS && (rep < PLAN_MIN_REPS || total < PLAN_BUDGET_S);
       rep++) {
    double t0 = now();
    recurrent(c);
    double t = now() - t0;
    total += t;
    if (t < best) best = t;
  }
  return best;
}

cn_status cn_cann_plan(cann_impl *c, int64_t variant, const cn_cann_method *cand, int nc,
                       cn_cann_build_fn build, void *ctx) {
  entry key;
  memset(&key, 0, sizeof key);
  snprintf(key.cls, sizeof key.cls, "%s", class_name(c));
  key.n = c->p.n, key.variant = variant, key.dtype = c->p.dtype;
  key.threads = cn_num_threads();
  cn_cann_method known = CN_CANN_AUTO;
  pthread_mutex_lock(&lock);
  const char *wisdom = getenv("CANNS_WISDOM");
  if (!env_done) {
    env_done = true;
    if (wisdom && *wisdom && cn_file_exists(wisdom)) (void)import_locked(wisdom, true);
  }
  for (int i = 0; i < ncache; i++)
    if (same_key(&cache[i], &key)) known = cache[i].method;
  pthread_mutex_unlock(&lock);
  /* a remembered method is used only when it is one of today's candidates */
  for (int i = 0; i < nc; i++)
    if (cand[i] == known) {
      c->method = known;
      return build(c, known, ctx);
    }
  if (nc == 1) {
    c->method = cand[0];
    return build(c, cand[0], ctx);
  }
  cn_cann_method best = cand[0];
  double tbest = INFINITY;
  cn_status s = CN_OK;
  cn_ftz_state fp = cn_ftz_begin(); /* as in the steps: no denormal stalls */
  for (int i = 0; i < nc && s == CN_OK; i++) {
    s = build(c, cand[i], ctx);
    if (s != CN_OK) break;
    double t = time_method(c, cand[i]);
    if (t < tbest) tbest = t, best = cand[i];
    /* keep only the best so far: at most two methods' parts at once */
    cn_cann_free_parts(c, best);
  }
  cn_ftz_end(fp);
  if (s != CN_OK) {
    cn_cann_free_parts(c, CN_CANN_AUTO);
    return s;
  }
  c->method = best;
  key.method = best;
  pthread_mutex_lock(&lock);
  put(&cache, &ncache, &key);
  if (wisdom && *wisdom) (void)export_locked(wisdom); /* a hint: failures are not errors */
  pthread_mutex_unlock(&lock);
  return CN_OK;
}
