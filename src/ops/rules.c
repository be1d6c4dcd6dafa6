#include "ops/rules.h"

#include <stdlib.h>
#include <string.h>

#define OVERLAY_PATH_MAX 4096 /* one path of $SPFLOOR_OVERLAY */

void ops_rules_release(struct ops_rules *r)
{
    scheme_library_free(r->lib);
    for (int i = 0; i < r->n_overlays; i++)
        overlay_free(r->overlays[i]);
    memset(r, 0, sizeof *r);
}

static int add_overlay(struct ops_rules *r, const struct scheme_library *base, const char *path,
                       struct error *err)
{
    if (r->n_overlays == OPS_OVERLAYS_MAX)
        return error_set(err, SP_USAGE, "at most %d overlays can be laid over the library",
                         OPS_OVERLAYS_MAX);
    int rc = overlay_load_file(path, base, &r->overlays[r->n_overlays], err);
    if (rc == SP_OK)
        r->n_overlays++;
    return rc;
}

/* Loads each path of $SPFLOOR_OVERLAY (separated by ':'; empty parts are skipped). */
static int add_default_overlays(struct ops_rules *r, const struct scheme_library *base,
                                struct error *err)
{
    const char *list = getenv("SPFLOOR_OVERLAY");
    int rc = SP_OK;
    while (rc == SP_OK && list != NULL && *list != '\0') {
        const char *end = strchr(list, ':');
        size_t len = end != NULL ? (size_t)(end - list) : strlen(list);
        char path[OVERLAY_PATH_MAX];
        if (len >= sizeof path)
            return error_set(err, SP_USAGE, "SPFLOOR_OVERLAY: a path is longer than %d bytes",
                             OVERLAY_PATH_MAX - 1);
        memcpy(path, list, len);
        path[len] = '\0';
        if (len > 0)
            rc = add_overlay(r, base, path, err);
        list = end != NULL ? end + 1 : NULL;
    }
    if (rc != SP_OK)
        error_prefix(err, "SPFLOOR_OVERLAY");
    return rc;
}

int ops_rules_load(const char *dir, const char *const *paths, int n, int use_default,
                   struct ops_rules *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    struct scheme_library *base = NULL;
    int rc = scheme_library_load(dir, &base, err);
    if (rc == SP_OK && use_default)
        rc = add_default_overlays(out, base, err);
    for (int i = 0; rc == SP_OK && i < n; i++)
        rc = add_overlay(out, base, paths[i], err);
    if (rc == SP_OK && out->n_overlays == 0) {
        out->lib = base;
        return SP_OK;
    }
    if (rc == SP_OK)
        rc = scheme_library_overlay(base, (const struct overlay *const *)out->overlays,
                                    out->n_overlays, &out->lib, err);
    scheme_library_free(base);
    if (rc != SP_OK)
        ops_rules_release(out);
    return rc;
}
