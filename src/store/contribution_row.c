/*
 * contribution_row.c: ledger entries to and from their stored columns (contribution_row.h).
 */
#include "store/contribution_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"

/* The text of a number in room; NULL when absent. */
static const char *number(char room[CONTRIBUTION_NUMBER_SIZE], int64_t v, int present)
{
    if (!present)
        return NULL;
    snprintf(room, CONTRIBUTION_NUMBER_SIZE, "%lld", (long long)v);
    return room;
}

static const char *day(char room[DATE_TEXT_SIZE], int32_t d)
{
    if (d == DATE_NONE)
        return NULL;
    date_format(d, room);
    return room;
}

void contribution_row_encode(const struct contribution_entry *e, int64_t serial,
                             struct contribution_row_text *room,
                             const char *texts[CONTRIBUTION_TEXTS])
{
    const struct contribution *c = &e->c;
    const char *currency = c->wage.currency[0]       ? c->wage.currency
                           : c->employee.currency[0] ? c->employee.currency
                           : c->employer.currency[0] ? c->employer.currency
                                                     : c->state.currency;
    month_format(c->month, room->month);
    texts[0] = number(room->number[0], e->id, 1);
    texts[1] = number(room->number[1], serial, 1);
    texts[2] = c->scheme;
    texts[3] = room->month;
    texts[4] = e->employer;
    texts[5] = currency;
    texts[6] = number(room->number[2], e->declared, e->declared >= 0);
    texts[7] = number(room->number[3], c->wage.minor, 1);
    texts[8] = number(room->number[4], c->employee.minor, c->employee.currency[0] != '\0');
    texts[9] = number(room->number[5], c->employer.minor, c->employer.currency[0] != '\0');
    texts[10] = number(room->number[6], c->state.minor, c->state.currency[0] != '\0');
    texts[11] = number(room->number[7], e->paid, e->paid >= 0);
    texts[12] = day(room->days[0], e->paid_on);
    texts[13] = day(room->days[1], e->due);
    texts[14] = e->voluntary ? "1" : "0";
    texts[15] = number(room->number[8], e->reverses, e->reverses != 0);
    texts[16] = e->reason;
    texts[17] = e->actor;
    texts[18] = e->recorded_at;
}

static int64_t int_of(const char *text)
{
    return text != NULL ? strtoll(text, NULL, 10) : 0;
}

static int32_t day_of(const char *text)
{
    int32_t d = DATE_NONE;
    if (text == NULL || date_parse(text, &d, NULL) != SP_OK)
        return DATE_NONE;
    return d;
}

/* A part: its amount in `currency`, or none (currency "") when NULL. */
static void part_of(const char *text, const char *currency, struct money *out)
{
    out->minor = int_of(text);
    text_copy(out->currency, sizeof out->currency, text != NULL ? currency : "");
}

void contribution_row_decode(const char *const texts[CONTRIBUTION_TEXTS],
                             struct contribution_entry *e, int64_t *serial)
{
    memset(e, 0, sizeof *e);
    struct contribution *c = &e->c;
    const char *currency = texts[5] != NULL ? texts[5] : "";
    e->id = int_of(texts[0]);
    *serial = int_of(texts[1]);
    text_copy(c->scheme, sizeof c->scheme, texts[2] != NULL ? texts[2] : "");
    if (texts[3] == NULL || month_parse(texts[3], &c->month, NULL) != SP_OK)
        c->month = 0;
    text_copy(e->employer, sizeof e->employer, texts[4] != NULL ? texts[4] : "");
    e->declared = texts[6] != NULL ? int_of(texts[6]) : -1;
    part_of(texts[7], currency, &c->wage);
    part_of(texts[8], currency, &c->employee);
    part_of(texts[9], currency, &c->employer);
    part_of(texts[10], currency, &c->state);
    e->paid = texts[11] != NULL ? int_of(texts[11]) : -1;
    e->paid_on = day_of(texts[12]);
    e->due = day_of(texts[13]);
    e->voluntary = int_of(texts[14]) != 0;
    e->reverses = int_of(texts[15]);
    text_copy(e->reason, sizeof e->reason, texts[16] != NULL ? texts[16] : "");
    text_copy(e->actor, sizeof e->actor, texts[17] != NULL ? texts[17] : "");
    text_copy(e->recorded_at, sizeof e->recorded_at, texts[18] != NULL ? texts[18] : "");
}
