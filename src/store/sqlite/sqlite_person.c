/*
 * sqlite_person.c: persons and households in the SQLite driver: one column per fact of the
 * vocabulary (migrations 0001), and the driver's person and household functions.
 *
 * A person's key is its worker serial (INTEGER PRIMARY KEY, the rowid), so persons are appended
 * in serial order; the 12-digit id is stored beside it for reading but not indexed. The dedup
 * key is indexed by its 64-bit hash.
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "store/event_row.h"
#include "store/person_row.h"
#include "store/sqlite/sqlite_impl.h"

/* ---- binding and reading persons ---- */

void sq_bind_text(sqlite3_stmt *stmt, int column, const char *text)
{
    if (text[0] == '\0')
        sqlite3_bind_null(stmt, column + 1);
    else
        sqlite3_bind_text(stmt, column + 1, text, -1, SQLITE_STATIC);
}

/* Binds every column of a person row (person_row.h); the row must outlive the step. */
void sq_bind_row(sqlite3_stmt *stmt, const struct person_row *row)
{
    for (int c = 0; c < PERSON_ROW_COUNT; c++) {
        if (row->value[c] == NULL)
            sqlite3_bind_null(stmt, c + 1);
        else
            sqlite3_bind_text(stmt, c + 1, row->value[c], -1, SQLITE_STATIC);
    }
}

const char *sq_column_text(sqlite3_stmt *stmt, int column)
{
    const unsigned char *text = sqlite3_column_text(stmt, column);
    return text ? (const char *)text : "";
}

void sq_read_text(sqlite3_stmt *stmt, int column, char *out, size_t size)
{
    text_copy(out, size, sq_column_text(stmt, column));
}

/* How read_columns reads a column of a walk: not at all (it is NULL: person_row_select's), as
 * text alone (a TEXT column holds text or NULL), or by its type (an INTEGER column). */
enum column_read { COLUMN_SKIP, COLUMN_TEXT, COLUMN_TYPED };

/* Reads the person of the row stmt is on, each column as how[c] says (column_reads). Fills p
 * as person_row_decode does. */
static void read_columns(sqlite3_stmt *stmt, const uint8_t *how, struct person *p)
{
    struct person_row_in in;
    for (int c = 0; c < PERSON_ROW_COUNT - 1; c++) { /* not dedup_hash, the last */
        in.has_number[c] = 0;
        in.number[c] = 0;
        in.text[c] = NULL;
        if (how[c] == COLUMN_TEXT) {
            in.text[c] = (const char *)sqlite3_column_text(stmt, c);
        } else if (how[c] == COLUMN_TYPED) {
            int type = sqlite3_column_type(stmt, c);
            in.has_number[c] = type == SQLITE_INTEGER;
            if (type == SQLITE_INTEGER)
                in.number[c] = sqlite3_column_int64(stmt, c);
            else if (type != SQLITE_NULL)
                in.text[c] = (const char *)sqlite3_column_text(stmt, c);
        }
    }
    in.has_number[PERSON_ROW_COUNT - 1] = 0;
    in.text[PERSON_ROW_COUNT - 1] = NULL;
    person_row_decode(p, &in);
}

/* How a walk's statement reads its columns: those want[c] asks for, by the column's declared
 * type (want NULL: every column). */
static void column_reads(sqlite3_stmt *stmt, const uint8_t *want, uint8_t how[PERSON_ROW_COUNT])
{
    for (int c = 0; c < PERSON_ROW_COUNT; c++) {
        const char *type = sqlite3_column_decltype(stmt, c);
        how[c] = want != NULL && !want[c]                    ? COLUMN_SKIP
                 : type != NULL && strcmp(type, "TEXT") == 0 ? COLUMN_TEXT
                                                             : COLUMN_TYPED;
    }
}

static void read_person(sqlite3_stmt *stmt, struct person *p)
{
    uint8_t how[PERSON_ROW_COUNT];
    column_reads(stmt, NULL, how);
    read_columns(stmt, how, p);
}

/* Steps a bound single-row person query: *found and *out as store_person_get says. */
int sq_fetch_one(struct sqlite_store *s, sqlite3_stmt *stmt, struct person *out, int *found,
                 struct error *err)
{
    int rc = sqlite3_step(stmt);
    *found = 0;
    if (rc == SQLITE_ROW) {
        read_person(stmt, out);
        *found = 1;
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_error(s, "reading a person", err);
    return SP_OK;
}

/* Looks a person up by serial: one probe of the primary key. */
int sq_person_by_serial(struct sqlite_store *s, int64_t serial, struct person *out, int *found,
                        struct error *err)
{
    *found = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_PERSON_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, serial);
    return sq_fetch_one(s, stmt, out, found, err);
}

/* Steps a bound person query, visiting each row (its columns read as read_columns says); the
 * visitor's non-zero return stops it. */
static int visit_columns(struct sqlite_store *s, sqlite3_stmt *stmt, const uint8_t *want,
                         person_visit_fn visit, void *ctx, struct error *err)
{
    struct person p;
    uint8_t how[PERSON_ROW_COUNT];
    column_reads(stmt, want, how);
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_columns(stmt, how, &p);
        int stop = visit(ctx, &p);
        if (stop != 0) {
            sqlite3_reset(stmt);
            return stop;
        }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
        return sq_error(s, "reading persons", err);
    return SP_OK;
}

/* Steps a bound person query, visiting each row; the visitor's non-zero return stops it. */
int sq_visit_rows(struct sqlite_store *s, sqlite3_stmt *stmt, person_visit_fn visit, void *ctx,
                  struct error *err)
{
    return visit_columns(s, stmt, NULL, visit, ctx, err);
}

/* ---- persons ---- */

int sqlite_person_insert(void *handle, const struct person *p, int64_t serial,
                         const char *dedup_key, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *insert = sq_statement(s, S_PERSON_INSERT, err);
    if (insert == NULL)
        return SP_IO;
    struct person_row row;
    person_row_encode(p, dedup_key, &row);
    sq_bind_row(insert, &row);
    sqlite3_bind_int64(insert, PERSON_ROW_COUNT + 1, serial);
    int step = sqlite3_step(insert);
    sqlite3_reset(insert);
    if (step == SQLITE_DONE)
        return SP_OK;
    int code = sqlite3_extended_errcode(s->db);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "%s", sqlite3_errmsg(s->db));
    return sq_error(s, "inserting a person", err);
}

int sqlite_household_insert(void *handle, const struct household *h, int *created,
                            struct error *err)
{
    struct sqlite_store *s = handle;
    *created = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_HOUSEHOLD_INSERT, err);
    if (stmt == NULL)
        return SP_IO;
    sq_bind_text(stmt, 0, h->id); /* bind_text takes 0-based columns */
    sq_bind_text(stmt, 1, h->country);
    sq_bind_text(stmt, 2, h->admin1);
    sq_bind_text(stmt, 3, h->admin2);
    if (sq_run(s, stmt, "creating a household", err) != SP_OK)
        return SP_IO;
    *created = sqlite3_changes(s->db) == 1;
    return SP_OK;
}

int sqlite_household_delete(void *handle, const char *id, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_HOUSEHOLD_DELETE, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    return sq_run(s, stmt, "removing a household", err);
}

int sqlite_person_by_serial(void *handle, int64_t serial, struct person *out, int *found,
                            struct error *err)
{
    return sq_person_by_serial(handle, serial, out, found, err);
}

int sqlite_persons_of(void *handle, const int64_t *serials, int n, person_visit_fn visit, void *ctx,
                      struct error *err)
{
    struct sqlite_store *s = handle;
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    int rc = event_row_serial_list(serials, n, '[', ']', &list, err);
    sqlite3_stmt *stmt = rc == SP_OK ? sq_statement(s, S_PERSONS_OF, err) : NULL;
    if (stmt != NULL) {
        sqlite3_bind_text(stmt, 1, list.data, (int)list.len, SQLITE_STATIC);
        rc = sq_visit_rows(s, stmt, visit, ctx, err);
    } else if (rc == SP_OK) {
        rc = SP_IO;
    }
    buf_release(&list);
    return rc;
}

int sqlite_person_by_national_id(void *handle, const char *country, const char *national_id,
                                 struct person *out, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_PERSON_BY_NATIONAL_ID, err);
    *found = 0;
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, country, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, national_id, -1, SQLITE_STATIC);
    return sq_fetch_one(s, stmt, out, found, err);
}

/* A probe of the dedup index by the key's hash (store.c compares the keys). */
int sqlite_person_by_dedup_key(void *handle, const char *key, struct person *out, int *found,
                               struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_PERSON_BY_DEDUP_KEY, err);
    *found = 0;
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, person_row_dedup_hash(key));
    return sq_fetch_one(s, stmt, out, found, err);
}

static void bind_country(sqlite3_stmt *stmt, int index, const char *country)
{
    if (country == NULL)
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_text(stmt, index, country, -1, SQLITE_STATIC);
}

int sqlite_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                       void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *all = sq_statement(s, S_SEARCH_ALL, err);
    if (all == NULL)
        return SP_IO;
    bind_country(all, 1, country);
    sqlite3_bind_int(all, 2, limit);
    return sq_visit_rows(s, all, visit, ctx, err);
}

/* One scan for the text anywhere in the name (either order), national ID, worker ID or phone,
 * exact matches of an ID, national ID or phone first, then by worker ID. */
int sqlite_person_search(void *handle, const char *text, const char *country, int limit,
                         person_visit_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    char pattern[2 * SEARCH_TEXT_MAX + 3];
    person_row_like_pattern(text, pattern, sizeof pattern);
    sqlite3_stmt *scan = sq_statement(s, S_SEARCH_SCAN, err);
    if (scan == NULL)
        return SP_IO;
    sqlite3_bind_text(scan, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(scan, 2, pattern, -1, SQLITE_STATIC);
    bind_country(scan, 3, country);
    sqlite3_bind_int(scan, 4, limit);
    return sq_visit_rows(s, scan, visit, ctx, err);
}

int sqlite_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_PERSON_EACH, err);
    if (stmt == NULL)
        return SP_IO;
    return sq_visit_rows(s, stmt, visit, ctx, err);
}

int sqlite_person_each_by_household(void *handle, const char *country, person_visit_fn visit,
                                    void *ctx, struct error *err)
{
    return sqlite_person_each_by_household_reading(handle, country, PERSON_FIELDS_EVERY, visit, ctx,
                                                   err);
}

int sqlite_person_each_by_household_reading(void *handle, const char *country,
                                            person_field_set fields, person_visit_fn visit,
                                            void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    /* ?1 country or NULL: the members of each household together, then those without one */
    static const char *const parts[] = {
        "WHERE household IS NOT NULL AND (?1 IS NULL OR country = ?1) ORDER BY household, serial",
        "WHERE household IS NULL AND (?1 IS NULL OR country = ?1) ORDER BY serial"};
    uint8_t want[PERSON_ROW_COUNT];
    char columns[PERSON_ROW_SELECT_SIZE];
    person_row_reads(fields, want);
    person_row_select(fields, columns);
    int rc = SP_OK;
    for (size_t i = 0; rc == SP_OK && i < sizeof parts / sizeof parts[0]; i++) {
        char sql[PERSON_ROW_SELECT_SIZE + 160];
        sqlite3_stmt *stmt = NULL;
        snprintf(sql, sizeof sql, "SELECT %s FROM persons %s", columns, parts[i]);
        if (sqlite3_prepare_v2(s->db, sql, -1, &stmt, NULL) != SQLITE_OK)
            return sq_error(s, "reading persons", err);
        bind_country(stmt, 1, country);
        if (i == 0 && sqlite3_prepare_v2(s->db,
                                         "SELECT id, country, admin1, admin2 FROM households "
                                         "ORDER BY id",
                                         -1, &s->walk_households, NULL) == SQLITE_OK)
            s->walk_households_on_row = sqlite3_step(s->walk_households) == SQLITE_ROW;
        rc = visit_columns(s, stmt, want, visit, ctx, err);
        sqlite3_finalize(s->walk_households); /* accepts NULL */
        s->walk_households = NULL;
        sqlite3_finalize(stmt);
    }
    return rc;
}

/*
 * household_get during a walk: steps the walk's households forward to id. 1 with *out set when
 * it is there; 0 when the walk has passed it or is not on a row (the caller then asks the
 * table: a household asked for out of order, or one that does not exist).
 */
static int walk_household(struct sqlite_store *s, const char *id, struct household *out)
{
    sqlite3_stmt *h = s->walk_households;
    int c = -1;
    while (s->walk_households_on_row) {
        const char *at = (const char *)sqlite3_column_text(h, 0);
        c = strcmp(at != NULL ? at : "", id);
        if (c >= 0)
            break;
        s->walk_households_on_row = sqlite3_step(h) == SQLITE_ROW;
    }
    if (!s->walk_households_on_row || c != 0)
        return 0;
    memset(out, 0, sizeof *out);
    sq_read_text(h, 0, out->id, sizeof out->id);
    sq_read_text(h, 1, out->country, sizeof out->country);
    sq_read_text(h, 2, out->admin1, sizeof out->admin1);
    sq_read_text(h, 3, out->admin2, sizeof out->admin2);
    return 1;
}

int sqlite_household_members(void *handle, const char *household, person_visit_fn visit, void *ctx,
                             struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_MEMBERS, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, household, -1, SQLITE_STATIC);
    return sq_visit_rows(s, stmt, visit, ctx, err);
}

int sqlite_person_count(void *handle, int64_t *out, struct error *err)
{
    return sq_read_int64(handle, S_PERSON_COUNT, out, "counting persons", err);
}

int sqlite_household_get(void *handle, const char *id, struct household *out, int *found,
                         struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    if (s->walk_households != NULL && walk_household(s, id, out)) {
        *found = 1;
        return SP_OK;
    }
    sqlite3_stmt *stmt = sq_statement(s, S_HOUSEHOLD_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        sq_read_text(stmt, 0, out->id, sizeof out->id);
        sq_read_text(stmt, 1, out->country, sizeof out->country);
        sq_read_text(stmt, 2, out->admin1, sizeof out->admin1);
        sq_read_text(stmt, 3, out->admin2, sizeof out->admin2);
        *found = 1;
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_error(s, "reading a household", err);
    return SP_OK;
}
