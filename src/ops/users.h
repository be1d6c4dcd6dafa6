/*
 * users.h: who may use the web window, and what each may see (docs/web.md): users with a
 * role, their passwords (argon2id), browser sessions and API tokens, and the one access
 * rule every route asks.
 *
 * Roles: admin (everything, and users), registrar (registers and corrects persons),
 * adjudicator, payer (read the registry and decisions), auditor (reads, and verifies the audit
 * log), partner (reads the persons of one area: admin1, or admin1/admin2), worker (reads their
 * own record only).
 *
 * A token is 32 random bytes (256 bits) written as 64 hex digits; the store keeps only its
 * digest, so a copy of the database opens no session.
 */
#ifndef SPFLOOR_OPS_USERS_H
#define SPFLOOR_OPS_USERS_H

#include <stdint.h>

#include "base/error.h"
#include "model/person.h"
#include "store/store.h"

#define USERS_TOKEN_SIZE   65 /* a token's text: 64 hex digits and the NUL */
#define USERS_PASSWORD_MIN 10 /* characters of a password at least */
#define USERS_PASSWORD_MAX 1024
#define USERS_SESSION_IDLE (30 * 60)            /* seconds a session may sit unused */
#define USERS_SESSION_LIFE (12 * 60 * 60)       /* seconds a session lasts at most */
#define USERS_BEARER_LIFE  (365 * 24 * 60 * 60) /* seconds an API token lasts at most */
#define USERS_TOUCH_EVERY  60 /* a session's last use is written at most this often */

/* What a user may do; a route names the one it needs. */
enum users_right {
    USERS_READ,     /* read persons and their decisions (partner: their area; worker: self) */
    USERS_SEARCH,   /* search the registry (not a worker) */
    USERS_REGISTER, /* register persons (admin, registrar) */
    USERS_AUDIT,    /* verify the audit log (admin, auditor) */
    USERS_ADMIN,    /* users and tokens (admin) */
    USERS_CLAIM,    /* file claims (admin, registrar, adjudicator) */
    USERS_PAY,      /* payroll runs and their bank files (admin, payer) */
};

/* 1 if role is one of the seven roles. */
int users_role_valid(const char *role);

/* 1 if a user with role may, in general, do `right` (the person rule is users_may_see). */
int users_role_may(const char *role, enum users_right right);

/* 1 if a user with role sees figures only as the public does: small cells suppressed
 * (partner, worker). */
int users_public_figures(const char *role);

/*
 * 1 if user u may see person p: a partner only the persons of their area (p's admin1 equal to
 * theirs, and admin2 too when theirs is set); a worker only their own record; other roles
 * every person.
 */
int users_may_see(const struct store_user *u, const struct person *p);

/* What users_add is told. */
struct users_new {
    const char *name;     /* letters, digits, '.', '_', '-'; 1 to 64 */
    const char *role;     /* one of the seven */
    const char *area;     /* "admin1" or "admin1/admin2": a partner's (required for one) */
    const char *person;   /* a worker's own record (required for one), a worker ID */
    const char *password; /* USERS_PASSWORD_MIN to USERS_PASSWORD_MAX bytes; NULL: none
                             (the user signs in only with tokens) */
};

/*
 * Adds the user, or replaces the one of that name (a new role, area or password), in a
 * transaction of its own, with the password hashed by argon2id (crypto_pwhash_str, the
 * interactive limits). *created is 1 when the user is new. SP_BAD_INPUT naming what is wrong
 * (name, role, area missing for a partner or given for another, no such worker record, a
 * short password); SP_IO.
 */
int users_add(struct store *store, const struct users_new *u, int *created, struct error *err);

/*
 * Checks a password: SP_OK with *out the user when name has that password; SP_BAD_INPUT
 * "wrong user name or password" otherwise (the same words whether the name exists or not,
 * and the same time spent); SP_IO.
 */
int users_login(struct store *store, const char *name, const char *password, struct store_user *out,
                struct error *err);

/*
 * Opens a session (kind "session") or issues an API token (kind "bearer") for the user
 * `name`, in a transaction of its own: token gets the secret to hand over (once: it is kept
 * only as a digest), csrf (may be NULL) a session's form token. SP_BAD_INPUT when there is no
 * such user; SP_IO.
 */
int users_token_new(struct store *store, const char *name, const char *kind, int64_t now,
                    char token[USERS_TOKEN_SIZE], char csrf[USERS_TOKEN_SIZE], struct error *err);

/* Why users_token_check found no user. */
enum users_token_state {
    USERS_TOKEN_OK,
    USERS_TOKEN_UNKNOWN, /* no such token (or it was ended) */
    USERS_TOKEN_EXPIRED, /* it passed its idle or absolute time: it is now ended */
};

/*
 * The user a token (a session's cookie, or a bearer token: `kind`) stands for at `now`: *state
 * says whether it does; when it does, *user and *t are filled and its last use is recorded
 * (at most every USERS_TOUCH_EVERY seconds). A token of another kind is unknown. SP_IO.
 */
int users_token_check(struct store *store, const char *token, const char *kind, int64_t now,
                      enum users_token_state *state, struct store_user *user, struct store_token *t,
                      struct error *err);

/*
 * Ends every session and API token of the user `name` at once (a lost token, a user who left),
 * in a transaction of its own; *n is how many. To keep them from signing in again, also take
 * their password away (users_add with none). SP_BAD_INPUT when there is no such user; SP_IO.
 */
int users_revoke(struct store *store, const char *name, int64_t *n, struct error *err);

/* Ends the session or token (a logout), in a transaction of its own. SP_IO. */
int users_token_end(struct store *store, const char *token, struct error *err);

/*
 * Records a refused access in the audit log, in a transaction of its own: action
 * "access.refused", object what was asked for (a path, a worker ID), the digest of why. The
 * store's actor (store_audit_configure) should be the user, or the client when unknown. SP_IO.
 */
int users_note_refusal(struct store *store, const char *object, const char *why, struct error *err);

#endif
