/*
 * cmd_event.c: `spfloor event add` (a life event of a registered person, with what it changes
 * on the records: ops/events.h) and `spfloor event list`.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/ids.h"
#include "cli/cli.h"
#include "ops/events.h"

static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: spfloor [--db FILE] event add ID --type TYPE --date YYYY-MM-DD [FACTS]\n"
            "                                     [--reason TEXT] [--by NAME]\n"
            "       spfloor [--db FILE] event list ID [--json]\n"
            "\n"
            "add   records a life event of the registered person with worker ID ID, and\n"
            "      makes the changes it brings, each kept in 'person history ID' with who\n"
            "      (--by, else $SPFLOOR_USER or the login name), when and why (the event, and\n"
            "      --reason: the certificate or document it was read from):\n"
            "        birth        (on the mother) links the child (--child ID) or registers\n"
            "                     them (--child-given-name, --child-sex, --child-family-name);\n"
            "                     the mother's living_children, when set, grows by one\n"
            "        death        marks the record deceased; the spouse (of the last\n"
            "                     marriage event, else the household's head or spouse) is\n"
            "                     widowed, with a widowhood event of their own\n"
            "        marriage, divorce  marital_status married or divorced, and the\n"
            "                     spouse's (--spouse ID), who gets the same event\n"
            "        widowhood    marital_status widowed (--spouse: the one who died)\n"
            "        disability_assessment  disability_class (--disability-class)\n"
            "        move         admin1 and admin2 (--admin2, --admin1: names, codes or\n"
            "                     local names from the gazetteer), --household\n"
            "        departure    a migrant leaves (--destination CC, --contract-months N)\n"
            "        return, job_loss, work_accident, pregnancy, miscarriage\n"
            "                     change no fact; the schemes read them\n"
            "      Every later 'entitlements' decision of the person reads their events, as\n"
            "      an 'evaluate' file's events are read. An unknown type, an impossible or\n"
            "      future date, a date before the person's birth or after their death, an\n"
            "      unknown person, child or spouse exit with code 2 and change nothing.\n"
            "list  prints the person's events, by date.\n"
            "\n"
            "Options:\n"
            "  --type TYPE              birth, death, marriage, divorce, widowhood,\n"
            "                           disability_assessment, move, departure, return,\n"
            "                           job_loss, work_accident, pregnancy, miscarriage\n"
            "  --date DATE              when it happened: YYYY-MM-DD, or \"2082-08-15 BS\"\n"
            "  --calendar bs            read --date without a suffix as Bikram Sambat\n"
            "  --child ID               birth: the child, registered already\n"
            "  --child-given-name NAME  birth: registers the child, born on --date in the\n"
            "  --child-sex SEX          mother's household and district (female, male,\n"
            "  --child-family-name NAME other; the family name defaults to the mother's)\n"
            "  --spouse ID              marriage, divorce, widowhood: the spouse\n"
            "  --destination CC         departure: the country of work (ISO 3166-1)\n"
            "  --contract-months N      departure: the contract's length, 1 to 600\n"
            "  --disability-class C     disability_assessment: none, A, B or C\n"
            "  --admin1, --admin2 NAME  move: the new province and district\n"
            "  --household ID           move: the household moved into\n"
            "  --reason TEXT            why, or the document (a certificate's number)\n"
            "  --by NAME                who records it\n"
            "  --json                   list: print a JSON array\n"
            "\n"
            "Examples:\n"
            "  spfloor event add 000000000019 --type death --date 2026-01-05 \\\n"
            "      --reason \"death certificate 4411\"\n"
            "  spfloor event add 000000000027 --type birth --date 2025-08-10 \\\n"
            "      --child-given-name Maya --child-sex female\n"
            "  spfloor event add 000000000035 --type move --date 2026-02-01 --admin2 Jumla\n"
            "  spfloor event list 000000000027\n");
}

enum {
    O_TYPE = 1000,
    O_DATE,
    O_CALENDAR,
    O_CHILD,
    O_CHILD_GIVEN,
    O_CHILD_FAMILY,
    O_CHILD_SEX,
    O_SPOUSE,
    O_DESTINATION,
    O_CONTRACT,
    O_DISABILITY,
    O_ADMIN1,
    O_ADMIN2,
    O_HOUSEHOLD,
    O_REASON,
    O_BY,
    O_JSON,
};

static int event_add(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"type", required_argument, NULL, O_TYPE},
        {"date", required_argument, NULL, O_DATE},
        {"calendar", required_argument, NULL, O_CALENDAR},
        {"child", required_argument, NULL, O_CHILD},
        {"child-given-name", required_argument, NULL, O_CHILD_GIVEN},
        {"child-family-name", required_argument, NULL, O_CHILD_FAMILY},
        {"child-sex", required_argument, NULL, O_CHILD_SEX},
        {"spouse", required_argument, NULL, O_SPOUSE},
        {"destination", required_argument, NULL, O_DESTINATION},
        {"contract-months", required_argument, NULL, O_CONTRACT},
        {"disability-class", required_argument, NULL, O_DISABILITY},
        {"admin1", required_argument, NULL, O_ADMIN1},
        {"admin2", required_argument, NULL, O_ADMIN2},
        {"household", required_argument, NULL, O_HOUSEHOLD},
        {"reason", required_argument, NULL, O_REASON},
        {"by", required_argument, NULL, O_BY},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    struct events_request r;
    memset(&r, 0, sizeof r);
    r.date = DATE_NONE;
    struct events_facts *f = &r.facts;
    const char *date = NULL, *calendar_text = NULL, *by = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (c) {
        case 'h':
            print_help(stdout);
            return SP_OK;
        case O_TYPE:
            r.type = optarg;
            break;
        case O_DATE:
            date = optarg;
            break;
        case O_CALENDAR:
            calendar_text = optarg;
            break;
        case O_CHILD:
            f->child = optarg;
            break;
        case O_CHILD_GIVEN:
            f->child_given_name = optarg;
            break;
        case O_CHILD_FAMILY:
            f->child_family_name = optarg;
            break;
        case O_CHILD_SEX:
            f->child_sex = optarg;
            break;
        case O_SPOUSE:
            f->spouse = optarg;
            break;
        case O_DESTINATION:
            f->destination = optarg;
            break;
        case O_CONTRACT:
            f->contract_months = optarg;
            break;
        case O_DISABILITY:
            f->disability_class = optarg;
            break;
        case O_ADMIN1:
            f->admin1 = optarg;
            break;
        case O_ADMIN2:
            f->admin2 = optarg;
            break;
        case O_HOUSEHOLD:
            f->household = optarg;
            break;
        case O_REASON:
            r.reason = optarg;
            break;
        case O_BY:
            by = optarg;
            break;
        default:
            return cli_usage_error("event add", "unknown option");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("event add", "give one worker ID, e.g. event add 000000000019 "
                                            "--type death --date 2026-01-05");
    if (r.type == NULL)
        return cli_usage_error("event add", "--type TYPE is required (birth, death, marriage, "
                                            "move ...)");
    if (date == NULL)
        return cli_usage_error("event add", "--date YYYY-MM-DD (when it happened) is required");
    enum calendar calendar = CALENDAR_AD;
    if (calendar_text != NULL &&
        cli_calendar_option("event add", calendar_text, &calendar) != SP_OK)
        return SP_USAGE;
    if (cli_date_option("--date", date, calendar, &r.date) != SP_OK)
        return SP_BAD_INPUT;
    struct error err;
    error_init(&err);
    char id[WORKER_ID_SIZE];
    if (worker_id_parse(argv[optind], id, &err) != SP_OK)
        return cli_report(&err);
    r.person = id;
    r.actor = cli_actor(by);
    struct store *s = NULL;
    int rc = cli_open_store(cli, STORE_READ_WRITE, &s);
    if (rc != SP_OK)
        return rc;
    struct events_outcome out;
    rc = events_add(s, &r, cli_today(cli), &out, cli_say_retry, cli, &err);
    store_close(s);
    if (rc != SP_OK)
        return cli_report(&err);
    char day[DATE_TEXT_SIZE];
    date_format(out.ev.e.date, day);
    printf("%s: %s of %s recorded (event %d)\n", out.ev.e.person,
           event_type_name((int)out.ev.e.type), day, out.ev.seq);
    for (int i = 0; i < out.n_effects; i++)
        printf("  %s\n", out.effects[i]);
    return SP_OK;
}

/* What an event carries beside its type and date, as "key value" pairs into out. */
static void details_of(const struct registry_event *ev, char *out, size_t size)
{
    size_t n = 0;
    out[0] = '\0';
#define DETAIL(cond, fmt, ...)                                                                     \
    do {                                                                                           \
        if ((cond) && n < size)                                                                    \
            n += (size_t)snprintf(out + n, size - n, "%s" fmt, n ? ", " : "", __VA_ARGS__);        \
    } while (0)
    DETAIL(ev->e.child[0], "child %s", ev->e.child);
    DETAIL(ev->spouse[0], "spouse %s", ev->spouse);
    DETAIL(ev->e.destination[0], "destination %s", ev->e.destination);
    DETAIL(ev->e.contract_months > 0, "contract_months %d", ev->e.contract_months);
    DETAIL(ev->disability_class, "disability_class %s",
           person_enum_name("disability_class", ev->disability_class));
    DETAIL(ev->admin1[0], "admin1 %s", ev->admin1);
    DETAIL(ev->admin2[0], "admin2 %s", ev->admin2);
    DETAIL(ev->household[0], "household %s", ev->household);
#undef DETAIL
}

/* The events listed: as text lines, or gathered into a JSON array. */
struct listing {
    json_t *array; /* --json: the events; NULL: print text */
    int n;
};

static int print_event(void *ctx, const struct registry_event *ev)
{
    struct listing *l = ctx;
    char day[DATE_TEXT_SIZE], details[512];
    date_format(ev->e.date, day);
    details_of(ev, details, sizeof details);
    l->n++;
    if (l->array == NULL) {
        printf("%s  %-21s %s%s(recorded %s by %s: %s)\n", day, event_type_name((int)ev->e.type),
               details, details[0] ? "  " : "", ev->recorded_at, ev->actor, ev->reason);
        return 0;
    }
    json_t *o = json_pack("{s:i, s:s, s:s, s:s, s:s, s:s}", "seq", ev->seq, "type",
                          event_type_name((int)ev->e.type), "date", day, "recorded_at",
                          ev->recorded_at, "by", ev->actor, "reason", ev->reason);
    if (o == NULL)
        return SP_IO;
    const char *keys[] = {"child", "spouse", "destination", "admin1", "admin2", "household"};
    const char *values[] = {ev->e.child, ev->spouse, ev->e.destination,
                            ev->admin1,  ev->admin2, ev->household};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (values[i][0] != '\0')
            json_object_set_new(o, keys[i], json_string(values[i]));
    if (ev->e.contract_months > 0)
        json_object_set_new(o, "contract_months", json_integer(ev->e.contract_months));
    if (ev->disability_class)
        json_object_set_new(
            o, "disability_class",
            json_string(person_enum_name("disability_class", ev->disability_class)));
    return json_array_append_new(l->array, o) == 0 ? 0 : SP_IO;
}

static int event_list(struct cli *cli, int argc, char **argv)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, O_JSON},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            print_help(stdout);
            return SP_OK;
        }
        if (c != O_JSON)
            return cli_usage_error("event list", "unknown option");
        json = 1;
    }
    if (optind != argc - 1)
        return cli_usage_error("event list", "give one worker ID, e.g. event list 000000000019");
    struct error err;
    error_init(&err);
    char id[WORKER_ID_SIZE];
    if (worker_id_parse(argv[optind], id, &err) != SP_OK)
        return cli_report(&err);
    struct store *s = NULL;
    int rc = cli_open_existing_store(cli, &s);
    if (rc != SP_OK)
        return rc;
    struct listing l = {json ? json_array() : NULL, 0};
    if (json && l.array == NULL) {
        store_close(s);
        return cli_out_of_memory();
    }
    rc = events_list(s, id, print_event, &l, &err);
    store_close(s);
    if (rc == SP_OK && json) {
        char *text = json_dumps(l.array, JSON_INDENT(2));
        rc = text != NULL ? SP_OK : SP_IO;
        if (text != NULL)
            printf("%s\n", text);
        free(text);
    } else if (rc == SP_OK && l.n == 0) {
        printf("%s: no events recorded\n", id);
    }
    json_decref(l.array);
    if (rc == SP_IO && err.code == SP_OK)
        return cli_out_of_memory();
    return rc != SP_OK ? cli_report(&err) : SP_OK;
}

int cmd_event(struct cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    optind = 0; /* reinitialise getopt: permute options, as for any command */
    if (strcmp(argv[1], "add") == 0)
        return event_add(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "list") == 0)
        return event_list(cli, argc - 1, argv + 1);
    return cli_usage_error("event", "unknown subcommand \"%s\": use add or list", argv[1]);
}
