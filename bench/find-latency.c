/*
 * find-latency: the spfloor side of bench/registry's search benchmark.
 *
 *   find-latency --db FILE --queries FILE [--limit N]
 *
 * Opens the registry once (read-only) and runs each line of the queries file through
 * store_person_find (what `spfloor find TEXT --limit N` runs, without the process start),
 * timing each with CLOCK_MONOTONIC. Prints one line:
 *   queries=Q median_ms=... p99_ms=... max_ms=... rows=R empty=E
 * where rows is the total of persons returned and empty the queries that found nobody. With
 * FIND_LATENCY_SLOW_MS=T in the environment, each query taking T ms or more is printed on
 * stderr.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "store/store.h"

#define QUERY_MAX 256

static int count_row(void *ctx, const struct person *p)
{
    (void)p;
    (*(long long *)ctx)++;
    return 0;
}

static int by_value(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"queries", required_argument, NULL, 'q'},
        {"limit", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *queries = NULL;
    int limit = 20, c;
    const char *slow = getenv("FIND_LATENCY_SLOW_MS"); /* print queries at least this slow */
    double slow_ms = slow != NULL ? strtod(slow, NULL) : 0.0;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c == 'd')
            db = optarg;
        else if (c == 'q')
            queries = optarg;
        else if (c == 'l')
            limit = (int)strtol(optarg, NULL, 10);
        else
            return 1;
    }
    if (db == NULL || queries == NULL || limit < 1) {
        fprintf(stderr, "usage: find-latency --db FILE --queries FILE [--limit N]\n");
        return 1;
    }
    FILE *in = fopen(queries, "r");
    if (in == NULL) {
        perror(queries);
        return 1;
    }
    struct store *s = NULL;
    struct error err;
    error_init(&err);
    if (store_open(db, STORE_READ_ONLY, &s, &err) != SP_OK) {
        fprintf(stderr, "find-latency: %s\n", err.message);
        return 1;
    }
    size_t n = 0, cap = 1024;
    double *ms = sp_malloc(cap * sizeof *ms);
    char line[QUERY_MAX];
    long long rows = 0, empty = 0;
    while (ms != NULL && fgets(line, sizeof line, in) != NULL) {
        line[strcspn(line, "\n")] = '\0';
        if (line[0] == '\0')
            continue;
        if (n == cap) {
            double *grown = sp_realloc(ms, 2 * cap * sizeof *ms);
            if (grown == NULL)
                break;
            ms = grown;
            cap *= 2;
        }
        long long found = 0;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        int rc = store_person_find(s, line, NULL, limit, 0, count_row, &found, &err);
        clock_gettime(CLOCK_MONOTONIC, &t1);
        if (rc != SP_OK) {
            fprintf(stderr, "find-latency: \"%s\": %s\n", line, err.message);
            return 1;
        }
        if (slow_ms > 0) {
            double took =
                (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
            if (took >= slow_ms)
                fprintf(stderr, "slow: %.1f ms, %lld rows: %s\n", took, found, line);
        }
        rows += found;
        empty += found == 0;
        ms[n++] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    }
    fclose(in);
    store_close(s);
    if (ms == NULL || n == 0) {
        fprintf(stderr, "find-latency: no queries\n");
        return 1;
    }
    qsort(ms, n, sizeof *ms, by_value);
    size_t p99 = (n * 99 + 99) / 100;
    printf("queries=%zu median_ms=%.3f p99_ms=%.3f max_ms=%.3f rows=%lld empty=%lld\n", n,
           ms[n / 2], ms[(p99 > 0 ? p99 : 1) - 1], ms[n - 1], rows, empty);
    sp_free(ms);
    return 0;
}
