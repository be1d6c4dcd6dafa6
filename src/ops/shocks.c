/*
 * shocks.c: shock response (shocks.h).
 */
#include "ops/shocks.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/enrol.h"
#include "ops/transaction.h"
#include "pay/payment.h"
#include "registry/gazetteer.h"

static int name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > SHOCK_NAME_MAX || name[0] < 'a' || name[0] > 'z')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '-'))
            return 0;
    return 1;
}

/* Resolves the comma-separated districts of text into sh->areas (official names, ';'). */
static int resolve_areas(const char *text, struct shock *sh, struct error *err)
{
    sh->areas[0] = '\0';
    int listed = gazetteer_count(sh->country, AREA_ADMIN2) > 0;
    for (const char *at = text; *at;) {
        const char *end = strchr(at, ',');
        size_t n = end ? (size_t)(end - at) : strlen(at);
        char one[PERSON_PLACE_SIZE];
        while (n > 0 && (*at == ' ' || *at == '\t'))
            at++, n--;
        while (n > 0 && (at[n - 1] == ' ' || at[n - 1] == '\t'))
            n--;
        if (n == 0 || n >= sizeof one)
            return error_set(err, SP_BAD_INPUT,
                             "--area: give districts separated by commas, not \"%s\"", text);
        memcpy(one, at, n);
        one[n] = '\0';
        const char *official = one;
        if (listed) {
            const struct area *a = gazetteer_find(sh->country, AREA_ADMIN2, one);
            if (a == NULL) {
                const char *near = gazetteer_suggest(sh->country, AREA_ADMIN2, one);
                return error_set(err, SP_BAD_INPUT, "--area: \"%s\" is not a district of %s%s%s%s",
                                 one, sh->country, near ? ": did you mean \"" : "",
                                 near ? near : "", near ? "\"?" : "");
            }
            official = a->name;
        }
        size_t have = strlen(sh->areas);
        if (have + strlen(official) + 2 > sizeof sh->areas)
            return error_set(err, SP_BAD_INPUT, "--area: too many districts");
        snprintf(sh->areas + have, sizeof sh->areas - have, "%s%s", have ? ";" : "", official);
        at += n;
        while (*at == ' ' || *at == '\t')
            at++;
        if (*at == ',')
            at++;
    }
    if (sh->areas[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "--area: a shock needs the districts it hit");
    return SP_OK;
}

/* "25%", "12.5%": hundredths of a percent. */
static int parse_rate(const char *text, int64_t *out, struct error *err)
{
    char number[32];
    size_t n = strlen(text);
    if (n < 2 || n > sizeof number || text[n - 1] != '%')
        return error_set(err, SP_BAD_INPUT, "--top-up: \"%s\" is no rate", text);
    memcpy(number, text, n - 1);
    number[n - 1] = '\0';
    int64_t rate = 0;
    struct error ignored;
    error_init(&ignored);
    if (pay_amount_parse(number, 2, &rate, &ignored) != SP_OK || rate <= 0 || rate > 1000000)
        return error_set(err, SP_BAD_INPUT,
                         "--top-up: \"%s\" is no rate: give a percentage above 0 with at most "
                         "two decimals, up to 10000%%",
                         text);
    *out = rate;
    return SP_OK;
}

static int parse_top_up(const char *text, const struct scheme *scheme, struct shock *sh,
                        struct error *err)
{
    if (strchr(text, '%') != NULL)
        return parse_rate(text, &sh->top_up_rate, err);
    const struct currency_info *c = currency_find(scheme->currency);
    struct error ignored;
    error_init(&ignored);
    if (pay_amount_parse(text, c ? c->minor_digits : 2, &sh->top_up_amount, &ignored) != SP_OK ||
        sh->top_up_amount <= 0)
        return error_set(err, SP_BAD_INPUT,
                         "--top-up: \"%s\" is neither an amount in %s (\"1500.00\") nor a rate "
                         "(\"25%%\")",
                         text, scheme->currency);
    return SP_OK;
}

struct taken {
    const char *name;
    struct shock same; /* the shock of that name */
    int found;
};

static int name_taken(void *ctx, const struct shock *sh)
{
    struct taken *t = ctx;
    if (strcmp(sh->name, t->name) == 0) {
        t->same = *sh;
        t->found = 1;
    }
    return 0;
}

/* 1 when a and b declare the same shock (a horizontal one declared again: continued). */
static int same_shock(const struct shock *a, const struct shock *b)
{
    return strcmp(a->areas, b->areas) == 0 && a->from == b->from && a->to == b->to &&
           a->mode == b->mode && strcmp(a->scheme, b->scheme) == 0 &&
           a->top_up_amount == b->top_up_amount && a->top_up_rate == b->top_up_rate;
}

static int add_shock(struct store *store, void *arg, struct error *err)
{
    return store_shock_add(store, arg, err);
}

/* ---- the area's households ---- */

struct affected {
    const struct shock *sh;
    char (*ids)[PERSON_ID_SIZE];
    int64_t n, cap;
    /* the household being read: its members from `start`, and whether one lives there */
    char household[PERSON_SHORT_SIZE];
    int64_t start;
    int hit;
    struct error *err;
};

static int in_areas(const char *areas, const char *admin2)
{
    size_t n = strlen(admin2);
    if (n == 0)
        return 0;
    for (const char *at = areas; at != NULL && *at;) {
        const char *end = strchr(at, ';');
        size_t len = end ? (size_t)(end - at) : strlen(at);
        if (len == n && strncmp(at, admin2, n) == 0)
            return 1;
        at = end ? end + 1 : NULL;
    }
    return 0;
}

/* Ends the household read so far: keeps its members when one lives in the area. */
static void household_end(struct affected *a)
{
    if (!a->hit)
        a->n = a->start;
    a->start = a->n;
    a->hit = 0;
}

static int affected_person(void *ctx, const struct person *p)
{
    struct affected *a = ctx;
    if (p->household[0] == '\0' || strcmp(p->household, a->household) != 0)
        household_end(a);
    text_copy(a->household, sizeof a->household, p->household);
    if (a->n == a->cap) {
        int64_t want = a->cap ? a->cap * 2 : 256;
        void *grown = sp_reallocarray(a->ids, (size_t)want, sizeof *a->ids);
        if (grown == NULL)
            return error_nomem(a->err);
        a->ids = grown;
        a->cap = want;
    }
    text_copy(a->ids[a->n++], PERSON_ID_SIZE, p->id);
    a->hit |= in_areas(a->sh->areas, p->admin2);
    return SP_OK;
}

static int enrol_affected(struct store *store, const struct scheme_library *lib,
                          const struct shock *sh, shocks_refused_fn refused, void *ctx,
                          struct shocks_summary *sum, struct error *err)
{
    struct affected a;
    memset(&a, 0, sizeof a);
    a.sh = sh;
    a.err = err;
    int rc = store_person_each_by_household(store, sh->country, affected_person, &a, err);
    household_end(&a);
    char reason[PERSON_REASON_SIZE];
    snprintf(reason, sizeof reason, "shock %s: horizontal expansion", sh->name);
    sum->affected = rc == SP_OK ? a.n : 0;
    for (int64_t i = 0; rc == SP_OK && i < a.n; i++) {
        struct enrol_request rq = {a.ids[i], sh->scheme, sh->from, reason, sh->actor, reason};
        int added = 0;
        enum decision_status status;
        struct error one;
        error_init(&one);
        int r = enrol_person_until(store, lib, &rq, sh->to, &added, &status, &one);
        if (r == SP_OK) {
            sum->enrolled += added;
            sum->already += !added;
        } else if (r == SP_BAD_INPUT || r == SP_CONFLICT) {
            sum->refused++;
            if (refused != NULL)
                rc = refused(ctx, a.ids[i], one.message);
        } else {
            *err = one;
            rc = r;
        }
    }
    sp_free(a.ids);
    return rc;
}

int shocks_declare(struct store *store, const struct scheme_library *lib,
                   const struct shocks_request *rq, shocks_refused_fn refused, void *ctx,
                   struct shock *out, struct shocks_summary *sum, struct error *err)
{
    memset(out, 0, sizeof *out);
    memset(sum, 0, sizeof *sum);
    if (rq->actor == NULL || rq->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a shock needs who declares it");
    if (rq->name == NULL || !name_ok(rq->name))
        return error_set(err, SP_BAD_INPUT,
                         "--name: \"%s\" is no shock name: a short code of 1 to %d letters a-z, "
                         "digits and dashes, a letter first (\"flood-2024\"), that names its "
                         "top-ups",
                         rq->name ? rq->name : "", SHOCK_NAME_MAX);
    if ((rq->top_up != NULL) == (rq->enrol_affected != 0))
        return error_set(err, SP_BAD_INPUT,
                         "a shock is either --top-up AMOUNT|RATE%% or --enroll-affected");
    if (rq->from == DATE_NONE || rq->to == DATE_NONE)
        return error_set(err, SP_BAD_INPUT, "a shock needs its days: --from DATE --to DATE");
    if (rq->from > rq->to) {
        char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE];
        date_format(rq->from, from);
        date_format(rq->to, to);
        return error_set(err, SP_BAD_INPUT, "--from %s is after --to %s", from, to);
    }
    const struct scheme *scheme = rq->scheme ? scheme_library_find(lib, rq->scheme) : NULL;
    if (scheme == NULL)
        return error_set(err, SP_BAD_INPUT,
                         "--scheme: no scheme has the id \"%s\": see 'spfloor schemes list'",
                         rq->scheme ? rq->scheme : "");
    text_copy(out->name, sizeof out->name, rq->name);
    text_copy(out->country, sizeof out->country, scheme->country);
    text_copy(out->scheme, sizeof out->scheme, scheme->id);
    text_copy(out->currency, sizeof out->currency, scheme->currency);
    text_copy(out->actor, sizeof out->actor, rq->actor);
    out->from = rq->from;
    out->to = rq->to;
    out->mode = rq->top_up != NULL ? SHOCK_TOP_UP : SHOCK_ENROL_AFFECTED;
    int rc = gazetteer_load(err);
    if (rc == SP_OK)
        rc = resolve_areas(rq->areas ? rq->areas : "", out, err);
    if (rc == SP_OK && rq->top_up != NULL)
        rc = parse_top_up(rq->top_up, scheme, out, err);
    struct taken t;
    memset(&t, 0, sizeof t);
    t.name = out->name;
    if (rc == SP_OK)
        rc = store_shocks_each(store, name_taken, &t, err);
    int again =
        rc == SP_OK && t.found && out->mode == SHOCK_ENROL_AFFECTED && same_shock(&t.same, out);
    if (rc == SP_OK && t.found && !again)
        rc = error_set(err, SP_CONFLICT,
                       "a shock named \"%s\" is declared already: see 'spfloor "
                       "shock list'",
                       out->name);
    if (rc != SP_OK)
        return rc;
    if (again) {
        *out = t.same; /* interrupted: its enrolments go on */
        sum->continued = 1;
    } else {
        date_time_utc_now(out->recorded_at);
        rc = ops_transaction(store, add_shock, out, NULL, NULL, err);
    }
    if (rc == SP_OK && out->mode == SHOCK_ENROL_AFFECTED)
        rc = enrol_affected(store, lib, out, refused, ctx, sum, err);
    return rc;
}

int shocks_list(struct store *store, shock_visit_fn visit, void *ctx, struct error *err)
{
    return store_shocks_each(store, visit, ctx, err);
}

int shocks_covers(const struct shock *sh, const char *admin2, int32_t first, int32_t last)
{
    return first != DATE_NONE && last != DATE_NONE && sh->from <= last && sh->to >= first &&
           in_areas(sh->areas, admin2);
}

int shocks_top_up(const struct shock *sh, int64_t base, int64_t *out, struct error *err)
{
    if (sh->top_up_amount > 0) {
        *out = sh->top_up_amount;
        return SP_OK;
    }
    if (base < 0 || (sh->top_up_rate > 0 && base > (INT64_MAX - 5000) / sh->top_up_rate))
        return error_set(err, SP_BAD_INPUT, "shock %s: the top-up overflows", sh->name);
    *out = (base * sh->top_up_rate + 5000) / 10000;
    return SP_OK;
}
