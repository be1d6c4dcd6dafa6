/*
 * api.c: the JSON API under /api/v1 (web_impl.h, docs/web.md). The same field names and
 * formats as the CLI's JSON: persons as registry/person_json.h writes them, decisions as
 * ops/decision_format.h does. Errors are {"error": {"code", "message", "field"}}, field a JSON
 * pointer into the request's body.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/calendar.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/audit_verify.h"
#include "ops/persons.h"
#include "ops/transaction.h"
#include "ops/users.h"
#include "registry/dedup.h"
#include "registry/person_json.h"
#include "web/web_impl.h"

void api_reply_json(struct web_request *r, int status, json_t *v)
{
    char *text = v != NULL ? json_dumps(v, JSON_INDENT(1) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(v);
    struct error err;
    error_init(&err);
    buf_reset(&r->out);
    if (text == NULL || buf_puts(&r->out, text, &err) != SP_OK ||
        buf_putc(&r->out, '\n', &err) != SP_OK) {
        free(text);
        web_fail(r, 500, "internal", "out of memory writing the reply", NULL);
        return;
    }
    free(text);
    r->status = status;
    r->content_type = "application/json";
    r->replied = 1;
}

/*
 * The field of a message that starts with one: "/birth_date: ..." (a JSON pointer) or
 * "birth_date: ..." (a vocabulary name), as a JSON pointer into field; "" when none.
 */
static void field_of(const char *message, char *field, size_t size)
{
    field[0] = '\0';
    size_t n = strcspn(message, ": ");
    if (n == 0 || message[n] != ':' || n + 2 > size)
        return;
    if (message[0] == '/') {
        memcpy(field, message, n);
        field[n] = '\0';
        return;
    }
    char name[64];
    if (n >= sizeof name)
        return;
    memcpy(name, message, n);
    name[n] = '\0';
    if (person_field_find(name) != NULL)
        snprintf(field, size, "/%s", name);
}

/* Fails r with an ops error: its status, and the field its message names. */
static void fail_with(struct web_request *r, int status, const char *code, const struct error *err)
{
    char field[128];
    field_of(err->message, field, sizeof field);
    web_fail(r, status, code, err->message, field[0] ? field : NULL);
}

/* Checks a new person's keys before reading them: every key a field of the vocabulary (not
 * "id": the registry gives it), and money written as a string. SP_OK, or r's reply made. */
static int check_keys(struct web_request *r, json_t *obj)
{
    const char *key;
    json_t *value;
    json_object_foreach(obj, key, value)
    {
        char token[96], pointer[100];
        person_json_pointer_token(key, token, sizeof token);
        snprintf(pointer, sizeof pointer, "/%s", token);
        const struct person_field *f = person_field_find(key);
        if (f == NULL || strcmp(key, "id") == 0) {
            char message[400];
            snprintf(message, sizeof message,
                     "%s: \"%.60s\" is not a field a new person may have (the facts "
                     "vocabulary: docs/vocabulary.md)",
                     pointer, key);
            web_fail(r, 400, "unknown_field", message, pointer);
            return SP_BAD_INPUT;
        }
        if (f->type == FIELD_MONEY && !json_is_string(value) && !json_is_null(value)) {
            char message[300];
            snprintf(message, sizeof message,
                     "%s: money is written as a decimal string such as \"4000.00\", not as a "
                     "number",
                     pointer);
            web_fail(r, 400, "wrong_type", message, pointer);
            return SP_BAD_INPUT;
        }
    }
    return SP_OK;
}

/* Registers the person in r's body, making r's reply. */
static void create_person(struct web_request *r)
{
    json_error_t jerr;
    json_t *doc = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    if (doc == NULL) {
        char message[300];
        snprintf(message, sizeof message, "the body is not valid JSON: line %d column %d: %s",
                 jerr.line, jerr.column, jerr.text);
        web_fail(r, 400, "bad_json", message, "");
        return;
    }
    if (!json_is_object(doc)) {
        json_decref(doc);
        web_fail(r, 400, "wrong_type", "the body is a JSON object: a person's facts", "");
        return;
    }
    struct error err;
    error_init(&err);
    struct person p;
    const struct person_json_options opt = {1, NULL, 0, CALENDAR_AD};
    int rc = check_keys(r, doc);
    if (rc == SP_OK && person_from_json_with(doc, "", web_today(r), &opt, &p, &err) != SP_OK) {
        fail_with(r, 400, "invalid", &err);
        rc = SP_BAD_INPUT;
    }
    json_decref(doc);
    if (rc != SP_OK)
        return;
    const struct persons_duplicate_check check = {DEDUP_THRESHOLD, NULL, 0, r->user.name};
    rc = persons_add_checked(r->store, &p, &check, NULL, NULL, &err);
    if (rc == SP_CONFLICT) {
        fail_with(r, 409, "conflict", &err);
        return;
    }
    if (rc != SP_OK) {
        fail_with(r, rc == SP_BAD_INPUT ? 422 : 500, rc == SP_BAD_INPUT ? "invalid" : "storage",
                  &err);
        return;
    }
    char location[96];
    snprintf(location, sizeof location, "/api/v1/persons/%s", p.id);
    web_add_header(r, "Location", location);
    api_reply_json(r, 201, person_to_json(&p));
}

struct kept {
    const struct store_reply *reply;
    const char *body;
};

static int keep_reply(struct store *store, void *arg, struct error *err)
{
    const struct kept *k = arg;
    return store_reply_put(store, k->reply, k->body, err);
}

void api_idempotent(struct web_request *r, void (*handle)(struct web_request *r))
{
    const char *key = web_header(r, "Idempotency-Key");
    if (key == NULL) {
        handle(r);
        return;
    }
    size_t n = strlen(key);
    int printable = n > 0 && n < STORE_IDEM_KEY_SIZE;
    for (size_t i = 0; printable && i < n; i++)
        printable = key[i] > ' ' && key[i] < 127;
    if (!printable) {
        web_fail(r, 400, "bad_idempotency_key",
                 "an Idempotency-Key is 1 to 128 printable characters without blanks", NULL);
        return;
    }
    struct store_reply kept;
    memset(&kept, 0, sizeof kept);
    text_copy(kept.user, sizeof kept.user, r->user.name);
    text_copy(kept.key, sizeof kept.key, key);
    {
        struct buf what;
        buf_init(&what, WEB_BODY_MAX + WEB_URL_MAX + 16);
        struct error e;
        error_init(&e);
        buf_printf(&what, &e, "%s %s\n", r->method, r->path);
        buf_append(&what, r->body.data, r->body.len, &e);
        audit_digest(what.data, what.len, kept.request);
        buf_release(&what);
    }
    struct error err;
    error_init(&err);
    struct store_reply before;
    int found = 0;
    struct buf body;
    buf_init(&body, STORE_REPLY_MAX);
    if (store_reply_get(r->store, r->user.name, key, &before, &body, &found, &err) != SP_OK) {
        buf_release(&body);
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    if (found) {
        if (strcmp(before.request, kept.request) != 0) {
            web_fail(r, 422, "idempotency_key_reused",
                     "this Idempotency-Key was sent before with another request: use a new key",
                     NULL);
        } else {
            buf_reset(&r->out);
            buf_append(&r->out, body.data, body.len, &err);
            r->status = before.status;
            r->content_type = "application/json";
            r->replied = 1;
            web_add_header(r, "Idempotent-Replayed", "true");
        }
        buf_release(&body);
        return;
    }
    buf_release(&body);
    handle(r);
    if (r->status >= 500)
        return; /* not kept: the same key may be tried again */
    kept.status = r->status;
    kept.created_at = web_now();
    struct kept k = {&kept, r->out.data};
    if (ops_transaction(r->store, keep_reply, &k, NULL, NULL, &err) != SP_OK)
        web_fail(r, 500, "storage", err.message, NULL);
}

void api_person_create(struct web_request *r)
{
    api_idempotent(r, create_person);
}

void api_person_get(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) == SP_OK)
        api_reply_json(r, 200, person_to_json(&p));
}

/* Reads a count query argument: def when absent; -1 when not a number from low to high. */
static int count_arg(struct web_request *r, const char *name, int def, int low, int high)
{
    const char *text = web_query(r, name);
    long long n;
    if (text == NULL)
        return def;
    if (!text_parse_int64(text, &n) || n < low || n > high)
        return -1;
    return (int)n;
}

struct found {
    struct web_request *r;
    json_t *persons;
    int hidden; /* found but outside the user's area */
};

static int found_one(void *ctx, const struct person *p)
{
    struct found *f = ctx;
    if (!users_may_see(&f->r->user, p)) {
        f->hidden++;
        return 0;
    }
    json_t *obj = person_to_json(p);
    return obj == NULL || json_array_append_new(f->persons, obj) != 0 ? SP_IO : 0;
}

void api_person_search(struct web_request *r)
{
    const char *q = web_query(r, "q");
    const char *country = web_query(r, "country");
    int limit = count_arg(r, "limit", 20, 1, WEB_SEARCH_MAX);
    int offset = count_arg(r, "offset", 0, 0, 1000000);
    if (limit < 0 || offset < 0) {
        web_fail(r, 400, "bad_parameter",
                 limit < 0 ? "limit: a number from 1 to 100" : "offset: a number from 0 on", NULL);
        return;
    }
    if (q != NULL && strlen(q) > 128) {
        web_fail(r, 400, "bad_parameter", "q: at most 128 characters", NULL);
        return;
    }
    struct found f = {r, json_array(), 0};
    struct error err;
    error_init(&err);
    int rc = f.persons == NULL ? error_nomem(&err)
                               : store_person_find(r->store, q != NULL ? q : "",
                                                   country != NULL && country[0] ? country : NULL,
                                                   limit, offset, found_one, &f, &err);
    if (rc != SP_OK) {
        json_decref(f.persons);
        web_fail(r, 500, "storage", err.message[0] ? err.message : "the search failed", NULL);
        return;
    }
    json_t *doc = json_pack("{s:s, s:o, s:i}", "q", q != NULL ? q : "", "persons", f.persons,
                            "count", (json_int_t)json_array_size(f.persons));
    api_reply_json(r, 200, doc);
}

/* Reads the query argument as_of into *day (today when absent). SP_OK, or r's reply made. */
static int as_of_arg(struct web_request *r, int32_t *day)
{
    struct error err;
    error_init(&err);
    *day = web_today(r);
    const char *text = web_query(r, "as_of");
    if (text == NULL)
        return SP_OK;
    struct calendar_date d;
    if (calendar_parse_date(text, CALENDAR_AD, &d, &err) != SP_OK) {
        char message[ERROR_MESSAGE_MAX + 16];
        snprintf(message, sizeof message, "as_of: %s", err.message);
        web_fail(r, 400, "bad_parameter", message, NULL);
        return SP_BAD_INPUT;
    }
    *day = d.day;
    return SP_OK;
}

void api_person_entitlements(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    struct error err;
    error_init(&err);
    int32_t as_of;
    if (as_of_arg(r, &as_of) != SP_OK)
        return;
    const char *explain = web_query(r, "explain");
    struct buf doc;
    buf_init(&doc, WEB_REPLY_MAX);
    int rc = web_entitlements_json(r, p.id, as_of, explain != NULL && strcmp(explain, "text") == 0,
                                   &doc, &err);
    if (rc != SP_OK) {
        buf_release(&doc);
        fail_with(r, rc == SP_BAD_INPUT ? 422 : 500, rc == SP_BAD_INPUT ? "not_decided" : "storage",
                  &err);
        return;
    }
    buf_reset(&r->out);
    if (buf_append(&r->out, doc.data, doc.len, &err) != SP_OK) {
        buf_release(&doc);
        web_fail(r, 500, "internal", "the reply is too large", NULL);
        return;
    }
    buf_release(&doc);
    r->status = 200;
    r->content_type = "application/json";
    r->replied = 1;
}

/* A person's records of one kind (web_records_json). */
static void person_records(struct web_request *r, enum web_records kind)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    int32_t as_of;
    if (as_of_arg(r, &as_of) != SP_OK)
        return;
    struct error err;
    error_init(&err);
    json_t *doc = web_records_json(r, p.id, kind, as_of, &err);
    if (doc == NULL)
        web_fail(r, 500, "storage", err.message, NULL);
    else
        api_reply_json(r, 200, doc);
}

void api_person_contributions(struct web_request *r)
{
    person_records(r, WEB_CONTRIBUTIONS);
}

void api_person_claims(struct web_request *r)
{
    person_records(r, WEB_CLAIMS);
}

void api_person_payments(struct web_request *r)
{
    person_records(r, WEB_PAYMENTS);
}

void api_person_grievances(struct web_request *r)
{
    person_records(r, WEB_GRIEVANCES);
}

void api_audit_verify(struct web_request *r)
{
    struct audit_verdict v;
    struct error err;
    error_init(&err);
    if (audit_verify(r->store, &r->srv->cfg->key, &v, &err) != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    json_t *doc = json_pack("{s:b, s:I, s:b}", "intact", v.first_bad == 0, "entries",
                            (json_int_t)v.entries, "keyed", r->srv->cfg->key.given);
    if (doc != NULL && v.first_bad != 0) {
        json_object_set_new(doc, "first_bad", json_integer(v.first_bad));
        json_object_set_new(doc, "why", json_string(v.why));
    }
    if (doc != NULL && v.entries > 0)
        json_object_set_new(doc, "last",
                            json_pack("{s:I, s:s, s:s}", "seq", (json_int_t)v.last.seq, "at",
                                      v.last.at, "mac", v.last.mac));
    api_reply_json(r, 200, doc);
}

void api_openapi(struct web_request *r)
{
    const char *text = web_asset("openapi.json");
    struct error err;
    error_init(&err);
    buf_reset(&r->out);
    if (text == NULL || buf_puts(&r->out, text, &err) != SP_OK) {
        web_fail(r, 500, "internal", "the description is missing", NULL);
        return;
    }
    r->status = 200;
    r->content_type = "application/json";
    r->replied = 1;
    web_add_header(r, "Cache-Control", "public, max-age=300");
}
