#include "base/money.h"

#include <stdio.h>
#include <string.h>

static const struct currency_info currencies[] = {
    {"BDT", 2, "Bangladeshi taka"},  {"EUR", 2, "Euro"},
    {"IDR", 2, "Indonesian rupiah"}, {"INR", 2, "Indian rupee"},
    {"KHR", 2, "Cambodian riel"},    {"MNT", 2, "Mongolian tugrik"},
    {"NPR", 2, "Nepalese rupee"},    {"PHP", 2, "Philippine peso"},
    {"PKR", 2, "Pakistani rupee"},   {"USD", 2, "US dollar"},
};

static const struct {
    const char *country;
    const char *currency;
} country_currencies[] = {
    {"BD", "BDT"}, {"ID", "IDR"}, {"IN", "INR"}, {"KH", "KHR"},
    {"MN", "MNT"}, {"NP", "NPR"}, {"PH", "PHP"}, {"PK", "PKR"},
};

const struct currency_info *currency_find(const char *code)
{
    for (size_t i = 0; i < sizeof currencies / sizeof currencies[0]; i++)
        if (strcmp(currencies[i].code, code) == 0)
            return &currencies[i];
    return NULL;
}

const char *currency_of_country(const char *country)
{
    for (size_t i = 0; i < sizeof country_currencies / sizeof country_currencies[0]; i++)
        if (strcmp(country_currencies[i].country, country) == 0)
            return country_currencies[i].currency;
    return NULL;
}

static int64_t power_of_ten(int n)
{
    int64_t p = 1;
    while (n-- > 0)
        p *= 10;
    return p;
}

/*
 * Parses [-]digits[.digits] into value * 10^places, where the text may have at most
 * max_fraction fraction digits. Returns 0 on success, or a static reason.
 */
static const char *parse_fixed(const char *text, int places, int max_fraction, int64_t *out)
{
    const char *p = text;
    int negative = 0;
    if (*p == '-') {
        negative = 1;
        p++;
    }
    if (*p < '0' || *p > '9')
        return "expected digits";
    int64_t whole = 0;
    for (; *p >= '0' && *p <= '9'; p++)
        if (__builtin_mul_overflow(whole, 10, &whole) ||
            __builtin_add_overflow(whole, *p - '0', &whole))
            return "amount too large";
    int64_t fraction = 0;
    int fraction_digits = 0;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return "expected digits after the decimal point";
        for (; *p >= '0' && *p <= '9'; p++) {
            if (++fraction_digits > max_fraction)
                return "too many decimal places";
            fraction = fraction * 10 + (*p - '0');
        }
    }
    if (*p != '\0')
        return "unexpected character";
    int64_t value;
    if (__builtin_mul_overflow(whole, power_of_ten(places), &value) ||
        __builtin_add_overflow(value, fraction * power_of_ten(places - fraction_digits), &value))
        return "amount too large";
    *out = negative ? -value : value;
    return NULL;
}

int money_parse(const char *text, const char *currency, struct money *out, struct error *err)
{
    const struct currency_info *info = currency ? currency_find(currency) : NULL;
    if (info == NULL)
        return error_set(err, SP_BAD_INPUT, "unknown currency \"%s\"", currency ? currency : "");
    int64_t minor;
    const char *why = parse_fixed(text, info->minor_digits, info->minor_digits, &minor);
    if (why != NULL) {
        if (strcmp(why, "too many decimal places") == 0)
            return error_set(err, SP_BAD_INPUT, "\"%s\" has too many decimal places: %s has %d",
                             text, info->code, info->minor_digits);
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not an amount of money: %s", text, why);
    }
    out->minor = minor;
    memcpy(out->currency, info->code, CURRENCY_CODE_SIZE);
    return SP_OK;
}

int money_parse_tagged(const char *text, const char *default_currency, struct money *out,
                       struct error *err)
{
    const char *space = strchr(text, ' ');
    if (space == NULL) {
        if (default_currency == NULL)
            return error_set(err, SP_BAD_INPUT, "\"%s\" needs a currency code, as in \"%s USD\"",
                             text, text);
        return money_parse(text, default_currency, out, err);
    }
    char amount[MONEY_TEXT_MAX];
    size_t n = (size_t)(space - text);
    if (n >= sizeof amount)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not an amount of money", text);
    memcpy(amount, text, n);
    amount[n] = '\0';
    return money_parse(amount, space + 1, out, err);
}

/* After a successful parse of text: refuses a minus sign, on zero as on any other amount. */
static int refuse_sign(const char *text, struct error *err)
{
    if (text[0] == '-')
        return error_set(err, SP_BAD_INPUT, "\"%s\" is negative: write the amount without a sign",
                         text);
    return SP_OK;
}

int money_parse_unsigned(const char *text, const char *currency, struct money *out,
                         struct error *err)
{
    struct money m;
    int rc = money_parse(text, currency, &m, err);
    if (rc == SP_OK)
        rc = refuse_sign(text, err);
    if (rc == SP_OK)
        *out = m;
    return rc;
}

int money_parse_tagged_unsigned(const char *text, const char *default_currency, struct money *out,
                                struct error *err)
{
    struct money m;
    int rc = money_parse_tagged(text, default_currency, &m, err);
    if (rc == SP_OK)
        rc = refuse_sign(text, err);
    if (rc == SP_OK)
        *out = m;
    return rc;
}

void money_format_digits(int64_t minor, int digits, char *out, size_t size)
{
    /* written from the last digit back, without printf: a batch writes millions of amounts */
    char text[48];
    char *at = text + sizeof text;
    uint64_t magnitude = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    for (int i = 0; i < digits && i < 20; i++) {
        *--at = (char)('0' + magnitude % 10);
        magnitude /= 10;
    }
    if (digits > 0)
        *--at = '.';
    do {
        *--at = (char)('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude > 0);
    if (minor < 0)
        *--at = '-';
    if (size == 0)
        return;
    size_t n = (size_t)(text + sizeof text - at);
    if (n > size - 1)
        n = size - 1; /* cut short, as snprintf would */
    memcpy(out, at, n);
    out[n] = '\0';
}

void money_format_amount(int64_t minor, const char *currency, char *out, size_t size)
{
    const struct currency_info *info = currency_find(currency);
    money_format_digits(minor, info ? info->minor_digits : 2, out, size);
}

void money_format(struct money m, char *out, size_t size)
{
    money_format_amount(m.minor, m.currency, out, size);
}

int rounding_parse(const char *name, enum rounding *out, struct error *err)
{
    static const char *names[] = {"half_up", "down", "up"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(name, names[i]) == 0) {
            *out = (enum rounding)i;
            return SP_OK;
        }
    }
    return error_set(err, SP_BAD_INPUT, "unknown rounding \"%s\": expected half_up, down or up",
                     name);
}

const char *rounding_name(enum rounding mode)
{
    switch (mode) {
    case ROUND_HALF_UP:
        return "half_up";
    case ROUND_DOWN:
        return "down";
    case ROUND_UP:
        return "up";
    }
    return "?";
}

/* Divides n by d (> 0) rounding by mode, in 128 bits. */
static __int128 divide_rounded(__int128 n, __int128 d, enum rounding mode)
{
    __int128 q = n / d, r = n % d;
    if (r == 0)
        return q;
    __int128 away = n < 0 ? -1 : 1;
    __int128 twice = r < 0 ? -2 * r : 2 * r;
    switch (mode) {
    case ROUND_DOWN:
        return q;
    case ROUND_UP:
        return q + away;
    case ROUND_HALF_UP:
        return twice >= d ? q + away : q;
    }
    return q;
}

static int fit_int64(__int128 v, int64_t *out, struct error *err)
{
    if (v > INT64_MAX || v < INT64_MIN)
        return error_set(err, SP_BAD_INPUT, "amount out of range");
    *out = (int64_t)v;
    return SP_OK;
}

int money_mul_ratio(int64_t value, int64_t num, int64_t den, enum rounding mode, int64_t *out,
                    struct error *err)
{
    if (den <= 0)
        return error_set(err, SP_BAD_INPUT, "division by zero");
    int64_t product;
    if (!__builtin_mul_overflow(value, num, &product)) {
        /* The common case: the product fits, so divide in 64 bits (much faster). */
        *out = money_divide_rounded(product, den, mode);
        return SP_OK;
    }
    return fit_int64(divide_rounded((__int128)value * num, den, mode), out, err);
}

int money_round_to_unit(int64_t value, int64_t unit, enum rounding mode, int64_t *out,
                        struct error *err)
{
    if (unit <= 0)
        return error_set(err, SP_BAD_INPUT, "rounding unit must be positive");
    return fit_int64(divide_rounded(value, unit, mode) * (__int128)unit, out, err);
}

int decimal_parse(const char *text, int64_t *out, struct error *err)
{
    char plain[MONEY_TEXT_MAX];
    size_t n = strlen(text);
    int percent = n > 0 && text[n - 1] == '%';
    if (percent)
        n--;
    if (n == 0 || n >= sizeof plain)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a number", text);
    memcpy(plain, text, n);
    plain[n] = '\0';
    int64_t value;
    int shift = percent ? 2 : 0;
    const char *why = parse_fixed(plain, DECIMAL_PLACES - shift, DECIMAL_PLACES - shift, &value);
    if (why != NULL)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a number: %s", text, why);
    *out = value;
    return SP_OK;
}

void decimal_format(int64_t value, char *out, size_t size)
{
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    char fraction[DECIMAL_PLACES + 1];
    snprintf(fraction, sizeof fraction, "%06llu", (unsigned long long)(magnitude % DECIMAL_SCALE));
    int end = DECIMAL_PLACES;
    while (end > 0 && fraction[end - 1] == '0')
        fraction[--end] = '\0';
    snprintf(out, size, "%s%llu%s%s", value < 0 ? "-" : "",
             (unsigned long long)(magnitude / DECIMAL_SCALE), end ? "." : "", fraction);
}
