/*
 * expr_compile.c: turns a checked expression into a register program over columns.
 *
 * Facts, parameters and as_of are loaded once per block into shared registers that every
 * expression of the unit reads; temporaries are reused as soon as they are consumed. What is
 * inherently per person (history helpers, list macros, extra facts, grandfathered parameters)
 * becomes one C_LANE instruction that runs the interpreter on that subtree lane by lane.
 * Space for the program was reserved by the caller, so compiling cannot fail.
 */
#include <string.h>

#include "rules/expr_impl.h"

static int16_t new_reg(struct expr_unit *u, uint8_t kind)
{
    if (kind != REG_SHARED) {
        for (int r = 0; r < u->n_regs; r++) {
            if ((u->reg_free[r] & ~REG_UNIFORM) == REG_FREE) {
                u->reg_free[r] = REG_BUSY;
                return (int16_t)r;
            }
        }
    }
    int r = u->n_regs++;
    u->reg_free[r] = kind;
    return (int16_t)r;
}

static void release(struct expr_unit *u, int16_t r)
{
    if (r >= 0 && (u->reg_free[r] & ~REG_UNIFORM) == REG_BUSY)
        u->reg_free[r] = (uint8_t)(REG_FREE | (u->reg_free[r] & REG_UNIFORM));
}

static int uniform(const struct expr_unit *u, int16_t r)
{
    return r < 0 || (u->reg_free[r] & REG_UNIFORM) != 0;
}

/*
 * Marks what the instruction just emitted leaves in its register: the same value in every
 * lane when it is a constant, a parameter, as_of, or a pure operation on such values (then
 * the runner computes one lane and copies it).
 */
static void mark_uniform(struct expr_unit *u, struct expr_insn *in)
{
    int pure;
    switch ((enum expr_cop)in->op) {
    case C_CONST:
    case C_PARAM:
    case C_AS_OF:
        pure = 1;
        break;
    case C_NOT:
    case C_NEG:
    case C_TODEC:
    case C_AND:
    case C_OR:
    case C_SEL:
    case C_ARITH:
    case C_CMP:
    case C_CMPI:
    case C_SCMP:
    case C_IN_CONST:
    case C_IN_PARAM:
    case C_AGE_YEARS:
    case C_CALL:
        pure = uniform(u, in->a) && uniform(u, in->b) && uniform(u, in->c);
        in->uniform = (uint8_t)pure;
        break;
    default:
        pure = 0;
        break;
    }
    if (in->dst >= 0)
        u->reg_free[in->dst] =
            (uint8_t)((u->reg_free[in->dst] & ~REG_UNIFORM) | (pure ? REG_UNIFORM : 0));
}

static struct expr_insn *emit(struct expr_unit *u, enum expr_cop op, int16_t dst, int node)
{
    struct expr_insn *in = &u->code[u->n_code++];
    memset(in, 0, sizeof *in);
    in->op = (uint8_t)op;
    in->dst = dst;
    in->a = in->b = in->c = -1;
    in->node = node;
    enum expr_kind kind = u->nodes[node].type.kind;
    in->text = kind == EXPR_STRING || kind == EXPR_LIST;
    return in;
}

static int16_t lane(struct expr_unit *u, int n)
{
    int16_t dst = new_reg(u, REG_BUSY);
    emit(u, C_LANE, dst, n);
    return dst;
}

static int16_t compile(struct expr_unit *u, int n);
static int16_t fact(struct expr_unit *u, int n);

/*
 * A macro: `L.exists(v, v in K)`, L a list fact of the person and K a constant list of
 * strings or a list parameter (not grandfathered), becomes one C_ANY_IN over whole columns
 * (a group or membership among those a scheme names); any other, the interpreter lane by lane.
 */
static int16_t macro(struct expr_unit *u, int n)
{
    const struct expr_node *x = &u->nodes[n];
    int recv = x->kid, pred = u->nodes[recv].next;
    const struct expr_node *r = &u->nodes[recv], *p = &u->nodes[pred];
    if (x->sub != M_EXISTS || x->ptr != NULL || r->op != X_FACT || r->n_kids > 0 ||
        expr_facts[r->ref].storage != FS_LIST || p->op != X_IN || p->ref == 1)
        return lane(u, n);
    int item = p->kid, of = u->nodes[item].next;
    const struct expr_node *v = &u->nodes[item], *k = &u->nodes[of];
    int by_param = k->op == X_PARAM && u->pslots[k->ref].grandfather < 0;
    int by_const = k->op == X_LIST && ((const struct expr_list *)k->ptr)->strs != NULL;
    if (v->op != X_VAR || v->ref != x->ref || v->n_kids > 0 || (!by_param && !by_const))
        return lane(u, n);
    int16_t a = fact(u, recv);
    int16_t dst = new_reg(u, REG_BUSY);
    struct expr_insn *in = emit(u, C_ANY_IN, dst, n);
    in->a = a;
    if (by_param) {
        in->imm = k->ref;
    } else {
        in->ptr = k->ptr;
        in->sub = 1;
    }
    return dst;
}

static int16_t leaf(struct expr_unit *u, int n, enum expr_cop op)
{
    int16_t dst = new_reg(u, REG_BUSY);
    emit(u, op, dst, n);
    return dst;
}

static int16_t fact(struct expr_unit *u, int n)
{
    const struct expr_node *x = &u->nodes[n];
    if (x->n_kids > 0)
        return lane(u, n); /* a household member's fact, inside a macro */
    if (u->fact_reg[x->ref] >= 0)
        return u->fact_reg[x->ref];
    static const enum expr_cop ops[] = {
        [FS_TEXT] = C_FACT_TEXT,   [FS_ENUM] = C_FACT_ENUM, [FS_DATE] = C_FACT_DATE,
        [FS_MONEY] = C_FACT_MONEY, [FS_TRI] = C_FACT_TRI,   [FS_INT] = C_FACT_INT,
        [FS_LIST] = C_FACT_LIST,
    };
    const struct expr_fact *f = &expr_facts[x->ref];
    int16_t dst = new_reg(u, REG_SHARED);
    struct expr_insn *in = emit(u, ops[f->storage], dst, n);
    in->imm = f->offset;
    in->sub = (uint8_t)x->ref;
    u->fact_reg[x->ref] = dst;
    return dst;
}

static int16_t param(struct expr_unit *u, int n)
{
    const struct expr_node *x = &u->nodes[n];
    const struct expr_pslot *ps = &u->pslots[x->ref];
    if (ps->param->kind == PARAM_LIST || ps->param->kind == PARAM_SCALE)
        return lane(u, n);
    if (ps->grandfather >= 0) { /* the value depends on the person's enrolment */
        int16_t dst = new_reg(u, REG_BUSY);
        emit(u, C_PARAM_GF, dst, n)->imm = x->ref;
        return dst;
    }
    if (u->pslot_reg[x->ref] >= 0)
        return u->pslot_reg[x->ref];
    int16_t dst = new_reg(u, REG_SHARED);
    emit(u, C_PARAM, dst, n)->imm = x->ref;
    u->pslot_reg[x->ref] = dst;
    return dst;
}

static int16_t unary(struct expr_unit *u, int n, enum expr_cop op)
{
    int16_t a = compile(u, u->nodes[n].kid);
    release(u, a);
    int16_t dst = new_reg(u, REG_BUSY);
    emit(u, op, dst, n)->a = a;
    return dst;
}

static int16_t binary(struct expr_unit *u, int n, enum expr_cop op, int sub)
{
    int ka = u->nodes[n].kid, kb = u->nodes[ka].next;
    int16_t a = compile(u, ka);
    int16_t b = compile(u, kb);
    release(u, a);
    release(u, b);
    int16_t dst = new_reg(u, REG_BUSY);
    struct expr_insn *in = emit(u, op, dst, n);
    in->a = a;
    in->b = b;
    in->sub = (uint8_t)sub;
    return dst;
}

static int16_t membership(struct expr_unit *u, int n)
{
    int ka = u->nodes[n].kid, kb = u->nodes[ka].next;
    const struct expr_node *list = &u->nodes[kb];
    if (list->op == X_FACT && list->n_kids == 0 && u->nodes[ka].type.kind == EXPR_STRING)
        return binary(u, n, C_IN_FACT, 0);
    int by_param = list->op == X_PARAM && u->pslots[list->ref].grandfather < 0;
    if (list->op != X_LIST && !by_param)
        return lane(u, n);
    int16_t a = compile(u, ka);
    release(u, a);
    int16_t dst = new_reg(u, REG_BUSY);
    struct expr_insn *in = emit(u, by_param ? C_IN_PARAM : C_IN_CONST, dst, n);
    in->a = a;
    if (by_param) {
        in->imm = list->ref;
        return dst;
    }
    const struct expr_list *l = list->ptr;
    in->ptr = l;
    if (u->nodes[n].ref == 1) { /* enum codes: a bit mask */
        in->sub = 1;
        for (int i = 0; i < l->n; i++)
            if (l->nums[i] > 0 && l->nums[i] < 64)
                in->imm |= (int64_t)1 << l->nums[i];
    }
    return dst;
}

/*
 * Compiles node n's (up to three) arguments, then emits `op` reading them into a new register;
 * the instruction's sub holds the argument count.
 */
static int16_t with_args(struct expr_unit *u, int n, enum expr_cop op)
{
    const struct expr_node *x = &u->nodes[n];
    int16_t args[3] = {-1, -1, -1};
    int i = 0;
    for (int k = x->kid; k >= 0 && i < 3; k = u->nodes[k].next)
        args[i++] = compile(u, k);
    for (int k = 0; k < i; k++)
        release(u, args[k]);
    int16_t dst = new_reg(u, REG_BUSY);
    struct expr_insn *in = emit(u, op, dst, n);
    in->a = args[0];
    in->b = args[1];
    in->c = args[2];
    in->sub = (uint8_t)i;
    return dst;
}

static int16_t call(struct expr_unit *u, int n)
{
    const struct expr_node *x = &u->nodes[n];
    if (x->sub == B_SCALE_RATE || x->sub == B_SCALE_MARGINAL)
        return lane(u, n);
    return with_args(u, n, x->sub == B_AGE_YEARS ? C_AGE_YEARS : C_CALL);
}

static int16_t compile(struct expr_unit *u, int n)
{
    const struct expr_node *x = &u->nodes[n];
    switch ((enum expr_op)x->op) {
    case X_CONST: {
        int16_t dst = new_reg(u, REG_BUSY);
        struct expr_insn *in = emit(u, C_CONST, dst, n);
        in->imm = x->value;
        in->ptr = x->text;
        return dst;
    }
    case X_FACT:
        return fact(u, n);
    case X_PARAM:
        return param(u, n);
    case X_AS_OF:
        if (u->as_of_reg < 0) {
            u->as_of_reg = new_reg(u, REG_SHARED);
            emit(u, C_AS_OF, u->as_of_reg, n);
        }
        return u->as_of_reg;
    case X_NAMED: {
        if (u->defs[x->ref].type.kind == EXPR_LIST)
            return lane(u, n);
        int16_t dst = new_reg(u, REG_BUSY);
        emit(u, C_NAMED, dst, n)->imm = x->ref;
        return dst;
    }
    case X_NOT:
        return unary(u, n, C_NOT);
    case X_NEG:
        return unary(u, n, C_NEG);
    case X_TODEC:
        return unary(u, n, C_TODEC);
    case X_AND:
        return binary(u, n, C_AND, 0);
    case X_OR:
        return binary(u, n, C_OR, 0);
    case X_COND: {
        int kc = x->kid, ka = u->nodes[kc].next, kb = u->nodes[ka].next;
        int16_t c = compile(u, kc), a = compile(u, ka), b = compile(u, kb);
        release(u, c);
        release(u, a);
        release(u, b);
        int16_t dst = new_reg(u, REG_BUSY);
        struct expr_insn *in = emit(u, C_SEL, dst, n);
        in->a = c;
        in->b = a;
        in->c = b;
        return dst;
    }
    case X_ADD:
    case X_SUB:
    case X_MULI:
    case X_MULS:
    case X_DIVS:
    case X_MODI:
    case X_DIVI:
        return binary(u, n, C_ARITH, x->op);
    case X_CMP: {
        int kb = u->nodes[x->kid].next;
        if (u->nodes[kb].op != X_CONST)
            return binary(u, n, C_CMP, x->sub);
        int16_t a = compile(u, x->kid); /* against a constant: no column for it */
        release(u, a);
        int16_t dst = new_reg(u, REG_BUSY);
        struct expr_insn *in = emit(u, C_CMPI, dst, n);
        in->a = a;
        in->sub = x->sub;
        in->imm = u->nodes[kb].value;
        return dst;
    }
    case X_SCMP:
        return binary(u, n, C_SCMP, x->sub);
    case X_IN:
        return membership(u, n);
    case X_CALL:
        return call(u, n);
    case X_EXTRA: {
        if (x->n_kids > 0)
            return lane(u, n);
        int16_t dst = new_reg(u, REG_BUSY);
        emit(u, C_EXTRA, dst, n)->imm = x->ref;
        return dst;
    }
    case X_ENROLLED:
    case X_ENROL_FROM:
        return leaf(u, n, x->op == X_ENROLLED ? C_ENROLLED : C_ENROL_FROM);
    case X_HIST:
        return with_args(u, n, C_HIST);
    case X_FN:
        return lane(u, n); /* on whole strings and lists: the interpreter, person by person */
    case X_HAS: {
        const struct expr_node *f = &u->nodes[x->kid];
        if ((f->op != X_FACT && f->op != X_EXTRA) || f->n_kids > 0)
            return lane(u, n);
        int16_t dst = new_reg(u, REG_BUSY);
        struct expr_insn *in = emit(u, C_HAS, dst, n);
        in->imm = f->ref;
        in->sub = f->op == X_EXTRA; /* 1: imm is an extra fact */
        return dst;
    }
    case X_MACRO:
        return macro(u, n);
    default: /* per person: history, enrolment, extra facts, lists */
        return lane(u, n);
    }
}

int expr_compile(struct expr_unit *u, int expr_index, struct error *err)
{
    (void)err;
    struct expr_def *d = &u->defs[expr_index];
    d->code_start = u->n_code;
    /* a list result is reported as its size, which only the interpreter computes */
    int16_t r = d->type.kind == EXPR_LIST ? lane(u, d->root) : compile(u, d->root);
    release(u, r);
    emit(u, C_OUT, -1, d->root)->a = r;
    u->code[u->n_code - 1].imm = expr_index;
    d->code_end = u->n_code;
    for (int k = d->code_start; k < d->code_end; k++) /* in program order, as it will run */
        mark_uniform(u, &u->code[k]);
    return SP_OK;
}
