/* Unit tests for base/money: exact parsing, formatting and rounding of money and decimals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/money.h"

static struct money parse_ok(const char *text, const char *currency)
{
    struct money m;
    struct error err;
    error_init(&err);
    assert_int_equal(money_parse(text, currency, &m, &err), SP_OK);
    return m;
}

static void rejects(const char *text, const char *currency, const char *why)
{
    struct money m;
    struct error err;
    error_init(&err);
    assert_int_equal(money_parse(text, currency, &m, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, why));
}

static void amounts_parse_into_minor_units(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("4000.00", "NPR").minor, 400000);
    assert_int_equal(parse_ok("4000", "NPR").minor, 400000);
    assert_int_equal(parse_ok("0.5", "PHP").minor, 50);
    assert_int_equal(parse_ok("-12.34", "USD").minor, -1234);
    assert_string_equal(parse_ok("1", "KHR").currency, "KHR");
}

static void every_shipped_currency_is_known(void **state)
{
    (void)state;
    const char *codes[] = {"NPR", "INR", "BDT", "PKR", "KHR", "IDR", "PHP", "MNT", "USD", "EUR"};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
        assert_non_null(currency_find(codes[i]));
    assert_null(currency_find("XXX"));
    assert_string_equal(currency_of_country("NP"), "NPR");
    assert_string_equal(currency_of_country("MN"), "MNT");
}

static void more_digits_than_the_currency_has_is_refused(void **state)
{
    (void)state;
    rejects("4000.001", "NPR", "too many decimal places");
    rejects("1,000.00", "NPR", "not an amount");
    rejects("", "NPR", "not an amount");
    rejects("1e3", "NPR", "not an amount");
    rejects("+5", "NPR", "not an amount");
    rejects("5.", "NPR", "not an amount");
    rejects("99999999999999999999", "NPR", "too large");
    rejects("1.00", "XYZ", "unknown currency");
}

static void formatting_uses_the_minor_digits(void **state)
{
    (void)state;
    char out[MONEY_TEXT_MAX];
    money_format(parse_ok("4000", "NPR"), out, sizeof out);
    assert_string_equal(out, "4000.00");
    money_format(parse_ok("-0.05", "USD"), out, sizeof out);
    assert_string_equal(out, "-0.05");
    struct money m = {INT64_MIN, "EUR"};
    money_format(m, out, sizeof out);
    assert_string_equal(out, "-92233720368547758.08");
    money_format(parse_ok("0", "NPR"), out, sizeof out);
    assert_string_equal(out, "0.00");
    money_format_digits(2000000, 0, out, sizeof out); /* no minor digits: no point */
    assert_string_equal(out, "2000000");
    money_format_digits(123456, 3, out, sizeof out);
    assert_string_equal(out, "123.456");
    money_format_digits(-7, 3, out, sizeof out);
    assert_string_equal(out, "-0.007");
    char small[5];
    money_format_digits(123456, 2, small, sizeof small); /* cut short, never overflows */
    assert_string_equal(small, "1234");
}

static void tagged_amounts_take_a_code_or_the_default(void **state)
{
    (void)state;
    struct money m;
    struct error err;
    error_init(&err);
    assert_int_equal(money_parse_tagged("20000.00 PHP", "NPR", &m, &err), SP_OK);
    assert_string_equal(m.currency, "PHP");
    assert_int_equal(money_parse_tagged("15.5", "NPR", &m, &err), SP_OK);
    assert_string_equal(m.currency, "NPR");
    assert_int_equal(money_parse_tagged("15.5", NULL, &m, &err), SP_BAD_INPUT);
}

static void unsigned_amounts_refuse_any_minus_sign_even_on_zero(void **state)
{
    (void)state;
    struct money m = {7, "NPR"};
    struct error err;
    const char *signed_texts[] = {"-5", "-0", "-0.00", "-0.0"};
    for (size_t i = 0; i < sizeof signed_texts / sizeof signed_texts[0]; i++) {
        error_init(&err);
        assert_int_equal(money_parse_unsigned(signed_texts[i], "NPR", &m, &err), SP_BAD_INPUT);
        assert_non_null(strstr(err.message, "is negative: write the amount without a sign"));
        error_init(&err);
        assert_int_equal(money_parse_tagged_unsigned(signed_texts[i], "NPR", &m, &err),
                         SP_BAD_INPUT);
        assert_non_null(strstr(err.message, "is negative"));
    }
    assert_int_equal(m.minor, 7); /* untouched on failure */
    error_init(&err);
    assert_int_equal(money_parse_tagged_unsigned("-0.00 PHP", NULL, &m, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "\"-0.00 PHP\" is negative: write the amount without a sign");
    error_init(&err);
    assert_int_equal(money_parse_unsigned("-x", "NPR", &m, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "not an amount of money"));
    error_init(&err);
    assert_int_equal(money_parse_unsigned("0.00", "NPR", &m, &err), SP_OK);
    assert_int_equal(m.minor, 0);
    assert_int_equal(money_parse_tagged_unsigned("12.50 PHP", "NPR", &m, &err), SP_OK);
    assert_int_equal(m.minor, 1250);
    assert_string_equal(m.currency, "PHP");
}

static void rounding_follows_the_named_rule(void **state)
{
    (void)state;
    int64_t out;
    struct error err;
    error_init(&err);
    /* 11% of 123.45 = 13.5795 -> 13.58 half up, 13.57 down, 13.58 up */
    assert_int_equal(money_mul_ratio(12345, 110000, DECIMAL_SCALE, ROUND_HALF_UP, &out, &err),
                     SP_OK);
    assert_int_equal(out, 1358);
    money_mul_ratio(12345, 110000, DECIMAL_SCALE, ROUND_DOWN, &out, &err);
    assert_int_equal(out, 1357);
    money_mul_ratio(12345, 110000, DECIMAL_SCALE, ROUND_UP, &out, &err);
    assert_int_equal(out, 1358);
    /* exactly half goes away from zero */
    money_mul_ratio(5, 1, 2, ROUND_HALF_UP, &out, &err);
    assert_int_equal(out, 3);
    money_mul_ratio(-5, 1, 2, ROUND_HALF_UP, &out, &err);
    assert_int_equal(out, -3);
    money_round_to_unit(123456, 100, ROUND_DOWN, &out, &err);
    assert_int_equal(out, 123400);
    assert_int_equal(money_mul_ratio(INT64_MAX, 2, 1, ROUND_DOWN, &out, &err), SP_BAD_INPUT);
    /* a product beyond 64 bits that still fits once divided is exact */
    assert_int_equal(money_mul_ratio(INT64_MAX / 2, 4, 8, ROUND_HALF_UP, &out, &err), SP_OK);
    assert_int_equal(out, INT64_MAX / 4 + 1);
}

static void the_fast_and_wide_paths_round_alike(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    /* Scaled by 2^40 the product overflows 64 bits and takes the 128-bit path; the rounding
     * must come out the same as on the 64-bit path. */
    const int64_t shift = (int64_t)1 << 40;
    for (int64_t v = -2000; v <= 2000; v += 7) {
        for (int64_t num = 1; num < 200000; num += 33331) {
            for (int mode = ROUND_HALF_UP; mode <= ROUND_UP; mode++) {
                int64_t fast, wide;
                assert_int_equal(money_mul_ratio(v, num, 100000, mode, &fast, &err), SP_OK);
                assert_int_equal(money_mul_ratio(v * shift, num, 100000 * shift, mode, &wide, &err),
                                 SP_OK);
                assert_int_equal(fast, wide);
            }
        }
    }
}

static void decimals_and_percentages_parse_exactly(void **state)
{
    (void)state;
    int64_t v;
    struct error err;
    error_init(&err);
    assert_int_equal(decimal_parse("0.0833", &v, &err), SP_OK);
    assert_int_equal(v, 83300);
    assert_int_equal(decimal_parse("8.33%", &v, &err), SP_OK);
    assert_int_equal(v, 83300);
    assert_int_equal(decimal_parse("0.27%", &v, &err), SP_OK);
    assert_int_equal(v, 2700);
    assert_int_equal(decimal_parse("0.0000001", &v, &err), SP_BAD_INPUT);
    char out[32];
    decimal_format(83300, out, sizeof out);
    assert_string_equal(out, "0.0833");
    decimal_format(2000000, out, sizeof out);
    assert_string_equal(out, "2");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(amounts_parse_into_minor_units),
        cmocka_unit_test(every_shipped_currency_is_known),
        cmocka_unit_test(more_digits_than_the_currency_has_is_refused),
        cmocka_unit_test(formatting_uses_the_minor_digits),
        cmocka_unit_test(tagged_amounts_take_a_code_or_the_default),
        cmocka_unit_test(unsigned_amounts_refuse_any_minus_sign_even_on_zero),
        cmocka_unit_test(rounding_follows_the_named_rule),
        cmocka_unit_test(the_fast_and_wide_paths_round_alike),
        cmocka_unit_test(decimals_and_percentages_parse_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
