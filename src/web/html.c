/*
 * html.c: the frame of every page and escaping (web_impl.h). Pages are plain HTML with one
 * small style sheet, no script, readable at 360 px.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ops/users.h"
#include "web/web_impl.h"

void html_raw(struct web_request *r, const char *markup)
{
    struct error err;
    error_init(&err);
    buf_puts(&r->out, markup, &err);
}

void html_text(struct web_request *r, const char *text)
{
    struct error err;
    error_init(&err);
    buf_put_xml(&r->out, text, &err);
}

void html_tr(struct web_request *r, const char *msgid)
{
    html_text(r, web_tr(r, msgid));
}

void html_printf(struct web_request *r, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    html_raw(r, text);
}

void html_csrf(struct web_request *r)
{
    html_raw(r, "<input type=\"hidden\" name=\"csrf\" value=\"");
    html_text(r, r->token.csrf);
    html_raw(r, "\">\n");
}

/* A menu link, its text translated. */
static void menu_link(struct web_request *r, const char *href, const char *text)
{
    html_raw(r, "<a href=\"");
    html_raw(r, href);
    html_raw(r, "\">");
    html_text(r, web_tr(r, text));
    html_raw(r, "</a>\n");
}

void html_begin(struct web_request *r, const char *title)
{
    buf_reset(&r->out);
    html_printf(r, "<!DOCTYPE html>\n<html lang=\"%s\">\n", r->lang[0] ? r->lang : "en");
    html_raw(r, "<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_text(r, title);
    html_raw(r, " · spfloor</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                "</head>\n<body>\n<header>\n<a class=\"brand\" href=\"/\">spfloor</a>\n");
    if (r->signed_in) {
        html_raw(r, "<nav aria-label=\"");
        html_tr(r, "Main");
        html_raw(r, "\">\n");
        if (users_role_may(r->user.role, USERS_SEARCH))
            menu_link(r, "/search", "Search");
        if (users_role_may(r->user.role, USERS_REGISTER))
            menu_link(r, "/register", "Register");
        if (users_role_may(r->user.role, USERS_PAY))
            menu_link(r, "/payroll", "Payroll");
        if (users_role_may(r->user.role, USERS_AUDIT))
            menu_link(r, "/audit", "Audit");
        if (r->user.person[0] != '\0') {
            html_raw(r, "<a href=\"/persons/");
            html_text(r, r->user.person);
            html_raw(r, "\">");
            html_text(r, web_tr(r, "My record"));
            html_raw(r, "</a>\n");
        }
        menu_link(r, "/dashboard", "Coverage");
        menu_link(r, "/public", "Figures");
        html_raw(r, "<form method=\"post\" action=\"/logout\" class=\"inline\">\n");
        html_csrf(r);
        html_raw(r, "<button type=\"submit\">");
        html_text(r, web_tr(r, "Sign out"));
        html_raw(r, " ");
        html_text(r, r->user.name);
        html_raw(r, "</button>\n</form>\n</nav>\n");
    } else {
        html_raw(r, "<nav aria-label=\"");
        html_tr(r, "Main");
        html_raw(r, "\">\n");
        menu_link(r, "/public", "Figures");
        menu_link(r, "/login", "Sign in");
        html_raw(r, "</nav>\n");
    }
    /* the languages, each named in itself */
    static const char *const langs[][2] = {{"en", "English"}, {"ne", "नेपाली"}, {"id", "Indonesia"}};
    html_raw(r, "<nav class=\"langs\" aria-label=\"");
    html_tr(r, "Language");
    html_raw(r, "\">\n");
    for (int i = 0; i < 3; i++)
        html_printf(r, "<a href=\"?lang=%s\" lang=\"%s\"%s>%s</a>\n", langs[i][0], langs[i][0],
                    strcmp(r->lang, langs[i][0]) == 0 ? " aria-current=\"true\"" : "", langs[i][1]);
    html_raw(r, "</nav>\n</header>\n<main>\n");
}

void html_end(struct web_request *r, int status)
{
    html_raw(r, "</main>\n</body>\n</html>\n");
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    r->replied = 1;
}
