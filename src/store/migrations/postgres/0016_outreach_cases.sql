-- 0016_outreach_cases.sql: legal-aid and assisted-claim cases followed to their outcome
-- (docs/reports.md "Cases"). A case is opened by an organisation for a registry person (their
-- serial) or an anonymous claimant of a sex and age group, and updated as it goes: pending,
-- then won or lost on a date, with the amount recovered. Every write is audited. Case numbers
-- are handed out from counters.
INSERT INTO counters (name, value) VALUES ('case_id', 0);

CREATE TABLE outreach_cases (
    id           BIGINT PRIMARY KEY, -- from counters.case_id
    org          TEXT NOT NULL,      -- organisations.name: who follows it
    kind         TEXT NOT NULL CHECK (kind IN ('legal_aid', 'assisted_claim')),
    activity     BIGINT,             -- the outreach activity it came from, or NULL
    serial       BIGINT,             -- the claimant (persons.serial), or NULL: anonymous
    sex          TEXT NOT NULL,      -- anonymous: female, male, other or ''
    youth        TEXT NOT NULL CHECK (youth IN ('', 'under_35', '35_and_over', 'age_not_given')),
    country      TEXT NOT NULL,
    area         TEXT NOT NULL,      -- the district or place
    opened       TEXT NOT NULL,      -- YYYY-MM-DD
    outcome      TEXT NOT NULL CHECK (outcome IN ('pending', 'won', 'lost')),
    decided      TEXT NOT NULL,      -- the outcome's date, '' while pending
    recovered    BIGINT NOT NULL CHECK (recovered >= 0), -- minor units of currency
    currency     TEXT NOT NULL,      -- ISO 4217, '' when nothing is recovered
    note         TEXT NOT NULL,
    actor        TEXT NOT NULL,      -- who wrote it last
    recorded_at  TEXT NOT NULL       -- when, UTC
);
