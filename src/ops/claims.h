/*
 * claims.h: claims for event-based benefits (docs/claims.md): filing one for a life event,
 * adjudicated at once by the rules engine as the person's registered facts stand on the
 * event's date, and moving it through its states (claims/claim_flow.h), every change kept with
 * who, when and why, and the person's audit trail.
 */
#ifndef SPFLOOR_OPS_CLAIMS_H
#define SPFLOOR_OPS_CLAIMS_H

#include <stdint.h>

#include "base/error.h"
#include "model/claim.h"
#include "rules/scheme.h"
#include "store/store.h"

#define CLAIMS_FIELDS_MAX 16 /* --field facts of one claim */

/* A claim to file. */
struct claims_request {
    const char *person;        /* the claimant's worker ID (the printed form too) */
    const char *scheme;        /* the scheme asked to pay */
    const char *event;         /* the event: a registry life event (birth, death,
                                  work_accident, job_loss ...) is recorded in the
                                  registry too; another word ([a-z_]) only on the claim */
    int32_t date;              /* when it happened (DATE_NONE: refused) */
    const char *const *fields; /* "name=value": a fact of the event (child, destination,
                                  contract_months ... as `event add` takes them) or an
                                  extra fact the scheme declares (average_daily_wage) */
    int n_fields;
    const char *const *evidence; /* paths of documents to attach by hash and name */
    int n_evidence;
    const char *actor;  /* who files it; not empty */
    const char *reason; /* why, or the form it came on; may be NULL */
};

/*
 * Files the claim rq describes and decides it, all in one transaction: the event (recorded in
 * the registry when it is a life event type, as `event add` does, unless the registry has that
 * type of event for the person on that day already), the claim in state filed,
 * the rules' decision for rq->scheme on rq->date with the person read from the registry as
 * `entitlements` reads them (with the fields the scheme declares as facts), and the claim's
 * move to approved (eligible and payable), rejected (not eligible, or excluded by another
 * scheme) or under_review (undetermined: the facts to ask for are kept; parameter not set;
 * failed); then the documents. *out is the claim as stored.
 * Checks first, and stores nothing when anything is refused: SP_BAD_INPUT for no date, a date
 * after today, an unknown person or scheme, a scheme of another country, a record merged or
 * of a person who died, an event word or field refused; SP_CONFLICT when the person has a
 * claim for the scheme, the event and the day already (named); SP_IO for a document that
 * cannot be read or the store.
 */
int claims_file(struct store *store, const struct scheme_library *lib,
                const struct claims_request *rq, int32_t today, struct claim *out,
                struct error *err);

/*
 * Moves the claim `id` to state `to` on `on`, with who and why (both needed), in a transaction
 * of its own. Paying (CLAIM_PAID) records `amount` (minor units) as paid, or, when amount is
 * -1, the amount decided. SP_BAD_INPUT when there is no such claim, who or why is missing, or
 * `on` is before its event or its last step; SP_CONFLICT when the state machine does not allow
 * the move (the message says which moves it does); SP_IO. *out is the claim after.
 */
int claims_move(struct store *store, int64_t id, int to, int32_t on, int64_t amount,
                const char *actor, const char *reason, struct claim *out, struct error *err);

/* claims_move inside the transaction the caller has open (a payroll's reconcile settling the
 * claim's payment): fails as claims_move does, and then the caller rolls back. */
int claims_move_open(struct store *store, int64_t id, int to, int32_t on, int64_t amount,
                     const char *actor, const char *reason, struct claim *out, struct error *err);

/*
 * Attaches the document at path to the claim `id`, by its SHA-256 and file name. *added is 0
 * when it is attached already. SP_BAD_INPUT when there is no such claim; SP_IO when the file
 * cannot be read.
 */
int claims_attach(struct store *store, int64_t id, const char *path, const char *actor, int *added,
                  struct error *err);

/* Reads a claim number ("12") into *id. SP_BAD_INPUT naming the text when it is not one. */
int claims_parse_id(const char *text, int64_t *id, struct error *err);

#endif
