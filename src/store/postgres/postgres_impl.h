/*
 * postgres_impl.h: what the files of the PostgreSQL driver share (internal to
 * src/store/postgres/).
 *
 *   postgres.c        the connection: connecting, the session's settings, migrations,
 *                     transactions, the statement table, errors, and the driver table;
 *   postgres_person.c persons and households: mapping the domain structs to parameters and
 *                     rows, and the driver's person and household functions;
 *   postgres_change.c corrections: updating a person with their keys, and person_changes;
 *   postgres_event.c  life events (person_events) and the marks of a range of records;
 *   postgres_search.c the text index (pg_trgm) that find reads;
 *   postgres_claims.c claims and grievances, with their steps and evidence.
 *   postgres_users.c users, their tokens, and the replies kept for Idempotency-Keys.
 *
 * Helpers are prefixed pg_ (pg_store, pg_run...); the driver's own functions postgres_
 * (store_driver.h gives their contracts). Every statement that carries a value is in the
 * statement table, prepared on the server on first use (PQprepare) and run with its values as
 * parameters (PQexecPrepared): no value is ever pasted into SQL text. Only constant text (BEGIN,
 * COMMIT, the session's settings, the migrations compiled in) is sent as a simple query.
 */
#ifndef SPFLOOR_STORE_POSTGRES_POSTGRES_IMPL_H
#define SPFLOOR_STORE_POSTGRES_POSTGRES_IMPL_H

#include <libpq-fe.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "model/household.h"
#include "store/event_row.h"
#include "store/person_row.h"
#include "store/store_driver.h"

#define PG_SEARCH_TEXT_MAX 128   /* bytes of search text the scan uses */
#define PG_FETCH_ROWS      "500" /* rows a walk's cursor fetches at a time */
#define PG_FETCH_ROWS_INT  500
#define PG_COPY_BYTES_MAX  ((size_t)1 << 30) /* bytes of one COPY of a group of persons */

#define PG_SELECT_PERSON "SELECT " PERSON_ROW_COLUMNS " FROM persons "

enum pg_statement {
    S_SERIAL_GET,
    S_SERIAL_SET,
    S_PERSON_INSERT,
    S_PERSON_GET,
    S_PERSONS_OF,
    S_PERSON_BY_NATIONAL_ID,
    S_PERSON_BY_DEDUP_KEY,
    S_PERSON_COUNT,
    S_MEMBERS,
    S_HOUSEHOLD_INSERT,
    S_HOUSEHOLDS_INSERT,
    S_PERSON_UPDATE,
    S_KEYS_DELETE,
    S_KEYS_INSERT,
    S_CHANGE_ADD,
    S_CHANGE_LAST,
    S_CHANGES,
    S_MARK_SET,
    S_MARK_GET,
    S_HOUSEHOLD_DELETE,
    S_HOUSEHOLD_GET,
    S_SEARCH_ALL,
    S_SEARCH_SCAN,
    S_TABLES,
    S_CODE_OBJECTS,
    S_HAS_MIGRATIONS,
    S_MIGRATION_APPLIED,
    S_MIGRATION_COUNT,
    S_MIGRATION_RECORD,
    S_MIGRATION_LOCK,
    S_OVERLAY_GET,
    S_OVERLAY_DELETE,
    S_OVERLAY_INSERT,
    S_EVENT_ADD,
    S_EVENT_LAST,
    S_EVENTS,
    S_MARKS,
    S_EVENTS_OF,
    S_MARKS_OF,
    S_EVENT_HOLDERS,
    S_MARK_HOLDERS,
    S_SEARCH_PUT,
    S_SEARCH_STALE,
    S_SEARCH_FRESH,
    S_ENROLMENT_ADD,
    S_ENROLMENTS_OF,
    S_ENROLMENTS_ALL,
    S_ENROLMENT_STATE,
    S_AUDIT_LAST,
    S_AUDIT_ADD,
    S_AUDIT_ALL,
    S_AUDIT_OF,
    S_CONTRIBUTION_LAST,
    S_CONTRIBUTIONS,
    S_CONTRIBUTIONS_OF,
    S_CONTRIBUTORS,
    S_COUNTER_NEXT,
    S_CLAIM_INSERT,
    S_CLAIM_UPDATE,
    S_CLAIMS_OF,
    S_CLAIM_BY_ID,
    S_CLAIMS_ALL,
    S_CLAIM_STEP_ADD,
    S_CLAIM_STEPS,
    S_EVIDENCE_ADD,
    S_EVIDENCE_OF,
    S_GRIEVANCE_INSERT,
    S_GRIEVANCE_UPDATE,
    S_GRIEVANCES_OF,
    S_GRIEVANCE_BY_ID,
    S_GRIEVANCES_ALL,
    S_GRIEVANCES_OPEN,
    S_GRIEVANCE_STEP_ADD,
    S_GRIEVANCE_STEPS,
    S_PAYMENT_BATCH_ADD,
    S_PAYMENT_BATCHES,
    S_PAYMENT_BATCH_EXPORTED,
    S_PAYMENTS_EXPORTED,
    S_PAYMENT_ADD,
    S_PAYMENTS_ADD,
    S_PAYMENTS,
    S_PAYMENT_STATE,
    S_USER_GET,
    S_USER_PUT,
    S_TOKEN_PUT,
    S_TOKEN_GET,
    S_TOKEN_TOUCH,
    S_TOKEN_DELETE,
    S_TOKENS_DELETE_OF,
    S_REPLY_GET,
    S_REPLY_PUT,
    S_ORGANISATION_PUT,
    S_OUTREACH_ADD,
    S_PARTICIPANT_ADD,
    S_OUTREACH_ALL,
    S_PARTICIPANTS_ALL,
    S_ADVOCACY_ADD,
    S_ADVOCACY_ALL,
    S_SHOCK_ADD,
    S_SHOCKS_ALL,
    S_CASE_ADD,
    S_CASE_UPDATE,
    S_CASES_ALL,
    S_COUNT
};

struct pg_store {
    PGconn *conn;                    /* the one connection of this store */
    char *location;                  /* the URL with any password masked, for messages */
    int in_transaction;              /* 1 between a successful begin and commit/rollback */
    int retryable;                   /* 1 if the last failure was a serialization failure */
    int walking;                     /* walks under way (pg_walk_begin), nested ones included */
    int walk_snapshot;               /* 1 if the outermost walk began a transaction of its own */
    struct household walk_household; /* the household of the person a walk is visiting, read
                                        with the person (id "" if none): household_get answers
                                        from it without a round trip while the walk lasts */
    int walk_household_found;        /* 1 if that household exists */
    unsigned char ready[S_COUNT];    /* 1 once the statement is prepared on this connection */
};

/* postgres.c: errors and statements */
int pg_error(struct pg_store *s, const PGresult *res, const char *doing, struct error *err);
PGresult *pg_run(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                 const char *doing, struct error *err);
int pg_read_int64(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                  int64_t *out, const char *doing, struct error *err);
/* pg_run for a statement whose rows are not read (a write): SP_OK or SP_IO. */
int pg_run_none(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                const char *doing, struct error *err);
/* The same, then *changed: 1 if it changed a row, 0 if none or on failure. SP_OK or SP_IO. */
int pg_run_changed(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                   const char *doing, int *changed, struct error *err);
/* The same with serial as the one value ($1). */
int pg_read_int64_of(struct pg_store *s, enum pg_statement which, int64_t serial, int64_t *out,
                     const char *doing, struct error *err);
/* Runs the statement `which` (no values), which returns one serial a row, and calls visit with
 * each; a non-zero visit return stops the walk and is returned. SP_OK or SP_IO, naming
 * `doing`. */
int pg_serials_each(struct pg_store *s, enum pg_statement which,
                    int (*visit)(void *ctx, int64_t serial), void *ctx, const char *doing,
                    struct error *err);
/* Sends constant SQL (no value in it: BEGIN, SAVEPOINT...) as a simple query; SP_OK or as
 * pg_error says. */
int pg_exec(struct pg_store *s, const char *sql, const char *doing, struct error *err);

/* postgres.c: a walk's pages in one snapshot (pg_walk_end after every pg_walk_begin that
 * succeeded) */
int pg_walk_begin(struct pg_store *s, struct error *err);
void pg_walk_end(struct pg_store *s);

/* postgres_person.c: runs insert(s, rows, n, err) under a savepoint: a taken key undoes it
 * (SP_CONFLICT) and leaves the transaction usable */
int pg_under_savepoint(struct pg_store *s,
                       int (*insert)(struct pg_store *, const void *, int, struct error *),
                       const void *rows, int n, struct error *err);

/* postgres_person.c: appends a text value to an array literal being built ("{...}"), quoted;
 * "" as NULL */
int pg_array_item(struct buf *b, const char *value, struct error *err);
/* postgres_person.c: visits the persons of a result of PG_SELECT_PERSON columns */
int pg_visit_result(struct pg_store *s, PGresult *res, person_visit_fn visit, void *ctx);

/* postgres_search.c: the text index (store_driver.h, version 6) */
int postgres_search_put(void *handle, const int64_t *serials, const char *const *texts, int n,
                        struct error *err);
int postgres_search_find(void *handle, const struct store_search *q, person_visit_fn visit,
                         void *ctx, struct error *err);
int postgres_search_stale(void *handle, int *stale, struct error *err);
int postgres_search_fresh(void *handle, struct error *err);

/* postgres_change.c: corrections (store_driver.h, version 4) */
int postgres_person_update(void *handle, const struct person *p, int64_t serial,
                           const char *dedup_key, struct error *err);
int postgres_person_change_add(void *handle, int64_t serial, const struct person_change *c,
                               struct error *err);
int postgres_person_change_last(void *handle, int64_t serial, int *version, struct error *err);
int postgres_person_changes_each(void *handle, int64_t serial, person_change_visit_fn visit,
                                 void *ctx, struct error *err);
int postgres_person_mark_set(void *handle, int64_t serial, enum person_mark_kind kind, int32_t date,
                             int64_t into, struct error *err);
int postgres_person_mark_get(void *handle, int64_t serial, enum person_mark_kind *kind,
                             int32_t *date, int64_t *into, int *found, struct error *err);

/* postgres_event.c: life events (store_driver.h, version 5) */
int postgres_event_add(void *handle, int64_t serial, const struct registry_event *ev, int64_t other,
                       struct error *err);
int postgres_event_last(void *handle, int64_t serial, int *seq, struct error *err);
int postgres_events_each(void *handle, int64_t from, int64_t to, registry_event_visit_fn visit,
                         void *ctx, struct error *err);
int postgres_marks_each(void *handle, int64_t from, int64_t to, person_mark_visit_fn visit,
                        void *ctx, struct error *err);
int postgres_events_of(void *handle, const int64_t *serials, int n, registry_event_visit_fn visit,
                       void *ctx, struct error *err);
int postgres_marks_of(void *handle, const int64_t *serials, int n, person_mark_visit_fn visit,
                      void *ctx, struct error *err);
int postgres_holders_each(void *handle, int marks, int (*visit)(void *ctx, int64_t serial),
                          void *ctx, struct error *err);

/* postgres_enrolment.c */
int postgres_enrolment_add(void *handle, int64_t serial, const struct enrolment_record *r,
                           int *added, struct error *err);
int postgres_enrolments_each(void *handle, int64_t serial, store_enrolment_row_fn visit, void *ctx,
                             struct error *err);
int postgres_enrolment_state_set(void *handle, int64_t serial, const struct enrolment_record *r,
                                 int *found, struct error *err);

/* postgres_payment.c */
int postgres_payment_batch_add(void *handle, const struct payment_batch *b, struct error *err);
int postgres_payment_batches_each(void *handle, payment_batch_visit_fn visit, void *ctx,
                                  struct error *err);
int postgres_payment_batch_exported(void *handle, const char *id, const char *at, int32_t day,
                                    int *found, int64_t *moved, struct error *err);
int postgres_payment_add(void *handle, int64_t serial, const struct payment *p, int *added,
                         struct error *err);
int postgres_payments_add(void *handle, const int64_t *serials, const struct payment *p, int n,
                          int *added, struct error *err);
int postgres_payments_each(void *handle, const char *batch, int64_t serial,
                           store_payment_row_fn visit, void *ctx, struct error *err);
int postgres_payment_state_set(void *handle, int64_t serial, const struct payment *p, int *found,
                               struct error *err);

/* postgres_audit.c */
int postgres_audit_last(void *handle, struct audit_entry *out, int *found, struct error *err);
int postgres_audit_add(void *handle, const struct audit_entry *e, struct error *err);
int postgres_audit_each(void *handle, const char *object, audit_visit_fn visit, void *ctx,
                        struct error *err);

/* postgres_person.c: bulk writes through COPY in text format */
/* Appends a row of n values (NULL: \N) separated by tabs and ended by a newline. */
int pg_copy_row(struct buf *b, const char *const *values, int n, struct error *err);
/* Sends `data` through `COPY ... FROM STDIN` (sql, constant text); `doing` names it in
 * errors. */
int pg_copy_in(struct pg_store *s, const char *sql, const struct buf *data, const char *doing,
               struct error *err);

/* postgres_contribution.c: the contributions ledger */
int postgres_contribution_last(void *handle, int64_t *last, struct error *err);
int postgres_contributions_add(void *handle, const struct contribution_entry *entries,
                               const int64_t *serials, int n, struct error *err);
int postgres_contributions_each(void *handle, int64_t from, int64_t to,
                                store_contribution_row_fn visit, void *ctx, struct error *err);
int postgres_contributions_of(void *handle, const int64_t *serials, int n,
                              store_contribution_row_fn visit, void *ctx, struct error *err);
int postgres_contributors_each(void *handle, int (*visit)(void *ctx, int64_t serial), void *ctx,
                               struct error *err);
/* postgres_claims.c */
int postgres_counter_next(void *handle, const char *name, int64_t *out, struct error *err);

/* ---- postgres_outreach.c (version 11) ---- */
int postgres_organisation_put(void *handle, const char *name, const char *network,
                              struct error *err);
int postgres_outreach_add(void *handle, const struct outreach_activity *a,
                          const struct outreach_participant *parts, const int64_t *serials, int n,
                          struct error *err);
int postgres_outreach_each(void *handle, outreach_visit_fn visit,
                           store_participant_row_fn visit_part, void *ctx, struct error *err);
int postgres_advocacy_add(void *handle, const struct advocacy *a, struct error *err);
int postgres_advocacy_each(void *handle, advocacy_visit_fn visit, void *ctx, struct error *err);

/* ---- postgres_shock.c (version 14) ---- */

int postgres_shock_add(void *handle, const struct shock *sh, struct error *err);
int postgres_shocks_each(void *handle, shock_visit_fn visit, void *ctx, struct error *err);

/* ---- postgres_outreach.c: outreach cases (version 15) ---- */

int postgres_case_add(void *handle, const struct outreach_case *c, int64_t serial,
                      struct error *err);
int postgres_case_update(void *handle, const struct outreach_case *c, int *found,
                         struct error *err);
int postgres_cases_each(void *handle, store_case_row_fn visit, void *ctx, struct error *err);

int postgres_claim_put(void *handle, int64_t serial, const struct claim *c, int insert,
                       struct error *err);
int postgres_claims_each(void *handle, int64_t serial, int64_t id, store_claim_row_fn visit,
                         void *ctx, struct error *err);
int postgres_claim_step_add(void *handle, int64_t serial, const struct claim_step *st,
                            struct error *err);
int postgres_claim_steps_each(void *handle, int64_t serial, int64_t id, claim_step_visit_fn visit,
                              void *ctx, struct error *err);
int postgres_claim_evidence_add(void *handle, int64_t serial, const struct claim_evidence *e,
                                struct error *err);
int postgres_claim_evidence_each(void *handle, int64_t serial, int64_t id,
                                 claim_evidence_visit_fn visit, void *ctx, struct error *err);
int postgres_grievance_put(void *handle, int64_t serial, const struct grievance *g, int insert,
                           struct error *err);
int postgres_grievances_each(void *handle, int64_t serial, int64_t id, int open_only,
                             store_grievance_row_fn visit, void *ctx, struct error *err);
int postgres_grievance_step_add(void *handle, int64_t serial, const struct grievance_step *st,
                                struct error *err);
int postgres_grievance_steps_each(void *handle, int64_t serial, int64_t id,
                                  grievance_step_visit_fn visit, void *ctx, struct error *err);

/* postgres_person.c: the driver's person and household functions */
int postgres_person_insert(void *handle, const struct person *p, int64_t serial,
                           const char *dedup_key, struct error *err);
int postgres_person_insert_many(void *handle, const struct store_new_person *rows, int n,
                                struct error *err);
int postgres_household_insert(void *handle, const struct household *h, int *created,
                              struct error *err);
int postgres_household_delete(void *handle, const char *id, struct error *err);
int postgres_person_by_serial(void *handle, int64_t serial, struct person *out, int *found,
                              struct error *err);
int postgres_persons_of(void *handle, const int64_t *serials, int n, person_visit_fn visit,
                        void *ctx, struct error *err);
int postgres_person_by_national_id(void *handle, const char *country, const char *national_id,
                                   struct person *out, int *found, struct error *err);
int postgres_person_by_dedup_key(void *handle, const char *key, struct person *out, int *found,
                                 struct error *err);
int postgres_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                         void *ctx, struct error *err);
int postgres_person_search(void *handle, const char *text, const char *country, int limit,
                           person_visit_fn visit, void *ctx, struct error *err);
int postgres_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err);
int postgres_person_each_by_household_reading(void *handle, const char *country,
                                              person_field_set fields, person_visit_fn visit,
                                              void *ctx, struct error *err);
int postgres_person_each_by_household(void *handle, const char *country, person_visit_fn visit,
                                      void *ctx, struct error *err);
int postgres_household_members(void *handle, const char *household, person_visit_fn visit,
                               void *ctx, struct error *err);
int postgres_person_count(void *handle, int64_t *out, struct error *err);
int postgres_household_get(void *handle, const char *id, struct household *out, int *found,
                           struct error *err);

/* ---- postgres_users.c: users, tokens and kept replies (store_driver.h, version 9) ---- */
int postgres_user_put(void *handle, const struct store_user *u, int *created, struct error *err);
int postgres_user_get(void *handle, const char *name, struct store_user *out, int *found,
                      struct error *err);
int postgres_token_put(void *handle, const struct store_token *t, struct error *err);
int postgres_token_get(void *handle, const char *hash, struct store_token *out, int *found,
                       struct error *err);
int postgres_token_touch(void *handle, const char *hash, int64_t seen_at, struct error *err);
int postgres_tokens_delete_of(void *handle, const char *user, int64_t *n, struct error *err);
int postgres_token_delete(void *handle, const char *hash, int *found, struct error *err);
int postgres_reply_get(void *handle, const char *user, const char *key, struct store_reply *out,
                       struct buf *body, int *found, struct error *err);
int postgres_reply_put(void *handle, const struct store_reply *r, const char *body,
                       struct error *err);

#endif
