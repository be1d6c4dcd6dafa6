/*
 * date.h: civil dates as a count of days since 1970-01-01 (proleptic Gregorian), and months as
 * a count of months since 1970-01. No struct tm arithmetic.
 *
 * Dates are int32_t day numbers; DATE_NONE marks "no date". Months ("YYYY-MM", the
 * contributions ledger's unit) are int32_t month numbers: 1970-01 is 0.
 */
#ifndef SPFLOOR_BASE_DATE_H
#define SPFLOOR_BASE_DATE_H

#include <stdint.h>
#include <stddef.h>

#include "base/error.h"

#define DATE_NONE       INT32_MIN
#define DATE_TEXT_SIZE  11 /* "YYYY-MM-DD" and the terminator */
#define MONTH_TEXT_SIZE 8  /* "YYYY-MM" and the terminator */

struct civil_date {
    int year;  /* 1 to 9999 for parsed dates */
    int month; /* 1 to 12 */
    int day;   /* 1 to the month's length */
};

int date_is_leap_year(int year);
int date_days_in_month(int year, int month);

/* The day number of a valid civil date (the caller checks validity). */
int32_t date_from_civil(int year, int month, int day);
struct civil_date date_to_civil(int32_t days);

/*
 * Parses strict ISO 8601 "YYYY-MM-DD" (exactly ten characters), from 0001-01-01 to 9999-12-31.
 * Rejects other shapes, the year 0000 and impossible dates such as 2023-02-30 with
 * SP_BAD_INPUT naming the text and the reason.
 */
int date_parse(const char *text, int32_t *out, struct error *err);

/* 1 when text has the shape "YYYY-MM-DD" (ten characters, digits and two dashes), with its
 * numbers in *y, *m and *d, whatever the calendar; 0 otherwise. Checks no calendar. */
int date_split_ymd(const char *text, int *y, int *m, int *d);
void date_format(int32_t days, char out[DATE_TEXT_SIZE]);

/*
 * Whole years of age on `on` for someone born on `birth`: the number of birthdays passed.
 * A birthday on 29 February is reached on 1 March in years that have no 29 February.
 * Negative when on < birth.
 */
int date_age_years(int32_t birth, int32_t on);

/* Whole months from `from` to `to` (a month counts once its day-of-month is reached). */
int date_months_between(int32_t from, int32_t to);

/* The date `months` months after `days`; the day is clamped to the end of a shorter month. */
int32_t date_add_months(int32_t days, int months);

/* Month numbers: 1970-01 is 0. */
int32_t month_of_date(int32_t days);
int32_t month_first_day(int32_t month);
/* Parses strict "YYYY-MM" (0001-01 to 9999-12) into a month number; SP_BAD_INPUT with the
 * reason otherwise. */
int month_parse(const char *text, int32_t *out, struct error *err);
void month_format(int32_t month, char out[MONTH_TEXT_SIZE]);

/* Today's date in UTC, from the system clock. */
int32_t date_today(void);

#define DATE_TIME_UTC_SIZE 24 /* "YYYY-MM-DDTHH:MM:SSZ" and its NUL */

/* Now, UTC, as YYYY-MM-DDTHH:MM:SSZ (the time a write is recorded at). */
void date_time_utc_now(char out[DATE_TIME_UTC_SIZE]);

#endif
