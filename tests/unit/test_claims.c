/*
 * Unit tests for claims/: the claim state machine allows exactly the changes docs/claims.md
 * lists and words a refusal with what is allowed; the grievance state machine opens at the
 * first level with its type's time limit, escalates level by level with a new deadline,
 * escalates an overdue grievance the day after its deadline (and no further than the last
 * level), resolves once; and a policy file is read as documented, its mistakes placed at
 * line:column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "claims/claim_flow.h"
#include "claims/grievance_flow.h"

static int32_t day(const char *text)
{
    int32_t d = DATE_NONE;
    struct error err;
    error_init(&err);
    assert_int_equal(date_parse(text, &d, &err), SP_OK);
    return d;
}

static void claim_changes_are_the_documented_ones(void **state)
{
    (void)state;
    /* every allowed change, as the documentation lists them */
    static const int allowed[][2] = {
        {CLAIM_FILED, CLAIM_UNDER_REVIEW},    {CLAIM_FILED, CLAIM_APPROVED},
        {CLAIM_FILED, CLAIM_REJECTED},        {CLAIM_UNDER_REVIEW, CLAIM_APPROVED},
        {CLAIM_UNDER_REVIEW, CLAIM_REJECTED}, {CLAIM_APPROVED, CLAIM_PAID},
        {CLAIM_APPROVED, CLAIM_UNDER_REVIEW}, {CLAIM_REJECTED, CLAIM_APPEALED},
        {CLAIM_APPEALED, CLAIM_UNDER_REVIEW}, {CLAIM_APPEALED, CLAIM_APPROVED},
        {CLAIM_APPEALED, CLAIM_REJECTED},
    };
    int n_allowed = (int)(sizeof allowed / sizeof allowed[0]);
    int count = 0;
    for (int from = 0; from <= CLAIM_STATE_COUNT; from++)
        for (int to = 0; to <= CLAIM_STATE_COUNT; to++) {
            int listed = 0;
            for (int i = 0; i < n_allowed; i++)
                listed |= allowed[i][0] == from && allowed[i][1] == to;
            assert_int_equal(claim_flow_allowed(from, to), listed);
            count += claim_flow_allowed(from, to);
        }
    assert_int_equal(count, n_allowed);
}

static void a_refused_change_says_what_is_allowed(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    assert_int_equal(claim_flow_check(CLAIM_REJECTED, CLAIM_PAID, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "the claim is rejected: it cannot become paid"));
    assert_non_null(strstr(err.message, "(only appealed)"));
    error_init(&err);
    assert_int_equal(claim_flow_check(CLAIM_PAID, CLAIM_APPEALED, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "paid, which is final"));
    assert_int_equal(claim_flow_check(CLAIM_APPROVED, CLAIM_PAID, &err), SP_OK);
    char next[96];
    claim_flow_next(CLAIM_APPEALED, next, sizeof next);
    assert_string_equal(next, "under_review, approved, rejected");
}

static void the_decision_places_a_filed_claim(void **state)
{
    (void)state;
    assert_int_equal(claim_flow_after_decision("eligible", 1), CLAIM_APPROVED);
    assert_int_equal(claim_flow_after_decision("eligible", 0), CLAIM_REJECTED);
    assert_int_equal(claim_flow_after_decision("not_eligible", 1), CLAIM_REJECTED);
    assert_int_equal(claim_flow_after_decision("undetermined", 1), CLAIM_UNDER_REVIEW);
    assert_int_equal(claim_flow_after_decision("parameter_not_set", 1), CLAIM_UNDER_REVIEW);
    assert_int_equal(claim_flow_after_decision("failed", 1), CLAIM_UNDER_REVIEW);
    assert_string_equal(claim_state_name(CLAIM_UNDER_REVIEW), "under_review");
    assert_int_equal(claim_state_parse("appealed"), CLAIM_APPEALED);
    assert_int_equal(claim_state_parse("lost"), 0);
}

static void a_grievance_opens_with_its_types_limit(void **state)
{
    (void)state;
    struct grievance_policy p;
    grievance_policy_default(&p);
    struct error err;
    error_init(&err);
    struct grievance g;
    memset(&g, 0, sizeof g);
    g.about = GRIEVANCE_ABOUT_PAYMENT;
    assert_int_equal(grievance_flow_open(&g, &p, day("2026-03-01"), &err), SP_OK);
    assert_string_equal(g.level, "office");
    assert_int_equal(g.deadline, day("2026-03-08")); /* payment: 7 days at the office */
    g.about = GRIEVANCE_ABOUT_CLAIM;
    assert_int_equal(grievance_flow_open(&g, &p, day("2026-03-01"), &err), SP_OK);
    assert_int_equal(g.deadline, day("2026-03-16")); /* 15 days */
    assert_int_equal(g.state, GRIEVANCE_OPEN);
    g.about = 0;
    assert_int_equal(grievance_flow_open(&g, &p, day("2026-03-01"), &err), SP_BAD_INPUT);
}

static void an_overdue_grievance_escalates_level_by_level(void **state)
{
    (void)state;
    struct grievance_policy p;
    grievance_policy_default(&p);
    struct error err;
    error_init(&err);
    struct grievance g;
    memset(&g, 0, sizeof g);
    g.id = 4;
    g.about = GRIEVANCE_ABOUT_CLAIM;
    assert_int_equal(grievance_flow_open(&g, &p, day("2026-01-01"), &err), SP_OK);
    int32_t on = DATE_NONE;
    /* on its deadline it is not overdue yet; the day after it is */
    assert_int_equal(grievance_flow_overdue(&g, &p, day("2026-01-16"), &on), 0);
    assert_int_equal(grievance_flow_is_overdue(&g, day("2026-01-17")), 1);
    assert_int_equal(grievance_flow_overdue(&g, &p, day("2026-01-17"), &on), 1);
    assert_int_equal(on, day("2026-01-17"));
    assert_int_equal(grievance_flow_escalate(&g, &p, on, &err), SP_OK);
    assert_string_equal(g.level, "district");
    assert_int_equal(g.deadline, day("2026-02-16")); /* 30 days from the escalation */
    assert_int_equal(grievance_flow_overdue(&g, &p, day("2026-02-16"), &on), 0);
    /* long forgotten: it climbs to the court and stays overdue there */
    int32_t as_of = day("2027-06-01");
    const char *levels[] = {"national", "court"};
    for (int i = 0; i < 2; i++) {
        assert_int_equal(grievance_flow_overdue(&g, &p, as_of, &on), 1);
        assert_int_equal(grievance_flow_escalate(&g, &p, on, &err), SP_OK);
        assert_string_equal(g.level, levels[i]);
    }
    /* national from 02-17, 60 days to 04-18: the court from the day after */
    assert_int_equal(g.level_since, day("2026-04-19"));
    assert_int_equal(grievance_flow_is_overdue(&g, as_of), 1);
    assert_int_equal(grievance_flow_overdue(&g, &p, as_of, &on), 0);
    assert_int_equal(grievance_flow_escalate(&g, &p, as_of, &err), SP_CONFLICT);
    assert_non_null(strstr(err.message, "the last level"));
}

static void a_grievance_resolves_once(void **state)
{
    (void)state;
    struct grievance_policy p;
    grievance_policy_default(&p);
    struct error err;
    error_init(&err);
    struct grievance g;
    memset(&g, 0, sizeof g);
    g.about = GRIEVANCE_ABOUT_ENROLMENT;
    assert_int_equal(grievance_flow_open(&g, &p, day("2026-01-10"), &err), SP_OK);
    assert_int_equal(grievance_flow_resolve(&g, day("2026-01-12"), "", &err), SP_BAD_INPUT);
    assert_int_equal(grievance_flow_resolve(&g, day("2026-01-09"), "paid", &err), SP_BAD_INPUT);
    assert_int_equal(grievance_flow_resolve(&g, day("2026-01-12"), "enrolled", &err), SP_OK);
    assert_int_equal(g.state, GRIEVANCE_RESOLVED);
    assert_int_equal(grievance_flow_is_overdue(&g, day("2027-01-01")), 0);
    assert_int_equal(grievance_flow_resolve(&g, day("2026-01-13"), "again", &err), SP_CONFLICT);
    assert_int_equal(grievance_flow_escalate(&g, &p, day("2026-01-13"), &err), SP_CONFLICT);
}

static void a_policy_reads_as_documented(void **state)
{
    (void)state;
    const char *text = "# levels, lowest first\n"
                       "ward      10  payment=5   # the ward office\n"
                       "\n"
                       "ministry  45 registration=90\n";
    struct grievance_policy p;
    struct error err;
    error_init(&err);
    assert_int_equal(grievance_policy_parse(text, strlen(text), "p.txt", &p, &err), SP_OK);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.levels[0].name, "ward");
    assert_int_equal(p.levels[0].days[GRIEVANCE_ABOUT_CLAIM], 10);
    assert_int_equal(p.levels[0].days[GRIEVANCE_ABOUT_PAYMENT], 5);
    assert_int_equal(p.levels[1].days[GRIEVANCE_ABOUT_REGISTRATION], 90);
    assert_int_equal(p.levels[1].days[GRIEVANCE_ABOUT_ENROLMENT], 45);
    assert_int_equal(grievance_policy_level(&p, "ministry"), 1);
    assert_int_equal(grievance_policy_level(&p, "court"), -1);
}

static void a_policy_mistake_is_placed(void **state)
{
    (void)state;
    static const struct {
        const char *text, *where;
    } cases[] = {
        {"office 15\ndistrict\n", "p.txt:2:9:"},   {"office 15 pension=3\n", "p.txt:1:11:"},
        {"office 15 payment=0\n", "p.txt:1:19:"},  {"office 0\n", "p.txt:1:8:"},
        {"office 15\noffice 20\n", "named twice"}, {"# nothing\n", "no level"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct grievance_policy p;
        grievance_policy_default(&p);
        struct error err;
        error_init(&err);
        assert_int_equal(
            grievance_policy_parse(cases[i].text, strlen(cases[i].text), "p.txt", &p, &err),
            SP_BAD_INPUT);
        if (strstr(err.message, cases[i].where) == NULL)
            fail_msg("case %zu: \"%s\" not in \"%s\"", i, cases[i].where, err.message);
        assert_int_equal(p.n, 4); /* left as it was */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(claim_changes_are_the_documented_ones),
        cmocka_unit_test(a_refused_change_says_what_is_allowed),
        cmocka_unit_test(the_decision_places_a_filed_claim),
        cmocka_unit_test(a_grievance_opens_with_its_types_limit),
        cmocka_unit_test(an_overdue_grievance_escalates_level_by_level),
        cmocka_unit_test(a_grievance_resolves_once),
        cmocka_unit_test(a_policy_reads_as_documented),
        cmocka_unit_test(a_policy_mistake_is_placed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
