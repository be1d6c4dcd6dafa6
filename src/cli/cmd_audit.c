/*
 * cmd_audit.c: `spfloor audit verify|show`: checking the audit log's chain and reading it
 * (ops/audit_verify.h, docs/audit.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ops/audit_verify.h"

static void print_help(void)
{
    printf("Usage: spfloor audit verify\n"
           "       spfloor audit show [--object ID]\n"
           "\n"
           "Every write to the registry appends an entry to the audit log in its transaction:\n"
           "who, what, when (UTC), on what, and a digest of the change. Each entry's MAC\n"
           "(keyed BLAKE2b) covers it and the entry before, with a key kept outside the\n"
           "database: $SPFLOOR_AUDIT_KEY (64 hex digits), else the file\n"
           "$SPFLOOR_AUDIT_KEY_FILE, else DB.audit-key beside a database file (init makes it).\n"
           "\n"
           "  verify        walks the chain; reports the first entry altered, removed or\n"
           "                reordered, and exits 3; else prints the entries and the last MAC\n"
           "                (keep it apart: a log cut short after it is then found too)\n"
           "  show          the entries, oldest first\n"
           "  --object ID   only those about one worker ID (the printed form too)\n"
           "\n"
           "Exit codes: 0 the chain holds, 1 usage, 2 a key that cannot be read, 3 the chain is\n"
           "broken, 4 storage.\n");
}

static int print_entry(void *ctx, const struct audit_entry *e)
{
    (void)ctx;
    printf("%6lld %s %-16s %-16s %s  %.16s\n", (long long)e->seq, e->at, e->actor, e->action,
           e->object, e->change);
    return 0;
}

int cmd_audit(struct cli *cli, int argc, char **argv)
{
    if (cli_wants_help(argc, argv) || argc < 2) {
        print_help();
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    static const struct option options[] = {
        {"object", required_argument, NULL, 'o'},
        {NULL, 0, NULL, 0},
    };
    const char *verb = argv[1];
    const char *object = NULL;
    optind = 2;
    int c;
    while ((c = getopt_long(argc, argv, "", options, NULL)) != -1) {
        if (c != 'o')
            return cli_usage_error("audit", "unknown option");
        object = optarg;
    }
    if (optind < argc)
        return cli_usage_error("audit", "unexpected argument \"%s\"", argv[optind]);
    int verify = strcmp(verb, "verify") == 0;
    if (!verify && strcmp(verb, "show") != 0)
        return cli_usage_error("audit", "unknown subcommand \"%s\": use verify or show", verb);
    if (verify && object != NULL)
        return cli_usage_error("audit", "verify walks the whole chain: --object goes with show");
    struct error err;
    error_init(&err);
    struct audit_key key;
    int rc = verify ? cli_audit_key(cli, &key, &err) : SP_OK;
    if (rc != SP_OK)
        return cli_report(&err);
    struct store *store = NULL;
    rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    if (!verify) {
        rc = store_audit_each(store, object, print_entry, NULL, &err);
        return cli_close_store(store, rc, &err);
    }
    struct audit_verdict v;
    rc = audit_verify(store, &key, &v, &err);
    rc = cli_close_store(store, rc, &err);
    if (rc != SP_OK)
        return rc;
    if (v.first_bad != 0)
        return error_set(&err, SP_CONFLICT, "the audit log is broken: %s", v.why), cli_report(&err);
    printf("the audit log holds: %lld entries%s%s\n", (long long)v.entries,
           v.entries ? ", the last " : "", v.entries ? v.last.at : "");
    if (v.entries)
        printf("last entry %lld, MAC %s\n", (long long)v.last.seq, v.last.mac);
    if (!key.given)
        printf("warning: no audit key is set, so the chain was written and checked without one:"
               " anyone who can write the database could rewrite it (docs/audit.md)\n");
    return SP_OK;
}
