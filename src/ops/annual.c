/*
 * annual.c: the figures of the annual results summary (annual.h).
 */
#include "ops/annual.h"

#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/outreach.h"
#include "ops/outreach_cases.h"
#include "ops/report.h"

/* Runs indicator over the year (from to s->as_of, or on the date with from DATE_NONE). */
static int indicator(struct store *store, const struct scheme_library *lib,
                     enum report_indicator which, const struct annual_query *q, const char *country,
                     int32_t from, int32_t as_of, enum disagg_dim *by, int n_by,
                     struct disagg_table *t, struct error *err)
{
    struct report_query rq = {.indicator = which,
                              .as_of = as_of,
                              .from = from,
                              .country = country,
                              .org = which == REPORT_REACH ? q->org : NULL,
                              .n_by = n_by};
    for (int i = 0; i < n_by; i++)
        rq.by[i] = by[i];
    int64_t skipped = 0;
    return report_registry(store, lib, &rq, t, &skipped, err);
}

/* 1 if org is one of the ';'-joined organisations of a proposal. */
static int among(const char *orgs, const char *org)
{
    size_t n = strlen(org);
    for (const char *at = orgs; *at != '\0';) {
        const char *end = strchr(at, ';');
        size_t len = end ? (size_t)(end - at) : strlen(at);
        if (len == n && strncmp(at, org, n) == 0)
            return 1;
        if (end == NULL)
            break;
        at = end + 1;
    }
    return 0;
}

static int advocacy_part(struct store *store, const struct annual_query *q, const char *country,
                         int32_t from, int32_t to, struct annual_summary *s, struct error *err)
{
    struct advocacy *all = NULL;
    int n = 0, kept = 0;
    int rc = advocacy_load(store, &all, &n, err);
    for (int i = 0; rc == SP_OK && i < n; i++)
        if (q->org == NULL || among(all[i].orgs, q->org))
            all[kept++] = all[i];
    struct advocacy_summary a;
    if (rc == SP_OK) {
        advocacy_summarise(all, kept, country, from, to, &a);
        s->proposals = a.proposals;
        s->approved = a.approved;
        s->rejected = a.rejected;
        s->lobbied = a.lobbied;
        s->benefit = a.benefit;
        s->benefit_women = a.women;
        s->benefit_young = a.young;
        s->estimated = a.estimated;
        s->simulated = a.simulated;
    }
    sp_free(all);
    return rc;
}

static int cases_part(struct store *store, const struct annual_query *q, const char *country,
                      const struct outreach_book *book, int32_t from, int32_t to,
                      struct annual_summary *s, struct error *err)
{
    struct outreach_case *cases = NULL;
    int n = 0;
    int rc = outreach_cases_load(store, &cases, &n, err);
    struct case_filter f = {q->org, book, country, from, to};
    struct case_summary c;
    if (rc == SP_OK)
        rc = outreach_cases_summarise(store, cases, n, &f, &c, err);
    if (rc == SP_OK) {
        s->cases_won = c.won;
        s->cases_lost = c.lost;
        s->cases_pending = c.pending;
        s->won_women = c.won_women;
        s->won_young = c.won_young;
        s->n_recovered = c.n_currencies;
        memcpy(s->recovered, c.recovered, sizeof s->recovered);
    }
    sp_free(cases);
    return rc;
}

int annual_summarise(struct store *store, const struct scheme_library *lib,
                     const struct annual_query *q, struct annual_summary *s, struct error *err)
{
    memset(s, 0, sizeof *s);
    int32_t from = date_from_civil(q->year, 1, 1), to = date_from_civil(q->year, 12, 31);
    if (from > q->today)
        return error_set(err, SP_BAD_INPUT, "--year %d has not begun", q->year);
    int32_t as_of = to < q->today ? to : q->today;
    s->year = q->year;
    date_format(as_of, s->as_of);
    text_copy(s->org, sizeof s->org, q->org != NULL ? q->org : "");
    struct outreach_book book;
    int rc = outreach_book_load(store, &book, err);
    const char *country = q->country;
    int64_t activities = 0;
    for (int i = 0; rc == SP_OK && i < book.n_activities; i++) {
        const struct outreach_activity *a = &book.activities[i];
        int ours = q->org == NULL || strcmp(a->org, q->org) == 0 || strcmp(a->network, q->org) == 0;
        if (ours && country == NULL && q->org != NULL)
            country = a->country; /* the organisation's country */
        activities += ours && a->date >= from && a->date <= as_of &&
                      (country == NULL || strcmp(a->country, country) == 0);
    }
    text_copy(s->country, sizeof s->country, country != NULL ? country : "");
    s->activities = activities;
    struct disagg_table t;
    memset(&t, 0, sizeof t);
    enum disagg_dim by_org = DISAGG_ORG;
    if (rc == SP_OK)
        rc = indicator(store, lib, REPORT_REACH, q, country, from, as_of, &by_org, 1, &t, err);
    if (rc == SP_OK) {
        s->reached = t.total.m[0];
        s->reached_in_registry = t.total.m[1].n;
        s->reached_enrolled = t.total.m[2].n;
        s->organisations = t.n;
    }
    disagg_release(&t);
    if (rc == SP_OK)
        rc = indicator(store, lib, REPORT_COVERAGE, q, country, DATE_NONE, as_of, NULL, 0, &t, err);
    if (rc == SP_OK) {
        s->persons = t.total.m[0];
        s->covered = t.total.m[1];
    }
    disagg_release(&t);
    if (rc == SP_OK)
        rc = indicator(store, lib, REPORT_ENROLMENT, q, country, from, as_of, NULL, 0, &t, err);
    if (rc == SP_OK)
        s->enrolled = t.total.m[1];
    disagg_release(&t);
    if (rc == SP_OK)
        rc = indicator(store, lib, REPORT_BENEFITS, q, country, from, as_of, NULL, 0, &t, err);
    if (rc == SP_OK) {
        s->recipients = t.total.m[0];
        s->paid = t.total.m[1].n;
        text_copy(s->paid_currency, sizeof s->paid_currency,
                  t.spec.currency != NULL ? t.spec.currency : "");
    }
    disagg_release(&t);
    if (rc == SP_OK)
        rc = cases_part(store, q, country, &book, from, as_of, s, err);
    if (rc == SP_OK)
        rc = advocacy_part(store, q, country, from, as_of, s, err);
    outreach_book_release(&book);
    return rc;
}
