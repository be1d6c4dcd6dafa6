/*
 * household.h: a household, the unit that groups persons (DESIGN.md facts vocabulary).
 */
#ifndef SPFLOOR_MODEL_HOUSEHOLD_H
#define SPFLOOR_MODEL_HOUSEHOLD_H

#include "model/person.h"

struct household {
    char id[PERSON_SHORT_SIZE];     /* household id, e.g. "h1" */
    char country[3];                /* ISO 3166-1 alpha-2 */
    char admin1[PERSON_PLACE_SIZE]; /* province or state */
    char admin2[PERSON_PLACE_SIZE]; /* district */
};

#endif
