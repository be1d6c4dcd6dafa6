/*
 * blocks.c: the two-block pipeline of the batch path (blocks.h). Two blocks take turns: the
 * caller's thread fills one while the decider thread decides the other. Only the decider
 * calls decide; only the caller adds persons.
 */
#include "ops/blocks.h"

#include <pthread.h>
#include <string.h>

#include "base/alloc.h"

/* A block of whole households, with the room it has. */
struct block {
    struct situation s; /* the persons and their households */
    int persons_cap;    /* room in s.persons */
    int households_cap; /* room in s.households */
    int enrolments_cap; /* room in s.enrolments */
};

struct blocks {
    blocks_fn decide;
    void *ctx;
    blocks_fn complete; /* blocks_on_full's */
    void *complete_ctx;
    int persons; /* a block is handed over once it holds this many */
    struct block blocks[2];
    int filling; /* the block the caller fills */
    /* between the caller and the decider, under lock */
    pthread_mutex_t lock;
    pthread_cond_t changed;   /* handed or done changed */
    struct block *handed;     /* a full block the decider has not finished, or NULL */
    int done;                 /* 1 once the caller hands over nothing more */
    int threaded;             /* 1 if the decider runs on its own thread */
    pthread_t decider;        /* when threaded */
    int decided_rc;           /* the decider's first failure, or SP_OK */
    struct error decided_err; /* its message */
};

/* Empties a block for reuse, keeping its memory. */
static void empty(struct situation *s)
{
    s->n_persons = 0;
    s->n_households = 0;
    s->n_enrolments = 0;
    s->n_events = 0;
    s->n_contributions = 0;
}

/* The decider's work on one full block: index it, decide it, empty it. */
static int decide_whole(struct blocks *b, struct situation *s)
{
    int rc = situation_index(s, &b->decided_err);
    if (rc == SP_OK)
        rc = b->decide(b->ctx, s, &b->decided_err);
    empty(s);
    return rc;
}

static void *decider_main(void *arg)
{
    struct blocks *b = arg;
    for (;;) {
        pthread_mutex_lock(&b->lock);
        while (b->handed == NULL && !b->done)
            pthread_cond_wait(&b->changed, &b->lock);
        struct block *block = b->handed;
        int failed = b->decided_rc != SP_OK;
        pthread_mutex_unlock(&b->lock);
        if (block == NULL)
            return NULL;
        int rc = failed ? SP_OK : decide_whole(b, &block->s);
        if (failed) /* after a failure, blocks are only emptied */
            empty(&block->s);
        pthread_mutex_lock(&b->lock);
        if (rc != SP_OK && b->decided_rc == SP_OK)
            b->decided_rc = rc;
        b->handed = NULL;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->lock);
    }
}

int blocks_start(blocks_fn decide, void *ctx, int persons, struct blocks **out, struct error *err)
{
    *out = NULL;
    struct blocks *b = sp_calloc(1, sizeof *b);
    if (b == NULL)
        return error_nomem(err);
    b->decide = decide;
    b->ctx = ctx;
    b->persons = persons > 0 ? persons : 1;
    for (int i = 0; i < 2; i++)
        situation_init(&b->blocks[i].s);
    error_init(&b->decided_err);
    pthread_mutex_init(&b->lock, NULL);
    pthread_cond_init(&b->changed, NULL);
    b->threaded = pthread_create(&b->decider, NULL, decider_main, b) == 0;
    *out = b;
    return SP_OK;
}

/*
 * Hands the block being filled to the decider (waiting until it has finished the one before)
 * and goes on filling the other. Returns the decider's failure, if any.
 */
static int hand_over(struct blocks *b, struct error *err)
{
    struct block *full = &b->blocks[b->filling];
    if (b->complete != NULL && full->s.n_persons > 0) {
        int rc = b->complete(b->complete_ctx, &full->s, err);
        if (rc != SP_OK)
            return rc;
        if (full->s.n_persons == 0)
            empty(&full->s); /* everyone dropped: nothing to decide */
    }
    if (!b->threaded) {
        int rc = full->s.n_persons > 0 ? decide_whole(b, &full->s) : SP_OK;
        if (rc != SP_OK && b->decided_rc == SP_OK)
            b->decided_rc = rc;
        return b->decided_rc;
    }
    pthread_mutex_lock(&b->lock);
    while (b->handed != NULL)
        pthread_cond_wait(&b->changed, &b->lock);
    int rc = b->decided_rc;
    if (rc == SP_OK && full->s.n_persons > 0) {
        b->handed = full;
        b->filling ^= 1; /* the other block: the decider has finished it */
        pthread_cond_broadcast(&b->changed);
    }
    pthread_mutex_unlock(&b->lock);
    return rc;
}

void blocks_on_full(struct blocks *b, blocks_fn complete, void *ctx)
{
    b->complete = complete;
    b->complete_ctx = ctx;
}

int blocks_flush(struct blocks *b, struct error *err)
{
    return hand_over(b, err);
}

int blocks_new_household(const struct blocks *b, const struct person *p)
{
    const struct situation *s = &b->blocks[b->filling].s;
    const struct person *last = s->n_persons ? &s->persons[s->n_persons - 1] : NULL;
    return last == NULL || p->household[0] == '\0' || strcmp(last->household, p->household) != 0;
}

/* Grows an array of `size`-byte items to room for at least need (doubling). */
static int grow(void **items, int *cap, int need, size_t size, int first, struct error *err)
{
    if (need <= *cap)
        return SP_OK;
    int grown_cap = *cap > 0 ? *cap : first;
    while (grown_cap < need)
        grown_cap *= 2;
    void *grown = sp_reallocarray(*items, (size_t)grown_cap, size);
    if (grown == NULL)
        return error_nomem(err);
    *items = grown;
    *cap = grown_cap;
    return SP_OK;
}

int blocks_add(struct blocks *b, const struct person *p, const struct household *hh,
               struct error *err)
{
    struct block *block = &b->blocks[b->filling];
    if (blocks_new_household(b, p) && block->s.n_persons >= b->persons) {
        int rc = hand_over(b, err);
        if (rc != SP_OK)
            return rc;
        block = &b->blocks[b->filling];
    }
    struct situation *s = &block->s;
    int rc = grow((void **)&s->persons, &block->persons_cap, s->n_persons + 1, sizeof *s->persons,
                  256, err);
    if (rc == SP_OK && hh != NULL)
        rc = grow((void **)&s->households, &block->households_cap, s->n_households + 1,
                  sizeof *s->households, 256, err);
    if (rc != SP_OK)
        return rc;
    if (hh != NULL)
        s->households[s->n_households++] = *hh;
    person_copy(&s->persons[s->n_persons++], p);
    return SP_OK;
}

int blocks_add_enrolment(struct blocks *b, const struct enrolment *e, struct error *err)
{
    struct block *block = &b->blocks[b->filling];
    struct situation *s = &block->s;
    int rc = grow((void **)&s->enrolments, &block->enrolments_cap, s->n_enrolments + 1,
                  sizeof *s->enrolments, 64, err);
    if (rc == SP_OK)
        s->enrolments[s->n_enrolments++] = *e;
    return rc;
}

int blocks_add_enrolments_of(struct blocks *b, const struct enrolment *list, int n, const char *id,
                             struct error *err)
{
    int lo = 0, hi = n;
    while (lo < hi) {
        int mid = lo + (hi - lo) / 2;
        if (strcmp(list[mid].person, id) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    int rc = SP_OK;
    for (int i = lo; rc == SP_OK && i < n && strcmp(list[i].person, id) == 0; i++)
        rc = blocks_add_enrolment(b, &list[i], err);
    return rc;
}

int blocks_finish(struct blocks *b, int rc, struct error *err)
{
    if (b == NULL)
        return rc;
    if (rc == SP_OK)
        rc = hand_over(b, err);
    if (b->threaded) {
        pthread_mutex_lock(&b->lock);
        b->done = 1;
        pthread_cond_broadcast(&b->changed);
        pthread_mutex_unlock(&b->lock);
        pthread_join(b->decider, NULL);
    }
    if (b->decided_rc != SP_OK) { /* the decider's failure comes first */
        rc = b->decided_rc;
        if (b->decided_err.code != SP_OK) { /* else decide told its failure its own way */
            error_init(err);
            error_set(err, b->decided_err.code, "%s", b->decided_err.message);
        }
    }
    for (int i = 0; i < 2; i++)
        situation_release(&b->blocks[i].s);
    pthread_cond_destroy(&b->changed);
    pthread_mutex_destroy(&b->lock);
    sp_free(b);
    return rc;
}
