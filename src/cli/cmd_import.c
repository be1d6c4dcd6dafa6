/*
 * cmd_import.c: `spfloor import persons FILE.csv [--rejects FILE] [--skip-bad] [--batch N]
 * [--calendar ad|bs]`.
 *
 * The work is import_persons_csv (ops/import.h); this file parses the options, shows a
 * progress line on a terminal and prints the summary.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/import.h"
#include "store/store.h"

#define PROGRESS_EVERY_MS 200

static void print_usage(FILE *out)
{
    fprintf(out,
            "Usage: spfloor import persons FILE.csv [--rejects FILE] [--skip-bad] [--batch N]\n"
            "                                     [--calendar ad|bs]\n"
            "\n"
            "Imports persons from a CSV file whose first row names the columns with the facts\n"
            "vocabulary (docs/import.md). The whole file is checked first: if any row is bad,\n"
            "nothing is written. Running the same import again resumes it: rows already\n"
            "imported are recognised and skipped.\n"
            "\n"
            "Options:\n"
            "  --rejects FILE  where to list bad rows (default FILE.rejects.csv next to the\n"
            "                  input, written only when there are bad rows, and whole: an\n"
            "                  older one is replaced only by a complete list); the input\n"
            "                  itself or a symbolic link is refused\n"
            "  --skip-bad      import the good rows and only list the bad ones\n"
            "  --batch N       rows committed per transaction (default %d): a kill loses\n"
            "                  at most the batch in progress\n"
            "  --calendar bs   read dates without a suffix as Bikram Sambat (default ad,\n"
            "                  Gregorian); a field \"2014-11-18 BS\" is Bikram Sambat either\n"
            "                  way. Birth dates in Nepal from the year 2000 on read as\n"
            "                  Gregorian are imported with a warning (docs/calendars.md)\n"
            "  --help          this help\n"
            "\n"
            "Exit codes: 0 imported, 1 usage, 2 bad rows (nothing written), 3 conflict with a\n"
            "concurrent writer, 4 storage or I/O.\n",
            IMPORT_BATCH_DEFAULT);
}

/* State of the progress line on stderr. */
struct progress_line {
    int shown;       /* 1 once a line has been drawn (so it must be cleared) */
    int64_t last_ms; /* when it was last drawn */
};

static void show_progress(void *ctx, const struct import_progress *p)
{
    struct progress_line *line = ctx;
    if (line->shown && p->elapsed_ms - line->last_ms < PROGRESS_EVERY_MS)
        return;
    line->shown = 1;
    line->last_ms = p->elapsed_ms;
    if (p->phase == IMPORT_VALIDATING)
        fprintf(stderr, "\r\033[Kvalidated %lld rows", (long long)p->rows);
    else
        fprintf(stderr, "\r\033[Kwriting %lld / %lld (%lld s)", (long long)p->rows,
                (long long)p->total, (long long)(p->elapsed_ms / 1000));
    fflush(stderr);
}

/* The default rejects path: FILE.csv -> FILE.rejects.csv, other names get ".rejects.csv". */
static int default_rejects_path(const char *input, struct buf *out, struct error *err)
{
    size_t n = strlen(input);
    if (n > 4 && strcasecmp(input + n - 4, ".csv") == 0)
        n -= 4;
    int rc = buf_append(out, input, n, err);
    return rc == SP_OK ? buf_puts(out, ".rejects.csv", err) : rc;
}

static void print_summary(const char *path, const struct import_summary *sum, const char *rejects)
{
    int64_t ms = sum->elapsed_ms > 0 ? sum->elapsed_ms : 1;
    long long rate = (long long)(sum->rows_read * 1000 / ms);
    printf("%s: rows %lld, imported %lld, already present %lld, rejected %lld", path,
           (long long)sum->rows_read, (long long)sum->imported, (long long)sum->already_present,
           (long long)sum->rejected);
    if (sum->rejects_written)
        printf(" (listed in %s)", rejects);
    printf(", %lld.%01lld s, %lld rows/s\n", (long long)(sum->elapsed_ms / 1000),
           (long long)(sum->elapsed_ms % 1000 / 100), rate);
}

/* Parses --batch's value. */
static int parse_batch(const char *text, int64_t *out)
{
    long long v;
    if (!text_parse_int64(text, &v) || v < 1 || v > IMPORT_BATCH_MAX)
        return cli_usage_error("import", "--batch takes a number of rows from 1 to %d, not \"%s\"",
                               IMPORT_BATCH_MAX, text);
    *out = v;
    return SP_OK;
}

int cmd_import(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "contributions") == 0)
        return cli_import_contributions(cli, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv)) {
        print_usage(stdout);
        return SP_OK;
    }
    static const struct option options[] = {
        {"rejects", required_argument, NULL, 'r'}, {"skip-bad", no_argument, NULL, 's'},
        {"batch", required_argument, NULL, 'b'},   {"calendar", required_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    struct import_options opt;
    import_options_init(&opt);
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (c) {
        case 'r':
            opt.rejects_path = optarg;
            break;
        case 's':
            opt.skip_bad = 1;
            break;
        case 'b':
            if (parse_batch(optarg, &opt.batch) != SP_OK)
                return SP_USAGE;
            break;
        case 'C':
            if (cli_calendar_option("import", optarg, &opt.calendar) != SP_OK)
                return SP_USAGE;
            break;
        case ':':
            return cli_usage_error("import", "%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("import", "unknown option %s", argv[optind - 1]);
        }
    }
    if (argc - optind != 2)
        return cli_usage_error("import", "expected: import persons FILE.csv");
    if (strcmp(argv[optind], "persons") != 0)
        return cli_usage_error("import", "can import \"persons\" or \"contributions\", not \"%s\"",
                               argv[optind]);
    const char *path = argv[optind + 1];
    opt.today = cli_today(cli);

    struct error err;
    error_init(&err);
    struct buf rejects;
    buf_init(&rejects, 4096 + 16);
    if (opt.rejects_path == NULL) {
        if (default_rejects_path(path, &rejects, &err) != SP_OK) {
            buf_release(&rejects);
            return cli_report(&err);
        }
        opt.rejects_path = rejects.data;
    }
    struct progress_line line = {0, 0};
    if (!cli->quiet && isatty(STDERR_FILENO)) {
        opt.progress = show_progress;
        opt.progress_ctx = &line;
    }

    struct store *store = NULL;
    int rc = cli_open_store(cli, STORE_READ_WRITE, &store);
    if (rc != SP_OK) {
        buf_release(&rejects);
        return rc;
    }
    struct import_summary sum;
    rc = import_persons_csv(store, path, &opt, &sum, &err);
    store_close(store);
    if (line.shown)
        fputs("\r\033[K", stderr);
    if (rc != SP_USAGE) /* a refused --rejects: nothing was read */
        print_summary(path, &sum, opt.rejects_path);
    if (cli_output_check(&err) != SP_OK && rc == SP_OK) /* before any message on stderr */
        rc = SP_IO;
    if (sum.maybe_bs > 0)
        fprintf(stderr,
                "spfloor: warning: %lld row%s (the first: row %lld) hold%s a birth date in Nepal "
                "from the year 2000 on without a calendar, read as Gregorian; if %s Bikram "
                "Sambat, write \"YYYY-MM-DD BS\" or import with --calendar bs\n",
                (long long)sum.maybe_bs, sum.maybe_bs == 1 ? "" : "s",
                (long long)sum.first_maybe_bs_row, sum.maybe_bs == 1 ? "s" : "",
                sum.maybe_bs == 1 ? "it is" : "they are");
    if (rc != SP_OK) {
        cli_report(&err);
        if (sum.to_import > 0)
            fprintf(stderr,
                    "spfloor: committed %lld of %lld row%s; run the same command again to "
                    "resume\n",
                    (long long)sum.imported, (long long)sum.to_import,
                    sum.to_import == 1 ? "" : "s");
        if (rc == SP_BAD_INPUT && sum.rejects_written)
            fprintf(stderr,
                    "spfloor: %lld bad row%s, nothing was imported; every bad row is "
                    "listed in %s\n",
                    (long long)sum.rejected, sum.rejected == 1 ? "" : "s", opt.rejects_path);
    }
    buf_release(&rejects);
    return rc;
}
