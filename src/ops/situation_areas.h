/*
 * situation_areas.h: the areas of a situation file's persons and households, resolved against
 * the gazetteer (registry/gazetteer.h) as registration resolves them, so that `spfloor
 * evaluate` decides on "jumla" as on "Jumla".
 */
#ifndef SPFLOOR_OPS_SITUATION_AREAS_H
#define SPFLOOR_OPS_SITUATION_AREAS_H

#include "base/error.h"
#include "rules/situation.h"

/*
 * Resolves admin1 and admin2 of every person and household of s to the official names, in
 * place. Returns SP_OK, or SP_BAD_INPUT naming the entry and field, e.g.
 *   persons/2 (p3): admin2: "Jumlaa" is not a district of NP: did you mean "Jumla"? ...
 * (the caller prefixes the file); entries before the bad one are then already resolved.
 * SP_IO if the gazetteer could not be loaded.
 */
int situation_areas_resolve(struct situation *s, struct error *err);

#endif
