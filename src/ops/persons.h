/*
 * persons.h: looking a registered person up for a user, with the one wording every face uses
 * when there is nobody by that ID.
 */
#ifndef SPFLOOR_OPS_PERSONS_H
#define SPFLOOR_OPS_PERSONS_H

#include "base/error.h"
#include "model/person.h"
#include "ops/transaction.h"
#include "store/store.h"

/*
 * Fills *out with the person whose worker ID is `id`. SP_BAD_INPUT "no person with ID X is
 * registered" when there is none (a wrong check digit included); SP_IO for the store.
 */
int persons_get(struct store *store, const char *id, struct person *out, struct error *err);

/*
 * Makes p ready to register: resolves its admin1 and admin2 against the gazetteer (to the
 * official names, registry/gazetteer.h) and checks it as a registry record (person_validate).
 * Returns SP_OK, or SP_BAD_INPUT naming the field (an unknown district comes with "did you
 * mean"); p's areas are then unchanged.
 */
int persons_check(struct person *p, struct error *err);

/* Called before each new attempt of persons_add (attempt 2, 3, ...); must not fail. */
typedef ops_retry_fn persons_retry_fn;

#define PERSONS_ADD_ATTEMPTS OPS_TRANSACTION_ATTEMPTS

/*
 * Registers p in a transaction of its own, after persons_check (so its areas are stored by
 * their official names): on success p->id holds its worker ID. When another
 * connection wrote the same records at the same time (store_retryable: a serialization failure
 * on PostgreSQL), the whole transaction is tried again, up to PERSONS_ADD_ATTEMPTS times, a
 * little later each time, calling on_retry (may be NULL) first. Returns SP_OK, or the failure
 * of the last attempt (SP_BAD_INPUT, SP_CONFLICT naming the existing record, SP_IO); nothing
 * is then stored.
 */
int persons_add(struct store *store, struct person *p, persons_retry_fn on_retry, void *ctx,
                struct error *err);

/* The duplicate check of persons_add_checked. */
struct persons_duplicate_check {
    double threshold;            /* refuse when a registered person scores this or more
                                    (registry/dedup.h); 0: no check */
    const char *const *reviewed; /* worker IDs a clerk has confirmed are other persons */
    int n_reviewed;
    const char *actor; /* who confirmed them (kept with each review) */
};

/*
 * persons_add, first looking for a likely duplicate among the registered persons
 * (dedup_check_person: by name in any script and by phone, scored) in the same transaction:
 * SP_CONFLICT naming the first one, its score and the fields that agree and differ, and saying
 * how to confirm a different person, unless its ID is among check->reviewed. Each reviewed ID
 * must be a registered person's (else SP_BAD_INPUT) and is kept on the new record as a
 * correction of "not_duplicate_of" by check->actor, so that `dedup scan` does not report the
 * pair again. Nothing is stored on failure.
 */
int persons_add_checked(struct store *store, struct person *p,
                        const struct persons_duplicate_check *check, persons_retry_fn on_retry,
                        void *ctx, struct error *err);

/* A correction: the fields to set (names of the facts vocabulary, values as person add takes
 * them; "" unsets an optional field), who makes it and why. */
struct persons_correction {
    const char *const *fields;
    const char *const *values;
    int n;
    const char *actor;
    const char *reason;
};

/*
 * Corrects the person with worker ID id (the printed form is read too): sets c's fields on the
 * registered facts and stores the result with store_person_update, keeping the old values, in a
 * transaction of its own tried again as persons_add's is. *out is the person as stored now and
 * *changed the number of fields that changed (0: the values were already those; nothing is
 * written). Returns SP_OK; SP_BAD_INPUT (nobody has the ID, a value is refused, who or why is
 * missing); SP_CONFLICT (the new national ID or name, birth date and district are another
 * registered person's, named); SP_IO. Nothing is stored on failure.
 */
int persons_update(struct store *store, const char *id, const struct persons_correction *c,
                   int32_t today, struct person *out, int *changed, persons_retry_fn on_retry,
                   void *ctx, struct error *err);

/*
 * persons_update's work inside the caller's open transaction (no retry, no commit): on a
 * failure the caller rolls back.
 */
int persons_correct(struct store *store, const char *id, const struct persons_correction *c,
                    int32_t today, struct person *out, int *changed, struct error *err);

/*
 * Marks the record with worker ID id as deceased or merged (store_person_mark), in a
 * transaction of its own tried again as persons_add's is. Same returns as store_person_mark.
 */
int persons_mark(struct store *store, const char *id, const struct person_mark *m, int32_t today,
                 const char *actor, const char *reason, persons_retry_fn on_retry, void *ctx,
                 struct error *err);

/*
 * SP_OK when the record with worker ID id may be decided on as_of; SP_BAD_INPUT saying why not
 * when it is a duplicate merged into another record (named: decide on that one) or the
 * person's death is recorded on or before as_of.
 */
int persons_check_current(struct store *store, const char *id, int32_t as_of, struct error *err);

#endif
