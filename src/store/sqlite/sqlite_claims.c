/*
 * sqlite_claims.c: claims and grievances, with their steps and evidence, in the SQLite driver
 * (store_driver.h, version 9; migrations/sqlite/0011).
 */
#include <string.h>

#include "store/claim_row.h"
#include "store/sqlite/sqlite_impl.h"

/* Runs the write `which` with serial as ?1 and the n texts as ?2.. ("" as NULL). */
static int put(struct sqlite_store *s, enum statement which, int64_t serial,
               const char *const *texts, int n, const char *doing, struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_int64(stmt, 1, serial);
    for (int i = 0; i < n; i++)
        sq_bind_text(stmt, i + 1, texts[i]);
    return sq_run(s, stmt, doing, err);
}

/* Runs the query `which` with the n_keys integers as ?1.., handing each row to fn with walk. */
static int each(struct sqlite_store *s, enum statement which, const int64_t *keys, int n_keys,
                int n_texts, claim_row_visit_fn fn, void *walk, const char *doing,
                struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt == NULL)
        return SP_IO;
    for (int k = 0; k < n_keys; k++)
        sqlite3_bind_int64(stmt, k + 1, keys[k]);
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW) {
        const char *texts[CLAIM_ROW_TEXTS_MAX];
        for (int i = 0; i < n_texts; i++)
            texts[i] = sq_column_text(stmt, i + 1);
        stop = fn(walk, sqlite3_column_int64(stmt, 0), texts);
    }
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, doing, err);
}

int sqlite_counter_next(void *handle, const char *name, int64_t *out, struct error *err)
{
    struct sqlite_store *s = handle;
    *out = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_COUNTER_NEXT, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return rc == SQLITE_DONE
                   ? error_set(err, SP_IO, "%s: the counter %s is missing", s->location, name)
                   : sq_error(s, "counting", err);
    return SP_OK;
}

/* ---- claims ---- */

int sqlite_claim_put(void *handle, int64_t serial, const struct claim *c, int insert,
                     struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[CLAIM_TEXTS];
    claim_row_encode(c, &sc, texts);
    return put(handle, insert ? S_CLAIM_INSERT : S_CLAIM_UPDATE, serial, texts, CLAIM_TEXTS,
               "storing a claim", err);
}

int sqlite_claims_each(void *handle, int64_t serial, int64_t id, store_claim_row_fn visit,
                       void *ctx, struct error *err)
{
    struct claim_row_walk w = {.claim = visit, .ctx = ctx};
    int64_t key = serial > 0 ? serial : id;
    enum statement which = serial > 0 ? S_CLAIMS_OF : id > 0 ? S_CLAIM_BY_ID : S_CLAIMS_ALL;
    return each(handle, which, &key, which == S_CLAIMS_ALL ? 0 : 1, CLAIM_TEXTS, claim_row_visit,
                &w, "reading claims", err);
}

int sqlite_claim_step_add(void *handle, int64_t serial, const struct claim_step *st,
                          struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[CLAIM_STEP_TEXTS];
    claim_step_row_encode(st, &sc, texts);
    return put(handle, S_CLAIM_STEP_ADD, serial, texts, CLAIM_STEP_TEXTS,
               "recording a claim's step", err);
}

int sqlite_claim_steps_each(void *handle, int64_t serial, int64_t id, claim_step_visit_fn visit,
                            void *ctx, struct error *err)
{
    struct claim_row_walk w = {.claim_step = visit, .ctx = ctx};
    int64_t keys[] = {serial, id};
    return each(handle, S_CLAIM_STEPS, keys, 2, CLAIM_STEP_TEXTS, claim_step_row_visit, &w,
                "reading a claim's steps", err);
}

int sqlite_claim_evidence_add(void *handle, int64_t serial, const struct claim_evidence *e,
                              struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[CLAIM_EVIDENCE_TEXTS];
    claim_evidence_row_encode(e, &sc, texts);
    return put(handle, S_EVIDENCE_ADD, serial, texts, CLAIM_EVIDENCE_TEXTS, "attaching a document",
               err);
}

int sqlite_claim_evidence_each(void *handle, int64_t serial, int64_t id,
                               claim_evidence_visit_fn visit, void *ctx, struct error *err)
{
    struct claim_row_walk w = {.claim_evidence = visit, .ctx = ctx};
    int64_t keys[] = {serial, id};
    return each(handle, S_EVIDENCE_OF, keys, 2, CLAIM_EVIDENCE_TEXTS, claim_evidence_row_visit, &w,
                "reading a claim's documents", err);
}

/* ---- grievances ---- */

int sqlite_grievance_put(void *handle, int64_t serial, const struct grievance *g, int insert,
                         struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[GRIEVANCE_TEXTS];
    grievance_row_encode(g, &sc, texts);
    return put(handle, insert ? S_GRIEVANCE_INSERT : S_GRIEVANCE_UPDATE, serial, texts,
               GRIEVANCE_TEXTS, "storing a grievance", err);
}

int sqlite_grievances_each(void *handle, int64_t serial, int64_t id, int open_only,
                           store_grievance_row_fn visit, void *ctx, struct error *err)
{
    struct claim_row_walk w = {.grievance = visit, .ctx = ctx};
    int64_t key = serial > 0 ? serial : id;
    enum statement which = serial > 0  ? S_GRIEVANCES_OF
                           : id > 0    ? S_GRIEVANCE_BY_ID
                           : open_only ? S_GRIEVANCES_OPEN
                                       : S_GRIEVANCES_ALL;
    int n_keys = serial > 0 || id > 0;
    return each(handle, which, &key, n_keys, GRIEVANCE_TEXTS, grievance_row_visit, &w,
                "reading grievances", err);
}

int sqlite_grievance_step_add(void *handle, int64_t serial, const struct grievance_step *st,
                              struct error *err)
{
    struct claim_row_scratch sc;
    const char *texts[GRIEVANCE_STEP_TEXTS];
    grievance_step_row_encode(st, &sc, texts);
    return put(handle, S_GRIEVANCE_STEP_ADD, serial, texts, GRIEVANCE_STEP_TEXTS,
               "recording a grievance's step", err);
}

int sqlite_grievance_steps_each(void *handle, int64_t serial, int64_t id,
                                grievance_step_visit_fn visit, void *ctx, struct error *err)
{
    struct claim_row_walk w = {.grievance_step = visit, .ctx = ctx};
    int64_t keys[] = {serial, id};
    return each(handle, S_GRIEVANCE_STEPS, keys, 2, GRIEVANCE_STEP_TEXTS, grievance_step_row_visit,
                &w, "reading a grievance's steps", err);
}
