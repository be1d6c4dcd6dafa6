/*
 * postgres_search.c: the text index of the PostgreSQL driver: person_search (migration
 * 0007_search.sql), one row per person, with pg_trgm's GIN index on its text.
 *
 * A search's terms (store_search) become LIKE conditions on the text: for each term, its
 * alternatives as '%word%' patterns joined by OR, the terms joined by AND. The terms are letters
 * and digits (search_text.h), so no pattern holds a wildcard of its own. The statement text
 * holds only placeholders, as many as the search has alternatives, and every value is a
 * parameter; it is planned for its values each time (PQexecParams), so that the planner sees the
 * patterns and uses the trigram index. Ranked: texts holding the whole search first, then the
 * others, each by worker ID.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "store/postgres/postgres_impl.h"

#define SQL_SIZE     4096
#define PATTERN_SIZE (STORE_SEARCH_WORD + 2)
#define VALUES_MAX   (5 + 2 * STORE_SEARCH_TERMS)

int postgres_search_put(void *handle, const int64_t *serials, const char *const *texts, int n,
                        struct error *err)
{
    struct pg_store *s = handle;
    struct buf ids, bodies;
    buf_init(&ids, PG_COPY_BYTES_MAX);
    buf_init(&bodies, PG_COPY_BYTES_MAX);
    int rc = SP_OK;
    char number[24];
    for (int i = 0; i < n && rc == SP_OK; i++) {
        snprintf(number, sizeof number, "%lld", (long long)serials[i]);
        rc = pg_array_item(&ids, number, err);
        if (rc == SP_OK)
            rc = pg_array_item(&bodies, texts[i], err);
    }
    if (rc == SP_OK)
        rc = buf_putc(&ids, '}', err);
    if (rc == SP_OK)
        rc = buf_putc(&bodies, '}', err);
    if (rc == SP_OK) {
        const char *values[] = {ids.data, bodies.data};
        PGresult *res = pg_run(s, S_SEARCH_PUT, 2, values, "indexing persons for search", err);
        rc = res != NULL ? SP_OK : SP_IO;
        PQclear(res);
    }
    buf_release(&ids);
    buf_release(&bodies);
    return rc;
}

int postgres_search_find(void *handle, const struct store_search *q, person_visit_fn visit,
                         void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    char sql[SQL_SIZE];
    char patterns[2 * STORE_SEARCH_TERMS][PATTERN_SIZE];
    const char *values[VALUES_MAX];
    char limit[16], offset[16];
    snprintf(limit, sizeof limit, "%d", q->limit);
    snprintf(offset, sizeof offset, "%d", q->offset);
    values[0] = q->country;
    values[1] = q->exact;
    values[2] = limit;
    values[3] = offset;
    int n = 4, used = 0;
    size_t len = (size_t)snprintf(sql, sizeof sql,
                                  PG_SELECT_PERSON "JOIN person_search USING (serial) WHERE "
                                                   "($1::text IS NULL OR country = $1::text)");
    for (int t = 0; t < q->n_terms && t < STORE_SEARCH_TERMS; t++) {
        len += (size_t)snprintf(sql + len, sizeof sql - len, " AND (");
        for (int a = 0; a < 2; a++) {
            if (q->terms[t][a][0] == '\0')
                continue;
            snprintf(patterns[used], PATTERN_SIZE, "%%%s%%", q->terms[t][a]);
            values[n++] = patterns[used++];
            len += (size_t)snprintf(sql + len, sizeof sql - len, "%sbody LIKE $%d",
                                    a > 0 ? " OR " : "", n);
        }
        len += (size_t)snprintf(sql + len, sizeof sql - len, ")");
    }
    snprintf(sql + len, sizeof sql - len,
             " ORDER BY strpos(body, $2::text) = 0, serial LIMIT $3::int "
             "OFFSET $4::int");
    PGresult *res = PQexecParams(s->conn, sql, n, NULL, values, NULL, NULL, 0);
    if (res == NULL || PQresultStatus(res) != PGRES_TUPLES_OK) {
        int rc = pg_error(s, res, "searching persons", err);
        PQclear(res);
        return rc;
    }
    int rc = pg_visit_result(s, res, visit, ctx);
    PQclear(res);
    return rc;
}

int postgres_search_stale(void *handle, int *stale, struct error *err)
{
    int64_t value = 0;
    int rc =
        pg_read_int64(handle, S_SEARCH_STALE, 0, NULL, &value, "reading the search index", err);
    *stale = value != 0;
    return rc;
}

int postgres_search_fresh(void *handle, struct error *err)
{
    PGresult *res = pg_run(handle, S_SEARCH_FRESH, 0, NULL, "recording the search index", err);
    int rc = res != NULL ? SP_OK : SP_IO;
    PQclear(res);
    return rc;
}
