/* cmd_evaluate.c: `spfloor evaluate` (not built yet; its owner replaces this file). */
#include <stdio.h>

#include "cli/cli.h"

int cmd_evaluate(struct cli *cli, int argc, char **argv)
{
    (void)cli;
    (void)argc;
    (void)argv;
    fprintf(stderr, "spfloor: 'evaluate' is not built yet\n");
    return SP_USAGE;
}
