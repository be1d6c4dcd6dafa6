/*
 * Unit tests for the report outputs beyond the tables: the DHIS2 data value set
 * (report/dhis2.h: one value per cell and mapped measure, values as strings, unmapped cells
 * named and nothing written, suppressed figures left out), the annual summary's writers
 * (report/annual.h: the sentences, shares rounded, nothing to share of given as "-" and null)
 * and the cases' summary (ops/outreach_cases.h: won, lost, pending in the year, amounts by
 * currency), and the cases' stored row read back as it was written.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "ops/outreach_cases.h"
#include "report/annual.h"
#include "report/dhis2.h"
#include "report/disagg.h"
#include "store/outreach_row.h"

static struct person person_of(int sex, const char *admin2)
{
    struct person p;
    memset(&p, 0, sizeof p);
    p.sex = (uint8_t)sex;
    p.birth_date = DATE_NONE;
    text_copy(p.country, sizeof p.country, "NP");
    text_copy(p.admin2, sizeof p.admin2, admin2);
    return p;
}

/* Coverage by admin2 and sex: Kathmandu 3 women (2 covered), 2 men (0); Morang 1 woman (1). */
static void coverage_table(struct disagg_table *t)
{
    struct disagg_spec spec = {.indicator = "coverage",
                               .title = "Coverage",
                               .n_measures = 2,
                               .measures = {"persons", "covered"},
                               .rate = "coverage",
                               .rate_of = 1};
    struct error err;
    error_init(&err);
    assert_int_equal(disagg_dims_parse("admin2,sex", spec.by, &spec.n_by, &err), SP_OK);
    assert_int_equal(disagg_init(t, &spec, &err), SP_OK);
    struct {
        int sex, covered;
        const char *admin2;
    } rows[] = {{SEX_FEMALE, 1, "Kathmandu"}, {SEX_FEMALE, 1, "Kathmandu"},
                {SEX_FEMALE, 0, "Kathmandu"}, {SEX_MALE, 0, "Kathmandu"},
                {SEX_MALE, 0, "Kathmandu"},   {SEX_FEMALE, 1, "Morang"}};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        struct person p = person_of(rows[i].sex, rows[i].admin2);
        struct disagg_unit u = {.person = &p, .age = 40, .m = {1, (uint8_t)rows[i].covered}};
        assert_int_equal(disagg_add(t, &u, &err), SP_OK);
    }
}

static void mapping_of(struct dhis2_mapping *m, int with_morang)
{
    struct error err;
    error_init(&err);
    dhis2_mapping_init(m);
    text_copy(m->data_set, sizeof m->data_set, "DataSet0001");
    assert_int_equal(dhis2_names_add(&m->org_units, "Kathmandu", "OrgUnitKtm1", &err), SP_OK);
    if (with_morang)
        assert_int_equal(dhis2_names_add(&m->org_units, "Morang", "OrgUnitMrg1", &err), SP_OK);
    assert_int_equal(dhis2_names_add(&m->data_elements, "coverage.covered", "ElemCovrd01", &err),
                     SP_OK);
    assert_int_equal(dhis2_names_add(&m->combos, "female", "ComboFemale", &err), SP_OK);
    assert_int_equal(dhis2_names_add(&m->combos, "male", "ComboMale01", &err), SP_OK);
    assert_int_equal(dhis2_names_add(&m->combos, "male", "ComboMale02", &err), SP_BAD_INPUT);
}

static void dhis2_sends_each_cell_once_or_nothing(void **state)
{
    (void)state;
    struct disagg_table t;
    coverage_table(&t);
    struct dhis2_mapping m;
    mapping_of(&m, 1);
    struct error err;
    error_init(&err);
    struct buf out;
    buf_init(&out, 1u << 20);
    struct disagg_meta meta = {"2026-08-01", NULL, "test", NULL, 0, 5};
    assert_int_equal(dhis2_write(&t, &meta, &m, "202608", &out, &err), SP_OK);
    /* one data element mapped (covered), three cells: three values, the total not sent */
    assert_string_equal(
        out.data,
        "{\n  \"dataSet\":\"DataSet0001\",\n  \"period\":\"202608\",\n  \"dataValues\":[\n"
        "    {\"dataElement\":\"ElemCovrd01\",\"period\":\"202608\",\"orgUnit\":\"OrgUnitKtm1\","
        "\"categoryOptionCombo\":\"ComboFemale\",\"value\":\"2\"},\n"
        "    {\"dataElement\":\"ElemCovrd01\",\"period\":\"202608\",\"orgUnit\":\"OrgUnitKtm1\","
        "\"categoryOptionCombo\":\"ComboMale01\",\"value\":\"0\"},\n"
        "    {\"dataElement\":\"ElemCovrd01\",\"period\":\"202608\",\"orgUnit\":\"OrgUnitMrg1\","
        "\"categoryOptionCombo\":\"ComboFemale\",\"value\":\"1\"}\n  ]\n}\n");
    /* public, k 2: Morang's one woman is held back, and so not sent */
    buf_reset(&out);
    meta.is_public = 1;
    meta.k = 2;
    assert_int_equal(dhis2_write(&t, &meta, &m, "202608", &out, &err), SP_OK);
    assert_null(strstr(out.data, "OrgUnitMrg1"));
    assert_non_null(strstr(out.data, "\"value\":\"2\""));
    dhis2_mapping_release(&m);
    /* without Morang: named, and nothing written */
    mapping_of(&m, 0);
    buf_reset(&out);
    meta.is_public = 0;
    assert_int_equal(buf_puts(&out, "kept", &err), SP_OK);
    assert_int_equal(dhis2_write(&t, &meta, &m, "202608", &out, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "1 cell of coverage is not in the mapping"));
    assert_non_null(strstr(err.message, "admin2 \"Morang\": no orgUnit"));
    assert_string_equal(out.data, "kept");
    dhis2_mapping_release(&m);
    buf_release(&out);
    disagg_release(&t);
}

static void annual_summary_says_each_figure_with_its_shares(void **state)
{
    (void)state;
    struct annual_summary s;
    memset(&s, 0, sizeof s);
    text_copy(s.org, sizeof s.org, "GEFONT");
    text_copy(s.country, sizeof s.country, "NP");
    s.year = 2025;
    text_copy(s.as_of, sizeof s.as_of, "2025-12-31");
    s.reached = (struct disagg_count){3, 1, 2};
    s.activities = 1;
    s.organisations = 1;
    s.persons = (struct disagg_count){12, 7, 5};
    s.covered = (struct disagg_count){4, 2, 2};
    s.cases_won = 0; /* nothing won: no share to give */
    s.approved = 1;
    s.proposals = 2;
    s.lobbied = 1;
    s.benefit = 175000;
    s.benefit_women = 82000;
    s.benefit_young = 70000;
    s.estimated = 1;
    struct buf out;
    struct error err;
    error_init(&err);
    buf_init(&out, 1u << 20);
    assert_int_equal(annual_write_text(&s, &out, &err), SP_OK);
    assert_non_null(strstr(out.data, "3 people (33.3% women and 66.7% under 35 years) reached by "
                                     "1 activity of 1 organisation"));
    assert_non_null(strstr(out.data, "effective coverage (SDG 1.3.1) 33.3% of the 12"));
    assert_non_null(strstr(out.data, "0 legal-aid and assisted-claim cases won (-% women and -% "
                                     "under 35 years), nothing recovered"));
    assert_non_null(strstr(out.data, "would benefit 175000 people (46.9% women and 40.0% under 35 "
                                     "years): 1 entered estimate, 0 simulations"));
    buf_reset(&out);
    assert_int_equal(annual_write_json(&s, &out, &err), SP_OK);
    assert_non_null(strstr(out.data, "\"cases_won\":0,\"cases_won_women_pct\":null,"));
    assert_non_null(strstr(out.data, "\"paid\":null"));
    buf_reset(&out);
    assert_int_equal(annual_write_html(&s, &out, &err), SP_OK);
    assert_non_null(strstr(out.data, "<section id=\"better_work\">"));
    assert_null(strstr(out.data, "<script"));
    buf_release(&out);
}

static struct outreach_case case_of(const char *org, int sex, int youth, const char *opened,
                                    int outcome, const char *decided, int64_t recovered,
                                    const char *currency)
{
    struct outreach_case c;
    memset(&c, 0, sizeof c);
    text_copy(c.org, sizeof c.org, org);
    c.kind = CASE_LEGAL_AID;
    c.sex = (uint8_t)sex;
    c.youth = (uint8_t)youth;
    text_copy(c.country, sizeof c.country, "NP");
    text_copy(c.area, sizeof c.area, "Kathmandu");
    assert_int_equal(date_parse(opened, &c.opened, NULL), SP_OK);
    c.outcome = (uint8_t)outcome;
    c.decided = DATE_NONE;
    if (decided != NULL)
        assert_int_equal(date_parse(decided, &c.decided, NULL), SP_OK);
    c.recovered = recovered;
    text_copy(c.currency, sizeof c.currency, currency);
    return c;
}

static void cases_are_summed_up_for_the_year(void **state)
{
    (void)state;
    struct outreach_case cases[] = {
        case_of("A", SEX_FEMALE, OUTREACH_UNDER_35, "2025-02-01", CASE_WON, "2025-03-01", 150050,
                "NPR"),
        case_of("A", SEX_MALE, OUTREACH_35_AND_OVER, "2025-02-01", CASE_WON, "2025-04-01", 1000,
                "NPR"),
        case_of("A", SEX_FEMALE, OUTREACH_35_AND_OVER, "2025-02-01", CASE_WON, "2025-04-01", 700,
                "INR"),
        case_of("A", SEX_MALE, OUTREACH_UNDER_35, "2025-05-01", CASE_LOST, "2025-06-01", 0, ""),
        case_of("A", SEX_MALE, OUTREACH_UNDER_35, "2025-05-01", CASE_PENDING, NULL, 0, ""),
        /* won the next year: pending at the end of this one */
        case_of("A", SEX_MALE, OUTREACH_UNDER_35, "2025-05-01", CASE_WON, "2026-01-10", 5, "NPR"),
        /* won in the year before: not counted */
        case_of("A", SEX_FEMALE, OUTREACH_UNDER_35, "2024-05-01", CASE_WON, "2024-06-01", 9, "NPR"),
        case_of("B", SEX_FEMALE, OUTREACH_UNDER_35, "2025-05-01", CASE_WON, "2025-06-01", 9, "NPR"),
    };
    struct case_filter f = {"A", NULL, "NP", date_from_civil(2025, 1, 1),
                            date_from_civil(2025, 12, 31)};
    struct case_summary s;
    struct error err;
    error_init(&err);
    assert_int_equal(outreach_cases_summarise(NULL, cases, 8, &f, &s, &err), SP_OK);
    assert_int_equal(s.won, 3);
    assert_int_equal(s.lost, 1);
    assert_int_equal(s.pending, 2);
    assert_int_equal(s.won_women, 2);
    assert_int_equal(s.won_young, 1);
    assert_int_equal(s.n_currencies, 2);
    assert_string_equal(s.recovered[0].currency, "NPR");
    assert_int_equal(s.recovered[0].minor, 151050);
    assert_string_equal(s.recovered[1].currency, "INR");
    assert_int_equal(s.recovered[1].minor, 700);
}

static void a_case_reads_back_as_written(void **state)
{
    (void)state;
    struct outreach_case c = case_of("GEFONT", SEX_FEMALE, OUTREACH_UNDER_35, "2025-02-01",
                                     CASE_WON, "2025-03-01", 150050, "NPR");
    c.activity = 12;
    text_copy(c.note, sizeof c.note, "unpaid wages");
    char numbers[3][OUTREACH_NUMBER_SIZE], days[2][DATE_TEXT_SIZE];
    const char *texts[CASE_TEXTS];
    case_row_encode(&c, 0, numbers, days, texts);
    assert_string_equal(texts[1], "legal_aid");
    assert_string_equal(texts[3], ""); /* anonymous: no serial */
    assert_string_equal(texts[4], "female");
    assert_string_equal(texts[9], "won");
    assert_string_equal(texts[10], "2025-03-01");
    struct outreach_case back;
    back.id = 7;
    int64_t serial = -1;
    case_row_decode(texts, &back, &serial);
    assert_int_equal(serial, 0);
    assert_int_equal(back.id, 7);
    back.id = c.id;
    assert_memory_equal(&back, &c, sizeof c);
    case_row_encode(&c, 42, numbers, days, texts); /* a registry person's: no sex, no age */
    assert_string_equal(texts[3], "42");
    assert_string_equal(texts[4], "");
    assert_string_equal(texts[5], "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(dhis2_sends_each_cell_once_or_nothing),
        cmocka_unit_test(annual_summary_says_each_figure_with_its_shares),
        cmocka_unit_test(cases_are_summed_up_for_the_year),
        cmocka_unit_test(a_case_reads_back_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
