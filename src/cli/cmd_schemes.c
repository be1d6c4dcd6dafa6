/* cmd_schemes.c: `spfloor schemes` (not built yet; its owner replaces this file). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_schemes(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "spfloor: 'schemes' is not built yet\n");
    return SP_USAGE;
}
