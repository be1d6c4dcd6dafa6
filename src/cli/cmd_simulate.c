/*
 * cmd_simulate.c: `spfloor simulate --reform FILE --as-of DATE [population]`: what a reform
 * would cost and whom it would reach, against the rules of today (ops/simulate.h,
 * docs/simulation.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/digest.h"
#include "ops/rules.h"
#include "ops/simulate.h"
#include "registry/population.h"
#include "rules/param.h"
#include "rules/situation_load.h"

#define OUTPUT_MAX    ((size_t)1u << 30) /* bytes of one report */
#define SYNTHETIC_MAX 1000000000LL       /* persons a synthetic population may have */

static void print_help(void)
{
    printf("Usage: spfloor simulate --reform FILE [--reform FILE]... [--baseline FILE]...\n"
           "                        [--as-of DATE] [--calendar ad|bs]\n"
           "                        [--synthetic CC:N [--seed S] | --situations FILE]\n"
           "                        [--country CC] [--weights FILE.csv]\n"
           "                        [--format table|csv|json|html] [--out FILE]\n"
           "\n"
           "Decides a population under the rules of today (the baseline) and under a reform,\n"
           "in one pass, and reports what changes: cost a year, persons eligible and paid,\n"
           "winners and losers (gain or loss above 5%%, up to 5%%, none), eligible persons not\n"
           "enrolled today, and undetermined decisions. Each figure is broken down by sex, age\n"
           "(under 35, and the ILO bands), worker category, province, district and scheme.\n"
           "\n"
           "  --reform FILE     an overlay (docs/overlays.md) holding the reform; repeat to lay\n"
           "                    several, the later winning\n"
           "  --baseline FILE   an overlay laid under both sides (default: the library as\n"
           "                    shipped, with the registry's default overlay when the\n"
           "                    population is the registry)\n"
           "  --as-of DATE      the date both sides are decided on (default: today)\n"
           "  --synthetic CC:N  N synthetic persons of country CC (e.g. NP:100000), each\n"
           "                    standing for the country's population / N persons\n"
           "  --seed S          the synthetic population's seed (default 1)\n"
           "  --situations FILE the persons of a situations file (as `spfloor evaluate` reads)\n"
           "                    (default population: the registry, --db)\n"
           "  --country CC      the country simulated (default: the synthetic population's, or\n"
           "                    the reform's id's first part, e.g. np.senior_age_65 -> NP)\n"
           "  --weights FILE    CSV \"id,weight\": each person's weight (default 1; synthetic:\n"
           "                    the country's population / N)\n"
           "  --format F        table (default), csv, json or html (default: from --out's\n"
           "                    extension)\n"
           "  --out FILE        write there (replaced whole, only once complete) instead of\n"
           "                    standard output\n"
           "\n"
           "The same inputs give byte-identical output; it records the digests of the library,\n"
           "the overlays and the population.\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (file:line:col), 3 the registry cannot be\n"
           "opened, 4 out of memory or the output could not be written.\n");
}

enum format { FORMAT_TABLE, FORMAT_CSV, FORMAT_JSON, FORMAT_HTML };

struct options {
    const char *baseline[OPS_OVERLAYS_MAX]; /* then the reform's, in the same array */
    int n_baseline;
    const char *reform[OPS_OVERLAYS_MAX];
    int n_reform;
    int32_t as_of;
    const char *synthetic; /* "CC:N" */
    char synthetic_country[3];
    int64_t synthetic_n;
    uint64_t seed;
    const char *situations;
    char country[3];
    const char *weights;
    int format; /* enum format, or -1 until known */
    const char *out;
};

static int parse_format(const char *text, int *out)
{
    static const char *const names[] = {"table", "csv", "json", "html"};
    for (int i = 0; i < 4; i++)
        if (strcmp(text, names[i]) == 0)
            return *out = i, SP_OK;
    return SP_BAD_INPUT;
}

/* "NP:1000" into o; SP_USAGE with a message otherwise. */
static int parse_synthetic(const char *text, struct options *o)
{
    const char *colon = strchr(text, ':');
    long long n = 0;
    if (colon == NULL || colon - text != 2 || text_parse_int64(colon + 1, &n) != 1 || n < 1 ||
        n > SYNTHETIC_MAX)
        return cli_usage_error("simulate",
                               "--synthetic takes CC:N, a country code and 1 to %lld persons "
                               "(e.g. NP:100000), not \"%s\"",
                               SYNTHETIC_MAX, text);
    memcpy(o->synthetic_country, text, 2);
    o->synthetic_country[2] = '\0';
    o->synthetic_n = n;
    o->synthetic = text;
    return SP_OK;
}

static int parse_options(struct cli *cli, int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"reform", required_argument, NULL, 'r'},     {"baseline", required_argument, NULL, 'b'},
        {"as-of", required_argument, NULL, 'a'},      {"calendar", required_argument, NULL, 'C'},
        {"synthetic", required_argument, NULL, 'S'},  {"seed", required_argument, NULL, 'e'},
        {"situations", required_argument, NULL, 'i'}, {"country", required_argument, NULL, 'c'},
        {"weights", required_argument, NULL, 'w'},    {"format", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->format = -1;
    o->seed = 1;
    o->as_of = DATE_NONE;
    const char *as_of = NULL;
    enum calendar calendar = CALENDAR_AD;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        long long seed = 0;
        switch (c) {
        case 'r':
            if (cli_add_overlay("simulate", "--reform", o->reform, &o->n_reform, optarg) != SP_OK)
                return SP_USAGE;
            break;
        case 'b':
            if (cli_add_overlay("simulate", "--baseline", o->baseline, &o->n_baseline, optarg) !=
                SP_OK)
                return SP_USAGE;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'C':
            if (cli_calendar_option("simulate", optarg, &calendar) != SP_OK)
                return SP_USAGE;
            break;
        case 'S':
            if (parse_synthetic(optarg, o) != SP_OK)
                return SP_USAGE;
            break;
        case 'e':
            if (text_parse_int64(optarg, &seed) != 1 || seed < 0)
                return cli_usage_error("simulate", "--seed takes a whole number >= 0, not \"%s\"",
                                       optarg);
            o->seed = (uint64_t)seed;
            break;
        case 'i':
            o->situations = optarg;
            break;
        case 'c':
            if (!person_country_known(optarg))
                return cli_usage_error("simulate",
                                       "--country: \"%s\" is not a country spfloor "
                                       "ships schemes for (see spfloor schemes list)",
                                       optarg);
            text_copy(o->country, sizeof o->country, optarg);
            break;
        case 'w':
            o->weights = optarg;
            break;
        case 'f':
            if (parse_format(optarg, &o->format) != SP_OK)
                return cli_usage_error(
                    "simulate", "--format takes table, csv, json or html, not \"%s\"", optarg);
            break;
        case 'o':
            o->out = optarg;
            break;
        default:
            return cli_usage_error("simulate", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("simulate", "unexpected argument \"%s\"", argv[optind]);
    if (o->n_reform == 0)
        return cli_usage_error("simulate", "give the reform: --reform FILE (an overlay)");
    if (o->synthetic != NULL && o->situations != NULL)
        return cli_usage_error("simulate", "give one population: --synthetic or --situations");
    if (o->synthetic != NULL && o->country[0] && strcmp(o->country, o->synthetic_country) != 0)
        return cli_usage_error("simulate", "--country %s and --synthetic %s disagree", o->country,
                               o->synthetic);
    if (o->format < 0 && o->out != NULL) {
        const char *dot = strrchr(o->out, '.');
        if (dot == NULL || parse_format(dot + 1, &o->format) != SP_OK)
            o->format = FORMAT_TABLE;
    }
    if (o->format < 0)
        o->format = FORMAT_TABLE;
    if (as_of != NULL) {
        int rc = cli_date_option("--as-of", as_of, calendar, &o->as_of);
        if (rc != SP_OK)
            return rc;
    }
    if (o->as_of == DATE_NONE)
        o->as_of = cli_today(cli);
    return SP_OK;
}

/* ---- the rule sets ---- */

/* The first date any of the overlay's values or rules takes effect, or DATE_NONE. */
static int32_t overlay_first_date(const struct overlay *o)
{
    int32_t first = DATE_NONE;
    for (int i = 0; i < o->n_changes; i++)
        if (first == DATE_NONE || o->changes[i].from < first)
            first = o->changes[i].from;
    for (int i = 0; o->values != NULL && i < param_set_count(o->values); i++) {
        const struct param *p = param_set_get(o->values, i);
        if (p->n_values > 0 && (first == DATE_NONE || p->values[0].since < first))
            first = p->values[0].since;
    }
    return first;
}

/* Refuses a reform none of whose overlays has taken effect on the date. */
static int check_reform_dates(const struct ops_rules *reform, int n_reform, int32_t as_of,
                              struct error *err)
{
    int32_t first = DATE_NONE;
    const struct overlay *o = NULL;
    for (int i = reform->n_overlays - n_reform; i < reform->n_overlays; i++) {
        int32_t d = overlay_first_date(reform->overlays[i]);
        if (d != DATE_NONE && (first == DATE_NONE || d < first)) {
            first = d;
            o = reform->overlays[i];
        }
    }
    if (o == NULL || first <= as_of)
        return SP_OK;
    char from[DATE_TEXT_SIZE], on[DATE_TEXT_SIZE];
    date_format(first, from);
    date_format(as_of, on);
    fprintf(stderr,
            "warning: the reform takes effect on %s, after --as-of %s: it changes "
            "nothing on that date\n",
            from, on);
    return error_set(err, SP_BAD_INPUT,
                     "%s: reform %s takes effect on %s, after --as-of %s; nothing was simulated: "
                     "give --as-of %s or later",
                     o->file, o->id, from, on, from);
}

/* The country simulated: --country, the synthetic one's, or the reform's id's first part. */
static int choose_country(struct options *o, const struct ops_rules *reform, struct error *err)
{
    if (o->country[0])
        return SP_OK;
    if (o->synthetic != NULL) {
        text_copy(o->country, sizeof o->country, o->synthetic_country);
        return SP_OK;
    }
    const struct overlay *first = reform->overlays[reform->n_overlays - o->n_reform];
    char cc[3] = {0};
    if (strlen(first->id) > 2 && first->id[2] == '.') {
        cc[0] = (char)(first->id[0] & ~0x20);
        cc[1] = (char)(first->id[1] & ~0x20);
    }
    if (cc[0] && person_country_known(cc)) {
        text_copy(o->country, sizeof o->country, cc);
        return SP_OK;
    }
    return error_set(err, SP_BAD_INPUT,
                     "%s: cannot tell the country from the reform's id \"%s\": give --country CC",
                     first->file, first->id);
}

/* The digests of the library and of the overlay files. */
static int digests(const struct cli *cli, const struct options *o, char library[65],
                   char overlays[65], struct error *err)
{
    struct digest d;
    digest_init(&d);
    int rc = digest_dir(&d, cli->schemes_dir, err);
    digest_hex(&d, library);
    digest_init(&d);
    for (int i = 0; rc == SP_OK && i < o->n_baseline; i++)
        rc = digest_file(&d, o->baseline[i], err);
    digest_text(&d, "reform");
    for (int i = 0; rc == SP_OK && i < o->n_reform; i++)
        rc = digest_file(&d, o->reform[i], err);
    digest_hex(&d, overlays);
    return rc;
}

static int write_report(const struct options *o, const struct sim_report *r,
                        const struct sim_meta *m, struct error *err)
{
    struct buf out;
    buf_init(&out, OUTPUT_MAX);
    int rc = o->format == FORMAT_CSV    ? sim_report_csv(r, m, &out, err)
             : o->format == FORMAT_JSON ? sim_report_json(r, m, &out, err)
             : o->format == FORMAT_HTML ? sim_report_html(r, m, &out, err)
                                        : sim_report_table(r, m, &out, err);
    if (rc == SP_OK)
        rc = cli_output_document(o->out, out.data, out.len, err);
    buf_release(&out);
    return rc;
}

int cmd_simulate(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct options o;
    int rc = parse_options(cli, argc, argv, &o);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    struct store *store = NULL;
    struct ops_rules baseline, reform;
    memset(&baseline, 0, sizeof baseline);
    memset(&reform, 0, sizeof reform);
    struct simulate_weights weights;
    memset(&weights, 0, sizeof weights);
    struct situation sit;
    situation_init(&sit);
    struct sim_report report;
    memset(&report, 0, sizeof report);
    int from_registry = o.synthetic == NULL && o.situations == NULL;
    int reported = 0; /* 1 when rc was already told */
    if (o.n_baseline + o.n_reform > OPS_OVERLAYS_MAX) {
        rc = cli_usage_error("simulate", "at most %d overlays in all", OPS_OVERLAYS_MAX);
        reported = 1;
        goto out_release;
    }
    if (from_registry) {
        rc = cli_open_existing_store(cli, &store);
        reported = rc != SP_OK;
        if (rc != SP_OK)
            goto out_release;
    }
    const char *both[2 * OPS_OVERLAYS_MAX];
    for (int i = 0; i < o.n_baseline; i++)
        both[i] = o.baseline[i];
    for (int i = 0; i < o.n_reform; i++)
        both[o.n_baseline + i] = o.reform[i];
    rc = ops_rules_load(cli->schemes_dir, o.baseline, o.n_baseline, store, &baseline, &err);
    if (rc == SP_OK)
        rc =
            ops_rules_load(cli->schemes_dir, both, o.n_baseline + o.n_reform, store, &reform, &err);
    if (rc == SP_OK)
        rc = check_reform_dates(&reform, o.n_reform, o.as_of, &err);
    if (rc == SP_OK)
        rc = choose_country(&o, &reform, &err);
    if (rc == SP_OK && o.synthetic != NULL && population_country_people(o.country) == 0)
        rc = error_set(&err, SP_BAD_INPUT,
                       "--synthetic %s: no synthetic population is shipped for %s: use NP, IN, "
                       "BD, PK, ID, PH, KH or MN",
                       o.synthetic, o.synthetic_country);
    if (rc == SP_OK && o.weights != NULL)
        rc = simulate_weights_load(o.weights, &weights, &err);
    char library[65], overlays[65], population_digest[65] = "", population[512];
    if (rc == SP_OK)
        rc = digests(cli, &o, library, overlays, &err);
    struct cli_progress progress;
    cli_progress_init(&progress, cli, "simulated");
    struct simulate_query q = {
        .as_of = o.as_of,
        .country = o.country,
        .baseline = baseline.lib,
        .reform = reform.lib,
        .weights = o.weights != NULL ? &weights : NULL,
        .progress = cli_progress_show,
        .progress_ctx = &progress,
    };
    if (rc == SP_OK && o.synthetic != NULL) {
        snprintf(population, sizeof population, "synthetic %s seed %llu", o.synthetic,
                 (unsigned long long)o.seed);
        struct digest d;
        digest_init(&d);
        digest_text(&d, population);
        digest_hex(&d, population_digest);
        rc = simulate_synthetic(o.seed, o.synthetic_n, &q, &report, &err);
    } else if (rc == SP_OK && o.situations != NULL) {
        snprintf(population, sizeof population, "%s", o.situations);
        struct situation_options options = {DATE_NONE, baseline.lib};
        struct digest d;
        digest_init(&d);
        rc = digest_file(&d, o.situations, &err);
        digest_hex(&d, population_digest);
        if (rc == SP_OK)
            rc = situation_load_file(o.situations, &options, &sit, &err);
        if (rc == SP_OK)
            rc = simulate_situation(&sit, &q, &report, &err);
    } else if (rc == SP_OK) {
        snprintf(population, sizeof population, "the registry");
        rc = simulate_registry(store, &q, &report, population_digest, &err);
    }
    cli_progress_end(&progress);
    if (rc == SP_OK) {
        char as_of[DATE_TEXT_SIZE];
        date_format(o.as_of, as_of);
        const char *base_ids[OPS_OVERLAYS_MAX], *reform_ids[OPS_OVERLAYS_MAX];
        int nb = 0, nr = 0;
        for (int i = 0; i < baseline.n_overlays; i++)
            base_ids[nb++] = baseline.overlays[i]->id;
        for (int i = reform.n_overlays - o.n_reform; i < reform.n_overlays; i++)
            reform_ids[nr++] = reform.overlays[i]->id;
        const char *currency = currency_of_country(o.country);
        struct sim_meta m = {
            as_of,   o.country, currency ? currency : "", population, base_ids, nb, reform_ids, nr,
            library, overlays,  population_digest};
        rc = write_report(&o, &report, &m, &err);
    }

out_release:
    sim_report_release(&report);
    situation_release(&sit);
    simulate_weights_release(&weights);
    ops_rules_release(&reform);
    ops_rules_release(&baseline);
    store_close(store);
    if (rc != SP_OK && !reported)
        return cli_report(&err);
    return rc;
}
