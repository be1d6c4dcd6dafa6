/*
 * annual.h: the figures of the annual results summary (report/annual.h, docs/reports.md
 * "The annual summary") for an organisation (or a network) or a country and a year: reach
 * from the outreach log, coverage and benefits paid from the registry, better work from the
 * cases, and the advocacy log's proposals.
 */
#ifndef SPFLOOR_OPS_ANNUAL_H
#define SPFLOOR_OPS_ANNUAL_H

#include <stdint.h>

#include "base/error.h"
#include "report/annual.h"
#include "rules/scheme.h"
#include "store/store.h"

struct annual_query {
    const char *org;     /* an organisation or a network, or NULL */
    const char *country; /* or NULL: the organisation's (its activities'), else every country */
    int year;
    int32_t today; /* the figures stand on the year's last day, or today if sooner */
};

/*
 * Works out the summary for q into *s. Reach, cases and advocacy are the organisation's (or
 * its network's: an organisation named as a network counts all of its members'); coverage,
 * enrolment and benefits paid are the registry's for the country. SP_BAD_INPUT for a year
 * not yet begun, or benefits paid in several currencies without a country; SP_IO for the
 * store or memory.
 */
int annual_summarise(struct store *store, const struct scheme_library *lib,
                     const struct annual_query *q, struct annual_summary *s, struct error *err);

#endif
