/* decision_print.c: decisions as JSON result objects or text table rows. */
#include "cli/decision_print.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"

static void money_text(int64_t minor, const char *currency, char *out, size_t size)
{
    struct money m = {minor, ""};
    memcpy(m.currency, currency, CURRENCY_CODE_SIZE);
    money_format(m, out, size);
}

static json_t *money_json(int present, int64_t minor, const char *currency)
{
    if (!present)
        return json_null();
    char text[MONEY_TEXT_MAX];
    money_text(minor, currency, text, sizeof text);
    return json_string(text);
}

static json_t *contribution_json(const struct scheme *s, const struct decision *d)
{
    if (!d->has_contribution)
        return json_null();
    static const char *const names[] = {"employee", "employer", "state"};
    json_t *o = json_object();
    for (int k = 0; o != NULL && k < 3; k++)
        json_object_set_new(
            o, names[k], money_json(1, (d->parts_given >> k) & 1 ? d->parts[k] : 0, s->currency));
    if (o != NULL)
        json_object_set_new(o, "total", money_json(1, d->total, s->currency));
    return o;
}

static json_t *lines_json(const char *text)
{
    json_t *a = json_array();
    for (const char *line = text; a != NULL && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        json_array_append_new(a, json_stringn(line, n));
        line += n + (end != NULL);
    }
    return a;
}

/* Prints one result as a JSON object; *first tracks the separating commas. */
int decision_print_json(const struct person *p, const struct scheme *s, const struct decision *d,
                        const char *reasons, int *first)
{
    int eligible = d->status == DECISION_ELIGIBLE;
    json_t *o = json_object();
    if (o == NULL)
        return SP_IO;
    json_object_set_new(o, "person", json_string(p->id));
    json_object_set_new(o, "scheme", json_string(s->id));
    json_object_set_new(o, "country", json_string(s->country));
    json_object_set_new(o, "branch", json_string(s->branch));
    json_object_set_new(o, "kind", json_string(scheme_kind_name(s->kind)));
    json_object_set_new(o, "eligible", json_boolean(eligible));
    json_object_set_new(o, "amount", money_json(d->has_amount, d->amount, s->currency));
    json_object_set_new(o, "currency", json_string(s->currency));
    json_object_set_new(o, "per",
                        s->per == PER_NONE ? json_null() : json_string(scheme_per_name(s->per)));
    json_object_set_new(o, "status", json_string(decision_status_name(d->status)));
    if (s->has_contribution)
        json_object_set_new(o, "contribution", contribution_json(s, d));
    json_object_set_new(o, "explanation", lines_json(reasons));
    char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    if (text == NULL)
        return SP_IO;
    printf("%s\n  %s", *first ? "" : ",", text);
    *first = 0;
    free(text);
    return SP_OK;
}

void decision_print_text(const struct person *p, const struct scheme *s, const struct decision *d,
                         const char *reasons, int with_reasons)
{
    char amount[MONEY_TEXT_MAX + 8] = "-", contribution[MONEY_TEXT_MAX + 8] = "-";
    char text[MONEY_TEXT_MAX];
    if (d->has_amount) {
        money_text(d->amount, s->currency, text, sizeof text);
        snprintf(amount, sizeof amount, "%s %s", text, s->currency);
    }
    if (d->has_contribution) {
        money_text(d->total, s->currency, text, sizeof text);
        snprintf(contribution, sizeof contribution, "%s %s", text, s->currency);
    }
    printf("%-12s %-40s %-8s %-18s %-7s %-18s %s\n", p->id, s->id,
           d->status == DECISION_ELIGIBLE ? "yes" : "no", amount,
           s->per == PER_NONE ? "-" : scheme_per_name(s->per), contribution,
           decision_status_name(d->status));
    if (!with_reasons)
        return;
    for (const char *line = reasons; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        printf("    %.*s\n", (int)n, line);
        line += n + (end != NULL);
    }
}

void decision_print_header(void)
{
    printf("%-12s %-40s %-8s %-18s %-7s %-18s %s\n", "PERSON", "SCHEME", "ELIGIBLE", "AMOUNT",
           "PER", "CONTRIBUTION", "STATUS");
}
