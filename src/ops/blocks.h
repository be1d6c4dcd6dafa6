/*
 * blocks.h: persons gathered whole households at a time into blocks, each decided on a second
 * thread while the next is filled: the batch path's pipeline, for whatever the persons come
 * from (the registry, a synthetic population) and whatever is done with them (entitlements,
 * a simulation).
 *
 * The caller adds persons household by household (the members of one household one after
 * another, a household's record with its first member). Once a block holds at least the
 * persons asked for, it is handed over at the next household boundary: indexed
 * (situation_index) and given to `decide` on the second thread, while the caller fills the
 * other block. So reading and deciding overlap on two cores, and memory stays bounded by the
 * block size and the largest household.
 */
#ifndef SPFLOOR_OPS_BLOCKS_H
#define SPFLOOR_OPS_BLOCKS_H

#include "base/error.h"
#include "model/household.h"
#include "model/person.h"
#include "rules/situation.h"

/*
 * Decides one indexed block (whole households). Called on the second thread, one block at a
 * time, in the order the blocks were filled. A non-zero return stops the batch: blocks_add
 * and blocks_finish return it, with err's message when err was set. It may change the block's
 * persons but not their number; the block is emptied after it returns.
 */
typedef int (*blocks_fn)(void *ctx, struct situation *block, struct error *err);

struct blocks;

/*
 * Starts a pipeline handing blocks of at least `persons` persons to decide(ctx, ...). Falls
 * back to deciding on the caller's thread when no thread can be started. SP_IO when out of
 * memory. The caller ends it with blocks_finish, which frees it.
 */
int blocks_start(blocks_fn decide, void *ctx, int persons, struct blocks **out, struct error *err);

/*
 * Has complete(ctx, block, err) called on the caller's thread with each full block before it
 * is handed over (complete NULL: none): it may add to the block's events and drop persons
 * (a block it leaves empty is not handed over). Its failure is returned by blocks_add,
 * blocks_flush or blocks_finish.
 */
void blocks_on_full(struct blocks *b, blocks_fn complete, void *ctx);

/* Hands over the block being filled now, whether full or not. Returns as blocks_add does. */
int blocks_flush(struct blocks *b, struct error *err);

/* 1 if p begins a household other than the last person added's (or has none). */
int blocks_new_household(const struct blocks *b, const struct person *p);

/*
 * Adds p (copied) to the block being filled, with its household record hh (copied; NULL when
 * p has none, or is not the first of its household to be added). Returns SP_OK, SP_IO when
 * out of memory, or the failure that stopped the decider.
 */
int blocks_add(struct blocks *b, const struct person *p, const struct household *hh,
               struct error *err);

/*
 * Adds an enrolment (copied) of the person last added, to the same block. SP_IO when out of
 * memory.
 */
int blocks_add_enrolment(struct blocks *b, const struct enrolment *e, struct error *err);

/*
 * Adds the enrolments of person `id` from list[0..n-1] (sorted by person) with
 * blocks_add_enrolment. SP_IO when out of memory.
 */
int blocks_add_enrolments_of(struct blocks *b, const struct enrolment *list, int n, const char *id,
                             struct error *err);

/*
 * Hands over the last block (unless rc, the caller's own failure, is not SP_OK), waits for the
 * decider and frees b. Returns the decider's failure when it had one (its message copied into
 * err when it set one: it may be what made the caller fail), else rc. Accepts NULL (returns rc).
 */
int blocks_finish(struct blocks *b, int rc, struct error *err);

#endif
