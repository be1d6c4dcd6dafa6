/*
 * cmd_outreach.c: `spfloor outreach add|list`: the outreach log of partner organisations
 * (ops/outreach.h, docs/reports.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/date.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/outreach.h"

#define PARTICIPANTS_MAX 10000 /* participants named on one command line */
#define COUNT_MAX        100000000LL

static void print_help(FILE *out)
{
    fprintf(out,
            "Usage: spfloor outreach add --org ORG [--network NET] --type TYPE --date DATE\n"
            "                            --country CC --area AREA [--note TEXT]\n"
            "                            [--person ID]... [--count SEX:AGE=N]... [--by NAME]\n"
            "       spfloor outreach list [--org ORG]\n"
            "       spfloor outreach case add|update|list ... (legal-aid and assisted-claim\n"
            "                                 cases: spfloor outreach case --help)\n"
            "\n"
            "Logs an activity of a partner organisation with its participants: registry persons\n"
            "(--person, a worker ID; an assisted registration names the persons it registered)\n"
            "or anonymous counts by sex and age group (--count female:under_35=12; sex female,\n"
            "male, other or not_given; age under_35, 35_and_over or age_not_given).\n"
            "  TYPE: awareness, training, legal_aid, mobilisation, assisted_registration,\n"
            "        vocational_training, health_service\n"
            "  --network NET  the organisation's network (kept for its later activities)\n"
            "\n"
            "`spfloor report reach` counts the persons reached, by sex, age group, org, network\n"
            "and activity. Exit codes: 0 done, 1 usage, 2 bad input (an unknown type, person\n"
            "or count; nothing is logged), 3 the registry cannot be opened, 4 storage.\n");
}

struct options {
    const char *verb;
    struct outreach_activity a;
    struct outreach_participant *parts;
    int n_parts;
    const char *by, *filter_org;
    int has_date;
};

/* "female:under_35=12" into p; SP_BAD_INPUT with the reason otherwise. */
static int parse_count(const char *text, struct outreach_participant *p, struct error *err)
{
    char sex[16] = "", age[16] = "";
    const char *colon = strchr(text, ':'), *equals = strchr(text, '=');
    long long n = 0;
    if (colon == NULL || equals == NULL || equals < colon || colon - text >= (long)sizeof sex ||
        equals - colon - 1 >= (long)sizeof age || text_parse_int64(equals + 1, &n) != 1 || n < 1 ||
        n > COUNT_MAX)
        return error_set(err, SP_BAD_INPUT,
                         "--count \"%s\": write SEX:AGE=N, such as female:under_35=12 (N from 1 "
                         "to %lld)",
                         text, COUNT_MAX);
    memcpy(sex, text, (size_t)(colon - text));
    memcpy(age, colon + 1, (size_t)(equals - colon - 1));
    memset(p, 0, sizeof *p);
    int s = strcmp(sex, "not_given") == 0 ? -1 : outreach_word_parse(person_sex_words, sex);
    int y = outreach_word_parse(outreach_youth_words, age);
    if (s == 0)
        return error_set(err, SP_BAD_INPUT,
                         "--count \"%s\": sex \"%s\" is not female, male, other or not_given", text,
                         sex);
    if (y == 0)
        return error_set(err, SP_BAD_INPUT,
                         "--count \"%s\": age \"%s\" is not under_35, 35_and_over or "
                         "age_not_given",
                         text, age);
    p->sex = (uint8_t)(s < 0 ? 0 : s);
    p->youth = (uint8_t)(y - 1);
    p->count = n;
    return SP_OK;
}

static int add_part(struct options *o, struct error *err)
{
    if (o->n_parts == PARTICIPANTS_MAX)
        return error_set(err, SP_BAD_INPUT, "at most %d participants on one command line",
                         PARTICIPANTS_MAX);
    if (o->parts == NULL) {
        o->parts = sp_calloc(PARTICIPANTS_MAX, sizeof *o->parts);
        if (o->parts == NULL)
            return error_nomem(err);
    }
    o->n_parts++;
    return SP_OK;
}

static int parse_options(int argc, char **argv, struct options *o, struct error *err)
{
    static const struct option options[] = {
        {"org", required_argument, NULL, 'o'},
        {"network", required_argument, NULL, 'n'},
        {"type", required_argument, NULL, 't'},
        {"date", required_argument, NULL, 'd'},
        {"country", required_argument, NULL, 'c'},
        {"area", required_argument, NULL, 'a'},
        {"note", required_argument, NULL, 'N'},
        {"person", required_argument, NULL, 'p'},
        {"count", required_argument, NULL, 'k'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    o->a.date = DATE_NONE;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        int rc = SP_OK;
        switch (c) {
        case 'o':
            o->filter_org = optarg;
            rc = cli_text_option("--org", optarg, o->a.org, sizeof o->a.org, err);
            break;
        case 'n':
            rc = cli_text_option("--network", optarg, o->a.network, sizeof o->a.network, err);
            break;
        case 't':
            o->a.type = (uint8_t)outreach_word_parse(outreach_type_words, optarg);
            if (o->a.type == 0)
                rc = error_set(err, SP_BAD_INPUT,
                               "--type \"%s\": use awareness, training, legal_aid, mobilisation, "
                               "assisted_registration, vocational_training or health_service",
                               optarg);
            break;
        case 'd':
            rc = date_parse(optarg, &o->a.date, err);
            if (rc != SP_OK)
                error_prefix(err, "--date");
            break;
        case 'c':
            rc = cli_country_field(optarg, o->a.country, sizeof o->a.country, err);
            break;
        case 'a':
            rc = cli_text_option("--area", optarg, o->a.area, sizeof o->a.area, err);
            break;
        case 'N':
            rc = cli_text_option("--note", optarg, o->a.note, sizeof o->a.note, err);
            break;
        case 'p':
            rc = add_part(o, err);
            if (rc == SP_OK) {
                struct outreach_participant *p = &o->parts[o->n_parts - 1];
                memset(p, 0, sizeof *p);
                p->count = 1;
                if (!text_copy(p->person, sizeof p->person, optarg))
                    rc = error_set(err, SP_BAD_INPUT, "--person \"%s\" is not a worker ID", optarg);
            }
            break;
        case 'k':
            rc = add_part(o, err);
            if (rc == SP_OK)
                rc = parse_count(optarg, &o->parts[o->n_parts - 1], err);
            break;
        case 'b':
            o->by = optarg;
            break;
        default:
            return cli_usage_error("outreach", "unknown option");
        }
        if (rc != SP_OK)
            return rc;
    }
    if (optind >= argc)
        return cli_usage_error("outreach", "use add or list");
    int n = 0;
    return cli_operands("outreach", argc, argv, &o->verb, 1, &n);
}

static int list_log(struct store *store, const struct options *o, struct error *err)
{
    struct outreach_book b;
    int rc = outreach_book_load(store, &b, err);
    for (int i = 0; rc == SP_OK && i < b.n_activities; i++) {
        const struct outreach_activity *a = &b.activities[i];
        if (o->filter_org != NULL && strcmp(a->org, o->filter_org) != 0)
            continue;
        int64_t persons = 0, anonymous = 0;
        for (int k = 0; k < b.n_parts; k++) {
            if (b.parts[k].activity != a->id)
                continue;
            if (b.parts[k].person[0])
                persons++;
            else
                anonymous += b.parts[k].count;
        }
        char day[DATE_TEXT_SIZE];
        date_format(a->date, day);
        printf("%-5lld %s  %s%s%s%s  %s  %s / %s  %lld registry person(s), %lld anonymous%s%s\n",
               (long long)a->id, day, a->org, a->network[0] ? " (" : "", a->network,
               a->network[0] ? ")" : "", outreach_type_words[a->type ? a->type - 1 : 0], a->country,
               a->area, (long long)persons, (long long)anonymous, a->note[0] ? ": " : "", a->note);
    }
    outreach_book_release(&b);
    return rc == SP_OK ? cli_output_check(err) : rc;
}

int cmd_outreach(struct cli *cli, int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "case") == 0)
        return cmd_outreach_case(cli, argc - 1, argv + 1);
    if (cli_wants_help(argc, argv)) {
        print_help(stdout);
        return SP_OK;
    }
    struct options o;
    memset(&o, 0, sizeof o);
    struct error err;
    error_init(&err);
    int rc = parse_options(argc, argv, &o, &err);
    if (rc != SP_OK) {
        sp_free(o.parts);
        return rc == SP_USAGE ? rc : cli_report(&err);
    }
    int adding = strcmp(o.verb, "add") == 0, listing = strcmp(o.verb, "list") == 0;
    if (!adding && !listing)
        rc = cli_usage_error("outreach", "unknown subcommand \"%s\": use add or list", o.verb);
    else if (adding && (o.a.org[0] == '\0' || o.a.type == 0 || o.a.date == DATE_NONE ||
                        o.a.country[0] == '\0' || o.a.area[0] == '\0'))
        rc = cli_usage_error("outreach", "add takes --org, --type, --date, --country and --area");
    if (rc != SP_OK) {
        sp_free(o.parts);
        return rc;
    }
    struct store *store = NULL;
    rc = listing ? cli_open_existing_store(cli, &store) : cli_open_writer(cli, o.by, &store);
    if (rc != SP_OK) {
        sp_free(o.parts);
        return rc;
    }
    if (listing) {
        rc = list_log(store, &o, &err);
    } else {
        text_copy(o.a.actor, sizeof o.a.actor, cli_actor(o.by));
        rc = outreach_log(store, &o.a, o.parts, o.n_parts, &err);
        if (rc == SP_OK) {
            int64_t reached = 0;
            for (int i = 0; i < o.n_parts; i++)
                reached += o.parts[i].count;
            printf("activity %lld logged: %s, %s, %lld participant(s)\n", (long long)o.a.id,
                   o.a.org, outreach_type_words[o.a.type - 1], (long long)reached);
        }
    }
    rc = cli_close_store(store, rc, &err);
    sp_free(o.parts);
    return rc;
}
