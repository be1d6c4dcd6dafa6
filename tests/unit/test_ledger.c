/*
 * Unit tests for ledger/ledger: due days at the end of short months, lateness, which entries
 * stand after reversals, a reversal that cancels to the minor unit, a file's row recognised
 * as booked, and per-scheme totals with arrears.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ledger/ledger.h"

static int32_t month(const char *text)
{
    int32_t m = 0;
    assert_int_equal(month_parse(text, &m, NULL), SP_OK);
    return m;
}

static int32_t day(const char *text)
{
    int32_t d = 0;
    assert_int_equal(date_parse(text, &d, NULL), SP_OK);
    return d;
}

static struct contribution_entry entry(int64_t id, const char *scheme, const char *m, int64_t wage,
                                       int64_t employee, int64_t employer)
{
    struct contribution_entry e;
    memset(&e, 0, sizeof e);
    e.id = id;
    text_copy(e.c.person, sizeof e.c.person, "000000000019");
    text_copy(e.c.scheme, sizeof e.c.scheme, scheme);
    e.c.month = month(m);
    e.c.wage = (struct money){wage, "KHR"};
    e.c.employee = (struct money){employee, "KHR"};
    e.c.employer = (struct money){employer, "KHR"};
    e.declared = wage;
    e.paid = -1;
    e.paid_on = DATE_NONE;
    e.due = DATE_NONE;
    return e;
}

static void due_days_follow_the_next_month(void **state)
{
    (void)state;
    assert_int_equal(ledger_due_date(month("2024-02"), 15), day("2024-03-15"));
    assert_int_equal(ledger_due_date(month("2024-12"), 15), day("2025-01-15"));
    /* day 31 of a 29-day February is its last day */
    assert_int_equal(ledger_due_date(month("2024-01"), 31), day("2024-02-29"));
    assert_int_equal(ledger_due_date(month("2024-01"), 0), DATE_NONE);
    assert_int_equal(ledger_due_date(month("2024-01"), 32), DATE_NONE);
}

static void lateness_and_differences(void **state)
{
    (void)state;
    struct contribution_entry e = entry(1, "kh.p", "2024-02", 40000000, 800000, 800000);
    assert_int_equal(ledger_days_late(&e), 0); /* nothing known */
    e.due = day("2024-03-15");
    e.paid_on = day("2024-03-15");
    assert_int_equal(ledger_days_late(&e), 0);
    e.paid_on = day("2024-04-01");
    assert_int_equal(ledger_days_late(&e), 17);
    assert_int_equal(ledger_difference(&e), 0); /* the payer said nothing */
    e.paid = 1500000;
    assert_int_equal(ledger_difference(&e), -100000);
    e.paid = 1700000;
    assert_int_equal(ledger_difference(&e), 100000);
}

static void reversals_cancel_exactly(void **state)
{
    (void)state;
    struct contribution_entry e[4];
    e[0] = entry(1, "kh.p", "2024-01", 120000000, 2400000, 2400000);
    e[1] = entry(2, "kh.p", "2024-02", 40000000, 800000, 800000);
    ledger_reversal(&e[1], "wrong wage", &e[2]);
    e[2].id = 3;
    e[3] = entry(4, "kh.p", "2024-02", 50000000, 1000000, 1000000);
    assert_int_equal(e[2].reverses, 2);
    assert_int_equal(e[2].c.wage.minor, -40000000);
    assert_int_equal(e[2].c.employee.minor + e[1].c.employee.minor, 0);
    assert_string_equal(e[2].reason, "wrong wage");
    assert_true(ledger_same_slot(&e[2], &e[1]));
    uint8_t stands[4];
    struct error err;
    error_init(&err);
    assert_int_equal(ledger_standing(e, 4, stands, &err), SP_OK);
    assert_int_equal(stands[0], 1);
    assert_int_equal(stands[1], 0); /* reversed */
    assert_int_equal(stands[2], 0); /* a reversal */
    assert_int_equal(stands[3], 1);
    struct ledger_total *t = NULL;
    int n = 0;
    assert_int_equal(ledger_sum(e, 4, stands, &t, &n, &err), SP_OK);
    assert_int_equal(n, 1);
    assert_int_equal(t[0].months, 2);
    assert_int_equal(t[0].wage, 170000000);
    assert_int_equal(t[0].total, 2400000 * 2 + 1000000 * 2);
    assert_int_equal(t[0].first, month("2024-01"));
    assert_int_equal(t[0].last, month("2024-02"));
    sp_free(t);
}

static void a_row_imported_again_is_the_same_booking(void **state)
{
    (void)state;
    struct contribution_entry a = entry(1, "kh.p", "2024-01", 100, 2, 2);
    struct contribution_entry b = entry(0, "kh.p", "2024-01", 100, 2, 2);
    assert_true(ledger_same_booking(&a, &b));
    b.declared = 101;
    assert_false(ledger_same_booking(&a, &b));
    assert_true(ledger_same_slot(&a, &b));
    text_copy(b.employer, sizeof b.employer, "E2");
    assert_false(ledger_same_slot(&a, &b)); /* a second employer's month is its own */
}

static void totals_keep_arrears_and_currencies_apart(void **state)
{
    (void)state;
    struct contribution_entry e[2];
    e[0] = entry(1, "kh.p", "2024-01", 100, 2, 2);
    e[0].paid = 3;
    e[1] = entry(2, "kh.p", "2024-02", 100, 2, 2);
    uint8_t stands[2] = {1, 1};
    struct ledger_total *t = NULL;
    int n = 0;
    struct error err;
    error_init(&err);
    assert_int_equal(ledger_sum(e, 2, stands, &t, &n, &err), SP_OK);
    assert_int_equal(t[0].paid, 3);
    assert_int_equal(t[0].said, 4); /* owed over the entries whose payer said what it paid */
    sp_free(t);
    text_copy(e[1].c.employee.currency, sizeof e[1].c.employee.currency, "USD");
    assert_int_equal(ledger_sum(e, 2, stands, &t, &n, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "KHR and in USD"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(due_days_follow_the_next_month),
        cmocka_unit_test(lateness_and_differences),
        cmocka_unit_test(reversals_cancel_exactly),
        cmocka_unit_test(a_row_imported_again_is_the_same_booking),
        cmocka_unit_test(totals_keep_arrears_and_currencies_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
