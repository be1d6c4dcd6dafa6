/*
 * transaction.h: running a use case's writes as one transaction, tried again when another
 * writer got in the way; and the time a write is recorded at.
 */
#ifndef SPFLOOR_OPS_TRANSACTION_H
#define SPFLOOR_OPS_TRANSACTION_H

#include "base/error.h"
#include "model/person_change.h"
#include "store/store.h"

#define OPS_TRANSACTION_ATTEMPTS 5 /* tries when another writer got in the way */

/* Called before each new attempt (attempt 2, 3, ...); must not fail. */
typedef void (*ops_retry_fn)(void *ctx, int attempt);

/*
 * Runs work(store, arg, err) between store_begin and store_commit. When it fails because
 * another connection wrote the same records at the same time (store_retryable), the whole
 * transaction is tried again, up to OPS_TRANSACTION_ATTEMPTS times, a little later each time,
 * calling on_retry (may be NULL) first. Returns SP_OK, or the last attempt's failure with its
 * message; nothing is then stored.
 */
int ops_transaction(struct store *store, int (*work)(struct store *, void *, struct error *),
                    void *arg, ops_retry_fn on_retry, void *ctx, struct error *err);

#endif
