/*
 * postgres_enrolment.c: enrolments in the PostgreSQL driver (store_driver.h, version 7;
 * migrations/postgres/0008).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/enrolment_row.h"
#include "store/postgres/postgres_impl.h"

int postgres_enrolment_add(void *handle, int64_t serial, const struct enrolment_record *r,
                           int *added, struct error *err)
{
    *added = 0;
    char serial_text[PERSON_ROW_NUMBER_SIZE], days[3][DATE_TEXT_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *texts[ENROLMENT_TEXTS];
    enrolment_row_encode(r, days, texts);
    const char *values[1 + ENROLMENT_TEXTS] = {serial_text};
    for (int i = 0; i < ENROLMENT_TEXTS; i++)
        values[1 + i] = texts[i];
    if (texts[2][0] == '\0')
        values[3] = NULL; /* to_date: open */
    PGresult *res = pg_run(handle, S_ENROLMENT_ADD, 1 + ENROLMENT_TEXTS, values, "enrolling", err);
    if (res == NULL)
        return SP_IO;
    *added = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    return SP_OK;
}

int postgres_enrolments_each(void *handle, int64_t serial, store_enrolment_row_fn visit, void *ctx,
                             struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *values[] = {serial_text};
    PGresult *res = serial > 0
                        ? pg_run(handle, S_ENROLMENTS_OF, 1, values, "reading enrolments", err)
                        : pg_run(handle, S_ENROLMENTS_ALL, 0, NULL, "reading enrolments", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[ENROLMENT_TEXTS];
        for (int i = 0; i < ENROLMENT_TEXTS; i++)
            texts[i] = PQgetvalue(res, row, i + 1);
        struct enrolment_record r;
        enrolment_row_decode(texts, &r);
        stop = visit(ctx, strtoll(PQgetvalue(res, row, 0), NULL, 10), &r);
    }
    PQclear(res);
    return stop;
}

int postgres_enrolment_state_set(void *handle, int64_t serial, const struct enrolment_record *r,
                                 int *found, struct error *err)
{
    *found = 0;
    char serial_text[PERSON_ROW_NUMBER_SIZE], days[3][DATE_TEXT_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *texts[ENROLMENT_TEXTS];
    enrolment_row_encode(r, days, texts);
    const char *values[] = {
        serial_text, texts[0], texts[3], texts[4], texts[2][0] ? texts[2] : NULL,
        texts[5],    texts[7], texts[8]};
    return pg_run_changed(handle, S_ENROLMENT_STATE, 8, values, "changing an enrolment", found,
                          err);
}
