/* cmd_entitlements.c: `spfloor entitlements` (not built yet; its owner replaces this file). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_entitlements(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "spfloor: 'entitlements' is not built yet\n");
    return SP_USAGE;
}
