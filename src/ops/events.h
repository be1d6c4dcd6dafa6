/*
 * events.h: life events in the registry (docs/events.md): recording a birth, a death, a
 * marriage, a move ... for a registered person, with what it changes on the records, and
 * listing a person's events.
 *
 * An event is kept as it was recorded (store_event_add) and is read by every later decision of
 * the person (ops/entitlements.h), as an `evaluate` file's events are. What it changes on the
 * records goes through the same history as `person update` (store_person_update: who, when,
 * why, old and new values), or marks the record deceased (store_person_mark):
 *   birth                  links a registered child (--child ID) or registers one; the
 *                          mother's living_children, when set, grows by one;
 *   death                  marks the record deceased on that day; the spouse (the one the last
 *                          marriage event names, else the head or spouse of the household) is
 *                          widowed: marital_status widowed and a widowhood event of their own;
 *   marriage, divorce      marital_status married or divorced, and the spouse's (given with
 *                          --spouse), who gets the same event;
 *   widowhood              marital_status widowed;
 *   disability_assessment  disability_class the class assessed;
 *   move                   admin1 and admin2 (through the gazetteer), and household;
 *   departure, return, job_loss, work_accident, pregnancy, miscarriage: nothing on the record;
 *                          the rules read them (a departure carries its destination and
 *                          contract_months).
 */
#ifndef SPFLOOR_OPS_EVENTS_H
#define SPFLOOR_OPS_EVENTS_H

#include <stdint.h>

#include "base/error.h"
#include "model/event.h"
#include "ops/persons.h"
#include "store/store.h"

/* What an event carries beside its type and date, as the clerk gave it; NULL: not given. */
struct events_facts {
    const char *child;             /* birth: the child's worker ID, when registered already */
    const char *child_given_name;  /* birth: registers the child with this name, */
    const char *child_family_name; /* this family name (else the mother's), */
    const char *child_sex;         /* and this sex (required to register) */
    const char *spouse;            /* marriage, divorce, widowhood: the spouse's worker ID */
    const char *destination;       /* departure: ISO 3166-1 alpha-2 */
    const char *contract_months;   /* departure: 1 to 600 */
    const char *disability_class;  /* disability_assessment: none, A, B or C (required) */
    const char *admin1;            /* move: the new province */
    const char *admin2;            /* move: the new district */
    const char *household;         /* move: the household moved into ("" leaves it) */
};

/* An event to record. */
struct events_request {
    const char *person; /* the worker ID (the printed form too): the mother, for a birth */
    const char *type;   /* birth, death ... (model/event.h) */
    int32_t date;       /* when it happened */
    struct events_facts facts;
    const char *actor;  /* who records it; not empty */
    const char *reason; /* why, or the document it was read from; NULL or "": the event is
                           the reason */
};

#define EVENTS_EFFECTS_MAX 8   /* lines of effects one event can have */
#define EVENTS_EFFECT_SIZE 192 /* bytes of one line */

/* What recording an event did. */
struct events_outcome {
    struct registry_event ev;                             /* the event as stored */
    char effects[EVENTS_EFFECTS_MAX][EVENTS_EFFECT_SIZE]; /* one line per change made, e.g.
                                                             "000000000027: marital_status
                                                             married -> widowed" */
    int n_effects;
};

/*
 * Records the event r describes and makes its changes (above), all in one transaction of its
 * own, tried again as persons_add's is. Checks first, and stores nothing when anything is
 * refused: SP_BAD_INPUT for an unknown type, a date missing or after `today`, nobody with the
 * worker ID (or the child's, or the spouse's), a date before the person's birth or after their
 * recorded death, a record merged into another, a fact the type does not take or a value
 * refused (a district the gazetteer does not know, with "did you mean"); SP_CONFLICT (a death
 * of a record marked already; a child registered already, named); SP_IO. *out is filled on
 * success.
 */
int events_add(struct store *store, const struct events_request *r, int32_t today,
               struct events_outcome *out, persons_retry_fn on_retry, void *ctx, struct error *err);

/*
 * As events_add, inside the caller's open transaction (store_begin, or an ops_transaction's
 * work), which it neither commits nor tries again: for a use case whose other writes go with
 * the event's (a claim, ops/claims.h). On a failure the caller rolls back.
 */
int events_record(struct store *store, const struct events_request *r, int32_t today,
                  struct events_outcome *out, struct error *err);

/*
 * Visits the events recorded for the person with worker ID id, by date. SP_BAD_INPUT when
 * nobody has that ID (persons_get's words); SP_IO.
 */
int events_list(struct store *store, const char *id, registry_event_visit_fn visit, void *ctx,
                struct error *err);

#endif
