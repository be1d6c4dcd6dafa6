-- 0017_search_columnsize.sql: the text index without its per-person sizes. FTS5 keeps each
-- row's token count in person_search_docsize for bm25 and other rank functions; find ranks by
-- worker ID (src/store/sqlite/sqlite_search.c) and reads none of them, and writing them was a
-- third of the index's cost in a first load (bench/README.md, "Bulk import"). The same texts
-- are indexed again, in serial order; the tokenizer and what a query matches are unchanged.
CREATE TABLE person_search_copy AS SELECT rowid AS serial, body FROM person_search;
DROP TABLE person_search;
CREATE VIRTUAL TABLE person_search USING fts5(body, tokenize = 'trigram', columnsize = 0);
INSERT INTO person_search (rowid, body) SELECT serial, body FROM person_search_copy ORDER BY serial;
DROP TABLE person_search_copy;
