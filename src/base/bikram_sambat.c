/*
 * bikram_sambat.c: the BS month-length table and conversions over it.
 *
 * The table (facts, not code, taken from published calendar data): medic/bikram-sambat,
 * test-data/daysInMonth.json (commit 1aabdf9, June 2026), 1970 to 2090 BS; its 2083 BS follows
 * nepalipatro.com.np and Hamro Patro (its issue #31).
 * Cross-checked against amitgaru2/nepali-datetime, nepali_datetime/data/calendar_bs.csv (1975 to
 * 2100 BS, with 2083 BS as corrected by its pull request #70 from nepalipatro.com.np): every
 * year from 1975 to 2090 BS has the same number of days in both, so the first day of every year
 * agrees; within 1975, 1989, 1991, 1993, 2062 and 2087 BS they place one day in different
 * months, and the table follows medic/bikram-sambat. opensource-nepal/node-nepali-datetime
 * (src/dateConverter/constants.ts) agrees on every year's length from 2000 to 2083 BS.
 * Years after 2083 BS are projections, not yet published by Nepal's calendar committee (Nepal
 * Panchang Nirnayak Samiti), and the sources disagree on them; after 2090 BS they disagree on
 * the years' lengths (one gives 2096 BS 364 days), so the table stops at 2090 BS.
 * The epoch is the published pair 1 Baisakh 2000 BS = 14 April 1943 AD (the reference date of
 * opensource-nepal/node-nepali-datetime); tests/unit/test_bikram_sambat.c checks other pairs,
 * including 1 Baisakh 1975 BS = 13 April 1918 (amitgaru2/nepali-datetime's reference).
 */
#include "base/bikram_sambat.h"

#include <stdio.h>
#include <string.h>

#define BS_YEARS      (BS_YEAR_LAST - BS_YEAR_FIRST + 1)
#define BS_EPOCH_YEAR 2000 /* 1 Baisakh 2000 BS ... */
#define BS_EPOCH_AD_Y 1943 /* ... is 14 April 1943 AD */
#define BS_EPOCH_AD_M 4
#define BS_EPOCH_AD_D 14
#define BS_SHRAWAN    4 /* the month a fiscal year starts in */
#define BS_ASAR       3 /* the month it ends in */

/* Days in each month, Baisakh to Chaitra, of each year from BS_YEAR_FIRST. */
static const unsigned char month_days[BS_YEARS][12] = {
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1970: 365 days */
    {31, 31, 32, 31, 32, 30, 30, 29, 30, 29, 30, 30}, /* 1971: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 1972: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 1973: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1974: 365 days */
    {31, 31, 32, 32, 30, 31, 30, 29, 30, 29, 30, 30}, /* 1975: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 1976: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 1977: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1978: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 1979: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 1980: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 1981: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1982: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 1983: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 1984: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 1985: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1986: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 1987: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 1988: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1989: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1990: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 1991: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 1992: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1993: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1994: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30}, /* 1995: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 1996: 366 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1997: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 1998: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 1999: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2000: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2001: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2002: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2003: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2004: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2005: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2006: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2007: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 29, 31}, /* 2008: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2009: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2010: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2011: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 2012: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2013: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2014: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2015: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 2016: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2017: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2018: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2019: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2020: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2021: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30}, /* 2022: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2023: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2024: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2025: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2026: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2027: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2028: 365 days */
    {31, 31, 32, 31, 32, 30, 30, 29, 30, 29, 30, 30}, /* 2029: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2030: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2031: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2032: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2033: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2034: 366 days */
    {30, 32, 31, 32, 31, 31, 29, 30, 30, 29, 29, 31}, /* 2035: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2036: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2037: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2038: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 2039: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2040: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2041: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2042: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 2043: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2044: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2045: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2046: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2047: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2048: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30}, /* 2049: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2050: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2051: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2052: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30}, /* 2053: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2054: 366 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2055: 365 days */
    {31, 31, 32, 31, 32, 30, 30, 29, 30, 29, 30, 30}, /* 2056: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2057: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2058: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2059: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2060: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2061: 366 days */
    {30, 32, 31, 32, 31, 31, 29, 30, 29, 30, 29, 31}, /* 2062: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2063: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2064: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2065: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 29, 31}, /* 2066: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2067: 365 days */
    {31, 31, 32, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2068: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2069: 366 days */
    {31, 31, 31, 32, 31, 31, 29, 30, 30, 29, 30, 30}, /* 2070: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2071: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 29, 30, 29, 30, 30}, /* 2072: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 31}, /* 2073: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2074: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2075: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30}, /* 2076: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2077: 366 days */
    {31, 31, 31, 32, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2078: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2079: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 29, 30, 30}, /* 2080: 365 days */
    {31, 32, 31, 32, 31, 30, 30, 30, 29, 30, 29, 31}, /* 2081: 366 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2082: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 29, 30, 29, 30, 30}, /* 2083: 365 days */
    {31, 31, 32, 31, 31, 30, 30, 30, 29, 30, 30, 30}, /* 2084: 365 days */
    {31, 32, 31, 32, 30, 31, 30, 30, 29, 30, 30, 30}, /* 2085: 366 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30}, /* 2086: 365 days */
    {31, 31, 32, 31, 31, 31, 30, 30, 29, 30, 30, 30}, /* 2087: 366 days */
    {30, 31, 32, 32, 30, 31, 30, 30, 29, 30, 30, 30}, /* 2088: 365 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30}, /* 2089: 365 days */
    {30, 32, 31, 32, 31, 30, 30, 30, 29, 30, 30, 30}, /* 2090: 365 days */
};

static int year_length(int year)
{
    int n = 0;
    for (int m = 0; m < 12; m++)
        n += month_days[year - BS_YEAR_FIRST][m];
    return n;
}

/* The day number of 1 Baisakh `year` (BS_YEAR_FIRST <= year <= BS_YEAR_LAST + 1). */
static int32_t year_start(int year)
{
    int32_t day = date_from_civil(BS_EPOCH_AD_Y, BS_EPOCH_AD_M, BS_EPOCH_AD_D);
    for (int y = BS_EPOCH_YEAR; y < year; y++)
        day += year_length(y);
    for (int y = year; y < BS_EPOCH_YEAR; y++)
        day -= year_length(y);
    return day;
}

int bs_days_in_month(int year, int month)
{
    if (year < BS_YEAR_FIRST || year > BS_YEAR_LAST || month < 1 || month > 12)
        return 0;
    return month_days[year - BS_YEAR_FIRST][month - 1];
}

/* Says which dates the table holds, for messages: "1970-01-01 BS (1913-04-13) to ...". */
static void describe_range(char *out, size_t size)
{
    char first[DATE_TEXT_SIZE], last[DATE_TEXT_SIZE];
    date_format(year_start(BS_YEAR_FIRST), first);
    date_format(year_start(BS_YEAR_LAST + 1) - 1, last);
    (void)snprintf(out, size, "%04d-01-01 BS (%s) to %04d-12-%02d BS (%s)", BS_YEAR_FIRST, first,
                   BS_YEAR_LAST, bs_days_in_month(BS_YEAR_LAST, 12), last);
}

int bs_to_days(int year, int month, int day, const char *text, int32_t *out, struct error *err)
{
    char quoted[48];
    if (text != NULL)
        (void)snprintf(quoted, sizeof quoted, "\"%s\"", text);
    else
        (void)snprintf(quoted, sizeof quoted, "\"%04d-%02d-%02d\"", year, month, day);
    if (month < 1 || month > 12)
        return error_set(err, SP_BAD_INPUT,
                         "%s is not a Bikram Sambat date: no month %02d (months run from 01, "
                         "Baisakh, to 12, Chaitra)",
                         quoted, month);
    if (year < BS_YEAR_FIRST || year > BS_YEAR_LAST) {
        char range[96];
        describe_range(range, sizeof range);
        return error_set(err, SP_BAD_INPUT,
                         "%s is outside the Bikram Sambat calendar spfloor knows: it runs from %s",
                         quoted, range);
    }
    int length = bs_days_in_month(year, month);
    if (day < 1 || day > length)
        return error_set(err, SP_BAD_INPUT,
                         "%s is not a Bikram Sambat date: %04d-%02d BS has %d days", quoted, year,
                         month, length);
    int32_t n = year_start(year);
    for (int m = 1; m < month; m++)
        n += bs_days_in_month(year, m);
    *out = n + day - 1;
    return SP_OK;
}

int bs_from_days(int32_t days, struct civil_date *out, struct error *err)
{
    int32_t start = year_start(BS_YEAR_FIRST);
    if (days < start || days >= year_start(BS_YEAR_LAST + 1)) {
        char range[96], text[DATE_TEXT_SIZE];
        describe_range(range, sizeof range);
        date_format(days, text);
        return error_set(err, SP_BAD_INPUT,
                         "%s has no Bikram Sambat date in spfloor's calendar: it runs from %s",
                         text, range);
    }
    int year = BS_YEAR_FIRST;
    while (days >= start + year_length(year)) {
        start += year_length(year);
        year++;
    }
    int month = 1;
    while (days >= start + bs_days_in_month(year, month)) {
        start += bs_days_in_month(year, month);
        month++;
    }
    out->year = year;
    out->month = month;
    out->day = (int)(days - start) + 1;
    return SP_OK;
}

int bs_parse(const char *text, int32_t *out, struct error *err)
{
    int y, m, d;
    if (!date_split_ymd(text, &y, &m, &d))
        return error_set(err, SP_BAD_INPUT,
                         "\"%s\" is not a Bikram Sambat date: expected YYYY-MM-DD", text);
    return bs_to_days(y, m, d, text, out, err);
}

int bs_format(int32_t days, char out[DATE_TEXT_SIZE])
{
    struct civil_date c;
    if (bs_from_days(days, &c, NULL) != SP_OK) {
        out[0] = '\0';
        return 0;
    }
    (void)snprintf(out, DATE_TEXT_SIZE, "%04d-%02d-%02d", c.year, c.month, c.day);
    return 1;
}

int bs_fiscal_year_of(int32_t days, struct bs_fiscal_year *out, struct error *err)
{
    struct civil_date c;
    if (bs_from_days(days, &c, err) != SP_OK)
        return SP_BAD_INPUT;
    int first = c.month >= BS_SHRAWAN ? c.year : c.year - 1;
    if (first < BS_YEAR_FIRST || first + 1 > BS_YEAR_LAST) {
        char text[DATE_TEXT_SIZE];
        date_format(days, text);
        return error_set(err, SP_BAD_INPUT,
                         "the fiscal year %d/%02d of %s runs beyond the Bikram Sambat calendar "
                         "spfloor knows (%d to %d BS)",
                         first, (first + 1) % 100, text, BS_YEAR_FIRST, BS_YEAR_LAST);
    }
    int32_t start = 0, end = 0;
    bs_to_days(first, BS_SHRAWAN, 1, NULL, &start, NULL);
    bs_to_days(first + 1, BS_ASAR, bs_days_in_month(first + 1, BS_ASAR), NULL, &end, NULL);
    out->first_year = first;
    out->first_day = start;
    out->last_day = end;
    return SP_OK;
}

void bs_fiscal_year_format(const struct bs_fiscal_year *fy, char out[BS_FISCAL_YEAR_TEXT_SIZE])
{
    unsigned first = (unsigned)fy->first_year % 10000, next = ((unsigned)fy->first_year + 1) % 100;
    (void)snprintf(out, BS_FISCAL_YEAR_TEXT_SIZE, "%04u/%02u", first, next);
}
