/*
 * sqlite_outreach.c: the outreach and advocacy logs in the SQLite driver (store_driver.h,
 * version 11; migrations/sqlite/0014).
 */
#include <string.h>

#include "store/outreach_row.h"
#include "store/sqlite/sqlite_impl.h"

int sqlite_organisation_put(void *handle, const char *name, const char *network, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_ORGANISATION_PUT, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, network, -1, SQLITE_STATIC);
    return sq_run(s, stmt, "naming an organisation", err);
}

int sqlite_outreach_add(void *handle, const struct outreach_activity *a,
                        const struct outreach_participant *parts, const int64_t *serials, int n,
                        struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_OUTREACH_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    char day[DATE_TEXT_SIZE];
    const char *texts[OUTREACH_TEXTS];
    outreach_row_encode(a, day, texts);
    sqlite3_bind_int64(stmt, 1, a->id);
    for (int i = 0; i < OUTREACH_TEXTS; i++)
        sqlite3_bind_text(stmt, 2 + i, texts[i], -1, SQLITE_STATIC);
    int rc = sq_run(s, stmt, "logging an activity", err);
    for (int i = 0; rc == SP_OK && i < n; i++) {
        stmt = sq_statement(s, S_PARTICIPANT_ADD, err);
        if (stmt == NULL)
            return SP_IO;
        sqlite3_bind_int64(stmt, 1, a->id);
        sqlite3_bind_int64(stmt, 2, i + 1);
        if (serials[i] > 0)
            sqlite3_bind_int64(stmt, 3, serials[i]);
        else
            sqlite3_bind_null(stmt, 3);
        sqlite3_bind_text(stmt, 4, participant_sex_text(&parts[i]), -1, SQLITE_STATIC);
        sqlite3_bind_text(stmt, 5, participant_youth_text(&parts[i]), -1, SQLITE_STATIC);
        sqlite3_bind_int64(stmt, 6, serials[i] > 0 ? 1 : parts[i].count);
        rc = sq_run(s, stmt, "logging a participant", err);
    }
    return rc;
}

int sqlite_outreach_each(void *handle, outreach_visit_fn visit, store_participant_row_fn visit_part,
                         void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_OUTREACH_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[OUTREACH_TEXTS];
        for (int i = 0; i < OUTREACH_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        struct outreach_activity a;
        a.id = sqlite3_column_int64(stmt, 0);
        outreach_row_decode(texts, sq_column_text(stmt, 1 + OUTREACH_TEXTS), &a);
        stop = visit(ctx, &a);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    if (step != SQLITE_DONE)
        return sq_error(s, "reading the outreach log", err);
    stmt = sq_statement(s, S_PARTICIPANTS_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        struct outreach_participant p;
        participant_row_decode(sqlite3_column_int64(stmt, 0), sq_column_text(stmt, 3),
                               sq_column_text(stmt, 4), sqlite3_column_int64(stmt, 5), &p);
        stop = visit_part(ctx, sqlite3_column_int64(stmt, 2), &p);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the outreach log", err);
}

int sqlite_advocacy_add(void *handle, const struct advocacy *a, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_ADVOCACY_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    char day[DATE_TEXT_SIZE], numbers[3][OUTREACH_NUMBER_SIZE];
    const char *texts[ADVOCACY_TEXTS];
    advocacy_row_encode(a, day, numbers, texts);
    sqlite3_bind_int64(stmt, 1, a->id);
    for (int i = 0; i < ADVOCACY_TEXTS; i++) {
        if (i >= 5 && i <= 7) { /* the benefits: integers, NULL when not given */
            const int64_t v[3] = {a->benefit, a->benefit_women, a->benefit_young};
            if (v[i - 5] >= 0)
                sqlite3_bind_int64(stmt, 2 + i, v[i - 5]);
            else
                sqlite3_bind_null(stmt, 2 + i);
            continue;
        }
        sqlite3_bind_text(stmt, 2 + i, texts[i], -1, SQLITE_STATIC);
    }
    return sq_run(s, stmt, "logging a proposal", err);
}

int sqlite_advocacy_each(void *handle, advocacy_visit_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_ADVOCACY_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[ADVOCACY_TEXTS];
        for (int i = 0; i < ADVOCACY_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        struct advocacy a;
        a.id = sqlite3_column_int64(stmt, 0);
        advocacy_row_decode(texts, &a);
        stop = visit(ctx, &a);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the advocacy log", err);
}

int sqlite_case_add(void *handle, const struct outreach_case *c, int64_t serial, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CASE_ADD, err);
    if (stmt == NULL)
        return SP_IO;
    char numbers[3][OUTREACH_NUMBER_SIZE], days[2][DATE_TEXT_SIZE];
    const char *texts[CASE_TEXTS];
    case_row_encode(c, serial, numbers, days, texts);
    sqlite3_bind_int64(stmt, 1, c->id);
    for (int i = 0; i < CASE_TEXTS; i++) {
        if ((i == 2 || i == 3) && texts[i][0] == '\0')
            sqlite3_bind_null(stmt, 2 + i); /* no activity; an anonymous claimant */
        else
            sqlite3_bind_text(stmt, 2 + i, texts[i], -1, SQLITE_STATIC);
    }
    return sq_run(s, stmt, "opening a case", err);
}

int sqlite_case_update(void *handle, const struct outreach_case *c, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CASE_UPDATE, err);
    if (stmt == NULL)
        return SP_IO;
    char numbers[3][OUTREACH_NUMBER_SIZE], days[2][DATE_TEXT_SIZE];
    const char *texts[CASE_TEXTS];
    case_row_encode(c, 0, numbers, days, texts);
    const int columns[CASE_UPDATE_TEXTS] = {9, 10, 11, 12, 13, 14, 15};
    sqlite3_bind_int64(stmt, 1, c->id);
    for (int i = 0; i < CASE_UPDATE_TEXTS; i++)
        sqlite3_bind_text(stmt, 2 + i, texts[columns[i]], -1, SQLITE_STATIC);
    return sq_run_changed(s, stmt, "updating a case", found, err);
}

int sqlite_cases_each(void *handle, store_case_row_fn visit, void *ctx, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_CASES_ALL, err);
    if (stmt == NULL)
        return SP_IO;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[CASE_TEXTS];
        for (int i = 0; i < CASE_TEXTS; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        struct outreach_case c;
        int64_t serial = 0;
        c.id = sqlite3_column_int64(stmt, 0);
        case_row_decode(texts, &c, &serial);
        stop = visit(ctx, serial, &c);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, "reading the cases", err);
}
