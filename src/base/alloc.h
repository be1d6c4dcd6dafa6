/*
 * alloc.h: the one allocator of spfloor.
 *
 * All heap memory goes through these wrappers so that tests can make the n-th allocation fail
 * (alloc_fail_after) and check that nothing leaks or half-commits. They return NULL on failure,
 * never abort; callers report error_nomem(). sp_free(NULL) does nothing.
 */
#ifndef SPFLOOR_BASE_ALLOC_H
#define SPFLOOR_BASE_ALLOC_H

#include <stddef.h>

void *sp_malloc(size_t size);
void *sp_calloc(size_t count, size_t size); /* NULL also when count * size overflows */
void *sp_realloc(void *ptr, size_t size);
/* Grows an array to hold count elements of size bytes; NULL on overflow or failure. */
void *sp_reallocarray(void *ptr, size_t count, size_t size);
char *sp_strdup(const char *s);
char *sp_strndup(const char *s, size_t n);
void sp_free(void *ptr);

/*
 * For tests: after n more successful allocations, every allocation fails until
 * alloc_fail_after(-1) turns failure injection off again.
 */
void alloc_fail_after(long n);

#endif
