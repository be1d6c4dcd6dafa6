/*
 * sqlite_shock.c: declared shocks in the SQLite driver (store_driver.h, version 14;
 * migrations/sqlite/0015).
 */
#include <string.h>

#include "store/shock_row.h"
#include "store/sqlite/sqlite_impl.h"

int sqlite_shock_add(void *handle, const struct shock *sh, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_SHOCK_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    struct shock_row_scratch sc;
    const char *texts[SHOCK_TEXTS];
    shock_row_encode(sh, &sc, texts);
    sqlite3_bind_int64(stmt, 1, sh->id);
    for (int i = 0; i < SHOCK_TEXTS; i++) {
        if (i == 7 || i == 8) /* the top-up's amount and rate: integers */
            sqlite3_bind_int64(stmt, 2 + i, i == 7 ? sh->top_up_amount : sh->top_up_rate);
        else
            sqlite3_bind_text(stmt, 2 + i, texts[i], -1, SQLITE_STATIC);
    }
    return sq_run(s, stmt, "declaring a shock", err);
}

int sqlite_shocks_each(void *handle, shock_visit_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_SHOCKS_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[SHOCK_TEXTS];
        for (int i = 0; i < SHOCK_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        struct shock sh;
        sh.id = sqlite3_column_int64(stmt, 0);
        shock_row_decode(texts, &sh);
        stop = visit(ctx, &sh);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the shocks", err);
}
