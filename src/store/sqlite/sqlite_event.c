/*
 * sqlite_event.c: life events in the SQLite driver (store_driver.h, version 5): the
 * person_events rows (migrations/sqlite/0006, event_row.h), and the marks of a range of records.
 */
#include <string.h>

#include "base/date.h"
#include "base/buf.h"
#include "base/ids.h"
#include "store/sqlite/sqlite_impl.h"

int sqlite_event_add(void *handle, int64_t serial, const struct registry_event *ev, int64_t other,
                     struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_EVENT_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    struct event_row row;
    event_row_encode(serial, ev, other, &row);
    for (int c = 0; c < EVENT_ROW_COUNT; c++)
        sq_bind_text(stmt, c, row.value[c] != NULL ? row.value[c] : "");
    int step = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (step == SQLITE_DONE)
        return SP_OK;
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "the event is recorded already");
    return sq_error(s, "recording an event", err);
}

int sqlite_event_last(void *handle, int64_t serial, int *seq, struct error *err)
{
    int64_t last = 0;
    int rc = sq_read_int64_of(handle, S_EVENT_LAST, serial, &last, "reading the events", err);
    *seq = (int)last;
    return rc;
}

/* Binds the range [from, to] to ?1 and ?2 of the statement `which`; NULL with err set. */
static sqlite3_stmt *range(struct sqlite_store *s, enum statement which, int64_t from, int64_t to,
                           struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt != NULL) {
        sqlite3_bind_int64(stmt, 1, from);
        sqlite3_bind_int64(stmt, 2, to);
    }
    return stmt;
}

/* Steps a bound events statement, visiting each row; a non-zero visit return stops. */
static int visit_events(struct sqlite_store *s, sqlite3_stmt *stmt, registry_event_visit_fn visit,
                        void *ctx, struct error *err)
{
    struct registry_event ev;
    const char *text[EVENT_ROW_COUNT];
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (int c = 0; c < EVENT_ROW_COUNT; c++)
            text[c] = (const char *)sqlite3_column_text(stmt, c);
        event_row_decode(&ev, text);
        stop = visit(ctx, &ev);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the events", err);
}

/* Steps a bound marks statement (serial, kind, on_date, merged_into), visiting each row. */
static int visit_marks(struct sqlite_store *s, sqlite3_stmt *stmt, person_mark_visit_fn visit,
                       void *ctx, struct error *err)
{
    struct person_mark m;
    char id[WORKER_ID_SIZE];
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        memset(&m, 0, sizeof m);
        if (worker_id_format(sqlite3_column_int64(stmt, 0), id, NULL) != SP_OK)
            continue;
        m.kind = strcmp(sq_column_text(stmt, 1), "merged") == 0 ? PERSON_MARK_MERGED
                                                                : PERSON_MARK_DECEASED;
        if (date_parse(sq_column_text(stmt, 2), &m.date, NULL) != SP_OK)
            m.date = DATE_NONE;
        int64_t into = sqlite3_column_int64(stmt, 3);
        if (into > 0)
            worker_id_format(into, m.into, NULL);
        stop = visit(ctx, id, &m);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the marks", err);
}

int sqlite_events_each(void *handle, int64_t from, int64_t to, registry_event_visit_fn visit,
                       void *ctx, struct error *err)
{
    sqlite3_stmt *stmt = range(handle, S_EVENTS, from, to, err);
    return stmt != NULL ? visit_events(handle, stmt, visit, ctx, err) : SP_IO;
}

int sqlite_marks_each(void *handle, int64_t from, int64_t to, person_mark_visit_fn visit, void *ctx,
                      struct error *err)
{
    sqlite3_stmt *stmt = range(handle, S_MARKS, from, to, err);
    return stmt != NULL ? visit_marks(handle, stmt, visit, ctx, err) : SP_IO;
}

/* The statement `which` with the serials bound to ?1 as a JSON array, in list (which the
 * statement's use must outlive); NULL with err set. */
static sqlite3_stmt *listed(struct sqlite_store *s, enum statement which, const int64_t *serials,
                            int n, struct buf *list, struct error *err)
{
    if (event_row_serial_list(serials, n, '[', ']', list, err) != SP_OK)
        return NULL;
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt != NULL)
        sqlite3_bind_text(stmt, 1, list->data, (int)list->len, SQLITE_STATIC);
    return stmt;
}

int sqlite_events_of(void *handle, const int64_t *serials, int n, registry_event_visit_fn visit,
                     void *ctx, struct error *err)
{
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    sqlite3_stmt *stmt = listed(handle, S_EVENTS_OF, serials, n, &list, err);
    int rc = stmt != NULL ? visit_events(handle, stmt, visit, ctx, err) : SP_IO;
    buf_release(&list);
    return rc;
}

int sqlite_marks_of(void *handle, const int64_t *serials, int n, person_mark_visit_fn visit,
                    void *ctx, struct error *err)
{
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    sqlite3_stmt *stmt = listed(handle, S_MARKS_OF, serials, n, &list, err);
    int rc = stmt != NULL ? visit_marks(handle, stmt, visit, ctx, err) : SP_IO;
    buf_release(&list);
    return rc;
}

int sqlite_holders_each(void *handle, int marks, int (*visit)(void *ctx, int64_t serial), void *ctx,
                        struct error *err)
{
    return sq_serials_each(handle, marks ? S_MARK_HOLDERS : S_EVENT_HOLDERS, visit, ctx,
                           "reading who has events", err);
}
