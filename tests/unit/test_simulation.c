/*
 * Unit tests for report/simulation: the PolicyEngine bands at their edges, weighted sums
 * exact until the one rounding at the end, breakdowns that add up, the formats escaping what
 * they print; and for base/buf's format writers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/buf.h"
#include "base/text.h"
#include "report/simulation.h"

static void bands_follow_policyengine_at_their_edges(void **state)
{
    (void)state;
    assert_int_equal(sim_band_of(100000, 100000), SIM_NO_CHANGE);
    assert_int_equal(sim_band_of(0, 0), SIM_NO_CHANGE);
    assert_int_equal(sim_band_of(0, 1), SIM_GAIN_MORE_5);           /* any gain from nothing */
    assert_int_equal(sim_band_of(100000, 105000), SIM_GAIN_LESS_5); /* exactly 5% */
    assert_int_equal(sim_band_of(100000, 105001), SIM_GAIN_MORE_5);
    assert_int_equal(sim_band_of(100000, 95000), SIM_LOSE_LESS_5);
    assert_int_equal(sim_band_of(100000, 94999), SIM_LOSE_MORE_5);
    assert_int_equal(sim_band_of(100000, 0), SIM_LOSE_MORE_5);
    assert_int_equal(sim_band_of(INT64_MAX / 2, INT64_MAX), SIM_GAIN_MORE_5); /* no overflow */
    assert_string_equal(sim_band_name(SIM_LOSE_LESS_5), "lose_less_5");
}

/* One person of one scheme, paid `before` and `after` a year. */
struct one {
    struct person p;
    struct sim_outcome o[SIM_SIDES];
    uint8_t applies, enrolled;
    struct sim_person sp;
};

static void one_init(struct one *x, int sex, const char *admin2, int age, int64_t weight,
                     int64_t before, int64_t after)
{
    memset(x, 0, sizeof *x);
    x->p.sex = (uint8_t)sex;
    text_copy(x->p.admin1, sizeof x->p.admin1, "Bagmati");
    text_copy(x->p.admin2, sizeof x->p.admin2, admin2);
    for (int s = 0; s < SIM_SIDES; s++) {
        int64_t a = s ? after : before;
        x->o[s] = (struct sim_outcome){a > 0, a > 0, 0, a};
    }
    x->applies = 1;
    x->sp =
        (struct sim_person){&x->p, age, weight, {&x->o[0], &x->o[1]}, &x->applies, &x->enrolled};
}

static const char *row(const char *csv, const char *start)
{
    const char *at = strstr(csv, start);
    assert_non_null(at);
    return at;
}

static void weights_are_exact_and_rounded_once(void **state)
{
    (void)state;
    struct sim_report r;
    struct error err;
    error_init(&err);
    const char *ids[] = {"np.ssa.senior_citizen"};
    assert_int_equal(sim_report_init(&r, ids, 1, 2, &err), SP_OK);
    /* three persons of weight 1/3 each, paid 0.01 a year after: 0.0333.. three times is
       0.01 exactly, not three roundings of 0.00 */
    struct one x[3];
    for (int i = 0; i < 3; i++) {
        one_init(&x[i], SEX_FEMALE, "Kathmandu", 70, 333333 + (i == 0), 0, 1);
        assert_int_equal(sim_report_add(&r, &x[i].sp, &err), SP_OK);
    }
    struct one y;
    one_init(&y, SEX_MALE, "Lalitpur", 20, SIM_WEIGHT_ONE / 2, 400000, 380000); /* -5% */
    assert_int_equal(sim_report_add(&r, &y.sp, &err), SP_OK);
    struct buf out;
    buf_init(&out, 1 << 20);
    struct sim_meta m = {"2026-08-01", "NP", "NPR", "test", NULL, 0, NULL, 0, "a", "b", "c"};
    assert_int_equal(sim_report_csv(&r, &m, &out, &err), SP_OK);
    /* 1.5 persons round to 2, 0.5 to 1 (halves away from zero); money 0.01 + 0.5 x 3800.00 */
    row(out.data, "total,all,2,1,1,0,1,2000.00,2,2,0,2,1900.01,-99.99,0.01,100.00,1,0,0,1,0\r\n");
    /* the breakdowns add up: women (weight 1) and men (0.5) */
    row(out.data, "sex,female,1,0,0,0,0,0.00,1,1,0,1,0.01,0.01,0.01,0.00,1,0,0,0,0");
    row(out.data, "sex,male,1,1,1,0,1,2000.00,1,1,0,1,1900.00,-100.00,0.00,100.00,0,0,0,1,0");
    row(out.data, "youth,under_35,1,");
    row(out.data, "age_ilo,65+,1,");
    row(out.data, "admin2,Lalitpur,1,");
    buf_release(&out);
    sim_report_release(&r);
}

static void formats_escape_what_they_print(void **state)
{
    (void)state;
    struct buf b;
    struct error err;
    error_init(&err);
    buf_init(&b, 1 << 10);
    assert_int_equal(buf_put_csv(&b, "Sudurpashchim, \"Far West\"", &err), SP_OK);
    assert_string_equal(b.data, "\"Sudurpashchim, \"\"Far West\"\"\"");
    buf_reset(&b);
    assert_int_equal(buf_put_json(&b, "a\"b\\c\n", &err), SP_OK);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\u000a\"");
    buf_reset(&b);
    assert_int_equal(buf_put_xml(&b, "<b>&'\"", &err), SP_OK);
    assert_string_equal(b.data, "&lt;b&gt;&amp;&#39;&quot;");
    buf_release(&b);

    struct sim_report r;
    const char *ids[] = {"x.y"};
    assert_int_equal(sim_report_init(&r, ids, 1, 2, &err), SP_OK);
    struct one x;
    one_init(&x, SEX_FEMALE, "<script>", 40, SIM_WEIGHT_ONE, 100, 100);
    assert_int_equal(sim_report_add(&r, &x.sp, &err), SP_OK);
    struct sim_meta m = {"2026-08-01", "NP", "NPR", "a \"file\"", NULL, 0, NULL, 0, "a", "b", "c"};
    buf_init(&b, 1 << 20);
    assert_int_equal(sim_report_html(&r, &m, &b, &err), SP_OK);
    assert_null(strstr(b.data, "<script>"));
    assert_non_null(strstr(b.data, "&lt;script&gt;"));
    buf_reset(&b);
    assert_int_equal(sim_report_json(&r, &m, &b, &err), SP_OK);
    assert_non_null(strstr(b.data, "\"population\":\"a \\\"file\\\"\""));
    buf_release(&b);
    sim_report_release(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bands_follow_policyengine_at_their_edges),
        cmocka_unit_test(weights_are_exact_and_rounded_once),
        cmocka_unit_test(formats_escape_what_they_print),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
