/*
 * grievance.c: the words of grievances (grievance.h).
 */
#include "model/grievance.h"

#include <string.h>

static const char *const about_names[GRIEVANCE_ABOUT_COUNT] = {"", "claim", "enrolment", "payment",
                                                               "registration"};
static const char *const state_names[] = {"", "open", "resolved"};

const char *grievance_about_name(int about)
{
    return about >= GRIEVANCE_ABOUT_CLAIM && about < GRIEVANCE_ABOUT_COUNT ? about_names[about]
                                                                           : "";
}

int grievance_about_parse(const char *name)
{
    for (int i = GRIEVANCE_ABOUT_CLAIM; i < GRIEVANCE_ABOUT_COUNT; i++)
        if (strcmp(name, about_names[i]) == 0)
            return i;
    return 0;
}

const char *grievance_state_name(int state)
{
    return state >= GRIEVANCE_OPEN && state <= GRIEVANCE_RESOLVED ? state_names[state] : "";
}

int grievance_state_parse(const char *name)
{
    for (int i = GRIEVANCE_OPEN; i <= GRIEVANCE_RESOLVED; i++)
        if (strcmp(name, state_names[i]) == 0)
            return i;
    return 0;
}
