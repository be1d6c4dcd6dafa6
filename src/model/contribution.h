/*
 * contribution.h: one month's contribution of a person to a contributory scheme (DESIGN.md):
 * the wage base and its parts, in minor units with their currency. Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_CONTRIBUTION_H
#define SPFLOOR_MODEL_CONTRIBUTION_H

#include <stdint.h>

#include "base/money.h"
#include "model/person.h"
#include "model/scheme_ref.h"

struct contribution {
    char person[PERSON_ID_SIZE]; /* whose contribution it is */
    char scheme[SCHEME_ID_SIZE]; /* the contribution scheme's id */
    int32_t month;               /* month number (base/date.h) */
    struct money wage;           /* the wage base */
    struct money employee;       /* the parts; currency[0] == '\0' when not given */
    struct money employer;       /* the employer's part */
    struct money state;          /* the state's subsidy */
};

#endif
