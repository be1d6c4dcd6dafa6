/*
 * entitlements.h: what registered persons are entitled to on a date, and why: for one person
 * (the single window) or for everyone in the registry (the batch path that enrolment, payroll,
 * reports and simulation build on).
 *
 * Both read each person with their whole household from the store and decide with the rules
 * engine (rules/decide.h), so a person's decisions are the same whichever way they are asked
 * for. The scheme library is loaded once by the caller and only read here.
 */
#ifndef SPFLOOR_OPS_ENTITLEMENTS_H
#define SPFLOOR_OPS_ENTITLEMENTS_H

#include <stdint.h>

#include "base/error.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "rules/situation.h"
#include "store/store.h"

#define ENTITLEMENTS_BLOCK_PERSONS 4096 /* persons decided together (whole households) */

/*
 * Fills s (situation_init'ed by the caller, who releases it) with the person `id` first and
 * then the other members of their household who are decided on as_of (not merged into another
 * record, not dead by then), with the life events and ledger entries recorded for them
 * (entitlements_registry_histories) and the person's enrolments, indexed (situation_index). The
 * person `id` stays first whatever their mark: the caller refuses them (persons_check_current).
 * SP_BAD_INPUT when no person has that id; SP_IO for the store or memory.
 */
int entitlements_person_situation(struct store *store, const char *id, int32_t as_of,
                                  struct situation *s, struct error *err);

/*
 * Reads the life events and the ledger entries of s's persons (situation_init'ed or filled
 * before: what s->events and s->contributions held is replaced) from the store, as an
 * evaluate file gives them: each standing ledger entry (ledger/ledger.h: not reversed, not a
 * reversal) is a contribution row with its booked wage base. census (store_census_take) may
 * be NULL. Call situation_index after. SP_IO for the store or memory.
 */
struct store_census;
int entitlements_registry_histories(struct store *store, const struct store_census *census,
                                    struct situation *s, struct error *err);

/*
 * Reads every enrolment of the registry into *out (n of them, in worker ID order), for a batch
 * to hand each person theirs (blocks_add_enrolments_of): held whole, as many as the persons
 * enrolled. The caller frees *out with sp_free. SP_IO for the store or memory (*out NULL).
 */
int entitlements_enrolments_load(struct store *store, struct enrolment **out, int *n,
                                 struct error *err);

/*
 * Reads the registry's persons of `country` (NULL: every country) into blocks (started by the
 * caller, who finishes them: ops/blocks.h), whole households at a time, each person with their
 * household's record, enrolments and life events, as an evaluate file gives them. Persons not
 * decided on as_of (merged into another record, dead on or before it) are dropped and counted
 * in *skipped. Of each person only the fields in `fields` are read, with the id, country and
 * household (store_person_each_by_household_reading); PERSON_FIELDS_EVERY reads them all.
 * Every block read is handed over before it returns. SP_IO for the store or memory, or the
 * decider's failure.
 */
struct blocks;
int entitlements_read_registry(struct store *store, const char *country, person_field_set fields,
                               int32_t as_of, struct blocks *blocks, int64_t *skipped,
                               struct error *err);

/* One person's decisions for every scheme of their country, in library order. */
struct entitlements_person {
    const struct scheme **schemes;    /* the schemes of the person's country */
    struct decide_bound **bound;      /* each bound on the date (for decide_explain) */
    struct decide_scratch **scratch;  /* each one's working memory */
    struct decision *decisions;       /* the decisions, exclusion groups applied */
    struct decision **row;            /* pointers into decisions */
    int n;                            /* schemes decided */
    struct entitlements_cache *cache; /* owns bound and scratch when not NULL (lent by the
                                         caller of entitlements_person_decide_cached) */
};

/*
 * What one caller keeps from one person's decisions to the next, so that deciding the next
 * person costs no binding and no new working memory: each scheme of one library bound on one
 * date, and each scheme's working memory (decide_scratch), made when first needed. The server
 * keeps one per thread (web/server.c); a batch of single-person calls may keep one for the
 * batch. Its owner makes it with entitlements_cache_new, lends it to one thread at a time
 * (it is not locked) and frees it with entitlements_cache_free, before the library it was
 * used with is released (the cache knows a library by its address). A call on another date
 * binds the schemes again and keeps the working memory; a call with another library starts
 * over. What it holds grows with the library's schemes, not with the persons decided (the
 * household plans of the last person are forgotten when the next is decided:
 * decide_scratch_forget).
 */
struct entitlements_cache;

/* A new, empty cache into *out; SP_IO when out of memory. */
int entitlements_cache_new(struct entitlements_cache **out, struct error *err);
void entitlements_cache_free(struct entitlements_cache *c); /* accepts NULL */

/*
 * Decides s->persons[0] (with s->histories[0], as entitlements_person_situation fills s) for
 * every scheme of their country in lib on as_of, and applies the exclusion groups
 * (decide_exclusions). *r is filled whatever happens: the caller releases it with
 * entitlements_person_release. SP_IO when out of memory.
 */
int entitlements_person_decide(struct entitlements_person *r, const struct scheme_library *lib,
                               int32_t as_of, const struct situation *s, struct error *err);

/*
 * entitlements_person_decide with the schemes bound and their working memory taken from (and
 * kept in) cache, which r borrows: r->bound and r->scratch are the cache's, valid until the
 * cache is used again or freed; release r before that. cache NULL: as
 * entitlements_person_decide.
 */
int entitlements_person_decide_cached(struct entitlements_person *r,
                                      struct entitlements_cache *cache,
                                      const struct scheme_library *lib, int32_t as_of,
                                      const struct situation *s, struct error *err);
void entitlements_person_release(struct entitlements_person *r); /* accepts NULL */

/* What a batch decides. */
struct entitlements_query {
    int32_t as_of;          /* the date of the decisions */
    const char *scheme;     /* only this scheme id, or NULL for every scheme */
    const char *country;    /* only persons (and schemes) of this country, or NULL */
    int explain;            /* 1: build the reasons of each result (slower) */
    int missing;            /* 1: name the facts each undetermined result waits on (slower) */
    int human;              /* 1: build the reasons for people (decide_reasons; slower) */
    const char *lang;       /* their language (a catalogue's), or NULL for English */
    person_field_set reads; /* the fields of e->person that emit reads besides the id: the
                               batch reads of each person only these and what the schemes
                               decide on (PERSON_FIELDS_EVERY: every field) */
};

/* One result of a batch, valid only during the call that receives it. */
struct entitlement {
    const struct person *person;     /* whom it is about */
    const struct scheme *scheme;     /* which scheme */
    const struct decision *decision; /* the decision */
    const char *reasons;             /* the reasons, one per line, or "" without explain */
    const char *missing; /* undetermined: the facts it waits on, one per line ("" without
                            the query's `missing`) */
    const char *human;   /* the reasons for people (decide_reasons), or NULL without the
                            query's `human` */
};

/* Receives each result; a non-zero return stops the batch and is returned by it. */
typedef int (*entitlement_fn)(void *ctx, const struct entitlement *e);

/* Called after each block of persons with the number decided so far; must not fail. */
typedef void (*entitlements_progress_fn)(void *ctx, int64_t persons);

/* The totals of one scheme over a batch. */
struct entitlements_tally {
    const struct scheme *scheme; /* the scheme */
    int64_t decided;             /* persons of its country decided */
    int64_t eligible;            /* of them, eligible */
    int64_t with_amount;         /* of them, with an amount (a benefit) */
    int64_t amount;              /* the sum of those amounts, minor units per `per` */
    int64_t with_contribution;   /* eligible persons with a contribution (a wage given) */
    int64_t contributions;       /* the sum of their contributions' totals, per `per` (owed,
                                    or for an optional scheme offered: scheme->optional) */
    int64_t excluded;            /* eligible persons another scheme of its group is paid
                                    instead (not in with_amount and amount) */
    int overflow;                /* 1 if a sum passed INT64_MAX (then the sums hold nothing) */
    int64_t failed;              /* decisions that failed (a run-time error or a limit) */
};

/* What a batch did. entitlements_summary_release frees the tallies. */
struct entitlements_summary {
    int64_t persons;                  /* persons decided */
    int64_t skipped;                  /* persons read but not decided: merged into another
                                         record, or dead on or before the date */
    int n_schemes;                    /* schemes decided */
    struct entitlements_tally *tally; /* n_schemes entries, in library order */
};

void entitlements_summary_release(struct entitlements_summary *sum); /* accepts NULL */

/*
 * Decides every person of the registry (of q->country, if given) for every scheme of their
 * country in lib (only q->scheme, if given), whole households at a time, calling emit for
 * each result that applies (a scheme of the person's country): households in id order,
 * within one household and for persons without one by worker ID, each person's schemes in
 * library order. Records merged into another, and persons dead on or before q->as_of, are not
 * decided (nor counted as household members) but counted in sum->skipped. Each person is
 * decided with the life events recorded for them, as entitlements_person_situation does.
 * Memory stays bounded by the largest household and
 * ENTITLEMENTS_BLOCK_PERSONS, whatever the registry's size.
 *
 * Returns SP_OK with *sum filled (the caller releases it, whatever is returned);
 * SP_BAD_INPUT when q->scheme names no scheme of the library (or none of q->country), with
 * the id in the message; SP_IO for the store or memory; or emit's non-zero return.
 * Decisions that fail are results like others (status failed) and are counted in the tally.
 *
 * Threads: the store is read on the caller's thread while a second thread decides the block
 * read before, so emit and progress are called from that second thread (one call at a time,
 * in the order above; everything they touched is visible to the caller when this returns).
 * They must not use the store.
 */
int entitlements_all(struct store *store, const struct scheme_library *lib,
                     const struct entitlements_query *q, entitlement_fn emit, void *ctx,
                     entitlements_progress_fn progress, void *progress_ctx,
                     struct entitlements_summary *sum, struct error *err);

#endif
