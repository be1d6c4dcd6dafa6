/*
 * contributions.c: booking a file of contributions, reversing an entry, and one person's
 * ledger (contributions.h).
 *
 * An import runs in two stages. Stage 0 reads the whole file into compact rows (about 100
 * bytes each), checks every field, sorts the rows by person, scheme, month and employer (so a
 * duplicate sits next to its twin), then takes the persons a group at a time: reads them with
 * their life events and their ledger entries, decides each row's scheme for the month, and
 * compares it with what the ledger holds. Only when no row is refused does stage 1 book the
 * rows, CONTRIBUTIONS_BATCH at a time, each batch one transaction with its audit entry.
 */
#include "ops/contributions.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "ops/entitlements.h"
#include "ops/persons.h"
#include "ops/transaction.h"
#include "rules/decide.h"
#include "rules/param.h"
#include "rules/situation.h"

#define FIELD_MAX     256  /* bytes of one field */
#define GROUP_PERSONS 1024 /* persons decided together in stage 0 */

enum column {
    COL_PERSON,
    COL_SCHEME,
    COL_MONTH,
    COL_WAGE,
    COL_DECLARED_INCOME,
    COL_EMPLOYER,
    COL_PAID,
    COL_PAID_ON,
    COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "person", "scheme", "month", "wage", "declared_income", "employer", "paid", "paid_on"};

/* One row of the file, checked and then decided. */
struct row {
    int64_t serial;   /* the person */
    int64_t declared; /* the wage or income given, -1: none */
    int64_t paid;     /* -1: not said */
    int64_t wage;     /* the booked wage base (stage 0's decision) */
    int64_t parts[3];
    int32_t month;
    int32_t line; /* the file's row, the header being 1 */
    int32_t paid_on, due;
    int32_t employer; /* index into the import's employers, -1: none */
    int16_t scheme;   /* index into the library */
    uint8_t income;   /* 1: `declared` is a declared income, 0: a wage */
    uint8_t already;  /* 1: the ledger holds this row exactly */
};

struct import {
    struct store *store;
    const struct scheme_library *lib;
    const struct contributions_import *opt;
    struct contributions_summary *sum;
    struct buf *problems;
    struct error *err;
    int where[COL_COUNT]; /* the file's column of each, -1: absent */
    int n_columns;        /* the header's */
    char field[16][FIELD_MAX];
    int n_fields;
    int overlong; /* 1 if a field of the record was cut */
    int32_t line;
    int fatal;         /* a problem that stops the reading (a bad header) */
    int64_t conflicts; /* of the problems, months booked already with other amounts */
    struct row *rows;
    int64_t n_rows, cap_rows;
    char (*employers)[CONTRIBUTION_EMPLOYER_SIZE];
    int n_employers, cap_employers;
    int *slots; /* the employers' hash table: indexes into employers, -1 for free */
    int n_slots;
};

/* ---- problems ---- */

/* Records a refused row: its line in problems (the first CONTRIBUTIONS_PROBLEMS) and the
 * count. */
static void refuse(struct import *im, int32_t line, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void refuse(struct import *im, int32_t line, const char *column, const char *fmt, ...)
{
    if (im->sum->problems++ >= CONTRIBUTIONS_PROBLEMS)
        return;
    char what[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    struct error ignored = {0};
    if (column != NULL)
        buf_printf(im->problems, &ignored, "%s:%d: %s: %s\n", im->opt->path, (int)line, column,
                   what);
    else
        buf_printf(im->problems, &ignored, "%s:%d: %s\n", im->opt->path, (int)line, what);
}

/* ---- stage 0: reading and checking each row ---- */

static uint64_t name_hash(const char *name)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (const unsigned char *c = (const unsigned char *)name; *c; c++)
        h = (h ^ *c) * 1099511628211ULL;
    return h;
}

/* The index of an employer's name among the import's (added when new), through a hash table
 * twice their number; -1 for "", -2 when out of memory. */
static int employer_index(struct import *im, const char *name)
{
    if (name[0] == '\0')
        return -1;
    if (2 * (im->n_employers + 1) > im->n_slots) {
        int n_slots = im->n_slots ? im->n_slots * 2 : 64;
        int *slots = sp_malloc((size_t)n_slots * sizeof *slots);
        if (slots == NULL)
            return -2;
        for (int i = 0; i < n_slots; i++)
            slots[i] = -1;
        for (int k = 0; k < im->n_employers; k++) {
            uint64_t at = name_hash(im->employers[k]) & (uint64_t)(n_slots - 1);
            while (slots[at] >= 0)
                at = (at + 1) & (uint64_t)(n_slots - 1);
            slots[at] = k;
        }
        sp_free(im->slots);
        im->slots = slots;
        im->n_slots = n_slots;
    }
    uint64_t at = name_hash(name) & (uint64_t)(im->n_slots - 1);
    while (im->slots[at] >= 0) {
        if (strcmp(im->employers[im->slots[at]], name) == 0)
            return im->slots[at];
        at = (at + 1) & (uint64_t)(im->n_slots - 1);
    }
    if (im->n_employers == im->cap_employers) {
        int cap = im->cap_employers ? im->cap_employers * 2 : 16;
        void *grown = sp_reallocarray(im->employers, (size_t)cap, sizeof *im->employers);
        if (grown == NULL)
            return -2;
        im->employers = grown;
        im->cap_employers = cap;
    }
    text_copy(im->employers[im->n_employers], sizeof im->employers[0], name);
    im->slots[at] = im->n_employers;
    return im->n_employers++;
}

static int read_header(struct import *im)
{
    for (int c = 0; c < COL_COUNT; c++)
        im->where[c] = -1;
    for (int f = 0; f < im->n_fields; f++) {
        int c = 0;
        while (c < COL_COUNT && strcmp(im->field[f], column_names[c]) != 0)
            c++;
        if (c == COL_COUNT) {
            error_set(im->err, SP_BAD_INPUT,
                      "%s:1: column %d: unknown column \"%s\" (the columns are person, scheme, "
                      "month, wage or declared_income, and optionally employer, paid, paid_on)",
                      im->opt->path, f + 1, im->field[f]);
            return SP_BAD_INPUT;
        }
        if (im->where[c] >= 0) {
            error_set(im->err, SP_BAD_INPUT, "%s:1: column %d: \"%s\" is named twice",
                      im->opt->path, f + 1, im->field[f]);
            return SP_BAD_INPUT;
        }
        im->where[c] = f;
    }
    for (int c = COL_PERSON; c <= COL_MONTH; c++)
        if (im->where[c] < 0)
            return error_set(im->err, SP_BAD_INPUT, "%s:1: the header has no column \"%s\"",
                             im->opt->path, column_names[c]);
    im->n_columns = im->n_fields;
    return SP_OK;
}

static const char *field(const struct import *im, enum column c)
{
    return im->where[c] >= 0 && im->where[c] < im->n_fields ? im->field[im->where[c]] : "";
}

/* Parses a non-negative amount of column c into *out (-1 when the field is empty). */
static int amount(struct import *im, enum column c, const char *currency, int64_t *out)
{
    const char *text = field(im, c);
    *out = -1;
    if (text[0] == '\0')
        return SP_OK;
    struct money m;
    struct error e = {0};
    if (money_parse(text, currency, &m, &e) != SP_OK) {
        refuse(im, im->line, column_names[c], "%s", e.message);
        return SP_BAD_INPUT;
    }
    if (m.minor < 0) {
        refuse(im, im->line, column_names[c], "\"%s\" is negative: %s cannot be below zero", text,
               c == COL_PAID ? "what was paid" : "a wage or income");
        return SP_BAD_INPUT;
    }
    *out = m.minor;
    return SP_OK;
}

/* The day a row's month is decided on: its first day, or the scheme's first day when the
 * scheme began within the month. */
static int32_t decision_day(const struct scheme *s, int32_t month)
{
    int32_t first = month_first_day(month);
    if (s->valid_from != DATE_NONE && s->valid_from > first &&
        s->valid_from < month_first_day(month + 1))
        return s->valid_from;
    return first;
}

static void read_row(struct import *im)
{
    if (im->n_fields != im->n_columns) {
        refuse(im, im->line, NULL, "%d fields, but the header names %d", im->n_fields,
               im->n_columns);
        return;
    }
    if (im->overlong) {
        refuse(im, im->line, NULL, "a field is longer than %d bytes", FIELD_MAX - 1);
        return;
    }
    struct row r;
    memset(&r, 0, sizeof r);
    r.line = im->line;
    r.paid_on = DATE_NONE;
    r.due = DATE_NONE;
    char digits[WORKER_ID_SIZE];
    struct error e = {0};
    if (worker_id_parse(field(im, COL_PERSON), digits, &e) != SP_OK) {
        refuse(im, im->line, "person", "%s", e.message);
        return;
    }
    r.serial = worker_id_serial(digits);
    const char *scheme_id = field(im, COL_SCHEME);
    const struct scheme *s = scheme_library_find(im->lib, scheme_id);
    if (s == NULL) {
        refuse(im, im->line, "scheme", "no scheme \"%s\" in the library (spfloor schemes list)",
               scheme_id);
        return;
    }
    if (!s->has_contribution) {
        refuse(im, im->line, "scheme", "%s takes no contributions (it is a benefit)", s->id);
        return;
    }
    for (int k = 0; k < im->lib->n_schemes; k++)
        if (im->lib->schemes[k] == s)
            r.scheme = (int16_t)k;
    if (month_parse(field(im, COL_MONTH), &r.month, &e) != SP_OK) {
        refuse(im, im->line, "month", "%s", e.message);
        return;
    }
    char month[MONTH_TEXT_SIZE], day[DATE_TEXT_SIZE];
    month_format(r.month, month);
    if (s->valid_from != DATE_NONE && month_first_day(r.month + 1) <= s->valid_from) {
        date_format(s->valid_from, day);
        refuse(im, im->line, "month", "%s is before %s began (%s)", month, s->id, day);
        return;
    }
    if (s->valid_to != DATE_NONE && month_first_day(r.month) > s->valid_to) {
        date_format(s->valid_to, day);
        refuse(im, im->line, "month", "%s is after %s ended (%s)", month, s->id, day);
        return;
    }
    int64_t wage = -1, income = -1;
    if (amount(im, COL_WAGE, s->currency, &wage) != SP_OK ||
        amount(im, COL_DECLARED_INCOME, s->currency, &income) != SP_OK ||
        amount(im, COL_PAID, s->currency, &r.paid) != SP_OK)
        return;
    if (wage >= 0 && income >= 0) {
        refuse(im, im->line, "declared_income",
               "give a wage or a declared income, not both (an employee has a wage; a "
               "self-employed worker declares an income)");
        return;
    }
    r.declared = wage >= 0 ? wage : income;
    r.income = income >= 0;
    const char *paid_on = field(im, COL_PAID_ON);
    if (paid_on[0] != '\0' && date_parse(paid_on, &r.paid_on, &e) != SP_OK) {
        refuse(im, im->line, "paid_on", "%s", e.message);
        return;
    }
    r.employer = employer_index(im, field(im, COL_EMPLOYER));
    if (r.employer == -2) {
        im->fatal = error_nomem(im->err);
        return;
    }
    if (im->n_rows == im->cap_rows) {
        int64_t cap = im->cap_rows ? im->cap_rows * 2 : 4096;
        struct row *grown = sp_reallocarray(im->rows, (size_t)cap, sizeof *grown);
        if (grown == NULL) {
            im->fatal = error_nomem(im->err);
            return;
        }
        im->rows = grown;
        im->cap_rows = cap;
    }
    im->rows[im->n_rows++] = r;
}

static void on_field(void *data, size_t n, void *ctx)
{
    struct import *im = ctx;
    if (im->n_fields >= (int)(sizeof im->field / sizeof im->field[0])) {
        im->n_fields++;
        return;
    }
    if (n >= FIELD_MAX) {
        im->overlong = 1;
        n = FIELD_MAX - 1;
    }
    const char *text = data != NULL ? data : "";
    while (n > 0 && (*text == ' ' || *text == '\t')) {
        text++;
        n--;
    }
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    char *f = im->field[im->n_fields++];
    memcpy(f, text, n);
    f[n] = '\0';
}

static void on_record(int end, void *ctx)
{
    (void)end;
    struct import *im = ctx;
    im->line++;
    if (im->fatal == SP_OK) {
        if (im->line == 1)
            im->fatal = read_header(im);
        else if (!(im->n_fields == 1 && im->field[0][0] == '\0')) /* a blank line */
            read_row(im);
    }
    if (im->line > 1 && im->opt->progress != NULL && im->line % 100000 == 0)
        im->opt->progress(im->opt->progress_ctx, 0, im->line - 1);
    im->n_fields = 0;
    im->overlong = 0;
}

static int read_file(struct import *im)
{
    FILE *f = fopen(im->opt->path, "rb");
    if (f == NULL)
        return error_set(im->err, SP_IO, "%s: cannot open: %s", im->opt->path, strerror(errno));
    struct csv_parser parser;
    if (csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        fclose(f);
        return error_nomem(im->err);
    }
    char chunk[65536];
    size_t got;
    int rc = SP_OK;
    while (rc == SP_OK && im->fatal == SP_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        if (csv_parse(&parser, chunk, got, on_field, on_record, im) != got)
            rc = error_set(im->err, SP_BAD_INPUT, "%s:%d: %s", im->opt->path, (int)im->line + 1,
                           csv_strerror(csv_error(&parser)));
    if (rc == SP_OK && ferror(f))
        rc = error_set(im->err, SP_IO, "%s: cannot read: %s", im->opt->path, strerror(errno));
    if (rc == SP_OK && im->fatal == SP_OK && csv_fini(&parser, on_field, on_record, im) != 0)
        rc = error_set(im->err, SP_BAD_INPUT, "%s:%d: %s", im->opt->path, (int)im->line + 1,
                       csv_strerror(csv_error(&parser)));
    csv_free(&parser);
    fclose(f);
    if (rc == SP_OK)
        rc = im->fatal;
    if (rc == SP_OK && im->line == 0)
        rc = error_set(im->err, SP_BAD_INPUT, "%s: the file is empty (it needs a header row)",
                       im->opt->path);
    im->sum->rows = im->line > 1 ? im->line - 1 : 0;
    return rc;
}

/* ---- stage 0: deciding each row ---- */

static const char *employer_name(const struct import *im, int32_t k)
{
    return k >= 0 ? im->employers[k] : "";
}

/* By person, scheme, month, employer (interned: one index per name), then file order. */
static int compare_rows(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->serial != y->serial)
        return x->serial < y->serial ? -1 : 1;
    if (x->scheme != y->scheme)
        return x->scheme < y->scheme ? -1 : 1;
    if (x->month != y->month)
        return x->month < y->month ? -1 : 1;
    if (x->employer != y->employer)
        return x->employer < y->employer ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

/* The rules bound per (scheme, month), made as rows need them. */
struct binding {
    int16_t scheme;
    int32_t month;
    struct decide_bound *bound;
};

struct deciders {
    struct binding *b;
    int n, cap;
    struct decide_scratch **scratch; /* per scheme of the library, made when needed */
};

static int decider(struct deciders *d, const struct scheme_library *lib, int16_t scheme,
                   int32_t month, struct decide_bound **bound, struct decide_scratch **scratch,
                   struct error *err)
{
    for (int i = d->n - 1; i >= 0; i--)
        if (d->b[i].scheme == scheme && d->b[i].month == month) {
            *bound = d->b[i].bound;
            *scratch = d->scratch[scheme];
            return SP_OK;
        }
    const struct scheme *s = lib->schemes[scheme];
    if (d->scratch[scheme] == NULL && decide_scratch_new(s, &d->scratch[scheme], err) != SP_OK)
        return SP_IO;
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 64;
        struct binding *grown = sp_reallocarray(d->b, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        d->b = grown;
        d->cap = cap;
    }
    struct binding *nb = &d->b[d->n];
    int rc = decide_bind(s, decision_day(s, month), &nb->bound, err);
    if (rc != SP_OK)
        return rc;
    nb->scheme = scheme;
    nb->month = month;
    d->n++;
    *bound = nb->bound;
    *scratch = d->scratch[scheme];
    return SP_OK;
}

static void deciders_release(struct deciders *d, int n_schemes)
{
    for (int i = 0; i < d->n; i++)
        decide_bound_free(d->b[i].bound);
    sp_free(d->b);
    for (int k = 0; d->scratch != NULL && k < n_schemes; k++)
        decide_scratch_free(d->scratch[k]);
    sp_free(d->scratch);
}

/* The day a row's contribution was due, from the scheme's `due_day` in force in the month. */
static int32_t due_day_of(const struct scheme_library *lib, const struct scheme *s, int32_t month)
{
    if (s->due_day == NULL)
        return DATE_NONE;
    const struct param *p = param_set_find(lib->params, s->due_day);
    const struct param_value *v = p != NULL ? param_value_at(p, month_first_day(month)) : NULL;
    if (v == NULL || !v->is_set)
        return DATE_NONE;
    return ledger_due_date(month, (int)v->number);
}

/* Joins the lines of text into one, "; " between them. */
static void one_line(struct buf *text)
{
    for (size_t i = 0; i < text->len; i++)
        if (text->data[i] == '\n')
            text->data[i] = i + 1 < text->len ? ';' : '\0';
    if (text->len > 0 && text->data[text->len - 1] == '\0')
        text->len--;
}

/* Decides row r of person p (with history h): its wage base and parts, or a refusal. */
static int decide_row(struct import *im, struct deciders *d, struct row *r, const struct person *p,
                      const struct person_history *h)
{
    const struct scheme *s = im->lib->schemes[r->scheme];
    struct decide_bound *bound = NULL;
    struct decide_scratch *scratch = NULL;
    int rc = decider(d, im->lib, r->scheme, r->month, &bound, &scratch, im->err);
    if (rc != SP_OK)
        return rc;
    struct person q = *p;
    if (r->declared >= 0) {
        struct money m = {r->declared, ""};
        text_copy(m.currency, sizeof m.currency, s->currency);
        if (r->income)
            q.declared_income = m;
        else
            q.monthly_wage = m;
    }
    struct decision dn;
    rc = decide_one(bound, scratch, &q, h, &dn, im->err);
    if (rc != SP_OK)
        return rc;
    char month[MONTH_TEXT_SIZE];
    month_format(r->month, month);
    struct buf why;
    buf_init(&why, 4096);
    if (dn.status == DECISION_NOT_APPLICABLE) {
        refuse(im, r->line, "scheme", "%s is a scheme of %s; person %s is of %s", s->id, s->country,
               p->id, p->country[0] ? p->country : "no country");
    } else if (dn.status == DECISION_UNDETERMINED) {
        rc = decide_missing(bound, scratch, &q, h, &dn, &why, im->err);
        one_line(&why);
        refuse(im, r->line, "person",
               "cannot tell whether %s is covered by %s in %s: ask for %s and record it", p->id,
               s->id, month, why.len ? why.data : "the missing facts");
    } else if (dn.status == DECISION_PARAMETER_NOT_SET || dn.status == DECISION_FAILED) {
        rc = decide_explain(bound, scratch, &q, h, &dn, 0, &why, im->err);
        one_line(&why);
        refuse(im, r->line, NULL, "cannot compute %s's contribution to %s for %s: %s", p->id, s->id,
               month, why.len ? why.data : decision_status_name(dn.status));
    } else if (dn.status != DECISION_ELIGIBLE) {
        rc = decide_explain(bound, scratch, &q, h, &dn, 0, &why, im->err);
        one_line(&why);
        refuse(im, r->line, "person", "%s is not covered by %s in %s (%s): %s", p->id, s->id, month,
               decision_status_name(dn.status), why.len ? why.data : "");
    } else if (!dn.has_contribution) {
        refuse(im, r->line, r->income ? "declared_income" : "wage",
               "%s needs the %s to compute the contribution", s->id,
               r->income ? "declared income" : "wage");
    } else {
        r->wage = dn.wage;
        for (int i = 0; i < 3; i++)
            r->parts[i] = dn.parts[i];
        r->due = due_day_of(im->lib, s, r->month);
        int64_t total = dn.total;
        if (r->paid >= 0 && r->paid != total) {
            im->sum->differences++;
            if (!im->opt->accept_differences) {
                struct money paid = {r->paid, ""}, owed = {total, ""};
                text_copy(paid.currency, sizeof paid.currency, s->currency);
                text_copy(owed.currency, sizeof owed.currency, s->currency);
                char a[32], b[32];
                money_format(paid, a, sizeof a);
                money_format(owed, b, sizeof b);
                refuse(im, r->line, "paid",
                       "%s %s paid for %s in %s, but the contribution comes to %s %s (book it "
                       "anyway, keeping the difference, with --accept-differences)",
                       a, s->currency, p->id, month, b, s->currency);
            }
        }
    }
    buf_release(&why);
    return rc;
}

/* A person's entries as the ledger holds them, gathered for a group. */
struct held {
    struct contribution_entry *e;
    int n, cap;
    struct error *err;
};

static int hold_entry(void *ctx, const struct contribution_entry *e)
{
    struct held *h = ctx;
    if (h->n == h->cap) {
        int cap = h->cap ? h->cap * 2 : 256;
        struct contribution_entry *grown = sp_reallocarray(h->e, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(h->err);
        h->e = grown;
        h->cap = cap;
    }
    h->e[h->n++] = *e;
    return 0;
}

/* Fills e with what row r books (not its id, actor, time). */
static void entry_of(const struct import *im, const struct row *r, struct contribution_entry *e)
{
    const struct scheme *s = im->lib->schemes[r->scheme];
    memset(e, 0, sizeof *e);
    worker_id_format(r->serial, e->c.person, NULL);
    text_copy(e->c.scheme, sizeof e->c.scheme, s->id);
    e->c.month = r->month;
    e->c.wage.minor = r->wage;
    text_copy(e->c.wage.currency, sizeof e->c.wage.currency, s->currency);
    struct money *parts[3] = {&e->c.employee, &e->c.employer, &e->c.state};
    for (int i = 0; i < 3; i++) {
        parts[i]->minor = r->parts[i];
        if (s->parts[i].source != NULL)
            text_copy(parts[i]->currency, sizeof parts[i]->currency, s->currency);
    }
    text_copy(e->employer, sizeof e->employer, employer_name(im, r->employer));
    e->declared = r->declared;
    e->paid = r->paid;
    e->paid_on = r->paid_on;
    e->due = r->due;
    e->voluntary = s->optional != 0;
}

/* Compares the rows [from, to) of one person with the entries the ledger holds for them. */
static void against_ledger(struct import *im, struct row *rows, int64_t n,
                           const struct contribution_entry *held, int n_held, const uint8_t *stands)
{
    for (int64_t i = 0; i < n; i++) {
        struct contribution_entry mine;
        entry_of(im, &rows[i], &mine);
        for (int k = 0; k < n_held; k++) {
            if (!stands[k] || !ledger_same_slot(&mine, &held[k]))
                continue;
            if (ledger_same_booking(&mine, &held[k])) {
                rows[i].already = 1;
                im->sum->already++;
            } else {
                char month[MONTH_TEXT_SIZE];
                month_format(mine.c.month, month);
                refuse(im, rows[i].line, NULL,
                       "%s of %s in %s is booked already as entry %lld, with other amounts: "
                       "reverse that entry first (spfloor contributions reverse %s %lld "
                       "--reason ...)",
                       month, mine.c.person, mine.c.scheme, (long long)held[k].id, mine.c.person,
                       (long long)held[k].id);
                im->conflicts++;
            }
            break;
        }
    }
}

/* Keeps a person read for the group in the situation's next place. */
static int keep_person(void *ctx, const struct person *p)
{
    struct situation *s = ctx;
    s->persons[s->n_persons++] = *p;
    return 0;
}

/* Decides the rows of the persons rows[from..to) (whole persons), reading them, their events
 * and their ledger entries. */
static int decide_group(struct import *im, struct deciders *d, const struct store_census *census,
                        int64_t from, int64_t to)
{
    struct situation s;
    situation_init(&s);
    int n_persons = 0;
    for (int64_t i = from; i < to; i++)
        n_persons += i == from || im->rows[i].serial != im->rows[i - 1].serial;
    s.persons = sp_calloc((size_t)n_persons, sizeof *s.persons);
    const char **ids = sp_calloc((size_t)n_persons, sizeof *ids);
    char(*asked)[WORKER_ID_SIZE] = sp_calloc((size_t)n_persons, sizeof *asked);
    int64_t *first = sp_calloc((size_t)n_persons + 1, sizeof *first);
    int rc = s.persons && ids && asked && first ? SP_OK : error_nomem(im->err);
    int k = 0;
    for (int64_t i = from; i < to && rc == SP_OK; i++) {
        if (i > from && im->rows[i].serial == im->rows[i - 1].serial)
            continue;
        worker_id_format(im->rows[i].serial, asked[k], NULL);
        ids[k] = asked[k];
        first[k++] = i;
    }
    first[k] = to;
    /* the persons of the group in one query, by worker ID as the rows are */
    if (rc == SP_OK)
        rc = store_persons_of_many(im->store, ids, k, keep_person, &s, im->err);
    for (int g = 0, p = 0; g < k && rc == SP_OK; g++) {
        if (p < s.n_persons && strcmp(s.persons[p].id, asked[g]) == 0) {
            ids[p] = s.persons[p].id;
            p++;
        } else {
            refuse(im, im->rows[first[g]].line, "person", "no person with ID %s is registered",
                   asked[g]);
        }
    }
    struct held held = {NULL, 0, 0, im->err};
    if (rc == SP_OK)
        rc = entitlements_registry_histories(im->store, census, &s, im->err);
    if (rc == SP_OK)
        rc = situation_index(&s, im->err);
    if (rc == SP_OK)
        rc = store_contributions_of_many(im->store, census, ids, s.n_persons, hold_entry, &held,
                                         im->err);
    uint8_t *stands = held.n > 0 ? sp_malloc((size_t)held.n) : NULL;
    if (rc == SP_OK && held.n > 0)
        rc = stands != NULL ? ledger_standing(held.e, held.n, stands, im->err)
                            : error_nomem(im->err);
    /* each group of rows is one person: k walks the persons read, h the entries held */
    int p = 0, h = 0;
    for (int g = 0; g < k && rc == SP_OK; g++) {
        char id[WORKER_ID_SIZE];
        worker_id_format(im->rows[first[g]].serial, id, NULL);
        if (p >= s.n_persons || strcmp(s.persons[p].id, id) != 0)
            continue; /* not registered: refused above */
        for (int64_t i = first[g]; i < first[g + 1] && rc == SP_OK; i++)
            rc = decide_row(im, d, &im->rows[i], &s.persons[p], &s.histories[p]);
        while (h < held.n && strcmp(held.e[h].c.person, id) < 0)
            h++;
        int h_end = h;
        while (h_end < held.n && strcmp(held.e[h_end].c.person, id) == 0)
            h_end++;
        if (rc == SP_OK && h_end > h)
            against_ledger(im, &im->rows[first[g]], first[g + 1] - first[g], &held.e[h], h_end - h,
                           &stands[h]);
        h = h_end;
        p++;
    }
    sp_free(stands);
    sp_free(held.e);
    sp_free(first);
    sp_free(asked);
    sp_free(ids);
    situation_release(&s);
    return rc;
}

/* ---- stage 1: booking ---- */

struct booking {
    struct contribution_entry *entries;
    int n;
};

static int book(struct store *store, void *arg, struct error *err)
{
    struct booking *b = arg;
    return store_contributions_book(store, b->entries, b->n, err);
}

static int book_rows(struct import *im)
{
    int batch = im->opt->batch > 0 ? im->opt->batch : CONTRIBUTIONS_BATCH;
    struct contribution_entry *entries = sp_calloc((size_t)batch, sizeof *entries);
    if (entries == NULL)
        return error_nomem(im->err);
    char when[DATE_TIME_UTC_SIZE], reason[PERSON_REASON_SIZE];
    snprintf(reason, sizeof reason, "import %s", im->opt->path);
    int rc = SP_OK;
    int64_t i = 0;
    while (i < im->n_rows && rc == SP_OK) {
        struct booking b = {entries, 0};
        date_time_utc_now(when);
        for (; i < im->n_rows && b.n < batch; i++) {
            if (im->rows[i].already)
                continue;
            struct contribution_entry *e = &entries[b.n++];
            entry_of(im, &im->rows[i], e);
            text_copy(e->reason, sizeof e->reason, reason);
            text_copy(e->actor, sizeof e->actor, im->opt->actor);
            text_copy(e->recorded_at, sizeof e->recorded_at, when);
        }
        if (b.n == 0)
            break;
        rc = ops_transaction(im->store, book, &b, NULL, NULL, im->err);
        if (rc == SP_OK) {
            im->sum->booked += b.n;
            im->sum->batches++;
            if (im->opt->progress != NULL)
                im->opt->progress(im->opt->progress_ctx, 1, im->sum->booked);
        }
    }
    sp_free(entries);
    return rc;
}

int contributions_import_csv(struct store *store, const struct scheme_library *lib,
                             const struct contributions_import *opt,
                             struct contributions_summary *sum, struct buf *problems,
                             struct error *err)
{
    memset(sum, 0, sizeof *sum);
    if (opt->actor == NULL || opt->actor[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "booking contributions needs who books them");
    struct import *im = sp_calloc(1, sizeof *im);
    if (im == NULL)
        return error_nomem(err);
    im->store = store;
    im->lib = lib;
    im->opt = opt;
    im->sum = sum;
    im->problems = problems;
    im->err = err;
    int rc = read_file(im);
    if (rc == SP_OK && im->n_rows > 1)
        qsort(im->rows, (size_t)im->n_rows, sizeof *im->rows, compare_rows);
    for (int64_t i = 1; rc == SP_OK && i < im->n_rows; i++) {
        const struct row *a = &im->rows[i - 1], *b = &im->rows[i];
        if (a->serial == b->serial && a->scheme == b->scheme && a->month == b->month &&
            a->employer == b->employer) {
            char month[MONTH_TEXT_SIZE];
            month_format(b->month, month);
            refuse(im, b->line, NULL, "the same person, scheme, month%s as row %d (%s)",
                   b->employer >= 0 ? " and employer" : "", (int)a->line, month);
        }
    }
    struct store_census *census = NULL;
    struct deciders d = {0};
    if (rc == SP_OK && im->n_rows > 0 && sum->problems == 0) {
        rc = store_census_take(store, &census, err);
        d.scratch = sp_calloc((size_t)lib->n_schemes, sizeof *d.scratch);
        if (rc == SP_OK && d.scratch == NULL)
            rc = error_nomem(err);
        int64_t from = 0;
        while (rc == SP_OK && from < im->n_rows) {
            int64_t to = from;
            int persons = 0;
            while (to < im->n_rows &&
                   (persons < GROUP_PERSONS || im->rows[to].serial == im->rows[to - 1].serial)) {
                persons += to == from || im->rows[to].serial != im->rows[to - 1].serial;
                to++;
            }
            rc = decide_group(im, &d, census, from, to);
            from = to;
            if (opt->progress != NULL)
                opt->progress(opt->progress_ctx, 0, from);
        }
    }
    deciders_release(&d, lib->n_schemes);
    store_census_free(census);
    if (rc == SP_OK && sum->problems > 0) {
        int conflicts_only = im->conflicts == sum->problems;
        rc = error_set(err, conflicts_only ? SP_CONFLICT : SP_BAD_INPUT,
                       "%s: %lld row(s) refused; nothing was booked", opt->path,
                       (long long)sum->problems);
    }
    if (rc == SP_OK)
        rc = book_rows(im);
    sp_free(im->rows);
    sp_free(im->employers);
    sp_free(im->slots);
    sp_free(im);
    return rc;
}

/* ---- reversing an entry ---- */

struct reversing {
    const char *person;
    int64_t entry;
    const char *reason, *actor;
    struct contribution_entry *found;
    struct contribution_entry *all;
    int n, cap;
    int64_t *reversal;
    struct error *err;
};

static int keep_entry(void *ctx, const struct contribution_entry *e)
{
    struct reversing *r = ctx;
    if (r->n == r->cap) {
        int cap = r->cap ? r->cap * 2 : 64;
        struct contribution_entry *grown = sp_reallocarray(r->all, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(r->err);
        r->all = grown;
        r->cap = cap;
    }
    r->all[r->n++] = *e;
    return 0;
}

static int reverse(struct store *store, void *arg, struct error *err)
{
    struct reversing *r = arg;
    r->n = 0;
    int rc = store_contributions_of(store, r->person, keep_entry, r, err);
    if (rc != SP_OK)
        return rc;
    const struct contribution_entry *target = NULL;
    for (int i = 0; i < r->n; i++) {
        if (r->all[i].id == r->entry)
            target = &r->all[i];
        if (r->all[i].reverses == r->entry)
            return error_set(err, SP_CONFLICT, "entry %lld of %s was reversed already (by %lld)",
                             (long long)r->entry, r->person, (long long)r->all[i].id);
    }
    if (target == NULL)
        return error_set(err, SP_BAD_INPUT, "%s has no ledger entry %lld", r->person,
                         (long long)r->entry);
    if (target->reverses != 0)
        return error_set(err, SP_CONFLICT,
                         "entry %lld reverses entry %lld: it cannot be reversed itself",
                         (long long)r->entry, (long long)target->reverses);
    struct contribution_entry out;
    ledger_reversal(target, r->reason, &out);
    text_copy(out.actor, sizeof out.actor, r->actor);
    date_time_utc_now(out.recorded_at);
    rc = store_contributions_book(store, &out, 1, err);
    if (rc == SP_OK)
        *r->reversal = out.id;
    return rc;
}

int contributions_reverse(struct store *store, const char *person, int64_t entry,
                          const char *reason, const char *actor, int64_t *reversal,
                          struct error *err)
{
    *reversal = 0;
    if (reason == NULL || reason[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "a reversal needs its reason (--reason)");
    struct person p;
    int rc = persons_get(store, person, &p, err);
    if (rc != SP_OK)
        return rc;
    struct reversing r = {p.id, entry,    reason, actor != NULL ? actor : "", NULL, NULL, 0,
                          0,    reversal, err};
    rc = ops_transaction(store, reverse, &r, NULL, NULL, err);
    sp_free(r.all);
    return rc;
}

/* ---- one person's ledger ---- */

static int history_entry(void *ctx, const struct contribution_entry *e)
{
    struct reversing *r = ctx;
    return keep_entry(r, e);
}

int contributions_history(struct store *store, const char *id, struct contributions_history *h,
                          struct error *err)
{
    memset(h, 0, sizeof *h);
    struct person p;
    int rc = persons_get(store, id, &p, err);
    if (rc != SP_OK)
        return rc;
    struct reversing r = {0};
    r.err = err;
    rc = store_contributions_of(store, p.id, history_entry, &r, err);
    h->entries = r.all;
    h->n = r.n;
    if (rc == SP_OK && h->n > 0) {
        h->stands = sp_malloc((size_t)h->n);
        rc = h->stands != NULL ? ledger_standing(h->entries, h->n, h->stands, err)
                               : error_nomem(err);
    }
    if (rc == SP_OK && h->n > 0)
        rc = ledger_sum(h->entries, h->n, h->stands, &h->totals, &h->n_totals, err);
    return rc;
}

void contributions_history_release(struct contributions_history *h)
{
    if (h == NULL)
        return;
    sp_free(h->entries);
    sp_free(h->stands);
    sp_free(h->totals);
    memset(h, 0, sizeof *h);
}

int contributions_qualifying(struct store *store, const struct scheme_library *lib, const char *id,
                             int32_t as_of, struct buf *out, struct error *err)
{
    struct situation s;
    situation_init(&s);
    int rc = entitlements_person_situation(store, id, as_of, &s, err);
    const struct person *p = rc == SP_OK ? &s.persons[0] : NULL;
    for (int k = 0; rc == SP_OK && k < lib->n_schemes; k++) {
        const struct scheme *sc = lib->schemes[k];
        if (sc->n_qualifying == 0 || strcmp(sc->country, p->country) != 0)
            continue;
        struct decide_bound *b = NULL;
        struct decide_scratch *scratch = NULL;
        struct decision d;
        rc = decide_bind(sc, as_of, &b, err);
        if (rc == SP_OK)
            rc = decide_scratch_new(sc, &scratch, err);
        if (rc == SP_OK)
            rc = decide_one(b, scratch, p, &s.histories[0], &d, err);
        struct buf why;
        buf_init(&why, 65536);
        if (rc == SP_OK)
            rc = decide_reasons(b, scratch, p, &s.histories[0], &d, NULL, &why, err);
        if (rc == SP_OK)
            rc = buf_printf(out, err, "%s: %s\n", sc->id,
                            decision_status_name((enum decision_status)d.status));
        for (size_t i = 0; rc == SP_OK && i < why.len;) {
            size_t end = i;
            while (end < why.len && why.data[end] != '\n')
                end++;
            rc = buf_printf(out, err, "  %.*s\n", (int)(end - i), why.data + i);
            i = end + 1;
        }
        buf_release(&why);
        decide_scratch_free(scratch);
        decide_bound_free(b);
    }
    situation_release(&s);
    return rc;
}
