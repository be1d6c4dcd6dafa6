/*
 * expr-micro: block-execution speed of the expression engine, in ns per person.
 *
 *   build/expr-micro [PERSONS] [DISTINCT] [EXPRESSION ...]
 *
 * Compiles a typical scheme's expressions (a named age, three eligibility conditions with
 * parameters, an `in` over a parameter list and a money amount with rounding), binds them, and
 * runs them over PERSONS persons (default 10,000,000) in blocks of EXPR_BLOCK, cycling over
 * DISTINCT generated persons (default 200,000, so the facts do not fit in cache). Expressions
 * given on the command line replace the default set. Prints a summary and a RESULT line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "rules/expr.h"
#include "rules/param.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static uint64_t rng = 88172645463325252u;

static uint64_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int define(struct param_set *ps, const char *path, enum param_kind kind, int64_t number,
                  const char *const *items, int n_items, struct error *err)
{
    struct param *p;
    int rc = param_set_define(ps, path, kind, kind == PARAM_MONEY ? "NPR" : NULL, "", "", "bench",
                              1, &p, err);
    struct param_value v;
    memset(&v, 0, sizeof v);
    date_parse("2016-07-16", &v.since, err);
    v.is_set = 1;
    v.number = number;
    v.reference = "bench";
    v.items = items;
    v.n_items = n_items;
    return rc == SP_OK ? param_add_value(ps, p, &v, err) : rc;
}

static const char *const exprs[][2] = {
    {"age", "age_years(birth_date)"},
    {NULL, "age >= params.senior_age"},
    {NULL, "sex == \"female\" && marital_status in [\"widowed\", \"divorced\", \"separated\"]"},
    {NULL, "admin2 in params.districts || \"dalit\" in groups"},
    {NULL, "round(min(monthly_wage, params.cap) * params.rate, \"1.00\", \"half_up\")"},
};

int main(int argc, char **argv)
{
    long long persons = 10000000, distinct = 200000;
    if ((argc > 1 && !text_parse_int64(argv[1], &persons)) ||
        (argc > 2 && !text_parse_int64(argv[2], &distinct)) || persons < 1 || distinct < 1 ||
        distinct > 100000000) {
        fprintf(stderr, "usage: expr-micro [PERSONS [DISTINCT]]\n");
        return 1;
    }
    struct error err;
    error_init(&err);
    struct param_set *ps = NULL;
    static const char *const districts[] = {"Jumla", "Humla", "Mugu", "Kalikot", "Dolpa"};
    if (param_set_new(&ps, &err) != SP_OK ||
        define(ps, "np.ssa.senior_age", PARAM_INT, 68, NULL, 0, &err) != SP_OK ||
        define(ps, "np.ssa.districts", PARAM_LIST, 0, districts, 5, &err) != SP_OK ||
        define(ps, "np.ssa.cap", PARAM_MONEY, 2000000, NULL, 0, &err) != SP_OK ||
        define(ps, "np.ssa.rate", PARAM_DECIMAL, 110000, NULL, 0, &err) != SP_OK) {
        fprintf(stderr, "expr-micro: %s\n", err.message);
        return 1;
    }
    struct expr_scope scope;
    memset(&scope, 0, sizeof scope);
    scope.params = ps;
    scope.param_namespace = "np.ssa";
    scope.currency = "NPR";
    scope.scheme_id = "np.ssa.bench";
    struct expr_unit *u = NULL;
    struct expr_bound *b = NULL;
    struct expr_scratch *s = NULL;
    int n_exprs = argc > 3 ? argc - 3 : (int)(sizeof exprs / sizeof exprs[0]);
    int rc = expr_unit_new(&scope, &u, &err);
    for (int i = 0; rc == SP_OK && i < n_exprs; i++) {
        struct expr_pos pos = {"bench", 1, 1};
        int index;
        if (argc > 3)
            rc = expr_unit_add(u, NULL, argv[3 + i], pos, NULL, &index, &err);
        else
            rc = expr_unit_add(u, exprs[i][0], exprs[i][1], pos, NULL, &index, &err);
    }
    int32_t as_of;
    date_parse("2025-01-15", &as_of, &err);
    if (rc == SP_OK)
        rc = expr_unit_bind(u, as_of, &b, &err);
    if (rc == SP_OK)
        rc = expr_scratch_new(u, &s, &err);
    struct person *pop = sp_calloc((size_t)distinct, sizeof *pop);
    const struct person **ptrs = sp_calloc((size_t)distinct, sizeof *ptrs);
    struct expr_column *cols = sp_calloc((size_t)n_exprs, sizeof *cols);
    if (rc != SP_OK || pop == NULL || ptrs == NULL || cols == NULL) {
        fprintf(stderr, "expr-micro: %s\n", err.message[0] ? err.message : "out of memory");
        return 1;
    }
    static const char *const places[] = {"Jumla", "Kathmandu", "Kaski", "Morang", "Humla"};
    for (long long i = 0; i < distinct; i++) {
        struct person *p = &pop[i];
        p->birth_date = rnd() % 12 == 0 ? DATE_NONE : (int32_t)(-15000 + (int)(rnd() % 30000));
        p->employment_start = DATE_NONE;
        p->living_children = -1;
        p->sex = (uint8_t)(rnd() % 3);
        p->marital_status = (uint8_t)(rnd() % 6);
        snprintf(p->admin2, sizeof p->admin2, "%s", places[rnd() % 5]);
        snprintf(p->groups, sizeof p->groups, "%s", rnd() % 4 ? "" : "dalit");
        p->monthly_wage.minor = (int64_t)(rnd() % 5000000);
        memcpy(p->monthly_wage.currency, "NPR", 4);
        ptrs[i] = p;
    }
    long eligible = 0;
    double start = now();
    for (long long done = 0; done < persons;) {
        int at = (int)(done % distinct);
        int n = EXPR_BLOCK;
        if (n > distinct - at)
            n = distinct - at;
        if (n > persons - done)
            n = (int)(persons - done);
        if (expr_run_block(b, s, ptrs + at, NULL, n, cols, &err) != SP_OK) {
            fprintf(stderr, "expr-micro: %s\n", err.message);
            return 1;
        }
        for (int i = 0; i < n; i++)
            eligible += cols[n_exprs > 1].state[i] == EXPR_OK && cols[n_exprs > 1].value[i];
        done += n;
    }
    double secs = now() - start;
    double ns = secs * 1e9 / (double)persons;
    printf("%lld persons, %d expressions: %.3f s, %.1f ns/person (%.1f ns per expression), "
           "%ld eligible by age\n",
           persons, n_exprs, secs, ns, ns / n_exprs, eligible);
    printf("RESULT expr_micro persons=%lld ns_per_person=%.1f ns_per_expression=%.1f\n", persons,
           ns, ns / n_exprs);
    sp_free(cols);
    sp_free(ptrs);
    sp_free(pop);
    expr_scratch_free(s);
    expr_bound_free(b);
    expr_unit_free(u);
    param_set_free(ps);
    return 0;
}
