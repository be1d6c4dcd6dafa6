/*
 * expr.h: the rule expression language, a typed, side-effect-free subset of CEL.
 * docs/expressions.md is the language reference; this header is the contract for callers.
 *
 * Life of an expression:
 *   1. expr_unit_add parses, type-checks and compiles source text against a scope (the facts
 *      vocabulary, the scheme's extra facts, its parameters and earlier named expressions).
 *      Every error names file:line:col and what was expected.
 *   2. expr_unit_bind resolves every parameter for one evaluation date into constants.
 *   3. expr_run_block runs all of a unit's expressions over a block of up to EXPR_BLOCK persons,
 *      column by column (the fast path for batch runs and simulation); expr_run_traced runs one
 *      person through a tree-walking interpreter and can explain each result. The two must
 *      always agree (a property test checks this on random populations).
 *
 * Missing facts: a fact that is not set gives EXPR_MISSING, which propagates through
 * arithmetic and comparisons. `false && missing` is false and `true || missing` is true, as in
 * three-valued logic; has(fact) is never missing. A parameter whose value is not set for the
 * date gives EXPR_PARAM_UNSET. expr_missing_facts names the facts a missing result waits on.
 *
 * Ownership and threads: a unit owns its compiled code; a bound unit points into the unit and
 * the param_set, which must outlive it. A bound unit is read-only once made, so several threads
 * may run it at once, each with its own struct expr_scratch.
 */
#ifndef SPFLOOR_RULES_EXPR_H
#define SPFLOOR_RULES_EXPR_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/money.h"
#include "model/person.h"
#include "rules/param.h"
#include "rules/situation.h"

#define EXPR_BLOCK 1024 /* persons per block in expr_run_block */

enum expr_kind {
    EXPR_BOOL,
    EXPR_INT,     /* int64 */
    EXPR_DECIMAL, /* int64 in DECIMAL_SCALE units */
    EXPR_MONEY,   /* int64 minor units of expr_type.currency */
    EXPR_STRING,  /* text (enum facts such as sex are strings) */
    EXPR_DATE,    /* day number */
    EXPR_LIST,    /* list of expr_type.element */
    EXPR_PERSON,  /* a household member, inside list macros */
    EXPR_SCALE,   /* a scale parameter: only scale_rate and scale_marginal take one */
    EXPR_DOUBLE,  /* a CEL double: only while checking, as a constant (docs/expressions.md) */
};

struct expr_type {
    enum expr_kind kind;
    enum expr_kind element;            /* EXPR_LIST: the kind of its items */
    char currency[CURRENCY_CODE_SIZE]; /* EXPR_MONEY (or a list of money): the currency */
};

/*
 * An extra country fact a scheme declares under `facts:`; read from person.extra by name.
 * A fact with a default reads as the default where the person does not give it (has() stays
 * false), and the explanation says so: "assumed: <assumed> (not given)".
 */
struct expr_fact_decl {
    const char *name; /* e.g. "jkk_risk_class" */
    struct expr_type type;
    const char *default_value; /* text read when the fact is not given, or NULL: missing */
    const char *assumed;       /* the default in words ("not a government employee"), or NULL */
};

/* 1 if text is a valid value of the declared fact's type (as a person's value is read). */
int expr_fact_value_valid(const struct expr_fact_decl *d, const char *text);

/*
 * Grandfathering: for a person enrolled in the scheme before `enrolled_before`, the parameter
 * at `path` keeps the value it had on `keep_as_of` instead of the value on the evaluation date.
 */
struct expr_grandfather {
    const char *path;        /* full parameter path, e.g. "np.ssa.senior_age" */
    int32_t enrolled_before; /* day number */
    int32_t keep_as_of;      /* day number */
};

/* Everything names in an expression resolve against. Pointers must outlive the unit. */
struct expr_scope {
    const struct param_set *params;
    const char *param_namespace;     /* "np.ssa": params.senior_age is np.ssa.senior_age */
    const char *currency;            /* the scheme's currency: money facts are typed in it */
    enum rounding rounding;          /* for money * decimal and money / int */
    const char *scheme_id;           /* enrolment.* reads this scheme's enrolments */
    const char *contribution_scheme; /* contributions.* reads only this scheme's rows */
    const char *const *contribution_schemes_also; /* ... and these schemes' rows (may be NULL) */
    int n_contribution_schemes_also;
    const struct expr_fact_decl *extra_facts;
    int n_extra_facts;
    const struct expr_grandfather *grandfathers;
    int n_grandfathers;
};

/* Where a source string starts, so errors can name file:line:col inside it. */
struct expr_pos {
    const char *file;
    int line; /* 1-based */
    int col;  /* 1-based */
};

enum expr_state {
    EXPR_OK,
    EXPR_MISSING,     /* a fact it needs is not given */
    EXPR_PARAM_UNSET, /* a parameter it needs has no confirmed value for the date */
    EXPR_FAILED,      /* a run-time failure: overflow, division by zero, a wage in the wrong
                         currency */
    EXPR_NOT_KNOWN,   /* expr_run_fused only: the column path cannot tell (text, lists, a
                         history): the record path gives the state */
};

/*
 * Why a person's run stopped before its end (docs/expressions.md "Limits"). A run counts steps
 * inside list macros (one per item visited and one per node evaluated for it); a run of one
 * person, over all the unit's expressions, may take EXPR_STEPS_MAX of them and use
 * 4 MiB of working memory for lists (EXPR_ARENA_MAX). A stopped run gives EXPR_FAILED for what
 * it had not finished, and expr_stopped says why. Work a household shares (household plans)
 * has budgets of its own, and when it stops, each run that needs it stops for the same reason.
 */
enum expr_stop {
    EXPR_STOP_NONE,
    EXPR_STOP_STEPS,  /* it took more than EXPR_STEPS_MAX steps */
    EXPR_STOP_MEMORY, /* it needed more than 4 MiB for lists, or memory ran out */
};

#define EXPR_STEPS_MAX 10000000 /* steps of one person's run */

/* One expression's results over a block. */
struct expr_column {
    int64_t value[EXPR_BLOCK];    /* bool, int, decimal, money, date */
    const char *text[EXPR_BLOCK]; /* string results; valid until the next run on the scratch */
    uint8_t state[EXPR_BLOCK];    /* enum expr_state */
};

/*
 * One expression's result for one person. value: bool 0/1, int, decimal, money minor units,
 * day number; for a list, its number of items; for a string holding an enum fact's word, the
 * word's code (1 for the first choice), else 0. text: strings only (NULL otherwise), pointing
 * into the person, the param_set or the unit. value is 0 and text NULL when state != EXPR_OK.
 */
struct expr_value {
    uint8_t state; /* enum expr_state */
    int64_t value;
    const char *text;
};

struct expr_unit;
struct expr_bound;
struct expr_scratch;

int expr_unit_new(const struct expr_scope *scope, struct expr_unit **out, struct error *err);
void expr_unit_free(struct expr_unit *u); /* accepts NULL */

/*
 * Compiles `source` and appends it to the unit as expression number *index (0, 1, 2 ...).
 * If name is not NULL, later expressions may use it as a name. If want is not NULL the result
 * must have that type (an int is accepted where a decimal is wanted). On failure returns
 * SP_BAD_INPUT with "file:line:col: message" and the unit is unchanged.
 */
int expr_unit_add(struct expr_unit *u, const char *name, const char *source, struct expr_pos pos,
                  const struct expr_type *want, int *index, struct error *err);

int expr_unit_count(const struct expr_unit *u);
struct expr_type expr_unit_type(const struct expr_unit *u, int index);

/*
 * The person's facts (fields of the vocabulary) the unit's expressions read, of the person
 * decided or of their household's members: what a batch must load for them. Cannot fail.
 */
person_field_set expr_unit_facts(const struct expr_unit *u);

/*
 * Resolves the unit's parameters as of `as_of`. A parameter with no value yet, or one not
 * set, does not fail here: expressions that use it give EXPR_PARAM_UNSET.
 * The caller frees *out with expr_bound_free.
 */
int expr_unit_bind(const struct expr_unit *u, int32_t as_of, struct expr_bound **out,
                   struct error *err);

/*
 * expr_unit_bind, except that the parameters whose full paths are among paths[0..n-1] are
 * resolved as of `on` (a contingency's date: the birth, the injury) instead of as_of; `on`
 * after as_of reads as_of (a value never comes from after the evaluation date). A path the
 * unit does not read is ignored. The caller frees *out with expr_bound_free.
 */
int expr_unit_bind_on(const struct expr_unit *u, int32_t as_of, int32_t on,
                      const char *const *paths, int n, struct expr_bound **out, struct error *err);
void expr_bound_free(struct expr_bound *b);

/*
 * 1 if a and b give the same result for every person: their units hold the same expressions
 * (the same sources, in order) over the same parameters, bound on the same date to equal
 * values (kept values of grandfathering included). Two units compiled from one scheme file
 * against two parameter sets (a baseline and a reform) compare equal unless a value in force,
 * or an expression, differs. 0 when unsure. Cannot fail.
 */
int expr_bound_same(const struct expr_bound *a, const struct expr_bound *b);

/*
 * Scratch space for running u's expressions (registers and per-person memory); one per thread.
 * Make it after the last expr_unit_add: runs on a scratch made earlier fail with SP_BAD_INPUT.
 */
int expr_scratch_new(const struct expr_unit *u, struct expr_scratch **out, struct error *err);
void expr_scratch_free(struct expr_scratch *s);
/* Forgets the household plans s keeps from earlier runs (docs/expressions.md "Limits"): for
 * a caller that reuses s for persons of other situations, whose plans no later run can use. */
void expr_scratch_forget(struct expr_scratch *s); /* accepts NULL */

/*
 * Runs every expression of the unit, in order, for n (1..EXPR_BLOCK) persons. histories[i]
 * may be NULL (no history), and histories itself may be NULL. out has expr_unit_count(u)
 * columns. Per-person problems are states, not errors: a person whose run reaches a limit
 * (expr_stopped) gets EXPR_FAILED from its per-person steps (list macros, history helpers)
 * on, so its results are unfinished; the others are not affected. The return is SP_OK unless
 * the arguments are wrong.
 */
int expr_run_block(const struct expr_bound *b, struct expr_scratch *s,
                   const struct person *const *persons,
                   const struct person_history *const *histories, int n, struct expr_column *out,
                   struct error *err);

struct fact_block;

/* 1 if the unit can run on the column path (expr_run_fused): it has no step that runs person
 * by person under the engine's limits (list macros over household members). */
int expr_unit_columnar(const struct expr_unit *u);

/*
 * The column path: runs every expression of a columnar unit for the persons of fb
 * (rules/fact_block.h) from its compact columns, every lane at once. out[e].state[i] is what
 * expr_run_block gives person i, and so is out[e].value[i] where that state is EXPR_OK (any
 * other state leaves the value unspecified; text is not set), except where the state is
 * EXPR_NOT_KNOWN: the column path cannot tell (text and list facts, the history of a person
 * with events or contributions, a grandfathered parameter of an enrolled person), and
 * expr_run_block gives that person's result. SP_IO when out of memory (its working memory is
 * made at the first run); SP_BAD_INPUT when the unit is not columnar, s is another unit's, or
 * fb holds no person.
 */
int expr_run_fused(const struct expr_bound *b, struct expr_scratch *s, const struct fact_block *fb,
                   struct expr_column *out, struct error *err);

/*
 * Runs every expression for one person with the tree-walking interpreter. out has
 * expr_unit_count(u) entries. Agrees with expr_run_block; it takes no more steps and memory
 * than the block runner does for the same person, so it stops at a limit only where that did.
 * SP_IO only when memory for explanation lines runs out.
 */
int expr_run_traced(const struct expr_bound *b, struct expr_scratch *s, const struct person *p,
                    const struct person_history *h, struct expr_value *out, struct error *err);

/*
 * Explains expression `index` for one person: appends to `out` one line per test it made
 * (comparison, `in`, has(), function of facts), each ending in '\n', giving the fact values,
 * the outcome and every parameter with its date and reference, e.g.
 *   "age 66 < np.ssa.senior_age 68 (since 2022-07-17: FY 2079/80 budget speech)\n"
 * A failed comparison is shown with the operator that held ("<" for a failed ">=").
 * Missing facts read "birth_date not given"; unset parameters read
 * "parameter bd.eis.pension_rate not set: an operator must fill it in".
 */
int expr_explain(const struct expr_bound *b, struct expr_scratch *s, const struct person *p,
                 const struct person_history *h, int index, struct buf *out, struct error *err);

/*
 * The facts whose values would decide expression `index` for person p when it ends missing:
 * appends each one's name to out on a line of its own ("government_employee\n"), unless out
 * already holds that line. A fact of another household member (a list macro's m.birth_date)
 * is named "<member id>.<fact>". Only the facts the result waits on are named: not those a
 * definite operand made irrelevant (`false && x`), and none when the result is missing only
 * because a record does not exist (no contribution, no such event, no enrolment). Appends
 * nothing when the result is not missing. Runs the unit traced for p first (as
 * expr_run_traced, whose results it leaves in s). SP_IO when out of memory (out may then
 * hold some of the names).
 */
int expr_missing_facts(const struct expr_bound *b, struct expr_scratch *s, const struct person *p,
                       const struct person_history *h, int index, struct buf *out,
                       struct error *err);

/*
 * 1 if expression `index` may end missing because a record does not exist (a history helper
 * such as contributions.first_month() or events.last(), or enrolment.from), directly or
 * through the named values it reads; 0 if only a fact not given can make it missing.
 */
int expr_may_lack_record(const struct expr_unit *u, int index);

/*
 * Why the last run on s stopped early for lane `lane` of the block (lane 0 after
 * expr_run_traced or expr_explain), with in *index the expression it was running; or
 * EXPR_STOP_NONE (and *index -1) when it ran to the end.
 */
enum expr_stop expr_stopped(const struct expr_scratch *s, int lane, int *index);

/*
 * The reason a stop gives, naming the limit, e.g. "stopped after 10,000,000 evaluation steps:
 * the rule is too costly for this household (limit: docs/expressions.md#limits)".
 */
void expr_stop_text(enum expr_stop why, char *out, size_t size);

/*
 * The value of parameter `param` that b's expressions read for person p: the value in force
 * on b's date, or for a grandfathered person the value kept (then *kept is 1, else 0). NULL
 * when the unit reads no such parameter or none has started (param_value_at is then the
 * value in force). Points into the param_set.
 */
const struct param_value *expr_param_used(const struct expr_bound *b, const struct param *param,
                                          const struct person *p, const struct person_history *h,
                                          int *kept);

/* Writes a value of the given type as text ("4000.00", "2022-07-17", "0.11", "true"). */
void expr_format_value(struct expr_type type, int64_t value, const char *text, char *out,
                       size_t size);

#endif
