#include "rules/scheme.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "model/person.h"
#include "rules/param_load.h"
#include "rules/scheme_words.h"

/* qsort, except that an empty array (which may be a NULL pointer) is left alone. */
static void sort_rows(void *base, size_t n, size_t size, int (*compare)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, compare);
}

static const char *const scheme_keys[] = {"id",           "name",
                                          "country",      "branch",
                                          "kind",         "currency",
                                          "params",       "valid_from",
                                          "valid_to",     "description",
                                          "rounding",     "contributions_from",
                                          "facts",        "values",
                                          "eligibility",  "qualifying",
                                          "amount",       "amount_unit",
                                          "per",          "payment_cycle",
                                          "contribution", "grandfathering",
                                          "optional",     "exclusive",
                                          "contingency",  NULL};
static const char *const contingency_keys[] = {"date", "parameters", "reference", NULL};
static const char *const condition_keys[] = {"name", "when", "description", "text", "figure", NULL};
static const char *const fact_keys[] = {"type", "description", "default", "assumed", NULL};
static const char *const exclusive_keys[] = {"group", "choice", "reference", NULL};
static const char *const cycle_keys[] = {"every_months", "every_weeks", "times_a_month",
                                         "reference", NULL};
static const char *const contribution_keys[] = {"wage",     "floor", "cap",     "employee",
                                                "employer", "state", "due_day", NULL};
static const char *const grandfather_keys[] = {"parameter", "enrolled_before", "keep_as_of",
                                               "reference", NULL};

static const char *const branches[] = {"medical_care",
                                       "sickness",
                                       "unemployment",
                                       "old_age",
                                       "employment_injury",
                                       "family",
                                       "maternity",
                                       "invalidity",
                                       "survivors",
                                       "general_assistance",
                                       NULL};

static const char *const part_names[3] = {"employee", "employer", "state"};

struct loader {
    struct ydoc *doc;
    const struct param_set *params;
    struct scheme *s;
    struct error *err;
};

/* ---- small checks ---- */

static int in_list(const char *s, const char *const *list)
{
    for (; *list != NULL; list++)
        if (strcmp(*list, s) == 0)
            return 1;
    return 0;
}

const char *scheme_kind_name(enum scheme_kind kind)
{
    return kind == SCHEME_CONTRIBUTORY ? "contributory" : "non_contributory";
}

static const char *const per_names[] = {"", "day", "month", "quarter", "year", "once", "fortnight"};

const char *scheme_per_name(enum scheme_per per)
{
    return (unsigned)per < sizeof per_names / sizeof per_names[0] ? per_names[per] : "";
}

int scheme_per_year(enum scheme_per per)
{
    switch (per) {
    case PER_FORTNIGHT:
        return 26;
    case PER_MONTH:
        return 12;
    case PER_QUARTER:
        return 4;
    case PER_YEAR:
        return 1;
    case PER_NONE:
    case PER_DAY:
    case PER_ONCE:
    default:
        return 0;
    }
}

void scheme_cycle_per_year(const struct scheme_cycle *c, int *numerator, int *denominator)
{
    *numerator = 12;
    *denominator = 1;
    if (c->every_weeks > 0) {
        *numerator = 52;
        *denominator = c->every_weeks;
    } else if (c->times_a_month > 0) {
        *numerator = 12 * c->times_a_month;
    } else if (c->every_months > 0) {
        *denominator = c->every_months;
    }
    int a = *numerator, b = *denominator; /* in lowest terms: 52/2 is 26/1 */
    while (b != 0) {
        int t = a % b;
        a = b;
        b = t;
    }
    *numerator /= a;
    *denominator /= a;
}

const struct scheme_cycle *scheme_cycle_at(const struct scheme *s, int32_t date)
{
    const struct scheme_cycle *found = NULL;
    for (int i = 0; i < s->n_cycles && s->cycles[i].since <= date; i++)
        found = &s->cycles[i];
    return found;
}

/* The units a benefit in kind may count (`amount_unit`). */
static const char *const amount_units[] = {"days", "kg", "litres", "items", NULL};

void scheme_amount_text(const struct scheme *s, int64_t amount, char *out, size_t size)
{
    if (s->amount_unit != NULL) {
        snprintf(out, size, "%lld", (long long)amount);
        return;
    }
    struct money m = {amount, ""};
    memcpy(m.currency, s->currency, CURRENCY_CODE_SIZE);
    money_format(m, out, size);
}

const char *scheme_amount_unit(const struct scheme *s)
{
    return s->amount_unit != NULL ? s->amount_unit : s->currency;
}

int scheme_on_contingency(const struct scheme *s, const char *path)
{
    for (int i = 0; i < s->n_contingency_params; i++)
        if (strcmp(s->contingency_params[i], path) == 0)
            return 1;
    return 0;
}

int scheme_same_group(const struct scheme *a, const struct scheme *b)
{
    return a->exclusive_group != NULL && b->exclusive_group != NULL &&
           strcmp(a->exclusive_group, b->exclusive_group) == 0;
}

int scheme_in_force(const struct scheme *s, int32_t date)
{
    if (s->valid_from != DATE_NONE && date < s->valid_from)
        return 0;
    if (s->valid_to != DATE_NONE && date > s->valid_to)
        return 0;
    return 1;
}

/* Where an expression's text starts: inside the quotes of a one-line quoted value. */
static struct expr_pos expr_pos_of(const struct loader *l, const struct ydoc_node *v)
{
    return scheme_text_pos(l->doc, v);
}

static void expr_absent(struct scheme_expr *e, const char *name)
{
    e->name = name;
    e->source = NULL;
    e->index = -1;
    memset(&e->pos, 0, sizeof e->pos);
}

/* Reads an expression scalar (the value of `key` in map, or the node itself when key is NULL). */
static int get_expr(struct loader *l, const struct ydoc_node *v, const char *name,
                    struct scheme_expr *out)
{
    expr_absent(out, name);
    if (v == NULL || (v->kind == YDOC_SCALAR && v->is_null))
        return SP_OK;
    if (v->kind != YDOC_SCALAR || v->len == 0)
        return ydoc_fail(l->doc, v, l->err, "%s: expected an expression, not %s", name,
                         ydoc_kind_name(v->kind));
    out->source = v->text;
    out->pos = expr_pos_of(l, v);
    return SP_OK;
}

/* ---- the parts of a scheme file ---- */

/*
 * `contributions_from`: a scheme id, or a list of them (whose rows all count, each month
 * once). The first is kept in contributions_from, the others in contributions_also.
 */
static int load_contributions_from(struct loader *l, const struct ydoc_node *from)
{
    struct scheme *s = l->s;
    const struct ydoc_node *const *ids = &from;
    int n = 1;
    if (from->kind == YDOC_SEQ) {
        ids = (const struct ydoc_node *const *)from->items;
        n = from->n;
        if (n == 0)
            return ydoc_fail(l->doc, from, l->err,
                             "contributions_from: give a scheme id, or a list of them");
    } else if (from->kind != YDOC_SCALAR) {
        return ydoc_fail(l->doc, from, l->err,
                         "contributions_from: expected a scheme id or a list of them, not %s",
                         ydoc_kind_name(from->kind));
    }
    if (n > 1) {
        s->contributions_also = sp_calloc((size_t)n - 1, sizeof *s->contributions_also);
        s->contributions_also_nodes = sp_calloc((size_t)n - 1, sizeof *s->contributions_also_nodes);
        if (s->contributions_also == NULL || s->contributions_also_nodes == NULL)
            return error_nomem(l->err);
    }
    for (int i = 0; i < n; i++) {
        const struct ydoc_node *id = ids[i];
        if (id->kind != YDOC_SCALAR || !ydoc_is_dotted_name(id->text, 3, SCHEME_ID_SIZE))
            return ydoc_fail(l->doc, id, l->err, "contributions_from \"%s\" must be a scheme id",
                             id->kind == YDOC_SCALAR ? id->text : ydoc_kind_name(id->kind));
        for (int j = 0; j < i; j++)
            if (strcmp(ids[j]->text, id->text) == 0)
                return ydoc_fail(l->doc, id, l->err, "contributions_from names %s twice", id->text);
        if (i == 0) {
            text_copy(s->contributions_from, sizeof s->contributions_from, id->text);
            s->contributions_from_node = id;
            continue;
        }
        s->contributions_also[i - 1] = id->text;
        s->contributions_also_nodes[i - 1] = id;
        s->n_contributions_also++;
    }
    return SP_OK;
}

static int load_header(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *id = NULL, *name = NULL, *country = NULL, *branch = NULL, *kind = NULL,
                           *currency = NULL, *params = NULL, *description = NULL, *rounding = NULL,
                           *from = NULL;
    int rc = ydoc_need(l->doc, root, "id", YDOC_SCALAR, &id, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, root, "name", YDOC_SCALAR, &name, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, root, "country", YDOC_SCALAR, &country, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, root, "branch", YDOC_SCALAR, &branch, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, root, "kind", YDOC_SCALAR, &kind, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, root, "currency", YDOC_SCALAR, &currency, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, root, "params", YDOC_SCALAR, &params, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, root, "description", YDOC_SCALAR, &description, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, root, "rounding", YDOC_SCALAR, &rounding, l->err);
    if (rc == SP_OK)
        from = ydoc_get(root, "contributions_from");
    if (rc != SP_OK)
        return rc;

    if (!ydoc_is_dotted_name(id->text, 3, SCHEME_ID_SIZE))
        return ydoc_fail(l->doc, id, l->err,
                         "id \"%s\" must be country.programme.scheme in lowercase letters, digits "
                         "and _ (np.ssa.senior_citizen), at most %d characters",
                         id->text, SCHEME_ID_SIZE - 1);
    text_copy(s->id, sizeof s->id, id->text);
    s->line = id->line;
    s->name = name->text;
    if (country->len != 2 || country->text[0] < 'A' || country->text[0] > 'Z' ||
        country->text[1] < 'A' || country->text[1] > 'Z')
        return ydoc_fail(l->doc, country, l->err,
                         "country \"%s\" must be an ISO 3166-1 alpha-2 code in capitals (NP)",
                         country->text);
    memcpy(s->country, country->text, 3);
    if (s->id[0] != country->text[0] + ('a' - 'A') || s->id[1] != country->text[1] + ('a' - 'A') ||
        s->id[2] != '.')
        return ydoc_fail(l->doc, id, l->err, "id \"%s\" must start with the country (%c%c.)", s->id,
                         country->text[0] + ('a' - 'A'), country->text[1] + ('a' - 'A'));
    if (!in_list(branch->text, branches))
        return ydoc_fail(l->doc, branch, l->err,
                         "branch \"%s\" is not known: use medical_care, sickness, unemployment, "
                         "old_age, employment_injury, family, maternity, invalidity, survivors "
                         "or general_assistance",
                         branch->text);
    s->branch = branch->text;
    if (strcmp(kind->text, "contributory") == 0)
        s->kind = SCHEME_CONTRIBUTORY;
    else if (strcmp(kind->text, "non_contributory") == 0)
        s->kind = SCHEME_NON_CONTRIBUTORY;
    else
        return ydoc_fail(l->doc, kind, l->err,
                         "kind \"%s\" is not known: use contributory or non_contributory",
                         kind->text);
    if (currency->len != 3 || currency_find(currency->text) == NULL)
        return ydoc_fail(l->doc, currency, l->err,
                         "currency \"%s\" is not a currency spfloor knows", currency->text);
    memcpy(s->currency, currency->text, CURRENCY_CODE_SIZE);
    s->params = "";
    if (params != NULL) {
        if (!ydoc_is_dotted_name(params->text, 1, SCHEME_ID_SIZE))
            return ydoc_fail(l->doc, params, l->err,
                             "params \"%s\" must be a parameter namespace such as np.ssa",
                             params->text);
        s->params = params->text;
    }
    s->description = description ? description->text : "";
    s->rounding = ROUND_HALF_UP;
    if (rounding != NULL && rounding_parse(rounding->text, &s->rounding, l->err) != SP_OK) {
        ydoc_prefix(l->doc, rounding, l->err);
        return l->err->code;
    }
    text_copy(s->contributions_from, sizeof s->contributions_from, s->id);
    if (from != NULL) {
        rc = load_contributions_from(l, from);
        if (rc != SP_OK)
            return rc;
    }
    rc = ydoc_get_date(l->doc, root, "valid_from", 0, &s->valid_from, l->err);
    if (rc == SP_OK)
        rc = ydoc_get_date(l->doc, root, "valid_to", 0, &s->valid_to, l->err);
    if (rc != SP_OK)
        return rc;
    if (s->valid_from != DATE_NONE && s->valid_to != DATE_NONE && s->valid_to < s->valid_from)
        return ydoc_fail(l->doc, ydoc_get(root, "valid_to"), l->err,
                         "valid_to is before valid_from");
    return SP_OK;
}

static int fact_type(struct loader *l, const struct ydoc_node *type, struct expr_type *out)
{
    static const struct {
        const char *name;
        enum expr_kind kind;
    } types[] = {
        {"int", EXPR_INT},     {"decimal", EXPR_DECIMAL}, {"bool", EXPR_BOOL},
        {"text", EXPR_STRING}, {"date", EXPR_DATE},       {"money", EXPR_MONEY},
    };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
        if (strcmp(types[i].name, type->text) == 0) {
            out->kind = types[i].kind;
            if (out->kind == EXPR_MONEY)
                memcpy(out->currency, l->s->currency, CURRENCY_CODE_SIZE);
            return SP_OK;
        }
    }
    return ydoc_fail(l->doc, type, l->err,
                     "fact type \"%s\" is not known: use int, decimal, bool, text, date or money",
                     type->text);
}

/*
 * A fact's `default` (a value of its type, read where the person does not give it) and
 * `assumed` (the default in words, for explanations; only with a default).
 */
static int fact_default(struct loader *l, const struct ydoc_node *decl, struct expr_fact_decl *f)
{
    const struct ydoc_node *value = NULL, *assumed = NULL;
    int rc = ydoc_want(l->doc, decl, "default", YDOC_SCALAR, &value, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, decl, "assumed", YDOC_SCALAR, &assumed, l->err);
    if (rc != SP_OK)
        return rc;
    if (assumed != NULL && value == NULL)
        return ydoc_fail(l->doc, assumed, l->err,
                         "`assumed` says what a `default` means: give one");
    if (value == NULL)
        return SP_OK;
    if (value->text[0] == '\0' || !expr_fact_value_valid(f, value->text))
        return ydoc_fail(l->doc, value, l->err, "default \"%s\" is not a value of the fact's type",
                         value->text);
    f->default_value = value->text;
    f->assumed = assumed != NULL && assumed->text[0] != '\0' ? assumed->text : NULL;
    return SP_OK;
}

static int load_facts(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *facts = NULL;
    int rc = ydoc_want(l->doc, root, "facts", YDOC_MAP, &facts, l->err);
    if (rc != SP_OK || facts == NULL || facts->n == 0)
        return rc;
    if (facts->n > PERSON_EXTRA_MAX)
        return ydoc_fail(l->doc, facts, l->err, "a scheme may declare at most %d facts",
                         PERSON_EXTRA_MAX);
    s->facts = sp_calloc((size_t)facts->n, sizeof *s->facts);
    s->fact_descriptions = sp_calloc((size_t)facts->n, sizeof *s->fact_descriptions);
    if (s->facts == NULL || s->fact_descriptions == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < facts->n; i++) {
        const struct ydoc_node *key = facts->keys[i], *decl = facts->items[i], *type = NULL,
                               *description = NULL;
        if (!ydoc_is_name(key->text) || key->len >= PERSON_EXTRA_NAME_SIZE)
            return ydoc_fail(l->doc, key, l->err,
                             "fact \"%s\": a name is lowercase letters, digits and _, at most %d "
                             "characters",
                             key->text, PERSON_EXTRA_NAME_SIZE - 1);
        if (person_field_find(key->text) != NULL)
            return ydoc_fail(l->doc, key, l->err,
                             "fact \"%s\" is already in the facts vocabulary: do not declare it",
                             key->text);
        rc = ydoc_expect(l->doc, facts, decl, YDOC_MAP, "a fact {type, description}", l->err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(l->doc, decl, fact_keys, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, decl, "type", YDOC_SCALAR, &type, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, decl, "description", YDOC_SCALAR, &description, l->err);
        if (rc == SP_OK)
            rc = fact_type(l, type, &s->facts[i].type);
        if (rc == SP_OK)
            rc = fact_default(l, decl, &s->facts[i]);
        if (rc != SP_OK)
            return rc;
        s->facts[i].name = key->text;
        s->fact_descriptions[i] = description->text;
        s->n_facts++;
    }
    return SP_OK;
}

/* `optional: true|false`: only a contributory scheme may be optional. */
static int load_optional(struct loader *l, const struct ydoc_node *root)
{
    const struct ydoc_node *optional = NULL;
    int rc = ydoc_want(l->doc, root, "optional", YDOC_SCALAR, &optional, l->err);
    if (rc != SP_OK || optional == NULL)
        return rc;
    if (strcmp(optional->text, "true") != 0 && strcmp(optional->text, "false") != 0)
        return ydoc_fail(l->doc, optional, l->err, "optional is true or false, not \"%s\"",
                         optional->text);
    l->s->optional = strcmp(optional->text, "true") == 0;
    if (l->s->optional && l->s->kind != SCHEME_CONTRIBUTORY)
        return ydoc_fail(l->doc, optional, l->err,
                         "only a contributory scheme may be optional (a voluntary contribution)");
    return SP_OK;
}

/*
 * `exclusive: {group, choice?, reference}`: the scheme belongs to an exclusion group (one of
 * its schemes is paid); `choice` names an extra fact the scheme declares, of type text.
 */
static int load_exclusive(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *ex = NULL, *group = NULL, *choice = NULL, *reference = NULL;
    int rc = ydoc_want(l->doc, root, "exclusive", YDOC_MAP, &ex, l->err);
    if (rc != SP_OK || ex == NULL)
        return rc;
    rc = ydoc_check_keys(l->doc, ex, exclusive_keys, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, ex, "group", YDOC_SCALAR, &group, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, ex, "reference", YDOC_SCALAR, &reference, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, ex, "choice", YDOC_SCALAR, &choice, l->err);
    if (rc != SP_OK)
        return rc;
    if (!ydoc_is_dotted_name(group->text, 2, SCHEME_ID_SIZE))
        return ydoc_fail(l->doc, group, l->err,
                         "group \"%s\" must be a dotted lowercase name such as np.ssa.allowance",
                         group->text);
    if (reference->text[0] == '\0')
        return ydoc_fail(l->doc, reference, l->err, "reference: give the rule's legal source");
    if (choice != NULL) {
        int found = 0;
        for (int i = 0; i < s->n_facts; i++)
            found |=
                strcmp(s->facts[i].name, choice->text) == 0 && s->facts[i].type.kind == EXPR_STRING;
        if (!found)
            return ydoc_fail(
                l->doc, choice, l->err,
                "choice \"%s\" must be a fact of type text declared under facts:", choice->text);
        s->exclusive_choice = choice->text;
    }
    s->exclusive_group = group->text;
    s->exclusive_reference = reference->text;
    return SP_OK;
}

/* Reads `values:`, a map of names to expressions, in order. */
static int load_values(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *values = NULL;
    int rc = ydoc_want(l->doc, root, "values", YDOC_MAP, &values, l->err);
    if (rc != SP_OK || values == NULL || values->n == 0)
        return rc;
    s->values = sp_calloc((size_t)values->n, sizeof *s->values);
    s->value_names = sp_calloc((size_t)values->n, sizeof *s->value_names);
    if (s->values == NULL || s->value_names == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < values->n; i++) {
        const struct ydoc_node *key = values->keys[i];
        if (!ydoc_is_name(key->text))
            return ydoc_fail(l->doc, key, l->err,
                             "value \"%s\": a name is lowercase letters, digits and _", key->text);
        rc = get_expr(l, values->items[i], key->text, &s->values[i]);
        if (rc != SP_OK)
            return rc;
        if (s->values[i].source == NULL)
            return ydoc_fail(l->doc, values->items[i], l->err, "value %s has no expression",
                             key->text);
        s->value_names[i] = key->text;
        s->n_values++;
    }
    return SP_OK;
}

/*
 * A condition's `text` and `figure` (English), condition number k of the scheme. A figure
 * says what the facts show of what the text asks: it needs a text.
 */
static int load_words(struct loader *l, const struct ydoc_node *c, int k)
{
    const struct ydoc_node *text = NULL, *figure = NULL;
    int rc = ydoc_want(l->doc, c, "text", YDOC_SCALAR, &text, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, c, "figure", YDOC_SCALAR, &figure, l->err);
    if (rc != SP_OK || (text == NULL && figure == NULL))
        return rc;
    if (text == NULL)
        return ydoc_fail(l->doc, figure, l->err, "a figure goes with a text: give the text");
    return scheme_words_add(l->s, l->params, k, "en", l->doc, text, figure, l->err);
}

/* Reads `eligibility:` or `qualifying:`: a list of {name, when, text?, figure?}. */
static int load_conditions(struct loader *l, const struct ydoc_node *root, const char *key,
                           struct scheme_expr **out, int *n_out)
{
    /* the number of this list's first condition: eligibility is read first, from 0 */
    int first = l->s->n_eligibility;
    const struct ydoc_node *list = NULL;
    int rc = ydoc_want(l->doc, root, key, YDOC_SEQ, &list, l->err);
    if (rc != SP_OK || list == NULL || list->n == 0)
        return rc;
    struct scheme_expr *conditions = sp_calloc((size_t)list->n, sizeof *conditions);
    if (conditions == NULL)
        return error_nomem(l->err);
    *out = conditions;
    for (int i = 0; i < list->n; i++) {
        const struct ydoc_node *c = list->items[i], *name = NULL, *when = NULL;
        rc = ydoc_expect(l->doc, list, c, YDOC_MAP, "a condition {name, when}", l->err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(l->doc, c, condition_keys, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, c, "name", YDOC_SCALAR, &name, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, c, "when", YDOC_SCALAR, &when, l->err);
        if (rc != SP_OK)
            return rc;
        if (!ydoc_is_name(name->text))
            return ydoc_fail(l->doc, name, l->err,
                             "condition \"%s\": a name is lowercase letters, digits and _",
                             name->text);
        for (int j = 0; j < i; j++)
            if (strcmp(conditions[j].name, name->text) == 0)
                return ydoc_fail(l->doc, name, l->err, "condition %s is named twice", name->text);
        rc = get_expr(l, when, name->text, &conditions[i]);
        if (rc == SP_OK)
            rc = load_words(l, c, first + i);
        if (rc != SP_OK)
            return rc;
        (*n_out)++;
    }
    return SP_OK;
}

static int load_amount(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *per = NULL, *unit = NULL;
    int rc = get_expr(l, ydoc_get(root, "amount"), "amount", &s->amount);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, root, "per", YDOC_SCALAR, &per, l->err);
    if (rc == SP_OK)
        rc = ydoc_want(l->doc, root, "amount_unit", YDOC_SCALAR, &unit, l->err);
    if (rc != SP_OK)
        return rc;
    if (unit != NULL) {
        if (!in_list(unit->text, amount_units))
            return ydoc_fail(l->doc, unit, l->err,
                             "amount_unit \"%s\" is not known: use days, kg, litres or items "
                             "(leave it out for money)",
                             unit->text);
        if (s->amount.source == NULL)
            return ydoc_fail(l->doc, unit, l->err,
                             "amount_unit says what `amount` counts: give one");
        s->amount_unit = unit->text;
    }
    s->per = PER_NONE;
    if (per != NULL) {
        for (int i = PER_DAY; i <= PER_FORTNIGHT; i++)
            if (strcmp(per_names[i], per->text) == 0)
                s->per = (enum scheme_per)i;
        if (s->per == PER_NONE)
            return ydoc_fail(l->doc, per, l->err,
                             "per \"%s\" is not known: use day, fortnight, month, quarter, year "
                             "or once",
                             per->text);
    }
    if (s->amount.source != NULL && s->per == PER_NONE)
        return ydoc_fail(l->doc, ydoc_get(root, "amount"), l->err,
                         "a scheme with an amount needs `per` (day, fortnight, month, quarter, "
                         "year, once)");
    return SP_OK;
}

static int load_cycles(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *cycles = NULL;
    int rc = ydoc_want(l->doc, root, "payment_cycle", YDOC_MAP, &cycles, l->err);
    if (rc != SP_OK || cycles == NULL || cycles->n == 0)
        return rc;
    s->cycles = sp_calloc((size_t)cycles->n, sizeof *s->cycles);
    if (s->cycles == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < cycles->n; i++) {
        const struct ydoc_node *key = cycles->keys[i], *c = cycles->items[i], *reference = NULL;
        struct scheme_cycle *cycle = &s->cycles[i];
        struct error ignored;
        error_init(&ignored);
        if (date_parse(key->text, &cycle->since, &ignored) != SP_OK)
            return ydoc_fail(l->doc, key, l->err,
                             "payment_cycle: \"%s\" is not a date: each cycle is keyed by the "
                             "date it takes effect (YYYY-MM-DD)",
                             key->text);
        if (i > 0 && cycle->since <= s->cycles[i - 1].since)
            return ydoc_fail(l->doc, key, l->err, "payment_cycle: dates must go up");
        rc = ydoc_expect(l->doc, cycles, c, YDOC_MAP,
                         "a cycle {every_months | every_weeks | times_a_month, reference}", l->err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(l->doc, c, cycle_keys, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, c, "reference", YDOC_SCALAR, &reference, l->err);
        if (rc != SP_OK)
            return rc;
        /* exactly one of the three ways to say how often */
        static const struct {
            const char *key;
            long long min, max;
        } ways[] = {{"every_months", 1, 120}, {"every_weeks", 1, 52}, {"times_a_month", 2, 4}};
        int *fields[] = {&cycle->every_months, &cycle->every_weeks, &cycle->times_a_month};
        const struct ydoc_node *given = NULL;
        for (int w = 0; w < 3; w++) {
            const struct ydoc_node *v = NULL;
            rc = ydoc_want(l->doc, c, ways[w].key, YDOC_SCALAR, &v, l->err);
            if (rc != SP_OK)
                return rc;
            if (v == NULL)
                continue;
            if (given != NULL)
                return ydoc_fail(l->doc, v, l->err,
                                 "a cycle says how often once: every_months, every_weeks or "
                                 "times_a_month");
            long long n;
            if (!text_parse_int64(v->text, &n) || n < ways[w].min || n > ways[w].max)
                return ydoc_fail(l->doc, v, l->err,
                                 "%s \"%s\" must be a whole number from %lld to %lld", ways[w].key,
                                 v->text, ways[w].min, ways[w].max);
            *fields[w] = (int)n;
            given = v;
        }
        if (given == NULL)
            return ydoc_fail(l->doc, c, l->err,
                             "a cycle needs every_months, every_weeks or times_a_month");
        cycle->reference = reference->text;
        s->n_cycles++;
    }
    return SP_OK;
}

/* `due_day: <parameter>`: the day of the next month by which a month's contribution is due,
 * a whole-number parameter of the scheme's namespace (ledger/ledger.h reads it). */
static int load_due_day(struct loader *l, const struct ydoc_node *node)
{
    struct scheme *s = l->s;
    if (node == NULL)
        return SP_OK;
    if (node->kind != YDOC_SCALAR)
        return ydoc_fail(l->doc, node, l->err, "due_day names a parameter (pension.due_day)");
    char path[256];
    snprintf(path, sizeof path, "%s%s%s", s->params, s->params[0] ? "." : "", node->text);
    const struct param *p = l->params ? param_set_find(l->params, path) : NULL;
    if (p == NULL)
        return ydoc_fail(l->doc, node, l->err,
                         "due_day: parameter %s is not defined in any parameter file", path);
    if (p->kind != PARAM_INT)
        return ydoc_fail(l->doc, node, l->err,
                         "due_day: parameter %s must be a whole number (a day of the month)", path);
    s->due_day = p->path;
    return SP_OK;
}

static int load_contribution(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *c = NULL;
    expr_absent(&s->wage, "contribution.wage");
    expr_absent(&s->floor, "contribution.floor");
    expr_absent(&s->cap, "contribution.cap");
    expr_absent(&s->parts[0], "contribution.employee");
    expr_absent(&s->parts[1], "contribution.employer");
    expr_absent(&s->parts[2], "contribution.state");
    int rc = ydoc_want(l->doc, root, "contribution", YDOC_MAP, &c, l->err);
    if (rc != SP_OK || c == NULL)
        return rc;
    if (s->kind != SCHEME_CONTRIBUTORY)
        return ydoc_fail(l->doc, c, l->err,
                         "a contribution block needs kind: contributory (this scheme is %s)",
                         scheme_kind_name(s->kind));
    rc = ydoc_check_keys(l->doc, c, contribution_keys, l->err);
    if (rc != SP_OK)
        return rc;
    const struct ydoc_node *wage = NULL;
    rc = ydoc_want(l->doc, c, "wage", YDOC_SCALAR, &wage, l->err);
    if (rc == SP_OK)
        rc = get_expr(l, wage, "contribution.wage", &s->wage);
    if (rc == SP_OK)
        rc = get_expr(l, ydoc_get(c, "floor"), "contribution.floor", &s->floor);
    if (rc == SP_OK)
        rc = get_expr(l, ydoc_get(c, "cap"), "contribution.cap", &s->cap);
    int parts = 0;
    for (int i = 0; i < 3 && rc == SP_OK; i++) {
        rc = get_expr(l, ydoc_get(c, part_names[i]), s->parts[i].name, &s->parts[i]);
        parts += s->parts[i].source != NULL;
    }
    if (rc != SP_OK)
        return rc;
    if (parts == 0)
        return ydoc_fail(l->doc, c, l->err,
                         "a contribution block needs at least one of employee, employer, state");
    /* without a wage, each part is a fixed amount (checked once compiled): nothing to clamp */
    const char *bounds[] = {"floor", "cap"};
    for (int i = 0; i < 2 && s->wage.source == NULL; i++)
        if (ydoc_get(c, bounds[i]) != NULL)
            return ydoc_fail(l->doc, ydoc_get(c, bounds[i]), l->err,
                             "%s bounds the wage: a contribution without a wage has none",
                             bounds[i]);
    s->has_contribution = 1;
    return load_due_day(l, ydoc_get(c, "due_day"));
}

static int load_grandfathering(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *list = NULL;
    int rc = ydoc_want(l->doc, root, "grandfathering", YDOC_SEQ, &list, l->err);
    if (rc != SP_OK || list == NULL || list->n == 0)
        return rc;
    s->grandfathers = sp_calloc((size_t)list->n, sizeof *s->grandfathers);
    s->grandfather_references = sp_calloc((size_t)list->n, sizeof *s->grandfather_references);
    if (s->grandfathers == NULL || s->grandfather_references == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < list->n; i++) {
        const struct ydoc_node *g = list->items[i], *parameter = NULL, *reference = NULL;
        struct expr_grandfather *rule = &s->grandfathers[i];
        rc = ydoc_expect(l->doc, list, g, YDOC_MAP,
                         "a rule {parameter, enrolled_before, keep_as_of, reference}", l->err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(l->doc, g, grandfather_keys, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, g, "parameter", YDOC_SCALAR, &parameter, l->err);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, g, "reference", YDOC_SCALAR, &reference, l->err);
        if (rc == SP_OK)
            rc = ydoc_get_date(l->doc, g, "enrolled_before", 1, &rule->enrolled_before, l->err);
        if (rc == SP_OK)
            rc = ydoc_get_date(l->doc, g, "keep_as_of", 1, &rule->keep_as_of, l->err);
        if (rc != SP_OK)
            return rc;
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", s->params, s->params[0] ? "." : "", parameter->text);
        const struct param *p = l->params ? param_set_find(l->params, path) : NULL;
        if (p == NULL)
            return ydoc_fail(l->doc, parameter, l->err,
                             "grandfathering: parameter %s is not defined in any parameter file",
                             path);
        rule->path = p->path;
        s->grandfather_references[i] = reference->text;
        s->n_grandfathers++;
    }
    return SP_OK;
}

/*
 * `contingency: {date, parameters, reference}`: the parameters listed (relative to `params`,
 * defined, not grandfathered) are read on the date the expression gives (the birth, the
 * injury, the job loss) instead of the evaluation date.
 */
static int load_contingency(struct loader *l, const struct ydoc_node *root)
{
    struct scheme *s = l->s;
    const struct ydoc_node *c = NULL, *date = NULL, *list = NULL, *reference = NULL;
    expr_absent(&s->contingency_date, "contingency.date");
    int rc = ydoc_want(l->doc, root, "contingency", YDOC_MAP, &c, l->err);
    if (rc != SP_OK || c == NULL)
        return rc;
    rc = ydoc_check_keys(l->doc, c, contingency_keys, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, c, "date", YDOC_SCALAR, &date, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, c, "parameters", YDOC_SEQ, &list, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, c, "reference", YDOC_SCALAR, &reference, l->err);
    if (rc == SP_OK)
        rc = get_expr(l, date, "contingency.date", &s->contingency_date);
    if (rc != SP_OK)
        return rc;
    if (s->contingency_date.source == NULL)
        return ydoc_fail(l->doc, date, l->err, "contingency: give the date as an expression");
    if (reference->text[0] == '\0')
        return ydoc_fail(l->doc, reference, l->err, "reference: give the rule's legal source");
    if (list->n == 0)
        return ydoc_fail(l->doc, list, l->err,
                         "contingency: list the parameters read on the contingency's date");
    s->contingency_params = sp_calloc((size_t)list->n, sizeof *s->contingency_params);
    s->contingency_refs = sp_calloc((size_t)list->n, sizeof *s->contingency_refs);
    if (s->contingency_params == NULL || s->contingency_refs == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < list->n; i++) {
        const struct ydoc_node *name = list->items[i];
        if (name->kind != YDOC_SCALAR)
            return ydoc_fail(l->doc, name, l->err, "contingency: expected a parameter's name");
        char path[256];
        snprintf(path, sizeof path, "%s%s%s", s->params, s->params[0] ? "." : "", name->text);
        const struct param *p = l->params ? param_set_find(l->params, path) : NULL;
        if (p == NULL)
            return ydoc_fail(l->doc, name, l->err,
                             "contingency: parameter %s is not defined in any parameter file",
                             path);
        for (int g = 0; g < s->n_grandfathers; g++)
            if (strcmp(s->grandfathers[g].path, p->path) == 0)
                return ydoc_fail(l->doc, name, l->err,
                                 "contingency: parameter %s is grandfathered: a parameter is "
                                 "read on one date",
                                 path);
        if (scheme_on_contingency(s, p->path))
            return ydoc_fail(l->doc, name, l->err, "contingency: %s is listed twice", path);
        s->contingency_refs[s->n_contingency_params] = p;
        s->contingency_params[s->n_contingency_params++] = p->path;
    }
    s->contingency_reference = reference->text;
    return SP_OK;
}

/* ---- compiling ---- */

/* Compiles one expression into the unit (if present), wanting the given type (or any). */
static int compile(struct loader *l, struct scheme_expr *e, int named, const struct expr_type *want)
{
    if (e->source == NULL)
        return SP_OK;
    return expr_unit_add(l->s->unit, named ? e->name : NULL, e->source, e->pos, want, &e->index,
                         l->err);
}

/* Checks the type of a contribution part: a rate (decimal or int) or money in the currency. */
static int check_part_type(struct loader *l, const struct scheme_expr *e)
{
    if (e->index < 0)
        return SP_OK;
    struct expr_type t = expr_unit_type(l->s->unit, e->index);
    if ((t.kind == EXPR_DECIMAL || t.kind == EXPR_INT) && l->s->wage.source != NULL)
        return SP_OK;
    if (t.kind == EXPR_MONEY && strcmp(t.currency, l->s->currency) == 0)
        return SP_OK;
    if (l->s->wage.source == NULL)
        return error_set(l->err, SP_BAD_INPUT,
                         "%s:%d:%d: %s must be an amount of %s money: a contribution without a "
                         "wage has no base for a rate",
                         e->pos.file, e->pos.line, e->pos.col, e->name, l->s->currency);
    return error_set(l->err, SP_BAD_INPUT,
                     "%s:%d:%d: %s must be a rate (a decimal) or an amount of %s money",
                     e->pos.file, e->pos.line, e->pos.col, e->name, l->s->currency);
}

static int compile_scheme(struct loader *l)
{
    struct scheme *s = l->s;
    s->scope.params = l->params;
    s->scope.param_namespace = s->params;
    s->scope.currency = s->currency;
    s->scope.rounding = s->rounding;
    s->scope.scheme_id = s->id;
    s->scope.contribution_scheme = s->contributions_from;
    s->scope.contribution_schemes_also = s->contributions_also;
    s->scope.n_contribution_schemes_also = s->n_contributions_also;
    s->scope.extra_facts = s->facts;
    s->scope.n_extra_facts = s->n_facts;
    s->scope.grandfathers = s->grandfathers;
    s->scope.n_grandfathers = s->n_grandfathers;
    int rc = expr_unit_new(&s->scope, &s->unit, l->err);
    if (rc != SP_OK)
        return rc;
    struct expr_type boolean = {.kind = EXPR_BOOL};
    struct expr_type money = {.kind = EXPR_MONEY};
    memcpy(money.currency, s->currency, CURRENCY_CODE_SIZE);
    for (int i = 0; i < s->n_values && rc == SP_OK; i++)
        rc = compile(l, &s->values[i], 1, NULL);
    for (int i = 0; i < s->n_eligibility && rc == SP_OK; i++)
        rc = compile(l, &s->eligibility[i], 0, &boolean);
    for (int i = 0; i < s->n_qualifying && rc == SP_OK; i++)
        rc = compile(l, &s->qualifying[i], 0, &boolean);
    struct expr_type count = {.kind = EXPR_INT};
    if (rc == SP_OK)
        rc = compile(l, &s->amount, 0, s->amount_unit != NULL ? &count : &money);
    if (rc == SP_OK)
        rc = compile(l, &s->wage, 0, &money);
    if (rc == SP_OK)
        rc = compile(l, &s->floor, 0, &money);
    if (rc == SP_OK)
        rc = compile(l, &s->cap, 0, &money);
    for (int i = 0; i < 3 && rc == SP_OK; i++) {
        rc = compile(l, &s->parts[i], 0, NULL);
        if (rc == SP_OK)
            rc = check_part_type(l, &s->parts[i]);
    }
    struct expr_type date = {.kind = EXPR_DATE};
    if (rc == SP_OK)
        rc = compile(l, &s->contingency_date, 0, &date);
    return rc;
}

/* ---- one scheme ---- */

void scheme_free(struct scheme *s)
{
    if (s == NULL)
        return;
    expr_unit_free(s->unit);
    scheme_words_release(s);
    sp_free(s->value_names);
    sp_free(s->facts);
    sp_free(s->fact_descriptions);
    sp_free(s->values);
    sp_free(s->eligibility);
    sp_free(s->qualifying);
    sp_free(s->cycles);
    sp_free(s->contributions_also);
    sp_free(s->contingency_params);
    sp_free(s->contingency_refs);
    sp_free(s->contributions_also_nodes);
    sp_free(s->grandfathers);
    sp_free(s->grandfather_references);
    for (int i = 0; i < s->n_changes; i++)
        sp_free(s->changes[i].text);
    sp_free(s->changes);
    for (int i = 0; i < s->n_owned_sources; i++)
        sp_free(s->owned_sources[i]);
    sp_free(s->owned_sources);
    ydoc_free(s->doc);
    sp_free(s);
}

#define TARGET_NONE   (-2) /* target_slot: the scheme has no such condition, or no amount */
#define TARGET_AMOUNT (-1)

/* Which expression a change targets: TARGET_AMOUNT, the condition's number (eligibility
 * conditions, then qualifying ones), or TARGET_NONE. */
static int target_slot(const struct scheme *s, const char *target)
{
    if (strcmp(target, "amount") == 0)
        return s->amount.source != NULL ? TARGET_AMOUNT : TARGET_NONE;
    for (int i = 0; i < s->n_eligibility; i++)
        if (strcmp(s->eligibility[i].name, target) == 0)
            return i;
    for (int i = 0; i < s->n_qualifying; i++)
        if (strcmp(s->qualifying[i].name, target) == 0)
            return s->n_eligibility + i;
    return TARGET_NONE;
}

/* The expression in a slot target_slot found (not TARGET_NONE). */
static struct scheme_expr *slot_expr(struct scheme *s, int slot)
{
    if (slot == TARGET_AMOUNT)
        return &s->amount;
    return slot < s->n_eligibility ? &s->eligibility[slot]
                                   : &s->qualifying[slot - s->n_eligibility];
}

int scheme_check_change(const struct scheme *s, const struct scheme_change *c, struct error *err)
{
    int slot = target_slot(s, c->target);
    if (slot == TARGET_NONE && strcmp(c->target, "amount") == 0)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: scheme %s has no amount to change",
                         c->pos.file, c->pos.line, c->pos.col, s->id);
    if (slot == TARGET_NONE)
        return error_set(err, SP_BAD_INPUT, "%s:%d:%d: scheme %s has no condition \"%s\"",
                         c->pos.file, c->pos.line, c->pos.col, s->id, c->target);
    struct expr_unit *unit = NULL;
    int rc = expr_unit_new(&s->scope, &unit, err);
    for (int i = 0; rc == SP_OK && i < s->n_values; i++)
        rc = expr_unit_add(unit, s->values[i].name, s->values[i].source, s->values[i].pos, NULL,
                           &(int){0}, err);
    struct expr_type want = {.kind = slot != TARGET_AMOUNT    ? EXPR_BOOL
                                     : s->amount_unit != NULL ? EXPR_INT
                                                              : EXPR_MONEY};
    if (want.kind == EXPR_MONEY)
        memcpy(want.currency, s->currency, CURRENCY_CODE_SIZE);
    if (rc == SP_OK)
        rc = expr_unit_add(unit, NULL, c->source, c->pos, &want, &(int){0}, err);
    expr_unit_free(unit);
    return rc;
}

const struct scheme_change_note *scheme_change_at(const struct scheme *s, const char *target,
                                                  int32_t date)
{
    const struct scheme_change_note *found = NULL;
    for (int i = 0; i < s->n_changes; i++)
        if (s->changes[i].from <= date && strcmp(s->changes[i].target, target) == 0)
            found = &s->changes[i];
    return found;
}

/* Keeps a string the scheme owns; NULL when out of memory (then s owns nothing new). */
static char *own_text(struct scheme *s, size_t size)
{
    char **grown = sp_reallocarray(s->owned_sources, (size_t)s->n_owned_sources + 1, sizeof *grown);
    if (grown == NULL)
        return NULL;
    s->owned_sources = grown;
    char *text = sp_malloc(size);
    if (text != NULL)
        s->owned_sources[s->n_owned_sources++] = text;
    return text;
}

/* Copies source into out (size bytes) on one line: line breaks become spaces, and trailing
 * white space is dropped, so that an explanation line stays one line. */
static void one_line(char *out, size_t size, const char *source)
{
    size_t n = 0;
    for (; *source != '\0' && n + 1 < size; source++)
        out[n++] = *source == '\n' || *source == '\r' ? ' ' : *source;
    while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '\t'))
        n--;
    out[n] = '\0';
}

/* Rewrites the target of change c as `as_of >= date(FROM) ? (NEW) : (OLD)`, and notes it. */
static int apply_change(struct loader *l, const struct scheme_change *c)
{
    struct scheme *s = l->s;
    struct scheme_expr *e = slot_expr(s, target_slot(s, c->target));
    char from[DATE_TEXT_SIZE];
    date_format(c->from, from);
    size_t size = strlen(c->source) + strlen(e->source) + 64;
    char *source = own_text(s, size);
    struct scheme_change_note *notes =
        sp_reallocarray(s->changes, (size_t)s->n_changes + 1, sizeof *notes);
    if (source == NULL || notes == NULL)
        return error_nomem(l->err);
    s->changes = notes;
    /* each part on lines of its own: a // comment ending one cannot swallow what follows */
    snprintf(source, size, "as_of >= date(\"%s\") ? (\n%s\n) : (\n%s\n)", from, c->source,
             e->source);
    e->source = source;
    size = strlen(c->overlay) + strlen(c->reference) + strlen(c->source) + 64;
    struct scheme_change_note *note = &s->changes[s->n_changes];
    note->target = e->name;
    note->from = c->from;
    note->text = sp_malloc(size);
    if (note->text == NULL)
        return error_nomem(l->err);
    s->n_changes++;
    int at =
        snprintf(note->text, size, "overlay %s (since %s: %s): ", c->overlay, from, c->reference);
    one_line(note->text + at, size - (size_t)at, c->source);
    return SP_OK;
}

/* Compiles the scheme, then again with the changes that name it, once each is checked. */
static int compile_changed(struct loader *l, const struct scheme_change *changes, int n)
{
    int rc = compile_scheme(l), applied = 0;
    for (int i = 0; rc == SP_OK && i < n; i++) {
        if (strcmp(changes[i].scheme, l->s->id) != 0)
            continue;
        rc = scheme_check_change(l->s, &changes[i], l->err);
        if (rc == SP_OK)
            rc = apply_change(l, &changes[i]);
        applied++;
    }
    if (rc != SP_OK || applied == 0)
        return rc;
    expr_unit_free(l->s->unit);
    l->s->unit = NULL;
    return compile_scheme(l);
}

int scheme_load_doc(struct ydoc *doc, const struct param_set *params, struct scheme **out,
                    struct error *err)
{
    return scheme_load_changed(doc, params, NULL, 0, out, err);
}

int scheme_load_changed(struct ydoc *doc, const struct param_set *params,
                        const struct scheme_change *changes, int n, struct scheme **out,
                        struct error *err)
{
    const struct ydoc_node *root = doc->root;
    if (root == NULL || root->kind != YDOC_MAP)
        return ydoc_fail(doc, root, err, "a scheme file is a map starting with `id:`");
    struct scheme *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->file = doc->file;
    expr_absent(&s->amount, "amount");
    expr_absent(&s->contingency_date, "contingency.date");
    struct loader l = {doc, params, s, err};
    int rc = ydoc_check_keys(doc, root, scheme_keys, err);
    if (rc == SP_OK)
        rc = load_header(&l, root);
    if (rc == SP_OK)
        rc = load_facts(&l, root);
    if (rc == SP_OK)
        rc = load_optional(&l, root);
    if (rc == SP_OK)
        rc = load_exclusive(&l, root);
    if (rc == SP_OK)
        rc = load_values(&l, root);
    if (rc == SP_OK)
        rc = load_conditions(&l, root, "eligibility", &s->eligibility, &s->n_eligibility);
    if (rc == SP_OK)
        rc = load_conditions(&l, root, "qualifying", &s->qualifying, &s->n_qualifying);
    if (rc == SP_OK)
        rc = load_amount(&l, root);
    if (rc == SP_OK)
        rc = load_cycles(&l, root);
    if (rc == SP_OK)
        rc = load_contribution(&l, root);
    if (rc == SP_OK)
        rc = load_grandfathering(&l, root);
    if (rc == SP_OK)
        rc = load_contingency(&l, root);
    if (rc == SP_OK)
        rc = compile_changed(&l, changes, n);
    if (rc != SP_OK) {
        scheme_free(s); /* s->doc is still NULL: the caller keeps doc */
        return rc;
    }
    s->doc = doc;
    *out = s;
    return SP_OK;
}

/* ---- the library ---- */

/* A growable list of file paths. */
struct path_list {
    char **v;
    int n;
    int cap;
};

/* "dir/name" (without doubling a trailing slash of dir), or NULL when out of memory. */
static char *join_path(const char *dir, const char *name)
{
    size_t d = strlen(dir);
    while (d > 1 && dir[d - 1] == '/')
        d--;
    size_t n = d + strlen(name) + 2;
    char *path = sp_malloc(n);
    if (path != NULL)
        snprintf(path, n, "%.*s/%s", (int)d, dir, name);
    return path;
}

static int paths_add(struct path_list *l, const char *dir, const char *name, struct error *err)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 16;
        char **grown = sp_reallocarray(l->v, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        l->v = grown;
        l->cap = cap;
    }
    char *path = join_path(dir, name);
    if (path == NULL)
        return error_nomem(err);
    l->v[l->n++] = path;
    return SP_OK;
}

static void paths_release(struct path_list *l)
{
    for (int i = 0; i < l->n; i++)
        sp_free(l->v[i]);
    sp_free(l->v);
    memset(l, 0, sizeof *l);
}

static int compare_paths(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

static int is_yaml_name(const char *name)
{
    return name[0] != '.' && (ends_with(name, ".yaml") || ends_with(name, ".yml"));
}

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

struct library_files {
    struct path_list params;
    struct path_list schemes;
    struct path_list tests;
    struct path_list messages; /* translation catalogues */
};

/* Adds every YAML file of dir (tests/ or messages/) to list (sorted later). */
static int scan_yaml(const char *dir, struct path_list *list, struct error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL && errno == ENOMEM)
        return error_nomem(err);
    if (d == NULL)
        return error_set(err, SP_IO, "%s: cannot read the folder: %s", dir, strerror(errno));
    int rc = SP_OK;
    struct dirent *e;
    while (rc == SP_OK && (e = readdir(d)) != NULL)
        if (is_yaml_name(e->d_name))
            rc = paths_add(list, dir, e->d_name, err);
    closedir(d);
    return rc;
}

/*
 * Sorts the files of one folder: parameter files, scheme files and tests/. When `countries`
 * is set, subfolders other than tests/ are read as country folders (one level down).
 */
static int scan_folder(const char *dir, int countries, struct library_files *files,
                       struct error *err)
{
    DIR *d = opendir(dir);
    if (d == NULL && errno == ENOMEM)
        return error_nomem(err);
    if (d == NULL)
        return error_set(err, is_dir(dir) || errno != ENOENT ? SP_IO : SP_BAD_INPUT,
                         "%s: cannot read the scheme folder: %s", dir, strerror(errno));
    int rc = SP_OK;
    struct dirent *e;
    while (rc == SP_OK && (e = readdir(d)) != NULL) {
        const char *name = e->d_name;
        if (name[0] == '.')
            continue;
        char *path = join_path(dir, name);
        if (path == NULL) {
            rc = error_nomem(err);
            break;
        }
        if (is_dir(path)) {
            if (strcmp(name, "tests") == 0)
                rc = scan_yaml(path, &files->tests, err);
            else if (strcmp(name, "messages") == 0)
                rc = scan_yaml(path, &files->messages, err);
            else if (countries)
                rc = scan_folder(path, 0, files, err);
        } else if (is_yaml_name(name)) {
            if (strcmp(name, "params.yaml") == 0 || ends_with(name, ".params.yaml") ||
                strcmp(name, "params.yml") == 0 || ends_with(name, ".params.yml"))
                rc = paths_add(&files->params, dir, name, err);
            else
                rc = paths_add(&files->schemes, dir, name, err);
        }
        sp_free(path);
    }
    closedir(d);
    return rc;
}

void scheme_library_free(struct scheme_library *lib)
{
    if (lib == NULL)
        return;
    for (int i = 0; i < lib->n_schemes; i++)
        scheme_free(lib->schemes[i]);
    sp_free(lib->schemes);
    for (int i = 0; i < lib->n_test_files; i++)
        sp_free(lib->test_files[i]);
    sp_free(lib->test_files);
    for (int i = 0; i < lib->n_catalogues; i++)
        ydoc_free(lib->catalogues[i]);
    sp_free(lib->catalogues);
    param_set_free(lib->params);
    sp_free(lib);
}

static int compare_schemes(const void *a, const void *b)
{
    const struct scheme *x = *(struct scheme *const *)a, *y = *(struct scheme *const *)b;
    return strcmp(x->id, y->id);
}

const struct scheme *scheme_library_find(const struct scheme_library *lib, const char *id)
{
    int lo = 0, hi = lib->n_schemes - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(lib->schemes[mid]->id, id);
        if (c == 0)
            return lib->schemes[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return NULL;
}

/* Loads one scheme file and appends it to the library. */
static int add_scheme_file(struct scheme_library *lib, const char *path, struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = ydoc_load_file(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    struct scheme *s = NULL;
    rc = scheme_load_doc(doc, lib->params, &s, err);
    if (rc != SP_OK) {
        ydoc_free(doc);
        return rc;
    }
    struct scheme **grown =
        sp_reallocarray(lib->schemes, (size_t)lib->n_schemes + 1, sizeof *grown);
    if (grown == NULL) {
        scheme_free(s);
        return error_nomem(err);
    }
    lib->schemes = grown;
    lib->schemes[lib->n_schemes++] = s;
    return SP_OK;
}

/*
 * Checks what spans files: scheme ids are unique, contributions_from names a scheme, and an
 * extra fact declared by two schemes has one type.
 */
static int check_library(struct scheme_library *lib, struct error *err)
{
    for (int i = 1; i < lib->n_schemes; i++) {
        const struct scheme *a = lib->schemes[i - 1], *b = lib->schemes[i];
        if (strcmp(a->id, b->id) == 0)
            return error_set(err, SP_BAD_INPUT, "%s:%d:1: scheme %s is already defined at %s:%d",
                             b->file, b->line, b->id, a->file, a->line);
    }
    for (int i = 0; i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        if (s->contributions_from_node != NULL &&
            scheme_library_find(lib, s->contributions_from) == NULL)
            return ydoc_fail(s->doc, s->contributions_from_node, err,
                             "contributions_from: no scheme has the id %s", s->contributions_from);
        for (int k = 0; k < s->n_contributions_also; k++)
            if (scheme_library_find(lib, s->contributions_also[k]) == NULL)
                return ydoc_fail(s->doc, s->contributions_also_nodes[k], err,
                                 "contributions_from: no scheme has the id %s",
                                 s->contributions_also[k]);
        for (int j = 0; s->exclusive_group != NULL && j < i; j++) {
            const struct scheme *o = lib->schemes[j];
            if (!scheme_same_group(o, s))
                continue;
            if (strcmp(scheme_amount_unit(o), scheme_amount_unit(s)) != 0 || o->per != s->per ||
                strcmp(o->country, s->country) != 0)
                return error_set(err, SP_BAD_INPUT,
                                 "%s:%d:1: exclusion group %s: %s pays in %s per %s, but %s (%s) "
                                 "in %s per %s; the schemes of a group are compared by amount",
                                 s->file, s->line, s->exclusive_group, s->id, scheme_amount_unit(s),
                                 scheme_per_name(s->per), o->id, o->file, scheme_amount_unit(o),
                                 scheme_per_name(o->per));
            if ((o->exclusive_choice == NULL) != (s->exclusive_choice == NULL) ||
                (o->exclusive_choice != NULL &&
                 strcmp(o->exclusive_choice, s->exclusive_choice) != 0))
                return error_set(err, SP_BAD_INPUT,
                                 "%s:%d:1: exclusion group %s: %s names another choice fact than "
                                 "%s (%s)",
                                 s->file, s->line, s->exclusive_group, s->id, o->id, o->file);
        }
        for (int f = 0; f < s->n_facts; f++) {
            for (int j = 0; j < i; j++) {
                const struct scheme *o = lib->schemes[j];
                for (int g = 0; g < o->n_facts; g++) {
                    if (strcmp(o->facts[g].name, s->facts[f].name) == 0 &&
                        (o->facts[g].type.kind != s->facts[f].type.kind ||
                         strcmp(o->facts[g].type.currency, s->facts[f].type.currency) != 0))
                        return error_set(err, SP_BAD_INPUT,
                                         "%s:%d:1: fact %s has another type in %s (scheme %s)",
                                         s->file, s->line, s->facts[f].name, o->file, o->id);
                }
            }
        }
    }
    return SP_OK;
}

int scheme_library_load(const char *dir, struct scheme_library **out, struct error *err)
{
    struct library_files files;
    memset(&files, 0, sizeof files);
    struct scheme_library *lib = sp_calloc(1, sizeof *lib);
    if (lib == NULL)
        return error_nomem(err);
    int rc = param_set_new(&lib->params, err);
    if (rc == SP_OK)
        rc = scan_folder(dir, 1, &files, err);
    if (rc == SP_OK) {
        sort_rows(files.params.v, (size_t)files.params.n, sizeof(char *), compare_paths);
        sort_rows(files.schemes.v, (size_t)files.schemes.n, sizeof(char *), compare_paths);
        sort_rows(files.tests.v, (size_t)files.tests.n, sizeof(char *), compare_paths);
        sort_rows(files.messages.v, (size_t)files.messages.n, sizeof(char *), compare_paths);
    }
    for (int i = 0; rc == SP_OK && i < files.params.n; i++)
        rc = param_load_file(lib->params, files.params.v[i], err);
    for (int i = 0; rc == SP_OK && i < files.schemes.n; i++)
        rc = add_scheme_file(lib, files.schemes.v[i], err);
    if (rc == SP_OK) {
        sort_rows(lib->schemes, (size_t)lib->n_schemes, sizeof *lib->schemes, compare_schemes);
        rc = check_library(lib, err);
    }
    for (int i = 0; rc == SP_OK && i < files.messages.n; i++)
        rc = scheme_catalogue_load(lib, files.messages.v[i], err);
    if (rc == SP_OK) {
        lib->test_files = files.tests.v;
        lib->n_test_files = files.tests.n;
        files.tests.v = NULL;
        files.tests.n = 0;
    }
    paths_release(&files.params);
    paths_release(&files.schemes);
    paths_release(&files.tests);
    paths_release(&files.messages);
    if (rc != SP_OK) {
        scheme_library_free(lib);
        return rc;
    }
    *out = lib;
    return SP_OK;
}

int scheme_library_recompile(const struct scheme_library *base, struct param_set *params,
                             const struct scheme_change *changes, int n_changes,
                             struct scheme_library **out, struct error *err)
{
    struct scheme_library *lib = sp_calloc(1, sizeof *lib);
    if (lib == NULL) {
        param_set_free(params);
        return error_nomem(err);
    }
    lib->params = params;
    int rc = SP_OK;
    lib->schemes =
        sp_calloc(base->n_schemes > 0 ? (size_t)base->n_schemes : 1, sizeof *lib->schemes);
    lib->test_files =
        sp_calloc(base->n_test_files > 0 ? (size_t)base->n_test_files : 1, sizeof *lib->test_files);
    if (lib->schemes == NULL || lib->test_files == NULL)
        rc = error_nomem(err);
    for (int i = 0; rc == SP_OK && i < base->n_schemes; i++) {
        struct ydoc *doc = ydoc_ref(base->schemes[i]->doc);
        rc = scheme_load_changed(doc, lib->params, changes, n_changes, &lib->schemes[i], err);
        if (rc != SP_OK)
            ydoc_free(doc);
        else
            lib->n_schemes++;
    }
    for (int i = 0; rc == SP_OK && i < base->n_test_files; i++) {
        lib->test_files[i] = sp_strdup(base->test_files[i]);
        if (lib->test_files[i] == NULL)
            rc = error_nomem(err);
        else
            lib->n_test_files++;
    }
    if (rc == SP_OK)
        rc = check_library(lib, err);
    if (rc != SP_OK) {
        scheme_library_free(lib);
        return rc;
    }
    *out = lib;
    return SP_OK;
}

person_field_set scheme_facts(const struct scheme *s)
{
    return expr_unit_facts(s->unit) | PERSON_FIELD_BIT(F_COUNTRY) | PERSON_FIELD_BIT(F_HOUSEHOLD) |
           PERSON_FIELD_BIT(F_RELATIONSHIP) | PERSON_FIELD_BIT(F_LIVING_CHILDREN);
}
