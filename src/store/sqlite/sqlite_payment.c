/*
 * sqlite_payment.c: payroll batches and payments in the SQLite driver (store_driver.h,
 * version 9; migrations/sqlite/0012). It has no payments_add: a statement of many rows would
 * need a statement journal (its CHECK constraints may abort it half way), which spills to a
 * temporary file at 64 KiB; measured, 40 times the writes and slower than the front's
 * statement a payment.
 */
#include <string.h>

#include "store/payment_row.h"
#include "store/sqlite/sqlite_impl.h"

int sqlite_payment_batch_add(void *handle, const struct payment_batch *b, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_PAYMENT_BATCH_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    char as_of[DATE_TEXT_SIZE];
    const char *texts[PAYMENT_BATCH_TEXTS];
    payment_batch_row_encode(b, as_of, texts);
    for (int i = 0; i < PAYMENT_BATCH_TEXTS; i++)
        sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if ((rc & 0xff) == SQLITE_CONSTRAINT)
        return error_set(err, SP_CONFLICT, "a payroll batch has the id %s already", b->id);
    return rc == SQLITE_DONE ? SP_OK : sq_error(s, "adding a payroll batch", err);
}

int sqlite_payment_batches_each(void *handle, payment_batch_visit_fn visit, void *ctx,
                                struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_PAYMENT_BATCHES, err);
    if (stmt == NULL)
        return SP_IO;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[PAYMENT_BATCH_TEXTS];
        for (int i = 0; i < PAYMENT_BATCH_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i);
        struct payment_batch b;
        payment_batch_row_decode(texts, &b);
        stop = visit(ctx, &b);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading payroll batches", err);
}

int sqlite_payment_batch_exported(void *handle, const char *id, const char *at, int32_t day,
                                  int *found, int64_t *moved, struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    *moved = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_PAYMENT_BATCH_EXPORTED, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, at, -1, SQLITE_STATIC);
    int rc = sq_run_changed(s, stmt, "recording an export", found, err);
    if (rc != SP_OK)
        return rc;
    stmt = sq_statement(s, S_PAYMENTS_EXPORTED, err);
    if (stmt == NULL)
        return SP_IO;
    char text[DATE_TEXT_SIZE];
    date_format(day, text);
    sqlite3_bind_text(stmt, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, text, -1, SQLITE_STATIC);
    rc = sq_run(s, stmt, "marking payments exported", err);
    if (rc == SP_OK)
        *moved = sqlite3_changes(s->db);
    return rc;
}

int sqlite_payment_add(void *handle, int64_t serial, const struct payment *p, int *added,
                       struct error *err)
{
    struct sqlite_store *s = handle;
    *added = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_PAYMENT_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    struct payment_row_room room;
    const char *texts[PAYMENT_TEXTS];
    payment_row_encode(p, &room, texts);
    sqlite3_bind_int64(stmt, 1, serial);
    for (int i = 0; i < PAYMENT_TEXTS; i++)
        sqlite3_bind_text(stmt, i + 2, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, p->amount); /* amount: a number, not text */
    if (p->reissue_of[0] == '\0')
        sqlite3_bind_null(stmt, PAYMENT_REISSUE_OF + 2);
    return sq_run_changed(s, stmt, "adding a payment", added, err);
}

int sqlite_payments_each(void *handle, const char *batch, int64_t serial,
                         store_payment_row_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_PAYMENTS, err);
    if (stmt == NULL)
        return SP_IO;
    if (batch != NULL)
        sqlite3_bind_text(stmt, 1, batch, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 1);
    sqlite3_bind_int64(stmt, 2, serial);
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[PAYMENT_TEXTS];
        for (int i = 0; i < PAYMENT_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        struct payment p;
        payment_row_decode(texts, &p);
        stop = visit(ctx, sqlite3_column_int64(stmt, 0), &p);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading payments", err);
}

int sqlite_payment_state_set(void *handle, int64_t serial, const struct payment *p, int *found,
                             struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_PAYMENT_STATE, err);
    if (stmt == NULL)
        return SP_IO;
    struct payment_row_room room;
    const char *texts[PAYMENT_TEXTS];
    payment_row_encode(p, &room, texts);
    sqlite3_bind_int64(stmt, 1, serial);
    sqlite3_bind_text(stmt, 2, p->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, texts[9], -1, SQLITE_STATIC);
    for (int i = 0; i < PAYMENT_STATES; i++)
        sqlite3_bind_text(stmt, 4 + i, texts[10 + i], -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 10, p->status_reason, -1, SQLITE_STATIC);
    return sq_run_changed(s, stmt, "changing a payment", found, err);
}
