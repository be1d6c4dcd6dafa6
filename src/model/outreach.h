/*
 * outreach.h: the outreach and advocacy logs of partner organisations (docs/reports.md):
 * activities (awareness, training, legal aid ...) with their participants, either registry
 * persons or anonymous counts by sex and age group; organisations grouped into networks; and
 * proposals lobbied for, with the population they would benefit. Plain data: no heap.
 */
#ifndef SPFLOOR_MODEL_OUTREACH_H
#define SPFLOOR_MODEL_OUTREACH_H

#include <stdint.h>

#include "model/person.h"
#include "model/person_change.h"

#define OUTREACH_NAME_SIZE 97  /* an organisation's or a network's name */
#define OUTREACH_NOTE_SIZE 257 /* a note on an activity; a proposal's title or source */
#define ADVOCACY_ORGS_SIZE 513 /* the organisations of a proposal, ';'-joined */

enum outreach_type {
    OUTREACH_AWARENESS = 1,
    OUTREACH_TRAINING,
    OUTREACH_LEGAL_AID,
    OUTREACH_MOBILISATION,
    OUTREACH_ASSISTED_REGISTRATION,
    OUTREACH_VOCATIONAL_TRAINING,
    OUTREACH_HEALTH_SERVICE,
};

/* "awareness", "training", "legal_aid", "mobilisation", "assisted_registration",
 * "vocational_training", "health_service": NULL-terminated, in enum order from 1. */
extern const char *const outreach_type_words[];

/* An anonymous participant's age group. */
enum outreach_youth {
    OUTREACH_AGE_NOT_GIVEN = 0,
    OUTREACH_UNDER_35,
    OUTREACH_35_AND_OVER,
};

/* "age_not_given", "under_35", "35_and_over" (by enum value). */
extern const char *const outreach_youth_words[];

struct outreach_activity {
    int64_t id;                       /* its number; 0 before it is logged */
    char org[OUTREACH_NAME_SIZE];     /* the organisation that ran it */
    char network[OUTREACH_NAME_SIZE]; /* the organisation's network ("" none), as kept */
    uint8_t type;                     /* enum outreach_type */
    int32_t date;                     /* the day it took place */
    char country[3];                  /* where */
    char area[PERSON_PLACE_SIZE];     /* the district (admin2) or place */
    char note[OUTREACH_NOTE_SIZE];    /* may be "" */
    char actor[PERSON_ACTOR_SIZE];    /* who logged it */
    char recorded_at[PERSON_CHANGE_WHEN_SIZE];
};

/* A participant: a registry person (person != ""), or `count` anonymous persons of one sex
 * and age group. */
struct outreach_participant {
    int64_t activity;
    char person[PERSON_ID_SIZE]; /* a worker ID, or "" */
    uint8_t sex;                 /* anonymous: enum sex (SEX_UNSET: not given) */
    uint8_t youth;               /* anonymous: enum outreach_youth */
    int64_t count;               /* 1 for a person; >= 1 anonymous */
};

enum advocacy_status {
    ADVOCACY_LOBBIED = 1,
    ADVOCACY_APPROVED,
    ADVOCACY_REJECTED,
};

/* "lobbied", "approved", "rejected": NULL-terminated, in enum order from 1. */
extern const char *const advocacy_status_words[];

/* A proposal lobbied for, and who it would benefit (an entered estimate, with its source). */
struct advocacy {
    int64_t id;
    char title[OUTREACH_NOTE_SIZE];
    char country[3];
    uint8_t status;                  /* enum advocacy_status */
    int32_t date;                    /* the day of that status */
    char orgs[ADVOCACY_ORGS_SIZE];   /* the organisations involved, ';'-joined; may be "" */
    int64_t benefit;                 /* persons it would benefit, -1 not given */
    int64_t benefit_women;           /* of them women, -1 not given */
    int64_t benefit_young;           /* of them under 35, -1 not given */
    char source[OUTREACH_NOTE_SIZE]; /* where the estimate comes from ("" with none) */
    char actor[PERSON_ACTOR_SIZE];
    char recorded_at[PERSON_CHANGE_WHEN_SIZE];
};

/* A legal-aid or assisted-claim case, followed to its outcome. */
enum case_kind {
    CASE_LEGAL_AID = 1,
    CASE_ASSISTED_CLAIM,
};

/* "legal_aid", "assisted_claim": NULL-terminated, in enum order from 1. */
extern const char *const case_kind_words[];

enum case_outcome {
    CASE_PENDING = 1,
    CASE_WON,
    CASE_LOST,
};

/* "pending", "won", "lost": NULL-terminated, in enum order from 1. */
extern const char *const case_outcome_words[];

struct outreach_case {
    int64_t id;                   /* its number; 0 before it is opened */
    char org[OUTREACH_NAME_SIZE]; /* the organisation that follows it */
    uint8_t kind;                 /* enum case_kind */
    int64_t activity;             /* the outreach activity it came from, 0 none */
    char person[PERSON_ID_SIZE];  /* the claimant's worker ID, or "" (anonymous) */
    uint8_t sex;                  /* anonymous: enum sex (SEX_UNSET: not given) */
    uint8_t youth;                /* anonymous: enum outreach_youth */
    char country[3];
    char area[PERSON_PLACE_SIZE];
    int32_t opened;                /* the day it was taken on */
    uint8_t outcome;               /* enum case_outcome */
    int32_t decided;               /* the outcome's day; DATE_NONE while pending */
    int64_t recovered;             /* minor units of currency; 0 when none */
    char currency[4];              /* ISO 4217; "" when nothing is recovered */
    char note[OUTREACH_NOTE_SIZE]; /* may be "" */
    char actor[PERSON_ACTOR_SIZE]; /* who wrote it last */
    char recorded_at[PERSON_CHANGE_WHEN_SIZE];
};

/* The value of `word` in words (NULL-terminated, from 1), or 0. */
int outreach_word_parse(const char *const *words, const char *word);

#endif
