-- 0003_person_changes.sql (PostgreSQL): a correction keeps every earlier value (store_person_update).
--
-- One row per field a correction changed: the person's row in persons holds the facts as they
-- are now, these rows how they came to be. Nothing is ever deleted or rewritten here; the
-- audit log (later) chains these rows by their key. Spread by serial on Citus, beside the
-- person (scripts/citus-layout.sql).
CREATE TABLE person_changes (
    serial     BIGINT NOT NULL,  -- the person (persons.serial)
    version    INTEGER NOT NULL, -- 1 for the person's first correction, then 2, 3 ...
    field      TEXT NOT NULL,    -- the field of the facts vocabulary that changed
    old_value  TEXT,             -- as `person show` writes it; NULL: it was not set
    new_value  TEXT,             -- NULL: it is no longer set
    changed_at TEXT NOT NULL,    -- when, UTC, YYYY-MM-DDTHH:MM:SSZ
    actor      TEXT NOT NULL,    -- who made the correction
    reason     TEXT NOT NULL,    -- why, in the clerk's words
    PRIMARY KEY (serial, version, field)
);
