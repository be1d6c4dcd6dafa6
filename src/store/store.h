/*
 * store.h: the one narrow storage interface of spfloor.
 *
 * Callers see only these functions and domain structs (struct person, struct household); no SQL
 * and no driver type leaks out. store_open picks the driver from the location: a path is an
 * SQLite file (the embedded default); a "postgres://" or "postgresql://" URL is reserved for
 * the PostgreSQL driver (libpq), which is not built yet and is refused with SP_USAGE.
 *
 * Writes happen inside store_begin/store_commit (SQLite: BEGIN IMMEDIATE). A failed write
 * leaves the transaction open; the caller calls store_rollback. Nothing is written outside a
 * transaction.
 *
 * Every function returns SP_OK or an sp_status with err filled: SP_IO for storage failures,
 * SP_CONFLICT for a uniqueness violation, SP_BAD_INPUT for a bad argument.
 */
#ifndef SPFLOOR_STORE_STORE_H
#define SPFLOOR_STORE_STORE_H

#include <stdint.h>

#include "base/error.h"
#include "registry/household.h"
#include "registry/person.h"

struct store;

/* Called once per person by the iterating functions; a non-zero return stops the walk and is
 * returned by the walker. */
typedef int (*person_visit_fn)(void *ctx, const struct person *p);

/*
 * Opens (creating if needed) the database at `location` and applies pending migrations.
 * On success *out is a store the caller frees with store_close.
 */
int store_open(const char *location, struct store **out, struct error *err);
void store_close(struct store *s); /* rolls back an open transaction; accepts NULL */

int store_begin(struct store *s, struct error *err);
int store_commit(struct store *s, struct error *err);
void store_rollback(struct store *s);

/*
 * Starts a bulk transaction, for loading many persons at once (an import's write pass). Like
 * store_begin, but the persons' secondary indexes (national ID, dedup key, household members)
 * are set aside until store_commit rebuilds them by sorting, which is far cheaper than keeping
 * them up to date row by row. In exchange store_person_insert checks only the worker ID; the
 * national ID and dedup key are checked by store_commit, which on a duplicate returns
 * SP_CONFLICT naming both records and leaves the transaction open for store_rollback (which
 * restores everything, indexes included). Inside the transaction, lookups by national ID, dedup
 * key or household scan the table. The rebuild takes time in proportion to the whole registry,
 * so use this when the batch is large compared to what is already stored.
 */
int store_begin_bulk(struct store *s, struct error *err);

/*
 * Inserts p. If p->id is "", assigns the next worker ID (writing it into p->id); otherwise
 * p->id must be a valid worker ID not yet used. Creates p's household if it names one that
 * does not exist yet (with p's country, admin1 and admin2). SP_CONFLICT if the id, the
 * (country, national_id) or the dedup key is already taken.
 */
int store_person_insert(struct store *s, struct person *p, struct error *err);

/* Looks a person up by id. *found is 1 and *out filled when it exists, else *found is 0. */
int store_person_get(struct store *s, const char *id, struct person *out, int *found,
                     struct error *err);

/* Looks a person up by (country, national_id). */
int store_person_by_national_id(struct store *s, const char *country, const char *national_id,
                                struct person *out, int *found, struct error *err);

/* Looks a person up by person_dedup_key. */
int store_person_by_dedup_key(struct store *s, const char *key, struct person *out, int *found,
                              struct error *err);

/*
 * Calls visit for up to `limit` persons whose name, national ID, worker ID or phone contains
 * `text` (case-insensitive), optionally only in `country` (NULL for all), best matches first.
 */
int store_person_search(struct store *s, const char *text, const char *country, int limit,
                        person_visit_fn visit, void *ctx, struct error *err);

/* Calls visit for every person, in id order. */
int store_person_each(struct store *s, person_visit_fn visit, void *ctx, struct error *err);

/* Calls visit for each member of a household, in id order. */
int store_household_members(struct store *s, const char *household, person_visit_fn visit,
                            void *ctx, struct error *err);

int store_person_count(struct store *s, int64_t *out, struct error *err);

/* Looks a household up by id. */
int store_household_get(struct store *s, const char *id, struct household *out, int *found,
                        struct error *err);

#endif
