/*
 * persons.h: looking a registered person up for a user, with the one wording every face uses
 * when there is nobody by that ID.
 */
#ifndef SPFLOOR_OPS_PERSONS_H
#define SPFLOOR_OPS_PERSONS_H

#include "base/error.h"
#include "model/person.h"
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
typedef void (*persons_retry_fn)(void *ctx, int attempt);

#define PERSONS_ADD_ATTEMPTS 5 /* tries when another writer got in the way */

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

#endif
