/*
 * expr_fused.c: the column path. Runs a unit's block program over a fact block's compact
 * columns, every lane at once, in loops the compiler turns into vector instructions. A lane's
 * result is either known (EXPR_OK, with its value) or not known here (EXPR_FAILED): the column
 * path leaves to the record path (expr_run_block) every result it cannot give exactly, so it
 * needs no states but one: known or not, and a definite false still decides an `&&` (and a definite
 * true an `||`) whatever the other side is, as in three-valued logic.
 */
#include <string.h>

#include "base/date.h"
#include "rules/expr_impl.h"
#include "rules/fact_block.h"

/* Not known here: the record path decides. */
#define UNKNOWN EXPR_FAILED

struct lanes {
    int64_t *v;
    uint8_t *u; /* 0: known (EXPR_OK); UNKNOWN otherwise */
};

int expr_unit_columnar(const struct expr_unit *u)
{
    for (int k = 0; k < u->n_code; k++)
        if (u->code[k].op == C_LANE)
            return 0;
    return 1;
}

static struct lanes own(const struct expr_scratch *s, int r)
{
    struct lanes x = {s->val + (size_t)r * EXPR_BLOCK, s->state + (size_t)r * EXPR_BLOCK};
    return x;
}

static struct lanes view(const struct expr_scratch *s, int r)
{
    struct lanes x = {s->views[r].val, s->views[r].st};
    return x;
}

static void fill(struct lanes d, int n, int known, int64_t v)
{
    memset(d.u, known ? EXPR_OK : UNKNOWN, (size_t)n);
    v = known ? v : 0;
    for (int i = 0; i < n; i++)
        d.v[i] = v;
}

static void unknown(struct lanes d, int n)
{
    fill(d, n, 0, 0);
}

/* The vocabulary's index of the fact stored at offset, or -1. */
static int fact_at(int64_t offset)
{
    for (int f = 0; f < expr_fact_count; f++)
        if (expr_facts[f].offset == offset)
            return f;
    return -1;
}

static void load_fact(const struct expr_unit *u, const struct expr_insn *in,
                      const struct fact_block *fb, struct lanes d, int n)
{
    int f = in->op == C_FACT_ENUM ? in->sub : fact_at(in->imm);
    int slot = f >= 0 ? fact_block_slot(f) : -1;
    if (slot < 0) {
        unknown(d, n);
        return;
    }
    if (in->op == C_FACT_MONEY) {
        uint32_t cur = FACT_BLOCK_CURRENCY(u->scope.currency);
        const int64_t *minor = fb->minor[slot];
        const uint32_t *c = fb->currency[slot];
        for (int i = 0; i < n; i++) {
            int ok = c[i] == cur;
            d.u[i] = ok ? EXPR_OK : UNKNOWN;
            d.v[i] = ok ? minor[i] : 0;
        }
        return;
    }
    const int32_t *code = fb->code[slot];
    switch ((enum expr_cop)in->op) {
    case C_FACT_DATE:
        for (int i = 0; i < n; i++) {
            int ok = code[i] != DATE_NONE;
            d.u[i] = ok ? EXPR_OK : UNKNOWN;
            d.v[i] = ok ? code[i] : 0;
        }
        break;
    case C_FACT_INT:
        for (int i = 0; i < n; i++) {
            int ok = code[i] >= 0;
            d.u[i] = ok ? EXPR_OK : UNKNOWN;
            d.v[i] = ok ? code[i] : 0;
        }
        break;
    case C_FACT_ENUM: {
        int words = 0;
        while (expr_facts[f].choices[words] != NULL)
            words++;
        for (int i = 0; i < n; i++) {
            int ok = code[i] != 0 && code[i] <= words;
            d.u[i] = ok ? EXPR_OK : UNKNOWN;
            d.v[i] = ok ? code[i] : 0;
        }
        break;
    }
    case C_FACT_TRI:
        for (int i = 0; i < n; i++) {
            d.u[i] = code[i] == TRISTATE_UNSET ? UNKNOWN : EXPR_OK;
            d.v[i] = code[i] == TRISTATE_TRUE;
        }
        break;
    default:
        unknown(d, n);
        break;
    }
}

/* has(fact) of a compact fact; unknown for the others (text is read from records). */
static void has_fact(const struct expr_insn *in, const struct fact_block *fb, struct lanes d, int n)
{
    int f = (int)in->imm;
    int slot = in->sub == 0 && f >= 0 && f < expr_fact_count ? fact_block_slot(f) : -1;
    if (slot < 0) {
        unknown(d, n);
        return;
    }
    memset(d.u, EXPR_OK, (size_t)n);
    switch ((enum expr_fact_storage)expr_facts[f].storage) {
    case FS_MONEY:
        for (int i = 0; i < n; i++)
            d.v[i] = fb->currency[slot][i] != 0;
        break;
    case FS_DATE:
        for (int i = 0; i < n; i++)
            d.v[i] = fb->code[slot][i] != DATE_NONE;
        break;
    case FS_INT:
        for (int i = 0; i < n; i++)
            d.v[i] = fb->code[slot][i] >= 0;
        break;
    default: /* words and yes/no: a code */
        for (int i = 0; i < n; i++)
            d.v[i] = fb->code[slot][i] != 0;
        break;
    }
}

/* A parameter, the same in every lane but those that may keep a grandfathered value. */
static void param(const struct expr_bound *b, const struct expr_insn *in,
                  const struct fact_block *fb, struct lanes d, int n)
{
    int kept;
    struct expr_xval x = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
    fill(d, n, x.state == EXPR_OK && x.ptr == NULL && !in->text, x.v);
    if (in->op == C_PARAM_GF)
        for (int i = 0; i < n; i++)
            d.u[i] |= fb->enrolled[i] ? UNKNOWN : EXPR_OK;
}

#define CMP_CASES(a_expr, b_expr)                                                                  \
    switch (tok) {                                                                                 \
    case T_EQ:                                                                                     \
        for (int i = 0; i < n; i++)                                                                \
            d.v[i] = (a_expr) == (b_expr);                                                         \
        break;                                                                                     \
    case T_NE:                                                                                     \
        for (int i = 0; i < n; i++)                                                                \
            d.v[i] = (a_expr) != (b_expr);                                                         \
        break;                                                                                     \
    case T_LT:                                                                                     \
        for (int i = 0; i < n; i++)                                                                \
            d.v[i] = (a_expr) < (b_expr);                                                          \
        break;                                                                                     \
    case T_LE:                                                                                     \
        for (int i = 0; i < n; i++)                                                                \
            d.v[i] = (a_expr) <= (b_expr);                                                         \
        break;                                                                                     \
    case T_GT:                                                                                     \
        for (int i = 0; i < n; i++)                                                                \
            d.v[i] = (a_expr) > (b_expr);                                                          \
        break;                                                                                     \
    default:                                                                                       \
        for (int i = 0; i < n; i++)                                                                \
            d.v[i] = (a_expr) >= (b_expr);                                                         \
        break;                                                                                     \
    }

/* d = a tok b; a lane is known when both sides are. d may be a's or b's register. */
static void compare(int tok, struct lanes a, struct lanes b, struct lanes d, int n)
{
    for (int i = 0; i < n; i++)
        d.u[i] = a.u[i] | b.u[i];
    CMP_CASES(a.v[i], b.v[i]);
}

static void compare_imm(int tok, struct lanes a, int64_t k, struct lanes d, int n)
{
    if (d.u != a.u)
        memcpy(d.u, a.u, (size_t)n);
    CMP_CASES(a.v[i], k);
}

/*
 * A history helper without arguments: one result for every person with no events and no
 * contributions, as the record path computes it; the others are the record path's.
 */
static void history(const struct expr_bound *b, const struct expr_insn *in,
                    const struct fact_block *fb, struct lanes d, int n)
{
    int64_t args[3] = {0, 0, 0}, v = 0;
    uint8_t st =
        in->sub == 0 ? expr_hist_apply(b, &b->u->nodes[in->node], NULL, args, 0, &v) : UNKNOWN;
    fill(d, n, st == EXPR_OK, v);
    for (int i = 0; st == EXPR_OK && fb->histories != NULL && i < n; i++) {
        const struct person_history *h = fb->histories[i];
        if (h != NULL && (h->n_events > 0 || h->n_contributions > 0)) {
            d.u[i] = UNKNOWN;
            d.v[i] = 0;
        }
    }
}

/* Three-valued && and ||: a known false (true) decides whatever the other side is. */
static void logic(int is_and, struct lanes a, struct lanes b, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        int ka = a.u[i] == EXPR_OK, kb = b.u[i] == EXPR_OK;
        int va = a.v[i] != 0, vb = b.v[i] != 0;
        /* the side that decides alone: false for &&, true for || */
        int decides = is_and ? (ka & !va) | (kb & !vb) : (ka & va) | (kb & vb);
        int known = decides | (ka & kb);
        d.u[i] = known ? EXPR_OK : UNKNOWN;
        d.v[i] = known & (is_and ? !decides : decides | (va | vb));
    }
}

static void select_lanes(struct lanes a, struct lanes b, struct lanes c, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        int pick_b = a.v[i] != 0;
        uint8_t u = pick_b ? b.u[i] : c.u[i];
        int64_t v = pick_b ? b.v[i] : c.v[i];
        d.u[i] = a.u[i] | u;
        d.v[i] = (a.u[i] | u) ? 0 : v;
    }
}

/* Lanes whose operands are all known, one at a time through the scalar helpers. */
static void scalar(const struct expr_bound *b, const struct expr_insn *in, const struct lanes *r,
                   int count, struct lanes d, int n)
{
    const struct expr_node *node = &b->u->nodes[in->node];
    for (int i = 0; i < n; i++) {
        int64_t args[3] = {0, 0, 0}, v = 0;
        uint8_t u = EXPR_OK;
        for (int k = 0; k < count; k++) {
            u |= r[k].u[i];
            args[k] = r[k].v[i];
        }
        if (u == EXPR_OK) {
            switch ((enum expr_cop)in->op) {
            case C_ARITH:
                u = expr_arith(in->sub, args[0], args[1], b->u->scope.rounding, &v);
                break;
            case C_NEG:
                u = expr_neg(args[0], &v);
                break;
            case C_TODEC:
                u = expr_todec(args[0], &v);
                break;
            case C_AGE_YEARS:
                u = expr_age_years_fast(b, args[0], &v);
                break;
            default: /* C_CALL */
                u = expr_builtin_apply(b, node, args, count, &v);
                break;
            }
        }
        d.u[i] = u == EXPR_OK ? EXPR_OK : UNKNOWN;
        d.v[i] = u == EXPR_OK ? v : 0;
    }
}

/* age_years of known birth dates within the age table, in one pass; others one by one. */
static void age_years(const struct expr_bound *b, struct lanes a, struct lanes d, int n)
{
    if (!b->age_ok) {
        scalar(b, &(struct expr_insn){.op = C_AGE_YEARS, .node = 0}, &a, 1, d, n);
        return;
    }
    const int64_t limit = (int64_t)EXPR_AGE_TABLE * 365;
    int rest = 0;
    for (int i = 0; i < n; i++) {
        int64_t days = b->as_of - a.v[i];
        int in_table = days >= 0 && days < limit;
        int64_t y = in_table ? days / 366 : 0;
        d.v[i] = y + (a.v[i] <= b->age_cut[y + 1]);
        rest |= !in_table & (a.u[i] == EXPR_OK);
        d.u[i] = a.u[i];
    }
    for (int i = 0; rest && i < n; i++) {
        int64_t days = b->as_of - a.v[i], v = 0;
        if (a.u[i] != EXPR_OK || (days >= 0 && days < limit))
            continue;
        uint8_t st = expr_age_years_slow(b, a.v[i], &v);
        d.u[i] = st == EXPR_OK ? EXPR_OK : UNKNOWN;
        d.v[i] = st == EXPR_OK ? v : 0;
    }
}

static void output(struct lanes a, int n, struct expr_column *col)
{
    memcpy(col->state, a.u, (size_t)n);
    memcpy(col->value, a.v, sizeof *col->value * (size_t)n);
}

/*
 * Built twice: for processors with AVX2 (x86-64-v3: 64-bit lanes compare four at a time) and
 * for any other; the loader picks one when the program starts.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FUSED_CLONES __attribute__((target_clones("arch=x86-64-v3", "default"), flatten))
#else
#define FUSED_CLONES
#endif

FUSED_CLONES
int expr_run_fused(const struct expr_bound *b, struct expr_scratch *s, const struct fact_block *fb,
                   struct expr_column *out, struct error *err)
{
    const struct expr_unit *u = b->u;
    int n = fb->n;
    if (s->u != u || s->n_regs < u->n_regs)
        return error_set(err, SP_BAD_INPUT,
                         "scratch was made for another unit, or before its "
                         "last expression was added");
    if (n < 1 || n > EXPR_BLOCK)
        return error_set(err, SP_BAD_INPUT, "a block holds 1 to %d persons, not %d", EXPR_BLOCK, n);
    if (!expr_unit_columnar(u))
        return error_set(err, SP_BAD_INPUT, "the unit has steps the column path cannot run");
    for (int k = 0; k < u->n_code; k++) {
        const struct expr_insn *in = &u->code[k];
        if (in->op == C_OUT) {
            output(view(s, in->a), n, &out[in->imm]);
            continue;
        }
        if (in->op == C_NAMED) { /* read the earlier result in place */
            s->views[in->dst].val = out[in->imm].value;
            s->views[in->dst].st = out[in->imm].state;
            continue;
        }
        struct lanes r[3];
        const int16_t operands[3] = {in->a, in->b, in->c};
        int count = 0;
        for (int k2 = 0; k2 < 3; k2++)
            if (operands[k2] >= 0)
                r[count++] = view(s, operands[k2]);
        struct lanes d = own(s, in->dst);
        switch ((enum expr_cop)in->op) {
        case C_FACT_ENUM:
        case C_FACT_DATE:
        case C_FACT_MONEY:
        case C_FACT_TRI:
        case C_FACT_INT:
            load_fact(u, in, fb, d, n);
            break;
        case C_CONST:
            fill(d, n, !in->text, in->imm);
            break;
        case C_PARAM:
        case C_PARAM_GF:
            param(b, in, fb, d, n);
            break;
        case C_AS_OF:
            fill(d, n, 1, b->as_of);
            break;
        case C_NOT:
            for (int i = 0; i < n; i++) {
                d.u[i] = r[0].u[i];
                d.v[i] = r[0].u[i] == EXPR_OK && !r[0].v[i];
            }
            break;
        case C_AND:
        case C_OR:
            logic(in->op == C_AND, r[0], r[1], d, n);
            break;
        case C_SEL:
            if (in->text)
                unknown(d, n);
            else
                select_lanes(r[0], r[1], r[2], d, n);
            break;
        case C_CMP:
            compare(in->sub, r[0], r[1], d, n);
            break;
        case C_CMPI:
            compare_imm(in->sub, r[0], in->imm, d, n);
            break;
        case C_IN_CONST:
            if (in->sub != 1) {
                unknown(d, n);
                break;
            }
            for (int i = 0; i < n; i++) {
                int64_t x = r[0].v[i];
                d.u[i] = r[0].u[i];
                d.v[i] = r[0].u[i] == EXPR_OK && x > 0 && x < 64 && ((in->imm >> x) & 1);
            }
            break;
        case C_AGE_YEARS:
            age_years(b, r[0], d, n);
            break;
        case C_ARITH:
        case C_NEG:
        case C_TODEC:
        case C_CALL:
            scalar(b, in, r, in->op == C_CALL ? in->sub : count, d, n);
            break;
        case C_HAS:
            has_fact(in, fb, d, n);
            break;
        case C_HIST:
            history(b, in, fb, d, n);
            break;
        case C_ENROLLED:
            for (int i = 0; i < n; i++) { /* no enrolment: not enrolled */
                d.u[i] = fb->enrolled[i] ? UNKNOWN : EXPR_OK;
                d.v[i] = 0;
            }
            break;
        default: /* text, lists, extra facts, enrolment dates: the record path's */
            unknown(d, n);
            break;
        }
        s->views[in->dst].val = d.v;
        s->views[in->dst].st = d.u;
    }
    return SP_OK;
}
