/*
 * event_row.h: a life event as a row of the person_events table (migrations/<dialect>/0006),
 * the same for every driver, as person_row.h is for persons.
 *
 * Every value travels as text: the serials and numbers in decimal, the date in ISO 8601, the
 * disability class as its word; an unset value is SQL NULL (a NULL pointer here). A driver only
 * moves these values between the row and its database.
 */
#ifndef SPFLOOR_STORE_EVENT_ROW_H
#define SPFLOOR_STORE_EVENT_ROW_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/event.h"

/* The columns, in order, for SQL text. */
#define EVENT_ROW_COLUMNS                                                                          \
    "serial, seq, type, on_date, other_serial, contract_months, destination, disability_class, "   \
    "admin1, admin2, household, recorded_at, actor, reason"
#define EVENT_ROW_COUNT 14 /* columns in EVENT_ROW_COLUMNS */

/* Bytes of the text one number or date needs. */
#define EVENT_ROW_NUMBER_SIZE 24

/* An event's values, column by column. */
struct event_row {
    const char *value[EVENT_ROW_COUNT];                /* text, or NULL for SQL NULL */
    char text[EVENT_ROW_COUNT][EVENT_ROW_NUMBER_SIZE]; /* numbers and dates written out */
};

/*
 * Fills row with the values of ev, recorded for the person with this serial; `other` is the
 * serial of the child (a birth) or the spouse it names, 0 for none. The values point into ev
 * and row: both must outlive their use. Cannot fail.
 */
void event_row_encode(int64_t serial, const struct registry_event *ev, int64_t other,
                      struct event_row *row);

/*
 * Sets ev (zeroed here) from the text of a row read back (NULL for SQL NULL), in the order of
 * EVENT_ROW_COLUMNS: the serials become worker IDs (e.person, and e.child or spouse). Values the
 * database should not hold leave the field unset or cut short, never overflow.
 */
void event_row_decode(struct registry_event *ev, const char *const *text);

/*
 * Appends the n serials to out as a list literal between `open` and `close`, comma-separated:
 * "[1,2,3]" (a JSON array, for SQLite's json_each) or "{1,2,3}" (a PostgreSQL array). SP_OK, or
 * as buf_append fails.
 */
int event_row_serial_list(const int64_t *serials, int n, char open, char close, struct buf *out,
                          struct error *err);

#endif
