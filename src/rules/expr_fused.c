/*
 * expr_fused.c: the column path. Runs a unit's block program over a fact block's compact
 * columns, every lane at once, in loops the compiler turns into vector instructions.
 *
 * A lane's state is the one the record path (expr_run_block) would give, or EXPR_NOT_KNOWN
 * where the column path cannot tell (text facts; a list read otherwise than by `"word" in
 * list` or `list.exists(x, x in K)`, or holding what is not one of its words; histories; a
 * grandfathered parameter of an enrolled person). EXPR_NOT_KNOWN is the highest state, so the
 * worst-of rule the record path merges states with gives it whenever an operand might have decided
 * otherwise; and a known false still decides an `&&` (a known true an `||`) whatever the other
 * side is, as in three-valued logic. Every per-lane computation on values calls the record
 * path's helpers or does exactly what they do, so the two agree (test_decide checks it on
 * every shipped scheme).
 *
 * What makes it fast:
 *   - a register the same in every lane (a constant, a parameter, the date, what is not known)
 *     is held once, "uniform", and an operation with it reads one value, not a column;
 *   - booleans are bytes (0/1) beside the states, so `&&`, `||` and `!` run 32 lanes to an
 *     instruction; a boolean gets 64-bit values only when something reads it as a number;
 *   - loops read and write one width where they can, so that they become vector loops;
 *   - a value whose state is not EXPR_OK is left as it falls: nothing reads it.
 */
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "rules/expr_impl.h"
#include "rules/fact_block.h"

#define NOT_KNOWN EXPR_NOT_KNOWN

/* A register or result as the column path holds it. */
struct fview {
    int64_t *v;       /* values, or NULL when a boolean has only bits */
    uint8_t *u;       /* states (enum expr_state) */
    uint8_t *bits;    /* a boolean's values as 0/1 bytes, or NULL */
    uint8_t uniform;  /* 1: lane 0 holds every lane's value and state */
    int16_t list;     /* a list fact's index when v holds its bitsets (fact_block), else -1 */
    const char *text; /* a text constant (uniform, its state NOT_KNOWN), else NULL */
};

#define OPERANDS 3

struct expr_fused_mem {
    int n_regs, n_defs;
    struct fview *views; /* n_regs: where each register is now */
    struct fview *cols;  /* n_defs: each result as last written */
    uint8_t *bits;       /* n_regs * EXPR_BLOCK: registers' own booleans */
    uint8_t *col_bits;   /* n_defs * EXPR_BLOCK: results' booleans */
    /* operands made whole (a uniform one spread over the lanes, bits widened) */
    int64_t tmp_v[OPERANDS][EXPR_BLOCK];
    uint8_t tmp_u[OPERANDS][EXPR_BLOCK];
    uint8_t tmp_b[OPERANDS][EXPR_BLOCK];
};

void expr_fused_free(struct expr_fused_mem *m)
{
    if (m == NULL)
        return;
    sp_free(m->views);
    sp_free(m->cols);
    sp_free(m->bits);
    sp_free(m->col_bits);
    sp_free(m);
}

static int fused_mem(struct expr_scratch *s, const struct expr_unit *u, struct error *err)
{
    if (s->fused != NULL && s->fused->n_regs >= u->n_regs && s->fused->n_defs >= u->n_defs)
        return SP_OK;
    expr_fused_free(s->fused);
    struct expr_fused_mem *m = sp_calloc(1, sizeof *m);
    s->fused = m;
    if (m == NULL)
        return error_nomem(err);
    size_t regs = (size_t)(u->n_regs > 0 ? u->n_regs : 1);
    size_t defs = (size_t)(u->n_defs > 0 ? u->n_defs : 1);
    m->n_regs = u->n_regs;
    m->n_defs = u->n_defs;
    m->views = sp_calloc(regs, sizeof *m->views);
    m->cols = sp_calloc(defs, sizeof *m->cols);
    m->bits = sp_calloc(regs * EXPR_BLOCK, 1);
    m->col_bits = sp_calloc(defs * EXPR_BLOCK, 1);
    if (m->views == NULL || m->cols == NULL || m->bits == NULL || m->col_bits == NULL) {
        expr_fused_free(m);
        s->fused = NULL;
        return error_nomem(err);
    }
    return SP_OK;
}

int expr_unit_columnar(const struct expr_unit *u)
{
    for (int k = 0; k < u->n_code; k++)
        if (u->code[k].op == C_LANE)
            return 0;
    return 1;
}

/* Register r's own storage. */
static struct fview own(const struct expr_scratch *s, int r)
{
    struct fview x = {s->val + (size_t)r * EXPR_BLOCK,
                      s->state + (size_t)r * EXPR_BLOCK,
                      s->fused->bits + (size_t)r * EXPR_BLOCK,
                      0,
                      -1,
                      NULL};
    return x;
}

/* The value of a uniform view. */
static int64_t uniform_value(struct fview x)
{
    return x.v != NULL ? x.v[0] : x.bits[0];
}

/* A register the same in every lane: state st and value v (booleans also as a bit). */
static struct fview uniform(struct fview d, uint8_t st, int64_t v)
{
    v = st == EXPR_OK ? v : 0;
    d.u[0] = st;
    d.v[0] = v;
    d.bits[0] = v != 0;
    d.uniform = 1;
    d.list = -1;
    d.text = NULL;
    return d;
}

/* x's values and states over n lanes (k: which operand's room to use). */
static struct fview whole_values(struct expr_fused_mem *m, struct fview x, int k, int n)
{
    if (x.uniform) {
        int64_t v = uniform_value(x);
        memset(m->tmp_u[k], x.u[0], (size_t)n);
        for (int i = 0; i < n; i++)
            m->tmp_v[k][i] = v;
        struct fview w = {m->tmp_v[k], m->tmp_u[k], NULL, 0, -1, NULL};
        return w;
    }
    if (x.v == NULL) {
        for (int i = 0; i < n; i++)
            m->tmp_v[k][i] = x.bits[i];
        x.v = m->tmp_v[k];
    }
    return x;
}

/* x's booleans and states over n lanes. */
static struct fview whole_bits(struct expr_fused_mem *m, struct fview x, int k, int n)
{
    if (x.uniform) {
        memset(m->tmp_u[k], x.u[0], (size_t)n);
        memset(m->tmp_b[k], uniform_value(x) != 0, (size_t)n);
        struct fview w = {NULL, m->tmp_u[k], m->tmp_b[k], 0, -1, NULL};
        return w;
    }
    if (x.bits == NULL) {
        for (int i = 0; i < n; i++)
            m->tmp_b[k][i] = x.v[i] != 0;
        x.bits = m->tmp_b[k];
    }
    return x;
}

static struct fview load_fact(const struct expr_unit *u, const struct expr_insn *in,
                              const struct fact_block *fb, struct fview d, int n)
{
    int f = in->sub; /* the compiler's fact index (expr_compile.c) */
    int slot = fact_block_slot(f);
    if (slot < 0)
        return uniform(d, NOT_KNOWN, 0);
    if (in->op == C_FACT_MONEY) { /* another currency fails */
        uint32_t cur = FACT_BLOCK_CURRENCY(u->scope.currency);
        const uint32_t *c = fb->currency[slot];
        memcpy(d.v, fb->minor[slot], sizeof *d.v * (size_t)n);
        for (int i = 0; i < n; i++)
            d.u[i] = c[i] == 0 ? EXPR_MISSING : c[i] != cur ? EXPR_FAILED : EXPR_OK;
        d.bits = NULL;
        return d;
    }
    const int32_t *code = fb->code[slot];
    if (in->op == C_FACT_TRI) { /* a yes/no: a boolean */
        for (int i = 0; i < n; i++) {
            d.u[i] = code[i] == TRISTATE_UNSET ? EXPR_MISSING : EXPR_OK;
            d.bits[i] = code[i] == TRISTATE_TRUE;
        }
        d.v = NULL;
        return d;
    }
    for (int i = 0; i < n; i++)
        d.v[i] = code[i];
    switch ((enum expr_cop)in->op) {
    case C_FACT_DATE:
        for (int i = 0; i < n; i++)
            d.u[i] = code[i] == DATE_NONE ? EXPR_MISSING : EXPR_OK;
        break;
    case C_FACT_INT:
        for (int i = 0; i < n; i++)
            d.u[i] = code[i] < 0 ? EXPR_MISSING : EXPR_OK;
        break;
    case C_FACT_LIST: /* bitsets; a list the block could not hold is the record's */
        for (int i = 0; i < n; i++)
            d.u[i] = code[i] < 0 ? (uint8_t)NOT_KNOWN : EXPR_OK;
        d.list = (int16_t)f;
        break;
    case C_FACT_ENUM: {
        int words = 0;
        while (expr_facts[f].choices[words] != NULL)
            words++;
        for (int i = 0; i < n; i++)
            d.u[i] = code[i] == 0 ? EXPR_MISSING : code[i] > words ? EXPR_FAILED : EXPR_OK;
        break;
    }
    default:
        return uniform(d, NOT_KNOWN, 0);
    }
    d.bits = NULL;
    return d;
}

/* has(fact) of a compact fact; not known for the others (text is read from records). */
static struct fview has_fact(const struct expr_insn *in, const struct fact_block *fb,
                             struct fview d, int n)
{
    int f = (int)in->imm;
    int slot = in->sub == 0 && f >= 0 && f < expr_fact_count ? fact_block_slot(f) : -1;
    if (slot < 0)
        return uniform(d, NOT_KNOWN, 0);
    memset(d.u, EXPR_OK, (size_t)n);
    switch ((enum expr_fact_storage)expr_facts[f].storage) {
    case FS_MONEY:
        for (int i = 0; i < n; i++)
            d.bits[i] = fb->currency[slot][i] != 0;
        break;
    case FS_DATE:
        for (int i = 0; i < n; i++)
            d.bits[i] = fb->code[slot][i] != DATE_NONE;
        break;
    case FS_INT:
        for (int i = 0; i < n; i++)
            d.bits[i] = fb->code[slot][i] >= 0;
        break;
    default: /* words and yes/no: a code */
        for (int i = 0; i < n; i++)
            d.bits[i] = fb->code[slot][i] != 0;
        break;
    }
    d.v = NULL;
    return d;
}

/* A parameter: the same in every lane but those that may keep a grandfathered value. */
static struct fview param(const struct expr_bound *b, const struct expr_insn *in,
                          const struct fact_block *fb, struct fview d, int n)
{
    int kept;
    struct expr_xval x = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
    /* a list or text value is for the record path's operations */
    int scalar = x.ptr == NULL && !in->text;
    uint8_t st = x.state != EXPR_OK ? x.state : scalar ? EXPR_OK : NOT_KNOWN;
    if (in->op != C_PARAM_GF || !fb->any_enrolled)
        return uniform(d, st, x.v);
    int64_t v = st == EXPR_OK ? x.v : 0;
    for (int i = 0; i < n; i++) {
        d.u[i] = fb->enrolled[i] ? NOT_KNOWN : st;
        d.v[i] = v;
    }
    d.bits = NULL;
    return d;
}

static inline uint8_t worst(uint8_t a, uint8_t b)
{
    return a > b ? a : b;
}

/*
 * u[i] = the worst state of the count operands' lane i (OK when count is 0). u may be an
 * operand's states: each lane is read before it is written.
 */
static void worst_states(const struct fview *w, int count, uint8_t *u, int n)
{
    if (count == 0) {
        memset(u, EXPR_OK, (size_t)n);
        return;
    }
    for (int i = 0; i < n; i++) {
        uint8_t st = w[0].u[i];
        for (int k = 1; k < count; k++)
            st = worst(st, w[k].u[i]);
        u[i] = st;
    }
}

/* bits[i] = a[i] tok b_i, b_i = b[i] (b_step 1) or b[0] (b_step 0) */
static void compare_values(int tok, const int64_t *a, const int64_t *b, int b_step, uint8_t *bits,
                           int n)
{
#define CMP_LOOP(op)                                                                               \
    if (b_step)                                                                                    \
        for (int i = 0; i < n; i++)                                                                \
            bits[i] = a[i] op b[i];                                                                \
    else                                                                                           \
        for (int i = 0; i < n; i++)                                                                \
            bits[i] = a[i] op b[0];
    switch (tok) {
    case T_EQ:
        CMP_LOOP(==);
        break;
    case T_NE:
        CMP_LOOP(!=);
        break;
    case T_LT:
        CMP_LOOP(<);
        break;
    case T_LE:
        CMP_LOOP(<=);
        break;
    case T_GT:
        CMP_LOOP(>);
        break;
    default:
        CMP_LOOP(>=);
        break;
    }
#undef CMP_LOOP
}

/* d = a tok b (a boolean; its value where the state is not OK is left as it falls). */
static struct fview compare(struct expr_fused_mem *m, int tok, struct fview a, struct fview b,
                            struct fview d, int n)
{
    if (a.uniform && b.uniform) {
        uint8_t st = worst(a.u[0], b.u[0]);
        return uniform(d, st, expr_compare(tok, uniform_value(a), uniform_value(b)));
    }
    if (a.uniform) { /* k tok b is b tok' k */
        struct fview t = a;
        a = b;
        b = t;
        tok = expr_compare_swapped(tok);
    }
    a = whole_values(m, a, 0, n);
    if (b.uniform) {
        int64_t k = uniform_value(b);
        compare_values(tok, a.v, &k, 0, d.bits, n);
        uint8_t bu = b.u[0];
        for (int i = 0; i < n; i++)
            d.u[i] = worst(a.u[i], bu);
    } else {
        b = whole_values(m, b, 1, n);
        compare_values(tok, a.v, b.v, 1, d.bits, n);
        for (int i = 0; i < n; i++)
            d.u[i] = worst(a.u[i], b.u[i]);
    }
    d.v = NULL;
    return d;
}

static struct fview compare_imm(struct expr_fused_mem *m, int tok, struct fview a, int64_t k,
                                struct fview d, int n)
{
    if (a.uniform)
        return uniform(d, a.u[0], expr_compare(tok, uniform_value(a), k));
    a = whole_values(m, a, 0, n);
    compare_values(tok, a.v, &k, 0, d.bits, n);
    memmove(d.u, a.u, (size_t)n);
    d.v = NULL;
    return d;
}

/*
 * Three-valued && (is_and) and ||: a known false (&&) or true (||) decides whatever the other
 * side is; otherwise the worse state. Bytes only, without branches: 32 lanes to an
 * instruction.
 */
static struct fview logic(struct expr_fused_mem *m, int is_and, struct fview a, struct fview b,
                          struct fview d, int n)
{
    const uint8_t decider = is_and ? 0 : 1; /* the value that decides alone */
    if (a.uniform && b.uniform) {
        uint8_t va = uniform_value(a) != 0, vb = uniform_value(b) != 0;
        int decides = (a.u[0] == EXPR_OK && va == decider) || (b.u[0] == EXPR_OK && vb == decider);
        uint8_t st = decides ? EXPR_OK : worst(a.u[0], b.u[0]);
        return uniform(d, st, decides ? decider : !decider);
    }
    if (a.uniform) {
        struct fview t = a;
        a = b;
        b = t;
    }
    a = whole_bits(m, a, 0, n);
    if (b.uniform) { /* one side the same everywhere */
        uint8_t ub = b.u[0], vb = uniform_value(b) != 0;
        if (ub == EXPR_OK && vb == decider)
            return uniform(d, EXPR_OK, decider);
        for (int i = 0; i < n; i++) {
            uint8_t dec = (uint8_t)((a.u[i] == EXPR_OK) & (a.bits[i] == decider));
            uint8_t st = dec ? EXPR_OK : worst(a.u[i], ub);
            d.u[i] = st;
            d.bits[i] = (uint8_t)(dec ? decider : !decider);
        }
    } else {
        b = whole_bits(m, b, 1, n);
        for (int i = 0; i < n; i++) {
            uint8_t dec = (uint8_t)(((a.u[i] == EXPR_OK) & (a.bits[i] == decider)) |
                                    ((b.u[i] == EXPR_OK) & (b.bits[i] == decider)));
            uint8_t st = dec ? EXPR_OK : worst(a.u[i], b.u[i]);
            d.u[i] = st;
            d.bits[i] = (uint8_t)(dec ? decider : !decider);
        }
    }
    d.v = NULL;
    return d;
}

static struct fview negate(struct expr_fused_mem *m, struct fview a, struct fview d, int n)
{
    if (a.uniform)
        return uniform(d, a.u[0], !uniform_value(a));
    a = whole_bits(m, a, 0, n);
    for (int i = 0; i < n; i++)
        d.bits[i] = (uint8_t)!a.bits[i];
    memmove(d.u, a.u, (size_t)n);
    d.v = NULL;
    return d;
}

static struct fview select_lanes(struct expr_fused_mem *m, struct fview a, struct fview b,
                                 struct fview c, struct fview d, int n)
{
    if (a.uniform && b.uniform && c.uniform) {
        struct fview from = uniform_value(a) ? b : c;
        return uniform(d, a.u[0] != EXPR_OK ? a.u[0] : from.u[0], uniform_value(from));
    }
    a = whole_bits(m, a, 0, n);
    b = whole_values(m, b, 1, n);
    c = whole_values(m, c, 2, n);
    for (int i = 0; i < n; i++) { /* both read, then masked: no masked load (decide_columns.c) */
        int64_t pick = -(int64_t)a.bits[i];
        d.v[i] = (b.v[i] & pick) | (c.v[i] & ~pick);
    }
    for (int i = 0; i < n; i++) {
        uint8_t pick_b = (uint8_t)-a.bits[i],
                from = (uint8_t)((pick_b & b.u[i]) | (~pick_b & c.u[i]));
        d.u[i] = a.u[i] != EXPR_OK ? a.u[i] : from;
    }
    d.bits = NULL;
    return d;
}

/* 1 if one of the 8 states at u is EXPR_OK (0): a zero byte of the word. */
static inline int any_ok(const uint8_t *u)
{
    uint64_t w;
    memcpy(&w, u, sizeof w);
    return ((w - 0x0101010101010101u) & ~w & 0x8080808080808080u) != 0;
}

/*
 * Lanes one at a time through the record path's scalar helpers: those whose operands are all
 * OK, and (when skip is not NULL) whose skip[i] is 0; a skipped lane is not known.
 */
static struct fview scalar(struct expr_fused_mem *m, const struct expr_bound *b,
                           const struct expr_insn *in, const struct fview *r, int count,
                           const uint8_t *skip, struct fview d, int n)
{
    const struct expr_node *node = &b->u->nodes[in->node];
    int all_uniform = 1;
    for (int k = 0; k < count; k++)
        all_uniform &= r[k].uniform;
    if (all_uniform) /* once for every lane */
        n = 1;
    struct fview w[OPERANDS];
    for (int k = 0; k < count; k++)
        w[k] = whole_values(m, r[k], k, n);
    worst_states(w, count, d.u, n);
    for (int i = 0; skip != NULL && !all_uniform && i < n; i++)
        d.u[i] = skip[i] ? (uint8_t)NOT_KNOWN : d.u[i];
    for (int i = 0; i < n; i++) { /* only the lanes whose operands are all OK */
        if (d.u[i] != EXPR_OK) {
            if ((i & 7) == 0 && i + 8 <= n && !any_ok(d.u + i))
                i += 7; /* and the seven after it */
            continue;
        }
        int64_t args[3] = {0, 0, 0}, v = 0;
        for (int k = 0; k < count; k++)
            args[k] = w[k].v[i];
        uint8_t st;
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
        case C_HIST: /* as for a person without events or contributions: history() */
            st = expr_hist_apply(b, node, NULL, args, count, &v);
            break;
        default: /* C_CALL */
            st = expr_builtin_apply(b, node, args, count, &v);
            break;
        }
        d.u[i] = st;
        d.v[i] = v;
    }
    if (all_uniform)
        return uniform(d, d.u[0], d.v[0]);
    d.bits = NULL;
    return d;
}

/*
 * A history helper (events.has("birth"), contributions.months_in_window(a, b) ...): for a
 * person with no events and no contributions its result depends on its arguments alone, and
 * scalar() computes it (once, when the arguments are the same in every lane); the persons with
 * records are the record path's (deciding them here too costs more than it saves: the record
 * path runs their helpers as this would, over a block of them).
 */
static struct fview history(struct expr_fused_mem *m, const struct expr_bound *b,
                            const struct expr_insn *in, const struct fview *r,
                            const struct fact_block *fb, struct fview d, int n)
{
    d = scalar(m, b, in, r, in->sub, fb->any_recorded ? fb->recorded : NULL, d, n);
    if (!fb->any_recorded || !d.uniform)
        return d;
    /* computed once: spread it over the lanes, some of which are not known */
    memset(d.u + 1, d.u[0], (size_t)(n - 1));
    for (int i = 1; i < n; i++)
        d.v[i] = d.v[0];
    for (int i = 0; i < n; i++)
        d.u[i] = fb->recorded[i] ? (uint8_t)NOT_KNOWN : d.u[i];
    d.bits = NULL;
    d.uniform = 0;
    return d;
}

/*
 * a + b or a - b (is_sub) over the lanes, as expr_arith: FAILED where it overflows. Without
 * branches, so that it runs in vectors.
 */
static struct fview add_sub(struct expr_fused_mem *m, int is_sub, struct fview a, struct fview b,
                            struct fview d, int n)
{
    a = whole_values(m, a, 0, n);
    b = whole_values(m, b, 1, n);
    uint8_t *over = m->tmp_b[2];
    const uint64_t sign = is_sub ? ~(uint64_t)0 : 0; /* x - y is x + ~y + 1 */
    for (int i = 0; i < n; i++) { /* lane i is read before it is written: d may be a or b */
        uint64_t x = (uint64_t)a.v[i], y = (uint64_t)b.v[i] ^ sign;
        uint64_t r = x + y + (sign & 1);
        over[i] = (uint8_t)((~(x ^ y) & (x ^ r)) >> 63); /* operands alike, result not */
        d.v[i] = (int64_t)r;
    }
    for (int i = 0; i < n; i++) {
        uint8_t st = worst(a.u[i], b.u[i]);
        d.u[i] = st == EXPR_OK && over[i] ? (uint8_t)EXPR_FAILED : st;
    }
    d.bits = NULL;
    return d;
}

/* min and max of two operands, as the record path computes them. */
static struct fview min_max(struct expr_fused_mem *m, int is_min, struct fview x, struct fview y,
                            struct fview d, int n)
{
    if (x.uniform && y.uniform) {
        int64_t a = uniform_value(x), c = uniform_value(y);
        return uniform(d, worst(x.u[0], y.u[0]), (a < c) == is_min ? a : c);
    }
    x = whole_values(m, x, 0, n);
    y = whole_values(m, y, 1, n);
    for (int i = 0; i < n; i++)
        d.v[i] = (x.v[i] < y.v[i]) == is_min ? x.v[i] : y.v[i];
    for (int i = 0; i < n; i++)
        d.u[i] = worst(x.u[i], y.u[i]);
    d.bits = NULL;
    return d;
}

/*
 * age_years of birth dates on the bound date by table, as expr_age_years_fast: the whole years
 * are (as_of - birth) / 366, or one more when the birth is on or before the next year's cut.
 * (days * 2865) >> 20 is days / 366 for every 0 <= days < 160 * 365. Dates outside the table
 * are done one by one.
 */
#define DIV366_MUL   2865
#define DIV366_SHIFT 20

/* ages[i] from births[i] within the table (three distinct arrays: the table is gathered) */
static void age_by_table(const int64_t *restrict births, int64_t *restrict ages,
                         const int64_t *restrict cuts, int n, int64_t as_of, int64_t limit)
{
    for (int i = 0; i < n; i++) {
        int64_t birth = births[i], days = as_of - birth;
        int64_t in_table = (days >= 0) & (days < limit);
        int64_t y = ((days & -in_table) * DIV366_MUL) >> DIV366_SHIFT;
        ages[i] = y + (birth <= cuts[y + 1]);
    }
}

static struct fview age_years(struct expr_fused_mem *m, const struct expr_bound *b, struct fview a,
                              struct fview d, int n)
{
    if (a.uniform) {
        int64_t v = 0;
        uint8_t st = a.u[0] == EXPR_OK ? expr_age_years_fast(b, uniform_value(a), &v) : a.u[0];
        return uniform(d, st, v);
    }
    a = whole_values(m, a, 0, n);
    if (a.v == d.v) { /* the birth dates are read again below, after d is written */
        memcpy(m->tmp_v[0], a.v, sizeof *a.v * (size_t)n);
        a.v = m->tmp_v[0];
    }
    const int64_t limit = b->age_ok ? (int64_t)EXPR_AGE_TABLE * 365 : 0, as_of = b->as_of;
    const int64_t *cut = b->age_cut_wide;
    int64_t outside = 0;
    for (int i = 0; i < n; i++) {
        int64_t days = as_of - a.v[i];
        outside |= (days < 0) | (days >= limit);
    }
    age_by_table(a.v, d.v, cut, n, as_of, limit);
    memmove(d.u, a.u, (size_t)n);
    for (int i = 0; outside && i < n; i++) { /* outside the table: one by one */
        int64_t days = as_of - a.v[i], v = 0;
        if (a.u[i] != EXPR_OK || (days >= 0 && days < limit))
            continue;
        d.u[i] = expr_age_years_slow(b, a.v[i], &v);
        d.v[i] = v;
    }
    d.bits = NULL;
    return d;
}

static struct fview in_enum_codes(struct expr_fused_mem *m, const struct expr_insn *in,
                                  struct fview a, struct fview d, int n)
{
    if (a.uniform) {
        int64_t x = uniform_value(a);
        return uniform(d, a.u[0], x > 0 && x < 64 ? (in->imm >> (x & 63)) & 1 : 0);
    }
    a = whole_values(m, a, 0, n);
    for (int i = 0; i < n; i++) {
        int64_t x = a.v[i];
        d.bits[i] = (uint8_t)(x > 0 && x < 64 ? (in->imm >> (x & 63)) & 1 : 0);
    }
    memmove(d.u, a.u, (size_t)n);
    d.v = NULL;
    return d;
}

/* a in list b: a text constant among a list fact's words, by their bitsets. */
static struct fview in_list(struct fview a, struct fview b, struct fview d, int n)
{
    if (!a.uniform || a.text == NULL || b.list < 0 || b.uniform)
        return uniform(d, NOT_KNOWN, 0);
    int k = fact_block_word_bit(a.text, expr_facts[b.list].choices);
    int64_t bit = k >= 0 ? (int64_t)1 << k : 0;
    for (int i = 0; i < n; i++)
        d.bits[i] = (b.v[i] & bit) != 0;
    memmove(d.u, b.u, (size_t)n);
    d.v = NULL;
    return d;
}

/*
 * list.exists(v, v in K) of a list fact by its bitsets, as the record path's any_in: an empty
 * list is false; otherwise, while K is not known (a parameter not set), neither is the answer;
 * else whether one of the list's words is in K.
 */
static struct fview any_in(const struct expr_bound *b, const struct expr_insn *in, struct fview a,
                           struct fview d, int n)
{
    if (a.list < 0 || a.uniform)
        return uniform(d, NOT_KNOWN, 0);
    uint8_t known;
    const struct expr_list *list = expr_any_in_list(b, in, &known);
    int64_t want = 0; /* the bits of K's words (others cannot be among a list's words) */
    if (known == EXPR_OK) {
        if (list == NULL || list->strs == NULL)
            return uniform(d, NOT_KNOWN, 0);
        for (int j = 0; j < list->n; j++) {
            int k = fact_block_word_bit(list->strs[j], expr_facts[a.list].choices);
            want |= k >= 0 ? (int64_t)1 << k : 0;
        }
    }
    for (int i = 0; i < n; i++) {
        uint8_t st = a.u[i] != EXPR_OK ? a.u[i] : a.v[i] == 0 ? (uint8_t)EXPR_OK : known;
        d.u[i] = st;
        d.bits[i] = (a.v[i] & want) != 0;
    }
    d.v = NULL;
    return d;
}

/* Writes x as result column c (value and state for every lane: the caller reads them). */
static void output(struct expr_fused_mem *m, struct fview x, int c, struct expr_column *col, int n)
{
    struct fview kept = {col->value, col->state, NULL, 0, -1, NULL};
    if (x.list >= 0) { /* a list's bitsets are the column path's own, not a result */
        memset(col->state, NOT_KNOWN, (size_t)n);
        memset(col->value, 0, sizeof *col->value * (size_t)n);
        kept.uniform = 1;
        m->cols[c] = kept;
        return;
    }
    if (x.uniform) {
        int64_t v = uniform_value(x);
        memset(col->state, x.u[0], (size_t)n);
        for (int i = 0; i < n; i++)
            col->value[i] = v;
        kept.uniform = 1;
    } else {
        memcpy(col->state, x.u, (size_t)n);
        if (x.v != NULL) {
            memcpy(col->value, x.v, sizeof *x.v * (size_t)n);
        } else {
            for (int i = 0; i < n; i++)
                col->value[i] = x.bits[i];
            kept.bits = m->col_bits + (size_t)c * EXPR_BLOCK;
            memcpy(kept.bits, x.bits, (size_t)n);
        }
    }
    m->cols[c] = kept;
}

/*
 * Built three times: for processors with AVX-512 (x86-64-v4: eight 64-bit lanes, compares
 * into mask registers; about a fifth faster than AVX2 on np_senior), with AVX2 (x86-64-v3:
 * four) and for any other; the loader picks one when the program starts. flatten builds the
 * helpers above into each.
 */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define FUSED_CLONES                                                                               \
    __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default"), flatten))
#else
#define FUSED_CLONES
#endif

FUSED_CLONES
int expr_run_fused(const struct expr_bound *b, struct expr_scratch *s, const struct fact_block *fb,
                   struct expr_column *out, struct error *err)
{
    const struct expr_unit *u = b->u;
    int n = fb->n;
    int rc = expr_scratch_check(b, s, n, err);
    if (rc != SP_OK)
        return rc;
    if (!expr_unit_columnar(u))
        return error_set(err, SP_BAD_INPUT, "the unit has steps the column path cannot run");
    rc = fused_mem(s, u, err);
    if (rc != SP_OK)
        return rc;
    struct expr_fused_mem *m = s->fused;
    for (int k = 0; k < u->n_code; k++) {
        const struct expr_insn *in = &u->code[k];
        if (in->op == C_OUT) {
            output(m, m->views[in->a], (int)in->imm, &out[in->imm], n);
            continue;
        }
        if (in->op == C_NAMED) { /* read the earlier result in place */
            m->views[in->dst] = m->cols[in->imm];
            continue;
        }
        struct fview r[OPERANDS];
        const int16_t operands[OPERANDS] = {in->a, in->b, in->c};
        int count = 0;
        for (int j = 0; j < OPERANDS; j++)
            if (operands[j] >= 0)
                r[count++] = m->views[operands[j]];
        struct fview d = own(s, in->dst);
        int list_operand = 0; /* a list's bitsets are read by the list operations alone */
        for (int j = 0; j < count; j++)
            list_operand |= r[j].list >= 0;
        if (list_operand && in->op != C_IN_FACT && in->op != C_ANY_IN) {
            m->views[in->dst] = uniform(d, NOT_KNOWN, 0);
            continue;
        }
        switch ((enum expr_cop)in->op) {
        case C_FACT_ENUM:
        case C_FACT_DATE:
        case C_FACT_MONEY:
        case C_FACT_TRI:
        case C_FACT_INT:
        case C_FACT_LIST:
            d = load_fact(u, in, fb, d, n);
            break;
        case C_CONST:
            d = uniform(d, in->text ? NOT_KNOWN : EXPR_OK, in->imm);
            d.text = in->text ? in->ptr : NULL;
            break;
        case C_PARAM:
        case C_PARAM_GF:
            d = param(b, in, fb, d, n);
            break;
        case C_AS_OF:
            d = uniform(d, EXPR_OK, b->as_of);
            break;
        case C_NOT:
            d = negate(m, r[0], d, n);
            break;
        case C_AND:
        case C_OR:
            d = logic(m, in->op == C_AND, r[0], r[1], d, n);
            break;
        case C_SEL:
            d = in->text ? uniform(d, NOT_KNOWN, 0) : select_lanes(m, r[0], r[1], r[2], d, n);
            break;
        case C_CMP:
            d = compare(m, in->sub, r[0], r[1], d, n);
            break;
        case C_CMPI:
            d = compare_imm(m, in->sub, r[0], in->imm, d, n);
            break;
        case C_IN_CONST:
            d = in->sub == 1 ? in_enum_codes(m, in, r[0], d, n) : uniform(d, NOT_KNOWN, 0);
            break;
        case C_AGE_YEARS:
            d = age_years(m, b, r[0], d, n);
            break;
        case C_IN_FACT:
            d = in_list(r[0], r[1], d, n);
            break;
        case C_ANY_IN:
            d = any_in(b, in, r[0], d, n);
            break;
        case C_CALL: {
            int which = u->nodes[in->node].sub;
            d = which == B_MIN || which == B_MAX ? min_max(m, which == B_MIN, r[0], r[1], d, n)
                                                 : scalar(m, b, in, r, in->sub, NULL, d, n);
            break;
        }
        case C_ARITH:
            if ((in->sub == X_ADD || in->sub == X_SUB) && !(r[0].uniform && r[1].uniform))
                d = add_sub(m, in->sub == X_SUB, r[0], r[1], d, n);
            else
                d = scalar(m, b, in, r, count, NULL, d, n);
            break;
        case C_NEG:
        case C_TODEC:
            d = scalar(m, b, in, r, count, NULL, d, n);
            break;
        case C_HAS:
            d = has_fact(in, fb, d, n);
            break;
        case C_HIST:
            d = history(m, b, in, r, fb, d, n);
            break;
        case C_ENROLLED:
            if (!fb->any_enrolled) { /* no enrolment: not enrolled */
                d = uniform(d, EXPR_OK, 0);
                break;
            }
            for (int i = 0; i < n; i++) {
                d.u[i] = fb->enrolled[i] ? NOT_KNOWN : EXPR_OK;
                d.bits[i] = 0;
            }
            d.v = NULL;
            break;
        default: /* text, lists, extra facts, enrolment dates: the record path's */
            d = uniform(d, NOT_KNOWN, 0);
            break;
        }
        m->views[in->dst] = d;
    }
    return SP_OK;
}
