/* decision_format.c: decisions as JSON result objects, CSV rows or text table rows. */
#include "ops/decision_format.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/money.h"
#include "rules/decide.h"

static void money_text(int64_t minor, const char *currency, char *out, size_t size)
{
    struct money m = {minor, ""};
    memcpy(m.currency, currency, CURRENCY_CODE_SIZE);
    money_format(m, out, size);
}

/*
 * The result object is written straight into the buffer, without a JSON tree and without
 * printf: the single window writes one per scheme and request. The bytes are those jansson's
 * json_dumps(JSON_PRESERVE_ORDER | JSON_COMPACT) gives for the same object (keys in the order
 * set, no spaces, strings escaped as jansson does), which tests/cli compares.
 */

/* A JSON writer over a buffer: the first failure is kept and later writes do nothing. */
struct json_out {
    struct buf *b;
    struct error *err;
    int rc;
};

static void jw_raw(struct json_out *w, const char *bytes, size_t n)
{
    if (w->rc == SP_OK && n > 0)
        w->rc = buf_append(w->b, bytes, n, w->err);
}

static void jw_lit(struct json_out *w, const char *text)
{
    jw_raw(w, text, strlen(text));
}

/* Bytes of the UTF-8 sequence starting at s (at most n bytes), or 0 when it is not valid
 * UTF-8 (overlong, a surrogate, past U+10FFFF): jansson refuses such strings. */
static size_t utf8_length(const unsigned char *s, size_t n)
{
    unsigned c = s[0];
    size_t len;
    uint32_t cp;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
        cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* Writes n bytes of text as a JSON string, escaped as jansson escapes. */
static void jw_string(struct json_out *w, const char *text, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)text;
    jw_raw(w, "\"", 1);
    size_t run = 0; /* start of the bytes not yet written */
    for (size_t i = 0; i < n && w->rc == SP_OK;) {
        unsigned c = s[i];
        if (c >= 0x80) {
            size_t len = utf8_length(s + i, n - i);
            if (len == 0)
                w->rc = error_set(w->err, SP_IO, "a result's text is not UTF-8");
            i += len;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        jw_raw(w, text + run, i - run);
        char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        size_t esc_n = 2;
        switch (c) {
        case '"':
        case '\\':
            esc[1] = (char)c;
            break;
        case '\b':
            esc[1] = 'b';
            break;
        case '\f':
            esc[1] = 'f';
            break;
        case '\n':
            esc[1] = 'n';
            break;
        case '\r':
            esc[1] = 'r';
            break;
        case '\t':
            esc[1] = 't';
            break;
        default:
            esc_n = 6;
            break;
        }
        jw_raw(w, esc, esc_n);
        run = ++i;
    }
    jw_raw(w, text + run, n - run);
    jw_raw(w, "\"", 1);
}

/* ,"key": (the comma unless it is the object's first key) */
static void jw_key(struct json_out *w, const char *key, int first)
{
    jw_raw(w, first ? "\"" : ",\"", first ? 1 : 2);
    jw_lit(w, key);
    jw_raw(w, "\":", 2);
}

static void jw_str_field(struct json_out *w, const char *key, const char *value)
{
    jw_key(w, key, 0);
    jw_string(w, value, strlen(value));
}

/* The decimal digits of magnitude into the end of out (at least `min` digits, zeros before);
 * returns where they start. out has room for 20 digits and min <= 20. */
static char *digits_of(uint64_t magnitude, int min, char *end)
{
    char *p = end;
    do {
        *--p = (char)('0' + magnitude % 10);
        magnitude /= 10;
        min--;
    } while (magnitude > 0 || min > 0);
    return p;
}

/* The integer as JSON writes it. */
static void jw_integer(struct json_out *w, int64_t value)
{
    char text[24];
    char *end = text + sizeof text;
    uint64_t magnitude = value < 0 ? (uint64_t)0 - (uint64_t)value : (uint64_t)value;
    char *p = digits_of(magnitude, 1, end);
    if (value < 0)
        *--p = '-';
    jw_raw(w, p, (size_t)(end - p));
}

/* Minor units as money_format writes them ("-1234.50"), as a JSON string. */
static void jw_money(struct json_out *w, int64_t minor, const char *currency)
{
    const struct currency_info *info = currency_find(currency);
    int digits = info ? info->minor_digits : 2;
    char text[48];
    char *end = text + sizeof text;
    *--end = '"';
    uint64_t magnitude = minor < 0 ? (uint64_t)0 - (uint64_t)minor : (uint64_t)minor;
    uint64_t scale = 1;
    for (int i = 0; i < digits; i++)
        scale *= 10;
    char *p = end;
    if (digits > 0) {
        p = digits_of(magnitude % scale, digits, p);
        *--p = '.';
    }
    p = digits_of(magnitude / scale, 1, p);
    if (minor < 0)
        *--p = '-';
    *--p = '"';
    jw_raw(w, p, (size_t)(end + 1 - p));
}

/* The lines of text as an array of strings. */
static void jw_lines(struct json_out *w, const char *text)
{
    jw_raw(w, "[", 1);
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (line != text)
            jw_raw(w, ",", 1);
        jw_string(w, line, n);
        line += n + (end != NULL);
    }
    jw_raw(w, "]", 1);
}

/* The human reasons (decide_reasons' lines) as [{"text", "passed"}]. */
static void jw_reasons(struct json_out *w, const char *text)
{
    static const struct {
        const char *mark;
        const char *passed;
    } marks[] = {{DECIDE_MARK_PASSED " ", "true"},
                 {DECIDE_MARK_FAILED " ", "false"},
                 {DECIDE_MARK_UNKNOWN " ", "null"},
                 {DECIDE_MARK_ERROR " ", "null"}};
    jw_raw(w, "[", 1);
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line), skip = 0;
        const char *passed = "null";
        for (size_t i = 0; i < sizeof marks / sizeof marks[0] && skip == 0; i++) {
            size_t m = strlen(marks[i].mark);
            if (n >= m && strncmp(line, marks[i].mark, m) == 0) {
                skip = m;
                passed = marks[i].passed;
            }
        }
        jw_raw(w, line == text ? "{\"text\":" : ",{\"text\":", line == text ? 8 : 9);
        jw_string(w, line + skip, n - skip);
        jw_raw(w, ",\"passed\":", 10);
        jw_lit(w, passed);
        jw_raw(w, "}", 1);
        line += n + (end != NULL);
    }
    jw_raw(w, "]", 1);
}

/* {"employee", "employer", "state", "total"} of a contribution, or null. */
static void jw_contribution(struct json_out *w, const struct scheme *s, const struct decision *d)
{
    if (!d->has_contribution) {
        jw_raw(w, "null", 4);
        return;
    }
    static const char *const names[] = {"employee", "employer", "state"};
    jw_raw(w, "{", 1);
    for (int k = 0; k < 3; k++) {
        jw_key(w, names[k], k == 0);
        jw_money(w, (d->parts_given >> k) & 1 ? d->parts[k] : 0, s->currency);
    }
    jw_key(w, "total", 0);
    jw_money(w, d->total, s->currency);
    jw_raw(w, "}", 1);
}

/*
 * The keys a result has only in some cases: annual_amount (the amount in a year, docs/
 * schemes.md "Annual amounts", when a money amount recurs; null when too large to say),
 * in_kind, missing, excluded_by, optional.
 */
static void jw_marks(struct json_out *w, const struct scheme *s, const struct decision *d,
                     const char *missing)
{
    int per_year = scheme_per_year(s->per);
    if (d->has_amount && s->amount_unit == NULL && per_year != 0) {
        int64_t annual;
        jw_key(w, "annual_amount", 0);
        if (__builtin_mul_overflow(d->amount, (int64_t)per_year, &annual))
            jw_raw(w, "null", 4); /* no figure rather than a wrong one */
        else
            jw_money(w, annual, s->currency);
    }
    if (d->has_amount && s->amount_unit != NULL) { /* {"quantity": 100, "unit": "days"} */
        jw_key(w, "in_kind", 0);
        jw_raw(w, "{", 1);
        jw_key(w, "quantity", 1);
        jw_integer(w, d->amount);
        jw_str_field(w, "unit", s->amount_unit);
        jw_raw(w, "}", 1);
    }
    if (d->status == DECISION_UNDETERMINED) {
        jw_key(w, "missing", 0);
        jw_lines(w, missing ? missing : "");
    }
    if (d->excluded_by != NULL)
        jw_str_field(w, "excluded_by", d->excluded_by);
    if (s->optional)
        jw_raw(w, ",\"optional\":true", 16);
}

/* Appends one result as a JSON object; *first tracks the separating commas. */
int decision_append_json(struct buf *out, const struct person *p, const struct scheme *s,
                         const struct decision *d, const char *reasons, const char *human,
                         const char *missing, int *first, struct error *err)
{
    size_t start = out->len;
    struct json_out w = {out, err, SP_OK};
    jw_lit(&w, *first ? "\n  " : ",\n  ");
    jw_raw(&w, "{", 1);
    jw_key(&w, "person", 1);
    jw_string(&w, p->id, strlen(p->id));
    jw_str_field(&w, "scheme", s->id);
    jw_str_field(&w, "country", s->country);
    jw_str_field(&w, "branch", s->branch);
    jw_str_field(&w, "kind", scheme_kind_name(s->kind));
    jw_key(&w, "eligible", 0);
    jw_lit(&w, d->status == DECISION_ELIGIBLE ? "true" : "false");
    /* a benefit in kind has no money amount: its quantity is under in_kind */
    jw_key(&w, "amount", 0);
    if (d->has_amount && s->amount_unit == NULL)
        jw_money(&w, d->amount, s->currency);
    else
        jw_raw(&w, "null", 4);
    jw_str_field(&w, "currency", s->currency);
    jw_key(&w, "per", 0);
    if (s->per == PER_NONE)
        jw_raw(&w, "null", 4);
    else
        jw_string(&w, scheme_per_name(s->per), strlen(scheme_per_name(s->per)));
    jw_str_field(&w, "status", decision_status_name(d->status));
    jw_marks(&w, s, d, missing);
    if (s->has_contribution) {
        jw_key(&w, "contribution", 0);
        jw_contribution(&w, s, d);
    }
    jw_key(&w, "explanation", 0);
    jw_lines(&w, reasons);
    if (human != NULL) {
        jw_key(&w, "reasons", 0);
        jw_reasons(&w, human);
    }
    jw_raw(&w, "}", 1);
    if (w.rc != SP_OK) {
        out->len = start; /* the result whole or not at all */
        if (out->data != NULL)
            out->data[start] = '\0';
        return w.rc;
    }
    *first = 0;
    return SP_OK;
}

/* Bytes of a CSV row's fields before the explanation: ids, words, two amounts, and commas. */
#define CSV_ROW_MAX                                                                                \
    (PERSON_ID_SIZE + SCHEME_ID_SIZE + 3 + 32 + 8 + 2 * MONEY_TEXT_MAX + CURRENCY_CODE_SIZE + 16 + \
     16)

/* Appends text as one CSV field: quoted, with quotes doubled, when it holds , " or a line end. */
static int csv_field(struct buf *out, const char *text, size_t n, struct error *err)
{
    int quote = 0;
    for (size_t i = 0; i < n; i++)
        quote |= text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r';
    if (!quote)
        return buf_append(out, text, n, err);
    int rc = buf_puts(out, "\"", err);
    for (size_t i = 0; rc == SP_OK && i < n; i++) {
        rc = buf_append(out, text + i, 1, err);
        if (rc == SP_OK && text[i] == '"')
            rc = buf_puts(out, "\"", err); /* a quote is doubled */
    }
    return rc == SP_OK ? buf_puts(out, "\"", err) : rc;
}

int decision_append_csv_header(struct buf *out, struct error *err)
{
    return buf_puts(out,
                    "person,scheme,country,status,eligible,amount,currency,per,contribution,"
                    "explanation\n",
                    err);
}

int decision_append_csv(struct buf *out, const struct person *p, const struct scheme *s,
                        const struct decision *d, const char *reasons, struct error *err)
{
    size_t start = out->len;
    char amount[MONEY_TEXT_MAX + 16] = "", total[MONEY_TEXT_MAX] = "";
    if (d->has_amount && s->amount_unit != NULL) /* in kind: "100 days", never read as money */
        snprintf(amount, sizeof amount, "%lld %s", (long long)d->amount, s->amount_unit);
    else if (d->has_amount)
        money_text(d->amount, s->currency, amount, sizeof amount);
    if (d->has_contribution)
        money_text(d->total, s->currency, total, sizeof total);
    /* the fields gathered in one piece, without printf: a batch writes millions of rows */
    const char *fields[] = {p->id,
                            s->id,
                            s->country,
                            decision_status_name(d->status),
                            d->status == DECISION_ELIGIBLE ? "true" : "false",
                            amount,
                            s->currency,
                            s->per == PER_NONE ? "" : scheme_per_name(s->per),
                            total};
    char row[CSV_ROW_MAX];
    size_t used = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        size_t n = strlen(fields[i]);
        assert(used + n + 1 <= sizeof row); /* every field is bounded (see CSV_ROW_MAX) */
        memcpy(row + used, fields[i], n);
        used += n;
        row[used++] = ',';
    }
    if (reasons[0] == '\0') { /* no explanation: the row in one piece */
        assert(used < sizeof row);
        row[used++] = '\n';
        return buf_append(out, row, used, err);
    }
    int rc = buf_append(out, row, used, err);
    /* the explanation: its lines joined with "; " */
    struct buf joined;
    buf_init(&joined, out->max);
    for (const char *line = reasons; rc == SP_OK && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (joined.len > 0)
            rc = buf_puts(&joined, "; ", err);
        if (rc == SP_OK)
            rc = buf_append(&joined, line, n, err);
        line += n + (end != NULL);
    }
    if (rc == SP_OK)
        rc = csv_field(out, joined.len ? joined.data : "", joined.len, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "\n", err);
    buf_release(&joined);
    if (rc != SP_OK)
        out->len = start; /* the row whole or not at all */
    return rc;
}

/* The status column: the status, and what marks it (missing facts, excluded, optional). */
static int status_text(struct buf *out, const struct scheme *s, const struct decision *d,
                       const char *missing, struct error *err)
{
    int rc = buf_puts(out, decision_status_name(d->status), err);
    if (rc == SP_OK && d->status == DECISION_UNDETERMINED && missing != NULL && *missing) {
        rc = buf_puts(out, " (missing: ", err);
        for (const char *line = missing; rc == SP_OK && *line;) {
            const char *end = strchr(line, '\n');
            size_t n = end ? (size_t)(end - line) : strlen(line);
            rc = buf_printf(out, err, "%s%.*s", line == missing ? "" : ", ", (int)n, line);
            line += n + (end != NULL);
        }
        if (rc == SP_OK)
            rc = buf_puts(out, ")", err);
    }
    if (rc == SP_OK && d->excluded_by != NULL)
        rc = buf_printf(out, err, " (excluded by %s: not payable)", d->excluded_by);
    if (rc == SP_OK && s->optional && d->status == DECISION_ELIGIBLE)
        rc = buf_puts(out, " (optional: not owed)", err);
    return rc == SP_OK ? buf_puts(out, "\n", err) : rc;
}

int decision_append_text(struct buf *out, const struct person *p, const struct scheme *s,
                         const struct decision *d, const char *reasons, const char *missing,
                         int with_reasons, struct error *err)
{
    char amount[MONEY_TEXT_MAX + 8] = "-", contribution[MONEY_TEXT_MAX + 8] = "-";
    char text[MONEY_TEXT_MAX];
    if (d->has_amount) {
        scheme_amount_text(s, d->amount, text, sizeof text);
        snprintf(amount, sizeof amount, "%s %s", text, scheme_amount_unit(s));
    }
    if (d->has_contribution) {
        money_text(d->total, s->currency, text, sizeof text);
        snprintf(contribution, sizeof contribution, "%s %s", text, s->currency);
    }
    int rc = buf_printf(out, err, "%-12s %-40s %-8s %-18s %-9s %-18s ", p->id, s->id,
                        d->status == DECISION_ELIGIBLE ? "yes" : "no", amount,
                        s->per == PER_NONE ? "-" : scheme_per_name(s->per), contribution);
    if (rc == SP_OK)
        rc = status_text(out, s, d, missing, err);
    if (!with_reasons)
        return rc;
    for (const char *line = reasons; rc == SP_OK && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        rc = buf_printf(out, err, "    %.*s\n", (int)n, line);
        line += n + (end != NULL);
    }
    return rc;
}

int decision_append_text_header(struct buf *out, struct error *err)
{
    return buf_printf(out, err, "%-12s %-40s %-8s %-18s %-9s %-18s %s\n", "PERSON", "SCHEME",
                      "ELIGIBLE", "AMOUNT", "PER", "CONTRIBUTION", "STATUS");
}

int decision_is_contribution(const struct scheme *s)
{
    return s->has_contribution;
}

int decision_append_contributions_heading(struct buf *out, const struct person *p,
                                          struct error *err)
{
    return buf_printf(out, err, "%-12s contributions:\n", p->id);
}

/* 1 if decision d of scheme s has a contribution counted in the dues (eligible, with a wage). */
static int has_due(const struct scheme *s, const struct decision *d)
{
    return s->has_contribution && d->status == DECISION_ELIGIBLE && d->has_contribution;
}

/* 1 if schemes a and b add up together: the same currency and period. */
static int same_dues(const struct scheme *a, const struct scheme *b)
{
    return strcmp(a->currency, b->currency) == 0 && a->per == b->per;
}

int decision_append_dues(struct buf *out, const struct person *p,
                         const struct scheme *const *schemes,
                         const struct decision *const *decisions, int n, struct error *err)
{
    int rc = SP_OK;
    for (int k = 0; k < n && rc == SP_OK; k++) {
        if (!has_due(schemes[k], decisions[k]))
            continue;
        int first = 1; /* the first of its currency and period: the one that sums them */
        for (int j = 0; j < k && first; j++)
            first = !(has_due(schemes[j], decisions[j]) && same_dues(schemes[j], schemes[k]));
        if (!first)
            continue;
        int64_t sums[2] = {0, 0}; /* owed, optional */
        int overflow = 0;
        for (int j = k; j < n; j++)
            if (has_due(schemes[j], decisions[j]) && same_dues(schemes[j], schemes[k]))
                overflow |= __builtin_add_overflow(sums[schemes[j]->optional], decisions[j]->total,
                                                   &sums[schemes[j]->optional]);
        const char *currency = schemes[k]->currency;
        const char *per = schemes[k]->per == PER_NONE ? "once" : scheme_per_name(schemes[k]->per);
        if (overflow) {
            rc = buf_printf(out, err, "%-12s contributions in %s: too large to add up\n", p->id,
                            currency);
            continue;
        }
        char owed[MONEY_TEXT_MAX], optional[MONEY_TEXT_MAX];
        money_text(sums[0], currency, owed, sizeof owed);
        money_text(sums[1], currency, optional, sizeof optional);
        rc = buf_printf(out, err, "%-12s contributions owed: %s %s per %s", p->id, owed, currency,
                        per);
        if (rc == SP_OK && sums[1] > 0)
            rc = buf_printf(out, err, " (optional, not owed: %s %s per %s)", optional, currency,
                            per);
        if (rc == SP_OK)
            rc = buf_puts(out, "\n", err);
    }
    return rc;
}

#define REASONS_MAX (1u << 20) /* bytes of one result's explanation */

/* One result's texts: the technical trace, the reasons for people, the missing facts. */
struct result_texts {
    struct buf trace;
    struct buf human;
    struct buf missing;
};

/* Explains the decision of row scheme k as view asks, and appends its result to out. */
static int append_result(struct buf *out, const struct person *p, const struct person_history *h,
                         const struct decision_row *row, int k, const struct decision_view *view,
                         struct result_texts *t, int *first, struct error *err)
{
    const struct decision *d = row->decisions[k];
    const struct scheme *s = row->schemes[k];
    buf_reset(&t->trace);
    buf_reset(&t->human);
    buf_reset(&t->missing);
    int rc = SP_OK;
    if (view->json || view->explain == DECISION_EXPLAIN_TRACE)
        rc = decide_explain(row->bound[k], row->scratch[k], p, h, d,
                            view->explain != DECISION_EXPLAIN_NONE, &t->trace, err);
    if (rc == SP_OK && (view->json || view->explain == DECISION_EXPLAIN_TEXT))
        rc = decide_reasons(row->bound[k], row->scratch[k], p, h, d, view->lang, &t->human, err);
    if (rc == SP_OK)
        rc = decide_missing(row->bound[k], row->scratch[k], p, h, d, &t->missing, err);
    if (rc != SP_OK)
        return rc;
    if (view->json)
        return decision_append_json(out, p, s, d, t->trace.data, t->human.data, t->missing.data,
                                    first, err);
    const char *shown = view->explain == DECISION_EXPLAIN_TEXT ? t->human.data : t->trace.data;
    return decision_append_text(out, p, s, d, shown, t->missing.data,
                                view->explain != DECISION_EXPLAIN_NONE, err);
}

int decision_append_person(struct buf *out, const struct person *p, const struct person_history *h,
                           const struct decision_row *row, const struct decision_view *view,
                           int *first, long *failed, struct error *err)
{
    struct result_texts t;
    buf_init(&t.trace, REASONS_MAX);
    buf_init(&t.human, REASONS_MAX);
    buf_init(&t.missing, REASONS_MAX);
    int rc = SP_OK, heading = 0;
    /* JSON keeps the row's order; the text shows benefits, then contributions */
    for (int pass = 0; pass < (view->json ? 1 : 2) && rc == SP_OK; pass++) {
        for (int k = 0; k < row->n && rc == SP_OK; k++) {
            const struct decision *d = row->decisions[k];
            if (d->status == DECISION_NOT_APPLICABLE || (row->shown && !row->shown[k]) ||
                (!view->json && decision_is_contribution(row->schemes[k]) != pass))
                continue;
            *failed += d->status == DECISION_FAILED;
            if (pass == 1 && heading++ == 0)
                rc = decision_append_contributions_heading(out, p, err);
            if (rc == SP_OK)
                rc = append_result(out, p, h, row, k, view, &t, first, err);
        }
    }
    if (rc == SP_OK && !view->json)
        rc = decision_append_dues(out, p, row->schemes,
                                  (const struct decision *const *)row->decisions, row->n, err);
    buf_release(&t.trace);
    buf_release(&t.human);
    buf_release(&t.missing);
    return rc;
}
