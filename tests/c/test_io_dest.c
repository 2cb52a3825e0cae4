/* Where the writers write (src/core/fileutil.c and the NPY, NPZ, netCDF
 * writers on top of it): through symbolic links to their targets, straight
 * into FIFOs and devices with every write error reported, temporaries
 * named recognisably, and "No space left on device" rather than netCDF-C's
 * "HDF error" on a full disk.  Device nodes (like /dev/null and /dev/full)
 * and a small full file system are made by the test in its own temporary
 * folder, as root only (those subcases are skipped otherwise); /dev is
 * never used. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#include "canns/fileutil.h"
#include "test_io_common.h"

static char dir[300], scratch[300];

static const char *at(const char *name) {
  static char b[4][600];
  static int k;
  char *p = b[k++ & 3];
  snprintf(p, 600, "%s/%s", dir, name);
  return p;
}

/* Whole small file as a string (static buffer; "" when unreadable). */
static const char *contents(const char *path) {
  static char b[256];
  b[0] = 0;
  FILE *f = fopen(path, "rb");
  if (!f) return b;
  size_t n = fread(b, 1, sizeof b - 1, f);
  b[n] = 0;
  fclose(f);
  return b;
}

static cn_status put(const char *path, const char *text) {
  cn_atomic_file f;
  CN_TRY(cn_atomic_begin(&f, path));
  fputs(text, f.fp);
  return cn_atomic_commit(&f);
}

/* The by-name variant: the "library" writes f.tmp itself. */
static cn_status put_by_name(const char *path, const char *text) {
  cn_atomic_file f;
  CN_TRY(cn_atomic_begin_name(&f, path));
  FILE *fp = fopen(f.tmp, "wb");
  fputs(text, fp);
  fclose(fp);
  return cn_atomic_commit(&f);
}

static int is_link(const char *p) {
  struct stat st;
  return lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
}

static int kind(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 ? (int)(st.st_mode & S_IFMT) : -1;
}

TEST(temporaries_are_named_recognisably) {
  cn_atomic_file f;
  CHECK_OK(cn_atomic_begin_name(&f, at("out.npy")));
  const char *base = strrchr(f.tmp, '/') + 1;
  CHECK(strncmp(f.tmp, dir, strlen(dir)) == 0 && base == f.tmp + strlen(dir) + 1);
  CHECK(strncmp(base, ".out.npy" CN_TMP_TAG, strlen(".out.npy" CN_TMP_TAG)) == 0);
  CHECK(strlen(base) == strlen(".out.npy" CN_TMP_TAG) + 6);
  CHECK(io_count_files() == 1);
  cn_atomic_abort(&f);
  CHECK(io_count_files() == 0);
}

TEST(links_are_written_through) {
  CHECK_OK(put(at("real.txt"), "old"));
  chmod(at("real.txt"), 0640);
  CHECK(symlink("real.txt", at("l1")) == 0);   /* relative */
  CHECK(symlink(at("l1"), at("l2")) == 0);     /* absolute, to a link */
  CHECK_OK(put(at("l2"), "new"));
  CHECK(is_link(at("l1")) && is_link(at("l2")));
  CHECK(strcmp(contents(at("real.txt")), "new") == 0);
  struct stat st;
  CHECK(stat(at("real.txt"), &st) == 0 && (st.st_mode & 07777) == 0640);
  CHECK_OK(put_by_name(at("l1"), "by name"));
  CHECK(is_link(at("l1")) && strcmp(contents(at("real.txt")), "by name") == 0);
  CHECK(io_count_files() == 3); /* no temporary left */
  /* abort leaves the target alone */
  cn_atomic_file f;
  CHECK_OK(cn_atomic_begin(&f, at("l2")));
  fputs("partial", f.fp);
  cn_atomic_abort(&f);
  CHECK(strcmp(contents(at("real.txt")), "by name") == 0 && io_count_files() == 3);
  /* a dangling link into another folder creates its target there, and
   * the temporary lives beside the target */
  CHECK(mkdir(at("sub"), 0777) == 0);
  CHECK(symlink("sub/t.txt", at("dangling")) == 0);
  CHECK_OK(cn_atomic_begin(&f, at("dangling")));
  CHECK(strstr(f.tmp, "/sub/.t.txt" CN_TMP_TAG) != NULL);
  fputs("made", f.fp);
  CHECK_OK(cn_atomic_commit(&f));
  CHECK(is_link(at("dangling")) && strcmp(contents(at("sub/t.txt")), "made") == 0);
  CHECK(test_count_entries(at("sub")) == 1);
  /* a loop of links */
  CHECK(symlink("loop.b", at("loop.a")) == 0 && symlink("loop.a", at("loop.b")) == 0);
  CHECK_FAILS(put(at("loop.a"), "x"), CN_EIO);
  CHECK(msg_has("loop.a") && msg_has(strerror(ELOOP)));
  unlink(at("sub/t.txt"));
  rmdir(at("sub"));
  const char *names[] = {"real.txt", "l1", "l2", "dangling", "loop.a", "loop.b"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) unlink(at(names[i]));
}

/* A reader of the FIFO in a child process: copies what it reads to out. */
static pid_t reader(const char *fifo, const char *out) {
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(fifo, O_RDONLY);
    FILE *o = fopen(out, "wb");
    char b[256];
    ssize_t n;
    while (in >= 0 && o && (n = read(in, b, sizeof b)) > 0) fwrite(b, 1, (size_t)n, o);
    _exit(in >= 0 && o && fclose(o) == 0 ? 0 : 1);
  }
  return pid;
}

TEST(fifos_are_written_straight) {
  CHECK(mkfifo(at("fifo"), 0600) == 0);
  for (int by_name = 0; by_name < 2; by_name++) {
    pid_t pid = reader(at("fifo"), at("fifo.out"));
    CHECK(pid > 0);
    const char *text = by_name ? "copied from a scratch file" : "through a pipe";
    CHECK_OK(by_name ? put_by_name(at("fifo"), text) : put(at("fifo"), text));
    int status = 1;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK(kind(at("fifo")) == S_IFIFO);
    CHECK(strcmp(contents(at("fifo.out")), text) == 0);
  }
  CHECK(io_count_files() == 2); /* fifo, fifo.out */
  CHECK(test_count_entries(scratch) == 0);
  unlink(at("fifo"));
  unlink(at("fifo.out"));
}

static cn_dataset *one_var(int64_t n) {
  cn_dataset *ds;
  cn_dataset_new(&ds);
  cn_array *u = pattern(CN_FLOAT64, 1, (int64_t[]){n});
  cn_dataset_add(ds, "u", u, (const char *[]){"time"});
  cn_array_release(u);
  return ds;
}

TEST(devices_are_written_straight) {
  if (geteuid() != 0) {
    printf("  (not root: device nodes cannot be made; skipped)\n");
    return;
  }
  /* the same devices as /dev/null (1, 3) and /dev/full (1, 7) */
  CHECK(mknod(at("null"), S_IFCHR | 0666, makedev(1, 3)) == 0);
  CHECK(mknod(at("full"), S_IFCHR | 0666, makedev(1, 7)) == 0);
  CHECK_OK(put(at("null"), "gone"));
  CHECK_OK(put_by_name(at("null"), "gone"));
  CHECK(kind(at("null")) == S_IFCHR);
  CHECK_FAILS(put(at("full"), "x"), CN_EIO);
  CHECK(msg_has("cannot write '") && msg_has("/full': No space left on device"));
  CHECK_FAILS(put_by_name(at("full"), "x"), CN_EIO);
  CHECK(msg_has("No space left on device"));
  cn_array *a = pattern(CN_FLOAT32, 2, (int64_t[]){3, 4});
  cn_array *big = pattern(CN_FLOAT64, 1, (int64_t[]){1 << 17}); /* 1 MiB */
  CHECK_OK(cn_npy_save(at("null"), a));
  CHECK_FAILS(cn_npy_save(at("full"), a), CN_EIO); /* buffered: fails at commit */
  CHECK(msg_has("No space left on device"));
  CHECK_FAILS(cn_npy_save(at("full"), big), CN_EIO); /* fails in fwrite */
  CHECK(msg_has("No space left on device"));
  cn_dataset *ds = one_var(100), *empty;
  cn_dataset_new(&empty);
  CHECK_OK(cn_npz_save(at("null"), ds, true));
  CHECK_FAILS(cn_npz_save(at("full"), ds, true), CN_EIO);
  CHECK(msg_has("No space left on device"));
  CHECK_FAILS(cn_npz_save(at("full"), empty, false), CN_EIO);
  CHECK(msg_has("No space left on device"));
  CHECK_OK(cn_nc_save(at("null"), ds, 0));
  CHECK_FAILS(cn_nc_save(at("full"), ds, 0), CN_EIO);
  CHECK(msg_has("No space left on device"));
  CHECK(kind(at("null")) == S_IFCHR && kind(at("full")) == S_IFCHR);
  CHECK(io_count_files() == 2 && test_count_entries(scratch) == 0);
  cn_dataset_free(ds);
  cn_dataset_free(empty);
  cn_array_release(a);
  cn_array_release(big);
  unlink(at("null"));
  unlink(at("full"));
}

/* A 256 KiB tmpfs mounted in a private mount namespace of a child process
 * (gone with it): the writers say the disk is full and leave nothing. */
TEST(full_disk) {
  if (geteuid() != 0) {
    printf("  (not root: no file system can be mounted; skipped)\n");
    return;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    const char *small = at("small");
    if (unshare(CLONE_NEWNS) != 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
        mkdir(small, 0777) != 0 || mount("tmpfs", small, "tmpfs", 0, "size=256k") != 0)
      _exit(77);
    int bad = 0;
    cn_dataset *ds = one_var(1 << 17); /* 1 MiB of doubles */
    char p[700];
    snprintf(p, sizeof p, "%s/x.nc", small);
    if (cn_nc_save(p, ds, 0) != CN_EIO || !strstr(cn_errmsg(), "No space left on device") ||
        strstr(cn_errmsg(), "HDF error"))
      bad = 1, fprintf(stderr, "  save_nc: %s\n", cn_errmsg());
    snprintf(p, sizeof p, "%s/x.npy", small);
    if (cn_npy_save(p, ds->vars[0].array) != CN_EIO ||
        !strstr(cn_errmsg(), "No space left on device"))
      bad = 1, fprintf(stderr, "  save_npy: %s\n", cn_errmsg());
    snprintf(p, sizeof p, "%s/x.npz", small);
    if (cn_npz_save(p, ds, false) != CN_EIO)
      bad = 1, fprintf(stderr, "  save_npz: %s\n", cn_errmsg());
    if (test_count_entries(small) != 0) bad = 1, fprintf(stderr, "  files left behind\n");
    cn_dataset_free(ds);
    umount(small);
    rmdir(small);
    _exit(bad);
  }
  int status = 1;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
    printf("  (cannot mount a tmpfs here: skipped)\n");
    rmdir(at("small"));
    return;
  }
  CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  rmdir(at("small"));
}

int main(void) {
  io_setup();
  snprintf(dir, sizeof dir, "%s", io_tmpdir);
  /* scratch files for devices and FIFOs written by name go to $TMPDIR */
  snprintf(scratch, sizeof scratch, "/tmp/canns_test_scratch_XXXXXX");
  if (!mkdtemp(scratch)) return 2;
  setenv("TMPDIR", scratch, 1);
  RUN(temporaries_are_named_recognisably);
  RUN(links_are_written_through);
  RUN(fifos_are_written_straight);
  RUN(devices_are_written_straight);
  RUN(full_disk);
  rmdir(scratch);
  io_cleanup();
  return test_summary();
}
