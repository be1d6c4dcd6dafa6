/*
 * cmd_shock.c: `spfloor shock declare|list`: shock response (ops/shocks.h,
 * docs/payroll.md "Shock response").
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "ops/rules.h"
#include "ops/shocks.h"
#include "pay/payment.h"

static void print_help(void)
{
    printf("Usage: spfloor shock declare --name NAME --area DISTRICT[,DISTRICT...] --from DATE\n"
           "                             --to DATE --scheme SCHEME\n"
           "                             (--top-up AMOUNT|RATE%% | --enroll-affected) [--by NAME]\n"
           "       spfloor shock list\n"
           "\n"
           "declare  records a shock (a flood, a drought ...) over districts (admin2) of the\n"
           "         scheme's country, from one day to another, and its response:\n"
           "         --top-up: each current beneficiary of SCHEME living there gets, for each\n"
           "         payroll period overlapping the days, an extra payment of AMOUNT (in the\n"
           "         scheme's currency) or RATE%% of the period's amount, made by 'spfloor\n"
           "         payroll run' under the period \"<period>+NAME\", never twice;\n"
           "         --enroll-affected: every person of the households there is enrolled in\n"
           "         the temporary SCHEME from --from to --to.\n"
           "         NAME is a short code (up to 11 of a-z, 0-9 and -: flood-2024).\n"
           "list     the shocks declared.\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (an unknown district or scheme, --from\n"
           "after --to: nothing written), 3 conflict (the name is taken), 4 storage.\n");
}

struct options {
    const char *verb, *name, *areas, *scheme, *top_up, *by;
    int enrol;
    int32_t from, to;
};

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"name", required_argument, NULL, 'n'},
        {"area", required_argument, NULL, 'a'},
        {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},
        {"scheme", required_argument, NULL, 's'},
        {"top-up", required_argument, NULL, 'u'},
        {"enroll-affected", no_argument, NULL, 'e'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->from = o->to = DATE_NONE;
    int c, rc = SP_OK;
    while (rc == SP_OK && (c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'n':
            o->name = optarg;
            break;
        case 'a':
            o->areas = optarg;
            break;
        case 'F':
            rc = cli_date_option("from", optarg, CALENDAR_AD, &o->from);
            break;
        case 'T':
            rc = cli_date_option("to", optarg, CALENDAR_AD, &o->to);
            break;
        case 's':
            o->scheme = optarg;
            break;
        case 'u':
            o->top_up = optarg;
            break;
        case 'e':
            o->enrol = 1;
            break;
        case 'b':
            o->by = optarg;
            break;
        default:
            return cli_usage_error("shock", "unknown option");
        }
    }
    if (rc != SP_OK)
        return rc;
    if (optind >= argc)
        return cli_usage_error("shock", "use declare or list");
    int n = 0;
    return cli_operands("shock", argc, argv, &o->verb, 1, &n);
}

static void top_up_text(const struct shock *sh, char *out, size_t size)
{
    char amount[MONEY_TEXT_MAX];
    if (sh->top_up_amount > 0) {
        money_format_amount(sh->top_up_amount, sh->currency, amount, MONEY_TEXT_MAX);
        snprintf(out, size, "top-up %s %s a period", amount, sh->currency);
    } else {
        money_format_digits(sh->top_up_rate, 2, amount, MONEY_TEXT_MAX);
        snprintf(out, size, "top-up %s%% of each period's amount", amount);
    }
}

static int print_shock(void *ctx, const struct shock *sh)
{
    (void)ctx;
    char from[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE], what[96];
    date_format(sh->from, from);
    date_format(sh->to, to);
    if (sh->mode == SHOCK_TOP_UP)
        top_up_text(sh, what, sizeof what);
    else
        snprintf(what, sizeof what, "affected households enrolled");
    printf("%-4lld %-11s  %s to %s  %s: %s  %s  [%s]\n", (long long)sh->id, sh->name, from, to,
           sh->country, sh->areas, sh->scheme, what);
    return 0;
}

static int say_refused(void *ctx, const char *person, const char *why)
{
    (void)ctx;
    printf("%s not enrolled: %s\n", person, why);
    return SP_OK;
}

static int declare(struct cli *cli, const struct options *o, struct store *store, struct error *err)
{
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    int rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, err);
    struct shocks_request rq = {o->name,   o->areas,  o->from,  o->to,
                                o->scheme, o->top_up, o->enrol, cli_actor(o->by)};
    struct shock sh;
    struct shocks_summary sum;
    if (rc == SP_OK)
        rc = shocks_declare(store, rules.lib, &rq, say_refused, NULL, &sh, &sum, err);
    ops_rules_release(&rules);
    if (rc != SP_OK)
        return rc;
    printf("shock %lld %s: ", (long long)sh.id, sum.continued ? "continued" : "declared");
    print_shock(NULL, &sh);
    if (sh.mode == SHOCK_ENROL_AFFECTED)
        printf("%lld persons of the area's households: %lld enrolled in %s, %lld enrolled "
               "before, %lld not enrolled\n",
               (long long)sum.affected, (long long)sum.enrolled, sh.scheme, (long long)sum.already,
               (long long)sum.refused);
    return SP_OK;
}

int cmd_shock(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != SP_OK)
        return rc;
    int declaring = strcmp(o.verb, "declare") == 0, listing = strcmp(o.verb, "list") == 0;
    if (!declaring && !listing)
        return cli_usage_error("shock", "unknown subcommand \"%s\": use declare or list", o.verb);
    if (declaring && (o.name == NULL || o.areas == NULL || o.from == DATE_NONE ||
                      o.to == DATE_NONE || o.scheme == NULL))
        return cli_usage_error("shock", "declare takes --name, --area, --from, --to and --scheme");
    if (declaring && (o.top_up != NULL) == (o.enrol != 0))
        return cli_usage_error("shock", "declare takes either --top-up or --enroll-affected");
    struct error err;
    error_init(&err);
    struct store *store = NULL;
    rc = listing ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK)
        return rc;
    rc = listing ? shocks_list(store, print_shock, NULL, &err) : declare(cli, &o, store, &err);
    return cli_close_store(store, rc, &err);
}
