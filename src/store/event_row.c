/*
 * event_row.c: a life event as a row of the person_events table (event_row.h).
 */
#include "store/event_row.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"

enum {
    C_SERIAL,
    C_SEQ,
    C_TYPE,
    C_DATE,
    C_OTHER,
    C_CONTRACT,
    C_DESTINATION,
    C_DISABILITY,
    C_ADMIN1,
    C_ADMIN2,
    C_HOUSEHOLD,
    C_RECORDED_AT,
    C_ACTOR,
    C_REASON,
};

_Static_assert(C_REASON + 1 == EVENT_ROW_COUNT, "one value per column");

/* The text, or NULL when it is "". */
static const char *or_null(const char *text)
{
    return text[0] != '\0' ? text : NULL;
}

static const char *number(struct event_row *row, int column, int64_t n)
{
    snprintf(row->text[column], sizeof row->text[column], "%lld", (long long)n);
    return row->text[column];
}

void event_row_encode(int64_t serial, const struct registry_event *ev, int64_t other,
                      struct event_row *row)
{
    memset(row->value, 0, sizeof row->value);
    row->value[C_SERIAL] = number(row, C_SERIAL, serial);
    row->value[C_SEQ] = number(row, C_SEQ, ev->seq);
    row->value[C_TYPE] = event_type_name((int)ev->e.type);
    date_format(ev->e.date, row->text[C_DATE]);
    row->value[C_DATE] = row->text[C_DATE];
    if (other > 0)
        row->value[C_OTHER] = number(row, C_OTHER, other);
    if (ev->e.contract_months > 0)
        row->value[C_CONTRACT] = number(row, C_CONTRACT, ev->e.contract_months);
    row->value[C_DESTINATION] = or_null(ev->e.destination);
    row->value[C_DISABILITY] = person_enum_name("disability_class", ev->disability_class);
    if (row->value[C_DISABILITY] != NULL && row->value[C_DISABILITY][0] == '\0')
        row->value[C_DISABILITY] = NULL;
    row->value[C_ADMIN1] = or_null(ev->admin1);
    row->value[C_ADMIN2] = or_null(ev->admin2);
    row->value[C_HOUSEHOLD] = or_null(ev->household);
    row->value[C_RECORDED_AT] = ev->recorded_at;
    row->value[C_ACTOR] = ev->actor;
    row->value[C_REASON] = ev->reason;
}

/* The worker ID of a serial column into out; "" when NULL or not a serial. */
static void worker_id_of(const char *text, char *out, size_t size)
{
    long long serial = 0;
    char id[WORKER_ID_SIZE];
    out[0] = '\0';
    if (text != NULL && text_parse_int64(text, &serial) && serial > 0 &&
        worker_id_format(serial, id, NULL) == SP_OK)
        text_copy(out, size, id);
}

static void copy(char *out, size_t size, const char *text)
{
    text_copy(out, size, text != NULL ? text : "");
}

void event_row_decode(struct registry_event *ev, const char *const *text)
{
    memset(ev, 0, sizeof *ev);
    worker_id_of(text[C_SERIAL], ev->e.person, sizeof ev->e.person);
    long long n = 0;
    if (text[C_SEQ] != NULL && text_parse_int64(text[C_SEQ], &n) && n > 0 && n < INT32_MAX)
        ev->seq = (int)n;
    int type = text[C_TYPE] != NULL ? event_type_parse(text[C_TYPE]) : -1;
    ev->e.type = type >= 0 ? (enum event_type)type : EVENT_BIRTH;
    if (text[C_DATE] == NULL || date_parse(text[C_DATE], &ev->e.date, NULL) != SP_OK)
        ev->e.date = DATE_NONE;
    if (ev->e.type == EVENT_BIRTH)
        worker_id_of(text[C_OTHER], ev->e.child, sizeof ev->e.child);
    else
        worker_id_of(text[C_OTHER], ev->spouse, sizeof ev->spouse);
    if (text[C_CONTRACT] != NULL && text_parse_int64(text[C_CONTRACT], &n) && n > 0 && n <= 600)
        ev->e.contract_months = (int)n;
    copy(ev->e.destination, sizeof ev->e.destination, text[C_DESTINATION]);
    for (int i = 0; text[C_DISABILITY] != NULL && person_disability_words[i] != NULL; i++)
        if (strcmp(person_disability_words[i], text[C_DISABILITY]) == 0)
            ev->disability_class = (uint8_t)(i + 1);
    copy(ev->admin1, sizeof ev->admin1, text[C_ADMIN1]);
    copy(ev->admin2, sizeof ev->admin2, text[C_ADMIN2]);
    copy(ev->household, sizeof ev->household, text[C_HOUSEHOLD]);
    copy(ev->recorded_at, sizeof ev->recorded_at, text[C_RECORDED_AT]);
    copy(ev->actor, sizeof ev->actor, text[C_ACTOR]);
    copy(ev->reason, sizeof ev->reason, text[C_REASON]);
}

int event_row_serial_list(const int64_t *serials, int n, char open, char close, struct buf *out,
                          struct error *err)
{
    int rc = buf_putc(out, open, err);
    for (int i = 0; rc == SP_OK && i < n; i++)
        rc = buf_printf(out, err, "%s%lld", i > 0 ? "," : "", (long long)serials[i]);
    return rc == SP_OK ? buf_putc(out, close, err) : rc;
}
