/*
 * enrolment.h: a person's enrolment in a scheme over a span of days (DESIGN.md). Plain data:
 * no heap.
 */
#ifndef SPFLOOR_MODEL_ENROLMENT_H
#define SPFLOOR_MODEL_ENROLMENT_H

#include <stdint.h>

#include "model/person.h"
#include "model/scheme_ref.h"

struct enrolment {
    char person[PERSON_ID_SIZE]; /* who is enrolled */
    char scheme[SCHEME_ID_SIZE]; /* in which scheme */
    int32_t from;                /* first day enrolled */
    int32_t to;                  /* last day enrolled, DATE_NONE while open */
};

#endif
