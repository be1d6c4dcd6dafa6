/*
 * pages.c: the pages people use (web_impl.h, docs/web.md): sign in, search, the single window
 * of one person, registering a person, and the public figures. Each reads through ops/ and
 * the store as the API does; the single window shows the same JSON the API gives.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/calendar.h"
#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "ops/persons.h"
#include "ops/transparency.h"
#include "ops/users.h"
#include "registry/card.h"
#include "registry/dedup.h"
#include "registry/gazetteer.h"
#include "web/web_impl.h"

/* Where a signed-in user starts. */
static void go_home(struct web_request *r)
{
    char to[96];
    if (r->user.person[0] != '\0' && !users_role_may(r->user.role, USERS_SEARCH))
        snprintf(to, sizeof to, "/persons/%s", r->user.person);
    else
        snprintf(to, sizeof to, "/search");
    web_redirect(r, to);
}

void page_home(struct web_request *r)
{
    if (r->signed_in)
        go_home(r);
    else
        web_redirect(r, "/login");
}

void page_style(struct web_request *r)
{
    const char *css = web_asset("style.css");
    struct error err;
    error_init(&err);
    buf_reset(&r->out);
    buf_puts(&r->out, css != NULL ? css : "", &err);
    r->status = 200;
    r->content_type = "text/css; charset=utf-8";
    r->replied = 1;
    web_add_header(r, "Cache-Control", "public, max-age=86400");
}

/* A date as text: in both calendars for a person in Nepal. */
static void date_text(int32_t day, const char *country, char *out, size_t size)
{
    if (day == DATE_NONE) {
        snprintf(out, size, "-");
        return;
    }
    if (strcmp(country, "NP") == 0) {
        char both[CALENDAR_BOTH_TEXT_SIZE];
        calendar_format_both(day, both);
        snprintf(out, size, "%s", both);
        return;
    }
    char ad[DATE_TEXT_SIZE];
    date_format(day, ad);
    snprintf(out, size, "%s", ad);
}

/* ---- signing in and out ---- */

static void login_form(struct web_request *r, const char *name, const char *problem, int status)
{
    char token[USERS_TOKEN_SIZE];
    unsigned char bytes[32];
    randombytes_buf(bytes, sizeof bytes);
    sodium_bin2hex(token, sizeof token, bytes, sizeof bytes);
    char cookie[256];
    web_cookie_header(r, WEB_LOGIN_COOKIE, token, 1800, cookie, sizeof cookie);
    html_begin(r, web_tr(r, "Sign in"));
    html_raw(r, "<h1>");
    html_tr(r, "Sign in");
    html_raw(r, "</h1>\n");
    if (problem != NULL) {
        html_raw(r, "<p class=\"problem\" role=\"alert\">");
        html_text(r, problem);
        html_raw(r, "</p>\n");
    }
    html_raw(r, "<form method=\"post\" action=\"/login\">\n"
                "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_text(r, token);
    html_raw(r, "\">\n<label for=\"name\">");
    html_tr(r, "User name");
    html_raw(r, "</label>\n"
                "<input id=\"name\" name=\"name\" autocomplete=\"username\" required value=\"");
    html_text(r, name != NULL ? name : "");
    html_raw(r, "\">\n<label for=\"password\">");
    html_tr(r, "Password");
    html_raw(r, "</label>\n"
                "<input id=\"password\" name=\"password\" type=\"password\" "
                "autocomplete=\"current-password\" required>\n"
                "<button type=\"submit\">");
    html_tr(r, "Sign in");
    html_raw(r, "</button>\n</form>\n");
    html_end(r, status);
    web_add_header(r, "Set-Cookie", cookie);
}

void page_login(struct web_request *r)
{
    if (r->signed_in)
        go_home(r);
    else
        login_form(r, NULL, NULL, 200);
}

void page_login_post(struct web_request *r)
{
    char name[STORE_USER_NAME_SIZE], password[USERS_PASSWORD_MAX + 1], csrf[USERS_TOKEN_SIZE + 8];
    web_form_value(r, "name", name, sizeof name);
    web_form_value(r, "password", password, sizeof password);
    web_form_value(r, "csrf", csrf, sizeof csrf);
    const char *expected = web_cookie(r, WEB_LOGIN_COOKIE);
    if (expected == NULL || strlen(expected) != strlen(csrf) || csrf[0] == '\0' ||
        sodium_memcmp(expected, csrf, strlen(csrf)) != 0) {
        sodium_memzero(password, sizeof password);
        web_forbid(r, "/login", "the sign-in form had no valid CSRF token");
        return;
    }
    int64_t now = web_now(), wait = 0;
    if (!web_login_allowed(r->srv->limiter, name, r->remote, now, &wait)) {
        sodium_memzero(password, sizeof password);
        char seconds[32], message[400];
        snprintf(seconds, sizeof seconds, "%lld", (long long)wait);
        snprintf(message, sizeof message, "%s %lld %s", web_tr(r, "Too many failed sign-ins: wait"),
                 (long long)(wait + 59) / 60, web_tr(r, "minutes and try again."));
        login_form(r, name, message, 429);
        web_add_header(r, "Retry-After", seconds);
        return;
    }
    struct error err;
    error_init(&err);
    struct store_user u;
    int rc = users_login(r->store, name, password, &u, &err);
    sodium_memzero(password, sizeof password);
    if (rc == SP_BAD_INPUT) {
        web_login_failed(r->srv->limiter, name, r->remote, now);
        store_audit_configure(r->store, NULL, name[0] ? name : r->remote);
        struct error note;
        error_init(&note);
        users_note_refusal(r->store, "/login", "a wrong user name or password", &note);
        login_form(r, name, web_tr(r, "Wrong user name or password."), 401);
        return;
    }
    char token[USERS_TOKEN_SIZE];
    store_audit_configure(r->store, NULL, u.name);
    if (rc == SP_OK)
        rc = users_token_new(r->store, u.name, "session", now, token, NULL, &err);
    if (rc != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    r->signed_in = 1;
    r->user = u;
    go_home(r);
    char cookie[256], clear[256];
    web_cookie_header(r, WEB_SESSION_COOKIE, token, -1, cookie, sizeof cookie);
    web_cookie_header(r, WEB_LOGIN_COOKIE, "", 0, clear, sizeof clear);
    sodium_memzero(token, sizeof token);
    web_add_header(r, "Set-Cookie", cookie);
    web_add_header(r, "Set-Cookie", clear);
}

void page_logout(struct web_request *r)
{
    struct error err;
    error_init(&err);
    const char *token = web_cookie(r, WEB_SESSION_COOKIE);
    if (token != NULL && users_token_end(r->store, token, &err) != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    web_redirect(r, "/login");
    char clear[256];
    web_cookie_header(r, WEB_SESSION_COOKIE, "", 0, clear, sizeof clear);
    web_add_header(r, "Set-Cookie", clear);
}

/* ---- search ---- */

struct listing {
    struct web_request *r;
    int shown;
};

static int list_one(void *ctx, const struct person *p)
{
    struct listing *l = ctx;
    struct web_request *r = l->r;
    if (!users_may_see(&r->user, p))
        return 0;
    char born[64];
    date_text(p->birth_date, p->country, born, sizeof born);
    html_raw(r, "<li><a href=\"/persons/");
    html_text(r, p->id);
    html_raw(r, "\">");
    html_text(r, p->given_name);
    html_raw(r, " ");
    html_text(r, p->family_name);
    html_raw(r, "</a><br><span class=\"meta\">");
    char printed[32];
    card_group_id(p->id, printed, sizeof printed);
    html_text(r, printed);
    html_raw(r, " · ");
    html_tr(r, "born");
    html_raw(r, " ");
    html_text(r, born);
    html_raw(r, " · ");
    html_text(r, p->admin2[0] ? p->admin2 : p->country);
    html_raw(r, "</span></li>\n");
    l->shown++;
    return 0;
}

void page_search(struct web_request *r)
{
    const char *q = web_query(r, "q");
    html_begin(r, web_tr(r, "Search"));
    html_raw(r, "<h1>");
    html_tr(r, "Search the registry");
    html_raw(r, "</h1>\n<form method=\"get\" action=\"/search\" role=\"search\">\n<label "
                "for=\"q\">");
    html_tr(r, "Name, worker ID, national ID or phone");
    html_raw(r, "</label>\n<input id=\"q\" name=\"q\" type=\"search\" maxlength=\"128\" value=\"");
    html_text(r, q != NULL ? q : "");
    html_raw(r, "\">\n<button type=\"submit\">");
    html_tr(r, "Search");
    html_raw(r, "</button>\n</form>\n");
    if (q != NULL && q[0] != '\0' && strlen(q) <= 128) {
        struct listing l = {r, 0};
        struct error err;
        error_init(&err);
        html_raw(r, "<ul class=\"results\">\n");
        int rc = store_person_find(r->store, q, NULL, 20, 0, list_one, &l, &err);
        html_raw(r, "</ul>\n");
        if (rc != SP_OK)
            html_raw(r, "<p class=\"problem\">The search failed.</p>\n");
        else if (l.shown == 0) {
            html_raw(r, "<p>");
            html_tr(r, "Nobody found.");
            html_raw(r, "</p>\n");
        }
    }
    html_end(r, 200);
}

/* ---- the single window ---- */

static void card_row(struct web_request *r, const char *label, const char *value)
{
    if (value == NULL || value[0] == '\0')
        return;
    html_raw(r, "<dt>");
    html_tr(r, label);
    html_raw(r, "</dt><dd>");
    html_text(r, value);
    html_raw(r, "</dd>\n");
}

void page_card(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    struct error err;
    error_init(&err);
    buf_reset(&r->out);
    if (card_write_svg(&p, &r->out, &err) != SP_OK) {
        web_fail(r, 500, "internal", err.message, NULL);
        return;
    }
    r->status = 200;
    r->content_type = "image/svg+xml";
    r->replied = 1;
    web_add_header(r, "Cache-Control", "private, no-store");
}

/* One result of the entitlements JSON as a section. */
static void show_result(struct web_request *r, json_t *res)
{
    const char *scheme = json_string_value(json_object_get(res, "scheme"));
    const char *status = json_string_value(json_object_get(res, "status"));
    int eligible = json_is_true(json_object_get(res, "eligible"));
    const char *amount = json_string_value(json_object_get(res, "amount"));
    const char *currency = json_string_value(json_object_get(res, "currency"));
    const char *per = json_string_value(json_object_get(res, "per"));
    int undetermined = status != NULL && strcmp(status, "undetermined") == 0;
    const char *verdict = eligible ? "Eligible" : undetermined ? "Undetermined" : "Not eligible";
    const char *cls = eligible ? "yes" : undetermined ? "maybe" : "no";
    html_printf(r, "<section class=\"benefit %s\">\n<h3>", cls);
    html_text(r, scheme != NULL ? scheme : "?");
    html_raw(r, " <span class=\"verdict\">");
    html_tr(r, verdict);
    html_raw(r, "</span></h3>\n");
    if (eligible && amount != NULL) {
        html_raw(r, "<p class=\"amount\">");
        html_text(r, amount);
        html_raw(r, " ");
        html_text(r, currency != NULL ? currency : "");
        if (per != NULL) {
            html_raw(r, " ");
            html_tr(r, "per");
            html_raw(r, " ");
            html_tr(r, per);
        }
        html_raw(r, "</p>\n");
    }
    json_t *missing = json_object_get(res, "missing");
    if (json_array_size(missing) > 0) {
        html_raw(r, "<p>");
        html_tr(r, "To decide, bring or tell us:");
        html_raw(r, "</p>\n<ul class=\"bring\">\n");
        size_t i;
        json_t *m;
        json_array_foreach(missing, i, m)
        {
            const char *name = json_string_value(m) != NULL ? json_string_value(m) : "";
            const struct person_field *f = person_field_find(name);
            html_raw(r, "<li>");
            html_tr(r, f != NULL ? f->description : name);
            html_raw(r, "</li>\n");
        }
        html_raw(r, "</ul>\n");
    }
    json_t *reasons = json_object_get(res, "reasons");
    if (json_array_size(reasons) > 0) {
        html_raw(r, "<details><summary>");
        html_tr(r, "Why");
        html_raw(r, "</summary>\n<ul class=\"why\">\n");
        size_t i;
        json_t *why;
        json_array_foreach(reasons, i, why)
        {
            json_t *passed = json_object_get(why, "passed");
            const char *text = json_string_value(json_object_get(why, "text"));
            html_printf(r, "<li class=\"%s\">%s ",
                        json_is_true(passed)    ? "passed"
                        : json_is_false(passed) ? "failed"
                                                : "unknown",
                        json_is_true(passed)    ? "&#10003;"
                        : json_is_false(passed) ? "&#10007;"
                                                : "?");
            html_text(r, text != NULL ? text : "");
            html_raw(r, "</li>\n");
        }
        html_raw(r, "</ul>\n</details>\n");
    }
    html_raw(r, "</section>\n");
}

static int show_enrolment(void *ctx, const struct enrolment_record *e)
{
    struct web_request *r = ctx;
    char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE] = "";
    date_format(e->e.from, from);
    if (e->e.to != DATE_NONE)
        date_format(e->e.to, to);
    html_raw(r, "<li>");
    html_text(r, e->e.scheme);
    html_raw(r, ": ");
    html_tr(r, enrolment_state_name(e->state));
    html_raw(r, " ");
    html_tr(r, "since");
    html_raw(r, " ");
    html_text(r, from);
    if (to[0]) {
        html_raw(r, " ");
        html_tr(r, "until");
        html_raw(r, " ");
        html_text(r, to);
    }
    html_raw(r, "</li>\n");
    return 0;
}

void page_person(struct web_request *r)
{
    struct person p;
    if (web_person_for(r, r->params[0], &p) != SP_OK)
        return;
    struct error err;
    error_init(&err);
    int32_t today = web_today(r);
    struct buf doc;
    buf_init(&doc, WEB_REPLY_MAX);
    int rc = web_entitlements_json(r, p.id, today, 1, &doc, &err);
    json_t *decisions = rc == SP_OK ? json_loadb(doc.data, doc.len, 0, NULL) : NULL;
    buf_release(&doc);

    char title[2 * PERSON_NAME_SIZE + 2];
    snprintf(title, sizeof title, "%s %s", p.given_name, p.family_name);
    html_begin(r, title);
    html_raw(r, "<h1>");
    html_text(r, title);
    html_raw(r, "</h1>\n<section class=\"card\" aria-label=\"");
    html_tr(r, "Card");
    html_raw(r, "\">\n<dl>\n");
    char printed[32], born[64], today_text[64];
    card_group_id(p.id, printed, sizeof printed);
    date_text(p.birth_date, p.country, born, sizeof born);
    date_text(today, p.country, today_text, sizeof today_text);
    card_row(r, "Worker ID", printed);
    card_row(r, "Born", born);
    card_row(r, "Sex", web_tr(r, person_enum_name("sex", p.sex)));
    card_row(r, "Country", p.country);
    card_row(r, "Province", p.admin1);
    card_row(r, "District", p.admin2);
    card_row(r, "Household", p.household);
    card_row(r, "National ID", p.national_id);
    card_row(r, "Phone", p.phone);
    html_raw(r, "</dl>\n<img class=\"qr\" src=\"/persons/");
    html_text(r, p.id);
    html_raw(r, "/card.svg\" alt=\"");
    html_tr(r, "The worker's card, with its QR code");
    html_raw(r, "\" width=\"324\" height=\"204\">\n</section>\n<h2>");
    html_tr(r, "Benefits");
    html_raw(r, "</h2>\n<p class=\"meta\">");
    html_tr(r, "As the rules decide on");
    html_raw(r, " ");
    html_text(r, today_text);
    html_raw(r, ".</p>\n");
    if (rc != SP_OK) {
        html_raw(r, "<p class=\"problem\">");
        html_text(r, err.message);
        html_raw(r, "</p>\n");
    } else {
        json_t *results = json_object_get(decisions, "results");
        size_t i;
        json_t *res;
        /* what the person gets first, then what is still open, then the rest */
        for (int pass = 0; pass < 3; pass++) {
            json_array_foreach(results, i, res)
            {
                const char *status = json_string_value(json_object_get(res, "status"));
                int group = json_is_true(json_object_get(res, "eligible"))          ? 0
                            : status != NULL && strcmp(status, "undetermined") == 0 ? 1
                                                                                    : 2;
                if (group == pass)
                    show_result(r, res);
            }
        }
        if (json_array_size(results) == 0) {
            html_raw(r, "<p>");
            html_tr(r, "No scheme of this country applies.");
            html_raw(r, "</p>\n");
        }
    }
    json_decref(decisions);
    html_raw(r, "<h2>");
    html_tr(r, "Enrolments");
    html_raw(r, "</h2>\n<ul class=\"enrolments\">\n");
    error_init(&err);
    rc = store_enrolments_each(r->store, p.id, show_enrolment, r, &err);
    html_raw(r, "</ul>\n");
    if (rc != SP_OK)
        html_raw(r, "<p class=\"problem\">The enrolments could not be read.</p>\n");
    page_person_records(r, p.id, today);
    html_end(r, 200);
}

/* ---- registering a person ---- */

/* The fields of the form, in order. */
static const struct {
    const char *name, *label, *hint;
} form_fields[] = {
    {"given_name", "Given name", NULL},
    {"family_name", "Family name", NULL},
    {"sex", "Sex", NULL},
    {"birth_date", "Date of birth", "YYYY-MM-DD, or a Bikram Sambat date such as 2040-05-12 BS"},
    {"country", "Country", "two letters, e.g. NP"},
    {"admin1", "Province or state", NULL},
    {"admin2", "District", NULL},
    {"national_id", "National ID", "if the person has one"},
    {"phone", "Phone", NULL},
};

#define FORM_FIELDS ((int)(sizeof form_fields / sizeof form_fields[0]))
#define VALUE_SIZE  200

/* The gazetteer's provinces and districts as the choices of the area fields (a browser offers
 * them as the clerk types; any spelling the gazetteer knows, the local script's too, is read). */
static void area_lists(struct web_request *r)
{
    struct error err;
    error_init(&err);
    int n = 0;
    const struct area *areas = gazetteer_load(&err) == SP_OK ? gazetteer_areas(&n) : NULL;
    for (int level = AREA_ADMIN1; level <= AREA_ADMIN2; level++) {
        html_printf(r, "<datalist id=\"admin%d-list\">\n", level);
        for (int i = 0; areas != NULL && i < n; i++) {
            if (areas[i].level != level)
                continue;
            html_raw(r, "<option value=\"");
            html_text(r, areas[i].name);
            html_raw(r, "\">");
            if (areas[i].local[0] != '\0') {
                html_text(r, areas[i].local);
                html_raw(r, " · ");
            }
            html_text(r, areas[i].country);
            html_raw(r, "</option>\n");
        }
        html_raw(r, "</datalist>\n");
    }
}

/* The form; ask_ad: the birth date may be a BS date written without "BS": ask to confirm. */
static void register_form(struct web_request *r, char values[][VALUE_SIZE],
                          char problems[][ERROR_MESSAGE_MAX], const char *general, int ask_ad,
                          int status)
{
    html_begin(r, web_tr(r, "Register a person"));
    html_raw(r, "<h1>");
    html_tr(r, "Register a person");
    html_raw(r, "</h1>\n");
    if (general != NULL) {
        html_raw(r, "<p class=\"problem\" role=\"alert\">");
        html_text(r, general);
        html_raw(r, "</p>\n");
    }
    html_raw(r, "<form method=\"post\" action=\"/register\" novalidate>\n");
    html_csrf(r);
    for (int i = 0; i < FORM_FIELDS; i++) {
        const char *name = form_fields[i].name;
        const char *value = values != NULL ? values[i] : "";
        int bad = problems != NULL && problems[i][0] != '\0';
        html_raw(r, "<div class=\"field\">\n<label for=\"");
        html_text(r, name);
        html_raw(r, "\">");
        html_tr(r, form_fields[i].label);
        html_raw(r, "</label>\n");
        char described[96] = "";
        if (form_fields[i].hint != NULL || bad)
            snprintf(described, sizeof described, " aria-describedby=\"%s-note\"", name);
        if (strcmp(name, "sex") == 0) {
            html_printf(r, "<select id=\"sex\" name=\"sex\"%s%s>\n", described,
                        bad ? " aria-invalid=\"true\"" : "");
            const char *choices[] = {"", "female", "male", "other"};
            for (int c = 0; c < 4; c++) {
                html_printf(r, "<option value=\"%s\"%s>", choices[c],
                            strcmp(value, choices[c]) == 0 ? " selected" : "");
                html_tr(r, c == 0 ? "(choose)" : choices[c]);
                html_raw(r, "</option>\n");
            }
            html_raw(r, "</select>\n");
        } else {
            html_raw(r, "<input id=\"");
            html_text(r, name);
            html_raw(r, "\" name=\"");
            html_text(r, name);
            int area = strcmp(name, "admin1") == 0 || strcmp(name, "admin2") == 0;
            if (area)
                html_printf(r, "\" list=\"%s-list", name);
            html_printf(r, "\"%s%s value=\"", described, bad ? " aria-invalid=\"true\"" : "");
            html_text(r, value);
            html_raw(r, "\">\n");
        }
        if (bad) {
            html_printf(r, "<p class=\"problem\" id=\"%s-note\">", name);
            html_text(r, problems[i]);
            html_raw(r, "</p>\n");
            if (ask_ad && strcmp(name, "birth_date") == 0) {
                html_raw(r, "<label class=\"check\"><input type=\"checkbox\" "
                            "name=\"birth_ad\" value=\"1\"> ");
                html_tr(r, "This date is Gregorian (AD), not Bikram Sambat");
                html_raw(r, "</label>\n");
            }
        } else if (form_fields[i].hint != NULL) {
            html_printf(r, "<p class=\"hint\" id=\"%s-note\">", name);
            html_tr(r, form_fields[i].hint);
            html_raw(r, "</p>\n");
        }
        html_raw(r, "</div>\n");
    }
    html_raw(r, "<button type=\"submit\">");
    html_tr(r, "Register");
    html_raw(r, "</button>\n</form>\n");
    area_lists(r);
    html_end(r, status);
}

void page_register(struct web_request *r)
{
    register_form(r, NULL, NULL, NULL, 0, 200);
}

/* The form field a message is about ("birth_date: ..."), or -1. */
static int field_named(const char *message)
{
    for (int i = 0; i < FORM_FIELDS; i++) {
        size_t n = strlen(form_fields[i].name);
        if (strncmp(message, form_fields[i].name, n) == 0 && message[n] == ':')
            return i;
    }
    return -1;
}

void page_register_post(struct web_request *r)
{
    static __thread char values[FORM_FIELDS][VALUE_SIZE];
    static __thread char problems[FORM_FIELDS][ERROR_MESSAGE_MAX];
    struct person p;
    person_init(&p);
    int32_t today = web_today(r);
    int bad = 0;
    /* the country first: money and districts are read in it */
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < FORM_FIELDS; i++) {
            int country = strcmp(form_fields[i].name, "country") == 0;
            if (country != (pass == 0))
                continue;
            problems[i][0] = '\0';
            web_form_value(r, form_fields[i].name, values[i], sizeof values[i]);
            const struct person_field *f = person_field_find(form_fields[i].name);
            struct error err;
            error_init(&err);
            if (values[i][0] == '\0' && f->required) {
                snprintf(problems[i], sizeof problems[i], "%s: %s", web_tr(r, form_fields[i].label),
                         web_tr(r, "needed."));
                bad = 1;
            } else if (person_set_field_in(&p, f, values[i], today, CALENDAR_AD, &err) != SP_OK) {
                text_copy(problems[i], sizeof problems[i], err.message);
                bad = 1;
            }
        }
    }
    if (bad) {
        register_form(r, values, problems, web_tr(r, "Some fields need attention: see below."), 0,
                      400);
        return;
    }
    /* a Nepali birth date from 2000 on, written without a calendar, may well be BS
       (docs/calendars.md): asked once, as `person add` warns */
    char confirmed[8], warning[PERSON_BS_WARNING_SIZE];
    int birth = field_named("birth_date:");
    if (!web_form_value(r, "birth_ad", confirmed, sizeof confirmed) &&
        person_birth_date_maybe_bs(&p, values[birth], CALENDAR_AD, today, warning,
                                   sizeof warning)) {
        text_copy(problems[birth], sizeof problems[birth], warning);
        register_form(r, values, problems,
                      web_tr(r, "Is the date of birth Gregorian or Bikram Sambat? See below."), 1,
                      200);
        return;
    }
    struct error err;
    error_init(&err);
    const struct persons_duplicate_check check = {DEDUP_THRESHOLD, NULL, 0, r->user.name};
    int rc = persons_add_checked(r->store, &p, &check, NULL, NULL, &err);
    if (rc == SP_OK) {
        char to[96];
        snprintf(to, sizeof to, "/persons/%s", p.id);
        web_redirect(r, to);
        return;
    }
    int at = field_named(err.message);
    if (at >= 0) {
        text_copy(problems[at], sizeof problems[at], err.message);
        register_form(r, values, problems, web_tr(r, "Some fields need attention: see below."), 0,
                      web_status_of(rc));
    } else {
        register_form(r, values, problems, err.message, 0, web_status_of(rc));
    }
}

/* ---- the public figures ---- */

/* The figures, counted at most once a minute (a walk over the registry). */
static pthread_mutex_t figures_lock = PTHREAD_MUTEX_INITIALIZER;
static struct transparency figures;
static int64_t figures_at = -1;

static void share(struct web_request *r, int64_t part, int64_t whole)
{
    if (whole == 0)
        html_raw(r, "<td>-</td>");
    else
        html_printf(r, "<td>%lld (%lld%%)</td>", (long long)part,
                    (long long)((part * 100 + whole / 2) / whole));
}

static void figure_row(struct web_request *r, const struct transparency_row *row, const char *name)
{
    html_raw(r, "<tr><th scope=\"row\">");
    html_text(r, name);
    html_printf(r, "</th><td>%lld</td>", (long long)row->persons);
    share(r, row->women, row->persons);
    share(r, row->under_35, row->persons);
    share(r, row->enrolled, row->persons);
    html_raw(r, "</tr>\n");
}

void page_public(struct web_request *r)
{
    struct error err;
    error_init(&err);
    int64_t now = web_now();
    struct transparency t;
    pthread_mutex_lock(&figures_lock);
    int rc = SP_OK;
    if (figures_at < 0 || now - figures_at >= 60 || figures.on != web_today(r)) {
        rc = transparency_count(r->store, web_today(r), &figures, &err);
        if (rc == SP_OK)
            figures_at = now;
    }
    t = figures;
    pthread_mutex_unlock(&figures_lock);
    if (rc != SP_OK) {
        web_fail(r, 500, "storage", err.message, NULL);
        return;
    }
    char on[DATE_TEXT_SIZE];
    date_format(t.on, on);
    html_begin(r, web_tr(r, "The registry in figures"));
    html_raw(r, "<h1>");
    html_tr(r, "The registry in figures");
    html_raw(r, "</h1>\n<p>");
    html_tr(r, "Counts only: this page never shows a person. Figures on");
    html_raw(r, " ");
    html_text(r, on);
    html_raw(r, ", ");
    html_tr(r, "each with the share of women and of persons under 35.");
    html_raw(r, "</p>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"");
    html_tr(r, "Registered persons by country");
    html_raw(r, "\"><table>\n<caption>");
    html_tr(r, "Registered persons by country");
    html_raw(r, "</caption>\n<thead><tr>");
    static const char *const cols[] = {"Country", "Persons", "Women", "Under 35", "Enrolled"};
    for (int i = 0; i < 5; i++) {
        html_raw(r, "<th scope=\"col\">");
        html_tr(r, cols[i]);
        html_raw(r, "</th>");
    }
    html_raw(r, "</tr></thead>\n<tbody>\n");
    for (int i = 0; i < t.n; i++)
        figure_row(r, &t.rows[i], t.rows[i].country[0] ? t.rows[i].country : "Other");
    html_raw(r, "</tbody>\n<tfoot>\n");
    figure_row(r, &t.total, web_tr(r, "All"));
    html_raw(r, "</tfoot>\n</table></div>\n");
    html_end(r, 200);
}
