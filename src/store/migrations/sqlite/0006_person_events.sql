-- 0006_person_events.sql: the life events recorded in the registry (store_event_add,
-- docs/events.md): a birth, a death, a marriage, a move ... on a date, to a person, with who
-- recorded it, when and why. The person's row in persons holds the facts as they are now (an
-- event's effect on them is kept in person_changes too); these rows are what the rules engine
-- reads as the person's events, as it reads an evaluate file's. Nothing is deleted here.
CREATE TABLE person_events (
    serial           BIGINT NOT NULL,  -- the person (persons.serial): the mother, for a birth
    seq              INTEGER NOT NULL, -- 1, 2 ... per person, in the order recorded
    type             TEXT NOT NULL,    -- birth, death, marriage ... (model/event.h)
    on_date          TEXT NOT NULL,    -- when it happened, YYYY-MM-DD
    other_serial     BIGINT,           -- birth: the child; marriage, divorce, widowhood: the spouse
    contract_months  INTEGER,          -- departure: the contract's length
    destination      TEXT,             -- departure: ISO 3166-1 alpha-2
    disability_class TEXT,             -- disability_assessment: none, A, B or C
    admin1           TEXT,             -- move: the new province
    admin2           TEXT,             -- move: the new district
    household        TEXT,             -- move: the household moved into
    recorded_at      TEXT NOT NULL,    -- when it was recorded, UTC, YYYY-MM-DDTHH:MM:SSZ
    actor            TEXT NOT NULL,    -- who recorded it
    reason           TEXT NOT NULL,    -- why, or the document it was read from
    PRIMARY KEY (serial, seq)
) WITHOUT ROWID; -- the rows are kept in (serial, seq) order: a person's events are read together
