/* Unit tests of downloads (src/io/download.c) against file:// URLs in a
 * temporary folder (no network): SHA-256 against the FIPS 180-2 test
 * vectors, a whole transfer, resume of a .part (its bytes marked, so the
 * result shows only the rest was fetched), digest mismatches, a missing
 * source, and refused arguments. */
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canns/download.h"
#include "test.h"

static char dir[] = "/tmp/canns-dl-XXXXXX";

static const char *at(const char *name) {
  static char b[4][400];
  static int k;
  char *p = b[k++ & 3];
  snprintf(p, 400, "%s/%s", dir, name);
  return p;
}

static void put(const char *path, const void *data, size_t n) {
  FILE *f = fopen(path, "wb");
  CHECK(f != NULL);
  if (!f) return;
  CHECK(fwrite(data, 1, n, f) == n);
  fclose(f);
}

/* The file's bytes (malloc'd) and length; NULL when missing. */
static unsigned char *slurp(const char *path, size_t *n) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  fseek(f, 0, SEEK_SET);
  unsigned char *b = malloc(len > 0 ? (size_t)len : 1);
  *n = fread(b, 1, (size_t)len, f);
  fclose(f);
  return b;
}

static const char *url_of(const char *name) {
  static char b[2][420];
  static int k;
  char *p = b[k++ & 1];
  snprintf(p, 420, "file://%s/%s", dir, name);
  return p;
}

TEST(sha256_vectors) {
  char hex[65];
  put(at("empty"), "", 0);
  CHECK_OK(cn_sha256_file(at("empty"), hex));
  CHECK(strcmp(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855") == 0);
  put(at("abc"), "abc", 3);
  CHECK_OK(cn_sha256_file(at("abc"), hex));
  CHECK(strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") == 0);
  const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  put(at("two"), two, strlen(two));
  CHECK_OK(cn_sha256_file(at("two"), hex));
  CHECK(strcmp(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1") == 0);
  char *a = malloc(1000000);
  memset(a, 'a', 1000000);
  put(at("million"), a, 1000000);
  free(a);
  CHECK_OK(cn_sha256_file(at("million"), hex));
  CHECK(strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") == 0);
  CHECK(cn_sha256_file(at("missing"), hex) == CN_EIO);
  CHECK(strstr(cn_errmsg(), "cannot open") != NULL);
}

TEST(whole_resumed_and_restarted) {
  enum { N = 300000 };
  unsigned char *src = malloc(N);
  for (int i = 0; i < N; i++) src[i] = (unsigned char)(i * 7 + i / 251);
  put(at("src.bin"), src, N);
  cn_download_opts o = {.resume = true};
  CHECK_OK(cn_download(url_of("src.bin"), at("a.bin"), &o));
  size_t n = 0;
  unsigned char *got = slurp(at("a.bin"), &n);
  CHECK(got && n == N && memcmp(got, src, N) == 0);
  free(got);
  CHECK(access(at("a.bin.part"), F_OK) != 0);
  /* a marked .part of 1000 zero bytes: only the rest is fetched */
  unsigned char zeros[1000] = {0};
  put(at("b.bin.part"), zeros, sizeof zeros);
  CHECK_OK(cn_download(url_of("src.bin"), at("b.bin"), &o));
  got = slurp(at("b.bin"), &n);
  CHECK(got && n == N && memcmp(got, zeros, 1000) == 0 && memcmp(got + 1000, src + 1000, N - 1000) == 0);
  free(got);
  /* without resume, or with a .part longer than the file, it starts over */
  put(at("c.bin.part"), zeros, sizeof zeros);
  o.resume = false;
  CHECK_OK(cn_download(url_of("src.bin"), at("c.bin"), &o));
  got = slurp(at("c.bin"), &n);
  CHECK(got && n == N && memcmp(got, src, N) == 0);
  free(got);
  unsigned char *longer = calloc(N + 10, 1);
  put(at("d.bin.part"), longer, N + 10);
  free(longer);
  o.resume = true;
  CHECK_OK(cn_download(url_of("src.bin"), at("d.bin"), &o));
  got = slurp(at("d.bin"), &n);
  CHECK(got && n == N && memcmp(got, src, N) == 0);
  free(got);
  /* a resumed file that fails the digest is fetched again in full */
  char hex[65];
  CHECK_OK(cn_sha256_file(at("src.bin"), hex));
  put(at("e.bin.part"), zeros, sizeof zeros);
  o.sha256 = hex;
  CHECK_OK(cn_download(url_of("src.bin"), at("e.bin"), &o));
  got = slurp(at("e.bin"), &n);
  CHECK(got && n == N && memcmp(got, src, N) == 0);
  free(got);
  free(src);
}

TEST(mismatch_missing_and_bad_arguments) {
  put(at("s.txt"), "hello", 5);
  char bad[65];
  memset(bad, 'a', 64);
  bad[64] = 0;
  cn_download_opts o = {.resume = true, .sha256 = bad};
  CHECK(cn_download(url_of("s.txt"), at("m.txt"), &o) == CN_EFORMAT);
  CHECK(strstr(cn_errmsg(), "checksum mismatch") != NULL);
  CHECK(strstr(cn_errmsg(), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824") != NULL);
  CHECK(access(at("m.txt"), F_OK) != 0 && access(at("m.txt.part"), F_OK) != 0);
  o.sha256 = NULL;
  CHECK(cn_download("file:///nonexistent/x.bin", at("x.bin"), &o) == CN_EIO);
  CHECK(strstr(cn_errmsg(), "file:///nonexistent/x.bin") != NULL);
  CHECK(strstr(cn_errmsg(), "Couldn't open file") != NULL);
  CHECK(access(at("x.bin.part"), F_OK) != 0);
  CHECK(cn_download(url_of("s.txt"), at("no/such/dir/y.txt"), &o) == CN_EIO);
  CHECK(strstr(cn_errmsg(), "cannot write") != NULL);
  CHECK(cn_download("huggingface.co/x", at("z"), &o) == CN_EINVAL);
  CHECK(cn_download("gopher://h/x", at("z"), &o) == CN_EINVAL);
  CHECK(cn_download("", at("z"), &o) == CN_EINVAL);
  CHECK(cn_download(url_of("s.txt"), "", &o) == CN_EINVAL);
  o.sha256 = "12zz";
  CHECK(cn_download(url_of("s.txt"), at("z"), &o) == CN_EINVAL);
  CHECK(strstr(cn_errmsg(), "64 hexadecimal digits") != NULL);
  CHECK(strlen(cn_download_backend()) > 0);
  /* a .part locked by another download: an error, the file untouched */
  o.sha256 = NULL;
  put(at("l.txt.part"), "he", 2);
  int fd = open(at("l.txt.part"), O_RDWR);
  CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0);
  CHECK(cn_download(url_of("s.txt"), at("l.txt"), &o) == CN_EIO);
  CHECK(strstr(cn_errmsg(), "being written by another download") != NULL);
  CHECK(access(at("l.txt"), F_OK) != 0);
  close(fd);
  CHECK_OK(cn_download(url_of("s.txt"), at("l.txt"), &o)); /* resumes "he" */
  size_t n = 0;
  unsigned char *got = slurp(at("l.txt"), &n);
  CHECK(got && n == 5 && memcmp(got, "hello", 5) == 0);
  free(got);
}

int main(void) {
  if (!mkdtemp(dir)) return 1;
  RUN(sha256_vectors);
  RUN(whole_resumed_and_restarted);
  RUN(mismatch_missing_and_bad_arguments);
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
  return test_summary();
}
