/*
 * overlay.h: an overlay, a dated change to the library's parameters (docs/overlays.md), and
 * the rule set it makes.
 *
 * One mechanism serves two needs: an operator filling in values the sources do not confirm
 * (NOT CONFIRMED parameters, local lists) without editing the shipped files, and a reform.
 * An overlay file names itself (id, title, reference) and gives dated values for parameters
 * the library defines, each with its reference, plus optional test cases:
 *
 *   id: np.karnali_child_grant
 *   title: Child grant districts, as the ministry lists them
 *   reference: "Operator setting, Ward 4 office, 2025-01-10"
 *   parameters:
 *     np.ssa.child_grant_districts:
 *       values:
 *         2016-07-16: {value: [Humla, Jumla], reference: "MoFAGA list of 2016-07-16"}
 *   rules:
 *     - {scheme: np.ssa.senior_citizen, condition: senior_age, when: "age >= 65",
 *        from: 2026-07-17, reference: "Proposal ..."}
 *     - {scheme: np.ssa.widow, amount: "params.allowance.widow * 2", from: ..., reference: ...}
 *   tests:
 *     - {name: ..., as_of: ..., input: ..., output: ...}
 *
 * A `rules` entry changes a scheme's condition (by name) or its amount from a date, checked by
 * the same expression checker as the scheme file (scheme_check_change); in the new rule set
 * the scheme decides with it from that date on (scheme_load_changed), and the explanation of
 * that condition or amount names the overlay, the date and the reference.
 * Loading is as strict as the library's: an unknown key, a parameter path the library does not
 * define, a `unit` that is not the parameter's, a value not keyed by a date or without a
 * reference, a value of the wrong kind, a rule naming a scheme or condition that does not
 * exist, an expression that does not parse or type-check, a test case that would not load
 * from a test file are SP_BAD_INPUT naming file:line:col.
 *
 * Applying overlays makes a new rule set and leaves the base as it was, so that a baseline
 * and a reform can be decided side by side in one process. In the new set, a parameter an
 * overlay gives values to takes them from the overlay's first date on, over the shipped values
 * (later-dated ones too); overlays are laid in order, so a later one wins over an earlier one
 * from its own first date on. An overlaid value's reference reads
 * "overlay <id>: <the value's reference>", so every explanation that shows the value names
 * the overlay; param_value.overlay holds the id.
 *
 * Ownership: a struct overlay owns its parsed document and every string in it; it does not
 * point into the library it was checked against. A rule set made by scheme_library_overlay is
 * independent of the base library and of the overlays: each may be freed first.
 */
#ifndef SPFLOOR_RULES_OVERLAY_H
#define SPFLOOR_RULES_OVERLAY_H

#include <stddef.h>

#include "base/error.h"
#include "rules/scheme.h"
#include "rules/yaml_doc.h"

struct overlay {
    const char *id;                /* dotted lowercase name, e.g. "np.karnali_child_grant" */
    const char *title;             /* one line */
    const char *reference;         /* the decision or proposal it comes from */
    const char *file;              /* the name used in messages */
    struct ydoc *doc;              /* owns the strings above and the nodes below */
    struct param_set *values;      /* one parameter per path it overlays (kind, currency and
                                      unit as the library's), holding only its values */
    struct scheme_change *changes; /* its `rules`, in order (strings point into doc) */
    int n_changes;
    const struct ydoc_node *tests; /* the `tests` list of cases (scheme_test.h), or NULL */
};

/*
 * Checks a parsed overlay file against the library base (every path must be a parameter of
 * base, every value of its kind). On success *out owns doc (the caller frees *out with
 * overlay_free); on failure doc stays the caller's. SP_BAD_INPUT names file:line:col; SP_IO
 * when out of memory.
 */
int overlay_load_doc(struct ydoc *doc, const struct scheme_library *base, struct overlay **out,
                     struct error *err);

/* Reads the file at path (YAML, or JSON when it ends in .json) and calls overlay_load_doc. */
int overlay_load_file(const char *path, const struct scheme_library *base, struct overlay **out,
                      struct error *err);

/* Parses n bytes of YAML (an overlay kept in the registry); `name` names it in messages. */
int overlay_load_text(const char *name, const char *text, size_t n,
                      const struct scheme_library *base, struct overlay **out, struct error *err);

void overlay_free(struct overlay *o); /* accepts NULL */

/*
 * Makes *out: base with the n overlays laid over it in order (n may be 0: a copy). The schemes
 * are compiled anew against the new parameters; base is not changed. The caller frees *out
 * with scheme_library_free. Each overlay must have been loaded against base (or a library with
 * the same parameters). SP_BAD_INPUT naming the overlay file when a value does not fit (it
 * cannot, after a successful load against base), SP_IO when out of memory.
 */
int scheme_library_overlay(const struct scheme_library *base, const struct overlay *const *overlays,
                           int n, struct scheme_library **out, struct error *err);

#endif
