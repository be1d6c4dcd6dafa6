/*
 * store_driver.h: the driver interface behind store.h (internal to src/store/).
 *
 * store.c holds a driver and the driver's own handle, and forwards every store_* call to the
 * driver's function of the same name; the contracts are those of store.h. A driver owns its
 * connection, its prepared statements and its transaction state. Adding a driver (PostgreSQL
 * through libpq) means writing one such table and naming it in store.c; callers do not change.
 */
#ifndef SPFLOOR_STORE_STORE_DRIVER_H
#define SPFLOOR_STORE_STORE_DRIVER_H

#include <stdint.h>

#include "store/store.h"

struct store_driver {
    const char *name; /* "sqlite" */
    /* Opens location as mode says (store_open); *out is the driver's handle, freed by close. */
    int (*open)(const char *location, enum store_mode mode, void **out, struct error *err);
    void (*close)(void *db); /* rolls back an open transaction; accepts NULL */
    int (*begin)(void *db, struct error *err);
    int (*commit)(void *db, struct error *err);
    void (*rollback)(void *db);
    int (*data_version)(void *db, int64_t *out, struct error *err);
    int (*import_begin)(void *db, int64_t since, struct error *err);
    int (*import_end)(void *db, struct error *err);
    int (*person_insert)(void *db, struct person *p, struct error *err);
    int (*person_get)(void *db, const char *id, struct person *out, int *found, struct error *err);
    int (*person_by_national_id)(void *db, const char *country, const char *national_id,
                                 struct person *out, int *found, struct error *err);
    int (*person_by_dedup_key)(void *db, const char *key, struct person *out, int *found,
                               struct error *err);
    int (*person_search)(void *db, const char *text, const char *country, int limit,
                         person_visit_fn visit, void *ctx, struct error *err);
    int (*person_each)(void *db, person_visit_fn visit, void *ctx, struct error *err);
    int (*household_members)(void *db, const char *household, person_visit_fn visit, void *ctx,
                             struct error *err);
    int (*person_count)(void *db, int64_t *out, struct error *err);
    int (*household_get)(void *db, const char *id, struct household *out, int *found,
                         struct error *err);
};

/* The SQLite driver (sqlite.c). */
extern const struct store_driver store_sqlite_driver;

#endif
