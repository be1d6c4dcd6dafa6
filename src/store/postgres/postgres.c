/*
 * postgres.c: the PostgreSQL driver of the store (store_driver.h), over libpq: its connection.
 * The other file of the driver is named in postgres_impl.h.
 *
 * One connection per store, to the database (and, through search_path in the URL's options,
 * the schema) the location names. Write transactions are SERIALIZABLE: the front decides on
 * what it read (the worker serial, the duplicate checks), so two writers that read the same
 * rows cannot both commit; the loser gets SP_IO saying to try again. The driver has no import
 * sessions and no data version (store.c does without them).
 *
 * Schema: src/store/migrations/postgres/NNNN_name.sql, embedded in the binary
 * (base/embedded.h) and applied in name order, each recorded in schema_migrations, inside one
 * transaction that holds an advisory lock, so that two spfloor starting at once do not race.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/embedded.h"
#include "base/text.h"
#include "store/audit_row.h"
#include "store/contribution_row.h"
#include "store/claim_row.h"
#include "store/enrolment_row.h"
#include "store/payment_row.h"
#include "store/outreach_row.h"
#include "store/shock_row.h"
#include "store/postgres/postgres_impl.h"
#include "store/schema_check.h"

#define MIGRATION_LOCK "7236175906384521216" /* pg_advisory_xact_lock key: "spfloor" */
#define MESSAGE_MAX    400                   /* bytes of a server message kept */

static const char *const statement_sql[S_COUNT] = {
    [S_SERIAL_GET] = "SELECT value FROM counters WHERE name = 'worker_serial'",
    [S_SERIAL_SET] = "UPDATE counters SET value = $1 WHERE name = 'worker_serial'",
    /* $1..$30 the columns, $31 the serial: the person and its keys (migrations/postgres/0002)
     * in one statement. A taken serial or key inserts nothing in its table (ON CONFLICT: under
     * SERIALIZABLE, a clash with a row the transaction cannot see is a serialization failure,
     * so that racing writers are told to try again); the counts say what was inserted, and the
     * caller undoes the rest (a savepoint). */
    [S_PERSON_INSERT] =
        "WITH p AS (INSERT INTO persons (" PERSON_ROW_COLUMNS ", serial) VALUES ($1, $2, $3, $4, "
        "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, "
        "$23, $24, $25, $26, $27, $28, $29, $30, $31) ON CONFLICT DO NOTHING RETURNING serial, "
        "country, national_id, dedup_hash), k AS (INSERT INTO person_dedup_keys (dedup_hash, "
        "serial) SELECT dedup_hash, serial FROM p ON CONFLICT DO NOTHING RETURNING serial), n AS "
        "(INSERT INTO person_national_ids (national_id, country, serial) SELECT national_id, "
        "country, serial FROM p WHERE national_id IS NOT NULL ON CONFLICT DO NOTHING RETURNING "
        "serial) SELECT (SELECT count(*) FROM p) + (SELECT count(*) FROM k) + (SELECT count(*) "
        "FROM n)",
    [S_PERSON_GET] = PG_SELECT_PERSON "WHERE serial = $1",
    [S_PERSONS_OF] = PG_SELECT_PERSON "WHERE serial = ANY ($1::bigint[]) ORDER BY serial",
    /* through the key tables: on a distributed engine, first the key's shard, then the
     * person's */
    [S_PERSON_BY_NATIONAL_ID] = PG_SELECT_PERSON "WHERE serial = (SELECT serial FROM "
                                                 "person_national_ids WHERE national_id = $2 AND "
                                                 "country = $1)",
    [S_PERSON_BY_DEDUP_KEY] =
        PG_SELECT_PERSON "WHERE serial = (SELECT serial FROM person_dedup_keys WHERE dedup_hash "
                         "= $1)",
    [S_PERSON_COUNT] = "SELECT count(*) FROM persons",
    [S_MEMBERS] = PG_SELECT_PERSON "WHERE household = $1 ORDER BY serial",
    [S_HOUSEHOLD_INSERT] = "INSERT INTO households (id, country, admin1, admin2) VALUES ($1, $2, "
                           "$3, $4) ON CONFLICT (id) DO NOTHING",
    /* $1..$4 arrays of ids, countries, admin1 and admin2 */
    [S_HOUSEHOLDS_INSERT] = "INSERT INTO households (id, country, admin1, admin2) SELECT * FROM "
                            "unnest($1::text[], $2::text[], $3::text[], $4::text[]) ON CONFLICT "
                            "(id) DO NOTHING",
    /* a correction: $1..$30 the columns, $31 the serial; then the keys again (0002) */
    [S_PERSON_UPDATE] =
        "UPDATE persons SET (" PERSON_ROW_COLUMNS ") = ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
        "$11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, "
        "$28, $29, $30) WHERE serial = $31",
    [S_KEYS_DELETE] = "WITH d AS (DELETE FROM person_dedup_keys WHERE serial = $1) DELETE FROM "
                      "person_national_ids WHERE serial = $1",
    [S_KEYS_INSERT] = "WITH p AS (SELECT serial, country, national_id, dedup_hash FROM persons "
                      "WHERE serial = $1), k AS (INSERT INTO person_dedup_keys (dedup_hash, "
                      "serial) SELECT dedup_hash, serial FROM p) INSERT INTO person_national_ids "
                      "(national_id, country, serial) SELECT national_id, country, serial FROM p "
                      "WHERE national_id IS NOT NULL",
    [S_CHANGE_ADD] = "INSERT INTO person_changes (serial, version, field, old_value, new_value, "
                     "changed_at, actor, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    [S_CHANGE_LAST] = "SELECT coalesce(max(version), 0) FROM person_changes WHERE serial = $1",
    [S_CHANGES] = "SELECT version, field, old_value, new_value, changed_at, actor, reason FROM "
                  "person_changes WHERE serial = $1 ORDER BY version, field",
    [S_MARK_SET] = "INSERT INTO person_marks (serial, kind, on_date, merged_into) VALUES ($1, $2, "
                   "$3, $4) ON CONFLICT DO NOTHING",
    [S_MARK_GET] = "SELECT kind, on_date, merged_into FROM person_marks WHERE serial = $1",
    [S_HOUSEHOLD_DELETE] = "DELETE FROM households WHERE id = $1",
    [S_HOUSEHOLD_GET] = "SELECT id, country, admin1, admin2 FROM households WHERE id = $1",
    /* $1 country or NULL, $2 limit */
    [S_SEARCH_ALL] =
        PG_SELECT_PERSON "WHERE $1::text IS NULL OR country = $1::text ORDER BY serial LIMIT $2",
    /* $1 the text, $2 an ILIKE pattern for it (backslash escapes), $3 country or NULL, $4 limit */
    [S_SEARCH_SCAN] = PG_SELECT_PERSON
    "WHERE ($3::text IS NULL OR country = $3::text) AND (given_name || ' ' || family_name ILIKE "
    "$2 OR family_name || ' ' || given_name ILIKE $2 OR national_id ILIKE $2 OR id ILIKE $2 OR "
    "phone ILIKE $2) ORDER BY CASE WHEN id = $1 OR national_id = $1 OR phone = $1 THEN 0 ELSE 1 "
    "END, serial LIMIT $4",
    /* tables, views and sequences in the connection's current schema */
    [S_TABLES] = "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON "
                 "n.oid = c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN "
                 "('r', 'p', 'v', 'm', 'f', 'S')",
    /* what spfloor never creates and that would run code or show other data: triggers on
     * writes (not the internal ones of foreign keys, nor a TRUNCATE trigger such as Citus
     * adds), rules, and views */
    [S_CODE_OBJECTS] =
        "SELECT (SELECT count(*) FROM pg_catalog.pg_trigger t JOIN pg_catalog.pg_class c ON c.oid "
        "= t.tgrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = "
        "current_schema() AND NOT t.tgisinternal AND (t.tgtype & 28) <> 0) + (SELECT count(*) "
        "FROM pg_catalog.pg_rewrite r JOIN pg_catalog.pg_class c ON c.oid = r.ev_class JOIN "
        "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
        "AND c.relkind IN ('r', 'p')) + (SELECT count(*) FROM pg_catalog.pg_class c JOIN "
        "pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
        "AND c.relkind IN ('v', 'm'))",
    [S_HAS_MIGRATIONS] = "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace "
                         "n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() AND "
                         "c.relname = '" MIGRATIONS_TABLE "' AND c.relkind = 'r'",
    [S_MIGRATION_APPLIED] = "SELECT count(*) FROM " MIGRATIONS_TABLE " WHERE name = $1",
    [S_MIGRATION_COUNT] = "SELECT count(*) FROM " MIGRATIONS_TABLE,
    [S_MIGRATION_RECORD] = "INSERT INTO " MIGRATIONS_TABLE " (name, applied_at) VALUES ($1, now())",
    [S_MIGRATION_LOCK] = "SELECT pg_advisory_xact_lock($1::bigint)",
    [S_OVERLAY_GET] = "SELECT body FROM default_overlay WHERE slot = 1",
    [S_OVERLAY_DELETE] = "DELETE FROM default_overlay WHERE slot = 1",
    [S_OVERLAY_INSERT] = "INSERT INTO default_overlay (slot, overlay_id, body) VALUES (1, $1, $2)",
    [S_EVENT_ADD] = "INSERT INTO person_events (" EVENT_ROW_COLUMNS ") VALUES ($1, $2, $3, $4, "
                    "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14) ON CONFLICT DO NOTHING",
    [S_EVENT_LAST] = "SELECT coalesce(max(seq), 0) FROM person_events WHERE serial = $1",
    [S_EVENTS] = "SELECT " EVENT_ROW_COLUMNS " FROM person_events WHERE serial BETWEEN $1 AND $2 "
                 "ORDER BY serial, on_date, seq",
    [S_MARKS] = "SELECT serial, kind, on_date, merged_into FROM person_marks WHERE serial BETWEEN "
                "$1 AND $2 ORDER BY serial",
    [S_EVENTS_OF] = "SELECT " EVENT_ROW_COLUMNS " FROM person_events WHERE serial = ANY "
                    "($1::bigint[]) ORDER BY serial, on_date, seq",
    [S_EVENT_HOLDERS] = "SELECT DISTINCT serial FROM person_events ORDER BY serial",
    [S_MARK_HOLDERS] = "SELECT serial FROM person_marks ORDER BY serial",
    [S_MARKS_OF] = "SELECT serial, kind, on_date, merged_into FROM person_marks WHERE serial = ANY "
                   "($1::bigint[]) ORDER BY serial",
    /* $1 serials, $2 texts, as array literals */
    [S_SEARCH_PUT] = "INSERT INTO person_search (serial, body) SELECT * FROM unnest($1::bigint[], "
                     "$2::text[]) ON CONFLICT (serial) DO UPDATE SET body = excluded.body",
    [S_SEARCH_STALE] = "SELECT coalesce((SELECT value FROM counters WHERE name = "
                       "'search_stale'), 0)",
    [S_SEARCH_FRESH] = "UPDATE counters SET value = 0 WHERE name = 'search_stale'",
    [S_ENROLMENT_ADD] = "INSERT INTO enrolments (serial, scheme, from_date, to_date, state, "
                        "state_since, reason, override_reason, actor, recorded_at) VALUES ($1, "
                        "$2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
    [S_ENROLMENTS_OF] = "SELECT " ENROLMENT_COLUMNS " FROM enrolments WHERE serial = $1 "
                        "ORDER BY serial, scheme, from_date",
    [S_ENROLMENTS_ALL] = "SELECT " ENROLMENT_COLUMNS " FROM enrolments "
                         "ORDER BY serial, scheme, from_date",
    [S_ENROLMENT_STATE] = "UPDATE enrolments SET state = $3, state_since = $4, to_date = $5, "
                          "reason = $6, actor = $7, recorded_at = $8 WHERE serial = $1 AND "
                          "scheme = $2 AND state <> 'ended'",
    [S_AUDIT_LAST] = "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq DESC LIMIT 1",
    [S_AUDIT_ADD] = "INSERT INTO audit_log (" AUDIT_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6, $7)",
    [S_AUDIT_ALL] = "SELECT " AUDIT_COLUMNS " FROM audit_log ORDER BY seq",
    [S_AUDIT_OF] = "SELECT " AUDIT_COLUMNS " FROM audit_log WHERE object = $1 ORDER BY seq",
    [S_CONTRIBUTION_LAST] = "SELECT coalesce(max(entry), 0) FROM contributions",
    [S_CONTRIBUTIONS] = "SELECT " CONTRIBUTION_COLUMNS " FROM contributions WHERE serial BETWEEN "
                        "$1 AND $2 ORDER BY serial, entry",
    [S_CONTRIBUTIONS_OF] = "SELECT " CONTRIBUTION_COLUMNS " FROM contributions WHERE serial = ANY "
                           "($1::bigint[]) ORDER BY serial, entry",
    [S_CONTRIBUTORS] = "SELECT DISTINCT serial FROM contributions ORDER BY serial",
    [S_COUNTER_NEXT] = "UPDATE counters SET value = value + 1 WHERE name = $1 RETURNING value",
    [S_CLAIM_INSERT] =
        "INSERT INTO claims (" CLAIM_COLUMNS
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
    [S_CLAIM_UPDATE] =
        "UPDATE claims SET (scheme, event_type, event_date, state, decision, "
        "amount, currency, per, days, paid, fields, explanation, missing, "
        "filed_at, actor) = ($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) "
        "WHERE serial = $1 AND id = $2",
    [S_CLAIMS_OF] = "SELECT " CLAIM_COLUMNS " FROM claims WHERE serial = $1 ORDER BY id",
    [S_CLAIM_BY_ID] = "SELECT " CLAIM_COLUMNS " FROM claims WHERE id = $1",
    [S_CLAIMS_ALL] = "SELECT " CLAIM_COLUMNS " FROM claims ORDER BY id",
    [S_CLAIM_STEP_ADD] = "INSERT INTO claim_steps (" CLAIM_STEP_COLUMNS
                         ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    [S_CLAIM_STEPS] = "SELECT " CLAIM_STEP_COLUMNS " FROM claim_steps WHERE serial = $1 AND "
                      "claim_id = $2 ORDER BY seq",
    [S_EVIDENCE_ADD] =
        "INSERT INTO claim_evidence (" CLAIM_EVIDENCE_COLUMNS ") VALUES ($1, $2, $3, $4, $5, $6)",
    [S_EVIDENCE_OF] = "SELECT " CLAIM_EVIDENCE_COLUMNS " FROM claim_evidence WHERE serial = $1 "
                      "AND claim_id = $2 ORDER BY added_at, file_name",
    [S_GRIEVANCE_INSERT] = "INSERT INTO grievances (" GRIEVANCE_COLUMNS
                           ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    [S_GRIEVANCE_UPDATE] =
        "UPDATE grievances SET (about, ref, body, state, level, opened_on, "
        "level_since, deadline, resolved_on, resolution, opened_at, actor) = "
        "($3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) WHERE serial = $1 AND id = $2",
    [S_GRIEVANCES_OF] =
        "SELECT " GRIEVANCE_COLUMNS " FROM grievances WHERE serial = $1 ORDER BY id",
    [S_GRIEVANCE_BY_ID] = "SELECT " GRIEVANCE_COLUMNS " FROM grievances WHERE id = $1",
    [S_GRIEVANCES_ALL] = "SELECT " GRIEVANCE_COLUMNS " FROM grievances ORDER BY id",
    [S_GRIEVANCES_OPEN] = "SELECT " GRIEVANCE_COLUMNS " FROM grievances WHERE state = 'open' "
                          "ORDER BY deadline, id",
    [S_GRIEVANCE_STEP_ADD] = "INSERT INTO grievance_steps (" GRIEVANCE_STEP_COLUMNS ") VALUES "
                             "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    [S_GRIEVANCE_STEPS] = "SELECT " GRIEVANCE_STEP_COLUMNS " FROM grievance_steps WHERE serial = "
                          "$1 AND grievance_id = $2 ORDER BY seq",
    [S_PAYMENT_BATCH_ADD] = "INSERT INTO payment_batches (" PAYMENT_BATCH_COLUMNS ") VALUES ("
                            "$1, $2, $3, $4, $5, $6, $7, $8)",
    [S_PAYMENT_BATCHES] = "SELECT " PAYMENT_BATCH_COLUMNS " FROM payment_batches ORDER BY id",
    [S_PAYMENT_BATCH_EXPORTED] = "UPDATE payment_batches SET exported_at = CASE WHEN exported_at "
                                 "= '' THEN $2 ELSE exported_at END WHERE id = $1",
    [S_PAYMENTS_EXPORTED] = "UPDATE payments SET state = 'exported', exported_on = $2 WHERE "
                            "batch = $1 AND state = 'created'",
    [S_PAYMENT_ADD] = "INSERT INTO payments (" PAYMENT_COLUMNS
                      ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, "
                      "$11, $12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT DO NOTHING",
    [S_PAYMENTS_ADD] =
        "INSERT INTO payments (" PAYMENT_COLUMNS ") SELECT * FROM unnest($1::bigint[], "
        "$2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::text[], $8::text[], "
        "$9::text[], $10::text[], $11::text[], $12::text[], $13::text[], $14::text[], "
        "$15::text[], $16::text[], $17::text[], $18::text[], $19::text[]) ON CONFLICT DO "
        "NOTHING RETURNING serial, id",
    [S_PAYMENTS] =
        "SELECT " PAYMENT_COLUMNS " FROM payments WHERE ($1::text IS NULL OR batch = $1) "
        "AND ($2::bigint = 0 OR serial = $2::bigint) ORDER BY batch, id",
    [S_PAYMENT_STATE] = "UPDATE payments SET state = $3, created_on = $4, exported_on = $5, "
                        "accepted_on = $6, rejected_on = $7, settled_on = $8, "
                        "cancelled_on = $9, status_reason = $10 WHERE serial = $1 AND id = $2",
    [S_USER_GET] = "SELECT name, role, admin1, admin2, person, password, created_at FROM users "
                   "WHERE name = $1",
    [S_USER_PUT] = "INSERT INTO users (name, role, admin1, admin2, person, password, created_at) "
                   "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (name) DO UPDATE SET "
                   "role = excluded.role, admin1 = excluded.admin1, admin2 = excluded.admin2, "
                   "person = excluded.person, password = excluded.password",
    [S_TOKEN_PUT] = "INSERT INTO user_tokens (hash, user_name, kind, csrf, created_at, seen_at) "
                    "VALUES ($1, $2, $3, $4, $5, $6)",
    [S_TOKEN_GET] = "SELECT hash, user_name, kind, csrf, created_at, seen_at FROM user_tokens "
                    "WHERE hash = $1",
    [S_TOKEN_TOUCH] = "UPDATE user_tokens SET seen_at = $2 WHERE hash = $1",
    [S_TOKEN_DELETE] = "DELETE FROM user_tokens WHERE hash = $1",
    [S_TOKENS_DELETE_OF] = "DELETE FROM user_tokens WHERE user_name = $1",
    [S_REPLY_GET] = "SELECT request, status, created_at, body FROM idempotent_replies "
                    "WHERE user_name = $1 AND idem_key = $2",
    [S_REPLY_PUT] = "INSERT INTO idempotent_replies (user_name, idem_key, request, status, body, "
                    "created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
    [S_ORGANISATION_PUT] = "INSERT INTO organisations (name, network) VALUES ($1, $2) ON CONFLICT "
                           "(name) DO UPDATE SET network = excluded.network WHERE "
                           "excluded.network <> ''",
    [S_OUTREACH_ADD] = "INSERT INTO outreach_activities (" OUTREACH_COLUMNS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    [S_PARTICIPANT_ADD] = "INSERT INTO outreach_participants (" PARTICIPANT_COLUMNS
                          ") VALUES ($1, $2, $3, $4, $5, $6)",
    [S_OUTREACH_ALL] = "SELECT a.id, a.org, a.type, a.on_date, a.country, a.area, a.note, a.actor, "
                       "a.recorded_at, coalesce(o.network, '') FROM outreach_activities a LEFT "
                       "JOIN organisations o ON o.name = a.org ORDER BY a.id",
    [S_PARTICIPANTS_ALL] = "SELECT activity, seq, coalesce(serial, 0), sex, youth, count FROM "
                           "outreach_participants ORDER BY activity, seq",
    [S_ADVOCACY_ADD] = "INSERT INTO advocacy (" ADVOCACY_COLUMNS
                       ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    [S_ADVOCACY_ALL] = "SELECT " ADVOCACY_COLUMNS " FROM advocacy ORDER BY id",
    [S_SHOCK_ADD] = "INSERT INTO shocks (" SHOCK_COLUMNS
                    ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    [S_SHOCKS_ALL] = "SELECT " SHOCK_COLUMNS " FROM shocks ORDER BY id",
    [S_CASE_ADD] = "INSERT INTO outreach_cases (" CASE_COLUMNS
                   ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, "
                   "$16, $17)",
    [S_CASE_UPDATE] = "UPDATE outreach_cases SET outcome = $2, decided = $3, recovered = $4, "
                      "currency = $5, note = $6, actor = $7, recorded_at = $8 WHERE id = $1",
    [S_CASES_ALL] =
        "SELECT id, org, kind, coalesce(activity, 0), coalesce(serial, 0), sex, youth, country, "
        "area, opened, outcome, decided, recovered, currency, note, actor, recorded_at FROM "
        "outreach_cases ORDER BY id",
};

/* Copies a server or libpq message into out as one line, without its trailing newlines. */
static void copy_message(char *out, size_t size, const char *message)
{
    text_copy(out, size, message != NULL && message[0] != '\0' ? message : "unknown error");
    for (char *c = out; *c; c++)
        if (*c == '\n' || *c == '\t')
            *c = ' ';
    for (size_t n = strlen(out); n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' '); n--)
        out[n - 1] = '\0';
}

/*
 * Records a failure as an sp_status: a unique violation (SQLSTATE 23505) is SP_CONFLICT with
 * the server's message; a serialization failure (40001) or deadlock (40P01) is SP_IO saying to
 * try again; anything else is SP_IO naming the location and what was being done. res may be
 * NULL (the connection's own message is used).
 */
int pg_error(struct pg_store *s, const PGresult *res, const char *doing, struct error *err)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *primary = res != NULL ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    char message[MESSAGE_MAX];
    copy_message(message, sizeof message, primary != NULL ? primary : PQerrorMessage(s->conn));
    if (state != NULL && strcmp(state, "23505") == 0)
        return error_set(err, SP_CONFLICT, "%s", message);
    s->retryable = state != NULL && (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0);
    if (s->retryable)
        return error_set(err, SP_IO,
                         "%s: %s: another connection changed the same records at the same time "
                         "(%s): nothing of this transaction was stored: try again",
                         s->location, doing, message);
    if (state != NULL && strcmp(state, "25006") == 0)
        return error_set(err, SP_IO, "%s: %s: the store is open read-only", s->location, doing);
    return error_set(err, SP_IO, "%s: %s: %s", s->location, doing, message);
}

/* Prepares `which` on the connection once. */
static int prepare(struct pg_store *s, enum pg_statement which, const char *doing,
                   struct error *err)
{
    if (s->ready[which])
        return SP_OK;
    char name[16];
    snprintf(name, sizeof name, "s%d", (int)which);
    PGresult *res = PQprepare(s->conn, name, statement_sql[which], 0, NULL);
    int rc = SP_OK;
    if (res == NULL || PQresultStatus(res) != PGRES_COMMAND_OK)
        rc = pg_error(s, res, doing, err);
    PQclear(res);
    if (rc == SP_OK)
        s->ready[which] = 1;
    return rc;
}

/*
 * Runs the prepared statement `which` with n text parameters (NULL: SQL NULL). Returns its
 * result, which the caller frees with PQclear, or NULL with err set.
 */
PGresult *pg_run(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                 const char *doing, struct error *err)
{
    if (prepare(s, which, doing, err) != SP_OK)
        return NULL;
    char name[16];
    snprintf(name, sizeof name, "s%d", (int)which);
    PGresult *res = PQexecPrepared(s->conn, name, n, values, NULL, NULL, 0);
    ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return res;
    pg_error(s, res, doing, err);
    PQclear(res);
    return NULL;
}

/* Runs `which`, which returns one integer, into *out (0 on failure). */
int pg_read_int64(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                  int64_t *out, const char *doing, struct error *err)
{
    *out = 0;
    PGresult *res = pg_run(s, which, n, values, doing, err);
    if (res == NULL)
        return SP_IO;
    int rc = SP_OK;
    if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0))
        rc =
            error_set(err, SP_IO, "%s: %s: the registry's records are missing", s->location, doing);
    else
        *out = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return rc;
}

int pg_read_int64_of(struct pg_store *s, enum pg_statement which, int64_t serial, int64_t *out,
                     const char *doing, struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *values[] = {serial_text};
    return pg_read_int64(s, which, 1, values, out, doing, err);
}

int pg_serials_each(struct pg_store *s, enum pg_statement which,
                    int (*visit)(void *ctx, int64_t serial), void *ctx, const char *doing,
                    struct error *err)
{
    PGresult *res = pg_run(s, which, 0, NULL, doing, err);
    if (res == NULL)
        return SP_IO;
    int stop = 0;
    for (int i = 0; stop == 0 && i < PQntuples(res); i++)
        stop = visit(ctx, strtoll(PQgetvalue(res, i, 0), NULL, 10));
    PQclear(res);
    return stop;
}

int pg_run_none(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                const char *doing, struct error *err)
{
    PGresult *res = pg_run(s, which, n, values, doing, err);
    if (res == NULL)
        return SP_IO;
    PQclear(res);
    return SP_OK;
}

int pg_run_changed(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                   const char *doing, int *changed, struct error *err)
{
    *changed = 0;
    PGresult *res = pg_run(s, which, n, values, doing, err);
    if (res == NULL)
        return SP_IO;
    *changed = strcmp(PQcmdTuples(res), "0") != 0;
    PQclear(res);
    return SP_OK;
}

/* Sends constant SQL (no values in it) as a simple query. */
int pg_exec(struct pg_store *s, const char *sql, const char *doing, struct error *err)
{
    PGresult *res = PQexec(s->conn, sql);
    ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = SP_OK;
    if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
        rc = pg_error(s, res, doing, err);
    PQclear(res);
    return rc;
}

/* ---- opening and migrating ---- */

/*
 * A copy of location for messages, with the password of "scheme://user:password@host" and of
 * a "password=" parameter masked. NULL when out of memory.
 */
static char *masked_location(const char *location)
{
    char *out = sp_strdup(location);
    if (out == NULL)
        return NULL;
    char *start = strstr(out, "://");
    if (start != NULL) {
        start += 3;
        size_t authority = strcspn(start, "/?");
        char *at = memchr(start, '@', authority);
        char *colon = at != NULL ? memchr(start, ':', (size_t)(at - start)) : NULL;
        if (colon != NULL)
            for (char *c = colon + 1; c < at; c++)
                *c = '*';
    }
    for (char *p = strstr(out, "password="); p != NULL; p = strstr(p, "password=")) {
        p += strlen("password=");
        for (; *p != '\0' && *p != '&' && *p != ' '; p++)
            *p = '*';
    }
    return out;
}

/* libpq prints the server's notices on stderr by default; a library layer never prints. */
static void ignore_notice(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

/* 1 if the migration `name` is recorded as applied, 0 if not, -1 on error (err set). */
static int migration_applied(void *handle, const char *name, struct error *err)
{
    struct pg_store *s = handle;
    int64_t n = 0;
    const char *values[] = {name};
    if (pg_read_int64(s, S_MIGRATION_APPLIED, 1, values, &n, "reading the schema version", err) !=
        SP_OK)
        return -1;
    return n > 0;
}

/* Runs migration m (SQL compiled into spfloor) and records it (schema_migrations.apply). */
static int apply_migration(void *handle, const struct embedded_file *m, struct error *err)
{
    struct pg_store *s = handle;
    char doing[128];
    snprintf(doing, sizeof doing, "applying migration %s", m->name);
    if (pg_exec(s, m->contents, doing, err) != SP_OK)
        return SP_IO;
    const char *name[] = {m->name};
    return pg_run_none(s, S_MIGRATION_RECORD, 1, name, doing, err);
}

/* This driver's migrations, for schema_count_pending and schema_apply_pending. */
static struct schema_migrations migrations_of(struct pg_store *s)
{
    struct schema_migrations m = {migrations_postgres_embedded, migrations_postgres_embedded_count,
                                  s, migration_applied, apply_migration};
    return m;
}

/*
 * Checks that the schema is a registry spfloor may open as `mode` says: empty (STORE_CREATE
 * only), or with a migrations record that is not from a newer spfloor, and in STORE_READ_ONLY
 * with no migration pending. *pending is the number of migrations to apply (all of them when
 * the schema is empty).
 */
static int check_schema(struct pg_store *s, enum store_mode mode, int *pending, struct error *err)
{
    int64_t has_migrations = 0;
    struct schema_facts f = {0, 0, 0, migrations_postgres_embedded_count,
                             migrations_postgres_embedded_count};
    int64_t code_objects = 0;
    int rc = pg_read_int64(s, S_TABLES, 0, NULL, &f.objects, "reading the schema", err);
    if (rc == SP_OK && f.objects > 0)
        rc = pg_read_int64(s, S_CODE_OBJECTS, 0, NULL, &code_objects, "reading the schema", err);
    if (rc == SP_OK && code_objects > 0)
        return error_set(err, SP_IO,
                         "%s: the schema holds %lld trigger(s), rule(s) or view(s), which spfloor "
                         "never creates: it was changed outside spfloor and is not opened",
                         s->location, (long long)code_objects);
    if (rc == SP_OK && f.objects > 0)
        rc =
            pg_read_int64(s, S_HAS_MIGRATIONS, 0, NULL, &has_migrations, "reading the schema", err);
    f.has_migrations = has_migrations > 0;
    if (rc == SP_OK && f.has_migrations)
        rc = pg_read_int64(s, S_MIGRATION_COUNT, 0, NULL, &f.recorded, "reading the schema version",
                           err);
    struct schema_migrations m = migrations_of(s);
    if (rc == SP_OK && f.has_migrations)
        rc = schema_count_pending(&m, &f.pending, err);
    *pending = f.pending;
    if (rc != SP_OK)
        return rc;
    return schema_check(s->location, "database", "URL", mode, &f, err);
}

/*
 * Applies the pending migrations in one transaction holding the migration lock, so that of two
 * processes starting at once the second waits and then finds nothing left to do.
 */
static int migrate(struct pg_store *s, struct error *err)
{
    if (pg_exec(s, "BEGIN ISOLATION LEVEL READ COMMITTED", "starting the schema migration", err) !=
        SP_OK)
        return SP_IO;
    const char *key[] = {MIGRATION_LOCK};
    PGresult *res = pg_run(s, S_MIGRATION_LOCK, 1, key, "waiting for the schema migration", err);
    int rc = res != NULL ? SP_OK : SP_IO;
    PQclear(res);
    if (rc == SP_OK)
        rc = pg_exec(s,
                     "CREATE TABLE IF NOT EXISTS " MIGRATIONS_TABLE
                     " (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL)",
                     "creating the migrations table", err);
    struct schema_migrations m = migrations_of(s);
    if (rc == SP_OK)
        rc = schema_apply_pending(&m, err);
    if (rc == SP_OK)
        rc = pg_exec(s, "COMMIT", "committing the schema migration", err);
    if (rc != SP_OK)
        pg_exec(s, "ROLLBACK", "rolling back", NULL);
    return rc;
}

static void postgres_close(void *handle)
{
    struct pg_store *s = handle;
    if (s == NULL)
        return;
    if (s->conn != NULL && s->in_transaction)
        pg_exec(s, "ROLLBACK", "rolling back", NULL);
    PQfinish(s->conn);
    sp_free(s->location);
    sp_free(s);
}

/* Connects and sets the session up: UTF-8, ISO dates, and read-only when asked. */
static int connect(struct pg_store *s, const char *location, enum store_mode mode,
                   struct error *err)
{
    s->conn = PQconnectdb(location);
    if (s->conn == NULL)
        return error_nomem(err);
    if (PQstatus(s->conn) != CONNECTION_OK) {
        char message[MESSAGE_MAX];
        copy_message(message, sizeof message, PQerrorMessage(s->conn));
        return error_set(err, SP_IO, "%s: cannot connect to the database: %s", s->location,
                         message);
    }
    PQsetNoticeProcessor(s->conn, ignore_notice, NULL);
    if (PQsetClientEncoding(s->conn, "UTF8") != 0)
        return pg_error(s, NULL, "setting up the connection", err);
    const char *settings = mode == STORE_READ_ONLY
                               ? "SET DateStyle = ISO, YMD; SET SESSION CHARACTERISTICS AS "
                                 "TRANSACTION READ ONLY"
                               : "SET DateStyle = ISO, YMD";
    return pg_exec(s, settings, "setting up the connection", err);
}

static int postgres_open(const char *location, enum store_mode mode, void **out, struct error *err)
{
    *out = NULL;
    struct pg_store *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->location = masked_location(location);
    if (s->location == NULL) {
        sp_free(s);
        return error_nomem(err);
    }
    int pending = 0;
    int rc = connect(s, location, mode, err);
    if (rc == SP_OK)
        rc = check_schema(s, mode, &pending, err);
    if (rc == SP_OK && mode != STORE_READ_ONLY && pending > 0)
        rc = migrate(s, err);
    if (rc != SP_OK) {
        postgres_close(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

/* ---- transactions ---- */

static int postgres_begin(void *handle, struct error *err)
{
    struct pg_store *s = handle;
    if (s->in_transaction)
        return error_set(err, SP_IO, "%s: a transaction is already open", s->location);
    if (s->walking)
        return error_set(err, SP_IO, "%s: a write cannot begin while persons are being read",
                         s->location);
    s->retryable = 0;
    if (pg_exec(s, "BEGIN ISOLATION LEVEL SERIALIZABLE", "starting a transaction", err) != SP_OK)
        return SP_IO;
    s->in_transaction = 1;
    return SP_OK;
}

static void postgres_rollback(void *handle)
{
    struct pg_store *s = handle;
    if (!s->in_transaction)
        return;
    pg_exec(s, "ROLLBACK", "rolling back", NULL);
    s->in_transaction = 0;
}

/* COMMIT of a transaction that failed earlier "succeeds" as ROLLBACK: that is a failure. */
static int postgres_commit(void *handle, struct error *err)
{
    struct pg_store *s = handle;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "%s: no transaction to commit", s->location);
    PGresult *res = PQexec(s->conn, "COMMIT");
    ExecStatusType status = res != NULL ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    int rc = SP_OK;
    if (status != PGRES_COMMAND_OK)
        rc = pg_error(s, res, "committing", err);
    else if (strcmp(PQcmdStatus(res), "COMMIT") != 0)
        rc = error_set(err, SP_IO,
                       "%s: committing: a statement of the transaction had failed, so the "
                       "server rolled it back: nothing of it was stored",
                       s->location);
    PQclear(res);
    /* whatever happened, the server has ended the transaction */
    s->in_transaction = 0;
    return rc;
}

/*
 * A walk reads page after page: they must all see one state of the registry, as SQLite's one
 * statement does. Inside the caller's transaction they do; outside one, the outermost walk
 * opens a read-only REPEATABLE READ transaction of its own, ended by pg_walk_end.
 */
int pg_walk_begin(struct pg_store *s, struct error *err)
{
    if (s->walking == 0) {
        s->walk_snapshot = !s->in_transaction;
        if (s->walk_snapshot && pg_exec(s, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
                                        "starting a read of many persons", err) != SP_OK)
            return SP_IO;
    }
    s->walking++;
    return SP_OK;
}

void pg_walk_end(struct pg_store *s)
{
    if (--s->walking == 0)
        s->walk_household.id[0] = '\0';
    if (s->walking == 0 && s->walk_snapshot) {
        pg_exec(s, "COMMIT", "ending a read of many persons", NULL);
        s->walk_snapshot = 0;
    }
}

static int postgres_serial_get(void *handle, int64_t *out, struct error *err)
{
    return pg_read_int64(handle, S_SERIAL_GET, 0, NULL, out, "reading the worker serial", err);
}

static int postgres_serial_set(void *handle, int64_t serial, struct error *err)
{
    struct pg_store *s = handle;
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)serial);
    const char *values[] = {text};
    PGresult *res = pg_run(s, S_SERIAL_SET, 1, values, "saving the worker serial", err);
    int rc = res != NULL ? SP_OK : SP_IO;
    PQclear(res);
    return rc;
}

static int postgres_retryable(void *handle)
{
    const struct pg_store *s = handle;
    return s->retryable;
}

static int postgres_overlay_get(void *handle, struct buf *out, int *found, struct error *err)
{
    struct pg_store *s = handle;
    *found = 0;
    PGresult *res = pg_run(s, S_OVERLAY_GET, 0, NULL, "reading the default overlay", err);
    if (res == NULL)
        return SP_IO;
    int rc = SP_OK;
    if (PQntuples(res) > 0) {
        rc = buf_append(out, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0), err);
        *found = 1;
    }
    PQclear(res);
    return rc;
}

static int postgres_overlay_put(void *handle, const char *id, const char *text, struct error *err)
{
    struct pg_store *s = handle;
    PGresult *res = pg_run(s, S_OVERLAY_DELETE, 0, NULL, "removing the default overlay", err);
    if (res == NULL)
        return SP_IO;
    PQclear(res);
    if (text == NULL)
        return SP_OK;
    const char *values[] = {id, text};
    res = pg_run(s, S_OVERLAY_INSERT, 2, values, "storing the default overlay", err);
    if (res == NULL)
        return SP_IO;
    PQclear(res);
    return SP_OK;
}

const struct store_driver store_postgres_driver = {
    .version = STORE_DRIVER_VERSION,
    .name = "postgres",
    .open = postgres_open,
    .close = postgres_close,
    .begin = postgres_begin,
    .commit = postgres_commit,
    .rollback = postgres_rollback,
    .serial_get = postgres_serial_get,
    .serial_set = postgres_serial_set,
    .person_insert = postgres_person_insert,
    .household_insert = postgres_household_insert,
    .household_delete = postgres_household_delete,
    .person_by_serial = postgres_person_by_serial,
    .person_by_national_id = postgres_person_by_national_id,
    .person_by_dedup_key = postgres_person_by_dedup_key,
    .person_search = postgres_person_search,
    .person_list = postgres_person_list,
    .person_each = postgres_person_each,
    .person_each_by_household = postgres_person_each_by_household,
    .household_members = postgres_household_members,
    .person_count = postgres_person_count,
    .household_get = postgres_household_get,
    /* no data version, no import sessions: the front does without them */
    .retryable = postgres_retryable,
    .person_insert_many = postgres_person_insert_many,
    .person_update = postgres_person_update,
    .person_change_add = postgres_person_change_add,
    .person_change_last = postgres_person_change_last,
    .person_changes_each = postgres_person_changes_each,
    .person_mark_set = postgres_person_mark_set,
    .person_mark_get = postgres_person_mark_get,
    .overlay_get = postgres_overlay_get,
    .overlay_put = postgres_overlay_put,
    .event_add = postgres_event_add,
    .event_last = postgres_event_last,
    .events_each = postgres_events_each,
    .marks_each = postgres_marks_each,
    .events_of = postgres_events_of,
    .marks_of = postgres_marks_of,
    .holders_each = postgres_holders_each,
    .search_put = postgres_search_put,
    .search_find = postgres_search_find,
    .search_stale = postgres_search_stale,
    .search_fresh = postgres_search_fresh,
    .enrolment_add = postgres_enrolment_add,
    .enrolments_each = postgres_enrolments_each,
    .enrolment_state_set = postgres_enrolment_state_set,
    .audit_last = postgres_audit_last,
    .audit_add = postgres_audit_add,
    .audit_each = postgres_audit_each,
    .contribution_last = postgres_contribution_last,
    .contributions_add = postgres_contributions_add,
    .contributions_each = postgres_contributions_each,
    .contributions_of = postgres_contributions_of,
    .contributors_each = postgres_contributors_each,
    .counter_next = postgres_counter_next,
    .claim_put = postgres_claim_put,
    .claims_each = postgres_claims_each,
    .claim_step_add = postgres_claim_step_add,
    .claim_steps_each = postgres_claim_steps_each,
    .claim_evidence_add = postgres_claim_evidence_add,
    .claim_evidence_each = postgres_claim_evidence_each,
    .grievance_put = postgres_grievance_put,
    .grievances_each = postgres_grievances_each,
    .grievance_step_add = postgres_grievance_step_add,
    .grievance_steps_each = postgres_grievance_steps_each,
    .payment_batch_add = postgres_payment_batch_add,
    .payment_batches_each = postgres_payment_batches_each,
    .payment_batch_exported = postgres_payment_batch_exported,
    .payment_add = postgres_payment_add,
    .payments_each = postgres_payments_each,
    .payment_state_set = postgres_payment_state_set,
    .user_put = postgres_user_put,
    .user_get = postgres_user_get,
    .token_put = postgres_token_put,
    .token_get = postgres_token_get,
    .token_touch = postgres_token_touch,
    .token_delete = postgres_token_delete,
    .reply_get = postgres_reply_get,
    .reply_put = postgres_reply_put,
    .tokens_delete_of = postgres_tokens_delete_of,
    .organisation_put = postgres_organisation_put,
    .outreach_add = postgres_outreach_add,
    .outreach_each = postgres_outreach_each,
    .advocacy_add = postgres_advocacy_add,
    .advocacy_each = postgres_advocacy_each,
    .shock_add = postgres_shock_add,
    .shocks_each = postgres_shocks_each,
    .case_add = postgres_case_add,
    .case_update = postgres_case_update,
    .cases_each = postgres_cases_each,
    .persons_of = postgres_persons_of,
    .person_each_by_household_reading = postgres_person_each_by_household_reading,
    .payments_add = postgres_payments_add,
};
