/*
 * Unit tests for pay/: payment periods as each country names them, the amount of a period,
 * the payment states, and the ISO 20022 files: every pain.001 written validates against the
 * official pain.001.001.09 schema, a pain.002 is read, and a malformed one is refused with its
 * line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "base/bikram_sambat.h"
#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "pay/iso20022.h"
#include "pay/payment.h"
#include "pay/period.h"

#define XSD_DIR "tests/data/iso20022/"

static int32_t day(const char *text)
{
    int32_t d = 0;
    assert_int_equal(date_parse(text, &d, NULL), SP_OK);
    return d;
}

/* Nepal's senior citizen allowance: every four months, then quarterly from FY 2078/79. */
static struct pay_schedule nepal(void)
{
    struct pay_schedule s;
    memset(&s, 0, sizeof s);
    s.calendar = PAY_NEPAL_FISCAL;
    s.cycles[0] = (struct pay_cycle){.since = day("2016-07-16"), .every_months = 4};
    s.cycles[1] = (struct pay_cycle){.since = day("2021-07-16"), .every_months = 3};
    s.n_cycles = 2;
    return s;
}

static void nepal_pays_by_quarters_of_the_fiscal_year(void **state)
{
    (void)state;
    struct pay_schedule s = nepal();
    struct pay_period p;
    struct error err;
    error_init(&err);
    assert_int_equal(pay_period_of(&s, day("2021-07-16"), &p, &err), SP_OK);
    assert_string_equal(p.id, "2078/79-Q1");
    assert_int_equal(p.first, day("2021-07-16")); /* 1 Shrawan 2078 */
    int32_t kartik = 0;
    assert_int_equal(bs_to_days(2078, 7, 1, NULL, &kartik, NULL), SP_OK);
    assert_int_equal(p.last, kartik - 1);
    assert_non_null(strstr(p.label, "Shrawan-Asoj 2078"));
    /* Baisakh to Asar is the fourth quarter, of the fiscal year begun the year before */
    int32_t baisakh = 0;
    assert_int_equal(bs_to_days(2079, 1, 15, NULL, &baisakh, NULL), SP_OK);
    assert_int_equal(pay_period_of(&s, baisakh, &p, &err), SP_OK);
    assert_string_equal(p.id, "2078/79-Q4");
    assert_non_null(strstr(p.label, "Baisakh-Asar 2079"));
    /* before FY 2078/79: thirds */
    assert_int_equal(pay_period_of(&s, day("2021-07-15"), &p, &err), SP_OK);
    assert_string_equal(p.id, "2077/78-T3");
    assert_int_equal(p.last, day("2021-07-15"));
    /* each id reads back as the same period */
    assert_int_equal(pay_period_parse(&s, "2081/82-Q2", &p, &err), SP_OK);
    assert_string_equal(p.id, "2081/82-Q2");
    assert_int_equal(bs_to_days(2081, 7, 1, NULL, &kartik, NULL), SP_OK);
    assert_int_equal(p.first, kartik);
    /* a quarter while thirds were paid, or a Gregorian month, is not a period of it */
    assert_int_equal(pay_period_parse(&s, "2077/78-Q1", &p, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "2078/79-Q1 and on: Q1 Shrawan-Asoj"));
    assert_int_equal(pay_period_parse(&s, "2025-03", &p, &err), SP_BAD_INPUT);
    assert_int_equal(pay_period_parse(&s, "2081/83-Q1", &p, &err), SP_BAD_INPUT);
}

static void other_cycles_name_their_periods(void **state)
{
    (void)state;
    struct pay_schedule s;
    memset(&s, 0, sizeof s);
    s.n_cycles = 1;
    struct pay_period p;
    struct error err;
    error_init(&err);
    s.cycles[0] = (struct pay_cycle){.since = day("2020-01-01"), .every_months = 1};
    assert_int_equal(pay_period_parse(&s, "2025-02", &p, &err), SP_OK);
    assert_int_equal(p.first, day("2025-02-01"));
    assert_int_equal(p.last, day("2025-02-28"));
    s.cycles[0].every_months = 3;
    assert_int_equal(pay_period_of(&s, day("2025-05-09"), &p, &err), SP_OK);
    assert_string_equal(p.id, "2025-Q2");
    /* twice a month (Cambodia's pension): halves of the month */
    s.cycles[0] = (struct pay_cycle){.since = day("2022-10-01"), .times_a_month = 2};
    assert_int_equal(pay_period_of(&s, day("2025-02-20"), &p, &err), SP_OK);
    assert_string_equal(p.id, "2025-02/2");
    assert_int_equal(p.first, day("2025-02-15"));
    assert_int_equal(p.last, day("2025-02-28"));
    assert_int_equal(pay_period_parse(&s, "2025-03/1", &p, &err), SP_OK);
    assert_int_equal(p.last, day("2025-03-15"));
    assert_int_equal(pay_period_parse(&s, "2025-03/3", &p, &err), SP_BAD_INPUT);
    /* every two weeks from the cycle's first day */
    s.cycles[0] = (struct pay_cycle){.since = day("2025-01-06"), .every_weeks = 2};
    assert_int_equal(pay_period_of(&s, day("2025-01-25"), &p, &err), SP_OK);
    assert_string_equal(p.id, "2025-01-20");
    assert_int_equal(p.last, day("2025-02-02"));
    assert_int_equal(pay_period_parse(&s, "2025-01-21", &p, &err), SP_BAD_INPUT);
    /* once (a claim) */
    s.cycles[0] = (struct pay_cycle){.since = day("2020-01-01"), .once = 1};
    assert_int_equal(pay_period_parse(&s, "once", &p, &err), SP_OK);
    /* before any cycle */
    assert_int_equal(pay_period_of(&s, day("2019-01-01"), &p, &err), SP_BAD_INPUT);
}

static void amounts_follow_the_cycle_exactly(void **state)
{
    (void)state;
    struct pay_schedule s = nepal();
    struct pay_period p;
    struct error err;
    error_init(&err);
    int64_t out = 0;
    assert_int_equal(pay_period_parse(&s, "2078/79-Q1", &p, &err), SP_OK);
    assert_int_equal(pay_period_amount(&p, 400000, 12, &out, &err), SP_OK);
    assert_int_equal(out, 1200000); /* 4,000.00 a month, a quarter: 12,000.00 */
    assert_int_equal(pay_period_parse(&s, "2077/78-T2", &p, &err), SP_OK);
    assert_int_equal(pay_period_amount(&p, 300000, 12, &out, &err), SP_OK);
    assert_int_equal(out, 1200000); /* 3,000.00 a month, four months */
    /* twice a month: the halves of an odd amount add up to the month exactly */
    struct pay_schedule twice;
    memset(&twice, 0, sizeof twice);
    twice.n_cycles = 1;
    twice.cycles[0] = (struct pay_cycle){.since = day("2022-10-01"), .times_a_month = 2};
    int64_t first = 0, second = 0;
    assert_int_equal(pay_period_parse(&twice, "2025-03/1", &p, &err), SP_OK);
    assert_int_equal(pay_period_amount(&p, 100001, 12, &first, &err), SP_OK);
    assert_int_equal(pay_period_parse(&twice, "2025-03/2", &p, &err), SP_OK);
    assert_int_equal(pay_period_amount(&p, 100001, 12, &second, &err), SP_OK);
    assert_int_equal(first + second, 100001);
    assert_int_equal(first, 50000);
}

static void states_move_only_forward(void **state)
{
    (void)state;
    assert_true(pay_state_can_move(PAYMENT_CREATED, PAYMENT_EXPORTED));
    assert_true(pay_state_can_move(PAYMENT_EXPORTED, PAYMENT_REJECTED));
    assert_true(pay_state_can_move(PAYMENT_ACCEPTED, PAYMENT_SETTLED));
    assert_false(pay_state_can_move(PAYMENT_SETTLED, PAYMENT_REJECTED));
    assert_false(pay_state_can_move(PAYMENT_REJECTED, PAYMENT_SETTLED));
    assert_false(pay_state_can_move(PAYMENT_CREATED, PAYMENT_SETTLED));
    assert_true(pay_state_can_reissue(PAYMENT_REJECTED));
    assert_false(pay_state_can_reissue(PAYMENT_SETTLED));
    assert_int_equal(payment_state_parse("settled"), PAYMENT_SETTLED);
    assert_int_equal(payment_state_parse("paid"), -1);
    /* ids: the same each time; a re-issue has another; EndToEndIds read back */
    char a[PAY_ID_SIZE], b[PAY_ID_SIZE], c[PAY_ID_SIZE], e2e[PAY_E2E_SIZE], back[PAY_ID_SIZE];
    pay_instruction_id("100000000017", "np.ssa.senior_citizen", "2078/79-Q1", 0, a);
    pay_instruction_id("100000000017", "np.ssa.senior_citizen", "2078/79-Q1", 0, b);
    pay_instruction_id("100000000017", "np.ssa.senior_citizen", "2078/79-Q1", 1, c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    pay_end_to_end_id(a, e2e);
    assert_true(strlen(e2e) <= 35);
    assert_int_equal(pay_instruction_of(e2e, back, NULL), SP_OK);
    assert_string_equal(back, a);
    assert_int_equal(pay_instruction_of("E2E-1", back, NULL), SP_BAD_INPUT);
}

static void amounts_are_exact_text(void **state)
{
    (void)state;
    char t[MONEY_TEXT_MAX];
    money_format_digits(1200000, 2, t, MONEY_TEXT_MAX);
    assert_string_equal(t, "12000.00");
    money_format_digits(5, 2, t, MONEY_TEXT_MAX);
    assert_string_equal(t, "0.05");
    money_format_digits(300, 0, t, MONEY_TEXT_MAX);
    assert_string_equal(t, "300");
    int64_t v = 0;
    assert_int_equal(pay_amount_parse("12000.5", 2, &v, NULL), SP_OK);
    assert_int_equal(v, 1200050);
    assert_int_equal(pay_amount_parse("1.005", 2, &v, NULL), SP_BAD_INPUT);
    assert_int_equal(pay_amount_parse("-1", 2, &v, NULL), SP_BAD_INPUT);
    assert_int_equal(pay_amount_parse("", 2, &v, NULL), SP_BAD_INPUT);
}

static int to_buf(void *ctx, const void *bytes, size_t n, struct error *err)
{
    return buf_append(ctx, bytes, n, err);
}

static void payment(struct payment *p, const char *person, const char *name, const char *account,
                    int64_t amount)
{
    memset(p, 0, sizeof *p);
    pay_instruction_id(person, "np.ssa.senior_citizen", "2078/79-Q1", 0, p->id);
    text_copy(p->person, sizeof p->person, person);
    text_copy(p->scheme, sizeof p->scheme, "np.ssa.senior_citizen");
    text_copy(p->period, sizeof p->period, "2078/79-Q1");
    text_copy(p->currency, sizeof p->currency, "NPR");
    text_copy(p->account, sizeof p->account, account);
    text_copy(p->creditor, sizeof p->creditor, name);
    p->amount = amount;
}

static void pain001_validates_against_the_official_schema(void **state)
{
    (void)state;
    struct payment p[3];
    payment(&p[0], "100000000017", "Sita Sharma", "0012345678901", 1200000);
    payment(&p[1], "100000000025", "Ram <Bahadur> & Thapa", "DE89370400440532013000", 1200001);
    payment(&p[2], "100000000033", "राम थापा", "9801234567", 99);
    const struct payment *list[] = {&p[0], &p[1], &p[2]};
    struct pain001_header h = {
        .msg_id = "PAY-000001",
        .created_at = "2021-07-16T08:00:00Z",
        .initiating = "Department of National ID and Civil Registration",
        .debtor = "DoNIDCR allowances",
        .debtor_account = "NP0001",
        .execution_date = day("2021-07-20"),
        .digits = 2,
        .scheme_name = "Senior citizen allowance",
    };
    struct buf b;
    buf_init(&b, 1 << 20);
    struct error err;
    error_init(&err);
    assert_int_equal(pain001_write(&h, list, 3, to_buf, &b, &err), SP_OK);
    assert_int_equal(pay_xsd_validate(XSD_DIR "pain.001.001.09.xsd", b.data, b.len, &err), SP_OK);
    assert_non_null(strstr(b.data, "<CtrlSum>24001.00</CtrlSum>"));
    assert_non_null(strstr(b.data, "<NbOfTxs>3</NbOfTxs>"));
    assert_non_null(strstr(b.data, "<InstdAmt Ccy=\"NPR\">12000.01</InstdAmt>"));
    assert_non_null(strstr(b.data, "<IBAN>DE89370400440532013000</IBAN>"));
    assert_non_null(strstr(b.data, "Senior citizen allowance 2078/79-Q1"));
    char e2e[PAY_E2E_SIZE];
    pay_end_to_end_id(p[0].id, e2e);
    assert_non_null(strstr(b.data, e2e));
    /* the same payments give the same file */
    struct buf again;
    buf_init(&again, 1 << 20);
    assert_int_equal(pain001_write(&h, list, 3, to_buf, &again, &err), SP_OK);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    /* and the schema does refuse what is not a pain.001 */
    const char *bad = "<Document xmlns=\"" PAIN001_NS "\"><CstmrCdtTrfInitn/></Document>";
    assert_int_equal(pay_xsd_validate(XSD_DIR "pain.001.001.09.xsd", bad, strlen(bad), &err),
                     SP_BAD_INPUT);
    /* a payment without an account is not written */
    p[1].account[0] = '\0';
    buf_reset(&again);
    error_init(&err);
    assert_int_equal(pain001_write(&h, list, 3, to_buf, &again, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "100000000025"));
    buf_release(&b);
    buf_release(&again);
}

static void read_file(const char *path, struct buf *b)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        assert_int_equal(buf_append(b, chunk, n, NULL), SP_OK);
    fclose(f);
}

static void pain002_is_read_and_valid(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    read_file(XSD_DIR "pain002-status.xml", &b);
    struct error err;
    error_init(&err);
    assert_int_equal(pay_xsd_validate(XSD_DIR "pain.002.001.10.xsd", b.data, b.len, &err), SP_OK);
    struct pain002 r;
    assert_int_equal(pain002_read(b.data, b.len, "status.xml", &r, &err), SP_OK);
    assert_string_equal(r.orgnl_msg_id, "PAY-000001");
    assert_int_equal(r.n, 3);
    assert_string_equal(r.txs[0].end_to_end, "SPFI0123456789abcdef");
    assert_string_equal(r.txs[0].status, "ACSC");
    assert_true(r.txs[0].has_amount);
    assert_string_equal(r.txs[0].amount, "12000.00");
    assert_string_equal(r.txs[1].status, "ACCP");
    assert_false(r.txs[1].has_amount);
    assert_string_equal(r.txs[2].status, "RJCT");
    assert_string_equal(r.txs[2].reason, "AC04 account closed");
    assert_int_equal(r.txs[2].line, 28);
    pain002_release(&r);
    buf_release(&b);
}

static void a_malformed_pain002_is_refused_with_its_line(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 1 << 20);
    read_file(XSD_DIR "pain002-malformed.xml", &b);
    struct error err;
    error_init(&err);
    struct pain002 r;
    assert_int_equal(pain002_read(b.data, b.len, "bad.xml", &r, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "bad.xml:22:"));
    /* another message: not a status report */
    error_init(&err);
    const char *other = "<?xml version=\"1.0\"?>\n<Document xmlns=\"" PAIN001_NS "\"/>";
    assert_int_equal(pain002_read(other, strlen(other), "other.xml", &r, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "other.xml:2: not a pain.002"));
    /* a transaction without its status */
    const char *no_status =
        "<Document xmlns=\"" PAIN002_NS "\"><CstmrPmtStsRpt><GrpHdr><MsgId>X</MsgId></GrpHdr>\n"
        "<OrgnlGrpInfAndSts><OrgnlMsgId>PAY-1</OrgnlMsgId></OrgnlGrpInfAndSts>\n"
        "<OrgnlPmtInfAndSts>\n<TxInfAndSts><OrgnlEndToEndId>E</OrgnlEndToEndId></TxInfAndSts>"
        "</OrgnlPmtInfAndSts></CstmrPmtStsRpt></Document>";
    error_init(&err);
    assert_int_equal(pain002_read(no_status, strlen(no_status), "s.xml", &r, &err), SP_BAD_INPUT);
    assert_non_null(strstr(err.message, "s.xml:4: TxInfAndSts without TxSts"));
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(nepal_pays_by_quarters_of_the_fiscal_year),
        cmocka_unit_test(other_cycles_name_their_periods),
        cmocka_unit_test(amounts_follow_the_cycle_exactly),
        cmocka_unit_test(states_move_only_forward),
        cmocka_unit_test(amounts_are_exact_text),
        cmocka_unit_test(pain001_validates_against_the_official_schema),
        cmocka_unit_test(pain002_is_read_and_valid),
        cmocka_unit_test(a_malformed_pain002_is_refused_with_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
