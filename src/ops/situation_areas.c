/*
 * situation_areas.c: a situation's areas by their official names (situation_areas.h).
 */
#include "ops/situation_areas.h"

#include "registry/gazetteer.h"

int situation_areas_resolve(struct situation *s, struct error *err)
{
    for (int i = 0; i < s->n_persons; i++) {
        struct person *p = &s->persons[i];
        int rc = gazetteer_resolve(p->country, p->admin1, p->admin2, err);
        if (rc != SP_OK) {
            error_prefix(err, "persons/%d (%s)", i, p->id);
            return rc;
        }
    }
    for (int i = 0; i < s->n_households; i++) {
        struct household *h = &s->households[i];
        int rc = gazetteer_resolve(h->country, h->admin1, h->admin2, err);
        if (rc != SP_OK) {
            error_prefix(err, "households/%d (%s)", i, h->id);
            return rc;
        }
    }
    return SP_OK;
}
