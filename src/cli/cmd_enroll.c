/*
 * cmd_enroll.c: `spfloor enroll`: enrolling registered persons in schemes as the rules engine
 * decides, one person or everyone eligible, listing enrolments and changing their state
 * (ops/enrol.h, docs/enrolment.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "cli/cli.h"
#include "ops/enrol.h"
#include "ops/rules.h"

static void print_help(void)
{
    printf(
        "Usage: spfloor enroll PERSON SCHEME [--from DATE] [--reason TEXT] [--by NAME]\n"
        "                      [--override --reason TEXT]\n"
        "       spfloor enroll --all --scheme SCHEME [--as-of DATE] [--reason TEXT] [--by NAME]\n"
        "       spfloor enroll list PERSON\n"
        "       spfloor enroll suspend|resume|end PERSON SCHEME [--date DATE] --reason TEXT\n"
        "                      [--by NAME]\n"
        "\n"
        "Enrols a registered person in a scheme from a day, when the rules engine decides on\n"
        "that day that the scheme pays them (eligible, and not excluded by another scheme of\n"
        "its group: one allowance per person). Otherwise it refuses, with the decision's\n"
        "reasons, or, when the decision is undetermined, the facts to ask for. An adjudicator\n"
        "may enrol against the decision with --override and --reason; the reason is kept.\n"
        "\n"
        "  --from DATE      the first day (default: today); the decision is made on it\n"
        "  --all            everyone whose decision for --scheme is payable on --as-of\n"
        "                   (default today): the undetermined ones are listed with the facts\n"
        "                   to ask for, not enrolled. Enrolments are written 1,000 to a\n"
        "                   transaction; run it again after a kill and it ends with the same\n"
        "                   enrolments, none twice.\n"
        "  --reason TEXT    why (default \"eligible\"; needed with --override and to change a\n"
        "                   state)\n"
        "  --by NAME        who (default $SPFLOOR_USER, else the login name)\n"
        "  list PERSON      the person's enrolments: scheme, first day, state, since when\n"
        "  suspend, resume, end   change the state of the enrolment on --date (default\n"
        "                   today; end: its last day); every change is kept in the\n"
        "                   person's history (spfloor person history)\n"
        "\n"
        "Exit codes: 0 done, 1 usage, 2 bad input (no such person or scheme, a record merged\n"
        "or of a person who died), 3 refused (the decision does not pay), 4 storage.\n");
}

struct options {
    const char *args[3];
    int n_args;
    int all;
    const char *scheme;
    int32_t date; /* --from, --as-of, --date */
    const char *reason;
    const char *by;
    int override;
};

static int parse_options(struct cli *cli, int argc, char **argv, struct options *o)
{
    static const struct option options[] = {
        {"from", required_argument, NULL, 'f'},
        {"as-of", required_argument, NULL, 'f'},
        {"date", required_argument, NULL, 'f'},
        {"all", no_argument, NULL, 'a'},
        {"scheme", required_argument, NULL, 's'},
        {"reason", required_argument, NULL, 'r'},
        {"by", required_argument, NULL, 'b'},
        {"override", no_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    memset(o, 0, sizeof *o);
    o->date = DATE_NONE;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (c) {
        case 'f': {
            int rc = cli_date_option("date", optarg, CALENDAR_AD, &o->date);
            if (rc != SP_OK)
                return rc;
            break;
        }
        case 'a':
            o->all = 1;
            break;
        case 's':
            o->scheme = optarg;
            break;
        case 'r':
            o->reason = optarg;
            break;
        case 'b':
            o->by = optarg;
            break;
        case 'o':
            o->override = 1;
            break;
        default:
            return cli_usage_error("enroll", "unknown option");
        }
    }
    if (cli_operands("enroll", argc, argv, o->args, 3, &o->n_args) != SP_OK)
        return SP_USAGE;
    if (o->override && (o->reason == NULL || o->reason[0] == '\0'))
        return cli_usage_error("enroll", "--override needs --reason TEXT: why the decision is "
                                         "set aside");
    if (o->date == DATE_NONE)
        o->date = cli_today(cli);
    return SP_OK;
}

/* ---- enroll --all ---- */

static int say_undetermined(void *ctx, const char *person, const char *missing)
{
    (void)ctx;
    printf("%s undetermined: ask for", person);
    for (const char *at = missing; *at;) {
        const char *end = strchr(at, '\n');
        int n = end ? (int)(end - at) : (int)strlen(at);
        printf(" %.*s", n, at);
        at += n + (end != NULL);
    }
    printf("\n");
    return SP_OK;
}

static int enroll_all(struct cli *cli, const struct options *o, const struct scheme_library *lib,
                      struct store *store, struct error *err)
{
    struct cli_progress progress;
    cli_progress_init(&progress, cli, "enrolment: decided or written");
    struct enrol_summary sum;
    int rc = enrol_all(store, lib, o->scheme, o->date, cli_actor(o->by),
                       o->reason ? o->reason : "eligible", say_undetermined, NULL,
                       cli_progress_show, &progress, &sum, err);
    cli_progress_end(&progress);
    if (rc == SP_OK)
        fprintf(stderr,
                "%s: %lld persons decided, %lld payable: %lld enrolled now, %lld already; "
                "%lld undetermined (listed), %lld excluded by another scheme of the group\n",
                o->scheme, (long long)sum.decided, (long long)sum.payable, (long long)sum.added,
                (long long)sum.already, (long long)sum.undetermined, (long long)sum.excluded);
    return rc;
}

/* ---- enroll list ---- */

static int print_enrolment(void *ctx, const struct enrolment_record *r)
{
    (void)ctx;
    char from[DATE_TEXT_SIZE], since[DATE_TEXT_SIZE], to[DATE_TEXT_SIZE] = "";
    date_format(r->e.from, from);
    date_format(r->state_since, since);
    if (r->e.to != DATE_NONE)
        date_format(r->e.to, to);
    printf("%-36s from %s  %-9s since %s%s%s  by %s: %s%s\n", r->e.scheme, from,
           enrolment_state_name(r->state), since, to[0] ? ", last day " : "", to, r->actor,
           r->reason, r->override_reason[0] ? " (enrolled against the rules' decision)" : "");
    return 0;
}

int cmd_enroll(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct options o;
    int rc = parse_options(cli, argc, argv, &o);
    if (rc != SP_OK)
        return rc;
    const char *verb = o.n_args > 0 ? o.args[0] : "";
    int state = strcmp(verb, "suspend") == 0  ? ENROLMENT_SUSPENDED
                : strcmp(verb, "resume") == 0 ? ENROLMENT_ACTIVE
                : strcmp(verb, "end") == 0    ? ENROLMENT_ENDED
                                              : 0;
    int listing = strcmp(verb, "list") == 0;
    int shift = state != 0 || listing; /* the verb comes before the person */
    const char *person = o.n_args > shift ? o.args[shift] : NULL;
    const char *scheme = o.n_args > shift + 1 ? o.args[shift + 1] : NULL;
    if (o.all && (o.scheme == NULL || o.n_args > 0))
        return cli_usage_error("enroll", "--all takes --scheme SCHEME and no person");
    if (listing && o.n_args != 2)
        return cli_usage_error("enroll", "list takes a person: enroll list PERSON");
    if (state != 0 && o.n_args != 3)
        return cli_usage_error("enroll", "%s takes a person and a scheme: enroll %s PERSON SCHEME",
                               verb, verb);
    if (state != 0 && (o.reason == NULL || o.reason[0] == '\0'))
        return cli_usage_error("enroll", "%s needs --reason TEXT", verb);
    if (!o.all && !listing && state == 0 && o.n_args != 2)
        return cli_usage_error("enroll", "give a person and a scheme: enroll PERSON SCHEME");
    struct error err;
    error_init(&err);
    struct store *store = NULL;
    rc = listing ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK)
        return rc;
    if (listing) {
        rc = store_enrolments_each(store, person, print_enrolment, NULL, &err);
        return cli_close_store(store, rc, &err);
    }
    if (state != 0) {
        rc = enrol_set_state(store, person, scheme, state, o.date, cli_actor(o.by), o.reason, &err);
        char day[DATE_TEXT_SIZE];
        date_format(o.date, day);
        if (rc == SP_OK)
            printf("%s's enrolment in %s: %s %s %s\n", person, scheme, enrolment_state_name(state),
                   state == ENROLMENT_ENDED ? "after" : "from", day);
        return cli_close_store(store, rc, &err);
    }
    struct ops_rules rules;
    memset(&rules, 0, sizeof rules);
    rc = ops_rules_load(cli->schemes_dir, NULL, 0, store, &rules, &err);
    if (rc == SP_OK && o.all) {
        rc = enroll_all(cli, &o, rules.lib, store, &err);
    } else if (rc == SP_OK) {
        struct enrol_request rq = {person,          scheme,
                                   o.date,          o.override ? o.reason : NULL,
                                   cli_actor(o.by), o.reason ? o.reason : "eligible"};
        int added = 0;
        enum decision_status status;
        rc = enrol_person(store, rules.lib, &rq, &added, &status, &err);
        char day[DATE_TEXT_SIZE];
        date_format(o.date, day);
        if (rc == SP_OK)
            printf(added ? "%s enrolled in %s from %s (decision: %s%s)\n"
                         : "%s is already enrolled in %s (decision on %s: %s%s)\n",
                   person, scheme, day, decision_status_name(status),
                   o.override && status != DECISION_ELIGIBLE ? ", set aside by override" : "");
    }
    ops_rules_release(&rules);
    return cli_close_store(store, rc, &err);
}
