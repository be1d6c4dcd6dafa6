/*
 * audit_row.h: an audit entry as the drivers store it (migrations/<dialect>/0009): every
 * column as text, in the order of AUDIT_COLUMNS.
 */
#ifndef SPFLOOR_STORE_AUDIT_ROW_H
#define SPFLOOR_STORE_AUDIT_ROW_H

#include "audit/audit.h"
#include "store/person_row.h"

#define AUDIT_COLUMNS "seq, at, actor, action, object, change, mac"
#define AUDIT_TEXTS   7

/* The texts of e's columns; seq is written into seq_text, which must outlive them. */
void audit_row_encode(const struct audit_entry *e, char seq_text[PERSON_ROW_NUMBER_SIZE],
                      const char *texts[AUDIT_TEXTS]);

/* Reads the columns into e. A seq that does not read is 0 (verify reports it). */
void audit_row_decode(const char *const texts[AUDIT_TEXTS], struct audit_entry *e);

#endif
