/*
 * auth.c: who a request comes from, CSRF tokens, and the login rate limit (web_impl.h).
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/text.h"
#include "ops/users.h"
#include "web/web_impl.h"

int web_identify(struct web_request *r, struct error *err)
{
    r->signed_in = 0;
    const char *auth = web_header(r, "Authorization");
    const char *token = NULL;
    const char *kind = "session";
    if (auth != NULL && strncmp(auth, "Bearer ", 7) == 0) {
        token = auth + 7;
        kind = "bearer";
    } else {
        token = web_cookie(r, WEB_SESSION_COOKIE);
    }
    if (token == NULL)
        return SP_OK;
    enum users_token_state state;
    int rc = users_token_check(r->store, token, kind, web_now(), &state, &r->user, &r->token, err);
    if (rc != SP_OK || state != USERS_TOKEN_OK)
        return rc;
    r->signed_in = 1;
    r->bearer = strcmp(kind, "bearer") == 0;
    store_audit_configure(r->store, NULL, r->user.name);
    return SP_OK;
}

/* 1 if a and b are the same non-empty token (in time that does not depend on where they
 * differ). */
static int same_token(const char *a, const char *b)
{
    size_t n = strlen(a);
    return n > 0 && n == strlen(b) && sodium_memcmp(a, b, n) == 0;
}

int web_csrf_ok(const struct web_request *r, const char *form_token)
{
    if (r->bearer)
        return 1;
    if (!r->signed_in)
        return 0;
    const char *header = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
    if (header != NULL && same_token(header, r->token.csrf))
        return 1;
    return form_token != NULL && same_token(form_token, r->token.csrf);
}

void web_cookie_header(const struct web_request *r, const char *name, const char *value,
                       int max_age, char *out, size_t size)
{
    char age[32] = "";
    if (max_age >= 0)
        snprintf(age, sizeof age, "; Max-Age=%d", max_age);
    snprintf(out, size, "%s=%s; Path=/; HttpOnly; SameSite=Strict%s%s", name, value,
             r->srv->cfg->behind_tls ? "; Secure" : "", age);
}

/* ---- the login rate limit: failures per name and per address, in memory ---- */

#define LIMITER_SLOTS 1024

struct limiter_slot {
    char who[80]; /* "n:NAME" or "a:ADDRESS" */
    int failures; /* in the window that began at since */
    int64_t since;
};

struct web_limiter {
    pthread_mutex_t lock;
    struct limiter_slot slots[LIMITER_SLOTS];
};

struct web_limiter *web_limiter_new(void)
{
    struct web_limiter *l = sp_calloc(1, sizeof *l);
    if (l != NULL)
        pthread_mutex_init(&l->lock, NULL);
    return l;
}

void web_limiter_free(struct web_limiter *l)
{
    if (l == NULL)
        return;
    pthread_mutex_destroy(&l->lock);
    sp_free(l);
}

/* The slot of who (made, or taken over from the oldest, when create). */
static struct limiter_slot *slot_of(struct web_limiter *l, const char *who, int create)
{
    uint32_t h = 2166136261u;
    for (const char *c = who; *c; c++)
        h = (h ^ (unsigned char)*c) * 16777619u;
    struct limiter_slot *oldest = NULL;
    for (int i = 0; i < 8; i++) { /* a few probes: the table forgets, it never blocks */
        struct limiter_slot *s = &l->slots[(h + (uint32_t)i) % LIMITER_SLOTS];
        if (strcmp(s->who, who) == 0)
            return s;
        if (oldest == NULL || s->since < oldest->since)
            oldest = s;
    }
    if (!create)
        return NULL;
    text_copy(oldest->who, sizeof oldest->who, who);
    oldest->failures = 0;
    oldest->since = 0;
    return oldest;
}

static int64_t slot_wait(const struct limiter_slot *s, int64_t now)
{
    if (s == NULL || s->failures < WEB_LOGIN_FAILURES || now - s->since >= WEB_LOGIN_WINDOW)
        return 0;
    return WEB_LOGIN_WINDOW - (now - s->since);
}

int web_login_allowed(struct web_limiter *l, const char *name, const char *remote, int64_t now,
                      int64_t *wait)
{
    char a[80], n[80];
    snprintf(n, sizeof n, "n:%s", name);
    snprintf(a, sizeof a, "a:%s", remote);
    pthread_mutex_lock(&l->lock);
    int64_t w1 = slot_wait(slot_of(l, n, 0), now), w2 = slot_wait(slot_of(l, a, 0), now);
    pthread_mutex_unlock(&l->lock);
    *wait = w1 > w2 ? w1 : w2;
    return *wait == 0;
}

void web_login_failed(struct web_limiter *l, const char *name, const char *remote, int64_t now)
{
    char keys[2][80];
    snprintf(keys[0], sizeof keys[0], "n:%s", name);
    snprintf(keys[1], sizeof keys[1], "a:%s", remote);
    pthread_mutex_lock(&l->lock);
    for (int i = 0; i < 2; i++) {
        struct limiter_slot *s = slot_of(l, keys[i], 1);
        if (now - s->since >= WEB_LOGIN_WINDOW) {
            s->failures = 0;
            s->since = now;
        }
        s->failures++;
    }
    pthread_mutex_unlock(&l->lock);
}
