/*
 * annual.c: the annual results summary written out (annual.h).
 */
#include "report/annual.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/cells.h"

#define LINE_SIZE 512
#define BAR_WIDTH 200 /* 100% */

/* The share of part in whole as text: "35.6", or "-" when whole is 0. */
static void share(int64_t part, int64_t whole, char out[REPORT_SHARE_SIZE])
{
    report_share_text(out, report_per_mille(part, whole));
    if (out[0] == '\0')
        snprintf(out, REPORT_SHARE_SIZE, "-");
}

void annual_people_text(const struct disagg_count *c, const char *noun, char *out, size_t size)
{
    char w[REPORT_SHARE_SIZE], y[REPORT_SHARE_SIZE];
    share(c->women, c->n, w);
    share(c->under_35, c->n, y);
    snprintf(out, size, "%lld %s (%s%% women and %s%% under 35 years)", (long long)c->n, noun, w,
             y);
}

static void money_text(const struct money *m, char *out, size_t size)
{
    char amount[MONEY_TEXT_MAX];
    money_format(*m, amount, sizeof amount);
    snprintf(out, size, "%s %s", amount, m->currency);
}

/* ---- the sentences ---- */

enum section { REACH, COVERAGE, BENEFITS, BETTER_WORK, ADVOCACY, SECTIONS };

static const char *const section_titles[SECTIONS] = {"Reach", "Coverage", "Benefits paid",
                                                     "Better work", "Advocacy"};
static const char *const section_keys[SECTIONS] = {"reach", "coverage", "benefits", "better_work",
                                                   "advocacy"};

static void recovered_text(const struct annual_summary *s, char *out, size_t size)
{
    out[0] = '\0';
    for (int i = 0; i < s->n_recovered; i++) {
        size_t at = strlen(out);
        char m[64];
        money_text(&s->recovered[i], m, sizeof m);
        snprintf(out + at, size - at, "%s%s", i ? " and " : "", m);
    }
    if (out[0] == '\0')
        snprintf(out, size, "nothing");
}

/* The people a section is about, for its chart (n 0: none). */
static struct disagg_count section_people(const struct annual_summary *s, enum section k)
{
    struct disagg_count none = {0, 0, 0};
    switch (k) {
    case REACH:
        return s->reached;
    case COVERAGE:
        return s->covered;
    case BENEFITS:
        return s->recipients;
    case BETTER_WORK:
        return (struct disagg_count){s->cases_won, s->won_women, s->won_young};
    case ADVOCACY:
        return (struct disagg_count){s->benefit, s->benefit_women, s->benefit_young};
    default:
        return none;
    }
}

/* Writes one sentence into out (size bytes), cut short if it must be: a long name makes a
 * long line, never an overflow. */
static void line(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void line(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

static void sentence(const struct annual_summary *s, enum section k, char *out, size_t size)
{
    char people[LINE_SIZE / 2], more[LINE_SIZE / 2];
    switch (k) {
    case REACH:
        annual_people_text(&s->reached, "people", people, sizeof people);
        line(out, size,
             "%s reached by %lld activit%s of %lld organisation%s; %lld of them in the "
             "registry, %lld enrolled.",
             people, (long long)s->activities, s->activities == 1 ? "y" : "ies",
             (long long)s->organisations, s->organisations == 1 ? "" : "s",
             (long long)s->reached_in_registry, (long long)s->reached_enrolled);
        break;
    case COVERAGE: {
        char rate[REPORT_SHARE_SIZE];
        share(s->covered.n, s->persons.n, rate);
        annual_people_text(&s->covered, "people covered", people, sizeof people);
        annual_people_text(&s->enrolled, "people", more, sizeof more);
        line(out, size,
             "%s: effective coverage (SDG 1.3.1) %s%% of the %lld registered on %s. %s "
             "enrolled in a scheme during %d.",
             people, rate, (long long)s->persons.n, s->as_of, more, s->year);
        break;
    }
    case BENEFITS: {
        annual_people_text(&s->recipients, "people", people, sizeof people);
        struct money paid = {.minor = s->paid};
        snprintf(paid.currency, sizeof paid.currency, "%s", s->paid_currency);
        if (s->paid_currency[0])
            money_text(&paid, more, sizeof more);
        else
            snprintf(more, sizeof more, "nothing");
        line(out, size, "%s paid %s in benefits (settled payments).", people, more);
        break;
    }
    case BETTER_WORK: {
        struct disagg_count won = section_people(s, BETTER_WORK);
        annual_people_text(&won, "legal-aid and assisted-claim cases won", people, sizeof people);
        recovered_text(s, more, sizeof more);
        line(out, size, "%s, %s recovered; %lld lost, %lld pending.", people, more,
             (long long)s->cases_lost, (long long)s->cases_pending);
        break;
    }
    default: {
        struct disagg_count b = section_people(s, ADVOCACY);
        annual_people_text(&b, "people", people, sizeof people);
        line(out, size,
             "Lobbied for %lld proposal%s, contributing to the approval of %lld which would "
             "benefit %s: %lld entered estimate%s, %lld simulation%s; %lld rejected, %lld "
             "still lobbied.",
             (long long)s->proposals, s->proposals == 1 ? "" : "s", (long long)s->approved, people,
             (long long)s->estimated, s->estimated == 1 ? "" : "s", (long long)s->simulated,
             s->simulated == 1 ? "" : "s", (long long)s->rejected, (long long)s->lobbied);
        break;
    }
    }
}

static void subject(const struct annual_summary *s, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", s->org[0] ? s->org : "", s->org[0] && s->country[0] ? ", " : "",
             s->country[0] ? s->country
             : s->org[0]   ? ""
                           : "all countries");
}

int annual_write_text(const struct annual_summary *s, struct buf *out, struct error *err)
{
    char who[ANNUAL_NAME_SIZE + 32], line[LINE_SIZE];
    subject(s, who, sizeof who);
    int rc =
        buf_printf(out, err, "Annual results %d: %s (figures on %s)\n", s->year, who, s->as_of);
    for (int k = 0; rc == SP_OK && k < SECTIONS; k++) {
        sentence(s, (enum section)k, line, sizeof line);
        rc = buf_printf(out, err, "\n%s\n  %s\n", section_titles[k], line);
    }
    return rc;
}

/* ---- JSON ---- */

static int json_count(struct buf *out, const char *name, const struct disagg_count *c,
                      struct error *err)
{
    char w[REPORT_SHARE_SIZE], y[REPORT_SHARE_SIZE];
    report_share_text(w, report_per_mille(c->women, c->n));
    report_share_text(y, report_per_mille(c->under_35, c->n));
    return buf_printf(out, err, "\"%s\":%lld,\"%s_women_pct\":%s,\"%s_under_35_pct\":%s", name,
                      (long long)c->n, name, w[0] ? w : "null", name, y[0] ? y : "null");
}

static int json_money(struct buf *out, const struct money *m, struct error *err)
{
    char amount[MONEY_TEXT_MAX];
    money_format(*m, amount, sizeof amount);
    return buf_printf(out, err, "{\"amount\":\"%s\",\"currency\":\"%s\"}", amount, m->currency);
}

int annual_write_json(const struct annual_summary *s, struct buf *out, struct error *err)
{
    int rc = buf_puts(out, "{\"annual\":{\"org\":", err);
    if (rc == SP_OK)
        rc = s->org[0] ? buf_put_json(out, s->org, err) : buf_puts(out, "null", err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, ",\"country\":%s%s%s,\"year\":%d,\"as_of\":\"%s\"},",
                        s->country[0] ? "\"" : "", s->country[0] ? s->country : "null",
                        s->country[0] ? "\"" : "", s->year, s->as_of);
    if (rc == SP_OK)
        rc = buf_puts(out, "\"reach\":{", err);
    if (rc == SP_OK)
        rc = json_count(out, "reached", &s->reached, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        ",\"in_registry\":%lld,\"enrolled\":%lld,\"activities\":%lld,"
                        "\"organisations\":%lld},\"coverage\":{",
                        (long long)s->reached_in_registry, (long long)s->reached_enrolled,
                        (long long)s->activities, (long long)s->organisations);
    if (rc == SP_OK)
        rc = json_count(out, "persons", &s->persons, err);
    if (rc == SP_OK)
        rc = buf_putc(out, ',', err);
    if (rc == SP_OK)
        rc = json_count(out, "covered", &s->covered, err);
    char rate[REPORT_SHARE_SIZE];
    report_share_text(rate, report_per_mille(s->covered.n, s->persons.n));
    if (rc == SP_OK)
        rc = buf_printf(out, err, ",\"coverage_pct\":%s,", rate[0] ? rate : "null");
    if (rc == SP_OK)
        rc = json_count(out, "enrolled_in_year", &s->enrolled, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "},\"benefits\":{", err);
    if (rc == SP_OK)
        rc = json_count(out, "recipients", &s->recipients, err);
    struct money paid = {.minor = s->paid};
    snprintf(paid.currency, sizeof paid.currency, "%s", s->paid_currency);
    if (rc == SP_OK)
        rc = buf_puts(out, ",\"paid\":", err);
    if (rc == SP_OK)
        rc = s->paid_currency[0] ? json_money(out, &paid, err) : buf_puts(out, "null", err);
    if (rc == SP_OK)
        rc = buf_puts(out, "},\"better_work\":{", err);
    struct disagg_count won = section_people(s, BETTER_WORK);
    if (rc == SP_OK)
        rc = json_count(out, "cases_won", &won, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, ",\"cases_lost\":%lld,\"cases_pending\":%lld,\"recovered\":[",
                        (long long)s->cases_lost, (long long)s->cases_pending);
    for (int i = 0; rc == SP_OK && i < s->n_recovered; i++) {
        if (i > 0)
            rc = buf_putc(out, ',', err);
        if (rc == SP_OK)
            rc = json_money(out, &s->recovered[i], err);
    }
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "]},\"advocacy\":{\"proposals\":%lld,\"approved\":%lld,\"rejected\":%lld,"
                        "\"lobbied\":%lld,",
                        (long long)s->proposals, (long long)s->approved, (long long)s->rejected,
                        (long long)s->lobbied);
    struct disagg_count benefit = section_people(s, ADVOCACY);
    if (rc == SP_OK)
        rc = json_count(out, "would_benefit", &benefit, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, ",\"from_estimates\":%lld,\"from_simulations\":%lld}",
                        (long long)s->estimated, (long long)s->simulated);
    char line[LINE_SIZE];
    if (rc == SP_OK)
        rc = buf_puts(out, ",\"sentences\":{", err);
    for (int k = 0; rc == SP_OK && k < SECTIONS; k++) {
        sentence(s, (enum section)k, line, sizeof line);
        rc = buf_printf(out, err, "%s\"%s\":", k ? "," : "", section_keys[k]);
        if (rc == SP_OK)
            rc = buf_put_json(out, line, err);
    }
    return rc == SP_OK ? buf_puts(out, "}}\n", err) : rc;
}

/* ---- HTML ---- */

/* Two bars, the shares of women and of under-35s of c, on a 0 to 100% scale. */
static int svg_shares(const struct disagg_count *c, const char *title, struct buf *out,
                      struct error *err)
{
    int rc = buf_puts(out,
                      "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 330 "
                      "48\" aria-label=\"",
                      err);
    if (rc == SP_OK)
        rc = buf_put_xml(out, title, err);
    if (rc == SP_OK)
        rc = buf_puts(out, ": shares of women and of under-35s\">", err);
    const int64_t parts[2] = {c->women, c->under_35};
    const char *const labels[2] = {"women", "under 35"};
    for (int i = 0; rc == SP_OK && i < 2; i++) {
        int64_t pm = report_per_mille(parts[i], c->n);
        char text[REPORT_SHARE_SIZE];
        share(parts[i], c->n, text);
        int64_t width = pm < 0 ? 0 : (pm * BAR_WIDTH + 500) / 1000;
        int y = i * 24;
        rc = buf_printf(out, err,
                        "<g class=\"bar\"><text x=\"0\" y=\"%d\">%s</text>"
                        "<rect x=\"70\" y=\"%d\" width=\"%d\" height=\"16\" fill=\"#eee\"/>"
                        "<rect x=\"70\" y=\"%d\" width=\"%lld\" height=\"16\" fill=\"%s\">"
                        "<title>%s: %s%%</title></rect>"
                        "<text x=\"%d\" y=\"%d\" class=\"value\">%s%s</text></g>",
                        y + 14, labels[i], y + 2, BAR_WIDTH, y + 2, (long long)width,
                        i == 0 ? "#d7191c" : "#2b83ba", labels[i], text, 70 + BAR_WIDTH + 6, y + 14,
                        text, pm < 0 ? "" : "%");
    }
    return rc == SP_OK ? buf_puts(out, "</svg>", err) : rc;
}

int annual_write_html(const struct annual_summary *s, struct buf *out, struct error *err)
{
    char who[ANNUAL_NAME_SIZE + 32], line[LINE_SIZE], title[ANNUAL_NAME_SIZE + 64];
    subject(s, who, sizeof who);
    snprintf(title, sizeof title, "Annual results %d: %s", s->year, who);
    int rc = buf_puts(out,
                      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                      "<title>",
                      err);
    if (rc == SP_OK)
        rc = buf_put_xml(out, title, err);
    if (rc == SP_OK)
        rc =
            buf_puts(out,
                     "</title><style>body{font-family:sans-serif;margin:1em;max-width:48em}"
                     "section{border-top:1px solid #ccc;padding:.5em 0}"
                     "h2{font-size:1.1em;margin:.3em 0}.figure{font-size:1.6em;font-weight:bold}"
                     "svg{max-width:100%;height:auto}text{font-size:12px}</style></head><body><h1>",
                     err);
    if (rc == SP_OK)
        rc = buf_put_xml(out, title, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, "</h1><p>Figures of %d, on %s, from spfloor's records.</p>",
                        s->year, s->as_of);
    for (int k = 0; rc == SP_OK && k < SECTIONS; k++) {
        struct disagg_count people = section_people(s, (enum section)k);
        sentence(s, (enum section)k, line, sizeof line);
        rc = buf_printf(out, err, "<section id=\"%s\"><h2>%s</h2><p class=\"figure\">%lld</p><p>",
                        section_keys[k], section_titles[k], (long long)people.n);
        if (rc == SP_OK)
            rc = buf_put_xml(out, line, err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</p>", err);
        if (rc == SP_OK)
            rc = svg_shares(&people, section_titles[k], out, err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</section>", err);
    }
    return rc == SP_OK ? buf_puts(out, "</body></html>\n", err) : rc;
}
