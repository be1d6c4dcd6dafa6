/*
 * enrol.h: enrolling registered persons in schemes (docs/enrolment.md): one person, as the
 * rules engine decides on the first day or, recorded, against it; everyone eligible, as a
 * restartable batch over the registry; and the changes of state of an enrolment.
 */
#ifndef SPFLOOR_OPS_ENROL_H
#define SPFLOOR_OPS_ENROL_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/enrolment.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "store/store.h"

#define ENROL_GROUP 1000 /* enrolments a batch writes in one transaction */

struct enrol_request {
    const char *person;          /* worker ID, printed or not */
    const char *scheme;          /* the scheme's id */
    int32_t from;                /* the first day; the decision is made on it */
    const char *override_reason; /* NULL: only as the rules decide; else why an adjudicator
                                    enrols against their decision (recorded) */
    const char *actor, *reason;  /* who, and why (both needed) */
};

/*
 * Enrols one person. The rules engine decides every scheme of the person's country on
 * rq->from (exclusion groups applied): an enrolment is made when the scheme's decision is
 * payable (eligible, not excluded by another scheme of its group). Otherwise, without
 * rq->override_reason, it is refused: SP_CONFLICT with the decision and its reasons for people
 * (decide_reasons) in the message, or the facts to ask for when it is undetermined. *added is 0
 * when the person is already enrolled in the scheme (nothing changed). The decision's status
 * goes to *status. SP_BAD_INPUT: no such person or scheme, a record merged or of a person who
 * died, a scheme of another country; SP_IO: the store.
 */
int enrol_person(struct store *store, const struct scheme_library *lib,
                 const struct enrol_request *rq, int *added, enum decision_status *status,
                 struct error *err);

/*
 * enrol_person for a fixed span: the enrolment ends on `to` (its last day; DATE_NONE: open),
 * as a temporary scheme's does (a shock's horizontal expansion, ops/shocks.h).
 */
int enrol_person_until(struct store *store, const struct scheme_library *lib,
                       const struct enrol_request *rq, int32_t to, int *added,
                       enum decision_status *status, struct error *err);

/* What a batch enrolment did. */
struct enrol_summary {
    int64_t decided;      /* persons decided for the scheme */
    int64_t payable;      /* of them, payable */
    int64_t added;        /* enrolled now */
    int64_t already;      /* payable and enrolled before */
    int64_t undetermined; /* listed with the facts to ask for, not enrolled */
    int64_t excluded;     /* eligible, but another scheme of the group is paid instead */
};

/* Receives a person the batch could not decide, with the facts missing, one per line. */
typedef int (*enrol_undetermined_fn)(void *ctx, const char *person, const char *missing);

/* Called with the persons decided, then with the enrolments written; must not fail. */
typedef void (*enrol_progress_fn)(void *ctx, int64_t count);

/*
 * Enrols from as_of every registered person whose decision for `scheme` is payable on as_of,
 * and lists the undetermined ones (undetermined, called on another thread, one call at a
 * time). The decisions are made first (entitlements_all), then the enrolments written
 * ENROL_GROUP to a transaction: a batch killed part way leaves whole groups, and running it
 * again ends with the same enrolments, none twice. SP_BAD_INPUT for an unknown scheme; SP_IO.
 */
int enrol_all(struct store *store, const struct scheme_library *lib, const char *scheme,
              int32_t as_of, const char *actor, const char *reason,
              enrol_undetermined_fn undetermined, void *ctx, enrol_progress_fn progress,
              void *progress_ctx, struct enrol_summary *sum, struct error *err);

/*
 * Suspends, resumes or ends (state ENROLMENT_ACTIVE, _SUSPENDED or _ENDED) the person's
 * enrolment in the scheme that is not ended, on `date` (ending: its last day), in a transaction
 * of its own (store_enrolment_set_state). SP_BAD_INPUT when there is none.
 */
int enrol_set_state(struct store *store, const char *person, const char *scheme, int state,
                    int32_t date, const char *actor, const char *reason, struct error *err);

#endif
