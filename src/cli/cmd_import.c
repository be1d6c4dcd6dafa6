/* cmd_import.c: `spfloor import` (not built yet; its owner replaces this file). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_import(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "spfloor: 'import' is not built yet\n");
    return SP_USAGE;
}
