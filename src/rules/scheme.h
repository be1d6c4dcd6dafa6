/*
 * scheme.h: a scheme read from its YAML file (docs/schemes.md "Scheme files"), and the scheme
 * library: every parameter and scheme file under schemes/<cc>/.
 *
 * Loading is strict. An unknown key, a missing required key, a bad date, branch, kind, per,
 * currency or rounding, a parameter or scheme id defined twice, and an expression that does
 * not parse or type-check are all SP_BAD_INPUT with "file:line:col: message".
 *
 * Every expression of a scheme is compiled into one expr_unit, in this order: the named
 * `values`, the `eligibility` conditions, the `qualifying` conditions, `amount`, then the
 * contribution's wage, floor, cap, employee, employer and state. struct scheme_expr.index is
 * an expression's number in that unit (its column in expr_run_block's output).
 *
 * Ownership: a scheme owns its strings (it keeps its parsed file), its arrays and its unit;
 * the unit points into the library's param_set, so a scheme must not outlive its library.
 * Everything the library hands out stays valid until scheme_library_free.
 */
#ifndef SPFLOOR_RULES_SCHEME_H
#define SPFLOOR_RULES_SCHEME_H

#include <stdint.h>

#include "base/error.h"
#include "base/money.h"
#include "rules/expr.h"
#include "rules/param.h"
#include "rules/reason.h"
#include "rules/situation.h"
#include "rules/yaml_doc.h"

enum scheme_kind {
    SCHEME_NON_CONTRIBUTORY,
    SCHEME_CONTRIBUTORY,
};

enum scheme_per {
    PER_NONE, /* no `per` (a pure contribution scheme) */
    PER_DAY,
    PER_MONTH,
    PER_QUARTER,
    PER_YEAR,
    PER_ONCE,
    PER_FORTNIGHT, /* every two weeks: 26 a year */
};

/* One expression as written in the scheme file. */
struct scheme_expr {
    const char *name;   /* a value's or condition's name; "amount", "contribution.wage" ... */
    const char *source; /* the text; NULL when the scheme does not give it */
    struct expr_pos pos;
    int index; /* its number in the scheme's unit; -1 when absent */
};

#define SCHEME_LANG_SIZE 16 /* a language code: "en", "ne", "pt_BR" */

/*
 * A condition's words for people in one language (docs/schemes.md "Texts for people"): the
 * scheme file's own `text` and `figure` (English), or a translation catalogue's
 * (schemes/<cc>/messages/<lang>.yaml). rules/scheme_words.h finds them.
 */
struct scheme_words {
    int condition;                 /* its number: eligibility first, then qualifying */
    char lang[SCHEME_LANG_SIZE];   /* "en" for the scheme file's own */
    struct reason_template text;   /* what the condition asks: "Aged {params.senior_age} or more" */
    struct reason_template figure; /* what the person's facts show: "{she} is {age}"; its
                                      source is NULL when none is given */
};

/*
 * `payment_cycle`: from `since`, paid every `every_months` months, or every `every_weeks`
 * weeks, or `times_a_month` times a month; exactly one of the three is not 0.
 */
struct scheme_cycle {
    int32_t since;
    int every_months;  /* 1-120 */
    int every_weeks;   /* 1-52: 2 is fortnightly */
    int times_a_month; /* 2-4: 2 is twice a month (24 payments a year, not 26) */
    const char *reference;
};

/*
 * A change to one expression of a scheme from a date: an overlay's `rules` entry
 * (rules/overlay.h). From `from` on, the condition named `target` (or the amount, when target
 * is "amount") is `source` instead of what the scheme file says; before it, nothing changes.
 * The strings belong to whoever made the change (an overlay); a scheme copies what it keeps.
 */
struct scheme_change {
    const char *scheme;    /* the scheme's id */
    const char *target;    /* a condition's name (eligibility or qualifying), or "amount" */
    int32_t from;          /* the day it takes effect */
    const char *source;    /* the expression that replaces it */
    struct expr_pos pos;   /* where source is written (for errors) */
    const char *overlay;   /* the overlay's id */
    const char *reference; /* its legal source, or the proposal it comes from */
};

/* A change a scheme was compiled with, kept for explanations ("senior_age: rule of ..."). */
struct scheme_change_note {
    const char *target; /* a condition's name, or "amount" (owned by the scheme) */
    int32_t from;       /* the day it takes effect */
    char *text;         /* "overlay <id> (since <date>: <reference>): <source>" (owned) */
};

struct scheme {
    char id[SCHEME_ID_SIZE]; /* "np.ssa.senior_citizen" */
    const char *name;
    char country[3];    /* ISO 3166-1 alpha-2, upper case */
    const char *branch; /* one of the ILO C102 branches (docs/schemes.md) */
    enum scheme_kind kind;
    char currency[CURRENCY_CODE_SIZE];
    const char *params;      /* the namespace `params.` names resolve in; "" if none */
    int32_t valid_from;      /* DATE_NONE: since always */
    int32_t valid_to;        /* DATE_NONE: open */
    const char *description; /* "" if none */
    enum rounding rounding;  /* for money arithmetic and contribution parts */
    char contributions_from[SCHEME_ID_SIZE]; /* whose contribution rows `contributions` reads
                                                (the first, when `contributions_from` lists
                                                several) */
    const char **contributions_also; /* the further schemes a list names, whose rows count too */
    const struct ydoc_node **contributions_also_nodes; /* for the library's cross-check */
    int n_contributions_also;

    struct expr_fact_decl *facts; /* extra country facts, `facts:` */
    const char **fact_descriptions;
    int n_facts;
    struct scheme_expr *values; /* named values, in order */
    const char **value_names;   /* their names, for texts (reason_scope.values) */
    int n_values;
    struct scheme_expr *eligibility; /* conditions; all must hold */
    int n_eligibility;
    struct scheme_expr *qualifying; /* conditions over the contribution history */
    int n_qualifying;
    struct scheme_expr amount; /* money in `currency`, per `per`; or, with amount_unit, a
                                  whole number of that unit (a benefit in kind) */
    const char *amount_unit;   /* `amount_unit`: "days", "kg", "litres" or "items" when the
                                  benefit is counted in days of work or in kind; NULL: money */
    enum scheme_per per;
    struct scheme_cycle *cycles; /* ascending by since */
    int n_cycles;

    int has_contribution;        /* 1 if the scheme has a `contribution` block */
    struct scheme_expr wage;     /* money: the wage base */
    struct scheme_expr floor;    /* money, optional */
    struct scheme_expr cap;      /* money, optional */
    struct scheme_expr parts[3]; /* employee, employer, state: a rate or fixed money each */
    const char *due_day;         /* `contribution.due_day`: the whole-number parameter (full
                                    path, in the library's set) giving the day of the next month
                                    by which a month's contribution is due; NULL: not said */

    int optional; /* `optional: true`: a voluntary contribution, not part of what is owed */
    const char *exclusive_group;     /* `exclusive.group`: one of the group is paid; or NULL */
    const char *exclusive_choice;    /* `exclusive.choice`: the extra fact holding the scheme
                                        id the person chose, or NULL */
    const char *exclusive_reference; /* `exclusive.reference`: the rule's legal source */

    /* `contingency`: parameters read on the contingency's date, not the evaluation date */
    struct scheme_expr contingency_date;   /* a date (the birth, the injury); index -1: none */
    const char **contingency_params;       /* their full paths ("kh.idpoor.facility_delivery") */
    const struct param **contingency_refs; /* the same parameters (in the library's set) */
    int n_contingency_params;
    const char *contingency_reference; /* why the rule of that date applies */

    struct expr_grandfather *grandfathers;
    const char **grandfather_references;
    int n_grandfathers;

    struct scheme_words *words; /* the conditions' texts, in every language loaded */
    int n_words;

    struct expr_scope scope; /* what the unit resolves names in (points into this scheme) */
    struct expr_unit *unit;  /* every expression, compiled */

    struct scheme_change_note *changes; /* the changes compiled in, in the order applied */
    int n_changes;
    char **owned_sources; /* expressions rewritten for changes (freed with the scheme) */
    int n_owned_sources;

    const char *file;                                /* where it was read from */
    int line;                                        /* of the `id:` key */
    struct ydoc *doc;                                /* owns the strings above */
    const struct ydoc_node *contributions_from_node; /* for the library's cross-check */
};

#define SCHEME_PART_EMPLOYEE 0
#define SCHEME_PART_EMPLOYER 1
#define SCHEME_PART_STATE    2

/*
 * Loads one scheme from a parsed document, compiling its expressions against params.
 * On success *out is a scheme the caller frees with scheme_free, and it takes ownership of doc;
 * on failure doc is left to the caller. SP_BAD_INPUT names file:line:col; SP_IO when out of
 * memory.
 */
int scheme_load_doc(struct ydoc *doc, const struct param_set *params, struct scheme **out,
                    struct error *err);
void scheme_free(struct scheme *s); /* accepts NULL */

/*
 * scheme_load_doc, with the changes among changes[0..n-1] that name this scheme compiled in,
 * in order: from its date on, each change wins over the scheme file and over the changes
 * before it. The expression becomes `as_of >= date("FROM") ? (NEW) : (WHAT IT WAS)`. A change
 * whose target the scheme lacks, or whose source does not compile (to a bool for a condition,
 * to money of the currency for the amount) is SP_BAD_INPUT naming its pos.
 */
int scheme_load_changed(struct ydoc *doc, const struct param_set *params,
                        const struct scheme_change *changes, int n, struct scheme **out,
                        struct error *err);

/*
 * Checks change c against scheme s as scheme_load_changed would: the target exists and the
 * source compiles against s (its facts, parameters and named values). SP_BAD_INPUT naming
 * c->pos; SP_IO when out of memory.
 */
int scheme_check_change(const struct scheme *s, const struct scheme_change *c, struct error *err);

/*
 * The note of the change in force for `target` (a condition's name, or "amount") on `date`,
 * or NULL when the scheme file's expression is.
 */
const struct scheme_change_note *scheme_change_at(const struct scheme *s, const char *target,
                                                  int32_t date);

/* Names for output: "old_age", "contributory", "month" ("" for PER_NONE). */
const char *scheme_kind_name(enum scheme_kind kind);
const char *scheme_per_name(enum scheme_per per);

/*
 * How many periods `per` makes in a year, to annualise an amount: fortnight 26, month 12,
 * quarter 4, year 1; 0 for day, once and none (an amount per day is paid for the days of a
 * contingency, not every day of the year; docs/schemes.md "Annual amounts").
 */
int scheme_per_year(enum scheme_per per);

/*
 * The payments a cycle makes in a year, as numerator / denominator (12/every_months, 52/every_weeks
 * weeks, 12*times_a_month): every two weeks is 26/1, every 5 months 12/5.
 */
void scheme_cycle_per_year(const struct scheme_cycle *c, int *numerator, int *denominator);

/* The cycle in force on date, or NULL when the scheme has none then. */
const struct scheme_cycle *scheme_cycle_at(const struct scheme *s, int32_t date);

/*
 * A decision's amount as text, without its unit: money in the scheme's currency ("4000.00"),
 * or the whole number of a benefit in kind ("100"). Cannot fail; truncates.
 */
void scheme_amount_text(const struct scheme *s, int64_t amount, char *out, size_t size);

/* What a decision's amount counts: the unit of a benefit in kind ("days"), else the currency. */
const char *scheme_amount_unit(const struct scheme *s);

/* 1 if parameter path is one the scheme reads on the contingency's date (`contingency`). */
int scheme_on_contingency(const struct scheme *s, const char *path);

/* 1 if a and b are in one exclusion group (`exclusive.group`): one of them at most is paid. */
int scheme_same_group(const struct scheme *a, const struct scheme *b);

/*
 * The person's facts deciding s reads (expr_unit_facts of its unit), with those the rules
 * layer reads itself: the country (who a scheme applies to), and what situation_index derives
 * household facts from (household, relationship, living_children). Cannot fail.
 */
person_field_set scheme_facts(const struct scheme *s);

/* 1 if the scheme is in force on `date` (valid_from <= date <= valid_to). */
int scheme_in_force(const struct scheme *s, int32_t date);

/* ---- the library ---- */

struct scheme_library {
    struct param_set *params; /* every parameter of every country */
    struct scheme **schemes;  /* sorted by id */
    int n_schemes;
    char **test_files; /* paths of test-case files found (tests/ folders), sorted */
    int n_test_files;
    struct ydoc **catalogues; /* the translation catalogues read (messages/ folders) */
    int n_catalogues;
};

/*
 * Loads the library under dir: each subfolder is a country (schemes/np/); a folder that itself
 * holds scheme files is read as one country. In each, params.yaml and *.params.yaml are
 * parameter files, other *.yaml files are schemes, tests/ holds test cases (only listed
 * here; scheme_test.h runs them) and messages/<lang>.yaml translation catalogues of the
 * conditions' texts (scheme_words.h). Every parameter file is read first, then every scheme,
 * then every catalogue, so any scheme may use any parameter. Reports the first error: SP_BAD_INPUT
 * with file:line:col, or SP_IO when dir cannot be read. The caller frees *out with
 * scheme_library_free.
 */
int scheme_library_load(const char *dir, struct scheme_library **out, struct error *err);
void scheme_library_free(struct scheme_library *lib); /* accepts NULL */

/*
 * Makes *out a library with base's schemes compiled anew against params, which *out takes
 * (it is freed on failure too), with the changes (scheme_load_changed; n_changes may be 0),
 * and base's list of test files. The new schemes share base's
 * parsed files by reference (ydoc_ref), so base may be freed first. base is not changed.
 * Fails as scheme_library_load does, when a scheme does not compile against params (a
 * parameter changed kind); SP_IO when out of memory. rules/overlay.h uses it.
 */
int scheme_library_recompile(const struct scheme_library *base, struct param_set *params,
                             const struct scheme_change *changes, int n_changes,
                             struct scheme_library **out, struct error *err);

/* The scheme with this id, or NULL. */
const struct scheme *scheme_library_find(const struct scheme_library *lib, const char *id);

#endif
