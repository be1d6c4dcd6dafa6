/*
 * Unit tests for ops/decision_format's JSON result: the bytes jansson's compact dump gave
 * (the DESIGN.md contract the CLI and the server share): keys in order, money in the
 * currency's minor digits with its sign (as money_format), strings escaped (quotes, backslashes,
 * control characters; UTF-8 as it is), the reasons' marks made `passed`; text that is not UTF-8 is
 * refused and leaves the buffer as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/money.h"
#include "base/text.h"
#include "model/person.h"
#include "ops/decision_format.h"
#include "rules/decide.h"
#include "rules/scheme.h"

#define SHIPPED "schemes"

static struct scheme_library *lib;

static int setup(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    if (scheme_library_load(SHIPPED, &lib, &err) != SP_OK) {
        print_error("%s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scheme_library_free(lib);
    return 0;
}

static const struct scheme *find(const char *id)
{
    const struct scheme *s = scheme_library_find(lib, id);
    assert_non_null(s);
    return s;
}

/* The JSON of decision d of a person with id "000000000019" for scheme s. */
static char *result_of(const struct scheme *s, const struct decision *d, const char *reasons,
                       const char *human, const char *missing, int first)
{
    struct person p;
    person_init(&p);
    text_copy(p.id, sizeof p.id, "000000000019");
    struct buf out;
    buf_init(&out, 1u << 20);
    struct error err;
    error_init(&err);
    assert_int_equal(decision_append_json(&out, &p, s, d, reasons, human, missing, &first, &err),
                     SP_OK);
    assert_int_equal(first, 0);
    return buf_detach(&out);
}

static void test_eligible_with_escapes(void **state)
{
    (void)state;
    const struct scheme *s = find("np.ssa.senior_citizen");
    struct decision d = {.status = DECISION_ELIGIBLE, .has_amount = 1, .amount = 400000};
    char *text = result_of(s, &d, "age: \"70\" >= 68\ta\\b\x01\x1f\x7f é\n", NULL, NULL, 1);
    const char *want =
        "\n  {\"person\":\"000000000019\",\"scheme\":\"np.ssa.senior_citizen\",\"country\":\"NP\","
        "\"branch\":\"old_age\",\"kind\":\"non_contributory\",\"eligible\":true,"
        "\"amount\":\"4000.00\",\"currency\":\"NPR\",\"per\":\"month\",\"status\":\"eligible\","
        "\"annual_amount\":\"48000.00\","
        "\"explanation\":[\"age: \\\"70\\\" >= 68\\ta\\\\b\\u0001\\u001F\x7f é\"]}";
    assert_string_equal(text, want);
    free(text);
}

static void test_money_as_money_format(void **state)
{
    (void)state;
    struct scheme s = *find("np.ssa.senior_citizen");
    s.per = PER_NONE;
    const int64_t values[] = {0, 5, -5, 100, -1205, 123456789, INT64_MAX, INT64_MIN};
    const char *currencies[] = {"NPR", "XYZ"}; /* XYZ: not a currency spfloor knows */
    for (size_t c = 0; c < 2; c++) {
        memcpy(s.currency, currencies[c], 4);
        for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
            struct decision d = {
                .status = DECISION_NOT_ELIGIBLE, .has_amount = 1, .amount = values[i]};
            char *text = result_of(&s, &d, "", NULL, NULL, 0);
            struct money m = {values[i], ""};
            memcpy(m.currency, currencies[c], 4);
            char money[MONEY_TEXT_MAX], want[MONEY_TEXT_MAX + 160];
            money_format(m, money, sizeof money);
            snprintf(want, sizeof want,
                     "\"eligible\":false,\"amount\":\"%s\",\"currency\":\"%s\","
                     "\"per\":null,\"status\":\"not_eligible\",\"explanation\":[]}",
                     money, currencies[c]);
            assert_non_null(strstr(text, want));
            assert_memory_equal(text, ",\n  {", 5);
            free(text);
        }
    }
}

static void test_undetermined_reasons_and_marks(void **state)
{
    (void)state;
    const struct scheme *s = find("np.ssa.senior_citizen");
    struct decision d = {.status = DECISION_UNDETERMINED, .excluded_by = "np.ssa.widow"};
    char *text = result_of(s, &d, "a\nb\n",
                           DECIDE_MARK_PASSED " aged 70\n" DECIDE_MARK_FAILED
                                              " in Jumla\n? groups not given: ask\n! broke\nplain",
                           "groups\nadmin2\n", 1);
    assert_non_null(strstr(text, "\"amount\":null,"));
    assert_non_null(strstr(text, "\"status\":\"undetermined\",\"missing\":[\"groups\",\"admin2\"],"
                                 "\"excluded_by\":\"np.ssa.widow\",\"explanation\":[\"a\",\"b\"],"
                                 "\"reasons\":[{\"text\":\"aged 70\",\"passed\":true},"
                                 "{\"text\":\"in Jumla\",\"passed\":false},"
                                 "{\"text\":\"groups not given: ask\",\"passed\":null},"
                                 "{\"text\":\"broke\",\"passed\":null},"
                                 "{\"text\":\"plain\",\"passed\":null}]}"));
    free(text);
}

static void test_contribution(void **state)
{
    (void)state;
    const struct scheme *s = NULL;
    for (int i = 0; i < lib->n_schemes && s == NULL; i++)
        if (lib->schemes[i]->has_contribution)
            s = lib->schemes[i];
    assert_non_null(s);
    struct decision d = {.status = DECISION_ELIGIBLE,
                         .has_contribution = 1,
                         .parts_given = 1 | 2,
                         .parts = {12345, 6789, 99},
                         .total = 19134};
    char *text = result_of(s, &d, "", NULL, NULL, 1);
    /* a part the scheme does not have is 0 */
    assert_non_null(strstr(text, "\"contribution\":{\"employee\":\"123.45\",\"employer\":\"67.89\","
                                 "\"state\":\"0.00\",\"total\":\"191.34\"},\"explanation\":[]}"));
    free(text);
}

static void test_not_utf8_refused(void **state)
{
    (void)state;
    const struct scheme *s = find("np.ssa.senior_citizen");
    struct decision d = {.status = DECISION_NOT_ELIGIBLE};
    struct person p;
    person_init(&p);
    text_copy(p.id, sizeof p.id, "000000000019");
    struct buf out;
    buf_init(&out, 1u << 20);
    struct error err;
    error_init(&err);
    assert_int_equal(buf_puts(&out, "[", &err), SP_OK);
    int first = 1;
    const char *bad[] = {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(decision_append_json(&out, &p, s, &d, bad[i], NULL, NULL, &first, &err),
                         SP_IO);
        assert_int_equal(first, 1);
        assert_string_equal(out.data, "[");
    }
    buf_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eligible_with_escapes),
        cmocka_unit_test(test_money_as_money_format),
        cmocka_unit_test(test_undetermined_reasons_and_marks),
        cmocka_unit_test(test_contribution),
        cmocka_unit_test(test_not_utf8_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
