/*
 * money.h: exact money and fixed-point decimals. No floating point anywhere.
 *
 * Money is an int64 count of the currency's minor units plus its ISO 4217 code. Text is a
 * decimal string with at most the currency's minor digits ("4000.00" NPR); more digits than the
 * currency has is an error, never a silent rounding.
 *
 * Decimals (rates, factors) are int64 scaled by DECIMAL_SCALE (six places): "0.0833" and "8.33%"
 * both parse to 83300.
 *
 * Rounding happens only in money_mul_ratio and money_round_to_unit, by the rule the caller
 * (the scheme) names. All arithmetic is checked for overflow.
 */
#ifndef SPFLOOR_BASE_MONEY_H
#define SPFLOOR_BASE_MONEY_H

#include <stdint.h>
#include <stddef.h>

#include "base/error.h"

#define CURRENCY_CODE_SIZE 4  /* three letters and the terminator */
#define MONEY_TEXT_MAX     32 /* enough for any int64 amount with sign, point and terminator */
#define DECIMAL_SCALE      1000000
#define DECIMAL_PLACES     6

struct money {
    int64_t minor;                     /* amount in minor units (paisa, centavo, sen ...) */
    char currency[CURRENCY_CODE_SIZE]; /* ISO 4217 code, e.g. "NPR" */
};

struct currency_info {
    const char *code; /* ISO 4217 alphabetic code */
    int minor_digits; /* digits after the decimal point (ISO 4217 "minor unit") */
    const char *name; /* English name */
};

enum rounding {
    ROUND_HALF_UP, /* to nearest; halves away from zero */
    ROUND_DOWN,    /* toward zero */
    ROUND_UP,      /* away from zero */
};

/* The table entry for code, or NULL if spfloor does not know the currency. */
const struct currency_info *currency_find(const char *code);

/* The currency of an ISO 3166-1 alpha-2 country spfloor ships schemes for, or NULL. */
const char *currency_of_country(const char *country);

/*
 * Parses "1234.5", "-20", "4000.00" in the given currency into out. Rejects empty text, signs
 * other than a leading '-', grouping separators, exponents, more fraction digits than the
 * currency has, unknown currencies and amounts that overflow. Returns SP_OK or SP_BAD_INPUT
 * with a message naming the text and what was wrong.
 */
int money_parse(const char *text, const char *currency, struct money *out, struct error *err);

/*
 * Like money_parse but the text may end in " CODE" ("20000.00 PHP"); without a code the amount
 * is in default_currency, which may be NULL to require a code.
 */
int money_parse_tagged(const char *text, const char *default_currency, struct money *out,
                       struct error *err);

/*
 * money_parse and money_parse_tagged for amounts that are never negative (wages, incomes,
 * contributions). A minus sign is refused whatever follows it: "-5", and also "-0" and "-0.00",
 * which parse to zero, so testing the parsed value for < 0 is not enough. Returns SP_OK, or
 * SP_BAD_INPUT with "\"-5\" is negative: write the amount without a sign" (a text that is not
 * an amount at all gets money_parse's message). *out is set only on success.
 */
int money_parse_unsigned(const char *text, const char *currency, struct money *out,
                         struct error *err);
int money_parse_tagged_unsigned(const char *text, const char *default_currency, struct money *out,
                                struct error *err);

/* Writes the amount with exactly the currency's minor digits ("4000.00"), without the code. */
void money_format(struct money m, char *out, size_t size);

/* money_format for an amount of minor units in `currency` (an unknown code: 2 digits). */
void money_format_amount(int64_t minor, const char *currency, char *out, size_t size);

/* money_format with `digits` digits after the point (0: none), whatever the currency. */
void money_format_digits(int64_t minor, int digits, char *out, size_t size);

/* Parses "rounding" names: "half_up", "down", "up". Returns SP_OK or SP_BAD_INPUT. */
int rounding_parse(const char *name, enum rounding *out, struct error *err);
const char *rounding_name(enum rounding mode);

/*
 * *out = value * num / den, rounded by mode. den must be > 0. Returns SP_OK, or SP_BAD_INPUT
 * if the result does not fit an int64.
 */
int money_mul_ratio(int64_t value, int64_t num, int64_t den, enum rounding mode, int64_t *out,
                    struct error *err);

/*
 * product / den (den > 0) rounded by mode, for a product that fits an int64: money_mul_ratio's
 * common case, inline so that a constant den divides by multiplying.
 */
static inline int64_t money_divide_rounded(int64_t product, int64_t den, enum rounding mode)
{
    int64_t q = product / den, r = product % den;
    if (r != 0) {
        int64_t away = product < 0 ? -1 : 1;
        uint64_t twice = (uint64_t)(r < 0 ? -r : r) * 2;
        if (mode == ROUND_UP || (mode == ROUND_HALF_UP && twice >= (uint64_t)den))
            q += away;
    }
    return q;
}

/*
 * money_mul_ratio(value, rate, DECIMAL_SCALE, mode, out, NULL): value times a decimal rate.
 * Inline: the per-person contribution parts use it. SP_BAD_INPUT if it does not fit.
 */
static inline int money_mul_rate(int64_t value, int64_t rate, enum rounding mode, int64_t *out)
{
    int64_t product;
    if (__builtin_mul_overflow(value, rate, &product))
        return money_mul_ratio(value, rate, DECIMAL_SCALE, mode, out, NULL);
    *out = money_divide_rounded(product, DECIMAL_SCALE, mode);
    return SP_OK;
}

/* Rounds value to a multiple of unit (> 0) by mode; SP_BAD_INPUT on overflow. */
int money_round_to_unit(int64_t value, int64_t unit, enum rounding mode, int64_t *out,
                        struct error *err);

/*
 * Parses a decimal "0.0833", "12", "-1.5" or a percentage "8.33%" into DECIMAL_SCALE units.
 * At most DECIMAL_PLACES places (after the percent shift). SP_BAD_INPUT otherwise.
 */
int decimal_parse(const char *text, int64_t *out, struct error *err);

/* Writes a decimal with trailing zeros removed: 83300 -> "0.0833", 2000000 -> "2". */
void decimal_format(int64_t value, char *out, size_t size);

#endif
