-- 0011_claims_grievances.sql: claims for event-based benefits and grievances (docs/claims.md,
-- docs/grievances.md). Every row is kept under its person's worker serial (a person's claims
-- and grievances live on the shard of the person). A claim's or a grievance's id is handed out
-- from counters. Every change of state is a new step row: steps are never updated or deleted.
-- Evidence is kept by its SHA-256 and file name only, never its content.
INSERT INTO counters (name, value) VALUES ('claim_id', 0);
INSERT INTO counters (name, value) VALUES ('grievance_id', 0);

CREATE TABLE claims (
    serial      BIGINT NOT NULL, -- the claimant (persons.serial)
    id          BIGINT NOT NULL, -- the claim's number, from counters.claim_id
    scheme      TEXT NOT NULL,   -- the scheme asked to pay
    event_type  TEXT NOT NULL,   -- the life event claimed for
    event_date  TEXT NOT NULL,   -- when it happened, YYYY-MM-DD
    state       TEXT NOT NULL CHECK (state IN ('filed', 'under_review', 'approved', 'rejected',
                                               'paid', 'appealed')),
    decision    TEXT,            -- the rules' decision: eligible, not_eligible, undetermined ...
    amount      BIGINT,          -- the benefit in minor units, NULL without one
    currency    TEXT,
    per         TEXT,            -- day, month, quarter, year, once
    days        BIGINT,          -- days of benefit, NULL when the scheme gives none
    paid        BIGINT,          -- the amount paid, minor units, NULL until paid
    fields      TEXT,            -- facts given with the claim, "k=v" per line
    explanation TEXT,            -- the decision's reasons, one per line
    missing     TEXT,            -- undetermined: the facts to ask for
    filed_at    TEXT NOT NULL,   -- when it was filed, UTC
    actor       TEXT NOT NULL,   -- who filed it
    PRIMARY KEY (serial, id)
);
CREATE INDEX claims_id ON claims (id);

CREATE TABLE claim_steps (
    serial     BIGINT NOT NULL, -- the claimant
    claim_id   BIGINT NOT NULL, -- claims.id
    seq        BIGINT NOT NULL, -- 1, 2 ... per claim
    from_state TEXT,            -- NULL for the filing
    to_state   TEXT NOT NULL,
    on_date    TEXT NOT NULL,   -- the day it took effect
    amount     BIGINT,          -- paid: the amount, minor units
    at         TEXT NOT NULL,   -- when it was recorded, UTC
    actor      TEXT NOT NULL,   -- who
    reason     TEXT,            -- why
    PRIMARY KEY (serial, claim_id, seq)
);

CREATE TABLE claim_evidence (
    serial    BIGINT NOT NULL, -- the claimant
    claim_id  BIGINT NOT NULL, -- claims.id
    sha256    TEXT NOT NULL,   -- the document's SHA-256, lowercase hex
    file_name TEXT NOT NULL,   -- its file name, without its folder
    added_at  TEXT NOT NULL,   -- when, UTC
    actor     TEXT NOT NULL,   -- who attached it
    PRIMARY KEY (serial, claim_id, sha256)
);

CREATE TABLE grievances (
    serial      BIGINT NOT NULL, -- who raised it
    id          BIGINT NOT NULL, -- the grievance's number, from counters.grievance_id
    about       TEXT NOT NULL CHECK (about IN ('claim', 'enrolment', 'payment', 'registration')),
    ref         TEXT,            -- what exactly: a claim's number, a scheme, a payment
    body        TEXT NOT NULL,   -- the complaint
    state       TEXT NOT NULL CHECK (state IN ('open', 'resolved')),
    level       TEXT NOT NULL,   -- the level hearing it: office, district ...
    opened_on   TEXT NOT NULL,   -- the day it was raised
    level_since TEXT NOT NULL,   -- the day it reached its level
    deadline    TEXT NOT NULL,   -- the last day to resolve it at its level
    resolved_on TEXT,            -- resolved: the day
    resolution  TEXT,            -- resolved: how
    opened_at   TEXT NOT NULL,   -- when it was recorded, UTC
    actor       TEXT NOT NULL,   -- who recorded it
    PRIMARY KEY (serial, id)
);
CREATE INDEX grievances_id ON grievances (id);
CREATE INDEX grievances_open ON grievances (deadline) WHERE state = 'open';

CREATE TABLE grievance_steps (
    serial       BIGINT NOT NULL, -- who raised it
    grievance_id BIGINT NOT NULL, -- grievances.id
    seq          BIGINT NOT NULL, -- 1, 2 ... per grievance
    action       TEXT NOT NULL CHECK (action IN ('open', 'escalate', 'resolve')),
    level        TEXT NOT NULL,   -- the level after the step
    on_date      TEXT NOT NULL,   -- the day it took effect
    deadline     TEXT,            -- the deadline after it; NULL once resolved
    at           TEXT NOT NULL,   -- when it was recorded, UTC
    actor        TEXT NOT NULL,   -- who
    reason       TEXT,            -- why
    PRIMARY KEY (serial, grievance_id, seq)
);
