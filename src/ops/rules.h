/*
 * rules.h: the rule set a command decides with: the scheme library, with the overlays the
 * operator configured and those named on the command line laid over it (docs/overlays.md).
 *
 * The overlays come in this order, each winning over those before it from its dates on:
 * the files of $SPFLOOR_OVERLAY (a list of paths separated by ':', the configured default
 * for the database the commands run on), then the paths the caller gives (--overlay, in the
 * order given). With no overlay at all the library is used as loaded.
 */
#ifndef SPFLOOR_OPS_RULES_H
#define SPFLOOR_OPS_RULES_H

#include "base/error.h"
#include "rules/overlay.h"
#include "rules/scheme.h"

#define OPS_OVERLAYS_MAX 16 /* overlays laid over one library */

struct ops_rules {
    struct scheme_library *lib;                 /* what to decide with (owned) */
    struct overlay *overlays[OPS_OVERLAYS_MAX]; /* the overlays laid, in order (owned) */
    int n_overlays;
};

/*
 * Loads the library under dir and lays the overlays over it ($SPFLOOR_OVERLAY when
 * use_default, then paths[0..n-1]). On success the caller releases *out with
 * ops_rules_release. Fails as scheme_library_load and overlay_load_file do (SP_BAD_INPUT with
 * file:line:col, SP_IO), or SP_USAGE when there are more than OPS_OVERLAYS_MAX overlays;
 * *out then holds nothing.
 */
int ops_rules_load(const char *dir, const char *const *paths, int n, int use_default,
                   struct ops_rules *out, struct error *err);

void ops_rules_release(struct ops_rules *r); /* accepts a zeroed struct */

#endif
