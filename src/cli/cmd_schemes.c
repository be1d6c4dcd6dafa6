/*
 * cmd_schemes.c: `spfloor schemes list [--country CC] [--json]` and
 * `spfloor schemes check [DIR]` (load every file, then run every test case).
 */
#include <ctype.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "cli/cli.h"
#include "model/person.h"
#include "ops/rules.h"
#include "rules/scheme.h"
#include "rules/scheme_words.h"
#include "rules/scheme_test.h"

static void print_help(void)
{
    printf("Usage: spfloor schemes list [--country CC] [--json]\n"
           "       spfloor schemes check [DIR] [--overlay FILE]...\n"
           "\n"
           "list   prints each scheme of the library (--schemes DIR, default ./schemes): id,\n"
           "       name, country, branch, kind, currency and per. --json prints a JSON array.\n"
           "check  loads every parameter, scheme, test and translation file under DIR\n"
           "       (default: the library), runs every test case and prints `N passed, N\n"
           "       failed`, and names each condition that has no `text` for people.\n"
           "       Exit 0 when all pass; 2 on a file that does not load, a failing case or\n"
           "       a condition without a text.\n"
           "       --overlay FILE lays an overlay (docs/overlays.md) over the library first\n"
           "       (repeatable, the later winning) and runs its own `tests` too.\n");
}

static int list_json(const struct scheme_library *lib, const char *country)
{
    json_t *array = json_array();
    if (array == NULL)
        return SP_IO;
    for (int i = 0; i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        if (country != NULL && strcmp(s->country, country) != 0)
            continue;
        json_t *per = s->per == PER_NONE ? json_null() : json_string(scheme_per_name(s->per));
        json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:o}", "id", s->id, "name", s->name,
                              "country", s->country, "branch", s->branch, "kind",
                              scheme_kind_name(s->kind), "currency", s->currency, "per", per);
        if (o == NULL || json_array_append_new(array, o) != 0) {
            json_decref(array);
            return SP_IO;
        }
    }
    char *text = json_dumps(array, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(array);
    if (text == NULL)
        return SP_IO;
    printf("%s\n", text);
    free(text);
    return SP_OK;
}

static void list_text(const struct scheme_library *lib, const char *country)
{
    int width = (int)strlen("ID");
    for (int i = 0; i < lib->n_schemes; i++)
        if (country == NULL || strcmp(lib->schemes[i]->country, country) == 0)
            width =
                (int)strlen(lib->schemes[i]->id) > width ? (int)strlen(lib->schemes[i]->id) : width;
    printf("%-*s %-7s %-18s %-16s %-8s %-9s %s\n", width, "ID", "COUNTRY", "BRANCH", "KIND",
           "CURRENCY", "PER", "NAME");
    for (int i = 0; i < lib->n_schemes; i++) {
        const struct scheme *s = lib->schemes[i];
        if (country != NULL && strcmp(s->country, country) != 0)
            continue;
        printf("%-*s %-7s %-18s %-16s %-8s %-9s %s\n", width, s->id, s->country, s->branch,
               scheme_kind_name(s->kind), s->currency,
               s->per == PER_NONE ? "-" : scheme_per_name(s->per), s->name);
    }
}

/*
 * 1 (err set, SP_BAD_INPUT) when `country` is not an ISO 3166-1 code or the library holds no
 * scheme of it; the message lists the countries it has.
 */
static int library_lacks_country(const struct scheme_library *lib, const char *country,
                                 struct error *err)
{
    char have[3 * 64] = "";
    size_t used = 0;
    for (int i = 0; i < lib->n_schemes; i++) {
        const char *cc = lib->schemes[i]->country;
        if (strcmp(cc, country) == 0)
            return 0;
        if (strstr(have, cc) == NULL && used + 4 < sizeof have)
            used += (size_t)snprintf(have + used, sizeof have - used, "%s%s", used ? ", " : "", cc);
    }
    if (!person_country_known(country))
        error_set(err, SP_BAD_INPUT, "--country %s is not an ISO 3166-1 country code", country);
    else
        error_set(err, SP_BAD_INPUT, "the scheme library has no scheme for %s; it has %s", country,
                  have);
    return 1;
}

static int schemes_list(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"country", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {NULL, 0, NULL, 0},
    };
    const char *country_arg = NULL;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'c')
            country_arg = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_usage_error("schemes", "unknown option");
    }
    if (optind < argc)
        return cli_usage_error("schemes", "list takes no arguments (got \"%s\")", argv[optind]);
    char country[3] = "";
    if (country_arg != NULL) {
        if (strlen(country_arg) != 2 || !isalpha((unsigned char)country_arg[0]) ||
            !isalpha((unsigned char)country_arg[1]))
            return cli_usage_error("schemes", "--country takes a two-letter code such as NP");
        country[0] = (char)toupper((unsigned char)country_arg[0]);
        country[1] = (char)toupper((unsigned char)country_arg[1]);
    }
    struct error err;
    error_init(&err);
    struct scheme_library *lib = NULL;
    if (scheme_library_load(cli->schemes_dir, &lib, &err) != SP_OK)
        return cli_report(&err);
    if (country_arg != NULL && library_lacks_country(lib, country, &err)) {
        scheme_library_free(lib);
        return cli_report(&err);
    }
    int rc = SP_OK;
    if (json)
        rc = list_json(lib, country_arg ? country : NULL);
    else
        list_text(lib, country_arg ? country : NULL);
    scheme_library_free(lib);
    return rc != SP_OK ? cli_out_of_memory() : SP_OK;
}

/* Loads the test cases of the library and of every overlay that has its own. */
static int load_all_tests(const struct ops_rules *rules, struct scheme_tests **out,
                          struct error *err)
{
    int rc = scheme_tests_load(rules->lib, out, err);
    for (int i = 0; rc == SP_OK && rules->n_overlays > 0 && i < (*out)->n_cases; i++)
        (*out)->cases[i].unset_may_be_filled = 1;
    for (int i = 0; rc == SP_OK && i < rules->n_overlays; i++) {
        const struct overlay *o = rules->overlays[i];
        if (o->tests != NULL)
            rc = scheme_tests_load_node(rules->lib, o->doc, o->tests, *out, err);
    }
    return rc;
}

static int schemes_check(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"overlay", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *overlays[OPS_OVERLAYS_MAX];
    int n_overlays = 0, c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c != 'o')
            return cli_usage_error("schemes", "check takes only --overlay FILE");
        if (cli_add_overlay("schemes", "--overlay", overlays, &n_overlays, optarg) != SP_OK)
            return SP_USAGE;
    }
    if (argc - optind > 1)
        return cli_usage_error("schemes", "check takes at most one folder");
    const char *dir = optind < argc ? argv[optind] : cli->schemes_dir;
    struct error err;
    error_init(&err);
    struct ops_rules rules;
    if (ops_rules_load(dir, overlays, n_overlays, NULL, &rules, &err) != SP_OK)
        return cli_report(&err);
    const struct scheme_library *lib = rules.lib;
    struct scheme_tests *tests = NULL;
    int rc = load_all_tests(&rules, &tests, &err);
    if (rc != SP_OK) {
        scheme_tests_free(tests);
        ops_rules_release(&rules);
        return cli_report(&err);
    }
    int passed = 0, failed = 0;
    struct buf report;
    buf_init(&report, 64u << 20);
    rc = scheme_tests_run(tests, &passed, &failed, &report, &err);
    int untexted = 0; /* conditions without a text for people */
    if (rc == SP_OK)
        rc = scheme_library_check_texts(lib, &report, &untexted, &err);
    if (rc == SP_OK) {
        fputs(report.data, stdout);
        if (untexted > 0)
            printf("%d condition%s without a text\n", untexted, untexted == 1 ? "" : "s");
        printf("%s: %d schemes, %d parameters, %d test cases in %d files\n", dir, lib->n_schemes,
               param_set_count(lib->params), tests->n_cases, lib->n_test_files);
        for (int i = 0; i < rules.n_overlays; i++)
            printf("overlay %s (%s): %s\n", rules.overlays[i]->id, rules.overlays[i]->file,
                   rules.overlays[i]->title);
        printf("%d passed, %d failed\n", passed, failed);
    }
    buf_release(&report);
    scheme_tests_free(tests);
    ops_rules_release(&rules);
    if (rc != SP_OK)
        return cli_report(&err);
    return failed > 0 || untexted > 0 ? SP_BAD_INPUT : SP_OK;
}

int cmd_schemes(struct cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help();
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    if (strcmp(argv[1], "list") == 0)
        return schemes_list(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "check") == 0)
        return schemes_check(cli, argc - 1, argv + 1);
    return cli_usage_error("schemes", "unknown subcommand \"%s\": use list or check", argv[1]);
}
