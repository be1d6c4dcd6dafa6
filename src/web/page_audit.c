/*
 * page_audit.c: the audit trail of one object (web_impl.h, docs/web.md): every entry of the
 * audit log about it (a person's worker ID, a batch, a route refused ...), oldest first, as
 * `spfloor audit show OBJECT` lists them. Auditors and admins only (USERS_AUDIT).
 */
#include <stdio.h>
#include <string.h>

#include "web/web_impl.h"

struct trail {
    struct web_request *r;
    int n;
};

static int entry_row(void *ctx, const struct audit_entry *e)
{
    struct trail *t = ctx;
    struct web_request *r = t->r;
    if (t->n >= 1000)
        return 0; /* the page stays small: the rest are in `spfloor audit show` */
    html_printf(r, "<tr><td>%lld</td><td>", (long long)e->seq);
    html_text(r, e->at);
    html_raw(r, "</td><td>");
    html_text(r, e->actor);
    html_raw(r, "</td><td>");
    html_text(r, e->action);
    html_raw(r, "</td><td>");
    html_text(r, e->object);
    html_raw(r, "</td></tr>\n");
    t->n++;
    return 0;
}

void page_audit(struct web_request *r)
{
    const char *object = web_query(r, "object");
    if (object != NULL && strlen(object) > 128)
        object = NULL;
    html_begin(r, web_tr(r, "Audit trail"));
    html_raw(r, "<h1>");
    html_text(r, web_tr(r, "Audit trail"));
    html_raw(r, "</h1>\n<form method=\"get\" action=\"/audit\">\n<label for=\"object\">");
    html_text(r, web_tr(r, "Object: a worker ID, a payroll batch, an address"));
    html_raw(r, "</label>\n<input id=\"object\" name=\"object\" maxlength=\"128\" value=\"");
    html_text(r, object != NULL ? object : "");
    html_raw(r, "\">\n<button type=\"submit\">");
    html_text(r, web_tr(r, "Show"));
    html_raw(r, "</button>\n</form>\n");
    if (object != NULL && object[0] != '\0') {
        html_raw(r, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
        html_text(r, web_tr(r, "Audit trail"));
        html_raw(r, "\"><table>\n<thead><tr>");
        static const char *const cols[] = {"No.", "When", "Who", "What", "On"};
        for (int i = 0; i < 5; i++) {
            html_raw(r, "<th scope=\"col\">");
            html_text(r, web_tr(r, cols[i]));
            html_raw(r, "</th>");
        }
        html_raw(r, "</tr></thead>\n<tbody>\n");
        struct trail t = {r, 0};
        struct error err;
        error_init(&err);
        int rc = store_audit_each(r->store, object, entry_row, &t, &err);
        html_raw(r, "</tbody>\n</table></div>\n");
        if (rc != SP_OK) {
            html_raw(r, "<p class=\"problem\">");
            html_text(r, err.message);
            html_raw(r, "</p>\n");
        } else if (t.n == 0) {
            html_raw(r, "<p>");
            html_text(r, web_tr(r, "The audit log has nothing about it."));
            html_raw(r, "</p>\n");
        }
    }
    html_end(r, 200);
}
