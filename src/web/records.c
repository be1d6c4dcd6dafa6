/*
 * records.c: a person's records for the single window and /api/v1/persons/{id}/...: their
 * contributions with the qualifying status, claims, payments and grievances, as the CLI's
 * JSON gives them (ops/records_json.h), and the history of corrections.
 */
#include <stdio.h>
#include <string.h>

#include "ops/contributions.h"
#include "ops/records_json.h"
#include "web/web_impl.h"

static int add_claim(void *ctx, const struct claim *c)
{
    json_t *o = records_claim_json(c);
    return o != NULL && json_array_append_new(ctx, o) == 0 ? 0 : SP_IO;
}

static int add_grievance(void *ctx, const struct grievance *g)
{
    json_t *o = records_grievance_json(g);
    return o != NULL && json_array_append_new(ctx, o) == 0 ? 0 : SP_IO;
}

static int add_payment(void *ctx, const struct payment *p)
{
    json_t *o = records_payment_json(p);
    return o != NULL && json_array_append_new(ctx, o) == 0 ? 0 : SP_IO;
}

static json_t *contributions(struct web_request *r, const char *id, int32_t as_of,
                             struct error *err)
{
    struct contributions_history h;
    struct buf qualifying, doc;
    buf_init(&qualifying, WEB_REPLY_MAX);
    buf_init(&doc, WEB_REPLY_MAX);
    json_t *out = NULL;
    int rc = contributions_history(r->store, id, &h, err);
    if (rc == SP_OK)
        rc = contributions_qualifying(r->store, r->srv->rules.lib, id, as_of, &qualifying, err);
    if (rc == SP_OK)
        rc = records_contributions_json(id, &h, qualifying.len ? qualifying.data : "", &doc, err);
    if (rc == SP_OK) {
        out = json_loadb(doc.data, doc.len, 0, NULL);
        if (out == NULL)
            error_nomem(err);
    }
    contributions_history_release(&h);
    buf_release(&qualifying);
    buf_release(&doc);
    return out;
}

json_t *web_records_json(struct web_request *r, const char *id, enum web_records kind,
                         int32_t as_of, struct error *err)
{
    if (kind == WEB_CONTRIBUTIONS)
        return contributions(r, id, as_of, err);
    static const char *const names[] = {"", "claims", "payments", "grievances"};
    json_t *list = json_array();
    if (list == NULL) {
        error_nomem(err);
        return NULL;
    }
    int rc = kind == WEB_CLAIMS ? store_claims_each(r->store, id, add_claim, list, err)
             : kind == WEB_PAYMENTS
                 ? store_payments_each(r->store, NULL, id, add_payment, list, err)
                 : store_grievances_each(r->store, id, 0, add_grievance, list, err);
    if (rc != SP_OK) {
        if (err->message[0] == '\0')
            error_set(err, SP_IO, "the %s could not be read", names[kind]);
        json_decref(list);
        return NULL;
    }
    json_t *doc = json_pack("{s:s, s:o}", "person", id, names[kind], list);
    if (doc == NULL)
        error_nomem(err);
    return doc;
}
