/*
 * report.c: the indicators over the registry or a situation (report.h). Each block of whole
 * households (ops/blocks.h) is walked person by person: what the person holds (ledger
 * entries, enrolments and, for the gap, the rules' decisions) becomes the flags of one
 * struct disagg_unit, with one slice per scheme of their country when a breakdown asks for
 * schemes, branches or kinds.
 */
#include "ops/report.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/blocks.h"
#include "ops/entitlements.h"
#include "ops/outreach.h"
#include "ops/persons.h"
#include "rules/fact_block.h"

#define REPORT_BLOCK_PERSONS 4096 /* persons read together (whole households) */

static const char *const indicator_names[REPORT_INDICATORS] = {"coverage", "enrolment", "gap",
                                                               "reach", "benefits"};

const char *report_indicator_name(enum report_indicator indicator)
{
    return indicator < REPORT_INDICATORS ? indicator_names[indicator] : "?";
}

int report_indicator_parse(const char *name, enum report_indicator *out, struct error *err)
{
    for (int i = 0; i < REPORT_INDICATORS; i++)
        if (strcmp(name, indicator_names[i]) == 0)
            return *out = (enum report_indicator)i, SP_OK;
    return error_set(err, SP_BAD_INPUT,
                     "unknown indicator \"%s\": use coverage, enrolment, gap, reach or "
                     "benefits",
                     name);
}

const char *report_note(enum report_indicator indicator)
{
    switch (indicator) {
    case REPORT_COVERAGE:
        return "Covered: actively contributing (a standing ledger entry in the recent months) or "
               "receiving at least one benefit (an active enrolment); each person counted once.";
    case REPORT_ENROLMENT:
        return "Enrolled: an active enrolment in at least one scheme; contributors: a standing "
               "ledger entry in the recent months.";
    case REPORT_REACH:
        return "Reached: the participants of the outreach log's activities, registry persons "
               "each once, anonymous counts as logged; enrolled: registry persons with an "
               "active enrolment.";
    case REPORT_BENEFITS:
        return "Recipients: persons paid by a payroll (settled payments, or every payment made "
               "with --payments created), each counted once; amount: what they were paid.";
    case REPORT_GAP:
        return "Eligible: the rules find the person eligible for a scheme (not a voluntary one, "
               "not excluded by another); not enrolled: eligible for one they are neither "
               "enrolled in nor contributing to.";
    default:
        return NULL;
    }
}

void report_spec(const struct report_query *q, struct disagg_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->indicator = report_indicator_name(q->indicator);
    spec->measures[0] = "persons";
    spec->rate_over = 0;
    spec->rate_of = 1;
    switch (q->indicator) {
    case REPORT_COVERAGE:
        spec->title = "Effective coverage (SDG 1.3.1)";
        spec->n_measures = 4;
        spec->measures[1] = "covered";
        spec->measures[2] = "contributing";
        spec->measures[3] = "receiving";
        spec->rate = "coverage";
        break;
    case REPORT_ENROLMENT:
        spec->title = "Enrolment and active contributors";
        spec->n_measures = 3;
        spec->measures[1] = "enrolled";
        spec->measures[2] = "contributors";
        spec->rate = "enrolment";
        break;
    case REPORT_BENEFITS:
        spec->title = "Benefits paid";
        spec->n_measures = 2;
        spec->measures[0] = "recipients";
        spec->measures[1] = "amount";
        spec->money = 1;
        break;
    case REPORT_REACH:
        spec->title = "Reach of the outreach log";
        spec->n_measures = 3;
        spec->measures[0] = "reached";
        spec->measures[1] = "in_registry";
        spec->measures[2] = "enrolled";
        break;
    default:
        spec->title = "Coverage gap: eligible but not enrolled";
        spec->n_measures = 3;
        spec->measures[1] = "eligible";
        spec->measures[2] = "not_enrolled";
        spec->rate = "gap";
        spec->rate_of = 2;
        spec->rate_over = 1;
        break;
    }
    spec->n_by = q->n_by;
    memcpy(spec->by, q->by, sizeof spec->by);
    spec->bands = q->bands;
}

/* ---- one run ---- */

struct run {
    const struct report_query *q;
    struct disagg_table *t;
    const struct scheme **schemes; /* n: the library's, of q->country if given */
    int n;
    struct report_labels ids;        /* the schemes' ids: scheme k is label k */
    struct report_labels suspended;  /* "person\tscheme" of enrolments suspended by the date */
    struct decide_bound **bound;     /* gap: n, bound on the date */
    struct decide_scratch **scratch; /* gap: n */
    struct decision *out;     /* gap: n * EXPR_BLOCK, scheme k person i at k * EXPR_BLOCK + i */
    struct fact_block *facts; /* gap: the persons being counted, as compact columns */
    struct decision **row;    /* gap: n, one person's */
    uint8_t *contributing, *receiving, *enrolled, *eligible; /* n: one person's, per scheme */
    struct disagg_slice *slices;                             /* n */
    int32_t first_month, last_month; /* a contributor's entry falls in these months */
    int32_t first_day;               /* an enrolment is active on a day from here to as_of */
    int64_t persons;
    int n_periods;                    /* --by period: the months from first_month, else 0 */
    int by_scheme;                    /* a breakdown by scheme, branch or kind */
    char (*periods)[MONTH_TEXT_SIZE]; /* n_periods: "2025-01" ... */
};

static void run_release(struct run *run)
{
    for (int k = 0; k < run->n; k++) {
        if (run->bound != NULL)
            decide_bound_free(run->bound[k]);
        if (run->scratch != NULL)
            decide_scratch_free(run->scratch[k]);
    }
    sp_free(run->schemes);
    sp_free(run->bound);
    sp_free(run->scratch);
    sp_free(run->out);
    sp_free(run->facts);
    sp_free(run->row);
    sp_free(run->contributing);
    sp_free(run->receiving);
    sp_free(run->enrolled);
    sp_free(run->eligible);
    sp_free(run->slices);
    sp_free(run->periods);
    report_labels_release(&run->ids);
    report_labels_release(&run->suspended);
    memset(run, 0, sizeof *run);
}

static int run_init(struct run *run, const struct scheme_library *lib, const struct report_query *q,
                    struct disagg_table *t, struct error *err)
{
    memset(run, 0, sizeof *run);
    report_labels_init(&run->ids);
    report_labels_init(&run->suspended);
    run->q = q;
    run->t = t;
    struct disagg_spec spec;
    report_spec(q, &spec);
    int rc = disagg_init(t, &spec, err);
    if (rc != SP_OK)
        return rc;
    int months = q->active_months > 0 ? q->active_months : REPORT_ACTIVE_MONTHS;
    run->last_month = month_of_date(q->as_of);
    run->first_month = q->from != DATE_NONE ? month_of_date(q->from) : run->last_month - months + 1;
    run->first_day = q->from != DATE_NONE ? q->from : q->as_of;
    for (int p = 0; p < q->n_by; p++) {
        run->by_scheme |=
            q->by[p] == DISAGG_SCHEME || q->by[p] == DISAGG_BRANCH || q->by[p] == DISAGG_KIND;
        if (q->by[p] == DISAGG_PERIOD)
            run->n_periods = run->last_month - run->first_month + 1;
    }
    if (run->n_periods > REPORT_PERIODS_MAX)
        return error_set(err, SP_BAD_INPUT,
                         "--by period: %d months from --from to --to; at most %d", run->n_periods,
                         REPORT_PERIODS_MAX);
    size_t room = lib->n_schemes > 0 ? (size_t)lib->n_schemes : 1;
    if (run->n_periods > 0) {
        run->periods = sp_calloc((size_t)run->n_periods, sizeof *run->periods);
        if (run->periods == NULL)
            return error_nomem(err);
        for (int p = 0; p < run->n_periods; p++)
            month_format(run->first_month + p, run->periods[p]);
    }
    size_t n_slices = (room + 1) * (size_t)(run->n_periods > 0 ? run->n_periods : 1);
    run->schemes = sp_calloc(room, sizeof *run->schemes);
    run->contributing = sp_calloc(room, 1);
    run->receiving = sp_calloc(room, 1);
    run->enrolled = sp_calloc(room, 1);
    run->eligible = sp_calloc(room, 1);
    run->slices = sp_calloc(n_slices, sizeof *run->slices);
    if (run->schemes == NULL || run->contributing == NULL || run->receiving == NULL ||
        run->enrolled == NULL || run->eligible == NULL || run->slices == NULL)
        return error_nomem(err);
    for (int k = 0; k < lib->n_schemes; k++) {
        const struct scheme *s = lib->schemes[k];
        if (q->country != NULL && strcmp(s->country, q->country) != 0)
            continue;
        if (report_labels_find(&run->ids, s->id, err) < 0)
            return SP_IO;
        run->schemes[run->n++] = s;
    }
    if (q->indicator != REPORT_GAP)
        return SP_OK;
    run->bound = sp_calloc(room, sizeof *run->bound);
    run->scratch = sp_calloc(room, sizeof *run->scratch);
    run->out = sp_calloc(room * EXPR_BLOCK, sizeof *run->out);
    run->row = sp_calloc(room, sizeof *run->row);
    run->facts = sp_malloc(sizeof *run->facts);
    if (run->bound == NULL || run->scratch == NULL || run->out == NULL || run->row == NULL ||
        run->facts == NULL)
        return error_nomem(err);
    for (int k = 0; rc == SP_OK && k < run->n; k++) {
        rc = decide_bind(run->schemes[k], q->as_of, &run->bound[k], err);
        if (rc == SP_OK)
            rc = decide_scratch_new(run->schemes[k], &run->scratch[k], err);
    }
    return rc;
}

/* 1 if enrolment e is active on some day from run->first_day to the date. */
static int active(const struct run *run, const struct enrolment *e)
{
    return e->from <= run->q->as_of && (e->to == DATE_NONE || e->to >= run->first_day);
}

/* 1 if e was suspended by the date (a registry's enrolment). */
static int suspended(const struct run *run, const struct enrolment *e)
{
    if (run->suspended.n == 0)
        return 0;
    char key[PERSON_ID_SIZE + SCHEME_ID_SIZE + 1];
    snprintf(key, sizeof key, "%s\t%s", e->person, e->scheme);
    return report_labels_lookup(&run->suspended, key) >= 0;
}

/* The flags of scheme k (or of the person's whole row when k < 0) into a slice's measures. */
static void slice_flags(const struct run *run, int k, struct disagg_slice *s)
{
    s->m[0] = 1;
    if (run->q->indicator == REPORT_COVERAGE) {
        s->m[1] = run->contributing[k] | run->receiving[k];
        s->m[2] = run->contributing[k];
        s->m[3] = run->receiving[k];
    } else if (run->q->indicator == REPORT_ENROLMENT) {
        s->m[1] = run->receiving[k];
        s->m[2] = run->contributing[k];
    } else {
        s->m[1] = run->eligible[k];
        s->m[2] = run->eligible[k] && !run->enrolled[k] && !run->contributing[k];
    }
}

/* One slice per scheme of the person's country into out; their number. */
static int scheme_slices(struct run *run, const struct person *p, struct disagg_slice *out)
{
    int n_slices = 0;
    for (int k = 0; k < run->n; k++) {
        if (strcmp(run->schemes[k]->country, p->country) != 0)
            continue;
        struct disagg_slice *s = &out[n_slices++];
        *s = (struct disagg_slice){.scheme = run->schemes[k]->id,
                                   .branch = run->schemes[k]->branch,
                                   .kind = scheme_kind_name(run->schemes[k]->kind)};
        slice_flags(run, k, s);
    }
    return n_slices;
}

/*
 * --by period: for each month of the period, the person's flags in that month alone
 * (contributing: a ledger entry for the month; receiving and enrolled: an enrolment active
 * on a day of it, up to the date, and not suspended), one slice for the month or, with a
 * breakdown by scheme, branch or kind, one per scheme. Overwrites the run's per-scheme flags.
 */
static int period_slices(struct run *run, const struct person *p, const struct person_history *h)
{
    int n_slices = 0;
    size_t n = (size_t)run->n;
    for (int at = 0; at < run->n_periods; at++) {
        int32_t month = run->first_month + at;
        int32_t first = month_first_day(month), last = month_first_day(month + 1) - 1;
        if (last > run->q->as_of)
            last = run->q->as_of;
        memset(run->contributing, 0, n);
        memset(run->receiving, 0, n);
        int contributing = 0, receiving = 0;
        for (int c = 0; h != NULL && c < h->n_contributions; c++) {
            if (h->contributions[c].month != month)
                continue;
            contributing = 1;
            int k = report_labels_lookup(&run->ids, h->contributions[c].scheme);
            if (k >= 0)
                run->contributing[k] = 1;
        }
        for (int e = 0; h != NULL && e < h->n_enrolments; e++) {
            const struct enrolment *en = &h->enrolments[e];
            if (en->from > last || (en->to != DATE_NONE && en->to < first) || suspended(run, en))
                continue;
            receiving = 1;
            int k = report_labels_lookup(&run->ids, en->scheme);
            if (k >= 0)
                run->receiving[k] = 1;
        }
        if (run->by_scheme) {
            int added = scheme_slices(run, p, &run->slices[n_slices]);
            for (int i = 0; i < added; i++)
                run->slices[n_slices + i].period = run->periods[at];
            n_slices += added;
            continue;
        }
        struct disagg_slice *s = &run->slices[n_slices++];
        *s = (struct disagg_slice){.period = run->periods[at], .m = {1}};
        if (run->q->indicator == REPORT_COVERAGE) {
            s->m[1] = (uint8_t)(contributing | receiving);
            s->m[2] = (uint8_t)contributing;
            s->m[3] = (uint8_t)receiving;
        } else {
            s->m[1] = (uint8_t)receiving;
            s->m[2] = (uint8_t)contributing;
        }
    }
    return n_slices;
}

/* Counts person i of a run (persons[i], with its history; decisions in run->out for the gap). */
static int count_person(struct run *run, const struct person *p, const struct person_history *h,
                        int i, struct error *err)
{
    const struct report_query *q = run->q;
    struct disagg_unit u = {
        .person = p,
        .age = p->birth_date == DATE_NONE ? -1 : date_age_years(p->birth_date, q->as_of)};
    size_t n = (size_t)run->n;
    memset(run->contributing, 0, n);
    memset(run->receiving, 0, n);
    memset(run->enrolled, 0, n);
    memset(run->eligible, 0, n);
    int contributing = 0, receiving = 0, enrolled = 0;
    for (int c = 0; h != NULL && c < h->n_contributions; c++) {
        const struct contribution *row = &h->contributions[c];
        if (row->month < run->first_month || row->month > run->last_month)
            continue;
        contributing = 1;
        int k = report_labels_lookup(&run->ids, row->scheme);
        if (k >= 0)
            run->contributing[k] = 1;
    }
    for (int e = 0; h != NULL && e < h->n_enrolments; e++) {
        const struct enrolment *en = &h->enrolments[e];
        int k = report_labels_lookup(&run->ids, en->scheme);
        if (en->from <= q->as_of && (en->to == DATE_NONE || en->to >= q->as_of) && k >= 0)
            run->enrolled[k] = 1;
        if (!active(run, en) || suspended(run, en))
            continue;
        receiving = enrolled = 1;
        if (k >= 0)
            run->receiving[k] = 1;
    }
    int eligible = 0, gap = 0;
    if (q->indicator == REPORT_GAP) {
        for (int k = 0; k < run->n; k++)
            run->row[k] = &run->out[(size_t)k * EXPR_BLOCK + i];
        decide_exclusions(p, run->schemes, run->row, run->n);
        for (int k = 0; k < run->n; k++) {
            const struct decision *d = run->row[k];
            if (d->status != DECISION_ELIGIBLE || d->excluded_by != NULL ||
                run->schemes[k]->optional)
                continue;
            run->eligible[k] = 1;
            eligible = 1;
            if (run->enrolled[k] || run->contributing[k])
                continue; /* enrolled, or paying in to it */
            gap = 1;
            if (q->list != NULL) {
                struct report_gap_entry entry = {p, run->schemes[k], d};
                int stop = q->list(q->list_ctx, &entry);
                if (stop != 0)
                    return stop;
            }
        }
    }
    u.m[0] = 1;
    if (q->indicator == REPORT_COVERAGE) {
        u.m[1] = (uint8_t)(contributing | receiving);
        u.m[2] = (uint8_t)contributing;
        u.m[3] = (uint8_t)receiving;
    } else if (q->indicator == REPORT_ENROLMENT) {
        u.m[1] = (uint8_t)enrolled;
        u.m[2] = (uint8_t)contributing;
    } else {
        u.m[1] = (uint8_t)eligible;
        u.m[2] = (uint8_t)gap;
    }
    if (run->t->slices) {
        int n_slices =
            run->n_periods > 0 ? period_slices(run, p, h) : scheme_slices(run, p, run->slices);
        u.slices = run->slices;
        u.n_slices = n_slices;
    }
    return disagg_add(run->t, &u, err);
}

/* Counts persons [from, from + n) of an indexed situation. */
static int count_run(struct run *run, const struct situation *s, int from, int n, struct error *err)
{
    const struct person *persons[EXPR_BLOCK];
    const struct person_history *histories[EXPR_BLOCK];
    for (int i = 0; i < n; i++) {
        persons[i] = &s->persons[from + i];
        histories[i] = &s->histories[from + i];
    }
    if (run->q->indicator == REPORT_GAP) {
        fact_block_fill(run->facts, persons, histories, n);
        for (int k = 0; k < run->n; k++) {
            int rc = decide_block_facts(run->bound[k], run->scratch[k], run->facts, NULL, NULL,
                                        &run->out[(size_t)k * EXPR_BLOCK], err);
            if (rc != SP_OK)
                return rc;
        }
    }
    for (int i = 0; i < n; i++) {
        if (run->q->country != NULL && strcmp(persons[i]->country, run->q->country) != 0)
            continue;
        int rc = count_person(run, persons[i], histories[i], i, err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

/* Counts one indexed block (blocks_fn, on the batch's second thread). */
static int count_block(void *ctx, struct situation *s, struct error *err)
{
    struct run *run = ctx;
    int rc = SP_OK;
    for (int from = 0; rc == SP_OK && from < s->n_persons; from += EXPR_BLOCK) {
        int n = s->n_persons - from;
        rc = count_run(run, s, from, n < EXPR_BLOCK ? n : EXPR_BLOCK, err);
    }
    run->persons += s->n_persons;
    if (rc == SP_OK && run->q->progress != NULL)
        run->q->progress(run->q->progress_ctx, run->persons);
    return rc;
}

/* Notes each enrolment suspended on or before the date (store_enrolments_each). */
struct suspensions {
    struct run *run;
    struct error *err;
};

static int note_suspended(void *ctx, const struct enrolment_record *r)
{
    struct suspensions *s = ctx;
    if (r->state != ENROLMENT_SUSPENDED || r->state_since > s->run->first_day)
        return 0; /* not suspended, or paid on some day of the period before it was */
    char key[PERSON_ID_SIZE + SCHEME_ID_SIZE + 1];
    snprintf(key, sizeof key, "%s\t%s", r->e.person, r->e.scheme);
    return report_labels_find(&s->run->suspended, key, s->err) < 0 ? SP_IO : 0;
}

/* ---- benefits paid ---- */

/* A payment counted: whose, for what, how much. */
struct paid {
    char person[PERSON_ID_SIZE];
    char scheme[SCHEME_ID_SIZE];
    char period[PAYMENT_PERIOD_SIZE];
    int64_t amount;
    char currency[CURRENCY_CODE_SIZE];
};

struct paid_list {
    const struct report_query *q;
    struct paid *rows;
    int n, cap;
    struct error *err;
};

/* Keeps a payment settled (or made, with payments_created) in the period or on the date. */
static int keep_payment(void *ctx, const struct payment *pay)
{
    struct paid_list *l = ctx;
    const struct report_query *q = l->q;
    int32_t day = pay->on[PAYMENT_SETTLED];
    if (q->payments_created) {
        if (pay->state == PAYMENT_REJECTED || pay->state == PAYMENT_CANCELLED)
            return 0;
        day = pay->on[PAYMENT_CREATED];
    } else if (pay->state != PAYMENT_SETTLED) {
        return 0;
    }
    if (day == DATE_NONE || day > q->as_of || day < (q->from != DATE_NONE ? q->from : q->as_of))
        return 0;
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        struct paid *grown = sp_reallocarray(l->rows, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(l->err);
        l->rows = grown;
        l->cap = cap;
    }
    struct paid *row = &l->rows[l->n++];
    text_copy(row->person, sizeof row->person, pay->person);
    text_copy(row->scheme, sizeof row->scheme, pay->scheme);
    text_copy(row->period, sizeof row->period, pay->period);
    text_copy(row->currency, sizeof row->currency, pay->currency);
    row->amount = pay->amount;
    return 0;
}

static int compare_paid(const void *a, const void *b)
{
    const struct paid *x = a, *y = b;
    int c = strcmp(x->person, y->person);
    if (c == 0)
        c = strcmp(x->scheme, y->scheme);
    return c != 0 ? c : strcmp(x->period, y->period);
}

/* Counts the recipient of rows[0, n) (one person's payments) into t. */
static int count_recipient(const struct person *p, const struct scheme_library *lib,
                           const struct report_query *q, const struct paid *rows, int n,
                           struct disagg_slice *slices, struct disagg_table *t, struct error *err)
{
    struct disagg_unit u = {
        .person = p,
        .age = p->birth_date == DATE_NONE ? -1 : date_age_years(p->birth_date, q->as_of),
        .m = {1, 1},
        .slices = slices,
        .n_slices = n};
    for (int i = 0; i < n; i++) {
        const struct scheme *s = scheme_library_find(lib, rows[i].scheme);
        u.amount += rows[i].amount;
        slices[i] = (struct disagg_slice){.scheme = rows[i].scheme,
                                          .branch = s != NULL ? s->branch : NULL,
                                          .kind = s != NULL ? scheme_kind_name(s->kind) : NULL,
                                          .period = rows[i].period,
                                          .m = {1, 1},
                                          .amount = rows[i].amount};
    }
    return disagg_add(t, &u, err);
}

/* The benefits indicator (report.h) into *t, which it initialises. */
static int report_benefits(struct store *store, const struct scheme_library *lib,
                           const struct report_query *q, struct disagg_table *t, struct error *err)
{
    struct paid_list l = {.q = q, .err = err};
    int rc = store_payments_each(store, NULL, NULL, keep_payment, &l, err);
    if (rc == SP_OK && l.n > 1)
        qsort(l.rows, (size_t)l.n, sizeof *l.rows, compare_paid);
    /* persons of another country are left out here, by their record, below */
    const char *currency = q->country != NULL ? currency_of_country(q->country) : NULL;
    if (rc == SP_OK && q->country != NULL && currency == NULL)
        rc = error_set(err, SP_BAD_INPUT,
                       "benefits: spfloor knows no currency of %s, no scheme "
                       "pays there",
                       q->country);
    for (int i = 0; rc == SP_OK && q->country == NULL && i < l.n; i++) {
        if (currency == NULL)
            currency = l.rows[i].currency;
        else if (strcmp(currency, l.rows[i].currency) != 0)
            rc = error_set(err, SP_BAD_INPUT,
                           "benefits: payments in %s and in %s cannot be added up: give "
                           "--country",
                           currency, l.rows[i].currency);
    }
    struct disagg_spec spec;
    report_spec(q, &spec);
    /* the table outlives the rows: its currency is the money table's own (static) code */
    const struct currency_info *info = currency != NULL ? currency_find(currency) : NULL;
    if (rc == SP_OK && currency != NULL && info == NULL)
        rc = error_set(err, SP_BAD_INPUT,
                       "benefits: payments in %s, a currency spfloor does not "
                       "know",
                       currency);
    spec.currency = info != NULL ? info->code : ""; /* nothing paid: no currency */
    if (rc == SP_OK)
        rc = disagg_init(t, &spec, err);
    struct disagg_slice *slices = sp_calloc(l.n > 0 ? (size_t)l.n : 1, sizeof *slices);
    if (rc == SP_OK && slices == NULL)
        rc = error_nomem(err);
    for (int i = 0; rc == SP_OK && i < l.n;) {
        int end = i;
        while (end < l.n && strcmp(l.rows[end].person, l.rows[i].person) == 0)
            end++;
        struct person p;
        rc = persons_get(store, l.rows[i].person, &p, err);
        if (rc == SP_OK && q->country != NULL && strcmp(p.country, q->country) != 0) {
            i = end; /* a recipient of another country */
            continue;
        }
        for (int k = i; rc == SP_OK && q->country != NULL && k < end; k++)
            if (strcmp(l.rows[k].currency, currency) != 0) /* paid in the country's currency */
                rc = error_set(err, SP_BAD_INPUT,
                               "benefits: payment to %s in %s, not %s, the currency of %s",
                               l.rows[k].person, l.rows[k].currency, currency, q->country);
        if (rc == SP_OK)
            rc = count_recipient(&p, lib, q, &l.rows[i], end - i, slices, t, err);
        i = end;
    }
    sp_free(slices);
    sp_free(l.rows);
    return rc;
}

/* SP_BAD_INPUT when q breaks its indicator down by period and the indicator has none. */
static int check_period(const struct report_query *q, struct error *err)
{
    for (int p = 0; p < q->n_by; p++)
        if (q->by[p] == DISAGG_PERIOD &&
            (q->indicator == REPORT_GAP || q->indicator == REPORT_REACH))
            return error_set(err, SP_BAD_INPUT,
                             "--by period: %s has no periods (coverage, enrolment and benefits "
                             "do)",
                             report_indicator_name(q->indicator));
    return SP_OK;
}

/* What a report reads of each person: its breakdowns' facts (disagg.h: sex, age, worker
 * category, country, province, district), and what its schemes decide on; every field for a
 * gap list (q->list). */
static person_field_set run_fields(const struct run *run)
{
    if (run->q->list != NULL) /* the gap list shows whom to reach: names, phone ... */
        return PERSON_FIELDS_EVERY;
    person_field_set fields = PERSON_FIELD_BIT(F_ID) | PERSON_FIELD_BIT(F_SEX) |
                              PERSON_FIELD_BIT(F_BIRTH_DATE) | PERSON_FIELD_BIT(F_WORKER_CATEGORY) |
                              PERSON_FIELD_BIT(F_COUNTRY) | PERSON_FIELD_BIT(F_ADMIN1) |
                              PERSON_FIELD_BIT(F_ADMIN2);
    for (int k = 0; k < run->n; k++)
        fields |= scheme_facts(run->schemes[k]);
    return fields;
}

int report_registry(struct store *store, const struct scheme_library *lib,
                    const struct report_query *q, struct disagg_table *t, int64_t *skipped,
                    struct error *err)
{
    memset(t, 0, sizeof *t);
    if (check_period(q, err) != SP_OK)
        return SP_BAD_INPUT;
    if (q->indicator == REPORT_REACH)
        return outreach_reach(store, q, t, err);
    if (q->indicator == REPORT_BENEFITS)
        return report_benefits(store, lib, q, t, err);
    struct run run;
    int rc = run_init(&run, lib, q, t, err);
    struct suspensions s = {&run, err};
    if (rc == SP_OK)
        rc = store_enrolments_each(store, NULL, note_suspended, &s, err);
    struct blocks *blocks = NULL;
    if (rc == SP_OK)
        rc = blocks_start(count_block, &run, REPORT_BLOCK_PERSONS, &blocks, err);
    if (rc == SP_OK)
        rc = entitlements_read_registry(store, q->country, run_fields(&run), q->as_of, blocks,
                                        skipped, err);
    rc = blocks_finish(blocks, rc, err);
    run_release(&run);
    return rc;
}

int report_situation(const struct situation *s, const struct scheme_library *lib,
                     const struct report_query *q, struct disagg_table *t, struct error *err)
{
    memset(t, 0, sizeof *t);
    if (check_period(q, err) != SP_OK)
        return SP_BAD_INPUT;
    if (q->indicator == REPORT_REACH || q->indicator == REPORT_BENEFITS)
        return error_set(err, SP_BAD_INPUT, "%s is counted from a registry's records",
                         report_indicator_name(q->indicator));
    struct run run;
    int rc = run_init(&run, lib, q, t, err);
    for (int from = 0; rc == SP_OK && from < s->n_persons; from += EXPR_BLOCK) {
        int n = s->n_persons - from;
        rc = count_run(&run, s, from, n < EXPR_BLOCK ? n : EXPR_BLOCK, err);
    }
    run_release(&run);
    return rc;
}
