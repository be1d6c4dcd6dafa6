/*
 * cli.h: what every `spfloor` command shares: the global options, and how a command reports
 * an error and exits.
 *
 * A command is `int cmd_x(struct cli *cli, int argc, char **argv)`; argv[0] is the command's
 * name and the rest are its own arguments (parse them with getopt_long; optind is reset).
 * It returns the process exit code (enum sp_status). It prints results to stdout, and errors
 * to stderr through cli_report, which is the only place the CLI formats an error. Files it
 * writes for the user go through base/outfile.h (whole or not at all).
 */
#ifndef SPFLOOR_CLI_CLI_H
#define SPFLOOR_CLI_CLI_H

#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "audit/audit.h"
#include "base/calendar.h"
#include "base/error.h"
#include "store/store.h"

struct cli {
    const char *db_location; /* --db, else $SPFLOOR_DB, else "spfloor.db" */
    const char *schemes_dir; /* --schemes, else $SPFLOOR_SCHEMES, else the library installed
                                beside the binary, else "schemes" */
    int32_t today;           /* today's date: read it through cli_today */
    const char *today_from;  /* $SPFLOOR_TODAY when it set today (a testing aid), else NULL */
    int today_told;          /* 1 once cli_today has said that today was set */
    int quiet;               /* --quiet: no progress lines or notes */
};

typedef int (*cli_command_fn)(struct cli *cli, int argc, char **argv);

/* Prints "spfloor: <message>" to stderr and returns err->code. */
int cli_report(const struct error *err);

/* cli_report of "out of memory" (SP_IO): for a command whose library call failed that way. */
int cli_out_of_memory(void);

/* Prints "spfloor <command>: <message>\nTry 'spfloor <command> --help'." and returns SP_USAGE. */
int cli_usage_error(const char *command, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Flushes standard output. Returns SP_OK while everything printed to it has gone out, or SP_IO
 * with "writing the output: REASON" (such as "No space left on device") in err once a write to
 * it failed. Commands that print a lot call it as they go, to stop at the first failure rather
 * than compute output nobody gets; after every command main checks once more and closes
 * standard output, so a command that succeeded exits with SP_IO when its output was lost.
 */
int cli_output_check(struct error *err);

/* Prints n bytes (a whole document) to standard output, then cli_output_check. */
int cli_output_write(const void *bytes, size_t n, struct error *err);

/*
 * Prints value as JSON indented by two spaces, and a newline, and frees it (json_decref: the
 * caller's reference is taken, on failure too). Returns SP_OK, or SP_IO with "out of memory"
 * in err when value is NULL (it could not be made) or could not be written out as text.
 */
int cli_output_json(json_t *value, struct error *err);

/*
 * Writes n bytes, a whole document, where --out says: to standard output (cli_output_write)
 * when path is NULL, else to the file path through base/outfile.h, which puts it in place
 * only once it is whole on disk and refuses a symbolic link. Returns SP_OK, or the first
 * failure's code with err set; a file that failed is left as it was (or absent).
 */
int cli_output_document(const char *path, const void *bytes, size_t n, struct error *err);

/*
 * After getopt_long: appends the operands left (argv[optind] to the end, advancing optind) to
 * the *n in args, up to max in all. Returns SP_OK, or reports the first one more with
 * cli_usage_error ("unexpected argument") and returns SP_USAGE. args keeps pointers into argv.
 */
int cli_operands(const char *command, int argc, char **argv, const char **args, int max, int *n);

/* 1 if argv holds --help or -h (before any "--"). */
int cli_wants_help(int argc, char **argv);

/*
 * --explain's argument (NULL when given bare, or "text": the reasons for people; "trace": the
 * technical trace) as enum decision_explain (ops/decision_format.h). For anything else, reports
 * `command`'s usage error ("--explain takes text or trace") and returns -1.
 */
int cli_explain_parse(const char *command, const char *arg);

/*
 * The language of the reasons into out (size bytes): `option` (--lang) when given, else the
 * locale's (LC_ALL, then LC_MESSAGES, then LANG, as POSIX orders them), without its encoding
 * ("ne_NP.UTF-8" is "ne_NP"). "C", "POSIX" and none are English, written "". When --lang is
 * not a language code (letters and "_"), reports `command`'s usage error ("--lang takes a
 * language code") and returns SP_USAGE; a locale that is not one is English.
 */
int cli_language(const char *command, const char *option, char *out, size_t size);

/*
 * Today's date, for a command that uses it (future dates, the default --as-of). When
 * $SPFLOOR_TODAY set it, a testing aid, the first call says so on stderr (unless --quiet), so
 * that no one takes a pretended date for the real one.
 */
int32_t cli_today(struct cli *cli);

/*
 * Opens the store at cli->db_location as mode says (store_open); on failure reports the error
 * and returns its code. Commands that only read open STORE_READ_ONLY.
 */
int cli_open_store(const struct cli *cli, enum store_mode mode, struct store **out);

/*
 * For commands that only read: SP_IO with "there is no database here: create it with ..." in
 * err when cli->db_location is a file that does not exist, since opening it would create an
 * empty registry. SP_OK otherwise (URLs are left to the driver).
 */
int cli_require_database(const struct cli *cli, struct error *err);

/*
 * For commands that only read: cli_require_database, then cli_open_store with STORE_READ_ONLY;
 * reports a failure and returns its code.
 */
int cli_open_existing_store(const struct cli *cli, struct store **out);

/*
 * For commands that write to a registry that must already exist: cli_require_database, then
 * cli_open_store with STORE_READ_WRITE, then the audit log's actor set to cli_actor(by) (`by`
 * is --by, or NULL). On success *out is the caller's, to
 * close (store_close or cli_close_store). On failure the error has been reported (cli_report),
 * nothing is open, and its code is returned.
 */
int cli_open_writer(const struct cli *cli, const char *by, struct store **out);

/*
 * How a command that used a store ends: closes store (NULL is fine), then returns SP_OK when rc
 * is SP_OK, else reports err (cli_report) and returns err->code, or returns rc when err holds
 * no message (the failure was told already). store is invalid afterwards.
 */
int cli_close_store(struct store *store, int rc, const struct error *err);

/*
 * Reads the value of `command`'s --calendar option (ad or bs) into *out. Returns SP_OK, or
 * reports a usage error (cli_usage_error) and returns SP_USAGE.
 */
int cli_calendar_option(const char *command, const char *value, enum calendar *out);

/*
 * Copies the value of a text option such as --org into out (size bytes: a field of the model).
 * Returns SP_OK, or SP_BAD_INPUT with "--org: at most N bytes" (N is size - 1) in err when it
 * does not fit; out then holds as much as fitted.
 */
int cli_text_option(const char *option, const char *value, char *out, size_t size,
                    struct error *err);

/*
 * Copies the value of --country, an upper-case code spfloor knows (person_country_known), into
 * out (size bytes). Returns SP_OK, or SP_BAD_INPUT with "--country "X" is not a country code"
 * in err, and out unchanged.
 */
int cli_country_field(const char *value, char *out, size_t size, struct error *err);

/*
 * Reads the value of `command`'s --country option, an ISO 3166-1 alpha-2 code in either case
 * ("np" or "NP"), into code as two upper-case letters. Returns SP_OK, or reports a usage error
 * (cli_usage_error: the value is not a country spfloor knows) and returns SP_USAGE.
 */
int cli_country_option(const char *command, const char *value, char code[3]);

/*
 * Reads the value of a date option such as --as-of: "YYYY-MM-DD", read in `calendar` (the
 * command's --calendar), or with a suffix naming its calendar ("2082-08-15 BS"). Returns SP_OK,
 * or reports "spfloor: --as-of: <why>" and returns SP_BAD_INPUT (a date that does not exist is
 * bad input: exit 2).
 */
int cli_date_option(const char *option, const char *value, enum calendar calendar, int32_t *out);

/*
 * Appends path to the n paths of a list of OPS_OVERLAYS_MAX (ops/rules.h) places, given with
 * `command`'s `option` (--overlay, --reform, --baseline). When the list is full, reports the
 * usage error ("--overlay: at most N overlays") and returns SP_USAGE.
 */
int cli_add_overlay(const char *command, const char *option, const char **paths, int *n,
                    const char *path);

/*
 * A progress line on stderr for a long batch, "\r<verb> N persons (S s)", redrawn at most
 * every CLI_PROGRESS_EVERY_MS, and only when stderr is a terminal and --quiet is not given.
 * cli_progress_show fits the batch path's progress callbacks (ctx: the struct cli_progress).
 */
#define CLI_PROGRESS_EVERY_MS 200
struct cli_progress {
    const char *verb;   /* "decided", "simulated" */
    int on;             /* 1: draw the line */
    int64_t started_ms; /* when the batch started (cli_now_ms) */
    int64_t last_ms;    /* when the line was last drawn, or -1 */
};
int64_t cli_now_ms(void); /* a monotonic clock, in milliseconds */
void cli_progress_init(struct cli_progress *p, const struct cli *cli, const char *verb);
void cli_progress_show(void *ctx, int64_t persons);
void cli_progress_end(struct cli_progress *p); /* erases the line, if one was drawn */

/*
 * The key the audit log is chained with (docs/audit.md): $SPFLOOR_AUDIT_KEY (64 hex digits),
 * else the file $SPFLOOR_AUDIT_KEY_FILE, else, for a database file X, the file X.audit-key
 * when it exists (`init` makes it); else none (key->given 0). SP_BAD_INPUT or SP_IO when a key
 * given cannot be read.
 */
int cli_audit_key(const struct cli *cli, struct audit_key *key, struct error *err);

/* Who makes a correction or records an event: `by` (--by), else $SPFLOOR_USER, else the login
 * name, else "unknown". */
const char *cli_actor(const char *by);

/* A persons_retry_fn (ops/persons.h) for a struct cli: says, unless --quiet, that another
 * connection wrote at the same time and the write is tried again. */
void cli_say_retry(void *ctx, int attempt);

/* The commands, one file each under src/cli/. */
int cmd_init(struct cli *cli, int argc, char **argv);
int cmd_person(struct cli *cli, int argc, char **argv);
int cmd_event(struct cli *cli, int argc, char **argv);
int cmd_find(struct cli *cli, int argc, char **argv);
int cmd_dedup(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_card(struct cli *cli, int argc, char **argv);
int cmd_evaluate(struct cli *cli, int argc, char **argv);
int cmd_entitlements(struct cli *cli, int argc, char **argv);
int cmd_schemes(struct cli *cli, int argc, char **argv);
int cmd_vocab(struct cli *cli, int argc, char **argv);

/*
 * Prints, two spaces in, one line per field with allowed words (the enum and list fields, and
 * the areas of admin1 and admin2): the summary 'person add --help' ends with.
 */
void cli_vocab_summary(FILE *out);
int cmd_overlay(struct cli *cli, int argc, char **argv);
int cmd_simulate(struct cli *cli, int argc, char **argv);
int cmd_enroll(struct cli *cli, int argc, char **argv);
int cmd_audit(struct cli *cli, int argc, char **argv);
int cmd_contributions(struct cli *cli, int argc, char **argv);
/* `import contributions ...` (cmd_contributions.c): argv[0] is "contributions". */
int cli_import_contributions(struct cli *cli, int argc, char **argv);
int cmd_claim(struct cli *cli, int argc, char **argv);
int cmd_grievance(struct cli *cli, int argc, char **argv);
int cmd_payroll(struct cli *cli, int argc, char **argv);
int cmd_statement(struct cli *cli, int argc, char **argv);
int cmd_serve(struct cli *cli, int argc, char **argv);
int cmd_user(struct cli *cli, int argc, char **argv);
int cmd_report(struct cli *cli, int argc, char **argv);
int cmd_outreach(struct cli *cli, int argc, char **argv);
int cmd_outreach_case(struct cli *cli, int argc, char **argv); /* outreach case ... */
int cmd_report_annual(struct cli *cli, int argc, char **argv); /* report annual ... */
int cmd_advocacy(struct cli *cli, int argc, char **argv);
int cmd_shock(struct cli *cli, int argc, char **argv);

#endif
