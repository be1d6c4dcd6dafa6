/*
 * shock.c: the names of a shock's modes (shock.h).
 */
#include "model/shock.h"

#include <string.h>

static const char *const modes[] = {"top_up", "enroll_affected"};

const char *shock_mode_name(int mode)
{
    return mode >= SHOCK_TOP_UP && mode <= SHOCK_ENROL_AFFECTED ? modes[mode - 1] : "";
}

int shock_mode_parse(const char *name)
{
    for (int i = 0; i < (int)(sizeof modes / sizeof modes[0]); i++)
        if (strcmp(name, modes[i]) == 0)
            return i + 1;
    return 0;
}
