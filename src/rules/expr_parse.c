/*
 * expr_parse.c: the parser, from tokens to syntax nodes, with CEL precedence (lowest first):
 *   ?:   ||   &&   == != < <= > >= in   + -   * / %   unary ! -   member . call
 *
 * Two limits bound every later recursive walk of the tree:
 *   nesting: at most EXPR_NEST_MAX levels of parentheses, calls, lists, unary and conditional
 *     operators and operators of different precedence. A left-associative chain of operators
 *     of one level, such as a || b || c or 1 + 2 - 3, is one level however long it is: it is
 *     parsed by a loop, and its height is that of its deepest operand plus one;
 *   size: at most EXPR_OPS_MAX binary operators in one expression.
 * A chain is still a left-leaning binary tree, so a tree is at most EXPR_NEST_MAX +
 * EXPR_OPS_MAX nodes high: a path down it leaves a chain's spine only by going one
 * nesting level deeper.
 */
#include <string.h>

#include "base/alloc.h"
#include "rules/expr_impl.h"

struct parser {
    struct expr_unit *u;
    struct expr_def *def;
    int expr; /* expression index */
    struct expr_lexer lx;
    struct expr_token tok; /* the current token */
    struct error *err;
    int height;    /* nesting of the tree the last parse_* returned (a chain counts once) */
    int depth;     /* how deep parse_expr and parse_unary have recursed: bounds the C stack */
    int operators; /* binary operators so far: bounds the tree's height with `height` */
    int last_end;  /* where the last token consumed ends: a node's span includes a closing ')' */
};

int expr_node_new(struct expr_unit *u, struct expr_node **out, int *index, struct error *err)
{
    if (u->n_nodes == u->cap_nodes) {
        int cap = u->cap_nodes ? u->cap_nodes * 2 : 256;
        struct expr_node *grown = sp_reallocarray(u->nodes, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(err);
        u->nodes = grown;
        u->cap_nodes = cap;
    }
    struct expr_node *n = &u->nodes[u->n_nodes];
    memset(n, 0, sizeof *n);
    n->kid = -1;
    n->next = -1;
    n->enum_field = -1;
    n->ref = -1;
    *index = u->n_nodes++;
    *out = n;
    return SP_OK;
}

int expr_kid(const struct expr_unit *u, int n, int k)
{
    int c = u->nodes[n].kid;
    while (k-- > 0 && c >= 0)
        c = u->nodes[c].next;
    return c;
}

static int advance(struct parser *p)
{
    p->last_end = p->tok.end;
    return expr_lex_next(&p->lx, &p->tok, p->err);
}

static int fail_here(struct parser *p, const char *what)
{
    if (p->tok.kind == T_END)
        return expr_error_at(p->err, p->def->pos, p->def->source, p->tok.start,
                             "expected %s, but the expression ends", what);
    return expr_error_at(p->err, p->def->pos, p->def->source, p->tok.start,
                         "expected %s, found %.*s", what, p->tok.end - p->tok.start,
                         p->def->source + p->tok.start);
}

static int expect(struct parser *p, enum expr_tok kind, const char *what)
{
    if (p->tok.kind != kind)
        return fail_here(p, what);
    return advance(p);
}

/* Makes a node with up to two children (linked as siblings), spanning [start, end). */
static int make(struct parser *p, enum expr_syn syn, int start, int end, int a, int b, int *out)
{
    struct expr_node *n = NULL;
    int rc = expr_node_new(p->u, &n, out, p->err);
    if (rc != SP_OK)
        return rc;
    n->syn = (uint8_t)syn;
    n->start = start;
    n->end = end;
    n->expr = p->expr;
    if (a >= 0) {
        n->kid = a;
        n->n_kids = 1;
        if (b >= 0) {
            p->u->nodes[a].next = b;
            n->n_kids = 2;
        }
    }
    return SP_OK;
}

/* Refuses the expression at byte `at` for passing EXPR_NEST_MAX, saying which limit. */
static int too_deep(struct parser *p, int at)
{
    return expr_error_at(p->err, p->def->pos, p->def->source, at,
                         "expression nested too deeply: more than %d levels of parentheses, "
                         "calls and operators of different precedence (the limit on nesting): "
                         "split it into named values",
                         EXPR_NEST_MAX);
}

static int grow_height(struct parser *p, int height, int at)
{
    p->height = height;
    return height > EXPR_NEST_MAX ? too_deep(p, at) : SP_OK;
}

static int parse_expr(struct parser *p, int *out);

/*
 * Enters one more level of recursion; refused past EXPR_NEST_MAX so that input such as
 * "((((((..." or "!!!!!!..." cannot exhaust the stack before the tree's height is known.
 */
static int descend(struct parser *p)
{
    if (++p->depth > EXPR_NEST_MAX)
        return too_deep(p, p->tok.start);
    return SP_OK;
}

/* Parses "(" args ")" after a call name; appends them as children after `first` (-1: none). */
static int parse_args(struct parser *p, int node, int first, int *end)
{
    int rc = advance(p); /* ( */
    if (rc != SP_OK)
        return rc;
    int last = first, count = first >= 0 ? 1 : 0, height = p->height;
    if (p->tok.kind != T_RPAREN) {
        for (;;) {
            int arg;
            if ((rc = parse_expr(p, &arg)) != SP_OK)
                return rc;
            if (p->height > height)
                height = p->height;
            if (last >= 0)
                p->u->nodes[last].next = arg;
            else
                p->u->nodes[node].kid = arg;
            last = arg;
            if (++count > EXPR_LIST_MAX)
                return fail_here(p, "fewer arguments");
            if (p->tok.kind != T_COMMA)
                break;
            if ((rc = advance(p)) != SP_OK)
                return rc;
        }
    }
    if (p->tok.kind != T_RPAREN)
        return fail_here(p, "',' or ')'");
    *end = p->tok.end;
    p->u->nodes[node].n_kids = count;
    if ((rc = advance(p)) != SP_OK)
        return rc;
    return grow_height(p, height + 1, p->u->nodes[node].start);
}

static int parse_list(struct parser *p, int *out)
{
    int start = p->tok.start, rc;
    if ((rc = make(p, S_LIST, start, start, -1, -1, out)) != SP_OK)
        return rc;
    if ((rc = advance(p)) != SP_OK)
        return rc;
    int last = -1, count = 0, height = 0;
    if (p->tok.kind != T_RBRACK) {
        for (;;) {
            int item;
            if ((rc = parse_expr(p, &item)) != SP_OK)
                return rc;
            if (p->height > height)
                height = p->height;
            if (last >= 0)
                p->u->nodes[last].next = item;
            else
                p->u->nodes[*out].kid = item;
            last = item;
            if (++count > EXPR_LIST_MAX)
                return expr_error_at(p->err, p->def->pos, p->def->source, start,
                                     "list longer than %d items", EXPR_LIST_MAX);
            if (p->tok.kind != T_COMMA)
                break;
            if ((rc = advance(p)) != SP_OK)
                return rc;
            if (p->tok.kind == T_RBRACK)
                break; /* a trailing comma, as CEL allows */
        }
    }
    if (p->tok.kind != T_RBRACK)
        return fail_here(p, "',' or ']'");
    p->u->nodes[*out].end = p->tok.end;
    p->u->nodes[*out].n_kids = count;
    if ((rc = advance(p)) != SP_OK)
        return rc;
    return grow_height(p, height + 1, start);
}

static int parse_primary(struct parser *p, int *out)
{
    struct expr_token t = p->tok;
    int rc;
    switch (t.kind) {
    case T_INT:
    case T_DEC:
    case T_STR:
    case T_TRUE:
    case T_FALSE: {
        if (t.kind == T_INT && t.min64)
            return expr_error_at(p->err, p->def->pos, p->def->source, t.start,
                                 "integer 9223372036854775808 is too large");
        enum expr_syn syn = t.kind == T_INT   ? S_INT
                            : t.kind == T_DEC ? S_DEC
                            : t.kind == T_STR ? S_STR
                                              : S_BOOL;
        if ((rc = make(p, syn, t.start, t.end, -1, -1, out)) != SP_OK)
            return rc;
        p->u->nodes[*out].value = t.kind == T_TRUE ? 1 : t.value;
        if (t.kind == T_DEC)
            memcpy(&p->u->nodes[*out].value, &t.dbl, sizeof t.dbl);
        p->u->nodes[*out].text = t.text;
        p->height = 1;
        return advance(p);
    }
    case T_IDENT:
        if ((rc = make(p, S_IDENT, t.start, t.end, -1, -1, out)) != SP_OK)
            return rc;
        p->u->nodes[*out].text = t.text;
        p->height = 1;
        if ((rc = advance(p)) != SP_OK)
            return rc;
        if (p->tok.kind == T_LPAREN) {
            p->u->nodes[*out].syn = S_CALL;
            int end;
            if ((rc = parse_args(p, *out, -1, &end)) != SP_OK)
                return rc;
            p->u->nodes[*out].end = end;
        }
        return SP_OK;
    case T_LPAREN: {
        if ((rc = advance(p)) != SP_OK)
            return rc;
        if ((rc = parse_expr(p, out)) != SP_OK)
            return rc;
        return expect(p, T_RPAREN, "')'");
    }
    case T_LBRACK:
        return parse_list(p, out);
    default:
        return fail_here(p, "a value, a name or '('");
    }
}

static int parse_member(struct parser *p, int *out)
{
    int start = p->tok.start; /* of a '(' around the receiver, too */
    int rc = parse_primary(p, out);
    while (rc == SP_OK && (p->tok.kind == T_DOT || p->tok.kind == T_LBRACK)) {
        if (p->tok.kind == T_LBRACK) {
            int height = p->height, index, node;
            if ((rc = advance(p)) != SP_OK || (rc = parse_expr(p, &index)) != SP_OK)
                return rc;
            if (p->height > height)
                height = p->height;
            if (p->tok.kind != T_RBRACK)
                return fail_here(p, "']'");
            if ((rc = make(p, S_INDEX, start, p->tok.end, *out, index, &node)) != SP_OK ||
                (rc = advance(p)) != SP_OK)
                return rc;
            *out = node;
            rc = grow_height(p, height + 1, start);
            continue;
        }
        if ((rc = advance(p)) != SP_OK)
            return rc;
        if (p->tok.kind != T_IDENT)
            return fail_here(p, "a field or method name after '.'");
        struct expr_token name = p->tok;
        int node, height = p->height;
        if ((rc = make(p, S_SELECT, start, name.end, *out, -1, &node)) != SP_OK)
            return rc;
        p->u->nodes[node].text = name.text;
        if ((rc = advance(p)) != SP_OK)
            return rc;
        if (p->tok.kind == T_LPAREN) {
            p->u->nodes[node].syn = S_METHOD;
            int end;
            if ((rc = parse_args(p, node, *out, &end)) != SP_OK)
                return rc;
            p->u->nodes[node].end = end;
            if (p->height < height + 1)
                rc = grow_height(p, height + 1, start);
        } else {
            rc = grow_height(p, height + 1, start);
        }
        *out = node;
    }
    return rc;
}

static int parse_unary(struct parser *p, int *out)
{
    if (p->tok.kind != T_NOT && p->tok.kind != T_MINUS)
        return parse_member(p, out);
    struct expr_token op = p->tok;
    int rc = advance(p);
    if (rc != SP_OK)
        return rc;
    /* A minus directly before a number is part of the literal (so -9223372036854775808 and
     * -0.5 are constants). */
    if (op.kind == T_MINUS && (p->tok.kind == T_INT || p->tok.kind == T_DEC)) {
        struct expr_token t = p->tok;
        if ((rc = make(p, t.kind == T_INT ? S_INT : S_DEC, op.start, t.end, -1, -1, out)) != SP_OK)
            return rc;
        p->u->nodes[*out].value = t.min64 ? INT64_MIN : -t.value;
        if (t.kind == T_DEC) {
            double d = -t.dbl;
            memcpy(&p->u->nodes[*out].value, &d, sizeof d);
        }
        p->height = 1;
        return advance(p);
    }
    int operand;
    if ((rc = descend(p)) != SP_OK || (rc = parse_unary(p, &operand)) != SP_OK)
        return rc;
    p->depth--;
    if ((rc = make(p, op.kind == T_NOT ? S_NOT : S_NEG, op.start, p->last_end, operand, -1, out)) !=
        SP_OK)
        return rc;
    return grow_height(p, p->height + 1, op.start);
}

/* Binary levels, lowest first; each is left-associative. */
static const enum expr_tok level_ops[][7] = {
    {T_OR, T_END},
    {T_AND, T_END},
    {T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_IN},
    {T_PLUS, T_MINUS, T_END},
    {T_STAR, T_SLASH, T_PERCENT, T_END},
};
#define N_LEVELS ((int)(sizeof level_ops / sizeof level_ops[0]))

static int at_level(enum expr_tok kind, int level)
{
    for (int i = 0; i < 7 && level_ops[level][i] != T_END; i++)
        if (level_ops[level][i] == kind)
            return 1;
    return 0;
}

/* Counts one more binary operator (at byte `at`); refused past EXPR_OPS_MAX. */
static int count_operator(struct parser *p, int at)
{
    if (++p->operators > EXPR_OPS_MAX)
        return expr_error_at(p->err, p->def->pos, p->def->source, at,
                             "expression too large: more than %d operators (the limit on an "
                             "expression's size): split it into named values",
                             EXPR_OPS_MAX);
    return SP_OK;
}

/*
 * One binary level and those above it. A chain of this level's operators is read by the loop
 * into a left-leaning tree, and counts as one level of nesting: its height is that of its
 * deepest operand plus one.
 */
static int parse_level(struct parser *p, int level, int *out)
{
    if (level == N_LEVELS)
        return parse_unary(p, out);
    int start = p->tok.start; /* of a '(' around the first operand, too */
    int rc = parse_level(p, level + 1, out);
    int operands = p->height; /* the nesting of the chain's deepest operand so far */
    while (rc == SP_OK && at_level(p->tok.kind, level)) {
        struct expr_token op = p->tok;
        int right, node;
        if ((rc = count_operator(p, op.start)) != SP_OK || (rc = advance(p)) != SP_OK)
            return rc;
        if ((rc = parse_level(p, level + 1, &right)) != SP_OK)
            return rc;
        if (p->height > operands)
            operands = p->height;
        int height = operands + 1;
        if ((rc = make(p, S_BIN, start, p->last_end, *out, right, &node)) != SP_OK)
            return rc;
        p->u->nodes[node].sub = (uint8_t)op.kind;
        p->u->nodes[node].value = op.start; /* where the operator is, for messages */
        *out = node;
        rc = grow_height(p, height, op.start);
    }
    return rc;
}

static int parse_conditional(struct parser *p, int *out);

static int parse_expr(struct parser *p, int *out)
{
    int rc = descend(p);
    if (rc == SP_OK)
        rc = parse_conditional(p, out);
    p->depth--;
    return rc;
}

static int parse_conditional(struct parser *p, int *out)
{
    int start = p->tok.start;
    int rc = parse_level(p, 0, out);
    if (rc != SP_OK || p->tok.kind != T_QUEST)
        return rc;
    int cond = *out, yes, no, height = p->height;
    if ((rc = advance(p)) != SP_OK)
        return rc;
    if ((rc = parse_level(p, 0, &yes)) != SP_OK)
        return rc;
    if (p->height > height)
        height = p->height;
    if ((rc = expect(p, T_COLON, "':' of the conditional")) != SP_OK)
        return rc;
    if ((rc = parse_expr(p, &no)) != SP_OK)
        return rc;
    if (p->height > height)
        height = p->height;
    if ((rc = make(p, S_COND, start, p->last_end, cond, yes, out)) != SP_OK)
        return rc;
    p->u->nodes[yes].next = no;
    p->u->nodes[*out].n_kids = 3;
    return grow_height(p, height + 1, start);
}

int expr_parse(struct expr_unit *u, int expr_index, int *root, struct error *err)
{
    struct parser p;
    memset(&p, 0, sizeof p);
    p.u = u;
    p.def = &u->defs[expr_index];
    p.expr = expr_index;
    p.err = err;
    if (p.def->len > EXPR_SOURCE_MAX)
        return expr_error_at(err, p.def->pos, p.def->source, 0, "expression longer than %d bytes",
                             EXPR_SOURCE_MAX);
    expr_lex_init(&p.lx, p.def->source, p.def->len, p.def->pos, &u->pool);
    int rc = advance(&p);
    if (rc != SP_OK)
        return rc;
    if (p.tok.kind == T_END)
        return expr_error_at(err, p.def->pos, p.def->source, 0, "empty expression");
    if ((rc = parse_expr(&p, root)) != SP_OK)
        return rc;
    if (p.tok.kind != T_END)
        return fail_here(&p, "an operator or the end of the expression");
    return SP_OK;
}
