/* Unit tests for the expression parser: CEL precedence and syntax errors with positions. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "rules/expr_impl.h"

/* Writes the syntax tree of node n as an S-expression, skipping inserted conversions. */
static void dump(const struct expr_unit *u, int n, char *out, size_t size)
{
    const struct expr_node *x = &u->nodes[n];
    size_t len = strlen(out);
    if (x->op == X_TODEC) {
        dump(u, x->kid, out, size);
        return;
    }
    switch ((enum expr_syn)x->syn) {
    case S_INT:
    case S_DEC:
    case S_BOOL:
    case S_STR:
    case S_IDENT:
        snprintf(out + len, size - len, "%.*s", x->end - x->start,
                 u->defs[x->expr].source + x->start);
        return;
    case S_BIN:
        snprintf(out + len, size - len, "(%s ", expr_tok_name((enum expr_tok)x->sub));
        break;
    case S_NOT:
        snprintf(out + len, size - len, "(! ");
        break;
    case S_NEG:
        snprintf(out + len, size - len, "(neg ");
        break;
    case S_COND:
        snprintf(out + len, size - len, "(? ");
        break;
    default:
        snprintf(out + len, size - len, "(%s ", x->text ? x->text : "list");
        break;
    }
    for (int k = x->kid, first = 1; k >= 0; k = u->nodes[k].next, first = 0) {
        if (!first)
            snprintf(out + strlen(out), size - strlen(out), " ");
        dump(u, k, out, size);
    }
    snprintf(out + strlen(out), size - strlen(out), ")");
}

static void assert_tree(const char *source, const char *tree)
{
    struct expr_scope scope;
    memset(&scope, 0, sizeof scope);
    scope.currency = "NPR";
    struct expr_unit *u;
    struct error err;
    error_init(&err);
    assert_int_equal(expr_unit_new(&scope, &u, &err), SP_OK);
    struct expr_pos pos = {"t.yaml", 1, 1};
    int index;
    if (expr_unit_add(u, NULL, source, pos, NULL, &index, &err) != SP_OK)
        fail_msg("%s: %s", source, err.message);
    char out[512] = "";
    dump(u, u->defs[index].root, out, sizeof out);
    if (strcmp(out, tree) != 0)
        fail_msg("%s parsed as %s, want %s", source, out, tree);
    expr_unit_free(u);
}

static void cel_precedence(void **state)
{
    (void)state;
    assert_tree("1 + 2 * 3 == 7", "(== (+ 1 (* 2 3)) 7)");
    assert_tree("(1 + 2) * 3", "(* (+ 1 2) 3)");
    assert_tree("10 - 4 - 3", "(- (- 10 4) 3)");
    assert_tree("true || false && false", "(|| true (&& false false))");
    assert_tree("!true && false", "(&& (! true) false)");
    assert_tree("1 < 2 == true", "(== (< 1 2) true)");
    assert_tree("living_children in [1, 2] || false", "(|| (in living_children (list 1 2)) false)");
    assert_tree("true ? 1 : false ? 2 : 3", "(? true 1 (? false 2 3))");
    assert_tree("-living_children * 2", "(* (neg living_children) 2)");
    assert_tree("-2 * 3", "(* -2 3)");
    assert_tree("7 % 4 / 2", "(/ (% 7 4) 2)");
    assert_tree("age_years(birth_date) >= 60", "(>= (age_years birth_date) 60)");
    assert_tree("2 - -1", "(- 2 -1)");
}

static void assert_error(const char *source, const char *message)
{
    struct expr_scope scope;
    memset(&scope, 0, sizeof scope);
    struct expr_unit *u;
    struct error err;
    error_init(&err);
    assert_int_equal(expr_unit_new(&scope, &u, &err), SP_OK);
    struct expr_pos pos = {"s.yaml", 7, 9};
    int index = -1;
    assert_int_equal(expr_unit_add(u, NULL, source, pos, NULL, &index, &err), SP_BAD_INPUT);
    if (strcmp(err.message, message) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", source, err.message, message);
    assert_int_equal(expr_unit_count(u), 0); /* the unit is unchanged */
    expr_unit_free(u);
}

static void syntax_errors_name_the_place(void **state)
{
    (void)state;
    assert_error("", "s.yaml:7:9: empty expression");
    assert_error("1 +", "s.yaml:7:12: expected a value, a name or '(', but the expression ends");
    assert_error("(1 + 2", "s.yaml:7:15: expected ')', but the expression ends");
    assert_error("1 2", "s.yaml:7:11: expected an operator or the end of the expression, found 2");
    assert_error("f(1,\n  )", "s.yaml:8:3: expected a value, a name or '(', found )");
    assert_error("[1, 2", "s.yaml:7:14: expected ',' or ']', but the expression ends");
    assert_error("groups[0]", "s.yaml:7:9: [] indexes constant lists only, such as [10, 20][i]: "
                              "use a list macro such as .exists(x, ...) on another list");
    assert_error("[1, 2][0", "s.yaml:7:17: expected ']', but the expression ends");
    assert_error("true ? 1", "s.yaml:7:17: expected ':' of the conditional, but the expression "
                             "ends");
    assert_error("a.", "s.yaml:7:11: expected a field or method name after '.', but the "
                       "expression ends");
}

static void deep_nesting_is_refused(void **state)
{
    (void)state;
    char deep[400];
    memset(deep, '(', 200);
    deep[200] = '1';
    memset(deep + 201, ')', 198);
    deep[399] = '\0';
    struct expr_scope scope;
    memset(&scope, 0, sizeof scope);
    struct expr_unit *u;
    struct error err;
    error_init(&err);
    assert_int_equal(expr_unit_new(&scope, &u, &err), SP_OK);
    struct expr_pos pos = {"s.yaml", 1, 1};
    int index;
    assert_int_equal(expr_unit_add(u, NULL, deep, pos, NULL, &index, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "nested too deeply: more than 64 levels"));
    assert_non_null(strstr(err.message, "(the limit on nesting)"));
    /* Unclosed openers and long prefix chains are refused while descending, before the C
     * stack runs out (fuzzing found ~600 mixed "([" overflowing it under ASan). */
    static char openers[12001], nots[12001];
    for (int i = 0; i < 12000; i++) {
        openers[i] = "(["[i % 3 == 0];
        nots[i] = i % 2 ? '!' : '-';
    }
    const char *hostile[] = {openers, nots};
    for (size_t i = 0; i < sizeof hostile / sizeof hostile[0]; i++) {
        error_init(&err);
        assert_int_equal(expr_unit_add(u, NULL, hostile[i], pos, NULL, &index, &err), SP_BAD_INPUT);
        assert_non_null(strstr(err.message, "nested too deeply"));
    }
    expr_unit_free(u);
}

/* Adds source to a fresh unit; returns the status, err the message. */
static int add_source(const char *source, struct error *err)
{
    struct expr_scope scope;
    memset(&scope, 0, sizeof scope);
    scope.currency = "NPR";
    struct expr_unit *u;
    error_init(err);
    assert_int_equal(expr_unit_new(&scope, &u, err), SP_OK);
    struct expr_pos pos = {"s.yaml", 1, 1};
    int index;
    int rc = expr_unit_add(u, NULL, source, pos, NULL, &index, err);
    expr_unit_free(u);
    return rc;
}

static void a_flat_chain_is_not_nesting(void **state)
{
    (void)state;
    static char chain[8192];
    struct error err;
    /* 65 terms of || (64 operators), and 500 of + : one level each */
    size_t n = 0;
    for (int i = 0; i < 65; i++)
        n += (size_t)snprintf(chain + n, sizeof chain - n, "%s%d > 1", i ? " || " : "", i);
    if (add_source(chain, &err) != SP_OK)
        fail_msg("a chain of 65 || terms: %s", err.message);
    n = 0;
    for (int i = 0; i < 499; i++)
        n += (size_t)snprintf(chain + n, sizeof chain - n, "1+");
    snprintf(chain + n, sizeof chain - n, "1");
    if (add_source(chain, &err) != SP_OK)
        fail_msg("a chain of 500 + terms: %s", err.message);
    assert_tree("1 - 2 + 3 - 4", "(- (+ (- 1 2) 3) 4)");
    assert_tree("true || false || true && false", "(|| (|| true false) (&& true false))");

    /* each operand of a chain may nest up to the limit: the chain adds one level */
    char deep[1024];
    n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, "-(");
    n += (size_t)snprintf(deep + n, sizeof deep - n, "1");
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(deep + n, sizeof deep - n, ")");
    snprintf(chain, sizeof chain, "1 + %s + 2 + %s", deep, deep);
    if (add_source(chain, &err) != SP_OK)
        fail_msg("a chain of nested operands: %s", err.message);

    /* the size of an expression has a limit of its own, and the message names it */
    n = 0;
    for (int i = 0; i < 513; i++)
        n += (size_t)snprintf(chain + n, sizeof chain - n, "1+");
    snprintf(chain + n, sizeof chain - n, "1");
    assert_int_equal(add_source(chain, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "s.yaml:1:1026: expression too large: more than 512 "
                                     "operators (the limit on an expression's size): split it "
                                     "into named values");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cel_precedence),
        cmocka_unit_test(syntax_errors_name_the_place),
        cmocka_unit_test(deep_nesting_is_refused),
        cmocka_unit_test(a_flat_chain_is_not_nesting),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
