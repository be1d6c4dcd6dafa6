/*
 * persons.c: the registry's use cases for one person (persons.h): looked up by worker ID with
 * a message a clerk can act on, registered, corrected, marked deceased or merged.
 */
#include "ops/persons.h"

#include <string.h>

#include "base/date.h"
#include "ops/dedup_scan.h"
#include "registry/gazetteer.h"

int persons_get(struct store *store, const char *id, struct person *out, struct error *err)
{
    int found = 0;
    int rc = store_person_get(store, id, out, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT,
                       "no person with ID %s is registered: check the 12 digits, or find the "
                       "person by name with 'spfloor find'",
                       id);
    return rc;
}

int persons_check(struct person *p, struct error *err)
{
    int rc = gazetteer_resolve_person(p, err);
    return rc == SP_OK ? person_validate(p, err) : rc;
}

struct add {
    struct person *p;
    char given_id[PERSON_ID_SIZE];
    const struct persons_duplicate_check *check; /* NULL: none */
};

/* The first likely duplicate found: worded into err, SP_CONFLICT. */
static int refuse_duplicate(void *ctx, const struct dedup_found *f)
{
    struct error *err = ctx;
    char agree[160], differ[160];
    dedup_fields_text(f->agree, agree, sizeof agree);
    dedup_fields_text(f->differ, differ, sizeof differ);
    return error_set(err, SP_CONFLICT,
                     "likely already registered as %s (score %.2f; the same: %s; different: %s): "
                     "see `spfloor person show %s`; if this is another person, add again with "
                     "--not-duplicate-of %s",
                     f->b, f->score, agree, differ, f->b, f->b);
}

/* SP_OK if every ID of check->reviewed is a registered person's, else SP_BAD_INPUT naming it. */
static int check_reviewed(struct store *store, const struct persons_duplicate_check *check,
                          struct error *err)
{
    for (int i = 0; i < check->n_reviewed; i++) {
        struct person other;
        int found = 0;
        int rc = store_person_get(store, check->reviewed[i], &other, &found, err);
        if (rc != SP_OK)
            return rc;
        if (!found)
            return error_set(err, SP_BAD_INPUT,
                             "--not-duplicate-of %s: no person with this ID is registered",
                             check->reviewed[i]);
    }
    return SP_OK;
}

static int add_once(struct store *store, void *arg, struct error *err)
{
    struct add *a = arg;
    memcpy(a->p->id, a->given_id, sizeof a->given_id); /* a failed attempt may have set it */
    const struct persons_duplicate_check *check = a->check;
    int rc = check != NULL ? check_reviewed(store, check, err) : SP_OK;
    if (rc == SP_OK && check != NULL && check->threshold > 0.0)
        rc = dedup_check_person(store, a->p, check->threshold, check->reviewed, check->n_reviewed,
                                refuse_duplicate, err, err);
    if (rc == SP_OK)
        rc = store_person_insert(store, a->p, err);
    if (rc != SP_OK || check == NULL || check->n_reviewed == 0)
        return rc;
    char now[PERSON_CHANGE_WHEN_SIZE];
    date_time_utc_now(now);
    const struct store_edit edit = {check->actor, "reviewed: not a duplicate", now};
    for (int i = 0; rc == SP_OK && i < check->n_reviewed; i++)
        rc = dedup_record_review(store, a->p->id, check->reviewed[i], &edit, err);
    return rc;
}

int persons_add(struct store *store, struct person *p, persons_retry_fn on_retry, void *ctx,
                struct error *err)
{
    int checked = persons_check(p, err);
    if (checked != SP_OK)
        return checked;
    struct add a = {p, "", NULL};
    memcpy(a.given_id, p->id, sizeof a.given_id);
    int rc = ops_transaction(store, add_once, &a, on_retry, ctx, err);
    if (rc != SP_OK)
        memcpy(p->id, a.given_id, sizeof a.given_id);
    return rc;
}

int persons_add_checked(struct store *store, struct person *p,
                        const struct persons_duplicate_check *check, persons_retry_fn on_retry,
                        void *ctx, struct error *err)
{
    int checked = persons_check(p, err);
    if (checked != SP_OK)
        return checked;
    struct add a = {p, "", check};
    memcpy(a.given_id, p->id, sizeof a.given_id);
    int rc = ops_transaction(store, add_once, &a, on_retry, ctx, err);
    if (rc != SP_OK)
        memcpy(p->id, a.given_id, sizeof a.given_id);
    return rc;
}

struct update {
    const char *id;
    const struct persons_correction *c;
    int32_t today;
    struct person *out;
    int *changed;
};

int persons_correct(struct store *store, const char *id, const struct persons_correction *c,
                    int32_t today, struct person *out, int *changed, struct error *err)
{
    *changed = 0;
    int rc = persons_get(store, id, out, err);
    for (int i = 0; rc == SP_OK && i < c->n; i++)
        rc = person_set_field(out, c->fields[i], c->values[i], today, err);
    if (rc == SP_OK)
        rc = persons_check(out, err); /* areas by their official names, as persons_add */
    if (rc != SP_OK)
        return rc;
    char when[PERSON_CHANGE_WHEN_SIZE];
    date_time_utc_now(when);
    struct store_edit edit = {c->actor, c->reason, when};
    return store_person_update(store, id, out, &edit, changed, err);
}

static int update_once(struct store *store, void *arg, struct error *err)
{
    struct update *u = arg;
    return persons_correct(store, u->id, u->c, u->today, u->out, u->changed, err);
}

int persons_update(struct store *store, const char *id, const struct persons_correction *c,
                   int32_t today, struct person *out, int *changed, persons_retry_fn on_retry,
                   void *ctx, struct error *err)
{
    *changed = 0;
    struct update u = {id, c, today, out, changed};
    return ops_transaction(store, update_once, &u, on_retry, ctx, err);
}

struct mark {
    const char *id;
    const struct person_mark *m;
    int32_t today;
    const char *actor, *reason;
};

static int mark_once(struct store *store, void *arg, struct error *err)
{
    struct mark *k = arg;
    char when[PERSON_CHANGE_WHEN_SIZE];
    date_time_utc_now(when);
    struct store_edit edit = {k->actor, k->reason, when};
    return store_person_mark(store, k->id, k->m, k->today, &edit, err);
}

int persons_mark(struct store *store, const char *id, const struct person_mark *m, int32_t today,
                 const char *actor, const char *reason, persons_retry_fn on_retry, void *ctx,
                 struct error *err)
{
    struct mark k = {id, m, today, actor, reason};
    return ops_transaction(store, mark_once, &k, on_retry, ctx, err);
}

int persons_check_current(struct store *store, const char *id, int32_t as_of, struct error *err)
{
    struct person_mark m;
    int rc = store_person_mark_get(store, id, &m, err);
    if (rc != SP_OK)
        return rc;
    if (m.kind == PERSON_MARK_MERGED)
        return error_set(err, SP_BAD_INPUT,
                         "%s is a duplicate record, merged into %s: use that worker ID", id,
                         m.into);
    if (m.kind == PERSON_MARK_DECEASED && m.date <= as_of) {
        char day[DATE_TEXT_SIZE];
        date_format(m.date, day);
        return error_set(err, SP_BAD_INPUT,
                         "the death of %s is recorded on %s: nothing is decided from that day "
                         "(give --as-of before it for what was due)",
                         id, day);
    }
    return SP_OK;
}
