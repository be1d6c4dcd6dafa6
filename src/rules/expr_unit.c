/*
 * expr_unit.c: units (a scheme's expressions), binding parameters to a date, scratch space
 * and value formatting.
 */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "rules/expr_impl.h"

int expr_unit_new(const struct expr_scope *scope, struct expr_unit **out, struct error *err)
{
    if (scope->currency != NULL && currency_find(scope->currency) == NULL)
        return error_set(err, SP_BAD_INPUT, "unknown currency \"%s\"", scope->currency);
    for (int i = 0; i < scope->n_extra_facts; i++) {
        if (expr_fact_find(scope->extra_facts[i].name) >= 0)
            return error_set(err, SP_BAD_INPUT,
                             "extra fact \"%s\" is already a fact of the vocabulary",
                             scope->extra_facts[i].name);
        enum expr_kind k = scope->extra_facts[i].type.kind;
        if (k == EXPR_PERSON || k == EXPR_SCALE ||
            (k == EXPR_LIST && scope->extra_facts[i].type.element != EXPR_STRING) ||
            (k == EXPR_MONEY && currency_find(scope->extra_facts[i].type.currency) == NULL))
            return error_set(err, SP_BAD_INPUT, "extra fact \"%s\" has a type facts cannot have",
                             scope->extra_facts[i].name);
    }
    struct expr_unit *u = sp_calloc(1, sizeof *u);
    if (u == NULL)
        return error_nomem(err);
    u->scope = *scope;
    expr_pool_init(&u->pool, 0);
    u->fact_reg = sp_malloc(sizeof *u->fact_reg * (size_t)expr_fact_count);
    if (u->fact_reg == NULL) {
        sp_free(u);
        return error_nomem(err);
    }
    for (int i = 0; i < expr_fact_count; i++)
        u->fact_reg[i] = -1;
    u->as_of_reg = -1;
    *out = u;
    return SP_OK;
}

void expr_unit_free(struct expr_unit *u)
{
    if (u == NULL)
        return;
    expr_regex_free_all(u);
    expr_pool_release(&u->pool);
    sp_free(u->nodes);
    sp_free(u->defs);
    sp_free(u->pslots);
    sp_free(u->code);
    sp_free(u->fact_reg);
    sp_free(u->pslot_reg);
    sp_free(u->reg_free);
    sp_free(u);
}

static int valid_name(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > 64 || !((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
              name[i] == '_'))
            return 0;
    return strcmp(name, "in") != 0 && strcmp(name, "true") != 0 && strcmp(name, "false") != 0;
}

static int check_name(const struct expr_unit *u, const char *name, struct expr_pos pos,
                      struct error *err)
{
    static const char *const reserved[] = {"params", "household",     "enrolment", "enrolled",
                                           "as_of",  "contributions", "events"};
    const char *file = pos.file ? pos.file : "<expression>";
    if (!valid_name(name))
        return error_set(err, SP_BAD_INPUT,
                         "%s:%d:%d: \"%s\" is not a valid value name: use "
                         "lowercase letters, digits and _",
                         file, pos.line, pos.col, name);
    const char *clash = NULL;
    if (expr_fact_find(name) >= 0)
        clash = "a fact";
    for (int i = 0; i < u->scope.n_extra_facts; i++)
        if (strcmp(u->scope.extra_facts[i].name, name) == 0)
            clash = "an extra fact";
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        if (strcmp(reserved[i], name) == 0)
            clash = "a reserved name";
    for (int i = 0; i < u->n_defs; i++)
        if (u->defs[i].name && strcmp(u->defs[i].name, name) == 0)
            clash = "the name of an earlier value";
    if (clash)
        return error_set(err, SP_BAD_INPUT,
                         "%s:%d:%d: value name \"%s\" is already %s: choose "
                         "another name",
                         file, pos.line, pos.col, name, clash);
    return SP_OK;
}

/* Makes sure arrays can take `more` instructions and registers without failing. */
static int reserve(struct expr_unit *u, int more, struct error *err)
{
    if (u->n_code + more > u->cap_code) {
        int cap = u->n_code + more + 64;
        struct expr_insn *grown = sp_reallocarray(u->code, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        u->code = grown;
        u->cap_code = cap;
    }
    if (u->n_regs + more > u->cap_regs) {
        int cap = u->n_regs + more + 16;
        uint8_t *grown = sp_realloc(u->reg_free, (size_t)cap);
        if (grown == NULL)
            return error_nomem(err);
        u->reg_free = grown;
        u->cap_regs = cap;
    }
    if (u->n_pslots > u->cap_pslot_reg) {
        int cap = u->n_pslots + 16;
        int16_t *grown = sp_reallocarray(u->pslot_reg, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        for (int i = u->cap_pslot_reg; i < cap; i++)
            grown[i] = -1;
        u->pslot_reg = grown;
        u->cap_pslot_reg = cap;
    }
    return SP_OK;
}

int expr_unit_add(struct expr_unit *u, const char *name, const char *source, struct expr_pos pos,
                  const struct expr_type *want, int *index, struct error *err)
{
    int rc;
    if (name != NULL && (rc = check_name(u, name, pos, err)) != SP_OK)
        return rc;
    if (u->n_defs == u->cap_defs) {
        int cap = u->cap_defs ? u->cap_defs * 2 : 16;
        struct expr_def *grown = sp_reallocarray(u->defs, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        u->defs = grown;
        u->cap_defs = cap;
    }
    int saved_nodes = u->n_nodes, saved_pslots = u->n_pslots, saved_vars = u->n_vars;
    struct expr_def *d = &u->defs[u->n_defs];
    memset(d, 0, sizeof *d);
    size_t len = strlen(source);
    d->len = len > EXPR_SOURCE_MAX ? EXPR_SOURCE_MAX + 1 : (int)len;
    d->source = expr_pool_strndup(&u->pool, source, (size_t)d->len);
    d->pos = pos;
    d->pos.file = expr_pool_strndup(&u->pool, pos.file ? pos.file : "<expression>",
                                    strlen(pos.file ? pos.file : "<expression>"));
    if (name != NULL)
        d->name = expr_pool_strndup(&u->pool, name, strlen(name));
    if (d->source == NULL || d->pos.file == NULL || (name != NULL && d->name == NULL))
        return error_nomem(err);
    int i = u->n_defs++;
    int root;
    rc = expr_parse(u, i, &root, err);
    if (rc == SP_OK)
        rc = expr_check(u, i, root, want, err);
    if (rc == SP_OK)
        rc = expr_plan_analyse(u, saved_nodes, err);
    if (rc == SP_OK)
        rc = reserve(u, 2 * (u->n_nodes - saved_nodes) + 8, err);
    if (rc != SP_OK) {
        u->n_defs--;
        u->n_nodes = saved_nodes;
        u->n_pslots = saved_pslots;
        u->n_vars = saved_vars;
        return rc;
    }
    d = &u->defs[i];
    d->root = root;
    d->type = u->nodes[root].type;
    expr_compile(u, i, err); /* cannot fail: space was reserved */
    *index = i;
    return SP_OK;
}

int expr_unit_count(const struct expr_unit *u)
{
    return u->n_defs;
}

struct expr_type expr_unit_type(const struct expr_unit *u, int index)
{
    return u->defs[index].type;
}

/* ---- binding ---- */

static void bind_value(const struct param *p, int32_t day, const struct param_value **pv,
                       uint8_t *state, struct expr_list *list)
{
    *pv = param_value_at(p, day);
    *state = *pv != NULL && (*pv)->is_set ? EXPR_OK : EXPR_PARAM_UNSET;
    memset(list, 0, sizeof *list);
    if (*state == EXPR_OK && p->kind == PARAM_LIST) {
        list->n = (*pv)->n_items;
        list->strs = (*pv)->items;
    }
}

int expr_unit_bind(const struct expr_unit *u, int32_t as_of, struct expr_bound **out,
                   struct error *err)
{
    return expr_unit_bind_on(u, as_of, as_of, NULL, 0, out, err);
}

/* 1 if path is among paths[0..n-1]. */
static int among(const char *path, const char *const *paths, int n)
{
    for (int i = 0; i < n; i++)
        if (strcmp(paths[i], path) == 0)
            return 1;
    return 0;
}

int expr_unit_bind_on(const struct expr_unit *u, int32_t as_of, int32_t on,
                      const char *const *paths, int n, struct expr_bound **out, struct error *err)
{
    if (on > as_of || on < EXPR_DATE_MIN)
        on = as_of;
    if (as_of < EXPR_DATE_MIN || as_of > EXPR_DATE_MAX)
        return error_set(err, SP_BAD_INPUT, "evaluation date out of range");
    struct expr_bound *b = sp_calloc(1, sizeof *b);
    if (b == NULL)
        return error_nomem(err);
    b->params = sp_calloc(u->n_pslots > 0 ? (size_t)u->n_pslots : 1, sizeof *b->params);
    if (b->params == NULL) {
        sp_free(b);
        return error_nomem(err);
    }
    b->u = u;
    b->as_of = as_of;
    for (int i = 0; i < u->n_pslots; i++) {
        struct expr_bparam *bp = &b->params[i];
        const struct param *p = u->pslots[i].param;
        bind_value(p, n > 0 && among(p->path, paths, n) ? on : as_of, &bp->pv, &bp->state,
                   &bp->list);
        int g = u->pslots[i].grandfather;
        if (g >= 0) {
            /* A kept value never comes from after the evaluation date. */
            int32_t keep = u->scope.grandfathers[g].keep_as_of;
            bind_value(p, keep < as_of ? keep : as_of, &bp->kept, &bp->kept_state, &bp->kept_list);
        }
    }
    expr_age_table_init(b);
    *out = b;
    return SP_OK;
}

void expr_bound_free(struct expr_bound *b)
{
    if (b == NULL)
        return;
    sp_free(b->params);
    sp_free(b);
}

/* 1 if two parameter values bound from two parameter sets hold the same value. */
static int same_value(const struct param *p, const struct param_value *a,
                      const struct param_value *b)
{
    if (a == NULL || b == NULL)
        return a == b;
    if (a->is_set != b->is_set || a->since != b->since)
        return 0;
    if (!a->is_set)
        return 1;
    switch (p->kind) {
    case PARAM_TEXT:
        return strcmp(a->text, b->text) == 0;
    case PARAM_LIST:
        if (a->n_items != b->n_items)
            return 0;
        for (int i = 0; i < a->n_items; i++)
            if (strcmp(a->items[i], b->items[i]) != 0)
                return 0;
        return 1;
    case PARAM_SCALE:
        if (a->n_brackets != b->n_brackets)
            return 0;
        for (int i = 0; i < a->n_brackets; i++)
            if (a->brackets[i].threshold != b->brackets[i].threshold ||
                a->brackets[i].rate != b->brackets[i].rate)
                return 0;
        return 1;
    default:
        return a->number == b->number;
    }
}

int expr_bound_same(const struct expr_bound *a, const struct expr_bound *b)
{
    const struct expr_unit *ua = a->u, *ub = b->u;
    if (a->as_of != b->as_of || ua->n_defs != ub->n_defs || ua->n_pslots != ub->n_pslots)
        return 0;
    for (int i = 0; i < ua->n_defs; i++) {
        const struct expr_def *da = &ua->defs[i], *db = &ub->defs[i];
        if (da->len != db->len || memcmp(da->source, db->source, (size_t)da->len) != 0)
            return 0;
    }
    for (int i = 0; i < ua->n_pslots; i++) {
        const struct param *pa = ua->pslots[i].param, *pb = ub->pslots[i].param;
        const struct expr_bparam *ba = &a->params[i], *bb = &b->params[i];
        if (strcmp(pa->path, pb->path) != 0 || pa->kind != pb->kind ||
            ua->pslots[i].grandfather != ub->pslots[i].grandfather || ba->state != bb->state ||
            ba->kept_state != bb->kept_state || !same_value(pa, ba->pv, bb->pv) ||
            !same_value(pa, ba->kept, bb->kept))
            return 0;
    }
    return 1;
}

/* ---- scratch ---- */

int expr_scratch_new(const struct expr_unit *u, struct expr_scratch **out, struct error *err)
{
    struct expr_scratch *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->u = u;
    s->n_regs = u->n_regs;
    size_t cells = (size_t)(u->n_regs > 0 ? u->n_regs : 1) * EXPR_BLOCK;
    s->val = sp_calloc(cells, sizeof *s->val);
    s->state = sp_calloc(cells, sizeof *s->state);
    s->text = sp_calloc(cells, sizeof *s->text);
    s->views = sp_calloc(u->n_regs > 0 ? (size_t)u->n_regs : 1, sizeof *s->views);
    s->results = sp_calloc(u->n_defs > 0 ? (size_t)u->n_defs : 1, sizeof *s->results);
    s->n_results = u->n_defs;
    expr_pool_init(&s->arena, EXPR_ARENA_MAX);
    if (s->val == NULL || s->state == NULL || s->text == NULL || s->views == NULL ||
        s->results == NULL) {
        expr_scratch_free(s);
        return error_nomem(err);
    }
    *out = s;
    return SP_OK;
}

void expr_scratch_free(struct expr_scratch *s)
{
    if (s == NULL)
        return;
    sp_free(s->val);
    sp_free(s->state);
    sp_free(s->text);
    sp_free(s->views);
    sp_free(s->results);
    expr_pool_release(&s->arena);
    expr_plan_cache_free(s->plans);
    expr_fused_free(s->fused);
    sp_free(s);
}

int expr_scratch_check(const struct expr_bound *b, const struct expr_scratch *s, int n,
                       struct error *err)
{
    if (s->u != b->u || s->n_regs < b->u->n_regs)
        return error_set(err, SP_BAD_INPUT,
                         "scratch was made for another unit, or before its "
                         "last expression was added");
    if (n < 1 || n > EXPR_BLOCK)
        return error_set(err, SP_BAD_INPUT, "a block holds 1 to %d persons, not %d", EXPR_BLOCK, n);
    return SP_OK;
}

void expr_scratch_begin(struct expr_scratch *s, const struct expr_bound *b)
{
    expr_plan_begin(s, b); /* a new run number: no lane's limits hold any more */
}

void expr_scratch_lane(struct expr_scratch *s, int lane)
{
    if (s->lane_run[lane] == s->run)
        return;
    s->lane_run[lane] = s->run;
    s->steps[lane] = 0;
    s->memory[lane] = 0;
    s->stop[lane] = EXPR_STOP_NONE;
    s->stop_at[lane] = -1;
}

enum expr_stop expr_stopped(const struct expr_scratch *s, int lane, int *index)
{
    enum expr_stop why = EXPR_STOP_NONE;
    if (lane >= 0 && lane < EXPR_BLOCK && s->lane_run[lane] == s->run)
        why = (enum expr_stop)s->stop[lane];
    *index = why != EXPR_STOP_NONE ? s->stop_at[lane] : -1;
    return why;
}

/* n with a comma between each group of three digits ("10,000,000"). */
static void with_commas(long long n, char *out, size_t size)
{
    char digits[32];
    int len = snprintf(digits, sizeof digits, "%lld", n);
    size_t at = 0;
    for (int i = 0; i < len && at + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            out[at++] = ',';
        out[at++] = digits[i];
    }
    out[at] = '\0';
}

void expr_stop_text(enum expr_stop why, char *out, size_t size)
{
    char limit[32];
    if (why == EXPR_STOP_STEPS) {
        with_commas(EXPR_STEPS_MAX, limit, sizeof limit);
        snprintf(out, size, "stopped after %s evaluation steps: %s", limit,
                 "the rule is too costly for this household (limit: docs/expressions.md#limits)");
    } else if (why == EXPR_STOP_MEMORY) {
        snprintf(out, size, "stopped when out of working memory (%d MiB a person): %s",
                 EXPR_ARENA_MAX >> 20,
                 "the rule is too costly for this household (limit: docs/expressions.md#limits)");
    } else {
        snprintf(out, size, "ran to the end");
    }
}

/* ---- formatting ---- */

void expr_format_value(struct expr_type type, int64_t value, const char *text, char *out,
                       size_t size)
{
    if (size == 0)
        return;
    switch (type.kind) {
    case EXPR_BOOL:
        snprintf(out, size, "%s", value ? "true" : "false");
        return;
    case EXPR_INT:
        snprintf(out, size, "%lld", (long long)value);
        return;
    case EXPR_DECIMAL:
        decimal_format(value, out, size);
        return;
    case EXPR_MONEY: {
        struct money m;
        m.minor = value;
        text_copy(m.currency, sizeof m.currency, type.currency);
        money_format(m, out, size);
        return;
    }
    case EXPR_STRING:
        snprintf(out, size, "%s", text ? text : "");
        return;
    case EXPR_DATE:
        if (value >= EXPR_DATE_MIN && value <= EXPR_DATE_MAX) {
            char day[DATE_TEXT_SIZE];
            date_format((int32_t)value, day);
            snprintf(out, size, "%s", day);
        } else {
            snprintf(out, size, "(date out of range)");
        }
        return;
    case EXPR_LIST:
        snprintf(out, size, "%lld item%s", (long long)value, value == 1 ? "" : "s");
        return;
    case EXPR_PERSON:
    case EXPR_SCALE:
    case EXPR_DOUBLE: /* never a value: the checker folds doubles into decimals */
        break;
    }
    snprintf(out, size, "?");
}

person_field_set expr_unit_facts(const struct expr_unit *u)
{
    person_field_set read = 0;
    for (int i = 0; i < u->n_nodes; i++)
        if (u->nodes[i].op == X_FACT)
            read |= PERSON_FIELD_BIT(u->nodes[i].ref);
    return read;
}
