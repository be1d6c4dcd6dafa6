/*
 * reports.c: the indicators of ops/report.h on the web (web_impl.h, docs/web.md): the
 * dashboard of coverage and GET /api/v1/reports/{indicator}, the JSON of
 * `spfloor report INDICATOR --format json`. Partners and workers get the public figures:
 * small cells suppressed (users_public_figures).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/calendar.h"
#include "base/text.h"
#include "ops/report.h"
#include "ops/users.h"
#include "web/web_impl.h"

/* What one report asks. */
struct web_report {
    const char *indicator;
    const char *by;      /* "sex,age_group", or NULL */
    const char *as_of;   /* a date (BS too), or NULL: today */
    const char *from;    /* a date, or NULL */
    const char *country; /* or NULL */
};

/* A date argument into *day. SP_BAD_INPUT with a message naming the argument. */
static int date_arg(const char *name, const char *text, int32_t *day, struct error *err)
{
    struct calendar_date d;
    struct error e;
    error_init(&e);
    if (calendar_parse_date(text, CALENDAR_AD, &d, &e) != SP_OK)
        return error_set(err, SP_BAD_INPUT, "%s: %s", name, e.message);
    *day = d.day;
    return SP_OK;
}

/*
 * Computes the report w asks for, written in `format` ('j' JSON, 'h' HTML) into out, public
 * for partners and workers. SP_BAD_INPUT (an indicator, breakdown or date refused); SP_IO.
 */
static int web_report_write(struct web_request *r, const struct web_report *w, char format,
                            struct buf *out, struct error *err)
{
    struct report_query q;
    memset(&q, 0, sizeof q);
    q.as_of = web_today(r);
    q.from = DATE_NONE;
    int rc = report_indicator_parse(w->indicator, &q.indicator, err);
    if (rc == SP_OK && w->by != NULL && w->by[0] != '\0')
        rc = disagg_dims_parse(w->by, q.by, &q.n_by, err);
    if (rc == SP_OK && w->as_of != NULL)
        rc = date_arg("as_of", w->as_of, &q.as_of, err);
    if (rc == SP_OK && w->from != NULL)
        rc = date_arg("from", w->from, &q.from, err);
    if (rc == SP_OK && q.from != DATE_NONE && q.from > q.as_of)
        rc = error_set(err, SP_BAD_INPUT, "from is after as_of: a period ends after it starts");
    if (rc != SP_OK)
        return rc;
    q.country = w->country != NULL && w->country[0] ? w->country : NULL;
    struct disagg_table t;
    memset(&t, 0, sizeof t);
    int64_t skipped = 0;
    rc = report_registry(r->store, r->srv->rules.lib, &q, &t, &skipped, err);
    if (rc == SP_OK) {
        char as_of[DATE_TEXT_SIZE], from[DATE_TEXT_SIZE], period[2 * DATE_TEXT_SIZE + 8];
        date_format(q.as_of, as_of);
        if (q.from != DATE_NONE) {
            date_format(q.from, from);
            snprintf(period, sizeof period, "%s to %s", from, as_of);
        }
        char population[64];
        snprintf(population, sizeof population, "the registry%s%s", q.country ? ", " : "",
                 q.country ? q.country : "");
        struct disagg_meta m = {as_of,
                                q.from != DATE_NONE ? period : NULL,
                                population,
                                report_note(q.indicator),
                                users_public_figures(r->user.role),
                                DISAGG_K_DEFAULT};
        rc = format == 'j' ? disagg_write_json(&t, &m, out, err)
                           : disagg_write_html(&t, &m, out, err);
    }
    disagg_release(&t);
    return rc;
}

void api_report(struct web_request *r)
{
    const struct web_report w = {r->params[0], web_query(r, "by"), web_query(r, "as_of"),
                                 web_query(r, "from"), web_query(r, "country")};
    struct error err;
    error_init(&err);
    buf_reset(&r->out);
    int rc = web_report_write(r, &w, 'j', &r->out, &err);
    if (rc != SP_OK) {
        web_fail(r, web_status_of(rc), rc == SP_BAD_INPUT ? "bad_parameter" : "storage",
                 err.message, NULL);
        return;
    }
    r->status = 200;
    r->content_type = "application/json";
    r->replied = 1;
}

/* Appends to the page the body of report/'s HTML page (its headline with the shares, the
 * SVG bars and the table) under the page's heading: its title a line, its headings one level
 * down, its table a focusable region. */
static void embed(struct web_request *r, const struct buf *page, const char *label)
{
    const char *body = strstr(page->data, "<body>");
    const char *end = strstr(page->data, "</body>");
    if (body == NULL || end == NULL)
        return;
    body += 6;
    struct error err;
    error_init(&err);
    html_raw(r, "<section class=\"figure\">\n");
    while (body < end) {
        static const struct {
            const char *from, *to;
        } swaps[] = {{"<h1>", "<p class=\"meta\">"},
                     {"</h1>", "</p>"},
                     {"<h2>", "<h3>"},
                     {"</h2>", "</h3>"},
                     {"<div class=\"scroll\">", NULL}};
        int swapped = 0;
        for (size_t i = 0; i < sizeof swaps / sizeof swaps[0] && !swapped; i++) {
            size_t n = strlen(swaps[i].from);
            if ((size_t)(end - body) >= n && memcmp(body, swaps[i].from, n) == 0) {
                if (swaps[i].to != NULL) {
                    html_raw(r, swaps[i].to);
                } else {
                    html_raw(r, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
                                "aria-label=\"");
                    html_text(r, label);
                    html_raw(r, "\">");
                }
                body += n;
                swapped = 1;
            }
        }
        if (!swapped) {
            const char *next = memchr(body + 1, '<', (size_t)(end - body - 1));
            if (next == NULL)
                next = end;
            buf_append(&r->out, body, (size_t)(next - body), &err);
            body = next;
        }
    }
    html_raw(r, "</section>\n");
}

/* The dashboard's figures, each kept a minute (like the public page's): a figure is a walk
 * over the registry. Keyed by breakdown, country, day and public or not. */
#define FIGURES_KEPT 16
#define FIGURES_TTL  60

static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;
static struct kept_figure {
    char key[96];
    int64_t at;
    char *html; /* report/'s page (owned) */
} kept[FIGURES_KEPT];

/* report/'s page of w into page, from the cache when it is fresh. */
static int figure(struct web_request *r, const struct web_report *w, struct buf *page,
                  struct error *err)
{
    char key[96];
    snprintf(key, sizeof key, "%s|%.3s|%.40s|%d", w->by, w->country != NULL ? w->country : "",
             w->as_of != NULL ? w->as_of : "", users_public_figures(r->user.role));
    int64_t now = web_now();
    pthread_mutex_lock(&kept_lock);
    for (int i = 0; i < FIGURES_KEPT; i++)
        if (kept[i].html != NULL && strcmp(kept[i].key, key) == 0 &&
            now - kept[i].at < FIGURES_TTL) {
            int rc = buf_puts(page, kept[i].html, err);
            pthread_mutex_unlock(&kept_lock);
            return rc;
        }
    pthread_mutex_unlock(&kept_lock);
    int rc = web_report_write(r, w, 'h', page, err);
    if (rc != SP_OK)
        return rc;
    char *copy = sp_strndup(page->data, page->len);
    if (copy == NULL)
        return SP_OK; /* not kept */
    pthread_mutex_lock(&kept_lock);
    int oldest = 0;
    for (int i = 1; i < FIGURES_KEPT; i++)
        if (kept[i].at < kept[oldest].at)
            oldest = i;
    sp_free(kept[oldest].html);
    kept[oldest].html = copy;
    kept[oldest].at = now;
    text_copy(kept[oldest].key, sizeof kept[oldest].key, key);
    pthread_mutex_unlock(&kept_lock);
    return SP_OK;
}

void page_dashboard(struct web_request *r)
{
    const char *country = web_query(r, "country");
    const char *as_of = web_query(r, "as_of");
    if (country != NULL && strlen(country) > 3)
        country = NULL;
    html_begin(r, web_tr(r, "Coverage"));
    html_raw(r, "<h1>");
    html_text(r, web_tr(r, "Coverage"));
    html_raw(r, "</h1>\n<p>");
    html_text(r, web_tr(r, "Effective coverage (SDG 1.3.1): the share of persons contributing "
                           "or receiving at least one benefit, with the share of women and of "
                           "persons under 35 on every figure."));
    html_raw(r, "</p>\n<form method=\"get\" action=\"/dashboard\" class=\"inline\">\n<label "
                "for=\"country\">");
    html_text(r, web_tr(r, "Country"));
    html_raw(r, "</label>\n<input id=\"country\" name=\"country\" maxlength=\"2\" size=\"3\" "
                "value=\"");
    html_text(r, country != NULL ? country : "");
    html_raw(r, "\">\n<button type=\"submit\">");
    html_text(r, web_tr(r, "Show"));
    html_raw(r, "</button>\n</form>\n");
    /* by province within one country; across countries, by country (the page stays small) */
    int one = country != NULL && country[0] != '\0';
    static const struct {
        const char *by, *label;
    } figures[] = {{"sex", "Coverage by sex"},
                   {"age_group", "Coverage by age group"},
                   {"admin1", "Coverage by province or state"},
                   {"country", "Coverage by country"}};
    for (size_t i = 0; i < sizeof figures / sizeof figures[0]; i++) {
        if (i == (one ? 3u : 2u))
            continue;
        const struct web_report w = {"coverage", figures[i].by, as_of, NULL, country};
        struct buf page;
        buf_init(&page, WEB_REPLY_MAX);
        struct error err;
        error_init(&err);
        html_raw(r, "<h2>");
        html_text(r, web_tr(r, figures[i].label));
        html_raw(r, "</h2>\n");
        if (figure(r, &w, &page, &err) != SP_OK) {
            html_raw(r, "<p class=\"problem\">");
            html_text(r, err.message);
            html_raw(r, "</p>\n");
        } else {
            embed(r, &page, web_tr(r, figures[i].label));
        }
        buf_release(&page);
    }
    html_end(r, 200);
}
