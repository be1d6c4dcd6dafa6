/*
 * person_change.h: one field of a registered person changed by a correction, with who, when
 * and why (the registry keeps every earlier value: store_person_update, ops/persons.h).
 */
#ifndef SPFLOOR_MODEL_PERSON_CHANGE_H
#define SPFLOOR_MODEL_PERSON_CHANGE_H

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

/* Visits one change; a non-zero return stops the walk and is returned. */
typedef int (*person_change_visit_fn)(void *ctx, const struct person_change *c);

#endif
