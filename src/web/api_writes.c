/*
 * api_writes.c: the JSON API's writes on a person's records and the payroll runs
 * (web_impl.h, docs/web.md), each through the ops function the CLI calls: enrol_person as
 * `spfloor enroll`, claims_file and claims_move as `spfloor claim`, grievances_open as
 * `spfloor grievance open`, payroll_run as `spfloor payroll run`. A body is a JSON object of
 * the route's fields only (a duplicate or unknown key is refused with its JSON pointer), each
 * a string; money is a decimal string.
 */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/date.h"
#include "base/money.h"
#include "model/claim.h"
#include "model/payment.h"
#include "ops/claims.h"
#include "ops/enrol.h"
#include "ops/grievances.h"
#include "ops/payroll.h"
#include "ops/records_json.h"
#include "pay/payment.h"
#include "registry/person_json.h"
#include "web/web_impl.h"

#define FIELDS_MAX 8 /* a route's body fields at most */

/* A route's body: its field names, which are needed, and what was sent. */
struct body {
    const char *names[FIELDS_MAX];
    int needed[FIELDS_MAX];
    const char *text[FIELDS_MAX]; /* the string sent, or NULL (owned by doc) */
    json_t *object;               /* the one field that is an object ("fields"), or NULL */
    json_t *doc;
};

/*
 * Fails r with an ops failure rc: 400 bad input, 409 conflict, 500 else. The field is `field`,
 * or, when NULL, the field of b the message starts with ("--about: ..." or "about: ...").
 */
static void fail_ops(struct web_request *r, int rc, const struct error *err, const struct body *b,
                     const char *field)
{
    char pointer[32] = "";
    const char *m = err->message;
    m += strncmp(m, "--", 2) == 0 ? 2 : 0;
    size_t n = strcspn(m, ":");
    for (int i = 0; field == NULL && i < FIELDS_MAX && b->names[i] != NULL; i++)
        if (m[n] == ':' && strlen(b->names[i]) == n && strncmp(m, b->names[i], n) == 0)
            snprintf(pointer, sizeof pointer, "/%s", b->names[i]);
    int status = web_status_of(rc);
    web_fail(r, status,
             status == 409   ? "conflict"
             : status == 400 ? "invalid"
                             : "storage",
             err->message,
             field != NULL ? field
             : pointer[0]  ? pointer
                           : NULL);
}

/*
 * Reads r's body into b: a JSON object whose keys are b->names (object_name, when not NULL,
 * the one that is an object; the others strings), the needed ones present and not empty.
 * SP_OK, or r's reply made (400 with the JSON pointer of the field).
 */
static int read_body(struct web_request *r, struct body *b, const char *object_name)
{
    json_error_t jerr;
    b->doc = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &jerr);
    char message[400], pointer[80];
    if (b->doc == NULL) {
        snprintf(message, sizeof message, "the body is not valid JSON: line %d column %d: %s",
                 jerr.line, jerr.column, jerr.text);
        web_fail(r, 400, "bad_json", message, "");
        return SP_BAD_INPUT;
    }
    if (!json_is_object(b->doc)) {
        web_fail(r, 400, "wrong_type", "the body is a JSON object", "");
        return SP_BAD_INPUT;
    }
    const char *key;
    json_t *value;
    json_object_foreach(b->doc, key, value)
    {
        int i = 0;
        while (i < FIELDS_MAX && b->names[i] != NULL && strcmp(b->names[i], key) != 0)
            i++;
        char token[64];
        person_json_pointer_token(key, token, sizeof token);
        snprintf(pointer, sizeof pointer, "/%s", token);
        if (i == FIELDS_MAX || b->names[i] == NULL) {
            snprintf(message, sizeof message, "%s: \"%.40s\" is not a field of this request",
                     pointer, key);
            web_fail(r, 400, "unknown_field", message, pointer);
            return SP_BAD_INPUT;
        }
        int is_object = object_name != NULL && strcmp(key, object_name) == 0;
        if (is_object ? !json_is_object(value) : !json_is_string(value)) {
            snprintf(message, sizeof message, "%s: %s", pointer,
                     is_object ? "an object of the event's facts, each a string"
                               : "a string (money as a decimal string such as \"4000.00\")");
            web_fail(r, 400, "wrong_type", message, pointer);
            return SP_BAD_INPUT;
        }
        if (is_object)
            b->object = value;
        else
            b->text[i] = json_string_value(value);
    }
    for (int i = 0; i < FIELDS_MAX && b->names[i] != NULL; i++) {
        int given = b->text[i] != NULL && b->text[i][0] != '\0';
        if (object_name != NULL && strcmp(b->names[i], object_name) == 0)
            given = b->object != NULL;
        if (b->needed[i] && !given) {
            snprintf(pointer, sizeof pointer, "/%s", b->names[i]);
            snprintf(message, sizeof message, "%s: needed", pointer);
            web_fail(r, 400, "missing_field", message, pointer);
            return SP_BAD_INPUT;
        }
    }
    return SP_OK;
}

/* Reads b's field i, a date (AD, or BS with " BS"), into *day (DATE_NONE when not sent).
 * SP_OK, or r's reply made. */
static int date_field(struct web_request *r, const struct body *b, int i, int32_t *day)
{
    *day = DATE_NONE;
    if (b->text[i] == NULL || b->text[i][0] == '\0')
        return SP_OK;
    struct error err;
    error_init(&err);
    struct calendar_date d;
    if (calendar_parse_date(b->text[i], CALENDAR_AD, &d, &err) != SP_OK) {
        char message[ERROR_MESSAGE_MAX + 80], pointer[32];
        snprintf(pointer, sizeof pointer, "/%s", b->names[i]);
        snprintf(message, sizeof message, "%s: %s", pointer, err.message);
        web_fail(r, 400, "invalid", message, pointer);
        return SP_BAD_INPUT;
    }
    *day = d.day;
    return SP_OK;
}

/* ---- enrolments ---- */

static void enrol(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    struct body b = {{"scheme", "from", "override_reason", "reason"}, {1, 1, 0, 1}, {0}, 0, 0};
    int32_t from;
    if (read_body(r, &b, NULL) != SP_OK || date_field(r, &b, 1, &from) != SP_OK) {
        json_decref(b.doc);
        return;
    }
    struct error err;
    error_init(&err);
    const char *override = b.text[2] != NULL && b.text[2][0] ? b.text[2] : NULL;
    const struct enrol_request rq = {p.id, b.text[0], from, override, r->user.name, b.text[3]};
    int added = 0;
    enum decision_status status = DECISION_FAILED;
    int rc = enrol_person(r->store, r->srv->rules.lib, &rq, &added, &status, &err);
    if (rc != SP_OK) {
        fail_ops(r, rc, &err, &b, rc == SP_CONFLICT ? "/scheme" : NULL);
        json_decref(b.doc);
        return;
    }
    char day[DATE_TEXT_SIZE];
    date_format(from, day);
    json_t *doc = json_pack("{s:s, s:s, s:s, s:b, s:s, s:b}", "person", p.id, "scheme", b.text[0],
                            "from", day, "added", added, "decision", decision_status_name(status),
                            "override", override != NULL);
    json_decref(b.doc);
    api_reply_json(r, added ? 201 : 200, doc);
}

void api_enrolment_create(struct web_request *r)
{
    api_idempotent(r, enrol);
}

/* ---- grievances ---- */

void api_grievance_create(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    struct body b = {{"about", "ref", "text"}, {1, 0, 1}, {0}, 0, 0};
    if (read_body(r, &b, NULL) != SP_OK) {
        json_decref(b.doc);
        return;
    }
    struct error err;
    error_init(&err);
    struct grievance_policy policy;
    struct grievance g;
    int rc = grievances_policy_load(NULL, &policy, &err);
    if (rc == SP_OK) {
        const struct grievances_request rq = {
            p.id,      b.text[0],    b.text[1] != NULL && b.text[1][0] ? b.text[1] : NULL,
            b.text[2], web_today(r), r->user.name};
        rc = grievances_open(r->store, &policy, &rq, web_today(r), &g, &err);
    }
    if (rc != SP_OK) {
        fail_ops(r, rc, &err, &b, NULL);
        json_decref(b.doc);
        return;
    }
    json_decref(b.doc);
    char location[64];
    snprintf(location, sizeof location, "/api/v1/persons/%s/grievances", p.id);
    web_add_header(r, "Location", location);
    api_reply_json(r, 201, records_grievance_json(&g));
}

/* ---- claims ---- */

void api_claim_create(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    struct body b = {{"scheme", "event", "date", "fields", "reason"}, {1, 1, 1, 0, 0}, {0}, 0, 0};
    int32_t date;
    if (read_body(r, &b, "fields") != SP_OK || date_field(r, &b, 2, &date) != SP_OK) {
        json_decref(b.doc);
        return;
    }
    /* the facts: {"name": "value"} into "name=value" */
    char facts[CLAIMS_FIELDS_MAX][CLAIM_FIELDS_SIZE];
    const char *fields[CLAIMS_FIELDS_MAX];
    int n = 0;
    const char *key;
    json_t *value;
    char message[CLAIM_FIELDS_SIZE + 100], pointer[80];
    if (b.object != NULL) {
        json_object_foreach(b.object, key, value)
        {
            char token[64];
            person_json_pointer_token(key, token, sizeof token);
            snprintf(pointer, sizeof pointer, "/fields/%s", token);
            if (n == CLAIMS_FIELDS_MAX || !json_is_string(value) ||
                strlen(key) + json_string_length(value) + 2 > CLAIM_FIELDS_SIZE ||
                strpbrk(key, "=/~\n") != NULL || strchr(json_string_value(value), '\n') != NULL) {
                snprintf(message, sizeof message, "%s: %s", pointer,
                         n == CLAIMS_FIELDS_MAX ? "at most 16 facts"
                         : !json_is_string(value)
                             ? "a fact's value is a string (money as a decimal string)"
                             : "a fact's name or value that cannot be stored");
                web_fail(r, 400,
                         n == CLAIMS_FIELDS_MAX || json_is_string(value) ? "invalid" : "wrong_type",
                         message, pointer);
                json_decref(b.doc);
                return;
            }
            snprintf(facts[n], sizeof facts[n], "%s=%s", key, json_string_value(value));
            fields[n] = facts[n];
            n++;
        }
    }
    struct error err;
    error_init(&err);
    const char *reason = b.text[4] != NULL && b.text[4][0] ? b.text[4] : "filed through the API";
    const struct claims_request rq = {p.id, b.text[0], b.text[1], date,         fields,
                                      n,    NULL,      0,         r->user.name, reason};
    struct claim c;
    int rc = claims_file(r->store, r->srv->rules.lib, &rq, web_today(r), &c, &err);
    if (rc != SP_OK) {
        /* "--field weight: ..." names a fact: /fields/weight */
        const char *field = NULL;
        if (strncmp(err.message, "--field ", 8) == 0) {
            size_t len = strcspn(err.message + 8, ": =");
            snprintf(pointer, sizeof pointer, "/fields/%.*s", (int)(len < 40 ? len : 40),
                     err.message + 8);
            field = pointer;
        }
        fail_ops(r, rc, &err, &b, field);
        json_decref(b.doc);
        return;
    }
    json_decref(b.doc);
    char location[64];
    snprintf(location, sizeof location, "/api/v1/persons/%s/claims", p.id);
    web_add_header(r, "Location", location);
    api_reply_json(r, 201, records_claim_json(&c));
}

void api_claim_state(struct web_request *r)
{
    struct error err;
    error_init(&err);
    int64_t id = 0;
    struct claim c;
    int found = 0;
    if (claims_parse_id(r->params[0], &id, &err) != SP_OK) {
        web_fail(r, 404, "not_found", err.message, NULL);
        return;
    }
    if (store_claim_get(r->store, id, &c, &found, &err) != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    if (!found) {
        char message[96];
        snprintf(message, sizeof message, "there is no claim %lld", (long long)id);
        web_fail(r, 404, "not_found", message, NULL);
        return;
    }
    struct person p;
    if (web_person_for(r, c.person, &p) != SP_OK)
        return;
    struct body b = {{"to", "reason", "amount"}, {1, 1, 0}, {0}, 0, 0};
    if (read_body(r, &b, NULL) != SP_OK) {
        json_decref(b.doc);
        return;
    }
    int to = claim_state_parse(b.text[0]);
    if (to == 0) {
        char message[200];
        snprintf(message, sizeof message,
                 "/to: \"%.40s\" is not a claim's state (under_review, approved, rejected, paid, "
                 "appealed)",
                 b.text[0]);
        web_fail(r, 400, "invalid", message, "/to");
        json_decref(b.doc);
        return;
    }
    int64_t amount = -1;
    if (b.text[2] != NULL) {
        struct money m;
        if (money_parse_unsigned(b.text[2], c.currency, &m, &err) != SP_OK) {
            char message[ERROR_MESSAGE_MAX + 16];
            snprintf(message, sizeof message, "/amount: %s", err.message);
            web_fail(r, 400, "invalid", message, "/amount");
            json_decref(b.doc);
            return;
        }
        amount = m.minor;
    }
    struct claim after;
    int rc =
        claims_move(r->store, id, to, web_today(r), amount, r->user.name, b.text[1], &after, &err);
    if (rc != SP_OK) {
        fail_ops(r, rc, &err, &b, rc == SP_CONFLICT ? "/to" : NULL);
        json_decref(b.doc);
        return;
    }
    json_decref(b.doc);
    api_reply_json(r, 200, records_claim_json(&after));
}

/* ---- payroll ---- */

#define NOT_PAID_MAX 100 /* persons not paid a run's reply lists at most */

/* A sum in minor units of currency as its decimal string. */
static json_t *money_json(int64_t minor, const char *currency)
{
    struct money m = {minor, ""};
    snprintf(m.currency, sizeof m.currency, "%s", currency);
    char text[MONEY_TEXT_MAX];
    money_format(m, text, sizeof text);
    return json_string(text);
}

struct not_paid {
    json_t *list;
    int64_t more; /* listed beyond NOT_PAID_MAX */
};

static int note_not_paid(void *ctx, const char *person, const char *why)
{
    struct not_paid *np = ctx;
    if (json_array_size(np->list) >= NOT_PAID_MAX) {
        np->more++;
        return 0;
    }
    json_t *o = json_pack("{s:s, s:s}", "person", person, "why", why);
    return o != NULL && json_array_append_new(np->list, o) == 0 ? 0 : SP_IO;
}

static void run_payroll(struct web_request *r)
{
    struct body b = {{"scheme", "period", "as_of"}, {1, 1, 0}, {0}, 0, 0};
    int32_t as_of;
    if (read_body(r, &b, NULL) != SP_OK || date_field(r, &b, 2, &as_of) != SP_OK) {
        json_decref(b.doc);
        return;
    }
    struct error err;
    error_init(&err);
    const struct payroll_request rq = {b.text[0],    b.text[1],   as_of, r->srv->cfg->schemes_dir,
                                       r->user.name, web_today(r)};
    struct payroll_summary sum;
    memset(&sum, 0, sizeof sum);
    struct not_paid np = {json_array(), 0};
    int rc = np.list == NULL ? error_nomem(&err)
                             : payroll_run(r->store, r->srv->rules.lib, &rq, note_not_paid, &np,
                                           NULL, NULL, &sum, &err);
    if (rc != SP_OK) {
        json_decref(np.list);
        fail_ops(r, rc, &err, &b, NULL);
        json_decref(b.doc);
        return;
    }
    json_t *doc = json_pack(
        "{s:s, s:s, s:s, s:s, s:b, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:s, s:o, s:I}", "scheme",
        rq.scheme, "period", sum.period.id, "label", sum.period.label, "batch", sum.batch,
        "new_batch", sum.new_batch, "enrolled", (json_int_t)sum.enrolled, "payable",
        (json_int_t)sum.payable, "created", (json_int_t)sum.created, "reissued",
        (json_int_t)sum.reissued, "already", (json_int_t)sum.already, "listed",
        (json_int_t)sum.listed, "amount", money_json(sum.amount, sum.currency), "currency",
        sum.currency, "not_paid", np.list, "not_paid_more", (json_int_t)np.more);
    json_decref(b.doc); /* after the pack: rq.scheme is its text */
    api_reply_json(r, sum.created > 0 ? 201 : 200, doc);
}

void api_payroll_run(struct web_request *r)
{
    api_idempotent(r, run_payroll);
}

static int batch_json(void *ctx, const struct payroll_batch_totals *t)
{
    char as_of[DATE_TEXT_SIZE];
    date_format(t->batch.as_of, as_of);
    json_t *states = json_object();
    for (int s = 0; states != NULL && s < PAYMENT_STATES; s++)
        if (t->count[s] > 0)
            json_object_set_new(states, payment_state_name(s),
                                json_pack("{s:I, s:o}", "count", (json_int_t)t->count[s], "amount",
                                          money_json(t->amount[s], t->currency)));
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", t->batch.id, "scheme",
                  t->batch.scheme, "period", t->batch.period, "as_of", as_of, "created_at",
                  t->batch.created_at, "exported_at", t->batch.exported_at, "actor", t->batch.actor,
                  "digest", t->batch.digest, "currency", t->currency, "payments", states);
    return o != NULL && json_array_append_new(ctx, o) == 0 ? 0 : SP_IO;
}

void api_payroll_batches(struct web_request *r)
{
    struct error err;
    error_init(&err);
    json_t *list = json_array();
    int rc = list == NULL ? error_nomem(&err) : payroll_batches(r->store, batch_json, list, &err);
    if (rc != SP_OK) {
        json_decref(list);
        web_fail(r, 500, "storage", err.message[0] ? err.message : "out of memory", NULL);
        return;
    }
    api_reply_json(r, 200, json_pack("{s:o}", "batches", list));
}
