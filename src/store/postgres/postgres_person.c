/*
 * postgres_person.c: persons and households in the PostgreSQL driver: one column per fact of
 * the vocabulary (migrations/postgres/0001), as in the SQLite driver, and the driver's person
 * and household functions.
 *
 * Values travel as text parameters and come back as text (DateStyle ISO: dates are
 * YYYY-MM-DD). A walk over many persons (person_each, person_each_by_household) reads pages of
 * PG_PAGE_ROWS rows, each starting after the key of the last row of the one before, so that
 * memory stays bounded and the visitor may read the store as it goes; the pages share one
 * snapshot (pg_walk_begin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
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

/*
 * Runs a person query and visits its rows; the visitor's non-zero return stops it. *rows is
 * the number of rows, and last (if not NULL) receives the last row's serial and household.
 */
static int visit_rows(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                      person_visit_fn visit, void *ctx, int *rows, int64_t *last_serial,
                      char *last_household, size_t household_size, struct error *err)
{
    PGresult *res = pg_run(s, which, n, values, "reading persons", err);
    *rows = 0;
    if (res == NULL)
        return SP_IO;
    struct person p;
    int count = PQntuples(res);
    for (int i = 0; i < count; i++) {
        read_person(res, i, &p);
        int stop = visit(ctx, &p);
        if (stop != 0) {
            PQclear(res);
            return stop;
        }
    }
    *rows = count;
    if (count > 0 && last_serial != NULL) {
        *last_serial = strtoll(cell(res, count - 1, PG_COLUMN_SERIAL), NULL, 10);
        if (last_household != NULL)
            text_copy(last_household, household_size, cell(res, count - 1, PERSON_ROW_HOUSEHOLD));
    }
    PQclear(res);
    return SP_OK;
}

/* ---- persons ---- */

/* The insert does nothing on a taken serial, national ID or dedup key (ON CONFLICT DO
 * NOTHING): that is SP_CONFLICT, and the transaction stays usable. */
int postgres_person_insert(void *handle, const struct person *p, int64_t serial,
                           const char *dedup_key, struct error *err)
{
    struct pg_store *s = handle;
    struct person_row row;
    person_row_encode(p, dedup_key, &row);
    const char *values[PERSON_ROW_COUNT + 1]; /* $1..$30 the columns, $31 the serial */
    memcpy(values, row.value, sizeof row.value);
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    values[PERSON_ROW_COUNT] = serial_text;
    PGresult *res =
        pg_run(s, S_PERSON_INSERT, PERSON_ROW_COUNT + 1, values, "inserting a person", err);
    if (res == NULL)
        return SP_IO;
    int inserted = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    if (!inserted)
        return error_set(err, SP_CONFLICT,
                         "%s: the person was not inserted: its worker ID, national ID or dedup "
                         "key is taken",
                         s->location);
    return SP_OK;
}

int postgres_household_insert(void *handle, const struct household *h, int *created,
                              struct error *err)
{
    struct pg_store *s = handle;
    *created = 0;
    const char *values[] = {h->id, h->country, text_or_null(h->admin1), text_or_null(h->admin2)};
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

/* Writes an ILIKE pattern "%text%" with \, % and _ escaped by a backslash. */
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

int postgres_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                         void *ctx, struct error *err)
{
    char text[16];
    snprintf(text, sizeof text, "%d", limit);
    const char *values[] = {country, text};
    int rows;
    return visit_rows(handle, S_SEARCH_ALL, 2, values, visit, ctx, &rows, NULL, NULL, 0, err);
}

int postgres_person_search(void *handle, const char *text, const char *country, int limit,
                           person_visit_fn visit, void *ctx, struct error *err)
{
    char pattern[2 * PG_SEARCH_TEXT_MAX + 3];
    like_pattern(text, pattern, sizeof pattern);
    char limit_text[16];
    snprintf(limit_text, sizeof limit_text, "%d", limit);
    const char *values[] = {text, pattern, country, limit_text};
    int rows;
    return visit_rows(handle, S_SEARCH_SCAN, 4, values, visit, ctx, &rows, NULL, NULL, 0, err);
}

/* The pages of person_each: every person by serial. */
static int each_pages(struct pg_store *s, person_visit_fn visit, void *ctx, struct error *err)
{
    int64_t last = -1;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last);
        const char *values[] = {after, PG_PAGE_ROWS};
        int rows = 0;
        int rc = visit_rows(s, S_PERSON_EACH, 2, values, visit, ctx, &rows, &last, NULL, 0, err);
        if (rc != SP_OK || rows < PG_PAGE_ROWS_INT)
            return rc;
    }
}

int postgres_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    if (pg_walk_begin(s, err) != SP_OK)
        return SP_IO;
    int rc = each_pages(s, visit, ctx, err);
    pg_walk_end(s);
    return rc;
}

/* The pages of person_each_by_household: the members of each household together (households
 * in id order), then those without one. */
static int household_pages(struct pg_store *s, const char *country, person_visit_fn visit,
                           void *ctx, struct error *err)
{
    char household[PERSON_SHORT_SIZE] = "";
    int64_t last = -1;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last);
        const char *values[] = {country, household, after, PG_PAGE_ROWS};
        int rows = 0;
        int rc = visit_rows(s, S_BY_HOUSEHOLD, 4, values, visit, ctx, &rows, &last, household,
                            sizeof household, err);
        if (rc != SP_OK)
            return rc;
        if (rows < PG_PAGE_ROWS_INT)
            break;
    }
    last = -1;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last);
        const char *values[] = {country, after, PG_PAGE_ROWS};
        int rows = 0;
        int rc = visit_rows(s, S_NO_HOUSEHOLD, 3, values, visit, ctx, &rows, &last, NULL, 0, err);
        if (rc != SP_OK || rows < PG_PAGE_ROWS_INT)
            return rc;
    }
}

int postgres_person_each_by_household(void *handle, const char *country, person_visit_fn visit,
                                      void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    if (pg_walk_begin(s, err) != SP_OK)
        return SP_IO;
    int rc = household_pages(s, country, visit, ctx, err);
    pg_walk_end(s);
    return rc;
}

int postgres_household_members(void *handle, const char *household, person_visit_fn visit,
                               void *ctx, struct error *err)
{
    const char *values[] = {household};
    int rows;
    return visit_rows(handle, S_MEMBERS, 1, values, visit, ctx, &rows, NULL, NULL, 0, err);
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
