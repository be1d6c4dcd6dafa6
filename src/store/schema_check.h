/*
 * schema_check.h: whether a database may be opened as a registry, decided the same way for
 * every driver (internal to src/store/). A driver gathers the facts from its database and
 * passes them here; the verdict and its wording are one.
 */
#ifndef SPFLOOR_STORE_SCHEMA_CHECK_H
#define SPFLOOR_STORE_SCHEMA_CHECK_H

#include <stdint.h>

#include "base/embedded.h"
#include "base/error.h"
#include "store/store.h"

#define MIGRATIONS_TABLE "schema_migrations"

/* What a driver found before opening a database as a registry. */
struct schema_facts {
    int64_t objects;    /* tables or other schema objects it holds; 0: an empty database */
    int has_migrations; /* 1 if it has the MIGRATIONS_TABLE table */
    int64_t recorded;   /* migrations recorded in that table */
    int known;          /* migrations this spfloor has for the driver's dialect */
    int pending;        /* of those, the ones not recorded */
};

/*
 * SP_OK if a database with facts f may be opened as `mode` says (store_open): empty only for
 * STORE_CREATE (it becomes a registry); otherwise a registry, not from a newer spfloor, and
 * for STORE_READ_ONLY with no migration pending. Else SP_IO with a message naming `shown` (the
 * location as it may be shown: no password), `kind` (what it is, e.g. "SQLite database") and,
 * where the user should run `init`, `init_location` (what to give --db). Nothing is written.
 */
int schema_check(const char *shown, const char *kind, const char *init_location,
                 enum store_mode mode, const struct schema_facts *f, struct error *err);

/* A driver's migrations and how it reads and writes its migrations record. */
struct schema_migrations {
    const struct embedded_file *files; /* this spfloor's migrations for the dialect, in order */
    int count;                         /* how many */
    void *db;                          /* the driver's handle, passed to the functions below */
    /* 1 if the migration `name` is recorded as applied, 0 if not, -1 with err set. */
    int (*applied)(void *db, const char *name, struct error *err);
    /* Runs the migration's SQL (compiled into spfloor) and records it: SP_OK or SP_IO. */
    int (*apply)(void *db, const struct embedded_file *m, struct error *err);
};

/* Counts into *pending the migrations not recorded (the record must exist). SP_OK or SP_IO. */
int schema_count_pending(const struct schema_migrations *m, int *pending, struct error *err);

/* Applies, in order, every migration not recorded, inside the caller's transaction (which the
 * caller commits, or rolls back on failure). SP_OK or SP_IO. */
int schema_apply_pending(const struct schema_migrations *m, struct error *err);

#endif
