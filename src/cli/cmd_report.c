/*
 * cmd_report.c: `spfloor report INDICATOR --as-of DATE [--by ...]`: coverage, enrolment and
 * the coverage gap over the registry, broken down by sex, age group, area, scheme ...
 * (ops/report.h, report/disagg.h, docs/reports.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/dhis2.h"
#include "ops/report.h"
#include "ops/rules.h"

#define OUTPUT_MAX ((size_t)1u << 30) /* bytes of one report */
#define K_MAX      1000000

static void print_help(void)
{
    printf("Usage: spfloor report INDICATOR [--as-of DATE | --from DATE --to DATE]\n"
           "                      [--by sex,age_group,...] [--age-groups 0-14,15-24,25-64,65+]\n"
           "                      [--country CC] [--active-months N]\n"
           "                      [--format table|csv|json|html|dhis2] [--out FILE]\n"
           "                      [--mapping FILE]\n"
           "                      [--public [--k N]] [--list] [--payments settled|created]\n"
           "\n"
           "Indicators over the registry, each with the shares of women and of persons under 35\n"
           "beside every count:\n"
           "  coverage    effective coverage (SDG 1.3.1): persons actively contributing (a\n"
           "              ledger entry in the last N months) or receiving a benefit (an active\n"
           "              enrolment), each counted once; by branch with --by branch\n"
           "  enrolment   persons enrolled, and active contributors\n"
           "  gap         persons the rules find eligible for a scheme but not enrolled in it;\n"
           "              --list writes who they are (for outreach: not a public output)\n"
           "  reach       persons reached by the outreach log (spfloor outreach)\n"
           "  benefits    benefits paid: recipients and the amount paid them, from the\n"
           "              payroll's settled payments (--payments created: every one made)\n"
           "  annual      the year's results on one page: spfloor report annual --help\n"
           "\n"
           "  --as-of DATE       the date (default: today); --to DATE is the same\n"
           "  --from DATE        a period's first day: enrolled or contributing at some time\n"
           "                     from it to the date\n"
           "  --by LIST          breakdowns, crossed: sex, age_group, worker_category, country,\n"
           "                     admin1, admin2, scheme, branch, kind, period (each month\n"
           "                     from --from to --to; benefits: the payment's period)\n"
           "  --age-groups BANDS the age groups (default under 35 / 35 and over)\n"
           "  --country CC       only persons and schemes of this country\n"
           "  --active-months N  how recent a contributor's ledger entry is (default %d)\n"
           "  --format F         table (default), csv, json, html or dhis2 (a DHIS2\n"
           "                     dataValueSets JSON; needs --mapping) (default: from --out)\n"
           "  --mapping FILE     dhis2: spfloor's names to DHIS2 identifiers (YAML or JSON)\n"
           "  --out FILE         write there (replaced whole, only once complete)\n"
           "  --public           hold back counts under k, and shares that would reveal them\n"
           "  --k N              the smallest count shown on a public output (default %d)\n"
           "  --list             gap: one CSV row per eligible person and scheme not enrolled\n"
           "  --payments WHICH   benefits: settled (default) or created (every payment made,\n"
           "                     not rejected or cancelled)\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (an unknown indicator or breakdown, a\n"
           "period that ends before it starts, a cell the DHIS2 mapping lacks), 3 the\n"
           "registry cannot be opened, 4 storage or output.\n",
           REPORT_ACTIVE_MONTHS, DISAGG_K_DEFAULT);
}

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON, FORMAT_HTML, FORMAT_DHIS2 };

struct options {
    const char *indicator;
    char by[256]; /* every --by, joined by commas */
    const char *age_groups;
    const char *as_of_text, *from_text, *to_text;
    enum calendar calendar;
    char country[3];
    int active_months;
    int format; /* enum format, or -1 until known */
    const char *out;
    int is_public;
    int k;
    int list;
    int payments_created;
    const char *mapping;
};

static int parse_format(const char *text, int *out)
{
    static const char *const names[] = {"table", "csv", "json", "html", "dhis2"};
    for (int i = 0; i < 5; i++)
        if (strcmp(text, names[i]) == 0)
            return *out = i, SP_OK;
    return SP_BAD_INPUT;
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},   {"from", required_argument, NULL, 'F'},
        {"to", required_argument, NULL, 'T'},      {"calendar", required_argument, NULL, 'C'},
        {"by", required_argument, NULL, 'b'},      {"age-groups", required_argument, NULL, 'g'},
        {"country", required_argument, NULL, 'c'}, {"active-months", required_argument, NULL, 'm'},
        {"format", required_argument, NULL, 'f'},  {"out", required_argument, NULL, 'o'},
        {"public", no_argument, NULL, 'p'},        {"k", required_argument, NULL, 'k'},
        {"list", no_argument, NULL, 'l'},          {"payments", required_argument, NULL, 'P'},
        {"mapping", required_argument, NULL, 'M'}, {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->format = -1;
    o->k = DISAGG_K_DEFAULT;
    o->active_months = REPORT_ACTIVE_MONTHS;
    o->calendar = CALENDAR_AD;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        long long n = 0;
        switch (c) {
        case 'a':
            o->as_of_text = optarg;
            break;
        case 'F':
            o->from_text = optarg;
            break;
        case 'T':
            o->to_text = optarg;
            break;
        case 'C':
            if (cli_calendar_option("report", optarg, &o->calendar) != SP_OK)
                return SP_USAGE;
            break;
        case 'b': {
            size_t at = strlen(o->by);
            int put = snprintf(o->by + at, sizeof o->by - at, "%s%s", at ? "," : "", optarg);
            if (put < 0 || (size_t)put >= sizeof o->by - at)
                return cli_usage_error("report", "--by: too many breakdowns");
            break;
        }
        case 'g':
            o->age_groups = optarg;
            break;
        case 'c':
            if (!person_country_known(optarg))
                return cli_usage_error("report",
                                       "--country: \"%s\" is not a country code spfloor "
                                       "knows",
                                       optarg);
            text_copy(o->country, sizeof o->country, optarg);
            break;
        case 'm':
            if (text_parse_int64(optarg, &n) != 1 || n < 1 || n > 1200)
                return cli_usage_error("report", "--active-months takes 1 to 1200, not \"%s\"",
                                       optarg);
            o->active_months = (int)n;
            break;
        case 'f':
            if (parse_format(optarg, &o->format) != SP_OK)
                return cli_usage_error(
                    "report", "--format takes table, csv, json, html or dhis2, not \"%s\"", optarg);
            break;
        case 'o':
            o->out = optarg;
            break;
        case 'p':
            o->is_public = 1;
            break;
        case 'k':
            if (text_parse_int64(optarg, &n) != 1 || n < 1 || n > K_MAX)
                return cli_usage_error("report", "--k takes 1 to %d, not \"%s\"", K_MAX, optarg);
            o->k = (int)n;
            break;
        case 'l':
            o->list = 1;
            break;
        case 'M':
            o->mapping = optarg;
            break;
        case 'P':
            if (strcmp(optarg, "settled") != 0 && strcmp(optarg, "created") != 0)
                return cli_usage_error("report", "--payments takes settled or created, not \"%s\"",
                                       optarg);
            o->payments_created = strcmp(optarg, "created") == 0;
            break;
        default:
            return cli_usage_error("report", "unknown option");
        }
    }
    if (optind >= argc)
        return cli_usage_error("report",
                               "name the indicator: coverage, enrolment, gap, reach or benefits");
    o->indicator = argv[optind++];
    if (optind < argc)
        return cli_usage_error("report", "unexpected argument \"%s\"", argv[optind]);
    if (o->as_of_text != NULL && o->to_text != NULL && strcmp(o->as_of_text, o->to_text) != 0)
        return cli_usage_error("report", "--as-of and --to name the same day: give one");
    if (o->list && o->is_public)
        return cli_usage_error("report", "--list names persons: it is never a public output");
    if (o->format < 0 && o->out != NULL) {
        const char *dot = strrchr(o->out, '.');
        if (dot == NULL || parse_format(dot + 1, &o->format) != SP_OK)
            o->format = FORMAT_TABLE;
    }
    if (o->format < 0)
        o->format = FORMAT_TABLE;
    if ((o->format == FORMAT_DHIS2) != (o->mapping != NULL))
        return cli_usage_error("report", "--format dhis2 and --mapping FILE go together");
    if (o->list && o->format == FORMAT_DHIS2)
        return cli_usage_error("report", "--list is a CSV list, not a DHIS2 data value set");
    return SP_OK;
}

/* The query from the options; SP_BAD_INPUT (err) for an indicator, breakdown or period. */
static int make_query(struct cli *cli, const struct options *o, struct report_query *q,
                      struct error *err)
{
    memset(q, 0, sizeof *q);
    int rc = report_indicator_parse(o->indicator, &q->indicator, err);
    if (rc == SP_OK && o->by[0] != '\0')
        rc = disagg_dims_parse(o->by, q->by, &q->n_by, err);
    if (rc == SP_OK && o->age_groups != NULL)
        rc = disagg_bands_parse(o->age_groups, &q->bands, err);
    if (rc == SP_OK && o->list && q->indicator != REPORT_GAP)
        rc = error_set(err, SP_BAD_INPUT, "--list lists the coverage gap: give the indicator gap");
    if (rc != SP_OK)
        return rc;
    const char *to = o->to_text != NULL ? o->to_text : o->as_of_text;
    q->as_of = cli_today(cli);
    q->from = DATE_NONE;
    if (to != NULL && (rc = cli_date_option("--as-of", to, o->calendar, &q->as_of)) != SP_OK)
        return rc;
    if (o->from_text != NULL &&
        (rc = cli_date_option("--from", o->from_text, o->calendar, &q->from)) != SP_OK)
        return rc;
    if (q->from != DATE_NONE && q->from > q->as_of) {
        char from[DATE_TEXT_SIZE], on[DATE_TEXT_SIZE];
        date_format(q->from, from);
        date_format(q->as_of, on);
        return error_set(err, SP_BAD_INPUT,
                         "--from %s is after --to %s: a period ends after it "
                         "starts",
                         from, on);
    }
    q->country = o->country[0] ? o->country : NULL;
    q->active_months = o->active_months;
    q->payments_created = o->payments_created;
    return SP_OK;
}

/* The gap's list, one CSV row per (person, scheme), gathered while the batch runs. */
struct listing {
    struct buf *out;
    int32_t as_of;
    struct error *err;
};

static int list_row(void *ctx, const struct report_gap_entry *e)
{
    struct listing *l = ctx;
    const struct person *p = e->person;
    char age[16] = "";
    if (p->birth_date != DATE_NONE)
        snprintf(age, sizeof age, "%d", date_age_years(p->birth_date, l->as_of));
    char amount[64] = "";
    if (e->decision->has_amount)
        scheme_amount_text(e->scheme, e->decision->amount, amount, sizeof amount);
    const char *fields[] = {p->id,
                            e->scheme->id,
                            e->scheme->branch,
                            p->given_name,
                            p->family_name,
                            p->sex >= 1 && p->sex <= 3 ? person_sex_words[p->sex - 1] : "",
                            age,
                            p->country,
                            p->admin1,
                            p->admin2,
                            p->phone,
                            amount};
    int rc = SP_OK;
    for (size_t i = 0; rc == SP_OK && i < sizeof fields / sizeof fields[0]; i++) {
        if (i > 0)
            rc = buf_putc(l->out, ',', l->err);
        if (rc == SP_OK)
            rc = buf_put_csv(l->out, fields[i], l->err);
    }
    return rc == SP_OK ? buf_puts(l->out, "\r\n", l->err) : rc;
}

int cmd_report(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "annual") == 0)
        return cmd_report_annual(cli, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    struct report_query q;
    rc = make_query(cli, &o, &q, &err);
    if (rc != SP_OK)
        return err.code != SP_OK ? cli_report(&err) : rc;
    struct store *store = NULL;
    rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct disagg_table t;
    memset(&t, 0, sizeof t);
    struct dhis2_mapping mapping;
    dhis2_mapping_init(&mapping);
    char period[DHIS2_PERIOD_SIZE] = "";
    if (o.format == FORMAT_DHIS2) {
        rc = dhis2_mapping_load(o.mapping, &mapping, &err);
        int by_period = 0;
        for (int i = 0; i < q.n_by; i++)
            by_period |= q.by[i] == DISAGG_PERIOD;
        if (rc == SP_OK && !by_period) /* else each cell's own */
            rc = dhis2_period(q.from, q.as_of, period, &err);
        if (rc != SP_OK) {
            dhis2_mapping_release(&mapping);
            store_close(store);
            return cli_report(&err);
        }
    }
    struct buf out;
    buf_init(&out, OUTPUT_MAX);
    struct listing listing = {&out, q.as_of, &err};
    if (o.list) {
        q.list = list_row;
        q.list_ctx = &listing;
        rc = buf_puts(&out,
                      "person,scheme,branch,given_name,family_name,sex,age,country,admin1,admin2,"
                      "phone,amount\r\n",
                      &err);
    }
    if (rc == SP_OK)
        rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, &err);
    struct cli_progress progress;
    cli_progress_init(&progress, cli, "counted");
    q.progress = cli_progress_show;
    q.progress_ctx = &progress;
    int64_t skipped = 0;
    if (rc == SP_OK)
        rc = report_registry(store, rules.lib, &q, &t, &skipped, &err);
    cli_progress_end(&progress);
    if (rc == SP_OK && !o.list) {
        char as_of[DATE_TEXT_SIZE], from[DATE_TEXT_SIZE], days[2 * DATE_TEXT_SIZE + 8];
        date_format(q.as_of, as_of);
        if (q.from != DATE_NONE) {
            date_format(q.from, from);
            snprintf(days, sizeof days, "%s to %s", from, as_of);
        }
        char population[64];
        snprintf(population, sizeof population, "the registry%s%s", q.country ? ", " : "",
                 q.country ? q.country : "");
        struct disagg_meta m = {as_of,       q.from != DATE_NONE ? days : NULL,
                                population,  report_note(q.indicator),
                                o.is_public, o.k};
        rc = o.format == FORMAT_CSV     ? disagg_write_csv(&t, &m, &out, &err)
             : o.format == FORMAT_JSON  ? disagg_write_json(&t, &m, &out, &err)
             : o.format == FORMAT_HTML  ? disagg_write_html(&t, &m, &out, &err)
             : o.format == FORMAT_DHIS2 ? dhis2_write(&t, &m, &mapping, period, &out, &err)
                                        : disagg_write_table(&t, &m, &out, &err);
    }
    if (rc == SP_OK)
        rc = cli_output_document(o.out, out.data, out.len, &err);
    buf_release(&out);
    dhis2_mapping_release(&mapping);
    disagg_release(&t);
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}
