/*
 * rules.h: the rule set a command decides with: the scheme library, with the registry's
 * default overlay and the overlays named on the command line laid over it
 * (docs/overlays.md); and setting that default overlay.
 *
 * The overlays come in this order, each winning over those before it from its dates on: the
 * registry's default overlay (when a store is given and one is set), then the paths the caller
 * gives (--overlay, in the order given). With no overlay at all the library is used as loaded.
 */
#ifndef SPFLOOR_OPS_RULES_H
#define SPFLOOR_OPS_RULES_H

#include "base/error.h"
#include "rules/overlay.h"
#include "rules/scheme.h"
#include "store/store.h"

#define OPS_OVERLAYS_MAX 16 /* overlays laid over one library */

/* What the registry's default overlay is called in messages, in place of a file name. */
#define OPS_DEFAULT_OVERLAY_NAME "the registry's default overlay"

struct ops_rules {
    struct scheme_library *lib;                 /* what to decide with (owned) */
    struct overlay *overlays[OPS_OVERLAYS_MAX]; /* the overlays laid, in order (owned) */
    int n_overlays;
};

/*
 * Loads the library under dir and lays the overlays over it: the default overlay of store
 * (when store is not NULL and one is set), then paths[0..n-1]. On success the caller releases
 * *out with ops_rules_release. Fails as scheme_library_load and overlay_load_file do
 * (SP_BAD_INPUT with file:line:col; a default overlay that no longer fits the library names
 * OPS_DEFAULT_OVERLAY_NAME:line:col), SP_IO when the store cannot be read, SP_USAGE when
 * there are more than OPS_OVERLAYS_MAX overlays; *out then holds nothing.
 */
int ops_rules_load(const char *dir, const char *const *paths, int n, struct store *store,
                   struct ops_rules *out, struct error *err);

void ops_rules_release(struct ops_rules *r); /* accepts a zeroed struct */

/*
 * Makes the overlay file at path the registry's default overlay, after checking it against
 * the library under dir as --overlay would; its text is stored whole, in one transaction on
 * store (opened for writing). *id_out (may be NULL) gets the overlay's id, up to size bytes.
 * SP_BAD_INPUT with file:line:col when it does not load, or when it is longer than
 * STORE_OVERLAY_MAX; SP_IO on a storage failure (nothing is then changed).
 */
int ops_overlay_set(struct store *store, const char *dir, const char *path, char *id_out,
                    size_t size, struct error *err);

/* Removes the registry's default overlay, if any, in one transaction. SP_IO on failure. */
int ops_overlay_clear(struct store *store, struct error *err);

#endif
