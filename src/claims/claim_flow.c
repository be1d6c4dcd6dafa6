/*
 * claim_flow.c: the claim state machine (claim_flow.h).
 */
#include "claims/claim_flow.h"

#include <stdio.h>
#include <string.h>

#define BIT(s) (1u << (s))

/* next[from]: the states a claim in `from` may move to. */
static const unsigned next[CLAIM_STATE_COUNT] = {
    [CLAIM_FILED] = BIT(CLAIM_UNDER_REVIEW) | BIT(CLAIM_APPROVED) | BIT(CLAIM_REJECTED),
    [CLAIM_UNDER_REVIEW] = BIT(CLAIM_APPROVED) | BIT(CLAIM_REJECTED),
    [CLAIM_APPROVED] = BIT(CLAIM_PAID) | BIT(CLAIM_UNDER_REVIEW),
    [CLAIM_REJECTED] = BIT(CLAIM_APPEALED),
    [CLAIM_APPEALED] = BIT(CLAIM_UNDER_REVIEW) | BIT(CLAIM_APPROVED) | BIT(CLAIM_REJECTED),
    [CLAIM_PAID] = 0,
};

int claim_flow_allowed(int from, int to)
{
    if (from < CLAIM_FILED || from >= CLAIM_STATE_COUNT || to < CLAIM_FILED ||
        to >= CLAIM_STATE_COUNT)
        return 0;
    return (next[from] & BIT(to)) != 0;
}

void claim_flow_next(int from, char *out, size_t size)
{
    out[0] = '\0';
    if (from < CLAIM_FILED || from >= CLAIM_STATE_COUNT)
        return;
    size_t n = 0;
    for (int s = CLAIM_FILED; s < CLAIM_STATE_COUNT && n < size; s++)
        if (next[from] & BIT(s))
            n += (size_t)snprintf(out + n, size - n, "%s%s", n ? ", " : "", claim_state_name(s));
}

int claim_flow_check(int from, int to, struct error *err)
{
    if (claim_flow_allowed(from, to))
        return SP_OK;
    char can[96];
    claim_flow_next(from, can, sizeof can);
    if (can[0] == '\0')
        return error_set(err, SP_CONFLICT, "the claim is %s, which is final: it cannot become %s",
                         claim_state_name(from), claim_state_name(to));
    return error_set(err, SP_CONFLICT, "the claim is %s: it cannot become %s (only %s)",
                     claim_state_name(from), claim_state_name(to), can);
}

int claim_flow_after_decision(const char *decision, int payable)
{
    if (strcmp(decision, "eligible") == 0)
        return payable ? CLAIM_APPROVED : CLAIM_REJECTED;
    if (strcmp(decision, "not_eligible") == 0)
        return CLAIM_REJECTED;
    return CLAIM_UNDER_REVIEW;
}
