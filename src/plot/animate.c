/* canns — animations: frames rendered in parallel (OpenMP threads) and
 * streamed to the encoder in frame order.
 *
 * A ring of K = 2 x threads slots bounds memory: a thread claims the next
 * frame only when its slot has been written out, renders it (and, for a
 * GIF, quantises and LZW-encodes it) into the slot, then - if no other
 * thread is writing
 * - writes every consecutive finished frame.  Whichever thread finishes
 * the frame the encoder waits for does the writing, so no thread idles
 * as a dedicated writer.  Each frame is a pure function of the (read-only)
 * figure and its index, so the file does not depend on the thread count.
 */
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canns/progress.h"
#include "plot/internal.h"

void cn_anim_opts_init(cn_anim_opts *o) {
  o->fps = 30;
  o->dpi = 150;
  o->nthreads = 0;
  o->progress = true;
  o->format = NULL;
  o->loop = 0;
  o->label = NULL;
}

typedef struct slot {
  uint32_t *px;       /* w*h xRGB */
  pl_gif_frame gif;   /* quantised frame (GIF only) */
  uint8_t *bytes;     /* its encoded GIF blocks */
  size_t len;
  bool ready;
} slot;

typedef struct job {
  cn_fig *fig;
  const int64_t *steps;
  int nframes, w, h, K;
  double dpi, fps;
  bool is_gif;
  cn_gif *gif;
  cn_video *video;
  cn_progress *bar;
  slot *slots;
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int next_claim, next_write;
  bool writing;
  cn_status err;
  char errmsg[1024];
} job;

static void fail_locked(job *j, cn_status s) {
  if (j->err == CN_OK) {
    j->err = s;
    snprintf(j->errmsg, sizeof j->errmsg, "%s", cn_errmsg());
  }
  pthread_cond_broadcast(&j->cv);
}

static cn_status render(job *j, int f, slot *sl) {
  CN_TRY(pl_fig_render_xrgb(j->fig, j->dpi, j->steps[f], f, sl->px, j->w, j->h));
  if (j->is_gif) {
    CN_TRY(pl_gif_quantize(sl->px, j->w, j->h, &sl->gif));
    free(sl->bytes), sl->bytes = NULL;
    CN_TRY(pl_gif_encode(&sl->gif, j->w, j->h, cn_gif_delay_cs(j->fps, f), &sl->bytes, &sl->len));
  }
  return CN_OK;
}

static cn_status write_frame(job *j, int f, slot *sl) {
  (void)f;
  if (j->is_gif) return pl_gif_write_encoded(j->gif, sl->bytes, sl->len);
  return pl_video_write_xrgb(j->video, sl->px);
}

/* Write consecutive finished frames; called with the lock held. */
static void drain_locked(job *j) {
  if (j->writing) return;
  j->writing = true;
  while (j->err == CN_OK && j->next_write < j->nframes) {
    slot *sl = &j->slots[j->next_write % j->K];
    if (!sl->ready) break;
    int f = j->next_write;
    pthread_mutex_unlock(&j->mu);
    cn_status s = write_frame(j, f, sl);
    cn_progress_tick(j->bar, 1);
    pthread_mutex_lock(&j->mu);
    if (s != CN_OK) {
      fail_locked(j, s);
      break;
    }
    sl->ready = false;
    j->next_write++;
    pthread_cond_broadcast(&j->cv);
  }
  j->writing = false;
}

static void worker(job *j) {
  pthread_mutex_lock(&j->mu);
  for (;;) {
    if (j->err != CN_OK || j->next_claim >= j->nframes) break;
    int f = j->next_claim;
    if (f - j->next_write >= j->K) { /* its slot still holds an unwritten frame */
      drain_locked(j);
      if (f - j->next_write >= j->K && j->err == CN_OK) pthread_cond_wait(&j->cv, &j->mu);
      continue;
    }
    j->next_claim++;
    slot *sl = &j->slots[f % j->K];
    pthread_mutex_unlock(&j->mu);
    cn_status s = render(j, f, sl);
    pthread_mutex_lock(&j->mu);
    if (s != CN_OK) {
      fail_locked(j, s);
      break;
    }
    sl->ready = true;
    drain_locked(j);
  }
  /* the last thread out writes what is left */
  drain_locked(j);
  pthread_cond_broadcast(&j->cv);
  pthread_mutex_unlock(&j->mu);
}

static cn_status check_frames(cn_fig *fig, const int64_t *steps, int nframes) {
  int64_t maxstep = 0;
  for (int f = 0; f < nframes; f++) {
    if (steps[f] < 0)
      return cn_error(CN_EINVAL, "frame %d shows step %lld; steps must be non-negative", f,
                      (long long)steps[f]);
    if (steps[f] > maxstep) maxstep = steps[f];
  }
  for (int i = 0; i < fig->naxes; i++) {
    const cn_axes *ax = fig->axes[i];
    for (int k = 0; k < ax->nart; k++) {
      const pl_artist *a = ax->art[k];
      if (a->animated && maxstep >= a->T)
        return cn_error(CN_ESHAPE, "an animated artist has %lld time steps but frames reach "
                        "step %lld", (long long)a->T, (long long)maxstep + 1);
      if (a->frames && a->nframes < nframes)
        return cn_error(CN_ESHAPE, "a text has %d per-frame strings for %d frames",
                        a->nframes, nframes);
    }
  }
  for (int k = 0; k < fig->ntext; k++)
    if (fig->text[k]->frames && fig->text[k]->nframes < nframes)
      return cn_error(CN_ESHAPE, "a figure text has %d per-frame strings for %d frames",
                      fig->text[k]->nframes, nframes);
  return CN_OK;
}

cn_status cn_fig_animate(cn_fig *fig, const char *path, const int64_t *steps, int nframes,
                         const cn_anim_opts *o) {
  cn_anim_opts def;
  if (!o) cn_anim_opts_init(&def), o = &def;
  if (!fig || !steps) return cn_error(CN_EINVAL, "animate: figure and steps are required");
  if (nframes < 1)
    return cn_error(CN_EINVAL, "an animation needs at least one frame, got %d", nframes);
  if (!(o->fps > 0) || !isfinite(o->fps) || o->fps > 1000)
    return cn_error(CN_EINVAL, "fps must be in (0, 1000], got %g", cn_fabs_nan(o->fps));
  if (!(o->dpi > 0) || !isfinite(o->dpi) || o->dpi > 1200)
    return cn_error(CN_EINVAL, "dpi must be in (0, 1200], got %g", cn_fabs_nan(o->dpi));
  const char *fmt = o->format ? o->format : cn_plot_format_of(path);
  if (!fmt)
    return cn_error(CN_EINVAL, "cannot tell the animation format of '%s' (use a .gif or "
                    ".mp4 name, or give a format)", path ? path : "");
  bool is_gif = strcmp(fmt, "gif") == 0;
  bool is_video = !is_gif && (strcmp(fmt, "mp4") == 0 || strcmp(fmt, "m4v") == 0 ||
                              strcmp(fmt, "mov") == 0 || strcmp(fmt, "mkv") == 0 ||
                              strcmp(fmt, "avi") == 0 || strcmp(fmt, "webm") == 0);
  if (!is_gif && !is_video)
    return cn_error(CN_EINVAL, "unsupported animation format '%s' (expected gif, mp4, m4v, "
                    "mov, mkv, avi or webm)", fmt);
  CN_TRY(check_frames(fig, steps, nframes));
  CN_TRY(pl_fig_layout(fig));
  /* frames are the whole figure: cn_axes_data_to_pixel maps into them */
  fig->last_scale = o->dpi / 72, fig->last_x0 = fig->last_y0 = 0;
  int w = (int)lround(fig->w * o->dpi / 72), h = (int)lround(fig->h * o->dpi / 72);
  if (w < 2 || h < 2 || (double)w * h > 1e8)
    return cn_error(CN_ERANGE, "frames of %d x %d pixels are out of range (change dpi)", w, h);
  if (is_video) {
    /* yuv420p needs even sizes: round the frame up */
    w += w & 1, h += h & 1;
  }
  int nt = o->nthreads > 0 ? o->nthreads : cn_num_threads();
  if (nt < 1) nt = 1;
  if (nt > 64) nt = 64;
  if (nt > nframes) nt = nframes;
  job j;
  memset(&j, 0, sizeof j);
  j.fig = fig, j.steps = steps, j.nframes = nframes, j.w = w, j.h = h;
  j.dpi = o->dpi, j.fps = o->fps, j.is_gif = is_gif;
  j.K = 2 * nt;
  j.slots = calloc(j.K, sizeof *j.slots);
  if (!j.slots) return cn_error(CN_ENOMEM, "out of memory for animation frames");
  cn_status s = CN_OK;
  for (int k = 0; k < j.K && s == CN_OK; k++) {
    j.slots[k].px = malloc((size_t)w * h * 4);
    if (is_gif) j.slots[k].gif.index = malloc((size_t)w * h);
    if (!j.slots[k].px || (is_gif && !j.slots[k].gif.index))
      s = cn_error(CN_ENOMEM, "out of memory for %d frames of %d x %d", j.K, w, h);
  }
  if (s == CN_OK) {
    s = is_gif ? cn_gif_open(&j.gif, path, w, h, o->loop)
               : cn_video_open(&j.video, path, fmt, w, h, o->fps);
  }
  if (s == CN_OK) {
    char label[512];
    if (o->label) snprintf(label, sizeof label, "%s", o->label);
    else snprintf(label, sizeof label, "Rendering %s", path);
    j.bar = o->progress ? cn_progress_new(label, nframes) : NULL;
    pthread_mutex_init(&j.mu, NULL);
    pthread_cond_init(&j.cv, NULL);
#pragma omp parallel num_threads(nt)
    worker(&j);
    pthread_mutex_destroy(&j.mu);
    pthread_cond_destroy(&j.cv);
    cn_progress_free(j.bar);
    if (j.err == CN_OK && j.next_write != nframes)
      j.err = CN_EINTERNAL, snprintf(j.errmsg, sizeof j.errmsg, "animation stopped early");
    if (j.err != CN_OK) {
      if (is_gif) cn_gif_abort(j.gif);
      else cn_video_abort(j.video);
      s = cn_error(j.err, "%s", j.errmsg);
    } else {
      s = is_gif ? cn_gif_close(j.gif) : cn_video_close(j.video);
    }
  }
  for (int k = 0; k < j.K; k++)
    free(j.slots[k].px), free(j.slots[k].gif.index), free(j.slots[k].bytes);
  free(j.slots);
  return s;
}
