/*
 * sqlite_enrolment.c: enrolments in the SQLite driver (store_driver.h, version 7;
 * migrations/sqlite/0008).
 */
#include <string.h>

#include "store/enrolment_row.h"
#include "store/sqlite/sqlite_impl.h"

/* Binds texts[0..n-1] from parameter `first` (1-based) on, "" as "" (never NULL). */
static void bind_texts(sqlite3_stmt *stmt, int first, const char *const *texts, int n)
{
    for (int i = 0; i < n; i++)
        sqlite3_bind_text(stmt, first + i, texts[i], -1, SQLITE_STATIC);
}

int sqlite_enrolment_add(void *handle, int64_t serial, const struct enrolment_record *r, int *added,
                         struct error *err)
{
    struct sqlite_store *s = handle;
    *added = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_ENROLMENT_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    char days[3][DATE_TEXT_SIZE];
    const char *texts[ENROLMENT_TEXTS];
    enrolment_row_encode(r, days, texts);
    sqlite3_bind_int64(stmt, 1, serial);
    bind_texts(stmt, 2, texts, ENROLMENT_TEXTS);
    if (texts[2][0] == '\0')
        sqlite3_bind_null(stmt, 4); /* to_date: open */
    return sq_run_changed(s, stmt, "enrolling", added, err);
}

int sqlite_enrolments_each(void *handle, int64_t serial, store_enrolment_row_fn visit, void *ctx,
                           struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, serial > 0 ? S_ENROLMENTS_OF : S_ENROLMENTS_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    if (serial > 0)
        sqlite3_bind_int64(stmt, 1, serial);
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[ENROLMENT_TEXTS];
        for (int i = 0; i < ENROLMENT_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        struct enrolment_record r;
        enrolment_row_decode(texts, &r);
        stop = visit(ctx, sqlite3_column_int64(stmt, 0), &r);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading enrolments", err);
}

int sqlite_enrolment_state_set(void *handle, int64_t serial, const struct enrolment_record *r,
                               int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_ENROLMENT_STATE, err);
    if (stmt == NULL)
        return SP_IO;
    char days[3][DATE_TEXT_SIZE];
    const char *texts[ENROLMENT_TEXTS];
    enrolment_row_encode(r, days, texts);
    sqlite3_bind_int64(stmt, 1, serial);
    const char *values[] = {texts[0], texts[3], texts[4], texts[2], texts[5], texts[7], texts[8]};
    bind_texts(stmt, 2, values, 7);
    if (texts[2][0] == '\0')
        sqlite3_bind_null(stmt, 5);
    return sq_run_changed(s, stmt, "changing an enrolment", found, err);
}
