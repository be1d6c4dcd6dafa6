/*
 * annual.h: the one-page annual results summary (docs/reports.md "The annual summary"), in
 * the shape of the networks' country posts:
 *
 *   Reach: 174 people (35.6% women and 11.5% under 35 years) from 15 organisations ...
 *   Coverage: 4 of 12 persons covered (SDG 1.3.1) ...
 *   Better work: 2 legal-aid and assisted-claim cases won, 15000.50 NPR recovered ...
 *   Advocacy: lobbied for 3 proposals, contributing to the approval of 2 which would benefit
 *   ... (entered estimates for 1, a simulation for 1)
 *
 * every figure of persons with its shares of women and of under-35s. The figures are worked
 * out by ops/annual.h; this module only writes them, as text, JSON or a self-contained HTML
 * page with SVG bars. Pure: no database.
 */
#ifndef SPFLOOR_REPORT_ANNUAL_H
#define SPFLOOR_REPORT_ANNUAL_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/money.h"
#include "report/disagg.h"

#define ANNUAL_CURRENCIES_MAX 4
#define ANNUAL_NAME_SIZE      97

struct annual_summary {
    char org[ANNUAL_NAME_SIZE]; /* the organisation or network, "" for a country's */
    char country[3];            /* "" when not given */
    int year;
    char as_of[11]; /* the day the year's figures stand on (its last, or today) */
    /* reach: the outreach log's activities of the year */
    struct disagg_count reached; /* persons reached */
    int64_t reached_in_registry; /* of them registry persons */
    int64_t reached_enrolled;    /* of those, enrolled on as_of */
    int64_t activities, organisations;
    /* coverage: the registry's (the country's) on as_of */
    struct disagg_count persons, covered; /* SDG 1.3.1 */
    struct disagg_count enrolled;         /* an enrolment active on some day of the year */
    /* benefits paid in the year (settled) */
    struct disagg_count recipients;
    int64_t paid;          /* minor units of paid_currency */
    char paid_currency[4]; /* "" when nothing was paid */
    /* better work: cases decided in the year */
    int64_t cases_won, cases_lost, cases_pending;
    int64_t won_women, won_young; /* claimants of the cases won */
    int n_recovered;
    struct money recovered[ANNUAL_CURRENCIES_MAX];
    /* advocacy: proposals of the year */
    int64_t proposals, approved, rejected, lobbied;
    int64_t benefit, benefit_women, benefit_young; /* the approved ones' beneficiaries */
    int64_t estimated, simulated; /* approved proposals whose figure is an estimate, a simulation */
};

/* The summary as text (for the counter), JSON, or a self-contained HTML page that reads on a
 * phone (no script, no outside file), with an SVG bar chart of the shares of women and of
 * under-35s of each figure. Byte-identical for the same summary. SP_IO when out of memory. */
int annual_write_text(const struct annual_summary *s, struct buf *out, struct error *err);
int annual_write_json(const struct annual_summary *s, struct buf *out, struct error *err);
int annual_write_html(const struct annual_summary *s, struct buf *out, struct error *err);

/* "174 people (35.6% women and 11.5% under 35 years)": a count and its shares ("-" none). */
void annual_people_text(const struct disagg_count *c, const char *noun, char *out, size_t size);

#endif
