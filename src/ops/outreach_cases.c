/*
 * outreach_cases.c: legal-aid and assisted-claim cases (outreach_cases.h).
 */
#include "ops/outreach_cases.h"

#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/persons.h"
#include "ops/transaction.h"

static int open_once(struct store *store, void *arg, struct error *err)
{
    return store_case_add(store, arg, err);
}

int outreach_case_open(struct store *store, struct outreach_case *c, struct error *err)
{
    date_time_utc_now(c->recorded_at);
    return ops_transaction(store, open_once, c, NULL, NULL, err);
}

struct case_finder {
    int64_t id;
    struct outreach_case *out;
    int found;
};

static int find_case(void *ctx, const struct outreach_case *c)
{
    struct case_finder *f = ctx;
    if (c->id != f->id)
        return 0;
    *f->out = *c;
    f->found = 1;
    return 1; /* stop: found */
}

struct change_write {
    const struct case_change *ch;
    struct outreach_case *out;
};

static int change_once(struct store *store, void *arg, struct error *err)
{
    struct change_write *w = arg;
    const struct case_change *ch = w->ch;
    struct case_finder f = {ch->id, w->out, 0};
    int rc = store_cases_each(store, find_case, &f, err);
    if (rc != SP_OK && !f.found)
        return rc; /* the walk failed (found stops it with 1) */
    if (!f.found)
        return error_set(err, SP_BAD_INPUT, "there is no case %lld", (long long)ch->id);
    struct outreach_case *c = w->out;
    if (ch->outcome != 0)
        c->outcome = ch->outcome;
    if (ch->decided != DATE_NONE)
        c->decided = ch->decided;
    if (ch->recovered != NULL) {
        struct money m;
        rc = money_parse_tagged_unsigned(ch->recovered, currency_of_country(c->country), &m, err);
        if (rc != SP_OK) {
            error_prefix(err, "--recovered");
            return rc;
        }
        c->recovered = m.minor;
        text_copy(c->currency, sizeof c->currency, m.minor > 0 ? m.currency : "");
    }
    if (c->outcome == CASE_PENDING)
        c->decided = DATE_NONE;
    if (c->outcome != CASE_WON && ch->recovered == NULL) {
        c->recovered = 0; /* a case lost, or pending again, recovers nothing */
        c->currency[0] = '\0';
    }
    if (ch->note != NULL && !text_copy(c->note, sizeof c->note, ch->note))
        return error_set(err, SP_BAD_INPUT, "--note: at most %d bytes", OUTREACH_NOTE_SIZE - 1);
    text_copy(c->actor, sizeof c->actor, ch->actor);
    date_time_utc_now(c->recorded_at);
    return store_case_update(store, c, err);
}

int outreach_case_change(struct store *store, const struct case_change *ch,
                         struct outreach_case *out, struct error *err)
{
    struct change_write w = {ch, out};
    return ops_transaction(store, change_once, &w, NULL, NULL, err);
}

struct case_reader {
    struct outreach_case **items;
    int *n, cap;
    struct error *err;
};

static int add_case(void *ctx, const struct outreach_case *c)
{
    struct case_reader *r = ctx;
    if (*r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 16;
        struct outreach_case *grown = sp_reallocarray(*r->items, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(r->err);
        *r->items = grown;
        r->cap = cap;
    }
    (*r->items)[(*r->n)++] = *c;
    return 0;
}

int outreach_cases_load(struct store *store, struct outreach_case **out, int *n, struct error *err)
{
    *out = NULL;
    *n = 0;
    struct case_reader r = {out, n, 0, err};
    return store_cases_each(store, add_case, &r, err);
}

/* The network of organisation org in the book (its last activity's), or "". */
static const char *network_of(const struct outreach_book *b, const char *org)
{
    for (int i = b != NULL ? b->n_activities - 1 : -1; i >= 0; i--)
        if (strcmp(b->activities[i].org, org) == 0)
            return b->activities[i].network;
    return "";
}

static int selected(const struct outreach_case *c, const struct case_filter *f)
{
    if (f->country != NULL && strcmp(c->country, f->country) != 0)
        return 0;
    return f->org == NULL || strcmp(c->org, f->org) == 0 ||
           strcmp(network_of(f->book, c->org), f->org) == 0;
}

static int add_recovered(struct case_summary *s, const struct outreach_case *c, struct error *err)
{
    if (c->recovered <= 0)
        return SP_OK;
    for (int i = 0; i < s->n_currencies; i++)
        if (strcmp(s->recovered[i].currency, c->currency) == 0) {
            s->recovered[i].minor += c->recovered;
            return SP_OK;
        }
    if (s->n_currencies == CASE_CURRENCIES_MAX)
        return error_set(err, SP_BAD_INPUT, "amounts recovered in more than %d currencies",
                         CASE_CURRENCIES_MAX);
    struct money *m = &s->recovered[s->n_currencies++];
    m->minor = c->recovered;
    text_copy(m->currency, sizeof m->currency, c->currency);
    return SP_OK;
}

int outreach_cases_summarise(struct store *store, const struct outreach_case *cases, int n,
                             const struct case_filter *f, struct case_summary *s, struct error *err)
{
    memset(s, 0, sizeof *s);
    int rc = SP_OK;
    for (int i = 0; rc == SP_OK && i < n; i++) {
        const struct outreach_case *c = &cases[i];
        if (!selected(c, f) || c->opened > f->to)
            continue;
        s->opened += c->opened >= f->from;
        int decided = c->decided != DATE_NONE && c->decided >= f->from && c->decided <= f->to;
        if (c->decided == DATE_NONE || c->decided > f->to) {
            s->pending++;
            continue;
        }
        if (!decided)
            continue;
        s->decided++;
        if (c->outcome != CASE_WON) {
            s->lost++;
            continue;
        }
        s->won++;
        rc = add_recovered(s, c, err);
        int woman = c->sex == SEX_FEMALE, young = c->youth == OUTREACH_UNDER_35;
        if (rc == SP_OK && c->person[0] != '\0') {
            struct person p;
            rc = persons_get(store, c->person, &p, err);
            woman = p.sex == SEX_FEMALE;
            young = p.birth_date != DATE_NONE && date_age_years(p.birth_date, f->to) < 35;
        }
        s->won_women += woman;
        s->won_young += young;
    }
    return rc;
}
