/*
 * Unit tests for report/disagg and ops/report on a fixed, hand-built population where every
 * figure is known in advance: shares rounded exactly (and none for an empty cell), crossed
 * breakdowns whose cells add up to the total, small cells suppressed on public outputs,
 * each person counted once in SDG 1.3.1 however many benefits they hold, and the coverage
 * gap listing exactly the eligible persons who are not enrolled.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/report.h"
#include "report/dhis2.h"
#include "report/disagg.h"
#include "rules/scheme.h"

static void shares_round_exactly_and_say_nothing_of_nothing(void **state)
{
    (void)state;
    char text[REPORT_SHARE_SIZE];
    assert_int_equal(report_per_mille(1, 3), 333);
    assert_int_equal(report_per_mille(2, 3), 667);  /* 666.67 up */
    assert_int_equal(report_per_mille(1, 16), 63);  /* 62.5: half up */
    assert_int_equal(report_per_mille(1, 2000), 1); /* 0.5 up */
    assert_int_equal(report_per_mille(1, 2001), 0); /* 0.4998 down */
    assert_int_equal(report_per_mille(0, 7), 0);
    assert_int_equal(report_per_mille(0, 0), -1); /* no share of nothing */
    report_share_text(text, report_per_mille(5, 5));
    assert_string_equal(text, "100.0");
    report_share_text(text, report_per_mille(1, 8));
    assert_string_equal(text, "12.5");
    report_share_text(text, report_per_mille(0, 0));
    assert_string_equal(text, "");
}

static void breakdowns_and_bands_are_parsed_strictly(void **state)
{
    (void)state;
    struct error err;
    enum disagg_dim dims[DISAGG_DIMS];
    int n = 0;
    error_init(&err);
    assert_int_equal(disagg_dims_parse("sex,age_group,admin2", dims, &n, &err), SP_OK);
    assert_int_equal(n, 3);
    assert_int_equal(dims[2], DISAGG_ADMIN2);
    assert_int_equal(disagg_dims_parse("sex,planet", dims, &n, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "unknown breakdown \"planet\""));
    error_init(&err);
    assert_int_equal(disagg_dims_parse("sex,sex", dims, &n, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "given twice"));
    struct disagg_bands b;
    char label[24];
    error_init(&err);
    assert_int_equal(disagg_bands_parse("0-14,15-24,25-64,65+", &b, &err), SP_OK);
    assert_int_equal(b.n, 4);
    disagg_age_label(&b, 14, label);
    assert_string_equal(label, "0-14");
    disagg_age_label(&b, 15, label);
    assert_string_equal(label, "15-24");
    disagg_age_label(&b, 64, label);
    assert_string_equal(label, "25-64");
    disagg_age_label(&b, 65, label);
    assert_string_equal(label, "65+");
    disagg_age_label(&b, -1, label);
    assert_string_equal(label, "age_not_given");
    disagg_bands_default(&b);
    disagg_age_label(&b, 34, label);
    assert_string_equal(label, "under_35");
    disagg_age_label(&b, 35, label);
    assert_string_equal(label, "35_and_over");
    assert_int_equal(disagg_bands_parse("0-14,16-24,25+", &b, &err), SP_BAD_INPUT);
    assert_int_equal(disagg_bands_parse("5-14,15+", &b, &err), SP_BAD_INPUT);
    assert_int_equal(disagg_bands_parse("0-14,15-64", &b, &err), SP_BAD_INPUT); /* not open */
    assert_int_equal(disagg_bands_parse("0-14,15+,70+", &b, &err), SP_BAD_INPUT);
}

/* A person of the hand-built population. */
static struct person person_of(int sex, const char *admin2)
{
    struct person p;
    memset(&p, 0, sizeof p);
    p.sex = (uint8_t)sex;
    p.birth_date = DATE_NONE;
    text_copy(p.country, sizeof p.country, "NP");
    text_copy(p.admin1, sizeof p.admin1, "Bagmati");
    text_copy(p.admin2, sizeof p.admin2, admin2);
    return p;
}

static struct disagg_spec two_measures(const char *by)
{
    struct disagg_spec spec;
    memset(&spec, 0, sizeof spec);
    spec.indicator = "test";
    spec.title = "Test";
    spec.n_measures = 2;
    spec.measures[0] = "persons";
    spec.measures[1] = "covered";
    spec.rate = "coverage";
    spec.rate_of = 1;
    spec.rate_over = 0;
    struct error err;
    error_init(&err);
    assert_int_equal(disagg_dims_parse(by, spec.by, &spec.n_by, &err), SP_OK);
    return spec;
}

static char *csv_of(const struct disagg_table *t, int is_public, int k)
{
    struct buf out;
    struct error err;
    error_init(&err);
    buf_init(&out, 1u << 20);
    struct disagg_meta m = {"2026-08-01", NULL, "test", NULL, is_public, k};
    assert_int_equal(disagg_write_csv(t, &m, &out, &err), SP_OK);
    assert_int_equal(buf_putc(&out, '\0', &err), SP_OK);
    return out.data;
}

/*
 * Kathmandu: 3 women under 35 (2 covered), 1 woman of 50 (covered), 2 men under 35 (none
 * covered), 1 man whose age is not given (covered). Morang: 2 women of 40, neither covered.
 */
static void add_population(struct disagg_table *t)
{
    struct {
        int sex, age, covered;
        const char *admin2;
    } rows[] = {
        {SEX_FEMALE, 20, 1, "Kathmandu"}, {SEX_FEMALE, 25, 1, "Kathmandu"},
        {SEX_FEMALE, 34, 0, "Kathmandu"}, {SEX_FEMALE, 50, 1, "Kathmandu"},
        {SEX_MALE, 22, 0, "Kathmandu"},   {SEX_MALE, 30, 0, "Kathmandu"},
        {SEX_MALE, -1, 1, "Kathmandu"},   {SEX_FEMALE, 40, 0, "Morang"},
        {SEX_FEMALE, 40, 0, "Morang"},
    };
    struct error err;
    error_init(&err);
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct person p = person_of(rows[i].sex, rows[i].admin2);
        struct disagg_unit u = {
            .person = &p, .age = rows[i].age, .m = {1, (uint8_t)rows[i].covered}};
        assert_int_equal(disagg_add(t, &u, &err), SP_OK);
    }
}

static void cells_add_up_with_their_shares(void **state)
{
    (void)state;
    struct disagg_table t;
    struct error err;
    error_init(&err);
    struct disagg_spec spec = two_measures("admin2,sex");
    assert_int_equal(disagg_init(&t, &spec, &err), SP_OK);
    add_population(&t);
    char *csv = csv_of(&t, 0, DISAGG_K_DEFAULT);
    /* 9 persons: 6 women (66.7%), 5 under 35 (55.6%); 4 covered: 3 women (75.0%), 2 under
       35 (50.0%, the man with no age is not counted young); coverage 4/9 = 44.4% */
    assert_string_equal(
        csv, "admin2,sex,persons,persons_women_pct,persons_under_35_pct,covered,covered_women_pct,"
             "covered_under_35_pct,coverage_pct,suppressed\r\n"
             "all,all,9,66.7,55.6,4,75.0,50.0,44.4,0\r\n"
             "Kathmandu,female,4,100.0,75.0,3,100.0,66.7,75.0,0\r\n"
             "Kathmandu,male,3,0.0,66.7,1,0.0,0.0,33.3,0\r\n"
             "Morang,female,2,100.0,0.0,0,,,0.0,0\r\n");
    sp_free(csv);
    disagg_release(&t);
}

static void small_cells_are_suppressed_on_public_outputs(void **state)
{
    (void)state;
    struct disagg_table t;
    struct error err;
    error_init(&err);
    struct disagg_spec spec = two_measures("admin2");
    assert_int_equal(disagg_init(&t, &spec, &err), SP_OK);
    add_population(&t);
    for (int i = 0; i < 3; i++) { /* three more covered men of 60 in Morang */
        struct person p = person_of(SEX_MALE, "Morang");
        struct disagg_unit u = {.person = &p, .age = 60, .m = {1, 1}};
        assert_int_equal(disagg_add(&t, &u, &err), SP_OK);
    }
    char *open = csv_of(&t, 0, 5);
    assert_non_null(strstr(open, "Morang,5,40.0,0.0,3,0.0,0.0,60.0,0\r\n"));
    sp_free(open);
    char *shown = csv_of(&t, 1, 5);
    /* the total: 12 persons, 6 women and 6 men, 5 under 35 and 7 not: shown. 7 covered: 3
       women and 4 men: either would single persons out, so no share of women; 2 under 35:
       held back. Kathmandu: 7 persons, 4 women, 3 men: no share of women; 3 covered:
       held back, and the rate with it. Morang: 5 persons, 2 women, 3 men: held back; 0 under
       35 shows (zero singles no one out) */
    assert_string_equal(
        shown, "admin2,persons,persons_women_pct,persons_under_35_pct,covered,covered_women_pct,"
               "covered_under_35_pct,coverage_pct,suppressed\r\n"
               "all,12,50.0,41.7,7,,,58.3,1\r\n"
               "Kathmandu,7,,,,,,,1\r\n"
               "Morang,5,,0.0,,,,,1\r\n");
    sp_free(shown);
    char *k1 = csv_of(&t, 1, 1); /* k 1 holds nothing back */
    char *open_again = csv_of(&t, 0, 5);
    assert_string_equal(k1, open_again);
    sp_free(k1);
    sp_free(open_again);
    disagg_release(&t);
}

static void a_person_holding_several_counts_once(void **state)
{
    (void)state;
    struct disagg_table t;
    struct error err;
    error_init(&err);
    struct disagg_spec spec = two_measures("branch");
    assert_int_equal(disagg_init(&t, &spec, &err), SP_OK);
    struct person p = person_of(SEX_FEMALE, "Kathmandu");
    /* two old-age schemes, one covering her, one not; and a survivors' scheme covering her */
    struct disagg_slice slices[] = {
        {.scheme = "np.a", .branch = "old_age", .kind = "non_contributory", .m = {1, 1}},
        {.scheme = "np.b", .branch = "old_age", .kind = "contributory", .m = {1, 0}},
        {.scheme = "np.c", .branch = "survivors", .kind = "non_contributory", .m = {1, 1}},
    };
    struct disagg_unit u = {.person = &p, .age = 70, .m = {1, 1}, .slices = slices, .n_slices = 3};
    assert_int_equal(disagg_add(&t, &u, &err), SP_OK);
    struct person q = person_of(SEX_MALE, "Kathmandu");
    struct disagg_slice one = {
        .scheme = "np.a", .branch = "old_age", .kind = "non_contributory", .m = {1, 0}};
    struct disagg_unit v = {.person = &q, .age = 30, .m = {1, 0}, .slices = &one, .n_slices = 1};
    assert_int_equal(disagg_add(&t, &v, &err), SP_OK);
    char *csv = csv_of(&t, 0, 5);
    assert_string_equal(csv, "branch,persons,persons_women_pct,persons_under_35_pct,covered,"
                             "covered_women_pct,covered_under_35_pct,coverage_pct,suppressed\r\n"
                             "all,2,50.0,50.0,1,100.0,0.0,50.0,0\r\n"
                             "old_age,2,50.0,50.0,1,100.0,0.0,50.0,0\r\n"
                             "survivors,1,100.0,0.0,1,100.0,0.0,100.0,0\r\n");
    sp_free(csv);
    disagg_release(&t);
}

/*
 * Benefits paid: a woman of 70 paid 1,500.00 in 2025-01 and 2025-02 by one scheme and 200.50
 * in 2025-02 by another; a man of 30 paid 1,000.00 in 2025-02. Amounts add up within a
 * period and across periods; each recipient is counted once in the total and in each period.
 */
static void amounts_paid_add_up_by_period(void **state)
{
    (void)state;
    struct disagg_table t;
    struct error err;
    error_init(&err);
    struct disagg_spec spec = {.indicator = "benefits",
                               .title = "Benefits paid",
                               .n_measures = 2,
                               .measures = {"recipients", "amount"},
                               .currency = "NPR",
                               .money = 1};
    assert_int_equal(disagg_dims_parse("period", spec.by, &spec.n_by, &err), SP_OK);
    assert_int_equal(disagg_init(&t, &spec, &err), SP_OK);
    struct person her = person_of(SEX_FEMALE, "Kathmandu");
    struct disagg_slice paid[] = {
        {.scheme = "np.a", .period = "2025-01", .m = {1, 1}, .amount = 150000},
        {.scheme = "np.a", .period = "2025-02", .m = {1, 1}, .amount = 150000},
        {.scheme = "np.b", .period = "2025-02", .m = {1, 1}, .amount = 20050},
    };
    struct disagg_unit u = {
        .person = &her, .age = 70, .m = {1, 1}, .slices = paid, .n_slices = 3, .amount = 320050};
    assert_int_equal(disagg_add(&t, &u, &err), SP_OK);
    struct person him = person_of(SEX_MALE, "Kathmandu");
    struct disagg_slice once = {
        .scheme = "np.a", .period = "2025-02", .m = {1, 1}, .amount = 100000};
    struct disagg_unit v = {
        .person = &him, .age = 30, .m = {1, 1}, .slices = &once, .n_slices = 1, .amount = 100000};
    assert_int_equal(disagg_add(&t, &v, &err), SP_OK);
    char *csv = csv_of(&t, 0, 5);
    /* 420,050 paid: 320,050 to her (76.2%), 100,000 to him, who is under 35 (23.8%) */
    assert_string_equal(csv, "period,recipients,recipients_women_pct,recipients_under_35_pct,"
                             "amount,amount_women_pct,amount_under_35_pct,currency,suppressed\r\n"
                             "all,2,50.0,50.0,4200.50,76.2,23.8,NPR,0\r\n"
                             "2025-01,1,100.0,0.0,1500.00,100.0,0.0,NPR,0\r\n"
                             "2025-02,2,50.0,50.0,2700.50,63.0,37.0,NPR,0\r\n");
    sp_free(csv);
    /* public: a period of fewer than k recipients holds its amount back with them */
    char *shown = csv_of(&t, 1, 2);
    assert_non_null(strstr(shown, "\r\n2025-01,,,,,,,NPR,1\r\n"));
    assert_non_null(strstr(shown, "\r\n2025-02,2,,,2700.50,,,NPR,1\r\n"));
    sp_free(shown);
    disagg_release(&t);
    struct disagg_spec bad = spec;
    bad.currency = "ZZZ";
    assert_int_equal(disagg_init(&t, &bad, &err), SP_BAD_INPUT);
    disagg_release(&t);
}

static void dhis2_periods_follow_the_report(void **state)
{
    (void)state;
    struct error err;
    error_init(&err);
    char period[DHIS2_PERIOD_SIZE];
    int32_t aug = date_from_civil(2026, 8, 1);
    assert_int_equal(dhis2_period(DATE_NONE, aug, period, &err), SP_OK);
    assert_string_equal(period, "202608"); /* a date: its month */
    assert_int_equal(dhis2_period(aug, aug, period, &err), SP_OK);
    assert_string_equal(period, "20260801");
    assert_int_equal(
        dhis2_period(date_from_civil(2026, 2, 1), date_from_civil(2026, 2, 28), period, &err),
        SP_OK);
    assert_string_equal(period, "202602");
    assert_int_equal(
        dhis2_period(date_from_civil(2026, 10, 1), date_from_civil(2026, 12, 31), period, &err),
        SP_OK);
    assert_string_equal(period, "2026Q4");
    assert_int_equal(
        dhis2_period(date_from_civil(2025, 1, 1), date_from_civil(2025, 12, 31), period, &err),
        SP_OK);
    assert_string_equal(period, "2025");
    /* February to April is no quarter; a month ending early is no month */
    assert_int_equal(
        dhis2_period(date_from_civil(2026, 2, 1), date_from_civil(2026, 4, 30), period, &err),
        SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "2026-02-01 to 2026-04-30 is not a DHIS2 period"));
    error_init(&err);
    assert_int_equal(
        dhis2_period(date_from_civil(2026, 2, 1), date_from_civil(2026, 2, 27), period, &err),
        SP_BAD_INPUT);
    assert_int_equal(dhis2_uid_valid("HllvX50cXC0"), 1);
    assert_int_equal(dhis2_uid_valid("0llvX50cXC0"), 0); /* starts with a digit */
    assert_int_equal(dhis2_uid_valid("HllvX50cXC"), 0);  /* 10 characters */
    assert_int_equal(dhis2_uid_valid("HllvX50-XC0"), 0);
}

static void anonymous_counts_weigh_as_logged(void **state)
{
    (void)state;
    struct disagg_table t;
    struct error err;
    error_init(&err);
    struct disagg_spec spec = two_measures("age_group");
    assert_int_equal(disagg_init(&t, &spec, &err), SP_OK);
    struct person women = person_of(SEX_FEMALE, "Kathmandu");
    struct person men = person_of(SEX_MALE, "Kathmandu");
    /* 12 women known to be under 35, 4 men known to be 35 or over, 1 person aged 20 */
    struct disagg_unit a = {.person = &women, .age = -1, .m = {1, 1}, .count = 12, .youth = 1};
    struct disagg_unit b = {.person = &men, .age = -1, .m = {1, 0}, .count = 4, .youth = 2};
    struct disagg_unit c = {.person = &men, .age = 20, .m = {1, 0}};
    assert_int_equal(disagg_add(&t, &a, &err), SP_OK);
    assert_int_equal(disagg_add(&t, &b, &err), SP_OK);
    assert_int_equal(disagg_add(&t, &c, &err), SP_OK);
    char *csv = csv_of(&t, 0, 5);
    assert_string_equal(csv, "age_group,persons,persons_women_pct,persons_under_35_pct,covered,"
                             "covered_women_pct,covered_under_35_pct,coverage_pct,suppressed\r\n"
                             "all,17,70.6,76.5,12,100.0,100.0,70.6,0\r\n"
                             "under_35,13,92.3,100.0,12,100.0,100.0,92.3,0\r\n"
                             "35_and_over,4,0.0,0.0,0,,,0.0,0\r\n");
    sp_free(csv);
    disagg_release(&t);
    /* under the ILO's bands, a count known only as under 35 has no band */
    spec.bands.n = 0;
    assert_int_equal(disagg_bands_parse("0-14,15-24,25-64,65+", &spec.bands, &err), SP_OK);
    assert_int_equal(disagg_init(&t, &spec, &err), SP_OK);
    assert_int_equal(disagg_add(&t, &a, &err), SP_OK);
    assert_int_equal(disagg_add(&t, &c, &err), SP_OK);
    csv = csv_of(&t, 0, 5);
    assert_non_null(strstr(csv, "\r\n15-24,1,0.0,100.0,0,,,0.0,0\r\n"));
    assert_non_null(strstr(csv, "\r\nage_not_given,12,100.0,100.0,12,100.0,100.0,100.0,0\r\n"));
    sp_free(csv);
    disagg_release(&t);
}

/* ---- the indicators over a situation, with the shipped library ---- */

static struct person np_person(const char *id, int sex, const char *birth, int marital,
                               int category)
{
    struct person p = person_of(sex, "Kathmandu");
    person_init(&p);
    p.sex = (uint8_t)sex;
    text_copy(p.id, sizeof p.id, id);
    text_copy(p.country, sizeof p.country, "NP");
    text_copy(p.admin1, sizeof p.admin1, "Bagmati");
    text_copy(p.admin2, sizeof p.admin2, "Kathmandu");
    struct error err;
    error_init(&err);
    assert_int_equal(date_parse(birth, &p.birth_date, &err), SP_OK);
    p.marital_status = (uint8_t)marital;
    p.worker_category = (uint8_t)category;
    return p;
}

struct population {
    struct situation s;
    struct scheme_library *lib;
};

static int32_t day(const char *text)
{
    int32_t d = DATE_NONE;
    struct error err;
    error_init(&err);
    assert_int_equal(date_parse(text, &d, &err), SP_OK);
    return d;
}

static void enrol(struct situation *s, const char *person, const char *scheme, const char *from,
                  const char *to)
{
    struct enrolment *e = &s->enrolments[s->n_enrolments++];
    memset(e, 0, sizeof *e);
    text_copy(e->person, sizeof e->person, person);
    text_copy(e->scheme, sizeof e->scheme, scheme);
    e->from = day(from);
    e->to = to ? day(to) : DATE_NONE;
}

static void contribute(struct situation *s, const char *person, const char *month)
{
    struct contribution *c = &s->contributions[s->n_contributions++];
    memset(c, 0, sizeof *c);
    text_copy(c->person, sizeof c->person, person);
    text_copy(c->scheme, sizeof c->scheme, "np.ssf.contributions");
    struct error err;
    error_init(&err);
    assert_int_equal(month_parse(month, &c->month, &err), SP_OK);
    assert_int_equal(money_parse("30000.00", "NPR", &c->wage, &err), SP_OK);
}

/*
 * On 2026-08-01 (contributors: an entry in June, July or August 2026):
 *   p1 Ram, 76: enrolled in the senior allowance and the other senior allowance, and
 *      contributing in July: covered once, in old_age once.
 *   p2 Sita, 74, widowed: her widow allowance ended on 2026-06-30: not covered; eligible for
 *      the senior allowance (which excludes the widow and single-woman ones) and not
 *      enrolled: in the gap.
 *   p3 Kamala, 72: nothing: in the gap for the senior allowance.
 *   p4 Gita, 30, formal employee: contributing in June: covered; not in the gap.
 *   p5 Maya, 32, formal employee: her last entry is May's: not covered; in the gap for the
 *      SSF's contributions.
 *   p6 Bikash, 26, informal: nothing, eligible for nothing that is owed.
 */
static int population_setup(void **state)
{
    static struct population pop;
    memset(&pop, 0, sizeof pop);
    situation_init(&pop.s);
    struct error err;
    error_init(&err);
    if (scheme_library_load("schemes", &pop.lib, &err) != SP_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    struct situation *s = &pop.s;
    s->persons = sp_calloc(6, sizeof *s->persons);
    s->enrolments = sp_calloc(8, sizeof *s->enrolments);
    s->contributions = sp_calloc(8, sizeof *s->contributions);
    s->persons[0] = np_person("p1", SEX_MALE, "1950-01-01", MARITAL_MARRIED, WORKER_INFORMAL);
    s->persons[1] = np_person("p2", SEX_FEMALE, "1952-01-01", MARITAL_WIDOWED, WORKER_INFORMAL);
    s->persons[2] = np_person("p3", SEX_FEMALE, "1954-01-01", MARITAL_MARRIED, WORKER_HOME_BASED);
    s->persons[3] =
        np_person("p4", SEX_FEMALE, "1996-03-01", MARITAL_SINGLE, WORKER_FORMAL_EMPLOYEE);
    s->persons[4] =
        np_person("p5", SEX_FEMALE, "1994-02-01", MARITAL_SINGLE, WORKER_FORMAL_EMPLOYEE);
    s->persons[5] = np_person("p6", SEX_MALE, "2000-06-01", MARITAL_SINGLE, WORKER_INFORMAL);
    s->n_persons = 6;
    enrol(s, "p1", "np.ssa.senior_citizen", "2026-01-01", NULL);
    enrol(s, "p1", "np.ssa.other_senior_citizen", "2026-01-01", NULL);
    enrol(s, "p2", "np.ssa.widow", "2020-01-01", "2026-06-30");
    contribute(s, "p1", "2026-07");
    contribute(s, "p4", "2026-06");
    contribute(s, "p5", "2026-05");
    if (situation_index(s, &err) != SP_OK) {
        fprintf(stderr, "%s\n", err.message);
        return -1;
    }
    *state = &pop;
    return 0;
}

static int population_teardown(void **state)
{
    struct population *pop = *state;
    situation_release(&pop->s);
    scheme_library_free(pop->lib);
    return 0;
}

static char *indicator_csv(struct population *pop, struct report_query *q)
{
    struct disagg_table t;
    struct error err;
    error_init(&err);
    q->as_of = day("2026-08-01");
    if (q->from == 0)
        q->from = DATE_NONE;
    int rc = report_situation(&pop->s, pop->lib, q, &t, &err);
    if (rc != SP_OK)
        fprintf(stderr, "%s\n", err.message);
    assert_int_equal(rc, SP_OK);
    char *csv = csv_of(&t, 0, 5);
    disagg_release(&t);
    return csv;
}

static void coverage_counts_each_person_once(void **state)
{
    struct population *pop = *state;
    struct report_query q;
    memset(&q, 0, sizeof q);
    q.indicator = REPORT_COVERAGE;
    char *csv = indicator_csv(pop, &q);
    /* 6 persons (4 women, 3 under 35); covered p1 and p4: 2 (1 woman, 1 under 35), 33.3% */
    assert_string_equal(csv, "persons,persons_women_pct,persons_under_35_pct,covered,"
                             "covered_women_pct,covered_under_35_pct,contributing,"
                             "contributing_women_pct,contributing_under_35_pct,receiving,"
                             "receiving_women_pct,receiving_under_35_pct,coverage_pct,"
                             "suppressed\r\n"
                             "6,66.7,50.0,2,50.0,50.0,2,50.0,50.0,1,0.0,0.0,33.3,0\r\n");
    sp_free(csv);
    q.n_by = 1;
    q.by[0] = DISAGG_BRANCH;
    csv = indicator_csv(pop, &q);
    assert_non_null(strstr(csv, "\r\nold_age,6,66.7,50.0,2,50.0,50.0,2,50.0,50.0,1,0.0,0.0,33.3,0"
                                "\r\n"));
    assert_non_null(strstr(csv, "\r\nsurvivors,6,66.7,50.0,0,,,0,,,0,,,0.0,0\r\n"));
    sp_free(csv);
    /* a period from 2026-06-01: Sita's widow allowance was active in June */
    q.n_by = 0;
    q.from = day("2026-06-01");
    csv = indicator_csv(pop, &q);
    assert_non_null(strstr(csv, "\r\n6,66.7,50.0,3,66.7,33.3,2,50.0,50.0,2,50.0,0.0,50.0,0\r\n"));
    sp_free(csv);
}

/* The gap's entries, as "person scheme;" text. */
static int list_entry(void *ctx, const struct report_gap_entry *e)
{
    struct buf *b = ctx;
    struct error err;
    error_init(&err);
    return buf_printf(b, &err, "%s %s;", e->person->id, e->scheme->id);
}

static void the_gap_lists_the_eligible_not_enrolled(void **state)
{
    struct population *pop = *state;
    struct report_query q;
    memset(&q, 0, sizeof q);
    q.indicator = REPORT_GAP;
    struct buf listed;
    buf_init(&listed, 1u << 16);
    q.list = list_entry;
    q.list_ctx = &listed;
    q.n_by = 1;
    q.by[0] = DISAGG_SCHEME;
    char *csv = indicator_csv(pop, &q);
    struct error err;
    error_init(&err);
    assert_int_equal(buf_putc(&listed, '\0', &err), SP_OK);
    assert_string_equal(listed.data, "p2 np.ssa.senior_citizen;p3 np.ssa.senior_citizen;"
                                     "p5 np.ssf.contributions;");
    /* eligible: p1, p2, p3 (senior), p4, p5 (contributions): 5, 4 women, 2 under 35; not
       enrolled: 3 (all women, 1 under 35): 60.0% */
    assert_non_null(strstr(csv, "\r\nall,6,66.7,50.0,5,80.0,40.0,3,100.0,33.3,60.0,0\r\n"));
    assert_non_null(
        strstr(csv, "\r\nnp.ssa.senior_citizen,6,66.7,50.0,3,66.7,0.0,2,100.0,0.0,66.7,0\r\n"));
    assert_non_null(
        strstr(csv, "\r\nnp.ssf.contributions,6,66.7,50.0,2,100.0,100.0,1,100.0,100.0,50.0,0\r\n"));
    sp_free(csv);
    buf_release(&listed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(shares_round_exactly_and_say_nothing_of_nothing),
        cmocka_unit_test(breakdowns_and_bands_are_parsed_strictly),
        cmocka_unit_test(cells_add_up_with_their_shares),
        cmocka_unit_test(small_cells_are_suppressed_on_public_outputs),
        cmocka_unit_test(a_person_holding_several_counts_once),
        cmocka_unit_test(anonymous_counts_weigh_as_logged),
        cmocka_unit_test(amounts_paid_add_up_by_period),
        cmocka_unit_test(dhis2_periods_follow_the_report),
    };
    const struct CMUnitTest registry[] = {
        cmocka_unit_test(coverage_counts_each_person_once),
        cmocka_unit_test(the_gap_lists_the_eligible_not_enrolled),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    return failed + cmocka_run_group_tests(registry, population_setup, population_teardown);
}
