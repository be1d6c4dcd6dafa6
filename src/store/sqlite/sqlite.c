/*
 * sqlite.c: the SQLite driver of the store (store_driver.h), the embedded default: its
 * connection. The other files of the driver are named in sqlite_impl.h.
 *
 * One connection per store. Every statement is prepared once, on first use, with
 * SQLITE_PREPARE_PERSISTENT, and reused (reset and rebound) for the life of the store, so a
 * bulk insert does no SQL compilation and no per-row allocation.
 *
 * Schema: src/store/migrations/sqlite/NNNN_name.sql, embedded in the binary (base/embedded.h)
 * and applied in name order, each recorded in schema_migrations, inside one IMMEDIATE
 * transaction.
 *
 * The database file is input like any other: it may have been crafted. No SQL text read from
 * it is executed, the connection runs in SQLite's defensive mode with an untrusted schema
 * (functions in the schema are limited to harmless ones), and a database holding triggers or
 * views, which spfloor never creates, is refused at open.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/embedded.h"
#include "base/text.h"
#include "store/schema_check.h"
#include "store/audit_row.h"
#include "store/contribution_row.h"
#include "store/claim_row.h"
#include "store/enrolment_row.h"
#include "store/payment_row.h"
#include "store/outreach_row.h"
#include "store/shock_row.h"
#include "store/sqlite/sqlite_impl.h"

#define BUSY_TIMEOUT_MS 5000
#define PAGE_SIZE       16384    /* bytes: fewer, larger pages make bulk writes ~10% faster */
#define WAL_CHECKPOINT  8192     /* pages: checkpoint when the WAL passes 128 MiB */
#define WAL_SIZE_LIMIT  67108864 /* bytes a checkpointed WAL is truncated to */
#define PATH_URI_MAX    4200     /* bytes of a database path as a file: URI */

static const char *const statement_sql[S_COUNT] = {
    [S_BEGIN] = "BEGIN IMMEDIATE",
    [S_COMMIT] = "COMMIT",
    [S_ROLLBACK] = "ROLLBACK",
    [S_SERIAL_GET] = "SELECT value FROM counters WHERE name = '" SERIAL_COUNTER "'",
    [S_SERIAL_SET] = "UPDATE counters SET value = ?1 WHERE name = '" SERIAL_COUNTER "'",
    /* ?1..?30 the columns, ?31 the serial */
    [S_PERSON_INSERT] =
        "INSERT INTO persons (" PERSON_ROW_COLUMNS ", serial) VALUES (?1, ?2, ?3, ?4, "
        "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
        "?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31)",
    [S_PERSON_GET] = SELECT_PERSON "WHERE serial = ?1",
    [S_PERSONS_OF] =
        SELECT_PERSON "WHERE serial IN (SELECT value FROM json_each(?1)) ORDER BY serial",
    [S_PERSON_BY_NATIONAL_ID] = SELECT_PERSON "WHERE country = ?1 AND national_id = ?2",
    [S_PERSON_BY_DEDUP_KEY] = SELECT_PERSON "WHERE dedup_hash = ?1",
    [S_PERSON_EACH] = SELECT_PERSON "ORDER BY serial",
    /* ?1 country or NULL: members of each household together, then persons without one */
    [S_PERSON_COUNT] = "SELECT count(*) FROM persons",
    [S_MEMBERS] = SELECT_PERSON "WHERE household = ?1 ORDER BY serial",
    [S_HOUSEHOLD_INSERT] = "INSERT OR IGNORE INTO households (id, country, admin1, admin2) "
                           "VALUES (?1, ?2, ?3, ?4)",
    [S_HOUSEHOLD_DELETE] = "DELETE FROM households WHERE id = ?1",
    [S_HOUSEHOLD_GET] = "SELECT id, country, admin1, admin2 FROM households WHERE id = ?1",
    /* ?1 country or NULL, ?2 limit */
    [S_SEARCH_ALL] = SELECT_PERSON "WHERE ?1 IS NULL OR country = ?1 ORDER BY serial LIMIT ?2",
    /* ?1 the text, ?2 a LIKE pattern for it, ?3 country or NULL, ?4 limit */
    [S_SEARCH_SCAN] =
        SELECT_PERSON "WHERE (?3 IS NULL OR country = ?3) AND (given_name || ' ' || family_name "
                      "LIKE ?2 ESCAPE '\\' OR family_name || ' ' || given_name LIKE ?2 ESCAPE "
                      "'\\' OR national_id LIKE ?2 ESCAPE '\\' OR id LIKE ?2 ESCAPE '\\' OR "
                      "phone LIKE ?2 ESCAPE '\\') ORDER BY CASE WHEN id = ?1 OR national_id = ?1 "
                      "OR phone = ?1 THEN 0 ELSE 1 END, serial LIMIT ?4",
    [S_PENDING_ANY] = "SELECT EXISTS (SELECT 1 FROM pending_indexes)",
    [S_PENDING_ADD] = "INSERT OR IGNORE INTO pending_indexes (name) VALUES (?1)",
    [S_INDEX_EXISTS] = "SELECT 1 FROM sqlite_schema WHERE type = 'index' AND name = ?1",
    [S_DATA_VERSION] = "PRAGMA data_version",
    [S_PERSON_UPDATE] = "UPDATE persons SET (" PERSON_ROW_COLUMNS ") = (?1, ?2, ?3, ?4, ?5, ?6, "
                        "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, "
                        "?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30) WHERE serial = ?31",
    [S_CHANGE_ADD] = "INSERT INTO person_changes (serial, version, field, old_value, new_value, "
                     "changed_at, actor, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_CHANGE_LAST] = "SELECT coalesce(max(version), 0) FROM person_changes WHERE serial = ?1",
    [S_CHANGES] = "SELECT version, field, old_value, new_value, changed_at, actor, reason FROM "
                  "person_changes WHERE serial = ?1 ORDER BY version, field",
    [S_MARK_SET] = "INSERT INTO person_marks (serial, kind, on_date, merged_into) VALUES (?1, ?2, "
                   "?3, ?4)",
    [S_MARK_GET] = "SELECT kind, on_date, merged_into FROM person_marks WHERE serial = ?1",
    [S_OVERLAY_GET] = "SELECT body FROM default_overlay WHERE slot = 1",
    [S_OVERLAY_DELETE] = "DELETE FROM default_overlay",
    [S_OVERLAY_INSERT] = "INSERT INTO default_overlay (slot, overlay_id, body) VALUES (1, ?1, ?2)",
    [S_EVENT_ADD] = "INSERT INTO person_events (" EVENT_ROW_COLUMNS ") VALUES (?1, ?2, ?3, ?4, "
                    "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [S_EVENT_LAST] = "SELECT coalesce(max(seq), 0) FROM person_events WHERE serial = ?1",
    [S_EVENTS] = "SELECT " EVENT_ROW_COLUMNS " FROM person_events WHERE serial BETWEEN ?1 AND ?2 "
                 "ORDER BY serial, on_date, seq",
    [S_MARKS] = "SELECT serial, kind, on_date, merged_into FROM person_marks WHERE serial BETWEEN "
                "?1 AND ?2 ORDER BY serial",
    [S_EVENTS_OF] = "SELECT " EVENT_ROW_COLUMNS " FROM person_events WHERE serial IN (SELECT value "
                    "FROM json_each(?1)) ORDER BY serial, on_date, seq",
    [S_EVENT_HOLDERS] = "SELECT DISTINCT serial FROM person_events ORDER BY serial",
    [S_MARK_HOLDERS] = "SELECT serial FROM person_marks ORDER BY serial",
    [S_MARKS_OF] = "SELECT serial, kind, on_date, merged_into FROM person_marks WHERE serial IN "
                   "(SELECT value FROM json_each(?1)) ORDER BY serial",
    [S_SEARCH_DELETE] = "DELETE FROM person_search WHERE rowid = ?1",
    [S_SEARCH_INSERT] = "INSERT INTO person_search (rowid, body) VALUES (?1, ?2)",
    /* ?1 an FTS5 query, ?2 country or NULL, ?3 limit, ?4 offset: in worker ID order, which
     * FTS5 gives as it reads, so that a page stops reading when it is full */
    [S_SEARCH_MATCH] = "SELECT " PERSON_ROW_COLUMNS " FROM person_search JOIN persons ON "
                       "persons.serial = person_search.rowid WHERE person_search MATCH ?1 AND (?2 "
                       "IS NULL OR persons.country = ?2) ORDER BY person_search.rowid LIMIT ?3 "
                       "OFFSET ?4",
    /* ?1 a LIKE pattern (terms too short for MATCH), then as S_SEARCH_MATCH */
    [S_SEARCH_LIKE] = "SELECT " PERSON_ROW_COLUMNS " FROM person_search JOIN persons ON "
                      "persons.serial = person_search.rowid WHERE person_search.body LIKE ?1 AND "
                      "(?2 IS NULL OR persons.country = ?2) ORDER BY person_search.rowid LIMIT ?3 "
                      "OFFSET ?4",
    [S_SEARCH_STALE] = "SELECT coalesce((SELECT value FROM counters WHERE name = 'search_stale'), "
                       "0)",
    [S_SEARCH_FRESH] = "UPDATE counters SET value = 0 WHERE name = 'search_stale'",
    /* ?1 an FTS5 query, ?2 country or NULL: how many persons match */
    [S_SEARCH_COUNT] = "SELECT count(*) FROM person_search JOIN persons ON persons.serial = "
                       "person_search.rowid WHERE person_search MATCH ?1 AND (?2 IS NULL OR "
                       "persons.country = ?2)",
    [S_SEARCH_PENDING] = "INSERT OR REPLACE INTO person_search_pending (serial, body) VALUES (?1, "
                         "?2)",
    [S_SEARCH_PENDING_ANY] = "SELECT count(*) FROM (SELECT 1 FROM person_search_pending LIMIT 1)",
    [S_ENROLMENT_ADD] = "INSERT INTO enrolments (serial, scheme, from_date, to_date, state, "
                        "state_since, reason, override_reason, actor, recorded_at) VALUES (?1, "
                        "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT DO NOTHING",
    [S_ENROLMENTS_OF] = "SELECT " ENROLMENT_COLUMNS " FROM enrolments WHERE serial = ?1 "
                        "ORDER BY serial, scheme, from_date",
    [S_ENROLMENTS_ALL] = "SELECT " ENROLMENT_COLUMNS " FROM enrolments "
                         "ORDER BY serial, scheme, from_date",
    [S_ENROLMENT_STATE] = "UPDATE enrolments SET state = ?3, state_since = ?4, to_date = ?5, "
                          "reason = ?6, actor = ?7, recorded_at = ?8 WHERE serial = ?1 AND "
                          "scheme = ?2 AND state <> 'ended'",
    [S_AUDIT_LAST] = "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_ADD] = "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [S_AUDIT_ALL] = "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq",
    [S_CONTRIBUTION_LAST] = "SELECT coalesce(max(entry), 0) FROM contributions",
    [S_CONTRIBUTION_ADD] = "INSERT INTO contributions (" CONTRIBUTION_COLUMNS ") VALUES (?1, ?2, "
                           "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, "
                           "?18, ?19)",
    [S_CONTRIBUTIONS] = "SELECT " CONTRIBUTION_COLUMNS " FROM contributions WHERE serial BETWEEN "
                        "?1 AND ?2 ORDER BY serial, entry",
    [S_CONTRIBUTIONS_OF] = "SELECT " CONTRIBUTION_COLUMNS " FROM contributions WHERE serial IN "
                           "(SELECT value FROM json_each(?1)) ORDER BY serial, entry",
    [S_CONTRIBUTORS] = "SELECT DISTINCT serial FROM contributions ORDER BY serial",
    [S_AUDIT_OF] = "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE object = ?1 ORDER BY seq",
    [S_COUNTER_NEXT] = "UPDATE counters SET value = value + 1 WHERE name = ?1 RETURNING value",
    [S_CLAIM_INSERT] =
        "INSERT INTO claims (" CLAIM_COLUMNS
        ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
    [S_CLAIM_UPDATE] =
        "UPDATE claims SET (scheme, event_type, event_date, state, decision, "
        "amount, currency, per, days, paid, fields, explanation, missing, "
        "filed_at, actor) = (?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17) "
        "WHERE serial = ?1 AND id = ?2",
    [S_CLAIMS_OF] = "SELECT " CLAIM_COLUMNS " FROM claims WHERE serial = ?1 ORDER BY id",
    [S_CLAIM_BY_ID] = "SELECT " CLAIM_COLUMNS " FROM claims WHERE id = ?1",
    [S_CLAIMS_ALL] = "SELECT " CLAIM_COLUMNS " FROM claims ORDER BY id",
    [S_CLAIM_STEP_ADD] = "INSERT INTO claim_steps (" CLAIM_STEP_COLUMNS
                         ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_CLAIM_STEPS] = "SELECT " CLAIM_STEP_COLUMNS " FROM claim_steps WHERE serial = ?1 AND "
                      "claim_id = ?2 ORDER BY seq",
    [S_EVIDENCE_ADD] =
        "INSERT INTO claim_evidence (" CLAIM_EVIDENCE_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_EVIDENCE_OF] = "SELECT " CLAIM_EVIDENCE_COLUMNS " FROM claim_evidence WHERE serial = ?1 "
                      "AND claim_id = ?2 ORDER BY added_at, file_name",
    [S_GRIEVANCE_INSERT] = "INSERT INTO grievances (" GRIEVANCE_COLUMNS
                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    [S_GRIEVANCE_UPDATE] =
        "UPDATE grievances SET (about, ref, body, state, level, opened_on, "
        "level_since, deadline, resolved_on, resolution, opened_at, actor) = "
        "(?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14) WHERE serial = ?1 AND id = ?2",
    [S_GRIEVANCES_OF] =
        "SELECT " GRIEVANCE_COLUMNS " FROM grievances WHERE serial = ?1 ORDER BY id",
    [S_GRIEVANCE_BY_ID] = "SELECT " GRIEVANCE_COLUMNS " FROM grievances WHERE id = ?1",
    [S_GRIEVANCES_ALL] = "SELECT " GRIEVANCE_COLUMNS " FROM grievances ORDER BY id",
    [S_GRIEVANCES_OPEN] = "SELECT " GRIEVANCE_COLUMNS " FROM grievances WHERE state = 'open' "
                          "ORDER BY deadline, id",
    [S_GRIEVANCE_STEP_ADD] = "INSERT INTO grievance_steps (" GRIEVANCE_STEP_COLUMNS ") VALUES "
                             "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    [S_GRIEVANCE_STEPS] = "SELECT " GRIEVANCE_STEP_COLUMNS " FROM grievance_steps WHERE serial = "
                          "?1 AND grievance_id = ?2 ORDER BY seq",
    [S_PAYMENT_BATCH_ADD] = "INSERT INTO payment_batches (" PAYMENT_BATCH_COLUMNS ") VALUES ("
                            "?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [S_PAYMENT_BATCHES] = "SELECT " PAYMENT_BATCH_COLUMNS " FROM payment_batches ORDER BY id",
    [S_PAYMENT_BATCH_EXPORTED] = "UPDATE payment_batches SET exported_at = CASE WHEN exported_at "
                                 "= '' THEN ?2 ELSE exported_at END WHERE id = ?1",
    [S_PAYMENTS_EXPORTED] = "UPDATE payments SET state = 'exported', exported_on = ?2 WHERE "
                            "batch = ?1 AND state = 'created'",
    [S_PAYMENT_ADD] = "INSERT INTO payments (" PAYMENT_COLUMNS
                      ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                      "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT DO NOTHING",
    [S_PAYMENTS] = "SELECT " PAYMENT_COLUMNS " FROM payments WHERE (?1 IS NULL OR batch = ?1) "
                   "AND (?2 = 0 OR serial = ?2) ORDER BY batch, id",
    [S_PAYMENT_STATE] = "UPDATE payments SET state = ?3, created_on = ?4, exported_on = ?5, "
                        "accepted_on = ?6, rejected_on = ?7, settled_on = ?8, "
                        "cancelled_on = ?9, status_reason = ?10 WHERE serial = ?1 AND id = ?2",
    [S_USER_GET] = "SELECT name, role, admin1, admin2, person, password, created_at FROM users "
                   "WHERE name = ?1",
    [S_USER_PUT] = "INSERT INTO users (name, role, admin1, admin2, person, password, created_at) "
                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET "
                   "role = excluded.role, admin1 = excluded.admin1, admin2 = excluded.admin2, "
                   "person = excluded.person, password = excluded.password",
    [S_TOKEN_PUT] = "INSERT INTO user_tokens (hash, user_name, kind, csrf, created_at, seen_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_TOKEN_GET] = "SELECT hash, user_name, kind, csrf, created_at, seen_at FROM user_tokens "
                    "WHERE hash = ?1",
    [S_TOKEN_TOUCH] = "UPDATE user_tokens SET seen_at = ?2 WHERE hash = ?1",
    [S_TOKEN_DELETE] = "DELETE FROM user_tokens WHERE hash = ?1",
    [S_TOKENS_DELETE_OF] = "DELETE FROM user_tokens WHERE user_name = ?1",
    [S_REPLY_GET] = "SELECT request, status, created_at, body FROM idempotent_replies "
                    "WHERE user_name = ?1 AND idem_key = ?2",
    [S_REPLY_PUT] = "INSERT INTO idempotent_replies (user_name, idem_key, request, status, body, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING",
    [S_ORGANISATION_PUT] = "INSERT INTO organisations (name, network) VALUES (?1, ?2) ON CONFLICT "
                           "(name) DO UPDATE SET network = excluded.network WHERE "
                           "excluded.network <> ''",
    [S_OUTREACH_ADD] = "INSERT INTO outreach_activities (" OUTREACH_COLUMNS
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    [S_PARTICIPANT_ADD] = "INSERT INTO outreach_participants (" PARTICIPANT_COLUMNS
                          ") VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    [S_OUTREACH_ALL] = "SELECT a.id, a.org, a.type, a.on_date, a.country, a.area, a.note, a.actor, "
                       "a.recorded_at, coalesce(o.network, '') FROM outreach_activities a LEFT "
                       "JOIN organisations o ON o.name = a.org ORDER BY a.id",
    [S_PARTICIPANTS_ALL] =
        "SELECT " PARTICIPANT_COLUMNS " FROM outreach_participants ORDER BY activity, seq",
    [S_ADVOCACY_ADD] = "INSERT INTO advocacy (" ADVOCACY_COLUMNS
                       ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    [S_ADVOCACY_ALL] = "SELECT " ADVOCACY_COLUMNS " FROM advocacy ORDER BY id",
    [S_SHOCK_ADD] = "INSERT INTO shocks (" SHOCK_COLUMNS
                    ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    [S_SHOCKS_ALL] = "SELECT " SHOCK_COLUMNS " FROM shocks ORDER BY id",
    [S_CASE_ADD] = "INSERT INTO outreach_cases (" CASE_COLUMNS
                   ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
                   "?16, ?17)",
    [S_CASE_UPDATE] = "UPDATE outreach_cases SET outcome = ?2, decided = ?3, recovered = ?4, "
                      "currency = ?5, note = ?6, actor = ?7, recorded_at = ?8 WHERE id = ?1",
    [S_CASES_ALL] =
        "SELECT id, org, kind, coalesce(activity, 0), coalesce(serial, 0), sex, youth, country, "
        "area, opened, outcome, decided, recovered, currency, note, actor, recorded_at FROM "
        "outreach_cases ORDER BY id",
};

/* Records the connection's last error as SP_IO (or SP_CONFLICT for a busy database). */
int sq_error(struct sqlite_store *s, const char *doing, struct error *err)
{
    int code = sqlite3_errcode(s->db);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return error_set(err, SP_IO,
                         "%s: %s: the database is busy (another spfloor is writing): try again",
                         s->location, doing);
    if (code == SQLITE_NOMEM)
        return error_nomem(err);
    return error_set(err, SP_IO, "%s: %s: %s", s->location, doing, sqlite3_errmsg(s->db));
}

/* The prepared statement for `which`, preparing it on first use; NULL with err set on failure. */
sqlite3_stmt *sq_statement(struct sqlite_store *s, enum statement which, struct error *err)
{
    if (s->stmt[which] != NULL)
        return s->stmt[which];
    if (sqlite3_prepare_v3(s->db, statement_sql[which], -1, SQLITE_PREPARE_PERSISTENT,
                           &s->stmt[which], NULL) != SQLITE_OK) {
        sq_error(s, "preparing a statement", err);
        s->stmt[which] = NULL;
        return NULL;
    }
    return s->stmt[which];
}

/* Steps a statement that returns no rows, then resets it. */
int sq_run(struct sqlite_store *s, sqlite3_stmt *stmt, const char *doing, struct error *err)
{
    int rc = sqlite3_step(stmt);
    sqlite3_reset(stmt);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
        return sq_error(s, doing, err);
    }
    return SP_OK;
}

int sq_run_changed(struct sqlite_store *s, sqlite3_stmt *stmt, const char *doing, int *changed,
                   struct error *err)
{
    int rc = sq_run(s, stmt, doing, err);
    *changed = rc == SP_OK && sqlite3_changes(s->db) > 0;
    return rc;
}

int sq_exec(struct sqlite_store *s, const char *sql, const char *doing, struct error *err)
{
    char *message = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &message) != SQLITE_OK) {
        int rc = error_set(err, SP_IO, "%s: %s: %s", s->location, doing,
                           message ? message : sqlite3_errmsg(s->db));
        sqlite3_free(message);
        return rc;
    }
    return SP_OK;
}

/* Steps stmt (NULL: SP_IO, err already set), which returns one integer, into *out (0 on
 * failure), then resets it. */
static int read_int64(struct sqlite_store *s, sqlite3_stmt *stmt, int64_t *out, const char *what,
                      struct error *err)
{
    *out = 0;
    if (stmt == NULL)
        return SP_IO;
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW)
        return sq_error(s, what, err);
    return SP_OK;
}

int sq_read_int64(struct sqlite_store *s, enum statement which, int64_t *out, const char *what,
                  struct error *err)
{
    return read_int64(s, sq_statement(s, which, err), out, what, err);
}

int sq_read_int64_of(struct sqlite_store *s, enum statement which, int64_t serial, int64_t *out,
                     const char *what, struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt != NULL)
        sqlite3_bind_int64(stmt, 1, serial);
    return read_int64(s, stmt, out, what, err);
}

int sq_serials_each(struct sqlite_store *s, enum statement which,
                    int (*visit)(void *ctx, int64_t serial), void *ctx, const char *doing,
                    struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt == NULL)
        return SP_IO;
    int step = SQLITE_DONE, stop = 0;
    while (stop == 0 && (step = sqlite3_step(stmt)) == SQLITE_ROW)
        stop = visit(ctx, sqlite3_column_int64(stmt, 0));
    sqlite3_reset(stmt);
    if (stop != 0)
        return stop;
    return step == SQLITE_DONE ? SP_OK : sq_error(s, doing, err);
}

/* ---- memory: SQLite allocates through base/alloc.h, so tests can make it fail ---- */

/* Each block carries its size in front (SQLite asks for it); 8 bytes keep 8-byte alignment. */
static void *mem_malloc(int n)
{
    uint64_t *block = sp_malloc((size_t)n + sizeof *block);
    if (block == NULL)
        return NULL;
    block[0] = (uint64_t)n;
    return block + 1;
}

static void mem_free(void *p)
{
    if (p != NULL)
        sp_free((uint64_t *)p - 1);
}

static void *mem_realloc(void *p, int n)
{
    uint64_t *block = sp_realloc((uint64_t *)p - 1, (size_t)n + sizeof *block);
    if (block == NULL)
        return NULL;
    block[0] = (uint64_t)n;
    return block + 1;
}

static int mem_size(void *p)
{
    return p ? (int)((uint64_t *)p)[-1] : 0;
}

static int mem_roundup(int n)
{
    return (n + 7) & ~7;
}

static int mem_init(void *data)
{
    (void)data;
    return SQLITE_OK;
}

static void mem_shutdown(void *data)
{
    (void)data;
}

/* Routes SQLite's allocations through sp_malloc; once, before SQLite initialises. */
static void use_our_allocator(void)
{
    static int done;
    static const sqlite3_mem_methods methods = {mem_malloc,  mem_free, mem_realloc,  mem_size,
                                                mem_roundup, mem_init, mem_shutdown, NULL};
    if (done)
        return;
    done = 1;
    /* Both fail harmlessly if SQLite is already running. Without memory statistics SQLite
     * takes no global mutex per allocation. */
    sqlite3_config(SQLITE_CONFIG_MALLOC, &methods);
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

/* ---- opening and migrating ---- */

/* 1 if the migration `name` is recorded as applied, 0 if not, -1 on error (err set). */
static int migration_applied(void *handle, const char *name, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(s->db, "SELECT 1 FROM " MIGRATIONS_TABLE " WHERE name = ?1", -1, &stmt,
                           NULL) != SQLITE_OK) {
        sq_error(s, "reading the schema version", err);
        return -1;
    }
    sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        sq_error(s, "reading the schema version", err);
        return -1;
    }
    return rc == SQLITE_ROW;
}

/* Runs migration m (SQL compiled into spfloor) and records it (schema_migrations.apply). */
static int apply_migration(void *handle, const struct embedded_file *m, struct error *err)
{
    struct sqlite_store *s = handle;
    char doing[128];
    snprintf(doing, sizeof doing, "applying migration %s", m->name);
    if (sq_exec(s, m->contents, doing, err) != SP_OK)
        return SP_IO;
    sqlite3_stmt *stmt = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO " MIGRATIONS_TABLE " (name, applied_at) VALUES (?1, "
                           "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
                           -1, &stmt, NULL) != SQLITE_OK)
        return sq_error(s, "recording a migration", err);
    sqlite3_bind_text(stmt, 1, m->name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        return sq_error(s, "recording a migration", err);
    return SP_OK;
}

/* This driver's migrations, for schema_count_pending and schema_apply_pending. */
static struct schema_migrations migrations_of(struct sqlite_store *s)
{
    struct schema_migrations m = {migrations_embedded, migrations_embedded_count, s,
                                  migration_applied, apply_migration};
    return m;
}

/* Counts the migrations not yet applied into *pending (all of them if there is no table). */
static int count_pending(struct sqlite_store *s, int *pending, struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    *pending = migrations_embedded_count;
    if (sqlite3_prepare_v2(
            s->db,
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = '" MIGRATIONS_TABLE
            "'",
            -1, &stmt, NULL) != SQLITE_OK)
        return sq_error(s, "reading the schema", err);
    int rc = sqlite3_step(stmt);
    int exists = rc == SQLITE_ROW && sqlite3_column_int(stmt, 0) > 0;
    sqlite3_finalize(stmt);
    if (rc != SQLITE_ROW)
        return sq_error(s, "reading the schema", err);
    if (!exists)
        return SP_OK;
    struct schema_migrations m = migrations_of(s);
    return schema_count_pending(&m, pending, err);
}

/* Applies the pending migrations in one IMMEDIATE transaction (nothing if none is pending). */
static int migrate(struct sqlite_store *s, struct error *err)
{
    int pending;
    if (count_pending(s, &pending, err) != SP_OK)
        return SP_IO;
    if (pending == 0)
        return SP_OK;
    if (sq_exec(s, "BEGIN IMMEDIATE", "starting the schema migration", err) != SP_OK)
        return SP_IO;
    int rc = sq_exec(s,
                     "CREATE TABLE IF NOT EXISTS " MIGRATIONS_TABLE
                     " (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)",
                     "creating the migrations table", err);
    struct schema_migrations m = migrations_of(s);
    if (rc == SP_OK)
        rc = schema_apply_pending(&m, err);
    if (rc == SP_OK)
        rc = sq_exec(s, "COMMIT", "committing the schema migration", err);
    if (rc != SP_OK)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

/*
 * Before anything is read: SQLite's defensive mode, an untrusted schema (the file may have been
 * crafted), and no triggers or views.
 */
static int distrust(struct sqlite_store *s, struct error *err)
{
    sqlite3_busy_timeout(s->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(s->db, 1);
    if (sqlite3_db_config(s->db, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL) != SQLITE_OK ||
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) != SQLITE_OK ||
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL) != SQLITE_OK ||
        sqlite3_db_config(s->db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL) != SQLITE_OK)
        return sq_error(s, "setting up the connection", err);
    return SP_OK;
}

/*
 * Sets the connection up, once the file is known to be a registry (check_schema).
 * STORE_READ_WRITE and STORE_CREATE: WAL journal, full syncs, foreign keys. STORE_READ_ONLY:
 * query_only, so that nothing can write through this connection.
 */
static int configure(struct sqlite_store *s, enum store_mode mode, struct error *err)
{
    char pragmas[360];
    if (mode == STORE_READ_ONLY)
        snprintf(pragmas, sizeof pragmas,
                 "PRAGMA query_only = 1; PRAGMA cache_size = -%d; PRAGMA mmap_size = %lld;",
                 CACHE_SIZE_KIB, MMAP_SIZE);
    else /* the page size counts only when the database is created, before it is in WAL mode */
        snprintf(pragmas, sizeof pragmas,
                 "PRAGMA page_size = %d; PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                 "PRAGMA foreign_keys = ON; PRAGMA cache_size = -%d; PRAGMA "
                 "wal_autocheckpoint = %d; PRAGMA journal_size_limit = %d; "
                 "PRAGMA mmap_size = %lld;",
                 PAGE_SIZE, CACHE_SIZE_KIB, WAL_CHECKPOINT, WAL_SIZE_LIMIT, MMAP_SIZE);
    return sq_exec(s, pragmas, "setting up the connection", err);
}

/* Counts the rows of `query` (one integer) into *out; SP_IO naming `what` on failure. */
static int count_rows(struct sqlite_store *s, const char *query, int64_t *out, const char *what,
                      struct error *err)
{
    sqlite3_stmt *stmt = NULL;
    *out = 0;
    if (sqlite3_prepare_v2(s->db, query, -1, &stmt, NULL) != SQLITE_OK)
        return sq_error(s, what, err);
    int rc = sqlite3_step(stmt);
    if (rc == SQLITE_ROW)
        *out = sqlite3_column_int64(stmt, 0);
    sqlite3_finalize(stmt);
    return rc == SQLITE_ROW ? SP_OK : sq_error(s, what, err);
}

/*
 * Checks that the file is a registry spfloor may open as `mode` says (store_open): not some
 * other SQLite database, not one from a newer spfloor, no triggers or views, and in
 * STORE_READ_ONLY no migration pending. Reading the schema is also the first read of the file,
 * so a file that is not a database fails here.
 */
static int check_schema(struct sqlite_store *s, enum store_mode mode, struct error *err)
{
    int64_t objects = 0, code_objects = 0, has_migrations = 0;
    int rc =
        count_rows(s, "SELECT count(*) FROM sqlite_schema", &objects, "reading the schema", err);
    if (rc != SP_OK) {
        int code = sqlite3_errcode(s->db);
        if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT) {
            error_init(err);
            return error_set(err, SP_IO,
                             "%s: this is not a spfloor registry: the file is not an SQLite "
                             "database, or it is damaged",
                             s->location);
        }
        return rc;
    }
    struct schema_facts f = {objects, 0, 0, migrations_embedded_count, 0};
    if (objects > 0) {
        rc = count_rows(s, "SELECT count(*) FROM sqlite_schema WHERE type IN ('trigger', 'view')",
                        &code_objects, "reading the schema", err);
        if (rc == SP_OK && code_objects > 0)
            return error_set(err, SP_IO,
                             "%s: the database holds %lld trigger(s) or view(s), which spfloor "
                             "never creates: it was changed outside spfloor and is not opened",
                             s->location, (long long)code_objects);
        if (rc == SP_OK)
            rc = count_rows(s,
                            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = "
                            "'" MIGRATIONS_TABLE "'",
                            &has_migrations, "reading the schema", err);
        f.has_migrations = has_migrations > 0;
        if (rc == SP_OK && f.has_migrations)
            rc = count_rows(s, "SELECT count(*) FROM " MIGRATIONS_TABLE, &f.recorded,
                            "reading the schema version", err);
        if (rc == SP_OK && f.has_migrations)
            rc = count_pending(s, &f.pending, err);
        if (rc != SP_OK)
            return rc;
    }
    return schema_check(s->location, "SQLite database", s->location, mode, &f, err);
}

static void sqlite_close(void *handle)
{
    struct sqlite_store *s = handle;
    if (s == NULL)
        return;
    if (s->in_transaction)
        sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
    for (int i = 0; i < S_COUNT; i++)
        sqlite3_finalize(s->stmt[i]);
    sqlite3_close(s->db);
    sp_free(s->location);
    sp_free(s);
}

/*
 * Checks the location before SQLite sees it: it must be a regular file (SQLite would otherwise
 * make "/dev/null-journal" beside a device), or, for STORE_CREATE, not exist yet, in which
 * case it is created empty with mode 0600 (SQLite gives its journal files the same mode).
 */
static int prepare_file(const char *location, enum store_mode mode, struct error *err)
{
    struct stat st;
    if (stat(location, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return error_set(err, SP_IO,
                             "%s: is not a regular file (a %s): a registry is a file; give its "
                             "path with --db",
                             location, S_ISDIR(st.st_mode) ? "directory" : "device or pipe");
        return SP_OK;
    }
    if (errno != ENOENT)
        return error_set(err, SP_IO, "%s: cannot open the database: %s", location, strerror(errno));
    if (mode != STORE_CREATE)
        return error_set(err, SP_IO,
                         "%s: there is no database here: create it with 'spfloor --db %s init'",
                         location, location);
    int fd = open(location, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST)
        return error_set(err, SP_IO,
                         "%s: cannot create the database: %s (does the directory exist, and may "
                         "you write there?)",
                         location, strerror(errno));
    if (fd >= 0)
        close(fd);
    return SP_OK;
}

/*
 * The URI that opens `location` read-only as an immutable file ("file:/path?immutable=1"), the
 * path percent-encoded; SP_IO if it does not fit in size bytes.
 */
static int immutable_uri(const char *location, char *out, size_t size, struct error *err)
{
    static const char hex[] = "0123456789ABCDEF";
    text_copy(out, size, "file:");
    size_t o = strlen(out);
    for (const unsigned char *c = (const unsigned char *)location; *c && o + 4 < size; c++) {
        if ((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') ||
            strchr("-._~/", *c) != NULL) {
            out[o++] = (char)*c;
        } else {
            out[o++] = '%';
            out[o++] = hex[*c >> 4];
            out[o++] = hex[*c & 15];
        }
    }
    out[o] = '\0';
    if (o + 4 >= size || !text_copy(out + o, size - o, "?immutable=1"))
        return error_set(err, SP_IO, "%s: the path is too long", location);
    return SP_OK;
}

/*
 * Opens the SQLite connection s->db and checks the file (check_schema). A database in WAL mode
 * needs its shared-memory file even to be read: when that cannot be made (a read-only copy in
 * a directory the user may not write) and no write-ahead log exists (so every committed change
 * is in the file itself), STORE_READ_ONLY reads the file as immutable instead.
 */
static int connect(struct sqlite_store *s, enum store_mode mode, struct error *err)
{
    int flags = (mode == STORE_READ_ONLY ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) |
                SQLITE_OPEN_NOMUTEX;
    for (int attempt = 0;; attempt++) {
        char uri[PATH_URI_MAX];
        const char *name = s->location;
        if (attempt > 0) {
            if (immutable_uri(s->location, uri, sizeof uri, err) != SP_OK)
                return SP_IO;
            name = uri;
        }
        if (sqlite3_open_v2(name, &s->db, flags | (attempt > 0 ? SQLITE_OPEN_URI : 0), NULL) !=
            SQLITE_OK) {
            if (s->db == NULL)
                return error_nomem(err);
            return error_set(err, SP_IO, "%s: cannot open the database: %s", s->location,
                             sqlite3_errmsg(s->db));
        }
        struct error why;
        error_init(&why);
        int rc = distrust(s, &why);
        if (rc == SP_OK)
            rc = check_schema(s, mode, &why);
        int code = sqlite3_errcode(s->db) & 0xff; /* the primary code */
        if (rc == SP_OK || attempt > 0 || mode != STORE_READ_ONLY ||
            (code != SQLITE_READONLY && code != SQLITE_CANTOPEN))
            return rc == SP_OK ? SP_OK : error_set(err, rc, "%s", why.message);
        char wal[PATH_URI_MAX];
        snprintf(wal, sizeof wal, "%s-wal", s->location);
        if (access(wal, F_OK) == 0)
            return error_set(err, SP_IO,
                             "%s: cannot be read: its write-ahead log %s holds changes, and the "
                             "shared-memory file beside it cannot be made: %s",
                             s->location, wal, sqlite3_errmsg(s->db));
        sqlite3_close(s->db);
        s->db = NULL;
    }
}

static int sqlite_open(const char *location, enum store_mode mode, void **out, struct error *err)
{
    *out = NULL;
    use_our_allocator();
    int rc = prepare_file(location, mode, err);
    if (rc != SP_OK)
        return rc;
    struct sqlite_store *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->location = sp_strdup(location);
    if (s->location == NULL) {
        sp_free(s);
        return error_nomem(err);
    }
    rc = connect(s, mode, err);
    if (rc == SP_OK)
        rc = configure(s, mode, err);
    if (rc == SP_OK && mode != STORE_READ_ONLY)
        rc = migrate(s, err);
    if (rc == SP_OK && mode != STORE_READ_ONLY)
        rc = sq_restore_killed_import(s, err);
    if (rc != SP_OK) {
        sqlite_close(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

/* ---- transactions ---- */

/*
 * Opens a write transaction; on failure none is open. COMMIT and ROLLBACK are prepared first,
 * so that ending the transaction never needs memory to prepare a statement (a rollback that
 * could not run would leave the transaction open).
 */
static int open_transaction(struct sqlite_store *s, struct error *err)
{
    if (sq_statement(s, S_COMMIT, err) == NULL || sq_statement(s, S_ROLLBACK, err) == NULL)
        return SP_IO;
    sqlite3_stmt *begin = sq_statement(s, S_BEGIN, err);
    if (begin == NULL || sq_run(s, begin, "starting a transaction", err) != SP_OK)
        return SP_IO;
    s->in_transaction = 1;
    return SP_OK;
}

static void sqlite_rollback(void *handle)
{
    struct sqlite_store *s = handle;
    if (!s->in_transaction)
        return;
    sq_run(s, s->stmt[S_ROLLBACK], "rolling back", NULL);
    s->in_transaction = 0;
}

static int sqlite_begin(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->in_transaction)
        return error_set(err, SP_IO, "%s: a transaction is already open", s->location);
    /* If another connection's import has set the indexes aside, no writer but that import
     * may write without them: they come back first, in a transaction of their own (the
     * caller's may be rolled back), and then the caller's transaction begins. */
    for (;;) {
        if (open_transaction(s, err) != SP_OK)
            return SP_IO;
        int any = 0;
        int rc = s->importing ? SP_OK : sq_indexes_pending(s, &any, err);
        if (rc == SP_OK && !any)
            return SP_OK;
        sqlite_rollback(s);
        if (rc == SP_OK)
            rc = sq_restore_indexes_now(s, err);
        if (rc != SP_OK)
            return rc;
    }
}

static int sqlite_commit(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "%s: no transaction to commit", s->location);
    if (sq_run(s, s->stmt[S_COMMIT], "committing", err) != SP_OK)
        return SP_IO;
    s->in_transaction = 0;
    return SP_OK;
}

static int sqlite_serial_get(void *handle, int64_t *out, struct error *err)
{
    return sq_read_int64(handle, S_SERIAL_GET, out, "reading the worker serial", err);
}

static int sqlite_serial_set(void *handle, int64_t serial, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *set = sq_statement(s, S_SERIAL_SET, err);
    if (set == NULL)
        return SP_IO;
    sqlite3_bind_int64(set, 1, serial);
    return sq_run(s, set, "saving the worker serial", err);
}

static int sqlite_overlay_get(void *handle, struct buf *out, int *found, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_OVERLAY_GET, err);
    *found = 0;
    if (stmt == NULL)
        return SP_IO;
    int rc = sqlite3_step(stmt), status = SP_OK;
    if (rc == SQLITE_ROW) {
        const unsigned char *text = sqlite3_column_text(stmt, 0);
        int n = sqlite3_column_bytes(stmt, 0);
        status = buf_append(out, text != NULL ? (const char *)text : "", (size_t)n, err);
        *found = 1;
    }
    sqlite3_reset(stmt);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return sq_error(s, "reading the default overlay", err);
    return status;
}

static int sqlite_overlay_put(void *handle, const char *id, const char *text, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *del = sq_statement(s, S_OVERLAY_DELETE, err);
    if (del == NULL)
        return SP_IO;
    int rc = sq_run(s, del, "removing the default overlay", err);
    if (rc != SP_OK || text == NULL)
        return rc;
    sqlite3_stmt *ins = sq_statement(s, S_OVERLAY_INSERT, err);
    if (ins == NULL)
        return SP_IO;
    sqlite3_bind_text(ins, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(ins, 2, text, -1, SQLITE_STATIC);
    return sq_run(s, ins, "storing the default overlay", err);
}

const struct store_driver store_sqlite_driver = {
    .version = STORE_DRIVER_VERSION,
    .name = "sqlite",
    .open = sqlite_open,
    .close = sqlite_close,
    .begin = sqlite_begin,
    .commit = sqlite_commit,
    .rollback = sqlite_rollback,
    .serial_get = sqlite_serial_get,
    .serial_set = sqlite_serial_set,
    .person_insert = sqlite_person_insert,
    .household_insert = sqlite_household_insert,
    .household_delete = sqlite_household_delete,
    .person_by_serial = sqlite_person_by_serial,
    .person_by_national_id = sqlite_person_by_national_id,
    .person_by_dedup_key = sqlite_person_by_dedup_key,
    .person_search = sqlite_person_search,
    .person_list = sqlite_person_list,
    .person_each = sqlite_person_each,
    .person_each_by_household = sqlite_person_each_by_household,
    .household_members = sqlite_household_members,
    .person_count = sqlite_person_count,
    .household_get = sqlite_household_get,
    .data_version = sqlite_data_version,
    .import_begin = sqlite_import_begin,
    .import_end = sqlite_import_end,
    .person_update = sqlite_person_update,
    .person_change_add = sqlite_person_change_add,
    .person_change_last = sqlite_person_change_last,
    .person_changes_each = sqlite_person_changes_each,
    .person_mark_set = sqlite_person_mark_set,
    .person_mark_get = sqlite_person_mark_get,
    .overlay_get = sqlite_overlay_get,
    .overlay_put = sqlite_overlay_put,
    .event_add = sqlite_event_add,
    .event_last = sqlite_event_last,
    .events_each = sqlite_events_each,
    .marks_each = sqlite_marks_each,
    .events_of = sqlite_events_of,
    .marks_of = sqlite_marks_of,
    .holders_each = sqlite_holders_each,
    .search_put = sqlite_search_put,
    .search_find = sqlite_search_find,
    .search_stale = sqlite_search_stale,
    .search_fresh = sqlite_search_fresh,
    .enrolment_add = sqlite_enrolment_add,
    .enrolments_each = sqlite_enrolments_each,
    .enrolment_state_set = sqlite_enrolment_state_set,
    .audit_last = sqlite_audit_last,
    .audit_add = sqlite_audit_add,
    .audit_each = sqlite_audit_each,
    .contribution_last = sqlite_contribution_last,
    .contributions_add = sqlite_contributions_add,
    .contributions_each = sqlite_contributions_each,
    .contributions_of = sqlite_contributions_of,
    .contributors_each = sqlite_contributors_each,
    .counter_next = sqlite_counter_next,
    .claim_put = sqlite_claim_put,
    .claims_each = sqlite_claims_each,
    .claim_step_add = sqlite_claim_step_add,
    .claim_steps_each = sqlite_claim_steps_each,
    .claim_evidence_add = sqlite_claim_evidence_add,
    .claim_evidence_each = sqlite_claim_evidence_each,
    .grievance_put = sqlite_grievance_put,
    .grievances_each = sqlite_grievances_each,
    .grievance_step_add = sqlite_grievance_step_add,
    .grievance_steps_each = sqlite_grievance_steps_each,
    .payment_batch_add = sqlite_payment_batch_add,
    .payment_batches_each = sqlite_payment_batches_each,
    .payment_batch_exported = sqlite_payment_batch_exported,
    .payment_add = sqlite_payment_add,
    .payments_each = sqlite_payments_each,
    .payment_state_set = sqlite_payment_state_set,
    .user_put = sqlite_user_put,
    .user_get = sqlite_user_get,
    .token_put = sqlite_token_put,
    .token_get = sqlite_token_get,
    .token_touch = sqlite_token_touch,
    .token_delete = sqlite_token_delete,
    .reply_get = sqlite_reply_get,
    .reply_put = sqlite_reply_put,
    .tokens_delete_of = sqlite_tokens_delete_of,
    .organisation_put = sqlite_organisation_put,
    .outreach_add = sqlite_outreach_add,
    .outreach_each = sqlite_outreach_each,
    .advocacy_add = sqlite_advocacy_add,
    .advocacy_each = sqlite_advocacy_each,
    .shock_add = sqlite_shock_add,
    .shocks_each = sqlite_shocks_each,
    .case_add = sqlite_case_add,
    .case_update = sqlite_case_update,
    .cases_each = sqlite_cases_each,
    .persons_of = sqlite_persons_of,
    .person_each_by_household_reading = sqlite_person_each_by_household_reading,
};
