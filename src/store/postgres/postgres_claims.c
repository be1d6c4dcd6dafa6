/*
 * postgres_claims.c: claims and grievances, with their steps and evidence, in the PostgreSQL
 * driver (store_driver.h, version 9; migrations/postgres/0011).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/claim_row.h"
#include "store/postgres/postgres_impl.h"

/* Runs the write `which` with serial as $1 and the n texts as $2.. ("" as NULL). */
static int put(struct pg_store *s, enum pg_statement which, int64_t serial,
               const char *const *texts, int n, const char *doing, struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *values[1 + CLAIM_ROW_TEXTS_MAX] = {serial_text};
    for (int i = 0; i < n; i++)
        values[1 + i] = texts[i][0] != '\0' ? texts[i] : NULL;
    return pg_run_none(s, which, 1 + n, values, doing, err);
}

/* Runs the query `which` with the n_keys integers as $1.., handing each row to fn with walk. */
static int each(struct pg_store *s, enum pg_statement which, const int64_t *keys, int n_keys,
                int n_texts, claim_row_visit_fn fn, void *walk, const char *doing,
                struct error *err)
{
    char key_texts[2][PERSON_ROW_NUMBER_SIZE];
    const char *values[2];
    for (int k = 0; k < n_keys; k++) {
        snprintf(key_texts[k], sizeof key_texts[k], "%lld", (long long)keys[k]);
        values[k] = key_texts[k];
    }
    PGresult *res = pg_run(s, which, n_keys, values, doing, err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int row = 0; stop == 0 && row < PQntuples(res); row++) {
        const char *texts[CLAIM_ROW_TEXTS_MAX];
        for (int i = 0; i < n_texts; i++)
            texts[i] = PQgetvalue(res, row, i + 1);
        stop = fn(walk, strtoll(PQgetvalue(res, row, 0), NULL, 10), texts);
    }
    PQclear(res);
    return stop;
}

int postgres_counter_next(void *handle, const char *name, int64_t *out, struct error *err)
{
    const char *values[] = {name};
    return pg_read_int64(handle, S_COUNTER_NEXT, 1, values, out, "counting", err);
}

/* ---- claims ---- */

int postgres_claim_put(void *handle, int64_t serial, const struct claim *c, int insert,
                       struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[CLAIM_TEXTS];
    claim_row_encode(c, &sc, texts);
    return put(handle, insert ? S_CLAIM_INSERT : S_CLAIM_UPDATE, serial, texts, CLAIM_TEXTS,
               "storing a claim", err);
}

int postgres_claims_each(void *handle, int64_t serial, int64_t id, store_claim_row_fn visit,
                         void *ctx, struct error *err)
{
    struct claim_row_walk w = {.claim = visit, .ctx = ctx};
    int64_t key = serial > 0 ? serial : id;
    enum pg_statement which = serial > 0 ? S_CLAIMS_OF : id > 0 ? S_CLAIM_BY_ID : S_CLAIMS_ALL;
    return each(handle, which, &key, which == S_CLAIMS_ALL ? 0 : 1, CLAIM_TEXTS, claim_row_visit,
                &w, "reading claims", err);
}

int postgres_claim_step_add(void *handle, int64_t serial, const struct claim_step *st,
                            struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[CLAIM_STEP_TEXTS];
    claim_step_row_encode(st, &sc, texts);
    return put(handle, S_CLAIM_STEP_ADD, serial, texts, CLAIM_STEP_TEXTS,
               "recording a claim's step", err);
}

int postgres_claim_steps_each(void *handle, int64_t serial, int64_t id, claim_step_visit_fn visit,
                              void *ctx, struct error *err)
{
    struct claim_row_walk w = {.claim_step = visit, .ctx = ctx};
    int64_t keys[] = {serial, id};
    return each(handle, S_CLAIM_STEPS, keys, 2, CLAIM_STEP_TEXTS, claim_step_row_visit, &w,
                "reading a claim's steps", err);
}

int postgres_claim_evidence_add(void *handle, int64_t serial, const struct claim_evidence *e,
                                struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[CLAIM_EVIDENCE_TEXTS];
    claim_evidence_row_encode(e, &sc, texts);
    return put(handle, S_EVIDENCE_ADD, serial, texts, CLAIM_EVIDENCE_TEXTS, "attaching a document",
               err);
}

int postgres_claim_evidence_each(void *handle, int64_t serial, int64_t id,
                                 claim_evidence_visit_fn visit, void *ctx, struct error *err)
{
    struct claim_row_walk w = {.claim_evidence = visit, .ctx = ctx};
    int64_t keys[] = {serial, id};
    return each(handle, S_EVIDENCE_OF, keys, 2, CLAIM_EVIDENCE_TEXTS, claim_evidence_row_visit, &w,
                "reading a claim's documents", err);
}

/* ---- grievances ---- */

int postgres_grievance_put(void *handle, int64_t serial, const struct grievance *g, int insert,
                           struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[GRIEVANCE_TEXTS];
    grievance_row_encode(g, &sc, texts);
    return put(handle, insert ? S_GRIEVANCE_INSERT : S_GRIEVANCE_UPDATE, serial, texts,
               GRIEVANCE_TEXTS, "storing a grievance", err);
}

int postgres_grievances_each(void *handle, int64_t serial, int64_t id, int open_only,
                             store_grievance_row_fn visit, void *ctx, struct error *err)
{
    struct claim_row_walk w = {.grievance = visit, .ctx = ctx};
    int64_t key = serial > 0 ? serial : id;
    enum pg_statement which = serial > 0  ? S_GRIEVANCES_OF
                              : id > 0    ? S_GRIEVANCE_BY_ID
                              : open_only ? S_GRIEVANCES_OPEN
                                          : S_GRIEVANCES_ALL;
    int n_keys = serial > 0 || id > 0;
    return each(handle, which, &key, n_keys, GRIEVANCE_TEXTS, grievance_row_visit, &w,
                "reading grievances", err);
}

int postgres_grievance_step_add(void *handle, int64_t serial, const struct grievance_step *st,
                                struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[GRIEVANCE_STEP_TEXTS];
    grievance_step_row_encode(st, &sc, texts);
    return put(handle, S_GRIEVANCE_STEP_ADD, serial, texts, GRIEVANCE_STEP_TEXTS,
               "recording a grievance's step", err);
}

int postgres_grievance_steps_each(void *handle, int64_t serial, int64_t id,
                                  grievance_step_visit_fn visit, void *ctx, struct error *err)
{
    struct claim_row_walk w = {.grievance_step = visit, .ctx = ctx};
    int64_t keys[] = {serial, id};
    return each(handle, S_GRIEVANCE_STEPS, keys, 2, GRIEVANCE_STEP_TEXTS, grievance_step_row_visit,
                &w, "reading a grievance's steps", err);
}
