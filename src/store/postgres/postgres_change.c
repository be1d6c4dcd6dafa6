/*
 * postgres_change.c: corrections in the PostgreSQL driver (store_driver.h, version 4):
 * replacing a person's row and their keys (migrations/postgres/0002), and the person_changes
 * rows that keep what it held before (0003).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "base/text.h"
#include "store/postgres/postgres_impl.h"

/* What a correction sends: the row's values, then the serial. */
struct update {
    const char *values[PERSON_ROW_COUNT + 1];
};

/* Runs one statement of a correction; SP_CONFLICT for a taken key. */
static int run(struct pg_store *s, enum pg_statement which, int n, const char *const *values,
               struct error *err)
{
    PGresult *res = pg_run(s, which, n, values, "correcting a person", err);
    if (res == NULL)
        return err->code == SP_CONFLICT ? SP_CONFLICT : SP_IO;
    PQclear(res);
    return SP_OK;
}

/* The keys go and come back with the row, so that a key the person gives up is free at once. */
static int update_with_keys(struct pg_store *s, const void *data, int n, struct error *err)
{
    (void)n;
    const struct update *u = data;
    const char *serial[] = {u->values[PERSON_ROW_COUNT]};
    int rc = run(s, S_KEYS_DELETE, 1, serial, err);
    if (rc == SP_OK)
        rc = run(s, S_PERSON_UPDATE, PERSON_ROW_COUNT + 1, u->values, err);
    if (rc == SP_OK)
        rc = run(s, S_KEYS_INSERT, 1, serial, err);
    return rc;
}

int postgres_person_update(void *handle, const struct person *p, int64_t serial,
                           const char *dedup_key, struct error *err)
{
    struct person_row row;
    person_row_encode(p, dedup_key, &row);
    struct update u;
    memcpy(u.values, row.value, sizeof row.value);
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    u.values[PERSON_ROW_COUNT] = serial_text;
    return pg_under_savepoint(handle, update_with_keys, &u, 1, err);
}

/* "" as NULL, as the SQLite driver stores it. */
static const char *or_null(const char *text)
{
    return text[0] == '\0' ? NULL : text;
}

int postgres_person_change_add(void *handle, int64_t serial, const struct person_change *c,
                               struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE], version[16];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    snprintf(version, sizeof version, "%d", c->version);
    const char *values[] = {serial_text,           version,       c->field, or_null(c->old_value),
                            or_null(c->new_value), c->changed_at, c->actor, c->reason};
    return pg_run_none(handle, S_CHANGE_ADD, 8, values, "recording a correction", err);
}

int postgres_person_change_last(void *handle, int64_t serial, int *version, struct error *err)
{
    int64_t last = 0;
    int rc = pg_read_int64_of(handle, S_CHANGE_LAST, serial, &last, "reading the corrections", err);
    *version = (int)last;
    return rc;
}

int postgres_person_changes_each(void *handle, int64_t serial, person_change_visit_fn visit,
                                 void *ctx, struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *values[] = {serial_text};
    PGresult *res = pg_run(handle, S_CHANGES, 1, values, "reading the corrections", err);
    if (res == NULL)
        return SP_IO;
    struct person_change c;
    int stop = 0;
    for (int i = 0; stop == 0 && i < PQntuples(res); i++) {
        memset(&c, 0, sizeof c);
        c.version = (int)strtol(PQgetvalue(res, i, 0), NULL, 10);
        text_copy(c.field, sizeof c.field, PQgetvalue(res, i, 1));
        text_copy(c.old_value, sizeof c.old_value, PQgetvalue(res, i, 2));
        text_copy(c.new_value, sizeof c.new_value, PQgetvalue(res, i, 3));
        text_copy(c.changed_at, sizeof c.changed_at, PQgetvalue(res, i, 4));
        text_copy(c.actor, sizeof c.actor, PQgetvalue(res, i, 5));
        text_copy(c.reason, sizeof c.reason, PQgetvalue(res, i, 6));
        stop = visit(ctx, &c);
    }
    PQclear(res);
    return stop;
}

/* The words of a mark's kind in the person_marks table. */
static const char *const mark_words[] = {"", "deceased", "merged"};

int postgres_person_mark_set(void *handle, int64_t serial, enum person_mark_kind kind, int32_t date,
                             int64_t into, struct error *err)
{
    char serial_text[PERSON_ROW_NUMBER_SIZE], into_text[PERSON_ROW_NUMBER_SIZE];
    char day[DATE_TEXT_SIZE] = "";
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    snprintf(into_text, sizeof into_text, "%lld", (long long)into);
    if (date != DATE_NONE)
        date_format(date, day);
    const char *values[] = {serial_text, mark_words[kind], or_null(day),
                            into > 0 ? into_text : NULL};
    PGresult *res = pg_run(handle, S_MARK_SET, 4, values, "marking a record", err);
    if (res == NULL)
        return SP_IO;
    int marked = strcmp(PQcmdTuples(res), "1") == 0;
    PQclear(res);
    return marked ? SP_OK : error_set(err, SP_CONFLICT, "the record is marked already");
}

int postgres_person_mark_get(void *handle, int64_t serial, enum person_mark_kind *kind,
                             int32_t *date, int64_t *into, int *found, struct error *err)
{
    *found = 0;
    *kind = PERSON_MARK_NONE;
    *date = DATE_NONE;
    *into = 0;
    char serial_text[PERSON_ROW_NUMBER_SIZE];
    snprintf(serial_text, sizeof serial_text, "%lld", (long long)serial);
    const char *values[] = {serial_text};
    PGresult *res = pg_run(handle, S_MARK_GET, 1, values, "reading a record's mark", err);
    if (res == NULL)
        return SP_IO;
    if (PQntuples(res) > 0) {
        *found = 1;
        *kind = strcmp(PQgetvalue(res, 0, 0), "merged") == 0 ? PERSON_MARK_MERGED
                                                             : PERSON_MARK_DECEASED;
        if (date_parse(PQgetvalue(res, 0, 1), date, NULL) != SP_OK)
            *date = DATE_NONE;
        *into = strtoll(PQgetvalue(res, 0, 2), NULL, 10);
    }
    PQclear(res);
    return SP_OK;
}
