-- 0001_registry.sql: persons, households, the worker serial counter and the indexes an import
-- has set aside.
--
-- One column per field of the facts vocabulary (DESIGN.md). Dates are ISO 8601 text
-- (YYYY-MM-DD); money is an INTEGER count of minor units plus its ISO 4217 currency; enums are
-- their words; lists are ';'-joined words. An unset field is NULL. The CHECK on sex is an OR of
-- equalities: SQLite builds a temporary index for an IN list of three at every insert.
--
-- The indexed columns of persons come first: building an index reads the fewest bytes of each
-- record.

CREATE TABLE households (
    id      TEXT PRIMARY KEY,       -- household id, e.g. "h1"
    country TEXT NOT NULL,          -- ISO 3166-1 alpha-2
    admin1  TEXT,                   -- province or state
    admin2  TEXT                    -- district
) WITHOUT ROWID;

CREATE TABLE persons (
    serial                   INTEGER PRIMARY KEY, -- the worker ID's 11-digit serial (the rowid)
    id                       TEXT NOT NULL,     -- the 12-digit worker ID: serial, check digit
    country                  TEXT NOT NULL,
    national_id              TEXT,              -- unique per country when set
    dedup_hash               INTEGER NOT NULL,  -- 64-bit hash of person_dedup_key
    household                TEXT REFERENCES households (id),
    given_name               TEXT NOT NULL,
    family_name              TEXT NOT NULL,
    sex                      TEXT NOT NULL CHECK (sex = 'female' OR sex = 'male' OR sex = 'other'),
    birth_date               TEXT NOT NULL,
    phone                    TEXT,
    admin1                   TEXT,
    admin2                   TEXT,
    marital_status           TEXT,
    disability_class         TEXT,
    groups                   TEXT,
    worker_category          TEXT,
    employer                 TEXT,
    monthly_wage_minor       INTEGER,
    monthly_wage_currency    TEXT,
    declared_income_minor    INTEGER,
    declared_income_currency TEXT,
    annual_income_minor      INTEGER,
    annual_income_currency   TEXT,
    employment_start         TEXT,
    income_tax_payer         INTEGER,           -- 0 or 1
    memberships              TEXT,
    relationship             TEXT,
    living_children          INTEGER,
    account                  TEXT,
    account_holder           TEXT               -- a worker ID when the account is another's
);

-- One person per national ID in a country.
CREATE UNIQUE INDEX persons_national_id ON persons (country, national_id)
    WHERE national_id IS NOT NULL;
-- One person per dedup key (name, birth date, district). The key is indexed by its 64-bit
-- hash: a random-order index of 8-byte integers costs far less to maintain during a bulk
-- import than one of 40-byte strings; lookups compare the full key after the probe.
CREATE UNIQUE INDEX persons_dedup ON persons (dedup_hash);
CREATE INDEX persons_household ON persons (household) WHERE household IS NOT NULL;

-- While an import session runs (store_import_begin), the persons' secondary indexes are dropped
-- and their CREATE statements kept here, so that a killed import's indexes are rebuilt by the
-- next store_open. Empty otherwise.
CREATE TABLE pending_indexes (
    name TEXT PRIMARY KEY,          -- the index's name
    sql  TEXT NOT NULL              -- the statement that creates it
);

-- Named counters; "worker_serial" is the serial of the last worker ID handed out.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
INSERT INTO counters (name, value) VALUES ('worker_serial', 0);
