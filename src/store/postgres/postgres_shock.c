/*
 * postgres_shock.c: declared shocks in the PostgreSQL driver (store_driver.h, version 14;
 * migrations/postgres/0015).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/postgres/postgres_impl.h"
#include "store/shock_row.h"

int postgres_shock_add(void *handle, const struct shock *sh, struct error *err)
{
    char id[SHOCK_NUMBER_SIZE];
    snprintf(id, sizeof id, "%lld", (long long)sh->id);
    struct shock_row_scratch sc;
    const char *texts[SHOCK_TEXTS];
    shock_row_encode(sh, &sc, texts);
    const char *values[1 + SHOCK_TEXTS] = {id};
    for (int i = 0; i < SHOCK_TEXTS; i++)
        values[1 + i] = texts[i];
    return pg_run_none(handle, S_SHOCK_ADD, 1 + SHOCK_TEXTS, values, "declaring a shock", err);
}

int postgres_shocks_each(void *handle, shock_visit_fn visit, void *ctx, struct error *err)
{
    PGresult *res = pg_run(handle, S_SHOCKS_ALL, 0, NULL, "reading the shocks", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[SHOCK_TEXTS];
        for (int i = 0; i < SHOCK_TEXTS; i++)
            texts[i] = PQgetvalue(res, row, i + 1);
        struct shock sh;
        sh.id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
        shock_row_decode(texts, &sh);
        stop = visit(ctx, &sh);
    }
    PQclear(res);
    return stop;
}
