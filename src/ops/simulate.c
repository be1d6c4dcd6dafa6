/*
 * simulate.c: a reform simulation over a population (simulate.h). Each block of whole
 * households (ops/blocks.h) is decided scheme by scheme under the baseline and then under the
 * reform, in runs of EXPR_BLOCK persons, and each person's two outcomes go into the report.
 */
#include "ops/simulate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "ops/blocks.h"
#include "ops/digest.h"
#include "ops/entitlements.h"
#include "registry/population.h"
#include "rules/decide.h"
#include "rules/fact_block.h"

#define SIMULATE_BLOCK_PERSONS 4096 /* persons decided together (whole households) */
#define WEIGHTS_LINE_MAX       1024

/* ---- weights ---- */

void simulate_weights_release(struct simulate_weights *w)
{
    if (w == NULL)
        return;
    for (int i = 0; i < w->n; i++)
        sp_free(w->ids[i]);
    sp_free(w->ids);
    sp_free(w->weight);
    sp_free(w->file);
    memset(w, 0, sizeof *w);
}

/* One row of a weights file, before the rows are sorted by id. */
struct weight_row {
    char *id;
    int64_t weight;
    int line;
};

static int compare_rows(const void *a, const void *b)
{
    return strcmp(((const struct weight_row *)a)->id, ((const struct weight_row *)b)->id);
}

/* Parses one "id,weight" line (no quotes) into row; SP_BAD_INPUT naming file:line:col. */
static int parse_weight_line(const char *file, int line, char *text, struct weight_row *row,
                             struct error *err)
{
    char *comma = strchr(text, ',');
    if (comma == NULL || strchr(comma + 1, ',') != NULL)
        return error_set(err, SP_BAD_INPUT, "%s:%d:1: a row holds two fields, id and weight", file,
                         line);
    *comma = '\0';
    const char *weight = comma + 1;
    int col = (int)(weight - text) + 1;
    if (text[0] == '\0')
        return error_set(err, SP_BAD_INPUT, "%s:%d:1: the id is empty", file, line);
    struct error parse;
    error_init(&parse);
    if (weight[0] == '-')
        return error_set(err, SP_BAD_INPUT,
                         "%s:%d:%d: weight \"%s\" is negative: a weight is 0 or more", file, line,
                         col, weight);
    if (decimal_parse(weight, &row->weight, &parse) != SP_OK)
        return error_set(err, SP_BAD_INPUT,
                         "%s:%d:%d: weight \"%s\" is not a number with at most %d decimal "
                         "places",
                         file, line, col, weight, DECIMAL_PLACES);
    row->id = sp_strdup(text);
    row->line = line;
    return row->id == NULL ? error_nomem(err) : SP_OK;
}

int simulate_weights_load(const char *path, struct simulate_weights *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    out->file = sp_strdup(path);
    if (out->file == NULL)
        return error_nomem(err);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return error_set(err, SP_IO, "%s: %s", path, strerror(errno));
    struct weight_row *rows = NULL;
    int n = 0, cap = 0, line = 0, rc = SP_OK;
    char text[WEIGHTS_LINE_MAX];
    while (rc == SP_OK && fgets(text, sizeof text, f) != NULL) {
        line++;
        size_t len = strlen(text);
        if (len + 1 == sizeof text && text[len - 1] != '\n') {
            rc = error_set(err, SP_BAD_INPUT, "%s:%d:1: the row is longer than %d bytes", path,
                           line, WEIGHTS_LINE_MAX - 2);
            break;
        }
        while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
            text[--len] = '\0';
        if (line == 1) {
            if (strcmp(text, "id,weight") != 0)
                rc = error_set(err, SP_BAD_INPUT,
                               "%s:1:1: the header must be \"id,weight\", not \"%s\"", path, text);
            continue;
        }
        if (len == 0)
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            struct weight_row *grown = sp_reallocarray(rows, (size_t)cap, sizeof *grown);
            if (grown == NULL) {
                rc = error_nomem(err);
                break;
            }
            rows = grown;
        }
        rc = parse_weight_line(path, line, text, &rows[n], err);
        n += rc == SP_OK;
    }
    if (rc == SP_OK && ferror(f))
        rc = error_set(err, SP_IO, "%s: cannot be read", path);
    fclose(f);
    if (rc == SP_OK && line == 0)
        rc = error_set(err, SP_BAD_INPUT,
                       "%s:1:1: the file is empty: it needs the header "
                       "\"id,weight\"",
                       path);
    if (n > 0)
        qsort(rows, (size_t)n, sizeof *rows, compare_rows);
    for (int i = 1; rc == SP_OK && i < n; i++)
        if (strcmp(rows[i - 1].id, rows[i].id) == 0)
            rc = error_set(err, SP_BAD_INPUT, "%s:%d:1: id \"%s\" is given a weight twice", path,
                           rows[i - 1].line > rows[i].line ? rows[i - 1].line : rows[i].line,
                           rows[i].id);
    if (rc == SP_OK && n > 0) {
        out->ids = sp_calloc((size_t)n, sizeof *out->ids);
        out->weight = sp_calloc((size_t)n, sizeof *out->weight);
        if (out->ids == NULL || out->weight == NULL)
            rc = error_nomem(err);
    }
    for (int i = 0; i < n; i++) {
        if (rc == SP_OK) {
            out->ids[i] = rows[i].id;
            out->weight[i] = rows[i].weight;
            out->n++;
        } else {
            sp_free(rows[i].id);
        }
    }
    sp_free(rows);
    return rc;
}

/* The weight of person id, or -1 when the file does not give one. */
static int64_t weight_of(const struct simulate_weights *w, const char *id)
{
    int lo = 0, hi = w->n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        int c = strcmp(w->ids[mid], id);
        if (c == 0)
            return w->weight[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

int simulate_per_year(enum scheme_per per)
{
    return per == PER_ONCE ? 1 : scheme_per_year(per);
}

/* ---- one run ---- */

/* One rule set's schemes of the country, bound on the date, with their decisions. */
struct side {
    const struct scheme **schemes;   /* n */
    struct decide_bound **bound;     /* n */
    struct decide_scratch **scratch; /* n */
    struct decision *out;            /* n * EXPR_BLOCK: scheme k, person i at k * EXPR_BLOCK + i */
    struct decision **row;           /* n: one person's decisions */
    struct sim_outcome *outcome;     /* n: one person's outcomes */
};

struct run {
    const struct simulate_query *q;
    struct sim_report *r;
    int n; /* schemes of the country */
    struct side side[SIM_SIDES];
    uint8_t *shared;          /* n: 1 if the scheme decides alike on both sides (decided once) */
    uint8_t *applies;         /* n, all 1: every person decided is of the country */
    uint8_t *enrolled;        /* n: the current person's enrolments today */
    int64_t fixed_weight;     /* the weight of every person when there is no weights file */
    int64_t persons;          /* persons decided so far */
    struct digest *digest;    /* the registry's: every fact of every person decided, or NULL */
    struct fact_block *facts; /* the persons being decided, as compact columns */
};

static void run_release(struct run *run)
{
    for (int s = 0; s < SIM_SIDES; s++) {
        struct side *side = &run->side[s];
        for (int k = 0; k < run->n; k++) {
            if (side->scratch != NULL)
                decide_scratch_free(side->scratch[k]);
            if (side->bound != NULL)
                decide_bound_free(side->bound[k]);
        }
        sp_free(side->schemes);
        sp_free(side->bound);
        sp_free(side->scratch);
        sp_free(side->out);
        sp_free(side->row);
        sp_free(side->outcome);
    }
    sp_free(run->shared);
    sp_free(run->facts);
    sp_free(run->applies);
    sp_free(run->enrolled);
    memset(run, 0, sizeof *run);
}

/* 1 if scheme s is simulated: a benefit (it has an amount) of the country. */
static int simulated(const struct scheme *s, const char *country)
{
    return strcmp(s->country, country) == 0 && s->amount.source != NULL;
}

/* Picks the country's schemes of each rule set, binds them and sets up the report. */
static int run_init(struct run *run, const struct simulate_query *q, struct sim_report *r,
                    struct error *err)
{
    memset(run, 0, sizeof *run);
    memset(r, 0, sizeof *r);
    run->q = q;
    run->r = r;
    run->fixed_weight = SIM_WEIGHT_ONE;
    const struct scheme_library *lib[SIM_SIDES] = {q->baseline, q->reform};
    int n = 0;
    for (int k = 0; k < q->baseline->n_schemes; k++)
        n += simulated(q->baseline->schemes[k], q->country);
    if (n == 0)
        return error_set(err, SP_BAD_INPUT, "no benefit scheme of the library is of country %s",
                         q->country);
    run->n = n;
    size_t room = (size_t)n;
    run->facts = sp_malloc(sizeof *run->facts);
    if (run->facts == NULL)
        return error_nomem(err);
    for (int s = 0; s < SIM_SIDES; s++) {
        struct side *side = &run->side[s];
        side->schemes = sp_calloc(room, sizeof *side->schemes);
        side->bound = sp_calloc(room, sizeof *side->bound);
        side->scratch = sp_calloc(room, sizeof *side->scratch);
        side->out = sp_calloc(room * EXPR_BLOCK, sizeof *side->out);
        side->row = sp_calloc(room, sizeof *side->row);
        side->outcome = sp_calloc(room, sizeof *side->outcome);
        if (side->schemes == NULL || side->bound == NULL || side->scratch == NULL ||
            side->out == NULL || side->row == NULL || side->outcome == NULL)
            return error_nomem(err);
        int i = 0;
        for (int k = 0; k < lib[s]->n_schemes; k++)
            if (simulated(lib[s]->schemes[k], q->country) && i < n)
                side->schemes[i++] = lib[s]->schemes[k];
        if (i != n)
            return error_set(err, SP_BAD_INPUT,
                             "the reform and the baseline do not hold the same schemes of %s",
                             q->country);
    }
    const char **ids = sp_calloc(room, sizeof *ids);
    run->shared = sp_calloc(room, sizeof *run->shared);
    run->applies = sp_calloc(room, sizeof *run->applies);
    run->enrolled = sp_calloc(room, sizeof *run->enrolled);
    if (ids == NULL || run->shared == NULL || run->applies == NULL || run->enrolled == NULL) {
        sp_free(ids);
        return error_nomem(err);
    }
    int rc = SP_OK;
    for (int k = 0; k < n; k++) {
        ids[k] = run->side[0].schemes[k]->id;
        run->applies[k] = 1;
        if (strcmp(ids[k], run->side[1].schemes[k]->id) != 0)
            rc = error_set(err, SP_BAD_INPUT,
                           "the reform and the baseline do not hold the same schemes of %s",
                           q->country);
    }
    const struct currency_info *currency = currency_find(run->side[0].schemes[0]->currency);
    if (rc == SP_OK)
        rc = sim_report_init(r, ids, n, currency ? currency->minor_digits : 2, err);
    sp_free(ids);
    for (int s = 0; rc == SP_OK && s < SIM_SIDES; s++) {
        struct side *side = &run->side[s];
        for (int k = 0; rc == SP_OK && k < n; k++) {
            rc = decide_bind(side->schemes[k], q->as_of, &side->bound[k], err);
            if (rc == SP_OK)
                rc = decide_scratch_new(side->schemes[k], &side->scratch[k], err);
        }
    }
    for (int k = 0; rc == SP_OK && k < n; k++)
        run->shared[k] = decide_bound_same(run->side[0].bound[k], run->side[1].bound[k]);
    return rc;
}

/* 1 if h shows an enrolment in `scheme` open on date. */
static int enrolled_on(const struct person_history *h, const char *scheme, int32_t date)
{
    for (int i = 0; h != NULL && i < h->n_enrolments; i++) {
        const struct enrolment *e = &h->enrolments[i];
        if (strcmp(e->scheme, scheme) == 0 && e->from <= date &&
            (e->to == DATE_NONE || e->to >= date))
            return 1;
    }
    return 0;
}

/* One person's outcome under one rule set, from decision d of scheme s. */
static void outcome_of(struct run *run, const struct scheme *s, const struct decision *d,
                       struct sim_outcome *o)
{
    memset(o, 0, sizeof *o);
    o->eligible = d->status == DECISION_ELIGIBLE;
    o->undetermined = d->status == DECISION_UNDETERMINED || d->status == DECISION_PARAMETER_NOT_SET;
    o->paid = o->eligible && d->excluded_by == NULL && d->has_amount && d->amount > 0;
    if (o->paid &&
        __builtin_mul_overflow(d->amount, (int64_t)simulate_per_year(s->per), &o->annual))
        run->r->overflow = 1;
}

/* Decides persons [from, from + n) of the block under both rule sets and reports each. */
static int run_persons(struct run *run, const struct situation *block, int from, int n,
                       struct error *err)
{
    const struct person *persons[EXPR_BLOCK];
    const struct person_history *histories[EXPR_BLOCK];
    for (int i = 0; i < n; i++) {
        persons[i] = &block->persons[from + i];
        histories[i] = &block->histories[from + i];
    }
    fact_block_fill(run->facts, persons, histories, n); /* once for both rule sets */
    for (int s = 0; s < SIM_SIDES; s++) {
        struct side *side = &run->side[s];
        for (int k = 0; k < run->n; k++) {
            if (s > 0 && run->shared[k])
                continue; /* copied from the baseline's, person by person, below */
            int rc = decide_block_facts(side->bound[k], side->scratch[k], run->facts, NULL, NULL,
                                        &side->out[(size_t)k * EXPR_BLOCK], err);
            if (rc != SP_OK)
                return rc;
        }
    }
    const struct simulate_query *q = run->q;
    for (int i = 0; i < n; i++) {
        const struct person *p = persons[i];
        int64_t weight = run->fixed_weight;
        if (q->weights != NULL) {
            weight = weight_of(q->weights, p->id);
            if (weight < 0)
                return error_set(err, SP_BAD_INPUT, "person %s has no weight in %s", p->id,
                                 q->weights->file);
        }
        if (strcmp(p->country, q->country) != 0) {
            run->r->skipped += weight;
            continue;
        }
        for (int k = 0; k < run->n; k++) /* before the baseline's exclusions mark them */
            if (run->shared[k])
                run->side[1].out[(size_t)k * EXPR_BLOCK + i] =
                    run->side[0].out[(size_t)k * EXPR_BLOCK + i];
        for (int s = 0; s < SIM_SIDES; s++) {
            struct side *side = &run->side[s];
            for (int k = 0; k < run->n; k++)
                side->row[k] = &side->out[(size_t)k * EXPR_BLOCK + i];
            decide_exclusions(p, side->schemes, side->row, run->n);
            for (int k = 0; k < run->n; k++)
                outcome_of(run, side->schemes[k], side->row[k], &side->outcome[k]);
        }
        for (int k = 0; k < run->n; k++)
            run->enrolled[k] = enrolled_on(histories[i], run->side[0].schemes[k]->id, q->as_of);
        struct sim_person sp = {
            .person = p,
            .age = p->birth_date == DATE_NONE ? -1 : date_age_years(p->birth_date, q->as_of),
            .weight = weight,
            .outcome = {run->side[0].outcome, run->side[1].outcome},
            .applies = run->applies,
            .enrolled = run->enrolled,
        };
        int rc = sim_report_add(run->r, &sp, err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

/* Decides the persons of an indexed situation. */
static int run_situation(struct run *run, const struct situation *block, struct error *err)
{
    int rc = SP_OK;
    for (int from = 0; rc == SP_OK && from < block->n_persons; from += EXPR_BLOCK) {
        int n = block->n_persons - from;
        rc = run_persons(run, block, from, n < EXPR_BLOCK ? n : EXPR_BLOCK, err);
    }
    run->persons += block->n_persons;
    if (rc == SP_OK && run->q->progress != NULL)
        run->q->progress(run->q->progress_ctx, run->persons);
    return rc;
}

/* Decides one block of the pipeline (blocks_fn). */
static int run_block(void *ctx, struct situation *block, struct error *err)
{
    return run_situation(ctx, block, err);
}

/* ---- the sources ---- */

/* Adds every fact of p to d, as person_get_field writes them. */
static int digest_person(struct digest *d, const struct person *p, struct error *err)
{
    char text[PERSON_LIST_SIZE + PERSON_NAME_SIZE];
    for (int f = 0; f < person_field_count; f++) {
        int rc = person_get_field(p, person_fields[f].name, text, sizeof text, err);
        if (rc != SP_OK)
            return rc;
        digest_text(d, text);
    }
    return SP_OK;
}

/* A block of the registry: its persons' facts into the digest, then decided (blocks_fn). */
static int run_registry_block(void *ctx, struct situation *block, struct error *err)
{
    struct run *run = ctx;
    for (int i = 0; i < block->n_persons; i++) {
        int rc = digest_person(run->digest, &block->persons[i], err);
        if (rc != SP_OK)
            return rc;
    }
    return run_situation(run, block, err);
}

int simulate_registry(struct store *store, const struct simulate_query *q, struct sim_report *r,
                      char digest_out[65], struct error *err)
{
    struct run run;
    struct digest digest;
    digest_init(&digest);
    struct blocks *blocks = NULL;
    int64_t skipped = 0;
    int rc = run_init(&run, q, r, err);
    run.digest = &digest;
    if (rc == SP_OK)
        rc = blocks_start(run_registry_block, &run, SIMULATE_BLOCK_PERSONS, &blocks, err);
    if (rc == SP_OK)
        rc = entitlements_read_registry(store, q->country, PERSON_FIELDS_EVERY, q->as_of, blocks,
                                        &skipped, err);
    rc = blocks_finish(blocks, rc, err);
    digest_hex(&digest, digest_out);
    run_release(&run);
    return rc;
}

int simulate_synthetic(uint64_t seed, int64_t n, const struct simulate_query *q,
                       struct sim_report *r, struct error *err)
{
    struct run run;
    struct population g = {0};
    struct blocks *blocks = NULL;
    int rc = run_init(&run, q, r, err);
    int64_t people = population_country_people(q->country);
    if (rc == SP_OK && n > 0) /* people / n persons each, rounded half up to a millionth */
        run.fixed_weight = (int64_t)(((__int128)people * SIM_WEIGHT_ONE + n / 2) / n);
    struct population_options o;
    population_options_init(&o);
    o.seed = seed;
    o.country = q->country;
    o.reference_date = q->as_of;
    if (rc == SP_OK)
        rc = population_init(&g, &o, err);
    if (rc == SP_OK)
        rc = blocks_start(run_block, &run, SIMULATE_BLOCK_PERSONS, &blocks, err);
    struct person members[POPULATION_HOUSEHOLD_MAX];
    struct household hh;
    for (int64_t made = 0; rc == SP_OK && made < n;) {
        int got = population_next_household(&g, members, POPULATION_HOUSEHOLD_MAX, &hh);
        for (int i = 0; rc == SP_OK && i < got && made < n; i++, made++) {
            snprintf(members[i].id, sizeof members[i].id, "S%010lld", (long long)made + 1);
            rc = blocks_add(blocks, &members[i], i == 0 ? &hh : NULL, err);
        }
    }
    rc = blocks_finish(blocks, rc, err);
    population_release(&g);
    run_release(&run);
    return rc;
}

int simulate_situation(const struct situation *s, const struct simulate_query *q,
                       struct sim_report *r, struct error *err)
{
    struct run run;
    int rc = run_init(&run, q, r, err);
    if (rc == SP_OK)
        rc = run_situation(&run, s, err);
    run_release(&run);
    return rc;
}
