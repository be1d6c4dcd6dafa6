/*
 * expr_run.c: the block runner. Runs a unit's register program over up to EXPR_BLOCK persons,
 * one instruction at a time over whole columns. Every per-lane operation calls the same scalar
 * helpers as the interpreter (expr_builtin.c), so the two agree.
 */
#include <string.h>

#include "base/date.h"
#include "rules/expr_impl.h"

struct regs {
    int64_t *val;
    uint8_t *st;
    const char **txt;
    int ok; /* every lane's state is EXPR_OK */
};

/* Register r in its own storage. */
static struct expr_view own(const struct expr_scratch *s, int r)
{
    struct expr_view v = {s->val + (size_t)r * EXPR_BLOCK, s->state + (size_t)r * EXPR_BLOCK,
                          s->text + (size_t)r * EXPR_BLOCK, 0};
    return v;
}

/* Where register r is now (its own storage, or a result column it aliases). */
static struct regs reg(const struct expr_scratch *s, int r)
{
    const struct expr_view *v = &s->views[r];
    struct regs x = {v->val, v->st, v->txt, v->ok};
    return x;
}

static void set_states(uint8_t *st, uint8_t state, int n)
{
    if (n > 0)
        memset(st, state, (size_t)n);
}

/* 1 if st[0..n) are all EXPR_OK (0), eight lanes at a time. */
static int all_ok(const uint8_t *st, int n)
{
    uint64_t any = 0;
    int i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, st + i, sizeof w);
        any |= w;
    }
    for (; i < n; i++)
        any |= st[i];
    return any == 0;
}

static const char *at(const struct person *p, int64_t offset)
{
    return (const char *)p + offset;
}

#define PREFETCH_AHEAD 16

/* Asks for the fact of the person PREFETCH_AHEAD lanes on, so its cache line arrives in time. */
static void prefetch(const struct person *const *persons, int i, int n, int64_t offset)
{
    if (i + PREFETCH_AHEAD < n)
        __builtin_prefetch(at(persons[i + PREFETCH_AHEAD], offset));
}

static void load_fact(const struct expr_unit *u, const struct expr_insn *in,
                      const struct person *const *persons, int n, struct regs d)
{
    switch ((enum expr_cop)in->op) {
    case C_FACT_TEXT:
        for (int i = 0; i < n; i++) {
            prefetch(persons, i, n, in->imm);
            const char *t = at(persons[i], in->imm);
            int given = t[0] != '\0';
            d.st[i] = given ? EXPR_OK : EXPR_MISSING;
            d.val[i] = 0;
            d.txt[i] = given ? t : NULL;
        }
        break;
    case C_FACT_LIST:
        for (int i = 0; i < n; i++) {
            prefetch(persons, i, n, in->imm);
            d.st[i] = EXPR_OK;
            d.val[i] = 0;
            d.txt[i] = at(persons[i], in->imm);
        }
        break;
    case C_FACT_ENUM: {
        const char *const *words = expr_facts[in->sub].choices;
        int n_words = 0;
        while (words[n_words] != NULL)
            n_words++;
        for (int i = 0; i < n; i++) {
            prefetch(persons, i, n, in->imm);
            uint8_t code = *(const uint8_t *)at(persons[i], in->imm);
            uint8_t st = code == 0 ? EXPR_MISSING : code > n_words ? EXPR_FAILED : EXPR_OK;
            d.st[i] = st;
            d.val[i] = st == EXPR_OK ? code : 0;
            d.txt[i] = st == EXPR_OK ? words[code - 1] : NULL;
        }
        break;
    }
    case C_FACT_DATE:
        for (int i = 0; i < n; i++) {
            int32_t v;
            prefetch(persons, i, n, in->imm);
            memcpy(&v, at(persons[i], in->imm), sizeof v);
            d.st[i] = v == DATE_NONE ? EXPR_MISSING : EXPR_OK;
            d.val[i] = v == DATE_NONE ? 0 : v;
        }
        break;
    case C_FACT_INT:
        for (int i = 0; i < n; i++) {
            int32_t v;
            prefetch(persons, i, n, in->imm);
            memcpy(&v, at(persons[i], in->imm), sizeof v);
            d.st[i] = v < 0 ? EXPR_MISSING : EXPR_OK;
            d.val[i] = v < 0 ? 0 : v;
        }
        break;
    case C_FACT_TRI:
        for (int i = 0; i < n; i++) {
            prefetch(persons, i, n, in->imm);
            uint8_t t = *(const uint8_t *)at(persons[i], in->imm);
            d.st[i] = t == TRISTATE_UNSET ? EXPR_MISSING : EXPR_OK;
            d.val[i] = t == TRISTATE_TRUE;
        }
        break;
    case C_FACT_MONEY: {
        const char *cur = u->scope.currency;
        for (int i = 0; i < n; i++) {
            prefetch(persons, i, n, in->imm);
            const struct money *m = (const struct money *)(const void *)at(persons[i], in->imm);
            uint8_t st = m->currency[0] == '\0'             ? EXPR_MISSING
                         : memcmp(m->currency, cur, 3) != 0 ? EXPR_FAILED
                                                            : EXPR_OK;
            d.st[i] = st;
            d.val[i] = st == EXPR_OK ? m->minor : 0;
        }
        break;
    }
    default:
        break;
    }
}

/* Every lane = (st, v, t); t only when the register carries text. */
static void fill(struct regs d, int n, uint8_t st, int64_t v, const char *t, int text)
{
    v = st == EXPR_OK ? v : 0;
    set_states(d.st, st, n);
    for (int i = 0; i < n; i++)
        d.val[i] = v;
    if (text)
        for (int i = 0; i < n; i++)
            d.txt[i] = st == EXPR_OK ? t : NULL;
}

static void arith(int op, enum rounding r, struct regs a, struct regs b, struct regs d, int n)
{
    if (op == X_ADD || op == X_SUB) {
        for (int i = 0; i < n; i++) {
            int64_t v;
            int over = op == X_ADD ? __builtin_add_overflow(a.val[i], b.val[i], &v)
                                   : __builtin_sub_overflow(a.val[i], b.val[i], &v);
            uint8_t st = expr_state_max(a.st[i], b.st[i]);
            if (st == EXPR_OK && over)
                st = EXPR_FAILED;
            d.st[i] = st;
            d.val[i] = st == EXPR_OK ? v : 0;
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        uint8_t st = expr_state_max(a.st[i], b.st[i]);
        int64_t v = 0;
        if (st == EXPR_OK)
            st = expr_arith(op, a.val[i], b.val[i], r, &v);
        d.st[i] = st;
        d.val[i] = st == EXPR_OK ? v : 0;
    }
}

/* Both operands OK in every lane: no states to merge. */
#define CMP_LOOP(expr)                                                                             \
    if (a.ok && b.ok) {                                                                            \
        set_states(d.st, EXPR_OK, n);                                                              \
        for (int i = 0; i < n; i++)                                                                \
            d.val[i] = (expr);                                                                     \
    } else {                                                                                       \
        for (int i = 0; i < n; i++) {                                                              \
            uint8_t st = expr_state_max(a.st[i], b.st[i]);                                         \
            d.st[i] = st;                                                                          \
            d.val[i] = st == EXPR_OK && (expr);                                                    \
        }                                                                                          \
    }

#define CMPI_LOOP(expr)                                                                            \
    if (a.ok) {                                                                                    \
        set_states(d.st, EXPR_OK, n);                                                              \
        for (int i = 0; i < n; i++)                                                                \
            d.val[i] = (expr);                                                                     \
    } else {                                                                                       \
        for (int i = 0; i < n; i++) {                                                              \
            uint8_t st = a.st[i];                                                                  \
            d.st[i] = st;                                                                          \
            d.val[i] = st == EXPR_OK && (expr);                                                    \
        }                                                                                          \
    }

static void compare_imm(int tok, struct regs a, int64_t k, struct regs d, int n)
{
    switch (tok) {
    case T_EQ:
        CMPI_LOOP(a.val[i] == k);
        break;
    case T_NE:
        CMPI_LOOP(a.val[i] != k);
        break;
    case T_LT:
        CMPI_LOOP(a.val[i] < k);
        break;
    case T_LE:
        CMPI_LOOP(a.val[i] <= k);
        break;
    case T_GT:
        CMPI_LOOP(a.val[i] > k);
        break;
    default:
        CMPI_LOOP(a.val[i] >= k);
        break;
    }
}

static void compare(int tok, struct regs a, struct regs b, struct regs d, int n)
{
    switch (tok) {
    case T_EQ:
        CMP_LOOP(a.val[i] == b.val[i]);
        break;
    case T_NE:
        CMP_LOOP(a.val[i] != b.val[i]);
        break;
    case T_LT:
        CMP_LOOP(a.val[i] < b.val[i]);
        break;
    case T_LE:
        CMP_LOOP(a.val[i] <= b.val[i]);
        break;
    case T_GT:
        CMP_LOOP(a.val[i] > b.val[i]);
        break;
    default:
        CMP_LOOP(a.val[i] >= b.val[i]);
        break;
    }
}

static int in_strings(const char *const *items, int count, const char *s)
{
    for (int k = 0; k < count; k++)
        if (items[k][0] == s[0] && strcmp(items[k], s) == 0)
            return 1;
    return 0;
}

/* 1 if item is one of the ';'-separated entries of list (as expr_list_text_has). */
static int in_text_list(const char *list, const char *item)
{
    const char *p = list;
    while (*p != '\0') {
        const char *q = item;
        while (*q != '\0' && *p == *q) {
            p++;
            q++;
        }
        if (*q == '\0' && (*p == ';' || *p == '\0'))
            return 1;
        while (*p != '\0' && *p != ';')
            p++;
        if (*p == ';')
            p++;
    }
    return 0;
}

/* 1 if an entry of the ';'-separated list text is one of items[0..count) (an empty text has
 * no entry; "a;;b" has an empty one), as the interpreter splits it (as_list). */
static int any_in_strings(const char *list, const char *const *items, int count)
{
    if (*list == '\0')
        return 0;
    for (const char *p = list;;) {
        size_t len = strcspn(p, ";");
        for (int k = 0; k < count; k++)
            if (strncmp(items[k], p, len) == 0 && items[k][len] == '\0')
                return 1;
        if (p[len] == '\0')
            return 0;
        p += len + 1;
    }
}

/*
 * list.exists(v, v in K) over whole columns, as the interpreter gives it: an empty list is
 * false; otherwise, while K is not known (a parameter not set), neither is the answer; else
 * whether an entry is in K.
 */
static void any_in(const struct expr_bound *b, const struct expr_insn *in, struct regs a,
                   struct regs d, int n)
{
    uint8_t known;
    const struct expr_list *list = expr_any_in_list(b, in, &known);
    for (int i = 0; i < n; i++) {
        const char *t = a.txt[i] != NULL ? a.txt[i] : "";
        uint8_t st = a.st[i] != EXPR_OK ? a.st[i] : t[0] == '\0' ? EXPR_OK : known;
        d.st[i] = st;
        d.val[i] = st == EXPR_OK && t[0] != '\0' && any_in_strings(t, list->strs, list->n);
    }
}

static void in_const(const struct expr_insn *in, struct regs a, struct regs d, int n)
{
    const struct expr_list *l = in->ptr;
    for (int i = 0; i < n; i++) {
        uint8_t st = a.st[i];
        int64_t v = 0;
        if (st == EXPR_OK) {
            if (in->sub == 1) {
                v = a.val[i] > 0 && a.val[i] < 64 && ((in->imm >> a.val[i]) & 1);
            } else if (l->strs != NULL) {
                v = a.txt[i] != NULL && in_strings(l->strs, l->n, a.txt[i]);
            } else {
                for (int k = 0; k < l->n && !v; k++)
                    v = l->nums[k] == a.val[i];
            }
        }
        d.st[i] = st;
        d.val[i] = v;
    }
}

/* Gathers lane i of `count` argument registers into args; returns their worst state. */
static uint8_t lane_args(const struct regs *r, int count, int i, int64_t args[3])
{
    uint8_t st = EXPR_OK;
    for (int k = 0; k < count; k++) {
        st = expr_state_max(st, r[k].st[i]);
        args[k] = r[k].val[i];
    }
    return st;
}

static void call(const struct expr_bound *b, const struct expr_insn *in, const struct regs *r,
                 struct regs d, int n)
{
    const struct expr_node *node = &b->u->nodes[in->node];
    int count = in->sub;
    if (node->sub == B_MIN || node->sub == B_MAX) {
        struct regs x = r[0], y = r[1];
        int is_min = node->sub == B_MIN;
        for (int i = 0; i < n; i++) {
            uint8_t st = expr_state_max(x.st[i], y.st[i]);
            int64_t v = (x.val[i] < y.val[i]) == is_min ? x.val[i] : y.val[i];
            d.st[i] = st;
            d.val[i] = st == EXPR_OK ? v : 0;
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        int64_t args[3] = {0, 0, 0}, v = 0;
        uint8_t st = lane_args(r, count, i, args);
        if (st == EXPR_OK)
            st = expr_builtin_apply(b, node, args, count, &v);
        d.st[i] = st;
        d.val[i] = st == EXPR_OK ? v : 0;
    }
}

/* 1 if the history has no events and no contributions (what the history helpers read). */
static int history_empty(const struct person_history *h)
{
    return h == NULL || (h->n_events == 0 && h->n_contributions == 0);
}

static void history(const struct expr_bound *b, const struct expr_insn *in, const struct regs *r,
                    struct regs d, const struct person_history *const *histories, int n)
{
    const struct expr_node *node = &b->u->nodes[in->node];
    int count = in->sub;
    /* without arguments, every empty history gives the same result: compute it once */
    int64_t none_args[3] = {0, 0, 0}, none_v = 0;
    uint8_t none_st = count == 0 ? expr_hist_apply(b, node, NULL, none_args, 0, &none_v) : 0;
    for (int i = 0; i < n; i++) {
        const struct person_history *h = histories ? histories[i] : NULL;
        if (count == 0 && history_empty(h)) {
            d.st[i] = none_st;
            d.val[i] = none_st == EXPR_OK ? none_v : 0;
            continue;
        }
        int64_t args[3] = {0, 0, 0}, v = 0;
        uint8_t st = lane_args(r, count, i, args);
        if (st == EXPR_OK)
            st = expr_hist_apply(b, node, h, args, count, &v);
        d.st[i] = st;
        d.val[i] = st == EXPR_OK ? v : 0;
    }
}

/* The number of extra facts p holds, within the array's bounds. */
static int extra_count(const struct person *p)
{
    return p->n_extra < 0 ? 0 : p->n_extra > PERSON_EXTRA_MAX ? PERSON_EXTRA_MAX : p->n_extra;
}

/* has(extra fact): 1 if an entry of that name has a value (as the interpreter's has()). */
static int extra_given(const struct person *p, const char *name)
{
    int count = extra_count(p);
    for (int k = 0; k < count; k++)
        if (strncmp(p->extra[k].name, name, PERSON_EXTRA_NAME_SIZE) == 0 &&
            p->extra[k].value[0] != '\0')
            return 1;
    return 0;
}

/* 1 if some lane's history has an enrolment (which grandfathering may depend on). */
static int any_enrolment(const struct person_history *const *histories, int n)
{
    if (histories == NULL)
        return 0;
    for (int i = 0; i < n; i++)
        if (histories[i] != NULL && histories[i]->n_enrolments > 0)
            return 1;
    return 0;
}

static void age_years(const struct expr_bound *b, struct regs a, struct regs d, int n)
{
    if (a.ok && b->age_ok) {
        /* expr_age_years_fast inlined: birth dates within the table need no call */
        const int64_t limit = (int64_t)EXPR_AGE_TABLE * 365;
        set_states(d.st, EXPR_OK, n);
        for (int i = 0; i < n; i++) {
            int64_t birth = a.val[i], days = b->as_of - birth, v;
            if (days >= 0 && days < limit) {
                int64_t y = days / 366;
                d.val[i] = y + (birth <= b->age_cut[y + 1]);
            } else {
                uint8_t st = expr_age_years_slow(b, birth, &v);
                d.st[i] = st;
                d.val[i] = st == EXPR_OK ? v : 0;
            }
        }
        return;
    }
    for (int i = 0; i < n; i++) {
        int64_t v = 0;
        uint8_t st = a.st[i];
        if (st == EXPR_OK)
            st = expr_age_years_fast(b, a.val[i], &v);
        d.st[i] = st;
        d.val[i] = st == EXPR_OK ? v : 0;
    }
}

static void select_lanes(const struct expr_insn *in, struct regs a, struct regs bb, struct regs c,
                         struct regs d, int n)
{
    if (a.ok && bb.ok && c.ok) {
        /* d may be a's register: read the condition before writing the value */
        if (in->text)
            for (int i = 0; i < n; i++)
                d.txt[i] = a.val[i] ? bb.txt[i] : c.txt[i];
        for (int i = 0; i < n; i++)
            d.val[i] = a.val[i] ? bb.val[i] : c.val[i];
        set_states(d.st, EXPR_OK, n);
        return;
    }
    for (int i = 0; i < n; i++) {
        if (a.st[i] != EXPR_OK) {
            d.st[i] = a.st[i];
            d.val[i] = 0;
            if (in->text)
                d.txt[i] = NULL;
        } else {
            struct regs from = a.val[i] ? bb : c;
            d.st[i] = from.st[i];
            d.val[i] = from.val[i];
            if (in->text)
                d.txt[i] = from.txt[i];
        }
    }
}

static void output(const struct expr_unit *u, const struct expr_insn *in, struct regs a, int n,
                   struct expr_column *out)
{
    struct expr_column *col = &out[in->imm];
    int is_text = u->defs[in->imm].type.kind == EXPR_STRING;
    if (a.ok) {
        set_states(col->state, EXPR_OK, n);
        memcpy(col->value, a.val, sizeof *col->value * (size_t)n);
        if (is_text)
            memcpy(col->text, a.txt, sizeof *col->text * (size_t)n);
        else
            memset(col->text, 0, sizeof *col->text * (size_t)n);
        return;
    }
    for (int i = 0; i < n; i++) {
        int ok = a.st[i] == EXPR_OK;
        col->state[i] = a.st[i];
        col->value[i] = ok ? a.val[i] : 0;
        col->text[i] = ok && is_text ? a.txt[i] : NULL;
    }
}

static int run_insn(const struct expr_bound *b, const struct expr_insn *in, struct expr_scratch *s,
                    const struct person *const *persons,
                    const struct person_history *const *histories, int n, struct expr_column *out)
{
    const struct expr_unit *u = b->u;
    struct regs r[3];
    const int16_t operands[3] = {in->a, in->b, in->c};
    for (int k = 0; k < 3; k++)
        if (operands[k] >= 0)
            r[k] = reg(s, operands[k]);
    if (in->op == C_OUT) {
        output(u, in, r[0], n, out);
        return 0;
    }
    if (in->op == C_NAMED) { /* read the earlier result in place */
        struct expr_column *col = &out[in->imm];
        struct expr_view v = {col->value, col->state, col->text, 0};
        v.ok = (uint8_t)all_ok(v.st, n);
        s->views[in->dst] = v;
        return 0;
    }
    /* the result goes to the register's own storage (it may have aliased a column) */
    s->views[in->dst] = own(s, in->dst);
    struct regs d = reg(s, in->dst);
    for (int k = 0; k < 3; k++)
        if (operands[k] < 0)
            r[k] = d;
    struct regs a = r[0], bb = r[1], c = r[2];
    int oom = 0;
    switch ((enum expr_cop)in->op) {
    case C_FACT_TEXT:
    case C_FACT_ENUM:
    case C_FACT_DATE:
    case C_FACT_MONEY:
    case C_FACT_TRI:
    case C_FACT_INT:
    case C_FACT_LIST:
        load_fact(u, in, persons, n, d);
        break;
    case C_CONST:
        fill(d, n, EXPR_OK, in->imm, in->ptr, in->text);
        break;
    case C_PARAM: {
        int kept;
        struct expr_xval v = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
        fill(d, n, v.state, v.v, v.s, in->text);
        break;
    }
    case C_AS_OF:
        fill(d, n, EXPR_OK, b->as_of, NULL, 0);
        break;
    case C_NAMED:
    case C_OUT:
        break; /* above */
    case C_NOT:
        if (a.ok) {
            set_states(d.st, EXPR_OK, n);
            for (int i = 0; i < n; i++)
                d.val[i] = !a.val[i];
            break;
        }
        for (int i = 0; i < n; i++) {
            d.st[i] = a.st[i];
            d.val[i] = a.st[i] == EXPR_OK && !a.val[i];
        }
        break;
    case C_NEG:
    case C_TODEC:
        for (int i = 0; i < n; i++) {
            int64_t v = 0;
            uint8_t st = a.st[i];
            if (st == EXPR_OK)
                st = in->op == C_NEG ? expr_neg(a.val[i], &v) : expr_todec(a.val[i], &v);
            d.st[i] = st;
            d.val[i] = st == EXPR_OK ? v : 0;
        }
        break;
    case C_AND:
        if (a.ok && bb.ok) {
            set_states(d.st, EXPR_OK, n);
            for (int i = 0; i < n; i++)
                d.val[i] = (a.val[i] != 0) & (bb.val[i] != 0);
            break;
        }
        for (int i = 0; i < n; i++)
            expr_logic_and(a.st[i], a.val[i], bb.st[i], bb.val[i], &d.st[i], &d.val[i]);
        break;
    case C_OR:
        if (a.ok && bb.ok) {
            set_states(d.st, EXPR_OK, n);
            for (int i = 0; i < n; i++)
                d.val[i] = (a.val[i] != 0) | (bb.val[i] != 0);
            break;
        }
        for (int i = 0; i < n; i++)
            expr_logic_or(a.st[i], a.val[i], bb.st[i], bb.val[i], &d.st[i], &d.val[i]);
        break;
    case C_SEL:
        select_lanes(in, a, bb, c, d, n);
        break;
    case C_ARITH:
        arith(in->sub, u->scope.rounding, a, bb, d, n);
        break;
    case C_CMP:
        compare(in->sub, a, bb, d, n);
        break;
    case C_CMPI:
        compare_imm(in->sub, a, in->imm, d, n);
        break;
    case C_SCMP:
        for (int i = 0; i < n; i++) {
            uint8_t st = expr_state_max(a.st[i], bb.st[i]);
            d.st[i] = st;
            /* byte order of UTF-8 is code point order, CEL's order of strings */
            d.val[i] =
                st == EXPR_OK &&
                expr_compare(in->sub, strcmp(a.txt[i] ? a.txt[i] : "", bb.txt[i] ? bb.txt[i] : ""),
                             0);
        }
        break;
    case C_IN_CONST:
        in_const(in, a, d, n);
        break;
    case C_IN_PARAM: {
        int kept;
        struct expr_xval l = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
        const struct expr_list *list = l.ptr;
        for (int i = 0; i < n; i++) {
            uint8_t st = expr_state_max(a.st[i], l.state);
            d.st[i] = st;
            d.val[i] =
                st == EXPR_OK && a.txt[i] != NULL && in_strings(list->strs, list->n, a.txt[i]);
        }
        break;
    }
    case C_IN_FACT:
        for (int i = 0; i < n; i++) {
            uint8_t st = expr_state_max(a.st[i], bb.st[i]);
            d.st[i] = st;
            d.val[i] = st == EXPR_OK && a.txt[i] != NULL &&
                       in_text_list(bb.txt[i] ? bb.txt[i] : "", a.txt[i]);
        }
        break;
    case C_AGE_YEARS:
        age_years(b, a, d, n);
        break;
    case C_ANY_IN:
        any_in(b, in, a, d, n);
        break;
    case C_CALL:
        call(b, in, r, d, n);
        break;
    case C_HAS: {
        set_states(d.st, EXPR_OK, n);
        if (in->sub == 1) { /* an extra fact */
            const char *name = u->scope.extra_facts[in->imm].name;
            for (int i = 0; i < n; i++)
                d.val[i] = extra_count(persons[i]) > 0 && extra_given(persons[i], name);
            break;
        }
        const struct expr_fact *f = &expr_facts[in->imm];
        for (int i = 0; i < n; i++)
            d.val[i] = expr_fact_given(f, persons[i]);
        break;
    }
    case C_EXTRA: {
        struct expr_xval dflt = expr_extra_default(u, (int)in->imm); /* MISSING if none */
        for (int i = 0; i < n; i++) {
            if (extra_count(persons[i]) == 0) { /* nothing to look up */
                d.st[i] = dflt.state;
                d.val[i] = dflt.v;
                d.txt[i] = dflt.s;
                continue;
            }
            struct expr_xval v = expr_extra_read(u, (int)in->imm, persons[i]);
            d.st[i] = v.state;
            d.val[i] = v.v;
            d.txt[i] = v.s;
        }
        break;
    }
    case C_HIST:
        history(b, in, r, d, histories, n);
        break;
    case C_ENROLLED:
        set_states(d.st, EXPR_OK, n);
        for (int i = 0; i < n; i++)
            d.val[i] = expr_enrolled_on(u, histories ? histories[i] : NULL, b->as_of);
        break;
    case C_ENROL_FROM:
        for (int i = 0; i < n; i++) {
            int32_t from = expr_enrolment_from(u, histories ? histories[i] : NULL, b->as_of);
            d.st[i] = from == DATE_NONE ? EXPR_MISSING : EXPR_OK;
            d.val[i] = from == DATE_NONE ? 0 : from;
        }
        break;
    case C_PARAM_GF:
        if (!any_enrolment(histories, n)) { /* nobody can keep a value: the one in force */
            int kept;
            struct expr_xval v = expr_param_read(b, (int)in->imm, NULL, NULL, &kept);
            fill(d, n, v.state, v.v, v.s, in->text);
            break;
        }
        for (int i = 0; i < n; i++) {
            int kept;
            struct expr_xval v = expr_param_read(b, (int)in->imm, persons[i],
                                                 histories ? histories[i] : NULL, &kept);
            d.st[i] = v.state;
            d.val[i] = v.v;
            d.txt[i] = v.s;
        }
        break;
    case C_LANE:
        for (int i = 0; i < n; i++) {
            struct expr_value v = expr_eval_lane(b, s, persons[i], histories ? histories[i] : NULL,
                                                 out, i, in->node, &oom);
            d.st[i] = v.state;
            d.val[i] = v.value;
            d.txt[i] = v.text;
        }
        break;
    }
    return oom;
}

int expr_run_block(const struct expr_bound *b, struct expr_scratch *s,
                   const struct person *const *persons,
                   const struct person_history *const *histories, int n, struct expr_column *out,
                   struct error *err)
{
    const struct expr_unit *u = b->u;
    int rc = expr_scratch_check(b, s, n, err);
    if (rc != SP_OK)
        return rc;
    expr_scratch_begin(s, b);
    int oom = 0;
    for (int k = 0; k < u->n_code; k++) {
        const struct expr_insn *in = &u->code[k];
        if (!in->uniform || n == 1) {
            oom |= run_insn(b, in, s, persons, histories, n, out);
        } else {
            /* the same operands in every lane: compute lane 0, copy it to the others */
            oom |= run_insn(b, in, s, persons, histories, 1, out);
            struct regs d = reg(s, in->dst);
            set_states(d.st + 1, d.st[0], n - 1);
            for (int i = 1; i < n; i++)
                d.val[i] = d.val[0];
            if (in->text)
                for (int i = 1; i < n; i++)
                    d.txt[i] = d.txt[0];
        }
        if (in->dst >= 0 && in->op != C_NAMED)
            s->views[in->dst].ok = (uint8_t)all_ok(s->views[in->dst].st, n);
    }
    return oom ? error_nomem(err) : SP_OK;
}
