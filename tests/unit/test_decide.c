/*
 * Unit tests for rules/decide and rules/situation_load: situations load with their histories
 * and refuse mistakes with positions; decisions come out the same one by one and by block,
 * contributions are clamped and rounded, and explanations name the facts and parameters; a
 * household of thousands is decided with its child counts; a rule too costly for a household
 * fails alone, naming the limit, and the other decisions of the run are made.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "registry/population.h"
#include "rules/decide.h"
#include "rules/fact_block.h"
#include "rules/scheme.h"
#include "rules/situation_load.h"
#include "support.h"

#define FIXTURE "tests/data/rules/schemes"
#define LIMITS  "tests/data/rules/limits" /* schemes too costly for large households */
#define SHIPPED "schemes"                 /* the scheme library */

static struct scheme_library *lib, *limits, *shipped;

static int setup(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    if (scheme_library_load(FIXTURE, &lib, &err) != SP_OK ||
        scheme_library_load(LIMITS, &limits, &err) != SP_OK ||
        scheme_library_load(SHIPPED, &shipped, &err) != SP_OK) {
        print_error("%s\n", err.message);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    scheme_library_free(lib);
    scheme_library_free(limits);
    scheme_library_free(shipped);
    return 0;
}

/* Loads a situation from YAML (or JSON when name ends in .json) text, against library with. */
static int load_with(const struct scheme_library *with, const char *name, const char *text,
                     struct situation *s, struct error *err)
{
    error_init(err);
    situation_init(s);
    struct ydoc *doc = NULL;
    size_t n = strlen(text);
    int rc = strstr(name, ".json") ? ydoc_parse_json(name, text, n, &doc, err)
                                   : ydoc_parse(name, text, n, &doc, err);
    struct situation_options options = {DATE_NONE, with};
    if (rc == SP_OK)
        rc = situation_load_node(doc, doc->root, &options, s, err);
    ydoc_free(doc);
    return rc;
}

/* Loads a situation from YAML (or JSON when name ends in .json) text. */
static int load(const char *name, const char *text, struct situation *s, struct error *err)
{
    return load_with(lib, name, text, s, err);
}

static void refused(const char *name, const char *text, const char *message)
{
    struct situation s;
    struct error err;
    int rc = load(name, text, &s, &err);
    situation_release(&s);
    if (rc != SP_BAD_INPUT || strcmp(err.message, message) != 0)
        fail_msg("expected \"%s\", got rc %d: %s", message, rc, err.message);
}

static void situations_build_each_persons_history(void **state)
{
    (void)state;
    struct situation s;
    struct error err;
    error_init(&err);
    situation_init(&s);
    assert_int_equal(situation_load_file("tests/data/rules/situations.yaml",
                                         &(struct situation_options){DATE_NONE, lib}, &s, &err),
                     SP_OK);
    assert_int_equal(s.n_persons, 2);
    assert_string_equal(s.persons[1].id, "p2");
    assert_true(person_has_group(&s.persons[1], "solo_parent"));
    assert_int_equal(s.histories[1].n_events, 1);
    assert_int_equal(s.histories[1].events[0].type, EVENT_BIRTH);
    assert_int_equal(s.histories[1].n_contributions, 1);
    assert_int_equal(s.histories[1].contributions[0].wage.minor, 2000000);
    assert_int_equal(s.histories[0].n_enrolments, 1);
    assert_int_equal(s.histories[0].enrolments[0].to, DATE_NONE);
    assert_non_null(s.histories[0].household);
    assert_string_equal(s.histories[0].household->admin2, "Kathmandu");
    assert_int_equal(s.histories[1].n_members, 1); /* alone: the person itself */
    assert_ptr_equal(s.histories[1].members[0], &s.persons[1]);
    situation_release(&s);

    assert_int_equal(load("h.yaml",
                          "persons:\n"
                          "  - {id: a, household: h, relationship: head, country: NP}\n"
                          "  - {id: b, household: h, relationship: child, country: NP}\n"
                          "  - {id: c, household: h, relationship: child, country: NP}\n"
                          "  - {id: x, household: g, relationship: head, living_children: 4}\n"
                          "  - {id: k, country: NP, karnali_card: true, card_number: 12}\n",
                          &s, &err),
                     SP_OK);
    assert_int_equal(s.histories[0].n_members, 3);
    assert_int_equal(s.persons[0].living_children, 2);
    assert_int_equal(s.persons[1].living_children, -1);
    assert_int_equal(s.persons[3].living_children, 4);
    assert_string_equal(person_get_extra(&s.persons[4], "karnali_card"), "true");
    situation_release(&s);
}

static void situation_mistakes_name_the_place(void **state)
{
    (void)state;
    refused("s.yaml", "persons:\n  - {id: p1, sexx: male}\n",
            "s.yaml:2:14: persons: unknown field \"sexx\": did you mean \"sex\"?");
    refused("s.json", "{\"persons\": [{\"id\": \"p1\", \"sex\": \"mail\"}]}",
            "s.json: /persons/0/sex: sex: \"mail\" is not allowed: use female, male or other");
    refused("s.yaml",
            "persons:\n  - {id: p1}\nevents:\n  - {type: birth, date: 2025-01-01, "
            "person: p9}\n",
            "s.yaml:4:45: person: \"p9\" is not one of the persons");
    refused("s.yaml", "persons:\n  - {id: p1}\n  - {id: p1}\n",
            "s.yaml:3:10: person id \"p1\" is given twice");
    refused("s.yaml",
            "persons:\n  - {id: p1}\nhouseholds:\n  - {id: h2}\n  - {id: h1}\n  - {id: h2}\n"
            "  - {id: h1}\n",
            "s.yaml:6:10: household id \"h2\" is given twice");
    refused("s.yaml",
            "persons:\n  - {id: p1}\nevents:\n  - {type: wedding, date: 2025-01-01, "
            "person: p1}\n",
            "s.yaml:4:12: type \"wedding\" is not an event: use birth, death, work_accident, "
            "pregnancy, miscarriage, job_loss, departure, return, marriage, divorce, widowhood, "
            "disability_assessment or move");
    refused("s.yaml",
            "persons:\n  - {id: p1}\ncontributions:\n  - {person: p1, scheme: "
            "ph.sss.contributions, month: 2024-13, wage: \"1.00\"}\n",
            "s.yaml:4:55: month: \"2024-13\" is not a month: no month 13");
    refused("s.yaml",
            "persons:\n  - {id: p1}\ncontributions:\n  - {person: p1, scheme: "
            "ph.sss.contributions, month: 2024-01, wage: \"1.001\"}\n",
            "s.yaml:4:70: wage: \"1.001\" has too many decimal places: PHP has 2");
    refused("s.yaml", "persons:\n  - {id: p1, card_number: twelve}\n",
            "s.yaml:2:27: card_number: \"twelve\" is not a whole number, as scheme "
            "np.ssa.karnali_senior declares it");
    refused("s.json",
            "{\"persons\": [{\"id\": \"p1\", \"country\": \"PH\", \"monthly_wage\": 4000.5}]}",
            "s.json: /persons/0/monthly_wage: monthly_wage: write amounts as strings "
            "(\"4000.00\"), not JSON numbers");
    refused("s.yaml", "people:\n  - {id: p1}\n",
            "s.yaml:1:1: unknown key \"people\": expected one of persons, households, events, "
            "contributions, enrolments");
}

/* Decides scheme `id` for every person of s on date, one by one and as one block; the two
 * must agree. */
static void decide_all(const char *id, const char *date, const struct situation *s,
                       struct decision *out)
{
    const struct scheme *scheme = scheme_library_find(lib, id);
    assert_non_null(scheme);
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(decide_bind(scheme, test_day(date), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(scheme, &sc, &err), SP_OK);
    const struct person *persons[16];
    const struct person_history *histories[16];
    assert_true(s->n_persons <= 16);
    for (int i = 0; i < s->n_persons; i++) {
        persons[i] = &s->persons[i];
        histories[i] = &s->histories[i];
    }
    assert_int_equal(decide_block(b, sc, persons, histories, s->n_persons, out, &err), SP_OK);
    for (int i = 0; i < s->n_persons; i++) {
        struct decision one;
        assert_int_equal(decide_one(b, sc, persons[i], histories[i], &one, &err), SP_OK);
        assert_memory_equal(&one, &out[i], sizeof one);
    }
    decide_scratch_free(sc);
    decide_bound_free(b);
}

static void decisions_follow_conditions_dates_and_countries(void **state)
{
    (void)state;
    struct situation s;
    struct error err;
    assert_int_equal(load("d.yaml",
                          "persons:\n"
                          "  - {id: old, birth_date: 1954-06-01, country: NP, admin2: Jumla}\n"
                          "  - {id: young, birth_date: 1990-06-01, country: NP, admin2: Jumla}\n"
                          "  - {id: nobirth, country: NP}\n"
                          "  - {id: filipino, birth_date: 1940-06-01, country: PH}\n"
                          "  - {id: older, birth_date: 1940-06-01, country: NP}\n",
                          &s, &err),
                     SP_OK);
    struct decision out[5];
    decide_all("np.ssa.senior_citizen", "2025-01-15", &s, out);
    assert_int_equal(out[0].status, DECISION_ELIGIBLE);
    assert_true(out[0].has_amount);
    assert_int_equal(out[0].amount, 400000);
    assert_int_equal(out[1].status, DECISION_NOT_ELIGIBLE);
    assert_false(out[1].has_amount);
    assert_int_equal(out[2].status, DECISION_UNDETERMINED); /* unknown is not "no" */
    assert_false(out[2].has_amount);
    assert_int_equal(out[3].status, DECISION_NOT_APPLICABLE);

    decide_all("np.ssa.senior_citizen", "2016-07-15", &s, out); /* before valid_from */
    assert_int_equal(out[0].status, DECISION_NOT_ELIGIBLE);
    decide_all("np.ssa.senior_citizen", "2019-07-16", &s, out); /* amount changes next day */
    assert_int_equal(out[4].amount, 200000);
    assert_int_equal(out[0].status, DECISION_NOT_ELIGIBLE); /* 65 < 70 then */
    decide_all("np.ssa.senior_citizen", "2019-07-17", &s, out);
    assert_int_equal(out[4].amount, 300000);

    decide_all("np.ssa.karnali_senior", "2025-01-15", &s, out);
    assert_int_equal(out[0].status, DECISION_PARAMETER_NOT_SET);
    assert_false(out[0].has_amount);
    assert_int_equal(out[1].status, DECISION_NOT_ELIGIBLE); /* too young: unset list moot */
    situation_release(&s);
}

static void contributions_are_clamped_and_rounded(void **state)
{
    (void)state;
    struct situation s;
    struct error err;
    assert_int_equal(
        load("c.yaml",
             "persons:\n"
             "  - {id: a, country: PH, worker_category: formal_employee, monthly_wage: "
             "\"12345.67\"}\n"
             "  - {id: b, country: PH, worker_category: formal_employee, monthly_wage: "
             "\"99000.00\"}\n"
             "  - {id: c, country: PH, worker_category: formal_employee, monthly_wage: "
             "\"100.00\"}\n"
             "  - {id: d, country: PH, worker_category: formal_employee}\n"
             "  - {id: e, country: PH, worker_category: informal, monthly_wage: \"9000.00\"}\n",
             &s, &err),
        SP_OK);
    struct decision out[5];
    decide_all("ph.sss.contributions", "2025-01-15", &s, out);
    assert_int_equal(out[0].status, DECISION_ELIGIBLE);
    assert_true(out[0].has_contribution);
    assert_int_equal(out[0].wage, 1234567);
    assert_int_equal(out[0].parts[SCHEME_PART_EMPLOYEE], 61728); /* 617.2835 half up */
    assert_int_equal(out[0].parts[SCHEME_PART_EMPLOYER], 123457);
    assert_int_equal(out[0].total, 61728 + 123457);
    assert_int_equal(out[0].parts_given, 3);
    assert_int_equal(out[1].wage, 3500000); /* the cap */
    assert_int_equal(out[1].total, 525000);
    assert_int_equal(out[2].wage, 500000); /* the floor */
    assert_int_equal(out[2].parts[SCHEME_PART_EMPLOYEE], 25000);
    assert_int_equal(out[3].status, DECISION_ELIGIBLE); /* no wage: no contribution */
    assert_false(out[3].has_contribution);
    assert_int_equal(out[4].status, DECISION_NOT_ELIGIBLE);
    assert_false(out[4].has_contribution);
    decide_all("ph.sss.contributions", "2024-12-31", &s, out); /* the 2023 rates and cap */
    assert_int_equal(out[1].wage, 3000000);
    assert_int_equal(out[1].parts[SCHEME_PART_EMPLOYEE], 135000);
    situation_release(&s);
}

/* The explanation of scheme id for person i of s on date. */
static void explain(const char *id, const char *date, const struct situation *s, int i, int detail,
                    struct buf *out)
{
    const struct scheme *scheme = scheme_library_find(lib, id);
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(decide_bind(scheme, test_day(date), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(scheme, &sc, &err), SP_OK);
    struct decision dec;
    assert_int_equal(decide_one(b, sc, &s->persons[i], &s->histories[i], &dec, &err), SP_OK);
    assert_int_equal(
        decide_explain(b, sc, &s->persons[i], &s->histories[i], &dec, detail, out, &err), SP_OK);
    decide_scratch_free(sc);
    decide_bound_free(b);
}

static void explanations_name_facts_parameters_and_references(void **state)
{
    (void)state;
    struct situation s;
    struct error err;
    assert_int_equal(load("e.yaml",
                          "persons:\n"
                          "  - {id: old, sex: male, birth_date: 1954-06-01, country: NP, "
                          "admin2: Jumla}\n"
                          "  - {id: young, sex: female, birth_date: 1958-06-01, country: NP}\n"
                          "  - {id: far, country: PH}\n",
                          &s, &err),
                     SP_OK);
    struct buf out;
    buf_init(&out, 1 << 16);
    explain("np.ssa.senior_citizen", "2025-01-15", &s, 0, 0, &out);
    assert_non_null(strstr(out.data, "senior_age: age 70 >= np.ssa.senior_age 68"));
    assert_non_null(strstr(out.data, "2022-07-17: FY 2079/80 budget speech"));
    assert_null(strstr(out.data, "amount")); /* the amount only with detail */
    buf_reset(&out);
    explain("np.ssa.senior_citizen", "2025-01-15", &s, 1, 0, &out);
    assert_non_null(strstr(out.data, "senior_age: age 66 < np.ssa.senior_age 68"));
    buf_reset(&out);
    explain("np.ssa.senior_citizen", "2025-01-15", &s, 0, 1, &out);
    assert_non_null(strstr(out.data, "age = 70\n"));
    assert_non_null(strstr(out.data, "amount: 4000.00 NPR per month\n"));
    assert_non_null(strstr(out.data, "amount: np.ssa.allowance.senior = 4000.00 NPR (since "
                                     "2021-07-16: FY 2078/79 budget)\n"));
    buf_reset(&out);
    explain("np.ssa.karnali_senior", "2025-01-15", &s, 0, 0, &out);
    assert_string_equal(out.data, "karnali: parameter np.ssa.karnali_districts not set: an "
                                  "operator must fill it in\n");
    buf_reset(&out);
    explain("np.ssa.senior_citizen", "2016-01-01", &s, 0, 0, &out);
    assert_string_equal(out.data, "np.ssa.senior_citizen starts on 2016-07-16, after 2016-01-01\n");
    buf_reset(&out);
    explain("np.ssa.senior_citizen", "2025-01-15", &s, 2, 0, &out);
    assert_string_equal(out.data,
                        "np.ssa.senior_citizen applies to persons of NP; this person's country is "
                        "PH\n");
    buf_release(&out);
    situation_release(&s);
}

/* Allocations failing in turn while a situation loads and is decided and explained. */
static void running_out_of_memory_is_reported_not_crashed(void **state)
{
    (void)state;
    const struct scheme *scheme = scheme_library_find(lib, "np.ssa.senior_citizen");
    int ok = 0;
    for (long n = 0; n < 10000 && !ok; n++) {
        struct situation s;
        struct decide_bound *b = NULL;
        struct decide_scratch *sc = NULL;
        struct buf out;
        struct decision dec;
        struct error err;
        error_init(&err);
        situation_init(&s);
        buf_init(&out, 1 << 16);
        alloc_fail_after(n);
        int rc = situation_load_file("tests/data/rules/situations.json",
                                     &(struct situation_options){DATE_NONE, lib}, &s, &err);
        if (rc == SP_OK)
            rc = decide_bind(scheme, test_day("2025-01-15"), &b, &err);
        if (rc == SP_OK)
            rc = decide_scratch_new(scheme, &sc, &err);
        if (rc == SP_OK)
            rc = decide_one(b, sc, &s.persons[0], &s.histories[0], &dec, &err);
        if (rc == SP_OK)
            rc = decide_explain(b, sc, &s.persons[0], &s.histories[0], &dec, 1, &out, &err);
        alloc_fail_after(-1);
        if (rc == SP_OK) {
            assert_int_equal(dec.status, DECISION_ELIGIBLE);
            assert_non_null(strstr(out.data, "4000.00"));
            assert_true(n > 10);
            ok = 1;
        } else if (rc != SP_IO) {
            fail_msg("allocation %ld failing gave %d: %s", n, rc, err.message);
        }
        buf_release(&out);
        decide_scratch_free(sc);
        decide_bound_free(b);
        situation_release(&s);
    }
    assert_true(ok);
}

/* ---- large households and the engine's limits ---- */

/*
 * Decides scheme id of library `with` on date for the persons of s, in blocks of EXPR_BLOCK
 * as `spfloor evaluate` does; out has s->n_persons entries.
 */
static void decide_blocks(const struct scheme_library *with, const char *id, const char *date,
                          const struct situation *s, struct decision *out)
{
    const struct scheme *scheme = scheme_library_find(with, id);
    assert_non_null(scheme);
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(decide_bind(scheme, test_day(date), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(scheme, &sc, &err), SP_OK);
    for (int from = 0; from < s->n_persons; from += EXPR_BLOCK) {
        const struct person *persons[EXPR_BLOCK];
        const struct person_history *histories[EXPR_BLOCK];
        int n = s->n_persons - from < EXPR_BLOCK ? s->n_persons - from : EXPR_BLOCK;
        for (int i = 0; i < n; i++) {
            persons[i] = &s->persons[from + i];
            histories[i] = &s->histories[from + i];
        }
        assert_int_equal(decide_block(b, sc, persons, histories, n, out + from, &err), SP_OK);
    }
    decide_scratch_free(sc);
    decide_bound_free(b);
}

/* The explanation of decision d of scheme id (library with) for person i of s. */
static void explain_decision(const struct scheme_library *with, const char *id, const char *date,
                             const struct situation *s, int i, const struct decision *d,
                             struct buf *out)
{
    const struct scheme *scheme = scheme_library_find(with, id);
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(decide_bind(scheme, test_day(date), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(scheme, &sc, &err), SP_OK);
    buf_reset(out);
    assert_int_equal(decide_explain(b, sc, &s->persons[i], &s->histories[i], d, 0, out, &err),
                     SP_OK);
    decide_scratch_free(sc);
    decide_bound_free(b);
}

/* The position of the person with this id in s. */
static int person_at(const struct situation *s, const char *id)
{
    for (int i = 0; i < s->n_persons; i++)
        if (strcmp(s->persons[i].id, id) == 0)
            return i;
    fail_msg("no person %s", id);
    return -1;
}

/* Shuffles lines[0..n) the same way every time. */
static void shuffle(char **lines, int n)
{
    uint32_t x = 12345;
    for (int i = n - 1; i > 0; i--) {
        x = x * 1103515245u + 12345u;
        int k = (int)((x >> 8) % (uint32_t)(i + 1));
        char *t = lines[i];
        lines[i] = lines[k];
        lines[k] = t;
    }
}

/* Appends "persons:" and the lines, shuffled, to text; frees them. */
static void add_persons(struct buf *text, char **lines, int n)
{
    struct error err;
    error_init(&err);
    shuffle(lines, n);
    assert_int_equal(buf_printf(text, &err, "persons:\n"), SP_OK);
    for (int i = 0; i < n; i++) {
        assert_int_equal(buf_printf(text, &err, "%s", lines[i]), SP_OK);
        sp_free(lines[i]);
    }
}

/* One person of a Dalit household of Jumla, as a line of YAML. */
static char *member_line(const char *id, const char *sex, int32_t born, const char *household,
                         const char *relationship)
{
    char day[DATE_TEXT_SIZE], line[256];
    date_format(born, day);
    snprintf(line, sizeof line,
             "  - {id: %s, sex: %s, birth_date: %s, country: NP, admin1: Karnali, admin2: Jumla, "
             "groups: [dalit], household: %s, relationship: %s}\n",
             id, sex, day, household, relationship);
    return sp_strdup(line);
}

#define BIG_HOUSEHOLD 3000 /* members */
#define CHILDREN      1200 /* of them children: YOUNG under 5, the others older */
#define YOUNG         40

static void a_household_of_thousands_is_decided_with_its_child_counts(void **state)
{
    (void)state;
    static char *lines[BIG_HOUSEHOLD];
    int n = 0;
    lines[n++] = member_line("head", "male", test_day("1975-03-01"), "big", "head");
    lines[n++] = member_line("spouse", "female", test_day("1980-06-01"), "big", "spouse");
    for (int k = 0; k < YOUNG; k++) { /* y0 the eldest, 30 days apart, all under 5 */
        char id[16];
        snprintf(id, sizeof id, "y%d", k);
        lines[n++] = member_line(id, k % 2 ? "male" : "female", test_day("2020-02-01") + 30 * k,
                                 "big", "child");
    }
    for (int k = 0; k < CHILDREN - YOUNG; k++) {
        char id[16];
        snprintf(id, sizeof id, "c%d", k);
        lines[n++] = member_line(id, k % 2 ? "male" : "female", test_day("2005-01-01") + 4 * k,
                                 "big", "child");
    }
    for (int k = 0; n < BIG_HOUSEHOLD; k++) {
        char id[16];
        snprintf(id, sizeof id, "o%d", k);
        lines[n++] = member_line(id, k % 2 ? "male" : "female", test_day("1940-01-01") + 7 * k,
                                 "big", "other");
    }
    struct buf text;
    buf_init(&text, 1u << 22);
    add_persons(&text, lines, n);
    struct situation s;
    struct error err;
    assert_int_equal(load_with(shipped, "big.yaml", text.data, &s, &err), SP_OK);
    buf_release(&text);
    assert_int_equal(s.n_persons, BIG_HOUSEHOLD);
    assert_int_equal(s.histories[0].n_members, BIG_HOUSEHOLD);
    /* the parents' living children, counted from the household */
    assert_int_equal(s.persons[person_at(&s, "head")].living_children, CHILDREN);
    assert_int_equal(s.persons[person_at(&s, "spouse")].living_children, CHILDREN);

    /* the child grant: the two eldest children under 5, and no other */
    static struct decision out[BIG_HOUSEHOLD];
    decide_blocks(shipped, "np.ssa.child_grant", "2025-01-15", &s, out);
    int eligible = 0;
    for (int i = 0; i < s.n_persons; i++) {
        assert_int_not_equal(out[i].status, DECISION_FAILED);
        eligible += out[i].status == DECISION_ELIGIBLE;
    }
    assert_int_equal(eligible, 2);
    for (int k = 0; k < 2; k++) {
        const struct decision *d = &out[person_at(&s, k ? "y1" : "y0")];
        assert_int_equal(d->status, DECISION_ELIGIBLE);
        assert_int_equal(d->amount, 53200);
    }
    int third = person_at(&s, "y2");
    assert_int_equal(out[third].status, DECISION_NOT_ELIGIBLE);
    assert_int_equal(out[person_at(&s, "c0")].status, DECISION_NOT_ELIGIBLE);
    struct buf why;
    buf_init(&why, 1 << 16);
    explain_decision(shipped, "np.ssa.child_grant", "2025-01-15", &s, third, &out[third], &why);
    assert_non_null(strstr(why.data, "at_most_2_children_per_family: older_children_under_5 2 >= "
                                     "np.ssa.child_max_per_family 2"));
    int last = person_at(&s, "y39");
    explain_decision(shipped, "np.ssa.child_grant", "2025-01-15", &s, last, &out[last], &why);
    assert_non_null(strstr(why.data, "older_children_under_5 39 >= "));
    buf_release(&why);

    /* one by one, the same decisions */
    const struct scheme *grant = scheme_library_find(shipped, "np.ssa.child_grant");
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    assert_int_equal(decide_bind(grant, test_day("2025-01-15"), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(grant, &sc, &err), SP_OK);
    for (int i = 0; i < s.n_persons; i += 97) {
        struct decision one;
        assert_int_equal(decide_one(b, sc, &s.persons[i], &s.histories[i], &one, &err), SP_OK);
        assert_memory_equal(&one, &out[i], sizeof one);
    }
    decide_scratch_free(sc);
    decide_bound_free(b);
    situation_release(&s);
}

#define COSTLY_HOUSEHOLD 2000 /* members: the costly rule visits every pair */

static void a_rule_too_costly_for_a_household_fails_alone(void **state)
{
    (void)state;
    static char *lines[COSTLY_HOUSEHOLD + 16];
    int n = 0;
    for (int k = 0; k < COSTLY_HOUSEHOLD; k++) {
        char id[16];
        snprintf(id, sizeof id, "b%d", k);
        lines[n++] = member_line(id, k % 2 ? "male" : "female", test_day("1950-01-01") + 11 * k,
                                 "many", k ? "other" : "head");
    }
    for (int k = 0; k < 3; k++) { /* a small household: the same rule is cheap */
        char id[16];
        snprintf(id, sizeof id, "s%d", k);
        lines[n++] = member_line(id, "female", test_day("1950-01-01") + 7000 * k, "few", "other");
    }
    for (int k = 0; k < 12; k++) { /* eight nested macros over 12 persons: 12^8 */
        char id[16];
        snprintf(id, sizeof id, "d%d", k);
        lines[n++] = member_line(id, "male", test_day("1960-01-01") + 500 * k, "dozen", "other");
    }
    struct buf text;
    buf_init(&text, 1u << 22);
    add_persons(&text, lines, n);
    struct situation s;
    struct error err;
    assert_int_equal(load_with(limits, "costly.yaml", text.data, &s, &err), SP_OK);
    buf_release(&text);

    static struct decision out[COSTLY_HOUSEHOLD + 16];
    decide_blocks(limits, "np.limits.costly", "2025-01-15", &s, out);
    struct buf why;
    buf_init(&why, 1 << 16);
    for (int i = 0; i < s.n_persons; i++) {
        if (s.persons[i].id[0] == 'b') { /* the large household: stopped, and says why */
            assert_int_equal(out[i].status, DECISION_FAILED);
            assert_int_equal(out[i].stop, EXPR_STOP_STEPS);
            assert_false(out[i].has_amount);
        } else { /* decided in the same blocks */
            assert_int_equal(out[i].status, DECISION_NOT_ELIGIBLE);
        }
    }
    int b7 = person_at(&s, "b7");
    explain_decision(limits, "np.limits.costly", "2025-01-15", &s, b7, &out[b7], &why);
    assert_string_equal(why.data, "ages_add_up: stopped after 10,000,000 evaluation steps: the "
                                  "rule is too costly for this household (limit: "
                                  "docs/expressions.md#limits)\n");
    /* a cheap rule over the same household is decided */
    decide_blocks(limits, "np.limits.senior", "2025-01-15", &s, out);
    assert_int_equal(out[person_at(&s, "b0")].status, DECISION_ELIGIBLE);
    assert_int_equal(out[person_at(&s, "b0")].amount, 100000);
    assert_int_equal(out[person_at(&s, "b1999")].status, DECISION_NOT_ELIGIBLE);

    /* eight nested macros over 12 persons: that decision fails, the next one is made */
    const struct scheme *deep = scheme_library_find(limits, "np.limits.deep");
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    assert_int_equal(decide_bind(deep, test_day("2025-01-15"), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(deep, &sc, &err), SP_OK);
    int d0 = person_at(&s, "d0"), s0 = person_at(&s, "s0");
    const struct person *persons[2] = {&s.persons[d0], &s.persons[s0]};
    const struct person_history *histories[2] = {&s.histories[d0], &s.histories[s0]};
    struct decision two[2];
    assert_int_equal(decide_block(b, sc, persons, histories, 2, two, &err), SP_OK);
    assert_int_equal(two[0].status, DECISION_FAILED);
    assert_int_not_equal(two[0].stop, EXPR_STOP_NONE);
    assert_int_equal(two[1].status, DECISION_NOT_ELIGIBLE);
    buf_reset(&why);
    assert_int_equal(decide_explain(b, sc, persons[0], histories[0], &two[0], 1, &why, &err),
                     SP_OK);
    assert_non_null(strstr(why.data, "eight_ages: stopped after "));
    assert_non_null(strstr(why.data, "(limit: docs/expressions.md#limits)\n"));
    decide_scratch_free(sc);
    decide_bound_free(b);
    buf_release(&why);
    situation_release(&s);
}

/* ---- unknown facts, records that do not exist, exclusion groups ---- */

/* Decides scheme id of the shipped library for every person of s, by block and one by one
 * (the two must agree); fills out, and missing[i] with the facts each waits on ("a,b"). */
static void decide_shipped(const char *id, const char *date, const struct situation *s,
                           struct decision *out, char missing[][64])
{
    decide_blocks(shipped, id, date, s, out);
    const struct scheme *scheme = scheme_library_find(shipped, id);
    struct decide_bound *b = NULL;
    struct decide_scratch *sc = NULL;
    struct error err;
    error_init(&err);
    assert_int_equal(decide_bind(scheme, test_day(date), &b, &err), SP_OK);
    assert_int_equal(decide_scratch_new(scheme, &sc, &err), SP_OK);
    struct buf names;
    buf_init(&names, 1 << 16);
    for (int i = 0; i < s->n_persons; i++) {
        struct decision one;
        assert_int_equal(decide_one(b, sc, &s->persons[i], &s->histories[i], &one, &err), SP_OK);
        assert_memory_equal(&one, &out[i], sizeof one);
        buf_reset(&names);
        assert_int_equal(
            decide_missing(b, sc, &s->persons[i], &s->histories[i], &out[i], &names, &err), SP_OK);
        snprintf(missing[i], 64, "%s", names.data);
        for (char *c = missing[i]; *c; c++)
            if (*c == '\n')
                *c = c[1] ? ',' : '\0';
    }
    buf_release(&names);
    decide_scratch_free(sc);
    decide_bound_free(b);
}

static void unknown_is_undetermined_and_false_beats_unknown(void **state)
{
    (void)state;
    struct situation s;
    struct error err;
    assert_int_equal(load_with(shipped, "u.yaml",
                               "persons:\n"
                               "  - {id: young, birth_date: 2007-06-01, country: IN, "
                               "worker_category: informal}\n"
                               "  - {id: old, birth_date: 1950-06-01, country: IN, "
                               "worker_category: informal}\n"
                               "  - {id: nobody, country: IN, worker_category: informal}\n"
                               "  - {id: answered, birth_date: 2007-06-01, country: IN, "
                               "worker_category: informal, income_tax_payer: false}\n"
                               "  - {id: jumla, country: NP, admin2: Jumla}\n"
                               "  - {id: np, birth_date: 1990-01-01, country: NP}\n",
                               &s, &err),
                     SP_OK);
    struct decision out[6];
    char missing[6][64];
    decide_shipped("in.eshram.registration", "2025-01-15", &s, out, missing);
    assert_int_equal(out[0].status, DECISION_UNDETERMINED); /* unknown is not "no" */
    assert_string_equal(missing[0], "income_tax_payer");    /* the default fills the other */
    assert_int_equal(out[1].status, DECISION_NOT_ELIGIBLE); /* false && unknown is false */
    assert_string_equal(missing[1], "");
    assert_int_equal(out[2].status, DECISION_UNDETERMINED);
    assert_string_equal(missing[2], "birth_date,income_tax_payer");
    assert_int_equal(out[3].status, DECISION_ELIGIBLE);
    assert_string_equal(missing[3], "");
    /* an unset parameter is the worse unknown: no answer from the clerk would settle it */
    decide_shipped("np.ssa.child_grant", "2025-01-15", &s, out, missing);
    assert_int_equal(out[4].status, DECISION_PARAMETER_NOT_SET); /* the district list */
    /* no contribution is a record that does not exist, not a fact to ask for */
    decide_shipped("np.ssf.medical", "2025-01-15", &s, out, missing);
    assert_int_equal(out[5].status, DECISION_NOT_ELIGIBLE);
    assert_int_equal(out[4].status, DECISION_NOT_ELIGIBLE);
    assert_string_equal(missing[5], "");
    situation_release(&s);
}

/* Decides every shipped NP scheme for person 0 of s and applies the exclusion groups. */
static int decide_person(const struct situation *s, const struct scheme **schemes,
                         struct decision *decisions, struct decision **row)
{
    int n = 0;
    for (int k = 0; k < shipped->n_schemes; k++) {
        const struct scheme *scheme = shipped->schemes[k];
        if (strcmp(scheme->country, "NP") != 0)
            continue;
        struct decide_bound *b = NULL;
        struct decide_scratch *sc = NULL;
        struct error err;
        error_init(&err);
        assert_int_equal(decide_bind(scheme, test_day("2025-01-15"), &b, &err), SP_OK);
        assert_int_equal(decide_scratch_new(scheme, &sc, &err), SP_OK);
        assert_int_equal(decide_one(b, sc, &s->persons[0], &s->histories[0], &decisions[n], &err),
                         SP_OK);
        assert_null(decisions[n].excluded_by); /* decide_one leaves it to decide_exclusions */
        schemes[n] = scheme;
        row[n] = &decisions[n];
        n++;
        decide_scratch_free(sc);
        decide_bound_free(b);
    }
    decide_exclusions(&s->persons[0], schemes, row, n);
    return n;
}

/* The decision for scheme id among the n decided. */
static const struct decision *decision_of(const struct scheme **schemes, struct decision **row,
                                          int n, const char *id)
{
    for (int k = 0; k < n; k++)
        if (strcmp(schemes[k]->id, id) == 0)
            return row[k];
    fail_msg("no decision for %s", id);
    return NULL;
}

static void one_allowance_per_person_the_chosen_or_the_highest(void **state)
{
    (void)state;
    static const char *const people[] = {
        "{id: w, sex: female, birth_date: 1959-03-01, marital_status: widowed, country: NP}",
        "{id: w, sex: female, birth_date: 1959-03-01, marital_status: widowed, country: NP, "
        "ssa_allowance_choice: np.ssa.widow}",
        "{id: d, sex: male, birth_date: 1952-06-01, country: NP, groups: [dalit]}",
        "{id: d, sex: male, birth_date: 1952-06-01, country: NP, groups: [dalit], "
        "ssa_allowance_choice: np.ssa.other_senior_citizen}",
        "{id: y, sex: female, birth_date: 1994-08-20, marital_status: widowed, country: NP, "
        "ssa_allowance_choice: np.ssa.single_woman}",
    };
    /* scheme paid, scheme excluded (or NULL) */
    static const char *const want[][2] = {
        {"np.ssa.single_woman", "np.ssa.widow"}, /* equal amounts: the first by id */
        {"np.ssa.widow", "np.ssa.single_woman"}, /* her choice */
        {"np.ssa.senior_citizen", "np.ssa.other_senior_citizen"}, /* 4,000 over 2,660 */
        {"np.ssa.other_senior_citizen", "np.ssa.senior_citizen"}, /* his choice, the lower */
        {"np.ssa.widow", NULL}, /* a choice she does not qualify for is not followed */
    };
    for (size_t i = 0; i < sizeof people / sizeof people[0]; i++) {
        char text[512];
        snprintf(text, sizeof text, "persons:\n  - %s\n", people[i]);
        struct situation s;
        struct error err;
        assert_int_equal(load_with(shipped, "x.yaml", text, &s, &err), SP_OK);
        const struct scheme *schemes[128];
        struct decision decisions[128];
        struct decision *row[128];
        assert_true(shipped->n_schemes <= 128);
        int n = decide_person(&s, schemes, decisions, row);
        const struct decision *paid = decision_of(schemes, row, n, want[i][0]);
        assert_int_equal(paid->status, DECISION_ELIGIBLE);
        assert_null(paid->excluded_by);
        int excluded = 0;
        for (int k = 0; k < n; k++) {
            excluded += row[k]->excluded_by != NULL;
            if (row[k]->excluded_by != NULL) { /* still eligible, with its amount */
                assert_int_equal(row[k]->status, DECISION_ELIGIBLE);
                assert_true(row[k]->has_amount);
                assert_string_equal(row[k]->excluded_by, want[i][0]);
            }
        }
        if (want[i][1] != NULL) {
            assert_int_equal(excluded, 1);
            assert_string_equal(decision_of(schemes, row, n, want[i][1])->excluded_by, want[i][0]);
        } else {
            assert_int_equal(excluded, 0);
        }
        situation_release(&s);
    }
}

/* A batch reads of each person only what its schemes decide on: the facts of their
 * expressions, their household members' among them, and never the name or the phone. */
static void a_scheme_names_the_facts_it_reads(void **state)
{
    (void)state;
    const struct scheme *senior = scheme_library_find(shipped, "np.ssa.senior_citizen");
    const struct scheme *child = scheme_library_find(shipped, "np.ssa.child_grant");
    assert_non_null(senior);
    assert_non_null(child);
    person_field_set a = scheme_facts(senior), b = scheme_facts(child);
    assert_true(a & PERSON_FIELD_BIT(F_BIRTH_DATE));
    assert_true(a & PERSON_FIELD_BIT(F_COUNTRY));
    assert_true(a & PERSON_FIELD_BIT(F_HOUSEHOLD));
    assert_false(a & PERSON_FIELD_BIT(F_GIVEN_NAME));
    assert_false(a & PERSON_FIELD_BIT(F_PHONE));
    assert_false(a & PERSON_FIELD_BIT(F_ACCOUNT));
    /* the child grant counts the other children of the household: m.relationship, m.id */
    assert_true(b & PERSON_FIELD_BIT(F_RELATIONSHIP));
    assert_true(b & PERSON_FIELD_BIT(F_ID));
    assert_false(b & PERSON_FIELD_BIT(F_FAMILY_NAME));
    for (int k = 0; k < shipped->n_schemes; k++) {
        person_field_set f = scheme_facts(shipped->schemes[k]);
        assert_false(f & PERSON_FIELD_BIT(F_NATIONAL_ID));
        assert_true(f < PERSON_FIELD_BIT(PERSON_FIELD_COUNT)); /* only fields that exist */
    }
}

/* ---- the column path ---- */

#define COLUMN_POP 6000

static uint64_t column_rng = 0x2545F4914F6CDD1Du;

static int column_pick(int n)
{
    column_rng ^= column_rng << 13;
    column_rng ^= column_rng >> 7;
    column_rng ^= column_rng << 17;
    return (int)(column_rng % (uint64_t)n);
}

/* Blanks or spoils some compact facts, so that the column path meets what it cannot know. */
static void spoil(struct person *p)
{
    switch (column_pick(12)) {
    case 0:
        p->birth_date = DATE_NONE;
        break;
    case 1:
        p->sex = 0;
        break;
    case 2:
        memcpy(p->monthly_wage.currency, "USD", 4);
        break;
    case 3:
        p->monthly_wage.minor = INT64_MAX - column_pick(1000); /* overflows a rate */
        break;
    case 4:
        p->worker_category = 0;
        p->marital_status = 0;
        break;
    case 5:
        p->birth_date = test_day("2000-02-29") + 366 * 4 * column_pick(3); /* leap days */
        break;
    case 6: { /* lists a block holds as bitsets, and some it cannot */
        static const char *const lists[] = {
            "solo_parent", "dalit;pwd", "",     "dalit;;pwd", "herder",
            ";",           "pwd;",      ";sss", "sss;nssf",   "pwd;solo_parent;idpoor"};
        snprintf(p->groups, sizeof p->groups, "%s", lists[column_pick(10)]);
        snprintf(p->memberships, sizeof p->memberships, "%s", lists[column_pick(10)]);
        break;
    }
    default:
        break;
    }
}

static void the_column_path_decides_as_the_record_path(void **state)
{
    (void)state;
    static struct person pop[COLUMN_POP];
    static const struct person *pp[COLUMN_POP];
    static struct person_history hist[COLUMN_POP];
    static const struct person_history *hp[COLUMN_POP];
    static struct enrolment en[COLUMN_POP];
    static struct contribution rows[COLUMN_POP][3];
    static struct life_event ev[COLUMN_POP];
    struct error err;
    error_init(&err);
    struct population g;
    struct population_options o;
    population_options_init(&o);
    o.seed = 7;
    assert_int_equal(population_init(&g, &o, &err), SP_OK);
    int n = 0;
    for (int got = 1; got > 0; n += got) /* whole households, until the next one won't fit */
        got = population_fill(&g, pop + n, COLUMN_POP - n);
    assert_true(n > COLUMN_POP / 2);
    population_release(&g);
    for (int i = 0; i < n; i++) {
        spoil(&pop[i]);
        pp[i] = &pop[i];
        memset(&hist[i], 0, sizeof hist[i]);
        hp[i] = column_pick(8) ? &hist[i] : NULL;
        if (column_pick(6) == 0) { /* an enrolment: grandfathered parameters */
            memset(&en[i], 0, sizeof en[i]);
            snprintf(en[i].scheme, sizeof en[i].scheme, "%s", "np.ssa.senior_citizen");
            en[i].from = test_day("2023-01-01") + column_pick(1000);
            en[i].to = DATE_NONE;
            hist[i].enrolments = &en[i];
            hist[i].n_enrolments = 1;
        }
        if (column_pick(5) == 0) { /* some months paid to a fund, and an event */
            static const char *const funds[] = {
                "ph.sss.contributions",          "np.ssf.contributions",
                "kh.nssf.pension_contributions", "id.bpjstk.jht_contributions",
                "pk.eobi.contributions",         "in.pmsby.insurance"};
            const char *fund = funds[column_pick(6)];
            for (int k = 0; k < 3; k++) {
                memset(&rows[i][k], 0, sizeof rows[i][k]);
                snprintf(rows[i][k].scheme, sizeof rows[i][k].scheme, "%s", fund);
                rows[i][k].month = (2024 - 1970) * 12 + k;
                rows[i][k].wage = pop[i].monthly_wage;
            }
            hist[i].contributions = rows[i];
            hist[i].n_contributions = 3;
            memset(&ev[i], 0, sizeof ev[i]);
            static const enum event_type kinds[] = {EVENT_BIRTH,       EVENT_BIRTH,
                                                    EVENT_MISCARRIAGE, EVENT_WORK_ACCIDENT,
                                                    EVENT_JOB_LOSS,    EVENT_DEPARTURE};
            ev[i].type = kinds[column_pick(6)];
            ev[i].date = test_day("2024-06-01") + column_pick(500);
            hist[i].events = &ev[i];
            hist[i].n_events = 1;
        }
    }
    static struct fact_block fb;
    static struct decision by_records[EXPR_BLOCK], by_columns[EXPR_BLOCK];
    static uint8_t status[EXPR_BLOCK], status_only[EXPR_BLOCK];
    static int64_t value[EXPR_BLOCK], value_only[EXPR_BLOCK];
    static const char *const dates[] = {"2016-07-16", "2022-07-17", "2025-01-15", "2025-07-17",
                                        "2026-12-02"};
    long columnar = 0, eligible = 0;
    for (int k = 0; k < shipped->n_schemes; k++) {
        const struct scheme *sc = shipped->schemes[k];
        for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++) {
            struct decide_bound *b = NULL;
            struct decide_scratch *s = NULL;
            assert_int_equal(decide_bind(sc, test_day(dates[d]), &b, &err), SP_OK);
            assert_int_equal(decide_scratch_new(sc, &s, &err), SP_OK);
            columnar += expr_unit_columnar(sc->unit) && d == 0;
            for (int start = 0; start < n; start += EXPR_BLOCK) {
                int count = n - start < EXPR_BLOCK ? n - start : EXPR_BLOCK;
                fact_block_fill(&fb, pp + start, hp + start, count);
                assert_int_equal(decide_block_facts(b, s, &fb, status, value, by_columns, &err),
                                 SP_OK);
                /* the columns alone, without decision records (as eval-engine asks) */
                assert_int_equal(decide_block_facts(b, s, &fb, status_only, value_only, NULL, &err),
                                 SP_OK);
                assert_int_equal(
                    decide_block(b, s, pp + start, hp + start, count, by_records, &err), SP_OK);
                for (int i = 0; i < count; i++) {
                    const struct decision *r = &by_records[i], *c = &by_columns[i];
                    if (r->status != c->status || r->amount != c->amount ||
                        r->has_amount != c->has_amount ||
                        r->has_contribution != c->has_contribution || r->wage != c->wage ||
                        r->total != c->total || r->stop != c->stop ||
                        r->parts_given != c->parts_given ||
                        memcmp(r->parts, c->parts, sizeof r->parts))
                        fail_msg("%s on %s, person %d: records say %s %lld, columns %s %lld",
                                 sc->id, dates[d], start + i, decision_status_name(r->status),
                                 (long long)r->amount, decision_status_name(c->status),
                                 (long long)c->amount);
                    assert_int_equal(status[i], r->status);
                    int64_t want = r->status != DECISION_ELIGIBLE ? 0
                                   : r->has_contribution          ? r->total
                                   : r->has_amount                ? r->amount
                                                                  : 0;
                    assert_int_equal(value[i], want);
                    if (status_only[i] != r->status || value_only[i] != want)
                        fail_msg("%s on %s, person %d: records say %s %lld, columns alone %s %lld",
                                 sc->id, dates[d], start + i, decision_status_name(r->status),
                                 (long long)want, decision_status_name(status_only[i]),
                                 (long long)value_only[i]);
                    eligible += r->status == DECISION_ELIGIBLE;
                }
            }
            decide_scratch_free(s);
            decide_bound_free(b);
        }
    }
    /* most shipped schemes run on the column path, and the population is not all refused */
    assert_true(columnar * 2 > shipped->n_schemes);
    assert_true(eligible > 1000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(situations_build_each_persons_history),
        cmocka_unit_test(situation_mistakes_name_the_place),
        cmocka_unit_test(decisions_follow_conditions_dates_and_countries),
        cmocka_unit_test(contributions_are_clamped_and_rounded),
        cmocka_unit_test(explanations_name_facts_parameters_and_references),
        cmocka_unit_test(running_out_of_memory_is_reported_not_crashed),
        cmocka_unit_test(a_household_of_thousands_is_decided_with_its_child_counts),
        cmocka_unit_test(a_rule_too_costly_for_a_household_fails_alone),
        cmocka_unit_test(unknown_is_undetermined_and_false_beats_unknown),
        cmocka_unit_test(one_allowance_per_person_the_chosen_or_the_highest),
        cmocka_unit_test(a_scheme_names_the_facts_it_reads),
        cmocka_unit_test(the_column_path_decides_as_the_record_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
