-- 0015_shocks.sql: declared shocks (docs/payroll.md "Shock response"). A shock tops up a
-- scheme's payments for its beneficiaries in the districts named (its top-ups are payments of
-- their own, one per person, scheme, period and shock, by the payment period
-- "<period>+<name>": payments_original keeps each single), or enrols everyone there in a
-- temporary scheme. Shocks are never changed; numbers come from counters.shock_id.
INSERT INTO counters (name, value) VALUES ('shock_id', 0);

CREATE TABLE shocks (
    id            BIGINT PRIMARY KEY, -- from counters.shock_id
    name          TEXT NOT NULL UNIQUE, -- a short code: "flood-2024"
    country       TEXT NOT NULL,
    areas         TEXT NOT NULL,      -- admin2 official names, ';'-joined
    from_date     TEXT NOT NULL,      -- YYYY-MM-DD, included
    to_date       TEXT NOT NULL,      -- YYYY-MM-DD, included
    mode          TEXT NOT NULL CHECK (mode IN ('top_up', 'enroll_affected')),
    scheme        TEXT NOT NULL,
    top_up_amount BIGINT NOT NULL CHECK (top_up_amount >= 0), -- minor units a period, or 0
    top_up_rate   BIGINT NOT NULL CHECK (top_up_rate >= 0),   -- 1/100 % of the period's amount
    currency      TEXT NOT NULL,
    actor         TEXT NOT NULL,      -- who declared it
    recorded_at   TEXT NOT NULL       -- when, UTC
);
