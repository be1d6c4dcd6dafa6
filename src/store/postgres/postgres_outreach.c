/*
 * postgres_outreach.c: the outreach and advocacy logs in the PostgreSQL driver
 * (store_driver.h, version 11; migrations/postgres/0014).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/outreach_row.h"
#include "store/postgres/postgres_impl.h"

int postgres_organisation_put(void *handle, const char *name, const char *network,
                              struct error *err)
{
    const char *values[] = {name, network};
    return pg_run_none(handle, S_ORGANISATION_PUT, 2, values, "naming an organisation", err);
}

int postgres_outreach_add(void *handle, const struct outreach_activity *a,
                          const struct outreach_participant *parts, const int64_t *serials, int n,
                          struct error *err)
{
    char id[OUTREACH_NUMBER_SIZE], day[DATE_TEXT_SIZE];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    const char *texts[OUTREACH_TEXTS];
    outreach_row_encode(a, day, texts);
    const char *values[1 + OUTREACH_TEXTS] = {id};
    for (int i = 0; i < OUTREACH_TEXTS; i++)
        values[1 + i] = texts[i];
    int rc =
        pg_run_none(handle, S_OUTREACH_ADD, 1 + OUTREACH_TEXTS, values, "logging an activity", err);
    for (int i = 0; rc == SP_OK && i < n; i++) {
        char seq[OUTREACH_NUMBER_SIZE], serial[OUTREACH_NUMBER_SIZE], count[OUTREACH_NUMBER_SIZE];
        snprintf(seq, sizeof seq, "%d", i + 1);
        snprintf(serial, sizeof serial, "%lld", (long long)serials[i]);
        snprintf(count, sizeof count, "%lld", (long long)(serials[i] > 0 ? 1 : parts[i].count));
        const char *row[] = {id,
                             seq,
                             serials[i] > 0 ? serial : NULL,
                             participant_sex_text(&parts[i]),
                             participant_youth_text(&parts[i]),
                             count};
        rc = pg_run_none(handle, S_PARTICIPANT_ADD, 6, row, "logging a participant", err);
    }
    return rc;
}

int postgres_outreach_each(void *handle, outreach_visit_fn visit,
                           store_participant_row_fn visit_part, void *ctx, struct error *err)
{
    PGresult *res = pg_run(handle, S_OUTREACH_ALL, 0, NULL, "reading the outreach log", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[OUTREACH_TEXTS];
        for (int i = 0; i < OUTREACH_TEXTS; i++)
            texts[i] = PQgetvalue(res, row, i + 1);
        struct outreach_activity a;
        a.id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
        outreach_row_decode(texts, PQgetvalue(res, row, 1 + OUTREACH_TEXTS), &a);
        stop = visit(ctx, &a);
    }
    PQclear(res);
    if (stop != 0)
        return stop;
    res = pg_run(handle, S_PARTICIPANTS_ALL, 0, NULL, "reading the outreach log", err);
    if (res == NULL)
        return SP_IO;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        struct outreach_participant p;
        participant_row_decode(strtoll(PQgetvalue(res, row, 0), NULL, 10), PQgetvalue(res, row, 3),
                               PQgetvalue(res, row, 4), strtoll(PQgetvalue(res, row, 5), NULL, 10),
                               &p);
        stop = visit_part(ctx, strtoll(PQgetvalue(res, row, 2), NULL, 10), &p);
    }
    PQclear(res);
    return stop;
}

int postgres_advocacy_add(void *handle, const struct advocacy *a, struct error *err)
{
    char id[OUTREACH_NUMBER_SIZE], day[DATE_TEXT_SIZE], numbers[3][OUTREACH_NUMBER_SIZE];
    snprintf(id, sizeof id, "%lld", (long long)a->id);
    const char *texts[ADVOCACY_TEXTS];
    advocacy_row_encode(a, day, numbers, texts);
    const char *values[1 + ADVOCACY_TEXTS] = {id};
    for (int i = 0; i < ADVOCACY_TEXTS; i++)
        values[1 + i] = i >= 5 && i <= 7 && texts[i][0] == '\0' ? NULL : texts[i];
    return pg_run_none(handle, S_ADVOCACY_ADD, 1 + ADVOCACY_TEXTS, values, "logging a proposal",
                       err);
}

int postgres_advocacy_each(void *handle, advocacy_visit_fn visit, void *ctx, struct error *err)
{
    PGresult *res = pg_run(handle, S_ADVOCACY_ALL, 0, NULL, "reading the advocacy log", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[ADVOCACY_TEXTS];
        for (int i = 0; i < ADVOCACY_TEXTS; i++)
            texts[i] = PQgetvalue(res, row, i + 1);
        struct advocacy a;
        a.id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
        advocacy_row_decode(texts, &a);
        stop = visit(ctx, &a);
    }
    PQclear(res);
    return stop;
}

int postgres_case_add(void *handle, const struct outreach_case *c, int64_t serial,
                      struct error *err)
{
    char id[OUTREACH_NUMBER_SIZE], numbers[3][OUTREACH_NUMBER_SIZE], days[2][DATE_TEXT_SIZE];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    const char *texts[CASE_TEXTS];
    case_row_encode(c, serial, numbers, days, texts);
    const char *values[1 + CASE_TEXTS] = {id};
    for (int i = 0; i < CASE_TEXTS; i++) /* no activity, an anonymous claimant: NULL */
        values[1 + i] = (i == 2 || i == 3) && texts[i][0] == '\0' ? NULL : texts[i];
    return pg_run_none(handle, S_CASE_ADD, 1 + CASE_TEXTS, values, "opening a case", err);
}

int postgres_case_update(void *handle, const struct outreach_case *c, int *found, struct error *err)
{
    char id[OUTREACH_NUMBER_SIZE], numbers[3][OUTREACH_NUMBER_SIZE], days[2][DATE_TEXT_SIZE];
    snprintf(id, sizeof id, "%lld", (long long)c->id);
    const char *texts[CASE_TEXTS];
    case_row_encode(c, 0, numbers, days, texts);
    const char *values[1 + CASE_UPDATE_TEXTS] = {id};
    for (int i = 0; i < CASE_UPDATE_TEXTS; i++)
        values[1 + i] = texts[9 + i];
    return pg_run_changed(handle, S_CASE_UPDATE, 1 + CASE_UPDATE_TEXTS, values, "updating a case",
                          found, err);
}

int postgres_cases_each(void *handle, store_case_row_fn visit, void *ctx, struct error *err)
{
    PGresult *res = pg_run(handle, S_CASES_ALL, 0, NULL, "reading the cases", err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[CASE_TEXTS];
        for (int i = 0; i < CASE_TEXTS; i++)
            texts[i] = PQgetvalue(res, row, i + 1);
        struct outreach_case c;
        int64_t serial = 0;
        c.id = strtoll(PQgetvalue(res, row, 0), NULL, 10);
        case_row_decode(texts, &c, &serial);
        stop = visit(ctx, serial, &c);
    }
    PQclear(res);
    return stop;
}
