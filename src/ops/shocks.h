/*
 * shocks.h: shock response (docs/payroll.md "Shock response"): declaring a shock over
 * districts and days, either as a top-up of a scheme's payments for its current beneficiaries
 * there (vertical expansion: paid by `payroll run`, payroll.h), or as the enrolment of every
 * person of the households there in a temporary scheme (horizontal expansion, through
 * ops/enrol.h).
 */
#ifndef SPFLOOR_OPS_SHOCKS_H
#define SPFLOOR_OPS_SHOCKS_H

#include <stdint.h>

#include "base/error.h"
#include "model/shock.h"
#include "rules/scheme.h"
#include "store/store.h"

struct shocks_request {
    const char *name;   /* a short code: 1 to SHOCK_NAME_MAX of a-z, 0-9 and -, a letter first */
    const char *areas;  /* districts (admin2) of the scheme's country, comma-separated: names,
                           codes, aliases or local names (registry/gazetteer.h) */
    int32_t from, to;   /* the days it covers, both included */
    const char *scheme; /* the scheme topped up, or the temporary scheme enrolled in */
    const char *top_up; /* vertical: "1500.00" (a period, in the scheme's currency) or "25%"
                           (of the period's amount); NULL for horizontal */
    int enrol_affected; /* horizontal: 1 */
    const char *actor;  /* who declares it */
};

/* What a declaration did. */
struct shocks_summary {
    int64_t affected; /* horizontal: persons of the area's households */
    int64_t enrolled; /* of them, enrolled now */
    int64_t already;  /* already enrolled in the scheme */
    int64_t refused;  /* not enrolled (listed: a record merged, a person who died ...) */
    int continued;    /* 1: the same horizontal shock was declared before (an interrupted
                         declaration): its enrolments were gone on with */
};

/* Receives a person of the area not enrolled, and why. Non-zero stops. */
typedef int (*shocks_refused_fn)(void *ctx, const char *person, const char *why);

/*
 * Declares the shock rq describes, and for a horizontal one enrols every person of the
 * households that live in its districts in rq->scheme from rq->from to rq->to (as an
 * adjudicator would, the shock as the reason: ops/enrol.h enrol_person_until), *out the
 * shock as stored. Everything is checked first and nothing is written when anything is
 * refused: SP_BAD_INPUT for a name that is no short code, no district or one the gazetteer
 * does not know in the scheme's country (with a hint), no days or `from` after `to`, an
 * unknown scheme, a top-up that is no amount or rate, or neither or both modes; SP_CONFLICT
 * when the name is taken, except by the very same horizontal shock: then its enrolments go on
 * (a declaration killed part way is declared again), nobody twice. SP_IO.
 */
int shocks_declare(struct store *store, const struct scheme_library *lib,
                   const struct shocks_request *rq, shocks_refused_fn refused, void *ctx,
                   struct shock *out, struct shocks_summary *sum, struct error *err);

/* Visits every shock by id. SP_IO. */
int shocks_list(struct store *store, shock_visit_fn visit, void *ctx, struct error *err);

/* 1 when shock sh covers part of [first, last] and person's district is one of its areas. */
int shocks_covers(const struct shock *sh, const char *admin2, int32_t first, int32_t last);

/*
 * The top-up of shock sh on a period's amount `base` (minor units): its amount, or its rate
 * of base rounded half up. SP_BAD_INPUT on overflow.
 */
int shocks_top_up(const struct shock *sh, int64_t base, int64_t *out, struct error *err);

#endif
