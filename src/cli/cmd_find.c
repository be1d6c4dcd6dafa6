/*
 * cmd_find.c: `spfloor find TEXT`: search the registry by name in any script, transliteration,
 * national ID, worker ID (as the card prints it too) or phone, ranked, a page at a time.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/text.h"
#include "cli/cli.h"
#include "registry/person_json.h"
#include "store/store.h"

#define FIND_LIMIT_DEFAULT 20
#define FIND_LIMIT_MAX     10000
#define FIND_TEXT_MAX      128
#define FIND_OFFSET_MAX    1000000

static void print_help(FILE *out)
{
    fprintf(out, "Usage: spfloor [--db FILE] find [TEXT] [--country CC] [--limit N] [--offset N]\n"
                 "                            [--json]\n"
                 "\n"
                 "Lists the registered persons found by TEXT, best first, from a text index:\n"
                 "  - a worker ID, as 12 digits or as the card prints it (0000 0000 0019);\n"
                 "  - names in any script, matched through one Latin spelling: \"Sita Sharma\"\n"
                 "    finds \"सीता शर्मा\", \"Seeta\" finds \"Sita\", \"Budah\" finds \"Buddha\";\n"
                 "    every word must match part of the given or family name (either order);\n"
                 "  - a phone number, national ID or part of one, separators (- . / blanks)\n"
                 "    aside.\n"
                 "Names that hold TEXT as written come first, then the other matches, each in\n"
                 "worker ID order. Without TEXT it lists everyone, in worker ID order.\n"
                 "\n"
                 "Options:\n"
                 "  --country CC   only persons living in this country (ISO 3166-1 alpha-2)\n"
                 "  --limit N      at most N persons (default 20, at most 10000)\n"
                 "  --offset N     skip the first N (the next page: --offset 20 with the\n"
                 "                 default limit)\n"
                 "  --json         print a JSON array of persons (facts vocabulary names)\n"
                 "  --help         this help\n"
                 "\n"
                 "Examples:\n"
                 "  spfloor find Sita Sharma --country NP\n"
                 "  spfloor find सीता --limit 50 --offset 50\n"
                 "  spfloor find 0000 0000 0019 --json\n"
                 "  spfloor find 9841-000001\n");
}

struct found {
    int as_json;
    json_t *array; /* --json: the persons so far */
    int count;
};

static int print_row(void *ctx, const struct person *p)
{
    struct found *f = ctx;
    f->count++;
    if (f->as_json) {
        json_t *obj = person_to_json(p);
        if (obj == NULL || json_array_append_new(f->array, obj) != 0)
            return SP_IO;
        return 0;
    }
    char born[DATE_TEXT_SIZE] = "";
    if (p->birth_date != DATE_NONE)
        date_format(p->birth_date, born);
    printf("%s  %s %s  %s  %s  %s", p->id, p->given_name, p->family_name,
           person_enum_name("sex", p->sex), born, p->country);
    if (p->admin1[0])
        printf(" / %s", p->admin1);
    if (p->admin2[0])
        printf(" / %s", p->admin2);
    if (p->national_id[0])
        printf("  national ID %s", p->national_id);
    printf("\n");
    return 0;
}

/* Parses a number from low to high; -1 if the text is not one. */
static int parse_count(const char *text, int low, int high)
{
    long long n;
    if (!text_parse_int64(text, &n) || n < low || n > high)
        return -1;
    return (int)n;
}

int cmd_find(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"country", required_argument, NULL, 'c'}, {"limit", required_argument, NULL, 'l'},
        {"offset", required_argument, NULL, 'o'},  {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    const char *country = NULL;
    int limit = FIND_LIMIT_DEFAULT, offset = 0;
    struct found found = {0, NULL, 0};
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help(stdout);
            return SP_OK;
        case 'c':
            country = optarg;
            break;
        case 'l':
            limit = parse_count(optarg, 1, FIND_LIMIT_MAX);
            if (limit < 0)
                return cli_usage_error("find", "--limit takes a number from 1 to %d, not \"%s\"",
                                       FIND_LIMIT_MAX, optarg);
            break;
        case 'o':
            offset = parse_count(optarg, 0, FIND_OFFSET_MAX);
            if (offset < 0)
                return cli_usage_error("find", "--offset takes a number from 0 to %d, not \"%s\"",
                                       FIND_OFFSET_MAX, optarg);
            break;
        case 'j':
            found.as_json = 1;
            break;
        default:
            return cli_usage_error("find", "unknown option");
        }
    }
    char code[3] = "";
    if (country != NULL && cli_country_option("find", country, code) != SP_OK)
        return SP_USAGE;
    /* the words of TEXT, joined by spaces, so that `find Sita Sharma` needs no quotes */
    char text[FIND_TEXT_MAX + 1] = "";
    size_t len = 0;
    for (int i = optind; i < argc; i++) {
        size_t n = strlen(argv[i]);
        if (len + n + 1 > FIND_TEXT_MAX)
            return cli_usage_error("find", "the search text is too long (at most %d bytes)",
                                   FIND_TEXT_MAX);
        if (len > 0)
            text[len++] = ' ';
        memcpy(text + len, argv[i], n + 1);
        len += n;
    }

    struct store *s = NULL;
    int rc = cli_open_existing_store(cli, &s);
    if (rc != SP_OK)
        return rc;
    if (found.as_json) {
        found.array = json_array();
        if (found.array == NULL) {
            store_close(s);
            return cli_out_of_memory();
        }
    }
    struct error err;
    error_init(&err);
    rc = store_person_find(s, text, country ? code : NULL, limit, offset, print_row, &found, &err);
    store_close(s);
    if (rc != SP_OK) {
        json_decref(found.array);
        if (err.code == SP_OK)
            error_nomem(&err);
        return cli_report(&err);
    }
    if (found.as_json) {
        char *out = json_dumps(found.array, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
        json_decref(found.array);
        if (out == NULL) {
            return cli_out_of_memory();
        }
        printf("%s\n", out);
        free(out);
    } else if (found.count == 0 && offset > 0) {
        fprintf(stderr, "spfloor: no more persons match \"%s\" after the first %d\n", text, offset);
    } else if (found.count == 0) {
        fprintf(stderr, "spfloor: no one registered matches \"%s\"\n", text);
    }
    return SP_OK;
}
