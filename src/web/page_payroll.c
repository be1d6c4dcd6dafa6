/*
 * page_payroll.c: the payroll runs (web_impl.h, docs/web.md): every batch with its payments
 * by state, and its bank file, a pain.001 written by ops/payroll.h's export (which marks the
 * batch's created payments exported, so the download is a POST with the session's CSRF
 * token). Payers and admins only (USERS_PAY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/money.h"
#include "ops/payroll.h"
#include "web/web_impl.h"

struct batches {
    struct web_request *r;
    int n;
};

static int batch_row(void *ctx, const struct payroll_batch_totals *t)
{
    struct batches *b = ctx;
    struct web_request *r = b->r;
    char as_of[DATE_TEXT_SIZE];
    date_format(t->batch.as_of, as_of);
    int64_t count = 0, amount = 0;
    for (int s = 0; s < PAYMENT_STATES; s++) {
        count += t->count[s];
        amount += t->amount[s];
    }
    struct money m = {amount, ""};
    snprintf(m.currency, sizeof m.currency, "%s", t->currency);
    char total[MONEY_TEXT_MAX];
    money_format(m, total, sizeof total);
    html_raw(r, "<tr><td>");
    html_text(r, t->batch.id);
    html_raw(r, "</td><td>");
    html_text(r, t->batch.scheme);
    html_raw(r, "</td><td>");
    html_text(r, t->batch.period);
    html_raw(r, "</td><td>");
    html_text(r, as_of);
    html_printf(r, "</td><td>%lld</td><td>", (long long)count);
    html_text(r, total);
    html_raw(r, " ");
    html_text(r, t->currency);
    html_raw(r, "</td><td>");
    for (int s = 0; s < PAYMENT_STATES; s++)
        if (t->count[s] > 0) {
            html_text(r, web_tr(r, payment_state_name(s)));
            html_printf(r, " %lld ", (long long)t->count[s]);
        }
    html_raw(r, "</td><td><form method=\"post\" action=\"/payroll/");
    html_text(r, t->batch.id);
    html_raw(r, "/pain.001\">\n");
    html_csrf(r);
    html_raw(r, "<button type=\"submit\">pain.001</button></form></td></tr>\n");
    b->n++;
    return 0;
}

void page_payroll(struct web_request *r)
{
    html_begin(r, web_tr(r, "Payroll runs"));
    html_raw(r, "<h1>");
    html_text(r, web_tr(r, "Payroll runs"));
    html_raw(r, "</h1>\n<p>");
    html_text(r, web_tr(r, "Each batch with its payments by state. Its pain.001 holds the "
                           "payments the bank has not answered for; downloading it marks the "
                           "new ones exported."));
    html_raw(r, "</p>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    html_text(r, web_tr(r, "Payroll runs"));
    html_raw(r, "\"><table>\n<thead><tr>");
    static const char *const cols[] = {"Batch",    "Scheme", "Period", "Decided on",
                                       "Payments", "Amount", "States", "Bank file"};
    for (int i = 0; i < 8; i++) {
        html_raw(r, "<th scope=\"col\">");
        html_text(r, web_tr(r, cols[i]));
        html_raw(r, "</th>");
    }
    html_raw(r, "</tr></thead>\n<tbody>\n");
    struct batches b = {r, 0};
    struct error err;
    error_init(&err);
    int rc = payroll_batches(r->store, batch_row, &b, &err);
    html_raw(r, "</tbody>\n</table></div>\n");
    if (rc != SP_OK) {
        html_raw(r, "<p class=\"problem\">");
        html_text(r, err.message);
        html_raw(r, "</p>\n");
    } else if (b.n == 0) {
        html_raw(r, "<p>");
        html_text(r, web_tr(r, "No payroll has been run."));
        html_raw(r, "</p>\n");
    }
    html_end(r, 200);
}

void page_payroll_export(struct web_request *r)
{
    const char *batch = r->params[0];
    const char *tmp = getenv("TMPDIR");
    char template[512];
    snprintf(template, sizeof template, "%s/spfloor-export-XXXXXX",
             tmp != NULL && tmp[0] ? tmp : "/tmp");
    char *made = mkdtemp(template);
    if (made == NULL) {
        web_fail(r, 500, "io", "no temporary directory for the bank file", NULL);
        return;
    }
    char path[600];
    snprintf(path, sizeof path, "%s/pain.001.xml", made);
    struct error err;
    error_init(&err);
    const struct payroll_payer payer = {NULL, NULL, NULL};
    int64_t count = 0;
    int rc = payroll_export(r->store, r->srv->rules.lib, batch, PAYROLL_PAIN001, &payer, path,
                            web_today(r), &count, &err);
    buf_reset(&r->out);
    if (rc == SP_OK && buf_read_file(&r->out, path, &err) != SP_OK)
        rc = SP_IO; /* the file just written: not the request's fault */
    unlink(path);
    rmdir(made);
    if (rc != SP_OK) {
        web_fail(r, rc == SP_BAD_INPUT ? 404 : 500, rc == SP_BAD_INPUT ? "not_found" : "io",
                 err.message, NULL);
        return;
    }
    char disposition[160];
    snprintf(disposition, sizeof disposition, "attachment; filename=\"%.64s.pain.001.xml\"", batch);
    r->status = 200;
    r->content_type = "application/xml";
    r->replied = 1;
    web_add_header(r, "Content-Disposition", disposition);
    web_add_header(r, "Cache-Control", "private, no-store");
}
