/*
 * sqlite_users.c: users, their tokens and the replies kept for Idempotency-Keys in the SQLite
 * driver (store_driver.h, version 9; migrations/sqlite/0013).
 */
#include <string.h>

#include "base/text.h"
#include "store/sqlite/sqlite_impl.h"

/* Steps a bound one-row query; *found 1 when it gave a row (left current: the caller reads it
 * and resets). SP_IO on failure (then reset). */
static int step_one(struct sqlite_store *s, sqlite3_stmt *stmt, int *found, const char *doing,
                    struct error *err)
{
    int step = sqlite3_step(stmt);
    *found = step == SQLITE_ROW;
    if (step == SQLITE_ROW || step == SQLITE_DONE)
        return SP_OK;
    sqlite3_reset(stmt);
    return sq_error(s, doing, err);
}

int sqlite_user_get(void *handle, const char *name, struct store_user *out, int *found,
                    struct error *err)
{
    struct sqlite_store *s = handle;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt = sq_statement(s, S_USER_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = step_one(s, stmt, found, "reading a user", err);
    if (rc == SP_OK && *found) {
        sq_read_text(stmt, 0, out->name, sizeof out->name);
        sq_read_text(stmt, 1, out->role, sizeof out->role);
        sq_read_text(stmt, 2, out->admin1, sizeof out->admin1);
        sq_read_text(stmt, 3, out->admin2, sizeof out->admin2);
        sq_read_text(stmt, 4, out->person, sizeof out->person);
        sq_read_text(stmt, 5, out->password, sizeof out->password);
        sq_read_text(stmt, 6, out->created_at, sizeof out->created_at);
    }
    sqlite3_reset(stmt);
    return rc;
}

int sqlite_user_put(void *handle, const struct store_user *u, int *created, struct error *err)
{
    struct sqlite_store *s = handle;
    struct store_user old;
    int found = 0;
    int rc = sqlite_user_get(s, u->name, &old, &found, err);
    if (rc != SP_OK)
        return rc;
    sqlite3_stmt *stmt = sq_statement(s, S_USER_PUT, err);
    if (stmt == NULL)
        return SP_IO;
    const char *texts[] = {u->name,   u->role,     u->admin1,    u->admin2,
                           u->person, u->password, u->created_at};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(stmt, i + 1, texts[i], -1, SQLITE_STATIC);
    rc = sq_run(s, stmt, "keeping a user", err);
    *created = rc == SP_OK && !found;
    return rc;
}

int sqlite_token_put(void *handle, const struct store_token *t, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_TOKEN_PUT, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, t->hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, t->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, t->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 4, t->csrf, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 5, t->created_at);
    sqlite3_bind_int64(stmt, 6, t->seen_at);
    int step = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (step == SQLITE_DONE)
        return SP_OK;
    if (sqlite3_extended_errcode(s->db) == SQLITE_CONSTRAINT_PRIMARYKEY)
        return error_set(err, SP_CONFLICT, "that token is kept already");
    return sq_error(s, "keeping a session", err);
}

int sqlite_token_get(void *handle, const char *hash, struct store_token *out, int *found,
                     struct error *err)
{
    struct sqlite_store *s = handle;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt = sq_statement(s, S_TOKEN_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
    int rc = step_one(s, stmt, found, "reading a session", err);
    if (rc == SP_OK && *found) {
        sq_read_text(stmt, 0, out->hash, sizeof out->hash);
        sq_read_text(stmt, 1, out->user, sizeof out->user);
        sq_read_text(stmt, 2, out->kind, sizeof out->kind);
        sq_read_text(stmt, 3, out->csrf, sizeof out->csrf);
        out->created_at = sqlite3_column_int64(stmt, 4);
        out->seen_at = sqlite3_column_int64(stmt, 5);
    }
    sqlite3_reset(stmt);
    return rc;
}

int sqlite_token_touch(void *handle, const char *hash, int64_t seen_at, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_TOKEN_TOUCH, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, seen_at);
    return sq_run(s, stmt, "recording a session's use", err);
}

int sqlite_token_delete(void *handle, const char *hash, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    *found = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_TOKEN_DELETE, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, hash, -1, SQLITE_STATIC);
    return sq_run_changed(s, stmt, "ending a session", found, err);
}

int sqlite_reply_get(void *handle, const char *user, const char *key, struct store_reply *out,
                     struct buf *body, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    memset(out, 0, sizeof *out);
    sqlite3_stmt *stmt = sq_statement(s, S_REPLY_GET, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, user, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
    int rc = step_one(s, stmt, found, "reading a kept reply", err);
    if (rc == SP_OK && *found) {
        text_copy(out->user, sizeof out->user, user);
        text_copy(out->key, sizeof out->key, key);
        sq_read_text(stmt, 0, out->request, sizeof out->request);
        out->status = sqlite3_column_int(stmt, 1);
        out->created_at = sqlite3_column_int64(stmt, 2);
        rc = buf_puts(body, sq_column_text(stmt, 3), err);
    }
    sqlite3_reset(stmt);
    return rc;
}

int sqlite_reply_put(void *handle, const struct store_reply *r, const char *body, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_REPLY_PUT, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, r->user, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 2, r->key, -1, SQLITE_STATIC);
    sqlite3_bind_text(stmt, 3, r->request, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 4, r->status);
    sqlite3_bind_text(stmt, 5, body, -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 6, r->created_at);
    return sq_run(s, stmt, "keeping a reply", err);
}

int sqlite_tokens_delete_of(void *handle, const char *user, int64_t *n, struct error *err)
{
    struct sqlite_store *s = handle;
    *n = 0;
    sqlite3_stmt *stmt = sq_statement(s, S_TOKENS_DELETE_OF, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, user, -1, SQLITE_STATIC);
    int rc = sq_run(s, stmt, "revoking tokens", err);
    if (rc == SP_OK)
        *n = sqlite3_changes(s->db);
    return rc;
}
