/*
 * disagg.c: persons counted into crossed breakdowns, and the four ways of writing them
 * (disagg.h).
 */
#include "report/disagg.h"

#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/money.h"
#include "base/text.h"

#define SLOTS_MIN   64
#define AGE_MAX     150
#define LABEL_SIZE  24
#define FIGURE_SIZE 32

static const char *const dim_names[DISAGG_DIMS] = {
    "sex",  "age_group", "worker_category", "country",  "admin1", "admin2", "scheme", "branch",
    "kind", "org",       "network",         "activity", "period",
};

const char *disagg_dim_name(enum disagg_dim dim)
{
    return dim < DISAGG_DIMS ? dim_names[dim] : "?";
}

static int is_slice_dim(enum disagg_dim dim)
{
    return dim == DISAGG_SCHEME || dim == DISAGG_BRANCH || dim == DISAGG_KIND ||
           dim == DISAGG_ORG || dim == DISAGG_NETWORK || dim == DISAGG_ACTIVITY ||
           dim == DISAGG_PERIOD;
}

int disagg_dims_parse(const char *text, enum disagg_dim *dims, int *n, struct error *err)
{
    *n = 0;
    const char *at = text;
    while (*at != '\0') {
        const char *end = strchr(at, ',');
        size_t len = end ? (size_t)(end - at) : strlen(at);
        int found = -1;
        for (int d = 0; d < DISAGG_DIMS; d++)
            if (strlen(dim_names[d]) == len && strncmp(dim_names[d], at, len) == 0)
                found = d;
        if (found < 0)
            return error_set(err, SP_BAD_INPUT,
                             "--by: unknown breakdown \"%.*s\": use sex, age_group, "
                             "worker_category, country, admin1, admin2, scheme, branch, kind, "
                             "org, network, activity or period",
                             (int)len, at);
        for (int i = 0; i < *n; i++)
            if ((int)dims[i] == found)
                return error_set(err, SP_BAD_INPUT, "--by: breakdown \"%s\" is given twice",
                                 dim_names[found]);
        dims[(*n)++] = (enum disagg_dim)found;
        if (end == NULL)
            break;
        at = end + 1;
        if (*at == '\0')
            return error_set(err, SP_BAD_INPUT,
                             "--by: a breakdown is missing after the last comma");
    }
    return SP_OK;
}

/* ---- age bands ---- */

void disagg_bands_default(struct disagg_bands *b)
{
    b->n = 2;
    b->from[0] = 0;
    b->from[1] = DISAGG_YOUTH_AGE;
}

/* Reads a whole number of years from *at, moving past it; -1 when there is none. */
static int read_years(const char **at)
{
    int v = 0, digits = 0;
    while (**at >= '0' && **at <= '9' && digits < 4) {
        v = v * 10 + (**at - '0');
        (*at)++;
        digits++;
    }
    return digits > 0 && v <= AGE_MAX ? v : -1;
}

int disagg_bands_parse(const char *text, struct disagg_bands *b, struct error *err)
{
    memset(b, 0, sizeof *b);
    const char *at = text;
    int next = 0, open = 0;
    while (*at != '\0') {
        const char *start = at;
        const char *end = strchr(at, ',');
        int len = end ? (int)(end - at) : (int)strlen(at);
        if (open || b->n == DISAGG_BANDS_MAX)
            return error_set(err, SP_BAD_INPUT,
                             "--age-groups: band \"%.*s\" comes after the last one (\"%d+\" ends "
                             "the bands; at most %d)",
                             len, start, b->from[b->n - 1], DISAGG_BANDS_MAX);
        int lo = read_years(&at), hi = -1;
        if (lo >= 0 && *at == '-') {
            at++;
            hi = read_years(&at);
        } else if (lo >= 0 && *at == '+') {
            at++;
            open = 1;
        }
        if (lo < 0 || (!open && hi < lo) || (at != start + len))
            return error_set(err, SP_BAD_INPUT,
                             "--age-groups: \"%.*s\" is not a band: write A-B or, last, A+ "
                             "(e.g. 0-14,15-24,25-64,65+)",
                             len, start);
        if (lo != next)
            return error_set(err, SP_BAD_INPUT,
                             "--age-groups: band \"%.*s\" should start at %d, the year after the "
                             "band before it ends (the first starts at 0)",
                             len, start, next);
        b->from[b->n++] = lo;
        next = hi + 1;
        if (end == NULL)
            break;
        at = end + 1;
    }
    if (!open)
        return error_set(err, SP_BAD_INPUT,
                         "--age-groups: \"%s\": the last band must be open, such as \"65+\"", text);
    return SP_OK;
}

/* The band of age (0-based), b->n when the age is not given. */
static int band_of(const struct disagg_bands *b, int age)
{
    if (age < 0)
        return b->n;
    int i = b->n - 1;
    while (i > 0 && age < b->from[i])
        i--;
    return i;
}

static int is_default_bands(const struct disagg_bands *b)
{
    return b->n == 2 && b->from[0] == 0 && b->from[1] == DISAGG_YOUTH_AGE;
}

static void band_label(const struct disagg_bands *b, int i, char out[LABEL_SIZE])
{
    if (i >= b->n)
        snprintf(out, LABEL_SIZE, "age_not_given");
    else if (is_default_bands(b))
        snprintf(out, LABEL_SIZE, "%s", i == 0 ? "under_35" : "35_and_over");
    else if (i == b->n - 1)
        snprintf(out, LABEL_SIZE, "%d+", b->from[i]);
    else
        snprintf(out, LABEL_SIZE, "%d-%d", b->from[i], b->from[i + 1] - 1);
}

void disagg_age_label(const struct disagg_bands *b, int age, char out[24])
{
    band_label(b, band_of(b, age), out);
}

/* ---- counting ---- */

static int count_words(const char *const *words)
{
    int n = 0;
    while (words[n] != NULL)
        n++;
    return n;
}

int disagg_init(struct disagg_table *t, const struct disagg_spec *spec, struct error *err)
{
    memset(t, 0, sizeof *t);
    t->spec = *spec;
    for (int d = 0; d < DISAGG_DIMS; d++)
        report_labels_init(&t->groups[d]);
    if (spec->n_measures < 1 || spec->n_measures > DISAGG_MEASURES_MAX)
        return error_set(err, SP_BAD_INPUT, "an indicator counts 1 to %d measures",
                         DISAGG_MEASURES_MAX);
    if (spec->rate != NULL && (spec->rate_of < 0 || spec->rate_of >= spec->n_measures ||
                               spec->rate_over < 0 || spec->rate_over >= spec->n_measures))
        return error_set(err, SP_BAD_INPUT, "rate %s names a measure the indicator lacks",
                         spec->rate);
    if (spec->currency != NULL &&
        (spec->money < 1 || spec->money >= spec->n_measures ||
         (spec->currency[0] != '\0' && currency_find(spec->currency) == NULL)))
        return error_set(err, SP_BAD_INPUT, "the amount's measure or currency %s is not known",
                         spec->currency);
    if (spec->bands.n < 1)
        disagg_bands_default(&t->spec.bands);
    for (int p = 0; p < spec->n_by; p++) {
        enum disagg_dim dim = spec->by[p];
        t->slices |= is_slice_dim(dim);
        char label[LABEL_SIZE];
        int n = 0, rc = 0;
        if (dim == DISAGG_SEX || dim == DISAGG_CATEGORY) {
            const char *const *words = dim == DISAGG_SEX ? person_sex_words : person_worker_words;
            n = count_words(words);
            for (int i = 0; rc >= 0 && i < n; i++)
                rc = report_labels_find(&t->groups[p], words[i], err);
            if (rc >= 0)
                rc = report_labels_find(&t->groups[p], "not_given", err);
            n++;
        } else if (dim == DISAGG_AGE_GROUP) {
            n = t->spec.bands.n + 1;
            for (int i = 0; rc >= 0 && i < n; i++) {
                band_label(&t->spec.bands, i, label);
                rc = report_labels_find(&t->groups[p], label, err);
            }
        }
        if (rc < 0)
            return SP_IO;
        t->n_fixed[p] = n;
    }
    return SP_OK;
}

void disagg_release(struct disagg_table *t)
{
    if (t == NULL)
        return;
    for (int d = 0; d < DISAGG_DIMS; d++)
        report_labels_release(&t->groups[d]);
    sp_free(t->cells);
    sp_free(t->keys);
    sp_free(t->slots);
    sp_free(t->touched);
    sp_free(t->touched_m);
    sp_free(t->touched_amount);
    memset(t, 0, sizeof *t);
}

static uint32_t key_hash(const int32_t *key, int n)
{
    uint32_t h = 2166136261u;
    for (int i = 0; i < n; i++)
        h = (h ^ (uint32_t)key[i]) * 16777619u;
    return h;
}

static int reindex(struct disagg_table *t, int n_slots, struct error *err)
{
    int32_t *slots = sp_calloc((size_t)n_slots, sizeof *slots);
    if (slots == NULL)
        return error_nomem(err);
    int nb = t->spec.n_by;
    for (int i = 0; i < t->n; i++) {
        uint32_t at = key_hash(&t->keys[(size_t)i * nb], nb) & (uint32_t)(n_slots - 1);
        while (slots[at] != 0)
            at = (at + 1) & (uint32_t)(n_slots - 1);
        slots[at] = i + 1;
    }
    sp_free(t->slots);
    t->slots = slots;
    t->n_slots = n_slots;
    return SP_OK;
}

/* The cell of key (n_by group numbers), added when new; -1 when out of memory. */
static int find_cell(struct disagg_table *t, const int32_t *key, struct error *err)
{
    int nb = t->spec.n_by;
    size_t bytes = (size_t)nb * sizeof *key;
    if (t->n_slots > 0) {
        uint32_t at = key_hash(key, nb) & (uint32_t)(t->n_slots - 1);
        for (; t->slots[at] != 0; at = (at + 1) & (uint32_t)(t->n_slots - 1))
            if (memcmp(&t->keys[(size_t)(t->slots[at] - 1) * nb], key, bytes) == 0)
                return t->slots[at] - 1;
    }
    if ((t->n + 1) * 2 >= t->n_slots &&
        reindex(t, t->n_slots ? t->n_slots * 2 : SLOTS_MIN, err) != SP_OK)
        return -1;
    if (t->n == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        struct disagg_cell *cells = sp_reallocarray(t->cells, (size_t)cap, sizeof *cells);
        if (cells == NULL)
            return error_nomem(err), -1;
        t->cells = cells;
        int32_t *keys =
            sp_reallocarray(t->keys, (size_t)cap * (size_t)(nb > 0 ? nb : 1), sizeof *keys);
        if (keys == NULL)
            return error_nomem(err), -1;
        t->keys = keys;
        t->cap = cap;
    }
    int i = t->n++;
    memset(&t->cells[i], 0, sizeof t->cells[i]);
    memcpy(&t->keys[(size_t)i * nb], key, bytes);
    uint32_t at = key_hash(key, nb) & (uint32_t)(t->n_slots - 1);
    while (t->slots[at] != 0)
        at = (at + 1) & (uint32_t)(t->n_slots - 1);
    t->slots[at] = i + 1;
    return i;
}

/* The money measure of t's spec, or -1. */
static int money_measure(const struct disagg_spec *s)
{
    return s->currency != NULL ? s->money : -1;
}

static void count_into(struct disagg_table *t, struct disagg_cell *c, const uint8_t *m, int woman,
                       int young, int64_t count, int64_t amount)
{
    int money = money_measure(&t->spec);
    for (int i = 0; i < t->spec.n_measures; i++) {
        if (!m[i])
            continue;
        int64_t add = i == money ? amount : count;
        c->m[i].n += add;
        c->m[i].women += woman ? add : 0;
        c->m[i].under_35 += young ? add : 0;
    }
}

/* The group number of a text fact ("" is not_given) at breakdown position p; -1: no memory. */
static int text_group(struct disagg_table *t, int p, const char *text, struct error *err)
{
    return report_labels_find(&t->groups[p], text != NULL && text[0] ? text : "not_given", err);
}

/* Fills key with the person's groups at every breakdown that is a fact of the person. */
static int person_key(struct disagg_table *t, const struct disagg_unit *u, int32_t *key,
                      struct error *err)
{
    const struct person *p = u->person;
    for (int pos = 0; pos < t->spec.n_by; pos++) {
        int g = 0;
        switch (t->spec.by[pos]) {
        case DISAGG_SEX:
            g = p->sex >= SEX_FEMALE && p->sex <= SEX_OTHER ? (int)p->sex - 1 : t->n_fixed[pos] - 1;
            break;
        case DISAGG_AGE_GROUP:
            g = band_of(&t->spec.bands, u->age);
            if (u->age < 0 && u->youth != 0 && is_default_bands(&t->spec.bands))
                g = u->youth == 1 ? 0 : 1;
            break;
        case DISAGG_CATEGORY:
            g = p->worker_category >= 1 && p->worker_category < t->n_fixed[pos]
                    ? (int)p->worker_category - 1
                    : t->n_fixed[pos] - 1;
            break;
        case DISAGG_COUNTRY:
            g = text_group(t, pos, p->country, err);
            break;
        case DISAGG_ADMIN1:
            g = text_group(t, pos, p->admin1, err);
            break;
        case DISAGG_ADMIN2:
            g = text_group(t, pos, p->admin2, err);
            break;
        default:
            g = 0; /* a slice's: filled per slice */
            break;
        }
        if (g < 0)
            return SP_IO;
        key[pos] = g;
    }
    return SP_OK;
}

static int grow_touched(struct disagg_table *t, int need, struct error *err)
{
    if (need <= t->touched_cap)
        return SP_OK;
    int cap = t->touched_cap ? t->touched_cap : 16;
    while (cap < need)
        cap *= 2;
    int *touched = sp_reallocarray(t->touched, (size_t)cap, sizeof *touched);
    if (touched == NULL)
        return error_nomem(err);
    t->touched = touched;
    uint8_t(*m)[DISAGG_MEASURES_MAX] = sp_reallocarray(t->touched_m, (size_t)cap, sizeof *m);
    if (m == NULL)
        return error_nomem(err);
    t->touched_m = m;
    int64_t *amount = sp_reallocarray(t->touched_amount, (size_t)cap, sizeof *amount);
    if (amount == NULL)
        return error_nomem(err);
    t->touched_amount = amount;
    t->touched_cap = cap;
    return SP_OK;
}

int disagg_add(struct disagg_table *t, const struct disagg_unit *u, struct error *err)
{
    int woman = u->person->sex == SEX_FEMALE;
    int young = u->youth != 0 ? u->youth == 1 : u->age >= 0 && u->age < DISAGG_YOUTH_AGE;
    int64_t count = u->count > 0 ? u->count : 1;
    t->persons += count;
    count_into(t, &t->total, u->m, woman, young, count, u->amount);
    int nb = t->spec.n_by;
    if (nb == 0)
        return SP_OK;
    int32_t key[DISAGG_DIMS];
    if (person_key(t, u, key, err) != SP_OK)
        return SP_IO;
    if (!t->slices) {
        int c = find_cell(t, key, err);
        if (c < 0)
            return SP_IO;
        count_into(t, &t->cells[c], u->m, woman, young, count, u->amount);
        return SP_OK;
    }
    if (grow_touched(t, u->n_slices, err) != SP_OK)
        return SP_IO;
    int n_touched = 0;
    for (int s = 0; s < u->n_slices; s++) {
        const struct disagg_slice *sl = &u->slices[s];
        for (int pos = 0; pos < nb; pos++) {
            enum disagg_dim dim = t->spec.by[pos];
            if (!is_slice_dim(dim))
                continue;
            const char *text = dim == DISAGG_SCHEME    ? sl->scheme
                               : dim == DISAGG_BRANCH  ? sl->branch
                               : dim == DISAGG_KIND    ? sl->kind
                               : dim == DISAGG_ORG     ? sl->org
                               : dim == DISAGG_NETWORK ? sl->network
                               : dim == DISAGG_PERIOD  ? sl->period
                                                       : sl->activity;
            key[pos] = text_group(t, pos, text, err);
            if (key[pos] < 0)
                return SP_IO;
        }
        int c = find_cell(t, key, err);
        if (c < 0)
            return SP_IO;
        int at = 0;
        while (at < n_touched && t->touched[at] != c)
            at++;
        if (at == n_touched) {
            t->touched[n_touched++] = c;
            memset(t->touched_m[at], 0, sizeof t->touched_m[at]);
            t->touched_amount[at] = 0;
        }
        for (int i = 0; i < DISAGG_MEASURES_MAX; i++)
            t->touched_m[at][i] |= sl->m[i];
        t->touched_amount[at] += sl->amount;
    }
    for (int i = 0; i < n_touched; i++)
        count_into(t, &t->cells[t->touched[i]], t->touched_m[i], woman, young, count,
                   t->touched_amount[i]);
    return SP_OK;
}

/* ---- the figures of a cell ---- */

/* What is written of one cell: each figure's text, "" when not given or suppressed. */
struct shown {
    char count[DISAGG_MEASURES_MAX][FIGURE_SIZE];
    char women[DISAGG_MEASURES_MAX][REPORT_SHARE_SIZE];
    char young[DISAGG_MEASURES_MAX][REPORT_SHARE_SIZE];
    char rate[REPORT_SHARE_SIZE];
    int64_t rate_per_mille; /* -1 when not shown */
    int64_t headline;       /* the headline count, -1 when not shown */
    int suppressed;         /* 1 if anything was held back */
};

static int small(const struct disagg_meta *m, int64_t n)
{
    return m->is_public && n > 0 && n < m->k;
}

/* The measure a chart draws: the rate's, or else the first. */
static int headline_measure(const struct disagg_spec *s)
{
    return s->rate != NULL ? s->rate_of : 0;
}

static void cell_shown(const struct disagg_table *t, const struct disagg_cell *c,
                       const struct disagg_meta *m, struct shown *out)
{
    memset(out, 0, sizeof *out);
    const struct disagg_spec *s = &t->spec;
    int whole = small(m, c->m[0].n);
    int money = money_measure(s);
    const struct disagg_count *persons = &c->m[0];
    out->suppressed = whole;
    for (int i = 0; i < s->n_measures; i++) {
        const struct disagg_count *k = &c->m[i];
        /* an amount is held back with its persons, its shares with the persons' */
        const struct disagg_count *by = i == money ? persons : k;
        if (whole || small(m, by->n)) {
            out->suppressed = 1;
            continue;
        }
        if (i == money && s->currency[0] != '\0') {
            struct money amount = {.minor = k->n};
            text_copy(amount.currency, sizeof amount.currency, s->currency);
            money_format(amount, out->count[i], FIGURE_SIZE);
        } else {
            snprintf(out->count[i], FIGURE_SIZE, "%lld", (long long)k->n);
        }
        if (small(m, by->women) || small(m, by->n - by->women))
            out->suppressed = 1;
        else
            report_share_text(out->women[i], report_per_mille(k->women, k->n));
        if (small(m, by->under_35) || small(m, by->n - by->under_35))
            out->suppressed = 1;
        else
            report_share_text(out->young[i], report_per_mille(k->under_35, k->n));
    }
    out->rate_per_mille = -1;
    if (s->rate != NULL) {
        const struct disagg_count *of = &c->m[s->rate_of], *over = &c->m[s->rate_over];
        if (whole || small(m, of->n) || small(m, over->n))
            out->suppressed = 1;
        else
            out->rate_per_mille = report_per_mille(of->n, over->n);
        report_share_text(out->rate, out->rate_per_mille);
    }
    int h = headline_measure(s);
    out->headline = out->count[h][0] ? c->m[h].n : -1;
}

/* ---- the order of the cells ---- */

struct order {
    int32_t rank[DISAGG_DIMS];
    int cell;
};

static int compare_order(const void *a, const void *b)
{
    const struct order *x = a, *y = b;
    for (int i = 0; i < DISAGG_DIMS; i++)
        if (x->rank[i] != y->rank[i])
            return x->rank[i] < y->rank[i] ? -1 : 1;
    return 0;
}

struct label_rank {
    const char *label;
    int group;
};

static int compare_labels(const void *a, const void *b)
{
    return strcmp(((const struct label_rank *)a)->label, ((const struct label_rank *)b)->label);
}

/* The cells in writing order into *out (t->n of them; the caller frees it). */
static int cell_order(const struct disagg_table *t, struct order **out, struct error *err)
{
    int nb = t->spec.n_by;
    *out = sp_calloc(t->n > 0 ? (size_t)t->n : 1, sizeof **out);
    int32_t *rank[DISAGG_DIMS] = {0};
    int rc = *out == NULL ? error_nomem(err) : SP_OK;
    for (int p = 0; rc == SP_OK && p < nb; p++) {
        const struct report_labels *l = &t->groups[p];
        rank[p] = sp_calloc(l->n > 0 ? (size_t)l->n : 1, sizeof *rank[p]);
        struct label_rank *sorted = sp_calloc(l->n > 0 ? (size_t)l->n : 1, sizeof *sorted);
        if (rank[p] == NULL || sorted == NULL) {
            sp_free(sorted);
            rc = error_nomem(err);
            break;
        }
        int fixed = t->n_fixed[p];
        for (int g = 0; g < l->n; g++)
            sorted[g] = (struct label_rank){l->labels[g], g};
        if (l->n > fixed)
            qsort(sorted + fixed, (size_t)(l->n - fixed), sizeof *sorted, compare_labels);
        for (int g = 0; g < l->n; g++)
            rank[p][sorted[g].group] = g;
        sp_free(sorted);
    }
    for (int i = 0; rc == SP_OK && i < t->n; i++) {
        (*out)[i].cell = i;
        for (int p = 0; p < nb; p++)
            (*out)[i].rank[p] = rank[p][t->keys[(size_t)i * nb + p]];
    }
    if (rc == SP_OK && t->n > 1)
        qsort(*out, (size_t)t->n, sizeof **out, compare_order);
    for (int p = 0; p < DISAGG_DIMS; p++)
        sp_free(rank[p]);
    return rc;
}

/* The label of cell i at breakdown position p. */
static const char *group_of(const struct disagg_table *t, int cell, int p)
{
    return t->groups[p].labels[t->keys[(size_t)cell * t->spec.n_by + p]];
}

/* ---- CSV ---- */

static int csv_header(const struct disagg_table *t, struct buf *out, struct error *err)
{
    const struct disagg_spec *s = &t->spec;
    int rc = SP_OK;
    for (int p = 0; rc == SP_OK && p < s->n_by; p++)
        rc = buf_printf(out, err, "%s,", dim_names[s->by[p]]);
    for (int i = 0; rc == SP_OK && i < s->n_measures; i++)
        rc = buf_printf(out, err, "%s%s,%s_women_pct,%s_under_35_pct", i ? "," : "", s->measures[i],
                        s->measures[i], s->measures[i]);
    if (rc == SP_OK && s->rate != NULL)
        rc = buf_printf(out, err, ",%s_pct", s->rate);
    if (rc == SP_OK && s->currency != NULL)
        rc = buf_puts(out, ",currency", err);
    return rc == SP_OK ? buf_puts(out, ",suppressed\r\n", err) : rc;
}

static int csv_figures(const struct disagg_table *t, const struct shown *f, struct buf *out,
                       struct error *err)
{
    int rc = SP_OK;
    for (int i = 0; rc == SP_OK && i < t->spec.n_measures; i++)
        rc =
            buf_printf(out, err, "%s%s,%s,%s", i ? "," : "", f->count[i], f->women[i], f->young[i]);
    if (rc == SP_OK && t->spec.rate != NULL)
        rc = buf_printf(out, err, ",%s", f->rate);
    if (rc == SP_OK && t->spec.currency != NULL)
        rc = buf_printf(out, err, ",%s", t->spec.currency);
    return rc == SP_OK ? buf_printf(out, err, ",%d\r\n", f->suppressed) : rc;
}

int disagg_write_csv(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                     struct error *err)
{
    struct order *order = NULL;
    int rc = cell_order(t, &order, err);
    if (rc == SP_OK)
        rc = csv_header(t, out, err);
    struct shown f;
    for (int p = 0; rc == SP_OK && p < t->spec.n_by; p++)
        rc = buf_puts(out, "all,", err);
    cell_shown(t, &t->total, m, &f);
    if (rc == SP_OK)
        rc = csv_figures(t, &f, out, err);
    for (int i = 0; rc == SP_OK && i < t->n; i++) {
        int c = order[i].cell;
        for (int p = 0; rc == SP_OK && p < t->spec.n_by; p++) {
            rc = buf_put_csv(out, group_of(t, c, p), err);
            if (rc == SP_OK)
                rc = buf_putc(out, ',', err);
        }
        cell_shown(t, &t->cells[c], m, &f);
        if (rc == SP_OK)
            rc = csv_figures(t, &f, out, err);
    }
    sp_free(order);
    return rc;
}

/* ---- JSON ---- */

static int json_text_or_null(struct buf *out, const char *name, const char *text, struct error *err)
{
    return buf_printf(out, err, ",\"%s\":%s", name, text[0] ? text : "null");
}

static int json_cell(const struct disagg_table *t, const struct disagg_cell *c, int cell,
                     const struct disagg_meta *m, struct buf *out, struct error *err)
{
    const struct disagg_spec *s = &t->spec;
    int rc = buf_putc(out, '{', err);
    for (int p = 0; rc == SP_OK && p < s->n_by; p++) {
        rc = buf_printf(out, err, "%s\"%s\":", p ? "," : "", dim_names[s->by[p]]);
        if (rc == SP_OK)
            rc = buf_put_json(out, cell < 0 ? "all" : group_of(t, cell, p), err);
    }
    if (rc == SP_OK && s->n_by == 0)
        rc = buf_puts(out, "\"group\":\"all\"", err);
    struct shown f;
    cell_shown(t, c, m, &f);
    char name[96];
    for (int i = 0; rc == SP_OK && i < s->n_measures; i++) {
        rc = json_text_or_null(out, s->measures[i], f.count[i], err);
        snprintf(name, sizeof name, "%s_women_pct", s->measures[i]);
        if (rc == SP_OK)
            rc = json_text_or_null(out, name, f.women[i], err);
        snprintf(name, sizeof name, "%s_under_35_pct", s->measures[i]);
        if (rc == SP_OK)
            rc = json_text_or_null(out, name, f.young[i], err);
    }
    if (rc == SP_OK && s->rate != NULL) {
        snprintf(name, sizeof name, "%s_pct", s->rate);
        rc = json_text_or_null(out, name, f.rate, err);
    }
    return rc == SP_OK
               ? buf_printf(out, err, ",\"suppressed\":%s}", f.suppressed ? "true" : "false")
               : rc;
}

static int json_meta_text(struct buf *out, const char *name, const char *text, struct error *err)
{
    int rc = buf_printf(out, err, ",\"%s\":", name);
    if (rc == SP_OK)
        rc = text != NULL ? buf_put_json(out, text, err) : buf_puts(out, "null", err);
    return rc;
}

int disagg_write_json(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                      struct error *err)
{
    const struct disagg_spec *s = &t->spec;
    struct order *order = NULL;
    int rc = cell_order(t, &order, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "{\"report\":{\"indicator\":", err);
    if (rc == SP_OK)
        rc = buf_put_json(out, s->indicator, err);
    if (rc == SP_OK)
        rc = json_meta_text(out, "title", s->title, err);
    if (rc == SP_OK)
        rc = json_meta_text(out, "as_of", m->as_of, err);
    if (rc == SP_OK)
        rc = json_meta_text(out, "period", m->period, err);
    if (rc == SP_OK)
        rc = json_meta_text(out, "population", m->population, err);
    if (rc == SP_OK)
        rc = json_meta_text(out, "note", m->note, err);
    if (rc == SP_OK && t->summary[0])
        rc = json_meta_text(out, "summary", t->summary, err);
    if (rc == SP_OK && s->currency != NULL)
        rc = json_meta_text(out, "currency", s->currency, err);
    if (rc == SP_OK)
        rc = buf_puts(out, ",\"by\":[", err);
    for (int p = 0; rc == SP_OK && p < s->n_by; p++)
        rc = buf_printf(out, err, "%s\"%s\"", p ? "," : "", dim_names[s->by[p]]);
    if (rc == SP_OK)
        rc = buf_puts(out, "],\"age_groups\":[", err);
    char label[LABEL_SIZE];
    for (int i = 0; rc == SP_OK && i <= s->bands.n; i++) {
        band_label(&s->bands, i, label);
        rc = buf_printf(out, err, "%s\"%s\"", i ? "," : "", label);
    }
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        "],\"public\":%s,\"k\":%d},\"total\":", m->is_public ? "true" : "false",
                        m->k);
    if (rc == SP_OK)
        rc = json_cell(t, &t->total, -1, m, out, err);
    if (rc == SP_OK)
        rc = buf_puts(out, ",\"cells\":[", err);
    for (int i = 0; rc == SP_OK && i < t->n; i++) {
        if (i > 0)
            rc = buf_putc(out, ',', err);
        if (rc == SP_OK)
            rc = json_cell(t, &t->cells[order[i].cell], order[i].cell, m, out, err);
    }
    sp_free(order);
    return rc == SP_OK ? buf_puts(out, "]}\n", err) : rc;
}

/* ---- text table ---- */

static int table_row(const struct disagg_table *t, const struct disagg_cell *c, int cell,
                     const struct disagg_meta *m, struct buf *out, struct error *err)
{
    int rc = SP_OK;
    for (int p = 0; rc == SP_OK && p < t->spec.n_by; p++)
        rc = buf_printf(out, err, "%-18s ", cell < 0 ? "all" : group_of(t, cell, p));
    struct shown f;
    cell_shown(t, c, m, &f);
    for (int i = 0; rc == SP_OK && i < t->spec.n_measures; i++)
        rc = buf_printf(out, err, "%13s %8s %8s", f.count[i][0] ? f.count[i] : "*",
                        f.women[i][0] ? f.women[i] : "-", f.young[i][0] ? f.young[i] : "-");
    if (rc == SP_OK && t->spec.rate != NULL)
        rc = buf_printf(out, err, " %10s", f.rate[0] ? f.rate : f.suppressed ? "*" : "-");
    return rc == SP_OK ? buf_putc(out, '\n', err) : rc;
}

int disagg_write_table(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                       struct error *err)
{
    const struct disagg_spec *s = &t->spec;
    struct order *order = NULL;
    int rc = cell_order(t, &order, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, "%s on %s%s%s\nPopulation: %s\n", s->title, m->as_of,
                        m->period ? ", period " : "", m->period ? m->period : "", m->population);
    if (rc == SP_OK && m->note != NULL)
        rc = buf_printf(out, err, "%s\n", m->note);
    if (rc == SP_OK && t->summary[0])
        rc = buf_printf(out, err, "%s\n", t->summary);
    if (rc == SP_OK && s->currency != NULL)
        rc = buf_printf(out, err, "Amounts in %s.\n", s->currency);
    if (rc == SP_OK && m->is_public)
        rc = buf_printf(out, err, "Public: counts under %d not shown (*).\n", m->k);
    if (rc == SP_OK)
        rc = buf_putc(out, '\n', err);
    for (int p = 0; rc == SP_OK && p < s->n_by; p++)
        rc = buf_printf(out, err, "%-18s ", dim_names[s->by[p]]);
    for (int i = 0; rc == SP_OK && i < s->n_measures; i++)
        rc = buf_printf(out, err, "%13s %8s %8s", s->measures[i], "women%", "<35%");
    if (rc == SP_OK && s->rate != NULL)
        rc = buf_printf(out, err, " %9s%%", s->rate);
    if (rc == SP_OK)
        rc = buf_putc(out, '\n', err);
    if (rc == SP_OK)
        rc = table_row(t, &t->total, -1, m, out, err);
    for (int i = 0; rc == SP_OK && i < t->n; i++)
        rc = table_row(t, &t->cells[order[i].cell], order[i].cell, m, out, err);
    sp_free(order);
    return rc;
}

/* ---- HTML with an SVG bar chart ---- */

#define BAR_X     280 /* where bars start */
#define BAR_WIDTH 400 /* the longest bar */
#define ROW       22  /* one bar's row */

/* The label of a cell for people: "female, under_35", or "all". */
static int put_cell_label(const struct disagg_table *t, int cell, struct buf *out,
                          struct error *err)
{
    if (cell < 0 || t->spec.n_by == 0)
        return buf_puts(out, "all", err);
    int rc = SP_OK;
    for (int p = 0; rc == SP_OK && p < t->spec.n_by; p++) {
        if (p > 0)
            rc = buf_puts(out, ", ", err);
        if (rc == SP_OK)
            rc = buf_put_xml(out, group_of(t, cell, p), err);
    }
    return rc;
}

/* One bar at row y: its length is value over largest; text is written beside it. */
static int svg_bar(const struct disagg_table *t, const struct disagg_cell *c, int cell, int y,
                   int64_t largest, const struct disagg_meta *m, struct buf *out, struct error *err)
{
    struct shown f;
    cell_shown(t, c, m, &f);
    int rate = t->spec.rate != NULL;
    int64_t value = rate ? f.rate_per_mille : f.headline;
    int rc = buf_printf(out, err, "<g class=\"bar\"><text x=\"0\" y=\"%d\">", y + 14);
    if (rc == SP_OK)
        rc = put_cell_label(t, cell, out, err);
    if (rc == SP_OK)
        rc = buf_puts(out, "</text>", err);
    if (rc != SP_OK)
        return rc;
    if (value < 0)
        return buf_printf(out, err, "<text x=\"%d\" y=\"%d\" class=\"value\">%s</text></g>", BAR_X,
                          y + 14, f.suppressed ? "suppressed" : "no persons");
    int64_t width = largest > 0 ? (value * BAR_WIDTH * 10 / largest + 5) / 10 : 0;
    char text[FIGURE_SIZE];
    if (rate)
        snprintf(text, sizeof text, "%s%%", f.rate);
    else
        snprintf(text, sizeof text, "%lld", (long long)value);
    rc = buf_printf(out, err,
                    "<rect x=\"%d\" y=\"%d\" width=\"%lld\" height=\"16\" fill=\"#2b83ba\">"
                    "<title>",
                    BAR_X, y + 2, (long long)width);
    if (rc == SP_OK)
        rc = put_cell_label(t, cell, out, err);
    if (rc == SP_OK)
        rc = buf_printf(
            out, err, ": %s</title></rect><text x=\"%lld\" y=\"%d\" class=\"value\">%s</text></g>",
            text, (long long)(BAR_X + width + 6), y + 14, text);
    return rc;
}

static int html_row(const struct disagg_table *t, const struct disagg_cell *c, int cell,
                    const struct disagg_meta *m, struct buf *out, struct error *err)
{
    int rc = buf_puts(out, "<tr>", err);
    for (int p = 0; rc == SP_OK && p < t->spec.n_by; p++) {
        rc = buf_puts(out, "<th>", err);
        if (rc == SP_OK)
            rc = buf_put_xml(out, cell < 0 ? "all" : group_of(t, cell, p), err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</th>", err);
    }
    struct shown f;
    cell_shown(t, c, m, &f);
    for (int i = 0; rc == SP_OK && i < t->spec.n_measures; i++)
        rc = buf_printf(out, err, "<td>%s</td><td>%s</td><td>%s</td>",
                        f.count[i][0] ? f.count[i] : "*", f.women[i][0] ? f.women[i] : "-",
                        f.young[i][0] ? f.young[i] : "-");
    if (rc == SP_OK && t->spec.rate != NULL)
        rc = buf_printf(out, err, "<td>%s</td>", f.rate[0] ? f.rate : f.suppressed ? "*" : "-");
    return rc == SP_OK ? buf_puts(out, "</tr>", err) : rc;
}

int disagg_write_html(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                      struct error *err)
{
    const struct disagg_spec *s = &t->spec;
    struct order *order = NULL;
    int rc = cell_order(t, &order, err);
    if (rc == SP_OK)
        rc = buf_puts(out,
                      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                      "<title>",
                      err);
    if (rc == SP_OK)
        rc = buf_put_xml(out, s->title, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err,
                        ", %s</title><style>body{font-family:sans-serif;margin:1em;max-width:60em}"
                        ".scroll{overflow-x:auto}table{border-collapse:collapse}"
                        "td,th{border:1px solid #ccc;padding:2px 6px;text-align:right}"
                        "svg{max-width:100%%;height:auto}text{font-size:12px}</style></head>"
                        "<body><h1>",
                        m->as_of);
    if (rc == SP_OK)
        rc = buf_put_xml(out, s->title, err);
    if (rc == SP_OK)
        rc = buf_printf(out, err, "</h1><p>On %s%s%s. Population: ", m->as_of,
                        m->period ? ", period " : "", m->period ? m->period : "");
    if (rc == SP_OK)
        rc = buf_put_xml(out, m->population, err);
    if (rc == SP_OK)
        rc = buf_puts(out, ".</p>", err);
    if (rc == SP_OK && m->note != NULL) {
        rc = buf_puts(out, "<p>", err);
        if (rc == SP_OK)
            rc = buf_put_xml(out, m->note, err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</p>", err);
    }
    if (rc == SP_OK && t->summary[0]) {
        rc = buf_puts(out, "<p>", err);
        if (rc == SP_OK)
            rc = buf_put_xml(out, t->summary, err);
        if (rc == SP_OK)
            rc = buf_puts(out, "</p>", err);
    }
    if (rc == SP_OK && s->currency != NULL)
        rc = buf_printf(out, err, "<p>Amounts in %s.</p>", s->currency);
    struct shown total;
    cell_shown(t, &t->total, m, &total);
    int h = headline_measure(s);
    if (rc == SP_OK && total.count[h][0])
        rc = buf_printf(out, err,
                        "<p class=\"headline\"><strong>%s %s</strong> (%s%% women and %s%% under "
                        "35 years)",
                        total.count[h], s->measures[h], total.women[h][0] ? total.women[h] : "-",
                        total.young[h][0] ? total.young[h] : "-");
    if (rc == SP_OK && total.count[h][0] && s->rate != NULL && total.rate[0])
        rc = buf_printf(out, err, ": %s %s%%", s->rate, total.rate);
    if (rc == SP_OK && total.count[h][0])
        rc = buf_puts(out, ".</p>", err);
    if (rc == SP_OK && m->is_public)
        rc = buf_printf(out, err, "<p>Public: counts under %d are not shown (*).</p>", m->k);
    /* the chart: the total, then each cell; rates on 0..100%, counts scaled to the largest */
    int64_t largest = s->rate != NULL ? 1000 : 0;
    for (int i = -1; s->rate == NULL && i < t->n; i++) {
        struct shown f;
        cell_shown(t, i < 0 ? &t->total : &t->cells[i], m, &f);
        if (f.headline > largest)
            largest = f.headline;
    }
    if (rc == SP_OK) {
        rc = buf_printf(out, err,
                        "<h2>%s%s</h2><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                        "aria-label=\"%s by breakdown\" viewBox=\"0 0 760 %d\">",
                        s->rate ? s->rate : s->measures[h], s->rate ? " (%)" : "",
                        s->rate ? s->rate : s->measures[h], ROW * (t->n + 1) + 8);
    }
    if (rc == SP_OK)
        rc = svg_bar(t, &t->total, -1, 0, largest, m, out, err);
    for (int i = 0; rc == SP_OK && i < t->n; i++)
        rc = svg_bar(t, &t->cells[order[i].cell], order[i].cell, ROW * (i + 1), largest, m, out,
                     err);
    if (rc == SP_OK)
        rc = buf_puts(out, "</svg><div class=\"scroll\"><table><tr>", err);
    for (int p = 0; rc == SP_OK && p < s->n_by; p++)
        rc = buf_printf(out, err, "<th>%s</th>", dim_names[s->by[p]]);
    for (int i = 0; rc == SP_OK && i < s->n_measures; i++)
        rc = buf_printf(out, err, "<th>%s</th><th>women %%</th><th>under 35 %%</th>",
                        s->measures[i]);
    if (rc == SP_OK && s->rate != NULL)
        rc = buf_printf(out, err, "<th>%s %%</th>", s->rate);
    if (rc == SP_OK)
        rc = buf_puts(out, "</tr>", err);
    if (rc == SP_OK)
        rc = html_row(t, &t->total, -1, m, out, err);
    for (int i = 0; rc == SP_OK && i < t->n; i++)
        rc = html_row(t, &t->cells[order[i].cell], order[i].cell, m, out, err);
    sp_free(order);
    return rc == SP_OK ? buf_puts(out, "</table></div></body></html>\n", err) : rc;
}

/* ---- for other outputs ---- */

int disagg_each_cell(const struct disagg_table *t, const struct disagg_meta *m,
                     int (*visit)(void *ctx, const struct disagg_figures *f), void *ctx,
                     struct error *err)
{
    struct order *order = NULL;
    int rc = cell_order(t, &order, err);
    for (int i = -1; rc == SP_OK && i < t->n; i++) {
        int cell = i < 0 ? -1 : order[i].cell;
        struct shown shown;
        cell_shown(t, cell < 0 ? &t->total : &t->cells[cell], m, &shown);
        struct disagg_figures f = {
            .cell = cell, .rate = shown.rate, .suppressed = shown.suppressed};
        for (int p = 0; p < t->spec.n_by; p++)
            f.groups[p] = cell < 0 ? "all" : group_of(t, cell, p);
        for (int k = 0; k < t->spec.n_measures; k++)
            f.count[k] = shown.count[k];
        rc = visit(ctx, &f);
    }
    sp_free(order);
    return rc;
}
