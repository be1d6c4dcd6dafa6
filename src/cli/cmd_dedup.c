/*
 * cmd_dedup.c: `spfloor dedup scan`: the pairs of registered persons that are likely the same
 * person under another spelling, script, name order or district (ops/dedup_scan.h).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/dedup_scan.h"
#include "registry/dedup.h"
#include "store/store.h"

#define FIELDS_TEXT 200

static void print_help(FILE *out)
{
    fprintf(out, "Usage: spfloor [--db FILE] dedup scan [--threshold T] [--country CC] [--json]\n"
                 "\n"
                 "Lists the pairs of registered persons that are likely one person registered\n"
                 "twice: under another spelling (Seeta, Sita), in another script (सीता शर्मा,\n"
                 "Sita Sharma), with the names swapped, with a typo, or in another district.\n"
                 "Each line gives the score (0 to 1), the two worker IDs, their names in one\n"
                 "Latin spelling, and the fields that agree and that differ. Best first.\n"
                 "\n"
                 "How: names are transliterated to one Latin form (ICU) and folded to a\n"
                 "skeleton (Sharma, Sarma and शर्मा meet); only persons sharing a blocking key\n"
                 "(both names and the birth year; one name, the birth year and the district;\n"
                 "both names and the district; the phone; initials and the birth date) are\n"
                 "compared, and each pair is scored by Jaro-Winkler similarity of the names\n"
                 "(0.55), the birth date (0.25), the area (0.10) and sex (0.10); the same phone\n"
                 "adds 0.10, two different national IDs take 0.30 off.\n"
                 "Left out: records marked merged or deceased, and pairs a clerk has reviewed\n"
                 "(person add --not-duplicate-of). Resolve a pair with\n"
                 "`spfloor person merge ID --into ID --reason TEXT`.\n"
                 "\n"
                 "Options:\n"
                 "  --threshold T  report pairs scoring T or more (default 0.90; 0 to 1)\n"
                 "  --country CC   only persons living in this country\n"
                 "  --json         print a JSON array of pairs\n"
                 "  --help         this help\n"
                 "\n"
                 "A summary goes to stderr (unless --quiet): persons read, pairs compared and\n"
                 "the share of all pairs that blocking kept, pairs per second.\n"
                 "\n"
                 "Examples:\n"
                 "  spfloor dedup scan\n"
                 "  spfloor dedup scan --threshold 0.85 --country NP --json > pairs.json\n");
}

/* A pair to print: the scan's pair and the two names in Latin form (the records go when the
 * scan ends). */
struct entry {
    struct dedup_found f;
    char names[2][2 * DEDUP_NAME_SIZE + 2];
};

struct collected {
    struct entry *pairs;
    size_t n, cap;
    int tty;
};

static int keep_pair(void *ctx, const struct dedup_found *f)
{
    struct collected *c = ctx;
    if (c->n == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        struct entry *pairs = sp_reallocarray(c->pairs, cap, sizeof *pairs);
        if (pairs == NULL)
            return SP_IO;
        c->pairs = pairs;
        c->cap = cap;
    }
    struct entry *e = &c->pairs[c->n++];
    e->f = *f;
    snprintf(e->names[0], sizeof e->names[0], "%s %s", f->ra->given, f->ra->family);
    snprintf(e->names[1], sizeof e->names[1], "%s %s", f->rb->given, f->rb->family);
    e->f.ra = e->f.rb = NULL;
    return 0;
}

static int by_score(const void *x, const void *y)
{
    const struct dedup_found *a = &((const struct entry *)x)->f, *b = &((const struct entry *)y)->f;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    int c = strcmp(a->a, b->a);
    return c != 0 ? c : strcmp(a->b, b->b);
}

static void show_progress(void *ctx, int64_t read, double compared)
{
    struct collected *c = ctx;
    if (!c->tty)
        return;
    if (compared <= 0.0)
        fprintf(stderr, "\rdedup: %lld persons read", (long long)read);
    else
        fprintf(stderr, "\rdedup: %lld persons read, %3.0f%% of the blocks compared",
                (long long)read, 100.0 * compared);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static json_t *fields_json(unsigned mask)
{
    json_t *a = json_array();
    for (unsigned bit = 1; a != NULL && bit <= DEDUP_SWAPPED; bit <<= 1)
        if (mask & bit)
            json_array_append_new(a, json_string(dedup_field_name((enum dedup_field)bit)));
    return a;
}

static int print_pairs(const struct collected *c, int as_json)
{
    if (!as_json) {
        char agree[FIELDS_TEXT], differ[FIELDS_TEXT];
        for (size_t i = 0; i < c->n; i++) {
            const struct dedup_found *f = &c->pairs[i].f;
            dedup_fields_text(f->agree, agree, sizeof agree);
            dedup_fields_text(f->differ, differ, sizeof differ);
            printf("%.2f  %s  %s  (%s / %s)  same: %s  different: %s\n", f->score, f->a, f->b,
                   c->pairs[i].names[0], c->pairs[i].names[1], agree, differ);
        }
        return SP_OK;
    }
    json_t *all = json_array();
    for (size_t i = 0; all != NULL && i < c->n; i++) {
        const struct dedup_found *f = &c->pairs[i].f;
        json_t *o = json_pack("{s:s, s:s, s:f, s:s, s:s, s:o, s:o}", "a", f->a, "b", f->b, "score",
                              (double)(int)(f->score * 1000.0 + 0.5) / 1000.0, "a_name",
                              c->pairs[i].names[0], "b_name", c->pairs[i].names[1], "same",
                              fields_json(f->agree), "different", fields_json(f->differ));
        if (o == NULL || json_array_append_new(all, o) != 0) {
            json_decref(all);
            return cli_out_of_memory();
        }
    }
    char *text = all ? json_dumps(all, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
    json_decref(all);
    if (text == NULL)
        return cli_out_of_memory();
    printf("%s\n", text);
    free(text);
    return SP_OK;
}

static int dedup_scan_command(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"threshold", required_argument, NULL, 't'},
        {"country", required_argument, NULL, 'c'},
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    double threshold = DEDUP_THRESHOLD;
    const char *country = NULL;
    int as_json = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help(stdout);
            return SP_OK;
        case 't': {
            char *end = NULL;
            threshold = strtod(optarg, &end);
            if (end == optarg || *end != '\0' || !(threshold >= 0.0 && threshold <= 1.0))
                return cli_usage_error("dedup scan",
                                       "--threshold takes a score from 0 to 1, not \"%s\"", optarg);
            break;
        }
        case 'c':
            country = optarg;
            break;
        case 'j':
            as_json = 1;
            break;
        default:
            return cli_usage_error("dedup scan", "unknown option");
        }
    }
    if (optind < argc)
        return cli_usage_error("dedup scan", "unexpected argument \"%s\"", argv[optind]);
    char code[3] = "";
    if (country != NULL && cli_country_option("dedup scan", country, code) != SP_OK)
        return SP_USAGE;
    struct store *s = NULL;
    int rc = cli_open_existing_store(cli, &s);
    if (rc != SP_OK)
        return rc;
    struct collected found = {NULL, 0, 0, !cli->quiet && isatty(STDERR_FILENO)};
    struct dedup_scan_options o = {threshold, country ? code : NULL, show_progress, &found};
    struct dedup_stats stats;
    struct error err;
    error_init(&err);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    rc = dedup_scan_registry(s, &o, keep_pair, &stats, &err);
    double took = seconds_since(&t0);
    store_close(s);
    if (found.tty)
        fprintf(stderr, "\n");
    if (rc != SP_OK) {
        sp_free(found.pairs);
        if (err.code == SP_OK)
            error_nomem(&err);
        return cli_report(&err);
    }
    if (found.n > 1) /* qsort of NULL is undefined, even for no elements */
        qsort(found.pairs, found.n, sizeof *found.pairs, by_score);
    rc = print_pairs(&found, as_json);
    if (!cli->quiet) {
        double all = (double)stats.records * (double)(stats.records - 1) / 2.0;
        fprintf(stderr,
                "spfloor: dedup scan: %lld persons, %lld pairs compared of %.0f (blocking kept "
                "%.6f%%), %zu likely duplicates at %.2f, %.2f s, %.0f pairs/s\n",
                (long long)stats.records, (long long)stats.compared, all,
                all > 0 ? 100.0 * (double)stats.compared / all : 0.0, found.n, threshold, took,
                took > 0 ? (double)stats.compared / took : 0.0);
    }
    sp_free(found.pairs);
    return rc;
}

int cmd_dedup(struct cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    optind = 0; /* reinitialise getopt: permute options, as for any command */
    if (strcmp(argv[1], "scan") == 0)
        return dedup_scan_command(cli, argc - 1, argv + 1);
    return cli_usage_error("dedup", "unknown subcommand \"%s\" (there is: scan)", argv[1]);
}
