/*
 * sqlite_audit.c: the audit log in the SQLite driver (store_driver.h, version 8;
 * migrations/sqlite/0009).
 */
#include <string.h>

#include "store/audit_row.h"
#include "store/sqlite/sqlite_impl.h"

/* Reads the current row of stmt into e (seq read as text, whatever its column type). */
static void read_entry(sqlite3_stmt *stmt, struct audit_entry *e)
{
    const char *texts[AUDIT_TEXTS];
    for (int i = 0; i < AUDIT_TEXTS; i++)
        texts[i] = sq_column_text(stmt, i);
    audit_row_decode(texts, e);
}

int sqlite_audit_last(void *handle, struct audit_entry *out, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt = sq_statement(s, S_AUDIT_LAST, err);
    if (stmt == NULL)
        return SP_IO;
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        read_entry(stmt, out);
        *found = 1;
    }
    sqlite3_reset(stmt);
    return step == SQLITE_ROW || step == SQLITE_DONE ? SP_OK
                                                     : sq_error(s, "reading the audit log", err);
}

int sqlite_audit_add(void *handle, const struct audit_entry *e, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_AUDIT_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    char seq[PERSON_ROW_NUMBER_SIZE];
    const char *texts[AUDIT_TEXTS];
    audit_row_encode(e, seq, texts);
    sqlite3_bind_int64(stmt, 1, e->seq);
    for (int i = 1; i < AUDIT_TEXTS; i++)
        sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_STATIC);
    int step = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (step == SQLITE_DONE)
        return SP_OK;
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "another writer appended to the audit log");
    return sq_error(s, "appending to the audit log", err);
}

int sqlite_audit_each(void *handle, const char *object, audit_visit_fn visit, void *ctx,
                      struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, object != NULL ? S_AUDIT_OF : S_AUDIT_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    if (object != NULL)
        sqlite3_bind_text(stmt, 1, object, -1, SQLITE_STATIC);
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct audit_entry e;
        read_entry(stmt, &e);
        stop = visit(ctx, &e);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the audit log", err);
}
