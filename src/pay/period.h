/*
 * period.h: payment periods (docs/payroll.md "Periods"): what a scheme's payment cycle makes of
 * the calendar, each with an id as the country names it, a first and a last day.
 *
 * A schedule is a list of cycles, each from a day on (a scheme's `payment_cycle`). Nepal's
 * schedules run by fiscal year (1 Shrawan to the end of Asar, base/bikram_sambat.h): every
 * three months gives quarters "2081/82-Q1" (Shrawan to Asoj) to "-Q4" (Baisakh to Asar), every
 * four months thirds "2077/78-T1" to "-T3", every month "2081/82-M01" (Shrawan) to "-M12".
 * Elsewhere the Gregorian calendar: every month "2025-03", every three months "2025-Q1", every
 * four "2025-T1", every six "2025-H1", every twelve "2025"; other month counts and every N weeks
 * count from the cycle's first day and are named by the period's first day ("2025-03" or
 * "2025-03-03"); N times a month "2025-03/1" to "2025-03/N". A one-off payment (a claim) has
 * the single period "once".
 *
 * Pure: no allocation, no I/O.
 */
#ifndef SPFLOOR_PAY_PERIOD_H
#define SPFLOOR_PAY_PERIOD_H

#include <stdint.h>

#include "base/error.h"
#include "model/payment.h"

#define PAY_PERIOD_ID_SIZE    PAYMENT_PERIOD_SIZE
#define PAY_PERIOD_LABEL_SIZE 96 /* "Shrawan-Asoj 2081 (2081-04-01 to 2081-06-30)" and the NUL */
#define PAY_CYCLES_MAX        16

enum pay_calendar {
    PAY_GREGORIAN,
    PAY_NEPAL_FISCAL, /* Bikram Sambat, by Nepal's fiscal year */
};

/* One cycle: exactly one of every_months, every_weeks, times_a_month is not 0, or once is 1. */
struct pay_cycle {
    int32_t since; /* its first day */
    int every_months, every_weeks, times_a_month, once;
};

struct pay_schedule {
    enum pay_calendar calendar;
    struct pay_cycle cycles[PAY_CYCLES_MAX]; /* ascending by since */
    int n_cycles;
};

struct pay_period {
    char id[PAY_PERIOD_ID_SIZE];
    int32_t first, last;               /* its days (DATE_NONE for "once") */
    char label[PAY_PERIOD_LABEL_SIZE]; /* for people: the BS months and days in Nepal */
    struct pay_cycle cycle;            /* the cycle it belongs to */
    int part, parts;                   /* times_a_month: which of how many (else 1 of 1) */
};

/*
 * The period of schedule s that holds `day`. SP_BAD_INPUT when no cycle is in force on it,
 * or (Nepal) the day is outside the Bikram Sambat table.
 */
int pay_period_of(const struct pay_schedule *s, int32_t day, struct pay_period *out,
                  struct error *err);

/*
 * The period of schedule s named `id`. SP_BAD_INPUT naming the id and the form expected
 * ("2081/82-Q1") when it is not one of the schedule's periods.
 */
int pay_period_parse(const struct pay_schedule *s, const char *id, struct pay_period *out,
                     struct error *err);

/*
 * The amount due for period p of a benefit of `amount` minor units `per_year` times a year
 * (12 for a monthly amount, 26 fortnightly, 4 quarterly, 1 yearly; 0 for an amount paid once):
 * a monthly 4000.00 paid every three months is 12000.00. Split N times a month, the parts of a
 * month add up to the month's amount exactly (the last parts take the remainder). Rounds half
 * up to the minor unit. SP_BAD_INPUT on overflow.
 */
int pay_period_amount(const struct pay_period *p, int64_t amount, int per_year, int64_t *out,
                      struct error *err);

#endif
