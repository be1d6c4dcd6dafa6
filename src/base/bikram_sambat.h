/*
 * bikram_sambat.h: Nepal's official calendar, Bikram Sambat (BS), against the day numbers of
 * base/date.h, and Nepal's fiscal year (1 Shrawan to the last day of Asar).
 *
 * A BS month has 29 to 32 days, fixed each year by the calendar committee from the sun's
 * transits, so there is no formula: the lengths come from a table (bikram_sambat.c says where
 * it comes from) that covers BS_YEAR_FIRST to BS_YEAR_LAST, 1913-04-13 to 2034-04-13 AD. A BS
 * date outside it, or a day number whose BS date would be, is refused with SP_BAD_INPUT; no
 * function here guesses. The years after 2083 BS are projections that the official calendar
 * may move by a day within a year; the table is then to be corrected (bikram_sambat.c).
 *
 * BS dates travel as struct civil_date (year, month 1 = Baisakh to 12 = Chaitra, day) or as
 * the day number of the same day. Nothing here allocates; every function is thread-safe.
 */
#ifndef SPFLOOR_BASE_BIKRAM_SAMBAT_H
#define SPFLOOR_BASE_BIKRAM_SAMBAT_H

#include <stdint.h>

#include "base/date.h"
#include "base/error.h"

#define BS_YEAR_FIRST            1970
#define BS_YEAR_LAST             2090
#define BS_FISCAL_YEAR_TEXT_SIZE 8 /* "2081/82" and the terminator */

/* The days in BS month `month` (1 = Baisakh) of `year`; 0 when the table does not hold it. */
int bs_days_in_month(int year, int month);

/*
 * The day number of the BS date year-month-day. Returns SP_OK, or SP_BAD_INPUT when the date
 * does not exist (month 13, day 0, day 32 of a 31-day month: the message names the month's
 * length) or is outside the table (the message gives the range). `text` is the date as the
 * user wrote it, quoted in messages; NULL to quote the numbers instead.
 */
int bs_to_days(int year, int month, int day, const char *text, int32_t *out, struct error *err);

/*
 * The BS date of a day number. Returns SP_OK, or SP_BAD_INPUT when the day is outside the
 * table ("... has no Bikram Sambat date in spfloor's table: it runs from ...").
 */
int bs_from_days(int32_t days, struct civil_date *out, struct error *err);

/*
 * Parses strict "YYYY-MM-DD" (ten characters, no suffix) as a BS date. Returns SP_OK or
 * SP_BAD_INPUT saying what is wrong with the text, as date_parse does for Gregorian dates.
 */
int bs_parse(const char *text, int32_t *out, struct error *err);

/* Writes the BS date of `days` as "YYYY-MM-DD"; returns 1, or 0 (writing "") outside the table. */
int bs_format(int32_t days, char out[DATE_TEXT_SIZE]);

/* A fiscal year of Nepal: 1 Shrawan of first_year to the last day of Asar of first_year + 1. */
struct bs_fiscal_year {
    int first_year;    /* the BS year it starts in: 2081 for "2081/82" */
    int32_t first_day; /* day number of 1 Shrawan first_year */
    int32_t last_day;  /* day number of the last day of Asar first_year + 1 */
};

/*
 * The fiscal year that holds `days`. Returns SP_OK, or SP_BAD_INPUT when the fiscal year does
 * not lie wholly inside the table (its first or last day would be outside it).
 */
int bs_fiscal_year_of(int32_t days, struct bs_fiscal_year *out, struct error *err);

/* Writes fy's name as Nepal writes it: "2081/82" (the second year's last two digits). */
void bs_fiscal_year_format(const struct bs_fiscal_year *fy, char out[BS_FISCAL_YEAR_TEXT_SIZE]);

#endif
