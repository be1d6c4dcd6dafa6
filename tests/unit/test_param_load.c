/*
 * Unit tests for rules/param_load (and the rules/ydoc reader under it): parameter files are
 * read strictly, every mistake names file:line:col, and a value holds from its date until the
 * next one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "rules/param_load.h"
#include "rules/yaml_doc.h"
#include "support.h"

/* Loads YAML text as a parameter file named "p.yaml"; returns the status, fills err. */
static int load_text(const char *yaml, struct param_set **set, struct error *err)
{
    error_init(err);
    assert_int_equal(param_set_new(set, err), SP_OK);
    struct ydoc *doc = NULL;
    int rc = ydoc_parse("p.yaml", yaml, strlen(yaml), &doc, err);
    if (rc == SP_OK)
        rc = param_load_doc(*set, doc, err);
    ydoc_free(doc);
    return rc;
}

/* Asserts that the YAML text is refused with a message starting with `where` and holding
 * `what`. */
static void refused(const char *yaml, const char *where, const char *what)
{
    struct param_set *set = NULL;
    struct error err;
    int rc = load_text(yaml, &set, &err);
    param_set_free(set);
    if (rc != SP_BAD_INPUT || strncmp(err.message, where, strlen(where)) != 0 ||
        strstr(err.message, what) == NULL)
        fail_msg("expected \"%s ... %s\", got rc %d: %s", where, what, rc, err.message);
}

static void values_change_on_the_day_they_take_effect(void **state)
{
    (void)state;
    struct param_set *set = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(param_set_new(&set, &err), SP_OK);
    assert_int_equal(param_load_file(set, "tests/data/rules/params.yaml", &err), SP_OK);

    const struct param *age = param_set_find(set, "t.ssa.senior_age");
    assert_non_null(age);
    assert_int_equal(age->kind, PARAM_INT);
    assert_string_equal(age->unit, "years");
    assert_null(param_value_at(age, test_day("2016-07-15")));
    assert_int_equal(param_value_at(age, test_day("2016-07-16"))->number, 70);
    assert_int_equal(param_value_at(age, test_day("2022-07-16"))->number, 70);
    assert_int_equal(param_value_at(age, test_day("2022-07-17"))->number, 68);
    assert_int_equal(param_value_at(age, test_day("2022-07-18"))->number, 68);
    assert_string_equal(param_value_at(age, test_day("2022-07-17"))->reference,
                        "FY 2079/80 budget speech");
    /* the months on whose first day a value is in force (2016-07-16: from 2016-08) */
    int32_t first, last, aug2016 = (2016 - 1970) * 12 + 7, aug2022 = (2022 - 1970) * 12 + 7;
    assert_null(param_value_of_month(age, aug2016 - 1, &first, &last));
    assert_int_equal(first, INT32_MIN);
    assert_int_equal(last, aug2016 - 1);
    assert_int_equal(param_value_of_month(age, aug2016, &first, &last)->number, 70);
    assert_int_equal(first, aug2016);
    assert_int_equal(last, aug2022 - 1); /* 68 from 2022-07-17: on 1 August 2022 */
    assert_int_equal(param_value_of_month(age, aug2022 + 100, &first, &last)->number, 68);
    assert_int_equal(first, aug2022);
    assert_int_equal(last, INT32_MAX);

    const struct param *senior = param_set_find(set, "t.ssa.allowance.senior");
    assert_non_null(senior);
    assert_int_equal(senior->kind, PARAM_MONEY);
    assert_string_equal(senior->currency, "NPR");
    assert_int_equal(param_value_at(senior, test_day("2021-07-15"))->number, 200000);
    assert_int_equal(param_value_at(senior, test_day("2021-07-16"))->number, 400000);
    assert_int_equal(param_value_at(senior, test_day("2021-07-17"))->number, 400000);

    const struct param *rate = param_set_find(set, "t.ssa.employee_rate");
    assert_int_equal(rate->kind, PARAM_DECIMAL);
    assert_int_equal(param_value_at(rate, test_day("2020-01-01"))->number, 110000);

    const struct param *districts = param_set_find(set, "t.ssa.karnali_districts");
    assert_int_equal(districts->kind, PARAM_LIST);
    const struct param_value *unset = param_value_at(districts, test_day("2023-12-31"));
    assert_int_equal(unset->is_set, 0);
    assert_non_null(strstr(unset->reference, "NOT CONFIRMED"));
    const struct param_value *list = param_value_at(districts, test_day("2024-01-01"));
    assert_int_equal(list->is_set, 1);
    assert_int_equal(list->n_items, 3);
    assert_string_equal(list->items[1], "Humla");

    const struct param *scale = param_set_find(set, "t.ssa.jkk_rate_by_class");
    assert_int_equal(scale->kind, PARAM_SCALE);
    const struct param_value *brackets = param_value_at(scale, test_day("2020-01-01"));
    assert_int_equal(brackets->n_brackets, 2);
    assert_int_equal(brackets->brackets[1].threshold, 2 * 1000000);
    assert_int_equal(brackets->brackets[1].rate, 5400);

    const struct param *start = param_set_find(set, "t.ssa.start");
    assert_int_equal(param_value_at(start, test_day("2020-01-01"))->number, test_day("2023-08-18"));
    assert_null(param_set_find(set, "t.ssa.allowance"));
    param_set_free(set);
}

static void mistakes_name_the_file_line_and_column(void **state)
{
    (void)state;
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    valuez:\n"
            "      2016-07-16: {value: 70, reference: x}\n",
            "p.yaml:5:5:",
            "unknown key \"valuez\": expected one of description, unit, type, "
            "values");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    description: no values here\n",
            "p.yaml:4:5:", "parameter np.ssa.age has no values");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2016-07-16: {value: 70, reference: x}\n"
            "      - {value: 72, reference: x}\n",
            "p.yaml:7:7:", "YAML syntax error");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      value: 70\n",
            "p.yaml:6:7:", "\"value\" is not a date");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2023-02-30: {value: 70, reference: x}\n",
            "p.yaml:6:7:", "is not a date");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  senior:\n"
            "    unit: NPR\n"
            "    values:\n"
            "      2016-07-16: {value: \"2000.001\", reference: x}\n",
            "p.yaml:6:27:", "too many decimal places");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  allowance:\n"
            "    senior: 2000\n",
            "p.yaml:4:13:", "np.ssa.allowance.senior is misplaced");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2016-07-16: {value: 70}\n",
            "p.yaml:6:19:", "parameter np.ssa.age: the value on 2016-07-16 needs a reference");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2016-07-16: {reference: x}\n",
            "p.yaml:6:19:", "has no `value`");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2016-07-16: {value: seventy, reference: x}\n",
            "p.yaml:6:27:", "\"seventy\" is not a whole number");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: furlongs\n"
            "    values:\n"
            "      2016-07-16: {value: 70, reference: x}\n",
            "p.yaml:4:11:", "unit \"furlongs\" is not known");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2016-07-16: {value: 70, reference: x}\n"
            "  age:\n"
            "    unit: years\n"
            "    values:\n"
            "      2016-07-16: {value: 70, reference: x}\n",
            "p.yaml:7:3:", "key \"age\" appears twice");
    refused("namespace: np.ssa\n"
            "parameterz: {}\n",
            "p.yaml:2:1:", "unknown key \"parameterz\"");
    refused("namespace: np.ssa\n"
            "parameters:\n"
            "  scale:\n"
            "    type: scale\n"
            "    values:\n"
            "      2016-07-16:\n"
            "        brackets: [{threshold: 2, rate: 1%}, {threshold: 1, rate: 2%}]\n"
            "        reference: x\n",
            "p.yaml:7:58:", "thresholds must go up");
}

static void yaml_documents_refuse_aliases_tags_and_deep_nesting(void **state)
{
    (void)state;
    struct ydoc *doc = NULL;
    struct error err;
    const char *alias = "a: &x [1, 2]\nb: *x\n";
    error_init(&err);
    assert_int_equal(ydoc_parse("a.yaml", alias, strlen(alias), &doc, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "a.yaml:2:4: aliases (*x) are not supported: write the value out in full");
    const char *tag = "a: !!str 12\n";
    error_init(&err);
    assert_int_equal(ydoc_parse("a.yaml", tag, strlen(tag), &doc, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "a.yaml:1:4: tags"));
    char deep[300];
    memset(deep, '[', 200);
    deep[200] = '\0';
    error_init(&err);
    assert_int_equal(ydoc_parse("a.yaml", deep, strlen(deep), &doc, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "nested too deeply"));
    assert_null(doc);
}

static void json_documents_name_json_pointers(void **state)
{
    (void)state;
    struct ydoc *doc = NULL;
    struct error err;
    error_init(&err);
    const char *json = "{\"persons\": [{\"id\": \"p1\"}, {\"id\": \"p2\", \"a/b\": null}]}";
    assert_int_equal(ydoc_parse_json("s.json", json, strlen(json), &doc, &err), SP_OK);
    const struct ydoc_node *persons = ydoc_get(doc->root, "persons");
    assert_int_equal(persons->n, 2);
    const struct ydoc_node *slash = ydoc_get(persons->items[1], "a/b");
    assert_true(slash->is_null);
    char where[128];
    ydoc_where(doc, slash, where, sizeof where);
    assert_string_equal(where, "s.json: /persons/1/a~1b");
    ydoc_free(doc);
    error_init(&err);
    assert_int_equal(ydoc_parse_json("s.json", "{\"a\": 1,}", 9, &doc, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "s.json:1:"));
}

static void a_file_with_nul_bytes_is_not_a_text_file(void **state)
{
    (void)state;
    struct ydoc *doc = NULL;
    struct error err;
    static const char yaml[] = "persons:\n  - id: a\n    sex: fe\0male\n";
    error_init(&err);
    assert_int_equal(ydoc_parse("s.yaml", yaml, sizeof yaml - 1, &doc, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "s.yaml:3:12: byte offset 30 is a NUL byte: this is not a YAML text file");
    static const char json[] = "{\"persons\": [{\"id\": \"a\0\"}]}";
    error_init(&err);
    assert_int_equal(ydoc_parse_json("s.json", json, sizeof json - 1, &doc, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "s.json:1:23: byte offset 22 is a NUL byte: this is not a JSON text file");
    /* a device that never ends is not read on to the size limit */
    error_init(&err);
    assert_int_equal(ydoc_load_file("/dev/zero", &doc, &err), SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "/dev/zero:1:1: byte offset 0 is a NUL byte: this is not a YAML text file");
    assert_null(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_change_on_the_day_they_take_effect),
        cmocka_unit_test(mistakes_name_the_file_line_and_column),
        cmocka_unit_test(yaml_documents_refuse_aliases_tags_and_deep_nesting),
        cmocka_unit_test(json_documents_name_json_pointers),
        cmocka_unit_test(a_file_with_nul_bytes_is_not_a_text_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
