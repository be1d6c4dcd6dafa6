/*
 * expr_regex.c: CEL's matches() with PCRE2, limited to the syntax RE2 (CEL's regular
 * expressions) shares with it, and bounded in time.
 *
 * A pattern must be a constant; it is checked and compiled when the scheme loads. Constructs
 * RE2 lacks (backreferences, lookaround, atomic groups, possessive quantifiers, recursion,
 * conditionals, \K, \R, \X, \h, \Z, \C, verbs) are refused there, so that a pattern that loads
 * means what it means in CEL. Matching is unanchored, as RE2's PartialMatch; \d, \w and \s
 * are ASCII, as in RE2. Each match is bounded (EXPR_REGEX_MATCH_LIMIT backtracking steps, and
 * a depth and heap limit): a match that passes them fails, a run-time failure, never a wrong
 * answer. Compiled patterns belong to the unit and are freed with it.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#undef EXPR_NEST_MAX /* POSIX's, from <limits.h> through pcre2.h: expr_impl.h has its own */
#include "rules/expr_impl.h"

#define EXPR_REGEX_MATCH_LIMIT 100000 /* backtracking steps of one match */
#define EXPR_REGEX_DEPTH_LIMIT 1000
#define EXPR_REGEX_HEAP_LIMIT  1024 /* KiB */

static void *re_malloc(size_t size, void *data)
{
    (void)data;
    return sp_malloc(size);
}

static void re_free(void *ptr, void *data)
{
    (void)data;
    sp_free(ptr);
}

/* The first construct of pattern that RE2 lacks: its offset, with a name for it in *what. */
static int re2_gap(const char *p, const char **what)
{
    static const char escapes[] = "123456789gkKRXhHVNCZ";
    int in_class = 0;
    for (int i = 0; p[i]; i++) {
        char c = p[i];
        if (c == '\\' && p[i + 1] != '\0') {
            if (p[i + 1] == 'Q') { /* \Q...\E quotes */
                const char *e = strstr(p + i + 2, "\\E");
                if (e == NULL)
                    return -1;
                i = (int)(e - p) + 1;
                continue;
            }
            if (strchr(escapes, p[i + 1]) != NULL && !(in_class && p[i + 1] == 'h')) {
                *what = "this escape (backreferences, \\K, \\R, \\X, \\h, \\Z, \\C ...)";
                return i;
            }
            i++;
            continue;
        }
        if (in_class) {
            if (c == ']')
                in_class = 0;
            continue;
        }
        if (c == '[') {
            in_class = 1;
            if (p[i + 1] == '^')
                i++;
            if (p[i + 1] == ']')
                i++; /* a ] first in a class is a character */
            continue;
        }
        if (c == '(' && p[i + 1] == '*') {
            *what = "a backtracking verb (*...)";
            return i;
        }
        if (c == '(' && p[i + 1] == '?') {
            const char *q = p + i + 2;
            if (*q == '=' || *q == '!' || *q == '>' || *q == '(' || *q == 'R' || *q == '&' ||
                *q == 'C' || *q == '|' || (*q >= '0' && *q <= '9') || *q == '+' ||
                (*q == '<' && (q[1] == '=' || q[1] == '!')) || (*q == 'P' && q[1] == '>')) {
                *what = "this group (lookaround, atomic, recursive or conditional)";
                return i;
            }
            i++; /* the ? is not a quantifier */
            continue;
        }
        if ((c == '*' || c == '+' || c == '?' || c == '}') && p[i + 1] == '+') {
            *what = "a possessive quantifier";
            return i + 1;
        }
    }
    return -1;
}

int expr_regex_compile(struct expr_unit *u, const char *pattern, const void **out, char *why,
                       size_t size, int *offset)
{
    *out = NULL;
    *offset = 0;
    const char *what = NULL;
    int gap = re2_gap(pattern, &what);
    if (gap >= 0) {
        *offset = gap;
        snprintf(why, size, "%s is not part of CEL's regular expressions (RE2)", what);
        return SP_BAD_INPUT;
    }
    if (u->re_general == NULL) {
        u->re_general = pcre2_general_context_create(re_malloc, re_free, NULL);
        pcre2_compile_context *cc =
            u->re_general ? pcre2_compile_context_create(u->re_general) : NULL;
        pcre2_match_context *mc = u->re_general ? pcre2_match_context_create(u->re_general) : NULL;
        u->re_compile = cc;
        u->re_match = mc;
        if (cc == NULL || mc == NULL) {
            snprintf(why, size, "out of memory");
            return SP_IO;
        }
        pcre2_set_match_limit(mc, EXPR_REGEX_MATCH_LIMIT);
        pcre2_set_depth_limit(mc, EXPR_REGEX_DEPTH_LIMIT);
        pcre2_set_heap_limit(mc, EXPR_REGEX_HEAP_LIMIT);
    }
    void **grown = sp_reallocarray(u->regexes, (size_t)u->n_regexes + 1, sizeof *grown);
    if (grown == NULL) {
        snprintf(why, size, "out of memory");
        return SP_IO;
    }
    u->regexes = grown;
    int code;
    PCRE2_SIZE at;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C, &code, &at, u->re_compile);
    if (re == NULL) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(code, message, sizeof message);
        *offset = (int)at;
        snprintf(why, size, "bad regular expression: %s", (const char *)message);
        return code == PCRE2_ERROR_NOMEMORY ? SP_IO : SP_BAD_INPUT;
    }
    u->regexes[u->n_regexes++] = re;
    *out = re;
    return SP_OK;
}

uint8_t expr_regex_match(const struct expr_unit *u, const void *re, const char *text, int64_t *out)
{
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, u->re_general);
    if (md == NULL)
        return EXPR_FAILED;
    int rc = pcre2_match(re, (PCRE2_SPTR)text, PCRE2_ZERO_TERMINATED, 0, 0, md, u->re_match);
    pcre2_match_data_free(md);
    if (rc >= 0 || rc == PCRE2_ERROR_NOMATCH) {
        *out = rc >= 0;
        return EXPR_OK;
    }
    return EXPR_FAILED; /* a limit passed, or no memory */
}

void expr_regex_free_all(struct expr_unit *u)
{
    for (int i = 0; i < u->n_regexes; i++)
        pcre2_code_free(u->regexes[i]);
    sp_free(u->regexes);
    pcre2_match_context_free(u->re_match);
    pcre2_compile_context_free(u->re_compile);
    pcre2_general_context_free(u->re_general);
}
