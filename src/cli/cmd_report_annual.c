/*
 * cmd_report_annual.c: `spfloor report annual --org ORG | --country CC --year Y`: the
 * one-page annual results summary (ops/annual.h, report/annual.h, docs/reports.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/annual.h"
#include "ops/rules.h"

#define OUTPUT_MAX ((size_t)1u << 24)

static void print_help(void)
{
    printf("Usage: spfloor report annual (--org ORG | --country CC) --year YEAR\n"
           "                             [--format text|json|html] [--out FILE]\n"
           "\n"
           "The year's results on one page, as the networks' country posts give them, each\n"
           "figure with the shares of women and of persons under 35:\n"
           "  reach        the outreach log: people reached, activities, organisations\n"
           "  coverage     SDG 1.3.1 on the year's last day (or today), and persons enrolled\n"
           "  benefits     benefits paid in the year (settled payments)\n"
           "  better work  legal-aid and assisted-claim cases won, amounts recovered\n"
           "  advocacy     proposals lobbied for and approved, and whom they would benefit\n"
           "--org names an organisation or a network (all its organisations); reach, cases and\n"
           "advocacy are its own, coverage and benefits the registry's for its country.\n"
           "Exit codes: 0 done, 1 usage, 2 bad input, 3 the registry cannot be opened, 4\n"
           "storage or output.\n");
}

enum format { FORMAT_TEXT, FORMAT_JSON, FORMAT_HTML };

static int parse_format(const char *text, int *out)
{
    static const char *const names[] = {"text", "json", "html"};
    for (int i = 0; i < 3; i++)
        if (strcmp(text, names[i]) == 0)
            return *out = i, SP_OK;
    return SP_BAD_INPUT;
}

int cmd_report_annual(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    static const struct option options[] = {
        {"org", required_argument, NULL, 'o'},  {"country", required_argument, NULL, 'c'},
        {"year", required_argument, NULL, 'y'}, {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'O'},  {NULL, 0, NULL, 0},
    };
    struct annual_query q = {0};
    const char *out_path = NULL;
    char country[3] = "";
    int format = -1, c;
    long long year = 0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            q.org = optarg;
            break;
        case 'c':
            if (!person_country_known(optarg))
                return cli_usage_error("report annual", "--country: \"%s\" is not a country code",
                                       optarg);
            text_copy(country, sizeof country, optarg);
            q.country = country;
            break;
        case 'y':
            if (text_parse_int64(optarg, &year) != 1 || year < 1900 || year > 9999)
                return cli_usage_error("report annual", "--year takes a year, not \"%s\"", optarg);
            break;
        case 'f':
            if (parse_format(optarg, &format) != SP_OK)
                return cli_usage_error("report annual",
                                       "--format takes text, json or html, not \"%s\"", optarg);
            break;
        case 'O':
            out_path = optarg;
            break;
        default:
            return cli_usage_error("report annual", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("report annual", "unexpected argument \"%s\"", argv[optind]);
    if ((q.org == NULL && q.country == NULL) || year == 0)
        return cli_usage_error("report annual", "give --org or --country, and --year");
    if (format < 0 && out_path != NULL) {
        const char *dot = strrchr(out_path, '.');
        if (dot == NULL || parse_format(dot + 1, &format) != SP_OK)
            format = FORMAT_TEXT;
    }
    q.year = (int)year;
    q.today = cli_today(cli);
    struct store *store = NULL;
    int rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct annual_summary s;
    struct buf out;
    buf_init(&out, OUTPUT_MAX);
    rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, &err);
    if (rc == SP_OK)
        rc = annual_summarise(store, rules.lib, &q, &s, &err);
    if (rc == SP_OK)
        rc = format == FORMAT_JSON   ? annual_write_json(&s, &out, &err)
             : format == FORMAT_HTML ? annual_write_html(&s, &out, &err)
                                     : annual_write_text(&s, &out, &err);
    if (rc == SP_OK)
        rc = cli_output_document(out_path, out.data, out.len, &err);
    buf_release(&out);
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}
