#include "rules/scheme_test.h"

#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "rules/situation_load.h"

static const char *const case_keys[] = {"name", "description", "as_of", "input", "output", NULL};
static const char *const output_keys[] = {"person",       "scheme", "eligible", "amount",
                                          "contribution", "status", "missing",  "excluded_by",
                                          "optional",     NULL};
static const char *const part_keys[] = {"employee", "employer", "state", "total", NULL};

struct loader {
    const struct scheme_library *lib;
    const struct ydoc *doc;
    struct error *err;
};

void scheme_tests_free(struct scheme_tests *tests)
{
    if (tests == NULL)
        return;
    for (int i = 0; i < tests->n_cases; i++) {
        situation_release(&tests->cases[i].situation);
        for (int k = 0; k < tests->cases[i].n_outputs; k++)
            buf_release(&tests->cases[i].outputs[k].missing);
        sp_free(tests->cases[i].outputs);
    }
    sp_free(tests->cases);
    for (int i = 0; i < tests->n_docs; i++)
        ydoc_free(tests->docs[i]);
    sp_free(tests->docs);
    sp_free(tests);
}

static int parse_amount(struct loader *l, const struct ydoc_node *v, const struct scheme *s,
                        int64_t *out)
{
    struct money m;
    if (v->kind != YDOC_SCALAR)
        return ydoc_fail(l->doc, v, l->err, "expected an amount such as \"4000.00\"");
    if (s->amount_unit != NULL) { /* a benefit in kind: a whole number of its unit */
        long long n;
        if (!text_parse_int64(v->text, &n))
            return ydoc_fail(l->doc, v, l->err, "expected a whole number of %s, such as 100",
                             s->amount_unit);
        *out = n;
        return SP_OK;
    }
    if (money_parse(v->text, s->currency, &m, l->err) != SP_OK) {
        ydoc_prefix(l->doc, v, l->err);
        return l->err->code;
    }
    *out = m.minor;
    return SP_OK;
}

static int parse_status(struct loader *l, const struct ydoc_node *v, uint8_t *out)
{
    static const enum decision_status all[] = {DECISION_ELIGIBLE,     DECISION_NOT_ELIGIBLE,
                                               DECISION_UNDETERMINED, DECISION_PARAMETER_NOT_SET,
                                               DECISION_FAILED,       DECISION_NOT_APPLICABLE};
    for (size_t i = 0; v->kind == YDOC_SCALAR && i < sizeof all / sizeof all[0]; i++) {
        if (strcmp(decision_status_name(all[i]), v->text) == 0) {
            *out = (uint8_t)all[i];
            return SP_OK;
        }
    }
    return ydoc_fail(l->doc, v, l->err,
                     "status: expected eligible, not_eligible, undetermined, parameter_not_set, "
                     "failed or not_applicable");
}

static int parse_contribution(struct loader *l, const struct ydoc_node *v,
                              struct scheme_test_output *o)
{
    o->has_contribution = 1;
    if (v->kind == YDOC_SCALAR && v->is_null) {
        o->contribution_null = 1;
        return SP_OK;
    }
    int rc = ydoc_expect(l->doc, v, v, YDOC_MAP, "contribution", l->err);
    if (rc == SP_OK)
        rc = ydoc_check_keys(l->doc, v, part_keys, l->err);
    if (rc != SP_OK)
        return rc;
    if (!o->scheme->has_contribution)
        return ydoc_fail(l->doc, v, l->err, "scheme %s has no contribution block", o->scheme->id);
    for (int k = 0; k < 4; k++) {
        const struct ydoc_node *part = ydoc_get(v, part_keys[k]);
        if (part == NULL)
            continue;
        rc = parse_amount(l, part, o->scheme, &o->contribution[k]);
        if (rc != SP_OK)
            return rc;
        o->contribution_keys |= (uint8_t)(1u << k);
    }
    return SP_OK;
}

/* `missing: [fact, ...]`: the facts an undetermined decision waits on, as lines. */
static int parse_missing(struct loader *l, const struct ydoc_node *v, struct scheme_test_output *o)
{
    int rc = ydoc_expect(l->doc, v, v, YDOC_SEQ, "missing: a list of facts", l->err);
    if (rc != SP_OK)
        return rc;
    o->has_missing = 1;
    buf_init(&o->missing, 1u << 16);
    for (int i = 0; i < v->n && rc == SP_OK; i++) {
        const struct ydoc_node *fact = v->items[i];
        if (fact->kind != YDOC_SCALAR || fact->text[0] == '\0')
            return ydoc_fail(l->doc, fact, l->err, "missing: expected a fact's name");
        rc = buf_printf(&o->missing, l->err, "%s\n", fact->text);
    }
    return rc;
}

/* `excluded_by: <scheme id>` (or null: paid, not excluded) and `optional: true|false`. */
static int parse_marks(struct loader *l, const struct ydoc_node *m, struct scheme_test_output *o)
{
    const struct ydoc_node *v = ydoc_get(m, "excluded_by");
    if (v != NULL) {
        if (v->kind != YDOC_SCALAR)
            return ydoc_fail(l->doc, v, l->err, "excluded_by: expected a scheme id or null");
        o->has_excluded_by = 1;
        if (!v->is_null) {
            o->excluded_by = scheme_library_find(l->lib, v->text);
            if (o->excluded_by == NULL)
                return ydoc_fail(l->doc, v, l->err, "no scheme has the id \"%s\"", v->text);
        }
    }
    if ((v = ydoc_get(m, "optional")) != NULL) {
        if (v->kind != YDOC_SCALAR || (strcmp(v->text, "true") && strcmp(v->text, "false")))
            return ydoc_fail(l->doc, v, l->err, "optional: expected true or false");
        o->has_optional = 1;
        o->optional = v->text[0] == 't';
    }
    return SP_OK;
}

static int load_output(struct loader *l, const struct ydoc_node *list, const struct ydoc_node *m,
                       const struct situation *situation, struct scheme_test_output *o)
{
    const struct ydoc_node *person = NULL, *scheme = NULL, *v;
    int rc = ydoc_expect(l->doc, list, m, YDOC_MAP, "an output {person, scheme, ...}", l->err);
    if (rc == SP_OK)
        rc = ydoc_check_keys(l->doc, m, output_keys, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, m, "person", YDOC_SCALAR, &person, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, m, "scheme", YDOC_SCALAR, &scheme, l->err);
    if (rc != SP_OK)
        return rc;
    o->line = m->line;
    o->scheme = scheme_library_find(l->lib, scheme->text);
    if (o->scheme == NULL)
        return ydoc_fail(l->doc, scheme, l->err, "no scheme has the id \"%s\"", scheme->text);
    int found = 0;
    for (int i = 0; i < situation->n_persons && !found; i++)
        found = strcmp(situation->persons[i].id, person->text) == 0;
    if (!found)
        return ydoc_fail(l->doc, person, l->err, "person \"%s\" is not in this case's input",
                         person->text);
    text_copy(o->person, sizeof o->person, person->text);
    if ((v = ydoc_get(m, "eligible")) != NULL) {
        if (v->kind != YDOC_SCALAR || (strcmp(v->text, "true") && strcmp(v->text, "false")))
            return ydoc_fail(l->doc, v, l->err, "eligible: expected true or false");
        o->has_eligible = 1;
        o->eligible = v->text[0] == 't';
    }
    if ((v = ydoc_get(m, "amount")) != NULL) {
        o->has_amount = 1;
        if (v->kind == YDOC_SCALAR && v->is_null)
            o->amount_null = 1;
        else if ((rc = parse_amount(l, v, o->scheme, &o->amount)) != SP_OK)
            return rc;
        if (!o->amount_null && o->scheme->amount.source == NULL)
            return ydoc_fail(l->doc, v, l->err, "scheme %s has no amount", o->scheme->id);
    }
    if ((v = ydoc_get(m, "status")) != NULL) {
        o->has_status = 1;
        if ((rc = parse_status(l, v, &o->status)) != SP_OK)
            return rc;
    }
    if ((v = ydoc_get(m, "missing")) != NULL && (rc = parse_missing(l, v, o)) != SP_OK)
        return rc;
    if ((rc = parse_marks(l, m, o)) != SP_OK)
        return rc;
    if ((v = ydoc_get(m, "contribution")) != NULL)
        return parse_contribution(l, v, o);
    return SP_OK;
}

static int load_case(struct loader *l, const struct ydoc_node *list, const struct ydoc_node *m,
                     struct scheme_test_case *c)
{
    const struct ydoc_node *name = NULL, *as_of = NULL, *input = NULL, *output = NULL;
    int rc =
        ydoc_expect(l->doc, list, m, YDOC_MAP, "a test case {name, as_of, input, output}", l->err);
    if (rc == SP_OK)
        rc = ydoc_check_keys(l->doc, m, case_keys, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, m, "name", YDOC_SCALAR, &name, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, m, "as_of", YDOC_SCALAR, &as_of, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, m, "input", YDOC_MAP, &input, l->err);
    if (rc == SP_OK)
        rc = ydoc_need(l->doc, m, "output", YDOC_SEQ, &output, l->err);
    if (rc != SP_OK)
        return rc;
    c->name = name->text;
    c->file = l->doc->file;
    c->line = m->line;
    if (date_parse(as_of->text, &c->as_of, l->err) != SP_OK) {
        error_prefix(l->err, "as_of");
        ydoc_prefix(l->doc, as_of, l->err);
        return l->err->code;
    }
    struct situation_options options = {DATE_NONE, l->lib};
    rc = situation_load_node(l->doc, input, &options, &c->situation, l->err);
    if (rc != SP_OK)
        return rc;
    if (output->n == 0)
        return ydoc_fail(l->doc, output, l->err, "output: a case needs at least one output");
    c->outputs = sp_calloc((size_t)output->n, sizeof *c->outputs);
    if (c->outputs == NULL)
        return error_nomem(l->err);
    for (int i = 0; i < output->n; i++) {
        c->n_outputs++; /* counted now, so that scheme_tests_free releases it */
        rc = load_output(l, output, output->items[i], &c->situation, &c->outputs[i]);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

int scheme_tests_load_node(const struct scheme_library *lib, struct ydoc *doc,
                           const struct ydoc_node *list, struct scheme_tests *tests,
                           struct error *err)
{
    struct ydoc **docs = sp_reallocarray(tests->docs, (size_t)tests->n_docs + 1, sizeof *docs);
    if (docs == NULL)
        return error_nomem(err);
    tests->docs = docs;
    tests->docs[tests->n_docs++] = ydoc_ref(doc);
    tests->lib = lib;
    if (list == NULL || list->kind != YDOC_SEQ)
        return ydoc_fail(doc, list, err,
                         "a test file is a list of cases: - {name, as_of, input, output}");
    struct scheme_test_case *cases =
        sp_reallocarray(tests->cases, (size_t)tests->n_cases + (size_t)list->n, sizeof *cases);
    if (cases == NULL)
        return error_nomem(err);
    tests->cases = cases;
    struct loader l = {lib, doc, err};
    for (int i = 0; i < list->n; i++) {
        struct scheme_test_case *c = &tests->cases[tests->n_cases];
        memset(c, 0, sizeof *c);
        situation_init(&c->situation);
        tests->n_cases++; /* counted now, so that scheme_tests_free releases it */
        int rc = load_case(&l, list, list->items[i], c);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

int scheme_tests_load_file(const struct scheme_library *lib, const char *path,
                           struct scheme_tests *tests, struct error *err)
{
    struct ydoc *doc = NULL;
    int rc = ydoc_load_file(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    rc = scheme_tests_load_node(lib, doc, doc->root, tests, err);
    ydoc_free(doc); /* tests holds its own reference */
    return rc;
}

int scheme_tests_load(const struct scheme_library *lib, struct scheme_tests **out,
                      struct error *err)
{
    struct scheme_tests *tests = sp_calloc(1, sizeof *tests);
    if (tests == NULL)
        return error_nomem(err);
    tests->lib = lib;
    int rc = SP_OK;
    for (int i = 0; i < lib->n_test_files && rc == SP_OK; i++)
        rc = scheme_tests_load_file(lib, lib->test_files[i], tests, err);
    if (rc != SP_OK) {
        scheme_tests_free(tests);
        return rc;
    }
    *out = tests;
    return SP_OK;
}

/* ---- running ---- */

/* Writes an amount, or "none". */
static void amount_text(const struct scheme *s, int present, int64_t minor, char *out, size_t size)
{
    if (!present) {
        text_copy(out, size, "none");
        return;
    }
    scheme_amount_text(s, minor, out, size);
}

/* 1 if the lines of a and b hold the same names, in any order (each name once in both). */
static int same_names(const char *a, const char *b)
{
    int n_a = 0, n_b = 0;
    for (const char *q = a; *q; q++)
        n_a += *q == '\n';
    for (const char *q = b; *q; q++)
        n_b += *q == '\n';
    if (n_a != n_b)
        return 0;
    for (const char *line = a; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = (size_t)(end - line) + 1;
        int found = 0;
        for (const char *q = b; *q && !found;) {
            const char *qe = strchr(q, '\n');
            found = (size_t)(qe - q) + 1 == n && memcmp(q, line, n) == 0;
            q = qe + 1;
        }
        if (!found)
            return 0;
        line = end + 1;
    }
    return 1;
}

/* Writes the lines of names as "[a, b]" into out. */
static int names_text(const char *names, struct buf *out, struct error *err)
{
    int rc = buf_puts(out, "[", err);
    for (const char *line = names; rc == SP_OK && *line;) {
        const char *end = strchr(line, '\n');
        rc = buf_printf(out, err, "%s%.*s", line == names ? "" : ", ", (int)(end - line), line);
        line = end + 1;
    }
    return rc == SP_OK ? buf_puts(out, "]", err) : rc;
}

/* The lines for the keys only some decisions have: missing, excluded_by, optional. */
static int compare_marks(const struct scheme_test_output *o, const struct decision *d,
                         const char *missing, struct buf *lines, int *mismatches, struct error *err)
{
    int rc = SP_OK;
    if (o->has_missing && !same_names(o->missing.data, missing)) {
        (*mismatches)++;
        rc = buf_puts(lines, "    missing: expected ", err);
        if (rc == SP_OK)
            rc = names_text(o->missing.data, lines, err);
        if (rc == SP_OK)
            rc = buf_puts(lines, ", got ", err);
        if (rc == SP_OK)
            rc = names_text(missing, lines, err);
        if (rc == SP_OK)
            rc = buf_puts(lines, "\n", err);
    }
    const char *want = o->excluded_by ? o->excluded_by->id : NULL;
    if (rc == SP_OK && o->has_excluded_by &&
        (want == NULL ? d->excluded_by != NULL
                      : d->excluded_by == NULL || strcmp(want, d->excluded_by) != 0)) {
        (*mismatches)++;
        rc = buf_printf(lines, err, "    excluded_by: expected %s, got %s\n", want ? want : "null",
                        d->excluded_by ? d->excluded_by : "null");
    }
    if (rc == SP_OK && o->has_optional && o->optional != o->scheme->optional) {
        (*mismatches)++;
        rc = buf_printf(lines, err, "    optional: expected %s, got %s\n",
                        o->optional ? "true" : "false", o->scheme->optional ? "true" : "false");
    }
    return rc;
}

/* Appends one line per key of o that d does not match; *mismatches counts them. */
static int compare(const struct scheme_test_case *c, const struct scheme_test_output *o,
                   const struct decision *d, struct buf *lines, int *mismatches, struct error *err)
{
    if (c->unset_may_be_filled && o->has_status && o->status == DECISION_PARAMETER_NOT_SET &&
        d->status != DECISION_PARAMETER_NOT_SET)
        return SP_OK; /* an overlay filled the value the case expects unset */
    const struct scheme *s = o->scheme;
    int eligible = d->status == DECISION_ELIGIBLE;
    int rc = SP_OK;
    char want[MONEY_TEXT_MAX], got[MONEY_TEXT_MAX];
    if (o->has_eligible && o->eligible != eligible) {
        (*mismatches)++;
        rc = buf_printf(lines, err, "    eligible: expected %s, got %s (%s)\n",
                        o->eligible ? "true" : "false", eligible ? "true" : "false",
                        decision_status_name(d->status));
    }
    if (rc == SP_OK && o->has_status && o->status != d->status) {
        (*mismatches)++;
        rc = buf_printf(lines, err, "    status: expected %s, got %s\n",
                        decision_status_name(o->status), decision_status_name(d->status));
    }
    if (rc == SP_OK && o->has_amount &&
        (o->amount_null ? d->has_amount : (!d->has_amount || d->amount != o->amount))) {
        (*mismatches)++;
        amount_text(s, !o->amount_null, o->amount, want, sizeof want);
        amount_text(s, d->has_amount, d->amount, got, sizeof got);
        rc = buf_printf(lines, err, "    amount: expected %s, got %s\n", want, got);
    }
    if (rc == SP_OK && o->has_contribution && o->contribution_null && d->has_contribution) {
        (*mismatches)++;
        rc = buf_printf(lines, err, "    contribution: expected none, got one\n");
    }
    static const char *const names[] = {"employee", "employer", "state", "total"};
    for (int k = 0; rc == SP_OK && k < 4; k++) {
        if (!(o->contribution_keys & (1u << k)))
            continue;
        int present = d->has_contribution && (k == TEST_PART_TOTAL || (d->parts_given >> k) & 1);
        int64_t value = k == TEST_PART_TOTAL ? d->total : d->parts[k];
        if (present && value == o->contribution[k])
            continue;
        (*mismatches)++;
        amount_text(s, 1, o->contribution[k], want, sizeof want);
        amount_text(s, present, value, got, sizeof got);
        rc = buf_printf(lines, err, "    contribution.%s: expected %s, got %s\n", names[k], want,
                        got);
    }
    return rc;
}

/*
 * Decides person p (history h) on as_of for scheme s and, when s is in an exclusion group,
 * for every scheme of the group in lib, applying decide_exclusions; *d is s's decision, and b
 * and sc are left bound for s (the caller frees them).
 */
static int decide_with_group(const struct scheme_library *lib, const struct scheme *s,
                             int32_t as_of, const struct person *p, const struct person_history *h,
                             struct decide_bound **b, struct decide_scratch **sc,
                             struct decision *d, struct error *err)
{
    int rc = decide_bind(s, as_of, b, err);
    if (rc == SP_OK)
        rc = decide_scratch_new(s, sc, err);
    if (rc == SP_OK)
        rc = decide_one(*b, *sc, p, h, d, err);
    if (rc != SP_OK || s->exclusive_group == NULL)
        return rc;
    size_t room = (size_t)lib->n_schemes + 1;
    const struct scheme **schemes = sp_calloc(room, sizeof *schemes);
    struct decision *decisions = sp_calloc(room, sizeof *decisions);
    struct decision **row = sp_calloc(room, sizeof *row);
    int n = 0;
    if (schemes == NULL || decisions == NULL || row == NULL)
        rc = error_nomem(err);
    for (int i = 0; rc == SP_OK && i < lib->n_schemes; i++) {
        const struct scheme *peer = lib->schemes[i];
        if (!scheme_same_group(peer, s))
            continue;
        schemes[n] = peer;
        row[n] = peer == s ? d : &decisions[n];
        if (peer != s) {
            struct decide_bound *pb = NULL;
            struct decide_scratch *ps = NULL;
            rc = decide_bind(peer, as_of, &pb, err);
            if (rc == SP_OK)
                rc = decide_scratch_new(peer, &ps, err);
            if (rc == SP_OK)
                rc = decide_one(pb, ps, p, h, &decisions[n], err);
            decide_scratch_free(ps);
            decide_bound_free(pb);
        }
        n++;
    }
    if (rc == SP_OK)
        decide_exclusions(p, schemes, row, n);
    sp_free(schemes);
    sp_free(decisions);
    sp_free(row);
    return rc;
}

/* Runs one output of a case; appends what did not match (and why) to lines. */
static int run_output(const struct scheme_tests *tests, const struct scheme_test_case *c,
                      const struct scheme_test_output *o, struct buf *lines, int *mismatches,
                      struct error *err)
{
    int at = 0;
    while (strcmp(c->situation.persons[at].id, o->person) != 0)
        at++;
    const struct person *p = &c->situation.persons[at];
    const struct person_history *h = &c->situation.histories[at];
    struct decide_bound *b = NULL;
    struct decide_scratch *s = NULL;
    struct decision d;
    int rc = decide_with_group(tests->lib, o->scheme, c->as_of, p, h, &b, &s, &d, err);
    int before = *mismatches;
    struct buf found, missing;
    buf_init(&found, 1u << 20);
    buf_init(&missing, 1u << 16);
    if (rc == SP_OK)
        rc = decide_missing(b, s, p, h, &d, &missing, err);
    if (rc == SP_OK)
        rc = compare(c, o, &d, &found, mismatches, err);
    if (rc == SP_OK)
        rc = compare_marks(o, &d, missing.data, &found, mismatches, err);
    if (rc == SP_OK && *mismatches > before) {
        rc = buf_printf(lines, err, "  %s:%d: %s %s:\n%s    explanation:\n", c->file, o->line,
                        o->person, o->scheme->id, found.data);
        struct buf why;
        buf_init(&why, 1u << 20);
        if (rc == SP_OK)
            rc = decide_explain(b, s, p, h, &d, 1, &why, err);
        for (const char *line = why.data; rc == SP_OK && *line;) {
            const char *end = strchr(line, '\n');
            size_t n = end ? (size_t)(end - line) : strlen(line);
            rc = buf_printf(lines, err, "      %.*s\n", (int)n, line);
            line += n + (end != NULL);
        }
        buf_release(&why);
    }
    buf_release(&missing);
    buf_release(&found);
    decide_scratch_free(s);
    decide_bound_free(b);
    return rc;
}

int scheme_tests_run(const struct scheme_tests *tests, int *passed, int *failed, struct buf *report,
                     struct error *err)
{
    *passed = *failed = 0;
    int rc = SP_OK;
    for (int i = 0; i < tests->n_cases && rc == SP_OK; i++) {
        const struct scheme_test_case *c = &tests->cases[i];
        struct buf lines;
        buf_init(&lines, 4u << 20);
        int mismatches = 0;
        for (int k = 0; k < c->n_outputs && rc == SP_OK; k++)
            rc = run_output(tests, c, &c->outputs[k], &lines, &mismatches, err);
        if (rc == SP_OK && mismatches > 0) {
            (*failed)++;
            rc = buf_printf(report, err, "FAIL %s:%d: %s\n%s", c->file, c->line, c->name,
                            lines.data);
        } else if (rc == SP_OK) {
            (*passed)++;
        }
        buf_release(&lines);
    }
    return rc;
}
