/*
 * cmd_entitlements.c: `spfloor entitlements PERSON_ID | --all ...`: the decisions of `spfloor
 * evaluate` for one registered person with their household, or for everyone in the registry
 * (ops/entitlements.h does the work; this file parses the options and prints).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/outfile.h"
#include "cli/cli.h"
#include "ops/decision_format.h"
#include "ops/entitlements.h"
#include "ops/entitlements_doc.h"
#include "ops/rules.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "store/store.h"

#define JSON_DOCUMENT_MAX ((size_t)64u << 20) /* bytes of one person's --json document */
#define CHUNK_MAX         ((size_t)64u << 20) /* bytes of --all output gathered at most */
#define CHUNK_FLUSH       ((size_t)1u << 20)  /* --all output is written in pieces this big */

static void print_help(void)
{
    printf("Usage: spfloor entitlements PERSON_ID [--as-of DATE] [--calendar ad|bs] [--json]\n"
           "                            [--explain[=text|trace]] [--lang LANG]\n"
           "                            [--overlay FILE]...\n"
           "       spfloor entitlements --all [--scheme ID] [--country CC] [--as-of DATE]\n"
           "                            [--format table|csv|json] [--explain[=text|trace]]\n"
           "                            [--lang LANG] [--out FILE]\n"
           "\n"
           "What a registered person is entitled to on a date (default: today), for every\n"
           "scheme of their country, and why. The household comes from the registry, and\n"
           "the life events recorded for each member ('spfloor event add': births, deaths,\n"
           "job losses ...) are read as an 'evaluate' file's events are. The text lists the\n"
           "person's benefits first and their contributions apart. A record merged into\n"
           "another, or whose death is recorded on or before the date, is refused (exit 2).\n"
           "With --all, the same for everyone in the registry, whole households at a time,\n"
           "with a progress line and a summary per scheme on stderr; merged and dead\n"
           "records are skipped, and the summary says how many.\n"
           "\n"
           "  --as-of DATE     the date of the decisions: YYYY-MM-DD, or a Bikram Sambat\n"
           "                   date written \"2082-08-15 BS\"\n"
           "  --calendar bs    read --as-of as Bikram Sambat without the suffix (default ad)\n"
           "  --json           {\"as_of\", \"person\", \"results\": [...]} as `spfloor evaluate`\n"
           "  --explain        under each result, one line per condition for people: passed\n"
           "                   (\u2713), failed (\u2717) or not known (?), with the person's\n"
           "                   figures and the rule in force (one person's --json: the\n"
           "                   detailed explanation; --all --format json: the reasons too)\n"
           "  --explain=trace  the technical trace: every test, value, amount and step\n"
           "  --lang LANG      the language of those lines (a catalogue's, e.g. ne; default:\n"
           "                   the locale's, LC_ALL/LC_MESSAGES/LANG; English where none)\n"
           "  --all            every registered person\n"
           "  --scheme ID      with --all: only this scheme (`spfloor schemes list`)\n"
           "  --country CC     with --all: only persons and schemes of this country\n"
           "  --format F       with --all: table (default), csv, or json as `evaluate --json`\n"
           "  --out FILE       with --all: write to FILE, whole or not at all (default stdout)\n"
           "  --overlay FILE   lay an overlay (docs/overlays.md) over the library; repeatable,\n"
           "                   after the registry's default overlay (overlay set)\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (a date, an unknown scheme, no such\n"
           "person) or some decisions failed (status failed, e.g. a rule too costly for the\n"
           "household: every result is still printed, each failed one with its reason),\n"
           "4 storage, or the output could not be written. One person's --json prints nothing\n"
           "when the run fails otherwise; --all streams to stdout, and with --out a failed run\n"
           "leaves no file.\n");
}

/* Options of both modes. */
struct options {
    int32_t as_of;       /* DATE_NONE: today */
    int json;            /* one person: --json */
    int explain;         /* --explain: enum decision_explain */
    char lang[16];       /* --lang, or the locale's: the reasons' language ("" English) */
    int all;             /* --all */
    const char *scheme;  /* --scheme, or NULL */
    const char *country; /* --country, or NULL */
    const char *format;  /* --format: "table", "csv" or "json" */
    const char *out;     /* --out, or NULL for stdout */
    const char *overlays[OPS_OVERLAYS_MAX]; /* --overlay FILE, in order */
    int n_overlays;
};

/* One person's entitlements: the person with their household, every scheme of their country
 * (ops/entitlements_doc.h: the same document the server gives). */
static int one_person(struct cli *cli, const struct options *o, const char *id)
{
    int32_t as_of = o->as_of != DATE_NONE ? o->as_of : cli_today(cli);
    struct error err;
    error_init(&err);
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct store *store = NULL;
    struct buf doc;
    buf_init(&doc, JSON_DOCUMENT_MAX);
    long failed = 0;
    int rc = cli_require_database(cli, &err);
    if (rc == SP_OK)
        rc = store_open(cli->db_location, STORE_READ_ONLY, &store, &err);
    if (rc == SP_OK)
        rc = ops_rules_load(cli->schemes_dir, o->overlays, o->n_overlays, store, &rules, &err);
    struct decision_view view = {o->json, o->explain, o->lang};
    if (rc == SP_OK)
        rc = entitlements_person_document(store, rules.lib, id, as_of, &view, &doc, &failed, &err);
    if (rc == SP_OK) /* whole: only now is it printed */
        rc = cli_output_write(doc.data, doc.len, &err);
    if (rc == SP_OK && failed > 0)
        rc = error_set(&err, SP_BAD_INPUT, "%ld decision%s failed: see the reason in %s", failed,
                       failed == 1 ? "" : "s", failed == 1 ? "its result" : "each result");
    buf_release(&doc);
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}

enum sink_format { SINK_TEXT, SINK_CSV, SINK_JSON };

/* Where --all output goes: gathered in `chunk`, written out to stdout or the file. */
struct sink {
    const struct options *o;
    enum sink_format format;      /* o->format, read once */
    struct buf chunk;             /* output not yet written */
    struct outfile file;          /* --out, when given */
    int first;                    /* json: no result written yet */
    struct error *err;            /* where a failure is told */
    struct cli_progress progress; /* the progress line */
};

/* Writes out what the chunk holds. */
static int sink_flush(struct sink *k)
{
    int rc = k->o->out ? outfile_write(&k->file, k->chunk.data, k->chunk.len, k->err)
                       : cli_output_write(k->chunk.data, k->chunk.len, k->err);
    buf_reset(&k->chunk);
    return rc;
}

static int emit(void *ctx, const struct entitlement *e)
{
    struct sink *k = ctx;
    int rc;
    if (k->format == SINK_CSV)
        rc = decision_append_csv(&k->chunk, e->person, e->scheme, e->decision, e->reasons, k->err);
    else if (k->format == SINK_JSON)
        rc = decision_append_json(&k->chunk, e->person, e->scheme, e->decision, e->reasons,
                                  e->human, e->missing, &k->first, k->err);
    else
        rc = decision_append_text(&k->chunk, e->person, e->scheme, e->decision,
                                  e->human != NULL ? e->human : e->reasons, e->missing,
                                  k->o->explain != DECISION_EXPLAIN_NONE, k->err);
    if (rc == SP_OK && k->chunk.len >= CHUNK_FLUSH)
        rc = sink_flush(k);
    return rc;
}

/* "1234.00 NPR/month" (or "300 days/year" for a benefit in kind) into out. */
static void money_per(int64_t minor, const struct scheme *s, char *out, size_t size)
{
    char text[MONEY_TEXT_MAX];
    scheme_amount_text(s, minor, text, sizeof text);
    snprintf(out, size, "%s %s/%s", text, scheme_amount_unit(s),
             s->per == PER_NONE ? "once" : scheme_per_name(s->per));
}

/* The summary per scheme, on stderr: benefits paid out, or contributions owed. */
static void print_summary(const struct entitlements_summary *sum, int64_t elapsed_ms)
{
    fprintf(stderr, "%lld persons decided in %lld.%01lld s", (long long)sum->persons,
            (long long)(elapsed_ms / 1000), (long long)(elapsed_ms % 1000 / 100));
    if (sum->skipped > 0)
        fprintf(stderr, "; %lld skipped (marked deceased or merged)", (long long)sum->skipped);
    fputc('\n', stderr);
    fprintf(stderr, "%-40s %9s %9s %8s  %s\n", "SCHEME", "DECIDED", "ELIGIBLE", "FAILED",
            "TOTAL (benefits payable, or contributions owed)");
    for (int i = 0; i < sum->n_schemes; i++) {
        const struct entitlements_tally *t = &sum->tally[i];
        char total[2 * MONEY_TEXT_MAX + 32] = "-";
        if (t->overflow)
            snprintf(total, sizeof total, "(too large to add up)");
        else if (t->with_amount > 0)
            money_per(t->amount, t->scheme, total, sizeof total);
        else if (t->with_contribution > 0) {
            char owed[MONEY_TEXT_MAX + 24];
            money_per(t->contributions, t->scheme, owed, sizeof owed);
            snprintf(total, sizeof total, "%s %s",
                     t->scheme->optional ? "optional" : "contributions", owed);
            if (t->scheme->optional) /* a voluntary contribution is offered, not owed */
                snprintf(total + strlen(total), sizeof total - strlen(total), " (not owed)");
        }
        fprintf(stderr, "%-40s %9lld %9lld %8lld  %s", t->scheme->id, (long long)t->decided,
                (long long)t->eligible, (long long)t->failed, total);
        if (t->excluded > 0)
            fprintf(stderr, " (%lld excluded by another allowance: not payable)",
                    (long long)t->excluded);
        fputc('\n', stderr);
    }
}

/* Everyone's entitlements (--all). */
static int everyone(struct cli *cli, const struct options *o)
{
    struct error err;
    error_init(&err);
    /* the trace as before (its short form); the reasons for people with --explain=text,
       except in CSV, whose columns stay */
    struct entitlements_query q = {o->as_of != DATE_NONE ? o->as_of : cli_today(cli),
                                   o->scheme,
                                   o->country,
                                   o->explain != DECISION_EXPLAIN_NONE,
                                   strcmp(o->format, "csv") != 0,
                                   o->explain == DECISION_EXPLAIN_TEXT &&
                                       strcmp(o->format, "csv") != 0,
                                   o->lang,
                                   0 /* every format shows the person's id alone */};
    struct sink k = {o,
                     strcmp(o->format, "csv") == 0    ? SINK_CSV
                     : strcmp(o->format, "json") == 0 ? SINK_JSON
                                                      : SINK_TEXT,
                     {0},
                     {0},
                     1,
                     &err,
                     {0}};
    cli_progress_init(&k.progress, cli, "decided");
    buf_init(&k.chunk, CHUNK_MAX);
    outfile_init(&k.file);
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct store *store = NULL;
    struct entitlements_summary sum = {0};
    int rc = o->out != NULL ? outfile_check(o->out, -1, &err) : SP_OK;
    if (rc == SP_OK)
        rc = cli_require_database(cli, &err);
    if (rc == SP_OK)
        rc = store_open(cli->db_location, STORE_READ_ONLY, &store, &err);
    if (rc == SP_OK)
        rc = ops_rules_load(cli->schemes_dir, o->overlays, o->n_overlays, store, &rules, &err);
    const struct scheme_library *lib = rules.lib;
    if (rc == SP_OK && o->out != NULL)
        rc = outfile_open(&k.file, o->out, 0, -1, &err);
    char date[DATE_TEXT_SIZE];
    date_format(q.as_of, date);
    if (rc == SP_OK && strcmp(o->format, "json") == 0)
        rc = buf_printf(&k.chunk, &err, "{\"as_of\": \"%s\",\n \"results\": [", date);
    else if (rc == SP_OK && strcmp(o->format, "csv") == 0)
        rc = decision_append_csv_header(&k.chunk, &err);
    else if (rc == SP_OK)
        rc = decision_append_text_header(&k.chunk, &err);
    if (rc == SP_OK)
        rc = entitlements_all(store, lib, &q, emit, &k, cli_progress_show, &k.progress, &sum, &err);
    cli_progress_end(&k.progress);
    if (rc == SP_OK && strcmp(o->format, "json") == 0)
        rc = buf_printf(&k.chunk, &err, "%s]}\n", k.first ? "" : "\n ");
    if (rc == SP_OK)
        rc = sink_flush(&k);
    if (rc == SP_OK && o->out != NULL)
        rc = outfile_commit(&k.file, &err);
    outfile_abort(&k.file);
    if (rc == SP_OK && !cli->quiet)
        print_summary(&sum, cli_now_ms() - k.progress.started_ms);
    int64_t failed = 0;
    for (int i = 0; i < sum.n_schemes; i++)
        failed += sum.tally[i].failed;
    if (rc == SP_OK && failed > 0)
        rc = error_set(&err, SP_BAD_INPUT, "%lld decision%s failed: see the reason in %s",
                       (long long)failed, failed == 1 ? "" : "s",
                       failed == 1 ? "its result" : "each result");
    entitlements_summary_release(&sum);
    buf_release(&k.chunk);
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}

int cmd_entitlements(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},   {"calendar", required_argument, NULL, 'C'},
        {"json", no_argument, NULL, 'j'},          {"explain", optional_argument, NULL, 'e'},
        {"lang", required_argument, NULL, 'l'},    {"all", no_argument, NULL, 'A'},
        {"scheme", required_argument, NULL, 's'},  {"country", required_argument, NULL, 'c'},
        {"format", required_argument, NULL, 'f'},  {"out", required_argument, NULL, 'o'},
        {"overlay", required_argument, NULL, 'O'}, {NULL, 0, NULL, 0},
    };
    struct options o = {DATE_NONE, 0, 0, "", 0, NULL, NULL, "table", NULL, {NULL}, 0};
    const char *lang = NULL;
    const char *as_of = NULL;
    enum calendar calendar = CALENDAR_AD;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'a':
            as_of = optarg;
            break;
        case 'C':
            if (cli_calendar_option("entitlements", optarg, &calendar) != SP_OK)
                return SP_USAGE;
            break;
        case 'j':
            o.json = 1;
            break;
        case 'e':
            o.explain = cli_explain_parse("entitlements", optarg);
            if (o.explain < 0)
                return SP_USAGE;
            break;
        case 'l':
            lang = optarg;
            break;
        case 'O':
            if (cli_add_overlay("entitlements", "--overlay", o.overlays, &o.n_overlays, optarg) !=
                SP_OK)
                return SP_USAGE;
            break;
        case 'A':
            o.all = 1;
            break;
        case 's':
            o.scheme = optarg;
            break;
        case 'c':
            o.country = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "table") != 0 && strcmp(optarg, "csv") != 0 &&
                strcmp(optarg, "json") != 0)
                return cli_usage_error("entitlements",
                                       "--format takes table, csv or json, not \"%s\"", optarg);
            o.format = optarg;
            break;
        case 'o':
            o.out = optarg;
            break;
        default:
            return cli_usage_error("entitlements", "unknown option");
        }
    }
    if (as_of != NULL && cli_date_option("--as-of", as_of, calendar, &o.as_of) != SP_OK)
        return SP_BAD_INPUT;
    if (cli_language("entitlements", lang, o.lang, sizeof o.lang) != SP_OK)
        return SP_USAGE;
    if (o.all) {
        if (optind != argc)
            return cli_usage_error("entitlements", "--all takes no person id");
        if (o.json)
            return cli_usage_error("entitlements", "with --all, use --format json");
        return everyone(cli, &o);
    }
    if (o.scheme || o.country || o.out || strcmp(o.format, "table") != 0)
        return cli_usage_error("entitlements",
                               "--scheme, --country, --format and --out go with --all");
    if (argc - optind != 1)
        return cli_usage_error("entitlements", "give one person id, or --all");
    return one_person(cli, &o, argv[optind]);
}
