/* Unit tests for the SQLite driver of the store: what only a file can get wrong (paths, files
 * that are not databases), and import sessions, whose indexes are checked in the file itself. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "store/store.h"
#include "store_support.h"

static void unknown_locations_are_refused_clearly(void **state)
{
    (void)state;
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open("/nonexistent-dir/x/registry.db", STORE_CREATE, &s, &err), SP_IO);
    assert_non_null(strstr(err.message, "/nonexistent-dir/x/registry.db"));
    assert_null(s);
}

static void not_a_database_is_an_io_error(void **state)
{
    struct fixture *f = *state;
    char path[160];
    snprintf(path, sizeof path, "%s/junk.db", f->dir);
    FILE *junk = fopen(path, "w");
    assert_non_null(junk);
    fputs("this is not an SQLite database, just some text that is long enough to look like "
          "a header of one........................................................\n",
          junk);
    fclose(junk);
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), SP_IO);
    assert_non_null(strstr(err.message, "junk.db"));
    sqlite_test_drop(path);
}

/* The first column of the first row of query over the database at path, as text, into out. */
static void query_text(const char *path, const char *query, char *out, size_t size)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;
    out[0] = '\0';
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, query, -1, &stmt, NULL), SQLITE_OK);
    if (sqlite3_step(stmt) == SQLITE_ROW && sqlite3_column_text(stmt, 0) != NULL)
        snprintf(out, size, "%s", (const char *)sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(db);
}

/* The names of the persons table's indexes, ';'-joined in name order (read with SQLite). */
static void index_names(const char *path, char *out, size_t size)
{
    query_text(path,
               "SELECT group_concat(name, ';') FROM (SELECT name FROM sqlite_schema WHERE type = "
               "'index' AND tbl_name = 'persons' AND sql IS NOT NULL ORDER BY name)",
               out, size);
}

#define ALL_INDEXES "persons_dedup;persons_household;persons_national_id"

static void a_killed_import_session_gets_its_indexes_back_at_open(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p, back;
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    char names[256];
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, ALL_INDEXES);

    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_OK); /* not inside a transaction */
    assert_int_equal(import_begin(f->s, &err), SP_IO);
    store_rollback(f->s);
    error_init(&err);
    assert_int_equal(import_begin(f->s, &err), SP_OK);
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, ""); /* set aside, durably */
    insert_many(f->s, 50);
    /* lookups still find everyone while the indexes are away */
    int found = 0;
    assert_int_equal(store_person_by_national_id(f->s, "NP", "NP-B7", &back, &found, &err), SP_OK);
    assert_true(found);
    struct collected c = {0};
    assert_int_equal(store_household_members(f->s, "H2", collect, &c, &err), SP_OK);
    assert_int_equal(c.n, 25);

    /* the process dies before store_import_end */
    store_close(f->s);
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, "");
    assert_int_equal(store_open(f->location, STORE_CREATE, &f->s, &err), SP_OK);
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, ALL_INDEXES);
    assert_int_equal(count(f->s), 51);
    make(&p, "Gita", "Thapa", "1985-01-01", "NP-B7");
    assert_int_equal(insert(f->s, &p, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "national_id NP-B7"));
    make(&p, "Hari", "Rai", "1980-02-03", "");
    assert_int_equal(insert(f->s, &p, &err), SP_CONFLICT);
    assert_int_equal(count(f->s), 51);

    /* an import session that ends recreates them too */
    error_init(&err);
    assert_int_equal(import_begin(f->s, &err), SP_OK);
    make(&p, "Maya", "Gurung", "1999-09-09", "NP-X");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    assert_int_equal(store_import_end(f->s, &err), SP_OK);
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, ALL_INDEXES);
    assert_int_equal(store_person_by_national_id(f->s, "NP", "NP-X", &back, &found, &err), SP_OK);
    assert_true(found);
    assert_string_equal(back.id, p.id);
}

static void an_import_session_ending_on_a_duplicate_names_both(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p;
    error_init(&err);
    assert_int_equal(import_begin(f->s, &err), SP_OK);
    make(&p, "Maya", "Gurung", "1999-09-09", "NP-X");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    char first[PERSON_ID_SIZE];
    memcpy(first, p.id, sizeof first);
    make(&p, "Kamala", "Gurung", "1998-08-08", "NP-X");
    assert_int_equal(insert(f->s, &p, &err), SP_OK); /* not checked in a session */
    assert_int_equal(store_import_end(f->s, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, first));
    assert_non_null(strstr(err.message, p.id));
    assert_non_null(strstr(err.message, "Maya Gurung"));
    assert_non_null(strstr(err.message, "Kamala Gurung"));
    assert_non_null(strstr(err.message, "the same national_id"));
    /* no writer goes on without the duplicate checks */
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_CONFLICT);
    error_init(&err);
    assert_int_equal(store_begin(f->s, &err), SP_CONFLICT); /* and nothing was left open */
    struct store *again = NULL;
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_CREATE, &again, &err), SP_CONFLICT);
    assert_null(again);

    /* the same for the dedup key, in another registry */
    char path[160];
    snprintf(path, sizeof path, "%s/dedup.db", f->dir);
    struct store *s = NULL;
    error_init(&err);
    assert_int_equal(store_open(path, STORE_CREATE, &s, &err), SP_OK);
    assert_int_equal(import_begin(s, &err), SP_OK);
    make(&p, "Maya", "Gurung", "1999-09-09", "");
    assert_int_equal(insert(s, &p, &err), SP_OK);
    make(&p, "MAYA", "gurung", "1999-09-09", "");
    assert_int_equal(insert(s, &p, &err), SP_OK);
    assert_int_equal(store_import_end(s, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "the same name, birth date and district"));
    store_close(s);
    sqlite_test_drop(path);
}

static void other_writers_bring_the_indexes_back_first(void **state)
{
    struct fixture *f = *state;
    struct error err;
    struct person p;
    struct store *other = NULL;
    error_init(&err);
    assert_int_equal(store_open(f->location, STORE_CREATE, &other, &err),
                     SP_OK); /* open before the import */

    /* a write since the rows were checked: no session (the checks may be stale) */
    int64_t checked = 0;
    assert_int_equal(store_data_version(f->s, &checked, &err), SP_OK);
    make(&p, "Sita", "Sharma", "1990-05-01", "NP-1");
    assert_int_equal(insert(other, &p, &err), SP_OK);
    assert_int_equal(store_import_begin(f->s, checked, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "since the rows were checked"));
    char names[256];
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, ALL_INDEXES);
    /* this store's own writes do not count */
    assert_int_equal(store_data_version(f->s, &checked, &err), SP_OK);
    make(&p, "Gita", "Sharma", "1990-05-01", "NP-2");
    assert_int_equal(insert(f->s, &p, &err), SP_OK);
    error_init(&err);
    assert_int_equal(store_import_begin(f->s, checked, &err), SP_OK);
    insert_many(f->s, 10);
    make(&p, "Gita", "Thapa", "1985-01-01", "NP-B3");
    assert_int_equal(insert(other, &p, &err), SP_CONFLICT);
    index_names(f->location, names, sizeof names);
    assert_string_equal(names, ALL_INDEXES);
    /* the import goes on with live indexes, and ends normally */
    make(&p, "Gita", "Thapa", "1985-01-01", "NP-B4");
    assert_int_equal(insert(f->s, &p, &err), SP_CONFLICT);
    error_init(&err);
    assert_int_equal(store_import_end(f->s, &err), SP_OK);
    assert_int_equal(count(f->s), 12);
    store_close(other);
}

/* Collapses each run of white space in text into one space. */
static void squeeze(char *text)
{
    char *out = text;
    for (const char *c = text; *c; c++)
        if (!(*c == ' ' || *c == '\n' || *c == '\t') || (out > text && out[-1] != ' '))
            *out++ = (*c == '\n' || *c == '\t') ? ' ' : *c;
    *out = '\0';
}

/* The indexes an import session rebuilds (from definitions in spfloor) are the migrations'. */
static void rebuilt_indexes_are_those_the_migrations_made(void **state)
{
    struct fixture *f = *state;
    static const char query[] = "SELECT group_concat(sql, ';') FROM (SELECT sql FROM sqlite_schema "
                                "WHERE type = 'index' AND tbl_name = 'persons' AND sql IS NOT "
                                "NULL ORDER BY name)";
    char migrated[1024], rebuilt[1024], pending[16];
    query_text(f->location, query, migrated, sizeof migrated);
    assert_non_null(strstr(migrated, "persons_national_id"));
    struct error err;
    error_init(&err);
    assert_int_equal(import_begin(f->s, &err), SP_OK);
    query_text(f->location, "SELECT group_concat(name) FROM pending_indexes", pending,
               sizeof pending);
    insert_many(f->s, 3);
    assert_int_equal(store_import_end(f->s, &err), SP_OK);
    query_text(f->location, query, rebuilt, sizeof rebuilt);
    squeeze(migrated);
    squeeze(rebuilt);
    assert_string_equal(rebuilt, migrated);
    query_text(f->location, "SELECT count(*) FROM pending_indexes", pending, sizeof pending);
    assert_string_equal(pending, "0");
}

/* Opening a missing file read-only says so and creates nothing. */
static void read_only_opens_create_nothing(void **state)
{
    struct fixture *f = *state;
    struct store *reader = NULL;
    struct error err;
    error_init(&err);
    char missing[200];
    snprintf(missing, sizeof missing, "%s/missing.db", f->dir);
    assert_int_equal(store_open(missing, STORE_READ_ONLY, &reader, &err), SP_IO);
    assert_non_null(strstr(err.message, "no database here"));
    assert_int_equal(access(missing, F_OK), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_locations_are_refused_clearly),
        cmocka_unit_test_setup_teardown(not_a_database_is_an_io_error, setup, teardown),
        cmocka_unit_test_setup_teardown(a_killed_import_session_gets_its_indexes_back_at_open,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(an_import_session_ending_on_a_duplicate_names_both, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(other_writers_bring_the_indexes_back_first, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(rebuilt_indexes_are_those_the_migrations_made, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(read_only_opens_create_nothing, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
