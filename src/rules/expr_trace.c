/*
 * expr_trace.c: the tree-walking interpreter (one person at a time) and explanations.
 *
 * expr_eval short-circuits && || and ?: (the block runner computes both sides; the results
 * are the same because a definite false/true decides && / || whatever the other side is).
 * While explaining, each comparison, membership test and has() appends one line, and so does
 * each operation that fails on values that were all there (an overflow, a division by zero, a
 * date out of range), naming the operation and its values.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/money.h"
#include "rules/expr_impl.h"

#define LINE_MAX_CHARS 600

static struct expr_xval xv(uint8_t state, int64_t v)
{
    struct expr_xval x = {state, state == EXPR_OK ? v : 0, NULL, NULL};
    return x;
}

static struct expr_xval bad(uint8_t state)
{
    return xv(state, 0);
}

static const struct expr_node *N(const struct expr_ctx *c, int n)
{
    return &c->b->u->nodes[n];
}

/* ---- explanation text ---- */

static void emit(struct expr_ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct expr_ctx *c, const char *fmt, ...)
{
    if (c->trace == NULL || c->quiet > 0)
        return;
    char line[LINE_MAX_CHARS];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    struct error err;
    error_init(&err);
    if (buf_puts(c->trace, line, &err) != SP_OK || buf_putc(c->trace, '\n', &err) != SP_OK)
        if (err.code == SP_IO)
            c->oom = 1;
}

/* Appends text to out (holding *len bytes of size) as snprintf would: cut at size - 1. */
static void cat(char *out, size_t size, size_t *len, const char *text)
{
    size_t n = strlen(text);
    if (n > size - 1 - *len)
        n = size - 1 - *len;
    memcpy(out + *len, text, n);
    *len += n;
    out[*len] = '\0';
}

/* emit of the n texts one after the other, without a format (the lines a run explains most). */
static void emit_texts(struct expr_ctx *c, const char *const *texts, int n)
{
    if (c->trace == NULL || c->quiet > 0)
        return;
    char line[LINE_MAX_CHARS];
    size_t len = 0;
    line[0] = '\0';
    for (int i = 0; i < n; i++)
        cat(line, sizeof line, &len, texts[i]);
    struct error err;
    error_init(&err);
    if (buf_append(c->trace, line, len, &err) != SP_OK || buf_putc(c->trace, '\n', &err) != SP_OK)
        if (err.code == SP_IO)
            c->oom = 1;
}

/* The parameter slot a node reads (directly or through a conversion), or -1. */
static int param_slot(const struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    if (x->op == X_TODEC)
        x = N(c, x->kid);
    return x->op == X_PARAM ? x->ref : -1;
}

static void source_of(const struct expr_ctx *c, int n, char *out, size_t size)
{
    const struct expr_node *x = N(c, n);
    const struct expr_def *d = &c->b->u->defs[x->expr];
    int len = x->end - x->start;
    if (len > 120)
        snprintf(out, size, "%.117s...", d->source + x->start);
    else
        snprintf(out, size, "%.*s", len, d->source + x->start);
}

/* What a node is called in an explanation: "" for constants. */
static void label_of(const struct expr_ctx *c, int n, char *out, size_t size)
{
    const struct expr_unit *u = c->b->u;
    const struct expr_node *x = N(c, n);
    out[0] = '\0';
    switch (x->op) {
    case X_TODEC:
        label_of(c, x->kid, out, size);
        return;
    case X_CONST:
    case X_LIST:
        return;
    case X_FACT:
        if (x->n_kids == 0) {
            snprintf(out, size, "%s", expr_facts[x->ref].name);
            return;
        }
        break;
    case X_EXTRA:
        if (x->n_kids == 0) {
            snprintf(out, size, "%s", u->scope.extra_facts[x->ref].name);
            return;
        }
        break;
    case X_PARAM:
        snprintf(out, size, "%s", u->pslots[x->ref].param->path);
        return;
    case X_NAMED:
        if (u->defs[x->ref].name) {
            snprintf(out, size, "%s", u->defs[x->ref].name);
            return;
        }
        break;
    case X_CALL:
        if ((x->sub == B_AGE_YEARS || x->sub == B_AGE_MONTHS) && N(c, x->kid)->op == X_FACT &&
            N(c, x->kid)->n_kids == 0 &&
            strcmp(expr_facts[N(c, x->kid)->ref].name, "birth_date") == 0) {
            snprintf(out, size, "%s", x->sub == B_AGE_YEARS ? "age" : "age in months");
            return;
        }
        break;
    default:
        break;
    }
    source_of(c, n, out, size);
}

static void format_list(const struct expr_list *l, struct expr_type t, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    len += (size_t)snprintf(out, size, "[");
    for (int i = 0; i < l->n && len < size; i++) {
        char item[80];
        if (l->strs)
            snprintf(item, sizeof item, "\"%s\"", l->strs[i]);
        else if (l->nums) {
            struct expr_type et = t;
            et.kind = t.element;
            expr_format_value(et, l->nums[i], NULL, item, sizeof item);
        } else
            snprintf(item, sizeof item, "...");
        if (len + strlen(item) + 8 > 72) {
            snprintf(out + len, size - len, "%s...", i ? ", " : "");
            len = strlen(out);
            break;
        }
        snprintf(out + len, size - len, "%s%s", i ? ", " : "", item);
        len = strlen(out);
    }
    if (len < size)
        snprintf(out + len, size - len, "]");
}

static void value_text(const struct expr_ctx *c, int n, struct expr_xval v, char *out, size_t size)
{
    struct expr_type t = N(c, n)->type;
    if (t.kind == EXPR_STRING) {
        snprintf(out, size, "\"%s\"", v.s ? v.s : "");
    } else if (t.kind == EXPR_LIST) {
        struct expr_list l;
        memset(&l, 0, sizeof l);
        if (v.ptr != NULL) {
            format_list(v.ptr, t, out, size);
        } else {
            /* a ';'-joined fact list: show its items without allocating */
            const char *items[16];
            int count = 0;
            char copy[PERSON_LIST_SIZE + 16];
            snprintf(copy, sizeof copy, "%s", v.s ? v.s : "");
            for (char *p = copy; *p && count < 16;) {
                items[count++] = p;
                char *semi = strchr(p, ';');
                if (semi == NULL)
                    break;
                *semi = '\0';
                p = semi + 1;
            }
            l.n = count;
            l.strs = items;
            format_list(&l, t, out, size);
        }
    } else if (t.kind == EXPR_MONEY) {
        char amount[MONEY_TEXT_MAX];
        expr_format_value(t, v.v, NULL, amount, sizeof amount);
        snprintf(out, size, "%s %s", amount, t.currency);
    } else {
        expr_format_value(t, v.v, v.s, out, size);
    }
}

static void param_note(const struct expr_ctx *c, int slot, char *out, size_t size)
{
    const struct expr_unit *u = c->b->u;
    int kept;
    (void)expr_param_read(c->b, slot, c->p, c->h, &kept);
    const struct expr_bparam *bp = &c->b->params[slot];
    const struct param_value *pv = kept ? bp->kept : bp->pv;
    char since[DATE_TEXT_SIZE];
    date_format(pv ? pv->since : 0, since);
    int g = u->pslots[slot].grandfather;
    if (g < 0) {
        snprintf(out, size, " (since %s: %s)", since, pv ? pv->reference : "");
        return;
    }
    const struct expr_grandfather *gf = &u->scope.grandfathers[g];
    char before[DATE_TEXT_SIZE], as_of[DATE_TEXT_SIZE];
    date_format(gf->enrolled_before, before);
    date_format(gf->keep_as_of, as_of);
    if (kept)
        snprintf(out, size, " (since %s: %s; kept as of %s: enrolled before %s)", since,
                 pv ? pv->reference : "", as_of, before);
    else
        snprintf(out, size, " (since %s: %s)", since, pv ? pv->reference : "");
}

const struct param_value *expr_param_used(const struct expr_bound *b, const struct param *param,
                                          const struct person *p, const struct person_history *h,
                                          int *kept)
{
    *kept = 0;
    for (int slot = 0; slot < b->u->n_pslots; slot++) {
        if (b->u->pslots[slot].param != param)
            continue;
        (void)expr_param_read(b, slot, p, h, kept);
        return *kept ? b->params[slot].kept : b->params[slot].pv;
    }
    return NULL;
}

/* "label value (param note)" for an operand. */
static void describe(const struct expr_ctx *c, int n, struct expr_xval v, char *out, size_t size)
{
    char label[160], value[160], note[256] = "";
    label_of(c, n, label, sizeof label);
    value_text(c, n, v, value, sizeof value);
    int slot = param_slot(c, n);
    if (slot >= 0)
        param_note(c, slot, note, sizeof note);
    size_t len = 0;
    out[0] = '\0';
    cat(out, size, &len, label);
    cat(out, size, &len, label[0] ? " " : "");
    cat(out, size, &len, value);
    cat(out, size, &len, note);
}

static const char *holding_op(int tok, int held)
{
    static const char *const ops[][2] = {
        {"!=", "=="}, {"==", "!="}, {">=", "<"}, {">", "<="}, {"<=", ">"}, {"<", ">="},
    };
    int i = tok == T_EQ   ? 0
            : tok == T_NE ? 1
            : tok == T_LT ? 2
            : tok == T_LE ? 3
            : tok == T_GT ? 4
                          : 5;
    return ops[i][held];
}

/*
 * An operand with no value that explains nothing itself (a history helper or arithmetic on
 * one, not a fact, parameter or named value, which have lines of their own): names it by its
 * source text, so "no contributions yet" does not read as "a fact is not given".
 */
static void explain_missing_operand(struct expr_ctx *c, int k, struct expr_xval v)
{
    const struct expr_node *x = N(c, k);
    if (v.state != EXPR_MISSING || x->op == X_FACT || x->op == X_EXTRA || x->op == X_PARAM ||
        x->op == X_NAMED)
        return;
    const char *source = c->b->u->defs[x->expr].source;
    emit(c, "%.*s has no value", x->end - x->start, source + x->start);
}

EXPR_OFF_WALK static void explain_binary(struct expr_ctx *c, int n, int a, struct expr_xval va,
                                         int b, struct expr_xval vb, struct expr_xval result)
{
    if (c->trace == NULL || c->quiet > 0)
        return;
    if (result.state == EXPR_MISSING) {
        explain_missing_operand(c, a, va);
        explain_missing_operand(c, b, vb);
    }
    if (result.state != EXPR_OK)
        return;
    char left[400], right[400];
    describe(c, a, va, left, sizeof left);
    describe(c, b, vb, right, sizeof right);
    const struct expr_node *x = N(c, n);
    const char *op =
        x->op == X_IN ? (result.v ? "in" : "not in") : holding_op(x->sub, result.v != 0);
    const char *texts[] = {left, " ", op, " ", right};
    emit_texts(c, texts, 5);
}

/* ---- failures ---- */

/*
 * Like emit, for the line that says why an operation failed. Inside list macros, whose tests
 * are summed up by the macro's result, the first failure is still told (a failed macro would
 * otherwise not say why), once per outermost macro.
 */
static void emit_failure(struct expr_ctx *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void emit_failure(struct expr_ctx *c, const char *fmt, ...)
{
    if (c->trace == NULL || (c->quiet > 0 && c->told_failure))
        return;
    c->told_failure = c->quiet > 0;
    char line[LINE_MAX_CHARS];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    int quiet = c->quiet;
    c->quiet = 0;
    emit(c, "%s", line);
    c->quiet = quiet;
}

/* What a result of type t must fit in, for overflow lines: "a 64-bit integer" ... */
static void limit_text(struct expr_type t, char *out, size_t size)
{
    char max[MONEY_TEXT_MAX];
    expr_format_value(t, INT64_MAX, NULL, max, sizeof max);
    if (t.kind == EXPR_MONEY)
        snprintf(out, size, "an amount of money (at most %s %s)", max, t.currency);
    else if (t.kind == EXPR_DECIMAL)
        snprintf(out, size, "a decimal (at most %s)", max);
    else
        snprintf(out, size, "a 64-bit integer");
}

/* "in <source>" when the source text of node n says more than `shown`, else "". */
static void where_text(const struct expr_ctx *c, int n, const char *shown, char *out, size_t size)
{
    char source[160];
    source_of(c, n, source, sizeof source);
    if (strcmp(source, shown) == 0)
        out[0] = '\0';
    else
        snprintf(out, size, " in %s", source);
}

/* A binary arithmetic node n failed on operands a and b that were both OK: says why. */
EXPR_OFF_WALK static void explain_arith_failure(struct expr_ctx *c, int n, int a,
                                                struct expr_xval va, int b, struct expr_xval vb)
{
    if (c->trace == NULL)
        return;
    const struct expr_node *x = N(c, n);
    char left[160], right[160], shown[340], where[180], limit[96];
    value_text(c, a, va, left, sizeof left);
    value_text(c, b, vb, right, sizeof right);
    snprintf(shown, sizeof shown, "%s %s %s", left, expr_tok_name((enum expr_tok)x->sub), right);
    where_text(c, n, shown, where, sizeof where);
    if (expr_arith_by_zero(x->op, vb.v)) {
        emit_failure(c, "division by zero%s: %s", where, shown);
        return;
    }
    limit_text(x->type, limit, sizeof limit);
    emit_failure(c, "overflow%s: %s does not fit in %s", where, shown, limit);
}

/* A negation or an int-to-decimal conversion failed on the OK value va of its operand. */
EXPR_OFF_WALK static void explain_unary_failure(struct expr_ctx *c, int n, struct expr_xval va)
{
    if (c->trace == NULL)
        return;
    const struct expr_node *x = N(c, n);
    char value[160], where[180], limit[96];
    value_text(c, x->kid, va, value, sizeof value);
    limit_text(x->type, limit, sizeof limit);
    if (x->op == X_NEG) {
        char shown[170];
        snprintf(shown, sizeof shown, "-(%s)", value);
        where_text(c, n, shown, where, sizeof where);
        emit_failure(c, "overflow%s: %s does not fit in %s", where, shown, limit);
    } else {
        where_text(c, x->kid, value, where, sizeof where);
        emit_failure(c, "overflow%s: the int %s does not fit in %s", where, value, limit);
    }
}

/* A call or history helper failed on the OK arguments args: names it, its values and why. */
EXPR_OFF_WALK static void explain_call_failure(struct expr_ctx *c, int n, const int64_t *args,
                                               int count)
{
    if (c->trace == NULL)
        return;
    const struct expr_node *x = N(c, n);
    char source[160], values[400] = "";
    source_of(c, n, source, sizeof source);
    size_t len = 0;
    int i = 0;
    for (int k = x->kid; k >= 0 && i < count && len < sizeof values; k = N(c, k)->next, i++) {
        char one[160];
        if (N(c, k)->type.kind == EXPR_SCALE || N(c, k)->type.kind == EXPR_LIST)
            label_of(c, k, one, sizeof one);
        else
            value_text(c, k, xv(EXPR_OK, args[i]), one, sizeof one);
        len += (size_t)snprintf(values + len, sizeof values - len, "%s%s", i ? ", " : "", one);
    }
    emit_failure(c, "%s could not be computed%s%s%s: %s", source, count ? " (with " : "", values,
                 count ? ")" : "", expr_call_failure(x, args, count));
}

/* A CEL function (X_FN) failed on arguments that were all there: says which, on what, why. */
EXPR_OFF_WALK static void explain_fn_failure(struct expr_ctx *c, int n,
                                             const struct expr_xval *args, int count)
{
    if (c->trace == NULL)
        return;
    const struct expr_node *x = N(c, n);
    char source[160], values[400] = "";
    source_of(c, n, source, sizeof source);
    size_t len = 0;
    int i = 0;
    for (int k = x->kid; k >= 0 && i < count && len < sizeof values; k = N(c, k)->next, i++) {
        char one[160];
        if (N(c, k)->type.kind == EXPR_LIST)
            source_of(c, k, one, sizeof one); /* a constant list: as written */
        else
            value_text(c, k, args[i], one, sizeof one);
        len += (size_t)snprintf(values + len, sizeof values - len, "%s%s", i ? ", " : "", one);
    }
    emit_failure(c, "%s could not be computed%s%s%s: %s", source, count ? " (with " : "", values,
                 count ? ")" : "", expr_call_failure(x, NULL, 0));
}

/* ---- lists ---- */

/* The list value v as struct expr_list; splits ';'-joined fact text into the arena. */
static int as_list(struct expr_ctx *c, struct expr_xval v, struct expr_list *out)
{
    memset(out, 0, sizeof *out);
    if (v.ptr != NULL) {
        *out = *(const struct expr_list *)v.ptr;
        return 1;
    }
    const char *s = v.s ? v.s : "";
    if (*s == '\0')
        return 1;
    int n = 1;
    for (const char *p = s; *p; p++)
        n += *p == ';';
    const char **strs = expr_pool_alloc(c->arena, sizeof *strs * (size_t)n);
    if (strs == NULL)
        return 0;
    int i = 0;
    const char *p = s;
    for (;;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if ((strs[i++] = expr_pool_strndup(c->arena, p, len)) == NULL)
            return 0;
        if (end == NULL)
            break;
        p = end + 1;
    }
    out->n = n;
    out->strs = strs;
    return 1;
}

static int list_has(const struct expr_list *l, int by_code, struct expr_xval item)
{
    for (int i = 0; i < l->n; i++) {
        if (by_code || (l->strs == NULL && l->nums != NULL)) {
            if (l->nums[i] == item.v)
                return 1;
        } else if (l->strs != NULL && item.s != NULL && strcmp(l->strs[i], item.s) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Whether the comparison or membership test x holds for two given operands. */
static int64_t test_holds(const struct expr_node *x, struct expr_xval va, struct expr_xval vb)
{
    switch (x->op) {
    case X_CMP:
        return expr_compare(x->sub, va.v, vb.v);
    case X_SCMP:
        return expr_compare(x->sub, strcmp(va.s ? va.s : "", vb.s ? vb.s : ""), 0);
    default: /* X_IN */
        if (vb.ptr == NULL)
            return va.s != NULL && expr_list_text_has(vb.s ? vb.s : "", va.s);
        return list_has(vb.ptr, x->ref == 1, va);
    }
}

/* A comparison or `in`: evaluates both operands, tests, and explains what it saw. */
static struct expr_xval eval_test(struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    int a = x->kid, b = N(c, a)->next;
    struct expr_xval va = expr_eval(c, a);
    struct expr_xval vb = expr_eval(c, b);
    struct expr_xval r = va.state != EXPR_OK || vb.state != EXPR_OK
                             ? bad(expr_state_max(va.state, vb.state))
                             : xv(EXPR_OK, test_holds(x, va, vb));
    explain_binary(c, n, a, va, b, vb, r);
    return r;
}

/* Item i of a list, as the value a comprehension's variable takes. */
static struct expr_xval list_item(const struct expr_list *l, int i)
{
    struct expr_xval item = {EXPR_OK, 0, NULL, NULL};
    if (l->persons)
        item.ptr = l->persons[i];
    else if (l->strs)
        item.s = l->strs[i];
    else if (l->nums)
        item.v = l->nums[i];
    return item;
}

/* Out of working memory: the run stops (for this person only). */
static struct expr_xval out_of_memory(struct expr_ctx *c)
{
    c->stop = EXPR_STOP_MEMORY;
    return bad(EXPR_FAILED);
}

EXPR_OFF_WALK static struct expr_xval eval_macro(struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    int recv = x->kid, pred = N(c, recv)->next;
    struct expr_xval planned;
    if (x->ptr != NULL && expr_plan_run(c, n, &planned))
        return planned; /* answered from what the household shares */
    struct expr_xval lv = expr_eval(c, recv);
    if (lv.state != EXPR_OK)
        return bad(lv.state);
    struct expr_list l;
    if (!as_list(c, lv, &l))
        return out_of_memory(c);
    const struct person **keep_p = NULL;
    const char **keep_s = NULL;
    int64_t *keep_n = NULL;
    if (x->sub == M_FILTER) {
        size_t cnt = l.n > 0 ? (size_t)l.n : 1;
        if ((l.persons && !(keep_p = expr_pool_alloc(c->arena, sizeof *keep_p * cnt))) ||
            (l.strs && !(keep_s = expr_pool_alloc(c->arena, sizeof *keep_s * cnt))) ||
            (l.nums && !(keep_n = expr_pool_alloc(c->arena, sizeof *keep_n * cnt))))
            return out_of_memory(c);
    }
    uint8_t unknown = EXPR_OK;
    int64_t hits = 0;
    int kept = 0;
    if (c->quiet++ == 0)
        c->told_failure = 0;
    for (int i = 0; i < l.n; i++) {
        if (!expr_step(c, 1)) /* visiting the item */
            break;
        c->vars[x->ref] = list_item(&l, i);
        /* what the condition allocates is not needed once it has answered */
        struct expr_pool_mark mark = expr_pool_mark(c->arena);
        struct expr_xval r = expr_eval(c, pred);
        expr_pool_rewind(c->arena, mark);
        if (c->stop != EXPR_STOP_NONE)
            break;
        if (r.state != EXPR_OK) {
            unknown = expr_state_max(unknown, r.state);
            continue;
        }
        if (r.v && x->sub == M_EXISTS) {
            c->quiet--;
            return xv(EXPR_OK, 1);
        }
        if (!r.v && x->sub == M_ALL) {
            c->quiet--;
            return xv(EXPR_OK, 0);
        }
        if (r.v) {
            hits++;
            if (keep_p)
                keep_p[kept] = l.persons[i];
            if (keep_s)
                keep_s[kept] = l.strs[i];
            if (keep_n)
                keep_n[kept] = l.nums[i];
            kept += x->sub == M_FILTER;
        }
    }
    c->quiet--;
    if (c->stop != EXPR_STOP_NONE)
        return bad(EXPR_FAILED);
    if (unknown != EXPR_OK)
        return bad(unknown);
    switch (x->sub) {
    case M_EXISTS:
        return xv(EXPR_OK, 0);
    case M_ALL:
        return xv(EXPR_OK, 1);
    case M_COUNT:
        return xv(EXPR_OK, hits);
    case M_EXISTS_ONE:
        return xv(EXPR_OK, hits == 1);
    default: {
        struct expr_list *out = expr_pool_alloc(c->arena, sizeof *out);
        if (out == NULL)
            return out_of_memory(c);
        memset(out, 0, sizeof *out);
        out->n = kept;
        out->persons = keep_p;
        out->strs = keep_s;
        out->nums = keep_n;
        struct expr_xval r = xv(EXPR_OK, kept);
        r.ptr = out;
        return r;
    }
    }
}

/* ---- the interpreter ---- */

/* The line a fact read gives: not given, not valid, or a bool fact's value. */
EXPR_OFF_WALK static void explain_fact(struct expr_ctx *c, int n, struct expr_xval v)
{
    const struct expr_node *x = N(c, n);
    char label[160];
    label_of(c, n, label, sizeof label);
    if (v.state == EXPR_MISSING) {
        emit(c, "%s not given", label);
    } else if (v.state == EXPR_FAILED && x->op == X_FACT) {
        emit(c, "%s is not in %s", label, c->b->u->scope.currency ? c->b->u->scope.currency : "");
    } else if (v.state == EXPR_FAILED) {
        emit(c, "%s is not a valid %s", label,
             x->type.kind == EXPR_INT       ? "int"
             : x->type.kind == EXPR_DECIMAL ? "decimal"
             : x->type.kind == EXPR_MONEY   ? "amount"
             : x->type.kind == EXPR_DATE    ? "date"
             : x->type.kind == EXPR_BOOL    ? "true or false"
                                            : "value");
    } else if (v.state == EXPR_OK && x->type.kind == EXPR_BOOL && x->n_kids == 0) {
        emit(c, "%s %s", label, v.v ? "true" : "false");
    }
}

/* The line of an extra fact read as its declared default: "assumed: ... (not given)". */
EXPR_OFF_WALK static void explain_assumed(struct expr_ctx *c, int n, struct expr_xval v)
{
    const struct expr_fact_decl *d = &c->b->u->scope.extra_facts[N(c, n)->ref];
    if (d->assumed != NULL) {
        emit(c, "assumed: %s (not given)", d->assumed);
        return;
    }
    char label[160], value[160];
    label_of(c, n, label, sizeof label);
    value_text(c, n, v, value, sizeof value);
    emit(c, "assumed: %s %s (not given)", label, value);
}

static struct expr_xval eval_fact(struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    const struct person *p = c->p;
    if (x->n_kids > 0) {
        struct expr_xval who = expr_eval(c, x->kid);
        if (who.state != EXPR_OK || who.ptr == NULL)
            return bad(who.state != EXPR_OK ? who.state : EXPR_FAILED);
        p = who.ptr;
    }
    struct expr_xval v =
        x->op == X_FACT ? expr_fact_read(c->b->u, x->ref, p) : expr_extra_read(c->b->u, x->ref, p);
    if (c->trace != NULL && c->quiet == 0) {
        if (x->op == X_EXTRA && c->b->u->scope.extra_facts[x->ref].default_value != NULL &&
            !expr_extra_given(c->b->u, x->ref, p))
            explain_assumed(c, n, v);
        else
            explain_fact(c, n, v);
    }
    return v;
}

static struct expr_xval eval_has(struct expr_ctx *c, int n)
{
    const struct expr_node *f = N(c, N(c, n)->kid);
    const struct person *p = c->p;
    if (f->n_kids > 0) {
        struct expr_xval who = expr_eval(c, f->kid);
        if (who.state != EXPR_OK || who.ptr == NULL)
            return bad(who.state != EXPR_OK ? who.state : EXPR_FAILED);
        p = who.ptr;
    }
    int given;
    if (f->op == X_FACT) {
        given = expr_fact_given(&expr_facts[f->ref], p);
    } else {
        given = expr_extra_given(c->b->u, f->ref, p);
    }
    if (c->trace != NULL && c->quiet == 0) {
        char label[160];
        label_of(c, N(c, n)->kid, label, sizeof label);
        emit(c, "%s %s", label, given ? "given" : "not given");
    }
    return xv(EXPR_OK, given);
}

static struct expr_xval eval_param(struct expr_ctx *c, int n)
{
    int kept;
    const struct expr_node *x = N(c, n);
    struct expr_xval v = expr_param_read(c->b, x->ref, c->p, c->h, &kept);
    if (v.state == EXPR_PARAM_UNSET && c->trace != NULL && c->quiet == 0) {
        const struct expr_bparam *bp = &c->b->params[x->ref];
        const struct param_value *pv = kept ? bp->kept : bp->pv;
        const char *path = c->b->u->pslots[x->ref].param->path;
        if (pv == NULL) {
            char day[DATE_TEXT_SIZE];
            date_format(c->b->as_of, day);
            emit(c, "parameter %s has no value on %s: an operator must fill it in", path, day);
        } else {
            emit(c, "parameter %s not set: an operator must fill it in", path);
        }
    }
    return v;
}

static struct expr_xval eval_named(struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    const struct expr_def *d = &c->b->u->defs[x->ref];
    if (c->used != NULL)
        c->used[x->ref] = 1;
    if (c->named != NULL)
        return c->named[x->ref];
    if (c->cols != NULL && d->type.kind != EXPR_LIST) {
        const struct expr_column *col = &c->cols[x->ref];
        struct expr_xval v = xv(col->state[c->lane], col->value[c->lane]);
        v.s = v.state == EXPR_OK ? col->text[c->lane] : NULL;
        return v;
    }
    return expr_eval(c, d->root);
}

/* Evaluates up to three arguments of x into args and *count; returns their worst state. */
static uint8_t eval_args(struct expr_ctx *c, const struct expr_node *x, int64_t args[3], int *count)
{
    uint8_t state = EXPR_OK;
    int i = 0;
    for (int k = x->kid; k >= 0 && i < 3; k = N(c, k)->next, i++) {
        struct expr_xval a = expr_eval(c, k);
        state = expr_state_max(state, a.state);
        args[i] = a.v;
    }
    *count = i;
    return state;
}

static struct expr_xval eval_call(struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    if (x->sub == B_SCALE_RATE || x->sub == B_SCALE_MARGINAL) {
        struct expr_xval s = expr_eval(c, x->kid);
        struct expr_xval v = expr_eval(c, N(c, x->kid)->next);
        if (s.state != EXPR_OK || v.state != EXPR_OK)
            return bad(expr_state_max(s.state, v.state));
        int64_t out;
        uint8_t st = expr_scale_apply(c->b->u, x->sub, s.ptr, v.v, &out);
        if (st == EXPR_FAILED) {
            int64_t args[2] = {0, v.v};
            explain_call_failure(c, n, args, 2);
        }
        return xv(st, out);
    }
    int64_t args[3] = {0, 0, 0};
    int i = 0;
    uint8_t state = eval_args(c, x, args, &i);
    if (state != EXPR_OK)
        return bad(state);
    int64_t out = 0;
    uint8_t st = expr_builtin_apply(c->b, x, args, i, &out);
    if (st == EXPR_FAILED)
        explain_call_failure(c, n, args, i);
    return xv(st, out);
}

static struct expr_xval eval_hist(struct expr_ctx *c, int n)
{
    const struct expr_node *x = N(c, n);
    int64_t args[3] = {0, 0, 0};
    int i = 0;
    uint8_t state = eval_args(c, x, args, &i);
    if (state != EXPR_OK)
        return bad(state);
    int64_t out = 0;
    uint8_t st = expr_hist_apply(c->b, x, c->h, args, i, &out);
    if (st == EXPR_FAILED)
        explain_call_failure(c, n, args, i);
    return xv(st, out);
}

/* household.members: the same list every time it is read in a run, made once. */
static struct expr_xval eval_members(struct expr_ctx *c)
{
    struct expr_list *l = &c->members;
    if (!c->members_ready) {
        memset(l, 0, sizeof *l);
        if (c->h != NULL && c->h->n_members > 0) {
            l->n = c->h->n_members;
            l->persons = c->h->members;
        } else {
            c->self[0] = c->p;
            l->n = 1;
            l->persons = c->self;
        }
        c->members_ready = 1;
    }
    struct expr_xval v = xv(EXPR_OK, l->n);
    v.ptr = l;
    return v;
}

struct expr_xval expr_eval(struct expr_ctx *c, int n)
{
    /* a stopped run computes nothing more; inside list macros every node is a step */
    if (c->stop != EXPR_STOP_NONE || (c->quiet > 0 && !expr_step(c, 1)))
        return bad(EXPR_FAILED);
    const struct expr_node *x = N(c, n);
    switch ((enum expr_op)x->op) {
    case X_CONST: {
        struct expr_xval v = xv(EXPR_OK, x->value);
        v.s = x->text;
        return v;
    }
    case X_LIST: {
        struct expr_xval v = xv(EXPR_OK, 0);
        v.ptr = x->ptr;
        return v;
    }
    case X_FACT:
    case X_EXTRA:
        return eval_fact(c, n);
    case X_PARAM:
        return eval_param(c, n);
    case X_NAMED:
        return eval_named(c, n);
    case X_AS_OF:
        return xv(EXPR_OK, c->b->as_of);
    case X_VAR:
        return c->vars[x->ref];
    case X_MEMBERS:
        return eval_members(c);
    case X_ENROL_FROM: {
        int32_t from = expr_enrolment_from(c->b->u, c->h, c->b->as_of);
        return from == DATE_NONE ? bad(EXPR_MISSING) : xv(EXPR_OK, from);
    }
    case X_ENROLLED:
        return xv(EXPR_OK, expr_enrolled_on(c->b->u, c->h, c->b->as_of));
    case X_NOT: {
        struct expr_xval a = expr_eval(c, x->kid);
        return a.state == EXPR_OK ? xv(EXPR_OK, !a.v) : bad(a.state);
    }
    case X_NEG:
    case X_TODEC: {
        struct expr_xval a = expr_eval(c, x->kid);
        if (a.state != EXPR_OK)
            return bad(a.state);
        int64_t out = 0;
        uint8_t st = x->op == X_NEG ? expr_neg(a.v, &out) : expr_todec(a.v, &out);
        if (st == EXPR_FAILED)
            explain_unary_failure(c, n, a);
        return xv(st, out);
    }
    case X_AND:
    case X_OR: {
        struct expr_xval a = expr_eval(c, x->kid);
        int decisive = x->op == X_AND ? 0 : 1;
        if (a.state == EXPR_OK && (a.v != 0) == decisive)
            return xv(EXPR_OK, decisive);
        struct expr_xval b = expr_eval(c, N(c, x->kid)->next);
        uint8_t s;
        int64_t v;
        if (x->op == X_AND)
            expr_logic_and(a.state, a.v, b.state, b.v, &s, &v);
        else
            expr_logic_or(a.state, a.v, b.state, b.v, &s, &v);
        return xv(s, v);
    }
    case X_COND: {
        struct expr_xval cond = expr_eval(c, x->kid);
        if (cond.state != EXPR_OK)
            return bad(cond.state);
        int yes = N(c, x->kid)->next;
        return expr_eval(c, cond.v ? yes : N(c, yes)->next);
    }
    case X_ADD:
    case X_SUB:
    case X_MULI:
    case X_MULS:
    case X_DIVS:
    case X_MODI:
    case X_DIVI: {
        struct expr_xval a = expr_eval(c, x->kid);
        struct expr_xval b = expr_eval(c, N(c, x->kid)->next);
        if (a.state != EXPR_OK || b.state != EXPR_OK)
            return bad(expr_state_max(a.state, b.state));
        int64_t out = 0;
        uint8_t st = expr_arith(x->op, a.v, b.v, c->b->u->scope.rounding, &out);
        if (st == EXPR_FAILED)
            explain_arith_failure(c, n, x->kid, a, N(c, x->kid)->next, b);
        return xv(st, out);
    }
    case X_CMP:
    case X_SCMP:
    case X_IN:
        return eval_test(c, n);
    case X_HAS:
        return eval_has(c, n);
    case X_CALL:
        return eval_call(c, n);
    case X_MACRO:
        return eval_macro(c, n);
    case X_SIZE: {
        struct expr_xval l = expr_eval(c, x->kid);
        if (l.state != EXPR_OK)
            return bad(l.state);
        struct expr_list list;
        if (!as_list(c, l, &list))
            return out_of_memory(c);
        return xv(EXPR_OK, list.n);
    }
    case X_HIST:
        return eval_hist(c, n);
    case X_FN: {
        struct expr_xval args[3];
        int i = 0;
        uint8_t state = EXPR_OK;
        for (int k = x->kid; k >= 0 && i < 3; k = N(c, k)->next, i++) {
            args[i] = expr_eval(c, k);
            state = expr_state_max(state, args[i].state);
        }
        if (state != EXPR_OK)
            return bad(state);
        struct expr_xval out;
        if (expr_fn_apply(c->b->u, x, args, i, &out) == EXPR_FAILED)
            explain_fn_failure(c, n, args, i);
        return out;
    }
    case X_NONE:
        break;
    }
    return bad(EXPR_FAILED);
}

/* ---- running one person ---- */

static void ctx_init(struct expr_ctx *c, const struct expr_bound *b, struct expr_scratch *s,
                     const struct person *p, const struct person_history *h)
{
    /* field by field: the macro variables need no clearing, and this runs once per lane */
    c->b = b;
    c->s = s;
    c->p = p;
    c->h = h;
    c->arena = &s->arena;
    c->named = NULL;
    c->cols = NULL;
    c->lane = 0;
    c->trace = NULL;
    c->quiet = 0;
    c->told_failure = 0;
    c->oom = 0;
    c->steps = 0;
    c->max_steps = EXPR_STEPS_MAX;
    c->stop = EXPR_STOP_NONE;
    c->used = NULL;
    c->self[0] = p;
    c->members_ready = 0;
}

/* Starts a traced run (lane 0) on s: a fresh arena with the whole budget. */
static void traced_begin(struct expr_ctx *c, const struct expr_bound *b, struct expr_scratch *s,
                         const struct person *p, const struct person_history *h)
{
    expr_scratch_begin(s, b);
    expr_scratch_lane(s, 0);
    ctx_init(c, b, s, p, h);
    expr_pool_reset(&s->arena);
    s->arena.max = EXPR_ARENA_MAX;
    c->named = s->results;
}

/* Records in lane 0 where a traced run stopped, after expression i. */
static void traced_note(const struct expr_ctx *c, struct expr_scratch *s, int i)
{
    if (c->stop != EXPR_STOP_NONE && s->stop[0] == EXPR_STOP_NONE) {
        s->stop[0] = c->stop;
        s->stop_at[0] = i;
    }
}

/* The public form of a result: lists give their size. */
static struct expr_value public_value(struct expr_xval v, struct expr_type t)
{
    struct expr_value out = {v.state, 0, NULL};
    if (v.state != EXPR_OK)
        return out;
    out.value = v.v;
    out.text = t.kind == EXPR_STRING ? v.s : NULL;
    if (t.kind == EXPR_LIST) {
        if (v.ptr != NULL) {
            out.value = ((const struct expr_list *)v.ptr)->n;
        } else {
            int n = 0;
            for (const char *q = v.s ? v.s : ""; *q; q++)
                n += *q == ';';
            out.value = v.s && v.s[0] ? n + 1 : 0;
        }
    }
    return out;
}

int expr_run_traced(const struct expr_bound *b, struct expr_scratch *s, const struct person *p,
                    const struct person_history *h, struct expr_value *out, struct error *err)
{
    const struct expr_unit *u = b->u;
    if (s->u != u || s->n_results < u->n_defs)
        return error_set(err, SP_BAD_INPUT,
                         "scratch was made for another unit, or before its "
                         "last expression was added");
    struct expr_ctx c;
    traced_begin(&c, b, s, p, h);
    for (int i = 0; i < u->n_defs; i++) {
        s->results[i] = expr_eval(&c, u->defs[i].root);
        out[i] = public_value(s->results[i], u->defs[i].type);
        traced_note(&c, s, i);
    }
    return c.oom ? error_nomem(err) : SP_OK;
}

struct expr_value expr_eval_lane(const struct expr_bound *b, struct expr_scratch *s,
                                 const struct person *p, const struct person_history *h,
                                 const struct expr_column *cols, int lane, int node, int *oom)
{
    struct expr_value failed = {EXPR_FAILED, 0, NULL};
    expr_scratch_lane(s, lane);
    if (s->stop[lane] != EXPR_STOP_NONE)
        return failed; /* the person's run has stopped at a limit */
    struct expr_ctx c;
    ctx_init(&c, b, s, p, h);
    if (s->arena.peak > 0)
        expr_pool_reset(&s->arena);
    /* the budgets are the person's: what its earlier per-person steps left */
    size_t used = s->memory[lane];
    s->arena.max = used < EXPR_ARENA_MAX ? EXPR_ARENA_MAX - used : 1;
    c.steps = s->steps[lane];
    c.cols = cols;
    c.lane = lane;
    struct expr_xval v = expr_eval(&c, node);
    *oom |= c.oom;
    s->steps[lane] = c.steps;
    s->memory[lane] = used + s->arena.peak;
    if (c.stop != EXPR_STOP_NONE) {
        s->stop[lane] = c.stop;
        s->stop_at[lane] = b->u->nodes[node].expr;
        return failed;
    }
    return public_value(v, b->u->nodes[node].type);
}

/* ---- explanations ---- */

/* Appends the lines of expression i after those of the named values it used (each once). */
static int collect(const struct expr_unit *u, int i, struct buf *lines, const uint8_t *used,
                   uint8_t *done, struct buf *out, struct error *err)
{
    if (done[i])
        return SP_OK;
    done[i] = 1;
    int n = u->n_defs;
    for (int j = 0; j < i; j++) {
        if (used[(size_t)i * (size_t)n + (size_t)j]) {
            int rc = collect(u, j, lines, used, done, out, err);
            if (rc != SP_OK)
                return rc;
        }
    }
    /* each line once in the whole explanation */
    const char *p = lines[i].data;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = (size_t)(end - p) + 1;
        int seen = 0;
        for (const char *q = out->data; *q && !seen;) {
            const char *qe = strchr(q, '\n');
            size_t qlen = (size_t)(qe - q) + 1;
            seen = qlen == len && memcmp(p, q, len) == 0;
            q = qe + 1;
        }
        if (!seen) {
            int rc = buf_append(out, p, len, err);
            if (rc != SP_OK)
                return rc;
        }
        p = end + 1;
    }
    return SP_OK;
}

int expr_explain(const struct expr_bound *b, struct expr_scratch *s, const struct person *p,
                 const struct person_history *h, int index, struct buf *out, struct error *err)
{
    const struct expr_unit *u = b->u;
    int n = u->n_defs, rc = SP_OK;
    if (index < 0 || index >= n)
        return error_set(err, SP_BAD_INPUT, "no expression %d to explain", index);
    if (s->u != u || s->n_results < n)
        return error_set(err, SP_BAD_INPUT,
                         "scratch was made for another unit, or before its "
                         "last expression was added");
    struct buf *lines = sp_calloc((size_t)n, sizeof *lines);
    uint8_t *used = sp_calloc((size_t)n * (size_t)n + (size_t)n, 1);
    if (lines == NULL || used == NULL) {
        rc = error_nomem(err);
        goto out_free;
    }
    for (int i = 0; i < n; i++)
        buf_init(&lines[i], 1 << 20);
    struct expr_ctx c;
    traced_begin(&c, b, s, p, h);
    for (int i = 0; i <= index; i++) {
        c.trace = &lines[i];
        c.used = used + (size_t)i * (size_t)n; /* which named values it reads */
        s->results[i] = expr_eval(&c, u->defs[i].root);
        traced_note(&c, s, i);
    }
    if (c.oom) {
        rc = error_nomem(err);
        goto out_release;
    }
    rc = collect(u, index, lines, used, used + (size_t)n * (size_t)n, out, err);
out_release:
    for (int i = 0; i < n; i++)
        buf_release(&lines[i]);
out_free:
    sp_free(lines);
    sp_free(used);
    return rc;
}

/* ---- the facts a missing result waits on ---- */

/* Where the walk puts names, and how it has gone. */
struct missing_walk {
    struct expr_ctx *c; /* the traced run the walk evaluates operands in */
    struct buf *out;    /* the names, one per line */
    struct error *err;  /* where a failure to append is told */
    int rc;             /* SP_OK until appending a name fails */
};

/* Appends "who.fact" (or "fact" for the person) to the walk's output unless it is there. */
static void missing_add(struct missing_walk *w, const struct person *who, const char *fact)
{
    char line[PERSON_ID_SIZE + 96];
    if (who != NULL && who != w->c->p)
        snprintf(line, sizeof line, "%s.%s\n", who->id, fact);
    else
        snprintf(line, sizeof line, "%s\n", fact);
    size_t len = strlen(line);
    for (const char *q = w->out->len ? w->out->data : ""; *q;) {
        const char *end = strchr(q, '\n');
        if (end == NULL)
            break;
        if ((size_t)(end - q) + 1 == len && memcmp(q, line, len) == 0)
            return;
        q = end + 1;
    }
    w->rc = buf_append(w->out, line, len, w->err);
}

static void missing_walk(struct missing_walk *w, int n);

/* The kids of node n, each walked (only those that are missing name anything). */
static void missing_kids(struct missing_walk *w, int n)
{
    for (int k = N(w->c, n)->kid; k >= 0 && w->rc == SP_OK; k = N(w->c, k)->next)
        missing_walk(w, k);
}

/* A macro that is missing: its receiver, or the predicate for each item it is missing on. */
EXPR_OFF_WALK static void missing_macro(struct missing_walk *w, int n)
{
    struct expr_ctx *c = w->c;
    const struct expr_node *x = N(c, n);
    int recv = x->kid, pred = N(c, recv)->next;
    struct expr_xval lv = expr_eval(c, recv);
    struct expr_list l;
    if (lv.state != EXPR_OK || !as_list(c, lv, &l)) {
        missing_walk(w, recv);
        return;
    }
    for (int i = 0; i < l.n && w->rc == SP_OK && c->stop == EXPR_STOP_NONE; i++) {
        c->vars[x->ref] = list_item(&l, i);
        missing_walk(w, pred);
    }
}

/*
 * Names the facts node n's missing value waits on: those of its missing operands, through
 * named values; a history helper or enrolment.from with no record names nothing.
 */
static void missing_walk(struct missing_walk *w, int n)
{
    struct expr_ctx *c = w->c;
    if (w->rc != SP_OK || expr_eval(c, n).state != EXPR_MISSING)
        return;
    const struct expr_node *x = N(c, n);
    switch ((enum expr_op)x->op) {
    case X_FACT:
    case X_EXTRA: {
        const struct person *who = c->p;
        if (x->n_kids > 0) {
            struct expr_xval m = expr_eval(c, x->kid);
            if (m.state != EXPR_OK || m.ptr == NULL) {
                missing_walk(w, x->kid);
                return;
            }
            who = m.ptr;
        }
        missing_add(w, who,
                    x->op == X_FACT ? expr_facts[x->ref].name
                                    : c->b->u->scope.extra_facts[x->ref].name);
        return;
    }
    case X_NAMED:
        missing_walk(w, c->b->u->defs[x->ref].root);
        return;
    case X_COND: {
        struct expr_xval cond = expr_eval(c, x->kid);
        int yes = N(c, x->kid)->next;
        missing_walk(w, cond.state != EXPR_OK ? x->kid : cond.v ? yes : N(c, yes)->next);
        return;
    }
    case X_MACRO:
        missing_macro(w, n);
        return;
    case X_ENROL_FROM:
        return; /* no enrolment: a record, not a fact */
    default:
        missing_kids(w, n); /* a history helper with all its arguments has no record */
        return;
    }
}

int expr_missing_facts(const struct expr_bound *b, struct expr_scratch *s, const struct person *p,
                       const struct person_history *h, int index, struct buf *out,
                       struct error *err)
{
    const struct expr_unit *u = b->u;
    if (index < 0 || index >= u->n_defs)
        return error_set(err, SP_BAD_INPUT, "no expression %d", index);
    if (s->u != u || s->n_results < u->n_defs)
        return error_set(err, SP_BAD_INPUT,
                         "scratch was made for another unit, or before its "
                         "last expression was added");
    struct expr_ctx c;
    traced_begin(&c, b, s, p, h);
    for (int i = 0; i <= index; i++) {
        s->results[i] = expr_eval(&c, u->defs[i].root);
        traced_note(&c, s, i);
    }
    if (c.stop != EXPR_STOP_NONE || s->results[index].state != EXPR_MISSING)
        return SP_OK;
    /* the walk evaluates operands again: it counts every node, with a budget of its own */
    c.steps = 0;
    c.quiet = 1;
    struct missing_walk w = {&c, out, err, SP_OK};
    missing_walk(&w, u->defs[index].root);
    return w.rc;
}

/* 1 if node n (or a named value it reads) may be missing for want of a record. */
static int lacks_record(const struct expr_unit *u, int n, int depth)
{
    const struct expr_node *x = &u->nodes[n];
    if (x->op == X_ENROL_FROM)
        return 1;
    if (x->op == X_HIST &&
        (x->sub == H_FIRST_MONTH || x->sub == H_EV_LAST || x->sub == H_EV_LAST_CONTRACT))
        return 1;
    if (x->op == X_NAMED)
        return depth < u->n_defs && lacks_record(u, u->defs[x->ref].root, depth + 1);
    for (int k = x->kid; k >= 0; k = u->nodes[k].next)
        if (lacks_record(u, k, depth))
            return 1;
    return 0;
}

int expr_may_lack_record(const struct expr_unit *u, int index)
{
    return index >= 0 && index < u->n_defs && lacks_record(u, u->defs[index].root, 0);
}
