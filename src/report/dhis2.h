/*
 * dhis2.h: an indicator's table (report/disagg.h) as a DHIS2 data value set, the JSON that
 * DHIS2's /api/dataValueSets imports (docs/reports.md "DHIS2"):
 *
 *   {"dataSet": "...", "period": "202508", "dataValues": [
 *     {"dataElement": "...", "period": "202508", "orgUnit": "...",
 *      "categoryOptionCombo": "...", "value": "4"}, ...]}
 *
 * A mapping says which DHIS2 identifier each of spfloor's names stands for:
 *   - data elements by "INDICATOR.MEASURE" ("coverage.covered", "benefits.amount") or
 *     "INDICATOR.RATE_pct" ("coverage.coverage_pct"); measures it does not name are not
 *     exported, but it must name at least one of the indicator's;
 *   - category option combos by the cell's groups at every breakdown but the area and the
 *     period, joined by commas in the order of --by ("female,under_35"); "default" for a
 *     figure with no such breakdown;
 *   - organisation units by the area's name at the level it names (admin1 or admin2), and
 *     `orgUnit` for figures not broken down by area (the country);
 *   - periods by the report's own: a month "2025-03" is "202503" by itself; another label (a
 *     payroll period "2081/82-Q1") needs an entry in `periods`.
 *
 * Every cell is exported, one data value per mapped measure, or none is: a cell whose area,
 * combination or period the mapping lacks is listed in the error (SP_BAD_INPUT, exit 2) and
 * nothing is written. Figures held back on a public output are left out (DHIS2 then has no
 * value for them, as for a form left blank). With breakdowns the total is not exported: DHIS2
 * adds the combinations up itself.
 *
 * Pure: no database, no file. ops/dhis2.h reads a mapping file into struct dhis2_mapping.
 */
#ifndef SPFLOOR_REPORT_DHIS2_H
#define SPFLOOR_REPORT_DHIS2_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "report/cells.h"
#include "report/disagg.h"

#define DHIS2_PERIOD_SIZE 16 /* "20250801", "2025Q1", "202501", "2025" */
#define DHIS2_UID_SIZE    12 /* an 11-character DHIS2 identifier and the NUL */

/* Names and the identifiers they stand for. */
struct dhis2_names {
    struct report_labels names; /* spfloor's names: name k stands for uids[k] */
    char (*uids)[DHIS2_UID_SIZE];
    int cap;
};

struct dhis2_mapping {
    char data_set[DHIS2_UID_SIZE];    /* "" when not given */
    char org_unit[DHIS2_UID_SIZE];    /* figures not broken down by area; "" not given */
    int area_dim;                     /* DISAGG_ADMIN1 or DISAGG_ADMIN2 (the orgUnits' level) */
    struct dhis2_names data_elements; /* "coverage.covered" */
    struct dhis2_names combos;        /* "female,under_35", "default" */
    struct dhis2_names org_units;     /* "Kathmandu" */
    struct dhis2_names periods;       /* "2081/82-Q1" -> "2025Q3" (a DHIS2 period, not a uid) */
};

/* An empty mapping (areas at admin2). Release it with dhis2_mapping_release. */
void dhis2_mapping_init(struct dhis2_mapping *m);
void dhis2_mapping_release(struct dhis2_mapping *m);

/* 1 if text is a DHIS2 identifier: 11 letters and digits, the first a letter. */
int dhis2_uid_valid(const char *text);

/* Adds name -> uid (or period) to n. SP_BAD_INPUT when name is there already; SP_IO memory. */
int dhis2_names_add(struct dhis2_names *n, const char *name, const char *uid, struct error *err);

/*
 * The DHIS2 period of a report on `as_of` (from DATE_NONE) or over [from, as_of]: the date's
 * month ("202508"); a period that is a whole month, quarter ("2025Q3") or year ("2025"); or
 * a single day ("20250801"). SP_BAD_INPUT naming the dates for a period that is none of these.
 */
int dhis2_period(int32_t from, int32_t as_of, char out[DHIS2_PERIOD_SIZE], struct error *err);

/*
 * Writes t as a data value set for `period` (the report's, dhis2_period) through mapping m,
 * onto out. SP_BAD_INPUT when m names none of t's measures, or when cells are not mapped:
 * the message lists the first few ("admin2 Morang: no orgUnit; sex,age_group
 * \"female,age_not_given\": no categoryOptionCombo") and how many, and out is unchanged;
 * SP_IO when out of memory.
 */
int dhis2_write(const struct disagg_table *t, const struct disagg_meta *meta,
                const struct dhis2_mapping *m, const char *period, struct buf *out,
                struct error *err);

#endif
