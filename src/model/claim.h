/*
 * claim.h: a claim for an event-based benefit (docs/claims.md): a person asks a scheme to pay
 * for a life event (a birth, a work accident, a death, a job loss ...) on a date; the rules
 * engine adjudicates it, and it moves through its states (claims/claim_flow.h), each change
 * kept as a step with who, when and why. Evidence is kept by its SHA-256 and file name only.
 * Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_CLAIM_H
#define SPFLOOR_MODEL_CLAIM_H

#include <stdint.h>

#include "base/money.h"
#include "model/person.h"
#include "model/person_change.h"
#include "model/scheme_ref.h"

#define CLAIM_EVENT_SIZE       24   /* a life event type's name: "work_accident" */
#define CLAIM_DECISION_SIZE    24   /* a decision status's name: "parameter_not_set" */
#define CLAIM_PER_SIZE         8    /* day, month, quarter, year, once */
#define CLAIM_FIELDS_SIZE      512  /* the facts given with the claim, "k=v" one per line */
#define CLAIM_EXPLANATION_SIZE 2048 /* the decision's reasons for people, one per line */
#define CLAIM_MISSING_SIZE     512  /* the facts an undetermined decision waits on */
#define CLAIM_HASH_SIZE        65   /* a SHA-256 in hex, with its NUL */
#define CLAIM_FILE_NAME_SIZE   256  /* an evidence document's file name, without its folder */

/* Where a claim stands (claims/claim_flow.h says which change is allowed). */
enum claim_state {
    CLAIM_FILED = 1,    /* recorded, not yet decided */
    CLAIM_UNDER_REVIEW, /* an adjudicator looks at it (the rules could not decide) */
    CLAIM_APPROVED,     /* to be paid */
    CLAIM_REJECTED,     /* refused, with the explanation */
    CLAIM_PAID,         /* paid: final */
    CLAIM_APPEALED,     /* a rejection the claimant contests */
};
#define CLAIM_STATE_COUNT (CLAIM_APPEALED + 1)

/* A claim as the registry keeps it. */
struct claim {
    int64_t id;                               /* 1, 2 ... in the registry */
    char person[PERSON_ID_SIZE];              /* the claimant's worker ID */
    char scheme[SCHEME_ID_SIZE];              /* the scheme asked to pay */
    char event_type[CLAIM_EVENT_SIZE];        /* the event claimed for */
    int32_t event_date;                       /* when it happened; the decision is made on it */
    uint8_t state;                            /* enum claim_state */
    char decision[CLAIM_DECISION_SIZE];       /* the rules' decision: eligible, not_eligible,
                                                 undetermined, parameter_not_set, failed */
    int has_amount;                           /* 1: amount holds the benefit */
    int64_t amount;                           /* minor units of currency, per `per` */
    char currency[CURRENCY_CODE_SIZE];        /* the scheme's currency */
    char per[CLAIM_PER_SIZE];                 /* the period of amount */
    int32_t days;                             /* days of benefit the scheme gives, or -1 */
    int64_t paid;                             /* the amount paid (minor units), or -1 */
    char fields[CLAIM_FIELDS_SIZE];           /* facts given with the claim, "k=v" per line */
    char explanation[CLAIM_EXPLANATION_SIZE]; /* the decision's reasons, one per line */
    char missing[CLAIM_MISSING_SIZE];         /* undetermined: the facts to ask for, per line */
    char filed_at[PERSON_CHANGE_WHEN_SIZE];   /* when it was filed, UTC */
    char actor[PERSON_ACTOR_SIZE];            /* who filed it */
};

/* One change of a claim's state. */
struct claim_step {
    int64_t claim;                    /* the claim's id */
    int seq;                          /* 1, 2 ... per claim */
    uint8_t from;                     /* the state before (0: none, the filing) */
    uint8_t to;                       /* the state after */
    int32_t on_date;                  /* the day it took effect */
    int64_t amount;                   /* paid: the amount (minor units), else -1 */
    char at[PERSON_CHANGE_WHEN_SIZE]; /* when it was recorded, UTC */
    char actor[PERSON_ACTOR_SIZE];    /* who made it (a clerk, a court, an association) */
    char reason[PERSON_REASON_SIZE];  /* why, in their words */
};

/* A document attached to a claim, by its digest (no content is kept). */
struct claim_evidence {
    int64_t claim;                          /* the claim's id */
    char sha256[CLAIM_HASH_SIZE];           /* the content's SHA-256, lowercase hex */
    char file_name[CLAIM_FILE_NAME_SIZE];   /* its file name as given, without its folder */
    char added_at[PERSON_CHANGE_WHEN_SIZE]; /* when, UTC */
    char actor[PERSON_ACTOR_SIZE];          /* who attached it */
};

/* "filed", "under_review", "approved", "rejected", "paid", "appealed"; "" for another value. */
const char *claim_state_name(int state);

/* The state named `name`, or 0. */
int claim_state_parse(const char *name);

#endif
