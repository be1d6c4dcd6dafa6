/*
 * postgres_contribution.c: the contributions ledger in the PostgreSQL driver (store_driver.h,
 * version 9; migrations/postgres/0010, contribution_row.h). Entries are appended with COPY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/contribution_row.h"
#include "store/postgres/postgres_impl.h"

#define LEDGER_COPY_BYTES_MAX ((size_t)1 << 30)

int postgres_contribution_last(void *handle, int64_t *last, struct error *err)
{
    return pg_read_int64(handle, S_CONTRIBUTION_LAST, 0, NULL, last, "reading the ledger", err);
}

int postgres_contributions_add(void *handle, const struct contribution_entry *entries,
                               const int64_t *serials, int n, struct error *err)
{
    if (n <= 0)
        return SP_OK;
    struct buf data;
    buf_init(&data, LEDGER_COPY_BYTES_MAX);
    struct contribution_row_text room;
    const char *texts[CONTRIBUTION_TEXTS];
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        contribution_row_encode(&entries[i], serials[i], &room, texts);
        rc = pg_copy_row(&data, texts, CONTRIBUTION_TEXTS, err);
    }
    if (rc == SP_OK)
        rc = pg_copy_in(handle, "COPY contributions (" CONTRIBUTION_COLUMNS ") FROM STDIN", &data,
                        "booking contributions", err);
    buf_release(&data);
    return rc;
}

/* Visits the rows of an entries result, then clears it; a non-zero visit return stops. */
static int visit_entries(PGresult *res, store_contribution_row_fn visit, void *ctx)
{
    struct contribution_entry e;
    const char *texts[CONTRIBUTION_TEXTS];
    int64_t serial;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        for (int c = 0; c < CONTRIBUTION_TEXTS; c++)
            texts[c] = PQgetisnull(res, row, c) ? NULL : PQgetvalue(res, row, c);
        contribution_row_decode(texts, &e, &serial);
        stop = visit(ctx, serial, &e);
    }
    PQclear(res);
    return stop;
}

int postgres_contributions_each(void *handle, int64_t from, int64_t to,
                                store_contribution_row_fn visit, void *ctx, struct error *err)
{
    char from_text[CONTRIBUTION_NUMBER_SIZE], to_text[CONTRIBUTION_NUMBER_SIZE];
    snprintf(from_text, sizeof from_text, "%lld", (long long)from);
    snprintf(to_text, sizeof to_text, "%lld", (long long)to);
    const char *values[] = {from_text, to_text};
    PGresult *res = pg_run(handle, S_CONTRIBUTIONS, 2, values, "reading the ledger", err);
    return res != NULL ? visit_entries(res, visit, ctx) : SP_IO;
}

int postgres_contributions_of(void *handle, const int64_t *serials, int n,
                              store_contribution_row_fn visit, void *ctx, struct error *err)
{
    struct buf list;
    buf_init(&list, (size_t)INT32_MAX);
    PGresult *res = NULL;
    if (event_row_serial_list(serials, n, '{', '}', &list, err) == SP_OK) {
        const char *values[] = {list.data};
        res = pg_run(handle, S_CONTRIBUTIONS_OF, 1, values, "reading the ledger", err);
    }
    buf_release(&list);
    return res != NULL ? visit_entries(res, visit, ctx) : SP_IO;
}

int postgres_contributors_each(void *handle, int (*visit)(void *ctx, int64_t serial), void *ctx,
                               struct error *err)
{
    return pg_serials_each(handle, S_CONTRIBUTORS, visit, ctx, "reading who has contributions",
                           err);
}
