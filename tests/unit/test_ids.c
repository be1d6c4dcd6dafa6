/* Unit tests for base/ids: worker IDs whose check digit catches typing mistakes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/ids.h"

static void verhoeff_matches_the_published_example(void **state)
{
    (void)state;
    /* The standard worked example: 236 has check digit 3. */
    assert_int_equal(verhoeff_check_digit("236"), 3);
    assert_true(verhoeff_valid("2363"));
    assert_false(verhoeff_valid("2364"));
    assert_int_equal(verhoeff_check_digit("12a"), -1);
}

static void worker_ids_have_twelve_digits_and_validate(void **state)
{
    (void)state;
    char id[WORKER_ID_SIZE];
    struct error err;
    error_init(&err);
    assert_int_equal(worker_id_format(1, id, &err), SP_OK);
    assert_int_equal(strlen(id), WORKER_ID_DIGITS);
    assert_int_equal(worker_id_validate(id, &err), SP_OK);
    assert_int_equal(worker_id_format(0, id, &err), SP_BAD_INPUT);
}

static void every_single_digit_error_is_caught(void **state)
{
    (void)state;
    char id[WORKER_ID_SIZE];
    struct error err;
    for (int64_t serial = 1; serial < 200000; serial += 9973) {
        error_init(&err);
        worker_id_format(serial, id, &err);
        for (int pos = 0; pos < WORKER_ID_DIGITS; pos++) {
            char original = id[pos];
            for (char c = '0'; c <= '9'; c++) {
                if (c == original)
                    continue;
                id[pos] = c;
                assert_false(verhoeff_valid(id));
            }
            id[pos] = original;
        }
    }
}

static void every_adjacent_transposition_is_caught(void **state)
{
    (void)state;
    char id[WORKER_ID_SIZE];
    struct error err;
    for (int64_t serial = 12345; serial < 99999999999LL; serial = serial * 7 + 3) {
        error_init(&err);
        worker_id_format(serial, id, &err);
        for (int pos = 0; pos + 1 < WORKER_ID_DIGITS; pos++) {
            if (id[pos] == id[pos + 1])
                continue;
            char swapped[WORKER_ID_SIZE];
            memcpy(swapped, id, sizeof swapped);
            swapped[pos] = id[pos + 1];
            swapped[pos + 1] = id[pos];
            assert_false(verhoeff_valid(swapped));
        }
    }
}

static void a_mistyped_id_gets_a_message_a_clerk_can_act_on(void **state)
{
    (void)state;
    char id[WORKER_ID_SIZE];
    struct error err;
    error_init(&err);
    worker_id_format(42, id, &err);
    id[3] = id[3] == '9' ? '8' : '9';
    assert_int_equal(worker_id_validate(id, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "check digit"));
    error_init(&err);
    assert_int_equal(worker_id_validate("12345", &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "12 digits"));
}

/* The ID as the card prints it, in groups, is read as the 12 digits; other text is not. */
static void the_printed_form_is_read(void **state)
{
    (void)state;
    char id[WORKER_ID_SIZE];
    struct error err;
    const char *good[] = {"000000000019", "0000 0000 0019", "0000-0000-0019", " 0000 0000 0019 "};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        error_init(&err);
        assert_int_equal(worker_id_parse(good[i], id, &err), SP_OK);
        assert_string_equal(id, "000000000019");
    }
    const char *bad[] = {"",
                         "0000  0000 0019",
                         "0000 0000 0019-",
                         "-000000000019",
                         "00000000019",
                         "0000 0000 0018",
                         "0000 0000 0019 7",
                         "0000/0000/0019"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        error_init(&err);
        assert_int_equal(worker_id_parse(bad[i], id, &err), SP_BAD_INPUT);
        assert_string_equal(id, "");
        assert_non_null(strstr(err.message, "is not a worker ID"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(verhoeff_matches_the_published_example),
        cmocka_unit_test(worker_ids_have_twelve_digits_and_validate),
        cmocka_unit_test(every_single_digit_error_is_caught),
        cmocka_unit_test(every_adjacent_transposition_is_caught),
        cmocka_unit_test(a_mistyped_id_gets_a_message_a_clerk_can_act_on),
        cmocka_unit_test(the_printed_form_is_read),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
