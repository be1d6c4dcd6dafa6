/*
 * decision_print.h: how `spfloor evaluate` and `spfloor entitlements` print a decision, as a
 * JSON result object (the DESIGN.md contract) or a row of a text table.
 */
#ifndef SPFLOOR_CLI_DECISION_PRINT_H
#define SPFLOOR_CLI_DECISION_PRINT_H

#include "base/buf.h"
#include "model/person.h"
#include "rules/decide.h"
#include "rules/scheme.h"

/*
 * Appends one result object to out: person, scheme, country, branch, kind, eligible, amount (a
 * decimal string, or null), currency, per (or null), status, contribution (for a scheme with
 * a contribution block: {employee, employer, state, total} or null) and explanation (the
 * lines of `reasons` as an array). Each object goes on its own line, preceded by ",\n" unless
 * *first is set (then it is cleared). The caller writes the document out once it is whole, so
 * that a failed run prints no half document. Returns SP_OK; SP_IO when out of memory, or
 * SP_BAD_INPUT ("too big") when out would pass its maximum; out and *first are then unchanged.
 */
int decision_append_json(struct buf *out, const struct person *p, const struct scheme *s,
                         const struct decision *d, const char *reasons, int *first,
                         struct error *err);

/* Prints the header of the text table. */
void decision_print_header(void);

/* Prints one row of the text table, and the reasons indented below it when `reasons`. */
void decision_print_text(const struct person *p, const struct scheme *s, const struct decision *d,
                         const char *reasons, int with_reasons);

#endif
