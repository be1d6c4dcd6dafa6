/*
 * outreach.h: the outreach and advocacy logs of partner organisations (docs/reports.md):
 * logging an activity with its participants or a proposal lobbied for, reading the logs
 * back, and the reach indicator counted from them.
 */
#ifndef SPFLOOR_OPS_OUTREACH_H
#define SPFLOOR_OPS_OUTREACH_H

#include <stdint.h>

#include "base/error.h"
#include "model/outreach.h"
#include "ops/report.h"
#include "report/disagg.h"
#include "store/store.h"

/*
 * Logs activity a with its n participants in one transaction (ops/transaction.h), with its
 * audit entry; a->recorded_at is set and a->id given. SP_BAD_INPUT when a participant is not
 * a registered person, or a field is missing; nothing is then written.
 */
int outreach_log(struct store *store, struct outreach_activity *a,
                 const struct outreach_participant *parts, int n, struct error *err);

/* Logs proposal a, as outreach_log does. */
int advocacy_log(struct store *store, struct advocacy *a, struct error *err);

/* The outreach log read whole: activities by number, participants by activity and place. */
struct outreach_book {
    struct outreach_activity *activities;
    int n_activities;
    struct outreach_participant *parts;
    int n_parts;
};

/* Reads the log into *out (zeroed first). Release it with outreach_book_release, whatever
 * is returned. SP_IO for the store or memory. */
int outreach_book_load(struct store *store, struct outreach_book *out, struct error *err);
void outreach_book_release(struct outreach_book *b);

/* Reads every proposal into *out (n of them; the caller frees it with sp_free). */
int advocacy_load(struct store *store, struct advocacy **out, int *n, struct error *err);

/* What the advocacy log says over a period, as the networks report it. */
struct advocacy_summary {
    int64_t proposals, lobbied, approved, rejected; /* by their status */
    int64_t benefit, women, young; /* the approved ones' estimated beneficiaries (summed over
                                      those that give the figure) */
    int64_t estimated;             /* approved proposals giving an entered estimate */
    int64_t simulated;             /* approved proposals giving a simulation's figure */
};

/* The source of a figure taken from a simulation starts with this; an entered one may not. */
#define ADVOCACY_SIMULATION_SOURCE "simulation of "

/* 1 if a's figure comes from a simulation (ops/advocacy_sim.h), 0 if it is entered. */
int advocacy_is_simulated(const struct advocacy *a);

/* Sums the proposals of `country` (NULL: all) dated from..to (DATE_NONE: open). */
void advocacy_summarise(const struct advocacy *a, int n, const char *country, int32_t from,
                        int32_t to, struct advocacy_summary *s);

/*
 * The reach indicator (ops/report.h, REPORT_REACH) into *t, which it initialises: the
 * participants of the activities dated up to q->as_of (from q->from, when given), of
 * q->country when given. A registry person is counted once however many activities they
 * took part in (in each organisation, network and type of activity once); an anonymous
 * count is counted as logged, in the activity's country and area. t->summary says how many
 * activities, organisations and networks. SP_IO for the store or memory.
 */
int outreach_reach(struct store *store, const struct report_query *q, struct disagg_table *t,
                   struct error *err);

#endif
