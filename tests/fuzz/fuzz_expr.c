/*
 * fuzz_expr: compiles arbitrary bytes as an expression against a small fixed scope; when it
 * compiles, binds it on two dates and runs it on a few fixed persons both ways (block and
 * traced), aborting if they disagree, and explains it. Must never crash or leak.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "rules/expr.h"
#include "rules/param.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define N_PERSONS 4

static struct param_set *params;
static struct expr_scope scope;
static struct expr_fact_decl extra[2];
static struct expr_grandfather gf[1];
static struct person persons[N_PERSONS];
static struct person_history histories[N_PERSONS];
static struct contribution rows[3];
static struct life_event events[2];
static struct enrolment enrolments[1];
static const struct person *members[N_PERSONS];

static int32_t day(const char *text)
{
    int32_t d = 0;
    date_parse(text, &d, NULL);
    return d;
}

static void define(const char *path, enum param_kind kind, const char *currency, int is_set,
                   int64_t number, const char *const *items, int n_items,
                   const struct param_bracket *brackets, int n_brackets)
{
    struct param *p;
    if (param_set_define(params, path, kind, currency, "", "", "fuzz.yaml", 1, &p, NULL) != SP_OK)
        abort();
    struct param_value v;
    memset(&v, 0, sizeof v);
    v.since = day("2016-07-16");
    v.reference = "fuzz";
    v.is_set = is_set;
    v.number = number;
    v.items = items;
    v.n_items = n_items;
    v.brackets = brackets;
    v.n_brackets = n_brackets;
    if (param_add_value(params, p, &v, NULL) != SP_OK)
        abort();
    v.since = day("2022-07-17");
    v.number = number + 1;
    if (param_add_value(params, p, &v, NULL) != SP_OK)
        abort();
}

static void setup(void)
{
    static const char *const districts[] = {"Jumla", "Humla"};
    static const struct param_bracket tax[] = {{0, 0}, {500000, 100000}};
    static const struct param_bracket risk[] = {{1000000, 2400}, {2000000, 5400}};
    if (param_set_new(&params, NULL) != SP_OK)
        abort();
    define("np.ssa.senior_age", PARAM_INT, NULL, 1, 68, NULL, 0, NULL, 0);
    define("np.ssa.allowance", PARAM_MONEY, "NPR", 1, 400000, NULL, 0, NULL, 0);
    define("np.ssa.rate", PARAM_DECIMAL, NULL, 1, 110000, NULL, 0, NULL, 0);
    define("np.ssa.unset", PARAM_DECIMAL, NULL, 0, 0, NULL, 0, NULL, 0);
    define("np.ssa.districts", PARAM_LIST, NULL, 1, 0, districts, 2, NULL, 0);
    define("np.ssa.start", PARAM_DATE, NULL, 1, day("2020-01-01"), NULL, 0, NULL, 0);
    define("np.ssa.flag", PARAM_BOOL, NULL, 1, 0, NULL, 0, NULL, 0);
    define("np.ssa.tax", PARAM_SCALE, "NPR", 1, 0, NULL, 0, tax, 2);
    define("np.ssa.risk", PARAM_SCALE, NULL, 1, 0, NULL, 0, risk, 2);
    extra[0].name = "risk_class";
    extra[0].type.kind = EXPR_INT;
    extra[1].name = "harvest";
    extra[1].type.kind = EXPR_MONEY;
    memcpy(extra[1].type.currency, "NPR", 4);
    gf[0].path = "np.ssa.senior_age";
    gf[0].enrolled_before = day("2022-07-17");
    gf[0].keep_as_of = day("2022-07-16");
    scope.params = params;
    scope.param_namespace = "np.ssa";
    scope.currency = "NPR";
    scope.rounding = ROUND_HALF_UP;
    scope.scheme_id = "np.ssa.senior";
    scope.extra_facts = extra;
    scope.n_extra_facts = 2;
    scope.grandfathers = gf;
    scope.n_grandfathers = 1;
    for (int i = 0; i < N_PERSONS; i++) {
        struct person *p = &persons[i];
        memset(p, 0, sizeof *p);
        p->birth_date = DATE_NONE;
        p->employment_start = DATE_NONE;
        p->living_children = -1;
        members[i] = p;
    }
    persons[0].birth_date = day("1952-02-29");
    persons[0].sex = SEX_FEMALE;
    persons[0].relationship = RELATIONSHIP_HEAD;
    memcpy(persons[0].admin2, "Jumla", 6);
    memcpy(persons[0].groups, "dalit;solo_parent", 18);
    persons[0].monthly_wage.minor = INT64_MAX;
    memcpy(persons[0].monthly_wage.currency, "NPR", 4);
    persons[0].income_tax_payer = TRISTATE_TRUE;
    memcpy(persons[0].extra[0].name, "risk_class", 11);
    memcpy(persons[0].extra[0].value, "2", 2);
    persons[0].n_extra = 1;
    persons[1].birth_date = day("2021-06-30");
    persons[1].relationship = RELATIONSHIP_CHILD;
    persons[1].living_children = 0;
    persons[1].monthly_wage.minor = -5;
    memcpy(persons[1].monthly_wage.currency, "PHP", 4);
    memcpy(persons[1].extra[0].name, "harvest", 8);
    memcpy(persons[1].extra[0].value, "12.345", 7);
    persons[1].n_extra = 1;
    persons[2].sex = SEX_MALE;
    persons[2].worker_category = WORKER_MIGRANT;
    persons[2].monthly_wage.minor = 2500000;
    memcpy(persons[2].monthly_wage.currency, "NPR", 4);
    for (int k = 0; k < 3; k++) {
        memset(&rows[k], 0, sizeof rows[k]);
        memcpy(rows[k].scheme, "np.ssa.senior", 14);
        rows[k].month = (2023 - 1970) * 12 + 3 * k;
        rows[k].wage.minor = 100000 * (k + 1);
        memcpy(rows[k].wage.currency, "NPR", 4);
    }
    events[0].type = EVENT_BIRTH;
    events[0].date = day("2024-01-10");
    events[1].type = EVENT_DEPARTURE;
    events[1].date = day("2023-05-01");
    events[1].contract_months = 24;
    memcpy(enrolments[0].scheme, "np.ssa.senior", 14);
    enrolments[0].from = day("2021-01-01");
    enrolments[0].to = DATE_NONE;
    histories[0].contributions = rows;
    histories[0].n_contributions = 3;
    histories[0].events = events;
    histories[0].n_events = 2;
    histories[0].enrolments = enrolments;
    histories[0].n_enrolments = 1;
    histories[0].members = members;
    histories[0].n_members = 3;
    histories[2].members = members + 2;
    histories[2].n_members = 2;
}

static void run(struct expr_unit *u, int32_t as_of)
{
    struct error err;
    error_init(&err);
    struct expr_bound *b = NULL;
    struct expr_scratch *s = NULL;
    static struct expr_column cols[2];
    if (expr_unit_bind(u, as_of, &b, &err) != SP_OK || expr_scratch_new(u, &s, &err) != SP_OK)
        goto out;
    const struct person *pp[N_PERSONS];
    const struct person_history *hp[N_PERSONS];
    for (int i = 0; i < N_PERSONS; i++) {
        pp[i] = &persons[i];
        hp[i] = i == 3 ? NULL : &histories[i];
    }
    if (expr_run_block(b, s, pp, hp, N_PERSONS, cols, &err) != SP_OK)
        goto out;
    int n = expr_unit_count(u);
    for (int i = 0; i < N_PERSONS; i++) {
        struct expr_value v[2];
        if (expr_run_traced(b, s, pp[i], hp[i], v, &err) != SP_OK)
            goto out;
        for (int k = 0; k < n; k++) {
            if (v[k].state != cols[k].state[i] || v[k].value != cols[k].value[i])
                abort(); /* the two ways of running disagree */
            if (v[k].state == EXPR_OK && expr_unit_type(u, k).kind == EXPR_STRING &&
                strcmp(v[k].text ? v[k].text : "", cols[k].text[i] ? cols[k].text[i] : "") != 0)
                abort();
            char text[64];
            expr_format_value(expr_unit_type(u, k), v[k].value, v[k].text, text, sizeof text);
        }
        struct buf out;
        buf_init(&out, 1 << 16);
        expr_explain(b, s, pp[i], hp[i], n - 1, &out, &err);
        buf_release(&out);
    }
out:
    expr_scratch_free(s);
    expr_bound_free(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (params == NULL)
        setup();
    if (size > 4096)
        return 0;
    char *source = sp_malloc(size + 1);
    if (source == NULL)
        return 0;
    memcpy(source, data, size);
    source[size] = '\0';
    struct expr_unit *u = NULL;
    struct error err;
    error_init(&err);
    struct expr_pos pos = {"fuzz.yaml", 1, 1};
    int index;
    if (expr_unit_new(&scope, &u, &err) == SP_OK &&
        expr_unit_add(u, "age", "age_years(birth_date)", pos, NULL, &index, &err) == SP_OK &&
        expr_unit_add(u, NULL, source, pos, NULL, &index, &err) == SP_OK) {
        run(u, day("2022-07-16"));
        run(u, day("2025-02-28"));
    }
    expr_unit_free(u);
    sp_free(source);
    return 0;
}
