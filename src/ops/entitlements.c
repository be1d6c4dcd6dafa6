/*
 * entitlements.c: decisions for registered persons, one with their household or everyone in
 * the registry whole households at a time (entitlements.h).
 *
 * The batch reads the store household by household (store_person_each_by_household) into a
 * block: a situation of whole households, at least ENTITLEMENTS_BLOCK_PERSONS persons unless the
 * registry ends first. Each full block is indexed (situation_index: member lists, living
 * children) and decided scheme by scheme in runs of EXPR_BLOCK persons, with every scheme bound
 * once for the date. Then the block is emptied and reused, so memory does not grow with the
 * registry.
 */
#include "ops/entitlements.h"

#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/text.h"
#include "ledger/ledger.h"
#include "ops/blocks.h"
#include "ops/persons.h"
#include "rules/fact_block.h"

#define MEMBERS_MAX 10000000   /* persons of one household read for one person */
#define REASONS_MAX (1u << 20) /* bytes of one result's reasons */

/* ---- one person ---- */

/* The situation household members are collected into, growing as they come. */
struct members {
    struct situation *s; /* persons[0] is the person asked about */
    int cap;             /* persons s->persons has room for */
    struct error *err;   /* where a failure is told */
};

/* Grows *persons to room for at least need persons (doubling); SP_IO when out of memory. */
static int grow_persons(struct person **persons, int *cap, int need, struct error *err)
{
    if (need <= *cap)
        return SP_OK;
    int grown_cap = *cap > 0 ? *cap : 16;
    while (grown_cap < need)
        grown_cap *= 2;
    struct person *grown = sp_reallocarray(*persons, (size_t)grown_cap, sizeof *grown);
    if (grown == NULL)
        return error_nomem(err);
    *persons = grown;
    *cap = grown_cap;
    return SP_OK;
}

/* Collects household members into the situation's persons (after the person at 0). */
static int add_member(void *ctx, const struct person *p)
{
    struct members *m = ctx;
    struct situation *s = m->s;
    if (strcmp(p->id, s->persons[0].id) == 0)
        return SP_OK;
    if (s->n_persons >= MEMBERS_MAX)
        return error_set(m->err, SP_BAD_INPUT, "household %s has more than %d members",
                         s->persons[0].household, MEMBERS_MAX);
    int rc = grow_persons(&s->persons, &m->cap, s->n_persons + 1, m->err);
    if (rc != SP_OK)
        return rc;
    s->persons[s->n_persons++] = *p;
    return SP_OK;
}

/* Appends an enrolment of the registry to a situation's (store_enrolments_each). */
struct enrolments_into {
    struct enrolment **items;
    int *n, cap;
    struct error *err;
};

static int append_enrolment(void *ctx, const struct enrolment_record *r)
{
    struct enrolments_into *in = ctx;
    if (*in->n == in->cap) {
        int cap = in->cap ? in->cap * 2 : 16;
        struct enrolment *grown = sp_reallocarray(*in->items, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(in->err);
        *in->items = grown;
        in->cap = cap;
    }
    (*in->items)[(*in->n)++] = r->e;
    return SP_OK;
}

int entitlements_enrolments_load(struct store *store, struct enrolment **out, int *n,
                                 struct error *err)
{
    *out = NULL;
    *n = 0;
    struct enrolments_into in = {out, n, 0, err};
    int rc = store_enrolments_each(store, NULL, append_enrolment, &in, err);
    if (rc != SP_OK) {
        sp_free(*out);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- what the registry keeps beside the persons: marks and life events ---- */

/* The records of a situation that are not decided on the date: merged, or dead by then. */
struct gone {
    int32_t as_of;
    char (*ids)[PERSON_ID_SIZE]; /* their worker IDs, in the order visited (by worker ID) */
    int n, cap;
    struct error *err;
};

static int note_gone(void *ctx, const char *id, const struct person_mark *m)
{
    struct gone *g = ctx;
    if (m->kind == PERSON_MARK_DECEASED && m->date > g->as_of)
        return 0; /* alive on the date */
    if (g->n == g->cap) {
        int cap = g->cap ? g->cap * 2 : 16;
        void *grown = sp_reallocarray(g->ids, (size_t)cap, sizeof *g->ids);
        if (grown == NULL)
            return error_nomem(g->err);
        g->ids = grown;
        g->cap = cap;
    }
    text_copy(g->ids[g->n++], sizeof g->ids[0], id);
    return 0;
}

static int compare_ids(const void *a, const void *b)
{
    return strcmp(a, b);
}

/* What a situation's persons have beside their records, gathered from the store. */
struct gathered {
    struct life_event *events;
    int n_events, cap_events;
    struct contribution_entry *entries; /* one person's ledger entries at a time */
    int n_entries, cap_entries;
    struct contribution *rows; /* the standing entries of every person, as rows */
    int n_rows, cap_rows;
    struct error *err;
};

static int add_event(void *ctx, const struct registry_event *ev)
{
    struct gathered *g = ctx;
    if (g->n_events == g->cap_events) {
        int cap = g->cap_events ? g->cap_events * 2 : 64;
        struct life_event *grown = sp_reallocarray(g->events, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(g->err);
        g->events = grown;
        g->cap_events = cap;
    }
    g->events[g->n_events++] = ev->e;
    return 0;
}

/* Adds the standing entries of the person whose entries were gathered as rows. */
static int person_done(struct gathered *g)
{
    int n = g->n_entries, rc = SP_OK;
    g->n_entries = 0;
    if (n == 0)
        return SP_OK;
    uint8_t *stands = sp_malloc((size_t)n);
    if (stands == NULL)
        return error_nomem(g->err);
    rc = ledger_standing(g->entries, n, stands, g->err);
    for (int i = 0; i < n && rc == SP_OK; i++) {
        if (!stands[i])
            continue;
        if (g->n_rows == g->cap_rows) {
            int cap = g->cap_rows ? g->cap_rows * 2 : 256;
            struct contribution *grown = sp_reallocarray(g->rows, (size_t)cap, sizeof *grown);
            if (grown == NULL) {
                rc = error_nomem(g->err);
                break;
            }
            g->rows = grown;
            g->cap_rows = cap;
        }
        g->rows[g->n_rows++] = g->entries[i].c;
    }
    sp_free(stands);
    return rc;
}

static int add_entry(void *ctx, const struct contribution_entry *e)
{
    struct gathered *g = ctx;
    if (g->n_entries > 0 && strcmp(g->entries[0].c.person, e->c.person) != 0) {
        int rc = person_done(g);
        if (rc != SP_OK)
            return rc;
    }
    if (g->n_entries == g->cap_entries) {
        int cap = g->cap_entries ? g->cap_entries * 2 : 64;
        struct contribution_entry *grown = sp_reallocarray(g->entries, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(g->err);
        g->entries = grown;
        g->cap_entries = cap;
    }
    g->entries[g->n_entries++] = *e;
    return 0;
}

int entitlements_registry_histories(struct store *store, const struct store_census *census,
                                    struct situation *s, struct error *err)
{
    struct gathered g = {0};
    g.err = err;
    int rc = SP_OK;
    const char **ids = NULL;
    if (s->n_persons > 0) {
        ids = sp_malloc((size_t)s->n_persons * sizeof *ids);
        if (ids == NULL)
            return error_nomem(err);
        for (int i = 0; i < s->n_persons; i++)
            ids[i] = s->persons[i].id;
        rc = store_events_of_many(store, census, ids, s->n_persons, add_event, &g, err);
        if (rc == SP_OK)
            rc = store_contributions_of_many(store, census, ids, s->n_persons, add_entry, &g, err);
        if (rc == SP_OK)
            rc = person_done(&g);
    }
    sp_free(ids);
    sp_free(g.entries);
    if (rc != SP_OK) {
        sp_free(g.events);
        sp_free(g.rows);
        return rc;
    }
    sp_free(s->events);
    s->events = g.events;
    s->n_events = g.n_events;
    sp_free(s->contributions);
    s->contributions = g.rows;
    s->n_contributions = g.n_rows;
    return SP_OK;
}

/*
 * Completes the persons of s from the registry before they are decided on as_of: drops those
 * that are not decided then (merged into another record, or dead on or before as_of; from
 * `keep` on: the persons before it stay whatever their mark), counting them in *skipped, and
 * gathers the life events and ledger entries of those that stay
 * (entitlements_registry_histories).
 */
static int registry_facts(struct store *store, const struct store_census *census,
                          struct situation *s, int32_t as_of, int keep, int64_t *skipped,
                          struct error *err)
{
    if (s->n_persons == 0)
        return SP_OK;
    const char **ids = sp_malloc((size_t)s->n_persons * sizeof *ids);
    if (ids == NULL)
        return error_nomem(err);
    for (int i = 0; i < s->n_persons; i++)
        ids[i] = s->persons[i].id;
    struct gone g = {as_of, NULL, 0, 0, err};
    int rc = store_marks_of_many(store, census, ids, s->n_persons, note_gone, &g, err);
    sp_free(ids);
    if (rc == SP_OK && g.n > 0) {
        qsort(g.ids, (size_t)g.n, sizeof g.ids[0], compare_ids);
        int n = keep;
        for (int i = keep; i < s->n_persons; i++) {
            if (bsearch(s->persons[i].id, g.ids, (size_t)g.n, sizeof g.ids[0], compare_ids) != NULL)
                continue;
            if (n != i)
                s->persons[n] = s->persons[i];
            n++;
        }
        *skipped += s->n_persons - n;
        s->n_persons = n;
        int kept = 0; /* and the enrolments of those that stay */
        for (int i = 0; i < s->n_enrolments; i++)
            if (bsearch(s->enrolments[i].person, g.ids, (size_t)g.n, sizeof g.ids[0],
                        compare_ids) == NULL)
                s->enrolments[kept++] = s->enrolments[i];
        s->n_enrolments = kept;
    }
    sp_free(g.ids);
    return rc == SP_OK ? entitlements_registry_histories(store, census, s, err) : rc;
}

int entitlements_person_situation(struct store *store, const char *id, int32_t as_of,
                                  struct situation *s, struct error *err)
{
    struct members m = {s, 0, err};
    int rc = grow_persons(&s->persons, &m.cap, 1, err);
    if (rc != SP_OK)
        return rc;
    s->households = sp_calloc(1, sizeof *s->households);
    if (s->households == NULL)
        return error_nomem(err);
    rc = persons_get(store, id, &s->persons[0], err);
    if (rc != SP_OK)
        return rc;
    s->n_persons = 1;
    int found = 0;
    char household[PERSON_SHORT_SIZE];
    text_copy(household, sizeof household, s->persons[0].household);
    if (household[0] != '\0') {
        rc = store_household_members(store, household, add_member, &m, err);
        if (rc == SP_OK)
            rc = store_household_get(store, household, &s->households[0], &found, err);
        if (rc != SP_OK)
            return rc;
        s->n_households = found;
    }
    int64_t skipped = 0;
    rc = registry_facts(store, NULL, s, as_of, 1, &skipped, err);
    struct enrolments_into in = {&s->enrolments, &s->n_enrolments, 0, err};
    if (rc == SP_OK)
        rc = store_enrolments_each(store, s->persons[0].id, append_enrolment, &in, err);
    return rc == SP_OK ? situation_index(s, err) : rc;
}

/* ---- one person, bound schemes kept from call to call ---- */

struct entitlements_cache {
    const struct scheme_library *lib; /* the library of bound and scratch, or NULL */
    int32_t as_of;                    /* the date bound holds the schemes on */
    int n;                            /* lib->n_schemes when lib was taken */
    struct decide_bound **bound;      /* n: lib->schemes[i] bound on as_of, or NULL */
    struct decide_scratch **scratch;  /* n: its working memory, or NULL */
};

int entitlements_cache_new(struct entitlements_cache **out, struct error *err)
{
    *out = sp_calloc(1, sizeof **out);
    return *out != NULL ? SP_OK : error_nomem(err);
}

/* Forgets the bindings (and, with scratch, the working memory too). */
static void cache_clear(struct entitlements_cache *c, int scratch)
{
    for (int i = 0; i < c->n; i++) {
        decide_bound_free(c->bound[i]);
        c->bound[i] = NULL;
        if (scratch) {
            decide_scratch_free(c->scratch[i]);
            c->scratch[i] = NULL;
        }
    }
}

void entitlements_cache_free(struct entitlements_cache *c)
{
    if (c == NULL)
        return;
    cache_clear(c, 1);
    sp_free(c->bound);
    sp_free(c->scratch);
    sp_free(c);
}

/* Makes c hold lib on as_of: nothing to do when it already does. */
static int cache_take(struct entitlements_cache *c, const struct scheme_library *lib, int32_t as_of,
                      struct error *err)
{
    if (c->lib == lib && c->n == lib->n_schemes && c->as_of == as_of)
        return SP_OK;
    if (c->lib == lib && c->n == lib->n_schemes) { /* another date: the scratch stays */
        cache_clear(c, 0);
        c->as_of = as_of;
        return SP_OK;
    }
    cache_clear(c, 1);
    sp_free(c->bound);
    sp_free(c->scratch);
    c->lib = NULL;
    c->n = 0;
    size_t n = lib->n_schemes > 0 ? (size_t)lib->n_schemes : 1;
    c->bound = sp_calloc(n, sizeof *c->bound);
    c->scratch = sp_calloc(n, sizeof *c->scratch);
    if (c->bound == NULL || c->scratch == NULL)
        return error_nomem(err);
    c->lib = lib;
    c->n = lib->n_schemes;
    c->as_of = as_of;
    return SP_OK;
}

/* Scheme i of c's library, bound and with its working memory, into *bound and *scratch. */
static int cache_scheme(struct entitlements_cache *c, int i, struct decide_bound **bound,
                        struct decide_scratch **scratch, struct error *err)
{
    const struct scheme *scheme = c->lib->schemes[i];
    int rc = SP_OK;
    if (c->bound[i] == NULL)
        rc = decide_bind(scheme, c->as_of, &c->bound[i], err);
    if (rc == SP_OK && c->scratch[i] == NULL)
        rc = decide_scratch_new(scheme, &c->scratch[i], err);
    else if (rc == SP_OK)
        decide_scratch_forget(c->scratch[i]); /* the last person's household plans */
    *bound = c->bound[i];
    *scratch = c->scratch[i];
    return rc;
}

void entitlements_person_release(struct entitlements_person *r)
{
    if (r == NULL)
        return;
    for (int k = 0; r->cache == NULL && k < r->n; k++) {
        decide_scratch_free(r->scratch[k]);
        decide_bound_free(r->bound[k]);
    }
    sp_free(r->schemes);
    sp_free(r->bound);
    sp_free(r->scratch);
    sp_free(r->decisions);
    sp_free(r->row);
    memset(r, 0, sizeof *r);
}

int entitlements_person_decide(struct entitlements_person *r, const struct scheme_library *lib,
                               int32_t as_of, const struct situation *s, struct error *err)
{
    return entitlements_person_decide_cached(r, NULL, lib, as_of, s, err);
}

int entitlements_person_decide_cached(struct entitlements_person *r,
                                      struct entitlements_cache *cache,
                                      const struct scheme_library *lib, int32_t as_of,
                                      const struct situation *s, struct error *err)
{
    memset(r, 0, sizeof *r);
    r->cache = cache;
    size_t n = lib->n_schemes > 0 ? (size_t)lib->n_schemes : 1;
    r->schemes = sp_calloc(n, sizeof *r->schemes);
    r->bound = sp_calloc(n, sizeof *r->bound);
    r->scratch = sp_calloc(n, sizeof *r->scratch);
    r->decisions = sp_calloc(n, sizeof *r->decisions);
    r->row = sp_calloc(n, sizeof *r->row);
    if (r->schemes == NULL || r->bound == NULL || r->scratch == NULL || r->decisions == NULL ||
        r->row == NULL)
        return error_nomem(err);
    int rc = cache != NULL ? cache_take(cache, lib, as_of, err) : SP_OK;
    for (int i = 0; rc == SP_OK && i < lib->n_schemes; i++) {
        const struct scheme *scheme = lib->schemes[i];
        if (strcmp(scheme->country, s->persons[0].country) != 0)
            continue;
        int k = r->n++;
        r->schemes[k] = scheme;
        r->row[k] = &r->decisions[k];
        if (cache != NULL) {
            rc = cache_scheme(cache, i, &r->bound[k], &r->scratch[k], err);
        } else {
            rc = decide_bind(scheme, as_of, &r->bound[k], err);
            if (rc == SP_OK)
                rc = decide_scratch_new(scheme, &r->scratch[k], err);
        }
        if (rc == SP_OK)
            rc = decide_one(r->bound[k], r->scratch[k], &s->persons[0], &s->histories[0],
                            &r->decisions[k], err);
    }
    if (rc == SP_OK)
        decide_exclusions(&s->persons[0], r->schemes, r->row, r->n);
    return rc;
}

/* ---- everyone ---- */

/* A scheme of the batch: bound on the date, with its working memory. */
struct batch_scheme {
    const struct scheme *scheme;     /* from the library */
    struct decide_bound *bound;      /* bound on the query's date */
    struct decide_scratch *scratch;  /* working memory (one thread) */
    struct decision out[EXPR_BLOCK]; /* the decisions of the current run */
};

/*
 * The schemes of one country, and the persons of that country in the run being decided. A
 * household, and so a run's person, belongs to one country; deciding each country's persons
 * for its own schemes alone spares deciding every person for every scheme of every country.
 */
struct batch_country {
    char code[3];                      /* the schemes' country */
    int *schemes;                      /* n: indexes into batch.schemes, ascending (so the
                                          schemes asked for come first, n_shown of them) */
    const struct scheme **row_schemes; /* n: the same schemes, for decide_exclusions */
    int n, n_shown;
    const struct person *persons[EXPR_BLOCK]; /* this run's persons of the country, in order */
    const struct person_history *histories[EXPR_BLOCK];
    int n_persons;
};

/*
 * The state of one batch. The store is read on the caller's thread into blocks (ops/blocks.h),
 * which are decided on a second thread: only that thread uses the schemes' working memory, the
 * summary, the reasons and emit; only the caller's thread uses the store.
 */
struct batch {
    struct store *store;
    const struct entitlements_query *q;
    entitlement_fn emit;
    void *ctx;
    entitlements_progress_fn progress;
    void *progress_ctx;
    struct entitlements_summary *sum;
    struct error *err;               /* the reader's errors */
    struct batch_scheme *schemes;    /* n_decided entries: the sum->n_schemes asked for, then
                                        those sharing an exclusion group with q->scheme; a
                                        scheme's out[] follows its country's persons[] */
    int n_decided;                   /* schemes decided */
    struct batch_country *countries; /* n_countries: the countries of the schemes decided */
    int n_countries;
    int *scheme_index;                 /* n_decided: room for the countries' schemes lists */
    const struct scheme **row_schemes; /* n_decided: room for the countries' row_schemes */
    struct decision **row;             /* n_decided: one person's decisions */
    struct buf missing;                /* one result's missing facts */
    struct buf reasons;                /* one result's reasons */
    struct buf human;                  /* one result's reasons for people (q->human) */
    int lane_country[EXPR_BLOCK];      /* a run's lane: its country in countries[], or -1 */
    int lane_index[EXPR_BLOCK];        /* its place in that country's persons[] */
    /* the persons of a country whose decision for a scheme asked for is eligible: only they are
       decided for the peers, since a peer changes nothing of a decision not eligible */
    const struct person *eligible[EXPR_BLOCK];
    const struct person_history *eligible_histories[EXPR_BLOCK];
    int eligible_at[EXPR_BLOCK];          /* their places in the country's persons[] */
    struct decision peer_out[EXPR_BLOCK]; /* a peer's decisions for them */
    struct fact_block *facts;             /* a country's persons of the run, as columns */
};

void entitlements_summary_release(struct entitlements_summary *sum)
{
    if (sum == NULL)
        return;
    sp_free(sum->tally);
    memset(sum, 0, sizeof *sum);
}

/*
 * 1 if scheme s is decided for the query: asked for (0) or, with q->scheme, in its exclusion
 * group (which one is paid depends on it) but not shown (1); -1 if not decided.
 */
static int scheme_role(const struct scheme_library *lib, const struct entitlements_query *q,
                       const struct scheme *s)
{
    if (q->country != NULL && strcmp(s->country, q->country) != 0)
        return -1;
    if (q->scheme == NULL || strcmp(s->id, q->scheme) == 0)
        return 0;
    const struct scheme *asked = scheme_library_find(lib, q->scheme);
    return asked != NULL && scheme_same_group(asked, s) ? 1 : -1;
}

/* What the batch reads of each person: what its schemes decide on, and what emit reads. */
static person_field_set batch_fields(const struct batch *b)
{
    person_field_set fields = b->q->reads | PERSON_FIELD_BIT(F_ID);
    for (int k = 0; k < b->n_decided; k++)
        fields |= scheme_facts(b->schemes[k].scheme);
    return fields;
}

/* Lists the decided schemes country by country (b->countries), each list in b->schemes' order. */
static void group_by_country(struct batch *b)
{
    int used = 0;
    for (int k = 0; k < b->n_decided; k++) {
        const char *code = b->schemes[k].scheme->country;
        int c = 0;
        while (c < b->n_countries && strcmp(b->countries[c].code, code) != 0)
            c++;
        if (c < b->n_countries)
            continue; /* listed with the first scheme of its country */
        struct batch_country *bc = &b->countries[b->n_countries++];
        text_copy(bc->code, sizeof bc->code, code);
        bc->schemes = &b->scheme_index[used];
        bc->row_schemes = &b->row_schemes[used];
        for (int j = k; j < b->n_decided; j++) {
            if (strcmp(b->schemes[j].scheme->country, code) != 0)
                continue;
            bc->schemes[bc->n] = j;
            bc->row_schemes[bc->n++] = b->schemes[j].scheme;
            bc->n_shown += j < b->sum->n_schemes;
        }
        used += bc->n;
    }
}

/* Picks the schemes the query asks for into b->schemes and the tallies, then their peers. */
static int choose_schemes(struct batch *b, const struct scheme_library *lib)
{
    const struct entitlements_query *q = b->q;
    int shown = 0, n = 0;
    for (int k = 0; k < lib->n_schemes; k++) {
        int role = scheme_role(lib, q, lib->schemes[k]);
        shown += role == 0;
        n += role >= 0;
    }
    if (shown == 0 && q->scheme != NULL)
        return error_set(b->err, SP_BAD_INPUT,
                         "no scheme has the id \"%s\"%s%s: see 'spfloor schemes list'", q->scheme,
                         q->country ? " in country " : "", q->country ? q->country : "");
    size_t room = (size_t)(n > 0 ? n : 1);
    b->schemes = sp_calloc(room, sizeof *b->schemes);
    b->sum->tally = sp_calloc(room, sizeof *b->sum->tally);
    b->row_schemes = sp_calloc(room, sizeof *b->row_schemes);
    b->row = sp_calloc(room, sizeof *b->row);
    b->scheme_index = sp_calloc(room, sizeof *b->scheme_index);
    b->countries = sp_calloc(room, sizeof *b->countries);
    b->facts = sp_malloc(sizeof *b->facts);
    if (b->schemes == NULL || b->sum->tally == NULL || b->row_schemes == NULL || b->row == NULL ||
        b->scheme_index == NULL || b->countries == NULL || b->facts == NULL)
        return error_nomem(b->err);
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < lib->n_schemes; k++) {
            const struct scheme *s = lib->schemes[k];
            if (scheme_role(lib, q, s) != pass)
                continue;
            int i = b->n_decided++;
            b->schemes[i].scheme = s;
            if (pass == 0) {
                b->sum->tally[i].scheme = s;
                b->sum->n_schemes = i + 1;
            }
            int rc = decide_bind(s, q->as_of, &b->schemes[i].bound, b->err);
            if (rc == SP_OK)
                rc = decide_scratch_new(s, &b->schemes[i].scratch, b->err);
            if (rc != SP_OK)
                return rc;
        }
    }
    group_by_country(b);
    return SP_OK;
}

/* Adds one decision to its scheme's tally. */
static void tally(struct entitlements_tally *t, const struct decision *d)
{
    t->decided++;
    t->failed += d->status == DECISION_FAILED;
    if (d->status != DECISION_ELIGIBLE)
        return;
    t->eligible++;
    if (d->excluded_by != NULL) { /* another scheme is paid instead */
        t->excluded++;
        return;
    }
    t->with_amount += d->has_amount;
    t->with_contribution += d->has_contribution;
    if (d->has_amount && __builtin_add_overflow(t->amount, d->amount, &t->amount))
        t->overflow = 1;
    if (d->has_contribution &&
        __builtin_add_overflow(t->contributions, d->total, &t->contributions))
        t->overflow = 1;
}

/* Decides country c's persons of the run for its schemes (their decisions in each out[]). */
static int decide_country(struct batch *b, struct batch_country *c, struct error *err)
{
    fact_block_fill(b->facts, c->persons, c->histories, c->n_persons);
    for (int j = 0; j < c->n_shown; j++) {
        struct batch_scheme *bs = &b->schemes[c->schemes[j]];
        int rc = decide_block_facts(bs->bound, bs->scratch, b->facts, NULL, NULL, bs->out, err);
        if (rc != SP_OK)
            return rc;
    }
    if (c->n_shown == c->n)
        return SP_OK;
    /* The peers (schemes of q->scheme's exclusion group) matter only to persons eligible for
       a scheme shown: decide_exclusions changes eligible decisions alone. The others get
       DECISION_NOT_APPLICABLE for them, which no group counts. */
    int m = 0;
    for (int i = 0; i < c->n_persons; i++) {
        int eligible = 0;
        for (int j = 0; j < c->n_shown && !eligible; j++)
            eligible = b->schemes[c->schemes[j]].out[i].status == DECISION_ELIGIBLE;
        if (!eligible)
            continue;
        b->eligible[m] = c->persons[i];
        b->eligible_histories[m] = c->histories[i];
        b->eligible_at[m++] = i;
    }
    for (int j = c->n_shown; j < c->n; j++) {
        struct batch_scheme *bs = &b->schemes[c->schemes[j]];
        for (int i = 0; i < c->n_persons; i++)
            bs->out[i] = (struct decision){.status = DECISION_NOT_APPLICABLE, .stop_at = -1};
        int rc = m > 0 ? decide_block(bs->bound, bs->scratch, b->eligible, b->eligible_histories, m,
                                      b->peer_out, err)
                       : SP_OK;
        if (rc != SP_OK)
            return rc;
        for (int i = 0; i < m; i++)
            bs->out[b->eligible_at[i]] = b->peer_out[i];
    }
    return SP_OK;
}

/* Emits person p's results: their decisions for country c's schemes asked for, at place i. */
static int emit_person(struct batch *b, struct batch_country *c, const struct person *p,
                       const struct person_history *h, int i, struct error *err)
{
    for (int j = 0; j < c->n; j++)
        b->row[j] = &b->schemes[c->schemes[j]].out[i];
    decide_exclusions(p, c->row_schemes, b->row, c->n);
    for (int j = 0; j < c->n_shown; j++) {
        int k = c->schemes[j];
        struct batch_scheme *bs = &b->schemes[k];
        const struct decision *d = &bs->out[i];
        if (d->status == DECISION_NOT_APPLICABLE)
            continue;
        tally(&b->sum->tally[k], d);
        buf_reset(&b->reasons);
        buf_reset(&b->missing);
        buf_reset(&b->human);
        int rc = SP_OK;
        if (b->q->explain)
            rc = decide_explain(bs->bound, bs->scratch, p, h, d, 0, &b->reasons, err);
        if (rc == SP_OK && b->q->human)
            rc = decide_reasons(bs->bound, bs->scratch, p, h, d, b->q->lang, &b->human, err);
        if (rc == SP_OK && b->q->missing)
            rc = decide_missing(bs->bound, bs->scratch, p, h, d, &b->missing, err);
        if (rc != SP_OK)
            return rc;
        struct entitlement e = {p,
                                bs->scheme,
                                d,
                                b->reasons.len ? b->reasons.data : "",
                                b->missing.len ? b->missing.data : "",
                                b->q->human ? (b->human.len ? b->human.data : "") : NULL};
        int stop = b->emit(b->ctx, &e);
        if (stop != 0)
            return stop;
    }
    return SP_OK;
}

/*
 * Decides persons [from, from + n) of block and emits the results, person by person in the
 * block's order: each country's persons for that country's schemes (a person of a country
 * without a scheme decided has no result).
 */
static int decide_run(struct batch *b, struct situation *block, int from, int n, struct error *err)
{
    for (int c = 0; c < b->n_countries; c++)
        b->countries[c].n_persons = 0;
    for (int i = 0; i < n; i++) {
        const struct person *p = &block->persons[from + i];
        int c = 0;
        while (c < b->n_countries && (p->country[0] != b->countries[c].code[0] ||
                                      p->country[1] != b->countries[c].code[1]))
            c++;
        b->lane_country[i] = c < b->n_countries ? c : -1;
        if (c == b->n_countries)
            continue;
        struct batch_country *bc = &b->countries[c];
        b->lane_index[i] = bc->n_persons;
        bc->persons[bc->n_persons] = p;
        bc->histories[bc->n_persons++] = &block->histories[from + i];
    }
    for (int c = 0; c < b->n_countries; c++) {
        int rc = b->countries[c].n_persons > 0 ? decide_country(b, &b->countries[c], err) : SP_OK;
        if (rc != SP_OK)
            return rc;
    }
    for (int i = 0; i < n; i++) {
        if (b->lane_country[i] < 0)
            continue;
        int rc = emit_person(b, &b->countries[b->lane_country[i]], &block->persons[from + i],
                             &block->histories[from + i], b->lane_index[i], err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

/* Decides one indexed block of whole households (blocks_fn, on the decider's thread). */
static int decide_whole(void *ctx, struct situation *block, struct error *err)
{
    struct batch *b = ctx;
    int rc = SP_OK;
    for (int from = 0; rc == SP_OK && from < block->n_persons; from += EXPR_BLOCK) {
        int n = block->n_persons - from;
        rc = decide_run(b, block, from, n < EXPR_BLOCK ? n : EXPR_BLOCK, err);
    }
    b->sum->persons += block->n_persons;
    if (rc == SP_OK && b->progress != NULL)
        b->progress(b->progress_ctx, b->sum->persons);
    return rc;
}

/* The registry read into blocks (entitlements_read_registry). */
struct reader {
    struct store *store;
    struct blocks *blocks;
    struct store_census *census;  /* who has events or marks, taken at the start */
    struct enrolment *enrolments; /* every enrolment of the registry, by person */
    int n_enrolments;
    int32_t as_of;
    int64_t *skipped;
    struct error *err;
};

/* The store's visitor: adds each person, with their household's record when it starts, and
 * their enrolments. */
static int reader_visit(void *ctx, const struct person *p)
{
    struct reader *rd = ctx;
    struct household hh;
    int found = 0;
    if (p->household[0] != '\0' && blocks_new_household(rd->blocks, p)) {
        int rc = store_household_get(rd->store, p->household, &hh, &found, rd->err);
        if (rc != SP_OK)
            return rc;
    }
    int rc = blocks_add(rd->blocks, p, found ? &hh : NULL, rd->err);
    if (rc == SP_OK)
        rc = blocks_add_enrolments_of(rd->blocks, rd->enrolments, rd->n_enrolments, p->id, rd->err);
    return rc;
}

/* A full block: the marks and life events of its persons (blocks_on_full). */
static int reader_full(void *ctx, struct situation *block, struct error *err)
{
    struct reader *rd = ctx;
    return registry_facts(rd->store, rd->census, block, rd->as_of, 0, rd->skipped, err);
}

int entitlements_read_registry(struct store *store, const char *country, person_field_set fields,
                               int32_t as_of, struct blocks *blocks, int64_t *skipped,
                               struct error *err)
{
    struct reader rd = {store, blocks, NULL, NULL, 0, as_of, skipped, err};
    int rc = store_census_take(store, &rd.census, err);
    if (rc == SP_OK)
        rc = entitlements_enrolments_load(store, &rd.enrolments, &rd.n_enrolments, err);
    blocks_on_full(blocks, reader_full, &rd);
    if (rc == SP_OK)
        rc = store_person_each_by_household_reading(store, country, fields, reader_visit, &rd, err);
    if (rc == SP_OK)
        rc = blocks_flush(blocks, err); /* the last block, while rd lasts */
    blocks_on_full(blocks, NULL, NULL);
    sp_free(rd.enrolments);
    store_census_free(rd.census);
    return rc;
}

int entitlements_all(struct store *store, const struct scheme_library *lib,
                     const struct entitlements_query *q, entitlement_fn emit, void *ctx,
                     entitlements_progress_fn progress, void *progress_ctx,
                     struct entitlements_summary *sum, struct error *err)
{
    memset(sum, 0, sizeof *sum);
    struct batch *b = sp_calloc(1, sizeof *b);
    if (b == NULL)
        return error_nomem(err);
    b->store = store;
    b->q = q;
    b->emit = emit;
    b->ctx = ctx;
    b->progress = progress;
    b->progress_ctx = progress_ctx;
    b->sum = sum;
    b->err = err;
    buf_init(&b->reasons, REASONS_MAX);
    buf_init(&b->human, REASONS_MAX);
    buf_init(&b->missing, REASONS_MAX);
    int rc = choose_schemes(b, lib);
    /* when every scheme asked for is of one country, only its persons need reading */
    const char *country = q->country;
    if (rc == SP_OK && country == NULL && sum->n_schemes > 0) {
        country = b->schemes[0].scheme->country;
        for (int k = 1; country != NULL && k < sum->n_schemes; k++)
            if (strcmp(b->schemes[k].scheme->country, country) != 0)
                country = NULL;
    }
    if (rc == SP_OK && sum->n_schemes > 0) {
        struct blocks *blocks = NULL;
        rc = blocks_start(decide_whole, b, ENTITLEMENTS_BLOCK_PERSONS, &blocks, err);
        if (rc == SP_OK)
            rc = entitlements_read_registry(store, country, batch_fields(b), q->as_of, blocks,
                                            &sum->skipped, err);
        rc = blocks_finish(blocks, rc, err);
    }
    for (int k = 0; b->schemes != NULL && k < b->n_decided; k++) {
        decide_scratch_free(b->schemes[k].scratch);
        decide_bound_free(b->schemes[k].bound);
    }
    sp_free(b->schemes);
    sp_free(b->row_schemes);
    sp_free(b->row);
    sp_free(b->scheme_index);
    sp_free(b->countries);
    sp_free(b->facts);
    buf_release(&b->missing);
    buf_release(&b->reasons);
    buf_release(&b->human);
    sp_free(b);
    return rc;
}
