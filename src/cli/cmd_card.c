/*
 * cmd_card.c: `spfloor card ID [--out FILE.svg]`: a registered worker's card as SVG.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/ids.h"
#include "cli/cli.h"
#include "ops/persons.h"
#include "registry/card.h"
#include "store/store.h"

static void print_usage(FILE *out)
{
    fprintf(out, "Usage: spfloor card ID [--out FILE.svg]\n"
                 "\n"
                 "Writes the printable card of the worker with this ID (85.6 x 54 mm, with the\n"
                 "name, the worker ID, the country, the birth date and a QR code of the ID) as\n"
                 "SVG. The ID may be written with spaces or dashes (\"0000 0000 0017\").\n"
                 "\n"
                 "Options:\n"
                 "  --out FILE   where to write the SVG (default: standard output); a FILE that\n"
                 "               exists is replaced only once the new card is whole on disk, and\n"
                 "               a symbolic link is refused\n"
                 "  --help       this help\n");
}

int cmd_card(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_usage(stdout);
        return SP_OK;
    }
    static const struct option options[] = {
        {"out", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *out_path = NULL;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":ho:", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            out_path = optarg;
            break;
        case ':':
            return cli_usage_error("card", "%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("card", "unknown option %s", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("card", "expected: card ID [--out FILE.svg]");

    struct error err;
    error_init(&err);
    char id[WORKER_ID_SIZE];
    if (worker_id_parse(argv[optind], id, &err) != SP_OK)
        return cli_report(&err);
    struct store *store = NULL;
    int rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    struct person p;
    rc = persons_get(store, id, &p, &err);
    rc = cli_close_store(store, rc, &err);
    if (rc != SP_OK)
        return rc;
    struct buf svg;
    buf_init(&svg, CARD_SVG_MAX);
    rc = card_write_svg(&p, &svg, &err);
    int to_file = out_path != NULL && strcmp(out_path, "-") != 0;
    if (rc == SP_OK)
        rc = cli_output_document(to_file ? out_path : NULL, svg.data, svg.len, &err);
    if (rc == SP_OK && to_file && !cli->quiet) {
        char grouped[CARD_ID_TEXT_SIZE];
        card_group_id(p.id, grouped, sizeof grouped);
        printf("%s: card of worker %s\n", out_path, grouped);
    }
    buf_release(&svg);
    return rc == SP_OK ? SP_OK : cli_report(&err);
}
