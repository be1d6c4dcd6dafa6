/*
 * contribution_row.h: a ledger entry as the drivers store it (migrations/<dialect>/0010):
 * every column as text (NULL for SQL NULL), in the order of CONTRIBUTION_COLUMNS, so both
 * drivers read and write it alike.
 */
#ifndef SPFLOOR_STORE_CONTRIBUTION_ROW_H
#define SPFLOOR_STORE_CONTRIBUTION_ROW_H

#include <stdint.h>

#include "base/date.h"
#include "model/contribution.h"

#define CONTRIBUTION_COLUMNS                                                                       \
    "entry, serial, scheme, month, employer, currency, declared, wage, employee, employer_part, "  \
    "state, paid, paid_on, due_on, voluntary, reverses, reason, actor, recorded_at"
#define CONTRIBUTION_TEXTS       19
#define CONTRIBUTION_NUMBER_SIZE 24 /* an int64 as text, with its NUL */

/* The room the texts of one row need for its numbers and dates. */
struct contribution_row_text {
    char number[9][CONTRIBUTION_NUMBER_SIZE];
    char month[MONTH_TEXT_SIZE];
    char days[2][DATE_TEXT_SIZE];
};

/* The texts of e's columns, the person being `serial`; they point into e and into room, which
 * must outlive them. A NULL text is SQL NULL. */
void contribution_row_encode(const struct contribution_entry *e, int64_t serial,
                             struct contribution_row_text *room,
                             const char *texts[CONTRIBUTION_TEXTS]);

/* Reads the columns into *e (c.person "": the front names the person) and *serial. A NULL text
 * is SQL NULL. Cannot fail: a value that does not read is 0 or DATE_NONE. */
void contribution_row_decode(const char *const texts[CONTRIBUTION_TEXTS],
                             struct contribution_entry *e, int64_t *serial);

#endif
