/*
 * dhis2.c: reading a DHIS2 mapping file (dhis2.h).
 */
#include "ops/dhis2.h"

#include <string.h>

#include "base/text.h"
#include "rules/yaml_doc.h"

/* Reads the map under key (optional) into n: names to identifiers (or, periods, to periods). */
static int read_names(const struct ydoc *doc, const struct ydoc_node *root, const char *key,
                      int periods, struct dhis2_names *n, struct error *err)
{
    const struct ydoc_node *map = NULL;
    int rc = ydoc_want(doc, root, key, YDOC_MAP, &map, err);
    for (int i = 0; rc == SP_OK && map != NULL && i < map->n; i++) {
        const struct ydoc_node *value = map->items[i];
        if (value->kind != YDOC_SCALAR)
            return ydoc_fail(doc, value, err, "%s: \"%s\": expected a single value", key,
                             map->keys[i]->text);
        if (periods ? value->len == 0 || value->len >= DHIS2_PERIOD_SIZE
                    : !dhis2_uid_valid(value->text))
            return ydoc_fail(doc, value, err,
                             periods ? "%s: \"%s\" is not a DHIS2 period (such as 202503, "
                                       "2025Q1, 2025)"
                                     : "%s: \"%s\" is not a DHIS2 identifier (11 letters and "
                                       "digits, the first a letter)",
                             key, value->text);
        rc = dhis2_names_add(n, map->keys[i]->text, value->text, err);
        if (rc == SP_BAD_INPUT)
            ydoc_prefix(doc, map->keys[i], err);
    }
    return rc;
}

/* Reads the identifier under key (optional) into out. */
static int read_uid(const struct ydoc *doc, const struct ydoc_node *root, const char *key,
                    char out[DHIS2_UID_SIZE], struct error *err)
{
    const struct ydoc_node *value = NULL;
    int rc = ydoc_want(doc, root, key, YDOC_SCALAR, &value, err);
    if (rc != SP_OK || value == NULL)
        return rc;
    if (!dhis2_uid_valid(value->text))
        return ydoc_fail(doc, value, err,
                         "%s: \"%s\" is not a DHIS2 identifier (11 letters and digits, the "
                         "first a letter)",
                         key, value->text);
    text_copy(out, DHIS2_UID_SIZE, value->text);
    return SP_OK;
}

int dhis2_mapping_load(const char *path, struct dhis2_mapping *m, struct error *err)
{
    static const char *const keys[] = {
        "dataSet", "orgUnit", "orgUnitLevel", "orgUnits", "dataElements", "categoryOptionCombos",
        "periods", NULL};
    dhis2_mapping_init(m);
    struct ydoc *doc = NULL;
    int rc = ydoc_load_file(path, &doc, err);
    if (rc != SP_OK)
        return rc;
    const struct ydoc_node *root = doc->root, *level = NULL;
    rc = ydoc_expect(doc, NULL, root, YDOC_MAP, "the DHIS2 mapping", err);
    if (rc == SP_OK)
        rc = ydoc_check_keys(doc, root, keys, err);
    if (rc == SP_OK)
        rc = read_uid(doc, root, "dataSet", m->data_set, err);
    if (rc == SP_OK)
        rc = read_uid(doc, root, "orgUnit", m->org_unit, err);
    if (rc == SP_OK)
        rc = ydoc_want(doc, root, "orgUnitLevel", YDOC_SCALAR, &level, err);
    if (rc == SP_OK && level != NULL) {
        if (strcmp(level->text, "admin1") == 0)
            m->area_dim = DISAGG_ADMIN1;
        else if (strcmp(level->text, "admin2") != 0)
            rc = ydoc_fail(doc, level, err, "orgUnitLevel: \"%s\": use admin1 or admin2",
                           level->text);
    }
    if (rc == SP_OK)
        rc = read_names(doc, root, "orgUnits", 0, &m->org_units, err);
    if (rc == SP_OK)
        rc = read_names(doc, root, "dataElements", 0, &m->data_elements, err);
    if (rc == SP_OK)
        rc = read_names(doc, root, "categoryOptionCombos", 0, &m->combos, err);
    if (rc == SP_OK)
        rc = read_names(doc, root, "periods", 1, &m->periods, err);
    ydoc_free(doc);
    return rc;
}
