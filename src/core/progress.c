/* canns — terminal progress bar (see include/canns/progress.h). */
#include "canns/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct cn_progress {
  char label[48];
  int64_t total;
  int64_t done;        /* atomic */
  double start;        /* seconds */
  double next_draw;    /* seconds, atomic-ish: guarded by `drawing` */
  int drawing;         /* atomic flag */
  int drawn;           /* something was printed */
  int bytes;           /* counts are bytes: sizes and rates in KiB/MiB/GiB */
};

static int enabled_flag = 1;

void cn_progress_set_enabled(bool on) { enabled_flag = on; }

bool cn_progress_enabled(void) {
  const char *e = getenv("CANNS_PROGRESS");
  if (e && strcmp(e, "0") == 0) return false;
  return enabled_flag && isatty(2);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

void cn_progress_format_time(double s, char *buf, int n) {
  if (!(s >= 0) || s > 360000) {
    snprintf(buf, n, "--:--");
    return;
  }
  long t = (long)(s + 0.5);
  if (t >= 3600)
    snprintf(buf, n, "%ld:%02ld:%02ld", t / 3600, (t / 60) % 60, t % 60);
  else
    snprintf(buf, n, "%02ld:%02ld", t / 60, t % 60);
}

cn_progress *cn_progress_new(const char *label, int64_t total) {
  if (total <= 0 || !cn_progress_enabled()) return NULL;
  cn_progress *p = calloc(1, sizeof *p);
  if (!p) return NULL;
  snprintf(p->label, sizeof p->label, "%s", label ? label : "");
  p->total = total;
  p->start = now();
  p->next_draw = p->start + 0.1;
  return p;
}

cn_progress *cn_progress_new_bytes(const char *label, int64_t total) {
  cn_progress *p = cn_progress_new(label, total);
  if (p) p->bytes = 1;
  return p;
}

/* A byte count with a binary unit: "512 B", "3.2 MiB". */
static void fmt_bytes(double b, char *buf, int n) {
  static const char *const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (b >= 1024 && u < 4) { b /= 1024; u++; }
  snprintf(buf, n, u ? "%.1f %s" : "%.0f %s", b, units[u]);
}

static void draw(cn_progress *p, int64_t done, bool final) {
  double t = now(), el = t - p->start;
  double rate = el > 0 ? done / el : 0;
  double frac = (double)done / (double)p->total;
  if (frac > 1) frac = 1;
  char eta[32], elapsed[32], bar[32];
  cn_progress_format_time(rate > 0 ? (p->total - done) / rate : -1, eta, sizeof eta);
  cn_progress_format_time(el, elapsed, sizeof elapsed);
  int w = 24, fill = (int)(frac * w);
  for (int i = 0; i < w; i++) bar[i] = i < fill ? '#' : '.';
  bar[w] = 0;
  if (p->bytes) {
    char sd[32], st[32], sr[32];
    fmt_bytes((double)done, sd, sizeof sd);
    fmt_bytes((double)p->total, st, sizeof st);
    fmt_bytes(rate, sr, sizeof sr);
    fprintf(stderr, "\r%s [%s] %3d%% %s/%s %s/s %s %s\033[K%s", p->label, bar,
            (int)(frac * 100), sd, st, sr, final ? "in" : "ETA", final ? elapsed : eta,
            final ? "\n" : "");
    fflush(stderr);
    p->drawn = 1;
    return;
  }
  const char *unit = "it/s";
  double r = rate;
  if (r >= 1e6) { r /= 1e6; unit = "Mit/s"; }
  else if (r >= 1e3) { r /= 1e3; unit = "kit/s"; }
  fprintf(stderr, "\r%s [%s] %3d%% %lld/%lld %.1f %s %s %s\033[K%s", p->label, bar,
          (int)(frac * 100), (long long)done, (long long)p->total, r, unit,
          final ? "in" : "ETA", final ? elapsed : eta, final ? "\n" : "");
  fflush(stderr);
  p->drawn = 1;
}

void cn_progress_tick(cn_progress *p, int64_t n) {
  if (!p) return;
  int64_t done = __atomic_add_fetch(&p->done, n, __ATOMIC_RELAXED);
  double t = now();
  if (t < p->next_draw) return;
  int expected = 0;
  if (!__atomic_compare_exchange_n(&p->drawing, &expected, 1, false,
                                   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
    return;
  if (t >= p->next_draw) {
    draw(p, done, false);
    p->next_draw = t + 0.1;
  }
  __atomic_store_n(&p->drawing, 0, __ATOMIC_RELEASE);
}

void cn_progress_free(cn_progress *p) {
  if (!p) return;
  draw(p, __atomic_load_n(&p->done, __ATOMIC_RELAXED), true);
  free(p);
}
