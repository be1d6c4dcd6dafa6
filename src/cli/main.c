/*
 * main.c: the `spfloor` command: global options, then dispatch to one command.
 */
#include <errno.h>
#include <ctype.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "base/date.h"
#include "base/outfile.h"
#include "base/text.h"
#include "cli/cli.h"
#include "model/person.h"
#include "ops/decision_format.h"
#include "ops/rules.h"
#include "store/store.h"

static const struct {
    const char *name;
    cli_command_fn run;
    const char *summary;
} commands[] = {
    {"init", cmd_init, "create the database (or bring it up to date)"},
    {"person", cmd_person, "add, show or correct a registered person"},
    {"event", cmd_event, "record a birth, death, marriage, move ... or list a person's events"},
    {"find", cmd_find, "search the registry by name in any script, ID or phone"},
    {"dedup", cmd_dedup, "list likely duplicates: other spellings, scripts, districts"},
    {"import", cmd_import, "bulk-import persons or contributions from CSV, all-or-nothing"},
    {"card", cmd_card, "print a worker's card with a QR code as SVG"},
    {"evaluate", cmd_evaluate, "decide entitlements for situations in a YAML or JSON file"},
    {"entitlements", cmd_entitlements, "what a registered person is entitled to, and why"},
    {"schemes", cmd_schemes, "list the scheme library, or check it and run its tests"},
    {"vocab", cmd_vocab, "the facts vocabulary: fields, allowed words, areas per country"},
    {"overlay", cmd_overlay, "set, show or clear the registry's default overlay"},
    {"enroll", cmd_enroll, "enrol a person in a scheme, or everyone eligible; suspend, end"},
    {"contributions", cmd_contributions, "a person's contributions and qualifying periods"},
    {"audit", cmd_audit, "verify the audit log's chain, or show it"},
    {"claim", cmd_claim, "file a claim for a birth, an accident ...: decided, then paid"},
    {"grievance", cmd_grievance, "raise a grievance; escalate it, resolve it; list overdue"},
    {"payroll", cmd_payroll, "pay enrolled persons: run a period, export a bank file, reconcile"},
    {"statement", cmd_statement, "one person's payments, as the worker sees them"},
    {"simulate", cmd_simulate, "what a reform would cost, and who would gain or lose"},
    {"serve", cmd_serve, "serve the web window and the JSON API over HTTP"},
    {"user", cmd_user, "add a user of the web window, or issue an API token"},
    {"report", cmd_report, "coverage, enrolment, the gap and reach, by sex, age, area ..."},
    {"outreach", cmd_outreach, "log a partner's activity: awareness, training, legal aid ..."},
    {"advocacy", cmd_advocacy, "log a proposal lobbied for, and whom it would benefit"},
    {"shock", cmd_shock, "declare a shock: top-ups in its districts, or a temporary scheme"},
};

static void print_help(FILE *out)
{
    fprintf(out, "Usage: spfloor [--db FILE] [--schemes DIR] [--quiet] COMMAND [ARGS]\n"
                 "\n"
                 "spfloor registers workers once, decides what they are entitled to and why.\n"
                 "\n"
                 "Global options (before the command):\n"
                 "  --db FILE       the database (default $SPFLOOR_DB, else ./spfloor.db)\n"
                 "  --schemes DIR   the scheme library (default $SPFLOOR_SCHEMES, else the one\n"
                 "                  installed with spfloor, PREFIX/share/spfloor/schemes, else\n"
                 "                  ./schemes)\n"
                 "  --quiet         no progress lines or notes\n"
                 "  --help          this help\n"
                 "\n"
                 "Environment:\n"
                 "  SPFLOOR_DB       the database, when --db is not given\n"
                 "  SPFLOOR_SCHEMES  the scheme library, when --schemes is not given\n"
                 "  SPFLOOR_TODAY    (testing aid: pretend today is DATE, YYYY-MM-DD)\n"
                 "                   a command that uses today says so on stderr, unless --quiet\n"
                 "\n"
                 "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-13s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "\nRun 'spfloor COMMAND --help' for a command's options.\n"
                 "Exit codes: 0 success, 1 usage, 2 bad input, 3 conflict or refused, "
                 "4 storage or I/O.\n");
}

int cli_report(const struct error *err)
{
    fprintf(stderr, "spfloor: %s\n", err->message[0] ? err->message : "failed");
    return err->code;
}

int cli_out_of_memory(void)
{
    struct error err;
    error_init(&err);
    error_nomem(&err);
    return cli_report(&err);
}

/* The errno of the first failed write to standard output seen by cli_output_check; 0 if none. */
static int output_errno;

int cli_output_check(struct error *err)
{
    errno = 0;
    if (fflush(stdout) != 0 && output_errno == 0)
        output_errno = errno;
    if (!ferror(stdout))
        return SP_OK;
    return error_set(err, SP_IO, "writing the output: %s",
                     output_errno ? strerror(output_errno) : "a write failed");
}

int cli_output_write(const void *bytes, size_t n, struct error *err)
{
    errno = 0;
    if (fwrite(bytes, 1, n, stdout) != n && output_errno == 0)
        output_errno = errno; /* now, while it still tells why: stdio does not keep it */
    return cli_output_check(err);
}

int cli_output_json(json_t *value, struct error *err)
{
    char *text = value != NULL ? json_dumps(value, JSON_INDENT(2)) : NULL;
    json_decref(value);
    if (text == NULL)
        return error_nomem(err);
    printf("%s\n", text);
    free(text);
    return SP_OK;
}

int cli_output_document(const char *path, const void *bytes, size_t n, struct error *err)
{
    if (path == NULL)
        return cli_output_write(bytes, n, err);
    struct outfile f;
    outfile_init(&f);
    int rc = outfile_open(&f, path, 0, -1, err);
    if (rc == SP_OK)
        rc = outfile_write(&f, bytes, n, err);
    if (rc == SP_OK)
        rc = outfile_commit(&f, err);
    outfile_abort(&f);
    return rc;
}

/*
 * After a command: flushes and closes standard output. When a write to it failed, a command
 * that succeeded did not (its output is lost): reports "writing the output: REASON" and
 * returns SP_IO. A command that failed keeps its own code and message.
 */
static int cli_output_close(int rc)
{
    struct error err;
    error_init(&err);
    int checked = cli_output_check(&err);
    errno = 0;
    /* EBADF: stdout was closed (`>&-`) and nothing was printed, or the flush would have failed */
    if (fclose(stdout) != 0 && errno != EBADF && checked == SP_OK)
        checked = error_set(&err, SP_IO, "writing the output: %s", strerror(errno));
    if (checked == SP_OK || rc != SP_OK)
        return rc;
    return cli_report(&err);
}

int cli_usage_error(const char *command, const char *fmt, ...)
{
    fprintf(stderr, "spfloor %s: ", command);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'spfloor %s --help'.\n", command);
    return SP_USAGE;
}

int cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int cli_calendar_option(const char *command, const char *value, enum calendar *out)
{
    struct error err;
    error_init(&err);
    if (calendar_parse_name(value, out, &err) != SP_OK)
        return cli_usage_error(command, "--calendar: %s", err.message);
    return SP_OK;
}

int cli_operands(const char *command, int argc, char **argv, const char **args, int max, int *n)
{
    for (; optind < argc; optind++) {
        if (*n == max)
            return cli_usage_error(command, "unexpected argument \"%s\"", argv[optind]);
        args[(*n)++] = argv[optind];
    }
    return SP_OK;
}

int cli_text_option(const char *option, const char *value, char *out, size_t size,
                    struct error *err)
{
    if (!text_copy(out, size, value))
        return error_set(err, SP_BAD_INPUT, "%s: at most %d bytes", option, (int)(size - 1));
    return SP_OK;
}

int cli_country_field(const char *value, char *out, size_t size, struct error *err)
{
    if (!person_country_known(value))
        return error_set(err, SP_BAD_INPUT, "--country \"%s\" is not a country code", value);
    text_copy(out, size, value);
    return SP_OK;
}

int cli_country_option(const char *command, const char *value, char code[3])
{
    code[0] = '\0';
    if (strlen(value) == 2) {
        code[0] = (char)(value[0] & ~0x20);
        code[1] = (char)(value[1] & ~0x20);
        code[2] = '\0';
    }
    if (!person_country_known(code))
        return cli_usage_error(command,
                               "--country \"%s\" is not a country spfloor knows: use an "
                               "ISO 3166-1 alpha-2 code such as NP",
                               value);
    return SP_OK;
}

const char *cli_actor(const char *by)
{
    const char *who = by != NULL && by[0] != '\0' ? by : getenv("SPFLOOR_USER");
    if (who == NULL || who[0] == '\0')
        who = getenv("USER");
    return who != NULL && who[0] != '\0' ? who : "unknown";
}

void cli_say_retry(void *ctx, int attempt)
{
    (void)attempt;
    if (!((const struct cli *)ctx)->quiet)
        fprintf(stderr, "spfloor: another connection wrote at the same time: trying again\n");
}

int cli_date_option(const char *option, const char *value, enum calendar calendar, int32_t *out)
{
    struct error err;
    error_init(&err);
    struct calendar_date d;
    if (calendar_parse_date(value, calendar, &d, &err) != SP_OK) {
        error_prefix(&err, "%s", option);
        return cli_report(&err);
    }
    *out = d.day;
    return SP_OK;
}

int cli_explain_parse(const char *command, const char *arg)
{
    if (arg == NULL || strcmp(arg, "text") == 0)
        return DECISION_EXPLAIN_TEXT;
    if (strcmp(arg, "trace") == 0)
        return DECISION_EXPLAIN_TRACE;
    cli_usage_error(command, "--explain takes text or trace, not \"%s\"", arg);
    return -1;
}

/* cli_language without the report: SP_USAGE when option is not a language code. */
static int language_of(const char *option, char *out, size_t size)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *lang = option;
    for (size_t i = 0; lang == NULL && i < sizeof names / sizeof names[0]; i++) {
        const char *v = getenv(names[i]);
        if (v != NULL && v[0] != '\0')
            lang = v;
    }
    out[0] = '\0';
    if (lang == NULL || strcmp(lang, "C") == 0 || strncmp(lang, "C.", 2) == 0 ||
        strcmp(lang, "POSIX") == 0)
        return SP_OK;
    size_t n = strcspn(lang, ".@");
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)lang[i]) && lang[i] != '_')
            return option ? SP_USAGE : SP_OK; /* a locale spfloor cannot read: English */
    if (n < 2 || n >= size)
        return option ? SP_USAGE : SP_OK;
    memcpy(out, lang, n);
    out[n] = '\0';
    if (strcmp(out, "en") == 0 || strncmp(out, "en_", 3) == 0)
        out[0] = '\0';
    return SP_OK;
}

int cli_language(const char *command, const char *option, char *out, size_t size)
{
    if (language_of(option, out, size) != SP_OK)
        return cli_usage_error(command, "--lang takes a language code such as ne, not \"%s\"",
                               option);
    return SP_OK;
}

int64_t cli_now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

void cli_progress_init(struct cli_progress *p, const struct cli *cli, const char *verb)
{
    p->verb = verb;
    p->on = !cli->quiet && isatty(STDERR_FILENO);
    p->started_ms = cli_now_ms();
    p->last_ms = -1;
}

void cli_progress_show(void *ctx, int64_t persons)
{
    struct cli_progress *p = ctx;
    int64_t now = cli_now_ms();
    if (!p->on || (p->last_ms >= 0 && now - p->last_ms < CLI_PROGRESS_EVERY_MS))
        return;
    p->last_ms = now;
    fprintf(stderr, "\r\033[K%s %lld persons (%lld s)", p->verb, (long long)persons,
            (long long)((now - p->started_ms) / 1000));
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->last_ms >= 0)
        fputs("\r\033[K", stderr);
    p->last_ms = -1;
}

int cli_add_overlay(const char *command, const char *option, const char **paths, int *n,
                    const char *path)
{
    if (*n == OPS_OVERLAYS_MAX)
        return cli_usage_error(command, "%s: at most %d overlays", option, OPS_OVERLAYS_MAX);
    paths[(*n)++] = path;
    return SP_OK;
}

int32_t cli_today(struct cli *cli)
{
    if (cli->today_from != NULL && !cli->today_told && !cli->quiet)
        fprintf(stderr,
                "spfloor: note: today is %s, as SPFLOOR_TODAY says (a testing aid), not the "
                "system clock's date\n",
                cli->today_from);
    cli->today_told = 1;
    return cli->today;
}

int cli_audit_key(const struct cli *cli, struct audit_key *key, struct error *err)
{
    memset(key, 0, sizeof *key);
    const char *hex = getenv("SPFLOOR_AUDIT_KEY");
    if (hex != NULL && hex[0] != '\0')
        return audit_key_parse("SPFLOOR_AUDIT_KEY", hex, strlen(hex), key, err);
    const char *file = getenv("SPFLOOR_AUDIT_KEY_FILE");
    if (file != NULL && file[0] != '\0')
        return audit_key_read_file(file, key, err);
    char beside[4096];
    if (strstr(cli->db_location, "://") != NULL ||
        snprintf(beside, sizeof beside, "%s.audit-key", cli->db_location) >= (int)sizeof beside ||
        access(beside, F_OK) != 0)
        return SP_OK;
    return audit_key_read_file(beside, key, err);
}

int cli_open_store(const struct cli *cli, enum store_mode mode, struct store **out)
{
    struct error err;
    error_init(&err);
    struct audit_key key;
    if (mode != STORE_READ_ONLY && cli_audit_key(cli, &key, &err) != SP_OK)
        return cli_report(&err);
    if (store_open(cli->db_location, mode, out, &err) != SP_OK)
        return cli_report(&err);
    if (mode != STORE_READ_ONLY)
        store_audit_configure(*out, &key, cli_actor(NULL));
    return SP_OK;
}

int cli_require_database(const struct cli *cli, struct error *err)
{
    const char *db = cli->db_location;
    if (strstr(db, "://") == NULL && access(db, F_OK) != 0)
        return error_set(err, SP_IO,
                         "%s: there is no database here: create it with 'spfloor --db %s init'", db,
                         db);
    return SP_OK;
}

int cli_open_existing_store(const struct cli *cli, struct store **out)
{
    struct error err;
    error_init(&err);
    if (cli_require_database(cli, &err) != SP_OK)
        return cli_report(&err);
    return cli_open_store(cli, STORE_READ_ONLY, out);
}

int cli_open_writer(const struct cli *cli, const char *by, struct store **out)
{
    struct error err;
    error_init(&err);
    if (cli_require_database(cli, &err) != SP_OK)
        return cli_report(&err);
    int rc = cli_open_store(cli, STORE_READ_WRITE, out);
    if (rc != SP_OK)
        return rc;
    store_audit_configure(*out, NULL, cli_actor(by));
    return SP_OK;
}

int cli_close_store(struct store *store, int rc, const struct error *err)
{
    store_close(store);
    if (rc == SP_OK)
        return SP_OK;
    return err->code != SP_OK ? cli_report(err) : rc; /* a failure that told itself */
}

/* 1 if path is a directory. */
static int is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/*
 * The scheme library when neither --schemes nor SPFLOOR_SCHEMES names one: the library
 * installed beside the binary (BIN/../share/spfloor/schemes, as `make install` lays it out),
 * the source tree's when the binary is in a build folder of it (BIN/../schemes), else
 * ./schemes. So that scheme commands work from any folder.
 */
static const char *default_schemes(void)
{
    static char found[4096];
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return "schemes";
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (slash == NULL)
        return "schemes";
    *slash = '\0';
    static const char *const beside[] = {"/../share/spfloor/schemes", "/../schemes"};
    for (size_t i = 0; i < sizeof beside / sizeof beside[0]; i++) {
        if (snprintf(found, sizeof found, "%s%s", exe, beside[i]) < (int)sizeof found &&
            is_directory(found))
            return found;
    }
    return "schemes";
}

/* Fills cli from the environment; options override later. Returns SP_OK or SP_USAGE. */
static int cli_from_environment(struct cli *cli)
{
    const char *db = getenv("SPFLOOR_DB");
    const char *schemes = getenv("SPFLOOR_SCHEMES");
    const char *today = getenv("SPFLOOR_TODAY");
    cli->db_location = db && *db ? db : "spfloor.db";
    cli->schemes_dir = schemes && *schemes ? schemes : default_schemes();
    cli->today = date_today();
    cli->today_from = NULL;
    cli->today_told = 0;
    cli->quiet = 0;
    if (today && *today) {
        struct error err;
        error_init(&err);
        if (date_parse(today, &cli->today, &err) != SP_OK) {
            fprintf(stderr, "spfloor: SPFLOOR_TODAY: %s\n", err.message);
            return SP_USAGE;
        }
        cli->today_from = today;
    }
    return SP_OK;
}

int main(int argc, char **argv)
{
    struct cli cli;
    if (cli_from_environment(&cli) != SP_OK)
        return SP_USAGE;

    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"schemes", required_argument, NULL, 's'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    /* "+" stops at the first non-option: the command and its own options follow. */
    while ((c = getopt_long(argc, argv, "+h", options, NULL)) != -1) {
        switch (c) {
        case 'd':
            cli.db_location = optarg;
            break;
        case 's':
            cli.schemes_dir = optarg;
            break;
        case 'q':
            cli.quiet = 1;
            break;
        case 'h':
            print_help(stdout);
            return cli_output_close(SP_OK);
        default:
            fprintf(stderr, "Try 'spfloor --help'.\n");
            return SP_USAGE;
        }
    }
    if (optind >= argc) {
        print_help(stderr);
        return SP_USAGE;
    }
    const char *name = argv[optind];
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) {
            int sub_argc = argc - optind;
            char **sub_argv = argv + optind;
            optind = 0; /* reset getopt for the command's own options */
            return cli_output_close(commands[i].run(&cli, sub_argc, sub_argv));
        }
    }
    fprintf(stderr, "spfloor: unknown command \"%s\"\nTry 'spfloor --help'.\n", name);
    return SP_USAGE;
}
