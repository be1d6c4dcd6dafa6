/*
 * grievance_flow.h: the grievance state machine, with time limits and escalation levels
 * (docs/grievances.md). Pure: no database, no clock; days are base/date.h day numbers.
 *
 * A policy names the levels a grievance is heard at, lowest first (by default office,
 * district, national, court), and at each level the days it has to be resolved in, per
 * grievance type (claim, enrolment, payment, registration). A grievance opens at the first
 * level with the deadline of its type there; escalating moves it to the next level with a new
 * deadline counted from the day it moves; resolving closes it. A grievance still open after
 * its deadline is overdue and escalates, on the day after the deadline, to the next level
 * (grievance_flow_overdue); at the last level it stays overdue.
 *
 * A policy file, one level per line, lowest first ('#' starts a comment):
 *     office    15  payment=7
 *     district  30
 *     national  60
 *     court     180
 * The number is the days at that level for every type; TYPE=DAYS sets one type's own.
 */
#ifndef SPFLOOR_CLAIMS_GRIEVANCE_FLOW_H
#define SPFLOOR_CLAIMS_GRIEVANCE_FLOW_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "model/grievance.h"

#define GRIEVANCE_LEVELS_MAX 8    /* levels of a policy */
#define GRIEVANCE_DAYS_MAX   3660 /* days at one level: at most ten years */
#define GRIEVANCE_POLICY_MAX 8192 /* bytes of a policy file */

struct grievance_level {
    char name[GRIEVANCE_LEVEL_SIZE]; /* "office" */
    int days[GRIEVANCE_ABOUT_COUNT]; /* days to resolve, per enum grievance_about (1..) */
};

struct grievance_policy {
    struct grievance_level levels[GRIEVANCE_LEVELS_MAX]; /* lowest first */
    int n;                                               /* levels, at least 1 */
};

/* The default policy: office 15 days (payment 7), district 30, national 60, court 180. */
void grievance_policy_default(struct grievance_policy *p);

/*
 * Reads a policy from text (n bytes; `file` names it in messages) into *p. SP_BAD_INPUT with
 * file:line:column for a level without days, days out of 1..GRIEVANCE_DAYS_MAX, an unknown
 * type, a level named twice, too many levels, or none. *p is left as it was on failure.
 */
int grievance_policy_parse(const char *text, size_t n, const char *file, struct grievance_policy *p,
                           struct error *err);

/* The index of the level named `name`, or -1. */
int grievance_policy_level(const struct grievance_policy *p, const char *name);

/*
 * Opens g (its person, about, ref and text set by the caller) on `on`: state open, the first
 * level, its deadline. SP_BAD_INPUT when g->about is no type or on is DATE_NONE.
 */
int grievance_flow_open(struct grievance *g, const struct grievance_policy *p, int32_t on,
                        struct error *err);

/*
 * Moves the open grievance g to the next level on `on` (not before it reached its level), with
 * the new level's deadline counted from `on`. SP_CONFLICT when it is resolved or at the last
 * level; SP_BAD_INPUT when its level is not in the policy or `on` is before level_since.
 */
int grievance_flow_escalate(struct grievance *g, const struct grievance_policy *p, int32_t on,
                            struct error *err);

/*
 * Resolves the open grievance g on `on` with `resolution` (not empty). SP_CONFLICT when it is
 * resolved already; SP_BAD_INPUT for an empty resolution or a day before it was opened.
 */
int grievance_flow_resolve(struct grievance *g, int32_t on, const char *resolution,
                           struct error *err);

/* 1 if g is open and as_of is after its deadline. */
int grievance_flow_is_overdue(const struct grievance *g, int32_t as_of);

/*
 * The escalation g is due by as_of: when it is overdue and not at the last level, sets *on to
 * the day after its deadline and returns 1; else returns 0 (a grievance overdue at the last
 * level stays where it is). Applying it (grievance_flow_escalate on *on) and asking again
 * gives the next one, until none is due.
 */
int grievance_flow_overdue(const struct grievance *g, const struct grievance_policy *p,
                           int32_t as_of, int32_t *on);

#endif
