/*
 * event.c: the names of life event types (event.h).
 */
#include "model/event.h"

#include <string.h>

/* In the order of enum event_type: the vocabulary's words. */
static const char *const event_names[] = {
    "birth",       "death",    "work_accident", "pregnancy",
    "miscarriage", "job_loss", "departure",     "return",
};

int event_type_parse(const char *name)
{
    for (size_t i = 0; i < sizeof event_names / sizeof event_names[0]; i++)
        if (strcmp(event_names[i], name) == 0)
            return (int)i;
    return -1;
}
