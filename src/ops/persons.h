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

#endif
