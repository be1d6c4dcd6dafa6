/*
 * grievance.h: a grievance a person raises about a claim, an enrolment, a payment or their
 * registration (docs/grievances.md). It is heard at one level after another (office,
 * district, national, court: claims/grievance_flow.h), each with a time limit; every step is
 * kept with who, when and why. Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_GRIEVANCE_H
#define SPFLOOR_MODEL_GRIEVANCE_H

#include <stdint.h>

#include "model/person.h"
#include "model/person_change.h"

#define GRIEVANCE_REF_SIZE    65  /* what it is about: a claim id, a scheme, a payment ref */
#define GRIEVANCE_TEXT_SIZE   513 /* the complaint, in the person's words */
#define GRIEVANCE_LEVEL_SIZE  33  /* a level's name: "office", "district" */
#define GRIEVANCE_ACTION_SIZE 16  /* a step: "open", "escalate", "resolve" */

/* What a grievance is about. */
enum grievance_about {
    GRIEVANCE_ABOUT_CLAIM = 1,
    GRIEVANCE_ABOUT_ENROLMENT,
    GRIEVANCE_ABOUT_PAYMENT,
    GRIEVANCE_ABOUT_REGISTRATION,
};
#define GRIEVANCE_ABOUT_COUNT (GRIEVANCE_ABOUT_REGISTRATION + 1)

enum grievance_state {
    GRIEVANCE_OPEN = 1, /* being heard at its level */
    GRIEVANCE_RESOLVED, /* closed, with its resolution */
};

/* A grievance as the registry keeps it. */
struct grievance {
    int64_t id;                              /* 1, 2 ... in the registry */
    char person[PERSON_ID_SIZE];             /* who raised it: a worker ID */
    uint8_t about;                           /* enum grievance_about */
    char ref[GRIEVANCE_REF_SIZE];            /* what exactly (a claim id ...), or "" */
    char text[GRIEVANCE_TEXT_SIZE];          /* the complaint */
    uint8_t state;                           /* enum grievance_state */
    char level[GRIEVANCE_LEVEL_SIZE];        /* the level hearing it now */
    int32_t opened_on;                       /* the day it was raised */
    int32_t level_since;                     /* the day it reached its level */
    int32_t deadline;                        /* the last day to resolve it at its level */
    int32_t resolved_on;                     /* resolved: the day, else DATE_NONE */
    char resolution[PERSON_REASON_SIZE];     /* resolved: how, else "" */
    char opened_at[PERSON_CHANGE_WHEN_SIZE]; /* when it was recorded, UTC */
    char actor[PERSON_ACTOR_SIZE];           /* who recorded it */
};

/* One step of a grievance. */
struct grievance_step {
    int64_t grievance;                  /* the grievance's id */
    int seq;                            /* 1, 2 ... per grievance */
    char action[GRIEVANCE_ACTION_SIZE]; /* "open", "escalate", "resolve" */
    char level[GRIEVANCE_LEVEL_SIZE];   /* the level after the step */
    int32_t on_date;                    /* the day it took effect */
    int32_t deadline;                   /* the deadline after it (DATE_NONE once resolved) */
    char at[PERSON_CHANGE_WHEN_SIZE];   /* when it was recorded, UTC */
    char actor[PERSON_ACTOR_SIZE];      /* who */
    char reason[PERSON_REASON_SIZE];    /* why */
};

/* "claim", "enrolment", "payment", "registration"; "" for another value. */
const char *grievance_about_name(int about);
int grievance_about_parse(const char *name); /* or 0 */

/* "open", "resolved"; "" for another value. */
const char *grievance_state_name(int state);
int grievance_state_parse(const char *name); /* or 0 */

#endif
