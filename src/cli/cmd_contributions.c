/*
 * cmd_contributions.c: the contributions ledger (docs/contributions.md):
 *   spfloor import contributions FILE.csv [--batch N] [--accept-differences] [--by NAME]
 *   spfloor contributions PERSON [--as-of DATE] [--json]
 *   spfloor contributions reverse PERSON ENTRY --reason TEXT [--by NAME]
 *
 * The work is ops/contributions.h's; this file parses the options and prints.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ledger/ledger.h"
#include "ops/contributions.h"
#include "ops/records_json.h"
#include "ops/rules.h"
#include "store/store.h"

static void print_help(void)
{
    printf("Usage: spfloor contributions PERSON [--as-of DATE] [--json]\n"
           "       spfloor contributions reverse PERSON ENTRY --reason TEXT [--by NAME]\n"
           "       spfloor import contributions FILE.csv [--batch N] [--accept-differences]\n"
           "                                    [--by NAME]\n"
           "\n"
           "The contributions ledger (docs/contributions.md).\n"
           "\n"
           "  contributions PERSON   the person's entries (wage base booked, the employee,\n"
           "                         employer and state parts, what was paid and when, how\n"
           "                         late), the totals per scheme, and for each scheme with a\n"
           "                         qualifying period whether the ledger meets it on --as-of\n"
           "                         (default today), and why\n"
           "  contributions reverse  books the entry that cancels ENTRY (the ledger is never\n"
           "                         changed in place); import the corrected row after it\n"
           "  import contributions   books a CSV file with the columns person, scheme, month\n"
           "                         (YYYY-MM), wage (or declared_income for the self-employed),\n"
           "                         and optionally employer, paid and paid_on. Every row is\n"
           "                         checked and decided first: if one is refused, nothing is\n"
           "                         booked and each problem is listed with its row and\n"
           "                         column. Running the same file again books only what is\n"
           "                         missing.\n"
           "\n"
           "Options:\n"
           "  --batch N              rows per transaction (default %d)\n"
           "  --accept-differences   book rows whose `paid` differs from the computed\n"
           "                         contribution, keeping both (arrears or overpayment);\n"
           "                         without it such rows are refused\n"
           "  --by NAME              who books (default $SPFLOOR_USER, else the login name)\n"
           "  --as-of DATE           the date of the qualifying status (default today)\n"
           "  --json                 the history as JSON\n"
           "\n"
           "Exit status: 0 done; 1 usage; 2 rows refused (nothing booked); 3 a month booked\n"
           "already with other amounts (reverse it first); 4 storage or I/O.\n",
           CONTRIBUTIONS_BATCH);
}

/* ---- import contributions ---- */

struct import_progress {
    struct cli_progress checked, booked;
};

static void show_import_progress(void *ctx, int stage, int64_t rows)
{
    struct import_progress *p = ctx;
    cli_progress_show(stage == 0 ? &p->checked : &p->booked, rows);
}

int cli_import_contributions(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"batch", required_argument, NULL, 'b'},
        {"accept-differences", no_argument, NULL, 'a'},
        {"by", required_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct contributions_import opt;
    memset(&opt, 0, sizeof opt);
    const char *by = NULL;
    optind = 0;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 'b': {
            long long n = 0;
            if (!text_parse_int64(optarg, &n) || n < 1 || n > 1000000)
                return cli_usage_error("import", "--batch takes a number of rows, 1 to 1000000");
            opt.batch = (int)n;
            break;
        }
        case 'a':
            opt.accept_differences = 1;
            break;
        case 'y':
            by = optarg;
            break;
        case ':':
            return cli_usage_error("import", "%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("import", "unknown option %s", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage_error("import", "expected: import contributions FILE.csv");
    opt.path = argv[optind];
    opt.actor = cli_actor(by);
    struct store *store = NULL;
    int rc = cli_open_writer(cli, by, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct import_progress progress;
    cli_progress_init(&progress.checked, cli, "contributions checked");
    cli_progress_init(&progress.booked, cli, "contributions booked");
    opt.progress = show_import_progress;
    opt.progress_ctx = &progress;
    struct contributions_summary sum;
    memset(&sum, 0, sizeof sum);
    struct buf problems;
    buf_init(&problems, (size_t)1 << 24);
    rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, &err);
    if (rc == SP_OK)
        rc = contributions_import_csv(store, rules.lib, &opt, &sum, &problems, &err);
    cli_progress_end(&progress.checked);
    cli_progress_end(&progress.booked);
    if (problems.len > 0)
        fwrite(problems.data, 1, problems.len, stderr);
    if (sum.problems > CONTRIBUTIONS_PROBLEMS)
        fprintf(stderr, "... and %lld more\n", (long long)(sum.problems - CONTRIBUTIONS_PROBLEMS));
    if (rc == SP_OK)
        printf("%s: %lld rows: %lld booked in %lld transaction%s, %lld booked before%s\n", opt.path,
               (long long)sum.rows, (long long)sum.booked, (long long)sum.batches,
               sum.batches == 1 ? "" : "s", (long long)sum.already,
               sum.differences > 0 ? "; rows whose payment differs are listed by "
                                     "`spfloor contributions PERSON`"
                                   : "");
    else if (sum.booked > 0)
        fprintf(stderr,
                "spfloor: booked %lld rows before the failure; run the same command "
                "again to book the rest\n",
                (long long)sum.booked);
    buf_release(&problems);
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}

/* ---- contributions PERSON ---- */

static const char *currency_of(const struct contribution_entry *e)
{
    return e->c.wage.currency;
}

static void print_entry(const struct contribution_entry *e, int stands)
{
    char month[MONTH_TEXT_SIZE], wage[32], parts[3][32], total[32], paid[32] = "";
    month_format(e->c.month, month);
    const char *cur = currency_of(e);
    money_format_amount(e->c.wage.minor, cur, wage, sizeof wage);
    const struct money *p[3] = {&e->c.employee, &e->c.employer, &e->c.state};
    int64_t sum = 0;
    for (int i = 0; i < 3; i++) {
        sum += p[i]->minor;
        if (p[i]->currency[0])
            money_format_amount(p[i]->minor, cur, parts[i], sizeof parts[i]);
        else
            text_copy(parts[i], sizeof parts[i], "-");
    }
    money_format_amount(sum, cur, total, sizeof total);
    if (e->paid >= 0)
        money_format_amount(e->paid, cur, paid, sizeof paid);
    printf("#%-6lld %s %-38s wage %s %s  employee %s employer %s state %s  total %s",
           (long long)e->id, month, e->c.scheme, wage, cur, parts[0], parts[1], parts[2], total);
    if (e->employer[0])
        printf("  from %s", e->employer);
    if (e->paid >= 0) {
        printf("  paid %s", paid);
        int64_t diff = ledger_difference(e);
        if (diff != 0) {
            char d[32];
            money_format_amount(diff < 0 ? -diff : diff, cur, d, sizeof d);
            printf(" (%s %s)", diff < 0 ? "short by" : "over by", d);
        }
    }
    if (e->paid_on != DATE_NONE) {
        char day[DATE_TEXT_SIZE];
        date_format(e->paid_on, day);
        printf(" on %s", day);
    }
    int32_t late = ledger_days_late(e);
    if (late > 0) {
        char due[DATE_TEXT_SIZE];
        date_format(e->due, due);
        printf(" (%d days late: due %s)", (int)late, due);
    }
    if (e->voluntary)
        printf("  voluntary");
    if (e->reverses != 0)
        printf("  reverses #%lld: %s", (long long)e->reverses, e->reason);
    else if (!stands)
        printf("  (reversed)");
    printf("\n");
}

static void print_total(const struct ledger_total *t)
{
    char first[MONTH_TEXT_SIZE], last[MONTH_TEXT_SIZE], wage[32], parts[3][32], total[32];
    month_format(t->first, first);
    month_format(t->last, last);
    money_format_amount(t->wage, t->currency, wage, sizeof wage);
    for (int i = 0; i < 3; i++)
        money_format_amount(t->parts[i], t->currency, parts[i], sizeof parts[i]);
    money_format_amount(t->total, t->currency, total, sizeof total);
    printf("%s: %d month%s (%s to %s), wage credits %s, employee %s, employer %s, state %s, "
           "total %s %s",
           t->scheme, t->months, t->months == 1 ? "" : "s", first, last, wage, parts[0], parts[1],
           parts[2], total, t->currency);
    if (t->said != t->paid) {
        char d[32];
        int64_t diff = t->paid - t->said;
        money_format_amount(diff < 0 ? -diff : diff, t->currency, d, sizeof d);
        printf("; %s %s", diff < 0 ? "arrears" : "overpaid", d);
    }
    if (t->late > 0)
        printf("; %d paid late", t->late);
    printf("\n");
}

static int print_json(const char *id, const struct contributions_history *h, const char *qualifying,
                      struct error *err)
{
    struct buf b;
    buf_init(&b, (size_t)1 << 30);
    int rc = records_contributions_json(id, h, qualifying, &b, err);
    if (rc == SP_OK)
        rc = cli_output_write(b.data, b.len, err);
    buf_release(&b);
    return rc;
}

static int show_person(struct cli *cli, const char *id, int32_t as_of, int json)
{
    struct error err;
    error_init(&err);
    struct store *store = NULL;
    int rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    struct contributions_history h;
    struct buf qualifying;
    buf_init(&qualifying, (size_t)1 << 24);
    rc = contributions_history(store, id, &h, &err);
    if (rc == SP_OK)
        rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, &err);
    if (rc == SP_OK)
        rc = contributions_qualifying(store, rules.lib, id, as_of, &qualifying, &err);
    if (rc == SP_OK && json) {
        rc = print_json(id, &h, qualifying.len ? qualifying.data : "", &err);
    } else if (rc == SP_OK) {
        if (h.n == 0)
            printf("%s: no contributions on record\n", id);
        for (int i = 0; i < h.n; i++)
            print_entry(&h.entries[i], h.stands[i]);
        if (h.n_totals > 0)
            printf("\nTotals (entries that stand):\n");
        for (int i = 0; i < h.n_totals; i++)
            print_total(&h.totals[i]);
        char day[DATE_TEXT_SIZE];
        date_format(as_of, day);
        if (qualifying.len > 0)
            printf("\nQualifying periods on %s:\n%.*s", day, (int)qualifying.len, qualifying.data);
        rc = cli_output_check(&err);
    }
    buf_release(&qualifying);
    contributions_history_release(&h);
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}

static int reverse_entry(struct cli *cli, const char *person, const char *entry_text,
                         const char *reason, const char *by)
{
    long long entry = 0;
    if (!text_parse_int64(entry_text, &entry) || entry < 1)
        return cli_usage_error("contributions", "ENTRY is a ledger entry number, not \"%s\"",
                               entry_text);
    if (reason == NULL || reason[0] == '\0')
        return cli_usage_error("contributions", "reverse needs --reason TEXT");
    struct store *store = NULL;
    int rc = cli_open_writer(cli, by, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    int64_t reversal = 0;
    rc = contributions_reverse(store, person, entry, reason, cli_actor(by), &reversal, &err);
    if (rc == SP_OK)
        printf("entry %lld of %s reversed by entry %lld\n", entry, person, (long long)reversal);
    return cli_close_store(store, rc, &err);
}

int cmd_contributions(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'd'},
        {"json", no_argument, NULL, 'j'},
        {"reason", required_argument, NULL, 'r'},
        {"by", required_argument, NULL, 'y'},
        {NULL, 0, NULL, 0},
    };
    int32_t as_of = DATE_NONE;
    int json = 0;
    const char *reason = NULL, *by = NULL;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            if (cli_date_option("as-of", optarg, CALENDAR_AD, &as_of) != SP_OK)
                return SP_USAGE;
            break;
        case 'j':
            json = 1;
            break;
        case 'r':
            reason = optarg;
            break;
        case 'y':
            by = optarg;
            break;
        case ':':
            return cli_usage_error("contributions", "%s needs a value", argv[optind - 1]);
        default:
            return cli_usage_error("contributions", "unknown option %s", argv[optind - 1]);
        }
    }
    int n = argc - optind;
    if (n >= 1 && strcmp(argv[optind], "reverse") == 0) {
        if (n != 3)
            return cli_usage_error("contributions",
                                   "expected: contributions reverse PERSON ENTRY --reason TEXT");
        return reverse_entry(cli, argv[optind + 1], argv[optind + 2], reason, by);
    }
    if (n != 1)
        return cli_usage_error("contributions", "expected: contributions PERSON");
    if (as_of == DATE_NONE)
        as_of = cli_today(cli);
    return show_person(cli, argv[optind], as_of, json);
}
