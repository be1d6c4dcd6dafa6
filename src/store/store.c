/*
 * store.c: picks a driver by the location and forwards each call to it (store_driver.h).
 */
#include "store/store.h"

#include <string.h>

#include "base/alloc.h"
#include "store/store_driver.h"

struct store {
    const struct store_driver *driver; /* the driver serving this store */
    void *db;                          /* the driver's handle */
};

static int has_prefix(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

int store_open(const char *location, enum store_mode mode, struct store **out, struct error *err)
{
    *out = NULL;
    if (location == NULL || location[0] == '\0')
        return error_set(err, SP_USAGE, "no database given: use --db FILE or set SPFLOOR_DB");
    if (has_prefix(location, "postgres://") || has_prefix(location, "postgresql://"))
        return error_set(err, SP_USAGE,
                         "the PostgreSQL driver is not built yet: give an SQLite file (--db "
                         "FILE)");
    struct store *s = sp_calloc(1, sizeof *s);
    if (s == NULL)
        return error_nomem(err);
    s->driver = &store_sqlite_driver;
    int rc = s->driver->open(location, mode, &s->db, err);
    if (rc != SP_OK) {
        sp_free(s);
        return rc;
    }
    *out = s;
    return SP_OK;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    s->driver->close(s->db);
    sp_free(s);
}

int store_begin(struct store *s, struct error *err)
{
    return s->driver->begin(s->db, err);
}

int store_commit(struct store *s, struct error *err)
{
    return s->driver->commit(s->db, err);
}

void store_rollback(struct store *s)
{
    s->driver->rollback(s->db);
}

int store_data_version(struct store *s, int64_t *out, struct error *err)
{
    return s->driver->data_version(s->db, out, err);
}

int store_import_begin(struct store *s, int64_t since, struct error *err)
{
    return s->driver->import_begin(s->db, since, err);
}

int store_import_end(struct store *s, struct error *err)
{
    return s->driver->import_end(s->db, err);
}

int store_person_insert(struct store *s, struct person *p, struct error *err)
{
    return s->driver->person_insert(s->db, p, err);
}

int store_person_get(struct store *s, const char *id, struct person *out, int *found,
                     struct error *err)
{
    return s->driver->person_get(s->db, id, out, found, err);
}

int store_person_by_national_id(struct store *s, const char *country, const char *national_id,
                                struct person *out, int *found, struct error *err)
{
    return s->driver->person_by_national_id(s->db, country, national_id, out, found, err);
}

int store_person_by_dedup_key(struct store *s, const char *key, struct person *out, int *found,
                              struct error *err)
{
    return s->driver->person_by_dedup_key(s->db, key, out, found, err);
}

int store_person_search(struct store *s, const char *text, const char *country, int limit,
                        person_visit_fn visit, void *ctx, struct error *err)
{
    return s->driver->person_search(s->db, text, country, limit, visit, ctx, err);
}

int store_person_each(struct store *s, person_visit_fn visit, void *ctx, struct error *err)
{
    return s->driver->person_each(s->db, visit, ctx, err);
}

int store_household_members(struct store *s, const char *household, person_visit_fn visit,
                            void *ctx, struct error *err)
{
    return s->driver->household_members(s->db, household, visit, ctx, err);
}

int store_person_count(struct store *s, int64_t *out, struct error *err)
{
    return s->driver->person_count(s->db, out, err);
}

int store_household_get(struct store *s, const char *id, struct household *out, int *found,
                        struct error *err)
{
    return s->driver->household_get(s->db, id, out, found, err);
}
