-- 0017_search_columnsize.sql: the PostgreSQL side of SQLite's 0017, which rebuilt its FTS5 text
-- index without per-person token counts (a third of a first load's indexing cost there). The
-- table and pg_trgm index of 0007 keep no such counts, so there is nothing to drop here; the
-- table says what it holds, and the two dialects keep one numbering.
COMMENT ON TABLE person_search IS
    'find''s text index: one search text per person (src/store/search_text.h), by serial; '
    'no per-person sizes are kept (find orders by worker ID, not by a rank)';
