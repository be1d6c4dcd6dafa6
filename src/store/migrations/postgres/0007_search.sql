-- 0007_search.sql: the text index `find` reads (store_person_find). One row per person, by
-- serial: the search text the front makes (src/store/search_text.h: names in Latin form and as
-- skeletons, phone, national ID and worker ID as letters and digits). Every insert and
-- correction writes it in the same transaction. Spread by serial on Citus, beside the person.
CREATE TABLE person_search (
    serial BIGINT PRIMARY KEY, -- persons.serial
    body   TEXT NOT NULL
);

-- pg_trgm's GIN index answers LIKE '%part%' without a scan. pg_trgm ships with PostgreSQL
-- (Debian: postgresql-15, contrib) and is a trusted extension: the registry's owner may create
-- it. It is made here if the database has none (in public, else in the first schema of
-- search_path), and the index names its operator class by the extension's schema, wherever
-- that is. Where it cannot be
-- created, the same queries scan person_search, a narrow table, and say nothing else.
DO $$
DECLARE
    trgm_schema name;
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
    EXCEPTION WHEN OTHERS THEN
        CREATE EXTENSION IF NOT EXISTS pg_trgm;
    END;
    SELECT n.nspname INTO trgm_schema
        FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
        WHERE e.extname = 'pg_trgm';
    EXECUTE format('CREATE INDEX person_search_trgm ON person_search USING gin (body %I.gin_trgm_ops)',
                   trgm_schema);
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'pg_trgm is not available (%): find scans person_search', SQLERRM;
END
$$;

-- A registry that had persons before this migration is indexed once, the next time it is
-- opened for writing (store.c, reindex_if_stale), which then sets this back to 0.
INSERT INTO counters (name, value)
    VALUES ('search_stale', (SELECT count(*) FROM (SELECT 1 FROM persons LIMIT 1) AS any_person));
