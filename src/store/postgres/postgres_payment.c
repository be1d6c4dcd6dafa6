/*
 * postgres_payment.c: payroll batches and payments in the PostgreSQL driver (store_driver.h,
 * version 9, payments_add 17; migrations/postgres/0012).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "store/payment_row.h"
#include "store/postgres/postgres_impl.h"

#define PAYMENT_ARRAY_MAX ((size_t)1 << 28) /* bytes of one column's array literal */

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
    int rc = pg_run_changed(handle, S_PAYMENT_BATCH_EXPORTED, 2, values, "recording an export",
                            found, err);
    if (rc != SP_OK)
        return rc;
    char text[DATE_TEXT_SIZE];
    date_format(day, text);
    values[1] = text;
    PGresult *res =
        pg_run(handle, S_PAYMENTS_EXPORTED, 2, values, "marking payments exported", err);
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

/* Appends value to the array literal b ("{...}"), quoted, with \\ and " escaped; NULL for a
 * NULL value. */
static int array_item(struct buf *b, const char *value, struct error *err)
{
    int rc = buf_putc(b, b->len > 0 ? ',' : '{', err);
    if (rc == SP_OK && value == NULL)
        return buf_puts(b, "NULL", err);
    if (rc == SP_OK)
        rc = buf_putc(b, '"', err);
    for (const char *c = value; rc == SP_OK && *c != '\0'; c++) {
        if (*c == '"' || *c == '\\')
            rc = buf_putc(b, '\\', err);
        if (rc == SP_OK)
            rc = buf_putc(b, *c, err);
    }
    return rc == SP_OK ? buf_putc(b, '"', err) : rc;
}

/* All n payments in one statement: each column an array, the rows unnest makes of them. */
int postgres_payments_add(void *handle, const int64_t *serials, const struct payment *p, int n,
                          int *added, struct error *err)
{
    if (n <= 0)
        return SP_OK;
    struct buf columns[1 + PAYMENT_TEXTS];
    for (int c = 0; c < 1 + PAYMENT_TEXTS; c++)
        buf_init(&columns[c], PAYMENT_ARRAY_MAX);
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        added[i] = 0;
        char serial_text[PERSON_ROW_NUMBER_SIZE];
        snprintf(serial_text, sizeof serial_text, "%lld", (long long)serials[i]);
        struct payment_row_room room;
        const char *texts[PAYMENT_TEXTS];
        payment_row_encode(&p[i], &room, texts);
        if (p[i].reissue_of[0] == '\0')
            texts[PAYMENT_REISSUE_OF] = NULL;
        rc = array_item(&columns[0], serial_text, err);
        for (int c = 0; c < PAYMENT_TEXTS && rc == SP_OK; c++)
            rc = array_item(&columns[1 + c], texts[c], err);
    }
    const char *values[1 + PAYMENT_TEXTS];
    for (int c = 0; c < 1 + PAYMENT_TEXTS && rc == SP_OK; c++) {
        rc = buf_putc(&columns[c], '}', err);
        values[c] = columns[c].data;
    }
    PGresult *res = NULL;
    if (rc == SP_OK) {
        res = pg_run(handle, S_PAYMENTS_ADD, 1 + PAYMENT_TEXTS, values, "adding payments", err);
        rc = res != NULL ? SP_OK : SP_IO;
    }
    int at = 0;
    for (int row = 0; res != NULL && row < PQntuples(res); row++)
        payment_row_mark_added(serials, p, n, strtoll(PQgetvalue(res, row, 0), NULL, 10),
                               PQgetvalue(res, row, 1), added, &at);
    PQclear(res);
    for (int c = 0; c < 1 + PAYMENT_TEXTS; c++)
        buf_release(&columns[c]);
    return rc;
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
    return pg_run_changed(handle, S_PAYMENT_STATE, 10, values, "changing a payment", found, err);
}
