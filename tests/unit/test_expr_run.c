/*
 * Unit tests for running expressions: the traced interpreter and the block runner must give
 * the same (state, value) for every expression; parameters change on their dates; missing
 * facts follow three-valued logic; history helpers; explanations; a property test over random
 * populations; macros over large households answered from household plans agree with
 * visiting every member; a person whose run reaches the step budget or runs out of memory
 * stops alone.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "rules/expr.h"
#include "rules/fact_block.h"
#include "rules/expr_impl.h" /* EXPR_PLAN_MIN_MEMBERS */
#include "rules/param.h"
#include "support.h"

static void person_blank(struct person *p, const char *id)
{
    memset(p, 0, sizeof *p);
    snprintf(p->id, sizeof p->id, "%s", id);
    p->birth_date = DATE_NONE;
    p->employment_start = DATE_NONE;
    p->living_children = -1;
}

static void set_money(struct money *m, int64_t minor, const char *currency)
{
    m->minor = minor;
    snprintf(m->currency, sizeof m->currency, "%s", currency);
}

/* ---- fixture: parameters of a made-up Nepal scheme ---- */

struct fx {
    struct param_set *ps;
    struct expr_scope scope;
    struct expr_unit *u;
    struct expr_bound *b;
    struct expr_scratch *s;
    struct expr_grandfather gf[1];
    struct expr_fact_decl extra[3];
};

static struct param *define(struct fx *f, const char *path, enum param_kind kind,
                            const char *currency)
{
    struct param *p;
    struct error err;
    error_init(&err);
    assert_int_equal(
        param_set_define(f->ps, path, kind, currency, "", "", "params.yaml", 1, &p, &err), SP_OK);
    return p;
}

static void value(struct fx *f, struct param *p, const char *since, int is_set, int64_t number,
                  const char *reference)
{
    struct param_value v;
    memset(&v, 0, sizeof v);
    v.since = test_day(since);
    v.is_set = is_set;
    v.number = number;
    v.reference = reference;
    struct error err;
    error_init(&err);
    assert_int_equal(param_add_value(f->ps, p, &v, &err), SP_OK);
}

static void fx_init(struct fx *f)
{
    memset(f, 0, sizeof *f);
    struct error err;
    error_init(&err);
    assert_int_equal(param_set_new(&f->ps, &err), SP_OK);
    struct param *p = define(f, "np.ssa.senior_age", PARAM_INT, NULL);
    value(f, p, "2016-07-16", 1, 70, "FY 2073/74 budget");
    value(f, p, "2022-07-17", 1, 68, "FY 2079/80 budget speech");
    p = define(f, "np.ssa.allowance", PARAM_MONEY, "NPR");
    value(f, p, "2016-07-16", 1, 200000, "FY 2073/74 budget");
    value(f, p, "2023-07-17", 1, 400000, "FY 2080/81 budget");
    p = define(f, "np.ssa.karnali_districts", PARAM_LIST, NULL);
    value(f, p, "2016-07-16", 0, 0, "NOT CONFIRMED: list of districts");
    p = define(f, "np.ssa.districts", PARAM_LIST, NULL);
    struct param_value v;
    memset(&v, 0, sizeof v);
    static const char *const districts[] = {"Jumla", "Humla", "Mugu"};
    v.since = test_day("2016-07-16");
    v.is_set = 1;
    v.reference = "Local Government Operation Act";
    v.items = districts;
    v.n_items = 3;
    assert_int_equal(param_add_value(f->ps, p, &v, &err), SP_OK);
    p = define(f, "np.ssa.rate", PARAM_DECIMAL, NULL);
    value(f, p, "2016-07-16", 1, 110000, "SSA 2075 s.12");
    p = define(f, "np.ssa.wage_cap", PARAM_MONEY, "NPR");
    value(f, p, "2016-07-16", 1, 2000000, "SSA 2075 s.13");
    p = define(f, "np.ssa.min_months", PARAM_INT, NULL);
    value(f, p, "2016-07-16", 1, 3, "SSA 2075 s.14");
    p = define(f, "np.ssa.tax", PARAM_SCALE, "NPR");
    static const struct param_bracket tax[] = {{0, 0}, {500000, 100000}, {1000000, 200000}};
    memset(&v, 0, sizeof v);
    v.since = test_day("2016-07-16");
    v.is_set = 1;
    v.reference = "Income Tax Act";
    v.brackets = tax;
    v.n_brackets = 3;
    assert_int_equal(param_add_value(f->ps, p, &v, &err), SP_OK);
    p = define(f, "np.ssa.risk", PARAM_SCALE, NULL);
    static const struct param_bracket risk[] = {{1000000, 2400}, {2000000, 5400}};
    v.brackets = risk;
    v.n_brackets = 2;
    assert_int_equal(param_add_value(f->ps, p, &v, &err), SP_OK);
    p = define(f, "bd.eis.pension_rate", PARAM_DECIMAL, NULL);
    value(f, p, "2023-01-01", 0, 0, "NOT CONFIRMED");
    f->gf[0].path = "np.ssa.senior_age";
    f->gf[0].enrolled_before = test_day("2022-07-17");
    f->gf[0].keep_as_of = test_day("2022-07-16");
    f->extra[0].name = "jkk_risk_class";
    f->extra[0].type.kind = EXPR_INT;
    f->extra[1].name = "harvest_income";
    f->extra[1].type.kind = EXPR_MONEY;
    snprintf(f->extra[1].type.currency, sizeof f->extra[1].type.currency, "NPR");
    f->scope.params = f->ps;
    f->scope.param_namespace = "np.ssa";
    f->scope.currency = "NPR";
    f->scope.rounding = ROUND_HALF_UP;
    f->scope.scheme_id = "np.ssa.senior_citizen";
    f->scope.contribution_scheme = "np.ssf.contributions";
    f->extra[2].name = "government_employee"; /* self-declared: presumed false */
    f->extra[2].type.kind = EXPR_BOOL;
    f->extra[2].default_value = "false";
    f->extra[2].assumed = "not a government employee";
    f->scope.extra_facts = f->extra;
    f->scope.n_extra_facts = 3;
    f->scope.grandfathers = f->gf;
    f->scope.n_grandfathers = 1;
    assert_int_equal(expr_unit_new(&f->scope, &f->u, &err), SP_OK);
}

static void fx_free(struct fx *f)
{
    expr_scratch_free(f->s);
    expr_bound_free(f->b);
    expr_unit_free(f->u);
    param_set_free(f->ps);
}

static int add(struct fx *f, const char *name, const char *source)
{
    struct error err;
    error_init(&err);
    int index = -1;
    struct expr_pos pos = {"test.yaml", 1, 1};
    int rc = expr_unit_add(f->u, name, source, pos, NULL, &index, &err);
    if (rc != SP_OK)
        fail_msg("%s: %s", source, err.message);
    return index;
}

static void bind(struct fx *f, const char *as_of)
{
    struct error err;
    error_init(&err);
    expr_scratch_free(f->s);
    expr_bound_free(f->b);
    assert_int_equal(expr_unit_bind(f->u, test_day(as_of), &f->b, &err), SP_OK);
    assert_int_equal(expr_scratch_new(f->u, &f->s, &err), SP_OK);
}

#define MAX_EXPRS 32 /* expressions a test unit may hold */
static struct expr_column cols[MAX_EXPRS];

/* Runs every expression both ways for one person, checks they agree, returns expression i. */
static struct expr_value run(struct fx *f, const struct person *p, const struct person_history *h,
                             int i)
{
    struct error err;
    error_init(&err);
    int n = expr_unit_count(f->u);
    assert_true(n <= MAX_EXPRS);
    struct expr_value traced[MAX_EXPRS];
    assert_int_equal(expr_run_traced(f->b, f->s, p, h, traced, &err), SP_OK);
    const struct person *persons[1] = {p};
    const struct person_history *histories[1] = {h};
    assert_int_equal(expr_run_block(f->b, f->s, persons, histories, 1, cols, &err), SP_OK);
    for (int k = 0; k < n; k++) {
        if (traced[k].state != cols[k].state[0] || traced[k].value != cols[k].value[0])
            fail_msg("expression %d: traced (%d, %lld) but block (%d, %lld)", k, traced[k].state,
                     (long long)traced[k].value, cols[k].state[0], (long long)cols[k].value[0]);
        if (traced[k].state == EXPR_OK && expr_unit_type(f->u, k).kind == EXPR_STRING)
            assert_string_equal(traced[k].text, cols[k].text[0]);
    }
    return traced[i];
}

static void assert_ok(struct expr_value v, int64_t want)
{
    if (v.state != EXPR_OK)
        fail_msg("state %d, expected OK with %lld", v.state, (long long)want);
    if (v.value != want)
        fail_msg("got %lld, expected %lld", (long long)v.value, (long long)want);
}

static char explained[4096];

static const char *explain(struct fx *f, const struct person *p, const struct person_history *h,
                           int i)
{
    struct buf out;
    buf_init(&out, 1 << 16);
    struct error err;
    error_init(&err);
    assert_int_equal(expr_explain(f->b, f->s, p, h, i, &out, &err), SP_OK);
    snprintf(explained, sizeof explained, "%s", out.data);
    buf_release(&out);
    return explained;
}

static void assert_has_line(const char *text, const char *line)
{
    char want[512];
    snprintf(want, sizeof want, "%s\n", line);
    if (strstr(text, want) == NULL)
        fail_msg("explanation lacks \"%s\":\n%s", line, text);
}

/* ---- tests ---- */

static void age_condition_follows_the_parameter_dates(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int age = add(&f, "age", "age_years(birth_date)");
    int senior = add(&f, NULL, "age >= params.senior_age");
    struct person p;
    person_blank(&p, "p1");
    p.birth_date = test_day("1953-03-01"); /* 69 in July 2022 */
    bind(&f, "2022-07-16");                /* the day before the age drops to 68 */
    assert_ok(run(&f, &p, NULL, age), 69);
    assert_ok(run(&f, &p, NULL, senior), 0);
    assert_has_line(explain(&f, &p, NULL, senior),
                    "age 69 < np.ssa.senior_age 70 (since 2016-07-16: FY 2073/74 budget)");
    bind(&f, "2022-07-17"); /* the day of the change */
    assert_ok(run(&f, &p, NULL, senior), 1);
    assert_has_line(explain(&f, &p, NULL, senior),
                    "age 69 >= np.ssa.senior_age 68 (since 2022-07-17: FY 2079/80 budget speech)");
    bind(&f, "2022-07-18"); /* and the day after */
    assert_ok(run(&f, &p, NULL, senior), 1);
    bind(&f, "2016-07-15"); /* before the first value: not set */
    assert_int_equal(run(&f, &p, NULL, senior).state, EXPR_PARAM_UNSET);
    fx_free(&f);
}

static void missing_facts_follow_three_valued_logic(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int age = add(&f, "age", "age_years(birth_date)");
    int plain = add(&f, NULL, "age >= 60");
    int and_false = add(&f, NULL, "sex == \"male\" && age >= 60");
    int and_true = add(&f, NULL, "sex == \"female\" && age >= 60");
    int or_true = add(&f, NULL, "age >= 60 || sex == \"female\"");
    int or_false = add(&f, NULL, "age >= 60 || sex == \"male\"");
    int not_missing = add(&f, NULL, "!(age >= 60)");
    int has = add(&f, NULL, "has(birth_date)");
    int cond = add(&f, NULL, "age >= 60 ? 1 : 2");
    int arith = add(&f, NULL, "age + 1");
    int unset = add(&f, NULL, "sex == \"male\" && admin2 in params.karnali_districts");
    int unset2 = add(&f, NULL, "sex == \"female\" && admin2 in params.karnali_districts");
    int both = add(&f, NULL, "age > 1 && admin2 in params.karnali_districts");
    struct person p;
    person_blank(&p, "p1");
    p.sex = SEX_FEMALE;
    snprintf(p.admin2, sizeof p.admin2, "Jumla");
    bind(&f, "2025-01-15");
    assert_int_equal(run(&f, &p, NULL, age).state, EXPR_MISSING);
    assert_int_equal(run(&f, &p, NULL, plain).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, and_false), 0);
    assert_int_equal(run(&f, &p, NULL, and_true).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, or_true), 1);
    assert_int_equal(run(&f, &p, NULL, or_false).state, EXPR_MISSING);
    assert_int_equal(run(&f, &p, NULL, not_missing).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, has), 0);
    assert_int_equal(run(&f, &p, NULL, cond).state, EXPR_MISSING);
    assert_int_equal(run(&f, &p, NULL, arith).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, unset), 0);
    assert_int_equal(run(&f, &p, NULL, unset2).state, EXPR_PARAM_UNSET);
    assert_int_equal(run(&f, &p, NULL, both).state, EXPR_PARAM_UNSET); /* the worse of the two */
    assert_has_line(explain(&f, &p, NULL, plain), "birth_date not given");
    assert_has_line(explain(&f, &p, NULL, has), "birth_date not given");
    assert_has_line(explain(&f, &p, NULL, unset2),
                    "parameter np.ssa.karnali_districts not set: an operator must fill it in");
    fx_free(&f);
}

/* The facts expression i waits on for p, as "a,b" (the lines joined), after checking that
 * asking twice gives each name once. */
static char waits[512];

static const char *missing_of(struct fx *f, const struct person *p, const struct person_history *h,
                              int i)
{
    struct buf out;
    buf_init(&out, 1 << 16);
    struct error err;
    error_init(&err);
    assert_int_equal(expr_missing_facts(f->b, f->s, p, h, i, &out, &err), SP_OK);
    size_t once = out.len;
    assert_int_equal(expr_missing_facts(f->b, f->s, p, h, i, &out, &err), SP_OK);
    assert_int_equal(out.len, once); /* each name once */
    snprintf(waits, sizeof waits, "%s", out.data);
    for (char *c = waits; *c; c++)
        if (*c == '\n')
            *c = c[1] ? ',' : '\0';
    buf_release(&out);
    return waits;
}

static void missing_results_name_the_facts_that_would_decide_them(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int age = add(&f, "age", "age_years(birth_date)");
    int and_true = add(&f, NULL, "sex == \"female\" && age >= 60");
    int and_false = add(&f, NULL, "sex == \"male\" && age >= 60");
    int or_true = add(&f, NULL, "age >= 60 || sex == \"female\"");
    int two = add(&f, NULL, "age >= 60 && marital_status == \"widowed\"");
    int cond = add(&f, NULL, "(has(admin1) ? age : living_children) >= 2");
    int record = add(&f, NULL, "age_months(events.last(\"birth\")) < 12");
    int record_and_fact = add(&f, NULL, "events.last(\"birth\") > birth_date");
    int members = add(&f, NULL,
                      "household.members.count(m, m.relationship == \"child\" && "
                      "age_years(m.birth_date) < 5) <= 1");
    struct person p, child;
    person_blank(&p, "p1");
    person_blank(&child, "c1");
    p.sex = SEX_FEMALE;
    p.relationship = RELATIONSHIP_HEAD;
    child.relationship = RELATIONSHIP_CHILD;
    bind(&f, "2025-01-15");
    (void)age;
    /* a missing operand names its fact, through the named value */
    assert_string_equal(missing_of(&f, &p, NULL, and_true), "birth_date");
    assert_string_equal(missing_of(&f, &p, NULL, two), "birth_date,marital_status");
    /* false && unknown is false and true || unknown is true: nothing to ask */
    assert_ok(run(&f, &p, NULL, and_false), 0);
    assert_string_equal(missing_of(&f, &p, NULL, and_false), "");
    assert_ok(run(&f, &p, NULL, or_true), 1);
    assert_string_equal(missing_of(&f, &p, NULL, or_true), "");
    /* a definite operand makes the other irrelevant: only the branch taken is asked for */
    assert_string_equal(missing_of(&f, &p, NULL, cond), "living_children");
    snprintf(p.admin1, sizeof p.admin1, "Karnali");
    assert_string_equal(missing_of(&f, &p, NULL, cond), "birth_date");
    /* no birth event is a record that does not exist, not a fact to ask for */
    assert_int_equal(run(&f, &p, NULL, record).state, EXPR_MISSING);
    assert_string_equal(missing_of(&f, &p, NULL, record), "");
    assert_string_equal(missing_of(&f, &p, NULL, record_and_fact), "birth_date");
    assert_true(expr_may_lack_record(f.u, record));
    assert_true(expr_may_lack_record(f.u, record_and_fact));
    assert_false(expr_may_lack_record(f.u, and_true));
    assert_false(expr_may_lack_record(f.u, members));
    /* another member's fact is named with the member's id */
    const struct person *household[] = {&p, &child};
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.members = household;
    h.n_members = 2;
    assert_int_equal(run(&f, &p, &h, members).state, EXPR_MISSING);
    assert_string_equal(missing_of(&f, &p, &h, members), "c1.birth_date");
    child.birth_date = test_day("2022-01-01");
    assert_ok(run(&f, &p, &h, members), 1);
    assert_string_equal(missing_of(&f, &p, &h, members), "");
    fx_free(&f);
}

static void a_declared_default_is_assumed_where_the_fact_is_not_given(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int not_gov = add(&f, NULL, "government_employee == false");
    int given = add(&f, NULL, "has(government_employee)");
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, not_gov), 1); /* block and traced runs agree (run checks) */
    assert_ok(run(&f, &p, NULL, given), 0);   /* assumed, not given */
    assert_has_line(explain(&f, &p, NULL, not_gov),
                    "assumed: not a government employee (not given)");
    assert_string_equal(missing_of(&f, &p, NULL, not_gov), "");
    snprintf(p.extra[0].name, sizeof p.extra[0].name, "government_employee");
    snprintf(p.extra[0].value, sizeof p.extra[0].value, "true");
    p.n_extra = 1;
    assert_ok(run(&f, &p, NULL, not_gov), 0); /* what the person declares wins */
    assert_ok(run(&f, &p, NULL, given), 1);
    assert_true(strstr(explain(&f, &p, NULL, not_gov), "assumed") == NULL);
    struct expr_fact_decl d = f.extra[2];
    assert_true(expr_fact_value_valid(&d, "false"));
    assert_false(expr_fact_value_valid(&d, "no"));
    fx_free(&f);
}

static void money_arithmetic_rounds_by_the_scheme(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int share = add(&f, NULL, "monthly_wage * params.rate");
    int down = add(&f, NULL, "round(monthly_wage * 0.115, \"1.00\", \"down\")");
    int up = add(&f, NULL, "round(monthly_wage * 0.115, \"10.00\", \"up\")");
    int third = add(&f, NULL, "div(monthly_wage, 3)");
    int ratio = add(&f, NULL, "div(monthly_wage, params.wage_cap)");
    int third_up = add(&f, NULL, "div(monthly_wage, 3, \"1.00\", \"up\")");
    int half = add(&f, NULL, "div(7, 2)");
    int neg = add(&f, NULL, "div(-7, 2, \"1\", \"half_up\")");
    int capped = add(&f, NULL, "clamp(monthly_wage, money(\"5000.00\", \"NPR\"), params.wage_cap)");
    int low = add(&f, NULL, "min(monthly_wage, money(\"100.00\"))");
    int high = add(&f, NULL, "max(monthly_wage, params.wage_cap)");
    int sum = add(&f, NULL, "monthly_wage + params.allowance - money(\"0.67\", \"NPR\")");
    int overflow = add(&f, NULL, "money(\"90000000000000000.00\", \"NPR\") * 1000");
    int div0 = add(&f, NULL, "div(monthly_wage, living_children - living_children)");
    int negints = add(&f, NULL, "-7 / 2");
    add(&f, "low64", "-9223372036854775807 - living_children / 2"); /* INT64_MIN */
    int minus1 = add(&f, NULL, "low64 / -1");
    int ints = add(&f, NULL, "7 / 2");
    int mod = add(&f, NULL, "7 % 3");
    struct person p;
    person_blank(&p, "p1");
    set_money(&p.monthly_wage, 1234567, "NPR"); /* 12345.67 */
    p.living_children = 2;
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, share), 135802);    /* 1358.0237 -> 1358.02 */
    assert_ok(run(&f, &p, NULL, down), 141900);     /* 1419.75 -> 1419.00 */
    assert_ok(run(&f, &p, NULL, up), 142000);       /* 1419.75 -> 1420.00 */
    assert_ok(run(&f, &p, NULL, third), 411522);    /* 4115.223 -> 4115.22 */
    assert_ok(run(&f, &p, NULL, ratio), 617284);    /* 12345.67 / 20000 = 0.6172835 -> 0.617284 */
    assert_ok(run(&f, &p, NULL, third_up), 411600); /* 4115.223 -> 4116.00, rounded once */
    assert_ok(run(&f, &p, NULL, half), 3500000);    /* exact: 3.5 */
    assert_ok(run(&f, &p, NULL, neg), -4000000);    /* -3.5 half up (away from zero) */
    assert_ok(run(&f, &p, NULL, capped), 1234567);
    assert_ok(run(&f, &p, NULL, low), 10000);
    assert_ok(run(&f, &p, NULL, high), 2000000);
    assert_ok(run(&f, &p, NULL, sum), 1234567 + 400000 - 67);
    assert_int_equal(run(&f, &p, NULL, overflow).state, EXPR_FAILED);
    assert_int_equal(run(&f, &p, NULL, div0).state, EXPR_FAILED);
    assert_ok(run(&f, &p, NULL, ints), 3); /* CEL: int / int truncates toward zero */
    assert_ok(run(&f, &p, NULL, negints), -3);
    assert_int_equal(run(&f, &p, NULL, minus1).state, EXPR_FAILED); /* INT64_MIN / -1 */
    assert_ok(run(&f, &p, NULL, mod), 1);
    set_money(&p.monthly_wage, 3000000, "NPR");
    assert_ok(run(&f, &p, NULL, capped), 2000000);
    set_money(&p.monthly_wage, 100, "NPR");
    assert_ok(run(&f, &p, NULL, capped), 500000);
    set_money(&p.monthly_wage, 1000, "PHP"); /* a wage in the wrong currency fails, not a number */
    assert_int_equal(run(&f, &p, NULL, share).state, EXPR_FAILED);
    fx_free(&f);
}

/* CEL's functions of strings and lists, as they run on a person's facts (both runners agree). */
static void cel_strings_lists_and_macros(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int size = add(&f, NULL, "size(given_name)");
    int size_m = add(&f, NULL, "given_name.size()");
    int has = add(&f, NULL, "given_name.contains(\"ता\")");
    int starts = add(&f, NULL, "given_name.startsWith(\"सी\")");
    int ends = add(&f, NULL, "given_name.endsWith(\"सी\")");
    int empty_in = add(&f, NULL, "given_name.contains(\"\") && \"\".contains(\"\")");
    int empty_size = add(&f, NULL, "size(\"\") == 0 && \"\".size() == 0");
    int family = add(&f, NULL, "family_name.startsWith(\"S\")");
    int after = add(&f, NULL, "given_name > \"Ram\" && \"a\" < \"b\" && \"ab\" > \"a\"");
    int item = add(&f, NULL, "[10, 20, 30][living_children]");
    int below = add(&f, NULL, "[10, 20, 30][-1]");
    int one = add(&f, NULL, "[1, 2, 3].exists_one(x, x > living_children)");
    int two = add(&f, NULL, "[1, 2, 3].exists_one(x, x > 0)");
    int id = add(&f, NULL, "int(national_id)");
    int empties = add(&f, NULL, "[] == [] && size([]) == 0 && !(1 in []) && [1] + [] == [1]");
    int joined = add(&f, NULL, "\"a\" + \"b\" == \"ab\" && string(12) + \"x\" == \"12x\"");
    int conv = add(&f, NULL, "int(-7.9) == -7 && double(3) == 3.0 && bool(\"true\")");
    int bad_conv = add(&f, NULL, "int(1e99) > 0");
    struct person p;
    person_blank(&p, "p1");
    snprintf(p.given_name, sizeof p.given_name, "%s", "सीता");
    snprintf(p.national_id, sizeof p.national_id, "%s", "12345");
    p.living_children = 2;
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, size), 4); /* code points, not bytes */
    assert_ok(run(&f, &p, NULL, size_m), 4);
    assert_ok(run(&f, &p, NULL, has), 1);
    assert_ok(run(&f, &p, NULL, starts), 1);
    assert_ok(run(&f, &p, NULL, ends), 0);
    assert_ok(run(&f, &p, NULL, empty_in), 1);
    assert_ok(run(&f, &p, NULL, empty_size), 1);
    assert_int_equal(run(&f, &p, NULL, family).state, EXPR_MISSING); /* not given */
    assert_ok(run(&f, &p, NULL, after), 1);                          /* code point order */
    assert_ok(run(&f, &p, NULL, item), 30);
    assert_int_equal(run(&f, &p, NULL, below).state, EXPR_FAILED);
    assert_ok(run(&f, &p, NULL, one), 1);
    assert_ok(run(&f, &p, NULL, two), 0);
    assert_ok(run(&f, &p, NULL, id), 12345);
    assert_ok(run(&f, &p, NULL, empties), 1);
    assert_ok(run(&f, &p, NULL, joined), 1);
    assert_ok(run(&f, &p, NULL, conv), 1);
    assert_int_equal(run(&f, &p, NULL, bad_conv).state, EXPR_FAILED); /* CEL: a range error */
    p.living_children = 3; /* out of range: a failure, as in CEL, never a wrong item */
    assert_int_equal(run(&f, &p, NULL, item).state, EXPR_FAILED);
    assert_has_line(explain(&f, &p, NULL, item),
                    "[10, 20, 30][living_children] could not be computed (with [10, 20, 30], 3): "
                    "the index is outside the list");
    snprintf(p.national_id, sizeof p.national_id, "%s", "12a");
    assert_int_equal(run(&f, &p, NULL, id).state, EXPR_FAILED);
    assert_has_line(explain(&f, &p, NULL, id),
                    "int(national_id) could not be computed (with \"12a\"): the text is not an "
                    "int");
    p.given_name[0] = '\0';
    assert_int_equal(run(&f, &p, NULL, size).state, EXPR_MISSING);
    fx_free(&f);
}

/* matches(): RE2's syntax (checked at load), unanchored, bounded in time on any text. */
static void cel_matches_is_bounded(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int dev = add(&f, NULL, "given_name.matches(\"^स.ता$\")");
    int part = add(&f, NULL, "national_id.matches(\"[0-9]{3}\") && !national_id.matches(\"x\")");
    int empty = add(&f, NULL, "\"\".matches(\"\") && !\"\".matches(\"a\")");
    int costly = add(&f, NULL, "family_name.matches(\"(a+)+b\")");
    struct person p;
    person_blank(&p, "p1");
    snprintf(p.given_name, sizeof p.given_name, "%s", "सीता");
    snprintf(p.national_id, sizeof p.national_id, "%s", "ab1234");
    memset(p.family_name, 'a', sizeof p.family_name - 1);
    p.family_name[sizeof p.family_name - 1] = '\0';
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, dev), 1); /* . is one code point */
    assert_ok(run(&f, &p, NULL, part), 1);
    assert_ok(run(&f, &p, NULL, empty), 1);
    struct expr_value v = run(&f, &p, NULL, costly); /* past the limits: a failure, never "true" */
    assert_true(v.state == EXPR_FAILED || (v.state == EXPR_OK && v.value == 0));
    fx_free(&f);
}

/* CEL's timestamp accessors on dates (a date is its midnight in UTC), both runners agreeing. */
static void cel_dates_as_timestamps(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int parts = add(&f, NULL,
                    "birth_date.getFullYear() * 100000000 + birth_date.getMonth() * 1000000 + "
                    "birth_date.getDate() * 10000 + birth_date.getDayOfMonth() * 100 + "
                    "birth_date.getDayOfWeek()");
    int year_day = add(&f, NULL, "birth_date.getDayOfYear()");
    int same = add(&f, NULL, "timestamp(\"2009-02-13T00:00:00Z\") == birth_date");
    int sunday = add(&f, NULL,
                     "date(\"2024-07-14\").getDayOfWeek() == 0 && "
                     "date(\"2024-01-01\").getDayOfYear() == 0 && "
                     "date(\"2024-12-31\").getDayOfYear() == 365");
    struct person p;
    person_blank(&p, "p1");
    p.birth_date = test_day("2009-02-13"); /* a Friday */
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, parts), 200901131205LL);
    assert_ok(run(&f, &p, NULL, year_day), 43);
    assert_ok(run(&f, &p, NULL, same), 1);
    assert_ok(run(&f, &p, NULL, sunday), 1);
    p.birth_date = DATE_NONE;
    assert_int_equal(run(&f, &p, NULL, year_day).state, EXPR_MISSING);
    fx_free(&f);
}

static void failures_name_the_operation_and_its_values(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int big = add(&f, "big", "9223372036854775807 + living_children");
    int uses_big = add(&f, NULL, "big > 5");
    int minus = add(&f, NULL, "-9223372036854775807 - living_children - 1");
    int times = add(&f, NULL, "living_children * 4611686018427387904");
    int money = add(&f, NULL, "monthly_wage * 10000000000");
    int div0 = add(&f, NULL, "div(monthly_wage, living_children - 2)");
    int mod0 = add(&f, NULL, "7 % (living_children - 2)");
    int todec = add(&f, NULL, "living_children * 4611686018428 * params.rate");
    int days = add(&f, NULL, "add_days(birth_date, 3000000)");
    int in_macro = add(&f, NULL,
                       "household.members.exists(m, m.living_children * "
                       "4611686018427387904 > 1)");
    struct person p;
    person_blank(&p, "p1");
    p.living_children = 2;
    p.birth_date = test_day("1960-01-01");
    set_money(&p.monthly_wage, 1000000000, "NPR");
    bind(&f, "2025-01-15");
    int all[] = {big, uses_big, minus, times, money, div0, mod0, todec, days, in_macro};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (run(&f, &p, NULL, all[i]).state != EXPR_FAILED)
            fail_msg("expression %zu did not fail", i);
    assert_has_line(explain(&f, &p, NULL, big),
                    "overflow in 9223372036854775807 + living_children: 9223372036854775807 + 2 "
                    "does not fit in a 64-bit integer");
    /* a condition on a named value that failed says why the value failed */
    assert_has_line(explain(&f, &p, NULL, uses_big),
                    "overflow in 9223372036854775807 + living_children: 9223372036854775807 + 2 "
                    "does not fit in a 64-bit integer");
    assert_has_line(explain(&f, &p, NULL, minus),
                    "overflow in -9223372036854775807 - living_children: -9223372036854775807 - 2 "
                    "does not fit in a 64-bit integer");
    assert_has_line(explain(&f, &p, NULL, times),
                    "overflow in living_children * 4611686018427387904: 2 * 4611686018427387904 "
                    "does not fit in a 64-bit integer");
    assert_has_line(explain(&f, &p, NULL, money),
                    "overflow in monthly_wage * 10000000000: 10000000.00 NPR * 10000000000 does "
                    "not fit in an amount of money (at most 92233720368547758.07 NPR)");
    assert_has_line(
        explain(&f, &p, NULL, div0),
        "div(monthly_wage, living_children - 2) could not be computed (with 10000000.00 NPR, 0): "
        "division by zero");
    assert_has_line(explain(&f, &p, NULL, mod0), "division by zero in 7 % (living_children - 2): "
                                                 "7 % 0");
    assert_has_line(explain(&f, &p, NULL, days),
                    "add_days(birth_date, 3000000) could not be computed (with 1960-01-01, "
                    "3000000): the date would be outside 0001-01-01 to 9999-12-31");
    const char *text = explain(&f, &p, NULL, in_macro);
    if (strstr(text, "overflow in m.living_children * 4611686018427387904: 2 * "
                     "4611686018427387904 does not fit in a 64-bit integer\n") == NULL)
        fail_msg("a failure inside a list macro is not told:\n%s", text);
    assert_has_line(explain(&f, &p, NULL, todec),
                    "overflow in living_children * 4611686018428: the int 9223372036856 does not "
                    "fit in a decimal (at most 9223372036854.775807)");
    fx_free(&f);
}

static void membership_in_lists(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int en = add(&f, NULL, "worker_category in [\"informal\", \"domestic\"]");
    int district = add(&f, NULL, "admin2 in params.districts");
    int group = add(&f, NULL, "\"dalit\" in groups");
    int ex = add(&f, NULL, "groups.exists(g, g == \"solo_parent\")");
    int any = add(&f, NULL, "groups.exists(g, g in [\"solo_parent\", \"herder\"])");
    int unset = add(&f, NULL, "groups.exists(g, g in params.karnali_districts)");
    int ints = add(&f, NULL, "living_children in [1, 2, 3]");
    int size = add(&f, NULL, "size(groups) + groups.size()");
    struct person p;
    person_blank(&p, "p1");
    p.worker_category = WORKER_DOMESTIC;
    snprintf(p.admin2, sizeof p.admin2, "Humla");
    snprintf(p.groups, sizeof p.groups, "dalit;solo_parent");
    p.living_children = 2;
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, en), 1);
    assert_ok(run(&f, &p, NULL, district), 1);
    assert_ok(run(&f, &p, NULL, group), 1);
    assert_ok(run(&f, &p, NULL, ex), 1);
    assert_ok(run(&f, &p, NULL, any), 1);
    /* a list not set yet: neither yes nor no for a person with groups */
    assert_int_equal(run(&f, &p, NULL, unset).state, EXPR_PARAM_UNSET);
    assert_ok(run(&f, &p, NULL, ints), 1);
    assert_ok(run(&f, &p, NULL, size), 4);
    assert_has_line(explain(&f, &p, NULL, district),
                    "admin2 \"Humla\" in np.ssa.districts [\"Jumla\", \"Humla\", \"Mugu\"] "
                    "(since 2016-07-16: Local Government Operation Act)");
    p.worker_category = WORKER_MIGRANT;
    snprintf(p.admin2, sizeof p.admin2, "Kathmandu");
    p.groups[0] = '\0'; /* an unset list is empty, never missing */
    assert_ok(run(&f, &p, NULL, en), 0);
    assert_ok(run(&f, &p, NULL, district), 0);
    assert_ok(run(&f, &p, NULL, group), 0);
    assert_ok(run(&f, &p, NULL, ex), 0);
    assert_ok(run(&f, &p, NULL, any), 0);
    assert_ok(run(&f, &p, NULL, unset), 0); /* no group: false whatever the list holds */
    assert_ok(run(&f, &p, NULL, size), 0);
    assert_has_line(explain(&f, &p, NULL, en),
                    "worker_category \"migrant\" not in [\"informal\", \"domestic\"]");
    fx_free(&f);
}

static void ages_on_29_february(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int age = add(&f, NULL, "age_years(birth_date)");
    int months = add(&f, NULL, "age_months(birth_date)");
    struct person p;
    person_blank(&p, "p1");
    p.birth_date = test_day("2000-02-29");
    bind(&f, "2023-02-28");
    assert_ok(run(&f, &p, NULL, age), 22);
    bind(&f, "2023-03-01");
    assert_ok(run(&f, &p, NULL, age), 23);
    bind(&f, "2024-02-28");
    assert_ok(run(&f, &p, NULL, age), 23);
    bind(&f, "2024-02-29");
    assert_ok(run(&f, &p, NULL, age), 24);
    assert_ok(run(&f, &p, NULL, months), 24 * 12);
    p.birth_date = test_day("2024-03-01"); /* someone born after the date has a negative age */
    assert_ok(run(&f, &p, NULL, age), -1);
    fx_free(&f);
}

static void ages_equal_date_age_years_for_every_birth_day(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int age = add(&f, NULL, "age_years(birth_date)");
    static const char *const dates[] = {"2023-02-28", "2023-03-01", "2024-02-28", "2024-02-29",
                                        "2024-03-01", "2025-01-01", "2025-12-31", "2100-03-01"};
    struct person p;
    person_blank(&p, "p1");
    for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++) {
        bind(&f, dates[d]);
        int32_t on = test_day(dates[d]);
        for (int32_t birth = on - 170 * 366; birth <= on + 400; birth += 1) {
            p.birth_date = birth;
            struct expr_value v = run(&f, &p, NULL, age);
            if (v.state != EXPR_OK || v.value != date_age_years(birth, on))
                fail_msg("born on day %d, on %s: %lld, want %d", birth, dates[d],
                         (long long)v.value, date_age_years(birth, on));
        }
    }
    fx_free(&f);
}

static void date_functions(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int am = add(&f, NULL, "add_months(date(\"2024-01-31\"), 1)");
    int ad = add(&f, NULL, "add_days(as_of, -15)");
    int ms = add(&f, NULL, "month_start(as_of)");
    int qs = add(&f, NULL, "quarter_start(as_of)");
    int qe = add(&f, NULL, "quarter_end(as_of)");
    int mb = add(&f, NULL, "months_between(date(\"2024-01-31\"), date(\"2024-03-30\"))");
    int far = add(&f, NULL, "add_days(as_of, 999999999)");
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2025-08-15");
    assert_ok(run(&f, &p, NULL, am), test_day("2024-02-29"));
    assert_ok(run(&f, &p, NULL, ad), test_day("2025-07-31"));
    assert_ok(run(&f, &p, NULL, ms), test_day("2025-08-01"));
    assert_ok(run(&f, &p, NULL, qs), test_day("2025-07-01"));
    assert_ok(run(&f, &p, NULL, qe), test_day("2025-09-30"));
    assert_ok(run(&f, &p, NULL, mb), 1);
    assert_int_equal(run(&f, &p, NULL, far).state, EXPR_FAILED);
    fx_free(&f);
}

static struct contribution row(const char *scheme, const char *month, int64_t wage)
{
    struct contribution c;
    memset(&c, 0, sizeof c);
    snprintf(c.scheme, sizeof c.scheme, "%s", scheme);
    struct error err;
    error_init(&err);
    assert_int_equal(month_parse(month, &c.month, &err), SP_OK);
    set_money(&c.wage, wage, "NPR");
    return c;
}

/* A history of the n contribution rows at rows (no events, no enrolments). */
static struct person_history paid(struct contribution *rows, int n)
{
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.contributions = rows;
    h.n_contributions = n;
    return h;
}

/* contributions.top_n_sum(n, date(from), as_of) clamped by the test's np.ssf credit bounds. */
static int add_bounded_top(struct fx *f, int n, const char *from)
{
    char source[256];
    snprintf(source, sizeof source,
             "contributions.top_n_sum(%d, date(\"%s\"), as_of, params.np.ssf.credit_floor, "
             "params.np.ssf.credit_ceiling)",
             n, from);
    return add(f, NULL, source);
}

static void contribution_helpers(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int window = add(&f, NULL, "contributions.months_in_window(date(\"2024-01-01\"), as_of)");
    int cont = add(&f, NULL, "contributions.continuous_months_before(as_of)");
    int total = add(&f, NULL, "contributions.total_months()");
    int first = add(&f, NULL, "contributions.first_month()");
    int top3 = add(&f, NULL, "contributions.top_n_sum(3, date(\"2024-01-01\"), as_of)");
    int top9 = add(&f, NULL, "contributions.top_n_sum(9, date(\"2024-01-01\"), as_of)");
    int qual = add(&f, NULL, "contributions.continuous_months_before(as_of) >= params.min_months");
    int since_first = add(&f, NULL,
                          "contributions.months_in_window(contributions.first_month(), as_of) >= "
                          "params.min_months");
    struct contribution rows[] = {
        row("np.ssf.contributions", "2023-11", 100000),
        row("np.ssf.contributions", "2024-01", 200000),
        row("other.scheme", "2024-02", 999999), /* another scheme's row does not count */
        row("np.ssf.contributions", "2024-03", 300000),
        row("np.ssf.contributions", "2024-03", 50000), /* two rows in one month */
        row("np.ssf.contributions", "2024-04", 250000),
        row("np.ssf.contributions", "2024-05", 300000),
        /* 2024-06 is a gap */
        row("np.ssf.contributions", "2024-07", 400000),
        row("np.ssf.contributions", "2024-08", 400000),
    };
    struct person_history h = paid(rows, (int)(sizeof rows / sizeof rows[0]));
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2024-09-10");
    assert_ok(run(&f, &p, &h, window), 6); /* 01, 03, 04, 05, 07, 08 */
    assert_ok(run(&f, &p, &h, cont), 2);   /* 08 and 07, then the gap in 06 */
    assert_ok(run(&f, &p, &h, total), 7);
    assert_ok(run(&f, &p, &h, first), test_day("2023-11-01"));
    assert_ok(run(&f, &p, &h, top3), 400000 + 400000 + 300000);
    /* fewer than 9 rows in the window: the sum of all of them */
    assert_ok(run(&f, &p, &h, top9), 200000 + 300000 + 50000 + 250000 + 300000 + 400000 + 400000);
    assert_ok(run(&f, &p, &h, qual), 0);
    assert_has_line(explain(&f, &p, &h, qual),
                    "contributions.continuous_months_before(as_of) 2 < np.ssa.min_months 3 "
                    "(since 2016-07-16: SSA 2075 s.14)");
    bind(&f, "2024-06-01"); /* 05, 04, 03 before June */
    assert_ok(run(&f, &p, &h, cont), 3);
    assert_ok(run(&f, &p, &h, qual), 1);
    bind(&f, "2024-08-31"); /* the current month does not count */
    assert_ok(run(&f, &p, &h, cont), 1);
    assert_ok(run(&f, &p, NULL, total), 0); /* no history */
    assert_int_equal(run(&f, &p, NULL, first).state, EXPR_MISSING);
    /* with no contributions the reason names what has no value, not a fact */
    assert_int_equal(run(&f, &p, NULL, since_first).state, EXPR_MISSING);
    assert_has_line(explain(&f, &p, NULL, since_first),
                    "contributions.months_in_window(contributions.first_month(), as_of) has no "
                    "value");
    rows[1].wage.currency[0] = 'X'; /* a wage base in another currency */
    assert_int_equal(run(&f, &p, &h, top3).state, EXPR_FAILED);
    fx_free(&f);
}

/* top_n_sum with a floor and a ceiling: each row is clamped to the values of its own month. */
static void top_n_sum_clamps_each_row_to_its_month(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    struct param *lo = define(&f, "np.ssf.credit_floor", PARAM_MONEY, "NPR");
    value(&f, lo, "2023-01-01", 1, 200000, "schedule 2023");
    value(&f, lo, "2024-01-01", 1, 300000, "schedule 2024");
    struct param *hi = define(&f, "np.ssf.credit_ceiling", PARAM_MONEY, "NPR");
    value(&f, hi, "2023-01-01", 1, 2000000, "schedule 2023");
    value(&f, hi, "2024-01-01", 1, 2500000, "schedule 2024");
    value(&f, hi, "2025-01-01", 0, 0, "NOT CONFIRMED");
    int top3 = add_bounded_top(&f, 3, "2023-01-01");
    int all = add_bounded_top(&f, 9, "2023-01-01");
    int raw = add(&f, NULL, "contributions.top_n_sum(3, date(\"2023-01-01\"), as_of)");
    struct contribution rows[] = {
        row("np.ssf.contributions", "2023-11", 5000000), /* 20,000 in 2023 */
        row("np.ssf.contributions", "2023-12", 100000),  /* raised to 2,000 */
        row("np.ssf.contributions", "2024-01", 5000000), /* 25,000 in 2024 */
        row("np.ssf.contributions", "2024-02", 100000),  /* raised to 3,000 */
        row("np.ssf.contributions", "2024-03", 2100000), /* within the range */
    };
    struct person_history h = paid(rows, (int)(sizeof rows / sizeof rows[0]));
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2024-12-15");
    assert_ok(run(&f, &p, &h, top3), 2500000 + 2100000 + 2000000);
    assert_ok(run(&f, &p, &h, all), 2500000 + 2100000 + 2000000 + 300000 + 200000);
    assert_ok(run(&f, &p, &h, raw), 5000000 + 5000000 + 2100000); /* no bounds: as written */
    /* a row in a month whose ceiling is not set: the sum is not set, never a guess */
    struct contribution later[] = {rows[0], row("np.ssf.contributions", "2025-01", 100000)};
    h.contributions = later;
    h.n_contributions = 2;
    bind(&f, "2025-03-01");
    assert_int_equal(run(&f, &p, &h, top3).state, EXPR_PARAM_UNSET);
    /* a row before the first value of the bounds is not set either */
    struct contribution early[] = {row("np.ssf.contributions", "2022-12", 100000)};
    h.contributions = early;
    h.n_contributions = 1;
    int from_2022 = add_bounded_top(&f, 1, "2022-01-01");
    bind(&f, "2024-12-15");
    assert_int_equal(run(&f, &p, &h, from_2022).state, EXPR_PARAM_UNSET);
    fx_free(&f);
}

/*
 * top_n_sum with a ceiling that changes in the middle of a month: a row is clamped to the value
 * in force on the first day of its month, whatever order the rows come in.
 */
static void top_n_sum_reads_the_ceiling_on_the_first_day_of_each_month(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    struct param *lo = define(&f, "np.ssf.credit_floor", PARAM_MONEY, "NPR");
    value(&f, lo, "2019-01-01", 1, 100000, "schedule 2019");
    struct param *hi = define(&f, "np.ssf.credit_ceiling", PARAM_MONEY, "NPR");
    value(&f, hi, "2019-01-01", 1, 1000000, "schedule 2019");
    value(&f, hi, "2024-02-15", 1, 2000000, "mid-February 2024");
    value(&f, hi, "2024-05-01", 1, 3000000, "May 2024");
    int top = add_bounded_top(&f, 9, "2023-01-01");
    struct contribution rows[] = {
        row("np.ssf.contributions", "2024-05", 9000000), /* 30,000 from May */
        row("np.ssf.contributions", "2024-03", 9000000), /* 20,000 */
        row("np.ssf.contributions", "2024-02", 9000000), /* 10,000: 1 February is before */
        row("np.ssf.contributions", "2024-01", 9000000), /* 10,000 */
        row("np.ssf.contributions", "2024-04", 9000000), /* 20,000 */
    };
    struct person_history h = paid(rows, (int)(sizeof rows / sizeof rows[0]));
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2024-12-15");
    assert_ok(run(&f, &p, &h, top), 3000000 + 2000000 + 1000000 + 1000000 + 2000000);
    /* more than 64 rows (read round after round), newest first, every wage above the ceiling:
       70 months from 2019-01, of which those from 2024-03 are at 20,000 and from 2024-05 at
       30,000; ties taken as many as asked for */
    static struct contribution many[70];
    for (int k = 0; k < 70; k++) {
        char month[8];
        int m = 2019 * 12 + 69 - k;
        snprintf(month, sizeof month, "%04d-%02d", m / 12, m % 12 + 1);
        many[k] = row("np.ssf.contributions", month, 9000000);
    }
    h = paid(many, 70);
    int top8 = add_bounded_top(&f, 8, "2019-01-01");
    bind(&f, "2024-12-15");
    assert_ok(run(&f, &p, &h, top8), 6 * 3000000 + 2 * 2000000); /* 2024-05 .. 2024-10 */
    assert_ok(run(&f, &p, &h, top), 6 * 3000000 + 2 * 2000000 + 1000000);
    fx_free(&f);
}

static void event_helpers(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int last = add(&f, NULL, "events.last(\"birth\")");
    int count = add(&f, NULL, "events.count(\"birth\", date(\"2024-01-01\"))");
    int has = add(&f, NULL, "events.has(\"departure\")");
    int months = add(&f, NULL, "events.last_contract_months(\"departure\")");
    int recent = add(&f, NULL, "age_months(events.last(\"birth\")) < 12");
    struct life_event ev[4];
    memset(ev, 0, sizeof ev);
    ev[0].type = EVENT_BIRTH;
    ev[0].date = test_day("2023-05-01");
    ev[1].type = EVENT_DEPARTURE;
    ev[1].date = test_day("2024-02-01");
    ev[1].contract_months = 24;
    ev[2].type = EVENT_BIRTH;
    ev[2].date = test_day("2024-10-01");
    ev[3].type = EVENT_BIRTH; /* after the evaluation date: not yet */
    ev[3].date = test_day("2026-01-01");
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.events = ev;
    h.n_events = 4;
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, &h, last), test_day("2024-10-01"));
    assert_ok(run(&f, &p, &h, count), 1);
    assert_ok(run(&f, &p, &h, has), 1);
    assert_ok(run(&f, &p, &h, months), 24);
    assert_ok(run(&f, &p, &h, recent), 1);
    assert_int_equal(run(&f, &p, NULL, last).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, has), 0);
    fx_free(&f);
}

static void household_macros(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int young = add(&f, NULL,
                    "household.members.count(m, m.relationship == \"child\" && "
                    "age_years(m.birth_date) < 5)");
    int limit = add(&f, NULL,
                    "household.members.count(m, m.relationship == \"child\" && "
                    "age_years(m.birth_date) < 5) <= 1");
    int women = add(&f, "women", "household.members.filter(m, m.sex == \"female\")");
    int n_women = add(&f, NULL, "women.size()");
    int all = add(&f, NULL, "household.members.all(m, has(m.birth_date))");
    int size = add(&f, NULL, "size(household.members)");
    struct person a, b, c;
    person_blank(&a, "a");
    person_blank(&b, "b");
    person_blank(&c, "c");
    a.sex = SEX_FEMALE;
    a.relationship = RELATIONSHIP_HEAD;
    a.birth_date = test_day("1990-01-01");
    b.sex = SEX_MALE;
    b.relationship = RELATIONSHIP_CHILD;
    b.birth_date = test_day("2022-01-01");
    c.sex = SEX_FEMALE;
    c.relationship = RELATIONSHIP_CHILD;
    c.birth_date = test_day("2023-06-01");
    const struct person *members[] = {&a, &b, &c};
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.members = members;
    h.n_members = 3;
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &a, &h, young), 2);
    assert_ok(run(&f, &a, &h, limit), 0);
    assert_ok(run(&f, &a, &h, women), 2);
    assert_ok(run(&f, &a, &h, n_women), 2);
    assert_ok(run(&f, &a, &h, all), 1);
    assert_ok(run(&f, &a, &h, size), 3);
    assert_ok(run(&f, &a, NULL, size), 1); /* without a household: the person alone */
    c.birth_date = DATE_NONE; /* a child without a birth date: the count is not known */
    assert_int_equal(run(&f, &a, &h, young).state, EXPR_MISSING);
    assert_ok(run(&f, &a, &h, all), 0);
    fx_free(&f);
}

static void grandfathered_parameter_keeps_the_old_value(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int senior = add(&f, NULL, "age_years(birth_date) >= params.senior_age");
    int from = add(&f, NULL, "enrolment.from");
    int enrolled = add(&f, NULL, "enrolled");
    struct person p;
    person_blank(&p, "p1");
    p.birth_date = test_day("1956-01-01"); /* 69 */
    struct enrolment e;
    memset(&e, 0, sizeof e);
    snprintf(e.scheme, sizeof e.scheme, "np.ssa.senior_citizen");
    e.from = test_day("2020-01-01");
    e.to = DATE_NONE;
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.enrolments = &e;
    h.n_enrolments = 1;
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, senior), 1); /* not enrolled: 69 >= 68 */
    assert_ok(run(&f, &p, &h, senior), 0);   /* enrolled in 2020: keeps 70 */
    assert_has_line(explain(&f, &p, &h, senior),
                    "age 69 < np.ssa.senior_age 70 (since 2016-07-16: FY 2073/74 budget; kept as "
                    "of 2022-07-16: enrolled before 2022-07-17)");
    assert_ok(run(&f, &p, &h, from), test_day("2020-01-01"));
    assert_ok(run(&f, &p, &h, enrolled), 1);
    assert_int_equal(run(&f, &p, NULL, from).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, enrolled), 0);
    e.to = test_day("2024-12-31");
    assert_ok(run(&f, &p, &h, enrolled), 0);
    /* Before the parameter's first value, a kept value must not come from the future. */
    e.from = test_day("2015-01-01");
    e.to = DATE_NONE;
    bind(&f, "2016-01-01");
    assert_int_equal(run(&f, &p, &h, senior).state, EXPR_PARAM_UNSET);
    assert_int_equal(run(&f, &p, NULL, senior).state, EXPR_PARAM_UNSET);
    fx_free(&f);
}

static void extra_facts_are_parsed_per_their_type(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int risk = add(&f, NULL, "jkk_risk_class + 1");
    int rate = add(&f, NULL, "scale_rate(params.risk, jkk_risk_class)");
    int income = add(&f, NULL, "harvest_income * 2");
    int given = add(&f, NULL, "has(jkk_risk_class)");
    struct person p;
    person_blank(&p, "p1");
    bind(&f, "2025-01-15");
    assert_int_equal(run(&f, &p, NULL, risk).state, EXPR_MISSING);
    assert_ok(run(&f, &p, NULL, given), 0);
    snprintf(p.extra[0].name, sizeof p.extra[0].name, "jkk_risk_class");
    snprintf(p.extra[0].value, sizeof p.extra[0].value, "2");
    snprintf(p.extra[1].name, sizeof p.extra[1].name, "harvest_income");
    snprintf(p.extra[1].value, sizeof p.extra[1].value, "1500.50");
    p.n_extra = 2;
    assert_ok(run(&f, &p, NULL, risk), 3);
    assert_ok(run(&f, &p, NULL, rate), 5400);
    assert_ok(run(&f, &p, NULL, income), 300100);
    assert_ok(run(&f, &p, NULL, given), 1);
    snprintf(p.extra[0].value, sizeof p.extra[0].value, "two"); /* unparsable: a failure */
    assert_int_equal(run(&f, &p, NULL, risk).state, EXPR_FAILED);
    fx_free(&f);
}

static void scales(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int rate = add(&f, NULL, "scale_rate(params.tax, monthly_wage)");
    int tax = add(&f, NULL, "scale_marginal(params.tax, monthly_wage)");
    struct person p;
    person_blank(&p, "p1");
    set_money(&p.monthly_wage, 1200000, "NPR"); /* 12000.00 */
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, rate), 200000);
    /* 5000 at 0 + 5000 at 10% + 2000 at 20% = 900.00 */
    assert_ok(run(&f, &p, NULL, tax), 90000);
    set_money(&p.monthly_wage, 400000, "NPR");
    assert_ok(run(&f, &p, NULL, rate), 0);
    assert_ok(run(&f, &p, NULL, tax), 0);
    fx_free(&f);
}

static void strings_and_named_values(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int place = add(&f, "place", "admin2 == \"Jumla\" ? admin1 : \"elsewhere\"");
    int same = add(&f, NULL, "place == \"Karnali\"");
    int sex = add(&f, "who", "sex");
    int cmp = add(&f, NULL, "who != \"male\"");
    int tax = add(&f, NULL, "income_tax_payer");
    struct person p;
    person_blank(&p, "p1");
    snprintf(p.admin1, sizeof p.admin1, "Karnali");
    snprintf(p.admin2, sizeof p.admin2, "Jumla");
    p.sex = SEX_OTHER;
    p.income_tax_payer = TRISTATE_FALSE;
    bind(&f, "2025-01-15");
    struct expr_value v = run(&f, &p, NULL, place);
    assert_int_equal(v.state, EXPR_OK);
    assert_string_equal(v.text, "Karnali");
    assert_ok(run(&f, &p, NULL, same), 1);
    assert_string_equal(run(&f, &p, NULL, sex).text, "other");
    assert_ok(run(&f, &p, NULL, cmp), 1);
    assert_ok(run(&f, &p, NULL, tax), 0);
    assert_has_line(explain(&f, &p, NULL, same), "place \"Karnali\" == \"Karnali\"");
    assert_has_line(explain(&f, &p, NULL, same), "admin2 \"Jumla\" == \"Jumla\"");
    fx_free(&f);
}

/* Builds, binds and runs a small unit; returns the first failure's status. */
static int build_and_run(struct fx *f, const struct person *p, const struct person_history *h)
{
    static const char *const sources[][2] = {
        {"age", "age_years(birth_date)"},
        {"kids", "household.members.filter(m, m.relationship == \"child\")"},
        {NULL, "age >= params.senior_age && \"dalit\" in groups && kids.size() >= 1"},
        {NULL, "round(monthly_wage * params.rate, \"1.00\")"},
    };
    struct error err;
    error_init(&err);
    struct expr_unit *u = NULL;
    struct expr_bound *b = NULL;
    struct expr_scratch *s = NULL;
    struct buf out;
    buf_init(&out, 1 << 16);
    int rc = expr_unit_new(&f->scope, &u, &err);
    for (int i = 0; rc == SP_OK && i < 4; i++) {
        struct expr_pos pos = {"t.yaml", 1, 1};
        int index;
        rc = expr_unit_add(u, sources[i][0], sources[i][1], pos, NULL, &index, &err);
    }
    if (rc == SP_OK)
        rc = expr_unit_bind(u, test_day("2025-01-15"), &b, &err);
    if (rc == SP_OK)
        rc = expr_scratch_new(u, &s, &err);
    struct expr_value v[4];
    const struct person *pp[1] = {p};
    const struct person_history *hp[1] = {h};
    if (rc == SP_OK)
        rc = expr_run_traced(b, s, p, h, v, &err);
    if (rc == SP_OK)
        rc = expr_run_block(b, s, pp, hp, 1, cols, &err);
    if (rc == SP_OK)
        rc = expr_explain(b, s, p, h, 2, &out, &err);
    if (rc != SP_OK)
        assert_true(err.message[0] != '\0'); /* every failure says what went wrong */
    buf_release(&out);
    expr_scratch_free(s);
    expr_bound_free(b);
    expr_unit_free(u);
    return rc;
}

static void long_chains_run_and_explain(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    /* 65 terms of || (more than the nesting limit of 64, which a chain does not count against) */
    static char source[16384];
    size_t n = 0;
    for (int i = 0; i < 65; i++)
        n += (size_t)snprintf(source + n, sizeof source - n, "%sliving_children == %d",
                              i ? " || " : "", 100 + i);
    int any = add(&f, "any", source);
    /* the tallest tree the limits allow: nesting just under the limit above a chain of
     * operators up to the size limit (512), so every recursive walk goes 540 levels deep */
    n = 0;
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(source + n, sizeof source - n, "-(");
    n += (size_t)snprintf(source + n, sizeof source - n, "living_children");
    for (int i = 0; i < 510; i++)
        n += (size_t)snprintf(source + n, sizeof source - n, " + 1");
    for (int i = 0; i < 30; i++)
        n += (size_t)snprintf(source + n, sizeof source - n, ")");
    snprintf(source + n, sizeof source - n, " > 600");
    int tall = add(&f, "tall", source);
    struct person p;
    person_blank(&p, "p1");
    p.living_children = 164;
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &p, NULL, any), 1);
    assert_has_line(explain(&f, &p, NULL, any), "living_children 164 == 164");
    assert_ok(run(&f, &p, NULL, tall), 1);
    assert_non_null(strstr(explain(&f, &p, NULL, tall), " > 600"));
    fx_free(&f);
}

static void running_out_of_memory_fails_cleanly(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    struct person a, c;
    person_blank(&a, "a");
    person_blank(&c, "c");
    a.birth_date = test_day("1950-01-01");
    snprintf(a.groups, sizeof a.groups, "dalit");
    set_money(&a.monthly_wage, 1234567, "NPR");
    c.relationship = RELATIONSHIP_CHILD;
    const struct person *members[] = {&a, &c};
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.members = members;
    h.n_members = 2;
    int failures = 0, n;
    for (n = 0; n < 500; n++) {
        alloc_fail_after(n);
        int rc = build_and_run(&f, &a, &h);
        alloc_fail_after(-1);
        if (rc == SP_OK)
            break;
        assert_int_equal(rc, SP_IO);
        failures++;
    }
    assert_true(failures > 10); /* the allocations were really made to fail */
    assert_int_equal(build_and_run(&f, &a, &h), SP_OK);
    fx_free(&f);
}

/* ---- property test: traced and block runs agree on random populations ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15u;

static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

#define POP             1500
#define PER_PERSON_ROWS 6

static void random_person(struct person *p, int i)
{
    static const char *const places[] = {"Jumla", "Humla", "Kathmandu", "Mugu", ""};
    static const char *const groups[] = {"",
                                         "dalit",
                                         "dalit;solo_parent",
                                         "solo_parent",
                                         "dalit;Humla",
                                         ";;x",
                                         "dalit;;solo_parent",
                                         "pwd;",
                                         ";pwd"};
    char id[16];
    snprintf(id, sizeof id, "p%d", i);
    person_blank(p, id);
    p->sex = (uint8_t)pick(4);
    p->relationship = (uint8_t)pick(6);
    p->worker_category = (uint8_t)pick(11);
    p->marital_status = (uint8_t)pick(6);
    p->income_tax_payer = (uint8_t)pick(3);
    if (pick(8) != 0)
        p->birth_date = test_day("1930-01-01") + pick(95 * 366);
    if (pick(6) == 0)
        p->birth_date = test_day("2000-02-29") + 366 * 4 * pick(3); /* leap-day birthdays */
    if (pick(4) != 0) {
        static const char *const currencies[] = {"NPR", "NPR", "NPR", "PHP"};
        set_money(&p->monthly_wage, (int64_t)pick(5000000), currencies[pick(4)]);
    }
    if (pick(30) == 0)
        set_money(&p->monthly_wage, INT64_MAX - pick(1000), "NPR");
    p->living_children = pick(5) - 1;
    snprintf(p->admin2, sizeof p->admin2, "%s", places[pick(5)]);
    snprintf(p->groups, sizeof p->groups, "%s", groups[pick(9)]);
    if (pick(3) == 0) {
        snprintf(p->extra[0].name, sizeof p->extra[0].name, "jkk_risk_class");
        snprintf(p->extra[0].value, sizeof p->extra[0].value, "%s",
                 pick(5) == 0 ? "x"
                 : pick(2)    ? "1"
                              : "3");
        p->n_extra = 1;
    }
}

static void random_history(struct person_history *h, struct contribution *rows,
                           struct enrolment *en, struct life_event *ev,
                           const struct person **members, struct person *pop, int i)
{
    memset(h, 0, sizeof *h);
    if (pick(5) == 0)
        return; /* leave it empty */
    int n = pick(PER_PERSON_ROWS + 1);
    int month = (2023 - 1970) * 12 + pick(12);
    for (int k = 0; k < n; k++) {
        memset(&rows[k], 0, sizeof rows[k]);
        snprintf(rows[k].scheme, sizeof rows[k].scheme, "%s",
                 pick(6) ? "np.ssf.contributions" : "x");
        month += pick(3);
        rows[k].month = month;
        set_money(&rows[k].wage, pick(1000000), "NPR");
    }
    h->contributions = rows;
    h->n_contributions = n;
    if (pick(2)) {
        memset(en, 0, sizeof *en);
        snprintf(en->scheme, sizeof en->scheme, "np.ssa.senior_citizen");
        en->from = test_day("2020-01-01") + pick(2000);
        en->to = pick(3) ? DATE_NONE : en->from + pick(2000);
        h->enrolments = en;
        h->n_enrolments = 1;
    }
    memset(ev, 0, sizeof *ev * 2);
    ev[0].type = EVENT_BIRTH;
    ev[0].date = test_day("2022-01-01") + pick(1500);
    ev[1].type = EVENT_DEPARTURE;
    ev[1].date = test_day("2023-01-01") + pick(1000);
    ev[1].contract_months = pick(30);
    h->events = ev;
    h->n_events = pick(3);
    int m = pick(4);
    for (int k = 0; k < m; k++)
        members[k] = &pop[pick(POP)];
    members[m] = &pop[i];
    h->members = members;
    h->n_members = m + 1;
}

static const char *const property_exprs[][2] = {
    {"age", "age_years(birth_date)"},
    {NULL, "age >= params.senior_age"},
    {NULL, "age >= 60 && sex == \"female\" || admin2 in params.districts"},
    {NULL, "round(monthly_wage * params.rate, \"1.00\", \"half_up\")"},
    {NULL, "clamp(monthly_wage, money(\"5000.00\"), params.wage_cap) * 0.1"},
    {NULL, "min(monthly_wage, params.allowance) + max(monthly_wage, params.allowance)"},
    {NULL, "div(monthly_wage, 3) - div(monthly_wage, 7)"},
    {NULL, "living_children + 9223372036854775807 > 0"},     /* overflows from 1 child */
    {NULL, "living_children - 9223372036854775807 - 2 < 0"}, /* overflows at 0 children */
    {NULL, "worker_category in [\"informal\", \"domestic\", \"migrant\"]"},
    {NULL, "\"dalit\" in groups || has(national_id) || income_tax_payer"},
    {NULL, "!(sex == \"male\") && living_children > 1"},
    {NULL, "age > 65 ? params.allowance : money(\"0.00\")"},
    {NULL, "living_children >= 2 ? living_children * 2 : 1.5"},
    {NULL, "household.members.count(m, m.relationship == \"child\" && age_years(m.birth_date) < "
           "5) >= 1"},
    {NULL, "contributions.months_in_window(add_months(as_of, -12), as_of) >= params.min_months"},
    {NULL, "contributions.continuous_months_before(as_of) + contributions.total_months()"},
    {NULL, "contributions.top_n_sum(3, date(\"2023-01-01\"), as_of)"},
    {NULL, "age_months(birth_date) % 12 == 0 || months_between(birth_date, as_of) > 600"},
    {NULL, "jkk_risk_class * 2 + living_children"},
    {NULL, "admin2 in params.karnali_districts || sex == \"other\""},
    {NULL, "events.has(\"birth\") && age_months(events.last(\"birth\")) < 24"},
    {NULL, "enrolled || enrolment.from < date(\"2022-01-01\")"},
    {NULL, "admin2 == \"Jumla\" ? admin2 : \"x\""},
    {NULL, "size(given_name) + [10, 20, 30][living_children % 3]"},
    {NULL, "given_name.startsWith(\"S\") || family_name > \"M\" || admin2.contains(\"um\")"},
    {NULL, "[1, 2, 3].exists_one(x, x == living_children) && int(\"7\") / 2 == 3"},
    /* list facts against a list (C_ANY_IN): a parameter, one not set, a constant with "" */
    {NULL, "groups.exists(g, g in params.districts) || sex == \"other\""},
    {NULL, "groups.exists(g, g in params.karnali_districts)"},
    {NULL, "groups.exists(g, g in [\"solo_parent\", \"\", \"x\"]) && living_children > 0"},
};

/* A random population with histories (some persons without one): the property tests'. */
static struct random_population {
    struct person pop[POP];
    struct person_history hist[POP];
    struct contribution rows[POP][PER_PERSON_ROWS];
    struct enrolment en[POP];
    struct life_event ev[POP][2];
    const struct person *members[POP][5];
    const struct person *pp[POP];
    const struct person_history *hp[POP];
} population;

static void random_population(void)
{
    struct random_population *r = &population;
    for (int i = 0; i < POP; i++)
        random_person(&r->pop[i], i);
    for (int i = 0; i < POP; i++)
        random_history(&r->hist[i], r->rows[i], &r->en[i], r->ev[i], r->members[i], r->pop, i);
    for (int i = 0; i < POP; i++) {
        r->pp[i] = &r->pop[i];
        r->hp[i] = pick(10) ? &r->hist[i] : NULL;
    }
}

static void traced_and_block_runs_agree_on_random_populations(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int n = (int)(sizeof property_exprs / sizeof property_exprs[0]);
    assert_true(n <= MAX_EXPRS);
    for (int i = 0; i < n; i++)
        add(&f, property_exprs[i][0], property_exprs[i][1]);
    random_population();
    const struct person *const *pp = population.pp;
    const struct person_history *const *hp = population.hp;
    static const char *const dates[] = {"2022-07-16", "2022-07-17", "2025-02-28", "2024-02-29"};
    int states[4] = {0, 0, 0, 0};
    for (int d = 0; d < 4; d++) {
        bind(&f, dates[d]);
        struct error err;
        error_init(&err);
        for (int start = 0; start < POP; start += EXPR_BLOCK) {
            int count = POP - start < EXPR_BLOCK ? POP - start : EXPR_BLOCK;
            assert_int_equal(expr_run_block(f.b, f.s, pp + start, hp + start, count, cols, &err),
                             SP_OK);
            for (int lane = 0; lane < count; lane++) {
                struct expr_value traced[MAX_EXPRS];
                int i = start + lane;
                assert_int_equal(expr_run_traced(f.b, f.s, pp[i], hp[i], traced, &err), SP_OK);
                for (int k = 0; k < n; k++) {
                    states[traced[k].state]++;
                    if (traced[k].state != cols[k].state[lane] ||
                        traced[k].value != cols[k].value[lane])
                        fail_msg("%s on %s, person %d: traced (%d, %lld), block (%d, %lld)",
                                 property_exprs[k][1], dates[d], i, traced[k].state,
                                 (long long)traced[k].value, cols[k].state[lane],
                                 (long long)cols[k].value[lane]);
                    if (traced[k].state == EXPR_OK && expr_unit_type(f.u, k).kind == EXPR_STRING)
                        assert_string_equal(traced[k].text, cols[k].text[lane]);
                }
            }
        }
    }
    /* the population exercises every state */
    for (int s = 0; s < 4; s++)
        assert_true(states[s] > 0);
    fx_free(&f);
}

/*
 * The column path (expr_run_fused) gives, wherever it knows a result, the block runner's state,
 * and its value where that state is OK; it knows most of what the compact facts decide.
 */
static void the_column_path_agrees_with_the_block_runner(void **state)
{
    (void)state;
    static struct fact_block fb;
    static struct expr_column fused[MAX_EXPRS];
    random_population();
    const struct person *const *pp = population.pp;
    const struct person_history *const *hp = population.hp;
    static const char *const dates[] = {"2022-07-16", "2022-07-17", "2025-02-28", "1990-01-01"};
    int n = (int)(sizeof property_exprs / sizeof property_exprs[0]);
    long known = 0, lanes = 0, columnar = 0;
    /* each property expression in a unit of its own after age; then results read back by
       name, whose registers the runners reuse */
    for (int e = 1; e <= n; e++) {
        struct fx f;
        fx_init(&f);
        if (e < n) {
            add(&f, property_exprs[0][0], property_exprs[0][1]); /* age, which others name */
            add(&f, property_exprs[e][0], property_exprs[e][1]);
        } else {
            add(&f, "born", "birth_date");
            add(&f, NULL,
                "age_years(born) >= 30 || age_years(add_months(born, 1)) < 5 || !(age_years(born) "
                "> 90)");
        }
        if (!expr_unit_columnar(f.u)) { /* a macro over household members */
            fx_free(&f);
            continue;
        }
        columnar++;
        const char *source = property_exprs[e < n ? e : 0][1];
        for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++) {
            bind(&f, dates[d]);
            struct error err;
            error_init(&err);
            for (int start = 0; start < POP; start += EXPR_BLOCK) {
                int count = POP - start < EXPR_BLOCK ? POP - start : EXPR_BLOCK;
                fact_block_fill(&fb, pp + start, hp + start, count);
                assert_int_equal(expr_run_fused(f.b, f.s, &fb, fused, &err), SP_OK);
                assert_int_equal(
                    expr_run_block(f.b, f.s, pp + start, hp + start, count, cols, &err), SP_OK);
                for (int k = 0; k < 2; k++) {
                    for (int lane = 0; lane < count; lane++) {
                        lanes++;
                        uint8_t st = fused[k].state[lane];
                        if (st == EXPR_NOT_KNOWN)
                            continue;
                        known++;
                        if (st != cols[k].state[lane] ||
                            (st == EXPR_OK && fused[k].value[lane] != cols[k].value[lane]))
                            fail_msg("%s on %s, person %d: block (%d, %lld), columns (%d, %lld)",
                                     k ? source : "the first", dates[d], start + lane,
                                     cols[k].state[lane], (long long)cols[k].value[lane], st,
                                     (long long)fused[k].value[lane]);
                    }
                }
            }
        }
        fx_free(&f);
    }
    assert_true(columnar > n / 2);
    assert_true(known * 2 > lanes); /* most results are known on the column path */
}

/* ---- household plans and limits ---- */

#define PLAN_HOUSEHOLDS 16
#define PLAN_MEMBERS    48 /* at most, per household */

/*
 * Conditions of list macros over household.members that have household plans (a member term,
 * a key comparison with the person, a self term), each written twice: as is, and with
 * `|| has(national_id)` (false, and never missing, here), which reads the person, so that the macro
 * visits every member. The two must agree.
 */
static const char *const planned_macros[][3] = {
    {"household.members.count(m, ",
     "m.relationship == \"child\" && m.id != id && m.birth_date <= birth_date && "
     "age_years(m.birth_date) < 5",
     ")"},
    {"household.members.exists(m, ", "m.birth_date < birth_date && m.sex == \"female\"", ")"},
    {"household.members.all(m, ", "m.birth_date > birth_date && m.sex != \"other\"", ")"},
    {"household.members.all(m, ", "m.birth_date >= birth_date", ")"},
    {"household.members.count(m, ", "m.living_children >= living_children && m.id != id", ")"},
    {"household.members.count(m, ", "m.birth_date == birth_date", ")"},
    {"household.members.exists(m, ", "m.birth_date != birth_date && m.id != id", ")"},
    {"household.members.count(m, ", "m.id != id && m.admin2 in params.karnali_districts", ")"},
    {"household.members.count(m, ", "m.monthly_wage > money(\"100.00\") && m.id != id", ")"},
    {"household.members.count(m, ",
     "m.birth_date <= birth_date && m.monthly_wage > money(\"1.00\")", ")"},
    {"household.members.exists(m, ",
     "m.living_children < living_children && m.admin2 in params.karnali_districts", ")"},
    {"household.members.count(m, ", "m.sex != sex && m.relationship != \"other\"", ")"},
    {"household.members.count(m, ", "m.id != sex && has(m.birth_date)", ")"},
    {"household.members.exists(m, ", "m.id != sex && m.living_children > 4", ")"},
    {"household.members.count(m, ", "m.monthly_wage >= monthly_wage && m.id != id", ")"},
    {"household.members.count(m, ", "age_years(m.birth_date) >= age_years(birth_date)", ")"},
    {"household.members.filter(m, ", "m.sex == \"female\" && has(m.birth_date)", ").size()"},
    {"household.members.count(m, ", "birth_date > m.birth_date && m.sex != \"male\"", ")"},
    {"household.members.count(m, ", "id != m.id", ")"},
    {"household.members.all(m, ", "m.id != id && m.relationship != \"head\"", ")"},
    {"household.members.count(m, ",
     "household.members.count(k, k.birth_date < m.birth_date) < 2 && m.relationship == "
     "\"child\"",
     ")"},
};

/* Expression i of planned_macros: planned (naive 0) or visiting every member (naive 1). */
static void planned_source(int i, int naive, char *out, size_t size)
{
    const char *condition = planned_macros[i][1];
    char visiting[512];
    if (naive && strstr(condition, "household.members.count(k, ") != NULL) { /* both levels */
        snprintf(visiting, sizeof visiting,
                 "(household.members.count(k, k.birth_date < m.birth_date || has(national_id)) "
                 "< 2 && m.relationship == \"child\") || has(national_id)");
        condition = visiting;
    } else if (naive) {
        snprintf(visiting, sizeof visiting, "(%s) || has(national_id)", condition);
        condition = visiting;
    }
    snprintf(out, size, "%s%s%s", planned_macros[i][0], condition, planned_macros[i][2]);
}

/* The first list macro node at or under node n of u's tree, or NULL. */
static const struct expr_node *first_macro(const struct expr_unit *u, int n)
{
    const struct expr_node *x = &u->nodes[n];
    if (x->op == X_MACRO)
        return x;
    return x->n_kids > 0 ? first_macro(u, x->kid) : NULL;
}

static void random_member(struct person *p, int i)
{
    static const char *const places[] = {"Jumla", "Humla", "Kathmandu", ""};
    char id[16];
    snprintf(id, sizeof id, "m%d", i);
    person_blank(p, id);
    if (pick(20) == 0)
        p->id[0] = '\0';       /* no id: the self term is unknown */
    p->sex = (uint8_t)pick(5); /* 4 is no sex: reading it fails */
    p->relationship = (uint8_t)pick(6);
    if (pick(10) != 0) /* few distinct days, so that some share a birth date */
        p->birth_date = test_day("2018-01-01") + 30 * pick(120);
    p->living_children = pick(6) - 1;
    if (pick(3) != 0)
        set_money(&p->monthly_wage, (int64_t)pick(50000), pick(8) ? "NPR" : "PHP");
    snprintf(p->admin2, sizeof p->admin2, "%s", places[pick(4)]);
}

static void household_plans_agree_with_visiting_every_member(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int n = (int)(sizeof planned_macros / sizeof planned_macros[0]);
    for (int i = 0; i < n; i++) {
        for (int naive = 0; naive < 2; naive++) {
            char source[1024];
            planned_source(i, naive, source, sizeof source);
            int k = add(&f, NULL, source);
            assert_int_equal(k, 2 * i + naive);
            const struct expr_node *macro = first_macro(f.u, f.u->defs[k].root);
            assert_non_null(macro);
            if ((macro->ptr != NULL) == naive) /* the first has a plan, the second none */
                fail_msg("%s: %s", source, naive ? "has a plan" : "has no plan");
        }
    }
    static struct person pop[PLAN_HOUSEHOLDS * PLAN_MEMBERS];
    static const struct person *members[PLAN_HOUSEHOLDS][PLAN_MEMBERS];
    static struct person_history hist[PLAN_HOUSEHOLDS * PLAN_MEMBERS];
    static const struct person *pp[PLAN_HOUSEHOLDS * PLAN_MEMBERS];
    static const struct person_history *hp[PLAN_HOUSEHOLDS * PLAN_MEMBERS];
    int count = 0;
    for (int h = 0; h < PLAN_HOUSEHOLDS; h++) {
        int size = EXPR_PLAN_MIN_MEMBERS + pick(PLAN_MEMBERS - EXPR_PLAN_MIN_MEMBERS + 1);
        int first = count;
        for (int k = 0; k < size; k++) {
            random_member(&pop[count], count);
            members[h][k] = &pop[count];
            if (k > 0 && pick(15) == 0) /* a member listed twice */
                members[h][k] = members[h][pick(k)];
            if (k > 0 && pick(15) == 0) /* another person with an earlier one's id */
                snprintf(pop[count].id, sizeof pop[count].id, "%s", members[h][pick(k)]->id);
            count++;
        }
        for (int k = first; k < count; k++) {
            memset(&hist[k], 0, sizeof hist[k]);
            hist[k].members = members[h];
            hist[k].n_members = size;
            hist[k].members_key = h % 2 ? 1000000 + (uint64_t)h : 0; /* kept between runs */
            pp[k] = &pop[k];
            hp[k] = &hist[k];
        }
    }
    static struct expr_column pcols[48];
    assert_true(2 * n <= 48);
    static const char *const dates[] = {"2022-07-16", "2025-01-15"};
    int states[4] = {0, 0, 0, 0};
    for (int d = 0; d < 2; d++) {
        bind(&f, dates[d]);
        struct error err;
        error_init(&err);
        for (int start = 0; start < count; start += EXPR_BLOCK) {
            int lanes = count - start < EXPR_BLOCK ? count - start : EXPR_BLOCK;
            assert_int_equal(expr_run_block(f.b, f.s, pp + start, hp + start, lanes, pcols, &err),
                             SP_OK);
            for (int lane = 0; lane < lanes; lane++) {
                int at;
                assert_int_equal(expr_stopped(f.s, lane, &at), EXPR_STOP_NONE);
                for (int i = 0; i < n; i++) {
                    int k = 2 * i;
                    states[pcols[k].state[lane]]++;
                    if (pcols[k].state[lane] != pcols[k + 1].state[lane] ||
                        pcols[k].value[lane] != pcols[k + 1].value[lane])
                        fail_msg("%s: person %d on %s: planned (%d, %lld), visiting (%d, %lld)",
                                 planned_macros[i][1], start + lane, dates[d], pcols[k].state[lane],
                                 (long long)pcols[k].value[lane], pcols[k + 1].state[lane],
                                 (long long)pcols[k + 1].value[lane]);
                }
            }
        }
        for (int i = 0; i < count; i += 7) { /* the interpreter agrees, with plans kept */
            struct expr_value traced[48];
            assert_int_equal(expr_run_traced(f.b, f.s, pp[i], hp[i], traced, &err), SP_OK);
            for (int k = 0; k < 2 * n; k += 2)
                if (traced[k].state != traced[k + 1].state ||
                    traced[k].value != traced[k + 1].value)
                    fail_msg("%s: person %d traced: planned (%d, %lld), visiting (%d, %lld)",
                             planned_macros[k / 2][1], i, traced[k].state,
                             (long long)traced[k].value, traced[k + 1].state,
                             (long long)traced[k + 1].value);
        }
    }
    for (int st = 0; st < 4; st++) /* the households exercise every state */
        assert_true(states[st] > 0);
    fx_free(&f);
}

/* Two persons with the person's id: the self term takes both out, whatever their key. */
static void plans_take_out_every_member_with_the_persons_text(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int planned = add(&f, NULL,
                      "household.members.count(m, m.monthly_wage >= monthly_wage && "
                      "m.id != id)");
    int naive = add(&f, NULL,
                    "household.members.count(m, (m.monthly_wage >= monthly_wage && "
                    "m.id != id) || has(national_id))");
    static struct person people[20];
    static const struct person *members[20];
    for (int i = 0; i < 20; i++) {
        char id[16];
        snprintf(id, sizeof id, i < 2 ? "x" : "r%d", i);
        person_blank(&people[i], id);
        set_money(&people[i].monthly_wage, 1000000, "NPR");
        members[i] = &people[i];
    }
    set_money(&people[1].monthly_wage, 10000, "PHP");                  /* reading it fails */
    memset(&people[0].monthly_wage, 0, sizeof people[0].monthly_wage); /* not given */
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.members = members;
    h.n_members = 20;
    bind(&f, "2025-01-15");
    /* the person's wage is not given: every other member is unknown, missing a fact */
    assert_int_equal(run(&f, &people[0], &h, planned).state, EXPR_MISSING);
    assert_int_equal(run(&f, &people[0], &h, naive).state, EXPR_MISSING);
    /* given: the 18 others earn more; the one with the same id and a failing wage is out */
    set_money(&people[0].monthly_wage, 500000, "NPR");
    bind(&f, "2025-01-15");
    assert_ok(run(&f, &people[0], &h, planned), 18);
    assert_ok(run(&f, &people[0], &h, naive), 18);
    fx_free(&f);
}

static void a_run_past_the_step_budget_stops_that_person_only(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    int age = add(&f, "age", "age_years(birth_date)");
    /* 60^4 member visits: more than EXPR_STEPS_MAX; reads the person at every level */
    int costly = add(&f, NULL,
                     "household.members.exists(a, household.members.exists(b, "
                     "household.members.exists(c, household.members.exists(d, "
                     "a.birth_date == birth_date && b.birth_date == birth_date && "
                     "c.birth_date == birth_date && d.birth_date != d.birth_date))))");
    int after = add(&f, NULL, "household.members.count(m, m.birth_date == birth_date)");
    static struct person crowd[60];
    static const struct person *members[60];
    for (int i = 0; i < 60; i++) {
        char id[16];
        snprintf(id, sizeof id, "c%d", i);
        person_blank(&crowd[i], id);
        crowd[i].birth_date = test_day("1980-01-01");
        members[i] = &crowd[i];
    }
    struct person alone;
    person_blank(&alone, "alone");
    alone.birth_date = test_day("1950-01-01");
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.members = members;
    h.n_members = 60;
    bind(&f, "2025-01-15");
    const struct person *pp[2] = {&crowd[0], &alone};
    const struct person_history *hp[2] = {&h, NULL};
    struct error err;
    error_init(&err);
    assert_int_equal(expr_run_block(f.b, f.s, pp, hp, 2, cols, &err), SP_OK);
    int at;
    assert_int_equal(expr_stopped(f.s, 0, &at), EXPR_STOP_STEPS);
    assert_int_equal(at, costly);
    assert_int_equal(cols[costly].state[0], EXPR_FAILED);
    assert_int_equal(cols[after].state[0], EXPR_FAILED); /* the run stopped there */
    assert_int_equal(expr_stopped(f.s, 1, &at), EXPR_STOP_NONE);
    assert_int_equal(at, -1);
    assert_int_equal(cols[costly].state[1], EXPR_OK); /* the next person is decided */
    assert_int_equal(cols[costly].value[1], 0);
    assert_int_equal(cols[after].value[1], 1);
    assert_int_equal(cols[age].value[1], 75);
    /* the interpreter stops at the same place, and says so */
    struct expr_value traced[8];
    assert_int_equal(expr_run_traced(f.b, f.s, &crowd[0], &h, traced, &err), SP_OK);
    assert_int_equal(expr_stopped(f.s, 0, &at), EXPR_STOP_STEPS);
    assert_int_equal(at, costly);
    assert_int_equal(traced[costly].state, EXPR_FAILED);
    assert_ok(traced[age], 45);
    char text[256];
    expr_stop_text(EXPR_STOP_STEPS, text, sizeof text);
    assert_string_equal(text, "stopped after 10,000,000 evaluation steps: the rule is too costly "
                              "for this household (limit: docs/expressions.md#limits)");
    fx_free(&f);
}

static void running_out_of_memory_in_a_run_stops_that_person_only(void **state)
{
    (void)state;
    struct fx f;
    fx_init(&f);
    /* keeps 2,000 members: more memory than the arena's first chunk holds */
    int kept = add(&f, NULL, "household.members.filter(m, m.id != id || has(national_id)).size()");
    int age = add(&f, NULL, "age_years(birth_date)");
    static struct person many[2000];
    static const struct person *members[2000];
    for (int i = 0; i < 2000; i++) {
        char id[16];
        snprintf(id, sizeof id, "p%d", i);
        person_blank(&many[i], id);
        many[i].birth_date = test_day("1990-01-01");
        members[i] = &many[i];
    }
    struct person_history h;
    memset(&h, 0, sizeof h);
    h.members = members;
    h.n_members = 2000;
    bind(&f, "2025-01-15");
    const struct person *pp[2] = {&many[0], &many[1]};
    const struct person_history *hp[2] = {&h, NULL};
    struct error err;
    error_init(&err);
    assert_int_equal(expr_run_block(f.b, f.s, pp + 1, hp + 1, 1, cols, &err), SP_OK);
    alloc_fail_after(0); /* from now on, nothing more can be allocated */
    int rc = expr_run_block(f.b, f.s, pp, hp, 2, cols, &err);
    alloc_fail_after(-1);
    assert_int_equal(rc, SP_OK);
    int at;
    assert_int_equal(expr_stopped(f.s, 0, &at), EXPR_STOP_MEMORY);
    assert_int_equal(at, kept);
    assert_int_equal(cols[kept].state[0], EXPR_FAILED);
    assert_int_equal(expr_stopped(f.s, 1, &at), EXPR_STOP_NONE);
    assert_int_equal(cols[kept].state[1], EXPR_OK); /* alone: fits in the memory it has */
    assert_int_equal(cols[kept].value[1], 0);
    assert_int_equal(cols[age].value[1], 35);
    assert_int_equal(expr_run_block(f.b, f.s, pp, hp, 2, cols, &err), SP_OK);
    assert_int_equal(cols[kept].value[0], 1999); /* with memory, the same run completes */
    char text[256];
    expr_stop_text(EXPR_STOP_MEMORY, text, sizeof text);
    assert_non_null(strstr(text, "(limit: docs/expressions.md#limits)"));
    fx_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(age_condition_follows_the_parameter_dates),
        cmocka_unit_test(missing_facts_follow_three_valued_logic),
        cmocka_unit_test(missing_results_name_the_facts_that_would_decide_them),
        cmocka_unit_test(a_declared_default_is_assumed_where_the_fact_is_not_given),
        cmocka_unit_test(money_arithmetic_rounds_by_the_scheme),
        cmocka_unit_test(cel_strings_lists_and_macros),
        cmocka_unit_test(cel_matches_is_bounded),
        cmocka_unit_test(cel_dates_as_timestamps),
        cmocka_unit_test(failures_name_the_operation_and_its_values),
        cmocka_unit_test(membership_in_lists),
        cmocka_unit_test(ages_on_29_february),
        cmocka_unit_test(ages_equal_date_age_years_for_every_birth_day),
        cmocka_unit_test(date_functions),
        cmocka_unit_test(contribution_helpers),
        cmocka_unit_test(top_n_sum_clamps_each_row_to_its_month),
        cmocka_unit_test(top_n_sum_reads_the_ceiling_on_the_first_day_of_each_month),
        cmocka_unit_test(event_helpers),
        cmocka_unit_test(household_macros),
        cmocka_unit_test(grandfathered_parameter_keeps_the_old_value),
        cmocka_unit_test(extra_facts_are_parsed_per_their_type),
        cmocka_unit_test(scales),
        cmocka_unit_test(strings_and_named_values),
        cmocka_unit_test(long_chains_run_and_explain),
        cmocka_unit_test(running_out_of_memory_fails_cleanly),
        cmocka_unit_test(traced_and_block_runs_agree_on_random_populations),
        cmocka_unit_test(the_column_path_agrees_with_the_block_runner),
        cmocka_unit_test(household_plans_agree_with_visiting_every_member),
        cmocka_unit_test(plans_take_out_every_member_with_the_persons_text),
        cmocka_unit_test(a_run_past_the_step_budget_stops_that_person_only),
        cmocka_unit_test(running_out_of_memory_in_a_run_stops_that_person_only),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
