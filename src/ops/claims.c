/*
 * claims.c: filing, adjudicating and moving claims (claims.h).
 */
#include "ops/claims.h"

#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "claims/claim_flow.h"
#include "ops/digest.h"
#include "ops/entitlements.h"
#include "ops/events.h"
#include "ops/persons.h"
#include "ops/transaction.h"
#include "rules/decide.h"
#include "rules/param.h"

#define REASONS_MAX (1u << 16) /* bytes of a decision's reasons while they are built */

int claims_parse_id(const char *text, int64_t *id, struct error *err)
{
    long long n = 0;
    if (text == NULL || !text_parse_int64(text, &n) || n < 1)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a claim number (1, 2 ...)",
                         text != NULL ? text : "");
    *id = (int64_t)n;
    return SP_OK;
}

/* The event facts `event add` takes, by the name a --field gives. */
static const char **event_fact(struct events_facts *f, const char *name)
{
    static const struct {
        const char *name;
        size_t offset;
    } facts[] = {
        {"child", offsetof(struct events_facts, child)},
        {"child_given_name", offsetof(struct events_facts, child_given_name)},
        {"child_family_name", offsetof(struct events_facts, child_family_name)},
        {"child_sex", offsetof(struct events_facts, child_sex)},
        {"spouse", offsetof(struct events_facts, spouse)},
        {"destination", offsetof(struct events_facts, destination)},
        {"contract_months", offsetof(struct events_facts, contract_months)},
        {"disability_class", offsetof(struct events_facts, disability_class)},
        {"admin1", offsetof(struct events_facts, admin1)},
        {"admin2", offsetof(struct events_facts, admin2)},
        {"household", offsetof(struct events_facts, household)},
    };
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++)
        if (strcmp(facts[i].name, name) == 0)
            return (const char **)((char *)f + facts[i].offset);
    return NULL;
}

/* 1 if the scheme declares the extra fact `name`. */
static int scheme_fact(const struct scheme *scheme, const char *name)
{
    for (int i = 0; i < scheme->n_facts; i++)
        if (strcmp(scheme->facts[i].name, name) == 0)
            return 1;
    return 0;
}

/* A claim's facts as read from its --field texts. */
struct claim_facts {
    char names[CLAIMS_FIELDS_MAX][PERSON_EXTRA_NAME_SIZE];
    const char *values[CLAIMS_FIELDS_MAX]; /* into the request's texts */
    int extra[CLAIMS_FIELDS_MAX];          /* 1: the scheme's fact, else the event's */
    int n;
    struct events_facts event; /* the event's, pointing into values */
};

static int read_fields(const struct claims_request *rq, const struct scheme *scheme,
                       int registry_event, struct claim_facts *f, struct claim *c,
                       struct error *err)
{
    memset(f, 0, sizeof *f);
    if (rq->n_fields > CLAIMS_FIELDS_MAX)
        return error_set(err, SP_BAD_INPUT, "a claim takes at most %d --field facts",
                         CLAIMS_FIELDS_MAX);
    size_t used = 0;
    for (int i = 0; i < rq->n_fields; i++) {
        const char *text = rq->fields[i], *eq = strchr(text, '=');
        size_t n = eq != NULL ? (size_t)(eq - text) : 0;
        if (eq == NULL || n == 0 || n >= PERSON_EXTRA_NAME_SIZE || eq[1] == '\0')
            return error_set(err, SP_BAD_INPUT, "--field \"%s\": write NAME=VALUE", text);
        memcpy(f->names[i], text, n);
        f->names[i][n] = '\0';
        f->values[i] = eq + 1;
        const char **slot = registry_event ? event_fact(&f->event, f->names[i]) : NULL;
        if (slot != NULL) {
            *slot = f->values[i];
        } else if (scheme_fact(scheme, f->names[i])) {
            f->extra[i] = 1;
        } else {
            return error_set(err, SP_BAD_INPUT,
                             "--field %s: neither a fact of a %s event nor one %s declares "
                             "under facts: in its file",
                             f->names[i], rq->event, scheme->id);
        }
        int wrote = snprintf(c->fields + used, sizeof c->fields - used, "%s\n", text);
        if (wrote < 0 || (size_t)wrote >= sizeof c->fields - used)
            return error_set(err, SP_BAD_INPUT, "the --field facts are longer than %d bytes",
                             CLAIM_FIELDS_SIZE - 1);
        used += (size_t)wrote;
        f->n++;
    }
    return SP_OK;
}

/* The days of benefit the scheme gives on `date`: its amount when it counts days, else the
 * value of a `params.<...>.days` parameter its amount or values read; -1 when none. */
static int32_t benefit_days(const struct scheme_library *lib, const struct scheme *scheme,
                            const struct decision *d, int32_t date)
{
    if (scheme->amount_unit != NULL && strcmp(scheme->amount_unit, "days") == 0)
        return d->has_amount && d->amount <= INT32_MAX ? (int32_t)d->amount : -1;
    const char *sources[1 + 16];
    int n = 0;
    sources[n++] = scheme->amount.source;
    for (int i = 0; i < scheme->n_values && n < (int)(sizeof sources / sizeof sources[0]); i++)
        sources[n++] = scheme->values[i].source;
    for (int i = 0; i < n; i++) {
        for (const char *at = sources[i]; at != NULL && (at = strstr(at, "params.")) != NULL;) {
            at += strlen("params.");
            size_t len = strspn(at, "abcdefghijklmnopqrstuvwxyz0123456789_.");
            if (len >= 5 && strncmp(at + len - 5, ".days", 5) == 0 && scheme->params[0]) {
                char path[256];
                snprintf(path, sizeof path, "%s.%.*s", scheme->params, (int)len, at);
                const struct param *p = param_set_find(lib->params, path);
                const struct param_value *v = p != NULL ? param_value_at(p, date) : NULL;
                if (v != NULL && v->is_set && p->kind == PARAM_INT && v->number >= 0 &&
                    v->number <= INT32_MAX)
                    return (int32_t)v->number;
            }
            at += len;
        }
    }
    return -1;
}

/* The work of filing one claim, tried again as a whole when another writer got in the way. */
struct filing {
    const struct claims_request *rq;
    const struct scheme_library *lib;
    const struct scheme *scheme;
    int registry_event;
    struct claim_facts *facts;
    char (*hashes)[CLAIM_HASH_SIZE]; /* the documents' SHA-256s */
    int32_t today;
    struct claim *c;
};

/* Fills the claim's outcome from the decision of its scheme for the person of s. */
static int adjudicate(struct filing *f, struct entitlements_person *ep, const struct situation *s,
                      struct error *err)
{
    struct claim *c = f->c;
    int k = 0;
    while (k < ep->n && ep->schemes[k] != f->scheme)
        k++;
    if (k == ep->n) { /* not a scheme of the person's country: checked before */
        text_copy(c->decision, sizeof c->decision, "not_applicable");
        c->state = CLAIM_REJECTED;
        return SP_OK;
    }
    const struct decision *d = &ep->decisions[k];
    text_copy(c->decision, sizeof c->decision, decision_status_name(d->status));
    c->has_amount = d->has_amount;
    c->amount = d->has_amount ? d->amount : 0;
    c->days = benefit_days(f->lib, f->scheme, d, f->rq->date);
    int payable = d->status == DECISION_ELIGIBLE && d->excluded_by == NULL;
    c->state = (uint8_t)claim_flow_after_decision(c->decision, payable);
    struct buf why;
    buf_init(&why, REASONS_MAX);
    int rc = decide_reasons(ep->bound[k], ep->scratch[k], &s->persons[0], &s->histories[0], d, NULL,
                            &why, err);
    if (rc == SP_OK)
        text_copy(c->explanation, sizeof c->explanation, why.len ? why.data : "");
    buf_release(&why);
    if (rc == SP_OK && d->status == DECISION_UNDETERMINED) {
        struct buf missing;
        buf_init(&missing, REASONS_MAX);
        rc = decide_missing(ep->bound[k], ep->scratch[k], &s->persons[0], &s->histories[0], d,
                            &missing, err);
        if (rc == SP_OK)
            text_copy(c->missing, sizeof c->missing, missing.len ? missing.data : "");
        buf_release(&missing);
    }
    return rc;
}

/* Reads the person as of the event's date, with the scheme's facts the claim gives, and
 * decides. */
static int decide_claim(struct store *store, struct filing *f, struct error *err)
{
    struct situation s;
    situation_init(&s);
    struct entitlements_person ep;
    memset(&ep, 0, sizeof ep);
    int rc = entitlements_person_situation(store, f->c->person, f->rq->date, &s, err);
    for (int i = 0; rc == SP_OK && i < f->facts->n; i++)
        if (f->facts->extra[i])
            rc = person_set_extra(&s.persons[0], f->facts->names[i], f->facts->values[i], err);
    if (rc == SP_OK)
        rc = entitlements_person_decide(&ep, f->lib, f->rq->date, &s, err);
    if (rc == SP_OK)
        rc = adjudicate(f, &ep, &s, err);
    entitlements_person_release(&ep);
    situation_release(&s);
    return rc;
}

static void step_of(struct claim_step *st, int from, int to, int32_t on, const char *actor,
                    const char *reason)
{
    memset(st, 0, sizeof *st);
    st->from = (uint8_t)from;
    st->to = (uint8_t)to;
    st->on_date = on;
    st->amount = -1;
    date_time_utc_now(st->at);
    text_copy(st->actor, sizeof st->actor, actor);
    text_copy(st->reason, sizeof st->reason, reason != NULL ? reason : "");
}

/* The document at path, with its hash, for the claim `id`. */
static void evidence_of(struct claim_evidence *e, int64_t id, const char *hash, const char *path,
                        const char *actor)
{
    memset(e, 0, sizeof *e);
    e->claim = id;
    text_copy(e->sha256, sizeof e->sha256, hash);
    const char *slash = strrchr(path, '/');
    text_copy(e->file_name, sizeof e->file_name, slash != NULL ? slash + 1 : path);
    date_time_utc_now(e->added_at);
    text_copy(e->actor, sizeof e->actor, actor);
}

/* Attaches the documents whose hashes are known to the claim c. */
static int attach_all(struct store *store, const struct claim *c, char (*hashes)[CLAIM_HASH_SIZE],
                      const char *const *paths, int n, const char *actor, struct error *err)
{
    int rc = SP_OK;
    for (int i = 0; rc == SP_OK && i < n; i++) {
        struct claim_evidence e;
        evidence_of(&e, c->id, hashes[i], paths[i], actor);
        int added = 0;
        rc = store_claim_evidence_add(store, &e, &added, err);
    }
    return rc;
}

/* Finds a claim of the same scheme for the same event, or the event in the registry. */
struct earlier {
    const struct claim *c;
    int event_type;     /* the registry's type of the claim's event, or -1 */
    int64_t claim;      /* a claim for the same scheme, event and day, or 0 */
    int event_recorded; /* 1 if the registry has the event on that day already */
};

static int same_claim(void *ctx, const struct claim *c)
{
    struct earlier *e = ctx;
    if (strcmp(c->scheme, e->c->scheme) == 0 && strcmp(c->event_type, e->c->event_type) == 0 &&
        c->event_date == e->c->event_date)
        e->claim = c->id;
    return 0;
}

static int same_event(void *ctx, const struct registry_event *ev)
{
    struct earlier *e = ctx;
    e->event_recorded |= (int)ev->e.type == e->event_type && ev->e.date == e->c->event_date;
    return 0;
}

static int file_once(struct store *store, void *arg, struct error *err)
{
    struct filing *f = arg;
    const struct claims_request *rq = f->rq;
    struct claim *c = f->c;
    struct earlier e = {c, f->registry_event ? event_type_parse(rq->event) : -1, 0, 0};
    int rc = store_claims_each(store, rq->person, same_claim, &e, err);
    if (rc == SP_OK && e.claim != 0) {
        char day[DATE_TEXT_SIZE];
        date_format(c->event_date, day);
        return error_set(err, SP_CONFLICT,
                         "%s claimed %s for the %s of %s already: claim %lld (spfloor claim "
                         "show %lld; a rejected claim is appealed, not filed again)",
                         rq->person, c->scheme, c->event_type, day, (long long)e.claim,
                         (long long)e.claim);
    }
    /* an event recorded before the claim (event add) is the claim's: not recorded twice */
    if (rc == SP_OK && f->registry_event)
        rc = store_events_of(store, rq->person, same_event, &e, err);
    if (rc == SP_OK && f->registry_event && !e.event_recorded) {
        struct events_request er = {rq->person,      rq->event, rq->date,
                                    f->facts->event, rq->actor, rq->reason};
        struct events_outcome eo;
        rc = events_record(store, &er, f->today, &eo, err);
    }
    c->id = 0;
    c->state = CLAIM_FILED;
    c->decision[0] = c->explanation[0] = c->missing[0] = '\0';
    date_time_utc_now(c->filed_at);
    struct claim_step filed;
    step_of(&filed, 0, CLAIM_FILED, f->today, rq->actor,
            rq->reason != NULL && rq->reason[0] ? rq->reason : "filed");
    if (rc == SP_OK)
        rc = store_claim_add(store, c, &filed, err);
    if (rc == SP_OK)
        rc = decide_claim(store, f, err);
    if (rc == SP_OK) {
        char day[DATE_TEXT_SIZE], why[PERSON_REASON_SIZE];
        date_format(rq->date, day);
        snprintf(why, sizeof why, "the rules' decision on %s: %s", day, c->decision);
        struct claim_step decided;
        step_of(&decided, CLAIM_FILED, c->state, f->today, rq->actor, why);
        rc = store_claim_change(store, c, &decided, err);
    }
    if (rc == SP_OK)
        rc = attach_all(store, c, f->hashes, rq->evidence, rq->n_evidence, rq->actor, err);
    return rc;
}

/* The SHA-256 of the file at path, in hex. */
static int hash_file(const char *path, char out[CLAIM_HASH_SIZE], struct error *err)
{
    struct digest d;
    digest_init(&d);
    int rc = digest_file(&d, path, err);
    if (rc == SP_OK)
        digest_hex(&d, out);
    return rc;
}

/* Checks what can be checked before the transaction. */
static int check_request(struct store *store, const struct claims_request *rq,
                         const struct scheme *scheme, int32_t today, struct error *err)
{
    if (rq->actor == NULL || rq->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a claim needs who files it");
    if (rq->event == NULL || rq->event[0] == '\0' || strlen(rq->event) >= CLAIM_EVENT_SIZE ||
        strspn(rq->event, "abcdefghijklmnopqrstuvwxyz_") != strlen(rq->event))
        return error_set(err, SP_BAD_INPUT,
                         "--event: give the event claimed for, in lowercase letters and _ "
                         "(%s, or another word such as sickness)",
                         event_type_list);
    if (rq->date == DATE_NONE)
        return error_set(err, SP_BAD_INPUT,
                         "--date: a claim needs the day its event happened (YYYY-MM-DD)");
    char day[DATE_TEXT_SIZE];
    date_format(rq->date, day);
    if (rq->date > today)
        return error_set(err, SP_BAD_INPUT, "--date: %s is in the future", day);
    if (scheme == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "no scheme has the id \"%s\": see 'spfloor schemes list'", rq->scheme);
    struct person p;
    int rc = persons_get(store, rq->person, &p, err);
    if (rc != SP_OK)
        return rc;
    if (strcmp(p.country, scheme->country) != 0)
        return error_set(err, SP_BAD_INPUT, "%s is a scheme of %s; %s is registered in %s",
                         scheme->id, scheme->country, p.id, p.country);
    /* a death is claimed for on the day it happened: the record is checked the day before */
    int death = strcmp(rq->event, "death") == 0;
    return persons_check_current(store, p.id, death ? rq->date - 1 : rq->date, err);
}

int claims_file(struct store *store, const struct scheme_library *lib,
                const struct claims_request *rq, int32_t today, struct claim *out,
                struct error *err)
{
    memset(out, 0, sizeof *out);
    const struct scheme *scheme = rq->scheme != NULL ? scheme_library_find(lib, rq->scheme) : NULL;
    int rc = check_request(store, rq, scheme, today, err);
    if (rc != SP_OK)
        return rc;
    int registry_event = event_type_parse(rq->event) >= 0;
    struct claim_facts facts;
    text_copy(out->person, sizeof out->person, rq->person);
    text_copy(out->scheme, sizeof out->scheme, scheme->id);
    text_copy(out->event_type, sizeof out->event_type, rq->event);
    out->event_date = rq->date;
    text_copy(out->currency, sizeof out->currency, scheme->currency);
    text_copy(out->per, sizeof out->per, scheme_per_name(scheme->per));
    out->days = -1;
    out->paid = -1;
    text_copy(out->actor, sizeof out->actor, rq->actor);
    rc = read_fields(rq, scheme, registry_event, &facts, out, err);
    if (rc != SP_OK)
        return rc;
    if (rq->n_evidence < 0 || rq->n_evidence > 64)
        return error_set(err, SP_BAD_INPUT, "a claim takes at most 64 documents at once");
    char hashes[64][CLAIM_HASH_SIZE];
    for (int i = 0; rc == SP_OK && i < rq->n_evidence; i++)
        rc = hash_file(rq->evidence[i], hashes[i], err);
    if (rc != SP_OK)
        return rc;
    struct filing f = {rq, lib, scheme, registry_event, &facts, hashes, today, out};
    return ops_transaction(store, file_once, &f, NULL, NULL, err);
}

/* ---- moving a claim ---- */

struct moving {
    int64_t id;
    int to;
    int32_t on;
    int64_t amount;
    const char *actor, *reason;
    struct claim *c;
};

/* Keeps the latest day of a claim's steps. */
static int last_day(void *ctx, const struct claim_step *st)
{
    int32_t *last = ctx;
    if (st->on_date != DATE_NONE && st->on_date > *last)
        *last = st->on_date;
    return 0;
}

static int move_once(struct store *store, void *arg, struct error *err)
{
    struct moving *m = arg;
    struct claim *c = m->c;
    int found = 0;
    int rc = store_claim_get(store, m->id, c, &found, err);
    if (rc != SP_OK)
        return rc;
    if (!found)
        return error_set(err, SP_BAD_INPUT, "no claim has the number %lld", (long long)m->id);
    rc = claim_flow_check(c->state, m->to, err);
    if (rc != SP_OK) {
        error_prefix(err, "claim %lld", (long long)m->id);
        return rc;
    }
    int32_t last = c->event_date;
    rc = store_claim_steps_each(store, m->id, last_day, &last, err);
    if (rc != SP_OK)
        return rc;
    if (m->on < last) {
        char day[DATE_TEXT_SIZE];
        date_format(last, day);
        return error_set(err, SP_BAD_INPUT,
                         "claim %lld: its last step (or its event) is of %s: a change cannot come "
                         "before it",
                         (long long)m->id, day);
    }
    struct claim_step st;
    step_of(&st, c->state, m->to, m->on, m->actor, m->reason);
    if (m->to == CLAIM_PAID) {
        if (m->amount < 0 && !c->has_amount)
            return error_set(err, SP_BAD_INPUT,
                             "claim %lld has no amount decided: give the amount paid (--amount)",
                             (long long)m->id);
        c->paid = m->amount >= 0 ? m->amount : c->amount;
        st.amount = c->paid;
    }
    c->state = (uint8_t)m->to;
    return store_claim_change(store, c, &st, err);
}

/* Empties *out, then sets *m to the move asked for, once it says who makes it, why and on which
 * day; SP_BAD_INPUT when it does not. */
static int moving_of(int64_t id, int to, int32_t on, int64_t amount, const char *actor,
                     const char *reason, struct claim *out, struct moving *m, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (actor == NULL || actor[0] == '\0' || reason == NULL || reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a change of a claim needs who makes it and why");
    if (on == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "a change of a claim needs its day");
    *m = (struct moving){id, to, on, amount, actor, reason, out};
    return SP_OK;
}

int claims_move_open(struct store *store, int64_t id, int to, int32_t on, int64_t amount,
                     const char *actor, const char *reason, struct claim *out, struct error *err)
{
    struct moving m;
    int rc = moving_of(id, to, on, amount, actor, reason, out, &m, err);
    return rc == SP_OK ? move_once(store, &m, err) : rc;
}

int claims_move(struct store *store, int64_t id, int to, int32_t on, int64_t amount,
                const char *actor, const char *reason, struct claim *out, struct error *err)
{
    struct moving m;
    int rc = moving_of(id, to, on, amount, actor, reason, out, &m, err);
    return rc == SP_OK ? ops_transaction(store, move_once, &m, NULL, NULL, err) : rc;
}

/* ---- documents ---- */

struct attaching {
    int64_t id;
    const char *path;
    char hash[CLAIM_HASH_SIZE];
    const char *actor;
    int *added;
};

static int attach_once(struct store *store, void *arg, struct error *err)
{
    struct attaching *a = arg;
    struct claim c;
    int found = 0;
    int rc = store_claim_get(store, a->id, &c, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no claim has the number %lld", (long long)a->id);
    struct claim_evidence e;
    evidence_of(&e, a->id, a->hash, a->path, a->actor);
    return rc == SP_OK ? store_claim_evidence_add(store, &e, a->added, err) : rc;
}

int claims_attach(struct store *store, int64_t id, const char *path, const char *actor, int *added,
                  struct error *err)
{
    *added = 0;
    if (actor == NULL || actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a document needs who attaches it");
    struct attaching a = {id, path, "", actor, added};
    int rc = hash_file(path, a.hash, err);
    return rc == SP_OK ? ops_transaction(store, attach_once, &a, NULL, NULL, err) : rc;
}
