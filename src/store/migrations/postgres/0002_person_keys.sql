-- 0002_person_keys.sql (PostgreSQL): the registry's two uniqueness rules (one person per
-- national ID in a country, one per dedup key) move from unique indexes on persons into tables
-- keyed by the key itself.
--
-- Why: on a distributed engine (Citus, YugabyteDB; docs/scale-out.md) persons are spread over
-- shards by their worker serial, and a unique index can only hold within one shard, so it must
-- include the serial and no longer says "one person per national ID". A table whose primary key
-- is the key, spread by that key, holds the rule across every shard, in the same transaction as
-- the person. On one server it costs one small insert more per person.
--
-- The driver writes a person and their keys in one statement (or one COPY group) under a
-- savepoint: a taken key rolls back all three rows.

CREATE TABLE person_national_ids (
    national_id TEXT NOT NULL,   -- as registered
    country     TEXT NOT NULL,   -- ISO 3166-1 alpha-2
    serial      BIGINT NOT NULL, -- the person holding it (persons.serial)
    PRIMARY KEY (national_id, country)
);

CREATE TABLE person_dedup_keys (
    dedup_hash BIGINT PRIMARY KEY, -- persons.dedup_hash
    serial     BIGINT NOT NULL     -- the person holding it
);

INSERT INTO person_national_ids (national_id, country, serial)
    SELECT national_id, country, serial FROM persons WHERE national_id IS NOT NULL;
INSERT INTO person_dedup_keys (dedup_hash, serial) SELECT dedup_hash, serial FROM persons;

DROP INDEX persons_national_id;
DROP INDEX persons_dedup;
