/*
 * routes.c: the route table, who may call each route, and the dispatch (web_impl.h).
 *
 * Every route names what it needs: nothing (public), or a signed-in user whose role has a
 * right (ops/users.h). The check happens here, before any handler runs; handlers that read a
 * person check that person again (users_may_see: a partner's area, a worker's own record).
 * Every refusal after sign-in is written to the audit log. A POST of a browser session must
 * carry the session's CSRF token (a form field "csrf", or the X-CSRF-Token header).
 */
#include <stdio.h>
#include <string.h>

#include "base/ids.h"
#include "base/text.h"
#include "ops/entitlements_doc.h"
#include "ops/users.h"
#include "registry/person_json.h"
#include "web/web_impl.h"

enum access { PUBLIC, SIGNED_IN };

struct route {
    const char *method;
    const char *path; /* "{x}" stands for one segment */
    enum access access;
    enum users_right right; /* what a signed-in user needs */
    void (*handle)(struct web_request *r);
};

static const struct route routes[] = {
    {"GET", "/api/v1/openapi.json", PUBLIC, USERS_READ, api_openapi},
    {"POST", "/api/v1/persons", SIGNED_IN, USERS_REGISTER, api_person_create},
    {"GET", "/api/v1/persons", SIGNED_IN, USERS_SEARCH, api_person_search},
    {"GET", "/api/v1/persons/{id}", SIGNED_IN, USERS_READ, api_person_get},
    {"GET", "/api/v1/persons/{id}/entitlements", SIGNED_IN, USERS_READ, api_person_entitlements},
    {"GET", "/api/v1/persons/{id}/contributions", SIGNED_IN, USERS_READ, api_person_contributions},
    {"GET", "/api/v1/persons/{id}/claims", SIGNED_IN, USERS_READ, api_person_claims},
    {"GET", "/api/v1/persons/{id}/payments", SIGNED_IN, USERS_READ, api_person_payments},
    {"GET", "/api/v1/persons/{id}/grievances", SIGNED_IN, USERS_READ, api_person_grievances},
    {"POST", "/api/v1/persons/{id}/enrolments", SIGNED_IN, USERS_CLAIM, api_enrolment_create},
    {"POST", "/api/v1/persons/{id}/grievances", SIGNED_IN, USERS_READ, api_grievance_create},
    {"POST", "/api/v1/persons/{id}/claims", SIGNED_IN, USERS_CLAIM, api_claim_create},
    {"POST", "/api/v1/claims/{id}/state", SIGNED_IN, USERS_CLAIM, api_claim_state},
    {"POST", "/api/v1/payroll/runs", SIGNED_IN, USERS_PAY, api_payroll_run},
    {"GET", "/api/v1/payroll/batches", SIGNED_IN, USERS_PAY, api_payroll_batches},
    {"GET", "/api/v1/reports/{indicator}", SIGNED_IN, USERS_READ, api_report},
    {"GET", "/api/v1/audit/verify", SIGNED_IN, USERS_AUDIT, api_audit_verify},
    {"GET", "/", PUBLIC, USERS_READ, page_home},
    {"GET", "/login", PUBLIC, USERS_READ, page_login},
    {"POST", "/login", PUBLIC, USERS_READ, page_login_post},
    {"POST", "/logout", SIGNED_IN, USERS_READ, page_logout},
    {"GET", "/search", SIGNED_IN, USERS_SEARCH, page_search},
    {"GET", "/persons/{id}", SIGNED_IN, USERS_READ, page_person},
    {"GET", "/persons/{id}/card.svg", SIGNED_IN, USERS_READ, page_card},
    {"GET", "/persons/{id}/claim", SIGNED_IN, USERS_CLAIM, page_claim},
    {"POST", "/persons/{id}/claim", SIGNED_IN, USERS_CLAIM, page_claim_post},
    {"GET", "/persons/{id}/grievance", SIGNED_IN, USERS_READ, page_grievance},
    {"POST", "/persons/{id}/grievance", SIGNED_IN, USERS_READ, page_grievance_post},
    {"GET", "/payroll", SIGNED_IN, USERS_PAY, page_payroll},
    {"POST", "/payroll/{batch}/pain.001", SIGNED_IN, USERS_PAY, page_payroll_export},
    {"GET", "/audit", SIGNED_IN, USERS_AUDIT, page_audit},
    {"GET", "/register", SIGNED_IN, USERS_REGISTER, page_register},
    {"POST", "/register", SIGNED_IN, USERS_REGISTER, page_register_post},
    {"GET", "/dashboard", SIGNED_IN, USERS_READ, page_dashboard},
    {"GET", "/public", PUBLIC, USERS_READ, page_public},
    {"GET", "/static/style.css", PUBLIC, USERS_READ, page_style},
};

#define N_ROUTES ((int)(sizeof routes / sizeof routes[0]))

const char *web_route_method(int i)
{
    return i >= 0 && i < N_ROUTES ? routes[i].method : NULL;
}

const char *web_route_path(int i)
{
    return i >= 0 && i < N_ROUTES ? routes[i].path : NULL;
}

/* 1 if path matches pattern, with its {x} segments copied into r->param_text. */
static int match(const char *pattern, const char *path, struct web_request *r)
{
    int n = 0;
    while (*pattern != '\0' && *path != '\0') {
        if (*pattern == '{') {
            const char *end = strchr(pattern, '}');
            size_t len = strcspn(path, "/");
            if (end == NULL || len == 0 || n == 2 || len >= sizeof r->param_text[0])
                return 0;
            memcpy(r->param_text[n], path, len);
            r->param_text[n][len] = '\0';
            r->params[n] = r->param_text[n];
            n++;
            pattern = end + 1;
            path += len;
        } else if (*pattern++ != *path++) {
            return 0;
        }
    }
    return *pattern == '\0' && *path == '\0';
}

static int is_api(const struct web_request *r)
{
    return strncmp(r->path, "/api/", 5) == 0;
}

int web_status_of(int sp_status)
{
    switch (sp_status) {
    case SP_OK:
        return 200;
    case SP_BAD_INPUT:
    case SP_USAGE:
        return 400;
    case SP_CONFLICT:
        return 409;
    default:
        return 500;
    }
}

void web_fail(struct web_request *r, int status, const char *code, const char *message,
              const char *field)
{
    struct error err;
    error_init(&err);
    buf_reset(&r->out);
    r->status = status;
    r->replied = 1;
    if (is_api(r) || strcmp(r->path, "(too long)") == 0) {
        r->content_type = "application/json";
        buf_puts(&r->out, "{\"error\": {\"code\": ", &err);
        buf_put_json(&r->out, code, &err);
        buf_puts(&r->out, ", \"message\": ", &err);
        buf_put_json(&r->out, message, &err);
        if (field != NULL) {
            buf_puts(&r->out, ", \"field\": ", &err);
            buf_put_json(&r->out, field, &err);
        }
        buf_puts(&r->out, "}}\n", &err);
        return;
    }
    html_begin(r, web_tr(r, status == 404 ? "Not found" : "Refused"));
    html_raw(r, "<h1>");
    html_text(r, web_tr(r, status == 404   ? "Not found"
                           : status == 403 ? "Not allowed"
                                           : "Something failed"));
    html_raw(r, "</h1>\n<p>");
    html_text(r, message);
    html_raw(r, "</p>\n<p><a href=\"/\">");
    html_text(r, web_tr(r, "Back"));
    html_raw(r, "</a></p>\n");
    html_end(r, status);
}

void web_forbid(struct web_request *r, const char *object, const char *why)
{
    struct error err;
    error_init(&err);
    if (users_note_refusal(r->store, object, why, &err) != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    web_fail(r, 403, "forbidden", why, NULL);
}

void web_redirect(struct web_request *r, const char *location)
{
    buf_reset(&r->out);
    r->status = 303;
    r->replied = 1;
    r->content_type = "text/plain";
    web_add_header(r, "Location", location);
}

/* The value of a hex digit, or -1. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes %XX and '+' of n bytes of a form's text into out (size bytes, cut). */
static void form_decode(const char *in, size_t n, char *out, size_t size)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < size; i++) {
        char c = in[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%' && i + 2 < n && hex_value(in[i + 1]) >= 0 &&
                   hex_value(in[i + 2]) >= 0) {
            c = (char)(hex_value(in[i + 1]) * 16 + hex_value(in[i + 2]));
            i += 2;
        }
        out[o++] = c;
    }
    out[o] = '\0';
}

int web_form_value(const struct web_request *r, const char *name, char *out, size_t size)
{
    out[0] = '\0';
    const char *p = r->body.data, *end = r->body.data + r->body.len;
    size_t name_len = strlen(name);
    while (p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        const char *stop = amp != NULL ? amp : end;
        const char *eq = memchr(p, '=', (size_t)(stop - p));
        if (eq != NULL && (size_t)(eq - p) == name_len && memcmp(p, name, name_len) == 0) {
            form_decode(eq + 1, (size_t)(stop - eq - 1), out, size);
            return 1;
        }
        p = stop + 1;
    }
    return 0;
}

void web_dispatch(struct web_request *r)
{
    const struct route *route = NULL;
    int path_known = 0;
    for (int i = 0; i < N_ROUTES && route == NULL; i++) {
        if (!match(routes[i].path, r->path, r))
            continue;
        path_known = 1;
        if (strcmp(routes[i].method, r->method) == 0 ||
            (strcmp(r->method, "HEAD") == 0 && strcmp(routes[i].method, "GET") == 0))
            route = &routes[i];
    }
    if (route == NULL) {
        if (path_known)
            web_fail(r, 405, "method_not_allowed", "this address does not take that method", NULL);
        else
            web_fail(r, 404, "not_found", "there is nothing at this address", NULL);
        return;
    }
    web_choose_lang(r);
    struct error err;
    error_init(&err);
    if (web_identify(r, &err) != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    if (route->access == SIGNED_IN) {
        if (!r->signed_in) {
            if (is_api(r)) {
                web_add_header(r, "WWW-Authenticate", "Bearer");
                web_fail(r, 401, "unauthenticated",
                         "sign in first: send a bearer token (Authorization: Bearer ...) or a "
                         "session cookie",
                         NULL);
            } else {
                web_redirect(r, "/login");
            }
            return;
        }
        if (!users_role_may(r->user.role, route->right)) {
            char why[160];
            snprintf(why, sizeof why, "a user with the role %s may not do this", r->user.role);
            web_forbid(r, r->path, why);
            return;
        }
        if (strcmp(r->method, "POST") == 0) {
            char form[USERS_TOKEN_SIZE + 8];
            int has_form = !is_api(r) && web_form_value(r, "csrf", form, sizeof form);
            if (!web_csrf_ok(r, has_form ? form : NULL)) {
                web_forbid(r, r->path,
                           "the request lacks this session's CSRF token: reload the form and "
                           "send it again");
                return;
            }
        }
    }
    route->handle(r);
    if (!r->replied)
        web_fail(r, 500, "internal", "the request was not answered", NULL);
}

int web_person_for(struct web_request *r, const char *id, struct person *p)
{
    struct error err;
    error_init(&err);
    char digits[WORKER_ID_SIZE];
    int found = 0;
    int rc = worker_id_parse(id, digits, NULL) == SP_OK
                 ? store_person_get(r->store, digits, p, &found, &err)
                 : SP_OK;
    if (rc != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return rc;
    }
    if (!found) {
        char message[160];
        snprintf(message, sizeof message, "no person with ID %.40s is registered", id);
        web_fail(r, 404, "not_found", message, NULL);
        return SP_BAD_INPUT;
    }
    if (!users_may_see(&r->user, p)) {
        char why[200];
        snprintf(why, sizeof why, "the %s %s may not see this person's record", r->user.role,
                 r->user.name);
        web_forbid(r, p->id, why);
        return SP_CONFLICT;
    }
    return SP_OK;
}

int web_entitlements_json(struct web_request *r, const char *id, int32_t as_of, int explain,
                          struct buf *doc, struct error *err)
{
    struct decision_view view = {1, explain ? DECISION_EXPLAIN_TEXT : DECISION_EXPLAIN_NONE,
                                 strcmp(r->lang, "en") != 0 && r->lang[0] ? r->lang : NULL};
    long failed = 0;
    return entitlements_person_document_cached(r->store, r->cache, r->srv->rules.lib, id, as_of,
                                               &view, doc, &failed, err);
}
