/*
 * sqlite_change.c: corrections in the SQLite driver (store_driver.h, version 4): replacing a
 * person's row, and the person_changes rows that keep what it held before
 * (migrations/sqlite/0003).
 */
#include <string.h>

#include "base/date.h"
#include "store/sqlite/sqlite_impl.h"

int sqlite_person_update(void *handle, const struct person *p, int64_t serial,
                         const char *dedup_key, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *update = sq_statement(s, S_PERSON_UPDATE, err);
    if (update == NULL)
        return SP_IO;
    struct person_row row;
    person_row_encode(p, dedup_key, &row);
    sq_bind_row(update, &row);
    sqlite3_bind_int64(update, PERSON_ROW_COUNT + 1, serial);
    int step = sqlite3_step(update);
    sqlite3_reset(update);
    if (step == SQLITE_DONE)
        return SP_OK;
    int code = sqlite3_extended_errcode(s->db);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "%s", sqlite3_errmsg(s->db));
    return sq_error(s, "correcting a person", err);
}

int sqlite_person_change_add(void *handle, int64_t serial, const struct person_change *c,
                             struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CHANGE_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, serial);
    sqlite3_bind_int(stmt, 2, c->version);
    sq_bind_text(stmt, 2, c->field);
    sq_bind_text(stmt, 3, c->old_value);
    sq_bind_text(stmt, 4, c->new_value);
    sq_bind_text(stmt, 5, c->changed_at);
    sq_bind_text(stmt, 6, c->actor);
    sq_bind_text(stmt, 7, c->reason);
    return sq_run(s, stmt, "recording a correction", err);
}

int sqlite_person_change_last(void *handle, int64_t serial, int *version, struct error *err)
{
    int64_t last = 0;
    int rc = sq_read_int64_of(handle, S_CHANGE_LAST, serial, &last, "reading the corrections", err);
    *version = (int)last;
    return rc;
}

int sqlite_person_changes_each(void *handle, int64_t serial, person_change_visit_fn visit,
                               void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CHANGES, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, serial);
    struct person_change c;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        memset(&c, 0, sizeof c);
        c.version = sqlite3_column_int(stmt, 0);
        sq_read_text(stmt, 1, c.field, sizeof c.field);
        sq_read_text(stmt, 2, c.old_value, sizeof c.old_value);
        sq_read_text(stmt, 3, c.new_value, sizeof c.new_value);
        sq_read_text(stmt, 4, c.changed_at, sizeof c.changed_at);
        sq_read_text(stmt, 5, c.actor, sizeof c.actor);
        sq_read_text(stmt, 6, c.reason, sizeof c.reason);
        stop = visit(ctx, &c);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the corrections", err);
}

/* The words of a mark's kind in the person_marks table. */
static const char *const mark_words[] = {"", "deceased", "merged"};

int sqlite_person_mark_set(void *handle, int64_t serial, enum person_mark_kind kind, int32_t date,
                           int64_t into, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_MARK_SET, err);
    if (stmt == NULL)
        return SP_IO;
    char day[DATE_TEXT_SIZE] = "";
    if (date != DATE_NONE)
        date_format(date, day);
    sqlite3_bind_int64(stmt, 1, serial);
    sq_bind_text(stmt, 1, mark_words[kind]);
    sq_bind_text(stmt, 2, day);
    if (into > 0)
        sqlite3_bind_int64(stmt, 4, into);
    else
        sqlite3_bind_null(stmt, 4);
    int step = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (step == SQLITE_DONE)
        return SP_OK;
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "the record is marked already");
    return sq_error(s, "marking a record", err);
}

int sqlite_person_mark_get(void *handle, int64_t serial, enum person_mark_kind *kind, int32_t *date,
                           int64_t *into, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    *kind = PERSON_MARK_NONE;
    *date = DATE_NONE;
    *into = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_MARK_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, serial);
    int step = sqlite3_step(stmt);
    if (step == SQLITE_ROW) {
        *found = 1;
        *kind = strcmp(sq_column_text(stmt, 0), "merged") == 0 ? PERSON_MARK_MERGED
                                                               : PERSON_MARK_DECEASED;
        if (date_parse(sq_column_text(stmt, 1), date, NULL) != SP_OK)
            *date = DATE_NONE;
        *into = sqlite3_column_int64(stmt, 2);
    }
    sqlite3_reset(stmt);
    return step == SQLITE_ROW || step == SQLITE_DONE ? SP_OK
                                                     : sq_error(s, "reading a record's mark", err);
}
