/* expr_lex.c: the expression lexer and source positions in messages. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "base/money.h"
#include "base/text.h"
#include "rules/expr_impl.h"

/* ---- positions ---- */

int expr_error_at(struct error *err, struct expr_pos pos, const char *src, int offset,
                  const char *fmt, ...)
{
    int line = pos.line, col = pos.col;
    for (int i = 0; i < offset; i++) {
        if (src[i] == '\n') {
            line++;
            col = 1;
        } else if (((unsigned char)src[i] & 0xC0) != 0x80) {
            col++; /* columns count characters, not UTF-8 continuation bytes */
        }
    }
    char message[ERROR_MESSAGE_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return error_set(err, SP_BAD_INPUT, "%s:%d:%d: %s", pos.file ? pos.file : "<expression>", line,
                     col, message);
}

/* ---- lexer ---- */

void expr_lex_init(struct expr_lexer *lx, const char *src, int len, struct expr_pos pos,
                   struct expr_pool *pool)
{
    lx->src = src;
    lx->len = len;
    lx->at = 0;
    lx->pos = pos;
    lx->pool = pool;
}

const char *expr_tok_name(enum expr_tok kind)
{
    static const char *const names[] = {
        "end of expression",
        "integer",
        "decimal",
        "string",
        "name",
        "true",
        "false",
        "in",
        "(",
        ")",
        "[",
        "]",
        ",",
        ".",
        "?",
        ":",
        "!",
        "&&",
        "||",
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "+",
        "-",
        "*",
        "/",
        "%",
    };
    return (unsigned)kind < sizeof names / sizeof names[0] ? names[kind] : "?";
}

static int is_ident_start(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int is_digit(int c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(int c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/*
 * Numbers as CEL writes them: ints (68, 0x1F) and doubles (0.11, 1e3, 2.5e-3, 1.5E+2). uint
 * literals (1u) are outside the subset and refused here.
 */
static int lex_number(struct expr_lexer *lx, struct expr_token *out, struct error *err)
{
    int start = lx->at;
    int hex = 0, is_dec = 0;
    if (lx->at + 1 < lx->len && lx->src[lx->at] == '0' &&
        (lx->src[lx->at + 1] == 'x' || lx->src[lx->at + 1] == 'X')) {
        hex = 1;
        lx->at += 2;
        if (lx->at >= lx->len || !is_hex(lx->src[lx->at]))
            return expr_error_at(err, lx->pos, lx->src, start, "expected hex digits after 0x");
        while (lx->at < lx->len && is_hex(lx->src[lx->at]))
            lx->at++;
    } else {
        while (lx->at < lx->len && is_digit(lx->src[lx->at]))
            lx->at++;
        if (lx->at + 1 < lx->len && lx->src[lx->at] == '.' && is_digit(lx->src[lx->at + 1])) {
            is_dec = 1;
            lx->at++;
            while (lx->at < lx->len && is_digit(lx->src[lx->at]))
                lx->at++;
        }
        if (lx->at < lx->len && (lx->src[lx->at] == 'e' || lx->src[lx->at] == 'E')) {
            int e = lx->at + 1;
            if (e < lx->len && (lx->src[e] == '+' || lx->src[e] == '-'))
                e++;
            if (e < lx->len && is_digit(lx->src[e])) {
                is_dec = 1;
                lx->at = e;
                while (lx->at < lx->len && is_digit(lx->src[lx->at]))
                    lx->at++;
            }
        }
    }
    if (lx->at < lx->len && (lx->src[lx->at] == 'u' || lx->src[lx->at] == 'U') && !is_dec)
        return expr_error_at(err, lx->pos, lx->src, start,
                             "unsigned integers (uint, as in 1u) are not part of spfloor's "
                             "subset of CEL: use an int");
    if (lx->at < lx->len && (is_ident_start(lx->src[lx->at]) || lx->src[lx->at] == '.'))
        return expr_error_at(err, lx->pos, lx->src, lx->at,
                             "unexpected '%c' after a number: numbers are written 68 or 0.11",
                             lx->src[lx->at]);
    char text[MONEY_TEXT_MAX];
    int n = lx->at - start;
    if (n >= (int)sizeof text)
        return expr_error_at(err, lx->pos, lx->src, start, "number too long");
    memcpy(text, lx->src + start, (size_t)n);
    text[n] = '\0';
    out->start = start;
    out->end = lx->at;
    if (is_dec) {
        char *stop = NULL;
        double d = strtod(text, &stop);
        if (stop != text + n || !isfinite(d))
            return expr_error_at(err, lx->pos, lx->src, start, "number %s is out of range", text);
        out->kind = T_DEC;
        out->dbl = d;
        return SP_OK;
    }
    if (hex) {
        unsigned long long u = 0;
        for (int i = 2; i < n; i++) {
            int c = text[i];
            int digit = is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
            if (u > ((unsigned long long)INT64_MAX >> 4))
                return expr_error_at(err, lx->pos, lx->src, start, "integer %s is too large", text);
            u = u * 16 + (unsigned long long)digit;
        }
        if (u > (unsigned long long)INT64_MAX)
            return expr_error_at(err, lx->pos, lx->src, start, "integer %s is too large", text);
        out->kind = T_INT;
        out->value = (int64_t)u;
        return SP_OK;
    }
    long long v;
    if (strcmp(text, "9223372036854775808") == 0) { /* -9223372036854775808: the parser checks */
        out->kind = T_INT;
        out->value = INT64_MIN;
        out->min64 = 1;
        return SP_OK;
    }
    if (!text_parse_int64(text, &v))
        return expr_error_at(err, lx->pos, lx->src, start, "integer %s is too large", text);
    out->kind = T_INT;
    out->value = v;
    return SP_OK;
}

/* Appends code point cp to buf as UTF-8; 0 when there is no room. */
static int put_utf8(char *buf, int *n, int cap, unsigned long cp)
{
    unsigned char b[4];
    int len;
    if (cp < 0x80) {
        b[0] = (unsigned char)cp;
        len = 1;
    } else if (cp < 0x800) {
        b[0] = (unsigned char)(0xC0 | (cp >> 6));
        b[1] = (unsigned char)(0x80 | (cp & 0x3F));
        len = 2;
    } else if (cp < 0x10000) {
        b[0] = (unsigned char)(0xE0 | (cp >> 12));
        b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (unsigned char)(0x80 | (cp & 0x3F));
        len = 3;
    } else {
        b[0] = (unsigned char)(0xF0 | (cp >> 18));
        b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
        b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        b[3] = (unsigned char)(0x80 | (cp & 0x3F));
        len = 4;
    }
    if (*n + len >= cap)
        return 0;
    memcpy(buf + *n, b, (size_t)len);
    *n += len;
    return 1;
}

/* Reads `digits` digits in `base` at lx->at into *cp; 0 when they are not there. */
static int escape_digits(struct expr_lexer *lx, int digits, int base, unsigned long *cp)
{
    *cp = 0;
    for (int i = 0; i < digits; i++) {
        if (lx->at >= lx->len)
            return 0;
        int c = (unsigned char)lx->src[lx->at];
        int d = is_digit(c) ? c - '0' : is_hex(c) ? (c | 0x20) - 'a' + 10 : 99;
        if (d >= base)
            return 0;
        *cp = *cp * (unsigned long)base + (unsigned long)d;
        lx->at++;
    }
    return 1;
}

/* Reads one escape after its backslash (at `at`) into *cp. */
static int lex_escape(struct expr_lexer *lx, int at, unsigned long *cp, struct error *err)
{
    char e = lx->src[lx->at++];
    switch (e) {
    case '\\':
    case '"':
    case '\'':
    case '?':
    case '`':
        *cp = (unsigned char)e;
        break;
    case 'a':
        *cp = '\a';
        break;
    case 'b':
        *cp = '\b';
        break;
    case 'f':
        *cp = '\f';
        break;
    case 'n':
        *cp = '\n';
        break;
    case 'r':
        *cp = '\r';
        break;
    case 't':
        *cp = '\t';
        break;
    case 'v':
        *cp = '\v';
        break;
    case 'x':
    case 'X':
        if (!escape_digits(lx, 2, 16, cp))
            return expr_error_at(err, lx->pos, lx->src, at, "\\x takes 2 hex digits");
        break;
    case 'u':
    case 'U':
        if (!escape_digits(lx, e == 'u' ? 4 : 8, 16, cp))
            return expr_error_at(err, lx->pos, lx->src, at, "\\%c takes %d hex digits", e,
                                 e == 'u' ? 4 : 8);
        if (*cp > 0x10FFFF || (*cp >= 0xD800 && *cp <= 0xDFFF))
            return expr_error_at(err, lx->pos, lx->src, at,
                                 "\\%c escape is not a Unicode character", e);
        break;
    default:
        if (e >= '0' && e <= '3') {
            lx->at--;
            if (escape_digits(lx, 3, 8, cp))
                break;
        }
        return expr_error_at(err, lx->pos, lx->src, at,
                             "unknown escape \\%c: use \\\\, \\\", \\', \\n, \\t, \\r, \\xHH, "
                             "\\uHHHH or another of CEL's",
                             e);
    }
    if (*cp == 0)
        return expr_error_at(err, lx->pos, lx->src, at,
                             "a NUL character cannot be part of a string");
    return SP_OK;
}

/* 1 if the string's closing quote (one, or three for a triple-quoted string) is at lx->at. */
static int at_close(const struct expr_lexer *lx, char quote, int triple)
{
    if (lx->src[lx->at] != quote)
        return 0;
    return !triple ||
           (lx->at + 2 < lx->len && lx->src[lx->at + 1] == quote && lx->src[lx->at + 2] == quote);
}

/*
 * A string as CEL writes it: '...' or "..." on one line, '''...''' or """...""" over lines,
 * raw (r"...": no escapes) or not. Escapes: \\ \? \" \' \` \a \b \f \n \r \t \v, \xHH and
 * octal \NNN (code points up to 255), \uHHHH and \UHHHHHHHH. A NUL character cannot be held
 * (strings are C strings here) and is refused.
 */
static int lex_string(struct expr_lexer *lx, struct expr_token *out, struct error *err, int raw)
{
    int start = lx->at - raw;
    char quote = lx->src[lx->at];
    int triple =
        lx->at + 2 < lx->len && lx->src[lx->at + 1] == quote && lx->src[lx->at + 2] == quote;
    lx->at += triple ? 3 : 1;
    char buf[EXPR_STRING_MAX];
    int n = 0;
    for (;;) {
        if (lx->at >= lx->len || (!triple && (lx->src[lx->at] == '\n' || lx->src[lx->at] == '\r')))
            return expr_error_at(
                err, lx->pos, lx->src, start, "unterminated string: close it with %s%s%s",
                quote == '"' ? "\"" : "'", triple ? (quote == '"' ? "\"" : "'") : "",
                triple ? (quote == '"' ? "\"" : "'") : "");
        if (at_close(lx, quote, triple)) {
            lx->at += triple ? 3 : 1;
            break;
        }
        char c = lx->src[lx->at++];
        int fits;
        if (c == '\\' && !raw && lx->at < lx->len) {
            unsigned long cp = 0;
            int rc = lex_escape(lx, lx->at - 1, &cp, err);
            if (rc != SP_OK)
                return rc;
            fits = put_utf8(buf, &n, (int)sizeof buf, cp);
        } else {
            if (c == '\0')
                return expr_error_at(err, lx->pos, lx->src, lx->at - 1,
                                     "a NUL character cannot be part of a string");
            fits = n + 1 < (int)sizeof buf;
            if (fits)
                buf[n++] = c;
        }
        if (!fits)
            return expr_error_at(err, lx->pos, lx->src, start, "string longer than %d bytes",
                                 EXPR_STRING_MAX - 1);
    }
    if (!text_is_utf8(buf, (size_t)n))
        return expr_error_at(err, lx->pos, lx->src, start, "string is not valid UTF-8");
    out->kind = T_STR;
    out->start = start;
    out->end = lx->at;
    out->text = expr_pool_strndup(lx->pool, buf, (size_t)n);
    return out->text ? SP_OK : error_nomem(err);
}

static int lex_ident(struct expr_lexer *lx, struct expr_token *out, struct error *err)
{
    int start = lx->at;
    while (lx->at < lx->len && (is_ident_start(lx->src[lx->at]) || is_digit(lx->src[lx->at])))
        lx->at++;
    int n = lx->at - start;
    out->start = start;
    out->end = lx->at;
    const char *s = lx->src + start;
    if (n == 4 && memcmp(s, "true", 4) == 0) {
        out->kind = T_TRUE;
        return SP_OK;
    }
    if (n == 5 && memcmp(s, "false", 5) == 0) {
        out->kind = T_FALSE;
        return SP_OK;
    }
    if (n == 2 && memcmp(s, "in", 2) == 0) {
        out->kind = T_IN;
        return SP_OK;
    }
    if (n == 4 && memcmp(s, "null", 4) == 0)
        return expr_error_at(err, lx->pos, lx->src, start,
                             "null is not part of spfloor's subset of CEL: a fact that is not "
                             "given is tested with has()");
    if (n > 64)
        return expr_error_at(err, lx->pos, lx->src, start, "name longer than 64 characters");
    out->kind = T_IDENT;
    out->text = expr_pool_strndup(lx->pool, s, (size_t)n);
    return out->text ? SP_OK : error_nomem(err);
}

/* Two-character operators first, then one-character ones. */
static const struct {
    const char *text;
    enum expr_tok kind;
} operators[] = {
    {"&&", T_AND},  {"||", T_OR},     {"==", T_EQ},    {"!=", T_NE},    {"<=", T_LE},
    {">=", T_GE},   {"(", T_LPAREN},  {")", T_RPAREN}, {"[", T_LBRACK}, {"]", T_RBRACK},
    {",", T_COMMA}, {".", T_DOT},     {"?", T_QUEST},  {":", T_COLON},  {"!", T_NOT},
    {"<", T_LT},    {">", T_GT},      {"+", T_PLUS},   {"-", T_MINUS},  {"*", T_STAR},
    {"/", T_SLASH}, {"%", T_PERCENT},
};

int expr_lex_next(struct expr_lexer *lx, struct expr_token *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    for (;;) {
        while (lx->at < lx->len && (lx->src[lx->at] == ' ' || lx->src[lx->at] == '\t' ||
                                    lx->src[lx->at] == '\n' || lx->src[lx->at] == '\r'))
            lx->at++;
        /* CEL comments run from // to the end of the line. */
        if (lx->at + 1 < lx->len && lx->src[lx->at] == '/' && lx->src[lx->at + 1] == '/') {
            while (lx->at < lx->len && lx->src[lx->at] != '\n')
                lx->at++;
            continue;
        }
        break;
    }
    if (lx->at >= lx->len) {
        out->kind = T_END;
        out->start = out->end = lx->len;
        return SP_OK;
    }
    char c = lx->src[lx->at];
    if (is_digit(c))
        return lex_number(lx, out, err);
    if (c == '"' || c == '\'')
        return lex_string(lx, out, err, 0);
    char next = lx->at + 1 < lx->len ? lx->src[lx->at + 1] : '\0';
    if ((c == 'r' || c == 'R') && (next == '"' || next == '\'')) {
        lx->at++;
        return lex_string(lx, out, err, 1);
    }
    char third = lx->at + 2 < lx->len ? lx->src[lx->at + 2] : '\0';
    int quoted = next == '"' || next == '\'';
    int quoted2 = third == '"' || third == '\'';
    if (((c == 'b' || c == 'B') && (quoted || ((next == 'r' || next == 'R') && quoted2))) ||
        ((c == 'r' || c == 'R') && (next == 'b' || next == 'B') && quoted2))
        return expr_error_at(err, lx->pos, lx->src, lx->at,
                             "bytes literals (b\"...\") are not part of spfloor's subset of CEL");
    if (is_ident_start(c))
        return lex_ident(lx, out, err);
    for (size_t i = 0; i < sizeof operators / sizeof operators[0]; i++) {
        size_t n = strlen(operators[i].text);
        if ((size_t)(lx->len - lx->at) >= n &&
            memcmp(lx->src + lx->at, operators[i].text, n) == 0) {
            out->kind = operators[i].kind;
            out->start = lx->at;
            lx->at += (int)n;
            out->end = lx->at;
            return SP_OK;
        }
    }
    if (c == '=')
        return expr_error_at(err, lx->pos, lx->src, lx->at, "unexpected '=': compare with ==");
    if (c == '&' || c == '|')
        return expr_error_at(err, lx->pos, lx->src, lx->at, "unexpected '%c': use %c%c", c, c, c);
    if ((unsigned char)c >= 0x20 && (unsigned char)c < 0x7f)
        return expr_error_at(err, lx->pos, lx->src, lx->at, "unexpected character '%c'", c);
    return expr_error_at(err, lx->pos, lx->src, lx->at, "unexpected byte 0x%02x", (unsigned char)c);
}
