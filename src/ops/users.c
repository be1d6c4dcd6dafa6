/*
 * users.c: users, passwords, sessions and tokens, and the access rule (users.h).
 */
#include "ops/users.h"

#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "audit/audit.h"
#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "ops/persons.h"
#include "ops/transaction.h"

static const char *const roles[] = {"admin",   "registrar", "adjudicator", "payer",
                                    "auditor", "partner",   "worker"};

int users_role_valid(const char *role)
{
    for (size_t i = 0; i < sizeof roles / sizeof roles[0]; i++)
        if (strcmp(role, roles[i]) == 0)
            return 1;
    return 0;
}

int users_role_may(const char *role, enum users_right right)
{
    if (strcmp(role, "admin") == 0)
        return 1;
    switch (right) {
    case USERS_READ:
        return users_role_valid(role);
    case USERS_SEARCH:
        return users_role_valid(role) && strcmp(role, "worker") != 0;
    case USERS_REGISTER:
        return strcmp(role, "registrar") == 0;
    case USERS_AUDIT:
        return strcmp(role, "auditor") == 0;
    case USERS_ADMIN:
        return 0;
    case USERS_CLAIM:
        return strcmp(role, "registrar") == 0 || strcmp(role, "adjudicator") == 0;
    case USERS_PAY:
        return strcmp(role, "payer") == 0;
    }
    return 0;
}

int users_public_figures(const char *role)
{
    return strcmp(role, "partner") == 0 || strcmp(role, "worker") == 0;
}

int users_may_see(const struct store_user *u, const struct person *p)
{
    if (strcmp(u->role, "partner") == 0)
        return u->admin1[0] != '\0' && strcmp(u->admin1, p->admin1) == 0 &&
               (u->admin2[0] == '\0' || strcmp(u->admin2, p->admin2) == 0);
    if (strcmp(u->role, "worker") == 0)
        return u->person[0] != '\0' && strcmp(u->person, p->id) == 0;
    return users_role_valid(u->role);
}

/* 1 if name is 1 to 64 letters, digits, '.', '_' or '-'. */
static int name_valid(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n >= STORE_USER_NAME_SIZE)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && strchr("._-", name[i]) == NULL)
            return 0;
    return 1;
}

/* Fills u's area from "admin1" or "admin1/admin2". */
static int read_area(const char *area, struct store_user *u, struct error *err)
{
    const char *slash = strchr(area, '/');
    size_t n1 = slash != NULL ? (size_t)(slash - area) : strlen(area);
    if (n1 == 0 || n1 >= sizeof u->admin1 ||
        (slash != NULL && (slash[1] == '\0' || strchr(slash + 1, '/') != NULL)))
        return error_set(err, SP_BAD_INPUT,
                         "--area: \"%s\" is not an area: write admin1 or admin1/admin2", area);
    memcpy(u->admin1, area, n1);
    u->admin1[n1] = '\0';
    if (slash != NULL && !text_copy(u->admin2, sizeof u->admin2, slash + 1))
        return error_set(err, SP_BAD_INPUT, "--area: the district name is too long");
    return SP_OK;
}

struct put_user {
    const struct store_user *u;
    int created;
};

static int put_user(struct store *store, void *arg, struct error *err)
{
    struct put_user *w = arg;
    return store_user_put(store, w->u, &w->created, err);
}

int users_add(struct store *store, const struct users_new *n, int *created, struct error *err)
{
    *created = 0;
    if (sodium_init() < 0)
        return error_set(err, SP_IO, "the cryptography library could not start");
    struct store_user u;
    memset(&u, 0, sizeof u);
    if (n->name == NULL || !name_valid(n->name))
        return error_set(err, SP_BAD_INPUT,
                         "a user name is 1 to 64 letters, digits, '.', '_' or '-', not \"%s\"",
                         n->name != NULL ? n->name : "");
    if (n->role == NULL || !users_role_valid(n->role))
        return error_set(err, SP_BAD_INPUT,
                         "--role: \"%s\" is not a role: use admin, registrar, adjudicator, payer, "
                         "auditor, partner or worker",
                         n->role != NULL ? n->role : "");
    text_copy(u.name, sizeof u.name, n->name);
    text_copy(u.role, sizeof u.role, n->role);
    int partner = strcmp(n->role, "partner") == 0, worker = strcmp(n->role, "worker") == 0;
    if (partner && (n->area == NULL || n->area[0] == '\0'))
        return error_set(err, SP_BAD_INPUT, "--area: a partner needs the area they work in");
    if (!partner && n->area != NULL && n->area[0] != '\0')
        return error_set(err, SP_BAD_INPUT, "--area: only a partner has an area");
    if (partner && read_area(n->area, &u, err) != SP_OK)
        return SP_BAD_INPUT;
    if (worker && (n->person == NULL || n->person[0] == '\0'))
        return error_set(err, SP_BAD_INPUT, "--person: a worker needs their own record's ID");
    if (!worker && n->person != NULL && n->person[0] != '\0')
        return error_set(err, SP_BAD_INPUT, "--person: only a worker has a record of their own");
    if (worker) {
        struct person p;
        int rc = persons_get(store, n->person, &p, err);
        if (rc != SP_OK) {
            error_prefix(err, "--person");
            return rc;
        }
        text_copy(u.person, sizeof u.person, p.id);
    }
    if (n->password != NULL) {
        size_t len = strlen(n->password);
        if (len < USERS_PASSWORD_MIN || len > USERS_PASSWORD_MAX)
            return error_set(err, SP_BAD_INPUT, "a password has %d to %d characters",
                             USERS_PASSWORD_MIN, USERS_PASSWORD_MAX);
        if (crypto_pwhash_str(u.password, n->password, len, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
            return error_set(err, SP_IO, "out of memory hashing the password");
    }
    date_time_utc_now(u.created_at);
    struct put_user w = {&u, 0};
    int rc = ops_transaction(store, put_user, &w, NULL, NULL, err);
    sodium_memzero(u.password, sizeof u.password);
    *created = w.created;
    return rc;
}

int users_login(struct store *store, const char *name, const char *password, struct store_user *out,
                struct error *err)
{
    if (sodium_init() < 0)
        return error_set(err, SP_IO, "the cryptography library could not start");
    int found = 0;
    int rc = store_user_get(store, name, out, &found, err);
    if (rc != SP_OK)
        return rc;
    size_t len = strlen(password);
    /* a user without a password, or none at all, is checked against a hash of nothing, so
       that the time spent does not tell which names exist */
    static char dummy[crypto_pwhash_STRBYTES];
    if (dummy[0] == '\0' && crypto_pwhash_str(dummy, "-", 1, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                              crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        return error_set(err, SP_IO, "out of memory checking a password");
    int usable = found && out->password[0] != '\0';
    int ok = len <= USERS_PASSWORD_MAX &&
             crypto_pwhash_str_verify(usable ? out->password : dummy, password, len) == 0;
    if (!ok || !usable) {
        memset(out, 0, sizeof *out);
        return error_set(err, SP_BAD_INPUT, "wrong user name or password");
    }
    memset(out->password, 0, sizeof out->password);
    return SP_OK;
}

/* The digest the store knows a token by. */
static void token_hash(const char *token, char out[AUDIT_HEX_SIZE])
{
    audit_digest(token, strlen(token), out);
}

/* 32 random bytes in hex. */
static void random_hex(char out[USERS_TOKEN_SIZE])
{
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2hex(out, USERS_TOKEN_SIZE, bytes, sizeof bytes);
}

static int put_token(struct store *store, void *arg, struct error *err)
{
    return store_token_put(store, arg, err);
}

int users_token_new(struct store *store, const char *name, const char *kind, int64_t now,
                    char token[USERS_TOKEN_SIZE], char csrf[USERS_TOKEN_SIZE], struct error *err)
{
    if (sodium_init() < 0)
        return error_set(err, SP_IO, "the cryptography library could not start");
    struct store_token t;
    memset(&t, 0, sizeof t);
    random_hex(token);
    token_hash(token, t.hash);
    text_copy(t.user, sizeof t.user, name);
    text_copy(t.kind, sizeof t.kind, kind);
    if (strcmp(kind, "session") == 0) {
        char form[USERS_TOKEN_SIZE];
        random_hex(form);
        text_copy(t.csrf, sizeof t.csrf, form);
        if (csrf != NULL)
            text_copy(csrf, USERS_TOKEN_SIZE, form);
    } else if (csrf != NULL) {
        csrf[0] = '\0';
    }
    t.created_at = t.seen_at = now;
    int rc = ops_transaction(store, put_token, &t, NULL, NULL, err);
    if (rc != SP_OK)
        sodium_memzero(token, USERS_TOKEN_SIZE);
    return rc;
}

static int end_token(struct store *store, void *arg, struct error *err)
{
    return store_token_delete(store, arg, err);
}

struct touch {
    const char *hash;
    int64_t now;
};

static int touch_token(struct store *store, void *arg, struct error *err)
{
    const struct touch *t = arg;
    return store_token_touch(store, t->hash, t->now, err);
}

int users_token_check(struct store *store, const char *token, const char *kind, int64_t now,
                      enum users_token_state *state, struct store_user *user, struct store_token *t,
                      struct error *err)
{
    *state = USERS_TOKEN_UNKNOWN;
    memset(user, 0, sizeof *user);
    size_t len = strlen(token);
    if (len != USERS_TOKEN_SIZE - 1)
        return SP_OK;
    char hash[AUDIT_HEX_SIZE];
    token_hash(token, hash);
    int found = 0;
    int rc = store_token_get(store, hash, t, &found, err);
    if (rc != SP_OK || !found || strcmp(t->kind, kind) != 0)
        return rc;
    int session = strcmp(kind, "session") == 0;
    int64_t life = session ? USERS_SESSION_LIFE : USERS_BEARER_LIFE;
    if (now - t->created_at > life || (session && now - t->seen_at > USERS_SESSION_IDLE)) {
        *state = USERS_TOKEN_EXPIRED;
        return ops_transaction(store, end_token, hash, NULL, NULL, err);
    }
    rc = store_user_get(store, t->user, user, &found, err);
    if (rc != SP_OK || !found)
        return rc;
    memset(user->password, 0, sizeof user->password);
    if (now - t->seen_at >= USERS_TOUCH_EVERY) {
        struct touch w = {hash, now};
        rc = ops_transaction(store, touch_token, &w, NULL, NULL, err);
    }
    if (rc == SP_OK)
        *state = USERS_TOKEN_OK;
    return rc;
}

int users_token_end(struct store *store, const char *token, struct error *err)
{
    char hash[AUDIT_HEX_SIZE];
    token_hash(token, hash);
    return ops_transaction(store, end_token, hash, NULL, NULL, err);
}

struct revoke {
    const char *name;
    int64_t n;
};

static int revoke_tokens(struct store *store, void *arg, struct error *err)
{
    struct revoke *w = arg;
    struct store_user u;
    int found = 0;
    int rc = store_user_get(store, w->name, &u, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no user \"%s\" is registered", w->name);
    return rc == SP_OK ? store_tokens_revoke(store, w->name, &w->n, err) : rc;
}

int users_revoke(struct store *store, const char *name, int64_t *n, struct error *err)
{
    struct revoke w = {name, 0};
    int rc = ops_transaction(store, revoke_tokens, &w, NULL, NULL, err);
    *n = w.n;
    return rc;
}

struct refusal {
    const char *object, *why;
};

static int note_refusal(struct store *store, void *arg, struct error *err)
{
    const struct refusal *r = arg;
    return store_audit_note(store, "access.refused", r->object, r->why, err);
}

int users_note_refusal(struct store *store, const char *object, const char *why, struct error *err)
{
    struct refusal r = {object, why};
    return ops_transaction(store, note_refusal, &r, NULL, NULL, err);
}
