/*
 * shock.h: a declared shock (a flood, a drought, an earthquake ...) and the response it
 * calls for (docs/payroll.md "Shock response"): a top-up of a scheme's payments for its current
 * beneficiaries in the affected districts (vertical expansion), or the enrolment of everyone
 * there in a temporary scheme (horizontal expansion), between two days. Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_SHOCK_H
#define SPFLOOR_MODEL_SHOCK_H

#include <stdint.h>

#include "base/money.h"
#include "model/person.h"
#include "model/person_change.h"
#include "model/scheme_ref.h"

#define SHOCK_NAME_MAX   11 /* a short code naming it in payment periods: "flood-2024" */
#define SHOCK_NAME_SIZE  (SHOCK_NAME_MAX + 1)
#define SHOCK_AREAS_SIZE 1024 /* the districts' official names, ';'-joined */

enum shock_mode {
    SHOCK_TOP_UP = 1,     /* vertical: an extra payment for current beneficiaries */
    SHOCK_ENROL_AFFECTED, /* horizontal: everyone there enrolled in a temporary scheme */
};

struct shock {
    int64_t id;                        /* 1, 2 ... in the registry */
    char name[SHOCK_NAME_SIZE];        /* unique: [a-z0-9-], begins with a letter */
    char country[3];                   /* the scheme's country, where the districts lie */
    char areas[SHOCK_AREAS_SIZE];      /* admin2 official names, ';'-joined */
    int32_t from, to;                  /* the days it covers, both included */
    uint8_t mode;                      /* enum shock_mode */
    char scheme[SCHEME_ID_SIZE];       /* the scheme topped up, or enrolled in */
    int64_t top_up_amount;             /* minor units per period, or 0 */
    int64_t top_up_rate;               /* hundredths of a percent of the period's amount, or 0 */
    char currency[CURRENCY_CODE_SIZE]; /* of top_up_amount: the scheme's */
    char actor[PERSON_ACTOR_SIZE];     /* who declared it */
    char recorded_at[PERSON_CHANGE_WHEN_SIZE];
};

/* "top_up", "enroll_affected"; "" for another value. */
const char *shock_mode_name(int mode);

/* The mode named `name`, or 0. */
int shock_mode_parse(const char *name);

#endif
