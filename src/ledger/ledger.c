/*
 * ledger.c: the contributions ledger's arithmetic (ledger.h).
 */
#include "ledger/ledger.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"

int32_t ledger_due_date(int32_t month, int due_day)
{
    if (due_day < 1 || due_day > 31)
        return DATE_NONE;
    int32_t first = month_first_day(month + 1);
    struct civil_date c = date_to_civil(first);
    int last = date_days_in_month(c.year, c.month);
    return first + (due_day < last ? due_day : last) - 1;
}

int32_t ledger_days_late(const struct contribution_entry *e)
{
    if (e->due == DATE_NONE || e->paid_on == DATE_NONE || e->paid_on <= e->due)
        return 0;
    return e->paid_on - e->due;
}

int64_t ledger_difference(const struct contribution_entry *e)
{
    if (e->paid < 0)
        return 0;
    int64_t d;
    if (__builtin_sub_overflow(e->paid,
                               e->c.employee.minor + e->c.employer.minor + e->c.state.minor, &d))
        return 0;
    return d;
}

int ledger_same_slot(const struct contribution_entry *a, const struct contribution_entry *b)
{
    return a->c.month == b->c.month && strcmp(a->c.person, b->c.person) == 0 &&
           strcmp(a->c.scheme, b->c.scheme) == 0 && strcmp(a->employer, b->employer) == 0;
}

int ledger_same_booking(const struct contribution_entry *a, const struct contribution_entry *b)
{
    return ledger_same_slot(a, b) && a->declared == b->declared && a->paid == b->paid &&
           a->paid_on == b->paid_on && a->voluntary == b->voluntary;
}

void ledger_reversal(const struct contribution_entry *e, const char *reason,
                     struct contribution_entry *out)
{
    *out = *e;
    out->id = 0;
    out->reverses = e->id;
    out->c.wage.minor = -e->c.wage.minor;
    out->c.employee.minor = -e->c.employee.minor;
    out->c.employer.minor = -e->c.employer.minor;
    out->c.state.minor = -e->c.state.minor;
    out->declared = e->declared >= 0 ? e->declared : -1;
    out->paid = -1;
    out->paid_on = DATE_NONE;
    text_copy(out->reason, sizeof out->reason, reason != NULL ? reason : "");
    out->actor[0] = '\0';
    out->recorded_at[0] = '\0';
}

static int compare_ids(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

int ledger_standing(const struct contribution_entry *e, int n, uint8_t *stands, struct error *err)
{
    int reversals = 0;
    for (int i = 0; i < n; i++)
        reversals += e[i].reverses != 0;
    if (reversals == 0) {
        memset(stands, 1, (size_t)n);
        return SP_OK;
    }
    int64_t *cancelled = sp_malloc((size_t)reversals * sizeof *cancelled);
    if (cancelled == NULL)
        return error_nomem(err);
    int k = 0;
    for (int i = 0; i < n; i++)
        if (e[i].reverses != 0)
            cancelled[k++] = e[i].reverses;
    qsort(cancelled, (size_t)k, sizeof *cancelled, compare_ids);
    for (int i = 0; i < n; i++)
        stands[i] = e[i].reverses == 0 &&
                    bsearch(&e[i].id, cancelled, (size_t)k, sizeof *cancelled, compare_ids) == NULL;
    sp_free(cancelled);
    return SP_OK;
}

/* Adds v to *sum; 1 on overflow. */
static int add(int64_t *sum, int64_t v)
{
    return __builtin_add_overflow(*sum, v, sum);
}

/* Adds entry e to total t; SP_BAD_INPUT on a currency of its own or an overflow. */
static int add_entry(struct ledger_total *t, const struct contribution_entry *e, struct error *err)
{
    const char *currency = e->c.employee.currency[0]   ? e->c.employee.currency
                           : e->c.employer.currency[0] ? e->c.employer.currency
                                                       : e->c.state.currency;
    if (currency[0] != '\0' && t->currency[0] != '\0' && strcmp(currency, t->currency) != 0)
        return error_set(err, SP_BAD_INPUT, "%s: entries in %s and in %s", t->scheme, t->currency,
                         currency);
    if (currency[0] != '\0')
        text_copy(t->currency, sizeof t->currency, currency);
    int64_t total = 0;
    int over = add(&t->wage, e->c.wage.minor) | add(&t->parts[0], e->c.employee.minor) |
               add(&t->parts[1], e->c.employer.minor) | add(&t->parts[2], e->c.state.minor) |
               add(&total, e->c.employee.minor) | add(&total, e->c.employer.minor) |
               add(&total, e->c.state.minor) | add(&t->total, total);
    if (e->paid >= 0)
        over |= add(&t->paid, e->paid) | add(&t->said, total);
    if (over)
        return error_set(err, SP_BAD_INPUT, "%s: the sum of its entries overflows", t->scheme);
    t->late += ledger_days_late(e) > 0;
    t->voluntary += e->voluntary != 0;
    return SP_OK;
}

/* Counts the distinct months of the standing entries of scheme `t->scheme`. */
static void count_months(const struct contribution_entry *e, int n, const uint8_t *stands,
                         struct ledger_total *t)
{
    t->months = 0;
    for (int i = 0; i < n; i++) {
        if (!stands[i] || strcmp(e[i].c.scheme, t->scheme) != 0)
            continue;
        int seen = 0;
        for (int j = 0; j < i && !seen; j++)
            seen =
                stands[j] && e[j].c.month == e[i].c.month && strcmp(e[j].c.scheme, t->scheme) == 0;
        if (!seen)
            t->months++;
        if (t->months == 1 || e[i].c.month < t->first)
            t->first = e[i].c.month;
        if (t->months == 1 || e[i].c.month > t->last)
            t->last = e[i].c.month;
    }
}

int ledger_sum(const struct contribution_entry *e, int n, const uint8_t *stands,
               struct ledger_total **out, int *n_out, struct error *err)
{
    *out = NULL;
    *n_out = 0;
    struct ledger_total *t = NULL;
    int nt = 0, rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        if (!stands[i])
            continue;
        int k = 0;
        while (k < nt && strcmp(t[k].scheme, e[i].c.scheme) != 0)
            k++;
        if (k == nt) {
            struct ledger_total *grown = sp_reallocarray(t, (size_t)nt + 1, sizeof *grown);
            if (grown == NULL) {
                rc = error_nomem(err);
                break;
            }
            t = grown;
            memset(&t[nt], 0, sizeof t[nt]);
            text_copy(t[nt].scheme, sizeof t[nt].scheme, e[i].c.scheme);
            nt++;
        }
        rc = add_entry(&t[k], &e[i], err);
    }
    if (rc != SP_OK) {
        sp_free(t);
        return rc;
    }
    for (int k = 0; k < nt; k++)
        count_months(e, n, stands, &t[k]);
    *out = t;
    *n_out = nt;
    return SP_OK;
}
