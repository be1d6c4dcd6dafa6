/*
 * failwrite.c: a full disk for the CLI tests, without mounting one (LD_PRELOAD=libfailwrite.so).
 *
 * Writes to regular files under the directory $FAILWRITE_DIR take $FAILWRITE_AFTER bytes in all
 * (default 0), as a disk with that much room left would: the write that reaches the limit is
 * cut short, and every later one fails with ENOSPC. With FAILWRITE_FSYNC=1, fsync and
 * fdatasync of those files fail with EIO instead (the disk lost what it had accepted).
 * Everything else (standard output, the database elsewhere) is written as usual.
 *
 * write(2) is the level to intercept, since buffers end in it; but glibc's stdio calls its
 * own write internally, past any LD_PRELOAD. So a file opened for writing with fopen under
 * $FAILWRITE_DIR is handed back as a stream (fopencookie) whose buffer is written out through
 * the same limit: stdio output to such a file meets the full disk at the moment a real disk
 * would refuse it, when a buffer is flushed. Under ASan the executable's interceptors come
 * first and call on into this library; run with ASAN_OPTIONS=verify_asan_link_order=0.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef int (*sync_fn)(int);
typedef FILE *(*fopen_fn)(const char *, const char *);

static long long taken; /* bytes the full directory has taken so far */

/* 1 if fd is a regular file under $FAILWRITE_DIR. */
static int on_full_disk(int fd)
{
    const char *dir = getenv("FAILWRITE_DIR");
    if (dir == NULL || *dir == '\0')
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        return 0;
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < 0)
        return 0;
    path[n] = '\0';
    size_t len = strlen(dir);
    return strncmp(path, dir, len) == 0 && path[len] == '/';
}

/*
 * How many of n bytes the full disk takes now (0 to n); -1 with errno ENOSPC when it takes
 * none. n itself for a file that is not on it.
 */
static ssize_t room_for(int fd, size_t n)
{
    if (!on_full_disk(fd))
        return (ssize_t)n;
    const char *after = getenv("FAILWRITE_AFTER");
    long long limit = after ? strtoll(after, NULL, 10) : 0;
    long long before = __atomic_fetch_add(&taken, (long long)n, __ATOMIC_SEQ_CST);
    if (n == 0)
        return 0;
    if (before >= limit) {
        errno = ENOSPC;
        return -1;
    }
    return before + (long long)n > limit ? (ssize_t)(limit - before) : (ssize_t)n;
}

static void *next(const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (f == NULL)
        abort();
    return f;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    static write_fn real;
    if (real == NULL)
        real = (write_fn)next("write");
    ssize_t room = room_for(fd, n);
    return room < 0 ? -1 : real(fd, buf, (size_t)room);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t at)
{
    static pwrite_fn real;
    if (real == NULL)
        real = (pwrite_fn)next("pwrite");
    ssize_t room = room_for(fd, n);
    return room < 0 ? -1 : real(fd, buf, (size_t)room, at);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t at)
{
    static pwrite_fn real;
    if (real == NULL)
        real = (pwrite_fn)next("pwrite64");
    ssize_t room = room_for(fd, n);
    return room < 0 ? -1 : real(fd, buf, (size_t)room, at);
}

ssize_t writev(int fd, const struct iovec *iov, int count)
{
    static writev_fn real;
    if (real == NULL)
        real = (writev_fn)next("writev");
    if (!on_full_disk(fd))
        return real(fd, iov, count);
    /* on the full disk, the first buffer only: a short write, as the kernel may give */
    if (count <= 0)
        return real(fd, iov, count);
    return write(fd, iov[0].iov_base, iov[0].iov_len);
}

static int sync_fails(int fd)
{
    const char *fail = getenv("FAILWRITE_FSYNC");
    if (fail && strcmp(fail, "1") == 0 && on_full_disk(fd)) {
        errno = EIO;
        return 1;
    }
    return 0;
}

int fsync(int fd)
{
    static sync_fn real;
    if (real == NULL)
        real = (sync_fn)next("fsync");
    return sync_fails(fd) ? -1 : real(fd);
}

int fdatasync(int fd)
{
    static sync_fn real;
    if (real == NULL)
        real = (sync_fn)next("fdatasync");
    return sync_fails(fd) ? -1 : real(fd);
}

/* The stream under a cookie stream: written through the full disk's limit. */
static ssize_t cookie_write(void *cookie, const char *buf, size_t n)
{
    FILE *under = cookie;
    int fd = fileno(under);
    size_t done = 0;
    while (done < n) {
        ssize_t wrote = write(fd, buf + done, n - done);
        if (wrote <= 0)
            return done > 0 ? (ssize_t)done : -1;
        done += (size_t)wrote;
    }
    return (ssize_t)done;
}

static int cookie_close(void *cookie)
{
    return fclose((FILE *)cookie);
}

/* real fopen, with a stream for writing to a file on the full disk wrapped as said above */
static FILE *wrap(FILE *f, const char *mode)
{
    if (f == NULL || strpbrk(mode, "wa+") == NULL || !on_full_disk(fileno(f)))
        return f;
    cookie_io_functions_t io = {NULL, cookie_write, NULL, cookie_close};
    FILE *wrapped = fopencookie(f, mode, io);
    if (wrapped == NULL)
        fclose(f);
    return wrapped;
}

FILE *fopen(const char *path, const char *mode)
{
    static fopen_fn real;
    if (real == NULL)
        real = (fopen_fn)next("fopen");
    return wrap(real(path, mode), mode);
}

FILE *fopen64(const char *path, const char *mode)
{
    static fopen_fn real;
    if (real == NULL)
        real = (fopen_fn)next("fopen64");
    return wrap(real(path, mode), mode);
}
