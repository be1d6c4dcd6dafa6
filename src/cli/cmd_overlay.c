/*
 * cmd_overlay.c: `spfloor overlay set FILE | show | clear`: the registry's default overlay
 * (docs/overlays.md), which `entitlements` lays over the scheme library.
 */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "cli/cli.h"
#include "ops/rules.h"
#include "store/store.h"

static void print_help(void)
{
    printf("Usage: spfloor [--db FILE] overlay set FILE\n"
           "       spfloor [--db FILE] overlay show\n"
           "       spfloor [--db FILE] overlay clear\n"
           "\n"
           "The registry's default overlay (docs/overlays.md): values an operator fills in or\n"
           "a reform, laid over the scheme library by `entitlements` on this registry, before\n"
           "any --overlay FILE.\n"
           "\n"
           "set    checks FILE against the library (--schemes DIR) as --overlay would, then\n"
           "       stores its text in the registry, replacing the default overlay\n"
           "show   prints the default overlay's text, as it was set\n"
           "clear  removes it: the library is used as shipped\n"
           "\n"
           "Exit codes: 0 done, 1 usage, 2 bad input (file:line:col) or no default overlay to\n"
           "show, 4 storage.\n");
}

static int overlay_show(const struct cli *cli)
{
    struct store *store = NULL;
    int rc = cli_open_existing_store(cli, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    struct buf text;
    buf_init(&text, STORE_OVERLAY_MAX + 1);
    int found = 0;
    rc = store_overlay_get(store, &text, &found, &err);
    store_close(store);
    if (rc == SP_OK && !found)
        rc = error_set(&err, SP_BAD_INPUT,
                       "%s has no default overlay (set one with spfloor overlay set FILE)",
                       cli->db_location);
    if (rc == SP_OK)
        rc = cli_output_write(text.data, text.len, &err);
    buf_release(&text);
    return rc == SP_OK ? SP_OK : cli_report(&err);
}

static int overlay_change(const struct cli *cli, const char *path)
{
    struct store *store = NULL;
    int rc = cli_open_store(cli, STORE_READ_WRITE, &store);
    if (rc != SP_OK)
        return rc;
    struct error err;
    error_init(&err);
    char id[128] = "";
    if (path != NULL)
        rc = ops_overlay_set(store, cli->schemes_dir, path, id, sizeof id, &err);
    else
        rc = ops_overlay_clear(store, &err);
    rc = cli_close_store(store, rc, &err);
    if (rc != SP_OK)
        return rc;
    if (!cli->quiet && path != NULL)
        printf("default overlay: %s (from %s)\n", id, path);
    else if (!cli->quiet)
        printf("default overlay cleared\n");
    return SP_OK;
}

int cmd_overlay(struct cli *cli, int argc, char **argv)
{
    if (argc < 2 || cli_wants_help(argc, argv)) {
        print_help();
        return argc < 2 ? SP_USAGE : SP_OK;
    }
    if (strcmp(argv[1], "set") == 0) {
        if (argc != 3)
            return cli_usage_error("overlay", "set takes one overlay file");
        return overlay_change(cli, argv[2]);
    }
    if (strcmp(argv[1], "show") == 0 || strcmp(argv[1], "clear") == 0) {
        if (argc != 2)
            return cli_usage_error("overlay", "%s takes no arguments", argv[1]);
        return argv[1][0] == 's' ? overlay_show(cli) : overlay_change(cli, NULL);
    }
    return cli_usage_error("overlay", "unknown subcommand \"%s\": use set, show or clear", argv[1]);
}
