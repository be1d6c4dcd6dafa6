/*
 * records_json.c: a person's records as JSON (records_json.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "ledger/ledger.h"
#include "ops/records_json.h"

static void amount_text(int64_t minor, const char *currency, char *out, size_t size)
{
    struct money m = {minor, ""};
    text_copy(m.currency, sizeof m.currency, currency);
    money_format(m, out, size);
}

/* A day as YYYY-MM-DD, or "" for none. */
static void day_text(int32_t d, char out[DATE_TEXT_SIZE])
{
    out[0] = '\0';
    if (d != DATE_NONE)
        date_format(d, out);
}

json_t *records_claim_json(const struct claim *c)
{
    char day[DATE_TEXT_SIZE], amount[MONEY_TEXT_MAX];
    date_format(c->event_date, day);
    json_t *o =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)c->id,
                  "person", c->person, "scheme", c->scheme, "event", c->event_type, "date", day,
                  "state", claim_state_name(c->state), "decision", c->decision, "currency",
                  c->currency, "filed_at", c->filed_at, "by", c->actor);
    if (o == NULL)
        return NULL;
    if (c->has_amount) {
        amount_text(c->amount, c->currency, amount, sizeof amount);
        json_object_set_new(o, "amount", json_string(amount));
        json_object_set_new(o, "per", json_string(c->per));
    }
    if (c->days >= 0)
        json_object_set_new(o, "days", json_integer(c->days));
    if (c->paid >= 0) {
        amount_text(c->paid, c->currency, amount, sizeof amount);
        json_object_set_new(o, "paid", json_string(amount));
    }
    const char *keys[] = {"explanation", "missing", "fields"};
    const char *texts[] = {c->explanation, c->missing, c->fields};
    for (int k = 0; k < 3; k++) {
        json_t *a = json_array();
        for (const char *at = texts[k]; a != NULL && *at;) {
            const char *end = strchr(at, '\n');
            size_t n = end ? (size_t)(end - at) : strlen(at);
            json_array_append_new(a, json_stringn(at, n));
            at += n + (end != NULL);
        }
        json_object_set_new(o, keys[k], a != NULL ? a : json_null());
    }
    return o;
}

json_t *records_grievance_json(const struct grievance *g)
{
    char opened[DATE_TEXT_SIZE], since[DATE_TEXT_SIZE], deadline[DATE_TEXT_SIZE],
        resolved[DATE_TEXT_SIZE];
    day_text(g->opened_on, opened);
    day_text(g->level_since, since);
    day_text(g->deadline, deadline);
    day_text(g->resolved_on, resolved);
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id",
                          (json_int_t)g->id, "person", g->person, "about",
                          grievance_about_name(g->about), "ref", g->ref, "text", g->text, "state",
                          grievance_state_name(g->state), "level", g->level, "opened_on", opened,
                          "level_since", since, "deadline", deadline, "by", g->actor);
    if (o != NULL && g->state == GRIEVANCE_RESOLVED) {
        json_object_set_new(o, "resolved_on", json_string(resolved));
        json_object_set_new(o, "resolution", json_string(g->resolution));
    }
    return o;
}

json_t *records_payment_json(const struct payment *p)
{
    char amount[MONEY_TEXT_MAX], day[DATE_TEXT_SIZE];
    amount_text(p->amount, p->currency, amount, sizeof amount);
    json_t *o =
        json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", p->id, "batch", p->batch,
                  "person", p->person, "scheme", p->scheme, "period", p->period, "amount", amount,
                  "currency", p->currency, "state", payment_state_name(p->state));
    if (o == NULL)
        return NULL;
    day_text(p->on[p->state], day);
    json_object_set_new(o, "since", json_string(day));
    json_object_set_new(o, "account", json_string(p->account));
    if (p->holder[0])
        json_object_set_new(o, "holder", json_string(p->holder));
    if (p->reissue_of[0])
        json_object_set_new(o, "reissue_of", json_string(p->reissue_of));
    if (p->status_reason[0])
        json_object_set_new(o, "status_reason", json_string(p->status_reason));
    return o;
}

int records_contributions_json(const char *id, const struct contributions_history *h,
                               const char *qualifying, struct buf *out, struct error *err)
{
    int rc = buf_printf(out, err, "{\"person\": \"%s\", \"entries\": [", id);
    for (int i = 0; i < h->n && rc == SP_OK; i++) {
        const struct contribution_entry *e = &h->entries[i];
        char month[MONTH_TEXT_SIZE], wage[32], v[3][32];
        month_format(e->c.month, month);
        amount_text(e->c.wage.minor, e->c.wage.currency, wage, sizeof wage);
        const struct money *p[3] = {&e->c.employee, &e->c.employer, &e->c.state};
        rc = buf_printf(out, err,
                        "%s\n  {\"entry\": %lld, \"scheme\": \"%s\", \"month\": \"%s\", "
                        "\"currency\": \"%s\", \"wage\": \"%s\"",
                        i ? "," : "", (long long)e->id, e->c.scheme, month, e->c.wage.currency,
                        wage);
        static const char *const names[3] = {"employee", "employer", "state"};
        for (int k = 0; k < 3 && rc == SP_OK; k++)
            if (p[k]->currency[0]) {
                amount_text(p[k]->minor, e->c.wage.currency, v[k], sizeof v[k]);
                rc = buf_printf(out, err, ", \"%s\": \"%s\"", names[k], v[k]);
            }
        if (rc == SP_OK && e->employer[0]) {
            rc = buf_puts(out, ", \"paid_by\": ", err);
            if (rc == SP_OK)
                rc = buf_put_json(out, e->employer, err);
        }
        if (rc == SP_OK && e->paid >= 0) {
            amount_text(e->paid, e->c.wage.currency, wage, sizeof wage);
            rc = buf_printf(out, err, ", \"paid\": \"%s\"", wage);
        }
        char day[DATE_TEXT_SIZE];
        if (rc == SP_OK && e->paid_on != DATE_NONE) {
            date_format(e->paid_on, day);
            rc = buf_printf(out, err, ", \"paid_on\": \"%s\"", day);
        }
        if (rc == SP_OK && e->due != DATE_NONE) {
            date_format(e->due, day);
            rc = buf_printf(out, err, ", \"due\": \"%s\", \"days_late\": %d", day,
                            (int)ledger_days_late(e));
        }
        if (rc == SP_OK)
            rc = buf_printf(out, err, ", \"voluntary\": %s, \"stands\": %s",
                            e->voluntary ? "true" : "false", h->stands[i] ? "true" : "false");
        if (rc == SP_OK && e->reverses != 0)
            rc = buf_printf(out, err, ", \"reverses\": %lld", (long long)e->reverses);
        if (rc == SP_OK)
            rc = buf_putc(out, '}', err);
    }
    if (rc == SP_OK)
        rc = buf_puts(out, "],\n \"totals\": [", err);
    for (int i = 0; i < h->n_totals && rc == SP_OK; i++) {
        const struct ledger_total *t = &h->totals[i];
        char v[5][32];
        amount_text(t->wage, t->currency, v[0], sizeof v[0]);
        for (int k = 0; k < 3; k++)
            amount_text(t->parts[k], t->currency, v[1 + k], sizeof v[1 + k]);
        amount_text(t->total, t->currency, v[4], sizeof v[4]);
        rc = buf_printf(out, err,
                        "%s\n  {\"scheme\": \"%s\", \"currency\": \"%s\", \"months\": %d, "
                        "\"wage\": \"%s\", \"employee\": \"%s\", \"employer\": \"%s\", "
                        "\"state\": \"%s\", \"total\": \"%s\", \"late\": %d}",
                        i ? "," : "", t->scheme, t->currency, t->months, v[0], v[1], v[2], v[3],
                        v[4], t->late);
    }
    if (rc == SP_OK)
        rc = buf_puts(out, "],\n \"qualifying\": ", err);
    if (rc == SP_OK)
        rc = buf_put_json(out, qualifying, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "}\n", err);
    return rc;
}
