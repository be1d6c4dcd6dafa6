/*
 * html.c: the frame of every page and escaping (web_impl.h). Pages are plain HTML with one
 * small style sheet, no script, readable at 360 px.
 */
#include <stdarg.h>
#include <stdio.h>

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

void html_begin(struct web_request *r, const char *title)
{
    buf_reset(&r->out);
    html_raw(r, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                "<title>");
    html_text(r, title);
    html_raw(r, " · spfloor</title>\n<link rel=\"stylesheet\" href=\"/static/style.css\">\n"
                "</head>\n<body>\n<header>\n<a class=\"brand\" href=\"/\">spfloor</a>\n");
    if (r->signed_in) {
        html_raw(r, "<nav aria-label=\"Main\">\n");
        if (users_role_may(r->user.role, USERS_SEARCH))
            html_raw(r, "<a href=\"/search\">Search</a>\n");
        if (users_role_may(r->user.role, USERS_REGISTER))
            html_raw(r, "<a href=\"/register\">Register</a>\n");
        if (users_role_may(r->user.role, USERS_PAY))
            html_raw(r, "<a href=\"/payroll\">Payroll</a>\n");
        if (users_role_may(r->user.role, USERS_AUDIT))
            html_raw(r, "<a href=\"/audit\">Audit</a>\n");
        if (r->user.person[0] != '\0') {
            html_raw(r, "<a href=\"/persons/");
            html_text(r, r->user.person);
            html_raw(r, "\">My record</a>\n");
        }
        html_raw(r, "<a href=\"/dashboard\">Coverage</a>\n<a href=\"/public\">Figures</a>\n"
                    "<form method=\"post\" action=\"/logout\" class=\"inline\">\n");
        html_csrf(r);
        html_raw(r, "<button type=\"submit\">Sign out ");
        html_text(r, r->user.name);
        html_raw(r, "</button>\n</form>\n</nav>\n");
    } else {
        html_raw(r, "<nav aria-label=\"Main\"><a href=\"/public\">Figures</a> "
                    "<a href=\"/login\">Sign in</a></nav>\n");
    }
    html_raw(r, "</header>\n<main>\n");
}

void html_end(struct web_request *r, int status)
{
    html_raw(r, "</main>\n</body>\n</html>\n");
    r->status = status;
    r->content_type = "text/html; charset=utf-8";
    r->replied = 1;
}
