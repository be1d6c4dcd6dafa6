-- citus-layout.sql: spreads an spfloor registry over a Citus cluster (docs/scale-out.md).
--
-- Run it once, on the coordinator, after `spfloor --db postgres://... init` has created the
-- schema and before the first import:
--     psql "postgres://admin@coordinator/registry" -f scripts/citus-layout.sql
-- Every table of src/store/migrations/postgres/ is named below exactly once, as distributed
-- (with its distribution column, which is in its primary key and in every unique index) or as
-- a reference table; tests/cli/scale_out.sh checks that against a migrated schema.

-- Citus refuses a foreign key between distributed tables that are not co-located on the same
-- column: persons are spread by serial and households by id. store.c creates a person's
-- household in the same transaction, before the person, so the rule still holds.
ALTER TABLE persons DROP CONSTRAINT persons_household_fkey;

-- Everything about one person is on the shard of their worker serial.
SELECT create_distributed_table('persons', 'serial');
SELECT create_distributed_table('person_changes', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('person_marks', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('person_events', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('enrolments', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('contributions', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('claims', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('claim_steps', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('claim_evidence', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('grievances', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('grievance_steps', 'serial', colocate_with => 'persons');
SELECT create_distributed_table('payments', 'serial', colocate_with => 'persons');
-- The text index find reads (its pg_trgm index needs the extension on every worker).
SELECT create_distributed_table('person_search', 'serial', colocate_with => 'persons');

-- The two uniqueness rules, each spread by its own key so that one shard decides it.
SELECT create_distributed_table('person_national_ids', 'national_id', colocate_with => 'none');
SELECT create_distributed_table('person_dedup_keys', 'dedup_hash', colocate_with => 'none');

-- A household's record is on the shard of its id.
SELECT create_distributed_table('households', 'id', colocate_with => 'none');

-- Small tables, copied to every node.
SELECT create_reference_table('counters');
SELECT create_reference_table('schema_migrations');
SELECT create_reference_table('default_overlay');
SELECT create_reference_table('audit_log');
SELECT create_reference_table('payment_batches');
-- Who may use the web window, their sessions and the replies kept for Idempotency-Keys.
SELECT create_reference_table('users');
SELECT create_reference_table('user_tokens');
SELECT create_reference_table('idempotent_replies');
SELECT create_reference_table('organisations');
SELECT create_reference_table('outreach_activities');
SELECT create_reference_table('outreach_participants');
SELECT create_reference_table('advocacy');
-- Declared shocks (docs/payroll.md): few rows, read by every payroll run.
SELECT create_reference_table('shocks');
-- Legal-aid and assisted-claim cases (docs/reports.md): few rows, read whole by the reports.
SELECT create_reference_table('outreach_cases');
