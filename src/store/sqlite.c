/*
 * sqlite.c: the SQLite driver of the store (store_driver.h), the embedded default.
 *
 * One connection per store. Every statement is prepared once, on first use, with
 * SQLITE_PREPARE_PERSISTENT, and reused (reset and rebound) for the life of the store, so a
 * bulk insert does no SQL compilation and no per-row allocation. The worker serial counter is
 * read at store_begin, advanced in memory by each insert and written back once at commit.
 *
 * Schema: src/store/migrations/NNNN_name.sql, embedded in the binary (base/embedded.h) and
 * applied in name order, each recorded in schema_migrations, inside one IMMEDIATE transaction.
 * A person's key is its worker serial (INTEGER PRIMARY KEY, the rowid), so persons are appended
 * in serial order; the 12-digit id is stored beside it for reading but not indexed.
 *
 * Import sessions (store_import_begin/end) record the persons' secondary indexes by name in
 * pending_indexes and drop them; whoever finds rows there and is not the import (store_open,
 * store_begin) recreates them, from the definitions in person_indexes, before going on.
 *
 * The database file is input like any other: it may have been crafted. No SQL text read from
 * it is executed, the connection runs in SQLite's defensive mode with an untrusted schema
 * (functions in the schema are limited to harmless ones), and a database holding triggers or
 * views, which spfloor never creates, is refused at open.
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/embedded.h"
#include "base/ids.h"
#include "base/text.h"
#include "store/store_driver.h"

#define BUSY_TIMEOUT_MS  5000
#define PAGE_SIZE        16384    /* bytes: fewer, larger pages make bulk writes ~10% faster */
#define WAL_CHECKPOINT   8192     /* pages: checkpoint when the WAL passes 128 MiB */
#define WAL_SIZE_LIMIT   67108864 /* bytes a checkpointed WAL is truncated to */
#define CACHE_SIZE_KIB   65536    /* page cache per connection (PRAGMA cache_size = -N) */
#define SORT_CACHE_KIB   4096     /* page cache while indexes are built (see restore_indexes) */
#define SORT_THREADS     2        /* helper threads for those sorts (PRAGMA threads) */
#define PATH_URI_MAX     4200     /* bytes of a database path as a file: URI */
#define SEARCH_TEXT_MAX  128
#define SERIAL_COUNTER   "worker_serial"
#define MIGRATIONS_TABLE "schema_migrations"

/* The persons columns, in the order of the facts vocabulary; C_* index them. */
#define PERSON_COLUMNS                                                                             \
    "id, national_id, given_name, family_name, sex, birth_date, phone, country, admin1, "          \
    "admin2, marital_status, disability_class, groups, worker_category, employer, "                \
    "monthly_wage_minor, monthly_wage_currency, declared_income_minor, "                           \
    "declared_income_currency, annual_income_minor, annual_income_currency, employment_start, "    \
    "income_tax_payer, memberships, household, relationship, living_children, account, "           \
    "account_holder, dedup_hash"

enum column {
    C_ID,
    C_NATIONAL_ID,
    C_GIVEN_NAME,
    C_FAMILY_NAME,
    C_SEX,
    C_BIRTH_DATE,
    C_PHONE,
    C_COUNTRY,
    C_ADMIN1,
    C_ADMIN2,
    C_MARITAL_STATUS,
    C_DISABILITY_CLASS,
    C_GROUPS,
    C_WORKER_CATEGORY,
    C_EMPLOYER,
    C_MONTHLY_WAGE_MINOR,
    C_MONTHLY_WAGE_CURRENCY,
    C_DECLARED_INCOME_MINOR,
    C_DECLARED_INCOME_CURRENCY,
    C_ANNUAL_INCOME_MINOR,
    C_ANNUAL_INCOME_CURRENCY,
    C_EMPLOYMENT_START,
    C_INCOME_TAX_PAYER,
    C_MEMBERSHIPS,
    C_HOUSEHOLD,
    C_RELATIONSHIP,
    C_LIVING_CHILDREN,
    C_ACCOUNT,
    C_ACCOUNT_HOLDER,
    C_DEDUP_HASH,
    C_COUNT
};

#define SELECT_PERSON "SELECT " PERSON_COLUMNS " FROM persons "

enum statement {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SERIAL_GET,
    S_SERIAL_SET,
    S_PERSON_INSERT,
    S_PERSON_GET,
    S_PERSON_BY_NATIONAL_ID,
    S_PERSON_BY_DEDUP_KEY,
    S_PERSON_EACH,
    S_PERSON_COUNT,
    S_MEMBERS,
    S_HOUSEHOLD_INSERT,
    S_HOUSEHOLD_DELETE,
    S_HOUSEHOLD_GET,
    S_SEARCH_ALL,
    S_SEARCH_SCAN,
    S_PENDING_ANY,
    S_PENDING_ADD,
    S_INDEX_EXISTS,
    S_DATA_VERSION,
    S_COUNT
};

static const char *const statement_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SERIAL_GET] = "SELECT value FROM counters WHERE name = '" SERIAL_COUNTER "'",
    [S_SERIAL_SET] = "UPDATE counters SET value = ?1 WHERE name = '" SERIAL_COUNTER "'",
    /* ?1..?30 the columns, ?31 the serial */
    [S_PERSON_INSERT] = "INSERT INTO persons (" PERSON_COLUMNS ", serial) VALUES (?1, ?2, ?3, ?4, "
                        "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
                        "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
    [S_PERSON_GET] = SELECT_PERSON "WHERE serial = ?1",
    [S_PERSON_BY_NATIONAL_ID] = SELECT_PERSON "WHERE country = ?1 AND national_id = ?2",
    [S_PERSON_BY_DEDUP_KEY] = SELECT_PERSON "WHERE dedup_hash = ?1",
    [S_PERSON_EACH] = SELECT_PERSON "ORDER BY serial",
    [S_PERSON_COUNT] = "SELECT count(*) FROM persons",
    [S_MEMBERS] = SELECT_PERSON "WHERE household = ?1 ORDER BY serial",
    [S_HOUSEHOLD_INSERT] = "INSERT OR IGNORE INTO households (id, country, admin1, admin2) "
                           "VALUES (?1, ?2, ?3, ?4)",
    [S_HOUSEHOLD_DELETE] = "DELETE FROM households WHERE id = ?1",
    [S_HOUSEHOLD_GET] = "SELECT id, country, admin1, admin2 FROM households WHERE id = ?1",
    /* ?1 country or NULL, ?2 limit */
    [S_SEARCH_ALL] = SELECT_PERSON "WHERE ?1 IS NULL OR country = ?1 ORDER BY serial LIMIT ?2",
    /* ?1 the text, ?2 a LIKE pattern for it, ?3 country or NULL, ?4 limit */
    [S_SEARCH_SCAN] =
        SELECT_PERSON "WHERE (?3 IS NULL OR country = ?3) AND (given_name || ' ' || family_name "
                      "LIKE ?2 ESCAPE '\\' OR family_name || ' ' || given_name LIKE ?2 ESCAPE "
                      "'\\' OR national_id LIKE ?2 ESCAPE '\\' OR id LIKE ?2 ESCAPE '\\' OR "
                      "phone LIKE ?2 ESCAPE '\\') ORDER BY CASE WHEN id = ?1 OR national_id = ?1 "
                      "OR phone = ?1 THEN 0 ELSE 1 END, serial LIMIT ?4",
    [S_PENDING_ANY] = "SELECT EXISTS (SELECT 1 FROM pending_indexes)",
    [S_PENDING_ADD] = "INSERT OR IGNORE INTO pending_indexes (name) VALUES (?1)",
    [S_INDEX_EXISTS] = "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1",
    [S_DATA_VERSION] = "PRAGMA data_version",
};

struct sqlite_store {
    sqlite3 *db;
    char *location;              /* the file name, for messages */
    sqlite3_stmt *stmt[S_COUNT]; /* prepared on first use; NULL until then */
    int in_transaction;          /* 1 between a successful begin and commit/rollback */
    int importing;               /* 1 between store_import_begin and store_import_end */
};

/* Records the connection's last error as SP_IO (or SP_CONFLICT for a busy database). */
static int db_error(struct sqlite_store *s, const char *doing, struct error *err)
{
    int code = sqlite3_errcode(s->db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return error_set(err, SP_IO,
                         "%s: %s: the database is busy (another spfloor is writing): try again",
                         s->location, doing);
    if (code == SQLITE_NOMEM)
        return error_nomem(err);
    return error_set(err, SP_IO, "%s: %s: %s", s->location, doing, sqlite3_errmsg(s->db));
}

/* The prepared statement for `which`, preparing it on first use; NULL with err set on failure. */
static sqlite3_stmt *statement(struct sqlite_store *s, enum statement which, struct error *err)
{
    if (s->stmt[which] != NULL)
        return s->stmt[which];
    if (sqlite3_prepare_v3(s->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->stmt[which], NULL) != SQLITE_OK) {
        db_error(s, "preparing a statement", err);
        s->stmt[which] = NULL;
        return NULL;
    }
    return s->stmt[which];
}

/* Steps a statement that returns no rows, then resets it. */
static int run(struct sqlite_store *s, sqlite3_stmt *stmt, const char *doing, struct error *err)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return db_error(s, doing, err);
    }
    return SP_OK;
}

static int exec_sql(struct sqlite_store *s, const char *sql, const char *doing, struct error *err)
{
    char *message = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        int rc = error_set(err, SP_IO, "%s: %s: %s", s->location, doing,
                           message ? message : sqlite3_errmsg(s->db));
        sqlite3_free(message);
        return rc;
    }
    return SP_OK;
}

/* ---- binding and reading persons ---- */

static void bind_text(sqlite3_stmt *stmt, int column, const char *text)
{
    if (text[0] == '\0')
        sqlite3_bind_null(stmt, column + 1);
    else
        sqlite3_bind_text(stmt, column + 1, text, -1, SQLITE_STATIC);
}

/* Binds the word of an enum value; choices is the field's word list (person_fields). */
static void bind_enum(sqlite3_stmt *stmt, int column, const char *const *choices, int value)
{
    const char *word = NULL;
    for (int i = 0; i < value && choices[i] != NULL; i++)
        word = i == value - 1 ? choices[i] : NULL;
    if (word == NULL)
        sqlite3_bind_null(stmt, column + 1); /* unset (or out of range: the CHECK refuses it) */
    else
        sqlite3_bind_text(stmt, column + 1, word, -1, SQLITE_STATIC);
}

/* The word list of an enum field of the vocabulary. */
static const char *const *choices_of(const char *field)
{
    return person_field_find(field)->choices;
}

static void bind_date(sqlite3_stmt *stmt, int column, int32_t day, char text[DATE_TEXT_SIZE])
{
    text[0] = '\0';
    if (day != DATE_NONE)
        date_format(day, text);
    bind_text(stmt, column, text);
}

static void bind_money(sqlite3_stmt *stmt, int column, const struct money *m)
{
    if (m->currency[0] == '\0') {
        sqlite3_bind_null(stmt, column + 1);
        sqlite3_bind_null(stmt, column + 2);
        return;
    }
    sqlite3_bind_int64(stmt, column + 1, m->minor);
    sqlite3_bind_text(stmt, column + 2, m->currency, -1, SQLITE_STATIC);
}

/*
 * Binds every column of p to the insert statement. The date texts live in the caller's
 * buffers, which must outlive the step.
 */
static void bind_person(sqlite3_stmt *stmt, const struct person *p, int64_t dedup_hash,
                        char birth[DATE_TEXT_SIZE], char start[DATE_TEXT_SIZE])
{
    static const char *const *sexes, *const *maritals, *const *disabilities,
                                                           *const *workers, *const *relationships;
    if (sexes == NULL) {
        sexes = choices_of("sex");
        maritals = choices_of("marital_status");
        disabilities = choices_of("disability_class");
        workers = choices_of("worker_category");
        relationships = choices_of("relationship");
    }
    bind_text(stmt, C_ID, p->id);
    bind_text(stmt, C_NATIONAL_ID, p->national_id);
    bind_text(stmt, C_GIVEN_NAME, p->given_name);
    bind_text(stmt, C_FAMILY_NAME, p->family_name);
    bind_enum(stmt, C_SEX, sexes, p->sex);
    bind_date(stmt, C_BIRTH_DATE, p->birth_date, birth);
    bind_text(stmt, C_PHONE, p->phone);
    bind_text(stmt, C_COUNTRY, p->country);
    bind_text(stmt, C_ADMIN1, p->admin1);
    bind_text(stmt, C_ADMIN2, p->admin2);
    bind_enum(stmt, C_MARITAL_STATUS, maritals, p->marital_status);
    bind_enum(stmt, C_DISABILITY_CLASS, disabilities, p->disability_class);
    bind_text(stmt, C_GROUPS, p->groups);
    bind_enum(stmt, C_WORKER_CATEGORY, workers, p->worker_category);
    bind_text(stmt, C_EMPLOYER, p->employer);
    bind_money(stmt, C_MONTHLY_WAGE_MINOR, &p->monthly_wage);
    bind_money(stmt, C_DECLARED_INCOME_MINOR, &p->declared_income);
    bind_money(stmt, C_ANNUAL_INCOME_MINOR, &p->annual_income);
    bind_date(stmt, C_EMPLOYMENT_START, p->employment_start, start);
    if (p->income_tax_payer == TRISTATE_UNSET)
        sqlite3_bind_null(stmt, C_INCOME_TAX_PAYER + 1);
    else
        sqlite3_bind_int(stmt, C_INCOME_TAX_PAYER + 1, p->income_tax_payer == TRISTATE_TRUE);
    bind_text(stmt, C_MEMBERSHIPS, p->memberships);
    bind_text(stmt, C_HOUSEHOLD, p->household);
    bind_enum(stmt, C_RELATIONSHIP, relationships, p->relationship);
    if (p->living_children < 0)
        sqlite3_bind_null(stmt, C_LIVING_CHILDREN + 1);
    else
        sqlite3_bind_int(stmt, C_LIVING_CHILDREN + 1, p->living_children);
    bind_text(stmt, C_ACCOUNT, p->account);
    bind_text(stmt, C_ACCOUNT_HOLDER, p->account_holder);
    sqlite3_bind_int64(stmt, C_DEDUP_HASH + 1, dedup_hash);
}

static const char *column_text(sqlite3_stmt *stmt, int column)
{
    const unsigned char *text = sqlite3_column_text(stmt, column);
    return text ? (const char *)text : "";
}

static void read_text(sqlite3_stmt *stmt, int column, char *out, size_t size)
{
    text_copy(out, size, column_text(stmt, column));
}

static uint8_t read_enum(sqlite3_stmt *stmt, int column, const char *field)
{
    const char *word = column_text(stmt, column);
    if (word[0] == '\0')
        return 0;
    const struct person_field *f = person_field_find(field);
    for (int i = 0; f->choices[i] != NULL; i++)
        if (strcmp(f->choices[i], word) == 0)
            return (uint8_t)(i + 1);
    return 0;
}

static int32_t read_date(sqlite3_stmt *stmt, int column)
{
    const char *text = column_text(stmt, column);
    int32_t day;
    if (text[0] == '\0' || date_parse(text, &day, NULL) != SP_OK)
        return DATE_NONE;
    return day;
}

static void read_money(sqlite3_stmt *stmt, int column, struct money *out)
{
    memset(out, 0, sizeof *out);
    if (sqlite3_column_type(stmt, column + 1) == SQLITE_NULL)
        return;
    out->minor = sqlite3_column_int64(stmt, column);
    text_copy(out->currency, sizeof out->currency, column_text(stmt, column + 1));
}

/* Fills p from the current row of a SELECT_PERSON statement. */
static void read_person(sqlite3_stmt *stmt, struct person *p)
{
    person_init(p);
    read_text(stmt, C_ID, p->id, sizeof p->id);
    read_text(stmt, C_NATIONAL_ID, p->national_id, sizeof p->national_id);
    read_text(stmt, C_GIVEN_NAME, p->given_name, sizeof p->given_name);
    read_text(stmt, C_FAMILY_NAME, p->family_name, sizeof p->family_name);
    p->sex = read_enum(stmt, C_SEX, "sex");
    p->birth_date = read_date(stmt, C_BIRTH_DATE);
    read_text(stmt, C_PHONE, p->phone, sizeof p->phone);
    read_text(stmt, C_COUNTRY, p->country, sizeof p->country);
    read_text(stmt, C_ADMIN1, p->admin1, sizeof p->admin1);
    read_text(stmt, C_ADMIN2, p->admin2, sizeof p->admin2);
    p->marital_status = read_enum(stmt, C_MARITAL_STATUS, "marital_status");
    p->disability_class = read_enum(stmt, C_DISABILITY_CLASS, "disability_class");
    read_text(stmt, C_GROUPS, p->groups, sizeof p->groups);
    p->worker_category = read_enum(stmt, C_WORKER_CATEGORY, "worker_category");
    read_text(stmt, C_EMPLOYER, p->employer, sizeof p->employer);
    read_money(stmt, C_MONTHLY_WAGE_MINOR, &p->monthly_wage);
    read_money(stmt, C_DECLARED_INCOME_MINOR, &p->declared_income);
    read_money(stmt, C_ANNUAL_INCOME_MINOR, &p->annual_income);
    p->employment_start = read_date(stmt, C_EMPLOYMENT_START);
    if (sqlite3_column_type(stmt, C_INCOME_TAX_PAYER) != SQLITE_NULL)
        p->income_tax_payer =
            sqlite3_column_int(stmt, C_INCOME_TAX_PAYER) ? TRISTATE_TRUE : TRISTATE_FALSE;
    read_text(stmt, C_MEMBERSHIPS, p->memberships, sizeof p->memberships);
    read_text(stmt, C_HOUSEHOLD, p->household, sizeof p->household);
    p->relationship = read_enum(stmt, C_RELATIONSHIP, "relationship");
    if (sqlite3_column_type(stmt, C_LIVING_CHILDREN) != SQLITE_NULL)
        p->living_children = sqlite3_column_int(stmt, C_LIVING_CHILDREN);
    read_text(stmt, C_ACCOUNT, p->account, sizeof p->account);
    read_text(stmt, C_ACCOUNT_HOLDER, p->account_holder, sizeof p->account_holder);
}

/* Steps a bound single-row person query: *found and *out as store_person_get says. */
static int fetch_one(struct sqlite_store *s, sqlite3_stmt *stmt, struct person *out, int *found,
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
        return db_error(s, "reading a person", err);
    return SP_OK;
}

/* Looks a person up by serial: one probe of the primary key. */
static int get_by_serial(struct sqlite_store *s, int64_t serial, struct person *out, int *found,
                         struct error *err)
{
    *found = 0;
    sqlite3_stmt *stmt = statement(s, S_PERSON_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, serial);
    return fetch_one(s, stmt, out, found, err);
}

/* Steps a bound person query, visiting each row; the visitor's non-zero return stops it. */
static int visit_rows(struct sqlite_store *s, sqlite3_stmt *stmt, person_visit_fn visit, void *ctx,
                      struct error *err)
{
    struct person p;
    int rc;
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
        read_person(stmt, &p);
        int stop = visit(ctx, &p);
        if (stop != 0) {
            sqlite3_reset(stmt);
            return stop;
        }
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE)
        return db_error(s, "reading persons", err);
    return SP_OK;
}

/* ---- memory: SQLite allocates through base/alloc.h, so tests can make it fail ---- */

/* Each block carries its size in front (SQLite asks for it); 8 bytes keep 8-byte alignment. */
static void *mem_malloc(int n)
{
    uint64_t *block = sp_malloc((size_t)n + sizeof *block);
    if (block == NULL)
        return NULL;
    block[0] = (uint64_t)n;
    return block + 1;
}

static void mem_free(void *p)
{
    if (p != NULL)
        sp_free((uint64_t *)p - 1);
}

static void *mem_realloc(void *p, int n)
{
    uint64_t *block = sp_realloc((uint64_t *)p - 1, (size_t)n + sizeof *block);
    if (block == NULL)
        return NULL;
    block[0] = (uint64_t)n;
    return block + 1;
}

static int mem_size(void *p)
{
    return p ? (int)((uint64_t *)p)[-1] : 0;
}

static int mem_roundup(int n)
{
    return (n + 7) & ~7;
}

static int mem_init(void *data)
{
    (void)data;
    return SQLITE_OK;
}

static void mem_shutdown(void *data)
{
    (void)data;
}

/* Routes SQLite's allocations through sp_malloc; once, before SQLite initialises. */
static void use_our_allocator(void)
{
    static int done;
    static const sqlite3_mem_methods methods = {mem_malloc,  mem_free, mem_realloc,  mem_size,
                                                mem_roundup, mem_init, mem_shutdown, NULL};
    if (done)
        return;
    done = 1;
    /* Both fail harmlessly if SQLite is already running. Without memory statistics SQLite
     * takes no global mutex per allocation. */
    sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

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
    sqlite3_stmt *stmt = statement(s, S_INDEX_EXISTS, err);
    if (stmt == NULL)
        return -1;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(s, "reading the indexes", err);
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
    sqlite3_stmt *record = statement(s, S_PENDING_ADD, err);
    if (record == NULL)
        return SP_IO;
    for (int i = 0; i < PERSON_INDEX_COUNT; i++) {
        sqlite3_bind_text(record, 1, person_indexes[i].name, -1, SQLITE_STATIC);
        if (run(s, record, "setting the indexes aside", err) != SP_OK ||
            exec_sql(s, person_indexes[i].drop, "setting the indexes aside", err) != SP_OK)
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
        return db_error(s, "looking for the duplicate", err);
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
        if (get_by_serial(s, serials[i], &p[i], &found, err) != SP_OK)
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
 * Recreates each of the persons' indexes that does not exist (each CREATE INDEX sorts the
 * table's keys once) and clears pending_indexes, inside the caller's transaction. Names in
 * pending_indexes that spfloor does not define are dropped from it unread. A duplicate is
 * SP_CONFLICT naming both records.
 */
static int restore_indexes(struct sqlite_store *s, struct error *err)
{
    /* SQLite sorts in runs as large as the page cache, on helper threads: a small cache makes
     * many runs, sorted in parallel while the table is read and within the CPU's caches, which
     * builds the indexes in half the time of one large in-memory sort */
    char pragmas[96];
    snprintf(pragmas, sizeof pragmas, "PRAGMA threads = %d; PRAGMA cache_size = -%d;", SORT_THREADS,
             SORT_CACHE_KIB);
    int rc = exec_sql(s, pragmas, "rebuilding the indexes", err);
    for (int i = 0; rc == SP_OK && i < PERSON_INDEX_COUNT; i++) {
        int exists = index_exists(s, person_indexes[i].name, err);
        if (exists < 0) {
            rc = SP_IO;
        } else if (!exists) {
            struct error why;
            error_init(&why);
            if (exec_sql(s, person_indexes[i].create, "rebuilding the indexes", &why) != SP_OK)
                rc = index_failure(s, &why, err);
        }
    }
    if (rc == SP_OK)
        rc = exec_sql(s, "DELETE FROM pending_indexes", "rebuilding the indexes", err);
    snprintf(pragmas, sizeof pragmas, "PRAGMA threads = 0; PRAGMA cache_size = -%d;",
             CACHE_SIZE_KIB);
    int settings = exec_sql(s, pragmas, "setting up the connection", err);
    return rc != SP_OK ? rc : settings;
}

/* Runs the prepared statement `which`, which returns one integer, into *out (0 on failure). */
static int read_int64(struct sqlite_store *s, enum statement which, int64_t *out, const char *what,
                      struct error *err)
{
    sqlite3_stmt *stmt = statement(s, which, err);
    *out = 0;
    if (stmt == NULL)
        return SP_IO;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return db_error(s, what, err);
    return SP_OK;
}

/* *any is 1 if indexes are set aside (an import session is running, or was killed). */
static int indexes_pending(struct sqlite_store *s, int *any, struct error *err)
{
    int64_t count = 0;
    int rc = read_int64(s, S_PENDING_ANY, &count, "reading the indexes set aside", err);
    *any = count != 0;
    return rc;
}

/* restore_indexes in a transaction of its own (outside any other). */
static int restore_indexes_now(struct sqlite_store *s, struct error *err)
{
    int rc = exec_sql(s, "BEGIN IMMEDIATE", "rebuilding the indexes", err);
    if (rc != SP_OK)
        return rc;
    rc = restore_indexes(s, err);
    if (rc == SP_OK)
        rc = exec_sql(s, "COMMIT", "rebuilding the indexes", err);
    if (rc != SP_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/* At open: recreates the indexes a killed import left set aside, or that are missing. */
static int restore_killed_import(struct sqlite_store *s, struct error *err)
{
    int any = 0;
    if (indexes_pending(s, &any, err) != SP_OK)
        return SP_IO;
    for (int i = 0; !any && i < PERSON_INDEX_COUNT; i++) {
        int exists = index_exists(s, person_indexes[i].name, err);
        if (exists < 0)
            return SP_IO;
        any = !exists;
    }
    return any ? restore_indexes_now(s, err) : SP_OK;
}

/* ---- opening and migrating ---- */

/* 1 if the migration `name` is recorded as applied, 0 if not, -1 on error (err set). */
static int migration_applied(struct sqlite_store *s, const char *name, struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM " MIGRATIONS_TABLE " WHERE name = ?1", -1, &stmt,
                           NULL) != SQLITE_OK) {
        db_error(s, "reading the schema version", err);
        return -1;
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        db_error(s, "reading the schema version", err);
        return -1;
    }
    return rc == SQLITE_ROW;
}

/* Counts the migrations not yet applied into *pending (all of them if there is no table). */
static int count_pending(struct sqlite_store *s, int *pending, struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    *pending = migrations_embedded_count;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" MIGRATIONS_TABLE
            "'",
            -1, &stmt, NULL) != SQLITE_OK)
        return db_error(s, "reading the schema", err);
    int rc = sqlite3_step(stmt);
    int exists = rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW)
        return db_error(s, "reading the schema", err);
    if (!exists)
        return SP_OK;
    *pending = 0;
    for (int i = 0; i < migrations_embedded_count; i++) {
        int applied = migration_applied(s, migrations_embedded[i].name, err);
        if (applied < 0)
            return SP_IO;
        *pending += !applied;
    }
    return SP_OK;
}

static int record_migration(struct sqlite_store *s, const char *name, struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO " MIGRATIONS_TABLE " (name, applied_at) VALUES (?1, "
                           "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           -1, &stmt, NULL) != SQLITE_OK)
        return db_error(s, "recording a migration", err);
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return db_error(s, "recording a migration", err);
    return SP_OK;
}

/* Applies the pending migrations in one IMMEDIATE transaction (nothing if none is pending). */
static int migrate(struct sqlite_store *s, struct error *err)
{
    int pending;
    if (count_pending(s, &pending, err) != SP_OK)
        return SP_IO;
    if (pending == 0)
        return SP_OK;
    if (exec_sql(s, "BEGIN IMMEDIATE", "starting the schema migration", err) != SP_OK)
        return SP_IO;
    int rc = exec_sql(s,
                      "CREATE TABLE IF NOT EXISTS " MIGRATIONS_TABLE
                      " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                      "creating the migrations table", err);
    for (int i = 0; rc == SP_OK && i < migrations_embedded_count; i++) {
        const struct embedded_file *m = &migrations_embedded[i];
        int applied = migration_applied(s, m->name, err);
        if (applied < 0) {
            rc = SP_IO;
        } else if (!applied) {
            char doing[128];
            snprintf(doing, sizeof doing, "applying migration %s", m->name);
            rc = exec_sql(s, m->contents, doing, err);
            if (rc == SP_OK)
                rc = record_migration(s, m->name, err);
        }
    }
    if (rc == SP_OK)
        rc = exec_sql(s, "COMMIT", "committing the schema migration", err);
    if (rc != SP_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/*
 * Before anything is read: SQLite's defensive mode, an untrusted schema (the file may have been
 * crafted), and no triggers or views.
 */
static int distrust(struct sqlite_store *s, struct error *err)
{
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) != SQLITE_OK ||
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL) != SQLITE_OK ||
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL) != SQLITE_OK)
        return db_error(s, "setting up the connection", err);
    return SP_OK;
}

/*
 * Sets the connection up, once the file is known to be a registry (check_schema).
 * STORE_READ_WRITE: WAL journal, full syncs, foreign keys. STORE_READ_ONLY: query_only, so that
 * nothing can write through this connection.
 */
static int configure(struct sqlite_store *s, enum store_mode mode, struct error *err)
{
    char pragmas[320];
    if (mode == STORE_READ_ONLY)
        snprintf(pragmas, sizeof pragmas, "PRAGMA query_only = 1; PRAGMA cache_size = -%d;",
                 CACHE_SIZE_KIB);
    else /* the page size counts only when the database is created, before it is in WAL mode */
        snprintf(pragmas, sizeof pragmas,
                 "PRAGMA page_size = %d; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                 "PRAGMA foreign_keys = ON; PRAGMA cache_size = -%d; PRAGMA "
                 "wal_autocheckpoint = %d; PRAGMA journal_size_limit = %d;",
                 PAGE_SIZE, CACHE_SIZE_KIB, WAL_CHECKPOINT, WAL_SIZE_LIMIT);
    return exec_sql(s, pragmas, "setting up the connection", err);
}

/* Counts the rows of `query` (one integer) into *out; SP_IO naming `what` on failure. */
static int count_rows(struct sqlite_store *s, const char *query, int64_t *out, const char *what,
                      struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, query, -1, &stmt, NULL) != SQLITE_OK)
        return db_error(s, what, err);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? SP_OK : db_error(s, what, err);
}

/*
 * Checks that the file is a registry spfloor may open as `mode` says (store_open): not some
 * other SQLite database, not one from a newer spfloor, no triggers or views, and in
 * STORE_READ_ONLY no migration pending. Reading the schema is also the first read of the file,
 * so a file that is not a database fails here.
 */
static int check_schema(struct sqlite_store *s, enum store_mode mode, struct error *err)
{
    int64_t objects = 0, code_objects = 0, has_migrations = 0;
    int rc =
        count_rows(s, "SELECT count(*) FROM sqlite_schema", &objects, "reading the schema", err);
    if (rc != SP_OK) {
        int code = sqlite3_errcode(s->db);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
            error_init(err);
            return error_set(err, SP_IO,
                             "%s: this is not a spfloor registry: the file is not an SQLite "
                             "database, or it is damaged",
                             s->location);
        }
        return rc;
    }
    if (objects == 0)
        return mode == STORE_READ_WRITE
                   ? SP_OK
                   : error_set(err, SP_IO,
                               "%s: the database is empty: it is not a registry yet (create one "
                               "with 'spfloor --db %s init')",
                               s->location, s->location);
    rc = count_rows(s, "SELECT count(*) FROM sqlite_schema WHERE type IN ('trigger', 'view')",
                    &code_objects, "reading the schema", err);
    if (rc == SP_OK && code_objects > 0)
        return error_set(err, SP_IO,
                         "%s: the database holds %lld trigger(s) or view(s), which spfloor never "
                         "creates: it was changed outside spfloor and is not opened",
                         s->location, (long long)code_objects);
    if (rc == SP_OK)
        rc = count_rows(s,
                        "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
                        "'" MIGRATIONS_TABLE "'",
                        &has_migrations, "reading the schema", err);
    if (rc != SP_OK)
        return rc;
    if (!has_migrations)
        return error_set(err, SP_IO,
                         "%s: this SQLite database is not a spfloor registry (it has no %s "
                         "table): it is not opened, and nothing was written to it",
                         s->location, MIGRATIONS_TABLE);
    int64_t recorded = 0;
    int pending = 0;
    rc = count_rows(s, "SELECT count(*) FROM " MIGRATIONS_TABLE, &recorded,
                    "reading the schema version", err);
    if (rc == SP_OK)
        rc = count_pending(s, &pending, err);
    if (rc != SP_OK)
        return rc;
    if (recorded > migrations_embedded_count - pending)
        return error_set(err, SP_IO,
                         "%s: the registry was made by a newer version of spfloor (it records "
                         "%lld schema changes this one does not know): use that version",
                         s->location,
                         (long long)(recorded - (migrations_embedded_count - pending)));
    if (pending > 0 && mode == STORE_READ_ONLY)
        return error_set(err, SP_IO,
                         "%s: the registry's format is older than this spfloor's (%d schema "
                         "change%s to apply): open it once for writing, for example with "
                         "'spfloor --db %s init', to bring it up to date",
                         s->location, pending, pending == 1 ? "" : "s", s->location);
    return SP_OK;
}

static void sqlite_close(void *handle)
{
    struct sqlite_store *s = handle;
    if (s == NULL)
        return;
    if (s->in_transaction)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    sp_free(s->location);
    sp_free(s);
}

/*
 * Checks the location before SQLite sees it: it must be a regular file (SQLite would otherwise
 * make "/dev/null-journal" beside a device), or, for STORE_READ_WRITE, not exist yet, in which
 * case it is created empty with mode 0600 (SQLite gives its journal files the same mode).
 */
static int prepare_file(const char *location, enum store_mode mode, struct error *err)
{
    struct stat st;
    if (stat(location, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return error_set(err, SP_IO,
                             "%s: is not a regular file (a %s): a registry is a file; give its "
                             "path with --db",
                             location, S_ISDIR(st.st_mode) ? "directory" : "device or pipe");
        return SP_OK;
    }
    if (errno != ENOENT)
        return error_set(err, SP_IO, "%s: cannot open the database: %s", location, strerror(errno));
    if (mode == STORE_READ_ONLY)
        return error_set(err, SP_IO, "%s: there is no database here", location);
    int fd = open(location, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return error_set(err, SP_IO,
                         "%s: cannot create the database: %s (does the directory exist, and may "
                         "you write there?)",
                         location, strerror(errno));
    if (fd >= 0)
        close(fd);
    return SP_OK;
}

/*
 * The URI that opens `location` read-only as an immutable file ("file:/path?immutable=1"), the
 * path percent-encoded; SP_IO if it does not fit in size bytes.
 */
static int immutable_uri(const char *location, char *out, size_t size, struct error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    text_copy(out, size, "file:");
    size_t o = strlen(out);
    for (const unsigned char *c = (const unsigned char *)location; *c && o + 4 < size; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~/", *c) != NULL) {
            out[o++] = (char)*c;
        } else {
            out[o++] = '%';
            out[o++] = hex[*c >> 4];
            out[o++] = hex[*c & 15];
        }
    }
    out[o] = '\0';
    if (o + 4 >= size || !text_copy(out + o, size - o, "?immutable=1"))
        return error_set(err, SP_IO, "%s: the path is too long", location);
    return SP_OK;
}

/*
 * Opens the SQLite connection s->db and checks the file (check_schema). A database in WAL mode
 * needs its shared-memory file even to be read: when that cannot be made (a read-only copy in
 * a directory the user may not write) and no write-ahead log exists (so every committed change
 * is in the file itself), STORE_READ_ONLY reads the file as immutable instead.
 */
static int connect(struct sqlite_store *s, enum store_mode mode, struct error *err)
{
    int flags = (mode == STORE_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                SQLITE_OPEN_NOMUTEX;
    for (int attempt = 0;; attempt++) {
        char uri[PATH_URI_MAX];
        const char *name = s->location;
        if (attempt > 0) {
            if (immutable_uri(s->location, uri, sizeof uri, err) != SP_OK)
                return SP_IO;
            name = uri;
        }
        if (sqlite3_open_v2(name, &s->db, flags | (attempt > 0 ? SQLITE_OPEN_URI : 0), NULL) !=
            SQLITE_OK) {
            if (s->db == NULL)
                return error_nomem(err);
            return error_set(err, SP_IO, "%s: cannot open the database: %s", s->location,
                             sqlite3_errmsg(s->db));
        }
        struct error why;
        error_init(&why);
        int rc = distrust(s, &why);
        if (rc == SP_OK)
            rc = check_schema(s, mode, &why);
        int code = sqlite3_errcode(s->db) & 0xff; /* the primary code */
        if (rc == SP_OK || attempt > 0 || mode != STORE_READ_ONLY ||
            (code != SQLITE_READONLY && code != SQLITE_CANTOPEN))
            return rc == SP_OK ? SP_OK : error_set(err, rc, "%s", why.message);
        char wal[PATH_URI_MAX];
        snprintf(wal, sizeof wal, "%s-wal", s->location);
        if (access(wal, F_OK) == 0)
            return error_set(err, SP_IO,
                             "%s: cannot be read: its write-ahead log %s holds changes, and the "
                             "shared-memory file beside it cannot be made: %s",
                             s->location, wal, sqlite3_errmsg(s->db));
        sqlite3_close(s->db);
        s->db = NULL;
    }
}

static int sqlite_open(const char *location, enum store_mode mode, void **out, struct error *err)
{
    *out = NULL;
    use_our_allocator();
    int rc = prepare_file(location, mode, err);
    if (rc != SP_OK)
        return rc;
    struct sqlite_store *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->location = sp_strdup(location);
    if (s->location == NULL) {
        sp_free(s);
        return error_nomem(err);
    }
    rc = connect(s, mode, err);
    if (rc == SP_OK)
        rc = configure(s, mode, err);
    if (rc == SP_OK && mode == STORE_READ_WRITE)
        rc = migrate(s, err);
    if (rc == SP_OK && mode == STORE_READ_WRITE)
        rc = restore_killed_import(s, err);
    if (rc != SP_OK) {
        sqlite_close(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

/* ---- transactions ---- */

/*
 * Opens a write transaction; on failure none is open. COMMIT and ROLLBACK are prepared first,
 * so that ending the transaction never needs memory to prepare a statement (a rollback that
 * could not run would leave the transaction open).
 */
static int open_transaction(struct sqlite_store *s, struct error *err)
{
    if (statement(s, S_COMMIT, err) == NULL || statement(s, S_ROLLBACK, err) == NULL)
        return SP_IO;
    sqlite3_stmt *begin = statement(s, S_BEGIN, err);
    if (begin == NULL || run(s, begin, "starting a transaction", err) != SP_OK)
        return SP_IO;
    s->in_transaction = 1;
    return SP_OK;
}

static void sqlite_rollback(void *handle)
{
    struct sqlite_store *s = handle;
    if (!s->in_transaction)
        return;
    run(s, s->stmt[S_ROLLBACK], "rolling back", NULL);
    s->in_transaction = 0;
}

static int sqlite_begin(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->in_transaction)
        return error_set(err, SP_IO, "%s: a transaction is already open", s->location);
    /* If another connection's import has set the indexes aside, no writer but that import
     * may write without them: they come back first, in a transaction of their own (the
     * caller's may be rolled back), and then the caller's transaction begins. */
    for (;;) {
        if (open_transaction(s, err) != SP_OK)
            return SP_IO;
        int any = 0;
        int rc = s->importing ? SP_OK : indexes_pending(s, &any, err);
        if (rc == SP_OK && !any)
            return SP_OK;
        sqlite_rollback(s);
        if (rc == SP_OK)
            rc = restore_indexes_now(s, err);
        if (rc != SP_OK)
            return rc;
    }
}

static int sqlite_commit(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "%s: no transaction to commit", s->location);
    if (run(s, s->stmt[S_COMMIT], "committing", err) != SP_OK)
        return SP_IO;
    s->in_transaction = 0;
    return SP_OK;
}

static int sqlite_serial_get(void *handle, int64_t *out, struct error *err)
{
    return read_int64(handle, S_SERIAL_GET, out, "reading the worker serial", err);
}

static int sqlite_serial_set(void *handle, int64_t serial, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *set = statement(s, S_SERIAL_SET, err);
    if (set == NULL)
        return SP_IO;
    sqlite3_bind_int64(set, 1, serial);
    return run(s, set, "saving the worker serial", err);
}

/* ---- import sessions ---- */

/*
 * Turns SQLite's check that a person's household exists on or off: off inside an import
 * session, where it would only repeat a lookup per row (store_person_insert creates a
 * household before its first member). Ignored inside a transaction.
 */
static int check_households(struct sqlite_store *s, int on, struct error *err)
{
    return exec_sql(s, on ? "PRAGMA foreign_keys = ON" : "PRAGMA foreign_keys = OFF",
                    "setting up the connection", err);
}

static int sqlite_data_version(void *handle, int64_t *out, struct error *err)
{
    return read_int64(handle, S_DATA_VERSION, out, "reading the data version", err);
}

static int sqlite_import_begin(void *handle, int64_t since, struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->in_transaction || s->importing)
        return error_set(err, SP_IO, "%s: an import session starts outside any transaction",
                         s->location);
    int rc = exec_sql(s, "BEGIN IMMEDIATE", "starting an import", err);
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
        rc = exec_sql(s, "COMMIT", "starting an import", err);
    if (rc != SP_OK) {
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
        return rc;
    }
    s->importing = 1;
    return check_households(s, 0, err);
}

static int sqlite_import_end(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->in_transaction)
        return error_set(err, SP_IO, "%s: an import session ends outside any transaction",
                         s->location);
    s->importing = 0;
    int rc = restore_indexes_now(s, err);
    int settings = check_households(s, 1, err); /* outside the transaction, or it is ignored */
    return rc != SP_OK ? rc : settings;
}

/* ---- persons ---- */

/*
 * The 64-bit hash the dedup index holds: FNV-1a over the key's bytes, then the splitmix64
 * finaliser so that similar keys spread over the whole range.
 */
static int64_t dedup_hash(const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
        h ^= *c;
        h *= 1099511628211ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return (int64_t)h;
}

static int sqlite_person_insert(void *handle, const struct person *p, int64_t serial,
                                const char *dedup_key, struct error *err)
{
    struct sqlite_store *s = handle;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "%s: inserting a person needs a transaction", s->location);
    sqlite3_stmt *insert = statement(s, S_PERSON_INSERT, err);
    if (insert == NULL)
        return SP_IO;
    char birth[DATE_TEXT_SIZE], start[DATE_TEXT_SIZE];
    bind_person(insert, p, dedup_hash(dedup_key), birth, start);
    sqlite3_bind_int64(insert, C_COUNT + 1, serial);
    int step = sqlite3_step(insert);
    sqlite3_reset(insert);
    if (step == SQLITE_DONE)
        return SP_OK;
    int code = sqlite3_extended_errcode(s->db);
    if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "%s", sqlite3_errmsg(s->db));
    return db_error(s, "inserting a person", err);
}

static int sqlite_household_insert(void *handle, const struct household *h, int *created,
                                   struct error *err)
{
    struct sqlite_store *s = handle;
    *created = 0;
    sqlite3_stmt *stmt = statement(s, S_HOUSEHOLD_INSERT, err);
    if (stmt == NULL)
        return SP_IO;
    bind_text(stmt, 0, h->id); /* bind_text takes 0-based columns */
    bind_text(stmt, 1, h->country);
    bind_text(stmt, 2, h->admin1);
    bind_text(stmt, 3, h->admin2);
    if (run(s, stmt, "creating a household", err) != SP_OK)
        return SP_IO;
    *created = sqlite3_changes(s->db) == 1;
    return SP_OK;
}

static int sqlite_household_delete(void *handle, const char *id, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = statement(s, S_HOUSEHOLD_DELETE, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    return run(s, stmt, "removing a household", err);
}

static int sqlite_person_by_serial(void *handle, int64_t serial, struct person *out, int *found,
                                   struct error *err)
{
    return get_by_serial(handle, serial, out, found, err);
}

static int sqlite_person_by_national_id(void *handle, const char *country, const char *national_id,
                                        struct person *out, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = statement(s, S_PERSON_BY_NATIONAL_ID, err);
    *found = 0;
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, country, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, national_id, -1, SQLITE_STATIC);
    return fetch_one(s, stmt, out, found, err);
}

/* A probe of the dedup index by the key's hash (store.c compares the keys). */
static int sqlite_person_by_dedup_key(void *handle, const char *key, struct person *out, int *found,
                                      struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = statement(s, S_PERSON_BY_DEDUP_KEY, err);
    *found = 0;
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, dedup_hash(key));
    return fetch_one(s, stmt, out, found, err);
}

/* Writes a LIKE pattern "%text%" with \, % and _ escaped. */
static void like_pattern(const char *text, char *out, size_t size)
{
    size_t o = 0;
    out[o++] = '%';
    for (const char *c = text; *c && o + 3 < size; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            out[o++] = '\\';
        out[o++] = *c;
    }
    out[o++] = '%';
    out[o] = '\0';
}

static void bind_country(sqlite3_stmt *stmt, int index, const char *country)
{
    if (country == NULL)
        sqlite3_bind_null(stmt, index);
    else
        sqlite3_bind_text(stmt, index, country, -1, SQLITE_STATIC);
}

static int sqlite_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                              void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *all = statement(s, S_SEARCH_ALL, err);
    if (all == NULL)
        return SP_IO;
    bind_country(all, 1, country);
    sqlite3_bind_int(all, 2, limit);
    return visit_rows(s, all, visit, ctx, err);
}

/* One scan for the text anywhere in the name (either order), national ID, worker ID or phone,
 * exact matches of an ID, national ID or phone first, then by worker ID. */
static int sqlite_person_search(void *handle, const char *text, const char *country, int limit,
                                person_visit_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    char pattern[2 * SEARCH_TEXT_MAX + 3];
    like_pattern(text, pattern, sizeof pattern);
    sqlite3_stmt *scan = statement(s, S_SEARCH_SCAN, err);
    if (scan == NULL)
        return SP_IO;
    sqlite3_bind_text(scan, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_text(scan, 2, pattern, -1, SQLITE_STATIC);
    bind_country(scan, 3, country);
    sqlite3_bind_int(scan, 4, limit);
    return visit_rows(s, scan, visit, ctx, err);
}

static int sqlite_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = statement(s, S_PERSON_EACH, err);
    if (stmt == NULL)
        return SP_IO;
    return visit_rows(s, stmt, visit, ctx, err);
}

static int sqlite_household_members(void *handle, const char *household, person_visit_fn visit,
                                    void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = statement(s, S_MEMBERS, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, household, -1, SQLITE_STATIC);
    return visit_rows(s, stmt, visit, ctx, err);
}

static int sqlite_person_count(void *handle, int64_t *out, struct error *err)
{
    return read_int64(handle, S_PERSON_COUNT, out, "counting persons", err);
}

static int sqlite_household_get(void *handle, const char *id, struct household *out, int *found,
                                struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = statement(s, S_HOUSEHOLD_GET, err);
    *found = 0;
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        read_text(stmt, 0, out->id, sizeof out->id);
        read_text(stmt, 1, out->country, sizeof out->country);
        read_text(stmt, 2, out->admin1, sizeof out->admin1);
        read_text(stmt, 3, out->admin2, sizeof out->admin2);
        *found = 1;
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return db_error(s, "reading a household", err);
    return SP_OK;
}

const struct store_driver store_sqlite_driver = {
    .version = STORE_DRIVER_VERSION,
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .serial_get = sqlite_serial_get,
    .serial_set = sqlite_serial_set,
    .person_insert = sqlite_person_insert,
    .household_insert = sqlite_household_insert,
    .household_delete = sqlite_household_delete,
    .person_by_serial = sqlite_person_by_serial,
    .person_by_national_id = sqlite_person_by_national_id,
    .person_by_dedup_key = sqlite_person_by_dedup_key,
    .person_search = sqlite_person_search,
    .person_list = sqlite_person_list,
    .person_each = sqlite_person_each,
    .household_members = sqlite_household_members,
    .person_count = sqlite_person_count,
    .household_get = sqlite_household_get,
    .data_version = sqlite_data_version,
    .import_begin = sqlite_import_begin,
    .import_end = sqlite_import_end,
};
