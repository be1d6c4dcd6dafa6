#include "ops/rules.h"

#include <string.h>

#include "base/buf.h"
#include "base/text.h"

void ops_rules_release(struct ops_rules *r)
{
    scheme_library_free(r->lib);
    for (int i = 0; i < r->n_overlays; i++)
        overlay_free(r->overlays[i]);
    memset(r, 0, sizeof *r);
}

/* Room for one more overlay, or SP_USAGE. */
static int room(const struct ops_rules *r, struct error *err)
{
    if (r->n_overlays == OPS_OVERLAYS_MAX)
        return error_set(err, SP_USAGE, "at most %d overlays can be laid over the library",
                         OPS_OVERLAYS_MAX);
    return SP_OK;
}

/* Loads the store's default overlay, when one is set. */
static int add_default(struct ops_rules *r, const struct scheme_library *base, struct store *store,
                       struct error *err)
{
    struct buf text;
    buf_init(&text, STORE_OVERLAY_MAX + 1);
    int found = 0;
    int rc = store_overlay_get(store, &text, &found, err);
    if (rc == SP_OK && found)
        rc = room(r, err);
    if (rc == SP_OK && found) {
        rc = overlay_load_text(OPS_DEFAULT_OVERLAY_NAME, text.data, text.len, base,
                               &r->overlays[r->n_overlays], err);
        if (rc == SP_OK)
            r->n_overlays++;
    }
    buf_release(&text);
    return rc;
}

int ops_rules_load(const char *dir, const char *const *paths, int n, struct store *store,
                   struct ops_rules *out, struct error *err)
{
    memset(out, 0, sizeof *out);
    struct scheme_library *base = NULL;
    int rc = scheme_library_load(dir, &base, err);
    if (rc == SP_OK && store != NULL)
        rc = add_default(out, base, store, err);
    for (int i = 0; rc == SP_OK && i < n; i++) {
        rc = room(out, err);
        if (rc == SP_OK)
            rc = overlay_load_file(paths[i], base, &out->overlays[out->n_overlays], err);
        if (rc == SP_OK)
            out->n_overlays++;
    }
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

/* Makes (id, text) the default overlay (text NULL: removes it) in one transaction. */
static int store_in_transaction(struct store *store, const char *id, const char *text,
                                struct error *err)
{
    int rc = store_begin(store, err);
    if (rc != SP_OK)
        return rc;
    rc = store_overlay_set(store, id, text, err);
    if (rc == SP_OK)
        return store_commit(store, err);
    store_rollback(store);
    return rc;
}

int ops_overlay_set(struct store *store, const char *dir, const char *path, char *id_out,
                    size_t size, struct error *err)
{
    struct scheme_library *base = NULL;
    struct overlay *o = NULL;
    struct buf text;
    buf_init(&text, STORE_OVERLAY_MAX); /* the most the registry keeps */
    int rc = scheme_library_load(dir, &base, err);
    if (rc == SP_OK)
        rc = buf_read_file(&text, path, err);
    if (rc == SP_OK && memchr(text.data, '\0', text.len) != NULL)
        rc = error_set(err, SP_BAD_INPUT, "%s: holds a NUL byte: this is not a YAML text file",
                       path);
    if (rc == SP_OK)
        rc = overlay_load_text(path, text.data, text.len, base, &o, err);
    if (rc == SP_OK)
        rc = store_in_transaction(store, o->id, text.data, err);
    if (rc == SP_OK && id_out != NULL)
        text_copy(id_out, size, o->id);
    overlay_free(o);
    buf_release(&text);
    scheme_library_free(base);
    return rc;
}

int ops_overlay_clear(struct store *store, struct error *err)
{
    return store_in_transaction(store, NULL, NULL, err);
}
