/* cmd_find.c: `spfloor find` (not built yet; its owner replaces this file). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_find(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "spfloor: 'find' is not built yet\n");
    return SP_USAGE;
}
