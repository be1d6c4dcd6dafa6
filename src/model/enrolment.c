/*
 * enrolment.c: the words of enrolment states (enrolment.h).
 */
#include "model/enrolment.h"

#include <string.h>

static const char *const state_names[] = {"", "active", "suspended", "ended"};

const char *enrolment_state_name(int state)
{
    return state >= ENROLMENT_ACTIVE && state <= ENROLMENT_ENDED ? state_names[state] : "";
}

int enrolment_state_parse(const char *name)
{
    for (int i = ENROLMENT_ACTIVE; i <= ENROLMENT_ENDED; i++)
        if (strcmp(name, state_names[i]) == 0)
            return i;
    return 0;
}
