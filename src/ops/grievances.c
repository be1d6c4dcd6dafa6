/*
 * grievances.c: raising, escalating and resolving grievances (grievances.h).
 */
#include "ops/grievances.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/claims.h"
#include "ops/persons.h"
#include "ops/transaction.h"

int grievances_parse_id(const char *text, int64_t *id, struct error *err)
{
    long long n = 0;
    if (text == NULL || !text_parse_int64(text, &n) || n < 1)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a grievance number (1, 2 ...)",
                         text != NULL ? text : "");
    *id = (int64_t)n;
    return SP_OK;
}

int grievances_policy_load(const char *path, struct grievance_policy *p, struct error *err)
{
    if (path == NULL) {
        grievance_policy_default(p);
        return SP_OK;
    }
    FILE *f = fopen(path, "rb");
    if (f == NULL)
        return error_set(err, errno == ENOENT ? SP_BAD_INPUT : SP_IO, "%s: cannot open: %s", path,
                         strerror(errno));
    char text[GRIEVANCE_POLICY_MAX + 1];
    size_t n = fread(text, 1, sizeof text, f);
    int rc = SP_OK;
    if (ferror(f))
        rc = error_set(err, SP_IO, "%s: cannot read: %s", path, strerror(errno));
    else if (n > GRIEVANCE_POLICY_MAX)
        rc = error_set(err, SP_BAD_INPUT, "%s: a policy is at most %d bytes", path,
                       GRIEVANCE_POLICY_MAX);
    fclose(f);
    return rc == SP_OK ? grievance_policy_parse(text, n, path, p, err) : rc;
}

static void step_of(struct grievance_step *st, const char *action, const struct grievance *g,
                    int32_t on, const char *actor, const char *reason)
{
    memset(st, 0, sizeof *st);
    text_copy(st->action, sizeof st->action, action);
    text_copy(st->level, sizeof st->level, g->level);
    st->on_date = on;
    st->deadline = g->state == GRIEVANCE_OPEN ? g->deadline : DATE_NONE;
    date_time_utc_now(st->at);
    text_copy(st->actor, sizeof st->actor, actor);
    text_copy(st->reason, sizeof st->reason, reason);
}

/* ---- raising ---- */

struct opening {
    const struct grievance_policy *p;
    const struct grievances_request *rq;
    struct grievance *g;
};

static int open_once(struct store *store, void *arg, struct error *err)
{
    struct opening *o = arg;
    struct grievance *g = o->g;
    int rc = SP_OK;
    if (g->about == GRIEVANCE_ABOUT_CLAIM && g->ref[0] != '\0') {
        int64_t id = 0;
        struct claim c;
        int found = 0;
        rc = claims_parse_id(g->ref, &id, err);
        if (rc == SP_OK)
            rc = store_claim_get(store, id, &c, &found, err);
        if (rc == SP_OK && (!found || strcmp(c.person, g->person) != 0))
            rc = error_set(err, SP_BAD_INPUT, "%s has no claim number %s", g->person, g->ref);
    }
    struct grievance_step st;
    step_of(&st, "open", g, g->opened_on, o->rq->actor, g->text);
    date_time_utc_now(g->opened_at);
    return rc == SP_OK ? store_grievance_add(store, g, &st, err) : rc;
}

int grievances_open(struct store *store, const struct grievance_policy *p,
                    const struct grievances_request *rq, int32_t today, struct grievance *out,
                    struct error *err)
{
    memset(out, 0, sizeof *out);
    if (rq->actor == NULL || rq->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a grievance needs who records it");
    if (rq->text == NULL || rq->text[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "--text: a grievance needs the complaint's words");
    if (strlen(rq->text) >= sizeof out->text)
        return error_set(err, SP_BAD_INPUT, "--text: at most %d bytes", (int)sizeof out->text - 1);
    if (rq->ref != NULL && strlen(rq->ref) >= sizeof out->ref)
        return error_set(err, SP_BAD_INPUT, "the reference is at most %d bytes",
                         (int)sizeof out->ref - 1);
    out->about = (uint8_t)grievance_about_parse(rq->about != NULL ? rq->about : "");
    if (out->about == 0)
        return error_set(err, SP_BAD_INPUT,
                         "--about: \"%s\": use claim, enrolment, payment or registration",
                         rq->about != NULL ? rq->about : "");
    if (rq->on != DATE_NONE && rq->on > today)
        return error_set(err, SP_BAD_INPUT, "--date: a grievance is raised today or before");
    struct person person;
    int rc = persons_get(store, rq->person, &person, err);
    if (rc != SP_OK)
        return rc;
    text_copy(out->person, sizeof out->person, person.id);
    text_copy(out->ref, sizeof out->ref, rq->ref != NULL ? rq->ref : "");
    text_copy(out->text, sizeof out->text, rq->text);
    text_copy(out->actor, sizeof out->actor, rq->actor);
    rc = grievance_flow_open(out, p, rq->on != DATE_NONE ? rq->on : today, err);
    struct opening o = {p, rq, out};
    return rc == SP_OK ? ops_transaction(store, open_once, &o, NULL, NULL, err) : rc;
}

/* ---- escalating and resolving ---- */

struct change {
    const struct grievance_policy *p; /* NULL: resolve */
    int64_t id;
    int32_t on;
    const char *actor, *reason;
    struct grievance *g;
};

static int change_once(struct store *store, void *arg, struct error *err)
{
    struct change *c = arg;
    int found = 0;
    int rc = store_grievance_get(store, c->id, c->g, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no grievance has the number %lld", (long long)c->id);
    if (rc == SP_OK)
        rc = c->p != NULL ? grievance_flow_escalate(c->g, c->p, c->on, err)
                          : grievance_flow_resolve(c->g, c->on, c->reason, err);
    struct grievance_step st;
    step_of(&st, c->p != NULL ? "escalate" : "resolve", c->g, c->on, c->actor, c->reason);
    return rc == SP_OK ? store_grievance_change(store, c->g, &st, err) : rc;
}

static int change(struct store *store, const struct grievance_policy *p, int64_t id, int32_t on,
                  const char *actor, const char *reason, struct grievance *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    if (actor == NULL || actor[0] == '\0' || reason == NULL || reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a step of a grievance needs who takes it and why");
    struct change c = {p, id, on, actor, reason, out};
    return ops_transaction(store, change_once, &c, NULL, NULL, err);
}

int grievances_escalate(struct store *store, const struct grievance_policy *p, int64_t id,
                        int32_t on, const char *actor, const char *reason, struct grievance *out,
                        struct error *err)
{
    return change(store, p, id, on, actor, reason, out, err);
}

int grievances_resolve(struct store *store, int64_t id, int32_t on, const char *actor,
                       const char *reason, struct grievance *out, struct error *err)
{
    return change(store, NULL, id, on, actor, reason, out, err);
}

/* ---- overdue ---- */

/* The open grievances past their deadline, read before any is changed. */
struct overdue_list {
    struct grievance *items;
    int n, cap;
    int32_t as_of;
    struct error *err;
};

static int collect(void *ctx, const struct grievance *g)
{
    struct overdue_list *l = ctx;
    if (!grievance_flow_is_overdue(g, l->as_of))
        return 0;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        struct grievance *grown = sp_reallocarray(l->items, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(l->err);
        l->items = grown;
        l->cap = cap;
    }
    l->items[l->n++] = *g;
    return 0;
}

int grievances_overdue(struct store *store, const struct grievance_policy *p, int32_t as_of,
                       int escalate, const char *actor, grievances_overdue_fn visit, void *ctx,
                       struct error *err)
{
    struct overdue_list l = {NULL, 0, 0, as_of, err};
    int rc = store_grievances_each(store, NULL, 1, collect, &l, err);
    for (int i = 0; rc == SP_OK && i < l.n; i++) {
        struct grievance *g = &l.items[i];
        int escalated = 0;
        int32_t on = DATE_NONE;
        while (rc == SP_OK && escalate && grievance_flow_overdue(g, p, as_of, &on)) {
            char deadline[DATE_TEXT_SIZE], why[PERSON_REASON_SIZE];
            date_format(g->deadline, deadline);
            snprintf(why, sizeof why, "not resolved at %s by its deadline, %s", g->level, deadline);
            struct grievance after;
            rc = grievances_escalate(store, p, g->id, on, actor, why, &after, err);
            if (rc == SP_OK) {
                *g = after;
                escalated++;
            }
        }
        if (rc == SP_OK)
            rc = visit(ctx, g, escalated);
    }
    sp_free(l.items);
    return rc;
}
