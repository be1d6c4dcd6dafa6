#include "base/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Allocations left before injected failure; negative when injection is off. */
static long allocations_until_failure = -1;

static int should_fail(void)
{
    if (allocations_until_failure < 0)
        return 0;
    if (allocations_until_failure == 0)
        return 1;
    allocations_until_failure--;
    return 0;
}

void alloc_fail_after(long n)
{
    allocations_until_failure = n;
}

void *sp_malloc(size_t size)
{
    return should_fail() ? NULL : malloc(size ? size : 1);
}

void *sp_calloc(size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        return NULL;
    return should_fail() ? NULL : calloc(count ? count : 1, size ? size : 1);
}

void *sp_realloc(void *ptr, size_t size)
{
    return should_fail() ? NULL : realloc(ptr, size ? size : 1);
}

void *sp_reallocarray(void *ptr, size_t count, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(count, size, &total))
        return NULL;
    return sp_realloc(ptr, total);
}

char *sp_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = sp_malloc(len + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *sp_strdup(const char *s)
{
    return sp_strndup(s, SIZE_MAX);
}

void sp_free(void *ptr)
{
    free(ptr);
}
