/*
 * postgres_person.c: persons and households in the PostgreSQL driver: one column per fact of
 * the vocabulary (migrations/postgres/0001), as in the SQLite driver, and the driver's person
 * and household functions.
 *
 * Values travel as text parameters and come back as text (DateStyle ISO: dates are
 * YYYY-MM-DD). A walk over many persons (person_each, person_each_by_household) runs one query
 * through a cursor and fetches PG_FETCH_ROWS rows at a time, so that memory stays bounded and
 * the visitor may read the store between fetches; the walk holds one snapshot
 * (pg_walk_begin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "store/event_row.h"
#include "store/person_row.h"
#include "store/postgres/postgres_impl.h"

/* ---- persons as rows (store/person_row.h) ---- */

/* The text of a cell, "" for NULL. */
static const char *cell(const PGresult *res, int row, int column)
{
    return PQgetvalue(res, row, column);
}

static void read_text(const PGresult *res, int row, int column, char *out, size_t size)
{
    text_copy(out, size, cell(res, row, column));
}

static const char *text_or_null(const char *text)
{
    return text[0] == '\0' ? NULL : text;
}

/* Fills p from row `row` of a PG_SELECT_PERSON result. */
static void read_person(const PGresult *res, int row, struct person *p)
{
    struct person_row_in in;
    for (int c = 0; c < PERSON_ROW_COUNT; c++) {
        in.has_number[c] = 0;
        in.text[c] = PQgetisnull(res, row, c) ? NULL : cell(res, row, c);
    }
    person_row_decode(p, &in);
}

/* Runs a person query that returns at most one row: *found and *out as store_person_get says. */
static int fetch_one(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                     struct person *out, int *found, struct error *err)
{
    *found = 0;
    PGresult *res = pg_run(s, which, n, values, "reading a person", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        read_person(res, 0, out);
        *found = 1;
    }
    PQclear(res);
    return SP_OK;
}

/* Column of a walk's row where its household's country, admin1 and admin2 start (after the
 * person's columns and serial), in a result that has them. */
#define WALK_HOUSEHOLD_COLUMN (PERSON_ROW_COUNT + 1)

/* Keeps row `row`'s household (read with it) as the walk's current one. */
static void keep_household(struct pg_store *s, const PGresult *res, int row, const char *id)
{
    struct household *h = &s->walk_household;
    memset(h, 0, sizeof *h);
    text_copy(h->id, sizeof h->id, id);
    s->walk_household_found = !PQgetisnull(res, row, WALK_HOUSEHOLD_COLUMN);
    read_text(res, row, WALK_HOUSEHOLD_COLUMN, h->country, sizeof h->country);
    read_text(res, row, WALK_HOUSEHOLD_COLUMN + 1, h->admin1, sizeof h->admin1);
    read_text(res, row, WALK_HOUSEHOLD_COLUMN + 2, h->admin2, sizeof h->admin2);
}

/* Visits the persons of a result; the visitor's non-zero return stops it. */
int pg_visit_result(struct pg_store *s, PGresult *res, person_visit_fn visit, void *ctx)
{
    struct person p;
    int count = PQntuples(res);
    int with_households = PQnfields(res) > WALK_HOUSEHOLD_COLUMN;
    for (int i = 0; i < count; i++) {
        read_person(res, i, &p);
        if (with_households && p.household[0] != '\0' &&
            strcmp(p.household, s->walk_household.id) != 0)
            keep_household(s, res, i, p.household);
        int stop = visit(ctx, &p);
        if (stop != 0)
            return stop;
    }
    return SP_OK;
}

/* Runs a prepared person query and visits its rows. */
static int visit_rows(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                      person_visit_fn visit, void *ctx, struct error *err)
{
    PGresult *res = pg_run(s, which, n, values, "reading persons", err);
    if (res == NULL)
        return SP_IO;
    int rc = pg_visit_result(s, res, visit, ctx);
    PQclear(res);
    return rc;
}

/*
 * Runs `query` (constant SQL; its n values as parameters) through a cursor of its own inside
 * the walk's transaction, and visits every row, PG_FETCH_ROWS at a time.
 */
static int visit_cursor(struct pg_store *s, const char *query, int n, const char *const *values,
                        person_visit_fn visit, void *ctx, struct error *err)
{
    char name[32];
    snprintf(name, sizeof name, "spfloor_walk_%d", s->walking);
    char declare[1024];
    snprintf(declare, sizeof declare, "DECLARE %s NO SCROLL CURSOR FOR %s", name, query);
    PGresult *res = PQexecParams(s->conn, declare, n, NULL, values, NULL, NULL, 0);
    int rc = res != NULL && PQresultStatus(res) == PGRES_COMMAND_OK
                 ? SP_OK
                 : pg_error(s, res, "reading persons", err);
    PQclear(res);
    if (rc != SP_OK)
        return rc;
    char fetch[64];
    snprintf(fetch, sizeof fetch, "FETCH " PG_FETCH_ROWS " FROM %s", name);
    for (;;) {
        res = PQexec(s->conn, fetch);
        if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
            rc = pg_error(s, res, "reading persons", err);
            PQclear(res);
            break;
        }
        int rows = PQntuples(res);
        rc = pg_visit_result(s, res, visit, ctx);
        PQclear(res);
        if (rc != SP_OK || rows < PG_FETCH_ROWS_INT)
            break;
    }
    char close[64];
    snprintf(close, sizeof close, "CLOSE %s", name);
    struct error ignored;
    error_init(&ignored);
    pg_exec(s, close, "reading persons", &ignored);
    return rc;
}

/* ---- persons ---- */

/*
 * Runs an insert of persons (one statement, or a COPY group) under a savepoint, so that a
 * taken key (23505) undoes only the insert: SP_CONFLICT, and the transaction stays usable for
 * the front's lookups. `insert` returns SP_OK or an sp_status with err set.
 */
int pg_under_savepoint(struct pg_store *s,
                       int (*insert)(struct pg_store *, const void *, int, struct error *),
                       const void *rows, int n, struct error *err)
{
    if (pg_exec(s, "SAVEPOINT person_insert", "inserting persons", err) != SP_OK)
        return SP_IO;
    int rc = insert(s, rows, n, err);
    if (rc == SP_OK)
        return pg_exec(s, "RELEASE SAVEPOINT person_insert", "inserting persons", err);
    struct error ignored;
    error_init(&ignored);
    if (pg_exec(s, "ROLLBACK TO SAVEPOINT person_insert", "inserting persons", &ignored) != SP_OK)
        return SP_IO;
    if (rc == SP_CONFLICT) {
        char server[ERROR_MESSAGE_MAX];
        text_copy(server, sizeof server, err->message);
        error_set(err, SP_CONFLICT,
                  "%s: not inserted: a worker ID, national ID or dedup key is taken (%s)",
                  s->location, server);
    }
    return rc;
}

static int insert_one(struct pg_store *s, const void *rows, int n, struct error *err)
{
    (void)n;
    const struct store_new_person *r = rows;
    struct person_row row;
    person_row_encode(r->p, r->dedup_key, &row);
    const char *values[PERSON_ROW_COUNT + 1]; /* $1..$30 the columns, $31 the serial */
    memcpy(values, row.value, sizeof row.value);
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)r->serial);
    values[PERSON_ROW_COUNT] = serial_text;
    int64_t inserted = 0; /* rows: the person, its dedup key, its national ID */
    if (pg_read_int64(s, S_PERSON_INSERT, PERSON_ROW_COUNT + 1, values, &inserted,
                      "inserting a person", err) != SP_OK)
        return err->code == SP_CONFLICT ? SP_CONFLICT : SP_IO;
    if (inserted != (r->p->national_id[0] != '\0' ? 3 : 2))
        return error_set(err, SP_CONFLICT, "its worker ID, national ID or dedup key is taken");
    return SP_OK;
}

int postgres_person_insert(void *handle, const struct person *p, int64_t serial,
                           const char *dedup_key, struct error *err)
{
    struct store_new_person row = {p, serial, dedup_key, NULL};
    return pg_under_savepoint(handle, insert_one, &row, 1, err);
}

/* ---- bulk insert: COPY ... FROM STDIN in text format ---- */

/* Appends one value of a COPY text row: \N for NULL; backslash, tab, newline and CR escaped. */
static int copy_value(struct buf *b, const char *value, struct error *err)
{
    if (value == NULL)
        return buf_puts(b, "\\N", err);
    int rc = SP_OK;
    for (const char *c = value; *c != '\0' && rc == SP_OK;) {
        size_t plain = strcspn(c, "\\\t\n\r");
        rc = buf_append(b, c, plain, err);
        c += plain;
        if (rc != SP_OK || *c == '\0')
            break;
        char escape[3] = {'\\',
                          *c == '\\'   ? '\\'
                          : *c == '\t' ? 't'
                          : *c == '\n' ? 'n'
                                       : 'r',
                          '\0'};
        rc = buf_append(b, escape, 2, err);
        c++;
    }
    return rc;
}

int pg_copy_row(struct buf *b, const char *const *values, int n, struct error *err)
{
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        rc = copy_value(b, values[i], err);
        if (rc == SP_OK)
            rc = buf_putc(b, i + 1 < n ? '\t' : '\n', err);
    }
    return rc;
}

int pg_copy_in(struct pg_store *s, const char *sql, const struct buf *data, const char *doing,
               struct error *err)
{
    PGresult *res = PQexec(s->conn, sql);
    if (res == NULL || PQresultStatus(res) != PGRES_COPY_IN) {
        int rc = pg_error(s, res, "starting a bulk insert", err);
        PQclear(res);
        return rc;
    }
    PQclear(res);
    int sent = PQputCopyData(s->conn, data->data, (int)data->len) == 1;
    if (PQputCopyEnd(s->conn, sent ? NULL : "the data could not be sent") != 1)
        sent = 0;
    int rc = SP_OK;
    while ((res = PQgetResult(s->conn)) != NULL) {
        if (rc == SP_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
            rc = pg_error(s, res, doing, err);
        PQclear(res);
    }
    if (rc == SP_OK && !sent)
        rc = pg_error(s, NULL, doing, err);
    return rc;
}

/* Appends a text value to an array literal being built ("{...}"): quoted, with \\ and "
 * escaped; "" as NULL. */
int pg_array_item(struct buf *b, const char *value, struct error *err)
{
    int rc = buf_putc(b, b->len > 1 ? ',' : '{', err);
    if (rc != SP_OK || value[0] == '\0')
        return rc != SP_OK ? rc : buf_puts(b, "NULL", err);
    rc = buf_putc(b, '"', err);
    for (const char *c = value; *c != '\0' && rc == SP_OK; c++) {
        if (*c == '"' || *c == '\\')
            rc = buf_putc(b, '\\', err);
        if (rc == SP_OK)
            rc = buf_putc(b, *c, err);
    }
    return rc == SP_OK ? buf_putc(b, '"', err) : rc;
}

/* What a group sends: three COPY texts (persons, their dedup keys, their national IDs) and
 * the households to create as four array literals (ids, countries, admin1, admin2). */
struct copy_group {
    struct buf persons;
    struct buf dedup;
    struct buf national;
    struct buf households[4];
    int household_count;
};

static int add_household(struct copy_group *g, const struct household *h, struct error *err)
{
    const char *values[4] = {h->id, h->country, h->admin1, h->admin2};
    int rc = SP_OK;
    for (int i = 0; i < 4 && rc == SP_OK; i++)
        rc = pg_array_item(&g->households[i], values[i], err);
    g->household_count++;
    return rc;
}

static int copy_group_fill(struct copy_group *g, const struct store_new_person *rows, int n,
                           struct error *err)
{
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        const struct store_new_person *r = &rows[i];
        struct person_row row;
        person_row_encode(r->p, r->dedup_key, &row);
        const char *values[PERSON_ROW_COUNT + 1];
        memcpy(values, row.value, sizeof row.value);
        char serial[PERSON_ROW_NUMBER_SIZE];
        snprintf(serial, sizeof serial, "%lld", (long long)r->serial);
        values[PERSON_ROW_COUNT] = serial;
        rc = pg_copy_row(&g->persons, values, PERSON_ROW_COUNT + 1, err);
        const char *dedup[] = {row.value[PERSON_ROW_COUNT - 1], serial};
        if (rc == SP_OK)
            rc = pg_copy_row(&g->dedup, dedup, 2, err);
        const char *national[] = {r->p->national_id, r->p->country, serial};
        if (rc == SP_OK && r->p->national_id[0] != '\0')
            rc = pg_copy_row(&g->national, national, 3, err);
        if (rc == SP_OK && r->household != NULL)
            rc = add_household(g, r->household, err);
    }
    for (int i = 0; i < 4 && rc == SP_OK && g->household_count > 0; i++)
        rc = buf_putc(&g->households[i], '}', err);
    return rc;
}

static int insert_group(struct pg_store *s, const void *data, int n, struct error *err)
{
    const struct copy_group *g = data;
    (void)n;
    int rc = SP_OK;
    if (g->household_count > 0) {
        const char *arrays[4];
        for (int i = 0; i < 4; i++)
            arrays[i] = g->households[i].data;
        PGresult *res = pg_run(s, S_HOUSEHOLDS_INSERT, 4, arrays, "creating households", err);
        rc = res != NULL ? SP_OK : err->code == SP_CONFLICT ? SP_CONFLICT : SP_IO;
        PQclear(res);
    }
    if (rc == SP_OK)
        rc = pg_copy_in(s, "COPY persons (" PERSON_ROW_COLUMNS ", serial) FROM STDIN", &g->persons,
                        "inserting persons in bulk", err);
    if (rc == SP_OK)
        rc = pg_copy_in(s, "COPY person_dedup_keys (dedup_hash, serial) FROM STDIN", &g->dedup,
                        "inserting persons in bulk", err);
    if (rc == SP_OK && g->national.len > 0)
        rc = pg_copy_in(s, "COPY person_national_ids (national_id, country, serial) FROM STDIN",
                        &g->national, "inserting persons in bulk", err);
    return rc;
}

int postgres_person_insert_many(void *handle, const struct store_new_person *rows, int n,
                                struct error *err)
{
    struct copy_group g;
    memset(&g, 0, sizeof g);
    buf_init(&g.persons, PG_COPY_BYTES_MAX);
    buf_init(&g.dedup, PG_COPY_BYTES_MAX);
    buf_init(&g.national, PG_COPY_BYTES_MAX);
    for (int i = 0; i < 4; i++)
        buf_init(&g.households[i], PG_COPY_BYTES_MAX);
    int rc = copy_group_fill(&g, rows, n, err);
    if (rc != SP_OK)
        rc = error_set(err, SP_IO, "preparing a bulk insert: %s", err->message);
    else
        rc = pg_under_savepoint(handle, insert_group, &g, n, err);
    buf_release(&g.persons);
    buf_release(&g.dedup);
    buf_release(&g.national);
    for (int i = 0; i < 4; i++)
        buf_release(&g.households[i]);
    return rc;
}

int postgres_household_insert(void *handle, const struct household *h, int *created,
                              struct error *err)
{
    struct pg_store *s = handle;
    *created = 0;
    const char *values[] = {h->id, h->country, text_or_null(h->admin1), text_or_null(h->admin2)};
    s->walk_household.id[0] = '\0';
    PGresult *res = pg_run(s, S_HOUSEHOLD_INSERT, 4, values, "creating a household", err);
    if (res == NULL)
        return SP_IO;
    *created = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    return SP_OK;
}

int postgres_household_delete(void *handle, const char *id, struct error *err)
{
    struct pg_store *s = handle;
    const char *values[] = {id};
    s->walk_household.id[0] = '\0';
    PGresult *res = pg_run(s, S_HOUSEHOLD_DELETE, 1, values, "removing a household", err);
    int rc = res != NULL ? SP_OK : SP_IO;
    PQclear(res);
    return rc;
}

int postgres_person_by_serial(void *handle, int64_t serial, struct person *out, int *found,
                              struct error *err)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)serial);
    const char *values[] = {text};
    return fetch_one(handle, S_PERSON_GET, 1, values, out, found, err);
}

int postgres_persons_of(void *handle, const int64_t *serials, int n, person_visit_fn visit,
                        void *ctx, struct error *err)
{
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    int rc = event_row_serial_list(serials, n, '{', '}', &list, err);
    if (rc == SP_OK) {
        const char *values[] = {list.data};
        rc = visit_rows(handle, S_PERSONS_OF, 1, values, visit, ctx, err);
    }
    buf_release(&list);
    return rc;
}

int postgres_person_by_national_id(void *handle, const char *country, const char *national_id,
                                   struct person *out, int *found, struct error *err)
{
    const char *values[] = {country, national_id};
    return fetch_one(handle, S_PERSON_BY_NATIONAL_ID, 2, values, out, found, err);
}

/* A probe of the dedup index by the key's hash (store.c compares the keys). */
int postgres_person_by_dedup_key(void *handle, const char *key, struct person *out, int *found,
                                 struct error *err)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)person_row_dedup_hash(key));
    const char *values[] = {text};
    return fetch_one(handle, S_PERSON_BY_DEDUP_KEY, 1, values, out, found, err);
}

int postgres_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                         void *ctx, struct error *err)
{
    char text[16];
    snprintf(text, sizeof text, "%d", limit);
    const char *values[] = {country, text};
    return visit_rows(handle, S_SEARCH_ALL, 2, values, visit, ctx, err);
}

int postgres_person_search(void *handle, const char *text, const char *country, int limit,
                           person_visit_fn visit, void *ctx, struct error *err)
{
    char pattern[2 * PG_SEARCH_TEXT_MAX + 3];
    person_row_like_pattern(text, pattern, sizeof pattern);
    char limit_text[16];
    snprintf(limit_text, sizeof limit_text, "%d", limit);
    const char *values[] = {text, pattern, country, limit_text};
    return visit_rows(handle, S_SEARCH_SCAN, 4, values, visit, ctx, err);
}

int postgres_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    if (pg_walk_begin(s, err) != SP_OK)
        return SP_IO;
    int rc = visit_cursor(s, PG_SELECT_PERSON "ORDER BY serial", 0, NULL, visit, ctx, err);
    pg_walk_end(s);
    return rc;
}

/*
 * person_each_by_household: the members of each household together (households in id order),
 * then those without one; $1 the country or NULL. Each row brings its household's record, so
 * that the visitor's household_get costs no round trip. Only the columns of `fields` are
 * selected (person_row_select), the others NULL.
 */
int postgres_person_each_by_household_reading(void *handle, const char *country,
                                              person_field_set fields, person_visit_fn visit,
                                              void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    char columns[PERSON_ROW_SELECT_SIZE];
    person_row_select(fields, columns);
    char sql[2][PERSON_ROW_SELECT_SIZE + 320];
    snprintf(sql[0], sizeof sql[0],
             "SELECT q.*, h.country, h.admin1, h.admin2 FROM (SELECT %s, serial FROM persons WHERE "
             "household IS NOT NULL AND ($1::text IS NULL OR country = $1::text)) q LEFT JOIN "
             "households h ON h.id = q.household ORDER BY q.household, q.serial",
             columns);
    snprintf(sql[1], sizeof sql[1],
             "SELECT %s FROM persons WHERE household IS NULL AND ($1::text IS NULL OR country = "
             "$1::text) ORDER BY serial",
             columns);
    if (pg_walk_begin(s, err) != SP_OK)
        return SP_IO;
    const char *values[] = {country};
    int rc = visit_cursor(s, sql[0], 1, values, visit, ctx, err);
    if (rc == SP_OK)
        rc = visit_cursor(s, sql[1], 1, values, visit, ctx, err);
    pg_walk_end(s);
    return rc;
}

int postgres_person_each_by_household(void *handle, const char *country, person_visit_fn visit,
                                      void *ctx, struct error *err)
{
    return postgres_person_each_by_household_reading(handle, country, PERSON_FIELDS_EVERY, visit,
                                                     ctx, err);
}

int postgres_household_members(void *handle, const char *household, person_visit_fn visit,
                               void *ctx, struct error *err)
{
    const char *values[] = {household};
    return visit_rows(handle, S_MEMBERS, 1, values, visit, ctx, err);
}

int postgres_person_count(void *handle, int64_t *out, struct error *err)
{
    return pg_read_int64(handle, S_PERSON_COUNT, 0, NULL, out, "counting persons", err);
}

int postgres_household_get(void *handle, const char *id, struct household *out, int *found,
                           struct error *err)
{
    struct pg_store *s = handle;
    *found = 0;
    if (s->walking > 0 && strcmp(id, s->walk_household.id) == 0) {
        *found = s->walk_household_found;
        if (*found)
            *out = s->walk_household;
        return SP_OK;
    }
    const char *values[] = {id};
    PGresult *res = pg_run(s, S_HOUSEHOLD_GET, 1, values, "reading a household", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        memset(out, 0, sizeof *out);
        read_text(res, 0, 0, out->id, sizeof out->id);
        read_text(res, 0, 1, out->country, sizeof out->country);
        read_text(res, 0, 2, out->admin1, sizeof out->admin1);
        read_text(res, 0, 3, out->admin2, sizeof out->admin2);
        *found = 1;
    }
    PQclear(res);
    return SP_OK;
}
