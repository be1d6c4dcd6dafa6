/*
 * Unit tests for rules/overlay: an overlay fills in a value the library leaves unset, or
 * changes a value or a rule from a date, in a new rule set beside the shipped one (both decide
 * in one process, and either may be freed first); later overlays win from their dates on;
 * explanations name the overlay; every mistake in an overlay file names file:line:col.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "rules/decide.h"
#include "rules/overlay.h"
#include "rules/situation_load.h"
#include "support.h"

#define SHIPPED "schemes" /* the scheme library */

static struct scheme_library *shipped;

static int setup(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    if (scheme_library_load(SHIPPED, &shipped, &err) != SP_OK) {
        print_error("%s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scheme_library_free(shipped);
    return 0;
}

/* Loads overlay text named "o.yaml" against the shipped library; returns the status. */
static int load(const char *yaml, struct overlay **out, struct error *err)
{
    error_init(err);
    *out = NULL;
    return overlay_load_text("o.yaml", yaml, strlen(yaml), shipped, out, err);
}

/* Loads overlay text that must load. */
static struct overlay *loaded(const char *yaml)
{
    struct overlay *o = NULL;
    struct error err;
    if (load(yaml, &o, &err) != SP_OK)
        fail_msg("overlay refused: %s", err.message);
    return o;
}

/* Lays overlays over the shipped library; the caller frees the result. */
static struct scheme_library *laid(struct overlay **overlays, int n)
{
    struct scheme_library *lib = NULL;
    struct error err;
    error_init(&err);
    if (scheme_library_overlay(shipped, (const struct overlay *const *)overlays, n, &lib, &err) !=
        SP_OK)
        fail_msg("laying the overlays: %s", err.message);
    return lib;
}

static int refusals_wrong; /* refused() calls whose refusal was not the one expected */

/* Checks that the overlay text is refused, the message starting with where and holding what. */
static void refused(const char *yaml, const char *where, const char *what)
{
    struct overlay *o = NULL;
    struct error err;
    int rc = load(yaml, &o, &err);
    overlay_free(o);
    if (rc != SP_BAD_INPUT || strncmp(err.message, where, strlen(where)) != 0 ||
        strstr(err.message, what) == NULL)
        print_error("expected \"%s ... %s\", got rc %d: %s\n", where, what, rc, err.message);
    refusals_wrong += rc != SP_BAD_INPUT || strncmp(err.message, where, strlen(where)) != 0 ||
                      strstr(err.message, what) == NULL;
}

/* One person's decision for a scheme of lib on a date, with the explanation in why. */
static struct decision decide(const struct scheme_library *lib, const char *scheme,
                              const char *person_yaml, const char *date, struct buf *why)
{
    struct situation sit;
    situation_init(&sit);
    struct error err;
    error_init(&err);
    struct ydoc *doc = NULL;
    assert_int_equal(ydoc_parse("s.yaml", person_yaml, strlen(person_yaml), &doc, &err), SP_OK);
    struct situation_options options = {DATE_NONE, lib};
    assert_int_equal(situation_load_node(doc, doc->root, &options, &sit, &err), SP_OK);
    ydoc_free(doc);
    const struct scheme *s = scheme_library_find(lib, scheme);
    assert_non_null(s);
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    struct decision d;
    assert_int_equal(decide_bind(s, test_day(date), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(s, &sc, &err), SP_OK);
    assert_int_equal(decide_one(b, sc, &sit.persons[0], &sit.histories[0], &d, &err), SP_OK);
    buf_reset(why);
    assert_int_equal(decide_explain(b, sc, &sit.persons[0], &sit.histories[0], &d, 1, why, &err),
                     SP_OK);
    decide_scratch_free(sc);
    decide_bound_free(b);
    situation_release(&sit);
    return d;
}

static const char *const humla_child =
    "persons:\n  - {id: c1, sex: female, birth_date: 2022-10-01, country: NP, admin2: Humla}\n";

static const char *const districts =
    "id: np.karnali_child_grant\n"
    "title: Child grant districts\n"
    "reference: \"District office circular\"\n"
    "parameters:\n"
    "  np.ssa.child_grant_districts:\n"
    "    values:\n"
    "      2016-07-16: {value: [Humla, Jumla], reference: \"Karnali zone, 2016\"}\n";

/* The unset list is filled in the new set; the shipped set still waits for it; both decide. */
static void an_overlay_fills_an_unset_list_beside_the_shipped_one(void **state)
{
    (void)state;
    struct overlay *o = loaded(districts);
    struct scheme_library *filled = laid(&o, 1);
    overlay_free(o); /* the new set keeps nothing of the overlay */

    const struct param *base = param_set_find(shipped->params, "np.ssa.child_grant_districts");
    const struct param *mine = param_set_find(filled->params, "np.ssa.child_grant_districts");
    int32_t day = test_day("2025-01-15");
    assert_int_equal(param_value_at(base, day)->is_set, 0);
    assert_null(param_value_at(base, day)->overlay);
    const struct param_value *v = param_value_at(mine, day);
    assert_int_equal(v->is_set, 1);
    assert_int_equal(v->n_items, 2);
    assert_string_equal(v->items[0], "Humla");
    assert_string_equal(v->overlay, "np.karnali_child_grant");
    assert_string_equal(v->reference, "overlay np.karnali_child_grant: Karnali zone, 2016");
    assert_null(param_value_at(mine, test_day("2016-07-15"))); /* before it, as shipped */

    struct buf why;
    buf_init(&why, 1u << 20);
    struct decision d = decide(shipped, "np.ssa.child_grant", humla_child, "2025-01-15", &why);
    assert_int_equal(d.status, DECISION_PARAMETER_NOT_SET);
    d = decide(filled, "np.ssa.child_grant", humla_child, "2025-01-15", &why);
    assert_int_equal(d.status, DECISION_ELIGIBLE);
    assert_int_equal(d.amount, 53200);
    assert_non_null(strstr(why.data, "(since 2016-07-16: overlay np.karnali_child_grant: "
                                     "Karnali zone, 2016)"));
    buf_release(&why);
    scheme_library_free(filled);
}

static const char *const senior_66 =
    "persons:\n  - {id: s, sex: male, birth_date: 1958-06-01, country: NP, admin2: Kaski}\n";

/* An overlay setting np.ssa.senior_age to `age` from `from`, with the id reform.<name>. */
static struct overlay *senior_age(const char *name, int age, const char *from)
{
    char yaml[512];
    snprintf(yaml, sizeof yaml,
             "id: reform.%s\ntitle: t\nreference: r\nparameters:\n  np.ssa.senior_age:\n"
             "    unit: years\n    values:\n      %s: {value: %d, reference: \"%s\"}\n",
             name, from, age, name);
    return loaded(yaml);
}

/* Each overlay wins from its first date on, over the shipped values and earlier overlays. */
static void later_overlays_win_from_their_dates_on(void **state)
{
    (void)state;
    struct overlay *o[2] = {senior_age("a", 65, "2024-07-16"), senior_age("b", 67, "2025-01-01")};
    struct scheme_library *lib = laid(o, 2);
    const struct param *p = param_set_find(lib->params, "np.ssa.senior_age");
    assert_int_equal(param_value_at(p, test_day("2024-07-15"))->number, 68); /* shipped */
    assert_null(param_value_at(p, test_day("2024-07-15"))->overlay);
    assert_int_equal(param_value_at(p, test_day("2024-07-16"))->number, 65);
    assert_int_equal(param_value_at(p, test_day("2024-12-31"))->number, 65);
    assert_int_equal(param_value_at(p, test_day("2025-01-01"))->number, 67);
    assert_int_equal(param_value_at(p, test_day("2026-01-01"))->number, 67); /* not 70 */
    assert_string_equal(param_value_at(p, test_day("2026-01-01"))->overlay, "reform.b");
    scheme_library_free(lib);

    struct overlay *swapped[2] = {o[1], o[0]}; /* a, from 2024-07-16, now comes last */
    lib = laid(swapped, 2);
    p = param_set_find(lib->params, "np.ssa.senior_age");
    assert_int_equal(param_value_at(p, test_day("2026-01-01"))->number, 65);
    assert_string_equal(param_value_at(p, test_day("2026-01-01"))->overlay, "reform.a");
    struct buf why;
    buf_init(&why, 1u << 20);
    struct decision d = decide(lib, "np.ssa.senior_citizen", senior_66, "2025-01-15", &why);
    assert_int_equal(d.status, DECISION_ELIGIBLE);
    assert_non_null(strstr(why.data, "age 66 >= np.ssa.senior_age 65 (since 2024-07-16: "
                                     "overlay reform.a: a)"));
    buf_release(&why);
    scheme_library_free(lib);
    overlay_free(o[0]);
    overlay_free(o[1]);
}

/* A rule changes a condition and the amount from its date; before it the scheme file holds. */
static void a_rule_changes_a_condition_and_the_amount_from_its_date(void **state)
{
    (void)state;
    struct overlay *o = loaded("id: reform.senior65\n"
                               "title: Senior allowance from 65, doubled\n"
                               "reference: \"Proposal X\"\n"
                               "rules:\n"
                               "  - scheme: np.ssa.senior_citizen\n"
                               "    condition: senior_age\n"
                               "    when: |\n"
                               "      age >= 65 // the proposal's age\n"
                               "    from: 2024-07-16\n"
                               "    reference: \"Proposal X, clause 1\"\n"
                               "  - scheme: np.ssa.senior_citizen\n"
                               "    amount: params.allowance.senior * 2\n"
                               "    from: 2024-07-16\n"
                               "    reference: \"Proposal X, clause 2\"\n");
    struct scheme_library *lib = laid(&o, 1);
    struct buf why;
    buf_init(&why, 1u << 20);
    struct decision d = decide(lib, "np.ssa.senior_citizen", senior_66, "2025-01-15", &why);
    assert_int_equal(d.status, DECISION_ELIGIBLE);
    assert_int_equal(d.amount, 800000);
    assert_non_null(strstr(why.data, "senior_age: changed by overlay reform.senior65 (since "
                                     "2024-07-16: Proposal X, clause 1): age >= 65 // the "
                                     "proposal's age\n"));
    assert_non_null(strstr(why.data, "amount: changed by overlay reform.senior65"));
    assert_null(strstr(why.data, "as_of")); /* the date test is not a reason of its own */
    assert_null(strstr(why.data, "\n\n"));  /* one line each */

    d = decide(lib, "np.ssa.senior_citizen", senior_66, "2024-07-15", &why);
    assert_int_equal(d.status, DECISION_NOT_ELIGIBLE); /* 66 < 68, as shipped */
    assert_null(strstr(why.data, "reform.senior65"));
    d = decide(shipped, "np.ssa.senior_citizen", senior_66, "2025-01-15", &why);
    assert_int_equal(d.status, DECISION_NOT_ELIGIBLE); /* the shipped set is not changed */
    buf_release(&why);
    scheme_library_free(lib);
    overlay_free(o);
}

#define HEAD "id: x\ntitle: t\nreference: r\n"
#define AGE  HEAD "parameters:\n  np.ssa.senior_age:\n"

static void mistakes_name_file_line_col(void **state)
{
    (void)state;
    refused(HEAD "parameter:\n  a: 1\n", "o.yaml:4:1:", "unknown key \"parameter\"");
    refused(HEAD, "o.yaml:1:1:", "give `parameters` or `rules`");
    refused("id: X\ntitle: t\nreference: r\nparameters: {}\n", "o.yaml:1:5:", "id \"X\"");
    refused(HEAD "parameters:\n  np.ssa.senior_ag:\n    values: {}\n",
            "o.yaml:5:3:", "unknown parameter \"np.ssa.senior_ag\"");
    refused(AGE "    unit: months\n    values:\n      2024-07-16: {value: 780, reference: x}\n",
            "o.yaml:6:11:", "is in years, not months");
    refused(AGE "    values:\n      2024-07-16: {value: 65, reference: x}\n",
            "o.yaml:6:5:", "say so with `unit: years`");
    refused(HEAD "parameters:\n  np.ssa.child_grant_districts:\n    unit: count\n"
                 "    values:\n      2024-07-16: {value: [a], reference: x}\n",
            "o.yaml:6:11:", "has no unit (its kind is list)");
    refused(AGE "    unit: years\n    value: 65\n", "o.yaml:7:5:", "unknown key \"value\"");
    refused(AGE "    unit: years\n    values:\n      soon: {value: 65, reference: x}\n",
            "o.yaml:8:7:", "\"soon\" is not a date");
    refused(AGE "    unit: years\n    values:\n      2024-07-16: {value: 65}\n",
            "o.yaml:8:19:", "needs a reference");
    refused(AGE "    unit: years\n    values:\n      2024-07-16: {value: 6.5, reference: x}\n",
            "o.yaml:8:27:", "is not a whole number");
    refused(HEAD "parameters:\n  np.ssa.allowance.senior:\n    unit: NPR\n    values:\n"
                 "      2024-07-16: {value: \"4000.001\", reference: x}\n",
            "o.yaml:8:27:", "has too many decimal places: NPR has 2");
    refused(HEAD "rules:\n  - {scheme: np.ssa.senior, condition: a, when: \"true\", "
                 "from: 2024-07-16, reference: x}\n",
            "o.yaml:5:14:", "no scheme has the id \"np.ssa.senior\"");
    refused(HEAD "rules:\n  - {scheme: np.ssa.senior_citizen, condition: age, when: \"true\", "
                 "from: 2024-07-16, reference: x}\n",
            "o.yaml:5:48:", "has no condition \"age\"");
    refused(HEAD "rules:\n  - {scheme: np.ssa.senior_citizen, condition: senior_age, "
                 "when: \"age + 1\", from: 2024-07-16, reference: x}\n",
            "o.yaml:5:67:", "expected bool here, got int");
    refused(HEAD "rules:\n  - {scheme: np.ssa.senior_citizen, condition: senior_age, "
                 "when: \"shoe_size > 3\", from: 2024-07-16, reference: x}\n",
            "o.yaml:5:67:", "unknown fact \"shoe_size\"");
    refused(HEAD "rules:\n  - {scheme: np.ssa.senior_citizen, condition: senior_age, "
                 "when: \"true\", from: someday, reference: x}\n",
            "o.yaml:5:80:", "from: \"someday\" is not a date");
    refused(HEAD "rules:\n  - {scheme: np.ssa.senior_citizen, amount: \"2\", "
                 "from: 2024-07-16, reference: x}\n",
            "o.yaml:5:46:", "expected money (NPR) here, got int");
    refused(AGE "    unit: years\n    values:\n      2024-07-16: {value: 65, reference: x}\n"
                "tests:\n  - name: a case\n    as_of: 2025-01-15\n"
                "    input: {persons: [{id: p, country: NP}]}\n"
                "    output: [{person: q, scheme: np.ssa.senior_citizen, eligible: true}]\n",
            "o.yaml:13:", "q");
    assert_int_equal(refusals_wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_overlay_fills_an_unset_list_beside_the_shipped_one),
        cmocka_unit_test(later_overlays_win_from_their_dates_on),
        cmocka_unit_test(a_rule_changes_a_condition_and_the_amount_from_its_date),
        cmocka_unit_test(mistakes_name_file_line_col),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
