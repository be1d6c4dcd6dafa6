/*
 * cel_conformance: runs CEL's own conformance suite (the npm package @bufbuild/cel-spec, dumped
 * to JSON by scripts/cel-conformance-dump.js) through spfloor's expression compiler, the path a
 * scheme's expressions take (expr_unit_add, expr_unit_bind, the block runner and the traced
 * interpreter), and checks the promise of docs/expressions.md: every expression spfloor
 * accepts means what it means in CEL, and every other one is refused when it loads, with a
 * position.
 *
 * Usage: cel_conformance CASES.json FLOOR [-v]
 *
 * Each case is one of:
 *   excluded   it needs what spfloor's expressions cannot be given: protobuf messages
 *              (TestAllTypes, enums, a container), or variables bound to values other than
 *              bool, int and string (which become the scheme's extra facts, with defaults);
 *   outside    refused at load with "file:line:col: ..." (outside the subset);
 *   passed     accepted, and the value (or the error) is CEL's, in both ways of running;
 *   failed     accepted with another value, or another state, or refused without a position.
 * Prints the failures, then `N passed, N failed, N outside the subset` (and the excluded
 * count). Exits 1 when any case failed or fewer than FLOOR passed; 2 on bad usage or input.
 * -v also lists each refusal with its message (to see what the subset lacks).
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/error.h"
#include "base/money.h"
#include "rules/expr.h"

#define MAX_BINDINGS 8

struct tally {
    int passed, failed, outside, excluded;
    int verbose;
};

/* 1 if the JSON text of v mentions what only protobuf messages have. */
static int needs_messages(json_t *c)
{
    char *text = json_dumps(c, JSON_COMPACT);
    if (text == NULL)
        return 1;
    static const char *const marks[] = {"objectValue",        "messageType", "enumValue",
                                        "google.protobuf",    "cel.expr.",   "TestAllTypes",
                                        "NestedTestAllTypes", "proto2",      "proto3"};
    int found = 0;
    for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
        found |= strstr(text, marks[i]) != NULL;
    free(text);
    return found;
}

struct binding {
    char name[64];
    char text[256];
    struct expr_type type;
};

/* Reads the case's bindings into b (bool, int and string only); -1 when one cannot be mapped. */
static int read_bindings(json_t *c, struct binding *b)
{
    json_t *bindings = json_object_get(c, "bindings");
    if (bindings == NULL)
        return 0;
    int n = 0;
    const char *name;
    json_t *v;
    json_object_foreach(bindings, name, v)
    {
        json_t *value = json_object_get(v, "value");
        if (n == MAX_BINDINGS || value == NULL || strlen(name) >= sizeof b[n].name)
            return -1;
        memset(&b[n], 0, sizeof b[n]);
        snprintf(b[n].name, sizeof b[n].name, "%s", name);
        json_t *x;
        if ((x = json_object_get(value, "boolValue")) != NULL) {
            b[n].type.kind = EXPR_BOOL;
            snprintf(b[n].text, sizeof b[n].text, "%s", json_is_true(x) ? "true" : "false");
        } else if ((x = json_object_get(value, "int64Value")) != NULL && json_is_string(x)) {
            b[n].type.kind = EXPR_INT;
            snprintf(b[n].text, sizeof b[n].text, "%s", json_string_value(x));
        } else if ((x = json_object_get(value, "stringValue")) != NULL && json_is_string(x) &&
                   json_string_length(x) > 0 && json_string_length(x) < sizeof b[n].text &&
                   strchr(json_string_value(x), ';') == NULL) {
            b[n].type.kind = EXPR_STRING;
            snprintf(b[n].text, sizeof b[n].text, "%s", json_string_value(x));
        } else {
            return -1;
        }
        n++;
    }
    return n;
}

/* What CEL says: 'v' a value, 'e' an error. */
struct expected {
    char what;
    json_t *value;
};

static int expected_of(json_t *c, struct expected *e)
{
    if (json_object_get(c, "evalError") != NULL || json_object_get(c, "anyEvalErrors") != NULL) {
        e->what = 'e';
        e->value = NULL;
        return 1;
    }
    e->value = json_object_get(c, "value");
    if (e->value == NULL)
        e->value = json_object_get(c, "typedResult"); /* {result, deducedType} */
    if (e->value != NULL && json_object_get(e->value, "result") != NULL)
        e->value = json_object_get(e->value, "result");
    if (e->value == NULL) {
        /* a case with no value and no error: CEL's default is the value true */
        if (json_object_get(c, "checkOnly") != NULL)
            return 0;
        static json_t *truth = NULL;
        if (truth == NULL)
            truth = json_pack("{s:b}", "boolValue", 1);
        e->value = truth;
    }
    e->what = 'v';
    return 1;
}

/* 1 if the value we computed is CEL's expected value; writes what we got into got. */
static int same_value(struct expr_type t, struct expr_value v, json_t *want, char *got, size_t size)
{
    expr_format_value(t, v.value, v.text, got, size);
    json_t *x;
    if ((x = json_object_get(want, "boolValue")) != NULL)
        return t.kind == EXPR_BOOL && (v.value != 0) == json_is_true(x);
    if ((x = json_object_get(want, "int64Value")) != NULL) {
        long long n = json_is_string(x) ? strtoll(json_string_value(x), NULL, 10)
                                        : (long long)json_integer_value(x);
        return t.kind == EXPR_INT && v.value == n;
    }
    if ((x = json_object_get(want, "doubleValue")) != NULL) {
        if (!json_is_number(x))
            return 0; /* "NaN", "Infinity": no decimal holds them */
        double d = json_number_value(x);
        if (t.kind == EXPR_DECIMAL)
            return (double)v.value / (double)DECIMAL_SCALE == d;
        return 0;
    }
    if ((x = json_object_get(want, "stringValue")) != NULL)
        return t.kind == EXPR_STRING && v.text != NULL && strcmp(v.text, json_string_value(x)) == 0;
    return 0; /* lists, maps, uint, bytes, null, types: nothing spfloor gives is one of them */
}

/* Writes an item of an expected list as a CEL literal; 0 when it is of a kind spfloor lacks. */
static int literal(json_t *item, char *out, size_t size)
{
    json_t *x;
    if ((x = json_object_get(item, "int64Value")) != NULL && json_is_string(x))
        return snprintf(out, size, "%s", json_string_value(x)) < (int)size;
    if ((x = json_object_get(item, "boolValue")) != NULL)
        return snprintf(out, size, "%s", json_is_true(x) ? "true" : "false") < (int)size;
    if ((x = json_object_get(item, "doubleValue")) != NULL && json_is_number(x))
        return snprintf(out, size, "%.17e", json_number_value(x)) < (int)size;
    if ((x = json_object_get(item, "stringValue")) != NULL) {
        size_t n = 0;
        out[n++] = '"';
        for (const char *p = json_string_value(x); *p; p++) {
            if (n + 8 >= size || (unsigned char)*p < 0x20)
                return 0;
            if (*p == '"' || *p == '\\')
                out[n++] = '\\';
            out[n++] = *p;
        }
        out[n++] = '"';
        out[n] = '\0';
        return 1;
    }
    return 0;
}

/*
 * For a case whose value is a list: adds checks to u that the result (named cel_result) has
 * CEL's items, each as many times as CEL gives it (lists compare as multisets here: the
 * expressions a list comes from in the subset, literals, + and filter, keep their order). Puts
 * the index of each check into checks; returns their number, or -1 when one does not compile.
 */
static int list_checks(struct expr_unit *u, json_t *want, int *checks, int max)
{
    json_t *values = json_object_get(json_object_get(want, "listValue"), "values");
    size_t n = values ? json_array_size(values) : 0;
    char src[1200];
    struct expr_pos pos = {"check", 1, 1};
    struct error err;
    error_init(&err);
    int k = 0;
    snprintf(src, sizeof src, "size(cel_result) == %zu", n);
    if (expr_unit_add(u, NULL, src, pos, NULL, &checks[k++], &err) != SP_OK)
        return -1;
    for (size_t i = 0; i < n && k < max; i++) {
        char lit[1024];
        if (!literal(json_array_get(values, i), lit, sizeof lit))
            return -1;
        int times = 0;
        for (size_t j = 0; j < n; j++) {
            char other[1024];
            times +=
                literal(json_array_get(values, j), other, sizeof other) && strcmp(other, lit) == 0;
        }
        snprintf(src, sizeof src, "cel_result.count(x, x == %s) == %d", lit, times);
        if (expr_unit_add(u, NULL, src, pos, NULL, &checks[k++], &err) != SP_OK)
            return -1;
    }
    return k;
}

static void run_case(json_t *c, struct tally *t, const char *as_of_text)
{
    const char *name = json_string_value(json_object_get(c, "name"));
    const char *src = json_string_value(json_object_get(c, "expr"));
    struct expected want;
    struct binding b[MAX_BINDINGS];
    int n_b;
    if (src == NULL || name == NULL || json_object_get(c, "container") != NULL ||
        needs_messages(c) || !expected_of(c, &want) || (n_b = read_bindings(c, b)) < 0) {
        t->excluded++;
        return;
    }
    struct expr_fact_decl decls[MAX_BINDINGS];
    for (int i = 0; i < n_b; i++) {
        memset(&decls[i], 0, sizeof decls[i]);
        decls[i].name = b[i].name;
        decls[i].type = b[i].type;
        decls[i].default_value = b[i].text;
    }
    struct expr_scope scope;
    memset(&scope, 0, sizeof scope);
    scope.rounding = ROUND_HALF_UP;
    scope.extra_facts = decls;
    scope.n_extra_facts = n_b;
    struct error err;
    error_init(&err);
    struct expr_unit *u = NULL;
    struct expr_bound *bound = NULL;
    struct expr_scratch *s = NULL;
    if (expr_unit_new(&scope, &u, &err) != SP_OK) {
        fprintf(stderr, "cel_conformance: %s\n", err.message);
        exit(2);
    }
    struct expr_pos pos = {"case", 1, 1};
    int index;
    if (expr_unit_add(u, "cel_result", src, pos, NULL, &index, &err) != SP_OK) {
        if (strncmp(err.message, "case:", 5) == 0) {
            t->outside++;
            if (t->verbose)
                printf("outside %s: %s\n    %s\n", name, src, err.message);
        } else {
            t->failed++;
            printf("FAILED %s: %s\n    refused without a position: %s\n", name, src, err.message);
        }
        expr_unit_free(u);
        return;
    }
    int checks[64], n_checks = 0;
    int is_list = expr_unit_type(u, index).kind == EXPR_LIST && want.what == 'v' &&
                  json_object_get(want.value, "listValue") != NULL;
    if (is_list)
        n_checks = list_checks(u, want.value, checks, 64);
    int32_t as_of;
    if (date_parse(as_of_text, &as_of, &err) != SP_OK ||
        expr_unit_bind(u, as_of, &bound, &err) != SP_OK || expr_scratch_new(u, &s, &err) != SP_OK) {
        fprintf(stderr, "cel_conformance: %s: %s\n", name, err.message);
        exit(2);
    }
    struct person p;
    memset(&p, 0, sizeof p);
    snprintf(p.id, sizeof p.id, "p1");
    p.birth_date = DATE_NONE;
    p.employment_start = DATE_NONE;
    p.living_children = -1;
    struct expr_value traced[66];
    static struct expr_column block[66];
    const struct person *persons[1] = {&p};
    if (expr_run_traced(bound, s, &p, NULL, traced, &err) != SP_OK ||
        expr_run_block(bound, s, persons, NULL, 1, block, &err) != SP_OK) {
        fprintf(stderr, "cel_conformance: %s: %s\n", name, err.message);
        exit(2);
    }
    struct expr_type type = expr_unit_type(u, index);
    char got[256] = "";
    const char *why = NULL;
    if (traced[0].state != block->state[0] ||
        (traced[0].state == EXPR_OK && traced[0].value != block->value[0]))
        why = "the traced and the block runs disagree";
    else if (want.what == 'e' && traced[0].state != EXPR_FAILED)
        why = "CEL gives an error";
    else if (want.what == 'v' && traced[0].state != EXPR_OK)
        why = "CEL gives a value, spfloor a failure";
    else if (is_list && n_checks < 0)
        why = "the list's items cannot be written in the subset";
    else if (want.what == 'v' && !is_list &&
             !same_value(type, traced[0], want.value, got, sizeof got))
        why = "CEL gives another value";
    for (int i = 0; is_list && why == NULL && i < n_checks; i++) {
        expr_format_value(type, traced[0].value, NULL, got, sizeof got);
        if (traced[checks[i]].state != EXPR_OK || traced[checks[i]].value != 1)
            why = "CEL gives other items";
    }
    if (why == NULL) {
        t->passed++;
    } else {
        t->failed++;
        char *w = want.value ? json_dumps(want.value, JSON_COMPACT) : NULL;
        printf("FAILED %s: %s\n    %s: want %s, got %s (state %d)\n", name, src, why,
               w ? w : "an error", got, traced[0].state);
        free(w);
    }
    expr_scratch_free(s);
    expr_bound_free(bound);
    expr_unit_free(u);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: cel_conformance CASES.json FLOOR [-v]\n");
        return 2;
    }
    struct tally t;
    memset(&t, 0, sizeof t);
    t.verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    int floor = (int)strtol(argv[2], NULL, 10);
    json_error_t jerr;
    json_t *cases = json_load_file(argv[1], JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &jerr);
    if (cases == NULL || !json_is_array(cases)) {
        fprintf(stderr, "cel_conformance: %s:%d: %s\n", argv[1], jerr.line, jerr.text);
        return 2;
    }
    size_t i;
    json_t *c;
    json_array_foreach(cases, i, c) run_case(c, &t, "2025-01-15");
    printf("%d passed, %d failed, %d outside the subset (of %d cases that map onto spfloor's "
           "expressions; %d more need protobuf messages or other bindings and are excluded)\n",
           t.passed, t.failed, t.outside, t.passed + t.failed + t.outside, t.excluded);
    json_decref(cases);
    if (t.failed > 0)
        return 1;
    if (t.passed < floor) {
        printf("fewer than %d cases pass: the subset shrank\n", floor);
        return 1;
    }
    return 0;
}
