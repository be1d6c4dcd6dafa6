/*
 * claim.c: the words of claim states (claim.h).
 */
#include "model/claim.h"

#include <string.h>

static const char *const state_names[CLAIM_STATE_COUNT] = {
    "", "filed", "under_review", "approved", "rejected", "paid", "appealed"};

const char *claim_state_name(int state)
{
    return state >= CLAIM_FILED && state < CLAIM_STATE_COUNT ? state_names[state] : "";
}

int claim_state_parse(const char *name)
{
    for (int i = CLAIM_FILED; i < CLAIM_STATE_COUNT; i++)
        if (strcmp(name, state_names[i]) == 0)
            return i;
    return 0;
}
