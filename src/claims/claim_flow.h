/*
 * claim_flow.h: the claim state machine (docs/claims.md). Pure: no database, no clock.
 *
 *   filed         -> under_review, approved, rejected
 *   under_review  -> approved, rejected
 *   approved      -> paid, under_review (reopened before payment)
 *   rejected      -> appealed
 *   appealed      -> under_review, approved, rejected
 *   paid          -> (nothing: final)
 */
#ifndef SPFLOOR_CLAIMS_CLAIM_FLOW_H
#define SPFLOOR_CLAIMS_CLAIM_FLOW_H

#include "base/error.h"
#include "model/claim.h"

/* 1 if a claim in state `from` may move to `to`; 0 otherwise (an unknown state included). */
int claim_flow_allowed(int from, int to);

/*
 * SP_OK when a claim in state `from` may move to `to`; else SP_CONFLICT with a message naming
 * both states and the ones `from` can go to ("a paid claim is final"). Cannot fail otherwise.
 */
int claim_flow_check(int from, int to, struct error *err);

/* The states `from` can move to, as words joined by ", " into out (size bytes); "" if none. */
void claim_flow_next(int from, char *out, size_t size);

/*
 * The state the rules' decision puts a filed claim in, by the decision status's name:
 * "eligible" -> approved; "not_eligible" -> rejected; anything else (undetermined,
 * parameter_not_set, failed, an exclusion) -> under_review, for an adjudicator.
 * `payable` is 0 when an eligible decision is excluded by another scheme (-> rejected).
 */
int claim_flow_after_decision(const char *decision, int payable);

#endif
