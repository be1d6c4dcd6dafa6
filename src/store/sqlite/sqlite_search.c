/*
 * sqlite_search.c: the text index of the SQLite driver, an FTS5 table with the trigram
 * tokenizer (migration 0007_search.sql) whose rowid is the person's serial. An import session
 * appends to person_search_pending instead, moved into the index in one statement at its end.
 *
 * A search's terms (store_search) become one FTS5 query: each term's alternatives as quoted
 * strings joined by OR, the terms joined by AND; a quoted string of three characters or more is
 * a substring search under the trigram tokenizer. The query is bound as a value. The texts that
 * hold the whole search come first, then the others, each in worker ID order (sqlite_search_find).
 * Terms shorter than three characters cannot use the index: they are left out when another term
 * can, and a search made only of them reads the table with LIKE.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sqlite_impl.h"

#define TRIGRAM    3 /* characters the trigram index needs */
#define QUERY_SIZE (STORE_SEARCH_TERMS * (2 * STORE_SEARCH_WORD + 16))

/* Inside an import session: the texts go to person_search_pending, moved into the index once
 * when the session ends (sqlite_index.c). */
static int put_pending(struct sqlite_store *s, const int64_t *serials, const char *const *texts,
                       int n, struct error *err)
{
    sqlite3_stmt *ins = sq_statement(s, S_SEARCH_PENDING, err);
    if (ins == NULL)
        return SP_IO;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(ins, 1, serials[i]);
        sqlite3_bind_text(ins, 2, texts[i], -1, SQLITE_STATIC);
        if (sq_run(s, ins, "indexing a person for search", err) != SP_OK)
            return SP_IO;
    }
    return SP_OK;
}

int sqlite_search_put(void *handle, const int64_t *serials, const char *const *texts, int n,
                      struct error *err)
{
    struct sqlite_store *s = handle;
    if (s->importing)
        return put_pending(s, serials, texts, n, err);
    sqlite3_stmt *del = sq_statement(s, S_SEARCH_DELETE, err);
    sqlite3_stmt *ins = del != NULL ? sq_statement(s, S_SEARCH_INSERT, err) : NULL;
    if (ins == NULL)
        return SP_IO;
    for (int i = 0; i < n; i++) {
        sqlite3_bind_int64(del, 1, serials[i]);
        if (sq_run(s, del, "indexing a person for search", err) != SP_OK)
            return SP_IO;
        sqlite3_bind_int64(ins, 1, serials[i]);
        sqlite3_bind_text(ins, 2, texts[i], -1, SQLITE_STATIC);
        if (sq_run(s, ins, "indexing a person for search", err) != SP_OK)
            return SP_IO;
    }
    return SP_OK;
}

/* Writes q's FTS5 query into out; returns the number of terms in it (0: none long enough). */
static int match_query(const struct store_search *q, char *out, size_t size)
{
    size_t len = 0;
    int used = 0;
    out[0] = '\0';
    for (int t = 0; t < q->n_terms; t++) {
        const char *word = q->terms[t][0], *other = q->terms[t][1];
        int word_ok = strlen(word) >= TRIGRAM, other_ok = strlen(other) >= TRIGRAM;
        if (!word_ok && !other_ok)
            continue;
        int n;
        if (word_ok && other_ok)
            n = snprintf(out + len, size - len, "%s(\"%s\" OR \"%s\")", used ? " AND " : "", word,
                         other);
        else
            n = snprintf(out + len, size - len, "%s\"%s\"", used ? " AND " : "",
                         word_ok ? word : other);
        if (n < 0 || (size_t)n >= size - len)
            break;
        len += (size_t)n;
        used++;
    }
    return used;
}

/* Runs one page of `which` with query; visits its rows through the counter. */
struct page {
    person_visit_fn visit;
    void *ctx;
    int rows; /* rows visited */
};

static int count_visit(void *ctx, const struct person *p)
{
    struct page *page = ctx;
    page->rows++;
    return page->visit(page->ctx, p);
}

static int run_page(struct sqlite_store *s, enum statement which, const char *query,
                    const char *country, int limit, int offset, struct page *page,
                    struct error *err)
{
    sqlite3_stmt *stmt = sq_statement(s, which, err);
    if (stmt == NULL)
        return SP_IO;
    sqlite3_bind_text(stmt, 1, query, -1, SQLITE_TRANSIENT);
    if (country != NULL)
        sqlite3_bind_text(stmt, 2, country, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(stmt, 2);
    sqlite3_bind_int(stmt, 3, limit);
    sqlite3_bind_int(stmt, 4, offset);
    return sq_visit_rows(s, stmt, count_visit, page, err);
}

/*
 * Two pages in worker ID order, each read only as far as it needs: first the texts that hold
 * the whole search as typed (q->exact, as one FTS5 string), then the others that match every
 * term. Neither sorts its matches, so a common name costs a page, not every person who has it.
 */
int sqlite_search_find(void *handle, const struct store_search *q, person_visit_fn visit, void *ctx,
                       struct error *err)
{
    struct sqlite_store *s = handle;
    char terms[QUERY_SIZE], query[QUERY_SIZE + STORE_SEARCH_EXACT + 16];
    struct page page = {visit, ctx, 0};
    if (match_query(q, terms, sizeof terms) == 0) {
        /* terms are letters and digits: no LIKE wildcard among them */
        snprintf(query, sizeof query, "%%%s%%", q->exact);
        return run_page(s, S_SEARCH_LIKE, query, q->country, q->limit, q->offset, &page, err);
    }
    int exact = strlen(q->exact) >= TRIGRAM && q->n_terms > 1;
    int offset = q->offset, limit = q->limit;
    if (exact) {
        snprintf(query, sizeof query, "\"%s\"", q->exact);
        int rc = run_page(s, S_SEARCH_MATCH, query, q->country, limit, offset, &page, err);
        if (rc != SP_OK || page.rows == limit)
            return rc;
        if (page.rows > 0 || offset == 0) {
            offset = 0; /* the exact matches ended inside this page */
        } else {
            /* the page starts past the exact matches: skip as many as there are */
            int counted = 0;
            sqlite3_stmt *count = sq_statement(s, S_SEARCH_COUNT, err);
            if (count == NULL)
                return SP_IO;
            sqlite3_bind_text(count, 1, query, -1, SQLITE_TRANSIENT);
            if (q->country != NULL)
                sqlite3_bind_text(count, 2, q->country, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(count, 2);
            int step = sqlite3_step(count);
            if (step == SQLITE_ROW)
                counted = sqlite3_column_int(count, 0);
            sqlite3_reset(count);
            if (step != SQLITE_ROW)
                return sq_error(s, "searching persons", err);
            offset -= counted;
        }
        limit -= page.rows;
        snprintf(query, sizeof query, "(%s) NOT \"%s\"", terms, q->exact);
    } else {
        snprintf(query, sizeof query, "%s", terms);
    }
    return run_page(s, S_SEARCH_MATCH, query, q->country, limit, offset, &page, err);
}

int sqlite_search_stale(void *handle, int *stale, struct error *err)
{
    int64_t value = 0;
    int rc = sq_read_int64(handle, S_SEARCH_STALE, &value, "reading the search index", err);
    *stale = value != 0;
    return rc;
}

int sqlite_search_fresh(void *handle, struct error *err)
{
    struct sqlite_store *s = handle;
    sqlite3_stmt *stmt = sq_statement(s, S_SEARCH_FRESH, err);
    if (stmt == NULL)
        return SP_IO;
    return sq_run(s, stmt, "recording the search index", err);
}
