/*
 * report.c: the indicators over the registry or a situation (report.h). Each block of whole
 * households (ops/blocks.h) is walked person by person: what the person holds (ledger
 * entries, enrolments and, for the gap, the rules' decisions) becomes the flags of one
 * struct disagg_unit, with one slice per scheme of their country when a breakdown asks for
 * schemes, branches or kinds.
 */
#include "ops/report.h"

#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/blocks.h"
#include "ops/entitlements.h"
#include "ops/outreach.h"

#define REPORT_BLOCK_PERSONS 4096 /* persons read together (whole households) */

static const char *const indicator_names[REPORT_INDICATORS] = {"coverage", "enrolment", "gap",
                                                               "reach"};

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
                     "unknown indicator \"%s\": use coverage, enrolment, gap or reach (benefits "
                     "paid comes with payroll)",
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
    struct decision *out;  /* gap: n * EXPR_BLOCK, scheme k person i at k * EXPR_BLOCK + i */
    struct decision **row; /* gap: n, one person's */
    uint8_t *contributing, *receiving, *enrolled, *eligible; /* n: one person's, per scheme */
    struct disagg_slice *slices;                             /* n */
    int32_t first_month, last_month; /* a contributor's entry falls in these months */
    int32_t first_day;               /* an enrolment is active on a day from here to as_of */
    int64_t persons;
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
    sp_free(run->row);
    sp_free(run->contributing);
    sp_free(run->receiving);
    sp_free(run->enrolled);
    sp_free(run->eligible);
    sp_free(run->slices);
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
    size_t room = lib->n_schemes > 0 ? (size_t)lib->n_schemes : 1;
    run->schemes = sp_calloc(room, sizeof *run->schemes);
    run->contributing = sp_calloc(room, 1);
    run->receiving = sp_calloc(room, 1);
    run->enrolled = sp_calloc(room, 1);
    run->eligible = sp_calloc(room, 1);
    run->slices = sp_calloc(room, sizeof *run->slices);
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
    if (run->bound == NULL || run->scratch == NULL || run->out == NULL || run->row == NULL)
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
    if (run->t->slices) { /* one slice per scheme of the person's country */
        int n_slices = 0;
        for (int k = 0; k < run->n; k++) {
            if (strcmp(run->schemes[k]->country, p->country) != 0)
                continue;
            struct disagg_slice *s = &run->slices[n_slices++];
            *s = (struct disagg_slice){.scheme = run->schemes[k]->id,
                                       .branch = run->schemes[k]->branch,
                                       .kind = scheme_kind_name(run->schemes[k]->kind),
                                       .m = {1}};
            if (q->indicator == REPORT_COVERAGE) {
                s->m[1] = run->contributing[k] | run->receiving[k];
                s->m[2] = run->contributing[k];
                s->m[3] = run->receiving[k];
            } else if (q->indicator == REPORT_ENROLMENT) {
                s->m[1] = run->receiving[k];
                s->m[2] = run->contributing[k];
            } else {
                s->m[1] = run->eligible[k];
                s->m[2] = run->eligible[k] && !run->enrolled[k] && !run->contributing[k];
            }
        }
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
        for (int k = 0; k < run->n; k++) {
            int rc = decide_block(run->bound[k], run->scratch[k], persons, histories, n,
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

int report_registry(struct store *store, const struct scheme_library *lib,
                    const struct report_query *q, struct disagg_table *t, int64_t *skipped,
                    struct error *err)
{
    if (q->indicator == REPORT_REACH)
        return outreach_reach(store, q, t, err);
    struct run run;
    int rc = run_init(&run, lib, q, t, err);
    struct suspensions s = {&run, err};
    if (rc == SP_OK)
        rc = store_enrolments_each(store, NULL, note_suspended, &s, err);
    struct blocks *blocks = NULL;
    if (rc == SP_OK)
        rc = blocks_start(count_block, &run, REPORT_BLOCK_PERSONS, &blocks, err);
    if (rc == SP_OK)
        rc = entitlements_read_registry(store, q->country, q->as_of, blocks, skipped, err);
    rc = blocks_finish(blocks, rc, err);
    run_release(&run);
    return rc;
}

int report_situation(const struct situation *s, const struct scheme_library *lib,
                     const struct report_query *q, struct disagg_table *t, struct error *err)
{
    memset(t, 0, sizeof *t);
    if (q->indicator == REPORT_REACH)
        return error_set(err, SP_BAD_INPUT, "reach is counted from a registry's outreach log");
    struct run run;
    int rc = run_init(&run, lib, q, t, err);
    for (int from = 0; rc == SP_OK && from < s->n_persons; from += EXPR_BLOCK) {
        int n = s->n_persons - from;
        rc = count_run(&run, s, from, n < EXPR_BLOCK ? n : EXPR_BLOCK, err);
    }
    run_release(&run);
    return rc;
}
