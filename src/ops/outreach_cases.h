/*
 * outreach_cases.h: legal-aid and assisted-claim cases followed to their outcome
 * (docs/reports.md "Cases"): opened by a partner organisation for a registry person or an
 * anonymous claimant, updated as they go (pending, then won or lost on a day, with the amount
 * recovered), and summed up for the annual summary's "better work": cases won and the amounts
 * recovered, with the shares of women and of under-35s among the claimants.
 */
#ifndef SPFLOOR_OPS_OUTREACH_CASES_H
#define SPFLOOR_OPS_OUTREACH_CASES_H

#include <stdint.h>

#include "base/error.h"
#include "base/money.h"
#include "model/outreach.h"
#include "ops/outreach.h"
#include "store/store.h"

#define CASE_CURRENCIES_MAX 4 /* currencies one summary adds up apart */

/*
 * Opens case c in one transaction with its audit entry: c->recorded_at is set and c->id
 * given. SP_BAD_INPUT as store_case_add says; nothing is then written.
 */
int outreach_case_open(struct store *store, struct outreach_case *c, struct error *err);

/* What an update changes; the rest of the case stays as it is. */
struct case_change {
    int64_t id;
    uint8_t outcome;       /* enum case_outcome, 0 keeps it */
    int32_t decided;       /* the outcome's day; DATE_NONE keeps it (pending: none) */
    const char *recovered; /* the amount recovered ("15000.00", in the currency of the case's
                              country, or "15000.00 NPR"); NULL keeps it */
    const char *note;      /* NULL keeps it */
    const char *actor;     /* who */
};

/*
 * Applies ch to its case in one transaction, with an audit entry (case.update), and gives
 * the case as it now is in *out. A case set back to pending loses its day and amount; one
 * lost loses its amount. SP_BAD_INPUT when there is no such case, the amount is not money,
 * or the result does not hold
 * together (a case won or lost without its day, an amount by a case not won, a day before
 * the case was opened); nothing is then written.
 */
int outreach_case_change(struct store *store, const struct case_change *ch,
                         struct outreach_case *out, struct error *err);

/* Every case by number into *out (n of them; the caller frees *out with sp_free). */
int outreach_cases_load(struct store *store, struct outreach_case **out, int *n, struct error *err);

/* Which cases a summary counts. */
struct case_filter {
    const char *org;                  /* the organisation, or a network (by book), or NULL: all */
    const struct outreach_book *book; /* the organisations' networks; may be NULL */
    const char *country;              /* or NULL */
    int32_t from, to;                 /* cases opened or decided on a day of [from, to] */
};

struct case_summary {
    int64_t opened;  /* opened in the period */
    int64_t decided; /* won or lost in the period */
    int64_t won, lost;
    int64_t pending;              /* opened by the period's end and not decided by then */
    int64_t won_women, won_young; /* claimants of the cases won who are women, under 35 */
    int n_currencies;
    struct money recovered[CASE_CURRENCIES_MAX]; /* by the cases won in the period */
};

/*
 * Sums up the cases (by number) that f selects into *s. A registry claimant's sex and age (on
 * f->to) are read from the store; an anonymous one's as entered. SP_IO for the store;
 * SP_BAD_INPUT when amounts come in more than CASE_CURRENCIES_MAX currencies.
 */
int outreach_cases_summarise(struct store *store, const struct outreach_case *cases, int n,
                             const struct case_filter *f, struct case_summary *s,
                             struct error *err);

#endif
