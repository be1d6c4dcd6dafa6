#include "rules/overlay.h"

#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "rules/param_load.h"
#include "rules/scheme_test.h"

#define OVERLAY_ID_MAX        64   /* longest overlay id */
#define OVERLAY_REFERENCE_MAX 4096 /* longest "overlay <id>: <reference>" kept with a value */

static const char *const overlay_keys[] = {"id",         "title", "reference", "description",
                                           "parameters", "rules", "tests",     NULL};
static const char *const rule_keys[] = {"scheme", "from",   "reference", "condition",
                                        "when",   "amount", NULL};
static const char *const entry_keys[] = {"unit", "values", NULL};

void overlay_free(struct overlay *o)
{
    if (o == NULL)
        return;
    param_set_free(o->values);
    sp_free(o->changes);
    ydoc_free(o->doc);
    sp_free(o);
}

/* Checks `unit` of an entry against the library's parameter: required when it has one. */
static int check_unit(const struct ydoc *doc, const struct param *p, const struct ydoc_node *entry,
                      struct error *err)
{
    const struct ydoc_node *unit = NULL;
    int rc = ydoc_want(doc, entry, "unit", YDOC_SCALAR, &unit, err);
    if (rc != SP_OK)
        return rc;
    if (p->unit[0] == '\0' && unit != NULL)
        return ydoc_fail(doc, unit, err,
                         "parameter %s has no unit (its kind is %s): remove `unit: %s`", p->path,
                         param_kind_name(p->kind), unit->text);
    if (p->unit[0] != '\0' && unit == NULL)
        return ydoc_fail(doc, entry, err,
                         "parameter %s is in %s: say so with `unit: %s`, so that a value in "
                         "another unit is caught",
                         p->path, p->unit, p->unit);
    if (unit != NULL && strcmp(unit->text, p->unit) != 0)
        return ydoc_fail(doc, unit, err, "parameter %s is in %s, not %s (defined at %s:%d)",
                         p->path, p->unit, unit->text, p->file, p->line);
    return SP_OK;
}

/* Reads one `path: {unit?, values}` entry into o->values, checked against base. */
static int load_entry(struct overlay *o, const struct scheme_library *base,
                      const struct ydoc_node *key, const struct ydoc_node *entry, struct error *err)
{
    const struct param *p = param_set_find(base->params, key->text);
    if (p == NULL)
        return ydoc_fail(o->doc, key, err,
                         "unknown parameter \"%s\": no parameter file of the library defines it "
                         "(write the full path, as in np.ssa.senior_age)",
                         key->text);
    int rc = ydoc_expect(o->doc, key, entry, YDOC_MAP, "a parameter {unit?, values}", err);
    if (rc == SP_OK)
        rc = ydoc_check_keys(o->doc, entry, entry_keys, err);
    if (rc == SP_OK)
        rc = check_unit(o->doc, p, entry, err);
    if (rc != SP_OK)
        return rc;
    struct param *mine = NULL;
    rc = param_set_define(o->values, p->path, p->kind, p->currency[0] ? p->currency : NULL, p->unit,
                          p->description, o->file, key->line, &mine, err);
    if (rc == SP_OK)
        rc = param_load_values(o->values, mine, o->doc, entry, o->id, err);
    return rc;
}

/* 1 if scheme s has no eligibility or qualifying condition called name. */
static int change_names_no_condition(const struct scheme *s, const char *name)
{
    for (int i = 0; i < s->n_eligibility; i++)
        if (strcmp(s->eligibility[i].name, name) == 0)
            return 0;
    for (int i = 0; i < s->n_qualifying; i++)
        if (strcmp(s->qualifying[i].name, name) == 0)
            return 0;
    return 1;
}

/* Where an expression's text starts: inside the quotes of a one-line quoted value. */
static struct expr_pos expr_pos_of(const struct ydoc *doc, const struct ydoc_node *v)
{
    struct expr_pos pos = {doc->file, v->line, v->col};
    if (v->quoted && strchr(v->text, '\n') == NULL)
        pos.col++;
    return pos;
}

/*
 * Reads one `rules` entry {scheme, from, reference, condition + when | amount} into c, checked
 * against the scheme of base it names.
 */
static int load_rule(struct overlay *o, const struct scheme_library *base,
                     const struct ydoc_node *list, const struct ydoc_node *m,
                     struct scheme_change *c, struct error *err)
{
    const struct ydoc_node *scheme = NULL, *reference = NULL, *condition = NULL, *when = NULL,
                           *amount = NULL;
    int rc = ydoc_expect(o->doc, list, m, YDOC_MAP,
                         "a rule {scheme, from, reference, condition and when, or amount}", err);
    if (rc == SP_OK)
        rc = ydoc_check_keys(o->doc, m, rule_keys, err);
    if (rc == SP_OK)
        rc = ydoc_need(o->doc, m, "scheme", YDOC_SCALAR, &scheme, err);
    if (rc == SP_OK)
        rc = ydoc_get_date(o->doc, m, "from", 1, &c->from, err);
    if (rc == SP_OK)
        rc = ydoc_need(o->doc, m, "reference", YDOC_SCALAR, &reference, err);
    if (rc == SP_OK)
        rc = ydoc_want(o->doc, m, "condition", YDOC_SCALAR, &condition, err);
    if (rc == SP_OK)
        rc = ydoc_want(o->doc, m, "when", YDOC_SCALAR, &when, err);
    if (rc == SP_OK)
        rc = ydoc_want(o->doc, m, "amount", YDOC_SCALAR, &amount, err);
    if (rc != SP_OK)
        return rc;
    const struct scheme *s = scheme_library_find(base, scheme->text);
    if (s == NULL)
        return ydoc_fail(o->doc, scheme, err,
                         "no scheme has the id \"%s\" (see spfloor schemes list)", scheme->text);
    if ((amount != NULL) == (condition != NULL || when != NULL))
        return ydoc_fail(o->doc, m, err,
                         "a rule changes either a condition (condition: NAME, when: EXPRESSION) "
                         "or the amount (amount: EXPRESSION)");
    if (amount == NULL && (condition == NULL || when == NULL))
        return ydoc_fail(o->doc, m, err, "a changed condition needs both `condition` and `when`");
    c->scheme = s->id;
    c->target = condition != NULL ? condition->text : "amount";
    const struct ydoc_node *source = amount != NULL ? amount : when;
    c->source = source->text;
    c->pos = expr_pos_of(o->doc, source);
    c->overlay = o->id;
    c->reference = reference->text;
    if (condition != NULL && change_names_no_condition(s, condition->text))
        return ydoc_fail(o->doc, condition, err, "scheme %s has no condition \"%s\"", s->id,
                         condition->text);
    return scheme_check_change(s, c, err);
}

static int load_rules(struct overlay *o, const struct scheme_library *base,
                      const struct ydoc_node *root, struct error *err)
{
    const struct ydoc_node *rules = NULL;
    int rc = ydoc_want(o->doc, root, "rules", YDOC_SEQ, &rules, err);
    if (rc != SP_OK || rules == NULL || rules->n == 0)
        return rc;
    o->changes = sp_calloc((size_t)rules->n, sizeof *o->changes);
    if (o->changes == NULL)
        return error_nomem(err);
    for (int i = 0; rc == SP_OK && i < rules->n; i++) {
        rc = load_rule(o, base, rules, rules->items[i], &o->changes[i], err);
        if (rc == SP_OK)
            o->n_changes++;
    }
    return rc;
}

/* Checks the overlay's own test cases as a test file is checked (scheme_test.h). */
static int check_tests(const struct scheme_library *base, struct ydoc *doc,
                       const struct ydoc_node *tests, struct error *err)
{
    struct scheme_tests *cases = sp_calloc(1, sizeof *cases);
    if (cases == NULL)
        return error_nomem(err);
    int rc = scheme_tests_load_node(base, doc, tests, cases, err);
    scheme_tests_free(cases);
    return rc;
}

static int load_header(struct overlay *o, const struct ydoc_node *root, struct error *err)
{
    const struct ydoc_node *id = NULL, *title = NULL, *reference = NULL, *description = NULL;
    int rc = ydoc_check_keys(o->doc, root, overlay_keys, err);
    if (rc == SP_OK)
        rc = ydoc_need(o->doc, root, "id", YDOC_SCALAR, &id, err);
    if (rc == SP_OK)
        rc = ydoc_need(o->doc, root, "title", YDOC_SCALAR, &title, err);
    if (rc == SP_OK)
        rc = ydoc_need(o->doc, root, "reference", YDOC_SCALAR, &reference, err);
    if (rc == SP_OK)
        rc = ydoc_want(o->doc, root, "description", YDOC_SCALAR, &description, err);
    if (rc != SP_OK)
        return rc;
    if (!ydoc_is_dotted_name(id->text, 1, OVERLAY_ID_MAX + 1))
        return ydoc_fail(o->doc, id, err,
                         "id \"%s\" must be lowercase names joined by dots "
                         "(np.karnali_child_grant), at most %d characters",
                         id->text, OVERLAY_ID_MAX);
    if (reference->len == 0)
        return ydoc_fail(o->doc, reference, err,
                         "reference: give the decision or proposal the overlay comes from");
    o->id = id->text;
    o->title = title->text;
    o->reference = reference->text;
    return SP_OK;
}

int overlay_load_doc(struct ydoc *doc, const struct scheme_library *base, struct overlay **out,
                     struct error *err)
{
    const struct ydoc_node *root = doc->root, *parameters = NULL, *tests = NULL;
    if (root == NULL || root->kind != YDOC_MAP)
        return ydoc_fail(doc, root, err,
                         "an overlay file is a map with `id`, `title`, `reference` and "
                         "`parameters`");
    struct overlay *o = sp_calloc(1, sizeof *o);
    if (o == NULL)
        return error_nomem(err);
    o->doc = doc;
    o->file = doc->file;
    int rc = param_set_new(&o->values, err);
    if (rc == SP_OK)
        rc = load_header(o, root, err);
    if (rc == SP_OK)
        rc = ydoc_want(doc, root, "parameters", YDOC_MAP, &parameters, err);
    if (rc == SP_OK)
        rc = load_rules(o, base, root, err);
    if (rc == SP_OK && parameters == NULL && o->n_changes == 0)
        rc =
            ydoc_fail(doc, root, err, "an overlay changes something: give `parameters` or `rules`");
    if (rc == SP_OK)
        rc = ydoc_want(doc, root, "tests", YDOC_SEQ, &tests, err);
    for (int i = 0; rc == SP_OK && parameters != NULL && i < parameters->n; i++)
        rc = load_entry(o, base, parameters->keys[i], parameters->items[i], err);
    if (rc == SP_OK && tests != NULL)
        rc = check_tests(base, doc, tests, err);
    if (rc != SP_OK) {
        o->doc = NULL; /* the caller keeps doc */
        overlay_free(o);
        return rc;
    }
    o->tests = tests;
    *out = o;
    return SP_OK;
}

/* Loads a parsed document, freeing it unless the overlay took it. */
static int load_parsed(int rc, struct ydoc *doc, const struct scheme_library *base,
                       struct overlay **out, struct error *err)
{
    if (rc != SP_OK)
        return rc;
    rc = overlay_load_doc(doc, base, out, err);
    if (rc != SP_OK)
        ydoc_free(doc);
    return rc;
}

int overlay_load_file(const char *path, const struct scheme_library *base, struct overlay **out,
                      struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = ydoc_load_file(path, &doc, err);
    return load_parsed(rc, doc, base, out, err);
}

int overlay_load_text(const char *name, const char *text, size_t n,
                      const struct scheme_library *base, struct overlay **out, struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = ydoc_parse(name, text, n, &doc, err);
    return load_parsed(rc, doc, base, out, err);
}

/*
 * Lays one overlaid parameter over params: its values, each with the reference
 * "overlay <id>: <reference>".
 */
static int lay_parameter(struct param_set *params, const struct overlay *o, const struct param *p,
                         struct error *err)
{
    struct param_value *values = sp_calloc((size_t)p->n_values, sizeof *values);
    char *references = sp_calloc((size_t)p->n_values, OVERLAY_REFERENCE_MAX);
    int rc = SP_OK;
    if (values == NULL || references == NULL)
        rc = error_nomem(err);
    for (int k = 0; rc == SP_OK && k < p->n_values; k++) {
        char *reference = references + (size_t)k * OVERLAY_REFERENCE_MAX;
        snprintf(reference, OVERLAY_REFERENCE_MAX, "overlay %s: %s", o->id, p->values[k].reference);
        values[k] = p->values[k];
        values[k].reference = reference;
    }
    if (rc == SP_OK)
        rc = param_set_overlay(params, p->path, values, p->n_values, err);
    if (rc != SP_OK)
        error_prefix(err, "%s:%d:1", o->file, p->line);
    sp_free(references);
    sp_free(values);
    return rc;
}

int scheme_library_overlay(const struct scheme_library *base, const struct overlay *const *overlays,
                           int n, struct scheme_library **out, struct error *err)
{
    struct param_set *params = NULL;
    int rc = param_set_clone(base->params, &params, err);
    for (int i = 0; rc == SP_OK && i < n; i++) {
        const struct overlay *o = overlays[i];
        for (int k = 0; rc == SP_OK && k < param_set_count(o->values); k++)
            rc = lay_parameter(params, o, param_set_get(o->values, k), err);
    }
    int n_changes = 0;
    for (int i = 0; i < n; i++)
        n_changes += overlays[i]->n_changes;
    struct scheme_change *changes = NULL;
    if (rc == SP_OK && n_changes > 0) {
        changes = sp_calloc((size_t)n_changes, sizeof *changes);
        if (changes == NULL)
            rc = error_nomem(err);
    }
    for (int i = 0, at = 0; rc == SP_OK && i < n; i++)
        for (int k = 0; k < overlays[i]->n_changes; k++)
            changes[at++] = overlays[i]->changes[k];
    if (rc == SP_OK)
        rc = scheme_library_recompile(base, params, changes, n_changes, out, err);
    else
        param_set_free(params);
    sp_free(changes);
    return rc;
}
