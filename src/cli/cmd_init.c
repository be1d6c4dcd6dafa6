/*
 * cmd_init.c: `spfloor init`: create the database, or bring its schema up to date.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "store/store.h"

static void print_help(FILE *out)
{
    fprintf(out, "Usage: spfloor [--db FILE] init\n"
                 "\n"
                 "Creates the registry database, or applies the schema migrations it lacks.\n"
                 "Running it again is safe: an up-to-date database is left as it is.\n"
                 "\n"
                 "Options:\n"
                 "  --help   this help\n"
                 "\n"
                 "Example:\n"
                 "  spfloor --db registry.db init\n");
}

int cmd_init(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv)) {
        print_help(stdout);
        return SP_OK;
    }
    if (argc > 1)
        return cli_usage_error("init", "unexpected argument \"%s\"", argv[1]);
    struct store *s = NULL;
    int rc = cli_open_store(cli, STORE_CREATE, &s);
    if (rc != SP_OK)
        return rc;
    int64_t persons = 0;
    struct error err;
    error_init(&err);
    rc = store_person_count(s, &persons, &err);
    store_close(s);
    if (rc != SP_OK)
        return cli_report(&err);
    char where[PATH_MAX];
    const char *shown = realpath(cli->db_location, where) ? where : cli->db_location;
    printf("database ready: %s (%lld %s)\n", shown, (long long)persons,
           persons == 1 ? "person" : "persons");
    /* a database file gets the audit log's key beside it, unless a key is given elsewhere */
    struct audit_key key;
    char beside[PATH_MAX + 16];
    const char *given = getenv("SPFLOOR_AUDIT_KEY"), *file = getenv("SPFLOOR_AUDIT_KEY_FILE");
    if ((given == NULL || given[0] == '\0') && (file == NULL || file[0] == '\0') &&
        strstr(cli->db_location, "://") == NULL &&
        snprintf(beside, sizeof beside, "%s.audit-key", cli->db_location) < (int)sizeof beside &&
        access(beside, F_OK) != 0) {
        if (audit_key_create_file(beside, &key, &err) != SP_OK)
            return cli_report(&err);
        printf("audit key made: %s (keep a copy apart from the database: docs/audit.md)\n", beside);
    }
    return SP_OK;
}
