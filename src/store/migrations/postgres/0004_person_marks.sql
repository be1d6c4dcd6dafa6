-- 0004_person_marks.sql: nothing is deleted from the registry; a record is marked instead, as
-- the record of a person who died, or as a duplicate merged into the record that survives
-- (store_person_mark). One mark per record; the mark is also kept as a correction
-- (person_changes, field "status"). Spread by serial on Citus, beside the person.
CREATE TABLE person_marks (
    serial      BIGINT PRIMARY KEY, -- the record marked (persons.serial)
    kind        TEXT NOT NULL CHECK (kind IN ('deceased', 'merged')),
    on_date     TEXT,               -- deceased: the day of death, YYYY-MM-DD
    merged_into BIGINT              -- merged: the serial of the record that survives
);
