/*
 * sqlite_index.c: the persons' secondary indexes of the SQLite driver, and import sessions.
 *
 * An import session records the indexes by name in pending_indexes and drops them; whoever
 * finds rows there and is not the import (opening for writing, beginning a transaction)
 * recreates them, from the definitions in person_indexes, before going on.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sqlite_impl.h"

#define SORT_CACHE_KIB 4096 /* page cache while indexes are built (see restore_indexes) */
#define SORT_THREADS   2    /* helper threads for those sorts (PRAGMA threads) */

/* ---- indexes set aside by an import session ---- */

/*
 * The persons' secondary indexes, defined once here: an import session records their names in
 * pending_indexes and drops them, and they are recreated from these definitions. SQL text read
 * from the database is never executed. They must equal the definitions of the migrations
 * (test_store checks this against a freshly migrated registry).
 */
static const struct person_index {
    const char *name;   /* the index's name in sqlite_schema */
    const char *create; /* the statement that creates it */
    const char *drop;   /* the statement that drops it */
} person_indexes[] = {
    {"persons_national_id",
     "CREATE UNIQUE INDEX persons_national_id ON persons (country, national_id) WHERE "
     "national_id IS NOT NULL",
     "DROP INDEX IF EXISTS persons_national_id"},
    {"persons_dedup", "CREATE UNIQUE INDEX persons_dedup ON persons (dedup_hash)",
     "DROP INDEX IF EXISTS persons_dedup"},
    {"persons_household",
     "CREATE INDEX persons_household ON persons (household) WHERE household IS NOT NULL",
     "DROP INDEX IF EXISTS persons_household"},
};
#define PERSON_INDEX_COUNT ((int)(sizeof person_indexes / sizeof person_indexes[0]))

/* 1 if the index `name` exists, 0 if not, -1 on error (err set). */
static int index_exists(struct sqlite_store *s, const char *name, struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, S_INDEX_EXISTS, err);
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sq_error(s, "reading the indexes", err);
        return -1;
    }
    return rc == SQLITE_ROW;
}

/*
 * Records the persons' secondary indexes in pending_indexes and drops them, inside the caller's
 * transaction. Indexes already recorded (set aside before) stay recorded.
 */
static int set_indexes_aside(struct sqlite_store *s, struct error *err)
{
    sqlite3_stmt *record = sq_statement(s, S_PENDING_ADD, err);
    if (record == NULL)
        return SP_IO;
    for (int i = 0; i < PERSON_INDEX_COUNT; i++) {
        sqlite3_bind_text(record, 1, person_indexes[i].name, -1, SQLITE_STATIC);
        if (sq_run(s, record, "setting the indexes aside", err) != SP_OK ||
            sq_exec(s, person_indexes[i].drop, "setting the indexes aside", err) != SP_OK)
            return SP_IO;
    }
    return SP_OK;
}

/*
 * After a recreated unique index met a duplicate: names the two records. `query` returns the
 * two serials; `what` says what they share. SP_OK if the query finds no pair.
 */
static int name_duplicate(struct sqlite_store *s, const char *query, const char *what,
                          struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(s->db, query, -1, &stmt, NULL) != SQLITE_OK)
        return sq_error(s, "looking for the duplicate", err);
    int64_t serials[2] = {0, 0};
    int pair = sqlite3_step(stmt) == SQLITE_ROW;
    if (pair) {
        serials[0] = sqlite3_column_int64(stmt, 0);
        serials[1] = sqlite3_column_int64(stmt, 1);
    }
    sqlite3_finalize(stmt);
    if (!pair)
        return SP_OK;
    struct person p[2];
    char who[2][PERSON_DESCRIPTION_SIZE];
    for (int i = 0; i < 2; i++) {
        int found = 0;
        if (sq_person_by_serial(s, serials[i], &p[i], &found, err) != SP_OK)
            return SP_IO;
        person_describe(&p[i], who[i], sizeof who[i]);
    }
    return error_set(err, SP_CONFLICT,
                     "%s: the registry's indexes cannot be rebuilt: %s and %s have the same %s, "
                     "and only one of them may be registered (report this to the registry's "
                     "administrator)",
                     s->location, who[0], who[1], what);
}

/* After CREATE INDEX failed: a duplicate is SP_CONFLICT naming both records, else why's code. */
static int index_failure(struct sqlite_store *s, const struct error *why, struct error *err)
{
    int rc = why->code;
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_UNIQUE) {
        rc = name_duplicate(s,
                            "SELECT min(serial), max(serial) FROM persons WHERE national_id IS "
                            "NOT NULL GROUP BY country, national_id HAVING count(*) > 1 LIMIT 1",
                            "national_id in the same country", err);
        if (rc == SP_OK)
            rc = name_duplicate(s,
                                "SELECT min(serial), max(serial) FROM persons GROUP BY "
                                "dedup_hash HAVING count(*) > 1 LIMIT 1",
                                "name, birth date and district", err);
        if (rc == SP_OK)
            rc = SP_CONFLICT;
    }
    return error_set(err, rc, "%s", why->message);
}

/*
 * Moves the search texts an import session set aside (person_search_pending) into the text
 * index, inside the caller's transaction; nothing if there are none. FTS5 writes the texts as
 * segments and, by default, merges them as it goes (automerge = 4), rewriting the postings of a
 * first load several times over. Here automerge is off while they are indexed: FTS5 then merges
 * only when 16 segments pile up (crisismerge), and a million texts end in about 17 segments
 * instead of 8, which costs find well under a millisecond at the median (bench/README.md, "Bulk
 * import"); merging them into one ('optimize') would cost the import more than it saved. Then
 * automerge is back at 4, and the writes that follow merge the segments a little at a time.
 */
static int index_pending_texts(struct sqlite_store *s, struct error *err)
{
    int64_t any = 0;
    int rc = sq_read_int64(s, S_SEARCH_PENDING_ANY, &any, "reading the texts to index", err);
    if (rc != SP_OK || !any)
        return rc;
    return sq_exec(s,
                   "INSERT INTO person_search (person_search, rank) VALUES ('automerge', 0); "
                   "INSERT INTO person_search (rowid, body) SELECT serial, body FROM "
                   "person_search_pending ORDER BY serial; DELETE FROM person_search_pending; "
                   "INSERT INTO person_search (person_search, rank) VALUES ('automerge', 4)",
                   "indexing the imported persons for search", err);
}

/*
 * Recreates each of the persons' indexes that does not exist (each CREATE INDEX sorts the
 * table's keys once) and clears pending_indexes, and moves the search texts an import session
 * set aside into the text index (index_pending_texts), inside the caller's transaction. Names in
 * pending_indexes that spfloor does not define are dropped from it unread. A duplicate is
 * SP_CONFLICT naming both records.
 */
static int restore_indexes(struct sqlite_store *s, struct error *err)
{
    /* SQLite sorts in runs as large as the page cache, on helper threads: a small cache makes
     * many runs, sorted in parallel while the table is read and within the CPU's caches, which
     * builds the indexes in half the time of one large in-memory sort */
    /* the text index first, with the connection's whole page cache: FTS5 merges its segments
     * through it */
    int rc = index_pending_texts(s, err);
    char pragmas[96];
    snprintf(pragmas, sizeof pragmas, "PRAGMA threads = %d; PRAGMA cache_size = -%d;", SORT_THREADS,
             SORT_CACHE_KIB);
    if (rc == SP_OK)
        rc = sq_exec(s, pragmas, "rebuilding the indexes", err);
    for (int i = 0; rc == SP_OK && i < PERSON_INDEX_COUNT; i++) {
        int exists = index_exists(s, person_indexes[i].name, err);
        if (exists < 0) {
            rc = SP_IO;
        } else if (!exists) {
            struct error why;
            error_init(&why);
            if (sq_exec(s, person_indexes[i].create, "rebuilding the indexes", &why) != SP_OK)
                rc = index_failure(s, &why, err);
        }
    }
    if (rc == SP_OK)
        rc = sq_exec(s, "DELETE FROM pending_indexes", "rebuilding the indexes", err);
    snprintf(pragmas, sizeof pragmas, "PRAGMA threads = 0; PRAGMA cache_size = -%d;",
             CACHE_SIZE_KIB);
    int settings = sq_exec(s, pragmas, "setting up the connection", err);
    return rc != SP_OK ? rc : settings;
}

/* *any is 1 if indexes are set aside (an import session is running, or was killed). */
int sq_indexes_pending(struct sqlite_store *s, int *any, struct error *err)
{
    int64_t count = 0;
    int rc = sq_read_int64(s, S_PENDING_ANY, &count, "reading the indexes set aside", err);
    *any = count != 0;
    return rc;
}

/* restore_indexes in a transaction of its own (outside any other). */
int sq_restore_indexes_now(struct sqlite_store *s, struct error *err)
{
    int rc = sq_exec(s, "BEGIN IMMEDIATE", "rebuilding the indexes", err);
    if (rc != SP_OK)
        return rc;
    rc = restore_indexes(s, err);
    if (rc == SP_OK)
        rc = sq_exec(s, "COMMIT", "rebuilding the indexes", err);
    if (rc != SP_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* At open: recreates the indexes a killed import left set aside, or that are missing. */
int sq_restore_killed_import(struct sqlite_store *s, struct error *err)
{
    int any = 0;
    if (sq_indexes_pending(s, &any, err) != SP_OK)
        return SP_IO;
    for (int i = 0; !any && i < PERSON_INDEX_COUNT; i++) {
        int exists = index_exists(s, person_indexes[i].name, err);
        if (exists < 0)
            return SP_IO;
        any = !exists;
    }
    return any ? sq_restore_indexes_now(s, err) : SP_OK;
}

/* ---- import sessions ---- */

/*
 * Turns SQLite's check that a person's household exists on or off: off inside an import
 * session, where it would only repeat a lookup per row (store_person_insert creates a
 * household before its first member). Ignored inside a transaction.
 */
static int check_households(struct sqlite_store *s, int on, struct error *err)
{
    return sq_exec(s, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                   "setting up the connection", err);
}

int sqlite_data_version(void *handle, int64_t *out, struct error *err)
{
    return sq_read_int64(handle, S_DATA_VERSION, out, "reading the data version", err);
}

int sqlite_import_begin(void *handle, int64_t since, struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->in_transaction || s->importing)
        return error_set(err, SP_IO, "%s: an import session starts outside any transaction",
                         s->location);
    int rc = sq_exec(s, "BEGIN IMMEDIATE", "starting an import", err);
    if (rc != SP_OK)
        return rc;
    int64_t now = 0;
    rc = sqlite_data_version(s, &now, err);
    if (rc == SP_OK && now != since)
        rc = error_set(err, SP_CONFLICT,
                       "%s: another program has written to the registry since the rows were "
                       "checked",
                       s->location);
    if (rc == SP_OK)
        rc = set_indexes_aside(s, err);
    if (rc == SP_OK)
        rc = sq_exec(s, "COMMIT", "starting an import", err);
    if (rc != SP_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    s->importing = 1;
    return check_households(s, 0, err);
}

int sqlite_import_end(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->in_transaction)
        return error_set(err, SP_IO, "%s: an import session ends outside any transaction",
                         s->location);
    s->importing = 0;
    int rc = sq_restore_indexes_now(s, err);
    int settings = check_households(s, 1, err); /* outside the transaction, or it is ignored */
    return rc != SP_OK ? rc : settings;
}
