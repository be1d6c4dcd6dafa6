/*
 * expr_check.c: name resolution and type checking. Rewrites each syntax node's `op` into the
 * operation both interpreters run, folds constants (date(), money(), enum words) and inserts
 * int-to-decimal conversions. Every error names file:line:col inside the expression.
 */
#include <stdio.h>
#include <math.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "rules/expr_impl.h"

struct checker {
    struct expr_unit *u;
    int expr;
    struct expr_def *def;
    struct error *err;
    int n_vars;                                /* macro variables in scope */
    const char *var_names[EXPR_VARS_MAX];      /* innermost last */
    struct expr_type var_types[EXPR_VARS_MAX]; /* their element types */
};

#define NODE(c, i)       (&(c)->u->nodes[(i)])
#define FAIL(c, at, ...) expr_error_at((c)->err, (c)->def->pos, (c)->def->source, (at), __VA_ARGS__)

static struct expr_type make_type(enum expr_kind kind)
{
    struct expr_type t;
    memset(&t, 0, sizeof t);
    t.kind = kind;
    return t;
}

static struct expr_type money_type(const char *currency)
{
    struct expr_type t = make_type(EXPR_MONEY);
    text_copy(t.currency, sizeof t.currency, currency ? currency : "");
    return t;
}

static struct expr_type list_type(enum expr_kind element, const char *currency)
{
    struct expr_type t = make_type(EXPR_LIST);
    t.element = element;
    text_copy(t.currency, sizeof t.currency, currency ? currency : "");
    return t;
}

int expr_type_equal(struct expr_type a, struct expr_type b)
{
    if (a.kind != b.kind)
        return 0;
    if (a.kind == EXPR_LIST && a.element != b.element)
        return 0;
    if ((a.kind == EXPR_MONEY || a.kind == EXPR_SCALE ||
         (a.kind == EXPR_LIST && a.element == EXPR_MONEY)) &&
        strcmp(a.currency, b.currency) != 0)
        return 0;
    return 1;
}

static const char *kind_name(enum expr_kind k)
{
    switch (k) {
    case EXPR_BOOL:
        return "bool";
    case EXPR_INT:
        return "int";
    case EXPR_DECIMAL:
        return "decimal";
    case EXPR_MONEY:
        return "money";
    case EXPR_STRING:
        return "string";
    case EXPR_DATE:
        return "date";
    case EXPR_LIST:
        return "list";
    case EXPR_PERSON:
        return "person";
    case EXPR_SCALE:
        return "scale";
    case EXPR_DOUBLE:
        return "double";
    }
    return "?";
}

void expr_type_name(struct expr_type t, char *out, size_t size)
{
    if (t.kind == EXPR_MONEY || (t.kind == EXPR_SCALE && t.currency[0]))
        snprintf(out, size, "%s (%s)", kind_name(t.kind), t.currency);
    else if (t.kind == EXPR_LIST && t.element == EXPR_MONEY)
        snprintf(out, size, "list of money (%s)", t.currency);
    else if (t.kind == EXPR_LIST)
        snprintf(out, size, "list of %s", kind_name(t.element));
    else
        snprintf(out, size, "%s", kind_name(t.kind));
}

/* A type name for messages; two buffers so one message can name two types. */
static const char *tname(struct expr_type t, int which)
{
    static _Thread_local char names[2][64];
    expr_type_name(t, names[which & 1], sizeof names[0]);
    return names[which & 1];
}

static int is_num(struct expr_type t)
{
    return t.kind == EXPR_INT || t.kind == EXPR_DECIMAL;
}

/* ---- suggestions ---- */

struct suggestion {
    const char *name; /* what was written */
    const char *best; /* the closest candidate so far, or NULL */
    int dist;
};

static void consider(struct suggestion *s, const char *candidate)
{
    if (candidate == NULL)
        return;
    int d = text_edit_distance(s->name, candidate, 99);
    int limit = strlen(s->name) <= 4 ? 1 : 2;
    if (d <= limit && (s->best == NULL || d < s->dist)) {
        s->best = candidate;
        s->dist = d;
    }
}

/* Writes ` (did you mean "x"?)` or "". */
static void hint(const struct suggestion *s, const char *prefix, char *out, size_t size)
{
    if (s->best)
        snprintf(out, size, " (did you mean \"%s%s\"?)", prefix, s->best);
    else
        out[0] = '\0';
}

/* ---- node surgery ---- */

/* Wraps node n in a conversion node of op `op` and type t: n keeps its index and links. */
static int wrap(struct checker *c, int n, enum expr_op op, struct expr_type t)
{
    struct expr_node *inner = NULL;
    int index;
    int rc = expr_node_new(c->u, &inner, &index, c->err);
    if (rc != SP_OK)
        return rc;
    struct expr_node *outer = NODE(c, n);
    *inner = *outer;
    inner->next = -1;
    outer->op = (uint8_t)op;
    outer->kid = index;
    outer->n_kids = 1;
    outer->type = t;
    outer->enum_field = -1;
    return SP_OK;
}

/* Makes an int node a decimal (folding constants). */
static int to_dec(struct checker *c, int n)
{
    struct expr_node *x = NODE(c, n);
    if (x->type.kind != EXPR_INT)
        return SP_OK;
    if (x->op == X_CONST) {
        if (__builtin_mul_overflow(x->value, (int64_t)DECIMAL_SCALE, &x->value))
            return FAIL(c, x->start, "number too large for a decimal");
        x->type = make_type(EXPR_DECIMAL);
        return SP_OK;
    }
    return wrap(c, n, X_TODEC, make_type(EXPR_DECIMAL));
}

/* ---- CEL doubles (docs/expressions.md "Numbers") ----
 *
 * A double exists only while checking, as a constant: literals such as 0.5 or 1e3, and what
 * arithmetic, negation, comparison and conversion make of constants, folded here with C's
 * IEEE 754 doubles, which are CEL's. Where a double meets spfloor's exact decimals or money,
 * or is a result, it becomes the decimal it stands for, and is refused when no decimal of six
 * places does (0.1 + 0.2 is 0.30000000000000004 in CEL).
 */

static double dbl_of(const struct expr_node *x)
{
    double d;
    memcpy(&d, &x->value, sizeof d);
    return d;
}

/* Makes node n the double constant d (dropping its children). */
static void set_dbl(struct checker *c, int n, double d)
{
    struct expr_node *x = NODE(c, n);
    memcpy(&x->value, &d, sizeof d);
    x->op = X_CONST;
    x->type = make_type(EXPR_DOUBLE);
    x->kid = -1;
    x->n_kids = 0;
}

/* Makes node n the constant v of kind (bool, int), dropping its children. */
static void set_const(struct checker *c, int n, enum expr_kind kind, int64_t v)
{
    struct expr_node *x = NODE(c, n);
    x->value = v;
    x->op = X_CONST;
    x->type = make_type(kind);
    x->kid = -1;
    x->n_kids = 0;
    x->enum_field = -1;
}

#define DBL_EXACT_MAX                                                                              \
    4294967296.0 /* 2^32: below it, decimals 0.000001 apart are distinct                           \
                    doubles */

/* A double constant as the exact decimal it stands for; refused when there is none. */
static int demote(struct checker *c, int n)
{
    struct expr_node *x = NODE(c, n);
    if (x->type.kind != EXPR_DOUBLE)
        return SP_OK;
    double d = dbl_of(x);
    if (x->op == X_CONST && isfinite(d) &&
        (fabs(d) < DBL_EXACT_MAX || (d == trunc(d) && fabs(d) < 9.2e12))) {
        int64_t v = llround(d * (double)DECIMAL_SCALE);
        if ((double)v / (double)DECIMAL_SCALE == d) {
            x->value = v;
            x->type = make_type(EXPR_DECIMAL);
            return SP_OK;
        }
    }
    return FAIL(c, x->start,
                "this number is the CEL double %.17g, which no decimal of six places holds "
                "exactly: spfloor refuses it rather than compute something else "
                "(docs/expressions.md, \"Numbers\")",
                d);
}

/* CEL's comparison of an int with a double: by value, exactly (NaN is unordered). */
static int cmp_int_dbl(int64_t i, double d)
{
    if (d >= 9223372036854775808.0)
        return -1;
    if (d < -9223372036854775808.0)
        return 1;
    double t = trunc(d);
    int64_t ti = (int64_t)t;
    if (i != ti)
        return i < ti ? -1 : 1;
    return d > t ? -1 : d < t ? 1 : 0;
}

/* Folds a comparison whose sides are constant numbers, one of them a double. */
static int fold_compare(struct checker *c, int n, int a, int b)
{
    const struct expr_node *xa = NODE(c, a), *xb = NODE(c, b);
    int tok = NODE(c, n)->sub, r, nan = 0;
    if (xa->type.kind == EXPR_DOUBLE && xb->type.kind == EXPR_DOUBLE) {
        double da = dbl_of(xa), db = dbl_of(xb);
        nan = isnan(da) || isnan(db);
        r = da < db ? -1 : da > db ? 1 : 0;
    } else if (xa->type.kind == EXPR_DOUBLE) {
        nan = isnan(dbl_of(xa));
        r = nan ? 0 : -cmp_int_dbl(xb->value, dbl_of(xa));
    } else {
        nan = isnan(dbl_of(xb));
        r = nan ? 0 : cmp_int_dbl(xa->value, dbl_of(xb));
    }
    int64_t v = nan ? tok == T_NE : expr_compare(tok, r, 0);
    set_const(c, n, EXPR_BOOL, v);
    return SP_OK;
}

/* Sets the children of n to the listed nodes (in order). */
static void set_kids(struct checker *c, int n, const int *kids, int count)
{
    NODE(c, n)->kid = count > 0 ? kids[0] : -1;
    NODE(c, n)->n_kids = count;
    for (int i = 0; i < count; i++)
        NODE(c, kids[i])->next = i + 1 < count ? kids[i + 1] : -1;
}

static int check(struct checker *c, int n);
static int make_fn(struct checker *c, int n, int fn, struct expr_type t, int *kids, int count);
static int check_timestamp(struct checker *c, int n, int *kids);

/* Collects the children of n into kids (at most max). */
static int kids_of(struct checker *c, int n, int *kids, int max)
{
    int count = 0;
    for (int k = NODE(c, n)->kid; k >= 0 && count < max; k = NODE(c, k)->next)
        kids[count++] = k;
    return count;
}

/* ---- names ---- */

static const char *const reserved[] = {"params",        "household", "enrolment", "enrolled",
                                       "contributions", "events",    "as_of"};

EXPR_OFF_WALK static int resolve_param(struct checker *c, int n, const char *path)
{
    const struct expr_scope *sc = &c->u->scope;
    char full[256];
    const struct param *p = NULL;
    if (sc->params != NULL && sc->param_namespace != NULL && sc->param_namespace[0] != '\0') {
        snprintf(full, sizeof full, "%s.%s", sc->param_namespace, path);
        p = param_set_find(sc->params, full);
    }
    if (p == NULL && sc->params != NULL)
        p = param_set_find(sc->params, path);
    if (p == NULL) {
        struct suggestion s = {path, NULL, 0};
        size_t ns = sc->param_namespace ? strlen(sc->param_namespace) : 0;
        for (int i = 0; sc->params && i < param_set_count(sc->params); i++) {
            const char *cand = param_set_get(sc->params, i)->path;
            if (ns > 0 && strncmp(cand, sc->param_namespace, ns) == 0 && cand[ns] == '.')
                consider(&s, cand + ns + 1);
            else
                consider(&s, cand);
        }
        char h[128];
        hint(&s, "params.", h, sizeof h);
        if (ns > 0)
            return FAIL(c, NODE(c, n)->start,
                        "unknown parameter \"params.%s\": neither %s.%s nor "
                        "%s is defined%s",
                        path, sc->param_namespace, path, path, h);
        return FAIL(c, NODE(c, n)->start, "unknown parameter \"params.%s\"%s", path, h);
    }
    int slot = -1;
    for (int i = 0; i < c->u->n_pslots; i++)
        if (c->u->pslots[i].param == p)
            slot = i;
    if (slot < 0) {
        if (c->u->n_pslots == c->u->cap_pslots) {
            int cap = c->u->cap_pslots ? c->u->cap_pslots * 2 : 16;
            struct expr_pslot *grown = sp_reallocarray(c->u->pslots, (size_t)cap, sizeof *grown);
            if (grown == NULL)
                return error_nomem(c->err);
            c->u->pslots = grown;
            c->u->cap_pslots = cap;
        }
        slot = c->u->n_pslots++;
        c->u->pslots[slot].param = p;
        c->u->pslots[slot].grandfather = -1;
        for (int g = 0; g < sc->n_grandfathers; g++)
            if (strcmp(sc->grandfathers[g].path, p->path) == 0)
                c->u->pslots[slot].grandfather = g;
    }
    struct expr_node *x = NODE(c, n);
    x->op = X_PARAM;
    x->ref = slot;
    x->n_kids = 0;
    x->kid = -1;
    switch (p->kind) {
    case PARAM_MONEY:
        x->type = money_type(p->currency);
        break;
    case PARAM_DECIMAL:
        x->type = make_type(EXPR_DECIMAL);
        break;
    case PARAM_INT:
        x->type = make_type(EXPR_INT);
        break;
    case PARAM_DATE:
        x->type = make_type(EXPR_DATE);
        break;
    case PARAM_BOOL:
        x->type = make_type(EXPR_BOOL);
        break;
    case PARAM_TEXT:
        x->type = make_type(EXPR_STRING);
        break;
    case PARAM_LIST:
        x->type = list_type(EXPR_STRING, NULL);
        break;
    case PARAM_SCALE:
        x->type = make_type(EXPR_SCALE);
        text_copy(x->type.currency, sizeof x->type.currency, p->currency);
        break;
    }
    return SP_OK;
}

/* Writes the dotted path of a chain of names (a.b.c) into out; 0 if n is not such a chain. */
static int dotted(struct checker *c, int n, char *out, size_t size)
{
    const struct expr_node *x = NODE(c, n);
    if (x->syn == S_IDENT)
        return text_copy(out, size, x->text);
    if (x->syn != S_SELECT || !dotted(c, x->kid, out, size))
        return 0;
    size_t len = strlen(out);
    return (size_t)snprintf(out + len, size - len, ".%s", x->text) < size - len;
}

static int check_fact_money(struct checker *c, int n, int fact)
{
    if (expr_facts[fact].storage == FS_MONEY &&
        (c->u->scope.currency == NULL || currency_find(c->u->scope.currency) == NULL))
        return FAIL(c, NODE(c, n)->start, "%s is money, but the scheme has no currency",
                    expr_facts[fact].name);
    return SP_OK;
}

/* Resolves a fact name (of the person, or of member `person` if >= 0); 0 if not a fact. */
static int resolve_fact(struct checker *c, int n, const char *name, int person, int *rc)
{
    int f = expr_fact_find(name);
    struct expr_node *x = NODE(c, n);
    if (f >= 0) {
        x->op = X_FACT;
        x->ref = f;
        x->type = expr_fact_type(&expr_facts[f], c->u->scope.currency);
        if (expr_facts[f].storage == FS_ENUM)
            x->enum_field = (int8_t)f;
        *rc = check_fact_money(c, n, f);
    } else {
        for (int i = 0; i < c->u->scope.n_extra_facts; i++) {
            if (strcmp(c->u->scope.extra_facts[i].name, name) == 0) {
                x->op = X_EXTRA;
                x->ref = i;
                x->type = c->u->scope.extra_facts[i].type;
                f = i;
            }
        }
        if (f < 0)
            return 0;
        *rc = SP_OK;
    }
    x->kid = person;
    x->n_kids = person >= 0 ? 1 : 0;
    if (person >= 0)
        NODE(c, person)->next = -1;
    return 1;
}

EXPR_OFF_WALK static int check_ident(struct checker *c, int n)
{
    const char *name = NODE(c, n)->text;
    struct expr_node *x = NODE(c, n);
    for (int i = c->n_vars - 1; i >= 0; i--) {
        if (strcmp(c->var_names[i], name) == 0) {
            x->op = X_VAR;
            x->ref = i;
            x->type = c->var_types[i];
            return SP_OK;
        }
    }
    for (int i = 0; i < c->expr; i++) {
        if (c->u->defs[i].name && strcmp(c->u->defs[i].name, name) == 0) {
            x->op = X_NAMED;
            x->ref = i;
            x->type = c->u->defs[i].type;
            x->enum_field = NODE(c, c->u->defs[i].root)->enum_field;
            return SP_OK;
        }
    }
    int rc;
    if (resolve_fact(c, n, name, -1, &rc))
        return rc;
    if (strcmp(name, "as_of") == 0) {
        x->op = X_AS_OF;
        x->type = make_type(EXPR_DATE);
        return SP_OK;
    }
    if (strcmp(name, "enrolled") == 0) {
        x->op = X_ENROLLED;
        x->type = make_type(EXPR_BOOL);
        return SP_OK;
    }
    if (strcmp(name, "params") == 0)
        return FAIL(c, x->start, "params needs a parameter name, as in params.senior_age");
    if (strcmp(name, "enrolment") == 0)
        return FAIL(c, x->start, "enrolment has one field: enrolment.from");
    if (strcmp(name, "contributions") == 0 || strcmp(name, "events") == 0)
        return FAIL(c, x->start, "%s is read through its helpers, as in %s", name,
                    name[0] == 'c' ? "contributions.total_months()" : "events.has(\"birth\")");
    struct suggestion s = {name, NULL, 0};
    for (int i = 0; i < expr_fact_count; i++)
        consider(&s, expr_facts[i].name);
    for (int i = 0; i < c->u->scope.n_extra_facts; i++)
        consider(&s, c->u->scope.extra_facts[i].name);
    for (int i = 0; i < c->expr; i++)
        consider(&s, c->u->defs[i].name);
    for (int i = 0; i < c->n_vars; i++)
        consider(&s, c->var_names[i]);
    for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++)
        consider(&s, reserved[i]);
    char h[128];
    hint(&s, "", h, sizeof h);
    return FAIL(c, x->start, "unknown fact \"%s\"%s", name, h);
}

EXPR_OFF_WALK static int check_select(struct checker *c, int n)
{
    struct expr_node *x = NODE(c, n);
    const char *field = x->text;
    int kid = x->kid;
    char path[256];
    if (dotted(c, n, path, sizeof path) && strncmp(path, "params.", 7) == 0) {
        int shadowed = 0;
        for (int i = 0; i < c->n_vars; i++)
            shadowed |= strcmp(c->var_names[i], "params") == 0;
        if (!shadowed)
            return resolve_param(c, n, path + 7);
    }
    const struct expr_node *k = NODE(c, kid);
    if (k->syn == S_IDENT && strcmp(k->text, "household") == 0) {
        if (strcmp(field, "members") != 0)
            return FAIL(c, x->start,
                        "household has no field \"%s\": household.members is the "
                        "list of its members",
                        field);
        x->op = X_MEMBERS;
        x->type = list_type(EXPR_PERSON, NULL);
        x->kid = -1;
        x->n_kids = 0;
        return SP_OK;
    }
    if (k->syn == S_IDENT && strcmp(k->text, "enrolment") == 0) {
        if (strcmp(field, "from") != 0)
            return FAIL(c, x->start, "enrolment has no field \"%s\": use enrolment.from", field);
        x->op = X_ENROL_FROM;
        x->type = make_type(EXPR_DATE);
        x->kid = -1;
        x->n_kids = 0;
        return SP_OK;
    }
    int rc = check(c, kid);
    if (rc != SP_OK)
        return rc;
    if (NODE(c, kid)->type.kind != EXPR_PERSON)
        return FAIL(c, NODE(c, n)->start, "%s has no field \"%s\"", tname(NODE(c, kid)->type, 0),
                    field);
    if (resolve_fact(c, n, field, kid, &rc))
        return rc;
    struct suggestion s = {field, NULL, 0};
    for (int i = 0; i < expr_fact_count; i++)
        consider(&s, expr_facts[i].name);
    char h[128];
    hint(&s, "", h, sizeof h);
    return FAIL(c, NODE(c, n)->start, "unknown fact \"%s\"%s", field, h);
}

/* ---- operators ---- */

/* Makes a and b one type for ==, <, min ...: ints become decimals beside decimals. */
static int unify(struct checker *c, int a, int b)
{
    int rc;
    if ((NODE(c, a)->type.kind == EXPR_DOUBLE) != (NODE(c, b)->type.kind == EXPR_DOUBLE) &&
        ((rc = demote(c, a)) != SP_OK || (rc = demote(c, b)) != SP_OK))
        return rc;
    struct expr_type ta = NODE(c, a)->type, tb = NODE(c, b)->type;
    if (ta.kind == EXPR_DECIMAL && tb.kind == EXPR_INT)
        return to_dec(c, b);
    if (ta.kind == EXPR_INT && tb.kind == EXPR_DECIMAL)
        return to_dec(c, a);
    return SP_OK;
}

/* Writes fact f's words as "a, b or c" into words (size bytes). */
static void join_choices(const struct expr_fact *f, char *words, size_t size)
{
    words[0] = '\0';
    for (int i = 0; f->choices[i]; i++) {
        size_t len = strlen(words);
        snprintf(words + len, size - len, "%s%s",
                 i == 0              ? ""
                 : f->choices[i + 1] ? ", "
                                     : " or ",
                 f->choices[i]);
    }
}

/* An enum-valued string compared with a constant word: the word must be one it can take. */
EXPR_OFF_WALK static int enum_word(struct checker *c, int field, int word_node)
{
    struct expr_node *w = NODE(c, word_node);
    const struct expr_fact *f = &expr_facts[field];
    int code = expr_enum_word(f, w->text);
    if (code > 0) {
        w->value = code;
        w->enum_field = (int8_t)field;
        return SP_OK;
    }
    char words[256];
    join_choices(f, words, sizeof words);
    return FAIL(c, w->start, "%s is never \"%s\": use %s", f->name, w->text, words);
}

/*
 * A constant word looked for in a list fact with a closed vocabulary ("dalit" in groups): the
 * word must be one the list can hold, or the rule could never match.
 */
static int list_word(struct checker *c, int word_node, int list_node)
{
    const struct expr_node *w = NODE(c, word_node), *l = NODE(c, list_node);
    if (l->op != X_FACT || w->op != X_CONST || w->type.kind != EXPR_STRING)
        return SP_OK;
    const struct expr_fact *f = &expr_facts[l->ref];
    if (f->storage != FS_LIST || f->choices == NULL || expr_enum_word(f, w->text) > 0)
        return SP_OK;
    char words[256];
    join_choices(f, words, sizeof words);
    return FAIL(c, w->start, "%s never holds \"%s\": its words are %s", f->name, w->text, words);
}

/* A constant list: X_LIST, or the empty list. */
static const struct expr_list *const_list(struct checker *c, int n)
{
    const struct expr_node *x = NODE(c, n);
    return x->op == X_LIST ? x->ptr : NULL;
}

/* == and != on two constant lists, folded (CEL compares them item by item). */
static int list_equal(struct checker *c, int n, int a, int b)
{
    const struct expr_list *la = const_list(c, a), *lb = const_list(c, b);
    struct expr_type ta = NODE(c, a)->type, tb = NODE(c, b)->type;
    if (la == NULL || lb == NULL)
        return FAIL(c, (int)NODE(c, n)->value,
                    "== on lists takes two constant lists such as [1, 2]: test the items of "
                    "another list with a list macro such as .all(x, ...)");
    int same = la->n == lb->n;
    if (same && la->n > 0) {
        if (!expr_type_equal(ta, tb))
            return FAIL(c, (int)NODE(c, n)->value, "cannot compare %s with %s", tname(ta, 0),
                        tname(tb, 1));
        for (int i = 0; same && i < la->n; i++)
            same = la->strs ? strcmp(la->strs[i], lb->strs[i]) == 0 : la->nums[i] == lb->nums[i];
    }
    set_const(c, n, EXPR_BOOL, same == (NODE(c, n)->sub == T_EQ));
    return SP_OK;
}

static int check_compare(struct checker *c, int n, int a, int b)
{
    int tok = NODE(c, n)->sub;
    enum expr_kind ka = NODE(c, a)->type.kind, kb = NODE(c, b)->type.kind;
    if ((ka == EXPR_DOUBLE || kb == EXPR_DOUBLE) &&
        (ka == EXPR_DOUBLE || (ka == EXPR_INT && NODE(c, a)->op == X_CONST)) &&
        (kb == EXPR_DOUBLE || (kb == EXPR_INT && NODE(c, b)->op == X_CONST)))
        return fold_compare(c, n, a, b);
    int rc = unify(c, a, b); /* may grow the node array: fetch x after it */
    if (rc != SP_OK)
        return rc;
    struct expr_node *x = NODE(c, n);
    struct expr_type ta = NODE(c, a)->type, tb = NODE(c, b)->type;
    int ordered = tok != T_EQ && tok != T_NE;
    if (ta.kind == EXPR_LIST && tb.kind == EXPR_LIST && !ordered)
        return list_equal(c, n, a, b);
    if (!expr_type_equal(ta, tb) || ta.kind == EXPR_LIST || ta.kind == EXPR_PERSON ||
        ta.kind == EXPR_SCALE) {
        if (ta.kind == EXPR_MONEY && tb.kind == EXPR_MONEY)
            return FAIL(c, (int)x->value, "cannot compare %s with %s: convert one first",
                        tname(ta, 0), tname(tb, 1));
        return FAIL(c, (int)x->value, "cannot compare %s with %s", tname(ta, 0), tname(tb, 1));
    }
    if (ordered && ta.kind == EXPR_STRING &&
        (NODE(c, a)->enum_field >= 0 || NODE(c, b)->enum_field >= 0))
        return FAIL(c, (int)x->value, "cannot order the words of %s with %s: use == or !=",
                    expr_facts[NODE(c, a)->enum_field >= 0 ? NODE(c, a)->enum_field
                                                           : NODE(c, b)->enum_field]
                        .name,
                    expr_tok_name((enum expr_tok)tok));
    x->type = make_type(EXPR_BOOL);
    if (ta.kind != EXPR_STRING) {
        x->op = X_CMP;
        return SP_OK;
    }
    int fa = NODE(c, a)->enum_field, fb = NODE(c, b)->enum_field;
    if (fa >= 0 && NODE(c, b)->op == X_CONST && fb < 0)
        rc = enum_word(c, fa, b);
    else if (fb >= 0 && NODE(c, a)->op == X_CONST && fa < 0)
        rc = enum_word(c, fb, a);
    if (rc != SP_OK)
        return rc;
    fa = NODE(c, a)->enum_field;
    fb = NODE(c, b)->enum_field;
    x->op = fa >= 0 && fa == fb ? X_CMP : X_SCMP; /* same enum: compare codes */
    return SP_OK;
}

static int check_in(struct checker *c, int n, int a, int b)
{
    int rc0 = demote(c, a);
    if (rc0 != SP_OK)
        return rc0;
    struct expr_node *x = NODE(c, n);
    struct expr_type ta = NODE(c, a)->type, tb = NODE(c, b)->type;
    if (tb.kind != EXPR_LIST)
        return FAIL(c, (int)x->value, "'in' needs a list on its right, got %s", tname(tb, 0));
    if (const_list(c, b) != NULL && const_list(c, b)->n == 0) {
        set_const(c, n, EXPR_BOOL, 0); /* nothing is in [] */
        return SP_OK;
    }
    if (ta.kind == EXPR_INT && tb.element == EXPR_DECIMAL) {
        int rc = to_dec(c, a);
        if (rc != SP_OK)
            return rc;
        ta = NODE(c, a)->type;
        x = NODE(c, n); /* to_dec may have grown the node array */
    }
    if (ta.kind != tb.element || ta.kind == EXPR_PERSON ||
        (ta.kind == EXPR_MONEY && strcmp(ta.currency, tb.currency) != 0))
        return FAIL(c, (int)x->value, "cannot look for %s in %s", tname(ta, 0), tname(tb, 1));
    x->op = X_IN;
    x->type = make_type(EXPR_BOOL);
    x->ref = 0;
    int checked = list_word(c, a, b);
    if (checked != SP_OK)
        return checked;
    int field = NODE(c, a)->enum_field;
    if (field >= 0 && NODE(c, b)->op == X_LIST) {
        /* enum words in a constant list: check each, then compare codes */
        const struct expr_list *l = NODE(c, b)->ptr;
        int64_t *codes = expr_pool_alloc(&c->u->pool, sizeof *codes * (size_t)(l->n + 1));
        struct expr_list *coded = expr_pool_alloc(&c->u->pool, sizeof *coded);
        if (codes == NULL || coded == NULL)
            return error_nomem(c->err);
        for (int i = 0; i < l->n; i++) {
            codes[i] = expr_enum_word(&expr_facts[field], l->strs[i]);
            if (codes[i] == 0) {
                int item = expr_kid(c->u, b, i);
                int rc = enum_word(c, field, item);
                if (rc != SP_OK)
                    return rc;
            }
        }
        *coded = *l;
        coded->nums = codes;
        NODE(c, b)->ptr = coded;
        x->ref = 1; /* compare enum codes */
    }
    return SP_OK;
}

/*
 * + on two strings or two lists: CEL's concatenation, of constants only (folded here): a
 * string made while running would have nowhere to live.
 */
static int concat(struct checker *c, int n, int a, int b)
{
    struct expr_node *xa = NODE(c, a), *xb = NODE(c, b);
    if (xa->type.kind == EXPR_STRING) {
        if (xa->op != X_CONST || xb->op != X_CONST)
            return FAIL(c, (int)NODE(c, n)->value,
                        "+ joins constant strings only, such as \"a\" + \"b\"");
        size_t la = strlen(xa->text), lb = strlen(xb->text);
        if (la + lb >= EXPR_STRING_MAX)
            return FAIL(c, (int)NODE(c, n)->value, "string longer than %d bytes",
                        EXPR_STRING_MAX - 1);
        char *t = expr_pool_alloc(&c->u->pool, la + lb + 1);
        if (t == NULL)
            return error_nomem(c->err);
        memcpy(t, xa->text, la);
        memcpy(t + la, xb->text, lb + 1);
        set_const(c, n, EXPR_STRING, 0);
        NODE(c, n)->text = t;
        return SP_OK;
    }
    const struct expr_list *l1 = const_list(c, a), *l2 = const_list(c, b);
    if (l1 == NULL || l2 == NULL)
        return FAIL(c, (int)NODE(c, n)->value, "+ joins constant lists only, such as [1] + [2]");
    if (l1->n > 0 && l2->n > 0 && !expr_type_equal(xa->type, xb->type))
        return FAIL(c, (int)NODE(c, n)->value, "cannot join %s and %s", tname(xa->type, 0),
                    tname(xb->type, 1));
    if (l1->n + l2->n > EXPR_LIST_MAX)
        return FAIL(c, (int)NODE(c, n)->value, "list longer than %d items", EXPR_LIST_MAX);
    struct expr_type t = l1->n > 0 ? xa->type : xb->type;
    struct expr_list *l = expr_pool_alloc(&c->u->pool, sizeof *l);
    int total = l1->n + l2->n;
    const char **strs = expr_pool_alloc(&c->u->pool, sizeof *strs * (size_t)(total + 1));
    int64_t *nums = expr_pool_alloc(&c->u->pool, sizeof *nums * (size_t)(total + 1));
    if (l == NULL || strs == NULL || nums == NULL)
        return error_nomem(c->err);
    memset(l, 0, sizeof *l);
    for (int i = 0; i < total; i++) {
        const struct expr_list *from = i < l1->n ? l1 : l2;
        int k = i < l1->n ? i : i - l1->n;
        if (from->strs)
            strs[i] = from->strs[k];
        else
            nums[i] = from->nums[k];
    }
    l->n = total;
    if (t.element == EXPR_STRING)
        l->strs = strs;
    else
        l->nums = nums;
    struct expr_node *x = NODE(c, n);
    x->op = X_LIST;
    x->ptr = l;
    x->type = t;
    x->kid = -1;
    x->n_kids = 0;
    return SP_OK;
}

static int check_arith(struct checker *c, int n, int a, int b)
{
    struct expr_node *x = NODE(c, n);
    int tok = x->sub, rc = SP_OK;
    struct expr_type ta = NODE(c, a)->type, tb = NODE(c, b)->type;
    static const char *const verbs[] = {"add", "subtract", "multiply", "divide", "take"};
    int verb = tok == T_PLUS ? 0 : tok == T_MINUS ? 1 : tok == T_STAR ? 2 : tok == T_SLASH ? 3 : 4;
    const char *join = tok == T_STAR ? "by" : tok == T_SLASH ? "by" : "and";
    if (ta.kind == EXPR_DOUBLE || tb.kind == EXPR_DOUBLE) {
        if (ta.kind == EXPR_DOUBLE && tb.kind == EXPR_DOUBLE && tok != T_PERCENT) {
            double da = dbl_of(NODE(c, a)), db = dbl_of(NODE(c, b));
            set_dbl(c, n,
                    tok == T_PLUS    ? da + db
                    : tok == T_MINUS ? da - db
                    : tok == T_STAR  ? da * db
                                     : da / db);
            return SP_OK;
        }
        enum expr_kind other = ta.kind == EXPR_DOUBLE ? tb.kind : ta.kind;
        if (tok != T_SLASH && (other == EXPR_DECIMAL || other == EXPR_MONEY)) {
            /* spfloor's exact values: the double is read as the decimal it stands for */
            if ((rc = demote(c, a)) != SP_OK || (rc = demote(c, b)) != SP_OK)
                return rc;
            x = NODE(c, n);
            ta = NODE(c, a)->type;
            tb = NODE(c, b)->type;
        } else if (tok == T_PERCENT) {
            return FAIL(c, (int)x->value, "%% needs two ints, got %s and %s", tname(ta, 0),
                        tname(tb, 1));
        } else if (other == EXPR_INT) {
            return FAIL(c, (int)x->value,
                        "cannot %s %s %s %s: CEL does not mix int and double in arithmetic "
                        "(write a constant int as a double: 2.0)",
                        verbs[verb], tname(ta, 0), join, tname(tb, 1));
        }
    }
    if (tok == T_PERCENT) {
        if (ta.kind != EXPR_INT || tb.kind != EXPR_INT)
            return FAIL(c, (int)x->value, "%% needs two ints, got %s and %s", tname(ta, 0),
                        tname(tb, 1));
        x->op = X_MODI;
        x->type = ta;
        return SP_OK;
    }
    if (tok == T_PLUS && ((ta.kind == EXPR_STRING && tb.kind == EXPR_STRING) ||
                          (ta.kind == EXPR_LIST && tb.kind == EXPR_LIST)))
        return concat(c, n, a, b);
    if (tok == T_PLUS || tok == T_MINUS) {
        x->op = tok == T_PLUS ? X_ADD : X_SUB;
        if (ta.kind == EXPR_MONEY && tb.kind == EXPR_MONEY) {
            if (strcmp(ta.currency, tb.currency) != 0)
                return FAIL(c, (int)x->value, "cannot %s %s and %s", verbs[verb], ta.currency,
                            tb.currency);
            x->type = ta;
            return SP_OK;
        }
        if (is_num(ta) && is_num(tb)) {
            if ((rc = unify(c, a, b)) != SP_OK)
                return rc;
            x = NODE(c, n);
            x->type = NODE(c, a)->type;
            return SP_OK;
        }
        if (ta.kind == EXPR_DATE && tb.kind == EXPR_INT)
            return FAIL(c, (int)x->value,
                        "cannot %s date and int: use add_days(date, n) or "
                        "add_months(date, n)",
                        verbs[verb]);
        if (ta.kind == EXPR_DATE && tb.kind == EXPR_DATE && tok == T_MINUS)
            return FAIL(c, (int)x->value,
                        "cannot subtract dates: use months_between(from, to) "
                        "or age_years(date)");
        return FAIL(c, (int)x->value, "cannot %s %s %s %s", verbs[verb], tname(ta, 0), join,
                    tname(tb, 1));
    }
    if (tok == T_STAR) {
        if (ta.kind == EXPR_INT && tb.kind == EXPR_INT) {
            x->op = X_MULI;
            x->type = ta;
            return SP_OK;
        }
        if ((is_num(ta) || ta.kind == EXPR_MONEY) && (is_num(tb) || tb.kind == EXPR_MONEY) &&
            !(ta.kind == EXPR_MONEY && tb.kind == EXPR_MONEY)) {
            if ((rc = to_dec(c, a)) != SP_OK || (rc = to_dec(c, b)) != SP_OK)
                return rc;
            x = NODE(c, n);
            x->op = X_MULS;
            x->type = ta.kind == EXPR_MONEY   ? ta
                      : tb.kind == EXPR_MONEY ? tb
                                              : make_type(EXPR_DECIMAL);
            return SP_OK;
        }
        return FAIL(c, (int)x->value, "cannot multiply %s by %s", tname(ta, 0), tname(tb, 1));
    }
    /* division: CEL's, on ints (truncating) and doubles (folded above); exact division of
       money and decimals is div() */
    if (ta.kind == EXPR_INT && tb.kind == EXPR_INT) {
        x->op = X_DIVI;
        x->type = ta;
        return SP_OK;
    }
    if ((is_num(ta) || ta.kind == EXPR_MONEY || ta.kind == EXPR_DOUBLE) &&
        (is_num(tb) || tb.kind == EXPR_MONEY || tb.kind == EXPR_DOUBLE))
        return FAIL(c, (int)x->value,
                    "cannot divide %s by %s with /: / is CEL's division (of ints, truncating, "
                    "or of doubles); divide exactly with div(a, b), rounded to the minor unit "
                    "or six places by the scheme's rounding, or div(a, b, \"0.01\", \"half_up\")",
                    tname(ta, 0), tname(tb, 1));
    return FAIL(c, (int)x->value, "cannot divide %s by %s", tname(ta, 0), tname(tb, 1));
}

static int check_binary(struct checker *c, int n)
{
    int a = NODE(c, n)->kid, b = NODE(c, a)->next;
    int rc = check(c, a);
    if (rc == SP_OK)
        rc = check(c, b);
    if (rc != SP_OK)
        return rc;
    struct expr_node *x = NODE(c, n);
    switch (x->sub) {
    case T_AND:
    case T_OR: {
        struct expr_type ta = NODE(c, a)->type, tb = NODE(c, b)->type;
        if (ta.kind != EXPR_BOOL || tb.kind != EXPR_BOOL)
            return FAIL(c, (int)x->value, "%s needs bool on both sides, got %s and %s",
                        expr_tok_name((enum expr_tok)x->sub), tname(ta, 0), tname(tb, 1));
        x->op = x->sub == T_AND ? X_AND : X_OR;
        x->type = ta;
        return SP_OK;
    }
    case T_EQ:
    case T_NE:
    case T_LT:
    case T_LE:
    case T_GT:
    case T_GE:
        return check_compare(c, n, a, b);
    case T_IN:
        return check_in(c, n, a, b);
    default:
        return check_arith(c, n, a, b);
    }
}

/* ---- literals ---- */

EXPR_OFF_WALK static int check_list(struct checker *c, int n)
{
    int kids[EXPR_LIST_MAX + 1];
    int count = kids_of(c, n, kids, EXPR_LIST_MAX + 1);
    if (count == 0) { /* [], a list of no items (of ints, for its type) */
        struct expr_list *l = expr_pool_alloc(&c->u->pool, sizeof *l);
        if (l == NULL)
            return error_nomem(c->err);
        memset(l, 0, sizeof *l);
        struct expr_node *x = NODE(c, n);
        x->op = X_LIST;
        x->ptr = l;
        x->type = list_type(EXPR_INT, NULL);
        return SP_OK;
    }
    int any_dec = 0;
    for (int i = 0; i < count; i++) {
        int rc = check(c, kids[i]);
        if (rc != SP_OK)
            return rc;
        if ((rc = demote(c, kids[i])) != SP_OK)
            return rc;
        const struct expr_node *k = NODE(c, kids[i]);
        if (k->op != X_CONST)
            return FAIL(c, k->start, "list items must be constants such as \"informal\" or 3");
        any_dec |= k->type.kind == EXPR_DECIMAL;
    }
    for (int i = 0; any_dec && i < count; i++) {
        int rc = to_dec(c, kids[i]);
        if (rc != SP_OK)
            return rc;
    }
    struct expr_type t = NODE(c, kids[0])->type;
    for (int i = 1; i < count; i++)
        if (!expr_type_equal(NODE(c, kids[i])->type, t))
            return FAIL(c, NODE(c, kids[i])->start, "list items must have one type: %s after %s",
                        tname(NODE(c, kids[i])->type, 0), tname(t, 1));
    struct expr_list *l = expr_pool_alloc(&c->u->pool, sizeof *l);
    const char **strs = expr_pool_alloc(&c->u->pool, sizeof *strs * (size_t)count);
    int64_t *nums = expr_pool_alloc(&c->u->pool, sizeof *nums * (size_t)count);
    if (l == NULL || strs == NULL || nums == NULL)
        return error_nomem(c->err);
    memset(l, 0, sizeof *l);
    for (int i = 0; i < count; i++) {
        strs[i] = NODE(c, kids[i])->text;
        nums[i] = NODE(c, kids[i])->value;
    }
    l->n = count;
    if (t.kind == EXPR_STRING)
        l->strs = strs;
    else
        l->nums = nums;
    struct expr_node *x = NODE(c, n);
    x->op = X_LIST;
    x->ptr = l;
    x->type = list_type(t.kind, t.currency);
    return SP_OK;
}

/* ---- functions ---- */

struct fn {
    const char *name;
    int id;           /* enum expr_builtin, or one of the FN_ specials */
    int min, max;     /* argument counts */
    const char *args; /* what it takes, for messages */
};

enum {
    FN_DATE = 100,
    FN_MONEY,
    FN_HAS,
    FN_SIZE,
    FN_INT,
    FN_DOUBLE,
    FN_STRING,
    FN_BOOL,
    FN_TIMESTAMP
};

static const struct fn functions[] = {
    {"age_years", B_AGE_YEARS, 1, 1, "a date"},
    {"age_months", B_AGE_MONTHS, 1, 1, "a date"},
    {"months_between", B_MONTHS_BETWEEN, 2, 2, "two dates"},
    {"add_months", B_ADD_MONTHS, 2, 2, "a date and an int"},
    {"add_days", B_ADD_DAYS, 2, 2, "a date and an int"},
    {"month_start", B_MONTH_START, 1, 1, "a date"},
    {"quarter_start", B_QUARTER_START, 1, 1, "a date"},
    {"quarter_end", B_QUARTER_END, 1, 1, "a date"},
    {"min", B_MIN, 2, 2, "two values of one type"},
    {"max", B_MAX, 2, 2, "two values of one type"},
    {"clamp", B_CLAMP, 3, 3, "a value, a lower and an upper bound"},
    {"round", B_ROUND, 2, 3, "money or a decimal, a unit such as \"1.00\", and a rounding"},
    {"div", B_DIV, 2, 4,
     "money or a number, a number or money to divide it by, and optionally a unit such as "
     "\"0.01\" and a rounding"},
    {"scale_rate", B_SCALE_RATE, 2, 2, "a scale parameter and a value"},
    {"scale_marginal", B_SCALE_MARGINAL, 2, 2, "a scale parameter and money"},
    {"date", FN_DATE, 1, 1, "a constant \"YYYY-MM-DD\""},
    {"money", FN_MONEY, 1, 2, "a constant amount and currency, as money(\"4000.00\", \"NPR\")"},
    {"has", FN_HAS, 1, 1, "a fact"},
    {"size", FN_SIZE, 1, 1, "a list or a string"},
    {"int", FN_INT, 1, 1, "an int, a double or a string"},
    {"double", FN_DOUBLE, 1, 1, "a constant int, double or string"},
    {"string", FN_STRING, 1, 1, "a constant string, int, bool or double"},
    {"bool", FN_BOOL, 1, 1, "a constant bool or string"},
    {"timestamp", FN_TIMESTAMP, 1, 1, "a constant date at midnight UTC, \"2024-07-16T00:00:00Z\""},
};

static const struct fn hist_helpers[] = {
    {"months_in_window", H_MONTHS_IN_WINDOW, 2, 2, "two dates (start, end)"},
    {"continuous_months_before", H_CONTINUOUS_BEFORE, 1, 1, "a date"},
    {"total_months", H_TOTAL_MONTHS, 0, 0, "nothing"},
    {"first_month", H_FIRST_MONTH, 0, 0, "nothing"},
    {"top_n_sum", H_TOP_N_SUM, 3, 5,
     "an int and two dates (n, start, end), and optionally a floor and a ceiling parameter"},
};

static const struct fn event_helpers[] = {
    {"last", H_EV_LAST, 1, 1, "an event type such as \"birth\""},
    {"count", H_EV_COUNT, 2, 2, "an event type and a date (since)"},
    {"has", H_EV_HAS, 1, 1, "an event type"},
    {"last_contract_months", H_EV_LAST_CONTRACT, 1, 1, "an event type"},
};

static int arg_count(struct checker *c, int n, const char *prefix, const struct fn *f, int got)
{
    if (got >= f->min && got <= f->max)
        return SP_OK;
    if (f->min == f->max)
        return FAIL(c, NODE(c, n)->start, "%s%s() takes %d argument%s (%s), got %d", prefix,
                    f->name, f->min, f->min == 1 ? "" : "s", f->args, got);
    return FAIL(c, NODE(c, n)->start, "%s%s() takes %d to %d arguments (%s), got %d", prefix,
                f->name, f->min, f->max, f->args, got);
}

static const struct fn *find_fn(const struct fn *table, size_t count, const char *name,
                                struct suggestion *s)
{
    for (size_t i = 0; i < count; i++) {
        if (strcmp(table[i].name, name) == 0)
            return &table[i];
        consider(s, table[i].name);
    }
    return NULL;
}

/* Requires a constant string argument; returns its text or NULL after failing. */
static const char *const_text(struct checker *c, int arg, const char *what, int *rc)
{
    *rc = check(c, arg);
    if (*rc != SP_OK)
        return NULL;
    const struct expr_node *k = NODE(c, arg);
    if (k->op != X_CONST || k->type.kind != EXPR_STRING) {
        *rc = FAIL(c, k->start, "expected %s here (a constant string)", what);
        return NULL;
    }
    return k->text;
}

static int want_kind(struct checker *c, const struct fn *f, int arg, enum expr_kind kind)
{
    int rc = check(c, arg);
    if (rc != SP_OK)
        return rc;
    if ((rc = demote(c, arg)) != SP_OK)
        return rc;
    struct expr_type t = NODE(c, arg)->type;
    if (kind == EXPR_DECIMAL && t.kind == EXPR_INT)
        return to_dec(c, arg);
    if (t.kind != kind)
        return FAIL(c, NODE(c, arg)->start, "%s() takes %s, got %s", f->name, f->args, tname(t, 0));
    return SP_OK;
}

static int check_constant_fn(struct checker *c, int n, const struct fn *f, int *kids, int count)
{
    struct expr_node *x;
    int rc;
    struct error inner;
    error_init(&inner);
    if (f->id == FN_DATE) {
        const char *text = const_text(c, kids[0], "a date \"YYYY-MM-DD\"", &rc);
        if (text == NULL)
            return rc;
        int32_t day;
        if (date_parse(text, &day, &inner) != SP_OK)
            return FAIL(c, NODE(c, kids[0])->start, "%s", inner.message);
        x = NODE(c, n);
        x->op = X_CONST;
        x->value = day;
        x->type = make_type(EXPR_DATE);
    } else {
        const char *amount = const_text(c, kids[0], "an amount such as \"4000.00\"", &rc);
        if (amount == NULL)
            return rc;
        const char *currency = c->u->scope.currency;
        if (count == 2 && (currency = const_text(c, kids[1], "a currency code", &rc)) == NULL)
            return rc;
        if (currency == NULL)
            return FAIL(c, NODE(c, n)->start, "money() needs a currency: money(\"%s\", \"NPR\")",
                        amount);
        struct money m;
        if (money_parse(amount, currency, &m, &inner) != SP_OK)
            return FAIL(c, NODE(c, kids[count == 2 && currency_find(currency) == NULL])->start,
                        "%s", inner.message);
        x = NODE(c, n);
        x->op = X_CONST;
        x->value = m.minor;
        x->type = money_type(m.currency);
    }
    x->kid = -1;
    x->n_kids = 0;
    return SP_OK;
}

/*
 * A rounding unit, the constant text at kid (`example` says what is wanted), for a value of
 * type t: money of t's currency, else a decimal. *unit is more than zero, or a failure.
 */
static int check_unit(struct checker *c, int kid, struct expr_type t, const char *example,
                      int64_t *unit)
{
    int rc;
    const char *text = const_text(c, kid, example, &rc);
    if (text == NULL)
        return rc;
    struct error inner;
    error_init(&inner);
    if (t.kind == EXPR_MONEY) {
        struct money m = {0};
        rc = money_parse(text, t.currency, &m, &inner);
        *unit = m.minor;
    } else {
        rc = decimal_parse(text, unit, &inner);
    }
    if (rc != SP_OK)
        return FAIL(c, NODE(c, kid)->start, "%s", inner.message);
    if (*unit <= 0)
        return FAIL(c, NODE(c, kid)->start, "the rounding unit must be more than zero");
    return SP_OK;
}

/* A rounding, the constant text at kid ("half_up", "down" or "up"), into *mode. */
static int check_rounding(struct checker *c, int kid, enum rounding *mode)
{
    int rc;
    const char *name = const_text(c, kid, "\"half_up\", \"down\" or \"up\"", &rc);
    if (name == NULL)
        return rc;
    struct error inner;
    error_init(&inner);
    if (rounding_parse(name, mode, &inner) != SP_OK)
        return FAIL(c, NODE(c, kid)->start, "%s", inner.message);
    return SP_OK;
}

static int check_round(struct checker *c, int n, const struct fn *f, int *kids, int count)
{
    int rc = check(c, kids[0]);
    if (rc == SP_OK)
        rc = demote(c, kids[0]);
    if (rc != SP_OK)
        return rc;
    struct expr_type t = NODE(c, kids[0])->type;
    if (t.kind == EXPR_INT && (rc = to_dec(c, kids[0])) != SP_OK)
        return rc;
    t = NODE(c, kids[0])->type;
    if (t.kind != EXPR_MONEY && t.kind != EXPR_DECIMAL)
        return FAIL(c, NODE(c, kids[0])->start, "round() takes %s, got %s", f->args, tname(t, 0));
    int64_t u;
    rc = check_unit(c, kids[1], t, "a unit such as \"1.00\"", &u);
    if (rc != SP_OK)
        return rc;
    enum rounding mode = c->u->scope.rounding;
    rc = count == 3 ? check_rounding(c, kids[2], &mode) : SP_OK;
    if (rc != SP_OK)
        return rc;
    struct expr_node *x = NODE(c, n);
    x->op = X_CALL;
    x->sub = B_ROUND;
    x->value = u;
    x->ref = (int)mode;
    x->type = t;
    set_kids(c, n, kids, 1);
    return SP_OK;
}

/*
 * div(a, b [, unit [, rounding]]): the exact quotient, rounded once to a multiple of the unit
 * (default: the minor unit for money, 0.000001 for a decimal) by the rounding (default: the
 * scheme's). money / number is money; money / money of one currency and number / number are
 * decimals.
 */
static int check_div(struct checker *c, int n, const struct fn *f, int *kids, int count)
{
    int rc;
    for (int i = 0; i < 2; i++)
        if ((rc = check(c, kids[i])) != SP_OK || (rc = demote(c, kids[i])) != SP_OK)
            return rc;
    struct expr_type ta = NODE(c, kids[0])->type, tb = NODE(c, kids[1])->type;
    struct expr_type t;
    if (ta.kind == EXPR_MONEY && is_num(tb)) {
        t = ta;
    } else if (ta.kind == EXPR_MONEY && tb.kind == EXPR_MONEY) {
        if (strcmp(ta.currency, tb.currency) != 0)
            return FAIL(c, NODE(c, kids[1])->start, "div() cannot divide %s by %s", ta.currency,
                        tb.currency);
        t = make_type(EXPR_DECIMAL);
    } else if (is_num(ta) && is_num(tb)) {
        t = make_type(EXPR_DECIMAL);
    } else {
        return FAIL(c, NODE(c, n)->start, "div() takes %s, got %s and %s", f->args, tname(ta, 0),
                    tname(tb, 1));
    }
    if ((rc = to_dec(c, kids[0])) != SP_OK || (rc = to_dec(c, kids[1])) != SP_OK)
        return rc;
    int64_t unit = 1;
    enum rounding mode = c->u->scope.rounding;
    rc = count >= 3 ? check_unit(c, kids[2], t, "a unit such as \"0.01\"", &unit) : SP_OK;
    if (rc == SP_OK && count == 4)
        rc = check_rounding(c, kids[3], &mode);
    if (rc != SP_OK)
        return rc;
    if (NODE(c, kids[1])->op == X_CONST && NODE(c, kids[1])->value == 0)
        return FAIL(c, NODE(c, kids[1])->start, "div() by zero");
    struct expr_node *x = NODE(c, n);
    x->op = X_CALL;
    x->sub = B_DIV;
    x->value = unit;
    x->ref = (int)mode;
    x->type = t;
    set_kids(c, n, kids, 2);
    return SP_OK;
}

static int check_scale(struct checker *c, int n, const struct fn *f, int *kids)
{
    int rc = check(c, kids[0]);
    if (rc != SP_OK)
        return rc;
    struct expr_type st = NODE(c, kids[0])->type;
    if (st.kind != EXPR_SCALE || NODE(c, kids[0])->op != X_PARAM)
        return FAIL(c, NODE(c, kids[0])->start, "%s() takes a scale parameter first, got %s",
                    f->name, tname(st, 0));
    if ((rc = check(c, kids[1])) != SP_OK || (rc = demote(c, kids[1])) != SP_OK)
        return rc;
    struct expr_type xt = NODE(c, kids[1])->type;
    if (st.currency[0] != '\0') {
        if (xt.kind != EXPR_MONEY || strcmp(xt.currency, st.currency) != 0)
            return FAIL(c, NODE(c, kids[1])->start,
                        "%s() of a scale in %s takes money (%s), "
                        "got %s",
                        f->name, st.currency, st.currency, tname(xt, 0));
    } else {
        if (f->id == B_SCALE_MARGINAL)
            return FAIL(c, NODE(c, kids[0])->start,
                        "scale_marginal() needs a scale whose "
                        "thresholds are money");
        if (!is_num(xt))
            return FAIL(c, NODE(c, kids[1])->start, "%s() takes a number here, got %s", f->name,
                        tname(xt, 0));
        if ((rc = to_dec(c, kids[1])) != SP_OK)
            return rc;
    }
    struct expr_node *x = NODE(c, n);
    x->op = X_CALL;
    x->sub = (uint8_t)f->id;
    x->type = f->id == B_SCALE_RATE ? make_type(EXPR_DECIMAL) : money_type(st.currency);
    return SP_OK;
}

/* Makes node n a node that fails when it runs: a conversion CEL gives an error for. */
static void set_failure(struct checker *c, int n, struct expr_type t)
{
    set_kids(c, n, NULL, 0);
    struct expr_node *x = NODE(c, n);
    x->op = X_FN;
    x->sub = F_FAIL;
    x->type = t;
    x->enum_field = -1;
}

/* Writes a double as CEL's string() does, where that is plain (fixed) notation; 0 if not. */
static int double_text(double d, char *out, size_t size)
{
    if (!isfinite(d) || d == 0 || fabs(d) < 1e-4 || fabs(d) >= 1e6)
        return 0;
    for (int p = 1; p <= 17; p++) {
        char e[64];
        snprintf(e, sizeof e, "%.*e", p - 1, d);
        if (strtod(e, NULL) != d)
            continue;
        int exp10 = (int)floor(log10(fabs(d)));
        int decimals = p - 1 - exp10 > 0 ? p - 1 - exp10 : 0;
        snprintf(out, size, "%.*f", decimals, d);
        return strtod(out, NULL) == d;
    }
    return 0;
}

/*
 * int(), double(), string(), bool(): CEL's conversions between the types the subset has.
 * Conversions of constants are folded; int() also converts a string while running. What
 * would make a double or a string while running is refused: there is nothing to hold it.
 */
static int check_convert(struct checker *c, int n, const struct fn *f, int *kids)
{
    int rc = check(c, kids[0]);
    if (rc != SP_OK)
        return rc;
    const struct expr_node *a = NODE(c, kids[0]);
    struct expr_type t = a->type;
    int is_const = a->op == X_CONST;
    enum expr_kind want = f->id == FN_INT      ? EXPR_INT
                          : f->id == FN_DOUBLE ? EXPR_DOUBLE
                          : f->id == FN_STRING ? EXPR_STRING
                                               : EXPR_BOOL;
    if (t.kind == want) { /* identity */
        struct expr_node keep = *NODE(c, kids[0]);
        struct expr_node *x = NODE(c, n);
        int start = x->start, end = x->end, next = x->next, expr = x->expr;
        *x = keep;
        x->start = start;
        x->end = end;
        x->next = next;
        x->expr = expr;
        return SP_OK;
    }
    if (want == EXPR_INT && t.kind == EXPR_STRING)
        return make_fn(c, n, F_INT_OF_TEXT, make_type(EXPR_INT), kids, 1);
    if (want == EXPR_INT && t.kind == EXPR_DOUBLE) {
        double d = dbl_of(a);
        if (isnan(d) || d <= -9223372036854775808.0 || d >= 9223372036854775808.0)
            set_failure(c, n, make_type(EXPR_INT)); /* CEL: a range error */
        else
            set_const(c, n, EXPR_INT, (int64_t)d);
        return SP_OK;
    }
    if (!is_const)
        return FAIL(
            c, NODE(c, n)->start,
            "%s() takes %s here: converting a value of type %s that is not a constant would make a "
            "%s while the rules run, which spfloor does not hold",
            f->name, f->args, tname(t, 0), kind_name(want));
    char text[64];
    if (want == EXPR_DOUBLE && t.kind == EXPR_INT) {
        set_dbl(c, n, (double)a->value);
        return SP_OK;
    }
    if (want == EXPR_DOUBLE && t.kind == EXPR_STRING) {
        char *stop = NULL;
        double d = strtod(a->text, &stop);
        if (a->text[0] == '\0' || *stop != '\0' || a->text[0] == ' ')
            set_failure(c, n, make_type(EXPR_DOUBLE));
        else
            set_dbl(c, n, d);
        return SP_OK;
    }
    if (want == EXPR_STRING &&
        (t.kind == EXPR_INT || t.kind == EXPR_BOOL || t.kind == EXPR_DOUBLE)) {
        if (t.kind == EXPR_INT)
            snprintf(text, sizeof text, "%lld", (long long)a->value);
        else if (t.kind == EXPR_BOOL)
            snprintf(text, sizeof text, "%s", a->value ? "true" : "false");
        else if (!double_text(dbl_of(a), text, sizeof text))
            return FAIL(c, NODE(c, n)->start,
                        "string() of the double %.17g: only doubles from 0.0001 to 999999.99... "
                        "are written the way CEL writes them here",
                        dbl_of(a));
        char *s = expr_pool_strndup(&c->u->pool, text, strlen(text));
        if (s == NULL)
            return error_nomem(c->err);
        set_const(c, n, EXPR_STRING, 0);
        NODE(c, n)->text = s;
        return SP_OK;
    }
    if (want == EXPR_BOOL && t.kind == EXPR_STRING) {
        static const char *const yes[] = {"1", "t", "true", "TRUE", "True"};
        static const char *const no[] = {"0", "f", "false", "FALSE", "False"};
        for (int i = 0; i < 5; i++) {
            if (strcmp(a->text, yes[i]) == 0 || strcmp(a->text, no[i]) == 0) {
                set_const(c, n, EXPR_BOOL, strcmp(a->text, yes[i]) == 0);
                return SP_OK;
            }
        }
        set_failure(c, n, make_type(EXPR_BOOL)); /* CEL: a conversion error */
        return SP_OK;
    }
    return FAIL(c, NODE(c, n)->start, "%s() takes %s, got %s", f->name, f->args, tname(t, 0));
}

EXPR_OFF_WALK static int check_call(struct checker *c, int n)
{
    const char *name = NODE(c, n)->text;
    int kids[4];
    int count = NODE(c, n)->n_kids;
    struct suggestion s = {name, NULL, 0};
    const struct fn *f = find_fn(functions, sizeof functions / sizeof functions[0], name, &s);
    if (f == NULL) {
        char h[128];
        hint(&s, "", h, sizeof h);
        return FAIL(c, NODE(c, n)->start, "unknown function \"%s\"%s", name, h);
    }
    int rc = arg_count(c, n, "", f, count);
    if (rc != SP_OK)
        return rc;
    kids_of(c, n, kids, 4);
    switch (f->id) {
    case FN_DATE:
    case FN_MONEY:
        return check_constant_fn(c, n, f, kids, count);
    case FN_HAS: {
        if ((rc = check(c, kids[0])) != SP_OK)
            return rc;
        int op = NODE(c, kids[0])->op;
        if (op != X_FACT && op != X_EXTRA)
            return FAIL(c, NODE(c, kids[0])->start, "has() takes a fact, as in has(national_id)");
        NODE(c, n)->op = X_HAS;
        NODE(c, n)->type = make_type(EXPR_BOOL);
        return SP_OK;
    }
    case FN_SIZE:
        if ((rc = check(c, kids[0])) != SP_OK)
            return rc;
        if (NODE(c, kids[0])->type.kind == EXPR_STRING)
            return make_fn(c, n, F_STRING_SIZE, make_type(EXPR_INT), kids, 1);
        if (NODE(c, kids[0])->type.kind != EXPR_LIST)
            return FAIL(c, NODE(c, kids[0])->start, "size() takes a list or a string, got %s",
                        tname(NODE(c, kids[0])->type, 0));
        NODE(c, n)->op = X_SIZE;
        NODE(c, n)->type = make_type(EXPR_INT);
        return SP_OK;
    case B_ROUND:
        return check_round(c, n, f, kids, count);
    case B_DIV:
        return check_div(c, n, f, kids, count);
    case FN_TIMESTAMP:
        return check_timestamp(c, n, kids);
    case FN_INT:
    case FN_DOUBLE:
    case FN_STRING:
    case FN_BOOL:
        return check_convert(c, n, f, kids);
    case B_SCALE_RATE:
    case B_SCALE_MARGINAL:
        return check_scale(c, n, f, kids);
    case B_MIN:
    case B_MAX:
    case B_CLAMP: {
        for (int i = 0; i < count; i++)
            if ((rc = check(c, kids[i])) != SP_OK || (rc = demote(c, kids[i])) != SP_OK)
                return rc;
        int any_dec = 0;
        for (int i = 0; i < count; i++)
            any_dec |= NODE(c, kids[i])->type.kind == EXPR_DECIMAL;
        for (int i = 0; any_dec && i < count; i++)
            if ((rc = to_dec(c, kids[i])) != SP_OK)
                return rc;
        struct expr_type t = NODE(c, kids[0])->type;
        if (t.kind != EXPR_INT && t.kind != EXPR_DECIMAL && t.kind != EXPR_MONEY &&
            t.kind != EXPR_DATE)
            return FAIL(c, NODE(c, kids[0])->start, "%s() takes numbers, money or dates, got %s",
                        name, tname(t, 0));
        for (int i = 1; i < count; i++)
            if (!expr_type_equal(NODE(c, kids[i])->type, t))
                return FAIL(c, NODE(c, kids[i])->start, "%s() takes %s, got %s and %s", name,
                            f->args, tname(t, 0), tname(NODE(c, kids[i])->type, 1));
        NODE(c, n)->type = t;
        break;
    }
    case B_ADD_MONTHS:
    case B_ADD_DAYS:
        if ((rc = want_kind(c, f, kids[0], EXPR_DATE)) != SP_OK ||
            (rc = want_kind(c, f, kids[1], EXPR_INT)) != SP_OK)
            return rc;
        NODE(c, n)->type = make_type(EXPR_DATE);
        break;
    default: /* functions of dates */
        for (int i = 0; i < count; i++)
            if ((rc = want_kind(c, f, kids[i], EXPR_DATE)) != SP_OK)
                return rc;
        NODE(c, n)->type = make_type(
            f->id == B_AGE_YEARS || f->id == B_AGE_MONTHS || f->id == B_MONTHS_BETWEEN ? EXPR_INT
                                                                                       : EXPR_DATE);
        break;
    }
    NODE(c, n)->op = X_CALL;
    NODE(c, n)->sub = (uint8_t)f->id;
    return SP_OK;
}

/*
 * top_n_sum's optional floor and ceiling: two money parameters of the scheme's currency, not
 * grandfathered. Each row's wage base is clamped to the values they have in the row's month, so
 * they are kept as parameter slots in the node's value (floor slot + 1 in the low 32 bits,
 * ceiling slot + 1 in the high ones; 0 when absent) instead of being evaluated on as_of.
 */
static int clamp_bounds(struct checker *c, const struct fn *f, const int *args, int64_t *out)
{
    int64_t slots[2];
    for (int i = 0; i < 2; i++) {
        int rc = check(c, args[i]);
        if (rc != SP_OK)
            return rc;
        const struct expr_node *a = NODE(c, args[i]);
        if (a->op != X_PARAM || a->type.kind != EXPR_MONEY)
            return FAIL(c, a->start, "%s() takes %s: the %s must be a money parameter", f->name,
                        f->args, i == 0 ? "floor" : "ceiling");
        if (c->u->scope.currency == NULL || strcmp(a->type.currency, c->u->scope.currency) != 0)
            return FAIL(c, a->start, "%s() takes a %s in the scheme's currency, got %s", f->name,
                        i == 0 ? "floor" : "ceiling", tname(a->type, 0));
        if (c->u->pslots[a->ref].grandfather >= 0)
            return FAIL(c, a->start, "%s() cannot take a grandfathered parameter as a %s", f->name,
                        i == 0 ? "floor" : "ceiling");
        slots[i] = a->ref + 1;
    }
    *out = slots[0] | (slots[1] << 32);
    return SP_OK;
}

EXPR_OFF_WALK static int check_history(struct checker *c, int n, int events)
{
    const char *name = NODE(c, n)->text;
    const char *prefix = events ? "events." : "contributions.";
    struct suggestion s = {name, NULL, 0};
    const struct fn *f =
        events ? find_fn(event_helpers, sizeof event_helpers / sizeof event_helpers[0], name, &s)
               : find_fn(hist_helpers, sizeof hist_helpers / sizeof hist_helpers[0], name, &s);
    if (f == NULL) {
        char h[128];
        hint(&s, prefix, h, sizeof h);
        return FAIL(c, NODE(c, n)->start, "unknown helper \"%s%s\"%s", prefix, name, h);
    }
    int kids[6];
    int count = NODE(c, n)->n_kids - 1; /* the first child is the receiver */
    int rc = arg_count(c, n, prefix, f, count);
    if (rc != SP_OK)
        return rc;
    kids_of(c, n, kids, 6);
    int *args = kids + 1;
    struct expr_node *x;
    if (events) {
        const char *type = const_text(c, args[0], "an event type such as \"birth\"", &rc);
        if (type == NULL)
            return rc;
        int ev = event_type_parse(type);
        if (ev < 0)
            return FAIL(c, NODE(c, args[0])->start, "unknown event type \"%s\": use %s", type,
                        event_type_list);
        NODE(c, n)->value = ev;
        args++;
        count--;
    }
    int64_t bounds = 0; /* top_n_sum's floor and ceiling: see clamp_bounds */
    if (f->id == H_TOP_N_SUM && count == 5) {
        if ((rc = clamp_bounds(c, f, args + 3, &bounds)) != SP_OK)
            return rc;
        count = 3; /* the bounds are read per row's month, not evaluated as arguments */
    } else if (f->id == H_TOP_N_SUM && count == 4) {
        return FAIL(c, NODE(c, args[3])->start,
                    "top_n_sum() takes a floor and a ceiling parameter together, got only one");
    }
    for (int i = 0; i < count; i++) {
        enum expr_kind k = f->id == H_TOP_N_SUM && i == 0 ? EXPR_INT : EXPR_DATE;
        if ((rc = want_kind(c, f, args[i], k)) != SP_OK)
            return rc;
    }
    x = NODE(c, n);
    if (!events)
        x->value = bounds;
    x->op = X_HIST;
    x->sub = (uint8_t)f->id;
    switch (f->id) {
    case H_FIRST_MONTH:
    case H_EV_LAST:
        x->type = make_type(EXPR_DATE);
        break;
    case H_TOP_N_SUM:
        if (c->u->scope.currency == NULL)
            return FAIL(c, x->start, "top_n_sum() is money, but the scheme has no currency");
        x->type = money_type(c->u->scope.currency);
        break;
    case H_EV_HAS:
        x->type = make_type(EXPR_BOOL);
        break;
    default:
        x->type = make_type(EXPR_INT);
        break;
    }
    set_kids(c, n, args, count);
    return SP_OK;
}

/*
 * Makes node n the X_FN call fn of type t on its kids (kids[0..count)); folds it into a
 * constant when every argument is one and it succeeds (an index out of range, say, is left
 * to fail when it runs, as it does in CEL).
 */
static int make_fn(struct checker *c, int n, int fn, struct expr_type t, int *kids, int count)
{
    set_kids(c, n, kids, count);
    struct expr_node *x = NODE(c, n);
    x->op = X_FN;
    x->sub = (uint8_t)fn;
    x->type = t;
    x->enum_field = -1;
    struct expr_xval args[3];
    for (int i = 0; i < count; i++) {
        const struct expr_node *k = NODE(c, kids[i]);
        if (k->op != X_CONST && k->op != X_LIST)
            return SP_OK;
        memset(&args[i], 0, sizeof args[i]);
        args[i].v = k->value;
        args[i].s = k->text;
        args[i].ptr = k->op == X_LIST ? k->ptr : NULL;
    }
    struct expr_xval out;
    if (expr_fn_apply(c->u, x, args, count, &out) != EXPR_OK)
        return SP_OK;
    set_const(c, n, t.kind, out.v);
    NODE(c, n)->type = t;
    NODE(c, n)->text = out.s;
    return SP_OK;
}

/*
 * CEL's accessors of a timestamp on a date, which is the timestamp of its midnight in UTC:
 * getFullYear(), getMonth() (0-based), getDate() (1-based), getDayOfMonth() (0-based),
 * getDayOfWeek() (0 for Sunday), getDayOfYear() (0-based). A time zone argument is refused.
 */
static int check_date_method(struct checker *c, int n, const char *name, int *kids, int count)
{
    static const struct {
        const char *name;
        int id;
    } methods[] = {{"getFullYear", B_FULL_YEAR}, {"getMonth", B_MONTH0},
                   {"getDate", B_DATE1},         {"getDayOfMonth", B_DAY0},
                   {"getDayOfWeek", B_WEEKDAY},  {"getDayOfYear", B_YEAR_DAY0}};
    struct suggestion s = {name, NULL, 0};
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        consider(&s, methods[i].name);
        if (strcmp(methods[i].name, name) != 0)
            continue;
        if (count != 1)
            return FAIL(c, NODE(c, n)->start,
                        "%s() takes no arguments here: a date is its midnight in UTC, and other "
                        "time zones are not part of spfloor's subset of CEL",
                        name);
        set_kids(c, n, kids, 1);
        struct expr_node *x = NODE(c, n);
        x->op = X_CALL;
        x->sub = (uint8_t)methods[i].id;
        x->type = make_type(EXPR_INT);
        return SP_OK;
    }
    char h[128];
    hint(&s, "", h, sizeof h);
    return FAIL(c, NODE(c, n)->start,
                "date has no method %s()%s: dates have getFullYear, getMonth, getDate, "
                "getDayOfMonth, getDayOfWeek and getDayOfYear",
                name, h);
}

/*
 * timestamp("2024-07-16T00:00:00Z"): a CEL timestamp that is a date, at midnight UTC. Other
 * times of day and offsets are refused: a date cannot hold them.
 */
static int check_timestamp(struct checker *c, int n, int *kids)
{
    int rc;
    const char *text = const_text(c, kids[0], "a timestamp such as \"2024-07-16T00:00:00Z\"", &rc);
    if (text == NULL)
        return rc;
    char day[11];
    size_t len = strlen(text);
    const char *tail = len > 10 ? text + 10 : "";
    int midnight =
        len > 10 && (strcmp(tail, "T00:00:00Z") == 0 || strcmp(tail, "T00:00:00+00:00") == 0 ||
                     strcmp(tail, "T00:00:00-00:00") == 0);
    if (!midnight)
        return FAIL(c, NODE(c, kids[0])->start,
                    "timestamp() takes a date at midnight UTC here, such as "
                    "\"2024-07-16T00:00:00Z\": spfloor's dates hold no time of day");
    memcpy(day, text, 10);
    day[10] = '\0';
    int32_t d;
    struct error inner;
    error_init(&inner);
    if (date_parse(day, &d, &inner) != SP_OK)
        return FAIL(c, NODE(c, kids[0])->start, "%s", inner.message);
    set_const(c, n, EXPR_DATE, d);
    return SP_OK;
}

/* string.matches(re): the pattern must be a constant (compiled and checked here). */
static int check_matches(struct checker *c, int n, int *kids, int count)
{
    if (count != 2)
        return FAIL(c, NODE(c, n)->start,
                    "matches() takes 1 argument here (a regular expression), got %d", count - 1);
    int rc;
    const char *pattern = const_text(c, kids[1], "a regular expression", &rc);
    if (pattern == NULL)
        return rc;
    const void *re;
    char why[300];
    int offset;
    rc = expr_regex_compile(c->u, pattern, &re, why, sizeof why, &offset);
    if (rc == SP_IO)
        return error_nomem(c->err);
    if (rc != SP_OK)
        return FAIL(c, NODE(c, kids[1])->start, "%s (at byte %d of the pattern)", why, offset);
    NODE(c, n)->ptr = re; /* before make_fn, which may fold a constant subject */
    return make_fn(c, n, F_MATCHES, make_type(EXPR_BOOL), kids, 1);
}

/* string.contains(s), startsWith(s), endsWith(s), size(): CEL's functions of strings. */
static int check_string_method(struct checker *c, int n, const char *name, int *kids, int count)
{
    static const struct {
        const char *name;
        int fn, args;
    } methods[] = {{"contains", F_CONTAINS, 1},
                   {"startsWith", F_STARTS_WITH, 1},
                   {"endsWith", F_ENDS_WITH, 1},
                   {"size", F_STRING_SIZE, 0}};
    if (strcmp(name, "matches") == 0)
        return check_matches(c, n, kids, count);
    struct suggestion s = {name, NULL, 0};
    consider(&s, "matches");
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        consider(&s, methods[i].name);
        if (strcmp(methods[i].name, name) != 0)
            continue;
        if (count - 1 != methods[i].args)
            return FAIL(c, NODE(c, n)->start, "%s() takes %d argument%s here, got %d", name,
                        methods[i].args, methods[i].args == 1 ? " (a string)" : "s", count - 1);
        for (int k = 1; k < count; k++) {
            int rc = check(c, kids[k]);
            if (rc != SP_OK)
                return rc;
            if (NODE(c, kids[k])->type.kind != EXPR_STRING)
                return FAIL(c, NODE(c, kids[k])->start, "%s() takes a string, got %s", name,
                            tname(NODE(c, kids[k])->type, 0));
        }
        return make_fn(c, n, methods[i].fn,
                       make_type(methods[i].fn == F_STRING_SIZE ? EXPR_INT : EXPR_BOOL), kids,
                       count);
    }
    char h[128];
    hint(&s, "", h, sizeof h);
    return FAIL(c, NODE(c, n)->start,
                "string has no method %s()%s: strings have contains, startsWith, endsWith, "
                "matches and size",
                name, h);
}

/* list[i]: the item at index i of a constant list (out of range fails when it runs). */
static int check_index(struct checker *c, int n)
{
    int kids[2];
    kids_of(c, n, kids, 2);
    int rc;
    if ((rc = check(c, kids[0])) != SP_OK || (rc = check(c, kids[1])) != SP_OK)
        return rc;
    struct expr_type lt = NODE(c, kids[0])->type, it = NODE(c, kids[1])->type;
    if (lt.kind != EXPR_LIST)
        return FAIL(c, NODE(c, n)->start, "only lists can be indexed with [], got %s",
                    tname(lt, 0));
    if (const_list(c, kids[0]) == NULL)
        return FAIL(c, NODE(c, n)->start,
                    "[] indexes constant lists only, such as [10, 20][i]: use a list macro "
                    "such as .exists(x, ...) on another list");
    if (it.kind != EXPR_INT)
        return FAIL(c, NODE(c, kids[1])->start, "a list index must be an int, got %s",
                    tname(it, 0));
    struct expr_type t = make_type(lt.element);
    text_copy(t.currency, sizeof t.currency, lt.currency);
    return make_fn(c, n, F_INDEX, t, kids, 2);
}

EXPR_OFF_WALK static int check_macro(struct checker *c, int n)
{
    static const char *const names[] = {"exists", "all", "filter", "count", "exists_one"};
    const char *name = NODE(c, n)->text;
    int kids[4];
    int count = NODE(c, n)->n_kids - 1;
    kids_of(c, n, kids, 4);
    int recv = kids[0];
    int rc = check(c, recv);
    if (rc != SP_OK)
        return rc;
    struct expr_type lt = NODE(c, recv)->type;
    if (lt.kind == EXPR_STRING || lt.kind == EXPR_DATE) {
        int all[EXPR_LIST_MAX + 1];
        int got = kids_of(c, n, all, EXPR_LIST_MAX + 1);
        return lt.kind == EXPR_STRING ? check_string_method(c, n, name, all, got)
                                      : check_date_method(c, n, name, all, got);
    }
    if (lt.kind != EXPR_LIST)
        return FAIL(c, NODE(c, n)->start, "%s has no method %s()", tname(lt, 0), name);
    if (strcmp(name, "size") == 0) {
        if (count != 0)
            return FAIL(c, NODE(c, n)->start, "size() takes no arguments here, got %d", count);
        NODE(c, n)->op = X_SIZE;
        NODE(c, n)->type = make_type(EXPR_INT);
        set_kids(c, n, &recv, 1);
        return SP_OK;
    }
    int macro = -1;
    struct suggestion s = {name, NULL, 0};
    for (int i = 0; i < 5; i++) {
        if (strcmp(names[i], name) == 0)
            macro = i;
        consider(&s, names[i]);
    }
    consider(&s, "size");
    if (macro < 0) {
        char h[128];
        hint(&s, "", h, sizeof h);
        return FAIL(c, NODE(c, n)->start,
                    "unknown list macro \"%s\"%s: lists have exists, all, exists_one, "
                    "filter, count and size",
                    name, h);
    }
    if (count != 2)
        return FAIL(c, NODE(c, n)->start,
                    "%s() takes 2 arguments (a name and a condition, as "
                    "in .%s(m, m.sex == \"female\")), got %d",
                    name, name, count);
    const struct expr_node *var = NODE(c, kids[1]);
    if (var->syn != S_IDENT)
        return FAIL(c, var->start, "expected a name for each item, as in .%s(m, ...)", name);
    if (c->n_vars == EXPR_VARS_MAX)
        return FAIL(c, var->start, "list macros nested more than %d deep", EXPR_VARS_MAX);
    int slot = c->n_vars++;
    c->var_names[slot] = var->text;
    c->var_types[slot] = make_type(lt.element);
    text_copy(c->var_types[slot].currency, sizeof c->var_types[slot].currency, lt.currency);
    if (slot + 1 > c->u->n_vars)
        c->u->n_vars = slot + 1;
    rc = check(c, kids[2]);
    c->n_vars--;
    if (rc != SP_OK)
        return rc;
    if (NODE(c, kids[2])->type.kind != EXPR_BOOL)
        return FAIL(c, NODE(c, kids[2])->start, "the condition of %s() must be bool, got %s", name,
                    tname(NODE(c, kids[2])->type, 0));
    struct expr_node *x = NODE(c, n);
    x->op = X_MACRO;
    x->sub = (uint8_t)macro;
    x->ref = slot;
    x->type = macro == M_FILTER ? lt : make_type(macro == M_COUNT ? EXPR_INT : EXPR_BOOL);
    int keep[2] = {recv, kids[2]};
    set_kids(c, n, keep, 2);
    return SP_OK;
}

static int check_method(struct checker *c, int n)
{
    const struct expr_node *recv = NODE(c, NODE(c, n)->kid);
    if (recv->syn == S_IDENT && strcmp(recv->text, "contributions") == 0)
        return check_history(c, n, 0);
    if (recv->syn == S_IDENT && strcmp(recv->text, "events") == 0)
        return check_history(c, n, 1);
    return check_macro(c, n);
}

static int check_cond(struct checker *c, int n)
{
    int k[3];
    kids_of(c, n, k, 3);
    for (int i = 0; i < 3; i++) {
        int rc = check(c, k[i]);
        if (rc != SP_OK)
            return rc;
    }
    if (NODE(c, k[0])->type.kind != EXPR_BOOL)
        return FAIL(c, NODE(c, k[0])->start, "the condition before ? must be bool, got %s",
                    tname(NODE(c, k[0])->type, 0));
    int rc;
    if (NODE(c, k[1])->type.kind == EXPR_DOUBLE && NODE(c, k[2])->type.kind == EXPR_DOUBLE) {
        if (NODE(c, k[0])->op == X_CONST) {
            set_dbl(c, n, dbl_of(NODE(c, NODE(c, k[0])->value ? k[1] : k[2])));
            return SP_OK;
        }
        if ((rc = demote(c, k[1])) != SP_OK || (rc = demote(c, k[2])) != SP_OK)
            return rc;
    }
    rc = unify(c, k[1], k[2]);
    if (rc != SP_OK)
        return rc;
    struct expr_type a = NODE(c, k[1])->type, b = NODE(c, k[2])->type;
    if (!expr_type_equal(a, b))
        return FAIL(c, NODE(c, k[2])->start,
                    "both branches of ?: must have one type, got %s "
                    "and %s",
                    tname(a, 0), tname(b, 1));
    struct expr_node *x = NODE(c, n);
    x->op = X_COND;
    x->type = a;
    if (NODE(c, k[1])->enum_field == NODE(c, k[2])->enum_field)
        x->enum_field = NODE(c, k[1])->enum_field;
    return SP_OK;
}

static int check(struct checker *c, int n)
{
    struct expr_node *x = NODE(c, n);
    int rc;
    switch ((enum expr_syn)x->syn) {
    case S_INT:
        x->op = X_CONST;
        x->type = make_type(EXPR_INT);
        return SP_OK;
    case S_DEC: /* the parser left the double's bits in value */
        x->op = X_CONST;
        x->type = make_type(EXPR_DOUBLE);
        return SP_OK;
    case S_STR:
        x->op = X_CONST;
        x->type = make_type(EXPR_STRING);
        return SP_OK;
    case S_BOOL:
        x->op = X_CONST;
        x->type = make_type(EXPR_BOOL);
        return SP_OK;
    case S_LIST:
        return check_list(c, n);
    case S_IDENT:
        return check_ident(c, n);
    case S_SELECT:
        return check_select(c, n);
    case S_CALL:
        return check_call(c, n);
    case S_METHOD:
        return check_method(c, n);
    case S_NOT:
        if ((rc = check(c, x->kid)) != SP_OK)
            return rc;
        if (NODE(c, NODE(c, n)->kid)->type.kind != EXPR_BOOL)
            return FAIL(c, NODE(c, n)->start, "! needs a bool, got %s",
                        tname(NODE(c, NODE(c, n)->kid)->type, 0));
        NODE(c, n)->op = X_NOT;
        NODE(c, n)->type = make_type(EXPR_BOOL);
        return SP_OK;
    case S_NEG: {
        if ((rc = check(c, x->kid)) != SP_OK)
            return rc;
        struct expr_type t = NODE(c, NODE(c, n)->kid)->type;
        if (t.kind == EXPR_DOUBLE) {
            set_dbl(c, n, -dbl_of(NODE(c, NODE(c, n)->kid)));
            return SP_OK;
        }
        if (!is_num(t) && t.kind != EXPR_MONEY)
            return FAIL(c, NODE(c, n)->start, "- needs a number or money, got %s", tname(t, 0));
        NODE(c, n)->op = X_NEG;
        NODE(c, n)->type = t;
        return SP_OK;
    }
    case S_BIN:
        return check_binary(c, n);
    case S_COND:
        return check_cond(c, n);
    case S_INDEX:
        return check_index(c, n);
    }
    return FAIL(c, x->start, "cannot check this expression");
}

int expr_check(struct expr_unit *u, int expr_index, int root, const struct expr_type *want,
               struct error *err)
{
    struct checker c;
    memset(&c, 0, sizeof c);
    c.u = u;
    c.expr = expr_index;
    c.def = &u->defs[expr_index];
    c.err = err;
    int rc = check(&c, root);
    if (rc == SP_OK)
        rc = demote(&c, root);
    if (rc != SP_OK)
        return rc;
    struct expr_type got = u->nodes[root].type;
    if (got.kind == EXPR_PERSON || got.kind == EXPR_SCALE)
        return FAIL(&c, u->nodes[root].start, "a %s cannot be a result: use one of its %s",
                    kind_name(got.kind), got.kind == EXPR_PERSON ? "facts" : "functions");
    if (got.kind == EXPR_LIST && got.element == EXPR_PERSON && want == NULL)
        return SP_OK;
    if (want != NULL) {
        if (want->kind == EXPR_DECIMAL && got.kind == EXPR_INT) {
            if ((rc = to_dec(&c, root)) != SP_OK)
                return rc;
            got = u->nodes[root].type;
        }
        if (!expr_type_equal(got, *want))
            return FAIL(&c, u->nodes[root].start, "expected %s here, got %s", tname(*want, 0),
                        tname(got, 1));
    }
    return SP_OK;
}
