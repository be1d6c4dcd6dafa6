/*
 * disagg.h: disaggregation, the core of every indicator (docs/reports.md): persons counted
 * into cells broken down by any of sex, age group, worker category, country, province,
 * district, scheme, branch and kind, crossed as asked ("sex,age_group,admin2"), with the
 * total first. Every count carries the shares of women and of persons under 35 in it, and a
 * breakdown can be written for the public with small cells suppressed.
 *
 * Pure: no database, no rules engine. The caller (ops/report.h) works out what each person
 * counts for (covered, enrolled, eligible ...) and hands over one struct disagg_unit a
 * person; this module only counts and writes.
 *
 * Measures. An indicator counts persons under up to DISAGG_MEASURES_MAX measures, each a
 * flag of the person (measure 0 is the population the indicator is of, e.g. "persons"); it
 * may name a rate, one measure over another ("coverage" = covered / persons). A person is
 * counted once in a cell whatever they hold: several enrolments make one covered person.
 *
 * Slices. Scheme, branch and kind (and an outreach activity's organisation, network and type)
 * are not facts of the person but of what they hold or took part in: a unit gives one slice
 * per scheme (or activity), with the person's flags for that one alone. A breakdown by
 * scheme, branch or kind counts the person once in each group their slices fall in, with
 * the flags of those slices joined (covered in a branch = covered by any of its schemes);
 * the total counts the person once, with the unit's own flags.
 *
 * Shares are tenths of a percent, rounded half up exactly in integers (report/cells.h); a
 * share of nothing (a cell with no persons) is not given: "" in CSV, null in JSON, "-" in a
 * table. Persons whose age is not given are not counted as under 35.
 *
 * Money. A spec with a currency counts, under its money measure, an amount (the unit's, or
 * the sum of its slices' in a cell) instead of persons: the amount paid, with the shares of
 * it paid to women and to persons under 35. It is written with the currency's decimals
 * ("1500.00") and is held back with its cell's persons (measure 0), its shares with theirs.
 *
 * Suppression (public outputs, k default DISAGG_K_DEFAULT): a count from 1 to k - 1 is not
 * shown, nor any share computed from it, nor a share of women (or of under-35s) whose women
 * or men (under-35s or others) number from 1 to k - 1, since either would single persons
 * out. A cell whose population (measure 0) is from 1 to k - 1 is suppressed whole. Zero is
 * shown.
 */
#ifndef SPFLOOR_REPORT_DISAGG_H
#define SPFLOOR_REPORT_DISAGG_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/person.h"
#include "report/cells.h"

#define DISAGG_MEASURES_MAX 4
#define DISAGG_BANDS_MAX    16
#define DISAGG_K_DEFAULT    5
#define DISAGG_YOUTH_AGE    35 /* the "under 35" of every breakdown */

enum disagg_dim {
    DISAGG_SEX,       /* female, male, other, not_given */
    DISAGG_AGE_GROUP, /* the bands (default under_35, 35_and_over), then age_not_given */
    DISAGG_CATEGORY,  /* worker_category: the vocabulary's words, then not_given */
    DISAGG_COUNTRY,   /* ISO code */
    DISAGG_ADMIN1,    /* province or state, as registered; not_given */
    DISAGG_ADMIN2,    /* district; not_given */
    DISAGG_SCHEME,    /* a slice's scheme id */
    DISAGG_BRANCH,    /* a slice's ILO branch */
    DISAGG_KIND,      /* a slice's kind (contributory, non_contributory) */
    DISAGG_ORG,       /* a slice's organisation (the outreach log) */
    DISAGG_NETWORK,   /* a slice's network of organisations; not_given */
    DISAGG_ACTIVITY,  /* a slice's type of activity (awareness, training ...) */
    DISAGG_PERIOD,    /* a slice's period: a month ("2025-03") or a payroll period */
    DISAGG_DIMS
};

/* Age bands by their lower bounds, ascending, the first 0: {0, 35} is under 35 / 35+. */
struct disagg_bands {
    int n;
    int from[DISAGG_BANDS_MAX];
};

/* The default bands: under_35 and 35_and_over. */
void disagg_bands_default(struct disagg_bands *b);

/*
 * Parses bands such as "0-14,15-24,25-64,65+": each "A-B" or, last, "A+", starting at 0 and
 * each starting the year after the one before ends. SP_BAD_INPUT naming the band otherwise.
 */
int disagg_bands_parse(const char *text, struct disagg_bands *b, struct error *err);

/* "sex", "age_group", "worker_category", "country", "admin1", "admin2", "scheme", "branch",
 * "kind", "org", "network", "activity", "period". */
const char *disagg_dim_name(enum disagg_dim dim);

/*
 * Parses a comma-separated list of breakdowns ("sex,age_group") into dims (room for
 * DISAGG_DIMS), *n of them; "" gives none. SP_BAD_INPUT naming an unknown breakdown (and
 * the known ones) or one given twice.
 */
int disagg_dims_parse(const char *text, enum disagg_dim *dims, int *n, struct error *err);

/* What an indicator counts and how it is broken down. Strings are the caller's. */
struct disagg_spec {
    const char *indicator;                     /* "coverage" */
    const char *title;                         /* "Effective coverage (SDG 1.3.1)" */
    int n_measures;                            /* 1 .. DISAGG_MEASURES_MAX */
    const char *measures[DISAGG_MEASURES_MAX]; /* "persons", "covered" ... */
    const char *rate;                          /* the rate's name ("coverage"), or NULL */
    int rate_of, rate_over; /* the rate is measure rate_of over measure rate_over */
    int n_by;
    enum disagg_dim by[DISAGG_DIMS]; /* the breakdowns crossed, in order (none: the total) */
    struct disagg_bands bands;       /* the age groups */
    const char *currency; /* set: measure `money` is an amount in this currency's minor units
                             ("": none known, nothing was paid) */
    int money;            /* the amount's measure (>= 1; measure 0 counts the persons paid) */
};

/* What a person holds in one scheme, or took part in (an activity of an organisation). */
struct disagg_slice {
    const char *scheme, *branch, *kind;
    const char *org, *network, *activity;
    const char *period;             /* "2025-03", a payroll period, or NULL (not_given) */
    uint8_t m[DISAGG_MEASURES_MAX]; /* 1: counted under measure i for this scheme */
    int64_t amount;                 /* the money measure's amount in this slice (minor units) */
};

/* One person, or `count` persons alike. */
struct disagg_unit {
    const struct person *person;       /* sex, worker category, country, admin1, admin2 */
    int age;                           /* years on the report's date, -1 when not given */
    uint8_t m[DISAGG_MEASURES_MAX];    /* 1: counted under measure i (the total, and breakdowns
                                          without scheme, branch or kind) */
    const struct disagg_slice *slices; /* read only when the breakdown has a slice dim */
    int n_slices;
    int64_t count;  /* persons it stands for (an anonymous count of the outreach log); 0 is 1 */
    uint8_t youth;  /* when age is -1: 1 known to be under 35, 2 known to be 35 or over (then in
                       those default age groups; age_not_given under other bands); 0 unknown */
    int64_t amount; /* the money measure's amount, when the spec has one (minor units, >= 0);
                       a cell of slices sums its slices' amounts instead */
};

/* A count and how many of it are women and under 35. */
struct disagg_count {
    int64_t n, women, under_35;
};

/* A cell: its groups are keys[i * n_by ...] of its table, one per breakdown. */
struct disagg_cell {
    struct disagg_count m[DISAGG_MEASURES_MAX];
};

struct disagg_table {
    struct disagg_spec spec;
    struct report_labels groups[DISAGG_DIMS]; /* per breakdown position: its groups */
    int n_fixed[DISAGG_DIMS]; /* groups in natural order (sex, age, category); the rest sort
                                 by label */
    int slices;               /* 1 if a breakdown is scheme, branch or kind */
    struct disagg_cell total;
    struct disagg_cell *cells; /* n */
    int n, cap;
    int32_t *keys;  /* the cells' group numbers, n_by each, flat: cell i's at i * n_by */
    int32_t *slots; /* open addressing over the keys: cell + 1, or 0 */
    int n_slots;
    int64_t persons;   /* persons added */
    char summary[256]; /* a line the indicator adds to its outputs ("" none) */
    int *touched;      /* a unit's cells, while it is added (slices) */
    uint8_t (*touched_m)[DISAGG_MEASURES_MAX];
    int64_t *touched_amount;
    int touched_cap;
};

/*
 * Sets up t for spec (copied; its strings must outlive t). SP_BAD_INPUT when the spec does
 * not hold together (no measure, a rate naming none); SP_IO when out of memory. Release t
 * with disagg_release, whatever is returned.
 */
int disagg_init(struct disagg_table *t, const struct disagg_spec *spec, struct error *err);
void disagg_release(struct disagg_table *t); /* accepts a zeroed table */

/* Counts one person. SP_IO when out of memory (then the table holds what it held). */
int disagg_add(struct disagg_table *t, const struct disagg_unit *u, struct error *err);

/* The group label of age in bands ("0-14", "65+", "under_35", "35_and_over", "age_not_given"). */
void disagg_age_label(const struct disagg_bands *b, int age, char out[24]);

/* What a table is written with. */
struct disagg_meta {
    const char *as_of;      /* YYYY-MM-DD */
    const char *period;     /* "2025-01-01 to 2025-03-31", or NULL */
    const char *population; /* "the registry", "the registry, NP" */
    const char *note;       /* what the indicator counts, one sentence, or NULL */
    int is_public;          /* 1: small cells suppressed */
    int k;                  /* the suppression threshold (>= 1) */
};

/*
 * Writes t as a text table, CSV (a header, the total, then one row per cell, cells in the
 * groups' order: natural for sex, age and category, by label for the rest), JSON, or a
 * self-contained HTML page with an SVG bar per cell (the rate, or else measure 1 or 0,
 * with its value written beside it). Each is a pure function of t and m: the same inputs
 * give byte-identical output. SP_IO when out of memory.
 */
int disagg_write_table(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                       struct error *err);
int disagg_write_csv(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                     struct error *err);
int disagg_write_json(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                      struct error *err);
int disagg_write_html(const struct disagg_table *t, const struct disagg_meta *m, struct buf *out,
                      struct error *err);

/* One cell's figures as written (suppressed ones ""), for another output (report/dhis2.h). */
struct disagg_figures {
    int cell;                               /* -1 for the total */
    const char *groups[DISAGG_DIMS];        /* its group at each breakdown ("all" for the total) */
    const char *count[DISAGG_MEASURES_MAX]; /* each measure's figure: "12", "36000.00", or "" */
    const char *rate;                       /* the rate's ("33.3"), "" none or held back */
    int suppressed;                         /* 1 if anything was held back */
};

/*
 * Calls visit with the total, then each cell in the order the other outputs write them; a
 * non-zero return stops the walk and is returned. SP_IO when out of memory.
 */
int disagg_each_cell(const struct disagg_table *t, const struct disagg_meta *m,
                     int (*visit)(void *ctx, const struct disagg_figures *f), void *ctx,
                     struct error *err);

#endif
