/*
 * calendar.h: dates as users write them, in either of spfloor's calendars: Gregorian (AD,
 * ISO 8601) or Bikram Sambat (BS, base/bikram_sambat.h), and dates shown in both.
 *
 * A date is "YYYY-MM-DD", optionally followed by one space and the calendar: "2080-01-15 BS"
 * or "1958-03-02 AD" (the suffix in any case). A date without a suffix is in the calendar the
 * caller assumes: Gregorian unless the user chose otherwise (a --calendar option). Whatever
 * calendar it is written in, a date becomes the day number of base/date.h.
 */
#ifndef SPFLOOR_BASE_CALENDAR_H
#define SPFLOOR_BASE_CALENDAR_H

#include <stddef.h>
#include <stdint.h>

#include "base/date.h"
#include "base/error.h"

enum calendar {
    CALENDAR_AD = 0, /* Gregorian, ISO 8601: the default */
    CALENDAR_BS = 1, /* Bikram Sambat, Nepal's official calendar */
};

/* Bytes calendar_format_both may write: "YYYY-MM-DD (YYYY-MM-DD BS)" and the terminator. */
#define CALENDAR_BOTH_TEXT_SIZE 27

/* What calendar_parse_date read. */
struct calendar_date {
    int32_t day;            /* the day number */
    enum calendar calendar; /* the calendar the text is in */
    int marked;             /* 1 if the text named it (" BS", " AD"); 0 if it was assumed */
};

/*
 * Reads a --calendar value: "ad" or "gregorian", "bs" or "bikram-sambat" (any case). Returns
 * SP_OK, or SP_USAGE with a message naming the allowed values.
 */
int calendar_parse_name(const char *name, enum calendar *out, struct error *err);

/*
 * Parses a date as described at the top, taking `assumed` for one without a suffix. Returns
 * SP_OK, or SP_BAD_INPUT saying what is wrong: the shape, an impossible date ("2080-13-01 BS"
 * has no month 13, "2080-01-32 BS" names the month's length), a BS date outside the table, or
 * an unknown suffix. The message quotes the text; it does not name a field or option (the
 * caller adds that).
 */
int calendar_parse_date(const char *text, enum calendar assumed, struct calendar_date *out,
                        struct error *err);

/*
 * Writes `days` as "1958-03-02 (2014-11-18 BS)", or as "1958-03-02" alone when the BS
 * calendar table does not reach that day.
 */
void calendar_format_both(int32_t days, char out[CALENDAR_BOTH_TEXT_SIZE]);

#endif
