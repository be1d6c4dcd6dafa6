-- 0008_enrolments.sql: registered persons' enrolments in schemes (store_enrolment_add). A
-- person has at most one enrolment in a scheme that is not ended (the partial unique index),
-- so a batch enrolment run twice, or run again after it was killed, enrols nobody twice.
-- Changes of state are kept as corrections too (person_changes, field "enrolment <scheme>").
CREATE TABLE enrolments (
    serial          BIGINT NOT NULL, -- the person (persons.serial)
    scheme          TEXT NOT NULL,   -- the scheme's id
    from_date       TEXT NOT NULL,   -- the first day, YYYY-MM-DD
    to_date         TEXT,            -- ended: the last day
    state           TEXT NOT NULL CHECK (state IN ('active', 'suspended', 'ended')),
    state_since     TEXT NOT NULL,   -- the day the state took effect
    reason          TEXT NOT NULL,   -- why the last change of state
    override_reason TEXT NOT NULL,   -- '' unless enrolled against the rules' decision
    actor           TEXT NOT NULL,   -- who made the last change
    recorded_at     TEXT NOT NULL,   -- when, UTC
    PRIMARY KEY (serial, scheme, from_date)
);
CREATE UNIQUE INDEX enrolments_open ON enrolments (serial, scheme) WHERE state <> 'ended';
