/*
 * claim_row.h: claims, their steps and evidence, grievances and their steps as the drivers
 * store them (migrations/<dialect>/0011): every column after serial as text, in the order of
 * the *_COLUMNS lists, so both drivers read and write them alike. A text "" is stored as NULL
 * and read back as "".
 */
#ifndef SPFLOOR_STORE_CLAIM_ROW_H
#define SPFLOOR_STORE_CLAIM_ROW_H

#include "base/date.h"
#include "model/claim.h"
#include "model/grievance.h"
#include "store/store_driver.h"

#define CLAIM_COLUMNS                                                                              \
    "serial, id, scheme, event_type, event_date, state, decision, amount, currency, per, days, "   \
    "paid, fields, explanation, missing, filed_at, actor"
#define CLAIM_TEXTS 16
#define CLAIM_STEP_COLUMNS                                                                         \
    "serial, claim_id, seq, from_state, to_state, on_date, amount, at, actor, reason"
#define CLAIM_STEP_TEXTS       9
#define CLAIM_EVIDENCE_COLUMNS "serial, claim_id, sha256, file_name, added_at, actor"
#define CLAIM_EVIDENCE_TEXTS   5
#define GRIEVANCE_COLUMNS                                                                          \
    "serial, id, about, ref, body, state, level, opened_on, level_since, deadline, resolved_on, "  \
    "resolution, opened_at, actor"
#define GRIEVANCE_TEXTS 13
#define GRIEVANCE_STEP_COLUMNS                                                                     \
    "serial, grievance_id, seq, action, level, on_date, deadline, at, actor, reason"
#define GRIEVANCE_STEP_TEXTS 9

/* Where the numbers and dates of an encoded row are written; it must outlive the texts. */
struct claim_row_scratch {
    char number[6][24];
};

/* The texts of each record's columns after serial, in order; they point into the record and
 * into sc. */
void claim_row_encode(const struct claim *c, struct claim_row_scratch *sc,
                      const char *texts[CLAIM_TEXTS]);
void claim_step_row_encode(const struct claim_step *st, struct claim_row_scratch *sc,
                           const char *texts[CLAIM_STEP_TEXTS]);
void claim_evidence_row_encode(const struct claim_evidence *e, struct claim_row_scratch *sc,
                               const char *texts[CLAIM_EVIDENCE_TEXTS]);
void grievance_row_encode(const struct grievance *g, struct claim_row_scratch *sc,
                          const char *texts[GRIEVANCE_TEXTS]);
void grievance_step_row_encode(const struct grievance_step *st, struct claim_row_scratch *sc,
                               const char *texts[GRIEVANCE_STEP_TEXTS]);

/* Read the columns after serial into the record (person ""). Cannot fail: a number or date
 * that does not read is 0, -1 or DATE_NONE as the record's field says for "none". */
void claim_row_decode(const char *const texts[CLAIM_TEXTS], struct claim *c);
void claim_step_row_decode(const char *const texts[CLAIM_STEP_TEXTS], struct claim_step *st);
void claim_evidence_row_decode(const char *const texts[CLAIM_EVIDENCE_TEXTS],
                               struct claim_evidence *e);
void grievance_row_decode(const char *const texts[GRIEVANCE_TEXTS], struct grievance *g);
void grievance_step_row_decode(const char *const texts[GRIEVANCE_STEP_TEXTS],
                               struct grievance_step *st);

/* Columns after serial of the widest row above (CLAIM_TEXTS). */
#define CLAIM_ROW_TEXTS_MAX 16

/*
 * A walk over stored rows of one kind, the same for every driver: the driver reads each row
 * as its serial and the texts of its columns after serial, and hands them to the kind's
 * *_row_visit below with the walk as ctx. Set the visitor of the kind walked; the others are
 * not read.
 */
struct claim_row_walk {
    store_claim_row_fn claim;               /* claims: with the person's serial */
    claim_step_visit_fn claim_step;         /* a claim's steps */
    claim_evidence_visit_fn claim_evidence; /* a claim's documents */
    store_grievance_row_fn grievance;       /* grievances: with the person's serial */
    grievance_step_visit_fn grievance_step; /* a grievance's steps */
    void *ctx;                              /* passed to the visitor */
};

/* What a driver calls with each row: walk is a struct claim_row_walk, texts the row's columns
 * after serial. */
typedef int (*claim_row_visit_fn)(void *walk, int64_t serial, const char *const *texts);

/* Each decodes one row of its kind (as *_row_decode) and calls walk's visitor of that kind with
 * walk's ctx; returns what the visitor returns (non-zero stops the walk). The record lives
 * only during the call. Cannot fail. */
int claim_row_visit(void *walk, int64_t serial, const char *const *texts);
int claim_step_row_visit(void *walk, int64_t serial, const char *const *texts);
int claim_evidence_row_visit(void *walk, int64_t serial, const char *const *texts);
int grievance_row_visit(void *walk, int64_t serial, const char *const *texts);
int grievance_step_row_visit(void *walk, int64_t serial, const char *const *texts);

#endif
