/*
 * Unit tests for rules/scheme (and the scheme test-case loader): a scheme library loads with
 * every field in place, and each kind of mistake in a scheme, parameter or test file is
 * refused with file:line:col and what is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "rules/param_load.h"
#include "rules/scheme.h"
#include "rules/scheme_test.h"
#include "support.h"

#define FIXTURE "tests/data/rules/schemes"
#define BAD     "tests/data/bad-schemes"

static void the_fixture_library_loads_with_every_field(void **state)
{
    (void)state;
    struct scheme_library *lib = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(scheme_library_load(FIXTURE, &lib, &err), SP_OK);
    assert_int_equal(lib->n_schemes, 4);
    assert_string_equal(lib->schemes[0]->id, "np.ssa.karnali_senior"); /* sorted by id */
    assert_int_equal(lib->n_test_files, 2);

    const struct scheme *s = scheme_library_find(lib, "np.ssa.senior_citizen");
    assert_non_null(s);
    assert_string_equal(s->name, "Senior citizen allowance");
    assert_string_equal(s->country, "NP");
    assert_string_equal(s->branch, "old_age");
    assert_int_equal(s->kind, SCHEME_NON_CONTRIBUTORY);
    assert_string_equal(s->currency, "NPR");
    assert_string_equal(s->params, "np.ssa");
    assert_int_equal(s->valid_from, test_day("2016-07-16"));
    assert_int_equal(s->valid_to, DATE_NONE);
    assert_int_equal(s->per, PER_MONTH);
    assert_string_equal(scheme_per_name(s->per), "month");
    assert_int_equal(s->n_values, 1);
    assert_string_equal(s->values[0].name, "age");
    assert_int_equal(s->values[0].index, 0);
    assert_int_equal(s->n_eligibility, 1);
    assert_int_equal(s->eligibility[0].index, 1);
    assert_int_equal(s->amount.index, 2);
    assert_int_equal(expr_unit_count(s->unit), 3);
    assert_int_equal(expr_unit_type(s->unit, s->amount.index).kind, EXPR_MONEY);
    assert_int_equal(s->n_cycles, 2);
    assert_int_equal(s->cycles[1].every_months, 3);
    assert_int_equal(s->n_grandfathers, 1);
    assert_string_equal(s->grandfathers[0].path, "np.ssa.senior_age");
    assert_int_equal(s->grandfathers[0].enrolled_before, test_day("2025-07-17"));
    assert_true(scheme_in_force(s, test_day("2016-07-16")));
    assert_false(scheme_in_force(s, test_day("2016-07-15")));
    assert_int_equal(s->eligibility[0].pos.line, 16); /* after its text and figure */
    assert_int_equal(s->eligibility[0].pos.col, 11);
    assert_int_equal(s->n_words, 2); /* the condition's English words and its Nepali ones */
    assert_string_equal(s->words[0].text.source, "Aged {params.senior_age} or more");
    assert_string_equal(s->words[0].figure.source, "{she} is {age}");

    const struct scheme *c = scheme_library_find(lib, "ph.sss.contributions");
    assert_int_equal(c->kind, SCHEME_CONTRIBUTORY);
    assert_true(c->has_contribution);
    assert_true(c->wage.index >= 0 && c->floor.index >= 0 && c->cap.index >= 0);
    assert_true(c->parts[SCHEME_PART_EMPLOYEE].index >= 0);
    assert_int_equal(c->parts[SCHEME_PART_STATE].index, -1);
    assert_int_equal(c->amount.index, -1);
    assert_null(scheme_library_find(lib, "np.ssa.nope"));

    struct scheme_tests *tests = NULL;
    assert_int_equal(scheme_tests_load(lib, &tests, &err), SP_OK);
    assert_int_equal(tests->n_cases, 8);
    int passed, failed;
    struct buf report;
    buf_init(&report, 1 << 20);
    assert_int_equal(scheme_tests_run(tests, &passed, &failed, &report, &err), SP_OK);
    assert_int_equal(passed, 8);
    assert_int_equal(failed, 0);
    buf_release(&report);
    scheme_tests_free(tests);
    scheme_library_free(lib);
}

/* Loads library dir and its tests; asserts the first error starts with `where` and holds
 * `what`. */
static void library_refused(const char *dir, const char *where, const char *what)
{
    struct scheme_library *lib = NULL;
    struct scheme_tests *tests = NULL;
    struct error err;
    error_init(&err);
    int rc = scheme_library_load(dir, &lib, &err);
    if (rc == SP_OK) {
        rc = scheme_tests_load(lib, &tests, &err);
        scheme_tests_free(tests);
        scheme_library_free(lib);
    }
    if (rc != SP_BAD_INPUT || strncmp(err.message, where, strlen(where)) != 0 ||
        strstr(err.message, what) == NULL)
        fail_msg("%s: expected \"%s ... %s\", got rc %d: %s", dir, where, what, rc, err.message);
}

static void bad_scheme_files_name_file_line_and_column(void **state)
{
    (void)state;
    library_refused(BAD "/yaml_syntax",
                    BAD "/yaml_syntax/np/senior.yaml:11:4:", "YAML syntax error");
    library_refused(BAD "/expr_syntax",
                    BAD "/expr_syntax/np/senior.yaml:10:35:", "the expression ends");
    library_refused(BAD "/unknown_fact",
                    BAD "/unknown_fact/np/senior.yaml:10:11:", "unknown fact \"shoe_size\"");
    library_refused(BAD "/type_error", BAD "/type_error/np/senior.yaml:11:9:", "money");
    library_refused(BAD "/unknown_key", BAD "/unknown_key/np/senior.yaml:8:1:",
                    "unknown key \"eligibilty\": expected one of id, name");
    library_refused(BAD "/param_no_values", BAD "/param_no_values/np/params.yaml:12:5:",
                    "parameter np.ssa.widow_allowance has no values");
    library_refused(BAD "/unknown_test_scheme", BAD "/unknown_test_scheme/np/tests/ssa.yaml:8:28:",
                    "no scheme has the id \"np.ssa.senior_citizn\"");
    library_refused("tests/data/no-such-folder", "tests/data/no-such-folder",
                    "cannot read the scheme folder");
}

/* Loads one scheme from text against the fixture's NP parameters. */
static int load_scheme_text(const char *yaml, struct error *err)
{
    struct param_set *params = NULL;
    error_init(err);
    assert_int_equal(param_set_new(&params, err), SP_OK);
    assert_int_equal(param_load_file(params, FIXTURE "/np/params.yaml", err), SP_OK);
    struct ydoc *doc = NULL;
    int rc = ydoc_parse("s.yaml", yaml, strlen(yaml), &doc, err);
    struct scheme *s = NULL;
    if (rc == SP_OK)
        rc = scheme_load_doc(doc, params, &s, err);
    if (rc == SP_OK)
        scheme_free(s); /* frees doc too */
    else
        ydoc_free(doc);
    param_set_free(params);
    return rc;
}

static void scheme_refused(const char *body, const char *where, const char *what)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "id: np.ssa.test\nname: Test\ncountry: NP\nkind: non_contributory\ncurrency: NPR\n"
             "params: np.ssa\n%s",
             body);
    struct error err;
    int rc = load_scheme_text(yaml, &err);
    if (rc != SP_BAD_INPUT || strncmp(err.message, where, strlen(where)) != 0 ||
        strstr(err.message, what) == NULL)
        fail_msg("expected \"%s ... %s\", got rc %d: %s", where, what, rc, err.message);
}

static void scheme_fields_are_checked_strictly(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(load_scheme_text("id: np.ssa.ok\nname: ok\ncountry: NP\nbranch: old_age\n"
                                      "kind: non_contributory\ncurrency: NPR\nparams: np.ssa\n"
                                      "amount: params.allowance.senior\nper: month\n",
                                      &err),
                     SP_OK);
    scheme_refused("branch: pensions\n", "s.yaml:7:9:", "branch \"pensions\" is not known");
    scheme_refused("branch: old_age\nper: weekly\n", "s.yaml:8:6:", "per \"weekly\"");
    scheme_refused("branch: old_age\namount: params.allowance.senior\n",
                   "s.yaml:8:9:", "needs `per`");
    scheme_refused("branch: old_age\ncontribution: {wage: monthly_wage, employee: 0.1}\n",
                   "s.yaml:8:15:", "needs kind: contributory");
    scheme_refused("branch: old_age\neligibility:\n  - {name: a, when: 'true'}\n"
                   "  - {name: a, when: 'false'}\n",
                   "s.yaml:10:12:", "condition a is named twice");
    scheme_refused("branch: old_age\neligibility:\n  - {name: a, when: age_years(birth_date)}\n",
                   "s.yaml:9:21:", "bool");
    scheme_refused("branch: old_age\nvalid_from: 2016-02-30\n", "s.yaml:8:13:", "valid_from");
    scheme_refused("branch: old_age\nfacts:\n  sex: {type: text, description: x}\n",
                   "s.yaml:9:3:", "already in the facts vocabulary");
    scheme_refused("branch: old_age\ngrandfathering:\n  - {parameter: nope, enrolled_before: "
                   "2025-07-17, keep_as_of: 2025-07-16, reference: x}\n",
                   "s.yaml:9:17:", "parameter np.ssa.nope is not defined");
    scheme_refused("branch: old_age\npayment_cycle:\n  2016-07-16: {every_months: 0, "
                   "reference: x}\n",
                   "s.yaml:9:30:", "every_months");
    char yaml[256];
    snprintf(yaml, sizeof yaml,
             "id: ph.sss.x\nname: x\ncountry: NP\nbranch: old_age\n"
             "kind: contributory\ncurrency: NPR\n");
    assert_int_equal(load_scheme_text(yaml, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "s.yaml:1:5: id \"ph.sss.x\" must start with the country (np.)");
}

/* The same as scheme_refused, for a contributory scheme. */
static void contributory_refused(const char *body, const char *where, const char *what)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "id: np.ssa.test\nname: Test\ncountry: NP\nkind: contributory\ncurrency: NPR\n"
             "params: np.ssa\nbranch: old_age\n%s",
             body);
    struct error err;
    int rc = load_scheme_text(yaml, &err);
    if (rc != SP_BAD_INPUT || strncmp(err.message, where, strlen(where)) != 0 ||
        strstr(err.message, what) == NULL)
        fail_msg("expected \"%s ... %s\", got rc %d: %s", where, what, rc, err.message);
}

/*
 * Fortnights and weekly or twice-monthly cycles, several contributions_from, a contingency's
 * date, benefits in kind and contributions of fixed amounts: each loads as written, and each
 * mistake is refused where it is written.
 */
static void engine_gap_fields_load_and_are_checked(void **state)
{
    (void)state;
    struct error err;
    const char *ok =
        "id: np.ssa.ok\nname: ok\ncountry: NP\nbranch: old_age\nkind: contributory\n"
        "currency: NPR\nparams: np.ssa\ncontributions_from: [np.ssa.a, np.ssa.b]\n"
        "amount: params.allowance.senior\nper: fortnight\n"
        "payment_cycle:\n  2016-07-16: {every_weeks: 2, reference: x}\n"
        "  2020-01-01: {times_a_month: 2, reference: y}\n"
        "contribution: {employee: params.allowance.senior}\n"
        "contingency: {date: 'events.last(\"birth\")', parameters: [allowance.senior], "
        "reference: z}\n";
    assert_int_equal(load_scheme_text(ok, &err), SP_OK);
    assert_int_equal(scheme_per_year(PER_FORTNIGHT), 26);
    assert_int_equal(scheme_per_year(PER_MONTH), 12);
    assert_int_equal(scheme_per_year(PER_ONCE), 0);
    struct scheme_cycle fortnightly = {0, 0, 2, 0, "x"}, twice = {0, 0, 0, 2, "x"},
                        five = {0, 5, 0, 0, "x"};
    int num, den;
    scheme_cycle_per_year(&fortnightly, &num, &den);
    assert_true(num == 26 && den == 1);
    scheme_cycle_per_year(&twice, &num, &den);
    assert_true(num == 24 && den == 1);
    scheme_cycle_per_year(&five, &num, &den);
    assert_true(num == 12 && den == 5);

    contributory_refused("payment_cycle:\n  2016-07-16: {every_weeks: 2, every_months: 1, "
                         "reference: x}\n",
                         "s.yaml:9:29:", "how often once");
    contributory_refused("payment_cycle:\n  2016-07-16: {every_weeks: 53, reference: x}\n",
                         "s.yaml:9:29:", "every_weeks \"53\" must be a whole number from 1 to 52");
    contributory_refused("payment_cycle:\n  2016-07-16: {reference: x}\n",
                         "s.yaml:9:15:", "needs every_months, every_weeks or times_a_month");
    contributory_refused("contribution: {employee: 0.1}\n",
                         "s.yaml:8:26:", "a contribution without a wage has no base for a rate");
    contributory_refused("contribution: {cap: params.allowance.senior, employee: "
                         "params.allowance.senior}\n",
                         "s.yaml:8:21:", "cap bounds the wage");
    contributory_refused("amount: params.senior_age\namount_unit: hours\nper: year\n",
                         "s.yaml:9:14:", "amount_unit \"hours\" is not known");
    contributory_refused("amount: params.allowance.senior\namount_unit: days\nper: year\n",
                         "s.yaml:8:9:", "int");
    contributory_refused("contributions_from: [np.ssa.a, np.ssa.a]\n",
                         "s.yaml:8:32:", "names np.ssa.a twice");
    contributory_refused("contributions_from: {a: b}\n",
                         "s.yaml:8:21:", "expected a scheme id or a list of them");
    contributory_refused("contingency: {date: as_of, parameters: [nope], reference: x}\n",
                         "s.yaml:8:41:", "parameter np.ssa.nope is not defined");
    contributory_refused("contingency: {date: params.senior_age, parameters: [senior_age], "
                         "reference: x}\n",
                         "s.yaml:8:21:", "date");
    contributory_refused("contingency: {date: as_of, parameters: [senior_age]}\n",
                         "s.yaml:8:14:", "reference");
    contributory_refused("grandfathering:\n  - {parameter: senior_age, enrolled_before: "
                         "2025-07-17, keep_as_of: 2025-07-16, reference: x}\n"
                         "contingency: {date: as_of, parameters: [senior_age], reference: x}\n",
                         "s.yaml:10:41:", "is grandfathered");
}

/* Every allocation failing in turn while the library and its tests load and run: each
 * attempt either succeeds or reports out of memory, and nothing leaks (ASan checks). */
static void running_out_of_memory_is_reported_not_crashed(void **state)
{
    (void)state;
    int ok = 0;
    for (long n = 0; n < 100000 && !ok; n += n < 2000 ? 1 : 37) {
        struct scheme_library *lib = NULL;
        struct scheme_tests *tests = NULL;
        struct error err;
        error_init(&err);
        alloc_fail_after(n);
        int rc = scheme_library_load(FIXTURE, &lib, &err);
        if (rc == SP_OK)
            rc = scheme_tests_load(lib, &tests, &err);
        int passed = 0, failed = 0;
        struct buf report;
        buf_init(&report, 1 << 20);
        if (rc == SP_OK)
            rc = scheme_tests_run(tests, &passed, &failed, &report, &err);
        alloc_fail_after(-1);
        if (rc == SP_OK) {
            assert_int_equal(passed, 8);
            assert_true(n > 100); /* the attempts before this one each failed somewhere */
            ok = 1;
        } else if (rc != SP_IO) {
            fail_msg("allocation %ld failing gave %d: %s", n, rc, err.message);
        }
        buf_release(&report);
        scheme_tests_free(tests);
        scheme_library_free(lib);
    }
    assert_true(ok);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_fixture_library_loads_with_every_field),
        cmocka_unit_test(bad_scheme_files_name_file_line_and_column),
        cmocka_unit_test(scheme_fields_are_checked_strictly),
        cmocka_unit_test(engine_gap_fields_load_and_are_checked),
        cmocka_unit_test(running_out_of_memory_is_reported_not_crashed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
