/*
 * expr_fused.c: the column path. Runs a unit's block program over a fact block's compact
 * columns, every lane at once, in loops the compiler turns into vector instructions.
 *
 * A lane's state is the one the record path (expr_run_block) would give, or EXPR_NOT_KNOWN
 * where the column path cannot tell (text and list facts, histories, a grandfathered
 * parameter of an enrolled person). EXPR_NOT_KNOWN is the highest state, so the worst-of rule
 * the record path merges states with gives it whenever an operand might have decided
 * otherwise; and a known false still decides an `&&` (a known true an `||`) whatever the other
 * side is, as in three-valued logic. Every per-lane computation on values calls the record
 * path's helpers or does exactly what they do, so the two agree (test_decide checks it on
 * every shipped scheme).
 */
#include <string.h>

#include "base/date.h"
#include "rules/expr_impl.h"
#include "rules/fact_block.h"

#define NOT_KNOWN EXPR_NOT_KNOWN

struct lanes {
    int64_t *v;
    uint8_t *u; /* enum expr_state */
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

static void fill(struct lanes d, int n, uint8_t state, int64_t v)
{
    memset(d.u, state, (size_t)n);
    v = state == EXPR_OK ? v : 0;
    for (int i = 0; i < n; i++)
        d.v[i] = v;
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
        fill(d, n, NOT_KNOWN, 0);
        return;
    }
    if (in->op == C_FACT_MONEY) { /* another currency fails */
        uint32_t cur = FACT_BLOCK_CURRENCY(u->scope.currency);
        const int64_t *minor = fb->minor[slot];
        const uint32_t *c = fb->currency[slot];
        for (int i = 0; i < n; i++) {
            uint8_t st = c[i] == 0 ? EXPR_MISSING : c[i] != cur ? EXPR_FAILED : EXPR_OK;
            d.u[i] = st;
            d.v[i] = st == EXPR_OK ? minor[i] : 0;
        }
        return;
    }
    const int32_t *code = fb->code[slot];
    switch ((enum expr_cop)in->op) {
    case C_FACT_DATE:
        for (int i = 0; i < n; i++) {
            int given = code[i] != DATE_NONE;
            d.u[i] = given ? EXPR_OK : EXPR_MISSING;
            d.v[i] = given ? code[i] : 0;
        }
        break;
    case C_FACT_INT:
        for (int i = 0; i < n; i++) {
            int given = code[i] >= 0;
            d.u[i] = given ? EXPR_OK : EXPR_MISSING;
            d.v[i] = given ? code[i] : 0;
        }
        break;
    case C_FACT_ENUM: {
        int words = 0;
        while (expr_facts[f].choices[words] != NULL)
            words++;
        for (int i = 0; i < n; i++) {
            uint8_t st = code[i] == 0 ? EXPR_MISSING : code[i] > words ? EXPR_FAILED : EXPR_OK;
            d.u[i] = st;
            d.v[i] = st == EXPR_OK ? code[i] : 0;
        }
        break;
    }
    case C_FACT_TRI:
        for (int i = 0; i < n; i++) {
            d.u[i] = code[i] == TRISTATE_UNSET ? EXPR_MISSING : EXPR_OK;
            d.v[i] = code[i] == TRISTATE_TRUE;
        }
        break;
    default:
        fill(d, n, NOT_KNOWN, 0);
        break;
    }
}

/* has(fact) of a compact fact; not known for the others (text is read from records). */
static void has_fact(const struct expr_insn *in, const struct fact_block *fb, struct lanes d, int n)
{
    int f = (int)in->imm;
    int slot = in->sub == 0 && f >= 0 && f < expr_fact_count ? fact_block_slot(f) : -1;
    if (slot < 0) {
        fill(d, n, NOT_KNOWN, 0);
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

/* A parameter: the same in every lane but those that may keep a grandfathered value. */
static void param(const struct expr_bound *b, const struct expr_insn *in,
                  const struct fact_block *fb, struct lanes d, int n)
{
    int kept;
    struct expr_xval x = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
    /* a list or text value is for the record path's operations */
    int scalar = x.ptr == NULL && !in->text;
    fill(d, n, x.state != EXPR_OK ? x.state : scalar ? EXPR_OK : NOT_KNOWN, x.v);
    if (in->op == C_PARAM_GF)
        for (int i = 0; i < n; i++)
            d.u[i] = fb->enrolled[i] ? NOT_KNOWN : d.u[i];
}

/*
 * A history helper without arguments: one result for every person with no events and no
 * contributions, as the record path computes it; the others are the record path's.
 */
static void history(const struct expr_bound *b, const struct expr_insn *in,
                    const struct fact_block *fb, struct lanes d, int n)
{
    if (in->sub != 0) {
        fill(d, n, NOT_KNOWN, 0);
        return;
    }
    int64_t args[3] = {0, 0, 0}, v = 0;
    uint8_t st = expr_hist_apply(b, &b->u->nodes[in->node], NULL, args, 0, &v);
    fill(d, n, st, v);
    for (int i = 0; fb->histories != NULL && i < n; i++) {
        const struct person_history *h = fb->histories[i];
        if (h != NULL && (h->n_events > 0 || h->n_contributions > 0)) {
            d.u[i] = NOT_KNOWN;
            d.v[i] = 0;
        }
    }
}

static inline uint8_t worst(uint8_t a, uint8_t b)
{
    return a > b ? a : b;
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

/*
 * d = a tok b, 0 where a state is not OK (values of lanes not OK are 0 on both paths, and a
 * comparison of them is masked below). d may be a's or b's register.
 */
static void compare(int tok, struct lanes a, struct lanes b, struct lanes d, int n)
{
    CMP_CASES(a.v[i], b.v[i]);
    for (int i = 0; i < n; i++) {
        d.u[i] = worst(a.u[i], b.u[i]);
        d.v[i] &= d.u[i] == EXPR_OK;
    }
}

static void compare_imm(int tok, struct lanes a, int64_t k, struct lanes d, int n)
{
    CMP_CASES(a.v[i], k);
    for (int i = 0; i < n; i++) {
        d.u[i] = a.u[i];
        d.v[i] &= a.u[i] == EXPR_OK;
    }
}

/*
 * Three-valued && and ||: a known false (&&) or true (||) decides whatever the other side is;
 * otherwise the worse state. Written without branches, so that the lanes run in vectors.
 */
static void logic_and(struct lanes a, struct lanes b, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        int64_t ua = a.u[i], ub = b.u[i];
        int64_t decides = ((ua == EXPR_OK) & (a.v[i] == 0)) | ((ub == EXPR_OK) & (b.v[i] == 0));
        int64_t st = (ua > ub ? ua : ub) & (decides - 1); /* OK when decided */
        d.u[i] = (uint8_t)st;
        d.v[i] = (st == EXPR_OK) & !decides;
    }
}

static void logic_or(struct lanes a, struct lanes b, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        int64_t ua = a.u[i], ub = b.u[i];
        int64_t decides = ((ua == EXPR_OK) & (a.v[i] != 0)) | ((ub == EXPR_OK) & (b.v[i] != 0));
        int64_t st = (ua > ub ? ua : ub) & (decides - 1);
        d.u[i] = (uint8_t)st;
        d.v[i] = decides;
    }
}

static void select_lanes(struct lanes a, struct lanes b, struct lanes c, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        int64_t pick_b = a.v[i] != 0;
        int64_t ua = a.u[i];
        int64_t st = ua != EXPR_OK ? ua : pick_b ? (int64_t)b.u[i] : (int64_t)c.u[i];
        int64_t v = pick_b ? b.v[i] : c.v[i];
        d.u[i] = (uint8_t)st;
        d.v[i] = st == EXPR_OK ? v : 0;
    }
}

/* Lanes one at a time through the record path's scalar helpers. */
static void scalar(const struct expr_bound *b, const struct expr_insn *in, const struct lanes *r,
                   int count, struct lanes d, int n)
{
    const struct expr_node *node = &b->u->nodes[in->node];
    for (int i = 0; i < n; i++) {
        int64_t args[3] = {0, 0, 0}, v = 0;
        uint8_t st = EXPR_OK;
        for (int k = 0; k < count; k++) {
            st = worst(st, r[k].u[i]);
            args[k] = r[k].v[i];
        }
        if (st == EXPR_OK) {
            switch ((enum expr_cop)in->op) {
            case C_ARITH:
                st = expr_arith(in->sub, args[0], args[1], b->u->scope.rounding, &v);
                break;
            case C_NEG:
                st = expr_neg(args[0], &v);
                break;
            case C_TODEC:
                st = expr_todec(args[0], &v);
                break;
            default: /* C_CALL */
                st = expr_builtin_apply(b, node, args, count, &v);
                break;
            }
        }
        d.u[i] = st;
        d.v[i] = st == EXPR_OK ? v : 0;
    }
}

/* min and max of two operands, as the record path computes them. */
static void min_max(int is_min, struct lanes x, struct lanes y, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        uint8_t st = worst(x.u[i], y.u[i]);
        int64_t v = (x.v[i] < y.v[i]) == is_min ? x.v[i] : y.v[i];
        d.u[i] = st;
        d.v[i] = st == EXPR_OK ? v : 0;
    }
}

/*
 * age_years of birth dates on the bound date by table, as expr_age_years_fast: the whole years
 * are (as_of - birth) / 366, or one more when the birth is on or before the next year's cut.
 * (days * 2865) >> 20 is days / 366 for every 0 <= days < 160 * 365.
 */
#define DIV366_MUL   2865
#define DIV366_SHIFT 20

static void age_years(const struct expr_bound *b, struct lanes a, struct lanes d, int n)
{
    const int64_t limit = b->age_ok ? (int64_t)EXPR_AGE_TABLE * 365 : 0, as_of = b->as_of;
    const int32_t *cut = b->age_cut;
    int64_t rest = 0;
    for (int i = 0; i < n; i++) {
        int64_t birth = a.v[i], days = as_of - birth;
        int64_t in_table = (days >= 0) & (days < limit);
        int64_t y = ((days & -in_table) * DIV366_MUL) >> DIV366_SHIFT;
        int64_t age = y + (birth <= cut[y + 1]);
        int64_t ok = a.u[i] == EXPR_OK;
        rest |= ok & !in_table;
        d.u[i] = a.u[i];
        d.v[i] = age & -ok;
    }
    for (int i = 0; rest && i < n; i++) { /* outside the table: one by one */
        int64_t days = as_of - a.v[i], v = 0;
        if (a.u[i] != EXPR_OK || (days >= 0 && days < limit))
            continue;
        uint8_t st = expr_age_years_slow(b, a.v[i], &v);
        d.u[i] = st;
        d.v[i] = st == EXPR_OK ? v : 0;
    }
}

static void in_enum_codes(const struct expr_insn *in, struct lanes a, struct lanes d, int n)
{
    for (int i = 0; i < n; i++) {
        int64_t x = a.v[i];
        int64_t bit = x > 0 && x < 64 ? (in->imm >> (x & 63)) & 1 : 0;
        d.u[i] = a.u[i];
        d.v[i] = a.u[i] == EXPR_OK ? bit : 0;
    }
}

/*
 * Built twice: for processors with AVX2 (x86-64-v3: 64-bit lanes compare four at a time) and
 * for any other; the loader picks one when the program starts. flatten builds the helpers
 * above into each.
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
            struct lanes a = view(s, in->a);
            memcpy(out[in->imm].state, a.u, (size_t)n);
            memcpy(out[in->imm].value, a.v, sizeof *a.v * (size_t)n);
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
        for (int j = 0; j < 3; j++)
            if (operands[j] >= 0)
                r[count++] = view(s, operands[j]);
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
            fill(d, n, in->text ? NOT_KNOWN : EXPR_OK, in->imm);
            break;
        case C_PARAM:
        case C_PARAM_GF:
            param(b, in, fb, d, n);
            break;
        case C_AS_OF:
            fill(d, n, EXPR_OK, b->as_of);
            break;
        case C_NOT:
            for (int i = 0; i < n; i++) {
                d.u[i] = r[0].u[i];
                d.v[i] = r[0].u[i] == EXPR_OK && !r[0].v[i];
            }
            break;
        case C_AND:
            logic_and(r[0], r[1], d, n);
            break;
        case C_OR:
            logic_or(r[0], r[1], d, n);
            break;
        case C_SEL:
            if (in->text)
                fill(d, n, NOT_KNOWN, 0);
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
            if (in->sub == 1)
                in_enum_codes(in, r[0], d, n);
            else
                fill(d, n, NOT_KNOWN, 0);
            break;
        case C_AGE_YEARS:
            age_years(b, r[0], d, n);
            break;
        case C_CALL: {
            int which = u->nodes[in->node].sub;
            if (which == B_MIN || which == B_MAX)
                min_max(which == B_MIN, r[0], r[1], d, n);
            else
                scalar(b, in, r, in->sub, d, n);
            break;
        }
        case C_ARITH:
        case C_NEG:
        case C_TODEC:
            scalar(b, in, r, count, d, n);
            break;
        case C_HAS:
            has_fact(in, fb, d, n);
            break;
        case C_HIST:
            history(b, in, fb, d, n);
            break;
        case C_ENROLLED:
            for (int i = 0; i < n; i++) { /* no enrolment: not enrolled */
                d.u[i] = fb->enrolled[i] ? NOT_KNOWN : EXPR_OK;
                d.v[i] = 0;
            }
            break;
        default: /* text, lists, extra facts, enrolment dates: the record path's */
            fill(d, n, NOT_KNOWN, 0);
            break;
        }
        s->views[in->dst].val = d.v;
        s->views[in->dst].st = d.u;
    }
    return SP_OK;
}
