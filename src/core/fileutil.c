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

/* Reserve a unique temporary name next to `path`: "<dir>/.<base>.XXXXXX". */
static cn_status reserve(cn_atomic_file *f, const char *path, int *fd_out) {
  memset(f, 0, sizeof *f);
  if (!path || !*path) return cn_error(CN_EINVAL, "empty file name");
  size_t n = strlen(path);
  if (path[n - 1] == '/')
    return cn_error(CN_EINVAL, "'%s' names a directory, not a file", path);
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
    return cn_error(CN_EIO, "'%s' is a directory", path);
  const char *slash = strrchr(path, '/');
  size_t dirlen = slash ? (size_t)(slash - path + 1) : 0;
  f->path = dupstr(path);
  f->tmp = malloc(n + 16);
  if (!f->path || !f->tmp) {
    free(f->path);
    free(f->tmp);
    memset(f, 0, sizeof *f);
    return cn_error(CN_ENOMEM, "out of memory");
  }
  memcpy(f->tmp, path, dirlen);
  snprintf(f->tmp + dirlen, n + 16 - dirlen, ".%s.XXXXXX", path + dirlen);
  int fd = mkstemp(f->tmp);
  if (fd < 0) {
    int e = errno;
    free(f->path);
    free(f->tmp);
    memset(f, 0, sizeof *f);
    return cn_error(CN_EIO, "cannot create '%s': %s", path, strerror(e));
  }
  /* mkstemp makes the file 0600; give it the usual permissions. */
  mode_t um = umask(0);
  umask(um);
  fchmod(fd, 0666 & ~um);
  *fd_out = fd;
  return CN_OK;
}

cn_status cn_atomic_begin(cn_atomic_file *f, const char *path) {
  int fd;
  CN_TRY(reserve(f, path, &fd));
  f->fp = fdopen(fd, "wb");
  if (!f->fp) {
    close(fd);
    cn_atomic_abort(f);
    return cn_error(CN_EIO, "cannot open '%s' for writing", path);
  }
  return CN_OK;
}

cn_status cn_atomic_begin_name(cn_atomic_file *f, const char *path) {
  int fd;
  CN_TRY(reserve(f, path, &fd));
  close(fd);
  return CN_OK;
}

cn_status cn_atomic_commit(cn_atomic_file *f) {
  int failed = 0, err = 0;
  if (f->fp) {
    if (fflush(f->fp) != 0 || ferror(f->fp)) { failed = 1; err = errno; }
    if (fclose(f->fp) != 0 && !failed) { failed = 1; err = errno; }
    f->fp = NULL;
  }
  if (!failed && rename(f->tmp, f->path) != 0) { failed = 1; err = errno; }
  if (failed) {
    char path[512];
    snprintf(path, sizeof path, "%s", f->path ? f->path : "?");
    cn_atomic_abort(f);
    return cn_error(CN_EIO, "cannot write '%s': %s", path, strerror(err));
  }
  free(f->path);
  free(f->tmp);
  memset(f, 0, sizeof *f);
  return CN_OK;
}

void cn_atomic_abort(cn_atomic_file *f) {
  if (f->fp) fclose(f->fp);
  if (f->tmp) unlink(f->tmp);
  free(f->path);
  free(f->tmp);
  memset(f, 0, sizeof *f);
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
