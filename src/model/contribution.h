/*
 * contribution.h: one month's contribution of a person to a contributory scheme (DESIGN.md):
 * the wage base and its parts, in minor units with their currency. Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_CONTRIBUTION_H
#define SPFLOOR_MODEL_CONTRIBUTION_H

#include <stdint.h>

#include "base/money.h"
#include "model/person.h"
#include "model/person_change.h"
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

/* The longest employer reference a ledger entry keeps (an employer's registration number or
 * name, as the employer's file gives it), with its NUL. */
#define CONTRIBUTION_EMPLOYER_SIZE 64

/*
 * One entry of the contributions ledger (docs/contributions.md). The ledger is append-only: a
 * correction is a reversing entry (every amount negated, `reverses` naming the entry it
 * cancels) and a new entry. c.wage is the booked wage base, the salary credit: the wage as
 * given, clamped to the scheme's floor and cap in force in the month.
 */
struct contribution_entry {
    int64_t id;                                /* the ledger's number; 0 before it is booked */
    struct contribution c;                     /* person, scheme, month, wage base and parts */
    char employer[CONTRIBUTION_EMPLOYER_SIZE]; /* who paid it in; "" for the person themself */
    int64_t declared;                          /* the wage or income as given, minor units
                                                  (-1: none given, the scheme fixes the amount) */
    int64_t paid;                              /* what the payer says it paid, minor units; -1
                                                  when not said */
    int32_t paid_on;                           /* the day it was paid, DATE_NONE when not said */
    int32_t due;                               /* the day it was due, DATE_NONE when the scheme
                                                  does not say */
    uint8_t voluntary;                         /* 1: a voluntary contribution (optional scheme) */
    int64_t reverses;                          /* a reversing entry: the id it cancels; else 0 */
    char reason[PERSON_REASON_SIZE];           /* why a reversal or correction; may be "" */
    char actor[PERSON_ACTOR_SIZE];             /* who booked it */
    char recorded_at[PERSON_CHANGE_WHEN_SIZE]; /* when (UTC) */
};

#endif
