/*
 * transparency.h: the registry in aggregate, for the public transparency page (docs/web.md):
 * counts only, never a person. Each figure comes with the share of women and of persons under
 * 35 in it.
 */
#ifndef SPFLOOR_OPS_TRANSPARENCY_H
#define SPFLOOR_OPS_TRANSPARENCY_H

#include <stdint.h>

#include "base/error.h"
#include "store/store.h"

#define TRANSPARENCY_COUNTRIES 32 /* countries counted apart; the rest are summed as "other" */

struct transparency_row {
    char country[3]; /* ISO 3166-1 alpha-2, or "" for the others */
    int64_t persons; /* registered, not merged into another record, not known dead */
    int64_t women;
    int64_t under_35; /* younger than 35 on the day */
    int64_t enrolled; /* with an enrolment not ended */
};

struct transparency {
    int32_t on; /* the day of the figures */
    struct transparency_row rows[TRANSPARENCY_COUNTRIES + 1];
    int n;                         /* rows used, by country code */
    struct transparency_row total; /* every country */
};

/* Counts the registry on day `on` into *out (one walk over every person and enrolment). SP_IO. */
int transparency_count(struct store *store, int32_t on, struct transparency *out,
                       struct error *err);

#endif
