-- 0014_outreach.sql: the outreach and advocacy logs of partner organisations (docs/reports.md).
-- An activity is logged once with its participants: registry persons (their serial) or
-- anonymous counts by sex and age group; rows are never changed. Organisations are named once,
-- each with its network. Activity and proposal numbers are handed out from counters.
INSERT INTO counters (name, value) VALUES ('outreach_id', 0);
INSERT INTO counters (name, value) VALUES ('advocacy_id', 0);

CREATE TABLE organisations (
    name    TEXT PRIMARY KEY, -- as the partners write it
    network TEXT NOT NULL     -- the network it belongs to, '' for none
);

CREATE TABLE outreach_activities (
    id          BIGINT PRIMARY KEY, -- from counters.outreach_id
    org         TEXT NOT NULL,      -- organisations.name
    type        TEXT NOT NULL CHECK (type IN ('awareness', 'training', 'legal_aid',
                                              'mobilisation', 'assisted_registration',
                                              'vocational_training', 'health_service')),
    on_date     TEXT NOT NULL,      -- YYYY-MM-DD
    country     TEXT NOT NULL,
    area        TEXT NOT NULL,      -- the district or place
    note        TEXT NOT NULL,
    actor       TEXT NOT NULL,      -- who logged it
    recorded_at TEXT NOT NULL       -- when, UTC
);

CREATE TABLE outreach_participants (
    activity BIGINT NOT NULL, -- outreach_activities.id
    seq      BIGINT NOT NULL, -- its place in the activity's list
    serial   BIGINT,          -- a registry person (persons.serial), or NULL: anonymous
    sex      TEXT NOT NULL,   -- anonymous: female, male, other or ''
    youth    TEXT NOT NULL CHECK (youth IN ('', 'under_35', '35_and_over', 'age_not_given')),
    count    BIGINT NOT NULL CHECK (count >= 1),
    PRIMARY KEY (activity, seq)
);

CREATE TABLE advocacy (
    id            BIGINT PRIMARY KEY, -- from counters.advocacy_id
    title         TEXT NOT NULL,
    country       TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('lobbied', 'approved', 'rejected')),
    on_date       TEXT NOT NULL,
    orgs          TEXT NOT NULL,      -- ';'-joined
    benefit       BIGINT,             -- persons it would benefit; NULL: not given
    benefit_women BIGINT,
    benefit_young BIGINT,
    source        TEXT NOT NULL,      -- the estimate's source
    actor         TEXT NOT NULL,
    recorded_at   TEXT NOT NULL
);
