/*
 * payment.c: payment state names (payment.h).
 */
#include "model/payment.h"

#include <string.h>

static const char *const names[PAYMENT_STATES] = {"created",  "exported", "accepted",
                                                  "rejected", "settled",  "cancelled"};

const char *payment_state_name(int state)
{
    return state >= 0 && state < PAYMENT_STATES ? names[state] : "";
}

int payment_state_parse(const char *name)
{
    for (int i = 0; i < PAYMENT_STATES; i++)
        if (strcmp(name, names[i]) == 0)
            return i;
    return -1;
}
