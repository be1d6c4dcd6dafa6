/*
 * store.h: the one narrow storage interface of spfloor.
 *
 * Callers see only these functions and domain structs (struct person, struct household); no SQL
 * and no driver type leaks out. store_open picks the driver from the location: a path is an
 * SQLite file (the embedded default); a "postgres://" or "postgresql://" URL is a PostgreSQL
 * database (libpq; the URL's options may set search_path to put the registry in a schema of
 * its own). This front validates persons, chooses worker IDs and words conflicts once for every
 * driver (store_driver.h); the drivers only store.
 *
 * Writes happen inside store_begin/store_commit, on a store opened STORE_READ_WRITE. A failed
 * write leaves the transaction open, and the caller calls store_rollback; a failed commit
 * rolls back itself. Nothing is written outside a transaction.
 *
 * Every function returns SP_OK or an sp_status with err filled: SP_IO for storage failures,
 * SP_CONFLICT for a uniqueness violation, SP_BAD_INPUT for a bad argument.
 */
#ifndef SPFLOOR_STORE_STORE_H
#define SPFLOOR_STORE_STORE_H

#include <stdint.h>

#include "base/buf.h"
#include "audit/audit.h"
#include "base/error.h"
#include "model/contribution.h"
#include "model/claim.h"
#include "model/enrolment.h"
#include "model/grievance.h"
#include "model/payment.h"
#include "model/event.h"
#include "model/household.h"
#include "model/outreach.h"
#include "model/shock.h"
#include "model/person.h"
#include "model/person_change.h"

struct store;

/* Called once per person by the iterating functions; a non-zero return stops the walk and is
 * returned by the walker. */
typedef int (*person_visit_fn)(void *ctx, const struct person *p);

/* How store_open opens a database. */
enum store_mode {
    /* Reads only: the database must exist and be a registry of this version. Nothing is
     * created, migrated, rebuilt or written (a read-only file or directory is fine). Indexes
     * that an import session set aside stay aside: lookups stay correct but scan the table. */
    STORE_READ_ONLY,
    /* Reads and writes a registry that exists (a file or a schema holding one: a mistyped
     * location is refused, not made into a new registry); applies pending migrations, and
     * recreates indexes that a killed import set aside. */
    STORE_READ_WRITE,
    /* As STORE_READ_WRITE, and makes the registry if there is none: creates the file (mode
     * 0600: it holds national IDs and phone numbers) or the tables in an empty schema. */
    STORE_CREATE,
};

/*
 * Opens the database at `location` as `mode` says. In both modes a location that is not a
 * regular file (a directory, /dev/null), a file that is not an SQLite database, an SQLite
 * database that is not a registry (other tables, no migrations record), one made by a newer
 * spfloor, and one holding triggers or views (spfloor creates none: they would run code the
 * database's author chose) are refused with SP_IO and a message saying which; nothing is then
 * written. STORE_READ_ONLY also refuses a missing or empty file, and a registry whose format
 * needs migrating. No SQL text read from the database is ever executed. Recreating set-aside
 * indexes takes time in proportion to the registry; a duplicate found then is SP_CONFLICT
 * naming both records. A PostgreSQL location is refused the same way (SP_IO) when the server
 * cannot be reached, the connection's schema holds other tables but no migrations record, the
 * registry is from a newer spfloor, or (STORE_READ_ONLY) it is empty or needs migrating; the
 * URL's password never appears in a message. On success *out is a store the caller frees with
 * store_close.
 */
int store_open(const char *location, enum store_mode mode, struct store **out, struct error *err);

/* Rolls back an open transaction; an import session not ended keeps its indexes set aside (the
 * next store_open recreates them). Accepts NULL. */
void store_close(struct store *s);

/*
 * Starts a write transaction. Outside this store's own import session, indexes that another
 * connection's import set aside are recreated first, inside the transaction (see
 * store_import_begin), so that no other writer ever writes without its duplicate checks.
 * Fails with SP_IO (the database is busy, or broken) or SP_CONFLICT (indexes that cannot be
 * recreated); no transaction is then open.
 */
int store_begin(struct store *s, struct error *err);

/*
 * Commits the open transaction: everything written since store_begin is stored durably. On
 * failure (SP_IO: the disk is full, the database is busy or broken) the transaction is rolled
 * back, so nothing of it is stored and none is open.
 */
int store_commit(struct store *s, struct error *err);

/* Rolls back the open transaction, if any: nothing written since store_begin is stored. */
void store_rollback(struct store *s);

/*
 * After store_begin, store_person_insert or store_commit failed (and the transaction was rolled
 * back): 1 if the failure was another connection writing the same records at the same time (a
 * serialization failure or deadlock on PostgreSQL), so that repeating the whole transaction,
 * from store_begin, may succeed; 0 otherwise (and always on SQLite, which makes writers wait).
 */
int store_retryable(const struct store *s);

/*
 * *out is a number that changes when another connection commits a change to the store: two
 * equal values from this store mean that nobody else wrote in between (this store's own
 * commits do not change it). A store that cannot tell (its driver lacks the capability) always
 * gives 0, and then offers no import sessions either.
 */
int store_data_version(struct store *s, int64_t *out, struct error *err);

/*
 * An import session, for loading many persons at once: keeping random-order indexes up to date
 * row by row rewrites most of their pages at every commit, while building them afterwards sorts
 * once.
 *
 * store_import_begin, outside any transaction, sets the persons' secondary indexes (national
 * ID, dedup key, household members) aside durably: in one committed transaction it records
 * their names in the database and drops them (they are recreated from definitions compiled
 * into spfloor, never from text in the database). `since` is a store_data_version
 * read before the caller checked its rows: if another connection has committed since then, the
 * checks may be stale, and it returns SP_CONFLICT and sets nothing aside (go on without a
 * session: store_person_insert then checks every row). Until store_import_end, this store's
 * transactions (store_begin ... store_commit, as usual) write only table pages, and
 * store_person_insert checks only the worker ID: the caller must have checked national IDs and
 * dedup keys itself (an import's first pass does). Lookups stay correct but scan the table.
 * store_import_end, outside any transaction, recreates the indexes and clears the record in
 * one transaction; a duplicate that slipped in is SP_CONFLICT naming both records, and the
 * indexes then stay set aside. If the process dies (or store_close is called) in between, the
 * next store_open recreates them.
 *
 * No other writer is expected during a session: another connection that opens the store or
 * begins a transaction meanwhile recreates the indexes first (correct, but the import then
 * goes on with live indexes). The recreation takes time in proportion to the whole registry,
 * so a session pays when the rows to write are many compared to those already stored.
 * Both return SP_OK, SP_IO (storage, or called inside a transaction) or SP_CONFLICT. A store
 * whose driver has no import sessions refuses store_import_begin with SP_CONFLICT ("no import
 * sessions"), and store_import_end then does nothing: the caller goes on without a session.
 */
int store_import_begin(struct store *s, int64_t since, struct error *err);
int store_import_end(struct store *s, struct error *err);

/*
 * Inserts p. If p->id is "", assigns the next worker ID (writing it into p->id); otherwise
 * p->id must be a valid worker ID not yet used. Creates p's household if it names one that
 * does not exist yet (with p's country, admin1 and admin2). SP_CONFLICT if the id, the
 * (country, national_id) or the dedup key is already taken (inside this store's import session
 * only the id is checked: see store_import_begin).
 */
int store_person_insert(struct store *s, struct person *p, struct error *err);

/*
 * Inserts the n persons at ps as store_person_insert would, one after another, but as one group:
 * a driver that can (PostgreSQL) writes the group in a few round trips instead of one per
 * person. Returns SP_OK with every person stored (and each p->id set); or the status and
 * message store_person_insert gives for the first person refused, whose index is *failed. After
 * a failure the transaction may hold the persons before *failed and new households: roll it
 * back, or go on knowing that.
 */
int store_person_insert_many(struct store *s, struct person *const *ps, int n, int *failed,
                             struct error *err);

/* 1 if store_person_insert_many writes a group in few round trips (PostgreSQL), so that a
 * caller gains by gathering large groups; 0 if it inserts one by one (SQLite). */
int store_inserts_in_groups(const struct store *s);

/* Who made a correction, when and why (store_person_update). */
struct store_edit {
    const char *actor;      /* a user name; not empty */
    const char *reason;     /* not empty */
    const char *changed_at; /* UTC, YYYY-MM-DDTHH:MM:SSZ */
};

/*
 * Replaces the facts of the registered person with worker ID `id` by p's (p->id is set to id),
 * inside the open transaction, and records each field that changed, old and new values, as
 * the person's next correction (store_person_changes), with edit's who, when and why. p is
 * validated as for store_person_insert; a new household is created. *changed is the number of
 * fields changed: 0 when p holds the same facts (nothing is written). Returns SP_OK;
 * SP_BAD_INPUT when nobody has that ID, p is not valid or edit lacks who or why; SP_CONFLICT
 * naming the person whose national ID or name, birth date and district p now shares; SP_IO.
 * On a failure nothing of the correction is stored.
 */
int store_person_update(struct store *s, const char *id, struct person *p,
                        const struct store_edit *edit, int *changed, struct error *err);

/*
 * Records, inside the open transaction, a fact about the record with worker ID id that is not
 * one of its fields (e.g. "not_duplicate_of": a reviewed pair) as its next correction: field,
 * value, who, when and why. SP_BAD_INPUT when nobody has the ID; SP_IO.
 */
int store_person_note(struct store *s, const char *id, const char *field, const char *value,
                      const struct store_edit *edit, struct error *err);

/* Visits the corrections of the person with worker ID id, oldest first (by version, then
 * field name); nothing when nobody has that ID. */
int store_person_changes(struct store *s, const char *id, person_change_visit_fn visit, void *ctx,
                         struct error *err);

/*
 * Marks the record with worker ID id, inside the open transaction: PERSON_MARK_DECEASED with
 * the day of death (not before the birth date, not after `today`), or PERSON_MARK_MERGED into
 * the record m->into (the same person registered twice: another record, not itself merged or
 * marked deceased). Nothing is deleted: the record stays, with its mark, and the mark is kept
 * as a correction too (field "status", with edit's who, when and why). Returns SP_OK;
 * SP_BAD_INPUT (nobody has an ID, a date or survivor is refused, who or why is missing);
 * SP_CONFLICT (the record is marked already, saying how); SP_IO.
 */
int store_person_mark(struct store *s, const char *id, const struct person_mark *m, int32_t today,
                      const struct store_edit *edit, struct error *err);

/* The mark of the record with worker ID id; out->kind PERSON_MARK_NONE when it has none (or
 * nobody has the ID). */
int store_person_mark_get(struct store *s, const char *id, struct person_mark *out,
                          struct error *err);

/* Looks a person up by id. *found is 1 and *out filled when it exists, else *found is 0. */
int store_person_get(struct store *s, const char *id, struct person *out, int *found,
                     struct error *err);

/* Visits the registered persons among the n worker IDs ids (in any order, printed or not;
 * text that is no worker ID, or an ID nobody has, is left out), each once, by worker ID, in
 * one query for the whole list. A non-zero visit return stops the walk and is returned. SP_IO
 * when out of memory or on storage. */
int store_persons_of_many(struct store *s, const char *const *ids, int n, person_visit_fn visit,
                          void *ctx, struct error *err);

/* Looks a person up by (country, national_id). */
int store_person_by_national_id(struct store *s, const char *country, const char *national_id,
                                struct person *out, int *found, struct error *err);

/* Looks a person up by person_dedup_key. */
int store_person_by_dedup_key(struct store *s, const char *key, struct person *out, int *found,
                              struct error *err);

/*
 * Calls visit for up to `limit` persons (at most 10000) found by `text`, optionally only in
 * `country` (NULL for all), best matches first, after skipping the first `offset` (paging):
 * a worker ID in full or as the card prints it ("0000 0000 0019") first; then the persons whose
 * name, in any script, matches every word of text by its Latin form or its skeleton
 * ("Sita Sharma" finds "सीता शर्मा", "Budah" finds "Buddha"), or whose phone or national ID
 * holds text's letters and digits (separators aside). Ranked: names holding the whole
 * text as typed first, then the others, each by worker ID. Empty text lists everyone by worker
 * ID. Reads the text index (migration 0007, kept by every insert and correction); a driver
 * without one scans for the text instead.
 */
int store_person_find(struct store *s, const char *text, const char *country, int limit, int offset,
                      person_visit_fn visit, void *ctx, struct error *err);

/* store_person_find from the first row (offset 0). */
int store_person_search(struct store *s, const char *text, const char *country, int limit,
                        person_visit_fn visit, void *ctx, struct error *err);

/* ---- life events (docs/events.md) ---- */

/* Visits one recorded event; a non-zero return stops the walk and is returned. */
typedef int (*registry_event_visit_fn)(void *ctx, const struct registry_event *ev);

/* Visits the mark of the record with worker ID id; a non-zero return stops the walk. */
typedef int (*person_mark_visit_fn)(void *ctx, const char *id, const struct person_mark *m);

/*
 * Records ev for the person with worker ID ev->e.person, inside the open transaction, as that
 * person's next event (ev->seq is set). Only stores: what the event changes on the records
 * (ops/events.h) is the caller's. ev->e.child (a birth) or ev->spouse, when not "", must be
 * another registered person. Returns SP_OK; SP_BAD_INPUT (nobody has an ID, the date is not
 * set, who or why is missing); SP_IO (outside a transaction, a store without events, storage).
 */
int store_event_add(struct store *s, struct registry_event *ev, struct error *err);

/* Visits the events of the person with worker ID id, by date, then the order recorded;
 * nothing when nobody has that ID or the store keeps no events. */
int store_events_of(struct store *s, const char *id, registry_event_visit_fn visit, void *ctx,
                    struct error *err);

/*
 * Who in the registry has life events, who has a mark, and who has contributions in the
 * ledger, as they were when it was taken:
 * their worker serials, 8 bytes each (so its memory grows with the events recorded, not with
 * the registry). A batch takes one at its start, so that it asks the store only about the
 * persons that have something to read.
 */
struct store_census;

/* Takes the census; *out is freed with store_census_free. SP_IO on storage or memory (a store
 * that keeps no events gives an empty census). */
int store_census_take(struct store *s, struct store_census **out, struct error *err);
void store_census_free(struct store_census *c); /* accepts NULL */

/*
 * Visits the events of the n persons with the worker IDs ids (in any order; text that is no
 * worker ID is nobody), person by person in worker ID order, each by date: one query for the
 * whole group, over the range of their serials when they are close together (a block of
 * households registered together), else over their list. With a census (may be NULL), only
 * the persons it says have events are asked about. SP_IO when out of memory or on storage.
 */
int store_events_of_many(struct store *s, const struct store_census *census, const char *const *ids,
                         int n, registry_event_visit_fn visit, void *ctx, struct error *err);

/* Visits the marks of those of the n records with worker IDs ids that have one, as
 * store_events_of_many walks. */
int store_marks_of_many(struct store *s, const struct store_census *census, const char *const *ids,
                        int n, person_mark_visit_fn visit, void *ctx, struct error *err);

/* Calls visit for every person, in id order. */
int store_person_each(struct store *s, person_visit_fn visit, void *ctx, struct error *err);

/*
 * Calls visit for every person of `country` (NULL or "": every country) so that the members
 * of each household come one after another (households in id order, members by worker ID),
 * then the persons without a household, by worker ID: the order in which a batch can decide
 * for whole households at a time. The visitor's non-zero return stops the walk and is
 * returned.
 */
int store_person_each_by_household(struct store *s, const char *country, person_visit_fn visit,
                                   void *ctx, struct error *err);

/*
 * Like store_person_each_by_household, reading of each person only the fields in `fields`
 * (model/person.h), with the id, the country and the household always: the others are left
 * unset, as if not given. A batch that decides reads only what its schemes use (scheme_facts),
 * which spares the database reading, and the walk copying, the rest of each record.
 * PERSON_FIELDS_EVERY reads every field.
 */
int store_person_each_by_household_reading(struct store *s, const char *country,
                                           person_field_set fields, person_visit_fn visit,
                                           void *ctx, struct error *err);

/* Calls visit for each member of a household, in id order. */
int store_household_members(struct store *s, const char *household, person_visit_fn visit,
                            void *ctx, struct error *err);

int store_person_count(struct store *s, int64_t *out, struct error *err);

/* Looks a household up by id. */
int store_household_get(struct store *s, const char *id, struct household *out, int *found,
                        struct error *err);

/*
 * The registry's default overlay (docs/overlays.md): an overlay file kept whole in the
 * registry, which `entitlements` lays over the scheme library. The store keeps the text and
 * its id only; what it says is checked by the rules layer, before it is set and each time it
 * is used.
 */
#define STORE_OVERLAY_MAX (1u << 20) /* bytes of the default overlay's text */

/*
 * Appends the default overlay's text to out and sets *found to 1; *found is 0 when none is
 * set. SP_IO on a storage failure, or when out cannot hold it.
 */
int store_overlay_get(struct store *s, struct buf *out, int *found, struct error *err);

/*
 * Inside a transaction: makes (id, text) the default overlay, replacing any, or removes it
 * when text is NULL. SP_BAD_INPUT when text is longer than STORE_OVERLAY_MAX or id is empty;
 * SP_IO outside a transaction or on a storage failure.
 */
int store_overlay_set(struct store *s, const char *id, const char *text, struct error *err);

/* ---- enrolments (docs/enrolment.md) ---- */

/* Receives one enrolment (valid during the call); non-zero stops the walk and is returned. */
typedef int (*enrolment_visit_fn)(void *ctx, const struct enrolment_record *r);

/*
 * Adds the enrolment r of the registered person r->e.person (a worker ID, printed or not),
 * inside the open transaction, and keeps it as a correction of the person (field
 * "enrolment <scheme>", with r's actor, reason and recorded_at). *added is 0, and nothing is
 * changed, when the person has an enrolment in the scheme that is not ended. SP_BAD_INPUT when
 * no such person is registered; SP_IO on a storage failure or a store without enrolments.
 */
int store_enrolment_add(struct store *s, const struct enrolment_record *r, int *added,
                        struct error *err);

/*
 * Visits the enrolments of the person `id`, or of everyone when id is NULL, by worker ID,
 * scheme and first day, each with e.person set. SP_IO on a storage failure; visit's non-zero
 * return stops it. A store without enrolments has none.
 */
int store_enrolments_each(struct store *s, const char *id, enrolment_visit_fn visit, void *ctx,
                          struct error *err);

/*
 * Gives the enrolment of r->e.person in r->e.scheme that is not ended r's state (from
 * r->state_since; ENROLMENT_ENDED also ends it on r->e.to), inside the open transaction, and
 * keeps the change as a correction. SP_BAD_INPUT when the person has no such enrolment.
 */
int store_enrolment_set_state(struct store *s, const struct enrolment_record *r, struct error *err);

/* ---- the contributions ledger (docs/contributions.md) ---- */

/* Receives one ledger entry (valid during the call), c.person set; non-zero stops the walk and
 * is returned. */
typedef int (*contribution_visit_fn)(void *ctx, const struct contribution_entry *e);

/*
 * Appends n entries to the ledger inside the open transaction, each under the next ledger
 * number (entries[i].id is set), and one audit entry for them ("contribution.book": the
 * person's ID for one entry, "N entries, #first to #last" for more, with a digest of their
 * rows). Nothing is ever changed in place: a correction is a reversing entry
 * (ledger/ledger.h) booked the same way. Every entries[i].c.person must be a registered
 * person (a worker ID, printed or not): SP_BAD_INPUT naming the first that is not. SP_IO
 * outside a transaction, on a storage failure or for a store without a ledger; SP_CONFLICT
 * when another writer booked the same numbers (retry the transaction).
 */
int store_contributions_book(struct store *s, struct contribution_entry *entries, int n,
                             struct error *err);

/* Visits the entries of the person `id` by ledger number; none for an unknown id or a store
 * without a ledger. SP_IO on a storage failure. */
int store_contributions_of(struct store *s, const char *id, contribution_visit_fn visit, void *ctx,
                           struct error *err);

/* Visits the entries of the n persons with the worker IDs ids, person by person in worker ID
 * order, each by ledger number, in one query as store_events_of_many reads events (with a
 * census, only the persons it says have entries are asked about). */
int store_contributions_of_many(struct store *s, const struct store_census *census,
                                const char *const *ids, int n, contribution_visit_fn visit,
                                void *ctx, struct error *err);
/* ---- payroll (docs/payroll.md) ---- */

/* Receive one batch or payment (valid during the call); non-zero stops the walk. */
typedef int (*payment_batch_visit_fn)(void *ctx, const struct payment_batch *b);
typedef int (*payment_visit_fn)(void *ctx, const struct payment *p);

/*
 * Adds the payroll batch b inside the open transaction, with an audit entry
 * (payment_batch.add). SP_CONFLICT when its id is taken (another run made it first);
 * SP_BAD_INPUT for an empty id, scheme or period; SP_IO on a storage failure or a store
 * without payments.
 */
int store_payment_batch_add(struct store *s, const struct payment_batch *b, struct error *err);

/* Visits every batch by id. A store without payments has none. */
int store_payment_batches_each(struct store *s, payment_batch_visit_fn visit, void *ctx,
                               struct error *err);

/*
 * Records that batch `id` was exported at `at` (UTC; the first export's time is kept) and
 * moves its created payments to exported on `day` (*moved of them), inside the open
 * transaction, with one audit entry (payment_batch.export, with the digest of the time, the
 * day and the count). SP_BAD_INPUT when there is no such batch.
 */
int store_payment_batch_exported(struct store *s, const char *id, const char *at, int32_t day,
                                 int64_t *moved, struct error *err);

/*
 * Adds the payment p of the registered person p->person (a worker ID, printed or not), inside
 * the open transaction, with an audit entry (payment.add, on the person). *added is 0, and
 * nothing is changed, when the person has an original instruction for the scheme and period
 * already (p has no reissue_of), when p->reissue_of was re-issued already, or when p->id is
 * taken. SP_BAD_INPUT for no such person, an amount not above 0 or an empty id, batch, scheme,
 * period or account; SP_IO on a storage failure or a store without payments.
 */
int store_payment_add(struct store *s, const struct payment *p, int *added, struct error *err);

/*
 * store_payment_add for n payments at once (a payroll's transaction): added[i] as *added says
 * for p[i], and one audit entry for those added (payment.add: the person's ID for one, "N
 * payments, FIRST to LAST" for more, with the digest of their rows). Stops at the first
 * failure, as store_payment_add fails.
 */
int store_payments_add(struct store *s, const struct payment *p, int n, int *added,
                       struct error *err);

/*
 * Visits the payments of batch `batch` (NULL: every batch) of the person `person` (NULL:
 * everyone), by batch and id, each with its worker ID. A store without payments has none.
 */
int store_payments_each(struct store *s, const char *batch, const char *person,
                        payment_visit_fn visit, void *ctx, struct error *err);

/*
 * Gives the payment p->id of p->person the state p->state, on p->on[p->state], with
 * p->status_reason, inside the open transaction, with an audit entry (payment.state). The
 * caller has checked the move is allowed (pay/payment.h). SP_BAD_INPUT when there is no such
 * payment.
 */
int store_payment_set_state(struct store *s, const struct payment *p, struct error *err);

/* ---- the audit log (docs/audit.md) ---- */

/* Receives one entry (valid during the call); non-zero stops the walk and is returned. */
typedef int (*audit_visit_fn)(void *ctx, const struct audit_entry *e);

/*
 * Sets the key the store's writes chain the audit log with (copied; key->given 0: none, the
 * chain is unkeyed) and who they are written by (copied; NULL: "unknown"). Every write of the
 * store appends an entry to the audit log in its transaction: one per person added (the
 * persons of one transaction, an import's batch, share one entry), correction, mark,
 * enrolment, change of enrolment, default overlay set or cleared, payroll batch made or
 * exported, and payment made or changed.
 */
void store_audit_configure(struct store *s, const struct audit_key *key, const char *actor);

/* Visits the audit log by seq: every entry, or those of `object` (a worker ID: the printed
 * form too). SP_IO on a storage failure; a store without an audit log has none. */
int store_audit_each(struct store *s, const char *object, audit_visit_fn visit, void *ctx,
                     struct error *err);

/* ---- claims (docs/claims.md) ---- */

/* Receive one claim, step or document (valid during the call); non-zero stops the walk and is
 * returned. */
typedef int (*claim_visit_fn)(void *ctx, const struct claim *c);
typedef int (*claim_step_visit_fn)(void *ctx, const struct claim_step *st);
typedef int (*claim_evidence_visit_fn)(void *ctx, const struct claim_evidence *e);

/*
 * Files the claim c of the registered person c->person (a worker ID, printed or not: set to
 * its digits), inside the open transaction: gives it the next claim id (c->id), stores it and
 * its first step `first` (first->claim and seq set), and appends "claim.file" to the audit log
 * for the person. Only stores: the state machine is the caller's (claims/claim_flow.h).
 * SP_BAD_INPUT when nobody has the ID, or c lacks its scheme, event, date, state, who or when;
 * SP_IO outside a transaction, for a store without claims, or on storage.
 */
int store_claim_add(struct store *s, struct claim *c, struct claim_step *first, struct error *err);

/*
 * Replaces the stored claim c->id by c (its state, decision, amount, paid ...) and appends st
 * as its next step (st->claim and st->seq set), inside the open transaction, with an audit
 * entry "claim.<new state>" for the person. SP_BAD_INPUT when there is no such claim or st
 * lacks who, when or its state; SP_IO.
 */
int store_claim_change(struct store *s, const struct claim *c, struct claim_step *st,
                       struct error *err);

/* The claim `id`: *found 1 and *out filled (out->person its claimant's worker ID), else 0. */
int store_claim_get(struct store *s, int64_t id, struct claim *out, int *found, struct error *err);

/* Visits the claims of the person `id` (a worker ID), or every claim when id is NULL, by claim
 * id; nothing for text that is no worker ID. A store without claims has none. */
int store_claims_each(struct store *s, const char *id, claim_visit_fn visit, void *ctx,
                      struct error *err);

/* Visits the steps of the claim `id` by seq; nothing when there is no such claim. */
int store_claim_steps_each(struct store *s, int64_t id, claim_step_visit_fn visit, void *ctx,
                           struct error *err);

/*
 * Attaches the document e (its SHA-256 and file name) to the claim e->claim, inside the open
 * transaction, with an audit entry "claim.evidence". *added is 0, and nothing is written, when
 * a document with that hash is attached already. SP_BAD_INPUT when there is no such claim or
 * e lacks its hash, name, who or when; SP_IO.
 */
int store_claim_evidence_add(struct store *s, const struct claim_evidence *e, int *added,
                             struct error *err);

/* Visits the documents of the claim `id`, in the order attached. */
int store_claim_evidence_each(struct store *s, int64_t id, claim_evidence_visit_fn visit, void *ctx,
                              struct error *err);

/* ---- grievances (docs/grievances.md) ---- */

typedef int (*grievance_visit_fn)(void *ctx, const struct grievance *g);
typedef int (*grievance_step_visit_fn)(void *ctx, const struct grievance_step *st);

/*
 * Records the grievance g of the registered person g->person (set to the ID's digits), inside
 * the open transaction: gives it the next grievance id, stores it and its first step `first`
 * (first->grievance and seq set), with an audit entry "grievance.open" for the person. Only
 * stores: levels and deadlines are the caller's (claims/grievance_flow.h). SP_BAD_INPUT when
 * nobody has the ID or g lacks its type, text, level, dates, who or when; SP_IO.
 */
int store_grievance_add(struct store *s, struct grievance *g, struct grievance_step *first,
                        struct error *err);

/*
 * Replaces the stored grievance g->id by g and appends st as its next step, inside the open
 * transaction, with an audit entry "grievance.<st->action>". SP_BAD_INPUT when there is no
 * such grievance; SP_IO.
 */
int store_grievance_change(struct store *s, const struct grievance *g, struct grievance_step *st,
                           struct error *err);

/* The grievance `id`: *found 1 and *out filled, else 0. */
int store_grievance_get(struct store *s, int64_t id, struct grievance *out, int *found,
                        struct error *err);

/* Visits the grievances of the person `id` (NULL: everyone's), by id; with open_only, only the
 * open ones, by deadline then id. */
int store_grievances_each(struct store *s, const char *id, int open_only, grievance_visit_fn visit,
                          void *ctx, struct error *err);

/* Visits the steps of the grievance `id` by seq. */
int store_grievance_steps_each(struct store *s, int64_t id, grievance_step_visit_fn visit,
                               void *ctx, struct error *err);
/* ---- users, sessions and kept replies (docs/web.md) ---- */

#define STORE_USER_NAME_SIZE 65         /* a user's name */
#define STORE_ROLE_SIZE      17         /* "registrar" ... */
#define STORE_PASSWORD_SIZE  129        /* crypto_pwhash_str's text (crypto_pwhash_STRBYTES) */
#define STORE_TOKEN_KIND     9          /* "session", "bearer" */
#define STORE_IDEM_KEY_SIZE  129        /* an Idempotency-Key */
#define STORE_REPLY_MAX      (1u << 20) /* bytes of a kept reply's body */

/* A user of the web window. The front checks only that the name and role are not empty;
 * what the role and area mean is ops/users.h's. */
struct store_user {
    char name[STORE_USER_NAME_SIZE];
    char role[STORE_ROLE_SIZE];
    char admin1[PERSON_PLACE_SIZE];     /* a partner's area; "" for others */
    char admin2[PERSON_PLACE_SIZE];     /* "" for the whole of admin1 */
    char person[PERSON_ID_SIZE];        /* a worker's own record, or "" */
    char password[STORE_PASSWORD_SIZE]; /* the argon2id hash, or "" (no password login) */
    char created_at[AUDIT_WHEN_SIZE];   /* UTC */
};

/* A session or an API token, known by the digest of its secret (the secret is never kept). */
struct store_token {
    char hash[AUDIT_HEX_SIZE];
    char user[STORE_USER_NAME_SIZE];
    char kind[STORE_TOKEN_KIND];
    char csrf[AUDIT_HEX_SIZE]; /* a session's form token; "" for a bearer token */
    int64_t created_at;        /* seconds since 1970 */
    int64_t seen_at;           /* its last use */
};

/* A reply kept for an Idempotency-Key: replayed when the same user sends the key again. */
struct store_reply {
    char user[STORE_USER_NAME_SIZE];
    char key[STORE_IDEM_KEY_SIZE];
    char request[AUDIT_HEX_SIZE]; /* the digest of the request it answered */
    int status;                   /* the HTTP status */
    int64_t created_at;
};

/*
 * Inside the open transaction: adds the user u, or replaces the user of that name (its
 * sessions and tokens stay). Appends "user.add" or "user.update" to the audit log (the
 * password hash is not in the digest). *created is 1 when the user is new. SP_BAD_INPUT when
 * the name or role is empty; SP_IO (outside a transaction, a store without users, storage).
 */
int store_user_put(struct store *s, const struct store_user *u, int *created, struct error *err);

/* The user `name`: *found 0 when there is none. */
int store_user_get(struct store *s, const char *name, struct store_user *out, int *found,
                   struct error *err);

/*
 * Inside the open transaction: keeps token t of a registered user, appending "session.open"
 * or "token.issue" (object: the user's name) to the audit log. SP_BAD_INPUT when the user is
 * not registered; SP_CONFLICT when the hash is taken; SP_IO.
 */
int store_token_put(struct store *s, const struct store_token *t, struct error *err);

/* The token whose digest is hash: *found 0 when there is none. */
int store_token_get(struct store *s, const char *hash, struct store_token *out, int *found,
                    struct error *err);

/* Inside the open transaction: records the token's last use (bookkeeping: not audited). */
int store_token_touch(struct store *s, const char *hash, int64_t seen_at, struct error *err);

/* Inside the open transaction: ends the token (a logout, or a timeout), appending
 * "session.close" to the audit log when there was one. */
int store_token_delete(struct store *s, const char *hash, struct error *err);

/* Inside the open transaction: ends every session and token of the user `name` (*n: how
 * many), appending "token.revoke" to the audit log. SP_IO. */
int store_tokens_revoke(struct store *s, const char *name, int64_t *n, struct error *err);

/* The reply kept for (user, key): *found 0 when none; its body is appended to body. */
int store_reply_get(struct store *s, const char *user, const char *key, struct store_reply *out,
                    struct buf *body, int *found, struct error *err);

/* Inside the open transaction: keeps r with its body (at most STORE_REPLY_MAX bytes), unless
 * a reply is kept for (r->user, r->key) already (then nothing changes). Not audited: the
 * write it answered was. */
int store_reply_put(struct store *s, const struct store_reply *r, const char *body,
                    struct error *err);

/*
 * Inside the open transaction: appends an entry to the audit log that records no write but
 * something refused (a failed authorisation: action "access.refused"), with the digest of
 * `text`. SP_IO.
 */
int store_audit_note(struct store *s, const char *action, const char *object, const char *text,
                     struct error *err);

/* ---- the outreach and advocacy logs (docs/reports.md) ---- */

/* Receive one activity, participant or proposal (valid during the call); non-zero stops the
 * walk and is returned. */
typedef int (*outreach_visit_fn)(void *ctx, const struct outreach_activity *a);
typedef int (*participant_visit_fn)(void *ctx, const struct outreach_participant *p);
typedef int (*advocacy_visit_fn)(void *ctx, const struct advocacy *a);

/*
 * Logs activity a with its n participants inside the open transaction: names a->org with
 * a->network (kept as it was when a->network is ""), gives a its number (a->id) and appends
 * an audit entry. SP_BAD_INPUT when a field is missing or a participant is not a registered
 * person (named); SP_IO when the store has no outreach log.
 */
int store_outreach_add(struct store *s, struct outreach_activity *a,
                       const struct outreach_participant *parts, int n, struct error *err);

/* Visits every activity by number (with its organisation's network), then every participant
 * by activity and place (a registry person's worker ID in p->person). A store without the
 * log has none. */
int store_outreach_each(struct store *s, outreach_visit_fn visit, participant_visit_fn visit_part,
                        void *ctx, struct error *err);

/* Logs proposal a inside the open transaction, giving it its number, with an audit entry.
 * SP_BAD_INPUT when a field is missing. */
int store_advocacy_add(struct store *s, struct advocacy *a, struct error *err);

/* Visits every proposal by number. */
int store_advocacy_each(struct store *s, advocacy_visit_fn visit, void *ctx, struct error *err);

/* ---- declared shocks (docs/payroll.md "Shock response") ---- */

/* Receives one shock (valid during the call); non-zero stops the walk and is returned. */
typedef int (*shock_visit_fn)(void *ctx, const struct shock *sh);

/*
 * Declares shock sh inside the open transaction: gives it the next shock id (sh->id), stores
 * it and appends "shock.declare" to the audit log. Only stores: what it does to the payroll
 * and enrolments is the caller's (ops/shocks.h). SP_BAD_INPUT when a field is missing;
 * SP_CONFLICT when a shock has that name already; SP_IO outside a transaction, for a store
 * without shocks, or on storage.
 */
int store_shock_add(struct store *s, struct shock *sh, struct error *err);

/* Visits every shock by id. A store without shocks has none. */
int store_shocks_each(struct store *s, shock_visit_fn visit, void *ctx, struct error *err);

/* ---- legal-aid and assisted-claim cases (docs/reports.md) ---- */

/* Receives one case (valid during the call); non-zero stops the walk and is returned. */
typedef int (*case_visit_fn)(void *ctx, const struct outreach_case *c);

/*
 * Opens case c inside the open transaction, giving it its number (c->id), with an audit entry
 * (case.add). SP_BAD_INPUT when a field is missing or wrong (the organisation, kind, country,
 * area, opening day; an outcome's day before the opening, a pending case with one; an amount
 * recovered without a currency or by a case not won) or c->person is not a registered person;
 * SP_IO when the store has no cases.
 */
int store_case_add(struct store *s, struct outreach_case *c, struct error *err);

/*
 * Writes case c->id's outcome, decided, recovered, currency and note (checked as
 * store_case_add checks them, against c's other fields), inside the open transaction, with
 * an audit entry (case.update). SP_BAD_INPUT when there is no such case.
 */
int store_case_update(struct store *s, const struct outreach_case *c, struct error *err);

/* Visits every case by number (a registered claimant's worker ID in c->person). A store
 * without cases has none. */
int store_cases_each(struct store *s, case_visit_fn visit, void *ctx, struct error *err);

#endif
