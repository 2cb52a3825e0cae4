/* canns — video files (MP4, MOV, M4V, MKV, AVI, WebM) through the ffmpeg
 * program: raw frames are streamed to its standard input and it encodes
 * them (H.264 yuv420p for MP4/MOV/M4V/MKV, MPEG-4 part 2 for AVI, VP9
 * for WebM) into a temporary file that is renamed into place when ffmpeg
 * succeeds.  ffmpeg is optional at run time: without it, opening a video
 * is a clear error.  CANNS_FFMPEG names another ffmpeg binary.
 *
 * The program is started with posix_spawn (no shell, so any file name
 * is safe); SIGPIPE is blocked on the writing thread while writing, so a
 * crashed encoder is an error message, never a killed process.
 */
#define _GNU_SOURCE /* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "canns/fileutil.h"
#include "plot/internal.h"

extern char **environ;

struct cn_video {
  cn_atomic_file file;
  pid_t pid;
  int in_fd, err_fd;
  int w, h;        /* frame size given by the caller */
  int W, H;        /* encoded size (even for yuv420p) */
  uint32_t *buf;   /* W*H xRGB pixels for padding / conversion */
  char err[2048];  /* tail of ffmpeg's messages */
  size_t errlen;
  int64_t frames;
  bool failed;
};

static const char *ffmpeg_program(void) {
  const char *p = getenv("CANNS_FFMPEG");
  return p && *p ? p : "ffmpeg";
}

static bool find_program(const char *name, char *out, size_t n) {
  if (strchr(name, '/')) {
    snprintf(out, n, "%s", name);
    return access(name, X_OK) == 0;
  }
  const char *path = getenv("PATH");
  if (!path) path = "/usr/bin:/bin";
  while (*path) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    snprintf(out, n, "%.*s/%s", (int)len, len ? path : ".", name);
    struct stat st;
    if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) return true;
    if (!end) break;
    path = end + 1;
  }
  return false;
}

bool cn_video_available(void) {
  char buf[1024];
  return find_program(ffmpeg_program(), buf, sizeof buf);
}

static void drain_err(cn_video *v, bool block) {
  char tmp[512];
  for (;;) {
    ssize_t r = read(v->err_fd, tmp, sizeof tmp);
    if (r > 0) {
      /* keep the last bytes (tmp is smaller than err) */
      if (v->errlen + r >= sizeof v->err) {
        size_t drop = v->errlen + r - (sizeof v->err - 1);
        memmove(v->err, v->err + drop, v->errlen - drop);
        v->errlen -= drop;
      }
      memcpy(v->err + v->errlen, tmp, r);
      v->errlen += r;
      v->err[v->errlen] = 0;
      continue;
    }
    if (r < 0 && errno == EINTR) continue;
    if (r < 0 && errno == EAGAIN && block) {
      struct timespec ts = {0, 2000000};
      nanosleep(&ts, NULL);
      continue;
    }
    break; /* EOF, or nothing more for now */
  }
}

/* Write all bytes with SIGPIPE blocked on this thread. */
static bool write_all(int fd, const void *data, size_t n) {
  sigset_t pipe_set, old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  const char *p = data;
  bool ok = true;
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      ok = false;
      break;
    }
    p += w, n -= (size_t)w;
  }
  if (!ok) { /* consume the pending SIGPIPE before unblocking */
    struct timespec zero = {0, 0};
    while (sigtimedwait(&pipe_set, NULL, &zero) > 0) {}
  }
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  return ok;
}

static const char *pix_fmt_xrgb(void) {
  const uint32_t probe = 0x00010203u;
  return ((const uint8_t *)&probe)[0] == 0x03 ? "bgr0" : "0rgb";
}

cn_status cn_video_open(cn_video **out, const char *path, const char *format, int width,
                        int height, double fps) {
  const char *fmt = format ? format : cn_plot_format_of(path);
  if (!fmt) return cn_error(CN_EINVAL, "cannot tell the video format of '%s'", path ? path : "");
  const char *mux = NULL;
  const char *const *codec;
  static const char *const h264[] = {"-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset",
                                     "medium", "-crf", "18", NULL};
  static const char *const mpeg4[] = {"-c:v", "mpeg4", "-q:v", "3", "-pix_fmt", "yuv420p", NULL};
  static const char *const vp9[] = {"-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "32",
                                    "-pix_fmt", "yuv420p", "-row-mt", "1", NULL};
  if (strcmp(fmt, "mp4") == 0) mux = "mp4", codec = h264;
  else if (strcmp(fmt, "m4v") == 0) mux = "ipod", codec = h264;
  else if (strcmp(fmt, "mov") == 0) mux = "mov", codec = h264;
  else if (strcmp(fmt, "mkv") == 0) mux = "matroska", codec = h264;
  else if (strcmp(fmt, "avi") == 0) mux = "avi", codec = mpeg4;
  else if (strcmp(fmt, "webm") == 0) mux = "webm", codec = vp9;
  else
    return cn_error(CN_EINVAL, "unsupported video format '%s' (expected mp4, m4v, mov, mkv, "
                    "avi or webm)", fmt);
  if (width < 2 || height < 2 || width > 16384 || height > 16384)
    return cn_error(CN_EINVAL, "video size must be 2..16384 pixels, got %d x %d", width, height);
  if (!(fps > 0) || !isfinite(fps) || fps > 1000)
    return cn_error(CN_EINVAL, "fps must be in (0, 1000], got %g", cn_fabs_nan(fps));
  char prog[1024];
  if (!find_program(ffmpeg_program(), prog, sizeof prog))
    return cn_error(CN_EUNSUP, "writing %s needs the ffmpeg program (Debian package "
                    "'ffmpeg'), which was not found on PATH (or set CANNS_FFMPEG); write a "
                    ".gif instead", fmt);
  CN_TRY(pl_prepare_output(path));
  cn_video *v = calloc(1, sizeof *v);
  if (!v) return cn_error(CN_ENOMEM, "out of memory");
  v->w = width, v->h = height;
  v->W = width + (width & 1), v->H = height + (height & 1);
  v->in_fd = v->err_fd = -1;
  v->buf = malloc((size_t)v->W * v->H * 4);
  if (!v->buf) {
    free(v);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  cn_status s = cn_atomic_begin_name(&v->file, path);
  if (s != CN_OK) {
    free(v->buf), free(v);
    return s;
  }
  int in[2], er[2];
  if (pipe2(in, O_CLOEXEC) != 0) goto syserr;
  if (pipe2(er, O_CLOEXEC) != 0) {
    close(in[0]), close(in[1]);
    goto syserr;
  }
  char size[32], rate[32];
  snprintf(size, sizeof size, "%dx%d", v->W, v->H);
  snprintf(rate, sizeof rate, "%.10g", fps);
  const char *argv[48];
  int k = 0;
  const char *head[] = {prog, "-hide_banner", "-loglevel", "error", "-y", "-f", "rawvideo",
                        "-pix_fmt", pix_fmt_xrgb(), "-s", size, "-framerate", rate, "-i",
                        "pipe:0", "-an", NULL};
  for (int i = 0; head[i]; i++) argv[k++] = head[i];
  for (int i = 0; codec[i]; i++) argv[k++] = codec[i];
  if (strcmp(mux, "mp4") == 0 || strcmp(mux, "mov") == 0 || strcmp(mux, "ipod") == 0)
    argv[k++] = "-movflags", argv[k++] = "+faststart";
  argv[k++] = "-f", argv[k++] = mux, argv[k++] = v->file.tmp, argv[k] = NULL;
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_adddup2(&fa, in[0], 0);
  posix_spawn_file_actions_adddup2(&fa, er[1], 2);
  posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
  int rc = posix_spawn(&v->pid, prog, &fa, NULL, (char *const *)argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  close(in[0]), close(er[1]);
  if (rc != 0) {
    close(in[1]), close(er[0]);
    cn_atomic_abort(&v->file);
    free(v->buf), free(v);
    return cn_error(CN_EIO, "cannot start '%s': %s", prog, strerror(rc));
  }
  v->in_fd = in[1], v->err_fd = er[0];
  fcntl(v->err_fd, F_SETFL, fcntl(v->err_fd, F_GETFL) | O_NONBLOCK);
  *out = v;
  return CN_OK;
syserr:;
  int e = errno;
  cn_atomic_abort(&v->file);
  free(v->buf), free(v);
  return cn_error(CN_EIO, "cannot create a pipe to ffmpeg: %s", strerror(e));
}

/* Append an xRGB frame (w*h pixels, row-major, 0x00RRGGBB). */
cn_status pl_video_write_xrgb(cn_video *v, const uint32_t *px) {
  if (v->failed) return cn_error(CN_EIO, "video encoder already failed");
  const uint32_t *frame = px;
  if (v->W != v->w || v->H != v->h) { /* pad to even size, repeating the edge */
    for (int y = 0; y < v->H; y++) {
      const uint32_t *src = px + (size_t)(y < v->h ? y : v->h - 1) * v->w;
      uint32_t *dst = v->buf + (size_t)y * v->W;
      memcpy(dst, src, (size_t)v->w * 4);
      if (v->W > v->w) dst[v->w] = src[v->w - 1];
    }
    frame = v->buf;
  }
  bool ok = write_all(v->in_fd, frame, (size_t)v->W * v->H * 4);
  drain_err(v, false);
  if (!ok) {
    v->failed = true;
    return cn_error(CN_EIO, "ffmpeg stopped accepting frames for '%s'%s%s", v->file.path,
                    v->errlen ? ": " : "", v->err);
  }
  v->frames++;
  return CN_OK;
}

cn_status cn_video_add_rgb(cn_video *v, const uint8_t *rgb) {
  uint32_t *tmp = malloc((size_t)v->w * v->h * 4);
  if (!tmp) return cn_error(CN_ENOMEM, "out of memory");
  size_t n = (size_t)v->w * v->h;
  for (size_t i = 0; i < n; i++)
    tmp[i] = (uint32_t)rgb[3 * i] << 16 | (uint32_t)rgb[3 * i + 1] << 8 | rgb[3 * i + 2];
  cn_status s = pl_video_write_xrgb(v, tmp);
  free(tmp);
  return s;
}

static int finish(cn_video *v) {
  if (v->in_fd >= 0) close(v->in_fd), v->in_fd = -1;
  fcntl(v->err_fd, F_SETFL, fcntl(v->err_fd, F_GETFL) & ~O_NONBLOCK);
  drain_err(v, true);
  close(v->err_fd), v->err_fd = -1;
  int status = 0;
  while (waitpid(v->pid, &status, 0) < 0 && errno == EINTR) {}
  return status;
}

cn_status cn_video_close(cn_video *v) {
  if (!v) return CN_OK;
  int status = finish(v);
  cn_status s = CN_OK;
  /* trim the message to its last line */
  while (v->errlen && (v->err[v->errlen - 1] == '\n' || v->err[v->errlen - 1] == '\r'))
    v->err[--v->errlen] = 0;
  if (v->frames == 0 && !v->failed)
    s = cn_error(CN_EINVAL, "a video needs at least one frame");
  else if (v->failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
    s = cn_error(CN_EIO, "ffmpeg failed to write '%s'%s%s", v->file.path,
                 v->errlen ? ": " : "", v->err);
  if (s == CN_OK) s = cn_atomic_commit(&v->file);
  else cn_atomic_abort(&v->file);
  free(v->buf), free(v);
  return s;
}

void cn_video_abort(cn_video *v) {
  if (!v) return;
  if (v->in_fd >= 0) close(v->in_fd), v->in_fd = -1;
  kill(v->pid, SIGTERM);
  finish(v);
  cn_atomic_abort(&v->file);
  free(v->buf), free(v);
}
