/*
 * param_load.h: reads parameter files (docs/schemes.md "Parameter files") into a param_set.
 *
 * A file has a `namespace` and a tree under `parameters`: a node with `values` is a parameter
 * (it may also have `description`, `unit`, `type`, nothing else); any other node is a group of
 * child nodes. Each value is keyed by the ISO date it takes effect and holds `value` (or
 * `brackets` for a scale) and `reference`; `value: null` is a NOT CONFIRMED value (not set).
 *
 * The kind comes from `unit` (years, months, days, count -> int; rate -> decimal; a currency
 * code such as NPR -> money) or from `type` (money, decimal, int, date, bool, text, list,
 * scale). Loading is strict; every error is SP_BAD_INPUT naming file:line:col: an unknown key,
 * a misplaced node, a parameter without values, a key that is not a date, money with more
 * decimals than its currency has, a value of the wrong kind, a parameter defined twice.
 */
#ifndef SPFLOOR_RULES_PARAM_LOAD_H
#define SPFLOOR_RULES_PARAM_LOAD_H

#include "base/error.h"
#include "rules/param.h"
#include "rules/yaml_doc.h"

/*
 * Adds every parameter of a parsed parameter file to set. On failure returns SP_BAD_INPUT
 * (or SP_IO when out of memory); parameters defined before the error stay in the set, so a
 * caller that wants all-or-nothing loads into a fresh set.
 */
int param_load_doc(struct param_set *set, const struct ydoc *doc, struct error *err);

/*
 * Reads the `values:` map of the map node owner (dates to {value, reference}, as a parameter
 * file writes them) into p, an existing parameter of set, checked against p's kind and
 * currency exactly as a parameter file is. Each value is marked as set by `overlay` (an
 * overlay id, copied; NULL for a shipped value). Errors are SP_BAD_INPUT naming file:line:col
 * (no values, a key that is not a date, a value of the wrong kind, two values on one date),
 * or SP_IO when out of memory; values read before the error stay in p.
 */
int param_load_values(struct param_set *set, struct param *p, const struct ydoc *doc,
                      const struct ydoc_node *owner, const char *overlay, struct error *err);

/* Reads the file at path and calls param_load_doc. */
int param_load_file(struct param_set *set, const char *path, struct error *err);

#endif
