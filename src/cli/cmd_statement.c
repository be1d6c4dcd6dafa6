/*
 * cmd_statement.c: `spfloor statement`: one person's payments, contributions and claims, the
 * view a worker would see (ops/payroll.h, ops/contributions.h, the store's claims;
 * docs/payroll.md "Statements").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "model/claim.h"
#include "ops/contributions.h"
#include "ops/payroll.h"
#include "pay/payment.h"
#include "store/store.h"

static void print_help(void)
{
    printf("Usage: spfloor statement PERSON [--year YEAR]\n"
           "\n"
           "Lists every payment made to a person, by the day it was made: scheme, period,\n"
           "amount, where it stands and since when, the re-issue of a rejected payment naming\n"
           "the first; then what was paid (settled), what is on its way and what failed.\n"
           "Then the person's contributions, month by month (the wage credit booked and what\n"
           "they, their employer and the state paid in; reversed entries left out), and their\n"
           "claims with where each stands. --year keeps the payments made, the months\n"
           "contributed and the claims' events of that year.\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 no such person, 4 storage.\n");
}

static void print_statement(const struct payroll_statement *s, int year)
{
    printf("Statement of %s %s (%s)", s->person.given_name, s->person.family_name, s->person.id);
    if (year != 0)
        printf(", payments made in %d", year);
    printf("\n");
    if (s->n == 0) {
        printf("no payments\n");
        return;
    }
    for (int64_t i = 0; i < s->n; i++) {
        const struct payment *p = &s->payments[i];
        char made[DATE_TEXT_SIZE], since[DATE_TEXT_SIZE] = "", amount[MONEY_TEXT_MAX];
        date_format(p->on[PAYMENT_CREATED], made);
        if (p->on[p->state] != DATE_NONE)
            date_format(p->on[p->state], since);
        money_format_amount(p->amount, p->currency, amount, MONEY_TEXT_MAX);
        printf("%s  %-28s %-24s %12s %s  %-9s %s  %s%s%s%s%s\n", made, p->scheme, p->period, amount,
               p->currency, payment_state_name(p->state), since, p->id,
               p->reissue_of[0] ? " re-issue of " : "", p->reissue_of,
               p->status_reason[0] ? ": " : "", p->status_reason);
    }
    char paid[MONEY_TEXT_MAX], pending[MONEY_TEXT_MAX], failed[MONEY_TEXT_MAX];
    money_format_amount(s->paid, s->currency, paid, MONEY_TEXT_MAX);
    money_format_amount(s->pending, s->currency, pending, MONEY_TEXT_MAX);
    money_format_amount(s->failed, s->currency, failed, MONEY_TEXT_MAX);
    printf("paid %s %s; on its way %s; rejected or cancelled %s\n", paid, s->currency, pending,
           failed);
}

/* The person's standing contributions (of `year`, or all), one line a month, and totals. */
static void print_contributions(const struct contributions_history *h, int year)
{
    printf("\nContributions\n");
    int shown = 0;
    for (int i = 0; i < h->n; i++) {
        const struct contribution_entry *e = &h->entries[i];
        char month[MONTH_TEXT_SIZE];
        month_format(e->c.month, month);
        if (!h->stands[i] || (year != 0 && (int)strtol(month, NULL, 10) != year))
            continue;
        const char *cur = e->c.wage.currency;
        char wage[MONEY_TEXT_MAX], parts[3][MONEY_TEXT_MAX];
        money_format_amount(e->c.wage.minor, cur, wage, MONEY_TEXT_MAX);
        money_format_amount(e->c.employee.minor, cur, parts[0], MONEY_TEXT_MAX);
        money_format_amount(e->c.employer.minor, cur, parts[1], MONEY_TEXT_MAX);
        money_format_amount(e->c.state.minor, cur, parts[2], MONEY_TEXT_MAX);
        printf("%s  %-36s credit %12s %s  you %s, employer %s, state %s%s%s\n", month, e->c.scheme,
               wage, cur, parts[0], parts[1], parts[2], e->voluntary ? "  (voluntary)" : "",
               ledger_days_late(e) > 0 ? "  (paid late)" : "");
        shown++;
    }
    if (shown == 0)
        printf("no contributions\n");
}

struct claims_shown {
    int year;
    int n;
};

static int print_claim(void *ctx, const struct claim *c)
{
    struct claims_shown *shown = ctx;
    int year = shown->year;
    char day[DATE_TEXT_SIZE], amount[MONEY_TEXT_MAX] = "";
    date_format(c->event_date, day);
    if (year != 0 && (int)strtol(day, NULL, 10) != year)
        return 0;
    if (c->has_amount)
        money_format_amount(c->amount, c->currency, amount, MONEY_TEXT_MAX);
    printf("claim %lld  %s %s  %-30s %-12s %s %s\n", (long long)c->id, c->event_type, day,
           c->scheme, claim_state_name(c->state), amount, c->has_amount ? c->currency : "");
    shown->n++;
    return 0;
}

int cmd_statement(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    static const struct option options[] = {
        {"year", required_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    int year = 0, c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        long long y = 0;
        if (c != 'y')
            return cli_usage_error("statement", "unknown option");
        if (text_parse_int64(optarg, &y) != 1 || y < 1 || y > 9999)
            return cli_usage_error("statement", "--year takes a year such as 2025");
        year = (int)y;
    }
    if (optind + 1 != argc)
        return cli_usage_error("statement", "give one person: statement PERSON");
    struct store *store = NULL;
    int rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    struct payroll_statement s;
    struct contributions_history h;
    memset(&h, 0, sizeof h);
    rc = payroll_statement(store, argv[optind], year, &s, &err);
    if (rc == SP_OK)
        rc = contributions_history(store, s.person.id, &h, &err);
    if (rc == SP_OK) {
        print_statement(&s, year);
        print_contributions(&h, year);
        printf("\nClaims\n");
        struct claims_shown shown = {year, 0};
        rc = store_claims_each(store, s.person.id, print_claim, &shown, &err);
        if (rc == SP_OK && shown.n == 0)
            printf("no claims\n");
    }
    contributions_history_release(&h);
    payroll_statement_release(&s);
    return cli_close_store(store, rc, &err);
}
