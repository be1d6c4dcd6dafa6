/*
 * decision_format.h: a decision written out, as a JSON result object (the DESIGN.md contract),
 * a CSV row, or a row of a text table, for every face that shows decisions (the CLI's
 * `evaluate` and `entitlements`, and later the server).
 *
 * Each function appends to a caller's buffer and returns SP_OK, SP_IO when out of memory, or
 * SP_BAD_INPUT ("too big") when the buffer would pass its maximum; the buffer is then as it
 * was. The caller decides when the bytes are written.
 */
#ifndef SPFLOOR_OPS_DECISION_FORMAT_H
#define SPFLOOR_OPS_DECISION_FORMAT_H

#include "base/buf.h"
#include "model/person.h"
#include "rules/decide.h"
#include "rules/scheme.h"

/*
 * Appends one result object to out: person, scheme, country, branch, kind, eligible, amount (a
 * decimal string, or null), currency, per (or null), status, then only where they apply
 * missing (an undetermined result: the lines of `missing`, decide_missing's names, as an
 * array), excluded_by (the scheme paid instead, d->excluded_by) and optional (true for a
 * scheme marked optional: not owed), then contribution (for a scheme with a contribution
 * block: {employee, employer, state, total} or null), explanation (the lines of `reasons`
 * as an array) and, when `human` is not NULL, reasons: the lines of `human`
 * (decide_reasons) as objects {"text", "passed"}, the mark taken off the text and made
 * `passed` (true for DECIDE_MARK_PASSED, false for DECIDE_MARK_FAILED, null otherwise).
 * `missing` may be NULL. Each object goes on its own line, preceded by ",\n" unless *first is
 * set (then it is cleared); on failure *first is unchanged.
 */
int decision_append_json(struct buf *out, const struct person *p, const struct scheme *s,
                         const struct decision *d, const char *reasons, const char *human,
                         const char *missing, int *first, struct error *err);

/* The CSV header: person,scheme,country,status,eligible,amount,currency,per,contribution,
 * explanation. */
int decision_append_csv_header(struct buf *out, struct error *err);

/*
 * One CSV row (RFC 4180, ending in a line feed): amount and contribution (the total) as
 * decimal strings, or empty; explanation the lines of `reasons` joined with "; ".
 */
int decision_append_csv(struct buf *out, const struct person *p, const struct scheme *s,
                        const struct decision *d, const char *reasons, struct error *err);

/* The header line of the text table. */
int decision_append_text_header(struct buf *out, struct error *err);

/*
 * One row of the text table, and the reasons indented below it when with_reasons. The status
 * column names the missing facts of an undetermined result ("undetermined (missing: a, b)"),
 * the scheme that excludes it, and an optional scheme's mark. `missing` may be NULL.
 */
int decision_append_text(struct buf *out, const struct person *p, const struct scheme *s,
                         const struct decision *d, const char *reasons, const char *missing,
                         int with_reasons, struct error *err);

/*
 * 1 if scheme s is a contribution (it has a `contribution` block): a person's text view shows
 * contributions in a section of their own, after the benefits.
 */
int decision_is_contribution(const struct scheme *s);

/* The line that opens a person's contributions in the text table: "<id>  contributions:". */
int decision_append_contributions_heading(struct buf *out, const struct person *p,
                                          struct error *err);

/*
 * After a person's rows of the text table: for each currency and period of their eligible
 * contributions (decisions[k] of schemes[k], k < n), one line with what is owed, the sum of
 * the totals of schemes not marked optional, and apart from it what optional schemes would
 * add, e.g. "b1  contributions owed: 16800.00 IDR per month (optional, not owed: 20000.00 IDR
 * per month)". Nothing when the person has no contribution.
 */
int decision_append_dues(struct buf *out, const struct person *p,
                         const struct scheme *const *schemes,
                         const struct decision *const *decisions, int n, struct error *err);

/* What a person's view explains. */
enum decision_explain {
    DECISION_EXPLAIN_NONE,  /* nothing (JSON still has its short explanation and reasons) */
    DECISION_EXPLAIN_TEXT,  /* the reasons for people, one marked line per condition */
    DECISION_EXPLAIN_TRACE, /* the technical trace, every step (decide_explain's detail) */
};

/* How a person's results are shown. */
struct decision_view {
    int json;         /* 1: JSON result objects (decision_append_json); 0: text rows */
    int explain;      /* enum decision_explain */
    const char *lang; /* the reasons' language (a catalogue's), or NULL for English */
};

/* One person's decisions, as a face decided them (each scheme bound on the date). */
struct decision_row {
    const struct scheme *const *schemes;   /* n schemes */
    struct decide_bound *const *bound;     /* each one bound */
    struct decide_scratch *const *scratch; /* each one's working memory */
    struct decision *const *decisions;     /* the person's decisions, exclusions applied */
    const uint8_t *shown;                  /* per scheme: 1 if its result is shown; NULL: all */
    int n;
};

/*
 * Appends person p's results (with history h) for the schemes of row that apply and are
 * shown: JSON objects in the row's order, with the short explanation (the trace under
 * DECISION_EXPLAIN_TEXT or _TRACE), the reasons for people and the missing facts; or text
 * rows, benefits first and then, under decision_append_contributions_heading, contributions,
 * each with the reasons `view->explain` asks for, and the person's dues. Adds the failed
 * decisions to *failed. Fails as decision_append_json does, or as decide_explain when out of
 * memory; out may then hold part of the person's results.
 */
int decision_append_person(struct buf *out, const struct person *p, const struct person_history *h,
                           const struct decision_row *row, const struct decision_view *view,
                           int *first, long *failed, struct error *err);

#endif
