/*
 * enrolment.h: a person's enrolment in a scheme over a span of days (DESIGN.md). Plain data:
 * no heap.
 */
#ifndef SPFLOOR_MODEL_ENROLMENT_H
#define SPFLOOR_MODEL_ENROLMENT_H

#include <stdint.h>

#include "model/person.h"
#include "model/person_change.h"
#include "model/scheme_ref.h"

struct enrolment {
    char person[PERSON_ID_SIZE]; /* who is enrolled */
    char scheme[SCHEME_ID_SIZE]; /* in which scheme */
    int32_t from;                /* first day enrolled */
    int32_t to;                  /* last day enrolled, DATE_NONE while open */
};

/* Where a registered enrolment stands (docs/enrolment.md). */
enum enrolment_state {
    ENROLMENT_ACTIVE = 1, /* paid as the scheme decides */
    ENROLMENT_SUSPENDED,  /* kept, but not paid until resumed */
    ENROLMENT_ENDED,      /* over: `to` is its last day */
};

/* An enrolment as the registry keeps it: the span, its state, and who made it and why. */
struct enrolment_record {
    struct enrolment e;                        /* e.person: the worker ID */
    uint8_t state;                             /* enum enrolment_state */
    int32_t state_since;                       /* the day the state took effect */
    char reason[PERSON_REASON_SIZE];           /* why the last change of state */
    char override_reason[PERSON_REASON_SIZE];  /* "": enrolled as the rules decide; else why
                                                 an adjudicator enrolled against them */
    char actor[PERSON_ACTOR_SIZE];             /* who made the last change */
    char recorded_at[PERSON_CHANGE_WHEN_SIZE]; /* when (UTC) */
};

/* "active", "suspended", "ended"; "" for another value. */
const char *enrolment_state_name(int state);

/* The state named `name`, or 0. */
int enrolment_state_parse(const char *name);

#endif
