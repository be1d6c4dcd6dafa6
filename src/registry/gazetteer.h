/*
 * gazetteer.h: the areas a person's admin1 (province or state) and admin2 (district) name, per
 * country, from data/areas/<cc>.csv compiled into the binary (docs/import.md, "Areas").
 *
 * An area is found by its code ("NP-D63"), its official name ("Jumla"), an alias
 * ("Kabhrepalanchok") or its name in the local script ("जुम्ला"), matched without regard to
 * case, Unicode normalisation, Latin accents, blanks or the punctuation - . ' _ ( ): "jumla",
 * "JUMLA" and "जुम्ला" are the same district. Registration stores the official name.
 *
 * A country has a closed list at a level only when its file lists areas of that level; at a
 * level it does not list (and in a country without a file) the field stays free text.
 *
 * The data is parsed once, on first use, into static storage; every function here is safe to
 * call from several threads. The returned areas and strings are static and never freed.
 */
#ifndef SPFLOOR_REGISTRY_GAZETTEER_H
#define SPFLOOR_REGISTRY_GAZETTEER_H

#include "base/error.h"
#include "model/person.h"

enum area_level { AREA_ADMIN1 = 1, AREA_ADMIN2 = 2 };

/* One area of the gazetteer: one line of a data/areas file. */
struct area {
    char country[3];     /* ISO 3166-1 alpha-2, from the file's name */
    int level;           /* enum area_level */
    const char *code;    /* e.g. "NP-P6" (ISO 3166-2) or "NP-D63" */
    const char *parent;  /* admin2: the code of its admin1 area; admin1: "" */
    const char *name;    /* the official name, as registration stores it */
    const char *local;   /* the name in the local script, or "" */
    const char *aliases; /* other spellings, ';'-joined, or "" */
};

/*
 * Parses the compiled-in data if that was not done yet. Returns SP_OK, or SP_IO with a
 * message naming the file and line of a malformed entry (a build defect: the unit tests check
 * the shipped data) or ICU's failure. Every other function calls it; after a failure they
 * find nothing and gazetteer_resolve_person reports this error.
 */
int gazetteer_load(struct error *err);

/* The areas, grouped by country then level, in file order; *count of them. */
const struct area *gazetteer_areas(int *count);

/* The number of areas the gazetteer lists for country at level (0: free text there). */
int gazetteer_count(const char *country, enum area_level level);

/* The field name of a level ("admin1", "admin2") and what it is ("province", "district"). */
const char *gazetteer_level_field(enum area_level level);
const char *gazetteer_level_noun(enum area_level level);

/*
 * The area of country at level that text names (code, name, alias or local name, see
 * above), or NULL when there is none.
 */
const struct area *gazetteer_find(const char *country, enum area_level level, const char *text);

/*
 * The official name of the area whose name, alias or local name is nearest to text (a few
 * edits away), for a "did you mean" hint; NULL when nothing is near.
 */
const char *gazetteer_suggest(const char *country, enum area_level level, const char *text);

/*
 * Resolves admin1 and admin2 (each PERSON_PLACE_SIZE bytes, "" when not given) of a place in
 * country, where the country has a list at that level, to the official names (changed in
 * place), and checks that a district given with a province lies in it. Returns SP_OK, or
 * SP_BAD_INPUT with a message that starts with the field's name, e.g.
 *   admin2: "Jumlaa" is not a district of NP: did you mean "Jumla"? ...
 * and then neither is changed. SP_IO if the data could not be loaded.
 */
int gazetteer_resolve(const char *country, char *admin1, char *admin2, struct error *err);

/* gazetteer_resolve of p's country, admin1 and admin2. */
int gazetteer_resolve_person(struct person *p, struct error *err);

#endif
