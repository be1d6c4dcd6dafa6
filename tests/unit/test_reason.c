/*
 * Unit tests for rules/reason (condition texts for people) and rules/scheme_words: a template
 * fills in the person's facts, named values and the parameter in force, with pronouns by sex;
 * what is not given says so; braces are escaped; an unknown placeholder or a stray brace is
 * refused with file:line:col; the words of a condition come in the language asked, else in
 * English; and decide_reasons marks each condition with the person's figure and the rule.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "rules/decide.h"
#include "rules/reason.h"
#include "rules/scheme.h"
#include "rules/scheme_words.h"
#include "support.h"

#define FIXTURE "tests/data/rules/schemes"

static struct scheme_library *lib;

static int setup(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    if (scheme_library_load(FIXTURE, &lib, &err) != SP_OK) {
        print_error("%s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scheme_library_free(lib);
    return 0;
}

static const char *const value_names[] = {"age", "pension"};
static const struct expr_fact_decl facts[] = {
    {"government_employee", {.kind = EXPR_BOOL}, "false", "not a government employee"},
    {"card_number", {.kind = EXPR_INT}, NULL, NULL},
};

/* The scope of a scheme with two named values, two extra facts and np.ssa's parameters. */
static struct reason_scope scope(void)
{
    struct reason_scope s = {value_names, 2, facts, 2, lib->params, "np.ssa"};
    return s;
}

static const struct expr_pos at = {"scheme.yaml", 7, 11};

/* Compiles source, expecting success. */
static void compile_ok(const char *source, struct reason_template *t)
{
    struct error err;
    error_init(&err);
    struct reason_scope s = scope();
    int rc = reason_template_compile(source, at, &s, t, &err);
    if (rc != SP_OK)
        print_error("%s\n", err.message);
    assert_int_equal(rc, SP_OK);
}

/* Compiles source, expecting SP_BAD_INPUT with a message that holds `message`. */
static void compile_fails(const char *source, const char *message)
{
    struct error err;
    error_init(&err);
    struct reason_template t;
    struct reason_scope s = scope();
    assert_int_equal(reason_template_compile(source, at, &s, &t, &err), SP_BAD_INPUT);
    if (strstr(err.message, message) == NULL)
        fail_msg("\"%s\" not in \"%s\"", message, err.message);
    assert_int_equal(t.n_parts, 0);
}

/* Fills source for person p on as_of with the named values given, into out. */
static void fill(const char *source, const struct person *p, const char *as_of,
                 const char *const *values, char *out, size_t size)
{
    struct reason_template t;
    compile_ok(source, &t);
    struct reason_fill f = {p, test_day(as_of), values, NULL, NULL};
    struct buf b;
    buf_init(&b, 4096);
    struct error err;
    error_init(&err);
    assert_int_equal(reason_template_fill(&t, &f, &b, &err), SP_OK);
    snprintf(out, size, "%s", b.len ? b.data : "");
    buf_release(&b);
    reason_template_release(&t);
}

static void person_set(struct person *p, const char *field, const char *value)
{
    struct error err;
    error_init(&err);
    assert_int_equal(person_set_field(p, field, value, test_day("2030-01-01"), &err), SP_OK);
}

static void test_fills_facts_values_and_the_parameter_in_force(void **state)
{
    (void)state;
    struct person p;
    person_init(&p);
    person_set(&p, "country", "NP");
    person_set(&p, "sex", "female");
    person_set(&p, "worker_category", "formal_employee");
    person_set(&p, "groups", "dalit;solo_parent");
    const char *values[] = {"66", NULL};
    char out[512];
    fill("Aged {params.senior_age} or more", &p, "2025-01-15", values, out, sizeof out);
    assert_string_equal(out, "Aged 68 or more");
    fill("Aged {params.senior_age} or more", &p, "2020-01-15", values, out, sizeof out);
    assert_string_equal(out, "Aged 70 or more"); /* the value in force on the date */
    fill("{She} is {age}; {her} work: {worker_category}; groups: {groups}", &p, "2025-01-15",
         values, out, sizeof out);
    assert_string_equal(out, "She is 66; her work: formal employee; groups: dalit, solo parent");
    fill("{{literal}} on {as_of}", &p, "2025-01-15", values, out, sizeof out);
    assert_string_equal(out, "{literal} on 2025-01-15");
}

static void test_says_what_is_not_given(void **state)
{
    (void)state;
    struct person p;
    person_init(&p);
    person_set(&p, "country", "NP");
    const char *values[] = {NULL, NULL};
    char out[512];
    fill("{she} is {age}, {marital_status}, card {card_number}", &p, "2025-01-15", values, out,
         sizeof out);
    assert_string_equal(out, "this person is not given, not given, card not given");
    fill("government employee: {government_employee}", &p, "2025-01-15", values, out, sizeof out);
    assert_string_equal(out, "government employee: no (assumed)"); /* the declared default */
    person_set(&p, "sex", "male");
    fill("{She} gets it for {her} child", &p, "2025-01-15", values, out, sizeof out);
    assert_string_equal(out, "He gets it for his child");
}

static void test_refuses_unknown_placeholders_with_their_place(void **state)
{
    (void)state;
    compile_fails("Aged {agee} or more", "scheme.yaml:7:16: unknown placeholder");
    compile_fails("Aged {agee} or more", "not {agee}");
    compile_fails("Aged {params.no_such} or more", "scheme.yaml:7:16: unknown placeholder");
    compile_fails("Über {agee}", "scheme.yaml:7:16:"); /* columns count characters */
    compile_fails("Aged {age or more", "scheme.yaml:7:16: \"{\" is not closed");
    compile_fails("Aged } or more", "scheme.yaml:7:16: a lone \"}\"");
    compile_fails("", "the text is empty");
}

static const struct scheme *find(const char *id)
{
    const struct scheme *s = scheme_library_find(lib, id);
    assert_non_null(s);
    return s;
}

static void test_words_come_in_the_language_asked_else_english(void **state)
{
    (void)state;
    const struct scheme *senior = find("np.ssa.senior_citizen");
    const struct scheme_words *w = scheme_words_find(senior, 0, "ne");
    assert_non_null(w);
    assert_string_equal(w->lang, "ne");
    assert_string_equal(w->text.source, "उमेर {params.senior_age} वा सोभन्दा बढी");
    assert_ptr_equal(scheme_words_find(senior, 0, "ne_NP"), w); /* the region falls back */
    w = scheme_words_find(senior, 0, "fr");
    assert_non_null(w);
    assert_string_equal(w->lang, "en");
    assert_string_equal(scheme_words_find(senior, 0, NULL)->text.source,
                        "Aged {params.senior_age} or more");
    /* single_woman's `single` has no Nepali text: English */
    assert_string_equal(scheme_words_find(find("np.ssa.single_woman"), 1, "ne")->lang, "en");
}

/* The reasons of one person's decision for scheme id on as_of, into out. */
static void reasons_of(const char *id, const struct person *p, const char *as_of, const char *lang,
                       char *out, size_t size)
{
    struct error err;
    error_init(&err);
    struct decide_bound *b = NULL;
    struct decide_scratch *s = NULL;
    struct decision d;
    struct buf text;
    buf_init(&text, 1 << 16);
    assert_int_equal(decide_bind(find(id), test_day(as_of), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(find(id), &s, &err), SP_OK);
    assert_int_equal(decide_one(b, s, p, NULL, &d, &err), SP_OK);
    assert_int_equal(decide_reasons(b, s, p, NULL, &d, lang, &text, &err), SP_OK);
    snprintf(out, size, "%s", text.len ? text.data : "");
    buf_release(&text);
    decide_scratch_free(s);
    decide_bound_free(b);
}

static void test_reasons_mark_each_condition_with_the_figure_and_the_rule(void **state)
{
    (void)state;
    struct person p;
    person_init(&p);
    person_set(&p, "id", "w1");
    person_set(&p, "country", "NP");
    person_set(&p, "sex", "female");
    person_set(&p, "birth_date", "1958-06-01");
    char out[2048];
    reasons_of("np.ssa.senior_citizen", &p, "2025-01-15", NULL, out, sizeof out);
    assert_string_equal(out, "\xe2\x9c\x97 Aged 68 or more \xe2\x80\x94 she is 66 (rule since "
                             "2022-07-17: FY 2079/80 budget speech)\n");
    reasons_of("np.ssa.senior_citizen", &p, "2025-01-15", "ne", out, sizeof out);
    assert_string_equal(out, "\xe2\x9c\x97 उमेर 68 वा सोभन्दा बढी \xe2\x80\x94 उमेर 66 (rule "
                             "since 2022-07-17: FY 2079/80 budget speech)\n");
    /* single_woman: a woman (passed), marital status not given (ask), aged 66 (passed) */
    reasons_of("np.ssa.single_woman", &p, "2025-01-15", NULL, out, sizeof out);
    assert_string_equal(out, "\xe2\x9c\x93 A woman \xe2\x80\x94 she is registered as female\n"
                             "? Single: unmarried, divorced, separated or widowed \xe2\x80\x94 "
                             "marital status not given: ask\n"
                             "\xe2\x9c\x93 Aged 60 or more (rule since 2016-07-16: Social "
                             "Security Act 2075)\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fills_facts_values_and_the_parameter_in_force),
        cmocka_unit_test(test_says_what_is_not_given),
        cmocka_unit_test(test_refuses_unknown_placeholders_with_their_place),
        cmocka_unit_test(test_words_come_in_the_language_asked_else_english),
        cmocka_unit_test(test_reasons_mark_each_condition_with_the_figure_and_the_rule),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
