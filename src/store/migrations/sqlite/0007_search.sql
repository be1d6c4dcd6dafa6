-- 0007_search.sql: the text index `find` reads (store_person_find). One row per person, its
-- rowid the person's serial: the search text the front makes (src/store/search_text.h: names in
-- Latin form and as skeletons, phone, national ID and worker ID as letters and digits), indexed
-- by FTS5's trigram tokenizer, so that any part of three characters or more is found without a
-- scan. Every insert and correction writes it in the same transaction.
CREATE VIRTUAL TABLE person_search USING fts5(body, tokenize = 'trigram');

-- Inside an import session the texts are appended here instead (a plain table, in serial
-- order, costs the import next to nothing) and moved into the index in one statement when the
-- session ends, or by whoever finds the session killed (src/store/sqlite/sqlite_index.c).
CREATE TABLE person_search_pending (
    serial INTEGER PRIMARY KEY, -- persons.serial
    body   TEXT NOT NULL
);

-- A registry that had persons before this migration is indexed once, the next time it is
-- opened for writing (store.c, reindex_if_stale), which then sets this back to 0.
INSERT INTO counters (name, value)
    VALUES ('search_stale', (SELECT count(*) > 0 FROM (SELECT 1 FROM persons LIMIT 1)));
