/*
 * situation_load.h: reads a situation (DESIGN.md "Evaluation without a database") from YAML or
 * JSON: persons, households, events, contributions and enrolments.
 *
 * Person fields go through person_set_field and person_add_list_item, so they are validated
 * exactly as the registry validates them. A field outside the facts vocabulary is an error
 * unless a scheme of the library declares it under `facts:`; its value is then checked
 * against the declared type. Every error is SP_BAD_INPUT naming the place: file:line:col for
 * YAML, "file: /persons/0/sex" (a JSON pointer) for JSON.
 */
#ifndef SPFLOOR_RULES_SITUATION_LOAD_H
#define SPFLOOR_RULES_SITUATION_LOAD_H

#include <stdint.h>

#include "base/error.h"
#include "rules/scheme.h"
#include "rules/situation.h"
#include "rules/yaml_doc.h"

#define SITUATION_MAX_ROWS 10000000 /* persons, events, ... in one situation */

struct situation_options {
    int32_t today; /* birth and employment dates after it are refused; DATE_NONE: no check */
    const struct scheme_library *lib; /* its schemes' extra facts are allowed, and scheme ids
                                         in contributions and enrolments must be its schemes;
                                         NULL: no extra facts, ids not checked */
};

/*
 * Reads the situation held by `root` (a map) of doc into out, which must be freshly
 * initialised (situation_init), and indexes it (situation_index). On failure out is released
 * and the error names where.
 */
int situation_load_node(const struct ydoc *doc, const struct ydoc_node *root,
                        const struct situation_options *options, struct situation *out,
                        struct error *err);

/* Reads a situations file: JSON if its name ends in .json, else YAML. */
int situation_load_file(const char *path, const struct situation_options *options,
                        struct situation *out, struct error *err);

#endif
