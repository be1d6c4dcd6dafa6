/*
 * period.c: payment periods (period.h).
 */
#include "pay/period.h"

#include <stdio.h>
#include <string.h>

#include "base/bikram_sambat.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"

static const char *const bs_month_names[12] = {"Baisakh", "Jestha", "Asar",   "Shrawan",
                                               "Bhadra",  "Asoj",   "Kartik", "Mangsir",
                                               "Poush",   "Magh",   "Falgun", "Chaitra"};

/* The letter naming a part of a year of `months`-month periods ("" for a whole year). */
static const char *part_letter(int months)
{
    switch (months) {
    case 1:
        return "M";
    case 2:
        return "B";
    case 3:
        return "Q";
    case 4:
        return "T";
    case 6:
        return "H";
    default:
        return "";
    }
}

static int divides_year(int months)
{
    return months >= 1 && months <= 12 && 12 % months == 0;
}

/* The cycle in force on day, or NULL. */
static const struct pay_cycle *cycle_at(const struct pay_schedule *s, int32_t day)
{
    const struct pay_cycle *found = NULL;
    for (int i = 0; i < s->n_cycles; i++)
        if (s->cycles[i].since <= day)
            found = &s->cycles[i];
    return found;
}

static void label_gregorian(struct pay_period *p)
{
    char a[DATE_TEXT_SIZE], b[DATE_TEXT_SIZE];
    date_format(p->first, a);
    date_format(p->last, b);
    snprintf(p->label, sizeof p->label, "%s to %s", a, b);
}

/* Nepal: a period of `months` BS months from the first of BS month `month` of `year`. */
static int nepal_period(int fy, int index, int months, struct pay_period *p, struct error *err)
{
    int offset = index * months; /* months after Shrawan */
    int year = fy + (3 + offset) / 12, month = (3 + offset) % 12 + 1;
    int end_offset = offset + months;
    int end_year = fy + (3 + end_offset) / 12, end_month = (3 + end_offset) % 12 + 1;
    int32_t next = 0;
    int rc = bs_to_days(year, month, 1, NULL, &p->first, err);
    if (rc == SP_OK)
        rc = bs_to_days(end_year, end_month, 1, NULL, &next, err);
    if (rc != SP_OK)
        return rc;
    p->last = next - 1;
    if (months == 12)
        snprintf(p->id, sizeof p->id, "%d/%02d", fy, (fy + 1) % 100);
    else
        snprintf(p->id, sizeof p->id, "%d/%02d-%s%0*d", fy, (fy + 1) % 100, part_letter(months),
                 months == 1 ? 2 : 1, index + 1);
    char bs_first[DATE_TEXT_SIZE], bs_last[DATE_TEXT_SIZE], a[DATE_TEXT_SIZE], b[DATE_TEXT_SIZE];
    bs_format(p->first, bs_first);
    bs_format(p->last, bs_last);
    date_format(p->first, a);
    date_format(p->last, b);
    int last_month = (month - 1 + months - 1) % 12;
    if (months == 1)
        snprintf(p->label, sizeof p->label, "%s %d (%s to %s BS; %s to %s)",
                 bs_month_names[month - 1], year, bs_first, bs_last, a, b);
    else
        snprintf(p->label, sizeof p->label, "%s-%s %d (%s to %s BS; %s to %s)",
                 bs_month_names[month - 1], bs_month_names[last_month], year, bs_first, bs_last, a,
                 b);
    return SP_OK;
}

static int period_months(const struct pay_schedule *s, const struct pay_cycle *c, int32_t day,
                         struct pay_period *p, struct error *err)
{
    int k = c->every_months;
    if (s->calendar == PAY_NEPAL_FISCAL && divides_year(k)) {
        struct civil_date bs;
        int rc = bs_from_days(day, &bs, err);
        if (rc != SP_OK)
            return rc;
        int fy = bs.month >= 4 ? bs.year : bs.year - 1;
        int offset = (bs.month + 12 - 4) % 12;
        return nepal_period(fy, offset / k, k, p, err);
    }
    struct civil_date d = date_to_civil(day);
    int first_month; /* months since year 0 */
    if (divides_year(k)) {
        first_month = d.year * 12 + ((d.month - 1) / k) * k;
    } else {
        struct civil_date since = date_to_civil(c->since);
        int base = since.year * 12 + since.month - 1, now = d.year * 12 + d.month - 1;
        first_month = base + ((now - base) / k) * k;
    }
    int y = first_month / 12, m = first_month % 12 + 1;
    p->first = date_from_civil(y, m, 1);
    p->last = date_add_months(p->first, k) - 1;
    if (!divides_year(k) || k == 1)
        snprintf(p->id, sizeof p->id, "%04d-%02d", y, m);
    else if (k == 12)
        snprintf(p->id, sizeof p->id, "%04d", y);
    else
        snprintf(p->id, sizeof p->id, "%04d-%s%d", y, part_letter(k), (m - 1) / k + 1);
    label_gregorian(p);
    return SP_OK;
}

int pay_period_of(const struct pay_schedule *s, int32_t day, struct pay_period *out,
                  struct error *err)
{
    memset(out, 0, sizeof *out);
    out->part = out->parts = 1;
    const struct pay_cycle *c = cycle_at(s, day);
    if (c == NULL) {
        char text[DATE_TEXT_SIZE];
        date_format(day, text);
        return error_set(err, SP_BAD_INPUT, "no payment cycle is in force on %s", text);
    }
    out->cycle = *c;
    if (c->once) {
        text_copy(out->id, sizeof out->id, "once");
        text_copy(out->label, sizeof out->label, "paid once");
        out->first = out->last = DATE_NONE;
        return SP_OK;
    }
    if (c->every_months > 0)
        return period_months(s, c, day, out, err);
    if (c->every_weeks > 0) {
        int32_t length = 7 * c->every_weeks, since = day - c->since;
        out->first = c->since + (since / length) * length;
        out->last = out->first + length - 1;
        date_format(out->first, out->id);
        label_gregorian(out);
        return SP_OK;
    }
    struct civil_date d = date_to_civil(day);
    int n = c->times_a_month, dim = date_days_in_month(d.year, d.month);
    int part = 1;
    while (part < n && 1 + (part * dim) / n <= d.day)
        part++;
    out->part = part;
    out->parts = n;
    out->first = date_from_civil(d.year, d.month, 1 + ((part - 1) * dim) / n);
    out->last = date_from_civil(d.year, d.month, (part * dim) / n);
    snprintf(out->id, sizeof out->id, "%04d-%02d/%d", d.year, d.month, part);
    label_gregorian(out);
    return SP_OK;
}

/* Reads exactly `digits` decimal digits at *s, advancing it; -1 when they are not there. */
static int read_number(const char **s, int digits)
{
    int v = 0;
    for (int i = 0; i < digits; i++) {
        if ((*s)[i] < '0' || (*s)[i] > '9')
            return -1;
        v = v * 10 + ((*s)[i] - '0');
    }
    *s += digits;
    return v;
}

/* A day inside the period `id` names, whatever the schedule (DATE_NONE: none). */
static int32_t day_named(const char *id)
{
    const char *s = id;
    int year = read_number(&s, 4);
    if (year < 1)
        return DATE_NONE;
    if (*s == '/') { /* Nepal: "2081/82", "2081/82-Q1", "2081/82-M01" */
        s++;
        if (read_number(&s, 2) != (year + 1) % 100)
            return DATE_NONE;
        int offset = 0;
        if (*s == '-') {
            s++;
            static const char letters[] = "MBQTH";
            static const int months[] = {1, 2, 3, 4, 6};
            const char *l = *s ? strchr(letters, *s) : NULL;
            if (l == NULL)
                return DATE_NONE;
            s++;
            int k = months[l - letters], n = read_number(&s, k == 1 ? 2 : 1);
            if (n < 1 || n > 12 / k)
                return DATE_NONE;
            offset = (n - 1) * k;
        }
        if (*s != '\0')
            return DATE_NONE;
        int32_t day = DATE_NONE;
        int y = year + (3 + offset) / 12, m = (3 + offset) % 12 + 1;
        return bs_to_days(y, m, 1, NULL, &day, NULL) == SP_OK ? day : DATE_NONE;
    }
    if (*s == '\0')
        return date_from_civil(year, 1, 1);
    if (*s++ != '-')
        return DATE_NONE;
    if (*s == 'Q' || *s == 'T' || *s == 'H' || *s == 'B') {
        int k = *s == 'Q' ? 3 : *s == 'T' ? 4 : *s == 'H' ? 6 : 2;
        s++;
        int n = read_number(&s, 1);
        if (n < 1 || n > 12 / k || *s != '\0')
            return DATE_NONE;
        return date_from_civil(year, (n - 1) * k + 1, 1);
    }
    int month = read_number(&s, 2);
    if (month < 1 || month > 12)
        return DATE_NONE;
    if (*s == '\0')
        return date_from_civil(year, month, 1);
    if (*s == '/') {
        s++;
        int part = read_number(&s, 1);
        if (part < 1 || *s != '\0')
            return DATE_NONE;
        return date_from_civil(year, month, 1); /* the part's own day: pay_period_parse */
    }
    int32_t day = DATE_NONE;
    return date_parse(id, &day, NULL) == SP_OK ? day : DATE_NONE;
}

/* The first period of each cycle, for messages: "2073/74-T1 on (from 2016-07-16), ...". */
static void id_forms(const struct pay_schedule *s, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < s->n_cycles && n < size; i++) {
        struct pay_period p;
        struct error ignored;
        error_init(&ignored);
        if (pay_period_of(s, s->cycles[i].since, &p, &ignored) != SP_OK)
            continue;
        char since[DATE_TEXT_SIZE];
        date_format(s->cycles[i].since, since);
        const char *more = p.cycle.once ? "" : " and on";
        if (s->calendar == PAY_NEPAL_FISCAL && p.cycle.every_months == 3)
            more = " and on: Q1 Shrawan-Asoj, Q2 Kartik-Poush, Q3 Magh-Chaitra, Q4 Baisakh-Asar";
        n += (size_t)snprintf(out + n, size - n, "%s%s%s (from %s)", i ? "; " : "", p.id, more,
                              since);
    }
    if (out[0] == '\0')
        snprintf(out, size, "none: the scheme has no payment cycle");
}

int pay_period_parse(const struct pay_schedule *s, const char *id, struct pay_period *out,
                     struct error *err)
{
    memset(out, 0, sizeof *out);
    if (strcmp(id, "once") == 0 && s->n_cycles > 0 && s->cycles[0].once)
        return pay_period_of(s, s->cycles[0].since, out, err);
    int32_t day = day_named(id);
    int part = 0;
    const char *slash = strchr(id, '/');
    if (day != DATE_NONE && slash != NULL && strchr(id, '-') != NULL && slash > strchr(id, '-')) {
        /* "2025-03/2": the first day of part 2 depends on the cycle's times a month */
        part = slash[1] - '0';
        const struct pay_cycle *c = cycle_at(s, day);
        if (c != NULL && c->times_a_month > 0 && part <= c->times_a_month) {
            struct civil_date d = date_to_civil(day);
            int dim = date_days_in_month(d.year, d.month);
            day = date_from_civil(d.year, d.month, 1 + ((part - 1) * dim) / c->times_a_month);
        }
    }
    struct error ignored;
    error_init(&ignored);
    if (day != DATE_NONE && pay_period_of(s, day, out, &ignored) == SP_OK &&
        strcmp(out->id, id) == 0)
        return SP_OK;
    memset(out, 0, sizeof *out);
    char forms[512];
    id_forms(s, forms, sizeof forms);
    return error_set(err, SP_BAD_INPUT,
                     "\"%s\" is not a payment period of this scheme: its periods are %s", id,
                     forms);
}

int pay_period_amount(const struct pay_period *p, int64_t amount, int per_year, int64_t *out,
                      struct error *err)
{
    const struct pay_cycle *c = &p->cycle;
    if (per_year <= 0 || c->once)
        return (*out = amount, SP_OK);
    if (c->every_months > 0)
        return money_mul_ratio(amount, (int64_t)per_year * c->every_months, 12, ROUND_HALF_UP, out,
                               err);
    if (c->every_weeks > 0)
        return money_mul_ratio(amount, (int64_t)per_year * c->every_weeks, 52, ROUND_HALF_UP, out,
                               err);
    int64_t month = 0, upto = 0, before = 0;
    int rc = money_mul_ratio(amount, per_year, 12, ROUND_HALF_UP, &month, err);
    if (rc == SP_OK)
        rc = money_mul_ratio(month, p->part, p->parts, ROUND_DOWN, &upto, err);
    if (rc == SP_OK)
        rc = money_mul_ratio(month, p->part - 1, p->parts, ROUND_DOWN, &before, err);
    if (rc == SP_OK)
        *out = upto - before;
    return rc;
}
