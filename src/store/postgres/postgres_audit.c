/*
 * postgres_audit.c: the audit log in the PostgreSQL driver (store_driver.h, version 8;
 * migrations/postgres/0009).
 */
#include <string.h>

#include "store/audit_row.h"
#include "store/postgres/postgres_impl.h"

static void read_entry(PGresult *res, int row, struct audit_entry *e)
{
    const char *texts[AUDIT_TEXTS];
    for (int i = 0; i < AUDIT_TEXTS; i++)
        texts[i] = PQgetvalue(res, row, i);
    audit_row_decode(texts, e);
}

int postgres_audit_last(void *handle, struct audit_entry *out, int *found, struct error *err)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    PGresult *res = pg_run(handle, S_AUDIT_LAST, 0, NULL, "reading the audit log", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        read_entry(res, 0, out);
        *found = 1;
    }
    PQclear(res);
    return SP_OK;
}

int postgres_audit_add(void *handle, const struct audit_entry *e, struct error *err)
{
    char seq[PERSON_ROW_NUMBER_SIZE];
    const char *texts[AUDIT_TEXTS];
    audit_row_encode(e, seq, texts);
    return pg_run_none(handle, S_AUDIT_ADD, AUDIT_TEXTS, texts, "appending to the audit log", err);
}

int postgres_audit_each(void *handle, const char *object, audit_visit_fn visit, void *ctx,
                        struct error *err)
{
    const char *values[] = {object};
    PGresult *res = object != NULL
                        ? pg_run(handle, S_AUDIT_OF, 1, values, "reading the audit log", err)
                        : pg_run(handle, S_AUDIT_ALL, 0, NULL, "reading the audit log", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        struct audit_entry e;
        read_entry(res, row, &e);
        stop = visit(ctx, &e);
    }
    PQclear(res);
    return stop;
}
