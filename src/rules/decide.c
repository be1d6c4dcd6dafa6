#include "rules/decide.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "rules/decide_impl.h"

const char *decision_status_name(enum decision_status status)
{
    switch (status) {
    case DECISION_ELIGIBLE:
        return "eligible";
    case DECISION_NOT_ELIGIBLE:
        return "not_eligible";
    case DECISION_PARAMETER_NOT_SET:
        return "parameter_not_set";
    case DECISION_FAILED:
        return "failed";
    case DECISION_UNDETERMINED:
        return "undetermined";
    case DECISION_NOT_APPLICABLE:
    default:
        return "not_applicable";
    }
}

int decide_bind(const struct scheme *s, int32_t as_of, struct decide_bound **out, struct error *err)
{
    struct decide_bound *b = sp_calloc(1, sizeof *b);
    if (b == NULL)
        return error_nomem(err);
    b->scheme = s;
    b->as_of = as_of;
    b->in_force = scheme_in_force(s, as_of);
    int rc = expr_unit_bind(s->unit, as_of, &b->bound, err);
    if (rc != SP_OK) {
        sp_free(b);
        return rc;
    }
    *out = b;
    return SP_OK;
}

void decide_bound_free(struct decide_bound *b)
{
    if (b == NULL)
        return;
    expr_bound_free(b->bound);
    sp_free(b);
}

int decide_bound_same(const struct decide_bound *a, const struct decide_bound *b)
{
    return strcmp(a->scheme->id, b->scheme->id) == 0 && a->in_force == b->in_force &&
           a->scheme->n_changes == b->scheme->n_changes && expr_bound_same(a->bound, b->bound);
}

/* The contribution's inputs of scheme s in the columns of sc (decide_input). */
static void find_inputs(const struct scheme *s, struct decide_scratch *sc)
{
    static const int64_t none[DECIDE_INPUTS] = {0, INT64_MIN, INT64_MAX, 0, 0, 0};
    static const uint8_t ok[1] = {EXPR_OK};
    const struct scheme_expr *e[DECIDE_INPUTS] = {&s->wage,     &s->floor,    &s->cap,
                                                  &s->parts[0], &s->parts[1], &s->parts[2]};
    for (int k = 0; k < DECIDE_INPUTS; k++) {
        struct decide_input in = {&none[k], ok, 0};
        if (e[k]->index >= 0) {
            in.v = sc->columns[e[k]->index].value;
            in.st = sc->columns[e[k]->index].state;
            in.mask = -1;
        }
        sc->inputs[k] = in;
    }
}

int decide_scratch_new(const struct scheme *s, struct decide_scratch **out, struct error *err)
{
    struct decide_scratch *sc = sp_calloc(1, sizeof *sc);
    if (sc == NULL)
        return error_nomem(err);
    sc->scheme = s;
    sc->n_columns = expr_unit_count(s->unit);
    size_t n = sc->n_columns > 0 ? (size_t)sc->n_columns : 1;
    sc->columns = sp_calloc(n, sizeof *sc->columns);
    sc->values = sp_calloc(n, sizeof *sc->values);
    int rc = SP_OK;
    if (sc->columns == NULL || sc->values == NULL)
        rc = error_nomem(err);
    int n_conditions = s->n_eligibility + s->n_qualifying;
    sc->lacks_record = sp_calloc(n_conditions > 0 ? (size_t)n_conditions : 1, 1);
    if (sc->lacks_record == NULL)
        rc = error_nomem(err);
    for (int k = 0; sc->lacks_record != NULL && k < n_conditions; k++) {
        const struct scheme_expr *c = decide_condition_at(s, k);
        sc->lacks_record[k] = (uint8_t)expr_may_lack_record(s->unit, c->index);
    }
    buf_init(&sc->names, 64u * 1024u);
    for (int k = 0; k < 3; k++)
        sc->part_kinds[k] =
            s->parts[k].index >= 0 ? expr_unit_type(s->unit, s->parts[k].index).kind : EXPR_MONEY;
    if (sc->columns != NULL)
        find_inputs(s, sc);
    if (rc == SP_OK)
        rc = expr_scratch_new(s->unit, &sc->expr, err);
    sc->columnar = expr_unit_columnar(s->unit);
    if (rc != SP_OK) {
        decide_scratch_free(sc);
        return rc;
    }
    *out = sc;
    return SP_OK;
}

void decide_scratch_forget(struct decide_scratch *s)
{
    if (s == NULL)
        return;
    expr_scratch_forget(s->expr);
    expr_scratch_forget(s->expr_on);
}

void decide_scratch_free(struct decide_scratch *s)
{
    if (s == NULL)
        return;
    for (int i = 0; i < s->n_on; i++)
        expr_bound_free(s->on_cache[i].bound.bound);
    expr_scratch_free(s->expr_on);
    sp_free(s->columns_on);
    expr_scratch_free(s->expr);
    sp_free(s->lacks_record);
    buf_release(&s->names);
    sp_free(s->columns);
    sp_free(s->values);
    sp_free(s);
}

static int of_country(const struct person *p, const char country[3])
{
    return p->country[0] == country[0] && p->country[1] == country[1];
}

/* One expression's result for one person: state and value. */
struct result {
    uint8_t state;
    int64_t value;
};

/* Reads expression e (when present) from the block's columns at row i. */
static struct result column_at(const struct decide_scratch *s, const struct scheme_expr *e, int i)
{
    struct result r = {EXPR_OK, 0};
    if (e->index >= 0) {
        r.state = s->columns[e->index].state[i];
        r.value = s->columns[e->index].value[i];
    }
    return r;
}

/*
 * The conditions' verdict for rows 0..n-1, one condition column at a time: ELIGIBLE when all
 * hold; NOT_ELIGIBLE when one is false, whatever the others are (false && unknown is false);
 * otherwise FAILED when one failed, PARAMETER_NOT_SET when one needed an unset parameter, and
 * UNDETERMINED when one is missing a fact. check[i] is set when a condition that may be
 * missing for want of a record ended missing: decide_block then resolves it (a record that
 * does not exist is a definite no). Returns 1 if some check[i] is set.
 */
static int judge_conditions(const struct scheme *sc, const struct decide_scratch *s, int n,
                            uint8_t *status, uint8_t *check)
{
    uint8_t flags[EXPR_BLOCK];
    decide_conditions_flags(sc, s, n, flags);
    int any = 0;
    for (int i = 0; i < n; i++) {
        status[i] = (uint8_t)decide_flags_status(flags[i]);
        check[i] = (flags[i] & (DECIDE_CHECK | DECIDE_NOT_ELIGIBLE)) == DECIDE_CHECK;
        any |= check[i];
    }
    return any;
}

/* What an input's state says: 0 when it may be used; else DECIDE_FAILED or DECIDE_UNSET. */
static inline uint8_t input_trouble(uint8_t state)
{
    return (uint8_t)((state == EXPR_FAILED) * DECIDE_FAILED |
                     (state == EXPR_PARAM_UNSET) * DECIDE_UNSET);
}

enum decision_status decide_contribution(const struct scheme *sc, const struct decide_scratch *s,
                                         int i, struct decision *d)
{
    const struct decide_input *in = s->inputs;
    int64_t v[DECIDE_INPUTS]; /* written out, not a loop: -O2 would not unroll it */
    uint8_t wage = input_at(&in[DECIDE_WAGE], i, &v[DECIDE_WAGE]);
    if (wage == EXPR_MISSING)
        return DECISION_ELIGIBLE; /* no wage given: no contribution to compute */
    uint8_t floor = input_at(&in[DECIDE_FLOOR], i, &v[DECIDE_FLOOR]);
    uint8_t cap = input_at(&in[DECIDE_CAP], i, &v[DECIDE_CAP]);
    uint8_t p0 = input_at(&in[DECIDE_PART], i, &v[DECIDE_PART]);
    uint8_t p1 = input_at(&in[DECIDE_PART + 1], i, &v[DECIDE_PART + 1]);
    uint8_t p2 = input_at(&in[DECIDE_PART + 2], i, &v[DECIDE_PART + 2]);
    uint8_t trouble =
        input_trouble(wage) | input_trouble(floor) | input_trouble(cap) | input_trouble(p0) |
        input_trouble(p1) | input_trouble(p2) |
        (p0 == EXPR_MISSING || p1 == EXPR_MISSING || p2 == EXPR_MISSING) * DECIDE_FAILED;
    if (trouble & DECIDE_FAILED)
        return DECISION_FAILED;
    if (trouble & DECIDE_UNSET)
        return DECISION_PARAMETER_NOT_SET;
    if (floor != EXPR_OK) /* a floor or cap not set (state MISSING) is not applied */
        v[DECIDE_FLOOR] = INT64_MIN;
    if (cap != EXPR_OK)
        v[DECIDE_CAP] = INT64_MAX;
    if (decide_contribution_of(sc, s, v, d))
        return DECISION_FAILED;
    d->has_contribution = 1;
    return DECISION_ELIGIBLE;
}

/* ---- contingency dates ---- */

int decide_contingency_moves(const struct decide_bound *b, uint8_t state, int64_t value,
                             int32_t *on)
{
    const struct scheme *sc = b->scheme;
    if (state != EXPR_OK || value >= b->as_of || value < INT32_MIN)
        return 0;
    *on = (int32_t)value;
    for (int i = 0; i < sc->n_contingency_params; i++)
        if (param_value_at(sc->contingency_refs[i], *on) !=
            param_value_at(sc->contingency_refs[i], b->as_of))
            return 1;
    return 0;
}

/* The scheme of b bound with its contingency parameters on `on`, kept in s's cache. */
static int bound_on(const struct decide_bound *b, struct decide_scratch *s, int32_t on,
                    const struct decide_bound **out, struct error *err)
{
    const struct scheme *sc = b->scheme;
    for (int i = 0; i < s->n_on; i++) {
        struct decide_on *c = &s->on_cache[i];
        if (c->on == on && c->bound.as_of == b->as_of && c->bound.scheme == sc) {
            *out = &c->bound;
            return SP_OK;
        }
    }
    struct expr_bound *eb = NULL;
    int rc = expr_unit_bind_on(sc->unit, b->as_of, on, sc->contingency_params,
                               sc->n_contingency_params, &eb, err);
    if (rc != SP_OK)
        return rc;
    int slot = s->n_on < DECIDE_ON_CACHE ? s->n_on++ : s->next_on++ % DECIDE_ON_CACHE;
    struct decide_on *c = &s->on_cache[slot];
    expr_bound_free(c->bound.bound); /* the date it held before, if any */
    c->on = on;
    c->bound = *b;
    c->bound.bound = eb;
    *out = &c->bound;
    return SP_OK;
}

int decide_run_person(const struct decide_bound *b, struct decide_scratch *s,
                      const struct person *p, const struct person_history *h,
                      const struct decide_bound **used, struct error *err)
{
    const struct scheme *sc = b->scheme;
    *used = b;
    int rc = expr_run_traced(b->bound, s->expr, p, h, s->values, err);
    if (rc != SP_OK || sc->contingency_date.index < 0)
        return rc;
    const struct expr_value *v = &s->values[sc->contingency_date.index];
    int32_t on;
    if (!decide_contingency_moves(b, v->state, v->value, &on))
        return SP_OK;
    rc = bound_on(b, s, on, used, err);
    if (rc == SP_OK)
        rc = expr_run_traced((*used)->bound, s->expr, p, h, s->values, err);
    return rc;
}

/*
 * For a scheme with a contingency: runs again, on their contingency's date, the picked
 * persons whose contingency parameters have other values then, grouped by date, and puts
 * their results in s->columns (s->rerun, re_stop and used say so).
 */
static int rerun_on_contingency(const struct decide_bound *b, struct decide_scratch *s, int picked,
                                struct error *err)
{
    const struct scheme *sc = b->scheme;
    const struct expr_column *dates = &s->columns[sc->contingency_date.index];
    int any = 0;
    for (int k = 0; k < picked; k++) {
        s->rerun[k] = 0;
        s->pending[k] =
            (uint8_t)decide_contingency_moves(b, dates->state[k], dates->value[k], &s->on_date[k]);
        any |= s->pending[k];
    }
    if (!any)
        return SP_OK;
    if (s->expr_on == NULL) {
        s->columns_on = sp_calloc((size_t)s->n_columns, sizeof *s->columns_on);
        if (s->columns_on == NULL)
            return error_nomem(err);
        int rc = expr_scratch_new(sc->unit, &s->expr_on, err);
        if (rc != SP_OK)
            return rc;
    }
    for (int k = 0; k < picked; k++) {
        if (!s->pending[k])
            continue;
        const struct person *persons[EXPR_BLOCK];
        const struct person_history *histories[EXPR_BLOCK];
        int at[EXPR_BLOCK], m = 0;
        int32_t on = s->on_date[k];
        for (int j = k; j < picked; j++) {
            if (!s->pending[j] || s->on_date[j] != on)
                continue;
            s->pending[j] = 0;
            persons[m] = s->picked[j];
            histories[m] = s->picked_histories[j];
            at[m++] = j;
        }
        const struct decide_bound *bo = NULL;
        int rc = bound_on(b, s, on, &bo, err);
        if (rc == SP_OK)
            rc = expr_run_block(bo->bound, s->expr_on, persons, histories, m, s->columns_on, err);
        if (rc != SP_OK)
            return rc;
        for (int c = 0; c < s->n_columns; c++) {
            for (int i = 0; i < m; i++) {
                s->columns[c].value[at[i]] = s->columns_on[c].value[i];
                s->columns[c].text[at[i]] = s->columns_on[c].text[i];
                s->columns[c].state[at[i]] = s->columns_on[c].state[i];
            }
        }
        for (int i = 0; i < m; i++) {
            int where = -1;
            s->re_stop[at[i]] = (uint8_t)expr_stopped(s->expr_on, i, &where);
            s->re_stop_at[at[i]] = where;
            s->rerun[at[i]] = 1;
        }
    }
    return SP_OK;
}

/* Turns row i of the block's columns, whose conditions' verdict is status, into a decision. */
static void decide_row(const struct decide_bound *b, const struct decide_scratch *s, int i,
                       enum decision_status status, struct decision *d)
{
    memset(d, 0, sizeof *d);
    d->stop_at = -1;
    int at = -1;
    enum expr_stop why = (enum expr_stop)s->re_stop[i];
    if (s->rerun[i])
        at = s->re_stop_at[i];
    else
        why = expr_stopped(s->expr, i, &at);
    if (why != EXPR_STOP_NONE) { /* what it computed is unfinished: none of it counts */
        d->status = DECISION_FAILED;
        d->stop = (uint8_t)why;
        d->stop_at = at;
        return;
    }
    decide_outcome(b->scheme, s, i, status, d);
}

void decide_outcome(const struct scheme *sc, const struct decide_scratch *s, int i,
                    enum decision_status status, struct decision *d)
{
    if (status == DECISION_ELIGIBLE && sc->amount.index >= 0) {
        struct result amount = column_at(s, &sc->amount, i);
        if (amount.state == EXPR_OK) {
            d->amount = amount.value;
            d->has_amount = 1;
        } else {
            status =
                amount.state == EXPR_PARAM_UNSET ? DECISION_PARAMETER_NOT_SET : DECISION_FAILED;
        }
    }
    if (status == DECISION_ELIGIBLE && sc->has_contribution)
        status = decide_contribution(sc, s, i, d);
    if (status != DECISION_ELIGIBLE) {
        d->has_amount = 0;
        d->has_contribution = 0;
    }
    d->status = (uint8_t)status;
}

/*
 * Sets *lacks when, for picked person k, a condition that may lack a record ended missing
 * and waits on no fact: a record that does not exist (no contribution, no such event) is a
 * definite no. SP_IO when out of memory.
 */
static int lacks_a_record(const struct decide_bound *b, struct decide_scratch *s, int k, int *lacks,
                          struct error *err)
{
    const struct scheme *sc = b->scheme;
    for (int j = 0; j < sc->n_eligibility + sc->n_qualifying && !*lacks; j++) {
        const struct scheme_expr *c = decide_condition_at(sc, j);
        if (!s->lacks_record[j] || s->columns[c->index].state[k] != EXPR_MISSING)
            continue;
        buf_reset(&s->names);
        const struct decide_bound *on = b; /* rebound if the cache let it go */
        int rc = s->rerun[k] ? bound_on(b, s, s->on_date[k], &on, err) : SP_OK;
        if (rc == SP_OK)
            rc = expr_missing_facts(on->bound, s->expr, s->picked[k], s->picked_histories[k],
                                    c->index, &s->names, err);
        if (rc != SP_OK)
            return rc;
        *lacks = s->names.len == 0;
    }
    return SP_OK;
}

int decide_block(const struct decide_bound *b, struct decide_scratch *s,
                 const struct person *const *persons, const struct person_history *const *histories,
                 int n, struct decision *out, struct error *err)
{
    const struct scheme *sc = b->scheme;
    int picked = 0;
    for (int i = 0; i < n; i++) {
        if (!of_country(persons[i], sc->country) || !b->in_force) {
            memset(&out[i], 0, sizeof out[i]);
            out[i].status = of_country(persons[i], sc->country) ? DECISION_NOT_ELIGIBLE
                                                                : DECISION_NOT_APPLICABLE;
            out[i].stop_at = -1;
            continue;
        }
        s->picked[picked] = persons[i];
        s->picked_histories[picked] = histories ? histories[i] : NULL;
        s->picked_at[picked] = i;
        picked++;
    }
    if (picked == 0)
        return SP_OK;
    if (s->n_columns > 0) {
        int rc = expr_run_block(b->bound, s->expr, s->picked, s->picked_histories, picked,
                                s->columns, err);
        if (rc == SP_OK && sc->contingency_date.index >= 0)
            rc = rerun_on_contingency(b, s, picked, err);
        if (rc != SP_OK)
            return rc;
    }
    int check = judge_conditions(sc, s, picked, s->status, s->check);
    for (int k = 0; k < picked; k++)
        decide_row(b, s, k, (enum decision_status)s->status[k], &out[s->picked_at[k]]);
    /* after decide_row, which reads where each lane stopped: resolving runs persons again */
    for (int k = 0; check && k < picked; k++) {
        struct decision *d = &out[s->picked_at[k]];
        if (!s->check[k] || d->stop != EXPR_STOP_NONE)
            continue;
        int lacks = 0;
        int rc = lacks_a_record(b, s, k, &lacks, err);
        if (rc != SP_OK)
            return rc;
        if (lacks) {
            d->status = DECISION_NOT_ELIGIBLE;
            d->has_amount = 0;
            d->has_contribution = 0;
        }
    }
    return SP_OK;
}

int decide_one(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
               const struct person_history *h, struct decision *out, struct error *err)
{
    const struct person *persons[1] = {p};
    const struct person_history *histories[1] = {h};
    return decide_block(b, s, persons, histories, 1, out, err);
}

/* ---- explanations ---- */

struct explainer {
    const struct decide_bound *b;
    struct decide_scratch *s;
    const struct person *p;
    const struct person_history *h;
    struct buf *out;
    struct error *err;
};

#define ASSUMED "assumed: " /* how a line about a declared default starts (expr.h) */

/*
 * Appends expression e's explanation, each line prefixed with "label: "; only the lines about
 * declared defaults (ASSUMED) when only_assumed is set.
 */
/*
 * 1 if the line (n bytes) is the date test a change compiled into e made, "as_of 2025-01-15 >=
 * 2024-07-16" (scheme_load_changed): the change's own line says it instead.
 */
static int is_change_test(const struct scheme *sc, const struct scheme_expr *e, const char *line,
                          size_t n)
{
    int changed = 0;
    for (int i = 0; i < sc->n_changes; i++)
        changed |= sc->changes[i].target == e->name;
    size_t longest = strlen("as_of YYYY-MM-DD >= YYYY-MM-DD");
    if (!changed || n < longest - 1 || n > longest || n != longest - (line[17] == '<'))
        return 0;
    return strncmp(line, "as_of ", 6) == 0 &&
           (strncmp(line + 16, " >= ", 4) == 0 || strncmp(line + 16, " < ", 3) == 0);
}

/* Appends "label: changed by overlay ..." when a change to e is in force on the date. */
static int explain_change(struct explainer *x, const char *label, const struct scheme_expr *e)
{
    const struct scheme *sc = x->b->scheme;
    const struct scheme_change_note *note = scheme_change_at(sc, e->name, x->b->as_of);
    if (note == NULL || note->target != e->name)
        return SP_OK;
    return buf_printf(x->out, x->err, "%s: changed by %s\n", label, note->text);
}

int decide_put(struct buf *out, const struct decide_text *pieces, int n, struct error *err)
{
    size_t start = out->len;
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++)
        rc = buf_append(out, pieces[i].s, pieces[i].n, err);
    if (rc != SP_OK && out->data != NULL) {
        out->len = start;
        out->data[start] = '\0';
    }
    return rc;
}

static int explain_filtered(struct explainer *x, const char *label, const struct scheme_expr *e,
                            int fallback, int only_assumed)
{
    struct buf lines;
    buf_init(&lines, EXPLAIN_MAX);
    int rc = expr_explain(x->b->bound, x->s->expr, x->p, x->h, e->index, &lines, x->err);
    if (rc == SP_OK && !only_assumed)
        rc = explain_change(x, label, e);
    const char *at = lines.data;
    int wrote = 0;
    while (rc == SP_OK && *at != '\0') {
        const char *end = strchr(at, '\n');
        size_t n = end ? (size_t)(end - at) : strlen(at);
        if (n > 0 && (!only_assumed || strncmp(at, ASSUMED, strlen(ASSUMED)) == 0) &&
            !is_change_test(x->b->scheme, e, at, n)) {
            const struct decide_text line[] = {
                {label, strlen(label)}, {": ", 2}, {at, n}, {"\n", 1}};
            rc = decide_put(x->out, line, 4, x->err);
            wrote = 1;
        }
        at += n + (end != NULL);
    }
    if (rc == SP_OK && !wrote && fallback && !only_assumed) {
        const struct expr_value *v = &x->s->values[e->index];
        static const char *const states[] = {"", "a fact it needs is not given",
                                             "a parameter it needs is not set",
                                             "it could not be computed"};
        if (v->state == EXPR_OK) {
            char text[128];
            expr_format_value(expr_unit_type(x->b->scheme->unit, e->index), v->value, v->text, text,
                              sizeof text);
            rc = buf_printf(x->out, x->err, "%s: %s\n", label, text);
        } else {
            rc = buf_printf(x->out, x->err, "%s: %s\n", label,
                            v->state < 4 ? states[v->state] : "unknown");
        }
    }
    buf_release(&lines);
    return rc;
}

static int explain_lines(struct explainer *x, const char *label, const struct scheme_expr *e,
                         int fallback)
{
    return explain_filtered(x, label, e, fallback, 0);
}

static int explain_expr(struct explainer *x, const char *label, const struct scheme_expr *e)
{
    return explain_lines(x, label, e, 1);
}

static int is_path_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

/*
 * Appends "label: <parameter> = <value> (since <date>: <reference>)" for each parameter
 * expression e names (params.x), once each, as in force on the bound date.
 */
static int explain_params(struct explainer *x, const char *label, const struct scheme_expr *e)
{
    const struct scheme *sc = x->b->scheme;
    if (e->source == NULL || sc->scope.params == NULL)
        return SP_OK;
    int rc = SP_OK;
    for (const char *at = strstr(e->source, "params."); at != NULL && rc == SP_OK;
         at = strstr(at + 7, "params.")) {
        if (at > e->source && (is_path_char(at[-1]) || at[-1] == '"' || at[-1] == '\''))
            continue;
        const char *start = at + 7;
        size_t n = 0;
        while (is_path_char(start[n]))
            n++;
        while (n > 0 && start[n - 1] == '.')
            n--;
        if (n == 0 || n > 200)
            continue;
        int seen = 0;
        for (const char *prev = strstr(e->source, "params."); prev != NULL && prev < at && !seen;
             prev = strstr(prev + 7, "params."))
            seen = strncmp(prev + 7, start, n) == 0 && !is_path_char(prev[7 + n]);
        if (seen)
            continue;
        char path[256];
        snprintf(path, sizeof path, "%s%s%.*s", sc->params, sc->params[0] ? "." : "", (int)n,
                 start);
        const struct param *p = param_set_find(sc->scope.params, path);
        int kept = 0; /* the value this person's run read (a contingency's date, or kept) */
        const struct param_value *v = p ? expr_param_used(x->b->bound, p, x->p, x->h, &kept) : NULL;
        if (v == NULL && p != NULL)
            v = param_value_at(p, x->b->as_of);
        if (v == NULL)
            continue;
        char since[DATE_TEXT_SIZE], value[256];
        date_format(v->since, since);
        if (v->is_set)
            param_value_text(p, v, value, sizeof value);
        rc = buf_printf(x->out, x->err, "%s: %s %s%s (since %s: %s)\n", label, path,
                        v->is_set ? "= " : "not set", v->is_set ? value : "", since, v->reference);
    }
    return rc;
}

/* 1 if condition c decided a decision that is not eligible. */
static int condition_decided(const struct expr_value *v, enum decision_status status)
{
    if (status == DECISION_UNDETERMINED)
        return v->state == EXPR_MISSING;
    if (status == DECISION_NOT_ELIGIBLE)
        return v->state == EXPR_MISSING || (v->state == EXPR_OK && v->value == 0);
    if (status == DECISION_PARAMETER_NOT_SET)
        return v->state == EXPR_PARAM_UNSET;
    if (status == DECISION_FAILED)
        return v->state == EXPR_FAILED;
    return 1;
}

static int explain_conditions(struct explainer *x, const struct decision *d, int detail)
{
    const struct scheme *sc = x->b->scheme;
    int rc = SP_OK;
    for (int k = 0; k < sc->n_eligibility + sc->n_qualifying && rc == SP_OK; k++) {
        const struct scheme_expr *c = decide_condition_at(sc, k);
        if (detail || condition_decided(&x->s->values[c->index], d->status))
            rc = explain_expr(x, c->name, c);
        else if (x->b->scheme->n_facts > 0) /* a default it assumed is said all the same */
            rc = explain_filtered(x, c->name, c, 0, 1);
    }
    return rc;
}

static void format_money_text(int64_t minor, const char *currency, char *out, size_t size)
{
    struct money m = {minor, ""};
    memcpy(m.currency, currency, CURRENCY_CODE_SIZE);
    money_format(m, out, size);
}

static int explain_contribution(struct explainer *x, const struct decision *d)
{
    const struct scheme *sc = x->b->scheme;
    const struct expr_value *v = x->s->values;
    int rc = SP_OK;
    if (sc->wage.index >= 0 && v[sc->wage.index].state == EXPR_MISSING)
        return explain_expr(x, "contribution", &sc->wage);
    if (!d->has_contribution) {
        const struct scheme_expr *parts[] = {&sc->wage,     &sc->floor,    &sc->cap,
                                             &sc->parts[0], &sc->parts[1], &sc->parts[2]};
        for (size_t k = 0; k < sizeof parts / sizeof parts[0] && rc == SP_OK; k++)
            if (parts[k]->index >= 0 && v[parts[k]->index].state != EXPR_OK)
                rc = explain_expr(x, parts[k]->name, parts[k]);
        return rc;
    }
    char wage[MONEY_TEXT_MAX], base[MONEY_TEXT_MAX], bound[MONEY_TEXT_MAX];
    format_money_text(d->wage, sc->currency, base, sizeof base);
    if (sc->wage.index < 0) /* fixed amounts only: no wage, no base */
        rc = buf_puts(x->out, "contribution: fixed amounts, on no wage\n", x->err);
    else
        format_money_text(v[sc->wage.index].value, sc->currency, wage, sizeof wage);
    if (rc == SP_OK && sc->wage.index >= 0)
        rc = buf_printf(x->out, x->err, "contribution: wage %s %s", wage, sc->currency);
    if (rc == SP_OK && sc->wage.index >= 0 && sc->floor.index >= 0) {
        format_money_text(v[sc->floor.index].value, sc->currency, bound, sizeof bound);
        rc = buf_printf(x->out, x->err, ", floor %s", bound);
    }
    if (rc == SP_OK && sc->cap.index >= 0) {
        format_money_text(v[sc->cap.index].value, sc->currency, bound, sizeof bound);
        rc = buf_printf(x->out, x->err, ", cap %s", bound);
    }
    if (rc == SP_OK && sc->wage.index >= 0)
        rc = buf_printf(x->out, x->err, ": base %s\n", base);
    if (rc == SP_OK)
        rc = explain_params(x, "contribution", &sc->floor);
    if (rc == SP_OK)
        rc = explain_params(x, "contribution", &sc->cap);
    static const char *const names[] = {"employee", "employer", "state"};
    for (int k = 0; k < 3 && rc == SP_OK; k++) {
        const struct scheme_expr *e = &sc->parts[k];
        if (e->index < 0)
            continue;
        char part[MONEY_TEXT_MAX], rate[64];
        format_money_text(d->parts[k], sc->currency, part, sizeof part);
        enum expr_kind kind = expr_unit_type(sc->unit, e->index).kind;
        if (kind == EXPR_MONEY) {
            rc = buf_printf(x->out, x->err, "contribution: %s %s (a fixed amount)\n", names[k],
                            part);
        } else {
            int64_t r = v[e->index].value;
            if (kind == EXPR_INT)
                r *= DECIMAL_SCALE;
            decimal_format(r, rate, sizeof rate);
            rc = buf_printf(x->out, x->err, "contribution: %s %s x %s = %s (%s)\n", names[k], rate,
                            base, part, rounding_name(sc->rounding));
        }
        if (rc == SP_OK)
            rc = explain_lines(x, "contribution", e, 0);
        if (rc == SP_OK)
            rc = explain_params(x, "contribution", e);
    }
    if (rc == SP_OK) {
        char total[MONEY_TEXT_MAX];
        format_money_text(d->total, sc->currency, total, sizeof total);
        rc = buf_printf(x->out, x->err, "contribution: total %s %s\n", total, sc->currency);
    }
    return rc;
}

/*
 * "paid: every 2 weeks, 26 payments a year (since 2022-10-01: reference)": the payment cycle
 * in force, when the scheme has one.
 */
static int explain_cycle(struct explainer *x)
{
    const struct scheme_cycle *c = scheme_cycle_at(x->b->scheme, x->b->as_of);
    if (c == NULL)
        return SP_OK;
    int num, den;
    scheme_cycle_per_year(c, &num, &den);
    char since[DATE_TEXT_SIZE], how[64];
    date_format(c->since, since);
    if (c->every_weeks > 0)
        snprintf(how, sizeof how, "every %d week%s", c->every_weeks, c->every_weeks > 1 ? "s" : "");
    else if (c->times_a_month > 0)
        snprintf(how, sizeof how, "%d times a month", c->times_a_month);
    else
        snprintf(how, sizeof how, "every %d month%s", c->every_months,
                 c->every_months > 1 ? "s" : "");
    if (den == 1)
        return buf_printf(x->out, x->err, "paid: %s, %d payments a year (since %s: %s)\n", how, num,
                          since, c->reference);
    return buf_printf(x->out, x->err, "paid: %s, %d/%d payments a year (since %s: %s)\n", how, num,
                      den, since, c->reference);
}

/* 1 if every condition held in the traced run. */
static int conditions_hold(const struct explainer *x)
{
    const struct scheme *sc = x->b->scheme;
    for (int k = 0; k < sc->n_eligibility + sc->n_qualifying; k++) {
        const struct scheme_expr *c = decide_condition_at(sc, k);
        const struct expr_value *v = &x->s->values[c->index];
        if (v->state != EXPR_OK || v->value == 0)
            return 0;
    }
    return 1;
}

/* The named values, the amount and the contribution. */
static int explain_outcome(struct explainer *x, const struct decision *d, int detail)
{
    const struct scheme *sc = x->b->scheme;
    int rc = SP_OK;
    for (int k = 0; detail && k < sc->n_values && rc == SP_OK; k++) {
        const struct scheme_expr *e = &sc->values[k];
        const struct expr_value *v = &x->s->values[e->index];
        if (v->state != EXPR_OK)
            continue;
        char text[128];
        expr_format_value(expr_unit_type(sc->unit, e->index), v->value, v->text, text, sizeof text);
        rc = buf_printf(x->out, x->err, "%s = %s\n", e->name, text);
    }
    if (!conditions_hold(x))
        return rc;
    if (rc == SP_OK && sc->amount.index >= 0) {
        if (d->has_amount) {
            if (detail) {
                char amount[MONEY_TEXT_MAX];
                scheme_amount_text(sc, d->amount, amount, sizeof amount);
                rc = buf_printf(x->out, x->err, "amount: %s %s per %s%s\n", amount,
                                scheme_amount_unit(sc), scheme_per_name(sc->per),
                                sc->amount_unit != NULL ? " (in kind, not money)" : "");
                if (rc == SP_OK)
                    rc = explain_lines(x, "amount", &sc->amount, 0);
                if (rc == SP_OK)
                    rc = explain_params(x, "amount", &sc->amount);
                if (rc == SP_OK)
                    rc = explain_cycle(x);
            }
        } else if (x->s->values[sc->amount.index].state != EXPR_OK) {
            rc = explain_expr(x, "amount", &sc->amount);
        }
    }
    if (rc == SP_OK && sc->has_contribution && d->status != DECISION_NOT_ELIGIBLE &&
        d->status != DECISION_UNDETERMINED && (detail || !d->has_contribution))
        rc = explain_contribution(x, d);
    return rc;
}

int decide_explain_excluded(const struct scheme *sc, const struct person *p,
                            const struct decision *d, struct buf *out, struct error *err)
{
    const char *chosen = sc->exclusive_choice ? person_get_extra(p, sc->exclusive_choice) : NULL;
    int by_choice = chosen != NULL && strcmp(chosen, d->excluded_by) == 0;
    return buf_printf(out, err, "excluded: %s is paid instead, %s (%s)\n", d->excluded_by,
                      by_choice ? "as the person chose" : "the most favourable of the group",
                      sc->exclusive_reference);
}

/* The name of the scheme's expression number `index` ("amount", a condition's ...), or "". */
static const char *expr_name(const struct scheme *sc, int index)
{
    for (int k = 0; k < sc->n_values; k++)
        if (sc->values[k].index == index)
            return sc->values[k].name;
    for (int k = 0; k < sc->n_eligibility + sc->n_qualifying; k++) {
        const struct scheme_expr *c = decide_condition_at(sc, k);
        if (c->index == index)
            return c->name;
    }
    const struct scheme_expr *others[] = {&sc->amount,   &sc->wage,     &sc->floor,   &sc->cap,
                                          &sc->parts[0], &sc->parts[1], &sc->parts[2]};
    for (size_t k = 0; k < sizeof others / sizeof others[0]; k++)
        if (others[k]->index == index && index >= 0)
            return others[k]->name;
    return "";
}

/* The one line of a decision stopped at a limit: "<expression>: stopped after ...". */
static int explain_stop(const struct scheme *sc, enum expr_stop why, int at, struct buf *out,
                        struct error *err)
{
    char reason[256];
    expr_stop_text(why, reason, sizeof reason);
    const char *name = expr_name(sc, at);
    return buf_printf(out, err, "%s%s%s\n", name, name[0] ? ": " : "", reason);
}

/*
 * "contingency: kh.idpoor.facility_delivery read on 2023-07-31, the contingency's date, not
 * 2023-08-10 (reference)", for a person whose contingency parameters another date decides.
 */
static int explain_contingency(const struct decide_bound *b, const struct decide_scratch *s,
                               struct buf *out, struct error *err)
{
    const struct scheme *sc = b->scheme;
    const struct expr_value *v = &s->values[sc->contingency_date.index];
    char on[DATE_TEXT_SIZE], as_of[DATE_TEXT_SIZE];
    date_format((int32_t)v->value, on);
    date_format(b->as_of, as_of);
    int rc = buf_puts(out, "contingency: ", err);
    for (int i = 0; rc == SP_OK && i < sc->n_contingency_params; i++)
        rc = buf_printf(out, err, "%s%s", i ? ", " : "", sc->contingency_params[i]);
    if (rc == SP_OK)
        rc = buf_printf(out, err, " read on %s, the contingency's date, not %s (%s)\n", on, as_of,
                        sc->contingency_reference);
    return rc;
}

int decide_explain(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
                   const struct person_history *h, const struct decision *d, int detail,
                   struct buf *out, struct error *err)
{
    const struct scheme *sc = b->scheme;
    char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE], on[DATE_TEXT_SIZE];
    if (d->status == DECISION_NOT_APPLICABLE)
        return buf_printf(out, err, "%s applies to persons of %s; this person's country is %s\n",
                          sc->id, sc->country, p->country[0] ? p->country : "not given");
    if (!b->in_force) {
        date_format(b->as_of, on);
        if (sc->valid_from != DATE_NONE && b->as_of < sc->valid_from) {
            date_format(sc->valid_from, from);
            return buf_printf(out, err, "%s starts on %s, after %s\n", sc->id, from, on);
        }
        date_format(sc->valid_to, to);
        return buf_printf(out, err, "%s ended on %s, before %s\n", sc->id, to, on);
    }
    if (s->n_columns == 0)
        return SP_OK;
    if (d->status == DECISION_FAILED && d->stop != EXPR_STOP_NONE)
        return explain_stop(sc, (enum expr_stop)d->stop, d->stop_at, out, err);
    const struct decide_bound *given = b;
    int rc = decide_run_person(given, s, p, h, &b, err);
    if (rc == SP_OK && b != given)
        rc = explain_contingency(b, s, out, err);
    if (rc != SP_OK)
        return rc;
    int at;
    enum expr_stop why = expr_stopped(s->expr, 0, &at);
    if (why != EXPR_STOP_NONE) /* never where the decision did not stop; said all the same */
        return explain_stop(sc, why, at, out, err);
    struct explainer x = {b, s, p, h, out, err};
    rc = explain_conditions(&x, d, detail);
    if (rc == SP_OK)
        rc = explain_outcome(&x, d, detail);
    if (rc == SP_OK && d->excluded_by != NULL)
        rc = decide_explain_excluded(sc, p, d, out, err);
    return rc;
}

int decide_missing(const struct decide_bound *b, struct decide_scratch *s, const struct person *p,
                   const struct person_history *h, const struct decision *d, struct buf *out,
                   struct error *err)
{
    const struct scheme *sc = b->scheme;
    if (d->status != DECISION_UNDETERMINED || s->n_columns == 0)
        return SP_OK;
    /* which conditions ended missing (s->values, which the walks leave as they are) */
    int rc = decide_run_person(b, s, p, h, &b, err);
    for (int k = 0; rc == SP_OK && k < sc->n_eligibility + sc->n_qualifying; k++) {
        const struct scheme_expr *c = decide_condition_at(sc, k);
        if (c->index >= 0 && s->values[c->index].state == EXPR_MISSING)
            rc = expr_missing_facts(b->bound, s->expr, p, h, c->index, out, err);
    }
    return rc;
}

/* ---- exclusion groups ---- */

/* 1 if decision d of scheme s takes part in an exclusion group. */
static int in_group(const struct scheme *s, const struct decision *d)
{
    return s->exclusive_group != NULL && d->status == DECISION_ELIGIBLE;
}

/*
 * 1 if decision a (of scheme sa) is more favourable than b (of sb): a higher amount, or on a
 * tie the scheme first by id, so that the choice does not depend on the order given.
 */
static int more_favourable(const struct scheme *sa, const struct decision *a,
                           const struct scheme *sb, const struct decision *b)
{
    int64_t x = a->has_amount ? a->amount : INT64_MIN, y = b->has_amount ? b->amount : INT64_MIN;
    return x > y || (x == y && strcmp(sa->id, sb->id) < 0);
}

void decide_exclusions(const struct person *p, const struct scheme *const *schemes,
                       struct decision *const *decisions, int n)
{
    for (int k = 0; k < n; k++) {
        if (!in_group(schemes[k], decisions[k]))
            continue;
        int settled = 0; /* an earlier decision of the group settled it */
        for (int j = 0; j < k && !settled; j++)
            settled =
                in_group(schemes[j], decisions[j]) && scheme_same_group(schemes[j], schemes[k]);
        if (settled)
            continue;
        const char *chosen =
            schemes[k]->exclusive_choice ? person_get_extra(p, schemes[k]->exclusive_choice) : NULL;
        int paid = -1;
        for (int j = k; j < n; j++) {
            if (!in_group(schemes[j], decisions[j]) || !scheme_same_group(schemes[j], schemes[k]))
                continue;
            if (chosen != NULL && strcmp(chosen, schemes[j]->id) == 0) {
                paid = j;
                break;
            }
            if (paid < 0 ||
                more_favourable(schemes[j], decisions[j], schemes[paid], decisions[paid]))
                paid = j;
        }
        for (int j = k; j < n; j++)
            if (j != paid && in_group(schemes[j], decisions[j]) &&
                scheme_same_group(schemes[j], schemes[k]))
                decisions[j]->excluded_by = schemes[paid]->id;
    }
}
