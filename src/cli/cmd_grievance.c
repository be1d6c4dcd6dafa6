/*
 * cmd_grievance.c: `spfloor grievance`: raising a grievance, escalating and resolving it,
 * showing it, and finding the overdue ones (ops/grievances.h, docs/grievances.md).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ids.h"
#include "cli/cli.h"
#include "ops/grievances.h"
#include "ops/records_json.h"

static void print_help(FILE *out)
{
    fprintf(
        out,
        "Usage: spfloor grievance open PERSON --about claim|enrolment|payment|registration [REF]\n"
        "                              --text TEXT [--date DATE] [--by NAME]\n"
        "       spfloor grievance escalate ID --reason TEXT [--date DATE] [--by NAME]\n"
        "       spfloor grievance resolve ID --reason TEXT [--date DATE] [--by NAME]\n"
        "       spfloor grievance show ID [--json]\n"
        "       spfloor grievance list [PERSON] [--overdue [--as-of DATE] [--no-escalate]]\n"
        "                              [--json]\n"
        "\n"
        "A grievance is heard at one level after another, each with a time limit per type:\n"
        "by default office (15 days; payment 7), district (30), national (60), court (180).\n"
        "It opens at the first level; escalating moves it to the next with a new deadline\n"
        "counted from that day; resolving closes it. list --overdue finds the grievances\n"
        "open past their deadline on --as-of (default today) and escalates each, one level\n"
        "per deadline passed, on the day after the deadline (--no-escalate only lists them);\n"
        "at the last level a grievance stays overdue. Every step is kept (grievance show).\n"
        "\n"
        "  --about TYPE [REF]  what it is about, and which (a claim's number, a scheme ...)\n"
        "  --text TEXT         the complaint, in the person's words\n"
        "  --date DATE         the day (default today)\n"
        "  --reason TEXT       why it escalates; how it was resolved\n"
        "  --policy FILE       the levels and their days (default $SPFLOOR_GRIEVANCE_POLICY,\n"
        "                      else the levels above); one level per line, lowest first:\n"
        "                          office    15  payment=7\n"
        "                          district  30\n"
        "  --by NAME           who (default $SPFLOOR_USER, else the login name)\n"
        "  --json              show and list as JSON\n"
        "\n"
        "Exit codes: 0 done, 1 usage, 2 bad input (an unknown person, type or claim), 3\n"
        "refused (resolved already, at the last level), 4 storage.\n");
}

struct options {
    const char *args[2];
    int n_args;
    const char *about, *ref, *text, *reason, *by, *policy;
    int32_t date, as_of;
    int overdue, no_escalate, json;
};

enum {
    O_ABOUT = 256,
    O_TEXT,
    O_DATE,
    O_AS_OF,
    O_REASON,
    O_BY,
    O_POLICY,
    O_OVERDUE,
    O_NO_ESC,
    O_JSON
};

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"about", required_argument, NULL, O_ABOUT},
        {"text", required_argument, NULL, O_TEXT},
        {"date", required_argument, NULL, O_DATE},
        {"as-of", required_argument, NULL, O_AS_OF},
        {"reason", required_argument, NULL, O_REASON},
        {"by", required_argument, NULL, O_BY},
        {"policy", required_argument, NULL, O_POLICY},
        {"overdue", no_argument, NULL, O_OVERDUE},
        {"no-escalate", no_argument, NULL, O_NO_ESC},
        {"json", no_argument, NULL, O_JSON},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->date = o->as_of = DATE_NONE;
    o->policy = getenv("SPFLOOR_GRIEVANCE_POLICY");
    if (o->policy != NULL && o->policy[0] == '\0')
        o->policy = NULL;
    int c, rc = SP_OK;
    while (rc == SP_OK && (c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case O_ABOUT:
            o->about = optarg;
            break;
        case O_TEXT:
            o->text = optarg;
            break;
        case O_DATE:
            rc = cli_date_option("date", optarg, CALENDAR_AD, &o->date);
            break;
        case O_AS_OF:
            rc = cli_date_option("as-of", optarg, CALENDAR_AD, &o->as_of);
            break;
        case O_REASON:
            o->reason = optarg;
            break;
        case O_BY:
            o->by = optarg;
            break;
        case O_POLICY:
            o->policy = optarg;
            break;
        case O_OVERDUE:
            o->overdue = 1;
            break;
        case O_NO_ESC:
            o->no_escalate = 1;
            break;
        case O_JSON:
            o->json = 1;
            break;
        default:
            return cli_usage_error("grievance", "unknown option");
        }
    }
    for (; rc == SP_OK && optind < argc; optind++) {
        if (o->n_args == 2 && o->about != NULL && o->ref == NULL) {
            o->ref = argv[optind]; /* open PERSON --about TYPE REF */
            continue;
        }
        if (o->n_args == 2)
            return cli_usage_error("grievance", "unexpected argument \"%s\"", argv[optind]);
        o->args[o->n_args++] = argv[optind];
    }
    return rc;
}

/* ---- printing ---- */

static void day_text(int32_t d, char out[DATE_TEXT_SIZE])
{
    out[0] = '\0';
    if (d != DATE_NONE)
        date_format(d, out);
}

static void grievance_line(const struct grievance *g, const char *note)
{
    char opened[DATE_TEXT_SIZE], deadline[DATE_TEXT_SIZE];
    day_text(g->opened_on, opened);
    day_text(g->deadline, deadline);
    printf("%-6lld %s  %-12s %-8s %-8s %-9s opened %s  deadline %s%s  %s\n", (long long)g->id,
           g->person, grievance_about_name(g->about), g->ref[0] ? g->ref : "-",
           grievance_state_name(g->state), g->level, opened, deadline, note, g->text);
}

/* The grievances listed: as lines, or gathered into a JSON array. */
struct listing {
    json_t *array;
    int32_t as_of; /* the day overdue is judged on, or DATE_NONE */
};

static int list_one(void *ctx, const struct grievance *g)
{
    struct listing *l = ctx;
    if (l->array != NULL) {
        json_t *o = records_grievance_json(g);
        return o != NULL && json_array_append_new(l->array, o) == 0 ? 0 : SP_IO;
    }
    int overdue = l->as_of != DATE_NONE && grievance_flow_is_overdue(g, l->as_of);
    grievance_line(g, overdue ? " OVERDUE" : "");
    return 0;
}

static int list_overdue(void *ctx, const struct grievance *g, int escalated)
{
    struct listing *l = ctx;
    if (l->array != NULL) {
        json_t *o = records_grievance_json(g);
        if (o != NULL) {
            json_object_set_new(o, "escalated", json_integer(escalated));
            json_object_set_new(o, "overdue", json_boolean(grievance_flow_is_overdue(g, l->as_of)));
        }
        return o != NULL && json_array_append_new(l->array, o) == 0 ? 0 : SP_IO;
    }
    char note[64] = "";
    if (escalated)
        snprintf(note, sizeof note, " (escalated %d)", escalated);
    if (grievance_flow_is_overdue(g, l->as_of))
        snprintf(note + strlen(note), sizeof note - strlen(note), " OVERDUE");
    grievance_line(g, note);
    return 0;
}

static int show_step(void *ctx, const struct grievance_step *st)
{
    json_t *steps = ctx;
    char on[DATE_TEXT_SIZE], deadline[DATE_TEXT_SIZE];
    day_text(st->on_date, on);
    day_text(st->deadline, deadline);
    if (steps != NULL) {
        json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "seq", st->seq, "action",
                              st->action, "level", st->level, "date", on, "deadline", deadline,
                              "recorded_at", st->at, "by", st->actor, "reason", st->reason);
        return o != NULL && json_array_append_new(steps, o) == 0 ? 0 : SP_IO;
    }
    printf("  %d. %s  %-8s -> %-9s%s%s  by %s (recorded %s): %s\n", st->seq, on, st->action,
           st->level, deadline[0] ? "  deadline " : "", deadline, st->actor, st->at, st->reason);
    return 0;
}

static int grievance_show(struct store *store, const struct options *o, struct error *err)
{
    int64_t id = 0;
    int rc = grievances_parse_id(o->args[1], &id, err);
    struct grievance g;
    int found = 0;
    if (rc == SP_OK)
        rc = store_grievance_get(store, id, &g, &found, err);
    if (rc == SP_OK && !found)
        rc = error_set(err, SP_BAD_INPUT, "no grievance has the number %lld", (long long)id);
    if (rc != SP_OK)
        return rc;
    json_t *doc = NULL, *steps = NULL;
    if (o->json) {
        doc = records_grievance_json(&g);
        steps = json_array();
        if (doc == NULL || steps == NULL) {
            json_decref(doc);
            json_decref(steps);
            return error_nomem(err);
        }
        json_object_set_new(doc, "steps", steps);
    } else {
        char deadline[DATE_TEXT_SIZE], resolved[DATE_TEXT_SIZE];
        day_text(g.deadline, deadline);
        day_text(g.resolved_on, resolved);
        printf("grievance %lld: %s about %s%s%s: %s\n", (long long)g.id, g.person,
               grievance_about_name(g.about), g.ref[0] ? " " : "", g.ref, g.text);
        if (g.state == GRIEVANCE_RESOLVED)
            printf("state: resolved on %s at %s: %s\n", resolved, g.level, g.resolution);
        else
            printf("state: open at %s, deadline %s\n", g.level, deadline);
        printf("steps:\n");
    }
    rc = store_grievance_steps_each(store, id, show_step, steps, err);
    if (rc == SP_OK && o->json)
        return cli_output_json(doc, err);
    json_decref(doc);
    return rc == SP_IO && err->code == SP_OK ? error_nomem(err) : rc;
}

static int grievance_list(struct cli *cli, struct store *store, const struct options *o,
                          const struct grievance_policy *p, struct error *err)
{
    const char *person = o->n_args > 1 ? o->args[1] : NULL;
    char digits[WORKER_ID_SIZE];
    if (person != NULL && worker_id_parse(person, digits, err) != SP_OK)
        return SP_BAD_INPUT;
    struct listing l = {o->json ? json_array() : NULL, DATE_NONE};
    if (o->json && l.array == NULL)
        return error_nomem(err);
    l.as_of = o->as_of != DATE_NONE ? o->as_of : cli_today(cli);
    int rc = o->overdue ? grievances_overdue(store, p, l.as_of, !o->no_escalate, cli_actor(o->by),
                                             list_overdue, &l, err)
                        : store_grievances_each(store, person != NULL ? digits : NULL, 0, list_one,
                                                &l, err);
    if (rc == SP_OK && o->json)
        return cli_output_json(l.array, err);
    json_decref(l.array);
    return rc == SP_IO && err->code == SP_OK ? error_nomem(err) : rc;
}

/* ---- writing ---- */

static int grievance_write(struct cli *cli, struct store *store, const struct options *o,
                           const struct grievance_policy *p, struct error *err)
{
    const char *verb = o->args[0];
    int32_t on = o->date != DATE_NONE ? o->date : cli_today(cli);
    struct grievance g;
    int rc = SP_OK;
    if (strcmp(verb, "open") == 0) {
        struct grievances_request rq = {o->args[1], o->about, o->ref,
                                        o->text,    on,       cli_actor(o->by)};
        rc = grievances_open(store, p, &rq, cli_today(cli), &g, err);
    } else {
        int64_t id = 0;
        rc = grievances_parse_id(o->args[1], &id, err);
        if (rc == SP_OK && strcmp(verb, "escalate") == 0)
            rc = grievances_escalate(store, p, id, on, cli_actor(o->by), o->reason, &g, err);
        else if (rc == SP_OK)
            rc = grievances_resolve(store, id, on, cli_actor(o->by), o->reason, &g, err);
    }
    if (rc != SP_OK)
        return rc;
    char deadline[DATE_TEXT_SIZE];
    day_text(g.deadline, deadline);
    if (g.state == GRIEVANCE_RESOLVED)
        printf("grievance %lld: resolved at %s\n", (long long)g.id, g.level);
    else
        printf("grievance %lld: open at %s, deadline %s\n", (long long)g.id, g.level, deadline);
    return SP_OK;
}

int cmd_grievance(struct cli *cli, int argc, char **argv)
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
    int opening = strcmp(verb, "open") == 0;
    int changing = strcmp(verb, "escalate") == 0 || strcmp(verb, "resolve") == 0;
    int listing = strcmp(verb, "list") == 0, showing = strcmp(verb, "show") == 0;
    if (!opening && !changing && !listing && !showing)
        return cli_usage_error("grievance",
                               "unknown subcommand \"%s\": use open, escalate, resolve, show or "
                               "list",
                               verb);
    if (opening && (o.n_args != 2 || o.about == NULL || o.text == NULL))
        return cli_usage_error("grievance", "open takes a person, --about TYPE [REF] and --text");
    if (changing && (o.n_args != 2 || o.reason == NULL || o.reason[0] == '\0'))
        return cli_usage_error("grievance", "%s takes a grievance number and --reason TEXT", verb);
    if (showing && o.n_args != 2)
        return cli_usage_error("grievance", "show takes a grievance number");
    if (listing && o.overdue && o.n_args > 1)
        return cli_usage_error("grievance", "list --overdue covers everyone: no person");
    struct error err;
    error_init(&err);
    struct grievance_policy policy;
    rc = grievances_policy_load(o.policy, &policy, &err);
    if (rc != SP_OK)
        return cli_report(&err);
    struct store *store = NULL;
    int writes = opening || changing || (listing && o.overdue && !o.no_escalate);
    rc = writes ? cli_open_writer(cli, o.by, &store) : cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    rc = showing   ? grievance_show(store, &o, &err)
         : listing ? grievance_list(cli, store, &o, &policy, &err)
                   : grievance_write(cli, store, &o, &policy, &err);
    return cli_close_store(store, rc, &err);
}
