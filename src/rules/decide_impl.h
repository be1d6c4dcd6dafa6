/*
 * decide_impl.h: what the files of the decision module share (decide.c, decide_reasons.c);
 * not for other modules. decide.h is the contract.
 */
#ifndef SPFLOOR_RULES_DECIDE_IMPL_H
#define SPFLOOR_RULES_DECIDE_IMPL_H

#include "rules/decide.h"

#define EXPLAIN_MAX (64u * 1024u) /* bytes of one expression's explanation */

/* Per-thread working memory for one scheme (decide.h). */
struct decide_scratch {
    const struct scheme *scheme;
    struct expr_scratch *expr;
    struct expr_column *columns; /* one per expression of the unit */
    struct expr_value *values;   /* one per expression, for a traced run */
    int n_columns;
    enum expr_kind part_kinds[3];            /* each contribution part's type: a rate or money */
    const struct person *picked[EXPR_BLOCK]; /* the persons of the scheme's country */
    const struct person_history *picked_histories[EXPR_BLOCK];
    int picked_at[EXPR_BLOCK];  /* their positions in the caller's block */
    uint8_t status[EXPR_BLOCK]; /* the conditions' verdict per picked person */
    uint8_t check[EXPR_BLOCK];  /* 1: a condition that may lack a record ended missing */
    uint8_t *lacks_record;      /* per condition: 1 if it may be missing for want of a record */
    struct buf names;           /* the facts a condition waits on, while resolving */
};

/* Condition k of the scheme: its eligibility conditions, then its qualifying ones. */
static inline const struct scheme_expr *decide_condition_at(const struct scheme *sc, int k)
{
    return k < sc->n_eligibility ? &sc->eligibility[k] : &sc->qualifying[k - sc->n_eligibility];
}

/* Appends the line of decision d, which another scheme of its group excludes: who is paid
 * instead, and the rule. */
int decide_explain_excluded(const struct scheme *sc, const struct person *p,
                            const struct decision *d, struct buf *out, struct error *err);

#endif
