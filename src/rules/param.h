/*
 * param.h: scheme parameters with dated values and legal references.
 *
 * A parameter has a dotted path ("np.ssa.senior_age"), a kind, and a list of values, each with
 * the date it takes effect and its reference ("FY 2079/80 budget speech"). A value holds until
 * the next one. A value may be "not set" (is_set == 0): the rule is NOT CONFIRMED and an
 * operator must fill it in; evaluating with it gives "parameter not set", never a number.
 *
 * A struct param_set owns every parameter and every string in it. Pointers it returns stay
 * valid until param_set_free. Loading from YAML is in param_load.h; this is the data model.
 */
#ifndef SPFLOOR_RULES_PARAM_H
#define SPFLOOR_RULES_PARAM_H

#include <stdint.h>

#include "base/error.h"
#include "base/money.h"

enum param_kind {
    PARAM_MONEY,   /* number: minor units of `currency` */
    PARAM_DECIMAL, /* number: DECIMAL_SCALE units (rates, factors) */
    PARAM_INT,     /* number: a whole count of `unit` (years, months, days, or none) */
    PARAM_DATE,    /* number: day number */
    PARAM_BOOL,    /* number: 0 or 1 */
    PARAM_TEXT,    /* text */
    PARAM_LIST,    /* items: a list of strings (e.g. districts) */
    PARAM_SCALE,   /* brackets: thresholds (in `currency` minor units, or decimals) and rates */
};

struct param_bracket {
    int64_t threshold; /* lower bound of the bracket: money minor units or DECIMAL_SCALE units */
    int64_t rate;      /* DECIMAL_SCALE units */
};

struct param_value {
    int32_t since;            /* day number the value takes effect */
    int32_t from_month;       /* the first month (struct contribution's count) whose first day
                                 is on or after since: param_add_value sets it */
    const char *reference;    /* its legal reference; never NULL */
    int is_set;               /* 0: not confirmed, an operator must fill it in */
    int64_t number;           /* MONEY, DECIMAL, INT, DATE, BOOL */
    const char *text;         /* TEXT */
    const char *const *items; /* LIST */
    int n_items;
    const struct param_bracket *brackets; /* SCALE, ascending thresholds */
    int n_brackets;
    const char *overlay; /* the id of the overlay that set it (rules/overlay.h); NULL: shipped */
};

struct param {
    const char *path; /* "np.ssa.senior_age" */
    enum param_kind kind;
    char currency[CURRENCY_CODE_SIZE]; /* MONEY, and SCALE with money thresholds; else "" */
    const char *unit;                  /* "years", "months", "days", "rate", or "" */
    const char *description;           /* may be "" */
    const char *file;                  /* where it was defined, for messages */
    int line;
    struct param_value *values; /* ascending by since */
    int n_values;
};

struct param_set;

int param_set_new(struct param_set **out, struct error *err);
void param_set_free(struct param_set *set); /* accepts NULL */

/*
 * Defines a new parameter and returns it in *out (owned by the set). currency may be NULL.
 * SP_BAD_INPUT if the path is already defined (naming where), SP_IO when out of memory.
 */
int param_set_define(struct param_set *set, const char *path, enum param_kind kind,
                     const char *currency, const char *unit, const char *description,
                     const char *file, int line, struct param **out, struct error *err);

/*
 * Adds a dated value to p, copying every string and array in v into the set. SP_BAD_INPUT if
 * p already has a value on that date; SP_IO when out of memory. p's values may move: every
 * pointer param_value_at returned for p before becomes invalid.
 */
int param_add_value(struct param_set *set, struct param *p, const struct param_value *v,
                    struct error *err);

/*
 * Makes *out a copy of base: every parameter, value and string is copied, so the copy and base
 * are independent (either may be freed first). The caller frees *out with param_set_free.
 * SP_IO when out of memory (*out is then unchanged).
 */
int param_set_clone(const struct param_set *base, struct param_set **out, struct error *err);

/*
 * Lays n dated values (ascending by since, n >= 1) over the parameter at path: every value of
 * the parameter dated on or after values[0].since is dropped, and values are added after the
 * rest (copied, as param_add_value does). So from values[0].since on the new values win over
 * what was there, earlier ones included; before it nothing changes. Pointers param_value_at
 * returned for that parameter become invalid. SP_BAD_INPUT when no parameter has that path
 * or two values share a date; SP_IO when out of memory.
 */
int param_set_overlay(struct param_set *set, const char *path, const struct param_value *values,
                      int n, struct error *err);

/* The parameter at path, or NULL. */
const struct param *param_set_find(const struct param_set *set, const char *path);

int param_set_count(const struct param_set *set);
const struct param *param_set_get(const struct param_set *set, int index);

/*
 * The value in force on `date`: the last one with since <= date, or NULL if none has started.
 * The caller still checks is_set. The value belongs to p's set: it stays valid until the set
 * is freed or param_add_value adds a value to p, whichever comes first.
 */
const struct param_value *param_value_at(const struct param *p, int32_t date);

/*
 * The value in force on the first day of month (months since 1970-01, as a contribution's), as
 * param_value_at gives it, and the months on whose first day it is in force: *first to *last
 * (INT32_MIN and INT32_MAX at the open ends). Cannot fail.
 */
const struct param_value *param_value_of_month(const struct param *p, int32_t month, int32_t *first,
                                               int32_t *last);

/*
 * Writes value v of p as text into out: money with its currency ("4000.00 NPR"), an int with
 * its unit ("68 years"), a list as "[a, b]", a date as ISO 8601. Cannot fail; truncates.
 */
void param_value_text(const struct param *p, const struct param_value *v, char *out, size_t size);

/* The name of a kind ("money", "decimal" ...). */
const char *param_kind_name(enum param_kind kind);

/* Copies a string into the set's storage; NULL when out of memory. */
const char *param_set_intern(struct param_set *set, const char *s);

#endif
