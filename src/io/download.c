/* canns — downloading into DEST.part with resume, verification and a
 * progress bar (include/canns/download.h).  Transfers are libcurl's;
 * SHA-256 is nettle's. */
#include "canns/download.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canns/progress.h"
#include "canns_config.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static CURLcode curl_init_rc = CURLE_OK;

static void curl_init(void) { curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT); }

const char *cn_download_backend(void) {
  pthread_once(&curl_once, curl_init);
  return curl_version_info(CURLVERSION_NOW)->version;
}

/* ------------------------------------------------------------- SHA-256 */
static void hex_of(const uint8_t *d, char hex[65]) {
  static const char digits[] = "0123456789abcdef";
  for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
    hex[2 * i] = digits[d[i] >> 4];
    hex[2 * i + 1] = digits[d[i] & 15];
  }
  hex[64] = 0;
}

cn_status cn_sha256_file(const char *path, char hex[65]) {
  FILE *fp = fopen(path, "rb");
  if (!fp) return cn_error(CN_EIO, "cannot open '%s': %s", path, strerror(errno));
  struct sha256_ctx ctx;
  sha256_init(&ctx);
  static _Thread_local uint8_t buf[1 << 16];
  size_t got;
  while ((got = fread(buf, 1, sizeof buf, fp)) > 0) sha256_update(&ctx, got, buf);
  int bad = ferror(fp);
  fclose(fp);
  if (bad) return cn_error(CN_EIO, "cannot read '%s'", path);
  uint8_t d[SHA256_DIGEST_SIZE];
  sha256_digest(&ctx, sizeof d, d);
  hex_of(d, hex);
  return CN_OK;
}

static bool valid_hex64(const char *s) {
  if (strlen(s) != 64) return false;
  for (int i = 0; i < 64; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
      return false;
  }
  return true;
}

/* ------------------------------------------------------------ transfer */
typedef struct xfer {
  FILE *fp;
  int write_errno;     /* fwrite failed (disk full) */
  curl_off_t offset;   /* bytes already in .part before this transfer */
  curl_off_t shown;    /* bytes counted on the bar */
  cn_progress *bar;
  const char *label;
} xfer;

static size_t on_data(char *ptr, size_t size, size_t n, void *ud) {
  xfer *x = ud;
  size_t len = size * n;
  if (len && fwrite(ptr, 1, len, x->fp) != len) {
    x->write_errno = errno ? errno : EIO;
    return 0; /* curl stops with CURLE_WRITE_ERROR */
  }
  return len;
}

static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
                       curl_off_t ulnow) {
  xfer *x = ud;
  if (!x->bar && dltotal > 0) {
    x->bar = cn_progress_new_bytes(x->label, (int64_t)(x->offset + dltotal));
    if (x->bar) {
      cn_progress_tick(x->bar, (int64_t)x->offset);
      x->shown = 0;
    }
  }
  if (x->bar && dlnow > x->shown) {
    cn_progress_tick(x->bar, (int64_t)(dlnow - x->shown));
    x->shown = dlnow;
  }
  return 0;
}

static curl_off_t file_size(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return -1;
  return (curl_off_t)st.st_size;
}

/* One transfer of url into part, appended after `offset` bytes (0: the
 * file is truncated first).  Returns the curl code; *http the response
 * code; errbuf curl's message. */
static CURLcode transfer(const char *url, const char *part, curl_off_t offset,
                         const cn_download_opts *o, const char *label, long *http,
                         char errbuf[CURL_ERROR_SIZE], int *write_errno) {
  *http = 0;
  *write_errno = 0;
  errbuf[0] = 0;
  FILE *fp = fopen(part, offset > 0 ? "ab" : "wb");
  if (!fp) {
    *write_errno = errno;
    return CURLE_WRITE_ERROR;
  }
  CURL *c = curl_easy_init();
  if (!c) {
    fclose(fp);
    snprintf(errbuf, CURL_ERROR_SIZE, "libcurl could not start a transfer");
    return CURLE_FAILED_INIT;
  }
  xfer x = {.fp = fp, .offset = offset, .label = label};
  long timeout = o && o->connect_timeout_s > 0 ? o->connect_timeout_s : 30;
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);
  curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, timeout);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, timeout < 30 ? 30L : timeout);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "canns/" CANNS_VERSION " libcurl");
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &x);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &x);
  if (offset > 0) curl_easy_setopt(c, CURLOPT_RESUME_FROM_LARGE, offset);
  CURLcode rc = curl_easy_perform(c);
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, http);
  curl_easy_cleanup(c);
  if (x.bar) {
    if (rc == CURLE_OK) cn_progress_free(x.bar);
    else { fputc('\n', stderr); free(x.bar); } /* keep the bar's last line */
  }
  if (fclose(fp) != 0 && rc == CURLE_OK) {
    x.write_errno = errno;
    rc = CURLE_WRITE_ERROR;
  }
  *write_errno = x.write_errno;
  if (!errbuf[0]) snprintf(errbuf, CURL_ERROR_SIZE, "%s", curl_easy_strerror(rc));
  return rc;
}

/* Whether a failed resumed transfer should start over from byte 0. */
static bool restart_worthy(CURLcode rc, long http) {
  return rc == CURLE_RANGE_ERROR || rc == CURLE_BAD_DOWNLOAD_RESUME ||
         (rc == CURLE_HTTP_RETURNED_ERROR && http == 416);
}

cn_status cn_download(const char *url, const char *dest, const cn_download_opts *o) {
  if (!url || !*url) return cn_error(CN_EINVAL, "the URL is empty");
  /* an explicit scheme: libcurl would guess http:// for a bare name and
   * look it up on the network */
  if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0 &&
      strncasecmp(url, "file://", 7) != 0)
    return cn_error(CN_EINVAL, "'%s' is not an http://, https:// or file:// URL", url);
  if (!dest || !*dest) return cn_error(CN_EINVAL, "the destination file name is empty");
  const char *want = o ? o->sha256 : NULL;
  if (want && !valid_hex64(want))
    return cn_error(CN_EINVAL, "sha256 must be 64 hexadecimal digits, got '%s'", want);
  pthread_once(&curl_once, curl_init);
  if (curl_init_rc != CURLE_OK)
    return cn_error(CN_EINTERNAL, "libcurl could not start: %s", curl_easy_strerror(curl_init_rc));

  size_t n = strlen(dest);
  char *part = malloc(n + 6);
  if (!part) return cn_error(CN_ENOMEM, "out of memory");
  memcpy(part, dest, n);
  memcpy(part + n, ".part", 6);
  const char *label = o && o->label ? o->label : dest;
  if (!(o && o->label)) {
    const char *slash = strrchr(dest, '/');
    if (slash) label = slash + 1;
  }

  /* One download of DEST at a time: the .part is locked while this call
   * writes, verifies and renames it (another process gets an error rather
   * than appending to the same file). */
  int lock = open(part, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (lock < 0) {
    cn_status e = cn_error(CN_EIO, "cannot write '%s' (downloading %s): %s", part, url, strerror(errno));
    free(part);
    return e;
  }
  if (flock(lock, LOCK_EX | LOCK_NB) != 0) {
    cn_status e = cn_error(CN_EIO, "'%s' is being written by another download of %s (wait for it to "
                           "finish, or remove the file if none is running)", part, url);
    close(lock);
    free(part);
    return e;
  }
  curl_off_t offset = 0;
  if (o && o->resume) {
    curl_off_t s = file_size(part);
    if (s > 0) offset = s;
  }
  cn_status st = CN_OK;
  char errbuf[CURL_ERROR_SIZE];
  for (int attempt = 0; attempt < 3; attempt++) {
    long http = 0;
    int werr = 0;
    CURLcode rc = transfer(url, part, offset, o, label, &http, errbuf, &werr);
    if (rc != CURLE_OK && offset > 0 && restart_worthy(rc, http)) {
      offset = 0; /* cannot resume: start over */
      continue;
    }
    if (rc == CURLE_WRITE_ERROR && werr) {
      st = cn_error(CN_EIO, "cannot write '%s' (downloading %s): %s", part, url, strerror(werr));
      break;
    }
    if (rc != CURLE_OK) {
      curl_off_t got = file_size(part);
      if (got > 0)
        st = cn_error(CN_EIO, "cannot download %s: %s (%lld bytes kept in '%s'; the next "
                      "download resumes from there)", url, errbuf, (long long)got, part);
      else {
        remove(part);
        st = cn_error(CN_EIO, "cannot download %s: %s", url, errbuf);
      }
      break;
    }
    if (want) {
      char got[65];
      st = cn_sha256_file(part, got);
      if (st != CN_OK) break;
      if (strcasecmp(got, want) != 0) {
        remove(part);
        if (offset > 0) { /* the kept bytes may be stale: once more in full */
          offset = 0;
          continue;
        }
        st = cn_error(CN_EFORMAT, "checksum mismatch for %s: expected sha256 %s, got %s "
                      "(the download was removed)", url, want, got);
        break;
      }
    }
    if (rename(part, dest) != 0)
      st = cn_error(CN_EIO, "cannot rename '%s' to '%s': %s", part, dest, strerror(errno));
    close(lock);
    free(part);
    return st;
  }
  if (st == CN_OK) /* three attempts without an answer */
    st = cn_error(CN_EIO, "cannot download %s: %s", url, errbuf);
  close(lock);
  free(part);
  return st;
}
