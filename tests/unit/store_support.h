/*
 * store_support.h: what the store tests share: the engines they run on, a fixture holding a
 * fresh store, and helpers that make and insert persons. Include it after <cmocka.h>.
 *
 * The generic suite (test_store.c) goes through store.h alone and runs once per engine in
 * store_test_engines: adding an engine is adding an entry that makes fresh locations.
 */
#ifndef SPFLOOR_TESTS_STORE_SUPPORT_H
#define SPFLOOR_TESTS_STORE_SUPPORT_H

#include <ctype.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "store/store.h"

#define STORE_TEST_LOCATION_SIZE 256

/* A storage engine the store tests run on. */
struct store_test_engine {
    const char *name; /* "sqlite", "postgres" */
    /* The environment variable the engine needs (the test server's URL), or NULL; unset, the
     * engine is skipped with a message. */
    const char *needs;
    /* Writes into out (STORE_TEST_LOCATION_SIZE bytes) a location named `name`, inside the
     * scratch directory dir, where nothing is stored yet. 0 on success. */
    int (*fresh)(const char *dir, const char *name, char *out);
    /* Removes what a location holds. */
    void (*drop)(const char *location);
};

static inline void sqlite_test_drop(const char *location)
{
    char name[STORE_TEST_LOCATION_SIZE + 8];
    remove(location);
    snprintf(name, sizeof name, "%s-wal", location);
    remove(name);
    snprintf(name, sizeof name, "%s-shm", location);
    remove(name);
}

static inline void pg_test_ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static inline int sqlite_test_fresh(const char *dir, const char *name, char *out)
{
    if (snprintf(out, STORE_TEST_LOCATION_SIZE, "%s/%s.db", dir, name) >= STORE_TEST_LOCATION_SIZE)
        return -1;
    sqlite_test_drop(out);
    return 0;
}

/*
 * PostgreSQL: SPFLOOR_TEST_PG is the URL of a database on a throw-away server
 * (scripts/pg-test-cluster, started by ctest). Each location is a schema of its own in that
 * database, named after the scratch directory and the name, selected by the URL's options
 * (search_path): a registry in a schema is as empty as one in a new database, and far cheaper.
 */
#define PG_TEST_SCHEMA_OPTION "options=-csearch_path%3D"

/* Runs a constant statement on the database at url (a location, or the test database's URL
 * when NULL); 0 on success. */
static inline int pg_test_exec(const char *url, const char *sql)
{
    if (url == NULL)
        url = getenv("SPFLOOR_TEST_PG");
    if (url == NULL)
        return -1;
    PGconn *conn = PQconnectdb(url);
    int ok = PQstatus(conn) == CONNECTION_OK;
    if (ok) {
        PQsetNoticeProcessor(conn, pg_test_ignore_notice, NULL);
        PGresult *res = PQexec(conn, sql);
        ok = PQresultStatus(res) == PGRES_COMMAND_OK;
        if (!ok)
            fprintf(stderr, "%s: %s", sql, PQerrorMessage(conn));
        PQclear(res);
    } else {
        fprintf(stderr, "SPFLOOR_TEST_PG: %s", PQerrorMessage(conn));
    }
    PQfinish(conn);
    return ok ? 0 : -1;
}

static inline void postgres_test_drop(const char *location)
{
    const char *schema = strstr(location, PG_TEST_SCHEMA_OPTION);
    if (schema == NULL)
        return;
    char sql[STORE_TEST_LOCATION_SIZE];
    snprintf(sql, sizeof sql, "DROP SCHEMA IF EXISTS %s CASCADE",
             schema + strlen(PG_TEST_SCHEMA_OPTION));
    pg_test_exec(NULL, sql);
}

static inline int postgres_test_fresh(const char *dir, const char *name, char *out)
{
    const char *url = getenv("SPFLOOR_TEST_PG");
    if (url == NULL)
        return -1;
    /* t_<the scratch directory's random suffix>_<name>, lowercase letters, digits and _ */
    char schema[64];
    const char *suffix = strrchr(dir, '.');
    snprintf(schema, sizeof schema, "t_%s_%s", suffix != NULL ? suffix + 1 : "x", name);
    for (char *c = schema; *c; c++)
        *c = isalnum((unsigned char)*c) ? (char)tolower((unsigned char)*c) : '_';
    if (snprintf(out, STORE_TEST_LOCATION_SIZE, "%s%s%s%s", url,
                 strchr(url, '?') != NULL ? "&" : "?", PG_TEST_SCHEMA_OPTION,
                 schema) >= STORE_TEST_LOCATION_SIZE)
        return -1;
    postgres_test_drop(out);
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE SCHEMA %s", schema);
    return pg_test_exec(NULL, sql);
}

static const struct store_test_engine store_test_engines[] = {
    {"sqlite", NULL, sqlite_test_fresh, sqlite_test_drop},
    {"postgres", "SPFLOOR_TEST_PG", postgres_test_fresh, postgres_test_drop},
};

/* The engine the tests now run on (main sets it). */
static const struct store_test_engine *store_test_engine = &store_test_engines[0];

struct fixture {
    char dir[64];                            /* scratch directory */
    char location[STORE_TEST_LOCATION_SIZE]; /* the store's location, fresh for each test */
    struct store *s;                         /* open on location, STORE_CREATE */
};

static inline int32_t today(void)
{
    return date_from_civil(2025, 1, 15);
}

/* Writes a fresh location named `name` of the current engine into out (fails the test). */
static inline void fresh_location(const struct fixture *f, const char *name, char *out)
{
    assert_int_equal(store_test_engine->fresh(f->dir, name, out), 0);
}

static inline int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/test_store.XXXXXX");
    if (f == NULL || mkdtemp(f->dir) == NULL)
        return -1;
    if (store_test_engine->fresh(f->dir, "registry", f->location) != 0)
        return -1;
    struct error err;
    error_init(&err);
    if (store_open(f->location, STORE_CREATE, &f->s, &err) != SP_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static inline int teardown(void **state)
{
    struct fixture *f = *state;
    store_close(f->s);
    store_test_engine->drop(f->location);
    rmdir(f->dir);
    free(f);
    return 0;
}

static inline void make(struct person *p, const char *given, const char *family, const char *born,
                        const char *national_id)
{
    struct error err;
    error_init(&err);
    person_init(p);
    assert_int_equal(person_set_field(p, "country", "NP", today(), &err), SP_OK);
    assert_int_equal(person_set_field(p, "given_name", given, today(), &err), SP_OK);
    assert_int_equal(person_set_field(p, "family_name", family, today(), &err), SP_OK);
    assert_int_equal(person_set_field(p, "sex", "female", today(), &err), SP_OK);
    assert_int_equal(person_set_field(p, "birth_date", born, today(), &err), SP_OK);
    assert_int_equal(person_set_field(p, "admin2", "Kathmandu", today(), &err), SP_OK);
    assert_int_equal(person_set_field(p, "national_id", national_id, today(), &err), SP_OK);
}

/* Inserts p in its own transaction; returns the insert's status (committed only on SP_OK). */
static inline int insert(struct store *s, struct person *p, struct error *err)
{
    error_init(err);
    assert_int_equal(store_begin(s, err), SP_OK);
    int rc = store_person_insert(s, p, err);
    if (rc != SP_OK) {
        store_rollback(s);
        return rc;
    }
    struct error commit_err;
    error_init(&commit_err);
    assert_int_equal(store_commit(s, &commit_err), SP_OK);
    return SP_OK;
}

static inline int64_t count(struct store *s)
{
    int64_t n = -1;
    struct error err;
    error_init(&err);
    assert_int_equal(store_person_count(s, &n, &err), SP_OK);
    return n;
}

struct collected {
    int n;
    char ids[64][PERSON_ID_SIZE];
    char names[64][PERSON_NAME_SIZE];
    int stop_after; /* 0: never */
};

static inline int collect(void *ctx, const struct person *p)
{
    struct collected *c = ctx;
    if (c->n < 64) {
        memcpy(c->ids[c->n], p->id, PERSON_ID_SIZE);
        memcpy(c->names[c->n], p->family_name, PERSON_NAME_SIZE);
    }
    c->n++;
    return c->stop_after && c->n >= c->stop_after ? 7 : 0;
}

/* Starts an import session on a registry as it is now. */
static inline int import_begin(struct store *s, struct error *err)
{
    int64_t version = 0;
    assert_int_equal(store_data_version(s, &version, err), SP_OK);
    return store_import_begin(s, version, err);
}

/* Inserts n persons NP-B0.. in one transaction (households H1 and H2). */
static inline void insert_many(struct store *s, int n)
{
    struct error err;
    error_init(&err);
    assert_int_equal(store_begin(s, &err), SP_OK);
    for (int i = 0; i < n; i++) {
        struct person p;
        char born[16], nid[16];
        snprintf(born, sizeof born, "1980-02-%02d", i % 28 + 1);
        snprintf(nid, sizeof nid, "NP-B%d", i);
        make(&p, i < 28 ? "Hari" : "Gopal", "Rai", born, nid);
        person_set_field(&p, "household", i < n / 2 ? "H1" : "H2", today(), &err);
        assert_int_equal(store_person_insert(s, &p, &err), SP_OK);
    }
    assert_int_equal(store_commit(s, &err), SP_OK);
}

#endif
