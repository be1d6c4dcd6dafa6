/*
 * postgres_person.c: persons and households in the PostgreSQL driver: one column per fact of
 * the vocabulary (migrations/postgres/0001), as in the SQLite driver, and the driver's person
 * and household functions.
 *
 * Values travel as text parameters and come back as text (DateStyle ISO: dates are
 * YYYY-MM-DD). A walk over many persons (person_each, person_each_by_household) reads pages of
 * PG_PAGE_ROWS rows, each starting after the key of the last row of the one before, so that
 * memory stays bounded and the visitor may read the store as it goes; the pages share one
 * snapshot (pg_walk_begin).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "store/postgres/postgres_impl.h"

/* ---- persons as parameters ---- */

/* Buffers for the parameters of one person that are not its own text. */
struct person_params {
    const char *values[C_SERIAL + 1]; /* $1..$30 the columns, $31 the serial */
    char birth[DATE_TEXT_SIZE];
    char start[DATE_TEXT_SIZE];
    char money[3][24];
    char children[16];
    char hash[24];
    char serial[24];
};

static const char *text_or_null(const char *text)
{
    return text[0] == '\0' ? NULL : text;
}

/* The word of an enum value; choices is the field's word list. NULL when unset. */
static const char *enum_word(const char *field, int value)
{
    const char *const *choices = person_field_find(field)->choices;
    const char *word = NULL;
    for (int i = 0; i < value && choices[i] != NULL; i++)
        word = i == value - 1 ? choices[i] : NULL;
    return word;
}

static const char *date_text(int32_t day, char text[DATE_TEXT_SIZE])
{
    if (day == DATE_NONE)
        return NULL;
    date_format(day, text);
    return text;
}

static void money_params(struct person_params *pp, int column, const struct money *m, char *buf)
{
    if (m->currency[0] == '\0') {
        pp->values[column] = NULL;
        pp->values[column + 1] = NULL;
        return;
    }
    snprintf(buf, 24, "%lld", (long long)m->minor);
    pp->values[column] = buf;
    pp->values[column + 1] = m->currency;
}

/* Fills pp with p's columns; pp's values point into p and into pp. */
static void person_params(struct person_params *pp, const struct person *p, int64_t dedup_hash,
                          int64_t serial)
{
    const char **v = pp->values;
    v[C_ID] = text_or_null(p->id);
    v[C_NATIONAL_ID] = text_or_null(p->national_id);
    v[C_GIVEN_NAME] = text_or_null(p->given_name);
    v[C_FAMILY_NAME] = text_or_null(p->family_name);
    v[C_SEX] = enum_word("sex", p->sex);
    v[C_BIRTH_DATE] = date_text(p->birth_date, pp->birth);
    v[C_PHONE] = text_or_null(p->phone);
    v[C_COUNTRY] = text_or_null(p->country);
    v[C_ADMIN1] = text_or_null(p->admin1);
    v[C_ADMIN2] = text_or_null(p->admin2);
    v[C_MARITAL_STATUS] = enum_word("marital_status", p->marital_status);
    v[C_DISABILITY_CLASS] = enum_word("disability_class", p->disability_class);
    v[C_GROUPS] = text_or_null(p->groups);
    v[C_WORKER_CATEGORY] = enum_word("worker_category", p->worker_category);
    v[C_EMPLOYER] = text_or_null(p->employer);
    money_params(pp, C_MONTHLY_WAGE_MINOR, &p->monthly_wage, pp->money[0]);
    money_params(pp, C_DECLARED_INCOME_MINOR, &p->declared_income, pp->money[1]);
    money_params(pp, C_ANNUAL_INCOME_MINOR, &p->annual_income, pp->money[2]);
    v[C_EMPLOYMENT_START] = date_text(p->employment_start, pp->start);
    v[C_INCOME_TAX_PAYER] = p->income_tax_payer == TRISTATE_UNSET  ? NULL
                            : p->income_tax_payer == TRISTATE_TRUE ? "true"
                                                                   : "false";
    v[C_MEMBERSHIPS] = text_or_null(p->memberships);
    v[C_HOUSEHOLD] = text_or_null(p->household);
    v[C_RELATIONSHIP] = enum_word("relationship", p->relationship);
    v[C_LIVING_CHILDREN] = NULL;
    if (p->living_children >= 0) {
        snprintf(pp->children, sizeof pp->children, "%d", p->living_children);
        v[C_LIVING_CHILDREN] = pp->children;
    }
    v[C_ACCOUNT] = text_or_null(p->account);
    v[C_ACCOUNT_HOLDER] = text_or_null(p->account_holder);
    snprintf(pp->hash, sizeof pp->hash, "%lld", (long long)dedup_hash);
    v[C_DEDUP_HASH] = pp->hash;
    snprintf(pp->serial, sizeof pp->serial, "%lld", (long long)serial);
    v[C_SERIAL] = pp->serial;
}

/* ---- rows as persons ---- */

static const char *cell(const PGresult *res, int row, int column)
{
    return PQgetisnull(res, row, column) ? "" : PQgetvalue(res, row, column);
}

static void read_text(const PGresult *res, int row, int column, char *out, size_t size)
{
    text_copy(out, size, cell(res, row, column));
}

static uint8_t read_enum(const PGresult *res, int row, int column, const char *field)
{
    const char *word = cell(res, row, column);
    if (word[0] == '\0')
        return 0;
    const struct person_field *f = person_field_find(field);
    for (int i = 0; f->choices[i] != NULL; i++)
        if (strcmp(f->choices[i], word) == 0)
            return (uint8_t)(i + 1);
    return 0;
}

static int32_t read_date(const PGresult *res, int row, int column)
{
    const char *text = cell(res, row, column);
    int32_t day;
    if (text[0] == '\0' || date_parse(text, &day, NULL) != SP_OK)
        return DATE_NONE;
    return day;
}

static void read_money(const PGresult *res, int row, int column, struct money *out)
{
    memset(out, 0, sizeof *out);
    if (PQgetisnull(res, row, column + 1))
        return;
    out->minor = strtoll(cell(res, row, column), NULL, 10);
    text_copy(out->currency, sizeof out->currency, cell(res, row, column + 1));
}

/* Fills p from row `row` of a PG_SELECT_PERSON result. */
static void read_person(const PGresult *res, int row, struct person *p)
{
    person_init(p);
    read_text(res, row, C_ID, p->id, sizeof p->id);
    read_text(res, row, C_NATIONAL_ID, p->national_id, sizeof p->national_id);
    read_text(res, row, C_GIVEN_NAME, p->given_name, sizeof p->given_name);
    read_text(res, row, C_FAMILY_NAME, p->family_name, sizeof p->family_name);
    p->sex = read_enum(res, row, C_SEX, "sex");
    p->birth_date = read_date(res, row, C_BIRTH_DATE);
    read_text(res, row, C_PHONE, p->phone, sizeof p->phone);
    read_text(res, row, C_COUNTRY, p->country, sizeof p->country);
    read_text(res, row, C_ADMIN1, p->admin1, sizeof p->admin1);
    read_text(res, row, C_ADMIN2, p->admin2, sizeof p->admin2);
    p->marital_status = read_enum(res, row, C_MARITAL_STATUS, "marital_status");
    p->disability_class = read_enum(res, row, C_DISABILITY_CLASS, "disability_class");
    read_text(res, row, C_GROUPS, p->groups, sizeof p->groups);
    p->worker_category = read_enum(res, row, C_WORKER_CATEGORY, "worker_category");
    read_text(res, row, C_EMPLOYER, p->employer, sizeof p->employer);
    read_money(res, row, C_MONTHLY_WAGE_MINOR, &p->monthly_wage);
    read_money(res, row, C_DECLARED_INCOME_MINOR, &p->declared_income);
    read_money(res, row, C_ANNUAL_INCOME_MINOR, &p->annual_income);
    p->employment_start = read_date(res, row, C_EMPLOYMENT_START);
    if (!PQgetisnull(res, row, C_INCOME_TAX_PAYER))
        p->income_tax_payer =
            cell(res, row, C_INCOME_TAX_PAYER)[0] == 't' ? TRISTATE_TRUE : TRISTATE_FALSE;
    read_text(res, row, C_MEMBERSHIPS, p->memberships, sizeof p->memberships);
    read_text(res, row, C_HOUSEHOLD, p->household, sizeof p->household);
    p->relationship = read_enum(res, row, C_RELATIONSHIP, "relationship");
    if (!PQgetisnull(res, row, C_LIVING_CHILDREN))
        p->living_children = (int)strtol(cell(res, row, C_LIVING_CHILDREN), NULL, 10);
    read_text(res, row, C_ACCOUNT, p->account, sizeof p->account);
    read_text(res, row, C_ACCOUNT_HOLDER, p->account_holder, sizeof p->account_holder);
}

/* Runs a person query that returns at most one row: *found and *out as store_person_get says. */
static int fetch_one(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                     struct person *out, int *found, struct error *err)
{
    *found = 0;
    PGresult *res = pg_run(s, which, n, values, "reading a person", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        read_person(res, 0, out);
        *found = 1;
    }
    PQclear(res);
    return SP_OK;
}

/*
 * Runs a person query and visits its rows; the visitor's non-zero return stops it. *rows is
 * the number of rows, and last (if not NULL) receives the last row's serial and household.
 */
static int visit_rows(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
                      person_visit_fn visit, void *ctx, int *rows, int64_t *last_serial,
                      char *last_household, size_t household_size, struct error *err)
{
    PGresult *res = pg_run(s, which, n, values, "reading persons", err);
    *rows = 0;
    if (res == NULL)
        return SP_IO;
    struct person p;
    int count = PQntuples(res);
    for (int i = 0; i < count; i++) {
        read_person(res, i, &p);
        int stop = visit(ctx, &p);
        if (stop != 0) {
            PQclear(res);
            return stop;
        }
    }
    *rows = count;
    if (count > 0 && last_serial != NULL) {
        *last_serial = strtoll(cell(res, count - 1, C_SERIAL), NULL, 10);
        if (last_household != NULL)
            text_copy(last_household, household_size, cell(res, count - 1, C_HOUSEHOLD));
    }
    PQclear(res);
    return SP_OK;
}

/* ---- persons ---- */

/* The 64-bit hash of a dedup key the unique index holds: the SQLite driver's, FNV-1a then the
 * splitmix64 finaliser. */
static int64_t dedup_hash(const char *key)
{
    uint64_t h = 14695981039346656037ULL;
    for (const unsigned char *c = (const unsigned char *)key; *c; c++) {
        h ^= *c;
        h *= 1099511628211ULL;
    }
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return (int64_t)h;
}

/* The insert does nothing on a taken serial, national ID or dedup key (ON CONFLICT DO
 * NOTHING): that is SP_CONFLICT, and the transaction stays usable. */
int postgres_person_insert(void *handle, const struct person *p, int64_t serial,
                           const char *dedup_key, struct error *err)
{
    struct pg_store *s = handle;
    if (!s->in_transaction)
        return error_set(err, SP_IO, "%s: inserting a person needs a transaction", s->location);
    struct person_params pp;
    person_params(&pp, p, dedup_hash(dedup_key), serial);
    PGresult *res = pg_run(s, S_PERSON_INSERT, C_SERIAL + 1, pp.values, "inserting a person", err);
    if (res == NULL)
        return SP_IO;
    int inserted = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    if (!inserted)
        return error_set(err, SP_CONFLICT,
                         "%s: the person was not inserted: its worker ID, national ID or dedup "
                         "key is taken",
                         s->location);
    return SP_OK;
}

int postgres_household_insert(void *handle, const struct household *h, int *created,
                              struct error *err)
{
    struct pg_store *s = handle;
    *created = 0;
    const char *values[] = {h->id, h->country, text_or_null(h->admin1), text_or_null(h->admin2)};
    PGresult *res = pg_run(s, S_HOUSEHOLD_INSERT, 4, values, "creating a household", err);
    if (res == NULL)
        return SP_IO;
    *created = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    return SP_OK;
}

int postgres_household_delete(void *handle, const char *id, struct error *err)
{
    struct pg_store *s = handle;
    const char *values[] = {id};
    PGresult *res = pg_run(s, S_HOUSEHOLD_DELETE, 1, values, "removing a household", err);
    int rc = res != NULL ? SP_OK : SP_IO;
    PQclear(res);
    return rc;
}

int postgres_person_by_serial(void *handle, int64_t serial, struct person *out, int *found,
                              struct error *err)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)serial);
    const char *values[] = {text};
    return fetch_one(handle, S_PERSON_GET, 1, values, out, found, err);
}

int postgres_person_by_national_id(void *handle, const char *country, const char *national_id,
                                   struct person *out, int *found, struct error *err)
{
    const char *values[] = {country, national_id};
    return fetch_one(handle, S_PERSON_BY_NATIONAL_ID, 2, values, out, found, err);
}

/* A probe of the dedup index by the key's hash (store.c compares the keys). */
int postgres_person_by_dedup_key(void *handle, const char *key, struct person *out, int *found,
                                 struct error *err)
{
    char text[24];
    snprintf(text, sizeof text, "%lld", (long long)dedup_hash(key));
    const char *values[] = {text};
    return fetch_one(handle, S_PERSON_BY_DEDUP_KEY, 1, values, out, found, err);
}

/* Writes an ILIKE pattern "%text%" with \, % and _ escaped by a backslash. */
static void like_pattern(const char *text, char *out, size_t size)
{
    size_t o = 0;
    out[o++] = '%';
    for (const char *c = text; *c && o + 3 < size; c++) {
        if (*c == '%' || *c == '_' || *c == '\\')
            out[o++] = '\\';
        out[o++] = *c;
    }
    out[o++] = '%';
    out[o] = '\0';
}

int postgres_person_list(void *handle, const char *country, int limit, person_visit_fn visit,
                         void *ctx, struct error *err)
{
    char text[16];
    snprintf(text, sizeof text, "%d", limit);
    const char *values[] = {country, text};
    int rows;
    return visit_rows(handle, S_SEARCH_ALL, 2, values, visit, ctx, &rows, NULL, NULL, 0, err);
}

int postgres_person_search(void *handle, const char *text, const char *country, int limit,
                           person_visit_fn visit, void *ctx, struct error *err)
{
    char pattern[2 * PG_SEARCH_TEXT_MAX + 3];
    like_pattern(text, pattern, sizeof pattern);
    char limit_text[16];
    snprintf(limit_text, sizeof limit_text, "%d", limit);
    const char *values[] = {text, pattern, country, limit_text};
    int rows;
    return visit_rows(handle, S_SEARCH_SCAN, 4, values, visit, ctx, &rows, NULL, NULL, 0, err);
}

/* The pages of person_each: every person by serial. */
static int each_pages(struct pg_store *s, person_visit_fn visit, void *ctx, struct error *err)
{
    int64_t last = -1;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last);
        const char *values[] = {after, PG_PAGE_ROWS};
        int rows = 0;
        int rc = visit_rows(s, S_PERSON_EACH, 2, values, visit, ctx, &rows, &last, NULL, 0, err);
        if (rc != SP_OK || rows < PG_PAGE_ROWS_INT)
            return rc;
    }
}

int postgres_person_each(void *handle, person_visit_fn visit, void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    if (pg_walk_begin(s, err) != SP_OK)
        return SP_IO;
    int rc = each_pages(s, visit, ctx, err);
    pg_walk_end(s);
    return rc;
}

/* The pages of person_each_by_household: the members of each household together (households
 * in id order), then those without one. */
static int household_pages(struct pg_store *s, const char *country, person_visit_fn visit,
                           void *ctx, struct error *err)
{
    char household[PERSON_SHORT_SIZE] = "";
    int64_t last = -1;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last);
        const char *values[] = {country, household, after, PG_PAGE_ROWS};
        int rows = 0;
        int rc = visit_rows(s, S_BY_HOUSEHOLD, 4, values, visit, ctx, &rows, &last, household,
                            sizeof household, err);
        if (rc != SP_OK)
            return rc;
        if (rows < PG_PAGE_ROWS_INT)
            break;
    }
    last = -1;
    for (;;) {
        char after[24];
        snprintf(after, sizeof after, "%lld", (long long)last);
        const char *values[] = {country, after, PG_PAGE_ROWS};
        int rows = 0;
        int rc = visit_rows(s, S_NO_HOUSEHOLD, 3, values, visit, ctx, &rows, &last, NULL, 0, err);
        if (rc != SP_OK || rows < PG_PAGE_ROWS_INT)
            return rc;
    }
}

int postgres_person_each_by_household(void *handle, const char *country, person_visit_fn visit,
                                      void *ctx, struct error *err)
{
    struct pg_store *s = handle;
    if (pg_walk_begin(s, err) != SP_OK)
        return SP_IO;
    int rc = household_pages(s, country, visit, ctx, err);
    pg_walk_end(s);
    return rc;
}

int postgres_household_members(void *handle, const char *household, person_visit_fn visit,
                               void *ctx, struct error *err)
{
    const char *values[] = {household};
    int rows;
    return visit_rows(handle, S_MEMBERS, 1, values, visit, ctx, &rows, NULL, NULL, 0, err);
}

int postgres_person_count(void *handle, int64_t *out, struct error *err)
{
    return pg_read_int64(handle, S_PERSON_COUNT, 0, NULL, out, "counting persons", err);
}

int postgres_household_get(void *handle, const char *id, struct household *out, int *found,
                           struct error *err)
{
    struct pg_store *s = handle;
    *found = 0;
    const char *values[] = {id};
    PGresult *res = pg_run(s, S_HOUSEHOLD_GET, 1, values, "reading a household", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        memset(out, 0, sizeof *out);
        read_text(res, 0, 0, out->id, sizeof out->id);
        read_text(res, 0, 1, out->country, sizeof out->country);
        read_text(res, 0, 2, out->admin1, sizeof out->admin1);
        read_text(res, 0, 3, out->admin2, sizeof out->admin2);
        *found = 1;
    }
    PQclear(res);
    return SP_OK;
}
