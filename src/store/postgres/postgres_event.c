/*
 * postgres_event.c: life events in the PostgreSQL driver (store_driver.h, version 5): the
 * person_events rows (migrations/postgres/0006, event_row.h), and the marks of a range of
 * records.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/buf.h"
#include "base/ids.h"
#include "store/postgres/postgres_impl.h"

int postgres_event_add(void *handle, int64_t serial, const struct registry_event *ev, int64_t other,
                       struct error *err)
{
    struct event_row row;
    event_row_encode(serial, ev, other, &row);
    PGresult *res =
        pg_run(handle, S_EVENT_ADD, EVENT_ROW_COUNT, row.value, "recording an event", err);
    if (res == NULL)
        return SP_IO;
    int added = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    return added ? SP_OK : error_set(err, SP_CONFLICT, "the event is recorded already");
}

int postgres_event_last(void *handle, int64_t serial, int *seq, struct error *err)
{
    int64_t last = 0;
    int rc = pg_read_int64_of(handle, S_EVENT_LAST, serial, &last, "reading the events", err);
    *seq = (int)last;
    return rc;
}

/* Runs the statement `which` over the serials [from, to]; NULL with err set. */
static PGresult *range(struct pg_store *s, enum pg_statement which, int64_t from, int64_t to,
                       const char *doing, struct error *err)
{
    char from_text[EVENT_ROW_NUMBER_SIZE], to_text[EVENT_ROW_NUMBER_SIZE];
    snprintf(from_text, sizeof from_text, "%lld", (long long)from);
    snprintf(to_text, sizeof to_text, "%lld", (long long)to);
    const char *values[] = {from_text, to_text};
    return pg_run(s, which, 2, values, doing, err);
}

/* Visits the rows of an events result, then clears it; a non-zero visit return stops. */
static int visit_events(PGresult *res, registry_event_visit_fn visit, void *ctx)
{
    struct registry_event ev;
    const char *text[EVENT_ROW_COUNT];
    int stop = 0;
    for (int i = 0; stop == 0 && i < PQntuples(res); i++) {
        for (int c = 0; c < EVENT_ROW_COUNT; c++)
            text[c] = PQgetisnull(res, i, c) ? NULL : PQgetvalue(res, i, c);
        event_row_decode(&ev, text);
        stop = visit(ctx, &ev);
    }
    PQclear(res);
    return stop;
}

/* Visits the rows of a marks result (serial, kind, on_date, merged_into), then clears it. */
static int visit_marks(PGresult *res, person_mark_visit_fn visit, void *ctx)
{
    struct person_mark m;
    char id[WORKER_ID_SIZE];
    int stop = 0;
    for (int i = 0; stop == 0 && i < PQntuples(res); i++) {
        memset(&m, 0, sizeof m);
        if (worker_id_format(strtoll(PQgetvalue(res, i, 0), NULL, 10), id, NULL) != SP_OK)
            continue;
        m.kind = strcmp(PQgetvalue(res, i, 1), "merged") == 0 ? PERSON_MARK_MERGED
                                                              : PERSON_MARK_DECEASED;
        if (date_parse(PQgetvalue(res, i, 2), &m.date, NULL) != SP_OK)
            m.date = DATE_NONE;
        int64_t into = strtoll(PQgetvalue(res, i, 3), NULL, 10);
        if (into > 0)
            worker_id_format(into, m.into, NULL);
        stop = visit(ctx, id, &m);
    }
    PQclear(res);
    return stop;
}

int postgres_events_each(void *handle, int64_t from, int64_t to, registry_event_visit_fn visit,
                         void *ctx, struct error *err)
{
    PGresult *res = range(handle, S_EVENTS, from, to, "reading the events", err);
    return res != NULL ? visit_events(res, visit, ctx) : SP_IO;
}

int postgres_marks_each(void *handle, int64_t from, int64_t to, person_mark_visit_fn visit,
                        void *ctx, struct error *err)
{
    PGresult *res = range(handle, S_MARKS, from, to, "reading the marks", err);
    return res != NULL ? visit_marks(res, visit, ctx) : SP_IO;
}

/* Runs the statement `which` over the listed serials (a PostgreSQL array); NULL with err set. */
static PGresult *listed(struct pg_store *s, enum pg_statement which, const int64_t *serials, int n,
                        const char *doing, struct error *err)
{
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    PGresult *res = NULL;
    if (event_row_serial_list(serials, n, '{', '}', &list, err) == SP_OK) {
        const char *values[] = {list.data};
        res = pg_run(s, which, 1, values, doing, err);
    }
    buf_release(&list);
    return res;
}

int postgres_events_of(void *handle, const int64_t *serials, int n, registry_event_visit_fn visit,
                       void *ctx, struct error *err)
{
    PGresult *res = listed(handle, S_EVENTS_OF, serials, n, "reading the events", err);
    return res != NULL ? visit_events(res, visit, ctx) : SP_IO;
}

int postgres_marks_of(void *handle, const int64_t *serials, int n, person_mark_visit_fn visit,
                      void *ctx, struct error *err)
{
    PGresult *res = listed(handle, S_MARKS_OF, serials, n, "reading the marks", err);
    return res != NULL ? visit_marks(res, visit, ctx) : SP_IO;
}

int postgres_holders_each(void *handle, int marks, int (*visit)(void *ctx, int64_t serial),
                          void *ctx, struct error *err)
{
    return pg_serials_each(handle, marks ? S_MARK_HOLDERS : S_EVENT_HOLDERS, visit, ctx,
                           "reading who has events", err);
}
