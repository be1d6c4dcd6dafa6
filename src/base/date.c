#include "base/date.h"

#include <string.h>
#include <time.h>

int date_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
    static const int lengths[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month == 2 && date_is_leap_year(year))
        return 29;
    return lengths[month - 1];
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int32_t date_from_civil(int year, int month, int day)
{
    int y = year - (month <= 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

struct civil_date date_to_civil(int32_t days)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    struct civil_date c;
    c.day = (int)(doy - (153 * mp + 2) / 5 + 1);
    c.month = (int)(mp < 10 ? mp + 3 : mp - 9);
    c.year = y + (c.month <= 2);
    return c;
}

/* Reads exactly n digits at p into *out; returns 0 if any is not a digit. */
static int read_digits(const char *p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            return 0;
        v = v * 10 + (p[i] - '0');
    }
    *out = v;
    return 1;
}

int date_split_ymd(const char *text, int *y, int *m, int *d)
{
    return strlen(text) == 10 && text[4] == '-' && text[7] == '-' && read_digits(text, 4, y) &&
           read_digits(text + 5, 2, m) && read_digits(text + 8, 2, d);
}

int date_parse(const char *text, int32_t *out, struct error *err)
{
    int y, m, d;
    if (!date_split_ymd(text, &y, &m, &d))
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a date: expected YYYY-MM-DD", text);
    if (y < 1)
        return error_set(err, SP_BAD_INPUT,
                         "\"%s\" is not a date: there is no year 0000; dates run from "
                         "0001-01-01 to 9999-12-31",
                         text);
    if (m < 1 || m > 12)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a date: no month %02d", text, m);
    if (d < 1 || d > date_days_in_month(y, m))
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a date: %04d-%02d has %d days", text, y,
                         m, date_days_in_month(y, m));
    *out = date_from_civil(y, m, d);
    return SP_OK;
}

/* Writes n decimal digits of value (0 <= value < 10^n) at out. */
static void write_digits(char *out, int n, int value)
{
    for (int i = n - 1; i >= 0; i--) {
        out[i] = (char)('0' + value % 10);
        value /= 10;
    }
}

void date_format(int32_t days, char out[DATE_TEXT_SIZE])
{
    struct civil_date c = date_to_civil(days);
    write_digits(out, 4, ((c.year % 10000) + 10000) % 10000);
    out[4] = '-';
    write_digits(out + 5, 2, c.month);
    out[7] = '-';
    write_digits(out + 8, 2, c.day);
    out[10] = '\0';
}

int date_age_years(int32_t birth, int32_t on)
{
    struct civil_date b = date_to_civil(birth), o = date_to_civil(on);
    int age = o.year - b.year;
    /* Compare (month, day) pairs; 29 Feb is after 28 Feb, so in a common year the birthday
     * is first passed on 1 March. */
    if (o.month < b.month || (o.month == b.month && o.day < b.day))
        age--;
    return age;
}

int date_months_between(int32_t from, int32_t to)
{
    struct civil_date a = date_to_civil(from), b = date_to_civil(to);
    int months = (b.year - a.year) * 12 + (b.month - a.month);
    if (to >= from && b.day < a.day)
        months--;
    else if (to < from && b.day > a.day)
        months++;
    return months;
}

int32_t date_add_months(int32_t days, int months)
{
    struct civil_date c = date_to_civil(days);
    int index = c.year * 12 + (c.month - 1) + months;
    int year = index >= 0 ? index / 12 : (index - 11) / 12;
    int month = index - year * 12 + 1;
    int last = date_days_in_month(year, month);
    return date_from_civil(year, month, c.day > last ? last : c.day);
}

int32_t month_of_date(int32_t days)
{
    struct civil_date c = date_to_civil(days);
    return (c.year - 1970) * 12 + (c.month - 1);
}

int32_t month_first_day(int32_t month)
{
    int index = 1970 * 12 + month;
    return date_from_civil(index / 12, index % 12 + 1, 1);
}

int month_parse(const char *text, int32_t *out, struct error *err)
{
    int y, m;
    if (strlen(text) != 7 || text[4] != '-' || !read_digits(text, 4, &y) ||
        !read_digits(text + 5, 2, &m))
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a month: expected YYYY-MM", text);
    if (y < 1)
        return error_set(err, SP_BAD_INPUT,
                         "\"%s\" is not a month: there is no year 0000; months run from "
                         "0001-01 to 9999-12",
                         text);
    if (m < 1 || m > 12)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a month: no month %02d", text, m);
    *out = (y - 1970) * 12 + (m - 1);
    return SP_OK;
}

void month_format(int32_t month, char out[MONTH_TEXT_SIZE])
{
    int index = 1970 * 12 + month;
    write_digits(out, 4, (index / 12) % 10000);
    out[4] = '-';
    write_digits(out + 5, 2, index % 12 + 1);
    out[7] = '\0';
}

int32_t date_today(void)
{
    return (int32_t)(time(NULL) / 86400);
}

void date_time_utc_now(char out[DATE_TIME_UTC_SIZE])
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    strftime(out, DATE_TIME_UTC_SIZE, "%Y-%m-%dT%H:%M:%SZ", &utc);
}
