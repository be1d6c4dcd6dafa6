/*
 * transaction.c: one transaction, tried again when another writer got in the way
 * (transaction.h).
 */
#include "ops/transaction.h"

#include <time.h>

int ops_transaction(struct store *store, int (*work)(struct store *, void *, struct error *),
                    void *arg, ops_retry_fn on_retry, void *ctx, struct error *err)
{
    struct error why;
    int rc;
    for (int attempt = 1;; attempt++) {
        error_init(&why);
        rc = store_begin(store, &why);
        if (rc == SP_OK)
            rc = work(store, arg, &why);
        if (rc == SP_OK)
            rc = store_commit(store, &why);
        if (rc != SP_OK)
            store_rollback(store);
        if (rc == SP_OK || attempt == OPS_TRANSACTION_ATTEMPTS || !store_retryable(store))
            break;
        if (on_retry != NULL)
            on_retry(ctx, attempt + 1);
        struct timespec pause = {0, 20000000L * attempt}; /* 20 ms, 40 ms, ... */
        nanosleep(&pause, NULL);
    }
    return rc == SP_OK ? SP_OK : error_set(err, rc, "%s", why.message);
}
