/*
 * outreach.c: the outreach and advocacy logs (outreach.h).
 */
#include "ops/outreach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/entitlements.h"
#include "ops/persons.h"
#include "ops/transaction.h"

/* ---- logging ---- */

struct activity_write {
    struct outreach_activity *a;
    const struct outreach_participant *parts;
    int n;
};

static int activity_once(struct store *store, void *arg, struct error *err)
{
    struct activity_write *w = arg;
    return store_outreach_add(store, w->a, w->parts, w->n, err);
}

int outreach_log(struct store *store, struct outreach_activity *a,
                 const struct outreach_participant *parts, int n, struct error *err)
{
    date_time_utc_now(a->recorded_at);
    struct activity_write w = {a, parts, n};
    return ops_transaction(store, activity_once, &w, NULL, NULL, err);
}

static int proposal_once(struct store *store, void *arg, struct error *err)
{
    return store_advocacy_add(store, arg, err);
}

int advocacy_log(struct store *store, struct advocacy *a, struct error *err)
{
    date_time_utc_now(a->recorded_at);
    return ops_transaction(store, proposal_once, a, NULL, NULL, err);
}

/* ---- reading ---- */

struct book_reader {
    struct outreach_book *b;
    int cap_activities, cap_parts;
    struct error *err;
};

static int book_activity(void *ctx, const struct outreach_activity *a)
{
    struct book_reader *r = ctx;
    struct outreach_book *b = r->b;
    if (b->n_activities == r->cap_activities) {
        int cap = r->cap_activities ? r->cap_activities * 2 : 16;
        struct outreach_activity *grown =
            sp_reallocarray(b->activities, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(r->err);
        b->activities = grown;
        r->cap_activities = cap;
    }
    b->activities[b->n_activities++] = *a;
    return 0;
}

static int book_part(void *ctx, const struct outreach_participant *p)
{
    struct book_reader *r = ctx;
    struct outreach_book *b = r->b;
    if (b->n_parts == r->cap_parts) {
        int cap = r->cap_parts ? r->cap_parts * 2 : 64;
        struct outreach_participant *grown = sp_reallocarray(b->parts, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(r->err);
        b->parts = grown;
        r->cap_parts = cap;
    }
    b->parts[b->n_parts++] = *p;
    return 0;
}

int outreach_book_load(struct store *store, struct outreach_book *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    struct book_reader r = {out, 0, 0, err};
    return store_outreach_each(store, book_activity, book_part, &r, err);
}

void outreach_book_release(struct outreach_book *b)
{
    if (b == NULL)
        return;
    sp_free(b->activities);
    sp_free(b->parts);
    memset(b, 0, sizeof *b);
}

struct advocacy_reader {
    struct advocacy **items;
    int *n, cap;
    struct error *err;
};

static int add_proposal(void *ctx, const struct advocacy *a)
{
    struct advocacy_reader *r = ctx;
    if (*r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        struct advocacy *grown = sp_reallocarray(*r->items, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(r->err);
        *r->items = grown;
        r->cap = cap;
    }
    (*r->items)[(*r->n)++] = *a;
    return 0;
}

int advocacy_load(struct store *store, struct advocacy **out, int *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    struct advocacy_reader r = {out, n, 0, err};
    return store_advocacy_each(store, add_proposal, &r, err);
}

int advocacy_is_simulated(const struct advocacy *a)
{
    return strncmp(a->source, ADVOCACY_SIMULATION_SOURCE, strlen(ADVOCACY_SIMULATION_SOURCE)) == 0;
}

void advocacy_summarise(const struct advocacy *a, int n, const char *country, int32_t from,
                        int32_t to, struct advocacy_summary *s)
{
    memset(s, 0, sizeof *s);
    for (int i = 0; i < n; i++) {
        if (country != NULL && strcmp(a[i].country, country) != 0)
            continue;
        if ((from != DATE_NONE && a[i].date < from) || (to != DATE_NONE && a[i].date > to))
            continue;
        s->proposals++;
        s->lobbied += a[i].status == ADVOCACY_LOBBIED;
        s->rejected += a[i].status == ADVOCACY_REJECTED;
        if (a[i].status != ADVOCACY_APPROVED)
            continue;
        s->approved++;
        if (a[i].benefit < 0)
            continue;
        if (advocacy_is_simulated(&a[i]))
            s->simulated++;
        else
            s->estimated++;
        s->benefit += a[i].benefit;
        s->women += a[i].benefit_women > 0 ? a[i].benefit_women : 0;
        s->young += a[i].benefit_young > 0 ? a[i].benefit_young : 0;
    }
}

/* ---- reach ---- */

static int compare_texts(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* 1 if the activity counts for q. */
static int in_period(const struct outreach_activity *a, const struct report_query *q)
{
    return a->date <= q->as_of && (q->from == DATE_NONE || a->date >= q->from) &&
           (q->country == NULL || strcmp(a->country, q->country) == 0) &&
           (q->org == NULL || strcmp(a->org, q->org) == 0 || strcmp(a->network, q->org) == 0);
}

/* The activity numbered id in b (by number), or NULL. */
static const struct outreach_activity *activity_of(const struct outreach_book *b, int64_t id)
{
    int lo = 0, hi = b->n_activities - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (b->activities[mid].id == id)
            return &b->activities[mid];
        if (b->activities[mid].id < id)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

static struct disagg_slice slice_of(const struct outreach_activity *a, const uint8_t *m)
{
    struct disagg_slice s = {.org = a->org,
                             .network = a->network,
                             .activity = outreach_type_words[a->type >= 1 ? a->type - 1 : 0]};
    memcpy(s.m, m, sizeof s.m);
    return s;
}

/* 1 if the enrolments (sorted by person) hold one of `id` active on the date. */
static int enrolled_on(const struct enrolment *e, int n, const char *id, int32_t day)
{
    for (int i = 0; i < n; i++)
        if (strcmp(e[i].person, id) == 0 && e[i].from <= day &&
            (e[i].to == DATE_NONE || e[i].to >= day))
            return 1;
    return 0;
}

/* A registry participant: their activities, by person. */
struct reached {
    const char *person;
    const struct outreach_activity *a;
};

static int compare_reached(const void *x, const void *y)
{
    const struct reached *a = x, *b = y;
    int c = strcmp(a->person, b->person);
    return c != 0 ? c : (a->a->id > b->a->id) - (a->a->id < b->a->id);
}

/* Counts the registry persons of the period, each once with a slice per activity. */
static int reach_persons(struct store *store, const struct report_query *q,
                         const struct outreach_book *b, struct disagg_table *t, struct error *err)
{
    struct reached *list = sp_calloc(b->n_parts > 0 ? (size_t)b->n_parts : 1, sizeof *list);
    struct disagg_slice *slices =
        sp_calloc(b->n_parts > 0 ? (size_t)b->n_parts : 1, sizeof *slices);
    struct enrolment *enrolments = NULL;
    int n_enrolments = 0, n = 0;
    int rc = list == NULL || slices == NULL ? error_nomem(err) : SP_OK;
    for (int i = 0; rc == SP_OK && i < b->n_parts; i++) {
        const struct outreach_activity *a = activity_of(b, b->parts[i].activity);
        if (b->parts[i].person[0] != '\0' && a != NULL && in_period(a, q))
            list[n++] = (struct reached){b->parts[i].person, a};
    }
    if (rc == SP_OK && n > 0) {
        qsort(list, (size_t)n, sizeof *list, compare_reached);
        rc = entitlements_enrolments_load(store, &enrolments, &n_enrolments, err);
    }
    for (int i = 0; rc == SP_OK && i < n;) {
        int end = i;
        while (end < n && strcmp(list[end].person, list[i].person) == 0)
            end++;
        struct person p;
        rc = persons_get(store, list[i].person, &p, err);
        if (rc != SP_OK)
            break;
        uint8_t m[DISAGG_MEASURES_MAX] = {1, 1, 0};
        m[2] = (uint8_t)enrolled_on(enrolments, n_enrolments, p.id, q->as_of);
        for (int k = i; k < end; k++)
            slices[k - i] = slice_of(list[k].a, m);
        struct disagg_unit u = {
            .person = &p,
            .age = p.birth_date == DATE_NONE ? -1 : date_age_years(p.birth_date, q->as_of),
            .slices = slices,
            .n_slices = end - i};
        memcpy(u.m, m, sizeof u.m);
        rc = disagg_add(t, &u, err);
        i = end;
    }
    sp_free(enrolments);
    sp_free(slices);
    sp_free(list);
    return rc;
}

/* Counts the anonymous participants of the period, as logged. */
static int reach_anonymous(const struct report_query *q, const struct outreach_book *b,
                           struct disagg_table *t, struct error *err)
{
    int rc = SP_OK;
    for (int i = 0; rc == SP_OK && i < b->n_parts; i++) {
        const struct outreach_participant *pa = &b->parts[i];
        const struct outreach_activity *a = activity_of(b, pa->activity);
        if (pa->person[0] != '\0' || a == NULL || !in_period(a, q))
            continue;
        struct person p;
        person_init(&p);
        p.sex = pa->sex;
        text_copy(p.country, sizeof p.country, a->country);
        text_copy(p.admin2, sizeof p.admin2, a->area);
        uint8_t m[DISAGG_MEASURES_MAX] = {1, 0, 0};
        struct disagg_slice s = slice_of(a, m);
        struct disagg_unit u = {.person = &p,
                                .age = -1,
                                .slices = &s,
                                .n_slices = 1,
                                .count = pa->count,
                                .youth = pa->youth};
        memcpy(u.m, m, sizeof u.m);
        rc = disagg_add(t, &u, err);
    }
    return rc;
}

/* "12 activities by 5 organisations in 2 networks". */
static int reach_summary(const struct report_query *q, const struct outreach_book *b,
                         struct disagg_table *t, struct error *err)
{
    const char **orgs = sp_calloc(b->n_activities > 0 ? (size_t)b->n_activities : 1, sizeof *orgs);
    const char **networks =
        sp_calloc(b->n_activities > 0 ? (size_t)b->n_activities : 1, sizeof *networks);
    if (orgs == NULL || networks == NULL) {
        sp_free(orgs);
        sp_free(networks);
        return error_nomem(err);
    }
    int n = 0, n_networks = 0;
    for (int i = 0; i < b->n_activities; i++) {
        if (!in_period(&b->activities[i], q))
            continue;
        orgs[n++] = b->activities[i].org;
        if (b->activities[i].network[0])
            networks[n_networks++] = b->activities[i].network;
    }
    int activities = n;
    qsort(orgs, (size_t)n, sizeof *orgs, compare_texts);
    qsort(networks, (size_t)n_networks, sizeof *networks, compare_texts);
    int distinct = 0, distinct_networks = 0;
    for (int i = 0; i < n; i++)
        distinct += i == 0 || strcmp(orgs[i], orgs[i - 1]) != 0;
    for (int i = 0; i < n_networks; i++)
        distinct_networks += i == 0 || strcmp(networks[i], networks[i - 1]) != 0;
    snprintf(t->summary, sizeof t->summary, "%d activit%s by %d organisation%s in %d network%s",
             activities, activities == 1 ? "y" : "ies", distinct, distinct == 1 ? "" : "s",
             distinct_networks, distinct_networks == 1 ? "" : "s");
    sp_free(orgs);
    sp_free(networks);
    return SP_OK;
}

int outreach_reach(struct store *store, const struct report_query *q, struct disagg_table *t,
                   struct error *err)
{
    struct disagg_spec spec;
    report_spec(q, &spec);
    int rc = disagg_init(t, &spec, err);
    struct outreach_book b;
    memset(&b, 0, sizeof b);
    if (rc == SP_OK)
        rc = outreach_book_load(store, &b, err);
    if (rc == SP_OK)
        rc = reach_persons(store, q, &b, t, err);
    if (rc == SP_OK)
        rc = reach_anonymous(q, &b, t, err);
    if (rc == SP_OK)
        rc = reach_summary(q, &b, t, err);
    outreach_book_release(&b);
    return rc;
}
