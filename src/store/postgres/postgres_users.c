/*
 * postgres_users.c: users, their tokens and the replies kept for Idempotency-Keys in the
 * PostgreSQL driver (store_driver.h, version 9; migrations/postgres/0013).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "store/postgres/postgres_impl.h"

#define NUMBER_SIZE 24 /* an int64 as text */

int postgres_user_get(void *handle, const char *name, struct store_user *out, int *found,
                      struct error *err)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    const char *values[] = {name};
    PGresult *res = pg_run(handle, S_USER_GET, 1, values, "reading a user", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        *found = 1;
        text_copy(out->name, sizeof out->name, PQgetvalue(res, 0, 0));
        text_copy(out->role, sizeof out->role, PQgetvalue(res, 0, 1));
        text_copy(out->admin1, sizeof out->admin1, PQgetvalue(res, 0, 2));
        text_copy(out->admin2, sizeof out->admin2, PQgetvalue(res, 0, 3));
        text_copy(out->person, sizeof out->person, PQgetvalue(res, 0, 4));
        text_copy(out->password, sizeof out->password, PQgetvalue(res, 0, 5));
        text_copy(out->created_at, sizeof out->created_at, PQgetvalue(res, 0, 6));
    }
    PQclear(res);
    return SP_OK;
}

int postgres_user_put(void *handle, const struct store_user *u, int *created, struct error *err)
{
    struct store_user old;
    int found = 0;
    int rc = postgres_user_get(handle, u->name, &old, &found, err);
    if (rc != SP_OK)
        return rc;
    const char *values[] = {u->name,   u->role,     u->admin1,    u->admin2,
                            u->person, u->password, u->created_at};
    PGresult *res = pg_run(handle, S_USER_PUT, 7, values, "keeping a user", err);
    if (res == NULL)
        return SP_IO;
    PQclear(res);
    *created = !found;
    return SP_OK;
}

int postgres_token_put(void *handle, const struct store_token *t, struct error *err)
{
    char created[NUMBER_SIZE], seen[NUMBER_SIZE];
    snprintf(created, sizeof created, "%" PRId64, t->created_at);
    snprintf(seen, sizeof seen, "%" PRId64, t->seen_at);
    const char *values[] = {t->hash, t->user, t->kind, t->csrf, created, seen};
    PGresult *res = pg_run(handle, S_TOKEN_PUT, 6, values, "keeping a session", err);
    if (res == NULL)
        return err->code;
    PQclear(res);
    return SP_OK;
}

int postgres_token_get(void *handle, const char *hash, struct store_token *out, int *found,
                       struct error *err)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    const char *values[] = {hash};
    PGresult *res = pg_run(handle, S_TOKEN_GET, 1, values, "reading a session", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        *found = 1;
        text_copy(out->hash, sizeof out->hash, PQgetvalue(res, 0, 0));
        text_copy(out->user, sizeof out->user, PQgetvalue(res, 0, 1));
        text_copy(out->kind, sizeof out->kind, PQgetvalue(res, 0, 2));
        text_copy(out->csrf, sizeof out->csrf, PQgetvalue(res, 0, 3));
        out->created_at = strtoll(PQgetvalue(res, 0, 4), NULL, 10);
        out->seen_at = strtoll(PQgetvalue(res, 0, 5), NULL, 10);
    }
    PQclear(res);
    return SP_OK;
}

int postgres_token_touch(void *handle, const char *hash, int64_t seen_at, struct error *err)
{
    char seen[NUMBER_SIZE];
    snprintf(seen, sizeof seen, "%" PRId64, seen_at);
    const char *values[] = {hash, seen};
    return pg_run_none(handle, S_TOKEN_TOUCH, 2, values, "recording a session's use", err);
}

int postgres_token_delete(void *handle, const char *hash, int *found, struct error *err)
{
    *found = 0;
    const char *values[] = {hash};
    return pg_run_changed(handle, S_TOKEN_DELETE, 1, values, "ending a session", found, err);
}

int postgres_reply_get(void *handle, const char *user, const char *key, struct store_reply *out,
                       struct buf *body, int *found, struct error *err)
{
    *found = 0;
    memset(out, 0, sizeof *out);
    const char *values[] = {user, key};
    PGresult *res = pg_run(handle, S_REPLY_GET, 2, values, "reading a kept reply", err);
    if (res == NULL)
        return SP_IO;
    int rc = SP_OK;
    if (PQntuples(res) > 0) {
        *found = 1;
        text_copy(out->user, sizeof out->user, user);
        text_copy(out->key, sizeof out->key, key);
        text_copy(out->request, sizeof out->request, PQgetvalue(res, 0, 0));
        out->status = (int)strtol(PQgetvalue(res, 0, 1), NULL, 10);
        out->created_at = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
        rc = buf_puts(body, PQgetvalue(res, 0, 3), err);
    }
    PQclear(res);
    return rc;
}

int postgres_reply_put(void *handle, const struct store_reply *r, const char *body,
                       struct error *err)
{
    char status[NUMBER_SIZE], created[NUMBER_SIZE];
    snprintf(status, sizeof status, "%d", r->status);
    snprintf(created, sizeof created, "%" PRId64, r->created_at);
    const char *values[] = {r->user, r->key, r->request, status, body, created};
    return pg_run_none(handle, S_REPLY_PUT, 6, values, "keeping a reply", err);
}

int postgres_tokens_delete_of(void *handle, const char *user, int64_t *n, struct error *err)
{
    *n = 0;
    const char *values[] = {user};
    PGresult *res = pg_run(handle, S_TOKENS_DELETE_OF, 1, values, "revoking tokens", err);
    if (res == NULL)
        return SP_IO;
    *n = strtoll(PQcmdTuples(res), NULL, 10);
    PQclear(res);
    return SP_OK;
}
