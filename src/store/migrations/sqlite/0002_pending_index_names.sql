-- 0002_pending_index_names.sql: the indexes an import has set aside are recorded by name only.
--
-- 0001 kept each index's CREATE statement, and the driver ran that text to rebuild it: a
-- crafted database could then make spfloor run any SQL. Indexes are now rebuilt from
-- definitions compiled into spfloor; a name it does not know is ignored.

CREATE TABLE pending_index_names (
    name TEXT PRIMARY KEY           -- the name of an index set aside (see store_import_begin)
);
INSERT INTO pending_index_names (name) SELECT name FROM pending_indexes;
DROP TABLE pending_indexes;
ALTER TABLE pending_index_names RENAME TO pending_indexes;
