/* Unit tests for registry/person_json: persons in JSON read and written with the facts
 * vocabulary, with errors that name the JSON pointer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "registry/person_json.h"

static int32_t today(void)
{
    return date_from_civil(2025, 1, 15);
}

/* Parses text as JSON and reads it as a person; returns the status, message in err. */
static int read_person(const char *text, const char *prefix, const struct person_json_options *opt,
                       struct person *p, struct error *err)
{
    json_error_t jerr;
    json_t *doc = json_loads(text, 0, &jerr);
    if (doc == NULL)
        fail_msg("bad test JSON: %s", jerr.text);
    error_init(err);
    int rc = person_from_json_with(doc, prefix, today(), opt, p, err);
    json_decref(doc);
    return rc;
}

static void reads_every_json_type_of_the_vocabulary(void **state)
{
    (void)state;
    struct person p;
    struct error err;
    assert_int_equal(read_person("{\"id\": \"p1\", \"sex\": \"female\", \"birth_date\": "
                                 "\"1995-02-11\", \"monthly_wage\": \"20000.00\", \"country\": "
                                 "\"PH\", \"groups\": [\"solo_parent\", \"pwd\"], "
                                 "\"memberships\": \"sss;philhealth\", \"income_tax_payer\": "
                                 "true, \"living_children\": 2, \"national_id\": 12345, "
                                 "\"phone\": null}",
                                 "", NULL, &p, &err),
                     SP_OK);
    assert_string_equal(p.id, "p1");
    assert_int_equal(p.sex, SEX_FEMALE);
    assert_int_equal(p.birth_date, date_from_civil(1995, 2, 11));
    /* money read after country even though it came first */
    assert_int_equal(p.monthly_wage.minor, 2000000);
    assert_string_equal(p.monthly_wage.currency, "PHP");
    assert_string_equal(p.groups, "solo_parent;pwd");
    assert_string_equal(p.memberships, "sss;philhealth");
    assert_int_equal(p.income_tax_payer, TRISTATE_TRUE);
    assert_int_equal(p.living_children, 2);
    assert_string_equal(p.national_id, "12345");
    assert_string_equal(p.phone, "");
}

static void errors_name_the_json_pointer(void **state)
{
    (void)state;
    struct person p;
    struct error err;
    assert_int_equal(read_person("{\"sex\": \"mail\"}", "/persons/0", NULL, &p, &err),
                     SP_BAD_INPUT);
    assert_string_equal(err.message,
                        "/persons/0/sex: \"mail\" is not allowed: use female, male or other");
    assert_int_equal(read_person("{\"sexx\": \"male\"}", "", NULL, &p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/sexx: unknown field"));
    assert_non_null(strstr(err.message, "did you mean \"sex\""));
    assert_int_equal(read_person("{\"groups\": [\"dalit\", 7]}", "/p", NULL, &p, &err),
                     SP_BAD_INPUT);
    assert_string_equal(err.message, "/p/groups/1: expected a string");
    assert_int_equal(read_person("{\"groups\": [\"dalit\", \"solo parent\"]}", "", NULL, &p, &err),
                     SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/groups/1: "));
    assert_int_equal(
        read_person("{\"country\": \"NP\", \"monthly_wage\": 4000.5}", "", NULL, &p, &err),
        SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/monthly_wage: write amounts of money as strings"));
    assert_int_equal(
        read_person("{\"country\": \"NP\", \"monthly_wage\": \"1.234\"}", "", NULL, &p, &err),
        SP_BAD_INPUT);
    assert_string_equal(err.message, "/monthly_wage: \"1.234\" has too many decimal places: NPR "
                                     "has 2");
    assert_int_equal(read_person("{\"living_children\": \"many\"}", "", NULL, &p, &err),
                     SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/living_children: "));
    assert_int_equal(read_person("{\"sex\": {\"a\": 1}}", "", NULL, &p, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "/sex: expected a string");
    assert_int_equal(read_person("{\"a/b~c\": 1}", "", NULL, &p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/a~1b~0c: "));
    assert_int_equal(read_person("[1, 2]", "/persons/4", NULL, &p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/persons/4: expected an object"));
    assert_int_equal(read_person("{\"birth_date\": \"2030-01-01\"}", "", NULL, &p, &err),
                     SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/birth_date: \"2030-01-01\" is in the future"));
}

static void lenient_mode_and_extra_facts(void **state)
{
    (void)state;
    static const char *const extras[] = {"jkk_risk_class", "herd_size"};
    struct person_json_options lenient = {0, extras, 2, CALENDAR_AD};
    struct person_json_options strict = {1, extras, 2, CALENDAR_AD};
    struct person p;
    struct error err;
    const char *doc = "{\"id\": \"p1\", \"jkk_risk_class\": \"2\", \"herd_size\": 350, "
                      "\"comment\": \"ignored unless strict\"}";
    assert_int_equal(read_person(doc, "", &lenient, &p, &err), SP_OK);
    assert_string_equal(person_get_extra(&p, "jkk_risk_class"), "2");
    assert_string_equal(person_get_extra(&p, "herd_size"), "350");
    assert_null(person_get_extra(&p, "comment"));
    assert_int_equal(read_person(doc, "/persons/1", &strict, &p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "/persons/1/comment: unknown field"));
    /* without the scheme's facts, an extra fact is unknown in strict mode */
    assert_int_equal(read_person("{\"herd_size\": 3}", "", NULL, &p, &err), SP_BAD_INPUT);
}

static void writes_set_fields_with_their_json_types(void **state)
{
    (void)state;
    struct person p;
    struct error err;
    assert_int_equal(read_person("{\"id\": \"000000000019\", \"given_name\": \"Sita\", "
                                 "\"country\": \"NP\", \"monthly_wage\": \"4000\", "
                                 "\"annual_income\": \"100.00 USD\", \"groups\": [\"dalit\"], "
                                 "\"income_tax_payer\": \"no\", \"living_children\": 0}",
                                 "", NULL, &p, &err),
                     SP_OK);
    person_set_extra(&p, "herd_size", "350", &err);
    json_t *obj = person_to_json(&p);
    assert_non_null(obj);
    char *text = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER);
    assert_string_equal(text, "{\"id\":\"000000000019\",\"given_name\":\"Sita\",\"country\":"
                              "\"NP\",\"groups\":[\"dalit\"],\"monthly_wage\":\"4000.00\","
                              "\"annual_income\":\"100.00 USD\",\"income_tax_payer\":false,"
                              "\"living_children\":0,\"herd_size\":\"350\"}");
    free(text);
    /* what is written reads back as the same person */
    static const char *const extras[] = {"herd_size"};
    struct person_json_options opt = {1, extras, 1, CALENDAR_AD};
    struct person q;
    error_init(&err);
    assert_int_equal(person_from_json_with(obj, "", today(), &opt, &q, &err), SP_OK);
    assert_true(person_same_facts(&p, &q));
    assert_string_equal(q.id, p.id);
    json_decref(obj);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reads_every_json_type_of_the_vocabulary),
        cmocka_unit_test(errors_name_the_json_pointer),
        cmocka_unit_test(lenient_mode_and_extra_facts),
        cmocka_unit_test(writes_set_fields_with_their_json_types),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
