/*
 * enrolment_row.h: an enrolment as the drivers store it (migrations/<dialect>/0008): every
 * column as text, in the order of ENROLMENT_COLUMNS, so both drivers read and write it alike.
 */
#ifndef SPFLOOR_STORE_ENROLMENT_ROW_H
#define SPFLOOR_STORE_ENROLMENT_ROW_H

#include "base/date.h"
#include "model/enrolment.h"

#define ENROLMENT_COLUMNS                                                                          \
    "serial, scheme, from_date, to_date, state, state_since, reason, override_reason, actor, "     \
    "recorded_at"
#define ENROLMENT_TEXTS 9 /* the columns after serial */

/* The texts of r's columns after serial, in order (to_date "" while open); they point into
 * r and into days, which must outlive them. */
void enrolment_row_encode(const struct enrolment_record *r, char days[3][DATE_TEXT_SIZE],
                          const char *texts[ENROLMENT_TEXTS]);

/* Reads the columns after serial into r (e.person ""). Cannot fail: a date that does not
 * read is DATE_NONE. */
void enrolment_row_decode(const char *const texts[ENROLMENT_TEXTS], struct enrolment_record *r);

#endif
