/* Unit tests for base/date: strict ISO dates, ages on a date, and month arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "support.h"

static void dates_round_trip_through_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(test_day("1970-01-01"), 0);
    assert_int_equal(test_day("2000-03-01") - test_day("2000-02-28"), 2);
    assert_int_equal(test_day("1900-03-01") - test_day("1900-02-28"), 1);
    char out[DATE_TEXT_SIZE];
    for (int32_t day = test_day("1899-12-25"); day < test_day("2101-01-10"); day += 7) {
        date_format(day, out);
        assert_int_equal(test_day(out), day);
    }
    date_format(test_day("2024-02-29"), out);
    assert_string_equal(out, "2024-02-29");
}

static void impossible_dates_are_refused_with_the_reason(void **state)
{
    (void)state;
    int32_t out;
    struct error err;
    const char *bad[] = {"2023-02-30", "2023-02-29", "2023-13-01", "2023-00-10", "2023-04-31",
                         "23-01-01",   "2023/01/01", "2023-1-01",  "",           "2023-01-01x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        error_init(&err);
        assert_int_equal(date_parse(bad[i], &out, &err), SP_BAD_INPUT);
        assert_non_null(strstr(err.message, "not a date"));
    }
    error_init(&err);
    date_parse("2023-02-30", &out, &err);
    assert_non_null(strstr(err.message, "has 28 days"));
}

static void the_year_0000_is_refused_naming_the_range(void **state)
{
    (void)state;
    int32_t out;
    struct error err;
    error_init(&err);
    assert_int_equal(date_parse("0000-01-01", &out, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "\"0000-01-01\" is not a date: there is no year 0000; dates "
                                     "run from 0001-01-01 to 9999-12-31");
    error_init(&err);
    assert_int_equal(date_parse("2023-13-01", &out, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "\"2023-13-01\" is not a date: no month 13");
    assert_int_equal(test_day("0001-01-01"), -719162);
    assert_int_equal(test_day("9999-12-31"), 2932896);
    int32_t m;
    error_init(&err);
    assert_int_equal(month_parse("0000-05", &m, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "there is no year 0000; months run from 0001-01"));
    error_init(&err);
    assert_int_equal(month_parse("2024-00", &m, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "no month 00"));
}

static void age_counts_whole_years(void **state)
{
    (void)state;
    assert_int_equal(date_age_years(test_day("1954-06-01"), test_day("2025-01-15")), 70);
    assert_int_equal(date_age_years(test_day("1957-01-15"), test_day("2025-01-15")), 68);
    assert_int_equal(date_age_years(test_day("1957-01-16"), test_day("2025-01-15")), 67);
    assert_int_equal(date_age_years(test_day("2025-01-16"), test_day("2025-01-15")), -1);
}

static void a_29_february_birthday_is_reached_on_1_march_in_common_years(void **state)
{
    (void)state;
    int32_t born = test_day("2008-02-29");
    assert_int_equal(date_age_years(born, test_day("2026-02-28")), 17);
    assert_int_equal(date_age_years(born, test_day("2026-03-01")), 18);
    assert_int_equal(date_age_years(born, test_day("2028-02-28")), 19);
    assert_int_equal(date_age_years(born, test_day("2028-02-29")), 20);
}

static void months_are_added_and_counted_by_the_calendar(void **state)
{
    (void)state;
    assert_int_equal(date_add_months(test_day("2024-01-31"), 1), test_day("2024-02-29"));
    assert_int_equal(date_add_months(test_day("2023-01-31"), 1), test_day("2023-02-28"));
    assert_int_equal(date_add_months(test_day("2024-03-15"), -3), test_day("2023-12-15"));
    assert_int_equal(date_add_months(test_day("2024-03-15"), 24), test_day("2026-03-15"));
    assert_int_equal(date_months_between(test_day("2024-01-15"), test_day("2024-04-14")), 2);
    assert_int_equal(date_months_between(test_day("2024-01-15"), test_day("2024-04-15")), 3);
    assert_int_equal(date_months_between(test_day("2024-04-15"), test_day("2024-01-15")), -3);
}

static void months_parse_and_format(void **state)
{
    (void)state;
    int32_t m;
    struct error err;
    error_init(&err);
    assert_int_equal(month_parse("2024-04", &m, &err), SP_OK);
    assert_int_equal(m, 54 * 12 + 3);
    assert_int_equal(month_first_day(m), test_day("2024-04-01"));
    assert_int_equal(month_of_date(test_day("2024-04-30")), m);
    char out[MONTH_TEXT_SIZE];
    month_format(m, out);
    assert_string_equal(out, "2024-04");
    assert_int_equal(month_parse("2024-13", &m, &err), SP_BAD_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dates_round_trip_through_day_numbers),
        cmocka_unit_test(impossible_dates_are_refused_with_the_reason),
        cmocka_unit_test(the_year_0000_is_refused_naming_the_range),
        cmocka_unit_test(age_counts_whole_years),
        cmocka_unit_test(a_29_february_birthday_is_reached_on_1_march_in_common_years),
        cmocka_unit_test(months_are_added_and_counted_by_the_calendar),
        cmocka_unit_test(months_parse_and_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
