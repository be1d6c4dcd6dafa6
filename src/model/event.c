/*
 * event.c: the names of life event types (event.h).
 */
#include "model/event.h"

#include <string.h>

/* In the order of enum event_type: the vocabulary's words. */
static const char *const event_names[] = {
    "birth",     "death",  "work_accident", "pregnancy", "miscarriage", "job_loss",
    "departure", "return", "marriage",      "divorce",   "widowhood",   "disability_assessment",
    "move",
};

_Static_assert(sizeof event_names / sizeof event_names[0] == EVENT_TYPE_COUNT,
               "one name per event type");

const char event_type_list[] = "birth, death, work_accident, pregnancy, miscarriage, job_loss, "
                               "departure, return, marriage, divorce, widowhood, "
                               "disability_assessment or move";

const char *event_type_name(int t)
{
    return t >= 0 && t < EVENT_TYPE_COUNT ? event_names[t] : "";
}

int event_type_parse(const char *name)
{
    for (size_t i = 0; i < sizeof event_names / sizeof event_names[0]; i++)
        if (strcmp(event_names[i], name) == 0)
            return (int)i;
    return -1;
}
