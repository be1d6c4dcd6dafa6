/*
 * cmd_entitlements.c: `spfloor entitlements PERSON_ID [--as-of DATE] [--json] [--explain]`:
 * the decisions of `spfloor evaluate` for one registered person, for every scheme of the
 * person's country, with their household read from the registry.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"
#include "base/date.h"
#include "cli/cli.h"
#include "ops/decision_format.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "rules/situation.h"
#include "store/store.h"

#define MEMBERS_MAX       10000000            /* household members read for one person */
#define JSON_DOCUMENT_MAX ((size_t)64u << 20) /* bytes of the --json document, gathered whole */

static void print_help(void)
{
    printf("Usage: spfloor entitlements PERSON_ID [--as-of DATE] [--json] [--explain]\n"
           "\n"
           "What a registered person is entitled to on a date (default: today), for every\n"
           "scheme of their country, and why. The household comes from the registry.\n"
           "\n"
           "  --as-of DATE   the date of the decisions (YYYY-MM-DD)\n"
           "  --json         {\"as_of\", \"person\", \"results\": [...]} as `spfloor evaluate`\n"
           "  --explain      every condition, value, amount and contribution step\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 no such person or some decisions failed (status\n"
           "failed, e.g. a rule too costly for the household: every result is still printed,\n"
           "each failed one with its reason), 4 storage, or the output could not be written.\n"
           "With --json, a run that fails otherwise prints nothing.\n");
}

/* The situation household members are collected into, growing as they come. */
struct members {
    struct situation *s;
    int cap; /* persons s->persons has room for */
    struct error *err;
};

/* Collects household members into the situation's persons (after the person at 0). */
static int add_member(void *ctx, const struct person *p)
{
    struct members *m = ctx;
    struct situation *s = m->s;
    if (strcmp(p->id, s->persons[0].id) == 0)
        return SP_OK;
    if (s->n_persons == m->cap) {
        if (m->cap >= MEMBERS_MAX)
            return error_set(m->err, SP_BAD_INPUT, "household %s has more than %d members",
                             s->persons[0].household, MEMBERS_MAX);
        int cap = m->cap * 2 < MEMBERS_MAX ? m->cap * 2 : MEMBERS_MAX;
        struct person *grown = sp_reallocarray(s->persons, (size_t)cap, sizeof *grown);
        if (grown == NULL)
            return error_nomem(m->err);
        s->persons = grown;
        m->cap = cap;
    }
    s->persons[s->n_persons++] = *p;
    return SP_OK;
}

/* Builds the person's situation: the person first, then the other household members. */
static int load_situation(struct store *store, const char *id, struct situation *s,
                          struct error *err)
{
    struct members m = {s, 16, err};
    s->persons = sp_calloc((size_t)m.cap, sizeof *s->persons);
    s->households = sp_calloc(1, sizeof *s->households);
    if (s->persons == NULL || s->households == NULL)
        return error_nomem(err);
    int found = 0;
    int rc = store_person_get(store, id, &s->persons[0], &found, err);
    if (rc != SP_OK)
        return rc;
    if (!found)
        return error_set(err, SP_BAD_INPUT, "no person has the id \"%s\" in the registry", id);
    s->n_persons = 1;
    char household[sizeof s->persons[0].household]; /* persons moves as members come */
    memcpy(household, s->persons[0].household, sizeof household);
    if (household[0] != '\0') {
        rc = store_household_members(store, household, add_member, &m, err);
        if (rc == SP_OK)
            rc = store_household_get(store, household, &s->households[0], &found, err);
        if (rc != SP_OK)
            return rc;
        s->n_households = found;
    }
    return situation_index(s, err);
}

int cmd_entitlements(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help();
        return SP_OK;
    }
    static const struct option options[] = {
        {"as-of", required_argument, NULL, 'a'},
        {"json", no_argument, NULL, 'j'},
        {"explain", no_argument, NULL, 'e'},
        {NULL, 0, NULL, 0},
    };
    int32_t as_of = DATE_NONE;
    int json = 0, explain = 0, c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        struct error date_err;
        error_init(&date_err);
        if (c == 'a' && date_parse(optarg, &as_of, &date_err) != SP_OK)
            return cli_usage_error("entitlements", "--as-of: %s", date_err.message);
        else if (c == 'j')
            json = 1;
        else if (c == 'e')
            explain = 1;
        else if (c != 'a')
            return cli_usage_error("entitlements", "unknown option");
    }
    if (argc - optind != 1)
        return cli_usage_error("entitlements", "give one person id");
    const char *id = argv[optind];
    if (as_of == DATE_NONE)
        as_of = cli_today(cli);

    struct error err;
    error_init(&err);
    struct scheme_library *lib = NULL;
    struct store *store = NULL;
    struct situation s;
    situation_init(&s);
    struct buf reasons;
    buf_init(&reasons, 1u << 20);
    struct buf doc;
    buf_init(&doc, JSON_DOCUMENT_MAX);
    int rc = scheme_library_load(cli->schemes_dir, &lib, &err);
    if (rc == SP_OK)
        rc = cli_require_database(cli, &err);
    if (rc == SP_OK)
        rc = store_open(cli->db_location, STORE_READ_ONLY, &store, &err);
    if (rc == SP_OK)
        rc = load_situation(store, id, &s, &err);
    if (rc != SP_OK)
        goto out_release;

    char date[DATE_TEXT_SIZE];
    date_format(as_of, date);
    int first = 1;
    long failed = 0;
    if (json) {
        rc = buf_printf(&doc, &err, "{\"as_of\": \"%s\", \"person\": \"%s\",\n \"results\": [",
                        date, s.persons[0].id);
    } else {
        printf("as of %s\n", date);
        rc = decision_append_text_header(&doc, &err);
    }
    for (int k = 0; k < lib->n_schemes && rc == SP_OK; k++) {
        const struct scheme *scheme = lib->schemes[k];
        if (strcmp(scheme->country, s.persons[0].country) != 0)
            continue;
        struct decide_bound *b = NULL;
        struct decide_scratch *sc = NULL;
        struct decision d;
        rc = decide_bind(scheme, as_of, &b, &err);
        if (rc == SP_OK)
            rc = decide_scratch_new(scheme, &sc, &err);
        if (rc == SP_OK)
            rc = decide_one(b, sc, &s.persons[0], &s.histories[0], &d, &err);
        failed += rc == SP_OK && d.status == DECISION_FAILED;
        buf_reset(&reasons);
        if (rc == SP_OK && (json || explain))
            rc = decide_explain(b, sc, &s.persons[0], &s.histories[0], &d, explain, &reasons, &err);
        if (rc == SP_OK && json)
            rc = decision_append_json(&doc, &s.persons[0], scheme, &d, reasons.data, &first, &err);
        else if (rc == SP_OK)
            rc = decision_append_text(&doc, &s.persons[0], scheme, &d, reasons.data, explain, &err);
        decide_scratch_free(sc);
        decide_bound_free(b);
    }
    if (rc == SP_OK && json)
        rc = buf_printf(&doc, &err, "%s]}\n", first ? "" : "\n ");
    if (rc == SP_OK) /* whole: only now is it printed */
        rc = cli_output_write(doc.data, doc.len, &err);
    if (rc == SP_OK && failed > 0)
        rc = error_set(&err, SP_BAD_INPUT, "%ld decision%s failed: see the reason in %s", failed,
                       failed == 1 ? "" : "s", failed == 1 ? "its result" : "each result");

out_release:
    buf_release(&doc);
    buf_release(&reasons);
    situation_release(&s);
    store_close(store);
    scheme_library_free(lib);
    return rc == SP_OK ? SP_OK : cli_report(&err);
}
