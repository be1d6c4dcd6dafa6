/*
 * decide_impl.h: what the files of the decision module share (decide.c, decide_reasons.c,
 * decide_columns.c);
 * not for other modules. decide.h is the contract.
 */
#ifndef SPFLOOR_RULES_DECIDE_IMPL_H
#define SPFLOOR_RULES_DECIDE_IMPL_H

#include <string.h>

#include "base/money.h"
#include "rules/decide.h"

#define EXPLAIN_MAX (64u * 1024u) /* bytes of one expression's explanation */

#define DECIDE_ON_CACHE 8 /* contingency dates whose bindings a scratch keeps */

/* The scheme bound with its contingency's parameters on another date (`on`). */
struct decide_on {
    int32_t on;
    struct decide_bound bound; /* as the decide_bound it comes from, but bound.bound is its own */
};

/* The inputs of a contribution, in decide_scratch's inputs[]. */
enum decide_input_kind {
    DECIDE_WAGE,
    DECIDE_FLOOR,
    DECIDE_CAP,
    DECIDE_PART, /* parts 0, 1, 2 */
    DECIDE_INPUTS = DECIDE_PART + 3,
};

/*
 * A contribution input of person i: value v[i & mask] in state st[i & mask], read from the
 * scratch's columns, or (mask 0) one value that stands in for an input the scheme has not: no
 * floor is INT64_MIN, no cap INT64_MAX, no wage or part 0, each EXPR_OK.
 */
struct decide_input {
    const int64_t *v;
    const uint8_t *st;
    int mask;
};

/* Input in's state for person i, and its value into *v. */
static inline uint8_t input_at(const struct decide_input *in, int i, int64_t *v)
{
    *v = in->v[i & in->mask];
    return in->st[i & in->mask];
}

/* Per-thread working memory for one scheme (decide.h). */
struct decide_scratch {
    const struct scheme *scheme;
    struct expr_scratch *expr;
    struct expr_column *columns; /* one per expression of the unit */
    struct expr_value *values;   /* one per expression, for a traced run */
    int n_columns;
    enum expr_kind part_kinds[3];              /* each contribution part's type: a rate or money */
    struct decide_input inputs[DECIDE_INPUTS]; /* the contribution's, found once */
    const struct person *picked[EXPR_BLOCK];   /* the persons of the scheme's country */
    const struct person_history *picked_histories[EXPR_BLOCK];
    int picked_at[EXPR_BLOCK];  /* their positions in the caller's block */
    uint8_t status[EXPR_BLOCK]; /* the conditions' verdict per picked person */
    uint8_t check[EXPR_BLOCK];  /* 1: a condition that may lack a record ended missing */
    uint8_t *lacks_record;      /* per condition: 1 if it may be missing for want of a record */
    struct buf names;           /* the facts a condition waits on, while resolving */

    /* a scheme with a `contingency`: persons whose parameters are read on another date */
    struct decide_on on_cache[DECIDE_ON_CACHE];
    int n_on, next_on;
    struct expr_scratch *expr_on; /* runs them again, leaving expr's lanes as they were */
    struct expr_column *columns_on;
    uint8_t rerun[EXPR_BLOCK];   /* 1: picked person run again on the contingency's date */
    uint8_t pending[EXPR_BLOCK]; /* while grouping them by date */
    int32_t on_date[EXPR_BLOCK];
    uint8_t re_stop[EXPR_BLOCK]; /* where that run stopped (enum expr_stop) */
    int32_t re_stop_at[EXPR_BLOCK];

    /* the column path (decide_block_facts) */
    int columnar;                /* 1: the scheme can run on it (expr_unit_columnar, no
                                    contingency) */
    uint8_t verdict[EXPR_BLOCK]; /* per person: the conditions' states, as flags */
    int slow_at[EXPR_BLOCK];     /* the persons left to the record path, by position */
    const struct person *slow_persons[EXPR_BLOCK];
    const struct person_history *slow_histories[EXPR_BLOCK];
    struct decision slow_out[EXPR_BLOCK];
    uint8_t col_status[EXPR_BLOCK]; /* the columns when the caller wants whole decisions only */
    int64_t col_value[EXPR_BLOCK];
    uint8_t col_known[EXPR_BLOCK]; /* outcome_known's, in decide_block_facts */
};

/*
 * Runs person p traced into s->values with the bound that decides p: b, or for a scheme with
 * a `contingency` whose date for p comes before b's date, the scheme bound with those
 * parameters on that date. *used is that bound (b, or one s keeps until it is freed).
 */
int decide_run_person(const struct decide_bound *b, struct decide_scratch *s,
                      const struct person *p, const struct person_history *h,
                      const struct decide_bound **used, struct error *err);

/*
 * The contribution of row i of s's columns into d (wage clamped to floor and cap, each part
 * with the scheme's rounding); returns the status it leads to: ELIGIBLE, FAILED or
 * PARAMETER_NOT_SET. The columns' states must be the record path's (not EXPR_NOT_KNOWN).
 */
enum decision_status decide_contribution(const struct scheme *sc, const struct decide_scratch *s,
                                         int i, struct decision *d);

/*
 * 1 if a contingency date (state, value) moves the scheme's contingency parameters: it comes
 * before b's date and one of them has another value then. *on is the date.
 */
int decide_contingency_moves(const struct decide_bound *b, uint8_t state, int64_t value,
                             int32_t *on);

/* Condition k of the scheme: its eligibility conditions, then its qualifying ones. */
static inline const struct scheme_expr *decide_condition_at(const struct scheme *sc, int k)
{
    return k < sc->n_eligibility ? &sc->eligibility[k] : &sc->qualifying[k - sc->n_eligibility];
}

/* The conditions' verdict on one person, as flags (decide_conditions_flags). */
enum decide_flag {
    DECIDE_NOT_ELIGIBLE = 1, /* a condition is false */
    DECIDE_FAILED = 2,
    DECIDE_UNSET = 4,        /* a condition needs a parameter not set */
    DECIDE_UNDETERMINED = 8, /* a condition waits on a fact not given */
    DECIDE_CHECK = 16,       /* missing, and the condition may lack a record: resolve it */
    DECIDE_NOT_KNOWN = 32,   /* the column path cannot tell (EXPR_NOT_KNOWN) */
};

/*
 * flags[i] for rows 0..n-1 of s's columns: each condition's state or falsity ORed in. Without
 * a table or branches, so that the column path's build runs it in vectors. Cannot fail.
 */
static inline void decide_conditions_flags(const struct scheme *sc, const struct decide_scratch *s,
                                           int n, uint8_t *flags)
{
    memset(flags, 0, (size_t)n);
    for (int k = 0; k < sc->n_eligibility + sc->n_qualifying; k++) {
        const struct scheme_expr *c = decide_condition_at(sc, k);
        if (c->index < 0) { /* never compiled: read as false, as a missing column always was */
            memset(flags, DECIDE_NOT_ELIGIBLE, (size_t)n);
            continue;
        }
        const uint8_t *st = s->columns[c->index].state;
        const int64_t *v = s->columns[c->index].value;
        const uint8_t missing = DECIDE_UNDETERMINED | (s->lacks_record[k] ? DECIDE_CHECK : 0);
        for (int i = 0; i < n; i++) {
            uint8_t x = st[i];
            flags[i] |=
                (uint8_t)(((x == EXPR_OK) & (v[i] == 0)) * DECIDE_NOT_ELIGIBLE |
                          (x == EXPR_MISSING) * missing | (x == EXPR_PARAM_UNSET) * DECIDE_UNSET |
                          (x == EXPR_FAILED) * DECIDE_FAILED |
                          (x == EXPR_NOT_KNOWN) * DECIDE_NOT_KNOWN);
        }
    }
}

/* The status flags f lead to: a false condition first, then failed, unset, undetermined. */
static inline enum decision_status decide_flags_status(uint8_t f)
{
    return f & DECIDE_NOT_ELIGIBLE   ? DECISION_NOT_ELIGIBLE
           : f & DECIDE_FAILED       ? DECISION_FAILED
           : f & DECIDE_UNSET        ? DECISION_PARAMETER_NOT_SET
           : f & DECIDE_UNDETERMINED ? DECISION_UNDETERMINED
                                     : DECISION_ELIGIBLE;
}

/*
 * Row i's amount and contribution into d (zeroed, stop_at -1, by the caller) when status is
 * ELIGIBLE, and the status they lead to into d->status: an amount not set or failed, or a
 * contribution that cannot be computed, changes it. The columns' states must be the record
 * path's (not EXPR_NOT_KNOWN). Cannot fail.
 */
void decide_outcome(const struct scheme *sc, const struct decide_scratch *s, int i,
                    enum decision_status status, struct decision *d);

/*
 * One part of a contribution on the wage base: a rate (kind EXPR_DECIMAL, or EXPR_INT as a
 * whole rate) times base, rounded by mode; any other kind is an amount taken as it is. 0 with
 * *out set, or 1 when it does not fit an int64 (the decision then FAILED).
 */
static inline int decide_part(enum expr_kind kind, int64_t base, int64_t part, enum rounding mode,
                              int64_t *out)
{
    if (kind == EXPR_INT && __builtin_mul_overflow(part, (int64_t)DECIMAL_SCALE, &part))
        return 1;
    if ((kind == EXPR_INT || kind == EXPR_DECIMAL) &&
        money_mul_rate(base, part, mode, &part) != SP_OK)
        return 1;
    *out = part;
    return 0;
}

/*
 * The contribution on the values v of its inputs (enum decide_input_kind), each known: the
 * wage raised to the floor and lowered to the cap (INT64_MIN and INT64_MAX where there is none
 * to apply) into d->wage, each part the scheme has into d->parts (its bit in d->parts_given)
 * and their sum into d->total. 0, or 1 when a part or the sum does not fit (the decision
 * FAILED; d is then partly written).
 */
static inline int decide_contribution_of(const struct scheme *sc, const struct decide_scratch *s,
                                         const int64_t *v, struct decision *d)
{
    int64_t base = v[DECIDE_WAGE] < v[DECIDE_FLOOR] ? v[DECIDE_FLOOR] : v[DECIDE_WAGE];
    base = base > v[DECIDE_CAP] ? v[DECIDE_CAP] : base;
    int64_t total = 0;
    uint8_t given = 0;
    for (int k = 0; k < 3; k++) {
        if (sc->parts[k].index < 0)
            continue;
        if (decide_part(s->part_kinds[k], base, v[DECIDE_PART + k], sc->rounding, &d->parts[k]) ||
            __builtin_add_overflow(total, d->parts[k], &total))
            return 1;
        given |= (uint8_t)(1u << k);
    }
    d->parts_given = given;
    d->wage = base;
    d->total = total;
    return 0;
}

/* A piece of text: n bytes at s. */
struct decide_text {
    const char *s;
    size_t n;
};

/*
 * Appends the n pieces to out one after the other, without printf (the explanations write
 * one line per condition, scheme and request): all of them, or on failure (SP_BAD_INPUT past
 * the buffer's maximum, SP_IO out of memory) none, as buf_printf.
 */
int decide_put(struct buf *out, const struct decide_text *pieces, int n, struct error *err);

/* Appends the line of decision d, which another scheme of its group excludes: who is paid
 * instead, and the rule. */
int decide_explain_excluded(const struct scheme *sc, const struct person *p,
                            const struct decision *d, struct buf *out, struct error *err);

#endif
