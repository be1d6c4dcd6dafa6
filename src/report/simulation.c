/*
 * simulation.c: the tables of a reform simulation (simulation.h): cells that add persons
 * exactly, and the four ways of writing them.
 */
#include "report/simulation.h"

#include <string.h>

#include "base/alloc.h"
#include "base/text.h"

static const char *const dim_names[SIM_DIMS] = {
    "total", "sex", "youth", "age_ilo", "worker_category", "admin1", "admin2", "scheme",
};

static const char *const band_names[SIM_BANDS] = {
    "gain_more_5", "gain_less_5", "no_change", "lose_less_5", "lose_more_5",
};

static const char *const band_words[SIM_BANDS] = {
    "Gain more than 5%", "Gain 5% or less", "No change", "Lose 5% or less", "Lose more than 5%",
};

const char *sim_dim_name(enum sim_dim dim)
{
    return dim < SIM_DIMS ? dim_names[dim] : "?";
}

const char *sim_band_name(enum sim_band band)
{
    return band < SIM_BANDS ? band_names[band] : "?";
}

enum sim_band sim_band_of(int64_t before, int64_t after)
{
    if (after == before)
        return SIM_NO_CHANGE;
    /* more than 5%: |after - before| * 20 > before, in 128 bits so nothing overflows */
    __int128 change = (__int128)after - before;
    __int128 size = change < 0 ? -change : change;
    int large = before <= 0 || size * 20 > (__int128)before;
    if (change > 0)
        return large ? SIM_GAIN_MORE_5 : SIM_GAIN_LESS_5;
    return large ? SIM_LOSE_MORE_5 : SIM_LOSE_LESS_5;
}

/* ---- cells ---- */

/* Adds a cell labelled `label` (cut to SIM_LABEL_SIZE - 1 bytes), or finds it; its index, or
 * -1 when out of memory (err set). */
static int find_cell(struct sim_breakdown *d, const char *label, struct error *err)
{
    char cut[SIM_LABEL_SIZE];
    text_copy(cut, sizeof cut, label);
    int i = report_labels_find(&d->labels, cut, err);
    if (i < 0 || i < d->n)
        return i;
    if (d->n == d->cap) {
        int cap = d->cap ? d->cap * 2 : 8;
        struct sim_cell *grown = sp_reallocarray(d->cells, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err), -1; /* the label stays: the report is given up */
        d->cells = grown;
        d->cap = cap;
    }
    struct sim_cell *c = &d->cells[d->n];
    memset(c, 0, sizeof *c);
    text_copy(c->label, sizeof c->label, cut);
    return d->n++;
}

/* Adds a fixed group's cell; -1 when out of memory. */
static int add_cell(struct sim_breakdown *d, const char *label, struct error *err)
{
    return find_cell(d, label, err);
}

int sim_report_init(struct sim_report *r, const char *const *ids, int n, int minor_digits,
                    struct error *err)
{
    static const char *const youth[] = {"under_35", "35_and_over", "age_not_given", NULL};
    static const char *const ilo[] = {"0-14", "15-24", "25-64", "65+", "age_not_given", NULL};
    static const char *const total[] = {"all", NULL};
    memset(r, 0, sizeof *r);
    r->minor_digits = minor_digits;
    r->schemes = sp_calloc(n > 0 ? (size_t)n : 1, sizeof *r->schemes);
    if (r->schemes == NULL)
        return error_nomem(err);
    r->n_schemes = n;
    for (int k = 0; k < n; k++)
        text_copy(r->schemes[k], sizeof r->schemes[k], ids[k]);
    /* the fixed groups come first, in their natural order, even when empty */
    const char *const *fixed[SIM_DIMS] = {total, person_sex_words, youth, ilo, person_worker_words};
    for (int dim = 0; dim < SIM_DIMS; dim++) {
        report_labels_init(&r->by[dim].labels);
        for (int i = 0; fixed[dim] != NULL && fixed[dim][i] != NULL; i++)
            if (add_cell(&r->by[dim], fixed[dim][i], err) < 0)
                return SP_IO;
        if ((dim == SIM_BY_SEX || dim == SIM_BY_CATEGORY) &&
            add_cell(&r->by[dim], "not_given", err) < 0)
            return SP_IO;
    }
    for (int k = 0; k < n; k++)
        if (add_cell(&r->by[SIM_BY_SCHEME], r->schemes[k], err) < 0)
            return SP_IO;
    return SP_OK;
}

void sim_report_release(struct sim_report *r)
{
    if (r == NULL)
        return;
    for (int dim = 0; dim < SIM_DIMS; dim++) {
        sp_free(r->by[dim].cells);
        report_labels_release(&r->by[dim].labels);
    }
    sp_free(r->schemes);
    memset(r, 0, sizeof *r);
}

/* A person's figures on one side, over all the schemes or over one. */
struct side_sum {
    int eligible, paid, undetermined, not_enrolled;
    int64_t annual;
};

static int add64(int64_t *to, int64_t v)
{
    return __builtin_add_overflow(*to, v, to);
}

/* Adds the figures of scheme k (of person p, on one side) to s. */
static void sum_scheme(const struct sim_person *p, int side, int k, struct side_sum *s,
                       int *overflow)
{
    const struct sim_outcome *o = &p->outcome[side][k];
    s->eligible |= o->eligible;
    s->paid |= o->paid;
    s->undetermined |= o->undetermined;
    s->not_enrolled |= o->paid && !p->enrolled[k];
    if (o->paid && add64(&s->annual, o->annual))
        *overflow = 1;
}

/* Adds a person of weight w with the figures s (both sides) to cell c. */
static void add_to_cell(struct sim_report *r, struct sim_cell *c, const struct side_sum s[],
                        int64_t w)
{
    int overflow = add64(&c->persons, w);
    for (int side = 0; side < SIM_SIDES; side++) {
        struct sim_side *cs = &c->side[side];
        overflow |= s[side].eligible && add64(&cs->eligible, w);
        overflow |= s[side].paid && add64(&cs->paid, w);
        overflow |= s[side].undetermined && add64(&cs->undetermined, w);
        overflow |= s[side].not_enrolled && add64(&cs->not_enrolled, w);
        cs->cost += (__int128)s[side].annual * w;
    }
    overflow |= add64(&c->band[sim_band_of(s[0].annual, s[1].annual)], w);
    __int128 change = ((__int128)s[1].annual - s[0].annual) * w;
    if (change > 0)
        c->gain += change;
    else
        c->loss -= change;
    r->overflow |= overflow;
}

/* The index of a fixed group: the word's place in words (from 1), or `other` when out of it. */
static int word_cell(int code, int n_words, int other)
{
    return code >= 1 && code <= n_words ? code - 1 : other;
}

static int count_words(const char *const *words)
{
    int n = 0;
    while (words[n] != NULL)
        n++;
    return n;
}

int sim_report_add(struct sim_report *r, const struct sim_person *p, struct error *err)
{
    const struct person *person = p->person;
    struct side_sum total[SIM_SIDES];
    memset(total, 0, sizeof total);
    int overflow = 0;
    for (int k = 0; k < r->n_schemes; k++) {
        if (!p->applies[k])
            continue;
        struct side_sum one[SIM_SIDES];
        memset(one, 0, sizeof one);
        for (int side = 0; side < SIM_SIDES; side++) {
            sum_scheme(p, side, k, &total[side], &overflow);
            sum_scheme(p, side, k, &one[side], &overflow);
        }
        add_to_cell(r, &r->by[SIM_BY_SCHEME].cells[k], one, p->weight);
    }
    r->overflow |= overflow;
    int n_sex = count_words(person_sex_words), n_cat = count_words(person_worker_words);
    int cell[SIM_DIMS];
    cell[SIM_BY_TOTAL] = 0;
    cell[SIM_BY_SEX] = word_cell(person->sex, n_sex, n_sex);
    cell[SIM_BY_YOUTH] = p->age < 0 ? 2 : p->age < 35 ? 0 : 1;
    cell[SIM_BY_AGE_ILO] = p->age < 0 ? 4 : p->age < 15 ? 0 : p->age < 25 ? 1 : p->age < 65 ? 2 : 3;
    cell[SIM_BY_CATEGORY] = word_cell(person->worker_category, n_cat, n_cat);
    cell[SIM_BY_ADMIN1] =
        find_cell(&r->by[SIM_BY_ADMIN1], person->admin1[0] ? person->admin1 : "not_given", err);
    cell[SIM_BY_ADMIN2] =
        find_cell(&r->by[SIM_BY_ADMIN2], person->admin2[0] ? person->admin2 : "not_given", err);
    if (cell[SIM_BY_ADMIN1] < 0 || cell[SIM_BY_ADMIN2] < 0)
        return SP_IO;
    for (int dim = 0; dim < SIM_BY_SCHEME; dim++)
        add_to_cell(r, &r->by[dim].cells[cell[dim]], total, p->weight);
    return SP_OK;
}

/* ---- writing ---- */

/* Writes v / SIM_WEIGHT_ONE rounded half away from zero, as a decimal integer. */
static void put_rounded(char *out, size_t size, __int128 v, int digits)
{
    int negative = v < 0;
    unsigned __int128 u = negative ? (unsigned __int128)(-v) : (unsigned __int128)v;
    u = (u + SIM_WEIGHT_ONE / 2) / SIM_WEIGHT_ONE;
    char rev[64];
    int n = 0;
    do {
        rev[n++] = (char)('0' + (int)(u % 10));
        u /= 10;
    } while (u > 0 || n <= digits);
    size_t at = 0;
    if (negative && (n > 1 || rev[0] != '0') && at + 1 < size)
        out[at++] = '-';
    for (int i = n - 1; i >= 0 && at + 2 < size; i--) {
        out[at++] = rev[i];
        if (i == digits && digits > 0)
            out[at++] = '.';
    }
    out[at] = '\0';
}

#define FIGURE_SIZE 64

/* A weighted count, rounded to a whole person. */
static void count_text(char out[FIGURE_SIZE], int64_t weighted)
{
    put_rounded(out, FIGURE_SIZE, weighted, 0);
}

/* A weighted amount (minor units times millionths), rounded to a minor unit, as money. */
static void money_text(const struct sim_report *r, char out[FIGURE_SIZE], __int128 weighted)
{
    put_rounded(out, FIGURE_SIZE, weighted, r->minor_digits);
}

/* The figures of a cell, named as every output names them. */
enum figure {
    FIG_PERSONS,
    FIG_BASE_ELIGIBLE,
    FIG_BASE_PAID,
    FIG_BASE_UNDETERMINED,
    FIG_BASE_NOT_ENROLLED,
    FIG_BASE_COST,
    FIG_REFORM_ELIGIBLE,
    FIG_REFORM_PAID,
    FIG_REFORM_UNDETERMINED,
    FIG_REFORM_NOT_ENROLLED,
    FIG_REFORM_COST,
    FIG_COST_CHANGE,
    FIG_GAIN,
    FIG_LOSS,
    FIG_BAND, /* then one per band */
    FIGURES = FIG_BAND + SIM_BANDS
};

static const char *const figure_names[FIGURES] = {
    "persons",
    "baseline_eligible",
    "baseline_paid",
    "baseline_undetermined",
    "baseline_not_enrolled",
    "baseline_cost",
    "reform_eligible",
    "reform_paid",
    "reform_undetermined",
    "reform_not_enrolled",
    "reform_cost",
    "cost_change",
    "gain",
    "loss",
    "gain_more_5",
    "gain_less_5",
    "no_change",
    "lose_less_5",
    "lose_more_5",
};

/* 1 if figure f is money. */
static int figure_is_money(int f)
{
    return f == FIG_BASE_COST || f == FIG_REFORM_COST || f == FIG_COST_CHANGE || f == FIG_GAIN ||
           f == FIG_LOSS;
}

static void figure_text(const struct sim_report *r, const struct sim_cell *c, int f,
                        char out[FIGURE_SIZE])
{
    if (figure_is_money(f)) {
        __int128 v = f == FIG_BASE_COST     ? c->side[0].cost
                     : f == FIG_REFORM_COST ? c->side[1].cost
                     : f == FIG_GAIN        ? c->gain
                     : f == FIG_LOSS        ? c->loss
                                            : c->side[1].cost - c->side[0].cost;
        money_text(r, out, v);
        return;
    }
    int64_t v = 0;
    if (f == FIG_PERSONS)
        v = c->persons;
    else if (f >= FIG_BAND)
        v = c->band[f - FIG_BAND];
    else {
        const struct sim_side *s = &c->side[f >= FIG_REFORM_ELIGIBLE];
        int at = f >= FIG_REFORM_ELIGIBLE ? f - FIG_REFORM_ELIGIBLE : f - FIG_BASE_ELIGIBLE;
        v = at == 0 ? s->eligible : at == 1 ? s->paid : at == 2 ? s->undetermined : s->not_enrolled;
    }
    count_text(out, v);
}

static int put_ids(struct buf *out, const char *const *ids, int n, struct error *err)
{
    int rc = buf_putc(out, '[', err);
    for (int i = 0; rc == SP_OK && i < n; i++) {
        if (i > 0)
            rc = buf_putc(out, ',', err);
        if (rc == SP_OK)
            rc = buf_put_json(out, ids[i], err);
    }
    return rc == SP_OK ? buf_putc(out, ']', err) : rc;
}

static int overflowed(const struct sim_report *r, struct error *err)
{
    return r->overflow ? error_set(err, SP_BAD_INPUT,
                                   "a total passed the range of a 64-bit count: the weights are "
                                   "too large for this population")
                       : SP_OK;
}

int sim_report_json(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                    struct error *err)
{
    int rc = overflowed(r, err);
    char text[FIGURE_SIZE];
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "{\"simulation\":{\"as_of\":\"%s\",\"country\":\"%s\","
                        "\"currency\":\"%s\",\"population\":",
                        m->as_of, m->country, m->currency);
    if (rc == SP_OK)
        rc = buf_put_json(out, m->population, err);
    if (rc == SP_OK)
        rc = buf_puts(out, ",\"baseline\":", err);
    if (rc == SP_OK)
        rc = put_ids(out, m->baseline, m->n_baseline, err);
    if (rc == SP_OK)
        rc = buf_puts(out, ",\"reform\":", err);
    if (rc == SP_OK)
        rc = put_ids(out, m->reform, m->n_reform, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        ",\"digests\":{\"library\":\"%s\",\"overlays\":\"%s\",\"population\":"
                        "\"%s\"}",
                        m->digest_library, m->digest_overlays, m->digest_population);
    count_text(text, r->skipped);
    if (rc == SP_OK)
        rc = buf_printf(out, err, ",\"persons_of_other_countries\":%s},\"breakdowns\":{", text);
    int first_dim = 1;
    for (int dim = 0; rc == SP_OK && dim < SIM_DIMS; dim++) {
        rc = buf_printf(out, err, "%s\"%s\":[", first_dim ? "" : ",", dim_names[dim]);
        first_dim = 0;
        for (int i = 0; rc == SP_OK && i < r->by[dim].n; i++) {
            const struct sim_cell *c = &r->by[dim].cells[i];
            rc = buf_puts(out, i ? ",{\"group\":" : "{\"group\":", err);
            if (rc == SP_OK)
                rc = buf_put_json(out, c->label, err);
            for (int f = 0; rc == SP_OK && f < FIGURES; f++) {
                figure_text(r, c, f, text);
                rc = buf_printf(out, err, figure_is_money(f) ? ",\"%s\":\"%s\"" : ",\"%s\":%s",
                                figure_names[f], text);
            }
            if (rc == SP_OK)
                rc = buf_putc(out, '}', err);
        }
        if (rc == SP_OK)
            rc = buf_putc(out, ']', err);
    }
    return rc == SP_OK ? buf_puts(out, "}}\n", err) : rc;
}

int sim_report_csv(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                   struct error *err)
{
    (void)m;
    int rc = overflowed(r, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "breakdown,group", err);
    for (int f = 0; rc == SP_OK && f < FIGURES; f++)
        rc = buf_printf(out, err, ",%s", figure_names[f]);
    if (rc == SP_OK)
        rc = buf_puts(out, "\r\n", err);
    char text[FIGURE_SIZE];
    for (int dim = 0; rc == SP_OK && dim < SIM_DIMS; dim++) {
        for (int i = 0; rc == SP_OK && i < r->by[dim].n; i++) {
            const struct sim_cell *c = &r->by[dim].cells[i];
            rc = buf_printf(out, err, "%s,", dim_names[dim]);
            if (rc == SP_OK)
                rc = buf_put_csv(out, c->label, err);
            for (int f = 0; rc == SP_OK && f < FIGURES; f++) {
                figure_text(r, c, f, text);
                rc = buf_printf(out, err, ",%s", text);
            }
            if (rc == SP_OK)
                rc = buf_puts(out, "\r\n", err);
        }
    }
    return rc;
}

/* The columns of the text table. */
static const int table_figures[] = {FIG_PERSONS,   FIG_BASE_PAID,   FIG_REFORM_PAID,
                                    FIG_BASE_COST, FIG_REFORM_COST, FIG_COST_CHANGE,
                                    FIG_BAND + 0,  FIG_BAND + 1,    FIG_BAND + 2,
                                    FIG_BAND + 3,  FIG_BAND + 4,    FIG_REFORM_UNDETERMINED};
static const char *const table_heads[] = {
    "persons",  "paid before", "paid after", "cost before", "cost after", "change",
    "gain >5%", "gain <=5%",   "no change",  "lose <=5%",   "lose >5%",   "undetermined"};
#define TABLE_COLUMNS ((int)(sizeof table_figures / sizeof table_figures[0]))

int sim_report_table(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                     struct error *err)
{
    int rc = overflowed(r, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "Simulation on %s, %s, money in %s a year\nPopulation: %s\n"
                        "Baseline: %d overlay(s); reform: %d overlay(s)\n",
                        m->as_of, m->country, m->currency, m->population, m->n_baseline,
                        m->n_reform);
    char text[FIGURE_SIZE];
    for (int dim = 0; rc == SP_OK && dim < SIM_DIMS; dim++) {
        rc = buf_printf(out, err, "\nBy %s\n%-22s", dim_names[dim], "group");
        for (int col = 0; rc == SP_OK && col < TABLE_COLUMNS; col++)
            rc = buf_printf(out, err, " %14s", table_heads[col]);
        if (rc == SP_OK)
            rc = buf_putc(out, '\n', err);
        for (int i = 0; rc == SP_OK && i < r->by[dim].n; i++) {
            const struct sim_cell *c = &r->by[dim].cells[i];
            rc = buf_printf(out, err, "%-32s", c->label);
            for (int col = 0; rc == SP_OK && col < TABLE_COLUMNS; col++) {
                figure_text(r, c, table_figures[col], text);
                rc = buf_printf(out, err, " %14s", text);
            }
            if (rc == SP_OK)
                rc = buf_putc(out, '\n', err);
        }
    }
    return rc;
}

/* ---- HTML with SVG charts ---- */

static const char *const band_colours[SIM_BANDS] = {"#1a7f37", "#7fc97f", "#bdbdbd", "#fdae61",
                                                    "#d7191c"};

/* The share of part in whole, in tenths of a percent (0 when whole is 0). */
static int64_t per_mille(__int128 part, __int128 whole)
{
    int64_t share = report_per_mille(part, whole);
    return share < 0 ? 0 : share;
}

/* One stacked bar of the five bands for cell c, at row y. */
static int winners_bar(struct buf *out, const struct sim_cell *c, int y, struct error *err)
{
    int rc = buf_printf(out, err, "<text x=\"0\" y=\"%d\">", y + 14);
    if (rc == SP_OK)
        rc = buf_put_xml(out, c->label, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "</text>", err);
    int64_t x = 0; /* in tenths of a percent of the 600-pixel bar */
    for (int b = 0; rc == SP_OK && b < SIM_BANDS; b++) {
        int64_t w = per_mille(c->band[b], c->persons);
        if (w > 0) {
            rc = buf_printf(out, err,
                            "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"18\" fill=\"%s\">"
                            "<title>%s: %d.%d%%</title></rect>",
                            150 + (double)x * 0.6, y, (double)w * 0.6, band_colours[b],
                            band_words[b], (int)(w / 10), (int)(w % 10));
        }
        x += w;
    }
    return rc;
}

static int html_table(const struct sim_report *r, int dim, struct buf *out, struct error *err)
{
    int rc = buf_printf(out, err, "<h2>By %s</h2><div class=\"scroll\"><table><tr><th>group</th>",
                        dim_names[dim]);
    for (int col = 0; rc == SP_OK && col < TABLE_COLUMNS; col++)
        rc = buf_printf(out, err, "<th>%s</th>", table_heads[col]);
    if (rc == SP_OK)
        rc = buf_puts(out, "</tr>", err);
    char text[FIGURE_SIZE];
    for (int i = 0; rc == SP_OK && i < r->by[dim].n; i++) {
        const struct sim_cell *c = &r->by[dim].cells[i];
        rc = buf_puts(out, "<tr><th>", err);
        if (rc == SP_OK)
            rc = buf_put_xml(out, c->label, err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</th>", err);
        for (int col = 0; rc == SP_OK && col < TABLE_COLUMNS; col++) {
            figure_text(r, c, table_figures[col], text);
            rc = buf_printf(out, err, "<td>%s</td>", text);
        }
        if (rc == SP_OK)
            rc = buf_puts(out, "</tr>", err);
    }
    return rc == SP_OK ? buf_puts(out, "</table></div>", err) : rc;
}

int sim_report_html(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                    struct error *err)
{
    int rc = overflowed(r, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                        "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                        "<title>Reform simulation, %s, %s</title><style>"
                        "body{font-family:sans-serif;margin:1em;max-width:60em}"
                        ".scroll{overflow-x:auto}table{border-collapse:collapse}"
                        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                        "svg{max-width:100%%;height:auto}text{font-size:12px}</style></head><body>"
                        "<h1>Reform simulation</h1><p>%s, on %s. Money in %s a year. "
                        "Population: ",
                        m->country, m->as_of, m->country, m->as_of, m->currency);
    if (rc == SP_OK)
        rc = buf_put_xml(out, m->population, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        ".</p><p>Digests: library %s, overlays %s, population %s.</p>"
                        "<h2>Winners and losers</h2><svg role=\"img\" aria-label=\"Winners and "
                        "losers by sex and age\" viewBox=\"0 0 760 %d\">",
                        m->digest_library, m->digest_overlays, m->digest_population,
                        24 * (1 + r->by[SIM_BY_SEX].n + r->by[SIM_BY_YOUTH].n) + 30);
    int y = 4;
    const int dims[] = {SIM_BY_TOTAL, SIM_BY_SEX, SIM_BY_YOUTH};
    for (int d = 0; rc == SP_OK && d < 3; d++)
        for (int i = 0; rc == SP_OK && i < r->by[dims[d]].n; i++, y += 24)
            rc = winners_bar(out, &r->by[dims[d]].cells[i], y, err);
    for (int b = 0; rc == SP_OK && b < SIM_BANDS; b++)
        rc = buf_printf(out, err,
                        "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                        "<text x=\"%d\" y=\"%d\">%s</text>",
                        150 * b, y + 6, band_colours[b], 150 * b + 14, y + 15, band_words[b]);
    /* cost by area: the baseline and the reform side by side, scaled to the largest */
    const struct sim_breakdown *area = &r->by[SIM_BY_ADMIN1];
    __int128 largest = 1;
    for (int i = 0; i < area->n; i++)
        for (int side = 0; side < SIM_SIDES; side++)
            if (area->cells[i].side[side].cost > largest)
                largest = area->cells[i].side[side].cost;
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "</svg><h2>Cost by area</h2><svg role=\"img\" aria-label=\"Cost by area, "
                        "baseline and reform\" viewBox=\"0 0 760 %d\">",
                        30 * area->n + 30);
    char text[FIGURE_SIZE];
    for (int i = 0; rc == SP_OK && i < area->n; i++) {
        const struct sim_cell *c = &area->cells[i];
        rc = buf_printf(out, err, "<text x=\"0\" y=\"%d\">", 30 * i + 16);
        if (rc == SP_OK)
            rc = buf_put_xml(out, c->label, err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</text>", err);
        for (int side = 0; rc == SP_OK && side < SIM_SIDES; side++) {
            money_text(r, text, c->side[side].cost);
            rc = buf_printf(out, err,
                            "<rect x=\"150\" y=\"%d\" width=\"%.1f\" height=\"12\" fill=\"%s\">"
                            "<title>%s: %s</title></rect>",
                            30 * i + 4 + 13 * side,
                            (double)per_mille(c->side[side].cost, largest) * 0.5,
                            side ? "#2b83ba" : "#999999", side ? "reform" : "baseline", text);
        }
    }
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "<rect x=\"150\" y=\"%d\" width=\"10\" height=\"10\" fill=\"#999999\"/>"
                        "<text x=\"164\" y=\"%d\">baseline</text><rect x=\"260\" y=\"%d\" "
                        "width=\"10\" height=\"10\" fill=\"#2b83ba\"/><text x=\"274\" y=\"%d\">"
                        "reform</text></svg>",
                        30 * area->n + 8, 30 * area->n + 17, 30 * area->n + 8, 30 * area->n + 17);
    for (int dim = 0; rc == SP_OK && dim < SIM_DIMS; dim++)
        rc = html_table(r, dim, out, err);
    return rc == SP_OK ? buf_puts(out, "</body></html>\n", err) : rc;
}
