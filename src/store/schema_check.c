/*
 * schema_check.c: the verdict on a database about to be opened as a registry (schema_check.h).
 */
#include "store/schema_check.h"

int schema_check(const char *shown, const char *kind, const char *init_location,
                 enum store_mode mode, const struct schema_facts *f, struct error *err)
{
    if (f->objects == 0)
        return mode == STORE_CREATE
                   ? SP_OK
                   : error_set(err, SP_IO,
                               "%s: the database is empty: it is not a registry yet (create one "
                               "with 'spfloor --db %s init')",
                               shown, init_location);
    if (!f->has_migrations)
        return error_set(err, SP_IO,
                         "%s: this %s is not a spfloor registry (it has no %s table): it is not "
                         "opened, and nothing was written to it",
                         shown, kind, MIGRATIONS_TABLE);
    int applied = f->known - f->pending;
    if (f->recorded > applied)
        return error_set(err, SP_IO,
                         "%s: the registry was made by a newer version of spfloor (it records "
                         "%lld schema changes this one does not know): use that version",
                         shown, (long long)(f->recorded - applied));
    if (f->pending > 0 && mode == STORE_READ_ONLY)
        return error_set(err, SP_IO,
                         "%s: the registry's format is older than this spfloor's (%d schema "
                         "change%s to apply): open it once for writing, for example with "
                         "'spfloor --db %s init', to bring it up to date",
                         shown, f->pending, f->pending == 1 ? "" : "s", init_location);
    return SP_OK;
}

int schema_count_pending(const struct schema_migrations *m, int *pending, struct error *err)
{
    *pending = 0;
    for (int i = 0; i < m->count; i++) {
        int applied = m->applied(m->db, m->files[i].name, err);
        if (applied < 0)
            return SP_IO;
        *pending += !applied;
    }
    return SP_OK;
}

int schema_apply_pending(const struct schema_migrations *m, struct error *err)
{
    for (int i = 0; i < m->count; i++) {
        int applied = m->applied(m->db, m->files[i].name, err);
        if (applied < 0)
            return SP_IO;
        if (!applied && m->apply(m->db, &m->files[i], err) != SP_OK)
            return SP_IO;
    }
    return SP_OK;
}
