/* Unit tests for the expression lexer: tokens, literals, and errors that point at file:line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "rules/expr_impl.h"

struct lexed {
    struct expr_pool pool;
    struct expr_token tok[32];
    int n;
    struct error err;
    int rc;
};

/* Lexes src (starting at test.yaml:3:10) until the end or an error. */
static void lex(struct lexed *l, const char *src)
{
    expr_pool_init(&l->pool, 0);
    error_init(&l->err);
    struct expr_lexer lx;
    struct expr_pos pos = {"test.yaml", 3, 10};
    expr_lex_init(&lx, src, (int)strlen(src), pos, &l->pool);
    l->n = 0;
    do {
        l->rc = expr_lex_next(&lx, &l->tok[l->n], &l->err);
    } while (l->rc == SP_OK && l->tok[l->n++].kind != T_END && l->n < 32);
}

static void done(struct lexed *l)
{
    expr_pool_release(&l->pool);
}

static void operators_and_names(void **state)
{
    (void)state;
    struct lexed l;
    lex(&l, "age>=params.senior_age&&!(x in y)||a!=b ? c : d<=e%f");
    assert_int_equal(l.rc, SP_OK);
    enum expr_tok want[] = {T_IDENT,  T_GE,      T_IDENT, T_DOT,   T_IDENT,  T_AND,   T_NOT,
                            T_LPAREN, T_IDENT,   T_IN,    T_IDENT, T_RPAREN, T_OR,    T_IDENT,
                            T_NE,     T_IDENT,   T_QUEST, T_IDENT, T_COLON,  T_IDENT, T_LE,
                            T_IDENT,  T_PERCENT, T_IDENT, T_END};
    assert_int_equal(l.n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < l.n; i++)
        assert_int_equal(l.tok[i].kind, want[i]);
    assert_string_equal(l.tok[4].text, "senior_age");
    assert_int_equal(l.tok[1].start, 3);
    assert_int_equal(l.tok[1].end, 5);
    done(&l);
}

static void numbers_strings_and_comments(void **state)
{
    (void)state;
    struct lexed l;
    lex(&l,
        "68 0.11 'dalit' \"a\\\"b\\n\" true false // the rest is a comment\n 9223372036854775807 "
        "1e3 2.5E-2 0x1F");
    assert_int_equal(l.rc, SP_OK);
    assert_int_equal(l.tok[0].kind, T_INT);
    assert_int_equal(l.tok[0].value, 68);
    assert_int_equal(l.tok[1].kind, T_DEC); /* a CEL double */
    assert_true(l.tok[1].dbl == 0.11);
    assert_int_equal(l.tok[2].kind, T_STR);
    assert_string_equal(l.tok[2].text, "dalit");
    assert_string_equal(l.tok[3].text, "a\"b\n");
    assert_int_equal(l.tok[4].kind, T_TRUE);
    assert_int_equal(l.tok[5].kind, T_FALSE);
    assert_int_equal(l.tok[6].kind, T_INT);
    assert_int_equal(l.tok[6].value, INT64_MAX);
    assert_int_equal(l.tok[7].kind, T_DEC);
    assert_true(l.tok[7].dbl == 1000.0);
    assert_true(l.tok[8].dbl == 0.025);
    assert_int_equal(l.tok[9].kind, T_INT);
    assert_int_equal(l.tok[9].value, 31);
    assert_int_equal(l.tok[10].kind, T_END);
    done(&l);
}

static void strings_as_cel_writes_them(void **state)
{
    (void)state;
    struct lexed l;
    lex(&l, "'\\x41\\101\\u00e9\\U0001F600\\a\\?\\`' r'a\\n' R\"\\d\" '''x\n'y''' \"\"\"\"\"\" "
            "\"सीता\"");
    assert_int_equal(l.rc, SP_OK);
    assert_string_equal(l.tok[0].text, "AA\u00e9\U0001F600\a?`");
    assert_string_equal(l.tok[1].text, "a\\n"); /* raw: no escapes */
    assert_string_equal(l.tok[2].text, "\\d");
    assert_string_equal(l.tok[3].text, "x\n'y"); /* triple-quoted: over lines, quotes inside */
    assert_string_equal(l.tok[4].text, "");
    assert_string_equal(l.tok[5].text, "सीता");
    assert_int_equal(l.tok[6].kind, T_END);
    done(&l);
}

static void assert_error(const char *src, const char *message)
{
    struct lexed l;
    lex(&l, src);
    assert_int_equal(l.rc, SP_BAD_INPUT);
    if (strcmp(l.err.message, message) != 0)
        fail_msg("%s: got \"%s\", want \"%s\"", src, l.err.message, message);
    done(&l);
}

static void errors_point_into_the_source(void **state)
{
    (void)state;
    assert_error("a = 3", "test.yaml:3:12: unexpected '=': compare with ==");
    assert_error("a &\n b", "test.yaml:3:12: unexpected '&': use &&");
    /* after a newline the column restarts at 1 */
    assert_error("a &&\n  b # c", "test.yaml:4:5: unexpected character '#'");
    assert_error("x == \"open", "test.yaml:3:15: unterminated string: close it with \"");
    assert_error("99999999999999999999", "test.yaml:3:10: integer 99999999999999999999 is too "
                                         "large");
    assert_error("1u", "test.yaml:3:10: unsigned integers (uint, as in 1u) are not part of "
                       "spfloor's subset of CEL: use an int");
    assert_error("1e999", "test.yaml:3:10: number 1e999 is out of range");
    assert_error("0x8000000000000000", "test.yaml:3:10: integer 0x8000000000000000 is too large");
    assert_error("12abc", "test.yaml:3:12: unexpected 'a' after a number: numbers are written 68 "
                          "or 0.11");
    assert_error("'\\q'", "test.yaml:3:11: unknown escape \\q: use \\\\, \\\", \\', \\n, \\t, "
                          "\\r, \\xHH, \\uHHHH or another of CEL's");
    assert_error("'a\\000'", "test.yaml:3:12: a NUL character cannot be part of a string");
    assert_error("'\\uD800'", "test.yaml:3:11: \\u escape is not a Unicode character");
    assert_error("'\\x4'", "test.yaml:3:11: \\x takes 2 hex digits");
    assert_error("'''a\nb", "test.yaml:3:10: unterminated string: close it with '''");
    assert_error("b'abc'", "test.yaml:3:10: bytes literals (b\"...\") are not part of spfloor's "
                           "subset of CEL");
    assert_error("\"\xff\"", "test.yaml:3:10: string is not valid UTF-8");
    assert_error("\x01", "test.yaml:3:10: unexpected byte 0x01");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operators_and_names),
        cmocka_unit_test(numbers_strings_and_comments),
        cmocka_unit_test(strings_as_cel_writes_them),
        cmocka_unit_test(errors_point_into_the_source),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
