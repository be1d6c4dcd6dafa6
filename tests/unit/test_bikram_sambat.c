/*
 * Unit tests for base/bikram_sambat and base/calendar: Bikram Sambat (BS) dates against
 * published BS <-> AD pairs, both ways; Nepal's fiscal year; and BS dates refused with the
 * reason.
 *
 * Where the pairs come from (each published with the project, none computed here):
 *   medic  = medic/bikram-sambat, test-data/toBik_euro.json (Gregorian -> BS pairs, one taken
 *            from every second year from 1970 to 2032) and test-data/toGreg.json (1970-01-01 BS);
 *   amit   = amitgaru2/nepali-datetime, tests/test_conversions.py and nepali_datetime/config.py;
 *   node   = opensource-nepal/node-nepali-datetime, tests/dateConverter/dateConverter.test.ts
 *            (its months count from 0: its (1994, 7, 13) is 1994-08-13) and
 *            src/dateConverter/constants.ts (the reference date).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/bikram_sambat.h"
#include "base/calendar.h"
#include "support.h"

struct pair {
    const char *ad;     /* Gregorian, ISO 8601 */
    const char *bs;     /* the same day in Bikram Sambat */
    const char *source; /* where it is published (the top of this file) */
};

static const struct pair pairs[] = {
    {"1913-04-13", "1970-01-01", "medic"}, /* the first day of the table */
    {"1918-04-13", "1975-01-01", "amit"},
    {"1943-04-14", "2000-01-01", "node"}, /* the epoch of bikram_sambat.c */
    {"1970-08-20", "2027-05-04", "medic"},
    {"1972-10-13", "2029-06-27", "medic"},
    {"1974-08-27", "2031-05-11", "medic"},
    {"1976-08-19", "2033-05-03", "medic"},
    {"1978-09-18", "2035-06-02", "medic"},
    {"1980-10-27", "2037-07-11", "medic"},
    {"1982-04-08", "2038-12-26", "medic"},
    {"1984-04-04", "2040-12-22", "medic"},
    {"1986-09-20", "2043-06-04", "medic"},
    {"1988-08-31", "2045-05-15", "medic"},
    {"1990-11-19", "2047-08-03", "medic"},
    {"1992-11-10", "2049-07-25", "medic"},
    {"1994-04-06", "2050-12-24", "medic"},
    {"1994-08-13", "2051-04-29", "node"},
    {"1995-01-15", "2051-10-01", "amit"},
    {"1996-02-18", "2052-11-06", "medic"},
    {"1998-08-17", "2055-05-01", "medic"},
    {"2000-06-04", "2057-02-22", "medic"},
    {"2002-03-14", "2058-12-01", "medic"},
    {"2004-02-16", "2060-11-04", "medic"},
    {"2006-10-03", "2063-06-17", "medic"},
    {"2008-12-21", "2065-09-06", "medic"},
    {"2010-11-21", "2067-08-05", "medic"},
    {"2012-01-22", "2068-10-08", "medic"},
    {"2014-11-01", "2071-07-15", "medic"},
    {"2016-07-21", "2073-04-06", "medic"},
    {"2018-08-20", "2075-05-04", "medic"},
    {"2019-10-14", "2076-06-27", "amit"},
    {"2020-07-19", "2077-04-04", "amit"},
    {"2020-11-30", "2077-08-15", "medic"},
    {"2022-11-12", "2079-07-26", "medic"},
    {"2023-01-28", "2079-10-14", "node"},
    {"2024-07-15", "2081-03-31", "amit"},
    {"2024-11-28", "2081-08-13", "medic"},
    {"2026-03-22", "2082-12-08", "medic"},
    {"2028-11-15", "2085-07-30", "medic"},
    {"2030-01-08", "2086-09-24", "medic"},
    {"2030-11-26", "2087-08-10", "node"},
    {"2032-09-27", "2089-06-11", "medic"},
};

#define N_PAIRS (sizeof pairs / sizeof pairs[0])

/* The day number of a BS date the test writes; fails the test if it does not parse. */
static int32_t bs_day(const char *text)
{
    int32_t out = 0;
    struct error err;
    error_init(&err);
    assert_int_equal(bs_parse(text, &out, &err), SP_OK);
    return out;
}

static void published_bs_dates_convert_to_their_gregorian_dates(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_PAIRS; i++) {
        char ad[DATE_TEXT_SIZE];
        date_format(bs_day(pairs[i].bs), ad);
        if (strcmp(ad, pairs[i].ad) != 0)
            fail_msg("%s BS (%s) gave %s, not %s", pairs[i].bs, pairs[i].source, ad, pairs[i].ad);
    }
}

static void published_gregorian_dates_convert_to_their_bs_dates(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_PAIRS; i++) {
        char bs[DATE_TEXT_SIZE];
        assert_int_equal(bs_format(test_day(pairs[i].ad), bs), 1);
        if (strcmp(bs, pairs[i].bs) != 0)
            fail_msg("%s (%s) gave %s BS, not %s BS", pairs[i].ad, pairs[i].source, bs,
                     pairs[i].bs);
    }
}

static void every_day_of_the_table_round_trips_and_every_month_is_29_to_32_days(void **state)
{
    (void)state;
    int32_t first = bs_day("1970-01-01"), last = bs_day("2090-12-30");
    int32_t day = first;
    for (int y = BS_YEAR_FIRST; y <= BS_YEAR_LAST; y++) {
        int year_days = 0;
        for (int m = 1; m <= 12; m++) {
            int n = bs_days_in_month(y, m);
            assert_true(n >= 29 && n <= 32);
            year_days += n;
            for (int d = 1; d <= n; d++, day++) {
                struct civil_date c;
                assert_int_equal(bs_from_days(day, &c, NULL), SP_OK);
                assert_int_equal(c.year, y);
                assert_int_equal(c.month, m);
                assert_int_equal(c.day, d);
            }
        }
        assert_true(year_days == 365 || year_days == 366);
    }
    assert_int_equal(day - 1, last);
}

static void impossible_bs_dates_are_refused_with_the_reason(void **state)
{
    (void)state;
    static const struct {
        const char *text; /* a BS date that does not exist */
        const char *why;  /* what the message must say */
    } bad[] = {
        {"2080-13-01", "no month 13"},
        {"2080-00-10", "no month 00"},
        {"2080-01-00", "2080-01 BS has 31 days"},
        {"2080-01-32", "2080-01 BS has 31 days"},
        {"2081-12-32", "2081-12 BS has 31 days"},
        {"2080-02-33", "2080-02 BS has 32 days"},
        {"1969-12-30", "outside the Bikram Sambat calendar"},
        {"2091-01-01", "outside the Bikram Sambat calendar"},
        {"2080-1-15", "expected YYYY-MM-DD"},
        {"2080/01/15", "expected YYYY-MM-DD"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int32_t out = 12345;
        struct error err;
        error_init(&err);
        assert_int_equal(bs_parse(bad[i].text, &out, &err), SP_BAD_INPUT);
        assert_int_equal(out, 12345);
        if (strstr(err.message, bad[i].why) == NULL || strstr(err.message, bad[i].text) == NULL)
            fail_msg("%s: \"%s\" does not say \"%s\"", bad[i].text, err.message, bad[i].why);
    }
    struct error err;
    error_init(&err);
    int32_t out;
    bs_parse("2091-01-01", &out, &err);
    assert_non_null(
        strstr(err.message, "1970-01-01 BS (1913-04-13) to 2090-12-30 BS (2034-04-13)"));
}

static void days_outside_the_table_have_no_bs_date(void **state)
{
    (void)state;
    struct civil_date c;
    struct error err;
    error_init(&err);
    assert_int_equal(bs_from_days(test_day("1913-04-12"), &c, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "1913-04-12 has no Bikram Sambat date"));
    assert_int_equal(bs_from_days(test_day("2034-04-14"), &c, NULL), SP_BAD_INPUT);
    char text[DATE_TEXT_SIZE];
    assert_int_equal(bs_format(test_day("2034-04-13"), text), 1);
    assert_string_equal(text, "2090-12-30");
    assert_int_equal(bs_format(test_day("1900-01-01"), text), 0);
    assert_string_equal(text, "");
}

/* The fiscal year of the Gregorian date ad, checked against its name and bounds. */
static void check_fiscal_year(const char *ad, const char *name, const char *first, const char *last)
{
    struct bs_fiscal_year fy;
    struct error err;
    error_init(&err);
    assert_int_equal(bs_fiscal_year_of(test_day(ad), &fy, &err), SP_OK);
    char text[BS_FISCAL_YEAR_TEXT_SIZE];
    bs_fiscal_year_format(&fy, text);
    assert_string_equal(text, name);
    assert_int_equal(fy.first_day, test_day(first));
    assert_int_equal(fy.last_day, test_day(last));
}

static void the_fiscal_year_runs_from_1_shrawan_to_the_end_of_asar(void **state)
{
    (void)state;
    /* FY 2081/82: 1 Shrawan 2081 (2024-07-16) to 32 Asar 2082 (2025-07-16) */
    check_fiscal_year("2024-07-15", "2080/81", "2023-07-17", "2024-07-15"); /* 31 Asar 2081 */
    check_fiscal_year("2024-07-16", "2081/82", "2024-07-16", "2025-07-16"); /* 1 Shrawan 2081 */
    check_fiscal_year("2025-01-01", "2081/82", "2024-07-16", "2025-07-16");
    check_fiscal_year("2025-07-16", "2081/82", "2024-07-16", "2025-07-16"); /* 32 Asar 2082 */
    check_fiscal_year("2025-07-17", "2082/83", "2025-07-17", "2026-07-16"); /* 1 Shrawan 2082 */
    check_fiscal_year("1999-12-31", "2056/57", "1999-07-17", "2000-07-15");
    assert_int_equal(bs_day("2081-04-01"), test_day("2024-07-16"));
    assert_int_equal(bs_day("2082-03-32"), test_day("2025-07-16"));
    /* a fiscal year the table does not hold whole is refused */
    struct bs_fiscal_year fy;
    struct error err;
    error_init(&err);
    assert_int_equal(bs_fiscal_year_of(bs_day("1970-03-01"), &fy, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "1969/70"));
    assert_int_equal(bs_fiscal_year_of(bs_day("2090-04-01"), &fy, NULL), SP_BAD_INPUT);
    assert_int_equal(bs_fiscal_year_of(bs_day("2090-03-01"), &fy, NULL), SP_OK);
}

static void a_date_names_its_calendar_or_takes_the_assumed_one(void **state)
{
    (void)state;
    struct calendar_date d;
    struct error err;
    error_init(&err);
    assert_int_equal(calendar_parse_date("2014-11-18 BS", CALENDAR_AD, &d, &err), SP_OK);
    assert_int_equal(d.day, test_day("1958-03-01"));
    assert_int_equal(d.calendar, CALENDAR_BS);
    assert_int_equal(d.marked, 1);
    assert_int_equal(calendar_parse_date("2014-11-18 bs", CALENDAR_AD, &d, &err), SP_OK);
    assert_int_equal(d.day, test_day("1958-03-01"));
    assert_int_equal(calendar_parse_date("2014-11-18", CALENDAR_BS, &d, &err), SP_OK);
    assert_int_equal(d.day, test_day("1958-03-01"));
    assert_int_equal(d.marked, 0);
    assert_int_equal(calendar_parse_date("1958-03-01 AD", CALENDAR_BS, &d, &err), SP_OK);
    assert_int_equal(d.day, test_day("1958-03-01"));
    assert_int_equal(d.calendar, CALENDAR_AD);
    assert_int_equal(calendar_parse_date("2007-10-18", CALENDAR_AD, &d, &err), SP_OK);
    assert_int_equal(d.day, test_day("2007-10-18"));
    assert_int_equal(d.marked, 0);
    static const char *const bad[] = {"2014-11-18 NS", "2014-11-18BS", "2014-11-18  BS",
                                      "2014-11-31 BS", "2014-13-01 BS"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        error_init(&err);
        assert_int_equal(calendar_parse_date(bad[i], CALENDAR_AD, &d, &err), SP_BAD_INPUT);
        assert_non_null(strstr(err.message, "2014-1"));
    }
    error_init(&err);
    calendar_parse_date("2080-01-32", CALENDAR_BS, &d, &err);
    assert_non_null(strstr(err.message, "read as Bikram Sambat"));
    enum calendar c;
    assert_int_equal(calendar_parse_name("BS", &c, NULL), SP_OK);
    assert_int_equal(c, CALENDAR_BS);
    assert_int_equal(calendar_parse_name("gregorian", &c, NULL), SP_OK);
    assert_int_equal(c, CALENDAR_AD);
    error_init(&err);
    assert_int_equal(calendar_parse_name("nepali", &c, &err), SP_USAGE);
    assert_non_null(strstr(err.message, "use ad"));
}

static void dates_are_shown_in_both_calendars(void **state)
{
    (void)state;
    char text[CALENDAR_BOTH_TEXT_SIZE];
    calendar_format_both(test_day("1958-03-01"), text);
    assert_string_equal(text, "1958-03-01 (2014-11-18 BS)");
    calendar_format_both(test_day("1900-01-01"), text); /* before the table: AD alone */
    assert_string_equal(text, "1900-01-01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(published_bs_dates_convert_to_their_gregorian_dates),
        cmocka_unit_test(published_gregorian_dates_convert_to_their_bs_dates),
        cmocka_unit_test(every_day_of_the_table_round_trips_and_every_month_is_29_to_32_days),
        cmocka_unit_test(impossible_bs_dates_are_refused_with_the_reason),
        cmocka_unit_test(days_outside_the_table_have_no_bs_date),
        cmocka_unit_test(the_fiscal_year_runs_from_1_shrawan_to_the_end_of_asar),
        cmocka_unit_test(a_date_names_its_calendar_or_takes_the_assumed_one),
        cmocka_unit_test(dates_are_shown_in_both_calendars),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
