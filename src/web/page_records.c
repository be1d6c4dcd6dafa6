/*
 * page_records.c: the single window's record sections (web_impl.h): contributions with the
 * qualifying status, claims, payments, grievances, and the history of corrections. Each is
 * drawn from the JSON the API gives (records.c), so the page and /api/v1 cannot disagree.
 */
#include <stdio.h>
#include <string.h>

#include "ops/users.h"
#include "web/web_impl.h"

#define WEB_PAGE_ENTRIES 36 /* ledger entries the page shows at most, the latest */

/* The string member `key` of o, or "". */
static const char *field(json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s != NULL ? s : "";
}

/* A table's head: a region that scrolls sideways at 360 px, its caption and columns. */
static void table_begin(struct web_request *r, const char *caption, const char *const *cols, int n)
{
    html_raw(r, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    html_text(r, caption);
    html_raw(r, "\"><table>\n<caption>");
    html_text(r, caption);
    html_raw(r, "</caption>\n<thead><tr>");
    for (int i = 0; i < n; i++) {
        html_raw(r, "<th scope=\"col\">");
        html_text(r, web_tr(r, cols[i]));
        html_raw(r, "</th>");
    }
    html_raw(r, "</tr></thead>\n<tbody>\n");
}

static void table_end(struct web_request *r)
{
    html_raw(r, "</tbody>\n</table></div>\n");
}

static void cell(struct web_request *r, const char *text)
{
    html_raw(r, "<td>");
    html_text(r, text);
    html_raw(r, "</td>");
}

/* "amount currency" in a cell, or "-". */
static void money_cell(struct web_request *r, json_t *o, const char *key)
{
    const char *a = field(o, key);
    html_raw(r, "<td>");
    html_text(r, a[0] ? a : "-");
    if (a[0]) {
        html_raw(r, " ");
        html_text(r, field(o, "currency"));
    }
    html_raw(r, "</td>");
}

/* Writes the records of one kind, or a problem line. */
static json_t *records(struct web_request *r, const char *id, enum web_records kind, int32_t on,
                       const char *heading)
{
    struct error err;
    error_init(&err);
    static const char *const anchors[] = {"contributions", "claims", "payments", "grievances"};
    html_printf(r, "<h2 id=\"%s\">", anchors[kind]);
    html_text(r, web_tr(r, heading));
    html_raw(r, "</h2>\n");
    json_t *doc = web_records_json(r, id, kind, on, &err);
    if (doc == NULL) {
        html_raw(r, "<p class=\"problem\">");
        html_text(r, err.message);
        html_raw(r, "</p>\n");
    }
    return doc;
}

static void none(struct web_request *r)
{
    html_raw(r, "<p>");
    html_text(r, web_tr(r, "None."));
    html_raw(r, "</p>\n");
}

static void show_contributions(struct web_request *r, const char *id, int32_t on)
{
    json_t *doc = records(r, id, WEB_CONTRIBUTIONS, on, "Contributions");
    if (doc == NULL)
        return;
    const char *qualifying = field(doc, "qualifying");
    if (qualifying[0]) {
        html_raw(r, "<p class=\"meta\">");
        html_text(r, web_tr(r, "Qualifying status"));
        html_raw(r, "</p>\n<pre class=\"qualifying\">");
        html_text(r, qualifying);
        html_raw(r, "</pre>\n");
    }
    json_t *entries = json_object_get(doc, "entries");
    if (json_array_size(entries) == 0) {
        none(r);
    } else {
        static const char *const cols[] = {"Month", "Scheme", "Wage", "Paid", "Note"};
        size_t n = json_array_size(entries);
        size_t first = n > WEB_PAGE_ENTRIES ? n - WEB_PAGE_ENTRIES : 0;
        if (first > 0) {
            html_raw(r, "<p class=\"meta\">");
            html_tr(r, "The latest entries; the whole ledger is at");
            html_raw(r, " <a href=\"/api/v1/persons/");
            html_text(r, id);
            html_raw(r, "/contributions\">/api/v1/persons/");
            html_text(r, id);
            html_raw(r, "/contributions</a>.</p>\n");
        }
        table_begin(r, web_tr(r, "Contributions"), cols, 5);
        size_t i;
        json_t *e;
        json_array_foreach(entries, i, e)
        {
            if (i < first)
                continue;
            html_raw(r, "<tr>");
            cell(r, field(e, "month"));
            cell(r, field(e, "scheme"));
            money_cell(r, e, "wage");
            money_cell(r, e, "paid");
            cell(r, json_object_get(e, "reverses") != NULL        ? web_tr(r, "reversal")
                    : json_is_false(json_object_get(e, "stands")) ? web_tr(r, "reversed")
                                                                  : "");
            html_raw(r, "</tr>\n");
        }
        table_end(r);
    }
    json_decref(doc);
}

static void show_claims(struct web_request *r, const char *id)
{
    json_t *doc = records(r, id, WEB_CLAIMS, DATE_NONE, "Claims");
    if (doc == NULL)
        return;
    json_t *list = json_object_get(doc, "claims");
    if (json_array_size(list) == 0) {
        none(r);
    } else {
        static const char *const cols[] = {"No.", "Scheme", "Event", "Date", "State", "Amount"};
        table_begin(r, web_tr(r, "Claims"), cols, 6);
        size_t i;
        json_t *c;
        json_array_foreach(list, i, c)
        {
            html_printf(r, "<tr><td>%lld</td>",
                        (long long)json_integer_value(json_object_get(c, "id")));
            cell(r, field(c, "scheme"));
            cell(r, field(c, "event"));
            cell(r, field(c, "date"));
            cell(r, web_tr(r, field(c, "state")));
            money_cell(r, c, "amount");
            html_raw(r, "</tr>\n");
        }
        table_end(r);
    }
    json_decref(doc);
}

static void show_payments(struct web_request *r, const char *id)
{
    json_t *doc = records(r, id, WEB_PAYMENTS, DATE_NONE, "Payments");
    if (doc == NULL)
        return;
    json_t *list = json_object_get(doc, "payments");
    if (json_array_size(list) == 0) {
        none(r);
    } else {
        static const char *const cols[] = {"Scheme", "Period", "Amount", "State", "Since"};
        table_begin(r, web_tr(r, "Payments"), cols, 5);
        size_t i;
        json_t *p;
        json_array_foreach(list, i, p)
        {
            html_raw(r, "<tr>");
            cell(r, field(p, "scheme"));
            cell(r, field(p, "period"));
            money_cell(r, p, "amount");
            cell(r, web_tr(r, field(p, "state")));
            cell(r, field(p, "since"));
            html_raw(r, "</tr>\n");
        }
        table_end(r);
    }
    json_decref(doc);
}

static void show_grievances(struct web_request *r, const char *id)
{
    json_t *doc = records(r, id, WEB_GRIEVANCES, DATE_NONE, "Grievances");
    if (doc == NULL)
        return;
    json_t *list = json_object_get(doc, "grievances");
    if (json_array_size(list) == 0) {
        none(r);
    } else {
        html_raw(r, "<ul class=\"grievances\">\n");
        size_t i;
        json_t *g;
        json_array_foreach(list, i, g)
        {
            html_printf(r, "<li><strong>%lld</strong> ",
                        (long long)json_integer_value(json_object_get(g, "id")));
            html_text(r, web_tr(r, field(g, "about")));
            html_raw(r, " · ");
            html_text(r, web_tr(r, field(g, "state")));
            html_raw(r, " · ");
            html_text(r, field(g, "opened_on"));
            html_raw(r, "<br>");
            html_text(r, field(g, "text"));
            if (field(g, "resolution")[0]) {
                html_raw(r, "<br><span class=\"meta\">");
                html_text(r, field(g, "resolution"));
                html_raw(r, "</span>");
            }
            html_raw(r, "</li>\n");
        }
        html_raw(r, "</ul>\n");
    }
    json_decref(doc);
}

static int show_change(void *ctx, const struct person_change *c)
{
    struct web_request *r = ctx;
    html_raw(r, "<li>");
    html_text(r, c->changed_at);
    html_raw(r, " · ");
    html_text(r, c->field);
    html_raw(r, ": ");
    html_text(r, c->old_value[0] ? c->old_value : "-");
    html_raw(r, " &rarr; ");
    html_text(r, c->new_value[0] ? c->new_value : "-");
    html_raw(r, "<br><span class=\"meta\">");
    html_text(r, c->actor);
    if (c->reason[0]) {
        html_raw(r, " · ");
        html_text(r, c->reason);
    }
    html_raw(r, "</span></li>\n");
    return 0;
}

/* A link to what the user may do for the person: before, the ID, after. */
static void action(struct web_request *r, const char *before, const char *id, const char *after,
                   const char *text)
{
    html_raw(r, "<a class=\"action\" href=\"");
    html_raw(r, before);
    html_text(r, id);
    html_raw(r, after);
    html_raw(r, "\">");
    html_text(r, web_tr(r, text));
    html_raw(r, "</a>\n");
}

void page_person_records(struct web_request *r, const char *id, int32_t today)
{
    html_raw(r, "<p class=\"actions\">\n");
    if (users_role_may(r->user.role, USERS_CLAIM))
        action(r, "/persons/", id, "/claim", "File a claim");
    action(r, "/persons/", id, "/grievance", "Open a grievance");
    if (users_role_may(r->user.role, USERS_AUDIT))
        action(r, "/audit?object=", id, "", "Audit trail");
    html_raw(r, "</p>\n");
    show_contributions(r, id, today);
    show_claims(r, id);
    show_payments(r, id);
    show_grievances(r, id);
    html_raw(r, "<h2>");
    html_text(r, web_tr(r, "History of corrections"));
    html_raw(r, "</h2>\n<ul class=\"changes\">\n");
    struct error err;
    error_init(&err);
    size_t before = r->out.len;
    int rc = store_person_changes(r->store, id, show_change, r, &err);
    int empty = r->out.len == before;
    html_raw(r, "</ul>\n");
    if (rc != SP_OK) {
        html_raw(r, "<p class=\"problem\">");
        html_text(r, err.message);
        html_raw(r, "</p>\n");
    } else if (empty) {
        html_raw(r, "<p>");
        html_text(r, web_tr(r, "No corrections: the record is as registered."));
        html_raw(r, "</p>\n");
    }
}
