/*
 * persons.c: a person looked up by worker ID, or a message a clerk can act on (persons.h).
 */
#include "ops/persons.h"

#include <string.h>
#include <time.h>

#include "registry/gazetteer.h"

int persons_get(struct store *store, const char *id, struct person *out, struct error *err)
{
    int found = 0;
    int rc = store_person_get(store, id, out, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT,
                       "no person with ID %s is registered: check the 12 digits, or find the "
                       "person by name with 'spfloor find'",
                       id);
    return rc;
}

int persons_check(struct person *p, struct error *err)
{
    int rc = gazetteer_resolve_person(p, err);
    return rc == SP_OK ? person_validate(p, err) : rc;
}

int persons_add(struct store *store, struct person *p, persons_retry_fn on_retry, void *ctx,
                struct error *err)
{
    int checked = persons_check(p, err);
    if (checked != SP_OK)
        return checked;
    char given_id[PERSON_ID_SIZE];
    memcpy(given_id, p->id, sizeof given_id);
    struct error why;
    int rc;
    for (int attempt = 1;; attempt++) {
        error_init(&why);
        memcpy(p->id, given_id, sizeof given_id); /* a failed attempt may have set it */
        rc = store_begin(store, &why);
        if (rc == SP_OK)
            rc = store_person_insert(store, p, &why);
        if (rc == SP_OK)
            rc = store_commit(store, &why);
        if (rc != SP_OK)
            store_rollback(store);
        if (rc == SP_OK || attempt == PERSONS_ADD_ATTEMPTS || !store_retryable(store))
            break;
        if (on_retry != NULL)
            on_retry(ctx, attempt + 1);
        struct timespec pause = {0, 20000000L * attempt}; /* 20 ms, 40 ms, ... */
        nanosleep(&pause, NULL);
    }
    return rc == SP_OK ? SP_OK : error_set(err, rc, "%s", why.message);
}
