#include "rules/param.h"

#include <stdio.h>
#include <assert.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"

/* A block of memory owned by the set; blocks form a list freed together. */
struct param_block {
    struct param_block *next;
    char data[];
};

struct param_set {
    struct param **params; /* defined parameters, in definition order */
    int n_params;
    int cap_params;
    struct param_block *blocks; /* every copied string and array */
};

int param_set_new(struct param_set **out, struct error *err)
{
    struct param_set *set = sp_calloc(1, sizeof *set);
    if (set == NULL)
        return error_nomem(err);
    *out = set;
    return SP_OK;
}

void param_set_free(struct param_set *set)
{
    if (set == NULL)
        return;
    for (int i = 0; i < set->n_params; i++) {
        sp_free(set->params[i]->values);
        sp_free(set->params[i]);
    }
    sp_free(set->params);
    struct param_block *b = set->blocks;
    while (b != NULL) {
        struct param_block *next = b->next;
        sp_free(b);
        b = next;
    }
    sp_free(set);
}

/* Allocates size bytes owned by the set, aligned for any object. */
static void *set_alloc(struct param_set *set, size_t size)
{
    size_t total;
    if (__builtin_add_overflow(sizeof(struct param_block), size, &total))
        return NULL;
    struct param_block *b = sp_malloc(total);
    if (b == NULL)
        return NULL;
    b->next = set->blocks;
    set->blocks = b;
    return b->data;
}

const char *param_set_intern(struct param_set *set, const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = set_alloc(set, n);
    if (copy != NULL)
        memcpy(copy, s, n);
    return copy;
}

const struct param *param_set_find(const struct param_set *set, const char *path)
{
    for (int i = 0; i < set->n_params; i++)
        if (strcmp(set->params[i]->path, path) == 0)
            return set->params[i];
    return NULL;
}

int param_set_define(struct param_set *set, const char *path, enum param_kind kind,
                     const char *currency, const char *unit, const char *description,
                     const char *file, int line, struct param **out, struct error *err)
{
    const struct param *existing = param_set_find(set, path);
    if (existing != NULL)
        return error_set(err, SP_BAD_INPUT, "parameter %s is already defined at %s:%d", path,
                         existing->file, existing->line);
    if (set->n_params == set->cap_params) {
        int cap = set->cap_params ? set->cap_params * 2 : 64;
        struct param **grown = sp_reallocarray(set->params, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        set->params = grown;
        set->cap_params = cap;
    }
    struct param *p = sp_calloc(1, sizeof *p);
    if (p == NULL)
        return error_nomem(err);
    p->path = param_set_intern(set, path);
    p->unit = param_set_intern(set, unit ? unit : "");
    p->description = param_set_intern(set, description ? description : "");
    p->file = param_set_intern(set, file ? file : "");
    if (p->path == NULL || p->unit == NULL || p->description == NULL || p->file == NULL) {
        sp_free(p);
        return error_nomem(err);
    }
    p->kind = kind;
    p->line = line;
    if (currency != NULL)
        memcpy(p->currency, currency, strnlen(currency, CURRENCY_CODE_SIZE - 1));
    set->params[set->n_params++] = p;
    *out = p;
    return SP_OK;
}

/* Copies the strings and arrays v points at into the set's storage. */
static int copy_value_storage(struct param_set *set, struct param_value *v)
{
    v->reference = param_set_intern(set, v->reference ? v->reference : "");
    if (v->reference == NULL)
        return 0;
    if (v->text != NULL && (v->text = param_set_intern(set, v->text)) == NULL)
        return 0;
    if (v->overlay != NULL && (v->overlay = param_set_intern(set, v->overlay)) == NULL)
        return 0;
    if (v->n_items > 0) {
        const char **items = set_alloc(set, sizeof *items * (size_t)v->n_items);
        if (items == NULL)
            return 0;
        for (int i = 0; i < v->n_items; i++)
            if ((items[i] = param_set_intern(set, v->items[i])) == NULL)
                return 0;
        v->items = items;
    }
    if (v->n_brackets > 0) {
        size_t size = sizeof *v->brackets * (size_t)v->n_brackets;
        struct param_bracket *brackets = set_alloc(set, size);
        if (brackets == NULL)
            return 0;
        memcpy(brackets, v->brackets, size);
        v->brackets = brackets;
    }
    return 1;
}

int param_add_value(struct param_set *set, struct param *p, const struct param_value *v,
                    struct error *err)
{
    int at = p->n_values;
    while (at > 0 && p->values[at - 1].since > v->since)
        at--;
    if (at > 0 && p->values[at - 1].since == v->since)
        return error_set(err, SP_BAD_INPUT, "parameter %s has two values on the same date",
                         p->path);
    struct param_value copy = *v;
    copy.from_month = month_of_date(v->since);
    if (month_first_day(copy.from_month) < v->since)
        copy.from_month++; /* the month after: its first day is the first on or after since */
    if (!copy_value_storage(set, &copy))
        return error_nomem(err);
    struct param_value *grown = sp_reallocarray(p->values, (size_t)p->n_values + 1, sizeof *grown);
    if (grown == NULL)
        return error_nomem(err);
    memmove(grown + at + 1, grown + at, sizeof *grown * (size_t)(p->n_values - at));
    grown[at] = copy;
    p->values = grown;
    p->n_values++;
    return SP_OK;
}

int param_set_clone(const struct param_set *base, struct param_set **out, struct error *err)
{
    struct param_set *set = NULL;
    int rc = param_set_new(&set, err);
    for (int i = 0; rc == SP_OK && i < base->n_params; i++) {
        const struct param *from = base->params[i];
        struct param *p = NULL;
        rc =
            param_set_define(set, from->path, from->kind, from->currency[0] ? from->currency : NULL,
                             from->unit, from->description, from->file, from->line, &p, err);
        for (int k = 0; rc == SP_OK && k < from->n_values; k++)
            rc = param_add_value(set, p, &from->values[k], err);
    }
    if (rc != SP_OK) {
        param_set_free(set);
        return rc;
    }
    *out = set;
    return SP_OK;
}

int param_set_overlay(struct param_set *set, const char *path, const struct param_value *values,
                      int n, struct error *err)
{
    struct param *p = NULL;
    for (int i = 0; i < set->n_params && p == NULL; i++)
        if (strcmp(set->params[i]->path, path) == 0)
            p = set->params[i];
    if (p == NULL)
        return error_set(err, SP_BAD_INPUT, "no parameter has the path %s", path);
    assert(n >= 1);
    while (p->n_values > 0 && p->values[p->n_values - 1].since >= values[0].since)
        p->n_values--;
    for (int k = 0; k < n; k++) {
        int rc = param_add_value(set, p, &values[k], err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

int param_set_count(const struct param_set *set)
{
    return set->n_params;
}

const struct param *param_set_get(const struct param_set *set, int index)
{
    return set->params[index];
}

const struct param_value *param_value_at(const struct param *p, int32_t date)
{
    const struct param_value *found = NULL;
    for (int i = 0; i < p->n_values && p->values[i].since <= date; i++)
        found = &p->values[i];
    return found;
}

const struct param_value *param_value_of_month(const struct param *p, int32_t month, int32_t *first,
                                               int32_t *last)
{
    int next = 0; /* the first value that starts after month's first day */
    while (next < p->n_values && p->values[next].from_month <= month)
        next++;
    const struct param_value *found = next > 0 ? &p->values[next - 1] : NULL;
    *first = found != NULL ? found->from_month : INT32_MIN;
    *last = next < p->n_values ? p->values[next].from_month - 1 : INT32_MAX;
    return found;
}

const char *param_kind_name(enum param_kind kind)
{
    static const char *names[] = {"money", "decimal", "int",  "date",
                                  "bool",  "text",    "list", "scale"};
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

/* Writes a parameter value as text, with its unit or currency. */
void param_value_text(const struct param *p, const struct param_value *v, char *out, size_t size)
{
    struct money m = {v->number, ""};
    size_t len = 0;
    switch (p->kind) {
    case PARAM_MONEY:
        memcpy(m.currency, p->currency, CURRENCY_CODE_SIZE);
        money_format(m, out, size);
        len = strlen(out);
        snprintf(out + len, size - len, " %s", p->currency);
        break;
    case PARAM_DECIMAL:
        decimal_format(v->number, out, size);
        break;
    case PARAM_INT:
        snprintf(out, size, "%lld%s%s", (long long)v->number, p->unit[0] ? " " : "", p->unit);
        break;
    case PARAM_DATE: {
        char date[DATE_TEXT_SIZE];
        date_format((int32_t)v->number, date);
        snprintf(out, size, "%s", date);
        break;
    }
    case PARAM_BOOL:
        snprintf(out, size, "%s", v->number ? "true" : "false");
        break;
    case PARAM_TEXT:
        snprintf(out, size, "\"%s\"", v->text ? v->text : "");
        break;
    case PARAM_LIST:
        out[0] = '\0';
        for (int i = 0; i < v->n_items && len + 1 < size; i++) {
            snprintf(out + len, size - len, "%s%s", i ? ", " : "[", v->items[i]);
            len = strlen(out);
        }
        if (len + 1 < size)
            snprintf(out + len, size - len, "%s", v->n_items ? "]" : "[]");
        break;
    case PARAM_SCALE:
    default:
        snprintf(out, size, "a scale of %d brackets", v->n_brackets);
        break;
    }
}
