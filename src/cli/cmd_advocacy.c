/*
 * cmd_advocacy.c: `spfloor advocacy add|list`: the proposals a network lobbied for, and
 * whom the approved ones would benefit (ops/outreach.h, docs/reports.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/advocacy_sim.h"
#include "ops/outreach.h"
#include "report/cells.h"

#define BENEFIT_MAX 10000000000LL

static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: spfloor advocacy add --title TEXT --country CC --status STATUS --date DATE\n"
            "                            [--org ORG]... [--benefit N --women N --young N\n"
            "                            --source TEXT] [--by NAME]\n"
            "                            [--simulation REFORM.yaml [--population registry|\n"
            "                            synthetic] [--as-of DATE]]\n"
            "       spfloor advocacy list [--country CC] [--from DATE] [--to DATE]\n"
            "\n"
            "Logs a proposal the network lobbied for, with its status on a date (lobbied,\n"
            "approved, rejected) and the organisations involved. --benefit is the number of\n"
            "persons it would benefit, of them --women women and --young under 35: an\n"
            "entered estimate, whose --source is kept and shown. Or --simulation: the reform\n"
            "the proposal asks for, as an overlay, simulated over the registry (default) or a\n"
            "synthetic population of the country on --as-of (default today); its gainers, and\n"
            "those of them women and under 35, are kept with the source \"simulation of <id>\".\n"
            "list prints the proposals and a summary: lobbied for N proposals, contributing to\n"
            "the approval of M which would benefit P people (W%% women and Y%% under 35).\n"
            "Exit codes: 0 done, 1 usage, 2 bad input, 3 the registry cannot be opened,\n"
            "4 storage.\n");
}

struct options {
    const char *verb, *by, *simulation;
    int synthetic;
    int32_t as_of;
    struct advocacy a;
    int32_t from, to;
    char country[3];
};

static int parse_number(const char *option, const char *text, int64_t *out, struct error *err)
{
    long long v = 0;
    if (text_parse_int64(text, &v) != 1 || v < 0 || v > BENEFIT_MAX)
        return error_set(err, SP_BAD_INPUT,
                         "%s takes a number of persons from 0 to %lld, not \"%s\"", option,
                         BENEFIT_MAX, text);
    *out = v;
    return SP_OK;
}

static int add_org(struct advocacy *a, const char *org, struct error *err)
{
    size_t at = strlen(a->orgs);
    int n = snprintf(a->orgs + at, sizeof a->orgs - at, "%s%s", at ? ";" : "", org);
    if (n < 0 || (size_t)n >= sizeof a->orgs - at || strchr(org, ';') != NULL)
        return error_set(err, SP_BAD_INPUT, "--org \"%s\": too many organisations, or a ';'", org);
    return SP_OK;
}

static int parse_options(int argc, char **argv, struct options *o, struct error *err)
{
    static const struct option options[] = {
        {"title", required_argument, NULL, 't'},      {"country", required_argument, NULL, 'c'},
        {"status", required_argument, NULL, 's'},     {"date", required_argument, NULL, 'd'},
        {"org", required_argument, NULL, 'o'},        {"benefit", required_argument, NULL, 'B'},
        {"women", required_argument, NULL, 'W'},      {"young", required_argument, NULL, 'Y'},
        {"source", required_argument, NULL, 'S'},     {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},         {"by", required_argument, NULL, 'b'},
        {"simulation", required_argument, NULL, 'M'}, {"population", required_argument, NULL, 'P'},
        {"as-of", required_argument, NULL, 'A'},      {NULL, 0, NULL, 0},
    };
    o->a.date = o->from = o->to = o->as_of = DATE_NONE;
    o->a.benefit = o->a.benefit_women = o->a.benefit_young = -1;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        int rc = SP_OK;
        switch (c) {
        case 't':
            rc = cli_text_option("--title", optarg, o->a.title, sizeof o->a.title, err);
            break;
        case 'c':
            rc = cli_country_field(optarg, o->a.country, sizeof o->a.country, err);
            text_copy(o->country, sizeof o->country, optarg);
            break;
        case 's':
            o->a.status = (uint8_t)outreach_word_parse(advocacy_status_words, optarg);
            if (o->a.status == 0)
                rc = error_set(err, SP_BAD_INPUT,
                               "--status \"%s\": use lobbied, approved or rejected", optarg);
            break;
        case 'd':
        case 'F':
        case 'T': {
            int32_t *day = c == 'd' ? &o->a.date : c == 'F' ? &o->from : &o->to;
            rc = date_parse(optarg, day, err);
            if (rc != SP_OK)
                error_prefix(err, "--%s", c == 'd' ? "date" : c == 'F' ? "from" : "to");
            break;
        }
        case 'o':
            rc = add_org(&o->a, optarg, err);
            break;
        case 'B':
            rc = parse_number("--benefit", optarg, &o->a.benefit, err);
            break;
        case 'W':
            rc = parse_number("--women", optarg, &o->a.benefit_women, err);
            break;
        case 'Y':
            rc = parse_number("--young", optarg, &o->a.benefit_young, err);
            break;
        case 'S':
            rc = cli_text_option("--source", optarg, o->a.source, sizeof o->a.source, err);
            break;
        case 'b':
            o->by = optarg;
            break;
        case 'M':
            o->simulation = optarg;
            break;
        case 'P':
            if (strcmp(optarg, "registry") != 0 && strcmp(optarg, "synthetic") != 0)
                return cli_usage_error("advocacy", "--population takes registry or synthetic");
            o->synthetic = strcmp(optarg, "synthetic") == 0;
            break;
        case 'A':
            rc = date_parse(optarg, &o->as_of, err);
            if (rc != SP_OK)
                error_prefix(err, "--as-of");
            break;
        default:
            return cli_usage_error("advocacy", "unknown option");
        }
        if (rc != SP_OK)
            return rc;
    }
    if (optind >= argc)
        return cli_usage_error("advocacy", "use add or list");
    int n = 0;
    if (cli_operands("advocacy", argc, argv, &o->verb, 1, &n) != SP_OK)
        return SP_USAGE;
    const struct advocacy *a = &o->a;
    if (o->simulation != NULL &&
        (a->benefit >= 0 || a->benefit_women >= 0 || a->benefit_young >= 0 || a->source[0]))
        return error_set(err, SP_BAD_INPUT,
                         "--simulation gives the figures and their source: not with --benefit, "
                         "--women, --young or --source");
    if (o->simulation == NULL && (o->synthetic || o->as_of != DATE_NONE))
        return cli_usage_error("advocacy", "--population and --as-of go with --simulation");
    if (advocacy_is_simulated(a))
        return error_set(err, SP_BAD_INPUT,
                         "--source \"%s\": a source starting \"" ADVOCACY_SIMULATION_SOURCE
                         "\" is a simulation's: run one with --simulation",
                         a->source);
    if ((a->benefit_women >= 0 || a->benefit_young >= 0 || a->source[0]) && a->benefit < 0)
        return error_set(err, SP_BAD_INPUT, "--women, --young and --source go with --benefit");
    if (a->benefit >= 0 && a->source[0] == '\0')
        return error_set(err, SP_BAD_INPUT,
                         "--benefit is an estimate: say where it comes from with --source");
    if (a->benefit_women > a->benefit || a->benefit_young > a->benefit)
        return error_set(err, SP_BAD_INPUT,
                         "--women and --young count persons among the --benefit %lld",
                         (long long)a->benefit);
    if (o->from != DATE_NONE && o->to != DATE_NONE && o->from > o->to)
        return error_set(err, SP_BAD_INPUT, "--from is after --to: a period ends after it starts");
    return SP_OK;
}

static void share(char out[REPORT_SHARE_SIZE], int64_t part, int64_t whole)
{
    report_share_text(out, report_per_mille(part, whole));
    if (out[0] == '\0')
        text_copy(out, REPORT_SHARE_SIZE, "-");
}

static int list_log(struct store *store, const struct options *o, struct error *err)
{
    struct advocacy *all = NULL;
    int n = 0;
    int rc = advocacy_load(store, &all, &n, err);
    const char *country = o->country[0] ? o->country : NULL;
    for (int i = 0; rc == SP_OK && i < n; i++) {
        const struct advocacy *a = &all[i];
        if ((country != NULL && strcmp(a->country, country) != 0) ||
            (o->from != DATE_NONE && a->date < o->from) || (o->to != DATE_NONE && a->date > o->to))
            continue;
        char day[DATE_TEXT_SIZE];
        date_format(a->date, day);
        printf("%-4lld %s  %s  %-8s  %s", (long long)a->id, day, a->country,
               advocacy_status_words[a->status ? a->status - 1 : 0], a->title);
        if (a->orgs[0])
            printf("  [%s]", a->orgs);
        if (a->benefit >= 0)
            printf("  would benefit %lld (source: %s)", (long long)a->benefit, a->source);
        printf("\n");
    }
    if (rc == SP_OK) {
        struct advocacy_summary s;
        advocacy_summarise(all, n, country, o->from, o->to, &s);
        printf("Lobbied for %lld proposal%s, contributing to the approval of %lld",
               (long long)s.proposals, s.proposals == 1 ? "" : "s", (long long)s.approved);
        if (s.estimated + s.simulated > 0) {
            char women[REPORT_SHARE_SIZE], young[REPORT_SHARE_SIZE];
            share(women, s.women, s.benefit);
            share(young, s.young, s.benefit);
            printf(" which would benefit %lld people (%s%% women and %s%% under 35 years; ",
                   (long long)s.benefit, women, young);
            if (s.estimated > 0)
                printf("entered estimates for %lld of them%s", (long long)s.estimated,
                       s.simulated > 0 ? ", " : "");
            if (s.simulated > 0)
                printf("simulations for %lld", (long long)s.simulated);
            printf(")");
        }
        printf("; %lld rejected, %lld still lobbied.\n", (long long)s.rejected,
               (long long)s.lobbied);
    }
    sp_free(all);
    return rc == SP_OK ? cli_output_check(err) : rc;
}

int cmd_advocacy(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help(stdout);
        return SP_OK;
    }
    struct options o;
    memset(&o, 0, sizeof o);
    struct error err;
    error_init(&err);
    int rc = parse_options(argc, argv, &o, &err);
    if (rc != SP_OK)
        return rc == SP_USAGE ? rc : cli_report(&err);
    int adding = strcmp(o.verb, "add") == 0, listing = strcmp(o.verb, "list") == 0;
    if (!adding && !listing)
        return cli_usage_error("advocacy", "unknown subcommand \"%s\": use add or list", o.verb);
    if (adding && (o.a.title[0] == '\0' || o.a.country[0] == '\0' || o.a.status == 0 ||
                   o.a.date == DATE_NONE))
        return cli_usage_error("advocacy", "add takes --title, --country, --status and --date");
    struct store *store = NULL;
    rc = listing ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK)
        return rc;
    if (listing) {
        rc = list_log(store, &o, &err);
        return cli_close_store(store, rc, &err);
    }
    text_copy(o.a.actor, sizeof o.a.actor, cli_actor(o.by));
    if (o.simulation != NULL) {
        struct advocacy_sim_query q = {cli->schemes_dir, o.simulation, o.synthetic,
                                       o.as_of != DATE_NONE ? o.as_of : cli_today(cli)};
        rc = advocacy_simulate(store, &q, &o.a, &err);
    }
    if (rc == SP_OK)
        rc = advocacy_log(store, &o.a, &err);
    if (rc == SP_OK)
        printf("proposal %lld logged: %s, %s\n", (long long)o.a.id, o.a.title,
               advocacy_status_words[o.a.status - 1]);
    if (rc == SP_OK && o.a.benefit >= 0)
        printf("  %lld people, %lld women, %lld under 35 (source: %s)\n", (long long)o.a.benefit,
               (long long)o.a.benefit_women, (long long)o.a.benefit_young, o.a.source);
    return cli_close_store(store, rc, &err);
}
