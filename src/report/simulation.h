/*
 * simulation.h: the tables of a reform simulation (docs/simulation.md): what a population
 * receives under a baseline rule set and under a reform, person by person, summed into cells
 * broken down by sex, age group, worker category, area and scheme.
 *
 * Pure arithmetic: no database, no rules engine. The caller (ops/simulate.h) decides each
 * person under both rule sets and hands over one struct sim_person a person; this module
 * only adds, compares and writes.
 *
 * Weights. Every person carries a weight in millionths (SIM_WEIGHT_ONE is one person). A
 * cell's persons are the sum of its persons' weights, and its money the sum of each person's
 * annual amount in minor units times their weight, both kept exact (money in 128 bits) until
 * they are written: then a weighted count is rounded half away from zero to a whole person,
 * and a weighted amount to a whole minor unit, once, at the end. With every weight one, each
 * figure is the plain count or sum.
 *
 * Winners and losers are banded as PolicyEngine bands them, on each person's annual total
 * over the schemes (or, in the scheme breakdown, on that scheme's amount): a gain of more
 * than 5% of the baseline amount (any gain from nothing), a gain of 5% or less, no change, a
 * loss of 5% or less, a loss of more than 5%.
 */
#ifndef SPFLOOR_REPORT_SIMULATION_H
#define SPFLOOR_REPORT_SIMULATION_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/person.h"
#include "report/cells.h"

#define SIM_WEIGHT_ONE 1000000 /* a weight of one person, in millionths */
#define SIM_SIDES      2       /* the baseline (0) and the reform (1) */
#define SIM_LABEL_SIZE 72      /* a group's label: an area's name, a scheme's id */

enum sim_band {
    SIM_GAIN_MORE_5,
    SIM_GAIN_LESS_5,
    SIM_NO_CHANGE,
    SIM_LOSE_LESS_5,
    SIM_LOSE_MORE_5,
    SIM_BANDS
};

/* The breakdowns, in the order they are written. */
enum sim_dim {
    SIM_BY_TOTAL,    /* one group, "all" */
    SIM_BY_SEX,      /* female, male, other, not_given */
    SIM_BY_YOUTH,    /* under_35, 35_and_over, age_not_given */
    SIM_BY_AGE_ILO,  /* 0-14, 15-24, 25-64, 65+, age_not_given */
    SIM_BY_CATEGORY, /* the worker categories, not_given */
    SIM_BY_ADMIN1,   /* province or state */
    SIM_BY_ADMIN2,   /* district */
    SIM_BY_SCHEME,   /* each scheme: the persons of its country, with that scheme's figures */
    SIM_DIMS
};

/* What one person gets from one scheme under one rule set. */
struct sim_outcome {
    uint8_t eligible;     /* eligible (paid or excluded by another scheme of its group) */
    uint8_t paid;         /* eligible, not excluded, with an amount */
    uint8_t undetermined; /* waiting on a fact that is not given */
    int64_t annual;       /* the amount a year, minor units (0 unless paid) */
};

/* One person, decided under both rule sets for the report's schemes. */
struct sim_person {
    const struct person *person; /* sex, category, admin1, admin2 */
    int age;                     /* years on the date, or -1 when the birth date is not given */
    int64_t weight;              /* millionths; >= 0 */
    const struct sim_outcome *outcome[SIM_SIDES]; /* n_schemes each, in the report's order;
                                                     a scheme not of the person's country has
                                                     applies[k] == 0 */
    const uint8_t *applies;                       /* n_schemes: 1 if the scheme was decided */
    const uint8_t *enrolled;                      /* n_schemes: 1 if enrolled today */
};

/* The figures of one side in one cell. */
struct sim_side {
    int64_t eligible;     /* weighted persons eligible for at least one scheme */
    int64_t paid;         /* ... paid by at least one */
    int64_t undetermined; /* ... undetermined for at least one */
    int64_t not_enrolled; /* ... paid by a scheme they are not enrolled in today */
    __int128 cost;        /* sum of annual amount times weight */
};

struct sim_cell {
    char label[SIM_LABEL_SIZE];
    int64_t persons; /* weighted */
    struct sim_side side[SIM_SIDES];
    int64_t band[SIM_BANDS]; /* weighted persons in each band */
    __int128 gain;           /* sum of gains times weight */
    __int128 loss;           /* sum of losses times weight (positive) */
};

/* The cells of one breakdown, in the order their groups were first met (fixed ones first). */
struct sim_breakdown {
    struct sim_cell *cells;
    int n, cap;
    struct report_labels labels; /* cell i is labels' label i */
};

/* What the simulation was run on, written at the head of every output. */
struct sim_meta {
    const char *as_of;           /* YYYY-MM-DD */
    const char *country;         /* "NP" */
    const char *currency;        /* "NPR" */
    const char *population;      /* "registry", "synthetic NP:1000 seed 1", a file */
    const char *const *baseline; /* overlay ids of the baseline (n_baseline) */
    int n_baseline;
    const char *const *reform; /* overlay ids of the reform */
    int n_reform;
    const char *digest_library;    /* hex digests: the scheme library's files */
    const char *digest_overlays;   /* the baseline's and the reform's overlay files */
    const char *digest_population; /* the population (or the registry's version) */
};

struct sim_report {
    int n_schemes;
    char (*schemes)[SIM_LABEL_SIZE]; /* the scheme ids, in order */
    int minor_digits;                /* the currency's */
    struct sim_breakdown by[SIM_DIMS];
    int64_t skipped; /* persons of another country, weighted */
    int overflow;    /* 1 if a sum passed its range (the report then holds nothing) */
};

/*
 * Sets up r for the n schemes named by ids (copied), in money with minor_digits digits.
 * SP_IO when out of memory. Release r with sim_report_release, whatever is returned.
 */
int sim_report_init(struct sim_report *r, const char *const *ids, int n, int minor_digits,
                    struct error *err);
void sim_report_release(struct sim_report *r); /* accepts a zeroed report */

/* Adds one person. SP_IO when out of memory (a new area). */
int sim_report_add(struct sim_report *r, const struct sim_person *p, struct error *err);

/* The band of a change from `before` to `after` (both >= 0). */
enum sim_band sim_band_of(int64_t before, int64_t after);

/* "gain_more_5", "gain_less_5", "no_change", "lose_less_5", "lose_more_5". */
const char *sim_band_name(enum sim_band band);

/* "total", "sex", "youth", "age_ilo", "worker_category", "admin1", "admin2", "scheme". */
const char *sim_dim_name(enum sim_dim dim);

/*
 * Appends the report to out as a text table, CSV (one row per cell), JSON or an HTML page
 * with SVG charts (winners and losers, cost by area). Each is a pure function of the report
 * and meta, so the same inputs give byte-identical output. SP_IO when out of memory.
 */
int sim_report_table(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                     struct error *err);
int sim_report_csv(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                   struct error *err);
int sim_report_json(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                    struct error *err);
int sim_report_html(const struct sim_report *r, const struct sim_meta *m, struct buf *out,
                    struct error *err);

#endif
