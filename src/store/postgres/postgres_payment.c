/*
 * postgres_payment.c: payroll batches and payments in the PostgreSQL driver (store_driver.h,
 * version 9; migrations/postgres/0012).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/payment_row.h"
#include "store/postgres/postgres_impl.h"

int postgres_payment_batch_add(void *handle, const struct payment_batch *b, struct error *err)
{
    char as_of[DATE_TEXT_SIZE];
    const char *texts[PAYMENT_BATCH_TEXTS];
    payment_batch_row_encode(b, as_of, texts);
    PGresult *res = pg_run(handle, S_PAYMENT_BATCH_ADD, PAYMENT_BATCH_TEXTS, texts,
                           "adding a payroll batch", err);
    if (res == NULL)
        return err->code ? err->code : SP_IO;
    PQclear(res);
    return SP_OK;
}

int postgres_payment_batches_each(void *handle, payment_batch_visit_fn visit, void *ctx,
                                  struct error *err)
{
    PGresult *res = pg_run(handle, S_PAYMENT_BATCHES, 0, NULL, "reading payroll batches", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[PAYMENT_BATCH_TEXTS];
        for (int i = 0; i < PAYMENT_BATCH_TEXTS; i++)
            texts[i] = PQgetvalue(res, row, i);
        struct payment_batch b;
        payment_batch_row_decode(texts, &b);
        stop = visit(ctx, &b);
    }
    PQclear(res);
    return stop;
}

int postgres_payment_batch_exported(void *handle, const char *id, const char *at, int32_t day,
                                    int *found, int64_t *moved, struct error *err)
{
    *found = 0;
    *moved = 0;
    const char *values[] = {id, at};
    PGresult *res = pg_run(handle, S_PAYMENT_BATCH_EXPORTED, 2, values, "recording an export", err);
    if (res == NULL)
        return SP_IO;
    *found = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    char text[DATE_TEXT_SIZE];
    date_format(day, text);
    values[1] = text;
    res = pg_run(handle, S_PAYMENTS_EXPORTED, 2, values, "marking payments exported", err);
    if (res == NULL)
        return SP_IO;
    *moved = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return SP_OK;
}

int postgres_payment_add(void *handle, int64_t serial, const struct payment *p, int *added,
                         struct error *err)
{
    *added = 0;
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    struct payment_row_room room;
    const char *texts[PAYMENT_TEXTS];
    payment_row_encode(p, &room, texts);
    const char *values[1 + PAYMENT_TEXTS] = {serial_text};
    for (int i = 0; i < PAYMENT_TEXTS; i++)
        values[1 + i] = texts[i];
    if (p->reissue_of[0] == '\0')
        values[1 + PAYMENT_REISSUE_OF] = NULL;
    PGresult *res =
        pg_run(handle, S_PAYMENT_ADD, 1 + PAYMENT_TEXTS, values, "adding a payment", err);
    if (res == NULL)
        return SP_IO;
    *added = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    return SP_OK;
}

int postgres_payments_each(void *handle, const char *batch, int64_t serial,
                           store_payment_row_fn visit, void *ctx, struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *values[] = {batch, serial_text};
    PGresult *res = pg_run(handle, S_PAYMENTS, 2, values, "reading payments", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[PAYMENT_TEXTS];
        for (int i = 0; i < PAYMENT_TEXTS; i++)
            texts[i] = PQgetisnull(res, row, i + 1) ? "" : PQgetvalue(res, row, i + 1);
        struct payment p;
        payment_row_decode(texts, &p);
        stop = visit(ctx, strtoll(PQgetvalue(res, row, 0), NULL, 10), &p);
    }
    PQclear(res);
    return stop;
}

int postgres_payment_state_set(void *handle, int64_t serial, const struct payment *p, int *found,
                               struct error *err)
{
    *found = 0;
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    struct payment_row_room room;
    const char *texts[PAYMENT_TEXTS];
    payment_row_encode(p, &room, texts);
    const char *values[10] = {serial_text, p->id, texts[9]};
    for (int i = 0; i < PAYMENT_STATES; i++)
        values[3 + i] = texts[10 + i];
    values[9] = p->status_reason;
    PGresult *res = pg_run(handle, S_PAYMENT_STATE, 10, values, "changing a payment", err);
    if (res == NULL)
        return SP_IO;
    *found = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    return SP_OK;
}
