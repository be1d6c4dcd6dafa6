/*
 * report.h: the indicators of docs/reports.md, computed over the registry through the batch
 * path (ops/blocks.h, entitlements_read_registry) and counted into the breakdowns of
 * report/disagg.h.
 *
 *   coverage   effective coverage, SDG 1.3.1: the share of persons who are actively
 *              contributing (a standing ledger entry in one of the last `active_months`
 *              months up to the date, or in the period) or receiving at least one benefit
 *              (an enrolment active on the date, or on some day of the period, and not
 *              suspended then: the registry keeps an enrolment's present state, so one
 *              suspended on or before the date, or the period's first day, does not count).
 *              Each person is counted once however many they hold; by scheme, branch or
 *              kind, once in each. Measures: persons, covered, contributing, receiving;
 *              rate coverage.
 *   enrolment  enrolment and active contributors: persons with an active enrolment, and
 *              persons contributing, as above. Measures: persons, enrolled, contributors;
 *              rate enrolment.
 *   gap        the coverage gap: persons the rules engine finds eligible for a scheme (not
 *              excluded by another of its group, not a voluntary one) on the date who are
 *              neither enrolled in it (whatever the enrolment's state) nor contributing to
 *              it. Measures: persons, eligible, not_enrolled; rate gap (not_enrolled over
 *              eligible). Each (person, scheme) of the gap can be listed.
 *
 *   reach      the persons the outreach log reached (ops/outreach.h): registry persons each
 *              once, anonymous counts as logged; by org, network or activity too. Measures:
 *              reached, in_registry, enrolled.
 *   benefits   benefits paid: the payroll's payments (ops/payroll.h) settled in the period (or
 *              on the date), or with payments_created every payment made in it that was not
 *              rejected or cancelled; its recipients, each once, and the amount paid them (one
 *              currency: payments in several need a country). By scheme, branch, kind and
 *              period (the payment's own period, "2025-03" or "2081/82-Q1"). Measures:
 *              recipients, amount.
 *
 * Over time (--by period, coverage and enrolment): each month from q->from to q->as_of is a
 * group, the person's flags in that month alone: contributing is a ledger entry for the month,
 * receiving an enrolment active on a day of it (not suspended). Not for the gap nor reach.
 */
#ifndef SPFLOOR_OPS_REPORT_H
#define SPFLOOR_OPS_REPORT_H

#include <stdint.h>

#include "base/error.h"
#include "report/disagg.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "rules/situation.h"
#include "store/store.h"

#define REPORT_ACTIVE_MONTHS 3   /* a contributor's ledger entry is this recent, by default */
#define REPORT_PERIODS_MAX   240 /* months of one --by period */

enum report_indicator {
    REPORT_COVERAGE,
    REPORT_ENROLMENT,
    REPORT_GAP,
    REPORT_REACH, /* the outreach log's (ops/outreach.h) */
    REPORT_BENEFITS,
    REPORT_INDICATORS
};

/* "coverage", "enrolment", "gap", "reach", "benefits". */
const char *report_indicator_name(enum report_indicator indicator);

/* The indicator named `name`; SP_BAD_INPUT naming it and the known ones otherwise. */
int report_indicator_parse(const char *name, enum report_indicator *out, struct error *err);

/* One (person, scheme) of the coverage gap, valid only during the call that receives it. */
struct report_gap_entry {
    const struct person *person;
    const struct scheme *scheme;
    const struct decision *decision; /* eligible, with its amount when the scheme has one */
};

/* Receives each entry of the gap; a non-zero return stops the run and is returned by it. */
typedef int (*report_gap_fn)(void *ctx, const struct report_gap_entry *e);

/* Called after each block with the persons counted so far; must not fail. */
typedef void (*report_progress_fn)(void *ctx, int64_t persons);

struct report_query {
    enum report_indicator indicator;
    int32_t as_of;       /* the date */
    int32_t from;        /* the period's first day (to as_of), or DATE_NONE: the date only */
    const char *country; /* only persons (and schemes) of this country, or NULL */
    int active_months;   /* months a contributor's entry may be old (>= 1; 0: the default) */
    int n_by;
    enum disagg_dim by[DISAGG_DIMS];
    struct disagg_bands bands; /* n 0: under 35 / 35 and over */
    report_gap_fn list;        /* gap: each entry (its person read in full), or NULL; called on the
                                  batch's thread */
    void *list_ctx;
    report_progress_fn progress; /* may be NULL */
    void *progress_ctx;
    int payments_created; /* benefits: every payment made, not only those settled */
    const char *org;      /* reach: only the activities of this organisation or network */
};

/* The spec (measures, rate, title, breakdowns) of q's indicator. */
void report_spec(const struct report_query *q, struct disagg_spec *spec);

/* One sentence saying what q's indicator counts, for the outputs' note. */
const char *report_note(enum report_indicator indicator);

/*
 * Computes q's indicator over every person of the registry (of q->country, if given) into
 * *t, which it initialises (the caller releases it with disagg_release, whatever is
 * returned). Records merged into another and persons dead on or before q->as_of are not
 * counted but added to *skipped. Memory is bounded by the batch's blocks, the registry's
 * enrolments and the cells. SP_IO for the store or memory, or list's non-zero return.
 * list and progress are called from the batch's second thread and must not use the store.
 */
int report_registry(struct store *store, const struct scheme_library *lib,
                    const struct report_query *q, struct disagg_table *t, int64_t *skipped,
                    struct error *err);

/*
 * The same over an indexed situation's persons (a hand-built population, an evaluate file):
 * enrolments are taken as they are (none suspended). As report_registry otherwise.
 */
int report_situation(const struct situation *s, const struct scheme_library *lib,
                     const struct report_query *q, struct disagg_table *t, struct error *err);

#endif
