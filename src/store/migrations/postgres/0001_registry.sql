-- 0001_registry.sql (PostgreSQL): persons, households and the worker serial counter; the same
-- columns as the SQLite registry (sqlite/0001 and 0002), without the import sessions' table.
--
-- One column per field of the facts vocabulary (DESIGN.md). Dates are DATE; money is a BIGINT
-- count of minor units plus its ISO 4217 currency; enums are their words; lists are ';'-joined
-- words. An unset field is NULL. Household ids sort bytewise (COLLATE "C"), as in SQLite, so
-- that a batch walks households in the same order on either engine. Tables are created in the
-- connection's current schema.

CREATE TABLE households (
    id      TEXT COLLATE "C" PRIMARY KEY, -- household id, e.g. "h1"
    country TEXT NOT NULL,                -- ISO 3166-1 alpha-2
    admin1  TEXT,                         -- province or state
    admin2  TEXT                          -- district
);

CREATE TABLE persons (
    serial                   BIGINT PRIMARY KEY, -- the worker ID's 11-digit serial
    id                       TEXT NOT NULL,      -- the 12-digit worker ID: serial, check digit
    country                  TEXT NOT NULL,
    national_id              TEXT,               -- unique per country when set
    dedup_hash               BIGINT NOT NULL,    -- 64-bit hash of person_dedup_key
    household                TEXT COLLATE "C" REFERENCES households (id),
    given_name               TEXT NOT NULL,
    family_name              TEXT NOT NULL,
    sex                      TEXT NOT NULL CHECK (sex IN ('female', 'male', 'other')),
    birth_date               DATE NOT NULL,
    phone                    TEXT,
    admin1                   TEXT,
    admin2                   TEXT,
    marital_status           TEXT,
    disability_class         TEXT,
    groups                   TEXT,
    worker_category          TEXT,
    employer                 TEXT,
    monthly_wage_minor       BIGINT,
    monthly_wage_currency    TEXT,
    declared_income_minor    BIGINT,
    declared_income_currency TEXT,
    annual_income_minor      BIGINT,
    annual_income_currency   TEXT,
    employment_start         DATE,
    income_tax_payer         BOOLEAN,
    memberships              TEXT,
    relationship             TEXT,
    living_children          INTEGER,
    account                  TEXT,
    account_holder           TEXT                -- a worker ID when the account is another's
);

-- One person per national ID in a country.
CREATE UNIQUE INDEX persons_national_id ON persons (country, national_id)
    WHERE national_id IS NOT NULL;
-- One person per dedup key (name, birth date, district), indexed by its 64-bit hash; lookups
-- compare the full key after the probe.
CREATE UNIQUE INDEX persons_dedup ON persons (dedup_hash);
-- A household's members, and the batch's walk household by household (household, serial).
CREATE INDEX persons_household ON persons (household, serial) WHERE household IS NOT NULL;

-- Named counters; "worker_serial" is the serial of the last worker ID handed out.
CREATE TABLE counters (
    name  TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
INSERT INTO counters (name, value) VALUES ('worker_serial', 0);
