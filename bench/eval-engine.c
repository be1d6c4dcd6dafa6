/*
 * eval-engine: the rules engine's side of bench/evaluate.
 *
 *   eval-engine [--persons N] [--threads T] [--as-of DATE] [--seed S] [--schemes DIR]
 *   eval-engine --rule np_senior|kh_nssf|ph_mat [--persons N] [--seed S] [--as-of DATE]
 *
 * The first form generates N synthetic persons (src/registry/population.h) in blocks of
 * EXPR_BLOCK, on T threads (each its own stream), copies each block's compact facts once
 * (rules/fact_block.h, timed as deciding) and decides every shipped scheme for every person on
 * one date (decide_block_facts). Nothing is kept beyond a block, so memory does not grow with N. It
 * prints persons/s, decisions/s (a decision is a (person, scheme) pair of the same country), the
 * time spent generating versus deciding, and peak memory.
 *
 * The second form runs one of the three rules of bench/baseline_pandas.py over exactly the
 * population `gen-population --seed S [--country CC]` writes (one stream, in order), with the
 * same made-up
 * contribution history for the Philippine maternity rule, and prints the same RESULT line as
 * the pandas script (persons, seconds of rule computation, eligible, total), so the two can
 * be compared for speed and checked for agreement.
 */
#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "base/alloc.h"
#include "base/date.h"
#include "registry/population.h"
#include "rules/decide.h"
#include "rules/fact_block.h"
#include "rules/scheme.h"

/* Persons generated per block: whole households, so at most EXPR_BLOCK. */
#define BLOCK_CAPACITY EXPR_BLOCK

struct options {
    long long persons;
    int threads;
    int32_t as_of;
    uint64_t seed;
    const char *schemes_dir;
    const char *rule;    /* NULL for the all-schemes run */
    const char *country; /* --country: one country's population instead of the mix */
    int repeat;          /* --repeat: runs of the one rule (the median is printed) */
};

/* One block of persons with their household histories. */
struct block {
    struct person persons[BLOCK_CAPACITY];
    const struct person *person_ptrs[BLOCK_CAPACITY];
    struct person_history histories[BLOCK_CAPACITY];
    const struct person_history *history_ptrs[BLOCK_CAPACITY];
    const struct person *members[BLOCK_CAPACITY];
    int n;
};

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static long peak_rss_mb(void)
{
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

/*
 * Fills the block with whole households and points each person's history at its household
 * members (the persons sharing its household id, which population_fill writes contiguously).
 */
static void block_fill(struct population *g, struct block *b)
{
    b->n = population_fill(g, b->persons, BLOCK_CAPACITY);
    int start = 0;
    for (int i = 0; i < b->n; i++) {
        b->person_ptrs[i] = &b->persons[i];
        b->members[i] = &b->persons[i];
        if (i + 1 == b->n || strcmp(b->persons[i + 1].household, b->persons[i].household) != 0) {
            for (int k = start; k <= i; k++) {
                memset(&b->histories[k], 0, sizeof b->histories[k]);
                b->histories[k].members = &b->members[start];
                b->histories[k].n_members = i - start + 1;
                b->history_ptrs[k] = &b->histories[k];
            }
            start = i + 1;
        }
    }
}

/* ---- the all-schemes run ---- */

struct worker {
    const struct options *opt;
    const struct scheme_library *lib;
    struct decide_bound **bound; /* one per scheme, shared read-only */
    int index;                   /* thread number */
    long long persons;           /* how many this thread generates */
    long long decided;           /* decisions of the scheme's country */
    long long eligible;
    double generate_seconds;
    double decide_seconds;
    struct error err;
};

static void *worker_run(void *arg)
{
    struct worker *w = arg;
    struct decide_scratch **scratch = NULL;
    struct fact_block *fb = NULL;
    uint8_t *status = NULL;
    int64_t *value = NULL;
    struct block *b = NULL;
    struct population g;
    memset(&g, 0, sizeof g);
    int n_schemes = w->lib->n_schemes;

    scratch = sp_calloc((size_t)n_schemes, sizeof *scratch);
    fb = sp_malloc(sizeof *fb);
    status = sp_calloc(BLOCK_CAPACITY, sizeof *status);
    value = sp_calloc(BLOCK_CAPACITY, sizeof *value);
    b = sp_malloc(sizeof *b);
    const struct person **picked = sp_calloc(BLOCK_CAPACITY, sizeof *picked);
    const struct person_history **picked_histories =
        sp_calloc(BLOCK_CAPACITY, sizeof *picked_histories);
    /* the schemes' countries, each once */
    char countries[64][3];
    int n_countries = 0;
    for (int s = 0; s < n_schemes; s++) {
        int seen = 0;
        for (int c = 0; c < n_countries && !seen; c++)
            seen = memcmp(countries[c], w->lib->schemes[s]->country, 2) == 0;
        if (!seen && n_countries == 64) {
            error_set(&w->err, SP_BAD_INPUT, "the library has more than 64 countries");
            goto out_free;
        }
        if (!seen)
            memcpy(countries[n_countries++], w->lib->schemes[s]->country, 3);
    }
    if (scratch == NULL || fb == NULL || status == NULL || value == NULL || b == NULL ||
        picked == NULL || picked_histories == NULL) {
        error_nomem(&w->err);
        goto out_free;
    }
    for (int s = 0; s < n_schemes; s++)
        if (decide_scratch_new(w->lib->schemes[s], &scratch[s], &w->err) != SP_OK)
            goto out_free;
    struct population_options po;
    population_options_init(&po);
    po.seed = w->opt->seed + (uint64_t)w->index * 0x9E3779B97F4A7C15ULL;
    if (population_init(&g, &po, &w->err) != SP_OK)
        goto out_free;

    long long done = 0;
    while (done < w->persons) {
        struct timespec t0;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        block_fill(&g, b);
        int n = b->n;
        if (done + n > w->persons)
            n = (int)(w->persons - done);
        w->generate_seconds += seconds_since(&t0);

        clock_gettime(CLOCK_MONOTONIC, &t0);
        /* each country's persons of the block, as ops/entitlements.c decides them: their
           compact facts copied once, then every scheme of their country */
        for (int c = 0; c < n_countries; c++) {
            int m = 0;
            for (int i = 0; i < n; i++) {
                if (memcmp(b->persons[i].country, countries[c], 2) != 0)
                    continue;
                picked[m] = b->person_ptrs[i];
                picked_histories[m++] = b->history_ptrs[i];
            }
            if (m == 0)
                continue;
            fact_block_fill(fb, picked, picked_histories, m);
            for (int s = 0; s < n_schemes; s++) {
                if (memcmp(w->lib->schemes[s]->country, countries[c], 2) != 0)
                    continue;
                if (decide_block_facts(w->bound[s], scratch[s], fb, status, value, NULL, &w->err) !=
                    SP_OK)
                    goto out_free;
                for (int i = 0; i < m; i++) {
                    w->decided += status[i] != DECISION_NOT_APPLICABLE;
                    w->eligible += status[i] == DECISION_ELIGIBLE;
                }
            }
        }
        w->decide_seconds += seconds_since(&t0);
        done += n;
    }

out_free:
    population_release(&g);
    if (scratch != NULL)
        for (int s = 0; s < n_schemes; s++)
            decide_scratch_free(scratch[s]);
    sp_free(scratch);
    sp_free(fb);
    sp_free(status);
    sp_free(value);
    sp_free(picked);
    sp_free(picked_histories);
    sp_free(b);
    return NULL;
}

static int run_all_schemes(const struct options *opt, const struct scheme_library *lib)
{
    int rc = SP_OK;
    struct error err;
    error_init(&err);
    struct decide_bound **bound = sp_calloc((size_t)lib->n_schemes, sizeof *bound);
    struct worker *workers = sp_calloc((size_t)opt->threads, sizeof *workers);
    pthread_t *threads = sp_calloc((size_t)opt->threads, sizeof *threads);
    if (bound == NULL || workers == NULL || threads == NULL) {
        rc = error_nomem(&err);
        goto out_free;
    }
    for (int s = 0; s < lib->n_schemes; s++)
        if ((rc = decide_bind(lib->schemes[s], opt->as_of, &bound[s], &err)) != SP_OK)
            goto out_free;

    char date[DATE_TEXT_SIZE];
    date_format(opt->as_of, date);
    printf("evaluate: %lld persons x %d schemes on %s, %d threads, blocks of %d\n", opt->persons,
           lib->n_schemes, date, opt->threads, EXPR_BLOCK);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (int t = 0; t < opt->threads; t++) {
        workers[t].opt = opt;
        workers[t].lib = lib;
        workers[t].bound = bound;
        workers[t].index = t;
        workers[t].persons = opt->persons / opt->threads + (t < opt->persons % opt->threads);
        error_init(&workers[t].err);
        pthread_create(&threads[t], NULL, worker_run, &workers[t]);
    }
    long long decided = 0, eligible = 0;
    double generate = 0, decide = 0;
    for (int t = 0; t < opt->threads; t++) {
        pthread_join(threads[t], NULL);
        if (workers[t].err.code != SP_OK && rc == SP_OK) {
            err = workers[t].err;
            rc = err.code;
        }
        decided += workers[t].decided;
        eligible += workers[t].eligible;
        generate += workers[t].generate_seconds;
        if (workers[t].decide_seconds > decide)
            decide = workers[t].decide_seconds;
    }
    double wall = seconds_since(&start);
    if (rc != SP_OK)
        goto out_free;
    double persons = (double)opt->persons;
    printf("  wall time (generating + deciding)  %8.2f s\n", wall);
    printf("  generating persons (all threads)   %8.2f s of thread time\n", generate);
    printf("  deciding (slowest thread)          %8.2f s\n", decide);
    printf("  persons/s (deciding)               %12.0f\n", persons / decide);
    printf("  decisions/s (deciding)             %12.0f  (%lld decisions, %lld eligible)\n",
           (double)decided / decide, decided, eligible);
    printf("  peak memory                        %8ld MB\n", peak_rss_mb());
    printf("RESULT evaluate persons=%lld schemes=%d threads=%d wall_s=%.2f decide_s=%.2f "
           "persons_per_s=%.0f decisions_per_s=%.0f decisions=%lld eligible=%lld peak_mb=%ld\n",
           opt->persons, lib->n_schemes, opt->threads, wall, decide, persons / decide,
           (double)decided / decide, decided, eligible, peak_rss_mb());

out_free:
    if (rc != SP_OK)
        fprintf(stderr, "eval-engine: %s\n", err.message);
    if (bound != NULL)
        for (int s = 0; s < lib->n_schemes; s++)
            decide_bound_free(bound[s]);
    sp_free(bound);
    sp_free(workers);
    sp_free(threads);
    return rc;
}

/* ---- one rule, against the pandas baseline ---- */

/* The three rules of bench/baseline_pandas.py: scheme, evaluation date, and whether the
 * Philippine maternity history is made up for each person. */
static const struct {
    const char *rule;
    const char *scheme;
    const char *fixed_date; /* NULL: the --as-of date */
    int maternity_history;
} rules[] = {
    {"np_senior", "np.ssa.senior_citizen", NULL, 0},
    {"kh_nssf", "kh.nssf.pension_contributions", NULL, 0},
    {"ph_mat", "ph.sss.maternity", "2025-08-10", 1},
};

#define PH_BIRTH       "2025-08-10"
#define PH_FIRST_MONTH "2024-04" /* the 12 months before the semester 2025-04 .. 2025-09 */
#define PH_MONTHS      12

/* Per-person made-up history for the maternity rule, as the pandas script builds it. */
struct maternity_history {
    struct contribution contributions[PH_MONTHS];
    struct life_event birth;
};

/*
 * Gives women of 18 to 45 in PH with a wage one contribution a month for PH_MONTHS months
 * from PH_FIRST_MONTH at MSC = clamp(wage rounded half up to 500, 5,000, 35,000), and a birth
 * on PH_BIRTH; everyone else keeps only their household.
 */
static void add_maternity_history(struct block *b, struct maternity_history *mh)
{
    struct error err;
    error_init(&err);
    int32_t birth, first;
    date_parse(PH_BIRTH, &birth, &err);
    month_parse(PH_FIRST_MONTH, &first, &err);
    for (int i = 0; i < b->n; i++) {
        const struct person *p = &b->persons[i];
        int age = p->birth_date == DATE_NONE ? -1 : date_age_years(p->birth_date, birth);
        if (strcmp(p->country, "PH") != 0 || p->sex != SEX_FEMALE || age < 18 || age > 45 ||
            strcmp(p->monthly_wage.currency, "PHP") != 0)
            continue;
        int64_t msc;
        money_round_to_unit(p->monthly_wage.minor, 50000, ROUND_HALF_UP, &msc, &err);
        msc = msc < 500000 ? 500000 : msc > 3500000 ? 3500000 : msc;
        for (int m = 0; m < PH_MONTHS; m++) {
            struct contribution *c = &mh[i].contributions[m];
            memset(c, 0, sizeof *c);
            snprintf(c->scheme, sizeof c->scheme, "ph.sss.contributions");
            c->month = first + m;
            c->wage.minor = msc;
            memcpy(c->wage.currency, "PHP", 4);
        }
        memset(&mh[i].birth, 0, sizeof mh[i].birth);
        mh[i].birth.type = EVENT_BIRTH;
        mh[i].birth.date = birth;
        b->histories[i].contributions = mh[i].contributions;
        b->histories[i].n_contributions = PH_MONTHS;
        b->histories[i].events = &mh[i].birth;
        b->histories[i].n_events = 1;
    }
}

static int compare_seconds(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int run_one_rule(const struct options *opt, const struct scheme_library *lib)
{
    int which = -1;
    for (size_t r = 0; r < sizeof rules / sizeof rules[0]; r++)
        if (strcmp(rules[r].rule, opt->rule) == 0)
            which = (int)r;
    if (which < 0) {
        fprintf(stderr, "eval-engine: unknown rule %s: use np_senior, kh_nssf or ph_mat\n",
                opt->rule);
        return SP_USAGE;
    }
    const struct scheme *scheme = scheme_library_find(lib, rules[which].scheme);
    if (scheme == NULL) {
        fprintf(stderr, "eval-engine: the library has no scheme %s\n", rules[which].scheme);
        return SP_BAD_INPUT;
    }
    int32_t as_of = opt->as_of;
    struct error err;
    error_init(&err);
    if (rules[which].fixed_date != NULL)
        date_parse(rules[which].fixed_date, &as_of, &err);

    int rc = SP_OK;
    struct decide_bound *bound = NULL;
    struct decide_scratch *scratch = NULL;
    struct block *b = sp_malloc(sizeof *b);
    struct maternity_history *mh = sp_calloc(BLOCK_CAPACITY, sizeof *mh);
    struct fact_block *fb = sp_malloc(sizeof *fb);
    uint8_t *status = sp_calloc(BLOCK_CAPACITY, sizeof *status);
    int64_t *value = sp_calloc(BLOCK_CAPACITY, sizeof *value);
    struct population g;
    memset(&g, 0, sizeof g);
    if (b == NULL || mh == NULL || fb == NULL || status == NULL || value == NULL) {
        rc = error_nomem(&err);
        goto out_free;
    }
    if ((rc = decide_bind(scheme, as_of, &bound, &err)) != SP_OK ||
        (rc = decide_scratch_new(scheme, &scratch, &err)) != SP_OK)
        goto out_free;
    double seconds[100];
    long long eligible = 0;
    __int128 total = 0;
    for (int run = 0; run < opt->repeat; run++) { /* the same persons each time */
        struct population_options po;
        population_options_init(&po);
        po.seed = opt->seed;
        po.country = opt->country;
        population_release(&g);
        if ((rc = population_init(&g, &po, &err)) != SP_OK)
            goto out_free;
        long long done = 0;
        double decide = 0;
        eligible = 0;
        total = 0;
        while (done < opt->persons) {
            block_fill(&g, b);
            int n = b->n;
            if (done + n > opt->persons)
                n = (int)(opt->persons - done);
            if (rules[which].maternity_history)
                add_maternity_history(b, mh);
            /* the compact columns, as pandas' typed columns: read before the rule, not timed */
            fact_block_fill(fb, b->person_ptrs, b->history_ptrs, n);
            struct timespec t0;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if ((rc = decide_block_facts(bound, scratch, fb, status, value, NULL, &err)) != SP_OK)
                goto out_free;
            decide += seconds_since(&t0);
            for (int i = 0; i < n; i++) {
                eligible += status[i] == DECISION_ELIGIBLE;
                total += value[i];
            }
            done += n;
        }
        seconds[run] = decide;
    }
    qsort(seconds, (size_t)opt->repeat, sizeof seconds[0], compare_seconds);
    long long whole = (long long)(total / 100), cents = (long long)(total % 100);
    printf("RESULT engine rule=%s persons=%lld seconds=%.4f min_s=%.4f max_s=%.4f runs=%d "
           "eligible=%lld total=%lld.%02lld currency=%s\n",
           opt->rule, opt->persons, seconds[(opt->repeat - 1) / 2], seconds[0],
           seconds[opt->repeat - 1], opt->repeat, eligible, whole, cents, scheme->currency);

out_free:
    if (rc != SP_OK)
        fprintf(stderr, "eval-engine: %s\n", err.message);
    population_release(&g);
    decide_bound_free(bound);
    decide_scratch_free(scratch);
    sp_free(b);
    sp_free(mh);
    sp_free(fb);
    sp_free(status);
    sp_free(value);
    return rc;
}

static void usage(FILE *out)
{
    fprintf(out, "Usage: eval-engine [--persons N] [--threads T] [--as-of DATE] [--seed S]\n"
                 "                   [--schemes DIR] [--rule np_senior|kh_nssf|ph_mat]\n"
                 "                   [--country CC] [--repeat N]\n"
                 "Decides every shipped scheme for N synthetic persons (default 10000000) on T\n"
                 "threads (default 2) and prints persons/s, decisions/s and peak memory; with\n"
                 "--rule, runs one rule of bench/baseline_pandas.py over gen-population's stream\n"
                 "(--repeat times: the median, minimum and maximum seconds are printed).\n");
}

static int parse_options(int argc, char **argv, struct options *opt)
{
    static const struct option long_options[] = {
        {"persons", required_argument, NULL, 'n'}, {"threads", required_argument, NULL, 't'},
        {"as-of", required_argument, NULL, 'a'},   {"seed", required_argument, NULL, 's'},
        {"schemes", required_argument, NULL, 'd'}, {"rule", required_argument, NULL, 'r'},
        {"country", required_argument, NULL, 'c'}, {"repeat", required_argument, NULL, 'p'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0},
    };
    struct error err;
    error_init(&err);
    opt->persons = 10000000;
    opt->threads = 2;
    opt->seed = 1;
    opt->schemes_dir = "schemes";
    opt->rule = NULL;
    opt->country = NULL;
    opt->repeat = 1;
    date_parse("2025-01-15", &opt->as_of, &err);
    int c;
    while ((c = getopt_long(argc, argv, "h", long_options, NULL)) != -1) {
        char *end = NULL;
        switch (c) {
        case 'n':
            opt->persons = strtoll(optarg, &end, 10);
            break;
        case 't':
            opt->threads = (int)strtol(optarg, &end, 10);
            break;
        case 's':
            opt->seed = strtoull(optarg, &end, 10);
            break;
        case 'a':
            if (date_parse(optarg, &opt->as_of, &err) != SP_OK) {
                fprintf(stderr, "eval-engine: --as-of: %s\n", err.message);
                return SP_USAGE;
            }
            break;
        case 'd':
            opt->schemes_dir = optarg;
            break;
        case 'r':
            opt->rule = optarg;
            break;
        case 'c':
            opt->country = optarg;
            break;
        case 'p':
            opt->repeat = (int)strtol(optarg, &end, 10);
            break;
        case 'h':
            usage(stdout);
            exit(0);
        default:
            usage(stderr);
            return SP_USAGE;
        }
        if (end != NULL && *end != '\0') {
            fprintf(stderr, "eval-engine: \"%s\" is not a number\n", optarg);
            return SP_USAGE;
        }
    }
    if (opt->persons < 1 || opt->threads < 1 || opt->threads > 64 || opt->repeat < 1 ||
        opt->repeat > 100) {
        fprintf(stderr, "eval-engine: --persons must be >= 1, --threads 1 to 64 and --repeat 1 "
                        "to 100\n");
        return SP_USAGE;
    }
    return SP_OK;
}

int main(int argc, char **argv)
{
    struct options opt;
    int rc = parse_options(argc, argv, &opt);
    if (rc != SP_OK)
        return rc;
    struct scheme_library *lib = NULL;
    struct error err;
    error_init(&err);
    if ((rc = scheme_library_load(opt.schemes_dir, &lib, &err)) != SP_OK) {
        fprintf(stderr, "eval-engine: %s\n", err.message);
        return rc;
    }
    rc = opt.rule ? run_one_rule(&opt, lib) : run_all_schemes(&opt, lib);
    scheme_library_free(lib);
    return rc;
}
