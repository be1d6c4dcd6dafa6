/*
 * page_forms.c: filing a claim and opening a grievance for a person (web_impl.h,
 * docs/web.md). The forms post with the session's CSRF token (routes.c checks it) to
 * ops/claims.h and ops/grievances.h, as `spfloor claim file` and `grievance open` do; a
 * refusal comes back beside the form with what was typed.
 */
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "ops/claims.h"
#include "ops/grievances.h"
#include "ops/users.h"
#include "web/web_impl.h"

#define VALUE_MAX 512

/* The form's heading and the person it is for. */
static void form_head(struct web_request *r, const struct person *p, const char *title,
                      const char *problem)
{
    char name[2 * PERSON_NAME_SIZE + 2];
    snprintf(name, sizeof name, "%s %s", p->given_name, p->family_name);
    html_begin(r, web_tr(r, title));
    html_raw(r, "<h1>");
    html_text(r, web_tr(r, title));
    html_raw(r, "</h1>\n<p><a href=\"/persons/");
    html_text(r, p->id);
    html_raw(r, "\">");
    html_text(r, name);
    html_raw(r, "</a></p>\n");
    if (problem != NULL) {
        html_raw(r, "<p class=\"problem\" role=\"alert\">");
        html_text(r, problem);
        html_raw(r, "</p>\n");
    }
}

static void label(struct web_request *r, const char *id, const char *text)
{
    html_raw(r, "<div class=\"field\">\n<label for=\"");
    html_text(r, id);
    html_raw(r, "\">");
    html_text(r, web_tr(r, text));
    html_raw(r, "</label>\n");
}

static void input(struct web_request *r, const char *id, const char *text, const char *value,
                  const char *hint)
{
    label(r, id, text);
    html_raw(r, "<input id=\"");
    html_text(r, id);
    html_raw(r, "\" name=\"");
    html_text(r, id);
    html_raw(r, hint != NULL ? "\" aria-describedby=\"" : "");
    if (hint != NULL) {
        html_text(r, id);
        html_raw(r, "-note");
    }
    html_raw(r, "\" value=\"");
    html_text(r, value != NULL ? value : "");
    html_raw(r, "\">\n");
    if (hint != NULL) {
        html_raw(r, "<p class=\"hint\" id=\"");
        html_text(r, id);
        html_raw(r, "-note\">");
        html_text(r, web_tr(r, hint));
        html_raw(r, "</p>\n");
    }
    html_raw(r, "</div>\n");
}

static void submit(struct web_request *r, const char *text)
{
    html_raw(r, "<button type=\"submit\">");
    html_text(r, web_tr(r, text));
    html_raw(r, "</button>\n</form>\n");
}

/* Opens the form posting to /persons/ID/what. */
static void form_open(struct web_request *r, const struct person *p, const char *what)
{
    html_raw(r, "<form method=\"post\" action=\"/persons/");
    html_text(r, p->id);
    html_raw(r, "/");
    html_raw(r, what);
    html_raw(r, "\" novalidate>\n");
    html_csrf(r);
}

/* ---- a claim ---- */

static void claim_form(struct web_request *r, const struct person *p, const char *const *values,
                       const char *problem, int status)
{
    form_head(r, p, "File a claim", problem);
    form_open(r, p, "claim");
    label(r, "scheme", "Scheme");
    html_raw(r, "<select id=\"scheme\" name=\"scheme\">\n");
    const struct scheme_library *lib = r->srv->rules.lib;
    for (int i = 0; i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        if (strcmp(s->country, p->country) != 0)
            continue;
        html_raw(r, "<option value=\"");
        html_text(r, s->id);
        html_raw(r, values != NULL && strcmp(values[0], s->id) == 0 ? "\" selected>" : "\">");
        html_text(r, s->name != NULL ? s->name : s->id);
        html_raw(r, "</option>\n");
    }
    html_raw(r, "</select>\n</div>\n");
    input(r, "event", "Event", values != NULL ? values[1] : "",
          "birth, death, work_accident, pregnancy, job_loss, disability_assessment ... or "
          "another word such as sickness");
    input(r, "date", "Date of the event", values != NULL ? values[2] : "",
          "YYYY-MM-DD, or a Bikram Sambat date such as 2083-01-15 BS");
    input(r, "facts", "Facts of the event", values != NULL ? values[3] : "",
          "name=value, separated by commas: child=000000000019, contract_months=14");
    input(r, "reason", "Form or note", values != NULL ? values[4] : "", NULL);
    submit(r, "File the claim");
    html_end(r, status);
}

void page_claim(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) == SP_OK)
        claim_form(r, &p, NULL, NULL, 200);
}

void page_claim_post(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    static __thread char values[5][VALUE_MAX];
    static const char *const names[5] = {"scheme", "event", "date", "facts", "reason"};
    const char *v[5];
    for (int i = 0; i < 5; i++) {
        web_form_value(r, names[i], values[i], sizeof values[i]);
        v[i] = values[i];
    }
    struct error err;
    error_init(&err);
    struct calendar_date d;
    memset(&d, 0, sizeof d);
    d.day = DATE_NONE;
    if (values[2][0] != '\0' && calendar_parse_date(values[2], CALENDAR_AD, &d, &err) != SP_OK) {
        char message[ERROR_MESSAGE_MAX + 16];
        snprintf(message, sizeof message, "date: %s", err.message);
        claim_form(r, &p, v, message, 400);
        return;
    }
    /* facts: "a=1, b=2" into fields */
    static __thread char facts[VALUE_MAX];
    const char *fields[CLAIMS_FIELDS_MAX];
    int n = 0;
    snprintf(facts, sizeof facts, "%s", values[3]);
    for (char *at = facts; *at != '\0' && n < CLAIMS_FIELDS_MAX;) {
        char *end = at + strcspn(at, ",");
        int last = *end == '\0';
        *end = '\0';
        while (*at == ' ')
            at++;
        for (char *t = end - 1; t >= at && *t == ' '; t--)
            *t = '\0';
        if (*at != '\0')
            fields[n++] = at;
        if (last)
            break;
        at = end + 1;
    }
    const struct claims_request rq = {
        p.id, values[0], values[1], d.day,        fields,
        n,    NULL,      0,         r->user.name, values[4][0] ? values[4] : "filed on the web"};
    struct claim c;
    int rc = claims_file(r->store, r->srv->rules.lib, &rq, web_today(r), &c, &err);
    if (rc != SP_OK) {
        claim_form(r, &p, v, err.message, web_status_of(rc));
        return;
    }
    char to[96];
    snprintf(to, sizeof to, "/persons/%s#claims", p.id);
    web_redirect(r, to);
}

/* ---- a grievance ---- */

static void grievance_form(struct web_request *r, const struct person *p, const char *const *values,
                           const char *problem, int status)
{
    form_head(r, p, "Open a grievance", problem);
    form_open(r, p, "grievance");
    label(r, "about", "About");
    html_raw(r, "<select id=\"about\" name=\"about\">\n");
    static const char *const abouts[] = {"claim", "enrolment", "payment", "registration"};
    for (int i = 0; i < 4; i++) {
        html_printf(r, "<option value=\"%s\"%s>", abouts[i],
                    values != NULL && strcmp(values[0], abouts[i]) == 0 ? " selected" : "");
        html_text(r, web_tr(r, abouts[i]));
        html_raw(r, "</option>\n");
    }
    html_raw(r, "</select>\n</div>\n");
    input(r, "ref", "Which one", values != NULL ? values[1] : "",
          "a claim's number, a scheme, a payment's id; may be left empty");
    label(r, "text", "The complaint");
    html_raw(r, "<textarea id=\"text\" name=\"text\" rows=\"4\">");
    html_text(r, values != NULL ? values[2] : "");
    html_raw(r, "</textarea>\n</div>\n");
    submit(r, "Open the grievance");
    html_end(r, status);
}

void page_grievance(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) == SP_OK)
        grievance_form(r, &p, NULL, NULL, 200);
}

void page_grievance_post(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    static __thread char values[3][VALUE_MAX * 4];
    static const char *const names[3] = {"about", "ref", "text"};
    const char *v[3];
    for (int i = 0; i < 3; i++) {
        web_form_value(r, names[i], values[i], sizeof values[i]);
        v[i] = values[i];
    }
    struct error err;
    error_init(&err);
    struct grievance_policy policy;
    int rc = grievances_policy_load(NULL, &policy, &err);
    struct grievance g;
    if (rc == SP_OK) {
        const struct grievances_request rq = {
            p.id,      values[0],    values[1][0] ? values[1] : NULL,
            values[2], web_today(r), r->user.name};
        rc = grievances_open(r->store, &policy, &rq, web_today(r), &g, &err);
    }
    if (rc != SP_OK) {
        grievance_form(r, &p, v, err.message, web_status_of(rc));
        return;
    }
    char to[96];
    snprintf(to, sizeof to, "/persons/%s#grievances", p.id);
    web_redirect(r, to);
}
