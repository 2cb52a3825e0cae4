/* canns — atomic output files and small file helpers. */
#include "canns/fileutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dupstr(const char *s) {
  size_t n = strlen(s) + 1;
  char *d = malloc(n);
  if (d) memcpy(d, s, n);
  return d;
}

/* `path` with the symbolic links of its last component resolved (a chain
 * of at most 40, like the kernel's limit); malloc'd. */
static cn_status resolve_links(const char *path, char **out) {
  char *cur = dupstr(path);
  if (!cur) return cn_error(CN_ENOMEM, "out of memory");
  for (int hops = 0;; hops++) {
    struct stat st;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) {
      *out = cur;
      return CN_OK;
    }
    if (hops == 40) {
      free(cur);
      return cn_error(CN_EIO, "cannot write '%s': %s", path, strerror(ELOOP));
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 256;
    char *t = NULL;
    ssize_t n;
    for (;;) {
      char *g = realloc(t, cap);
      if (!g) {
        free(t);
        free(cur);
        return cn_error(CN_ENOMEM, "out of memory");
      }
      t = g;
      n = readlink(cur, t, cap);
      if (n < 0 || (size_t)n < cap) break;
      cap *= 2; /* the link changed meanwhile */
    }
    if (n < 0) {
      int e = errno;
      free(t);
      free(cur);
      return cn_error(CN_EIO, "cannot write '%s': %s", path, strerror(e));
    }
    t[n] = 0;
    const char *slash = strrchr(cur, '/');
    size_t dirlen = t[0] == '/' || !slash ? 0 : (size_t)(slash - cur + 1);
    char *next = malloc(dirlen + (size_t)n + 1);
    if (!next) {
      free(t);
      free(cur);
      return cn_error(CN_ENOMEM, "out of memory");
    }
    memcpy(next, cur, dirlen);
    memcpy(next + dirlen, t, (size_t)n + 1);
    free(t);
    free(cur);
    cur = next;
  }
}

/* mkstemp on "<dir>.<base>.canns-tmp.XXXXXX" (dir ends in '/' or is ""). */
static cn_status make_temp(cn_atomic_file *f, const char *dir, size_t dirlen,
                           const char *base, int *fd_out) {
  size_t cap = dirlen + strlen(base) + sizeof CN_TMP_TAG + 16;
  f->tmp = malloc(cap);
  if (!f->tmp) return cn_error(CN_ENOMEM, "out of memory");
  memcpy(f->tmp, dir, dirlen);
  snprintf(f->tmp + dirlen, cap - dirlen, ".%s" CN_TMP_TAG "XXXXXX", base);
  int fd = mkstemp(f->tmp);
  if (fd < 0) {
    int e = errno;
    free(f->tmp);
    f->tmp = NULL;
    return cn_error(CN_EIO, "cannot create '%s': %s", f->path, strerror(e));
  }
  *fd_out = fd;
  return CN_OK;
}

static void release(cn_atomic_file *f) {
  free(f->path);
  free(f->tmp);
  free(f->target);
  memset(f, 0, sizeof *f);
}

/* Fill f for `path`; with want_fd, *fd_out is open for writing the data
 * (the temporary file, or the device itself when f->direct). */
static cn_status reserve(cn_atomic_file *f, const char *path, bool want_fd,
                         int *fd_out) {
  memset(f, 0, sizeof *f);
  *fd_out = -1;
  if (!path || !*path) return cn_error(CN_EINVAL, "empty file name");
  size_t n = strlen(path);
  if (path[n - 1] == '/')
    return cn_error(CN_EINVAL, "'%s' names a directory, not a file", path);
  f->path = dupstr(path);
  if (!f->path) return cn_error(CN_ENOMEM, "out of memory");
  cn_status s = resolve_links(path, &f->target);
  if (s != CN_OK) {
    release(f);
    return s;
  }
  struct stat st;
  bool exists = stat(f->target, &st) == 0;
  if (exists && S_ISDIR(st.st_mode)) {
    release(f);
    return cn_error(CN_EIO, "'%s' is a directory", path);
  }
  f->direct = exists && !S_ISREG(st.st_mode);
  const char *slash = strrchr(f->target, '/');
  const char *base = slash ? slash + 1 : f->target;
  int fd;
  if (f->direct && want_fd) {
    /* no O_TRUNC: meaningless for a FIFO or character device, harmful for
     * a block device */
    fd = open(f->target, O_WRONLY | O_CLOEXEC);
    if (fd < 0) {
      int e = errno;
      release(f);
      return cn_error(CN_EIO, "cannot open '%s' for writing: %s", path, strerror(e));
    }
    *fd_out = fd;
    return CN_OK;
  }
  if (f->direct) { /* a scratch file for the library, copied in at commit */
    const char *t = getenv("TMPDIR");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/", t && *t ? t : "/tmp");
    s = make_temp(f, dir, strlen(dir), base, &fd);
  } else {
    s = make_temp(f, f->target, slash ? (size_t)(slash - f->target + 1) : 0,
                  base, &fd);
  }
  if (s != CN_OK) {
    release(f);
    return s;
  }
  /* mkstemp makes the file 0600: give it the replaced file's permissions,
   * or the usual ones. */
  mode_t um = umask(0);
  umask(um);
  fchmod(fd, exists && !f->direct ? st.st_mode & 07777 : 0666 & ~um);
  *fd_out = fd;
  return CN_OK;
}

cn_status cn_atomic_begin(cn_atomic_file *f, const char *path) {
  int fd;
  CN_TRY(reserve(f, path, true, &fd));
  f->fp = fdopen(fd, "wb");
  if (!f->fp) {
    int e = errno;
    close(fd);
    cn_atomic_abort(f);
    return cn_error(CN_EIO, "cannot open '%s' for writing: %s", path, strerror(e));
  }
  return CN_OK;
}

cn_status cn_atomic_begin_name(cn_atomic_file *f, const char *path) {
  int fd;
  CN_TRY(reserve(f, path, false, &fd));
  close(fd);
  return CN_OK;
}

/* Copy the scratch file into the device (every short write is an error). */
static int copy_into(const char *from, const char *to) {
  int in = open(from, O_RDONLY | O_CLOEXEC);
  if (in < 0) return errno;
  int out = open(to, O_WRONLY | O_CLOEXEC);
  if (out < 0) {
    int e = errno;
    close(in);
    return e;
  }
  char buf[1 << 16];
  int err = 0;
  for (;;) {
    ssize_t got = read(in, buf, sizeof buf);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) { err = errno; break; }
    if (got == 0) break;
    for (ssize_t done = 0; done < got;) {
      ssize_t w = write(out, buf + done, (size_t)(got - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) { err = errno; break; }
      if (w == 0) { err = EIO; break; }
      done += w;
    }
    if (err) break;
  }
  close(in);
  if (close(out) != 0 && !err) err = errno;
  return err;
}

cn_status cn_atomic_commit(cn_atomic_file *f) {
  int failed = 0, err = 0;
  if (f->fp) {
    errno = 0;
    if (fflush(f->fp) != 0 || ferror(f->fp)) { failed = 1; err = errno ? errno : EIO; }
    if (fclose(f->fp) != 0 && !failed) { failed = 1; err = errno; }
    f->fp = NULL;
  }
  if (!failed && f->tmp) {
    if (f->direct) {
      err = copy_into(f->tmp, f->target);
      failed = err != 0;
    } else if (rename(f->tmp, f->target) != 0) {
      failed = 1;
      err = errno;
    } else {
      free(f->tmp);
      f->tmp = NULL; /* renamed: nothing to remove */
    }
  }
  if (failed) {
    char path[512];
    snprintf(path, sizeof path, "%s", f->path ? f->path : "?");
    cn_atomic_abort(f);
    return cn_error(CN_EIO, "cannot write '%s': %s", path, strerror(err));
  }
  cn_atomic_abort(f); /* removes a device's scratch file, frees */
  return CN_OK;
}

void cn_atomic_abort(cn_atomic_file *f) {
  if (f->fp) fclose(f->fp);
  if (f->tmp) unlink(f->tmp);
  release(f);
}

cn_status cn_mkdir_p(const char *path) {
  if (!path || !*path) return cn_error(CN_EINVAL, "empty directory name");
  char *p = dupstr(path);
  if (!p) return cn_error(CN_ENOMEM, "out of memory");
  for (char *s = p + 1;; s++) {
    if (*s == '/' || *s == 0) {
      char c = *s;
      *s = 0;
      if (mkdir(p, 0777) != 0 && errno != EEXIST) {
        int e = errno;
        cn_status r = cn_error(CN_EIO, "cannot create directory '%s': %s", p, strerror(e));
        free(p);
        return r;
      }
      *s = c;
      if (c == 0) break;
    }
  }
  struct stat st;
  int ok = stat(p, &st) == 0 && S_ISDIR(st.st_mode);
  free(p);
  if (!ok) return cn_error(CN_EIO, "'%s' exists and is not a directory", path);
  return CN_OK;
}

cn_status cn_read_file(const char *path, size_t max_bytes, void **data,
                       size_t *len) {
  *data = NULL;
  *len = 0;
  FILE *fp = fopen(path, "rb");
  if (!fp) return cn_error(CN_EIO, "cannot open '%s': %s", path, strerror(errno));
  struct stat st;
  if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
    fclose(fp);
    return cn_error(CN_EIO, "'%s' is not a regular file", path);
  }
  if ((size_t)st.st_size > max_bytes) {
    fclose(fp);
    return cn_error(CN_ENOMEM, "'%s' is too large (%lld bytes)", path, (long long)st.st_size);
  }
  size_t n = (size_t)st.st_size;
  char *buf = malloc(n ? n : 1);
  if (!buf) {
    fclose(fp);
    return cn_error(CN_ENOMEM, "out of memory reading '%s'", path);
  }
  size_t got = fread(buf, 1, n, fp);
  fclose(fp);
  if (got != n) {
    free(buf);
    return cn_error(CN_EIO, "short read from '%s'", path);
  }
  *data = buf;
  *len = n;
  return CN_OK;
}

bool cn_file_exists(const char *path) {
  struct stat st;
  return path && stat(path, &st) == 0;
}
