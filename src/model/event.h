/*
 * event.h: a life event of the facts vocabulary (DESIGN.md): a birth, a death, a work accident,
 * a pregnancy, a miscarriage, a job loss, a departure abroad or a return, on a date, to a
 * person. Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_EVENT_H
#define SPFLOOR_MODEL_EVENT_H

#include <stdint.h>

#include "model/person.h"

enum event_type {
    EVENT_BIRTH,
    EVENT_DEATH,
    EVENT_WORK_ACCIDENT,
    EVENT_PREGNANCY,
    EVENT_MISCARRIAGE,
    EVENT_JOB_LOSS,
    EVENT_DEPARTURE,
    EVENT_RETURN
};

struct life_event {
    enum event_type type;        /* what happened */
    int32_t date;                /* day number */
    char person[PERSON_ID_SIZE]; /* whom it happened to (the mother, for a birth) */
    char child[PERSON_ID_SIZE];  /* birth: the child's person id, or "" */
    int contract_months;         /* departure: the contract's length, 0 if not given */
    char destination[3];         /* departure: ISO 3166-1 country, or "" */
};

/* The event type named `name` ("birth", "job_loss" ...), or -1 if there is none. */
int event_type_parse(const char *name);

#endif
