/*
 * persons.c: a person looked up by worker ID, or a message a clerk can act on (persons.h).
 */
#include "ops/persons.h"

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
