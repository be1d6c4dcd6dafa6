/* decision_format.c: decisions as JSON result objects, CSV rows or text table rows. */
#include "ops/decision_format.h"

#include <assert.h>
#include <jansson.h>
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

static json_t *money_json(int present, int64_t minor, const char *currency)
{
    if (!present)
        return json_null();
    char text[MONEY_TEXT_MAX];
    money_text(minor, currency, text, sizeof text);
    return json_string(text);
}

/*
 * The helpers below return NULL when out of memory: jansson's *_set_new and *_append_new take
 * a NULL value as a failure and return -1, and every such call is checked, so a result object
 * is either whole or not made at all.
 */

static json_t *contribution_json(const struct scheme *s, const struct decision *d)
{
    if (!d->has_contribution)
        return json_null();
    static const char *const names[] = {"employee", "employer", "state"};
    json_t *o = json_object();
    int failed = o == NULL;
    for (int k = 0; !failed && k < 3; k++) {
        int64_t part = (d->parts_given >> k) & 1 ? d->parts[k] : 0;
        failed = json_object_set_new(o, names[k], money_json(1, part, s->currency)) != 0;
    }
    if (!failed)
        failed = json_object_set_new(o, "total", money_json(1, d->total, s->currency)) != 0;
    if (failed) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *lines_json(const char *text)
{
    json_t *a = json_array();
    for (const char *line = text; a != NULL && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        if (json_array_append_new(a, json_stringn(line, n)) != 0) {
            json_decref(a);
            return NULL;
        }
        line += n + (end != NULL);
    }
    return a;
}

/* The human reasons (decide_reasons' lines) as [{"text", "passed"}], or NULL out of memory. */
static json_t *reasons_json(const char *text)
{
    static const struct {
        const char *mark;
        int passed; /* 1 true, 0 false, -1 null */
    } marks[] = {{DECIDE_MARK_PASSED " ", 1},
                 {DECIDE_MARK_FAILED " ", 0},
                 {DECIDE_MARK_UNKNOWN " ", -1},
                 {DECIDE_MARK_ERROR " ", -1}};
    json_t *a = json_array();
    for (const char *line = text; a != NULL && *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line), skip = 0;
        int passed = -1;
        for (size_t i = 0; i < sizeof marks / sizeof marks[0] && skip == 0; i++) {
            size_t m = strlen(marks[i].mark);
            if (n >= m && strncmp(line, marks[i].mark, m) == 0) {
                skip = m;
                passed = marks[i].passed;
            }
        }
        json_t *o = json_object();
        if (o == NULL || json_object_set_new(o, "text", json_stringn(line + skip, n - skip)) != 0 ||
            json_object_set_new(o, "passed", passed < 0 ? json_null() : json_boolean(passed)) !=
                0 ||
            json_array_append_new(a, o) != 0) {
            json_decref(a);
            return NULL;
        }
        line += n + (end != NULL);
    }
    return a;
}

/* {"quantity": 100, "unit": "days"}: the amount of a benefit in kind, or NULL out of memory. */
static json_t *in_kind_json(const struct scheme *s, const struct decision *d)
{
    json_t *o = json_object();
    if (o == NULL || json_object_set_new(o, "quantity", json_integer(d->amount)) != 0 ||
        json_object_set_new(o, "unit", json_string(s->amount_unit)) != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/*
 * The amount in a year (docs/schemes.md "Annual amounts"): present when a money amount recurs
 * (scheme_per_year > 0), else NULL through *skip. NULL without skip when out of memory.
 */
static json_t *annual_json(const struct scheme *s, const struct decision *d, int *skip)
{
    int per_year = scheme_per_year(s->per);
    int64_t annual;
    *skip = !d->has_amount || s->amount_unit != NULL || per_year == 0;
    if (*skip)
        return NULL;
    if (__builtin_mul_overflow(d->amount, (int64_t)per_year, &annual))
        return json_null(); /* too large to say: no figure rather than a wrong one */
    return money_json(1, annual, s->currency);
}

/*
 * Sets the keys a result has only in some cases: annual_amount, in_kind, missing,
 * excluded_by, optional.
 */
static int decision_json_marks(json_t *o, const struct scheme *s, const struct decision *d,
                               const char *missing)
{
    int failed = 0, skip = 0;
    json_t *annual = annual_json(s, d, &skip);
    if (!skip)
        failed = json_object_set_new(o, "annual_amount", annual) != 0;
    if (!failed && d->has_amount && s->amount_unit != NULL)
        failed = json_object_set_new(o, "in_kind", in_kind_json(s, d)) != 0;
    if (!failed && d->status == DECISION_UNDETERMINED)
        failed = json_object_set_new(o, "missing", lines_json(missing ? missing : "")) != 0;
    if (!failed && d->excluded_by != NULL)
        failed = json_object_set_new(o, "excluded_by", json_string(d->excluded_by)) != 0;
    if (!failed && s->optional)
        failed = json_object_set_new(o, "optional", json_true()) != 0;
    return failed;
}

/* The result object of one decision, or NULL when out of memory. */
static json_t *decision_json(const struct person *p, const struct scheme *s,
                             const struct decision *d, const char *reasons, const char *human,
                             const char *missing)
{
    json_t *o = json_object();
    if (o == NULL)
        return NULL;
    struct {
        const char *key;
        json_t *value;
    } fields[] = {
        {"person", json_string(p->id)},
        {"scheme", json_string(s->id)},
        {"country", json_string(s->country)},
        {"branch", json_string(s->branch)},
        {"kind", json_string(scheme_kind_name(s->kind))},
        {"eligible", json_boolean(d->status == DECISION_ELIGIBLE)},
        /* a benefit in kind has no money amount: its quantity is under in_kind */
        {"amount", money_json(d->has_amount && s->amount_unit == NULL, d->amount, s->currency)},
        {"currency", json_string(s->currency)},
        {"per", s->per == PER_NONE ? json_null() : json_string(scheme_per_name(s->per))},
        {"status", json_string(decision_status_name(d->status))},
    };
    int failed = 0;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        /* set_new takes the value even when it fails; after a failure the rest are dropped */
        if (failed)
            json_decref(fields[i].value);
        else
            failed = json_object_set_new(o, fields[i].key, fields[i].value) != 0;
    }
    if (!failed)
        failed = decision_json_marks(o, s, d, missing);
    if (!failed && s->has_contribution)
        failed = json_object_set_new(o, "contribution", contribution_json(s, d)) != 0;
    if (!failed)
        failed = json_object_set_new(o, "explanation", lines_json(reasons)) != 0;
    if (!failed && human != NULL)
        failed = json_object_set_new(o, "reasons", reasons_json(human)) != 0;
    if (failed) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* Appends one result as a JSON object; *first tracks the separating commas. */
int decision_append_json(struct buf *out, const struct person *p, const struct scheme *s,
                         const struct decision *d, const char *reasons, const char *human,
                         const char *missing, int *first, struct error *err)
{
    json_t *o = decision_json(p, s, d, reasons, human, missing);
    if (o == NULL)
        return error_nomem(err);
    char *text = json_dumps(o, JSON_PRESERVE_ORDER | JSON_COMPACT);
    json_decref(o);
    if (text == NULL)
        return error_nomem(err);
    int rc = buf_printf(out, err, "%s\n  %s", *first ? "" : ",", text);
    if (rc == SP_OK)
        *first = 0;
    free(text);
    return rc;
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
