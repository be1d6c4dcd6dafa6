/*
 * scheme_test.h: the scheme library's test cases, in the shape OpenFisca uses
 * (docs/schemes.md "Test cases"), and their runner.
 *
 * A test file is a list of cases {name, as_of, input, output}; `input` is a situation and
 * `output` a list of expected decisions {person, scheme, eligible?, amount?, contribution?,
 * status?, missing?, excluded_by?, optional?}. Only the keys given are compared. An output of
 * a scheme in an exclusion group is decided with the other schemes of its group, so that
 * excluded_by is what the single window shows. Loading is strict, like every other file: an
 * unknown key, an output naming a person not in the input or a scheme not in the library,
 * an amount that is not money of the scheme's currency are SP_BAD_INPUT with file:line:col.
 *
 * Ownership: a struct scheme_tests owns its cases and their situations; it points into the
 * library, which must outlive it.
 */
#ifndef SPFLOOR_RULES_SCHEME_TEST_H
#define SPFLOOR_RULES_SCHEME_TEST_H

#include <stdint.h>

#include "base/buf.h"
#include "base/error.h"
#include "rules/decide.h"
#include "rules/scheme.h"
#include "rules/situation.h"

/* The contribution keys an output may give, as bits of scheme_test_output.contribution_keys. */
#define TEST_PART_TOTAL 3 /* bits 0..2 are SCHEME_PART_*; bit 3 is the total */

/* One expected decision. */
struct scheme_test_output {
    char person[PERSON_ID_SIZE];
    const struct scheme *scheme;
    int line; /* where the output entry is written */
    uint8_t has_eligible;
    uint8_t eligible;
    uint8_t has_amount; /* `amount` given: a value, or null for "no amount" */
    uint8_t amount_null;
    int64_t amount; /* minor units of the scheme's currency */
    uint8_t has_status;
    uint8_t status;           /* enum decision_status */
    uint8_t has_contribution; /* `contribution` given: a map, or null for "none" */
    uint8_t contribution_null;
    uint8_t contribution_keys;        /* which of employee, employer, state, total are given */
    int64_t contribution[4];          /* employee, employer, state, total */
    uint8_t has_missing;              /* `missing` given: the facts, in any order, and no others */
    struct buf missing;               /* the expected facts, one per line */
    uint8_t has_excluded_by;          /* `excluded_by` given: a scheme id, or null for "paid" */
    const struct scheme *excluded_by; /* the scheme expected to be paid instead, or NULL */
    uint8_t has_optional;             /* `optional` given */
    uint8_t optional;                 /* the scheme is expected to be marked optional */
};

struct scheme_test_case {
    const char *name;
    const char *file;
    int line;
    int32_t as_of;
    struct situation situation;
    struct scheme_test_output *outputs;
    int n_outputs;
    int unset_may_be_filled; /* 1: run under overlays that may fill values the library leaves
                                unset; an output expecting parameter_not_set then passes
                                whatever the decision is once the value is set (the caller sets
                                it on the library's cases, not the overlay's own) */
};

struct scheme_tests {
    const struct scheme_library *lib; /* what the cases were loaded against */
    struct scheme_test_case *cases;
    int n_cases;
    struct ydoc **docs; /* the parsed files, which own the strings */
    int n_docs;
};

/*
 * Loads every test file the library found (lib->test_files). On success the caller frees
 * *out with scheme_tests_free. SP_BAD_INPUT names file:line:col; SP_IO when out of memory.
 */
int scheme_tests_load(const struct scheme_library *lib, struct scheme_tests **out,
                      struct error *err);

/* Loads one more test file into tests. */
int scheme_tests_load_file(const struct scheme_library *lib, const char *path,
                           struct scheme_tests *tests, struct error *err);

/*
 * Loads the cases of `list` (a list node of doc, such as an overlay's `tests`) into tests,
 * which takes a reference to doc (ydoc_ref): the caller keeps its own. A list that is NULL or
 * not a list fails at the document.
 */
int scheme_tests_load_node(const struct scheme_library *lib, struct ydoc *doc,
                           const struct ydoc_node *list, struct scheme_tests *tests,
                           struct error *err);

void scheme_tests_free(struct scheme_tests *tests); /* accepts NULL */

/*
 * Runs every case. A case passes when every output matches. For each failing case, appends
 * to report: "FAIL file:line: name", then for each mismatch what was expected and what came
 * out, with the decision's explanation. Counts go to *passed and *failed. Returns SP_OK
 * unless memory runs out (failing cases are not errors).
 */
int scheme_tests_run(const struct scheme_tests *tests, int *passed, int *failed, struct buf *report,
                     struct error *err);

#endif
