/*
 * enrol.c: enrolment of registered persons (enrol.h).
 */
#include "ops/enrol.h"

#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/entitlements.h"
#include "ops/persons.h"
#include "ops/transaction.h"

#define WHY_MAX (1u << 16) /* bytes of a refusal's reasons */

/* An enrolment record for person from `from`, active. */
static void record_of(struct enrolment_record *r, const char *person, const char *scheme,
                      int32_t from, const char *override_reason, const char *actor,
                      const char *reason)
{
    memset(r, 0, sizeof *r);
    text_copy(r->e.person, sizeof r->e.person, person);
    text_copy(r->e.scheme, sizeof r->e.scheme, scheme);
    r->e.from = from;
    r->e.to = DATE_NONE;
    r->state = ENROLMENT_ACTIVE;
    r->state_since = from;
    text_copy(r->reason, sizeof r->reason, reason);
    text_copy(r->override_reason, sizeof r->override_reason,
              override_reason != NULL ? override_reason : "");
    text_copy(r->actor, sizeof r->actor, actor);
    date_time_utc_now(r->recorded_at);
}

/* One enrolment written in a transaction of its own. */
struct one {
    const struct enrolment_record *r;
    int *added;
};

static int add_once(struct store *store, void *arg, struct error *err)
{
    struct one *o = arg;
    return store_enrolment_add(store, o->r, o->added, err);
}

/* Why the decision d (of scheme k of r) is not payable, for people, into why. */
static int refusal(const struct entitlements_person *ep, int k, const struct situation *s,
                   struct buf *why, struct error *err)
{
    const struct decision *d = &ep->decisions[k];
    if (d->status == DECISION_UNDETERMINED) {
        int rc = buf_puts(why, "undetermined: ask for\n", err);
        return rc == SP_OK ? decide_missing(ep->bound[k], ep->scratch[k], &s->persons[0],
                                            &s->histories[0], d, why, err)
                           : rc;
    }
    return decide_reasons(ep->bound[k], ep->scratch[k], &s->persons[0], &s->histories[0], d, NULL,
                          why, err);
}

int enrol_person(struct store *store, const struct scheme_library *lib,
                 const struct enrol_request *rq, int *added, enum decision_status *status,
                 struct error *err)
{
    return enrol_person_until(store, lib, rq, DATE_NONE, added, status, err);
}

int enrol_person_until(struct store *store, const struct scheme_library *lib,
                       const struct enrol_request *rq, int32_t to, int *added,
                       enum decision_status *status, struct error *err)
{
    *added = 0;
    *status = DECISION_NOT_APPLICABLE;
    if (rq->actor == NULL || rq->actor[0] == '\0' || rq->reason == NULL || rq->reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "an enrolment needs who makes it and why");
    if (rq->override_reason != NULL && rq->override_reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "an override needs its reason");
    const struct scheme *scheme = scheme_library_find(lib, rq->scheme);
    if (scheme == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "no scheme has the id \"%s\": see 'spfloor schemes list'", rq->scheme);
    struct situation s;
    situation_init(&s);
    struct entitlements_person ep;
    memset(&ep, 0, sizeof ep);
    struct buf why;
    buf_init(&why, WHY_MAX);
    int rc = persons_check_current(store, rq->person, rq->from, err);
    if (rc == SP_OK)
        rc = entitlements_person_situation(store, rq->person, rq->from, &s, err);
    if (rc == SP_OK && strcmp(s.persons[0].country, scheme->country) != 0)
        rc = error_set(err, SP_BAD_INPUT, "%s is a scheme of %s; %s is registered in %s",
                       scheme->id, scheme->country, s.persons[0].id, s.persons[0].country);
    if (rc == SP_OK)
        rc = entitlements_person_decide(&ep, lib, rq->from, &s, err);
    int k = 0;
    while (rc == SP_OK && k < ep.n && ep.schemes[k] != scheme)
        k++;
    if (rc == SP_OK && k < ep.n) {
        const struct decision *d = &ep.decisions[k];
        *status = d->status;
        int payable = d->status == DECISION_ELIGIBLE && d->excluded_by == NULL;
        if (!payable && rq->override_reason == NULL) {
            char day[DATE_TEXT_SIZE];
            date_format(rq->from, day);
            rc = refusal(&ep, k, &s, &why, err);
            if (rc == SP_OK)
                rc = error_set(err, SP_CONFLICT,
                               "%s is not enrolled in %s: the decision on %s is %s%s%s\n%s"
                               "(an adjudicator may enrol against it: --override --reason "
                               "TEXT)",
                               s.persons[0].id, scheme->id, day, decision_status_name(d->status),
                               d->excluded_by ? ", excluded by " : "",
                               d->excluded_by ? d->excluded_by : "", why.data);
        }
    }
    if (rc == SP_OK) {
        struct enrolment_record r;
        record_of(&r, s.persons[0].id, scheme->id, rq->from, rq->override_reason, rq->actor,
                  rq->reason);
        r.e.to = to;
        struct one o = {&r, added};
        rc = ops_transaction(store, add_once, &o, NULL, NULL, err);
    }
    buf_release(&why);
    entitlements_person_release(&ep);
    situation_release(&s);
    return rc;
}

/* ---- everyone ---- */

struct batch {
    const char *scheme;
    struct enrol_summary *sum;
    char (*ids)[PERSON_ID_SIZE]; /* the persons to enrol, in the order decided */
    int64_t n, cap;
    enrol_undetermined_fn undetermined;
    void *ctx;
    struct error *err;
};

static int collect(void *ctx, const struct entitlement *e)
{
    struct batch *b = ctx;
    if (strcmp(e->scheme->id, b->scheme) != 0)
        return SP_OK;
    const struct decision *d = e->decision;
    b->sum->decided++;
    if (d->status == DECISION_UNDETERMINED) {
        b->sum->undetermined++;
        return b->undetermined != NULL ? b->undetermined(b->ctx, e->person->id, e->missing) : SP_OK;
    }
    if (d->status != DECISION_ELIGIBLE)
        return SP_OK;
    if (d->excluded_by != NULL) {
        b->sum->excluded++;
        return SP_OK;
    }
    b->sum->payable++;
    if (b->n == b->cap) {
        int64_t cap = b->cap ? b->cap * 2 : 1024;
        char(*grown)[PERSON_ID_SIZE] = sp_reallocarray(b->ids, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(b->err);
        b->ids = grown;
        b->cap = cap;
    }
    memcpy(b->ids[b->n++], e->person->id, PERSON_ID_SIZE);
    return SP_OK;
}

/* One group of enrolments, in a transaction of its own. */
struct group {
    const struct batch *b;
    int64_t from, n;
    int32_t as_of;
    const char *actor, *reason;
    int64_t added; /* enrolled by this group */
};

static int group_once(struct store *store, void *arg, struct error *err)
{
    struct group *g = arg;
    g->added = 0;
    int rc = SP_OK;
    for (int64_t i = g->from; rc == SP_OK && i < g->from + g->n; i++) {
        struct enrolment_record r;
        record_of(&r, g->b->ids[i], g->b->scheme, g->as_of, NULL, g->actor, g->reason);
        int added = 0;
        rc = store_enrolment_add(store, &r, &added, err);
        g->added += added;
    }
    return rc;
}

int enrol_all(struct store *store, const struct scheme_library *lib, const char *scheme,
              int32_t as_of, const char *actor, const char *reason,
              enrol_undetermined_fn undetermined, void *ctx, enrol_progress_fn progress,
              void *progress_ctx, struct enrol_summary *sum, struct error *err)
{
    memset(sum, 0, sizeof *sum);
    if (actor == NULL || actor[0] == '\0' || reason == NULL || reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "an enrolment needs who makes it and why");
    struct batch b = {scheme, sum, NULL, 0, 0, undetermined, ctx, err};
    struct entitlements_query q = {.as_of = as_of, .scheme = scheme, .missing = 1};
    struct entitlements_summary decided;
    int rc = entitlements_all(store, lib, &q, collect, &b, progress, progress_ctx, &decided, err);
    entitlements_summary_release(&decided);
    for (int64_t from = 0; rc == SP_OK && from < b.n; from += ENROL_GROUP) {
        struct group g = {
            &b, from, b.n - from < ENROL_GROUP ? b.n - from : ENROL_GROUP, as_of, actor, reason, 0};
        rc = ops_transaction(store, group_once, &g, NULL, NULL, err);
        if (rc == SP_OK) {
            sum->added += g.added;
            sum->already += g.n - g.added;
            if (progress != NULL)
                progress(progress_ctx, from + g.n);
        }
    }
    sp_free(b.ids);
    return rc;
}

struct state_change {
    const struct enrolment_record *r;
};

static int state_once(struct store *store, void *arg, struct error *err)
{
    struct state_change *c = arg;
    return store_enrolment_set_state(store, c->r, err);
}

int enrol_set_state(struct store *store, const char *person, const char *scheme, int state,
                    int32_t date, const char *actor, const char *reason, struct error *err)
{
    if (actor == NULL || actor[0] == '\0' || reason == NULL || reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a change of enrolment needs who makes it and why");
    struct enrolment_record r;
    record_of(&r, person, scheme, DATE_NONE, NULL, actor, reason);
    r.state = (uint8_t)state;
    r.state_since = date;
    r.e.to = state == ENROLMENT_ENDED ? date : DATE_NONE;
    struct state_change c = {&r};
    return ops_transaction(store, state_once, &c, NULL, NULL, err);
}
