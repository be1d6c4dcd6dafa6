/*
 * Unit tests for base/outfile: an output file is replaced whole or not at all, never through a
 * link, never over its own input, and no temporary file is left behind.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/outfile.h"

#define PATH_SIZE 512

/* A fresh directory for one test, removed with its files by the teardown. */
struct fixture {
    char dir[PATH_SIZE];
};

static int make_dir(void **state)
{
    struct fixture *fx = calloc(1, sizeof *fx);
    assert_non_null(fx);
    const char *tmp = getenv("TMPDIR");
    int n = snprintf(fx->dir, sizeof fx->dir, "%s/test_outfile.XXXXXX", tmp && *tmp ? tmp : "/tmp");
    assert_true(n > 0 && (size_t)n < sizeof fx->dir);
    assert_non_null(mkdtemp(fx->dir));
    *state = fx;
    return 0;
}

static int remove_dir(void **state)
{
    struct fixture *fx = *state;
    DIR *d = opendir(fx->dir);
    if (d != NULL) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char path[PATH_SIZE * 2];
            int n = snprintf(path, sizeof path, "%s/%s", fx->dir, e->d_name);
            if (n > 0 && (size_t)n < sizeof path)
                unlink(path);
        }
        closedir(d);
    }
    rmdir(fx->dir);
    free(fx);
    return 0;
}

/* dir/name into out. */
static const char *in_dir(const struct fixture *fx, const char *name, char *out)
{
    int n = snprintf(out, PATH_SIZE, "%s/%s", fx->dir, name);
    assert_true(n > 0 && n < PATH_SIZE);
    return out;
}

static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* The whole content of path (caller frees), or NULL if it cannot be read. */
static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    size_t cap = 1 << 20, n = 0;
    char *bytes = malloc(cap + 1);
    assert_non_null(bytes);
    size_t got;
    while ((got = fread(bytes + n, 1, cap - n, f)) > 0)
        n += got;
    fclose(f);
    bytes[n] = '\0';
    if (len)
        *len = n;
    return bytes;
}

static void assert_content(const char *path, const char *want)
{
    char *got = read_all(path, NULL);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
}

/* The number of entries in the fixture's directory (temporary files included). */
static int entries(const struct fixture *fx)
{
    DIR *d = opendir(fx->dir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

static void commit_puts_the_content_in_place(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE];
    in_dir(fx, "card.svg", path);
    struct error err;
    error_init(&err);
    struct outfile f;
    outfile_init(&f);
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    assert_int_equal(entries(fx), 1); /* the temporary file only */
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(outfile_write(&f, "<svg>", 5, &err), SP_OK);
    assert_int_equal(outfile_write(&f, "</svg>\n", 7, &err), SP_OK);
    assert_int_equal(access(path, F_OK), -1); /* nothing at the destination before the commit */
    assert_int_equal(outfile_commit(&f, &err), SP_OK);
    assert_content(path, "<svg></svg>\n");
    assert_int_equal(entries(fx), 1);
    outfile_abort(&f); /* after a commit: does nothing */
    assert_content(path, "<svg></svg>\n");

    /* again over the existing file, with more than one buffer of bytes in uneven pieces */
    size_t total = 3 * OUTFILE_BUFFER + 17;
    char *want = malloc(total + 1);
    assert_non_null(want);
    for (size_t i = 0; i < total; i++)
        want[i] = (char)('a' + i % 26);
    want[total] = '\0';
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    size_t sizes[] = {1, OUTFILE_BUFFER - 3, 10, 2 * OUTFILE_BUFFER, 9};
    size_t at = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_int_equal(outfile_write(&f, want + at, sizes[i], &err), SP_OK);
        at += sizes[i];
    }
    assert_int_equal(at, total);
    assert_content(path, "<svg></svg>\n"); /* the old file stays until the commit */
    assert_int_equal(outfile_commit(&f, &err), SP_OK);
    assert_content(path, want);
    assert_int_equal(entries(fx), 1);
    assert_string_equal(err.message, "");
    free(want);
}

static void abort_leaves_the_old_file(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE];
    in_dir(fx, "rejects.csv", path);
    put_file(path, "the old list\n");
    struct error err;
    error_init(&err);
    struct outfile f;
    outfile_init(&f);
    outfile_abort(&f); /* never opened: does nothing */
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    assert_int_equal(outfile_write(&f, "row,column\n", 11, &err), SP_OK);
    outfile_abort(&f);
    assert_content(path, "the old list\n");
    assert_int_equal(entries(fx), 1);

    /* and a file that did not exist is not created */
    in_dir(fx, "new.csv", path);
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    assert_int_equal(outfile_write(&f, "x", 1, &err), SP_OK);
    outfile_abort(&f);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(entries(fx), 1);
}

/* A disk that takes only 4096 bytes: RLIMIT_FSIZE makes write(2) fail with EFBIG. */
static void a_failed_write_leaves_the_old_file(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE];
    in_dir(fx, "card.svg", path);
    put_file(path, "a good card\n");
    struct rlimit saved, small = {4096, 4096};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small.rlim_max = saved.rlim_max;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);

    struct error err;
    error_init(&err);
    struct outfile f;
    outfile_init(&f);
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    char block[1000];
    memset(block, 'x', sizeof block);
    int rc = SP_OK;
    for (int i = 0; i < 200 && rc == SP_OK; i++)
        rc = outfile_write(&f, block, sizeof block, &err);
    if (rc == SP_OK)
        rc = outfile_commit(&f, &err);
    outfile_abort(&f);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);

    assert_int_equal(rc, SP_IO);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, "cannot write: "));
    assert_content(path, "a good card\n");
    assert_int_equal(entries(fx), 1);

    /* the same failure discovered only at the commit (everything was still buffered) */
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    assert_int_equal(outfile_write(&f, block, sizeof block, &err), SP_OK);
    assert_int_equal(outfile_write(&f, block, sizeof block, &err), SP_OK);
    small.rlim_cur = 1000;
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    signal(SIGXFSZ, SIG_IGN);
    error_init(&err);
    rc = outfile_commit(&f, &err);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(rc, SP_IO);
    assert_non_null(strstr(err.message, "cannot write: "));
    assert_content(path, "a good card\n");
    assert_int_equal(entries(fx), 1);
}

static void refuses_a_symbolic_link(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE], target[PATH_SIZE], dangling[PATH_SIZE];
    in_dir(fx, "target.csv", target);
    in_dir(fx, "link.csv", path);
    put_file(target, "precious\n");
    assert_int_equal(symlink(target, path), 0);
    struct error err;
    error_init(&err);
    struct outfile f;
    outfile_init(&f);
    assert_int_equal(outfile_check(path, -1, &err), SP_USAGE);
    assert_non_null(strstr(err.message, "symbolic link"));
    error_init(&err);
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_USAGE);
    assert_non_null(strstr(err.message, "symbolic link"));
    outfile_abort(&f);
    assert_content(target, "precious\n");
    struct stat st;
    assert_int_equal(lstat(path, &st), 0);
    assert_true(S_ISLNK(st.st_mode));

    /* a link to nowhere is not followed to create its target either */
    in_dir(fx, "dangling.csv", dangling);
    in_dir(fx, "nowhere.csv", target);
    assert_int_equal(symlink(target, dangling), 0);
    error_init(&err);
    assert_int_equal(outfile_open(&f, dangling, 0, -1, &err), SP_USAGE);
    assert_int_equal(access(target, F_OK), -1);
    assert_int_equal(entries(fx), 3);
}

static void refuses_the_input_file(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE], spelt[PATH_SIZE], hard[PATH_SIZE];
    in_dir(fx, "in.csv", path);
    put_file(path, "given_name\nSita\n");
    int input = open(path, O_RDONLY);
    assert_true(input >= 0);
    assert_true(snprintf(spelt, sizeof spelt, "%s/./in.csv", fx->dir) < PATH_SIZE);
    in_dir(fx, "hard.csv", hard);
    assert_int_equal(link(path, hard), 0);
    const char *names[] = {path, spelt, hard};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct error err;
        error_init(&err);
        struct outfile f;
        outfile_init(&f);
        assert_int_equal(outfile_check(names[i], input, &err), SP_USAGE);
        assert_non_null(strstr(err.message, "is the input file"));
        error_init(&err);
        assert_int_equal(outfile_open(&f, names[i], 0, input, &err), SP_USAGE);
        assert_non_null(strstr(err.message, "is the input file"));
        outfile_abort(&f);
    }
    close(input);
    assert_content(path, "given_name\nSita\n");
    assert_int_equal(entries(fx), 2);

    /* another file is fine, and so is any file without an input */
    struct error err;
    error_init(&err);
    char other[PATH_SIZE];
    input = open(path, O_RDONLY);
    assert_int_equal(outfile_check(in_dir(fx, "in.rejects.csv", other), input, &err), SP_OK);
    assert_int_equal(outfile_check(path, -1, &err), SP_OK);
    close(input);
}

static void refuses_what_is_not_a_file(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE];
    struct error err;
    error_init(&err);
    struct outfile f;
    outfile_init(&f);
    assert_int_equal(outfile_open(&f, fx->dir, 0, -1, &err), SP_USAGE);
    assert_non_null(strstr(err.message, "directory"));
    error_init(&err);
    assert_true(snprintf(path, sizeof path, "%s/", fx->dir) < PATH_SIZE);
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_USAGE);
    error_init(&err);
    assert_int_equal(outfile_open(&f, "", 0, -1, &err), SP_USAGE);
    error_init(&err);
    assert_int_equal(outfile_open(&f, "/dev/null", 0, -1, &err), SP_USAGE);
    assert_non_null(strstr(err.message, "not a regular file"));
    error_init(&err);
    assert_int_equal(outfile_open(&f, in_dir(fx, "no/such/dir.csv", path), 0, -1, &err), SP_IO);
    assert_non_null(strstr(err.message, "cannot write"));
    assert_int_equal(entries(fx), 0);
}

static void permissions_follow_the_umask_or_the_old_file(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE];
    in_dir(fx, "out.svg", path);
    mode_t old_mask = umask(022);
    struct error err;
    error_init(&err);
    struct outfile f;
    outfile_init(&f);
    struct stat st;
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    assert_int_equal(outfile_commit(&f, &err), SP_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    assert_int_equal(chmod(path, 0640), 0); /* the user made it private: it stays so */
    assert_int_equal(outfile_open(&f, path, 0, -1, &err), SP_OK);
    assert_int_equal(outfile_commit(&f, &err), SP_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);

    assert_int_equal(outfile_open(&f, path, OUTFILE_PRIVATE, -1, &err), SP_OK);
    assert_int_equal(outfile_commit(&f, &err), SP_OK);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    umask(old_mask);
}

static void out_of_memory_creates_nothing(void **state)
{
    struct fixture *fx = *state;
    char path[PATH_SIZE];
    in_dir(fx, "out.csv", path);
    for (long n = 0; n < 8; n++) {
        struct error err;
        error_init(&err);
        struct outfile f;
        outfile_init(&f);
        alloc_fail_after(n);
        int rc = outfile_open(&f, path, 0, -1, &err);
        alloc_fail_after(-1);
        if (rc == SP_OK) {
            outfile_abort(&f);
            break;
        }
        assert_int_equal(rc, SP_IO);
        assert_string_equal(err.message, "out of memory");
        assert_int_equal(entries(fx), 0);
    }
    assert_int_equal(entries(fx), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(commit_puts_the_content_in_place, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(abort_leaves_the_old_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(a_failed_write_leaves_the_old_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(refuses_a_symbolic_link, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(refuses_the_input_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(refuses_what_is_not_a_file, make_dir, remove_dir),
        cmocka_unit_test_setup_teardown(permissions_follow_the_umask_or_the_old_file, make_dir,
                                        remove_dir),
        cmocka_unit_test_setup_teardown(out_of_memory_creates_nothing, make_dir, remove_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
