/*
 * cmd_evaluate.c: `spfloor evaluate SITUATIONS.yaml|.json --as-of DATE [--scheme ID] [--json]
 * [--explain]`: decisions for every person and every scheme of their country, without a
 * database (DESIGN.md "Evaluation without a database").
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "cli/cli.h"
#include "ops/decision_format.h"
#include "ops/situation_areas.h"
#include "ops/rules.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "rules/situation_load.h"

#define JSON_DOCUMENT_MAX ((size_t)1u << 30) /* bytes of the --json document, gathered whole */

static void print_help(void)
{
    printf(
        "Usage: spfloor evaluate SITUATIONS.yaml|SITUATIONS.json [--as-of DATE]\n"
        "                        [--calendar ad|bs] [--scheme ID] [--json]\n"
        "                        [--explain[=text|trace]] [--lang LANG] [--overlay FILE]...\n"
        "\n"
        "Decides, for every person in the file and every scheme of their country, whether\n"
        "they are eligible, the amount per period and the contribution, and why.\n"
        "\n"
        "  --as-of DATE   the date of the decision (YYYY-MM-DD, or \"2082-08-15 BS\" in\n"
        "                 Bikram Sambat; default: today)\n"
        "  --calendar bs  read --as-of as Bikram Sambat without the suffix (default ad);\n"
        "                 birth_date and employment_start in the file may be written\n"
        "                 \"2014-11-18 BS\"\n"
        "  --scheme ID    only this scheme (see `spfloor schemes list`)\n"
        "  --json         one JSON document: {\"as_of\", \"results\": [...]}, printed once\n"
        "                 every decision is made (at most 1 GiB), so a failed run prints\n"
        "                 nothing\n"
        "  --explain      under each result, one line per condition for people: passed\n"
        "                 (\u2713), failed (\u2717) or not known (?), with the person's figures\n"
        "                 and the rule in force (with --json: the detailed explanation)\n"
        "  --explain=trace  every test, value, amount and contribution step\n"
        "  --lang LANG    the language of those lines (a catalogue's, e.g. ne; default:\n"
        "                 the locale's, LC_ALL/LC_MESSAGES/LANG; English where none)\n"
        "  --overlay FILE lay an overlay (docs/overlays.md) over the library; repeat it to\n"
        "                 lay several, the later winning\n"
        "\n"
        "The text lists each person's benefits first and their contributions apart.\n"
        "\n"
        "Schemes come from --schemes DIR (default ./schemes). The file holds persons,\n"
        "households, events, contributions and enrolments; see docs/schemes.md.\n"
        "Exit codes: 0 done, 1 usage, 2 bad input (file:line:col or JSON pointer) or some\n"
        "decisions failed (status failed, e.g. a rule too costly for a household: every\n"
        "result is still printed, each failed one with its reason), 4 out of memory or the\n"
        "output could not be written.\n");
}

struct options {
    const char *path;
    int32_t as_of;
    const char *scheme;
    int json;
    int explain;                            /* enum decision_explain */
    char lang[16];                          /* the language of the reasons; "" for English */
    const char *overlays[OPS_OVERLAYS_MAX]; /* --overlay FILE, in order */
    int n_overlays;
};

static int parse_options(struct cli *cli, int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},   {"calendar", required_argument, NULL, 'C'},
        {"scheme", required_argument, NULL, 's'},  {"json", no_argument, NULL, 'j'},
        {"explain", optional_argument, NULL, 'e'}, {"lang", required_argument, NULL, 'l'},
        {"overlay", required_argument, NULL, 'o'}, {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    const char *lang = NULL;
    o->as_of = DATE_NONE;
    const char *as_of = NULL;
    enum calendar calendar = CALENDAR_AD;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'a':
            as_of = optarg;
            break;
        case 'C':
            if (cli_calendar_option("evaluate", optarg, &calendar) != SP_OK)
                return SP_USAGE;
            break;
        case 's':
            o->scheme = optarg;
            break;
        case 'j':
            o->json = 1;
            break;
        case 'e':
            o->explain = cli_explain_parse("evaluate", optarg);
            if (o->explain < 0)
                return SP_USAGE;
            break;
        case 'l':
            lang = optarg;
            break;
        case 'o':
            if (cli_add_overlay("evaluate", "--overlay", o->overlays, &o->n_overlays, optarg) !=
                SP_OK)
                return SP_USAGE;
            break;
        default:
            return cli_usage_error("evaluate", "unknown option");
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("evaluate", "give one situations file (YAML or JSON)");
    o->path = argv[optind];
    if (as_of != NULL) {
        struct error err;
        error_init(&err);
        struct calendar_date d;
        if (calendar_parse_date(as_of, calendar, &d, &err) != SP_OK)
            return cli_usage_error("evaluate", "--as-of: %s", err.message);
        o->as_of = d.day;
    }
    if (cli_language("evaluate", lang, o->lang, sizeof o->lang) != SP_OK)
        return SP_USAGE;
    if (o->as_of == DATE_NONE)
        o->as_of = cli_today(cli);
    return SP_OK;
}

/*
 * The schemes evaluated, each bound to the date, with its scratch and a block of decisions.
 * With --scheme, the schemes of its exclusion group are decided too (which one is paid
 * depends on them) but not shown.
 */
struct run {
    const struct scheme **schemes;
    struct decide_bound **bound;
    struct decide_scratch **scratch;
    struct decision *decisions; /* n_schemes blocks of EXPR_BLOCK */
    struct decision **row;      /* one person's decisions, for decide_exclusions */
    uint8_t *shown;             /* per scheme: 1 if its results are printed */
    int n_schemes;
};

static void run_release(struct run *r)
{
    for (int i = 0; i < r->n_schemes; i++) {
        if (r->bound)
            decide_bound_free(r->bound[i]);
        if (r->scratch)
            decide_scratch_free(r->scratch[i]);
    }
    sp_free(r->schemes);
    sp_free(r->bound);
    sp_free(r->scratch);
    sp_free(r->decisions);
    sp_free(r->row);
    sp_free(r->shown);
}

/* 1 if s is decided for --scheme `id`: it is that scheme, or in its exclusion group. */
static int wanted(const struct scheme_library *lib, const struct scheme *s, const char *id)
{
    if (id == NULL || strcmp(s->id, id) == 0)
        return 1;
    const struct scheme *asked = scheme_library_find(lib, id);
    return asked != NULL && scheme_same_group(asked, s);
}

static int run_prepare(const struct scheme_library *lib, const struct options *o, struct run *r,
                       struct error *err)
{
    memset(r, 0, sizeof *r);
    size_t n = lib->n_schemes > 0 ? (size_t)lib->n_schemes : 1;
    r->schemes = sp_calloc(n, sizeof *r->schemes);
    r->bound = sp_calloc(n, sizeof *r->bound);
    r->scratch = sp_calloc(n, sizeof *r->scratch);
    r->decisions = sp_calloc(n * EXPR_BLOCK, sizeof *r->decisions);
    r->row = sp_calloc(n, sizeof *r->row);
    r->shown = sp_calloc(n, sizeof *r->shown);
    if (r->schemes == NULL || r->bound == NULL || r->scratch == NULL || r->decisions == NULL ||
        r->row == NULL || r->shown == NULL)
        return error_nomem(err);
    for (int i = 0; i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        if (!wanted(lib, s, o->scheme))
            continue;
        int k = r->n_schemes++;
        r->schemes[k] = s;
        r->shown[k] = o->scheme == NULL || strcmp(s->id, o->scheme) == 0;
        int rc = decide_bind(s, o->as_of, &r->bound[k], err);
        if (rc == SP_OK)
            rc = decide_scratch_new(s, &r->scratch[k], err);
        if (rc != SP_OK)
            return rc;
    }
    return SP_OK;
}

/*
 * Decides for the persons [from, from + n) and, person by person, appends their results to
 * doc (--json) or prints them; adds the decisions that failed to *failed.
 */
static int run_block(struct run *r, const struct situation *sit, int from, int n,
                     const struct options *o, struct buf *doc, int *first, long *failed,
                     struct error *err)
{
    const struct person *persons[EXPR_BLOCK];
    const struct person_history *histories[EXPR_BLOCK];
    for (int i = 0; i < n; i++) {
        persons[i] = &sit->persons[from + i];
        histories[i] = &sit->histories[from + i];
    }
    for (int k = 0; k < r->n_schemes; k++) {
        int rc = decide_block(r->bound[k], r->scratch[k], persons, histories, n,
                              &r->decisions[(size_t)k * EXPR_BLOCK], err);
        if (rc != SP_OK)
            return rc;
    }
    struct decision_view view = {o->json, o->explain, o->lang};
    int rc = SP_OK;
    for (int i = 0; i < n && rc == SP_OK; i++) {
        for (int k = 0; k < r->n_schemes; k++)
            r->row[k] = &r->decisions[(size_t)k * EXPR_BLOCK + (size_t)i];
        decide_exclusions(persons[i], r->schemes, r->row, r->n_schemes);
        struct decision_row row = {r->schemes, r->bound, r->scratch,
                                   r->row,     r->shown, r->n_schemes};
        struct error why;
        error_init(&why);
        rc =
            decision_append_person(doc, persons[i], histories[i], &row, &view, first, failed, &why);
        if (rc == SP_BAD_INPUT) /* only the document's maximum */
            rc = error_set(err, SP_IO,
                           "the %s would pass %zu MiB: evaluate fewer persons at a time%s",
                           o->json ? "JSON document" : "output", JSON_DOCUMENT_MAX >> 20,
                           o->json ? ", or print text" : "");
        else if (rc != SP_OK)
            rc = error_set(err, rc, "%s", why.message);
    }
    return rc;
}

int cmd_evaluate(struct cli *cli, int argc, char **argv)
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
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct situation sit;
    situation_init(&sit);
    struct run r;
    memset(&r, 0, sizeof r);
    struct buf doc;
    buf_init(&doc, JSON_DOCUMENT_MAX);
    rc = ops_rules_load(cli->schemes_dir, o.overlays, o.n_overlays, NULL, &rules, &err);
    const struct scheme_library *lib = rules.lib;
    if (rc == SP_OK && o.scheme != NULL && scheme_library_find(lib, o.scheme) == NULL)
        rc = error_set(&err, SP_BAD_INPUT,
                       "--scheme: no scheme has the id \"%s\" in %s (see spfloor schemes list)",
                       o.scheme, cli->schemes_dir);
    if (rc == SP_OK) {
        struct situation_options options = {DATE_NONE, lib};
        rc = situation_load_file(o.path, &options, &sit, &err);
    }
    if (rc == SP_OK && situation_areas_resolve(&sit, &err) != SP_OK) {
        error_prefix(&err, "%s", o.path);
        rc = err.code;
    }
    if (rc == SP_OK)
        rc = run_prepare(lib, &o, &r, &err);
    if (rc != SP_OK)
        goto out_release;
    char as_of[DATE_TEXT_SIZE];
    date_format(o.as_of, as_of);
    int first = 1;
    long failed = 0;
    if (o.json) {
        rc = buf_printf(&doc, &err, "{\"as_of\": \"%s\",\n \"results\": [", as_of);
    } else {
        printf("as of %s\n", as_of);
        rc = decision_append_text_header(&doc, &err);
    }
    for (int from = 0; rc == SP_OK && from < sit.n_persons; from += EXPR_BLOCK) {
        int n = sit.n_persons - from < EXPR_BLOCK ? sit.n_persons - from : EXPR_BLOCK;
        rc = run_block(&r, &sit, from, n, &o, &doc, &first, &failed, &err);
        if (rc == SP_OK && !o.json) {                       /* text goes out block by block */
            rc = cli_output_write(doc.data, doc.len, &err); /* stops when nobody gets it */
            buf_reset(&doc);
        }
    }
    if (rc == SP_OK && o.json)
        rc = buf_printf(&doc, &err, "%s]}\n", first ? "" : "\n ");
    if (rc == SP_OK && o.json) {
        rc = cli_output_write(doc.data, doc.len, &err); /* whole: only now is it printed */
    }
    if (rc == SP_OK && failed > 0)
        rc = error_set(&err, SP_BAD_INPUT, "%ld decision%s failed: see the reason in %s", failed,
                       failed == 1 ? "" : "s", failed == 1 ? "its result" : "each result");

out_release:
    buf_release(&doc);
    run_release(&r);
    situation_release(&sit);
    ops_rules_release(&rules);
    if (rc != SP_OK)
        return cli_report(&err);
    return SP_OK;
}
