/*
 * decide_columns.c: deciding from a fact block (decide_block_facts). The column path
 * (expr_run_fused) gives each condition's state where it can; the verdict, the amount and the
 * contribution follow from them as decide_block's do, and the persons whose decision needs
 * what only the records hold go to decide_block.
 */
#include <string.h>

#include "rules/decide.h"
#include "rules/decide_impl.h"
#include "rules/fact_block.h"

/*
 * known[i] = 1 when the column path knows every expression of person i's amount and
 * contribution (or the scheme has none), one expression at a time over the lanes.
 */
static void outcome_known(const struct scheme *sc, const struct decide_scratch *s, int n,
                          uint8_t *restrict known)
{
    const struct scheme_expr *e[] = {&sc->amount,   &sc->wage,     &sc->floor,   &sc->cap,
                                     &sc->parts[0], &sc->parts[1], &sc->parts[2]};
    memset(known, 1, (size_t)n);
    for (size_t k = 0; k < sizeof e / sizeof e[0]; k++) {
        if (e[k]->index < 0 || (k > 0 && !sc->has_contribution))
            continue;
        const uint8_t *restrict st = s->columns[e[k]->index].state;
        for (int i = 0; i < n; i++)
            known[i] &= st[i] != EXPR_NOT_KNOWN;
    }
}

/*
 * For a scheme with a contingency: a person whose contingency date is not known here, or
 * moves the scheme's parameters (decide_contingency_moves), is decided again on that date by
 * the record path, whatever the verdict on the bound date says.
 */
static void contingency_lanes(const struct decide_bound *b, struct decide_scratch *s, int n)
{
    const struct expr_column *dates = &s->columns[b->scheme->contingency_date.index];
    for (int i = 0; i < n; i++) {
        int32_t on;
        if (dates->state[i] == EXPR_NOT_KNOWN ||
            decide_contingency_moves(b, dates->state[i], dates->value[i], &on))
            s->verdict[i] = DECIDE_NOT_KNOWN;
    }
}

/*
 * Person i's decision from the column path's results into d, when they decide it: 0 when the
 * record path must (a state not known there, or a missing record to look for). known is
 * outcome_known's.
 */
static int decide_known(const struct scheme *sc, const struct decide_scratch *s,
                        const uint8_t *known, int i, struct decision *d)
{
    uint8_t f = s->verdict[i];
    enum decision_status status = decide_flags_status(f);
    if (status != DECISION_NOT_ELIGIBLE && (f & (DECIDE_NOT_KNOWN | DECIDE_CHECK)))
        return 0;
    if (status == DECISION_ELIGIBLE && !known[i])
        return 0;
    memset(d, 0, sizeof *d);
    d->stop_at = -1;
    decide_outcome(sc, s, i, status, d);
    return 1;
}

/* where the k-th byte of eight read as one word lies in it */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define MARK_SHIFT(k) (8 * (7 - (k)))
#else
#define MARK_SHIFT(k) (8 * (k))
#endif

/*
 * The lanes still to decide (status `work`) that are eligible with nothing left to look for,
 * whose amount is known and OK (amount_st: the amount's states, all OK for a scheme without
 * one), and whose contribution inputs are all OK (an input the scheme has not stands in as OK):
 * their status and value (the contribution's total) as decide_outcome gives them, without a
 * decision record. A part that does not fit, and every other lane, is left to the lane loop.
 */
static void contribution_lanes(const struct scheme *sc, const struct decide_scratch *s,
                               const uint8_t *known, const uint8_t *amount_st, uint8_t work, int n,
                               uint8_t *status, int64_t *value)
{
    const struct decide_input *in = s->inputs;
    /* theirs: marked over the lanes, then gathered without a branch (eligible lanes come
       unpredictably: a branch per lane or per word of marks costs more than it skips) */
    uint8_t mark[EXPR_BLOCK];
    int lanes[EXPR_BLOCK], m = 0;
    for (int i = 0; i < n; i++)
        mark[i] = (status[i] == work) & (s->verdict[i] == 0) & known[i] & (amount_st[i] == EXPR_OK);
    memset(mark + n, 0, (size_t)(EXPR_BLOCK - n));
    for (int i = 0; i < n; i += 8) { /* eight marks read at once (each 0 or 1) */
        uint64_t w;
        memcpy(&w, mark + i, sizeof w);
        for (int k = 0; k < 8; k++) {
            lanes[m] = i + k;
            m += (int)((w >> MARK_SHIFT(k)) & 1);
        }
    }
    for (int j = 0; j < m; j++) {
        int i = lanes[j];
        int64_t v[DECIDE_INPUTS];
        uint8_t st = EXPR_OK;
        for (int k = 0; k < DECIDE_INPUTS; k++)
            st |= input_at(&in[k], i, &v[k]);
        struct decision d;
        if (st != EXPR_OK || decide_contribution_of(sc, s, v, &d))
            continue;
        status[i] = DECISION_ELIGIBLE;
        value[i] = d.total;
    }
}

/* The value column's entry for decision d. */
static int64_t decision_value(const struct decision *d)
{
    if (d->status != DECISION_ELIGIBLE)
        return 0;
    return d->has_contribution ? d->total : d->has_amount ? d->amount : 0;
}

/*
 * Built three times, like expr_run_fused: for processors with AVX-512, with AVX2 and for any
 * other. flatten builds the helpers above into each.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define COLUMN_CLONES                                                                              \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), flatten))
#else
#define COLUMN_CLONES
#endif

COLUMN_CLONES
int decide_block_facts(const struct decide_bound *b, struct decide_scratch *s,
                       const struct fact_block *fb, uint8_t *status, int64_t *value,
                       struct decision *full, struct error *err)
{
    const struct scheme *sc = b->scheme;
    int n = fb->n;
    if ((status == NULL || value == NULL) && full == NULL)
        return error_set(err, SP_BAD_INPUT, "no columns and no decisions to write");
    status = status != NULL ? status : s->col_status;
    value = value != NULL ? value : s->col_value;
    if (n < 0 || n > EXPR_BLOCK)
        return error_set(err, SP_BAD_INPUT, "a block holds 0 to %d persons, not %d", EXPR_BLOCK, n);
    if (n == 0)
        return SP_OK;
    const uint16_t country = FACT_BLOCK_COUNTRY(sc->country);
    int ours = 0; /* persons of the scheme's country */
    for (int i = 0; i < n; i++)
        ours += fb->country[i] == country;
    if (ours == 0) { /* nobody to decide */
        memset(status, DECISION_NOT_APPLICABLE, (size_t)n);
        memset(value, 0, sizeof *value * (size_t)n);
        for (int i = 0; full != NULL && i < n; i++) {
            memset(&full[i], 0, sizeof full[i]);
            full[i].status = DECISION_NOT_APPLICABLE;
            full[i].stop_at = -1;
        }
        return SP_OK;
    }
    if (b->in_force && s->columnar && s->n_columns > 0) {
        int rc = expr_run_fused(b->bound, s->expr, fb, s->columns, err);
        if (rc != SP_OK)
            return rc;
        decide_conditions_flags(sc, s, n, s->verdict);
        if (sc->contingency_date.index >= 0)
            contingency_lanes(b, s, n);
    } else { /* out of force: not eligible; otherwise the record path's */
        memset(s->verdict, b->in_force ? DECIDE_NOT_KNOWN : DECIDE_NOT_ELIGIBLE, (size_t)n);
    }
    /* first what needs no more than the verdict and the amount, every lane at once */
    const uint8_t work = 0xff; /* a lane for decide_known or the record path */
    static const int64_t no_amount[EXPR_BLOCK];
    static const uint8_t amount_ok[EXPR_BLOCK]; /* EXPR_OK */
    const int has_amount = sc->amount.index >= 0;
    const int64_t *amount = has_amount ? s->columns[sc->amount.index].value : no_amount;
    const uint8_t *amount_st = has_amount ? s->columns[sc->amount.index].state : amount_ok;
    const uint8_t simple = !sc->has_contribution; /* eligible needs only the amount */
    { /* restrict: the loops below touch these arrays through these names alone */
        const uint8_t *restrict verdict = s->verdict;
        const uint16_t *restrict countries = fb->country;
        uint8_t *restrict status_out = status;
        int64_t *restrict value_out = value;
        const uint8_t simple_mask = simple ? 0xff : 0;
        for (int i = 0; i < n; i++) { /* byte masks, no branches: 32 lanes to an instruction */
            uint8_t f = verdict[i];
            /* decide_flags_status' order: not eligible; then (here) what the records settle;
               then failed, parameter not set, undetermined; else eligible, when the amount is
               known and there is no contribution to compute */
            uint8_t no = (uint8_t) - ((f & DECIDE_NOT_ELIGIBLE) != 0);
            uint8_t records = (uint8_t) - ((f & (DECIDE_NOT_KNOWN | DECIDE_CHECK)) != 0);
            uint8_t failed = (uint8_t) - ((f & DECIDE_FAILED) != 0);
            uint8_t unset = (uint8_t) - ((f & DECIDE_UNSET) != 0);
            uint8_t undetermined = (uint8_t) - ((f & DECIDE_UNDETERMINED) != 0);
            uint8_t yes = (uint8_t)(-((f | amount_st[i]) == 0) & simple_mask);
            uint8_t st = (uint8_t)(~yes & work) | (yes & DECISION_ELIGIBLE);
            st = (uint8_t)((undetermined & DECISION_UNDETERMINED) | (~undetermined & st));
            st = (uint8_t)((unset & DECISION_PARAMETER_NOT_SET) | (~unset & st));
            st = (uint8_t)((failed & DECISION_FAILED) | (~failed & st));
            st = (uint8_t)((records & work) | (~records & st));
            st = (uint8_t)((no & DECISION_NOT_ELIGIBLE) | (~no & st));
            status_out[i] = st;
        }
        for (int i = 0; i < n; i++)
            status_out[i] =
                countries[i] != country ? (uint8_t)DECISION_NOT_APPLICABLE : status_out[i];
        /* every amount read, then masked: a conditional read becomes a masked load, which
           some processors run very slowly (a page never touched, such as no_amount's) */
        for (int i = 0; i < n; i++)
            value_out[i] = amount[i] & -(int64_t)(status_out[i] == DECISION_ELIGIBLE);
    }
    /* the rest, lane by lane: only when the whole decisions are asked for, or some lane needs
       more than its verdict */
    if (full == NULL && memchr(status, work, (size_t)n) == NULL)
        return SP_OK;
    uint8_t *known = s->col_known;
    outcome_known(sc, s, n, known);
    if (full == NULL && sc->has_contribution) {
        contribution_lanes(sc, s, known, amount_st, work, n, status, value);
        if (memchr(status, work, (size_t)n) == NULL)
            return SP_OK;
    }
    int slow = 0;
    for (int i = 0; i < n; i++) {
        struct decision d;
        if (full == NULL && status[i] != work) { /* on to the next lane that needs work */
            const uint8_t *next = memchr(status + i, work, (size_t)(n - i));
            if (next == NULL)
                break;
            i = (int)(next - status);
        }
        if (status[i] != work) {
            if (full == NULL)
                continue;
            memset(&d, 0, sizeof d);
            d.status = status[i];
            d.stop_at = -1;
            d.amount = value[i];
            d.has_amount = status[i] == DECISION_ELIGIBLE && has_amount;
        } else if (!decide_known(sc, s, known, i, &d)) {
            s->slow_at[slow] = i;
            s->slow_persons[slow] = fb->persons[i];
            s->slow_histories[slow] = fb->histories ? fb->histories[i] : NULL;
            slow++;
            continue;
        }
        status[i] = d.status;
        value[i] = decision_value(&d);
        if (full != NULL)
            full[i] = d;
    }
    if (slow == 0)
        return SP_OK;
    int rc = decide_block(b, s, s->slow_persons, s->slow_histories, slow, s->slow_out, err);
    if (rc != SP_OK)
        return rc;
    for (int k = 0; k < slow; k++) {
        int i = s->slow_at[k];
        status[i] = s->slow_out[k].status;
        value[i] = decision_value(&s->slow_out[k]);
        if (full != NULL)
            full[i] = s->slow_out[k];
    }
    return SP_OK;
}
