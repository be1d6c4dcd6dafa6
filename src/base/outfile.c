#include "base/outfile.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/buf.h"

#define TEMP_BASE_SHOWN 64  /* bytes of the destination's name repeated in the temporary name */
#define TEMP_TRIES      100 /* names tried before giving up on creating the temporary file */

void outfile_init(struct outfile *f)
{
    f->path = NULL;
    f->temp = NULL;
    f->fd = -1;
    f->failed = 0;
    f->buffer = NULL;
    f->buffered = 0;
    f->written = 0;
    f->started = 0;
}

/* The length of path's directory part, up to and including the last '/'; 0 if it has none. */
static size_t dir_length(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? (size_t)(slash - path) + 1 : 0;
}

/*
 * outfile_check, also saying whether path exists (*exists) and, if it does, its lstat (*old).
 */
static int check_destination(const char *path, int input_fd, struct stat *old, int *exists,
                             struct error *err)
{
    *exists = 0;
    if (path[0] == '\0')
        return error_set(err, SP_USAGE, "the output file name is empty");
    if (path[dir_length(path)] == '\0')
        return error_set(err, SP_USAGE, "%s: names a directory, not an output file", path);
    if (lstat(path, old) != 0) {
        if (errno == ENOENT)
            return SP_OK;
        return error_set(err, SP_IO, "%s: cannot write: %s", path, strerror(errno));
    }
    if (S_ISLNK(old->st_mode))
        return error_set(err, SP_USAGE,
                         "%s is a symbolic link: spfloor does not write through links; give the "
                         "path of the file itself",
                         path);
    if (S_ISDIR(old->st_mode))
        return error_set(err, SP_USAGE, "%s is a directory, not an output file", path);
    if (!S_ISREG(old->st_mode))
        return error_set(err, SP_USAGE, "%s is not a regular file: spfloor writes only to files",
                         path);
    struct stat in;
    if (input_fd >= 0 && fstat(input_fd, &in) == 0 && in.st_dev == old->st_dev &&
        in.st_ino == old->st_ino)
        return error_set(err, SP_USAGE,
                         "%s is the input file: writing there would destroy it; choose another "
                         "name for the output",
                         path);
    *exists = 1;
    return SP_OK;
}

int outfile_check(const char *path, int input_fd, struct error *err)
{
    struct stat old;
    int exists;
    return check_destination(path, input_fd, &old, &exists, err);
}

/* A number that differs between processes and between calls, for temporary names. */
static uint64_t temp_number(void)
{
    static uint64_t calls;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    uint64_t x = ((uint64_t)getpid() << 32) ^ (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20);
    x += ++calls * 0x9E3779B97F4A7C15u;
    x ^= x >> 31;
    x *= 0xBF58476D1CE4E5B9u;
    return x ^ (x >> 29);
}

/* Builds "DIR/.NAME.XXXXXXXXXXXXXXXX.tmp" for path into out (NAME cut to TEMP_BASE_SHOWN). */
static int temp_name(const char *path, struct buf *out, struct error *err)
{
    size_t dir = dir_length(path);
    size_t base = strlen(path + dir);
    if (base > TEMP_BASE_SHOWN)
        base = TEMP_BASE_SHOWN;
    buf_reset(out);
    int rc = buf_append(out, path, dir, err);
    if (rc == SP_OK)
        rc = buf_putc(out, '.', err);
    if (rc == SP_OK)
        rc = buf_append(out, path + dir, base, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, ".%016llx.tmp", (unsigned long long)temp_number());
    return rc;
}

/* Creates the temporary file for f->path; sets f->temp and f->fd. Returns SP_OK or SP_IO. */
static int create_temp(struct outfile *f, mode_t mode, struct error *err)
{
    struct buf name;
    buf_init(&name, strlen(f->path) + TEMP_BASE_SHOWN + 32);
    int rc = SP_OK;
    int tries = 0;
    for (;;) {
        rc = temp_name(f->path, &name, err);
        if (rc != SP_OK)
            break;
        f->fd = open(name.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (f->fd >= 0)
            break;
        if (errno != EEXIST || ++tries == TEMP_TRIES) {
            rc = error_set(err, SP_IO, "%s: cannot write: %s", f->path, strerror(errno));
            break;
        }
    }
    if (rc == SP_OK)
        f->temp = buf_detach(&name); /* never NULL: name holds bytes, so nothing is allocated */
    assert(rc != SP_OK || f->temp != NULL);
    buf_release(&name);
    return rc;
}

int outfile_open(struct outfile *f, const char *path, int flags, int input_fd, struct error *err)
{
    struct stat old;
    int exists;
    int is_private = (flags & OUTFILE_PRIVATE) != 0;
    outfile_init(f);
    int rc = check_destination(path, input_fd, &old, &exists, err);
    if (rc != SP_OK)
        return rc;
    f->path = sp_strdup(path);
    f->buffer = sp_malloc(OUTFILE_BUFFER);
    if (f->path == NULL || f->buffer == NULL) {
        rc = error_nomem(err);
        goto out_free;
    }
    rc = create_temp(f, is_private ? 0600 : 0666, err);
    if (rc != SP_OK)
        goto out_free;
    /* exact bits: 0600 whatever the umask, or those of the file replaced */
    if ((is_private || exists) && fchmod(f->fd, is_private ? 0600 : old.st_mode & 0777) != 0) {
        rc = error_set(err, SP_IO, "%s: cannot write: %s", path, strerror(errno));
        goto out_remove_temp;
    }
    return SP_OK;

out_remove_temp:
    close(f->fd);
    unlink(f->temp);
out_free:
    sp_free(f->temp);
    sp_free(f->buffer);
    sp_free(f->path);
    outfile_init(f);
    return rc;
}

/*
 * Asks the kernel to start writing what f holds to disk, every OUTFILE_WRITEBACK bytes, so
 * that outfile_commit's fsync finds little left to wait for (on Linux, POSIX_FADV_DONTNEED
 * starts the writeback of the range's dirty pages and keeps them; it drops clean ones, which
 * nobody reads again). Advice only: a refusal changes nothing.
 */
static void start_writeback(struct outfile *f)
{
    if (f->written - f->started < (off_t)OUTFILE_WRITEBACK)
        return;
    (void)posix_fadvise(f->fd, f->started, f->written - f->started, POSIX_FADV_DONTNEED);
    f->started = f->written;
}

/* Writes all n bytes at p to fd. Returns 0, or the errno of the failure. */
static int write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t wrote = write(fd, p, n);
        if (wrote < 0 && errno == EINTR)
            continue;
        if (wrote < 0)
            return errno;
        if (wrote == 0)
            return ENOSPC; /* no progress and no reason given: the disk took nothing */
        p += wrote;
        n -= (size_t)wrote;
    }
    return 0;
}

/* Records the first failure and reports it. */
static int write_failed(struct outfile *f, int errnum, struct error *err)
{
    if (f->failed == 0)
        f->failed = errnum;
    return error_set(err, SP_IO, "%s: cannot write: %s", f->path, strerror(f->failed));
}

/* Writes out the buffer. */
static int flush_buffer(struct outfile *f, struct error *err)
{
    int errnum = write_all(f->fd, f->buffer, f->buffered);
    f->written += (off_t)f->buffered;
    f->buffered = 0;
    if (errnum)
        return write_failed(f, errnum, err);
    start_writeback(f);
    return SP_OK;
}

int outfile_write(struct outfile *f, const void *bytes, size_t n, struct error *err)
{
    if (f->fd < 0)
        return error_set(err, SP_IO, "cannot write: the output file is not open");
    if (f->failed)
        return write_failed(f, f->failed, err);
    if (n <= OUTFILE_BUFFER - f->buffered) {
        memcpy(f->buffer + f->buffered, bytes, n);
        f->buffered += n;
        return SP_OK;
    }
    int rc = flush_buffer(f, err);
    if (rc != SP_OK)
        return rc;
    if (n < OUTFILE_BUFFER) {
        memcpy(f->buffer, bytes, n);
        f->buffered = n;
        return SP_OK;
    }
    int errnum = write_all(f->fd, bytes, n);
    if (errnum)
        return write_failed(f, errnum, err);
    f->written += (off_t)n;
    start_writeback(f);
    return SP_OK;
}

/* Fsyncs the directory holding path, so that a rename into it is on disk. Best effort. */
static void sync_directory(const char *path)
{
    size_t n = dir_length(path);
    char *dir = n ? sp_strndup(path, n) : sp_strdup(".");
    if (dir == NULL)
        return;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
    sp_free(dir);
}

int outfile_commit(struct outfile *f, struct error *err)
{
    if (f->fd < 0)
        return error_set(err, SP_IO, "cannot write: the output file is not open");
    int rc = f->failed ? write_failed(f, f->failed, err) : flush_buffer(f, err);
    if (rc == SP_OK && fsync(f->fd) != 0)
        rc = write_failed(f, errno, err);
    int closed = close(f->fd);
    f->fd = -1;
    if (rc == SP_OK && closed != 0)
        rc = write_failed(f, errno, err);
    if (rc == SP_OK && rename(f->temp, f->path) != 0)
        rc = write_failed(f, errno, err);
    if (rc == SP_OK)
        sync_directory(f->path);
    else
        unlink(f->temp);
    sp_free(f->temp);
    sp_free(f->buffer);
    sp_free(f->path);
    outfile_init(f);
    return rc;
}

void outfile_abort(struct outfile *f)
{
    if (f->fd >= 0) {
        close(f->fd);
        unlink(f->temp);
    }
    sp_free(f->temp);
    sp_free(f->buffer);
    sp_free(f->path);
    outfile_init(f);
}
