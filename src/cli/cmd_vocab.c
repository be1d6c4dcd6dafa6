/*
 * cmd_vocab.c: `spfloor vocab [FIELD] [--country CC]`, the facts vocabulary: its fields,
 * their types and allowed words, and the areas of each country's gazetteer.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "model/person.h"
#include "registry/gazetteer.h"

static void print_help(FILE *out)
{
    fprintf(out, "Usage: spfloor vocab [FIELD] [--country CC]\n"
                 "\n"
                 "Prints the facts vocabulary: the fields a person has (the columns of a CSV\n"
                 "import, the keys of JSON and YAML, the flags of 'person add'), their types\n"
                 "and the words a field allows. With FIELD, prints that field's allowed words,\n"
                 "one a line. admin1 (province or state) and admin2 (district) take the areas\n"
                 "of the country's gazetteer: with --country, one a line as code, official\n"
                 "name, local name and other spellings, tab-separated; without, the countries\n"
                 "that have a list. Where a country has no list, the field is free text.\n"
                 "\n"
                 "Options:\n"
                 "  --country CC   the country whose areas to print (admin1, admin2)\n"
                 "  --help         this help\n"
                 "\n"
                 "Examples:\n"
                 "  spfloor vocab\n"
                 "  spfloor vocab groups\n"
                 "  spfloor vocab admin2 --country NP\n");
}

/* Prints words joined by sep. */
static void print_words(FILE *out, const char *const *words, const char *sep)
{
    for (int i = 0; words[i] != NULL; i++)
        fprintf(out, "%s%s", i ? sep : "", words[i]);
}

/* The countries with a list at level, as "BD IN NP" (written into out). */
static void countries_with(enum area_level level, char *out, size_t size)
{
    int count = 0;
    const struct area *areas = gazetteer_areas(&count);
    size_t o = 0;
    out[0] = '\0';
    for (int i = 0; i < count && o + 4 < size; i++) {
        if (areas[i].level != (int)level || strstr(out, areas[i].country) != NULL)
            continue;
        o += (size_t)snprintf(out + o, size - o, "%s%s", o ? " " : "", areas[i].country);
    }
}

/* What an area field allows, on one line. */
static void print_area_rule(FILE *out, enum area_level level)
{
    char countries[128];
    countries_with(level, countries, sizeof countries);
    fprintf(out,
            "a %s from the gazetteer of %s (spfloor vocab %s --country CC); free text "
            "elsewhere",
            gazetteer_level_noun(level), countries, gazetteer_level_field(level));
}

void cli_vocab_summary(FILE *out)
{
    for (int i = 0; i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        if (f->choices == NULL)
            continue;
        fprintf(out, "  %-17s ", f->name);
        print_words(out, f->choices, ", ");
        fputc('\n', out);
    }
    for (int level = AREA_ADMIN1; level <= AREA_ADMIN2; level++) {
        fprintf(out, "  %-17s ", gazetteer_level_field(level));
        print_area_rule(out, level);
        fputc('\n', out);
    }
}

static void print_table(void)
{
    printf("%-17s %-13s %-9s %s\n", "field", "type", "required", "allowed words, or what it is");
    for (int i = 0; i < person_field_count; i++) {
        const struct person_field *f = &person_fields[i];
        printf("%-17s %-13s %-9s ", f->name, person_field_type_name(f->type),
               f->required ? "yes" : "no");
        if (f->choices != NULL)
            print_words(stdout, f->choices, ", ");
        else if (strcmp(f->name, "admin1") == 0)
            print_area_rule(stdout, AREA_ADMIN1);
        else if (strcmp(f->name, "admin2") == 0)
            print_area_rule(stdout, AREA_ADMIN2);
        else
            printf("%s", f->description);
        putchar('\n');
    }
}

/* The areas of country at level, one a line; or the countries with a list. */
static int print_areas(enum area_level level, const char *country)
{
    int count = 0;
    const struct area *areas = gazetteer_areas(&count);
    if (country == NULL) {
        char countries[128];
        countries_with(level, countries, sizeof countries);
        printf("# %s: a %s; these countries have a list (spfloor vocab %s --country CC):\n",
               gazetteer_level_field(level), gazetteer_level_noun(level),
               gazetteer_level_field(level));
        for (const char *c = countries; *c; c += c[2] ? 3 : 2) {
            char cc[3] = {c[0], c[1], '\0'};
            printf("%s\t%d\n", cc, gazetteer_count(cc, level));
        }
        return SP_OK;
    }
    char cc[3] = {0};
    if (strlen(country) == 2) {
        cc[0] = (char)(country[0] & ~0x20);
        cc[1] = (char)(country[1] & ~0x20);
    }
    if (!person_country_known(cc))
        return cli_usage_error("vocab",
                               "--country \"%s\" is not an ISO 3166-1 alpha-2 code such "
                               "as NP",
                               country);
    if (gazetteer_count(cc, level) == 0) {
        printf("# %s of %s: free text (spfloor has no list of them)\n",
               gazetteer_level_field(level), cc);
        return SP_OK;
    }
    printf("# %s of %s: code, official name, local name, other spellings\n",
           gazetteer_level_field(level), cc);
    for (int i = 0; i < count; i++)
        if (areas[i].level == (int)level && strcmp(areas[i].country, cc) == 0)
            printf("%s\t%s\t%s\t%s\n", areas[i].code, areas[i].name, areas[i].local,
                   areas[i].aliases);
    return SP_OK;
}

static int print_field(const struct person_field *f, const char *country)
{
    if (strcmp(f->name, "admin1") == 0)
        return print_areas(AREA_ADMIN1, country);
    if (strcmp(f->name, "admin2") == 0)
        return print_areas(AREA_ADMIN2, country);
    if (country != NULL)
        return cli_usage_error("vocab", "--country goes with admin1 or admin2 only");
    printf("# %s (%s): %s\n", f->name, person_field_type_name(f->type), f->description);
    if (f->choices != NULL) {
        print_words(stdout, f->choices, "\n");
        putchar('\n');
    }
    return SP_OK;
}

int cmd_vocab(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    static const struct option options[] = {
        {"country", required_argument, NULL, 'c'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *country = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        if (c == 'h') {
            print_help(stdout);
            return SP_OK;
        }
        if (c != 'c')
            return cli_usage_error("vocab", "unknown option");
        country = optarg;
    }
    if (optind < argc - 1)
        return cli_usage_error("vocab", "give at most one field, e.g. spfloor vocab groups");
    struct error err;
    error_init(&err);
    if (gazetteer_load(&err) != SP_OK)
        return cli_report(&err);
    if (optind == argc) {
        if (country != NULL)
            return cli_usage_error("vocab", "--country goes with admin1 or admin2, e.g. "
                                            "spfloor vocab admin2 --country NP");
        print_table();
        return cli_output_check(&err) == SP_OK ? SP_OK : cli_report(&err);
    }
    const struct person_field *f = person_field_find(argv[optind]);
    if (f == NULL) {
        person_set_field(NULL, argv[optind], "", DATE_NONE, &err); /* the did-you-mean message */
        return cli_usage_error("vocab", "%s", err.message);
    }
    int rc = print_field(f, country);
    if (rc == SP_OK && cli_output_check(&err) != SP_OK)
        return cli_report(&err);
    return rc;
}
