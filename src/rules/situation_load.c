#include "rules/situation_load.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "model/person.h"

/* qsort, except that an empty array (which may be a NULL pointer) is left alone. */
static void sort_rows(void *base, size_t n, size_t size, int (*compare)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, compare);
}

static const char *const top_keys[] = {"persons",       "households", "events",
                                       "contributions", "enrolments", NULL};
static const char *const household_keys[] = {"id", "country", "admin1", "admin2", NULL};
static const char *const event_keys[] = {
    "type", "date", "person", "child", "contract_months", "destination", NULL};
static const char *const contribution_keys[] = {"person",   "scheme",   "month", "wage", "currency",
                                                "employee", "employer", "state", NULL};
static const char *const enrolment_keys[] = {"person", "scheme", "from", "to", NULL};

struct loader {
    const struct ydoc *doc;
    const struct situation_options *options;
    struct situation *s;
    struct error *err;
    char **ids; /* person ids, sorted, for checking references */
};

/* The extra fact `name` some scheme of the library declares, with that scheme; or NULL. */
static const struct expr_fact_decl *find_fact(const struct loader *l, const char *name,
                                              const struct scheme **owner)
{
    const struct scheme_library *lib = l->options->lib;
    for (int i = 0; lib != NULL && i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        for (int f = 0; f < s->n_facts; f++) {
            if (strcmp(s->facts[f].name, name) == 0) {
                *owner = s;
                return &s->facts[f];
            }
        }
    }
    return NULL;
}

/* Checks an extra fact's text against its declared type. */
static int check_fact_value(struct loader *l, const struct expr_fact_decl *fact,
                            const struct scheme *owner, const struct ydoc_node *v)
{
    const char *text = v->text;
    struct error e;
    error_init(&e);
    int ok = 1;
    switch (fact->type.kind) {
    case EXPR_INT: {
        long long n;
        ok = text_parse_int64(text, &n);
        break;
    }
    case EXPR_DECIMAL: {
        int64_t d;
        ok = decimal_parse(text, &d, &e) == SP_OK;
        break;
    }
    case EXPR_BOOL:
        ok = strcmp(text, "true") == 0 || strcmp(text, "false") == 0;
        break;
    case EXPR_DATE: {
        int32_t day;
        ok = date_parse(text, &day, &e) == SP_OK;
        break;
    }
    case EXPR_MONEY: {
        struct money m;
        ok = money_parse_tagged(text, owner->currency, &m, &e) == SP_OK;
        break;
    }
    default:
        break;
    }
    if (ok)
        return SP_OK;
    static const char *const kinds[] = {
        [EXPR_BOOL] = "true or false", [EXPR_INT] = "a whole number",
        [EXPR_DECIMAL] = "a decimal",  [EXPR_MONEY] = "an amount",
        [EXPR_STRING] = "text",        [EXPR_DATE] = "a date (YYYY-MM-DD)",
    };
    return ydoc_fail(l->doc, v, l->err, "%s: \"%s\" is not %s, as scheme %s declares it",
                     fact->name, text,
                     (unsigned)fact->type.kind < 6 ? kinds[fact->type.kind] : "valid", owner->id);
}

/*
 * A fact that records a person's choice in an exclusion group (a scheme's `exclusive.choice`)
 * must name a scheme of that group.
 */
static int check_choice(struct loader *l, const char *name, const struct ydoc_node *v)
{
    const struct scheme_library *lib = l->options->lib;
    const struct scheme *group = NULL;
    for (int i = 0; lib != NULL && i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        if (s->exclusive_choice == NULL || strcmp(s->exclusive_choice, name) != 0)
            continue;
        if (strcmp(s->id, v->text) == 0)
            return SP_OK;
        group = s;
    }
    if (group == NULL)
        return SP_OK;
    return ydoc_fail(l->doc, v, l->err,
                     "%s: \"%s\" is not a scheme of exclusion group %s (such as %s)", name, v->text,
                     group->exclusive_group, group->id);
}

/* Sets one field of a person from its node (a single value, a list, or null). */
static int set_person_field(struct loader *l, struct person *p, const struct ydoc_node *key,
                            const struct ydoc_node *v)
{
    const char *name = key->text;
    const struct person_field *field = person_field_find(name);
    if (field == NULL) {
        const struct scheme *owner = NULL;
        const struct expr_fact_decl *fact = find_fact(l, name, &owner);
        if (fact == NULL) {
            person_set_field(p, name, "", DATE_NONE, l->err); /* the message, with a suggestion */
            error_prefix(l->err, "%s", "persons");
            ydoc_prefix(l->doc, key, l->err);
            return l->err->code ? l->err->code : SP_BAD_INPUT;
        }
        if (v->kind == YDOC_SCALAR && v->is_null)
            return SP_OK;
        if (v->kind != YDOC_SCALAR)
            return ydoc_fail(l->doc, v, l->err, "%s: expected a single value", name);
        int rc = check_fact_value(l, fact, owner, v);
        if (rc == SP_OK)
            rc = check_choice(l, name, v);
        if (rc != SP_OK)
            return rc;
        rc = person_set_extra(p, name, v->text, l->err);
        if (rc != SP_OK)
            ydoc_prefix(l->doc, v, l->err);
        return rc;
    }
    if (v->kind == YDOC_SCALAR && v->is_null)
        return SP_OK;
    if (v->kind == YDOC_MAP)
        return ydoc_fail(l->doc, v, l->err, "%s: expected a single value, not a map", name);
    if (v->kind == YDOC_SEQ) {
        if (field->type != FIELD_LIST)
            return ydoc_fail(l->doc, v, l->err, "%s: expected a single value, not a list", name);
        for (int i = 0; i < v->n; i++) {
            const struct ydoc_node *item = v->items[i];
            if (item->kind != YDOC_SCALAR || item->is_null)
                return ydoc_fail(l->doc, item, l->err, "%s: each item must be a single word", name);
            if (person_add_list_item(p, name, item->text, l->err) != SP_OK) {
                ydoc_prefix(l->doc, item, l->err);
                return l->err->code;
            }
        }
        return SP_OK;
    }
    if (l->doc->is_json && field->type == FIELD_MONEY && !v->quoted)
        return ydoc_fail(l->doc, v, l->err,
                         "%s: write amounts as strings (\"4000.00\"), not JSON numbers", name);
    if (person_set_field_at(p, field, v->text, l->options->today, l->err) != SP_OK) {
        ydoc_prefix(l->doc, v, l->err);
        return l->err->code;
    }
    return SP_OK;
}

static int load_person(struct loader *l, const struct ydoc_node *seq, const struct ydoc_node *m,
                       struct person *p)
{
    int rc = ydoc_expect(l->doc, seq, m, YDOC_MAP, "a person", l->err);
    if (rc != SP_OK)
        return rc;
    person_init(p);
    const struct ydoc_node *id = NULL;
    rc = ydoc_need(l->doc, m, "id", YDOC_SCALAR, &id, l->err);
    if (rc != SP_OK)
        return rc;
    /* country first: money fields are read in the currency of the person's country */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < m->n; i++) {
            int is_country = strcmp(m->keys[i]->text, "country") == 0;
            if (is_country != (pass == 0))
                continue;
            rc = set_person_field(l, p, m->keys[i], m->items[i]);
            if (rc != SP_OK)
                return rc;
        }
    }
    if (p->id[0] == '\0')
        return ydoc_fail(l->doc, id, l->err, "a person needs an id");
    return SP_OK;
}

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int person_known(const struct loader *l, const char *id)
{
    const char *key = id;
    if (l->s->n_persons == 0)
        return 0;
    return bsearch(&key, l->ids, (size_t)l->s->n_persons, sizeof *l->ids, compare_strings) != NULL;
}

static int load_persons(struct loader *l, const struct ydoc_node *root)
{
    struct situation *s = l->s;
    const struct ydoc_node *seq = NULL;
    int rc = ydoc_need(l->doc, root, "persons", YDOC_SEQ, &seq, l->err);
    if (rc != SP_OK)
        return rc;
    if (seq->n > SITUATION_MAX_ROWS)
        return ydoc_fail(l->doc, seq, l->err, "too many persons: at most %d", SITUATION_MAX_ROWS);
    s->persons = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *s->persons);
    l->ids = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *l->ids);
    if (s->persons == NULL || l->ids == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < seq->n; i++) {
        rc = load_person(l, seq, seq->items[i], &s->persons[i]);
        if (rc != SP_OK)
            return rc;
        s->n_persons++;
        l->ids[i] = s->persons[i].id;
    }
    sort_rows(l->ids, (size_t)s->n_persons, sizeof *l->ids, compare_strings);
    for (int i = 1; i < s->n_persons; i++) {
        if (strcmp(l->ids[i - 1], l->ids[i]) == 0) {
            for (int k = seq->n - 1; k >= 0; k--)
                if (strcmp(s->persons[k].id, l->ids[i]) == 0)
                    return ydoc_fail(l->doc, ydoc_get(seq->items[k], "id"), l->err,
                                     "person id \"%s\" is given twice", l->ids[i]);
        }
    }
    return SP_OK;
}

/* A single text value copied into dst (size bytes). */
static int get_text(struct loader *l, const struct ydoc_node *map, const char *key, int required,
                    char *dst, size_t size)
{
    const struct ydoc_node *v = NULL;
    int rc = required ? ydoc_need(l->doc, map, key, YDOC_SCALAR, &v, l->err)
                      : ydoc_want(l->doc, map, key, YDOC_SCALAR, &v, l->err);
    dst[0] = '\0';
    if (rc != SP_OK || v == NULL)
        return rc;
    if (!text_copy(dst, size, v->text))
        return ydoc_fail(l->doc, v, l->err, "%s: too long: at most %zu characters", key, size - 1);
    return SP_OK;
}

/* `person:` naming a person of the situation. */
static int get_person_ref(struct loader *l, const struct ydoc_node *map, const char *key,
                          int required, char dst[PERSON_ID_SIZE])
{
    int rc = get_text(l, map, key, required, dst, PERSON_ID_SIZE);
    if (rc == SP_OK && dst[0] != '\0' && !person_known(l, dst))
        return ydoc_fail(l->doc, ydoc_get(map, key), l->err, "%s: \"%s\" is not one of the persons",
                         key, dst);
    return rc;
}

/* `scheme:` naming a scheme of the library (when one is given). */
static int get_scheme_ref(struct loader *l, const struct ydoc_node *map, char dst[SCHEME_ID_SIZE],
                          const struct scheme **out)
{
    int rc = get_text(l, map, "scheme", 1, dst, SCHEME_ID_SIZE);
    *out = NULL;
    if (rc != SP_OK || l->options->lib == NULL)
        return rc;
    *out = scheme_library_find(l->options->lib, dst);
    if (*out == NULL)
        return ydoc_fail(l->doc, ydoc_get(map, "scheme"), l->err,
                         "scheme: no scheme has the id \"%s\" (see spfloor schemes list)", dst);
    return SP_OK;
}

/* Fetches a list of maps under key, checking each map's keys; *out NULL when absent. */
static int get_rows(struct loader *l, const struct ydoc_node *root, const char *key,
                    const char *const *keys, const struct ydoc_node **out)
{
    int rc = ydoc_want(l->doc, root, key, YDOC_SEQ, out, l->err);
    if (rc != SP_OK || *out == NULL)
        return rc;
    if ((*out)->n > SITUATION_MAX_ROWS)
        return ydoc_fail(l->doc, *out, l->err, "too many %s: at most %d", key, SITUATION_MAX_ROWS);
    for (int i = 0; i < (*out)->n && rc == SP_OK; i++) {
        rc = ydoc_expect(l->doc, *out, (*out)->items[i], YDOC_MAP, key, l->err);
        if (rc == SP_OK)
            rc = ydoc_check_keys(l->doc, (*out)->items[i], keys, l->err);
    }
    return rc;
}

/* A household's position in the file, under its id. */
struct household_key {
    const char *id;
    int index;
};

static int compare_household_keys(const void *a, const void *b)
{
    const struct household_key *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : x->index - y->index;
}

/* Refuses a household id given twice, naming the second place it is given. */
static int check_households_unique(struct loader *l, const struct ydoc_node *seq)
{
    struct situation *s = l->s;
    if (s->n_households < 2)
        return SP_OK;
    struct household_key *keys = sp_calloc((size_t)s->n_households, sizeof *keys);
    if (keys == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < s->n_households; i++)
        keys[i] = (struct household_key){s->households[i].id, i};
    qsort(keys, (size_t)s->n_households, sizeof *keys, compare_household_keys);
    int twice = -1; /* the earliest place an id is given a second time */
    for (int i = 1; i < s->n_households; i++)
        if (strcmp(keys[i - 1].id, keys[i].id) == 0 && (twice < 0 || keys[i].index < twice))
            twice = keys[i].index;
    sp_free(keys);
    if (twice < 0)
        return SP_OK;
    return ydoc_fail(l->doc, ydoc_get(seq->items[twice], "id"), l->err,
                     "household id \"%s\" is given twice", s->households[twice].id);
}

static int load_households(struct loader *l, const struct ydoc_node *root)
{
    struct situation *s = l->s;
    const struct ydoc_node *seq = NULL;
    int rc = get_rows(l, root, "households", household_keys, &seq);
    if (rc != SP_OK || seq == NULL)
        return rc;
    s->households = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *s->households);
    if (s->households == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < seq->n; i++) {
        const struct ydoc_node *m = seq->items[i];
        struct household *h = &s->households[i];
        rc = get_text(l, m, "id", 1, h->id, sizeof h->id);
        if (rc == SP_OK)
            rc = get_text(l, m, "country", 0, h->country, sizeof h->country);
        if (rc == SP_OK)
            rc = get_text(l, m, "admin1", 0, h->admin1, sizeof h->admin1);
        if (rc == SP_OK)
            rc = get_text(l, m, "admin2", 0, h->admin2, sizeof h->admin2);
        if (rc != SP_OK)
            return rc;
        if (h->country[0] != '\0' && !person_country_known(h->country))
            return ydoc_fail(l->doc, ydoc_get(m, "country"), l->err,
                             "country \"%s\" is not an ISO 3166-1 alpha-2 code spfloor knows",
                             h->country);
        s->n_households++;
    }
    return check_households_unique(l, seq);
}

static int load_events(struct loader *l, const struct ydoc_node *root)
{
    struct situation *s = l->s;
    const struct ydoc_node *seq = NULL;
    int rc = get_rows(l, root, "events", event_keys, &seq);
    if (rc != SP_OK || seq == NULL)
        return rc;
    s->events = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *s->events);
    if (s->events == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < seq->n; i++) {
        const struct ydoc_node *m = seq->items[i], *type = NULL, *months = NULL;
        struct life_event *e = &s->events[i];
        rc = ydoc_need(l->doc, m, "type", YDOC_SCALAR, &type, l->err);
        if (rc == SP_OK && event_type_parse(type->text) < 0)
            rc = ydoc_fail(l->doc, type, l->err, "type \"%s\" is not an event: use %s", type->text,
                           event_type_list);
        if (rc == SP_OK)
            rc = ydoc_get_date(l->doc, m, "date", 1, &e->date, l->err);
        if (rc == SP_OK)
            rc = get_person_ref(l, m, "person", 1, e->person);
        if (rc == SP_OK)
            rc = get_text(l, m, "child", 0, e->child, sizeof e->child);
        if (rc == SP_OK)
            rc = get_text(l, m, "destination", 0, e->destination, sizeof e->destination);
        if (rc == SP_OK)
            rc = ydoc_want(l->doc, m, "contract_months", YDOC_SCALAR, &months, l->err);
        if (rc != SP_OK)
            return rc;
        e->type = (enum event_type)event_type_parse(type->text);
        if (e->destination[0] != '\0' && !person_country_known(e->destination))
            return ydoc_fail(l->doc, ydoc_get(m, "destination"), l->err,
                             "destination \"%s\" is not an ISO 3166-1 alpha-2 code spfloor knows",
                             e->destination);
        if (months != NULL) {
            long long n;
            if (!text_parse_int64(months->text, &n) || n < 1 || n > 600)
                return ydoc_fail(l->doc, months, l->err,
                                 "contract_months \"%s\" must be a whole number from 1 to 600",
                                 months->text);
            e->contract_months = (int)n;
        }
        s->n_events++;
    }
    return SP_OK;
}

/* An optional money part of a contribution, in `currency`. */
static int get_money(struct loader *l, const struct ydoc_node *map, const char *key, int required,
                     const char *currency, struct money *out)
{
    const struct ydoc_node *v = NULL;
    int rc = required ? ydoc_need(l->doc, map, key, YDOC_SCALAR, &v, l->err)
                      : ydoc_want(l->doc, map, key, YDOC_SCALAR, &v, l->err);
    memset(out, 0, sizeof *out);
    if (rc != SP_OK || v == NULL)
        return rc;
    if (l->doc->is_json && !v->quoted)
        return ydoc_fail(l->doc, v, l->err,
                         "%s: write amounts as strings (\"4000.00\"), not JSON numbers", key);
    if (money_parse_unsigned(v->text, currency, out, l->err) != SP_OK) {
        error_prefix(l->err, "%s", key);
        ydoc_prefix(l->doc, v, l->err);
        return l->err->code;
    }
    return SP_OK;
}

static int load_contributions(struct loader *l, const struct ydoc_node *root)
{
    struct situation *s = l->s;
    const struct ydoc_node *seq = NULL;
    int rc = get_rows(l, root, "contributions", contribution_keys, &seq);
    if (rc != SP_OK || seq == NULL)
        return rc;
    s->contributions = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *s->contributions);
    if (s->contributions == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < seq->n; i++) {
        const struct ydoc_node *m = seq->items[i], *month = NULL;
        struct contribution *c = &s->contributions[i];
        const struct scheme *scheme = NULL;
        char currency[CURRENCY_CODE_SIZE];
        rc = get_person_ref(l, m, "person", 1, c->person);
        if (rc == SP_OK)
            rc = get_scheme_ref(l, m, c->scheme, &scheme);
        if (rc == SP_OK)
            rc = ydoc_need(l->doc, m, "month", YDOC_SCALAR, &month, l->err);
        if (rc == SP_OK)
            rc = get_text(l, m, "currency", 0, currency, sizeof currency);
        if (rc != SP_OK)
            return rc;
        if (month_parse(month->text, &c->month, l->err) != SP_OK) {
            error_prefix(l->err, "month");
            ydoc_prefix(l->doc, month, l->err);
            return l->err->code;
        }
        if (currency[0] == '\0') {
            if (scheme == NULL)
                return ydoc_fail(l->doc, m, l->err,
                                 "a contribution needs its currency (currency: PHP)");
            memcpy(currency, scheme->currency, sizeof currency);
        }
        if (currency_find(currency) == NULL)
            return ydoc_fail(l->doc, ydoc_get(m, "currency"), l->err,
                             "currency \"%s\" is not a currency spfloor knows", currency);
        rc = get_money(l, m, "wage", 1, currency, &c->wage);
        if (rc == SP_OK)
            rc = get_money(l, m, "employee", 0, currency, &c->employee);
        if (rc == SP_OK)
            rc = get_money(l, m, "employer", 0, currency, &c->employer);
        if (rc == SP_OK)
            rc = get_money(l, m, "state", 0, currency, &c->state);
        if (rc != SP_OK)
            return rc;
        s->n_contributions++;
    }
    return SP_OK;
}

static int load_enrolments(struct loader *l, const struct ydoc_node *root)
{
    struct situation *s = l->s;
    const struct ydoc_node *seq = NULL;
    int rc = get_rows(l, root, "enrolments", enrolment_keys, &seq);
    if (rc != SP_OK || seq == NULL)
        return rc;
    s->enrolments = sp_calloc(seq->n ? (size_t)seq->n : 1, sizeof *s->enrolments);
    if (s->enrolments == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < seq->n; i++) {
        const struct ydoc_node *m = seq->items[i];
        struct enrolment *e = &s->enrolments[i];
        const struct scheme *scheme = NULL;
        rc = get_person_ref(l, m, "person", 1, e->person);
        if (rc == SP_OK)
            rc = get_scheme_ref(l, m, e->scheme, &scheme);
        if (rc == SP_OK)
            rc = ydoc_get_date(l->doc, m, "from", 1, &e->from, l->err);
        if (rc == SP_OK)
            rc = ydoc_get_date(l->doc, m, "to", 0, &e->to, l->err);
        if (rc != SP_OK)
            return rc;
        if (e->to != DATE_NONE && e->to < e->from)
            return ydoc_fail(l->doc, ydoc_get(m, "to"), l->err, "to is before from");
        s->n_enrolments++;
    }
    return SP_OK;
}

int situation_load_node(const struct ydoc *doc, const struct ydoc_node *root,
                        const struct situation_options *options, struct situation *out,
                        struct error *err)
{
    struct loader l = {doc, options, out, err, NULL};
    int rc;
    if (root == NULL || root->kind != YDOC_MAP)
        rc = ydoc_fail(doc, root, err,
                       "a situation is a map with persons, households, events, contributions "
                       "and enrolments");
    else
        rc = ydoc_check_keys(doc, root, top_keys, err);
    if (rc == SP_OK)
        rc = load_persons(&l, root);
    if (rc == SP_OK)
        rc = load_households(&l, root);
    if (rc == SP_OK)
        rc = load_events(&l, root);
    if (rc == SP_OK)
        rc = load_contributions(&l, root);
    if (rc == SP_OK)
        rc = load_enrolments(&l, root);
    if (rc == SP_OK) {
        rc = situation_index(out, err);
        if (rc != SP_OK)
            ydoc_prefix(doc, root, err);
    }
    sp_free(l.ids);
    if (rc != SP_OK)
        situation_release(out);
    return rc;
}

int situation_load_file(const char *path, const struct situation_options *options,
                        struct situation *out, struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = ydoc_load_file(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    rc = situation_load_node(doc, doc->root, options, out, err);
    ydoc_free(doc);
    return rc;
}
