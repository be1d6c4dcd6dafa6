/*
 * cmd_person.c: `spfloor person add`, `show`, `update` (corrections that keep the old values)
 * and `history`.
 *
 * `add` takes the person either as flags, one per field of the facts vocabulary with dashes
 * for underscores (--given-name Sita), or as one JSON object (--json FILE, "-" for stdin; also
 * read from stdin when no field flag is given and stdin is not a terminal).
 */
#include <errno.h>
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/date.h"
#include "base/ids.h"
#include "base/text.h"
#include "cli/cli.h"
#include "ops/events.h"
#include "ops/persons.h"
#include "registry/dedup.h"
#include "registry/person_json.h"
#include "store/store.h"

#define FIELDS_MAX      40 /* more than the vocabulary holds */
#define FLAG_SIZE       40
#define BIRTH_TEXT_SIZE 64 /* a birth date as written, kept for the Bikram Sambat check */
#define REVIEWED_MAX    8  /* --not-duplicate-of given at most this often */

static void print_help(FILE *out)
{
    fprintf(out, "Usage: spfloor [--db FILE] person add [--FIELD VALUE ...] [--json FILE]\n"
                 "       spfloor [--db FILE] person show ID [--json]\n"
                 "       spfloor [--db FILE] person update ID --FIELD VALUE ... --reason TEXT "
                 "[--by NAME]\n"
                 "       spfloor [--db FILE] person history ID [--json]\n"
                 "       spfloor [--db FILE] person deceased ID --date YYYY-MM-DD --reason TEXT\n"
                 "       spfloor [--db FILE] person merge ID --into ID --reason TEXT\n"
                 "\n"
                 "add   registers one person and prints their new worker ID. Give the facts as\n"
                 "      flags named after the facts vocabulary, with dashes for underscores,\n"
                 "      or as one JSON object with the vocabulary's names as keys (--json FILE,\n"
                 "      or --json - for stdin; stdin is also read when no flag is given and it\n"
                 "      is not a terminal). given_name, family_name, sex, birth_date and\n"
                 "      country are required. A person already registered (the same national\n"
                 "      ID in the country, or the same name, birth date and district) is\n"
                 "      refused with exit code 3, and so is one likely registered already\n"
                 "      under another spelling, script, name order or district (a duplicate\n"
                 "      score of 0.90 or more, see `spfloor dedup --help`): the message names\n"
                 "      the record. If it is another person, add again with\n"
                 "      --not-duplicate-of ID; the review is kept in the new record's history.\n"
                 "      A birth date in Nepal from the year 2000 on given without a calendar\n"
                 "      is taken as Gregorian, with a warning that it may be Bikram Sambat.\n"
                 "show  prints every fact held about the person with this worker ID; a\n"
                 "      person in Nepal has dates in both calendars: 1958-03-02 (2014-11-18 BS).\n"
                 "update corrects facts (the same flags as add; \"\" unsets an optional one)\n"
                 "      and keeps every earlier value, with who (--by, else $SPFLOOR_USER or\n"
                 "      the login name), when and why (--reason, required). Nothing is deleted.\n"
                 "history prints the corrections, oldest first: field, old and new value.\n"
                 "deceased records a death, as 'spfloor event add ID --type death' does: the\n"
                 "      record is marked and the spouse widowed (docs/events.md); merge marks\n"
                 "      a duplicate as the same person as --into. Nothing is deleted: the\n"
                 "      record stays, marked, and later\n"
                 "      decisions refuse it, saying why (or, merged, which ID to use).\n"
                 "\n"
                 "Options of add:\n"
                 "  --given-name, --family-name TEXT   names (UTF-8)\n"
                 "  --sex female|male|other            --birth-date YYYY-MM-DD, or a Bikram\n"
                 "                                     Sambat date: \"2014-11-18 BS\"\n"
                 "  --country CC                       ISO 3166-1 alpha-2, e.g. NP\n"
                 "  --national-id, --phone, --admin1, --admin2, --marital-status,\n"
                 "  --disability-class, --groups \"a;b\", --worker-category, --employer,\n"
                 "  --monthly-wage, --declared-income, --annual-income \"4000.00\",\n"
                 "  --employment-start, --income-tax-payer true|false, --memberships \"a;b\",\n"
                 "  --household, --relationship, --living-children, --account,\n"
                 "  --account-holder, --id (a worker ID to keep, else one is assigned)\n"
                 "  --json FILE                        read the person from a JSON object\n"
                 "  --calendar bs                      read dates without a suffix as Bikram\n"
                 "                                     Sambat (default ad: Gregorian)\n"
                 "  --not-duplicate-of ID              a likely duplicate a clerk has checked:\n"
                 "                                     another person (repeatable)\n"
                 "Options of show:\n"
                 "  --json                             print the person as a JSON object\n"
                 "  --help                             this help\n"
                 "\n"
                 "Examples:\n"
                 "  spfloor person add --given-name Sita --family-name Sharma --sex female \\\n"
                 "      --birth-date 1958-03-02 --country NP --admin2 Kathmandu \\\n"
                 "      --national-id 12-01-74-01234 --groups dalit\n"
                 "  echo '{\"given_name\": \"Ram\", \"family_name\": \"Thapa\", \"sex\": "
                 "\"male\",\n"
                 "        \"birth_date\": \"1950-01-01\", \"country\": \"NP\"}' | spfloor "
                 "person add\n"
                 "  spfloor person show 000000000019 --json\n"
                 "\n"
                 "Allowed words (any case; lists take several, separated by ';'):\n");
    cli_vocab_summary(out);
    fprintf(out, "An unknown word, province or district is refused with exit code 2 and the\n"
                 "nearest one; provinces and districts are stored by their official names.\n"
                 "'spfloor vocab' prints the whole vocabulary.\n");
}

/* A field's flag name: the vocabulary name with '-' for '_'. */
static void flag_name(const char *field, char out[FLAG_SIZE])
{
    size_t i = 0;
    for (; field[i] && i + 1 < FLAG_SIZE; i++)
        out[i] = field[i] == '_' ? '-' : field[i];
    out[i] = '\0';
}

/* Reads the JSON document at path ("-" for stdin) into *out (the caller json_decref's). */
static int load_json(const char *path, json_t **out, struct error *err)
{
    json_error_t jerr;
    const char *name = strcmp(path, "-") == 0 ? "<stdin>" : path;
    if (strcmp(path, "-") == 0)
        *out = json_loadf(stdin, JSON_REJECT_DUPLICATES, &jerr);
    else
        *out = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
    if (*out != NULL)
        return SP_OK;
    if (jerr.line <= 0 && strcmp(path, "-") != 0 && errno != 0)
        return error_set(err, SP_IO, "%s: cannot read: %s", name, jerr.text);
    return error_set(err, SP_BAD_INPUT, "%s:%d:%d: %s", name, jerr.line, jerr.column, jerr.text);
}

/* Builds the person from flag values (country first, then vocabulary order). */
static int person_from_flags(struct person *p, const char *const *values, int32_t today,
                             enum calendar calendar, struct error *err)
{
    person_init(p);
    const struct person_field *country = person_field_find("country");
    int at = (int)(country - person_fields);
    if (values[at] && person_set_field_in(p, country, values[at], today, calendar, err) != SP_OK)
        return SP_BAD_INPUT;
    for (int i = 0; i < person_field_count; i++) {
        if (i == at || values[i] == NULL)
            continue;
        if (person_set_field_in(p, &person_fields[i], values[i], today, calendar, err) != SP_OK)
            return SP_BAD_INPUT;
    }
    return SP_OK;
}

/*
 * Reads the person from a JSON file; the birth date as written is copied to birth_text
 * (BIRTH_TEXT_SIZE bytes; "" when it is not a string) for the Bikram Sambat check.
 */
static int person_from_json_file(struct person *p, const char *path, int32_t today,
                                 enum calendar calendar, char *birth_text, struct error *err)
{
    json_t *doc = NULL;
    int rc = load_json(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    const struct person_json_options opt = {1, NULL, 0, calendar};
    rc = person_from_json_with(doc, "", today, &opt, p, err);
    const char *birth = json_string_value(json_object_get(doc, "birth_date"));
    (void)snprintf(birth_text, BIRTH_TEXT_SIZE, "%s", birth ? birth : "");
    json_decref(doc);
    if (rc != SP_OK)
        error_prefix(err, "%s", strcmp(path, "-") == 0 ? "<stdin>" : path);
    return rc;
}

/* Registers p (persons_add_checked: refused when likely already registered, unless reviewed);
 * on success p->id holds the new worker ID. */
static int register_person(struct cli *cli, struct person *p, const char *const *reviewed,
                           int n_reviewed)
{
    struct store *s = NULL;
    int rc = cli_open_store(cli, STORE_READ_WRITE, &s);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    const struct persons_duplicate_check check = {DEDUP_THRESHOLD, reviewed, n_reviewed,
                                                  cli_actor(NULL)};
    rc = persons_add_checked(s, p, &check, cli_say_retry, cli, &err);
    return cli_close_store(s, rc, &err);
}

/* The field flags' names (flag_name of each field of the vocabulary). */
static char field_flags[FIELDS_MAX][FLAG_SIZE];

/* Fills options with one flag per field of the vocabulary (value 1000 + the field's index);
 * returns how many. */
static int field_options(struct option *options)
{
    int n = 0;
    for (int i = 0; i < person_field_count && i < FIELDS_MAX; i++, n++) {
        flag_name(person_fields[i].name, field_flags[i]);
        options[n] = (struct option){field_flags[i], required_argument, NULL, 1000 + i};
    }
    return n;
}

static int person_add(struct cli *cli, int argc, char **argv)
{
    char(*names)[FLAG_SIZE] = field_flags;
    struct option options[FIELDS_MAX + 5];
    int n = field_options(options);
    options[n++] = (struct option){"json", required_argument, NULL, 'j'};
    options[n++] = (struct option){"calendar", required_argument, NULL, 'C'};
    options[n++] = (struct option){"not-duplicate-of", required_argument, NULL, 'N'};
    options[n++] = (struct option){"help", no_argument, NULL, 'h'};
    options[n] = (struct option){NULL, 0, NULL, 0};

    const char *reviewed[REVIEWED_MAX];
    int n_reviewed = 0;
    const char *values[FIELDS_MAX] = {0};
    const char *json_path = NULL;
    enum calendar calendar = CALENDAR_AD;
    int given = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            print_help(stdout);
            return SP_OK;
        }
        if (c == 'j') {
            json_path = optarg;
        } else if (c == 'C') {
            if (cli_calendar_option("person add", optarg, &calendar) != SP_OK)
                return SP_USAGE;
        } else if (c == 'N') {
            char digits[WORKER_ID_SIZE];
            if (worker_id_parse(optarg, digits, NULL) != SP_OK)
                return cli_usage_error("person add",
                                       "--not-duplicate-of takes a worker ID, not \"%s\"", optarg);
            if (n_reviewed == REVIEWED_MAX)
                return cli_usage_error("person add",
                                       "--not-duplicate-of is given more than %d "
                                       "times",
                                       REVIEWED_MAX);
            reviewed[n_reviewed++] = optarg;
        } else if (c >= 1000 && c < 1000 + person_field_count) {
            if (values[c - 1000] != NULL)
                return cli_usage_error("person add", "--%s is given twice", names[c - 1000]);
            values[c - 1000] = optarg;
            given++;
        } else {
            return cli_usage_error("person add", "unknown option (the fields are the facts "
                                                 "vocabulary, e.g. --given-name)");
        }
    }
    if (optind < argc)
        return cli_usage_error("person add", "unexpected argument \"%s\"", argv[optind]);
    if (json_path != NULL && given > 0)
        return cli_usage_error("person add", "give the person either as flags or as --json, "
                                             "not both");
    if (json_path == NULL && given == 0) {
        if (isatty(STDIN_FILENO))
            return cli_usage_error("person add", "no facts given: use --given-name, "
                                                 "--family-name, --sex, --birth-date and "
                                                 "--country, or --json FILE");
        json_path = "-";
    }

    struct person p;
    struct error err;
    error_init(&err);
    int32_t today = cli_today(cli);
    char birth_text[BIRTH_TEXT_SIZE] = "";
    const struct person_field *birth = person_field_find("birth_date");
    int rc = json_path ? person_from_json_file(&p, json_path, today, calendar, birth_text, &err)
                       : person_from_flags(&p, values, today, calendar, &err);
    if (rc == SP_OK)
        rc = persons_check(&p, &err);
    if (rc != SP_OK)
        return cli_report(&err);
    if (json_path == NULL && values[birth - person_fields] != NULL)
        (void)snprintf(birth_text, sizeof birth_text, "%s", values[birth - person_fields]);
    char warning[PERSON_BS_WARNING_SIZE];
    if (person_birth_date_maybe_bs(&p, birth_text, calendar, today, warning, sizeof warning))
        fprintf(stderr, "spfloor: warning: %s, or give --calendar bs\n", warning);
    rc = register_person(cli, &p, reviewed, n_reviewed);
    if (rc != SP_OK)
        return rc;
    printf("%s\n", p.id);
    return SP_OK;
}

/* Prints every set field; a Nepal person's dates in both calendars ("1958-03-02 (2014-11-18 BS)").
 */
static void print_person_text(const struct person *p)
{
    int both = strcmp(p->country, "NP") == 0;
    for (int i = 0; i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        char text[256];
        person_get_field(p, f->name, text, sizeof text, NULL);
        if (text[0] == '\0')
            continue;
        if (both && f->type == FIELD_DATE) {
            int32_t day;
            memcpy(&day, (const char *)p + f->offset, sizeof day);
            char dates[CALENDAR_BOTH_TEXT_SIZE];
            calendar_format_both(day, dates);
            printf("%-17s %s\n", f->name, dates);
        } else {
            printf("%-17s %s\n", f->name, text);
        }
    }
}

/* Prints a JSON value on stdout (indented, keys in insertion order) and drops it. */
static int print_json(json_t *value)
{
    if (value == NULL) {
        struct error err;
        error_init(&err);
        error_nomem(&err);
        return cli_report(&err);
    }
    char *text = json_dumps(value, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(value);
    if (text == NULL) {
        return cli_out_of_memory();
    }
    printf("%s\n", text);
    free(text);
    return SP_OK;
}

/*
 * Parses `person show|history ID [--json]`: the worker ID (the printed form too) into id and
 * --json into *as_json. Returns SP_OK; -1 after printing --help (the caller returns SP_OK);
 * else the exit status of the message printed.
 */
static int parse_id_and_json(int argc, char **argv, const char *command, char id[WORKER_ID_SIZE],
                             int *as_json)
{
    static const struct option options[] = {
        {"json", no_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *as_json = 0;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            print_help(stdout);
            return -1;
        }
        if (c != 'j')
            return cli_usage_error(command, "unknown option");
        *as_json = 1;
    }
    if (optind != argc - 1)
        return cli_usage_error(command, "give one worker ID, e.g. %s 000000000019", command);
    struct error err;
    error_init(&err);
    if (worker_id_parse(argv[optind], id, &err) != SP_OK)
        return cli_report(&err);
    return SP_OK;
}

static int person_show(struct cli *cli, int argc, char **argv)
{
    char id[WORKER_ID_SIZE];
    int as_json = 0;
    int parsed = parse_id_and_json(argc, argv, "person show", id, &as_json);
    if (parsed != SP_OK)
        return parsed < 0 ? SP_OK : parsed;
    struct error err;
    error_init(&err);
    struct store *s = NULL;
    int rc = cli_open_existing_store(cli, &s);
    if (rc != SP_OK)
        return rc;
    struct person p;
    struct person_mark mark;
    rc = persons_get(s, id, &p, &err);
    if (rc == SP_OK)
        rc = store_person_mark_get(s, id, &mark, &err);
    store_close(s);
    if (rc != SP_OK)
        return cli_report(&err);
    char status[64] = "";
    if (mark.kind == PERSON_MARK_DECEASED) {
        char day[DATE_TEXT_SIZE];
        date_format(mark.date, day);
        snprintf(status, sizeof status, "deceased on %s", day);
    } else if (mark.kind == PERSON_MARK_MERGED) {
        snprintf(status, sizeof status, "merged into %s", mark.into);
    }
    if (as_json) {
        json_t *person = person_to_json(&p);
        if (person != NULL && status[0] != '\0')
            json_object_set_new(person, "status", json_string(status));
        return print_json(person);
    }
    print_person_text(&p);
    if (status[0] != '\0')
        printf("%-17s %s\n", "status", status);
    return SP_OK;
}

/* `person deceased ID --date D` and `person merge ID --into ID`: marks, never deletions. */
static int person_mark_cmd(struct cli *cli, int argc, char **argv, enum person_mark_kind kind)
{
    const char *what = kind == PERSON_MARK_DECEASED ? "person deceased" : "person merge";
    static const struct option options[] = {
        {"date", required_argument, NULL, 'd'},   {"into", required_argument, NULL, 'i'},
        {"reason", required_argument, NULL, 'r'}, {"by", required_argument, NULL, 'b'},
        {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
    struct person_mark m;
    memset(&m, 0, sizeof m);
    m.kind = kind;
    m.date = DATE_NONE;
    const char *date = NULL, *into = NULL, *reason = NULL, *by = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            print_help(stdout);
            return SP_OK;
        }
        if (c == 'd' && kind == PERSON_MARK_DECEASED)
            date = optarg;
        else if (c == 'i' && kind == PERSON_MARK_MERGED)
            into = optarg;
        else if (c == 'r')
            reason = optarg;
        else if (c == 'b')
            by = optarg;
        else
            return cli_usage_error(what, "unknown option");
    }
    if (optind != argc - 1)
        return cli_usage_error(what, "give one worker ID");
    if (reason == NULL || reason[0] == '\0')
        return cli_usage_error(what, "--reason TEXT is required");
    if (kind == PERSON_MARK_DECEASED && date == NULL)
        return cli_usage_error(what, "--date YYYY-MM-DD (the day of death) is required");
    if (kind == PERSON_MARK_MERGED && into == NULL)
        return cli_usage_error(what, "--into ID (the record that stays) is required");
    struct error err;
    error_init(&err);
    if (date != NULL && date_parse(date, &m.date, &err) != SP_OK) {
        error_prefix(&err, "--date");
        return cli_report(&err);
    }
    if (into != NULL)
        text_copy(m.into, sizeof m.into, into);
    char id[WORKER_ID_SIZE];
    if (worker_id_parse(argv[optind], id, &err) != SP_OK)
        return cli_report(&err);
    struct store *s = NULL;
    int rc = cli_open_store(cli, STORE_READ_WRITE, &s);
    if (rc != SP_OK)
        return rc;
    store_audit_configure(s, NULL, cli_actor(by));
    struct events_outcome death;
    if (kind == PERSON_MARK_DECEASED) { /* the death event: the mark, and the spouse widowed */
        struct events_request r = {id, "death", m.date, {0}, cli_actor(by), reason};
        rc = events_add(s, &r, cli_today(cli), &death, cli_say_retry, cli, &err);
    } else {
        rc = persons_mark(s, id, &m, cli_today(cli), cli_actor(by), reason, cli_say_retry, cli,
                          &err);
    }
    store_close(s);
    if (rc != SP_OK)
        return cli_report(&err);
    printf("%s: %s; the record is kept (person history %s)\n", id,
           kind == PERSON_MARK_DECEASED ? "marked deceased" : "merged", id);
    for (int i = 1; kind == PERSON_MARK_DECEASED && i < death.n_effects; i++)
        printf("  %s\n", death.effects[i]);
    return SP_OK;
}

static int person_update(struct cli *cli, int argc, char **argv)
{
    struct option options[FIELDS_MAX + 5];
    int n = field_options(options);
    options[n++] = (struct option){"reason", required_argument, NULL, 'r'};
    options[n++] = (struct option){"by", required_argument, NULL, 'b'};
    options[n++] = (struct option){"help", no_argument, NULL, 'h'};
    options[n] = (struct option){NULL, 0, NULL, 0};
    const char *fields[FIELDS_MAX], *values[FIELDS_MAX];
    const char *reason = NULL, *by = NULL;
    int given = 0, c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            print_help(stdout);
            return SP_OK;
        } else if (c == 'r') {
            reason = optarg;
        } else if (c == 'b') {
            by = optarg;
        } else if (c >= 1000 && c < 1000 + person_field_count && given < FIELDS_MAX) {
            if (strcmp(person_fields[c - 1000].name, "id") == 0)
                return cli_usage_error("person update", "a worker ID is never changed");
            fields[given] = person_fields[c - 1000].name;
            values[given++] = optarg;
        } else {
            return cli_usage_error("person update", "unknown option (the fields are the facts "
                                                    "vocabulary, e.g. --phone)");
        }
    }
    if (optind != argc - 1)
        return cli_usage_error("person update", "give one worker ID, e.g. person update "
                                                "000000000019 --phone 9841000000 --reason ...");
    if (given == 0)
        return cli_usage_error("person update", "no field to change: give e.g. --phone VALUE");
    if (reason == NULL || reason[0] == '\0')
        return cli_usage_error("person update", "--reason TEXT is required: say why the record "
                                                "changes (kept with the old values)");
    char id[WORKER_ID_SIZE];
    struct error err;
    error_init(&err);
    if (worker_id_parse(argv[optind], id, &err) != SP_OK)
        return cli_report(&err);
    struct store *s = NULL;
    int rc = cli_open_store(cli, STORE_READ_WRITE, &s);
    if (rc != SP_OK)
        return rc;
    store_audit_configure(s, NULL, cli_actor(by));
    struct persons_correction correction = {fields, values, given, cli_actor(by), reason};
    struct person p;
    int changed = 0;
    rc = persons_update(s, id, &correction, cli_today(cli), &p, &changed, cli_say_retry, cli, &err);
    store_close(s);
    if (rc != SP_OK)
        return cli_report(&err);
    if (changed == 0)
        printf("%s: nothing changed: the record already holds these values\n", id);
    else
        printf("%s: %d field%s changed; the old values are kept (person history %s)\n", id, changed,
               changed == 1 ? "" : "s", id);
    return SP_OK;
}

/* Prints one change as a line, or adds it to a JSON array (ctx). */
struct history {
    json_t *array; /* NULL for text */
    int last_version;
    int count;
};

static int print_change(void *ctx, const struct person_change *c)
{
    struct history *h = ctx;
    h->count++;
    if (h->array != NULL)
        return json_array_append_new(
                   h->array,
                   json_pack("{s:i, s:s, s:s?, s:s?, s:s, s:s, s:s}", "version", c->version,
                             "field", c->field, "old", c->old_value[0] ? c->old_value : NULL, "new",
                             c->new_value[0] ? c->new_value : NULL, "changed_at", c->changed_at,
                             "by", c->actor, "reason", c->reason)) != 0;
    if (c->version != h->last_version)
        printf("%s correction %d by %s: %s\n", c->changed_at, c->version, c->actor, c->reason);
    h->last_version = c->version;
    printf("    %-18s %s -> %s\n", c->field, c->old_value[0] ? c->old_value : "(not set)",
           c->new_value[0] ? c->new_value : "(not set)");
    return 0;
}

static int person_history(struct cli *cli, int argc, char **argv)
{
    char id[WORKER_ID_SIZE];
    int as_json = 0;
    int parsed = parse_id_and_json(argc, argv, "person history", id, &as_json);
    if (parsed != SP_OK)
        return parsed < 0 ? SP_OK : parsed;
    struct error err;
    error_init(&err);
    struct store *s = NULL;
    int rc = cli_open_existing_store(cli, &s);
    if (rc != SP_OK)
        return rc;
    struct person p;
    rc = persons_get(s, id, &p, &err);
    struct history h = {as_json ? json_array() : NULL, 0, 0};
    if (rc == SP_OK && as_json && h.array == NULL)
        rc = error_nomem(&err);
    if (rc == SP_OK)
        rc = store_person_changes(s, id, print_change, &h, &err);
    store_close(s);
    if (rc != SP_OK) {
        json_decref(h.array);
        return rc == 1 ? cli_out_of_memory() : cli_report(&err);
    }
    if (as_json)
        return print_json(h.array);
    if (h.count == 0)
        printf("%s: no corrections: the record is as registered\n", id);
    return SP_OK;
}

int cmd_person(struct cli *cli, int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        print_help(argc < 2 ? stderr : stdout);
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    optind = 0; /* reinitialise getopt: permute options, as for any command */
    if (strcmp(argv[1], "add") == 0)
        return person_add(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "show") == 0)
        return person_show(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "update") == 0)
        return person_update(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "history") == 0)
        return person_history(cli, argc - 1, argv + 1);
    if (strcmp(argv[1], "deceased") == 0)
        return person_mark_cmd(cli, argc - 1, argv + 1, PERSON_MARK_DECEASED);
    if (strcmp(argv[1], "merge") == 0)
        return person_mark_cmd(cli, argc - 1, argv + 1, PERSON_MARK_MERGED);
    return cli_usage_error(
        "person", "unknown subcommand \"%s\": use add, show, update, history, deceased or merge",
        argv[1]);
}
