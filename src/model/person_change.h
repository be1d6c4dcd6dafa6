/*
 * person_change.h: one field of a registered person changed by a correction, with who, when
 * and why (the registry keeps every earlier value: store_person_update, ops/persons.h); and
 * the marks a record may carry instead of being deleted (deceased, merged into another).
 */
#ifndef SPFLOOR_MODEL_PERSON_CHANGE_H
#define SPFLOOR_MODEL_PERSON_CHANGE_H

#include <stdint.h>

#define PERSON_CHANGE_VALUE_SIZE 257 /* a field's value as person show writes it */
#define PERSON_CHANGE_FIELD_SIZE 48  /* a field name of the facts vocabulary */
#define PERSON_CHANGE_WHEN_SIZE  24  /* YYYY-MM-DDTHH:MM:SSZ */
#define PERSON_ACTOR_SIZE        65  /* who: a user name */
#define PERSON_REASON_SIZE       257 /* why, in the clerk's words */

struct person_change {
    int version;                              /* the correction: 1, 2, ... per person */
    char field[PERSON_CHANGE_FIELD_SIZE];     /* e.g. "phone" */
    char old_value[PERSON_CHANGE_VALUE_SIZE]; /* "" when it was not set */
    char new_value[PERSON_CHANGE_VALUE_SIZE]; /* "" when it is no longer set */
    char changed_at[PERSON_CHANGE_WHEN_SIZE]; /* UTC */
    char actor[PERSON_ACTOR_SIZE];
    char reason[PERSON_REASON_SIZE];
};

/* What a record is marked as: nothing is deleted from the registry, a record is marked. */
enum person_mark_kind {
    PERSON_MARK_NONE,
    PERSON_MARK_DECEASED, /* the person died on `date` */
    PERSON_MARK_MERGED,   /* a duplicate: the same person as the record `into` */
};

struct person_mark {
    enum person_mark_kind kind;
    int32_t date;                        /* PERSON_MARK_DECEASED: the day of death */
    char into[PERSON_CHANGE_FIELD_SIZE]; /* PERSON_MARK_MERGED: the surviving worker ID */
};

/* Visits one change; a non-zero return stops the walk and is returned. */
typedef int (*person_change_visit_fn)(void *ctx, const struct person_change *c);

#endif
