/*
 * grievances.h: grievances and appeals (docs/grievances.md): raising one about a claim, an
 * enrolment, a payment or a registration; escalating it through the levels of a policy
 * (claims/grievance_flow.h) with their time limits; resolving it; and finding the overdue
 * ones, which escalate to the next level on the day after their deadline. Every step is kept
 * with who, when and why, and in the person's audit trail.
 */
#ifndef SPFLOOR_OPS_GRIEVANCES_H
#define SPFLOOR_OPS_GRIEVANCES_H

#include <stdint.h>

#include "base/error.h"
#include "claims/grievance_flow.h"
#include "model/grievance.h"
#include "store/store.h"

/*
 * Reads the policy file at path into *p (grievance_flow.h gives its form); path NULL: the
 * default policy. SP_BAD_INPUT with file:line:column; SP_IO when it cannot be read.
 */
int grievances_policy_load(const char *path, struct grievance_policy *p, struct error *err);

/* A grievance to raise. */
struct grievances_request {
    const char *person; /* the worker ID (the printed form too) */
    const char *about;  /* claim, enrolment, payment or registration */
    const char *ref;    /* what exactly (a claim's number, a scheme ...), or NULL */
    const char *text;   /* the complaint; not empty */
    int32_t on;         /* the day it was raised */
    const char *actor;  /* who records it */
};

/*
 * Raises the grievance rq describes, at the policy's first level with its type's deadline, in
 * a transaction of its own. SP_BAD_INPUT (unknown person, type or claim: a grievance about a
 * claim names a claim of that person when it gives a ref; empty text; a day after today);
 * SP_IO. *out is the grievance as stored.
 */
int grievances_open(struct store *store, const struct grievance_policy *p,
                    const struct grievances_request *rq, int32_t today, struct grievance *out,
                    struct error *err);

/*
 * Escalates the grievance `id` to the policy's next level on `on`, or resolves it on `on` with
 * `reason` as its resolution (resolve 1), in a transaction of its own. SP_BAD_INPUT (no such
 * grievance, no reason, a day before it reached its level); SP_CONFLICT (resolved already, at
 * the last level); SP_IO. *out is the grievance after.
 */
int grievances_escalate(struct store *store, const struct grievance_policy *p, int64_t id,
                        int32_t on, const char *actor, const char *reason, struct grievance *out,
                        struct error *err);
int grievances_resolve(struct store *store, int64_t id, int32_t on, const char *actor,
                       const char *reason, struct grievance *out, struct error *err);

/* Receives one overdue grievance, after its escalations (escalated: how many now). */
typedef int (*grievances_overdue_fn)(void *ctx, const struct grievance *g, int escalated);

/*
 * Finds the grievances open past their deadline on as_of. With `escalate`, each climbs, in a
 * transaction of its own, one level per deadline passed (each on the day after the deadline,
 * with its new deadline, the reason saying so), until its deadline is not passed or it is at
 * the last level; then visit gets it. Without, visit gets each as it stands. SP_IO; visit's
 * non-zero return stops and is returned.
 */
int grievances_overdue(struct store *store, const struct grievance_policy *p, int32_t as_of,
                       int escalate, const char *actor, grievances_overdue_fn visit, void *ctx,
                       struct error *err);

/* Reads a grievance number into *id. SP_BAD_INPUT naming the text when it is not one. */
int grievances_parse_id(const char *text, int64_t *id, struct error *err);

#endif
