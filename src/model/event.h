/*
 * event.h: a life event of the facts vocabulary (DESIGN.md): a birth, a death, a work accident,
 * a pregnancy, a miscarriage, a job loss, a departure abroad or a return, a marriage, a divorce,
 * widowhood, a disability assessment or a move, on a date, to a person; and the same event as
 * the registry keeps it (struct registry_event: who recorded it, when and why, and the facts it
 * set). Plain data: no heap.
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
    EVENT_RETURN,
    EVENT_MARRIAGE,              /* marital_status becomes married (and the spouse's) */
    EVENT_DIVORCE,               /* marital_status becomes divorced (and the spouse's) */
    EVENT_WIDOWHOOD,             /* marital_status becomes widowed */
    EVENT_DISABILITY_ASSESSMENT, /* disability_class becomes the class assessed */
    EVENT_MOVE,                  /* admin1, admin2 (and household) become the new ones */
};

#define EVENT_TYPE_COUNT (EVENT_MOVE + 1)
#define EVENT_WHEN_SIZE  24  /* YYYY-MM-DDTHH:MM:SSZ */
#define EVENT_ACTOR_SIZE 65  /* who recorded it: a user name */
#define EVENT_TEXT_SIZE  257 /* why, in the clerk's words */

struct life_event {
    enum event_type type;        /* what happened */
    int32_t date;                /* day number */
    char person[PERSON_ID_SIZE]; /* whom it happened to (the mother, for a birth) */
    char child[PERSON_ID_SIZE];  /* birth: the child's person id, or "" */
    int contract_months;         /* departure: the contract's length, 0 if not given */
    char destination[3];         /* departure: ISO 3166-1 country, or "" */
};

/*
 * A life event as the registry keeps it (store_event_add, ops/events.h): the event the rules
 * engine reads, what it set on the person's record, and who recorded it, when and why. Fields
 * that do not belong to the event's type are "" (text), 0 (disability_class).
 */
struct registry_event {
    struct life_event e;               /* e.person: the worker ID; e.child: a birth's child */
    int seq;                           /* 1, 2 ... per person, in the order recorded */
    char spouse[PERSON_ID_SIZE];       /* marriage, divorce, widowhood: the spouse's worker ID */
    uint8_t disability_class;          /* disability_assessment: enum disability_class */
    char admin1[PERSON_PLACE_SIZE];    /* move: the new province (official name), or "" */
    char admin2[PERSON_PLACE_SIZE];    /* move: the new district (official name), or "" */
    char household[PERSON_SHORT_SIZE]; /* move: the household moved into, or "" */
    char recorded_at[EVENT_WHEN_SIZE]; /* when it was recorded, UTC */
    char actor[EVENT_ACTOR_SIZE];      /* who recorded it */
    char reason[EVENT_TEXT_SIZE];      /* why, or where it was read (a certificate) */
};

/* The event type named `name` ("birth", "job_loss" ...), or -1 if there is none. */
int event_type_parse(const char *name);

/* The name of event type t ("birth"); "" for a value that is no type. */
const char *event_type_name(int t);

/* The names of every event type, comma-separated, for messages ("birth, death, ..."). */
extern const char event_type_list[];

#endif
