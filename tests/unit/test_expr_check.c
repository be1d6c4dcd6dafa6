/*
 * Unit tests for the expression type checker: every class of compile error, with the
 * file:line:col inside the expression and a message that says what was expected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "rules/expr.h"
#include "rules/param.h"

static struct param_set *params;
static struct expr_unit *unit;
static struct expr_fact_decl extra[1];

static int setup(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    assert_int_equal(param_set_new(&params, &err), SP_OK);
    struct param *p;
    assert_int_equal(param_set_define(params, "np.ssa.senior_age", PARAM_INT, NULL, "years", "",
                                      "p.yaml", 1, &p, &err),
                     SP_OK);
    assert_int_equal(param_set_define(params, "np.ssa.allowance", PARAM_MONEY, "NPR", "NPR", "",
                                      "p.yaml", 2, &p, &err),
                     SP_OK);
    assert_int_equal(
        param_set_define(params, "np.ssa.tax", PARAM_SCALE, "NPR", "", "", "p.yaml", 3, &p, &err),
        SP_OK);
    assert_int_equal(param_set_define(params, "bd.eis.rate", PARAM_DECIMAL, NULL, "rate", "",
                                      "p.yaml", 4, &p, &err),
                     SP_OK);
    extra[0].name = "jkk_risk_class";
    extra[0].type.kind = EXPR_INT;
    static struct expr_scope scope;
    scope.params = params;
    scope.param_namespace = "np.ssa";
    scope.currency = "NPR";
    scope.scheme_id = "np.ssa.senior_citizen";
    scope.extra_facts = extra;
    scope.n_extra_facts = 1;
    assert_int_equal(expr_unit_new(&scope, &unit, &err), SP_OK);
    struct expr_pos pos = {"s.yaml", 1, 1};
    int index;
    assert_int_equal(expr_unit_add(unit, "age", "age_years(birth_date)", pos, NULL, &index, &err),
                     SP_OK);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    expr_unit_free(unit);
    param_set_free(params);
    return 0;
}

/* The source starts at s.yaml:12:9, as a YAML value would. */
static void assert_error(const char *source, const char *message)
{
    struct error err;
    error_init(&err);
    struct expr_pos pos = {"s.yaml", 12, 9};
    int index = -1, before = expr_unit_count(unit);
    assert_int_equal(expr_unit_add(unit, NULL, source, pos, NULL, &index, &err), SP_BAD_INPUT);
    if (strcmp(err.message, message) != 0)
        fail_msg("%s:\n got  \"%s\"\n want \"%s\"", source, err.message, message);
    assert_int_equal(expr_unit_count(unit), before);
}

static struct expr_type type_of(const char *source)
{
    struct error err;
    error_init(&err);
    struct expr_pos pos = {"s.yaml", 1, 1};
    int index;
    if (expr_unit_add(unit, NULL, source, pos, NULL, &index, &err) != SP_OK)
        fail_msg("%s: %s", source, err.message);
    return expr_unit_type(unit, index);
}

static void unknown_names_suggest_the_closest(void **state)
{
    (void)state;
    assert_error("agee >= 60", "s.yaml:12:9: unknown fact \"agee\" (did you mean \"age\"?)");
    assert_error("brith_date", "s.yaml:12:9: unknown fact \"brith_date\" (did you mean "
                               "\"birth_date\"?)");
    assert_error("age >= params.senior_agee",
                 "s.yaml:12:16: unknown parameter \"params.senior_agee\": neither "
                 "np.ssa.senior_agee nor senior_agee is defined (did you mean "
                 "\"params.senior_age\"?)");
    assert_error("agge_years(birth_date)",
                 "s.yaml:12:9: unknown function \"agge_years\" (did you mean \"age_years\"?)");
    assert_error("contributions.total_month()",
                 "s.yaml:12:9: unknown helper \"contributions.total_month\" (did you mean "
                 "\"contributions.total_months\"?)");
    assert_error("household.members.exist(m, true)",
                 "s.yaml:12:9: unknown list macro \"exist\" (did you mean \"exists\"?): lists "
                 "have exists, all, exists_one, filter, count and size");
    assert_error("household.size", "s.yaml:12:9: household has no field \"size\": "
                                   "household.members is the list of its members");
    assert_error("household.members.exists(m, m.sexx == \"male\")",
                 "s.yaml:12:37: unknown fact \"sexx\" (did you mean \"sex\"?)");
    assert_error("events.has(\"brth\")",
                 "s.yaml:12:20: unknown event type \"brth\": use birth, "
                 "death, work_accident, pregnancy, miscarriage, job_loss, "
                 "departure, return, marriage, divorce, widowhood, disability_assessment or move");
}

static void wrong_argument_counts_and_types(void **state)
{
    (void)state;
    assert_error("age_years(birth_date, as_of)",
                 "s.yaml:12:9: age_years() takes 1 argument (a date), got 2");
    assert_error("clamp(1, 2)",
                 "s.yaml:12:9: clamp() takes 3 arguments (a value, a lower and an upper bound), "
                 "got 2");
    assert_error("age_years(monthly_wage)",
                 "s.yaml:12:19: age_years() takes a date, got money (NPR)");
    assert_error("round(monthly_wage, \"0.001\")",
                 "s.yaml:12:29: \"0.001\" has too many decimal places: NPR has 2");
    assert_error("round(monthly_wage, \"1.00\", \"nearest\")",
                 "s.yaml:12:37: unknown rounding \"nearest\": expected half_up, down or up");
    assert_error("date(\"2023-02-30\")",
                 "s.yaml:12:14: \"2023-02-30\" is not a date: 2023-02 has 28 days");
    assert_error("date(sex)", "s.yaml:12:14: expected a date \"YYYY-MM-DD\" here (a constant "
                              "string)");
    assert_error("money(\"12.5x\", \"NPR\")",
                 "s.yaml:12:15: \"12.5x\" is not an amount of money: unexpected character");
    assert_error("money(\"1.00\", \"XYZ\")", "s.yaml:12:23: unknown currency \"XYZ\"");
    assert_error("scale_rate(params.senior_age, 3)",
                 "s.yaml:12:20: scale_rate() takes a scale parameter first, got int");
    assert_error("has(age)", "s.yaml:12:13: has() takes a fact, as in has(national_id)");
    assert_error("size(birth_date)", "s.yaml:12:14: size() takes a list or a string, got date");
    /* top_n_sum's floor and ceiling are money parameters of the scheme's currency, both given */
    assert_error("contributions.top_n_sum(6, as_of, as_of, params.allowance)",
                 "s.yaml:12:50: top_n_sum() takes a floor and a ceiling parameter together, got "
                 "only one");
    assert_error("contributions.top_n_sum(6, as_of, as_of, monthly_wage, params.allowance)",
                 "s.yaml:12:50: top_n_sum() takes an int and two dates (n, start, end), and "
                 "optionally a floor and a ceiling parameter: the floor must be a money parameter");
    assert_error("contributions.top_n_sum(6, as_of, as_of, params.allowance, params.senior_age)",
                 "s.yaml:12:68: top_n_sum() takes an int and two dates (n, start, end), and "
                 "optionally a floor and a ceiling parameter: the ceiling must be a money "
                 "parameter");
    assert_int_equal(
        type_of("contributions.top_n_sum(6, as_of, as_of, params.allowance, params.allowance)")
            .kind,
        EXPR_MONEY);
}

static void money_keeps_its_currency(void **state)
{
    (void)state;
    assert_error("monthly_wage + money(\"1.00\", \"PHP\")", "s.yaml:12:22: cannot add NPR and PHP");
    assert_error("monthly_wage < date(\"2020-01-01\")",
                 "s.yaml:12:22: cannot compare money (NPR) with date");
    assert_error("monthly_wage > 1000", "s.yaml:12:22: cannot compare money (NPR) with int");
    assert_error("monthly_wage * monthly_wage",
                 "s.yaml:12:22: cannot multiply money (NPR) by money (NPR)");
    assert_error("3 / monthly_wage", "s.yaml:12:11: cannot divide int by money (NPR) with /: / is "
                                     "CEL's division (of ints, truncating, or of doubles); divide "
                                     "exactly with div(a, b), rounded to the minor unit or six "
                                     "places by the scheme's rounding, or div(a, b, \"0.01\", "
                                     "\"half_up\")");
    assert_error("2 * 0.5", "s.yaml:12:11: cannot multiply int by double: CEL does not mix int "
                            "and double in arithmetic (write a constant int as a double: 2.0)");
    assert_error("0.1 + 0.2", "s.yaml:12:9: this number is the CEL double 0.30000000000000004, "
                              "which no decimal of six places holds exactly: spfloor refuses it "
                              "rather than compute something else (docs/expressions.md, "
                              "\"Numbers\")");
    assert_error("div(monthly_wage, 0)", "s.yaml:12:27: div() by zero");
    /* round() and div() read their unit and rounding alike: a unit above zero, a known rounding */
    assert_error("round(monthly_wage, \"0.00\")",
                 "s.yaml:12:29: the rounding unit must be more than zero");
    assert_error("div(monthly_wage, 3, \"-1.00\")",
                 "s.yaml:12:30: the rounding unit must be more than zero");
    assert_error("div(monthly_wage, 3, \"0.001\")",
                 "s.yaml:12:30: \"0.001\" has too many decimal places: NPR has 2");
    assert_error("div(7, 2, \"1\", \"nearest\")",
                 "s.yaml:12:24: unknown rounding \"nearest\": expected half_up, down or up");
    assert_error("birth_date + 30", "s.yaml:12:20: cannot add date and int: use add_days(date, n) "
                                    "or add_months(date, n)");
    assert_error("params.allowance == money(\"1.00\", \"PHP\")",
                 "s.yaml:12:26: cannot compare money (NPR) with money (PHP): convert one first");
    assert_int_equal(type_of("monthly_wage * 0.11").kind, EXPR_MONEY);
    assert_string_equal(type_of("div(monthly_wage, 2)").currency, "NPR");
    assert_int_equal(type_of("div(monthly_wage, params.allowance)").kind, EXPR_DECIMAL);
    assert_int_equal(type_of("2.0 * 0.5").kind, EXPR_DECIMAL); /* a double folded, exact */
    assert_int_equal(type_of("7 / 2").kind, EXPR_INT);         /* CEL: truncating */
    assert_int_equal(type_of("scale_marginal(params.tax, monthly_wage)").kind, EXPR_MONEY);
    assert_int_equal(type_of("params.bd.eis.rate").kind, EXPR_DECIMAL); /* an absolute path */
}

static void enum_words_are_checked(void **state)
{
    (void)state;
    assert_error("sex == \"femal\"", "s.yaml:12:16: sex is never \"femal\": use female, male or "
                                     "other");
    assert_error("\"widow\" == marital_status",
                 "s.yaml:12:9: marital_status is never \"widow\": "
                 "use single, married, widowed, divorced or separated");
    assert_error("worker_category in [\"informal\", \"domestc\"]",
                 "s.yaml:12:41: worker_category is never \"domestc\": use formal_employee, "
                 "informal, self_employed, domestic, home_based, migrant, herder, platform, "
                 "agricultural or sex_worker");
    assert_error("household.members.exists(m, m.relationship == \"kid\")",
                 "s.yaml:12:55: relationship is never \"kid\": use head, spouse, child, parent or "
                 "other");
    assert_int_equal(type_of("sex == \"female\"").kind, EXPR_BOOL);
    /* a word looked for in a closed list: a rule on "dalits" could never match */
    assert_error("\"dalits\" in groups",
                 "s.yaml:12:9: groups never holds \"dalits\": its words are dalit, "
                 "endangered_indigenous, idpoor, indigenous, pwd or solo_parent");
    assert_int_equal(type_of("\"dalit\" in groups").kind, EXPR_BOOL);
    assert_int_equal(type_of("\"pessi\" in memberships").kind, EXPR_BOOL);
}

static void operators_need_the_right_types(void **state)
{
    (void)state;
    assert_error("age && true", "s.yaml:12:13: && needs bool on both sides, got int and bool");
    assert_error("!age", "s.yaml:12:9: ! needs a bool, got int");
    assert_error("age ? 1 : 2", "s.yaml:12:9: the condition before ? must be bool, got int");
    assert_error("true ? 1 : \"x\"", "s.yaml:12:20: both branches of ?: must have one type, got "
                                     "int and string");
    assert_error("sex < \"male\"",
                 "s.yaml:12:13: cannot order the words of sex with <: use == or !=");
    assert_error("age in groups", "s.yaml:12:13: cannot look for int in list of string");
    assert_error("age in 3", "s.yaml:12:13: 'in' needs a list on its right, got int");
    assert_error("[1, \"a\"]", "s.yaml:12:13: list items must have one type: string after int");
    assert_error("age in [age]", "s.yaml:12:17: list items must be constants such as "
                                 "\"informal\" or 3");
    assert_error("1.5 % 2", "s.yaml:12:13: % needs two ints, got double and int");
    assert_error("groups.count(g, g)", "s.yaml:12:25: the condition of count() must be bool, got "
                                       "string");
}

static void positions_count_lines_inside_the_source(void **state)
{
    (void)state;
    assert_error("age >= 60 &&\n  sex == \"female\" &&\n  agee < 3",
                 "s.yaml:14:3: unknown fact \"agee\" (did you mean \"age\"?)");
    assert_error("age >= 60 &&\n\tmonthly_wage < as_of",
                 "s.yaml:13:15: cannot compare money (NPR) with date");
}

static void wanted_types(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    struct expr_pos pos = {"s.yaml", 5, 3};
    struct expr_type money = {EXPR_MONEY, 0, "NPR"};
    struct expr_type dec = {EXPR_DECIMAL, 0, ""};
    int index;
    assert_int_equal(expr_unit_add(unit, NULL, "params.allowance * 2", pos, &money, &index, &err),
                     SP_OK);
    assert_int_equal(expr_unit_add(unit, NULL, "3", pos, &dec, &index, &err), SP_OK);
    assert_int_equal(expr_unit_type(unit, index).kind, EXPR_DECIMAL);
    assert_int_equal(expr_unit_add(unit, NULL, "age", pos, &money, &index, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "s.yaml:5:3: expected money (NPR) here, got int");
    error_init(&err);
    assert_int_equal(expr_unit_add(unit, "sex", "1", pos, NULL, &index, &err), SP_BAD_INPUT);
    assert_string_equal(err.message, "s.yaml:5:3: value name \"sex\" is already a fact: choose "
                                     "another name");
}

/* What the subset cannot follow CEL in is refused, with the place and what to write instead. */
static void cel_outside_the_subset_is_refused(void **state)
{
    (void)state;
    assert_error("given_name + \"x\"",
                 "s.yaml:12:20: + joins constant strings only, such as \"a\" + \"b\"");
    assert_error("groups[0]", "s.yaml:12:9: [] indexes constant lists only, such as [10, 20][i]: "
                              "use a list macro such as .exists(x, ...) on another list");
    assert_error("[1, 2][\"a\"]", "s.yaml:12:16: a list index must be an int, got string");
    assert_error("groups == [\"dalit\"]",
                 "s.yaml:12:16: == on lists takes two constant lists such as [1, 2]: test the "
                 "items of another list with a list macro such as .all(x, ...)");
    assert_error("string(living_children) == \"2\"",
                 "s.yaml:12:9: string() takes a constant string, int, bool or double here: "
                 "converting a value of type int that is not a constant would make a string "
                 "while the rules run, which spfloor does not hold");
    assert_error("given_name.trim()",
                 "s.yaml:12:9: string has no method trim(): strings have contains, startsWith, "
                 "endsWith, matches and size");
    assert_error("given_name.contains(3)", "s.yaml:12:29: contains() takes a string, got int");
    assert_error("1.0 / 0.0", "s.yaml:12:9: this number is the CEL double inf, which no decimal "
                              "of six places holds exactly: spfloor refuses it rather than "
                              "compute something else (docs/expressions.md, \"Numbers\")");
    assert_error("null", "s.yaml:12:9: null is not part of spfloor's subset of CEL: a fact that "
                         "is not given is tested with has()");
    assert_error("given_name.matches(\"(a)\\\\1\")",
                 "s.yaml:12:28: this escape (backreferences, \\K, \\R, \\X, \\h, \\Z, \\C ...) "
                 "is not part of CEL's regular expressions (RE2) (at byte 3 of the pattern)");
    assert_error("given_name.matches(\"a(?=b)\")",
                 "s.yaml:12:28: this group (lookaround, atomic, recursive or conditional) is not "
                 "part of CEL's regular expressions (RE2) (at byte 1 of the pattern)");
    assert_error("given_name.matches(\"a++\")",
                 "s.yaml:12:28: a possessive quantifier is not part of CEL's regular "
                 "expressions (RE2) (at byte 2 of the pattern)");
    assert_error("given_name.matches(\"a(\")", "s.yaml:12:28: bad regular expression: missing "
                                               "closing parenthesis (at byte 2 of the pattern)");
    assert_error("given_name.matches(family_name)",
                 "s.yaml:12:28: expected a regular expression here (a constant string)");
    assert_error("timestamp(\"2009-02-13T23:31:30Z\") == birth_date",
                 "s.yaml:12:19: timestamp() takes a date at midnight UTC here, such as "
                 "\"2024-07-16T00:00:00Z\": spfloor's dates hold no time of day");
    assert_error("birth_date.getMonth(\"UTC\")",
                 "s.yaml:12:9: getMonth() takes no arguments here: a date is its midnight in "
                 "UTC, and other time zones are not part of spfloor's subset of CEL");
    assert_error("duration(\"86400s\")", "s.yaml:12:9: unknown function \"duration\"");
    assert_int_equal(type_of("1.0 / 0.0 > 1e300").kind, EXPR_BOOL); /* folded as CEL: true */
    assert_int_equal(type_of("[1, 2][1]").kind, EXPR_INT);
    assert_int_equal(type_of("\"सीता\".size()").kind, EXPR_INT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(unknown_names_suggest_the_closest),
        cmocka_unit_test(wrong_argument_counts_and_types),
        cmocka_unit_test(money_keeps_its_currency),
        cmocka_unit_test(enum_words_are_checked),
        cmocka_unit_test(operators_need_the_right_types),
        cmocka_unit_test(cel_outside_the_subset_is_refused),
        cmocka_unit_test(positions_count_lines_inside_the_source),
        cmocka_unit_test(wanted_types),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
