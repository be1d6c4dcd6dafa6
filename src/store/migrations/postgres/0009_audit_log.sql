-- 0009_audit_log.sql: the audit log (docs/audit.md). Every write appends an entry in its own
-- transaction; each entry's mac chains it to the one before, keyed BLAKE2b with a key kept
-- outside the database (audit/audit.h), so `spfloor audit verify` finds an entry altered,
-- removed or reordered. Nothing updates or deletes a row.
CREATE TABLE audit_log (
    seq    BIGINT PRIMARY KEY, -- 1, 2, 3 ... with no gap
    at     TEXT NOT NULL,      -- when, UTC
    actor  TEXT NOT NULL,      -- who
    action TEXT NOT NULL,      -- what: person.add, person.update, enrolment.add ...
    object TEXT NOT NULL,      -- on what: a worker ID, or the persons of an import
    change TEXT NOT NULL,      -- the digest of what was written
    mac    TEXT NOT NULL       -- the chain's MAC over this entry and the one before
);
CREATE INDEX audit_log_object ON audit_log (object);
