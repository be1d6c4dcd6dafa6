#include "base/calendar.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/bikram_sambat.h"

#define DATE_CHARS 10 /* "YYYY-MM-DD" */
#define TEXT_MAX   64 /* longest date text quoted back */

int calendar_parse_name(const char *name, enum calendar *out, struct error *err)
{
    if (strcasecmp(name, "ad") == 0 || strcasecmp(name, "gregorian") == 0) {
        *out = CALENDAR_AD;
        return SP_OK;
    }
    if (strcasecmp(name, "bs") == 0 || strcasecmp(name, "bikram-sambat") == 0) {
        *out = CALENDAR_BS;
        return SP_OK;
    }
    return error_set(err, SP_USAGE,
                     "\"%.*s\" is not a calendar: use ad (Gregorian, the default) or bs (Bikram "
                     "Sambat)",
                     TEXT_MAX, name);
}

int calendar_parse_date(const char *text, enum calendar assumed, struct calendar_date *out,
                        struct error *err)
{
    size_t n = strlen(text);
    enum calendar calendar = assumed;
    int marked = 0;
    char date[DATE_CHARS + 1];
    if (n > DATE_CHARS) {
        const char *suffix = text + DATE_CHARS;
        if (strcasecmp(suffix, " BS") == 0)
            calendar = CALENDAR_BS;
        else if (strcasecmp(suffix, " AD") == 0)
            calendar = CALENDAR_AD;
        else
            return error_set(err, SP_BAD_INPUT,
                             "\"%.*s\" is not a date: expected YYYY-MM-DD, optionally followed "
                             "by BS (Bikram Sambat) or AD, as in \"2080-01-15 BS\"",
                             TEXT_MAX, text);
        marked = 1;
        memcpy(date, text, DATE_CHARS);
        date[DATE_CHARS] = '\0';
    } else {
        memcpy(date, text, n + 1);
    }
    int32_t day;
    struct error why;
    error_init(&why);
    int rc = calendar == CALENDAR_BS ? bs_parse(date, &day, &why) : date_parse(date, &day, &why);
    if (rc != SP_OK) {
        if (marked || calendar == CALENDAR_AD)
            return error_set(err, rc, "%s", why.message);
        /* assumed BS: say so, since the text itself does not */
        return error_set(
            err, rc, "%s (read as Bikram Sambat, the calendar chosen for dates without BS or AD)",
            why.message);
    }
    out->day = day;
    out->calendar = calendar;
    out->marked = marked;
    return SP_OK;
}

void calendar_format_both(int32_t days, char out[CALENDAR_BOTH_TEXT_SIZE])
{
    char ad[DATE_TEXT_SIZE], bs[DATE_TEXT_SIZE];
    date_format(days, ad);
    if (bs_format(days, bs))
        (void)snprintf(out, CALENDAR_BOTH_TEXT_SIZE, "%s (%s BS)", ad, bs);
    else
        (void)snprintf(out, CALENDAR_BOTH_TEXT_SIZE, "%s", ad);
}
