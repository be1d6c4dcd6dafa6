/*
 * failmalloc.c: memory that runs out, for the CLI tests (LD_PRELOAD=libfailmalloc.so).
 *
 * With FAILMALLOC_AFTER=N, the first N allocations (malloc, calloc, realloc) of the process
 * succeed and every later one fails with ENOMEM, in spfloor and in the libraries it uses
 * alike. With FAILMALLOC_COUNT=FILE the number of allocations the process made is written to
 * FILE at exit, so that a test can choose N across a whole run.
 *
 * The allocations themselves are glibc's (__libc_malloc and friends). Under ASan the
 * executable's own allocator comes first and this library sees nothing: the count is then 0,
 * and a test takes that as "cannot inject here".
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *ptr, size_t size);
extern void __libc_free(void *ptr);

static long long calls;      /* allocations so far */
static long long limit = -1; /* allocations that succeed; -1: all of them */
static int ready;            /* 1 once the environment has been read */

/* 1 if this allocation is to fail. */
static int fails(void)
{
    if (!ready) {
        ready = 1;
        const char *after = getenv("FAILMALLOC_AFTER");
        if (after != NULL && *after != '\0')
            limit = strtoll(after, NULL, 10);
    }
    long long n = __atomic_fetch_add(&calls, 1, __ATOMIC_SEQ_CST);
    if (limit >= 0 && n >= limit) {
        errno = ENOMEM;
        return 1;
    }
    return 0;
}

void *malloc(size_t size)
{
    return fails() ? NULL : __libc_malloc(size);
}

void *calloc(size_t count, size_t size)
{
    return fails() ? NULL : __libc_calloc(count, size);
}

void *realloc(void *ptr, size_t size)
{
    return fails() ? NULL : __libc_realloc(ptr, size);
}

void free(void *ptr)
{
    __libc_free(ptr);
}

__attribute__((destructor)) static void write_count(void)
{
    const char *path = getenv("FAILMALLOC_COUNT");
    if (path == NULL || *path == '\0')
        return;
    char text[32];
    int n = snprintf(text, sizeof text, "%lld\n", __atomic_load_n(&calls, __ATOMIC_SEQ_CST));
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    if (n > 0 && write(fd, text, (size_t)n) != n)
        n = 0;
    close(fd);
}
