/*
 * sqlite_impl.h: what the files of the SQLite driver share (internal to src/store/sqlite/).
 *
 *   sqlite.c        the connection: opening a file safely, migrations, transactions, the
 *                   statement table, the allocator, and the driver table;
 *   sqlite_index.c  the persons' secondary indexes: setting them aside for an import session
 *                   and rebuilding them from definitions compiled in;
 *   sqlite_person.c persons and households: mapping the domain structs to rows, and the
 *                   driver's person and household functions;
 *   sqlite_change.c corrections: updating a person and the person_changes rows;
 *   sqlite_event.c  life events (person_events) and the marks of a range of records;
 *   sqlite_search.c the text index (FTS5, trigram) that find reads;
 *   sqlite_enrolment.c enrolments;
 *   sqlite_audit.c  the audit log;
 *   sqlite_contribution.c the contributions ledger.
 *   sqlite_claims.c claims and grievances, with their steps and evidence.
 *   sqlite_payment.c payroll batches and payments.
 *   sqlite_users.c  users, their tokens, and the replies kept for Idempotency-Keys.
 *
 * Helpers are prefixed sq_; the driver's own functions sqlite_ (store_driver.h gives their
 * contracts). Every statement of the driver is in the statement table, prepared once on first
 * use (sq_statement) and reused for the life of the connection.
 */
#ifndef SPFLOOR_STORE_SQLITE_SQLITE_IMPL_H
#define SPFLOOR_STORE_SQLITE_SQLITE_IMPL_H

#include <sqlite3.h>
#include <stdint.h>

#include "base/error.h"
#include "store/event_row.h"
#include "store/person_row.h"
#include "store/schema_check.h"
#include "store/store_driver.h"

#define CACHE_SIZE_KIB 65536 /* page cache per connection (PRAGMA cache_size = -N) */
#define MMAP_SIZE                                                                                  \
    (1LL << 32)             /* bytes of the file read through a memory map (PRAGMA                 \
                              mmap_size): reads without a copy into the page cache */
#define SEARCH_TEXT_MAX 128 /* bytes of search text the scan uses */
#define SERIAL_COUNTER  "worker_serial"

#define SELECT_PERSON "SELECT " PERSON_ROW_COLUMNS " FROM persons "

enum statement {
    S_BEGIN,
    S_COMMIT,
    S_ROLLBACK,
    S_SERIAL_GET,
    S_SERIAL_SET,
    S_PERSON_INSERT,
    S_PERSON_GET,
    S_PERSONS_OF,
    S_PERSON_BY_NATIONAL_ID,
    S_PERSON_BY_DEDUP_KEY,
    S_PERSON_EACH,
    S_PERSON_COUNT,
    S_MEMBERS,
    S_HOUSEHOLD_INSERT,
    S_HOUSEHOLD_DELETE,
    S_HOUSEHOLD_GET,
    S_SEARCH_ALL,
    S_SEARCH_SCAN,
    S_PENDING_ANY,
    S_PENDING_ADD,
    S_INDEX_EXISTS,
    S_DATA_VERSION,
    S_PERSON_UPDATE,
    S_CHANGE_ADD,
    S_CHANGE_LAST,
    S_CHANGES,
    S_MARK_SET,
    S_MARK_GET,
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
    S_SEARCH_DELETE,
    S_SEARCH_INSERT,
    S_SEARCH_MATCH,
    S_SEARCH_LIKE,
    S_SEARCH_STALE,
    S_SEARCH_FRESH,
    S_SEARCH_PENDING,
    S_SEARCH_PENDING_ANY,
    S_SEARCH_COUNT,
    S_ENROLMENT_ADD,
    S_ENROLMENTS_OF,
    S_ENROLMENTS_ALL,
    S_ENROLMENT_STATE,
    S_AUDIT_LAST,
    S_AUDIT_ADD,
    S_AUDIT_ALL,
    S_AUDIT_OF,
    S_CONTRIBUTION_LAST,
    S_CONTRIBUTION_ADD,
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

struct sqlite_store {
    sqlite3 *db;
    char *location;              /* the file name, for messages */
    sqlite3_stmt *stmt[S_COUNT]; /* prepared on first use; NULL until then */
    int in_transaction;          /* 1 between a successful begin and commit/rollback */
    int importing;               /* 1 between store_import_begin and store_import_end */
    /* during a walk whole households at a time (person_each_by_household_reading): the
       households in id order, the order the walk asks for them in, so that household_get
       steps forward instead of searching; NULL otherwise */
    sqlite3_stmt *walk_households;
    int walk_households_on_row; /* 1 while walk_households is on a row */
};

/* ---- sqlite.c: errors, statements, running them ---- */

/* Records the connection's last error in err as SP_IO ("LOCATION: DOING: why"), or out of
 * memory; a busy database says so. Returns the code. */
int sq_error(struct sqlite_store *s, const char *doing, struct error *err);

/* The prepared statement `which`, prepared on first use and owned by s; NULL with err set. */
sqlite3_stmt *sq_statement(struct sqlite_store *s, enum statement which, struct error *err);

/* Steps a statement that returns no rows (or ignores them), then resets it. SP_OK or SP_IO. */
int sq_run(struct sqlite_store *s, sqlite3_stmt *stmt, const char *doing, struct error *err);
/* sq_run, then *changed: 1 if the statement changed a row, 0 if none or on failure. */
int sq_run_changed(struct sqlite_store *s, sqlite3_stmt *stmt, const char *doing, int *changed,
                   struct error *err);

/* Runs SQL text compiled into spfloor (never text read from the database). SP_OK or SP_IO. */
int sq_exec(struct sqlite_store *s, const char *sql, const char *doing, struct error *err);

/* Runs the statement `which`, which returns one integer, into *out (0 on failure). */
int sq_read_int64(struct sqlite_store *s, enum statement which, int64_t *out, const char *what,
                  struct error *err);
/* The same with serial bound to ?1. */
int sq_read_int64_of(struct sqlite_store *s, enum statement which, int64_t serial, int64_t *out,
                     const char *what, struct error *err);

/* Runs the statement `which`, which returns one serial a row, and calls visit with each; a
 * non-zero visit return stops the walk and is returned. SP_OK or SP_IO, naming `doing`. */
int sq_serials_each(struct sqlite_store *s, enum statement which,
                    int (*visit)(void *ctx, int64_t serial), void *ctx, const char *doing,
                    struct error *err);

/* ---- sqlite_person.c: reading persons ---- */

/* Binds text to the 0-based column (parameter column + 1); "" binds NULL. The text must
 * outlive the step. */
void sq_bind_text(sqlite3_stmt *stmt, int column, const char *text);

/* The text of a result column, "" for NULL; valid until the statement steps or resets. */
const char *sq_column_text(sqlite3_stmt *stmt, int column);

/* Copies a result column's text into out (size bytes), truncating. */
void sq_read_text(sqlite3_stmt *stmt, int column, char *out, size_t size);

/* Steps a bound one-row person query: *found and *out as store_person_get says. */
int sq_fetch_one(struct sqlite_store *s, sqlite3_stmt *stmt, struct person *out, int *found,
                 struct error *err);
/* Looks a person up by worker serial (one probe of the primary key). */
int sq_person_by_serial(struct sqlite_store *s, int64_t serial, struct person *out, int *found,
                        struct error *err);

/* Steps a bound person query, visiting each row; a non-zero visit return stops and is
 * returned. */
int sq_visit_rows(struct sqlite_store *s, sqlite3_stmt *stmt, person_visit_fn visit, void *ctx,
                  struct error *err);

/* ---- sqlite_person.c: the driver's person and household functions (store_driver.h) ---- */
int sqlite_person_insert(void *handle, const struct person *p, int64_t serial,
                         const char *dedup_key, struct error *err);
int sqlite_household_insert(void *handle, const struct household *h, int *created,
                            struct error *err);
int sqlite_household_delete(void *handle, const char *id, struct error *err);
int sqlite_person_by_serial(void *handle, int64_t serial, struct person *out, int *found,
                            struct error *err);
int sqlite_persons_of(void *handle, const int64_t *serials, int n, person_visit_fn visit, void *ctx,
                      struct error *err);
int sqlite_person_by_national_id(void *handle, const char *country, const char *national_id,
                                 struct person *out, int *found, struct error *err);
int sqlite_person_by_dedup_key(void *handle, const char *key, struct person *out, int *found,
                               struct error *err);
int sqlite_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                       void *ctx, struct error *err);
int sqlite_person_search(void *handle, const char *text, const char *country, int limit,
                         person_visit_fn visit, void *ctx, struct error *err);
int sqlite_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err);
int sqlite_person_each_by_household_reading(void *handle, const char *country,
                                            person_field_set fields, person_visit_fn visit,
                                            void *ctx, struct error *err);
int sqlite_person_each_by_household(void *handle, const char *country, person_visit_fn visit,
                                    void *ctx, struct error *err);
int sqlite_household_members(void *handle, const char *household, person_visit_fn visit, void *ctx,
                             struct error *err);
int sqlite_person_count(void *handle, int64_t *out, struct error *err);
int sqlite_household_get(void *handle, const char *id, struct household *out, int *found,
                         struct error *err);

/* ---- sqlite_change.c: corrections (store_driver.h, version 4) ---- */

/* Binds a person's columns (person_row_encode) to ?1..?30 of stmt. */
void sq_bind_row(sqlite3_stmt *stmt, const struct person_row *row);

int sqlite_person_update(void *handle, const struct person *p, int64_t serial,
                         const char *dedup_key, struct error *err);
int sqlite_person_change_add(void *handle, int64_t serial, const struct person_change *c,
                             struct error *err);
int sqlite_person_change_last(void *handle, int64_t serial, int *version, struct error *err);
int sqlite_person_changes_each(void *handle, int64_t serial, person_change_visit_fn visit,
                               void *ctx, struct error *err);
int sqlite_person_mark_set(void *handle, int64_t serial, enum person_mark_kind kind, int32_t date,
                           int64_t into, struct error *err);
int sqlite_person_mark_get(void *handle, int64_t serial, enum person_mark_kind *kind, int32_t *date,
                           int64_t *into, int *found, struct error *err);

/* ---- sqlite_event.c: life events (store_driver.h, version 5) ---- */
int sqlite_event_add(void *handle, int64_t serial, const struct registry_event *ev, int64_t other,
                     struct error *err);
int sqlite_event_last(void *handle, int64_t serial, int *seq, struct error *err);
int sqlite_events_each(void *handle, int64_t from, int64_t to, registry_event_visit_fn visit,
                       void *ctx, struct error *err);
int sqlite_marks_each(void *handle, int64_t from, int64_t to, person_mark_visit_fn visit, void *ctx,
                      struct error *err);
int sqlite_events_of(void *handle, const int64_t *serials, int n, registry_event_visit_fn visit,
                     void *ctx, struct error *err);
int sqlite_marks_of(void *handle, const int64_t *serials, int n, person_mark_visit_fn visit,
                    void *ctx, struct error *err);
int sqlite_holders_each(void *handle, int marks, int (*visit)(void *ctx, int64_t serial), void *ctx,
                        struct error *err);

/* ---- sqlite_enrolment.c ---- */
int sqlite_enrolment_add(void *handle, int64_t serial, const struct enrolment_record *r, int *added,
                         struct error *err);
int sqlite_enrolments_each(void *handle, int64_t serial, store_enrolment_row_fn visit, void *ctx,
                           struct error *err);
int sqlite_enrolment_state_set(void *handle, int64_t serial, const struct enrolment_record *r,
                               int *found, struct error *err);

/* ---- sqlite_payment.c ---- */
int sqlite_payment_batch_add(void *handle, const struct payment_batch *b, struct error *err);
int sqlite_payment_batches_each(void *handle, payment_batch_visit_fn visit, void *ctx,
                                struct error *err);
int sqlite_payment_batch_exported(void *handle, const char *id, const char *at, int32_t day,
                                  int *found, int64_t *moved, struct error *err);
int sqlite_payment_add(void *handle, int64_t serial, const struct payment *p, int *added,
                       struct error *err);
int sqlite_payments_each(void *handle, const char *batch, int64_t serial,
                         store_payment_row_fn visit, void *ctx, struct error *err);
int sqlite_payment_state_set(void *handle, int64_t serial, const struct payment *p, int *found,
                             struct error *err);

/* ---- sqlite_audit.c ---- */
int sqlite_audit_last(void *handle, struct audit_entry *out, int *found, struct error *err);
int sqlite_audit_add(void *handle, const struct audit_entry *e, struct error *err);
int sqlite_audit_each(void *handle, const char *object, audit_visit_fn visit, void *ctx,
                      struct error *err);

/* ---- sqlite_contribution.c ---- */
int sqlite_contribution_last(void *handle, int64_t *last, struct error *err);
int sqlite_contributions_add(void *handle, const struct contribution_entry *entries,
                             const int64_t *serials, int n, struct error *err);
int sqlite_contributions_each(void *handle, int64_t from, int64_t to,
                              store_contribution_row_fn visit, void *ctx, struct error *err);
int sqlite_contributions_of(void *handle, const int64_t *serials, int n,
                            store_contribution_row_fn visit, void *ctx, struct error *err);
int sqlite_contributors_each(void *handle, int (*visit)(void *ctx, int64_t serial), void *ctx,
                             struct error *err);
/* ---- sqlite_claims.c ---- */
int sqlite_counter_next(void *handle, const char *name, int64_t *out, struct error *err);

/* ---- sqlite_outreach.c (version 11) ---- */
int sqlite_organisation_put(void *handle, const char *name, const char *network, struct error *err);
int sqlite_outreach_add(void *handle, const struct outreach_activity *a,
                        const struct outreach_participant *parts, const int64_t *serials, int n,
                        struct error *err);
int sqlite_outreach_each(void *handle, outreach_visit_fn visit, store_participant_row_fn visit_part,
                         void *ctx, struct error *err);
int sqlite_advocacy_add(void *handle, const struct advocacy *a, struct error *err);
int sqlite_advocacy_each(void *handle, advocacy_visit_fn visit, void *ctx, struct error *err);

/* ---- sqlite_shock.c (version 14) ---- */

int sqlite_shock_add(void *handle, const struct shock *sh, struct error *err);
int sqlite_shocks_each(void *handle, shock_visit_fn visit, void *ctx, struct error *err);

/* ---- sqlite_outreach.c: outreach cases (version 15) ---- */

int sqlite_case_add(void *handle, const struct outreach_case *c, int64_t serial, struct error *err);
int sqlite_case_update(void *handle, const struct outreach_case *c, int *found, struct error *err);
int sqlite_cases_each(void *handle, store_case_row_fn visit, void *ctx, struct error *err);

int sqlite_claim_put(void *handle, int64_t serial, const struct claim *c, int insert,
                     struct error *err);
int sqlite_claims_each(void *handle, int64_t serial, int64_t id, store_claim_row_fn visit,
                       void *ctx, struct error *err);
int sqlite_claim_step_add(void *handle, int64_t serial, const struct claim_step *st,
                          struct error *err);
int sqlite_claim_steps_each(void *handle, int64_t serial, int64_t id, claim_step_visit_fn visit,
                            void *ctx, struct error *err);
int sqlite_claim_evidence_add(void *handle, int64_t serial, const struct claim_evidence *e,
                              struct error *err);
int sqlite_claim_evidence_each(void *handle, int64_t serial, int64_t id,
                               claim_evidence_visit_fn visit, void *ctx, struct error *err);
int sqlite_grievance_put(void *handle, int64_t serial, const struct grievance *g, int insert,
                         struct error *err);
int sqlite_grievances_each(void *handle, int64_t serial, int64_t id, int open_only,
                           store_grievance_row_fn visit, void *ctx, struct error *err);
int sqlite_grievance_step_add(void *handle, int64_t serial, const struct grievance_step *st,
                              struct error *err);
int sqlite_grievance_steps_each(void *handle, int64_t serial, int64_t id,
                                grievance_step_visit_fn visit, void *ctx, struct error *err);

/* ---- sqlite_index.c: indexes set aside ---- */

/* *any is 1 if indexes are set aside (an import session is running, or was killed). */
int sq_indexes_pending(struct sqlite_store *s, int *any, struct error *err);

/* Recreates the set-aside or missing indexes in a transaction of its own (outside any other).
 * A duplicate is SP_CONFLICT naming both records. */
int sq_restore_indexes_now(struct sqlite_store *s, struct error *err);

/* At open for writing: sq_restore_indexes_now when indexes are set aside or missing. */
int sq_restore_killed_import(struct sqlite_store *s, struct error *err);

/* ---- sqlite_index.c: import sessions (store_driver.h) ---- */
int sqlite_data_version(void *handle, int64_t *out, struct error *err);
int sqlite_import_begin(void *handle, int64_t since, struct error *err);
int sqlite_import_end(void *handle, struct error *err);

/* ---- sqlite_search.c: the text index (store_driver.h, version 6) ---- */
int sqlite_search_put(void *handle, const int64_t *serials, const char *const *texts, int n,
                      struct error *err);
int sqlite_search_find(void *handle, const struct store_search *q, person_visit_fn visit, void *ctx,
                       struct error *err);
int sqlite_search_stale(void *handle, int *stale, struct error *err);
int sqlite_search_fresh(void *handle, struct error *err);

/* ---- sqlite_users.c: users, tokens and kept replies (store_driver.h, version 9) ---- */
int sqlite_user_put(void *handle, const struct store_user *u, int *created, struct error *err);
int sqlite_user_get(void *handle, const char *name, struct store_user *out, int *found,
                    struct error *err);
int sqlite_token_put(void *handle, const struct store_token *t, struct error *err);
int sqlite_token_get(void *handle, const char *hash, struct store_token *out, int *found,
                     struct error *err);
int sqlite_token_touch(void *handle, const char *hash, int64_t seen_at, struct error *err);
int sqlite_tokens_delete_of(void *handle, const char *user, int64_t *n, struct error *err);
int sqlite_token_delete(void *handle, const char *hash, int *found, struct error *err);
int sqlite_reply_get(void *handle, const char *user, const char *key, struct store_reply *out,
                     struct buf *body, int *found, struct error *err);
int sqlite_reply_put(void *handle, const struct store_reply *r, const char *body,
                     struct error *err);

#endif
