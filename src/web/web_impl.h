/*
 * web_impl.h: what the files of the web layer share (internal to src/web/).
 *
 *   server.c  libmicrohttpd: the daemon, limits, shutdown, the access log, a request's life;
 *   routes.c  the route table, who may call each route, and the dispatch;
 *   auth.c    sessions, bearer tokens, CSRF tokens, the login rate limit;
 *   api.c     the JSON API (/api/v1): persons, reads, the Idempotency-Key;
 *   api_writes.c the API's writes: enrolments, claims, grievances, payroll runs;
 *   pages.c   the HTML pages;
 *   reports.c the dashboard of coverage and /api/v1/reports;
 *   page_forms.c, page_payroll.c, page_audit.c: filing a claim, opening a grievance, the
 *             payroll runs and their bank files, the audit trail of an object;
 *   records.c a person's contributions, claims, payments and grievances as JSON;
 *   page_records.c the single window's sections drawn from that JSON;
 *   i18n.c    the pages' languages: the catalogues po/LANG.po and the user's choice;
 *   html.c    the pages' frame and escaping;
 *   assets.c  the embedded files (the style sheet, openapi.json).
 */
#ifndef SPFLOOR_WEB_WEB_IMPL_H
#define SPFLOOR_WEB_WEB_IMPL_H

#include <microhttpd.h>
#include <pthread.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/date.h"
#include "ops/rules.h"
#include "store/store.h"
#include "web/web.h"

#define WEB_URL_MAX        2048        /* bytes of a request's path */
#define WEB_BODY_MAX       (64u << 10) /* bytes of a request's body */
#define WEB_HEADERS_MAX    (32u << 10) /* bytes of a connection's request line and headers */
#define WEB_REPLY_MAX      (4u << 20)  /* bytes of a reply */
#define WEB_TIMEOUT        15          /* seconds a connection may stay silent */
#define WEB_LOGIN_FAILURES 5           /* failed logins per name or address ... */
#define WEB_LOGIN_WINDOW   (15 * 60)   /* ... in this many seconds before a pause */
#define WEB_SEARCH_MAX     100         /* persons a search returns at most */
#define WEB_SESSION_COOKIE "sp_session"
#define WEB_LOGIN_COOKIE   "sp_login" /* the login form's CSRF token, before any session */
#define WEB_LANG_COOKIE    "sp_lang"  /* the language the user chose (?lang=) */

struct web_limiter; /* auth.c */
struct entitlements_cache;

/* The server: made at start, read by every thread. */
struct web_server {
    const struct web_config *cfg;
    struct ops_rules rules;  /* the scheme library with the default overlay */
    pthread_key_t store_key; /* each thread's store */
    pthread_key_t cache_key; /* each thread's entitlements cache (ops/entitlements.h) */
    struct web_limiter *limiter;
    pthread_mutex_t log_lock; /* one access log line at a time */
    int in_flight;            /* requests begun and not yet answered (atomic) */
};

/* One request, from its first call to its reply. */
struct web_request {
    struct web_server *srv;
    struct MHD_Connection *conn;
    char method[8];
    char path[WEB_URL_MAX + 1];
    char remote[64];  /* the client's address */
    struct buf body;  /* the request's body (at most WEB_BODY_MAX) */
    int body_too_big; /* 1 when more was sent */
    int64_t started_ms;
    char lang[8];          /* the pages' language: "en", "ne", "id" (i18n.c) */
    const char *params[2]; /* the route's {x} segments */
    char param_text[2][PERSON_ID_SIZE + 64];
    /* who is asking: set by routes.c before a handler that needs it runs */
    int signed_in;
    int bearer; /* 1: by a bearer token (no CSRF check) */
    struct store_user user;
    struct store_token token;
    struct store *store;              /* this thread's store, its actor set for this request */
    struct entitlements_cache *cache; /* this thread's, or NULL (ops/entitlements.h) */
    /* the reply */
    int status;
    struct buf out;
    const char *content_type;
    char headers[4][320]; /* "Name: value" lines to add */
    int n_headers;
    int replied; /* 1 once status and out hold the reply */
};

/* ---- server.c ---- */

/* The value of request header / cookie / query argument `name`, or NULL. */
const char *web_header(struct web_request *r, const char *name);
const char *web_cookie(struct web_request *r, const char *name);
const char *web_query(struct web_request *r, const char *name);

/* Adds "Name: value" to the reply (at most 4; more are dropped). */
void web_add_header(struct web_request *r, const char *name, const char *value);

/* The current time, seconds since 1970. */
int64_t web_now(void);

/* Today (web_config's today, or the system clock's). */
int32_t web_today(const struct web_request *r);

/* ---- routes.c ---- */

/* Runs the route for r (method, path, body), filling r's reply. */
void web_dispatch(struct web_request *r);

/* The reply for an error: JSON {"error": {"code", "message", "field"}} under /api/, else an
 * HTML page. field may be NULL. */
void web_fail(struct web_request *r, int status, const char *code, const char *message,
              const char *field);

/* The HTTP status of an ops failure (SP_BAD_INPUT 400, SP_CONFLICT 409, SP_IO 500). */
int web_status_of(int sp_status);

/* Refuses r as forbidden (403), recording the refusal in the audit log. */
void web_forbid(struct web_request *r, const char *object, const char *why);

/* Replies with a redirection (303 See Other) to location. */
void web_redirect(struct web_request *r, const char *location);

/*
 * The value of field `name` of r's form body (application/x-www-form-urlencoded), decoded,
 * into out (size bytes): 1 when the form has it (cut to size), 0 when not.
 */
int web_form_value(const struct web_request *r, const char *name, char *out, size_t size);

/* ---- html.c: the pages' frame ---- */

/* Begins an HTML page titled `title` (escaped) with the header (and, signed in, the menu). */
void html_begin(struct web_request *r, const char *title);
/* Ends the page and makes it r's reply with status. */
void html_end(struct web_request *r, int status);
/* Appends text escaped for HTML. */
void html_text(struct web_request *r, const char *text);
/* Appends msgid in r's language (web_tr), escaped for HTML. */
void html_tr(struct web_request *r, const char *msgid);
/* Appends raw HTML (constant markup). */
void html_raw(struct web_request *r, const char *markup);
/* Appends printf-formatted raw HTML: every argument that came from data must be escaped
 * first (html_text), so only numbers and constant words go through here. */
void html_printf(struct web_request *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The hidden CSRF field of a form. */
void html_csrf(struct web_request *r);

/* ---- auth.c ---- */

/* Finds who r comes from (a bearer token, or a session cookie): sets r->signed_in, r->user,
 * r->token, r->bearer. SP_IO when the store fails. */
int web_identify(struct web_request *r, struct error *err);

/* 1 if r, a POST of a signed-in session, carries the session's CSRF token (the X-CSRF-Token
 * header, or the form's value `form_token`, may be NULL); bearer requests need none. */
int web_csrf_ok(const struct web_request *r, const char *form_token);

struct web_limiter *web_limiter_new(void);
void web_limiter_free(struct web_limiter *l);
/* 0 when the name or the address has failed WEB_LOGIN_FAILURES times in the window (then
 * *wait says how many seconds are left); else 1. */
int web_login_allowed(struct web_limiter *l, const char *name, const char *remote, int64_t now,
                      int64_t *wait);
void web_login_failed(struct web_limiter *l, const char *name, const char *remote, int64_t now);

/* "name=value; Path=/; HttpOnly; SameSite=Strict[; Secure][; Max-Age=N]" into out. */
void web_cookie_header(const struct web_request *r, const char *name, const char *value,
                       int max_age, char *out, size_t size);

/* ---- api.c: the JSON API's handlers ---- */

/* Makes the JSON value v (taken; NULL: out of memory, a 500) r's reply with status. */
void api_reply_json(struct web_request *r, int status, json_t *v);

/*
 * Runs handle for r under r's Idempotency-Key header, when it has one: the first reply that is
 * not a 5xx is kept (per user and key), and the same request again gets it back with
 * Idempotent-Replayed: true instead of running handle; the key with another request is 422.
 */
void api_idempotent(struct web_request *r, void (*handle)(struct web_request *r));

/* api_writes.c: the writes on a person's records, the payroll runs and their batches */
void api_enrolment_create(struct web_request *r);
void api_grievance_create(struct web_request *r);
void api_claim_create(struct web_request *r);
void api_claim_state(struct web_request *r);
void api_payroll_run(struct web_request *r);
void api_payroll_batches(struct web_request *r);
void api_person_create(struct web_request *r);
void api_person_get(struct web_request *r);
void api_person_search(struct web_request *r);
void api_person_entitlements(struct web_request *r);
void api_person_contributions(struct web_request *r);
void api_person_claims(struct web_request *r);
void api_person_payments(struct web_request *r);
void api_person_grievances(struct web_request *r);
void api_audit_verify(struct web_request *r);
void api_report(struct web_request *r); /* reports.c */
void api_openapi(struct web_request *r);

/* ---- i18n.c: the pages' languages ---- */

/* msgid in r's language (po/LANG.po), or msgid itself when it has no translation. */
const char *web_tr(const struct web_request *r, const char *msgid);

/* The language of a catalogue that tag ("ne", "ne-NP", "id_ID") names, or NULL. */
const char *web_lang_known(const char *tag);

/* Sets r->lang: ?lang= (kept in a cookie for the next pages), else the cookie, else the
 * best of Accept-Language the catalogues have, else English. */
void web_choose_lang(struct web_request *r);

/* ---- page_records.c ---- */

/* The single window's sections of the person `id`: contributions and the qualifying status
 * on today, claims, payments, grievances, and the history of corrections. */
void page_person_records(struct web_request *r, const char *id, int32_t today);

/* ---- pages.c: the pages ---- */
void page_home(struct web_request *r);
void page_login(struct web_request *r);
void page_login_post(struct web_request *r);
void page_logout(struct web_request *r);
void page_search(struct web_request *r);
void page_person(struct web_request *r);
void page_card(struct web_request *r);
void page_register(struct web_request *r);
void page_register_post(struct web_request *r);
void page_public(struct web_request *r);
void page_dashboard(struct web_request *r); /* reports.c */
void page_claim(struct web_request *r);     /* page_forms.c */
void page_claim_post(struct web_request *r);
void page_grievance(struct web_request *r);
void page_grievance_post(struct web_request *r);
void page_payroll(struct web_request *r); /* page_payroll.c */
void page_payroll_export(struct web_request *r);
void page_audit(struct web_request *r); /* page_audit.c */
void page_style(struct web_request *r);

/* ---- shared by api.c and pages.c ---- */

/*
 * Reads the person the route's {id} names for r's user: SP_OK with *p filled when they may
 * see them; otherwise replies (404 no such person, 403 refused and audited, 500) and returns
 * the failure.
 */
int web_person_for(struct web_request *r, const char *id, struct person *p);

/* The JSON of the person's entitlements on as_of (ops/entitlements_doc.h), explained for
 * people when explain. SP_OK, or a failure with err (SP_BAD_INPUT: merged or dead). */
int web_entitlements_json(struct web_request *r, const char *id, int32_t as_of, int explain,
                          struct buf *doc, struct error *err);

/* ---- records.c ---- */

enum web_records { WEB_CONTRIBUTIONS, WEB_CLAIMS, WEB_PAYMENTS, WEB_GRIEVANCES };

/*
 * A person's records of one kind as a new JSON object (the caller owns it), with the CLI's
 * field names: contributions as `spfloor contributions ID --json` with the qualifying status
 * on as_of; otherwise {"person", "claims"|"payments"|"grievances": [...]}. NULL with err.
 */
json_t *web_records_json(struct web_request *r, const char *id, enum web_records kind,
                         int32_t as_of, struct error *err);

/* The embedded file `name` (assets.c), or NULL. */
const char *web_asset(const char *name);

#endif
