#include "rules/param_load.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"

#define PARAM_PATH_MAX 128 /* longest dotted path, e.g. "np.ssa.allowance.senior" */

struct loader {
    struct param_set *set;
    const struct ydoc *doc;
    struct error *err;
};

static const char *const file_keys[] = {"namespace", "parameters", "description", NULL};
static const char *const leaf_keys[] = {"description", "unit", "type", "values", NULL};
static const char *const value_keys[] = {"value", "reference", NULL};
static const char *const scale_value_keys[] = {"brackets", "value", "reference", NULL};
static const char *const bracket_keys[] = {"threshold", "rate", NULL};

static int kind_from_type(const char *type, enum param_kind *out)
{
    static const struct {
        const char *name;
        enum param_kind kind;
    } types[] = {
        {"money", PARAM_MONEY}, {"decimal", PARAM_DECIMAL}, {"int", PARAM_INT},
        {"date", PARAM_DATE},   {"bool", PARAM_BOOL},       {"text", PARAM_TEXT},
        {"list", PARAM_LIST},   {"scale", PARAM_SCALE},
    };
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(types[i].name, type) == 0) {
            *out = types[i].kind;
            return 1;
        }
    }
    return 0;
}

static int is_count_unit(const char *unit)
{
    return strcmp(unit, "years") == 0 || strcmp(unit, "months") == 0 || strcmp(unit, "days") == 0 ||
           strcmp(unit, "count") == 0;
}

/*
 * Works out a leaf's kind and currency from `unit` and `type`; checks that they agree.
 * currency gets "" when the kind has none.
 */
static int leaf_kind(struct loader *l, const char *path, const struct ydoc_node *leaf,
                     enum param_kind *kind, char currency[CURRENCY_CODE_SIZE])
{
    const struct ydoc_node *unit = NULL, *type = NULL;
    int rc = ydoc_want(l->doc, leaf, "unit", YDOC_SCALAR, &unit, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, leaf, "type", YDOC_SCALAR, &type, l->err);
    if (rc != SP_OK)
        return rc;
    currency[0] = '\0';
    int unit_kind = -1;
    if (unit != NULL) {
        if (is_count_unit(unit->text)) {
            unit_kind = PARAM_INT;
        } else if (strcmp(unit->text, "rate") == 0) {
            unit_kind = PARAM_DECIMAL;
        } else if (unit->len == 3 && currency_find(unit->text) != NULL) {
            unit_kind = PARAM_MONEY;
            memcpy(currency, unit->text, CURRENCY_CODE_SIZE);
        } else {
            return ydoc_fail(l->doc, unit, l->err,
                             "parameter %s: unit \"%s\" is not known: use years, months, days, "
                             "count, rate or a currency code such as NPR",
                             path, unit->text);
        }
    }
    if (type == NULL) {
        if (unit_kind < 0)
            return ydoc_fail(l->doc, leaf, l->err,
                             "parameter %s needs a unit (years, months, days, count, rate, a "
                             "currency code) or a type (money, decimal, int, date, bool, text, "
                             "list, scale)",
                             path);
        *kind = (enum param_kind)unit_kind;
        return SP_OK;
    }
    if (!kind_from_type(type->text, kind))
        return ydoc_fail(l->doc, type, l->err,
                         "parameter %s: type \"%s\" is not known: use money, decimal, int, date, "
                         "bool, text, list or scale",
                         path, type->text);
    int agrees;
    switch (*kind) {
    case PARAM_MONEY:
        agrees = unit_kind == PARAM_MONEY;
        break;
    case PARAM_SCALE:
        agrees = unit_kind < 0 || unit_kind == PARAM_MONEY;
        break;
    case PARAM_INT:
    case PARAM_DECIMAL:
        agrees = unit_kind < 0 || unit_kind == (int)*kind;
        break;
    default:
        agrees = unit_kind < 0;
        break;
    }
    if (!agrees) {
        if (*kind == PARAM_MONEY && unit == NULL)
            return ydoc_fail(l->doc, type, l->err,
                             "parameter %s: type money needs its currency as the unit "
                             "(unit: NPR)",
                             path);
        return ydoc_fail(l->doc, unit, l->err, "parameter %s: unit \"%s\" does not go with type %s",
                         path, unit->text, type->text);
    }
    return SP_OK;
}

/* Parses one number-like scalar of the leaf's kind into v->number. */
static int parse_number(struct loader *l, const struct param *p, const struct ydoc_node *node,
                        struct param_value *v)
{
    const char *text = node->text;
    int rc = SP_OK;
    switch (p->kind) {
    case PARAM_MONEY: {
        struct money m;
        rc = money_parse(text, p->currency, &m, l->err);
        v->number = m.minor;
        break;
    }
    case PARAM_DECIMAL:
        rc = decimal_parse(text, &v->number, l->err);
        break;
    case PARAM_INT: {
        long long n;
        if (!text_parse_int64(text, &n))
            return ydoc_fail(l->doc, node, l->err, "parameter %s: \"%s\" is not a whole number",
                             p->path, text);
        v->number = n;
        break;
    }
    case PARAM_DATE: {
        int32_t day;
        rc = date_parse(text, &day, l->err);
        v->number = day;
        break;
    }
    case PARAM_BOOL:
        if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
            v->number = text[0] == 't';
            break;
        }
        return ydoc_fail(l->doc, node, l->err, "parameter %s: \"%s\" is not true or false", p->path,
                         text);
    default:
        break;
    }
    if (rc != SP_OK) {
        error_prefix(l->err, "parameter %s", p->path);
        ydoc_prefix(l->doc, node, l->err);
    }
    return rc;
}

/* Reads `brackets: [{threshold, rate}, ...]` of a scale into a temporary array. */
static int parse_brackets(struct loader *l, const struct param *p, const struct ydoc_node *seq,
                          struct param_bracket **out, int *n_out)
{
    if (seq->kind != YDOC_SEQ || seq->n == 0)
        return ydoc_fail(l->doc, seq, l->err,
                         "parameter %s: brackets: expected a list of {threshold, rate}", p->path);
    struct param_bracket *brackets = sp_calloc((size_t)seq->n, sizeof *brackets);
    if (brackets == NULL)
        return error_nomem(l->err);
    int rc = SP_OK;
    for (int i = 0; i < seq->n && rc == SP_OK; i++) {
        const struct ydoc_node *b = seq->items[i], *threshold = NULL, *rate = NULL;
        rc = ydoc_expect(l->doc, seq, b, YDOC_MAP, "a bracket", l->err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(l->doc, b, bracket_keys, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, b, "threshold", YDOC_SCALAR, &threshold, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, b, "rate", YDOC_SCALAR, &rate, l->err);
        if (rc != SP_OK)
            break;
        if (p->currency[0]) {
            struct money m;
            rc = money_parse(threshold->text, p->currency, &m, l->err);
            brackets[i].threshold = m.minor;
        } else {
            rc = decimal_parse(threshold->text, &brackets[i].threshold, l->err);
        }
        if (rc != SP_OK) {
            error_prefix(l->err, "parameter %s: threshold", p->path);
            ydoc_prefix(l->doc, threshold, l->err);
            break;
        }
        rc = decimal_parse(rate->text, &brackets[i].rate, l->err);
        if (rc != SP_OK) {
            error_prefix(l->err, "parameter %s: rate", p->path);
            ydoc_prefix(l->doc, rate, l->err);
            break;
        }
        if (i > 0 && brackets[i].threshold <= brackets[i - 1].threshold)
            rc = ydoc_fail(l->doc, threshold, l->err,
                           "parameter %s: thresholds must go up from one bracket to the next",
                           p->path);
    }
    if (rc != SP_OK) {
        sp_free(brackets);
        return rc;
    }
    *out = brackets;
    *n_out = seq->n;
    return SP_OK;
}

/* Reads a list value (a sequence of single values) into a temporary array. */
static int parse_items(struct loader *l, const struct param *p, const struct ydoc_node *seq,
                       const char ***out)
{
    if (seq->kind != YDOC_SEQ)
        return ydoc_fail(l->doc, seq, l->err, "parameter %s: expected a list of values, not %s",
                         p->path, ydoc_kind_name(seq->kind));
    const char **items = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *items);
    if (items == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < seq->n; i++) {
        const struct ydoc_node *item = seq->items[i];
        if (item->kind != YDOC_SCALAR || item->is_null) {
            sp_free(items);
            return ydoc_fail(l->doc, item, l->err,
                             "parameter %s: each item of the list must be a single value", p->path);
        }
        items[i] = item->text;
    }
    *out = items;
    return SP_OK;
}

/* Reads one dated value `DATE: {value: ..., reference: ...}`, set by `overlay` (or NULL). */
static int load_value(struct loader *l, struct param *p, const struct ydoc_node *key,
                      const struct ydoc_node *body, const char *overlay)
{
    struct param_value v;
    memset(&v, 0, sizeof v);
    v.overlay = overlay;
    struct error date_err;
    error_init(&date_err);
    if (date_parse(key->text, &v.since, &date_err) != SP_OK)
        return ydoc_fail(l->doc, key, l->err,
                         "parameter %s: \"%s\" is not a date: each value is keyed by the date "
                         "it takes effect (YYYY-MM-DD)",
                         p->path, key->text);
    if (body->kind != YDOC_MAP)
        return ydoc_fail(l->doc, body, l->err,
                         "parameter %s: the value on %s must be a map {value: ..., reference: "
                         "...}",
                         p->path, key->text);
    int rc = ydoc_check_keys(l->doc, body, p->kind == PARAM_SCALE ? scale_value_keys : value_keys,
                             l->err);
    if (rc != SP_OK)
        return rc;
    const struct ydoc_node *reference = ydoc_get(body, "reference");
    if (reference == NULL || reference->kind != YDOC_SCALAR || reference->is_null ||
        reference->len == 0)
        return ydoc_fail(l->doc, reference ? reference : body, l->err,
                         "parameter %s: the value on %s needs a reference (its legal source)",
                         p->path, key->text);
    v.reference = reference->text;

    const struct ydoc_node *value = ydoc_get(body, "value");
    const struct ydoc_node *brackets = ydoc_get(body, "brackets");
    if (p->kind == PARAM_SCALE && brackets != NULL && value != NULL)
        return ydoc_fail(l->doc, value, l->err,
                         "parameter %s: give either brackets or value: null, not both", p->path);
    if (p->kind == PARAM_SCALE && brackets != NULL &&
        !(brackets->kind == YDOC_SCALAR && brackets->is_null)) {
        struct param_bracket *list = NULL;
        rc = parse_brackets(l, p, brackets, &list, &v.n_brackets);
        if (rc != SP_OK)
            return rc;
        v.brackets = list;
        v.is_set = 1;
        rc = param_add_value(l->set, p, &v, l->err);
        sp_free(list);
        if (rc != SP_OK)
            ydoc_prefix(l->doc, key, l->err);
        return rc;
    }
    if (value == NULL)
        return ydoc_fail(l->doc, body, l->err,
                         "parameter %s: the value on %s has no `%s` (write `value: null` if it is "
                         "not confirmed)",
                         p->path, key->text, p->kind == PARAM_SCALE ? "brackets" : "value");
    const char **items = NULL;
    if (value->kind == YDOC_SCALAR && value->is_null) {
        v.is_set = 0;
    } else if (p->kind == PARAM_SCALE) {
        return ydoc_fail(l->doc, value, l->err,
                         "parameter %s: a scale's value is given as brackets: [{threshold, "
                         "rate}, ...]",
                         p->path);
    } else if (p->kind == PARAM_LIST) {
        rc = parse_items(l, p, value, &items);
        if (rc != SP_OK)
            return rc;
        v.items = items;
        v.n_items = value->n;
        v.is_set = 1;
    } else if (value->kind != YDOC_SCALAR) {
        return ydoc_fail(l->doc, value, l->err, "parameter %s: expected a single %s value, not %s",
                         p->path, param_kind_name(p->kind), ydoc_kind_name(value->kind));
    } else if (p->kind == PARAM_TEXT) {
        v.text = value->text;
        v.is_set = 1;
    } else {
        rc = parse_number(l, p, value, &v);
        if (rc != SP_OK)
            return rc;
        v.is_set = 1;
    }
    rc = param_add_value(l->set, p, &v, l->err);
    sp_free(items);
    if (rc != SP_OK)
        ydoc_prefix(l->doc, key, l->err);
    return rc;
}

/* Checks that `values` (of the map owner) is a non-empty map of dates to values. */
static int check_values(const struct ydoc *doc, const char *path, const struct ydoc_node *owner,
                        const struct ydoc_node *values, struct error *err)
{
    if (values == NULL || (values->kind == YDOC_SCALAR && values->is_null))
        return ydoc_fail(doc, owner, err, "parameter %s has no values", path);
    if (values->kind != YDOC_MAP)
        return ydoc_fail(doc, values, err,
                         "parameter %s: values: expected a map of dates to {value, reference}, "
                         "not %s",
                         path, ydoc_kind_name(values->kind));
    if (values->n == 0)
        return ydoc_fail(doc, values, err, "parameter %s has no values", path);
    return SP_OK;
}

static int load_leaf(struct loader *l, const char *path, const struct ydoc_node *leaf)
{
    int rc = ydoc_check_keys(l->doc, leaf, leaf_keys, l->err);
    if (rc != SP_OK)
        return rc;
    const struct ydoc_node *values = ydoc_get(leaf, "values");
    rc = check_values(l->doc, path, leaf, values, l->err);
    if (rc != SP_OK)
        return rc;
    const struct ydoc_node *description = NULL;
    rc = ydoc_want(l->doc, leaf, "description", YDOC_SCALAR, &description, l->err);
    if (rc != SP_OK)
        return rc;
    enum param_kind kind = PARAM_INT;
    char currency[CURRENCY_CODE_SIZE];
    rc = leaf_kind(l, path, leaf, &kind, currency);
    if (rc != SP_OK)
        return rc;
    const struct ydoc_node *unit = ydoc_get(leaf, "unit");
    struct param *p = NULL;
    rc = param_set_define(
        l->set, path, kind, currency[0] ? currency : NULL, unit && !unit->is_null ? unit->text : "",
        description ? description->text : "", l->doc->file, leaf->line, &p, l->err);
    if (rc != SP_OK) {
        ydoc_prefix(l->doc, leaf, l->err);
        return rc;
    }
    for (int i = 0; i < values->n && rc == SP_OK; i++)
        rc = load_value(l, p, values->keys[i], values->items[i], NULL);
    return rc;
}

int param_load_values(struct param_set *set, struct param *p, const struct ydoc *doc,
                      const struct ydoc_node *owner, const char *overlay, struct error *err)
{
    const struct ydoc_node *values = ydoc_get(owner, "values");
    int rc = check_values(doc, p->path, owner, values, err);
    struct loader l = {set, doc, err};
    for (int i = 0; rc == SP_OK && i < values->n; i++)
        rc = load_value(&l, p, values->keys[i], values->items[i], overlay);
    return rc;
}

/* 1 if the map is written as a parameter (it has one of the keys only parameters have). */
static int looks_like_leaf(const struct ydoc_node *map)
{
    for (const char *const *k = leaf_keys; *k != NULL; k++)
        if (ydoc_get(map, *k) != NULL)
            return 1;
    return 0;
}

static int load_node(struct loader *l, const char *path, const struct ydoc_node *node)
{
    if (node->kind != YDOC_MAP)
        return ydoc_fail(l->doc, node, l->err,
                         "%s is misplaced: expected a parameter (a map with values) or a group "
                         "of parameters, not %s",
                         path, ydoc_kind_name(node->kind));
    if (looks_like_leaf(node))
        return load_leaf(l, path, node);
    if (node->n == 0)
        return ydoc_fail(l->doc, node, l->err, "parameter %s has no values", path);
    for (int i = 0; i < node->n; i++) {
        const char *name = node->keys[i]->text;
        char child[PARAM_PATH_MAX + 2];
        int w = snprintf(child, sizeof child, "%s.%s", path, name);
        if (!ydoc_is_name(name))
            return ydoc_fail(l->doc, node->keys[i], l->err,
                             "\"%s\" is not a parameter name: use lowercase letters, digits and _",
                             name);
        if (w < 0 || (size_t)w > PARAM_PATH_MAX)
            return ydoc_fail(l->doc, node->keys[i], l->err,
                             "parameter path %s.%s is longer than %d characters", path, name,
                             PARAM_PATH_MAX);
        int rc = load_node(l, child, node->items[i]);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

int param_load_doc(struct param_set *set, const struct ydoc *doc, struct error *err)
{
    struct loader l = {set, doc, err};
    const struct ydoc_node *root = doc->root, *ns = NULL, *parameters = NULL;
    if (root == NULL || root->kind != YDOC_MAP)
        return ydoc_fail(doc, root, err,
                         "a parameter file is a map with `namespace` and `parameters`");
    int rc = ydoc_check_keys(doc, root, file_keys, err);
    if (rc == SP_OK)
        rc = ydoc_need(doc, root, "namespace", YDOC_SCALAR, &ns, err);
    if (rc == SP_OK)
        rc = ydoc_need(doc, root, "parameters", YDOC_MAP, &parameters, err);
    if (rc != SP_OK)
        return rc;
    if (!ydoc_is_dotted_name(ns->text, 1, PARAM_PATH_MAX + 1))
        return ydoc_fail(doc, ns, err,
                         "namespace \"%s\" must be lowercase names joined by dots (np.ssa)",
                         ns->text);
    for (int i = 0; i < parameters->n; i++) {
        const char *name = parameters->keys[i]->text;
        if (!ydoc_is_name(name))
            return ydoc_fail(doc, parameters->keys[i], err,
                             "\"%s\" is not a parameter name: use lowercase letters, digits and _",
                             name);
        char path[PARAM_PATH_MAX + 2];
        int w = snprintf(path, sizeof path, "%s.%s", ns->text, name);
        if (w < 0 || (size_t)w > PARAM_PATH_MAX)
            return ydoc_fail(doc, parameters->keys[i], err,
                             "parameter path %s.%s is longer than %d characters", ns->text, name,
                             PARAM_PATH_MAX);
        rc = load_node(&l, path, parameters->items[i]);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

int param_load_file(struct param_set *set, const char *path, struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = ydoc_load_file(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    rc = param_load_doc(set, doc, err);
    ydoc_free(doc);
    return rc;
}
