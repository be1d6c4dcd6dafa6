/*
 * shock_row.h: declared shocks as the drivers store them (migrations/<dialect>/0015): every
 * column after id as text, in the order of SHOCK_COLUMNS, so both drivers read and write them
 * alike.
 */
#ifndef SPFLOOR_STORE_SHOCK_ROW_H
#define SPFLOOR_STORE_SHOCK_ROW_H

#include "base/date.h"
#include "model/shock.h"

#define SHOCK_COLUMNS                                                                              \
    "id, name, country, areas, from_date, to_date, mode, scheme, top_up_amount, top_up_rate, "     \
    "currency, actor, recorded_at"
#define SHOCK_TEXTS       12 /* the columns after id */
#define SHOCK_NUMBER_SIZE 24

/* Scratch space the texts of a row point into. */
struct shock_row_scratch {
    char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
    char amount[SHOCK_NUMBER_SIZE], rate[SHOCK_NUMBER_SIZE];
};

/* The texts of sh's columns after id; they point into sh and sc. */
void shock_row_encode(const struct shock *sh, struct shock_row_scratch *sc,
                      const char *texts[SHOCK_TEXTS]);

/* Reads the columns after id into sh; sh->id is the caller's. */
void shock_row_decode(const char *const texts[SHOCK_TEXTS], struct shock *sh);

#endif
