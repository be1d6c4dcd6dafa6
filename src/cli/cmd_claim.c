/*
 * cmd_claim.c: `spfloor claim`: filing a claim for a life event, adjudicated by the rules,
 * moving it through its states, attaching documents, and showing claims (ops/claims.h,
 * docs/claims.md).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ids.h"
#include "cli/cli.h"
#include "ops/claims.h"
#include "ops/records_json.h"
#include "ops/rules.h"

#define EVIDENCE_MAX 16 /* --evidence documents of one command */

static void print_help(FILE *out)
{
    fprintf(
        out,
        "Usage: spfloor claim file PERSON SCHEME --event TYPE --date DATE [--field NAME=VALUE]...\n"
        "                          [--evidence FILE]... [--reason TEXT] [--by NAME]\n"
        "       spfloor claim review|approve|reject|appeal|pay ID --reason TEXT [--date DATE]\n"
        "                          [--amount AMOUNT] [--by NAME]\n"
        "       spfloor claim attach ID FILE [--by NAME]\n"
        "       spfloor claim show ID [--json]\n"
        "       spfloor claim list [PERSON] [--json]\n"
        "\n"
        "Files a claim for a benefit that an event opens (a birth, a work accident, a death, a\n"
        "job loss ...), and decides it at once with the rules engine, reading the person from\n"
        "the registry as `entitlements` does, on the day of the event: approved (eligible, with\n"
        "the amount and the days of benefit), rejected (with the reasons), or under_review when\n"
        "the rules cannot decide (the facts to ask for are listed). A life event type (birth,\n"
        "death, work_accident, pregnancy, job_loss ...) is recorded in the registry too, as\n"
        "`event add` does; another word (sickness) only on the claim.\n"
        "\n"
        "  --event TYPE        the event claimed for\n"
        "  --date DATE         the day it happened (required)\n"
        "  --field NAME=VALUE  a fact of the event (child, destination, contract_months ...)\n"
        "                      or one the scheme declares (average_daily_wage ...)\n"
        "  --evidence FILE     a document: its SHA-256 and file name are kept, not its content\n"
        "  --reason TEXT       why, or the form or order it came on (needed to change a state)\n"
        "  --date DATE         for a change of state: the day it took effect (default today)\n"
        "  --amount AMOUNT     pay: the amount paid (default the amount decided)\n"
        "  --by NAME           who (default $SPFLOOR_USER, else the login name): a clerk, a\n"
        "                      court, an employers' association ...\n"
        "  --json              show and list as JSON\n"
        "\n"
        "States and the changes allowed:\n"
        "  filed -> under_review, approved, rejected     under_review -> approved, rejected\n"
        "  approved -> paid, under_review                rejected -> appealed\n"
        "  appealed -> under_review, approved, rejected  paid: final\n"
        "Every change is kept with who, when (UTC), the day and why (claim show), and in the\n"
        "person's audit trail (spfloor audit show --object PERSON).\n"
        "\n"
        "Exit codes: 0 done, 1 usage, 2 bad input (no date, an unknown person or scheme, a\n"
        "scheme of another country), 3 refused (a change the states do not allow, a claim\n"
        "filed twice), 4 storage.\n");
}

struct options {
    const char *args[3];
    int n_args;
    const char *event;
    int32_t date;
    const char *fields[CLAIMS_FIELDS_MAX + 1];
    int n_fields;
    const char *evidence[EVIDENCE_MAX];
    int n_evidence;
    const char *reason;
    const char *by;
    const char *amount;
    int json;
};

enum { O_EVENT = 256, O_DATE, O_FIELD, O_EVIDENCE, O_REASON, O_BY, O_AMOUNT, O_JSON };

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"event", required_argument, NULL, O_EVENT},
        {"date", required_argument, NULL, O_DATE},
        {"field", required_argument, NULL, O_FIELD},
        {"evidence", required_argument, NULL, O_EVIDENCE},
        {"reason", required_argument, NULL, O_REASON},
        {"by", required_argument, NULL, O_BY},
        {"amount", required_argument, NULL, O_AMOUNT},
        {"json", no_argument, NULL, O_JSON},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->date = DATE_NONE;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case O_EVENT:
            o->event = optarg;
            break;
        case O_DATE: {
            int rc = cli_date_option("date", optarg, CALENDAR_AD, &o->date);
            if (rc != SP_OK)
                return rc;
            break;
        }
        case O_FIELD:
            if (o->n_fields == CLAIMS_FIELDS_MAX + 1)
                return cli_usage_error("claim", "at most %d --field facts", CLAIMS_FIELDS_MAX);
            o->fields[o->n_fields++] = optarg;
            break;
        case O_EVIDENCE:
            if (o->n_evidence == EVIDENCE_MAX)
                return cli_usage_error("claim", "at most %d --evidence files", EVIDENCE_MAX);
            o->evidence[o->n_evidence++] = optarg;
            break;
        case O_REASON:
            o->reason = optarg;
            break;
        case O_BY:
            o->by = optarg;
            break;
        case O_AMOUNT:
            o->amount = optarg;
            break;
        case O_JSON:
            o->json = 1;
            break;
        default:
            return cli_usage_error("claim", "unknown option");
        }
    }
    return cli_operands("claim", argc, argv, o->args, 3, &o->n_args);
}

/* ---- printing ---- */

/* Prints each line of text, indented. */
static void print_lines(const char *indent, const char *text)
{
    for (const char *at = text; *at;) {
        const char *end = strchr(at, '\n');
        int n = end ? (int)(end - at) : (int)strlen(at);
        printf("%s%.*s\n", indent, n, at);
        at += n + (end != NULL);
    }
}

/* "approved (eligible): 400000.00 KHR once, 90 days" */
static void outcome_text(const struct claim *c, char *out, size_t size)
{
    char amount[MONEY_TEXT_MAX] = "";
    if (c->has_amount)
        money_format_amount(c->amount, c->currency, amount, sizeof amount);
    size_t n = (size_t)snprintf(out, size, "%s (%s)", claim_state_name(c->state), c->decision);
    if (c->has_amount && n < size)
        n += (size_t)snprintf(out + n, size - n, ": %s %s %s", amount, c->currency, c->per);
    if (c->days >= 0 && n < size)
        n += (size_t)snprintf(out + n, size - n, ", %d days", (int)c->days);
    if (c->paid >= 0 && n < size) {
        money_format_amount(c->paid, c->currency, amount, sizeof amount);
        snprintf(out + n, size - n, "; paid %s %s", amount, c->currency);
    }
}

static int print_claim_line(void *ctx, const struct claim *c)
{
    (void)ctx;
    char day[DATE_TEXT_SIZE], outcome[256];
    date_format(c->event_date, day);
    outcome_text(c, outcome, sizeof outcome);
    printf("%-6lld %s  %-36s %-13s %s  %s\n", (long long)c->id, c->person, c->scheme, c->event_type,
           day, outcome);
    return 0;
}

static int add_claim_json(void *ctx, const struct claim *c)
{
    json_t *o = records_claim_json(c);
    return o != NULL && json_array_append_new(ctx, o) == 0 ? 0 : SP_IO;
}

struct show {
    json_t *steps, *evidence; /* --json; else NULL */
    const char *currency;
};

static int show_step(void *ctx, const struct claim_step *st)
{
    struct show *sh = ctx;
    char day[DATE_TEXT_SIZE], amount[MONEY_TEXT_MAX + CURRENCY_CODE_SIZE] = "";
    date_format(st->on_date, day);
    if (st->amount >= 0) {
        money_format_amount(st->amount, sh->currency, amount, sizeof amount);
        if (sh->steps == NULL)
            snprintf(amount + strlen(amount), sizeof amount - strlen(amount), " %s", sh->currency);
    }
    if (sh->steps != NULL) {
        json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s}", "seq", st->seq, "from",
                              claim_state_name(st->from), "to", claim_state_name(st->to), "date",
                              day, "recorded_at", st->at, "by", st->actor, "reason", st->reason);
        if (o != NULL && amount[0])
            json_object_set_new(o, "amount", json_string(amount));
        return o != NULL && json_array_append_new(sh->steps, o) == 0 ? 0 : SP_IO;
    }
    printf("  %d. %s  %s%s%s%s%s%s  by %s (recorded %s): %s\n", st->seq, day,
           claim_state_name(st->from), st->from ? " -> " : "", claim_state_name(st->to),
           amount[0] ? " (" : "", amount, amount[0] ? ")" : "", st->actor, st->at, st->reason);
    return 0;
}

static int show_evidence(void *ctx, const struct claim_evidence *e)
{
    struct show *sh = ctx;
    if (sh->evidence != NULL) {
        json_t *o = json_pack("{s:s, s:s, s:s, s:s}", "file", e->file_name, "sha256", e->sha256,
                              "added_at", e->added_at, "by", e->actor);
        return o != NULL && json_array_append_new(sh->evidence, o) == 0 ? 0 : SP_IO;
    }
    printf("  %s  sha256 %s  (added %s by %s)\n", e->file_name, e->sha256, e->added_at, e->actor);
    return 0;
}

static int claim_show(struct store *store, const struct options *o, struct error *err)
{
    int64_t id = 0;
    int rc = claims_parse_id(o->args[1], &id, err);
    struct claim c;
    int found = 0;
    if (rc == SP_OK)
        rc = store_claim_get(store, id, &c, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no claim has the number %lld", (long long)id);
    if (rc != SP_OK)
        return rc;
    struct show sh = {NULL, NULL, c.currency};
    json_t *doc = NULL;
    if (o->json) {
        doc = records_claim_json(&c);
        sh.steps = json_array();
        sh.evidence = json_array();
        if (doc == NULL || sh.steps == NULL || sh.evidence == NULL) {
            json_decref(doc);
            json_decref(sh.steps);
            json_decref(sh.evidence);
            return error_nomem(err);
        }
        json_object_set_new(doc, "steps", sh.steps);
        json_object_set_new(doc, "evidence", sh.evidence);
    } else {
        char day[DATE_TEXT_SIZE], outcome[256];
        date_format(c.event_date, day);
        outcome_text(&c, outcome, sizeof outcome);
        printf("claim %lld: %s, %s for %s of %s\n", (long long)c.id, c.person, c.scheme,
               c.event_type, day);
        printf("state: %s\n", outcome);
        if (c.fields[0]) {
            printf("facts given:\n");
            print_lines("  ", c.fields);
        }
        if (c.explanation[0]) {
            printf("explanation:\n");
            print_lines("  ", c.explanation);
        }
        if (c.missing[0]) {
            printf("ask for:\n");
            print_lines("  ", c.missing);
        }
        printf("steps:\n");
    }
    rc = store_claim_steps_each(store, id, show_step, &sh, err);
    if (rc == SP_OK && !o->json)
        printf("evidence:\n");
    if (rc == SP_OK)
        rc = store_claim_evidence_each(store, id, show_evidence, &sh, err);
    if (rc == SP_OK && o->json)
        return cli_output_json(doc, err);
    json_decref(doc);
    return rc == SP_IO && err->code == SP_OK ? error_nomem(err) : rc;
}

static int claim_list(struct store *store, const struct options *o, struct error *err)
{
    const char *person = o->n_args > 1 ? o->args[1] : NULL;
    char digits[WORKER_ID_SIZE];
    if (person != NULL && worker_id_parse(person, digits, err) != SP_OK)
        return SP_BAD_INPUT;
    if (!o->json)
        return store_claims_each(store, person != NULL ? digits : NULL, print_claim_line, NULL,
                                 err);
    json_t *a = json_array();
    if (a == NULL)
        return error_nomem(err);
    int rc = store_claims_each(store, person != NULL ? digits : NULL, add_claim_json, a, err);
    if (rc == SP_OK)
        return cli_output_json(a, err);
    json_decref(a);
    return rc == SP_IO && err->code == SP_OK ? error_nomem(err) : rc;
}

/* ---- writing ---- */

static int claim_file(struct cli *cli, struct store *store, const struct options *o,
                      struct error *err)
{
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    int rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, err);
    struct claims_request rq = {o->args[1],       o->args[2],  o->event,    o->date,
                                o->fields,        o->n_fields, o->evidence, o->n_evidence,
                                cli_actor(o->by), o->reason};
    struct claim c;
    if (rc == SP_OK)
        rc = claims_file(store, rules.lib, &rq, cli_today(cli), &c, err);
    ops_rules_release(&rules);
    if (rc != SP_OK)
        return rc;
    char day[DATE_TEXT_SIZE], outcome[256];
    date_format(c.event_date, day);
    outcome_text(&c, outcome, sizeof outcome);
    printf("claim %lld: %s, %s for %s of %s: %s\n", (long long)c.id, c.person, c.scheme,
           c.event_type, day, outcome);
    print_lines("  ", c.explanation);
    if (c.missing[0]) {
        printf("  ask for:\n");
        print_lines("    ", c.missing);
    }
    return SP_OK;
}

static int claim_move(struct cli *cli, struct store *store, const struct options *o, int to,
                      struct error *err)
{
    int64_t id = 0;
    int rc = claims_parse_id(o->args[1], &id, err);
    int64_t amount = -1;
    if (rc == SP_OK && o->amount != NULL) {
        struct claim c;
        int found = 0;
        rc = store_claim_get(store, id, &c, &found, err);
        struct money m;
        if (rc == SP_OK && found) {
            rc = money_parse_unsigned(o->amount, c.currency, &m, err);
            amount = m.minor;
        }
    }
    struct claim after;
    int32_t on = o->date != DATE_NONE ? o->date : cli_today(cli);
    if (rc == SP_OK)
        rc = claims_move(store, id, to, on, amount, cli_actor(o->by), o->reason, &after, err);
    if (rc != SP_OK)
        return rc;
    char outcome[256];
    outcome_text(&after, outcome, sizeof outcome);
    printf("claim %lld: %s\n", (long long)after.id, outcome);
    return SP_OK;
}

static int claim_attach(struct store *store, const struct options *o, struct error *err)
{
    int64_t id = 0;
    int rc = claims_parse_id(o->args[1], &id, err);
    int added = 0;
    if (rc == SP_OK)
        rc = claims_attach(store, id, o->args[2], cli_actor(o->by), &added, err);
    if (rc == SP_OK)
        printf(added ? "claim %lld: %s attached\n" : "claim %lld: %s was attached already\n",
               (long long)id, o->args[2]);
    return rc;
}

/* The state a verb moves a claim to, or 0. */
static int verb_state(const char *verb)
{
    static const struct {
        const char *verb;
        int state;
    } verbs[] = {{"review", CLAIM_UNDER_REVIEW},
                 {"approve", CLAIM_APPROVED},
                 {"reject", CLAIM_REJECTED},
                 {"appeal", CLAIM_APPEALED},
                 {"pay", CLAIM_PAID}};
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (strcmp(verb, verbs[i].verb) == 0)
            return verbs[i].state;
    return 0;
}

int cmd_claim(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help(stdout);
        return SP_OK;
    }
    if (argc < 2) {
        print_help(stderr);
        return SP_USAGE;
    }
    struct options o;
    int rc = parse_options(argc, argv, &o);
    if (rc != SP_OK)
        return rc;
    const char *verb = o.n_args > 0 ? o.args[0] : "";
    int to = verb_state(verb);
    int reading = strcmp(verb, "show") == 0 || strcmp(verb, "list") == 0;
    if (strcmp(verb, "file") == 0 && o.n_args != 3)
        return cli_usage_error("claim", "file takes a person and a scheme: claim file PERSON "
                                        "SCHEME --event TYPE --date DATE");
    if (strcmp(verb, "file") == 0 && o.event == NULL)
        return cli_usage_error("claim", "file needs --event TYPE (birth, work_accident ...)");
    if (to != 0 && (o.n_args != 2 || o.reason == NULL || o.reason[0] == '\0'))
        return cli_usage_error("claim", "%s takes a claim number and --reason TEXT", verb);
    if (o.amount != NULL && to != CLAIM_PAID)
        return cli_usage_error("claim", "--amount goes with pay");
    if (strcmp(verb, "attach") == 0 && o.n_args != 3)
        return cli_usage_error("claim", "attach takes a claim number and a file");
    if (strcmp(verb, "show") == 0 && o.n_args != 2)
        return cli_usage_error("claim", "show takes a claim number");
    if (strcmp(verb, "list") == 0 && o.n_args > 2)
        return cli_usage_error("claim", "list takes at most a person");
    if (!reading && to == 0 && strcmp(verb, "file") != 0 && strcmp(verb, "attach") != 0)
        return cli_usage_error("claim",
                               "unknown subcommand \"%s\": use file, review, approve, reject, "
                               "appeal, pay, attach, show or list",
                               verb);
    struct error err;
    error_init(&err);
    struct store *store = NULL;
    rc = reading ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK)
        return rc;
    rc = strcmp(verb, "show") == 0     ? claim_show(store, &o, &err)
         : reading                     ? claim_list(store, &o, &err)
         : strcmp(verb, "file") == 0   ? claim_file(cli, store, &o, &err)
         : strcmp(verb, "attach") == 0 ? claim_attach(store, &o, &err)
                                       : claim_move(cli, store, &o, to, &err);
    return cli_close_store(store, rc, &err);
}
