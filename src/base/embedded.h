/*
 * embedded.h: files compiled into the binary by cmake/embed.cmake (the SQL migrations of each
 * storage engine, and the gazetteer's areas).
 *
 * A table ends with an entry whose name is NULL. The strings are static and never freed.
 */
#ifndef SPFLOOR_BASE_EMBEDDED_H
#define SPFLOOR_BASE_EMBEDDED_H

struct embedded_file {
    const char *name;     /* the file's base name, e.g. "0001_registry.sql" */
    const char *contents; /* its bytes, NUL-terminated */
};

extern const struct embedded_file migrations_embedded[];
extern const int migrations_embedded_count;

/* The PostgreSQL driver's migrations (src/store/migrations/postgres). */
extern const struct embedded_file migrations_postgres_embedded[];
extern const int migrations_postgres_embedded_count;

/* The gazetteer's areas, data/areas/<cc>.csv (registry/gazetteer.c). */
extern const struct embedded_file areas_embedded[];
extern const int areas_embedded_count;

#endif
