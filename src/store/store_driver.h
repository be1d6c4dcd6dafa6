/*
 * store_driver.h: the driver interface behind store.h (internal to src/store/).
 *
 * store.c is the front: it validates persons, chooses worker IDs, keeps the worker serial
 * counter for the transaction, creates households with their first member, and words every
 * conflict, once for every driver. A driver only stores: it maps the domain structs to its
 * tables, runs its statements in its transactions, and reports a uniqueness violation as
 * SP_CONFLICT without working out which record it clashes with.
 *
 * The table begins with its version and only ever grows at the end, as SQLite's sqlite3_vfs
 * does: a driver built against an older table leaves the newer members out, and store.c reads
 * a member only when the version has it. The members under "capabilities" may be NULL: a
 * driver without them is still complete, and store.c says so or does without.
 *
 * Every function returns SP_OK or an sp_status with err filled; lookups set *found.
 */
#ifndef SPFLOOR_STORE_STORE_DRIVER_H
#define SPFLOOR_STORE_STORE_DRIVER_H

#include <stdint.h>

#include "model/claim.h"
#include "model/contribution.h"
#include "model/enrolment.h"
#include "model/event.h"
#include "model/grievance.h"
#include "model/payment.h"
#include "model/outreach.h"
#include "model/person_change.h"
#include "base/buf.h"
#include "store/store.h"

#define STORE_DRIVER_VERSION 18

/*
 * A search of the text index (store_person_find), made by the front (search_text.h): a person
 * matches when their search text holds, for every term, one of its alternatives (a word's
 * Latin form or its skeleton), as a substring. Terms are lowercase ASCII letters and digits.
 */
#define STORE_SEARCH_TERMS 8  /* words of a search */
#define STORE_SEARCH_WORD  64 /* bytes of one alternative, with its NUL */
#define STORE_SEARCH_EXACT 192

struct store_search {
    char terms[STORE_SEARCH_TERMS][2][STORE_SEARCH_WORD]; /* [term][0] the word, [1] its
                                                             skeleton or "" */
    int n_terms;
    char exact[STORE_SEARCH_EXACT]; /* the whole search in Latin form: texts holding it rank
                                       first */
    const char *country;            /* NULL: every country */
    int limit, offset;              /* at most limit persons after skipping offset */
};

/* A person the front has validated and given its worker ID (p->id), serial and dedup key. */
struct store_new_person {
    const struct person *p;
    int64_t serial;
    const char *dedup_key;
    const struct household *household; /* p's household, to create first unless it exists;
                                          NULL: nothing to create */
};

/* Receives one ledger entry with the serial of its person (e->c.person ""); non-zero stops. */
typedef int (*store_contribution_row_fn)(void *ctx, int64_t serial,
                                         const struct contribution_entry *e);
/* Receive one stored claim or grievance with the serial of its person (c->person, g->person
 * ""); non-zero stops the walk. */
typedef int (*store_claim_row_fn)(void *ctx, int64_t serial, struct claim *c);
typedef int (*store_grievance_row_fn)(void *ctx, int64_t serial, struct grievance *g);

/* Receives one stored enrolment with the serial of its person; non-zero stops the walk. */
typedef int (*store_enrolment_row_fn)(void *ctx, int64_t serial, struct enrolment_record *r);
/* An outreach participant as stored: serial 0 for an anonymous count (p->person ""). */
typedef int (*store_participant_row_fn)(void *ctx, int64_t serial, struct outreach_participant *p);

/* An outreach case as stored: serial 0 for an anonymous claimant (c->person ""). */
typedef int (*store_case_row_fn)(void *ctx, int64_t serial, struct outreach_case *c);

/* Receives one stored payment with the serial of its person; non-zero stops the walk. */
typedef int (*store_payment_row_fn)(void *ctx, int64_t serial, struct payment *p);

struct store_driver {
    int version;      /* the STORE_DRIVER_VERSION the driver was written for (1: without
                         retryable; 2: without person_insert_many; 3: without
                         corrections, marks and overlays; 4: without life events; 5: without
                         the text index; 6: without enrolments; 7: without the audit log; 8:
                         without the contributions ledger; 9: without claims and
                         grievances; 10: without payments; 11: without users, tokens and
                         kept replies; 12: without the outreach and advocacy logs; 13:
                         without shocks; 14: without outreach cases) */
    const char *name; /* "sqlite", "postgres" */

    /* Opens location as mode says (store_open); *out is the driver's handle, freed by close. */
    int (*open)(const char *location, enum store_mode mode, void **out, struct error *err);
    void (*close)(void *db); /* rolls back an open transaction; accepts NULL */

    /* A write transaction: begin fails with none open; commit fails leaving it open (the
     * front rolls back); rollback does nothing outside one. */
    int (*begin)(void *db, struct error *err);
    int (*commit)(void *db, struct error *err);
    void (*rollback)(void *db);

    /* The last worker serial handed out, read and written inside a transaction. */
    int (*serial_get)(void *db, int64_t *out, struct error *err);
    int (*serial_set)(void *db, int64_t serial, struct error *err);

    /* Inserts p (already validated, p->id set) with its serial and dedup key, inside the
     * transaction the front has checked is open. SP_CONFLICT for
     * a taken serial, (country, national_id) or dedup key; the front finds out which. */
    int (*person_insert)(void *db, const struct person *p, int64_t serial, const char *dedup_key,
                         struct error *err);
    /* Inserts household h unless one with its id exists; *created is 1 if this call made it. */
    int (*household_insert)(void *db, const struct household *h, int *created, struct error *err);
    int (*household_delete)(void *db, const char *id, struct error *err);

    int (*person_by_serial)(void *db, int64_t serial, struct person *out, int *found,
                            struct error *err);
    int (*person_by_national_id)(void *db, const char *country, const char *national_id,
                                 struct person *out, int *found, struct error *err);
    /* A person whose dedup key may be `key` (the front compares the keys). */
    int (*person_by_dedup_key)(void *db, const char *key, struct person *out, int *found,
                               struct error *err);
    /* Persons whose name (either order), national ID, worker ID or phone contains `text`
     * (trimmed, not empty), in `country` if not NULL; exact ID, national ID or phone matches
     * first, then by worker ID; at most limit. */
    int (*person_search)(void *db, const char *text, const char *country, int limit,
                         person_visit_fn visit, void *ctx, struct error *err);
    /* Every person in `country` (NULL: all), by worker ID, at most limit. */
    int (*person_list)(void *db, const char *country, int limit, person_visit_fn visit, void *ctx,
                       struct error *err);
    int (*person_each)(void *db, person_visit_fn visit, void *ctx, struct error *err);
    /* store_person_each_by_household (country NULL: every country). */
    int (*person_each_by_household)(void *db, const char *country, person_visit_fn visit, void *ctx,
                                    struct error *err);
    int (*household_members)(void *db, const char *household, person_visit_fn visit, void *ctx,
                             struct error *err);
    int (*person_count)(void *db, int64_t *out, struct error *err);
    int (*household_get)(void *db, const char *id, struct household *out, int *found,
                         struct error *err);

    /* ---- capabilities: may be NULL ---- */

    /* store_data_version. NULL: the store cannot tell, and import sessions are not offered. */
    int (*data_version)(void *db, int64_t *out, struct error *err);
    /* store_import_begin and store_import_end. NULL: no import sessions. */
    int (*import_begin)(void *db, int64_t since, struct error *err);
    int (*import_end)(void *db, struct error *err);

    /* ---- version 2 ---- */

    /* store_retryable: 1 if the last failure was a serialization failure or a deadlock, so
     * that repeating the whole transaction may succeed. NULL: never. */
    int (*retryable)(void *db);

    /* ---- version 3 ---- */

    /* Inserts n persons as person_insert does each, all or none, in few round trips (the
     * PostgreSQL driver's COPY), with the households named in rows[i].household (those that
     * exist already are left as they are). SP_CONFLICT when any key of the group is taken (by a
     * stored person or by another of the group): nothing of the group is stored and the transaction
     * stays usable, so the front can insert them one by one to find and word the clash.
     * NULL: the front inserts one by one. */
    int (*person_insert_many)(void *db, const struct store_new_person *rows, int n,
                              struct error *err);

    /* ---- version 4: corrections (store_person_update) ---- */

    /* Replaces the stored facts of the person with this serial by p's (validated by the
     * front), with its new dedup key, inside the transaction. SP_CONFLICT when p's national
     * ID or dedup key is another person's: nothing changed, the transaction stays usable. */
    int (*person_update)(void *db, const struct person *p, int64_t serial, const char *dedup_key,
                         struct error *err);
    /* Records one changed field of the person with this serial, inside the transaction. */
    int (*person_change_add)(void *db, int64_t serial, const struct person_change *c,
                             struct error *err);
    /* The person's last correction's version (0: none yet). */
    int (*person_change_last)(void *db, int64_t serial, int *version, struct error *err);
    /* The person's changes, by version, then field name. */
    int (*person_changes_each)(void *db, int64_t serial, person_change_visit_fn visit, void *ctx,
                               struct error *err);
    /* Marks the record with this serial as kind says, with the day of death (DATE_NONE if
     * none) or the surviving record's serial (0 if none). SP_CONFLICT if it is marked already:
     * nothing changed, the transaction stays usable. */
    int (*person_mark_set)(void *db, int64_t serial, enum person_mark_kind kind, int32_t date,
                           int64_t into, struct error *err);
    /* The record's mark: *found 0 when it has none. */
    int (*person_mark_get)(void *db, int64_t serial, enum person_mark_kind *kind, int32_t *date,
                           int64_t *into, int *found, struct error *err);
    /* The registry's default overlay: appends its text to out and sets *found (0: none). */
    int (*overlay_get)(void *db, struct buf *out, int *found, struct error *err);
    /* Replaces it with (id, text), or removes it when text is NULL, inside the transaction. */
    int (*overlay_put)(void *db, const char *id, const char *text, struct error *err);

    /* ---- version 5: life events (store_event_add) ---- */

    /* Records ev (validated by the front, ev->seq chosen by it) for the person with this
     * serial, naming the child or spouse with serial `other` (0: none), inside the
     * transaction. SP_CONFLICT when the person has an event with that seq already. */
    int (*event_add)(void *db, int64_t serial, const struct registry_event *ev, int64_t other,
                     struct error *err);
    /* The person's last event's seq (0: none yet). */
    int (*event_last)(void *db, int64_t serial, int *seq, struct error *err);
    /* The events of the persons whose serial is from `from` to `to` (both included), by
     * serial, then date, then seq (event_row_decode gives the visitor worker IDs). */
    int (*events_each)(void *db, int64_t from, int64_t to, registry_event_visit_fn visit, void *ctx,
                       struct error *err);
    /* The marks of the records whose serial is from `from` to `to`, by serial: the visitor gets
     * the record's worker ID and its mark (the survivor's worker ID in m->into). */
    int (*marks_each)(void *db, int64_t from, int64_t to, person_mark_visit_fn visit, void *ctx,
                      struct error *err);
    /* As events_each and marks_each, for the n persons whose serials are listed (sorted,
     * distinct): what the front asks for when a group's serials are far apart. */
    int (*events_of)(void *db, const int64_t *serials, int n, registry_event_visit_fn visit,
                     void *ctx, struct error *err);
    int (*marks_of)(void *db, const int64_t *serials, int n, person_mark_visit_fn visit, void *ctx,
                    struct error *err);
    /* Visits, in order, the serials of the persons that have events (marks 0) or a mark
     * (marks 1), each once; a non-zero visit return stops and is returned. */
    int (*holders_each)(void *db, int marks, int (*visit)(void *ctx, int64_t serial), void *ctx,
                        struct error *err);

    /* ---- version 6: the text index (store_person_find) ---- */

    /* Sets the search texts of n persons by serial (replacing theirs), inside the transaction. */
    int (*search_put)(void *db, const int64_t *serials, const char *const *texts, int n,
                      struct error *err);
    /* Visits the persons matching q (store_search), best first: the texts holding q->exact,
     * then the others, each by worker ID; q->offset skipped, at most q->limit. */
    int (*search_find)(void *db, const struct store_search *q, person_visit_fn visit, void *ctx,
                       struct error *err);
    /* *stale 1 when persons were stored before the index existed (a migrated registry). */
    int (*search_stale)(void *db, int *stale, struct error *err);
    /* Records that every person's text is indexed, inside the transaction. */
    int (*search_fresh)(void *db, struct error *err);

    /* ---- version 7: enrolments (store_enrolment_add) ---- */

    /* Adds r as an enrolment of the person with this serial (r->e.person is not read), inside
     * the transaction. *added 0, and nothing changed, when the person has an enrolment in the
     * scheme that is not ended. */
    int (*enrolment_add)(void *db, int64_t serial, const struct enrolment_record *r, int *added,
                         struct error *err);
    /* The enrolments of the person with this serial (serial > 0), or every enrolment (serial
     * 0), by serial, scheme and first day; r->e.person is "" (the front fills it in). */
    int (*enrolments_each)(void *db, int64_t serial, store_enrolment_row_fn visit, void *ctx,
                           struct error *err);
    /* Gives the person's enrolment in r->e.scheme that is not ended r's state, state_since,
     * to (ENROLMENT_ENDED), reason, actor and recorded_at, inside the transaction; *found 0
     * when there is none (nothing changed). */
    int (*enrolment_state_set)(void *db, int64_t serial, const struct enrolment_record *r,
                               int *found, struct error *err);

    /* ---- version 8: the audit log ---- */

    /* The last entry (the highest seq): *found 0 when the log is empty. */
    int (*audit_last)(void *db, struct audit_entry *out, int *found, struct error *err);
    /* Appends e inside the transaction. SP_CONFLICT when its seq is taken (another writer). */
    int (*audit_add)(void *db, const struct audit_entry *e, struct error *err);
    /* The entries by seq: all of them, or those whose object is `object`. */
    int (*audit_each)(void *db, const char *object, audit_visit_fn visit, void *ctx,
                      struct error *err);

    /* ---- version 9: the contributions ledger (store_contributions_book) ---- */

    /* The highest entry number booked, 0 for an empty ledger. */
    int (*contribution_last)(void *db, int64_t *last, struct error *err);
    /* Appends n entries, entries[i] of the person with serials[i], with their ids set, inside
     * the transaction. SP_CONFLICT when an id is taken (another writer). */
    int (*contributions_add)(void *db, const struct contribution_entry *entries,
                             const int64_t *serials, int n, struct error *err);
    /* The entries of the persons with serials from..to, by serial then entry. */
    int (*contributions_each)(void *db, int64_t from, int64_t to, store_contribution_row_fn visit,
                              void *ctx, struct error *err);
    /* The entries of the n listed serials (sorted, distinct), by serial then entry. */
    int (*contributions_of)(void *db, const int64_t *serials, int n,
                            store_contribution_row_fn visit, void *ctx, struct error *err);
    /* Visits, in order, the serials of the persons with an entry, each once. */
    int (*contributors_each)(void *db, int (*visit)(void *ctx, int64_t serial), void *ctx,
                             struct error *err);

    /* ---- version 10: claims and grievances (migrations 0011) ---- */

    /* Adds one to the named counter ("claim_id", "grievance_id") and gives its new value,
     * inside the transaction. */
    int (*counter_next)(void *db, const char *name, int64_t *out, struct error *err);
    /* Inserts c (insert 1) as a claim of the person with this serial, or replaces every column
     * of the stored claim (serial, c->id) by c's (insert 0), inside the transaction. */
    int (*claim_put)(void *db, int64_t serial, const struct claim *c, int insert,
                     struct error *err);
    /* The claims of the person with this serial (serial > 0), else the claim `id` (id > 0),
     * else every claim; by id. */
    int (*claims_each)(void *db, int64_t serial, int64_t id, store_claim_row_fn visit, void *ctx,
                       struct error *err);
    /* Appends st to the steps of the claim st->claim of the person with this serial. */
    int (*claim_step_add)(void *db, int64_t serial, const struct claim_step *st, struct error *err);
    /* The steps of the claim `id` of the person with this serial, by seq. */
    int (*claim_steps_each)(void *db, int64_t serial, int64_t id, claim_step_visit_fn visit,
                            void *ctx, struct error *err);
    /* Attaches e to the claim e->claim of the person with this serial (the front has checked
     * that its hash is not attached yet). */
    int (*claim_evidence_add)(void *db, int64_t serial, const struct claim_evidence *e,
                              struct error *err);
    /* The evidence of the claim `id` of the person with this serial, in the order attached. */
    int (*claim_evidence_each)(void *db, int64_t serial, int64_t id, claim_evidence_visit_fn visit,
                               void *ctx, struct error *err);
    /* As claim_put, for a grievance. */
    int (*grievance_put)(void *db, int64_t serial, const struct grievance *g, int insert,
                         struct error *err);
    /* As claims_each; with open_only, only the open grievances (of everyone when serial and id
     * are 0), by deadline, then id. */
    int (*grievances_each)(void *db, int64_t serial, int64_t id, int open_only,
                           store_grievance_row_fn visit, void *ctx, struct error *err);
    /* As claim_step_add and claim_steps_each, for a grievance. */
    int (*grievance_step_add)(void *db, int64_t serial, const struct grievance_step *st,
                              struct error *err);
    int (*grievance_steps_each)(void *db, int64_t serial, int64_t id, grievance_step_visit_fn visit,
                                void *ctx, struct error *err);

    /* ---- version 11: payroll (store_payment_add) ---- */

    /* Adds batch b inside the transaction. SP_CONFLICT when its id is taken. */
    int (*payment_batch_add)(void *db, const struct payment_batch *b, struct error *err);
    /* Every batch, by id. */
    int (*payment_batches_each)(void *db, payment_batch_visit_fn visit, void *ctx,
                                struct error *err);
    /* Sets the batch's exported_at (unless set before) and moves its created payments to
     * exported on `day` (*moved of them), inside the transaction; *found 0 when there is no
     * such batch. */
    int (*payment_batch_exported)(void *db, const char *id, const char *at, int32_t day, int *found,
                                  int64_t *moved, struct error *err);
    /* Adds p as a payment of the person with this serial (p->person is not read), inside the
     * transaction. *added 0, and nothing changed, when the person has an original instruction
     * for p's scheme and period already (p an original), or the instruction p re-issues was
     * re-issued already, or p's id is taken. */
    int (*payment_add)(void *db, int64_t serial, const struct payment *p, int *added,
                       struct error *err);
    /* The payments of batch `batch` (NULL: of every batch) of the person with this serial (0:
     * of everyone), by batch, then id; p->person is "" (the front fills it in). */
    int (*payments_each)(void *db, const char *batch, int64_t serial, store_payment_row_fn visit,
                         void *ctx, struct error *err);
    /* Gives the payment p->id of the person with this serial p's state, its day (p->on[state])
     * and status_reason, inside the transaction; *found 0 when there is none. */
    int (*payment_state_set)(void *db, int64_t serial, const struct payment *p, int *found,
                             struct error *err);

    /* ---- version 12: users, tokens and kept replies (store_user_put ...) ---- */

    /* Inserts u, or replaces the user of that name; *created 1 when it was new. */
    int (*user_put)(void *db, const struct store_user *u, int *created, struct error *err);
    int (*user_get)(void *db, const char *name, struct store_user *out, int *found,
                    struct error *err);
    /* SP_CONFLICT when t->hash is taken. */
    int (*token_put)(void *db, const struct store_token *t, struct error *err);
    int (*token_get)(void *db, const char *hash, struct store_token *out, int *found,
                     struct error *err);
    int (*token_touch)(void *db, const char *hash, int64_t seen_at, struct error *err);
    /* *found 0 when there was no such token. */
    int (*token_delete)(void *db, const char *hash, int *found, struct error *err);
    /* Appends the body to body. */
    int (*reply_get)(void *db, const char *user, const char *key, struct store_reply *out,
                     struct buf *body, int *found, struct error *err);
    /* Keeps r and body unless (r->user, r->key) has a reply already. */
    int (*reply_put)(void *db, const struct store_reply *r, const char *body, struct error *err);
    /* Deletes every token of user; *n how many there were. */
    int (*tokens_delete_of)(void *db, const char *user, int64_t *n, struct error *err);

    /* ---- version 13: the outreach and advocacy logs (migrations 0014) ---- */

    /* Names the organisation with its network, inside the transaction; one already named
     * keeps its network when network is "". */
    int (*organisation_put)(void *db, const char *name, const char *network, struct error *err);
    /* Adds activity a (a->id set) and its n participants, parts[i] of the person with
     * serials[i] (0: an anonymous count), inside the transaction. */
    int (*outreach_add)(void *db, const struct outreach_activity *a,
                        const struct outreach_participant *parts, const int64_t *serials, int n,
                        struct error *err);
    /* Every activity by id, with its organisation's network; then every participant, by
     * activity and place. */
    int (*outreach_each)(void *db, outreach_visit_fn visit, store_participant_row_fn visit_part,
                         void *ctx, struct error *err);
    /* Adds proposal a (a->id set), inside the transaction. */
    int (*advocacy_add)(void *db, const struct advocacy *a, struct error *err);
    /* Every proposal, by id. */
    int (*advocacy_each)(void *db, advocacy_visit_fn visit, void *ctx, struct error *err);

    /* ---- version 14: declared shocks (migrations 0015) ---- */

    /* Adds shock sh (sh->id set), inside the transaction; SP_CONFLICT when its name is
     * taken. */
    int (*shock_add)(void *db, const struct shock *sh, struct error *err);
    /* Every shock, by id. */
    int (*shocks_each)(void *db, shock_visit_fn visit, void *ctx, struct error *err);

    /* ---- version 15: legal-aid and assisted-claim cases (migrations 0016) ---- */

    /* Adds case c (c->id set) of the claimant with serial (0: anonymous), inside the
     * transaction. */
    int (*case_add)(void *db, const struct outreach_case *c, int64_t serial, struct error *err);
    /* Sets case c->id's outcome, decided, recovered, currency, note, actor and recorded_at,
     * inside the transaction; *found 0 when there is no such case. */
    int (*case_update)(void *db, const struct outreach_case *c, int *found, struct error *err);
    /* Every case, by id. */
    int (*cases_each)(void *db, store_case_row_fn visit, void *ctx, struct error *err);

    /* ---- version 16: many persons in one query ---- */

    /* Visits the registered persons among the n listed serials (sorted, distinct), by serial,
     * in one query; a serial nobody has is left out. A non-zero visit return stops and is
     * returned. */
    int (*persons_of)(void *db, const int64_t *serials, int n, person_visit_fn visit, void *ctx,
                      struct error *err);

    /* ---- version 17: reading only some columns ---- */

    /* store_person_each_by_household_reading: person_each_by_household selecting only the
     * columns of `fields` (person_row_select), the others NULL. */
    int (*person_each_by_household_reading)(void *db, const char *country, person_field_set fields,
                                            person_visit_fn visit, void *ctx, struct error *err);

    /* ---- version 18: many payments in one statement ---- */

    /* Adds the n payments p[i], each of the person with serials[i], as n calls of payment_add
     * in that order would, in fewer statements, inside the transaction; added[i] as
     * payment_add sets *added. */
    int (*payments_add)(void *db, const int64_t *serials, const struct payment *p, int n,
                        int *added, struct error *err);
};

/* The SQLite driver (sqlite/sqlite.c). */
extern const struct store_driver store_sqlite_driver;

/* The PostgreSQL driver (postgres/postgres.c), for "postgres://" and "postgresql://" URLs. */
extern const struct store_driver store_postgres_driver;

#endif
