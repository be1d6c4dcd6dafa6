/*
 * sqlite_contribution.c: the contributions ledger in the SQLite driver (store_driver.h,
 * version 9; migrations/sqlite/0010, contribution_row.h).
 */
#include <string.h>

#include "base/buf.h"
#include "store/contribution_row.h"
#include "store/event_row.h"
#include "store/sqlite/sqlite_impl.h"

int sqlite_contribution_last(void *handle, int64_t *last, struct error *err)
{
    return sq_read_int64(handle, S_CONTRIBUTION_LAST, last, "reading the ledger", err);
}

/* Binds the 1-based parameter i to v, or NULL when absent. */
static void bind_number(sqlite3_stmt *stmt, int i, int64_t v, int present)
{
    if (present)
        sqlite3_bind_int64(stmt, i, v);
    else
        sqlite3_bind_null(stmt, i);
}

static void bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
    if (text == NULL)
        sqlite3_bind_null(stmt, i);
    else
        sqlite3_bind_text(stmt, i, text, -1, SQLITE_STATIC);
}

int sqlite_contributions_add(void *handle, const struct contribution_entry *entries,
                             const int64_t *serials, int n, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CONTRIBUTION_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    struct contribution_row_text room;
    const char *texts[CONTRIBUTION_TEXTS];
    for (int i = 0; i < n; i++) {
        /* the texts as both drivers store them; the numbers bound as integers (no text to
         * write and read back): the columns' values are the same */
        const struct contribution_entry *e = &entries[i];
        contribution_row_encode(e, serials[i], &room, texts);
        sqlite3_bind_int64(stmt, 1, e->id);
        sqlite3_bind_int64(stmt, 2, serials[i]);
        bind_text(stmt, 3, texts[2]);
        bind_text(stmt, 4, texts[3]);
        bind_text(stmt, 5, texts[4]);
        bind_text(stmt, 6, texts[5]);
        bind_number(stmt, 7, e->declared, e->declared >= 0);
        sqlite3_bind_int64(stmt, 8, e->c.wage.minor);
        bind_number(stmt, 9, e->c.employee.minor, e->c.employee.currency[0] != '\0');
        bind_number(stmt, 10, e->c.employer.minor, e->c.employer.currency[0] != '\0');
        bind_number(stmt, 11, e->c.state.minor, e->c.state.currency[0] != '\0');
        bind_number(stmt, 12, e->paid, e->paid >= 0);
        for (int c = 12; c < CONTRIBUTION_TEXTS; c++)
            if (c != 14 && c != 15)
                bind_text(stmt, c + 1, texts[c]);
        sqlite3_bind_int64(stmt, 15, e->voluntary);
        bind_number(stmt, 16, e->reverses, e->reverses != 0);
        int step = sqlite3_step(stmt);
        sqlite3_reset(stmt);
        if (step == SQLITE_DONE)
            continue;
        if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
            return error_set(err, SP_CONFLICT, "ledger entry %lld is booked already",
                             (long long)e->id);
        return sq_error(s, "booking a contribution", err);
    }
    return SP_OK;
}

/* Steps a bound entries statement, visiting each row; a non-zero visit return stops. */
static int visit_entries(struct sqlite_store *s, sqlite3_stmt *stmt,
                         store_contribution_row_fn visit, void *ctx, struct error *err)
{
    struct contribution_entry e;
    const char *texts[CONTRIBUTION_TEXTS];
    int64_t serial;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        for (int c = 0; c < CONTRIBUTION_TEXTS; c++)
            texts[c] = (const char *)sqlite3_column_text(stmt, c);
        contribution_row_decode(texts, &e, &serial);
        stop = visit(ctx, serial, &e);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the ledger", err);
}

int sqlite_contributions_each(void *handle, int64_t from, int64_t to,
                              store_contribution_row_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CONTRIBUTIONS, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, from);
    sqlite3_bind_int64(stmt, 2, to);
    return visit_entries(s, stmt, visit, ctx, err);
}

int sqlite_contributions_of(void *handle, const int64_t *serials, int n,
                            store_contribution_row_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    int rc = event_row_serial_list(serials, n, '[', ']', &list, err);
    sqlite3_stmt *stmt = rc == SP_OK ? sq_statement(s, S_CONTRIBUTIONS_OF, err) : NULL;
    if (stmt != NULL) {
        sqlite3_bind_text(stmt, 1, list.data, (int)list.len, SQLITE_STATIC);
        rc = visit_entries(s, stmt, visit, ctx, err);
    } else if (rc == SP_OK) {
        rc = SP_IO;
    }
    buf_release(&list);
    return rc;
}

int sqlite_contributors_each(void *handle, int (*visit)(void *ctx, int64_t serial), void *ctx,
                             struct error *err)
{
    return sq_serials_each(handle, S_CONTRIBUTORS, visit, ctx, "reading who has contributions",
                           err);
}
