/*
 * cmd_payroll.c: `spfloor payroll`: payroll runs, bank files and reconciliation
 * (ops/payroll.h, docs/payroll.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "ops/payroll.h"
#include "ops/rules.h"
#include "pay/payment.h"

static void print_help(void)
{
    printf(
        "Usage: spfloor payroll run --scheme SCHEME --period PERIOD [--as-of DATE] [--by NAME]\n"
        "       spfloor payroll export BATCH --format pain.001|csv --out FILE [--date DATE]\n"
        "                      [--payer NAME] [--payer-account ACCOUNT] [--payer-bic BIC]\n"
        "       spfloor payroll reconcile FILE [--date DATE] [--by NAME]\n"
        "       spfloor payroll list\n"
        "\n"
        "run        pays every person enrolled in SCHEME for PERIOD, as the rules engine decides\n"
        "           on --as-of (default: the period's first day): one payment per person,\n"
        "           scheme and period, never two. Persons undetermined, excluded by another\n"
        "           scheme of the group, not eligible or without an account are listed, not\n"
        "           paid. Run again, it makes nothing new and says so, except that payments the\n"
        "           bank rejected are re-issued once under a new id. Killed, run it again.\n"
        "           PERIOD follows the scheme's payment cycle: Nepal's quarters of the fiscal\n"
        "           year 2081/82-Q1 (Shrawan-Asoj) ... -Q4, thirds 2077/78-T1, months 2025-03,\n"
        "           2025-Q1, halves of a month 2025-03/1, or once: a scheme paid once pays\n"
        "           each approved claim not paid yet, one payment per claim. Shocks declared\n"
        "           with a top-up of SCHEME add their top-ups ('spfloor shock --help').\n"
        "export     writes batch BATCH as an ISO 20022 pain.001.001.09 file or a CSV for\n"
        "           mobile-money operators, with the same EndToEndIds each time; its payments\n"
        "           become exported. --date is the requested execution date (default today).\n"
        "reconcile  reads a pain.002.001.10 status report or a CSV (end_to_end_id,status,\n"
        "           amount,reason) and moves payments to accepted, rejected or settled. Unknown\n"
        "           ids, duplicates and amounts that do not match are listed and nothing is\n"
        "           applied (exit 2). A claim whose payment is settled becomes paid.\n"
        "list       the batches: scheme, period, payments by state and their sums.\n"
        "\n"
        "Exit codes: 0 done, 1 usage, 2 bad input (unknown scheme, period or batch; a bad\n"
        "status file: nothing changed), 3 conflict, 4 storage.\n");
}

struct options {
    const char *args[2];
    int n_args;
    const char *scheme, *period, *format, *out, *by, *payer, *payer_account, *payer_bic;
    int32_t as_of, date;
};

static int parse_options(struct cli *cli, int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"scheme", required_argument, NULL, 's'},
        {"period", required_argument, NULL, 'p'},
        {"as-of", required_argument, NULL, 'a'},
        {"date", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},
        {"by", required_argument, NULL, 'b'},
        {"payer", required_argument, NULL, 'P'},
        {"payer-account", required_argument, NULL, 'A'},
        {"payer-bic", required_argument, NULL, 'B'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->as_of = o->date = DATE_NONE;
    int c, rc = SP_OK;
    while (rc == SP_OK && (c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 's':
            o->scheme = optarg;
            break;
        case 'p':
            o->period = optarg;
            break;
        case 'a':
            rc = cli_date_option("as-of", optarg, CALENDAR_AD, &o->as_of);
            break;
        case 'd':
            rc = cli_date_option("date", optarg, CALENDAR_AD, &o->date);
            break;
        case 'f':
            o->format = optarg;
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'b':
            o->by = optarg;
            break;
        case 'P':
            o->payer = optarg;
            break;
        case 'A':
            o->payer_account = optarg;
            break;
        case 'B':
            o->payer_bic = optarg;
            break;
        default:
            return cli_usage_error("payroll", "unknown option");
        }
    }
    if (rc == SP_OK && cli_operands("payroll", argc, argv, o->args, 2, &o->n_args) != SP_OK)
        return SP_USAGE;
    if (o->date == DATE_NONE)
        o->date = cli_today(cli);
    return rc;
}

static int say_listed(void *ctx, const char *person, const char *why)
{
    (void)ctx;
    printf("%s not paid: %s\n", person, why);
    return SP_OK;
}

static int run(struct cli *cli, const struct options *o, struct store *store, struct error *err)
{
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    int rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, err);
    struct payroll_request rq = {o->scheme,        o->period,        o->as_of,
                                 cli->schemes_dir, cli_actor(o->by), cli_today(cli)};
    struct payroll_summary sum;
    struct cli_progress progress;
    cli_progress_init(&progress, cli, "payroll: decided or written");
    if (rc == SP_OK)
        rc = payroll_run(store, rules.lib, &rq, say_listed, NULL, cli_progress_show, &progress,
                         &sum, err);
    cli_progress_end(&progress);
    ops_rules_release(&rules);
    if (rc != SP_OK)
        return rc;
    int digits = currency_find(sum.currency) ? currency_find(sum.currency)->minor_digits : 2;
    char amount[MONEY_TEXT_MAX];
    money_format_digits(sum.amount, digits, amount, MONEY_TEXT_MAX);
    printf("%s %s: %s\n", o->scheme, sum.period.id, sum.period.label);
    const char *who = sum.period.cycle.once ? "approved claims" : "enrolled";
    if (sum.created == 0)
        printf("nothing new: %lld %s, %lld payable, %lld paid before, %lld listed\n",
               (long long)sum.enrolled, who, (long long)sum.payable, (long long)sum.already,
               (long long)sum.listed);
    else
        printf("batch %s%s: %lld payments made (%lld re-issued), %s %s; %lld %s, %lld "
               "payable, %lld paid before, %lld listed\n",
               sum.batch, sum.new_batch ? "" : " (continued)", (long long)sum.created,
               (long long)sum.reissued, amount, sum.currency, (long long)sum.enrolled, who,
               (long long)sum.payable, (long long)sum.already, (long long)sum.listed);
    if (sum.top_ups > 0)
        printf("of them %lld shock top-up(s) (period \"%s+<shock>\")\n", (long long)sum.top_ups,
               sum.period.id);
    if (sum.created > 0)
        printf("digest of the rules used: %s\n", sum.digest);
    return SP_OK;
}

static int export_batch(struct cli *cli, const struct options *o, struct store *store,
                        struct error *err)
{
    enum payroll_format format = PAYROLL_PAIN001;
    if (o->format == NULL || o->out == NULL)
        return cli_usage_error("payroll", "export needs --format pain.001|csv and --out FILE");
    if (strcmp(o->format, "csv") == 0)
        format = PAYROLL_CSV;
    else if (strcmp(o->format, "pain.001") != 0)
        return cli_usage_error("payroll", "--format is pain.001 or csv, not \"%s\"", o->format);
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    int rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, err);
    struct payroll_payer payer = {o->payer, o->payer_account, o->payer_bic};
    int64_t count = 0;
    if (rc == SP_OK)
        rc = payroll_export(store, rules.lib, o->args[1], format, &payer, o->out, o->date, &count,
                            err);
    ops_rules_release(&rules);
    if (rc == SP_OK)
        printf("%s: %lld payments of batch %s written to %s\n", o->format, (long long)count,
               o->args[1], o->out);
    return rc;
}

static int say_problem(void *ctx, const char *problem)
{
    (void)ctx;
    fprintf(stderr, "%s\n", problem);
    return SP_OK;
}

static int reconcile(struct cli *cli, const struct options *o, struct store *store,
                     struct error *err)
{
    struct payroll_reconcile_summary sum;
    int rc = payroll_reconcile(store, o->args[1], cli_today(cli), cli_actor(o->by), say_problem,
                               NULL, &sum, err);
    if (rc == SP_OK)
        printf("%s%s%s: %lld statuses: %lld accepted, %lld rejected, %lld settled, %lld pending, "
               "%lld unchanged\n",
               o->args[1], sum.batch[0] ? ", batch " : "", sum.batch, (long long)sum.lines,
               (long long)sum.accepted, (long long)sum.rejected, (long long)sum.settled,
               (long long)sum.pending, (long long)sum.unchanged);
    if (rc == SP_OK && sum.claims_paid > 0)
        printf("%lld claim(s) paid\n", (long long)sum.claims_paid);
    return rc;
}

static int print_batch(void *ctx, const struct payroll_batch_totals *t)
{
    (void)ctx;
    const struct currency_info *c = currency_find(t->currency);
    char as_of[DATE_TEXT_SIZE];
    date_format(t->batch.as_of, as_of);
    printf("%s  %s %s  as of %s  %s", t->batch.id, t->batch.scheme, t->batch.period, as_of,
           t->batch.exported_at[0] ? "exported" : "not exported");
    for (int s = 0; s < PAYMENT_STATES; s++) {
        if (t->count[s] == 0)
            continue;
        char amount[MONEY_TEXT_MAX];
        money_format_digits(t->amount[s], c ? c->minor_digits : 2, amount, MONEY_TEXT_MAX);
        printf("  %s %lld (%s %s)", payment_state_name(s), (long long)t->count[s], amount,
               t->currency);
    }
    printf("\n");
    return 0;
}

int cmd_payroll(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct options o;
    int rc = parse_options(cli, argc, argv, &o);
    if (rc != SP_OK)
        return rc;
    const char *verb = o.n_args > 0 ? o.args[0] : "";
    int is_run = strcmp(verb, "run") == 0, is_export = strcmp(verb, "export") == 0,
        is_reconcile = strcmp(verb, "reconcile") == 0, is_list = strcmp(verb, "list") == 0;
    if (!is_run && !is_export && !is_reconcile && !is_list)
        return cli_usage_error("payroll", "give run, export, reconcile or list");
    if (is_run && (o.scheme == NULL || o.period == NULL || o.n_args != 1))
        return cli_usage_error("payroll", "run takes --scheme SCHEME --period PERIOD");
    if ((is_export || is_reconcile) && o.n_args != 2)
        return cli_usage_error("payroll", "%s takes %s", verb,
                               is_export ? "a batch: payroll export BATCH" : "a status file");
    struct error err;
    error_init(&err);
    struct store *store = NULL;
    rc = is_list ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK)
        return rc;
    rc = is_list     ? payroll_batches(store, print_batch, NULL, &err)
         : is_run    ? run(cli, &o, store, &err)
         : is_export ? export_batch(cli, &o, store, &err)
                     : reconcile(cli, &o, store, &err);
    /* a failure without a message (SP_USAGE: cli_usage_error said why) is not reported again */
    return cli_close_store(store, rc, &err);
}
