/*
 * cmd_outreach_case.c: `spfloor outreach case add|update|list`: legal-aid and assisted-claim
 * cases followed to their outcome (ops/outreach_cases.h, docs/reports.md "Cases").
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/money.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/outreach_cases.h"

static void print_help(void)
{
    printf("Usage: spfloor outreach case add --org ORG --kind legal_aid|assisted_claim\n"
           "                                 --date DATE --country CC --area AREA\n"
           "                                 [--person ID | --claimant SEX:AGE]\n"
           "                                 [--activity N] [--note TEXT] [--by NAME]\n"
           "       spfloor outreach case update ID --outcome won|lost|pending [--date DATE]\n"
           "                                 [--recovered AMOUNT] [--note TEXT] [--by NAME]\n"
           "       spfloor outreach case list [--org ORG]\n"
           "\n"
           "Follows a legal-aid or assisted-claim case to its outcome. A case is opened pending\n"
           "for a registry person (--person, a worker ID) or an anonymous claimant\n"
           "(--claimant female:under_35; sex female, male, other or not_given; age under_35,\n"
           "35_and_over or age_not_given), from an outreach activity if --activity names it.\n"
           "update sets its outcome on a day (--date, default today) and, for a case won, the\n"
           "amount recovered (--recovered 15000.00, in the currency of the case's country,\n"
           "or \"15000.00 NPR\"). Every write is audited.\n"
           "\n"
           "`spfloor report annual` counts the cases won and the amounts recovered.\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (nothing is written), 3 the registry\n"
           "cannot be opened, 4 storage.\n");
}

struct options {
    const char *verb, *id_text, *org_filter, *by, *recovered, *note;
    struct outreach_case c;
    int32_t date;
    uint8_t outcome;
};

/* "female:under_35" into c's sex and youth. */
static int parse_claimant(const char *text, struct outreach_case *c, struct error *err)
{
    const char *colon = strchr(text, ':');
    char sex[16] = "";
    if (colon == NULL || colon - text >= (long)sizeof sex)
        return error_set(err, SP_BAD_INPUT,
                         "--claimant \"%s\": write SEX:AGE, such as female:under_35", text);
    memcpy(sex, text, (size_t)(colon - text));
    int s = strcmp(sex, "not_given") == 0 ? -1 : outreach_word_parse(person_sex_words, sex);
    int y = outreach_word_parse(outreach_youth_words, colon + 1);
    if (s == 0 || y == 0)
        return error_set(err, SP_BAD_INPUT,
                         "--claimant \"%s\": sex female, male, other or not_given; age "
                         "under_35, 35_and_over or age_not_given",
                         text);
    c->sex = (uint8_t)(s < 0 ? 0 : s);
    c->youth = (uint8_t)(y - 1);
    return SP_OK;
}

static int parse_options(int argc, char **argv, struct options *o, struct error *err)
{
    static const struct option options[] = {
        {"org", required_argument, NULL, 'o'},
        {"kind", required_argument, NULL, 'k'},
        {"date", required_argument, NULL, 'd'},
        {"country", required_argument, NULL, 'c'},
        {"area", required_argument, NULL, 'a'},
        {"person", required_argument, NULL, 'p'},
        {"claimant", required_argument, NULL, 'C'},
        {"activity", required_argument, NULL, 'A'},
        {"note", required_argument, NULL, 'N'},
        {"by", required_argument, NULL, 'b'},
        {"outcome", required_argument, NULL, 'O'},
        {"recovered", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    o->date = DATE_NONE;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        int rc = SP_OK;
        long long n = 0;
        switch (c) {
        case 'o':
            o->org_filter = optarg;
            rc = cli_text_option("--org", optarg, o->c.org, sizeof o->c.org, err);
            break;
        case 'k':
            o->c.kind = (uint8_t)outreach_word_parse(case_kind_words, optarg);
            if (o->c.kind == 0)
                rc = error_set(err, SP_BAD_INPUT, "--kind \"%s\": use legal_aid or assisted_claim",
                               optarg);
            break;
        case 'd':
            rc = date_parse(optarg, &o->date, err);
            if (rc != SP_OK)
                error_prefix(err, "--date");
            break;
        case 'c':
            rc = cli_country_field(optarg, o->c.country, sizeof o->c.country, err);
            break;
        case 'a':
            rc = cli_text_option("--area", optarg, o->c.area, sizeof o->c.area, err);
            break;
        case 'p':
            if (!text_copy(o->c.person, sizeof o->c.person, optarg))
                rc = error_set(err, SP_BAD_INPUT, "--person \"%s\" is not a worker ID", optarg);
            break;
        case 'C':
            rc = parse_claimant(optarg, &o->c, err);
            break;
        case 'A':
            if (text_parse_int64(optarg, &n) != 1 || n < 1)
                rc = error_set(err, SP_BAD_INPUT, "--activity \"%s\" is not an activity number",
                               optarg);
            o->c.activity = n;
            break;
        case 'N':
            o->note = optarg;
            rc = cli_text_option("--note", optarg, o->c.note, sizeof o->c.note, err);
            break;
        case 'b':
            o->by = optarg;
            break;
        case 'O':
            o->outcome = (uint8_t)outreach_word_parse(case_outcome_words, optarg);
            if (o->outcome == 0)
                rc = error_set(err, SP_BAD_INPUT, "--outcome \"%s\": use won, lost or pending",
                               optarg);
            break;
        case 'r':
            o->recovered = optarg;
            break;
        default:
            return cli_usage_error("outreach case", "unknown option");
        }
        if (rc != SP_OK)
            return rc;
    }
    if (optind >= argc)
        return cli_usage_error("outreach case", "use add, update or list");
    o->verb = argv[optind++];
    if (strcmp(o->verb, "update") == 0) {
        if (optind >= argc)
            return cli_usage_error("outreach case", "update takes the case's number");
        o->id_text = argv[optind++];
    }
    if (optind < argc)
        return cli_usage_error("outreach case", "unexpected argument \"%s\"", argv[optind]);
    return SP_OK;
}

static void print_case(const struct outreach_case *c)
{
    char opened[DATE_TEXT_SIZE], decided[DATE_TEXT_SIZE] = "", amount[MONEY_TEXT_MAX] = "";
    date_format(c->opened, opened);
    if (c->decided != DATE_NONE)
        date_format(c->decided, decided);
    if (c->recovered > 0) {
        struct money m = {.minor = c->recovered};
        text_copy(m.currency, sizeof m.currency, c->currency);
        money_format(m, amount, sizeof amount);
    }
    const char *outcome = case_outcome_words[c->outcome ? c->outcome - 1 : 0];
    printf("case %-5lld %s  %s  %s  %s / %s  %s%s%s%s%s%s%s%s%s\n", (long long)c->id, opened,
           c->org, case_kind_words[c->kind ? c->kind - 1 : 0], c->country, c->area,
           c->person[0] ? c->person : "anonymous", "  ", outcome, decided[0] ? " on " : "", decided,
           amount[0] ? ", recovered " : "", amount, amount[0] ? " " : "",
           amount[0] ? c->currency : "");
}

static int list_cases(struct store *store, const struct options *o, struct error *err)
{
    struct outreach_case *cases = NULL;
    int n = 0;
    int rc = outreach_cases_load(store, &cases, &n, err);
    for (int i = 0; rc == SP_OK && i < n; i++)
        if (o->org_filter == NULL || strcmp(cases[i].org, o->org_filter) == 0)
            print_case(&cases[i]);
    sp_free(cases);
    return rc == SP_OK ? cli_output_check(err) : rc;
}

/* The change an update asks for; SP_BAD_INPUT for its number or amount. */
static int make_change(struct cli *cli, const struct options *o, struct case_change *ch,
                       struct error *err)
{
    memset(ch, 0, sizeof *ch);
    long long id = 0;
    if (text_parse_int64(o->id_text, &id) != 1 || id < 1)
        return error_set(err, SP_BAD_INPUT, "\"%s\" is not a case number", o->id_text);
    ch->id = id;
    ch->outcome = o->outcome;
    ch->decided = o->date;
    if (ch->decided == DATE_NONE && (o->outcome == CASE_WON || o->outcome == CASE_LOST))
        ch->decided = cli_today(cli);
    ch->note = o->note;
    ch->recovered = o->recovered;
    return SP_OK;
}

int cmd_outreach_case(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    struct options o;
    memset(&o, 0, sizeof o);
    struct error err;
    error_init(&err);
    int rc = parse_options(argc, argv, &o, &err);
    if (rc != SP_OK)
        return rc == SP_USAGE ? rc : cli_report(&err);
    int adding = strcmp(o.verb, "add") == 0, updating = strcmp(o.verb, "update") == 0;
    if (!adding && !updating && strcmp(o.verb, "list") != 0)
        return cli_usage_error("outreach case",
                               "unknown subcommand \"%s\": use add, update or list", o.verb);
    if (adding && (o.c.org[0] == '\0' || o.c.kind == 0 || o.date == DATE_NONE ||
                   o.c.country[0] == '\0' || o.c.area[0] == '\0'))
        return cli_usage_error("outreach case",
                               "add takes --org, --kind, --date, --country and --area");
    if (updating && o.outcome == 0 && o.recovered == NULL && o.note == NULL)
        return cli_usage_error("outreach case", "update takes --outcome, --recovered or --note");
    struct case_change ch;
    if (updating && (rc = make_change(cli, &o, &ch, &err)) != SP_OK)
        return cli_report(&err);
    struct store *store = NULL;
    int listing = !adding && !updating;
    rc = listing ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK)
        return rc;
    if (listing) {
        rc = list_cases(store, &o, &err);
        return cli_close_store(store, rc, &err);
    }
    struct outreach_case now;
    if (adding) {
        o.c.opened = o.date;
        o.c.outcome = CASE_PENDING;
        o.c.decided = DATE_NONE;
        text_copy(o.c.actor, sizeof o.c.actor, cli_actor(o.by));
        rc = outreach_case_open(store, &o.c, &err);
        now = o.c;
    } else {
        ch.actor = cli_actor(o.by);
        rc = outreach_case_change(store, &ch, &now, &err);
    }
    if (rc == SP_OK)
        print_case(&now);
    return cli_close_store(store, rc, &err);
}
