/* Unit tests of atomic output files, mkdir -p and the progress helpers. */
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "canns/fileutil.h"
#include "canns/progress.h"
#include "test.h"

TEST(atomic_commit_and_abort) {
  char dir[] = "/tmp/canns-test-XXXXXX";
  CHECK(mkdtemp(dir) != NULL);
  char path[256];
  snprintf(path, sizeof path, "%s/out.txt", dir);
  cn_atomic_file f;
  CHECK_OK(cn_atomic_begin(&f, path));
  fputs("hello", f.fp);
  CHECK(!cn_file_exists(path)); /* nothing under the final name yet */
  CHECK(test_count_entries(dir) == 1);
  CHECK_OK(cn_atomic_commit(&f));
  void *data;
  size_t len;
  CHECK_OK(cn_read_file(path, 1 << 20, &data, &len));
  CHECK(len == 5 && memcmp(data, "hello", 5) == 0);
  free(data);
  /* abort leaves the old file untouched and no temp file behind */
  CHECK_OK(cn_atomic_begin(&f, path));
  fputs("partial", f.fp);
  cn_atomic_abort(&f);
  CHECK_OK(cn_read_file(path, 1 << 20, &data, &len));
  CHECK(len == 5);
  free(data);
  CHECK(test_count_entries(dir) == 1);
  /* by-name variant */
  CHECK_OK(cn_atomic_begin_name(&f, path));
  FILE *fp = fopen(f.tmp, "wb");
  fputs("replaced", fp);
  fclose(fp);
  CHECK_OK(cn_atomic_commit(&f));
  CHECK_OK(cn_read_file(path, 1 << 20, &data, &len));
  CHECK(len == 8);
  free(data);
  CHECK(cn_read_file(path, 4, &data, &len) == CN_ENOMEM); /* size guard */
  /* errors: missing directory, a directory as target */
  char bad[300];
  snprintf(bad, sizeof bad, "%s/no/such/dir/x", dir);
  CHECK_FAILS(cn_atomic_begin(&f, bad), CN_EIO);
  CHECK_FAILS(cn_atomic_begin(&f, dir), CN_EIO);
  CHECK_FAILS(cn_atomic_begin(&f, ""), CN_EINVAL);
  CHECK_FAILS(cn_read_file(bad, 10, &data, &len), CN_EIO);
  /* mkdir -p */
  snprintf(bad, sizeof bad, "%s/a/b/c", dir);
  CHECK_OK(cn_mkdir_p(bad));
  CHECK_OK(cn_mkdir_p(bad));
  CHECK_FAILS(cn_mkdir_p(path), CN_EIO); /* a file is in the way */
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  CHECK(system(cmd) == 0);
}

TEST(progress_is_silent_without_a_terminal) {
  /* ctest runs us with stderr redirected: no bar, and a NULL bar is a
   * valid no-op. */
  cn_progress *p = cn_progress_new("x", 10);
  if (!isatty(2)) CHECK(p == NULL);
  cn_progress_tick(p, 5);
  cn_progress_free(p);
  setenv("CANNS_PROGRESS", "0", 1);
  CHECK(!cn_progress_enabled());
  CHECK(cn_progress_new("x", 10) == NULL);
  char buf[32];
  cn_progress_format_time(3725, buf, sizeof buf);
  CHECK(strcmp(buf, "1:02:05") == 0);
  cn_progress_format_time(65, buf, sizeof buf);
  CHECK(strcmp(buf, "01:05") == 0);
  cn_progress_format_time(-1, buf, sizeof buf);
  CHECK(strcmp(buf, "--:--") == 0);
}

int main(void) {
  RUN(atomic_commit_and_abort);
  RUN(progress_is_silent_without_a_terminal);
  return test_summary();
}
