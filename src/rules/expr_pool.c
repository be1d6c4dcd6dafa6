/*
 * expr_pool.c: the memory pool of the expression engine: bump allocation in chunks, freed
 * together, with marks to give back what a list macro's condition allocated for one item.
 */
#include <string.h>

#include "base/alloc.h"
#include "rules/expr_impl.h"

#define CHUNK_MIN 8192 /* bytes of a chunk, unless one allocation needs more */

struct expr_chunk {
    struct expr_chunk *next;
    size_t size;
    _Alignas(16) unsigned char data[];
};

void expr_pool_init(struct expr_pool *p, size_t max)
{
    memset(p, 0, sizeof *p);
    p->max = max;
}

/* Makes a chunk of at least n bytes the head: the spare one when it is large enough. */
static int push_chunk(struct expr_pool *p, size_t n)
{
    size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
    if (p->head != NULL && p->head->size > size && p->used == 0)
        size = p->head->size;
    struct expr_chunk *c;
    if (p->spare != NULL && p->spare->size >= size) {
        c = p->spare;
        p->spare = NULL;
    } else {
        c = sp_malloc(sizeof *c + size);
        if (c == NULL)
            return 0;
        c->size = size;
    }
    c->next = p->head;
    p->head = c;
    p->cap = c->size;
    p->used = 0;
    return 1;
}

void *expr_pool_alloc(struct expr_pool *p, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n == 0)
        n = 16;
    if (p->max != 0 && (n > p->max || p->total > p->max - n))
        return NULL;
    if ((p->head == NULL || p->cap - p->used < n) && !push_chunk(p, n))
        return NULL;
    void *at = p->head->data + p->used;
    p->used += n;
    p->total += n;
    if (p->total > p->peak)
        p->peak = p->total;
    return at;
}

char *expr_pool_strndup(struct expr_pool *p, const char *s, size_t n)
{
    char *copy = expr_pool_alloc(p, n + 1);
    if (copy == NULL)
        return NULL;
    memcpy(copy, s, n);
    copy[n] = '\0';
    return copy;
}

struct expr_pool_mark expr_pool_mark(const struct expr_pool *p)
{
    struct expr_pool_mark m = {p->head, p->used, p->total};
    return m;
}

void expr_pool_rewind(struct expr_pool *p, struct expr_pool_mark m)
{
    while (p->head != m.head && p->head != NULL) {
        struct expr_chunk *c = p->head;
        p->head = c->next;
        if (p->spare == NULL || c->size > p->spare->size) { /* keep the largest for reuse */
            sp_free(p->spare);
            p->spare = c;
        } else {
            sp_free(c);
        }
    }
    p->cap = p->head != NULL ? p->head->size : 0;
    p->used = m.used;
    p->total = m.total;
}

void expr_pool_reset(struct expr_pool *p)
{
    p->total = 0;
    p->peak = 0;
    if (p->head == NULL)
        return;
    struct expr_chunk *c = p->head->next;
    while (c != NULL) {
        struct expr_chunk *next = c->next;
        sp_free(c);
        c = next;
    }
    p->head->next = NULL;
    p->cap = p->head->size;
    p->used = 0;
}

void expr_pool_release(struct expr_pool *p)
{
    struct expr_chunk *c = p->head;
    while (c != NULL) {
        struct expr_chunk *next = c->next;
        sp_free(c);
        c = next;
    }
    sp_free(p->spare);
    size_t max = p->max;
    expr_pool_init(p, max);
}
