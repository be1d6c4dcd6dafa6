/*
 * gen-population: writes a synthetic population (src/registry/population.h) as a CSV file that
 * `spfloor import persons` reads: a header of facts-vocabulary names, then one person a row.
 *
 *   gen-population --persons N [--seed S] [--country CC] [--out FILE]
 *
 * Each field is written by person_get_field, the one printer of person fields, so the file
 * reads back exactly as it was generated. There is no `id` column (the importer assigns worker
 * IDs). Money is in the person's own currency without a code ("25000.00" for NPR in Nepal),
 * lists are ';'-separated, and fields are quoted as RFC 4180 says when they hold a comma, a
 * quote or a line break. The last household may be cut short so that exactly N persons are
 * written.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "registry/population.h"

#define OUT_BUFFER  (1 << 20)
#define PERSONS_MAX 1000000000LL /* the generator's national IDs stay unique up to here */
#define FIELD_MAX   (PERSON_LIST_SIZE + PERSON_NAME_SIZE) /* longer than any field's text */
#define ROW_MAX     (20 * 2 * FIELD_MAX) /* a row, every field quoted and every byte doubled */

/* Buffered output: rows are assembled in buf and written in large blocks. */
struct out {
    FILE *file;
    char *buf;
    size_t len;
    int failed; /* 1 after a write error */
};

static void out_flush(struct out *o)
{
    if (o->len > 0 && fwrite(o->buf, 1, o->len, o->file) != o->len)
        o->failed = 1;
    o->len = 0;
}

static void out_bytes(struct out *o, const char *s, size_t n)
{
    memcpy(o->buf + o->len, s, n);
    o->len += n;
}

static void out_char(struct out *o, char c)
{
    o->buf[o->len++] = c;
}

/* A text field, quoted when it holds a comma, a quote or a line break. */
static void out_text(struct out *o, const char *s)
{
    size_t n = strlen(s);
    if (strpbrk(s, ",\"\r\n") == NULL) {
        out_bytes(o, s, n);
        return;
    }
    out_char(o, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            out_char(o, '"');
        out_char(o, s[i]);
    }
    out_char(o, '"');
}

/* The columns, in the order of the header: facts-vocabulary names. */
static const char *const columns[] = {
    "given_name",       "family_name",      "sex",
    "birth_date",       "national_id",      "phone",
    "country",          "admin1",           "admin2",
    "marital_status",   "disability_class", "groups",
    "worker_category",  "employer",         "monthly_wage",
    "employment_start", "memberships",      "household",
    "relationship",
};

/* One row: each field as person_get_field writes it (money in the person's own currency is
 * written without a code, which the importer reads in that currency). */
static void out_person(struct out *o, const struct person *p)
{
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        char text[FIELD_MAX];
        if (i > 0)
            out_char(o, ',');
        if (person_get_field(p, columns[i], text, sizeof text, NULL) == SP_OK)
            out_text(o, text);
    }
    out_char(o, '\n');
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: gen-population --persons N [--seed S] [--country CC] [--as-of DATE]\n"
            "                      [--out FILE]\n"
            "\n"
            "Writes N synthetic persons, in households, as CSV for `spfloor import persons`.\n"
            "The same seed always gives the same file; dates are relative to --as-of.\n"
            "\n"
            "  --persons N    how many persons (1 to %lld)\n"
            "  --seed S       random seed (default 1)\n"
            "  --country CC   only this country: NP, IN, BD, PK, ID, PH, KH or MN\n"
            "                 (default: a mix weighted roughly by population)\n"
            "  --as-of DATE   the day the population is described on (default 2025-01-01;\n"
            "                 `spfloor simulate --synthetic` describes it on its --as-of)\n"
            "  --out FILE     write here (default: standard output)\n"
            "  --help         this help\n",
            PERSONS_MAX);
}

static int parse_count(const char *text, long long lo, long long hi, long long *out)
{
    long long v;
    if (!text_parse_int64(text, &v) || v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"persons", required_argument, NULL, 'n'},
        {"seed", required_argument, NULL, 's'},
        {"country", required_argument, NULL, 'c'},
        {"out", required_argument, NULL, 'o'},
        {"as-of", required_argument, NULL, 'a'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct population_options opt;
    population_options_init(&opt);
    long long persons = -1;
    const char *out_path = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        long long v;
        switch (c) {
        case 'n':
            if (!parse_count(optarg, 1, PERSONS_MAX, &persons)) {
                fprintf(stderr,
                        "gen-population: --persons \"%s\": use a whole number from 1 "
                        "to %lld\n",
                        optarg, PERSONS_MAX);
                return SP_USAGE;
            }
            break;
        case 's':
            if (!parse_count(optarg, 0, INT64_MAX, &v)) {
                fprintf(stderr, "gen-population: --seed \"%s\": use a whole number >= 0\n", optarg);
                return SP_USAGE;
            }
            opt.seed = (uint64_t)v;
            break;
        case 'c':
            opt.country = optarg;
            break;
        case 'o':
            out_path = optarg;
            break;
        case 'a': {
            struct error err;
            error_init(&err);
            if (date_parse(optarg, &opt.reference_date, &err) != SP_OK) {
                fprintf(stderr, "gen-population: --as-of: %s\n", err.message);
                return SP_USAGE;
            }
            break;
        }
        case 'h':
            usage(stdout);
            return SP_OK;
        default:
            fprintf(stderr, "Try 'gen-population --help'.\n");
            return SP_USAGE;
        }
    }
    if (optind < argc) {
        fprintf(stderr,
                "gen-population: unexpected argument \"%s\"\nTry 'gen-population "
                "--help'.\n",
                argv[optind]);
        return SP_USAGE;
    }
    if (persons < 0) {
        fprintf(stderr, "gen-population: --persons N is required\nTry 'gen-population "
                        "--help'.\n");
        return SP_USAGE;
    }

    struct error err;
    error_init(&err);
    struct population g;
    if (population_init(&g, &opt, &err) != SP_OK) {
        fprintf(stderr, "gen-population: %s\n", err.message);
        return err.code == SP_BAD_INPUT ? SP_USAGE : err.code;
    }
    struct out o = {stdout, NULL, 0, 0};
    if (out_path != NULL) {
        o.file = fopen(out_path, "wb");
        if (o.file == NULL) {
            fprintf(stderr, "gen-population: cannot write %s: %s\n", out_path, strerror(errno));
            population_release(&g);
            return SP_IO;
        }
    }
    o.buf = sp_malloc(OUT_BUFFER);
    if (o.buf == NULL) {
        fprintf(stderr, "gen-population: out of memory\n");
        population_release(&g);
        if (out_path != NULL)
            fclose(o.file);
        return SP_IO;
    }
    for (size_t i = 0; i < sizeof columns / sizeof columns[0]; i++) {
        out_bytes(&o, columns[i], strlen(columns[i]));
        out_char(&o, i + 1 < sizeof columns / sizeof columns[0] ? ',' : '\n');
    }
    struct person household[POPULATION_HOUSEHOLD_MAX];
    long long written = 0;
    while (written < persons && !o.failed) {
        int n = population_next_household(&g, household, POPULATION_HOUSEHOLD_MAX, NULL);
        for (int i = 0; i < n && written < persons; i++, written++) {
            if (o.len + ROW_MAX > OUT_BUFFER)
                out_flush(&o);
            out_person(&o, &household[i]);
        }
    }
    out_flush(&o);
    sp_free(o.buf);
    population_release(&g);
    int failed = o.failed || ferror(o.file);
    if (out_path != NULL && fclose(o.file) != 0)
        failed = 1;
    else if (out_path == NULL && fflush(stdout) != 0)
        failed = 1;
    if (failed) {
        fprintf(stderr, "gen-population: writing %s failed: %s\n",
                out_path != NULL ? out_path : "standard output", strerror(errno));
        return SP_IO;
    }
    return SP_OK;
}
